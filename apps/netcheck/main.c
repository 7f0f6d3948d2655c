/*
 * netcheck: the network driver without a stack. Sends an ARP request for
 * the QEMU user-network gateway (10.0.2.2) from 10.0.2.15 and waits for
 * the reply, which proves transmit, receive and the device interrupt.
 * Exit status 0 on a reply, 1 without one, 2 without a network device.
 */
#include <stdio.h>
#include <string.h>
#include <mica/irq.h>
#include <mica/netdev.h>
#include <mica/sched.h>
#include <mica/time.h>

static const uint8_t my_ip[4] = { 10, 0, 2, 15 };
static const uint8_t gw_ip[4] = { 10, 0, 2, 2 };
static struct waitq wq;
static int replies, frames;
static uint8_t gw_mac[6];

static void on_frame(struct netdev *d, const void *frame, size_t len)
{
	const uint8_t *f = frame;

	(void)d;
	frames++;
	/* Ethernet type ARP, opcode reply, sender IP the gateway. */
	if (len >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[20] == 0 &&
	    f[21] == 2 && memcmp(f + 28, gw_ip, 4) == 0) {
		memcpy(gw_mac, f + 22, 6);
		replies++;
		waitq_wake_all(&wq);
	}
}

int main(void)
{
	struct netdev *d = netdev_first();
	uint8_t arp[42] = { 0 };
	uint64_t until;

	if (!d) {
		puts("netcheck: FAIL no network device");
		return 2;
	}
	waitq_init(&wq);
	d->receive = on_frame;
	memset(arp, 0xff, 6);			/* broadcast */
	memcpy(arp + 6, d->mac, 6);
	arp[12] = 0x08, arp[13] = 0x06;		/* ARP */
	arp[15] = 1;				/* Ethernet */
	arp[16] = 0x08;				/* IPv4 */
	arp[18] = 6, arp[19] = 4, arp[21] = 1;	/* request */
	memcpy(arp + 22, d->mac, 6);
	memcpy(arp + 28, my_ip, 4);
	memcpy(arp + 38, gw_ip, 4);
	until = monotonic_ns() + 2 * NSEC_PER_SEC;
	for (int i = 0; i < 3 && !replies; i++) {
		if (d->ops->transmit(d, arp, sizeof(arp)) < 0)
			puts("netcheck: transmit refused");
		waitq_wait(&wq, MIN(until, monotonic_ns() + 500 * NSEC_PER_MSEC));
	}
	if (!replies) {
		printf("netcheck: FAIL no ARP reply from 10.0.2.2 (%d frames "
		       "seen)\n", frames);
		return 1;
	}
	printf("netcheck: PASS ARP reply from 10.0.2.2 at "
	       "%02x:%02x:%02x:%02x:%02x:%02x\n",
	       gw_mac[0], gw_mac[1], gw_mac[2], gw_mac[3], gw_mac[4],
	       gw_mac[5]);
	printf("netcheck: %lu device interrupts\n", irq_device_count());
	return 0;
}
