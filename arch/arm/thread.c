/* The first frame of a new thread, as arch_switch expects to pop it. */
#include <mica/arch.h>

void thread_start(void);

/* arch_switch's save area: x19-x28, x29, x30, d8-d15, FPCR, FPSR. */
#define SAVE_WORDS 22
#define SAVE_X19 0
#define SAVE_X30 11

void *arch_thread_stack_init(void *stack_top, void (*entry)(void))
{
	uint64_t *sp = (uint64_t *)ALIGN_DOWN((uintptr_t)stack_top, 16);

	sp -= SAVE_WORDS;
	for (int i = 0; i < SAVE_WORDS; i++)
		sp[i] = 0;	/* FPCR 0: round to nearest, no traps */
	sp[SAVE_X19] = (uintptr_t)entry;
	/* arch_switch returns to thread_start, which calls x19. */
	sp[SAVE_X30] = (uintptr_t)thread_start;
	return sp;
}
