/*
 * tests/ike/check_ike_auth.c: authentication in the engine.
 *
 * Known answers from the strongSwan EAP-MSCHAPv2 exchange in
 * tests/vectors/strongswan-eap-udp/ (the PSK formula of §2.15 with the
 * MSK, the §2.17 KEYMAT split, NAT-D, and our EAP responses byte for
 * byte), then certificate and EAP handshakes against peer.c with the
 * test PKI of tests/vectors/pki/:
 *
 *   IKE_AUTH { IDi, CERT, CERTREQ, AUTH(14), CP, SA, TSi, TSr }  -->
 *                        <--  { IDr(vpn.test), CERT(gw-rsa2048), AUTH(14) ... }
 */
#include <check.h>
#include <string.h>

#include "common/ir_err.h"
#include "ike/ike_int.h"
#include "tests/check_util.h"
#include "tests/ike/sa_harness.h"

#define EAPV	"strongswan-eap-udp/aesgcm128-prfsha256-x25519"

START_TEST(vec_auth_psk_formula)
{
	struct tbuf msk = t_vec_key(EAPV, "MSK");
	const char *oct[2] = { "AUTH_i_octets", "AUTH_r_octets" };
	const char *want[2] = { "AUTH_i", "AUTH_r" };
	struct tbuf o = t_vec_key(EAPV, oct[_i]), w = t_vec_key(EAPV, want[_i]);
	uint8_t out[CRYPTO_PRF_MAX];

	ck_assert_int_eq(ike_auth_psk(CRYPTO_PRF_HMAC_SHA2_256, msk.p, msk.len,
	    o.p, o.len, out), 0);
	ck_assert_uint_eq(w.len, 32);
	ck_assert_mem_eq(out, w.p, 32);
}
END_TEST

START_TEST(vec_child_keymat_split)
{
	struct tbuf skd = t_vec_key(EAPV, "SK_d"), ni = t_vec_key(EAPV, "Ni");
	struct tbuf nr = t_vec_key(EAPV, "Nr");
	struct tbuf i2r = t_vec_key(EAPV, "ESP_ENCR_i2r");
	struct tbuf r2i = t_vec_key(EAPV, "ESP_ENCR_r2i");
	struct ike_child c;

	memset(&c, 0, sizeof(c));
	c.encr_key_len = crypto_encr_key_len(CRYPTO_ENCR_AES_GCM_16, 128);
	ck_assert_uint_eq(c.encr_key_len, 20);
	ck_assert_int_eq(ike_child_keys(CRYPTO_PRF_HMAC_SHA2_256, skd.p,
	    skd.len, NULL, 0, ni.p, ni.len, nr.p, nr.len, &c), 0);
	/* We initiate: out = i2r, in = r2i. */
	ck_assert_mem_eq(c.encr_key_out, i2r.p, 20);
	ck_assert_mem_eq(c.encr_key_in, r2i.p, 20);
}
END_TEST

START_TEST(vec_natd)
{
	struct tbuf spi = t_vec_key(EAPV, "SPIi");
	struct tbuf want = t_hex("c68322db74d17bc476744104d2528453af3266dc");
	uint8_t out[20];

	/* N(NATD_D_IP) of message 1: the responder at 198.51.100.10:4500. */
	ck_assert_int_eq(ike_natd_hash(wire_get_u64(spi.p), 0, 4,
	    (uint8_t[]){ 198, 51, 100, 10 }, 4500, out), 0);
	ck_assert_mem_eq(out, want.p, 20);
}
END_TEST

/* The random callback of the EAP vector: our peer challenge. */
static void
vec_random(void *ud, uint8_t *buf, size_t len)
{
	struct tbuf pc = t_vec_key(EAPV, "MSCHAPV2_peer_challenge");

	(void)ud;
	ck_assert_uint_eq(len, 16);
	memcpy(buf, pc.p, 16);
}

