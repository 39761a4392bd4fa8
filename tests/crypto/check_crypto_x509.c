/*
 * tests/crypto/check_crypto_x509.c: certificates, trust anchors, chain
 * verification and identity matching (crypto_x509.c) with the test PKI
 * of tests/vectors/pki/ (valid 2026-01-01 .. 2056-01-01).
 */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto_sig.h"
#include "tests/check_util.h"

struct tbuf	t_dn(const char *text);	/* check_crypto_dn.c */

#define T_2030	((int64_t)1893456000)	/* 2030-01-01: inside validity */
#define T_2057	((int64_t)2745532800)	/* 2057-01-01: all expired */
#define T_2025	((int64_t)1748736000)	/* 2025-06-01: not yet valid */

static struct crypto_cert *
load_cert(const char *name)
{
	char rel[128];
	struct crypto_cert *c;
	struct tbuf b;

	snprintf(rel, sizeof(rel), "pki/%s", name);
	b = t_vec_file(rel);
	ck_assert_int_eq(crypto_cert_load(&c, b.p, b.len), 0);
	return c;
}

static const char *
vec_path(const char *rel)
{
	const char *top = getenv("top_srcdir");
	char *p = t_alloc(1024);

	snprintf(p, 1024, "%s/tests/vectors/%s", top ? top : ".", rel);
	return p;
}

static struct crypto_trust *
trust_root(void)
{
	struct crypto_trust *t;

	ck_assert_int_eq(crypto_trust_new(&t), 0);
	ck_assert_int_eq(crypto_trust_add_file(t, vec_path("pki/root-ca.crt")),
	    0);
	ck_assert_uint_eq(crypto_trust_count(t), 1);
	return t;
}

/* The DER of certificate files as a chain of CERT payload blobs. */
static struct crypto_iov *
chain_of(const char **names, size_t n)
{
	struct crypto_iov *iov = t_alloc(n * sizeof(*iov));
	const uint8_t *der;
	struct crypto_cert *c;
	uint8_t *copy;
	size_t i, len;

	for (i = 0; i < n; i++) {
		c = load_cert(names[i]);
		crypto_cert_der(c, &der, &len);
		copy = t_alloc(len);
		memcpy(copy, der, len);
		iov[i].p = copy;
		iov[i].len = len;
		crypto_cert_free(c);
	}
	return iov;
}

/* ---- Loading ------------------------------------------------------------- */

START_TEST(x509_load)
{
	struct tbuf der = t_vec_file("pki/gw-rsa2048.der");
	struct tbuf bundle = t_vec_file("pki/ca-bundle.pem");
	struct crypto_cert *c = load_cert("gw-rsa2048.crt"), *d, *list[4];
	const uint8_t *p;
	char subject[128];
	size_t len, n;

	/* The CERT payload bytes are the certificate's DER (openssl's). */
	crypto_cert_der(c, &p, &len);
	ck_assert_uint_eq(len, der.len);
	ck_assert_mem_eq(p, der.p, len);
	ck_assert_int_eq(crypto_cert_load(&d, der.p, der.len), 0);
	crypto_cert_subject(d, subject, sizeof(subject));
	ck_assert_str_eq(subject, "CN=gw.vpn.test,O=ikeroam tests,C=XX");
	crypto_cert_free(d);
	ck_assert_int_eq(crypto_cert_load_file(&d,
	    vec_path("pki/gw-rsa2048.der")), 0);
	crypto_cert_free(d);

	ck_assert_int_eq(crypto_cert_load_chain(list, 4, &n, bundle.p,
	    bundle.len), 0);
	ck_assert_uint_eq(n, 2);
	crypto_cert_subject(list[1], subject, sizeof(subject));
	ck_assert_str_eq(subject, "CN=ikeroam Test Sub CA,O=ikeroam tests,C=XX");
	crypto_cert_free(list[0]);
	crypto_cert_free(list[1]);
	ck_assert_int_eq(crypto_cert_load_chain(list, 1, &n, bundle.p,
	    bundle.len), IR_ERR_NOBUF);
	ck_assert_uint_eq(n, 0);

	/* Garbage, truncated DER, a key where a certificate was due. */
	ck_assert_int_eq(crypto_cert_load(&d, der.p, der.len - 1),
	    IR_ERR_MALFORMED);
	ck_assert_int_eq(crypto_cert_load(&d, (const uint8_t *)"x", 1),
	    IR_ERR_MALFORMED);
	der = t_vec_file("pki/gw-rsa2048.key");
	ck_assert_int_eq(crypto_cert_load(&d, der.p, der.len),
	    IR_ERR_MALFORMED);
	ck_assert_ptr_null(d);
	crypto_cert_free(c);
}
END_TEST

