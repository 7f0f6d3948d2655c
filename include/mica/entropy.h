/*
 * Entropy for whoever needs unpredictable numbers (TCP initial sequence
 * numbers, DHCP and DNS ids). Sources register themselves: the CPU's own
 * generator (RDRAND, RNDR) where it exists, virtio-rng when a device is
 * there. There is no fallback to a constant seed here: a caller that
 * gets -1 must refuse to go on (or be told explicitly that it may).
 */
#ifndef MICA_ENTROPY_H
#define MICA_ENTROPY_H

#include <mica/types.h>

struct entropy_source {
	const char *name;
	/* Fill @buf; 0, or -1 if the source failed this time. May block
	 * the calling thread briefly (a device). */
	int (*read)(void *buf, size_t len);
	struct entropy_source *next;
};

void entropy_register(struct entropy_source *s);
/* From the first source that works; -1 if none does. */
int entropy_read(void *buf, size_t len);
/* The name of the source in use, or NULL when there is none. */
const char *entropy_source_name(void);

#endif
