/*
 * Our own domain id, without xenstore (a dom0less domU has none): an
 * unbound port offered to DOMID_SELF records our real id as its remote
 * end, which EVTCHNOP_status reports.
 */
#include <mica/xen/events.h>
#include <mica/xen/grant.h>
#include <mica/xen/hcall.h>
#include <mica/xen/xen.h>

int xen_own_domid(uint16_t *domid)
{
	static int known = -1;
	size_t mark;
	evtchn_status_t *st;
	unsigned int port;
	int rc;

	if (known >= 0) {
		*domid = (uint16_t)known;
		return 0;
	}
	rc = evtchn_alloc_unbound(DOMID_SELF, &port);
	if (rc)
		return rc;
	mark = hcall_mark();
	st = hcall_alloc(sizeof(*st));
	st->dom = DOMID_SELF;
	st->port = port;
	rc = (int)HYPERVISOR_event_channel_op(EVTCHNOP_status, st);
	if (rc == 0 && st->status == EVTCHNSTAT_unbound)
		known = st->u.unbound.dom;
	else if (rc == 0)
		rc = -1;
	hcall_release(mark);
	evtchn_close(port);
	if (rc == 0)
		*domid = (uint16_t)known;
	return rc;
}
