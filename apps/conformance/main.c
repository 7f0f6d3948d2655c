/*
 * conformance: Xen ABI conformance tests (see docs/conformance.md).
 *
 * Arguments (after -- on the kernel command line):
 *   --list   print the catalogue: each test's name, category, what it
 *            checks and why, its ABI source and expected results
 *   NAME     run only the test NAME (also the tests that need a domain
 *            of their own: shutdown_*, gnttab_v2_switch)
 * Without a name every shared-domain test runs. Each prints
 * "conformance: NAME: STATUS (why)"; the last line is
 * "Test result: WORST". Boot with quiet_exit so that nothing follows it.
 * The exit status is XTF's: 0 SUCCESS, 3 SKIP, 4 ERROR, 5 FAILURE.
 */
#include <stdio.h>
#include <string.h>
#include "conformance.h"
#include "mica_ops.h"

static int say(const char *why, const char *verdict, int code)
{
	printf("conformance: # %s\nTest result: %s\n", why, verdict);
	fflush(stdout);
	return code;
}

int main(int argc, char **argv)
{
	struct conf_ops ops = mica_conf_ops;
	struct conf_env env = { 0 };
	const char *only = NULL;
	enum conf_status st;
	int after;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--list") == 0) {
			conf_list(&ops);
			return 0;
		}
		if (only)
			return say("give one test name at most", "ERROR", 4);
		only = argv[i];
	}
	if (!mica_conf_on_xen())
		return say("not running on Xen: nothing to test", "SKIP", 3);
	env.kind = mica_conf_env_kind();
	if (!env.kind)
		return say("an environment the catalogue does not describe",
			   "ERROR", 4);
	conf_probe_env(&ops, &env);
	st = conf_run(&ops, &env, only, &after);
	if (after < 0)
		return conf_exit_code(st);
	/* A shutdown test: the verdict is out; now end the domain. */
	return conf_exit_code(conf_shutdown(&ops, only, after));
}
