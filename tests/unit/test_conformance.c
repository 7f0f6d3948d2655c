/*
 * Proof that the conformance suite can fail: the whole catalogue runs
 * on the host against a lying Xen, a shim hypercall layer that gets
 * everything wrong (a wrong version, wrong error codes on every checked
 * call and success on every raw one, events never delivered, grants
 * that never map, a dirty arena audit, no xenstore). Every test that
 * runs must end in FAILURE or ERROR, in every environment, and the run
 * must still end with "Test result: FAILURE" as its last line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mica/xen/hcall.h>
#include "../../apps/conformance/conformance.h"
#include "unit.h"

#define LIE (-XEN_EMLINK)	/* an error no test expects anywhere */

static char lines[512][400];
static unsigned int nlines;
static uint64_t fake_ns;
static uint8_t foreign[4096] __attribute__((aligned(4096)));
static uint8_t vcpu_slot[64] __attribute__((aligned(64)));
static struct vcpu_runstate_info runstate_area;

static void print(const char *line)
{
	if (nlines < ARRAY_SIZE(lines))
		snprintf(lines[nlines++], sizeof(lines[0]), "%s", line);
}

static long xen_version(int cmd, void *arg)
{
	(void)arg;
	return cmd == XENVER_version ? 0x00030002 : LIE; /* "Xen 3.2" */
}

static long memory_op(unsigned int cmd, void *arg) { (void)cmd; (void)arg; return LIE; }
static long event_channel_op(int cmd, void *arg) { (void)cmd; (void)arg; return LIE; }
static long sched_op(int cmd, void *arg) { (void)cmd; (void)arg; return LIE; }
static long console_io(int cmd, unsigned int n, char *b) { (void)cmd; (void)n; (void)b; return LIE; }

static long grant_table_op(unsigned int cmd, void *uop, unsigned int count)
{
	(void)cmd;
	(void)uop;
	(void)count;
	return LIE;
}

static long vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
	(void)cmd;
	(void)vcpu;
	(void)arg;
	return LIE;
}

/* Negative tests expect errors: the raw path says yes to everything. */
static long raw(unsigned int op, unsigned long a1, unsigned long a2,
		unsigned long a3, unsigned long a4, unsigned long a5)
{
	(void)op, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return 0;
}

static uint64_t now_ns(void) { return fake_ns += 1000; }
static void sleep_ns(uint64_t ns) { fake_ns += ns; }
static void ev_port(unsigned int port) { (void)port; }
static unsigned int ev_count(unsigned int port) { (void)port; return 0; }
static bool ev_false(unsigned int port) { (void)port; return false; }
static unsigned long ev_delivered(void) { return 0; }
static long block_with_events(void) { return LIE; }

static bool ev_wait(unsigned int port, unsigned int n, uint64_t timeout)
{
	(void)port;
	(void)n;
	fake_ns += timeout;
	return false; /* events never delivered */
}

/* The kernel's table hands out refs and ends access whenever asked. */
static int64_t grant(uint16_t domid, void *page, bool ro)
{
	(void)domid;
	(void)page;
	(void)ro;
	return 10;
}

static int end_grant(uint32_t ref) { (void)ref; return 0; }
static unsigned int grant_frames(void) { return 4; }
static uint64_t frame_of(const void *va) { return (uintptr_t)va >> 12; }
static uint64_t foreign_addr(uint32_t pages) { (void)pages; return (uintptr_t)foreign; }
static void *foreign_ptr(uint64_t addr) { return (void *)(uintptr_t)addr; }
static uint64_t shared_info_gfn(void) { return 0x1234; }
static void *vcpu_info_slot(void) { return vcpu_slot; }
static struct vcpu_runstate_info *runstate(void) { return &runstate_area; }

static int xs_read(uint32_t tx, const char *p, char *buf, size_t size)
{
	(void)tx, (void)p, (void)buf, (void)size;
	return -XEN_EIO;
}

static int xs_write(uint32_t tx, const char *p, const char *v)
{
	(void)tx, (void)p, (void)v;
	return -XEN_EIO;
}

static int xs_rm(uint32_t tx, const char *p) { (void)tx, (void)p; return -XEN_EIO; }
static int xs_tx_start(uint32_t *tx) { (void)tx; return -XEN_EIO; }
static int xs_tx_end(uint32_t tx, bool abort) { (void)tx, (void)abort; return -XEN_EIO; }
static int xs_watch_start(const char *p) { (void)p; return -XEN_EIO; }
static unsigned int xs_watch_wait(unsigned int n, uint64_t t) { (void)n, (void)t; return 0; }
static void xs_watch_stop(void) { }

static void hcall_stats(unsigned long *calls, unsigned long *outside,
			unsigned long *raw_calls)
{
	*calls = 3;
	*outside = 1;	/* a stray buffer */
	*raw_calls = 0;	/* and the suite's raw calls not counted */
}

