/*
 * xentest: Mica's Xen self-test, run by tests/xen/ under real Xen.
 * Each check prints "xentest: PASS <name>" or "xentest: FAIL <name>: why";
 * the exit status is the number of failures.
 *
 * Arguments (after -- on the kernel command line):
 *   audit-negative   pass a stack buffer to a checked wrapper: with
 *                    hcall=audit the kernel must stop, naming the op
 *   xs-watch         also wait (30 s at most) for dom0 to write
 *                    "from-dom0" to our data/mica-watch key
 *   peer             talk to dom0's mica-peer (tests/xen/dom0/peer.c):
 *                    an interdomain event each way and a page granted to
 *                    dom0 that it maps and writes
 *   pair=grant|map,port=N,peer=DOMID,gref=REF
 *                    two dom0less domUs, no xenstore: over the static
 *                    event channel whose local end is port N, an event
 *                    each way; the grant side grants DOMID a page (the
 *                    first grant since boot: ref 8, which REF must be),
 *                    the map side maps DOMID's REF and writes into it
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <mica/dma.h>
#include <mica/sched.h>
#include <mica/time.h>
#include <mica/xen/events.h>
#include <mica/xen/grant.h>
#include <mica/xen/hcall.h>
#include <mica/xen/platform.h>
#include <mica/xen/vcpu_areas.h>
#include <mica/xen/xenstore.h>
#include <mica/xen/xen.h>

static int failures, passes;

static void check(const char *name, bool ok, const char *why)
{
	if (ok) {
		passes++;
		printf("xentest: PASS %s\n", name);
	} else {
		failures++;
		printf("xentest: FAIL %s: %s\n", name, why);
	}
}

static void test_version(void)
{
	long v = HYPERVISOR_xen_version(XENVER_version, NULL);
	char why[80];

	snprintf(why, sizeof(why), "XENVER_version returned %#lx", v);
	check("xen_version", v >= 0x30000 && v == (long)xen_version_code, why);
}

static struct waitq evq;
static unsigned int ev_hits;

static void on_event(unsigned int port, void *arg)
{
	(void)port;
	(void)arg;
	ev_hits++;
	waitq_wake_all(&evq);
}

/* An interdomain channel to ourselves: send on one end, see the other. */
static void test_evtchn_loopback(void)
{
	unsigned int a, b;
	char why[120];
	int rc;

	waitq_init(&evq);
	rc = evtchn_alloc_unbound(DOMID_SELF, &a);
	if (rc) {
		snprintf(why, sizeof(why), "alloc_unbound: %d", rc);
		check("evtchn_loopback", false, why);
		return;
	}
	rc = evtchn_bind_interdomain(DOMID_SELF, a, &b);
	if (rc) {
		snprintf(why, sizeof(why), "bind_interdomain: %d", rc);
		check("evtchn_loopback", false, why);
		return;
	}
	evtchn_set_handler(b, on_event, NULL);
	evtchn_send(a);
	waitq_wait(&evq, monotonic_ns() + 1000 * NSEC_PER_MSEC);
	snprintf(why, sizeof(why), "event on port %u never arrived (%u hits)",
		 b, ev_hits);
	check("evtchn_loopback", ev_hits == 1, why);
	evtchn_close(b);
	evtchn_close(a);
}

static void test_timer_events(void)
{
	unsigned long before = evtchn_delivered();
	uint64_t t0 = monotonic_ns(), dt;
	char why[120];

	if (!xen_has_virq_timer) {
		printf("xentest: SKIP virq_timer_sleep: this Xen has no guest "
		       "timer ops (arm): no VIRQ_TIMER to count\n");
		return;
	}
	usleep(30000);
	dt = monotonic_ns() - t0;
	snprintf(why, sizeof(why), "slept %llu us, %lu events delivered",
		 (unsigned long long)(dt / 1000), evtchn_delivered() - before);
	check("virq_timer_sleep",
	      dt >= 30 * NSEC_PER_MSEC && dt < 500 * NSEC_PER_MSEC &&
		      evtchn_delivered() > before,
	      why);
}

