/*
 * blkcheck: the block layer and the virtio-blk driver. Writes a pattern
 * at spread-out places across the whole disk (several requests in
 * flight at once), reads it back and compares, checks that out-of-range
 * requests are refused, and flushes. Each written sector holds
 * "mica-blk %08llu\n" (its own number) repeated, so the host can check
 * the image afterwards.
 *
 * Arguments: `ro` (the disk must be read-only: writes refused, reads
 * work). Exit 0 pass, 1 fail, 2 no block device.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mica/blk.h>

#define SPOTS 16
#define RUN 8 /* sectors per spot */

static void fill(char *buf, uint64_t first, unsigned int count)
{
	for (unsigned int s = 0; s < count; s++)
		for (unsigned int i = 0; i < SECTOR_SIZE; i += 16)
			snprintf(buf + s * SECTOR_SIZE + i, 17, "mica-blk %06llu\n",
				 (unsigned long long)(first + s) % 1000000);
}

static int check_ro(struct blkdev *d, char *buf)
{
	int rc;

	if (!d->readonly) {
		puts("blkcheck: FAIL the disk is not read-only");
		return 1;
	}
	rc = blk_write(d, 0, buf, 1);
	if (rc != -EROFS) {
		printf("blkcheck: FAIL a write to a read-only disk gave %d\n", rc);
		return 1;
	}
	rc = blk_read(d, 0, buf, 1);
	printf("blkcheck: %s read-only disk: write refused, read %s\n",
	       rc == 0 ? "PASS" : "FAIL", rc == 0 ? "works" : "failed");
	return rc != 0;
}

int main(int argc, char **argv)
{
	static struct blk_req reqs[SPOTS];
	static char wbuf[SPOTS][RUN * SECTOR_SIZE], rbuf[RUN * SECTOR_SIZE];
	struct blkdev *d = blkdev_first();
	uint64_t step;
	int rc;

	if (!d) {
		puts("blkcheck: FAIL no block device");
		return 2;
	}
	if (argc > 1 && strcmp(argv[1], "ro") == 0)
		return check_ro(d, rbuf);
	if (d->sectors < SPOTS * RUN) {
		puts("blkcheck: FAIL disk too small");
		return 1;
	}
	if (blk_read(d, d->sectors, rbuf, 1) != -EINVAL ||
	    blk_read(d, d->sectors - 1, rbuf, 2) != -EINVAL ||
	    blk_read(d, 0, rbuf, 0) != -EINVAL) {
		puts("blkcheck: FAIL an out-of-range request was not refused");
		return 1;
	}
	/* Spots spread over the disk, the last one ending at its end. */
	step = (d->sectors - RUN) / (SPOTS - 1);
	for (int i = 0; i < SPOTS; i++) {
		reqs[i].sector = i == SPOTS - 1 ? d->sectors - RUN : i * step;
		reqs[i].count = RUN;
		reqs[i].buf = wbuf[i];
		reqs[i].write = true;
		fill(wbuf[i], reqs[i].sector, RUN);
		rc = blk_submit(d, &reqs[i]);
		if (rc) {
			printf("blkcheck: FAIL submit: %d\n", rc);
			return 1;
		}
	}
	for (int i = 0; i < SPOTS; i++) {
		rc = blk_wait(d, &reqs[i]);
		if (rc) {
			printf("blkcheck: FAIL write at %llu: %d\n",
			       (unsigned long long)reqs[i].sector, rc);
			return 1;
		}
	}
	if ((rc = blk_flush(d))) {
		printf("blkcheck: FAIL flush: %d\n", rc);
		return 1;
	}
	for (int i = 0; i < SPOTS; i++) {
		memset(rbuf, 0, sizeof(rbuf));
		rc = blk_read(d, reqs[i].sector, rbuf, RUN);
		if (rc || memcmp(rbuf, wbuf[i], sizeof(rbuf))) {
			printf("blkcheck: FAIL read back at %llu: %d\n",
			       (unsigned long long)reqs[i].sector, rc);
			return 1;
		}
	}
	printf("blkcheck: PASS wrote and verified %d sectors at %d places "
	       "across %llu MiB, last at sector %llu\n",
	       SPOTS * RUN, SPOTS, (unsigned long long)(d->sectors >> 11),
	       (unsigned long long)(d->sectors - RUN));
	return 0;
}