/* RFC 7296 §3.7: SHA-1 of the SubjectPublicKeyInfo, as openssl made it. */
START_TEST(x509_certreq)
{
	struct crypto_cert *root = load_cert("root-ca.crt");
	struct crypto_cert *sub = load_cert("sub-ca.crt");
	struct tbuf want_root = t_vec_hex("pki/root-ca.spki.sha1");
	struct tbuf want_sub = t_vec_hex("pki/sub-ca.spki.sha1");
	struct crypto_trust *t;
	uint8_t h[CRYPTO_SHA1_LEN], req[3 * CRYPTO_SHA1_LEN];
	size_t len;

	ck_assert_int_eq(crypto_cert_spki_sha1(root, h), 0);
	ck_assert_mem_eq(h, want_root.p, sizeof(h));
	ck_assert_int_eq(crypto_trust_new(&t), 0);
	ck_assert_int_eq(crypto_trust_add_cert(t, root), 0);
	ck_assert_int_eq(crypto_trust_add_cert(t, sub), 0);
	ck_assert_int_eq(crypto_trust_add_cert(t, root), 0);	/* again */
	ck_assert_uint_eq(crypto_trust_count(t), 2);
	ck_assert_int_eq(crypto_trust_certreq(t, req, sizeof(req), &len), 0);
	ck_assert_uint_eq(len, 2 * CRYPTO_SHA1_LEN);
	ck_assert_mem_eq(req, want_root.p, CRYPTO_SHA1_LEN);
	ck_assert_mem_eq(req + CRYPTO_SHA1_LEN, want_sub.p, CRYPTO_SHA1_LEN);
	ck_assert_int_eq(crypto_trust_certreq(t, req, 39, &len), IR_ERR_NOBUF);
	crypto_trust_free(t);
	crypto_cert_free(root);
	crypto_cert_free(sub);
}
END_TEST

START_TEST(x509_trust_sources)
{
	struct crypto_trust *t;
	struct tbuf b;

	ck_assert_int_eq(crypto_trust_new(&t), 0);
	/* A directory: root as PEM, sub CA as DER, any file names. */
	ck_assert_int_eq(crypto_trust_add_dir(t, vec_path("pki/cadir")), 0);
	ck_assert_uint_eq(crypto_trust_count(t), 2);
	ck_assert_int_eq(crypto_trust_add_file(t,
	    vec_path("pki/ca-bundle.pem")), 0);
	ck_assert_uint_eq(crypto_trust_count(t), 2);	/* no duplicates */
	/* Files with no certificate, missing files and directories. */
	ck_assert_int_eq(crypto_trust_add_file(t, vec_path("pki/README.md")),
	    IR_ERR_CONFIG);
	ck_assert_int_eq(crypto_trust_add_file(t, vec_path("pki/nothing")),
	    -ENOENT);
	ck_assert_int_eq(crypto_trust_add_dir(t, vec_path("pki/nothing")),
	    IR_ERR_CONFIG);
	ck_assert_int_eq(crypto_trust_add_dir(t,
	    vec_path("strongswan-eap-udp")), IR_ERR_CONFIG);
	/* Bytes the caller read: the same rules. */
	ck_assert_int_eq(crypto_trust_add_data(t, (const uint8_t *)"no cert",
	    7), IR_ERR_CONFIG);
	crypto_trust_free(t);
	ck_assert_int_eq(crypto_trust_new(&t), 0);
	b = t_vec_file("pki/ca-bundle.pem");
	ck_assert_int_eq(crypto_trust_add_data(t, b.p, b.len), 0);
	ck_assert_uint_eq(crypto_trust_count(t), 2);
	crypto_trust_free(t);
}
END_TEST

/* ---- Chain verification -------------------------------------------------- */

