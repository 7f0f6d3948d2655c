/*
 * The cooperative scheduler. There is no idle thread: a thread that gives
 * up the CPU when nothing else can run waits inside schedule() (arch_idle
 * halts until an interrupt or the next timer deadline), then carries on
 * with whichever thread became runnable. Interrupt handlers only run
 * inside arch_idle, so the queues here need no locking.
 */
#include <string.h>
#include <mica/arch.h>
#include <mica/heap.h>
#include <mica/panic.h>
#include <mica/printk.h>
#include <mica/sched.h>
#include <mica/sched_hooks.h>
#include <mica/time.h>
#include <mica/timer.h>

enum thread_state { T_RUNNABLE, T_BLOCKED, T_EXITED };

struct thread {
	void *sp;
	unsigned int id;
	enum thread_state state;
	bool wake_pending;	/* thread_wake() before thread_block() */
	bool waitq_woken;
	bool timer_fired;	/* the last wake came from its timer */
	struct list_node q_node;	/* run queue or a wait queue */
	struct list_node all_node;
	struct timer timer;
	void *stack;
	size_t stack_size;
	void (*fn)(void *);
	void *arg;
	void *libc;
	struct waitq joiners;
	char name[24];
};

static struct thread boot_thread;
static struct thread *current;
static struct list_node runq = LIST_HEAD_INIT(runq);
static struct list_node all_threads = LIST_HEAD_INIT(all_threads);
static struct timer_queue timers;
static struct thread *to_reap;
static unsigned int next_id, nthreads;
static const struct sched_hooks *hooks;
unsigned int sched_wake_sources;

void sched_set_hooks(const struct sched_hooks *h)
{
	hooks = h;
}

static void set_name(struct thread *t, const char *name)
{
	strncpy(t->name, name ? name : "?", sizeof(t->name) - 1);
	t->name[sizeof(t->name) - 1] = '\0';
}

static void timer_wake(struct timer *tm)
{
	struct thread *t = container_of(tm, struct thread, timer);

	t->timer_fired = true;
	thread_wake(t);
}

void sched_init(void)
{
	timerq_init(&timers);
	boot_thread.id = next_id++;
	boot_thread.state = T_RUNNABLE;
	boot_thread.timer.fn = timer_wake;
	list_init(&boot_thread.q_node);
	waitq_init(&boot_thread.joiners);
	set_name(&boot_thread, "boot");
	list_push_back(&all_threads, &boot_thread.all_node);
	nthreads = 1;
	current = &boot_thread;
}

struct thread *thread_self(void)
{
	return current;
}

const char *thread_name(const struct thread *t)
{
	return t ? t->name : "(none)";
}

unsigned int thread_id(const struct thread *t)
{
	return t->id;
}

void *thread_libc_state(const struct thread *t)
{
	return t->libc;
}

void thread_set_libc_state(struct thread *t, void *state)
{
	t->libc = state;
}

unsigned int thread_count(void)
{
	return nthreads;
}

void thread_for_each(void (*fn)(struct thread *t, void *arg), void *arg)
{
	struct list_node *n;

	list_for_each(n, &all_threads)
		fn(container_of(n, struct thread, all_node), arg);
}

struct thread *thread_by_stack_guard(uintptr_t addr)
{
	struct list_node *n;

	list_for_each(n, &all_threads) {
		struct thread *t = container_of(n, struct thread, all_node);
		uintptr_t base = (uintptr_t)t->stack;

		if (t->stack && addr < base && addr >= base - PAGE_SIZE)
			return t;
	}
	return NULL;
}

static void report_deadlock(void)
{
	struct list_node *n;

	printk("mica: every thread is blocked and no timer or device can "
	       "wake one:\n");
	list_for_each(n, &all_threads) {
		struct thread *t = container_of(n, struct thread, all_node);

		printk("  thread %u '%s' %s\n", t->id, t->name,
		       t->state == T_EXITED ? "exited" : "blocked");
	}
	panic("deadlock");
}

static void reap(void)
{
	struct thread *t = to_reap;

	if (!t)
		return;
	to_reap = NULL;
	stack_free(t->stack, t->stack_size);
	t->stack = NULL;
}

/* Give the CPU to the next runnable thread; returns when we run again. */
static void schedule(void)
{
	struct thread *prev = current, *next;
	struct list_node *n;

	for (;;) {
		timerq_run(&timers, monotonic_ns());
		n = list_pop_front(&runq);
		if (n) {
			next = container_of(n, struct thread, q_node);
			break;
		}
		if (prev->state == T_RUNNABLE) {
			next = prev;
			break;
		}
		if (timerq_next(&timers) == UINT64_MAX && !sched_wake_sources)
			report_deadlock();
		arch_idle(timerq_next(&timers));
	}
	if (next == prev)
		return;
	current = next;
	if (hooks && hooks->switch_to)
		hooks->switch_to(next);
	arch_switch(&prev->sp, next->sp);
	reap();
}

