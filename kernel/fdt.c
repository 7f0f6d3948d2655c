/*
 * Flattened device tree reader (devicetree specification v0.4, chapter 5).
 *
 *   header (40 bytes, big-endian) | reservation block | structure block |
 *   strings block
 *
 * The structure block is a stream of 4-byte aligned tokens: BEGIN_NODE +
 * name, PROP + (len, nameoff) + value, END_NODE, NOP, and one END. The
 * whole stream is checked once in fdt_open(); the lookups below rely on
 * that but still bound every read by the block.
 */
#include <string.h>
#include <mica/fdt.h>
#include <mica/printk.h>

#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

#define HDR_SIZE 40

uint32_t fdt_be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

uint64_t fdt_be64(const void *p)
{
	return (uint64_t)fdt_be32(p) << 32 | fdt_be32((const uint8_t *)p + 4);
}

static int fail(char *err, size_t errlen, const char *what, uint32_t off)
{
	mica_snprintf(err, errlen, "device tree: %s (offset %#x)", what, off);
	return -1;
}

static uint32_t align4(uint32_t v)
{
	return (v + 3) & ~3U;
}

/* Token at structure offset @off, or FDT_END past the block's end. */
static uint32_t tok(const struct fdt *f, uint32_t off)
{
	if (off > f->size_struct || f->size_struct - off < 4)
		return FDT_END;
	return fdt_be32(f->blob + f->off_struct + off);
}

static const uint8_t *sptr(const struct fdt *f, uint32_t off)
{
	return f->blob + f->off_struct + off;
}

/* Length of the NUL-terminated string at @p, if it ends before @end. */
static bool bounded_len(const uint8_t *p, const uint8_t *end, uint32_t *len)
{
	for (const uint8_t *q = p; q < end; q++) {
		if (*q == '\0') {
			*len = (uint32_t)(q - p);
			return true;
		}
	}
	return false;
}

static int check_header(struct fdt *f, const uint8_t *b, size_t avail,
			char *err, size_t errlen)
{
	uint32_t size, last_comp;

	if (avail < HDR_SIZE)
		return fail(err, errlen, "blob smaller than its header", 0);
	if (fdt_be32(b) != FDT_MAGIC)
		return fail(err, errlen, "bad magic (not a DTB)", 0);
	size = fdt_be32(b + 4);
	f->off_struct = fdt_be32(b + 8);
	f->off_strings = fdt_be32(b + 12);
	f->off_rsvmap = fdt_be32(b + 16);
	f->version = fdt_be32(b + 20);
	last_comp = fdt_be32(b + 24);
	f->size_strings = fdt_be32(b + 32);
	f->size_struct = fdt_be32(b + 36);
	if (size < HDR_SIZE || size > FDT_MAX_SIZE)
		return fail(err, errlen,
			    "totalsize out of range (40 B to 2 MiB)", 4);
	if (size > avail)
		return fail(err, errlen, "totalsize runs past readable memory",
			    4);
	f->size = size;
	if (f->version < 17 || last_comp > 17)
		return fail(err, errlen, "version not compatible with 17", 20);
	if (f->off_struct < HDR_SIZE || f->off_struct % 4 ||
	    f->off_struct > size || size - f->off_struct < f->size_struct ||
	    f->size_struct % 4)
		return fail(err, errlen, "structure block outside the blob", 8);
	if (f->off_strings < HDR_SIZE || f->off_strings > size ||
	    size - f->off_strings < f->size_strings)
		return fail(err, errlen, "strings block outside the blob", 12);
	if (f->off_rsvmap < HDR_SIZE || f->off_rsvmap % 8 ||
	    f->off_rsvmap > size)
		return fail(err, errlen, "reservation block outside the blob",
			    16);
	return 0;
}

static int check_rsvmap(struct fdt *f, char *err, size_t errlen)
{
	uint32_t off = f->off_rsvmap;

	for (f->nr_rsv = 0;; f->nr_rsv++, off += 16) {
		if (f->size - off < 16)
			return fail(err, errlen,
				    "reservation block has no terminating entry",
				    off);
		if (fdt_be64(f->blob + off) == 0 &&
		    fdt_be64(f->blob + off + 8) == 0)
			return 0;
		if (f->nr_rsv >= FDT_MAX_RSV)
			return fail(err, errlen,
				    "more than 64 memory reservations", off);
	}
}

/* One pass over every token: the structure must be a single, properly
 * nested tree whose names and properties all lie inside their blocks. */
