/* XENMEM_*: the M2P, memory maps, the physmap, reservations. */
#include <string.h>
#include "conformance.h"

#define E820_ENTRY 20	/* addr u64, size u64, type u32: packed */
#define MAP_MAX 64

static void memory_machphys_mapping(struct conf_ctx *c)
{
	struct xen_machphys_mapping *m = conf_buf(c, sizeof(*m));
	long rc;

	if (!m)
		return;
	rc = c->ops->memory_op(XENMEM_machphys_mapping, m);
	if (!conf_env_in(c, ENV_PV)) {
		conf_check(c, rc == -XEN_ENOSYS, "rc %s, expected -ENOSYS "
			   "(only PV guests see the M2P)", conf_errname(rc));
		return;
	}
	if (!conf_check(c, rc == 0, "rc %s", conf_errname(rc)))
		return;
	conf_check(c, m->v_start == CONF_X86_64_M2P_START,
		   "v_start %#llx, the header's %#llx",
		   (unsigned long long)m->v_start, CONF_X86_64_M2P_START);
	conf_check(c, m->v_end > m->v_start && m->max_mfn > 0 &&
			      (m->v_end - m->v_start) / 8 > m->max_mfn,
		   "v_end %#llx and max_mfn %#llx do not fit the table",
		   (unsigned long long)m->v_end,
		   (unsigned long long)m->max_mfn);
	conf_note(c, "v_start %#llx, max_mfn %#llx",
		  (unsigned long long)m->v_start,
		  (unsigned long long)m->max_mfn);
}

/* Check a memory map: entries sized, at least one RAM range. */
static void check_map(struct conf_ctx *c, const uint8_t *buf,
		      unsigned int n, unsigned int max, const char *what)
{
	uint64_t ram = 0;

	if (!conf_check(c, n >= 1 && n <= max, "%s: %u entries", what, n))
		return;
	for (unsigned int i = 0; i < n; i++) {
		uint64_t addr, size;
		uint32_t type;

		memcpy(&addr, buf + i * E820_ENTRY, 8);
		memcpy(&size, buf + i * E820_ENTRY + 8, 8);
		memcpy(&type, buf + i * E820_ENTRY + 16, 4);
		conf_check(c, size && addr + size > addr && type >= 1 &&
				      type <= 5,
			   "%s: entry %u (%#llx+%#llx type %u) is malformed",
			   what, i, (unsigned long long)addr,
			   (unsigned long long)size, type);
		if (type == 1)
			ram += size;
	}
	conf_check(c, ram > 0, "%s: no RAM entry", what);
	conf_note(c, "%u entries, %llu KiB RAM", n,
		  (unsigned long long)(ram >> 10));
}

static long get_map(struct conf_ctx *c, unsigned int cmd, uint8_t **buf,
		    unsigned int *n)
{
	struct xen_memory_map *m = conf_buf(c, sizeof(*m));
	long rc;

	*buf = conf_buf(c, MAP_MAX * E820_ENTRY);
	if (!m || !*buf)
		return -XEN_ENOMEM;
	m->nr_entries = MAP_MAX;
	set_xen_guest_handle(m->buffer, (void *)*buf);
	rc = c->ops->memory_op(cmd, m);
	*n = m->nr_entries;
	return rc;
}

/* XENMEM_memory_map: the pseudo-physical map the domain builder set. */
static void memory_memory_map(struct conf_ctx *c)
{
	unsigned int n;
	uint8_t *buf;
	long rc = get_map(c, XENMEM_memory_map, &buf, &n);

	if (c->status == CONF_ERROR)
		return;
	if (conf_env_in(c, ENV_ARM_DOM0LESS)) {
		conf_check(c, rc == -XEN_ENOSYS, "rc %s, expected -ENOSYS on "
			   "arm (the map is in the device tree)",
			   conf_errname(rc));
	} else if (conf_env_in(c, ENV_PV) && rc == -XEN_ENOSYS) {
		/* No map set for this PV domain: the documented answer. */
		conf_note(c, "-ENOSYS: no pseudo-physical map set");
	} else if (conf_check(c, rc == 0, "rc %s", conf_errname(rc))) {
		check_map(c, buf, n, MAP_MAX, "XENMEM_memory_map");
	}
}

/* XENMEM_machine_memory_map: the host's map, for privileged domains.
 * Xen 4.17 hides it from every HVM/PVH guest; 4.20 lets a PVH dom0
 * read it. */