static void
vec_eap_step(struct ike_sa *sa, const char *req_hex, const char *resp_hex)
{
	struct tbuf req = t_hex(req_hex), want = t_hex(resp_hex);
	struct ike_pld_eap eap;
	struct wire_rd r;
	const char *why = NULL;
	uint8_t out[256];
	size_t len;

	wire_rd_init(&r, req.p, req.len);
	ck_assert_int_eq(ike_pld_eap_parse(r, &eap, &why), 0);
	ck_assert_int_eq(ike_eap_answer(sa, &eap, out, sizeof(out), &len), 0);
	ck_assert_uint_eq(len, want.len);
	ck_assert_mem_eq(out, want.p, len);
}

/* Our three EAP answers are the ones strongSwan's client sent. */
START_TEST(vec_eap_client_messages)
{
	static const struct ike_callbacks cb = {
		.send_msg = (int (*)(void *, const uint8_t *, size_t))1,
		.closed = (void (*)(void *, const struct ike_close_info *))1,
		.random = vec_random,
	};
	struct tbuf msk = t_vec_key(EAPV, "MSK");
	struct ike_sa *sa;

	h_init_eap();
	if (ike_sa_new(&sa, &H.conf, &H.path, &cb, NULL, 0) ==
	    IR_ERR_UNSUPPORTED)
		return;		/* no OpenSSL legacy provider: MD4 missing */
	vec_eap_step(sa, "0100000501", "0200000a01616c696365");
	vec_eap_step(sa, "01f200241a01f2001f10a4449f52e95aea2bc1953ae2ed52a792"
	    "7374726f6e675377616e", "02f200401a02f2003b311f51f8cb4bd98a433c0a"
	    "68bbcfed836b0000000000000000763f5b449148b65ff08bf645ca8822bedfa7"
	    "dbe5edc83ee400616c696365");
	vec_eap_step(sa, "01f300491a03f20044533d363043344143353833393945304631"
	    "30443846313241334639354435454431304641463243393035204d3d57656c63"
	    "6f6d65327374726f6e675377616e00", "02f300061a03");
	ck_assert(sa->have_msk);
	ck_assert_mem_eq(sa->msk, msk.p, 64);
	ike_sa_free(sa);
	crypto_trust_free(H.trust);
}
END_TEST

START_TEST(cp_reply_parse)
{
	static const uint8_t mask[] = { 255, 255, 0, 0 }, a[] = { 10, 9, 8, 7 },
	    bad[] = { 255, 0, 255, 0 }, v6[17] = { 0x20, 0x01, 0x0d, 0xb8,
	    [15] = 5, [16] = 64 };
	struct ike_pld_cp cp = { .type = IKE_CFG_REPLY, .nattr = 6, .attr = {
		{ IKE_CPA_INTERNAL_IP4_NETMASK, { mask, 4 } },
		{ IKE_CPA_INTERNAL_IP4_ADDRESS, { a, 4 } },
		{ IKE_CPA_INTERNAL_IP4_ADDRESS, { a, 3 } },	/* ignored */
		{ IKE_CPA_INTERNAL_IP4_SUBNET, { bad, 4 } },	/* short */
		{ IKE_CPA_INTERNAL_IP6_ADDRESS, { v6, 17 } },
		{ IKE_CPA_INTERNAL_DNS_DOMAIN, { (const uint8_t *)"a b", 3 } },
	} };
	struct ike_cfg_reply c;

	ike_cp_parse(&cp, &c);
	ck_assert(c.has_ip4 && c.has_ip6);
	ck_assert_int_eq(c.ip4_prefix, 16);
	ck_assert_mem_eq(c.ip4, a, 4);
	ck_assert_int_eq(c.ip6_prefix, 64);
	ck_assert_int_eq(c.n_subnets, 0);
	ck_assert_int_eq(c.n_domains, 0);
}
END_TEST

/* ---- Certificates ------------------------------------------------- */

START_TEST(cert_handshake)
{
	h_init_cert();
	h_start();
	h_run();
	ck_assert_int_eq(H.nclosed, 0);
	ck_assert(ike_sa_established(H.sa));
	ck_assert(H.peer->auth_ok);		/* our RSA signature */
	ck_assert(H.peer->saw_cert);
	ck_assert(H.peer->saw_certreq);
	ck_assert(h_logged("authentication of 'vpn.test' with "
	    "DIGITAL_SIGNATURE successful"));
	ck_assert(h_logged("[ IDi CERT N(INIT_CONTACT) CERTREQ AUTH CPRQ SA "
	    "TSi TSr ]"));
	ck_assert_mem_eq(H.child.encr_key_in, H.peer->child.encr_key_out,
	    H.child.encr_key_len);
	h_free();
}
END_TEST

