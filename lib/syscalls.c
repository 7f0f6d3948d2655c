/*
 * The system calls newlib expects (built with
 * --disable-newlib-supplied-syscalls). File descriptors 0-2 are the
 * console; with the network stack (CONFIG_NET) higher ones are looked up
 * in the descriptor table (include/mica/fd.h), where sockets live.
 * Everything Mica does not offer fails with ENOSYS or EBADF.
 */
#include <errno.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <mica/console.h>
#include <mica/sched.h>
#include <mica/time.h>
#ifdef CONFIG_NET
#include <mica/fd.h>
#endif

#define set_errno(e) (*__errno() = (e))

static int is_console(int fd)
{
	return fd >= 0 && fd <= 2;
}

/*
 * fd 0: what the consoles have, waiting (polling every STDIN_POLL_NS)
 * until there is at least a byte, as a terminal read does. End of file
 * when no console can read, or on Ctrl-D (0x04) at the start of a read,
 * which is consumed.
 */
#define STDIN_POLL_NS (2 * NSEC_PER_MSEC)

static size_t console_stdin_read(char *buf, size_t len)
{
	size_t n;

	if (len == 0)
		return 0;
	/* A console may go away while we wait (a broken virtio console
	 * unregisters itself): then it is end of file. */
	while ((n = console_read(buf, 1)) == 0) {
		if (!console_has_input())
			return 0;
		thread_sleep_ns(STDIN_POLL_NS);
	}
	if (buf[0] == 0x04)
		return 0;
	/* More that has arrived, up to a newline or a Ctrl-D (left for the
	 * next read). */
	while (n < len && buf[n - 1] != '\n' && console_input_peek() != 0x04 &&
	       console_read(buf + n, 1) == 1)
		n++;
	return n;
}

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t len)
{
#ifdef CONFIG_NET
	if (!is_console(fd))
		return fd_write(fd, buf, len);
#endif
	if (fd != 1 && fd != 2) {
		set_errno(EBADF);
		return -1;
	}
	console_write(buf, len);
	return (int)len;
}

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t len)
{
#ifdef CONFIG_NET
	if (!is_console(fd))
		return fd_read(fd, buf, len);
#endif
	if (fd != 0) {
		set_errno(EBADF);
		return -1;
	}
	return (int)console_stdin_read(buf, len);
}

int close(int fd)
{
	if (is_console(fd))
		return 0;
#ifdef CONFIG_NET
	return fd_close(fd);
#else
	set_errno(EBADF);
	return -1;
#endif
}

int fstat(int fd, struct stat *st)
{
#ifdef CONFIG_NET
	unsigned int mode;

	if (!is_console(fd)) {
		if (fd_mode(fd, &mode) < 0)
			return -1;
		memset(st, 0, sizeof(*st));
		st->st_mode = mode;
		return 0;
	}
#endif
	if (!is_console(fd)) {
		set_errno(EBADF);
		return -1;
	}
	st->st_mode = S_IFCHR;
	st->st_blksize = 0;
	return 0;
}

int isatty(int fd)
{
	if (is_console(fd))
		return 1;
#ifdef CONFIG_NET
	if (fd_get(fd)) {
		set_errno(ENOTTY);
		return 0;
	}
#endif
	set_errno(EBADF);
	return 0;
}

off_t lseek(int fd, off_t off, int whence)
{
	(void)off;
	(void)whence;
#ifdef CONFIG_NET
	if (fd_get(fd)) {
		set_errno(ESPIPE);
		return -1;
	}
#endif
	set_errno(is_console(fd) ? ESPIPE : EBADF);
	return -1;
}

int open(const char *path, int flags, ...)
{
	(void)path;
	(void)flags;
	set_errno(ENOSYS);
	return -1;
}

int stat(const char *path, struct stat *st)
{
	(void)path;
	(void)st;
	set_errno(ENOSYS);
	return -1;
}

int link(const char *old, const char *new)
{
	(void)old;
	(void)new;
	set_errno(ENOSYS);
	return -1;
}

int unlink(const char *path)
{
	(void)path;
	set_errno(ENOSYS);
	return -1;
}

int getpid(void)
{
	return 1;
}

int kill(int pid, int sig)
{
	(void)pid;
	(void)sig;
	set_errno(ENOSYS);
	return -1;
}

int fork(void)
{
	set_errno(ENOSYS);
	return -1;
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	(void)path;
	(void)argv;
	(void)envp;
	set_errno(ENOSYS);
	return -1;
}

int wait(int *status)
{
	(void)status;
	set_errno(ENOSYS);
	return -1;
}

void *sbrk(ptrdiff_t incr)
{
	(void)incr;
	set_errno(ENOMEM); /* the heap is Mica's own: see lib/malloc.c */
	return (void *)-1;
}

clock_t times(struct tms *t)
{
	clock_t ticks = (clock_t)(monotonic_ns() / (NSEC_PER_SEC / CLK_TCK));

	if (t) {
		t->tms_utime = ticks;
		t->tms_stime = 0;
		t->tms_cutime = 0;
		t->tms_cstime = 0;
	}
	return ticks;
}
