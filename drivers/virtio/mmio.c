/*
 * virtio over MMIO, version 2 only (virtio 1.x, section 4.2): arm64
 * `virt` and x86 `microvm` slots, found in the device tree or on the
 * command line (virtio_mmio.device=SIZE@BASE:IRQ, as QEMU's microvm
 * writes it). Empty slots read device ID 0. Interrupts are not wired up
 * yet: the drivers poll.
 */
#include <string.h>
#include <mica/arch.h>
#include <mica/cmdline.h>
#include <mica/heap.h>
#include <mica/printk.h>
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
#define STATUS 0x070
#define QUEUE_DESC 0x080
#define QUEUE_DRIVER 0x090
#define QUEUE_DEVICE 0x0a0
#define CONFIG 0x100

struct vmmio {
	volatile uint8_t *base;
	size_t size;
};

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

static int setup_irq(struct virtio_dev *d, irq_handler_t fn, void *arg)
{
	(void)d;
	(void)fn;
	(void)arg;
	return -1; /* polled for now */
}

static bool irq_ok(struct virtio_dev *d)
{
	(void)d;
	return false;
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
};

/*
 * Probe the slot at @base. @grant_domid >= 0: the device tree binds it
 * to a xen,grant-dma node (its DMA uses grants to that domain).
 */
void virtio_mmio_probe(paddr_t base, size_t size, int grant_domid)
{
	struct virtio_dev *d;
	struct vmmio *m;
	volatile uint8_t *regs;
	uint32_t version, id;

	if (size < CONFIG)
		return;
	regs = arch_map_mmio(base, size);
	if (*(volatile uint32_t *)(regs + MAGIC) != 0x74726976)
		return; /* "virt" */
	id = *(volatile uint32_t *)(regs + DEVICE_ID);
	if (id == 0)
		return; /* an empty slot */
	version = *(volatile uint32_t *)(regs + VERSION);
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
	m->base = regs;
	m->size = size;
	d->t = &mmio_transport;
	d->tp = m;
	d->id = (uint16_t)id;
	if (grant_domid >= 0) {
		d->dma.ops = &dma_grant_ops;
		d->dma.backend_domid = (uint16_t)grant_domid;
		d->dma.why = "xen,grant-dma in the device tree";
	}
	mica_snprintf(d->name, sizeof(d->name), "mmio %#llx",
		      (unsigned long long)base);
	virtio_probe(d);
}

/* Slots named on the command line: virtio_mmio.device=SIZE@BASE:IRQ. */
#define CMDLINE_SLOTS 8
static struct {
	uint64_t base, size;
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
		*colon = '\0'; /* the IRQ: unused while we poll */
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

void virtio_mmio_probe_cmdline(void)
{
	for (unsigned int i = 0; i < nslots; i++)
		virtio_mmio_probe(slots[i].base, (size_t)slots[i].size, -1);
}