static void memory_machine_memory_map(struct conf_ctx *c)
{
	unsigned int n;
	uint8_t *buf;
	long rc = get_map(c, XENMEM_machine_memory_map, &buf, &n);
	long want;

	if (c->status == CONF_ERROR)
		return;
	if (conf_env_in(c, ENV_ARM_DOM0LESS))
		want = -XEN_ENOSYS;
	else if (conf_env_in(c, ENV_PVH) && !conf_version_ge(c, 4, 18))
		want = -XEN_ENOSYS;
	else if (conf_env_in(c, ENV_PVH) && !conf_version_ge(c, 4, 20))
		want = rc == -XEN_ENOSYS ? rc
					 : conf_env_in(c, ENV_DOM0) ? 0
								    : -XEN_EPERM;
	else
		want = conf_env_in(c, ENV_DOM0) ? 0 : -XEN_EPERM;
	if (!conf_check(c, rc == want, "rc %s, expected %s", conf_errname(rc),
			conf_errname(want)))
		return;
	if (rc == 0)
		check_map(c, buf, n, MAP_MAX, "XENMEM_machine_memory_map");
}

static long add_to_physmap(struct conf_ctx *c, unsigned int space,
			   unsigned long idx, uint64_t gfn)
{
	struct xen_add_to_physmap *x = conf_buf(c, sizeof(*x));

	if (!x)
		return -XEN_ENOMEM;
	x->domid = DOMID_SELF;
	x->space = space;
	x->idx = idx;
	x->gpfn = gfn;
	return c->ops->memory_op(XENMEM_add_to_physmap, x);
}

/* After a remap, prove shared_info still works at its address: an
 * event sent on a loopback pair shows as pending there. */
static void events_still_work(struct conf_ctx *c)
{
	unsigned int a, b;

	if (!conf_loopback(c, &a, &b))
		return;
	conf_evtchn_port_op(c, EVTCHNOP_send, a);
	conf_check(c, c->ops->ev_pending(b), "after the remap a sent event "
		   "no longer shows in shared_info");
	conf_close(c, b);
	conf_close(c, a);
}

/*
 * shared_info into the physmap again, at the frame where the kernel has
 * it. x86 moves the page (the same frame: no change); arm refuses a
 * second mapping (-EBUSY: the guest must remove the first); a PV guest
 * has no physmap (-EACCES). idx 1 does not exist anywhere.
 */
static void memory_add_to_physmap_shared_info(struct conf_ctx *c)
{
	uint64_t gfn;
	long rc;

	if (conf_env_in(c, ENV_PV)) {
		rc = add_to_physmap(c, XENMAPSPACE_shared_info, 0, 0x100000);
		conf_check(c, rc == -XEN_EACCES, "rc %s, expected -EACCES "
			   "(a PV guest has no physmap)", conf_errname(rc));
		return;
	}
	gfn = c->ops->shared_info_gfn();
	rc = add_to_physmap(c, XENMAPSPACE_shared_info, 1, gfn);
	conf_check(c, rc == -XEN_EINVAL, "idx 1: rc %s, expected -EINVAL",
		   conf_errname(rc));
	rc = add_to_physmap(c, XENMAPSPACE_shared_info, 0, gfn);
	if (conf_env_in(c, ENV_ARM_DOM0LESS)) {
		conf_check(c, rc == -XEN_EBUSY, "a second mapping: rc %s, "
			   "expected -EBUSY (unmap first)", conf_errname(rc));
		return;
	}
	if (conf_check(c, rc == 0, "remap at gfn %#llx: rc %s",
		       (unsigned long long)gfn, conf_errname(rc)))
		events_still_work(c);
}

static long query_size(struct conf_ctx *c, uint32_t *nr, uint32_t *max)
{
	struct gnttab_query_size *q = conf_buf(c, sizeof(*q));
	long rc;

	if (!q)
		return -XEN_ENOMEM;
	q->dom = DOMID_SELF;
	rc = c->ops->grant_table_op(GNTTABOP_query_size, q, 1);
	*nr = q->nr_frames;
	*max = q->max_nr_frames;
	return rc ? rc : q->status;
}

