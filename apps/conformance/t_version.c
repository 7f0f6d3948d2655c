/* XENVER_*: the version, strings, features and platform parameters. */
#include <string.h>
#include "conformance.h"

static bool printable(const char *s, size_t max, size_t *len)
{
	size_t n = 0;

	while (n < max && s[n]) {
		if (s[n] < 0x20 || s[n] > 0x7e)
			return false;
		n++;
	}
	*len = n;
	return n < max;
}

/* __XEN_INTERFACE_VERSION__ 0x00040e00 is Xen 4.14: major << 16 | minor. */
#define IFACE_VERSION ((__XEN_INTERFACE_VERSION__ >> 16 & 0xff) << 16 | \
		       (__XEN_INTERFACE_VERSION__ >> 8 & 0xff))

static void version_number(struct conf_ctx *c)
{
	long v = c->ops->xen_version(XENVER_version, NULL);
	long again = c->ops->xen_version(XENVER_version, NULL);
	char *extra = conf_buf(c, sizeof(xen_extraversion_t));
	long rc;

	if (!extra)
		return;
	if (!conf_check(c, v > 0, "XENVER_version returned %s",
			conf_errname(v)))
		return;
	/* At least the interface this guest was built for. */
	conf_check(c, v >= IFACE_VERSION && (v & 0xffff) < 100 && !(v >> 32),
		   "XENVER_version %#lx: not a major << 16 | minor of at least"
		   " %d.%d, the interface Mica is built against", v,
		   IFACE_VERSION >> 16, IFACE_VERSION & 0xffff);
	rc = c->ops->xen_version(XENVER_extraversion, extra);
	conf_check(c, rc == 0, "XENVER_extraversion fails (%s) where the "
		   "version answers", conf_errname(rc));
	conf_check(c, again == v, "a second call gave %#lx, the first %#lx",
		   again, v);
	conf_note(c, "%ld.%ld", v >> 16, v & 0xffff);
}

static void version_extraversion(struct conf_ctx *c)
{
	char *s = conf_buf(c, sizeof(xen_extraversion_t));
	size_t len = 0;
	long rc;

	if (!s)
		return;
	memset(s, 0x7f, sizeof(xen_extraversion_t));
	rc = c->ops->xen_version(XENVER_extraversion, s);
	if (!conf_check(c, rc == 0, "rc %s", conf_errname(rc)))
		return;
	if (!conf_check(c, printable(s, sizeof(xen_extraversion_t), &len),
			"not a printable NUL-terminated string of at most "
			"15 characters"))
		return;
	/* ".SUBVERSION" then the vendor's suffix (Debian: "+N-gHASH"). */
	conf_check(c, len >= 2 && s[0] == '.' && s[1] >= '0' && s[1] <= '9',
		   "'%s' does not start with '.' and the subversion", s);
	conf_note(c, "'%s'", s);
}

static void version_capabilities(struct conf_ctx *c)
{
	char *s = conf_buf(c, sizeof(xen_capabilities_info_t));
	const char *want = conf_env_in(c, ENV_PV)    ? "xen-3.0-x86_64"
			   : conf_env_in(c, ENV_PVH) ? "hvm-3.0-x86_64"
						     : "xen-3.0-aarch64";
	size_t len = 0;
	long rc;

	if (!s)
		return;
	rc = c->ops->xen_version(XENVER_capabilities, s);
	if (!conf_check(c, rc == 0, "rc %s", conf_errname(rc)))
		return;
	if (!conf_check(c, printable(s, sizeof(xen_capabilities_info_t), &len),
			"not a printable NUL-terminated string"))
		return;
	conf_check(c, strstr(s, want) != NULL,
		   "'%s' lacks '%s', the kind of guest we are", s, want);
}

static void version_pagesize(struct conf_ctx *c)
{
	long rc = c->ops->xen_version(XENVER_pagesize, NULL);

	conf_check(c, rc == 4096, "XENVER_pagesize returned %s",
		   conf_errname(rc));
}

/*
 * XENVER_platform_parameters: the start of the hypervisor's hole. Only a
 * 64-bit PV guest has one (HYPERVISOR_VIRT_START); Xen 4.17 still
 * reports its own start to every guest, newer ones report 0 to
 * translated guests (release builds keep the PV value).
 */
