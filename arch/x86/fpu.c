/*
 * FPU and SSE: on before any newlib or app code runs (the x86-64 ABI
 * passes doubles in SSE registers). Kernel C code is built with
 * -mgeneral-regs-only, so interrupts need not save this state; the
 * context switch keeps the ABI's callee-saved control words.
 */
#include <arch/cpu.h>
#include <arch/pv.h>
#include <arch/x86.h>

void fpu_init(void)
{
	uint32_t mxcsr = 0x1f80;

	/* A PV guest cannot touch CR0/CR4: Xen sets them up for it. */
	if (!x86_is_pv) {
		write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
		write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	}
	__asm__ volatile("fninit; ldmxcsr %0" : : "m"(mxcsr));
}
