/*
 * Xen's PV clock. vcpu_time_info says: at TSC value tsc_timestamp, Xen
 * system time was system_time; since then, time advances by
 * ((tsc - tsc_timestamp) shifted by tsc_shift) * tsc_to_system_mul / 2^32
 * nanoseconds. Xen updates the record under a version counter that is odd
 * while an update is in progress.
 */
#include <mica/xen/platform.h>
#include <mica/xen/xen.h>

uint64_t pvclock_ns(const struct vcpu_time_info *t, uint64_t tsc)
{
	uint64_t delta = tsc - t->tsc_timestamp;

	if (t->tsc_shift >= 0)
		delta <<= t->tsc_shift;
	else
		delta >>= -t->tsc_shift;
	return t->system_time +
	       (uint64_t)(((unsigned __int128)delta * t->tsc_to_system_mul) >>
			  32);
}

uint64_t pvclock_tsc_hz(const struct vcpu_time_info *t)
{
	/* ns = tsc * mul / 2^32 (after the shift), so tsc/s = 2^32e9 / mul */
	uint64_t hz;

	if (!t->tsc_to_system_mul)
		return 0;
	hz = (uint64_t)((1000000000ULL << 32) / t->tsc_to_system_mul);
	if (t->tsc_shift >= 0)
		hz >>= t->tsc_shift;
	else
		hz <<= -t->tsc_shift;
	return hz;
}
