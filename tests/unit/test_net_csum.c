/*
 * TCP/UDP checksum helpers for offloading drivers (drivers/virtio/
 * net_csum.c): sums against RFC 1071's example and a plain reference,
 * frames whose checksums Linux computed, the transmit preparation with a
 * simulated device finishing it, and the receive verdicts on virtio-net
 * headers, honest and hostile. Frames are copied into buffers of exactly
 * their length, so AddressSanitizer catches any read past the end.
 */
#include <stdlib.h>
#include <string.h>
#include <mica/net_csum.h>
#include "unit.h"

/*
 * Known answers: frames Linux 6.18 sent from 192.168.77.1 on a tap device
 * with no checksum offload (so the kernel computed every checksum), read
 * off the tap. The TCP peer's replies were made by hand; the kernel
 * accepting them is a second check of the reference sums below.
 */
/* UDP 40000 -> 7777, 31 bytes of payload (odd); checksum 0x345a. */
static const char udp_hex[] =
	"525400aabbcc361620de232208004500003b1175400040110de2c0a84d01c0a8"
	"4d099c401e610027345a6d69636120636865636b73756d20746573742c206f64"
	"64206c656e67746821";
/* TCP SYN 40001 -> 8080 with options; checksum 0x4afc. */
static const char syn_hex[] =
	"525400aabbcc361620de232208004500003c369540004006e8cbc0a84d01c0a8"
	"4d099c411f9020dc4b0f00000000a002faf04afc0000020405b40402080aafa3"
	"0f54000000000103030a";
/* TCP PSH/ACK 40002 -> 8080, 23 bytes of payload (odd); 0xf2a3. */
static const char data_hex[] =
	"525400aabbccbeb7b0f5341a08004500003ffb06400040062457c0a84d01c0a8"
	"4d099c421f90ee5e6e3c000003e95018faf0f2a30000474554202f6f64642048"
	"5454502f312e300d0a0d0a2121";

struct frame {
	uint8_t *b;
	size_t len;
};

static struct frame from_hex(const char *hex)
{
	struct frame f = { NULL, strlen(hex) / 2 };

	f.b = malloc(f.len ? f.len : 1);
	REQUIRE(f.b);
	for (size_t i = 0; i < f.len; i++) {
		char two[3] = { hex[2 * i], hex[2 * i + 1], 0 };

		f.b[i] = (uint8_t)strtoul(two, NULL, 16);
	}
	return f;
}

/* A copy of the first @len bytes in a buffer of exactly that size. */
static struct frame cut(struct frame f, size_t len)
{
	struct frame c = { malloc(len ? len : 1), len };

	REQUIRE(c.b);
	memcpy(c.b, f.b, len);
	return c;
}

static uint16_t be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* RFC 1071 as written: 16-bit big-endian words, an odd byte padded. */
static uint16_t ref_sum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* What the device does with NEEDS_CSUM: sum from @start to the end,
 * store the complement at @start + @off. */
static void device_finish(uint8_t *f, size_t len, size_t start, size_t off)
{
	uint16_t c = (uint16_t)~ref_sum(f + start, len - start);

	f[start + off] = (uint8_t)(c >> 8);
	f[start + off + 1] = (uint8_t)c;
}

static void hdr_set(uint8_t *h, uint8_t flags, uint16_t start, uint16_t off)
{
	memset(h, 0, VNET_HDR_LEN);
	h[0] = flags;
	h[6] = (uint8_t)start;
	h[7] = (uint8_t)(start >> 8);
	h[8] = (uint8_t)off;
	h[9] = (uint8_t)(off >> 8);
}

TEST(net_csum_rfc1071_example)
{
	/* RFC 1071 section 3: these words sum to 0xddf2. */
	static const uint8_t words[] = { 0x00, 0x01, 0xf2, 0x03,
					 0xf4, 0xf5, 0xf6, 0xf7 };

	CHECK_EQ(net_csum_fold(net_csum_add(0, words, 8)), 0xddf2);
	/* An odd byte is the high half of a word. */
	CHECK_EQ(net_csum_fold(net_csum_add(0, words, 3)), 0xf201);
	CHECK_EQ(net_csum_fold(net_csum_add(0, words, 0)), 0);
	/* Sums carry on from a start value and fold with end-around carry. */
	CHECK_EQ(net_csum_fold(net_csum_add(0xffff, words, 2)), 0x0001);
	CHECK_EQ(net_csum_fold(0x1fffe), 0xffff);
}

