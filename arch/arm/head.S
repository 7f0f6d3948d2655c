/*
 * arm64 entry: the Linux Image header (Documentation/arm64/booting.rst),
 * then everything that must happen with the MMU off, in assembly: leave
 * EL2 if started there, move the symbol table to its run address, clear
 * BSS, build a boot identity map, turn on the MMU and caches, set up the
 * two stacks and the vectors, and call arch_arm_entry().
 *
 * The loader (QEMU -kernel, Xen's dom0less builder) enters here at EL1 or
 * EL2 with the MMU and data cache off, x0 = physical address of the DTB,
 * x1-x3 = 0; arch_arm_entry also learns the exception level we came in
 * at. With the MMU off every data access is Device memory: only aligned
 * accesses, no DC ZVA, no FP/SIMD until CPACR allows it.
 */
#include <arch/sysregs.h>

	.section .text.head, "ax"
	.global _head
_head:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0x80000			/* text_offset (from 2 MiB base) */
	.quad	_end - _head		/* image_size, BSS and all */
	.quad	0x2			/* LE, 4 KiB pages, low in RAM */
	.quad	0			/* res2 */
	.quad	0			/* res3 */
	.quad	0			/* res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5: no PE/COFF header */

	.section .text.boot, "ax"
primary_entry:
	mov	x21, x0			/* DTB physical address */
	mrs	x0, CurrentEL
	lsr	x23, x0, #2		/* entry EL, for the report */
	cmp	x0, #(2 << 2)
	b.ne	1f
	bl	leave_el2
1:	msr	daifset, #0xf		/* masked until arch_idle */
	mrs	x22, cntvct_el0		/* entry time, for the report */

	/*
	 * The image is not position independent: stop if the loader put it
	 * somewhere else than where it was linked (RAM not at 0x40000000).
	 * Nothing can be printed yet, so the stop is silent.
	 */
	adr	x0, _head
	ldr	x1, =_head
	cmp	x0, x1
	b.ne	wrong_place

	/* FP/SIMD on for newlib and the app; kernel C never uses it. */
	mov	x0, #CPACR_FPEN
	msr	cpacr_el1, x0
	isb

	/*
	 * Invalidate the data cache over everything written below with the
	 * MMU off (BSS, the symbol table's run address): a stale dirty line
	 * left by a previous owner of this memory could otherwise be written
	 * back over it later. Again once written, so that the first cached
	 * reads see memory rather than stale clean lines.
	 */
	bl	inval_bss

	/* The symbol table: from its load address (right after .data in
	 * the Image) up to its run address after BSS. It may overlap its
	 * old place, so copy from the top down. */
	ldr	x0, =ksyms_lma
	ldr	x1, =_ksyms
	ldr	x2, =ksyms_end
	sub	x2, x2, x1
	add	x2, x2, #7
	and	x2, x2, #~7
2:	cbz	x2, 3f
	sub	x2, x2, #8
	ldr	x3, [x0, x2]
	str	x3, [x1, x2]
	b	2b

	/* BSS: a loader copies only the file's bytes (Xen does). */
3:	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
4:	cmp	x0, x1
	b.hs	5f
	stp	xzr, xzr, [x0], #16
	b	4b
