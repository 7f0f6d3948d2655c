/*
 * What every virtio driver does with its device: the status handshake,
 * feature negotiation, queue setup through the DMA layer. Kept apart from
 * the driver dispatch (virtio.c) so that host tests can run a real driver
 * against a simulated transport.
 */
#include <mica/printk.h>
#include <mica/time.h>
#include <mica/virtio.h>

void virtio_fail(struct virtio_dev *d, const char *why)
{
	printk("virtio: %s: %s; device disabled\n", d->name, why);
	d->t->set_status(d, d->t->get_status(d) | VIRTIO_STATUS_FAILED);
}

int virtio_negotiate(struct virtio_dev *d, uint64_t wanted)
{
	uint64_t offered, need = 1ULL << VIRTIO_F_VERSION_1;
	uint64_t start = monotonic_ns();

	if (d->dma.ops == &dma_grant_ops)
		need |= 1ULL << VIRTIO_F_ACCESS_PLATFORM;
	d->t->set_status(d, 0);
	while (d->t->get_status(d) != 0) {
		if (monotonic_ns() - start > NSEC_PER_SEC) {
			printk("virtio: %s: reset did not complete\n", d->name);
			return -1;
		}
	}
	d->t->set_status(d, VIRTIO_STATUS_ACKNOWLEDGE);
	d->t->set_status(d, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	offered = d->t->get_features(d);
	if ((offered & need) != need) {
		virtio_fail(d, (need & ~offered) & (1ULL << VIRTIO_F_VERSION_1)
				       ? "no VIRTIO_F_VERSION_1 (legacy-only "
					 "device: not supported)"
				       : "grant DMA needs "
					 "VIRTIO_F_ACCESS_PLATFORM, which the "
					 "device does not offer");
		return -1;
	}
	d->features = (offered & wanted) | need;
	d->t->set_features(d, d->features);
	d->t->set_status(d, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
				    VIRTIO_STATUS_FEATURES_OK);
	if (!(d->t->get_status(d) & VIRTIO_STATUS_FEATURES_OK)) {
		virtio_fail(d, "the device refused our features");
		return -1;
	}
	return 0;
}

/* Indirect tables for @q, mapped device-readable (read-only grants); a
 * queue that cannot have them works without. */
static void setup_indirect(struct virtio_dev *d, struct virtq *q)
{
	size_t pages = ALIGN_UP(virtq_indirect_bytes(q->size,
						     VIRTQ_INDIRECT_MAX),
				PAGE_SIZE) / PAGE_SIZE;
	void *mem = dma_alloc_pages(pages);
	dma_addr_t base;

	if (!mem || dma_map(&d->dma, mem, pages * PAGE_SIZE, DMA_TO_DEVICE,
			    &base)) {
		if (mem)
			dma_free_pages(mem, pages);
		printk("virtio: %s: no memory for indirect descriptors; "
		       "using direct chains\n", d->name);
		return;
	}
	virtq_set_indirect(q, mem, base, VIRTQ_INDIRECT_MAX);
}

int virtio_setup_queue(struct virtio_dev *d, struct virtq *q, uint16_t index,
		       uint16_t want)
{
	uint16_t max = d->t->queue_max(d, index), size = 1;
	size_t bytes, pages;
	dma_addr_t base;
	void *mem;

	if (max == 0)
		return -1;
	while ((uint32_t)size * 2 <= MIN(max, want))
		size = (uint16_t)(size * 2);
	bytes = virtq_ring_bytes(size);
	pages = ALIGN_UP(bytes, PAGE_SIZE) / PAGE_SIZE;
	mem = dma_alloc_pages(pages);
	if (!mem || virtq_init(q, size, mem,
			       d->features & (1ULL << VIRTIO_F_RING_EVENT_IDX)))
		return -1;
	/* The rings go through the DMA layer like any buffer. */
	if (dma_map(&d->dma, mem, pages * PAGE_SIZE, DMA_BIDIRECTIONAL, &base))
		return -1;
	if (d->features & (1ULL << VIRTIO_F_RING_INDIRECT_DESC))
		setup_indirect(d, q);
	q->index = index;
	q->notify = d->t->notify;
	q->priv = d;
	return d->t->queue_enable(d, q, base, base + virtq_avail_offset(q),
				  base + virtq_used_offset(q));
}

void virtio_driver_ok(struct virtio_dev *d)
{
	d->t->set_status(d, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
				    VIRTIO_STATUS_FEATURES_OK |
				    VIRTIO_STATUS_DRIVER_OK);
}
