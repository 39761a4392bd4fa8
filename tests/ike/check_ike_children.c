/*
 * tests/ike/check_ike_children.c: several Child SAs when the gateway
 * narrows our traffic selectors (RFC 7296 §2.9).  We ask for two remote
 * networks; the scripted peer answers with the first only, as strongSwan
 * does when two child configs each hold one: the rest is asked for by
 * CREATE_CHILD_SA { SA, Ni, [KEi], TSi, TSr(rest) }.  Each Child SA is
 * rekeyed, deleted and remade on its own.  IPv4, IPv6 and both.
 */
#include <check.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "ike/ike_int.h"
#include "tests/check_util.h"
#include "tests/ike/sa_harness.h"

static void
ts4(struct ike_ts *t, uint8_t b)	/* 10.b.0.0/16 */
{
	memset(t, 0, sizeof(*t));
	t->type = IKE_TST_IPV4_ADDR_RANGE;
	t->port_hi = 0xffff;
	t->start[0] = t->end[0] = 10;
	t->start[1] = t->end[1] = b;
	t->end[2] = t->end[3] = 0xff;
}

static void
ts6(struct ike_ts *t, uint8_t b)	/* 2001:db8:b::/48 */
{
	memset(t, 0, sizeof(*t));
	t->type = IKE_TST_IPV6_ADDR_RANGE;
	t->port_hi = 0xffff;
	t->start[0] = t->end[0] = 0x20;
	t->start[1] = t->end[1] = 0x01;
	t->start[2] = t->end[2] = 0x0d;
	t->start[3] = t->end[3] = 0xb8;
	t->start[5] = t->end[5] = b;
	memset(t->end + 6, 0xff, 10);
}

/* Case |k|: 0 two IPv4 networks, 1 two IPv6, 2 one of each. */
static void
two_nets(int k)
{
	h_init();
	if (k == 0) {
		ts4(&H.conf.ts_remote[0], 1);
		ts4(&H.conf.ts_remote[1], 2);
	} else if (k == 1) {
		ts6(&H.conf.ts_remote[0], 1);
		ts6(&H.conf.ts_remote[1], 2);
	} else {
		ts4(&H.conf.ts_remote[0], 1);
		ts6(&H.conf.ts_remote[1], 2);
	}
	H.conf.n_ts_remote = 2;
}

/* Our Child SA |c| with the peer's |pc|: one pair, same keys. */
static void
check_pair(const struct ike_child *c, const struct ike_child *pc)
{
	ck_assert_uint_eq(c->spi_in, pc->spi_out);
	ck_assert_uint_eq(c->spi_out, pc->spi_in);
	ck_assert_uint_gt(c->encr_key_len, 0);
	ck_assert_mem_eq(c->encr_key_in, pc->encr_key_out, c->encr_key_len);
	ck_assert_mem_eq(c->encr_key_out, pc->encr_key_in, c->encr_key_len);
}

/* |c| covers exactly conf.ts_remote[|i|]. */
static void
check_ts(const struct ike_child *c, int i)
{
	ck_assert_int_eq(c->n_ts_remote, 1);
	ck_assert_mem_eq(&c->ts_remote[0], &H.conf.ts_remote[i],
	    sizeof(struct ike_ts));
}

/* Up: the first network in IKE_AUTH (or the first CREATE_CHILD_SA),
 * the second in a CREATE_CHILD_SA of its own. */
static void
check_two_up(void)
{
	ck_assert_int_eq(H.nclosed, 0);
	ck_assert_int_eq(H.nchild_up, 2);
	ck_assert_int_eq(H.peer->nkids, 2);
	check_ts(&H.ups[0], 0);
	check_ts(&H.ups[1], 1);
	check_pair(&H.ups[0], &H.peer->kids[0]);
	check_pair(&H.ups[1], &H.peer->kids[1]);
	ck_assert_uint_ne(H.ups[0].spi_in, H.ups[1].spi_in);
	ck_assert_uint_eq(H.ups[1].replaces_spi_in, 0);
	ck_assert(h_logged("asking for the other 1 in another CHILD_SA"));
}

START_TEST(narrowed_two_children)
{
	two_nets(_i);
	h_established();
	check_two_up();
	ck_assert_int_eq(H.peer->n_create, 1);
	/* Nothing more to ask: no third exchange, no timer for one. */
	ck_assert_uint_eq(H.sa->slot[2].used, false);
	h_free();
}
END_TEST

/* Childless (RFC 6023) too: two CREATE_CHILD_SAs after IKE_AUTH. */
START_TEST(narrowed_childless)
{
	two_nets(_i);
	H.conf.childless = IKE_CHILDLESS_FORCE;
	H.popts.childless = 1;
	h_established();
	check_two_up();
	ck_assert_int_eq(H.peer->n_create, 2);
	h_free();
}
END_TEST

/* What covers all we asked for leaves nothing to ask again: 10.1/16
 * holds 10.1.2.0/24. */
START_TEST(covered_one_child)
{
	two_nets(0);
	H.conf.ts_remote[1] = H.conf.ts_remote[0];
	H.conf.ts_remote[1].start[2] = H.conf.ts_remote[1].end[2] = 2;
	h_established();
	ck_assert_int_eq(H.nchild_up, 1);
	ck_assert_int_eq(H.peer->n_create, 0);
	ck_assert(!h_logged("asking for the other"));
	h_free();
}
END_TEST

/* Each rekeyed on its own (§1.3.3): REKEY_SA names the right SPI, the
 * other Child SA stays as it is, the selectors stay. */
