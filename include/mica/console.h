/* The console layer: a list of output devices that every kernel message and
 * every write to stdout/stderr goes to. Drivers register themselves. */
#ifndef MICA_CONSOLE_H
#define MICA_CONSOLE_H

#include <mica/types.h>

struct console {
	const char *name;
	void (*write)(struct console *con, const char *buf, size_t len);
	/* Optional: wait (bounded) until written bytes have left the guest;
	 * called before the machine stops. */
	void (*flush)(struct console *con);
	/* Optional: input bytes that have arrived, without waiting (0:
	 * none). A console without it has no input. */
	size_t (*read)(struct console *con, char *buf, size_t len);
	struct console *next;
};

void console_register(struct console *con);
void console_unregister(struct console *con);
void console_write(const char *buf, size_t len);
/* Every console's flush, before shutdown. */
void console_flush(void);
/*
 * Console input (fd 0), polled from every console that has a read op
 * (only the chosen one under console=NAME). console_has_input(): such a
 * console exists (else stdin is at end of file). console_read(): what
 * has arrived, without waiting. console_input_ready(): something has.
 */
bool console_has_input(void);
size_t console_read(char *buf, size_t len);
bool console_input_ready(void);
/* The next input byte without taking it; -1 when there is none. */
int console_input_peek(void);

/* Names of registered consoles, comma separated, for the boot log. */
void console_describe(char *buf, size_t size);

/*
 * `console=NAME`: once the devices have probed, the console called NAME
 * gets all output and the others none. console_want_only() records the
 * wish (NULL: every console, the default); console_choose(), called after
 * device probing, applies it or says why it cannot.
 */
void console_want_only(const char *name);
void console_choose(void);
/* A console that stopped working: if it was the only one, every other
 * console gets output again. Returns true in that case. */
bool console_fallback(struct console *con);

#endif
