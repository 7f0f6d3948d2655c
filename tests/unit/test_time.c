/* kernel/time.c: calendar to epoch, and the wall clock. */
#include <mica/time.h>
#include "host.h"
#include "unit.h"

static int64_t epoch(int y, int mo, int d, int h, int mi, int s)
{
	struct rtc_time tm = { y, mo, d, h, mi, s };

	return rtc_to_epoch(&tm);
}

TEST(rtc_known_dates)
{
	CHECK_EQ(epoch(1970, 1, 1, 0, 0, 0), 0);
	CHECK_EQ(epoch(1970, 1, 2, 0, 0, 1), 86401);
	CHECK_EQ(epoch(1999, 12, 31, 23, 59, 59), 946684799);
	CHECK_EQ(epoch(2038, 1, 19, 3, 14, 8), 2147483648LL);
	CHECK_EQ(epoch(2100, 3, 1, 0, 0, 0), 4107542400LL);
	CHECK_EQ(epoch(9999, 12, 31, 23, 59, 59), 253402300799LL);
}

TEST(rtc_leap_days)
{
	CHECK_EQ(epoch(2000, 2, 29, 0, 0, 0), 951782400);	/* 400-year */
	CHECK_EQ(epoch(2024, 2, 29, 12, 34, 56), 1709210096);
	CHECK_EQ(epoch(2024, 3, 1, 0, 0, 0) - epoch(2024, 2, 28, 0, 0, 0),
		 2 * 86400);
	CHECK_EQ(epoch(2023, 3, 1, 0, 0, 0) - epoch(2023, 2, 28, 0, 0, 0),
		 86400);
	/* A leap second reads as the next second. */
	CHECK_EQ(epoch(2016, 12, 31, 23, 59, 60), 1483228800);
}

TEST(rtc_invalid_dates)
{
	CHECK_EQ(epoch(2023, 2, 29, 0, 0, 0), -1);	/* not a leap year */
	CHECK_EQ(epoch(2100, 2, 29, 0, 0, 0), -1);	/* century */
	CHECK_EQ(epoch(2024, 2, 30, 0, 0, 0), -1);
	CHECK_EQ(epoch(2024, 13, 1, 0, 0, 0), -1);
	CHECK_EQ(epoch(2024, 0, 1, 0, 0, 0), -1);
	CHECK_EQ(epoch(2024, 4, 31, 0, 0, 0), -1);
	CHECK_EQ(epoch(2024, 1, 32, 0, 0, 0), -1);
	CHECK_EQ(epoch(2024, 1, 0, 0, 0, 0), -1);
	CHECK_EQ(epoch(2024, 1, 1, 24, 0, 0), -1);
	CHECK_EQ(epoch(2024, 1, 1, 0, 60, 0), -1);
	CHECK_EQ(epoch(2024, 1, 1, 0, 0, 61), -1);
	CHECK_EQ(epoch(2024, 1, 1, -1, 0, 0), -1);
	CHECK_EQ(epoch(1969, 12, 31, 23, 59, 59), -1);
	CHECK_EQ(epoch(10000, 1, 1, 0, 0, 0), -1);
	CHECK_EQ(epoch(2024, -3, 1, 0, 0, 0), -1);
}

TEST(wallclock_follows_monotonic)
{
	fake_clock_set(5 * NSEC_PER_SEC);
	wallclock_set(1000 * NSEC_PER_SEC);
	CHECK_EQ(wallclock_ns(), 1000 * NSEC_PER_SEC);
	fake_clock_advance(2 * NSEC_PER_SEC + 7);
	CHECK_EQ(wallclock_ns(), 1002 * NSEC_PER_SEC + 7);
	/* A wall time before boot cannot be: clamp, do not wrap. */
	wallclock_set(NSEC_PER_SEC);
	CHECK_EQ(wallclock_ns(), 7 * NSEC_PER_SEC + 7);
}
