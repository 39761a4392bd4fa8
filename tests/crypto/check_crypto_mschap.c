/*
 * tests/crypto/check_crypto_mschap.c: EAP-MSCHAPv2 (crypto_mschap.h)
 * against RFC 2759 §9.2, RFC 3079 §3.5.3 and the strongSwan EAP run in
 * tests/vectors/strongswan-eap-udp/.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ir_err.h"
#include "crypto/crypto_mschap.h"
#include "tests/check_util.h"

#define EAP_DIR	"strongswan-eap-udp/aesgcm128-prfsha256-x25519"

/*
 * RFC 2759 §9.2 ("Examples of MS-CHAP-V2 Values"), user "User", password
 * "clientPass".  The values were recomputed independently with the pure
 * Python MD4 and DES of the vectors' tools/verify.py before going in.
 */
static const char rfc_auth_chal[] = "5B5D7C7D7B3F2F3E3C2C602132262628";
static const char rfc_peer_chal[] = "21402324255E262A28295F2B3A337C7E";
static const char rfc_nt_resp[] =
    "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF";
static const char rfc_auth_resp[] = "S=407A5589115FD0D6209F510FE9C04566932CDA56";
/* RFC 3079 §3.5.3: the server's 128-bit send start key, which is the
 * client's receive key, the second half of our MSK. */
static const char rfc_recv_key[] = "8B7CDC149B993A1BA118CB153F56DCCB";

static struct crypto_mschap *
new_mschap(void)
{
	struct crypto_mschap *m;

	ck_assert_int_eq(crypto_mschap_new(&m), 0);
	return m;
}

#define S(str)	(str), strlen(str)

START_TEST(mschap_rfc2759_nt_response)
{
	struct crypto_mschap *m = new_mschap();
	uint8_t nt[CRYPTO_MSCHAP_NT_RESPONSE_LEN];

	ck_assert_int_eq(crypto_mschap_nt_response(m, t_hex(rfc_auth_chal).p,
	    t_hex(rfc_peer_chal).p, S("User"), S("clientPass"), nt), 0);
	ck_assert_mem_eq(nt, t_hex(rfc_nt_resp).p, sizeof(nt));
	/* RFC 2759 §4: a domain prefix is not hashed. */
	ck_assert_int_eq(crypto_mschap_nt_response(m, t_hex(rfc_auth_chal).p,
	    t_hex(rfc_peer_chal).p, S("BIGCO\\User"), S("clientPass"), nt), 0);
	ck_assert_mem_eq(nt, t_hex(rfc_nt_resp).p, sizeof(nt));
	/* One character of the password off: another response. */
	ck_assert_int_eq(crypto_mschap_nt_response(m, t_hex(rfc_auth_chal).p,
	    t_hex(rfc_peer_chal).p, S("User"), S("clientPasS"), nt), 0);
	ck_assert(memcmp(nt, t_hex(rfc_nt_resp).p, sizeof(nt)) != 0);
	crypto_mschap_free(m);
}
END_TEST

