/*
 * xenstore wire helpers: the shared ring and the reply formats. All input
 * here was written by another domain, so every index and length is
 * checked before use.
 */
#include <errno.h>
#include <string.h>
#include <mica/xen/xenstore.h>
#include <mica/xen/xen.h>
#include <xen/io/xs_wire.h>

#define RING_MASK(i) ((i) & (XENSTORE_RING_SIZE - 1))

int xs_ring_write(struct xenstore_domain_interface *intf, const void *data,
		  size_t len)
{
	XENSTORE_RING_IDX cons, prod;
	size_t done = 0;

	cons = __atomic_load_n(&intf->req_cons, __ATOMIC_ACQUIRE);
	prod = intf->req_prod;
	if (prod - cons > XENSTORE_RING_SIZE)
		return -EIO;
	while (done < len && prod - cons < XENSTORE_RING_SIZE) {
		size_t chunk = XENSTORE_RING_SIZE - RING_MASK(prod);

		chunk = MIN(chunk, XENSTORE_RING_SIZE - (prod - cons));
		chunk = MIN(chunk, len - done);
		memcpy(intf->req + RING_MASK(prod), (const char *)data + done,
		       chunk);
		done += chunk;
		prod += (XENSTORE_RING_IDX)chunk;
	}
	__atomic_store_n(&intf->req_prod, prod, __ATOMIC_RELEASE);
	return (int)done;
}

int xs_ring_read(struct xenstore_domain_interface *intf, void *buf,
		 size_t len)
{
	XENSTORE_RING_IDX cons, prod;
	size_t done = 0;

	prod = __atomic_load_n(&intf->rsp_prod, __ATOMIC_ACQUIRE);
	cons = intf->rsp_cons;
	if (prod - cons > XENSTORE_RING_SIZE)
		return -EIO;
	while (done < len && prod != cons) {
		size_t chunk = XENSTORE_RING_SIZE - RING_MASK(cons);

		chunk = MIN(chunk, (size_t)(prod - cons));
		chunk = MIN(chunk, len - done);
		memcpy((char *)buf + done, intf->rsp + RING_MASK(cons), chunk);
		done += chunk;
		cons += (XENSTORE_RING_IDX)chunk;
	}
	__atomic_store_n(&intf->rsp_cons, cons, __ATOMIC_RELEASE);
	return (int)done;
}

int xs_error_errno(const char *payload, size_t len)
{
	static const struct {
		const char *name;
		int err;
	} errs[] = {
		{ "EINVAL", EINVAL }, { "EACCES", EACCES }, { "EEXIST", EEXIST },
		{ "EISDIR", EISDIR }, { "ENOENT", ENOENT }, { "ENOMEM", ENOMEM },
		{ "ENOSPC", ENOSPC }, { "EIO", EIO }, { "ENOTEMPTY", ENOTEMPTY },
		{ "ENOSYS", ENOSYS }, { "EROFS", EROFS }, { "EBUSY", EBUSY },
		{ "EAGAIN", EAGAIN }, { "EISCONN", EISCONN }, { "E2BIG", E2BIG },
		{ "EPERM", EPERM },
	};

	for (size_t i = 0; i < ARRAY_SIZE(errs); i++) {
		size_t n = strlen(errs[i].name);

		/* The name, optionally NUL-terminated, and nothing else. */
		if ((len == n || (len == n + 1 && payload[n] == '\0')) &&
		    memcmp(payload, errs[i].name, n) == 0)
			return errs[i].err;
	}
	return EINVAL;
}

int xs_check_header(uint32_t type, uint32_t len)
{
	if (len > XENSTORE_PAYLOAD_MAX)
		return -EIO;
	if (type >= XS_TYPE_COUNT && type != XS_INVALID)
		return -EIO;
	return 0;
}

int xs_parse_watch_event(char *payload, size_t len, char **path,
			 char **token)
{
	char *nul;

	if (len < 4 || payload[len - 1] != '\0')
		return -EIO;
	nul = memchr(payload, '\0', len);
	if (!nul || nul == payload || (size_t)(nul - payload) + 1 >= len)
		return -EIO;
	*path = payload;
	*token = nul + 1;
	/* Exactly two strings: the token's NUL is the last byte. */
	if (memchr(*token, '\0', len - (size_t)(*token - payload)) !=
	    payload + len - 1)
		return -EIO;
	return 0;
}

int xs_count_names(const char *payload, size_t len)
{
	int n = 0;
	size_t i = 0;

	if (len == 0)
		return 0;
	if (payload[len - 1] != '\0')
		return -EIO;
	while (i < len) {
		const char *nul = memchr(payload + i, '\0', len - i);

		if (!nul)
			return -EIO;
		if (nul != payload + i)
			n++; /* an empty name only as the last terminator */
		else if (i != len - 1)
			return -EIO;
		i = (size_t)(nul - payload) + 1;
	}
	return n;
}
