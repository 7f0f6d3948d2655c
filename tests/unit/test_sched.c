/*
 * kernel/sched.c with the real context switch (arch/x86/switch.S and
 * thread.c run on the x86_64 host), malloc'd stacks and the fake clock:
 * arch_idle() jumps the clock to the next deadline.
 */
#include <string.h>
#include <mica/heap.h>
#include <mica/sched.h>
#include <mica/sched_hooks.h>
#include <mica/time.h>
#include "host.h"
#include "unit.h"

#define MIB (1024 * 1024)
#define MS NSEC_PER_MSEC

static char log_buf[128];
static size_t log_len;

static void note(char c)
{
	if (log_len < sizeof(log_buf) - 1)
		log_buf[log_len++] = c;
	log_buf[log_len] = '\0';
}

static void setup(void)
{
	host_mem_init(16 * MIB);
	fake_clock_set(0);
	sched_init();
	log_len = 0;
	log_buf[0] = '\0';
}

static void yield_twice(void *arg)
{
	char c = (char)(uintptr_t)arg;

	note(c);
	thread_yield();
	note((char)(c - 'A' + 'a'));
}

TEST(sched_threads_run_in_creation_order)
{
	struct thread *t[3];

	setup();
	CHECK_EQ(thread_count(), 1);
	for (int i = 0; i < 3; i++) {
		t[i] = thread_create("w", yield_twice,
				     (void *)(uintptr_t)('A' + i));
		REQUIRE(t[i]);
	}
	CHECK_EQ(thread_count(), 4);
	CHECK_STR(log_buf, ""); /* nothing runs before we give up the CPU */
	for (int i = 0; i < 3; i++)
		CHECK_EQ(thread_join(t[i]), 0);
	CHECK_STR(log_buf, "ABCabc");
	CHECK_EQ(thread_count(), 1);
	CHECK_EQ(monotonic_ns(), 0); /* nobody slept */
}

TEST(sched_yield_alone_returns)
{
	setup();
	thread_yield();
	thread_yield();
	CHECK_EQ(host_idle_calls, 0);
	CHECK(thread_self() != NULL);
	CHECK_STR(thread_name(thread_self()), "boot");
	CHECK_EQ(thread_id(thread_self()), 0);
}

TEST(sched_yield_round_robin_with_boot)
{
	struct thread *t;

	setup();
	t = thread_create("w", yield_twice, (void *)(uintptr_t)'A');
	REQUIRE(t);
	note('0');
	thread_yield();		/* A runs, yields back */
	note('1');
	thread_yield();		/* A finishes */
	note('2');
	CHECK_STR(log_buf, "0A1a2");
	CHECK_EQ(thread_join(t), 0);
}

struct sleeper {
	char name;
	uint64_t deadline, woke_at;
};

static void sleep_then_note(void *arg)
{
	struct sleeper *s = arg;

	thread_sleep_until(s->deadline);
	s->woke_at = monotonic_ns();
	note(s->name);
}

TEST(sched_sleep_wakes_in_deadline_order)
{
	struct sleeper s[] = {
		{ 'A', 30 * MS, 0 }, { 'B', 10 * MS, 0 }, { 'C', 20 * MS, 0 },
		{ 'D', 10 * MS, 0 }, { 'E', 5 * MS, 0 },
	};
	struct thread *t[ARRAY_SIZE(s)];

	setup();
	for (size_t i = 0; i < ARRAY_SIZE(s); i++)
		REQUIRE((t[i] = thread_create("s", sleep_then_note, &s[i])));
	for (size_t i = 0; i < ARRAY_SIZE(s); i++)
		CHECK_EQ(thread_join(t[i]), 0);
	/* Equal deadlines wake in the order they went to sleep. */
	CHECK_STR(log_buf, "EBDCA");
	for (size_t i = 0; i < ARRAY_SIZE(s); i++)
		CHECK_EQ(s[i].woke_at, s[i].deadline);
	CHECK_EQ(monotonic_ns(), 30 * MS);
}

