/* Internal interfaces between the x86 arch files. */
#ifndef ARCH_X86_X86_H
#define ARCH_X86_X86_H

#include <mica/bootinfo.h>

#define VEC_APIC_TIMER 0x20
#define VEC_XEN_UPCALL 0xf3
#define VEC_SPURIOUS 0xff

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

void gdt_idt_init(void);
void fpu_init(void);
void consoles_init(void);
bool nx_enabled(void);
void paging_init(const struct boot_info *bi);
int paging_set_present(uintptr_t va, bool present);
void *paging_map_mmio(paddr_t pa, size_t size);
void lapic_init(void);
void lapic_eoi(void);
uint32_t lapic_id(void);
bool irq_dispatch(unsigned int vector);
void lapic_timer_arm(uint64_t ticks);
uint64_t lapic_timer_count(void);
void lapic_timer_calibrate_start(void);
void lapic_timer_calibrate_end(void);
void tsc_init(void);
void rtc_init(void);

extern uint64_t tsc_hz;
extern uint64_t boot_entry_tsc;
extern char _text[], _etext[], _rodata[], _erodata[], _data[], _edata[];
extern char __bss_start[], __bss_end[], _ksyms[], _end[];
extern char boot_stack_guard[], boot_stack_top[];

#endif
