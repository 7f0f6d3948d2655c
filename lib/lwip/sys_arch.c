/*
 * lwIP's operating-system layer on Mica: semaphores, mutexes, mailboxes
 * and threads over the cooperative scheduler (include/mica/sched.h), time
 * from the monotonic clock. Threads run until they block, so nothing here
 * needs atomics: between two blocking calls a thread has the CPU alone.
 */
#include <string.h>
#include <mica/heap.h>
#include <mica/list.h>
#include <mica/panic.h>
#include <mica/sched.h>
#include <mica/time.h>
#include "lwip/sys.h"
#include "lwip/tcpip.h"

struct sys_sem {
	unsigned int count;
	struct waitq waiters;
};

/* A ticket lock: waiters get the mutex in the order they asked for it. */
struct sys_mutex {
	struct thread *owner;
	unsigned int next_ticket, serving;
	struct waitq waiters;
};

struct sys_mbox {
	unsigned int head, count, size;
	struct waitq readers, writers;
	void *msg[];
};

void sys_init(void)
{
}

u32_t sys_now(void)
{
	return (u32_t)(monotonic_ns() / NSEC_PER_MSEC);
}

void mica_sys_msleep(unsigned int ms)
{
	thread_sleep_ns((uint64_t)ms * NSEC_PER_MSEC);
}

static uint64_t deadline_after(u32_t timeout_ms, uint64_t start)
{
	return timeout_ms ? start + (uint64_t)timeout_ms * NSEC_PER_MSEC : 0;
}

/* What a successful wait returns: the milliseconds it took, never
 * SYS_ARCH_TIMEOUT itself. */
static u32_t waited_ms(uint64_t start)
{
	uint64_t ms = (monotonic_ns() - start) / NSEC_PER_MSEC;

	return ms >= SYS_ARCH_TIMEOUT ? SYS_ARCH_TIMEOUT - 1 : (u32_t)ms;
}

/* Sleep on @wq until woken or past @deadline (0: none); false once the
 * deadline has passed. A wake with nothing for us just loops the caller. */
static bool wait_until(struct waitq *wq, uint64_t deadline)
{
	if (waitq_wait(wq, deadline))
		return true;
	return !deadline || monotonic_ns() < deadline;
}

/* --- semaphores ------------------------------------------------------ */

err_t sys_sem_new(sys_sem_t *out, u8_t count)
{
	struct sys_sem *sem = heap_alloc(sizeof(*sem));

	*out = sem;
	if (!sem)
		return ERR_MEM;
	sem->count = count;
	waitq_init(&sem->waiters);
	return ERR_OK;
}

void sys_sem_signal(sys_sem_t *s)
{
	(*s)->count++;
	waitq_wake_one(&(*s)->waiters);
}

u32_t sys_arch_sem_wait(sys_sem_t *s, u32_t timeout_ms)
{
	struct sys_sem *sem = *s;
	uint64_t start = monotonic_ns();
	uint64_t deadline = deadline_after(timeout_ms, start);

	while (sem->count == 0)
		if (!wait_until(&sem->waiters, deadline))
			return SYS_ARCH_TIMEOUT;
	sem->count--;
	return waited_ms(start);
}

void sys_sem_free(sys_sem_t *s)
{
	BUG_ON(!list_empty(&(*s)->waiters.waiters));
	heap_free(*s);
}

/* --- mutexes --------------------------------------------------------- */

err_t sys_mutex_new(sys_mutex_t *out)
{
	struct sys_mutex *m = heap_alloc(sizeof(*m));

	*out = m;
	if (!m)
		return ERR_MEM;
	m->owner = NULL;
	m->next_ticket = m->serving = 0;
	waitq_init(&m->waiters);
	return ERR_OK;
}

/*
 * Unlocking passes the mutex to the next ticket rather than just freeing
 * it: a thread that unlocks and locks again without blocking in between
 * (the stack thread between two messages) would otherwise take it back
 * every time, and a woken waiter would find it held forever.
 */
void sys_mutex_lock(sys_mutex_t *mp)
{
	struct sys_mutex *m = *mp;
	unsigned int ticket;

	if (m->owner == thread_self())
		panic("lwIP: thread '%s' locks a mutex it already holds",
		      thread_name(thread_self()));
	ticket = m->next_ticket++;
	while (m->serving != ticket)
		waitq_wait(&m->waiters, 0);
	m->owner = thread_self();
}

