/*
 * virtio-mmio slot handling against a fake register block: the command
 * line parser, empty slots skipped, a promised slot waited for (a backend
 * that turns up late is probed; one that never does is given up after
 * the configured time, with messages), and the wired interrupt handed to
 * the arch.
 */
#include <string.h>
#include <mica/irq.h>
#include <mica/virtio.h>
#include "host.h"
#include "unit.h"

int virtio_mmio_cmdline_add(const char *spec, char *err, size_t errlen);
int virtio_mmio_set_wait(const char *v, char *err, size_t len);
void virtio_mmio_probe_cmdline(void);

static uint32_t regs[0x200 / 4] __attribute__((aligned(4096)));
static unsigned int sleeps, fill_after, probed, probed_id, attached_line;
static int attach_result, driver_irqs;
static struct virtio_dev *last_dev;
static irq_handler_t line_fn;
static void *line_arg;

static void slot_set(uint32_t magic, uint32_t version, uint32_t id)
{
	memset(regs, 0, sizeof(regs));
	regs[0] = magic;
	regs[1] = version;
	regs[2] = id;
}

void *arch_map_mmio(paddr_t pa, size_t size)
{
	(void)pa;
	(void)size;
	return regs;
}

/* The backend: its device appears after @fill_after sleeps (0: never). */
void thread_sleep_ns(uint64_t ns)
{
	fake_clock_advance(ns);
	if (++sleeps == fill_after)
		slot_set(0x74726976, 2, 4);
}

void virtio_probe(struct virtio_dev *d)
{
	probed++;
	probed_id = d->id;
	last_dev = d;
}

int arch_irq_attach_line(unsigned int line, irq_handler_t fn, void *arg)
{
	line_fn = fn;
	line_arg = arg;
	attached_line = line;
	return attach_result;
}

static void reset(void)
{
	host_mem_init(1 << 20);
	fake_clock_set(0);
	console_clear();
	sleeps = fill_after = probed = probed_id = attached_line = 0;
	attach_result = driver_irqs = 0;
	last_dev = NULL;
}

static const struct virtio_mmio_slot promised = {
	.base = 0xa000000, .size = 0x200, .irq = 48, .grant_domid = -1,
	.expected = true,
};

TEST(virtio_mmio_present_device_probed_at_once)
{
	reset();
	slot_set(0x74726976, 2, 1);
	virtio_mmio_probe(&promised);
	CHECK_EQ(probed, 1);
	CHECK_EQ(probed_id, 1);
	CHECK_EQ(sleeps, 0);
}

TEST(virtio_mmio_empty_unpromised_slot_skipped_silently)
{
	struct virtio_mmio_slot s = promised;

	reset();
	slot_set(0x74726976, 2, 0);
	s.expected = false;
	virtio_mmio_probe(&s);
	CHECK_EQ(probed, 0);
	CHECK_EQ(sleeps, 0);
	CHECK_STR(console_text(), "");
}

TEST(virtio_mmio_late_backend_waited_for)
{
	reset();
	slot_set(0x74726976, 2, 0);
	fill_after = 30; /* 300 ms at 10 ms a sleep */
	virtio_mmio_probe(&promised);
	CHECK_EQ(probed, 1);
	CHECK_EQ(probed_id, 4);
	CHECK_CONTAINS(console_text(), "no device yet (backend not ready?); "
				       "waiting up to 5 s");
	CHECK_CONTAINS(console_text(), "device 4 appeared after 300 ms");
}

TEST(virtio_mmio_missing_backend_given_up)
{
	char err[80];

	reset();
	slot_set(0, 0, 0); /* not even the magic value */
	REQUIRE(virtio_mmio_set_wait("2", err, sizeof(err)) == 0);
	virtio_mmio_probe(&promised);
	CHECK_EQ(probed, 0);
	CHECK(sleeps >= 199 && sleeps <= 201);
	CHECK_CONTAINS(console_text(), "waiting up to 2 s");
	CHECK_CONTAINS(console_text(), "still no device after 2 s");
	CHECK(virtio_mmio_set_wait("601", err, sizeof(err)) < 0);
	CHECK(virtio_mmio_set_wait("x", err, sizeof(err)) < 0);
	REQUIRE(virtio_mmio_set_wait("0", err, sizeof(err)) == 0);
	console_clear();
	virtio_mmio_probe(&promised);
	CHECK_CONTAINS(console_text(), "still no device after 0 s");
}