START_TEST(rekey_each)
{
	struct ike_child a, b;

	two_nets(_i);
	h_established();
	check_two_up();
	a = H.ups[0];
	b = H.ups[1];
	h_clear_sent();
	ck_assert_int_eq(ike_sa_rekey_child(H.sa, b.spi_in, H.now), 0);
	h_run();
	ck_assert_int_eq(H.nchild_up, 3);
	ck_assert_uint_eq(H.child.replaces_spi_in, b.spi_in);
	check_ts(&H.child, 1);
	check_pair(&H.child, &H.peer->kids[1]);
	ck_assert_uint_eq(H.peer->kids[0].spi_out, a.spi_in);
	ck_assert_uint_eq(H.peer->ndel_esp, 1);
	ck_assert_uint_eq(H.peer->del_esp_spi, b.spi_in);
	ck_assert_ptr_nonnull(ike_slot_find(H.sa, a.spi_in, false));
	ck_assert_ptr_null(ike_slot_find(H.sa, b.spi_in, false));
	/* Then the first one, by its timer. */
	h_clear_sent();
	H.now = H.sa->slot[0].sa.rekey_ms;
	ike_sa_traffic_seen(H.sa, H.now);
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now), 0);
	h_run();
	ck_assert_int_eq(H.nchild_up, 4);
	ck_assert_uint_eq(H.child.replaces_spi_in, a.spi_in);
	check_ts(&H.child, 0);
	check_pair(&H.child, &H.peer->kids[0]);
	ck_assert_int_eq(H.nclosed, 0);
	h_free();
}
END_TEST

/* The gateway rekeys the second (§1.3.3 its way): no collision with a
 * rekey of ours of the first in flight. */
START_TEST(gateway_rekeys_second)
{
	struct ike_child a, b;

	two_nets(_i);
	h_established();
	check_two_up();
	a = H.ups[0];
	b = H.ups[1];
	h_clear_sent();
	ck_assert_int_eq(ike_sa_rekey_child(H.sa, a.spi_in, H.now), 0);
	H.peer->child = H.peer->kids[1];
	ck_assert_int_eq(peer_rekey_child(H.peer, 0, 0), 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);	/* answered at once */
	ck_assert_int_eq(H.nchild_up, 3);
	ck_assert_uint_eq(H.child.replaces_spi_in, b.spi_in);
	check_ts(&H.child, 1);
	ck_assert(!h_logged("collision"));
	h_run();
	ck_assert_int_eq(H.nchild_up, 4);
	ck_assert_uint_eq(H.child.replaces_spi_in, a.spi_in);
	check_ts(&H.child, 0);
	ck_assert_int_eq(H.nclosed, 0);
	h_free();
}
END_TEST

/* The gateway deletes the second: it is made again for its selectors. */
START_TEST(gateway_deletes_second)
{
	struct ike_child a, b;

	two_nets(_i);
	h_established();
	check_two_up();
	a = H.ups[0];
	b = H.ups[1];
	h_clear_sent();
	ck_assert_int_eq(peer_delete_esp(H.peer, H.peer->kids[1].spi_in), 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.ndown, 1);
	ck_assert_uint_eq(H.down_spi, b.spi_in);
	h_run();
	ck_assert_int_eq(H.nchild_up, 3);
	ck_assert_uint_eq(H.child.replaces_spi_in, 0);
	check_ts(&H.child, 1);
	ck_assert_int_eq(H.peer->n_create, 2);
	ck_assert_ptr_nonnull(ike_slot_find(H.sa, a.spi_in, false));
	ck_assert_int_eq(H.nclosed, 0);
	h_free();
}
END_TEST

/* The rest refused for good: one Child SA, the IKE SA stays, no retry. */
START_TEST(rest_refused)
{
	two_nets(0);
	H.popts.create_notify = IKE_N_TS_UNACCEPTABLE;
	h_established();
	ck_assert_int_eq(H.nchild_up, 1);
	check_ts(&H.ups[0], 0);
	ck_assert(h_logged("refused a Child SA for the rest"));
	ck_assert(!H.sa->slot[1].used);
	ck_assert_uint_ge(ike_sa_deadline(H.sa), H.sa->slot[0].sa.rekey_ms <
	    H.now + 30000 ? H.sa->slot[0].sa.rekey_ms : H.now + 30000);
	ck_assert_int_eq(H.nclosed, 0);
	h_free();
}
END_TEST

/* Closing reports every Child SA down. */
START_TEST(close_downs_all)
{
	two_nets(0);
	h_established();
	check_two_up();
	ck_assert_int_eq(ike_sa_shutdown(H.sa, H.now), 0);
	h_run();
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(H.ndown, 2);
	h_free();
}
END_TEST

Suite *
ike_children_suite(void)
{
	Suite *s = suite_create("ike_children");
	TCase *tc = tcase_create("narrowed");

	tcase_add_loop_test(tc, narrowed_two_children, 0, 3);
	tcase_add_loop_test(tc, narrowed_childless, 0, 3);
	tcase_add_test(tc, covered_one_child);
	tcase_add_loop_test(tc, rekey_each, 0, 3);
	tcase_add_loop_test(tc, gateway_rekeys_second, 0, 3);
	tcase_add_loop_test(tc, gateway_deletes_second, 0, 3);
	tcase_add_test(tc, rest_refused);
	tcase_add_test(tc, close_downs_all);
	suite_add_tcase(s, tc);
	return s;
}
