/*
 * The runner: each test in its own arena scope, its status escalated
 * from its checks, one line per test, then the verdict as the last line.
 */
#include <stdio.h>
#include <string.h>
#include <mica/xen/hcall.h>
#include "conformance.h"

static unsigned long raw_total;	/* deliberate raw calls, all tests */

unsigned long conf_raw_total(void)
{
	return raw_total;
}

static void escalate(struct conf_ctx *c, enum conf_status st,
		     const char *fmt, va_list ap)
{
	/* The reason shown is the first one of the worst status. */
	if (st > c->status || (st == c->status && !c->why[0]))
		vsnprintf(c->why, sizeof(c->why), fmt, ap);
	if (st > c->status)
		c->status = st;
}

bool conf_check(struct conf_ctx *c, bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return true;
	va_start(ap, fmt);
	escalate(c, CONF_FAILURE, fmt, ap);
	va_end(ap);
	return false;
}

void conf_error(struct conf_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	escalate(c, CONF_ERROR, fmt, ap);
	va_end(ap);
}

void conf_skip(struct conf_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	escalate(c, CONF_SKIP, fmt, ap);
	va_end(ap);
}

void conf_note(struct conf_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	escalate(c, CONF_SUCCESS, fmt, ap);
	va_end(ap);
}

void *conf_buf(struct conf_ctx *c, size_t size)
{
	void *p = hcall_alloc(size);

	if (!p)
		conf_error(c, "the hypercall arena has no room for %zu bytes",
			   size);
	return p;
}

long conf_raw(struct conf_ctx *c, unsigned int op, unsigned long a1,
	      unsigned long a2, unsigned long a3, unsigned long a4,
	      unsigned long a5)
{
	c->raw_calls++;
	raw_total++;
	return c->ops->raw(op, a1, a2, a3, a4, a5);
}

const char *conf_errname(long rc)
{
	static const struct { long v; const char *n; } names[] = {
		{ XEN_EPERM, "EPERM" }, { XEN_ENOENT, "ENOENT" },
		{ XEN_ESRCH, "ESRCH" }, { XEN_EIO, "EIO" },
		{ XEN_ENXIO, "ENXIO" }, { XEN_E2BIG, "E2BIG" },
		{ XEN_EAGAIN, "EAGAIN" }, { XEN_ENOMEM, "ENOMEM" },
		{ XEN_EACCES, "EACCES" }, { XEN_EFAULT, "EFAULT" },
		{ XEN_EBUSY, "EBUSY" }, { XEN_EEXIST, "EEXIST" },
		{ XEN_EXDEV, "EXDEV" }, { XEN_ENODEV, "ENODEV" },
		{ XEN_EINVAL, "EINVAL" }, { XEN_ENOSPC, "ENOSPC" },
		{ XEN_EDOM, "EDOM" }, { XEN_ERANGE, "ERANGE" },
		{ XEN_ENOSYS, "ENOSYS" }, { XEN_ENODATA, "ENODATA" },
		{ XEN_ETIME, "ETIME" }, { XEN_EOPNOTSUPP, "EOPNOTSUPP" },
	};
	static char buf[4][24];
	static unsigned int next;
	char *b = buf[next++ % 4];

	if (rc < 0)
		for (size_t i = 0; i < ARRAY_SIZE(names); i++)
			if (-rc == names[i].v) {
				snprintf(b, sizeof(buf[0]), "-%s", names[i].n);
				return b;
			}
	snprintf(b, sizeof(buf[0]), "%ld", rc);
	return b;
}

const char *conf_gntst(int16_t st)
{
	static const char *const names[] = {
		"GNTST_okay", "GNTST_general_error", "GNTST_bad_domain",
		"GNTST_bad_gntref", "GNTST_bad_handle", "GNTST_bad_virt_addr",
		"GNTST_bad_dev_addr", "GNTST_no_device_space",
		"GNTST_permission_denied", "GNTST_bad_page",
		"GNTST_bad_copy_arg", "GNTST_address_too_big", "GNTST_eagain",
		"GNTST_no_space",
	};

	if (st <= 0 && -st < (int)ARRAY_SIZE(names))
		return names[-st];
	return "GNTST_(unknown)";
}

const char *conf_status_name(enum conf_status st)
{
	switch (st) {
	case CONF_SUCCESS: return "SUCCESS";
	case CONF_SKIP: return "SKIP";
	case CONF_ERROR: return "ERROR";
	default: return "FAILURE";
	}
}

const char *conf_env_name(unsigned int kind)
{
	switch (kind) {
	case ENV_PVH_DOM0: return "x86_64-pvh-dom0";
	case ENV_PVH_DOMU: return "x86_64-pvh-domU";
	case ENV_PV_DOM0: return "x86_64-pv-dom0";
	case ENV_PV_DOMU: return "x86_64-pv-domU";
	case ENV_ARM_DOM0LESS: return "arm64-dom0less";
	default: return "unknown";
	}
}

int conf_exit_code(enum conf_status st)
{
	switch (st) {
	case CONF_SUCCESS: return 0;
	case CONF_SKIP: return 3;
	case CONF_ERROR: return 4;
	default: return 5;
	}
}

static void out(const struct conf_ops *ops, const char *fmt, ...)
	__printf(2, 3);
