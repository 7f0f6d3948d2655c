/*
 * xenstore, where a toolstack gave the domain one (xl domUs): reading
 * our own keys, writing, watches, transactions, permissions. The wire
 * protocol (io/xs_wire.h) is the ABI; xenstored is its other end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conformance.h"

#define SECOND (1000 * 1000 * 1000ULL)

static void xenstore_read_domid(struct conf_ctx *c)
{
	char buf[16];
	int rc = c->ops->xs_read(0, "domid", buf, sizeof(buf));

	if (!conf_check(c, rc > 0, "read domid: %d", rc))
		return;
	conf_check(c, c->env->domid_ok && strtoul(buf, NULL, 10) ==
						  c->env->domid,
		   "xenstore says domid '%s', the event channel %u", buf,
		   c->env->domid);
}

static void xenstore_write_read(struct conf_ctx *c)
{
	char buf[32];
	int rc = c->ops->xs_write(0, "data/conformance", "value-1");

	if (!conf_check(c, rc == 0, "write: %d", rc))
		return;
	rc = c->ops->xs_read(0, "data/conformance", buf, sizeof(buf));
	conf_check(c, rc == 7 && strcmp(buf, "value-1") == 0, "read back %d "
		   "'%s'", rc, rc > 0 ? buf : "");
	rc = c->ops->xs_rm(0, "data/conformance");
	conf_check(c, rc == 0, "rm: %d", rc);
	rc = c->ops->xs_read(0, "data/conformance", buf, sizeof(buf));
	conf_check(c, rc == -XEN_ENOENT, "read after rm: %d, expected "
		   "-ENOENT", rc);
}

/* A watch fires once when set, then once per change. */
static void xenstore_watch(struct conf_ctx *c)
{
	unsigned int n;
	int rc = c->ops->xs_watch_start("data/conformance-watch");

	if (!conf_check(c, rc == 0, "XS_WATCH: %d", rc))
		return;
	n = c->ops->xs_watch_wait(1, 5 * SECOND);
	conf_check(c, n >= 1, "no event when the watch was set");
	rc = c->ops->xs_write(0, "data/conformance-watch", "changed");
	conf_check(c, rc == 0, "write: %d", rc);
	n = c->ops->xs_watch_wait(2, 5 * SECOND);
	conf_check(c, n >= 2, "no event for the write within 5 s (%u)", n);
	c->ops->xs_watch_stop();
	c->ops->xs_rm(0, "data/conformance-watch");
}

static void xenstore_transaction(struct conf_ctx *c)
{
	uint32_t tx;
	char buf[32];
	int rc, tries = 0;

	do {
		rc = c->ops->xs_tx_start(&tx);
		if (rc == 0)
			rc = c->ops->xs_write(tx, "data/conformance-tx", "in-tx");
		if (rc == 0)
			rc = c->ops->xs_tx_end(tx, false);
	} while (rc == -XEN_EAGAIN && ++tries < 5);
	if (!conf_check(c, rc == 0, "commit: %d", rc))
		return;
	rc = c->ops->xs_read(0, "data/conformance-tx", buf, sizeof(buf));
	conf_check(c, rc == 5 && strcmp(buf, "in-tx") == 0, "after commit: "
		   "%d", rc);
	rc = c->ops->xs_tx_start(&tx);
	if (!conf_check(c, rc == 0, "start: %d", rc))
		return;
	c->ops->xs_write(tx, "data/conformance-tx", "aborted");
	rc = c->ops->xs_tx_end(tx, true);
	conf_check(c, rc == 0, "abort: %d", rc);
	rc = c->ops->xs_read(0, "data/conformance-tx", buf, sizeof(buf));
	conf_check(c, rc == 5 && strcmp(buf, "in-tx") == 0, "an aborted "
		   "write shows (%d '%s')", rc, rc > 0 ? buf : "");
	c->ops->xs_rm(0, "data/conformance-tx");
}

static void xenstore_permission(struct conf_ctx *c)
{
	char buf[32];
	int rc = c->ops->xs_write(0, "/local/domain/0/conformance", "x");

	conf_check(c, rc == -XEN_EACCES, "writing under domain 0: %d, "
		   "expected -EACCES", rc);
	rc = c->ops->xs_read(0, "data/no-such-key", buf, sizeof(buf));
	conf_check(c, rc == -XEN_ENOENT, "a missing key: %d, expected -ENOENT",
		   rc);
}

#define XS_SKIP "no xenstore: only toolstack-created domains have one " \
		"(dom0 runs none here; dom0less uses no-xenstore)"

const struct conf_test conf_tests_xenstore[] = {
	{
		.name = "xenstore_read_domid",
		.category = "xenstore",
		.checks = "our 'domid' key matches the domid EVTCHNOP_status "
			  "reports",
		.why = "the toolstack and the hypervisor must agree on who we "
		       "are",
		.source = "docs/misc/xenstore-paths.pandoc",
		.expect = "xl domU: equal",
		.runs_on = ENV_XL,
		.skip_why = XS_SKIP,
		.run = xenstore_read_domid,
	},
	{
		.name = "xenstore_write_read",
		.category = "xenstore",
		.checks = "write, read back, rm, read again",
		.why = "the frontend/backend handshake is made of these",
		.source = "public/io/xs_wire.h",
		.expect = "xl domU: the value, then -ENOENT",
		.runs_on = ENV_XL,
		.skip_why = XS_SKIP,
		.run = xenstore_write_read,
	},
	{
		.name = "xenstore_watch",
		.category = "xenstore",
		.checks = "a watch fires when set and on a write",
		.why = "drivers wait for the other end through watches",
		.source = "public/io/xs_wire.h XS_WATCH, XS_WATCH_EVENT",
		.expect = "xl domU: 1 event, then 2",
		.runs_on = ENV_XL,
		.skip_why = XS_SKIP,
		.run = xenstore_watch,
	},
	{
		.name = "xenstore_transaction",
		.category = "xenstore",
		.checks = "a committed transaction's write shows, an aborted "
			  "one's does not",
		.why = "multi-key updates rely on it",
		.source = "public/io/xs_wire.h XS_TRANSACTION_START/END",
		.expect = "xl domU: committed shows, aborted does not",
		.runs_on = ENV_XL,
		.skip_why = XS_SKIP,
		.run = xenstore_transaction,
	},
	{
		.name = "xenstore_permission",
		.category = "privilege",
		.checks = "writing under /local/domain/0; reading a missing key",
		.why = "a domU must not touch another domain's keys",
		.source = "docs/misc/xenstore.txt (permissions)",
		.expect = "xl domU: -EACCES; -ENOENT",
		.runs_on = ENV_XL,
		.skip_why = XS_SKIP,
		.run = xenstore_permission,
	},
};
const size_t conf_tests_xenstore_count = ARRAY_SIZE(conf_tests_xenstore);
