/*
 * The test runner. Every test runs in a forked child that reports its
 * verdict through a pipe; the parent prints one line per test and the
 * totals. A child that crashes, trips a sanitizer or hangs fails its test.
 *
 * Usage: unit [-n] [name-substring...]
 *   -n   no summary line (run.sh adds up several binaries itself)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "unit.h"

#define TEST_TIMEOUT_S 30
#define MSG_MAX 600

static struct unit_test *tests;
static unsigned int ntests;

/* State of the test running in this (child) process. */
static jmp_buf test_jmp;
static int verdict_fd = -1;
static char first_failure[MSG_MAX + 64];
static unsigned int nfailures;
static bool skipped;
static const struct unit_test *running;

jmp_buf unit_panic_jmp;
volatile int unit_panic_armed;
char unit_panic_msg[512];

void unit_register(struct unit_test *t)
{
	t->next = tests;
	tests = t;
	ntests++;
}

static void vrecord(const char *file, int line, const char *fmt, va_list ap)
{
	char what[MSG_MAX];

	vsnprintf(what, sizeof(what), fmt, ap);
	if (nfailures++ == 0)
		snprintf(first_failure, sizeof(first_failure), "%s:%d: %s",
			 file, line, what);
	else
		fprintf(stderr, "  %s: also %s:%d: %s\n",
			running ? running->name : "?", file, line, what);
}

void unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vrecord(file, line, fmt, ap);
	va_end(ap);
}

void unit_abort(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vrecord(file, line, fmt, ap);
	va_end(ap);
	unit_panic_armed = 0;
	longjmp(test_jmp, 1);
}

void unit_skip(const char *file, int line, const char *reason)
{
	snprintf(first_failure, sizeof(first_failure), "%s:%d: %s", file, line,
		 reason);
	skipped = true;
	longjmp(test_jmp, 1);
}

bool unit_check(const char *file, int line, bool ok, const char *expr)
{
	if (!ok)
		unit_fail(file, line, "check failed: %s", expr);
	return ok;
}

bool unit_check_eq(const char *file, int line, const char *got_expr,
		   const char *want_expr, unsigned long long got,
		   unsigned long long want)
{
	if (got == want)
		return true;
	unit_fail(file, line, "%s is %lld (%#llx), expected %s = %lld (%#llx)",
		  got_expr, (long long)got, got, want_expr, (long long)want,
		  want);
	return false;
}

/* Quote @s for a message: escapes, and at most 120 characters of it. */
static void quote(char *out, size_t size, const char *s)
{
	size_t o = 0;

	if (!s) {
		snprintf(out, size, "NULL");
		return;
	}
	out[o++] = '"';
	for (size_t i = 0; s[i] && o + 8 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i == 120) {
			o += (size_t)snprintf(out + o, size - o, "...");
			break;
		}
		if (c == '"' || c == '\\')
			o += (size_t)snprintf(out + o, size - o, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
		else
			out[o++] = (char)c;
	}
	out[o++] = '"';
	out[o] = '\0';
}

bool unit_check_str(const char *file, int line, const char *got_expr,
		    const char *want_expr, const char *got, const char *want)
{
	char g[200], w[200];

	if (got == want || (got && want && strcmp(got, want) == 0))
		return true;
	quote(g, sizeof(g), got);
	quote(w, sizeof(w), want);
	unit_fail(file, line, "%s is %s, expected %s = %s", got_expr, g,
		  want_expr, w);
	return false;
}

bool unit_check_contains(const char *file, int line, const char *hay_expr,
			 const char *hay, const char *needle)
{
	char h[200], n[200];

	if (hay && needle && strstr(hay, needle))
		return true;
	quote(h, sizeof(h), hay);
	quote(n, sizeof(n), needle);
	unit_fail(file, line, "%s is %s, which does not contain %s", hay_expr,
		  h, n);
	return false;
}

