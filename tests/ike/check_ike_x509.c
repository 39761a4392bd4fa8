/*
 * tests/ike/check_ike_x509.c: the engine's side of issue 11's X.509
 * items against peer.c (gateway gw-rsa2048, "C=XX, O=ikeroam tests,
 * CN=gw.vpn.test", root-issued):
 *
 *   IKE_AUTH { IDi, CERT, CERT(intermediate), N(INIT_CONTACT), CERTREQ,
 *              AUTH, ... }  -->
 *
 * our intermediates in their own CERT payloads (RFC 7296 §3.6), the
 * system's trust store (an empty CERTREQ, the anchor in the log), and
 * DN and wildcard --remote-id patterns.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ir_err.h"
#include "crypto/crypto_dn.h"
#include "ike/ike_int.h"
#include "tests/check_util.h"
#include "tests/ike/sa_harness.h"

START_TEST(x509_sends_intermediates)
{
	struct tbuf b = t_vec_file("pki/sub-ca.crt");
	struct crypto_cert *sub;

	h_init_cert();
	ck_assert_int_eq(crypto_cert_load(&sub, b.p, b.len), 0);
	H.conf.cert_chain[0] = sub;
	H.conf.cert_chain[1] = sub;
	H.conf.n_cert_chain = 2;
	h_start();
	h_run();
	ck_assert(ike_sa_established(H.sa));
	ck_assert(h_logged("[ IDi CERT CERT CERT N(INIT_CONTACT) CERTREQ AUTH "
	    "CPRQ SA TSi TSr ]"));
	h_free();
	crypto_cert_free(sub);
}
END_TEST

START_TEST(x509_system_store)
{
	char path[1024];
	const char *top = getenv("top_srcdir");

	h_init_cert();
	crypto_trust_free(H.trust);
	snprintf(path, sizeof(path), "%s/tests/vectors/pki/root-ca.crt",
	    top ? top : ".");
	setenv("SSL_CERT_FILE", path, 1);
	setenv("SSL_CERT_DIR", "/nonexistent", 1);
	ck_assert_int_eq(crypto_trust_new(&H.trust), 0);
	ck_assert_int_eq(crypto_trust_add_system(H.trust), 0);
	H.conf.trust = H.trust;
	h_start();
	h_run();
	ck_assert(ike_sa_established(H.sa));
	/* An empty CERTREQ still asks for the certificate. */
	ck_assert(H.peer->saw_certreq);
	ck_assert(h_logged("gateway certificate verified by CA 'CN=ikeroam "
	    "Test Root CA,O=ikeroam tests,C=XX' (system trust store)"));
	h_free();
}
END_TEST

static void
set_remote_dn(const char *text)
{
	size_t len;

	ck_assert_int_eq(crypto_dn_parse(text, H.conf.remote_id.data,
	    sizeof(H.conf.remote_id.data), &len, NULL, 0), 0);
	H.conf.remote_id.type = CRYPTO_ID_DER_ASN1_DN;
	H.conf.remote_id.len = (uint16_t)len;
}

static const struct {
	uint8_t		 type;
	const char	*id;
	bool		 ok;
} rid[] = {
	{ CRYPTO_ID_DER_ASN1_DN, "C=XX, O=ikeroam tests, CN=gw.vpn.test", 1 },
	{ CRYPTO_ID_DER_ASN1_DN, "C=XX, O=ikeroam tests, CN=*", 1 },
	{ CRYPTO_ID_DER_ASN1_DN, "C=XX, O=other, CN=*", 0 },
	{ CRYPTO_ID_DER_ASN1_DN, "C=XX, O=ikeroam tests, CN=vpn.test", 0 },
	{ CRYPTO_ID_FQDN, "*.vpn.test", 1 },
	{ CRYPTO_ID_FQDN, "*.other.test", 0 },
	{ CRYPTO_ID_RFC822_ADDR, "*@vpn.test", 1 },
};