TEST(net_csum_sum_matches_reference)
{
	uint8_t buf[301];
	uint32_t x = 12345;

	for (size_t i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (uint8_t)(x >> 16);
	}
	/* Every length, from even and odd addresses. */
	for (size_t at = 0; at < 2; at++)
		for (size_t len = 0; len + at <= sizeof(buf); len++)
			CHECK_EQ(net_csum_fold(net_csum_add(0, buf + at, len)),
				 ref_sum(buf + at, len));
	/* All ones: the sum of 0xffff words stays 0xffff. */
	memset(buf, 0xff, sizeof(buf));
	CHECK_EQ(net_csum_fold(net_csum_add(0, buf, 300)), 0xffff);
}

/* Parse, verify, then rebuild the checksum through a simulated device. */
static void known_answer(const char *hex, uint8_t proto, size_t l4_len,
			 uint8_t field, uint16_t want)
{
	struct frame f = from_hex(hex);
	struct net_csum_l4 l4;
	uint16_t start = 0, off = 0;
	uint8_t *csum;

	REQUIRE(net_csum_parse(f.b, f.len, &l4) == NET_CSUM_L4);
	CHECK_EQ(l4.l4_off, 34);
	CHECK_EQ(l4.l4_len, l4_len);
	CHECK_EQ(l4.proto, proto);
	CHECK_EQ(l4.field, field);
	csum = f.b + 34 + field;
	CHECK_EQ(be16_at(csum), want);
	CHECK(net_csum_verify(f.b, &l4));

	/* The stack leaves the field empty; the device finishes it. */
	csum[0] = csum[1] = 0;
	CHECK_EQ(net_csum_tx_prepare(f.b, f.len, &start, &off),
		 NET_CSUM_TX_PARTIAL);
	CHECK_EQ(start, 34);
	CHECK_EQ(off, field);
	CHECK_EQ(be16_at(csum), l4.pseudo);
	device_finish(f.b, f.len, start, off);
	CHECK_EQ(be16_at(csum), want);
	free(f.b);
}

TEST(net_csum_known_udp_odd_length)
{
	known_answer(udp_hex, 17, 39, 6, 0x345a);
}

TEST(net_csum_known_tcp_syn)
{
	known_answer(syn_hex, 6, 40, 16, 0x4afc);
}

TEST(net_csum_known_tcp_data_odd_length)
{
	known_answer(data_hex, 6, 43, 16, 0xf2a3);
}

/* Any one byte changed under the checksum (pseudo-header included) is
 * caught, on the software path and the receive verdict alike. */
TEST(net_csum_every_byte_flip_caught)
{
	const char *frames[] = { udp_hex, syn_hex, data_hex };

	for (size_t k = 0; k < ARRAY_SIZE(frames); k++) {
		struct frame f = from_hex(frames[k]);
		uint8_t hdr[VNET_HDR_LEN];

		hdr_set(hdr, 0, 0, 0);
		/* Source address (26) onwards: addresses, then TCP/UDP. */
		for (size_t i = 26; i < f.len; i++) {
			struct net_csum_l4 l4;
			bool len_field = i == 38 || i == 39;

			f.b[i] ^= 0x5a;
			if (net_csum_parse(f.b, f.len, &l4) == NET_CSUM_L4) {
				CHECK(!net_csum_verify(f.b, &l4));
				CHECK_EQ(vnet_csum_rx(hdr, f.b, f.len, true),
					 VNET_RX_BAD_CSUM);
			} else {
				/* Only UDP's length field makes it
				 * malformed instead. */
				CHECK(k == 0 && len_field);
			}
			f.b[i] ^= 0x5a;
		}
		CHECK_EQ(vnet_csum_rx(hdr, f.b, f.len, true), VNET_RX_VERIFIED);
		CHECK_EQ(vnet_csum_rx(hdr, f.b, f.len, false),
			 VNET_RX_VERIFIED);
		free(f.b);
	}
}

/* Bytes after the IP datagram: the device would sum them too, so the
 * driver computes the checksum itself, over the datagram only. */
