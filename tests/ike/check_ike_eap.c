/*
 * tests/ike/check_ike_eap.c: EAP beyond MSCHAPv2.  The EAP-TLS framing
 * of RFC 5216 §3.1 (parse, reassembly bounds), then the engine against
 * the scripted peer (peer_eap.c): EAP-TLS 1.2 and 1.3 with fragments both
 * ways, EAP-only (RFC 5998) with EAP-TLS and EAP-MSCHAPv2, the Nak
 * (RFC 3748 §5.3.1), EAP-GTC (§5.6) with a file's answer and a prompt,
 * and each refusal with its code and line.
 */
#include <check.h>
#include <string.h>

#include "common/ir_err.h"
#include "ike/ike_int.h"
#include "tests/check_util.h"
#include "tests/ike/sa_harness.h"

/* ---- Framing ------------------------------------------------------- */

static int
parse_hex(const char *hex, struct ike_eaptls_frag *f)
{
	struct tbuf b = t_hex(hex);

	return ike_eaptls_parse(b.p, b.len, f);
}

START_TEST(frag_parse)
{
	struct ike_eaptls_frag f;

	ck_assert_int_eq(parse_hex("20", &f), 0);		/* Start */
	ck_assert_int_eq(f.flags, IKE_EAPTLS_F_START);
	ck_assert(!f.has_len);
	ck_assert_uint_eq(f.data.len, 0);
	ck_assert_int_eq(parse_hex("c000000005aabb", &f), 0);	/* L M */
	ck_assert(f.has_len);
	ck_assert_uint_eq(f.tls_len, 5);
	ck_assert_uint_eq(f.data.len, 2);
	ck_assert_int_eq(parse_hex("0016030300", &f), 0);
	ck_assert_uint_eq(f.data.len, 4);
	/* No flags octet; a cut length; L below the data; L too large. */
	ck_assert_int_eq(parse_hex("", &f), IR_ERR_MALFORMED);
	ck_assert_int_eq(parse_hex("80000001", &f), IR_ERR_MALFORMED);
	ck_assert_int_eq(parse_hex("8000000001aabb", &f), IR_ERR_MALFORMED);
	ck_assert_int_eq(parse_hex("8000010001", &f), IR_ERR_MALFORMED);
	ck_assert_int_eq(parse_hex("8000010000", &f), 0);	/* 65536 */
}
END_TEST

static struct ike_eaptls_frag
frag(uint8_t flags, bool has_len, uint32_t tls_len, size_t n)
{
	static const uint8_t data[2048];

	return (struct ike_eaptls_frag){ flags, has_len, tls_len,
	    { data, n } };
}

START_TEST(frag_reassembly)
{
	struct ike_eaptls_rx rx = { 0 };
	struct ike_eaptls_frag f;
	bool done;

	f = frag(0xc0, true, 250, 100);
	ck_assert_int_eq(ike_eaptls_rx_add(&rx, &f, &done), 0);
	ck_assert(!done);
	f = frag(0xc0, true, 250, 100);	/* L again, the same: fine */
	ck_assert_int_eq(ike_eaptls_rx_add(&rx, &f, &done), 0);
	f = frag(0x00, false, 0, 50);
	ck_assert_int_eq(ike_eaptls_rx_add(&rx, &f, &done), 0);
	ck_assert(done);
	ck_assert(!rx.active);
	/* The next flight starts afresh, unfragmented without L. */
	f = frag(0x00, false, 0, 10);
	ck_assert_int_eq(ike_eaptls_rx_add(&rx, &f, &done), 0);
	ck_assert(done);
}
END_TEST

