/*
 * Random numbers for the network stack: local ports, DHCP and DNS ids
 * (LWIP_RAND) and TCP initial sequence numbers (RFC 6528, through lwIP's
 * ISN hook).
 *
 * At start the stack takes a 256-bit seed from the kernel's entropy
 * sources (include/mica/entropy.h: RDRAND, RNDR, virtio-rng). From it,
 * SipHash-2-4 keyed by one half makes LWIP_RAND's values (a keyed hash
 * of a counter: unpredictable without the key, and no device access
 * while the core lock is held); the other half keys the ISN hash.
 *
 * Without any entropy source the stack refuses to start, unless the
 * kernel option insecure_rng=1 accepts a clock-derived seed (predictable:
 * for tests only).
 */
#include <string.h>
#include <mica/entropy.h>
#include <mica/options.h>
#include <mica/printk.h>
#include <mica/time.h>
#include "lwip/ip_addr.h"
#include "mica_lwip_hooks.h"
#include "port.h"

static uint64_t rand_key[2], isn_key[2];
static uint64_t rand_counter;

static inline uint64_t rotl(uint64_t x, int b)
{
	return (x << b) | (x >> (64 - b));
}

#define SIPROUND(v0, v1, v2, v3)                                               \
	do {                                                                   \
		v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);      \
		v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;                         \
		v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;                         \
		v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);      \
	} while (0)

/*
 * SipHash-2-4 of a message of 8 * @n bytes given as @n little-endian
 * words (the final block carries only the length, as the algorithm pads
 * a whole number of words).
 */
static uint64_t siphash(const uint64_t key[2], const uint64_t *m, int n)
{
	uint64_t v0 = key[0] ^ 0x736f6d6570736575ULL;
	uint64_t v1 = key[1] ^ 0x646f72616e646f6dULL;
	uint64_t v2 = key[0] ^ 0x6c7967656e657261ULL;
	uint64_t v3 = key[1] ^ 0x7465646279746573ULL;
	uint64_t last = (uint64_t)(8 * n) << 56;

	for (int i = 0; i <= n; i++) {
		uint64_t w = i < n ? m[i] : last;

		v3 ^= w;
		SIPROUND(v0, v1, v2, v3);
		SIPROUND(v0, v1, v2, v3);
		v0 ^= w;
	}
	v2 ^= 0xff;
	for (int i = 0; i < 4; i++)
		SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

uint32_t mica_random_u32(void)
{
	uint64_t c = rand_counter++;

	return (uint32_t)siphash(rand_key, &c, 1);
}

/* Before the stack starts: lwip_init already draws a local port. */
void net_random_init(void)
{
	uint64_t seed[4];

	if (entropy_read(seed, sizeof(seed)) == 0) {
		pr_info("net: random seed from %s\n", entropy_source_name());
	} else if (net_config.insecure_rng) {
		uint64_t t = monotonic_ns() ^ wallclock_ns();

		for (int i = 0; i < 4; i++)
			seed[i] = t * 0x9e3779b97f4a7c15ULL + (uint64_t)i;
		printk("net: WARNING: no entropy source; insecure_rng=1: TCP "
		       "sequence numbers, ports and DNS ids are predictable\n");
	} else {
		net_refuse("no entropy source (%s): TCP sequence numbers, "
			   "ports and DNS ids would be predictable. Give the "
			   "guest a CPU with RDRAND/RNDR (QEMU: -cpu max) or "
			   "a virtio-rng device, or boot with insecure_rng=1 "
			   "to accept a clock-derived seed (tests only)",
			   entropy_source_name()
				   ? "the sources failed"
				   : "no RDRAND, RNDR or virtio-rng");
	}
	memcpy(rand_key, seed, sizeof(rand_key));
	memcpy(isn_key, seed + 2, sizeof(isn_key));
	memset(seed, 0, sizeof(seed));
}

/*
 * ISN = M + F(local, remote, secret): M ticks every 4 us, F is the keyed
 * hash of the connection's addresses and ports. Successive connections
 * between the same ends still get increasing numbers, while an observer
 * of one connection learns nothing about another's.
 */
u32_t mica_tcp_isn(const ip_addr_t *local_ip, u16_t local_port,
		   const ip_addr_t *remote_ip, u16_t remote_port)
{
	uint64_t m[2] = {
		(uint64_t)ip4_addr_get_u32(ip_2_ip4(local_ip)) |
			(uint64_t)ip4_addr_get_u32(ip_2_ip4(remote_ip)) << 32,
		(uint64_t)local_port | (uint64_t)remote_port << 16,
	};

	return (u32_t)(monotonic_ns() / 4000) + (u32_t)siphash(isn_key, m, 2);
}
