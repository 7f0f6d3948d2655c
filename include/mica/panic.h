#ifndef MICA_PANIC_H
#define MICA_PANIC_H

#include <mica/types.h>

/* Exit status reported when the kernel stops on an error of its own. */
#define MICA_EXIT_PANIC 99

void panic(const char *fmt, ...) __printf(1, 2) __noreturn;

#define BUG_ON(cond)                                                           \
	do {                                                                   \
		if (cond)                                                      \
			panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond);  \
	} while (0)

#endif
