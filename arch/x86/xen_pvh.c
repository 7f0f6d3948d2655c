/*
 * Mica as a Xen PVH guest (domU or dom0). The PVH entry is the same as on
 * bare QEMU; what differs is found here: hypercalls by VMCALL/VMMCALL, the
 * memory map from XENMEM_memory_map when the start info has none,
 * shared_info and vcpu_info, the PV clock, event upcalls on a vector, and
 * timers by VCPUOP_set_singleshot_timer.
 */
#include <string.h>
#include <mica/arch.h>
#include <mica/console.h>
#include <mica/mm.h>
#include <mica/panic.h>
#include <mica/printk.h>
#include <mica/time.h>
#include <mica/xen/events.h>
#include <mica/xen/grant.h>
#include <mica/xen/hcall.h>
#include <mica/xen/platform.h>
#include <mica/xen/vcpu_areas.h>
#include <mica/xen/xenstore.h>
#include <mica/xen/xen.h>
#include <arch/cpu.h>
#include <arch/hypercall.h>
#include <arch/platform.h>
#include <arch/tsc_freq.h>
#include <arch/x86.h>

void debugcon_register(void);
struct console *debugcon_console(void);
#include <arch/xen.h>


void xen_pvh_early(struct boot_info *bi, uint32_t start_flags)
{
	struct tsc_cpuid c;
	enum hcall_insn insn;

	(void)bi;
	tsc_cpuid_read(&c);
	insn = hcall_insn_for(c.vendor, false);
	hcall_set_insn(insn);
	hcall_arena_init();
	xen_is_initdomain = start_flags & SIF_INITDOMAIN;
	platform = &xen_pvh_platform;
	/*
	 * Early console: a dom0 may use CONSOLEIO_write (one hypercall per
	 * message); any PVH guest's port 0xe9 bytes show in Xen's log as
	 * "(dN) ..." even in release builds (one exit per byte). Reading
	 * port 0xe9 tells nothing under Xen, so there is no probe.
	 */
	if (xen_is_initdomain)
		xen_console_io_register();
	else
		debugcon_register();
}

void xen_pvh_memmap(struct boot_info *bi)
{
	size_t mark = hcall_mark();
	struct xen_memory_map *mm = hcall_alloc(sizeof(*mm));
	const unsigned int max = 64;
	uint8_t *buf = hcall_alloc(max * 20);
	long rc;

	mm->nr_entries = max;
	set_xen_guest_handle(mm->buffer, buf);
	rc = HYPERVISOR_memory_op(XENMEM_memory_map, mm);
	if (rc < 0)
		panic("xen: XENMEM_memory_map failed (%ld) and the start info "
		      "has no memory map",
		      rc);
	if (mm->nr_entries > max)
		panic("xen: XENMEM_memory_map claims %u entries, room for %u",
		      mm->nr_entries, max);
	for (unsigned int i = 0; i < mm->nr_entries; i++) {
		uint64_t addr, size;
		uint32_t type;

		memcpy(&addr, buf + i * 20, 8);
		memcpy(&size, buf + i * 20 + 8, 8);
		memcpy(&type, buf + i * 20 + 16, 4);
		if (type < MEM_RAM || type > MEM_UNUSABLE)
			type = MEM_RESERVED;
		if (memmap_add(&bi->memmap, addr, size, type) < 0)
			panic("xen: memory map entry %u (0x%llx+0x%llx) is "
			      "invalid or one too many",
			      i, (unsigned long long)addr,
			      (unsigned long long)size);
	}
	memmap_normalize(&bi->memmap);
	hcall_release(mark);
	pr_debug("xen: memory map from XENMEM_memory_map (%u entries)\n",
		 bi->memmap.count);
}

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
		panic("xen: XENMEM_add_to_physmap(shared_info) failed: %ld", rc);
	xen_shared_info = phys_to_virt(page);
	hcall_release(mark);
}

/*
 * Event upcalls on a vector. Xen delivers the per-vCPU vector only while
 * the local APIC is software enabled (lapic_init did that): otherwise
 * events vanish. HVM_PARAM_CALLBACK_IRQ is set to the same vector too:
 * it is the fallback where the per-vCPU op is missing, and setting it is
 * also what makes Xen fill a PVH domU's shared_info wall clock (a guest
 * without a hypercall page is not given one otherwise).
 */
static void set_upcall_vector(void)
{
	size_t mark = hcall_mark();
	struct xen_hvm_evtchn_upcall_vector *v = hcall_alloc(sizeof(*v));
	struct xen_hvm_param *p = hcall_alloc(sizeof(*p));
	long rc, rc_param;

	v->vcpu = 0;
	v->vector = VEC_XEN_UPCALL;
	rc = HYPERVISOR_hvm_op(HVMOP_set_evtchn_upcall_vector, v);
	p->domid = DOMID_SELF;
	p->index = HVM_PARAM_CALLBACK_IRQ;
	p->value = (2ULL << 56) | VEC_XEN_UPCALL; /* type: vector */
	rc_param = HYPERVISOR_hvm_op(HVMOP_set_param, p);
	if (rc < 0 && rc_param < 0)
		panic("xen: no way to receive events: set_evtchn_upcall_vector "
		      "(%ld) and CALLBACK_IRQ (%ld) both failed",
		      rc, rc_param);
	if (rc < 0)
		pr_info("xen: events via HVM_PARAM_CALLBACK_IRQ vector\n");
	hcall_release(mark);
}


