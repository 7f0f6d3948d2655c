/*
 * Mica's own translation tables: an identity map (virtual == physical)
 * of RAM and the few device regions, with W^X. Kernel text is
 * read+execute, rodata read-only, everything else read/write and never
 * executable (PXN/UXN; SCTLR_EL1.WXN enforces it too). Nothing is mapped
 * at page 0, and the guard page under every stack is unmapped.
 *
 * Four levels of 4 KiB tables (48-bit addresses), and 4 KiB pages only:
 * a guard page later needs no split of a live block, which the
 * architecture would allow only with break-before-make, briefly unmapping
 * memory that may hold the stack or the tables themselves.
 */
#include <string.h>
#include <mica/arch.h>
#include <mica/mm.h>
#include <mica/panic.h>
#include <mica/printk.h>
#include <arch/arm64.h>

/* The final tables use ASID 1, the boot map (head.S) ASID 0. */
#define ASID_FINAL (1ULL << 48)

static uint64_t *l0;
static size_t table_pages;

void *phys_to_virt(paddr_t pa)
{
	return (void *)(uintptr_t)pa;
}

paddr_t virt_to_phys(const void *va)
{
	return (paddr_t)(uintptr_t)va;
}

static uint64_t *new_table(void)
{
	paddr_t pa = frame_alloc(1, 1);

	if (pa == FRAME_NONE)
		panic("out of memory while building page tables");
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	table_pages++;
	return phys_to_virt(pa);
}

/* The level-3 table covering @va, creating the tables on the way. */
static uint64_t *l3_table(uintptr_t va)
{
	uint64_t *table = l0;

	for (int level = 0; level < 3; level++) {
		uint64_t *e = &table[(va >> (39 - 9 * level)) & 511];

		if (!(*e & PTE_VALID)) {
			uint64_t *next = new_table();

			/* The walker must see the zeroed table first. */
			__asm__ volatile("dsb ishst" : : : "memory");
			*e = virt_to_phys(next) | PTE_TABLE;
		} else if ((*e & 3) != PTE_TABLE) {
			panic("paging: block mapping at %#lx",
			      (unsigned long)va);
		}
		table = phys_to_virt(*e & PTE_ADDR_MASK);
	}
	return table;
}

static void map_range(uint64_t start, uint64_t end, uint64_t attrs)
{
	uint64_t va = ALIGN_DOWN(start, PAGE_SIZE);

	end = ALIGN_UP(end, PAGE_SIZE);
	while (va < end) {
		uint64_t *pt = l3_table(va);

		for (unsigned int i = (va >> PAGE_SHIFT) & 511;
		     i < 512 && va < end; i++, va += PAGE_SIZE)
			pt[i] = va | attrs | PTE_PAGE;
	}
}

static void unmap_page(uintptr_t va)
{
	l3_table(va)[(va >> PAGE_SHIFT) & 511] = 0;
}

/* Make new table entries visible to the table walker. */
static void publish(void)
{
	__asm__ volatile("dsb ishst\n\tisb" : : : "memory");
}

int paging_set_present(uintptr_t va, bool present)
{
	uint64_t *e = &l3_table(va)[(va >> PAGE_SHIFT) & 511];

	if (present) {
		*e |= PTE_VALID;
		publish();
		return 0;
	}
	/* Invalid first, then drop any cached copy of the old entry from
	 * every TLB (all ASIDs), then wait for that to finish. */
	*e &= ~PTE_VALID;
	__asm__ volatile("dsb ishst\n\t"
			 "tlbi vaae1is, %0\n\t"
			 "dsb ish\n\t"
			 "isb"
			 :
			 : "r"(va >> PAGE_SHIFT)
			 : "memory");
	return 0;
}

/* Device memory (nGnRE, never executable). Before paging_init the boot
 * map already covers 0-1 GiB as Device memory. */
void *paging_map_mmio(paddr_t pa, size_t size)
{
	if (l0) {
		map_range(pa, pa + size, PTE_DEVICE);
		publish();
	}
	return phys_to_virt(pa);
}

/* Ordinary memory outside RAM (grant frames, a xenstore page): new
 * entries only; a page already mapped keeps its rights. */
void *arch_map_mmio(paddr_t pa, size_t size)
{
	return paging_map_mmio(pa, size);
}

void *arch_map_phys(paddr_t pa, size_t size)
{
	uint64_t va = ALIGN_DOWN(pa, PAGE_SIZE);

	if (!l0)
		panic("arch_map_phys(%#llx) before the page tables exist",
		      (unsigned long long)pa);
	for (; va < pa + size; va += PAGE_SIZE) {
		uint64_t *e = &l3_table(va)[(va >> PAGE_SHIFT) & 511];

		if (!(*e & PTE_VALID))
			*e = va | PTE_NORMAL | PTE_XN | PTE_PAGE;
	}
	publish();
	return phys_to_virt(pa);
}

static void map_device(const struct dt_region *r)
{
	if (r->size)
		map_range(r->base, r->base + r->size, PTE_DEVICE);
}

/*
 * Switch from the boot map to the final tables. The two map the same
 * addresses with different block sizes and rights; had they one ASID,
 * the TLB could briefly hold both (a TLB conflict abort on some CPUs).
 * With different ASIDs they never meet; the boot map's entries are then
 * dropped by ASID. WXN may be cached in the TLB: flush after setting it.
 */
static void switch_tables(void)
{
	__asm__ volatile("dsb ishst\n\t"
			 "msr ttbr0_el1, %0\n\t"
			 "isb\n\t"
			 "tlbi aside1, xzr\n\t"
			 "dsb ish\n\t"
			 "isb"
			 :
			 : "r"(virt_to_phys(l0) | ASID_FINAL)
			 : "memory");
	write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | SCTLR_WXN);
	__asm__ volatile("isb\n\t"
			 "tlbi vmalle1\n\t"
			 "dsb ish\n\t"
			 "isb"
			 :
			 :
			 : "memory");
}

void paging_init(const struct boot_info *bi)
{
	const uint64_t rw = PTE_NORMAL | PTE_XN;
	const uint64_t ro = PTE_NORMAL | PTE_XN | PTE_RDONLY;
	const uint64_t rx = PTE_NORMAL | PTE_UXN | PTE_RDONLY;

	l0 = new_table();
	for (unsigned int i = 0; i < bi->memmap.count; i++) {
		const struct mem_region *r = &bi->memmap.r[i];

		if (r->type == MEM_RAM || r->type == MEM_MICA)
			map_range(r->base, r->base + r->size, rw);
	}
	map_range((uintptr_t)_text, (uintptr_t)_etext, rx);
	map_range((uintptr_t)_rodata, (uintptr_t)_erodata, ro);
	map_range((uintptr_t)_data, (uintptr_t)_ksyms, rw);
	map_range((uintptr_t)_ksyms, (uintptr_t)_end, ro);
	unmap_page((uintptr_t)boot_stack_guard);
	unmap_page((uintptr_t)exc_stack_guard);

	map_device(&dt_machine.uart);
	map_device(&dt_machine.gic_dist);
	map_device(&dt_machine.gic_cpu);
	map_device(&dt_machine.gic_redist);
	map_device(&dt_machine.rtc);
	/* RAM at address 0 (not on QEMU's virt or Xen): keep page 0 out. */
	if (bi->memmap.count && bi->memmap.r[0].base == 0)
		unmap_page(0);

	switch_tables();
	pr_debug("paging: W^X identity map, 4 KiB pages, %zu table pages\n",
		 table_pages);
}
