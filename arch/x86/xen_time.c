/* Xen system time on x86: the PV clock in our vcpu_info, read under its
 * version counter (odd while Xen updates it). */
#include <mica/xen/platform.h>
#include <mica/xen/xen.h>
#include <arch/cpu.h>

uint64_t xen_system_time_ns(void)
{
	const volatile struct vcpu_time_info *t = &xen_vcpu_info->time;
	struct vcpu_time_info copy;
	uint32_t ver;
	uint64_t tsc;

	do {
		ver = t->version;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		copy = *(const struct vcpu_time_info *)t;
		tsc = rdtsc();
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((ver & 1) || ver != t->version);
	return pvclock_ns(&copy, tsc);
}
