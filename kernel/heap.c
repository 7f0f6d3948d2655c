/*
 * The heap: first-fit over boundary-tagged blocks in arenas taken from the
 * frame allocator. Every block starts with a 16-byte header (size with
 * flags, and a magic word that catches bad and double frees); a free block
 * also ends with a copy of its size so a neighbour can merge with it.
 *
 *   arena: [prologue hdr (used)] [block] [block] ... [epilogue hdr (used, 0)]
 */
#include <string.h>
#include <mica/heap.h>
#include <mica/list.h>
#include <mica/mm.h>
#include <mica/panic.h>

#define ALIGN 16
#define HDR 16
#define MIN_BLOCK 48 /* header + list node + footer, rounded */
#define ARENA_MIN (64 * 1024)
#define F_USED 1UL
#define F_PREV_USED 2UL
#define MAGIC_USED 0x6d696361u	/* "mica" */
#define MAGIC_FREE 0x66726565u	/* "free" */

struct block {
	size_t size_flags;
	uint32_t magic;
	uint32_t pad;
	struct list_node node; /* free blocks only */
};

static struct list_node free_list = LIST_HEAD_INIT(free_list);
static struct heap_stats stats;

struct arena {
	struct arena *next;
	size_t bytes;
	uint64_t pad[2]; /* keeps the first block 16-byte aligned */
};
static struct arena *arenas;

static size_t bsize(const struct block *b)
{
	return b->size_flags & ~(size_t)(ALIGN - 1);
}

static struct block *next_block(struct block *b)
{
	return (struct block *)((char *)b + bsize(b));
}

static void set_footer(struct block *b)
{
	*(size_t *)((char *)b + bsize(b) - sizeof(size_t)) = bsize(b);
}

static void set_prev_used(struct block *b, bool used)
{
	if (used)
		b->size_flags |= F_PREV_USED;
	else
		b->size_flags &= ~F_PREV_USED;
}

static void make_free(struct block *b, size_t size, bool prev_used)
{
	b->size_flags = size | (prev_used ? F_PREV_USED : 0);
	b->magic = MAGIC_FREE;
	set_footer(b);
	list_push_back(&free_list, &b->node);
	set_prev_used(next_block(b), false);
}

static bool grow(size_t need)
{
	size_t bytes = ALIGN_UP(MAX(need + 2 * HDR + sizeof(struct arena),
				    (size_t)ARENA_MIN),
				PAGE_SIZE);
	paddr_t pa = frame_alloc(bytes >> PAGE_SHIFT, 1);
	struct arena *a;
	struct block *first, *epi;

	if (pa == FRAME_NONE)
		return false;
	a = phys_to_virt(pa);
	a->bytes = bytes;
	a->next = arenas;
	arenas = a;
	stats.arena_bytes += bytes;

	/* Layout after the arena header: one free block, then the epilogue. */
	first = (struct block *)(a + 1);
	epi = (struct block *)((char *)a + bytes - HDR);
	epi->size_flags = F_USED;
	epi->magic = MAGIC_USED;
	make_free(first, (size_t)((char *)epi - (char *)first), true);
	return true;
}

static size_t block_size_for(size_t size)
{
	if (size > SIZE_MAX / 2)
		return 0;
	return MAX(ALIGN_UP(size + HDR, ALIGN), (size_t)MIN_BLOCK);
}

/* Mark @b used with @need bytes, splitting off any remainder. */
static void *take(struct block *b, size_t need)
{
	size_t have = bsize(b);
	bool prev_used = b->size_flags & F_PREV_USED;

	list_remove(&b->node);
	if (have - need >= MIN_BLOCK) {
		struct block *rest = (struct block *)((char *)b + need);

		b->size_flags = need | F_USED | (prev_used ? F_PREV_USED : 0);
		make_free(rest, have - need, true);
	} else {
		b->size_flags = have | F_USED | (prev_used ? F_PREV_USED : 0);
		set_prev_used(next_block(b), true);
	}
	b->magic = MAGIC_USED;
	stats.used_bytes += bsize(b);
	stats.allocs++;
	return (char *)b + HDR;
}

static struct block *find_fit(size_t need)
{
	struct list_node *n;

	list_for_each(n, &free_list) {
		struct block *b = container_of(n, struct block, node);

		if (bsize(b) >= need)
			return b;
	}
	return NULL;
}

