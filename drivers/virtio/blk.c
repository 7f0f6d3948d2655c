/*
 * virtio-blk. Each request is a three-part chain: a header the device
 * reads (type, sector), the data (device-writable for reads), and a
 * status byte the device writes. Headers live in one device-readable
 * page, status bytes in one device-writable page, a slot of each per
 * request in flight. The data is mapped per request through the DMA
 * layer. The device's status and used length are checked before a
 * request is reported done.
 */
#include <errno.h>
#include <string.h>
#include <mica/blk.h>
#include <mica/heap.h>
#include <mica/printk.h>
#include <mica/sched_hooks.h>
#include <mica/time.h>
#include <mica/virtio.h>

#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_FLUSH 9
#define T_IN 0
#define T_OUT 1
#define T_FLUSH 4
#define SLOTS 32

struct vblk_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

struct vblk {
	struct virtio_dev *vdev;
	struct blkdev bd;
	struct virtq q;
	struct vblk_hdr *hdr;	/* one per slot */
	uint8_t *status;	/* one per slot */
	dma_addr_t hdr_dma, status_dma;
	struct blk_req *req[SLOTS];
	dma_addr_t data_dma[SLOTS];
	bool used[SLOTS];
	unsigned int nslots;
	struct waitq wq;
	bool irq;
	unsigned long rekicks;	/* kicks sent again (lost ones) */
	char name[40];
};

static void vblk_irq(void *arg)
{
	waitq_wake_all(&((struct vblk *)arg)->wq);
}

static int add(struct vblk *b, unsigned int s, uint32_t type,
	       struct blk_req *r)
{
	struct virtq_buf bufs[3];
	unsigned int n = 0, out;

	b->hdr[s].type = type;
	b->hdr[s].reserved = 0;
	b->hdr[s].sector = r ? r->sector : 0;
	b->status[s] = 0xff; /* a device that writes nothing fails */
	bufs[n++] = (struct virtq_buf){ b->hdr_dma + s * sizeof(*b->hdr),
					sizeof(*b->hdr) };
	if (r && r->count) {
		if (dma_map(&b->vdev->dma, r->buf, r->count * SECTOR_SIZE,
			    r->write ? DMA_TO_DEVICE : DMA_FROM_DEVICE,
			    &b->data_dma[s]))
			return -ENOMEM;
		bufs[n++] = (struct virtq_buf){ b->data_dma[s],
						r->count * SECTOR_SIZE };
	}
	out = (r && r->write) ? 2 : 1;
	bufs[n++] = (struct virtq_buf){ b->status_dma + s, 1 };
	b->req[s] = r;
	b->used[s] = true;
	if (virtq_add_chain(&b->q, bufs, out, n - out, &b->used[s]) < 0) {
		b->used[s] = false;
		return -EIO;
	}
	virtq_kick(&b->q);
	return 0;
}

static int take_slot(struct vblk *b)
{
	for (unsigned int s = 0; s < b->nslots; s++)
		if (!b->used[s])
			return (int)s;
	return -1;
}

static void reap(struct vblk *b)
{
	bool *tok;
	uint32_t len;

	while ((tok = virtq_get_used(&b->q, &len))) {
		unsigned int s = (unsigned int)(tok - b->used);
		struct blk_req *r = b->req[s];
		uint32_t want = 1 + (r && !r->write ? r->count * SECTOR_SIZE
						    : 0);

		if (r && r->count &&
		    dma_unmap(&b->vdev->dma, b->data_dma[s],
			      r->count * SECTOR_SIZE) < 0)
			printk("virtio-blk: %s: device kept a buffer mapped\n",
			       b->name);
		if (r) {
			/* Status 0 and every byte accounted for, or EIO. */
			r->status = (b->status[s] == 0 && len >= want &&
				     len <= want)
					    ? 0
					    : -EIO;
			r->done = true;
		}
		b->req[s] = NULL;
		b->used[s] = false;
	}
	if (b->q.broken)
		for (unsigned int s = 0; s < b->nslots; s++)
			if (b->req[s]) {
				b->req[s]->status = -EIO;
				b->req[s]->done = true;
				b->req[s] = NULL;
			}
	waitq_wake_all(&b->wq);
}

static bool in_flight(const struct vblk *b)
{
	for (unsigned int s = 0; s < b->nslots; s++)
		if (b->used[s])
			return true;
	return false;
}