START_TEST(x509_remote_id_patterns)
{
	h_init_cert();
	if (rid[_i].type == CRYPTO_ID_DER_ASN1_DN)
		set_remote_dn(rid[_i].id);
	else {
		H.conf.remote_id.type = rid[_i].type;
		H.conf.remote_id.len = (uint16_t)strlen(rid[_i].id);
		memcpy(H.conf.remote_id.data, rid[_i].id, strlen(rid[_i].id));
	}
	h_start();
	h_run();
	if (rid[_i].ok)
		ck_assert(ike_sa_established(H.sa));
	else {
		ck_assert_int_eq(H.close.reason, IR_ERR_PEER_ID);
		ck_assert(strstr(H.close.detail, "--remote-id") != NULL);
	}
	h_free();
}
END_TEST

/*
 * Issue 11 item 10: AUTH method 1 (RSA PKCS#1 v1.5, SHA-1) is refused
 * from a gateway that announced SIGNATURE_HASH_ALGORITHMS (RFC 7427),
 * and still taken from one that did not.
 */
START_TEST(x509_sha1_auth_after_rfc7427)
{
	h_init_cert();
	H.popts.sha1_auth = true;
	h_start();
	h_run();
	ck_assert(!ike_sa_established(H.sa));
	ck_assert_int_eq(H.close.reason, IR_ERR_AUTH);
	ck_assert(strstr(H.close.detail, "AUTH method 1") != NULL);
	h_free();
}
END_TEST

START_TEST(x509_sha1_auth_without_rfc7427)
{
	h_init_cert();
	H.popts.no_sig_hashes = true;
	h_start();
	h_run();
	ck_assert(ike_sa_established(H.sa));
	ck_assert(h_logged("with RSA_SIG successful"));
	h_free();
}
END_TEST

/*
 * Revocation hand-off (issue 11 item 2): peer_cert() gets the whole
 * verified path (leaf, root: two for gw-rsa2048), may answer later, and
 * a refusal ends the SA with its line.
 */
START_TEST(x509_peer_cert_path)
{
	h_init_cert();
	h_start();
	h_run();
	ck_assert(ike_sa_established(H.sa));
	ck_assert_int_eq(H.npeer_cert, 1);
	ck_assert_int_eq(H.peer_chain_len[0], 2);
	ck_assert(H.peer_chain_ok[0]);
	ck_assert(!H.peer_eap_tls[0]);
	h_free();
}
END_TEST

START_TEST(x509_peer_cert_later)
{
	h_init_cert();
	H.peer_cert_verdict = IR_ERR_PENDING;
	h_start();
	h_run();
	ck_assert(!ike_sa_established(H.sa));
	ck_assert_int_eq(H.nclosed, 0);
	/* Input meanwhile is refused: the answer is held. */
	ck_assert_int_eq(ike_sa_input(H.sa, H.peer->out[0],
	    H.peer->out_len[0], H.now), IR_ERR_UNEXPECTED);
	ck_assert_int_eq(ike_sa_peer_cert_done(H.sa, 0, NULL, H.now), 0);
	ck_assert(ike_sa_established(H.sa));
	ck_assert_int_eq(ike_sa_peer_cert_done(H.sa, 0, NULL, H.now),
	    IR_ERR_UNEXPECTED);
	h_free();
}
END_TEST

START_TEST(x509_peer_cert_refused)
{
	h_init_cert();
	H.peer_cert_verdict = IR_ERR_PENDING;
	h_start();
	h_run();
	(void)ike_sa_peer_cert_done(H.sa, IR_ERR_CERT, "the intermediate CA "
	    "'CN=x' of the gateway's certificate is revoked", H.now);
	ck_assert(!ike_sa_established(H.sa));
	ck_assert_int_eq(H.close.reason, IR_ERR_CERT);
	ck_assert_str_eq(H.close.detail, "the intermediate CA 'CN=x' of the "
	    "gateway's certificate is revoked");
	h_free();
	/* Refused at once. */
	h_init_cert();
	H.peer_cert_verdict = IR_ERR_CERT;
	H.peer_cert_why = "revoked now";
	h_start();
	h_run();
	ck_assert_int_eq(H.close.reason, IR_ERR_CERT);
	ck_assert_str_eq(H.close.detail, "revoked now");
	h_free();
}
END_TEST

