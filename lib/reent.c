/*
 * One newlib `struct _reent` per thread, so errno, stdio buffers and
 * strtok state are per thread. newlib reaches the current one through
 * _impure_ptr, which we repoint on every context switch. The first thread
 * created (the app's main) uses newlib's global one, which exit() flushes.
 */
#include <reent.h>
#include <stdio.h>
#include <stdlib.h>
#include <mica/heap.h>
#include <mica/sched.h>
#include <mica/sched_hooks.h>
#include <mica/shutdown.h>

/* newlib's internal stdio walker (stdio/fwalk.c), not in its headers. */
int _fwalk_reent(struct _reent *r, int (*fn)(struct _reent *, FILE *));

static bool global_taken;

static int reent_thread_init(struct thread *t)
{
	struct _reent *r;

	if (!global_taken) {
		global_taken = true;
		thread_set_libc_state(t, _global_impure_ptr);
		return 0;
	}
	r = heap_alloc(sizeof(*r));
	if (!r)
		return -1;
	_REENT_INIT_PTR(r);
	thread_set_libc_state(t, r);
	return 0;
}

static void flush_reent(struct _reent *r)
{
	if (r && r->__sdidinit)
		_fwalk_reent(r, _fflush_r);
}

/* On the exiting thread itself: flush what it wrote, then free its state
 * (its buffers are heap blocks; nothing else refers to them). */
static void reent_thread_fini(struct thread *t)
{
	struct _reent *r = thread_libc_state(t);

	flush_reent(r);
	if (r && r != _global_impure_ptr) {
		_impure_ptr = _global_impure_ptr;
		_reclaim_reent(r);
		heap_free(r);
		thread_set_libc_state(t, NULL);
	}
}

static void reent_switch_to(struct thread *next)
{
	struct _reent *r = thread_libc_state(next);

	_impure_ptr = r ? r : _global_impure_ptr;
}

static const struct sched_hooks reent_hooks = {
	.thread_init = reent_thread_init,
	.thread_fini = reent_thread_fini,
	.switch_to = reent_switch_to,
};

void libc_init(void)
{
	sched_set_hooks(&reent_hooks);
}

static void flush_thread(struct thread *t, void *arg)
{
	(void)arg;
	flush_reent(thread_libc_state(t));
}

/* exit() ends here after atexit handlers and the global stdio flush. */
void _exit(int status)
{
	thread_for_each(flush_thread, NULL);
	mica_shutdown(status);
}
