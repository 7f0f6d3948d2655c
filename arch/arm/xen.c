/*
 * Mica as a Xen guest on arm64: a dom0less domU whose device tree has a
 * /hypervisor node (compatible "xen,xen", from xen,enhanced). Xen on arm
 * is simpler than PVH: the generic timer and the GIC are virtualised in
 * hardware, so time and idle stay as on bare metal; what Xen adds is
 * hypercalls (HVC), shared_info and vcpu_info, and event channels, whose
 * upcall is the PPI the /hypervisor node names. The console is the
 * vpl011 the device tree shows.
 */
#include <mica/mm.h>
#include <mica/panic.h>
#include <mica/printk.h>
#include <mica/shutdown.h>
#include <mica/time.h>
#include <mica/arch.h>
#include <mica/xen/events.h>
#include <mica/xen/grant.h>
#include <mica/xen/hcall.h>
#include <mica/xen/platform.h>
#include <mica/xen/vcpu_areas.h>
#include <mica/xen/xenstore.h>
#include <mica/xen/xen.h>
#include <arch/arm64.h>
#include <xen/errno.h>

/* Not in a header yet (kernel/xen/control.c, kernel/xen/grant.c). */

void xen_arm_early(void)
{
	hcall_arena_init();
	/* Where Xen wants grant frames mapped: the /hypervisor reg. */
	xen_grant_region_base = dt_machine.xen_gnttab.base;
}

/* shared_info into a free page of our own, as XENMEM_add_to_physmap
 * replaces whatever was mapped at that guest frame. */
static void map_shared_info(void)
{
	size_t mark = hcall_mark();
	struct xen_add_to_physmap *xatp = hcall_alloc(sizeof(*xatp));
	paddr_t page = frame_alloc(1, 1);
	long rc;

	if (page == FRAME_NONE)
		panic("out of memory: no page for Xen's shared_info");
	xatp->domid = DOMID_SELF;
	xatp->space = XENMAPSPACE_shared_info;
	xatp->idx = 0;
	xatp->gpfn = page >> PAGE_SHIFT;
	rc = HYPERVISOR_memory_op(XENMEM_add_to_physmap, xatp);
	if (rc < 0)
		panic("xen: XENMEM_add_to_physmap(shared_info) failed: %ld",
		      rc);
	xen_shared_info = phys_to_virt(page);
	hcall_release(mark);
}


/*
 * shared_info's wall clock is the time at Xen system time 0, set from
 * the hardware domain's clock. With no dom0 (dom0less) nobody sets it,
 * and it reads 0: then there is no wall clock to be had.
 */
static void wallclock_init(void)
{
	const volatile struct shared_info *s = xen_shared_info;

	if (s->wc_sec == 0 && s->xen_wc_sec_hi == 0) {
		pr_info("clock: Xen's shared_info has no wall clock (nothing "
			"set it: no dom0); wall clock starts at 1970\n");
		return;
	}
	wallclock_set(xen_wallclock_ns());
	pr_info("clock: wall clock from Xen's shared_info\n");
}

static void upcall(void)
{
	evtchn_do_upcall();
}

static void xen_time_init(void)
{
	arm_time_init_common();
	if (xen_info_init() < 0)
		panic("xen: XENVER_version failed: hypercalls do not work");
	map_shared_info();
	xen_register_vcpu_info(virt_to_phys);
	xen_register_vcpu_areas(virt_to_phys);
	wallclock_init();
	if (evtchn_init() < 0)
		panic("xen: event channels need shared_info and vcpu_info");
	gic_enable_ppi(dt_machine.xen_irq, upcall);
	pr_info("xen: event channel upcalls on interrupt %u\n",
		dt_machine.xen_irq);
	if (gnttab_init() < 0)
		printk("xen: no grant table: grants and PV devices are "
		       "unavailable\n");
}


/* xenstore, if the toolstack gave us one (a dom0less domU with
 * xen,enhanced = "no-xenstore" has none). */
static void xen_late_init(void)
{
	uint64_t pfn, evtchn;
	int rc;

	if (xen_hvm_get_param(HVM_PARAM_STORE_PFN, &pfn) < 0 || !pfn ||
	    xen_hvm_get_param(HVM_PARAM_STORE_EVTCHN, &evtchn) < 0 ||
	    evtchn >= EVTCHN_MAX) {
		pr_info("xen: no xenstore\n");
		return;
	}
	rc = xenstore_init(arch_map_phys(pfn << PAGE_SHIFT, PAGE_SIZE),
			   (unsigned int)evtchn);
	if (rc < 0) {
		printk("xen: xenstore client failed to start (%d)\n", rc);
		return;
	}
	xen_control_init();
}

static void __noreturn xen_shutdown(int status)
{
	size_t mark = hcall_mark();
	struct sched_shutdown *s = hcall_alloc(sizeof(*s));
	struct hcall_stats st;
	long rc;

	hcall_get_stats(&st);
	if (!shutdown_quiet)
		printk("xen: hypercalls: %lu, outside registered buffers: %lu "
		       "(deliberate raw: %lu)\n",
		       st.calls, st.outside, st.raw);
	s->reason = status == MICA_EXIT_PANIC ? SHUTDOWN_crash
					      : SHUTDOWN_poweroff;
	rc = HYPERVISOR_sched_op(SCHEDOP_shutdown, s);
	hcall_release(mark);
	printk("xen: SCHEDOP_shutdown returned %ld; halted\n", rc);
	halt_forever();
}

enum xen_guest_type xen_guest_type(void)
{
	return platform == &xen_arm_platform ? XEN_GUEST_ARM : XEN_GUEST_NONE;
}

/*
 * SCHEDOP_block, made with IRQs still masked: Xen on arm clears the I bit
 * in our saved PSTATE itself (local_event_delivery_enable) and checks for
 * a pending event or virtual interrupt (the virtual timer's included) in
 * the same step as blocking, so one that is already pending ends the call
 * at once and none is lost. The IRQ is taken as the HVC returns; its
 * handler has run before we mask again.
 */
long xen_sched_block(void)
{
	long rc;

	if (platform != &xen_arm_platform)
		return -XEN_ENOSYS; /* not on Xen */
	rc = HYPERVISOR_sched_op(SCHEDOP_block, NULL);
	__asm__ volatile("msr daifset, #2" : : : "memory");
	return rc;
}

const struct arm_platform xen_arm_platform = {
	.name = "Xen",
	.time_init = xen_time_init,
	.late_init = xen_late_init,
	.shutdown = xen_shutdown,
};
