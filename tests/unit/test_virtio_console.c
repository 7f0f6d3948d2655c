/*
 * The virtio-console driver against a simulated device behind a fake
 * transport: output arrives whole (with "\r\n"), a device that takes
 * nothing costs one bounded wait and one warning, input is read in order
 * and its buffers posted again, and a device that lies about the rings gets
 * the console removed instead of memory corrupted. The device reaches
 * guest memory only through the DMA addresses it was given (identity or
 * simulated grants). The console layer is stubbed here: the test keeps
 * the registered console and calls its write itself.
 */
#include <string.h>
#include <mica/console.h>
#include <mica/mm.h>
#include <mica/printk.h>
#include <mica/time.h>
#include <mica/virtio.h>
#include "host.h"
#include "unit.h"

#define F_SIZE (1ULL << 0)
#define F_MULTIPORT (1ULL << 1)
#define F_EMERG_WRITE (1ULL << 2)
#define F_V1 (1ULL << VIRTIO_F_VERSION_1)
#define F_PLATFORM (1ULL << VIRTIO_F_ACCESS_PLATFORM)
#define GRANT_DOMID 0

/* --- the console layer, stubbed ------------------------------------------ */

static struct console *registered;
static bool was_only;

void console_register(struct console *con)
{
	registered = con;
}

void console_unregister(struct console *con)
{
	if (registered == con)
		registered = NULL;
}

bool console_fallback(struct console *con)
{
	bool was = was_only;

	(void)con;
	was_only = false;
	return was;
}

/* --- the simulated device ------------------------------------------------ */

struct simq {
	uint16_t size;
	struct vring_desc *desc;
	uint16_t *avail;	/* flags, idx, ring[] */
	uint8_t *used;		/* flags, idx, ring[] of {id, len} */
	uint16_t seen;		/* avail entries taken */
	uint16_t used_idx;
	bool enabled;
};

static struct {
	uint64_t offered, accepted;
	uint8_t status;
	uint16_t qmax;
	struct simq q[2];
	unsigned int notifies[2];
	bool take_tx;		/* consume output when notified */
	bool grants;		/* addresses are grants, not physical */
	uint16_t cols, rows;
	char out[16384];
	size_t out_len;
	bool nest;		/* write to the console from inside a kick */
	unsigned int lose_tx_kicks;	/* ignore this many transmit kicks */
} sim;

/* Where a DMA address lands in guest memory, or NULL if the device may
 * not reach it (for writing, when @write). */
static void *dev_ptr(dma_addr_t a, bool write)
{
	char *page;

	if (!sim.grants)
		return (a & DMA_GRANT_BIT) ? NULL : phys_to_virt(a);
	if (!(a & DMA_GRANT_BIT))
		return NULL;
	page = grant_sim_page((a & ~DMA_GRANT_BIT) >> 12, GRANT_DOMID, write);
	return page ? page + (a & 0xfff) : NULL;
}

static void dev_push(struct simq *q, uint32_t id, uint32_t len)
{
	struct vring_used_elem *e = (struct vring_used_elem *)(q->used + 4);

	e[q->used_idx & (q->size - 1)].id = id;
	e[q->used_idx & (q->size - 1)].len = len;
	q->used_idx++;
	__atomic_store_n((uint16_t *)(q->used + 2), q->used_idx,
			 __ATOMIC_RELEASE);
}

/* The next chain the driver posted on @q, or -1. */
static int dev_take(struct simq *q)
{
	uint16_t idx = __atomic_load_n(&q->avail[1], __ATOMIC_ACQUIRE);

	if (q->seen == idx)
		return -1;
	return q->avail[2 + (q->seen++ & (q->size - 1))];
}

/* Everything posted on the transmit queue goes to sim.out. */
static void dev_drain_tx(void)
{
	struct simq *q = &sim.q[1];
	int head;

	while ((head = dev_take(q)) >= 0) {
		struct vring_desc *d = &q->desc[head];
		char *p = dev_ptr(d->addr, false);

		REQUIRE(p);
		REQUIRE(!(d->flags & (VRING_DESC_F_WRITE | VRING_DESC_F_NEXT)));
		/* Read-only for the device: a write through it must fail. */
		if (sim.grants)
			CHECK(dev_ptr(d->addr, true) == NULL);
		REQUIRE(sim.out_len + d->len <= sizeof(sim.out));
		memcpy(sim.out + sim.out_len, p, d->len);
		sim.out_len += d->len;
		dev_push(q, (uint32_t)head, 0);
	}
	sim.out[sim.out_len] = '\0';
}