TEST(sched_sleep_ns_and_past_deadline)
{
	setup();
	fake_clock_set(100 * MS);
	thread_sleep_ns(5 * MS);
	CHECK_EQ(monotonic_ns(), 105 * MS);
	/* A deadline already passed does not idle. */
	host_idle_calls = 0;
	thread_sleep_until(50 * MS);
	thread_sleep_until(105 * MS);
	CHECK_EQ(host_idle_calls, 0);
	CHECK_EQ(monotonic_ns(), 105 * MS);
}

static void block_then_note(void *arg)
{
	(void)arg;
	note('b');
	thread_block();
	note('w');
}

TEST(sched_block_and_wake)
{
	struct thread *t;

	setup();
	REQUIRE((t = thread_create("blk", block_then_note, NULL)));
	thread_yield();
	CHECK_STR(log_buf, "b");
	thread_yield(); /* still blocked: nothing to run */
	CHECK_STR(log_buf, "b");
	thread_wake(t);
	thread_yield();
	CHECK_STR(log_buf, "bw");
	CHECK_EQ(thread_join(t), 0);
}

TEST(sched_wake_before_block_not_lost)
{
	struct thread *t;

	setup();
	REQUIRE((t = thread_create("blk", block_then_note, NULL)));
	thread_wake(t); /* it has not even run yet */
	thread_wake(t); /* twice is the same as once */
	CHECK_EQ(thread_join(t), 0);
	CHECK_STR(log_buf, "bw");
}

static void self_wake_block(void *arg)
{
	(void)arg;
	thread_wake(thread_self());
	thread_block(); /* returns at once */
	note('1');
	thread_block(); /* the pending wake was used up: blocks */
	note('2');
}

TEST(sched_pending_wake_used_once)
{
	struct thread *t;

	setup();
	REQUIRE((t = thread_create("self", self_wake_block, NULL)));
	thread_yield();
	CHECK_STR(log_buf, "1");
	thread_wake(t);
	CHECK_EQ(thread_join(t), 0);
	CHECK_STR(log_buf, "12");
}

static struct waitq wq;

struct waiter {
	char name;
	uint64_t deadline;
	bool woken;
	uint64_t at;
};

static void wait_on_wq(void *arg)
{
	struct waiter *w = arg;

	w->woken = waitq_wait(&wq, w->deadline);
	w->at = monotonic_ns();
	note(w->name);
}

TEST(sched_waitq_timeout_returns_false)
{
	struct waiter w = { 'T', 5 * MS, true, 0 };
	struct thread *t;

	setup();
	waitq_init(&wq);
	REQUIRE((t = thread_create("wq", wait_on_wq, &w)));
	CHECK_EQ(thread_join(t), 0);
	CHECK(!w.woken);
	CHECK_EQ(w.at, 5 * MS);
	/* The timed-out waiter left the queue: waking it is a no-op. */
	waitq_wake_all(&wq);
	CHECK_STR(log_buf, "T");
}

TEST(sched_waitq_wake_one_then_all)
{
	struct waiter w[] = {
		{ 'A', 0, false, 0 },
		{ 'B', 0, false, 0 },
		{ 'C', 0, false, 0 },
	};
	struct thread *t[3];

	setup();
	waitq_init(&wq);
	for (int i = 0; i < 3; i++)
		REQUIRE((t[i] = thread_create("wq", wait_on_wq, &w[i])));
	thread_yield(); /* all three wait */
	CHECK_STR(log_buf, "");
	waitq_wake_one(&wq);
	thread_yield();
	CHECK_STR(log_buf, "A"); /* the longest waiter, only */
	CHECK(w[0].woken);
	waitq_wake_all(&wq);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(thread_join(t[i]), 0);
	CHECK_STR(log_buf, "ABC");
	CHECK(w[1].woken && w[2].woken);
	waitq_wake_one(&wq); /* empty queue: nothing */
	CHECK_EQ(monotonic_ns(), 0);
}

