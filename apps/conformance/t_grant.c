/*
 * GNTTABOP_*: the table's size and version, grants to ourselves mapped
 * and copied, and the per-entry GNTST_* errors (the call's rc is 0 when
 * only an entry failed: both are checked).
 *
 * Each test that maps uses a page of its own: on PVH, Xen may leave a
 * frame the domain maps from itself unusable at its old address.
 */
#include <string.h>
#include "conformance.h"

#define NPAGES 10
static uint8_t pages[NPAGES][4096] __attribute__((aligned(4096)));
static unsigned int next_page;

static uint8_t *fresh_page(struct conf_ctx *c, const char *text)
{
	uint8_t *p;

	(void)c;
	p = pages[next_page++ % NPAGES];
	memset(p, 0, 4096);
	strcpy((char *)p, text);
	return p;
}

static int64_t grant(struct conf_ctx *c, uint8_t *page, bool ro)
{
	int64_t ref = c->ops->grant(c->env->domid, page, ro);

	if (ref < 0)
		conf_error(c, "the kernel's grant table gave no ref");
	return ref;
}

static long query(struct conf_ctx *c, domid_t dom,
		  struct gnttab_query_size *out)
{
	struct gnttab_query_size *q = conf_buf(c, sizeof(*q));
	long rc;

	memset(out, 0, sizeof(*out));
	out->status = GNTST_general_error;
	if (!q)
		return -XEN_ENOMEM;
	q->dom = dom;
	q->status = 1;
	rc = c->ops->grant_table_op(GNTTABOP_query_size, q, 1);
	*out = *q;
	return rc;
}

static bool query_ok(struct conf_ctx *c, struct gnttab_query_size *q)
{
	long rc = query(c, DOMID_SELF, q);

	return conf_check(c, rc == 0 && q->status == GNTST_okay, "query_size:"
			  " rc %s, status %s", conf_errname(rc),
			  conf_gntst(q->status));
}

/* Map @ref of @dom at @addr; returns the GNTST status, *rc the call's. */
static int16_t map(struct conf_ctx *c, domid_t dom, uint32_t ref,
		   uint64_t addr, bool ro, uint32_t *handle, long *rc)
{
	struct gnttab_map_grant_ref *m = conf_buf(c, sizeof(*m));

	*handle = 0;
	if (!m) {
		*rc = -XEN_ENOMEM;
		return GNTST_general_error;
	}
	m->host_addr = addr;
	m->flags = GNTMAP_host_map | (ro ? GNTMAP_readonly : 0);
	m->ref = ref;
	m->dom = dom;
	m->status = 1;
	*rc = c->ops->grant_table_op(GNTTABOP_map_grant_ref, m, 1);
	*handle = m->handle;
	return m->status;
}

static int16_t unmap(struct conf_ctx *c, uint64_t addr, uint32_t handle,
		     long *rc)
{
	struct gnttab_unmap_grant_ref *u = conf_buf(c, sizeof(*u));

	if (!u) {
		*rc = -XEN_ENOMEM;
		return GNTST_general_error;
	}
	u->host_addr = addr;
	u->handle = handle;
	u->status = 1;
	*rc = c->ops->grant_table_op(GNTTABOP_unmap_grant_ref, u, 1);
	return u->status;
}

/* Copy @len bytes from grant @ref of @dom at @off into @dest. */
static int16_t copy_from(struct conf_ctx *c, domid_t dom, uint32_t ref,
			 uint16_t off, void *dest, uint16_t len, long *rc)
{
	struct gnttab_copy *g = conf_buf(c, sizeof(*g));

	if (!g) {
		*rc = -XEN_ENOMEM;
		return GNTST_general_error;
	}
	g->source.u.ref = ref;
	g->source.domid = dom;
	g->source.offset = off;
	g->dest.u.gmfn = c->ops->frame_of(dest);
	g->dest.domid = DOMID_SELF;
	g->dest.offset = (uint16_t)((uintptr_t)dest & 4095);
	g->len = len;
	g->flags = GNTCOPY_source_gref;
	g->status = 1;
	*rc = c->ops->grant_table_op(GNTTABOP_copy, g, 1);
	return g->status;
}

