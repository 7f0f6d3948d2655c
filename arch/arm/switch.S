/*
 * void arch_switch(void **save_sp, void *next_sp)
 *
 * Cooperative switch: only what AAPCS64 says a callee preserves is saved:
 * x19-x29, the link register, the low halves of v8-v15 (d8-d15), and the
 * FP control and status registers (FPCR, FPSR). The stack pointer is
 * stored in *save_sp. 176 bytes, a multiple of 16 as SP requires.
 */
	.text
	.global arch_switch
	.type arch_switch, %function
arch_switch:
	sub	sp, sp, #176
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	stp	d8, d9, [sp, #96]
	stp	d10, d11, [sp, #112]
	stp	d12, d13, [sp, #128]
	stp	d14, d15, [sp, #144]
	mrs	x9, fpcr
	mrs	x10, fpsr
	stp	x9, x10, [sp, #160]
	mov	x9, sp
	str	x9, [x0]
	mov	sp, x1
	ldp	x9, x10, [sp, #160]
	msr	fpcr, x9
	msr	fpsr, x10
	ldp	d14, d15, [sp, #144]
	ldp	d12, d13, [sp, #128]
	ldp	d10, d11, [sp, #112]
	ldp	d8, d9, [sp, #96]
	ldp	x29, x30, [sp, #80]
	ldp	x27, x28, [sp, #64]
	ldp	x25, x26, [sp, #48]
	ldp	x23, x24, [sp, #32]
	ldp	x21, x22, [sp, #16]
	ldp	x19, x20, [sp, #0]
	add	sp, sp, #176
	ret
	.size arch_switch, . - arch_switch

/*
 * A new thread's first switch returns here (arch_thread_stack_init put
 * the entry in x19): a zero frame pointer and link register end every
 * backtrace at the thread's first function.
 */
	.global thread_start
	.type thread_start, %function
thread_start:
	mov	x29, xzr
	mov	x30, xzr
	br	x19
	.size thread_start, . - thread_start

/*
 * long semihosting_call(unsigned long op, const void *arg)
 *
 * The Arm semihosting trap (A64: HLT #0xF000, operation in w0, argument
 * block in x1, result in x0). QEMU with -semihosting-config enable=on
 * handles it; without, HLT is an undefined instruction and trap_dispatch
 * resumes after it with -1 in x0 (it knows this address).
 */
	.global semihosting_call, semihosting_hlt
	.type semihosting_call, %function
semihosting_call:
semihosting_hlt:
	hlt	#0xf000
	ret
	.size semihosting_call, . - semihosting_call
	.section .note.GNU-stack, "", %progbits
