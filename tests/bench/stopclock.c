/*
 * stopclock: time a VMM that never exits by itself (Xen dom0less keeps
 * running once its guests are gone) from its start to console lines.
 *
 *   stopclock TIMEOUT_S MARKER... -- cmd args...
 *
 * Runs cmd with stdin from /dev/null and its stdout read line by line;
 * notes when a line first contains each MARKER. It stops cmd (SIGTERM,
 * then SIGKILL after 2 s; only that child) once the goal, the last MARKER
 * not written "!TEXT", has been seen, or 0.3 s after a "!TEXT" one (a
 * failure, such as Xen's panic: the lines after it give the reason), or
 * after TIMEOUT_S, or when cmd exits. Then it prints one line: each
 * marker's time in ms, -1 for one never seen. cmd's output goes to
 * stderr. Exit status 0 if the goal was seen.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_MARKERS 8

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static pid_t start(char **argv, int *out)
{
	int fds[2];
	pid_t pid;

	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[0], argv);
		perror("exec");
		_exit(127);
	}
	close(fds[1]);
	*out = fds[0];
	return pid;
}

static void stop(pid_t pid)
{
	int status;

	kill(pid, SIGTERM);
	for (int i = 0; i < 200; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

int main(int argc, char **argv)
{
	double t0, seen[MAX_MARKERS], deadline;
	bool failed = false;
	char buf[8192];
	size_t len = 0;
	int nm = 0, goal = -1, fd, i;
	pid_t pid;

	if (argc < 5)
		goto usage;
	deadline = atof(argv[1]) * 1e3;
	for (i = 2; i < argc && strcmp(argv[i], "--"); i++) {
		if (nm == MAX_MARKERS)
			goto usage;
		if (argv[i][0] != '!')
			goal = nm;
		seen[nm++] = -1;
	}
	if (i >= argc - 1 || goal < 0)
		goto usage;
	t0 = now_ms();
	pid = start(argv + i + 1, &fd);
	if (pid < 0)
		return 2;
	while (seen[goal] < 0 && now_ms() - t0 < deadline) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		char *nl;
		ssize_t n;

		if (poll(&p, 1, 50) <= 0)
			continue;
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			break;	/* cmd exited */
		len += (size_t)n;
		buf[len] = '\0';
		/* Whole lines only; a line longer than the buffer is cut. */
		while ((nl = strchr(buf, '\n')) || len == sizeof(buf) - 1) {
			size_t l = nl ? (size_t)(nl - buf) + 1 : len;
			double t = now_ms() - t0;

			if (nl)
				*nl = '\0';
			for (int m = 0; m < nm; m++) {
				const char *mk = argv[2 + m];
				bool bad = mk[0] == '!';

				if (seen[m] < 0 && strstr(buf, mk + bad)) {
					seen[m] = t;
					/* A few lines more: the reason. */
					if (bad && !failed)
						deadline = t + 300;
					failed |= bad;
				}
			}
			fprintf(stderr, "%s\n", buf);
			memmove(buf, buf + l, len - l);
			len -= l;
			buf[len] = '\0';
		}
	}
	stop(pid);
	for (int m = 0; m < nm; m++)
		printf("%s%.2f", m ? " " : "", seen[m]);
	printf("\n");
	return seen[goal] < 0;
usage:
	fprintf(stderr, "usage: stopclock TIMEOUT_S MARKER... -- cmd...\n");
	return 2;
}