void *heap_alloc(size_t size)
{
	size_t need = block_size_for(size);
	struct block *b;

	if (need == 0)
		return NULL;
	b = find_fit(need);
	if (!b) {
		if (!grow(need))
			return NULL;
		b = find_fit(need);
	}
	return take(b, need);
}

static struct block *checked_block(const void *ptr, const char *what)
{
	struct block *b = (struct block *)((char *)ptr - HDR);

	if ((uintptr_t)ptr % ALIGN) /* no header to read */
		panic("heap: %s of %p: not a heap block (misaligned)", what,
		      ptr);
	if (b->magic != MAGIC_USED || !(b->size_flags & F_USED))
		panic("heap: %s of %p: %s", what, ptr,
		      b->magic == MAGIC_FREE ? "block already free"
					     : "not a heap block (corrupt?)");
	return b;
}

/* Return @b to the free list, merging with free neighbours. */
static void release_block(struct block *b)
{
	size_t size = bsize(b);
	struct block *next = next_block(b);

	if (!(next->size_flags & F_USED)) {
		list_remove(&next->node);
		next->magic = 0;
		size += bsize(next);
	}
	if (!(b->size_flags & F_PREV_USED)) {
		size_t prev_size = *(size_t *)((char *)b - sizeof(size_t));
		struct block *prev = (struct block *)((char *)b - prev_size);

		list_remove(&prev->node);
		b->magic = 0;
		b = prev;
		size += prev_size;
	}
	b->magic = 0;
	make_free(b, size, b->size_flags & F_PREV_USED);
}

void heap_free(void *ptr)
{
	struct block *b;

	if (!ptr)
		return;
	b = checked_block(ptr, "free");
	stats.used_bytes -= bsize(b);
	stats.frees++;
	release_block(b);
}

void *heap_memalign(size_t align, size_t size)
{
	char *raw, *aligned;
	struct block *b, *ab;
	size_t front;

	if (align <= ALIGN)
		return heap_alloc(size);
	if (align & (align - 1) || size > SIZE_MAX / 2 || align > SIZE_MAX / 4)
		return NULL;
	/* The front gap can take up to align + 32 bytes of the block; what is
	 * left must still be a whole block (a free one needs MIN_BLOCK) even
	 * when @size is 0. */
	size = MAX(size, (size_t)(MIN_BLOCK - HDR));
	raw = heap_alloc(size + align + MIN_BLOCK);
	if (!raw)
		return NULL;
	aligned = (char *)ALIGN_UP((uintptr_t)raw, align);
	if (aligned == raw)
		return raw;
	if (aligned - raw < MIN_BLOCK)
		aligned += align;
	/* Give the front gap back as its own free block. */
	b = (struct block *)(raw - HDR);
	ab = (struct block *)(aligned - HDR);
	front = (size_t)(aligned - raw);
	ab->size_flags = (bsize(b) - front) | F_USED | F_PREV_USED;
	ab->magic = MAGIC_USED;
	b->size_flags = front | F_USED | (b->size_flags & F_PREV_USED);
	stats.used_bytes -= front;
	release_block(b);
	return aligned;
}

size_t heap_usable_size(const void *ptr)
{
	return bsize(checked_block(ptr, "usable_size")) - HDR;
}

void *heap_realloc(void *ptr, size_t size)
{
	size_t have;
	void *n;

	if (!ptr)
		return heap_alloc(size);
	if (size == 0) {
		heap_free(ptr);
		return NULL;
	}
	have = heap_usable_size(ptr);
	if (size <= have)
		return ptr;
	n = heap_alloc(size);
	if (!n)
		return NULL;
	memcpy(n, ptr, have);
	heap_free(ptr);
	return n;
}

void heap_get_stats(struct heap_stats *st)
{
	*st = stats;
}

int heap_check(void)
{
	int bad = 0;

	for (struct arena *a = arenas; a; a = a->next) {
		struct block *b = (struct block *)(a + 1);
		char *end = (char *)a + a->bytes - HDR;
		bool prev_used = true;

		while ((char *)b < end) {
			bool used = b->size_flags & F_USED;

			if (bsize(b) < MIN_BLOCK || (char *)b + bsize(b) > end ||
			    b->magic != (used ? MAGIC_USED : MAGIC_FREE) ||
			    (bool)(b->size_flags & F_PREV_USED) != prev_used) {
				bad++;
				break;
			}
			if (!used && !prev_used)
				bad++; /* two free neighbours: missed merge */
			prev_used = used;
			b = next_block(b);
		}
	}
	return bad;
}