static void version_platform_parameters(struct conf_ctx *c)
{
	xen_platform_parameters_t *p = conf_buf(c, sizeof(*p));
	long rc;

	if (!p)
		return;
	p->virt_start = 0x5a5a5a5a;
	rc = c->ops->xen_version(XENVER_platform_parameters, p);
	if (!conf_check(c, rc == 0, "rc %s", conf_errname(rc)))
		return;
	if (conf_env_in(c, ENV_PV)) {
		conf_check(c, p->virt_start == CONF_X86_64_VIRT_START,
			   "virt_start %#llx, the 64-bit PV hole starts at "
			   "%#llx", (unsigned long long)p->virt_start,
			   CONF_X86_64_VIRT_START);
	} else if (conf_version_ge(c, 4, 20)) {
		conf_check(c, p->virt_start == 0,
			   "virt_start %#llx: Xen 4.20 and later report 0 to "
			   "translated guests",
			   (unsigned long long)p->virt_start);
	} else if (!conf_version_ge(c, 4, 18)) {
		conf_check(c, p->virt_start != 0 && p->virt_start != 0x5a5a5a5a,
			   "virt_start %#llx: Xen up to 4.17 reports its own "
			   "virtual start", (unsigned long long)p->virt_start);
	}
	conf_note(c, "virt_start %#llx", (unsigned long long)p->virt_start);
}

/* The domain's handle (UUID): xl gives every domain one; Xen's own boot
 * domains (dom0, dom0less) have none. */
static void version_guest_handle(struct conf_ctx *c)
{
	uint8_t *h = conf_buf(c, sizeof(xen_domain_handle_t));
	bool zero = true;
	long rc;

	if (!h)
		return;
	memset(h, 0xa5, sizeof(xen_domain_handle_t));
	rc = c->ops->xen_version(XENVER_guest_handle, h);
	if (!conf_check(c, rc == 0, "rc %s", conf_errname(rc)))
		return;
	for (size_t i = 0; i < sizeof(xen_domain_handle_t); i++)
		zero &= h[i] == 0;
	if (conf_env_in(c, ENV_XL))
		conf_check(c, !zero, "an xl-created domain has an all-zero "
			   "handle");
	else
		conf_check(c, zero, "a domain Xen built at boot has a "
			   "non-zero handle");
}

static uint32_t get_submap(struct conf_ctx *c, unsigned int idx, long *rc)
{
	xen_feature_info_t *fi = conf_buf(c, sizeof(*fi));

	if (!fi) {
		*rc = -XEN_ENOMEM;
		return 0;
	}
	fi->submap_idx = idx;
	fi->submap = 0xa5a5a5a5;
	*rc = c->ops->xen_version(XENVER_get_features, fi);
	return fi->submap;
}

static void features_submaps(struct conf_ctx *c)
{
	long rc;
	uint32_t m = get_submap(c, 0, &rc);

	if (conf_check(c, rc == 0, "submap 0: rc %s", conf_errname(rc)))
		conf_note(c, "submap 0 = %#x", m);
	get_submap(c, XENFEAT_NR_SUBMAPS, &rc);
	conf_check(c, rc == -XEN_EINVAL, "submap %d (past XENFEAT_NR_SUBMAPS)"
		   ": rc %s, expected -EINVAL", XENFEAT_NR_SUBMAPS,
		   conf_errname(rc));
}

/* Mica's paging code depends on this bit: a PV guest maps machine
 * frames, the others guest frames. */
static void features_auto_translated(struct conf_ctx *c)
{
	long rc;
	uint32_t m = get_submap(c, 0, &rc);
	bool set = m & (1U << XENFEAT_auto_translated_physmap);

	if (!conf_check(c, rc == 0, "rc %s", conf_errname(rc)))
		return;
	if (conf_env_in(c, ENV_PV))
		conf_check(c, !set, "set for a PV guest (%#x)", m);
	else
		conf_check(c, set && (m & (1U << XENFEAT_writable_page_tables)),
			   "auto_translated_physmap or writable_page_tables "
			   "clear for a translated guest (%#x)", m);
	conf_check(c, !!(m & (1U << XENFEAT_direct_mapped)) !=
			      !!(m & (1U << XENFEAT_not_direct_mapped)) ||
			      !conf_version_ge(c, 4, 17),
		   "direct_mapped and not_direct_mapped must be exactly one "
		   "(%#x)", m);
	if (conf_env_in(c, ENV_PV))
		conf_check(c, m & (1U << XENFEAT_direct_mapped),
			   "a PV guest is direct-mapped (%#x)", m);
}

static void features_dom0(struct conf_ctx *c)
{
	long rc;
	uint32_t m = get_submap(c, 0, &rc);
	bool set = m & (1U << XENFEAT_dom0);

	if (!conf_check(c, rc == 0, "rc %s", conf_errname(rc)))
		return;
	conf_check(c, set == conf_env_in(c, ENV_DOM0),
		   "XENFEAT_dom0 is %s for %s", set ? "set" : "clear",
		   conf_env_name(c->env->kind));
}

