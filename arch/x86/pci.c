/*
 * PCI configuration mechanism #1: address to port 0xcf8, data at 0xcfc.
 * Present on QEMU pc/q35; absent in PV guests (no port I/O there).
 */
#include <mica/pci.h>
#include <arch/pv.h>

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static uint32_t address(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
	return 0x80000000u | (uint32_t)bus << 16 | (uint32_t)(dev & 31) << 11 |
	       (uint32_t)(fn & 7) << 8 | (off & 0xfc);
}

bool arch_pci_available(void)
{
	if (x86_is_pv)
		return false;
	/* A host bridge answers at 00:00.0; with no PCI the read floats. */
	outl(0xcf8, address(0, 0, 0, 0));
	return inl(0xcfc) != 0xffffffffu;
}

uint32_t arch_pci_read32(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
	outl(0xcf8, address(bus, dev, fn, off));
	return inl(0xcfc);
}

void arch_pci_write32(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off,
		      uint32_t v)
{
	outl(0xcf8, address(bus, dev, fn, off));
	outl(0xcfc, v);
}
