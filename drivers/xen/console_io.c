/* CONSOLEIO_write as a console: dom0 (and dom0less domUs) may use it;
 * Xen refuses it to an xl-created domU in release builds. The text is
 * copied into the hypercall arena in chunks. */
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

static struct console xen_console_io = {
	.name = "xen-console_io",
	.write = console_io_write,
};

void xen_console_io_register(void)
{
	console_register(&xen_console_io);
}
