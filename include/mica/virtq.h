/*
 * Split virtqueues (virtio 1.x). The rings live in DMA memory; the driver
 * keeps its own bookkeeping (free list, per-chain token and lengths) out
 * of the device's reach, so a device can only ever hand back a chain the
 * driver posted: anything else marks the queue broken.
 */
#ifndef MICA_VIRTQ_H
#define MICA_VIRTQ_H

#include <mica/dma.h>
#include <mica/types.h>

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2
#define VRING_DESC_F_INDIRECT 4
#define VRING_AVAIL_F_NO_INTERRUPT 1
#define VRING_USED_F_NO_NOTIFY 1

struct vring_used_elem {
	uint32_t id;
	uint32_t len;
};

struct virtq_buf {
	dma_addr_t addr;
	uint32_t len;
};

struct virtq {
	uint16_t size;		/* a power of two */
	uint16_t index;
	volatile struct vring_desc *desc;
	volatile uint16_t *avail;	/* flags, idx, ring[size], used_event */
	volatile uint8_t *used;		/* flags, idx, ring[size], avail_event */
	uint16_t free_head, num_free;
	uint16_t last_used, avail_idx, kicked_idx;
	uint16_t *next;		/* our free list / chain links */
	void **token;		/* per head: what add_chain was given */
	uint32_t *in_len;	/* per head: bytes the device may write */
	uint16_t *chain_len;	/* per head: descriptors in the chain */
	/* Indirect tables (VIRTIO_F_RING_INDIRECT_DESC): ind_max entries
	 * for each ring slot, device-readable; NULL when not in use. */
	volatile struct vring_desc *ind;
	dma_addr_t ind_dma;
	uint16_t ind_max;
	bool event_idx;
	bool broken;
	const char *why_broken;
	void (*notify)(struct virtq *q);
	void *priv;
};

/* Bytes of DMA memory the rings of a @size-entry queue need. */
size_t virtq_ring_bytes(uint16_t size);
/* Lay out the rings in @mem (zeroed, page-aligned) and allocate the
 * bookkeeping; returns 0, or -1 (bad size, out of memory). */
int virtq_init(struct virtq *q, uint16_t size, void *mem, bool event_idx);
/* Indirect descriptor tables: @max entries for each of the queue's
 * slots, in @mem (@bytes of virtq_indirect_bytes) that the device reads
 * at @dma. Chains of 2..@max buffers then take one ring slot. */
#define VIRTQ_INDIRECT_MAX 8
size_t virtq_indirect_bytes(uint16_t size, uint16_t max);
void virtq_set_indirect(struct virtq *q, void *mem, dma_addr_t dma,
			uint16_t max);
/* Offsets of the three parts within the ring memory. */
size_t virtq_avail_offset(const struct virtq *q);
size_t virtq_used_offset(const struct virtq *q);
/* Post @out device-readable then @in device-writable buffers as one
 * chain; returns 0, or -1 if there is no room or the queue is broken. */
int virtq_add_chain(struct virtq *q, const struct virtq_buf *bufs,
		    unsigned int out, unsigned int in, void *token);
/* Publish added chains and notify the device if it wants to be told. */
/* Notify the device whatever the event index says: for a driver that saw
 * no progress and suspects a lost kick (see drivers/virtio/net.c). */
#define VIRTQ_WATCH_NS (2 * 1000 * 1000ULL) /* no progress for this long */
void virtq_kick_again(struct virtq *q);
void virtq_kick(struct virtq *q);
/* The next chain the device finished: its token and the bytes it wrote;
 * NULL when there is none or the queue is broken. */
void *virtq_get_used(struct virtq *q, uint32_t *len);
/* True if the device has finished chains we have not taken yet. */
bool virtq_has_used(struct virtq *q);

#endif
