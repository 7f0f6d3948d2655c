/* The block layer: checks, the device list, and the sync helpers. */
#include <errno.h>
#include <mica/blk.h>
#include <mica/printk.h>
#include <mica/time.h>

static struct blkdev *devices;

void blkdev_register(struct blkdev *d)
{
	struct blkdev **p = &devices;

	while (*p)
		p = &(*p)->next;
	d->next = NULL;
	*p = d;
	pr_info("blk: %s, %llu sectors (%llu MiB)%s\n", d->name,
		(unsigned long long)d->sectors,
		(unsigned long long)(d->sectors >> 11),
		d->readonly ? ", read-only" : "");
}

struct blkdev *blkdev_first(void)
{
	return devices;
}

int blk_submit(struct blkdev *d, struct blk_req *r)
{
	r->done = false;
	r->status = 0;
	if (r->count == 0 || r->sector >= d->sectors ||
	    r->count > d->sectors - r->sector)
		return -EINVAL;
	if (r->write && d->readonly)
		return -EROFS;
	return d->ops->submit(d, r);
}

int blk_wait(struct blkdev *d, struct blk_req *r)
{
	uint64_t until = monotonic_ns() + 30 * NSEC_PER_SEC;

	while (!r->done) {
		if (monotonic_ns() > until) {
			printk("blk: %s: request for sector %llu timed out\n",
			       d->name, (unsigned long long)r->sector);
			return -ETIMEDOUT;
		}
		d->ops->poll(d, until);
	}
	return r->status;
}

static int sync_io(struct blkdev *d, uint64_t sector, void *buf,
		   uint32_t count, bool write)
{
	struct blk_req r = { .sector = sector, .count = count, .buf = buf,
			     .write = write };
	int rc = blk_submit(d, &r);

	return rc ? rc : blk_wait(d, &r);
}

int blk_read(struct blkdev *d, uint64_t sector, void *buf, uint32_t count)
{
	return sync_io(d, sector, buf, count, false);
}

int blk_write(struct blkdev *d, uint64_t sector, const void *buf,
	      uint32_t count)
{
	return sync_io(d, sector, (void *)buf, count, true);
}

int blk_flush(struct blkdev *d)
{
	return d->ops->flush ? d->ops->flush(d) : 0;
}
