/* The x86 platforms Mica can find itself on: bare (QEMU, a PVH VMM
 * without Xen) or Xen PVH. Each provides its own clock, idle, shutdown. */
#ifndef ARCH_X86_PLATFORM_H
#define ARCH_X86_PLATFORM_H

#include <mica/bootinfo.h>

struct x86_platform {
	const char *name;
	void (*time_init)(void);
	uint64_t (*monotonic_ns)(void);
	void (*idle)(uint64_t deadline_ns);
	void (*late_init)(void);	/* after threads exist */
	long (*sched_block)(void);	/* Xen: SCHEDOP_block, events on */
	void (*shutdown)(int status) __attribute__((noreturn));
};

extern const struct x86_platform bare_platform, xen_pvh_platform;
extern const struct x86_platform *platform;

/* bare */
uint64_t tsc_monotonic_ns(void);
void lapic_idle(uint64_t deadline_ns);
void bare_shutdown(int status) __attribute__((noreturn));

/* Xen PVH: early setup from the PVH entry (before start_kernel). */
void xen_pvh_early(struct boot_info *bi, uint32_t start_flags);

#endif
