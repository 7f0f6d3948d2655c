/*
 * Trap dispatch and the fatal exception report: vector and name, error
 * code decoded, registers, the faulting address, and a backtrace with
 * symbol names from the table linked into the image. Then a clean stop
 * with the panic exit status.
 */
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

static void print_addr(const char *prefix, uint64_t addr)
{
	uint64_t off;
	const char *name = ksym_lookup(kernel_symbols(), addr, &off);

	if (name)
		printk("%s0x%016llx <%s+0x%llx>\n", prefix,
		       (unsigned long long)addr, name, (unsigned long long)off);
	else
		printk("%s0x%016llx\n", prefix, (unsigned long long)addr);
}

/*
 * Walk the frame-pointer chain. Each frame is [saved rbp][return address];
 * frames must lie inside [stack_lo, stack_hi) and move up the stack, so a
 * corrupt chain ends the walk instead of faulting again.
 */
void backtrace_from(uint64_t rbp, uint64_t rip, uint64_t caller,
		    uint64_t stack_lo, uint64_t stack_hi)
{
	uint64_t last = 0, repeats = 0;
	int depth = 1;

	printk("backtrace:\n");
	print_addr("  #0  ", rip);
	if (caller)
		print_addr("  #1  ", caller);
	for (depth += caller != 0; depth < 64; depth++) {
		const uint64_t *frame = (const uint64_t *)rbp;

		if (rbp < stack_lo || rbp + 16 > stack_hi || rbp % 8)
			break;
		if (frame[1] == 0)
			break;
		if (frame[1] == last) {
			repeats++; /* deep recursion: one line, not 60 */
		} else {
			if (repeats)
				printk("  ... the same frame %llu more times\n",
				       (unsigned long long)repeats);
			repeats = 0;
			printk("  #%-2d ", depth);
			print_addr("", frame[1]);
		}
		last = frame[1];
		if (frame[0] <= rbp)
			break;
		rbp = frame[0];
	}
	if (repeats)
		printk("  ... the same frame %llu more times\n",
		       (unsigned long long)repeats);
}

/* Where frames of the stack holding @sp may be: the walk also stops at
 * the zero return address every thread's first frame has. */
static void stack_bounds(uint64_t sp, uint64_t *lo, uint64_t *hi)
{
	*lo = ALIGN_DOWN(sp, PAGE_SIZE);
	*hi = *lo + (1UL << 20);
}

/* Backtrace of our caller: start at its frame, not ours. */
void arch_backtrace(void)
{
	const uint64_t *own = __builtin_frame_address(0);
	uint64_t lo, hi;

	stack_bounds((uintptr_t)own, &lo, &hi);
	backtrace_from(own[0], own[1], 0, lo, hi);
}

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
	print_addr("  rip ", f->rip);
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
	stack_bounds(f->rsp, &lo, &hi);
	/* A fault on a function's first instruction: it has not pushed its
	 * frame yet, and its return address is still on top of the stack. */
	if (at_function_entry(f->rip) && f->rsp % 8 == 0)
		caller = *(const uint64_t *)f->rsp;
	backtrace_from(f->rbp, f->rip, caller, lo, hi);
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
