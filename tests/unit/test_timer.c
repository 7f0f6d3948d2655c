/* kernel/timer.c: the deadline-ordered timer queue. */
#include <mica/timer.h>
#include "unit.h"

static struct timer_queue q;
static struct timer tm[8];
static int fired[16];
static unsigned int nfired;

static void record(struct timer *t)
{
	if (nfired < ARRAY_SIZE(fired))
		fired[nfired] = (int)(t - tm);
	nfired++;
}

static void setup(void)
{
	timerq_init(&q);
	nfired = 0;
	for (size_t i = 0; i < ARRAY_SIZE(tm); i++) {
		tm[i].fn = record;
		tm[i].armed = false;
	}
}

TEST(timer_fires_in_deadline_order)
{
	setup();
	timerq_arm(&q, &tm[0], 300);
	timerq_arm(&q, &tm[1], 100);
	timerq_arm(&q, &tm[2], 200);
	timerq_arm(&q, &tm[3], 50);
	CHECK_EQ(timerq_run(&q, 1000), 4);
	REQUIRE(nfired == 4);
	CHECK_EQ(fired[0], 3);
	CHECK_EQ(fired[1], 1);
	CHECK_EQ(fired[2], 2);
	CHECK_EQ(fired[3], 0);
	for (int i = 0; i < 4; i++)
		CHECK(!tm[i].armed);
	CHECK_EQ(timerq_next(&q), UINT64_MAX);
}

TEST(timer_equal_deadlines_fifo)
{
	setup();
	timerq_arm(&q, &tm[0], 100);
	timerq_arm(&q, &tm[1], 50);
	timerq_arm(&q, &tm[2], 100);
	timerq_arm(&q, &tm[3], 100);
	timerq_arm(&q, &tm[4], 50);
	CHECK_EQ(timerq_run(&q, 100), 5);
	REQUIRE(nfired == 5);
	CHECK_EQ(fired[0], 1);
	CHECK_EQ(fired[1], 4);
	CHECK_EQ(fired[2], 0);
	CHECK_EQ(fired[3], 2);
	CHECK_EQ(fired[4], 3);
}

TEST(timer_runs_only_due)
{
	setup();
	timerq_arm(&q, &tm[0], 10);
	timerq_arm(&q, &tm[1], 20);
	timerq_arm(&q, &tm[2], 30);
	CHECK_EQ(timerq_run(&q, 9), 0);
	CHECK_EQ(timerq_run(&q, 20), 2); /* a deadline equal to now is due */
	CHECK_EQ(timerq_next(&q), 30);
	CHECK(tm[2].armed);
	CHECK_EQ(timerq_run(&q, 29), 0);
	CHECK_EQ(timerq_run(&q, UINT64_MAX), 1);
	CHECK_EQ(nfired, 3);
}

TEST(timer_cancel)
{
	setup();
	timerq_arm(&q, &tm[0], 10);
	timerq_arm(&q, &tm[1], 20);
	timerq_arm(&q, &tm[2], 30);
	timerq_cancel(&tm[0]);
	CHECK(!tm[0].armed);
	CHECK_EQ(timerq_next(&q), 20);
	timerq_cancel(&tm[2]);
	timerq_cancel(&tm[2]); /* twice: harmless */
	timerq_cancel(&tm[5]); /* never armed: harmless */
	CHECK_EQ(timerq_run(&q, 100), 1);
	REQUIRE(nfired == 1);
	CHECK_EQ(fired[0], 1);
}

TEST(timer_rearm_moves)
{
	setup();
	timerq_arm(&q, &tm[0], 10);
	timerq_arm(&q, &tm[1], 20);
	timerq_arm(&q, &tm[0], 40); /* re-arm: not twice in the queue */
	CHECK_EQ(timerq_next(&q), 20);
	CHECK_EQ(timerq_run(&q, 100), 2);
	REQUIRE(nfired == 2);
	CHECK_EQ(fired[0], 1);
	CHECK_EQ(fired[1], 0);
}

TEST(timer_next_empty_and_min)
{
	setup();
	CHECK_EQ(timerq_next(&q), UINT64_MAX);
	timerq_arm(&q, &tm[0], 500);
	CHECK_EQ(timerq_next(&q), 500);
	timerq_arm(&q, &tm[1], 7);
	CHECK_EQ(timerq_next(&q), 7);
	timerq_arm(&q, &tm[2], UINT64_MAX - 1);
	CHECK_EQ(timerq_next(&q), 7);
}

static void rearm_later(struct timer *t)
{
	record(t);
	timerq_arm(&q, t, t->deadline_ns + 10);
}

TEST(timer_callback_may_rearm)
{
	setup();
	tm[0].fn = rearm_later;
	timerq_arm(&q, &tm[0], 10);
	CHECK_EQ(timerq_run(&q, 10), 1);
	CHECK(tm[0].armed);
	CHECK_EQ(timerq_next(&q), 20);
	/* Due again at 20 and 30: fires for each within one run. */
	CHECK_EQ(timerq_run(&q, 30), 2);
	CHECK_EQ(timerq_next(&q), 40);
}
