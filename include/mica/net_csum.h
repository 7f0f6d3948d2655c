/*
 * TCP and UDP checksums of Ethernet frames, for network drivers whose
 * device can compute or check them (virtio-net's VIRTIO_NET_F_CSUM and
 * VIRTIO_NET_F_GUEST_CSUM). Pure functions on byte buffers: no device,
 * no stack, so the host unit tests and fuzzers run them as they are.
 *
 * Frames are Ethernet II, optionally with one 802.1Q/802.1ad tag, then
 * IPv4 (lwIP is built without IPv6; lib/lwip/netif.c refuses to build if
 * that changes), then TCP or UDP. Sums are RFC 1071 ones' complement sums
 * of big-endian 16-bit words, carried in a uint32_t and folded at the end.
 */
#ifndef MICA_NET_CSUM_H
#define MICA_NET_CSUM_H

#include <mica/types.h>

/* Add the 16-bit words of @buf to @sum. @buf is taken as starting on a
 * word boundary; an odd last byte is the high half of a word. */
uint32_t net_csum_add(uint32_t sum, const void *buf, size_t len);
/* Fold a sum to 16 bits (end-around carry); not complemented. */
uint16_t net_csum_fold(uint32_t sum);

/* Where the TCP or UDP checksum of a frame is, and what it covers. */
struct net_csum_l4 {
	size_t l4_off;		/* TCP/UDP header, from the frame's start */
	size_t l4_len;		/* header and payload, as the IP header says */
	uint8_t proto;		/* 6 TCP, 17 UDP */
	uint8_t field;		/* checksum field's offset in the header */
	uint16_t pseudo;	/* folded sum of the IPv4 pseudo-header */
};

enum net_csum_parse {
	NET_CSUM_L4,		/* a whole TCP segment or UDP datagram */
	NET_CSUM_NONE,		/* no per-frame checksum: not IPv4, not
				 * TCP/UDP, or an IPv4 fragment */
	NET_CSUM_MALFORMED,	/* IPv4 whose headers do not fit the frame
				 * or each other */
};

/* Find the TCP/UDP checksum of @frame (@len bytes). Reads nothing
 * outside the frame whatever it holds; fills @l4 for NET_CSUM_L4. */
enum net_csum_parse net_csum_parse(const uint8_t *frame, size_t len,
				   struct net_csum_l4 *l4);
/* Is the checksum @l4 describes right? (A UDP checksum of 0 is "none".) */
bool net_csum_verify(const uint8_t *frame, const struct net_csum_l4 *l4);

/* --- transmit ---------------------------------------------------------- */

enum net_csum_tx {
	NET_CSUM_TX_NONE,	/* nothing to fill in */
	NET_CSUM_TX_PARTIAL,	/* the device must finish it: *start, *off */
	NET_CSUM_TX_DONE,	/* computed here in full */
};

/*
 * Prepare @frame, whose stack left its TCP/UDP checksum to the device:
 * either write the pseudo-header sum into the checksum field and say
 * where the device starts summing (*start, to the end of the frame) and
 * stores the result (*start + *off), or, when the device's rule would
 * not give the right answer (bytes after the IP datagram), compute the
 * checksum here.
 */
enum net_csum_tx net_csum_tx_prepare(uint8_t *frame, size_t len,
				     uint16_t *start, uint16_t *off);

/* --- receive (virtio-net header) ----------------------------------------- */

#define VNET_HDR_LEN 12		/* virtio 1.x: num_buffers always there */
#define VNET_HDR_F_NEEDS_CSUM 1
#define VNET_HDR_F_DATA_VALID 2
#define VNET_HDR_GSO_NONE 0

enum vnet_csum_rx {
	VNET_RX_DEVICE_VALID,	/* DATA_VALID: the device checked it */
	VNET_RX_PARTIAL,	/* NEEDS_CSUM where expected: accepted */
	VNET_RX_COMPLETED,	/* NEEDS_CSUM elsewhere: completed here */
	VNET_RX_VERIFIED,	/* checked here: right */
	VNET_RX_NOTHING,	/* no TCP/UDP checksum to check */
	VNET_RX_BAD_CSUM,	/* wrong checksum or malformed IPv4: drop */
	VNET_RX_BAD_HDR,	/* the virtio-net header breaks the rules */
	VNET_RX_VERDICTS
};

/*
 * Judge a received frame by its virtio-net header @hdr (VNET_HDR_LEN
 * bytes, copied out of the device's reach by the caller) and contents.
 * @guest_csum: VIRTIO_NET_F_GUEST_CSUM was negotiated; without it the
 * header's flags are ignored and every checksum is checked here. May
 * write the checksum field (VNET_RX_COMPLETED) and nothing else.
 */
enum vnet_csum_rx vnet_csum_rx(const uint8_t *hdr, uint8_t *frame,
			       size_t len, bool guest_csum);

#endif