/* Each row: a flight that must be refused at its last fragment. */
static const struct {
	const char	*what;
	struct { uint8_t fl; bool l; uint32_t tl; size_t n; } f[3];
	int		 nf;
} bad_flights[] = {
	{ "L changes", { { 0xc0, 1, 250, 100 }, { 0xc0, 1, 251, 100 } }, 2 },
	{ "L appears late", { { 0x40, 0, 0, 100 }, { 0xc0, 1, 300, 100 } },
	    2 },
	{ "more than announced", { { 0xc0, 1, 150, 100 },
	    { 0x40, 0, 0, 100 } }, 2 },
	{ "short of announced", { { 0xc0, 1, 250, 100 },
	    { 0x00, 0, 0, 100 } }, 2 },
	{ "empty with M", { { 0xc0, 1, 250, 100 }, { 0x40, 0, 0, 0 } }, 2 },
};

START_TEST(frag_refused)
{
	struct ike_eaptls_rx rx = { 0 };
	struct ike_eaptls_frag f;
	bool done;
	int i, rv = 0;

	for (i = 0; i < bad_flights[_i].nf; i++) {
		f = frag(bad_flights[_i].f[i].fl, bad_flights[_i].f[i].l,
		    bad_flights[_i].f[i].tl, bad_flights[_i].f[i].n);
		rv = ike_eaptls_rx_add(&rx, &f, &done);
		if (i + 1 < bad_flights[_i].nf)
			ck_assert_int_eq(rv, 0);
	}
	ck_assert_msg(rv == IR_ERR_MALFORMED, "%s", bad_flights[_i].what);
}
END_TEST

/* Fragment counts and the total are capped, with or without L. */
START_TEST(frag_caps)
{
	struct ike_eaptls_rx rx = { 0 };
	struct ike_eaptls_frag f;
	bool done;
	int i;

	f = frag(0x40, false, 0, 1);
	for (i = 0; i < IKE_EAPTLS_FRAGS_MAX; i++)
		ck_assert_int_eq(ike_eaptls_rx_add(&rx, &f, &done), 0);
	ck_assert_int_eq(ike_eaptls_rx_add(&rx, &f, &done),
	    IR_ERR_MALFORMED);
	memset(&rx, 0, sizeof(rx));
	f = frag(0x40, false, 0, 2048);
	for (i = 0; i < IKE_EAPTLS_MSG_MAX / 2048; i++)
		ck_assert_int_eq(ike_eaptls_rx_add(&rx, &f, &done), 0);
	ck_assert_int_eq(ike_eaptls_rx_add(&rx, &f, &done),
	    IR_ERR_MALFORMED);
}
END_TEST

/* ---- EAP-TLS against the peer --------------------------------------- */

static void
set_remote_id(const char *fqdn)
{
	H.conf.remote_id.type = IKE_IDT_FQDN;
	H.conf.remote_id.len = (uint16_t)strlen(fqdn);
	memcpy(H.conf.remote_id.data, fqdn, strlen(fqdn));
}

static const struct {
	uint16_t	 max;
	int		 indication;
	size_t		 frag;
	bool		 len_all;
	const char	*said;
} tls_runs[] = {
	{ 0x0303, 0, 300, false, "TLS 1.2 handshake done" },
	{ 0x0303, 0, 0, true, "TLS 1.2 handshake done" },
	{ 0, 0, 500, false, "TLS 1.3 handshake done" },
	{ 0, 1, 0, false, "predates RFC 9190" },
};

START_TEST(tls_handshake)
{
	h_init_eap_tls();
	H.popts.tls_max = tls_runs[_i].max;
	H.popts.tls_indication = tls_runs[_i].indication;
	H.popts.tls_frag = tls_runs[_i].frag;
	H.popts.tls_len_all = tls_runs[_i].len_all;
	h_established();
	ck_assert(H.peer->auth_ok);	/* our AUTH from the MSK */
	ck_assert(H.peer->msk_set);
	ck_assert_mem_eq(H.sa->msk, H.peer->msk, 64);
	ck_assert(h_logged(tls_runs[_i].said));
	ck_assert(h_logged("EAP method EAP-TLS succeeded, MSK established"));
	ck_assert(h_logged("EAP/REQ/TLS"));
	/* Our RSA-3072 flight is larger than one fragment: the peer ACKs
	 * it; the peer's flights come in pieces we ACK. */
	ck_assert_int_ge(H.peer->tls_acks, 1);
	if (tls_runs[_i].frag != 0)
		ck_assert_int_ge(H.peer->tls_frags_out, 4);
	h_free();
}
END_TEST