/* The next grant-table frame into a free guest frame: the table grows. */
static void memory_add_to_physmap_grant_frame(struct conf_ctx *c)
{
	uint32_t nr, max, nr2, max2;
	uint64_t addr;
	const uint8_t *p;
	bool zero = true;
	long rc;

	if (conf_env_in(c, ENV_PV)) {
		rc = add_to_physmap(c, XENMAPSPACE_grant_table, 0, 0x1000);
		conf_check(c, rc == -XEN_EACCES, "rc %s, expected -EACCES "
			   "(PV uses GNTTABOP_setup_table)", conf_errname(rc));
		return;
	}
	rc = query_size(c, &nr, &max);
	if (!conf_check(c, rc == 0, "query_size: %s", conf_errname(rc)))
		return;
	if (nr >= max) {
		conf_skip(c, "the table already has all %u frames", max);
		return;
	}
	addr = c->ops->foreign_addr(1);
	rc = add_to_physmap(c, XENMAPSPACE_grant_table, nr, addr >> 12);
	if (!conf_check(c, rc == 0, "frame %u at gfn %#llx: rc %s", nr,
			(unsigned long long)(addr >> 12), conf_errname(rc)))
		return;
	rc = query_size(c, &nr2, &max2);
	conf_check(c, rc == 0 && nr2 == nr + 1, "after mapping frame %u the "
		   "table has %u frames (rc %s)", nr, nr2, conf_errname(rc));
	p = c->ops->foreign_ptr(addr);
	for (size_t i = 0; i < 4096; i++)
		zero &= p[i] == 0;
	conf_check(c, zero, "the new frame is not zero-filled");
}

static void memory_add_to_physmap_bad_space(struct conf_ctx *c)
{
	/* A free guest frame (PV: any number; it has no physmap). */
	uint64_t gfn = conf_env_in(c, ENV_PV) ? 0x100000
					      : c->ops->foreign_addr(1) >> 12;
	long rc = add_to_physmap(c, XENMAPSPACE_gmfn_foreign, 0, gfn);
	long want;

	conf_check(c, rc == -XEN_ENOSYS, "XENMAPSPACE_gmfn_foreign: rc %s, "
		   "expected -ENOSYS (only the batch op maps foreign frames)",
		   conf_errname(rc));
	rc = add_to_physmap(c, 99, 0, gfn);
	want = conf_env_in(c, ENV_PV)    ? -XEN_EACCES
	       : conf_env_in(c, ENV_PVH) ? -XEN_EINVAL
					 : -XEN_ENOSYS;
	conf_check(c, rc == want, "space 99: rc %s, expected %s",
		   conf_errname(rc), conf_errname(want));
}

static long reservation(struct conf_ctx *c, unsigned int cmd, domid_t dom)
{
	domid_t *d = conf_buf(c, sizeof(*d));

	if (!d)
		return -XEN_ENOMEM;
	*d = dom;
	return c->ops->memory_op(cmd, d);
}

static void memory_reservation(struct conf_ctx *c)
{
	long cur = reservation(c, XENMEM_current_reservation, DOMID_SELF);
	long max = reservation(c, XENMEM_maximum_reservation, DOMID_SELF);

	if (!conf_check(c, cur > 0, "current_reservation: %s",
			conf_errname(cur)) ||
	    !conf_check(c, max > 0, "maximum_reservation: %s",
			conf_errname(max)))
		return;
	conf_check(c, cur <= max, "current %ld pages above maximum %ld", cur,
		   max);
	conf_check(c, cur >= 256, "current %ld pages: under 1 MiB", cur);
	conf_note(c, "%ld of %ld pages", cur, max);
}

/* Another domain's reservation: the hardware domain may look; others
 * get -EPERM for a domain that exists, -ESRCH for one that does not
 * (a dom0less boot has no domain 0). */
static void memory_reservation_foreign(struct conf_ctx *c)
{
	long rc;

	if (conf_env_in(c, ENV_DOM0)) {
		rc = reservation(c, XENMEM_current_reservation,
				 c->env->domid);
		conf_check(c, rc > 0, "our own by number (%u): %s",
			   c->env->domid, conf_errname(rc));
		rc = reservation(c, XENMEM_current_reservation, CONF_NO_DOMID);
		conf_check(c, rc == -XEN_ESRCH, "domain %#x: %s, expected "
			   "-ESRCH", CONF_NO_DOMID, conf_errname(rc));
		return;
	}
	rc = reservation(c, XENMEM_current_reservation, 0);
	if (conf_env_in(c, ENV_ARM_DOM0LESS))
		conf_check(c, rc == -XEN_ESRCH, "domain 0 (absent): %s, "
			   "expected -ESRCH", conf_errname(rc));
	else
		conf_check(c, rc == -XEN_EPERM, "domain 0: %s, expected "
			   "-EPERM", conf_errname(rc));
}

