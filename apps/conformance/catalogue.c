/* The catalogue: every group of tests, in run order (the audit last). */
#include <string.h>
#include "conformance.h"

static const struct {
	const struct conf_test *tests;
	const size_t *count;
} groups[] = {
	{ conf_tests_version, &conf_tests_version_count },
	{ conf_tests_memory, &conf_tests_memory_count },
	{ conf_tests_evtchn, &conf_tests_evtchn_count },
	{ conf_tests_grant, &conf_tests_grant_count },
	{ conf_tests_sched, &conf_tests_sched_count },
	{ conf_tests_console, &conf_tests_console_count },
	{ conf_tests_xenstore, &conf_tests_xenstore_count },
	{ conf_tests_negative, &conf_tests_negative_count },
	{ conf_tests_domain, &conf_tests_domain_count },
	{ conf_tests_audit, &conf_tests_audit_count },
};

const struct conf_test *conf_test_at(size_t i)
{
	for (size_t g = 0; g < ARRAY_SIZE(groups); g++) {
		if (i < *groups[g].count)
			return &groups[g].tests[i];
		i -= *groups[g].count;
	}
	return NULL;
}

const struct conf_test *conf_test_find(const char *name)
{
	const struct conf_test *t;

	for (size_t i = 0; (t = conf_test_at(i)) != NULL; i++)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}
