/*
 * What common code needs from an architecture. Each arch implements these
 * in arch/<arch>/; host unit tests provide their own versions.
 */
#ifndef MICA_ARCH_H
#define MICA_ARCH_H

#include <mica/types.h>

/* Save callee-saved state on the current stack, store its pointer in
 * *@save_sp, and resume the context whose stack pointer is @next_sp. */
void arch_switch(void **save_sp, void *next_sp);
/* Prepare a fresh stack so that switching to the returned stack pointer
 * calls @entry (which must never return). */
void *arch_thread_stack_init(void *stack_top, void (*entry)(void));
/* Wait for an interrupt or until the monotonic clock reaches @deadline_ns
 * (UINT64_MAX: no deadline). May return early. */
void arch_idle(uint64_t deadline_ns);
/* Arm the CPU's own timer interrupt (its handler only acknowledges it)
 * for @deadline_ns; false where the arch has none in use (x86: the LAPIC
 * on bare metal, VIRQ_TIMER under Xen, both driven by arch_idle). */
bool arch_timer_wake_at(uint64_t deadline_ns);
/* Print a backtrace of the caller (used by panic). */
void arch_backtrace(void);

/* Map guest-physical [pa, pa+size) as ordinary read/write memory (not
 * executable) at its identity address; returns the virtual address. */
void *arch_map_phys(paddr_t pa, size_t size);

/* Map device registers (uncached) at their identity address. */
void *arch_map_mmio(paddr_t pa, size_t size);

/* Thread stacks with an unmapped guard page below (host tests: malloc). */
void *stack_alloc(size_t size);
void stack_free(void *base, size_t size);



struct boot_info;
/* Boot steps each arch provides, called by start_kernel in this order. */
void arch_mm_init(struct boot_info *bi);	/* page tables */
void arch_time_init(void);			/* clocks, timer interrupt */
void arch_late_init(void);			/* platform services on threads */
void arch_probe_devices(void);			/* buses: PCI, virtio-mmio */
const char *arch_name(void);

#endif
