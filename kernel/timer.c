/* A deadline-sorted timer list. Short lists (a unikernel has few timers),
 * so an ordered insert is simpler and as fast as a heap. */
#include <mica/timer.h>

void timerq_init(struct timer_queue *q)
{
	list_init(&q->head);
}

void timerq_cancel(struct timer *t)
{
	if (t->armed) {
		list_remove(&t->node);
		t->armed = false;
	}
}

void timerq_arm(struct timer_queue *q, struct timer *t, uint64_t deadline_ns)
{
	struct list_node *pos;

	timerq_cancel(t);
	t->deadline_ns = deadline_ns;
	/* After every timer with an equal deadline: equal ones fire FIFO. */
	list_for_each(pos, &q->head) {
		if (container_of(pos, struct timer, node)->deadline_ns >
		    deadline_ns)
			break;
	}
	list_insert_before(pos, &t->node);
	t->armed = true;
}

uint64_t timerq_next(const struct timer_queue *q)
{
	if (list_empty(&q->head))
		return UINT64_MAX;
	return container_of(q->head.next, struct timer, node)->deadline_ns;
}

unsigned int timerq_run(struct timer_queue *q, uint64_t now)
{
	unsigned int fired = 0;

	while (!list_empty(&q->head)) {
		struct timer *t = container_of(q->head.next, struct timer, node);

		if (t->deadline_ns > now)
			break;
		timerq_cancel(t);
		fired++;
		t->fn(t);
	}
	return fired;
}