static bool entry_ok(struct conf_ctx *c, long rc, int16_t st, int16_t want,
		     const char *what)
{
	return conf_check(c, rc == 0 && st == want, "%s: rc %s, status %s, "
			  "expected rc 0 and %s", what, conf_errname(rc),
			  conf_gntst(st), conf_gntst(want));
}

static void gnttab_query_size(struct conf_ctx *c)
{
	struct gnttab_query_size q;
	struct gnttab_query_size *two;
	long rc = query(c, DOMID_SELF, &q);

	if (!entry_ok(c, rc, q.status, GNTST_okay, "query_size"))
		return;
	conf_check(c, q.nr_frames >= 1 && q.nr_frames <= q.max_nr_frames &&
			      q.nr_frames >= c->ops->grant_frames(),
		   "nr_frames %u, max %u, the kernel set up %u", q.nr_frames,
		   q.max_nr_frames, c->ops->grant_frames());
	conf_note(c, "%u of %u frames", q.nr_frames, q.max_nr_frames);
	two = conf_buf(c, 2 * sizeof(*two));
	if (!two)
		return;
	two[0].dom = two[1].dom = DOMID_SELF;
	rc = c->ops->grant_table_op(GNTTABOP_query_size, two, 2);
	conf_check(c, rc == -XEN_EINVAL, "count 2: rc %s, expected -EINVAL",
		   conf_errname(rc));
}

static void gnttab_query_size_bad_dom(struct conf_ctx *c)
{
	struct gnttab_query_size q;
	long rc = query(c, CONF_NO_DOMID, &q);

	entry_ok(c, rc, q.status, GNTST_bad_domain, "domain 0x7fef");
}

/* The table's frames: machine frames for PV; for translated guests the
 * guest frames where they are mapped (the kernel put them in a row). */
static void gnttab_setup_table(struct conf_ctx *c)
{
	unsigned int nr = c->ops->grant_frames();
	struct gnttab_setup_table *s = conf_buf(c, sizeof(*s));
	xen_pfn_t *f = conf_buf(c, 64 * sizeof(*f));
	struct gnttab_query_size q;
	long rc;

	if (!s || !f)
		return;
	if (nr == 0 || nr > 32) {
		conf_error(c, "the kernel reports %u grant frames", nr);
		return;
	}
	s->dom = DOMID_SELF;
	s->nr_frames = nr;
	set_xen_guest_handle(s->frame_list, f);
	s->status = 1;
	rc = c->ops->grant_table_op(GNTTABOP_setup_table, s, 1);
	if (!entry_ok(c, rc, s->status, GNTST_okay, "setup_table"))
		return;
	for (unsigned int i = 0; i < nr; i++) {
		conf_check(c, f[i] != 0 && f[i] != (xen_pfn_t)~0ULL,
			   "frame %u is %#llx", i, (unsigned long long)f[i]);
		for (unsigned int j = 0; j < i; j++)
			conf_check(c, f[i] != f[j], "frames %u and %u are both "
				   "%#llx", j, i, (unsigned long long)f[i]);
		if (!conf_env_in(c, ENV_PV) && i > 0)
			conf_check(c, f[i] == f[0] + i, "frame %u at gfn %#llx,"
				   " not after %#llx where the guest mapped "
				   "them", i, (unsigned long long)f[i],
				   (unsigned long long)f[0]);
	}
	conf_note(c, "frame 0 at %#llx", (unsigned long long)f[0]);
	if (!query_ok(c, &q))
		return;
	s->nr_frames = q.max_nr_frames + 1;
	s->status = 1;
	rc = c->ops->grant_table_op(GNTTABOP_setup_table, s, 1);
	entry_ok(c, rc, s->status, GNTST_general_error, "more than "
		 "max_nr_frames");
}