static int check_struct(struct fdt *f, char *err, size_t errlen)
{
	const uint8_t *end = sptr(f, f->size_struct);
	const uint8_t *strings = f->blob + f->off_strings;
	bool has_child[FDT_MAX_DEPTH + 1];
	uint32_t off = 0, len, nameoff, n;
	int depth = 0;
	bool root_closed = false;

	f->root = -1;
	for (;;) {
		if (f->size_struct - off < 4)
			return fail(err, errlen,
				    "structure block ends without FDT_END",
				    f->off_struct + off);
		switch (tok(f, off)) {
		case FDT_BEGIN_NODE:
			if (root_closed)
				return fail(err, errlen, "a second root node",
					    f->off_struct + off);
			if (depth >= FDT_MAX_DEPTH)
				return fail(err, errlen,
					    "nodes nested deeper than 16",
					    f->off_struct + off);
			if (!bounded_len(sptr(f, off + 4), end, &n))
				return fail(err, errlen,
					    "node name runs past the structure "
					    "block",
					    f->off_struct + off);
			if (depth == 0)
				f->root = (int)off;
			else
				has_child[depth] = true;
			has_child[++depth] = false;
			off = align4(off + 4 + n + 1);
			break;
		case FDT_END_NODE:
			if (depth == 0)
				return fail(err, errlen,
					    "FDT_END_NODE outside any node",
					    f->off_struct + off);
			if (--depth == 0)
				root_closed = true;
			off += 4;
			break;
		case FDT_PROP:
			if (depth == 0)
				return fail(err, errlen,
					    "property outside any node",
					    f->off_struct + off);
			if (has_child[depth])
				return fail(err, errlen,
					    "property after a subnode",
					    f->off_struct + off);
			if (f->size_struct - off < 12)
				return fail(err, errlen,
					    "property header runs past the "
					    "structure block",
					    f->off_struct + off);
			len = fdt_be32(sptr(f, off + 4));
			nameoff = fdt_be32(sptr(f, off + 8));
			if (len > f->size_struct - off - 12)
				return fail(err, errlen,
					    "property value runs past the "
					    "structure block",
					    f->off_struct + off);
			if (nameoff >= f->size_strings ||
			    !bounded_len(strings + nameoff,
					 strings + f->size_strings, &n))
				return fail(err, errlen,
					    "property name outside the strings "
					    "block",
					    f->off_struct + off);
			off = align4(off + 12 + len);
			break;
		case FDT_NOP:
			off += 4;
			break;
		case FDT_END:
			if (depth != 0)
				return fail(err, errlen,
					    "FDT_END inside an open node",
					    f->off_struct + off);
			if (f->root < 0)
				return fail(err, errlen, "no root node",
					    f->off_struct + off);
			return 0;
		default:
			return fail(err, errlen, "unknown token",
				    f->off_struct + off);
		}
	}
}

int fdt_open(struct fdt *f, const void *blob, size_t avail, char *err,
	     size_t errlen)
{
	memset(f, 0, sizeof(*f));
	f->blob = blob;
	f->root = -1;
	if (!blob)
		return fail(err, errlen, "no blob", 0);
	if (check_header(f, blob, avail, err, errlen) < 0 ||
	    check_rsvmap(f, err, errlen) < 0 ||
	    check_struct(f, err, errlen) < 0) {
		f->size = 0;
		return -1;
	}
	return 0;
}

const char *fdt_name(const struct fdt *f, int node)
{
	if (node < 0 || tok(f, (uint32_t)node) != FDT_BEGIN_NODE)
		return "";
	return (const char *)sptr(f, (uint32_t)node + 4);
}

/* Offset just past the node's name: its first property or child. */
static uint32_t after_name(const struct fdt *f, int node)
{
	return align4((uint32_t)node + 4 + (uint32_t)strlen(fdt_name(f, node)) +
		      1);
}

static uint32_t skip_props(const struct fdt *f, uint32_t off)
{
	for (;;) {
		uint32_t t = tok(f, off);

		if (t == FDT_PROP)
			off = align4(off + 12 + fdt_be32(sptr(f, off + 4)));
		else if (t == FDT_NOP)
			off += 4;
		else
			return off;
	}
}

int fdt_first_child(const struct fdt *f, int node)
{
	uint32_t off;

	if (node < 0)
		return -1;
	off = skip_props(f, after_name(f, node));
	return tok(f, off) == FDT_BEGIN_NODE ? (int)off : -1;
}