/*
 * RFC 4806 (issue 11 item 4): with ocsp_certreq a second CERTREQ,
 * encoding 14, follows the X.509 one and lists the same anchor key
 * (root-ca's SPKI SHA-1); the gateway's CERT of encoding 14 reaches
 * peer_cert() as it came.  Without ocsp_certreq, or in EAP-only mode,
 * no such CERTREQ.
 */
static void
want_root_hash(const uint8_t *got)
{
	struct tbuf hex = t_vec_file("pki/root-ca.spki.sha1");
	char h[41];
	size_t i;

	for (i = 0; i < 20; i++)
		snprintf(h + 2 * i, 3, "%02x", got[i]);
	ck_assert_mem_eq(h, hex.p, 40);
}

START_TEST(x509_ocsp_certreq)
{
	struct tbuf resp = t_vec_file("pki/rev/gw-rsa2048.ocsp");

	h_init_cert();
	H.conf.ocsp_certreq = true;
	H.popts.ocsp = resp.p;
	H.popts.ocsp_len = resp.len;
	h_start();
	h_run();
	ck_assert(ike_sa_established(H.sa));
	ck_assert(h_logged("[ IDi CERT N(INIT_CONTACT) CERTREQ CERTREQ AUTH "
	    "CPRQ SA TSi TSr ]"));
	ck_assert_uint_eq(H.peer->ncertreq, 2);
	ck_assert_uint_eq(H.peer->certreq_enc[0], IKE_CERT_X509_SIG);
	ck_assert_uint_eq(H.peer->certreq_enc[1], IKE_CERT_OCSP_CONTENT);
	ck_assert_uint_eq(H.peer->certreq_len[1], 20);
	want_root_hash(H.peer->ocsp_certreq);
	/* The response as the gateway sent it. */
	ck_assert_int_eq(H.npeer_cert, 1);
	ck_assert_uint_eq(H.peer_n_ocsp[0], 1);
	ck_assert_uint_eq(H.peer_ocsp0_len, resp.len);
	ck_assert_mem_eq(H.peer_ocsp0, resp.p, resp.len);
	h_free();
	/* Off: one CERTREQ; a response sent anyway still reaches the
	 * caller (a gateway may send it unasked). */
	h_init_cert();
	H.popts.ocsp = resp.p;
	H.popts.ocsp_len = resp.len;
	h_start();
	h_run();
	ck_assert(ike_sa_established(H.sa));
	ck_assert_uint_eq(H.peer->ncertreq, 1);
	ck_assert_uint_eq(H.peer->certreq_enc[0], IKE_CERT_X509_SIG);
	ck_assert_uint_eq(H.peer_n_ocsp[0], 1);
	h_free();
}
END_TEST

/* The system's store: both CERTREQs empty (any CA, any responder it
 * authorized). */
START_TEST(x509_ocsp_certreq_system)
{
	char path[1024];
	const char *top = getenv("top_srcdir");

	h_init_cert();
	crypto_trust_free(H.trust);
	snprintf(path, sizeof(path), "%s/tests/vectors/pki/root-ca.crt",
	    top ? top : ".");
	setenv("SSL_CERT_FILE", path, 1);
	setenv("SSL_CERT_DIR", "/nonexistent", 1);
	ck_assert_int_eq(crypto_trust_new(&H.trust), 0);
	ck_assert_int_eq(crypto_trust_add_system(H.trust), 0);
	H.conf.trust = H.trust;
	H.conf.ocsp_certreq = true;
	h_start();
	h_run();
	ck_assert(ike_sa_established(H.sa));
	ck_assert_uint_eq(H.peer->ncertreq, 2);
	ck_assert_uint_eq(H.peer->certreq_enc[1], IKE_CERT_OCSP_CONTENT);
	ck_assert_uint_eq(H.peer->certreq_len[0], 0);
	ck_assert_uint_eq(H.peer->certreq_len[1], 0);
	ck_assert_uint_eq(H.peer_n_ocsp[0], 0);
	h_free();
}
END_TEST