/* A domU's console: the PV ring replaces port 0xe9 once it is mapped. */
static void console_ring_init(void)
{
	uint64_t pfn, evtchn;

	if (xen_hvm_get_param(HVM_PARAM_CONSOLE_PFN, &pfn) < 0 || !pfn ||
	    xen_hvm_get_param(HVM_PARAM_CONSOLE_EVTCHN, &evtchn) < 0 ||
	    evtchn >= EVTCHN_MAX) {
		pr_info("xen: no PV console ring; staying on port 0xe9\n");
		return;
	}
	xen_console_ring_register(arch_map_phys(pfn << PAGE_SHIFT, PAGE_SIZE),
				  (unsigned int)evtchn);
	console_unregister(debugcon_console());
}

static void xen_late_init(void)
{
	uint64_t pfn, evtchn;
	int rc;

	if (xen_is_initdomain)
		return; /* Mica as dom0 runs no xenstored of its own */
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

static unsigned long timer_events;

static void timer_virq(unsigned int port, void *arg)
{
	(void)port;
	(void)arg;
	timer_events++; /* waking the idle loop is all it takes */
}

/*
 * `hypercall=page`: ask Xen to fill our hypercall page (its CPUID leaf
 * base+2 names the MSR to write the page's address to) and call through
 * it. Never needed; kept for comparison with the direct instructions.
 */
static void use_hypercall_page(void)
{
	extern char hypercall_page[];
	uint32_t base = xen_cpuid_base();
	uint32_t msr;

	if (!hcall_want_page || !base)
		return;
	msr = cpuid(base + 2, 0).ebx;
	wrmsr(msr, virt_to_phys(hypercall_page));
	if (hypercall_page[0] == 0) {
		printk("xen: hypercall page not filled; staying direct\n");
		return;
	}
	hcall_set_insn(HCALL_PAGE);
	pr_info("xen: hypercalls through the hypercall page (MSR %#x)\n",
		msr);
}

static void xen_time_init(void)
{
	use_hypercall_page();
	if (xen_info_init() < 0)
		panic("xen: XENVER_version failed: hypercalls do not work");
	map_shared_info();
	xen_register_vcpu_info(virt_to_phys);
	xen_register_vcpu_areas(virt_to_phys);
	lapic_init();
	if (evtchn_init() < 0)
		panic("xen: event channels need shared_info and vcpu_info");
	set_upcall_vector();
	xen_clock_init(); /* after CALLBACK_IRQ: see set_upcall_vector */
	if (evtchn_bind_virq(VIRQ_TIMER, timer_virq, NULL) < 0)
		panic("xen: cannot bind VIRQ_TIMER");
	xen_has_virq_timer = true;
	if (!xen_is_initdomain)
		console_ring_init();
	if (gnttab_init() < 0)
		printk("xen: no grant table: grants and PV devices are "
		       "unavailable\n");
	pr_info("clock: Xen PV clock, TSC %llu kHz; wall clock from "
		"shared_info\n",
		(unsigned long long)(tsc_hz / 1000));
}

static void xen_idle(uint64_t deadline_ns)
{
	size_t mark = hcall_mark();
	struct vcpu_set_singleshot_timer *t = hcall_alloc(sizeof(*t));

	if (deadline_ns != UINT64_MAX) {
		t->timeout_abs_ns = xen_deadline_to_system(deadline_ns);
		t->flags = 0; /* a deadline already past fires at once */
		HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, t);
	} else {
		HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL);
	}
	hcall_release(mark);
	safe_halt();
}

/*
 * SCHEDOP_block with interrupts on for the call. "sti; nop" ends the STI
 * shadow before the VMCALL, so an event that arrives during the call
 * counts as deliverable; the upcall vector's handler runs before the
 * call returns to us. An interrupt already pending would be taken at the
 * nop and the block would then sleep past it, so pending ones are taken
 * first, and if one came the call returns without blocking. What is left
 * is an interrupt arriving in the few instructions before the VMCALL.
 */
static long xen_pvh_block(void)
{
	unsigned long before = evtchn_delivered();
	long rc;

	__asm__ volatile("sti; nop; cli" : : : "memory");
	if (evtchn_delivered() != before)
		return 0;
	__asm__ volatile("sti; nop" : : : "memory");
	rc = HYPERVISOR_sched_op(SCHEDOP_block, NULL);
	__asm__ volatile("cli" : : : "memory"); /* Mica runs with IF clear */
	return rc;
}

const struct x86_platform xen_pvh_platform = {
	.name = "Xen PVH",
	.time_init = xen_time_init,
	.monotonic_ns = xen_x86_monotonic_ns,
	.idle = xen_idle,
	.late_init = xen_late_init,
	.sched_block = xen_pvh_block,
	.shutdown = xen_x86_shutdown,
};
