/*
 * The interrupt controller, GICv2 or GICv3 (Arm IHI 0048 and 0069),
 * reduced to what a single-CPU, tickless kernel needs: private
 * peripheral interrupts (PPIs: the timer, Xen's event channel upcall)
 * and a few shared ones (SPIs: virtio-mmio devices), enabled one by one,
 * acknowledged and ended in the IRQ handler, all at one priority: group
 * 1 (non-secure IRQ) on GICv3; on GICv2 the group the PPIs are in at
 * reset, which GICC_CTLR signals as IRQ.
 */
#include <mica/panic.h>
#include <mica/irq.h>
#include <mica/printk.h>
#include <mica/sched_hooks.h>
#include <arch/arm64.h>

/* Distributor (both versions). */
#define GICD_CTLR 0x000
#define GICD_IGROUPR0 0x080
#define GICD_ISENABLER0 0x100
#define GICD_ICENABLER0 0x180
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800		/* v2: a CPU mask byte per SPI */
#define GICD_ICFGR 0xc00		/* 2 bits per interrupt */
#define GICD_IROUTER 0x6000		/* v3: an affinity word per SPI */
#define MAX_SPI_HANDLERS 16
#define GICD_CTLR_RWP (1U << 31)
#define GICD_CTLR_ARE (1U << 4)		/* ARE_NS: affinity routing */
#define GICD_CTLR_GRP1 (1U << 1)	/* EnableGrp1(NS|A) */
#define GICD_CTLR_V2_ENABLE 1U

/* GICv2 CPU interface. */
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_BPR 0x08
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10

/* GICv3 redistributor: RD_base frame, then SGI_base frame. */
#define GICR_TYPER 0x08
#define GICR_WAKER 0x14
#define GICR_WAKER_SLEEP (1U << 1)
#define GICR_WAKER_ASLEEP (1U << 2)
#define GICR_TYPER_VLPIS (1ULL << 1)
#define GICR_TYPER_LAST (1ULL << 4)
#define GICR_SGI 0x10000
#define GICR_FRAME 0x20000

#define PRIO 0xa0
#define SPURIOUS 1020

static unsigned int version;
static uintptr_t dist, cpu, redist_sgi;
static void (*handlers[32])(void);
static struct {
	unsigned int intid;
	irq_handler_t fn;
	void *arg;
} spis[MAX_SPI_HANDLERS];
static unsigned int nspis, max_intid;
static char desc[32];

static void wait_rwp(uintptr_t ctlr)
{
	for (int i = 0; i < 1000000 && (mmio_read32(ctlr) & GICD_CTLR_RWP);
	     i++)
		;
}

/* Our redistributor: the frame whose affinity is this CPU's MPIDR. */
static uintptr_t find_redist(const struct dt_machine *m)
{
	uint64_t mpidr = read_sysreg(mpidr_el1);
	uint64_t aff = (mpidr & 0xffffff) | ((mpidr >> 32 & 0xff) << 24);
	uintptr_t base = (uintptr_t)m->gic_redist.base;
	uint64_t off = 0;

	while (off + GICR_FRAME <= m->gic_redist.size) {
		uint64_t typer = mmio_read64(base + off + GICR_TYPER);

		if ((typer >> 32) == aff)
			return base + off;
		if (typer & GICR_TYPER_LAST)
			break;
		off += typer & GICR_TYPER_VLPIS ? 2 * GICR_FRAME : GICR_FRAME;
	}
	panic("GICv3: no redistributor for MPIDR %#llx in [%#llx, +%#llx)",
	      (unsigned long long)mpidr,
	      (unsigned long long)m->gic_redist.base,
	      (unsigned long long)m->gic_redist.size);
}

