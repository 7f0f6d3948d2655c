/* lwIP hooks (LWIP_HOOK_FILENAME): Mica's TCP initial sequence numbers
 * (random.c) and the TIME-WAIT handling of incoming SYNs (tcp_timewait.c). */
#ifndef MICA_LWIP_HOOKS_H
#define MICA_LWIP_HOOKS_H

#include "lwip/ip_addr.h"

struct netif;
struct pbuf;

u32_t mica_tcp_isn(const ip_addr_t *local_ip, u16_t local_port,
		   const ip_addr_t *remote_ip, u16_t remote_port);
#define LWIP_HOOK_TCP_ISN mica_tcp_isn

/* Sees every IPv4 packet before ip4_input does; never eats one (0). */
int mica_ip4_input_hook(struct pbuf *p, struct netif *inp);
#define LWIP_HOOK_IP4_INPUT mica_ip4_input_hook

#endif
