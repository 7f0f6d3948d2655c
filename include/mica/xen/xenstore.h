/*
 * The xenstore client. Replies come from another domain: lengths and ring
 * indices are checked, a malformed reply is an error (-EIO), never a
 * crash. Calls block the calling thread until the reply arrives.
 */
#ifndef MICA_XEN_XENSTORE_H
#define MICA_XEN_XENSTORE_H

#include <mica/list.h>
#include <mica/sched.h>
#include <mica/types.h>

#define XS_PAYLOAD_MAX 4096
#define XS_RING_SIZE 1024

struct xenstore_domain_interface;

/* --- ring and message helpers (pure; host-tested and fuzzed) ---------- */
/* Copy up to @len bytes into / out of the ring; returns the count, or
 * -EIO if the other side's index is impossible. */
int xs_ring_write(struct xenstore_domain_interface *intf, const void *data,
		  size_t len);
int xs_ring_read(struct xenstore_domain_interface *intf, void *buf,
		 size_t len);
/* The errno an XS_ERROR payload names (EINVAL if unknown). */
int xs_error_errno(const char *payload, size_t len);
/* Check a reply header: known type, length within bounds. */
int xs_check_header(uint32_t type, uint32_t len);
/* Split a watch event into its path and token (both NUL-terminated in
 * @payload); -EIO if it is not exactly that. */
int xs_parse_watch_event(char *payload, size_t len, char **path,
			 char **token);
/* Count the NUL-terminated names of a directory reply; -EIO if the
 * payload is not a sequence of such names. */
int xs_count_names(const char *payload, size_t len);

/* --- the client -------------------------------------------------------- */
struct xenbus_watch {
	struct list_node node;
	char path[256];
	char token[32];
	unsigned int pending;		/* events not yet consumed */
	struct waitq wq;
};

int xenstore_init(void *ring, unsigned int evtchn);
bool xenstore_available(void);
/* Read @path into @buf (NUL-terminated); returns the length or -errno. */
int xenbus_read(uint32_t tx, const char *path, char *buf, size_t size);
int xenbus_write(uint32_t tx, const char *path, const char *value);
int xenbus_mkdir(uint32_t tx, const char *path);
int xenbus_rm(uint32_t tx, const char *path);
/* Names under @path, NUL-separated into @buf; returns their count. */
int xenbus_ls(uint32_t tx, const char *path, char *buf, size_t size);
int xenbus_watch(struct xenbus_watch *w, const char *path);
int xenbus_unwatch(struct xenbus_watch *w);
/* Wait for an event on @w (0: no timeout); true if one came. */
bool xenbus_watch_wait(struct xenbus_watch *w, uint64_t deadline_ns);
int xenbus_transaction_start(uint32_t *tx);
/* @abort: discard; returns -EAGAIN when the transaction must be redone. */
int xenbus_transaction_end(uint32_t tx, bool abort);

#endif