/* The gateway does not trust our certificate: its alert, one line. */
START_TEST(tls_client_refused)
{
	h_init_eap_tls();
	H.popts.tls_client_ca = "pki/other-ca.crt";
	H.popts.tls_max = (uint16_t)(_i == 0 ? 0x0303 : 0);
	h_start();
	h_run();
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(H.close.reason, IR_ERR_AUTH);
	ck_assert(strstr(H.close.detail, "refused our certificate"));
	h_free();
}
END_TEST

START_TEST(tls_early_success)
{
	h_init_eap_tls();
	H.popts.eap_early_success = true;
	h_start();
	h_run();
	ck_assert_int_eq(H.close.reason, IR_ERR_AUTH);
	ck_assert(strstr(H.close.detail, "before the EAP-TLS handshake"));
	h_free();
}
END_TEST

/*
 * Revocation of the TLS server certificate (issue 11 item 2): after the
 * IKE certificate's peer_cert(), a second one with the TLS path at
 * EAP-Success, answered later or refused.
 */
START_TEST(tls_peer_cert)
{
	h_init_eap_tls();
	h_established();
	ck_assert_int_eq(H.npeer_cert, 2);
	ck_assert(!H.peer_eap_tls[0]);
	ck_assert(H.peer_eap_tls[1]);
	ck_assert_int_eq(H.peer_chain_len[1], 2);
	ck_assert(H.peer_chain_ok[1]);
	h_free();
}
END_TEST

START_TEST(tls_peer_cert_later)
{
	h_init_eap_tls();
	H.peer_cert_verdict = IR_ERR_PENDING;
	h_start();
	h_run();
	ck_assert_int_eq(H.npeer_cert, 1);
	ck_assert_int_eq(ike_sa_peer_cert_done(H.sa, 0, NULL, H.now), 0);
	h_run();
	ck_assert_int_eq(H.npeer_cert, 2);
	ck_assert(H.peer_eap_tls[1]);
	ck_assert(!ike_sa_established(H.sa));
	ck_assert(h_logged("revocation check of the gateway's TLS"));
	ck_assert_int_eq(ike_sa_peer_cert_done(H.sa, 0, NULL, H.now), 0);
	h_run();
	ck_assert(ike_sa_established(H.sa));
	ck_assert(H.peer->auth_ok);
	ck_assert_int_eq(H.npeer_cert, 2);
	h_free();
}
END_TEST

START_TEST(tls_peer_cert_revoked)
{
	h_init_eap_tls();
	H.peer_cert_eap_verdict = IR_ERR_CERT;
	H.peer_cert_why = "the gateway's TLS certificate is revoked";
	h_start();
	h_run();
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(H.close.reason, IR_ERR_CERT);
	ck_assert_str_eq(H.close.detail, "the gateway's TLS certificate is "
	    "revoked");
	ck_assert(!h_logged("EAP method EAP-TLS succeeded"));
	h_free();
}
END_TEST

/* ---- EAP-only, RFC 5998 ------------------------------------------- */

/* _i: --remote-id exact, or a pattern the TLS certificate fits. */
START_TEST(eap_only_tls)
{
	h_init_eap_tls();
	H.conf.eap_only = true;
	H.conf.ocsp_certreq = true;	/* no CERT will come: not asked */
	H.popts.eap_only = true;
	set_remote_id(_i == 0 ? "vpn.test" : "*.vpn.test");
	h_established();
	for (size_t i = 0; i < H.peer->ncertreq; i++)
		ck_assert_uint_ne(H.peer->certreq_enc[i],
		    IKE_CERT_OCSP_CONTENT);
	ck_assert(H.peer->saw_eap_only);
	ck_assert(H.peer->auth_ok);
	ck_assert(h_logged("N(EAP_ONLY)"));
	ck_assert(h_logged("the gateway 'vpn.test' uses EAP-only"));
	ck_assert(h_logged("the gateway proved itself through EAP-TLS"));
	/* No CERT payload: only the TLS certificate is checked. */
	ck_assert_int_eq(H.npeer_cert, 1);
	ck_assert(H.peer_eap_tls[0]);
	h_free();
}
END_TEST

