/*
 * The network stack (lwIP, lib/lwip/), linked only into apps that ask for
 * it (NET := y in apps/<name>/app.mk, which defines CONFIG_NET).
 */
#ifndef MICA_NET_H
#define MICA_NET_H

/*
 * Start the stack and bring up every registered netdev (DHCP unless ip=
 * is given), then wait for the addresses (dhcp_wait=) before the app's
 * main runs. Called by start_kernel once the drivers have probed.
 */
void net_init(void);

#endif
