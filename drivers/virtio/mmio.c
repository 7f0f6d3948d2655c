/*
 * virtio over MMIO, version 2 only (virtio 1.x, section 4.2): arm64
 * `virt` and x86 `microvm` slots, found in the device tree or on the
 * command line (virtio_mmio.device=SIZE@BASE:IRQ, as QEMU's microvm
 * writes it). Empty slots read device ID 0. The wired interrupt is used
 * where the arch can route it (arm: a GIC SPI; x86: an I/O APIC pin);
 * elsewhere drivers poll.
 */
#include <string.h>
#include <mica/arch.h>
#include <mica/cmdline.h>
#include <mica/heap.h>
#include <mica/irq.h>
#include <mica/printk.h>
#include <mica/sched.h>
#include <mica/time.h>
#include <mica/virtio.h>

#define MAGIC 0x000
#define VERSION 0x004
#define DEVICE_ID 0x008
#define DEV_FEATURES 0x010
#define DEV_FEATURES_SEL 0x014
#define DRV_FEATURES 0x020
#define DRV_FEATURES_SEL 0x024
#define QUEUE_SEL 0x030
#define QUEUE_NUM_MAX 0x034
#define QUEUE_NUM 0x038
#define QUEUE_READY 0x044
#define QUEUE_NOTIFY 0x050
#define INTERRUPT_STATUS 0x060
#define INTERRUPT_ACK 0x064
#define STATUS 0x070
#define QUEUE_DESC 0x080
#define QUEUE_DRIVER 0x090
#define QUEUE_DEVICE 0x0a0
#define CONFIG 0x100

#define MAGIC_VIRT 0x74726976 /* "virt" */

struct vmmio {
	volatile uint8_t *base;
	size_t size;
	unsigned int irq;	/* 0: none */
	bool irq_on;
	irq_handler_t fn;
	void *arg;
};

/* Seconds to wait for an expected device whose slot reads empty. */
static unsigned int wait_s = 5;

static volatile uint32_t *reg(struct virtio_dev *d, size_t off)
{
	return (volatile uint32_t *)(((struct vmmio *)d->tp)->base + off);
}

static uint64_t get_features(struct virtio_dev *d)
{
	uint64_t f;

	*reg(d, DEV_FEATURES_SEL) = 0;
	f = *reg(d, DEV_FEATURES);
	*reg(d, DEV_FEATURES_SEL) = 1;
	return f | (uint64_t)*reg(d, DEV_FEATURES) << 32;
}

static void set_features(struct virtio_dev *d, uint64_t f)
{
	*reg(d, DRV_FEATURES_SEL) = 0;
	*reg(d, DRV_FEATURES) = (uint32_t)f;
	*reg(d, DRV_FEATURES_SEL) = 1;
	*reg(d, DRV_FEATURES) = (uint32_t)(f >> 32);
}

static uint8_t get_status(struct virtio_dev *d)
{
	return (uint8_t)*reg(d, STATUS);
}

static void set_status(struct virtio_dev *d, uint8_t s)
{
	*reg(d, STATUS) = s;
}

static uint16_t queue_max(struct virtio_dev *d, uint16_t index)
{
	uint32_t max;

	*reg(d, QUEUE_SEL) = index;
	max = *reg(d, QUEUE_NUM_MAX);
	return max > 32768 ? 32768 : (uint16_t)max;
}

static void set64(struct virtio_dev *d, size_t off, uint64_t v)
{
	*reg(d, off) = (uint32_t)v;
	*reg(d, off + 4) = (uint32_t)(v >> 32);
}

static int queue_enable(struct virtio_dev *d, struct virtq *q, dma_addr_t desc,
			dma_addr_t avail, dma_addr_t used)
{
	*reg(d, QUEUE_SEL) = q->index;
	*reg(d, QUEUE_NUM) = q->size;
	set64(d, QUEUE_DESC, desc);
	set64(d, QUEUE_DRIVER, avail);
	set64(d, QUEUE_DEVICE, used);
	*reg(d, QUEUE_READY) = 1;
	return 0;
}

