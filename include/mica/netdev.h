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

/* What became of TCP/UDP checksums on a device that offloads them. */
struct netdev_csum_stats {
	unsigned long tx_offloaded;	/* left to the device to finish */
	unsigned long tx_software;	/* the driver computed them */
	unsigned long rx_device;	/* the device vouched for them */
	unsigned long rx_software;	/* the driver checked them */
	unsigned long rx_bad_csum;	/* wrong (or malformed IPv4): dropped */
	unsigned long rx_bad_hdr;	/* the device's header lied: dropped */
};

struct netdev {
	const char *name;
	uint8_t mac[6];
	uint16_t mtu;		/* payload bytes, usually 1500 */
	/* The driver fills in the TCP/UDP checksums of frames it sends: the
	 * stack leaves them out. Only ever with csum_rx_ok. */
	bool csum_tx_offload;
	/* TCP/UDP checksums of every frame the driver delivers were checked
	 * (by the device or the driver): the stack need not check them. */
	bool csum_rx_ok;
	struct netdev_csum_stats csum;
	const struct netdev_ops *ops;
	/* Set by the stack; the driver calls it from a thread (never from
	 * interrupt context) for each received frame. The frame is only
	 * valid during the call. */
	void (*receive)(struct netdev *dev, const void *frame, size_t len);
	void *stack;		/* the stack's own data */
	void *priv;		/* the driver's own data */
	struct netdev *next;
};

/* net.csum_offload=on|off (default on): drivers use checksum offloads
 * their devices offer only while this is set. */
extern bool netdev_csum_offload;

void netdev_register(struct netdev *dev);
struct netdev *netdev_first(void);

#endif
