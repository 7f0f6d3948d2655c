/*
 * Bringing the network up before the app's main: the random source, the
 * stack thread, an interface per netdev (the first one static with ip=,
 * every other one DHCP), then a bounded wait for the DHCP leases so that
 * main starts with addresses. Loopback (127.0.0.1) always works.
 */
#include <stdarg.h>
#include <mica/net.h>
#include <mica/netdev.h>
#include <mica/options.h>
#include <mica/panic.h>
#include <mica/printk.h>
#include <mica/sched.h>
#include <mica/shutdown.h>
#include <mica/time.h>
#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "lwip/netif.h"
#include "lwip/tcpip.h"
#include "port.h"

#define MAX_NETIFS 8

static struct netif *netifs[MAX_NETIFS];
static const char *dev_names[MAX_NETIFS];
static bool uses_dhcp[MAX_NETIFS];
static unsigned int nnetifs;

/* A configuration the stack cannot run with: say why and stop, like a
 * bad command line (no backtrace: nothing is broken). */
void net_refuse(const char *fmt, ...)
{
	va_list ap;

	printk("mica: net: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	mica_shutdown(MICA_EXIT_PANIC);
}

/* Options that only make sense together, checked once all are parsed. */
static void check_options(void)
{
	const struct net_config *c = &net_config;

	if (!c->have_ip && (c->have_gw || c->have_netmask))
		net_refuse("bad command line: %s= needs ip= (with DHCP the "
			   "lease sets it)",
		      c->have_gw ? "gw" : "netmask");
	if (c->have_ip && !c->have_netmask)
		net_config.netmask = 0xffffff00;
	if (c->have_ip && c->have_gw &&
	    ((c->gw ^ c->ip) & c->netmask) != 0)
		net_refuse("bad command line: gw=%u.%u.%u.%u is outside the "
			   "network of ip= (%u.%u.%u.%u, netmask "
			   "%u.%u.%u.%u)",
			   c->gw >> 24, (c->gw >> 16) & 255,
			   (c->gw >> 8) & 255, c->gw & 255, c->ip >> 24,
			   (c->ip >> 16) & 255, (c->ip >> 8) & 255,
			   c->ip & 255, c->netmask >> 24,
			   (c->netmask >> 16) & 255, (c->netmask >> 8) & 255,
			   c->netmask & 255);
}

static void tcpip_ready(void *arg)
{
	sys_sem_signal(arg);
}

static unsigned int prefix_len(const ip4_addr_t *mask)
{
	return (unsigned int)__builtin_popcount(ip4_addr_get_u32(mask));
}

/* "net: virtio-net: 10.0.2.15/24, gateway 10.0.2.2, DNS 10.0.2.3 (how)" */
static void print_address(unsigned int i, const char *how)
{
	struct netif *n = netifs[i];
	char ip[16], gw[16], dns[16];
	const ip_addr_t *d = dns_getserver(0);

	ip4addr_ntoa_r(netif_ip4_addr(n), ip, sizeof(ip));
	ip4addr_ntoa_r(netif_ip4_gw(n), gw, sizeof(gw));
	ip4addr_ntoa_r(ip_2_ip4(d), dns, sizeof(dns));
	pr_info("net: %s: %s/%u, gateway %s, DNS %s (%s)\n", dev_names[i],
		ip, prefix_len(netif_ip4_netmask(n)),
		ip4_addr_isany(netif_ip4_gw(n)) ? "none" : gw,
		ip_addr_isany(d) ? "none" : dns, how);
}

static void add_interfaces(void)
{
	struct netdev *dev;

	LOCK_TCPIP_CORE();
	for (dev = netdev_first(); dev && nnetifs < MAX_NETIFS;
	     dev = dev->next) {
		bool fixed = nnetifs == 0 && net_config.have_ip;
		struct netif *n = net_netif_add(dev, fixed);

		if (!n)
			continue;
		if (nnetifs == 0)
			netif_set_default(n);
		if (!fixed && dhcp_start(n) != ERR_OK)
			printk("net: %s: cannot start DHCP (out of memory)\n",
			       dev->name);
		uses_dhcp[nnetifs] = !fixed;
		dev_names[nnetifs] = dev->name;
		netifs[nnetifs++] = n;
	}
	if (dev)
		printk("net: only the first %d network devices are used\n",
		       MAX_NETIFS);
	if (net_config.have_dns) {
		ip_addr_t d;

		ip_addr_set_ip4_u32_val(d, lwip_htonl(net_config.dns));
		dns_setserver(0, &d);
	}
	if (nnetifs && net_config.have_ip)
		print_address(0, "static");
	UNLOCK_TCPIP_CORE();
}

/* Until every DHCP interface has a lease or dhcp_wait= seconds pass. */
static void wait_for_leases(void)
{
	uint64_t start = monotonic_ns();
	uint64_t deadline = start + net_config.dhcp_wait_s * NSEC_PER_SEC;
	bool done[MAX_NETIFS] = { false };
	unsigned int pending = 0;

	for (unsigned int i = 0; i < nnetifs; i++)
		pending += uses_dhcp[i];
	if (!pending)
		return;
	if (!net_config.dhcp_wait_s) {
		pr_info("net: DHCP started; main does not wait for it "
			"(dhcp_wait=0)\n");
		return;
	}
	while (pending && monotonic_ns() < deadline) {
		thread_sleep_ns(10 * NSEC_PER_MSEC);
		LOCK_TCPIP_CORE();
		for (unsigned int i = 0; i < nnetifs; i++) {
			char how[40];

			if (!uses_dhcp[i] || done[i] ||
			    !dhcp_supplied_address(netifs[i]))
				continue;
			mica_snprintf(how, sizeof(how), "DHCP, %llu ms",
				      (unsigned long long)((monotonic_ns() -
							    start) /
							   NSEC_PER_MSEC));
			print_address(i, how);
			done[i] = true;
			pending--;
		}
		UNLOCK_TCPIP_CORE();
	}
	for (unsigned int i = 0; i < nnetifs; i++)
		if (uses_dhcp[i] && !done[i])
			printk("net: %s: no DHCP lease after %u s; main starts "
			       "without an address (DHCP keeps trying; or set "
			       "one with ip=)\n",
			       dev_names[i], net_config.dhcp_wait_s);
}

void net_init(void)
{
	sys_sem_t ready;

	check_options();
	net_random_init();
	if (sys_sem_new(&ready, 0) != ERR_OK)
		panic("net: out of memory starting the stack");
	tcpip_init(tcpip_ready, &ready);
	sys_sem_wait(&ready);
	sys_sem_free(&ready);

	add_interfaces();
	if (!nnetifs) {
		pr_info("net: no network device: loopback (127.0.0.1) only\n");
		if (net_config.have_ip)
			printk("net: ip= ignored: there is no network "
			       "device\n");
		return;
	}
	wait_for_leases();
}
