/*
 * virtio-console (device 3) as a Mica console, port 0 only: MULTIPORT is
 * never negotiated, so there are exactly two queues, 0 (receive) and 1
 * (transmit), and no control messages. SIZE is taken when offered, only
 * to report the size.
 *
 * The console is written from anywhere (printk, panic, an exception
 * report), so nothing here sleeps or takes an interrupt: the queues are
 * polled, with interrupts suppressed.
 *
 * Transmit: output is copied (with "\n" made "\r\n", as on the serial
 * consoles) into a page of small buffers, mapped device-readable once;
 * each buffer is posted, kicked, and reclaimed on a later write. When all
 * buffers are out, the writer spins for at most TX_WAIT_NS for one to
 * come back, kicking again now and then in case a kick was lost. A
 * device that takes nothing in that time is stalled: the driver says so
 * once and from then on never waits again, so output that does not fit
 * is dropped rather than hang the kernel.
 *
 * Receive: a few device-writable buffers stay posted. A filled one waits,
 * in arrival order, until console input (fd 0) has read all of it, and is
 * posted again then: input nobody reads holds the device back, and none
 * is lost.
 *
 * The device is untrusted: the virtqueue layer refuses used entries for
 * chains not posted or longer than posted; a broken queue removes the
 * console and stops the device.
 */
#include <string.h>
#include <mica/console.h>
#include <mica/heap.h>
#include <mica/printk.h>
#include <mica/time.h>
#include <mica/virtio.h>

#define VIRTIO_CONSOLE_F_SIZE 0
#define CFG_COLS 0
#define CFG_ROWS 2

#define RXQ 0
#define TXQ 1
#define TX_BUFS 8
#define TX_BUF_SIZE 512		/* TX_BUFS of them fill one page */
#define RX_BUFS 4
#define RX_BUF_SIZE 1024	/* RX_BUFS of them fill one page */
#define TX_WAIT_NS (200 * NSEC_PER_MSEC)
#define FLUSH_WAIT_NS (200 * NSEC_PER_MSEC)

struct vcons_buf {
	uint8_t *va;
	dma_addr_t dma;
	bool busy;		/* posted, not yet back from the device */
	uint32_t len, off;	/* receive: bytes filled, bytes read */
};

struct vcons {
	struct virtio_dev *vdev;
	struct console con;
	struct virtq rxq, txq;
	struct vcons_buf rx[RX_BUFS], tx[TX_BUFS];
	unsigned int nrx, ntx;	/* buffers in use: at most the queue size */
	unsigned int tx_out;	/* transmit buffers with the device */
	bool in_write;		/* re-entry guard (a fault while writing) */
	bool stalled;		/* took no output for TX_WAIT_NS: never wait */
	bool dead;		/* a queue broke: unregistered for good */
	struct vcons_buf *ready[RX_BUFS];	/* filled, in order */
	unsigned int ready_head, nready;
};

static struct vcons *vcons;

static void reclaim_tx(struct vcons *v)
{
	struct vcons_buf *b;
	uint32_t len;

	while ((b = virtq_get_used(&v->txq, &len))) {
		b->busy = false;
		v->tx_out--;
	}
}

static int post_rx(struct vcons *v, struct vcons_buf *b)
{
	struct virtq_buf vb = { b->dma, RX_BUF_SIZE };

	return virtq_add_chain(&v->rxq, &vb, 0, 1, b);
}

/* Filled receive buffers join the ready queue. The length was already
 * checked by virtq_get_used() against what the buffer allows. */
static void take_rx(struct vcons *v)
{
	struct vcons_buf *b;
	uint32_t len;

	while (v->nready < RX_BUFS && (b = virtq_get_used(&v->rxq, &len))) {
		b->len = len;
		b->off = 0;
		v->ready[(v->ready_head + v->nready++) % RX_BUFS] = b;
	}
}

/* A buffer read to its end goes back to the device. */
static void repost_rx(struct vcons *v, struct vcons_buf *b)
{
	/* Every buffer published was used: the device waits for exactly
	 * this kick, which must not be lost (see net.c). */
	bool ran_dry = v->rxq.last_used == v->rxq.kicked_idx;

	if (post_rx(v, b) < 0)
		return;
	virtq_kick(&v->rxq);
	if (ran_dry)
		virtq_kick_again(&v->rxq);
}

