/*
 * DMA backends. Identity: the device sees guest-physical addresses.
 * Grants: each page of a buffer is granted to the backend domain on a run
 * of consecutive refs (read-only when the device only reads), and the
 * device gets bit 63 | first ref << 12 | offset. Ending a grant that the
 * backend still maps fails: the device is then broken, and its pages are
 * never given back.
 */
#include <string.h>
#include <mica/dma.h>
#include <mica/mm.h>
#include <mica/printk.h>
#include <mica/xen/grant.h>

void *dma_alloc_pages(size_t pages)
{
	paddr_t pa = frame_alloc(pages, 1);
	void *va;

	if (pa == FRAME_NONE)
		return NULL;
	va = phys_to_virt(pa);
	memset(va, 0, pages * PAGE_SIZE);
	return va;
}

void dma_free_pages(void *va, size_t pages)
{
	frame_free(virt_to_phys(va), pages);
}

static int identity_map(struct dma_ctx *c, const void *va, size_t len,
			enum dma_dir dir, dma_addr_t *addr)
{
	(void)c;
	(void)len;
	(void)dir;
	*addr = virt_to_phys(va);
	return 0;
}

static int identity_unmap(struct dma_ctx *c, dma_addr_t addr, size_t len)
{
	(void)c;
	(void)addr;
	(void)len;
	return 0;
}

const struct dma_ops dma_identity_ops = {
	.name = "identity",
	.map = identity_map,
	.unmap = identity_unmap,
};

static size_t pages_spanned(const void *va, size_t len)
{
	uintptr_t first = ALIGN_DOWN((uintptr_t)va, PAGE_SIZE);
	uintptr_t end = ALIGN_UP((uintptr_t)va + MAX(len, (size_t)1), PAGE_SIZE);

	return (end - first) / PAGE_SIZE;
}

static int grant_map(struct dma_ctx *c, const void *va, size_t len,
		     enum dma_dir dir, dma_addr_t *addr)
{
	const void *page = (const void *)ALIGN_DOWN((uintptr_t)va, PAGE_SIZE);
	int64_t ref;

	if (c->broken)
		return -1;
	ref = gnttab_grant_access_run(c->backend_domid, page,
				      (uint32_t)pages_spanned(va, len),
				      dir == DMA_TO_DEVICE);
	if (ref < 0)
		return -1;
	*addr = DMA_GRANT_BIT | ((uint64_t)ref << PAGE_SHIFT) |
		((uintptr_t)va & (PAGE_SIZE - 1));
	return 0;
}

static int grant_unmap(struct dma_ctx *c, dma_addr_t addr, size_t len)
{
	uint64_t first = (addr & ~DMA_GRANT_BIT) >> PAGE_SHIFT;
	size_t pages = pages_spanned((const void *)(uintptr_t)(addr % PAGE_SIZE),
				     len);
	int rc = 0;

	if (!(addr & DMA_GRANT_BIT))
		return -1;
	for (size_t i = 0; i < pages; i++) {
		if (gnttab_end_access((gref_t)(first + i)) < 0) {
			if (!c->broken)
				printk("dma: grant %llu still in use by "
				       "domain %u: device broken, its pages "
				       "are kept\n",
				       (unsigned long long)(first + i),
				       c->backend_domid);
			rc = -1;
		}
	}
	return rc;
}

const struct dma_ops dma_grant_ops = {
	.name = "xen-grant",
	.map = grant_map,
	.unmap = grant_unmap,
};
