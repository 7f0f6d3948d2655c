/* The first frame of a new thread, as arch_switch expects to pop it. */
#include <mica/arch.h>

#define MXCSR_DEFAULT 0x1f80	/* all exceptions masked, round nearest */
#define FCW_DEFAULT 0x037f	/* x87: all masked, extended precision */

void *arch_thread_stack_init(void *stack_top, void (*entry)(void))
{
	uint64_t *sp = (uint64_t *)ALIGN_DOWN((uintptr_t)stack_top, 16);

	*--sp = 0;			/* fake return address: ends backtraces */
	*--sp = (uintptr_t)entry;	/* arch_switch's ret goes here */
	*--sp = 0;			/* rbp */
	*--sp = 0;			/* rbx */
	*--sp = 0;			/* r12 */
	*--sp = 0;			/* r13 */
	*--sp = 0;			/* r14 */
	*--sp = 0;			/* r15 */
	*--sp = MXCSR_DEFAULT | ((uint64_t)FCW_DEFAULT << 32);
	return sp;
}
