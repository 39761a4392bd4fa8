/*
 * tests/ike/check_ike_redirect.c: RFC 5685, the client side, against the
 * scripted peer: REDIRECT_SUPPORTED and REDIRECTED_FROM announced, a
 * REDIRECT followed in IKE_SA_INIT (§4.2, nonce checked), in IKE_AUTH
 * (§5, after the gateway's AUTH) and in an INFORMATIONAL (§6).
 */
#include <check.h>
#include <string.h>

#include "common/ir_err.h"
#include "ike/ike_int.h"
#include "tests/check_util.h"
#include "tests/ike/sa_harness.h"

static const uint8_t gw2[4] = { 198, 51, 100, 11 };

static void
check_target_gw2(const struct ike_gw_id *to)
{
	ck_assert_uint_eq(to->type, 1);
	ck_assert_uint_eq(to->len, 4);
	ck_assert_mem_eq(to->data, gw2, 4);
}

/* §4.1: announced only when enabled; §4.2: REDIRECTED_FROM in its place. */
START_TEST(init_announces)
{
	h_init();
	H.conf.redirect = _i != 0;
	if (_i == 2) {
		H.conf.redirected_from.type = 1;
		H.conf.redirected_from.len = 4;
		memcpy(H.conf.redirected_from.data,
		    (uint8_t[]){ 198, 51, 100, 10 }, 4);
	}
	h_established();
	ck_assert(H.peer->saw_redirect_sup == (_i == 1));
	if (_i == 2) {
		ck_assert_uint_eq(H.peer->redirected_from_len, 6);
		ck_assert_mem_eq(H.peer->redirected_from,
		    ((uint8_t[]){ 1, 4, 198, 51, 100, 10 }), 6);
	} else
		ck_assert_uint_eq(H.peer->redirected_from_len, 0);
	h_free();
}
END_TEST

/* §4.2: IKE_SA_INIT answered with N(REDIRECT) carrying our Ni. */
START_TEST(init_redirect_followed)
{
	h_init();
	H.conf.redirect = true;
	H.popts.redirect_init = 1;
	if (_i == 1)
		H.popts.redirect_fqdn = "gw2.vpn.test";
	h_start();
	h_run();
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(H.close.reason, IR_ERR_REDIRECT);
	ck_assert_uint_eq(H.close.notify, IKE_N_REDIRECT);
	if (_i == 1) {
		ck_assert_uint_eq(H.close.redirect.type, 3);
		ck_assert_uint_eq(H.close.redirect.len, 12);
		ck_assert_mem_eq(H.close.redirect.data, "gw2.vpn.test", 12);
	} else
		check_target_gw2(&H.close.redirect);
	ck_assert_int_eq(H.nsent, 1);		/* no IKE_AUTH */
	h_free();
}
END_TEST

/*
 * §4.2 and §9: a REDIRECT whose nonce is not our Ni, or one we never
 * asked for, is not followed: the attempt goes on (and times out here).
 */
START_TEST(init_redirect_refused)
{
	h_init();
	H.conf.redirect = _i == 0;
	H.popts.redirect_init = _i == 0 ? 2 : 1;
	h_start();
	h_run();
	ck_assert_int_eq(H.nclosed, 0);
	ck_assert(!ike_sa_established(H.sa));
	if (_i == 0)
		ck_assert(h_logged("its nonce is not ours"));
	H.now += 60000;
	ck_assert_int_ne(ike_sa_expire(H.sa, H.now), 0);
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_ne(H.close.reason, IR_ERR_REDIRECT);
	h_free();
}
END_TEST

/*
 * §5: the last IKE_AUTH answer carries the gateway's AUTH and
 * N(REDIRECT), no Child SA: verified, then the SA deleted, then closed()
 * with the target.  PSK, and EAP (the redirect after EAP_SUCCESS).
 */
START_TEST(auth_redirect_followed)
{
	if (_i == 1)
		h_init_eap();
	else
		h_init();
	H.conf.redirect = true;
	H.popts.redirect_auth = true;
	h_start();
	h_run();
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(H.close.reason, IR_ERR_REDIRECT);
	check_target_gw2(&H.close.redirect);
	ck_assert_int_eq(H.nchild_up, 0);
	ck_assert_int_eq(H.peer->ndel_ike, 1);
	ck_assert(h_logged("redirects us to 198.51.100.11 (IKE_AUTH)"));
	h_free();
}
END_TEST

/* §5: the same answer with a wrong AUTH is not followed. */
START_TEST(auth_redirect_unverified)
{
	h_init();
	H.conf.redirect = true;
	H.popts.redirect_auth = true;
	H.popts.psk = "not the secret";
	h_start();
	h_run();
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(H.close.reason, IR_ERR_AUTH);
	ck_assert_uint_eq(H.close.redirect.type, 0);
	h_free();
}
END_TEST

