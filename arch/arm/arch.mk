# arm64: a raw Linux `Image` (QEMU -M virt, Xen dom0less domU); the ELF
# with symbols (mica.dbg.elf) is for gdb.
ARCH_DIR := arch/arm
CROSS := aarch64-linux-gnu-
# The early boot code runs with the MMU off, where every data access is
# Device memory and must be aligned: no unaligned accesses anywhere.
ARCH_CFLAGS := -march=armv8-a -mstrict-align -mcmodel=small
# Kernel code never touches FP/SIMD registers, so exception paths need
# not save them (apps and newlib use them freely).
ARCH_KERNEL_CFLAGS := -mgeneral-regs-only
ARCH_SRCS := $(wildcard arch/arm/*.c) $(wildcard arch/arm/*.S)
LINK_SCRIPT := arch/arm/link.ld
IMAGE_NAME := Image
IMAGE_OBJCOPY_FLAGS := -O binary
QEMU := qemu-system-aarch64
QEMU_MACHINE := -M virt -accel tcg -cpu cortex-a57 -m 128M
# Semihosting carries the exit status out (SYS_EXIT).
QEMU_DEVICES := -semihosting-config enable=on,target=native
ARCH_DEPS := arm64
