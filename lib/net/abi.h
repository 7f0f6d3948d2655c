/*
 * The values Mica's POSIX headers (include/posix/) share with lwIP's:
 * socket calls pass addresses, options and flags straight through, so
 * they must agree. Two files check this list at compile time, one against
 * lwIP's headers (lib/lwip/abi_lwip.c), one against ours
 * (lib/net/abi_posix.c); a mismatch stops the build.
 */
#ifndef MICA_NET_ABI_H
#define MICA_NET_ABI_H

#define NET_ABI_CONSTANTS(X)                                                   \
	X(AF_UNSPEC, 0) X(AF_INET, 2) X(PF_INET, 2)                            \
	X(SOCK_STREAM, 1) X(SOCK_DGRAM, 2) X(SOCK_RAW, 3)                      \
	X(SOL_SOCKET, 0xfff) X(SO_DEBUG, 0x0001) X(SO_ACCEPTCONN, 0x0002)      \
	X(SO_REUSEADDR, 0x0004) X(SO_KEEPALIVE, 0x0008)                        \
	X(SO_DONTROUTE, 0x0010) X(SO_BROADCAST, 0x0020) X(SO_LINGER, 0x0080)   \
	X(SO_OOBINLINE, 0x0100) X(SO_REUSEPORT, 0x0200) X(SO_SNDBUF, 0x1001)   \
	X(SO_RCVBUF, 0x1002) X(SO_SNDLOWAT, 0x1003) X(SO_RCVLOWAT, 0x1004)     \
	X(SO_SNDTIMEO, 0x1005) X(SO_RCVTIMEO, 0x1006) X(SO_ERROR, 0x1007)      \
	X(SO_TYPE, 0x1008)                                                     \
	X(MSG_PEEK, 0x01) X(MSG_WAITALL, 0x02) X(MSG_OOB, 0x04)                \
	X(MSG_DONTWAIT, 0x08) X(MSG_MORE, 0x10) X(MSG_NOSIGNAL, 0x20)          \
	X(SHUT_RD, 0) X(SHUT_WR, 1) X(SHUT_RDWR, 2)                            \
	X(IPPROTO_IP, 0) X(IPPROTO_ICMP, 1) X(IPPROTO_TCP, 6)                  \
	X(IPPROTO_UDP, 17) X(IPPROTO_RAW, 255) X(IP_TOS, 1) X(IP_TTL, 2)       \
	X(TCP_NODELAY, 1) X(TCP_KEEPALIVE, 2) X(TCP_KEEPIDLE, 3)               \
	X(TCP_KEEPINTVL, 4) X(TCP_KEEPCNT, 5)                                  \
	X(INADDR_ANY, 0) X(INADDR_LOOPBACK, 0x7f000001)                        \
	X(INADDR_BROADCAST, 0xffffffff) X(INADDR_NONE, 0xffffffff)             \
	X(INET_ADDRSTRLEN, 16)                                                 \
	X(POLLIN, 0x1) X(POLLOUT, 0x2) X(POLLERR, 0x4) X(POLLNVAL, 0x8)        \
	X(POLLRDNORM, 0x10) X(POLLRDBAND, 0x20) X(POLLPRI, 0x40)               \
	X(POLLWRNORM, 0x80) X(POLLWRBAND, 0x100) X(POLLHUP, 0x200)             \
	X(FIONREAD, 0x4008667f) X(FIONBIO, 0x8008667e)                         \
	X(AI_PASSIVE, 0x01) X(AI_CANONNAME, 0x02) X(AI_NUMERICHOST, 0x04)      \
	X(AI_NUMERICSERV, 0x08) X(AI_V4MAPPED, 0x10) X(AI_ALL, 0x20)           \
	X(AI_ADDRCONFIG, 0x40)                                                 \
	X(EAI_NONAME, 200) X(EAI_SERVICE, 201) X(EAI_FAIL, 202)                \
	X(EAI_MEMORY, 203) X(EAI_FAMILY, 204)                                  \
	X(HOST_NOT_FOUND, 210) X(NO_DATA, 211) X(NO_RECOVERY, 212)             \
	X(TRY_AGAIN, 213)

/* Structure sizes and member offsets: X(type, member, offset). */
#define NET_ABI_SIZES(S)                                                       \
	S(struct sockaddr, 16) S(struct sockaddr_in, 16)                       \
	S(struct in_addr, 4) S(socklen_t, 4) S(sa_family_t, 1)                 \
	S(in_port_t, 2) S(in_addr_t, 4) S(struct linger, 8)                    \
	S(struct pollfd, 8) S(nfds_t, 4)

#define NET_ABI_OFFSETS(O)                                                     \
	O(struct sockaddr, sa_len, 0) O(struct sockaddr, sa_family, 1)         \
	O(struct sockaddr, sa_data, 2)                                         \
	O(struct sockaddr_in, sin_len, 0) O(struct sockaddr_in, sin_family, 1) \
	O(struct sockaddr_in, sin_port, 2) O(struct sockaddr_in, sin_addr, 4)  \
	O(struct sockaddr_in, sin_zero, 8)                                     \
	O(struct linger, l_onoff, 0) O(struct linger, l_linger, 4)             \
	O(struct pollfd, fd, 0) O(struct pollfd, events, 4)                    \
	O(struct pollfd, revents, 6)                                           \
	O(struct addrinfo, ai_flags, 0) O(struct addrinfo, ai_family, 4)       \
	O(struct addrinfo, ai_socktype, 8) O(struct addrinfo, ai_protocol, 12) \
	O(struct addrinfo, ai_addrlen, 16) O(struct addrinfo, ai_addr, 24)     \
	O(struct addrinfo, ai_canonname, 32) O(struct addrinfo, ai_next, 40)   \
	O(struct hostent, h_name, 0) O(struct hostent, h_aliases, 8)           \
	O(struct hostent, h_addrtype, 16) O(struct hostent, h_length, 20)      \
	O(struct hostent, h_addr_list, 24)

#define NET_ABI_CHECK_CONSTANT(name, value)                                    \
	_Static_assert((long long)(name) == (long long)(value),                \
		       #name " differs from lib/net/abi.h");
#define NET_ABI_CHECK_SIZE(type, size)                                         \
	_Static_assert(sizeof(type) == (size),                                 \
		       "sizeof(" #type ") differs from lib/net/abi.h");
#define NET_ABI_CHECK_OFFSET(type, member, offset)                             \
	_Static_assert(__builtin_offsetof(type, member) == (offset),           \
		       #type "." #member " differs from lib/net/abi.h");

#define NET_ABI_CHECK_ALL                                                      \
	NET_ABI_CONSTANTS(NET_ABI_CHECK_CONSTANT)                              \
	NET_ABI_SIZES(NET_ABI_CHECK_SIZE)                                      \
	NET_ABI_OFFSETS(NET_ABI_CHECK_OFFSET)

#endif
