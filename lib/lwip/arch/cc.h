/* lwIP's compiler and platform definitions for Mica (newlib, gcc). */
#ifndef MICA_LWIP_ARCH_CC_H
#define MICA_LWIP_ARCH_CC_H

#include <limits.h>
#include <sys/time.h>	/* struct timeval (SO_RCVTIMEO), not lwIP's */
#include <mica/panic.h>
#include <mica/printk.h>

/* newlib's machine/endian.h defines BYTE_ORDER, which lwIP reads. */
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "Mica's lwIP port assumes a little-endian CPU"
#endif

/* newlib's ssize_t is a long; lwIP makes its own unless it sees this. */
#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX
#endif

/* Byte swaps as single instructions rather than lwIP's C versions. */
#define lwip_htons(x) ((u16_t)__builtin_bswap16((u16_t)(x)))
#define lwip_ntohs(x) lwip_htons(x)
#define lwip_htonl(x) ((u32_t)__builtin_bswap32((u32_t)(x)))
#define lwip_ntohl(x) lwip_htonl(x)

#define LWIP_PLATFORM_DIAG(x) do { printk x; } while (0)
/* A failed lwIP assertion is a bug: stop with the kernel's report. */
#define LWIP_PLATFORM_ASSERT(x)                                                \
	panic("lwIP assertion \"%s\" failed at %s:%d", x, __FILE__, __LINE__)

#endif
