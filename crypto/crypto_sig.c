/*
 * crypto/crypto_sig.c: the RFC 7427 AlgorithmIdentifiers, the choice of
 * a signature scheme, raw signatures, and the Authentication Data of the
 * AUTH payload for methods 1, 9, 10, 11 and 14 (RFC 7296 §3.8).
 *
 * Method 14 (RFC 7427 §3):
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | ASN.1 Length  | AlgorithmIdentifier ASN.1 object              |
 * +-+-+-+-+-+-+-+-+                                               +
 * ~        AlgorithmIdentifier ASN.1 object continuing            ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                         Signature Value                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * There ECDSA signatures are DER Ecdsa-Sig-Value, as in X.509; methods
 * 9-11 carry the fixed-size r | s of RFC 4754 §7 instead.
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "common/wire.h"
#include "crypto/crypto_sig_int.h"

/* ---- RFC 7427 Appendix A and RFC 8420 AlgorithmIdentifiers ------------- */

struct algid_blob {
	uint8_t		 kind, hash;
	uint16_t	 salt_len;
	const uint8_t	*der;
	uint8_t		 len;
};

/* A.1: sha{256,384,512}WithRSAEncryption, parameters NULL. */
static const uint8_t blob_rsa256[] = { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86,
    0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00 };
static const uint8_t blob_rsa384[] = { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86,
    0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c, 0x05, 0x00 };
static const uint8_t blob_rsa512[] = { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86,
    0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d, 0x05, 0x00 };
/* A.3: ecdsa-with-SHA{256,384,512}, parameters absent (RFC 5758 §3.2). */
static const uint8_t blob_ec256[] = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86,
    0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 };
static const uint8_t blob_ec384[] = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86,
    0x48, 0xce, 0x3d, 0x04, 0x03, 0x03 };
static const uint8_t blob_ec512[] = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86,
    0x48, 0xce, 0x3d, 0x04, 0x03, 0x04 };
/* RFC 8420 §2: id-Ed25519 (1.3.101.112), parameters absent. */
static const uint8_t blob_ed25519[] = { 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65,
    0x70 };
/*
 * A.4.2 and its SHA-384/512 siblings: id-RSASSA-PSS with hashAlgorithm
 * [0] sha-N (NULL parameters), maskGenAlgorithm [1] mgf1 with sha-N, and
 * saltLength [2] = N/8 (RFC 8247 §3.2, RFC 4055 §3.1).  The three differ
 * only in the hash OID's last octet (twice) and the salt length.
 */
#define PSS_BLOB(h, salt) {						\
	0x30, 0x41, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01,	\
	0x01, 0x0a, 0x30, 0x34, 0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60,	\
	0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, (h), 0x05, 0x00, 0xa1,	\
	0x1c, 0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,	\
	0x01, 0x01, 0x08, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,	\
	0x65, 0x03, 0x04, 0x02, (h), 0x05, 0x00, 0xa2, 0x03, 0x02, 0x01,	\
	(salt) }
static const uint8_t blob_pss256[] = PSS_BLOB(0x01, 32);
static const uint8_t blob_pss384[] = PSS_BLOB(0x02, 48);
static const uint8_t blob_pss512[] = PSS_BLOB(0x03, 64);

