/*
 * Descriptor tables. The GDT from boot.S gets a 64-bit TSS whose IST1
 * stack (with an unmapped guard page below it) is used for double faults,
 * page faults, NMIs and machine checks, so that a stack overflow into a
 * guard page still produces a readable report.
 */
#include <string.h>
#include <mica/types.h>
#include <arch/x86.h>

struct tss {
	uint32_t rsvd0;
	uint64_t rsp[3];
	uint64_t rsvd1;
	uint64_t ist[7];
	uint64_t rsvd2;
	uint16_t rsvd3;
	uint16_t iomap_base;
} __attribute__((packed));

struct idt_entry {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, rsvd;
} __attribute__((packed));

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

extern uint64_t boot_gdt[];
extern char trap_stubs[];

static struct tss tss __attribute__((aligned(64)));
static struct idt_entry idt[256] __attribute__((aligned(16)));
/* Guard page, then the IST stack; the guard is unmapped by paging_init. */
char ist_stack_guard[4096] __attribute__((aligned(4096), section(".bss.ist")));
static char ist_stack[16384] __attribute__((aligned(4096), section(".bss.ist")));

static void set_gate(int vec, int ist)
{
	uint64_t addr = (uintptr_t)trap_stubs + 16 * (uint64_t)vec;

	idt[vec].off_lo = (uint16_t)addr;
	idt[vec].sel = 0x08;
	idt[vec].ist = (uint8_t)ist;
	idt[vec].type = 0x8e; /* present, DPL 0, 64-bit interrupt gate */
	idt[vec].off_mid = (uint16_t)(addr >> 16);
	idt[vec].off_hi = (uint32_t)(addr >> 32);
}

void gdt_idt_init(void)
{
	uint64_t base = (uintptr_t)&tss;
	struct desc_ptr idtr = { sizeof(idt) - 1, (uintptr_t)idt };

	memset(&tss, 0, sizeof(tss));
	tss.ist[0] = (uintptr_t)ist_stack + sizeof(ist_stack);
	tss.iomap_base = sizeof(tss);
	/* 16-byte available 64-bit TSS descriptor at selector 0x18. */
	boot_gdt[3] = (sizeof(tss) - 1) | ((base & 0xffffff) << 16) |
		      (0x89ULL << 40) | (((base >> 24) & 0xff) << 56);
	boot_gdt[4] = base >> 32;
	__asm__ volatile("ltr %w0" : : "r"(0x18));

	for (int v = 0; v < 256; v++)
		set_gate(v, (v == 2 || v == 8 || v == 14 || v == 18) ? 1 : 0);
	__asm__ volatile("lidt %0" : : "m"(idtr));
}
