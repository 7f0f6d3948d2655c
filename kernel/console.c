/*
 * The console layer: every registered device gets every byte, unless
 * `console=NAME` made one of them the only one. A device that needs
 * "\r\n" does the translation itself.
 */
#include <string.h>
#include <mica/console.h>
#include <mica/printk.h>

static struct console *consoles;
static struct console *only;	/* console=NAME, once applied */
static const char *wanted;	/* console=NAME, as given */

void console_register(struct console *con)
{
	struct console **p = &consoles;

	while (*p)
		p = &(*p)->next;
	con->next = NULL;
	*p = con;
}

/*
 * The unlinked console keeps its own next pointer, so a console_write()
 * walking the list through it (a driver that unregisters itself from its
 * own write) carries on to the rest of the list.
 */
void console_unregister(struct console *con)
{
	if (only == con)
		only = NULL;
	for (struct console **p = &consoles; *p; p = &(*p)->next) {
		if (*p == con) {
			*p = con->next;
			return;
		}
	}
}

struct console *console_list(void)
{
	return consoles;
}

bool console_is_active(const struct console *con)
{
	return !only || con == only;
}

void console_write(const char *buf, size_t len)
{
	for (struct console *c = consoles; c; c = c->next)
		if (!only || c == only)
			c->write(c, buf, len);
}

void console_flush(void)
{
	for (struct console *c = consoles; c; c = c->next)
		if (c->flush && (!only || c == only))
			c->flush(c);
}

void console_describe(char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (struct console *c = consoles; c; c = c->next) {
		if (only && c != only)
			continue;
		len += (size_t)mica_snprintf(buf + MIN(len, size - 1),
					     size - MIN(len, size - 1), "%s%s",
					     len ? "," : "", c->name);
	}
	if (!consoles)
		mica_snprintf(buf, size, "none");
}

void console_want_only(const char *name)
{
	wanted = name;
}

/*
 * The announcement goes out before the switch, so the consoles about to
 * go quiet say where the output went.
 */
void console_choose(void)
{
	char names[64];
	struct console *c;

	if (!wanted)
		return;
	for (c = consoles; c && strcmp(c->name, wanted) != 0; c = c->next)
		;
	console_describe(names, sizeof(names));
	if (!c) {
		printk("console: console=%s, but no %s console was found; "
		       "output stays on %s\n",
		       wanted, wanted, names);
		return;
	}
	pr_info("console: from now on only on %s (console=%s)\n", c->name,
		wanted);
	only = c;
}

bool console_fallback(struct console *con)
{
	if (!only || only != con)
		return false;
	only = NULL;
	return true;
}
