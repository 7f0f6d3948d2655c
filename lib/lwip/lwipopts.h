/*
 * lwIP configuration for Mica (lwIP 2.1.3, see lwip/opt.h for each option).
 *
 * The stack runs in its own cooperative thread (tcpip_thread); apps use it
 * through the socket API from their own threads. With core locking, a
 * socket call takes the core mutex and runs the stack function directly
 * instead of posting a message and waiting for the stack thread. Received
 * frames still go through the stack thread's mailbox, so a driver's
 * receive path never runs protocol code (and never re-enters the driver's
 * transmit).
 */
#ifndef MICA_LWIPOPTS_H
#define MICA_LWIPOPTS_H

#include <mica/heap.h>
#include <mica/sched.h>

/* --- operating system ------------------------------------------------ */
#define NO_SYS 0
#define SYS_LIGHTWEIGHT_PROT 1	/* no-ops: see arch/sys_arch.h */
#define LWIP_TCPIP_CORE_LOCKING 1
#define LWIP_TCPIP_CORE_LOCKING_INPUT 0
void mica_lwip_assert_core_locked(void);
#define LWIP_ASSERT_CORE_LOCKED() mica_lwip_assert_core_locked()

#define TCPIP_THREAD_NAME "tcpip"
#define TCPIP_THREAD_STACKSIZE THREAD_STACK_SIZE
#define TCPIP_MBOX_SIZE 256
#define DEFAULT_THREAD_STACKSIZE THREAD_STACK_SIZE
#define DEFAULT_TCP_RECVMBOX_SIZE 64
#define DEFAULT_UDP_RECVMBOX_SIZE 32
#define DEFAULT_RAW_RECVMBOX_SIZE 8
/* Room for a whole listen backlog (lwIP takes at most 255): a connection
 * that finds the accept queue full is reset. */
#define DEFAULT_ACCEPTMBOX_SIZE 256

/* --- memory: everything from Mica's heap ---------------------------- */
/*
 * Both the general allocator (mem_malloc) and the fixed-size pools
 * (memp_malloc: pcbs, pbufs, messages) take blocks from the kernel heap,
 * so the stack has no static arena and no per-type limits to tune; the
 * MEMP_NUM_* counts below only matter where lwIP sizes an array by them.
 */
#define MEM_LIBC_MALLOC 1
#define MEMP_MEM_MALLOC 1
#define mem_clib_malloc heap_alloc
#define mem_clib_free heap_free
#define MEM_ALIGNMENT 8

/*
 * Sockets are a static table of MEMP_NUM_NETCONN entries. newlib's
 * sys/select.h sizes fd_set at 64 unless FD_SETSIZE is set first; the
 * build passes -DFD_SETSIZE to every file that includes lwIP (lwip.mk),
 * as lwIP insists that an fd_set hold every socket. Apps keep newlib's
 * 64 for select(); poll() takes any descriptor.
 */
#define MEMP_NUM_NETCONN 128
#define MEMP_NUM_TCP_PCB 128
#define MEMP_NUM_TCP_PCB_LISTEN 16
#define MEMP_NUM_UDP_PCB 16

/* --- protocols ------------------------------------------------------- */
#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_RAW 0
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_IGMP 0
#define IP_REASSEMBLY 1
#define IP_FRAG 1
#define ARP_TABLE_SIZE 32
#define ARP_QUEUEING 1

#define LWIP_DHCP 1
/* Skip the ARP probe for the offered address: it adds seconds to every
 * boot, and the virtual networks Mica runs on hand out unique leases. */
#define DHCP_DOES_ARP_CHECK 0
#define LWIP_NETIF_HOSTNAME 1

#define LWIP_DNS 1
#define DNS_MAX_SERVERS 2
#define DNS_TABLE_SIZE 8
/* "localhost" resolves without a server. */
#define DNS_LOCAL_HOSTLIST 1
#define DNS_LOCAL_HOSTLIST_INIT                                                \
	{                                                                      \
		DNS_LOCAL_HOSTLIST_ELEM("localhost",                           \
					IPADDR4_INIT_BYTES(127, 0, 0, 1))      \
	}

/* --- TCP ------------------------------------------------------------- */
/*
 * Ethernet-sized segments and a 16-segment window each way: about 23 KiB
 * of receive window and send buffer per connection (under the 64 KiB a
 * window can reach without scaling), plenty for a virtual NIC.
 */
#define TCP_MSS 1460
#define TCP_WND (16 * TCP_MSS)
#define TCP_SND_BUF (16 * TCP_MSS)
#define TCP_SND_QUEUELEN (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_OVERSIZE TCP_MSS
#define TCP_LISTEN_BACKLOG 1
#define TCP_DEFAULT_LISTEN_BACKLOG 128
#define LWIP_TCP_KEEPALIVE 1
/*
 * Connections in TIME-WAIT (2 MSL, two minutes) are kept to at most this
 * many, the oldest ended first, and a client's new SYN ends an old one on
 * the same ports: lib/lwip/tcp_timewait.c. About 200 bytes each.
 */
#define MICA_TCP_TIME_WAIT_MAX 512
#define LWIP_TCP_TIMESTAMPS 0
#define TCP_QUEUE_OOSEQ 1

/* --- network interfaces ---------------------------------------------- */
#define LWIP_SINGLE_NETIF 0
#define LWIP_NETIF_LOOPBACK 1		/* 127.0.0.1 and our own address */
#define LWIP_HAVE_LOOPIF 1
#define LWIP_LOOPBACK_MAX_PBUFS 0	/* no limit on the loop queue */
#define LWIP_NETIF_STATUS_CALLBACK 0
#define LWIP_CHECKSUM_CTRL_PER_NETIF 1	/* checksum offload: netif.c */

/* --- sockets --------------------------------------------------------- */
/*
 * The POSIX names (socket, read, close, poll...) are Mica's own, in
 * lib/lwip/socket.c, over one descriptor table shared with the console:
 * lwIP's compatibility macros would give sockets a numbering of their own.
 */
#define LWIP_SOCKET 1
#define LWIP_NETCONN 1
#define LWIP_COMPAT_SOCKETS 0
#define LWIP_POSIX_SOCKETS_IO_NAMES 0
#define LWIP_SOCKET_OFFSET 0
#define LWIP_SOCKET_SELECT 1
#define LWIP_SOCKET_POLL 1
#define LWIP_SO_RCVTIMEO 1
#define LWIP_SO_SNDTIMEO 1
#define LWIP_SO_RCVBUF 1
#define LWIP_SO_LINGER 1
#define SO_REUSE 1
#define LWIP_FIONREAD_LINUXMODE 1
#define LWIP_TIMEVAL_PRIVATE 0		/* newlib's struct timeval */
#define LWIP_ERRNO_STDINCLUDE 1		/* newlib's errno values */

/* --- randomness ------------------------------------------------------ */
/*
 * Local ports, DHCP transaction ids and DNS ids/ports come from LWIP_RAND;
 * TCP initial sequence numbers from a keyed hash (RFC 6528) through the
 * ISN hook. Both come from a seed taken from the kernel's entropy sources
 * (lib/lwip/random.c).
 */
#include <stdint.h>
uint32_t mica_random_u32(void);
#define LWIP_RAND() mica_random_u32()
#define LWIP_RANDOMIZE_INITIAL_LOCAL_PORTS 1
#define LWIP_HOOK_FILENAME "mica_lwip_hooks.h"

/* --- diagnostics ----------------------------------------------------- */
#define LWIP_STATS 0

#endif
