/*
 * virtio-net. Receive: a pool of 2 KiB buffers, each mapped for DMA once
 * and posted device-writable; a thread hands each filled one to the
 * stack and posts it again. Transmit: a pool of 2 KiB buffers mapped
 * device-readable (read-only grants); a frame is copied in after a zero
 * virtio-net header. Lengths the device reports are checked against the
 * buffer before a byte is read.
 */
#include <string.h>
#include <mica/heap.h>
#include <mica/netdev.h>
#include <mica/printk.h>
#include <mica/sched.h>
#include <mica/sched_hooks.h>
#include <mica/time.h>
#include <mica/virtio.h>

#define VIRTIO_NET_F_MAC 5
#define HDR_LEN 12	/* struct virtio_net_hdr with num_buffers (v1) */
#define BUF_SIZE 2048
#define RX_BUFS 128
#define TX_BUFS 64
#define POLL_NS (1 * NSEC_PER_MSEC)

struct vnet_buf {
	uint8_t *va;
	dma_addr_t dma;
	bool busy;
};

struct vnet {
	struct virtio_dev *vdev;
	struct netdev nd;
	struct virtq rxq, txq;
	struct vnet_buf rx[RX_BUFS], tx[TX_BUFS];
	struct waitq rx_wq, tx_wq;
	bool irq;
	unsigned long rx_frames, tx_frames, rx_bad;
};

static void vnet_irq(void *arg)
{
	struct vnet *n = arg;

	waitq_wake_all(&n->rx_wq);
	waitq_wake_all(&n->tx_wq);
}

static int post_rx(struct vnet *n, struct vnet_buf *b)
{
	struct virtq_buf vb = { b->dma, BUF_SIZE };

	return virtq_add_chain(&n->rxq, &vb, 0, 1, b);
}

static void broken(struct vnet *n, const char *where)
{
	printk("virtio-net: %s: %s queue broken (%s); device stopped\n",
	       n->vdev->name, where,
	       n->rxq.broken ? n->rxq.why_broken : n->txq.why_broken);
	virtio_fail(n->vdev, "protocol violation");
}

static void rx_thread(void *arg)
{
	struct vnet *n = arg;

	for (;;) {
		struct vnet_buf *b;
		uint32_t len;
		bool any = false;

		while ((b = virtq_get_used(&n->rxq, &len))) {
			if (len > HDR_LEN && len <= BUF_SIZE && n->nd.receive) {
				n->rx_frames++;
				n->nd.receive(&n->nd, b->va + HDR_LEN,
					      len - HDR_LEN);
			} else {
				n->rx_bad++;
			}
			post_rx(n, b);
			any = true;
		}
		if (n->rxq.broken || n->txq.broken) {
			broken(n, "receive");
			return;
		}
		if (any)
			virtq_kick(&n->rxq);
		waitq_wait(&n->rx_wq, n->irq ? 0 : monotonic_ns() + POLL_NS);
	}
}

static void reclaim_tx(struct vnet *n)
{
	struct vnet_buf *b;
	uint32_t len;

	while ((b = virtq_get_used(&n->txq, &len)))
		b->busy = false;
}

static int vnet_transmit(struct netdev *nd, const void *frame, size_t len)
{
	struct vnet *n = nd->priv;
	struct vnet_buf *b = NULL;
	struct virtq_buf vb;

	if (len > BUF_SIZE - HDR_LEN || n->txq.broken)
		return -1;
	for (int tries = 0; !b && tries < 3; tries++) {
		reclaim_tx(n);
		for (int i = 0; i < TX_BUFS && !b; i++)
			if (!n->tx[i].busy)
				b = &n->tx[i];
		if (!b)
			waitq_wait(&n->tx_wq,
				   monotonic_ns() + 10 * NSEC_PER_MSEC);
	}
	if (!b)
		return -1; /* the device is not draining: drop */
	memset(b->va, 0, HDR_LEN);
	memcpy(b->va + HDR_LEN, frame, len);
	vb.addr = b->dma;
	vb.len = (uint32_t)(HDR_LEN + len);
	if (virtq_add_chain(&n->txq, &vb, 1, 0, b) < 0)
		return -1;
	b->busy = true;
	n->tx_frames++;
	virtq_kick(&n->txq);
	return 0;
}

static const struct netdev_ops vnet_ops = { .transmit = vnet_transmit };

/* @count buffers of BUF_SIZE, two per page, each mapped for DMA. */
static int make_pool(struct vnet *n, struct vnet_buf *bufs, int count,
		     enum dma_dir dir)
{
	uint8_t *mem = dma_alloc_pages((size_t)count / 2);

	if (!mem)
		return -1;
	for (int i = 0; i < count; i++) {
		bufs[i].va = mem + (size_t)i * BUF_SIZE;
		if (dma_map(&n->vdev->dma, bufs[i].va, BUF_SIZE, dir,
			    &bufs[i].dma))
			return -1;
	}
	return 0;
}

int virtio_net_probe(struct virtio_dev *d)
{
	struct vnet *n = heap_alloc(sizeof(*n));

	if (!n)
		return -1;
	memset(n, 0, sizeof(*n));
	n->vdev = d;
	waitq_init(&n->rx_wq);
	waitq_init(&n->tx_wq);
	if (virtio_negotiate(d, 1ULL << VIRTIO_NET_F_MAC |
					1ULL << VIRTIO_F_RING_EVENT_IDX) < 0)
		return -1;
	/* The vector first: queues pick it up as they are enabled. */
	n->irq = d->t->setup_irq(d, vnet_irq, n) == 0;
	if (virtio_setup_queue(d, &n->rxq, 0, RX_BUFS) < 0 ||
	    virtio_setup_queue(d, &n->txq, 1, TX_BUFS) < 0 ||
	    make_pool(n, n->rx, RX_BUFS, DMA_FROM_DEVICE) < 0 ||
	    make_pool(n, n->tx, TX_BUFS, DMA_TO_DEVICE) < 0) {
		virtio_fail(d, "out of memory or DMA mappings for the queues");
		return -1;
	}
	n->irq = n->irq && d->t->irq_ok(d);
	if (d->features & (1ULL << VIRTIO_NET_F_MAC))
		d->t->read_config(d, 0, n->nd.mac, 6);
	else
		memcpy(n->nd.mac, "\x52\x54\x00\x12\x34\x56", 6);
	for (int i = 0; i < RX_BUFS && i < n->rxq.size; i++)
		post_rx(n, &n->rx[i]);
	virtio_driver_ok(d);
	virtq_kick(&n->rxq);
	n->nd.name = "virtio-net";
	n->nd.mtu = 1500;
	n->nd.ops = &vnet_ops;
	n->nd.priv = n;
	if (!n->irq)
		sched_wake_sources++; /* the poll timer keeps it going */
	if (!thread_create("virtio-net-rx", rx_thread, n)) {
		virtio_fail(d, "no memory for the receive thread");
		return -1;
	}
	pr_info("virtio-net: %s: %u/%u queue entries, %s\n", d->name,
		n->rxq.size, n->txq.size, n->irq ? "MSI-X" : "polled");
	netdev_register(&n->nd);
	return 0;
}
