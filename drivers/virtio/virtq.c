/*
 * Split virtqueue mechanics. Every index and length coming back from the
 * device is checked against what the driver posted; a violation marks
 * the queue broken (the driver then resets the device) instead of
 * corrupting memory.
 */
#include <string.h>
#include <mica/heap.h>
#include <mica/printk.h>
#include <mica/virtq.h>

#define AVAIL_FLAGS 0
#define AVAIL_IDX 1
#define AVAIL_RING 2
#define USED_IDX_OFF 2
#define USED_RING_OFF 4

static size_t avail_bytes(uint16_t size)
{
	return 6 + 2 * (size_t)size;
}

size_t virtq_ring_bytes(uint16_t size)
{
	size_t used_off = ALIGN_UP(16 * (size_t)size + avail_bytes(size), 4);

	return used_off + 6 + 8 * (size_t)size;
}

size_t virtq_avail_offset(const struct virtq *q)
{
	return 16 * (size_t)q->size;
}

size_t virtq_used_offset(const struct virtq *q)
{
	return ALIGN_UP(16 * (size_t)q->size + avail_bytes(q->size), 4);
}

int virtq_init(struct virtq *q, uint16_t size, void *mem, bool event_idx)
{
	char *m = mem;

	if (size == 0 || (size & (size - 1)) || size > 32768)
		return -1;
	memset(q, 0, sizeof(*q));
	q->size = size;
	q->desc = (volatile struct vring_desc *)m;
	q->avail = (volatile uint16_t *)(m + 16 * (size_t)size);
	q->used = (volatile uint8_t *)(m + virtq_used_offset(q));
	q->next = heap_alloc(size * sizeof(*q->next));
	q->token = heap_alloc(size * sizeof(*q->token));
	q->in_len = heap_alloc(size * sizeof(*q->in_len));
	q->chain_len = heap_alloc(size * sizeof(*q->chain_len));
	if (!q->next || !q->token || !q->in_len || !q->chain_len)
		return -1;
	for (uint16_t i = 0; i < size; i++) {
		q->next[i] = (uint16_t)(i + 1);
		q->token[i] = NULL;
	}
	q->num_free = size;
	q->event_idx = event_idx;
	return 0;
}

size_t virtq_indirect_bytes(uint16_t size, uint16_t max)
{
	return (size_t)size * max * sizeof(struct vring_desc);
}

void virtq_set_indirect(struct virtq *q, void *mem, dma_addr_t dma,
			uint16_t max)
{
	q->ind = mem;
	q->ind_dma = dma;
	q->ind_max = max;
}

static void set_broken(struct virtq *q, const char *why)
{
	if (!q->broken)
		printk("virtq %u: device broke the protocol: %s\n", q->index,
		       why);
	q->broken = true;
	q->why_broken = why;
}

/* Make @head, whose chain has @n descriptors, the next available one. */
static void publish(struct virtq *q, uint16_t head, uint16_t n,
		    uint32_t writable, void *token)
{
	q->token[head] = token;
	q->in_len[head] = writable;
	q->chain_len[head] = n;
	q->avail[AVAIL_RING + (q->avail_idx & (q->size - 1))] = head;
	q->avail_idx++;
}

/*
 * The chain goes into the table that belongs to ring slot @head, and the
 * slot itself becomes one descriptor pointing at the table. Only the
 * table's buffers carry WRITE; the slot's own flags must be INDIRECT
 * alone (virtio 1.x, 2.7.5.3.1). The table sits in memory the device
 * can only read, and its slot is not reused until the chain comes back.
 */
static int add_indirect(struct virtq *q, const struct virtq_buf *bufs,
			unsigned int out, unsigned int in, void *token)
{
	uint16_t head = q->free_head, n = (uint16_t)(out + in);
	volatile struct vring_desc *t = q->ind + (size_t)head * q->ind_max;
	uint32_t writable = 0;

	for (uint16_t k = 0; k < n; k++) {
		t[k].addr = bufs[k].addr;
		t[k].len = bufs[k].len;
		t[k].flags = (uint16_t)((k < out ? 0 : VRING_DESC_F_WRITE) |
					(k + 1 < n ? VRING_DESC_F_NEXT : 0));
		t[k].next = (uint16_t)(k + 1 < n ? k + 1 : 0);
		if (k >= out)
			writable += bufs[k].len;
	}
	q->desc[head].addr = q->ind_dma + (dma_addr_t)head * q->ind_max *
						 sizeof(struct vring_desc);
	q->desc[head].len = (uint32_t)(n * sizeof(struct vring_desc));
	q->desc[head].flags = VRING_DESC_F_INDIRECT;
	q->free_head = q->next[head];
	q->num_free--;
	publish(q, head, 1, writable, token);
	return 0;
}

