/* kernel/heap.c: the kernel heap on frames of fake physical memory. */
#include <string.h>
#include <mica/heap.h>
#include <mica/mm.h>
#include "host.h"
#include "unit.h"

#define MIB (1024 * 1024)

static void fill(void *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		((unsigned char *)p)[i] = (unsigned char)(seed * 31 + i * 7);
}

static bool intact(const void *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		if (((const unsigned char *)p)[i] !=
		    (unsigned char)(seed * 31 + i * 7))
			return false;
	return true;
}

TEST(heap_alloc_free_coalesce)
{
	struct heap_stats st, st0;
	void *a, *b, *c, *big;

	host_mem_init(8 * MIB);
	a = heap_alloc(100);
	b = heap_alloc(200);
	c = heap_alloc(300);
	REQUIRE(a && b && c);
	CHECK(a != b && b != c);
	CHECK_EQ(heap_check(), 0);
	heap_get_stats(&st0);
	CHECK_EQ(st0.allocs, 3);
	CHECK(st0.used_bytes >= 600);
	/* Free the middle, then each neighbour: every order of merge. */
	heap_free(b);
	CHECK_EQ(heap_check(), 0);
	heap_free(a);
	CHECK_EQ(heap_check(), 0);
	heap_free(c);
	CHECK_EQ(heap_check(), 0);
	heap_get_stats(&st);
	CHECK_EQ(st.used_bytes, 0);
	CHECK_EQ(st.frees, 3);
	/* All merged back: the whole first arena fits in one block again. */
	big = heap_alloc(st.arena_bytes - 128);
	REQUIRE(big);
	heap_get_stats(&st0);
	CHECK_EQ(st0.arena_bytes, st.arena_bytes);
	heap_free(big);
	CHECK_EQ(heap_check(), 0);
}

TEST(heap_alignment_and_usable_size)
{
	void *p[300];

	host_mem_init(8 * MIB);
	for (size_t n = 0; n < ARRAY_SIZE(p); n++) {
		p[n] = heap_alloc(n);
		REQUIRE(p[n]);
		CHECK_EQ((uintptr_t)p[n] % 16, 0);
		CHECK(heap_usable_size(p[n]) >= n);
		/* The whole usable size is ours to write. */
		memset(p[n], 0xa5, heap_usable_size(p[n]));
	}
	CHECK_EQ(heap_check(), 0);
	for (size_t n = 0; n < ARRAY_SIZE(p); n += 2)
		heap_free(p[n]);
	CHECK_EQ(heap_check(), 0);
	for (size_t n = 1; n < ARRAY_SIZE(p); n += 2)
		heap_free(p[n]);
	CHECK_EQ(heap_check(), 0);
}

TEST(heap_realloc_grow_shrink_keeps_content)
{
	struct heap_stats st;
	char *p, *q, *r;

	host_mem_init(8 * MIB);
	p = heap_alloc(40);
	REQUIRE(p);
	fill(p, 40, 1);
	q = heap_realloc(p, 5000);	/* grow: moves */
	REQUIRE(q);
	CHECK(intact(q, 40, 1));
	fill(q, 5000, 2);
	r = heap_realloc(q, 10);	/* shrink: stays */
	CHECK(r == q);
	CHECK(intact(r, 10, 2));
	CHECK(heap_usable_size(r) >= 10);
	CHECK_EQ(heap_check(), 0);
	/* NULL grows from nothing; size 0 frees. */
	p = heap_realloc(NULL, 64);
	REQUIRE(p);
	heap_get_stats(&st);
	CHECK(heap_realloc(p, 0) == NULL);
	CHECK(heap_realloc(r, 0) == NULL);
	heap_get_stats(&st);
	CHECK_EQ(st.used_bytes, 0);
	CHECK_EQ(heap_check(), 0);
}

