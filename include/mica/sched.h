/*
 * Cooperative threads. A thread runs until it yields, sleeps, blocks or
 * exits; nothing preempts it. Interrupts only wake the idle loop.
 */
#ifndef MICA_SCHED_H
#define MICA_SCHED_H

#include <mica/list.h>
#include <mica/types.h>

struct thread;

struct waitq {
	struct list_node waiters;
};

#define THREAD_STACK_SIZE (64 * 1024)

struct thread *thread_create(const char *name, void (*fn)(void *), void *arg);
struct thread *thread_create_sized(const char *name, void (*fn)(void *),
				   void *arg, size_t stack_size);
struct thread *thread_self(void);
const char *thread_name(const struct thread *t);
unsigned int thread_id(const struct thread *t);
void thread_yield(void);
/* Sleep until the monotonic clock reaches @deadline_ns. */
void thread_sleep_until(uint64_t deadline_ns);
void thread_sleep_ns(uint64_t ns);
/* Block until thread_wake(); a wake that comes first is not lost. */
void thread_block(void);
void thread_wake(struct thread *t);
void thread_exit(void) __attribute__((noreturn));
/* Wait for @t to exit and free it; returns 0, or -1 if @t is self. */
int thread_join(struct thread *t);

void waitq_init(struct waitq *wq);
/* Sleep on @wq until woken or @deadline_ns (0: none); true if woken. */
bool waitq_wait(struct waitq *wq, uint64_t deadline_ns);
void waitq_wake_one(struct waitq *wq);
void waitq_wake_all(struct waitq *wq);

/* Boot: turn the boot context into thread 0 and create the idle thread. */
void sched_init(void);
/* For the per-thread C library state: called on every switch. */
void *thread_libc_state(const struct thread *t);
void thread_set_libc_state(struct thread *t, void *state);
/* Iterate over live threads (for exit-time flushing). */
void thread_for_each(void (*fn)(struct thread *t, void *arg), void *arg);
unsigned int thread_count(void);
/* The thread whose stack guard page holds @addr, if any. */
struct thread *thread_by_stack_guard(uintptr_t addr);

#endif
