/*
 * xentest: Mica's Xen self-test, run by tests/xen/ under real Xen.
 * Each check prints "xentest: PASS <name>" or "xentest: FAIL <name>: why";
 * the exit status is the number of failures.
 *
 * Arguments (after -- on the kernel command line):
 *   audit-negative   pass a stack buffer to a checked wrapper: with
 *                    hcall=audit the kernel must stop, naming the op
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <mica/sched.h>
#include <mica/time.h>
#include <mica/xen/events.h>
#include <mica/xen/hcall.h>
#include <mica/xen/platform.h>
#include <mica/xen/xen.h>

static int failures, passes;

static void check(const char *name, bool ok, const char *why)
{
	if (ok) {
		passes++;
		printf("xentest: PASS %s\n", name);
	} else {
		failures++;
		printf("xentest: FAIL %s: %s\n", name, why);
	}
}

static void test_version(void)
{
	long v = HYPERVISOR_xen_version(XENVER_version, NULL);
	char why[80];

	snprintf(why, sizeof(why), "XENVER_version returned %#lx", v);
	check("xen_version", v >= 0x30000 && v == (long)xen_version_code, why);
}

static struct waitq evq;
static unsigned int ev_hits;

static void on_event(unsigned int port, void *arg)
{
	(void)port;
	(void)arg;
	ev_hits++;
	waitq_wake_all(&evq);
}

/* An interdomain channel to ourselves: send on one end, see the other. */
static void test_evtchn_loopback(void)
{
	unsigned int a, b;
	char why[120];
	int rc;

	waitq_init(&evq);
	rc = evtchn_alloc_unbound(DOMID_SELF, &a);
	if (rc) {
		snprintf(why, sizeof(why), "alloc_unbound: %d", rc);
		check("evtchn_loopback", false, why);
		return;
	}
	rc = evtchn_bind_interdomain(DOMID_SELF, a, &b);
	if (rc) {
		snprintf(why, sizeof(why), "bind_interdomain: %d", rc);
		check("evtchn_loopback", false, why);
		return;
	}
	evtchn_set_handler(b, on_event, NULL);
	evtchn_send(a);
	waitq_wait(&evq, monotonic_ns() + 1000 * NSEC_PER_MSEC);
	snprintf(why, sizeof(why), "event on port %u never arrived (%u hits)",
		 b, ev_hits);
	check("evtchn_loopback", ev_hits == 1, why);
	evtchn_close(b);
	evtchn_close(a);
}

static void test_timer_events(void)
{
	unsigned long before = evtchn_delivered();
	uint64_t t0 = monotonic_ns(), dt;
	char why[120];

	usleep(30000);
	dt = monotonic_ns() - t0;
	snprintf(why, sizeof(why), "slept %llu us, %lu events delivered",
		 (unsigned long long)(dt / 1000), evtchn_delivered() - before);
	check("virq_timer_sleep",
	      dt >= 30 * NSEC_PER_MSEC && dt < 500 * NSEC_PER_MSEC &&
		      evtchn_delivered() > before,
	      why);
}

static void test_wallclock(void)
{
	struct timespec ts;
	char why[80];

	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(why, sizeof(why), "wall clock says %lld s",
		 (long long)ts.tv_sec);
	/* After 2020-01-01: shared_info's clock was read. */
	check("wallclock", ts.tv_sec > 1577836800, why);
}

static void test_audit_clean(void)
{
	struct hcall_stats st;
	char why[80];

	hcall_get_stats(&st);
	snprintf(why, sizeof(why), "%lu of %lu hypercalls outside the arena",
		 st.outside, st.calls);
	check("arena_discipline", st.calls > 0 && st.outside == 0, why);
}

static void audit_negative(void)
{
	char on_stack[sizeof(xen_extraversion_t)];

	printf("xentest: passing a stack buffer to xen_version\n");
	HYPERVISOR_xen_version(XENVER_extraversion, on_stack);
	printf("xentest: FAIL audit_negative: the kernel did not stop\n");
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "audit-negative") == 0) {
		audit_negative();
		return 1;
	}
	test_version();
	test_evtchn_loopback();
	test_timer_events();
	test_wallclock();
	test_audit_clean();
	printf("xentest: %d passed, %d failed\n", passes, failures);
	return failures;
}
