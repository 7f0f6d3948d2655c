/* TCP socket options (level IPPROTO_TCP). */
#ifndef _NETINET_TCP_H
#define _NETINET_TCP_H

#define TCP_NODELAY 0x01	/* send small segments at once (no Nagle) */
#define TCP_KEEPALIVE 0x02	/* idle time before probes, in ms */
#define TCP_KEEPIDLE 0x03	/* idle time before probes, in s */
#define TCP_KEEPINTVL 0x04	/* time between probes, in s */
#define TCP_KEEPCNT 0x05	/* probes before giving up */

#endif
