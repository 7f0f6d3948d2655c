/* The console layer: a list of output devices that every kernel message and
 * every write to stdout/stderr goes to. Drivers register themselves. */
#ifndef MICA_CONSOLE_H
#define MICA_CONSOLE_H

#include <mica/types.h>

struct console {
	const char *name;
	void (*write)(struct console *con, const char *buf, size_t len);
	struct console *next;
};

void console_register(struct console *con);
void console_unregister(struct console *con);
void console_write(const char *buf, size_t len);
/* Names of registered consoles, comma separated, for the boot log. */
void console_describe(char *buf, size_t size);

#endif