#define BLOB(k, h, s, b)	{ (k), (h), (s), (b), sizeof(b) }
static const struct algid_blob algid_blobs[] = {
	BLOB(CRYPTO_SIG_RSA_PKCS1, CRYPTO_HASH_SHA2_256, 0, blob_rsa256),
	BLOB(CRYPTO_SIG_RSA_PKCS1, CRYPTO_HASH_SHA2_384, 0, blob_rsa384),
	BLOB(CRYPTO_SIG_RSA_PKCS1, CRYPTO_HASH_SHA2_512, 0, blob_rsa512),
	BLOB(CRYPTO_SIG_RSA_PSS, CRYPTO_HASH_SHA2_256, 32, blob_pss256),
	BLOB(CRYPTO_SIG_RSA_PSS, CRYPTO_HASH_SHA2_384, 48, blob_pss384),
	BLOB(CRYPTO_SIG_RSA_PSS, CRYPTO_HASH_SHA2_512, 64, blob_pss512),
	BLOB(CRYPTO_SIG_ECDSA, CRYPTO_HASH_SHA2_256, 0, blob_ec256),
	BLOB(CRYPTO_SIG_ECDSA, CRYPTO_HASH_SHA2_384, 0, blob_ec384),
	BLOB(CRYPTO_SIG_ECDSA, CRYPTO_HASH_SHA2_512, 0, blob_ec512),
	BLOB(CRYPTO_SIG_ED25519, CRYPTO_HASH_IDENTITY, 0, blob_ed25519),
};

/* Octets of the hash, which is also the PSS salt length we use. */
static size_t
hash_len(uint8_t hash)
{
	switch (hash) {
	case CRYPTO_HASH_SHA1:		return 20;
	case CRYPTO_HASH_SHA2_256:	return 32;
	case CRYPTO_HASH_SHA2_384:	return 48;
	case CRYPTO_HASH_SHA2_512:	return 64;
	default:			return 0;
	}
}

static const char *
hash_name(uint8_t hash)
{
	switch (hash) {
	case CRYPTO_HASH_SHA1:		return "SHA1";
	case CRYPTO_HASH_SHA2_256:	return "SHA256";
	case CRYPTO_HASH_SHA2_384:	return "SHA384";
	case CRYPTO_HASH_SHA2_512:	return "SHA512";
	default:			return NULL;	/* Identity */
	}
}

int
crypto_sig_algid(const struct crypto_sig_alg *alg, const uint8_t **der,
    size_t *len)
{
	const struct algid_blob *b;
	size_t i;

	for (i = 0; i < IR_ARRAY_LEN(algid_blobs); i++) {
		b = &algid_blobs[i];
		if (b->kind == alg->kind && b->hash == alg->hash &&
		    b->salt_len == alg->salt_len) {
			*der = b->der;
			*len = b->len;
			return 0;
		}
	}
	return IR_ERR_UNSUPPORTED;
}

/* ---- Parsing a peer's AlgorithmIdentifier ------------------------------- */

/*
 * One DER TLV (X.690 §8.1): a one-octet tag and a definite length in
 * minimal form up to 0xffff; |val| is confined to the value.
 */
static bool
der_tlv(struct wire_rd *r, uint8_t *tag, struct wire_rd *val)
{
	uint8_t b, n;
	uint16_t len;

	if (!wire_rd_u8(r, tag) || (*tag & 0x1f) == 0x1f || !wire_rd_u8(r, &b))
		return false;
	if (b < 0x80) {
		len = b;
	} else if (b == 0x81) {
		if (!wire_rd_u8(r, &n) || n < 0x80)
			return false;
		len = n;
	} else if (b == 0x82) {
		if (!wire_rd_u16(r, &len) || len < 0x100)
			return false;
	} else {
		return false;
	}
	return wire_rd_sub(r, len, val);
}

/* The next TLV must have |tag|. */
static bool
der_expect(struct wire_rd *r, uint8_t tag, struct wire_rd *val)
{
	uint8_t t;

	return der_tlv(r, &t, val) && t == tag;
}

#define DER_SEQ		0x30
#define DER_OID		0x06
#define DER_NULL	0x05
#define DER_INT		0x02

static bool
oid_is(const struct wire_rd *oid, const uint8_t *want, size_t len)
{
	return oid->left == len && memcmp(oid->p, want, len) == 0;
}

static const uint8_t oid_sha1[] = { 0x2b, 0x0e, 0x03, 0x02, 0x1a };
static const uint8_t oid_sha256[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
    0x04, 0x02, 0x01 };
static const uint8_t oid_sha384[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
    0x04, 0x02, 0x02 };
