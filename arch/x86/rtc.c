/*
 * The CMOS real-time clock (bare x86): read once at boot to set the wall
 * clock. Registers are read twice until two reads agree, so an update in
 * the middle cannot give a torn time. BCD and 12-hour modes are decoded.
 */
#include <mica/printk.h>
#include <mica/time.h>
#include <arch/io.h>
#include <arch/x86.h>

static uint8_t cmos(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static void read_raw(uint8_t v[7])
{
	unsigned int spins = 0;

	while ((cmos(0x0a) & 0x80) && ++spins < 1000000)
		; /* update in progress */
	v[0] = cmos(0x00);
	v[1] = cmos(0x02);
	v[2] = cmos(0x04);
	v[3] = cmos(0x07);
	v[4] = cmos(0x08);
	v[5] = cmos(0x09);
	v[6] = cmos(0x32); /* century, where the firmware keeps it */
}

static int bcd(uint8_t v)
{
	return (v >> 4) * 10 + (v & 15);
}

void rtc_init(void)
{
	uint8_t a[7], b[7], regb;
	struct rtc_time tm;
	int64_t epoch;
	int tries = 0;

	do {
		read_raw(a);
		read_raw(b);
	} while (__builtin_memcmp(a, b, sizeof(a)) && ++tries < 5);
	regb = cmos(0x0b);
	if (a[0] == 0xff && a[4] == 0xff) {
		pr_info("clock: no CMOS RTC; wall clock starts at 1970\n");
		return;
	}
	bool pm = a[2] & 0x80;

	a[2] &= 0x7f;
	if (!(regb & 0x04)) {
		for (int i = 0; i < 7; i++)
			a[i] = (uint8_t)bcd(a[i]);
	}
	tm.sec = a[0];
	tm.min = a[1];
	tm.hour = a[2];
	if (!(regb & 0x02) && (pm != (tm.hour == 12)))
		tm.hour = (tm.hour + 12) % 24; /* 12-hour mode */
	tm.mday = a[3];
	tm.mon = a[4];
	tm.year = (a[6] >= 19 && a[6] <= 99 ? a[6] * 100 : 2000) + a[5];
	epoch = rtc_to_epoch(&tm);
	if (epoch < 0) {
		printk("clock: CMOS RTC gives an invalid date "
		       "(%04d-%02d-%02d %02d:%02d:%02d); wall clock starts at "
		       "1970\n",
		       tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec);
		return;
	}
	wallclock_set((uint64_t)epoch * NSEC_PER_SEC);
	pr_info("clock: CMOS RTC %04d-%02d-%02d %02d:%02d:%02d UTC\n", tm.year,
		tm.mon, tm.mday, tm.hour, tm.min, tm.sec);
}
