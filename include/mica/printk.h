/* Kernel formatted output: our own small vsnprintf (no FPU use), usable in
 * exception and panic paths where newlib's stdio is not. */
#ifndef MICA_PRINTK_H
#define MICA_PRINTK_H

#include <stdarg.h>
#include <mica/types.h>

int mica_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int mica_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
void printk(const char *fmt, ...) __printf(1, 2);
void vprintk(const char *fmt, va_list ap);

/* Boot log verbosity: 0 quiet (errors only), 1 normal, 2 verbose. */
extern int log_level;
#define pr_info(...) do { if (log_level >= 1) printk(__VA_ARGS__); } while (0)
#define pr_debug(...) do { if (log_level >= 2) printk(__VA_ARGS__); } while (0)

#endif
