/*
 * tests/ike/check_ike_childless.c: childless IKE SAs (RFC 6023) against
 * the scripted peer.  Both ends announce N(CHILDLESS_IKEV2_SUPPORTED) in
 * IKE_SA_INIT; IKE_AUTH then carries no SA, TSi, TSr and the first
 * Child SA comes by CREATE_CHILD_SA, with its own KE when the ESP
 * proposals name a group:
 *   IKE_AUTH { IDi, AUTH, CP }  -->  <--  { IDr, AUTH, CP }
 *   CREATE_CHILD_SA { SA, Ni, [KEi], TSi, TSr }  -->
 *                               <--  { SA, Nr, [KEr], TSi, TSr }
 * The peer derives the Child SA's keys with its own code: equal keys on
 * both ends mean both followed §2.17 with the new nonces (and g^ir).
 */
#include <check.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "ike/ike_int.h"
#include "tests/check_util.h"
#include "tests/ike/sa_harness.h"

/* The engine's Child SA and the peer's are the two ends of one pair. */
static void
check_pair(void)
{
	const struct ike_child *c = &H.child, *pc = &H.peer->child;

	ck_assert_int_eq(H.nchild_up, 1);
	ck_assert(H.sa->child->up);
	ck_assert_uint_eq(c->replaces_spi_in, 0);
	ck_assert_uint_eq(c->spi_in, pc->spi_out);
	ck_assert_uint_eq(c->spi_out, pc->spi_in);
	ck_assert_uint_gt(c->encr_key_len, 0);
	ck_assert_uint_eq(c->encr_key_len, pc->encr_key_len);
	ck_assert_mem_eq(c->encr_key_in, pc->encr_key_out, c->encr_key_len);
	ck_assert_mem_eq(c->encr_key_out, pc->encr_key_in, c->encr_key_len);
	ck_assert_mem_eq(c->integ_key_in, pc->integ_key_out,
	    c->integ_key_len);
	ck_assert_int_eq(c->n_ts_remote, 1);
	ck_assert_int_eq(c->n_ts_local, 1);
}

/* auto, PFS groups in the ESP proposals (the defaults), gateway offers. */
START_TEST(childless_auto_pfs)
{
	static const uint16_t groups[] = { CRYPTO_KEX_CURVE25519,
	    CRYPTO_KEX_ECP256, CRYPTO_KEX_MODP2048 };

	h_init();
	H.conf.childless = IKE_CHILDLESS_AUTO;
	H.conf.esp.dh[0] = groups[_i];
	H.popts.childless = 1;
	h_established();
	ck_assert(H.peer->saw_childless);
	ck_assert_int_eq(H.peer->n_auth_sa, 0);
	ck_assert_int_eq(H.peer->n_auth_no_sa, 1);
	ck_assert_int_eq(H.peer->n_create, 1);
	ck_assert_int_eq(H.ncfg, 1);		/* CP stays in IKE_AUTH */
	check_pair();
	ck_assert(h_logged("(childless, RFC 6023)"));
	ck_assert(h_logged("creating a new CHILD_SA"));
	/* Its KE used the first group (PFS for the first Child SA). */
	ck_assert_uint_eq(H.sa->child_group, groups[_i]);
	ck_assert_int_eq(H.nclosed, 0);
	/* It rekeys like any other (§1.3.3): REKEY_SA names it. */
	h_clear_sent();
	H.now = H.sa->child->rekey_ms;
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now), 0);
	h_run();
	ck_assert_int_eq(H.nchild_up, 2);
	ck_assert_uint_eq(H.child.spi_in, H.peer->child.spi_out);
	ck_assert_uint_ne(H.child.replaces_spi_in, 0);
	ck_assert_int_eq(H.peer->n_create, 1);
	h_free();
}
END_TEST

/* auto without PFS: the Child SA rides in IKE_AUTH (a round trip less). */
START_TEST(childless_auto_no_pfs)
{
	h_init();
	H.conf.childless = IKE_CHILDLESS_AUTO;
	H.conf.esp.n_dh = 0;
	H.popts.childless = 1;
	h_established();
	ck_assert(H.peer->saw_childless);
	ck_assert_int_eq(H.peer->n_auth_sa, 1);
	ck_assert_int_eq(H.peer->n_create, 0);
	check_pair();
	h_free();
}
END_TEST

/* never (the default): no announcement, the Child SA in IKE_AUTH. */
START_TEST(childless_never)
{
	h_init();
	H.popts.childless = 1;
	h_established();
	ck_assert(!H.peer->saw_childless);
	ck_assert_int_eq(H.peer->n_auth_sa, 1);
	ck_assert_int_eq(H.peer->n_create, 0);
	check_pair();
	h_free();
}
END_TEST

/* auto, but the gateway does not offer it: regular IKE_AUTH. */
START_TEST(childless_auto_not_offered)
{
	h_init();
	H.conf.childless = IKE_CHILDLESS_AUTO;
	h_established();
	ck_assert(H.peer->saw_childless);
	ck_assert_int_eq(H.peer->n_auth_sa, 1);
	ck_assert_int_eq(H.peer->n_create, 0);
	check_pair();
	h_free();
}
END_TEST

