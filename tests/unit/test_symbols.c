/* kernel/symbols.c: address to function name over a hand-built table. */
#include <mica/symbols.h>
#include "unit.h"

static const char names[] = "first\0second\0third\0";
static const struct ksym syms[] = {
	{ 0x000, 0 },	/* first */
	{ 0x040, 6 },	/* second */
	{ 0x100, 13 },	/* third */
	{ 0x180, 19 },	/* end marker */
};
static const struct ksym_table tab = {
	.base = 0x100000, .count = 4, .syms = syms, .names = names,
};

TEST(ksym_inside_and_exact)
{
	uint64_t off = 99;

	CHECK_STR(ksym_lookup(&tab, 0x100000, &off), "first");
	CHECK_EQ(off, 0);
	CHECK_STR(ksym_lookup(&tab, 0x10003f, &off), "first");
	CHECK_EQ(off, 0x3f);
	CHECK_STR(ksym_lookup(&tab, 0x100040, &off), "second");
	CHECK_EQ(off, 0);
	CHECK_STR(ksym_lookup(&tab, 0x1000ff, &off), "second");
	CHECK_EQ(off, 0xbf);
	CHECK_STR(ksym_lookup(&tab, 0x100100, &off), "third");
	CHECK_EQ(off, 0);
	CHECK_STR(ksym_lookup(&tab, 0x10017f, NULL), "third");
}

TEST(ksym_outside)
{
	uint64_t off = 99;

	CHECK(ksym_lookup(&tab, 0xfffff, &off) == NULL);	/* before */
	CHECK(ksym_lookup(&tab, 0, &off) == NULL);
	CHECK(ksym_lookup(&tab, 0x100180, &off) == NULL);	/* at end */
	CHECK(ksym_lookup(&tab, 0x100181, &off) == NULL);
	CHECK(ksym_lookup(&tab, 0x100000 + (1ULL << 32), &off) == NULL);
	CHECK(ksym_lookup(&tab, UINT64_MAX, &off) == NULL);
	CHECK_EQ(off, 99); /* untouched */
}

TEST(ksym_first_symbol_after_base)
{
	static const struct ksym late[] = { { 0x10, 0 }, { 0x20, 6 } };
	const struct ksym_table t = { 0x1000, 2, late, names };

	CHECK(ksym_lookup(&t, 0x100f, NULL) == NULL);
	CHECK_STR(ksym_lookup(&t, 0x1010, NULL), "first");
	CHECK(ksym_lookup(&t, 0x1020, NULL) == NULL);
}

TEST(ksym_empty_tables)
{
	static const struct ksym only_end[] = { { 0, 0 } };
	const struct ksym_table empty = { 0x1000, 0, NULL, "" };
	const struct ksym_table marker = { 0x1000, 1, only_end, "" };

	CHECK(ksym_lookup(NULL, 0x1000, NULL) == NULL);
	CHECK(ksym_lookup(&empty, 0x1000, NULL) == NULL);
	CHECK(ksym_lookup(&marker, 0x1000, NULL) == NULL);
}

TEST(ksym_many_symbols)
{
	static struct ksym many[1001];
	static char blob[1000 * 8];
	struct ksym_table t = { 0x400000, 1001, many, blob };
	uint64_t off;

	for (uint32_t i = 0; i < 1000; i++) {
		many[i].addr = i * 16;
		many[i].name = i * 8;
		blob[i * 8] = (char)('a' + i % 26);
		blob[i * 8 + 1] = (char)('0' + i % 10);
	}
	many[1000].addr = 1000 * 16;
	for (uint32_t a = 0; a < 1000 * 16; a += 5) {
		const char *n = ksym_lookup(&t, 0x400000 + a, &off);

		if (!CHECK(n == blob + (a / 16) * 8) || !CHECK_EQ(off, a % 16))
			break;
	}
}