void sys_mutex_unlock(sys_mutex_t *mp)
{
	struct sys_mutex *m = *mp;

	BUG_ON(m->owner != thread_self());
	m->owner = NULL;
	m->serving++;
	if (m->serving != m->next_ticket)
		waitq_wake_all(&m->waiters);
}

void sys_mutex_free(sys_mutex_t *mp)
{
	BUG_ON((*mp)->owner || !list_empty(&(*mp)->waiters.waiters));
	heap_free(*mp);
}

/* Every lwIP core function checks that its caller holds the core lock
 * (from tcpip_init on; lwip_init itself runs before the lock exists). */
void mica_lwip_assert_core_locked(void)
{
	if (lock_tcpip_core && lock_tcpip_core->owner != thread_self())
		panic("lwIP core called without the core lock by thread '%s' "
		      "(use LOCK_TCPIP_CORE or the socket API)",
		      thread_name(thread_self()));
}

/* --- mailboxes ------------------------------------------------------- */

err_t sys_mbox_new(sys_mbox_t *out, int size)
{
	struct sys_mbox *mb;

	if (size <= 0)
		size = 32;
	mb = heap_alloc(sizeof(*mb) + (size_t)size * sizeof(void *));
	*out = mb;
	if (!mb)
		return ERR_MEM;
	mb->head = mb->count = 0;
	mb->size = (unsigned int)size;
	waitq_init(&mb->readers);
	waitq_init(&mb->writers);
	return ERR_OK;
}

static void mbox_put(struct sys_mbox *mb, void *msg)
{
	mb->msg[(mb->head + mb->count) % mb->size] = msg;
	mb->count++;
	waitq_wake_one(&mb->readers);
}

static void *mbox_take(struct sys_mbox *mb)
{
	void *msg = mb->msg[mb->head];

	mb->head = (mb->head + 1) % mb->size;
	mb->count--;
	waitq_wake_one(&mb->writers);
	return msg;
}

void sys_mbox_post(sys_mbox_t *b, void *msg)
{
	struct sys_mbox *mb = *b;

	while (mb->count == mb->size)
		waitq_wait(&mb->writers, 0);
	mbox_put(mb, msg);
}

err_t sys_mbox_trypost(sys_mbox_t *b, void *msg)
{
	if ((*b)->count == (*b)->size)
		return ERR_MEM;
	mbox_put(*b, msg);
	return ERR_OK;
}

/* Mica never calls lwIP from interrupt handlers; same as trypost. */
err_t sys_mbox_trypost_fromisr(sys_mbox_t *b, void *msg)
{
	return sys_mbox_trypost(b, msg);
}

u32_t sys_arch_mbox_fetch(sys_mbox_t *b, void **msg, u32_t timeout_ms)
{
	struct sys_mbox *mb = *b;
	uint64_t start = monotonic_ns();
	uint64_t deadline = deadline_after(timeout_ms, start);
	void *m;

	while (mb->count == 0)
		if (!wait_until(&mb->readers, deadline))
			return SYS_ARCH_TIMEOUT;
	m = mbox_take(mb);
	if (msg)
		*msg = m;
	return waited_ms(start);
}

u32_t sys_arch_mbox_tryfetch(sys_mbox_t *b, void **msg)
{
	void *m;

	if ((*b)->count == 0)
		return SYS_MBOX_EMPTY;
	m = mbox_take(*b);
	if (msg)
		*msg = m;
	return 0;
}

void sys_mbox_free(sys_mbox_t *b)
{
	struct sys_mbox *mb = *b;

	if (mb->count)
		printk("lwIP: freeing a mailbox with %u messages in it\n",
		       mb->count);
	BUG_ON(!list_empty(&mb->readers.waiters) ||
	       !list_empty(&mb->writers.waiters));
	heap_free(mb);
}

/* --- threads --------------------------------------------------------- */

sys_thread_t sys_thread_new(const char *name, lwip_thread_fn fn, void *arg,
			    int stacksize, int prio)
{
	size_t size = stacksize > 0 ? (size_t)stacksize : THREAD_STACK_SIZE;
	struct thread *t = thread_create_sized(name, fn, arg, size);

	(void)prio; /* one priority: cooperative round robin */
	if (!t)
		panic("lwIP: out of memory creating thread '%s' (%zu KiB "
		      "stack)", name, size / 1024);
	return t;
}
