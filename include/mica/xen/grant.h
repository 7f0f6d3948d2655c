/*
 * Xen grant tables, v1. A grant lets one other domain map or copy one of
 * our pages; ending it fails while that domain still maps the page. Refs
 * can be handed out in runs of consecutive numbers (multi-page DMA
 * buffers need linear grant addresses).
 */
#ifndef MICA_XEN_GRANT_H
#define MICA_XEN_GRANT_H

#include <mica/types.h>

typedef uint32_t gref_t;

/* --- the ref allocator (pure; unit-tested on the host) ----------------- */
struct gref_pool {
	uint64_t *bits;		/* 1 = in use */
	uint32_t nrefs;
	uint32_t nfree;
};
void gref_pool_init(struct gref_pool *p, uint64_t *bits, uint32_t nrefs,
		    uint32_t reserved);
/* @count consecutive refs; returns the first, or -1. */
int64_t gref_alloc_run(struct gref_pool *p, uint32_t count);
void gref_free_run(struct gref_pool *p, gref_t first, uint32_t count);

/* --- the table ----------------------------------------------------------- */
int gnttab_init(void);
unsigned int gnttab_nr_refs(void);
unsigned int gnttab_refs_in_use(void);
/* Grant @domid access to the page at @page; returns the ref, or < 0. */
int64_t gnttab_grant_access(uint16_t domid, const void *page, bool readonly);
/* @count pages from @page on consecutive refs; returns the first ref. */
int64_t gnttab_grant_access_run(uint16_t domid, const void *page,
				uint32_t count, bool readonly);
/* 0, or -1 if the remote still maps the page (the ref stays granted). */
int gnttab_end_access(gref_t ref);

/* Map @domid's grant @ref at guest-physical @gpa (auto-translated
 * guests); the per-entry GNTST status is returned (0 = okay). */
int gnttab_map(uint16_t domid, gref_t ref, uint64_t gpa, bool readonly,
	       uint32_t *handle);
int gnttab_unmap(uint64_t gpa, uint32_t handle);
/* Copy @len bytes from @domid's grant @ref at @offset to @dest (within
 * one page); returns the GNTST status. */
int gnttab_copy_from(uint16_t domid, gref_t ref, uint16_t offset, void *dest,
		     uint16_t len);
const char *gntst_name(int status);

/* Where grant-table frames and foreign pages go: the physmap way for
 * auto-translated guests (default), the page-table way for x86 PV. */
struct xen_mapping_ops {
	void *(*map_grant_frames)(unsigned int nr);	/* NULL: failed */
	/* Addresses for foreign mappings (GNTMAP_host_map's host_addr),
	 * readable at the same virtual address once mapped. */
	uint64_t (*alloc_foreign)(uint32_t pages);
	/* The frame number Xen wants for our page at @va (a guest frame,
	 * or a machine frame on PV). */
	uint64_t (*frame_of)(const void *va);
};
extern const struct xen_mapping_ops *xen_mapping;

/* Our own domain id (alloc_unbound to self + EVTCHNOP_status). */
int xen_own_domid(uint16_t *domid);
/* Guest-physical space with no RAM behind it, for foreign mappings. */
uint64_t xen_alloc_unpopulated(uint32_t pages);

#endif
