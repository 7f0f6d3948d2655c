/* Wall-clock time: an epoch offset taken once from the platform's clock
 * (CMOS RTC, PL031, Xen's shared_info) and advanced by the monotonic clock. */
#include <mica/time.h>

static uint64_t boot_epoch_ns; /* wall clock at monotonic time 0 */

void wallclock_set(uint64_t epoch_ns)
{
	uint64_t now = monotonic_ns();

	boot_epoch_ns = epoch_ns > now ? epoch_ns - now : 0;
}

uint64_t wallclock_ns(void)
{
	return boot_epoch_ns + monotonic_ns();
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int64_t rtc_to_epoch(const struct rtc_time *tm)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };
	int64_t days = 0;

	if (tm->year < 1970 || tm->year > 9999 || tm->mon < 1 || tm->mon > 12 ||
	    tm->mday < 1 || tm->hour < 0 || tm->hour > 23 || tm->min < 0 ||
	    tm->min > 59 || tm->sec < 0 || tm->sec > 60)
		return -1;
	if (tm->mday > mdays[tm->mon - 1] + (tm->mon == 2 && leap(tm->year)))
		return -1;
	for (int y = 1970; y < tm->year; y++)
		days += leap(y) ? 366 : 365;
	for (int m = 1; m < tm->mon; m++)
		days += mdays[m - 1] + (m == 2 && leap(tm->year));
	days += tm->mday - 1;
	return ((days * 24 + tm->hour) * 60 + tm->min) * 60 + tm->sec;
}
