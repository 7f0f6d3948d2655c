/*
 * void arch_switch(void **save_sp, void *next_sp)
 *
 * Cooperative switch: only what the SysV ABI says a callee preserves is
 * saved: rbx, rbp, r12-r15, the MXCSR control bits and the x87 control
 * word. The stack pointer is stored in *save_sp.
 */
	.text
	.global arch_switch
	.type arch_switch, @function
arch_switch:
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	sub	$8, %rsp
	stmxcsr	(%rsp)
	fnstcw	4(%rsp)
	mov	%rsp, (%rdi)
	mov	%rsi, %rsp
	ldmxcsr	(%rsp)
	fldcw	4(%rsp)
	add	$8, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret
	.size arch_switch, . - arch_switch
	.section .note.GNU-stack, "", @progbits
