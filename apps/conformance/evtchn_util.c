/* Event channel calls several test groups share; arena buffers only. */
#include <string.h>
#include <mica/xen/hcall.h>
#include "conformance.h"

int conf_alloc_unbound(struct conf_ctx *c, uint16_t remote,
		       unsigned int *port)
{
	size_t mark = hcall_mark();
	evtchn_alloc_unbound_t *a = conf_buf(c, sizeof(*a));
	long rc = -XEN_ENOMEM;

	if (a) {
		a->dom = DOMID_SELF;
		a->remote_dom = remote;
		rc = c->ops->event_channel_op(EVTCHNOP_alloc_unbound, a);
		if (rc == 0)
			*port = a->port;
	}
	hcall_release(mark);
	return (int)rc;
}

int conf_bind_interdomain(struct conf_ctx *c, uint16_t remote,
			  unsigned int remote_port, unsigned int *port)
{
	size_t mark = hcall_mark();
	evtchn_bind_interdomain_t *b = conf_buf(c, sizeof(*b));
	long rc = -XEN_ENOMEM;

	if (b) {
		b->remote_dom = remote;
		b->remote_port = remote_port;
		rc = c->ops->event_channel_op(EVTCHNOP_bind_interdomain, b);
		if (rc == 0)
			*port = b->local_port;
	}
	hcall_release(mark);
	return (int)rc;
}

int conf_evtchn_status(struct conf_ctx *c, uint16_t dom, unsigned int port,
		       evtchn_status_t *out)
{
	size_t mark = hcall_mark();
	evtchn_status_t *s = conf_buf(c, sizeof(*s));
	long rc = -XEN_ENOMEM;

	if (s) {
		s->dom = dom;
		s->port = port;
		rc = c->ops->event_channel_op(EVTCHNOP_status, s);
		*out = *s;
	}
	hcall_release(mark);
	return (int)rc;
}

/* send, close and unmask all take one port. */
long conf_evtchn_port_op(struct conf_ctx *c, int cmd, unsigned int port)
{
	size_t mark = hcall_mark();
	evtchn_port_t *p = conf_buf(c, 8); /* the three structs are a port */
	long rc = -XEN_ENOMEM;

	if (p) {
		*p = port;
		rc = c->ops->event_channel_op(cmd, p);
	}
	hcall_release(mark);
	return rc;
}

void conf_close(struct conf_ctx *c, unsigned int port)
{
	if (c->ops->ev_unwatch)
		c->ops->ev_unwatch(port);
	conf_evtchn_port_op(c, EVTCHNOP_close, port);
}

bool conf_loopback(struct conf_ctx *c, unsigned int *a, unsigned int *b)
{
	int rc = conf_alloc_unbound(c, DOMID_SELF, a);

	if (!conf_check(c, rc == 0, "alloc_unbound(DOMID_SELF) gave %s",
			conf_errname(rc)))
		return false;
	rc = conf_bind_interdomain(c, DOMID_SELF, *a, b);
	if (!conf_check(c, rc == 0, "bind_interdomain to our own port %u "
			"gave %s", *a, conf_errname(rc))) {
		conf_close(c, *a);
		return false;
	}
	/* Binding marks the new port pending (Xen may have missed a send
	 * on the unbound end): start from a clean state. */
	c->ops->ev_clear(*b);
	c->ops->ev_clear(*a);
	return true;
}
