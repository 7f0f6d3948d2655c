/* SCHEDOP_* and VCPUOP_*: yielding, blocking, polling, timers, areas. */
#include <string.h>
#include <mica/xen/hcall.h>
#include "conformance.h"

#define MS (1000 * 1000ULL)

static long poll(struct conf_ctx *c, const unsigned int *ports,
		 unsigned int n, uint64_t timeout)
{
	struct sched_poll *p = conf_buf(c, sizeof(*p));
	evtchn_port_t *list = conf_buf(c, (n ? n : 1) * sizeof(*list));

	if (!p || !list)
		return -XEN_ENOMEM;
	for (unsigned int i = 0; i < n; i++)
		list[i] = ports[i];
	set_xen_guest_handle(p->ports, list);
	p->nr_ports = n;
	p->timeout = timeout;
	return c->ops->sched_op(SCHEDOP_poll, p);
}

static void sched_yield(struct conf_ctx *c)
{
	long rc = c->ops->sched_op(SCHEDOP_yield, NULL);

	conf_check(c, rc == 0, "rc %s", conf_errname(rc));
}

/* The kernel's VIRQ_TIMER port, from EVTCHNOP_status (0: none). */
static unsigned int timer_port(struct conf_ctx *c)
{
	evtchn_status_t st;

	for (unsigned int p = 1; p < 256; p++) {
		if (conf_evtchn_status(c, DOMID_SELF, p, &st) != 0)
			break;
		if (st.status == EVTCHNSTAT_virq && st.u.virq == VIRQ_TIMER)
			return p;
	}
	return 0;
}

static long singleshot(struct conf_ctx *c, uint64_t when, uint32_t flags)
{
	struct vcpu_set_singleshot_timer *t = conf_buf(c, sizeof(*t));

	if (!t)
		return -XEN_ENOMEM;
	t->timeout_abs_ns = when;
	t->flags = flags;
	return c->ops->vcpu_op(VCPUOP_set_singleshot_timer, 0, t);
}

/*
 * SCHEDOP_block with event delivery on for the call: it sleeps until an
 * event or interrupt can be delivered. A pending but masked event must
 * not end it; a wake-up 20 ms ahead must. The wake-up is the singleshot
 * timer's VIRQ_TIMER event on x86; on arm, which has no guest timer ops,
 * it is the virtual timer's interrupt (Xen ends the block on any virtual
 * interrupt pending for the vCPU, not only the event channel's).
 */
static void sched_block_wakes(struct conf_ctx *c)
{
	bool by_irq = c->ops->wake_timer != NULL;
	unsigned int a, b, early = 0;
	uint64_t t0, dt;
	unsigned long before;
	long rc;

	if (!c->ops->block_with_events) {
		conf_error(c, "the guest has no way to block with events on");
		return;
	}
	if (!conf_loopback(c, &a, &b))
		return;
	c->ops->ev_mask(b);
	conf_evtchn_port_op(c, EVTCHNOP_send, a);
	if (by_irq)
		by_irq = c->ops->wake_timer(20 * MS);
	if (!by_irq) {
		rc = singleshot(c, c->ops->xen_time_ns() + 20 * MS, 0);
		if (!conf_check(c, rc == 0, "set_singleshot_timer: %s",
				conf_errname(rc)))
			goto out;
	}
	/*
	 * Another, unmasked event (a console or xenstore port, a timer
	 * left from the idle loop) may end a block early: that is allowed
	 * when it was delivered; a return with nothing delivered means the
	 * masked event ended it. Block again until the wake-up is due.
	 */
	t0 = c->ops->now_ns();
	do {
		before = c->ops->ev_delivered();
		rc = c->ops->block_with_events();
		dt = c->ops->now_ns() - t0;
		if (rc != 0 || dt >= 15 * MS)
			break;
		if (!conf_check(c, c->ops->ev_delivered() > before,
				"returned after %llu us with nothing "
				"delivered: the masked pending event ended the"
				" block", (unsigned long long)(dt / 1000)))
			goto out;
	} while (++early < 50);
	conf_check(c, rc == 0, "SCHEDOP_block: %s", conf_errname(rc));
	conf_check(c, dt >= 15 * MS, "still early after %u wake-ups by other"
		   " events", early);
	conf_check(c, dt < 1000 * MS, "returned after %llu ms: the %s did not"
		   " wake it", (unsigned long long)(dt / MS),
		   by_irq ? "timer interrupt" : "VIRQ_TIMER event");
	if (!by_irq)
		conf_check(c, c->ops->ev_delivered() > before, "returned "
			   "without an event being delivered");
	conf_check(c, c->ops->ev_pending(b) && c->ops->ev_masked(b),
		   "the masked port's event was lost");
	conf_note(c, "woke by %s after %llu us (%u earlier wake-ups by other "
		  "events)", by_irq ? "the virtual timer" : "VIRQ_TIMER",
		  (unsigned long long)(dt / 1000), early);
out:
	conf_close(c, b);
	conf_close(c, a);
}

/* SCHEDOP_poll on a port that never fires ends at the timeout. */
static void sched_poll_timeout(struct conf_ctx *c)
{
	unsigned int port;
	uint64_t t0, dt, until;
	int rc = conf_alloc_unbound(c, DOMID_SELF, &port);
	long r = 0;
	unsigned int polls = 0;

	if (!conf_check(c, rc == 0, "alloc_unbound: %s", conf_errname(rc)))
		return;
	c->ops->ev_clear(port);
	t0 = c->ops->now_ns();
	until = c->ops->xen_time_ns() + 20 * MS;
	/* Another event may end a poll early: poll again until the time. */
	while (c->ops->xen_time_ns() < until && polls < 50 && r == 0) {
		r = poll(c, &port, 1, until);
		polls++;
	}
	dt = c->ops->now_ns() - t0;
	conf_check(c, r == 0, "SCHEDOP_poll: %s", conf_errname(r));
	conf_check(c, dt < 1000 * MS, "took %llu ms", (unsigned long long)
		   (dt / MS));
	if (conf_env_in(c, ENV_X86))
		conf_check(c, dt >= 19 * MS, "returned after %llu us for a "
			   "20 ms timeout", (unsigned long long)(dt / 1000));
	/* arm: the guest sees the virtual counter, offset from Xen's
	 * system time by the domain's creation: a poll ends earlier. */
	conf_note(c, "%u polls, %llu us", polls, (unsigned long long)
		  (dt / 1000));
	conf_close(c, port);
}

static void sched_poll_pending(struct conf_ctx *c)
{
	unsigned int a, b;
	uint64_t t0, dt;
	long rc;

	if (!conf_loopback(c, &a, &b))
		return;
	c->ops->ev_mask(b);
	conf_evtchn_port_op(c, EVTCHNOP_send, a);
	t0 = c->ops->now_ns();
	rc = poll(c, &b, 1, c->ops->xen_time_ns() + 2000 * MS);
	dt = c->ops->now_ns() - t0;
	conf_check(c, rc == 0, "SCHEDOP_poll: %s", conf_errname(rc));
	conf_check(c, dt < 200 * MS, "a poll on a pending (masked) port "
		   "took %llu ms", (unsigned long long)(dt / MS));
	conf_close(c, b);
	conf_close(c, a);
}

static void sched_poll_bad(struct conf_ctx *c)
{
	unsigned int ports[129];
	long rc;

	for (unsigned int i = 0; i < 129; i++)
		ports[i] = 1;
	rc = poll(c, ports, 129, 0);
	conf_check(c, rc == -XEN_EINVAL, "129 ports: %s, expected -EINVAL",
		   conf_errname(rc));
}

/* Wait (polling, events off) until @port is pending; false after 1 s. */
static bool wait_pending(struct conf_ctx *c, unsigned int port)
{
	uint64_t until = c->ops->xen_time_ns() + 1000 * MS;

	while (!c->ops->ev_pending(port) && c->ops->xen_time_ns() < until)
		if (poll(c, &port, 1, until) != 0)
			return false;
	return c->ops->ev_pending(port);
}

static void vcpu_singleshot_timer(struct conf_ctx *c)
{
	unsigned int port;
	uint64_t t0, dt;
	long rc;

	if (conf_env_in(c, ENV_ARM_DOM0LESS)) {
		rc = singleshot(c, c->ops->xen_time_ns() + 5 * MS, 0);
		conf_check(c, rc == -XEN_EINVAL, "rc %s, expected -EINVAL (no "
			   "guest timer ops on arm)", conf_errname(rc));
		return;
	}
	port = timer_port(c);
	if (!conf_check(c, port != 0, "no VIRQ_TIMER port"))
		return;
	c->ops->ev_clear(port);
	t0 = c->ops->now_ns();
	rc = singleshot(c, c->ops->xen_time_ns() + 5 * MS, 0);
	if (!conf_check(c, rc == 0, "5 ms ahead: %s", conf_errname(rc)))
		return;
	conf_check(c, wait_pending(c, port), "VIRQ_TIMER never came");
	dt = c->ops->now_ns() - t0;
	conf_check(c, dt >= 4 * MS && dt < 1000 * MS, "fired after %llu us "
		   "for 5 ms", (unsigned long long)(dt / 1000));
	/* A deadline in the past with VCPU_SSHOTTMR_future: older Xen
	 * refused it (-ETIME); 4.17.x and later fire at once (the flag
	 * "can be ignored by the hypervisor"). */
	c->ops->ev_clear(port);
	rc = singleshot(c, c->ops->xen_time_ns() - 1 * MS,
			VCPU_SSHOTTMR_future);
	if (rc == 0)
		conf_check(c, wait_pending(c, port) &&
				      c->ops->now_ns() - t0 - dt < 500 * MS,
			   "a past deadline did not fire at once");
	else
		conf_check(c, rc == -XEN_ETIME, "past deadline: %s, expected "
			   "0 or -ETIME", conf_errname(rc));
	conf_note(c, "port %u, fired after %llu us", port,
		  (unsigned long long)(dt / 1000));
}

static void vcpu_register_vcpu_info_once(struct conf_ctx *c)
{
	struct vcpu_register_vcpu_info *r = conf_buf(c, sizeof(*r));
	void *slot = c->ops->vcpu_info_slot();
	long rc;

	if (!r || !conf_check(c, slot != NULL, "the kernel's registration "
			      "at boot failed"))
		return;
	r->mfn = c->ops->frame_of(slot);
	r->offset = (uint32_t)((uintptr_t)slot & 4095);
	rc = c->ops->vcpu_op(VCPUOP_register_vcpu_info, 0, r);
	if (!conf_version_ge(c, 4, 18))
		conf_check(c, rc == -XEN_EINVAL, "again: %s, expected -EINVAL "
			   "(Xen <= 4.17)", conf_errname(rc));
	else if (conf_version_ge(c, 4, 20))
		conf_check(c, rc == -XEN_EBUSY, "again: %s, expected -EBUSY "
			   "(Xen >= 4.20)", conf_errname(rc));
	else
		conf_check(c, rc == -XEN_EINVAL || rc == -XEN_EBUSY, "again: "
			   "%s", conf_errname(rc));
}

/* The kernel's runstate slot, or a new permanent one. */
static struct vcpu_runstate_info *runstate_slot(struct conf_ctx *c)
{
	struct vcpu_runstate_info *r = c->ops->runstate();

	return r ? r : hcall_alloc_permanent(sizeof(*r), 64);
}

static bool runstate_read(struct vcpu_runstate_info *r,
			  struct vcpu_runstate_info *out)
{
	const volatile struct vcpu_runstate_info *v = r;

	for (int i = 0; i < 1000; i++) {
		uint64_t t = v->state_entry_time;

		if (t & XEN_RUNSTATE_UPDATE)
			continue;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		memcpy(out, r, sizeof(*out));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (v->state_entry_time == t)
			return true;
	}
	return false;
}

static void check_runstate(struct conf_ctx *c, struct vcpu_runstate_info *r)
{
	struct vcpu_runstate_info a, b;
	uint64_t sa, sb;

	if (!conf_check(c, runstate_read(r, &a), "never a consistent read"))
		return;
	conf_check(c, a.state == RUNSTATE_running && a.time[RUNSTATE_running],
		   "state %d, running %llu ns", a.state,
		   (unsigned long long)a.time[RUNSTATE_running]);
	c->ops->sleep_ns(10 * MS);
	if (!conf_check(c, runstate_read(r, &b), "never a consistent read"))
		return;
	sa = a.time[0] + a.time[1] + a.time[2] + a.time[3];
	sb = b.time[0] + b.time[1] + b.time[2] + b.time[3];
	conf_check(c, b.state_entry_time > a.state_entry_time && sb > sa,
		   "a 10 ms sleep did not advance the area (entry %llu -> "
		   "%llu)", (unsigned long long)a.state_entry_time,
		   (unsigned long long)b.state_entry_time);
}

static void vcpu_runstate_area(struct conf_ctx *c)
{
	struct vcpu_register_runstate_memory_area *r = conf_buf(c, sizeof(*r));
	struct vcpu_runstate_info *slot = runstate_slot(c);
	long rc;

	if (!r)
		return;
	r->addr.v = slot;
	rc = c->ops->vcpu_op(VCPUOP_register_runstate_memory_area, 0, r);
	if (conf_check(c, rc == 0, "by virtual address: %s",
		       conf_errname(rc)))
		check_runstate(c, slot);
}

/* Keyed to XENFEAT_runstate_phys_area: advertised means it works. */
static void vcpu_runstate_phys_area(struct conf_ctx *c)
{
	struct vcpu_register_runstate_memory_area *r = conf_buf(c, sizeof(*r));
	struct vcpu_runstate_info *slot = runstate_slot(c);
	bool feat = conf_feature(c, CONF_XENFEAT_runstate_phys_area);
	long rc;

	if (!r)
		return;
	/* A guest physical address is in GFN space: machine frames for a
	 * PV guest. The arena audit resolves phys areas as pseudo-physical
	 * addresses, so PV goes through the counted raw path. */
	r->addr.p = c->ops->frame_of(slot) << 12 | ((uintptr_t)slot & 4095);
	if (conf_env_in(c, ENV_PV))
		rc = conf_raw(c, __HYPERVISOR_vcpu_op,
			      CONF_VCPUOP_register_runstate_phys_area, 0,
			      (uintptr_t)r, 0, 0);
	else
		rc = c->ops->vcpu_op(CONF_VCPUOP_register_runstate_phys_area,
				     0, r);
	if (feat) {
		if (conf_check(c, rc == 0, "XENFEAT_runstate_phys_area is set "
			       "but VCPUOP_register_runstate_phys_area gave %s",
			       conf_errname(rc)))
			check_runstate(c, slot);
	} else {
		long want = conf_env_in(c, ENV_ARM_DOM0LESS) ? -XEN_EINVAL
							      : -XEN_ENOSYS;

		conf_check(c, rc == want, "feature clear: %s, expected %s",
			   conf_errname(rc), conf_errname(want));
	}
}

static void vcpu_get_runstate_info(struct conf_ctx *c)
{
	struct vcpu_runstate_info *r = conf_buf(c, sizeof(*r));
	long rc;

	if (!r)
		return;
	r->state = -1;
	rc = c->ops->vcpu_op(VCPUOP_get_runstate_info, 0, r);
	if (conf_env_in(c, ENV_ARM_DOM0LESS)) {
		conf_check(c, rc == -XEN_EINVAL, "rc %s, expected -EINVAL (arm "
			   "allows only the area registrations)",
			   conf_errname(rc));
		return;
	}
	if (conf_check(c, rc == 0, "rc %s", conf_errname(rc)))
		conf_check(c, r->state == RUNSTATE_running &&
				      r->time[RUNSTATE_running] > 0,
			   "state %d, running %llu ns", r->state,
			   (unsigned long long)r->time[RUNSTATE_running]);
}

static void vcpu_is_up(struct conf_ctx *c)
{
	long rc = c->ops->vcpu_op(VCPUOP_is_up, 0, NULL);
	long bad = c->ops->vcpu_op(VCPUOP_is_up, 1, NULL);

	if (conf_env_in(c, ENV_ARM_DOM0LESS))
		conf_check(c, rc == -XEN_EINVAL, "vcpu 0: %s, expected -EINVAL"
			   " on arm", conf_errname(rc));
	else
		conf_check(c, rc == 1, "vcpu 0: %s, expected 1",
			   conf_errname(rc));
	conf_check(c, bad == -XEN_ENOENT, "vcpu 1 (absent): %s, expected "
		   "-ENOENT", conf_errname(bad));
}