static void gnttab_get_version(struct conf_ctx *c)
{
	uint32_t v = 0;
	long rc = conf_gnttab_get_version(c, &v);

	conf_check(c, rc == 0 && v == 1, "rc %s, version %u, expected 1 "
		   "(the kernel never changed it)", conf_errname(rc), v);
}

static void gnttab_set_version(struct conf_ctx *c)
{
	uint32_t now = 0;
	long rc = conf_gnttab_set_version(c, 1, &now);

	conf_check(c, rc == 0 && now == 1, "set_version(1) on a v1 table: rc"
		   " %s, version %u", conf_errname(rc), now);
	rc = conf_gnttab_set_version(c, 3, &now);
	conf_check(c, rc == -XEN_EINVAL, "set_version(3): rc %s, expected "
		   "-EINVAL", conf_errname(rc));
	rc = conf_gnttab_set_version(c, 0, &now);
	conf_check(c, rc == -XEN_EINVAL, "set_version(0): rc %s, expected "
		   "-EINVAL", conf_errname(rc));
}

static void gnttab_copy_self(struct conf_ctx *c)
{
	static char dest[64];
	uint8_t *p = fresh_page(c, "grant-copy source page");
	int64_t ref;
	long rc;
	int16_t st;

	if (!p || (ref = grant(c, p, true)) < 0)
		return;
	memset(dest, 0, sizeof(dest));
	st = copy_from(c, c->env->domid, (uint32_t)ref, 6, dest, 11, &rc);
	if (entry_ok(c, rc, st, GNTST_okay, "copy by our domid"))
		conf_check(c, memcmp(dest, "copy source", 11) == 0,
			   "copied '%.11s'", dest);
	memset(dest, 0, sizeof(dest));
	st = copy_from(c, DOMID_SELF, (uint32_t)ref, 0, dest, 10, &rc);
	if (entry_ok(c, rc, st, GNTST_okay, "copy by DOMID_SELF"))
		conf_check(c, memcmp(dest, "grant-copy", 10) == 0,
			   "copied '%.10s'", dest);
	c->ops->end_grant((uint32_t)ref);
}

/* Grant @p read/write to ourselves and map it with our real domid;
 * returns the mapping, or NULL. */
static char *map_own(struct conf_ctx *c, uint8_t *p, int64_t *ref,
		     uint64_t *addr, uint32_t *handle)
{
	long rc;
	int16_t st;
	char *m;

	*ref = -1;
	*addr = 0;
	*handle = 0;
	if (!p || (*ref = grant(c, p, false)) < 0)
		return NULL;
	*addr = c->ops->foreign_addr(1);
	st = map(c, c->env->domid, (uint32_t)*ref, *addr, false, handle, &rc);
	if (!entry_ok(c, rc, st, GNTST_okay, "map by our domid")) {
		c->ops->end_grant((uint32_t)*ref);
		return NULL;
	}
	/* Not @p itself from here on: on x86 HVM/PVH Xen may have taken
	 * the page away from its old frame (gnttab_self_map_copy_back). */
	m = c->ops->foreign_ptr(*addr);
	return m;
}

/* Map, read and write through the mapping, unmap, end access. */
static void gnttab_map_self(struct conf_ctx *c)
{
	uint8_t *p = fresh_page(c, "grant-map source page");
	uint64_t addr;
	uint32_t handle;
	int64_t ref;
	char *m = map_own(c, p, &ref, &addr, &handle);
	long rc;
	int16_t st;

	if (!m)
		return;
	conf_check(c, strcmp(m, "grant-map source page") == 0,
		   "the mapping reads '%.24s'", m);
	strcpy(m, "written through the map");
	conf_check(c, strcmp(m, "written through the map") == 0,
		   "a write through the mapping did not stick");
	st = unmap(c, addr, handle, &rc);
	entry_ok(c, rc, st, GNTST_okay, "unmap");
	conf_check(c, c->ops->end_grant((uint32_t)ref) == 0,
		   "end_access failed after the unmap");
}

