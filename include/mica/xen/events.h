/* Xen event channels, 2-level ABI. Handlers run from the upcall (inside
 * the idle loop), so they may wake threads but must not block. */
#ifndef MICA_XEN_EVENTS_H
#define MICA_XEN_EVENTS_H

#include <mica/types.h>

typedef void (*evtchn_handler_t)(unsigned int port, void *arg);

#define EVTCHN_MAX 4096 /* 2-level ABI on 64-bit: 64 * 64 ports */

int evtchn_init(void);	/* needs xen_shared_info and xen_vcpu_info */
int evtchn_bind_virq(unsigned int virq, evtchn_handler_t fn, void *arg);
int evtchn_alloc_unbound(uint16_t remote, unsigned int *port);
int evtchn_bind_interdomain(uint16_t remote, unsigned int remote_port,
			    unsigned int *port);
int evtchn_set_handler(unsigned int port, evtchn_handler_t fn, void *arg);
int evtchn_send(unsigned int port);
int evtchn_close(unsigned int port);
void evtchn_mask(unsigned int port);
void evtchn_unmask(unsigned int port);
/* Deliver pending events: called by the arch upcall handler. */
void evtchn_do_upcall(void);
unsigned long evtchn_delivered(void);
/* Ports that have handlers (for polling); returns how many. */
unsigned int evtchn_bound_ports(uint32_t *ports, unsigned int max);
bool evtchn_is_pending(unsigned int port);

#endif