START_TEST(x509_verify_ok)
{
	static const char *rsa[] = { "gw-rsa2048.crt" };
	static const char *ec[] = { "gw-ecdsa-p256.crt", "sub-ca.crt" };
	static const char *ec_alone[] = { "gw-ecdsa-p256.crt" };
	struct crypto_trust *t = trust_root();
	struct crypto_cert *leaf, *sub = load_cert("sub-ca.crt");
	struct crypto_pkey *pub;
	char why[CRYPTO_WHY_MAX];
	const uint8_t *a, *b;
	size_t alen, blen;

	ck_assert_int_eq(crypto_trust_verify(t, chain_of(rsa, 1), 1, T_2030,
	    &leaf, why, sizeof(why)), 0);
	ck_assert_str_eq(why, "");
	ck_assert_int_eq(crypto_cert_pubkey(leaf, &pub), 0);
	ck_assert_int_eq(crypto_pkey_type(pub), CRYPTO_KEY_RSA);
	crypto_pkey_free(pub);
	crypto_cert_free(leaf);
	/* Now (2026..2056 covers every day these tests will see). */
	ck_assert_int_eq(crypto_trust_verify(t, chain_of(rsa, 1), 1,
	    CRYPTO_TIME_NOW, NULL, NULL, 0), 0);

	/* Leaf + intermediate from the CERT payloads. */
	ck_assert_int_eq(crypto_trust_verify(t, chain_of(ec, 2), 2, T_2030,
	    &leaf, why, sizeof(why)), 0);
	crypto_cert_der(leaf, &a, &alen);
	b = chain_of(ec, 1)[0].p;
	blen = chain_of(ec, 1)[0].len;
	ck_assert_uint_eq(alen, blen);
	ck_assert_mem_eq(a, b, alen);
	crypto_cert_free(leaf);
	/* Without the intermediate it fails, unless the intermediate is
	 * itself a configured anchor. */
	ck_assert_int_eq(crypto_trust_verify(t, chain_of(ec_alone, 1), 1,
	    T_2030, NULL, why, sizeof(why)), IR_ERR_CERT);
	ck_assert_ptr_nonnull(strstr(why, "local issuer"));
	ck_assert_int_eq(crypto_trust_add_cert(t, sub), 0);
	ck_assert_int_eq(crypto_trust_verify(t, chain_of(ec_alone, 1), 1,
	    T_2030, NULL, why, sizeof(why)), 0);
	crypto_cert_free(sub);
	crypto_trust_free(t);
}
END_TEST

START_TEST(x509_verify_fail)
{
	static const char *rsa[] = { "gw-rsa2048.crt" };
	static const char *other[] = { "other-leaf.crt", "other-ca.crt" };
	static const char *self[] = { "selfsigned.crt" };
	struct crypto_trust *t = trust_root();
	struct crypto_cert *leaf = (struct crypto_cert *)&leaf;
	char why[CRYPTO_WHY_MAX];

	/* Expired: the same chain thirty-one years on. */
	ck_assert_int_eq(crypto_trust_verify(t, chain_of(rsa, 1), 1, T_2057,
	    &leaf, why, sizeof(why)), IR_ERR_CERT);
	ck_assert_ptr_null(leaf);
	ck_assert_ptr_nonnull(strstr(why, "expired"));
	ck_assert_ptr_nonnull(strstr(why, "CN="));
	ck_assert_ptr_null(strchr(why, '\n'));
	ck_assert_int_eq(crypto_trust_verify(t, chain_of(rsa, 1), 1, T_2025,
	    NULL, why, sizeof(why)), IR_ERR_CERT);
	ck_assert_ptr_nonnull(strstr(why, "not yet valid"));
	/* Issued by a CA we do not trust, even with that CA in the chain. */
	ck_assert_int_eq(crypto_trust_verify(t, chain_of(other, 2), 2, T_2030,
	    NULL, why, sizeof(why)), IR_ERR_CERT);
	ck_assert_ptr_nonnull(strstr(why, "self-signed certificate in "
	    "certificate chain"));
	ck_assert_int_eq(crypto_trust_verify(t, chain_of(other, 1), 1, T_2030,
	    NULL, why, sizeof(why)), IR_ERR_CERT);
	ck_assert_ptr_nonnull(strstr(why, "local issuer"));
	/* A self-signed leaf. */
	ck_assert_int_eq(crypto_trust_verify(t, chain_of(self, 1), 1, T_2030,
	    NULL, why, sizeof(why)), IR_ERR_CERT);
	ck_assert_ptr_nonnull(strstr(why, "self-signed certificate"));
	ck_assert_ptr_nonnull(strstr(why, "depth 0"));
	crypto_trust_free(t);
}
END_TEST

