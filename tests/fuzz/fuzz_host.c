/*
 * Host stubs for the fuzz targets (what the kernel code needs from an arch
 * and the rest of the kernel), and the memory-map checks two targets share.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <mica/arch.h>
#include <mica/console.h>
#include <mica/mm.h>
#include <mica/panic.h>
#include <mica/shutdown.h>
#include <mica/time.h>
#include "fuzz.h"

void fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

static char *phys_base;
static size_t phys_size;

void fuzz_phys_set(void *base, size_t size)
{
	phys_base = base;
	phys_size = size;
}

void *phys_to_virt(paddr_t pa)
{
	if (!phys_base || pa >= phys_size)
		fuzz_fail("phys_to_virt(%#llx): outside the %zu readable bytes",
			  (unsigned long long)pa, phys_size);
	return phys_base + pa;
}

paddr_t virt_to_phys(const void *va)
{
	const char *p = va;

	if (!phys_base || p < phys_base || p >= phys_base + phys_size)
		fuzz_fail("virt_to_phys(%p): outside fake memory", va);
	return (paddr_t)(p - phys_base);
}

uint64_t monotonic_ns(void)
{
	return 0;
}

void arch_idle(uint64_t deadline_ns)
{
	(void)deadline_ns;
	fuzz_fail("arch_idle called");
}

void arch_backtrace(void)
{
}

void console_write(const char *buf, size_t len)
{
	(void)buf;
	(void)len;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz: kernel panic: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

void mica_shutdown(int status)
{
	fuzz_fail("mica_shutdown(%d)", status);
}

void fuzz_check_normalised(const struct memmap *m)
{
	FUZZ_ASSERT(m->count <= MEMMAP_MAX);
	for (unsigned int i = 0; i < m->count; i++) {
		const struct mem_region *r = &m->r[i];

		FUZZ_ASSERT(r->size > 0);
		FUZZ_ASSERT(r->base + r->size > r->base);
		if (i == 0)
			continue;
		FUZZ_ASSERT(r[-1].base + r[-1].size <= r->base);
		if (r[-1].base + r[-1].size == r->base)
			FUZZ_ASSERT(r[-1].type != r->type);
	}
}

static int rank(uint32_t type)
{
	return type == MEM_RAM ? 0 : type == MEM_MICA ? 1 : 2;
}

/* 0 for a hole. */
static uint32_t type_at(const struct memmap *m, uint64_t a)
{
	for (unsigned int i = 0; i < m->count; i++)
		if (a >= m->r[i].base && a - m->r[i].base < m->r[i].size)
			return m->r[i].type;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void fuzz_check_normalised_from(const struct memmap *out,
				const struct mem_region *in, unsigned int n)
{
	static uint64_t edges[4 * MEMMAP_MAX + 4];
	unsigned int ne = 0;
	uint64_t out_end = 0;

	fuzz_check_normalised(out);
	FUZZ_ASSERT(n <= MEMMAP_MAX);
	for (unsigned int i = 0; i < n; i++) {
		edges[ne++] = in[i].base;
		edges[ne++] = in[i].base + in[i].size;
	}
	for (unsigned int i = 0; i < out->count; i++) {
		edges[ne++] = out->r[i].base;
		edges[ne++] = out->r[i].base + out->r[i].size;
	}
	if (out->count)
		out_end = out->r[out->count - 1].base +
			  out->r[out->count - 1].size;
	qsort(edges, ne, sizeof(edges[0]), cmp_u64);
	/* Between two consecutive edges every byte has the same answer. */
	for (unsigned int e = 0; e + 1 < ne; e++) {
		uint64_t a = edges[e];
		uint32_t want = 0, got;
		int best = -1;

		if (edges[e + 1] == a)
			continue;
		for (unsigned int i = 0; i < n; i++) {
			if (a < in[i].base || a - in[i].base >= in[i].size)
				continue;
			if (rank(in[i].type) > best) {
				best = rank(in[i].type);
				want = in[i].type;
			}
		}
		got = type_at(out, a);
		if (got == want)
			continue;
		/* A full map may have lost its tail: holes there are safe. */
		if (got == 0 && out->count == MEMMAP_MAX && a >= out_end)
			continue;
		fuzz_fail("memmap: byte %#llx is %u after normalising, the "
			  "input says %u",
			  (unsigned long long)a, got, want);
	}
}
