/*
 * memmap_add + memmap_normalize (+ memmap_reserve) on a list of ranges.
 *
 * Input: one mode byte, then records. Mode bit 2 starts from a packed map
 * (see below). Mode bit 1 picks the record format:
 * wide (8-byte base, 8-byte size, type byte) or compact (16-bit page
 * number, 16-bit page count, type byte) for dense overlaps. Mode bit 0
 * picks what is done: 0 adds every record then normalises once; 1 is the
 * boot sequence: records with bit 7 of the type byte set are
 * memmap_reserve() claims, the rest are added (normalised before a claim).
 *
 * Checked: memmap_add's result for each record, then that the normalised
 * map is sorted, disjoint and merged, and that every byte has exactly the
 * type the input ranks highest (so no byte any input calls reserved is
 * RAM); after each claim, that the claimed bytes are not RAM and that no
 * RAM appeared.
 */
#include <string.h>
#include "fuzz.h"

static const uint32_t types[8] = {
	MEM_RAM, MEM_RESERVED, MEM_ACPI,   MEM_NVS,
	MEM_UNUSABLE, MEM_MICA, MEM_RAM, 42, /* an unknown type */
};

static uint64_t get(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static uint32_t type_at(const struct memmap *m, uint64_t a)
{
	for (unsigned int i = 0; i < m->count; i++)
		if (a >= m->r[i].base && a - m->r[i].base < m->r[i].size)
			return m->r[i].type;
	return 0;
}

#define MAX_CLAIMS 18

static struct memmap map, before;

static void add(uint64_t base, uint64_t size, uint32_t type)
{
	unsigned int count = map.count;
	int rc = memmap_add(&map, base, size, type);

	if (size == 0) {
		FUZZ_ASSERT(rc == 0 && map.count == count);
	} else if (base + size < base || count >= MEMMAP_MAX) {
		FUZZ_ASSERT(rc == -1 && map.count == count);
	} else {
		FUZZ_ASSERT(rc == 0 && map.count == count + 1);
		FUZZ_ASSERT(map.r[count].base == base &&
			    map.r[count].size == size &&
			    map.r[count].type == type);
	}
}

/* Every RAM range of @after must lie inside one RAM range of @was (which
 * is normalised, so a RAM stretch of it is a single range). */
static void check_no_new_ram(const struct memmap *was,
			     const struct memmap *after)
{
	for (unsigned int i = 0; i < after->count; i++) {
		const struct mem_region *r = &after->r[i];
		bool inside = false;

		if (r->type != MEM_RAM)
			continue;
		for (unsigned int j = 0; j < was->count && !inside; j++) {
			const struct mem_region *w = &was->r[j];

			inside = w->type == MEM_RAM && w->base <= r->base &&
				 r->base - w->base <= w->size &&
				 r->size <= w->size - (r->base - w->base);
		}
		if (!inside)
			fuzz_fail("memmap_reserve made [%#llx, +%#llx) RAM",
				  (unsigned long long)r->base,
				  (unsigned long long)r->size);
	}
}

static void claim(uint64_t base, uint64_t size)
{
	struct mem_region in[MEMMAP_MAX + 1];
	int rc;

	memmap_normalize(&map);
	before = map;
	rc = memmap_reserve(&map, base, size);
	if (base + size < base) {
		FUZZ_ASSERT(rc == -1);
		FUZZ_ASSERT(memcmp(&map, &before, sizeof(map)) == 0);
		return;
	}
	FUZZ_ASSERT(rc == 0);
	fuzz_check_normalised(&map);
	/* No claimed byte is RAM: its edges, and every edge inside it. */
	if (size) {
		FUZZ_ASSERT(type_at(&map, base) != MEM_RAM);
		FUZZ_ASSERT(type_at(&map, base + size - 1) != MEM_RAM);
		for (unsigned int i = 0; i < map.count; i++) {
			uint64_t b = map.r[i].base;

			if (b >= base && b - base < size)
				FUZZ_ASSERT(map.r[i].type != MEM_RAM);
		}
	}
	check_no_new_ram(&before, &map);
	/* With room for a split, nothing may be lost either. */
	if (before.count + 2 <= MEMMAP_MAX) {
		memcpy(in, before.r, before.count * sizeof(in[0]));
		in[before.count] = (struct mem_region){ base, size, MEM_MICA };
		fuzz_check_normalised_from(&map, in,
					   before.count + (size ? 1 : 0));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mem_region in[MEMMAP_MAX];
	unsigned int mode, rec, n, claims = 0;

	if (size < 1)
		return 0;
	mode = data[0];
	rec = mode & 2 ? 5 : 17;
	data++;
	size--;
	memmap_init(&map);
	/* Mode bit 2: start from a nearly or fully packed map (the next
	 * byte says how many ranges), as a hostile boot map can make it. */
	if ((mode & 4) && size >= 1) {
		for (unsigned int i = 0; i < MIN(data[0], MEMMAP_MAX); i++)
			add((uint64_t)i << 20, 1 << 19,
			    i % 2 ? MEM_RESERVED : MEM_RAM);
		data++;
		size--;
	}
	for (; size >= rec; data += rec, size -= rec) {
		uint64_t base, len;
		uint8_t t = data[rec - 1];

		if (mode & 2) {
			base = get(data, 2) << PAGE_SHIFT;
			len = get(data + 2, 2) << PAGE_SHIFT;
		} else {
			base = get(data, 8);
			len = get(data + 8, 8);
		}
		if ((mode & 1) && (t & 0x80)) {
			/* As many as boot makes (first MiB, modules, image). */
			if (++claims <= MAX_CLAIMS)
				claim(base, len);
			continue;
		}
		add(base, len, types[t & 7]);
	}
	/* What normalising sees is the map's ranges, in order. */
	n = map.count;
	memcpy(in, map.r, n * sizeof(in[0]));
	memmap_normalize(&map);
	fuzz_check_normalised_from(&map, in, n);
	return 0;
}
