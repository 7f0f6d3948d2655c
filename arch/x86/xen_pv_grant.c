/*
 * Grant tables and foreign mappings for a classic PV guest: Xen returns
 * the table's machine frames (GNTTABOP_setup_table) and we map them into
 * pages of our own address space; a foreign page is mapped by giving its
 * virtual address to GNTMAP_host_map. Both use a pool of pages in BSS
 * whose own frames are given up for that purpose.
 */
#include <mica/panic.h>
#include <mica/printk.h>
#include <mica/xen/grant.h>
#include <mica/xen/hcall.h>
#include <mica/xen/xen.h>
#include <arch/pv.h>

#define POOL_PAGES 32

static char pool[POOL_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static unsigned int pool_used;

static void *take(unsigned int n)
{
	void *p;

	if (n > POOL_PAGES - pool_used)
		return NULL;
	p = pool[pool_used];
	pool_used += n;
	return p;
}

static void *pv_map_grant_frames(unsigned int nr)
{
	size_t mark = hcall_mark();
	struct gnttab_setup_table *s = hcall_alloc(sizeof(*s));
	xen_pfn_t *frames = hcall_alloc(nr * sizeof(*frames));
	char *table = take(nr);
	long rc;

	if (!table || !s || !frames) {
		hcall_release(mark);
		return NULL;
	}
	s->dom = DOMID_SELF;
	s->nr_frames = nr;
	set_xen_guest_handle(s->frame_list, frames);
	rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, s, 1);
	if (rc < 0 || s->status != GNTST_okay) {
		printk("xen: GNTTABOP_setup_table failed (rc %ld, status %d)\n",
		       rc, s->status);
		hcall_release(mark);
		return NULL;
	}
	for (unsigned int i = 0; i < nr; i++)
		if (pv_map_page((uintptr_t)(table + i * PAGE_SIZE), frames[i],
				0x1 | 0x2 | 0x4 | 0x20 | 0x40))
			panic("PV: cannot map grant frame %u", i);
	hcall_release(mark);
	return table;
}

static uint64_t pv_alloc_foreign(uint32_t pages)
{
	void *p = take(pages);

	if (!p)
		panic("PV: no pages left for foreign mappings");
	return (uintptr_t)p;
}

static uint64_t pv_frame_of(const void *va)
{
	uint64_t mfn;

	if (p2m_lookup(&pv_p2m, (uintptr_t)va >> PAGE_SHIFT, &mfn) < 0)
		panic("PV: %p has no machine frame", va);
	return mfn;
}

const struct xen_mapping_ops pv_mapping_ops = {
	.map_grant_frames = pv_map_grant_frames,
	.alloc_foreign = pv_alloc_foreign,
	.frame_of = pv_frame_of,
};
