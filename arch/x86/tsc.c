/*
 * The TSC is the monotonic clock. Its frequency comes from CPUID when the
 * CPU states it (see tsc_freq.c); otherwise we count TSC ticks (and local
 * APIC timer ticks, for the idle timer) across 2 ms of PIT channel 2.
 */
#include <string.h>
#include <mica/arch.h>
#include <mica/panic.h>
#include <mica/printk.h>
#include <mica/time.h>
#include <arch/cpu.h>
#include <arch/io.h>
#include <arch/tsc_freq.h>
#include <arch/platform.h>
#include <arch/x86.h>

#define PIT_HZ 1193182
#define CALIBRATE_MS 2

uint64_t tsc_hz;
static uint64_t tsc_at_boot;
static uint64_t apic_hz;

void tsc_cpuid_read(struct tsc_cpuid *c)
{
	struct cpuid_regs r = cpuid(0, 0);

	memcpy(c->vendor, &r.ebx, 4);
	memcpy(c->vendor + 4, &r.edx, 4);
	memcpy(c->vendor + 8, &r.ecx, 4);
	c->vendor[12] = '\0';
	c->max_leaf = r.eax;
	c->hypervisor = cpuid(1, 0).ecx & (1U << 31);
	c->hv_max_leaf = c->hypervisor ? cpuid(0x40000000, 0).eax : 0;
	if (c->hv_max_leaf < 0x40000000 || c->hv_max_leaf > 0x400000ff)
		c->hv_max_leaf = 0;
	c->hv_tsc_khz = c->hv_max_leaf >= 0x40000010
				? cpuid(0x40000010, 0).eax
				: 0;
	if (c->max_leaf >= 0x15) {
		r = cpuid(0x15, 0);
		c->l15_eax = r.eax;
		c->l15_ebx = r.ebx;
		c->l15_ecx = r.ecx;
	}
	c->l16_eax = c->max_leaf >= 0x16 ? cpuid(0x16, 0).eax : 0;
}

static uint16_t pit_read(void)
{
	uint8_t lo, hi;

	outb(0x43, 0x80); /* latch channel 2 */
	lo = inb(0x42);
	hi = inb(0x42);
	return (uint16_t)(lo | hi << 8);
}

/*
 * Let PIT channel 2 count down from 0xffff and read its counter at both
 * ends of a CALIBRATE_MS window, each read next to a TSC read. Both ends
 * pay the same I/O cost, so the short window carries no start-up bias.
 * Returns TSC Hz, or 0 if the counter never moves (no PIT here). Also
 * measures the local APIC timer rate over the same window.
 */
static uint64_t pit_measure(void)
{
	const uint16_t window = PIT_HZ * CALIBRATE_MS / 1000;
	uint64_t t0, t1;
	uint16_t c0, c1;
	uint64_t a0, a1;
	unsigned long spins = 0;

	outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(0x43, 0xb0);	/* channel 2, lo/hi byte, mode 0 */
	outb(0x42, 0xff);
	outb(0x42, 0xff);
	lapic_timer_calibrate_start();
	c0 = pit_read();
	t0 = rdtsc();
	a0 = lapic_timer_count();
	do {
		c1 = pit_read();
		t1 = rdtsc();
		a1 = lapic_timer_count();
		if (++spins > 10000000UL)
			return 0;
	} while ((uint16_t)(c0 - c1) < window);
	lapic_timer_calibrate_end();
	apic_hz = (uint64_t)(a0 - a1) * PIT_HZ / (uint16_t)(c0 - c1);
	return (t1 - t0) * PIT_HZ / (uint16_t)(c0 - c1);
}

void tsc_init(void)
{
	struct tsc_cpuid c;
	const char *source;
	uint64_t hz;

	tsc_at_boot = boot_entry_tsc ? boot_entry_tsc : rdtsc();
	tsc_cpuid_read(&c);
	tsc_hz = tsc_freq_from_cpuid(&c, &source);
	hz = pit_measure();
	if (!tsc_hz) {
		if (!hz)
			panic("cannot calibrate the TSC: no PIT and no CPUID "
			      "frequency");
		tsc_hz = hz;
	}
	if (!apic_hz)
		panic("cannot calibrate the local APIC timer");
	pr_info("clock: TSC %llu.%03llu MHz (%s), APIC timer %llu kHz\n",
		(unsigned long long)(tsc_hz / 1000000),
		(unsigned long long)(tsc_hz / 1000 % 1000), source,
		(unsigned long long)(apic_hz / 1000));
}

uint64_t tsc_monotonic_ns(void)
{
	uint64_t d;

	if (!tsc_hz)
		return 0;
	d = rdtsc() - tsc_at_boot;
	/* d * 1e9 / hz without overflow for centuries of uptime. */
	return (uint64_t)((unsigned __int128)d * NSEC_PER_SEC / tsc_hz);
}

void lapic_idle(uint64_t deadline_ns)
{
	uint64_t now = tsc_monotonic_ns();

	if (deadline_ns <= now)
		return;
	if (deadline_ns == UINT64_MAX) {
		lapic_timer_arm(0);
	} else {
		uint64_t ticks = (uint64_t)((unsigned __int128)(deadline_ns -
								 now) *
					    apic_hz / NSEC_PER_SEC);
		lapic_timer_arm(ticks ? ticks : 1);
	}
	safe_halt();
}
