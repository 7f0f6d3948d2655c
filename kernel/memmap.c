/*
 * Memory map normalisation. Platforms hand us ranges that may be unsorted,
 * overlapping or adjacent; everything after this works on a sorted list of
 * disjoint ranges where reserved always beats RAM.
 */
#include <mica/memmap.h>

void memmap_init(struct memmap *map)
{
	map->count = 0;
}

int memmap_add(struct memmap *map, uint64_t base, uint64_t size,
	       uint32_t type)
{
	if (size == 0)
		return 0;
	if (base + size < base || map->count >= MEMMAP_MAX)
		return -1;
	map->r[map->count].base = base;
	map->r[map->count].size = size;
	map->r[map->count].type = type;
	map->count++;
	return 0;
}

/* Higher wins where ranges overlap: RAM loses to anything else. */
static int type_rank(uint32_t type)
{
	if (type == MEM_RAM)
		return 0;
	if (type == MEM_MICA)
		return 1;
	return 2;
}

static void sort_u64(uint64_t *v, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++) {
		uint64_t x = v[i];
		unsigned int j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

void memmap_normalize(struct memmap *map)
{
	static uint64_t edges[2 * MEMMAP_MAX];
	static struct memmap out;
	unsigned int ne = 0, nu = 0;

	for (unsigned int i = 0; i < map->count; i++) {
		edges[ne++] = map->r[i].base;
		edges[ne++] = map->r[i].base + map->r[i].size;
	}
	sort_u64(edges, ne);
	for (unsigned int i = 0; i < ne; i++)
		if (nu == 0 || edges[nu - 1] != edges[i])
			edges[nu++] = edges[i];

	/* Classify each elementary interval between consecutive edges. */
	memmap_init(&out);
	for (unsigned int i = 0; i + 1 < nu; i++) {
		uint64_t lo = edges[i], hi = edges[i + 1];
		int best = -1;
		uint32_t type = 0;

		for (unsigned int j = 0; j < map->count; j++) {
			const struct mem_region *r = &map->r[j];

			if (r->base <= lo && r->base + r->size >= hi &&
			    type_rank(r->type) > best) {
				best = type_rank(r->type);
				type = r->type;
			}
		}
		if (best < 0)
			continue; /* a hole */
		if (out.count && out.r[out.count - 1].type == type &&
		    out.r[out.count - 1].base + out.r[out.count - 1].size == lo)
			out.r[out.count - 1].size += hi - lo;
		else if (memmap_add(&out, lo, hi - lo, type) < 0)
			break; /* more pieces than fit: the rest is lost */
	}
	*map = out;
}

/*
 * With no slot left for the claim, take [base, end) out of RAM in place. A
 * RAM range the claim would split keeps only its larger side: losing some
 * RAM is better than handing out memory that is in use.
 */
static void carve(struct memmap *map, uint64_t base, uint64_t end)
{
	for (unsigned int i = 0; i < map->count; i++) {
		struct mem_region *r = &map->r[i];
		uint64_t lo = r->base, hi = r->base + r->size;

		if (r->type != MEM_RAM || hi <= base || lo >= end)
			continue;
		if (lo >= base && hi <= end) {
			r->type = MEM_MICA;
		} else if (lo < base && (hi <= end || base - lo >= hi - end)) {
			r->size = base - lo;
		} else {
			r->base = end;
			r->size = hi - end;
		}
	}
}

int memmap_reserve(struct memmap *map, uint64_t base, uint64_t size)
{
	if (base + size < base)
		return -1;
	/* A full map (a hostile boot map can fill it) must not make the
	 * claim fail: callers go on to use the range. */
	if (map->count >= MEMMAP_MAX)
		memmap_normalize(map);
	if (memmap_add(map, base, size, MEM_MICA) < 0)
		carve(map, base, base + size);
	memmap_normalize(map);
	return 0;
}

uint64_t memmap_ram_bytes(const struct memmap *map)
{
	uint64_t total = 0;

	for (unsigned int i = 0; i < map->count; i++)
		if (map->r[i].type == MEM_RAM)
			total += map->r[i].size;
	return total;
}

const char *memmap_type_name(uint32_t type)
{
	switch (type) {
	case MEM_RAM:
		return "RAM";
	case MEM_RESERVED:
		return "reserved";
	case MEM_ACPI:
		return "ACPI";
	case MEM_NVS:
		return "ACPI NVS";
	case MEM_UNUSABLE:
		return "unusable";
	case MEM_MICA:
		return "mica";
	default:
		return "other";
	}
}
