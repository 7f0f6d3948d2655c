/* The grant-ref allocator: a bitmap with first-fit runs. */
#include <mica/xen/grant.h>

static bool used(const struct gref_pool *p, uint32_t r)
{
	return p->bits[r / 64] & (1ULL << (r % 64));
}

static void set(struct gref_pool *p, uint32_t r, bool on)
{
	if (on)
		p->bits[r / 64] |= 1ULL << (r % 64);
	else
		p->bits[r / 64] &= ~(1ULL << (r % 64));
}

void gref_pool_init(struct gref_pool *p, uint64_t *bits, uint32_t nrefs,
		    uint32_t reserved)
{
	p->bits = bits;
	p->nrefs = nrefs;
	p->nfree = 0;
	for (uint32_t r = 0; r < nrefs; r++) {
		set(p, r, r < reserved);
		if (r >= reserved)
			p->nfree++;
	}
}

int64_t gref_alloc_run(struct gref_pool *p, uint32_t count)
{
	uint32_t start = 0;

	if (count == 0 || count > p->nfree)
		return -1;
	while (start + count <= p->nrefs) {
		uint32_t n = 0;

		while (n < count && !used(p, start + n))
			n++;
		if (n == count) {
			for (uint32_t i = 0; i < count; i++)
				set(p, start + i, true);
			p->nfree -= count;
			return start;
		}
		start += n + 1;
	}
	return -1;
}

void gref_free_run(struct gref_pool *p, gref_t first, uint32_t count)
{
	for (uint32_t r = first; r < first + count && r < p->nrefs; r++) {
		if (used(p, r)) {
			set(p, r, false);
			p->nfree++;
		}
	}
}
