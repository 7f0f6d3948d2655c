/* The resolver's numeric parts: error strings and getnameinfo. */
#include <errno.h>
#include <stdio.h>
#include <netdb.h>
#include <arpa/inet.h>

const char *gai_strerror(int err)
{
	switch (err) {
	case 0:
		return "Success";
	case EAI_NONAME:
		return "Name or service not known";
	case EAI_SERVICE:
		return "Service not supported for socket type";
	case EAI_FAIL:
		return "Non-recoverable failure in name resolution";
	case EAI_MEMORY:
		return "Memory allocation failure";
	case EAI_FAMILY:
		return "Address family not supported";
	case EAI_AGAIN:
		return "Temporary failure in name resolution";
	case EAI_BADFLAGS:
		return "Bad value for ai_flags";
	case EAI_SOCKTYPE:
		return "Socket type not supported";
	case EAI_SYSTEM:
		return "System error";
	case EAI_OVERFLOW:
		return "Argument buffer overflow";
	default:
		return "Unknown resolver error";
	}
}

/* Numeric host and port only: the stack has no reverse lookups. */
int getnameinfo(const struct sockaddr *addr, socklen_t addrlen, char *host,
		socklen_t hostlen, char *serv, socklen_t servlen, int flags)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)addr;

	if (!addr || addrlen < sizeof(*sin))
		return EAI_FAIL;
	if (addr->sa_family != AF_INET)
		return EAI_FAMILY;
	if (host && hostlen) {
		if (flags & NI_NAMEREQD)
			return EAI_NONAME;
		if (!inet_ntop(AF_INET, &sin->sin_addr, host, hostlen))
			return EAI_OVERFLOW;
	}
	if (serv && servlen) {
		int n = snprintf(serv, servlen, "%u", ntohs(sin->sin_port));

		if (n < 0 || (socklen_t)n >= servlen)
			return EAI_OVERFLOW;
	}
	return 0;
}
