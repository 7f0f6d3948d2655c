/* PCI configuration space and a bus scan (conventional mechanism). */
#ifndef MICA_PCI_H
#define MICA_PCI_H

#include <mica/types.h>

struct pci_dev {
	uint8_t bus, dev, fn;
	uint16_t vendor, device;
	uint16_t subsys_vendor, subsys_device;
	uint8_t class_code, subclass;
};

/* Arch: configuration access (x86: ports 0xcf8/0xcfc); false if absent. */
bool arch_pci_available(void);
uint32_t arch_pci_read32(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off);
void arch_pci_write32(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off,
		      uint32_t v);

uint32_t pci_read32(const struct pci_dev *d, uint16_t off);
uint16_t pci_read16(const struct pci_dev *d, uint16_t off);
uint8_t pci_read8(const struct pci_dev *d, uint16_t off);
void pci_write32(const struct pci_dev *d, uint16_t off, uint32_t v);
void pci_write16(const struct pci_dev *d, uint16_t off, uint16_t v);
/* Memory space and bus mastering on. */
void pci_enable(const struct pci_dev *d);
/* Physical address of memory BAR @bar (64-bit BARs too); 0 if none. */
uint64_t pci_bar_address(const struct pci_dev *d, unsigned int bar);
/* Offset of the first capability with @id after @from (0: start), 0 if
 * none. Walks at most 48 links: a looping list cannot hang us. */
uint8_t pci_find_cap(const struct pci_dev *d, uint8_t id, uint8_t from);
/* Call @fn for every function on every bus. */
void pci_scan(void (*fn)(struct pci_dev *d, void *arg), void *arg);

#endif