static const uint8_t oid_sha512[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
    0x04, 0x02, 0x03 };
static const uint8_t oid_mgf1[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
    0x01, 0x01, 0x08 };
static const uint8_t oid_pss[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
    0x01, 0x01, 0x0a };

/* AlgorithmIdentifier of a hash, parameters absent or NULL (RFC 4055
 * §2.1 allows both).  0 for a hash we do not know. */
static int
der_hash_algid(struct wire_rd *r, uint8_t *hash)
{
	struct wire_rd seq, oid, null;

	if (!der_expect(r, DER_SEQ, &seq) || !der_expect(&seq, DER_OID, &oid))
		return IR_ERR_MALFORMED;
	if (seq.left != 0 && (!der_expect(&seq, DER_NULL, &null) ||
	    null.left != 0 || seq.left != 0))
		return IR_ERR_MALFORMED;
	if (oid_is(&oid, oid_sha1, sizeof(oid_sha1)))
		*hash = CRYPTO_HASH_SHA1;
	else if (oid_is(&oid, oid_sha256, sizeof(oid_sha256)))
		*hash = CRYPTO_HASH_SHA2_256;
	else if (oid_is(&oid, oid_sha384, sizeof(oid_sha384)))
		*hash = CRYPTO_HASH_SHA2_384;
	else if (oid_is(&oid, oid_sha512, sizeof(oid_sha512)))
		*hash = CRYPTO_HASH_SHA2_512;
	else
		return IR_ERR_UNSUPPORTED;
	return 0;
}

/* A small non-negative INTEGER (at most 2 value octets). */
static bool
der_small_int(struct wire_rd *r, uint16_t *v)
{
	struct wire_rd val;
	uint8_t b;

	if (!der_expect(r, DER_INT, &val) || val.left == 0 || val.left > 2 ||
	    (val.p[0] & 0x80) != 0)
		return false;
	*v = 0;
	while (wire_rd_u8(&val, &b))
		*v = (uint16_t)(*v << 8 | b);
	return true;
}

/*
 * RSASSA-PSS-params (RFC 4055 §3.1).  The defaults (SHA-1, MGF1-SHA-1,
 * salt 20) mean SHA-1, which we refuse, so [0] and [1] must be present.
 */
static int
der_pss_params(struct wire_rd *params, struct crypto_sig_alg *alg)
{
	struct wire_rd seq, tag, mgf, oid;
	uint8_t mgf_hash;
	uint16_t salt = 20, trailer = 1;
	int rv;

	if (!der_expect(params, DER_SEQ, &seq) || params->left != 0)
		return IR_ERR_MALFORMED;
	if (!der_expect(&seq, 0xa0, &tag))
		return IR_ERR_UNSUPPORTED;	/* SHA-1 by default */
	if ((rv = der_hash_algid(&tag, &alg->hash)) != 0 || tag.left != 0)
		return rv != 0 ? rv : IR_ERR_MALFORMED;
	if (!der_expect(&seq, 0xa1, &tag) || !der_expect(&tag, DER_SEQ, &mgf) ||
	    tag.left != 0 || !der_expect(&mgf, DER_OID, &oid))
		return IR_ERR_MALFORMED;
	if (!oid_is(&oid, oid_mgf1, sizeof(oid_mgf1)))
		return IR_ERR_UNSUPPORTED;
	if ((rv = der_hash_algid(&mgf, &mgf_hash)) != 0 || mgf.left != 0)
		return rv != 0 ? rv : IR_ERR_MALFORMED;
	if (seq.left != 0 && seq.p[0] == 0xa2 &&
	    (!der_expect(&seq, 0xa2, &tag) || !der_small_int(&tag, &salt) ||
	    tag.left != 0))
		return IR_ERR_MALFORMED;
	if (seq.left != 0 && (!der_expect(&seq, 0xa3, &tag) ||
	    !der_small_int(&tag, &trailer) || tag.left != 0 || seq.left != 0))
		return IR_ERR_MALFORMED;
	if (alg->hash == CRYPTO_HASH_SHA1 || mgf_hash != alg->hash ||
	    trailer != 1 || salt > 512)
		return IR_ERR_UNSUPPORTED;
	alg->kind = CRYPTO_SIG_RSA_PSS;
	alg->salt_len = salt;
	return 0;
}

