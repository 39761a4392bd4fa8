/* tests/src/check_dp_handoff.c: the outbound thread's snapshot handoff
 * (src/dp_handoff.c): a fake worker driven step by step, then a real
 * thread against the producer (run under ASan/TSan too). */
#include <check.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#include "src/dp_handoff.h"

struct snap {
	struct dp_snap_hdr	 hdr;
	unsigned		 payload;
	bool			 stop;
	bool			*freed;		/* set by snap_free */
};

static unsigned n_freed;

static void
snap_free(void *ud, struct dp_snap_hdr *h)
{
	struct snap *s = (struct snap *)h;

	(void)ud;
	if (s->freed != NULL)
		*s->freed = true;
	n_freed++;
	free(s);
}

static struct snap *
mk(unsigned payload, bool *freed)
{
	struct snap *s = calloc(1, sizeof(*s));

	ck_assert_ptr_nonnull(s);
	s->payload = payload;
	s->freed = freed;
	return s;
}

START_TEST(freed_only_after_the_worker_moved_on)
{
	struct dp_handoff h;
	struct dp_snap_hdr *mine = NULL;
	bool fa = false, fb = false, moved;
	struct snap *a = mk(1, &fa), *b = mk(2, &fb);

	n_freed = 0;
	dp_handoff_init(&h, snap_free, NULL);
	/* Nothing published: the worker has nothing, acknowledges nothing. */
	ck_assert_ptr_null(dp_handoff_take(&h, NULL, &moved));
	ck_assert(!moved);
	ck_assert_uint_eq(dp_handoff_publish(&h, &a->hdr), 1);
	ck_assert(!dp_handoff_acked(&h, 1));
	mine = dp_handoff_take(&h, mine, &moved);
	ck_assert_ptr_eq(mine, &a->hdr);
	ck_assert(moved);
	ck_assert(dp_handoff_acked(&h, 1));
	/* Taking again without news: no move. */
	ck_assert_ptr_eq(dp_handoff_take(&h, mine, &moved), &a->hdr);
	ck_assert(!moved);
	/* B replaces A; the worker still runs on A: A stays. */
	ck_assert_uint_eq(dp_handoff_publish(&h, &b->hdr), 2);
	ck_assert_uint_eq(dp_handoff_reclaim(&h), 1);
	ck_assert(!fa);
	ck_assert(!dp_handoff_acked(&h, 2));
	/* The worker moves to B: A may go, B stays (it is current). */
	mine = dp_handoff_take(&h, mine, &moved);
	ck_assert_ptr_eq(mine, &b->hdr);
	ck_assert(moved);
	ck_assert(dp_handoff_acked(&h, 2));
	ck_assert_uint_eq(dp_handoff_reclaim(&h), 0);
	ck_assert(fa);
	ck_assert(!fb);
	ck_assert_ptr_eq(dp_handoff_cur(&h), &b->hdr);
	dp_handoff_clear(&h);
	ck_assert(fb);
	ck_assert_uint_eq(n_freed, 2);
}
END_TEST

START_TEST(bounded_retired_list)
{
	struct dp_handoff h;
	struct dp_snap_hdr *mine = NULL;
	struct snap *s;
	bool moved;
	unsigned i;

	n_freed = 0;
	dp_handoff_init(&h, snap_free, NULL);
	mine = NULL;
	/* The worker took the first and then sleeps. */
	ck_assert_uint_eq(dp_handoff_publish(&h, &mk(0, NULL)->hdr), 1);
	mine = dp_handoff_take(&h, mine, &moved);
	for (i = 1; i <= DP_HANDOFF_RETIRED; i++)
		ck_assert_uint_eq(dp_handoff_publish(&h, &mk(i, NULL)->hdr),
		    i + 1);
	/* Full: refused, nothing changed; the caller waits. */
	s = mk(99, NULL);
	ck_assert_uint_eq(dp_handoff_publish(&h, &s->hdr), 0);
	ck_assert_uint_eq(dp_handoff_gen(&h), DP_HANDOFF_RETIRED + 1);
	ck_assert_uint_eq(dp_handoff_reclaim(&h), DP_HANDOFF_RETIRED);
	ck_assert_uint_eq(n_freed, 0);
	/* The worker jumps straight to the newest: all retired go. */
	mine = dp_handoff_take(&h, mine, &moved);
	ck_assert_uint_eq(((struct snap *)mine)->payload, DP_HANDOFF_RETIRED);
	ck_assert(dp_handoff_acked(&h, dp_handoff_gen(&h)));
	ck_assert_uint_eq(dp_handoff_reclaim(&h), 0);
	ck_assert_uint_eq(n_freed, DP_HANDOFF_RETIRED);
	ck_assert_uint_ne(dp_handoff_publish(&h, &s->hdr), 0);
	dp_handoff_clear(&h);
	ck_assert_uint_eq(n_freed, DP_HANDOFF_RETIRED + 2);
	ck_assert_ptr_null(dp_handoff_cur(&h));
}
END_TEST

START_TEST(null_is_never_published)
{
	struct dp_handoff h;

	dp_handoff_init(&h, snap_free, NULL);
	ck_assert_uint_eq(dp_handoff_publish(&h, NULL), 0);
	ck_assert_ptr_null(dp_handoff_cur(&h));
	ck_assert_uint_eq(dp_handoff_gen(&h), 0);
}
END_TEST

/* A real consumer: every snapshot it sees is whole (payload matches
 * its generation) and alive (ASan, and the freed flag, say so). */
static struct dp_handoff th;
static unsigned seen, bad;

static void *
consumer(void *arg)
{
	struct dp_snap_hdr *mine = NULL;
	struct snap *s;
	bool moved, freed_flag;
	unsigned spins;

	(void)arg;
	for (spins = 0; spins < 50000000u; spins++) {
		mine = dp_handoff_take(&th, mine, &moved);
		if (mine == NULL)
			continue;
		s = (struct snap *)mine;
		freed_flag = s->freed != NULL && *s->freed;
		if (s->payload != (unsigned)s->hdr.gen * 7u || freed_flag)
			bad++;
		if (moved)
			seen++;
		if (s->stop)
			break;
		if (spins % 64 == 0)
			sched_yield();
	}
	return NULL;
}

START_TEST(a_real_thread)
{
	pthread_t t;
	struct snap *s;
	unsigned i, rounds;

	n_freed = 0;
	seen = bad = 0;
	dp_handoff_init(&th, snap_free, NULL);
	ck_assert_int_eq(pthread_create(&t, NULL, consumer, NULL), 0);
	for (i = 1; i <= 20000; i++) {
		s = mk(0, NULL);
		s->payload = i * 7u;	/* the generation it will get */
		s->stop = i == 20000;
		for (rounds = 0; dp_handoff_publish(&th, &s->hdr) == 0 &&
		    rounds < 10000000u; rounds++) {
			(void)dp_handoff_reclaim(&th);
			sched_yield();
		}
		(void)dp_handoff_reclaim(&th);
	}
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert(dp_handoff_acked(&th, 20000));
	ck_assert_uint_eq(dp_handoff_reclaim(&th), 0);
	dp_handoff_clear(&th);
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_ge(seen, 1);
	ck_assert_uint_eq(n_freed, 20000);
}
END_TEST

Suite *
dp_handoff_suite(void)
{
	Suite *s = suite_create("dp_handoff");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, freed_only_after_the_worker_moved_on);
	tcase_add_test(tc, bounded_retired_list);
	tcase_add_test(tc, null_is_never_published);
	tcase_add_test(tc, a_real_thread);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
