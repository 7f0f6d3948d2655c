/*
 * TCP/UDP checksums of Ethernet frames for checksum-offloading network
 * drivers (include/mica/net_csum.h): the frame parser, the ones'
 * complement sums, the transmit preparation and the receive verdict on a
 * virtio-net header. Every offset read from a frame or a header is checked
 * against the frame's length before it is used.
 */
#include <string.h>
#include <mica/net_csum.h>

#define ETH_HLEN 14
#define ETHTYPE_IPV4 0x0800
#define ETHTYPE_VLAN 0x8100
#define ETHTYPE_QINQ 0x88a8
#define IPV4_MIN_HLEN 20
#define IPV4_FRAG_MASK 0x3fff	/* more-fragments flag and offset */
#define PROTO_TCP 6
#define PROTO_UDP 17
#define TCP_MIN_HLEN 20
#define TCP_CSUM_FIELD 16
#define UDP_HLEN 8
#define UDP_CSUM_FIELD 6

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/*
 * RFC 1071: the ones' complement sum does not depend on byte order. So
 * the words are added as the CPU loads them, 32 bits at a time into a
 * 64-bit accumulator (a 32-bit word is two 16-bit words, as 2^16 = 1 in
 * this arithmetic), and the folded result is swapped into big-endian
 * order once at the end on a little-endian CPU.
 */
uint32_t net_csum_add(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t acc = 0;
	uint16_t half;

	for (; len >= 4; p += 4, len -= 4) {
		uint32_t w;

		memcpy(&w, p, 4);
		acc += w;
	}
	if (len >= 2) {
		memcpy(&half, p, 2);
		acc += half;
		p += 2;
		len -= 2;
	}
	if (len) {
		uint8_t last[2] = { p[0], 0 };

		memcpy(&half, last, 2);
		acc += half;
	}
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	half = (uint16_t)acc;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	half = __builtin_bswap16(half);
#endif
	return sum + half;
}

uint16_t net_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The IPv4 pseudo-header: addresses, protocol, TCP/UDP length. */
static uint16_t pseudo_ipv4(const uint8_t *ip, uint8_t proto, size_t l4_len)
{
	uint32_t sum = net_csum_add(0, ip + 12, 8);

	return net_csum_fold(sum + proto + (uint32_t)l4_len);
}

enum net_csum_parse net_csum_parse(const uint8_t *frame, size_t len,
				   struct net_csum_l4 *l4)
{
	size_t off = ETH_HLEN, ihl, total;
	uint16_t type;
	const uint8_t *ip;

	if (len < ETH_HLEN)
		return NET_CSUM_NONE;
	type = get_be16(frame + 12);
	if (type == ETHTYPE_VLAN || type == ETHTYPE_QINQ) {
		/* One tag: its TCI, then the real type. */
		if (len < ETH_HLEN + 4)
			return NET_CSUM_NONE;
		type = get_be16(frame + 16);
		off += 4;
	}
	if (type != ETHTYPE_IPV4)
		return NET_CSUM_NONE;
	if (len - off < IPV4_MIN_HLEN)
		return NET_CSUM_MALFORMED;
	ip = frame + off;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	total = get_be16(ip + 2);
	if (ip[0] >> 4 != 4 || ihl < IPV4_MIN_HLEN || total < ihl ||
	    total > len - off)
		return NET_CSUM_MALFORMED;
	/* A fragment carries part of a datagram: no checksum to check or
	 * fill in one frame. */
	if (get_be16(ip + 6) & IPV4_FRAG_MASK)
		return NET_CSUM_NONE;
	l4->proto = ip[9];
	l4->l4_off = off + ihl;
	l4->l4_len = total - ihl;
	if (l4->proto == PROTO_TCP) {
		if (l4->l4_len < TCP_MIN_HLEN)
			return NET_CSUM_MALFORMED;
		l4->field = TCP_CSUM_FIELD;
	} else if (l4->proto == PROTO_UDP) {
		/* The checksum covers the datagram as UDP's own length
		 * field gives it: that must be the IP payload. */
		if (l4->l4_len < UDP_HLEN ||
		    get_be16(frame + l4->l4_off + 4) != l4->l4_len)
			return NET_CSUM_MALFORMED;
		l4->field = UDP_CSUM_FIELD;
	} else {
		return NET_CSUM_NONE;
	}
	l4->pseudo = pseudo_ipv4(ip, l4->proto, l4->l4_len);
	return NET_CSUM_L4;
}