START_TEST(mschap_rfc2759_auth_response)
{
	struct crypto_mschap *m = new_mschap();
	char s[CRYPTO_MSCHAP_AUTH_RESPONSE_LEN + 1];
	char msg[64];

	ck_assert_int_eq(crypto_mschap_auth_response(m, t_hex(rfc_auth_chal).p,
	    t_hex(rfc_peer_chal).p, t_hex(rfc_nt_resp).p, S("User"),
	    S("clientPass"), s), 0);
	ck_assert_str_eq(s, rfc_auth_resp);

	ck_assert_int_eq(crypto_mschap_auth_check(m, t_hex(rfc_auth_chal).p,
	    t_hex(rfc_peer_chal).p, t_hex(rfc_nt_resp).p, S("User"),
	    S("clientPass"), (const uint8_t *)S(rfc_auth_resp)), 0);
	/* Lowercase hex is the same number. */
	snprintf(msg, sizeof(msg), "S=407a5589115fd0d6209f510fe9c04566932cda56"
	    " M=ok");
	ck_assert_int_eq(crypto_mschap_auth_check(m, t_hex(rfc_auth_chal).p,
	    t_hex(rfc_peer_chal).p, t_hex(rfc_nt_resp).p, S("User"),
	    S("clientPass"), (const uint8_t *)S(msg)), 0);
	/* Last digit changed: a forged success. */
	snprintf(msg, sizeof(msg), "%.41s7", rfc_auth_resp);
	ck_assert_int_eq(crypto_mschap_auth_check(m, t_hex(rfc_auth_chal).p,
	    t_hex(rfc_peer_chal).p, t_hex(rfc_nt_resp).p, S("User"),
	    S("clientPass"), (const uint8_t *)S(msg)), IR_ERR_AUTH);
	/* The right message with the wrong password. */
	ck_assert_int_eq(crypto_mschap_auth_check(m, t_hex(rfc_auth_chal).p,
	    t_hex(rfc_peer_chal).p, t_hex(rfc_nt_resp).p, S("User"),
	    S("clientpass"), (const uint8_t *)S(rfc_auth_resp)), IR_ERR_AUTH);
	/* Not of the form "S=<40 hex>". */
	ck_assert_int_eq(crypto_mschap_auth_check(m, t_hex(rfc_auth_chal).p,
	    t_hex(rfc_peer_chal).p, t_hex(rfc_nt_resp).p, S("User"),
	    S("clientPass"), (const uint8_t *)rfc_auth_resp, 41),
	    IR_ERR_MALFORMED);
	snprintf(msg, sizeof(msg), "S=407A5589115FD0D6209F510FE9C04566932CDA5G");
	ck_assert_int_eq(crypto_mschap_auth_check(m, t_hex(rfc_auth_chal).p,
	    t_hex(rfc_peer_chal).p, t_hex(rfc_nt_resp).p, S("User"),
	    S("clientPass"), (const uint8_t *)S(msg)), IR_ERR_MALFORMED);
	crypto_mschap_free(m);
}
END_TEST

START_TEST(mschap_rfc3079_keys)
{
	struct crypto_mschap *m = new_mschap();
	uint8_t msk[CRYPTO_MSCHAP_MSK_LEN], zero[32];

	memset(zero, 0, sizeof(zero));
	ck_assert_int_eq(crypto_mschap_msk(m, t_hex(rfc_nt_resp).p,
	    S("clientPass"), msk), 0);
	ck_assert_mem_eq(msk + 16, t_hex(rfc_recv_key).p, 16);
	ck_assert_mem_eq(msk + 32, zero, 32);
	crypto_mschap_free(m);
}
END_TEST

/* The real EAP-MSCHAPv2 run between strongSwan's charon-cmd and charon. */
START_TEST(mschap_strongswan_run)
{
	struct crypto_mschap *m = new_mschap();
	struct tbuf ac = t_vec_key(EAP_DIR, "MSCHAPV2_auth_challenge");
	struct tbuf pc = t_vec_key(EAP_DIR, "MSCHAPV2_peer_challenge");
	struct tbuf ntr = t_vec_key(EAP_DIR, "MSCHAPV2_nt_response");
	struct tbuf name = t_vec_key(EAP_DIR, "MSCHAPV2_name");
	struct tbuf pw = t_vec_key(EAP_DIR, "EAP_password");
	struct tbuf succ = t_vec_key(EAP_DIR, "MSCHAPV2_success_message");
	struct tbuf want_msk = t_vec_key(EAP_DIR, "MSK");
	char s[CRYPTO_MSCHAP_AUTH_RESPONSE_LEN + 1];
	uint8_t nt[CRYPTO_MSCHAP_NT_RESPONSE_LEN], msk[CRYPTO_MSCHAP_MSK_LEN];

	ck_assert_uint_eq(ntr.len, sizeof(nt));
	ck_assert_uint_eq(want_msk.len, sizeof(msk));
	ck_assert_int_eq(crypto_mschap_nt_response(m, ac.p, pc.p,
	    (const char *)name.p, name.len, (const char *)pw.p, pw.len, nt), 0);
	ck_assert_mem_eq(nt, ntr.p, sizeof(nt));

	ck_assert_int_eq(crypto_mschap_auth_response(m, ac.p, pc.p, nt,
	    (const char *)name.p, name.len, (const char *)pw.p, pw.len, s), 0);
	ck_assert_mem_eq(s, succ.p, CRYPTO_MSCHAP_AUTH_RESPONSE_LEN);
	/* The whole Success message, " M=Welcome2strongSwan" and NUL too. */
	ck_assert_int_eq(crypto_mschap_auth_check(m, ac.p, pc.p, nt,
	    (const char *)name.p, name.len, (const char *)pw.p, pw.len,
	    succ.p, succ.len), 0);

	ck_assert_int_eq(crypto_mschap_msk(m, nt, (const char *)pw.p, pw.len,
	    msk), 0);
	ck_assert_mem_eq(msk, want_msk.p, sizeof(msk));
	crypto_mschap_free(m);
}
END_TEST

