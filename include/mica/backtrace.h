/* Symbolized backtraces from frame records (kernel/backtrace.c). */
#ifndef MICA_BACKTRACE_H
#define MICA_BACKTRACE_H

#include <mica/types.h>

/* "<prefix>0x... <function+0xoff>" on its own line. */
void backtrace_print_addr(const char *prefix, uint64_t addr);
/* Print pc, @caller (if not 0), then every return address in the record
 * chain from @fp that stays inside [@stack_lo, @stack_hi). */
void backtrace_walk(uint64_t fp, uint64_t pc, uint64_t caller,
		    uint64_t stack_lo, uint64_t stack_hi);
/* Where the records of the stack holding @sp may lie. */
void backtrace_stack_bounds(uint64_t sp, uint64_t *lo, uint64_t *hi);

#endif
