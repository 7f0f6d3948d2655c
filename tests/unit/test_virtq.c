/*
 * Split virtqueues against a simulated device, honest and hostile: the
 * driver must only ever get back chains it posted, with lengths it
 * allowed, and a device that breaks the rules breaks only the queue.
 */
#include <stdlib.h>
#include <string.h>
#include <mica/virtq.h>
#include "host.h"
#include "unit.h"

static char ring[4 * 4096] __attribute__((aligned(4096)));
static int kicks;

static void count_kick(struct virtq *q)
{
	(void)q;
	kicks++;
}

static struct virtq *make(uint16_t size, bool event_idx)
{
	static struct virtq q;
	static bool mem;

	if (!mem) /* the heap lives in it: set it up once per test */
		host_mem_init(1 << 20);
	mem = true;
	memset(ring, 0, sizeof(ring));
	REQUIRE(virtq_ring_bytes(size) <= sizeof(ring));
	REQUIRE(virtq_init(&q, size, ring, event_idx) == 0);
	q.notify = count_kick;
	kicks = 0;
	return &q;
}

/* The device side: what it sees and what it writes back. */
static uint16_t dev_avail_idx(struct virtq *q)
{
	return q->avail[1];
}

static uint16_t dev_avail_head(struct virtq *q, uint16_t i)
{
	return q->avail[2 + (i & (q->size - 1))];
}

static void dev_complete(struct virtq *q, uint16_t slot, uint32_t id,
			 uint32_t len, uint16_t new_idx)
{
	struct vring_used_elem *e =
		(struct vring_used_elem *)(q->used + 4) + (slot & (q->size - 1));

	e->id = id;
	e->len = len;
	*(volatile uint16_t *)(q->used + 2) = new_idx;
}

TEST(virtq_roundtrip)
{
	struct virtq *q = make(8, false);
	struct virtq_buf bufs[3] = { { 0x1000, 10 }, { 0x2000, 100 },
				     { 0x3000, 200 } };
	int token = 7;
	uint32_t len = 0;
	uint16_t head;

	CHECK_EQ(virtq_add_chain(q, bufs, 1, 2, &token), 0);
	CHECK_EQ(q->num_free, 5);
	virtq_kick(q);
	CHECK_EQ(kicks, 1);
	CHECK_EQ(dev_avail_idx(q), 1);
	head = dev_avail_head(q, 0);
	/* The chain as the device walks it. */
	CHECK_EQ(q->desc[head].addr, 0x1000);
	CHECK(!(q->desc[head].flags & VRING_DESC_F_WRITE));
	CHECK(q->desc[head].flags & VRING_DESC_F_NEXT);
	CHECK(q->desc[q->desc[head].next].flags & VRING_DESC_F_WRITE);
	CHECK(virtq_get_used(q, &len) == NULL);
	dev_complete(q, 0, head, 300, 1);
	CHECK(virtq_get_used(q, &len) == &token);
	CHECK_EQ(len, 300);
	CHECK_EQ(q->num_free, 8);
	CHECK(!q->broken);
}

TEST(virtq_full_and_reuse)
{
	struct virtq *q = make(4, false);
	struct virtq_buf b = { 0x1000, 64 };
	int tokens[5];
	uint32_t len;

	for (int i = 0; i < 4; i++)
		CHECK_EQ(virtq_add_chain(q, &b, 0, 1, &tokens[i]), 0);
	CHECK_EQ(virtq_add_chain(q, &b, 0, 1, &tokens[4]), -1);
	virtq_kick(q);
	/* Out of order completion is allowed. */
	dev_complete(q, 0, dev_avail_head(q, 2), 64, 1);
	CHECK(virtq_get_used(q, &len) == &tokens[2]);
	CHECK_EQ(virtq_add_chain(q, &b, 0, 1, &tokens[4]), 0);
	CHECK(!q->broken);
}

TEST(virtq_hostile_unposted_id)
{
	struct virtq *q = make(8, false);
	struct virtq_buf b = { 0x1000, 64 };
	int token;
	uint32_t len;

	CHECK_EQ(virtq_add_chain(q, &b, 0, 1, &token), 0);
	virtq_kick(q);
	dev_complete(q, 0, 5, 10, 1); /* id 5 was never posted */
	CHECK(virtq_get_used(q, &len) == NULL);
	CHECK(q->broken);
	CHECK_EQ(virtq_add_chain(q, &b, 0, 1, &token), -1);
}

