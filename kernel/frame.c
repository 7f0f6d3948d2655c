/*
 * The page-frame allocator: one bit per 4 KiB frame from address 0 up to
 * the end of the highest RAM range (1 = not available). The bitmap itself
 * lives in the first RAM range with room for it.
 */
#include <string.h>
#include <mica/mm.h>

static uint64_t *bitmap;
static size_t nframes;		/* frames covered by the bitmap */
static size_t total_frames;	/* RAM frames handed to the allocator */
static size_t free_frames;
static size_t search_hint;

static bool frame_used(size_t f)
{
	return bitmap[f / 64] & (1ULL << (f % 64));
}

static void mark(size_t first, size_t count, bool used)
{
	size_t f = first, end = first + count;

	while (f < end) {
		/* Whole words at once where the range covers them. */
		if (f % 64 == 0 && end - f >= 64) {
			bitmap[f / 64] = used ? ~0ULL : 0;
			f += 64;
			continue;
		}
		if (used)
			bitmap[f / 64] |= 1ULL << (f % 64);
		else
			bitmap[f / 64] &= ~(1ULL << (f % 64));
		f++;
	}
}

int frame_init(const struct memmap *map)
{
	uint64_t top = 0;
	size_t words, bytes;
	paddr_t where = FRAME_NONE;

	for (unsigned int i = 0; i < map->count; i++)
		if (map->r[i].type == MEM_RAM)
			top = MAX(top, map->r[i].base + map->r[i].size);
	nframes = (size_t)(top >> PAGE_SHIFT);
	words = (nframes + 63) / 64;
	bytes = ALIGN_UP(words * 8, PAGE_SIZE);

	for (unsigned int i = 0; i < map->count && where == FRAME_NONE; i++) {
		uint64_t lo = ALIGN_UP(map->r[i].base, PAGE_SIZE);
		uint64_t hi = ALIGN_DOWN(map->r[i].base + map->r[i].size,
					 PAGE_SIZE);

		if (map->r[i].type == MEM_RAM && hi > lo && hi - lo >= bytes)
			where = lo;
	}
	if (where == FRAME_NONE || nframes == 0)
		return -1;

	bitmap = phys_to_virt(where);
	memset(bitmap, 0xff, words * 8);
	total_frames = 0;
	for (unsigned int i = 0; i < map->count; i++) {
		uint64_t lo = ALIGN_UP(map->r[i].base, PAGE_SIZE);
		uint64_t hi = ALIGN_DOWN(map->r[i].base + map->r[i].size,
					 PAGE_SIZE);

		if (map->r[i].type != MEM_RAM || hi <= lo)
			continue;
		mark(lo >> PAGE_SHIFT, (hi - lo) >> PAGE_SHIFT, false);
		total_frames += (hi - lo) >> PAGE_SHIFT;
	}
	mark(where >> PAGE_SHIFT, bytes >> PAGE_SHIFT, true);
	total_frames -= bytes >> PAGE_SHIFT;
	free_frames = total_frames;
	search_hint = 0;
	return 0;
}

static paddr_t scan(size_t from, size_t to, size_t count, size_t align)
{
	size_t f = ALIGN_UP(from, align);

	while (f + count <= to) {
		size_t run = 0;

		/* Skip whole words of used frames quickly. */
		if (f % 64 == 0 && bitmap[f / 64] == ~0ULL) {
			f = ALIGN_UP(f + 64, align);
			continue;
		}
		while (run < count && !frame_used(f + run))
			run++;
		if (run == count)
			return (paddr_t)f << PAGE_SHIFT;
		f = ALIGN_UP(f + run + 1, align);
	}
	return FRAME_NONE;
}

paddr_t frame_alloc(size_t count, size_t align_pages)
{
	paddr_t pa;

	if (count == 0 || count > free_frames || align_pages == 0 ||
	    (align_pages & (align_pages - 1)))
		return FRAME_NONE;
	pa = scan(search_hint, nframes, count, align_pages);
	if (pa == FRAME_NONE)
		pa = scan(0, nframes, count, align_pages);
	if (pa == FRAME_NONE)
		return FRAME_NONE;
	mark(pa >> PAGE_SHIFT, count, true);
	free_frames -= count;
	search_hint = (size_t)(pa >> PAGE_SHIFT) + count;
	return pa;
}

void frame_free(paddr_t pa, size_t count)
{
	size_t first = (size_t)(pa >> PAGE_SHIFT);

	for (size_t f = first; f < first + count && f < nframes; f++) {
		if (!frame_used(f))
			continue; /* double free: ignore, keep counts right */
		mark(f, 1, false);
		free_frames++;
	}
	if (first < search_hint)
		search_hint = first;
}

size_t frame_free_count(void)
{
	return free_frames;
}

size_t frame_total_count(void)
{
	return total_frames;
}
