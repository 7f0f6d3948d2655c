/* Symbol lookup over the table the build links into the image. */
#include <mica/symbols.h>

const char *ksym_lookup(const struct ksym_table *tab, uint64_t addr,
			uint64_t *offset)
{
	uint32_t lo = 0, hi;
	uint64_t rel;

	if (!tab || tab->count < 2 || addr < tab->base)
		return NULL;
	rel = addr - tab->base;
	hi = tab->count;
	/* Last entry is the end marker: addresses at or past it are outside. */
	if (rel >= tab->syms[tab->count - 1].addr)
		return NULL;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (tab->syms[mid].addr <= rel)
			lo = mid;
		else
			hi = mid;
	}
	if (tab->syms[lo].addr > rel)
		return NULL;
	if (offset)
		*offset = rel - tab->syms[lo].addr;
	return tab->names + tab->syms[lo].name;
}
