/*
 * Guest-physical addresses with nothing behind them, for grant table
 * frames and foreign mappings: a bump allocator over a window far above
 * RAM (512 GiB; below the 40-bit physical address width every x86-64 CPU
 * and arm64 Xen guest has), mapped into our page tables on demand.
 */
#include <mica/arch.h>
#include <mica/panic.h>
#include <mica/xen/grant.h>

#define WINDOW_BASE (512ULL << 30)
#define WINDOW_PAGES (1U << 18) /* 1 GiB */

static uint32_t used_pages;

uint64_t xen_alloc_unpopulated(uint32_t pages)
{
	uint64_t pa;

	if (pages > WINDOW_PAGES - used_pages)
		panic("xen: out of unpopulated guest-physical space");
	pa = WINDOW_BASE + (uint64_t)used_pages * PAGE_SIZE;
	used_pages += pages;
	arch_map_phys(pa, (size_t)pages * PAGE_SIZE);
	return pa;
}
