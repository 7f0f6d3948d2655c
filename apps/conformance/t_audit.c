/* The arena discipline over the whole run: this test runs last. */
#include "conformance.h"

static void audit_arena(struct conf_ctx *c)
{
	unsigned long calls, outside, raw;

	c->ops->hcall_stats(&calls, &outside, &raw);
	conf_check(c, calls > 0, "no checked hypercall was counted");
	conf_check(c, outside == 0, "%lu of %lu hypercalls passed a buffer "
		   "outside the registered arena", outside, calls);
	conf_check(c, raw == conf_raw_total(), "%lu raw calls counted, the "
		   "suite made %lu: something else bypassed the audit", raw,
		   conf_raw_total());
	conf_note(c, "%lu checked hypercalls, %lu deliberate raw", calls, raw);
}

const struct conf_test conf_tests_audit[] = {
	{
		.name = "audit_arena",
		.category = "audit",
		.checks = "every checked hypercall of the run kept its buffers"
			  " in the registered arena; raw calls are only the "
			  "suite's own",
		.why = "the registered-buffer model: a hypervisor that "
		       "enforces it must never see a stray buffer",
		.source = "docs/hypercall-arena.md",
		.expect = "all: outside 0, raw = the negative tests' calls",
		.runs_on = ENV_ALL,
		.run = audit_arena,
	},
};
const size_t conf_tests_audit_count = ARRAY_SIZE(conf_tests_audit);
