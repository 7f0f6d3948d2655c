/*
 * Exception dispatch and the fatal exception report: the exception class
 * from ESR_EL1 decoded, the fault address explained (NULL, a stack guard
 * page, W^X), the registers, and a backtrace with symbol names from the
 * table linked into the image. Then a clean stop with the panic status.
 */
#include <mica/backtrace.h>
#include <mica/panic.h>
#include <mica/printk.h>
#include <mica/sched.h>
#include <mica/shutdown.h>
#include <mica/symbols.h>
#include <arch/arm64.h>

#define EC_UNKNOWN 0x00
#define EC_IABT_LOW 0x20
#define EC_IABT 0x21
#define EC_PC_ALIGN 0x22
#define EC_DABT_LOW 0x24
#define EC_DABT 0x25
#define EC_SP_ALIGN 0x26

#define ISS_WNR (1U << 6)
#define ISS_FNV (1U << 10)

static const char *ec_name(unsigned int ec)
{
	switch (ec) {
	case EC_UNKNOWN: return "undefined instruction";
	case 0x01: return "trapped WFI/WFE";
	case 0x07: return "trapped FP/SIMD access";
	case 0x0e: return "illegal execution state";
	case 0x15: return "SVC instruction";
	case 0x16: return "HVC instruction";
	case 0x17: return "SMC instruction";
	case 0x18: return "trapped system register access";
	case EC_IABT_LOW:
	case EC_IABT: return "instruction abort";
	case EC_PC_ALIGN: return "PC alignment fault";
	case EC_DABT_LOW:
	case EC_DABT: return "data abort";
	case EC_SP_ALIGN: return "SP alignment fault";
	case 0x2c: return "floating-point exception";
	case 0x2f: return "SError";
	case 0x30:
	case 0x31: return "breakpoint";
	case 0x32:
	case 0x33: return "software step";
	case 0x34:
	case 0x35: return "watchpoint";
	case 0x3c: return "BRK instruction";
	default: return "unknown exception class";
	}
}

static const char *function_of(uint64_t addr)
{
	uint64_t off;

	return ksym_lookup(kernel_symbols(), addr, &off);
}

static const char *abort_kind(unsigned int fsc, char *buf, size_t len)
{
	static const char *const by_type[4] = {
		"address size fault", "translation fault", "access flag fault",
		"permission fault"
	};

	if (fsc < 0x10)
		mica_snprintf(buf, len, "%s at level %u", by_type[fsc >> 2],
			      fsc & 3);
	else if (fsc == 0x10)
		mica_snprintf(buf, len, "synchronous external abort");
	else if (fsc == 0x21)
		mica_snprintf(buf, len, "alignment fault");
	else if (fsc == 0x30)
		mica_snprintf(buf, len, "TLB conflict abort");
	else
		mica_snprintf(buf, len, "fault status %#x", fsc);
	return buf;
}

static bool in_page(uint64_t addr, const char *page)
{
	return addr >= (uintptr_t)page && addr < (uintptr_t)page + PAGE_SIZE;
}

static void explain_abort(const struct trap_frame *f, unsigned int ec)
{
	uint32_t iss = (uint32_t)(f->esr & 0x1ffffff), fsc = iss & 0x3f;
	bool data = ec == EC_DABT || ec == EC_DABT_LOW;
	bool perm = (fsc & 0x3c) == 0x0c;
	struct thread *t;
	char kind[48];

	printk("  fault address 0x%016llx (%s, %s)\n",
	       (unsigned long long)f->far,
	       data ? (iss & ISS_WNR ? "write" : "read") : "instruction fetch",
	       abort_kind(fsc, kind, sizeof(kind)));
	if (iss & ISS_FNV)
		printk("  (the fault address is not known)\n");
	else if (f->far < PAGE_SIZE)
		printk("  (NULL pointer dereference)\n");
	else if ((t = thread_by_stack_guard(f->far)))
		printk("  (stack overflow: thread '%s' ran into the guard page "
		       "under its stack)\n",
		       thread_name(t));
	else if (in_page(f->far, boot_stack_guard))
		printk("  (stack overflow: the boot stack ran into its guard "
		       "page)\n");
	else if (in_page(f->far, exc_stack_guard))
		printk("  (stack overflow: the exception stack ran into its "
		       "guard page)\n");
	else if (perm && !data)
		printk("  (executing a page that is not executable: W^X)\n");
	else if (perm && (iss & ISS_WNR))
		printk("  (writing a read-only page)\n");
}

