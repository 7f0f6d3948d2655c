/* A machine memory map: what the platform reports (e820-like types), plus
 * what Mica reserves for itself, normalised into sorted disjoint ranges. */
#ifndef MICA_MEMMAP_H
#define MICA_MEMMAP_H

#include <mica/types.h>

enum mem_type {
	MEM_RAM = 1,		/* usable RAM (E820 type 1) */
	MEM_RESERVED = 2,	/* anything not usable as RAM */
	MEM_ACPI = 3,
	MEM_NVS = 4,
	MEM_UNUSABLE = 5,
	MEM_MICA = 100,		/* RAM that Mica has claimed (image, tables) */
};

struct mem_region {
	uint64_t base;
	uint64_t size;
	uint32_t type;
};

#define MEMMAP_MAX 128

struct memmap {
	unsigned int count;
	struct mem_region r[MEMMAP_MAX];
};

void memmap_init(struct memmap *map);
/* Add a range; returns -1 if the map is full or the range wraps. */
int memmap_add(struct memmap *map, uint64_t base, uint64_t size,
	       uint32_t type);
/*
 * Make the map sorted and disjoint. Where ranges overlap, a non-RAM type
 * wins over RAM (a range that any source calls reserved is never used).
 * Adjacent ranges of one type merge.
 */
void memmap_normalize(struct memmap *map);
/* Claim [base, base+size) for Mica (type MEM_MICA) and normalise. */
int memmap_reserve(struct memmap *map, uint64_t base, uint64_t size);
uint64_t memmap_ram_bytes(const struct memmap *map);
const char *memmap_type_name(uint32_t type);

#endif