START_TEST(eap_only_mschapv2)
{
	h_init_eap();
	H.conf.eap_only = true;
	H.popts.eap_only = true;
	set_remote_id("vpn.test");
	h_established();
	ck_assert(H.peer->saw_eap_only);
	ck_assert(h_logged("proved itself through EAP-MSCHAPv2"));
	h_free();
}
END_TEST

/* _i: 0 not asked for, 1 MSCHAPv2 with another --remote-id, 2 TLS whose
 * certificate does not carry --remote-id, 3 TLS whose certificate is
 * not trusted, 4 MSCHAPv2 with a --remote-id pattern. */
START_TEST(eap_only_refused)
{
	static const struct {
		int reason;
		const char *line;
	} want[] = {
		{ IR_ERR_AUTH, "did not authenticate itself" },
		{ IR_ERR_PEER_ID, "--remote-id" },
		{ IR_ERR_PEER_ID, "does not carry the gateway's identity" },
		{ IR_ERR_CERT, "not trusted" },
		{ IR_ERR_PEER_ID, "not a pattern" },
	};
	struct crypto_cert *ca;
	struct tbuf b;

	if (_i < 2 || _i == 4)
		h_init_eap();
	else
		h_init_eap_tls();
	H.popts.eap_only = true;
	H.conf.eap_only = _i != 0;
	set_remote_id(_i == 1 || _i == 2 ? "other.vpn.test" : _i == 4 ?
	    "*.vpn.test" : "vpn.test");
	if (_i == 3) {
		crypto_trust_free(H.trust);
		ck_assert_int_eq(crypto_trust_new(&H.trust), 0);
		b = t_vec_file("pki/other-ca.crt");
		ck_assert_int_eq(crypto_cert_load(&ca, b.p, b.len), 0);
		ck_assert_int_eq(crypto_trust_add_cert(H.trust, ca), 0);
		crypto_cert_free(ca);
		H.conf.trust = H.trust;
	}
	h_start();
	h_run();
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(H.close.reason, want[_i].reason);
	ck_assert_msg(strstr(H.close.detail, want[_i].line) != NULL, "%s",
	    H.close.detail);
	ck_assert(!ike_sa_established(H.sa));
	h_free();
}
END_TEST

/* RFC 5998 §4: GTC proves nothing of the gateway. */
START_TEST(eap_only_gtc_config)
{
	static const struct ike_callbacks cb = {
		.send_msg = (int (*)(void *, const uint8_t *, size_t))1,
		.closed = (void (*)(void *, const struct ike_close_info *))1,
		.random = t_random,
	};
	struct ike_sa *sa = NULL;

	h_init_eap();
	H.conf.eap_method = IKE_EAP_GTC;
	ck_assert_int_eq(ike_sa_new(&sa, &H.conf, &H.path, &cb, NULL, 0), 0);
	ike_sa_free(sa);
	H.conf.eap_only = true;
	ck_assert_int_eq(ike_sa_new(&sa, &H.conf, &H.path, &cb, NULL, 0),
	    IR_ERR_CONFIG);
	ck_assert_ptr_null(sa);
	/* EAP-TLS needs our certificate and key. */
	H.conf.eap_only = false;
	H.conf.eap_method = IKE_EAP_TLS;
	ck_assert_int_eq(ike_sa_new(&sa, &H.conf, &H.path, &cb, NULL, 0),
	    IR_ERR_CONFIG);
	crypto_trust_free(H.trust);
}
END_TEST

/* ---- Method negotiation and EAP-GTC ------------------------------- */

