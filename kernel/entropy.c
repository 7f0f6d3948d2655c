/* The registered entropy sources, tried in order of registration. */
#include <mica/entropy.h>
#include <mica/printk.h>

static struct entropy_source *sources;

void entropy_register(struct entropy_source *s)
{
	struct entropy_source **p = &sources;

	while (*p)
		p = &(*p)->next;
	s->next = NULL;
	*p = s;
	pr_debug("entropy: source %s\n", s->name);
}

int entropy_read(void *buf, size_t len)
{
	for (struct entropy_source *s = sources; s; s = s->next)
		if (s->read(buf, len) == 0)
			return 0;
	return -1;
}

const char *entropy_source_name(void)
{
	return sources ? sources->name : NULL;
}