START_TEST(x509_verify_malformed)
{
	static const char *rsa[] = { "gw-rsa2048.crt" };
	struct crypto_trust *t = trust_root();
	struct crypto_iov chain[CRYPTO_CHAIN_MAX + 1], *good = chain_of(rsa, 1);
	char why[CRYPTO_WHY_MAX];
	size_t i;

	chain[0] = good[0];
	chain[0].len--;
	ck_assert_int_eq(crypto_trust_verify(t, chain, 1, T_2030, NULL, why,
	    sizeof(why)), IR_ERR_MALFORMED);
	ck_assert_str_eq(why, "certificate 0 of the chain does not parse");
	chain[0] = good[0];
	chain[1].p = (const uint8_t *)"\x30\x03\x02\x01";
	chain[1].len = 4;
	ck_assert_int_eq(crypto_trust_verify(t, chain, 2, T_2030, NULL, why,
	    sizeof(why)), IR_ERR_MALFORMED);
	for (i = 0; i < IR_ARRAY_LEN(chain); i++)
		chain[i] = good[0];
	ck_assert_int_eq(crypto_trust_verify(t, chain, IR_ARRAY_LEN(chain),
	    T_2030, NULL, why, sizeof(why)), IR_ERR_CERT);
	ck_assert_int_eq(crypto_trust_verify(t, chain, 0, T_2030, NULL, why,
	    sizeof(why)), IR_ERR_CERT);
	/* A small |why| is cut, never overrun. */
	ck_assert_int_eq(crypto_trust_verify(t, chain, 1, T_2057, NULL, why,
	    8), IR_ERR_CERT);
	ck_assert_uint_eq(strlen(why), 7);
	crypto_trust_free(t);
}
END_TEST

/* ---- Identities (RFC 4945 §3.1) ------------------------------------------ */

/* C=XX, O=ikeroam tests, CN=gw.vpn.test, encoded by hand (X.690). */
static const char gw_dn[] =
    "303b"
    "310b3009060355040613025858"
    "3116301406035504 0a0c0d696b65726f616d207465737473"
    "3114301206035504 030c0b67772e76706e2e74657374";
/* The same with CN=gw2.vpn.test. */
static const char gw2_dn[] =
    "303c"
    "310b3009060355040613025858"
    "3116301406035504 0a0c0d696b65726f616d207465737473"
    "3115301306035504 030c0c6777322e76706e2e74657374";

static const struct id_vec {
	const char	*crt;
	uint8_t		 type;
	const char	*id;		/* hex for addresses and DNs, else text */
	int		 rv;
} id_vecs[] = {
	{ "gw-rsa2048.crt", CRYPTO_ID_IPV4_ADDR, "c633640a", 0 },
	{ "gw-rsa2048.crt", CRYPTO_ID_IPV4_ADDR, "c633640b", IR_ERR_PEER_ID },
	{ "gw-rsa2048.crt", CRYPTO_ID_IPV4_ADDR, "c63364", IR_ERR_MALFORMED },
	{ "gw-rsa2048.crt", CRYPTO_ID_IPV6_ADDR,
	    "20010db8000000000000000000000010", 0 },
	{ "gw-rsa2048.crt", CRYPTO_ID_IPV6_ADDR,
	    "20010db8000000000000000000000011", IR_ERR_PEER_ID },
	{ "gw-rsa2048.crt", CRYPTO_ID_IPV6_ADDR, "c633640a", IR_ERR_MALFORMED },
	{ "gw-rsa2048.crt", CRYPTO_ID_FQDN, "gw.vpn.test", 0 },
	{ "gw-rsa2048.crt", CRYPTO_ID_FQDN, "GW.Vpn.TEST.", 0 },
	{ "gw-rsa2048.crt", CRYPTO_ID_FQDN, "vpn.test", 0 },
	{ "gw-rsa2048.crt", CRYPTO_ID_FQDN, "evil.vpn.test", IR_ERR_PEER_ID },
	{ "gw-rsa2048.crt", CRYPTO_ID_FQDN, "gw.vpn.tes", IR_ERR_PEER_ID },
	{ "gw-rsa2048.crt", CRYPTO_ID_FQDN, "gw-admin@vpn.test",
	    IR_ERR_PEER_ID },
	{ "gw-rsa2048.crt", CRYPTO_ID_RFC822_ADDR, "gw-admin@vpn.test", 0 },
	{ "gw-rsa2048.crt", CRYPTO_ID_RFC822_ADDR, "alice@vpn.test",
	    IR_ERR_PEER_ID },
	{ "gw-rsa2048.crt", CRYPTO_ID_RFC822_ADDR, "gw.vpn.test",
	    IR_ERR_PEER_ID },
	{ "gw-rsa2048.crt", CRYPTO_ID_DER_ASN1_DN, gw_dn, 0 },
	{ "gw-rsa2048.crt", CRYPTO_ID_DER_ASN1_DN, gw2_dn, IR_ERR_PEER_ID },
	{ "gw-rsa2048.crt", CRYPTO_ID_DER_ASN1_DN, "303b3109", IR_ERR_MALFORMED },
	{ "gw-rsa2048.crt", 11 /* KEY_ID */, "00", IR_ERR_UNSUPPORTED },
	/* Same subject, other CA: the name matches, trust is verify's job. */
	{ "other-leaf.crt", CRYPTO_ID_DER_ASN1_DN, gw_dn, 0 },
	{ "selfsigned.crt", CRYPTO_ID_DER_ASN1_DN, gw_dn, IR_ERR_PEER_ID },
	{ "selfsigned.crt", CRYPTO_ID_FQDN, "self.vpn.test", 0 },
	{ "gw-ecdsa-p256.crt", CRYPTO_ID_IPV4_ADDR, "c0000201", 0 },
	{ "gw-ecdsa-p256.crt", CRYPTO_ID_FQDN, "gw.harness.test", 0 },
	{ "gw-ecdsa-p256.crt", CRYPTO_ID_FQDN, "gw.vpn.test", IR_ERR_PEER_ID },
	{ "client-ecdsa-p256.crt", CRYPTO_ID_RFC822_ADDR, "BOB@harness.test",
	    0 },
	{ "client-ecdsa-p256.crt", CRYPTO_ID_RFC822_ADDR, "bob@harness.tes",
	    IR_ERR_PEER_ID },
	{ "client-ecdsa-p256.crt", CRYPTO_ID_IPV4_ADDR, "c0000202", 0 },
	{ "client-ecdsa-p256.crt", CRYPTO_ID_IPV6_ADDR,
	    "20010db8000000000000000000000002", 0 },
	{ "client-ecdsa-p256.crt", CRYPTO_ID_IPV4_ADDR, "c0000201",
	    IR_ERR_PEER_ID },
	{ "client-rsa3072.crt", CRYPTO_ID_FQDN, "alice.harness.test", 0 },
	{ "client-rsa3072.crt", CRYPTO_ID_FQDN, "alice", IR_ERR_PEER_ID },
};

