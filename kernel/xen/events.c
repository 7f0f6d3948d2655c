/*
 * Event channels, 2-level ABI: shared_info holds a pending and a mask bit
 * per port; vcpu_info's pending selector says which words to look at.
 * Xen sets evtchn_upcall_pending and raises the upcall; we clear it, take
 * the selector, and call each pending, unmasked port's handler.
 */
#include <mica/panic.h>
#include <mica/printk.h>
#include <mica/sched_hooks.h>
#include <mica/xen/events.h>
#include <mica/xen/hcall.h>
#include <mica/xen/platform.h>
#include <mica/xen/xen.h>

#define BITS_PER_WORD (sizeof(xen_ulong_t) * 8)

struct port_handler {
	evtchn_handler_t fn;
	void *arg;
};

static struct port_handler handlers[EVTCHN_MAX];
static unsigned long delivered;

static void bit_set(xen_ulong_t *words, unsigned int bit)
{
	__atomic_fetch_or(&words[bit / BITS_PER_WORD],
			  (xen_ulong_t)1 << (bit % BITS_PER_WORD),
			  __ATOMIC_SEQ_CST);
}

static void bit_clear(xen_ulong_t *words, unsigned int bit)
{
	__atomic_fetch_and(&words[bit / BITS_PER_WORD],
			   ~((xen_ulong_t)1 << (bit % BITS_PER_WORD)),
			   __ATOMIC_SEQ_CST);
}

static bool bit_test(const xen_ulong_t *words, unsigned int bit)
{
	return __atomic_load_n(&words[bit / BITS_PER_WORD], __ATOMIC_SEQ_CST) &
	       ((xen_ulong_t)1 << (bit % BITS_PER_WORD));
}

int evtchn_init(void)
{
	if (!xen_shared_info || !xen_vcpu_info)
		return -1;
	/* Start with everything masked; binding unmasks what we handle. */
	for (unsigned int i = 0; i < EVTCHN_MAX / BITS_PER_WORD; i++)
		xen_shared_info->evtchn_mask[i] = ~(xen_ulong_t)0;
	return 0;
}

void evtchn_mask(unsigned int port)
{
	if (port < EVTCHN_MAX)
		bit_set(xen_shared_info->evtchn_mask, port);
}

void evtchn_unmask(unsigned int port)
{
	size_t mark = hcall_mark();
	evtchn_unmask_t *u;

	if (port >= EVTCHN_MAX)
		return;
	/* EVTCHNOP_unmask re-raises an event that came while masked. */
	u = hcall_alloc(sizeof(*u));
	u->port = port;
	if (HYPERVISOR_event_channel_op(EVTCHNOP_unmask, u) < 0)
		bit_clear(xen_shared_info->evtchn_mask, port);
	hcall_release(mark);
}

int evtchn_set_handler(unsigned int port, evtchn_handler_t fn, void *arg)
{
	if (port >= EVTCHN_MAX)
		return -1;
	if (!handlers[port].fn && fn)
		sched_wake_sources++;
	else if (handlers[port].fn && !fn)
		sched_wake_sources--;
	handlers[port].fn = fn;
	handlers[port].arg = arg;
	if (fn)
		evtchn_unmask(port);
	else
		evtchn_mask(port);
	return 0;
}

int evtchn_bind_virq(unsigned int virq, evtchn_handler_t fn, void *arg)
{
	size_t mark = hcall_mark();
	evtchn_bind_virq_t *b = hcall_alloc(sizeof(*b));
	long rc;

	b->virq = virq;
	b->vcpu = 0;
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, b);
	if (rc == 0 && b->port >= EVTCHN_MAX)
		rc = -1; /* a port we cannot represent: refuse it */
	if (rc == 0)
		rc = b->port;
	hcall_release(mark);
	if (rc >= 0)
		evtchn_set_handler((unsigned int)rc, fn, arg);
	return (int)rc;
}

int evtchn_alloc_unbound(uint16_t remote, unsigned int *port)
{
	size_t mark = hcall_mark();
	evtchn_alloc_unbound_t *a = hcall_alloc(sizeof(*a));
	long rc;

	a->dom = DOMID_SELF;
	a->remote_dom = remote;
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, a);
	if (rc == 0)
		*port = a->port;
	hcall_release(mark);
	return (int)rc;
}

int evtchn_bind_interdomain(uint16_t remote, unsigned int remote_port,
			    unsigned int *port)
{
	size_t mark = hcall_mark();
	evtchn_bind_interdomain_t *b = hcall_alloc(sizeof(*b));
	long rc;

	b->remote_dom = remote;
	b->remote_port = remote_port;
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, b);
	if (rc == 0)
		*port = b->local_port;
	hcall_release(mark);
	return (int)rc;
}

int evtchn_send(unsigned int port)
{
	size_t mark = hcall_mark();
	evtchn_send_t *s = hcall_alloc(sizeof(*s));
	long rc;

	s->port = port;
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_send, s);
	hcall_release(mark);
	return (int)rc;
}

int evtchn_close(unsigned int port)
{
	size_t mark = hcall_mark();
	evtchn_close_t *c = hcall_alloc(sizeof(*c));
	long rc;

	evtchn_set_handler(port, NULL, NULL);
	c->port = port;
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_close, c);
	hcall_release(mark);
	return (int)rc;
}

void evtchn_do_upcall(void)
{
	struct shared_info *s = xen_shared_info;
	xen_ulong_t sel;

	do {
		xen_vcpu_info->evtchn_upcall_pending = 0;
		sel = __atomic_exchange_n(&xen_vcpu_info->evtchn_pending_sel, 0,
					  __ATOMIC_SEQ_CST);
		while (sel) {
			unsigned int w = (unsigned int)__builtin_ctzl(sel);
			xen_ulong_t bits;

			sel &= sel - 1;
			if (w >= EVTCHN_MAX / BITS_PER_WORD)
				continue;
			bits = s->evtchn_pending[w] & ~s->evtchn_mask[w];
			while (bits) {
				unsigned int b = (unsigned int)__builtin_ctzl(bits);
				unsigned int port = w * BITS_PER_WORD + b;

				bits &= bits - 1;
				bit_clear(s->evtchn_pending, port);
				delivered++;
				if (handlers[port].fn)
					handlers[port].fn(port,
							  handlers[port].arg);
			}
		}
	} while (__atomic_load_n(&xen_vcpu_info->evtchn_upcall_pending,
				 __ATOMIC_SEQ_CST));
}

unsigned int evtchn_bound_ports(uint32_t *ports, unsigned int max)
{
	unsigned int n = 0;

	for (unsigned int p = 0; p < EVTCHN_MAX && n < max; p++)
		if (handlers[p].fn)
			ports[n++] = p;
	return n;
}

unsigned long evtchn_delivered(void)
{
	return delivered;
}

bool evtchn_is_pending(unsigned int port)
{
	return port < EVTCHN_MAX && bit_test(xen_shared_info->evtchn_pending,
					     port);
}
