/* The symbol table the build generates into .ksyms (tools/mksyms.sh). */
#include <mica/symbols.h>

extern const struct ksym_table ksym_table;

const struct ksym_table *kernel_symbols(void)
{
	return &ksym_table;
}
