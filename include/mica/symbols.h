/* Symbol lookup for backtraces: a table linked into the booted image. */
#ifndef MICA_SYMBOLS_H
#define MICA_SYMBOLS_H

#include <mica/types.h>

struct ksym {
	uint32_t addr;		/* offset from the table's base address */
	uint32_t name;		/* offset into the name blob */
};

struct ksym_table {
	uint64_t base;
	uint32_t count;
	const struct ksym *syms;	/* sorted by addr */
	const char *names;
};

/* Name of the function containing @addr and the offset into it; NULL if
 * @addr is outside every known function. */
const char *ksym_lookup(const struct ksym_table *tab, uint64_t addr,
			uint64_t *offset);
const struct ksym_table *kernel_symbols(void);

#endif