static void notify(struct virtq *q)
{
	*reg(q->priv, QUEUE_NOTIFY) = q->index;
}

static void read_config(struct virtio_dev *d, size_t off, void *buf,
			size_t len)
{
	struct vmmio *m = d->tp;

	for (size_t i = 0; i < len; i++)
		((uint8_t *)buf)[i] = CONFIG + off + i < m->size
					      ? m->base[CONFIG + off + i]
					      : 0;
}

/* Acknowledge what the device reports (the line drops), then tell the
 * driver: used buffers (bit 0) or a configuration change (bit 1). */
static void mmio_irq(void *arg)
{
	struct vmmio *m = arg;
	uint32_t st = *(volatile uint32_t *)(m->base + INTERRUPT_STATUS);

	if (!st)
		return;
	*(volatile uint32_t *)(m->base + INTERRUPT_ACK) = st;
	m->fn(m->arg);
}

static int setup_irq(struct virtio_dev *d, irq_handler_t fn, void *arg)
{
	struct vmmio *m = d->tp;

	if (!m->irq || m->irq_on)
		return -1;
	m->fn = fn;
	m->arg = arg;
	if (arch_irq_attach_line(m->irq, mmio_irq, m) < 0)
		return -1;
	m->irq_on = true;
	return 0;
}

static bool irq_ok(struct virtio_dev *d)
{
	return ((struct vmmio *)d->tp)->irq_on;
}

static const char *irq_name(struct virtio_dev *d)
{
	(void)d;
	return "interrupt line";
}

static const struct virtio_transport mmio_transport = {
	.name = "virtio-mmio",
	.get_features = get_features,
	.set_features = set_features,
	.get_status = get_status,
	.set_status = set_status,
	.queue_max = queue_max,
	.queue_enable = queue_enable,
	.notify = notify,
	.read_config = read_config,
	.setup_irq = setup_irq,
	.irq_ok = irq_ok,
	.irq_name = irq_name,
};

static uint32_t rd(volatile uint8_t *regs, size_t off)
{
	return *(volatile uint32_t *)(regs + off);
}

static bool slot_filled(volatile uint8_t *regs)
{
	return rd(regs, MAGIC) == MAGIC_VIRT && rd(regs, DEVICE_ID) != 0;
}

/*
 * A slot the configuration promises a device in, but that reads empty:
 * in static setups (a VMM started with its backends) the backend may
 * simply not be up yet. Wait for it, visibly and bounded
 * (virtio_mmio.wait=SECONDS), rather than probe it into failure. Under
 * Xen the region must already be served by the backend's ioreq server:
 * a read nobody serves makes Xen inject a data abort, not read empty.
 */
static bool wait_for_device(paddr_t base, volatile uint8_t *regs)
{
	uint64_t t0 = monotonic_ns(), limit = wait_s * NSEC_PER_SEC;

	printk("virtio: mmio %#llx: no device yet (backend not ready?); "
	       "waiting up to %u s\n", (unsigned long long)base, wait_s);
	while (!slot_filled(regs)) {
		if (monotonic_ns() - t0 >= limit) {
			printk("virtio: mmio %#llx: still no device after %u s;"
			       " going on without it (virtio_mmio.wait= sets "
			       "the wait)\n", (unsigned long long)base, wait_s);
			return false;
		}
		thread_sleep_ns(10 * NSEC_PER_MSEC);
	}
	printk("virtio: mmio %#llx: device %u appeared after %llu ms\n",
	       (unsigned long long)base, rd(regs, DEVICE_ID),
	       (unsigned long long)((monotonic_ns() - t0) / NSEC_PER_MSEC));
	return true;
}