/* Signature OIDs whose parameters are absent or NULL. */
static const struct {
	uint8_t		kind, hash, len;
	uint8_t		oid[9];
} sig_oids[] = {
	{ CRYPTO_SIG_RSA_PKCS1, CRYPTO_HASH_SHA1, 9,
	    { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05 } },
	{ CRYPTO_SIG_RSA_PKCS1, CRYPTO_HASH_SHA2_256, 9,
	    { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b } },
	{ CRYPTO_SIG_RSA_PKCS1, CRYPTO_HASH_SHA2_384, 9,
	    { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c } },
	{ CRYPTO_SIG_RSA_PKCS1, CRYPTO_HASH_SHA2_512, 9,
	    { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d } },
	{ CRYPTO_SIG_ECDSA, CRYPTO_HASH_SHA1, 7,
	    { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01 } },
	{ CRYPTO_SIG_ECDSA, CRYPTO_HASH_SHA2_256, 8,
	    { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 } },
	{ CRYPTO_SIG_ECDSA, CRYPTO_HASH_SHA2_384, 8,
	    { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03 } },
	{ CRYPTO_SIG_ECDSA, CRYPTO_HASH_SHA2_512, 8,
	    { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04 } },
	{ CRYPTO_SIG_ED25519, CRYPTO_HASH_IDENTITY, 3, { 0x2b, 0x65, 0x70 } },
};

/* The general path: decode OID and parameters. */
static int
algid_decode(const uint8_t *der, size_t len, struct crypto_sig_alg *alg)
{
	struct wire_rd r, seq, oid, null;
	size_t i;

	wire_rd_init(&r, der, len);
	if (!der_expect(&r, DER_SEQ, &seq) || r.left != 0 ||
	    !der_expect(&seq, DER_OID, &oid))
		return IR_ERR_MALFORMED;
	if (oid_is(&oid, oid_pss, sizeof(oid_pss)))
		return der_pss_params(&seq, alg);
	/* The other schemes take no parameters; tolerate an explicit NULL
	 * (RFC 4055 §5 prefers it for RSA, RFC 5758 forbids it for ECDSA,
	 * and implementations mix them up). */
	if (seq.left != 0 && (!der_expect(&seq, DER_NULL, &null) ||
	    null.left != 0 || seq.left != 0))
		return IR_ERR_MALFORMED;
	for (i = 0; i < IR_ARRAY_LEN(sig_oids); i++) {
		if (!oid_is(&oid, sig_oids[i].oid, sig_oids[i].len))
			continue;
		if (sig_oids[i].hash == CRYPTO_HASH_SHA1)
			return IR_ERR_UNSUPPORTED;	/* RFC 8247 §3.2 */
		alg->kind = sig_oids[i].kind;
		alg->hash = sig_oids[i].hash;
		return 0;
	}
	return IR_ERR_UNSUPPORTED;
}

int
crypto_sig_algid_parse(const uint8_t *der, size_t len,
    struct crypto_sig_alg *alg)
{
	const struct algid_blob *b;
	size_t i;

	memset(alg, 0, sizeof(*alg));
	/* The known encodings first: what every sane peer sends. */
	for (i = 0; i < IR_ARRAY_LEN(algid_blobs); i++) {
		b = &algid_blobs[i];
		if (b->len == len && memcmp(b->der, der, len) == 0) {
			alg->kind = b->kind;
			alg->hash = b->hash;
			alg->salt_len = b->salt_len;
			return 0;
		}
	}
	return algid_decode(der, len, alg);
}

