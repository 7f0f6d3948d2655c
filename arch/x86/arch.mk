# x86_64: PVH entry; boots on QEMU (and Xen, VMMs speaking PVH).
ARCH_DIR := arch/x86
CROSS :=
ARCH_CFLAGS := -m64 -march=x86-64 -mno-red-zone -mcmodel=small
# Kernel code never touches SSE/x87 registers, so interrupt and exception
# paths need not save them (apps and newlib use SSE freely).
ARCH_KERNEL_CFLAGS := -mgeneral-regs-only
ARCH_SRCS := $(wildcard arch/x86/*.c) $(wildcard arch/x86/*.S)
LINK_SCRIPT := arch/x86/link.ld
QEMU := qemu-system-x86_64
QEMU_MACHINE := -M pc -accel tcg -cpu qemu64 -m 128M
QEMU_DEVICES := -device isa-debug-exit,iobase=0xf4,iosize=0x04
ARCH_DEPS := x86_64
