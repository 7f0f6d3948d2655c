/*
 * Negative tests through the one raw path (conf_raw, counted apart as
 * deliberate): unknown hypercall numbers and sub-ops, which the arena
 * audit would refuse to pass, and handles pointing at unmapped memory
 * (page 0), which must give -EFAULT and never a guest crash.
 */
#include "conformance.h"

static void check_raw(struct conf_ctx *c, const char *what, long rc,
		      long want)
{
	conf_check(c, rc == want, "%s: %s, expected %s", what,
		   conf_errname(rc), conf_errname(want));
}

static void hypercall_unknown_number(struct conf_ctx *c)
{
	check_raw(c, "hypercall 63", conf_raw(c, 63, 0, 0, 0, 0, 0),
		  -XEN_ENOSYS);
	check_raw(c, "hypercall 1000", conf_raw(c, 1000, 0, 0, 0, 0, 0),
		  -XEN_ENOSYS);
}

static void unknown_subops(struct conf_ctx *c)
{
	long vcpu = conf_env_in(c, ENV_ARM_DOM0LESS) ? -XEN_EINVAL
						     : -XEN_ENOSYS;

	check_raw(c, "xen_version 0x7fff",
		  conf_raw(c, __HYPERVISOR_xen_version, 0x7fff, 0, 0, 0, 0),
		  -XEN_ENOSYS);
	check_raw(c, "memory_op 63",
		  conf_raw(c, __HYPERVISOR_memory_op, 63, 0, 0, 0, 0),
		  -XEN_ENOSYS);
	check_raw(c, "event_channel_op 99",
		  conf_raw(c, __HYPERVISOR_event_channel_op, 99, 0, 0, 0, 0),
		  -XEN_ENOSYS);
	check_raw(c, "grant_table_op 99",
		  conf_raw(c, __HYPERVISOR_grant_table_op, 99, 0, 1, 0, 0),
		  -XEN_ENOSYS);
	check_raw(c, "sched_op 99",
		  conf_raw(c, __HYPERVISOR_sched_op, 99, 0, 0, 0, 0),
		  -XEN_ENOSYS);
	check_raw(c, "vcpu_op 99",
		  conf_raw(c, __HYPERVISOR_vcpu_op, 99, 0, 0, 0, 0), vcpu);
}

static void efault_version(struct conf_ctx *c)
{
	check_raw(c, "XENVER_extraversion into page 0",
		  conf_raw(c, __HYPERVISOR_xen_version, XENVER_extraversion,
			   CONF_BAD_PTR, 0, 0, 0),
		  -XEN_EFAULT);
	check_raw(c, "XENVER_get_features from page 0",
		  conf_raw(c, __HYPERVISOR_xen_version, XENVER_get_features,
			   CONF_BAD_PTR, 0, 0, 0),
		  -XEN_EFAULT);
}

static void efault_memory(struct conf_ctx *c)
{
	check_raw(c, "current_reservation from page 0",
		  conf_raw(c, __HYPERVISOR_memory_op,
			   XENMEM_current_reservation, CONF_BAD_PTR, 0, 0, 0),
		  -XEN_EFAULT);
}

static void efault_evtchn(struct conf_ctx *c)
{
	check_raw(c, "alloc_unbound from page 0",
		  conf_raw(c, __HYPERVISOR_event_channel_op,
			   EVTCHNOP_alloc_unbound, CONF_BAD_PTR, 0, 0, 0),
		  -XEN_EFAULT);
}

static void efault_grant(struct conf_ctx *c)
{
	check_raw(c, "query_size in page 0",
		  conf_raw(c, __HYPERVISOR_grant_table_op, GNTTABOP_query_size,
			   CONF_BAD_PTR, 1, 0, 0),
		  -XEN_EFAULT);
}

/* The argument in the arena, the handle inside it pointing at page 0. */
static void efault_sched(struct conf_ctx *c)
{
	struct sched_poll *p = conf_buf(c, sizeof(*p));

	if (!p)
		return;
	set_xen_guest_handle(p->ports, (evtchn_port_t *)CONF_BAD_PTR);
	p->nr_ports = 1;
	p->timeout = 0;
	check_raw(c, "SCHEDOP_poll with its ports in page 0",
		  conf_raw(c, __HYPERVISOR_sched_op, SCHEDOP_poll,
			   (uintptr_t)p, 0, 0, 0),
		  -XEN_EFAULT);
}

#define RAW_SRC "docs/hypercall-arena.md (hcall_raw); "

const struct conf_test conf_tests_negative[] = {
	{
		.name = "hypercall_unknown_number",
		.category = "negative",
		.checks = "hypercalls 63 (an empty slot) and 1000 (past the "
			  "table)",
		.why = "unknown numbers must fail cleanly, whatever the table",
		.source = RAW_SRC "public/xen.h __HYPERVISOR_*",
		.expect = "all: -ENOSYS",
		.runs_on = ENV_ALL,
		.run = hypercall_unknown_number,
	},
	{
		.name = "unknown_subops",
		.category = "negative",
		.checks = "an unknown sub-op of xen_version, memory_op, "
			  "event_channel_op, grant_table_op, sched_op, vcpu_op",
		.why = "guests probe for new sub-ops by their error",
		.source = RAW_SRC "the ops' dispatchers",
		.expect = "all: -ENOSYS, but vcpu_op on arm64: -EINVAL",
		.runs_on = ENV_ALL,
		.run = unknown_subops,
	},
	{
		.name = "efault_version",
		.category = "negative",
		.checks = "xen_version writing to / reading from page 0",
		.why = "a bad handle is -EFAULT, never a crash",
		.source = RAW_SRC "common/kernel.c",
		.expect = "all: -EFAULT twice",
		.runs_on = ENV_ALL,
		.run = efault_version,
	},
	{
		.name = "efault_memory",
		.category = "negative",
		.checks = "memory_op reading its argument from page 0",
		.why = "a bad handle is -EFAULT, never a crash",
		.source = RAW_SRC "common/memory.c",
		.expect = "all: -EFAULT",
		.runs_on = ENV_ALL,
		.run = efault_memory,
	},
	{
		.name = "efault_evtchn",
		.category = "negative",
		.checks = "event_channel_op reading its argument from page 0",
		.why = "a bad handle is -EFAULT, never a crash",
		.source = RAW_SRC "common/event_channel.c",
		.expect = "all: -EFAULT",
		.runs_on = ENV_ALL,
		.run = efault_evtchn,
	},
	{
		.name = "efault_grant",
		.category = "negative",
		.checks = "grant_table_op with its entry array in page 0",
		.why = "a bad handle is -EFAULT, never a crash",
		.source = RAW_SRC "common/grant_table.c",
		.expect = "all: -EFAULT",
		.runs_on = ENV_ALL,
		.run = efault_grant,
	},
	{
		.name = "efault_sched",
		.category = "negative",
		.checks = "SCHEDOP_poll whose port list (a nested handle) is "
			  "in page 0",
		.why = "nested handles are checked like the argument",
		.source = RAW_SRC "common/sched/core.c do_poll",
		.expect = "all: -EFAULT",
		.runs_on = ENV_ALL,
		.run = efault_sched,
	},
};
const size_t conf_tests_negative_count = ARRAY_SIZE(conf_tests_negative);