5:
	/*
	 * The boot identity map, one level-1 table of 1 GiB blocks: 0-1 GiB
	 * Device memory (where QEMU's virt machine and Xen put the UART and
	 * the GIC), 1-4 GiB Normal write-back memory, read/write/execute.
	 * Entries are non-global with ASID 0, so that the final tables (ASID
	 * 1) never meet them in the TLB: see paging.c.
	 */
	ldr	x0, =boot_l0
	ldr	x1, =boot_l1
	orr	x2, x1, #PTE_TABLE
	str	x2, [x0]
	ldr	x2, =(PTE_BLOCK | PTE_DEVICE)
	str	x2, [x1]
	ldr	x2, =(PTE_BLOCK | PTE_NORMAL | (1 << 30))
	mov	x3, #(1 << 30)
	str	x2, [x1, #8]
	add	x2, x2, x3
	str	x2, [x1, #16]
	add	x2, x2, x3
	str	x2, [x1, #24]
	bl	inval_bss

	/*
	 * Turn on the MMU: memory types, translation control (IPS from the
	 * CPU's physical address size, at most 48 bits), the table; forget
	 * any TLB entries a previous owner left; then M, C and I at once.
	 * The next instruction is fetched through the identity map, so
	 * execution simply carries on.
	 */
	ldr	x0, =MAIR_VALUE
	msr	mair_el1, x0
	ldr	x0, =TCR_VALUE
	mrs	x1, id_aa64mmfr0_el1
	and	x1, x1, #0xf		/* PARange */
	cmp	x1, #5
	mov	x2, #5
	csel	x1, x1, x2, ls
	bfi	x0, x1, #TCR_IPS_SHIFT, #3
	msr	tcr_el1, x0
	ldr	x0, =boot_l0		/* ASID 0 */
	msr	ttbr0_el1, x0
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	ldr	x0, =SCTLR_MMU_ON
	msr	sctlr_el1, x0
	isb
	ic	iallu			/* no stale instructions */
	dsb	nsh
	isb

	/*
	 * Two stacks. Mica runs at EL1 on SP_EL0 ("EL1t"); an exception
	 * switches to SP_EL1, a stack of its own with a guard page below,
	 * so that a thread that overflows into its guard page still gets a
	 * readable report instead of faulting again on the same stack.
	 */
	msr	spsel, #1
	ldr	x0, =exc_stack_top
	mov	sp, x0
	msr	spsel, #0
	ldr	x0, =boot_stack_top
	mov	sp, x0
	ldr	x0, =vectors
	msr	vbar_el1, x0
	isb

	mov	x29, xzr		/* ends backtraces */
	mov	x30, xzr
	mov	x0, x21
	mov	x1, x22
	mov	x2, x23
	bl	arch_arm_entry
8:	wfi				/* not reached */
	b	8b
wrong_place:
	wfi
	b	wrong_place

/* dc ivac over [__bss_start, _end), by the CPU's smallest line size. */
inval_bss:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4		/* DminLine: log2(words) */
	mov	x2, #4
	lsl	x2, x2, x3		/* bytes */
	ldr	x0, =__bss_start
	ldr	x1, =_end
	sub	x3, x2, #1
	bic	x0, x0, x3
6:	dc	ivac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	6b
	dsb	sy
	ret

/*
 * Started at EL2 (QEMU -M virt,virtualization=on, no hypervisor): give EL1
 * an AArch64, untrapped machine (counter and timer, FP/SIMD, the GICv3
 * system registers, its real CPU IDs) and drop to EL1h with everything
 * masked, returning to the caller there.
 */
leave_el2:
	mov	x0, #HCR_RW
	msr	hcr_el2, x0
	mrs	x0, cnthctl_el2
	orr	x0, x0, #3		/* EL1PCTEN | EL1PCEN */
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr
	mrs	x0, midr_el1
	msr	vpidr_el2, x0
	mrs	x0, mpidr_el1
	msr	vmpidr_el2, x0
	mov	x0, #0x33ff		/* CPTR_EL2: RES1, no traps */
	msr	cptr_el2, x0
	msr	hstr_el2, xzr
	mrs	x0, id_aa64pfr0_el1
	ubfx	x0, x0, #24, #4		/* GIC system registers? */
	cbz	x0, 7f
	mrs	x0, ICC_SRE_EL2
	orr	x0, x0, #0x1		/* SRE */
	orr	x0, x0, #0x8		/* Enable: EL1 may use SRE */
	msr	ICC_SRE_EL2, x0
	isb
7:	ldr	x0, =SCTLR_MMU_OFF
	msr	sctlr_el1, x0
	mov	x0, #SPSR_EL1H_MASKED
	msr	spsr_el2, x0
	msr	elr_el2, x30
	eret

	.ltorg

	.section .bss.boot, "aw", @nobits
	.balign 4096
	.global boot_l0, boot_l1
boot_l0:
	.skip	4096
boot_l1:
	.skip	4096
	.global boot_stack_guard, boot_stack_top
boot_stack_guard:
	.skip	4096
	.skip	BOOT_STACK_SIZE
boot_stack_top:
	.global exc_stack_guard, exc_stack_top
exc_stack_guard:
	.skip	4096
	.skip	EXC_STACK_SIZE
exc_stack_top:
