/* EVTCHNOP_*: allocation, binding, sending, delivery, errors. */
#include <string.h>
#include "conformance.h"

#define BAD_PORT 0x7ffffU	/* far past any port a domain has */
#define DELIVERY_TIMEOUT (1000 * 1000 * 1000ULL)

static void evtchn_alloc_unbound(struct conf_ctx *c)
{
	unsigned int p1, p2;
	int rc = conf_alloc_unbound(c, DOMID_SELF, &p1);

	if (!conf_check(c, rc == 0, "rc %s", conf_errname(rc)))
		return;
	rc = conf_alloc_unbound(c, DOMID_SELF, &p2);
	if (conf_check(c, rc == 0, "second: rc %s", conf_errname(rc))) {
		conf_check(c, p1 != p2 && p1 > 0 && p2 > 0 && p1 < 4096 &&
				      p2 < 4096,
			   "ports %u and %u (0 is reserved, the 2-level ABI "
			   "ends at 4095)", p1, p2);
		conf_close(c, p2);
	}
	conf_close(c, p1);
}

static void evtchn_status_unbound(struct conf_ctx *c)
{
	evtchn_status_t st;
	unsigned int port;
	int rc = conf_alloc_unbound(c, DOMID_SELF, &port);

	if (!conf_check(c, rc == 0, "alloc_unbound: %s", conf_errname(rc)))
		return;
	rc = conf_evtchn_status(c, DOMID_SELF, port, &st);
	if (conf_check(c, rc == 0, "status: %s", conf_errname(rc))) {
		conf_check(c, st.status == EVTCHNSTAT_unbound, "status %u, "
			   "expected unbound (%u)", st.status,
			   EVTCHNSTAT_unbound);
		conf_check(c, st.u.unbound.dom != DOMID_SELF &&
				      c->env->domid_ok &&
				      st.u.unbound.dom == c->env->domid,
			   "remote %#x: DOMID_SELF must become our real id",
			   st.u.unbound.dom);
		conf_check(c, st.vcpu == 0, "notify vcpu %u", st.vcpu);
	}
	conf_close(c, port);
}

static void evtchn_bind_interdomain_self(struct conf_ctx *c)
{
	evtchn_status_t sa, sb;
	unsigned int a, b;

	if (!conf_loopback(c, &a, &b))
		return;
	conf_check(c, a != b, "both ends are port %u", a);
	if (conf_check(c, conf_evtchn_status(c, DOMID_SELF, a, &sa) == 0 &&
				  conf_evtchn_status(c, DOMID_SELF, b, &sb) == 0,
		       "status failed")) {
		conf_check(c, sa.status == EVTCHNSTAT_interdomain &&
				      sb.status == EVTCHNSTAT_interdomain,
			   "status %u and %u, expected interdomain", sa.status,
			   sb.status);
		conf_check(c, sa.u.interdomain.port == b &&
				      sb.u.interdomain.port == a &&
				      sa.u.interdomain.dom == c->env->domid &&
				      sb.u.interdomain.dom == c->env->domid,
			   "ends point at %u/d%u and %u/d%u, expected %u and %u"
			   " in d%u", sa.u.interdomain.port,
			   sa.u.interdomain.dom, sb.u.interdomain.port,
			   sb.u.interdomain.dom, b, a, c->env->domid);
	}
	conf_close(c, b);
	conf_close(c, a);
}

/* A send marks the other end pending in shared_info; a masked port
 * keeps its mask; the sending end stays clean. */
static void evtchn_send_sets_pending(struct conf_ctx *c)
{
	unsigned int a, b;
	long rc;

	if (!conf_loopback(c, &a, &b))
		return;
	c->ops->ev_mask(b);
	c->ops->ev_mask(a);
	rc = conf_evtchn_port_op(c, EVTCHNOP_send, a);
	if (conf_check(c, rc == 0, "send: %s", conf_errname(rc))) {
		conf_check(c, c->ops->ev_pending(b), "port %u not pending "
			   "after a send on %u", b, a);
		conf_check(c, !c->ops->ev_pending(a), "the sending port is "
			   "pending too");
		conf_check(c, c->ops->ev_masked(b), "the send unmasked %u", b);
	}
	rc = conf_evtchn_port_op(c, EVTCHNOP_send, b);
	conf_check(c, rc == 0 && c->ops->ev_pending(a), "the reverse send "
		   "(rc %s) left %u clean", conf_errname(rc), a);
	conf_close(c, b);
	conf_close(c, a);
}

static void evtchn_delivery(struct conf_ctx *c)
{
	unsigned int a, b;
	long rc;

	if (!conf_loopback(c, &a, &b))
		return;
	c->ops->ev_watch(b);
	rc = conf_evtchn_port_op(c, EVTCHNOP_send, a);
	if (conf_check(c, rc == 0, "send: %s", conf_errname(rc))) {
		conf_check(c, c->ops->ev_wait(b, 1, DELIVERY_TIMEOUT),
			   "the event on port %u never arrived", b);
		conf_check(c, c->ops->ev_count(b) == 1, "%u deliveries for "
			   "one send", c->ops->ev_count(b));
	}
	conf_close(c, b);
	conf_close(c, a);
}

/* Masked: the event waits; EVTCHNOP_unmask clears the mask and, since
 * the port is pending, raises the upcall that a guest-side clear would
 * not. */
static void evtchn_unmask_redelivers(struct conf_ctx *c)
{
	unsigned int a, b;
	long rc;

	if (!conf_loopback(c, &a, &b))
		return;
	c->ops->ev_watch(b);
	c->ops->ev_mask(b);
	conf_evtchn_port_op(c, EVTCHNOP_send, a);
	c->ops->sleep_ns(30 * 1000 * 1000);
	conf_check(c, c->ops->ev_count(b) == 0 && c->ops->ev_pending(b),
		   "a masked port was delivered (%u) or not left pending",
		   c->ops->ev_count(b));
	rc = conf_evtchn_port_op(c, EVTCHNOP_unmask, b);
	if (conf_check(c, rc == 0, "unmask: %s", conf_errname(rc))) {
		conf_check(c, !c->ops->ev_masked(b), "EVTCHNOP_unmask left the "
			   "mask bit set");
		conf_check(c, c->ops->ev_wait(b, 1, DELIVERY_TIMEOUT),
			   "the pending event was not delivered on unmask");
	}
	conf_close(c, b);
	conf_close(c, a);
}

static void evtchn_send_unbound_dropped(struct conf_ctx *c)
{
	unsigned int port;
	int rc = conf_alloc_unbound(c, DOMID_SELF, &port);
	long s;

	if (!conf_check(c, rc == 0, "alloc_unbound: %s", conf_errname(rc)))
		return;
	c->ops->ev_clear(port);
	s = conf_evtchn_port_op(c, EVTCHNOP_send, port);
	conf_check(c, s == 0, "send on an unbound port: %s, expected 0 "
		   "(silently dropped)", conf_errname(s));
	conf_check(c, !c->ops->ev_pending(port), "the unbound port itself "
		   "became pending");
	conf_close(c, port);
}

static void evtchn_close(struct conf_ctx *c)
{
	evtchn_status_t st;
	unsigned int a, b;
	long rc;

	if (!conf_loopback(c, &a, &b))
		return;
	rc = conf_evtchn_port_op(c, EVTCHNOP_close, b);
	conf_check(c, rc == 0, "close: %s", conf_errname(rc));
	rc = conf_evtchn_status(c, DOMID_SELF, b, &st);
	conf_check(c, rc == 0 && st.status == EVTCHNSTAT_closed,
		   "closed port: status rc %s, state %u", conf_errname(rc),
		   st.status);
	rc = conf_evtchn_status(c, DOMID_SELF, a, &st);
	conf_check(c, rc == 0 && st.status == EVTCHNSTAT_unbound &&
			      st.u.unbound.dom == c->env->domid,
		   "the peer of a closed port: rc %s, state %u (expected "
		   "unbound to us again)", conf_errname(rc), st.status);
	rc = conf_evtchn_port_op(c, EVTCHNOP_send, a);
	conf_check(c, rc == 0, "send to a closed peer: %s, expected 0",
		   conf_errname(rc));
	rc = conf_evtchn_port_op(c, EVTCHNOP_close, a);
	conf_check(c, rc == 0, "closing the other end: %s", conf_errname(rc));
	rc = conf_evtchn_port_op(c, EVTCHNOP_send, a);
	conf_check(c, rc == -XEN_EINVAL, "send on a closed port: %s, "
		   "expected -EINVAL", conf_errname(rc));
	rc = conf_evtchn_port_op(c, EVTCHNOP_close, a);
	conf_check(c, rc == -XEN_EINVAL, "closing twice: %s, expected "
		   "-EINVAL", conf_errname(rc));
}

