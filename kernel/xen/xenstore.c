/*
 * The xenstore client: requests go out on the shared ring, a reader
 * thread takes replies and watch events off it and hands each to the
 * thread waiting for it (matched by req_id) or to the watch (matched by
 * token). A reply that breaks the protocol disconnects the client: every
 * waiter gets -EIO, nothing trusts the bad data.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mica/heap.h>
#include <mica/printk.h>
#include <mica/sched.h>
#include <mica/time.h>
#include <mica/xen/events.h>
#include <mica/xen/xenstore.h>
#include <mica/xen/xen.h>
#include <xen/io/xs_wire.h>

#define REPLY_TIMEOUT_NS (30 * NSEC_PER_SEC)

struct request {
	struct list_node node;
	uint32_t req_id;
	bool done;
	int err;
	uint32_t type;
	char *payload;
	uint32_t len;
	struct waitq wq;
};

static struct xenstore_domain_interface *intf;
static unsigned int port;
static bool broken;
static struct waitq ring_wq;	/* data or room on the ring */
static struct waitq writer_wq;	/* one writer at a time */
static bool writing;
static uint32_t next_req_id = 1;
static struct list_node requests = LIST_HEAD_INIT(requests);
static struct list_node watches = LIST_HEAD_INIT(watches);

static void ring_event(unsigned int p, void *arg)
{
	(void)p;
	(void)arg;
	waitq_wake_all(&ring_wq);
}

static void disconnect(const char *why)
{
	struct list_node *n;

	if (!broken)
		printk("xenstore: %s; disconnecting\n", why);
	broken = true;
	list_for_each(n, &requests) {
		struct request *r = container_of(n, struct request, node);

		r->done = true;
		r->err = -EIO;
		waitq_wake_all(&r->wq);
	}
}

/* Read exactly @len bytes, waiting for the backend as needed. */
static int read_exact(void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		int n = xs_ring_read(intf, (char *)buf + got, len - got);

		if (n < 0)
			return n;
		if (n > 0) {
			got += (size_t)n;
			evtchn_send(port);
			continue;
		}
		waitq_wait(&ring_wq, 0);
	}
	return 0;
}

static void deliver_watch(char *payload, uint32_t len)
{
	char *path, *token;
	struct list_node *n;

	if (xs_parse_watch_event(payload, len, &path, &token) < 0) {
		disconnect("malformed watch event");
		return;
	}
	list_for_each(n, &watches) {
		struct xenbus_watch *w = container_of(n, struct xenbus_watch,
						      node);

		if (strcmp(w->token, token) == 0) {
			w->pending++;
			waitq_wake_all(&w->wq);
		}
	}
}