static void report(const struct trap_frame *f)
{
	static const char *const types[4] = { "", "IRQ", "FIQ", "SError" };
	static const char *const from[4] = {
		"", " in an exception handler", " from EL0", " from AArch32"
	};
	unsigned int ec = (unsigned int)(f->esr >> 26) & 0x3f;
	uint64_t lo, hi, lr = f->x[30];

	printk("\nmica: FATAL EXCEPTION %s%s (ESR 0x%08llx, EC 0x%02x) in "
	       "thread '%s'\n",
	       f->kind % 4 ? types[f->kind % 4] : ec_name(ec),
	       from[f->kind / 4 % 4], (unsigned long long)f->esr, ec,
	       thread_name(thread_self()));
	backtrace_print_addr("  pc  ", f->elr);
	if (f->kind % 4 == 0) {
		if (ec == EC_DABT || ec == EC_DABT_LOW || ec == EC_IABT ||
		    ec == EC_IABT_LOW || ec == EC_PC_ALIGN)
			explain_abort(f, ec);
		else if (ec == EC_SP_ALIGN)
			printk("  (stack pointer 0x%016llx is not 16-byte "
			       "aligned)\n",
			       (unsigned long long)f->sp);
	}
	for (int i = 0; i < 28; i += 4)
		printk("  x%-2d %016llx x%-2d %016llx x%-2d %016llx x%-2d "
		       "%016llx\n",
		       i, (unsigned long long)f->x[i], i + 1,
		       (unsigned long long)f->x[i + 1], i + 2,
		       (unsigned long long)f->x[i + 2], i + 3,
		       (unsigned long long)f->x[i + 3]);
	printk("  x28 %016llx fp  %016llx lr  %016llx sp  %016llx\n"
	       "  elr %016llx spsr %08llx far %016llx\n"
	       "  sctlr %08llx tcr %016llx ttbr0 %016llx\n",
	       (unsigned long long)f->x[28], (unsigned long long)f->x[29],
	       (unsigned long long)f->x[30], (unsigned long long)f->sp,
	       (unsigned long long)f->elr, (unsigned long long)f->spsr,
	       (unsigned long long)f->far,
	       (unsigned long long)read_sysreg(sctlr_el1),
	       (unsigned long long)read_sysreg(tcr_el1),
	       (unsigned long long)read_sysreg(ttbr0_el1));
	/* The link register names a caller only if it points outside the
	 * faulting function (else it is a return address inside it). */
	if (!function_of(lr) || function_of(lr) == function_of(f->elr))
		lr = 0;
	backtrace_stack_bounds(f->sp, &lo, &hi);
	backtrace_walk(f->x[29], f->elr, lr, lo, hi);
}

void trap_dispatch(struct trap_frame *f)
{
	static int depth;
	unsigned int ec = (unsigned int)(f->esr >> 26) & 0x3f;

	if (f->kind % 4 == 1 && f->kind < 8) {
		gic_handle_irq();
		return;
	}
	/* Semihosting is off in this QEMU: HLT is undefined. Skip it. */
	if (f->kind % 4 == 0 && ec == EC_UNKNOWN &&
	    f->elr == (uintptr_t)semihosting_hlt) {
		f->x[0] = (uint64_t)-1;
		f->elr += 4;
		return;
	}
	if (++depth > 1) {
		printk("\nmica: exception (ESR 0x%08llx at 0x%016llx) while "
		       "reporting an exception; stopping\n",
		       (unsigned long long)f->esr, (unsigned long long)f->elr);
		mica_shutdown(MICA_EXIT_PANIC);
	}
	report(f);
	printk("mica: stopped after a fatal exception\n");
	mica_shutdown(MICA_EXIT_PANIC);
}
