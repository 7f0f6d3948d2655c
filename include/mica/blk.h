/*
 * Block devices: 512-byte sectors, synchronous and asynchronous requests
 * with several in flight. Every request is bounds-checked against the
 * device's size, and writes to a read-only device are refused, before
 * anything reaches the device.
 */
#ifndef MICA_BLK_H
#define MICA_BLK_H

#include <mica/sched.h>
#include <mica/types.h>

#define SECTOR_SIZE 512

struct blkdev;

struct blk_req {
	uint64_t sector;
	uint32_t count;		/* sectors */
	void *buf;
	bool write;
	/* Filled in on completion: 0, or -errno (EIO from the device). */
	int status;
	bool done;
	/* Driver bookkeeping. */
	void *slot;
};

struct blkdev_ops {
	int (*submit)(struct blkdev *d, struct blk_req *r);
	/* Take finished requests off the device; may sleep until @deadline
	 * (0: just look). */
	void (*poll)(struct blkdev *d, uint64_t deadline_ns);
	int (*flush)(struct blkdev *d);
};

struct blkdev {
	const char *name;
	uint64_t sectors;
	bool readonly;
	const struct blkdev_ops *ops;
	void *priv;
	struct blkdev *next;
};

void blkdev_register(struct blkdev *d);
struct blkdev *blkdev_first(void);

/* Asynchronous: queue @r (0, or -EINVAL/-EROFS/-EBUSY at once). */
int blk_submit(struct blkdev *d, struct blk_req *r);
/* Wait for @r to finish; returns its status (-ETIMEDOUT after 30 s). */
int blk_wait(struct blkdev *d, struct blk_req *r);
/* Synchronous helpers. */
int blk_read(struct blkdev *d, uint64_t sector, void *buf, uint32_t count);
int blk_write(struct blkdev *d, uint64_t sector, const void *buf,
	      uint32_t count);
int blk_flush(struct blkdev *d);

#endif
