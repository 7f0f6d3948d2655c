/*
 * Memory for a classic x86_64 PV guest. Xen built our first page tables
 * (read-only to us) mapping only the bootstrap region [0, v_end): image,
 * start info, P2M list, the tables themselves, a stack, and spare pages.
 * Mica keeps its kernel-wide rule virtual == (pseudo-)physical, so the
 * rest of RAM is mapped here the PV way: each new L1 table is filled
 * while it is an ordinary writable page, made read-only, then hooked
 * into the L2 with mmu_update, which Xen validates. W^X and guard pages
 * use update_va_mapping.
 */
#include <string.h>
#include <mica/bootinfo.h>
#include <mica/panic.h>
#include <mica/printk.h>
#include <mica/xen/hcall.h>
#include <mica/xen/platform.h>
#include <mica/xen/xen.h>
#include <arch/cpu.h>
#include <arch/pv.h>
#include <arch/x86.h>

#define PTE_P 0x1ULL
#define PTE_RW 0x2ULL
#define PTE_U 0x4ULL
#define PTE_A 0x20ULL
#define PTE_D 0x40ULL
#define PTE_NX (1ULL << 63)
#define PTE_ADDR 0x000ffffffffff000ULL

bool x86_is_pv;
struct m2p_map pv_m2p;
struct p2m_map pv_p2m;
static uint64_t nx;
static uint64_t *l4;		/* Xen's L4, at start_info.pt_base */
static uint64_t next_spare;	/* next unused pfn in the bootstrap region */
static uint64_t spare_end;	/* first pfn Xen did not map */

long HYPERVISOR_update_va_mapping(uintptr_t va, uint64_t pte, uint64_t flags)
{
	hcall_audit(__HYPERVISOR_update_va_mapping, 0, NULL, 0);
	return arch_hypercall(__HYPERVISOR_update_va_mapping, va, pte, flags,
			      0, 0);
}

long HYPERVISOR_mmu_update(struct mmu_update *req, unsigned int count)
{
	hcall_audit(__HYPERVISOR_mmu_update, 0, req, count);
	return arch_hypercall(__HYPERVISOR_mmu_update, (uintptr_t)req, count,
			      0, DOMID_SELF, 0);
}

static uint64_t mfn_of(uint64_t pfn)
{
	uint64_t mfn;

	if (p2m_lookup(&pv_p2m, pfn, &mfn) < 0)
		panic("PV: pfn %#llx is beyond our %llu pages",
		      (unsigned long long)pfn,
		      (unsigned long long)pv_p2m.nr_pages);
	return mfn;
}

/* The virtual address of the table a present entry points to. */
static uint64_t *table_of(uint64_t entry)
{
	uint64_t pfn;

	if (m2p_lookup(&pv_m2p, (entry & PTE_ADDR) >> PAGE_SHIFT, &pfn) < 0 ||
	    pfn >= pv_p2m.nr_pages)
		panic("PV: page table frame %#llx is not ours",
		      (unsigned long long)(entry & PTE_ADDR));
	return (uint64_t *)(uintptr_t)(pfn << PAGE_SHIFT);
}

int pv_map_page(uintptr_t va, uint64_t mfn, uint64_t flags)
{
	uint64_t pte = flags ? ((mfn << PAGE_SHIFT) | flags) : 0;

	return (int)HYPERVISOR_update_va_mapping(va, pte, UVMF_INVLPG);
}

int pv_set_present(uintptr_t va, bool present)
{
	uint64_t pfn = va >> PAGE_SHIFT;

	return pv_map_page(va, mfn_of(pfn),
			   present ? PTE_P | PTE_RW | PTE_U | PTE_A | PTE_D | nx
				   : 0);
}

uint64_t pv_fault_address(void)
{
	return xen_vcpu_info ? xen_vcpu_info->arch.cr2 : 0;
}

/* The L2 that maps @va, from Xen's tables (first 512 GiB, one L3). */
static uint64_t *l2_for(uintptr_t va, uint64_t *l2_mfn)
{
	uint64_t l4e = l4[(va >> 39) & 511], l3e, *l3;

	if (!(l4e & PTE_P))
		return NULL;
	l3 = table_of(l4e);
	l3e = l3[(va >> 30) & 511];
	if (!(l3e & PTE_P))
		return NULL;
	*l2_mfn = (l3e & PTE_ADDR) >> PAGE_SHIFT;
	return table_of(l3e);
}