START_TEST(mschap_password_utf8)
{
	struct crypto_mschap *m = new_mschap();
	uint8_t a[CRYPTO_MSCHAP_NT_RESPONSE_LEN], b[CRYPTO_MSCHAP_NT_RESPONSE_LEN];
	const uint8_t *chal = t_hex(rfc_auth_chal).p, *peer;
	char longpw[CRYPTO_MSCHAP_PASSWORD_MAX + 2];

	peer = t_hex(rfc_peer_chal).p;
	/* U+00E9 in UTF-8 is a valid one-character password... */
	ck_assert_int_eq(crypto_mschap_nt_response(m, chal, peer, S("u"),
	    S("\xc3\xa9"), a), 0);
	/* ...distinct from the two Latin-1 characters of its bytes. */
	ck_assert_int_eq(crypto_mschap_nt_response(m, chal, peer, S("u"),
	    S("\xc3\x83\xc2\xa9"), b), 0);
	ck_assert(memcmp(a, b, sizeof(a)) != 0);
	/* Overlong, truncated and surrogate encodings are refused. */
	ck_assert_int_eq(crypto_mschap_nt_response(m, chal, peer, S("u"),
	    S("\xc0\xaf"), a), IR_ERR_CONFIG);
	ck_assert_int_eq(crypto_mschap_nt_response(m, chal, peer, S("u"),
	    S("ab\xe2\x82"), a), IR_ERR_CONFIG);
	ck_assert_int_eq(crypto_mschap_nt_response(m, chal, peer, S("u"),
	    S("\xed\xa0\x80"), a), IR_ERR_CONFIG);
	/* 256 characters is the limit of RFC 2759 §4. */
	memset(longpw, 'x', sizeof(longpw));
	ck_assert_int_eq(crypto_mschap_nt_response(m, chal, peer, S("u"),
	    longpw, CRYPTO_MSCHAP_PASSWORD_MAX, a), 0);
	ck_assert_int_eq(crypto_mschap_nt_response(m, chal, peer, S("u"),
	    longpw, CRYPTO_MSCHAP_PASSWORD_MAX + 1, a), IR_ERR_CONFIG);
	crypto_mschap_free(m);
}
END_TEST

/* Without the legacy provider there is no MD4: a clear code, no crash.
 * (Each test runs in its own process, so the environment change stays
 * here.) */
START_TEST(mschap_no_legacy_provider)
{
	struct crypto_mschap *m = (struct crypto_mschap *)&m;

	ck_assert_int_eq(setenv("OPENSSL_MODULES", "/nonexistent", 1), 0);
	ck_assert_int_eq(crypto_mschap_new(&m), IR_ERR_UNSUPPORTED);
	ck_assert_ptr_null(m);
}
END_TEST

Suite *
mschap_suite(void)
{
	Suite *s = suite_create("mschap");
	TCase *tc = tcase_create("mschap");

	tcase_add_test(tc, mschap_rfc2759_nt_response);
	tcase_add_test(tc, mschap_rfc2759_auth_response);
	tcase_add_test(tc, mschap_rfc3079_keys);
	tcase_add_test(tc, mschap_strongswan_run);
	tcase_add_test(tc, mschap_password_utf8);
	tcase_add_test(tc, mschap_no_legacy_provider);
	suite_add_tcase(s, tc);
	return s;
}
