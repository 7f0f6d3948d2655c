/*
 * Mica as a classic x86_64 PV guest (dom0 or domU): from xen_pv_start
 * (pv_entry.S) to start_kernel. Differences from PVH: SYSCALL for
 * hypercalls, a trap table instead of an IDT, the start_info page, the
 * P2M list and the M2P table (found with XENMEM_machphys_mapping), page
 * tables changed only through Xen, events polled with SCHEDOP_poll
 * (upcalls stay masked except inside xen_sched_block, where the event
 * callback in pv_entry.S takes them), and no port I/O.
 */
#include <string.h>
#include <mica/bootinfo.h>
#include <mica/console.h>
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
#include <arch/hypercall.h>
#include <arch/platform.h>
#include <arch/pv.h>
#include <arch/x86.h>
#include <arch/xen.h>
#include <xen/callback.h>

void pv_mm_init(const start_info_t *si, uint64_t xen_rsp,
		struct boot_info *bi);
void pv_protect_kernel(void);
extern char pv_trap_stubs[];
extern const struct x86_platform xen_pv_platform;
extern const struct xen_mapping_ops pv_mapping_ops;

long HYPERVISOR_set_trap_table(trap_info_t *table);
long HYPERVISOR_callback_op(int cmd, void *arg);
extern char pv_event_callback[];

static struct boot_info boot_info;
static const start_info_t *start;
static char shared_info_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static void set_trap_table(void)
{
	size_t mark = hcall_mark();
	trap_info_t *t = hcall_alloc(21 * sizeof(*t)); /* zero-terminated */
	long rc;

	for (unsigned int v = 0; v < 20; v++) {
		t[v].vector = (uint8_t)v;
		t[v].flags = (v == 3 || v == 4) ? 3 : 0; /* int3/into */
		t[v].cs = FLAT_KERNEL_CS;
		t[v].address = (uintptr_t)pv_trap_stubs + 32 * v;
	}
	rc = HYPERVISOR_set_trap_table(t);
	hcall_release(mark);
	if (rc < 0)
		panic("PV: set_trap_table failed: %ld", rc);
}

/*
 * The event callback: Xen enters it (upcalls masked) when it finds an
 * event pending while vcpu_info's upcall mask is clear, which Mica only
 * lets happen inside SCHEDOP_block (pv_block). Without a callback such
 * a delivery would crash the domain.
 */
static void register_event_callback(void)
{
	size_t mark = hcall_mark();
	struct callback_register *cb = hcall_alloc(sizeof(*cb));
	long rc;

	cb->type = CALLBACKTYPE_event;
	cb->flags = CALLBACKF_mask_events;
	cb->address = (uintptr_t)pv_event_callback;
	rc = HYPERVISOR_callback_op(CALLBACKOP_register, cb);
	hcall_release(mark);
	if (rc < 0)
		panic("PV: registering the event callback failed: %ld", rc);
}

/* Called from pv_event_callback on the interrupted stack. */
void pv_event_upcall(void)
{
	hcall_note_arch_exception(); /* Xen's frame on our stack */
	evtchn_do_upcall();
}

/*
 * SCHEDOP_block unmasks upcalls itself (Xen's vcpu_block_enable_events);
 * a pending event is delivered through the callback before the call
 * returns. HYPERVISOR_iret then restores the mask from the frame (clear),
 * so mask again here: the rest of Mica polls.
 */
static long pv_block(void)
{
	unsigned long before = evtchn_delivered();
	long rc;

	/* What polling left pending would end the block at once: run it
	 * now. If that was something new, it may be the very wake-up the
	 * caller waits for, so return instead of sleeping past it. */
	evtchn_do_upcall();
	if (evtchn_delivered() != before)
		return 0;
	rc = HYPERVISOR_sched_op(SCHEDOP_block, NULL);

	__atomic_store_n(&xen_vcpu_info->evtchn_upcall_mask, 1,
			 __ATOMIC_SEQ_CST);
	evtchn_do_upcall(); /* one that came after the iret */
	return rc;
}

static void find_m2p(void)
{
	size_t mark = hcall_mark();
	struct xen_machphys_mapping *m = hcall_alloc(sizeof(*m));
	long rc = HYPERVISOR_memory_op(XENMEM_machphys_mapping, m);

	m2p_setup(&pv_m2p, rc, m->v_start, m->max_mfn, HYPERVISOR_VIRT_START);
	hcall_release(mark);
}

/* A machine frame that is ours: its pfn (and so its virtual address). */
static void *mfn_to_virt(uint64_t mfn)
{
	uint64_t pfn;

	if (m2p_lookup(&pv_m2p, mfn, &pfn) < 0 || pfn >= pv_p2m.nr_pages)
		return NULL;
	return (void *)(uintptr_t)(pfn << PAGE_SHIFT);
}

static void copy_cmdline(struct boot_info *bi)
{
	size_t n = strnlen((const char *)start->cmd_line, MAX_GUEST_CMDLINE);

	if (n == MAX_GUEST_CMDLINE) {
		printk("mica: command line is not NUL-terminated within %d "
		       "bytes\n",
		       MAX_GUEST_CMDLINE);
		xen_x86_shutdown(MICA_EXIT_PANIC);
	}
	memcpy(bi->cmdline, start->cmd_line, n + 1);
	bi->cmdline_len = n;
}

