/*
 * The guest side of struct conf_ops: Mica's checked hypercall wrappers,
 * its one raw path, and the kernel services the catalogue needs. Also
 * works out which environment this is (arch, PV or PVH, dom0, xl domU or
 * dom0less).
 */
#include <stdio.h>
#include <string.h>
#include <mica/arch.h>
#include <mica/sched.h>
#include <mica/time.h>
#include <mica/xen/events.h>
#include <mica/xen/grant.h>
#include <mica/xen/hcall.h>
#include <mica/xen/platform.h>
#include <mica/xen/vcpu_areas.h>
#include <mica/xen/xenstore.h>
#include <mica/xen/xen.h>
#include "conformance.h"
#include "mica_ops.h"
/* The counting handler may run in a thread's context (inside
 * xen_sched_block): keep it off the FP/SIMD registers the interrupted
 * code may be using (the kernel itself never touches them). */
#define HANDLER_ATTR __attribute__((target("general-regs-only")))

#define BITS (sizeof(xen_ulong_t) * 8)

static unsigned int counts[EVTCHN_MAX];
static struct waitq ev_wq;
static struct xenbus_watch watch;
static unsigned int watch_seen;

static void print(const char *line)
{
	printf("%s\n", line);
	fflush(stdout);
}

static uint64_t now_ns(void)
{
	return monotonic_ns();
}

static HANDLER_ATTR void count_event(unsigned int port, void *arg)
{
	(void)arg;
	counts[port]++;
	waitq_wake_all(&ev_wq);
}

static void ev_watch(unsigned int port)
{
	if (port >= EVTCHN_MAX)
		return;
	counts[port] = 0;
	evtchn_set_handler(port, count_event, NULL);
}

static void ev_unwatch(unsigned int port)
{
	evtchn_set_handler(port, NULL, NULL);
}

static unsigned int ev_count(unsigned int port)
{
	return port < EVTCHN_MAX ? counts[port] : 0;
}

static bool ev_wait(unsigned int port, unsigned int n, uint64_t timeout)
{
	uint64_t until = monotonic_ns() + timeout;

	while (ev_count(port) < n && monotonic_ns() < until)
		waitq_wait(&ev_wq, until);
	return ev_count(port) >= n;
}

static bool bit(const xen_ulong_t *words, unsigned int port)
{
	return port < EVTCHN_MAX &&
	       (__atomic_load_n(&words[port / BITS], __ATOMIC_SEQ_CST) >>
		(port % BITS)) & 1;
}

static bool ev_pending(unsigned int port)
{
	return bit(xen_shared_info->evtchn_pending, port);
}

static bool ev_masked(unsigned int port)
{
	return bit(xen_shared_info->evtchn_mask, port);
}

static void ev_clear(unsigned int port)
{
	if (port < EVTCHN_MAX)
		__atomic_fetch_and(&xen_shared_info->evtchn_pending[port / BITS],
				   ~((xen_ulong_t)1 << (port % BITS)),
				   __ATOMIC_SEQ_CST);
}

/* Arm the CPU timer's interrupt @ns from now (arm's virtual timer);
 * false where the arch has none in use (x86: VIRQ_TIMER under Xen). */
static bool wake_timer(uint64_t ns)
{
	return arch_timer_wake_at(monotonic_ns() + ns);
}

static int64_t grant(uint16_t domid, void *page, bool readonly)
{
	return gnttab_grant_access(domid, page, readonly);
}

static int end_grant(uint32_t ref)
{
	return gnttab_end_access(ref);
}

static unsigned int grant_frames(void)
{
	return gnttab_nr_refs() / (PAGE_SIZE / sizeof(grant_entry_v1_t));
}

static uint64_t frame_of(const void *va)
{
	return xen_mapping->frame_of(va);
}

static uint64_t foreign_addr(uint32_t pages)
{
	return xen_mapping->alloc_foreign(pages);
}

static void *foreign_ptr(uint64_t addr)
{
	return (void *)(uintptr_t)addr;
}