static void reader(void *arg)
{
	static char payload[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_sockmsg hdr;

	(void)arg;
	while (!broken) {
		struct list_node *n;
		struct request *r = NULL;

		if (read_exact(&hdr, sizeof(hdr)) < 0 ||
		    xs_check_header(hdr.type, hdr.len) < 0) {
			disconnect("impossible ring index or reply header");
			break;
		}
		if (read_exact(payload, hdr.len) < 0) {
			disconnect("impossible ring index");
			break;
		}
		payload[hdr.len] = '\0';
		if (hdr.type == XS_WATCH_EVENT) {
			deliver_watch(payload, hdr.len);
			continue;
		}
		list_for_each(n, &requests) {
			struct request *q = container_of(n, struct request, node);

			if (q->req_id == hdr.req_id && !q->done)
				r = q;
		}
		if (!r)
			continue; /* a reply nobody waits for (timed out) */
		r->payload = heap_alloc(hdr.len + 1);
		if (!r->payload) {
			r->err = -ENOMEM;
		} else {
			memcpy(r->payload, payload, hdr.len + 1);
			r->len = hdr.len;
			r->type = hdr.type;
		}
		r->done = true;
		waitq_wake_all(&r->wq);
	}
}

static int write_all(const void *data, size_t len)
{
	size_t done = 0;

	while (done < len) {
		int n = xs_ring_write(intf, (const char *)data + done,
				      len - done);

		if (n < 0)
			return n;
		done += (size_t)n;
		evtchn_send(port);
		if (done < len)
			waitq_wait(&ring_wq, 0);
	}
	return 0;
}

/* Send a request made of @n strings (each with its NUL when @nul) and
 * wait for the reply; on success *@reply is a heap copy (caller frees). */
static int request(uint32_t type, uint32_t tx, const char *const *parts,
		   const bool *nul, unsigned int n, char **reply,
		   uint32_t *reply_len)
{
	struct request r = { .req_id = next_req_id++ };
	struct xsd_sockmsg hdr = { .type = type, .tx_id = tx };
	int rc = 0;

	if (!intf)
		return -ENODEV;
	if (broken)
		return -EIO;
	for (unsigned int i = 0; i < n; i++)
		hdr.len += (uint32_t)(strlen(parts[i]) + (nul[i] ? 1 : 0));
	if (hdr.len > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	hdr.req_id = r.req_id;
	waitq_init(&r.wq);
	list_push_back(&requests, &r.node);

	while (writing)
		waitq_wait(&writer_wq, 0);
	writing = true;
	rc = write_all(&hdr, sizeof(hdr));
	for (unsigned int i = 0; i < n && rc == 0; i++)
		rc = write_all(parts[i], strlen(parts[i]) + (nul[i] ? 1 : 0));
	writing = false;
	waitq_wake_one(&writer_wq);
	if (rc < 0) {
		disconnect("impossible request ring index");
		r.err = rc;
	}

	while (!r.done && !r.err) {
		if (!waitq_wait(&r.wq, monotonic_ns() + REPLY_TIMEOUT_NS) &&
		    !r.done) {
			printk("xenstore: no reply to request type %u after "
			       "30 s\n",
			       type);
			r.err = -ETIMEDOUT;
		}
	}
	list_remove(&r.node);
	if (r.err) {
		heap_free(r.payload);
		return r.err;
	}
	if (r.type == XS_ERROR) {
		rc = -xs_error_errno(r.payload, r.len);
		heap_free(r.payload);
		return rc;
	}
	if (r.type != type) {
		heap_free(r.payload);
		disconnect("reply of the wrong type");
		return -EIO;
	}
	if (reply) {
		*reply = r.payload;
		*reply_len = r.len;
	} else {
		heap_free(r.payload);
	}
	return 0;
}

int xenstore_init(void *ring, unsigned int evtchn)
{
	intf = ring;
	port = evtchn;
	waitq_init(&ring_wq);
	waitq_init(&writer_wq);
	if (evtchn_set_handler(port, ring_event, NULL) < 0)
		return -EINVAL;
	if (!thread_create("xenstore", reader, NULL))
		return -ENOMEM;
	return 0;
}

bool xenstore_available(void)
{
	return intf && !broken;
}

int xenbus_read(uint32_t tx, const char *path, char *buf, size_t size)
{
	const char *parts[] = { path };
	const bool nul[] = { true };
	char *reply;
	uint32_t len;
	int rc = request(XS_READ, tx, parts, nul, 1, &reply, &len);

	if (rc < 0)
		return rc;
	if (len >= size) {
		heap_free(reply);
		return -E2BIG;
	}
	memcpy(buf, reply, len);
	buf[len] = '\0';
	heap_free(reply);
	return (int)len;
}

int xenbus_write(uint32_t tx, const char *path, const char *value)
{
	const char *parts[] = { path, value };
	const bool nul[] = { true, false };

	return request(XS_WRITE, tx, parts, nul, 2, NULL, NULL);
}

int xenbus_mkdir(uint32_t tx, const char *path)
{
	const char *parts[] = { path };
	const bool nul[] = { true };

	return request(XS_MKDIR, tx, parts, nul, 1, NULL, NULL);
}

int xenbus_rm(uint32_t tx, const char *path)
{
	const char *parts[] = { path };
	const bool nul[] = { true };

	return request(XS_RM, tx, parts, nul, 1, NULL, NULL);
}

int xenbus_ls(uint32_t tx, const char *path, char *buf, size_t size)
{
	const char *parts[] = { path };
	const bool nul[] = { true };
	char *reply;
	uint32_t len;
	int rc = request(XS_DIRECTORY, tx, parts, nul, 1, &reply, &len);

	if (rc < 0)
		return rc;
	rc = xs_count_names(reply, len);
	if (rc >= 0 && len > size)
		rc = -E2BIG;
	if (rc >= 0)
		memcpy(buf, reply, len);
	heap_free(reply);
	return rc;
}

int xenbus_watch(struct xenbus_watch *w, const char *path)
{
	static unsigned int next_token;
	const char *parts[2];
	const bool nul[] = { true, true };
	int rc;

	if (strlen(path) >= sizeof(w->path))
		return -E2BIG;
	strcpy(w->path, path);
	snprintf(w->token, sizeof(w->token), "mica-%u", next_token++);
	w->pending = 0;
	waitq_init(&w->wq);
	list_push_back(&watches, &w->node);
	parts[0] = w->path;
	parts[1] = w->token;
	rc = request(XS_WATCH, 0, parts, nul, 2, NULL, NULL);
	if (rc < 0)
		list_remove(&w->node);
	return rc;
}

int xenbus_unwatch(struct xenbus_watch *w)
{
	const char *parts[] = { w->path, w->token };
	const bool nul[] = { true, true };
	int rc = request(XS_UNWATCH, 0, parts, nul, 2, NULL, NULL);

	list_remove(&w->node);
	return rc;
}

bool xenbus_watch_wait(struct xenbus_watch *w, uint64_t deadline_ns)
{
	while (!w->pending) {
		if (!waitq_wait(&w->wq, deadline_ns) && !w->pending)
			return false;
	}
	w->pending--;
	return true;
}

int xenbus_transaction_start(uint32_t *tx)
{
	const char *parts[] = { "" };
	const bool nul[] = { true };
	char *reply, *end;
	uint32_t len;
	unsigned long id;
	int rc = request(XS_TRANSACTION_START, 0, parts, nul, 1, &reply, &len);

	if (rc < 0)
		return rc;
	id = strtoul(reply, &end, 10);
	rc = (end == reply || *end || id == 0 || id > UINT32_MAX) ? -EIO : 0;
	if (rc == 0)
		*tx = (uint32_t)id;
	heap_free(reply);
	return rc;
}

int xenbus_transaction_end(uint32_t tx, bool abort)
{
	const char *parts[] = { abort ? "F" : "T" };
	const bool nul[] = { true };

	return request(XS_TRANSACTION_END, tx, parts, nul, 1, NULL, NULL);
}