/* force without PFS: childless all the same, no KE in the exchange. */
START_TEST(childless_force)
{
	h_init();
	H.conf.childless = IKE_CHILDLESS_FORCE;
	H.conf.esp.n_dh = 0;
	H.popts.childless = 1;
	h_established();
	ck_assert_int_eq(H.peer->n_auth_no_sa, 1);
	ck_assert_int_eq(H.peer->n_create, 1);
	ck_assert_uint_eq(H.sa->child_group, 0);
	check_pair();
	h_free();
}
END_TEST

/* force against a gateway that does not announce it: one clear line. */
START_TEST(childless_force_unsupported)
{
	h_init();
	H.conf.childless = IKE_CHILDLESS_FORCE;
	h_start();
	h_run();
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(H.close.reason, IR_ERR_NO_PROPOSAL);
	ck_assert(strstr(H.close.detail, "does not support childless") !=
	    NULL);
	ck_assert_int_eq(H.peer->n_auth_sa + H.peer->n_auth_no_sa, 0);
	ck_assert_int_eq(H.nchild_up, 0);
	h_free();
}
END_TEST

/*
 * auto without PFS asks for a Child SA in IKE_AUTH; a gateway that
 * accepts only childless IKE SAs answers without one: the Child SA then
 * comes by CREATE_CHILD_SA.
 */
START_TEST(childless_gateway_skips_child)
{
	h_init();
	H.conf.childless = IKE_CHILDLESS_AUTO;
	H.conf.esp.n_dh = 0;
	H.popts.childless = 2;
	h_established();
	ck_assert_int_eq(H.peer->n_auth_sa, 1);
	ck_assert_int_eq(H.peer->n_create, 1);
	ck_assert(h_logged("creating it with CREATE_CHILD_SA"));
	check_pair();
	h_free();
}
END_TEST

/* The same answer to a client that did not announce it: a failure. */
START_TEST(childless_never_gateway_skips_child)
{
	h_init();
	H.popts.childless = 2;
	h_start();
	h_run();
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(H.close.reason, IR_ERR_NO_PROPOSAL);
	ck_assert_int_eq(H.nchild_up, 0);
	h_free();
}
END_TEST

/* The first Child SA refused for good: the SA fails as in IKE_AUTH. */
START_TEST(childless_first_child_refused)
{
	static const struct { uint16_t notify; int reason; } c[] = {
		{ IKE_N_NO_PROPOSAL_CHOSEN, IR_ERR_NO_PROPOSAL },
		{ IKE_N_TS_UNACCEPTABLE, IR_ERR_TS },
	};

	h_init();
	H.conf.childless = IKE_CHILDLESS_FORCE;
	H.popts.childless = 1;
	H.popts.create_notify = c[_i].notify;
	h_start();
	h_run();
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(H.close.reason, c[_i].reason);
	ck_assert_uint_eq(H.close.notify, c[_i].notify);
	ck_assert_int_eq(H.nchild_up, 0);
	h_free();
}
END_TEST

/* TEMPORARY_FAILURE (§2.25): the IKE SA stays, the creation is retried. */
START_TEST(childless_first_child_tempfail)
{
	h_init();
	H.conf.childless = IKE_CHILDLESS_FORCE;
	H.popts.childless = 1;
	H.popts.create_notify = IKE_N_TEMPORARY_FAILURE;
	h_established();
	ck_assert_int_eq(H.nchild_up, 0);
	ck_assert_uint_ne(H.sa->cs->create_ms, UINT64_MAX);
	ck_assert_uint_le(ike_sa_deadline(H.sa), H.sa->cs->create_ms);
	H.peer->o.create_notify = 0;
	H.now = H.sa->cs->create_ms;
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now), 0);
	h_run();
	ck_assert_int_eq(H.nclosed, 0);
	check_pair();
	h_free();
}
END_TEST

/*
 * RFC 4478 AUTH_LIFETIME in the childless IKE_AUTH answer: reported
 * after the first child_up() (src/ takes it only from the session's
 * current SA, which a Child SA makes current).
 */
START_TEST(childless_auth_lifetime)
{
	h_init();
	H.conf.childless = IKE_CHILDLESS_FORCE;
	H.popts.childless = 1;
	H.popts.auth_lifetime = 600;
	h_established();
	check_pair();
	ck_assert_int_eq(H.nauth_lifetime, 1);
	ck_assert_uint_eq(H.auth_lifetime, 600);
	ck_assert_int_eq(H.auth_lifetime_ups, 1);
	h_free();
}
END_TEST

Suite *
ike_childless_suite(void)
{
	Suite *s = suite_create("ike_childless");
	TCase *tc = tcase_create("rfc6023");

	tcase_add_loop_test(tc, childless_auto_pfs, 0, 3);
	tcase_add_test(tc, childless_auto_no_pfs);
	tcase_add_test(tc, childless_never);
	tcase_add_test(tc, childless_auto_not_offered);
	tcase_add_test(tc, childless_force);
	tcase_add_test(tc, childless_force_unsupported);
	tcase_add_test(tc, childless_gateway_skips_child);
	tcase_add_test(tc, childless_never_gateway_skips_child);
	tcase_add_loop_test(tc, childless_first_child_refused, 0, 2);
	tcase_add_test(tc, childless_first_child_tempfail);
	tcase_add_test(tc, childless_auth_lifetime);
	suite_add_tcase(s, tc);
	return s;
}