/*
 * Hash and URL (RFC 7296 §3.6, issue 11 item 1): announced with
 * HTTP_CERT_LOOKUP_SUPPORTED when the caller can fetch; the URL goes
 * out through cert_fetch(); the certificate comes back through
 * ike_sa_cert_fetched() and is used only when its SHA-1 is the hash.
 */
#define GW_URL	"http://198.51.100.80/certs/gw.der"

static void
start_hash_url(void)
{
	h_init_cert();
	H.fetch_on = true;
	H.popts.hash_url = GW_URL;
	h_start();
	h_run();
	ck_assert(h_logged("N(HTTP_CERT_LOOK)"));
	ck_assert_int_eq(H.nfetch, 1);
	ck_assert_str_eq(H.fetch_url[0], GW_URL);
	ck_assert(!ike_sa_established(H.sa));
	ck_assert_int_eq(H.nclosed, 0);
}

START_TEST(x509_hash_url)
{
	struct tbuf gw = t_vec_file("pki/gw-rsa2048.der");

	start_hash_url();
	/* Nothing else goes in meanwhile, and no revocation answer. */
	ck_assert_int_eq(ike_sa_peer_cert_done(H.sa, 0, NULL, H.now),
	    IR_ERR_UNEXPECTED);
	ck_assert_int_eq(ike_sa_cert_fetched(H.sa, 1, 0, gw.p, gw.len, NULL,
	    H.now), IR_ERR_UNEXPECTED);
	ck_assert_int_eq(ike_sa_cert_fetched(H.sa, 0, 0, gw.p, gw.len, NULL,
	    H.now), 0);
	ck_assert(ike_sa_established(H.sa));
	ck_assert(h_logged("hash matches"));
	ck_assert_int_eq(H.npeer_cert, 1);
	ck_assert_int_eq(ike_sa_cert_fetched(H.sa, 0, 0, gw.p, gw.len, NULL,
	    H.now), IR_ERR_UNEXPECTED);
	h_free();
}
END_TEST

START_TEST(x509_hash_url_mismatch)
{
	struct tbuf other = t_vec_file("pki/root-ca.crt");

	start_hash_url();
	ck_assert_int_ne(ike_sa_cert_fetched(H.sa, 0, 0, other.p, other.len,
	    NULL, H.now), 0);
	ck_assert_int_eq(H.close.reason, IR_ERR_CERT);
	ck_assert(strstr(H.close.detail, "does not match the SHA-1 hash") !=
	    NULL);
	ck_assert(strstr(H.close.detail, GW_URL) != NULL);
	ck_assert_int_eq(H.npeer_cert, 0);
	h_free();
}
END_TEST

START_TEST(x509_hash_url_fetch_failed)
{
	start_hash_url();
	ck_assert_int_ne(ike_sa_cert_fetched(H.sa, 0, IR_ERR_TIMEOUT, NULL, 0,
	    "Couldn't connect to server", H.now), 0);
	ck_assert_int_eq(H.close.reason, IR_ERR_CERT);
	ck_assert_str_eq(H.close.detail, "cannot fetch the gateway's "
	    "certificate from " GW_URL " (hash and URL): Couldn't connect to "
	    "server");
	h_free();
}
END_TEST

/* Refusals before any fetch: _i 0 not announced, 1 https, 2 the caller
 * cannot start the fetch. */
