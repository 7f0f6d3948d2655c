/* Hooks the C library glue uses to keep per-thread state (newlib's
 * struct _reent) in step with the scheduler. */
#ifndef MICA_SCHED_HOOKS_H
#define MICA_SCHED_HOOKS_H

struct thread;

struct sched_hooks {
	int (*thread_init)(struct thread *t);	/* < 0 fails the create */
	void (*thread_fini)(struct thread *t);	/* on the exiting thread */
	void (*switch_to)(struct thread *next);	/* before every switch */
};

void sched_set_hooks(const struct sched_hooks *h);
/* Count of things (device IRQs, event channels) that can wake a blocked
 * thread besides timers; with none and no timer, blocking is a deadlock. */
extern unsigned int sched_wake_sources;

#endif
