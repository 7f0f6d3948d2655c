/*
 * virtio-net. Receive: a pool of 2 KiB buffers, each mapped for DMA once
 * and posted device-writable; a thread hands each filled one to the
 * stack and posts it again. Transmit: a pool of 2 KiB buffers mapped
 * device-readable (read-only grants); a frame is copied in after a zero
 * virtio-net header. Lengths the device reports are checked against the
 * buffer before a byte is read.
 *
 * Notifications can be lost. Each side publishes an index, then reads the
 * other side's event index (store, full barrier, load); if either barrier
 * does not hold, both can miss each other: the device waits for a kick
 * that virtq_kick() judged unneeded, or the driver waits for an interrupt
 * the device judged unneeded. QEMU before 8.1 drops the guest's barriers
 * when TCG runs a single vCPU (QEMU commit c914d46d0a, "tcg: Do not elide
 * memory barriers for !CF_PARALLEL in system mode"); there a few seconds
 * of HTTP load were enough. With event indexes a miss is for good: every
 * later kick or interrupt is judged against the stale index and skipped
 * too, so the transmit ring fills and the interface goes silent. The
 * driver therefore never relies on a notification alone:
 *   - frames the device has not taken within WATCH_NS are kicked again;
 *   - a receive ring the device used up is kicked after the refill (the
 *     device then waits for exactly that kick);
 *   - while frames are in flight or arrived lately, the receive thread
 *     also wakes every WATCH_NS instead of only on interrupts.
 * A needless kick or wake-up costs one register write or one look at the
 * rings.
 *
 * Checksums (net.csum_offload=on, the default, and offered by the device):
 * with VIRTIO_NET_F_CSUM the stack leaves TCP/UDP checksums of outgoing
 * frames to us; each frame gets the pseudo-header sum and NEEDS_CSUM, and
 * the device finishes it (net_csum.c). Then, and with
 * VIRTIO_NET_F_GUEST_CSUM, the stack does not check incoming ones either:
 * frames the device marks DATA_VALID or NEEDS_CSUM are taken as checked,
 * the rest are checked here, and a wrong one is dropped and counted. (The
 * stack's check must be off whenever its generation is: frames it sends
 * to its own address loop back inside it, with the field left empty.)
 */
#include <string.h>
#include <mica/heap.h>
#include <mica/net_csum.h>
#include <mica/netdev.h>
#include <mica/printk.h>
#include <mica/sched.h>
#include <mica/sched_hooks.h>
#include <mica/time.h>
#include <mica/virtio.h>

#define VIRTIO_NET_F_CSUM 0		/* the device completes TX checksums */
#define VIRTIO_NET_F_GUEST_CSUM 1	/* RX may come checked or partial */
#define VIRTIO_NET_F_MAC 5
#define HDR_LEN VNET_HDR_LEN	/* struct virtio_net_hdr with num_buffers */
#define BUF_SIZE 2048
#define RX_BUFS 128
#define TX_BUFS 64
#define POLL_NS (1 * NSEC_PER_MSEC)
#define WATCH_NS (2 * NSEC_PER_MSEC)	/* see the top of the file */
#define ACTIVE_NS (100 * NSEC_PER_MSEC)	/* "arrived lately" */

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
	bool tx_csum;		/* VIRTIO_NET_F_CSUM: we fill in NEEDS_CSUM */
	bool rx_csum;		/* we check RX checksums (for the stack) */
	bool guest_csum;	/* VIRTIO_NET_F_GUEST_CSUM: trust its flags */
	unsigned int tx_busy;		/* frames not reclaimed yet */
	uint16_t tx_seen;		/* txq.last_used at the last watch */
	uint64_t tx_progress_ns;	/* last time the device took a frame */
	uint64_t watch_ns;		/* last watch (tx_watch) */
	uint64_t rx_active_ns;		/* last time a frame arrived */
	unsigned long rx_frames, tx_frames, rx_bad;
	unsigned long tx_rekicks, rx_rekicks;	/* kicks sent again */
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

static void reclaim_tx(struct vnet *n)
{
	struct vnet_buf *b;
	uint32_t len;

	while ((b = virtq_get_used(&n->txq, &len))) {
		b->busy = false;
		n->tx_busy--;
	}
}

/*
 * Every WATCH_NS at most: frames in flight that the device has not taken
 * for WATCH_NS had their kick lost (see the top of the file); kick again.
 * Not more often: each reclaim asks the device for another interrupt.
 */
static void tx_watch(struct vnet *n, uint64_t now)
{
	if (now - n->watch_ns < WATCH_NS)
		return;
	n->watch_ns = now;
	reclaim_tx(n);
	if (!n->tx_busy || n->txq.last_used != n->tx_seen) {
		n->tx_seen = n->txq.last_used;
		n->tx_progress_ns = now;
	} else if (now - n->tx_progress_ns >= WATCH_NS && !n->txq.broken) {
		n->tx_rekicks++;
		n->txq.notify(&n->txq);
		n->tx_progress_ns = now;
	}
}

/* Until when the receive thread may sleep: in polled mode POLL_NS; with
 * interrupts, until the next watch while frames are in flight or lately
 * arrived, else for good. */
static uint64_t rx_deadline(const struct vnet *n, uint64_t now)
{
	if (!n->irq)
		return now + POLL_NS;
	if (n->tx_busy || now - n->rx_active_ns < ACTIVE_NS)
		return n->watch_ns + WATCH_NS;
	return 0;
}

/*
 * Whether a received frame may go up, when we check checksums for the
 * stack. The header is copied out of the buffer first: the device could
 * write it again, and each field must be read once.
 */
