/*
 * Used-ring handling against a hostile device.
 *
 * Input: a queue size byte, then 8-byte records. Record byte 0 picks the
 * step: even, the driver posts a chain (byte 1: out count, byte 2: in
 * count, bytes 4-7: writable length per buffer); odd, the device writes a
 * used entry (bytes 1-2: slot, bytes 3-4: id, byte 5: len scale, byte 6:
 * how far to move used->idx) and the driver takes what it can.
 *
 * Checked: every token returned was posted and not yet returned; the
 * length is within what its chain allowed; once the queue is broken it
 * returns nothing and takes nothing; the free count stays within size.
 */
#include <string.h>
#include <mica/heap.h>
#include <mica/mm.h>
#include <mica/virtq.h>
#include "fuzz.h"

#define MAXQ 64

static char ring[8 * 4096] __attribute__((aligned(4096)));
static char heapmem[1 << 20] __attribute__((aligned(4096)));

struct chain {
	bool live;
	uint32_t writable;
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct chain chains[MAXQ * 2];
	static bool heap_ready;
	struct virtq q;
	uint16_t qsize;
	unsigned int next_token = 0;

	if (size < 1)
		return 0;
	if (!heap_ready) {
		struct memmap m;

		fuzz_phys_set(heapmem, sizeof(heapmem));
		memmap_init(&m);
		memmap_add(&m, PAGE_SIZE, sizeof(heapmem) - PAGE_SIZE, MEM_RAM);
		memmap_normalize(&m);
		FUZZ_ASSERT(frame_init(&m) == 0);
		heap_ready = true;
	}
	qsize = (uint16_t)(1u << (data[0] % 7)); /* 1..64 */
	memset(ring, 0, sizeof(ring));
	memset(chains, 0, sizeof(chains));
	if (virtq_init(&q, qsize, ring, data[0] & 0x80) < 0)
		return 0;
	for (size_t p = 1; p + 8 <= size; p += 8) {
		const uint8_t *r = data + p;

		if (!(r[0] & 1)) {
			struct virtq_buf bufs[8];
			unsigned int out = r[1] % 4, in = r[2] % 4;
			uint32_t per = (uint32_t)r[4] | (uint32_t)r[5] << 8;
			unsigned int t = next_token % (MAXQ * 2);
			int rc;

			if (out + in == 0 || chains[t].live)
				continue;
			for (unsigned int i = 0; i < out + in; i++) {
				bufs[i].addr = 0x1000 * (i + 1);
				bufs[i].len = per;
			}
			rc = virtq_add_chain(&q, bufs, out, in, &chains[t]);
			if (rc == 0) {
				chains[t].live = true;
				chains[t].writable = per * in;
				next_token++;
			}
			FUZZ_ASSERT(q.num_free <= q.size);
			virtq_kick(&q);
		} else {
			struct vring_used_elem *e =
				(struct vring_used_elem *)(q.used + 4);
			uint16_t slot = (uint16_t)(r[1] | r[2] << 8);
			volatile uint16_t *idx = (volatile uint16_t *)(q.used + 2);
			bool was_broken = q.broken;
			struct chain *c;
			uint32_t len;

			e[slot & (q.size - 1)].id = (uint32_t)(r[3] | r[4] << 8);
			e[slot & (q.size - 1)].len = (uint32_t)r[5] * 97;
			*idx = (uint16_t)(*idx + r[6]);
			while ((c = virtq_get_used(&q, &len))) {
				FUZZ_ASSERT(!was_broken);
				FUZZ_ASSERT(c >= chains && c < chains + MAXQ * 2);
				FUZZ_ASSERT(c->live);
				FUZZ_ASSERT(len <= c->writable);
				c->live = false;
			}
			FUZZ_ASSERT(q.num_free <= q.size);
		}
	}
	heap_free(q.next);
	heap_free(q.token);
	heap_free(q.in_len);
	heap_free(q.chain_len);
	return 0;
}