TEST(heap_memalign_32_to_4096)
{
	static const size_t sizes[] = { 0, 1, 16, 17, 100, 4096, 5000 };
	void *p[7 * 8];
	size_t n = 0;
	struct heap_stats st;

	host_mem_init(8 * MIB);
	for (size_t align = 32; align <= 4096; align *= 2) {
		for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
			void *q = heap_memalign(align, sizes[i]);

			REQUIRE(q);
			p[n++] = q;
			CHECK_EQ((uintptr_t)q % align, 0);
			CHECK(heap_usable_size(q) >= sizes[i]);
			memset(q, 0x5a, heap_usable_size(q));
			if (!CHECK_EQ(heap_check(), 0)) {
				unit_fail(__FILE__, __LINE__,
					  "after memalign(%zu, %zu)", align,
					  sizes[i]);
				return;
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		heap_free(p[i]);
		REQUIRE(heap_check() == 0);
	}
	heap_get_stats(&st);
	CHECK_EQ(st.used_bytes, 0);
}

/* The front gap memalign gives back must leave a valid block behind:
 * each alignment offset of the raw block, for the smallest sizes. */
TEST(heap_memalign_every_offset)
{
	host_mem_init(8 * MIB);
	for (size_t pad = 0; pad < 8; pad++) {
		for (size_t align = 32; align <= 256; align *= 2) {
			for (size_t size = 0; size <= 32; size += 16) {
				void *spacer = heap_alloc(pad * 16);
				void *q = heap_memalign(align, size);
				void *after = heap_alloc(1);

				REQUIRE(spacer && q && after);
				CHECK_EQ((uintptr_t)q % align, 0);
				if (!CHECK_EQ(heap_check(), 0)) {
					unit_fail(__FILE__, __LINE__,
						  "memalign(%zu, %zu) after "
						  "%zu bytes",
						  align, size, pad * 16);
					return;
				}
				heap_free(q);
				heap_free(spacer);
				heap_free(after);
				REQUIRE(heap_check() == 0);
			}
		}
	}
}

TEST(heap_memalign_bad_alignment)
{
	host_mem_init(8 * MIB);
	CHECK(heap_memalign(48, 10) == NULL);
	CHECK(heap_memalign(100, 10) == NULL);
	CHECK(heap_memalign((size_t)1 << 63, 10) == NULL);
	/* Up to 16 is what every block has anyway. */
	void *p = heap_memalign(8, 10);

	CHECK(p != NULL && (uintptr_t)p % 16 == 0);
	heap_free(p);
	CHECK_EQ(heap_check(), 0);
}

TEST(heap_double_free_panics)
{
	void *p, *q;

	host_mem_init(8 * MIB);
	p = heap_alloc(32);
	q = heap_alloc(32); /* keeps p from merging with the free rest */
	REQUIRE(p && q);
	heap_free(p);
	EXPECT_PANIC(heap_free(p), "already free");
	heap_free(q);
	/* Now p has merged into a bigger block: still caught. */
	EXPECT_PANIC(heap_free(q), "heap: free of");
}

TEST(heap_bad_pointer_panics)
{
	_Alignas(16) char fake[64];
	char *p;

	host_mem_init(8 * MIB);
	p = heap_alloc(64);
	REQUIRE(p);
	memset(fake, 0, sizeof(fake));
	EXPECT_PANIC(heap_free(p + 16), "not a heap block");
	EXPECT_PANIC(heap_free(p + 1), "heap: free of");
	EXPECT_PANIC(heap_free(fake + 32), "not a heap block");
	EXPECT_PANIC(heap_realloc(fake + 32, 8), "not a heap block");
	EXPECT_PANIC(heap_usable_size(fake + 16), "usable_size");
	/* None of that touched the real block. */
	CHECK_EQ(heap_check(), 0);
	heap_free(p);
	CHECK_EQ(heap_check(), 0);
}

TEST(heap_free_null_is_nothing)
{
	struct heap_stats st;

	host_mem_init(8 * MIB);
	heap_free(NULL);
	heap_get_stats(&st);
	CHECK_EQ(st.frees, 0);
}

TEST(heap_huge_sizes_return_null)
{
	struct heap_stats st0, st;
	char *p;

	host_mem_init(8 * MIB);
	p = heap_alloc(100);
	REQUIRE(p);
	fill(p, 100, 9);
	heap_get_stats(&st0);
	CHECK(heap_alloc(SIZE_MAX) == NULL);
	CHECK(heap_alloc(SIZE_MAX / 2) == NULL);
	CHECK(heap_alloc(SIZE_MAX / 2 + 1) == NULL);
	CHECK(heap_alloc(64 * MIB) == NULL); /* more than the machine */
	CHECK(heap_memalign(4096, SIZE_MAX) == NULL);
	CHECK(heap_memalign(4096, SIZE_MAX / 2) == NULL);
	CHECK(heap_realloc(p, SIZE_MAX) == NULL);
	CHECK(intact(p, 100, 9)); /* a failed realloc keeps the block */
	heap_get_stats(&st);
	CHECK_EQ(st.arena_bytes, st0.arena_bytes);
	CHECK_EQ(st.used_bytes, st0.used_bytes);
	CHECK_EQ(heap_check(), 0);
	heap_free(p);
}

TEST(heap_grows_and_runs_out)
{
	struct heap_stats st;
	void *big[64];
	size_t n = 0;

	host_mem_init(4 * MIB);
	/* 200 KiB blocks: each needs its own arena, until frames run out. */
	while (n < ARRAY_SIZE(big) && (big[n] = heap_alloc(200 * 1024)))
		fill(big[n], 200 * 1024, (unsigned int)n), n++;
	CHECK(n >= 10 && n < ARRAY_SIZE(big));
	heap_get_stats(&st);
	CHECK(st.arena_bytes >= n * 200 * 1024);
	CHECK(st.arena_bytes <= 4 * MIB);
	for (size_t i = 0; i < n; i++)
		CHECK(intact(big[i], 200 * 1024, (unsigned int)i));
	CHECK_EQ(heap_check(), 0);
	for (size_t i = 0; i < n; i++)
		heap_free(big[i]);
	CHECK_EQ(heap_check(), 0);
}

/* A fixed pseudo-random mix of alloc/free/realloc/memalign; every block
 * keeps a pattern that must survive everything done to the others. */
TEST(heap_random_cycles)
{
	struct slot {
		unsigned char *p;
		size_t n;
		unsigned int seed;
	} s[64];
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	struct heap_stats st;
	size_t used;

	host_mem_init(16 * MIB);
	memset(s, 0, sizeof(s));
	for (unsigned int op = 0; op < 20000; op++) {
		struct slot *sl;
		size_t size;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		sl = &s[x % ARRAY_SIZE(s)];
		size = (x >> 8) % ((x >> 40) % 8 == 0 ? 20000 : 300);
		if (sl->p) {
			if (!CHECK(intact(sl->p, sl->n, sl->seed)))
				return;
			if ((x >> 20) % 3 == 0) {
				unsigned char *q = heap_realloc(sl->p, size);

				if (size == 0) {
					CHECK(q == NULL);
					sl->p = NULL;
					continue;
				}
				REQUIRE(q);
				CHECK(intact(q, MIN(size, sl->n), sl->seed));
				sl->p = q;
			} else {
				heap_free(sl->p);
				sl->p = NULL;
				continue;
			}
		} else if ((x >> 30) % 4 == 0) {
			sl->p = heap_memalign((size_t)32 << ((x >> 33) % 8),
					      size);
		} else {
			sl->p = heap_alloc(size);
		}
		REQUIRE(sl->p);
		sl->n = size;
		sl->seed = op;
		fill(sl->p, size, op);
		if (op % 64 == 0 && !CHECK_EQ(heap_check(), 0))
			return;
	}
	CHECK_EQ(heap_check(), 0);
	used = 0;
	for (size_t i = 0; i < ARRAY_SIZE(s); i++)
		if (s[i].p)
			used += heap_usable_size(s[i].p) + 16;
	heap_get_stats(&st);
	CHECK_EQ(st.used_bytes, used);
	for (size_t i = 0; i < ARRAY_SIZE(s); i++)
		heap_free(s[i].p);
	heap_get_stats(&st);
	CHECK_EQ(st.used_bytes, 0);
	CHECK_EQ(heap_check(), 0);
}
