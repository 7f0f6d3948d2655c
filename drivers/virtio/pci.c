/*
 * virtio over PCI, modern interface only (virtio 1.x, section 4.1): the
 * device's vendor capabilities point into its BARs at the common config,
 * the notification area, the ISR and the device config. Interrupts come
 * as MSI-X (one vector for every queue) when the arch can take them.
 */
#include <string.h>
#include <mica/arch.h>
#include <mica/heap.h>
#include <mica/pci.h>
#include <mica/printk.h>
#include <mica/virtio.h>

#define VIRTIO_PCI_VENDOR 0x1af4
#define CAP_VENDOR 0x09
#define CAP_MSIX 0x11
#define CFG_COMMON 1
#define CFG_NOTIFY 2
#define CFG_ISR 3
#define CFG_DEVICE 4

/* struct virtio_pci_common_cfg, by offset */
#define C_DFSELECT 0x00
#define C_DF 0x04
#define C_GFSELECT 0x08
#define C_GF 0x0c
#define C_MSIX 0x10
#define C_STATUS 0x14
#define C_QSELECT 0x16
#define C_QSIZE 0x18
#define C_QMSIX 0x1a
#define C_QENABLE 0x1c
#define C_QNOTIFY_OFF 0x1e
#define C_QDESC 0x20
#define C_QDRIVER 0x28
#define C_QDEVICE 0x30
#define NO_VECTOR 0xffff

struct vpci {
	struct pci_dev pci;
	volatile uint8_t *common, *notify, *isr, *device;
	uint32_t notify_mul, notify_len, device_len;
	bool msix, intx;
	irq_handler_t fn;	/* the driver's, for INTx */
	void *arg;
};

#define W8(p, o, v) (*(volatile uint8_t *)((p) + (o)) = (v))
#define W16(p, o, v) (*(volatile uint16_t *)((p) + (o)) = (v))
#define W32(p, o, v) (*(volatile uint32_t *)((p) + (o)) = (v))
#define R8(p, o) (*(volatile uint8_t *)((p) + (o)))
#define R16(p, o) (*(volatile uint16_t *)((p) + (o)))
#define R32(p, o) (*(volatile uint32_t *)((p) + (o)))

static struct vpci *vp(struct virtio_dev *d)
{
	return d->tp;
}

static uint64_t get_features(struct virtio_dev *d)
{
	volatile uint8_t *c = vp(d)->common;
	uint64_t f;

	W32(c, C_DFSELECT, 0);
	f = R32(c, C_DF);
	W32(c, C_DFSELECT, 1);
	return f | (uint64_t)R32(c, C_DF) << 32;
}

static void set_features(struct virtio_dev *d, uint64_t f)
{
	volatile uint8_t *c = vp(d)->common;

	W32(c, C_GFSELECT, 0);
	W32(c, C_GF, (uint32_t)f);
	W32(c, C_GFSELECT, 1);
	W32(c, C_GF, (uint32_t)(f >> 32));
}

static uint8_t get_status(struct virtio_dev *d)
{
	return R8(vp(d)->common, C_STATUS);
}

static void set_status(struct virtio_dev *d, uint8_t s)
{
	W8(vp(d)->common, C_STATUS, s);
}

static uint16_t queue_max(struct virtio_dev *d, uint16_t index)
{
	W16(vp(d)->common, C_QSELECT, index);
	return R16(vp(d)->common, C_QSIZE);
}

static int queue_enable(struct virtio_dev *d, struct virtq *q, dma_addr_t desc,
			dma_addr_t avail, dma_addr_t used)
{
	volatile uint8_t *c = vp(d)->common;

	W16(c, C_QSELECT, q->index);
	W16(c, C_QSIZE, q->size);
	*(volatile uint64_t *)(c + C_QDESC) = desc;
	*(volatile uint64_t *)(c + C_QDRIVER) = avail;
	*(volatile uint64_t *)(c + C_QDEVICE) = used;
	if (vp(d)->msix) {
		W16(c, C_QMSIX, 0);
		if (R16(c, C_QMSIX) == NO_VECTOR)
			vp(d)->msix = false; /* the device said no: poll */
	}
	W16(c, C_QENABLE, 1);
	return 0;
}

static void notify(struct virtq *q)
{
	struct vpci *v = vp(q->priv);
	uint32_t off;

	W16(v->common, C_QSELECT, q->index);
	off = (uint32_t)R16(v->common, C_QNOTIFY_OFF) * v->notify_mul;
	if (off + 2 <= v->notify_len)
		W16(v->notify, off, q->index);
}

static void read_config(struct virtio_dev *d, size_t off, void *buf,
			size_t len)
{
	struct vpci *v = vp(d);

	for (size_t i = 0; i < len; i++)
		((uint8_t *)buf)[i] = off + i < v->device_len
					      ? R8(v->device, off + i)
					      : 0;
}

/* Reading the ISR reports and clears the interrupt (bit 0: a queue,
 * bit 1: the configuration); the line drops once it is read. */