/* ---- Choosing our scheme (RFC 7427 §4) ---------------------------------- */

static uint8_t
ecdsa_curve_hash(unsigned bits)
{
	return bits == 256 ? CRYPTO_HASH_SHA2_256 :
	    bits == 384 ? CRYPTO_HASH_SHA2_384 : CRYPTO_HASH_SHA2_512;
}

static uint8_t
ecdsa_method(unsigned bits)
{
	return bits == 256 ? CRYPTO_AUTH_ECDSA_SHA256_P256 :
	    bits == 384 ? CRYPTO_AUTH_ECDSA_SHA384_P384 :
	    CRYPTO_AUTH_ECDSA_SHA512_P521;
}

/* The first of |prefs| that the peer offered, or 0. */
static uint8_t
first_offered(uint32_t peer, const uint8_t *prefs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (peer & CRYPTO_HASH_BIT(prefs[i]))
			return prefs[i];
	return 0;
}

int
crypto_sig_choose(const struct crypto_pkey *key, uint32_t peer_hashes,
    bool rsa_pss, uint8_t *method, struct crypto_sig_alg *alg)
{
	static const uint8_t rsa_prefs[] = { CRYPTO_HASH_SHA2_256,
	    CRYPTO_HASH_SHA2_384, CRYPTO_HASH_SHA2_512 };
	static const uint8_t ec_prefs[] = { CRYPTO_HASH_SHA2_512,
	    CRYPTO_HASH_SHA2_384, CRYPTO_HASH_SHA2_256 };
	uint8_t h;

	memset(alg, 0, sizeof(*alg));
	if (peer_hashes == 0) {		/* no RFC 7427: the old methods */
		switch (key->type) {
		case CRYPTO_KEY_RSA:
			*method = CRYPTO_AUTH_RSA_SIG;
			return 0;
		case CRYPTO_KEY_ECDSA:
			*method = ecdsa_method(key->bits);
			return 0;
		default:
			return IR_ERR_UNSUPPORTED;
		}
	}
	*method = CRYPTO_AUTH_DIGITAL_SIG;
	switch (key->type) {
	case CRYPTO_KEY_ED25519:
		if (!(peer_hashes & CRYPTO_HASH_BIT(CRYPTO_HASH_IDENTITY)))
			return IR_ERR_UNSUPPORTED;
		alg->kind = CRYPTO_SIG_ED25519;
		alg->hash = CRYPTO_HASH_IDENTITY;
		return 0;
	case CRYPTO_KEY_ECDSA:
		h = ecdsa_curve_hash(key->bits);
		if (!(peer_hashes & CRYPTO_HASH_BIT(h)))
			h = first_offered(peer_hashes, ec_prefs,
			    sizeof(ec_prefs));
		alg->kind = CRYPTO_SIG_ECDSA;
		break;
	default:
		h = first_offered(peer_hashes, rsa_prefs, sizeof(rsa_prefs));
		alg->kind = rsa_pss ? CRYPTO_SIG_RSA_PSS : CRYPTO_SIG_RSA_PKCS1;
		alg->salt_len = rsa_pss ? (uint16_t)hash_len(h) : 0;
		break;
	}
	if (h == 0) {
		memset(alg, 0, sizeof(*alg));
		return IR_ERR_UNSUPPORTED;
	}
	alg->hash = h;
	return 0;
}

/* ---- Raw signatures ------------------------------------------------------- */

/* Whether |alg| can be used with |k| at all. */
static bool
alg_fits_key(const struct crypto_pkey *k, const struct crypto_sig_alg *alg)
{
	switch (alg->kind) {
	case CRYPTO_SIG_RSA_PKCS1:
		return k->type == CRYPTO_KEY_RSA && hash_len(alg->hash) != 0;
	case CRYPTO_SIG_RSA_PSS:
		return k->type == CRYPTO_KEY_RSA && hash_len(alg->hash) != 0 &&
		    alg->hash != CRYPTO_HASH_SHA1;
	case CRYPTO_SIG_ECDSA:
		return k->type == CRYPTO_KEY_ECDSA && hash_len(alg->hash) != 0;
	case CRYPTO_SIG_ED25519:
		return k->type == CRYPTO_KEY_ED25519 &&
		    alg->hash == CRYPTO_HASH_IDENTITY;
	default:
		return false;
	}
}