START_TEST(nak_then_tls)
{
	h_init_eap_tls();
	H.popts.eap_first = 4;		/* EAP-MD5 first */
	h_established();
	ck_assert_int_eq(H.peer->n_nak, 1);
	ck_assert_int_eq(H.peer->nak_type, IKE_EAP_TLS);
	ck_assert(h_logged("the gateway proposed EAP-MD5; asking for "
	    "EAP-TLS (Nak)"));
	h_free();
}
END_TEST

/* The gateway has only what we refuse: its Failure, our line. */
START_TEST(nak_refused)
{
	h_init_eap();
	H.conf.eap_method = IKE_EAP_GTC;
	H.popts.eap_method = IKE_EAP_TLS;
	h_start();
	h_run();
	ck_assert_int_eq(H.close.reason, IR_ERR_AUTH);
	ck_assert(strstr(H.close.detail, "after we refused its EAP-TLS "
	    "(we do EAP-GTC only)"));
	h_free();
}
END_TEST

/* _i: 0 the configured answer, 1 typed at the prompt, 2 a wrong one,
 * 3 nothing typed. */
START_TEST(gtc)
{
	h_init_eap();
	H.conf.eap_method = IKE_EAP_GTC;
	H.popts.eap = false;
	H.popts.eap_method = IKE_EAP_GTC;
	H.popts.gtc_prompt = "Enter the code\nof your token:";
	H.popts.eap_password = "otp-314159";
	strcpy(H.conf.eap_password, _i == 0 ? "otp-314159" : "");
	H.prompt_answer = _i == 1 ? "otp-314159" : _i == 2 ? "otp-0" : NULL;
	h_start();
	h_run();
	ck_assert_int_eq(H.nprompt, _i == 0 ? 0 : 1);
	if (_i != 0)
		ck_assert_str_eq(H.prompt_seen, "Enter the code of your token:");
	ck_assert(h_logged("EAP-GTC: the gateway asks: Enter the code of "
	    "your token:"));
	if (_i < 2) {
		ck_assert(ike_sa_established(H.sa));
		ck_assert(H.peer->auth_ok);	/* AUTH from SK_pi */
		ck_assert_str_eq(H.peer->gtc_answer, "otp-314159");
		ck_assert(h_logged("no MSK (AUTH from SK_pi/SK_pr)"));
	} else {
		ck_assert_int_eq(H.close.reason, IR_ERR_AUTH);
		ck_assert(strstr(H.close.detail, _i == 2 ?
		    "rejected our EAP-GTC login" : "no response was entered"));
	}
	h_free();
}
END_TEST

Suite *
ike_eap_suite(void)
{
	Suite *s = suite_create("ike_eap");
	TCase *tc = tcase_create("framing");

	tcase_add_test(tc, frag_parse);
	tcase_add_test(tc, frag_reassembly);
	tcase_add_loop_test(tc, frag_refused, 0,
	    sizeof(bad_flights) / sizeof(bad_flights[0]));
	tcase_add_test(tc, frag_caps);
	suite_add_tcase(s, tc);
	tc = tcase_create("engine");
	tcase_add_loop_test(tc, tls_handshake, 0,
	    sizeof(tls_runs) / sizeof(tls_runs[0]));
	tcase_add_loop_test(tc, tls_client_refused, 0, 2);
	tcase_add_test(tc, tls_early_success);
	tcase_add_test(tc, tls_peer_cert);
	tcase_add_test(tc, tls_peer_cert_later);
	tcase_add_test(tc, tls_peer_cert_revoked);
	tcase_add_loop_test(tc, eap_only_tls, 0, 2);
	tcase_add_test(tc, eap_only_mschapv2);
	tcase_add_loop_test(tc, eap_only_refused, 0, 5);
	tcase_add_test(tc, eap_only_gtc_config);
	tcase_add_test(tc, nak_then_tls);
	tcase_add_test(tc, nak_refused);
	tcase_add_loop_test(tc, gtc, 0, 4);
	suite_add_tcase(s, tc);
	return s;
}
