/*
 * M2P and P2M lookups for PV guests. Other Xen guests hard-code the M2P
 * at HYPERVISOR_VIRT_START; Mica asks Xen (XENMEM_machphys_mapping) and
 * only falls back to the header's constant when that call fails. Pure
 * code: the host unit tests inject another v_start and max_mfn.
 */
#include <arch/pv.h>

void m2p_setup(struct m2p_map *m, long rc, uint64_t v_start,
	       uint64_t max_mfn, uint64_t header_v_start)
{
	if (rc == 0) {
		m->table = (const uint64_t *)(uintptr_t)v_start;
		m->max_mfn = max_mfn;
		m->source = "XENMEM_machphys_mapping";
	} else {
		m->table = (const uint64_t *)(uintptr_t)header_v_start;
		m->max_mfn = 0; /* unknown: refuse nothing but overflow */
		m->source = "HYPERVISOR_VIRT_START (machphys_mapping failed)";
	}
}

int m2p_lookup(const struct m2p_map *m, uint64_t mfn, uint64_t *pfn)
{
	if (!m->table || (m->max_mfn && mfn > m->max_mfn) ||
	    mfn > (UINT64_MAX >> 3))
		return -1;
	*pfn = m->table[mfn];
	return 0;
}

int p2m_lookup(const struct p2m_map *p, uint64_t pfn, uint64_t *mfn)
{
	if (!p->mfns || pfn >= p->nr_pages)
		return -1;
	*mfn = p->mfns[pfn];
	return 0;
}