static void evtchn_bad_port(struct conf_ctx *c)
{
	static const struct { int cmd; const char *name; } ops[] = {
		{ EVTCHNOP_send, "send" }, { EVTCHNOP_close, "close" },
		{ EVTCHNOP_unmask, "unmask" },
	};
	evtchn_status_t st;
	long rc;

	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		rc = conf_evtchn_port_op(c, ops[i].cmd, BAD_PORT);
		conf_check(c, rc == -XEN_EINVAL, "%s(%#x): %s, expected "
			   "-EINVAL", ops[i].name, BAD_PORT, conf_errname(rc));
	}
	rc = conf_evtchn_status(c, DOMID_SELF, BAD_PORT, &st);
	conf_check(c, rc == -XEN_EINVAL, "status(%#x): %s, expected -EINVAL",
		   BAD_PORT, conf_errname(rc));
	/* Port 0 is reserved: valid, never usable. */
	rc = conf_evtchn_status(c, DOMID_SELF, 0, &st);
	conf_check(c, rc == 0 && st.status == EVTCHNSTAT_closed,
		   "status(0): %s, state %u, expected closed",
		   conf_errname(rc), st.status);
	rc = conf_evtchn_port_op(c, EVTCHNOP_send, 0);
	conf_check(c, rc == -XEN_EINVAL, "send(0): %s, expected -EINVAL",
		   conf_errname(rc));
	rc = conf_evtchn_port_op(c, EVTCHNOP_close, 0);
	conf_check(c, rc == -XEN_EINVAL, "close(0): %s, expected -EINVAL",
		   conf_errname(rc));
}

static long bind_virq(struct conf_ctx *c, uint32_t virq, uint32_t vcpu,
		      unsigned int *port)
{
	evtchn_bind_virq_t *b = conf_buf(c, sizeof(*b));
	long rc;

	if (!b)
		return -XEN_ENOMEM;
	b->virq = virq;
	b->vcpu = vcpu;
	rc = c->ops->event_channel_op(EVTCHNOP_bind_virq, b);
	if (rc == 0)
		*port = b->port;
	return rc;
}

static void evtchn_double_bind(struct conf_ctx *c)
{
	unsigned int a, b, other = 0, v1 = 0, v2 = 0;
	int rc;

	if (!conf_loopback(c, &a, &b))
		return;
	rc = conf_bind_interdomain(c, DOMID_SELF, a, &other);
	conf_check(c, rc == -XEN_EINVAL, "a second bind to port %u: %s, "
		   "expected -EINVAL", a, conf_errname(rc));
	if (rc == 0)
		conf_close(c, other);
	conf_close(c, b);
	conf_close(c, a);
	rc = (int)bind_virq(c, VIRQ_DEBUG, 0, &v1);
	if (!conf_check(c, rc == 0, "bind_virq(VIRQ_DEBUG): %s",
			conf_errname(rc)))
		return;
	rc = (int)bind_virq(c, VIRQ_DEBUG, 0, &v2);
	conf_check(c, rc == -XEN_EEXIST, "binding VIRQ_DEBUG twice: %s, "
		   "expected -EEXIST", conf_errname(rc));
	if (rc == 0)
		conf_close(c, v2);
	conf_close(c, v1);
}

/* Find the port bound to @virq on vCPU 0 (the kernel's), or 0. */
static unsigned int find_virq_port(struct conf_ctx *c, uint32_t virq)
{
	evtchn_status_t st;

	for (unsigned int p = 1; p < 256; p++) {
		if (conf_evtchn_status(c, DOMID_SELF, p, &st) != 0)
			break;
		if (st.status == EVTCHNSTAT_virq && st.u.virq == virq)
			return p;
	}
	return 0;
}

