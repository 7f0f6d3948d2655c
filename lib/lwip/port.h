/* Shared between the files of Mica's lwIP port (not for apps). */
#ifndef MICA_LWIP_PORT_H
#define MICA_LWIP_PORT_H

#include <mica/types.h>

struct fd_ops;
struct netdev;
struct netif;

/* socket.c: the descriptor-table operations of a socket (poll.c tells
 * sockets from other descriptors by them). */
extern const struct fd_ops mica_socket_fd_ops;

/* net_init.c: stop the boot over a configuration the stack refuses. */
void net_refuse(const char *fmt, ...) __printf(1, 2) __noreturn;

/* random.c: seed the stack's random numbers from the entropy sources
 * (stops the boot if there is none and insecure_rng=1 was not given). */
void net_random_init(void);

/* netif.c: an lwIP interface for @dev (core lock held). */
struct netif *net_netif_add(struct netdev *dev, bool static_addr);

#endif
