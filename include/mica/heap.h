/* The kernel heap behind malloc/free/realloc/memalign (newlib's included). */
#ifndef MICA_HEAP_H
#define MICA_HEAP_H

#include <mica/types.h>

void *heap_alloc(size_t size);
void *heap_memalign(size_t align, size_t size);
void *heap_realloc(void *ptr, size_t size);
void heap_free(void *ptr);
size_t heap_usable_size(const void *ptr);

struct heap_stats {
	size_t arena_bytes;	/* bytes taken from the frame allocator */
	size_t used_bytes;	/* bytes in allocated blocks (with headers) */
	size_t allocs, frees;
};
void heap_get_stats(struct heap_stats *st);
/* Walk every block and check its tags; returns the number of problems. */
int heap_check(void);

#endif
