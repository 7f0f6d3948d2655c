/*
 * The reference domU for `make bench` on Xen: the least a PVH guest can
 * do. Entered in 32-bit protected mode with paging off (like Mica), it
 * writes one line to port 0xe9 (Xen logs it as "(dN) ...") and shuts the
 * domain down with SCHEDOP_shutdown(poweroff). No hypercall page: the
 * hypercall is VMMCALL on AMD and Hygon CPUs, VMCALL on the others, chosen
 * from the CPUID vendor. No stack, no paging, no long mode.
 */
#include <xen/elfnote.h>

#define HYPERVISOR_sched_op	29	/* xen/xen.h */
#define SCHEDOP_shutdown	2	/* xen/sched.h */
#define SHUTDOWN_poweroff	0

	.section .note.Xen, "a", @note
	.balign 4
	.long 4, 4, XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.balign 4
	.long start
	.balign 4

	.text
	.code32
	.global start
start:
	mov	$msg, %esi
	mov	$0xe9, %dx
1:	lodsb
	test	%al, %al
	jz	2f
	out	%al, %dx
	jmp	1b

2:	xor	%eax, %eax		/* CPUID 0: vendor in ebx, edx, ecx */
	cpuid
	mov	%ebx, %edi		/* the vendor's first four letters */
	mov	$HYPERVISOR_sched_op, %eax	/* 32-bit ABI: ebx, ecx, ... */
	mov	$SCHEDOP_shutdown, %ebx
	mov	$shutdown_arg, %ecx
	cmp	$0x68747541, %edi	/* "Auth"enticAMD */
	je	3f
	cmp	$0x6f677948, %edi	/* "Hygo"nGenuine */
	je	3f
	vmcall
	jmp	4f
3:	vmmcall
4:	hlt				/* not reached */
	jmp	4b

	.balign 4
shutdown_arg:
	.long	SHUTDOWN_poweroff	/* struct sched_shutdown */
msg:	.asciz "hello from the minimal Xen PVH image\n"
