/* Monotonic and wall-clock time. */
#ifndef MICA_TIME_H
#define MICA_TIME_H

#include <mica/types.h>

#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_USEC 1000ULL

/* Nanoseconds since boot (arch clock source). */
uint64_t monotonic_ns(void);
/* Nanoseconds since the Unix epoch. */
uint64_t wallclock_ns(void);
/* Set the wall clock from a reading taken now (seconds since epoch). */
void wallclock_set(uint64_t epoch_ns);

struct rtc_time {
	int year, mon, mday, hour, min, sec; /* mon 1..12 */
};
/* Calendar (UTC) to seconds since 1970; -1 for an invalid date. */
int64_t rtc_to_epoch(const struct rtc_time *tm);

#endif
