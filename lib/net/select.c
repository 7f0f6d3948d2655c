/*
 * select() as a poll() over the descriptors in the three sets. The
 * exception set never reports anything (there is no out-of-band data);
 * its descriptors are still checked for validity.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/select.h>
#include <poll.h>
#include <mica/fd.h>

int select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *tv)
{
	struct pollfd *pfd;
	int n = 0, ready = 0, rc, timeout_ms = -1;

	/* The sets hold FD_SETSIZE bits (newlib's 64): no more to look at. */
	if (nfds < 0 || nfds > FD_SETSIZE || nfds > FD_MAX ||
	    (tv && (tv->tv_sec < 0 || tv->tv_usec < 0 ||
		    tv->tv_usec >= 1000000))) {
		errno = EINVAL;
		return -1;
	}
	if (tv) {
		/* Round up: never wake before the time asked for. */
		long long ms = (long long)tv->tv_sec * 1000 +
			       (tv->tv_usec + 999) / 1000;

		timeout_ms = ms > 0x7fffffff ? 0x7fffffff : (int)ms;
	}
	pfd = malloc((size_t)(nfds ? nfds : 1) * sizeof(*pfd));
	if (!pfd) {
		errno = ENOMEM;
		return -1;
	}
	for (int fd = 0; fd < nfds; fd++) {
		short ev = 0;

		if (rd && FD_ISSET(fd, rd))
			ev |= POLLIN;
		if (wr && FD_ISSET(fd, wr))
			ev |= POLLOUT;
		if (!ev && !(ex && FD_ISSET(fd, ex)))
			continue;
		pfd[n].fd = fd;
		pfd[n].events = ev;
		n++;
	}
	rc = poll(pfd, (nfds_t)n, timeout_ms);
	if (rc >= 0) {
		for (int i = 0; i < n; i++)
			if (pfd[i].revents & POLLNVAL) {
				errno = EBADF;
				rc = -1;
			}
	}
	if (rc >= 0) {
		for (int i = 0; i < n; i++) {
			int fd = pfd[i].fd;
			short r = pfd[i].revents;

			/* An error or hang-up makes a descriptor readable
			 * and writable (the call then reports it). */
			if (rd && FD_ISSET(fd, rd)) {
				if (r & (POLLIN | POLLERR | POLLHUP))
					ready++;
				else
					FD_CLR(fd, rd);
			}
			if (wr && FD_ISSET(fd, wr)) {
				if (r & (POLLOUT | POLLERR | POLLHUP))
					ready++;
				else
					FD_CLR(fd, wr);
			}
			if (ex)
				FD_CLR(fd, ex);
		}
		rc = ready;
	}
	free(pfd);
	return rc;
}
