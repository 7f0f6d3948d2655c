/*
 * PVH entry. The VMM (QEMU -kernel, Xen, Firecracker) finds the entry point
 * in the XEN_ELFNOTE_PHYS32_ENTRY note and starts us in 32-bit protected
 * mode with paging off and %ebx = physical address of hvm_start_info.
 * No stack is given. We clear BSS, build a 4 GiB identity map out of
 * 2 MiB pages, enter long mode and call arch_pvh_entry(start_info).
 */
#include <xen/elfnote.h>

	.section .note.Xen, "a", @note
	.balign 4
	.long 4				/* name size: "Xen\0" */
	.long 4				/* descriptor size */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.balign 4
	.long pvh_start32
	.balign 4

	.section .text.boot, "ax"
	.code32
	.global pvh_start32
pvh_start32:
	cli
	cld
	mov	%ebx, %esi		/* keep the start info address */
	rdtsc				/* entry time, for the boot benchmark */
	mov	%eax, %ebp
	mov	%edx, %ebx

	/* Clear BSS: a loader need not (Xen's PVH loader and ours do). */
	mov	$__bss_start, %edi
	mov	$__bss_end, %ecx
	sub	%edi, %ecx
	shr	$2, %ecx		/* both ends are 8-byte aligned */
	xor	%eax, %eax
	rep stosl
	mov	%ebp, boot_entry_tsc
	mov	%ebx, boot_entry_tsc + 4

	/* 2048 page-directory entries: 4 GiB identity, present+RW+2MiB. */
	mov	$boot_pd, %edi
	mov	$0x83, %eax
	xor	%ecx, %ecx
1:	mov	%eax, (%edi, %ecx, 8)
	movl	$0, 4(%edi, %ecx, 8)
	add	$0x200000, %eax
	inc	%ecx
	cmp	$2048, %ecx
	jne	1b

	/* Four PDPT entries, one PML4 entry. */
	mov	$boot_pdpt, %edi
	lea	boot_pd + 0x3, %eax
	mov	%eax, 0(%edi)
	add	$0x1000, %eax
	mov	%eax, 8(%edi)
	add	$0x1000, %eax
	mov	%eax, 16(%edi)
	add	$0x1000, %eax
	mov	%eax, 24(%edi)
	movl	$boot_pdpt + 0x3, boot_pml4

	/* CR4.PAE, CR3, EFER.LME, then CR0.PG: long mode. */
	mov	%cr4, %eax
	or	$0x20, %eax
	mov	%eax, %cr4
	mov	$boot_pml4, %eax
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx
	rdmsr
	or	$0x100, %eax
	wrmsr
	mov	%cr0, %eax
	or	$0x80000001, %eax
	mov	%eax, %cr0

	lgdt	boot_gdt_ptr
	ljmp	$0x08, $long_mode

	.code64
long_mode:
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	xor	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	mov	$boot_stack_top, %rsp
	xor	%ebp, %ebp
	mov	%esi, %edi		/* zero-extends: start info paddr */
	call	arch_pvh_entry
2:	cli
	hlt
	jmp	2b

	.data
	.balign 16
	.global boot_gdt, boot_gdt_ptr
boot_gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: data */
	.quad	0, 0			/* 0x18: TSS, filled by gdt_init */
boot_gdt_end:
boot_gdt_ptr:
	.word	boot_gdt_end - boot_gdt - 1
	.long	boot_gdt

	.section .bss.boot, "aw", @nobits
	.balign 4096
	.global boot_stack_guard, boot_stack_top
boot_stack_guard:
	.skip	4096
	.skip	32768
boot_stack_top:
boot_pml4:
	.skip	4096
boot_pdpt:
	.skip	4096
boot_pd:
	.skip	4 * 4096
	.global boot_entry_tsc
	.balign 8
boot_entry_tsc:
	.skip	8