static void test_wallclock(void)
{
	const volatile struct shared_info *si = xen_shared_info;
	struct timespec ts;
	char why[120];

	clock_gettime(CLOCK_REALTIME, &ts);
	if (si->wc_sec == 0 && si->xen_wc_sec_hi == 0) {
		/* Xen gives a domain the wall clock its dom0 set; a dom0
		 * that never set it leaves 1970 here: nothing to check. */
		printf("xentest: SKIP wallclock: shared_info's wall clock is "
		       "unset (wc_sec 0, wc_version %u)\n",
		       si->wc_version);
		return;
	}
	snprintf(why, sizeof(why), "wall clock says %lld s, shared_info %u s",
		 (long long)ts.tv_sec, si->wc_sec);
	/* After 2020-01-01: shared_info's clock was read. */
	check("wallclock", ts.tv_sec > 1577836800, why);
}

/* Xen keeps writing the runstate area registered at boot. */
static void test_runstate(void)
{
	char why[120];

	if (!xen_runstate) {
		check("runstate_area", false, "not registered");
		return;
	}
	/* Xen writes the area when it switches us out and in: block once. */
	usleep(10000);
	snprintf(why, sizeof(why), "state %d, running for %llu ns",
		 xen_runstate->state,
		 (unsigned long long)xen_runstate->time[RUNSTATE_running]);
	check("runstate_area", xen_runstate->state == RUNSTATE_running &&
		      xen_runstate->time[RUNSTATE_running] > 0, why);
}

static void test_audit_clean(void)
{
	struct hcall_stats st;
	char why[80];

	hcall_get_stats(&st);
	snprintf(why, sizeof(why), "%lu of %lu hypercalls outside the arena",
		 st.outside, st.calls);
	check("arena_discipline", st.calls > 0 && st.outside == 0, why);
}

/*
 * Grant a page to ourselves; copy through the grant; map it with our real
 * domid (Xen refuses DOMID_SELF for map) and see the data; fail to end
 * access while mapped; unmap; end access; bad refs give GNTST errors.
 * On PVH, Xen moves a frame the domain owns itself to the new GFN: the
 * page is unusable at its old address after the map, so it is a page of
 * its own that nothing else uses.
 */
static void test_grants(void)
{
	static char page[4096] __attribute__((aligned(4096)));
	static char dest[4096] __attribute__((aligned(4096)));
	uint64_t gpa;
	uint32_t handle;
	char seen[32];
	uint16_t me;
	int64_t ref;
	char why[160];
	int st;

	if (xen_own_domid(&me)) {
		check("own_domid", false, "alloc_unbound+status failed");
		return;
	}
	printf("xentest: own domid %u\n", me);
	strcpy(page, "granted page contents");
	ref = gnttab_grant_access(me, page, false);
	if (ref < 0) {
		check("grant_access", false, "no grant ref");
		return;
	}
	st = gnttab_copy_from(me, (gref_t)ref, 8, dest, 13);
	snprintf(why, sizeof(why), "copy status %d (%s), got '%.13s'", st,
		 gntst_name(st), dest);
	check("grant_copy", st == 0 && memcmp(dest, "page contents", 13) == 0,
	      why);

	gpa = xen_mapping->alloc_foreign(1);
	st = gnttab_map(me, (gref_t)ref, gpa, true, &handle);
	seen[0] = '\0';
	if (st == 0)
		memcpy(seen, (const void *)(uintptr_t)gpa, sizeof(seen) - 1);
	seen[sizeof(seen) - 1] = '\0';
	snprintf(why, sizeof(why), "map status %d (%s); the mapping reads '%s'",
		 st, gntst_name(st), seen);
	check("grant_map_self", st == 0 &&
		      strcmp(seen, "granted page contents") == 0, why);
	if (st == 0) {
		check("grant_end_while_mapped", gnttab_end_access((gref_t)ref) < 0,
		      "end_access succeeded while the page was mapped");
		st = gnttab_unmap(gpa, handle);
		snprintf(why, sizeof(why), "unmap status %d", st);
		check("grant_unmap", st == 0, why);
	}
	check("grant_end_access", gnttab_end_access((gref_t)ref) == 0,
	      "end_access failed after unmap");
	st = gnttab_map(me, (gref_t)gnttab_nr_refs() + 100, gpa, true, &handle);
	snprintf(why, sizeof(why), "map of a bad ref gave %d (%s)", st,
		 gntst_name(st));
	check("grant_bad_ref", st == GNTST_bad_gntref, why);
	st = gnttab_map(DOMID_SELF, 10, gpa, true, &handle);
	snprintf(why, sizeof(why), "map with DOMID_SELF gave %d (%s)", st,
		 gntst_name(st));
	check("grant_map_domid_self_refused", st != 0, why);
}

