#ifndef MICA_OPTIONS_H
#define MICA_OPTIONS_H

#include <mica/cmdline.h>

struct kernel_config {
	unsigned int main_stack_kib;
};

extern struct kernel_config kernel_config;

#ifdef CONFIG_NET
/* Network options (only in apps that link the stack). Addresses are in
 * host byte order; a flag says whether each was given. */
struct net_config {
	uint32_t ip, netmask, gw, dns;
	bool have_ip, have_netmask, have_gw, have_dns;
	unsigned int dhcp_wait_s;	/* wait for a lease before main */
	bool insecure_rng;		/* accept a clock-seeded generator */
};

extern struct net_config net_config;
#endif
extern const struct kernel_option kernel_options[];
extern const size_t kernel_options_count;

#endif
