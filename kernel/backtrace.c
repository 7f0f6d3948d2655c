/*
 * Backtraces, for both architectures: their frame records have the same
 * shape (x86-64 with frame pointers: [saved rbp][return address]; arm64:
 * [saved x29][saved x30]), and the symbol table is the one the build
 * links into the image.
 */
#include <mica/arch.h>
#include <mica/backtrace.h>
#include <mica/printk.h>
#include <mica/symbols.h>

void backtrace_print_addr(const char *prefix, uint64_t addr)
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
 * Walk the frame records: the frame pointer points at [caller's frame
 * pointer][return address], so each record gives the return address into the next caller. @lr, if
 * not 0, is the caller's return address at the fault (the link register on arm64,
 * the top of the stack at a function's first instruction on x86), printed second: it is the
 * only trace of a caller whose callee has not stored a record (a leaf
 * function, or a fault in a prologue). Records must lie inside
 * [@stack_lo, @stack_hi) and move up the stack, so a corrupt chain ends
 * the walk instead of faulting again.
 */
void backtrace_walk(uint64_t fp, uint64_t pc, uint64_t lr, uint64_t stack_lo,
		    uint64_t stack_hi)
{
	uint64_t last = 0, repeats = 0;
	int depth = 1;

	printk("backtrace:\n");
	backtrace_print_addr("  #0  ", pc);
	if (lr) {
		backtrace_print_addr("  #1  ", lr);
		depth++;
	}
	for (; depth < 64; depth++) {
		const uint64_t *frame = (const uint64_t *)fp;
		uint64_t ret;

		if (fp < stack_lo || fp + 16 > stack_hi || fp % 8)
			break;
		ret = frame[1];
		if (ret == 0)
			break;
		if (ret == lr) {
			depth--; /* the same caller, already shown */
		} else if (ret == last) {
			repeats++; /* deep recursion: one line, not 60 */
		} else {
			if (repeats)
				printk("  ... the same frame %llu more times\n",
				       (unsigned long long)repeats);
			repeats = 0;
			printk("  #%-2d ", depth);
			backtrace_print_addr("", ret);
		}
		last = ret;
		lr = 0; /* only the first record can repeat it */
		if (frame[0] <= fp)
			break;
		fp = frame[0];
	}
	if (repeats)
		printk("  ... the same frame %llu more times\n",
		       (unsigned long long)repeats);
}

/* Where records of the stack holding @sp may be: the walk also stops at
 * the zero return address every thread's first record has. */
void backtrace_stack_bounds(uint64_t sp, uint64_t *lo, uint64_t *hi)
{
	*lo = ALIGN_DOWN(sp, PAGE_SIZE);
	*hi = *lo + (1UL << 20);
}

/* Backtrace of our caller: start at its record, not ours. */
void arch_backtrace(void)
{
	const uint64_t *own = __builtin_frame_address(0);
	uint64_t lo, hi;

	backtrace_stack_bounds((uintptr_t)own, &lo, &hi);
	backtrace_walk(own[0], own[1], 0, lo, hi);
}