void arch_pv_entry(const start_info_t *si, uint64_t xen_rsp)
{
	void *ring;

	start = si;
	x86_is_pv = true;
	platform = &xen_pv_platform;
	hcall_set_insn(HCALL_SYSCALL);
	hcall_arena_init();
	xen_is_initdomain = si->flags & SIF_INITDOMAIN;
	fpu_init();
	if (xen_is_initdomain)
		xen_console_io_register();
	set_trap_table();
	pv_p2m.mfns = (const uint64_t *)si->mfn_list;
	pv_p2m.nr_pages = si->nr_pages;
	find_m2p();
	if (!xen_is_initdomain) {
		ring = mfn_to_virt(si->console.domU.mfn);
		if (ring && si->console.domU.evtchn < EVTCHN_MAX)
			xen_console_ring_register(ring,
						  si->console.domU.evtchn);
	}
	if (strncmp(si->magic, "xen-3.0-x86_64", 14) != 0)
		printk("PV: unexpected start_info magic '%.32s'\n", si->magic);
	boot_info.entry_tsc = boot_entry_tsc;
	boot_info.platform = "Xen";
	boot_info.protocol = "PV";
	copy_cmdline(&boot_info);
	pv_mm_init(si, xen_rsp, &boot_info);
	pv_protect_kernel(); /* before any page is remapped to Xen's */
	start_kernel(&boot_info);
}

static paddr_t machine_addr(const void *va)
{
	uint64_t mfn;

	if (p2m_lookup(&pv_p2m, (uintptr_t)va >> PAGE_SHIFT, &mfn) < 0)
		panic("PV: %p has no machine frame", va);
	return (mfn << PAGE_SHIFT) | ((uintptr_t)va & (PAGE_SIZE - 1));
}

static void timer_virq(unsigned int port, void *arg)
{
	(void)port;
	(void)arg; /* the wake-up is the point */
}

static void pv_time_init(void)
{
	if (xen_info_init() < 0)
		panic("xen: XENVER_version failed: hypercalls do not work");
	pr_info("xen: PV, M2P at %#llx from %s, max_mfn %#llx\n",
		(unsigned long long)(uintptr_t)pv_m2p.table, pv_m2p.source,
		(unsigned long long)pv_m2p.max_mfn);
	/* shared_info is Xen's page: map it over a page of our own. */
	if (pv_map_page((uintptr_t)shared_info_page,
			start->shared_info >> PAGE_SHIFT,
			0x1 | 0x2 | 0x4 | 0x20 | 0x40))
		panic("PV: cannot map shared_info");
	xen_shared_info = (struct shared_info *)shared_info_page;
	xen_register_vcpu_info(machine_addr);
	xen_register_vcpu_areas(machine_addr);
	xen_clock_init();
	if (evtchn_init() < 0)
		panic("xen: event channels need shared_info and vcpu_info");
	xen_vcpu_info->evtchn_upcall_mask = 1; /* polled (but see pv_block) */
	register_event_callback();
	if (evtchn_bind_virq(VIRQ_TIMER, timer_virq, NULL) < 0)
		panic("xen: cannot bind VIRQ_TIMER");
	xen_has_virq_timer = true;
	xen_mapping = &pv_mapping_ops;
	if (gnttab_init() < 0)
		printk("xen: no grant table: grants and PV devices are "
		       "unavailable\n");
	pr_info("clock: Xen PV clock, TSC %llu kHz; events polled\n",
		(unsigned long long)(tsc_hz / 1000));
}

/*
 * Sleep in Xen until one of our ports is pending: the deadline arrives
 * as VIRQ_TIMER from the single-shot timer, like on PVH (the poll's own
 * timeout is the same deadline, a safety net). Then run the handlers.
 */
static void pv_idle(uint64_t deadline_ns)
{
	size_t mark = hcall_mark();
	struct sched_poll *p = hcall_alloc(sizeof(*p));
	struct vcpu_set_singleshot_timer *t = hcall_alloc(sizeof(*t));
	evtchn_port_t *ports = hcall_alloc(64 * sizeof(*ports));
	unsigned int n = evtchn_bound_ports(ports, 64);

	if (deadline_ns != UINT64_MAX) {
		t->timeout_abs_ns = xen_deadline_to_system(deadline_ns);
		HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, t);
	}
	set_xen_guest_handle(p->ports, ports);
	p->nr_ports = n;
	p->timeout = deadline_ns == UINT64_MAX
			     ? 0
			     : xen_deadline_to_system(deadline_ns);
	HYPERVISOR_sched_op(SCHEDOP_poll, p);
	hcall_release(mark);
	evtchn_do_upcall();
}

static void pv_late_init(void)
{
	void *ring;

	if (xen_is_initdomain)
		return;
	ring = mfn_to_virt(start->store_mfn);
	if (!ring || start->store_evtchn >= EVTCHN_MAX) {
		pr_info("xen: no xenstore\n");
		return;
	}
	if (xenstore_init(ring, start->store_evtchn) == 0)
		xen_control_init();
}

const struct x86_platform xen_pv_platform = {
	.name = "Xen PV",
	.time_init = pv_time_init,
	.monotonic_ns = xen_x86_monotonic_ns,
	.idle = pv_idle,
	.late_init = pv_late_init,
	.sched_block = pv_block,
	.shutdown = xen_x86_shutdown,
};

long HYPERVISOR_callback_op(int cmd, void *arg)
{
	hcall_audit(__HYPERVISOR_callback_op, (unsigned long)cmd, arg, 0);
	return arch_hypercall(__HYPERVISOR_callback_op, (uintptr_t)cmd,
			      (uintptr_t)arg, 0, 0, 0);
}

long HYPERVISOR_set_trap_table(trap_info_t *table)
{
	hcall_audit(__HYPERVISOR_set_trap_table, 0, table, 0);
	return arch_hypercall(__HYPERVISOR_set_trap_table, (uintptr_t)table,
			      0, 0, 0, 0);
}
