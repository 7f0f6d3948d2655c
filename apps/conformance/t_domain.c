/*
 * Tests that use up something a domain has once: its shutdown, and a
 * grant table version switch that a faulty Xen could leave broken. Each
 * runs only when named (tests/conformance/ gives each its own domain).
 * A shutdown test reports SUCCESS for its part, then the caller issues
 * SCHEDOP_shutdown after the verdict line; the harness checks the
 * reason the toolstack saw.
 */
#include "conformance.h"

static void shutdown_reboot(struct conf_ctx *c)
{
	conf_note(c, "SCHEDOP_shutdown(reboot) follows the verdict");
	c->shutdown_after = SHUTDOWN_reboot;
}

static void shutdown_crash(struct conf_ctx *c)
{
	conf_note(c, "SCHEDOP_shutdown(crash) follows the verdict");
	c->shutdown_after = SHUTDOWN_crash;
}

/* SCHEDOP_shutdown_code records a reason without shutting down; the
 * later shutdown keeps the recorded one. */
static void shutdown_code_sticky(struct conf_ctx *c)
{
	struct sched_shutdown *s = conf_buf(c, sizeof(*s));
	long rc;

	if (!s)
		return;
	s->reason = SHUTDOWN_reboot;
	rc = c->ops->sched_op(SCHEDOP_shutdown_code, s);
	if (!conf_check(c, rc == 0, "SCHEDOP_shutdown_code: %s",
			conf_errname(rc)))
		return;
	conf_note(c, "code reboot recorded; SCHEDOP_shutdown(poweroff) "
		  "follows the verdict and must end as reboot");
	c->shutdown_after = SHUTDOWN_poweroff;
}

/* A real switch to v2 and back, with nothing granted. */
static void gnttab_v2_switch(struct conf_ctx *c)
{
	uint32_t v = 0;
	long rc = conf_gnttab_set_version(c, 2, &v);

	if (conf_env_in(c, ENV_ARM_DOM0LESS)) {
		conf_check(c, rc == -XEN_ENOSYS, "set_version(2) on arm: %s, "
			   "expected -ENOSYS", conf_errname(rc));
		return;
	}
	if (rc == -XEN_ENOSYS) {
		conf_skip(c, "this Xen offers grant tables v1 only");
		return;
	}
	if (!conf_check(c, rc == 0 && v == 2, "set_version(2): %s, version "
			"%u", conf_errname(rc), v))
		return;
	rc = conf_gnttab_get_version(c, &v);
	conf_check(c, rc == 0 && v == 2, "get_version after the switch: %s, "
		   "%u", conf_errname(rc), v);
	rc = conf_gnttab_set_version(c, 1, &v);
	conf_check(c, rc == 0 && v == 1, "back to v1: %s, version %u",
		   conf_errname(rc), v);
	rc = conf_gnttab_get_version(c, &v);
	conf_check(c, rc == 0 && v == 1, "get_version at the end: %s, %u",
		   conf_errname(rc), v);
}

#define OWN "needs a domain of its own: run it by name"

const struct conf_test conf_tests_domain[] = {
	{
		.name = "shutdown_reboot",
		.category = "domain",
		.checks = "SCHEDOP_shutdown(reboot) ends the domain with "
			  "reason reboot",
		.why = "toolstacks restart or destroy by the reason",
		.source = "public/sched.h SHUTDOWN_reboot",
		.expect = "xl domU: xl reports reboot; dom0less: the domain "
			  "stops (no toolstack sees the reason)",
		.runs_on = ENV_ALL,
		.dedicated = true,
		.skip_why = OWN,
		.run = shutdown_reboot,
	},
	{
		.name = "shutdown_crash",
		.category = "domain",
		.checks = "SCHEDOP_shutdown(crash) ends the domain with reason"
			  " crash",
		.why = "crash handling (core dumps, on_crash) keys on it",
		.source = "public/sched.h SHUTDOWN_crash",
		.expect = "xl domU: xl reports crash",
		.runs_on = ENV_ALL,
		.dedicated = true,
		.skip_why = OWN,
		.run = shutdown_crash,
	},
	{
		.name = "shutdown_code_sticky",
		.category = "domain",
		.checks = "SCHEDOP_shutdown_code(reboot), then "
			  "SCHEDOP_shutdown(poweroff): the recorded code wins",
		.why = "kexec-style paths record the reason early",
		.source = "public/sched.h SCHEDOP_shutdown_code; "
			  "common/domain.c domain_shutdown",
		.expect = "xl domU: 0, xl reports reboot",
		.runs_on = ENV_ALL,
		.dedicated = true,
		.skip_why = OWN,
		.run = shutdown_code_sticky,
	},
	{
		.name = "gnttab_v2_switch",
		.category = "grants",
		.checks = "set_version(2) with nothing granted, get_version, "
			  "back to v1",
		.why = "v2 is offered on x86; a switch must be reversible",
		.source = "common/grant_table.c gnttab_set_version",
		.expect = "x86: 0/2, 2, 0/1, 1 (SKIP if v2 is not offered); "
			  "arm64: -ENOSYS",
		.runs_on = ENV_ALL,
		.dedicated = true,
		.skip_why = OWN,
		.run = gnttab_v2_switch,
	},
};
const size_t conf_tests_domain_count = ARRAY_SIZE(conf_tests_domain);
