/*
 * bootclock: time a VMM run from its start to the first console line that
 * contains MARKER, and to its exit.
 *
 *   bootclock MARKER TIMEOUT_S cmd args...
 *
 * Prints "first_ms=<t> exit_ms=<t> status=<s>" (first_ms=-1 when the marker
 * never appeared) and the child's output to stderr for inspection.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	char line[4096], *marker;
	double t0, first = -1, end;
	int fds[2], status, timeout;
	size_t len = 0;
	pid_t pid;
	FILE *in;

	if (argc < 4) {
		fprintf(stderr, "usage: bootclock MARKER TIMEOUT_S cmd...\n");
		return 2;
	}
	marker = argv[1];
	timeout = atoi(argv[2]);
	if (pipe(fds) < 0)
		return 2;
	t0 = now_ms();
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		alarm((unsigned int)timeout);
		execvp(argv[3], argv + 3);
		perror("exec");
		_exit(127);
	}
	close(fds[1]);
	in = fdopen(fds[0], "r");
	while (fgets(line + len, (int)(sizeof(line) - len), in)) {
		if (first < 0 && strstr(line, marker))
			first = now_ms() - t0;
		fputs(line, stderr);
	}
	waitpid(pid, &status, 0);
	end = now_ms() - t0;
	printf("first_ms=%.2f exit_ms=%.2f status=%d\n", first, end,
	       WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status));
	return first < 0;
}
