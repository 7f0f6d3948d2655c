/* kernel/memmap.c: adding ranges and normalising the map. */
#include <string.h>
#include <mica/memmap.h>
#include "unit.h"

/* The type of the byte at @addr, 0 for a hole. */
static uint32_t type_at(const struct memmap *m, uint64_t addr)
{
	for (unsigned int i = 0; i < m->count; i++)
		if (addr >= m->r[i].base && addr - m->r[i].base < m->r[i].size)
			return m->r[i].type;
	return 0;
}

static void check_normalised(const struct memmap *m)
{
	CHECK(m->count <= MEMMAP_MAX);
	for (unsigned int i = 0; i < m->count; i++) {
		CHECK(m->r[i].size > 0);
		if (i == 0)
			continue;
		CHECK(m->r[i - 1].base + m->r[i - 1].size <= m->r[i].base);
		if (m->r[i - 1].base + m->r[i - 1].size == m->r[i].base)
			CHECK(m->r[i - 1].type != m->r[i].type);
	}
}

#define CHECK_REGION(m, i, b, s, t)                                            \
	do {                                                                   \
		CHECK_EQ((m)->r[i].base, (b));                                 \
		CHECK_EQ((m)->r[i].size, (s));                                 \
		CHECK_EQ((m)->r[i].type, (t));                                 \
	} while (0)

TEST(memmap_unsorted_input_is_sorted)
{
	struct memmap m;

	memmap_init(&m);
	CHECK_EQ(memmap_add(&m, 0x30000, 0x1000, MEM_RAM), 0);
	CHECK_EQ(memmap_add(&m, 0x10000, 0x1000, MEM_ACPI), 0);
	CHECK_EQ(memmap_add(&m, 0x20000, 0x1000, MEM_RAM), 0);
	memmap_normalize(&m);
	REQUIRE(m.count == 3);
	CHECK_REGION(&m, 0, 0x10000, 0x1000, MEM_ACPI);
	CHECK_REGION(&m, 1, 0x20000, 0x1000, MEM_RAM);
	CHECK_REGION(&m, 2, 0x30000, 0x1000, MEM_RAM);
	check_normalised(&m);
}

TEST(memmap_overlapping_ram_merges)
{
	struct memmap m;

	memmap_init(&m);
	memmap_add(&m, 0x4000, 0x6000, MEM_RAM);
	memmap_add(&m, 0x0, 0x5000, MEM_RAM);
	memmap_add(&m, 0x5000, 0x1000, MEM_RAM); /* fully inside */
	memmap_normalize(&m);
	REQUIRE(m.count == 1);
	CHECK_REGION(&m, 0, 0, 0xa000, MEM_RAM);
	CHECK_EQ(memmap_ram_bytes(&m), 0xa000);
}

TEST(memmap_adjacent_same_type_merges)
{
	struct memmap m;

	memmap_init(&m);
	memmap_add(&m, 0x2000, 0x1000, MEM_RAM);
	memmap_add(&m, 0x1000, 0x1000, MEM_RAM);
	memmap_add(&m, 0x3000, 0x1000, MEM_RAM);
	memmap_add(&m, 0x4000, 0x1000, MEM_NVS); /* adjacent, other type */
	memmap_add(&m, 0x6000, 0x1000, MEM_RAM); /* a hole before it */
	memmap_normalize(&m);
	REQUIRE(m.count == 3);
	CHECK_REGION(&m, 0, 0x1000, 0x3000, MEM_RAM);
	CHECK_REGION(&m, 1, 0x4000, 0x1000, MEM_NVS);
	CHECK_REGION(&m, 2, 0x6000, 0x1000, MEM_RAM);
	CHECK_EQ(type_at(&m, 0x5000), 0);
}

TEST(memmap_reserved_wins_over_ram)
{
	struct memmap m;

	/* Reserved inside RAM splits it, whichever comes first. */
	for (int order = 0; order < 2; order++) {
		memmap_init(&m);
		if (order)
			memmap_add(&m, 0x4000, 0x2000, MEM_RESERVED);
		memmap_add(&m, 0x0, 0x10000, MEM_RAM);
		if (!order)
			memmap_add(&m, 0x4000, 0x2000, MEM_RESERVED);
		memmap_normalize(&m);
		REQUIRE(m.count == 3);
		CHECK_REGION(&m, 0, 0x0, 0x4000, MEM_RAM);
		CHECK_REGION(&m, 1, 0x4000, 0x2000, MEM_RESERVED);
		CHECK_REGION(&m, 2, 0x6000, 0xa000, MEM_RAM);
	}
}

