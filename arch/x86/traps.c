/*
 * Trap dispatch and the fatal exception report: vector and name, error
 * code decoded, registers, the faulting address, and a backtrace with
 * symbol names from the table linked into the image. Then a clean stop
 * with the panic exit status.
 */
#include <mica/backtrace.h>
#include <mica/panic.h>
#include <mica/printk.h>
#include <mica/sched.h>
#include <mica/shutdown.h>
#include <mica/symbols.h>
#include <mica/xen/events.h>
#include <mica/xen/hcall.h>
#include <arch/cpu.h>
#include <arch/pv.h>
#include <arch/x86.h>

static const char *const names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
	"#OF overflow", "#BR bound range", "#UD invalid opcode",
	"#NM device not available", "#DF double fault", "coprocessor overrun",
	"#TS invalid TSS", "#NP segment not present", "#SS stack fault",
	"#GP general protection", "#PF page fault", "reserved",
	"#MF x87 FP error", "#AC alignment check", "#MC machine check",
	"#XM SIMD FP error", "#VE virtualization", "#CP control protection",
};

static bool at_function_entry(uint64_t rip)
{
	uint64_t off;

	return ksym_lookup(kernel_symbols(), rip, &off) && off == 0;
}

static void explain_page_fault(const struct trap_frame *f, uint64_t cr2)
{
	printk("  fault address 0x%016llx (%s %s, %s mode%s)\n",
	       (unsigned long long)cr2, f->error & 1 ? "protection" : "not-present",
	       f->error & 16 ? "instruction fetch"
			     : (f->error & 2 ? "write" : "read"),
	       f->error & 4 ? "user" : "kernel",
	       f->error & 8 ? ", reserved bit set" : "");
	struct thread *t;

	if (cr2 < PAGE_SIZE)
		printk("  (NULL pointer dereference)\n");
	else if ((t = thread_by_stack_guard(cr2)))
		printk("  (stack overflow: thread '%s' ran into the guard page "
		       "under its stack)\n",
		       thread_name(t));
	else if (cr2 >= (uintptr_t)boot_stack_guard &&
		 cr2 < (uintptr_t)boot_stack_guard + PAGE_SIZE)
		printk("  (stack overflow: the boot stack ran into its guard "
		       "page)\n");
}

static void report(const struct trap_frame *f)
{
	uint64_t lo, hi, caller = 0;

	printk("\nmica: FATAL EXCEPTION %s (vector %llu, error code 0x%llx) "
	       "in thread '%s'\n",
	       f->vector < 32 && names[f->vector] ? names[f->vector]
						  : "unknown",
	       (unsigned long long)f->vector, (unsigned long long)f->error,
	       thread_name(thread_self()));
	backtrace_print_addr("  rip ", f->rip);
	if (f->vector == 14)
		explain_page_fault(f, x86_is_pv ? pv_fault_address() : read_cr2());
	printk("  rax %016llx rbx %016llx rcx %016llx rdx %016llx\n"
	       "  rsi %016llx rdi %016llx rbp %016llx rsp %016llx\n"
	       "  r8  %016llx r9  %016llx r10 %016llx r11 %016llx\n"
	       "  r12 %016llx r13 %016llx r14 %016llx r15 %016llx\n"
	       "  cs %04llx ss %04llx rflags %08llx\n",
	       (unsigned long long)f->rax, (unsigned long long)f->rbx,
	       (unsigned long long)f->rcx, (unsigned long long)f->rdx,
	       (unsigned long long)f->rsi, (unsigned long long)f->rdi,
	       (unsigned long long)f->rbp, (unsigned long long)f->rsp,
	       (unsigned long long)f->r8, (unsigned long long)f->r9,
	       (unsigned long long)f->r10, (unsigned long long)f->r11,
	       (unsigned long long)f->r12, (unsigned long long)f->r13,
	       (unsigned long long)f->r14, (unsigned long long)f->r15,
	       (unsigned long long)(f->cs & 0xffff),
	       (unsigned long long)(f->ss & 0xffff),
	       (unsigned long long)f->rflags);
	if (!x86_is_pv) /* control registers are Xen's on PV */
		printk("  cr0 %08llx cr2 %08llx cr3 %08llx cr4 %08llx\n",
		       (unsigned long long)read_cr0(),
		       (unsigned long long)read_cr2(),
		       (unsigned long long)read_cr3(),
		       (unsigned long long)read_cr4());
	backtrace_stack_bounds(f->rsp, &lo, &hi);
	/* A fault on a function's first instruction: it has not pushed its
	 * frame yet, and its return address is still on top of the stack. */
	if (at_function_entry(f->rip) && f->rsp % 8 == 0)
		caller = *(const uint64_t *)f->rsp;
	backtrace_walk(f->rbp, f->rip, caller, lo, hi);
}

void trap_dispatch(struct trap_frame *f)
{
	static int depth;

	if (f->vector == VEC_APIC_TIMER) {
		lapic_eoi();
		return;
	}
	if (f->vector == VEC_XEN_UPCALL) {
		lapic_eoi();
		evtchn_do_upcall();
		return;
	}
	if (f->vector == VEC_SPURIOUS)
		return;
	if (irq_dispatch((unsigned int)f->vector))
		return;
	if (x86_is_pv)
		hcall_note_arch_exception(); /* Xen's frame on our stack */
	if (++depth > 1) {
		printk("\nmica: exception %llu while reporting an exception; "
		       "stopping\n",
		       (unsigned long long)f->vector);
		mica_shutdown(MICA_EXIT_PANIC);
	}
	report(f);
	printk("mica: stopped after a fatal exception\n");
	mica_shutdown(MICA_EXIT_PANIC);
}