TEST(net_csum_tx_padding_done_in_software)
{
	struct frame f = from_hex(data_hex);
	struct frame p = { calloc(1, f.len + 3), f.len + 3 };
	struct net_csum_l4 l4;
	uint16_t start = 7, off = 7;

	REQUIRE(p.b);
	memcpy(p.b, f.b, f.len);
	p.b[f.len] = 0xaa;
	p.b[50] = p.b[51] = 0;
	CHECK_EQ(net_csum_tx_prepare(p.b, p.len, &start, &off),
		 NET_CSUM_TX_DONE);
	CHECK_EQ(be16_at(p.b + 50), 0xf2a3);
	CHECK_EQ(start, 7); /* untouched: no offload for this one */
	REQUIRE(net_csum_parse(p.b, p.len, &l4) == NET_CSUM_L4);
	CHECK(net_csum_verify(p.b, &l4));
	free(f.b);
	free(p.b);
}

/*
 * UDP: a checksum field of 0 means "none" and passes; a datagram whose
 * checksum computes to 0 is sent as 0xffff (the other zero). The payload
 * is tuned until that happens, then the software path must say 0xffff.
 */
TEST(net_csum_udp_zero_rules)
{
	struct frame f = from_hex(udp_hex);
	struct frame p = { calloc(1, f.len + 1), f.len + 1 };
	struct net_csum_l4 l4;
	uint16_t start, off, s;

	REQUIRE(p.b);
	memcpy(p.b, f.b, f.len);
	p.b[40] = p.b[41] = 0;
	CHECK(net_csum_parse(p.b, p.len, &l4) == NET_CSUM_L4);
	CHECK(net_csum_verify(p.b, &l4)); /* 0: no checksum */
	/* Make the sum -0: the payload word at 42 takes what is missing. */
	p.b[42] = p.b[43] = 0;
	s = net_csum_fold(net_csum_add(l4.pseudo, p.b + 34, l4.l4_len));
	p.b[42] = (uint8_t)((0xffff - s) >> 8);
	p.b[43] = (uint8_t)(0xffff - s);
	CHECK_EQ(net_csum_fold(net_csum_add(l4.pseudo, p.b + 34, l4.l4_len)),
		 0xffff);
	/* One byte of padding forces the software path. */
	CHECK_EQ(net_csum_tx_prepare(p.b, p.len, &start, &off),
		 NET_CSUM_TX_DONE);
	CHECK_EQ(be16_at(p.b + 40), 0xffff);
	CHECK(net_csum_verify(p.b, &l4));
	free(f.b);
	free(p.b);
}

TEST(net_csum_vlan_tag)
{
	struct frame f = from_hex(udp_hex);
	struct frame v = { malloc(f.len + 4), f.len + 4 };
	struct net_csum_l4 l4;
	uint16_t start, off;

	REQUIRE(v.b);
	memcpy(v.b, f.b, 12);
	memcpy(v.b + 12, "\x81\x00\x00\x05", 4);
	memcpy(v.b + 16, f.b + 12, f.len - 12);
	REQUIRE(net_csum_parse(v.b, v.len, &l4) == NET_CSUM_L4);
	CHECK_EQ(l4.l4_off, 38);
	CHECK(net_csum_verify(v.b, &l4));
	CHECK_EQ(net_csum_tx_prepare(v.b, v.len, &start, &off),
		 NET_CSUM_TX_PARTIAL);
	CHECK_EQ(start, 38);
	device_finish(v.b, v.len, start, off);
	CHECK_EQ(be16_at(v.b + 44), 0x345a);
	free(f.b);
	free(v.b);
}

TEST(net_csum_nothing_to_do)
{
	struct frame f = from_hex(syn_hex);
	struct net_csum_l4 l4;
	uint8_t hdr[VNET_HDR_LEN];
	uint16_t start, off;

	hdr_set(hdr, 0, 0, 0);
	/* A fragment: more-fragments set, or an offset. */
	f.b[20] = 0x20;
	CHECK_EQ(net_csum_parse(f.b, f.len, &l4), NET_CSUM_NONE);
	CHECK_EQ(net_csum_tx_prepare(f.b, f.len, &start, &off),
		 NET_CSUM_TX_NONE);
	CHECK_EQ(vnet_csum_rx(hdr, f.b, f.len, true), VNET_RX_NOTHING);
	f.b[20] = 0x40;
	f.b[21] = 0x01;
	CHECK_EQ(net_csum_parse(f.b, f.len, &l4), NET_CSUM_NONE);
	f.b[21] = 0x00;
	/* ICMP. */
	f.b[23] = 1;
	CHECK_EQ(net_csum_parse(f.b, f.len, &l4), NET_CSUM_NONE);
	f.b[23] = 6;
	/* ARP, IPv6: not ours. */
	f.b[12] = 0x08;
	f.b[13] = 0x06;
	CHECK_EQ(net_csum_parse(f.b, f.len, &l4), NET_CSUM_NONE);
	CHECK_EQ(net_csum_tx_prepare(f.b, f.len, &start, &off),
		 NET_CSUM_TX_NONE);
	f.b[12] = 0x86;
	f.b[13] = 0xdd;
	CHECK_EQ(net_csum_parse(f.b, f.len, &l4), NET_CSUM_NONE);
	free(f.b);
}