void thread_yield(void)
{
	timerq_run(&timers, monotonic_ns());
	if (list_empty(&runq))
		return;
	list_push_back(&runq, &current->q_node);
	schedule();
}

void thread_wake(struct thread *t)
{
	if (t->state == T_BLOCKED) {
		timerq_cancel(&t->timer);
		t->state = T_RUNNABLE;
		list_remove(&t->q_node); /* off any wait queue */
		list_push_back(&runq, &t->q_node);
	} else if (t->state == T_RUNNABLE) {
		t->wake_pending = true;
	}
}

void thread_block(void)
{
	if (current->wake_pending) {
		current->wake_pending = false;
		return;
	}
	current->state = T_BLOCKED;
	schedule();
}

/*
 * Sleep the whole time: a thread_wake() that comes meanwhile does not cut
 * the sleep short (nanosleep must not return early); it is kept for the
 * next thread_block(), like a wake that came before a sleep.
 */
void thread_sleep_until(uint64_t deadline_ns)
{
	bool woken = current->wake_pending;

	current->wake_pending = false;
	if (monotonic_ns() >= deadline_ns)
		thread_yield();
	while (monotonic_ns() < deadline_ns) {
		current->timer_fired = false;
		timerq_arm(&timers, &current->timer, deadline_ns);
		current->state = T_BLOCKED;
		schedule();
		if (!current->timer_fired) /* someone else woke us */
			woken = true;
		timerq_cancel(&current->timer);
	}
	current->wake_pending = woken || current->wake_pending;
}

void thread_sleep_ns(uint64_t ns)
{
	uint64_t now = monotonic_ns();

	thread_sleep_until(ns > UINT64_MAX - now ? UINT64_MAX : now + ns);
}

static void thread_entry(void)
{
	reap();
	current->fn(current->arg);
	thread_exit();
}

struct thread *thread_create(const char *name, void (*fn)(void *), void *arg)
{
	return thread_create_sized(name, fn, arg, THREAD_STACK_SIZE);
}

struct thread *thread_create_sized(const char *name, void (*fn)(void *),
				   void *arg, size_t stack_size)
{
	struct thread *t = heap_alloc(sizeof(*t));

	if (!t)
		return NULL;
	memset(t, 0, sizeof(*t));
	t->stack_size = ALIGN_UP(stack_size, PAGE_SIZE);
	t->stack = stack_alloc(t->stack_size);
	if (!t->stack) {
		heap_free(t);
		return NULL;
	}
	t->id = next_id++;
	t->fn = fn;
	t->arg = arg;
	t->timer.fn = timer_wake;
	waitq_init(&t->joiners);
	set_name(t, name);
	if (hooks && hooks->thread_init && hooks->thread_init(t) < 0) {
		stack_free(t->stack, t->stack_size);
		heap_free(t);
		return NULL;
	}
	t->sp = arch_thread_stack_init((char *)t->stack + t->stack_size,
				       thread_entry);
	t->state = T_RUNNABLE;
	list_push_back(&all_threads, &t->all_node);
	list_push_back(&runq, &t->q_node);
	nthreads++;
	return t;
}

void thread_exit(void)
{
	struct thread *t = current;

	if (t == &boot_thread)
		panic("the boot thread cannot exit");
	if (hooks && hooks->thread_fini)
		hooks->thread_fini(t);
	t->state = T_EXITED;
	waitq_wake_all(&t->joiners);
	to_reap = t; /* its stack is freed once we are off it */
	schedule();
	panic("exited thread %s was scheduled", t->name);
}

int thread_join(struct thread *t)
{
	if (t == current)
		return -1;
	while (t->state != T_EXITED)
		waitq_wait(&t->joiners, 0);
	if (t->stack) /* exited but not yet reaped: we are past that point */
		reap();
	list_remove(&t->all_node);
	nthreads--;
	heap_free(t);
	return 0;
}

void waitq_init(struct waitq *wq)
{
	list_init(&wq->waiters);
}

bool waitq_wait(struct waitq *wq, uint64_t deadline_ns)
{
	current->waitq_woken = false;
	current->wake_pending = false;
	list_push_back(&wq->waiters, &current->q_node);
	if (deadline_ns)
		timerq_arm(&timers, &current->timer, deadline_ns);
	current->state = T_BLOCKED;
	schedule();
	timerq_cancel(&current->timer);
	return current->waitq_woken;
}

void waitq_wake_one(struct waitq *wq)
{
	struct list_node *n = wq->waiters.next;
	struct thread *t;

	if (n == &wq->waiters)
		return;
	t = container_of(n, struct thread, q_node);
	t->waitq_woken = true;
	thread_wake(t);
}

void waitq_wake_all(struct waitq *wq)
{
	while (!list_empty(&wq->waiters))
		waitq_wake_one(wq);
}