/* Is @name one of the @n NUL-separated names in @buf? */
static bool has_name(const char *buf, int n, const char *name)
{
	for (int i = 0; i < n; i++, buf += strlen(buf) + 1)
		if (strcmp(buf, name) == 0)
			return true;
	return false;
}

/* xenstore: write, read back, list, transaction, remove; optionally a
 * watch on a key that dom0 changes. */
static void test_xenstore(bool external_watch)
{
	static struct xenbus_watch w;
	char buf[64], why[160];
	uint32_t tx;
	int rc, tries = 0;

	if (!xenstore_available()) {
		printf("xentest: SKIP xenstore: no xenstore in this domain\n");
		return;
	}
	rc = xenbus_write(0, "data/mica-test", "value-1");
	if (rc == 0)
		rc = xenbus_read(0, "data/mica-test", buf, sizeof(buf));
	snprintf(why, sizeof(why), "write+read gave %d '%s'", rc,
		 rc >= 0 ? buf : "");
	check("xenstore_write_read", rc == 7 && strcmp(buf, "value-1") == 0,
	      why);
	rc = xenbus_ls(0, "data", buf, sizeof(buf));
	snprintf(why, sizeof(why), "ls data gave %d", rc);
	check("xenstore_ls", rc >= 1 && has_name(buf, rc, "mica-test"), why);
	do {
		rc = xenbus_transaction_start(&tx);
		if (rc == 0)
			rc = xenbus_write(tx, "data/mica-tx", "in-tx");
		if (rc == 0)
			rc = xenbus_transaction_end(tx, false);
	} while (rc == -EAGAIN && ++tries < 5);
	if (rc == 0)
		rc = xenbus_read(0, "data/mica-tx", buf, sizeof(buf));
	snprintf(why, sizeof(why), "transaction gave %d", rc);
	check("xenstore_transaction", rc == 5 && strcmp(buf, "in-tx") == 0,
	      why);
	rc = xenbus_rm(0, "data/mica-test");
	if (rc == 0)
		rc = xenbus_read(0, "data/mica-test", buf, sizeof(buf));
	snprintf(why, sizeof(why), "read after rm gave %d", rc);
	check("xenstore_rm", rc == -ENOENT, why);
	check("xenstore_missing_key",
	      xenbus_read(0, "data/no-such-key", buf, sizeof(buf)) == -ENOENT,
	      "a missing key did not give -ENOENT");
	if (!external_watch)
		return;
	xenbus_write(0, "data/mica-watch", "waiting");
	if (xenbus_watch(&w, "data/mica-watch") < 0) {
		check("xenstore_watch", false, "XS_WATCH failed");
		return;
	}
	printf("xentest: waiting for dom0 to write data/mica-watch\n");
	rc = -1;
	while (xenbus_watch_wait(&w, monotonic_ns() + 30 * NSEC_PER_SEC)) {
		if (xenbus_read(0, "data/mica-watch", buf, sizeof(buf)) > 0 &&
		    strcmp(buf, "from-dom0") == 0) {
			rc = 0;
			break;
		}
	}
	check("xenstore_watch", rc == 0,
	      "no watch event with the value from dom0 within 30 s");
	xenbus_unwatch(&w);
}

/* Wait (bounded) for @key to read @want; true if it did. */
static bool wait_for_value(const char *key, const char *want, int seconds)
{
	static struct xenbus_watch w;
	uint64_t until = monotonic_ns() + (uint64_t)seconds * NSEC_PER_SEC;
	char buf[32];
	bool ok = false;

	if (xenbus_watch(&w, key) < 0)
		return false;
	do {
		if (xenbus_read(0, key, buf, sizeof(buf)) > 0 &&
		    strcmp(buf, want) == 0) {
			ok = true;
			break;
		}
	} while (xenbus_watch_wait(&w, until));
	xenbus_unwatch(&w);
	return ok;
}

