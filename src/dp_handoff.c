/*
 * src/dp_handoff.c: the lock-free snapshot handoff (see dp_handoff.h).
 *
 * Ordering: the producer fills a snapshot, then stores the pointer with
 * release; the consumer loads it with acquire, so it sees the contents.
 * The consumer stores the generation it moved to with release only
 * after it dropped every reference into the older snapshots; the
 * producer loads it with acquire before it frees them.  NULL is never
 * published (it has no header to carry a generation): "nothing to do"
 * is a snapshot too.
 */
#include <stddef.h>

#include "src/dp_handoff.h"

void
dp_handoff_init(struct dp_handoff *h,
    void (*free_snap)(void *ud, struct dp_snap_hdr *s), void *ud)
{
	atomic_init(&h->cur, NULL);
	atomic_init(&h->ack, 0);
	h->gen = 0;
	h->n_retired = 0;
	h->free_snap = free_snap;
	h->ud = ud;
}

uint64_t
dp_handoff_publish(struct dp_handoff *h, struct dp_snap_hdr *s)
{
	struct dp_snap_hdr *old;

	if (s == NULL)
		return 0;
	old = atomic_load_explicit(&h->cur, memory_order_relaxed);
	if (old != NULL && h->n_retired == DP_HANDOFF_RETIRED)
		return 0;
	s->gen = ++h->gen;
	atomic_store_explicit(&h->cur, s, memory_order_release);
	if (old != NULL)
		h->retired[h->n_retired++] = old;
	return s->gen;
}

uint64_t
dp_handoff_gen(const struct dp_handoff *h)
{
	return h->gen;
}

bool
dp_handoff_acked(struct dp_handoff *h, uint64_t gen)
{
	return atomic_load_explicit(&h->ack,
	    memory_order_acquire) >= gen;
}

unsigned
dp_handoff_reclaim(struct dp_handoff *h)
{
	uint64_t ack = atomic_load_explicit(&h->ack, memory_order_acquire);
	unsigned i, n = 0;

	/* Retired ones are older than what the consumer acknowledged
	 * once their generation is below it. */
	for (i = 0; i < h->n_retired; i++) {
		if (h->retired[i]->gen < ack)
			h->free_snap(h->ud, h->retired[i]);
		else
			h->retired[n++] = h->retired[i];
	}
	h->n_retired = n;
	return n;
}

struct dp_snap_hdr *
dp_handoff_cur(struct dp_handoff *h)
{
	return atomic_load_explicit(&h->cur,
	    memory_order_relaxed);
}

void
dp_handoff_clear(struct dp_handoff *h)
{
	struct dp_snap_hdr *cur;
	unsigned i;

	for (i = 0; i < h->n_retired; i++)
		h->free_snap(h->ud, h->retired[i]);
	h->n_retired = 0;
	cur = atomic_exchange_explicit(&h->cur, NULL, memory_order_acquire);
	if (cur != NULL)
		h->free_snap(h->ud, cur);
}

struct dp_snap_hdr *
dp_handoff_take(struct dp_handoff *h, struct dp_snap_hdr *mine, bool *moved)
{
	struct dp_snap_hdr *s = atomic_load_explicit(&h->cur,
	    memory_order_acquire);

	*moved = false;
	if (s != mine && s != NULL) {
		atomic_store_explicit(&h->ack, s->gen, memory_order_release);
		*moved = true;
	}
	return s;
}
