/* Internet addresses (IPv4; IPv6 types are declared for portable code,
 * but Mica's stack has no IPv6 yet). See sys/socket.h. */
#ifndef _NETINET_IN_H
#define _NETINET_IN_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef _IN_ADDR_T_DECLARED
typedef uint32_t in_addr_t;
#define _IN_ADDR_T_DECLARED
#endif
#ifndef _IN_PORT_T_DECLARED
typedef uint16_t in_port_t;
#define _IN_PORT_T_DECLARED
#endif

struct in_addr {
	in_addr_t s_addr;	/* network byte order */
};

struct sockaddr_in {
	uint8_t sin_len;
	sa_family_t sin_family;
	in_port_t sin_port;	/* network byte order */
	struct in_addr sin_addr;
	char sin_zero[8];
};

struct in6_addr {
	uint8_t s6_addr[16];
};

struct sockaddr_in6 {
	uint8_t sin6_len;
	sa_family_t sin6_family;
	in_port_t sin6_port;
	uint32_t sin6_flowinfo;
	struct in6_addr sin6_addr;
	uint32_t sin6_scope_id;
};

extern const struct in6_addr in6addr_any, in6addr_loopback;
#define IN6ADDR_ANY_INIT { { 0 } }
#define IN6ADDR_LOOPBACK_INIT                                                  \
	{ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } }

#define IPPROTO_IP 0
#define IPPROTO_ICMP 1
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define IPPROTO_IPV6 41
#define IPPROTO_RAW 255

#define IP_TOS 1
#define IP_TTL 2
#define IPV6_V6ONLY 27

#define INADDR_ANY ((in_addr_t)0x00000000)
#define INADDR_LOOPBACK ((in_addr_t)0x7f000001)
#define INADDR_BROADCAST ((in_addr_t)0xffffffff)
#define INADDR_NONE ((in_addr_t)0xffffffff)

#define INET_ADDRSTRLEN 16
#define INET6_ADDRSTRLEN 46

#define IN_MULTICAST(a) ((((uint32_t)(a)) & 0xf0000000) == 0xe0000000)
#define IN_LOOPBACK(a) ((((uint32_t)(a)) & 0xff000000) == 0x7f000000)

/* Byte order: both of Mica's CPUs are little-endian. */
static inline uint32_t htonl(uint32_t x)
{
	return __builtin_bswap32(x);
}

static inline uint16_t htons(uint16_t x)
{
	return __builtin_bswap16(x);
}

static inline uint32_t ntohl(uint32_t x)
{
	return __builtin_bswap32(x);
}

static inline uint16_t ntohs(uint16_t x)
{
	return __builtin_bswap16(x);
}

#ifdef __cplusplus
}
#endif

#endif