const struct conf_test conf_tests_memory[] = {
	{
		.name = "memory_machphys_mapping",
		.category = "memory",
		.checks = "XENMEM_machphys_mapping: where the M2P table is",
		.why = "a PV guest finds the M2P with it instead of "
		       "hard-coding HYPERVISOR_VIRT_START",
		.source = "public/memory.h; arch/x86/hvm/hypercall.c "
			  "hvm_memory_op",
		.expect = "PV: 0, v_start 0xffff800000000000, max_mfn fits; "
			  "PVH and arm64: -ENOSYS",
		.runs_on = ENV_ALL,
		.run = memory_machphys_mapping,
	},
	{
		.name = "memory_memory_map",
		.category = "memory",
		.checks = "XENMEM_memory_map returns a sane pseudo-physical "
			  "map",
		.why = "a PVH guest whose start info has no map asks Xen",
		.source = "public/memory.h XENMEM_memory_map",
		.expect = "PVH: entries with RAM; PV: -ENOSYS (no map set) or "
			  "a sane map; arm64: -ENOSYS",
		.runs_on = ENV_ALL,
		.run = memory_memory_map,
	},
	{
		.name = "memory_add_to_physmap_shared_info",
		.category = "memory",
		.checks = "XENMAPSPACE_shared_info again at its frame; idx 1",
		.why = "a translated guest places shared_info itself; the "
		       "arches differ on a second mapping",
		.source = "public/memory.h; arch/x86/mm/p2m.c and "
			  "arch/arm/mm.c xenmem_add_to_physmap_one",
		.expect = "PVH: 0 (moved onto the same frame; events still "
			  "work), idx 1 -EINVAL; arm64: -EBUSY, idx 1 -EINVAL;"
			  " PV: -EACCES",
		.runs_on = ENV_ALL,
		.run = memory_add_to_physmap_shared_info,
	},
	{
		.name = "memory_add_to_physmap_grant_frame",
		.category = "memory",
		.checks = "XENMAPSPACE_grant_table for the next frame grows "
			  "the table; the frame reads zero",
		.why = "translated guests map their grant table this way",
		.source = "public/memory.h; common/grant_table.c "
			  "gnttab_map_frame",
		.expect = "PVH/arm64: 0, nr_frames + 1, zero-filled; PV: "
			  "-EACCES",
		.runs_on = ENV_ALL,
		.run = memory_add_to_physmap_grant_frame,
	},
	{
		.name = "memory_add_to_physmap_bad_space",
		.category = "memory",
		.checks = "XENMAPSPACE_gmfn_foreign through the single op, and"
			  " an unknown space 99",
		.why = "error codes a guest's fallback logic keys on",
		.source = "common/memory.c XENMEM_add_to_physmap",
		.expect = "gmfn_foreign: -ENOSYS everywhere; space 99: PVH "
			  "-EINVAL, arm64 -ENOSYS, PV -EACCES",
		.runs_on = ENV_ALL,
		.run = memory_add_to_physmap_bad_space,
	},
	{
		.name = "memory_reservation",
		.category = "memory",
		.checks = "XENMEM_current_reservation <= maximum_reservation, "
			  "both positive",
		.why = "balloon drivers start from these numbers",
		.source = "public/memory.h",
		.expect = "all: 0 < current <= maximum (pages)",
		.runs_on = ENV_ALL,
		.run = memory_reservation,
	},
	{
		.name = "memory_machine_memory_map",
		.category = "privilege",
		.checks = "XENMEM_machine_memory_map: the host map, privileged",
		.why = "only the hardware domain may see the host's memory",
		.source = "arch/x86/mm.c (xsm_machine_memory_map, XSM_PRIV); "
			  "arch/x86/hvm/hypercall.c",
		.expect = "PV dom0: a map; PV domU: -EPERM; PVH: 4.17 -ENOSYS,"
			  " 4.20 dom0 a map / domU -EPERM; arm64: -ENOSYS",
		.runs_on = ENV_ALL,
		.run = memory_machine_memory_map,
	},
	{
		.name = "memory_reservation_foreign",
		.category = "privilege",
		.checks = "XENMEM_current_reservation of another domain",
		.why = "an unprivileged domain must not learn about others",
		.source = "common/memory.c (xsm_memory_stat_reservation, "
			  "XSM_TARGET)",
		.expect = "dom0: own id works, absent id -ESRCH; xl domU: "
			  "domain 0 -EPERM; dom0less: domain 0 -ESRCH",
		.runs_on = ENV_ALL,
		.run = memory_reservation_foreign,
	},
};
const size_t conf_tests_memory_count = ARRAY_SIZE(conf_tests_memory);