TEST(net_csum_malformed_ipv4)
{
	struct frame f = from_hex(udp_hex);
	struct net_csum_l4 l4;
	uint16_t start, off;

	f.b[14] = 0x65; /* version 6 under the IPv4 type */
	CHECK_EQ(net_csum_parse(f.b, f.len, &l4), NET_CSUM_MALFORMED);
	f.b[14] = 0x44; /* header of 16 bytes */
	CHECK_EQ(net_csum_parse(f.b, f.len, &l4), NET_CSUM_MALFORMED);
	f.b[14] = 0x4f; /* 60 bytes: more than the total length allows */
	f.b[17] = 40;
	CHECK_EQ(net_csum_parse(f.b, f.len, &l4), NET_CSUM_MALFORMED);
	f.b[14] = 0x45;
	f.b[17] = 0x3c; /* total length one past the frame */
	CHECK_EQ(net_csum_parse(f.b, f.len, &l4), NET_CSUM_MALFORMED);
	CHECK_EQ(net_csum_tx_prepare(f.b, f.len, &start, &off),
		 NET_CSUM_TX_NONE);
	f.b[17] = 27; /* 7 bytes of UDP: shorter than its header */
	CHECK_EQ(net_csum_parse(f.b, f.len, &l4), NET_CSUM_MALFORMED);
	f.b[17] = 0x3b;
	f.b[39] = 0x26; /* UDP's length one short of the IP payload */
	CHECK_EQ(net_csum_parse(f.b, f.len, &l4), NET_CSUM_MALFORMED);
	free(f.b);

	f = from_hex(syn_hex);
	f.b[17] = 39; /* 19 bytes of TCP */
	CHECK_EQ(net_csum_parse(f.b, f.len, &l4), NET_CSUM_MALFORMED);
	free(f.b);
}

/* Every truncation of every frame: nothing read past the end, and no
 * checksum claimed right. */
TEST(net_csum_truncated_headers)
{
	const char *frames[] = { udp_hex, syn_hex, data_hex };
	uint8_t hdr[VNET_HDR_LEN];

	hdr_set(hdr, 0, 0, 0);
	for (size_t k = 0; k < ARRAY_SIZE(frames); k++) {
		struct frame f = from_hex(frames[k]);

		for (size_t len = 0; len < f.len; len++) {
			struct frame c = cut(f, len);
			struct net_csum_l4 l4;
			uint16_t start, off;
			enum net_csum_parse want =
				len < 14 ? NET_CSUM_NONE : NET_CSUM_MALFORMED;

			CHECK_EQ(net_csum_parse(c.b, c.len, &l4), want);
			CHECK_EQ(net_csum_tx_prepare(c.b, c.len, &start, &off),
				 NET_CSUM_TX_NONE);
			CHECK_EQ(vnet_csum_rx(hdr, c.b, c.len, true),
				 len < 14 ? VNET_RX_NOTHING : VNET_RX_BAD_CSUM);
			free(c.b);
		}
		free(f.b);
	}
}

TEST(vnet_rx_device_flags)
{
	struct frame f = from_hex(data_hex);
	uint8_t hdr[VNET_HDR_LEN];

	f.b[60] ^= 1; /* a wrong checksum from here on */
	hdr_set(hdr, VNET_HDR_F_DATA_VALID, 0, 0);
	CHECK_EQ(vnet_csum_rx(hdr, f.b, f.len, true), VNET_RX_DEVICE_VALID);
	/* Without GUEST_CSUM the flags mean nothing: checked here. */
	CHECK_EQ(vnet_csum_rx(hdr, f.b, f.len, false), VNET_RX_BAD_CSUM);
	/* Flags we do not know are ignored. */
	hdr_set(hdr, 0x04 | 0x80, 0, 0);
	CHECK_EQ(vnet_csum_rx(hdr, f.b, f.len, true), VNET_RX_BAD_CSUM);
	/* No GSO was negotiated: a GSO frame breaks the rules. */
	hdr_set(hdr, VNET_HDR_F_DATA_VALID, 0, 0);
	hdr[1] = 1;
	CHECK_EQ(vnet_csum_rx(hdr, f.b, f.len, true), VNET_RX_BAD_HDR);
	free(f.b);
}

