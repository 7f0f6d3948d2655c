/*
 * The local APIC: its one-shot timer wakes the idle loop at the next timer
 * deadline. The legacy PICs are remapped away from the exception vectors
 * and masked: Mica takes no legacy IRQs.
 */
#include <mica/panic.h>
#include <mica/printk.h>
#include <arch/cpu.h>
#include <arch/io.h>
#include <arch/x86.h>

#define APIC_SVR 0xf0
#define APIC_EOI 0xb0
#define APIC_LVT_TIMER 0x320
#define APIC_TIMER_INIT 0x380
#define APIC_TIMER_CUR 0x390
#define APIC_TIMER_DIV 0x3e0
#define LVT_MASKED (1U << 16)

static uintptr_t apic;

static void pic_disable(void)
{
	/* ICW1-4: remap to 0x20/0x28... then mask every line. */
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, 0x20);
	outb(0xa1, 0x28);
	outb(0x21, 0x04);
	outb(0xa1, 0x02);
	outb(0x21, 0x01);
	outb(0xa1, 0x01);
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

void lapic_init(void)
{
	uint64_t base_msr;

	if (!(cpuid(1, 0).edx & (1U << 9)))
		panic("this CPU has no local APIC: Mica needs its timer");
	pic_disable();
	base_msr = rdmsr(MSR_APIC_BASE);
	wrmsr(MSR_APIC_BASE, base_msr | (1ULL << 11)); /* global enable */
	apic = (uintptr_t)paging_map_mmio(base_msr & 0xffffff000ULL, 4096);
	/* Software enable, spurious vector; the timer starts masked. */
	mmio_write32(apic + APIC_SVR, 0x100 | VEC_SPURIOUS);
	mmio_write32(apic + APIC_TIMER_DIV, 0x3); /* divide by 16 */
	mmio_write32(apic + APIC_LVT_TIMER, LVT_MASKED | VEC_APIC_TIMER);
}

uint32_t lapic_id(void)
{
	return mmio_read32(apic + 0x20) >> 24;
}

void lapic_eoi(void)
{
	mmio_write32(apic + APIC_EOI, 0);
}

void lapic_timer_calibrate_start(void)
{
	mmio_write32(apic + APIC_TIMER_INIT, 0xffffffff);
}

uint64_t lapic_timer_count(void)
{
	return mmio_read32(apic + APIC_TIMER_CUR);
}

void lapic_timer_calibrate_end(void)
{
	mmio_write32(apic + APIC_TIMER_INIT, 0);
}

/* One-shot in @ticks; 0 stops the timer. */
void lapic_timer_arm(uint64_t ticks)
{
	if (ticks > 0xffffffff)
		ticks = 0xffffffff;
	mmio_write32(apic + APIC_LVT_TIMER,
		     (ticks ? 0 : LVT_MASKED) | VEC_APIC_TIMER);
	mmio_write32(apic + APIC_TIMER_INIT, (uint32_t)ticks);
}
