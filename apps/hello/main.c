/*
 * hello: the smallest useful Mica app, and the one the boot tests run.
 * It prints, allocates, runs two threads that sleep and wake in order,
 * shows per-thread errno, reads its arguments and exits with a status.
 *
 * Arguments (after -- on the kernel command line):
 *   exit=N     exit with status N (default 0)
 *   fault      dereference NULL (tests the exception report)
 *   recurse    recurse until the stack overflows into its guard page
 *   alloc=KIB  allocate and touch this many KiB (tests out-of-memory)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <mica/sched.h>

static int order[4], norder;
static int errno_seen[2];

struct worker {
	int id;
	unsigned int sleep_ms;
	int my_errno;
};

static void worker(void *arg)
{
	struct worker *w = arg;

	errno = w->my_errno;
	usleep(w->sleep_ms * 1000);
	order[norder++] = w->id;
	/* The other thread set its own errno meanwhile; ours is unchanged. */
	errno_seen[w->id - 1] = errno;
	printf("thread %d woke after %u ms, errno %d\n", w->id, w->sleep_ms,
	       errno);
}

static void __attribute__((noinline)) fault_now(volatile int *p)
{
	*p = 42;
}

static int stop_depth = -1; /* never reached: recurse() overflows */

static int __attribute__((noinline)) recurse(int depth)
{
	volatile char pad[512];

	pad[0] = (char)depth;
	if (depth == stop_depth)
		return 0;
	return recurse(depth + 1) + pad[0];
}

int main(int argc, char **argv)
{
	struct worker w1 = { 1, 20, EDOM }, w2 = { 2, 40, ERANGE };
	struct thread *t1, *t2;
	struct timespec ts;
	int status = 0;
	char *buf;

	printf("hello from Mica: %d argument%s\n", argc - 1,
	       argc == 2 ? "" : "s");
	for (int i = 1; i < argc; i++) {
		printf("argv[%d] = \"%s\"\n", i, argv[i]);
		if (strncmp(argv[i], "exit=", 5) == 0)
			status = atoi(argv[i] + 5);
		else if (strcmp(argv[i], "fault") == 0)
			fault_now(NULL);
		else if (strcmp(argv[i], "recurse") == 0)
			printf("recursed %d\n", recurse(0));
		else if (strncmp(argv[i], "alloc=", 6) == 0) {
			size_t kib = strtoul(argv[i] + 6, NULL, 0);
			char *big = malloc(kib * 1024);

			if (!big) {
				printf("malloc(%zu KiB) failed: %s\n", kib,
				       strerror(errno));
				return 3;
			}
			memset(big, 1, kib * 1024);
			printf("allocated %zu KiB\n", kib);
		}
	}

	buf = malloc(100);
	snprintf(buf, 100, "%s %d", "heap works:", 12345);
	puts(buf);
	free(buf);

	/* Thread 2 is created first but sleeps longer: it must wake second. */
	t2 = thread_create("w2", worker, &w2);
	t1 = thread_create("w1", worker, &w1);
	if (!t1 || !t2) {
		puts("thread_create failed");
		return 2;
	}
	thread_join(t1);
	thread_join(t2);
	printf("wake order: %d %d (%s)\n", order[0], order[1],
	       order[0] == 1 && order[1] == 2 ? "ok" : "WRONG");
	printf("per-thread errno: %s\n",
	       errno_seen[0] == EDOM && errno_seen[1] == ERANGE ? "ok"
								: "WRONG");
	clock_gettime(CLOCK_REALTIME, &ts);
	printf("wall clock: %lld s since 1970\n", (long long)ts.tv_sec);
	printf("hello: exiting with status %d\n", status);
	return status;
}
