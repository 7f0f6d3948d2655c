/* PCI configuration space helpers and the bus scan. */
#include <mica/pci.h>

uint32_t pci_read32(const struct pci_dev *d, uint16_t off)
{
	return arch_pci_read32(d->bus, d->dev, d->fn, off & ~3);
}

uint16_t pci_read16(const struct pci_dev *d, uint16_t off)
{
	return (uint16_t)(pci_read32(d, off) >> (8 * (off & 2)));
}

uint8_t pci_read8(const struct pci_dev *d, uint16_t off)
{
	return (uint8_t)(pci_read32(d, off) >> (8 * (off & 3)));
}

void pci_write32(const struct pci_dev *d, uint16_t off, uint32_t v)
{
	arch_pci_write32(d->bus, d->dev, d->fn, off & ~3, v);
}

void pci_write16(const struct pci_dev *d, uint16_t off, uint16_t v)
{
	uint32_t old = pci_read32(d, off);
	unsigned int shift = 8 * (off & 2);

	pci_write32(d, off, (old & ~(0xffffu << shift)) | ((uint32_t)v << shift));
}

void pci_enable(const struct pci_dev *d)
{
	pci_write16(d, 0x04, pci_read16(d, 0x04) | 0x2 | 0x4);
}

uint64_t pci_bar_address(const struct pci_dev *d, unsigned int bar)
{
	uint32_t lo;

	if (bar > 5)
		return 0;
	lo = pci_read32(d, (uint16_t)(0x10 + 4 * bar));
	if (lo & 1)
		return 0; /* an I/O BAR */
	if (((lo >> 1) & 3) == 2 && bar < 5)
		return ((uint64_t)pci_read32(d, (uint16_t)(0x14 + 4 * bar))
			<< 32) | (lo & ~0xfULL);
	return lo & ~0xfULL;
}

uint8_t pci_find_cap(const struct pci_dev *d, uint8_t id, uint8_t from)
{
	uint8_t p;

	if (!(pci_read16(d, 0x06) & 0x10))
		return 0; /* no capability list */
	p = from ? pci_read8(d, (uint16_t)(from + 1)) : pci_read8(d, 0x34);
	for (int hops = 0; p >= 0x40 && hops < 48; hops++) {
		p &= ~3;
		if (pci_read8(d, p) == id)
			return p;
		p = pci_read8(d, (uint16_t)(p + 1));
	}
	return 0;
}

void pci_scan(void (*fn)(struct pci_dev *d, void *arg), void *arg)
{
	if (!arch_pci_available())
		return;
	for (unsigned int bus = 0; bus < 256; bus++) {
		for (unsigned int dev = 0; dev < 32; dev++) {
			for (unsigned int f = 0; f < 8; f++) {
				struct pci_dev d = { .bus = (uint8_t)bus,
						     .dev = (uint8_t)dev,
						     .fn = (uint8_t)f };
				uint32_t id = pci_read32(&d, 0);
				uint32_t sub, cls;

				if ((id & 0xffff) == 0xffff) {
					if (f == 0)
						break;
					continue;
				}
				d.vendor = (uint16_t)id;
				d.device = (uint16_t)(id >> 16);
				sub = pci_read32(&d, 0x2c);
				d.subsys_vendor = (uint16_t)sub;
				d.subsys_device = (uint16_t)(sub >> 16);
				cls = pci_read32(&d, 0x08);
				d.class_code = (uint8_t)(cls >> 24);
				d.subclass = (uint8_t)(cls >> 16);
				fn(&d, arg);
				/* Single-function device: skip 1..7. */
				if (f == 0 && !(pci_read8(&d, 0x0e) & 0x80))
					break;
			}
		}
	}
}