const struct conf_test conf_tests_sched[] = {
	{
		.name = "sched_yield",
		.category = "scheduling",
		.checks = "SCHEDOP_yield",
		.why = "the simplest hypercall that must always work",
		.source = "public/sched.h",
		.expect = "all: 0",
		.runs_on = ENV_ALL,
		.run = sched_yield,
	},
	{
		.name = "sched_block_wakes",
		.category = "scheduling",
		.checks = "SCHEDOP_block with event delivery on: a pending but"
			  " masked event does not end it; a wake-up 20 ms "
			  "ahead does (x86: the singleshot timer's VIRQ_TIMER;"
			  " arm: the virtual timer interrupt)",
		.why = "block is the idle primitive of a guest that takes "
		       "events (PVH next to hlt, PV through its callback)",
		.source = "public/sched.h SCHEDOP_block; common/sched/core.c "
			  "vcpu_block_enable_events",
		.expect = "all: 0 after 15 ms-1 s, the masked event still "
			  "pending; x86: an event delivered",
		.runs_on = ENV_ALL,
		.run = sched_block_wakes,
	},
	{
		.name = "sched_poll_timeout",
		.category = "scheduling",
		.checks = "SCHEDOP_poll on a port that never fires returns at"
			  " the 20 ms timeout",
		.why = "PV guests idle with poll and a deadline",
		.source = "public/sched.h SCHEDOP_poll; common/sched/core.c "
			  "do_poll",
		.expect = "x86: 0 after >= 19 ms; arm64: 0 (Xen's clock is the "
			  "guest's virtual counter plus an unknown offset: it "
			  "may end early)",
		.runs_on = ENV_ALL,
		.run = sched_poll_timeout,
	},
	{
		.name = "sched_poll_pending",
		.category = "scheduling",
		.checks = "SCHEDOP_poll on a pending (masked) port returns at "
			  "once",
		.why = "poll must not sleep through an event it waits for",
		.source = "common/sched/core.c do_poll",
		.expect = "all: 0 well before the 2 s timeout",
		.runs_on = ENV_ALL,
		.run = sched_poll_pending,
	},
	{
		.name = "sched_poll_bad",
		.category = "scheduling",
		.checks = "SCHEDOP_poll with 129 ports",
		.why = "the documented limit is 128",
		.source = "common/sched/core.c do_poll",
		.expect = "all: -EINVAL",
		.runs_on = ENV_ALL,
		.run = sched_poll_bad,
	},
	{
		.name = "vcpu_singleshot_timer",
		.category = "scheduling",
		.checks = "VCPUOP_set_singleshot_timer 5 ms ahead raises "
			  "VIRQ_TIMER; a past deadline fires at once",
		.why = "Mica's x86 timers are this op",
		.source = "public/vcpu.h; common/domain.c",
		.expect = "x86: fires after >= 4 ms; past deadline 0 and fires"
			  " (or -ETIME on old Xen); arm64: -EINVAL",
		.runs_on = ENV_ALL,
		.run = vcpu_singleshot_timer,
	},
	{
		.name = "vcpu_register_vcpu_info_once",
		.category = "scheduling",
		.checks = "VCPUOP_register_vcpu_info a second time (the kernel"
			  " registered at boot)",
		.why = "vcpu_info can move once; a second move is refused",
		.source = "public/vcpu.h; common/domain.c",
		.expect = "all: Xen <= 4.17 -EINVAL, Xen >= 4.20 -EBUSY",
		.runs_on = ENV_ALL,
		.run = vcpu_register_vcpu_info_once,
	},
	{
		.name = "vcpu_runstate_area",
		.category = "scheduling",
		.checks = "VCPUOP_register_runstate_memory_area (virtual "
			  "address): running, advancing across a sleep",
		.why = "steal-time accounting reads this area",
		.source = "public/vcpu.h vcpu_runstate_info",
		.expect = "all: 0, state running, times advance",
		.runs_on = ENV_ALL,
		.run = vcpu_runstate_area,
	},
	{
		.name = "vcpu_runstate_phys_area",
		.category = "scheduling",
		.checks = "VCPUOP_register_runstate_phys_area (14) works "
			  "exactly when XENFEAT_runstate_phys_area is set",
		.why = "Mica trusts the feature bit to pick the op",
		.source = "public/vcpu.h, public/features.h (Xen 4.18)",
		.expect = "bit set: 0 and the area advances; bit clear: x86 "
			  "-ENOSYS, arm64 -EINVAL",
		.runs_on = ENV_ALL,
		.run = vcpu_runstate_phys_area,
	},
	{
		.name = "vcpu_get_runstate_info",
		.category = "scheduling",
		.checks = "VCPUOP_get_runstate_info",
		.why = "the copy-out alternative to the area",
		.source = "public/vcpu.h; arch/arm/domain.c do_vcpu_op",
		.expect = "x86: 0, running; arm64: -EINVAL",
		.runs_on = ENV_ALL,
		.run = vcpu_get_runstate_info,
	},
	{
		.name = "vcpu_is_up",
		.category = "scheduling",
		.checks = "VCPUOP_is_up for vCPU 0 and a vCPU we lack",
		.why = "SMP bring-up asks it",
		.source = "public/vcpu.h",
		.expect = "x86: 1 and -ENOENT; arm64: -EINVAL and -ENOENT",
		.runs_on = ENV_ALL,
		.run = vcpu_is_up,
	},
};
const size_t conf_tests_sched_count = ARRAY_SIZE(conf_tests_sched);