TEST(memmap_reserved_overlapping_ram_edge)
{
	struct memmap m;

	memmap_init(&m);
	memmap_add(&m, 0x1000, 0x4000, MEM_RAM);
	memmap_add(&m, 0x0, 0x2000, MEM_UNUSABLE);	/* RAM's start */
	memmap_add(&m, 0x4800, 0x1000, MEM_ACPI);	/* RAM's end */
	memmap_normalize(&m);
	check_normalised(&m);
	REQUIRE(m.count == 3);
	CHECK_REGION(&m, 0, 0x0, 0x2000, MEM_UNUSABLE);
	CHECK_REGION(&m, 1, 0x2000, 0x2800, MEM_RAM);
	CHECK_REGION(&m, 2, 0x4800, 0x1000, MEM_ACPI);
}

TEST(memmap_type_ranks)
{
	struct memmap m;

	/* Mica's claim beats RAM; the platform's reservations beat both. */
	memmap_init(&m);
	memmap_add(&m, 0x0, 0x3000, MEM_RAM);
	memmap_add(&m, 0x0, 0x2000, MEM_MICA);
	memmap_add(&m, 0x1000, 0x2000, MEM_RESERVED);
	memmap_normalize(&m);
	REQUIRE(m.count == 2);
	CHECK_REGION(&m, 0, 0x0, 0x1000, MEM_MICA);
	CHECK_REGION(&m, 1, 0x1000, 0x2000, MEM_RESERVED);
	CHECK_EQ(memmap_ram_bytes(&m), 0);
}

TEST(memmap_zero_size_ignored)
{
	struct memmap m;

	memmap_init(&m);
	CHECK_EQ(memmap_add(&m, 0x1000, 0, MEM_RESERVED), 0);
	CHECK_EQ(m.count, 0);
	memmap_add(&m, 0x0, 0x2000, MEM_RAM);
	memmap_add(&m, 0x1000, 0, MEM_RESERVED);
	memmap_normalize(&m);
	REQUIRE(m.count == 1);
	CHECK_REGION(&m, 0, 0, 0x2000, MEM_RAM);
}

TEST(memmap_wrapping_range_rejected)
{
	struct memmap m;

	memmap_init(&m);
	CHECK_EQ(memmap_add(&m, UINT64_MAX - 0xfff, 0x2000, MEM_RAM), -1);
	CHECK_EQ(memmap_add(&m, 1, UINT64_MAX, MEM_RAM), -1);
	/* Ending exactly at 2^64 wraps to 0 as well. */
	CHECK_EQ(memmap_add(&m, UINT64_MAX - 0xfff, 0x1000, MEM_RAM), -1);
	CHECK_EQ(m.count, 0);
	CHECK_EQ(memmap_add(&m, UINT64_MAX - 0xfff, 0xfff, MEM_RAM), 0);
	CHECK_EQ(m.count, 1);
}

TEST(memmap_full_map_rejects_more)
{
	struct memmap m;

	memmap_init(&m);
	for (unsigned int i = 0; i < MEMMAP_MAX; i++)
		CHECK_EQ(memmap_add(&m, (uint64_t)i * 0x2000, 0x1000, MEM_RAM),
			 0);
	CHECK_EQ(m.count, MEMMAP_MAX);
	CHECK_EQ(memmap_add(&m, 0x10000000, 0x1000, MEM_RAM), -1);
	CHECK_EQ(m.count, MEMMAP_MAX);
	memmap_normalize(&m);
	CHECK_EQ(m.count, MEMMAP_MAX);
	check_normalised(&m);
}