START_TEST(x509_hash_url_refused)
{
	static const char *const said[] = {
		"did not announce HTTP_CERT_LOOKUP_SUPPORTED",
		"not an http:// URL",
		"cannot fetch the gateway's certificate from " GW_URL,
	};

	h_init_cert();
	H.fetch_on = _i != 0;
	H.popts.hash_url = _i == 1 ? "https://198.51.100.80/gw.der" : GW_URL;
	H.fetch_rv = _i == 2 ? IR_ERR_NOMEM : 0;
	h_start();
	h_run();
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(H.close.reason, IR_ERR_CERT);
	ck_assert_msg(strstr(H.close.detail, said[_i]) != NULL, "%s",
	    H.close.detail);
	ck_assert(h_logged("N(HTTP_CERT_LOOK)") == (_i != 0));
	h_free();
}
END_TEST

/* A gateway that sends its certificate as a bundle (encoding 13) whose
 * SHA-1 is that of |b| (|n| octets); up to the fetch. */
static void
start_bundle(const uint8_t *b, size_t n)
{
	h_init_cert();
	H.fetch_on = true;
	H.popts.hash_url = GW_URL;
	H.popts.hash_url_bundle = true;
	H.popts.bundle = b;
	H.popts.bundle_len = n;
	h_start();
	h_run();
}

/*
 * Encoding 13 (§3.6): the URL names a CertBundle (RFC 4306 §3.6's ASN.1
 * module), hashed whole; its certificates, in its order, are the chain
 * (the first signs AUTH); its CRLs are not used.
 */
START_TEST(x509_hash_url_bundle)
{
	struct tbuf gw = t_vec_file("pki/gw-rsa2048.der");
	uint8_t b[8192];
	size_t n = peer_cert_bundle(gw.p, gw.len, true, b, sizeof(b));

	start_bundle(b, n);
	ck_assert(h_logged("fetching the gateway's certificate bundle from "
	    GW_URL));
	ck_assert_int_eq(H.nfetch, 1);
	/* The bare certificate is not what was hashed. */
	ck_assert_int_ne(ike_sa_cert_fetched(H.sa, 0, 0, gw.p, gw.len, NULL,
	    H.now), 0);
	ck_assert(strstr(H.close.detail, "does not match") != NULL);
	h_free();

	start_bundle(b, n);
	ck_assert_int_eq(ike_sa_cert_fetched(H.sa, 0, 0, b, n, NULL, H.now), 0);
	ck_assert(ike_sa_established(H.sa));
	ck_assert(h_logged("1 certificate(s), CRLs not used"));
	ck_assert_int_eq(H.npeer_cert, 1);
	h_free();
}
END_TEST

/* A bundle of two certificates, |a| then |b| (each under 64 KiB). */
static size_t
bundle2(const struct tbuf *a, const struct tbuf *b, uint8_t *out, size_t cap)
{
	uint8_t one[8192], two[8192];
	size_t n1 = peer_cert_bundle(a->p, a->len, false, one, sizeof(one));
	size_t n2 = peer_cert_bundle(b->p, b->len, false, two, sizeof(two));
	size_t h1 = one[1] == 0x82 ? 4 : 2, h2 = two[1] == 0x82 ? 4 : 2;
	size_t body = n1 - h1 + n2 - h2;

	/* Both elements under one SEQUENCE of 2-octet length. */
	ck_assert(body + 4 <= cap && body >= 0x80);
	out[0] = 0x30;
	out[1] = 0x82;
	out[2] = (uint8_t)(body >> 8);
	out[3] = (uint8_t)body;
	memcpy(out + 4, one + h1, n1 - h1);
	memcpy(out + 4 + n1 - h1, two + h2, n2 - h2);
	return body + 4;
}

/* Two certificates: the first is the one that signs AUTH (§3.6: "the
 * first certificate provided"); the other is only a candidate
 * intermediate.  _i 0: gateway first (up); 1: the other first (no). */