/* Set RSASSA-PSS padding, MGF1 hash and salt on a DigestSign/Verify
 * context (RFC 8017 §8.1). */
static int
pss_setup(EVP_PKEY_CTX *pctx, const struct crypto_sig_alg *alg)
{
	if (alg->kind != CRYPTO_SIG_RSA_PSS)
		return 0;
	/* By EVP_MD, not by name: a token's key (crypto_pkcs11.c) is a
	 * legacy engine key, whose context takes no parameters by name. */
	if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md(pctx,
	    EVP_get_digestbyname(hash_name(alg->hash))) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, alg->salt_len) <= 0)
		return IR_ERR_CRYPTO;
	return 0;
}

int
crypto_sig_sign(const struct crypto_pkey *key,
    const struct crypto_sig_alg *alg, const uint8_t *data, size_t len,
    uint8_t *sig, size_t cap, size_t *sig_len)
{
	EVP_MD_CTX *mctx;
	EVP_PKEY_CTX *pctx = NULL;
	size_t need = 0;
	int rv = IR_ERR_CRYPTO;

	*sig_len = 0;
	if (!key->priv || !alg_fits_key(key, alg))
		return IR_ERR_AUTH;
	if (key->remote != NULL)
		return key->remote(key->remote_arg, alg, data, len, sig, cap,
		    sig_len);
	if ((mctx = EVP_MD_CTX_new()) == NULL)
		return IR_ERR_NOMEM;
	if (EVP_DigestSignInit_ex(mctx, &pctx, hash_name(alg->hash), NULL,
	    NULL, key->pkey, NULL) != 1 || pss_setup(pctx, alg) != 0)
		goto out;
	/* The first call gives the largest size (ECDSA DER may be less). */
	if (EVP_DigestSign(mctx, NULL, &need, data, len) != 1)
		goto out;
	if (need > cap) {
		rv = IR_ERR_NOBUF;
		goto out;
	}
	*sig_len = cap;
	if (EVP_DigestSign(mctx, sig, sig_len, data, len) != 1) {
		*sig_len = 0;
		goto out;
	}
	rv = 0;
out:
	EVP_MD_CTX_free(mctx);
	ERR_clear_error();
	return rv;
}

int
crypto_sig_verify(const struct crypto_pkey *pub,
    const struct crypto_sig_alg *alg, const uint8_t *data, size_t len,
    const uint8_t *sig, size_t sig_len)
{
	EVP_MD_CTX *mctx;
	EVP_PKEY_CTX *pctx = NULL;
	int rv = IR_ERR_AUTH;

	if (!alg_fits_key(pub, alg) || sig_len == 0 || sig_len > CRYPTO_SIG_MAX)
		return IR_ERR_AUTH;
	if ((mctx = EVP_MD_CTX_new()) == NULL)
		return IR_ERR_NOMEM;
	if (EVP_DigestVerifyInit_ex(mctx, &pctx, hash_name(alg->hash), NULL,
	    NULL, pub->pkey, NULL) != 1 || pss_setup(pctx, alg) != 0) {
		rv = IR_ERR_CRYPTO;
		goto out;
	}
	/* 0 is a bad signature, negative a malformed one: both are AUTH. */
	if (EVP_DigestVerify(mctx, sig, sig_len, data, len) == 1)
		rv = 0;
out:
	EVP_MD_CTX_free(mctx);
	ERR_clear_error();
	return rv;
}

/* ---- RFC 4754 §7: r | s <-> DER Ecdsa-Sig-Value ----------------------------- */