/* Input: fill the next receive buffer with @s; returns its head. */
static int dev_input(const char *s)
{
	struct simq *q = &sim.q[0];
	int head = dev_take(q);
	struct vring_desc *d;
	char *p;

	REQUIRE(head >= 0);
	d = &q->desc[head];
	REQUIRE(d->flags & VRING_DESC_F_WRITE);
	p = dev_ptr(d->addr, true);
	REQUIRE(p);
	REQUIRE(strlen(s) <= d->len);
	memcpy(p, s, strlen(s));
	dev_push(q, (uint32_t)head, (uint32_t)strlen(s));
	return head;
}

static uint64_t get_features(struct virtio_dev *d)
{
	(void)d;
	return sim.offered;
}

static void set_features(struct virtio_dev *d, uint64_t f)
{
	(void)d;
	sim.accepted = f;
}

static uint8_t get_status(struct virtio_dev *d)
{
	(void)d;
	return sim.status;
}

static void set_status(struct virtio_dev *d, uint8_t s)
{
	(void)d;
	sim.status = s;
}

static uint16_t queue_max(struct virtio_dev *d, uint16_t index)
{
	(void)d;
	return index < 2 ? sim.qmax : 0;
}

static int queue_enable(struct virtio_dev *d, struct virtq *vq, dma_addr_t desc,
			dma_addr_t avail, dma_addr_t used)
{
	struct simq *q = &sim.q[vq->index];

	(void)d;
	REQUIRE(vq->index < 2);
	q->size = vq->size;
	q->desc = dev_ptr(desc, true);
	q->avail = dev_ptr(avail, true);
	q->used = dev_ptr(used, true);
	REQUIRE(q->desc && q->avail && q->used);
	q->enabled = true;
	return 0;
}

static void notify(struct virtq *vq)
{
	sim.notifies[vq->index]++;
	if (sim.nest && registered) {
		/* As if a fault report came in the middle of a write. */
		sim.nest = false;
		registered->write(registered, "NESTED", 6);
	}
	if (vq->index == 1 && sim.lose_tx_kicks) {
		sim.lose_tx_kicks--;
		return;
	}
	if (vq->index == 1 && sim.take_tx)
		dev_drain_tx();
}

static void read_config(struct virtio_dev *d, size_t off, void *buf, size_t len)
{
	uint8_t cfg[12] = { (uint8_t)sim.cols, (uint8_t)(sim.cols >> 8),
			    (uint8_t)sim.rows, (uint8_t)(sim.rows >> 8) };

	(void)d;
	for (size_t i = 0; i < len; i++)
		((uint8_t *)buf)[i] = off + i < sizeof(cfg) ? cfg[off + i] : 0;
}

static int no_irq(struct virtio_dev *d, irq_handler_t fn, void *arg)
{
	(void)d;
	(void)fn;
	(void)arg;
	return -1;
}

static bool irq_ok(struct virtio_dev *d)
{
	(void)d;
	return false;
}

static const struct virtio_transport sim_transport = {
	.name = "sim",
	.get_features = get_features,
	.set_features = set_features,
	.get_status = get_status,
	.set_status = set_status,
	.queue_max = queue_max,
	.queue_enable = queue_enable,
	.notify = notify,
	.read_config = read_config,
	.setup_irq = no_irq,
	.irq_ok = irq_ok,
};

static struct virtio_dev dev;

/* A device offering @offered, with queues of up to @qmax entries. */
static void setup(uint64_t offered, uint16_t qmax)
{
	host_mem_init(2 << 20);
	memset(&sim, 0, sizeof(sim));
	memset(&dev, 0, sizeof(dev));
	sim.offered = offered;
	sim.qmax = qmax;
	sim.take_tx = true;
	sim.cols = 132;
	sim.rows = 43;
	dev.t = &sim_transport;
	dev.id = VIRTIO_ID_CONSOLE;
	dev.dma.ops = &dma_identity_ops;
	mica_snprintf(dev.name, sizeof(dev.name), "sim 0");
	registered = NULL;
	console_clear();
}

