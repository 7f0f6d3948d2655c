/* kernel/frame.c: the page-frame allocator over fake physical memory. */
#include <string.h>
#include <mica/mm.h>
#include "host.h"
#include "unit.h"

#define MIB (1024 * 1024)

static void map_of(struct memmap *m, const struct mem_region *r, size_t n)
{
	memmap_init(m);
	for (size_t i = 0; i < n; i++)
		memmap_add(m, r[i].base, r[i].size, r[i].type);
	memmap_normalize(m);
}

static bool in_ram(const struct memmap *m, paddr_t pa, size_t pages)
{
	for (unsigned int i = 0; i < m->count; i++)
		if (m->r[i].type == MEM_RAM && pa >= m->r[i].base &&
		    pa + pages * PAGE_SIZE <= m->r[i].base + m->r[i].size)
			return true;
	return false;
}

TEST(frame_init_counts_and_bitmap_page)
{
	struct memmap m;
	const struct mem_region r[] = { { 0x1000, MIB - 0x1000, MEM_RAM } };

	host_phys_init(MIB);
	map_of(&m, r, 1);
	REQUIRE(frame_init(&m) == 0);
	/* 255 RAM frames, one of them taken by the bitmap. */
	CHECK_EQ(frame_total_count(), 254);
	CHECK_EQ(frame_free_count(), 254);
	/* The bitmap sits at the start of the first RAM range. */
	CHECK(((unsigned char *)host_phys_base())[0x1000] != 0);
	for (size_t i = 0; i < 254; i++) {
		paddr_t pa = frame_alloc(1, 1);

		if (!CHECK(pa != FRAME_NONE && pa != 0x1000 && pa >= 0x2000 &&
			   pa < MIB))
			break;
	}
	CHECK_EQ(frame_free_count(), 0);
	CHECK_EQ(frame_alloc(1, 1), FRAME_NONE);
}

TEST(frame_bitmap_goes_to_first_range_with_room)
{
	struct memmap m;
	/* The first RAM range holds no whole page. */
	const struct mem_region r[] = {
		{ 0x1800, 0xf00, MEM_RAM },
		{ 0x10000, 0x70000, MEM_RAM },
	};
	unsigned char *mem;

	host_phys_init(MIB);
	mem = host_phys_base();
	map_of(&m, r, ARRAY_SIZE(r));
	REQUIRE(frame_init(&m) == 0);
	CHECK_EQ(mem[0x1800], 0);
	CHECK_EQ(mem[0x10000], 0xff); /* frames 0..15 are not RAM */
	CHECK_EQ(frame_total_count(), 0x70 - 1);
	for (;;) {
		paddr_t pa = frame_alloc(1, 1);

		if (pa == FRAME_NONE)
			break;
		if (!CHECK(pa != 0x10000 && in_ram(&m, pa, 1)))
			break;
	}
	CHECK_EQ(frame_free_count(), 0);
}

TEST(frame_partial_pages_not_used)
{
	struct memmap m;
	const struct mem_region r[] = {
		{ 0x1800, 0x4000, MEM_RAM },	/* whole frames 2, 3, 4 */
		{ 0x20000, 0x10000, MEM_RAM },
	};
	paddr_t got[64];
	size_t n = 0;

	host_phys_init(MIB);
	map_of(&m, r, ARRAY_SIZE(r));
	REQUIRE(frame_init(&m) == 0);
	CHECK_EQ(frame_total_count(), 3 + 16 - 1);
	while (n < ARRAY_SIZE(got) &&
	       (got[n] = frame_alloc(1, 1)) != FRAME_NONE)
		n++;
	CHECK_EQ(n, 18);
	/* The bitmap took frame 2, the first whole one. */
	for (size_t i = 0; i < n; i++)
		CHECK(in_ram(&m, got[i], 1) && got[i] != 0x1000 &&
		      got[i] != 0x2000 && got[i] != 0x5000);
}

TEST(frame_never_returns_non_ram)
{
	struct memmap m;
	const struct mem_region r[] = {
		{ 0x1000, 0x1f000, MEM_RAM },
		{ 0x8000, 0x4000, MEM_RESERVED },
		{ 0x30000, 0x10000, MEM_RAM },	/* hole before */
		{ 0x38000, 0x1000, MEM_ACPI },
		{ 0x40000, 0x3000, MEM_MICA },
		{ 0x43000, 0x5000, MEM_RAM },
	};
	static bool seen[256];
	size_t n = 0;

	host_phys_init(MIB / 2);
	map_of(&m, r, ARRAY_SIZE(r));
	REQUIRE(frame_init(&m) == 0);
	for (;;) {
		paddr_t pa = frame_alloc(1, 1);

		if (pa == FRAME_NONE)
			break;
		if (!CHECK(in_ram(&m, pa, 1)) || !CHECK(!seen[pa >> 12]))
			break;
		seen[pa >> 12] = true;
		n++;
	}
	CHECK_EQ(n, frame_total_count());
	CHECK(!seen[0x1000 >> 12]); /* the bitmap */
	CHECK(!seen[0x8000 >> 12] && !seen[0x38000 >> 12] &&
	      !seen[0x40000 >> 12]);
}

