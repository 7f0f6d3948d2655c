/*
 * The PV reference domU for `make bench` on Xen: the least a classic
 * x86_64 PV guest can do to print a line. Xen's domain builder enters it
 * in 64-bit mode (ring 3) with %rsi = start_info and a stack; it finds
 * its console ring (start_info's machine frame -> pseudo-physical frame
 * through Xen's read-only M2P table -> virtual address), puts one line in
 * the ring, signals the console's event channel and shuts the domain down
 * with SCHEDOP_shutdown(poweroff). Hypercalls by SYSCALL, as the
 * hypercall page would make them; no hypercall page.
 *
 * VIRT_BASE is 2 MiB: the builder maps the boot region from VIRT_BASE up
 * to a 4 MiB boundary and needs that many pages of RAM, so a VIRT_BASE of
 * 0 (as Mica has) needs 4 MiB while this fits in `memory = 2`.
 */
#include <xen/elfnote.h>

#define VIRT_BASE		0x200000
#define M2P			0xffff800000000000	/* MACH2PHYS_VIRT_START */
#define SI_CONSOLE_MFN		72	/* start_info.console.domU.mfn */
#define SI_CONSOLE_EVTCHN	80	/* start_info.console.domU.evtchn */
#define RING_OUT		1024	/* struct xencons_interface: out[2048] */
#define RING_OUT_PROD		3084	/* out_prod */
#define HYPERVISOR_sched_op	29
#define HYPERVISOR_event_channel_op 32
#define EVTCHNOP_send		4
#define SCHEDOP_shutdown	2
#define SHUTDOWN_poweroff	0

	.macro note type, data:vararg
	.section .note.Xen, "a", @note
	.balign 4
	.long 4, 2f - 1f, \type
	.asciz "Xen"
	.balign 4
1:	\data
2:	.balign 4
	.endm

	note XEN_ELFNOTE_GUEST_OS, .asciz "Mica-bench-min"
	note XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0"
	note XEN_ELFNOTE_LOADER, .asciz "generic"
	note XEN_ELFNOTE_VIRT_BASE, .quad VIRT_BASE
	note XEN_ELFNOTE_PADDR_OFFSET, .quad VIRT_BASE
	note XEN_ELFNOTE_ENTRY, .quad start

	.text
	.code64
	.global start
start:
	mov	SI_CONSOLE_EVTCHN(%rsi), %r12d
	mov	SI_CONSOLE_MFN(%rsi), %rax
	movabs	$M2P, %rbx
	mov	(%rbx,%rax,8), %rbx	/* the ring's pseudo-physical frame */
	shl	$12, %rbx
	add	$VIRT_BASE, %rbx	/* its address in the boot mapping */
	mov	RING_OUT_PROD(%rbx), %ecx
	lea	msg(%rip), %rsi
1:	lodsb
	test	%al, %al
	jz	2f
	mov	%ecx, %edx
	and	$2047, %edx
	mov	%al, RING_OUT(%rbx,%rdx)
	inc	%ecx
	jmp	1b
2:	mov	%ecx, RING_OUT_PROD(%rbx) /* x86 keeps the stores in order */

	push	%r12			/* struct evtchn_send { port } */
	mov	$HYPERVISOR_event_channel_op, %eax
	mov	$EVTCHNOP_send, %edi
	mov	%rsp, %rsi
	syscall

	push	$SHUTDOWN_poweroff	/* struct sched_shutdown { reason } */
	mov	$HYPERVISOR_sched_op, %eax
	mov	$SCHEDOP_shutdown, %edi
	mov	%rsp, %rsi
	syscall
3:	jmp	3b			/* not reached */

msg:	.asciz "hello from the minimal Xen PV image\n"
