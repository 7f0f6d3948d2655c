/* Dispatch of the platform-dependent kernel services on x86. */
#include <mica/arch.h>
#include <mica/console.h>
#include <mica/printk.h>
#include <mica/shutdown.h>
#include <mica/time.h>
#include <mica/xen/platform.h>
#include <arch/platform.h>
#include <arch/x86.h>
#include <xen/errno.h>

extern const struct x86_platform xen_pv_platform;
const struct x86_platform *platform = &bare_platform;

uint64_t monotonic_ns(void)
{
	return platform->monotonic_ns();
}

void arch_idle(uint64_t deadline_ns)
{
	platform->idle(deadline_ns);
}

bool arch_timer_wake_at(uint64_t deadline_ns)
{
	(void)deadline_ns;
	return false;
}

enum xen_guest_type xen_guest_type(void)
{
	if (platform == &xen_pvh_platform)
		return XEN_GUEST_PVH;
	if (platform == &xen_pv_platform)
		return XEN_GUEST_PV;
	return XEN_GUEST_NONE;
}

long xen_sched_block(void)
{
	if (!platform->sched_block)
		return -XEN_ENOSYS; /* not on Xen */
	return platform->sched_block();
}

void arch_time_init(void)
{
	platform->time_init();
}

void arch_late_init(void)
{
	if (platform->late_init)
		platform->late_init();
}

void virtio_pci_scan(void);
void virtio_mmio_probe_cmdline(void);

void rdrand_init(void);

void arch_probe_devices(void)
{
	rdrand_init();
	virtio_pci_scan();
	virtio_mmio_probe_cmdline();
}

void mica_shutdown(int status)
{
	if (!shutdown_quiet && (log_level >= 1 || status != 0))
		printk("mica: exit status %d\n", status);
	console_flush();
	platform->shutdown(status);
}
