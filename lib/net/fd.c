/*
 * The descriptor table (include/mica/fd.h). Threads are cooperative, so
 * an entry changes only while its thread runs: no locking. A descriptor
 * leaves the table before its object is closed, so a close that blocks
 * cannot let another thread reach a half-closed object by number.
 */
#include <errno.h>
#include <mica/fd.h>

static struct fd_entry table[FD_MAX];

int fd_install(const struct fd_ops *ops, int handle)
{
	for (int fd = FD_FIRST; fd < FD_MAX; fd++) {
		if (!table[fd].ops) {
			table[fd].ops = ops;
			table[fd].handle = handle;
			table[fd].status_flags = 0;
			return fd;
		}
	}
	errno = EMFILE;
	return -1;
}

struct fd_entry *fd_get(int fd)
{
	if (fd < FD_FIRST || fd >= FD_MAX || !table[fd].ops) {
		errno = EBADF;
		return NULL;
	}
	return &table[fd];
}

ssize_t fd_read(int fd, void *buf, size_t len)
{
	struct fd_entry *e = fd_get(fd);

	return e ? e->ops->read(e->handle, buf, len) : -1;
}

ssize_t fd_write(int fd, const void *buf, size_t len)
{
	struct fd_entry *e = fd_get(fd);

	return e ? e->ops->write(e->handle, buf, len) : -1;
}

int fd_close(int fd)
{
	struct fd_entry *e = fd_get(fd);
	const struct fd_ops *ops;

	if (!e)
		return -1;
	ops = e->ops;
	e->ops = NULL;
	return ops->close(e->handle);
}

int fd_mode(int fd, unsigned int *mode)
{
	struct fd_entry *e = fd_get(fd);

	if (!e)
		return -1;
	*mode = e->ops->mode;
	return 0;
}