bool net_csum_verify(const uint8_t *frame, const struct net_csum_l4 *l4)
{
	const uint8_t *seg = frame + l4->l4_off;

	if (l4->proto == PROTO_UDP && get_be16(seg + l4->field) == 0)
		return true; /* the sender gave no checksum (IPv4 allows it) */
	/* Summed with its own checksum, a right segment gives -0. */
	return net_csum_fold(net_csum_add(l4->pseudo, seg, l4->l4_len)) ==
	       0xffff;
}

/* The whole checksum of @l4's segment, written into its field. */
static void fill_in(uint8_t *frame, const struct net_csum_l4 *l4)
{
	uint8_t *seg = frame + l4->l4_off;
	uint16_t c;

	put_be16(seg + l4->field, 0);
	c = (uint16_t)~net_csum_fold(net_csum_add(l4->pseudo, seg, l4->l4_len));
	/* In UDP, 0 means "no checksum": the same value as -0 instead. */
	if (c == 0 && l4->proto == PROTO_UDP)
		c = 0xffff;
	put_be16(seg + l4->field, c);
}

enum net_csum_tx net_csum_tx_prepare(uint8_t *frame, size_t len,
				     uint16_t *start, uint16_t *off)
{
	struct net_csum_l4 l4;

	if (net_csum_parse(frame, len, &l4) != NET_CSUM_L4)
		return NET_CSUM_TX_NONE;
	/*
	 * The device sums from csum_start to the end of the frame and
	 * stores the complement at csum_start + csum_offset; seeded with
	 * the pseudo-header sum in the field, that is the checksum. Bytes
	 * after the datagram (padding) would be summed too: then the
	 * driver does it.
	 */
	if (l4.l4_off + l4.l4_len != len || l4.l4_off > 0xffff) {
		fill_in(frame, &l4);
		return NET_CSUM_TX_DONE;
	}
	put_be16(frame + l4.l4_off + l4.field, l4.pseudo);
	*start = (uint16_t)l4.l4_off;
	*off = l4.field;
	return NET_CSUM_TX_PARTIAL;
}

/*
 * NEEDS_CSUM on receive (virtio 1.x, 5.1.6.4): the device has validated
 * the packet, put the pseudo-header sum in the checksum field, and says
 * where summing starts and where the result goes. Where that is the
 * TCP/UDP checksum of a whole datagram in this frame, the frame is
 * accepted as it is (the stack does not look at the field). Otherwise the
 * checksum is completed here as the header describes, so that the frame
 * goes up fully checksummed. Either way the offsets must lie inside the
 * frame.
 */
static enum vnet_csum_rx rx_partial(uint8_t *frame, size_t len,
				    size_t start, size_t off)
{
	struct net_csum_l4 l4;
	uint16_t c;

	if (start >= len || off + 2 > len - start)
		return VNET_RX_BAD_HDR;
	if (net_csum_parse(frame, len, &l4) == NET_CSUM_L4 &&
	    l4.l4_off == start && l4.field == off &&
	    l4.l4_off + l4.l4_len == len)
		return VNET_RX_PARTIAL;
	c = (uint16_t)~net_csum_fold(net_csum_add(0, frame + start,
						  len - start));
	put_be16(frame + start + off, c);
	return VNET_RX_COMPLETED;
}

enum vnet_csum_rx vnet_csum_rx(const uint8_t *hdr, uint8_t *frame,
			       size_t len, bool guest_csum)
{
	struct net_csum_l4 l4;
	uint8_t flags = hdr[0];

	/* No GSO feature is negotiated: every frame must be plain. */
	if (hdr[1] != VNET_HDR_GSO_NONE)
		return VNET_RX_BAD_HDR;
	if (guest_csum && (flags & VNET_HDR_F_NEEDS_CSUM))
		return rx_partial(frame, len, get_le16(hdr + 6),
				  get_le16(hdr + 8));
	if (guest_csum && (flags & VNET_HDR_F_DATA_VALID))
		return VNET_RX_DEVICE_VALID;
	switch (net_csum_parse(frame, len, &l4)) {
	case NET_CSUM_L4:
		return net_csum_verify(frame, &l4) ? VNET_RX_VERIFIED
						   : VNET_RX_BAD_CSUM;
	case NET_CSUM_MALFORMED:
		return VNET_RX_BAD_CSUM;
	default:
		return VNET_RX_NOTHING;
	}
}
