/* Name resolution through the stack's DNS client (lib/lwip/netdb.c) and
 * numeric conversions (lib/net/netdb.c). "localhost" needs no server. */
#ifndef _NETDB_H
#define _NETDB_H

#include <stddef.h>
#include <sys/socket.h>
#include <netinet/in.h>

#ifdef __cplusplus
extern "C" {
#endif

struct hostent {
	char *h_name;
	char **h_aliases;
	int h_addrtype;
	int h_length;
	char **h_addr_list;
#define h_addr h_addr_list[0]
};

struct addrinfo {
	int ai_flags;
	int ai_family;
	int ai_socktype;
	int ai_protocol;
	socklen_t ai_addrlen;
	struct sockaddr *ai_addr;
	char *ai_canonname;
	struct addrinfo *ai_next;
};

#define AI_PASSIVE 0x01
#define AI_CANONNAME 0x02
#define AI_NUMERICHOST 0x04
#define AI_NUMERICSERV 0x08
#define AI_V4MAPPED 0x10
#define AI_ALL 0x20
#define AI_ADDRCONFIG 0x40

#define EAI_NONAME 200
#define EAI_SERVICE 201
#define EAI_FAIL 202
#define EAI_MEMORY 203
#define EAI_FAMILY 204
#define EAI_AGAIN 205
#define EAI_BADFLAGS 206
#define EAI_SOCKTYPE 207
#define EAI_SYSTEM 208
#define EAI_OVERFLOW 209

/* h_errno values */
#define HOST_NOT_FOUND 210
#define NO_DATA 211
#define NO_RECOVERY 212
#define TRY_AGAIN 213
extern int h_errno;

#define NI_NUMERICHOST 0x01
#define NI_NUMERICSERV 0x02
#define NI_NOFQDN 0x04
#define NI_NAMEREQD 0x08
#define NI_DGRAM 0x10
#define NI_MAXHOST 1025
#define NI_MAXSERV 32

int getaddrinfo(const char *node, const char *service,
		const struct addrinfo *hints, struct addrinfo **res);
void freeaddrinfo(struct addrinfo *ai);
const char *gai_strerror(int err);
/* Numeric only: there is no reverse DNS (NI_NAMEREQD fails). */
int getnameinfo(const struct sockaddr *addr, socklen_t addrlen, char *host,
		socklen_t hostlen, char *serv, socklen_t servlen, int flags);
struct hostent *gethostbyname(const char *name);
int gethostbyname_r(const char *name, struct hostent *ret, char *buf,
		    size_t buflen, struct hostent **result, int *h_errnop);

#ifdef __cplusplus
}
#endif

#endif