/*
 * A queue broke (the device named a chain we did not post, or claimed to
 * write more than allowed): take the console out, then say so, so that
 * the message reaches the consoles that still work.
 */
static void check_broken(struct vcons *v)
{
	struct virtq *q;

	if (v->dead || (!v->rxq.broken && !v->txq.broken))
		return;
	q = v->rxq.broken ? &v->rxq : &v->txq;
	v->dead = true;
	console_unregister(&v->con); /* if it was the only one, no more */
	printk("virtio-console: %s: %s queue broken (%s); console removed\n",
	       v->vdev->name, q == &v->rxq ? "receive" : "transmit",
	       q->why_broken);
	virtio_fail(v->vdev, "protocol violation");
}

static struct vcons_buf *find_free_tx(struct vcons *v)
{
	for (unsigned int i = 0; i < v->ntx; i++)
		if (!v->tx[i].busy)
			return &v->tx[i];
	return NULL;
}

/*
 * Spin until @done or @until, taking back what the device finished. A
 * kick can be lost (see the top of net.c), so without progress the
 * device is told again every VIRTQ_WATCH_NS.
 */
static void spin_tx(struct vcons *v, bool (*done)(struct vcons *),
		    uint64_t until)
{
	uint64_t now = monotonic_ns(), kicked = now;

	for (;;) {
		reclaim_tx(v);
		if (done(v) || v->txq.broken || now >= until)
			return;
		if (now - kicked >= VIRTQ_WATCH_NS) {
			virtq_kick_again(&v->txq);
			kicked = now;
		}
		now = monotonic_ns();
	}
}

static bool have_free_tx(struct vcons *v)
{
	return find_free_tx(v) != NULL;
}

static bool all_tx_back(struct vcons *v)
{
	return v->tx_out == 0;
}

/*
 * A free transmit buffer, waiting at most TX_WAIT_NS for one unless the
 * device already stalled once. The first stall is reported here, while
 * in_write keeps the report from coming back into this console.
 */
static struct vcons_buf *get_tx(struct vcons *v)
{
	struct vcons_buf *b;

	reclaim_tx(v);
	b = find_free_tx(v);
	if (b || v->stalled || v->txq.broken)
		return b;
	spin_tx(v, have_free_tx, monotonic_ns() + TX_WAIT_NS);
	b = find_free_tx(v);
	if (b || v->txq.broken)
		return b;
	v->stalled = true;
	printk("virtio-console: %s: the device took no output for %llu ms; "
	       "console output to it is dropped when it does not fit%s\n",
	       v->vdev->name, (unsigned long long)(TX_WAIT_NS / NSEC_PER_MSEC),
	       console_fallback(&v->con) ? " (every console gets output "
					   "again)"
					 : "");
	return NULL;
}

/* Copy @buf[*pos..len) into @dst, "\n" as "\r\n", as much as one buffer
 * holds; advances *pos and returns the bytes used. */
static uint32_t fill(uint8_t *dst, const char *buf, size_t len, size_t *pos)
{
	uint32_t n = 0;

	while (*pos < len) {
		char c = buf[*pos];

		if (c == '\n') {
			if (n + 2 > TX_BUF_SIZE)
				break;
			dst[n++] = '\r';
		} else if (n + 1 > TX_BUF_SIZE) {
			break;
		}
		dst[n++] = (uint8_t)c;
		(*pos)++;
	}
	return n;
}

static void vcons_write(struct console *con, const char *buf, size_t len)
{
	struct vcons *v = container_of(con, struct vcons, con);
	size_t pos = 0;

	if (v->in_write || v->dead)
		return;
	v->in_write = true;
	take_rx(v);
	while (pos < len && !v->txq.broken) {
		struct vcons_buf *b = get_tx(v);
		struct virtq_buf vb;

		if (!b)
			break;
		vb.addr = b->dma;
		vb.len = fill(b->va, buf, len, &pos);
		if (virtq_add_chain(&v->txq, &vb, 1, 0, b) < 0)
			break;
		b->busy = true;
		v->tx_out++;
		virtq_kick(&v->txq);
	}
	check_broken(v);
	v->in_write = false;
}