static void vblk_poll(struct blkdev *d, uint64_t deadline)
{
	struct vblk *b = d->priv;

	reap(b);
	if (deadline && !virtq_has_used(&b->q)) {
		/*
		 * Never rely on a notification alone (the top of net.c
		 * says why): wake at least every VIRTQ_WATCH_NS while
		 * requests are in flight, and kick again when the device
		 * took none of them.
		 */
		uint64_t step = b->irq ? VIRTQ_WATCH_NS : NSEC_PER_MSEC;

		waitq_wait(&b->wq, MIN(deadline, monotonic_ns() + step));
		if (!virtq_has_used(&b->q) && in_flight(b)) {
			b->rekicks++;
			virtq_kick_again(&b->q);
		}
	}
	reap(b);
}

static int vblk_submit(struct blkdev *d, struct blk_req *r)
{
	struct vblk *b = d->priv;
	int s;

	if (b->q.broken)
		return -EIO;
	while ((s = take_slot(b)) < 0)
		vblk_poll(d, monotonic_ns() + 100 * NSEC_PER_MSEC);
	return add(b, (unsigned int)s, r->write ? T_OUT : T_IN, r);
}

static int vblk_flush(struct blkdev *d)
{
	struct vblk *b = d->priv;
	struct blk_req r = { .count = 0 };
	int s;

	if (!(b->vdev->features & (1ULL << VIRTIO_BLK_F_FLUSH)))
		return 0; /* write-through device: nothing to flush */
	while ((s = take_slot(b)) < 0)
		vblk_poll(d, monotonic_ns() + 100 * NSEC_PER_MSEC);
	if (add(b, (unsigned int)s, T_FLUSH, &r) < 0)
		return -EIO;
	return blk_wait(d, &r);
}

static const struct blkdev_ops vblk_ops = {
	.submit = vblk_submit,
	.poll = vblk_poll,
	.flush = vblk_flush,
};

int virtio_blk_probe(struct virtio_dev *d)
{
	struct vblk *b = heap_alloc(sizeof(*b));
	uint64_t capacity;

	if (!b)
		return -1;
	memset(b, 0, sizeof(*b));
	b->vdev = d;
	waitq_init(&b->wq);
	if (virtio_negotiate(d, 1ULL << VIRTIO_BLK_F_RO |
				     1ULL << VIRTIO_BLK_F_FLUSH |
				     1ULL << VIRTIO_F_RING_EVENT_IDX |
				     1ULL << VIRTIO_F_RING_INDIRECT_DESC) < 0)
		return -1;
	b->irq = d->t->setup_irq(d, vblk_irq, b) == 0;
	b->hdr = dma_alloc_pages(1);
	b->status = dma_alloc_pages(1);
	if (virtio_setup_queue(d, &b->q, 0, 3 * SLOTS) < 0 || !b->hdr ||
	    !b->status ||
	    dma_map(&d->dma, b->hdr, PAGE_SIZE, DMA_TO_DEVICE, &b->hdr_dma) ||
	    dma_map(&d->dma, b->status, PAGE_SIZE, DMA_FROM_DEVICE,
		    &b->status_dma)) {
		virtio_fail(d, "cannot set up its queue");
		return -1;
	}
	b->irq = b->irq && d->t->irq_ok(d);
	/* A request is a chain of three: one ring slot with indirect
	 * descriptors, three without. */
	b->nslots = MIN((unsigned int)SLOTS,
			b->q.ind ? b->q.size : b->q.size / 3u);
	d->t->read_config(d, 0, &capacity, sizeof(capacity));
	virtio_driver_ok(d);
	if (!b->irq)
		sched_wake_sources++;
	mica_snprintf(b->name, sizeof(b->name), "virtio-blk %s", d->name);
	pr_info("virtio-blk: %s: %u requests in flight (%s), %s\n", d->name,
		b->nslots, b->q.ind ? "indirect descriptors" : "direct chains",
		b->irq ? d->t->irq_name(d) : "polled");
	b->bd.name = b->name;
	b->bd.sectors = capacity;
	b->bd.readonly = d->features & (1ULL << VIRTIO_BLK_F_RO);
	b->bd.ops = &vblk_ops;
	b->bd.priv = b;
	blkdev_register(&b->bd);
	return 0;
}