TEST(frame_alignment)
{
	static const size_t aligns[] = { 1, 2, 4, 8, 16, 64, 256 };

	host_mem_init(4 * MIB);
	frame_alloc(1, 1); /* make the next free frame odd */
	for (size_t i = 0; i < ARRAY_SIZE(aligns); i++) {
		size_t before = frame_free_count();
		paddr_t pa = frame_alloc(3, aligns[i]);

		if (!CHECK(pa != FRAME_NONE))
			continue;
		CHECK_EQ(pa % (aligns[i] * PAGE_SIZE), 0);
		CHECK_EQ(frame_free_count(), before - 3);
	}
	/* 4 MiB alignment: nothing in [4 KiB, 4 MiB) qualifies. */
	CHECK_EQ(frame_alloc(1, 1024), FRAME_NONE);
}

TEST(frame_bad_arguments)
{
	host_mem_init(MIB);
	CHECK_EQ(frame_alloc(0, 1), FRAME_NONE);
	CHECK_EQ(frame_alloc(1, 0), FRAME_NONE);
	CHECK_EQ(frame_alloc(1, 3), FRAME_NONE);
	CHECK_EQ(frame_alloc(1, 48), FRAME_NONE);
	CHECK_EQ(frame_alloc(SIZE_MAX, 1), FRAME_NONE);
	CHECK_EQ(frame_alloc(1, (size_t)1 << 63), FRAME_NONE);
	CHECK_EQ(frame_free_count(), frame_total_count());
}

TEST(frame_contiguous_runs_are_free_and_disjoint)
{
	paddr_t a, b, c, d;

	host_mem_init(MIB);
	a = frame_alloc(10, 1);
	b = frame_alloc(1, 1);
	c = frame_alloc(10, 1);
	REQUIRE(a != FRAME_NONE && b != FRAME_NONE && c != FRAME_NONE);
	CHECK(b >= a + 10 * PAGE_SIZE || b + PAGE_SIZE <= a);
	CHECK(c >= a + 10 * PAGE_SIZE || c + 10 * PAGE_SIZE <= a);
	CHECK(c >= b + PAGE_SIZE || c + 10 * PAGE_SIZE <= b);
	/* A 5-frame hole between used frames: a 5-frame run takes it... */
	frame_free(a + 2 * PAGE_SIZE, 5);
	CHECK_EQ(frame_alloc(5, 1), a + 2 * PAGE_SIZE);
	/* ...and a 6-frame run does not. */
	frame_free(a + 2 * PAGE_SIZE, 5);
	d = frame_alloc(6, 1);
	REQUIRE(d != FRAME_NONE);
	CHECK(d >= c + 10 * PAGE_SIZE);
}

TEST(frame_free_then_realloc)
{
	size_t total;
	paddr_t first = FRAME_NONE, pa;

	host_mem_init(MIB);
	total = frame_free_count();
	while ((pa = frame_alloc(1, 1)) != FRAME_NONE)
		if (first == FRAME_NONE)
			first = pa;
	CHECK_EQ(frame_free_count(), 0);
	frame_free(first, 1);
	CHECK_EQ(frame_free_count(), 1);
	CHECK_EQ(frame_alloc(1, 1), first);
	CHECK_EQ(frame_alloc(1, 1), FRAME_NONE);
	frame_free(first, 1);
	frame_free(first, 1); /* double free: counted once */
	CHECK_EQ(frame_free_count(), 1);
	CHECK_EQ(frame_total_count(), total);
}

TEST(frame_search_wraps_around)
{
	size_t n = 0;
	bool two = false, three = false;
	paddr_t pa;

	host_mem_init(MIB);
	/* Frames 2 and 3 are free but the aligned run starts at 4; the
	 * search goes on from 8 and must come back for them at the end. */
	CHECK_EQ(frame_alloc(4, 4), 0x4000);
	while ((pa = frame_alloc(1, 1)) != FRAME_NONE) {
		two |= pa == 0x2000;
		three |= pa == 0x3000;
		n++;
	}
	CHECK(two && three);
	CHECK_EQ(n, frame_total_count() - 4);
}

TEST(frame_init_without_room_fails)
{
	struct memmap m;
	const struct mem_region none[] = { { 0x0, 0x100000, MEM_RESERVED } };
	/* 1 TiB up: the bitmap would need 32 MiB, no range has it. */
	const struct mem_region far[] = {
		{ 0x1000, 0x10000, MEM_RAM },
		{ 1ULL << 40, 0x10000, MEM_RAM },
	};

	host_phys_init(MIB);
	map_of(&m, none, 1);
	CHECK_EQ(frame_init(&m), -1);
	memmap_init(&m);
	CHECK_EQ(frame_init(&m), -1);
	map_of(&m, far, 2);
	CHECK_EQ(frame_init(&m), -1);
}