/* Octets of r and of s on the curve of |bits|. */
static size_t
ecdsa_coord_len(unsigned bits)
{
	return (bits + 7) / 8;
}

static int
ecdsa_der_to_raw(const uint8_t *der, size_t der_len, size_t clen,
    uint8_t *out, size_t cap, size_t *out_len)
{
	const unsigned char *p = der;
	const BIGNUM *r, *s;
	ECDSA_SIG *es;
	int rv = 0;

	if (cap < 2 * clen)
		return IR_ERR_NOBUF;
	if ((es = d2i_ECDSA_SIG(NULL, &p, (long)der_len)) == NULL)
		return IR_ERR_CRYPTO;
	ECDSA_SIG_get0(es, &r, &s);
	if (BN_bn2binpad(r, out, (int)clen) < 0 ||
	    BN_bn2binpad(s, out + clen, (int)clen) < 0)
		rv = IR_ERR_CRYPTO;
	ECDSA_SIG_free(es);
	*out_len = rv == 0 ? 2 * clen : 0;
	return rv;
}

/* |raw| must be exactly r | s of |clen| octets each. */
static int
ecdsa_raw_to_der(const uint8_t *raw, size_t raw_len, size_t clen,
    uint8_t **der, size_t *der_len)
{
	BIGNUM *r, *s;
	ECDSA_SIG *es;
	unsigned char *p = NULL;
	int n;

	*der = NULL;
	if (raw_len != 2 * clen)
		return IR_ERR_MALFORMED;
	r = BN_bin2bn(raw, (int)clen, NULL);
	s = BN_bin2bn(raw + clen, (int)clen, NULL);
	if ((es = ECDSA_SIG_new()) == NULL || r == NULL || s == NULL ||
	    !ECDSA_SIG_set0(es, r, s)) {
		BN_free(r);
		BN_free(s);
		ECDSA_SIG_free(es);
		return IR_ERR_NOMEM;
	}
	n = i2d_ECDSA_SIG(es, &p);
	ECDSA_SIG_free(es);
	if (n <= 0)
		return IR_ERR_CRYPTO;
	*der = p;
	*der_len = (size_t)n;
	return 0;
}

/* ---- AUTH payload data (RFC 7296 §3.8) -------------------------------- */

/* The scheme of the pre-RFC 7427 methods; |bits| = 0: any ECDSA curve. */
static int
legacy_alg(uint8_t method, struct crypto_sig_alg *alg, unsigned *bits)
{
	memset(alg, 0, sizeof(*alg));
	switch (method) {
	case CRYPTO_AUTH_RSA_SIG:
		alg->kind = CRYPTO_SIG_RSA_PKCS1;
		alg->hash = CRYPTO_HASH_SHA1;
		*bits = 0;
		return 0;
	case CRYPTO_AUTH_ECDSA_SHA256_P256:
		*bits = 256;
		break;
	case CRYPTO_AUTH_ECDSA_SHA384_P384:
		*bits = 384;
		break;
	case CRYPTO_AUTH_ECDSA_SHA512_P521:
		*bits = 521;
		break;
	default:
		return IR_ERR_UNSUPPORTED;
	}
	alg->kind = CRYPTO_SIG_ECDSA;
	alg->hash = ecdsa_curve_hash(*bits);
	return 0;
}

static int
auth_sign_legacy(const struct crypto_pkey *key, uint8_t method,
    const uint8_t *octets, size_t octets_len, uint8_t *out, size_t cap,
    size_t *out_len)
{
	struct crypto_sig_alg alg;
	uint8_t der[160];		/* P-521 DER is at most 139 octets */
	size_t der_len;
	unsigned bits;
	int rv;

	if ((rv = legacy_alg(method, &alg, &bits)) != 0)
		return rv;
	if (alg.kind == CRYPTO_SIG_RSA_PKCS1)
		return crypto_sig_sign(key, &alg, octets, octets_len, out, cap,
		    out_len);
	/* RFC 4754 §4: the method names the curve as well as the hash. */
	if (key->type != CRYPTO_KEY_ECDSA || key->bits != bits)
		return IR_ERR_AUTH;
	rv = crypto_sig_sign(key, &alg, octets, octets_len, der, sizeof(der),
	    &der_len);
	if (rv == 0)
		rv = ecdsa_der_to_raw(der, der_len, ecdsa_coord_len(bits), out,
		    cap, out_len);
	return rv;
}

