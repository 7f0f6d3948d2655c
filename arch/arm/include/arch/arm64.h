/* Internal interfaces between the arm64 arch files. */
#ifndef ARCH_ARM_ARM64_H
#define ARCH_ARM_ARM64_H

#include <mica/bootinfo.h>
#include <mica/devtree.h>
#include <arch/sysregs.h>

#define read_sysreg(r)                                                         \
	({                                                                     \
		uint64_t __v;                                                  \
		__asm__ volatile("mrs %0, " #r : "=r"(__v));                   \
		__v;                                                           \
	})
#define write_sysreg(r, v)                                                     \
	__asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")
/* Expands a register name given as a macro (ICC_*) before stringizing. */
#define read_sysreg_s(r) read_sysreg(r)
#define write_sysreg_s(r, v) write_sysreg(r, v)

static inline void isb(void)
{
	__asm__ volatile("isb" : : : "memory");
}

/*
 * MMIO: one plain, aligned load or store of the given width, written out
 * so the compiler cannot merge, split or use a writeback form. Under Xen,
 * emulated registers (the vpl011, the vGIC) are decoded from the fault
 * syndrome, which only simple loads and stores fill in.
 */
static inline uint32_t mmio_read32(uintptr_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

static inline uint64_t mmio_read64(uintptr_t addr)
{
	uint64_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write64(uintptr_t addr, uint64_t v)
{
	__asm__ volatile("str %x0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

/* What an exception entry (vectors.S) saves. */
struct trap_frame {
	uint64_t x[31];		/* x0-x30 (x29 frame pointer, x30 lr) */
	uint64_t sp;		/* the interrupted stack pointer */
	uint64_t elr, spsr, esr, far;
	uint64_t kind;		/* vector number 0-15 */
	uint64_t pad;
};

/* Platform: bare (QEMU) or a Xen guest; set by the entry code. */
struct arm_platform {
	const char *name;
	void (*time_init)(void);
	void (*late_init)(void);	/* after threads exist */
	void (*shutdown)(int status) __attribute__((noreturn));
};
extern const struct arm_platform bare_platform, xen_arm_platform;
extern const struct arm_platform *platform;
extern struct dt_machine dt_machine;

/* Early boot (head.S). */
void arch_arm_entry(paddr_t dtb, uint64_t entry_count, unsigned int entry_el);

/* Consoles. */
bool pl011_init(const struct dt_machine *m, bool crlf);
void semihosting_write(const char *s);

/* Paging. */
void paging_init(const struct boot_info *bi);
int paging_set_present(uintptr_t va, bool present);
void *paging_map_mmio(paddr_t pa, size_t size);

/* Interrupts: GICv2 or GICv3, PPIs only. */
void gic_init(const struct dt_machine *m);
void gic_enable_ppi(unsigned int intid, void (*handler)(void));
void gic_handle_irq(void);
const char *gic_describe(void);

/* The generic timer: monotonic clock and idle deadlines. */
void timer_early(uint64_t entry_count);
void timer_init(const struct dt_machine *m);
uint64_t timer_ticks_to_ns(uint64_t ticks);
uint64_t timer_now_ticks(void);
extern uint64_t timer_hz;

/* Boot services shared by both platforms. */
void arm_time_init_common(void);
void pl031_init(const struct dt_machine *m);

/* Stopping. */
long semihosting_call(unsigned long op, const void *arg);
extern char semihosting_hlt[];
void bare_shutdown(int status) __attribute__((noreturn));
void psci_system_off(enum dt_psci method);
void halt_forever(void) __attribute__((noreturn));

/* Xen guest. */
void xen_arm_early(void);


extern char _text[], _etext[], _rodata[], _erodata[], _data[], _edata[];
extern char __bss_start[], __bss_end[], _ksyms[], _end[];
extern char boot_stack_guard[], boot_stack_top[];
extern char exc_stack_guard[], exc_stack_top[];

#endif
