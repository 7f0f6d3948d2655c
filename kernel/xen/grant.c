/*
 * Grant tables, v1, for auto-translated guests (PVH, arm64): the table's
 * frames are placed into our physical address space with
 * XENMEM_add_to_physmap(XENMAPSPACE_grant_table), at a guest-physical
 * range with no RAM behind it. GNTTABOP results come back per entry in
 * `status` while the call itself returns 0: both are checked.
 */
#include <mica/arch.h>
#include <mica/mm.h>
#include <mica/panic.h>
#include <mica/printk.h>
#include <mica/xen/grant.h>
#include <mica/xen/hcall.h>
#include <mica/xen/platform.h>
#include <mica/xen/xen.h>

#define WANT_FRAMES 4
#define ENTRIES_PER_FRAME (PAGE_SIZE / sizeof(grant_entry_v1_t))
#define MAX_REFS (WANT_FRAMES * ENTRIES_PER_FRAME)

static grant_entry_v1_t *table;
static struct gref_pool pool;
static uint64_t pool_bits[MAX_REFS / 64];
static unsigned int nr_frames;

uint64_t xen_grant_region_base; /* set by the arch from the DT, if any */

/* Auto-translated guests (PVH, arm64): Xen places each frame of the
 * table at a guest-physical page we name. */
static void *physmap_grant_frames(unsigned int nr)
{
	size_t mark = hcall_mark();
	uint64_t base = xen_grant_region_base ? xen_grant_region_base
					      : xen_alloc_unpopulated(nr);
	long rc = 0;

	for (unsigned int i = 0; i < nr && rc == 0; i++) {
		struct xen_add_to_physmap *x = hcall_alloc(sizeof(*x));

		x->domid = DOMID_SELF;
		x->space = XENMAPSPACE_grant_table;
		x->idx = i;
		x->gpfn = (base >> PAGE_SHIFT) + i;
		rc = HYPERVISOR_memory_op(XENMEM_add_to_physmap, x);
		if (rc < 0)
			printk("xen: mapping grant frame %u failed: %ld\n", i,
			       rc);
	}
	hcall_release(mark);
	return rc < 0 ? NULL : arch_map_phys(base, (size_t)nr * PAGE_SIZE);
}

static uint64_t physmap_frame_of(const void *va)
{
	return virt_to_phys(va) >> PAGE_SHIFT;
}

static const struct xen_mapping_ops physmap_ops = {
	.map_grant_frames = physmap_grant_frames,
	.alloc_foreign = xen_alloc_unpopulated,
	.frame_of = physmap_frame_of,
};
const struct xen_mapping_ops *xen_mapping = &physmap_ops;

int gnttab_init(void)
{
	size_t mark = hcall_mark();
	struct gnttab_query_size *q = hcall_alloc(sizeof(*q));
	long rc;

	q->dom = DOMID_SELF;
	rc = HYPERVISOR_grant_table_op(GNTTABOP_query_size, q, 1);
	if (rc < 0 || q->status != GNTST_okay) {
		printk("xen: GNTTABOP_query_size failed (rc %ld, status %d)\n",
		       rc, q->status);
		hcall_release(mark);
		return -1;
	}
	nr_frames = MIN((unsigned int)WANT_FRAMES, q->max_nr_frames);
	hcall_release(mark);
	table = xen_mapping->map_grant_frames(nr_frames);
	if (!table)
		return -1;
	gref_pool_init(&pool, pool_bits,
		       (uint32_t)(nr_frames * ENTRIES_PER_FRAME),
		       GNTTAB_NR_RESERVED_ENTRIES);
	pr_info("xen: grant table v1, %u frames (%u refs) at %p\n", nr_frames,
		gnttab_nr_refs(), (void *)table);
	return 0;
}

unsigned int gnttab_nr_refs(void)
{
	return pool.nrefs;
}

/* Refs handed out (the reserved ones never are); 0 with no table. */
unsigned int gnttab_refs_in_use(void)
{
	if (pool.nrefs <= GNTTAB_NR_RESERVED_ENTRIES + pool.nfree)
		return 0;
	return pool.nrefs - GNTTAB_NR_RESERVED_ENTRIES - pool.nfree;
}

