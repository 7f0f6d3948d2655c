/*
 * stdincheck: console input through the POSIX calls an app would use.
 * Waits for fd 0 with poll() (nothing may be there before input is
 * sent), reads a line with read(), then expects Ctrl-D (0x04) to read
 * as end of file, and the descriptor to stay usable after it. Prints a
 * line per check and a PASS/FAIL verdict; exit status 0 or 1.
 *
 * Arguments: wait=SECONDS (how long to wait for input, default 10)
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char *what)
{
	printf("stdincheck: %s %s\n", ok ? "ok  " : "FAIL", what);
	if (!ok)
		failures++;
}

/* Reads until a newline; returns the length, -1 on end of file first. */
static int read_line(char *buf, size_t size)
{
	size_t n = 0;

	while (n + 1 < size) {
		ssize_t r = read(0, buf + n, size - 1 - n);

		if (r <= 0)
			return n ? (int)n : -1;
		n += (size_t)r;
		if (buf[n - 1] == '\n')
			break;
	}
	buf[n] = '\0';
	return (int)n;
}

int main(int argc, char **argv)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };
	int wait_s = 10, n;
	char line[128];

	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], "wait=", 5) == 0)
			wait_s = atoi(argv[i] + 5);
	/* The harness sends input only after this line. */
	check(poll(&p, 1, 0) == 0, "poll: nothing on fd 0 before input");
	puts("stdincheck: ready for input");
	fflush(stdout);
	n = poll(&p, 1, wait_s * 1000);
	check(n == 1 && (p.revents & POLLIN), "poll: fd 0 readable");
	n = read_line(line, sizeof(line));
	if (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	printf("stdincheck: read %d bytes: '%s'\n", n, n > 0 ? line : "");
	check(n > 0, "read: a line from the console");
	n = (int)read(0, line, sizeof(line));
	check(n == 0, "read: Ctrl-D is end of file");
	printf("stdincheck: %s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
