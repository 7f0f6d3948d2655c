/* What the common Xen code knows about the Xen it runs on. */
#ifndef MICA_XEN_PLATFORM_H
#define MICA_XEN_PLATFORM_H

#include <mica/types.h>

struct shared_info;
struct vcpu_info;
struct vcpu_time_info;

extern struct shared_info *xen_shared_info;
extern struct vcpu_info *xen_vcpu_info;
extern bool xen_is_initdomain;
extern uint32_t xen_version_code;	/* major << 16 | minor */
extern uint32_t xen_features[1];	/* XENVER_get_features submap 0 */

/* Timer deadlines arrive as VIRQ_TIMER events (x86: singleshot timer);
 * false where Xen has no guest timer ops (arm: the generic timer). */
extern bool xen_has_virq_timer;
/* Where the arch's device tree puts the grant table (0: choose). */
extern uint64_t xen_grant_region_base;
/* What kind of Xen guest this is (XEN_GUEST_NONE: not on Xen). */
enum xen_guest_type {
	XEN_GUEST_NONE,
	XEN_GUEST_PVH,
	XEN_GUEST_PV,
	XEN_GUEST_ARM,
};
enum xen_guest_type xen_guest_type(void);
/*
 * SCHEDOP_block with event delivery on for the call (PVH: interrupts;
 * PV: upcalls through the event callback; arm: IRQs): returns once an
 * event or interrupt could be delivered, after its handler ran. The
 * caller arms a wake-up first. -XEN_ENOSYS when not on Xen.
 */
long xen_sched_block(void);
/* Toolstack control (control/shutdown); needs xenstore. */
int xen_control_init(void);

bool xen_feature(unsigned int bit);
/* vcpu_info in a permanent arena slot; @to_frame turns its address into
 * what Xen wants (guest-physical, or machine on x86 PV). */
void xen_register_vcpu_info(paddr_t (*to_frame)(const void *va));
/* HVMOP_get_param on ourselves (PVH, arm64); 0 or a Xen errno. */
int xen_hvm_get_param(uint32_t index, uint64_t *value);
/* Query version and features, print them; returns 0 or a Xen errno. */
int xen_info_init(void);

/* PV clock: nanoseconds of Xen system time at TSC value @tsc. */
uint64_t pvclock_ns(const struct vcpu_time_info *t, uint64_t tsc);
/* The TSC frequency a vcpu_time_info describes. */
uint64_t pvclock_tsc_hz(const struct vcpu_time_info *t);
/* Xen system time now (arch: the PV clock on x86). */
uint64_t xen_system_time_ns(void);
/* Wall clock (ns since 1970) from shared_info, read consistently. */
uint64_t xen_wallclock_ns(void);

#endif
