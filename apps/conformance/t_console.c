/*
 * CONSOLEIO_*: Xen's own console. The hardware domain and dom0less
 * domUs (is_console) may use it; an xl-created domU is refused before
 * any sub-op check (XSM_PRIV) in release builds.
 */
#include <string.h>
#include "conformance.h"

#define MAY_USE (ENV_DOM0 | ENV_ARM_DOM0LESS)

static void console_io_write(struct conf_ctx *c)
{
	static const char text[] = "conformance: # CONSOLEIO_write probe\n";
	char *buf = conf_buf(c, sizeof(text));
	long rc;

	if (!buf)
		return;
	memcpy(buf, text, sizeof(text) - 1);
	rc = c->ops->console_io(CONSOLEIO_write, sizeof(text) - 1, buf);
	if (conf_env_in(c, MAY_USE))
		conf_check(c, rc == 0, "rc %s, expected 0", conf_errname(rc));
	else
		conf_check(c, rc == -XEN_EPERM, "rc %s, expected -EPERM (an "
			   "xl domU may not write Xen's console)",
			   conf_errname(rc));
}

static void console_io_read(struct conf_ctx *c)
{
	char *buf = conf_buf(c, 64);
	long rc;

	if (!buf)
		return;
	rc = c->ops->console_io(CONSOLEIO_read, 64, buf);
	if (conf_env_in(c, MAY_USE))
		conf_check(c, rc >= 0 && rc <= 64, "rc %s, expected 0..64 "
			   "characters", conf_errname(rc));
	else
		conf_check(c, rc == -XEN_EPERM, "rc %s, expected -EPERM",
			   conf_errname(rc));
}

static void console_io_unknown_subop(struct conf_ctx *c)
{
	long rc = conf_raw(c, __HYPERVISOR_console_io, 99, 0, 0, 0, 0);
	long want = conf_env_in(c, MAY_USE) ? -XEN_ENOSYS : -XEN_EPERM;

	conf_check(c, rc == want, "sub-op 99: %s, expected %s",
		   conf_errname(rc), conf_errname(want));
}

static void console_io_efault(struct conf_ctx *c)
{
	long rc = conf_raw(c, __HYPERVISOR_console_io, CONSOLEIO_write, 8,
			   CONF_BAD_PTR, 0, 0);
	long want = conf_env_in(c, MAY_USE) ? -XEN_EFAULT : -XEN_EPERM;

	conf_check(c, rc == want, "write from an unmapped buffer: %s, "
		   "expected %s", conf_errname(rc), conf_errname(want));
}

const struct conf_test conf_tests_console[] = {
	{
		.name = "console_io_write",
		.category = "console",
		.checks = "CONSOLEIO_write of one line",
		.why = "dom0 and dom0less guests log through Xen",
		.source = "drivers/char/console.c; xsm/dummy.h xsm_console_io",
		.expect = "dom0 and dom0less: 0; xl domU: -EPERM",
		.runs_on = ENV_ALL,
		.run = console_io_write,
	},
	{
		.name = "console_io_read",
		.category = "console",
		.checks = "CONSOLEIO_read of up to 64 characters",
		.why = "the same privilege rule as write",
		.source = "drivers/char/console.c do_console_io",
		.expect = "dom0 and dom0less: 0..64; xl domU: -EPERM",
		.runs_on = ENV_ALL,
		.run = console_io_read,
	},
	{
		.name = "console_io_unknown_subop",
		.category = "negative",
		.checks = "console_io sub-op 99 (raw path)",
		.why = "the privilege check comes before the sub-op",
		.source = "drivers/char/console.c do_console_io",
		.expect = "dom0 and dom0less: -ENOSYS; xl domU: -EPERM",
		.runs_on = ENV_ALL,
		.run = console_io_unknown_subop,
	},
	{
		.name = "console_io_efault",
		.category = "negative",
		.checks = "CONSOLEIO_write from an unmapped buffer (raw path)",
		.why = "a bad pointer must give -EFAULT, never a crash",
		.source = "drivers/char/console.c guest_console_write",
		.expect = "dom0 and dom0less: -EFAULT; xl domU: -EPERM",
		.runs_on = ENV_ALL,
		.run = console_io_efault,
	},
};
const size_t conf_tests_console_count = ARRAY_SIZE(conf_tests_console);
