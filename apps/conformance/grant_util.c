/* Grant table calls several test groups share; arena buffers only. */
#include "conformance.h"

/* GNTTABOP_set_version to @want; *@now is what the table is then. */
long conf_gnttab_set_version(struct conf_ctx *c, uint32_t want,
			     uint32_t *now)
{
	struct gnttab_set_version *s = conf_buf(c, sizeof(*s));
	long rc;

	if (!s)
		return -XEN_ENOMEM;
	s->version = want;
	rc = c->ops->grant_table_op(GNTTABOP_set_version, s, 1);
	*now = s->version;
	return rc;
}

/* GNTTABOP_get_version of our own table. */
long conf_gnttab_get_version(struct conf_ctx *c, uint32_t *now)
{
	struct gnttab_get_version *g = conf_buf(c, sizeof(*g));
	long rc;

	if (!g)
		return -XEN_ENOMEM;
	g->dom = DOMID_SELF;
	rc = c->ops->grant_table_op(GNTTABOP_get_version, g, 1);
	*now = g->version;
	return rc;
}
