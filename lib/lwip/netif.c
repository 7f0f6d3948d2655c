/*
 * One lwIP interface per registered netdev (include/mica/netdev.h):
 * Ethernet with ARP. Frames the stack sends go to the driver's transmit;
 * frames the driver receives are copied into a pbuf and queued for the
 * stack thread (tcpip_input), so the driver's thread never runs protocol
 * code.
 */
#include <string.h>
#include <mica/heap.h>
#include <mica/netdev.h>
#include <mica/options.h>
#include <mica/printk.h>
#include "lwip/etharp.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/tcpip.h"
#include "netif/ethernet.h"
#include "port.h"

#define ETH_HDR_MAX (SIZEOF_ETH_HDR + 4)	/* with a VLAN tag */

/* Drivers' checksum code (include/mica/net_csum.h) knows IPv4 only. */
#if LWIP_IPV6
#error "checksum offload parses IPv4 only: teach net_csum.c IPv6 first"
#endif

struct mica_netif {
	struct netif netif;
	struct netdev *dev;
	uint8_t *txbuf;		/* a chained frame is gathered here */
	size_t txbuf_len;
	unsigned long rx_dropped, tx_dropped;
};

/* The stack thread sends a frame (core lock held). */
static err_t linkoutput(struct netif *netif, struct pbuf *p)
{
	struct mica_netif *mn = netif->state;
	const void *frame = p->payload;

	/* One pbuf is sent in place; a chain is gathered first. */
	if (p->next) {
		if (p->tot_len > mn->txbuf_len) {
			mn->tx_dropped++;
			return ERR_BUF;
		}
		pbuf_copy_partial(p, mn->txbuf, p->tot_len, 0);
		frame = mn->txbuf;
	}
	if (mn->dev->ops->transmit(mn->dev, frame, p->tot_len) < 0) {
		mn->tx_dropped++;
		return ERR_IF; /* TCP keeps the segment and sends it again */
	}
	return ERR_OK;
}

/* The driver hands us a frame, from its own thread. */
static void receive(struct netdev *dev, const void *frame, size_t len)
{
	struct mica_netif *mn = dev->stack;
	struct pbuf *p;

	if (len < SIZEOF_ETH_HDR || len > 0xffff) {
		mn->rx_dropped++;
		return;
	}
	p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
	if (!p) {
		mn->rx_dropped++;
		return;
	}
	pbuf_take(p, frame, (u16_t)len);
	/* tcpip_input queues it; a full queue drops it (TCP resends). */
	if (mn->netif.input(p, &mn->netif) != ERR_OK) {
		pbuf_free(p);
		mn->rx_dropped++;
	}
}

static err_t netif_setup(struct netif *netif)
{
	struct mica_netif *mn = netif->state;
	struct netdev *dev = mn->dev;

	netif->name[0] = 'e';
	netif->name[1] = 'n';
	netif->output = etharp_output;
	netif->linkoutput = linkoutput;
	netif->mtu = dev->mtu ? dev->mtu : 1500;
	netif->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(netif->hwaddr, dev->mac, ETH_HWADDR_LEN);
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP |
		       NETIF_FLAG_ETHERNET;
	netif_set_hostname(netif, "mica");
	/*
	 * TCP and UDP checksums the driver takes care of (the IP header's
	 * and ICMP's stay here). Generation is never off without the check:
	 * a frame lwIP sends to its own address loops back into this netif
	 * with the field unfilled.
	 */
	if (dev->csum_rx_ok) {
		u16_t off = NETIF_CHECKSUM_CHECK_TCP | NETIF_CHECKSUM_CHECK_UDP;

		if (dev->csum_tx_offload)
			off |= NETIF_CHECKSUM_GEN_TCP | NETIF_CHECKSUM_GEN_UDP;
		NETIF_SET_CHECKSUM_CTRL(netif, NETIF_CHECKSUM_ENABLE_ALL &
					       (u16_t)~off);
	}
	return ERR_OK;
}

struct netif *net_netif_add(struct netdev *dev, bool static_addr)
{
	struct mica_netif *mn = heap_alloc(sizeof(*mn));
	ip4_addr_t ip, mask, gw;

	if (!mn || !(mn->txbuf = heap_alloc(ETH_HDR_MAX + dev->mtu + 64))) {
		heap_free(mn);
		printk("net: %s: out of memory\n", dev->name);
		return NULL;
	}
	memset(&mn->netif, 0, sizeof(mn->netif));
	mn->dev = dev;
	mn->txbuf_len = ETH_HDR_MAX + dev->mtu + 64;
	mn->rx_dropped = mn->tx_dropped = 0;
	ip4_addr_set_zero(&ip);
	ip4_addr_set_zero(&mask);
	ip4_addr_set_zero(&gw);
	if (static_addr) {
		ip4_addr_set_u32(&ip, lwip_htonl(net_config.ip));
		ip4_addr_set_u32(&mask, lwip_htonl(net_config.netmask));
		ip4_addr_set_u32(&gw, lwip_htonl(net_config.gw));
	}
	if (!netif_add(&mn->netif, &ip, &mask, &gw, mn, netif_setup,
		       tcpip_input)) {
		heap_free(mn->txbuf);
		heap_free(mn);
		printk("net: %s: lwIP refused the interface\n", dev->name);
		return NULL;
	}
	/* The driver may deliver frames from now on. */
	dev->stack = mn;
	dev->receive = receive;
	netif_set_link_up(&mn->netif);
	netif_set_up(&mn->netif);
	return &mn->netif;
}
