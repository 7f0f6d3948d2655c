/*
 * The DMA mapping layer every driver (and every virtqueue ring) goes
 * through. Two backends: identity (bare QEMU/KVM: the device sees guest
 * physical addresses) and Xen grants (the Linux grant-dma contract: the
 * DMA address is bit 63 | grant ref << 12 | offset, multi-page buffers on
 * runs of consecutive refs so the address stays linear).
 */
#ifndef MICA_DMA_H
#define MICA_DMA_H

#include <mica/types.h>

typedef uint64_t dma_addr_t;

enum dma_dir {
	DMA_TO_DEVICE,		/* the device only reads: granted read-only */
	DMA_FROM_DEVICE,
	DMA_BIDIRECTIONAL,
};

struct dma_ctx;

struct dma_ops {
	const char *name;
	/* Map [va, va+len) (may cross pages); returns 0 or -1. */
	int (*map)(struct dma_ctx *c, const void *va, size_t len,
		   enum dma_dir dir, dma_addr_t *addr);
	/* Returns -1 if the device still holds the memory: the caller must
	 * treat the device as broken and never reuse those pages. */
	int (*unmap)(struct dma_ctx *c, dma_addr_t addr, size_t len);
};

struct dma_ctx {
	const struct dma_ops *ops;
	uint16_t backend_domid;	/* grants: who may use them */
	bool broken;		/* a grant could not be ended */
	const char *why;	/* how this backend was chosen, for the log */
};

extern const struct dma_ops dma_identity_ops, dma_grant_ops;

#define DMA_GRANT_BIT (1ULL << 63)

static inline int dma_map(struct dma_ctx *c, const void *va, size_t len,
			  enum dma_dir dir, dma_addr_t *addr)
{
	return c->ops->map(c, va, len, dir, addr);
}

static inline int dma_unmap(struct dma_ctx *c, dma_addr_t addr, size_t len)
{
	int rc = c->ops->unmap(c, addr, len);

	if (rc < 0)
		c->broken = true;
	return rc;
}

/* Page-aligned, zeroed memory for DMA (rings, buffers); NULL on OOM. */
void *dma_alloc_pages(size_t pages);
void dma_free_pages(void *va, size_t pages);

#endif