int fdt_next_node(const struct fdt *f, int node, int *depth)
{
	uint32_t off;
	int d;

	if (node < 0)
		return -1;
	d = *depth;
	off = after_name(f, node);
	for (;;) {
		switch (tok(f, off)) {
		case FDT_BEGIN_NODE:
			*depth = d + 1;
			return (int)off;
		case FDT_END_NODE:
			d--; /* may go below the start: siblings of it */
			off += 4;
			break;
		case FDT_PROP:
			off = align4(off + 12 + fdt_be32(sptr(f, off + 4)));
			break;
		case FDT_NOP:
			off += 4;
			break;
		default:
			return -1;
		}
	}
}

int fdt_next_sibling(const struct fdt *f, int node)
{
	int depth = 0, next = node;

	/* The next node in document order at the same depth, unless the
	 * parent closes first (depth drops below 0). */
	do {
		next = fdt_next_node(f, next, &depth);
	} while (next >= 0 && depth > 0);
	return depth == 0 ? next : -1;
}

static bool name_matches(const char *node_name, const char *want, size_t len)
{
	if (strncmp(node_name, want, len) != 0)
		return false;
	/* "memory" matches "memory@40000000"; "memory@4" needs it all. */
	return node_name[len] == '\0' ||
	       (node_name[len] == '@' && !memchr(want, '@', len));
}

static int child_n(const struct fdt *f, int parent, const char *name,
		   size_t len)
{
	for (int c = fdt_first_child(f, parent); c >= 0;
	     c = fdt_next_sibling(f, c))
		if (name_matches(fdt_name(f, c), name, len))
			return c;
	return -1;
}

int fdt_child(const struct fdt *f, int parent, const char *name)
{
	return child_n(f, parent, name, strlen(name));
}

int fdt_path(const struct fdt *f, const char *path)
{
	int node = f->root;

	if (!path || path[0] != '/')
		return -1;
	while (node >= 0 && *path) {
		size_t len;

		while (*path == '/')
			path++;
		len = strcspn(path, "/");
		if (len)
			node = child_n(f, node, path, len);
		path += len;
	}
	return node;
}

const void *fdt_prop(const struct fdt *f, int node, const char *name,
		     uint32_t *len)
{
	uint32_t off;

	if (node < 0)
		return NULL;
	off = after_name(f, node);
	for (;;) {
		uint32_t t = tok(f, off), l;

		if (t == FDT_NOP) {
			off += 4;
			continue;
		}
		if (t != FDT_PROP)
			return NULL;
		l = fdt_be32(sptr(f, off + 4));
		if (strcmp((const char *)f->blob + f->off_strings +
				   fdt_be32(sptr(f, off + 8)),
			   name) == 0) {
			if (len)
				*len = l;
			return sptr(f, off + 12);
		}
		off = align4(off + 12 + l);
	}
}

bool fdt_prop_u32(const struct fdt *f, int node, const char *name,
		  uint32_t *out)
{
	uint32_t len;
	const void *p = fdt_prop(f, node, name, &len);

	if (!p || len != 4)
		return false;
	*out = fdt_be32(p);
	return true;
}

const char *fdt_prop_str(const struct fdt *f, int node, const char *name)
{
	uint32_t len;
	const char *p = fdt_prop(f, node, name, &len);

	if (!p || len == 0 || !memchr(p, '\0', len))
		return NULL;
	return p;
}

bool fdt_compatible(const struct fdt *f, int node, const char *compat)
{
	uint32_t len, pos = 0;
	const char *p = fdt_prop(f, node, "compatible", &len);

	while (p && pos < len) {
		const char *s = p + pos;
		const char *nul = memchr(s, '\0', len - pos);

		if (!nul)
			break; /* unterminated last string: ignore it */
		if (strcmp(s, compat) == 0)
			return true;
		pos += (uint32_t)(nul - s) + 1;
	}
	return false;
}

bool fdt_enabled(const struct fdt *f, int node)
{
	const char *s = fdt_prop_str(f, node, "status");

	return !s || strcmp(s, "okay") == 0 || strcmp(s, "ok") == 0;
}

void fdt_rsv(const struct fdt *f, unsigned int i, uint64_t *addr,
	     uint64_t *size)
{
	const uint8_t *e = f->blob + f->off_rsvmap + 16 * (size_t)i;

	if (i >= f->nr_rsv) {
		*addr = *size = 0;
		return;
	}
	*addr = fdt_be64(e);
	*size = fdt_be64(e + 8);
}
