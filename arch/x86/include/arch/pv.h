/* Classic x86_64 PV guest support (arch/x86/xen_pv*.c). */
#ifndef ARCH_X86_PV_H
#define ARCH_X86_PV_H

#include <mica/types.h>

/*
 * The machine-to-physical table Xen maps read-only into every PV guest,
 * located with XENMEM_machphys_mapping (v_start, max_mfn), and our own
 * physical-to-machine list (start_info.mfn_list). Lookups are bounded:
 * an mfn above max_mfn or a pfn beyond the list is refused.
 */
struct m2p_map {
	const uint64_t *table;	/* at v_start */
	uint64_t max_mfn;
	const char *source;	/* how v_start was found, for the boot log */
};

struct p2m_map {
	const uint64_t *mfns;
	uint64_t nr_pages;
};

int m2p_lookup(const struct m2p_map *m, uint64_t mfn, uint64_t *pfn);
int p2m_lookup(const struct p2m_map *p, uint64_t pfn, uint64_t *mfn);
/* Fill @m from XENMEM_machphys_mapping's answer, or (rc < 0) from the
 * header's constant. */
void m2p_setup(struct m2p_map *m, long rc, uint64_t v_start,
	       uint64_t max_mfn, uint64_t header_v_start);

extern bool x86_is_pv;
extern struct m2p_map pv_m2p;
extern struct p2m_map pv_p2m;

/* Map virtual page @va to machine frame @mfn (flags: PTE bits) or unmap. */
int pv_map_page(uintptr_t va, uint64_t mfn, uint64_t flags);
int pv_set_present(uintptr_t va, bool present);
uint64_t pv_fault_address(void);

#endif
