/*
 * Xen system time on arm: Xen keeps no PV clock for arm guests; its
 * system time is the generic counter in nanoseconds. A guest sees the
 * virtual counter, which Xen offsets by the count at domain creation, so
 * this is Xen's time less the moments before our domain existed (a
 * fraction of a second in a dom0less boot).
 */
#include <mica/xen/platform.h>
#include <arch/arm64.h>

uint64_t xen_system_time_ns(void)
{
	return timer_ticks_to_ns(timer_now_ticks());
}