TEST(virtq_hostile_id_out_of_range)
{
	struct virtq *q = make(8, false);
	struct virtq_buf b = { 0x1000, 64 };
	int token;
	uint32_t len;

	virtq_add_chain(q, &b, 0, 1, &token);
	dev_complete(q, 0, 0xffffffffu, 10, 1);
	CHECK(virtq_get_used(q, &len) == NULL);
	CHECK(q->broken);
}

TEST(virtq_hostile_len_too_big)
{
	struct virtq *q = make(8, false);
	struct virtq_buf b[2] = { { 0x1000, 64 }, { 0x2000, 128 } };
	int token;
	uint32_t len;

	virtq_add_chain(q, b, 1, 1, &token);
	dev_complete(q, 0, dev_avail_head(q, 0), 129, 1); /* 128 writable */
	CHECK(virtq_get_used(q, &len) == NULL);
	CHECK(q->broken);
}

TEST(virtq_hostile_index_jump_and_replay)
{
	struct virtq *q = make(8, false);
	struct virtq_buf b = { 0x1000, 64 };
	int token;
	uint32_t len;
	uint16_t head;

	virtq_add_chain(q, &b, 0, 1, &token);
	head = dev_avail_head(q, 0);
	dev_complete(q, 0, head, 1, 1);
	CHECK(virtq_get_used(q, &len) == &token);
	/* The same chain handed back twice: it is no longer posted. */
	dev_complete(q, 1, head, 1, 2);
	CHECK(virtq_get_used(q, &len) == NULL);
	CHECK(q->broken);

	q = make(8, false);
	virtq_add_chain(q, &b, 0, 1, &token);
	dev_complete(q, 0, dev_avail_head(q, 0), 1, 100); /* way ahead */
	CHECK(virtq_get_used(q, &len) == NULL);
	CHECK(q->broken);
}

TEST(virtq_event_idx_suppresses_kicks)
{
	struct virtq *q = make(8, true);
	struct virtq_buf b = { 0x1000, 64 };
	int t[3];
	uint16_t *avail_event = (uint16_t *)(q->used + 4 + 8 * 8);

	virtq_add_chain(q, &b, 0, 1, &t[0]);
	virtq_kick(q); /* avail_event 0: wants to hear about entry 0 */
	CHECK_EQ(kicks, 1);
	*avail_event = 5; /* the device only wants a kick past index 5 */
	virtq_add_chain(q, &b, 0, 1, &t[1]);
	virtq_kick(q);
	CHECK_EQ(kicks, 1);
	*avail_event = 2; /* tell me when entry 2 is made available */
	virtq_add_chain(q, &b, 0, 1, &t[2]);
	virtq_kick(q);
	CHECK_EQ(kicks, 2);
}

TEST(virtq_bad_sizes)
{
	struct virtq q;

	host_mem_init(1 << 20);
	CHECK_EQ(virtq_init(&q, 0, ring, false), -1);
	CHECK_EQ(virtq_init(&q, 6, ring, false), -1);
	CHECK_EQ(virtq_init(&q, 8, ring, false), 0);
	CHECK_EQ(virtq_add_chain(&q, NULL, 0, 0, &q), -1);
}

/* Indirect descriptors: a chain of 2..max buffers takes one ring slot,
 * whose descriptor points at that slot's table. */
static struct vring_desc ind_tables[8 * 4];

static struct virtq *make_indirect(uint16_t size)
{
	struct virtq *q = make(size, false);

	REQUIRE(virtq_indirect_bytes(size, 4) <= sizeof(ind_tables));
	memset(ind_tables, 0, sizeof(ind_tables));
	virtq_set_indirect(q, ind_tables, 0x900000, 4);
	return q;
}

