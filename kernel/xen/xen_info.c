/*
 * What Xen are we on: version and feature bits (behaviour is keyed to
 * these, never to one release's constants), and the shared clocks.
 */
#include <string.h>
#include <mica/printk.h>
#include <mica/xen/hcall.h>
#include <mica/xen/platform.h>
#include <mica/xen/xen.h>

struct shared_info *xen_shared_info;
struct vcpu_info *xen_vcpu_info;
bool xen_is_initdomain;
uint32_t xen_version_code;
uint32_t xen_features[1];
bool xen_has_virq_timer;

bool xen_feature(unsigned int bit)
{
	return bit < 32 && (xen_features[0] & (1U << bit));
}

int xen_info_init(void)
{
	size_t mark = hcall_mark();
	xen_feature_info_t *fi;
	char *extra;
	long v;

	v = HYPERVISOR_xen_version(XENVER_version, NULL);
	if (v < 0)
		return (int)v;
	xen_version_code = (uint32_t)v;
	extra = hcall_alloc(sizeof(xen_extraversion_t));
	if (HYPERVISOR_xen_version(XENVER_extraversion, extra) < 0)
		extra[0] = '\0';
	extra[sizeof(xen_extraversion_t) - 1] = '\0';
	fi = hcall_alloc(sizeof(*fi));
	fi->submap_idx = 0;
	if (HYPERVISOR_xen_version(XENVER_get_features, fi) == 0)
		xen_features[0] = fi->submap;
	hcall_arena_register();
	pr_info("xen: version %u.%u%s, features %#x%s\n",
		xen_version_code >> 16, xen_version_code & 0xffff, extra,
		xen_features[0], xen_is_initdomain ? ", initial domain" : "");
	hcall_release(mark);
	return 0;
}

uint64_t xen_wallclock_ns(void)
{
	const volatile struct shared_info *s = xen_shared_info;
	uint32_t ver, sec, nsec;
	uint64_t sec_hi;

	do {
		ver = s->wc_version;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		sec = s->wc_sec;
		nsec = s->wc_nsec;
		sec_hi = s->xen_wc_sec_hi;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((ver & 1) || ver != s->wc_version);
	/* wc_* is the wall clock at Xen system time 0. */
	return ((sec_hi << 32) | sec) * 1000000000ULL + nsec +
	       xen_system_time_ns();
}
