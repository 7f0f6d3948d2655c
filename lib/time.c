/* POSIX time calls on Mica's clocks. */
#include <errno.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <mica/sched.h>
#include <mica/time.h>

#define set_errno(e) (*__errno() = (e))

int clock_gettime(clockid_t id, struct timespec *ts)
{
	uint64_t ns;

	if (id == CLOCK_MONOTONIC) {
		ns = monotonic_ns();
	} else if (id == CLOCK_REALTIME) {
		ns = wallclock_ns();
	} else {
		set_errno(EINVAL);
		return -1;
	}
	ts->tv_sec = (time_t)(ns / NSEC_PER_SEC);
	ts->tv_nsec = (long)(ns % NSEC_PER_SEC);
	return 0;
}

int clock_getres(clockid_t id, struct timespec *ts)
{
	if (id != CLOCK_MONOTONIC && id != CLOCK_REALTIME) {
		set_errno(EINVAL);
		return -1;
	}
	if (ts) {
		ts->tv_sec = 0;
		ts->tv_nsec = 1;
	}
	return 0;
}

int gettimeofday(struct timeval *tv, void *tz)
{
	uint64_t ns = wallclock_ns();

	(void)tz;
	if (tv) {
		tv->tv_sec = (time_t)(ns / NSEC_PER_SEC);
		tv->tv_usec = (suseconds_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC);
	}
	return 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (!req || req->tv_sec < 0 || req->tv_nsec < 0 ||
	    req->tv_nsec >= (long)NSEC_PER_SEC) {
		set_errno(EINVAL);
		return -1;
	}
	thread_sleep_ns((uint64_t)req->tv_sec * NSEC_PER_SEC +
			(uint64_t)req->tv_nsec);
	if (rem)
		rem->tv_sec = rem->tv_nsec = 0;
	return 0;
}

unsigned int sleep(unsigned int seconds)
{
	thread_sleep_ns((uint64_t)seconds * NSEC_PER_SEC);
	return 0;
}

int usleep(useconds_t us)
{
	thread_sleep_ns((uint64_t)us * NSEC_PER_USEC);
	return 0;
}

int sched_yield(void)
{
	thread_yield();
	return 0;
}
