/*
 * Exception vectors (VBAR_EL1): 16 entries of 128 bytes, in four groups
 * of sync, IRQ, FIQ, SError: from EL1 on SP_EL0 (where Mica runs), from
 * EL1 on SP_EL1 (inside a handler), from a lower EL in AArch64, and in
 * AArch32. Every entry pushes a struct trap_frame on the exception stack
 * (SP_EL1) with the entry's number as its kind, and calls
 * trap_dispatch(frame). Only the general registers are saved: kernel C
 * code is built with -mgeneral-regs-only. If trap_dispatch returns (an
 * interrupt, a skipped semihosting call) the frame, possibly changed, is
 * restored and the exception returns.
 */
#define FRAME_SIZE 304
#define F_SP 248
#define F_ELR 256
#define F_ESR 272
#define F_KIND 288

	.macro	ventry kind
	.balign	128
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp]
	mov	x0, #\kind
	b	trap_entry
	.endm

	.text
	.balign	2048
	.global	vectors
vectors:
	ventry	0
	ventry	1
	ventry	2
	ventry	3
	ventry	4
	ventry	5
	ventry	6
	ventry	7
	ventry	8
	ventry	9
	ventry	10
	ventry	11
	ventry	12
	ventry	13
	ventry	14
	ventry	15

trap_entry:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	/* The interrupted stack: SP_EL0 for the first group, else ours. */
	mrs	x1, sp_el0
	add	x2, sp, #FRAME_SIZE
	cmp	x0, #4
	csel	x1, x1, x2, lo
	str	x1, [sp, #F_SP]
	mrs	x1, elr_el1
	mrs	x2, spsr_el1
	stp	x1, x2, [sp, #F_ELR]
	mrs	x1, esr_el1
	mrs	x2, far_el1
	stp	x1, x2, [sp, #F_ESR]
	str	x0, [sp, #F_KIND]
	mov	x0, sp
	bl	trap_dispatch
	ldp	x1, x2, [sp, #F_ELR]
	msr	elr_el1, x1
	msr	spsr_el1, x2
	ldp	x0, x1, [sp]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	add	sp, sp, #FRAME_SIZE
	eret