static void out(const struct conf_ops *ops, const char *fmt, ...)
{
	char line[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	ops->print(line);
}

void conf_probe_env(const struct conf_ops *ops, struct conf_env *env)
{
	struct conf_ctx c = { .ops = ops, .env = env };
	size_t mark = hcall_mark();
	xen_feature_info_t *fi = hcall_alloc(sizeof(*fi));
	evtchn_status_t st;
	unsigned int port;
	long v;

	v = ops->xen_version(XENVER_version, NULL);
	env->version = v > 0 ? (uint32_t)v : 0;
	env->features_ok = fi && ops->xen_version(XENVER_get_features, fi) == 0;
	env->features = env->features_ok ? fi->submap : 0;
	hcall_release(mark);
	/* An unbound port offered to DOMID_SELF records our real id. */
	env->domid_ok = false;
	if (conf_alloc_unbound(&c, DOMID_SELF, &port) == 0) {
		if (conf_evtchn_status(&c, DOMID_SELF, port, &st) == 0 &&
		    st.status == EVTCHNSTAT_unbound) {
			env->domid = st.u.unbound.dom;
			env->domid_ok = true;
		}
		conf_close(&c, port);
	}
}

static enum conf_status run_one(const struct conf_ops *ops,
				const struct conf_env *env,
				const struct conf_test *t, int *after)
{
	struct conf_ctx c = { .ops = ops, .env = env, .test = t,
			      .shutdown_after = -1 };

	if (!(t->runs_on & env->kind)) {
		c.status = CONF_SKIP;
		snprintf(c.why, sizeof(c.why), "%s", t->skip_why);
	} else {
		size_t mark = hcall_mark();

		t->run(&c);
		hcall_release(mark);
	}
	if (c.why[0])
		out(ops, "conformance: %s: %s (%s)", t->name,
		    conf_status_name(c.status), c.why);
	else
		out(ops, "conformance: %s: %s", t->name,
		    conf_status_name(c.status));
	if (c.shutdown_after >= 0)
		*after = c.shutdown_after;
	return c.status;
}

enum conf_status conf_run(const struct conf_ops *ops,
			  const struct conf_env *env, const char *only,
			  int *after)
{
	enum conf_status worst = CONF_SUCCESS, st;
	const struct conf_test *t;
	unsigned long calls, outside, raw;
	unsigned int n = 0;

	*after = -1;
	out(ops, "conformance: # environment %s, Xen %u.%u, features %#x, "
	    "domid %d", conf_env_name(env->kind), env->version >> 16,
	    env->version & 0xffff, env->features,
	    env->domid_ok ? env->domid : -1);
	for (size_t i = 0; (t = conf_test_at(i)) != NULL; i++) {
		if (only ? strcmp(t->name, only) != 0 : t->dedicated)
			continue;
		st = run_one(ops, env, t, after);
		if (st > worst)
			worst = st;
		n++;
	}
	if (n == 0) {
		out(ops, "conformance: # no test is named '%s' (--list "
		    "shows the catalogue)", only ? only : "");
		worst = CONF_ERROR;
	}
	ops->hcall_stats(&calls, &outside, &raw);
	out(ops, "conformance: # %u test%s; hypercalls: %lu checked, outside "
	    "the arena: %lu, deliberate raw: %lu", n, n == 1 ? "" : "s",
	    calls, outside, raw);
	out(ops, "Test result: %s", conf_status_name(worst));
	return worst;
}

enum conf_status conf_shutdown(const struct conf_ops *ops, const char *name,
			       int reason)
{
	size_t mark = hcall_mark();
	struct sched_shutdown *s = hcall_alloc(sizeof(*s));
	long rc = -XEN_ENOMEM;

	if (s) {
		s->reason = (unsigned int)reason;
		rc = ops->sched_op(SCHEDOP_shutdown, s);
	}
	hcall_release(mark);
	out(ops, "conformance: %s: FAILURE (SCHEDOP_shutdown(%d) returned "
	    "%s; the domain is still running)", name, reason,
	    conf_errname(rc));
	out(ops, "Test result: FAILURE");
	return CONF_FAILURE;
}

static const char *envs_text(unsigned int envs, char *buf, size_t size)
{
	static const unsigned int order[] = { ENV_PVH_DOM0, ENV_PVH_DOMU,
					      ENV_PV_DOM0, ENV_PV_DOMU,
					      ENV_ARM_DOM0LESS };
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(order); i++)
		if (envs & order[i])
			n += (size_t)snprintf(buf + n, n < size ? size - n : 0,
					      "%s%s", n ? " " : "",
					      conf_env_name(order[i]));
	return buf;
}

void conf_list(const struct conf_ops *ops)
{
	const struct conf_test *t;
	char envs[160];

	for (size_t i = 0; (t = conf_test_at(i)) != NULL; i++) {
		out(ops, "%s [%s]%s", t->name, t->category,
		    t->dedicated ? " (own domain: runs only when named)" : "");
		out(ops, "    checks:   %s", t->checks);
		out(ops, "    why:      %s", t->why);
		out(ops, "    source:   %s", t->source);
		out(ops, "    expect:   %s", t->expect);
		out(ops, "    runs on:  %s", envs_text(t->runs_on, envs,
						      sizeof(envs)));
		if (t->runs_on != ENV_ALL)
			out(ops, "    else:     SKIP (%s)", t->skip_why);
	}
}