static uint64_t shared_info_gfn(void)
{
	return xen_mapping->frame_of(xen_shared_info);
}

static void *vcpu_info_slot(void)
{
	if (!xen_vcpu_info || xen_vcpu_info == &xen_shared_info->vcpu_info[0])
		return NULL;
	return xen_vcpu_info;
}

static struct vcpu_runstate_info *runstate(void)
{
	return xen_runstate;
}

static int xs_read(uint32_t tx, const char *path, char *buf, size_t size)
{
	return xenbus_read(tx, path, buf, size);
}

static int xs_write(uint32_t tx, const char *path, const char *value)
{
	return xenbus_write(tx, path, value);
}

static int xs_rm(uint32_t tx, const char *path)
{
	return xenbus_rm(tx, path);
}

static int xs_watch_start(const char *path)
{
	watch_seen = 0;
	return xenbus_watch(&watch, path);
}

static unsigned int xs_watch_wait(unsigned int n, uint64_t timeout)
{
	uint64_t until = monotonic_ns() + timeout;

	while (watch_seen < n && xenbus_watch_wait(&watch, until))
		watch_seen++;
	return watch_seen;
}

static void xs_watch_stop(void)
{
	xenbus_unwatch(&watch);
}

static void hcall_stats(unsigned long *calls, unsigned long *outside,
			unsigned long *raw)
{
	struct hcall_stats st;

	hcall_get_stats(&st);
	*calls = st.calls;
	*outside = st.outside;
	*raw = st.raw;
}

const struct conf_ops mica_conf_ops = {
	.xen_version = HYPERVISOR_xen_version,
	.memory_op = HYPERVISOR_memory_op,
	.event_channel_op = HYPERVISOR_event_channel_op,
	.grant_table_op = HYPERVISOR_grant_table_op,
	.sched_op = HYPERVISOR_sched_op,
	.vcpu_op = HYPERVISOR_vcpu_op,
	.console_io = HYPERVISOR_console_io,
	.raw = hcall_raw,
	.print = print,
	.now_ns = now_ns,
	.xen_time_ns = xen_system_time_ns,
	.sleep_ns = thread_sleep_ns,
	.ev_watch = ev_watch,
	.ev_unwatch = ev_unwatch,
	.ev_count = ev_count,
	.ev_wait = ev_wait,
	.ev_pending = ev_pending,
	.ev_masked = ev_masked,
	.ev_mask = evtchn_mask,
	.ev_clear = ev_clear,
	.ev_delivered = evtchn_delivered,
	.block_with_events = xen_sched_block,
	.wake_timer = wake_timer,
	.grant = grant,
	.end_grant = end_grant,
	.grant_frames = grant_frames,
	.frame_of = frame_of,
	.foreign_addr = foreign_addr,
	.foreign_ptr = foreign_ptr,
	.shared_info_gfn = shared_info_gfn,
	.vcpu_info_slot = vcpu_info_slot,
	.runstate = runstate,
	.xs_read = xs_read,
	.xs_write = xs_write,
	.xs_rm = xs_rm,
	.xs_tx_start = xenbus_transaction_start,
	.xs_tx_end = xenbus_transaction_end,
	.xs_watch_start = xs_watch_start,
	.xs_watch_wait = xs_watch_wait,
	.xs_watch_stop = xs_watch_stop,
	.hcall_stats = hcall_stats,
};

bool mica_conf_on_xen(void)
{
	return xen_version_code != 0;
}

/* Which of the catalogue's environments this is; 0 when unknown. */
unsigned int mica_conf_env_kind(void)
{
	waitq_init(&ev_wq);
	switch (xen_guest_type()) {
	case XEN_GUEST_PVH:
		return xen_is_initdomain ? ENV_PVH_DOM0 : ENV_PVH_DOMU;
	case XEN_GUEST_PV:
		return xen_is_initdomain ? ENV_PV_DOM0 : ENV_PV_DOMU;
	case XEN_GUEST_ARM:
		return xenstore_available() ? 0 : ENV_ARM_DOM0LESS;
	default:
		return 0;
	}
}