/* After mapping a grant of our own and unmapping it, the granted page
 * must still be ours and reachable through the grant: copy it back. */
static void gnttab_self_map_copy_back(struct conf_ctx *c)
{
	static char back[64];
	uint8_t *p = fresh_page(c, "grant-map copy-back page");
	uint64_t addr;
	uint32_t handle;
	int64_t ref;
	char *m = map_own(c, p, &ref, &addr, &handle);
	long rc;
	int16_t st;

	if (!m)
		return;
	strcpy(m, "written through the map");
	st = unmap(c, addr, handle, &rc);
	entry_ok(c, rc, st, GNTST_okay, "unmap");
	memset(back, 0, sizeof(back));
	st = copy_from(c, c->env->domid, (uint32_t)ref, 0, back, 24, &rc);
	if (entry_ok(c, rc, st, GNTST_okay, "copy back after the unmap"))
		conf_check(c, strcmp(back, "written through the map") == 0,
			   "the page reads '%.24s' after a write through the "
			   "mapping", back);
	c->ops->end_grant((uint32_t)ref);
}

static void gnttab_map_domid_self_refused(struct conf_ctx *c)
{
	uint8_t *p = fresh_page(c, "domid-self page");
	uint64_t addr = c->ops->foreign_addr(1);
	uint32_t handle;
	int64_t ref;
	long rc;
	int16_t st;

	if (!p || (ref = grant(c, p, true)) < 0)
		return;
	st = map(c, DOMID_SELF, (uint32_t)ref, addr, true, &handle, &rc);
	entry_ok(c, rc, st, GNTST_bad_domain, "map with DOMID_SELF");
	if (st == GNTST_okay)
		unmap(c, addr, handle, &rc);
	c->ops->end_grant((uint32_t)ref);
}

/* While mapped, Xen holds GTF_reading/GTF_writing in the entry, so the
 * granter cannot end access; after the unmap it can. */
static void gnttab_end_while_mapped(struct conf_ctx *c)
{
	uint8_t *p = fresh_page(c, "end-access page");
	uint64_t addr = c->ops->foreign_addr(1);
	uint32_t handle;
	int64_t ref;
	long rc;
	int16_t st;

	if (!p || (ref = grant(c, p, true)) < 0)
		return;
	st = map(c, c->env->domid, (uint32_t)ref, addr, true, &handle, &rc);
	if (!entry_ok(c, rc, st, GNTST_okay, "map")) {
		c->ops->end_grant((uint32_t)ref);
		return;
	}
	conf_check(c, c->ops->end_grant((uint32_t)ref) < 0, "end_access "
		   "succeeded while the page was mapped (no GTF_reading)");
	st = unmap(c, addr, handle, &rc);
	entry_ok(c, rc, st, GNTST_okay, "unmap");
	conf_check(c, c->ops->end_grant((uint32_t)ref) == 0, "end_access "
		   "failed after the unmap");
}

/* set_version with an entry in use: refused (-EBUSY) where v2 exists;
 * arm offers v1 only (-ENOSYS before any other check). */