TEST(sched_waitq_woken_before_timeout)
{
	struct waiter w = { 'W', 1000 * MS, false, 0 };
	struct thread *t;

	setup();
	waitq_init(&wq);
	REQUIRE((t = thread_create("wq", wait_on_wq, &w)));
	thread_yield();
	thread_sleep_ns(3 * MS);
	waitq_wake_one(&wq);
	CHECK_EQ(thread_join(t), 0);
	CHECK(w.woken);
	CHECK_EQ(w.at, 3 * MS);
	/* Its timer was cancelled: a later sleep is not cut short by it, and
	 * the clock does not run to 1000 ms. */
	thread_sleep_ns(10 * MS);
	CHECK_EQ(monotonic_ns(), 13 * MS);
}

static void wait_twice(void *arg)
{
	struct waiter *w = arg;

	w->woken = waitq_wait(&wq, 0);
	note(w->woken ? 'y' : 'n');
	/* Woken last time; this time nobody wakes it. */
	w->woken = waitq_wait(&wq, monotonic_ns() + 2 * MS);
	note(w->woken ? 'y' : 'n');
}

TEST(sched_waitq_result_is_per_wait)
{
	struct waiter w = { 'X', 0, false, 0 };
	struct thread *t;

	setup();
	waitq_init(&wq);
	REQUIRE((t = thread_create("wq", wait_twice, &w)));
	thread_yield();
	waitq_wake_one(&wq);
	CHECK_EQ(thread_join(t), 0);
	CHECK_STR(log_buf, "yn");
	CHECK_EQ(monotonic_ns(), 2 * MS);
}

static void quick_exit(void *arg)
{
	note((char)(uintptr_t)arg);
}

TEST(sched_join)
{
	struct thread *t;

	setup();
	CHECK_EQ(thread_join(thread_self()), -1);
	REQUIRE((t = thread_create("q", quick_exit, (void *)(uintptr_t)'x')));
	thread_yield(); /* it runs and exits before the join */
	CHECK_STR(log_buf, "x");
	CHECK_EQ(thread_count(), 2); /* exited, not yet joined */
	CHECK_EQ(thread_join(t), 0);
	CHECK_EQ(thread_count(), 1);
}

static void join_other(void *arg)
{
	CHECK_EQ(thread_join(arg), 0);
	note('j');
}

static void sleep_5ms(void *arg)
{
	(void)arg;
	thread_sleep_ns(5 * MS);
	note('s');
}

TEST(sched_join_from_another_thread)
{
	struct thread *sleeper, *joiner;

	setup();
	REQUIRE((sleeper = thread_create("s", sleep_5ms, NULL)));
	REQUIRE((joiner = thread_create("j", join_other, sleeper)));
	CHECK_EQ(thread_join(joiner), 0);
	CHECK_STR(log_buf, "sj");
}

TEST(sched_deadlock_panics)
{
	setup();
	REQUIRE(thread_create("stuck", block_then_note, NULL));
	console_clear();
	EXPECT_PANIC(thread_block(), "deadlock");
	CHECK_CONTAINS(console_text(), "every thread is blocked");
	CHECK_CONTAINS(console_text(), "'stuck' blocked");
	CHECK_CONTAINS(console_text(), "'boot' blocked");
}

TEST(sched_deadlock_on_waitq_without_timeout)
{
	setup();
	waitq_init(&wq);
	EXPECT_PANIC(waitq_wait(&wq, 0), "deadlock");
}

TEST(sched_boot_thread_cannot_exit)
{
	setup();
	EXPECT_PANIC(thread_exit(), "boot thread cannot exit");
}

TEST(sched_names_and_ids)
{
	struct thread *a, *b, *c;

	setup();
	REQUIRE((a = thread_create("worker", quick_exit,
				   (void *)(uintptr_t)'a')));
	REQUIRE((b = thread_create(NULL, quick_exit, (void *)(uintptr_t)'b')));
	REQUIRE((c = thread_create("a-very-long-thread-name-indeed",
				   quick_exit, (void *)(uintptr_t)'c')));
	CHECK_STR(thread_name(a), "worker");
	CHECK_STR(thread_name(b), "?");
	CHECK_STR(thread_name(c), "a-very-long-thread-name");
	CHECK_STR(thread_name(NULL), "(none)");
	CHECK_EQ(thread_id(a), 1);
	CHECK_EQ(thread_id(b), 2);
	CHECK_EQ(thread_id(c), 3);
	thread_join(a);
	thread_join(b);
	thread_join(c);
}

