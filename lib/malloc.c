/*
 * malloc and friends for newlib and apps, on the kernel heap. Both the
 * plain names and newlib's reentrant _r names are defined here, so none of
 * newlib's own allocator is linked.
 */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <mica/heap.h>

#define set_errno(e) (*__errno() = (e))

void *malloc(size_t size)
{
	void *p = heap_alloc(size);

	if (!p)
		set_errno(ENOMEM);
	return p;
}

void free(void *p)
{
	heap_free(p);
}

void *calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size) {
		set_errno(ENOMEM);
		return NULL;
	}
	p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *realloc(void *p, size_t size)
{
	void *n = heap_realloc(p, size);

	if (!n && size)
		set_errno(ENOMEM);
	return n;
}

void *memalign(size_t align, size_t size)
{
	void *p = heap_memalign(align, size);

	if (!p)
		set_errno(ENOMEM);
	return p;
}

int posix_memalign(void **out, size_t align, size_t size)
{
	void *p;

	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	p = heap_memalign(align, size);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

void *aligned_alloc(size_t align, size_t size)
{
	return memalign(align, size);
}

size_t malloc_usable_size(void *p)
{
	return p ? heap_usable_size(p) : 0;
}

void *_malloc_r(struct _reent *r, size_t size)
{
	(void)r;
	return malloc(size);
}

void _free_r(struct _reent *r, void *p)
{
	(void)r;
	free(p);
}

void *_calloc_r(struct _reent *r, size_t n, size_t size)
{
	(void)r;
	return calloc(n, size);
}

void *_realloc_r(struct _reent *r, void *p, size_t size)
{
	(void)r;
	return realloc(p, size);
}

void *_memalign_r(struct _reent *r, size_t align, size_t size)
{
	(void)r;
	return memalign(align, size);
}
