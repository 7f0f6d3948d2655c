/*
 * POSIX socket calls (include/posix/sys/socket.h) over lwIP's socket API.
 * A socket is an lwIP socket number behind a Mica descriptor
 * (include/mica/fd.h), so read, write, close, fstat, poll and select
 * treat it like any other descriptor. Addresses, options and flags have
 * lwIP's layout and values (lib/net/abi.h), so they pass through as is.
 *
 * This file sees lwIP's declarations of the socket types, not Mica's
 * POSIX headers (the two define the same structures); lib/net/abi.h is
 * what keeps them equal.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <mica/fd.h>
#include <mica/sched.h>
#include "lwip/sockets.h"
#include "port.h"

/*
 * A call that would block on a non-blocking socket returns at once, but
 * lets the other threads run first: threads are cooperative, and a loop
 * retrying the call would otherwise keep the stack thread from ever
 * delivering what it waits for.
 */
static ssize_t yield_if_busy(ssize_t rc)
{
	if (rc < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		       errno == EINPROGRESS || errno == EALREADY))
		thread_yield();
	return rc;
}

static ssize_t sock_read(int s, void *buf, size_t len)
{
	return yield_if_busy(lwip_read(s, buf, len));
}

static ssize_t sock_write(int s, const void *buf, size_t len)
{
	return yield_if_busy(lwip_write(s, buf, len));
}

static int sock_close(int s)
{
	return lwip_close(s);
}

const struct fd_ops mica_socket_fd_ops = {
	.kind = "socket",
	.read = sock_read,
	.write = sock_write,
	.close = sock_close,
	.mode = S_IFSOCK,
};

/* The lwIP socket behind descriptor @fd; -1 with errno EBADF or ENOTSOCK. */
static int sock_of(int fd)
{
	struct fd_entry *e;

	if (fd >= 0 && fd < FD_FIRST) {
		errno = ENOTSOCK;
		return -1;
	}
	e = fd_get(fd);
	if (!e)
		return -1;
	if (e->ops != &mica_socket_fd_ops) {
		errno = ENOTSOCK;
		return -1;
	}
	return e->handle;
}

/* A descriptor for the new lwIP socket @s (closed again if none is free). */
static int install(int s)
{
	int fd;

	if (s < 0)
		return -1;
	fd = fd_install(&mica_socket_fd_ops, s);
	if (fd < 0)
		lwip_close(s); /* errno stays EMFILE */
	return fd;
}

int socket(int domain, int type, int protocol)
{
	/* lwIP would make an IPv4 socket of any family: refuse the rest. */
	if (domain != AF_INET) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	return install(lwip_socket(domain, type, protocol));
}

int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	int s = sock_of(fd);

	if (s < 0)
		return -1;
	return install((int)yield_if_busy(lwip_accept(s, addr, len)));
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	int s = sock_of(fd);

	return s < 0 ? -1 : lwip_bind(s, addr, len);
}

int listen(int fd, int backlog)
{
	int s = sock_of(fd);

	return s < 0 ? -1 : lwip_listen(s, backlog);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	int s = sock_of(fd);

	if (s < 0)
		return -1;
	if (lwip_connect(s, addr, len) == 0)
		return 0;
	/* lwIP reports the peer's RST to a SYN as a reset connection;
	 * POSIX calls that a refused one. */
	if (errno == ECONNRESET)
		errno = ECONNREFUSED;
	return (int)yield_if_busy(-1);
}

int shutdown(int fd, int how)
{
	int s = sock_of(fd);

	return s < 0 ? -1 : lwip_shutdown(s, how);
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	int s = sock_of(fd);

	return s < 0 ? -1 : lwip_getsockname(s, addr, len);
}

int getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
	int s = sock_of(fd);

	return s < 0 ? -1 : lwip_getpeername(s, addr, len);
}

int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	int s = sock_of(fd);

	return s < 0 ? -1 : lwip_getsockopt(s, level, name, val, len);
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	int s = sock_of(fd);

	return s < 0 ? -1 : lwip_setsockopt(s, level, name, val, len);
}

/*
 * lwIP ignores MSG_WAITALL; for a stream socket it is a loop until the
 * buffer is full, the peer closes or an error (which is reported only if
 * nothing arrived before it).
 */
static ssize_t recv_all(int s, char *buf, size_t len, int flags)
{
	size_t got = 0;

	flags &= ~MSG_WAITALL;
	while (got < len) {
		ssize_t n = lwip_recv(s, buf + got, len - got, flags);

		if (n < 0)
			return got ? (ssize_t)got : -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	int s = sock_of(fd);
	int type;
	socklen_t tlen = sizeof(type);

	if (s < 0)
		return -1;
	if ((flags & MSG_WAITALL) && !(flags & (MSG_PEEK | MSG_DONTWAIT)) &&
	    lwip_getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &tlen) == 0 &&
	    type == SOCK_STREAM)
		return recv_all(s, buf, len, flags);
	return yield_if_busy(lwip_recv(s, buf, len, flags & ~MSG_WAITALL));
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags,
		 struct sockaddr *from, socklen_t *fromlen)
{
	int s = sock_of(fd);

	return s < 0 ? -1
		     : yield_if_busy(lwip_recvfrom(s, buf, len, flags, from,
						   fromlen));
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	int s = sock_of(fd);

	return s < 0 ? -1 : yield_if_busy(lwip_send(s, buf, len, flags));
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *to, socklen_t tolen)
{
	int s = sock_of(fd);

	if (s < 0)
		return -1;
	return yield_if_busy(lwip_sendto(s, buf, len, flags, to, tolen));
}

/* O_NONBLOCK (newlib's value) goes to lwIP as FIONBIO. */
static int set_nonblocking(struct fd_entry *e, int on)
{
	if (lwip_ioctl(e->handle, FIONBIO, &on) < 0)
		return -1;
	e->status_flags = on ? O_NONBLOCK : 0;
	return 0;
}

/*
 * F_GETFL/F_SETFL (O_NONBLOCK) and F_GETFD/F_SETFD (accepted: there is
 * no exec) on sockets and the console.
 */
int fcntl(int fd, int cmd, ...)
{
	struct fd_entry *e = NULL;
	va_list ap;
	int arg;

	va_start(ap, cmd);
	arg = cmd == F_SETFL || cmd == F_SETFD ? va_arg(ap, int) : 0;
	va_end(ap);
	if (fd < 0 || fd >= FD_FIRST) {
		e = fd_get(fd);
		if (!e)
			return -1;
	}
	switch (cmd) {
	case F_GETFL:
		if (!e)
			return fd == 0 ? O_RDONLY : O_WRONLY;
		return O_RDWR | e->status_flags;
	case F_SETFL:
		if (!e)
			return 0;
		return set_nonblocking(e, (arg & O_NONBLOCK) != 0);
	case F_GETFD:
		return 0;
	case F_SETFD:
		return 0;
	default:
		errno = EINVAL;
		return -1;
	}
}

/* FIONBIO and FIONREAD on sockets. */
int ioctl(int fd, unsigned long request, ...)
{
	int s = sock_of(fd);
	va_list ap;
	void *argp;

	va_start(ap, request);
	argp = va_arg(ap, void *);
	va_end(ap);
	if (s < 0)
		return -1;
	if (request == (unsigned long)FIONBIO)
		return set_nonblocking(fd_get(fd), *(int *)argp != 0);
	if (request == (unsigned long)FIONREAD)
		return lwip_ioctl(s, FIONREAD, argp);
	errno = ENOTTY;
	return -1;
}