/* What virtio_probe() does once it has chosen the DMA backend. */
static void probe(void)
{
	virtio_console_probe(&dev);
}

static void con_puts(const char *s)
{
	REQUIRE(registered);
	registered->write(registered, s, strlen(s));
}

static unsigned int count(const char *hay, const char *needle)
{
	unsigned int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* --- tests --------------------------------------------------------------- */

TEST(vcons_probe_port0_only)
{
	setup(F_V1 | F_SIZE | F_MULTIPORT | F_EMERG_WRITE, 64);
	probe();
	REQUIRE(registered);
	CHECK_STR(registered->name, "virtio");
	/* MULTIPORT (and anything else unasked) is never taken. */
	CHECK_EQ(sim.accepted, F_V1 | F_SIZE);
	CHECK(sim.status & VIRTIO_STATUS_DRIVER_OK);
	CHECK(!(sim.status & VIRTIO_STATUS_FAILED));
	CHECK(sim.q[0].enabled && sim.q[1].enabled);
	CHECK_CONTAINS(console_text(),
		       "virtio-console: sim 0 port 0 as a console, 132x43\n");
	/* Receive buffers are posted and the device told; no interrupts. */
	CHECK_EQ(sim.q[0].avail[1], 4);
	CHECK(sim.notifies[0] >= 1);
	CHECK_EQ(sim.q[0].avail[0], VRING_AVAIL_F_NO_INTERRUPT);
	CHECK_EQ(sim.q[1].avail[0], VRING_AVAIL_F_NO_INTERRUPT);
}

TEST(vcons_no_size_feature)
{
	setup(F_V1, 64);
	probe();
	REQUIRE(registered);
	CHECK_EQ(sim.accepted, F_V1);
	CHECK_CONTAINS(console_text(), "port 0 as a console\n");
}

TEST(vcons_one_is_enough)
{
	static struct virtio_dev second;

	setup(F_V1, 64);
	probe();
	second = dev;
	mica_snprintf(second.name, sizeof(second.name), "sim 1");
	virtio_console_probe(&second);
	CHECK_CONTAINS(console_text(), "virtio-console: sim 1: one is enough");
}

TEST(vcons_output_whole_with_crlf)
{
	setup(F_V1, 64);
	probe();
	con_puts("hello from Mica\nsecond line\n");
	CHECK_STR(sim.out, "hello from Mica\r\nsecond line\r\n");
}

/* More output than the buffers hold at once, through queues smaller than
 * the pools: every byte arrives, in order. */
TEST(vcons_output_larger_than_buffers)
{
	static char big[9000], want[2 * sizeof(big)];
	size_t w = 0;

	setup(F_V1, 2);
	probe();
	for (size_t i = 0; i < sizeof(big) - 1; i++) {
		big[i] = (i % 61 == 60) ? '\n' : (char)('a' + i % 26);
		if (big[i] == '\n')
			want[w++] = '\r';
		want[w++] = big[i];
	}
	registered->write(registered, big, sizeof(big) - 1);
	CHECK_EQ(sim.out_len, w);
	CHECK(memcmp(sim.out, want, w) == 0);
	CHECK_EQ(sim.q[1].size, 2);
}

/* A device that takes nothing: one bounded wait, one warning, then no
 * more waiting; output flows again once it takes the buffers. */
TEST(vcons_stalled_device_bounded)
{
	static char chunk[600];
	uint64_t t0, t1;

	setup(F_V1, 64);
	probe();
	sim.take_tx = false;
	was_only = true;
	memset(chunk, 'x', sizeof(chunk));
	fake_clock_autostep(NSEC_PER_MSEC);
	t0 = monotonic_ns();
	/* Each chunk takes two buffers (512 + 88): four fill all eight, the
	 * fifth waits and gives up, the last two are dropped at once. */
	for (int i = 0; i < 7; i++)
		registered->write(registered, chunk, sizeof(chunk));
	t1 = monotonic_ns();
	/* Told again every 2 ms while it waited, in case a kick was lost. */
	CHECK(sim.notifies[1] >= 8 + 90);
	CHECK(t1 - t0 >= 200 * NSEC_PER_MSEC);
	CHECK(t1 - t0 < 400 * NSEC_PER_MSEC);
	CHECK_CONTAINS(console_text(), "the device took no output for 200 ms");
	CHECK_CONTAINS(console_text(), "every console gets output again");
	CHECK(!was_only);
	/* Stalled: later writes do not wait, and warn no more. */
	t0 = monotonic_ns();
	for (int i = 0; i < 20; i++)
		registered->write(registered, chunk, sizeof(chunk));
	CHECK(monotonic_ns() - t0 < 5 * NSEC_PER_MSEC);
	CHECK_EQ(count(console_text(), "took no output"), 1);
	/* Flush gives up at once on a stalled device. */
	t0 = monotonic_ns();
	registered->flush(registered);
	CHECK(monotonic_ns() - t0 < 5 * NSEC_PER_MSEC);
	/* The device wakes up: what was posted arrives, then new output. */
	dev_drain_tx();
	CHECK_EQ(sim.out_len, 4 * sizeof(chunk));
	sim.take_tx = true;
	con_puts("after\n");
	CHECK_STR(sim.out + 4 * sizeof(chunk), "after\r\n");
	CHECK(registered != NULL);
	CHECK(!(sim.status & VIRTIO_STATUS_FAILED));
}

/* Kicks lost with the ring full: the wait kicks again and the device
 * drains, with no stall and nothing lost. */
TEST(vcons_lost_kick_recovered)
{
	static char chunk[512];
	uint64_t t0;

	setup(F_V1, 64);
	probe();
	memset(chunk, 'k', sizeof(chunk));
	sim.lose_tx_kicks = 8;
	fake_clock_autostep(NSEC_PER_USEC * 100);
	t0 = monotonic_ns();
	for (int i = 0; i < 9; i++)
		registered->write(registered, chunk, sizeof(chunk));
	CHECK(monotonic_ns() - t0 >= 2 * NSEC_PER_MSEC);
	CHECK(monotonic_ns() - t0 < 10 * NSEC_PER_MSEC);
	CHECK_EQ(sim.out_len, 9 * sizeof(chunk));
	CHECK(strstr(console_text(), "took no output") == NULL);
}

/* Flush waits (boundedly) for a device that is merely slow. */
TEST(vcons_flush_bounded)
{
	uint64_t t0;

	setup(F_V1, 64);
	probe();
	sim.take_tx = false;
	fake_clock_autostep(NSEC_PER_MSEC);
	con_puts("pending\n");
	t0 = monotonic_ns();
	registered->flush(registered);
	CHECK(monotonic_ns() - t0 >= 200 * NSEC_PER_MSEC);
	CHECK(monotonic_ns() - t0 < 300 * NSEC_PER_MSEC);
	dev_drain_tx();
	registered->flush(registered); /* everything back: returns at once */
	CHECK_STR(sim.out, "pending\r\n");
}

TEST(vcons_nested_write_dropped)
{
	setup(F_V1, 64);
	probe();
	sim.nest = true;
	con_puts("outer\n");
	CHECK_STR(sim.out, "outer\r\n");
	con_puts("next\n");
	CHECK_STR(sim.out, "outer\r\nnext\r\n");
}

/* Input: read in arrival order, bytes as sent; a buffer goes
 * back to the device only once read to its end; nothing is lost when
 * nobody reads for a while. */
TEST(vcons_input_read_in_order_and_reposted)
{
	char buf[64];
	size_t n;

	setup(F_V1, 64);
	probe();
	REQUIRE(registered && registered->read);
	CHECK_EQ(registered->read(registered, buf, sizeof(buf)), 0);
	dev_input("first\r");
	dev_input("second");
	dev_input("3");
	dev_input("4");
	CHECK_EQ(dev_take(&sim.q[0]), -1); /* all four are used */
	con_puts("x\n");		/* a write takes none of them back */
	CHECK_EQ(sim.q[0].avail[1], 4);
	n = registered->read(registered, buf, 3);
	CHECK_EQ(n, 3);
	CHECK(memcmp(buf, "fir", 3) == 0);
	CHECK_EQ(sim.q[0].avail[1], 4); /* "first" not read to its end */
	n = registered->read(registered, buf, sizeof(buf));
	CHECK_EQ(n, 3 + 6 + 1 + 1);
	CHECK(memcmp(buf, "st\rsecond34", n) == 0); /* "\r" as sent */
	CHECK_EQ(sim.q[0].avail[1], 8); /* all four posted again */
	dev_input("more");
	n = registered->read(registered, buf, sizeof(buf));
	CHECK_EQ(n, 4);
	CHECK(!(sim.status & VIRTIO_STATUS_FAILED));
	CHECK(strstr(console_text(), "dropped") == NULL);
}

/* Hostile devices: each lie breaks the queue, removes the console, stops
 * the device, and nothing is written to it after. */
static void check_removed(const char *which)
{
	size_t before;

	CHECK(registered == NULL);
	CHECK_CONTAINS(console_text(), which);
	CHECK_CONTAINS(console_text(), "console removed");
	CHECK(sim.status & VIRTIO_STATUS_FAILED);
	before = sim.out_len;
	sim.take_tx = true;
	dev_drain_tx();
	CHECK_EQ(sim.out_len, before);
}

TEST(vcons_hostile_rx_unposted_id)
{
	struct console *con;

	setup(F_V1, 64);
	probe();
	con = registered;
	dev_push(&sim.q[0], 9, 1); /* chain 9 was never posted */
	con_puts("x");
	check_removed("receive queue broken");
	con->write(con, "after", 5); /* a stale pointer still does no harm */
	CHECK(strstr(sim.out, "after") == NULL);
}

TEST(vcons_hostile_rx_too_long)
{
	int head;

	setup(F_V1, 64);
	probe();
	head = dev_take(&sim.q[0]);
	REQUIRE(head >= 0);
	dev_push(&sim.q[0], (uint32_t)head, 1025); /* the buffer is 1024 */
	con_puts("x");
	check_removed("claims to have written more than posted");
}

TEST(vcons_hostile_tx_written)
{
	int head;

	setup(F_V1, 64);
	probe();
	sim.take_tx = false;
	con_puts("x");
	head = dev_take(&sim.q[1]);
	REQUIRE(head >= 0);
	dev_push(&sim.q[1], (uint32_t)head, 1); /* it only had to read */
	con_puts("y");
	check_removed("transmit queue broken");
}

TEST(vcons_hostile_used_index_runs_ahead)
{
	setup(F_V1, 64);
	probe();
	sim.q[0].used_idx = 1000;
	dev_push(&sim.q[0], 0, 1);
	con_puts("x");
	check_removed("used index ran ahead");
}

/* Grant DMA: rings and buffers reach the device only as grants, output
 * buffers read-only, input buffers writable. */
TEST(vcons_grant_dma)
{
	setup(F_V1 | F_PLATFORM, 64);
	sim.grants = true;
	dev.dma.ops = &dma_grant_ops;
	dev.dma.backend_domid = GRANT_DOMID;
	dev.dma.why = "test";
	probe();
	REQUIRE(registered);
	CHECK_EQ(sim.accepted, F_V1 | F_PLATFORM);
	con_puts("through grants\n");
	CHECK_STR(sim.out, "through grants\r\n");
	dev_input("in");
	{
		char buf[8];

		CHECK_EQ(registered->read(registered, buf, sizeof(buf)), 2);
		CHECK(memcmp(buf, "in", 2) == 0);
	}
	CHECK(!(sim.status & VIRTIO_STATUS_FAILED));
}

TEST(vcons_grant_needs_access_platform)
{
	setup(F_V1, 64);
	sim.grants = true;
	dev.dma.ops = &dma_grant_ops;
	dev.dma.why = "test";
	probe();
	CHECK(registered == NULL);
	CHECK(sim.status & VIRTIO_STATUS_FAILED);
	CHECK_CONTAINS(console_text(), "VIRTIO_F_ACCESS_PLATFORM");
}
