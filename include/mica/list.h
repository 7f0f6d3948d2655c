/* Intrusive doubly linked lists (circular, with a head node). */
#ifndef MICA_LIST_H
#define MICA_LIST_H

#include <mica/types.h>

struct list_node {
	struct list_node *next, *prev;
};

#define LIST_HEAD_INIT(name) { &(name), &(name) }

static inline void list_init(struct list_node *head)
{
	head->next = head->prev = head;
}

static inline bool list_empty(const struct list_node *head)
{
	return head->next == head;
}

static inline void list_insert_between(struct list_node *n,
				       struct list_node *prev,
				       struct list_node *next)
{
	n->prev = prev;
	n->next = next;
	prev->next = n;
	next->prev = n;
}

/* Insert @n before @pos (at the tail when @pos is the head). */
static inline void list_insert_before(struct list_node *pos,
				      struct list_node *n)
{
	list_insert_between(n, pos->prev, pos);
}

static inline void list_push_back(struct list_node *head, struct list_node *n)
{
	list_insert_before(head, n);
}

static inline void list_remove(struct list_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = n;
}

static inline struct list_node *list_pop_front(struct list_node *head)
{
	struct list_node *n = head->next;

	if (n == head)
		return NULL;
	list_remove(n);
	return n;
}

#define list_for_each(pos, head)                                               \
	for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

#endif
