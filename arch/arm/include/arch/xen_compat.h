/*
 * Names from Xen's x86-only public headers that Mica's common Xen code
 * uses (the hypercall audit describes every op's buffers, x86-only ones
 * included). On arm64 Xen refuses these ops (-ENOSYS) and Mica never
 * issues them; the definitions only let the common tables compile. Same
 * layout as the x86 headers (hvm/hvm_op.h, arch-x86/xen.h).
 */
#ifndef ARCH_ARM_XEN_COMPAT_H
#define ARCH_ARM_XEN_COMPAT_H

#include <mica/types.h>

#ifndef HVMOP_set_evtchn_upcall_vector
#define HVMOP_set_evtchn_upcall_vector 23
struct xen_hvm_evtchn_upcall_vector {
	uint32_t vcpu;
	uint8_t vector;
};
#endif

struct trap_info {
	uint8_t vector;
	uint8_t flags;
	uint16_t cs;
	unsigned long address;
};
typedef struct trap_info trap_info_t;

#endif
