/* lwIP hooks (LWIP_HOOK_FILENAME): Mica's TCP initial sequence numbers. */
#ifndef MICA_LWIP_HOOKS_H
#define MICA_LWIP_HOOKS_H

#include "lwip/ip_addr.h"

u32_t mica_tcp_isn(const ip_addr_t *local_ip, u16_t local_port,
		   const ip_addr_t *remote_ip, u16_t remote_port);
#define LWIP_HOOK_TCP_ISN mica_tcp_isn

#endif
