/*
 * The interface between network drivers (virtio-net, later netfront) and
 * the network stack (lwIP, lib/lwip/). A driver fills in a struct netdev
 * and registers it; the stack sets @receive before the device is used.
 * Frames are whole Ethernet frames without the FCS.
 */
#ifndef MICA_NETDEV_H
#define MICA_NETDEV_H

#include <mica/types.h>

struct netdev;

struct netdev_ops {
	/* Queue one frame; returns 0, or -1 if it cannot be sent now (the
	 * caller drops it: TCP retransmits). May block the calling thread
	 * briefly; never called from interrupt context. */
	int (*transmit)(struct netdev *dev, const void *frame, size_t len);
};

struct netdev {
	const char *name;
	uint8_t mac[6];
	uint16_t mtu;		/* payload bytes, usually 1500 */
	bool csum_rx_ok;	/* the device verified RX checksums */
	const struct netdev_ops *ops;
	/* Set by the stack; the driver calls it from a thread (never from
	 * interrupt context) for each received frame. The frame is only
	 * valid during the call. */
	void (*receive)(struct netdev *dev, const void *frame, size_t len);
	void *stack;		/* the stack's own data */
	void *priv;		/* the driver's own data */
	struct netdev *next;
};

void netdev_register(struct netdev *dev);
struct netdev *netdev_first(void);

#endif