static void gnttab_set_version_busy(struct conf_ctx *c)
{
	uint8_t *p = fresh_page(c, "set-version page");
	uint64_t addr = c->ops->foreign_addr(1);
	uint32_t handle, now = 0;
	int64_t ref;
	long rc;
	int16_t st;

	if (!p || (ref = grant(c, p, true)) < 0)
		return;
	st = map(c, c->env->domid, (uint32_t)ref, addr, true, &handle, &rc);
	if (!entry_ok(c, rc, st, GNTST_okay, "map")) {
		c->ops->end_grant((uint32_t)ref);
		return;
	}
	rc = conf_gnttab_set_version(c, 2, &now);
	if (conf_env_in(c, ENV_ARM_DOM0LESS))
		conf_check(c, rc == -XEN_ENOSYS, "set_version(2) on arm: %s, "
			   "expected -ENOSYS (v1 only)", conf_errname(rc));
	else if (rc == -XEN_ENOSYS)
		conf_skip(c, "this Xen offers grant tables v1 only "
			  "(gnttab=max_ver:1)");
	else
		conf_check(c, rc == -XEN_EBUSY, "set_version(2) with a grant "
			   "mapped: %s, expected -EBUSY", conf_errname(rc));
	if (rc == 0) /* wrongly accepted: put the kernel's v1 back */
		conf_gnttab_set_version(c, 1, &now);
	unmap(c, addr, handle, &rc);
	c->ops->end_grant((uint32_t)ref);
}

static void gnttab_map_errors(struct conf_ctx *c)
{
	uint8_t *p = fresh_page(c, "error page");
	uint64_t addr = c->ops->foreign_addr(1);
	uint32_t handle, free_ref;
	struct gnttab_query_size q;
	int64_t ref;
	long rc;
	int16_t st;

	if (!p || !query_ok(c, &q))
		return;
	st = map(c, c->env->domid, q.nr_frames * 512 + 100, addr, true,
		 &handle, &rc);
	entry_ok(c, rc, st, GNTST_bad_gntref, "a ref past the table");
	if ((ref = grant(c, p, true)) < 0)
		return;
	st = map(c, CONF_NO_DOMID, (uint32_t)ref, addr, true, &handle, &rc);
	entry_ok(c, rc, st, GNTST_bad_domain, "domain 0x7fef");
	st = map(c, c->env->domid, (uint32_t)ref, addr, false, &handle, &rc);
	entry_ok(c, rc, st, GNTST_general_error, "a writable map of a "
		 "read-only grant");
	if (st == GNTST_okay)
		unmap(c, addr, handle, &rc);
	/* The table's last entry: the kernel hands out refs from the
	 * bottom, so it is not granted. */
	free_ref = c->ops->grant_frames() * 512 - 1;
	st = map(c, c->env->domid, free_ref, addr, true, &handle, &rc);
	entry_ok(c, rc, st, GNTST_general_error, "an entry never granted");
	st = unmap(c, addr, 0xffffffffU, &rc);
	entry_ok(c, rc, st, GNTST_bad_handle, "unmap of handle 0xffffffff");
	c->ops->end_grant((uint32_t)ref);
}

static void gnttab_copy_errors(struct conf_ctx *c)
{
	static char dest[64];
	uint8_t *p = fresh_page(c, "copy-error page");
	struct gnttab_query_size q;
	int64_t ref;
	long rc;
	int16_t st;

	if (!p || !query_ok(c, &q))
		return;
	st = copy_from(c, c->env->domid, q.nr_frames * 512 + 100, 0, dest, 8,
		       &rc);
	entry_ok(c, rc, st, GNTST_bad_gntref, "copy from a ref past the "
		 "table");
	st = copy_from(c, CONF_NO_DOMID, 8, 0, dest, 8, &rc);
	entry_ok(c, rc, st, GNTST_bad_domain, "copy from domain 0x7fef");
	/* A copy must stay within its page. */
	if ((ref = grant(c, p, true)) < 0)
		return;
	st = copy_from(c, c->env->domid, (uint32_t)ref, 4000, dest, 200, &rc);
	entry_ok(c, rc, st, GNTST_bad_copy_arg, "copy across a page end");
	c->ops->end_grant((uint32_t)ref);
}

/* By frame (no grant), only DOMID_SELF may be named: any other domain,
 * present or not, is refused before it is looked up. Domain 0 is dom0
 * itself by number, an xl domU's dom0, or absent (dom0less). */