int
crypto_auth_sign(const struct crypto_pkey *key, uint8_t method,
    const struct crypto_sig_alg *alg, const uint8_t *octets,
    size_t octets_len, uint8_t *out, size_t cap, size_t *out_len)
{
	const uint8_t *algid;
	size_t algid_len, sig_len;
	int rv;

	*out_len = 0;
	if (method != CRYPTO_AUTH_DIGITAL_SIG)
		return auth_sign_legacy(key, method, octets, octets_len, out,
		    cap, out_len);
	if (alg == NULL)
		return IR_ERR_INTERNAL;
	if ((rv = crypto_sig_algid(alg, &algid, &algid_len)) != 0)
		return rv;
	if (cap < 1 + algid_len)
		return IR_ERR_NOBUF;
	out[0] = (uint8_t)algid_len;
	memcpy(out + 1, algid, algid_len);
	rv = crypto_sig_sign(key, alg, octets, octets_len, out + 1 + algid_len,
	    cap - 1 - algid_len, &sig_len);
	if (rv == 0)
		*out_len = 1 + algid_len + sig_len;
	return rv;
}

static int
auth_verify_legacy(const struct crypto_pkey *pub, uint8_t method,
    const uint8_t *auth, size_t auth_len, const uint8_t *octets,
    size_t octets_len, struct crypto_sig_alg *alg)
{
	uint8_t *der;
	size_t der_len;
	unsigned bits;
	int rv;

	if ((rv = legacy_alg(method, alg, &bits)) != 0)
		return rv;
	if (alg->kind == CRYPTO_SIG_RSA_PKCS1)
		return crypto_sig_verify(pub, alg, octets, octets_len, auth,
		    auth_len);
	if (pub->type != CRYPTO_KEY_ECDSA || pub->bits != bits)
		return IR_ERR_AUTH;
	rv = ecdsa_raw_to_der(auth, auth_len, ecdsa_coord_len(bits), &der,
	    &der_len);
	if (rv != 0)
		return rv;
	rv = crypto_sig_verify(pub, alg, octets, octets_len, der, der_len);
	OPENSSL_free(der);
	return rv;
}

int
crypto_auth_verify(const struct crypto_pkey *pub, uint8_t method,
    const uint8_t *auth, size_t auth_len, const uint8_t *octets,
    size_t octets_len, struct crypto_sig_alg *used)
{
	struct crypto_sig_alg alg;
	struct wire_rd r;
	const uint8_t *algid;
	uint8_t algid_len;
	int rv;

	if (used != NULL)
		memset(used, 0, sizeof(*used));
	if (method != CRYPTO_AUTH_DIGITAL_SIG) {
		rv = auth_verify_legacy(pub, method, auth, auth_len, octets,
		    octets_len, &alg);
		if (used != NULL && rv != IR_ERR_UNSUPPORTED)
			*used = alg;
		return rv;
	}
	/* RFC 7427 §3: length | AlgorithmIdentifier | signature. */
	wire_rd_init(&r, auth, auth_len);
	if (!wire_rd_u8(&r, &algid_len) || algid_len == 0 ||
	    !wire_rd_bytes(&r, algid_len, &algid) || r.left == 0)
		return IR_ERR_MALFORMED;
	if ((rv = crypto_sig_algid_parse(algid, algid_len, &alg)) != 0)
		return rv;
	if (used != NULL)
		*used = alg;
	return crypto_sig_verify(pub, &alg, octets, octets_len, r.p, r.left);
}