TEST(virtq_indirect_roundtrip)
{
	struct virtq *q = make_indirect(8);
	struct virtq_buf bufs[3] = { { 0x1000, 16 }, { 0x2000, 512 },
				     { 0x3000, 1 } };
	const struct vring_desc *t;
	int token = 3;
	uint32_t len = 0;
	uint16_t head;

	CHECK_EQ(virtq_add_chain(q, bufs, 1, 2, &token), 0);
	CHECK_EQ(q->num_free, 7);
	virtq_kick(q);
	head = dev_avail_head(q, 0);
	/* The ring slot: INDIRECT alone, the table's address and size. */
	CHECK_EQ(q->desc[head].flags, VRING_DESC_F_INDIRECT);
	CHECK_EQ(q->desc[head].addr, 0x900000 + head * 4 * 16);
	CHECK_EQ(q->desc[head].len, 3 * 16);
	/* The table, as the device walks it. */
	t = &ind_tables[head * 4];
	CHECK_EQ(t[0].addr, 0x1000);
	CHECK_EQ(t[0].flags, VRING_DESC_F_NEXT);
	CHECK_EQ(t[0].next, 1);
	CHECK_EQ(t[1].addr, 0x2000);
	CHECK_EQ(t[1].flags, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE);
	CHECK_EQ(t[1].next, 2);
	CHECK_EQ(t[2].len, 1);
	CHECK_EQ(t[2].flags, VRING_DESC_F_WRITE);
	/* Writable bytes are still bounded by what the table allowed. */
	dev_complete(q, 0, head, 513, 1);
	CHECK(virtq_get_used(q, &len) == &token);
	CHECK_EQ(len, 513);
	CHECK_EQ(q->num_free, 8);
	CHECK(!q->broken);
}

TEST(virtq_indirect_packs_ring)
{
	struct virtq *q = make_indirect(4);
	struct virtq_buf bufs[3] = { { 0x1000, 16 }, { 0x2000, 512 },
				     { 0x3000, 1 } };
	int tokens[5];
	uint32_t len;

	/* Four 3-buffer chains in a 4-entry ring; direct would fit one. */
	for (int i = 0; i < 4; i++)
		CHECK_EQ(virtq_add_chain(q, bufs, 1, 2, &tokens[i]), 0);
	CHECK_EQ(virtq_add_chain(q, bufs, 1, 2, &tokens[4]), -1);
	virtq_kick(q);
	dev_complete(q, 0, dev_avail_head(q, 1), 1, 1);
	CHECK(virtq_get_used(q, &len) == &tokens[1]);
	CHECK_EQ(virtq_add_chain(q, bufs, 1, 2, &tokens[4]), 0);
	/* The reused slot got its own table again. */
	CHECK_EQ(q->desc[dev_avail_head(q, 4)].flags, VRING_DESC_F_INDIRECT);
	CHECK(!q->broken);
}

TEST(virtq_indirect_only_for_fitting_chains)
{
	struct virtq *q = make_indirect(8);
	struct virtq_buf bufs[5] = { { 0x1000, 1 }, { 0x2000, 1 },
				     { 0x3000, 1 }, { 0x4000, 1 },
				     { 0x5000, 1 } };
	int a, b;
	uint32_t len;

	/* One buffer: a plain descriptor. */
	CHECK_EQ(virtq_add_chain(q, bufs, 0, 1, &a), 0);
	CHECK_EQ(q->desc[dev_avail_head(q, 0)].flags, VRING_DESC_F_WRITE);
	/* Five buffers, more than a table holds: a direct chain. */
	CHECK_EQ(virtq_add_chain(q, bufs, 2, 3, &b), 0);
	CHECK_EQ(q->num_free, 8 - 1 - 5);
	CHECK(!(q->desc[dev_avail_head(q, 1)].flags & VRING_DESC_F_INDIRECT));
	virtq_kick(q);
	dev_complete(q, 0, dev_avail_head(q, 1), 3, 1);
	CHECK(virtq_get_used(q, &len) == &b);
	CHECK_EQ(q->num_free, 8 - 1);
	/* A device claiming more than the table's writable buffers. */
	CHECK_EQ(virtq_add_chain(q, bufs, 2, 2, &b), 0);
	dev_complete(q, 1, dev_avail_head(q, 2), 3, 2);
	CHECK(virtq_get_used(q, &len) == NULL);
	CHECK(q->broken);
}
