/*
 * Mica's own page tables: an identity map (virtual == physical) of RAM
 * with W^X. Kernel text is read+execute, rodata read-only, everything else
 * read/write and never executable (NX, when the CPU has it). Page 0 and
 * the guard page under every stack are left unmapped. Large ranges use
 * 2 MiB pages; a 2 MiB page is split into 4 KiB pages when a part of it
 * needs other rights.
 */
#include <string.h>
#include <mica/arch.h>
#include <mica/mm.h>
#include <mica/panic.h>
#include <mica/printk.h>
#include <arch/cpu.h>
#include <arch/pv.h>
#include <arch/x86.h>

#define PTE_P 0x1ULL
#define PTE_RW 0x2ULL
#define PTE_PWT 0x8ULL
#define PTE_PCD 0x10ULL
#define PTE_PS 0x80ULL
#define PTE_NX (1ULL << 63)
#define PTE_ADDR 0x000ffffffffff000ULL
#define SIZE_2M (2ULL << 20)

static uint64_t *pml4;
static uint64_t nx;

bool nx_enabled(void)
{
	return nx != 0;
}

static uint64_t *new_table(void)
{
	paddr_t pa = frame_alloc(1, 1);

	if (pa == FRAME_NONE)
		panic("out of memory while building page tables");
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return phys_to_virt(pa);
}

/* The entry for @va at @level (3 = PML4 ... 0 = PT), creating tables on
 * the way and splitting a 2 MiB page if one is in the way of a PT. */
static uint64_t *entry_at(uintptr_t va, int level)
{
	uint64_t *table = pml4;

	for (int l = 3; l > level; l--) {
		uint64_t *e = &table[(va >> (12 + 9 * l)) & 511];

		if (!(*e & PTE_P)) {
			*e = virt_to_phys(new_table()) | PTE_P | PTE_RW;
		} else if (*e & PTE_PS) {
			/* Split: 512 small pages with the same rights. */
			uint64_t *pt = new_table();
			uint64_t base = *e & PTE_ADDR;
			uint64_t flags = *e & ~PTE_ADDR & ~PTE_PS;

			for (int i = 0; i < 512; i++)
				pt[i] = (base + (uint64_t)i * PAGE_SIZE) | flags;
			*e = virt_to_phys(pt) | PTE_P | PTE_RW;
		}
		table = phys_to_virt(*e & PTE_ADDR);
	}
	return &table[(va >> (12 + 9 * level)) & 511];
}

/* Identity-map [start, end) with @flags; 2 MiB pages where aligned and
 * allowed (@small forces 4 KiB pages). */
static void map_range(uint64_t start, uint64_t end, uint64_t flags, bool small)
{
	uint64_t va = ALIGN_DOWN(start, PAGE_SIZE);

	end = ALIGN_UP(end, PAGE_SIZE);
	while (va < end) {
		if (!small && va % SIZE_2M == 0 && end - va >= SIZE_2M) {
			*entry_at(va, 1) = va | flags | PTE_PS;
			va += SIZE_2M;
		} else {
			*entry_at(va, 0) = va | flags;
			va += PAGE_SIZE;
		}
	}
}

int paging_set_present(uintptr_t va, bool present)
{
	uint64_t *e;

	if (x86_is_pv)
		return pv_set_present(va, present);
	e = entry_at(va, 0);

	if (present)
		*e |= PTE_P;
	else
		*e &= ~PTE_P;
	invlpg(va);
	return 0;
}

void *paging_map_mmio(paddr_t pa, size_t size)
{
	map_range(pa, pa + size, PTE_P | PTE_RW | PTE_PCD | PTE_PWT | nx,
		  true);
	for (uint64_t va = ALIGN_DOWN(pa, PAGE_SIZE); va < pa + size;
	     va += PAGE_SIZE)
		invlpg(va);
	return phys_to_virt(pa);
}

void *phys_to_virt(paddr_t pa)
{
	return (void *)(uintptr_t)pa;
}

paddr_t virt_to_phys(const void *va)
{
	return (paddr_t)(uintptr_t)va;
}

void *arch_map_mmio(paddr_t pa, size_t size)
{
	return paging_map_mmio(pa, size);
}

void *arch_map_phys(paddr_t pa, size_t size)
{
	if (x86_is_pv)
		panic("PV: no guest-physical space to map %#llx into",
		      (unsigned long long)pa);
	map_range(pa, pa + size, PTE_P | PTE_RW | nx, true);
	for (uint64_t va = ALIGN_DOWN(pa, PAGE_SIZE); va < pa + size;
	     va += PAGE_SIZE)
		invlpg(va);
	return phys_to_virt(pa);
}

extern char ist_stack_guard[];

void paging_init(const struct boot_info *bi)
{
	const uint64_t rw = PTE_P | PTE_RW;

	if (cpuid(0x80000000, 0).eax >= 0x80000001 &&
	    (cpuid(0x80000001, 0).edx & (1U << 20))) {
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
		nx = PTE_NX;
	}
	pml4 = new_table();

	for (unsigned int i = 0; i < bi->memmap.count; i++) {
		const struct mem_region *r = &bi->memmap.r[i];

		if (r->type == MEM_RAM || r->type == MEM_MICA)
			map_range(r->base, r->base + r->size, rw | nx, false);
	}
	/* Low memory (BIOS data, start info) readable; page 0 never. */
	map_range(PAGE_SIZE, 0x100000, rw | nx, true);
	*entry_at(0, 0) = 0;

	map_range((uintptr_t)_text, (uintptr_t)_etext, PTE_P, true);
	map_range((uintptr_t)_rodata, (uintptr_t)_erodata, PTE_P | nx, true);
	map_range((uintptr_t)_data, (uintptr_t)_ksyms, rw | nx, true);
	map_range((uintptr_t)_ksyms, (uintptr_t)_end, PTE_P | nx, true);
	*entry_at((uintptr_t)boot_stack_guard, 0) = 0;
	*entry_at((uintptr_t)ist_stack_guard, 0) = 0;

	write_cr3(virt_to_phys(pml4));
	write_cr0(read_cr0() | CR0_WP);
	pr_debug("paging: W^X identity map, NX %s\n", nx ? "on" : "absent");
}
