/*
 * tests/crypto/check_crypto_sig.c: keys and IKE AUTH signatures
 * (crypto_sig.h, crypto_pkey.c and crypto_sig.c): loading keys in every
 * format, the RFC 7427 AlgorithmIdentifiers, scheme choice, RFC 4754 §8
 * vectors, the strongSwan run's RFC 7427 ECDSA AUTH, and sign/verify
 * round trips with the test PKI of tests/vectors/pki/.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "common/wire.h"
#include "crypto/crypto_sig.h"
#include "tests/check_util.h"

#define EAP_DIR	"strongswan-eap-udp/aesgcm128-prfsha256-x25519"
#define PASS	"ikeroam-test-passphrase"

static struct crypto_pkey *
load_key(const char *name)
{
	char rel[128];
	struct crypto_pkey *k;
	struct tbuf b;

	snprintf(rel, sizeof(rel), "pki/%s", name);
	b = t_vec_file(rel);
	ck_assert_int_eq(crypto_pkey_load_private(&k, b.p, b.len, NULL), 0);
	return k;
}

static struct crypto_pkey *
load_cert_key(const char *name)
{
	char rel[128];
	struct crypto_cert *c;
	struct crypto_pkey *k;
	struct tbuf b;

	snprintf(rel, sizeof(rel), "pki/%s", name);
	b = t_vec_file(rel);
	ck_assert_int_eq(crypto_cert_load(&c, b.p, b.len), 0);
	ck_assert_int_eq(crypto_cert_pubkey(c, &k), 0);
	crypto_cert_free(c);
	return k;
}

/* A private copy of a vector file with |mode|; the path is returned. */
static const char *
tmp_copy(const char *rel, mode_t mode)
{
	struct tbuf b = t_vec_file(rel);
	char *path = t_alloc(64);
	int fd;

	snprintf(path, 64, "/tmp/ikeroam-sig-XXXXXX");
	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_int_eq(write(fd, b.p, b.len), (ssize_t)b.len);
	ck_assert_int_eq(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

/* ---- Keys ---------------------------------------------------------------- */

static const struct key_vec {
	const char	*key, *crt;
	int		 type;
	unsigned	 bits;
} key_vecs[] = {
	{ "gw-rsa2048.key", "gw-rsa2048.crt", CRYPTO_KEY_RSA, 2048 },
	{ "client-rsa3072.key", "client-rsa3072.crt", CRYPTO_KEY_RSA, 3072 },
	{ "client-ecdsa-p256.key", "client-ecdsa-p256.crt", CRYPTO_KEY_ECDSA,
	    256 },
	{ "client-ecdsa-p384.key", "client-ecdsa-p384.crt", CRYPTO_KEY_ECDSA,
	    384 },
	{ "client-ecdsa-p521.key", "client-ecdsa-p521.crt", CRYPTO_KEY_ECDSA,
	    521 },
	{ "client-ed25519.key", "client-ed25519.crt", CRYPTO_KEY_ED25519, 256 },
	{ "gw-ed25519.key", "gw-ed25519.crt", CRYPTO_KEY_ED25519, 256 },
};

START_TEST(key_load_pem)
{
	const struct key_vec *v = &key_vecs[_i];
	struct crypto_pkey *k = load_key(v->key), *pub = load_cert_key(v->crt);

	ck_assert_int_eq(crypto_pkey_type(k), v->type);
	ck_assert_uint_eq(crypto_pkey_bits(k), v->bits);
	ck_assert(crypto_pkey_is_private(k));
	ck_assert(!crypto_pkey_is_private(pub));
	ck_assert(crypto_pkey_equal(k, pub));
	crypto_pkey_free(k);
	crypto_pkey_free(pub);
}
END_TEST

START_TEST(key_load_formats)
{
	struct crypto_pkey *k, *want = load_key("client-ecdsa-p256.key");
	struct crypto_pkey *other = load_key("gw-ecdsa-p256.key");
	struct tbuf der = t_vec_file("pki/client-ecdsa-p256.key.der");
	struct tbuf trad = t_vec_file("pki/client-ecdsa-p256.enc-trad.pem");

	ck_assert(!crypto_pkey_equal(want, other));
	ck_assert_int_eq(crypto_pkey_load_private(&k, der.p, der.len, NULL), 0);
	ck_assert(crypto_pkey_equal(k, want));
	crypto_pkey_free(k);
	/* Traditional "Proc-Type: 4,ENCRYPTED" PEM. */
	ck_assert_int_eq(crypto_pkey_load_private(&k, trad.p, trad.len, PASS),
	    0);
	ck_assert(crypto_pkey_equal(k, want));
	crypto_pkey_free(k);
	ck_assert_int_eq(crypto_pkey_load_private(&k, trad.p, trad.len,
	    "wrong"), IR_ERR_AUTH);
	ck_assert_ptr_null(k);
	/* Garbage, and a certificate where a key was due. */
	ck_assert_int_eq(crypto_pkey_load_private(&k, (const uint8_t *)"xyz",
	    3, NULL), IR_ERR_MALFORMED);
	der = t_vec_file("pki/gw-rsa2048.der");
	ck_assert_int_eq(crypto_pkey_load_private(&k, der.p, der.len, NULL),
	    IR_ERR_MALFORMED);
	crypto_pkey_free(want);
	crypto_pkey_free(other);
}
END_TEST

START_TEST(key_load_encrypted_pkcs8)
{
	struct tbuf enc = t_vec_file("pki/client-rsa3072.enc.pem");
	struct crypto_pkey *k, *want = load_key("client-rsa3072.key");

	ck_assert_int_eq(crypto_pkey_load_private(&k, enc.p, enc.len, PASS), 0);
	ck_assert(crypto_pkey_equal(k, want));
	crypto_pkey_free(k);
	ck_assert_int_eq(crypto_pkey_load_private(&k, enc.p, enc.len,
	    PASS "x"), IR_ERR_AUTH);
	/* No passphrase: a clean failure, never a prompt. */
	ck_assert_int_eq(crypto_pkey_load_private(&k, enc.p, enc.len, NULL),
	    IR_ERR_AUTH);
	crypto_pkey_free(want);
}
END_TEST

START_TEST(key_load_pkcs12)
{
	struct tbuf p12 = t_vec_file("pki/client-rsa3072.p12");
	struct crypto_pkey *k, *want = load_key("client-rsa3072.key");
	struct crypto_cert *c;
	char subject[128];

	ck_assert_int_eq(crypto_pkcs12_load(&k, &c, p12.p, p12.len, PASS), 0);
	ck_assert(crypto_pkey_equal(k, want));
	ck_assert_ptr_nonnull(c);
	crypto_cert_subject(c, subject, sizeof(subject));
	ck_assert_str_eq(subject, "CN=alice,O=ikeroam tests,C=XX");
	crypto_cert_free(c);
	crypto_pkey_free(k);
	/* The generic loader recognises PKCS#12 too. */
	ck_assert_int_eq(crypto_pkey_load_private(&k, p12.p, p12.len, PASS), 0);
	ck_assert(crypto_pkey_equal(k, want));
	crypto_pkey_free(k);
	ck_assert_int_eq(crypto_pkcs12_load(&k, &c, p12.p, p12.len, "nope"),
	    IR_ERR_AUTH);
	ck_assert_ptr_null(k);
	ck_assert_ptr_null(c);
	ck_assert_int_eq(crypto_pkey_load_private(&k, p12.p, p12.len, NULL),
	    IR_ERR_AUTH);
	/* Cut short, it is no PKCS#12 and no key. */
	ck_assert_int_eq(crypto_pkcs12_load(&k, NULL, p12.p, p12.len - 1,
	    PASS), IR_ERR_MALFORMED);
	crypto_pkey_free(want);
}
END_TEST

START_TEST(key_file_mode)
{
	const char *loose = tmp_copy("pki/client-ed25519.key", 0644);
	const char *tight = tmp_copy("pki/client-ed25519.key", 0600);
	const char *group = tmp_copy("pki/client-rsa3072.p12", 0640);
	const char *p12 = tmp_copy("pki/client-rsa3072.p12", 0400);
	struct crypto_pkey *k;
	struct crypto_cert *c;

	ck_assert_int_eq(crypto_pkey_load_private_file(&k, loose, NULL),
	    IR_ERR_CONFIG);
	ck_assert_ptr_null(k);
	ck_assert_int_eq(crypto_secret_file_check(loose), IR_ERR_CONFIG);
	ck_assert_int_eq(crypto_pkey_load_private_file(&k, tight, NULL), 0);
	ck_assert_int_eq(crypto_pkey_type(k), CRYPTO_KEY_ED25519);
	crypto_pkey_free(k);
	ck_assert_int_eq(crypto_secret_file_check(tight), 0);
	ck_assert_int_eq(crypto_pkcs12_load_file(&k, &c, group, PASS),
	    IR_ERR_CONFIG);
	ck_assert_int_eq(crypto_pkcs12_load_file(&k, &c, p12, PASS), 0);
	crypto_pkey_free(k);
	crypto_cert_free(c);
	/* A directory is no key file; a missing file is -ENOENT. */
	ck_assert_int_eq(crypto_secret_file_check("/tmp"), IR_ERR_CONFIG);
	ck_assert_int_eq(crypto_pkey_load_private_file(&k,
	    "/nonexistent/ikeroam.key", NULL), -ENOENT);
	unlink(loose);
	unlink(tight);
	unlink(group);
	unlink(p12);
}
END_TEST

/* ---- RFC 7427 AlgorithmIdentifiers ---------------------------------------- */

/*
 * RFC 7427 Appendix A (A.1.2-A.1.4, A.3.1-A.3.3, A.4.2 and the SHA-384/512
 * PSS forms of RFC 8247) and RFC 8420 §2.  The PSS SHA-256 form was
 * checked against several independent implementations' constants.
 */
static const struct algid_vec {
	struct crypto_sig_alg	 alg;
	const char		*der;
} algid_vecs[] = {
	{ { CRYPTO_SIG_RSA_PKCS1, CRYPTO_HASH_SHA2_256, 0 },
	    "300d06092a864886f70d01010b0500" },
	{ { CRYPTO_SIG_RSA_PKCS1, CRYPTO_HASH_SHA2_384, 0 },
	    "300d06092a864886f70d01010c0500" },
	{ { CRYPTO_SIG_RSA_PKCS1, CRYPTO_HASH_SHA2_512, 0 },
	    "300d06092a864886f70d01010d0500" },
	{ { CRYPTO_SIG_RSA_PSS, CRYPTO_HASH_SHA2_256, 32 },
	    "304106092a864886f70d01010a3034a00f300d0609608648016503040201"
	    "0500a11c301a06092a864886f70d010108300d06096086480165030402010500"
	    "a203020120" },
	{ { CRYPTO_SIG_RSA_PSS, CRYPTO_HASH_SHA2_384, 48 },
	    "304106092a864886f70d01010a3034a00f300d0609608648016503040202"
	    "0500a11c301a06092a864886f70d010108300d06096086480165030402020500"
	    "a203020130" },
	{ { CRYPTO_SIG_RSA_PSS, CRYPTO_HASH_SHA2_512, 64 },
	    "304106092a864886f70d01010a3034a00f300d0609608648016503040203"
	    "0500a11c301a06092a864886f70d010108300d06096086480165030402030500"
	    "a203020140" },
	{ { CRYPTO_SIG_ECDSA, CRYPTO_HASH_SHA2_256, 0 },
	    "300a06082a8648ce3d040302" },
	{ { CRYPTO_SIG_ECDSA, CRYPTO_HASH_SHA2_384, 0 },
	    "300a06082a8648ce3d040303" },
	{ { CRYPTO_SIG_ECDSA, CRYPTO_HASH_SHA2_512, 0 },
	    "300a06082a8648ce3d040304" },
	{ { CRYPTO_SIG_ED25519, CRYPTO_HASH_IDENTITY, 0 }, "300506032b6570" },
};

START_TEST(algid_blobs)
{
	const struct algid_vec *v = &algid_vecs[_i];
	struct tbuf want = t_hex(v->der);
	struct crypto_sig_alg got;
	const uint8_t *der;
	size_t len, cut;

	ck_assert_int_eq(crypto_sig_algid(&v->alg, &der, &len), 0);
	ck_assert_uint_eq(len, want.len);
	ck_assert_mem_eq(der, want.p, len);
	ck_assert_int_eq(crypto_sig_algid_parse(want.p, want.len, &got), 0);
	ck_assert_int_eq(got.kind, v->alg.kind);
	ck_assert_int_eq(got.hash, v->alg.hash);
	ck_assert_int_eq(got.salt_len, v->alg.salt_len);
	/* Every truncation is refused, never read past. */
	for (cut = 0; cut < want.len; cut++)
		ck_assert_int_ne(crypto_sig_algid_parse(want.p, cut, &got), 0);
}
END_TEST

START_TEST(algid_decoded)
{
	struct crypto_sig_alg a;

	/* PSS with absent hash parameters and a 20-octet salt (decoded). */
	ck_assert_int_eq(crypto_sig_algid_parse(t_hex(
	    "303d06092a864886f70d01010a3030a00d300b0609608648016503040201"
	    "a11a301806092a864886f70d010108300b0609608648016503040201"
	    "a203020114").p, 63, &a), 0);
	ck_assert_int_eq(a.kind, CRYPTO_SIG_RSA_PSS);
	ck_assert_int_eq(a.hash, CRYPTO_HASH_SHA2_256);
	ck_assert_int_eq(a.salt_len, 20);
	/* sha256WithRSAEncryption without its NULL is still understood. */
	ck_assert_int_eq(crypto_sig_algid_parse(
	    t_hex("300b06092a864886f70d01010b").p, 13, &a), 0);
	ck_assert_int_eq(a.kind, CRYPTO_SIG_RSA_PKCS1);
	/* PSS with MGF1-SHA-1 under SHA-256: not something we verify. */
	ck_assert_int_eq(crypto_sig_algid_parse(t_hex(
	    "303d06092a864886f70d01010a3030a00f300d06096086480165030402010500"
	    "a118301606092a864886f70d010108300906052b0e03021a0500"
	    "a203020120").p, 63, &a), IR_ERR_UNSUPPORTED);
	/* A.4.1 (empty PSS parameters = SHA-1) and sha1WithRSAEncryption. */
	ck_assert_int_eq(crypto_sig_algid_parse(
	    t_hex("300d06092a864886f70d01010a3000").p, 15, &a),
	    IR_ERR_UNSUPPORTED);
	ck_assert_int_eq(crypto_sig_algid_parse(
	    t_hex("300d06092a864886f70d0101050500").p, 15, &a),
	    IR_ERR_UNSUPPORTED);
	/* An unknown OID; trailing octets; a length beyond the input. */
	ck_assert_int_eq(crypto_sig_algid_parse(
	    t_hex("30050603296570").p, 7, &a), IR_ERR_UNSUPPORTED);
	ck_assert_int_eq(crypto_sig_algid_parse(
	    t_hex("300506032b657000").p, 8, &a), IR_ERR_MALFORMED);
	ck_assert_int_eq(crypto_sig_algid_parse(
	    t_hex("30ff06032b6570").p, 7, &a), IR_ERR_MALFORMED);
}
END_TEST

/* ---- Choosing our scheme (RFC 7427 §4) --------------------------------------- */

#define B(h)	CRYPTO_HASH_BIT(CRYPTO_HASH_##h)
static const struct choose_vec {
	const char	*key;
	uint32_t	 peer;
	bool		 pss;
	int		 rv;
	uint8_t		 method, kind, hash;
} choose_vecs[] = {
	{ "gw-rsa2048.key", 0, false, 0, 1, 0, 0 },
	{ "gw-rsa2048.key", B(SHA2_256) | B(SHA2_512), false, 0, 14,
	    CRYPTO_SIG_RSA_PKCS1, CRYPTO_HASH_SHA2_256 },
	{ "gw-rsa2048.key", B(SHA2_512) | B(SHA1), true, 0, 14,
	    CRYPTO_SIG_RSA_PSS, CRYPTO_HASH_SHA2_512 },
	{ "gw-rsa2048.key", B(SHA1) | B(IDENTITY), false, IR_ERR_UNSUPPORTED,
	    0, 0, 0 },
	{ "client-ecdsa-p256.key", 0, false, 0, 9, 0, 0 },
	{ "client-ecdsa-p384.key", 0, false, 0, 10, 0, 0 },
	{ "client-ecdsa-p521.key", 0, false, 0, 11, 0, 0 },
	{ "client-ecdsa-p384.key", B(SHA2_256) | B(SHA2_384) | B(SHA2_512),
	    false, 0, 14, CRYPTO_SIG_ECDSA, CRYPTO_HASH_SHA2_384 },
	{ "client-ecdsa-p256.key", B(SHA2_512) | B(SHA2_384), false, 0, 14,
	    CRYPTO_SIG_ECDSA, CRYPTO_HASH_SHA2_512 },
	{ "client-ed25519.key", B(SHA2_256) | B(IDENTITY), false, 0, 14,
	    CRYPTO_SIG_ED25519, CRYPTO_HASH_IDENTITY },
	{ "client-ed25519.key", B(SHA2_256), false, IR_ERR_UNSUPPORTED, 0, 0,
	    0 },
	{ "client-ed25519.key", 0, false, IR_ERR_UNSUPPORTED, 0, 0, 0 },
};

START_TEST(sig_choose)
{
	const struct choose_vec *v = &choose_vecs[_i];
	struct crypto_pkey *k = load_key(v->key);
	struct crypto_sig_alg alg;
	uint8_t method;

	ck_assert_int_eq(crypto_sig_choose(k, v->peer, v->pss, &method, &alg),
	    v->rv);
	if (v->rv == 0) {
		ck_assert_int_eq(method, v->method);
		ck_assert_int_eq(alg.kind, v->kind);
		ck_assert_int_eq(alg.hash, v->hash);
		ck_assert_int_eq(alg.salt_len, v->kind == CRYPTO_SIG_RSA_PSS ?
		    64 : 0);
	}
	crypto_pkey_free(k);
}
END_TEST

/* ---- RFC 4754 §8 test vectors ------------------------------------------------ */

/*
 * ECDSA-256 (§8.1) and ECDSA-384 (§8.2): public key gw = (gwx, gwy) and
 * the signature r | s over "abc".  Confirmed before going in: python's
 * cryptography derives gw from the RFC's private key w and verifies the
 * signature.  The SPKI prefixes are RFC 5480's id-ecPublicKey with the
 * named curve.
 */
static const struct rfc4754_vec {
	uint8_t		 method;
	const char	*spki_prefix, *gwx, *gwy, *r, *s;
} rfc4754_vecs[] = {
	{ CRYPTO_AUTH_ECDSA_SHA256_P256,
	    "3059301306072a8648ce3d020106082a8648ce3d030107034200",
	    "2442A5CC0ECD015FA3CA31DC8E2BBC70BF42D60CBCA20085E0822CB04235E970",
	    "6FC98BD7E50211A4A27102FA3549DF79EBCB4BF246B80945CDDFE7D509BBFD7D",
	    "CB28E0999B9C7715FD0A80D8E47A77079716CBBF917DD72E97566EA1C066957C",
	    "86FA3BB4E26CAD5BF90B7F81899256CE7594BB1EA0C89212748BFF3B3D5B0315" },
	{ CRYPTO_AUTH_ECDSA_SHA384_P384,
	    "3076301006072a8648ce3d020106052b81040022036200",
	    "96281BF8DD5E0525CA049C048D345D3082968D10FEDF5C5ACA0C64E6465A97EA"
	    "5CE10C9DFEC21797415710721F437922",
	    "447688BA94708EB6E2E4D59F6AB6D7EDFF9301D249FE49C33096655F5D502FAD"
	    "3D383B91C5E7EDAA2B714CC99D5743CA",
	    "FB017B914E29149432D8BAC29A514640B46F53DDAB2C69948084E2930F1C8F7E"
	    "08E07C9C63F2D21A07DCB56A6AF56EB3",
	    "B263A1305E057F984D38726A1B46874109F417BCA112674C528262A40A629AF1"
	    "CBB9F516CE0FA7D2FF630863A00E8B9F" },
};

START_TEST(auth_rfc4754)
{
	const struct rfc4754_vec *v = &rfc4754_vecs[_i];
	char spki_hex[512], sig_hex[512];
	struct crypto_pkey *pub;
	struct crypto_sig_alg used;
	struct tbuf spki, sig;

	snprintf(spki_hex, sizeof(spki_hex), "%s04%s%s", v->spki_prefix, v->gwx,
	    v->gwy);
	snprintf(sig_hex, sizeof(sig_hex), "%s%s", v->r, v->s);
	spki = t_hex(spki_hex);
	sig = t_hex(sig_hex);
	ck_assert_int_eq(crypto_pkey_load_public(&pub, spki.p, spki.len), 0);
	ck_assert_int_eq(crypto_auth_verify(pub, v->method, sig.p, sig.len,
	    (const uint8_t *)"abc", 3, &used), 0);
	ck_assert_int_eq(used.kind, CRYPTO_SIG_ECDSA);
	/* Another message, a flipped bit, a short signature, a wrong method. */
	ck_assert_int_eq(crypto_auth_verify(pub, v->method, sig.p, sig.len,
	    (const uint8_t *)"abd", 3, NULL), IR_ERR_AUTH);
	sig.p[sig.len / 2] ^= 0x01;
	ck_assert_int_eq(crypto_auth_verify(pub, v->method, sig.p, sig.len,
	    (const uint8_t *)"abc", 3, NULL), IR_ERR_AUTH);
	sig.p[sig.len / 2] ^= 0x01;
	ck_assert_int_eq(crypto_auth_verify(pub, v->method, sig.p, sig.len - 1,
	    (const uint8_t *)"abc", 3, NULL), IR_ERR_MALFORMED);
	ck_assert_int_eq(crypto_auth_verify(pub, CRYPTO_AUTH_ECDSA_SHA512_P521,
	    sig.p, sig.len, (const uint8_t *)"abc", 3, NULL), IR_ERR_AUTH);
	crypto_pkey_free(pub);
}
END_TEST

/* ---- The strongSwan run: RFC 7427 ECDSA AUTH of the responder ---------------- */

/* The payload |want| of the decrypted chain of the first IKE_AUTH
 * response, walked by hand (RFC 7296 §3.2); its body is returned. */
static struct tbuf
inner_payload(uint8_t want)
{
	struct tbuf msg = t_vec_hex(EAP_DIR "/04-IKE_AUTH-resp.hex");
	struct tbuf inner = t_vec_hex(EAP_DIR "/04-IKE_AUTH-resp.inner.hex");
	struct wire_rd r, body;
	struct tbuf out = { NULL, 0 };
	uint8_t type, next, flags;
	uint16_t len;

	/* The IKE header (28 octets) says SK (46) comes first; the SK
	 * header's Next Payload names the first inner payload. */
	ck_assert_uint_ge(msg.len, 32);
	ck_assert_uint_eq(msg.p[16], 46);
	type = msg.p[28];
	wire_rd_init(&r, inner.p, inner.len);
	while (type != 0) {
		ck_assert(wire_rd_u8(&r, &next) && wire_rd_u8(&r, &flags) &&
		    wire_rd_u16(&r, &len) && len >= 4 &&
		    wire_rd_sub(&r, len - 4u, &body));
		if (type == want) {
			out.p = (uint8_t *)body.p;
			out.len = body.left;
		}
		type = next;
	}
	ck_assert_uint_eq(r.left, 0);
	ck_assert_ptr_nonnull(out.p);
	return out;
}

START_TEST(auth_strongswan_rfc7427_ecdsa)
{
	struct tbuf cert = inner_payload(37), auth = inner_payload(39);
	struct tbuf id = inner_payload(36);
	struct tbuf octets = t_vec_key(EAP_DIR, "AUTH_r_sig_octets");
	struct crypto_cert *c;
	struct crypto_pkey *pub;
	struct crypto_sig_alg used;
	size_t cut;

	/* CERT: encoding 4 (X.509 Certificate - Signature), then DER. */
	ck_assert_uint_eq(cert.p[0], 4);
	ck_assert_int_eq(crypto_cert_load(&c, cert.p + 1, cert.len - 1), 0);
	ck_assert_int_eq(crypto_cert_pubkey(c, &pub), 0);
	ck_assert_int_eq(crypto_pkey_type(pub), CRYPTO_KEY_ECDSA);
	/* IDr is ID_FQDN "vpn.test", carried by the certificate. */
	ck_assert_uint_eq(id.p[0], CRYPTO_ID_FQDN);
	ck_assert_int_eq(crypto_cert_match_id(c, id.p[0], id.p + 4,
	    id.len - 4), 0);
	/* AUTH: method 14, three reserved octets, then the RFC 7427 data. */
	ck_assert_uint_eq(auth.p[0], CRYPTO_AUTH_DIGITAL_SIG);
	ck_assert_int_eq(crypto_auth_verify(pub, auth.p[0], auth.p + 4,
	    auth.len - 4, octets.p, octets.len, &used), 0);
	ck_assert_int_eq(used.kind, CRYPTO_SIG_ECDSA);
	ck_assert_int_eq(used.hash, CRYPTO_HASH_SHA2_256);
	/* Cut anywhere, the AUTH data never verifies (nor crashes). */
	for (cut = 0; cut < auth.len - 4; cut++)
		ck_assert_int_ne(crypto_auth_verify(pub, auth.p[0], auth.p + 4,
		    cut, octets.p, octets.len, NULL), 0);
	/* The same AUTH over other octets (Ni changed) does not verify. */
	octets.p[octets.len - 40] ^= 0x80;
	ck_assert_int_eq(crypto_auth_verify(pub, auth.p[0], auth.p + 4,
	    auth.len - 4, octets.p, octets.len, NULL), IR_ERR_AUTH);
	crypto_pkey_free(pub);
	crypto_cert_free(c);
}
END_TEST

/* ---- Round trips with the test PKI -------------------------------------------- */

static const struct rt_vec {
	const char		*key, *crt;
	uint8_t			 method;
	struct crypto_sig_alg	 alg;
} rt_vecs[] = {
	{ "gw-rsa2048.key", "gw-rsa2048.crt", 1, { 0, 0, 0 } },
	{ "client-rsa3072.key", "client-rsa3072.crt", 1, { 0, 0, 0 } },
	{ "client-ecdsa-p256.key", "client-ecdsa-p256.crt", 9, { 0, 0, 0 } },
	{ "client-ecdsa-p384.key", "client-ecdsa-p384.crt", 10, { 0, 0, 0 } },
	{ "client-ecdsa-p521.key", "client-ecdsa-p521.crt", 11, { 0, 0, 0 } },
#define RT14(k, c, kind, hash, salt)	\
	{ k, c, 14, { CRYPTO_SIG_##kind, CRYPTO_HASH_##hash, salt } }
	RT14("gw-rsa2048.key", "gw-rsa2048.crt", RSA_PKCS1, SHA2_256, 0),
	RT14("gw-rsa2048.key", "gw-rsa2048.crt", RSA_PKCS1, SHA2_384, 0),
	RT14("gw-rsa2048.key", "gw-rsa2048.crt", RSA_PKCS1, SHA2_512, 0),
	RT14("gw-rsa2048.key", "gw-rsa2048.crt", RSA_PSS, SHA2_256, 32),
	RT14("client-rsa3072.key", "client-rsa3072.crt", RSA_PSS, SHA2_384, 48),
	RT14("client-rsa3072.key", "client-rsa3072.crt", RSA_PSS, SHA2_512, 64),
	RT14("client-rsa3072.key", "client-rsa3072.crt", RSA_PKCS1, SHA2_256,
	    0),
	RT14("client-ecdsa-p256.key", "client-ecdsa-p256.crt", ECDSA, SHA2_256,
	    0),
	RT14("gw-ecdsa-p256.key", "gw-ecdsa-p256.crt", ECDSA, SHA2_384, 0),
	RT14("client-ecdsa-p384.key", "client-ecdsa-p384.crt", ECDSA, SHA2_384,
	    0),
	RT14("client-ecdsa-p521.key", "client-ecdsa-p521.crt", ECDSA, SHA2_512,
	    0),
	RT14("client-ed25519.key", "client-ed25519.crt", ED25519, IDENTITY, 0),
	RT14("gw-ed25519.key", "gw-ed25519.crt", ED25519, IDENTITY, 0),
};

START_TEST(auth_round_trip)
{
	const struct rt_vec *v = &rt_vecs[_i];
	struct crypto_pkey *key = load_key(v->key), *pub = load_cert_key(v->crt);
	struct crypto_pkey *other = load_key("selfsigned.key");
	uint8_t octets[300], auth[CRYPTO_AUTH_DATA_MAX];
	struct crypto_sig_alg used;
	size_t len, i, want_len;

	for (i = 0; i < sizeof(octets); i++)
		octets[i] = (uint8_t)(i * 7 + 1);
	ck_assert_int_eq(crypto_auth_sign(key, v->method, &v->alg, octets,
	    sizeof(octets), auth, sizeof(auth), &len), 0);
	if (v->method >= 9 && v->method <= 11) {	/* RFC 4754: r | s */
		want_len = 2 * ((crypto_pkey_bits(key) + 7) / 8);
		ck_assert_uint_eq(len, want_len);
	} else if (v->method == 1) {
		ck_assert_uint_eq(len, crypto_pkey_bits(key) / 8);
	}
	ck_assert_int_eq(crypto_auth_verify(pub, v->method, auth, len, octets,
	    sizeof(octets), &used), 0);
	if (v->method == 14) {
		ck_assert_int_eq(used.kind, v->alg.kind);
		ck_assert_int_eq(used.hash, v->alg.hash);
		ck_assert_int_eq(used.salt_len, v->alg.salt_len);
	}
	/* Not with another key; not over other octets; not truncated. */
	ck_assert_int_ne(crypto_auth_verify(other, v->method, auth, len, octets,
	    sizeof(octets), NULL), 0);
	octets[0] ^= 1;
	ck_assert_int_eq(crypto_auth_verify(pub, v->method, auth, len, octets,
	    sizeof(octets), NULL), IR_ERR_AUTH);
	octets[0] ^= 1;
	ck_assert_int_ne(crypto_auth_verify(pub, v->method, auth, len - 1,
	    octets, sizeof(octets), NULL), 0);
	/* A buffer one octet short is refused, not overrun. */
	ck_assert_int_eq(crypto_auth_sign(key, v->method, &v->alg, octets,
	    sizeof(octets), auth, len - 1, &want_len), IR_ERR_NOBUF);
	crypto_pkey_free(key);
	crypto_pkey_free(pub);
	crypto_pkey_free(other);
}
END_TEST

START_TEST(auth_mismatch)
{
	struct crypto_pkey *rsa = load_key("gw-rsa2048.key");
	struct crypto_pkey *p384 = load_key("client-ecdsa-p384.key");
	struct crypto_pkey *ed = load_key("client-ed25519.key");
	struct crypto_pkey *rsa_pub = load_cert_key("gw-rsa2048.crt");
	struct crypto_sig_alg ec256 = { CRYPTO_SIG_ECDSA, CRYPTO_HASH_SHA2_256,
	    0 };
	struct crypto_sig_alg sha1 = { CRYPTO_SIG_RSA_PKCS1, CRYPTO_HASH_SHA1,
	    0 };
	uint8_t auth[CRYPTO_AUTH_DATA_MAX], octets[4] = { 1, 2, 3, 4 };
	size_t len;

	/* RFC 4754 binds the curve to the method. */
	ck_assert_int_eq(crypto_auth_sign(p384, 9, NULL, octets, 4, auth,
	    sizeof(auth), &len), IR_ERR_AUTH);
	/* An ECDSA scheme with an RSA key, Ed25519 under method 1. */
	ck_assert_int_eq(crypto_auth_sign(rsa, 14, &ec256, octets, 4, auth,
	    sizeof(auth), &len), IR_ERR_AUTH);
	ck_assert_int_eq(crypto_auth_sign(ed, 1, NULL, octets, 4, auth,
	    sizeof(auth), &len), IR_ERR_AUTH);
	/* SHA-1 has no RFC 7427 encoding; PSK is not a signature. */
	ck_assert_int_eq(crypto_auth_sign(rsa, 14, &sha1, octets, 4, auth,
	    sizeof(auth), &len), IR_ERR_UNSUPPORTED);
	ck_assert_int_eq(crypto_auth_sign(rsa, 2, NULL, octets, 4, auth,
	    sizeof(auth), &len), IR_ERR_UNSUPPORTED);
	/* A public key cannot sign. */
	ck_assert_int_eq(crypto_auth_sign(rsa_pub, 1, NULL, octets, 4, auth,
	    sizeof(auth), &len), IR_ERR_AUTH);
	/* Method 14 data whose length octet runs past the end, or that
	 * has no signature after the AlgorithmIdentifier. */
	ck_assert_int_eq(crypto_auth_verify(rsa_pub, 14, t_hex("0f300d").p, 3,
	    octets, 4, NULL), IR_ERR_MALFORMED);
	ck_assert_int_eq(crypto_auth_verify(rsa_pub, 14,
	    t_hex("0f300d06092a864886f70d01010b0500").p, 16, octets, 4, NULL),
	    IR_ERR_MALFORMED);
	ck_assert_int_eq(crypto_auth_verify(rsa_pub, 14, t_hex("00ff").p, 2,
	    octets, 4, NULL), IR_ERR_MALFORMED);
	/* An ECDSA AlgorithmIdentifier with an RSA public key. */
	ck_assert_int_eq(crypto_auth_verify(rsa_pub, 14,
	    t_hex("0c300a06082a8648ce3d040302 3006020101020101").p, 21, octets,
	    4, NULL), IR_ERR_AUTH);
	crypto_pkey_free(rsa);
	crypto_pkey_free(p384);
	crypto_pkey_free(ed);
	crypto_pkey_free(rsa_pub);
}
END_TEST

Suite *
sig_suite(void)
{
	Suite *s = suite_create("sig");
	TCase *tc;

	tc = tcase_create("keys");
	tcase_add_loop_test(tc, key_load_pem, 0, IR_ARRAY_LEN(key_vecs));
	tcase_add_test(tc, key_load_formats);
	tcase_add_test(tc, key_load_encrypted_pkcs8);
	tcase_add_test(tc, key_load_pkcs12);
	tcase_add_test(tc, key_file_mode);
	suite_add_tcase(s, tc);

	tc = tcase_create("algid");
	tcase_add_loop_test(tc, algid_blobs, 0, IR_ARRAY_LEN(algid_vecs));
	tcase_add_test(tc, algid_decoded);
	tcase_add_loop_test(tc, sig_choose, 0, IR_ARRAY_LEN(choose_vecs));
	suite_add_tcase(s, tc);

	tc = tcase_create("auth");
	tcase_add_loop_test(tc, auth_rfc4754, 0, IR_ARRAY_LEN(rfc4754_vecs));
	tcase_add_test(tc, auth_strongswan_rfc7427_ecdsa);
	tcase_add_loop_test(tc, auth_round_trip, 0, IR_ARRAY_LEN(rt_vecs));
	tcase_add_test(tc, auth_mismatch);
	suite_add_tcase(s, tc);
	return s;
}