static void
set_remote_id(const char *fqdn)
{
	H.conf.remote_id.type = 2;
	H.conf.remote_id.len = (uint16_t)strlen(fqdn);
	memcpy(H.conf.remote_id.data, fqdn, strlen(fqdn));
}

/* _i: 0 right ID sent as IDr, 1 wrong ID sent, 2 right ID kept to
 * ourselves (the default: IDr only with --send-remote-id), 3 wrong kept. */
START_TEST(cert_remote_id)
{
	h_init_cert();
	set_remote_id(_i % 2 == 0 ? "VPN.test" : "other.vpn.test");
	H.conf.send_idr = _i < 2;
	h_start();
	h_run();
	ck_assert(H.peer->saw_idr == (_i < 2));
	if (_i % 2 == 0) {
		ck_assert(ike_sa_established(H.sa));
	} else {
		ck_assert_int_eq(H.close.reason, IR_ERR_PEER_ID);
		ck_assert(strstr(H.close.detail, "--remote-id") != NULL);
	}
	h_free();
}
END_TEST

START_TEST(cert_untrusted)
{
	struct crypto_cert *ca;
	struct tbuf b = t_vec_file("pki/other-ca.crt");

	h_init_cert();
	crypto_trust_free(H.trust);
	ck_assert_int_eq(crypto_trust_new(&H.trust), 0);
	ck_assert_int_eq(crypto_cert_load(&ca, b.p, b.len), 0);
	ck_assert_int_eq(crypto_trust_add_cert(H.trust, ca), 0);
	crypto_cert_free(ca);
	H.conf.trust = H.trust;
	h_start();
	h_run();
	ck_assert_int_eq(H.close.reason, IR_ERR_CERT);
	ck_assert_int_eq(H.nchild_up, 0);
	h_free();
}
END_TEST

START_TEST(cert_bad_signature)
{
	h_init_cert();
	H.popts.wrong_auth = true;
	h_start();
	h_run();
	ck_assert_int_eq(H.close.reason, IR_ERR_AUTH);
	ck_assert(strstr(H.close.detail, "signature does not verify") != NULL);
	h_free();
}
END_TEST

/* PSK for us, a certificate from the gateway, but no CA to check it. */
START_TEST(cert_without_ca)
{
	h_init();
	H.popts.auth = PEER_AUTH_CERT;
	H.popts.eap = false;
	h_start();
	h_run();
	ck_assert_int_eq(H.close.reason, IR_ERR_CERT);
	ck_assert(strstr(H.close.detail, "--ca") != NULL);
	h_free();
}
END_TEST

/* ---- EAP-MSCHAPv2 -------------------------------------------------- */

static bool
eap_available(void)
{
	struct crypto_mschap *m;

	if (crypto_mschap_new(&m) != 0)
		return false;
	crypto_mschap_free(m);
	return true;
}

START_TEST(eap_handshake)
{
	if (!eap_available())
		return;
	h_init_eap();
	if (_i == 1)		/* IDi from the EAP identity, as strongSwan */
		H.conf.local_id.type = 0;
	h_start();
	h_run();
	ck_assert_int_eq(H.nclosed, 0);
	ck_assert(ike_sa_established(H.sa));
	ck_assert(H.peer->auth_ok);		/* AUTH from the MSK */
	ck_assert_str_eq(H.peer->eap_name, "alice");
	ck_assert_int_eq(H.nchild_up, 1);
	ck_assert_int_eq(H.ncfg, 1);
	ck_assert_mem_eq(H.child.encr_key_out, H.peer->child.encr_key_in,
	    H.child.encr_key_len);
	ck_assert(h_logged("[ IDi N(INIT_CONTACT) CERTREQ CPRQ SA TSi TSr ]"));
	ck_assert(h_logged("EAP/RES/MSCHAPV2"));
	ck_assert(!h_logged("alice-password"));
	if (_i == 1)		/* IDi_payload_body of the strongSwan run */
		ck_assert_mem_eq(H.peer->idi, t_vec_key(EAPV,
		    "IDi_payload_body").p, 9);
	h_free();
}
END_TEST

