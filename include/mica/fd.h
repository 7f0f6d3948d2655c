/*
 * File descriptors: one numbering shared by read, write, close, fstat,
 * fcntl, poll and select. 0-2 are always the console (lib/syscalls.c
 * serves them directly); 3 and up are entries in this table, each an
 * object (so far: a socket) behind a small set of operations. The table
 * exists in apps that link the network stack (CONFIG_NET).
 */
#ifndef MICA_FD_H
#define MICA_FD_H

#include <sys/types.h>

#define FD_MAX 256		/* descriptors 0..FD_MAX-1 */
#define FD_FIRST 3		/* first table entry; below it, the console */

struct fd_ops {
	const char *kind;
	ssize_t (*read)(int handle, void *buf, size_t len);
	ssize_t (*write)(int handle, const void *buf, size_t len);
	int (*close)(int handle);
	unsigned int mode;	/* st_mode that fstat reports (S_IFSOCK...) */
};

struct fd_entry {
	const struct fd_ops *ops;	/* NULL: free */
	int handle;			/* the object's own number */
	int status_flags;		/* O_NONBLOCK, as fcntl F_GETFL says */
};

/* The lowest free descriptor, now naming (@ops, @handle); -1 with errno
 * EMFILE when the table is full. */
int fd_install(const struct fd_ops *ops, int handle);
/* The entry of an open descriptor >= FD_FIRST, or NULL with errno EBADF. */
struct fd_entry *fd_get(int fd);

/* For lib/syscalls.c: descriptors >= FD_FIRST. */
ssize_t fd_read(int fd, void *buf, size_t len);
ssize_t fd_write(int fd, const void *buf, size_t len);
int fd_close(int fd);
int fd_mode(int fd, unsigned int *mode);

#endif