/*
 * x86: the kernel bound VIRQ_TIMER at boot (its idle loop sleeps on it).
 * arm: Xen has no guest timer ops there, so nothing would raise it and
 * the kernel leaves it unbound; binding it must still work like any
 * per-vCPU virq. Either way the port reports virq 0 on vCPU 0 and a
 * second bind is refused.
 */
static void evtchn_virq_timer(struct conf_ctx *c)
{
	unsigned int port = find_virq_port(c, VIRQ_TIMER), again;
	bool ours = false;
	evtchn_status_t st;
	long rc;

	if (conf_env_in(c, ENV_ARM_DOM0LESS)) {
		if (!conf_check(c, port == 0, "port %u reports VIRQ_TIMER, "
				"which nothing on arm binds", port))
			return;
		rc = bind_virq(c, VIRQ_TIMER, 0, &port);
		if (!conf_check(c, rc == 0, "bind_virq(VIRQ_TIMER, vcpu 0): "
				"%s", conf_errname(rc)))
			return;
		ours = true;
	} else if (!conf_check(c, port != 0, "no port reports VIRQ_TIMER, "
			       "which the kernel bound at boot")) {
		return;
	}
	rc = conf_evtchn_status(c, DOMID_SELF, port, &st);
	conf_check(c, rc == 0 && st.status == EVTCHNSTAT_virq &&
			      st.u.virq == VIRQ_TIMER && st.vcpu == 0,
		   "port %u: status %s, state %u, virq %u, vcpu %u", port,
		   conf_errname(rc), st.status, st.u.virq, st.vcpu);
	rc = bind_virq(c, VIRQ_TIMER, 0, &again);
	conf_check(c, rc == -XEN_EEXIST, "binding VIRQ_TIMER again: %s, "
		   "expected -EEXIST", conf_errname(rc));
	if (rc == 0)
		conf_close(c, again);
	conf_note(c, "port %u%s", port, ours ? " (bound by the test)" : "");
	if (ours)
		conf_close(c, port);
}

static void evtchn_bind_virq_bad(struct conf_ctx *c)
{
	unsigned int port;
	long rc;

	rc = bind_virq(c, NR_VIRQS, 0, &port);
	conf_check(c, rc == -XEN_EINVAL, "virq %d (NR_VIRQS): %s, expected "
		   "-EINVAL", NR_VIRQS, conf_errname(rc));
	if (rc == 0)
		conf_close(c, port);
	rc = bind_virq(c, VIRQ_DEBUG, 1, &port);
	conf_check(c, rc == -XEN_ENOENT, "VIRQ_DEBUG on vcpu 1 (we have one):"
		   " %s, expected -ENOENT", conf_errname(rc));
	if (rc == 0)
		conf_close(c, port);
	rc = bind_virq(c, VIRQ_CON_RING, 1, &port);
	conf_check(c, rc == -XEN_EINVAL, "global VIRQ_CON_RING on vcpu 1: %s,"
		   " expected -EINVAL", conf_errname(rc));
	if (rc == 0)
		conf_close(c, port);
}

static void evtchn_bad_domain(struct conf_ctx *c)
{
	evtchn_alloc_unbound_t *a = conf_buf(c, sizeof(*a));
	evtchn_status_t st;
	unsigned int port;
	long rc;

	if (!a)
		return;
	a->dom = CONF_NO_DOMID;
	a->remote_dom = DOMID_SELF;
	rc = c->ops->event_channel_op(EVTCHNOP_alloc_unbound, a);
	conf_check(c, rc == -XEN_ESRCH, "alloc_unbound for domain %#x: %s, "
		   "expected -ESRCH", CONF_NO_DOMID, conf_errname(rc));
	rc = conf_bind_interdomain(c, CONF_NO_DOMID, 1, &port);
	conf_check(c, rc == -XEN_ESRCH, "bind_interdomain to domain %#x: %s,"
		   " expected -ESRCH", CONF_NO_DOMID, conf_errname(rc));
	rc = conf_evtchn_status(c, CONF_NO_DOMID, 1, &st);
	conf_check(c, rc == -XEN_ESRCH, "status in domain %#x: %s, expected "
		   "-ESRCH", CONF_NO_DOMID, conf_errname(rc));
}

/*
 * Acting on domain 0's ports needs privilege over it (XSM_TARGET). An xl
 * domU is refused; under dom0less there is no domain 0. Domain 0 itself,
 * naming itself by number rather than DOMID_SELF, is allowed: the port it
 * allocates there reads back through the same number.
 */
