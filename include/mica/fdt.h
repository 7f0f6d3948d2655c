/*
 * A flattened device tree (DTB) reader. The blob comes from outside (QEMU,
 * Xen, a boot loader), so fdt_open() checks the whole structure once:
 * header, offsets, every token, name and property inside its block,
 * nesting depth. The lookups after that still never read past the blob.
 *
 * A node is named by its offset in the structure block; -1 means none.
 */
#ifndef MICA_FDT_H
#define MICA_FDT_H

#include <mica/types.h>

#define FDT_MAGIC 0xd00dfeedU
#define FDT_MAX_SIZE (2U << 20)		/* Linux's and Xen's arm64 limit */
#define FDT_MAX_DEPTH 16
#define FDT_MAX_RSV 64

struct fdt {
	const uint8_t *blob;
	uint32_t size;			/* totalsize, validated */
	uint32_t off_struct, size_struct;
	uint32_t off_strings, size_strings;
	uint32_t off_rsvmap, nr_rsv;
	uint32_t version;
	int root;
};

/*
 * Check the blob at @blob, of which @avail bytes may be read. Returns 0,
 * or -1 with the first problem (and its offset) in @err.
 */
int fdt_open(struct fdt *f, const void *blob, size_t avail, char *err,
	     size_t errlen);

/* Big-endian cells as stored in the blob (any alignment). */
uint32_t fdt_be32(const void *p);
uint64_t fdt_be64(const void *p);

const char *fdt_name(const struct fdt *f, int node);
int fdt_first_child(const struct fdt *f, int node);
int fdt_next_sibling(const struct fdt *f, int node);
/* Child named @name: the full name, or the part before '@'. */
int fdt_child(const struct fdt *f, int parent, const char *name);
/* "/a/b" from the root; -1 if any part is missing. */
int fdt_path(const struct fdt *f, const char *path);
/*
 * The node after @node in document order, and its depth in *@depth (root
 * 0). Walk the whole tree from f->root with depth 0; started elsewhere,
 * the depth is relative and goes negative past the start's parent.
 */
int fdt_next_node(const struct fdt *f, int node, int *depth);

/* Property value and length, or NULL when the node has no such property. */
const void *fdt_prop(const struct fdt *f, int node, const char *name,
		     uint32_t *len);
/* A one-cell property; false when absent or not 4 bytes. */
bool fdt_prop_u32(const struct fdt *f, int node, const char *name,
		  uint32_t *out);
/* A NUL-terminated string property (the first string of a list). */
const char *fdt_prop_str(const struct fdt *f, int node, const char *name);
/* Does the node's "compatible" string list contain @compat? */
bool fdt_compatible(const struct fdt *f, int node, const char *compat);
/* "status" absent, "okay" or "ok". */
bool fdt_enabled(const struct fdt *f, int node);

/* Entry @i of the memory reservation block (/memreserve/). */
void fdt_rsv(const struct fdt *f, unsigned int i, uint64_t *addr,
	     uint64_t *size);

#endif
