/*
 * The heap under a sequence of alloc/free/realloc/memalign operations.
 *
 * heap.c is compiled into this file so that each input starts from an
 * empty heap (its state is static) and so the checks can walk its blocks.
 * Input: 4-byte operations: kind, slot (and alignment), 16-bit size.
 * Checked after every operation: heap_check() is 0, every free block's
 * footer matches and it is on the free list (and nothing else is), the
 * used-byte count is the sum of the live blocks, every live block keeps
 * its contents, alignment and usable size. After freeing everything,
 * each arena is one free block again.
 */
#include "../../kernel/heap.c"

#include <stdlib.h>
#include "fuzz.h"

#define PHYS_BYTES (8u << 20)
#define SLOTS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct slot {
	unsigned char *p;
	size_t n;
	uint8_t seed;
} slots[SLOTS];

/* The pattern covers a block's first and last EDGE bytes: enough to see
 * a neighbour or a header land on it, cheap for 2 MiB blocks. */
#define EDGE 64

static unsigned char pattern(const struct slot *s, size_t i)
{
	return (unsigned char)(s->seed + i * 13);
}

static void fill(struct slot *s)
{
	for (size_t i = 0; i < s->n; i++) {
		if (i == EDGE && s->n > 2 * EDGE)
			i = s->n - EDGE;
		s->p[i] = pattern(s, i);
	}
}

/* Check the pattern in the first @n bytes of the block. */
static void check_contents(const struct slot *s, size_t n)
{
	for (size_t i = 0; i < MIN(n, s->n); i++) {
		if (i == EDGE && s->n > 2 * EDGE)
			i = s->n - EDGE;
		if (i < n && s->p[i] != pattern(s, i))
			fuzz_fail("heap: block %p lost byte %zu",
				  (void *)s->p, i);
	}
}

static void reset(void)
{
	static void *mem;
	struct memmap map;

	if (!mem) {
		mem = aligned_alloc(PAGE_SIZE, PHYS_BYTES);
		if (!mem)
			abort();
	}
	fuzz_phys_set(mem, PHYS_BYTES);
	memmap_init(&map);
	memmap_add(&map, PAGE_SIZE, PHYS_BYTES - PAGE_SIZE, MEM_RAM);
	memmap_normalize(&map);
	if (frame_init(&map) < 0)
		abort();
	/* The heap's own state, as at boot. */
	list_init(&free_list);
	memset(&stats, 0, sizeof(stats));
	arenas = NULL;
	memset(slots, 0, sizeof(slots));
}

/* Everything heap_check() does not look at. */
static void deep_check(bool all_free)
{
	size_t free_blocks = 0, listed = 0, used = 0;
	struct list_node *n;

	FUZZ_ASSERT(heap_check() == 0);
	for (struct arena *a = arenas; a; a = a->next) {
		struct block *b = (struct block *)(a + 1);
		char *end = (char *)a + a->bytes - HDR;
		unsigned int nblocks = 0;

		FUZZ_ASSERT(a->bytes % PAGE_SIZE == 0);
		for (; (char *)b < end; b = next_block(b), nblocks++) {
			if (b->size_flags & F_USED)
				continue;
			free_blocks++;
			FUZZ_ASSERT(*(size_t *)((char *)b + bsize(b) -
						sizeof(size_t)) == bsize(b));
		}
		FUZZ_ASSERT((char *)b == end);
		FUZZ_ASSERT(((struct block *)end)->size_flags & F_USED);
		if (all_free)
			FUZZ_ASSERT(nblocks == 1 && !(((struct block *)(a + 1))
							      ->size_flags &
						      F_USED));
	}
	list_for_each(n, &free_list) {
		struct block *b = container_of(n, struct block, node);

		FUZZ_ASSERT(b->magic == MAGIC_FREE);
		FUZZ_ASSERT(!(b->size_flags & F_USED));
		FUZZ_ASSERT(++listed <= free_blocks);
	}
	FUZZ_ASSERT(listed == free_blocks);
	for (int i = 0; i < SLOTS; i++)
		if (slots[i].p)
			used += heap_usable_size(slots[i].p) + HDR;
	FUZZ_ASSERT(stats.used_bytes == used);
}

static void check_new(struct slot *s, size_t align)
{
	FUZZ_ASSERT((uintptr_t)s->p % align == 0);
	FUZZ_ASSERT(heap_usable_size(s->p) >= s->n);
	for (int i = 0; i < SLOTS; i++) {
		const struct slot *o = &slots[i];

		if (o == s || !o->p)
			continue;
		/* Blocks (headers included) never overlap. */
		FUZZ_ASSERT(o->p + heap_usable_size(o->p) <= s->p - HDR ||
			    s->p + heap_usable_size(s->p) <= o->p - HDR);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	reset();
	for (; size >= 4; data += 4, size -= 4) {
		struct slot *s = &slots[data[1] % SLOTS];
		size_t n = (size_t)data[2] | (size_t)data[3] << 8;
		size_t align = (size_t)32 << (data[1] >> 5);
		unsigned char *p;

		if (data[0] & 0x80)
			n <<= 5; /* up to 2 MiB: new arenas, exhaustion */
		switch (data[0] % 4) {
		case 0: /* alloc */
		case 3: /* memalign */
			if (s->p) {
				check_contents(s, s->n);
				heap_free(s->p);
				s->p = NULL;
			}
			if (data[0] % 4 == 0) {
				align = 16;
				p = heap_alloc(n);
			} else if (data[0] & 0x40) {
				/* Not a power of two: refused. */
				FUZZ_ASSERT(!heap_memalign(align + 16, n));
				break;
			} else {
				p = heap_memalign(align, n);
			}
			if (!p)
				break;
			s->p = p;
			s->n = n;
			s->seed = data[2] ^ data[3];
			check_new(s, align);
			fill(s);
			break;
		case 1: /* free */
			if (!s->p)
				break;
			check_contents(s, s->n);
			heap_free(s->p);
			s->p = NULL;
			break;
		case 2: /* realloc */
			if (!s->p)
				break;
			check_contents(s, s->n);
			p = heap_realloc(s->p, n);
			if (n == 0) {
				FUZZ_ASSERT(p == NULL);
				s->p = NULL;
				break;
			}
			if (!p) { /* failed: the old block is untouched */
				check_contents(s, s->n);
				break;
			}
			s->p = p;
			check_contents(s, MIN(n, s->n));
			s->n = n;
			check_new(s, 16);
			fill(s);
			break;
		}
		deep_check(false);
	}
	for (int i = 0; i < SLOTS; i++) {
		if (!slots[i].p)
			continue;
		check_contents(&slots[i], slots[i].n);
		heap_free(slots[i].p);
		slots[i].p = NULL;
	}
	deep_check(true);
	FUZZ_ASSERT(stats.used_bytes == 0);
	return 0;
}