/* In the child: run @t, send "P", "F<message>" or "S<reason>", exit. */
static void __attribute__((noreturn)) child_run(const struct unit_test *t)
{
	char msg[MSG_MAX + 128];
	int n;

	running = t;
	alarm(TEST_TIMEOUT_S);
	if (setjmp(test_jmp) == 0)
		t->fn();
	if (skipped)
		n = snprintf(msg, sizeof(msg), "S%s", first_failure);
	else if (nfailures > 1)
		n = snprintf(msg, sizeof(msg), "F%s (and %u more failures)",
			     first_failure, nfailures - 1);
	else if (nfailures)
		n = snprintf(msg, sizeof(msg), "F%s", first_failure);
	else
		n = snprintf(msg, sizeof(msg), "P");
	if (n > (int)sizeof(msg) - 1)
		n = (int)sizeof(msg) - 1;
	if (write(verdict_fd, msg, (size_t)n) != n)
		_exit(3);
	_exit(0);
}

enum result { R_PASS, R_FAIL, R_SKIP };

static enum result run_one(const struct unit_test *t)
{
	char msg[MSG_MAX + 128];
	size_t len = 0;
	int fds[2], status;
	pid_t pid;
	ssize_t r;

	fflush(stdout);
	fflush(stderr);
	if (pipe(fds) < 0) {
		printf("FAIL %s: %s:%d: pipe: %s\n", t->name, t->file, t->line,
		       strerror(errno));
		return R_FAIL;
	}
	pid = fork();
	if (pid < 0) {
		printf("FAIL %s: %s:%d: fork: %s\n", t->name, t->file, t->line,
		       strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return R_FAIL;
	}
	if (pid == 0) {
		close(fds[0]);
		verdict_fd = fds[1];
		child_run(t);
	}
	close(fds[1]);
	while (len < sizeof(msg) - 1 &&
	       (r = read(fds[0], msg + len, sizeof(msg) - 1 - len)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		len += (size_t)r;
	}
	msg[len] = '\0';
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;

	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);

		printf("FAIL %s: %s:%d: %s (signal %d)%s%s\n", t->name,
		       t->file, t->line,
		       sig == SIGALRM ? "timed out" : strsignal(sig), sig,
		       len > 1 ? "; first failure: " : "",
		       len > 1 ? msg + 1 : "");
		return R_FAIL;
	}
	if (WEXITSTATUS(status) != 0 || len == 0) {
		printf("FAIL %s: %s:%d: test process exited with status %d "
		       "(sanitizer report above?)\n",
		       t->name, t->file, t->line, WEXITSTATUS(status));
		return R_FAIL;
	}
	if (msg[0] == 'P') {
		printf("PASS %s\n", t->name);
		return R_PASS;
	}
	if (msg[0] == 'S') {
		printf("SKIP %s: %s\n", t->name, msg + 1);
		return R_SKIP;
	}
	printf("FAIL %s: %s\n", t->name, msg + 1);
	return R_FAIL;
}

static int by_place(const void *a, const void *b)
{
	const struct unit_test *x = *(const struct unit_test *const *)a;
	const struct unit_test *y = *(const struct unit_test *const *)b;
	int c = strcmp(x->file, y->file);

	return c ? c : x->line - y->line;
}

static bool selected(const struct unit_test *t, int argc, char **argv)
{
	bool any = false;

	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			continue;
		any = true;
		if (strstr(t->name, argv[i]))
			return true;
	}
	return !any;
}

int main(int argc, char **argv)
{
	struct unit_test **list = calloc(ntests ? ntests : 1, sizeof(*list));
	unsigned int n = 0, counts[3] = { 0, 0, 0 };
	bool summary = true;

	if (!list) {
		fprintf(stderr, "unit: out of memory\n");
		return 2;
	}
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-n") == 0)
			summary = false;
	for (struct unit_test *t = tests; t; t = t->next)
		list[n++] = t;
	qsort(list, n, sizeof(*list), by_place);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (unsigned int i = 0; i < n; i++)
		if (selected(list[i], argc, argv))
			counts[run_one(list[i])]++;
	if (summary)
		printf("%u passed, %u failed, %u skipped\n", counts[R_PASS],
		       counts[R_FAIL], counts[R_SKIP]);
	free(list);
	return counts[R_FAIL] ? 1 : 0;
}
