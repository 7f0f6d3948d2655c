/*
 * The reference domU for `make bench ARCH=arm64`: the least a dom0less
 * arm64 guest can do. A raw Linux Image (header, text_offset 0x80000)
 * entered at EL1 with the MMU off: it writes one line to the vpl011's
 * data register (the UART Mica uses under Xen, 0x22000000), then shuts
 * the domain down: SCHEDOP_shutdown (poweroff) by hvc #0xEA1 with the
 * hypercall number in x16. No stack, no MMU, no device tree parsing.
 */
#define UART_DR 0x22000000
#define HYPERVISOR_sched_op 29
#define SCHEDOP_shutdown 2

	.section .text.head, "ax"
	.global _head
_head:
	b	start			/* code0 */
	.long	0			/* code1 */
	.quad	0x80000			/* text_offset */
	.quad	_end - _head		/* image_size */
	.quad	0x2			/* LE, 4 KiB pages */
	.quad	0, 0, 0			/* res2-res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */

start:
	ldr	x1, =UART_DR
	adr	x2, msg
1:	ldrb	w3, [x2], #1
	cbz	w3, 2f
	str	w3, [x1]		/* 32-bit write: all the vpl011 takes */
	b	1b
2:	mov	x0, #SCHEDOP_shutdown
	adr	x1, shutdown_arg	/* MMU off: the address is physical */
	mov	x16, #HYPERVISOR_sched_op
	hvc	#0xea1
3:	wfi				/* not reached: the domain is dead */
	b	3b

	.balign	8
	.ltorg
shutdown_arg:
	.long	0			/* struct sched_shutdown: SHUTDOWN_poweroff */
msg:	.asciz	"hello from the reference image\n"
	.balign	8
	.global _end
_end:
