/* Physical memory: the page-frame allocator and address translation. */
#ifndef MICA_MM_H
#define MICA_MM_H

#include <mica/memmap.h>
#include <mica/types.h>

#define FRAME_NONE ((paddr_t)-1)

/* Physical <-> virtual (identity in the kernel; an offset in host tests). */
void *phys_to_virt(paddr_t pa);
paddr_t virt_to_phys(const void *va);

/*
 * Take every MEM_RAM range of a normalised map. The allocator's bitmap is
 * carved from the first RAM range large enough and marked used.
 * Returns 0, or -1 when the map has no room even for the bitmap.
 */
int frame_init(const struct memmap *map);
/* @count contiguous pages aligned to @align_pages (a power of two). */
paddr_t frame_alloc(size_t count, size_t align_pages);
void frame_free(paddr_t pa, size_t count);
size_t frame_free_count(void);
size_t frame_total_count(void);

#endif