/* Console input: from the oldest filled buffer on. */
static size_t vcons_read(struct console *con, char *buf, size_t len)
{
	struct vcons *v = container_of(con, struct vcons, con);
	size_t n = 0;

	if (v->in_write || v->dead)
		return 0;
	v->in_write = true;
	take_rx(v);
	while (n < len && v->nready) {
		struct vcons_buf *b = v->ready[v->ready_head];

		while (n < len && b->off < b->len)
			buf[n++] = (char)b->va[b->off++];
		if (b->off == b->len) {
			v->ready_head = (v->ready_head + 1) % RX_BUFS;
			v->nready--;
			repost_rx(v, b);
		}
	}
	check_broken(v);
	v->in_write = false;
	return n;
}

/* Before the machine stops: give the device a bounded time to take what
 * is posted (a device working asynchronously would lose it otherwise). */
static void vcons_flush(struct console *con)
{
	struct vcons *v = container_of(con, struct vcons, con);

	if (v->in_write || v->dead || v->stalled)
		return;
	v->in_write = true;
	spin_tx(v, all_tx_back, monotonic_ns() + FLUSH_WAIT_NS);
	check_broken(v);
	v->in_write = false;
}

/* @count buffers of @size in one page, mapped for the device once. */
static int make_pool(struct vcons *v, struct vcons_buf *bufs,
		     unsigned int count, size_t size, enum dma_dir dir)
{
	uint8_t *page = dma_alloc_pages(1);
	dma_addr_t base;

	if (!page || dma_map(&v->vdev->dma, page, PAGE_SIZE, dir, &base))
		return -1;
	for (unsigned int i = 0; i < count; i++) {
		bufs[i].va = page + i * size;
		bufs[i].dma = base + i * size;
	}
	return 0;
}

int virtio_console_probe(struct virtio_dev *d)
{
	struct vcons *v;
	char size[24] = "";

	if (vcons) {
		pr_info("virtio-console: %s: one is enough, ignored\n",
			d->name);
		return -1;
	}
	v = heap_alloc(sizeof(*v));
	if (!v)
		return -1;
	memset(v, 0, sizeof(*v));
	v->vdev = d;
	if (virtio_negotiate(d, 1ULL << VIRTIO_CONSOLE_F_SIZE) < 0)
		return -1;
	if (virtio_setup_queue(d, &v->rxq, RXQ, RX_BUFS) < 0 ||
	    virtio_setup_queue(d, &v->txq, TXQ, TX_BUFS) < 0 ||
	    make_pool(v, v->rx, RX_BUFS, RX_BUF_SIZE, DMA_FROM_DEVICE) < 0 ||
	    make_pool(v, v->tx, TX_BUFS, TX_BUF_SIZE, DMA_TO_DEVICE) < 0) {
		virtio_fail(d, "out of memory or DMA mappings for the queues");
		return -1;
	}
	v->nrx = MIN((unsigned int)RX_BUFS, (unsigned int)v->rxq.size);
	v->ntx = MIN((unsigned int)TX_BUFS, (unsigned int)v->txq.size);
	/* Polled: ask the device not to interrupt (no EVENT_IDX, so the
	 * avail ring's flags word says it). */
	v->rxq.avail[0] = VRING_AVAIL_F_NO_INTERRUPT;
	v->txq.avail[0] = VRING_AVAIL_F_NO_INTERRUPT;
	for (unsigned int i = 0; i < v->nrx; i++)
		post_rx(v, &v->rx[i]);
	if (d->features & (1ULL << VIRTIO_CONSOLE_F_SIZE)) {
		uint16_t cols = 0, rows = 0;

		d->t->read_config(d, CFG_COLS, &cols, sizeof(cols));
		d->t->read_config(d, CFG_ROWS, &rows, sizeof(rows));
		mica_snprintf(size, sizeof(size), ", %ux%u", cols, rows);
	}
	virtio_driver_ok(d);
	virtq_kick(&v->rxq);
	v->con.name = "virtio";
	v->con.write = vcons_write;
	v->con.flush = vcons_flush;
	v->con.read = vcons_read;
	vcons = v;
	console_register(&v->con);
	pr_info("virtio-console: %s port 0 as a console%s\n", d->name, size);
	return 0;
}