/* Mica's PVH event delivery needs the per-vCPU upcall vector. */
static void features_callback_vector(struct conf_ctx *c)
{
	long rc;
	uint32_t m = get_submap(c, 0, &rc);
	bool vec = m & (1U << XENFEAT_hvm_callback_vector);
	bool clock = m & (1U << XENFEAT_hvm_safe_pvclock);

	if (!conf_check(c, rc == 0, "rc %s", conf_errname(rc)))
		return;
	if (conf_env_in(c, ENV_PVH))
		conf_check(c, vec && clock, "hvm_callback_vector %d, "
			   "hvm_safe_pvclock %d for PVH", vec, clock);
	else
		conf_check(c, !vec && !clock, "HVM-only bits set (%#x)", m);
	if (conf_env_in(c, ENV_PV))
		conf_check(c, m & (1U << XENFEAT_gnttab_map_avail_bits),
			   "gnttab_map_avail_bits clear for PV (%#x)", m);
	if (conf_env_in(c, ENV_ARM_DOM0LESS))
		conf_check(c, m & (1U << XENFEAT_ARM_SMCCC_supported),
			   "ARM_SMCCC_supported clear (%#x)", m);
}

/* Registration of vCPU areas by physical address came with Xen 4.18:
 * runstate on every arch, the time area on x86 only. */
static void features_phys_areas(struct conf_ctx *c)
{
	long rc;
	uint32_t m = get_submap(c, 0, &rc);
	bool run = m & (1U << CONF_XENFEAT_runstate_phys_area);
	bool time = m & (1U << CONF_XENFEAT_vcpu_time_phys_area);
	bool x86 = conf_env_in(c, ENV_X86);

	if (!conf_check(c, rc == 0, "rc %s", conf_errname(rc)))
		return;
	if (conf_version_ge(c, 4, 18))
		conf_check(c, run && time == x86, "Xen %u.%u: runstate_phys_"
			   "area %d, vcpu_time_phys_area %d", c->env->version >>
			   16, c->env->version & 0xffff, run, time);
	else
		conf_check(c, !run && !time, "bits 18/19 set before 4.18 "
			   "(%#x)", m);
}

/* XENVER_commandline is for privileged domains: others get "<denied>"
 * with rc 0 (xsm dummy policy, xen_deny()). */
static void version_commandline_privilege(struct conf_ctx *c)
{
	char *s = conf_buf(c, sizeof(xen_commandline_t));
	bool denied;
	long rc;

	if (!s)
		return;
	rc = c->ops->xen_version(XENVER_commandline, s);
	if (!conf_check(c, rc == 0, "rc %s", conf_errname(rc)))
		return;
	s[sizeof(xen_commandline_t) - 1] = '\0';
	denied = strcmp(s, "<denied>") == 0;
	if (conf_env_in(c, ENV_DOM0))
		conf_check(c, !denied && s[0], "dom0 was denied Xen's command "
			   "line ('%.40s')", s);
	else
		conf_check(c, denied, "an unprivileged domain read '%.40s', "
			   "not '<denied>'", s);
}

