/*
 * The console layer: every registered device gets every byte. A device
 * that needs "\r\n" does the translation itself.
 */
#include <mica/console.h>
#include <mica/printk.h>

static struct console *consoles;

void console_register(struct console *con)
{
	struct console **p = &consoles;

	while (*p)
		p = &(*p)->next;
	con->next = NULL;
	*p = con;
}

void console_unregister(struct console *con)
{
	for (struct console **p = &consoles; *p; p = &(*p)->next) {
		if (*p == con) {
			*p = con->next;
			return;
		}
	}
}

void console_write(const char *buf, size_t len)
{
	for (struct console *c = consoles; c; c = c->next)
		c->write(c, buf, len);
}

void console_describe(char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (struct console *c = consoles; c; c = c->next)
		len += (size_t)mica_snprintf(buf + MIN(len, size - 1),
					     size - MIN(len, size - 1), "%s%s",
					     len ? "," : "", c->name);
	if (!consoles)
		mica_snprintf(buf, size, "none");
}
