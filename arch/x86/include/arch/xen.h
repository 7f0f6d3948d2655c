/* x86 parts of Mica's Xen support. */
#ifndef ARCH_X86_XEN_H
#define ARCH_X86_XEN_H

#include <mica/types.h>

/* Base of Xen's CPUID leaves, or 0 when not running on Xen. */
uint32_t xen_cpuid_base(void);

#endif
