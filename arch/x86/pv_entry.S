/*
 * Classic x86_64 PV entry. The same image carries the PVH note (boot.S);
 * Xen's PV domain builder uses these notes instead: it maps the image at
 * its link address (VIRT_BASE 0, so virtual == pseudo-physical for the
 * bootstrap region), and enters xen_pv_start in 64-bit mode, ring 3, with
 * %rsi = start_info and a stack of its own. Events stay masked
 * (vcpu_info.evtchn_upcall_mask) and Mica polls (SCHEDOP_poll), except
 * inside xen_sched_block, where pv_event_callback below takes them.
 */
#include <xen/elfnote.h>
#include <xen/xen.h>

	.macro note type, data:vararg
	.section .note.Xen, "a", @note
	.balign 4
	.long 4, 2f - 1f, \type
	.asciz "Xen"
	.balign 4
1:	\data
2:	.balign 4
	.endm

	note XEN_ELFNOTE_GUEST_OS, .asciz "Mica"
	note XEN_ELFNOTE_GUEST_VERSION, .asciz "1"
	note XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0"
	note XEN_ELFNOTE_LOADER, .asciz "generic"
	note XEN_ELFNOTE_VIRT_BASE, .quad 0
	note XEN_ELFNOTE_PADDR_OFFSET, .quad 0
	note XEN_ELFNOTE_ENTRY, .quad xen_pv_start

	.text
	.code64
	.global xen_pv_start
xen_pv_start:
	cld
	mov	%rsi, %r12		/* start_info, callee-saved */
	mov	%rsp, %r14		/* Xen's stack: in use, keep it */
	rdtsc
	shl	$32, %rdx
	or	%rax, %rdx
	mov	%rdx, %r13
	/* Clear BSS (our stacks and tables live there). */
	mov	$__bss_start, %rdi
	mov	$__bss_end, %rcx
	sub	%rdi, %rcx
	shr	$3, %rcx
	xor	%eax, %eax
	rep stosq
	mov	%r13, boot_entry_tsc
	mov	$boot_stack_top, %rsp
	xor	%ebp, %ebp
	mov	%r12, %rdi
	mov	%r14, %rsi
	call	arch_pv_entry
1:	jmp	1b

/*
 * Exception entry for PV: Xen pushes %rcx and %r11 above the hardware-
 * style frame. Restore them and continue in the common stub for the
 * vector (entry.S), which expects exactly the hardware frame.
 */
	.balign 32
	.global pv_trap_stubs
pv_trap_stubs:
	.set vec, 0
	.rept 32
	.balign 32
	mov	(%rsp), %rcx
	mov	8(%rsp), %r11
	add	$16, %rsp
	jmp	trap_stubs + 16 * vec
	.set vec, vec + 1
	.endr

/*
 * Event callback (CALLBACKTYPE_event). Xen bounces here with upcalls
 * masked, on our current stack (we are always in guest kernel mode):
 * %rcx and %r11 on top, then rip, cs, rflags, rsp, ss, where rflags.IF
 * carries the upcall mask to restore. Take back %rcx and %r11, save the
 * rest of the caller-saved registers (kernel C code touches no vector
 * registers), run the event handlers, and leave with HYPERVISOR_iret.
 * Its frame is struct iret_context: rax, r11, rcx, flags (0: restore
 * them all), then the five words Xen pushed; the hypercall page's iret
 * stub would push the first three, we push them ourselves.
 */
	.balign 16
	.global pv_event_callback
pv_event_callback:
	mov	(%rsp), %rcx
	mov	8(%rsp), %r11
	add	$16, %rsp
	push	%rax
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%r8
	push	%r9
	push	%r10
	push	%r11		/* 14 words below Xen's aligned frame */
	cld
	call	pv_event_upcall
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rax
	pushq	$0		/* flags: not returning from a syscall */
	push	%rcx
	push	%r11
	push	%rax
	mov	$__HYPERVISOR_iret, %eax
	syscall
	ud2			/* HYPERVISOR_iret does not return */