const struct conf_test conf_tests_version[] = {
	{
		.name = "version_number",
		.category = "version",
		.checks = "XENVER_version returns major << 16 | minor, at "
			  "least the interface version the guest is built "
			  "for, stable across calls",
		.why = "every other expectation here is keyed to it",
		.source = "public/version.h XENVER_version",
		.expect = "all: >= 4.14, the interface Mica is built for "
			  "(4.17: 0x40011, 4.20: 0x40014)",
		.runs_on = ENV_ALL,
		.run = version_number,
	},
	{
		.name = "version_extraversion",
		.category = "version",
		.checks = "XENVER_extraversion fills a NUL-terminated string "
			  "starting with '.' and the subversion",
		.why = "guests print and log it; an unterminated string "
		       "overruns their buffer",
		.source = "public/version.h xen_extraversion_t (16 bytes)",
		.expect = "all: rc 0 ('.7' on 4.17.7, '.4-pre' on 4.20.3+)",
		.runs_on = ENV_ALL,
		.run = version_extraversion,
	},
	{
		.name = "version_capabilities",
		.category = "version",
		.checks = "XENVER_capabilities names the ABI the guest runs",
		.why = "toolstacks and guests pick the kernel flavour by it",
		.source = "public/version.h; Xen's arch_get_xen_caps / "
			  "init_xen_cap_info",
		.expect = "PV: has xen-3.0-x86_64; PVH: hvm-3.0-x86_64; "
			  "arm64: xen-3.0-aarch64",
		.runs_on = ENV_ALL,
		.run = version_capabilities,
	},
	{
		.name = "version_pagesize",
		.category = "version",
		.checks = "XENVER_pagesize with a NULL argument",
		.why = "grant and foreign mappings are in these units",
		.source = "public/version.h XENVER_pagesize",
		.expect = "all: 4096",
		.runs_on = ENV_ALL,
		.run = version_pagesize,
	},
	{
		.name = "version_platform_parameters",
		.category = "version",
		.checks = "XENVER_platform_parameters' virt_start",
		.why = "a PV guest must stay below the hypervisor's hole",
		.source = "public/version.h; common/kernel.c do_xen_version",
		.expect = "PV: 0xffff800000000000; PVH/arm64: Xen <= 4.17 its "
			  "own start (non-zero), Xen >= 4.20 0",
		.runs_on = ENV_ALL,
		.run = version_platform_parameters,
	},
	{
		.name = "version_guest_handle",
		.category = "version",
		.checks = "XENVER_guest_handle returns the domain's UUID",
		.why = "guests identify themselves to management by it",
		.source = "public/version.h XENVER_guest_handle",
		.expect = "xl domUs: non-zero; dom0 and dom0less domUs: all "
			  "zero",
		.runs_on = ENV_ALL,
		.run = version_guest_handle,
	},
	{
		.name = "features_submaps",
		.category = "version",
		.checks = "XENVER_get_features: submap 0 works, submap "
			  "XENFEAT_NR_SUBMAPS is refused",
		.why = "guests probe submaps until one fails",
		.source = "public/version.h, public/features.h",
		.expect = "all: submap 0 rc 0; submap 1 -EINVAL",
		.runs_on = ENV_ALL,
		.run = features_submaps,
	},
	{
		.name = "features_auto_translated",
		.category = "version",
		.checks = "XENFEAT_auto_translated_physmap, "
			  "writable_page_tables, direct_mapped / "
			  "not_direct_mapped",
		.why = "decides whether the guest deals in machine or guest "
		       "frames (Mica's paging, grants, M2P)",
		.source = "public/features.h",
		.expect = "PV: translated clear, direct_mapped set; PVH/arm64:"
			  " translated and writable_page_tables set; exactly "
			  "one of direct/not_direct",
		.runs_on = ENV_ALL,
		.run = features_auto_translated,
	},
	{
		.name = "features_dom0",
		.category = "version",
		.checks = "XENFEAT_dom0 is set exactly for the hardware domain",
		.why = "a guest decides whether to drive real hardware by it",
		.source = "public/features.h XENFEAT_dom0",
		.expect = "dom0: set; domUs and dom0less: clear",
		.runs_on = ENV_ALL,
		.run = features_dom0,
	},
	{
		.name = "features_callback_vector",
		.category = "version",
		.checks = "XENFEAT_hvm_callback_vector and hvm_safe_pvclock "
			  "for PVH; gnttab_map_avail_bits for PV; "
			  "ARM_SMCCC_supported on arm64",
		.why = "Mica's PVH events use the per-vCPU upcall vector and "
		       "its clock the PV clock",
		.source = "public/features.h",
		.expect = "PVH: both set; PV: both clear, map_avail_bits set; "
			  "arm64: both clear, SMCCC set",
		.runs_on = ENV_ALL,
		.run = features_callback_vector,
	},
	{
		.name = "features_phys_areas",
		.category = "version",
		.checks = "XENFEAT_runstate_phys_area (18) and "
			  "vcpu_time_phys_area (19) follow the version",
		.why = "Mica registers its runstate area by physical address "
		       "when bit 18 is set",
		.source = "public/features.h (Xen 4.18)",
		.expect = ">= 4.18: 18 set, 19 set on x86 only; 4.17: both "
			  "clear",
		.runs_on = ENV_ALL,
		.run = features_phys_areas,
	},
	{
		.name = "version_commandline_privilege",
		.category = "privilege",
		.checks = "XENVER_commandline: Xen's command line for dom0, "
			  "'<denied>' for others",
		.why = "the command line can hold secrets; unprivileged "
		       "domains get xen_deny()",
		.source = "xsm/dummy.h xsm_xen_version (XSM_PRIV), "
			  "common/version.c xen_deny",
		.expect = "dom0: the command line; domUs and dom0less: "
			  "'<denied>' with rc 0",
		.runs_on = ENV_ALL,
		.run = version_commandline_privilege,
	},
};
const size_t conf_tests_version_count = ARRAY_SIZE(conf_tests_version);