START_TEST(x509_match_id)
{
	const struct id_vec *v = &id_vecs[_i];
	struct crypto_cert *c = load_cert(v->crt);
	struct tbuf id;

	if (v->type == CRYPTO_ID_FQDN || v->type == CRYPTO_ID_RFC822_ADDR) {
		id.p = (uint8_t *)v->id;
		id.len = strlen(v->id);
	} else {
		id = t_hex(v->id);
	}
	ck_assert_int_eq(crypto_cert_match_id(c, v->type, id.p, id.len),
	    v->rv);
	crypto_cert_free(c);
}
END_TEST

START_TEST(x509_subject_der)
{
	struct crypto_cert *c = load_cert("gw-rsa2048.crt");
	struct tbuf want = t_hex(gw_dn);
	uint8_t dn[256];
	size_t len;

	/* Our own ID_DER_ASN1_DN, byte for byte the hand-made encoding. */
	ck_assert_int_eq(crypto_cert_subject_der(c, dn, sizeof(dn), &len), 0);
	ck_assert_uint_eq(len, want.len);
	ck_assert_mem_eq(dn, want.p, len);
	ck_assert_int_eq(crypto_cert_match_id(c, CRYPTO_ID_DER_ASN1_DN, dn,
	    len), 0);
	ck_assert_int_eq(crypto_cert_subject_der(c, dn, len - 1, &len),
	    IR_ERR_NOBUF);
	crypto_cert_free(c);
}
END_TEST

/* ---- Identities and patterns against certificates ------------------------ */