static bool rx_csum_ok(struct vnet *n, uint8_t *buf, size_t len)
{
	struct netdev_csum_stats *st = &n->nd.csum;
	uint8_t hdr[HDR_LEN];

	memcpy(hdr, buf, HDR_LEN);
	switch (vnet_csum_rx(hdr, buf + HDR_LEN, len - HDR_LEN,
			     n->guest_csum)) {
	case VNET_RX_DEVICE_VALID:
	case VNET_RX_PARTIAL:
	case VNET_RX_COMPLETED:
		st->rx_device++;
		return true;
	case VNET_RX_VERIFIED:
		st->rx_software++;
		return true;
	case VNET_RX_NOTHING:
		return true;
	case VNET_RX_BAD_HDR:
		st->rx_bad_hdr++;
		return false;
	default:
		st->rx_bad_csum++;
		return false;
	}
}

static void rx_thread(void *arg)
{
	struct vnet *n = arg;

	for (;;) {
		struct vnet_buf *b;
		uint32_t len;
		bool any = false;
		uint64_t now;

		while ((b = virtq_get_used(&n->rxq, &len))) {
			if (len > HDR_LEN && len <= BUF_SIZE && n->nd.receive &&
			    (!n->rx_csum || rx_csum_ok(n, b->va, len))) {
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
		now = monotonic_ns();
		if (any) {
			/* Every buffer published was used: the device has
			 * none and waits for the kick of the refill, which
			 * must not be lost. */
			bool ran_dry = n->rxq.last_used == n->rxq.kicked_idx;

			virtq_kick(&n->rxq);
			if (ran_dry) {
				n->rx_rekicks++;
				n->rxq.notify(&n->rxq);
			}
			n->rx_active_ns = now;
		}
		tx_watch(n, now);
		waitq_wait(&n->rx_wq, rx_deadline(n, now));
	}
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* The stack left the frame's TCP/UDP checksum to us: have the device
 * finish it (flags, csum_start, csum_offset), or compute it here. */
static void tx_csum(struct vnet *n, uint8_t *buf, size_t len)
{
	uint16_t start, off;

	switch (net_csum_tx_prepare(buf + HDR_LEN, len, &start, &off)) {
	case NET_CSUM_TX_PARTIAL:
		buf[0] = VNET_HDR_F_NEEDS_CSUM;
		put_le16(buf + 6, start);
		put_le16(buf + 8, off);
		n->nd.csum.tx_offloaded++;
		break;
	case NET_CSUM_TX_DONE:
		n->nd.csum.tx_software++;
		break;
	case NET_CSUM_TX_NONE:
		break;
	}
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
		if (!b) {
			/* The ring is full: make sure the device knows. */
			if (tries == 0 && !n->txq.broken) {
				n->tx_rekicks++;
				n->txq.notify(&n->txq);
			}
			waitq_wait(&n->tx_wq,
				   monotonic_ns() + 10 * NSEC_PER_MSEC);
		}
	}
	if (!b)
		return -1; /* the device is not draining: drop */
	memset(b->va, 0, HDR_LEN);
	memcpy(b->va + HDR_LEN, frame, len);
	if (n->tx_csum)
		tx_csum(n, b->va, len);
	vb.addr = b->dma;
	vb.len = (uint32_t)(HDR_LEN + len);
	if (virtq_add_chain(&n->txq, &vb, 1, 0, b) < 0)
		return -1;
	b->busy = true;
	if (n->tx_busy++ == 0)
		n->tx_progress_ns = monotonic_ns();
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

/* Which checksum offloads were agreed on, for us and for the stack. */
static void setup_csum(struct vnet *n)
{
	n->tx_csum = n->vdev->features & (1ULL << VIRTIO_NET_F_CSUM);
	n->guest_csum = n->vdev->features & (1ULL << VIRTIO_NET_F_GUEST_CSUM);
	n->rx_csum = n->tx_csum || n->guest_csum;
	n->nd.csum_tx_offload = n->tx_csum;
	n->nd.csum_rx_ok = n->rx_csum;
}

static void log_csum(const struct vnet *n)
{
	const char *rx = "not offered";

	if (!netdev_csum_offload) {
		pr_info("virtio-net: %s: checksum offload off "
			"(net.csum_offload=off)\n", n->vdev->name);
		return;
	}
	if (n->guest_csum)
		rx = "on";
	else if (n->rx_csum)
		rx = "not offered (checked by the driver)";
	pr_info("virtio-net: %s: checksum offload: TX %s, RX %s\n",
		n->vdev->name, n->tx_csum ? "on" : "not offered", rx);
}

int virtio_net_probe(struct virtio_dev *d)
{
	struct vnet *n = heap_alloc(sizeof(*n));
	uint64_t want = 1ULL << VIRTIO_NET_F_MAC |
			1ULL << VIRTIO_F_RING_EVENT_IDX;

	if (!n)
		return -1;
	memset(n, 0, sizeof(*n));
	n->vdev = d;
	waitq_init(&n->rx_wq);
	waitq_init(&n->tx_wq);
	if (netdev_csum_offload)
		want |= 1ULL << VIRTIO_NET_F_CSUM |
			1ULL << VIRTIO_NET_F_GUEST_CSUM;
	if (virtio_negotiate(d, want) < 0)
		return -1;
	setup_csum(n);
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
		n->rxq.size, n->txq.size, n->irq ? d->t->irq_name(d) : "polled");
	log_csum(n);
	netdev_register(&n->nd);
	return 0;
}