START_TEST(x509_hash_url_bundle_order)
{
	struct tbuf gw = t_vec_file("pki/gw-rsa2048.der");
	struct tbuf sub = t_vec_file("pki/sub-ca.crt");
	struct crypto_cert *c;
	const uint8_t *der;
	struct tbuf subd;
	uint8_t b[16384];
	size_t n;

	ck_assert_int_eq(crypto_cert_load(&c, sub.p, sub.len), 0);
	crypto_cert_der(c, &der, &subd.len);
	subd.p = (uint8_t *)der;
	n = _i == 0 ? bundle2(&gw, &subd, b, sizeof(b)) :
	    bundle2(&subd, &gw, b, sizeof(b));
	start_bundle(b, n);
	ck_assert_int_eq(H.nfetch, 1);
	if (_i == 0) {
		ck_assert_int_eq(ike_sa_cert_fetched(H.sa, 0, 0, b, n, NULL,
		    H.now), 0);
		ck_assert(ike_sa_established(H.sa));
		ck_assert(h_logged("2 certificate(s)"));
	} else {
		ck_assert_int_ne(ike_sa_cert_fetched(H.sa, 0, 0, b, n, NULL,
		    H.now), 0);
		ck_assert(!ike_sa_established(H.sa));
		ck_assert_int_ne(H.close.reason, 0);
	}
	h_free();
	crypto_cert_free(c);
}
END_TEST

/* Bundles that are refused although their hash matches: _i picks one. */
static const struct {
	const char	*hex;
	const char	*why;
} bad_bundle[] = {
	{ "3100", "not one DER SEQUENCE" },
	{ "3000", "no certificate in it" },
	{ "3004a1023000", "no certificate in it" },
	{ "3004a2023000", "neither [0] Certificate" },
	{ "3004a0053000", "overruns" },
	{ "3004a0020400", "not one SEQUENCE" },
	{ "3006a00430003000", "not one SEQUENCE" },
	{ "3080a0023000", "not one DER SEQUENCE" },	/* indefinite */
	{ "30840000000000", "not one DER SEQUENCE" },	/* 4 length octets */
	{ "30023000ff", "not one DER SEQUENCE" },	/* trailing octet */
};

START_TEST(x509_hash_url_bundle_malformed)
{
	struct tbuf bb = t_hex(bad_bundle[_i].hex);

	start_bundle(bb.p, bb.len);
	ck_assert_int_eq(H.nfetch, 1);
	ck_assert_int_ne(ike_sa_cert_fetched(H.sa, 0, 0, bb.p, bb.len, NULL,
	    H.now), 0);
	ck_assert_int_eq(H.close.reason, IR_ERR_CERT);
	ck_assert_msg(strstr(H.close.detail, "bundle fetched from " GW_URL
	    " is refused") != NULL && strstr(H.close.detail,
	    bad_bundle[_i].why) != NULL, "%s", H.close.detail);
	ck_assert_int_eq(H.npeer_cert, 0);
	h_free();
}
END_TEST

Suite *
ike_x509_suite(void)
{
	Suite *s = suite_create("ike_x509");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, x509_sends_intermediates);
	tcase_add_test(tc, x509_system_store);
	tcase_add_loop_test(tc, x509_remote_id_patterns, 0,
	    IR_ARRAY_LEN(rid));
	tcase_add_test(tc, x509_sha1_auth_after_rfc7427);
	tcase_add_test(tc, x509_sha1_auth_without_rfc7427);
	tcase_add_test(tc, x509_peer_cert_path);
	tcase_add_test(tc, x509_peer_cert_later);
	tcase_add_test(tc, x509_peer_cert_refused);
	tcase_add_test(tc, x509_ocsp_certreq);
	tcase_add_test(tc, x509_ocsp_certreq_system);
	tcase_add_test(tc, x509_hash_url);
	tcase_add_test(tc, x509_hash_url_mismatch);
	tcase_add_test(tc, x509_hash_url_fetch_failed);
	tcase_add_loop_test(tc, x509_hash_url_refused, 0, 3);
	tcase_add_test(tc, x509_hash_url_bundle);
	tcase_add_loop_test(tc, x509_hash_url_bundle_order, 0, 2);
	tcase_add_loop_test(tc, x509_hash_url_bundle_malformed, 0,
	    IR_ARRAY_LEN(bad_bundle));
	suite_add_tcase(s, tc);
	return s;
}