static const struct {
	const char	*crt;
	uint8_t		 type;
	const char	*id;		/* a DN as text for DER_ASN1_DN */
	int		 exact, pattern;
} pat_vecs[] = {
	/* A certificate's "*.wild.vpn.test" covers one label (RFC 6125). */
	{ "gw-wild.crt", CRYPTO_ID_FQDN, "gw.wild.vpn.test", 0, 0 },
	{ "gw-wild.crt", CRYPTO_ID_FQDN, "GW.Wild.vpn.test.", 0, 0 },
	{ "gw-wild.crt", CRYPTO_ID_FQDN, "a.gw.wild.vpn.test",
	    IR_ERR_PEER_ID, IR_ERR_PEER_ID },
	{ "gw-wild.crt", CRYPTO_ID_FQDN, "wild.vpn.test", IR_ERR_PEER_ID,
	    IR_ERR_PEER_ID },
	{ "gw-wild.crt", CRYPTO_ID_FQDN, "*.wild.vpn.test", 0, 0 },
	/* A configured "*.vpn.test" covers every depth, by label. */
	{ "gw-rsa2048.crt", CRYPTO_ID_FQDN, "*.vpn.test", IR_ERR_PEER_ID, 0 },
	{ "gw-rsa2048.crt", CRYPTO_ID_FQDN, "*.pn.test", IR_ERR_PEER_ID,
	    IR_ERR_PEER_ID },
	{ "gw-rsa2048.crt", CRYPTO_ID_FQDN, "*.test", IR_ERR_PEER_ID,
	    IR_ERR_PEER_ID },
	{ "gw-rsa2048.crt", CRYPTO_ID_FQDN, "*.other.test", IR_ERR_PEER_ID,
	    IR_ERR_PEER_ID },
	{ "gw-ecdsa-p256.crt", CRYPTO_ID_FQDN, "*.harness.test",
	    IR_ERR_PEER_ID, 0 },
	{ "gw-rsa2048.crt", CRYPTO_ID_RFC822_ADDR, "*@vpn.test",
	    IR_ERR_PEER_ID, 0 },
	{ "gw-rsa2048.crt", CRYPTO_ID_RFC822_ADDR, "*@pn.test",
	    IR_ERR_PEER_ID, IR_ERR_PEER_ID },
	/* DNs: the subject as strongSwan compares it, "*" as a pattern. */
	{ "gw-rsa2048.crt", CRYPTO_ID_DER_ASN1_DN,
	    "C=XX, O=ikeroam tests, CN=gw.vpn.test", 0, 0 },
	/* Case is ignored only where both are PrintableStrings (C here;
	 * openssl wrote O and CN as UTF8String). */
	{ "gw-rsa2048.crt", CRYPTO_ID_DER_ASN1_DN,
	    "c=xx, o=ikeroam tests, cn=gw.vpn.test", 0, 0 },
	{ "gw-rsa2048.crt", CRYPTO_ID_DER_ASN1_DN,
	    "C=XX, O=IKEROAM TESTS, CN=gw.vpn.test", IR_ERR_PEER_ID,
	    IR_ERR_PEER_ID },
	{ "gw-rsa2048.crt", CRYPTO_ID_DER_ASN1_DN,
	    "CN=gw.vpn.test, O=ikeroam tests, C=XX", IR_ERR_PEER_ID,
	    IR_ERR_PEER_ID },
	{ "gw-rsa2048.crt", CRYPTO_ID_DER_ASN1_DN,
	    "C=XX, O=ikeroam tests, CN=*", IR_ERR_PEER_ID, 0 },
	{ "gw-rsa2048.crt", CRYPTO_ID_DER_ASN1_DN, "C=XX, O=*, CN=*",
	    IR_ERR_PEER_ID, 0 },
	{ "gw-rsa2048.crt", CRYPTO_ID_DER_ASN1_DN,
	    "C=XX, O=other, CN=*", IR_ERR_PEER_ID, IR_ERR_PEER_ID },
	{ "gw-wild.crt", CRYPTO_ID_DER_ASN1_DN,
	    "C=XX, O=ikeroam tests, OU=Gateways, CN=*", IR_ERR_PEER_ID, 0 },
	{ "gw-wild.crt", CRYPTO_ID_DER_ASN1_DN,
	    "C=XX, O=ikeroam tests, CN=*", IR_ERR_PEER_ID, IR_ERR_PEER_ID },
};

START_TEST(cert_patterns)
{
	struct crypto_cert *c = load_cert(pat_vecs[_i].crt);
	struct tbuf id;

	if (pat_vecs[_i].type == CRYPTO_ID_DER_ASN1_DN)
		id = t_dn(pat_vecs[_i].id);
	else
		id = (struct tbuf){ (uint8_t *)pat_vecs[_i].id,
		    strlen(pat_vecs[_i].id) };
	ck_assert_int_eq(crypto_cert_match_id(c, pat_vecs[_i].type, id.p,
	    id.len), pat_vecs[_i].exact);
	ck_assert_int_eq(crypto_cert_match_pattern(c, pat_vecs[_i].type,
	    id.p, id.len), pat_vecs[_i].pattern);
	crypto_cert_free(c);
}
END_TEST

