/*
 * The grant DMA backend against a simulated grant table and device: the
 * device reaches memory only through valid grants (domid checked,
 * read-only enforced), a 3-page buffer is one linear DMA range on
 * consecutive refs, and a device that keeps a grant mapped makes the
 * frontend mark itself broken while every other grant ends cleanly.
 * The gnttab_* functions here stand in for kernel/xen/grant.c.
 */
#include <string.h>
#include <mica/dma.h>
#include <mica/xen/grant.h>
#include "unit.h"

#define NREFS 64

static struct {
	bool used, ro;
	uint16_t domid;
	char *page;
	int mapped;	/* the device holds it */
} sim[NREFS];

int64_t gnttab_grant_access_run(uint16_t domid, const void *page,
				uint32_t count, bool readonly)
{
	for (uint32_t first = 8; first + count <= NREFS; first++) {
		uint32_t i;

		for (i = 0; i < count && !sim[first + i].used; i++)
			;
		if (i < count)
			continue;
		for (i = 0; i < count; i++) {
			sim[first + i].used = true;
			sim[first + i].ro = readonly;
			sim[first + i].domid = domid;
			sim[first + i].page = (char *)page + i * PAGE_SIZE;
			sim[first + i].mapped = 0;
		}
		return first;
	}
	return -1;
}

int gnttab_end_access(gref_t ref)
{
	if (ref >= NREFS || !sim[ref].used || sim[ref].mapped)
		return -1;
	sim[ref].used = false;
	return 0;
}

/* For other tests' simulated devices: the page behind @ref if @domid may
 * reach it (for writing if @write), else NULL. */
char *grant_sim_page(uint64_t ref, uint16_t domid, bool write)
{
	if (ref >= NREFS || !sim[ref].used || sim[ref].domid != domid ||
	    (write && sim[ref].ro))
		return NULL;
	return sim[ref].page;
}

/* The simulated device (domain 5): copy through the grants only. */
static int dev_access(dma_addr_t addr, void *buf, size_t len, bool write)
{
	uint64_t ref, off;

	if (!(addr & DMA_GRANT_BIT))
		return -1;
	ref = (addr & ~DMA_GRANT_BIT) >> 12;
	off = addr & 0xfff;
	while (len) {
		size_t n = MIN(len, (size_t)(PAGE_SIZE - off));

		if (ref >= NREFS || !sim[ref].used || sim[ref].domid != 5 ||
		    (write && sim[ref].ro))
			return -1;
		if (write)
			memcpy(sim[ref].page + off, buf, n);
		else
			memcpy(buf, sim[ref].page + off, n);
		buf = (char *)buf + n;
		len -= n;
		ref++;
		off = 0;
	}
	return 0;
}

static char mem[4 * 4096] __attribute__((aligned(4096)));

TEST(grant_dma_three_pages_linear)
{
	struct dma_ctx c = { .ops = &dma_grant_ops, .backend_domid = 5 };
	char in[2 * 4096 + 100], out[sizeof(in)];
	dma_addr_t a;

	memset(sim, 0, sizeof(sim));
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (char)(i * 7);
	memcpy(mem + 3000, in, sizeof(in)); /* spans three pages */
	REQUIRE(dma_map(&c, mem + 3000, sizeof(in), DMA_TO_DEVICE, &a) == 0);
	CHECK_EQ(a & 0xfff, 3000);
	CHECK(a & DMA_GRANT_BIT);
	CHECK_EQ(dev_access(a, out, sizeof(out), false), 0);
	CHECK_EQ(memcmp(in, out, sizeof(in)), 0);
	/* Device-readable means read-only: the device cannot write. */
	CHECK_EQ(dev_access(a, out, 10, true), -1);
	CHECK_EQ(dma_unmap(&c, a, sizeof(in)), 0);
	CHECK(!c.broken);
	/* Ended: the device reaches nothing any more. */
	CHECK_EQ(dev_access(a, out, 10, false), -1);
}

TEST(grant_dma_device_writable)
{
	struct dma_ctx c = { .ops = &dma_grant_ops, .backend_domid = 5 };
	dma_addr_t a;

	memset(sim, 0, sizeof(sim));
	REQUIRE(dma_map(&c, mem, 4096, DMA_FROM_DEVICE, &a) == 0);
	CHECK_EQ(dev_access(a + 10, "hello", 6, true), 0);
	CHECK_STR(mem + 10, "hello");
	/* Another domain's device reaches nothing. */
	sim[(a & ~DMA_GRANT_BIT) >> 12].domid = 6;
	CHECK_EQ(dev_access(a, mem, 4, false), -1);
	sim[(a & ~DMA_GRANT_BIT) >> 12].domid = 5;
	CHECK_EQ(dma_unmap(&c, a, 4096), 0);
}

TEST(grant_dma_device_keeps_mapping)
{
	struct dma_ctx c = { .ops = &dma_grant_ops, .backend_domid = 5 };
	dma_addr_t a, b;
	uint64_t first;

	memset(sim, 0, sizeof(sim));
	REQUIRE(dma_map(&c, mem, 3 * 4096, DMA_FROM_DEVICE, &a) == 0);
	REQUIRE(dma_map(&c, mem + 3 * 4096, 4096, DMA_FROM_DEVICE, &b) == 0);
	first = (a & ~DMA_GRANT_BIT) >> 12;
	sim[first + 1].mapped = 1; /* the middle page stays mapped */
	CHECK_EQ(dma_unmap(&c, a, 3 * 4096), -1);
	CHECK(c.broken);
	/* Only the held page stays granted; the others ended. */
	CHECK(!sim[first].used);
	CHECK(sim[first + 1].used);
	CHECK(!sim[first + 2].used);
	/* A broken device maps nothing new; its other grants still end. */
	CHECK_EQ(dma_map(&c, mem, 16, DMA_TO_DEVICE, &a), -1);
	CHECK_EQ(dma_unmap(&c, b, 4096), 0);
}
