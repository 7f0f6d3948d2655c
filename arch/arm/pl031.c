/*
 * The PL031 real-time clock (arm,pl031; QEMU's virt machine has one): its
 * data register counts seconds since 1970. Read once at boot to set the
 * wall clock.
 */
#include <mica/mm.h>
#include <mica/printk.h>
#include <mica/time.h>
#include <arch/arm64.h>

#define RTC_DR 0x00

/* Days since 1970-01-01 to a civil date (proleptic Gregorian). */
static void civil(uint64_t days, int *y, int *m, int *d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };
	int year = 1970, mon = 0;

	for (;;) {
		bool leap = (year % 4 == 0 && year % 100 != 0) ||
			    year % 400 == 0;
		uint64_t len = leap ? 366 : 365;

		if (days < len)
			break;
		days -= len;
		year++;
	}
	for (;; mon++) {
		bool leap = (year % 4 == 0 && year % 100 != 0) ||
			    year % 400 == 0;
		uint64_t len = (uint64_t)mdays[mon] + (mon == 1 && leap);

		if (days < len)
			break;
		days -= len;
	}
	*y = year;
	*m = mon + 1;
	*d = (int)days + 1;
}

void pl031_init(const struct dt_machine *m)
{
	uint64_t secs;
	int y, mo, d;

	if (!m->rtc.size) {
		pr_info("clock: no PL031 RTC; wall clock starts at 1970\n");
		return;
	}
	secs = mmio_read32((uintptr_t)paging_map_mmio(m->rtc.base, 4096) +
			   RTC_DR);
	wallclock_set(secs * NSEC_PER_SEC);
	civil(secs / 86400, &y, &mo, &d);
	pr_info("clock: PL031 RTC %04d-%02d-%02d %02d:%02d:%02d UTC\n", y, mo,
		d, (int)(secs % 86400 / 3600), (int)(secs % 3600 / 60),
		(int)(secs % 60));
}
