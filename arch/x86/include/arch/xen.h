/* x86 parts of Mica's Xen support. */
#ifndef ARCH_X86_XEN_H
#define ARCH_X86_XEN_H

#include <mica/types.h>

/* Base of Xen's CPUID leaves, or 0 when not running on Xen. */
uint32_t xen_cpuid_base(void);

/* xen_common.c: shared by PVH and PV. */
void xen_clock_init(void);
uint64_t xen_x86_monotonic_ns(void);
uint64_t xen_deadline_to_system(uint64_t deadline_ns);
void xen_x86_shutdown(int status) __attribute__((noreturn));

/* Consoles and services in drivers/xen and kernel/xen. */
void xen_console_io_register(void);
void xen_console_ring_register(void *page, unsigned int evtchn);
extern int xen_shutdown_reason;

#endif