void virtio_mmio_probe(const struct virtio_mmio_slot *slot)
{
	paddr_t base = slot->base;
	struct virtio_dev *d;
	struct vmmio *m;
	volatile uint8_t *regs;
	uint32_t version, id;

	if (slot->size < CONFIG)
		return;
	regs = arch_map_mmio(base, slot->size);
	if (!slot_filled(regs) &&
	    (!slot->expected || !wait_for_device(base, regs)))
		return; /* an empty slot */
	id = rd(regs, DEVICE_ID);
	version = rd(regs, VERSION);
	if (version != 2) {
		printk("virtio: mmio %#llx: version %u (legacy) is not "
		       "supported; use virtio 1.x (QEMU: "
		       "-global virtio-mmio.force-legacy=false)\n",
		       (unsigned long long)base, version);
		return;
	}
	d = heap_alloc(sizeof(*d));
	m = heap_alloc(sizeof(*m));
	if (!d || !m)
		return;
	memset(d, 0, sizeof(*d));
	memset(m, 0, sizeof(*m));
	m->base = regs;
	m->size = slot->size;
	m->irq = slot->irq;
	d->t = &mmio_transport;
	d->tp = m;
	d->id = (uint16_t)id;
	if (slot->grant_domid >= 0) {
		d->dma.ops = &dma_grant_ops;
		d->dma.backend_domid = (uint16_t)slot->grant_domid;
		d->dma.why = "xen,grant-dma in the device tree";
	}
	mica_snprintf(d->name, sizeof(d->name), "mmio %#llx",
		      (unsigned long long)base);
	virtio_probe(d);
}

int virtio_mmio_set_wait(const char *v, char *err, size_t len)
{
	uint64_t n;

	if (parse_u64(v, &n) < 0 || n > 600) {
		mica_snprintf(err, len, "'%s' is not a number of seconds "
			      "(0 to 600)", v ? v : "");
		return -1;
	}
	wait_s = (unsigned int)n;
	return 0;
}

/* Slots named on the command line: virtio_mmio.device=SIZE@BASE:IRQ. */
#define CMDLINE_SLOTS 8
static struct {
	uint64_t base, size, irq;
} slots[CMDLINE_SLOTS];
static unsigned int nslots;

/* SIZE may end in K or M; all numbers decimal or 0x. */
int virtio_mmio_cmdline_add(const char *spec, char *err, size_t errlen)
{
	char buf[64], *at, *colon, *end;
	uint64_t size, base, mul = 1;

	if (!spec || strlen(spec) >= sizeof(buf) || nslots >= CMDLINE_SLOTS)
		goto bad;
	strcpy(buf, spec);
	at = strchr(buf, '@');
	if (!at)
		goto bad;
	*at = '\0';
	colon = strchr(at + 1, ':');
	if (colon)
		*colon = '\0';
	slots[nslots].irq = 0;
	if (colon && (parse_u64(colon + 1, &slots[nslots].irq) < 0 ||
		      slots[nslots].irq > 1019))
		goto bad;
	end = buf + strlen(buf);
	if (end > buf && (end[-1] == 'K' || end[-1] == 'k'))
		mul = 1024, end[-1] = '\0';
	else if (end > buf && (end[-1] == 'M' || end[-1] == 'm'))
		mul = 1024 * 1024, end[-1] = '\0';
	if (parse_u64(buf, &size) < 0 || parse_u64(at + 1, &base) < 0 ||
	    size == 0 || size > (1ULL << 20) / mul || base + size * mul < base)
		goto bad;
	slots[nslots].base = base;
	slots[nslots].size = size * mul;
	nslots++;
	return 0;
bad:
	mica_snprintf(err, errlen, "'%s' is not SIZE@BASE[:IRQ] (at most %d)",
		      spec ? spec : "", CMDLINE_SLOTS);
	return -1;
}

/* x86 microvm: the IRQ is an I/O APIC pin (arch/x86/ioapic.c). */
void virtio_mmio_probe_cmdline(void)
{
	for (unsigned int i = 0; i < nslots; i++)
		virtio_mmio_probe(&(struct virtio_mmio_slot){
			.base = slots[i].base,
			.size = (size_t)slots[i].size,
			.irq = (unsigned int)slots[i].irq,
			.grant_domid = -1,
			.expected = true,
		});
}