static void fill(gref_t ref, uint16_t domid, uint64_t gfn, bool readonly)
{
	table[ref].domid = domid;
	table[ref].frame = (uint32_t)gfn;
	/* The flags go last: Xen must see domid and frame first. */
	__atomic_store_n(&table[ref].flags,
			 (uint16_t)(GTF_permit_access |
				    (readonly ? GTF_readonly : 0)),
			 __ATOMIC_RELEASE);
}

int64_t gnttab_grant_access_run(uint16_t domid, const void *page,
				uint32_t count, bool readonly)
{
	int64_t first;

	if (!table || (uintptr_t)page % PAGE_SIZE)
		return -1;
	for (uint32_t i = 0; i < count; i++)
		if (xen_mapping->frame_of((const char *)page + i * PAGE_SIZE) >=
		    (1ULL << 32))
			return -1; /* v1 frames are 32 bits */
	first = gref_alloc_run(&pool, count);
	if (first < 0)
		return -1;
	for (uint32_t i = 0; i < count; i++)
		fill((gref_t)first + i, domid,
		     xen_mapping->frame_of((const char *)page + i * PAGE_SIZE),
		     readonly);
	return first;
}

int64_t gnttab_grant_access(uint16_t domid, const void *page, bool readonly)
{
	return gnttab_grant_access_run(domid, page, 1, readonly);
}

int gnttab_end_access(gref_t ref)
{
	uint16_t flags;

	if (!table || ref >= pool.nrefs || ref < GNTTAB_NR_RESERVED_ENTRIES)
		return -1;
	flags = __atomic_load_n(&table[ref].flags, __ATOMIC_ACQUIRE);
	do {
		if (flags & (GTF_reading | GTF_writing))
			return -1; /* still mapped by the remote */
	} while (!__atomic_compare_exchange_n(&table[ref].flags, &flags, 0,
					      false, __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
	gref_free_run(&pool, ref, 1);
	return 0;
}

int gnttab_map(uint16_t domid, gref_t ref, uint64_t gpa, bool readonly,
	       uint32_t *handle)
{
	size_t mark = hcall_mark();
	struct gnttab_map_grant_ref *m = hcall_alloc(sizeof(*m));
	long rc;
	int st;

	m->host_addr = gpa;
	m->flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0);
	m->ref = ref;
	m->dom = domid;
	rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, m, 1);
	st = rc < 0 ? GNTST_general_error : m->status;
	if (st == GNTST_okay)
		*handle = m->handle;
	hcall_release(mark);
	return st;
}

int gnttab_unmap(uint64_t gpa, uint32_t handle)
{
	size_t mark = hcall_mark();
	struct gnttab_unmap_grant_ref *u = hcall_alloc(sizeof(*u));
	long rc;
	int st;

	u->host_addr = gpa;
	u->handle = handle;
	rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, u, 1);
	st = rc < 0 ? GNTST_general_error : u->status;
	hcall_release(mark);
	return st;
}

int gnttab_copy_from(uint16_t domid, gref_t ref, uint16_t offset, void *dest,
		     uint16_t len)
{
	size_t mark = hcall_mark();
	struct gnttab_copy *c = hcall_alloc(sizeof(*c));
	long rc;
	int st;

	c->source.u.ref = ref;
	c->source.domid = domid;
	c->source.offset = offset;
	c->dest.u.gmfn = xen_mapping->frame_of(dest);
	c->dest.domid = DOMID_SELF;
	c->dest.offset = (uint16_t)((uintptr_t)dest % PAGE_SIZE);
	c->len = len;
	c->flags = GNTCOPY_source_gref;
	rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, c, 1);
	st = rc < 0 ? GNTST_general_error : c->status;
	hcall_release(mark);
	return st;
}

const char *gntst_name(int status)
{
	static const char *const names[] = GNTTABOP_error_msgs;

	if (status > 0 || -status >= (int)ARRAY_SIZE(names))
		return "unknown status";
	return names[-status];
}