START_TEST(eap_wrong_password)
{
	if (!eap_available())
		return;
	h_init_eap();
	H.popts.eap_password = "not-alice-password";
	h_start();
	h_run();
	ck_assert_int_eq(H.close.reason, IR_ERR_AUTH);
	ck_assert(strstr(H.close.detail, "EAP user name and password") != NULL);
	h_free();
}
END_TEST

/* strongSwan's answer to a wrong password: a Failure Request that allows
 * a retry.  We answer it with a Failure Response, the gateway ends EAP
 * with an EAP-Failure (and deletes its half-done IKE SA); _i 1: no
 * EAP-Failure comes, the login fails 5 s later all the same. */
START_TEST(eap_wrong_password_retry_allowed)
{
	uint64_t t0;

	if (!eap_available())
		return;
	h_init_eap();
	H.popts.eap_password = "not-alice-password";
	H.popts.eap_retry = true;
	H.popts.eap_fail_ack_silent = _i == 1;
	h_start();
	h_run();
	ck_assert(H.peer->eap_fail_acked);
	ck_assert(h_logged("the gateway rejected our EAP-MSCHAPv2 response "
	    "(E=691 R=1 C="));
	if (_i == 1) {
		ck_assert_int_eq(H.nclosed, 0);
		t0 = H.now;
		ck_assert_uint_le(ike_sa_deadline(H.sa), t0 + 5000);
		ck_assert_int_eq(ike_sa_expire(H.sa, t0 + 4999), 0);
		ck_assert_int_eq(H.nclosed, 0);
		ck_assert_int_eq(ike_sa_expire(H.sa, t0 + 5000), IR_ERR_AUTH);
		ck_assert(strstr(H.close.detail, "rejected our EAP-MSCHAPv2 "
		    "login: check the EAP user name and password") != NULL);
	} else {
		ck_assert(strstr(H.close.detail, "rejected our EAP-MSCHAPv2 "
		    "login (EAP-Failure): check the EAP user name and "
		    "password") != NULL);
	}
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(H.close.reason, IR_ERR_AUTH);
	ck_assert_int_eq(H.close.notify, IKE_N_AUTHENTICATION_FAILED);
	ck_assert_int_eq(H.nchild_up, 0);
	h_free();
}
END_TEST

START_TEST(eap_bad_authenticator)
{
	if (!eap_available())
		return;
	h_init_eap();
	H.popts.eap_bad_success = true;
	h_start();
	h_run();
	ck_assert_int_eq(H.close.reason, IR_ERR_AUTH);
	ck_assert(strstr(H.close.detail, "authenticator response") != NULL);
	ck_assert_int_eq(H.nchild_up, 0);
	h_free();
}
END_TEST

Suite *
ike_auth_suite(void)
{
	Suite *s = suite_create("ike_auth");
	TCase *tc = tcase_create("vectors");

	tcase_add_loop_test(tc, vec_auth_psk_formula, 0, 2);
	tcase_add_test(tc, vec_child_keymat_split);
	tcase_add_test(tc, vec_natd);
	tcase_add_test(tc, vec_eap_client_messages);
	tcase_add_test(tc, cp_reply_parse);
	suite_add_tcase(s, tc);

	tc = tcase_create("cert");
	tcase_add_test(tc, cert_handshake);
	tcase_add_loop_test(tc, cert_remote_id, 0, 4);
	tcase_add_test(tc, cert_untrusted);
	tcase_add_test(tc, cert_bad_signature);
	tcase_add_test(tc, cert_without_ca);
	suite_add_tcase(s, tc);

	tc = tcase_create("eap");
	tcase_add_loop_test(tc, eap_handshake, 0, 2);
	tcase_add_test(tc, eap_wrong_password);
	tcase_add_loop_test(tc, eap_wrong_password_retry_allowed, 0, 2);
	tcase_add_test(tc, eap_bad_authenticator);
	suite_add_tcase(s, tc);
	return s;
}