START_TEST(id_patterns)
{
	static const struct {
		uint8_t		 type;
		const char	*id;
		bool		 pattern;
	} v[] = {
		{ CRYPTO_ID_FQDN, "*.example.com", true },
		{ CRYPTO_ID_FQDN, "*.com", false },
		{ CRYPTO_ID_FQDN, "*", false },
		{ CRYPTO_ID_FQDN, "a*.example.com", false },
		{ CRYPTO_ID_FQDN, "*.*.example.com", false },
		{ CRYPTO_ID_FQDN, "*.example.com.", false },
		{ CRYPTO_ID_RFC822_ADDR, "*@example.com", true },
		{ CRYPTO_ID_RFC822_ADDR, "*@com", false },
		{ CRYPTO_ID_RFC822_ADDR, "a*@example.com", false },
		{ CRYPTO_ID_IPV4_ADDR, "*...", false },
	};
	size_t i;

	for (i = 0; i < IR_ARRAY_LEN(v); i++)
		ck_assert_msg(crypto_id_is_pattern(v[i].type,
		    (const uint8_t *)v[i].id, strlen(v[i].id)) == v[i].pattern,
		    "%s", v[i].id);
}
END_TEST

/* ---- The system trust store ------------------------------------------------ */

/* A "system" store made of the test root only, as tests/interop do:
 * SSL_CERT_FILE names it, SSL_CERT_DIR an empty place. */
static struct crypto_trust *
system_trust(void)
{
	struct crypto_trust *t;

	setenv("SSL_CERT_FILE", vec_path("pki/root-ca.crt"), 1);
	setenv("SSL_CERT_DIR", vec_path("pki/nothing"), 1);
	ck_assert_int_eq(crypto_trust_new(&t), 0);
	ck_assert_int_eq(crypto_trust_add_system(t), 0);
	ck_assert(crypto_trust_is_system(t));
	return t;
}

