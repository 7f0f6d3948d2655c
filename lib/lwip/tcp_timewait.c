/*
 * TCP connections in TIME-WAIT, seen from lwIP's IPv4 input hook (the
 * core lock is held, and no TCP code is running).
 *
 * A server that closes first, as httpd does after "Connection: close",
 * keeps each closed connection in TIME-WAIT for 2 MSL (two minutes in
 * lwIP). Two things go wrong with that on their own:
 *
 *   - Clients reuse their ports long before. A SYN for a connection that
 *     lwIP still holds in TIME-WAIT gets an ACK instead of a SYN-ACK; the
 *     client answers with a RST, which TIME-WAIT ignores (RFC 1337), and
 *     tries again seconds later: the new connection hangs until the old
 *     one expires. Under wrk through QEMU's user network (which keeps the
 *     host client's port), ports came back within a second. As BSD
 *     and Linux do (RFC 1122 4.2.2.13, RFC 6191), a SYN whose sequence
 *     number is past everything the old connection received ends the
 *     TIME-WAIT early, and the SYN goes on to the listener.
 *
 *   - Nothing limits their number: with the pools on the heap
 *     (MEMP_MEM_MALLOC) lwIP never runs out of pcbs, so it never recycles
 *     the oldest TIME-WAIT one as it would with a fixed pool, and every
 *     segment that matches no connection walks the whole list. Before a
 *     new connection starts (an incoming SYN, or the SYN-ACK of one we
 *     opened), the oldest are ended until fewer than
 *     MICA_TCP_TIME_WAIT_MAX remain (lwipopts.h).
 *
 * Everything else takes lwIP's ordinary path.
 */
#include "lwip/inet_chksum.h"
#include "lwip/ip_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/prot/ip.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/tcp.h"
#include "lwip/tcp.h"
#include "mica_lwip_hooks.h"

/* The TIME-WAIT pcb of the connection (@src:@sport -> @dst:@dport), as
 * tcp_input would find it for a segment arriving on @inp. */
static struct tcp_pcb *find_time_wait(struct netif *inp, const ip_addr_t *src,
				      u16_t sport, const ip_addr_t *dst,
				      u16_t dport)
{
	for (struct tcp_pcb *pcb = tcp_tw_pcbs; pcb; pcb = pcb->next) {
		if (pcb->netif_idx != NETIF_NO_INDEX &&
		    pcb->netif_idx != netif_get_index(inp))
			continue;
		if (pcb->remote_port == sport && pcb->local_port == dport &&
		    ip_addr_cmp(&pcb->remote_ip, src) &&
		    ip_addr_cmp(&pcb->local_ip, dst))
			return pcb;
	}
	return NULL;
}

/* The segment's IP and TCP checksums, where the interface asks for them
 * (ip4_input and tcp_input would check them only after this hook). */
static bool checksums_ok(struct pbuf *p, struct netif *inp,
			 const struct ip_hdr *ip, u16_t hlen, u16_t len,
			 const ip_addr_t *src, const ip_addr_t *dst)
{
	bool ok = true;

	IF__NETIF_CHECKSUM_ENABLED(inp, NETIF_CHECKSUM_CHECK_IP) {
		if (inet_chksum(ip, hlen) != 0)
			return false;
	}
	IF__NETIF_CHECKSUM_ENABLED(inp, NETIF_CHECKSUM_CHECK_TCP) {
		u16_t tcp_len = (u16_t)(len - hlen);

		if (pbuf_remove_header(p, hlen))
			return false;
		ok = ip_chksum_pseudo_partial(p, IP_PROTO_TCP, tcp_len,
					      tcp_len, src, dst) == 0;
		pbuf_add_header_force(p, hlen); /* back where it was */
	}
	return ok;
}

/* End the oldest TIME-WAIT connections until fewer than the limit are left. */
static void limit_time_wait(void)
{
	for (;;) {
		struct tcp_pcb *pcb, *oldest = NULL;
		unsigned int count = 0;

		for (pcb = tcp_tw_pcbs; pcb; pcb = pcb->next) {
			count++;
			if (!oldest || (u32_t)(tcp_ticks - pcb->tmr) >=
					       (u32_t)(tcp_ticks - oldest->tmr))
				oldest = pcb;
		}
		if (count < MICA_TCP_TIME_WAIT_MAX)
			return;
		tcp_abort(oldest); /* a TIME-WAIT pcb: freed, no RST sent */
	}
}

int mica_ip4_input_hook(struct pbuf *p, struct netif *inp)
{
	const struct ip_hdr *ip = p->payload;
	const struct tcp_hdr *tcp;
	struct tcp_pcb *old;
	ip_addr_t src, dst;
	u16_t hlen, len;
	u8_t flags;

	/* Only whole (unfragmented) TCP segments that open a connection,
	 * with both headers in the first pbuf; ip4_input checks the rest. */
	if (p->len < IP_HLEN || IPH_V(ip) != 4 ||
	    IPH_PROTO(ip) != IP_PROTO_TCP ||
	    (IPH_OFFSET(ip) & PP_HTONS(IP_OFFMASK | IP_MF)))
		return 0;
	hlen = IPH_HL_BYTES(ip);
	len = lwip_ntohs(IPH_LEN(ip));
	if (hlen < IP_HLEN || len < hlen + TCP_HLEN || len > p->tot_len ||
	    p->len < hlen + TCP_HLEN)
		return 0;
	tcp = (const struct tcp_hdr *)((const u8_t *)ip + hlen);
	flags = TCPH_FLAGS(tcp);
	if (!(flags & TCP_SYN) || (flags & (TCP_RST | TCP_FIN)))
		return 0;

	limit_time_wait();
	if (flags & TCP_ACK)
		return 0; /* a SYN-ACK: nothing more to do */
	ip_addr_copy_from_ip4(src, ip->src);
	ip_addr_copy_from_ip4(dst, ip->dest);
	old = find_time_wait(inp, &src, lwip_ntohs(tcp->src), &dst,
			     lwip_ntohs(tcp->dest));
	if (old && TCP_SEQ_GT(lwip_ntohl(tcp->seqno), old->rcv_nxt) &&
	    checksums_ok(p, inp, ip, hlen, len, &src, &dst))
		tcp_abort(old);
	return 0;
}