static void test_peer(void)
{
	static char page[4096] __attribute__((aligned(4096)));
	unsigned int port;
	char num[16], why[120];
	int64_t ref;
	int rc, tries = 0;

	if (!xenstore_available()) {
		printf("xentest: SKIP peer: no xenstore to meet dom0 through\n");
		return;
	}
	strcpy(page, "mica-grant from the guest");
	if (evtchn_alloc_unbound(0, &port)) {
		check("peer_setup", false, "alloc_unbound for dom0 failed");
		return;
	}
	ev_hits = 0;
	waitq_init(&evq);
	evtchn_set_handler(port, on_event, NULL);
	ref = gnttab_grant_access(0, page, false);
	snprintf(num, sizeof(num), "%u", port);
	xenbus_write(0, "data/peer-port", num);
	snprintf(num, sizeof(num), "%lld", (long long)ref);
	xenbus_write(0, "data/peer-gref", num); /* last: dom0 waits for it */
	printf("xentest: offered port %u and grant %lld to dom0\n", port,
	       (long long)ref);
	if (!ev_hits)
		waitq_wait(&evq, monotonic_ns() + 20 * NSEC_PER_SEC);
	snprintf(why, sizeof(why), "%u events from dom0 on port %u", ev_hits,
		 port);
	check("interdomain_event_from_dom0", ev_hits >= 1, why);
	snprintf(why, sizeof(why), "the granted page holds '%.20s'", page);
	check("grant_written_by_dom0", strcmp(page, "dom0-was-here") == 0,
	      why);
	evtchn_send(port);
	check("interdomain_event_to_dom0",
	      wait_for_value("data/peer-result", "ok", 15),
	      "dom0 did not report our event");
	while ((rc = gnttab_end_access((gref_t)ref)) < 0 && ++tries < 20)
		usleep(100000); /* dom0 may still be unmapping */
	check("grant_end_after_peer_unmap", rc == 0,
	      "end_access still fails after dom0 unmapped");
	evtchn_close(port);
}

/*
 * Grant DMA (the Linux grant-dma contract), with Mica playing the device
 * for its own mappings: decode each DMA address, map the grants with our
 * real domid, read and write through them; a writable map of a read-only
 * grant must be refused; ending access while mapped must fail and mark
 * the device broken.
 */
static void test_grant_dma(void)
{
	static char buf[3 * 4096] __attribute__((aligned(4096)));
	static char rx[4096] __attribute__((aligned(4096)));
	struct dma_ctx ctx = { .ops = &dma_grant_ops };
	dma_addr_t a, b;
	uint64_t gpa;
	uint32_t h[3], hw;
	char why[160];
	int st, ok = 1;
	uint16_t me;

	if (xen_own_domid(&me)) {
		check("grant_dma", false, "no domid");
		return;
	}
	ctx.backend_domid = me;
	for (int i = 0; i < 3; i++)
		snprintf(buf + i * 4096, 32, "dma page %d", i);
	/* A 3-page device-readable buffer starting 16 bytes into a page. */
	if (dma_map(&ctx, buf + 16, 2 * 4096, DMA_TO_DEVICE, &a) ||
	    dma_map(&ctx, rx, 4096, DMA_FROM_DEVICE, &b)) {
		check("grant_dma_map", false, "dma_map failed");
		return;
	}
	snprintf(why, sizeof(why), "DMA address %#llx", (unsigned long long)a);
	check("grant_dma_address_format",
	      (a & DMA_GRANT_BIT) && (a & 0xfff) == 16, why);
	gpa = xen_mapping->alloc_foreign(4);
	for (int i = 0; i < 3; i++) {
		gref_t ref = (gref_t)(((a & ~DMA_GRANT_BIT) >> 12) + i);

		st = gnttab_map(me, ref, gpa + i * 4096, true, &h[i]);
		if (st != 0 || strncmp((char *)(uintptr_t)(gpa + i * 4096),
				       "dma page", 8) != 0)
			ok = 0;
	}
	check("grant_dma_three_pages_on_consecutive_refs", ok,
	      "a page did not map or held the wrong data");
	st = gnttab_map(me, (gref_t)((a & ~DMA_GRANT_BIT) >> 12), gpa + 3 * 4096,
			false, &hw);
	snprintf(why, sizeof(why), "writable map of a read-only grant gave %d "
		 "(%s)", st, gntst_name(st));
	check("grant_dma_readonly_enforced", st != 0, why);
	if (st == 0)
		gnttab_unmap(gpa + 3 * 4096, hw);
	check("grant_dma_unmap_while_mapped_breaks",
	      dma_unmap(&ctx, a, 2 * 4096) < 0 && ctx.broken,
	      "ending access while the device maps the pages succeeded");
	for (int i = 0; i < 3; i++)
		gnttab_unmap(gpa + i * 4096, h[i]);
	check("grant_dma_broken_refuses_new_maps",
	      dma_map(&ctx, rx, 64, DMA_FROM_DEVICE, &b) < 0,
	      "a broken device's context still maps");
}

