/*
 * The reference image for `make bench`: the least a PVH guest can do.
 * Entered in 32-bit protected mode like Mica, it writes one line to the
 * 16550 at 0x3f8 and exits QEMU through isa-debug-exit. No stack, no
 * paging, no long mode.
 */
#include <xen/elfnote.h>

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
1:	mov	$0x3fd, %dx		/* LSR: wait for THR empty */
2:	in	%dx, %al
	test	$0x20, %al
	jz	2b
	mov	$0x3f8, %dx
	lodsb
	test	%al, %al
	jz	3f
	out	%al, %dx
	jmp	1b
3:	mov	$0xf4, %dx		/* isa-debug-exit: status 0 */
	xor	%eax, %eax
	out	%al, %dx
4:	hlt
	jmp	4b

msg:	.asciz "hello from the reference image\r\n"