static void intx_irq(void *arg)
{
	struct vpci *v = arg;

	if (R8(v->isr, 0) & 3)
		v->fn(v->arg);
}

/*
 * INTx, for a device without MSI-X (or when no vector is left): the pin
 * and the line firmware assigned (SeaBIOS does, on QEMU's PVH boot too),
 * through the I/O APIC. No line assigned (0 or 0xff): polled.
 */
static int setup_intx(struct vpci *v, irq_handler_t fn, void *arg)
{
	uint8_t pin = pci_read8(&v->pci, 0x3d), line = pci_read8(&v->pci, 0x3c);

	if (!v->isr || pin == 0 || line == 0 || line == 0xff)
		return -1;
	v->fn = fn;
	v->arg = arg;
	if (arch_irq_attach_line(line, intx_irq, v) < 0)
		return -1;
	/* Command register bit 10: INTx disable; make sure it is clear. */
	pci_write16(&v->pci, 0x04,
		    (uint16_t)(pci_read16(&v->pci, 0x04) & ~0x400));
	v->intx = true;
	return 0;
}

/* MSI-X table entry 0: our message, unmasked; then MSI-X on. Without
 * MSI-X, INTx. */
static int setup_irq(struct virtio_dev *d, irq_handler_t fn, void *arg)
{
	struct vpci *v = vp(d);
	uint8_t cap = pci_find_cap(&v->pci, CAP_MSIX, 0);
	uint32_t table;
	uint64_t addr, base;
	uint32_t data;
	volatile uint8_t *t;

	if (!cap || arch_irq_alloc_msi(fn, arg, &addr, &data) < 0)
		return setup_intx(v, fn, arg);
	table = pci_read32(&v->pci, (uint16_t)(cap + 4));
	base = pci_bar_address(&v->pci, table & 7);
	if (!base)
		return -1;
	t = arch_map_mmio(base + (table & ~7u), 16);
	W32(t, 0, (uint32_t)addr);
	W32(t, 4, (uint32_t)(addr >> 32));
	W32(t, 8, data);
	W32(t, 12, 0); /* unmasked */
	pci_write16(&v->pci, (uint16_t)(cap + 2),
		    (uint16_t)((pci_read16(&v->pci, (uint16_t)(cap + 2)) |
				0x8000) & ~0x4000));
	W16(v->common, C_MSIX, 0);
	v->msix = R16(v->common, C_MSIX) != NO_VECTOR;
	return v->msix ? 0 : -1;
}

static bool irq_ok(struct virtio_dev *d)
{
	return vp(d)->msix || vp(d)->intx;
}

static const char *irq_name(struct virtio_dev *d)
{
	return vp(d)->msix ? "MSI-X" : "INTx";
}

static const struct virtio_transport pci_transport = {
	.name = "virtio-pci",
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

static void probe(struct pci_dev *p, void *arg)
{
	struct virtio_dev *d;
	struct vpci *v;
	uint8_t cap = 0;

	(void)arg;
	if (p->vendor != VIRTIO_PCI_VENDOR || p->device < 0x1000 ||
	    p->device > 0x107f)
		return;
	d = heap_alloc(sizeof(*d));
	v = heap_alloc(sizeof(*v));
	if (!d || !v)
		return;
	memset(d, 0, sizeof(*d));
	memset(v, 0, sizeof(*v));
	v->pci = *p;
	while ((cap = pci_find_cap(p, CAP_VENDOR, cap))) {
		uint8_t type = pci_read8(p, (uint16_t)(cap + 3));
		uint8_t bar = pci_read8(p, (uint16_t)(cap + 4));
		uint32_t off = pci_read32(p, (uint16_t)(cap + 8));
		uint32_t len = pci_read32(p, (uint16_t)(cap + 12));
		uint64_t base = pci_bar_address(p, bar);
		volatile uint8_t *va;

		if (!base || !len || len > (1u << 24))
			continue;
		va = arch_map_mmio(base + off, len);
		if (type == CFG_COMMON && !v->common && len >= 0x38)
			v->common = va;
		else if (type == CFG_NOTIFY && !v->notify) {
			v->notify = va;
			v->notify_len = len;
			v->notify_mul = pci_read32(p, (uint16_t)(cap + 16));
		} else if (type == CFG_ISR && !v->isr)
			v->isr = va;
		else if (type == CFG_DEVICE && !v->device) {
			v->device = va;
			v->device_len = len;
		}
	}
	d->id = p->device >= 0x1040 ? (uint16_t)(p->device - 0x1040)
				    : p->subsys_device;
	mica_snprintf(d->name, sizeof(d->name), "pci %02x:%02x.%x", p->bus,
		      p->dev, p->fn);
	if (!v->common || !v->notify) {
		printk("virtio: %s: no modern (virtio 1.x) interface; legacy "
		       "devices are not supported (QEMU: disable-legacy=on)\n",
		       d->name);
		return;
	}
	pci_enable(p);
	d->t = &pci_transport;
	d->tp = v;
	virtio_probe(d);
}

void virtio_pci_scan(void)
{
	pci_scan(probe, NULL);
}