static void gnttab_copy_frame_foreign(struct conf_ctx *c)
{
	static char dest[64];
	static const domid_t doms[] = { 0, CONF_NO_DOMID };
	struct gnttab_copy *g = conf_buf(c, sizeof(*g));
	long rc;

	if (!g)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(doms); i++) {
		memset(g, 0, sizeof(*g));
		g->source.u.gmfn = c->ops->frame_of(dest);
		g->source.domid = doms[i];
		g->dest.u.gmfn = c->ops->frame_of(dest);
		g->dest.domid = DOMID_SELF;
		g->len = 8;
		g->status = 1;
		rc = c->ops->grant_table_op(GNTTABOP_copy, g, 1);
		conf_check(c, rc == 0 && g->status == GNTST_permission_denied,
			   "copy by frame from domain %#x: rc %s, status %s, "
			   "expected rc 0 and GNTST_permission_denied", doms[i],
			   conf_errname(rc), conf_gntst(g->status));
	}
}

const struct conf_test conf_tests_grant[] = {
	{
		.name = "gnttab_query_size",
		.category = "grants",
		.checks = "GNTTABOP_query_size: frames in use and the maximum;"
			  " count 2 refused",
		.why = "a guest sizes its grant table by it",
		.source = "public/grant_table.h; common/grant_table.c",
		.expect = "all: rc 0, GNTST_okay, 1 <= nr <= max; count 2 "
			  "-EINVAL",
		.runs_on = ENV_ALL,
		.run = gnttab_query_size,
	},
	{
		.name = "gnttab_query_size_bad_dom",
		.category = "grants",
		.checks = "query_size of a domain that does not exist",
		.why = "GNTTABOP errors are per entry while rc is 0",
		.source = "public/grant_table.h GNTST_bad_domain",
		.expect = "all: rc 0, GNTST_bad_domain",
		.runs_on = ENV_ALL,
		.run = gnttab_query_size_bad_dom,
	},
	{
		.name = "gnttab_setup_table",
		.category = "grants",
		.checks = "GNTTABOP_setup_table lists the table's frames; "
			  "asking for more than the maximum fails per entry",
		.why = "a PV guest maps its table from these frames",
		.source = "public/grant_table.h; common/grant_table.c "
			  "gnttab_setup_table",
		.expect = "PV: distinct machine frames; PVH/arm64: the guest "
			  "frames the table is mapped at, in a row; > max: "
			  "GNTST_general_error",
		.runs_on = ENV_ALL,
		.run = gnttab_setup_table,
	},
	{
		.name = "gnttab_get_version",
		.category = "grants",
		.checks = "GNTTABOP_get_version of our table",
		.why = "the entry layout depends on it",
		.source = "public/grant_table.h",
		.expect = "all: 1",
		.runs_on = ENV_ALL,
		.run = gnttab_get_version,
	},
	{
		.name = "gnttab_set_version",
		.category = "grants",
		.checks = "set_version(1) on a v1 table; versions 3 and 0",
		.why = "a no-op switch must succeed; bad versions must fail",
		.source = "common/grant_table.c gnttab_set_version",
		.expect = "all: 0 with version 1; -EINVAL; -EINVAL",
		.runs_on = ENV_ALL,
		.run = gnttab_set_version,
	},
	{
		.name = "gnttab_set_version_busy",
		.category = "grants",
		.checks = "set_version(2) while one of our grants is mapped",
		.why = "switching layouts under a mapping would corrupt it",
		.source = "common/grant_table.c gnttab_set_version",
		.expect = "x86: -EBUSY (SKIP if v2 is not offered); arm64: "
			  "-ENOSYS (v1 only)",
		.runs_on = ENV_ALL,
		.run = gnttab_set_version_busy,
	},
	{
		.name = "gnttab_copy_self",
		.category = "grants",
		.checks = "GNTTABOP_copy from our own grant, naming us by id "
			  "and by DOMID_SELF",
		.why = "copy is how backends move data without mapping",
		.source = "public/grant_table.h GNTTABOP_copy",
		.expect = "all: GNTST_okay, the bytes arrive",
		.runs_on = ENV_ALL,
		.run = gnttab_copy_self,
	},
	{
		.name = "gnttab_map_self",
		.category = "grants",
		.checks = "map our own grant with our real domid, read and "
			  "write through the mapping, unmap, end access",
		.why = "the backend side of every PV device",
		.source = "public/grant_table.h GNTTABOP_map_grant_ref",
		.expect = "all: GNTST_okay throughout",
		.runs_on = ENV_ALL,
		.run = gnttab_map_self,
	},
	{
		.name = "gnttab_self_map_copy_back",
		.category = "grants",
		.checks = "after a grant of our own was mapped (written "
			  "through) and unmapped, a copy through the grant "
			  "reads the page",
		.why = "granting to oneself (a driver domain serving itself, "
		       "grant DMA with Mica as its own device) must not cost "
		       "the granter its page",
		.source = "public/grant_table.h; arch/x86/mm/p2m.c "
			  "p2m_add_page",
		.expect = "all: GNTST_okay and the written bytes",
		.runs_on = ENV_ALL,
		.run = gnttab_self_map_copy_back,
	},
	{
		.name = "gnttab_map_domid_self_refused",
		.category = "grants",
		.checks = "map naming DOMID_SELF",
		.why = "map needs a real domid (copy accepts DOMID_SELF)",
		.source = "common/grant_table.c map_grant_ref "
			  "(rcu_lock_domain_by_id)",
		.expect = "all: rc 0, GNTST_bad_domain",
		.runs_on = ENV_ALL,
		.run = gnttab_map_domid_self_refused,
	},
	{
		.name = "gnttab_end_while_mapped",
		.category = "grants",
		.checks = "ending access fails while the grant is mapped and "
			  "works after the unmap",
		.why = "a granter must never reuse a page a peer still maps",
		.source = "public/grant_table.h GTF_reading/GTF_writing",
		.expect = "all: refused while mapped, done after",
		.runs_on = ENV_ALL,
		.run = gnttab_end_while_mapped,
	},
	{
		.name = "gnttab_map_errors",
		.category = "grants",
		.checks = "per-entry errors of map and unmap: bad ref, bad "
			  "domain, writable map of a read-only grant, an "
			  "entry never granted, a bad handle",
		.why = "GNTTABOP errors come per entry with rc 0",
		.source = "common/grant_table.c map_grant_ref, unmap_common",
		.expect = "all: GNTST_bad_gntref, GNTST_bad_domain, "
			  "GNTST_general_error (twice), GNTST_bad_handle",
		.runs_on = ENV_ALL,
		.run = gnttab_map_errors,
	},
	{
		.name = "gnttab_copy_errors",
		.category = "grants",
		.checks = "per-entry errors of copy: bad ref, bad domain, "
			  "crossing a page",
		.why = "copy validates every field before touching memory",
		.source = "common/grant_table.c gnttab_copy_one, "
			  "gnttab_copy_buf",
		.expect = "all: GNTST_bad_gntref, GNTST_bad_domain, "
			  "GNTST_bad_copy_arg",
		.runs_on = ENV_ALL,
		.run = gnttab_copy_errors,
	},
	{
		.name = "gnttab_copy_frame_foreign",
		.category = "grants",
		.checks = "copy by frame naming domain 0 and an absent domain",
		.why = "only DOMID_SELF may be named by frame; the refusal "
		       "must not depend on whether the domain exists",
		.source = "common/grant_table.c gnttab_copy_lock_domain",
		.expect = "all: GNTST_permission_denied for both",
		.runs_on = ENV_ALL,
		.run = gnttab_copy_frame_foreign,
	},
};
const size_t conf_tests_grant_count = ARRAY_SIZE(conf_tests_grant);
