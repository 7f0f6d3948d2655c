/* The Bochs/QEMU debug console at port 0xe9 (Xen also shows a PVH
 * guest's writes there as "(d1) ..."). Reading the port returns 0xe9 when
 * the device is present. */
#include <mica/console.h>
#include <arch/io.h>
#include <arch/x86.h>

static void debugcon_write(struct console *con, const char *buf, size_t len)
{
	(void)con;
	for (size_t i = 0; i < len; i++)
		outb(0xe9, (uint8_t)buf[i]);
}

static struct console debugcon = { .name = "debugcon", .write = debugcon_write };

struct console *debugcon_console(void)
{
	return &debugcon;
}

void debugcon_register(void)
{
	console_register(&debugcon);
}

bool debugcon_probe(void)
{
	if (inb(0xe9) != 0xe9)
		return false;
	debugcon_register();
	return true;
}
