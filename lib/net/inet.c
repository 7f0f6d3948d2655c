/* IPv4 address conversions (arpa/inet.h). No IPv6: EAFNOSUPPORT. */
#include <errno.h>
#include <stdio.h>
#include <arpa/inet.h>

const struct in6_addr in6addr_any = IN6ADDR_ANY_INIT;
const struct in6_addr in6addr_loopback = IN6ADDR_LOOPBACK_INIT;

static int digit_value(char c, unsigned int base)
{
	unsigned int v;

	if (c >= '0' && c <= '9')
		v = (unsigned int)(c - '0');
	else if (c >= 'a' && c <= 'f')
		v = (unsigned int)(c - 'a' + 10);
	else if (c >= 'A' && c <= 'F')
		v = (unsigned int)(c - 'A' + 10);
	else
		return -1;
	return v < base ? (int)v : -1;
}

/*
 * The classic inet_aton forms: "a.b.c.d", "a.b.c" (c 16 bits), "a.b"
 * (b 24 bits) and "a" (32 bits), each part decimal, 0x hex or 0 octal.
 */
int inet_aton(const char *cp, struct in_addr *addr)
{
	uint32_t part[4];
	int nparts = 0;
	uint32_t v;

	for (;;) {
		unsigned int base = 10;
		uint64_t n = 0;
		int d, ndigits = 0;

		if (cp[0] == '0' && (cp[1] == 'x' || cp[1] == 'X')) {
			base = 16;
			cp += 2;
		} else if (cp[0] == '0' && cp[1] >= '0' && cp[1] <= '9') {
			base = 8;
			cp++;
		}
		while ((d = digit_value(*cp, base)) >= 0) {
			n = n * base + (unsigned int)d;
			if (n > 0xffffffffULL)
				return 0;
			cp++;
			ndigits++;
		}
		if (!ndigits && base != 8)
			return 0;
		part[nparts++] = (uint32_t)n;
		if (*cp != '.')
			break;
		if (nparts == 4)
			return 0;
		cp++;
	}
	if (*cp)
		return 0;
	for (int i = 0; i < nparts - 1; i++)
		if (part[i] > 255)
			return 0;
	v = part[nparts - 1];
	switch (nparts) {
	case 1:
		break;
	case 2:
		if (v > 0xffffff)
			return 0;
		v |= part[0] << 24;
		break;
	case 3:
		if (v > 0xffff)
			return 0;
		v |= part[0] << 24 | part[1] << 16;
		break;
	default:
		if (v > 255)
			return 0;
		v |= part[0] << 24 | part[1] << 16 | part[2] << 8;
		break;
	}
	if (addr)
		addr->s_addr = htonl(v);
	return 1;
}

in_addr_t inet_addr(const char *cp)
{
	struct in_addr a;

	return inet_aton(cp, &a) ? a.s_addr : INADDR_NONE;
}

char *inet_ntoa(struct in_addr addr)
{
	static char buf[INET_ADDRSTRLEN];

	return (char *)inet_ntop(AF_INET, &addr, buf, sizeof(buf));
}

const char *inet_ntop(int af, const void *src, char *dst, socklen_t size)
{
	const uint8_t *b = src;
	char tmp[INET_ADDRSTRLEN];
	int n;

	if (af != AF_INET) {
		errno = EAFNOSUPPORT;
		return NULL;
	}
	n = snprintf(tmp, sizeof(tmp), "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	if (n < 0 || (socklen_t)n >= size) {
		errno = ENOSPC;
		return NULL;
	}
	for (int i = 0; i <= n; i++)
		dst[i] = tmp[i];
	return dst;
}

/* Strictly "a.b.c.d": four decimal numbers 0-255, no leading zeros. */
int inet_pton(int af, const char *src, void *dst)
{
	uint8_t out[4];

	if (af != AF_INET) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	for (int i = 0; i < 4; i++) {
		unsigned int n = 0;
		int ndigits = 0;

		while (*src >= '0' && *src <= '9') {
			if (ndigits && n == 0)
				return 0; /* leading zero */
			n = n * 10 + (unsigned int)(*src++ - '0');
			if (++ndigits > 3 || n > 255)
				return 0;
		}
		if (!ndigits || (i < 3 && *src++ != '.'))
			return 0;
		out[i] = (uint8_t)n;
	}
	if (*src)
		return 0;
	for (int i = 0; i < 4; i++)
		((uint8_t *)dst)[i] = out[i];
	return 1;
}
