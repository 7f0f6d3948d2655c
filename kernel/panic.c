/* The panic path: say what happened, where, then stop with an error. */
#include <stdarg.h>
#include <mica/panic.h>
#include <mica/printk.h>
#include <mica/arch.h>
#include <mica/sched.h>
#include <mica/shutdown.h>

void panic(const char *fmt, ...)
{
	static bool in_panic;
	va_list ap;

	if (in_panic) {
		printk("\nmica: panic while panicking; stopping\n");
		mica_shutdown(MICA_EXIT_PANIC);
	}
	in_panic = true;
	printk("\nmica: PANIC: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\nmica: in thread '%s'\n", thread_name(thread_self()));
	arch_backtrace();
	mica_shutdown(MICA_EXIT_PANIC);
}