/* NEEDS_CSUM where the TCP checksum is: taken as it is. */
TEST(vnet_rx_partial_accepted)
{
	struct frame f = from_hex(data_hex);
	struct frame before;
	struct net_csum_l4 l4;
	uint8_t hdr[VNET_HDR_LEN];

	REQUIRE(net_csum_parse(f.b, f.len, &l4) == NET_CSUM_L4);
	f.b[50] = (uint8_t)(l4.pseudo >> 8);
	f.b[51] = (uint8_t)l4.pseudo;
	before = cut(f, f.len);
	hdr_set(hdr, VNET_HDR_F_NEEDS_CSUM, 34, 16);
	CHECK_EQ(vnet_csum_rx(hdr, f.b, f.len, true), VNET_RX_PARTIAL);
	CHECK(memcmp(f.b, before.b, f.len) == 0);
	/* The same without GUEST_CSUM: a partial sum is a wrong checksum. */
	CHECK_EQ(vnet_csum_rx(hdr, f.b, f.len, false), VNET_RX_BAD_CSUM);
	free(before.b);
	free(f.b);
}

/*
 * NEEDS_CSUM elsewhere (here over an ARP frame): completed as told. The
 * field held the device's seed (the pseudo-header sum, in TCP/UDP), so the
 * finished region sums to -0 together with that seed.
 */
TEST(vnet_rx_partial_completed)
{
	struct frame f = from_hex(syn_hex);
	uint8_t hdr[VNET_HDR_LEN];
	size_t len = f.len;
	uint16_t seed = be16_at(f.b + 18);

	f.b[12] = 0x08;
	f.b[13] = 0x06;
	REQUIRE(seed != 0);
	hdr_set(hdr, VNET_HDR_F_NEEDS_CSUM, 14, 4);
	CHECK_EQ(vnet_csum_rx(hdr, f.b, len, true), VNET_RX_COMPLETED);
	CHECK_EQ(net_csum_fold((uint32_t)ref_sum(f.b + 14, len - 14) + seed),
		 0xffff);
	/* The last two bytes as the field, seeded with 0: still inside. */
	f.b[len - 2] = f.b[len - 1] = 0;
	hdr_set(hdr, VNET_HDR_F_NEEDS_CSUM, 14, (uint16_t)(len - 16));
	CHECK_EQ(vnet_csum_rx(hdr, f.b, len, true), VNET_RX_COMPLETED);
	CHECK_EQ(ref_sum(f.b + 14, len - 14), 0xffff);
	free(f.b);
}

/* Offsets that leave the frame are refused, whatever their sum. */
TEST(vnet_rx_bad_csum_start_offset)
{
	struct frame f = from_hex(udp_hex);
	struct frame before = cut(f, f.len);
	uint8_t hdr[VNET_HDR_LEN];
	const uint16_t len = (uint16_t)f.len;
	static const uint16_t bad[][2] = {
		{ 73, 0 },	  /* start at the end */
		{ 72, 0 },	  /* the field's second byte outside */
		{ 34, 38 },	  /* one past: start + off + 2 = len + 1 */
		{ 0xffff, 0 },	  /* far outside */
		{ 0, 0xffff },	  /* offset far outside */
		{ 0xffff, 0xffff },
		{ 34, 0xfffe },	  /* would wrap a 16-bit sum */
	};

	REQUIRE(len == 73);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		hdr_set(hdr, VNET_HDR_F_NEEDS_CSUM, bad[i][0], bad[i][1]);
		CHECK_EQ(vnet_csum_rx(hdr, f.b, f.len, true), VNET_RX_BAD_HDR);
		CHECK(memcmp(f.b, before.b, f.len) == 0);
	}
	/* The last in-frame position is fine. */
	hdr_set(hdr, VNET_HDR_F_NEEDS_CSUM, 34, 37);
	CHECK_EQ(vnet_csum_rx(hdr, f.b, f.len, true), VNET_RX_COMPLETED);
	/* A frame too short for any field. */
	hdr_set(hdr, VNET_HDR_F_NEEDS_CSUM, 0, 0);
	CHECK_EQ(vnet_csum_rx(hdr, f.b, 1, true), VNET_RX_BAD_HDR);
	CHECK_EQ(vnet_csum_rx(hdr, f.b, 0, true), VNET_RX_BAD_HDR);
	free(before.b);
	free(f.b);
}