static void init_v3(const struct dt_machine *m)
{
	uintptr_t rd = find_redist(m);
	int i;

	mmio_write32(dist + GICD_CTLR, GICD_CTLR_ARE);
	wait_rwp(dist + GICD_CTLR);
	mmio_write32(dist + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1);
	wait_rwp(dist + GICD_CTLR);

	/* Wake the redistributor: it starts "asleep" and forwards nothing. */
	mmio_write32(rd + GICR_WAKER,
		     mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	for (i = 0; i < 1000000 &&
		    (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_ASLEEP);
	     i++)
		;
	if (i == 1000000)
		panic("GICv3: the redistributor does not wake up");
	redist_sgi = rd + GICR_SGI;
	mmio_write32(redist_sgi + GICD_ICENABLER0, 0xffffffff);
	wait_rwp(rd); /* GICR_CTLR.RWP, same bit */
	/* Group 1: delivered as IRQ (group 0 would be FIQ). */
	mmio_write32(redist_sgi + GICD_IGROUPR0, 0xffffffff);

	/* The CPU interface, through system registers. */
	write_sysreg_s(ICC_SRE_EL1, read_sysreg_s(ICC_SRE_EL1) | 1);
	isb();
	if (!(read_sysreg_s(ICC_SRE_EL1) & 1))
		panic("GICv3: the system register interface cannot be enabled");
	write_sysreg_s(ICC_PMR_EL1, 0xff);
	write_sysreg_s(ICC_BPR1_EL1, 0);
	write_sysreg_s(ICC_CTLR_EL1, 0);	/* EOI also deactivates */
	write_sysreg_s(ICC_IGRPEN1_EL1, 1);
	isb();
}

static void init_v2(void)
{
	mmio_write32(dist + GICD_ICENABLER0, 0xffffffff);
	mmio_write32(dist + GICD_CTLR, GICD_CTLR_V2_ENABLE);
	mmio_write32(cpu + GICC_PMR, 0xff);
	mmio_write32(cpu + GICC_BPR, 0);
	mmio_write32(cpu + GICC_CTLR, 1);
}

void gic_init(const struct dt_machine *m)
{
	if (m->gic_version != 2 && m->gic_version != 3)
		panic("no GICv2 or GICv3 in the device tree: Mica needs one "
		      "for its timer interrupt");
	version = m->gic_version;
	dist = (uintptr_t)m->gic_dist.base;
	/* GICD_TYPER.ITLinesNumber: 32 * (N + 1) interrupt IDs. */
	max_intid = 32 * ((mmio_read32(dist + 0x004) & 0x1f) + 1) - 1;
	if (version == 3) {
		init_v3(m);
	} else {
		cpu = (uintptr_t)m->gic_cpu.base;
		init_v2();
	}
	mica_snprintf(desc, sizeof(desc), "GICv%u", version);
}

const char *gic_describe(void)
{
	return desc;
}

void gic_enable_ppi(unsigned int intid, void (*handler)(void))
{
	uintptr_t base = version == 3 ? redist_sgi : dist;
	uintptr_t prio = base + GICD_IPRIORITYR + (intid & ~3U);
	unsigned int shift = 8 * (intid & 3);

	if (intid < 16 || intid > 31)
		panic("interrupt %u is not a PPI", intid);
	handlers[intid] = handler;
	/* Priority registers hold four bytes; write the word back whole. */
	mmio_write32(prio, (mmio_read32(prio) & ~(0xffU << shift)) |
				   (PRIO << shift));
	mmio_write32(base + GICD_ISENABLER0, 1U << intid);
}

/* Set the byte of @intid in a register bank of one byte per interrupt. */
static void set_byte(uintptr_t bank, unsigned int intid, uint8_t v)
{
	uintptr_t r = bank + (intid & ~3U);
	unsigned int shift = 8 * (intid & 3);

	mmio_write32(r, (mmio_read32(r) & ~(0xffU << shift)) |
				((uint32_t)v << shift));
}

/*
 * A shared peripheral interrupt: our group and priority, level-triggered
 * (virtio-mmio holds its line while InterruptStatus is non-zero, so an
 * acknowledged device drops it; the device tree's edge type is ignored
 * on purpose), routed to this CPU, then enabled.
 */
int arch_irq_attach_line(unsigned int intid, irq_handler_t fn, void *arg)
{
	uintptr_t cfg = dist + GICD_ICFGR + 4 * (intid / 16);
	unsigned int bit = 1U << (intid % 32);

	if (intid < 32 || intid > max_intid || intid >= 1020 ||
	    nspis == MAX_SPI_HANDLERS || !dist)
		return -1;
	spis[nspis].intid = intid;
	spis[nspis].fn = fn;
	spis[nspis].arg = arg;
	nspis++;
	sched_wake_sources++; /* threads may now wait on this interrupt */
	mmio_write32(dist + GICD_ICENABLER0 + 4 * (intid / 32), bit);
	if (version == 3)
		wait_rwp(dist + GICD_CTLR); /* the disable has taken effect */
	/* GICv3: group 1, as the redistributor's PPIs (ICC_IGRPEN1). GICv2:
	 * the group the PPIs already have (the CPU interface signals the
	 * group GICC_CTLR enables: group 0 here). */
	if (version == 3)
		mmio_write32(dist + GICD_IGROUPR0 + 4 * (intid / 32),
			     mmio_read32(dist + GICD_IGROUPR0 +
					 4 * (intid / 32)) | bit);
	set_byte(dist + GICD_IPRIORITYR, intid, PRIO);
	mmio_write32(cfg, mmio_read32(cfg) & ~(2U << (2 * (intid % 16))));
	if (version == 3) {
		uint64_t mpidr = read_sysreg(mpidr_el1);

		mmio_write64(dist + GICD_IROUTER + 8 * intid,
			     (mpidr & 0xffffff) | ((mpidr >> 32 & 0xff) << 32));
	} else {
		/* Reading a private target byte gives our own CPU's mask. */
		set_byte(dist + GICD_ITARGETSR, intid,
			 (uint8_t)mmio_read32(dist + GICD_ITARGETSR));
	}
	mmio_write32(dist + GICD_ISENABLER0 + 4 * (intid / 32), bit);
	return 0;
}

static unsigned long spi_count;

unsigned long irq_device_count(void)
{
	return spi_count;
}

static void handle_spi(unsigned int intid)
{
	spi_count++;
	for (unsigned int i = 0; i < nspis; i++)
		if (spis[i].intid == intid)
			spis[i].fn(spis[i].arg);
}

/* Called from an IRQ exception: acknowledge, handle, end. */
void gic_handle_irq(void)
{
	unsigned int iar, intid;

	if (version == 3) {
		iar = (unsigned int)read_sysreg_s(ICC_IAR1_EL1);
		intid = iar & 0xffffff;
	} else {
		iar = mmio_read32(cpu + GICC_IAR);
		intid = iar & 0x3ff;
	}
	if (intid >= SPURIOUS && intid < 1024)
		return;
	if (intid < 32 && handlers[intid])
		handlers[intid]();
	else if (intid >= 32)
		handle_spi(intid);
	if (version == 3) {
		write_sysreg_s(ICC_EOIR1_EL1, iar);
		isb();
	} else {
		mmio_write32(cpu + GICC_EOIR, iar);
	}
}