static const struct conf_ops lying_xen = {
	.xen_version = xen_version,
	.memory_op = memory_op,
	.event_channel_op = event_channel_op,
	.grant_table_op = grant_table_op,
	.sched_op = sched_op,
	.vcpu_op = vcpu_op,
	.console_io = console_io,
	.raw = raw,
	.print = print,
	.now_ns = now_ns,
	.xen_time_ns = now_ns,
	.sleep_ns = sleep_ns,
	.ev_watch = ev_port,
	.ev_unwatch = ev_port,
	.ev_count = ev_count,
	.ev_wait = ev_wait,
	.ev_pending = ev_false,
	.ev_masked = ev_false,
	.ev_mask = ev_port,
	.ev_clear = ev_port,
	.ev_delivered = ev_delivered,
	.block_with_events = block_with_events,
	.grant = grant,
	.end_grant = end_grant,
	.grant_frames = grant_frames,
	.frame_of = frame_of,
	.foreign_addr = foreign_addr,
	.foreign_ptr = foreign_ptr,
	.shared_info_gfn = shared_info_gfn,
	.vcpu_info_slot = vcpu_info_slot,
	.runstate = runstate,
	.xs_read = xs_read,
	.xs_write = xs_write,
	.xs_rm = xs_rm,
	.xs_tx_start = xs_tx_start,
	.xs_tx_end = xs_tx_end,
	.xs_watch_start = xs_watch_start,
	.xs_watch_wait = xs_watch_wait,
	.xs_watch_stop = xs_watch_stop,
	.hcall_stats = hcall_stats,
};

static const unsigned int envs[] = { ENV_PVH_DOM0, ENV_PVH_DOMU, ENV_PV_DOM0,
				     ENV_PV_DOMU, ENV_ARM_DOM0LESS };

/* The status a test's line reports, or -1 if it printed none. */
static int status_of(const char *name)
{
	static const char *const st[] = { "SUCCESS", "SKIP", "ERROR",
					  "FAILURE" };
	char prefix[120];
	size_t n = (size_t)snprintf(prefix, sizeof(prefix), "conformance: %s: ",
				    name);

	for (unsigned int i = 0; i < nlines; i++) {
		if (strncmp(lines[i], prefix, n) != 0)
			continue;
		for (int s = 0; s < 4; s++)
			if (strncmp(lines[i] + n, st[s], strlen(st[s])) == 0)
				return s;
	}
	return -1;
}

static enum conf_status run(unsigned int kind, const char *only)
{
	struct conf_env env = { .kind = kind };
	enum conf_status st;
	int after;

	nlines = 0;
	hcall_arena_init();
	hcall_audit_mode = false;
	conf_probe_env(&lying_xen, &env);
	st = conf_run(&lying_xen, &env, only, &after);
	if (after >= 0)
		st = conf_shutdown(&lying_xen, only, after);
	return st;
}

TEST(conformance_catalogue_is_complete)
{
	const struct conf_test *t;
	unsigned int per_env[ARRAY_SIZE(envs)] = { 0 };
	size_t n = 0;

	for (size_t i = 0; (t = conf_test_at(i)) != NULL; i++, n++) {
		CHECK(t->name && t->category && t->checks && t->why &&
		      t->source && t->expect && t->run);
		CHECK(t->runs_on && !(t->runs_on & ~ENV_ALL));
		if (t->runs_on != ENV_ALL)
			CHECK(t->skip_why != NULL);
		CHECK(conf_test_find(t->name) == t); /* names are unique */
		for (size_t e = 0; e < ARRAY_SIZE(envs); e++)
			if (!t->dedicated && (t->runs_on & envs[e]))
				per_env[e]++;
	}
	CHECK(n >= 30);
	for (size_t e = 0; e < ARRAY_SIZE(envs); e++)
		CHECK(per_env[e] >= 30);
	/* The arena audit sums up the whole run: it comes last. */
	CHECK_STR(conf_test_at(n - 1)->name, "audit_arena");
}

TEST(conformance_every_test_fails_against_a_lying_xen)
{
	const struct conf_test *t;

	for (size_t e = 0; e < ARRAY_SIZE(envs); e++) {
		enum conf_status st = run(envs[e], NULL);

		CHECK_EQ(st, CONF_FAILURE);
		REQUIRE(nlines > 2);
		CHECK_STR(lines[nlines - 1], "Test result: FAILURE");
		for (size_t i = 0; (t = conf_test_at(i)) != NULL; i++) {
			int got = status_of(t->name);

			if (t->dedicated) {
				CHECK_EQ(got, -1); /* only when named */
				continue;
			}
			if (!(t->runs_on & envs[e])) {
				CHECK_EQ(got, CONF_SKIP);
				continue;
			}
			if (got != CONF_ERROR && got != CONF_FAILURE)
				unit_fail(__FILE__, __LINE__,
					  "%s in %s: status %d against the "
					  "lying Xen", t->name,
					  conf_env_name(envs[e]), got);
		}
	}
}

TEST(conformance_dedicated_tests_fail_against_a_lying_xen)
{
	const struct conf_test *t;

	for (size_t i = 0; (t = conf_test_at(i)) != NULL; i++) {
		if (!t->dedicated)
			continue;
		for (size_t e = 0; e < ARRAY_SIZE(envs); e++) {
			enum conf_status st = run(envs[e], t->name);

			if (st != CONF_FAILURE && st != CONF_ERROR)
				unit_fail(__FILE__, __LINE__, "%s in %s: "
					  "verdict %d", t->name,
					  conf_env_name(envs[e]), st);
			CHECK_STR(lines[nlines - 1], "Test result: FAILURE");
		}
	}
}

TEST(conformance_unknown_name_is_an_error)
{
	CHECK_EQ(run(ENV_PVH_DOM0, "no_such_test"), CONF_ERROR);
	CHECK_STR(lines[nlines - 1], "Test result: ERROR");
}

TEST(conformance_exit_codes_follow_xtf)
{
	CHECK_EQ(conf_exit_code(CONF_SUCCESS), 0);
	CHECK_EQ(conf_exit_code(CONF_SKIP), 3);
	CHECK_EQ(conf_exit_code(CONF_ERROR), 4);
	CHECK_EQ(conf_exit_code(CONF_FAILURE), 5);
}
