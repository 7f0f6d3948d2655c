/*
 * The receive verdict on a virtio-net header and frame, from a hostile
 * device, and the transmit preparation (drivers/virtio/net_csum.c).
 *
 * Input: one byte of options (bit 0: VIRTIO_NET_F_GUEST_CSUM negotiated),
 * the 12-byte virtio-net header, then the frame, copied into a buffer of
 * exactly its length (AddressSanitizer catches any read past it).
 *
 * Checked on receive: a verdict from the list; the device's flags count
 * only with GUEST_CSUM; a refused header really breaks a rule; the frame
 * changes only when the checksum is completed, and then only in the
 * checksum field the header names, with the region summing right;
 * "verified" agrees with a plain RFC 1071 sum. On transmit: whatever the
 * driver prepares, finished the way a device finishes it, is accepted by
 * the receive check, and nothing outside the checksum field changes.
 */
#include <stdlib.h>
#include <string.h>
#include <mica/net_csum.h>
#include "fuzz.h"

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* RFC 1071 as written: big-endian words, an odd byte padded. */
static uint32_t ref_sum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)be16(p + i);
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	return s;
}

static uint16_t fold(uint64_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* Only [@at, @at + 2) may differ between @a and @b. */
static void same_but(const uint8_t *a, const uint8_t *b, size_t len,
		     size_t at)
{
	for (size_t i = 0; i < len; i++)
		FUZZ_ASSERT(a[i] == b[i] || i == at || i == at + 1);
}

/* The TCP/UDP checksum at @l4 by the reference sum, with the
 * pseudo-header taken from the IPv4 header before the segment. */
static bool ref_verify(const uint8_t *f, const struct net_csum_l4 *l4)
{
	const uint8_t *seg = f + l4->l4_off;
	uint16_t type = be16(f + 12);
	const uint8_t *ip;
	size_t ihl;
	uint64_t s;

	/* The IPv4 header: after the Ethernet header, or after its tag. */
	ip = f + (type == 0x8100 || type == 0x88a8 ? 18 : 14);
	ihl = (size_t)(ip[0] & 15) * 4;
	FUZZ_ASSERT(ip + ihl == seg);
	if (l4->proto == 17 && be16(seg + 6) == 0)
		return true;
	s = ref_sum(ip + 12, 8) + l4->proto + l4->l4_len +
	    ref_sum(seg, l4->l4_len);
	return fold(s) == 0xffff;
}

static void check_rx(const uint8_t *hdr, const uint8_t *orig, size_t len,
		     bool guest)
{
	uint8_t *f = malloc(len ? len : 1);
	size_t start = (size_t)(hdr[6] | hdr[7] << 8);
	size_t off = (size_t)(hdr[8] | hdr[9] << 8);
	bool partial = guest && (hdr[0] & VNET_HDR_F_NEEDS_CSUM);
	bool fits = start < len && off + 2 <= len - start;
	enum vnet_csum_rx v;
	struct net_csum_l4 l4;

	FUZZ_ASSERT(f);
	memcpy(f, orig, len);
	v = vnet_csum_rx(hdr, f, len, guest);
	FUZZ_ASSERT(v < VNET_RX_VERDICTS);
	if (!guest)
		FUZZ_ASSERT(v != VNET_RX_DEVICE_VALID &&
			    v != VNET_RX_PARTIAL && v != VNET_RX_COMPLETED);
	if (v == VNET_RX_BAD_HDR)
		FUZZ_ASSERT(hdr[1] != VNET_HDR_GSO_NONE || (partial && !fits));
	else
		FUZZ_ASSERT(hdr[1] == VNET_HDR_GSO_NONE);
	if (partial && !fits)
		FUZZ_ASSERT(v == VNET_RX_BAD_HDR);
	if (v == VNET_RX_COMPLETED) {
		FUZZ_ASSERT(partial && fits);
		same_but(f, orig, len, start + off);
		/* The old field was the seed: with it, the region is -0. */
		if (!(off & 1))
			FUZZ_ASSERT(fold(ref_sum(f + start, len - start) +
					 be16(orig + start + off)) == 0xffff);
	} else {
		FUZZ_ASSERT(memcmp(f, orig, len) == 0);
	}
	if (v == VNET_RX_VERIFIED || v == VNET_RX_BAD_CSUM) {
		bool l4ok = net_csum_parse(f, len, &l4) == NET_CSUM_L4;

		FUZZ_ASSERT(!partial);
		if (v == VNET_RX_VERIFIED)
			FUZZ_ASSERT(l4ok && ref_verify(f, &l4));
		else if (l4ok)
			FUZZ_ASSERT(!ref_verify(f, &l4));
	}
	free(f);
}

static void check_tx(const uint8_t *orig, size_t len)
{
	uint8_t *f = malloc(len ? len : 1);
	uint8_t zero[VNET_HDR_LEN] = { 0 };
	struct net_csum_l4 l4;
	uint16_t start, off, c;

	FUZZ_ASSERT(f);
	memcpy(f, orig, len);
	switch (net_csum_tx_prepare(f, len, &start, &off)) {
	case NET_CSUM_TX_NONE:
		FUZZ_ASSERT(memcmp(f, orig, len) == 0);
		break;
	case NET_CSUM_TX_PARTIAL:
		FUZZ_ASSERT((size_t)start + off + 2 <= len);
		same_but(f, orig, len, (size_t)start + off);
		/* The device: sum to the end, store the complement. */
		c = (uint16_t)~fold(ref_sum(f + start, len - start));
		f[start + off] = (uint8_t)(c >> 8);
		f[start + off + 1] = (uint8_t)c;
		FUZZ_ASSERT(net_csum_parse(f, len, &l4) == NET_CSUM_L4);
		FUZZ_ASSERT(ref_verify(f, &l4));
		FUZZ_ASSERT(vnet_csum_rx(zero, f, len, false) ==
			    VNET_RX_VERIFIED);
		break;
	case NET_CSUM_TX_DONE:
		FUZZ_ASSERT(net_csum_parse(f, len, &l4) == NET_CSUM_L4);
		same_but(f, orig, len, l4.l4_off + l4.field);
		FUZZ_ASSERT(ref_verify(f, &l4));
		FUZZ_ASSERT(vnet_csum_rx(zero, f, len, true) ==
			    VNET_RX_VERIFIED);
		break;
	}
	free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t hdr[VNET_HDR_LEN];
	bool guest_csum;

	if (size < 1 + VNET_HDR_LEN)
		return 0;
	guest_csum = data[0] & 1;
	memcpy(hdr, data + 1, VNET_HDR_LEN);
	data += 1 + VNET_HDR_LEN;
	size -= 1 + VNET_HDR_LEN;
	check_rx(hdr, data, size, guest_csum);
	check_tx(data, size);
	return 0;
}
