/* Starting the app: main(argc, argv) on its own thread, then exit(). */
#include <stdlib.h>
#include <mica/sched.h>

int main(int argc, char **argv);
extern const char mica_app_name[];

static char *app_argv[66];
static int app_argc;

static void main_thread(void *arg)
{
	(void)arg;
	exit(main(app_argc, app_argv));
}

int libc_start_main(int argc, char **argv, size_t stack_size)
{
	app_argv[0] = (char *)mica_app_name;
	for (int i = 0; i < argc && i < 64; i++)
		app_argv[i + 1] = argv[i];
	app_argc = (argc < 64 ? argc : 64) + 1;
	app_argv[app_argc] = NULL;
	return thread_create_sized("main", main_thread, NULL, stack_size) ? 0
									  : -1;
}
