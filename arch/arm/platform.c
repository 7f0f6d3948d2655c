/* Dispatch of the platform-dependent kernel services on arm64: bare
 * (QEMU's virt machine) or a Xen guest. */
#include <mica/virtio.h>
#include <mica/arch.h>
#include <mica/console.h>
#include <mica/printk.h>
#include <mica/shutdown.h>
#include <arch/arm64.h>

static void bare_time_init(void)
{
	arm_time_init_common();
	pl031_init(&dt_machine);
}

const struct arm_platform bare_platform = {
	.name = "bare",
	.time_init = bare_time_init,
	.shutdown = bare_shutdown,
};

const struct arm_platform *platform = &bare_platform;

void arch_time_init(void)
{
	platform->time_init();
}

void arch_late_init(void)
{
	if (platform->late_init)
		platform->late_init();
}

void rndr_init(void);

/* The CPU's RNG, then virtio-mmio slots from the device tree. */
void arch_probe_devices(void)
{
	rndr_init();
	for (unsigned int i = 0; i < dt_machine.n_virtio; i++)
		virtio_mmio_probe(&(struct virtio_mmio_slot){
			.base = dt_machine.virtio[i].reg.base,
			.size = (size_t)dt_machine.virtio[i].reg.size,
			.irq = dt_machine.virtio[i].irq,
			.grant_domid = dt_machine.virtio[i].grant_domid,
			/* QEMU's virt lists 32 slots, most of them empty;
			 * a Xen toolstack lists configured devices only. */
			.expected = platform == &xen_arm_platform ||
				    dt_machine.virtio[i].grant_domid >= 0,
		});
}

/* Both platforms: the interrupt controller, then the generic timer. */
void arm_time_init_common(void)
{
	gic_init(&dt_machine);
	timer_init(&dt_machine);
}

void mica_shutdown(int status)
{
	if (!shutdown_quiet && (log_level >= 1 || status != 0))
		printk("mica: exit status %d\n", status);
	console_flush();
	platform->shutdown(status);
}
