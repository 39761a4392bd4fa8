/*
 * tests/ike/check_ike_reauth.c: the gateway's AUTH_LIFETIME (RFC 4478
 * §3) against the scripted peer: from the IKE_AUTH answer and from an
 * INFORMATIONAL, to the caller, who reauthenticates (RFC 7296 §2.8.3)
 * before it runs out.  A notify of the wrong length is ignored.
 */
#include <check.h>
#include <string.h>

#include "common/ir_err.h"
#include "ike/ike_int.h"
#include "tests/check_util.h"
#include "tests/ike/sa_harness.h"

/* RFC 4478 §3: in the IKE_AUTH response, 4 octets of seconds. */
START_TEST(auth_lifetime_in_auth)
{
	h_init();
	H.popts.auth_lifetime = 20;
	h_established();
	ck_assert_int_eq(H.nauth_lifetime, 1);
	ck_assert_uint_eq(H.auth_lifetime, 20);
	ck_assert_int_eq(H.nchild_up, 1);
	ck_assert(h_logged("reauthenticate within 20 s"));
	h_free();
}
END_TEST

/* None announced: nothing told. */
START_TEST(auth_lifetime_none)
{
	h_init();
	h_established();
	ck_assert_int_eq(H.nauth_lifetime, 0);
	h_free();
}
END_TEST

/*
 * RFC 4478 §3: "... or in an INFORMATIONAL exchange": answered, told,
 * each one replacing the last; 3 octets: answered, ignored, the SA
 * stays.
 */
START_TEST(auth_lifetime_in_info)
{
	int n;

	h_init();
	h_established();
	H.peer->o.auth_lifetime = 3600;
	n = H.nsent;
	peer_info(H.peer, PEER_INFO_AUTH_LIFETIME);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nsent, n + 1);
	ck_assert_int_eq(h_to_peer(n), 0);
	ck_assert(H.peer->m.hdr.flags & IKE_FLAG_RESPONSE);
	ck_assert_int_eq(H.nauth_lifetime, 1);
	ck_assert_uint_eq(H.auth_lifetime, 3600);
	H.peer->o.auth_lifetime = 600;
	peer_info(H.peer, PEER_INFO_BAD_AUTH_LIFETIME);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nsent, n + 2);
	ck_assert_int_eq(h_to_peer(n + 1), 0);
	ck_assert_int_eq(H.nauth_lifetime, 1);
	ck_assert(h_logged("ignoring N(AUTH_LIFETIME) of 3 octets"));
	peer_info(H.peer, PEER_INFO_AUTH_LIFETIME);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nauth_lifetime, 2);
	ck_assert_uint_eq(H.auth_lifetime, 600);
	ck_assert(ike_sa_established(H.sa));
	ck_assert_int_eq(H.nclosed, 0);
	h_free();
}
END_TEST

Suite *
ike_reauth_suite(void)
{
	Suite *s = suite_create("ike_reauth");
	TCase *tc = tcase_create("auth_lifetime");

	tcase_add_test(tc, auth_lifetime_in_auth);
	tcase_add_test(tc, auth_lifetime_none);
	tcase_add_test(tc, auth_lifetime_in_info);
	suite_add_tcase(s, tc);
	return s;
}