START_TEST(system_store)
{
	static const char *rsa[] = { "gw-rsa2048.crt" };
	static const char *ec[] = { "gw-ecdsa-p256.crt", "sub-ca.crt" };
	static const char *ec_alone[] = { "gw-ecdsa-p256.crt" };
	static const char *other[] = { "other-leaf.crt", "other-ca.crt" };
	struct crypto_trust *t = system_trust();
	struct crypto_chain *ch;
	char why[CRYPTO_WHY_MAX], line[256];
	uint8_t creq[64];
	size_t n;

	ck_assert_int_eq(crypto_trust_certreq(t, creq, sizeof(creq), &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(crypto_trust_verify_chain(t, chain_of(rsa, 1), 1,
	    T_2030, &ch, why, sizeof(why)), 0);
	ck_assert_uint_eq(crypto_chain_len(ch), 2);
	ck_assert(crypto_chain_from_system(ch));
	crypto_chain_subject(ch, 1, line, sizeof(line));
	ck_assert_str_eq(line, "CN=ikeroam Test Root CA,O=ikeroam tests,C=XX");
	crypto_chain_subject(ch, 2, line, sizeof(line));
	ck_assert_str_eq(line, "");
	crypto_chain_free(ch);
	/* The intermediate from the gateway's CERT payloads. */
	ck_assert_int_eq(crypto_trust_verify_chain(t, chain_of(ec, 2), 2,
	    T_2030, &ch, why, sizeof(why)), 0);
	ck_assert_uint_eq(crypto_chain_len(ch), 3);
	crypto_chain_free(ch);
	ck_assert_int_eq(crypto_trust_verify_chain(t, chain_of(ec_alone, 1),
	    1, T_2030, &ch, why, sizeof(why)), IR_ERR_CERT);
	ck_assert_ptr_null(ch);
	ck_assert_int_eq(crypto_trust_verify_chain(t, chain_of(other, 2), 2,
	    T_2030, &ch, why, sizeof(why)), IR_ERR_CERT);
	crypto_trust_free(t);

	/* Nothing there at all: a configuration error. */
	setenv("SSL_CERT_FILE", vec_path("pki/nothing"), 1);
	ck_assert_int_eq(crypto_trust_new(&t), 0);
	ck_assert_int_eq(crypto_trust_add_system(t), IR_ERR_CONFIG);
	crypto_trust_free(t);
}
END_TEST

/*
 * Without SSL_CERT_FILE, a directory of hash links (what c_rehash and
 * update-ca-certificates make) is the store alone, read when a chain is
 * verified: the bundle is not parsed at every start.
 */
START_TEST(system_store_hashed_dir)
{
	static const char *rsa[] = { "gw-rsa2048.crt" };
	static const char *other[] = { "other-leaf.crt", "other-ca.crt" };
	char dir[] = "/tmp/ikeroam-trust-XXXXXX", link[PATH_MAX], root[PATH_MAX];
	struct crypto_trust *t;
	struct crypto_chain *ch;
	char why[CRYPTO_WHY_MAX];
	X509 *x;
	FILE *f;

	ck_assert_ptr_nonnull(realpath(vec_path("pki/root-ca.crt"), root));
	ck_assert_ptr_nonnull((f = fopen(root, "r")));
	ck_assert_ptr_nonnull((x = PEM_read_X509(f, NULL, NULL, NULL)));
	fclose(f);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(link, sizeof(link), "%s/%08lx.0", dir,
	    X509_subject_name_hash(x));
	X509_free(x);
	ck_assert_int_eq(symlink(root, link), 0);

	unsetenv("SSL_CERT_FILE");
	setenv("SSL_CERT_DIR", dir, 1);
	ck_assert_int_eq(crypto_trust_new(&t), 0);
	ck_assert_int_eq(crypto_trust_add_system(t), 0);
	ck_assert(crypto_trust_is_system(t));
	ck_assert_int_eq(crypto_trust_verify_chain(t, chain_of(rsa, 1), 1,
	    T_2030, &ch, why, sizeof(why)), 0);
	ck_assert_uint_eq(crypto_chain_len(ch), 2);
	ck_assert(crypto_chain_from_system(ch));
	crypto_chain_free(ch);
	ck_assert_int_eq(crypto_trust_verify_chain(t, chain_of(other, 2), 2,
	    T_2030, &ch, why, sizeof(why)), IR_ERR_CERT);
	crypto_trust_free(t);
	unlink(link);
	rmdir(dir);
}
END_TEST

/* A public CA signs TLS client certificates too, and a company's CA its
 * users': the gateway's must say server or IKE when it says anything,
 * with the system store and with --ca alike. */
START_TEST(gateway_eku)
{
	static const char *client[] = { "gw-eku-client.crt" };
	static const char *ike[] = { "gw-eku-ike.crt" };
	static const char *wild[] = { "gw-wild.crt" };
	struct crypto_trust *t = system_trust(), *ca;
	struct crypto_chain *ch;
	char why[CRYPTO_WHY_MAX];

	ck_assert_int_eq(crypto_trust_verify_chain(t, chain_of(client, 1), 1,
	    T_2030, &ch, why, sizeof(why)), IR_ERR_CERT_PURPOSE);
	ck_assert_ptr_nonnull(strstr(why, "extended key usage"));
	ck_assert_int_eq(crypto_trust_verify_chain(t, chain_of(ike, 1), 1,
	    T_2030, &ch, why, sizeof(why)), 0);
	crypto_chain_free(ch);
	ck_assert_int_eq(crypto_trust_verify_chain(t, chain_of(wild, 1), 1,
	    T_2030, &ch, why, sizeof(why)), 0);
	crypto_chain_free(ch);
	ck_assert_int_eq(crypto_trust_new(&ca), 0);
	ck_assert_int_eq(crypto_trust_add_file(ca,
	    vec_path("pki/root-ca.crt")), 0);
	ck_assert_int_eq(crypto_trust_verify_chain(ca, chain_of(client, 1), 1,
	    T_2030, &ch, why, sizeof(why)), IR_ERR_CERT_PURPOSE);
	ck_assert_ptr_nonnull(strstr(why, "extended key usage"));
	ck_assert_int_eq(crypto_trust_verify_chain(ca, chain_of(ike, 1), 1,
	    T_2030, &ch, why, sizeof(why)), 0);
	ck_assert(!crypto_chain_from_system(ch));
	crypto_chain_free(ch);
	crypto_trust_free(ca);
	crypto_trust_free(t);
}
END_TEST

Suite *
x509_suite(void)
{
	Suite *s = suite_create("x509");
	TCase *tc;

	tc = tcase_create("certs");
	tcase_add_test(tc, x509_load);
	tcase_add_test(tc, x509_certreq);
	tcase_add_test(tc, x509_trust_sources);
	suite_add_tcase(s, tc);

	tc = tcase_create("verify");
	tcase_add_test(tc, x509_verify_ok);
	tcase_add_test(tc, x509_verify_fail);
	tcase_add_test(tc, x509_verify_malformed);
	suite_add_tcase(s, tc);

	tc = tcase_create("identity");
	tcase_add_loop_test(tc, x509_match_id, 0, IR_ARRAY_LEN(id_vecs));
	tcase_add_test(tc, x509_subject_der);
	tcase_add_loop_test(tc, cert_patterns, 0, IR_ARRAY_LEN(pat_vecs));
	tcase_add_test(tc, id_patterns);
	suite_add_tcase(s, tc);

	tc = tcase_create("system");
	tcase_add_test(tc, system_store);
	tcase_add_test(tc, system_store_hashed_dir);
	tcase_add_test(tc, gateway_eku);
	suite_add_tcase(s, tc);
	return s;
}
