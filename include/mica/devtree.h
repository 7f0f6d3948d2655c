/*
 * What a flattened device tree tells Mica about the machine: RAM and
 * reservations (into a boot_info), the command line, and the few devices
 * Mica drives. Portable (no arch code): the arch entry passes the blob and
 * uses what comes back.
 */
#ifndef MICA_DEVTREE_H
#define MICA_DEVTREE_H

#include <mica/bootinfo.h>
#include <mica/fdt.h>

/* Highest physical address Mica maps (48-bit, 4 KiB granule). */
#define DT_PHYS_LIMIT (1ULL << 48)

#define DT_VIRTIO_MAX 32

struct dt_region {
	uint64_t base;
	uint64_t size;		/* 0: not present */
};

enum dt_psci { DT_PSCI_NONE, DT_PSCI_HVC, DT_PSCI_SMC };

struct dt_machine {
	struct dt_region uart;	/* arm,pl011 or arm,sbsa-uart */
	bool uart_sbsa;		/* SBSA subset: only DR, FR, IMSC, ICR */
	unsigned int gic_version; /* 0 (none found), 2 or 3 */
	struct dt_region gic_dist;
	struct dt_region gic_cpu;	/* v2: CPU interface */
	struct dt_region gic_redist;	/* v3: first redistributor region */
	unsigned int timer_irq;	/* virtual timer interrupt ID (PPI) */
	uint32_t timer_freq;	/* clock-frequency, 0: trust CNTFRQ_EL0 */
	struct dt_region rtc;	/* arm,pl031 */
	bool xen;		/* /hypervisor is compatible "xen,xen" */
	unsigned int xen_irq;	/* event channel upcall interrupt ID */
	struct dt_region xen_gnttab;	/* where grant frames go */
	enum dt_psci psci;
	/* virtio,mmio slots; grant_domid >= 0 when `iommus` names a
	 * xen,grant-dma node (the backend's domid), else -1. */
	unsigned int n_virtio;
	struct {
		struct dt_region reg;
		unsigned int irq;
		int grant_domid;
	} virtio[DT_VIRTIO_MAX];
};

/*
 * Fill @bi (memory map with the reservations and the blob itself, command
 * line, initrd as module 0) and @m from the opened tree @f, which sits at
 * physical address @blob_pa. Returns 0, or -1 with the reason in @err.
 */
int dt_read_machine(const struct fdt *f, paddr_t blob_pa, struct boot_info *bi,
		    struct dt_machine *m, char *err, size_t errlen);

#endif