/*
 * pair=ROLE,port=N,peer=D,gref=R: two Mica domUs of one dom0less boot
 * talk with no xenstore. Xen bound the static event channel (xen,evtchn
 * nodes) before either guest ran, so there is nothing to bind: each side
 * checks the port's state with EVTCHNOP_status and sets a handler, which
 * unmasks it. Events are doorbells, the shared page carries the facts:
 * Xen leaves the port of the domain whose node it bound second pending
 * (bind_interdomain always notifies the binding end), so a first event
 * proves nothing. The exchange:
 *   grant: forget any event so far (the peer cannot have sent one: it
 *          has nothing to map yet); grant D our page, which must be the
 *          first grant since boot, so the first ref after Xen's reserved
 *          entries (8), and R says which ref the peer was told; event 1.
 *   map:   map D's ref R, retrying until D has granted it; check the
 *          page, write our reply into it, unmap; forget the events so far
 *          (a stale one, event 1); event 2.
 *   grant: wait for event 2 and the reply in the page; end access;
 *          event 3.
 *   map:   wait for event 3.
 */
struct pair_args {
	bool grant;
	unsigned int port;
	unsigned int peer;
	unsigned int gref;
};

#define PAIR_WAIT_S 20
#define PAIR_MAGIC "pair: page granted by domain "
#define PAIR_REPLY "pair: mapped and written by domain "

/* One "key=value" of the pair argument; false if it is not one. */
static bool pair_field(struct pair_args *p, const char *key, const char *val)
{
	unsigned long v;
	char *end;

	if (strcmp(key, "pair") == 0) {
		p->grant = strcmp(val, "grant") == 0;
		return p->grant || strcmp(val, "map") == 0;
	}
	v = strtoul(val, &end, 0);
	if (*val == '\0' || *end != '\0')
		return false;
	if (strcmp(key, "port") == 0)
		p->port = (unsigned int)v;
	else if (strcmp(key, "peer") == 0)
		p->peer = (unsigned int)v;
	else if (strcmp(key, "gref") == 0)
		p->gref = (unsigned int)v;
	else
		return false;
	return v < DOMID_FIRST_RESERVED;
}

static bool parse_pair(const char *arg, struct pair_args *p)
{
	char buf[128], *save, *kv, *val;
	int n = 0;

	if (strlen(arg) >= sizeof(buf))
		return false;
	strcpy(buf, arg);
	p->port = 0;
	p->gref = 0;
	p->peer = DOMID_FIRST_RESERVED;
	for (kv = strtok_r(buf, ",", &save); kv;
	     kv = strtok_r(NULL, ",", &save), n++) {
		val = strchr(kv, '=');
		if (!val)
			return false;
		*val++ = '\0';
		if (!pair_field(p, kv, val))
			return false;
	}
	/* All four keys, a port Mica can handle, a ref past the reserved. */
	return n == 4 && p->port > 0 && p->port < EVTCHN_MAX &&
	       p->peer < DOMID_FIRST_RESERVED &&
	       p->gref >= GNTTAB_NR_RESERVED_ENTRIES;
}

/* A static channel must already be interdomain, to @peer. */
static void pair_port_state(const struct pair_args *p)
{
	size_t mark = hcall_mark();
	evtchn_status_t *st = hcall_alloc(sizeof(*st));
	static const char *const names[] = { "closed", "unbound",
		"interdomain", "pirq", "virq", "ipi" };
	char why[160];
	long rc;

	st->dom = DOMID_SELF;
	st->port = p->port;
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_status, st);
	if (rc == 0)
		printf("xentest: pair: port %u state %s, remote domain %u "
		       "port %u, vcpu %u\n", p->port,
		       st->status < ARRAY_SIZE(names) ? names[st->status]
						      : "unknown",
		       st->u.interdomain.dom, st->u.interdomain.port, st->vcpu);
	snprintf(why, sizeof(why), "EVTCHNOP_status rc %ld, state %u, remote "
		 "domain %u (want interdomain to %u)", rc, st->status,
		 st->u.interdomain.dom, p->peer);
	check("pair_port_bound_at_boot", rc == 0 &&
		      st->status == EVTCHNSTAT_interdomain &&
		      st->u.interdomain.dom == p->peer, why);
	hcall_release(mark);
}