TEST(virtio_mmio_legacy_refused)
{
	reset();
	slot_set(0x74726976, 1, 1);
	virtio_mmio_probe(&promised);
	CHECK_EQ(probed, 0);
	CHECK_CONTAINS(console_text(), "version 1 (legacy) is not supported");
}

TEST(virtio_mmio_cmdline_slots)
{
	char err[80];

	reset();
	CHECK(virtio_mmio_cmdline_add("512@0xfeb00e00:12", err,
				      sizeof(err)) == 0);
	CHECK(virtio_mmio_cmdline_add("4K@0x10000000", err, sizeof(err)) == 0);
	CHECK(virtio_mmio_cmdline_add("512", err, sizeof(err)) < 0);
	CHECK_CONTAINS(err, "is not SIZE@BASE[:IRQ]");
	CHECK(virtio_mmio_cmdline_add("512@0x1000:x", err, sizeof(err)) < 0);
	CHECK(virtio_mmio_cmdline_add("512@0x1000:5000", err,
				      sizeof(err)) < 0);
	CHECK(virtio_mmio_cmdline_add("0@0x1000", err, sizeof(err)) < 0);
	CHECK(virtio_mmio_cmdline_add("2M@0x1000", err, sizeof(err)) < 0);
	CHECK(virtio_mmio_cmdline_add("512@0xffffffffffffffff", err,
				      sizeof(err)) < 0);
	CHECK(virtio_mmio_cmdline_add(NULL, err, sizeof(err)) < 0);
	/* Both parsed slots are promised devices: both present here. */
	slot_set(0x74726976, 2, 2);
	virtio_mmio_probe_cmdline();
	CHECK_EQ(probed, 2);
	CHECK_EQ(sleeps, 0);
}

static void driver_irq(void *arg)
{
	CHECK(arg == &driver_irqs);
	driver_irqs++;
}

/* The line goes to the arch once; the handler acknowledges exactly what
 * the device reported before the driver hears of it. */
TEST(virtio_mmio_irq_routed_and_acknowledged)
{
	const struct virtio_transport *t;

	reset();
	slot_set(0x74726976, 2, 1);
	virtio_mmio_probe(&promised);
	REQUIRE(last_dev != NULL);
	t = last_dev->t;
	CHECK(!t->irq_ok(last_dev));
	CHECK_EQ(t->setup_irq(last_dev, driver_irq, &driver_irqs), 0);
	CHECK_EQ(attached_line, 48);
	CHECK(t->irq_ok(last_dev));
	CHECK(t->setup_irq(last_dev, driver_irq, &driver_irqs) < 0);
	REQUIRE(line_fn != NULL);
	line_fn(line_arg); /* nothing pending: a shared or spurious line */
	CHECK_EQ(driver_irqs, 0);
	regs[0x60 / 4] = 3; /* used buffer + configuration change */
	line_fn(line_arg);
	CHECK_EQ(driver_irqs, 1);
	CHECK_EQ(regs[0x64 / 4], 3);
}

TEST(virtio_mmio_no_line_means_polled)
{
	struct virtio_mmio_slot s = promised;

	reset();
	slot_set(0x74726976, 2, 1);
	s.irq = 0;
	virtio_mmio_probe(&s);
	REQUIRE(last_dev != NULL);
	CHECK(last_dev->t->setup_irq(last_dev, driver_irq, &driver_irqs) < 0);
	CHECK(!last_dev->t->irq_ok(last_dev));
}

TEST(virtio_mmio_unroutable_line_means_polled)
{
	reset();
	slot_set(0x74726976, 2, 1);
	attach_result = -1; /* the arch cannot route it (x86) */
	virtio_mmio_probe(&promised);
	REQUIRE(last_dev != NULL);
	CHECK(last_dev->t->setup_irq(last_dev, driver_irq, &driver_irqs) < 0);
	CHECK(!last_dev->t->irq_ok(last_dev));
}
