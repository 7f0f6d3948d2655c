/* Kernel options given on the command line before `--`. */
#include <mica/cmdline.h>
#include <mica/options.h>
#include <string.h>
#include <mica/printk.h>
#include <mica/xen/hcall.h>

struct kernel_config kernel_config = {
	.main_stack_kib = 256,
};

static int set_loglevel(const char *v, char *err, size_t len)
{
	uint64_t n;

	if (parse_u64(v, &n) < 0 || n > 2) {
		mica_snprintf(err, len, "'%s' is not 0, 1 or 2", v ? v : "");
		return -1;
	}
	log_level = (int)n;
	return 0;
}

static int set_quiet(const char *v, char *err, size_t len)
{
	if (v) {
		mica_snprintf(err, len, "takes no value");
		return -1;
	}
	log_level = 0;
	return 0;
}

static int set_main_stack(const char *v, char *err, size_t len)
{
	uint64_t n;

	if (parse_u64(v, &n) < 0 || n < 16 || n > 1024 * 1024) {
		mica_snprintf(err, len, "'%s' is not a size in KiB (16 to "
			      "1048576)", v ? v : "");
		return -1;
	}
	kernel_config.main_stack_kib = (unsigned int)n;
	return 0;
}

static int set_hcall(const char *v, char *err, size_t len)
{
	if (v && strcmp(v, "audit") == 0) {
		hcall_audit_mode = true;
		return 0;
	}
	if (v && strcmp(v, "direct") == 0) {
		hcall_audit_mode = false;
		return 0;
	}
	mica_snprintf(err, len, "'%s' is not audit or direct", v ? v : "");
	return -1;
}

static int set_hypercall(const char *v, char *err, size_t len)
{
	if (v && strcmp(v, "page") == 0) {
		hcall_want_page = true;
		return 0;
	}
	if (v && strcmp(v, "direct") == 0) {
		hcall_want_page = false;
		return 0;
	}
	mica_snprintf(err, len, "'%s' is not page or direct", v ? v : "");
	return -1;
}

const struct kernel_option kernel_options[] = {
	{ "loglevel", "0 errors only, 1 boot summary (default), 2 verbose",
	  set_loglevel },
	{ "quiet", "same as loglevel=0", set_quiet },
	{ "mainstack", "stack of the app's main thread in KiB (default 256)",
	  set_main_stack },
	{ "hcall", "audit: stop on any hypercall buffer outside the arena",
	  set_hcall },
	{ "hypercall", "page: call Xen through its hypercall page (PVH; "
		       "default direct)",
	  set_hypercall },
};
const size_t kernel_options_count =
	sizeof(kernel_options) / sizeof(kernel_options[0]);