/*
 * Drop events that came before now: a stale one from the binding, or one
 * we no longer wait for. The kernel has no call for it: clear the pending
 * bit in shared_info ourselves (the upcall only runs when we block).
 */
static void pair_forget_events(const struct pair_args *p, const char *when)
{
	const unsigned int bits = sizeof(xen_ulong_t) * 8;
	xen_ulong_t *w = &xen_shared_info->evtchn_pending[p->port / bits];
	xen_ulong_t bit = (xen_ulong_t)1 << (p->port % bits);
	bool pending = evtchn_is_pending(p->port);
	unsigned int hits = ev_hits;

	__atomic_fetch_and(w, ~bit, __ATOMIC_SEQ_CST);
	ev_hits = 0;
	printf("xentest: pair: %s: %u events delivered, port %s; forgotten\n",
	       when, hits, pending ? "pending" : "not pending");
}

/* Wait for an event on our port (and, with @page, for @want in it). */
static bool pair_wait(const struct pair_args *p, const char *page,
		      const char *want)
{
	uint64_t until = monotonic_ns() + PAIR_WAIT_S * NSEC_PER_SEC;

	printf("xentest: pair: waiting (up to %d s) for an event from domain "
	       "%u on port %u%s\n", PAIR_WAIT_S, p->peer, p->port,
	       page ? " and its reply in our page" : "");
	while ((!ev_hits || (page && strcmp(page, want))) &&
	       monotonic_ns() < until)
		waitq_wait(&evq, until);
	return ev_hits > 0;
}

static void pair_send(const struct pair_args *p, const char *what)
{
	int rc = evtchn_send(p->port);
	char why[80];

	printf("xentest: pair: %s: event to domain %u\n", what, p->peer);
	snprintf(why, sizeof(why), "EVTCHNOP_send on port %u gave %d",
		 p->port, rc);
	check("pair_event_to_peer", rc == 0, why);
}

static void pair_granter(const struct pair_args *p, uint16_t me)
{
	static char page[4096] __attribute__((aligned(4096)));
	char want[64], why[160];
	bool got;
	int64_t ref;
	int tries = 0;

	pair_forget_events(p, "before granting");
	snprintf(page, sizeof(page), PAIR_MAGIC "%u", me);
	ref = gnttab_grant_access((uint16_t)p->peer, page, false);
	snprintf(why, sizeof(why), "granted at ref %lld, the peer was told %u",
		 (long long)ref, p->gref);
	check("pair_grant_at_known_ref", ref == (int64_t)p->gref, why);
	if (ref < 0)
		return;
	printf("xentest: pair: granted our page to domain %u at ref %lld\n",
	       p->peer, (long long)ref);
	pair_send(p, "granted");
	snprintf(want, sizeof(want), PAIR_REPLY "%u", p->peer);
	got = pair_wait(p, page, want);
	snprintf(why, sizeof(why), "no event from domain %u on port %u in "
		 "%d s", p->peer, p->port, PAIR_WAIT_S);
	check("pair_event_from_peer", got, why);
	snprintf(why, sizeof(why), "the granted page holds '%.40s'", page);
	check("pair_grant_written_by_peer", strcmp(page, want) == 0, why);
	/* The peer unmaps before its event; a late unmap is retried. */
	while (gnttab_end_access((gref_t)ref) < 0 && ++tries < 50)
		usleep(20000);
	check("pair_grant_end_access", tries < 50,
	      "end_access still fails: the peer still maps the page");
	pair_send(p, "seen the reply");
}

