/*
 * The I/O APIC, for wired device interrupts on bare x86 (PCI INTx, and
 * microvm's virtio-mmio lines). Mica reads no ACPI tables: it looks at
 * the address every PC-compatible machine QEMU builds uses (pc, q35,
 * microvm) and believes an I/O APIC is there only if its version register
 * reads like one. Xen PVH guests have none (no emulated devices).
 *
 * Registers are reached indirectly: write the index to IOREGSEL (offset
 * 0), then read or write IOWIN (offset 0x10). Redirection entry N is the
 * pair of 32-bit registers 0x10 + 2N (vector, mode, mask) and 0x11 + 2N
 * (destination APIC id in bits 24-31).
 */
#include <mica/printk.h>
#include <arch/io.h>
#include <arch/platform.h>
#include <arch/x86.h>

#define IOAPIC_BASE 0xfec00000ULL
#define IOREGSEL 0x00
#define IOWIN 0x10
#define REG_VERSION 0x01
#define REG_REDIR 0x10
#define REDIR_LEVEL (1U << 15)
#define REDIR_ACTIVE_LOW (1U << 13)
#define REDIR_MASKED (1U << 16)

static uintptr_t ioapic;
static unsigned int pins;
static bool probed;

static uint32_t ioapic_read(uint32_t reg)
{
	mmio_write32(ioapic + IOREGSEL, reg);
	return mmio_read32(ioapic + IOWIN);
}

static void ioapic_write(uint32_t reg, uint32_t v)
{
	mmio_write32(ioapic + IOREGSEL, reg);
	mmio_write32(ioapic + IOWIN, v);
}

/* Version 0x1x (82093AA style) or 0x2x (integrated), and a sane count of
 * redirection entries: otherwise there is no I/O APIC at the address. */
static bool ioapic_probe(void)
{
	uint32_t ver;

	if (probed)
		return pins != 0;
	probed = true;
	if (platform != &bare_platform)
		return false;
	ioapic = (uintptr_t)paging_map_mmio(IOAPIC_BASE, 4096);
	ver = ioapic_read(REG_VERSION);
	if ((ver & 0xff) < 0x10 || (ver & 0xff) > 0x2f ||
	    ((ver >> 16) & 0xff) < 15 || ((ver >> 16) & 0xff) > 239) {
		pr_info("ioapic: none at %#llx (version register %#x); wired "
			"interrupts are polled\n",
			(unsigned long long)IOAPIC_BASE, ver);
		return false;
	}
	pins = ((ver >> 16) & 0xff) + 1;
	/* Firmware may have left entries live: mask them all. */
	for (unsigned int p = 0; p < pins; p++)
		ioapic_write(REG_REDIR + 2 * p, REDIR_MASKED);
	pr_info("ioapic: version %#x, %u pins\n", ver & 0xff, pins);
	return true;
}

int ioapic_route(unsigned int pin, unsigned int vector, bool level,
		 bool active_low)
{
	uint32_t lo = vector | (level ? REDIR_LEVEL : 0) |
		      (active_low ? REDIR_ACTIVE_LOW : 0);

	if (!ioapic_probe() || pin >= pins || vector < 0x30 || vector > 0xef)
		return -1;
	ioapic_write(REG_REDIR + 2 * pin + 1, lapic_id() << 24);
	ioapic_write(REG_REDIR + 2 * pin, lo); /* fixed, physical, unmasked */
	return 0;
}
