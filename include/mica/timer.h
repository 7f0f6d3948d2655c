/* Deadline-ordered timers, fired from the scheduler (never from IRQs). */
#ifndef MICA_TIMER_H
#define MICA_TIMER_H

#include <mica/list.h>
#include <mica/types.h>

struct timer {
	struct list_node node;
	uint64_t deadline_ns;
	void (*fn)(struct timer *t);
	bool armed;
};

struct timer_queue {
	struct list_node head;
};

void timerq_init(struct timer_queue *q);
void timerq_arm(struct timer_queue *q, struct timer *t, uint64_t deadline_ns);
void timerq_cancel(struct timer *t);
/* Earliest deadline, or UINT64_MAX when none is armed. */
uint64_t timerq_next(const struct timer_queue *q);
/* Fire every timer due at @now; returns how many fired. */
unsigned int timerq_run(struct timer_queue *q, uint64_t now);

#endif
