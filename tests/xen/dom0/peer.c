/*
 * mica-peer: the dom0 side of the interdomain test (xentest `peer`),
 * built statically on the host and run in the test dom0 through Linux's
 * /dev/xen/evtchn and /dev/xen/gntdev.
 *
 *   mica-peer DOMID PORT GREF
 *
 * Binds to the guest's unbound port, maps its granted page and checks it
 * holds "mica-grant", writes "dom0-was-here" into it, unmaps, sends an
 * event, then waits (10 s at most) for the guest's event back. Prints one
 * line per step; exits 0 only if every step worked.
 */
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
/* Linux UAPI headers that use Xen types without defining them. */
typedef uint16_t domid_t;
typedef uint32_t grant_ref_t;
#include <xen/evtchn.h>
#include <xen/gntdev.h>

static int fail(const char *what)
{
	printf("peer: FAIL %s: %s\n", what, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	struct ioctl_evtchn_bind_interdomain bind;
	struct ioctl_evtchn_notify notify;
	struct ioctl_gntdev_map_grant_ref map;
	struct ioctl_gntdev_unmap_grant_ref unmap;
	struct pollfd pfd;
	unsigned int local, got;
	int ev, gnt, rc;
	char *page;

	if (argc != 4) {
		fprintf(stderr, "usage: mica-peer DOMID PORT GREF\n");
		return 2;
	}
	ev = open("/dev/xen/evtchn", O_RDWR);
	gnt = open("/dev/xen/gntdev", O_RDWR);
	if (ev < 0 || gnt < 0)
		return fail("open /dev/xen/evtchn or gntdev");
	bind.remote_domain = (unsigned int)atoi(argv[1]);
	bind.remote_port = (unsigned int)atoi(argv[2]);
	rc = ioctl(ev, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);
	if (rc < 0)
		return fail("bind_interdomain");
	local = (unsigned int)rc;
	printf("peer: bound to d%u port %u as local port %u\n",
	       bind.remote_domain, bind.remote_port, local);

	memset(&map, 0, sizeof(map));
	map.count = 1;
	map.refs[0].domid = bind.remote_domain;
	map.refs[0].ref = (unsigned int)atoi(argv[3]);
	if (ioctl(gnt, IOCTL_GNTDEV_MAP_GRANT_REF, &map) < 0)
		return fail("gntdev map_grant_ref");
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, gnt,
		    (off_t)map.index);
	if (page == MAP_FAILED)
		return fail("mmap of the grant");
	if (strncmp(page, "mica-grant", 10) != 0) {
		printf("peer: FAIL the granted page holds '%.16s'\n", page);
		return 1;
	}
	printf("peer: granted page holds '%.20s'\n", page);
	strcpy(page, "dom0-was-here");
	munmap(page, 4096);
	memset(&unmap, 0, sizeof(unmap));
	unmap.index = map.index;
	unmap.count = 1;
	if (ioctl(gnt, IOCTL_GNTDEV_UNMAP_GRANT_REF, &unmap) < 0)
		return fail("gntdev unmap_grant_ref");

	notify.port = local;
	if (ioctl(ev, IOCTL_EVTCHN_NOTIFY, &notify) < 0)
		return fail("notify");
	printf("peer: event sent\n");
	pfd.fd = ev;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 10000) != 1)
		return fail("no event from the guest within 10 s");
	if (read(ev, &got, sizeof(got)) != sizeof(got) || got != local)
		return fail("read of the pending port");
	printf("peer: event received on port %u\n", got);
	return 0;
}
