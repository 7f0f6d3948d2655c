/*
 * The xenstore wire code against a hostile backend.
 *
 * Input: 4 bytes rsp_cons, 4 bytes rsp_prod, 4 bytes req_cons, 4 bytes
 * req_prod, 1 byte read size, then the 1024-byte response ring contents
 * (short input leaves the rest zero), then anything left is a reply
 * payload for the parsers.
 *
 * Checked: ring reads and writes never report more than asked or than the
 * indices allow, refuse impossible indices with -EIO and leave them
 * alone, and move the index by exactly what they return; the reply
 * parsers only ever point inside the payload at NUL-terminated strings.
 */
#include <errno.h>
#include <string.h>
#include <mica/xen/xenstore.h>
#include <mica/xen/xen.h>
#include <xen/io/xs_wire.h>
#include "fuzz.h"

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void check_read(struct xenstore_domain_interface *r, size_t want)
{
	char out[XENSTORE_RING_SIZE + 16];
	uint32_t cons = r->rsp_cons, prod = r->rsp_prod;
	int n = xs_ring_read(r, out, want);

	if (prod - cons > XENSTORE_RING_SIZE) {
		FUZZ_ASSERT(n == -EIO && r->rsp_cons == cons);
		return;
	}
	FUZZ_ASSERT(n >= 0 && (size_t)n <= want && (uint32_t)n <= prod - cons);
	FUZZ_ASSERT(r->rsp_cons == cons + (uint32_t)n);
	for (int i = 0; i < n; i++)
		FUZZ_ASSERT(out[i] == r->rsp[(cons + (uint32_t)i) &
					     (XENSTORE_RING_SIZE - 1)]);
}

static void check_write(struct xenstore_domain_interface *r)
{
	static const char msg[300] = "write me";
	uint32_t cons = r->req_cons, prod = r->req_prod;
	int n = xs_ring_write(r, msg, sizeof(msg));

	if (prod - cons > XENSTORE_RING_SIZE) {
		FUZZ_ASSERT(n == -EIO && r->req_prod == prod);
		return;
	}
	FUZZ_ASSERT(n >= 0 && (size_t)n <= sizeof(msg));
	FUZZ_ASSERT((uint32_t)n <= XENSTORE_RING_SIZE - (prod - cons));
	FUZZ_ASSERT(r->req_prod == prod + (uint32_t)n);
}

static void check_parsers(const uint8_t *data, size_t len)
{
	static char payload[XENSTORE_PAYLOAD_MAX + 1];
	char *path, *token;
	int n;

	if (len > XENSTORE_PAYLOAD_MAX)
		len = XENSTORE_PAYLOAD_MAX;
	memcpy(payload, data, len);
	if (xs_parse_watch_event(payload, len, &path, &token) == 0) {
		FUZZ_ASSERT(path == payload);
		FUZZ_ASSERT(token > path && token < payload + len);
		FUZZ_ASSERT(strlen(path) + 1 + strlen(token) + 1 == len);
	}
	n = xs_count_names(payload, len);
	FUZZ_ASSERT(n == -EIO || (n >= 0 && (size_t)n <= len));
	n = xs_error_errno(payload, len);
	FUZZ_ASSERT(n > 0);
	FUZZ_ASSERT(xs_check_header(XS_READ, (uint32_t)len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct xenstore_domain_interface ring;
	size_t ring_bytes;

	if (size < 17)
		return 0;
	memset(&ring, 0, sizeof(ring));
	ring.rsp_cons = get32(data);
	ring.rsp_prod = get32(data + 4);
	ring.req_cons = get32(data + 8);
	ring.req_prod = get32(data + 12);
	ring_bytes = MIN(size - 17, (size_t)XENSTORE_RING_SIZE);
	memcpy(ring.rsp, data + 17, ring_bytes);
	check_read(&ring, data[16] * 5u);
	check_read(&ring, XENSTORE_RING_SIZE);
	check_write(&ring);
	check_parsers(data + 17 + ring_bytes, size - 17 - ring_bytes);
	FUZZ_ASSERT(xs_check_header(XS_TYPE_COUNT, 0) == -EIO);
	return 0;
}
