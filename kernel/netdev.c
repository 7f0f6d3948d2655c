/* The list of network devices drivers have registered. */
#include <mica/netdev.h>
#include <mica/printk.h>

static struct netdev *devices;
bool netdev_csum_offload = true;

void netdev_register(struct netdev *dev)
{
	struct netdev **p = &devices;

	while (*p)
		p = &(*p)->next;
	dev->next = NULL;
	*p = dev;
	pr_info("net: %s, MAC %02x:%02x:%02x:%02x:%02x:%02x, MTU %u\n",
		dev->name, dev->mac[0], dev->mac[1], dev->mac[2], dev->mac[3],
		dev->mac[4], dev->mac[5], dev->mtu);
}

struct netdev *netdev_first(void)
{
	return devices;
}
