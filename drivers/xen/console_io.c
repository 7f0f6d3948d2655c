/* CONSOLEIO_write as a console: dom0 (and dom0less domUs) may use it;
 * Xen refuses it to an xl-created domU in release builds. The text is
 * copied into the hypercall arena in chunks. Input is CONSOLEIO_read:
 * what was typed on Xen's serial console while its input was switched to
 * this domain (dom0 by default); a refusal ends input for good. */
#include <string.h>
#include <mica/console.h>
#include <mica/xen/hcall.h>
#include <mica/xen/xen.h>

#define CHUNK 512

static void console_io_write(struct console *con, const char *buf, size_t len)
{
	(void)con;
	while (len) {
		size_t mark = hcall_mark();
		size_t n = MIN(len, (size_t)CHUNK);
		char *b = hcall_alloc(n);

		if (!b)
			return;
		memcpy(b, buf, n);
		HYPERVISOR_console_io(CONSOLEIO_write, (unsigned int)n, b);
		hcall_release(mark);
		buf += n;
		len -= n;
	}
}

static size_t console_io_read(struct console *con, char *buf, size_t len)
{
	static bool refused;
	size_t mark = hcall_mark();
	unsigned int n = (unsigned int)MIN(len, (size_t)CHUNK);
	char *b = hcall_alloc(n);
	long rc;

	(void)con;
	if (refused || !b) {
		hcall_release(mark);
		return 0;
	}
	rc = HYPERVISOR_console_io(CONSOLEIO_read, n, b);
	if (rc < 0 || rc > (long)n) {
		refused = true; /* an error, or more than was asked for */
		rc = 0;
	}
	memcpy(buf, b, (size_t)rc);
	hcall_release(mark);
	return (size_t)rc;
}

static struct console xen_console_io = {
	.name = "xen-console_io",
	.write = console_io_write,
	.read = console_io_read,
};

void xen_console_io_register(void)
{
	console_register(&xen_console_io);
}
