/*
 * virtio-rng (the entropy device): one queue; each request is a
 * device-writable buffer the device fills with random bytes. Requests are
 * synchronous and bounded in time: a device that does not answer within
 * a second makes the read fail (callers then try another source).
 */
#include <string.h>
#include <mica/entropy.h>
#include <mica/heap.h>
#include <mica/printk.h>
#include <mica/sched.h>
#include <mica/time.h>
#include <mica/virtio.h>

#define CHUNK 64

struct vrng {
	struct virtio_dev *vdev;
	struct virtq q;
	uint8_t *buf;
	dma_addr_t dma;
	struct waitq wq;
	bool busy;
};

static struct vrng *rng;

static void vrng_irq(void *arg)
{
	waitq_wake_all(&((struct vrng *)arg)->wq);
}

static int vrng_read(void *out, size_t len)
{
	struct vrng *r = rng;
	uint8_t *o = out;

	if (!r || r->q.broken)
		return -1;
	while (r->busy)
		waitq_wait(&r->wq, monotonic_ns() + 10 * NSEC_PER_MSEC);
	r->busy = true;
	while (len) {
		struct virtq_buf b = { r->dma, CHUNK };
		uint64_t until = monotonic_ns() + NSEC_PER_SEC, kicked;
		uint32_t got = 0;
		void *tok = NULL;

		if (virtq_add_chain(&r->q, &b, 0, 1, r) < 0)
			break;
		virtq_kick(&r->q);
		/* Polled every millisecond, kicked again every
		 * VIRTQ_WATCH_NS: a lost notification only costs time (see
		 * the top of net.c). */
		kicked = monotonic_ns();
		while (!(tok = virtq_get_used(&r->q, &got)) && !r->q.broken &&
		       monotonic_ns() < until) {
			waitq_wait(&r->wq, MIN(until, monotonic_ns() +
							      NSEC_PER_MSEC));
			if (monotonic_ns() - kicked >= VIRTQ_WATCH_NS) {
				virtq_kick_again(&r->q);
				kicked = monotonic_ns();
			}
		}
		if (!tok || got == 0)
			break;
		got = MIN(got, (uint32_t)MIN(len, (size_t)CHUNK));
		memcpy(o, r->buf, got);
		o += got;
		len -= got;
	}
	r->busy = false;
	return len ? -1 : 0;
}

static struct entropy_source vrng_source = { .name = "virtio-rng",
					     .read = vrng_read };

int virtio_rng_probe(struct virtio_dev *d)
{
	struct vrng *r;

	if (rng) {
		pr_info("virtio-rng: %s: one is enough, ignored\n", d->name);
		return -1;
	}
	r = heap_alloc(sizeof(*r));
	if (!r)
		return -1;
	memset(r, 0, sizeof(*r));
	r->vdev = d;
	waitq_init(&r->wq);
	if (virtio_negotiate(d, 0) < 0)
		return -1;
	d->t->setup_irq(d, vrng_irq, r);
	r->buf = dma_alloc_pages(1);
	if (virtio_setup_queue(d, &r->q, 0, 8) < 0 || !r->buf ||
	    dma_map(&d->dma, r->buf, CHUNK, DMA_FROM_DEVICE, &r->dma)) {
		virtio_fail(d, "cannot set up its queue");
		return -1;
	}
	virtio_driver_ok(d);
	rng = r;
	entropy_register(&vrng_source);
	pr_info("virtio-rng: %s: entropy source\n", d->name);
	return 0;
}