static void evtchn_foreign(struct conf_ctx *c)
{
	evtchn_alloc_unbound_t *a = conf_buf(c, sizeof(*a));
	bool dom0 = conf_env_in(c, ENV_DOM0);
	long want = conf_env_in(c, ENV_ARM_DOM0LESS) ? -XEN_ESRCH
		    : dom0 ? 0 : -XEN_EPERM;
	evtchn_status_t st;
	unsigned int port = 1;
	bool allocated;
	long rc;

	if (!a)
		return;
	a->dom = 0;
	a->remote_dom = DOMID_SELF;
	rc = c->ops->event_channel_op(EVTCHNOP_alloc_unbound, a);
	conf_check(c, rc == want, "alloc_unbound in domain 0: %s, expected "
		   "%s", conf_errname(rc), conf_errname(want));
	allocated = rc == 0;
	if (allocated)
		port = a->port;
	rc = conf_evtchn_status(c, 0, port, &st);
	conf_check(c, rc == want, "status of domain 0's port %u: %s, "
		   "expected %s", port, conf_errname(rc), conf_errname(want));
	if (dom0 && rc == 0)
		conf_check(c, st.status == EVTCHNSTAT_unbound &&
				      st.u.unbound.dom == 0,
			   "port %u: state %u, remote %u; expected unbound for"
			   " domain 0", port, st.status, st.u.unbound.dom);
	/* Only dom0's port is ours; a domU wrongly allowed must not close
	 * its own port of the same number. */
	if (allocated && dom0)
		conf_close(c, port);
}

