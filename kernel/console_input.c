/*
 * Console input: bytes typed at (or piped into) any console that can
 * read, in arrival order, a carriage return (Enter) made a newline.
 * Nothing here waits or takes an interrupt: the consoles are polled when
 * a reader asks (read and poll on fd 0 do so every few milliseconds
 * while they wait), and what one poll brings in beyond what the reader
 * wanted waits in a small buffer.
 */
#include <mica/console.h>

#define PENDING 256

static char pending[PENDING];
static size_t head, count;	/* a ring: count bytes from head */

/* The consoles console_write() would write to (see console.c). */
struct console *console_list(void);
bool console_is_active(const struct console *con);

bool console_has_input(void)
{
	for (struct console *c = console_list(); c; c = c->next)
		if (c->read && console_is_active(c))
			return true;
	return false;
}

/* Move what the consoles have into the ring, as far as it has room. */
static void fill(void)
{
	for (struct console *c = console_list(); c; c = c->next) {
		if (!c->read || !console_is_active(c))
			continue;
		while (count < PENDING) {
			/* Contiguous free space at the ring's tail. */
			size_t at = (head + count) % PENDING;
			size_t room = at >= head ? PENDING - at : head - at;
			size_t n = c->read(c, pending + at, room);

			if (n == 0)
				break;
			if (n > room)
				n = room;
			/* A terminal's Enter sends a carriage return. */
			for (size_t i = 0; i < n; i++)
				if (pending[at + i] == '\r')
					pending[at + i] = '\n';
			count += n;
		}
	}
}

bool console_input_ready(void)
{
	fill();
	return count != 0;
}

size_t console_read(char *buf, size_t len)
{
	size_t n = 0;

	fill();
	while (n < len && count) {
		buf[n++] = pending[head];
		head = (head + 1) % PENDING;
		count--;
	}
	return n;
}

int console_input_peek(void)
{
	fill();
	return count ? (unsigned char)pending[head] : -1;
}