/*
 * §6: N(REDIRECT) in the gateway's INFORMATIONAL: answered, redirect()
 * told, the SA goes on until the caller closes it (make-before-break);
 * that close is a plain one.
 */
START_TEST(info_redirect_told)
{
	int n;

	h_init();
	H.conf.redirect = true;
	h_established();
	n = H.nsent;
	peer_info(H.peer, PEER_INFO_REDIRECT);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nsent, n + 1);
	ck_assert_int_eq(h_to_peer(n), 0);
	ck_assert(H.peer->m.hdr.flags & IKE_FLAG_RESPONSE);
	ck_assert_int_eq(H.nredirect, 1);
	check_target_gw2(&H.redirect);
	ck_assert(ike_sa_established(H.sa));
	ck_assert_int_eq(H.nclosed, 0);
	H.fed = H.nsent;
	ck_assert_int_eq(ike_sa_shutdown(H.sa, H.now), 0);
	h_run();
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(H.close.reason, IR_ERR_CLOSED);
	h_free();
}
END_TEST

/*
 * §6 and RFC 7296 §2.21.3: a malformed REDIRECT is answered with
 * INVALID_SYNTAX; one we did not announce support for is answered and
 * ignored.  Neither is followed.
 */
START_TEST(info_redirect_ignored)
{
	int n;

	h_init();
	H.conf.redirect = _i == 0;
	h_established();
	n = H.nsent;
	peer_info(H.peer, _i == 0 ? PEER_INFO_BAD_REDIRECT :
	    PEER_INFO_REDIRECT);
	(void)h_peer_to_sa();
	ck_assert_int_eq(H.nsent, n + 1);
	(void)h_to_peer(n);
	ck_assert(H.peer->m.hdr.flags & IKE_FLAG_RESPONSE);
	if (_i == 0) {
		ck_assert_int_eq(H.peer->m.nnotify, 1);
		ck_assert_uint_eq(H.peer->m.notify[0].type,
		    IKE_N_INVALID_SYNTAX);
	} else {
		ck_assert_int_eq(H.peer->m.nnotify, 0);
		ck_assert(h_logged("not enabled"));
	}
	ck_assert_int_eq(H.nredirect, 0);
	ck_assert(ike_sa_established(H.sa));
	ck_assert_int_eq(H.nclosed, 0);
	h_free();
}
END_TEST

/* §10: identities out of bounds or of unknown type are refused. */
START_TEST(parse_bounds)
{
	static const struct {
		uint8_t	 d[12];
		size_t	 len;
		int	 rv;
	} v[] = {
		{ { 1, 4, 1, 2, 3, 4 }, 6, 0 },
		{ { 1, 4, 1, 2, 3 }, 5, IR_ERR_MALFORMED },
		{ { 1, 3, 1, 2, 3 }, 5, IR_ERR_MALFORMED },
		{ { 2, 4, 1, 2, 3, 4 }, 6, IR_ERR_MALFORMED },
		{ { 3, 0 }, 2, IR_ERR_MALFORMED },
		{ { 3, 3, 'a', ' ', 'b' }, 5, IR_ERR_MALFORMED },
		{ { 3, 2, 'a', '.' }, 4, IR_ERR_MALFORMED },
		{ { 3, 3, 'a', '.', 'b' }, 5, 0 },
		{ { 9, 1, 0 }, 3, IR_ERR_UNSUPPORTED },
		{ { 1 }, 1, IR_ERR_MALFORMED },
		{ { 1, 4, 1, 2, 3, 4, 5 }, 7, IR_ERR_MALFORMED },
	};
	struct ike_pld_notify n;
	struct ike_gw_id gw;
	size_t i;

	for (i = 0; i < IR_ARRAY_LEN(v); i++) {
		memset(&n, 0, sizeof(n));
		n.type = IKE_N_REDIRECT;
		n.data.p = v[i].d;
		n.data.len = v[i].len;
		ck_assert_msg(ike_redirect_parse(&n, NULL, 0, &gw) == v[i].rv,
		    "case %zu", i);
	}
}
END_TEST

Suite *
ike_redirect_suite(void)
{
	Suite *s = suite_create("ike_redirect");
	TCase *tc = tcase_create("redirect");

	tcase_add_loop_test(tc, init_announces, 0, 3);
	tcase_add_loop_test(tc, init_redirect_followed, 0, 2);
	tcase_add_loop_test(tc, init_redirect_refused, 0, 2);
	tcase_add_loop_test(tc, auth_redirect_followed, 0, 2);
	tcase_add_test(tc, auth_redirect_unverified);
	tcase_add_test(tc, info_redirect_told);
	tcase_add_loop_test(tc, info_redirect_ignored, 0, 2);
	tcase_add_test(tc, parse_bounds);
	suite_add_tcase(s, tc);
	return s;
}