const struct conf_test conf_tests_evtchn[] = {
	{
		.name = "evtchn_alloc_unbound",
		.category = "events",
		.checks = "EVTCHNOP_alloc_unbound gives distinct ports in "
			  "1..4095",
		.why = "every PV protocol starts with an unbound port",
		.source = "public/event_channel.h",
		.expect = "all: rc 0, two distinct ports, neither 0",
		.runs_on = ENV_ALL,
		.run = evtchn_alloc_unbound,
	},
	{
		.name = "evtchn_status_unbound",
		.category = "events",
		.checks = "EVTCHNOP_status of an unbound port: state, remote "
			  "domain (DOMID_SELF resolved), vcpu",
		.why = "a dom0less guest learns its own domid this way",
		.source = "public/event_channel.h; common/event_channel.c",
		.expect = "all: unbound, remote = our domid, vcpu 0",
		.runs_on = ENV_ALL,
		.run = evtchn_status_unbound,
	},
	{
		.name = "evtchn_bind_interdomain_self",
		.category = "events",
		.checks = "bind_interdomain to our own unbound port; both ends "
			  "report interdomain and point at each other",
		.why = "loopback channels test the event path without a peer",
		.source = "public/event_channel.h",
		.expect = "all: two distinct ports, cross-linked",
		.runs_on = ENV_ALL,
		.run = evtchn_bind_interdomain_self,
	},
	{
		.name = "evtchn_send_sets_pending",
		.category = "events",
		.checks = "EVTCHNOP_send sets the peer's pending bit in "
			  "shared_info, keeps masks, leaves the sender clean",
		.why = "the 2-level ABI's shared bitmaps are the contract",
		.source = "public/xen.h shared_info evtchn_pending/mask",
		.expect = "all: peer pending and still masked, both ways",
		.runs_on = ENV_ALL,
		.run = evtchn_send_sets_pending,
	},
	{
		.name = "evtchn_delivery",
		.category = "events",
		.checks = "a send on an unmasked port is delivered once",
		.why = "the upcall (PVH vector, arm PPI) or poll (PV) path",
		.source = "public/xen.h vcpu_info evtchn_upcall_pending",
		.expect = "all: exactly one delivery within 1 s",
		.runs_on = ENV_ALL,
		.run = evtchn_delivery,
	},
	{
		.name = "evtchn_unmask_redelivers",
		.category = "events",
		.checks = "a masked port stays pending; EVTCHNOP_unmask clears"
			  " the mask and delivers",
		.why = "guests rely on unmask to not lose events that came "
		       "while masked",
		.source = "public/event_channel.h EVTCHNOP_unmask",
		.expect = "all: no delivery while masked, one after unmask",
		.runs_on = ENV_ALL,
		.run = evtchn_unmask_redelivers,
	},
	{
		.name = "evtchn_send_unbound_dropped",
		.category = "events",
		.checks = "a send on an unbound port succeeds and does nothing",
		.why = "a frontend may notify before its backend connects",
		.source = "common/event_channel.c evtchn_send (ECS_UNBOUND)",
		.expect = "all: rc 0, nothing pending",
		.runs_on = ENV_ALL,
		.run = evtchn_send_unbound_dropped,
	},
	{
		.name = "evtchn_close",
		.category = "events",
		.checks = "close: state closed, the peer unbound again; sends "
			  "and closes on a closed port fail",
		.why = "teardown order between two ends must be safe",
		.source = "public/event_channel.h EVTCHNOP_close",
		.expect = "all: 0, closed, peer unbound; then -EINVAL",
		.runs_on = ENV_ALL,
		.run = evtchn_close,
	},
	{
		.name = "evtchn_bad_port",
		.category = "events",
		.checks = "send/close/unmask/status on a port past the table; "
			  "the reserved port 0",
		.why = "error codes, never a crash, for a guest's bad index",
		.source = "common/event_channel.c _evtchn_from_port",
		.expect = "all: -EINVAL; status(0) closed",
		.runs_on = ENV_ALL,
		.run = evtchn_bad_port,
	},
	{
		.name = "evtchn_double_bind",
		.category = "events",
		.checks = "bind_interdomain to a port already bound; "
			  "VIRQ_DEBUG bound twice",
		.why = "a port has one peer, a virq one port per vCPU",
		.source = "common/event_channel.c evtchn_bind_interdomain, "
			  "evtchn_bind_virq",
		.expect = "all: -EINVAL, then -EEXIST",
		.runs_on = ENV_ALL,
		.run = evtchn_double_bind,
	},
	{
		.name = "evtchn_virq_timer",
		.category = "events",
		.checks = "a VIRQ_TIMER port reports virq 0 on vcpu 0; a "
			  "second bind is refused",
		.why = "Mica's idle loop sleeps on VIRQ_TIMER (x86); on arm "
		       "nothing raises it, yet binding must work",
		.source = "public/xen.h VIRQ_TIMER; common/event_channel.c "
			  "evtchn_bind_virq",
		.expect = "x86: the kernel's port, vcpu 0, rebind -EEXIST; "
			  "arm: unbound, bind 0, vcpu 0, rebind -EEXIST",
		.runs_on = ENV_ALL,
		.run = evtchn_virq_timer,
	},
	{
		.name = "evtchn_bind_virq_bad",
		.category = "events",
		.checks = "bind_virq with virq NR_VIRQS, a missing vCPU, a "
			  "global virq on vCPU 1",
		.why = "bounds and per-vCPU rules of virq binding",
		.source = "common/event_channel.c evtchn_bind_virq",
		.expect = "all: -EINVAL, -ENOENT, -EINVAL",
		.runs_on = ENV_ALL,
		.run = evtchn_bind_virq_bad,
	},
	{
		.name = "evtchn_bad_domain",
		.category = "events",
		.checks = "alloc_unbound, bind_interdomain and status naming a"
			  " domain that does not exist",
		.why = "a stale domid must fail cleanly",
		.source = "common/event_channel.c (rcu_lock_domain_by_any_id)",
		.expect = "all: -ESRCH",
		.runs_on = ENV_ALL,
		.run = evtchn_bad_domain,
	},
	{
		.name = "evtchn_foreign",
		.category = "privilege",
		.checks = "alloc_unbound and status in domain 0's table, "
			  "named by number",
		.why = "only a privileged domain (or the domain itself) may "
		       "act on a domain's ports",
		.source = "xsm/dummy.h xsm_evtchn_unbound, xsm_evtchn_status "
			  "(XSM_TARGET)",
		.expect = "xl domU: -EPERM; dom0less (no domain 0): -ESRCH; "
			  "dom0 (itself): 0, the port reads back unbound",
		.runs_on = ENV_ALL,
		.run = evtchn_foreign,
	},
};
const size_t conf_tests_evtchn_count = ARRAY_SIZE(conf_tests_evtchn);