int virtq_add_chain(struct virtq *q, const struct virtq_buf *bufs,
		    unsigned int out, unsigned int in, void *token)
{
	unsigned int n = out + in;
	uint16_t head, i, prev = 0;
	uint32_t writable = 0;

	if (q->broken || n == 0 || !token)
		return -1;
	if (q->ind && n > 1 && n <= q->ind_max && q->num_free)
		return add_indirect(q, bufs, out, in, token);
	if (n > q->num_free)
		return -1;
	head = i = q->free_head;
	for (unsigned int k = 0; k < n; k++) {
		q->desc[i].addr = bufs[k].addr;
		q->desc[i].len = bufs[k].len;
		q->desc[i].flags = (uint16_t)((k < out ? 0 : VRING_DESC_F_WRITE) |
					      (k + 1 < n ? VRING_DESC_F_NEXT : 0));
		if (k >= out)
			writable += bufs[k].len;
		prev = i;
		i = q->next[i];
		q->desc[prev].next = i;
	}
	q->free_head = i;
	q->num_free = (uint16_t)(q->num_free - n);
	publish(q, head, (uint16_t)n, writable, token);
	return 0;
}

static uint16_t used_idx(const struct virtq *q)
{
	return __atomic_load_n((const volatile uint16_t *)(q->used +
							   USED_IDX_OFF),
			       __ATOMIC_ACQUIRE);
}

void virtq_kick_again(struct virtq *q)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (q->notify && !q->broken)
		q->notify(q);
}

void virtq_kick(struct virtq *q)
{
	uint16_t old = q->kicked_idx, now = q->avail_idx;
	bool notify;

	__atomic_thread_fence(__ATOMIC_RELEASE);
	q->avail[AVAIL_IDX] = now;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	q->kicked_idx = now;
	if (q->event_idx) {
		/* avail_event sits after the used ring. */
		uint16_t ev = *(volatile uint16_t *)(q->used + USED_RING_OFF +
						     8 * (size_t)q->size);

		notify = (uint16_t)(now - ev - 1) < (uint16_t)(now - old);
	} else {
		notify = !(*(volatile uint16_t *)q->used &
			   VRING_USED_F_NO_NOTIFY);
	}
	if (notify && q->notify)
		q->notify(q);
}

bool virtq_has_used(struct virtq *q)
{
	return !q->broken && used_idx(q) != q->last_used;
}

void *virtq_get_used(struct virtq *q, uint32_t *len)
{
	const volatile struct vring_used_elem *e;
	uint16_t idx, head, n, i;
	uint32_t id, l;
	void *token;

	if (q->broken)
		return NULL;
	idx = used_idx(q);
	if (idx == q->last_used)
		return NULL;
	if ((uint16_t)(idx - q->last_used) > q->size) {
		set_broken(q, "used index ran ahead of what was posted");
		return NULL;
	}
	e = (const volatile struct vring_used_elem *)(q->used + USED_RING_OFF);
	e += q->last_used & (q->size - 1);
	id = e->id;
	l = e->len;
	if (id >= q->size || !q->token[id]) {
		set_broken(q, "used ring names a chain that was not posted");
		return NULL;
	}
	head = (uint16_t)id;
	if (l > q->in_len[head]) {
		set_broken(q, "device claims to have written more than posted");
		return NULL;
	}
	q->last_used++;
	if (q->event_idx)
		q->avail[AVAIL_RING + q->size] = q->last_used; /* used_event */
	/* Return the chain to the free list (our links, not the ring's). */
	n = q->chain_len[head];
	i = head;
	for (uint16_t k = 1; k < n; k++)
		i = q->next[i];
	q->next[i] = q->free_head;
	q->free_head = head;
	q->num_free = (uint16_t)(q->num_free + n);
	token = q->token[head];
	q->token[head] = NULL;
	*len = l;
	return token;
}
