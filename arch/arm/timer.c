/*
 * The generic timer. The virtual counter (CNTVCT_EL0) is the monotonic
 * clock, counted from our entry; the virtual timer (CNTV_*, a PPI, 27 on
 * every platform Mica knows) wakes the idle loop at the next deadline.
 * Under Xen both are the same hardware, offset per domain by Xen.
 */
#include <mica/arch.h>
#include <mica/panic.h>
#include <mica/printk.h>
#include <mica/time.h>
#include <arch/arm64.h>

#define CNTV_CTL_ENABLE 1U
#define CNTV_CTL_IMASK 2U

uint64_t timer_hz;
static uint64_t boot_ticks;

uint64_t timer_now_ticks(void)
{
	isb(); /* no reading the counter ahead of earlier instructions */
	return read_sysreg(cntvct_el0);
}

uint64_t timer_ticks_to_ns(uint64_t ticks)
{
	if (!timer_hz)
		return 0;
	return (uint64_t)((unsigned __int128)ticks * NSEC_PER_SEC / timer_hz);
}

void timer_early(uint64_t entry_count)
{
	boot_ticks = entry_count;
	timer_hz = read_sysreg(cntfrq_el0);
}

uint64_t monotonic_ns(void)
{
	return timer_ticks_to_ns(timer_now_ticks() - boot_ticks);
}

/* Level-triggered: the line stays up while the timer is expired and
 * enabled, so the handler turns it off; arch_idle arms it again. */
static void timer_irq(void)
{
	write_sysreg(cntv_ctl_el0, 0);
	isb();
}

void timer_init(const struct dt_machine *m)
{
	/* Firmware should set CNTFRQ_EL0; the DT may say when it did not. */
	if (!timer_hz)
		timer_hz = m->timer_freq;
	if (!timer_hz)
		panic("generic timer: CNTFRQ_EL0 is 0 and the device tree "
		      "gives no clock-frequency");
	write_sysreg(cntv_ctl_el0, 0);
	isb();
	gic_enable_ppi(m->timer_irq, timer_irq);
	pr_info("clock: generic timer %llu.%03llu MHz, virtual timer on "
		"interrupt %u, %s\n",
		(unsigned long long)(timer_hz / 1000000),
		(unsigned long long)(timer_hz / 1000 % 1000), m->timer_irq,
		gic_describe());
}

bool arch_timer_wake_at(uint64_t deadline_ns)
{
	if (deadline_ns == UINT64_MAX) {
		write_sysreg(cntv_ctl_el0, 0);
	} else {
		unsigned __int128 t = (unsigned __int128)deadline_ns * timer_hz;
		uint64_t ticks = (uint64_t)((t + NSEC_PER_SEC - 1) /
					    NSEC_PER_SEC);

		write_sysreg(cntv_cval_el0, boot_ticks + ticks);
		write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	}
	isb();
	return true;
}

/*
 * Wait for an interrupt or the deadline. Interrupts stay masked at the
 * WFI: a pending interrupt wakes it all the same (so one that arrives
 * between the check and the WFI is not missed), and the short unmasked
 * window after it is where the handler runs.
 */
void arch_idle(uint64_t deadline_ns)
{
	uint64_t now = monotonic_ns();

	if (deadline_ns <= now)
		return;
	arch_timer_wake_at(deadline_ns);
	__asm__ volatile("dsb sy\n\twfi" : : : "memory");
	__asm__ volatile("msr daifclr, #2\n\tisb\n\tmsr daifset, #2"
			 : : : "memory");
}
