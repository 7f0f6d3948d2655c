/*
 * What Mica's two x86 Xen guest modes (PVH and classic PV) share: the
 * vcpu_info slot, the clock, and the way out.
 */
#include <mica/printk.h>
#include <mica/panic.h>
#include <mica/shutdown.h>
#include <mica/time.h>
#include <mica/xen/hcall.h>
#include <mica/xen/platform.h>
#include <mica/xen/xen.h>
#include <arch/cpu.h>
#include <arch/x86.h>
#include <arch/xen.h>

static int64_t boot_offset_ns;	/* Xen system time at our entry */

/* TSC frequency from the PV clock; monotonic time counts from our entry
 * (like on bare metal); the wall clock from shared_info. */
void xen_clock_init(void)
{
	uint64_t since_entry;

	tsc_hz = pvclock_tsc_hz(&xen_vcpu_info->time);
	since_entry = tsc_hz ? (uint64_t)((unsigned __int128)(rdtsc() -
							      boot_entry_tsc) *
					  NSEC_PER_SEC / tsc_hz)
			     : 0;
	boot_offset_ns = (int64_t)(xen_system_time_ns() - since_entry);
	wallclock_set(xen_wallclock_ns());
}

uint64_t xen_x86_monotonic_ns(void)
{
	return (uint64_t)((int64_t)xen_system_time_ns() - boot_offset_ns);
}

uint64_t xen_deadline_to_system(uint64_t deadline_ns)
{
	return deadline_ns + (uint64_t)boot_offset_ns;
}

void xen_x86_shutdown(int status)
{
	size_t mark = hcall_mark();
	struct sched_shutdown *s = hcall_alloc(sizeof(*s));
	struct hcall_stats st;

	hcall_get_stats(&st);
	if (!shutdown_quiet)
		printk("xen: hypercalls: %lu, outside registered buffers: %lu "
		       "(deliberate raw: %lu, PV exception frames: %lu)\n",
		       st.calls, st.outside, st.raw, st.arch_exceptions);
	if (status == MICA_EXIT_PANIC)
		s->reason = SHUTDOWN_crash;
	else if (xen_shutdown_reason >= 0)
		s->reason = (unsigned int)xen_shutdown_reason;
	else
		s->reason = SHUTDOWN_poweroff;
	HYPERVISOR_sched_op(SCHEDOP_shutdown, s);
	hcall_release(mark);
	printk("xen: SCHEDOP_shutdown returned; stopped\n");
	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}
