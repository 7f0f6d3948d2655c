/*
 * xen-bootmark: the dom0 side of `make bench` on Xen. Built static on the
 * host and run in the Linux dom0 (tests/bench/xen-dom0.sh) for a domain
 * that `xl create -p` built and left paused:
 *
 *   xen-bootmark DOMID TTY TIMEOUT_S
 *
 * 1. Marks Xen's console log, then at once unpauses DOMID (domctl). The
 *    mark is Xen's own one-line answer to debug key 'G' ("(XEN) 'G'
 *    pressed -> guest|host log level adjustments enabled": it only
 *    switches which level the '+'/'-' keys change), so Xen timestamps it
 *    with the same clock (console_timestamps=boot) as the guest's port
 *    0xe9 lines "(dN) ...".
 * 2. Reads the guest's PV console from TTY (the pty xenconsoled feeds)
 *    and marks Xen's log again as soon as the first whole line is in:
 *    a PV guest's first line, in Xen's clock (it includes the relay:
 *    ring, event, xenconsoled, pty, this process).
 * 3. Keeps reading until the pty closes (the domain is gone) or
 *    TIMEOUT_S, then prints what it saw, in dom0's clock, on stdout.
 *
 * Hypercalls go through /dev/xen/privcmd with buffers locked in memory.
 */
#define __XEN_TOOLS__ 1
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>
#include <xen/sys/privcmd.h>

static int privcmd = -1;
static struct xen_sysctl sysctl_buf __attribute__((aligned(4096)));
static struct xen_domctl domctl_buf __attribute__((aligned(4096)));
static char mark_key = 'G';

static long hypercall2(unsigned long op, void *arg)
{
	privcmd_hypercall_t h = { .op = op, .arg = { (uintptr_t)arg } };

	return ioctl(privcmd, IOCTL_PRIVCMD_HYPERCALL, &h);
}

static int mark(void)
{
	memset(&sysctl_buf, 0, sizeof(sysctl_buf));
	sysctl_buf.cmd = XEN_SYSCTL_debug_keys;
	sysctl_buf.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	set_xen_guest_handle(sysctl_buf.u.debug_keys.keys, &mark_key);
	sysctl_buf.u.debug_keys.nr_keys = 1;
	return hypercall2(__HYPERVISOR_sysctl, &sysctl_buf) < 0 ? -errno : 0;
}

static int unpause(domid_t domid)
{
	memset(&domctl_buf, 0, sizeof(domctl_buf));
	domctl_buf.cmd = XEN_DOMCTL_unpausedomain;
	domctl_buf.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	domctl_buf.domain = domid;
	return hypercall2(__HYPERVISOR_domctl, &domctl_buf) < 0 ? -errno : 0;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
	char first[200] = "", buf[512];
	size_t flen = 0;
	double t0, tline = -1, deadline;
	unsigned long total = 0;
	int fd, rc, got_line = 0;
	struct termios tio;
	domid_t domid;

	if (argc != 4) {
		fprintf(stderr, "usage: xen-bootmark DOMID TTY TIMEOUT_S\n");
		return 2;
	}
	domid = (domid_t)strtoul(argv[1], NULL, 0);
	privcmd = open("/dev/xen/privcmd", O_RDWR);
	if (privcmd < 0) {
		perror("xen-bootmark: /dev/xen/privcmd");
		return 1;
	}
	fd = open(argv[2], O_RDONLY | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		perror(argv[2]);
		return 1;
	}
	if (tcgetattr(fd, &tio) == 0) {
		cfmakeraw(&tio);
		tcsetattr(fd, TCSANOW, &tio);
	}
	/* Xen reads the buffers with the process's page tables: they must
	 * be present when it does. */
	if (mlockall(MCL_CURRENT | MCL_FUTURE) < 0)
		perror("xen-bootmark: mlockall (going on)");

	t0 = now_us();
	rc = mark();
	if (rc == 0)
		rc = unpause(domid);
	if (rc < 0) {
		fprintf(stderr, "xen-bootmark: mark/unpause d%u: %s\n", domid,
			strerror(-rc));
		return 1;
	}
	deadline = t0 + atof(argv[3]) * 1e6;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		double left = deadline - now_us();
		ssize_t n;

		if (left <= 0)
			break;
		if (poll(&p, 1, (int)(left / 1000) + 1) <= 0)
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EAGAIN)
			continue;
		if (n <= 0)
			break; /* EIO: xenconsoled closed the pty (domain gone) */
		total += (unsigned long)n;
		if (got_line)
			continue;
		for (ssize_t i = 0; i < n && !got_line; i++) {
			if (buf[i] == '\n') {
				mark();
				tline = now_us();
				got_line = 1;
			} else if (buf[i] != '\r' && flen < sizeof(first) - 1) {
				first[flen++] = buf[i];
			}
		}
	}
	first[flen] = '\0';
	if (got_line)
		printf("bootmark: d%u first console line %.0f us after unpause "
		       "(dom0 clock): %s\n", domid, tline - t0, first);
	else
		printf("bootmark: d%u no console line\n", domid);
	printf("bootmark: d%u console bytes %lu, read for %.0f us\n", domid,
	       total, now_us() - t0);
	return 0;
}
