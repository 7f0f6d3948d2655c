/*
 * poll() over Mica descriptors. Console output is always ready; console
 * input (fd 0) when a byte has arrived, or always when no console can
 * read (end of file). Sockets are handed to lwIP's poll, which sleeps
 * until one is ready, as a copy of the array whose descriptors are
 * renumbered to lwIP's socket numbers. Console input raises no event, so
 * a wait that includes fd 0 is cut into slices of STDIN_SLICE_MS with a
 * look at the consoles between them.
 */
#include <errno.h>
#include <stdlib.h>
#include <mica/console.h>
#include <mica/fd.h>
#include <mica/sched.h>
#include <mica/time.h>
#include "lwip/sockets.h"
#include "port.h"

#define POLL_STACK_FDS 16
#define STDIN_SLICE_MS 2

static short console_revents(int fd, short events)
{
	short ready = POLLOUT | POLLWRNORM;

	if (fd == 0)
		ready = (!console_has_input() || console_input_ready())
				? (POLLIN | POLLRDNORM)
				: 0;
	return events & ready;
}

/* lwIP watches POLLIN and POLLOUT; the *NORM names mean the same here. */
static short to_lwip(short events)
{
	short e = events & (POLLIN | POLLOUT);

	if (events & POLLRDNORM)
		e |= POLLIN;
	if (events & POLLWRNORM)
		e |= POLLOUT;
	return e;
}

static short from_lwip(short revents, short events)
{
	short r = revents & (POLLIN | POLLOUT | POLLERR | POLLHUP | POLLNVAL);

	if (revents & POLLIN)
		r |= POLLRDNORM;
	if (revents & POLLOUT)
		r |= POLLWRNORM;
	/* Report only what was asked for, and always the error bits. */
	return r & (events | POLLERR | POLLHUP | POLLNVAL);
}

static void sleep_ms(int timeout_ms)
{
	if (timeout_ms < 0)
		thread_sleep_until(UINT64_MAX);
	else
		thread_sleep_ns((uint64_t)timeout_ms * NSEC_PER_MSEC);
}

static int poll_once(struct pollfd *fds, nfds_t nfds, int timeout_ms)
{
	struct pollfd stack_set[POLL_STACK_FDS], *set = stack_set;
	nfds_t *index = NULL, stack_index[POLL_STACK_FDS];
	nfds_t nsock = 0;
	int ready = 0, n;

	if (nfds > FD_MAX * 4) {
		errno = EINVAL;
		return -1;
	}
	if (nfds > POLL_STACK_FDS) {
		set = malloc(nfds * sizeof(*set));
		index = malloc(nfds * sizeof(*index));
		if (!set || !index) {
			free(set);
			free(index);
			errno = ENOMEM;
			return -1;
		}
	} else {
		index = stack_index;
	}

	/* The console and bad descriptors answer now; sockets go to lwIP. */
	for (nfds_t i = 0; i < nfds; i++) {
		struct pollfd *p = &fds[i];
		struct fd_entry *e;

		p->revents = 0;
		if (p->fd < 0)
			continue;
		if (p->fd < FD_FIRST) {
			p->revents = console_revents(p->fd, p->events);
		} else if (!(e = fd_get(p->fd)) ||
			   e->ops != &mica_socket_fd_ops) {
			p->revents = POLLNVAL;
		} else {
			set[nsock].fd = e->handle;
			set[nsock].events = to_lwip(p->events);
			set[nsock].revents = 0;
			index[nsock++] = i;
		}
		if (p->revents)
			ready++;
	}

	if (nsock == 0) {
		if (!ready && timeout_ms != 0)
			sleep_ms(timeout_ms);
		n = 0;
	} else {
		/* Something is ready already: only look at the sockets. */
		n = lwip_poll(set, nsock, ready ? 0 : timeout_ms);
	}
	if (n < 0) {
		/* A socket was closed by another thread while we waited. */
		errno = EBADF;
		ready = -1;
	} else {
		for (nfds_t k = 0; k < nsock; k++) {
			struct pollfd *p = &fds[index[k]];

			p->revents = from_lwip(set[k].revents, p->events);
			if (p->revents)
				ready++;
		}
	}
	if (set != stack_set) {
		free(set);
		free(index);
	}
	/* Nothing ready and no wait: let the stack run before the caller
	 * asks again (see yield_if_busy in socket.c). */
	if (ready == 0 && timeout_ms == 0)
		thread_yield();
	return ready;
}

/* Does the set wait on console input that has not arrived? */
static bool waits_on_stdin(const struct pollfd *fds, nfds_t nfds)
{
	for (nfds_t i = 0; i < nfds; i++)
		if (fds[i].fd == 0 && (fds[i].events & (POLLIN | POLLRDNORM)))
			return console_has_input();
	return false;
}

int poll(struct pollfd *fds, nfds_t nfds, int timeout_ms)
{
	uint64_t until;
	int n;

	if (timeout_ms == 0 || !waits_on_stdin(fds, nfds))
		return poll_once(fds, nfds, timeout_ms);
	until = timeout_ms < 0 ? UINT64_MAX
			       : monotonic_ns() +
					 (uint64_t)timeout_ms * NSEC_PER_MSEC;
	for (;;) {
		uint64_t now = monotonic_ns();
		int slice = STDIN_SLICE_MS;

		/* The last slice rounded up: a 0 ms slice would spin. */
		if (until != UINT64_MAX && until - now < (uint64_t)slice *
							     NSEC_PER_MSEC)
			slice = (int)((until - now + NSEC_PER_MSEC - 1) /
				      NSEC_PER_MSEC);
		n = poll_once(fds, nfds, slice);
		if (n != 0 || monotonic_ns() >= until)
			return n;
	}
}