TEST(memmap_many_holes_never_make_reserved_ram)
{
	struct memmap m;

	/* One big RAM range with 127 reservations inside: 255 pieces, more
	 * than the map holds. Whatever is dropped, no reserved byte may
	 * become RAM. */
	memmap_init(&m);
	memmap_add(&m, 0, 0x1000000, MEM_RAM);
	for (unsigned int i = 1; i < MEMMAP_MAX; i++)
		memmap_add(&m, (uint64_t)i * 0x10000, 0x1000, MEM_RESERVED);
	memmap_normalize(&m);
	check_normalised(&m);
	for (unsigned int i = 1; i < MEMMAP_MAX; i++) {
		uint32_t t = type_at(&m, (uint64_t)i * 0x10000);

		if (!CHECK(t != MEM_RAM))
			break;
	}
	CHECK_EQ(type_at(&m, 0), MEM_RAM);
}

TEST(memmap_reserve_claims_range)
{
	struct memmap m;

	memmap_init(&m);
	memmap_add(&m, 0, 0x100000, MEM_RAM);
	memmap_normalize(&m);
	CHECK_EQ(memmap_reserve(&m, 0x8000, 0x3000), 0);
	REQUIRE(m.count == 3);
	CHECK_REGION(&m, 1, 0x8000, 0x3000, MEM_MICA);
	CHECK_EQ(memmap_ram_bytes(&m), 0x100000 - 0x3000);
	/* Reserving over reserved memory keeps the platform's type. */
	memmap_add(&m, 0x20000, 0x1000, MEM_ACPI);
	memmap_normalize(&m);
	CHECK_EQ(memmap_reserve(&m, 0x1f000, 0x3000), 0);
	CHECK_EQ(type_at(&m, 0x1f000), MEM_MICA);
	CHECK_EQ(type_at(&m, 0x20000), MEM_ACPI);
	CHECK_EQ(type_at(&m, 0x21000), MEM_MICA);
	CHECK_EQ(type_at(&m, 0x22000), MEM_RAM);
}

/* A full map (what a hostile start info can produce): a reservation must
 * still take its range out of RAM, or the frame allocator would hand out
 * the kernel image. */
TEST(memmap_reserve_on_full_map_still_claims)
{
	struct memmap m;
	uint64_t probes[] = { 0x2000, 0x2fff, 0x3000, 0x3800 };

	memmap_init(&m);
	for (unsigned int i = 0; i < MEMMAP_MAX; i++)
		memmap_add(&m, (uint64_t)i * 0x10000, 0x8000,
			   i % 2 ? MEM_RESERVED : MEM_RAM);
	memmap_normalize(&m);
	REQUIRE(m.count == MEMMAP_MAX);
	/* Strictly inside the first RAM range: needs a split. */
	memmap_reserve(&m, 0x2000, 0x2000);
	check_normalised(&m);
	for (unsigned int i = 0; i < ARRAY_SIZE(probes); i++)
		CHECK(type_at(&m, probes[i]) != MEM_RAM);
	/* Over the end of one RAM range, a reserved one, and the start of
	 * the next RAM range. */
	memmap_reserve(&m, 0x27000, 0x1b000);
	check_normalised(&m);
	CHECK_EQ(type_at(&m, 0x26fff), MEM_RAM);
	CHECK(type_at(&m, 0x27000) != MEM_RAM);
	CHECK(type_at(&m, 0x27fff) != MEM_RAM);
	CHECK(type_at(&m, 0x40000) != MEM_RAM);
	CHECK(type_at(&m, 0x41fff) != MEM_RAM);
	CHECK_EQ(type_at(&m, 0x42000), MEM_RAM);
	/* A whole RAM range. */
	memmap_reserve(&m, 0x60000, 0x8000);
	CHECK(type_at(&m, 0x60000) != MEM_RAM);
	CHECK(type_at(&m, 0x67fff) != MEM_RAM);
	/* RAM away from the reservations is still there. */
	CHECK_EQ(type_at(&m, 0x80000), MEM_RAM);
	CHECK_EQ(type_at(&m, 0x7e0000), MEM_RAM);
}

TEST(memmap_type_names)
{
	CHECK_STR(memmap_type_name(MEM_RAM), "RAM");
	CHECK_STR(memmap_type_name(MEM_RESERVED), "reserved");
	CHECK_STR(memmap_type_name(MEM_MICA), "mica");
	CHECK_STR(memmap_type_name(77), "other");
}