static unsigned int inits, finis, switches;
static int fail_init;
static struct thread *last_switch;

static int hook_init(struct thread *t)
{
	(void)t;
	inits++;
	return fail_init ? -1 : 0;
}

static void hook_fini(struct thread *t)
{
	CHECK(t == thread_self());
	finis++;
}

static void hook_switch(struct thread *next)
{
	switches++;
	last_switch = next;
}

static const struct sched_hooks hooks = { hook_init, hook_fini, hook_switch };

TEST(sched_hooks_are_called)
{
	struct thread *t;
	struct heap_stats before, after;

	setup();
	sched_set_hooks(&hooks);
	heap_get_stats(&before);
	fail_init = 1;
	CHECK(thread_create("no", quick_exit, (void *)(uintptr_t)'n') == NULL);
	heap_get_stats(&after);
	CHECK_EQ(after.used_bytes, before.used_bytes); /* nothing leaked */
	CHECK_EQ(thread_count(), 1);
	fail_init = 0;
	REQUIRE((t = thread_create("yes", quick_exit, (void *)(uintptr_t)'y')));
	CHECK_EQ(inits, 2);
	CHECK_EQ(thread_join(t), 0);
	CHECK_EQ(finis, 1);
	CHECK_EQ(switches, 2); /* to the thread, and back */
	CHECK(last_switch == thread_self());
	CHECK_STR(log_buf, "y");
	sched_set_hooks(NULL);
}

static void count_thread(struct thread *t, void *arg)
{
	(void)t;
	(*(unsigned int *)arg)++;
}

static uint64_t prng = 88172645463325252ULL;

static uint64_t next_rand(void)
{
	prng ^= prng << 13;
	prng ^= prng >> 7;
	prng ^= prng << 17;
	return prng;
}

static void busy(void *arg)
{
	for (int i = 0; i < 20; i++) {
		switch (next_rand() % 3) {
		case 0:
			thread_yield();
			break;
		case 1:
			thread_sleep_ns(next_rand() % (10 * MS));
			break;
		default:
			waitq_wait(&wq, monotonic_ns() + next_rand() % MS + 1);
			break;
		}
		if (next_rand() % 4 == 0)
			waitq_wake_one(&wq);
	}
	(*(unsigned int *)arg)++;
}

TEST(sched_many_threads)
{
	struct thread *t[100];
	struct heap_stats before, after;
	unsigned int done = 0, n = 0;

	setup();
	waitq_init(&wq);
	heap_get_stats(&before);
	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		REQUIRE((t[i] = thread_create("busy", busy, &done)));
	thread_for_each(count_thread, &n);
	CHECK_EQ(n, 101);
	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		CHECK_EQ(thread_join(t[i]), 0);
	CHECK_EQ(done, 100);
	CHECK_EQ(thread_count(), 1);
	CHECK_EQ(heap_check(), 0);
	heap_get_stats(&after);
	CHECK_EQ(after.used_bytes, before.used_bytes);
}

static uint64_t slept_until;

static void sleep_then_block(void *arg)
{
	(void)arg;
	thread_sleep_ns(100 * NSEC_PER_MSEC);
	slept_until = monotonic_ns();
	thread_block(); /* the wake that came during the sleep: no wait */
	note('s');
}

static void wake_other(void *arg)
{
	thread_sleep_ns(10 * NSEC_PER_MSEC);
	thread_wake(arg);
}

/* nanosleep must not return early when another thread wakes the
 * sleeper; that wake is kept for the sleeper's next thread_block(). */
TEST(sched_wake_does_not_cut_sleep_short)
{
	struct thread *s, *w;

	setup();
	REQUIRE((s = thread_create("sleeper", sleep_then_block, NULL)));
	REQUIRE((w = thread_create("waker", wake_other, s)));
	CHECK_EQ(thread_join(w), 0);
	CHECK_EQ(thread_join(s), 0);
	CHECK(slept_until >= 100 * NSEC_PER_MSEC);
	CHECK_STR(log_buf, "s");
}