static void pair_mapper(const struct pair_args *p, uint16_t me)
{
	uint64_t until = monotonic_ns() + PAIR_WAIT_S * NSEC_PER_SEC;
	uint64_t gpa = xen_mapping->alloc_foreign(1);
	char *mapped = (char *)(uintptr_t)gpa;
	char want[64], why[160];
	unsigned int tries = 1;
	uint32_t handle;
	int st;

	while ((st = gnttab_map((uint16_t)p->peer, p->gref, gpa, false,
				&handle)) != 0 && monotonic_ns() < until) {
		if (tries++ == 1)
			printf("xentest: pair: waiting (up to %d s) for domain "
			       "%u to grant ref %u: map gives %d (%s)\n",
			       PAIR_WAIT_S, p->peer, p->gref, st,
			       gntst_name(st));
		usleep(2000);
	}
	snprintf(why, sizeof(why), "map of domain %u's ref %u: status %d (%s)",
		 p->peer, p->gref, st, gntst_name(st));
	check("pair_map_peer_grant", st == 0, why);
	if (st != 0)
		return;
	printf("xentest: pair: mapped domain %u's ref %u after %u tries\n",
	       p->peer, p->gref, tries);
	snprintf(want, sizeof(want), PAIR_MAGIC "%u", p->peer);
	snprintf(why, sizeof(why), "the mapping reads '%.40s'", mapped);
	check("pair_mapping_reads_peer_page", strcmp(mapped, want) == 0, why);
	snprintf(mapped, 64, PAIR_REPLY "%u", me);
	st = gnttab_unmap(gpa, handle);
	snprintf(why, sizeof(why), "unmap status %d (%s)", st, gntst_name(st));
	check("pair_unmap", st == 0, why);
	pair_forget_events(p, "before replying");
	pair_send(p, "replied");
	snprintf(why, sizeof(why), "no event from domain %u on port %u in "
		 "%d s", p->peer, p->port, PAIR_WAIT_S);
	check("pair_event_from_peer", pair_wait(p, NULL, NULL), why);
}

static void test_pair(const struct pair_args *p)
{
	uint16_t me = 0;
	char why[80];
	int rc;

	ev_hits = 0;
	waitq_init(&evq);
	printf("xentest: pair: role %s, port %u, peer domain %u, grant ref "
	       "%u\n", p->grant ? "grant" : "map", p->port, p->peer, p->gref);
	rc = xen_own_domid(&me);
	snprintf(why, sizeof(why), "own domid %u (rc %d), peer %u", me, rc,
		 p->peer);
	check("pair_distinct_domids", rc == 0 && me != p->peer, why);
	pair_port_state(p);
	printf("xentest: pair: port %u %s at start\n", p->port,
	       evtchn_is_pending(p->port) ? "pending" : "not pending");
	evtchn_set_handler(p->port, on_event, NULL);
	if (p->grant)
		pair_granter(p, me);
	else
		pair_mapper(p, me);
	evtchn_set_handler(p->port, NULL, NULL);
}

static void audit_negative(void)
{
	char on_stack[sizeof(xen_extraversion_t)];

	printf("xentest: passing a stack buffer to xen_version\n");
	HYPERVISOR_xen_version(XENVER_extraversion, on_stack);
	printf("xentest: FAIL audit_negative: the kernel did not stop\n");
}

/* The pair mode: only what the pair needs, so its grant is the first. */
static int pair_main(const char *arg)
{
	struct pair_args p;

	if (!parse_pair(arg, &p)) {
		printf("xentest: FAIL pair: bad argument '%s' (want pair=grant|"
		       "map,port=N,peer=DOMID,gref=REF, REF >= %u)\n", arg,
		       GNTTAB_NR_RESERVED_ENTRIES);
		return 1;
	}
	test_version();
	test_pair(&p);
	test_audit_clean();
	printf("xentest: %d passed, %d failed\n", passes, failures);
	return failures;
}

int main(int argc, char **argv)
{
	bool xs_watch = false, peer = false;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "audit-negative") == 0) {
			audit_negative();
			return 1;
		}
		if (strncmp(argv[i], "pair=", 5) == 0)
			return pair_main(argv[i]);
		if (strcmp(argv[i], "xs-watch") == 0)
			xs_watch = true;
		if (strcmp(argv[i], "peer") == 0)
			peer = true;
	}
	test_version();
	test_evtchn_loopback();
	test_timer_events();
	test_wallclock();
	test_grants();
	test_runstate();
	test_grant_dma();
	test_xenstore(xs_watch);
	if (peer)
		test_peer();
	test_audit_clean();
	printf("xentest: %d passed, %d failed\n", passes, failures);
	return failures;
}