/* Map the 2 MiB at @va (pfns below @nr_pages) with a new L1 table. */
static int map_2m(uintptr_t va, uint64_t nr_pages)
{
	uint64_t l2_mfn, *l2 = l2_for(va, &l2_mfn), *l1, t;
	size_t mark = hcall_mark();
	struct mmu_update *u;
	long rc;

	if (!l2 || next_spare >= spare_end)
		return -1;
	if (l2[(va >> 21) & 511] & PTE_P)
		return 0; /* Xen mapped it already */
	t = next_spare++;
	l1 = (uint64_t *)(uintptr_t)(t << PAGE_SHIFT);
	memset(l1, 0, PAGE_SIZE);
	for (unsigned int i = 0; i < 512; i++) {
		uint64_t pfn = (va >> PAGE_SHIFT) + i;

		if (pfn < nr_pages)
			l1[i] = (mfn_of(pfn) << PAGE_SHIFT) | PTE_P | PTE_RW |
				PTE_U | PTE_A | PTE_D | nx;
	}
	/* A page table must not be writable through any mapping. */
	if (pv_map_page((uintptr_t)l1, mfn_of(t), PTE_P | PTE_U | PTE_A | nx))
		panic("PV: cannot make a new L1 table read-only");
	u = hcall_alloc(sizeof(*u));
	u->ptr = ((l2_mfn << PAGE_SHIFT) + ((va >> 21) & 511) * 8) |
		 MMU_NORMAL_PT_UPDATE;
	u->val = (mfn_of(t) << PAGE_SHIFT) | PTE_P | PTE_RW | PTE_U | PTE_A |
		 PTE_D;
	rc = HYPERVISOR_mmu_update(u, 1);
	hcall_release(mark);
	if (rc < 0)
		panic("PV: Xen refused a new L1 table (mmu_update: %ld)", rc);
	return 0;
}

/*
 * Build the memory map: pfns [0, nr_pages) are our RAM; what Xen set up
 * and the spare pages we turned into tables are reserved.
 */
void pv_mm_init(const start_info_t *si, uint64_t xen_rsp,
		struct boot_info *bi)
{
	uint64_t used_end = 0, mapped, nr = si->nr_pages;

	if (cpuid(0x80000001, 0).edx & (1U << 20))
		nx = PTE_NX;
	l4 = (uint64_t *)si->pt_base;
	/* The first page after everything Xen placed. */
	used_end = MAX(used_end, (uint64_t)(uintptr_t)_end);
	used_end = MAX(used_end, si->pt_base + si->nr_pt_frames * PAGE_SIZE);
	used_end = MAX(used_end, si->mfn_list + nr * 8);
	used_end = MAX(used_end, (uint64_t)(uintptr_t)si + PAGE_SIZE);
	used_end = MAX(used_end, xen_rsp);
	next_spare = ALIGN_UP(used_end, PAGE_SIZE) >> PAGE_SHIFT;
	/* Xen mapped whole L1 tables up to v_end: find where they stop. */
	for (mapped = 0; mapped < nr << PAGE_SHIFT; mapped += 2ULL << 20) {
		uint64_t l2_mfn, *l2 = l2_for(mapped, &l2_mfn);

		if (!l2 || !(l2[(mapped >> 21) & 511] & PTE_P))
			break;
	}
	spare_end = MIN(mapped >> PAGE_SHIFT, nr);
	for (uint64_t va = mapped; va < nr << PAGE_SHIFT; va += 2ULL << 20) {
		if (map_2m(va, nr) < 0) {
			printk("PV: mapped only %llu of %llu MiB (no room for "
			       "more page tables, or RAM past 1 GiB)\n",
			       (unsigned long long)(va >> 20),
			       (unsigned long long)(nr >> 8));
			nr = va >> PAGE_SHIFT;
			break;
		}
	}
	memmap_init(&bi->memmap);
	memmap_add(&bi->memmap, 0, nr << PAGE_SHIFT, MEM_RAM);
	memmap_normalize(&bi->memmap);
	memmap_reserve(&bi->memmap, 0, next_spare << PAGE_SHIFT);
}

/* W^X for the image: text read+execute, rodata read-only, the rest
 * read/write and not executable, and the boot stack's guard unmapped. */
void pv_protect_kernel(void)
{
	const uint64_t ro = PTE_P | PTE_U | PTE_A;
	const uint64_t rw = PTE_P | PTE_RW | PTE_U | PTE_A | PTE_D | nx;
	uintptr_t va;
	int bad = 0;

	for (va = (uintptr_t)_text; va < (uintptr_t)_etext; va += PAGE_SIZE)
		bad |= pv_map_page(va, mfn_of(va >> PAGE_SHIFT), ro);
	for (va = (uintptr_t)_rodata; va < (uintptr_t)_erodata; va += PAGE_SIZE)
		bad |= pv_map_page(va, mfn_of(va >> PAGE_SHIFT), ro | nx);
	for (va = (uintptr_t)_ksyms; va < (uintptr_t)_end; va += PAGE_SIZE)
		bad |= pv_map_page(va, mfn_of(va >> PAGE_SHIFT), ro | nx);
	for (va = (uintptr_t)_data; va < (uintptr_t)_ksyms; va += PAGE_SIZE)
		bad |= pv_map_page(va, mfn_of(va >> PAGE_SHIFT), rw);
	bad |= pv_set_present((uintptr_t)boot_stack_guard, false);
	bad |= pv_map_page(0, 0, 0); /* page 0: NULL dereferences fault */
	if (bad)
		printk("PV: some image pages kept Xen's default rights\n");
	pr_debug("PV: W^X applied to the image, NX %s\n", nx ? "on" : "absent");
}
