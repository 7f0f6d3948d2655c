/*
 * fdt_open and dt_read_machine on hostile device trees. The input is the
 * blob: a copy of exactly its size (ASan sees any read past it), read the
 * way the arm64 entry reads the DTB the loader passed in x0, as if it sat
 * at BLOB_PA.
 *
 * Checked on success: every node, name and property the reader hands out
 * lies inside the blob; the memory map is normalised and never offers the
 * blob's own bytes as RAM; the command line is a terminated string of
 * the length given; devices have sane addresses and interrupt IDs. On
 * failure: a non-empty, terminated message. Always: the blob is unchanged.
 */
#include <stdlib.h>
#include <string.h>
#include <mica/devtree.h>
#include <mica/fdt.h>
#include "fuzz.h"

#define BLOB_PA 0x43e00000ULL
#define ERRLEN 300

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *lo, *hi;

static void check_inside(const void *p, size_t len)
{
	FUZZ_ASSERT((const uint8_t *)p >= lo && (const uint8_t *)p <= hi);
	FUZZ_ASSERT(len <= (size_t)(hi - (const uint8_t *)p));
}

static void check_region(const struct dt_region *r)
{
	FUZZ_ASSERT(r->base + r->size >= r->base);
	FUZZ_ASSERT(r->base + r->size <= DT_PHYS_LIMIT);
}

static void walk(const struct fdt *f)
{
	int depth = 0, count = 0;

	for (int n = f->root; n >= 0; n = fdt_next_node(f, n, &depth)) {
		const char *name = fdt_name(f, n);
		const void *p;
		uint32_t len;
		int c;

		FUZZ_ASSERT(++count <= (int)f->size / 4);
		FUZZ_ASSERT(depth >= 0 && depth < FDT_MAX_DEPTH);
		check_inside(name, strlen(name) + 1);
		p = fdt_prop(f, n, "reg", &len);
		if (p)
			check_inside(p, len);
		p = fdt_prop(f, n, "compatible", &len);
		if (p)
			check_inside(p, len);
		/* The first child, if any, is the next node in document order. */
		c = fdt_first_child(f, n);
		if (c >= 0) {
			int d = depth;

			FUZZ_ASSERT(fdt_next_node(f, n, &d) == c);
			FUZZ_ASSERT(d == depth + 1);
		}
	}
	(void)fdt_path(f, "/chosen");
	(void)fdt_path(f, "/hypervisor");
}

static void check_ok(const struct fdt *f, size_t size,
		     const struct boot_info *bi, const struct dt_machine *m)
{
	FUZZ_ASSERT(f->size <= size && f->size >= 40);
	walk(f);
	fuzz_check_normalised(&bi->memmap);
	for (unsigned int i = 0; i < bi->memmap.count; i++) {
		const struct mem_region *r = &bi->memmap.r[i];

		FUZZ_ASSERT(r->base + r->size <= DT_PHYS_LIMIT);
		if (r->type == MEM_RAM)
			FUZZ_ASSERT(r->base + r->size <= BLOB_PA ||
				    r->base >= BLOB_PA + f->size);
	}
	FUZZ_ASSERT(bi->cmdline_len <= CMDLINE_MAX);
	FUZZ_ASSERT(bi->cmdline[bi->cmdline_len] == '\0');
	FUZZ_ASSERT(strlen(bi->cmdline) == bi->cmdline_len);
	FUZZ_ASSERT(bi->nr_modules <= 1);
	check_region(&m->uart);
	check_region(&m->gic_dist);
	check_region(&m->gic_cpu);
	check_region(&m->gic_redist);
	check_region(&m->rtc);
	check_region(&m->xen_gnttab);
	FUZZ_ASSERT(m->gic_version == 0 || m->gic_version == 2 ||
		    m->gic_version == 3);
	FUZZ_ASSERT(m->timer_irq >= 16 && m->timer_irq < 1020);
	if (m->xen)
		FUZZ_ASSERT(m->xen_irq >= 16 && m->xen_irq < 1020);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_info bi;
	static struct dt_machine m;
	struct fdt f;
	uint8_t *blob;
	char *err;
	int rc;

	blob = malloc(size ? size : 1);
	err = malloc(ERRLEN);
	if (!blob || !err)
		abort();
	memcpy(blob, data, size);
	memset(err, 0x7f, ERRLEN);
	memset(&bi, 0xa5, sizeof(bi));
	lo = blob;
	hi = blob + size;

	rc = fdt_open(&f, blob, size, err, ERRLEN);
	if (rc == 0)
		rc = dt_read_machine(&f, BLOB_PA, &bi, &m, err, ERRLEN);
	if (rc == 0) {
		check_ok(&f, size, &bi, &m);
	} else {
		FUZZ_ASSERT(rc == -1);
		FUZZ_ASSERT(memchr(err, '\0', ERRLEN) != NULL);
		FUZZ_ASSERT(err[0] != '\0');
	}
	/* The reader only reads. */
	FUZZ_ASSERT(memcmp(blob, data, size) == 0);
	free(err);
	free(blob);
	return 0;
}
