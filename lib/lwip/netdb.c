/*
 * getaddrinfo and gethostbyname over lwIP's resolver (DNS, plus
 * "localhost" from its local host list). lwIP takes only numeric ports:
 * a few well-known service names are translated here first.
 */
#include <stdlib.h>
#include <string.h>
#include "lwip/netdb.h"

static const struct {
	const char *name;
	const char *port;
} services[] = {
	{ "http", "80" }, { "https", "443" }, { "http-alt", "8080" },
	{ "domain", "53" }, { "ntp", "123" }, { "echo", "7" },
	{ "ssh", "22" }, { "smtp", "25" }, { "ftp", "21" }, { "telnet", "23" },
};

int getaddrinfo(const char *node, const char *service,
		const struct addrinfo *hints, struct addrinfo **res)
{
	int rc;

	if (service && (service[0] < '0' || service[0] > '9')) {
		const char *port = NULL;

		for (size_t i = 0; i < sizeof(services) / sizeof(services[0]);
		     i++)
			if (strcmp(service, services[i].name) == 0)
				port = services[i].port;
		if (!port || (hints && (hints->ai_flags & AI_NUMERICSERV)))
			return EAI_SERVICE;
		service = port;
	}
	rc = lwip_getaddrinfo(node, service, hints, res);
	/*
	 * lwIP returns one address with the hints' socket type, which may
	 * be 0; a caller that passes it to socket() wants a stream socket
	 * (the first of the list a full resolver would return).
	 */
	if (rc == 0 && (*res)->ai_socktype == 0) {
		(*res)->ai_socktype = SOCK_STREAM;
		(*res)->ai_protocol = IPPROTO_TCP;
	}
	return rc;
}

void freeaddrinfo(struct addrinfo *ai)
{
	if (ai)
		lwip_freeaddrinfo(ai);
}

struct hostent *gethostbyname(const char *name)
{
	return lwip_gethostbyname(name);
}

int gethostbyname_r(const char *name, struct hostent *ret, char *buf,
		    size_t buflen, struct hostent **result, int *h_errnop)
{
	return lwip_gethostbyname_r(name, ret, buf, buflen, result, h_errnop);
}
