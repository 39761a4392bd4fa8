/*
 * crypto/crypto_kex.c: Diffie-Hellman key exchange for IKEv2 (Transform
 * Type 4): MODP groups 14-16 (RFC 3526), ECP groups 19-21 (RFC 5903) and
 * Curve25519/Curve448 (RFC 8031).
 *
 * The private key is the caller's seed itself, so that a test run that
 * replays the random callback replays the key exchange byte for byte:
 *
 *   MODP   the seed (32/48/64 octets for groups 14/15/16) is the exponent
 *          x, big-endian.  RFC 3526 §8 asks for exponents of about twice
 *          the group's strength; 256/384/512 bits is at least that.
 *   ECP    the seed is the scalar d, big-endian, as long as the order n
 *          (P-521: 66 octets, of which the top 7 bits are cleared).  A d
 *          outside [1, n-1] gives IR_ERR_INVALID_KE: draw a new seed.
 *          This happens with probability < 2^-31 (P-256) or less.
 *   X25519 the seed is the raw private key (32 or 56 octets); RFC 7748 §5
 *   X448   clamping is done by OpenSSL.
 *
 * The public value is computed with BN / EC_POINT arithmetic (neither is
 * deprecated in OpenSSL 3.0) or by OpenSSL's raw X25519/X448 keys, and the
 * key pair is then held as an EVP_PKEY so that the shared secret comes
 * from EVP_PKEY_derive().  No DH_* or EC_KEY_* calls (deprecated in 3.0).
 *
 * Wire encodings: MODP y and ECP x | y are big-endian, padded to the
 * group's length (RFC 7296 §3.4, RFC 5903 §7, no 0x04 prefix); X25519 and
 * X448 are the raw little-endian u-coordinates (RFC 8031 §3).
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/dh.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto.h"

enum kex_kind {
	KEX_MODP,
	KEX_ECP,
	KEX_XDH,
};

struct kex_group {
	uint16_t	 id;
	enum kex_kind	 kind;
	const char	*name;		/* OpenSSL group or key type name */
	int		 nid;		/* ECP curve */
	BIGNUM		*(*prime)(BIGNUM *);	/* MODP p, RFC 3526 */
	size_t		 pub_len;	/* KE payload data */
	size_t		 secret_len;	/* g^ir */
	size_t		 seed_len;	/* private key material */
};

static const struct kex_group kex_groups[] = {
	{ CRYPTO_KEX_MODP2048, KEX_MODP, "modp_2048", NID_undef,
	    BN_get_rfc3526_prime_2048, 256, 256, 32 },
	{ CRYPTO_KEX_MODP3072, KEX_MODP, "modp_3072", NID_undef,
	    BN_get_rfc3526_prime_3072, 384, 384, 48 },
	{ CRYPTO_KEX_MODP4096, KEX_MODP, "modp_4096", NID_undef,
	    BN_get_rfc3526_prime_4096, 512, 512, 64 },
	{ CRYPTO_KEX_ECP256, KEX_ECP, "P-256", NID_X9_62_prime256v1,
	    NULL, 64, 32, 32 },
	{ CRYPTO_KEX_ECP384, KEX_ECP, "P-384", NID_secp384r1,
	    NULL, 96, 48, 48 },
	{ CRYPTO_KEX_ECP521, KEX_ECP, "P-521", NID_secp521r1,
	    NULL, 132, 66, 66 },
	{ CRYPTO_KEX_CURVE25519, KEX_XDH, "X25519", NID_undef,
	    NULL, 32, 32, 32 },
	{ CRYPTO_KEX_CURVE448, KEX_XDH, "X448", NID_undef,
	    NULL, 56, 56, 56 },
};

struct crypto_kex {
	const struct kex_group	*g;
	EVP_PKEY		*pkey;		/* our key pair */
	uint8_t			 pub[CRYPTO_KEX_PUB_MAX];
};

static const struct kex_group *
kex_group_find(uint16_t group)
{
	size_t i;

	for (i = 0; i < IR_ARRAY_LEN(kex_groups); i++)
		if (kex_groups[i].id == group)
			return &kex_groups[i];
	return NULL;
}

bool
crypto_kex_supported(uint16_t group)
{
	return kex_group_find(group) != NULL;
}

size_t
crypto_kex_pub_len(uint16_t group)
{
	const struct kex_group *g = kex_group_find(group);

	return g != NULL ? g->pub_len : 0;
}

size_t
crypto_kex_seed_len(uint16_t group)
{
	const struct kex_group *g = kex_group_find(group);

	return g != NULL ? g->seed_len : 0;
}

uint16_t
crypto_kex_group(const struct crypto_kex *k)
{
	return k->g->id;
}

/*
 * An EVP_PKEY of |type| from a group name, an optional private BIGNUM and
 * a public value in OpenSSL's encoding (MODP: a BIGNUM; ECP: 0x04 | x | y).
 * EVP_PKEY_fromdata() does not derive the public key from the private one
 * in OpenSSL 3.0, which is why the callers compute it first.
 */
static int
kex_pkey_fromdata(EVP_PKEY **out, const char *type, const char *group,
    const BIGNUM *priv, const BIGNUM *pub_bn, const uint8_t *pub_oct,
    size_t pub_oct_len)
{
	OSSL_PARAM_BLD *bld;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	int ok;

	*out = NULL;
	if ((bld = OSSL_PARAM_BLD_new()) == NULL)
		return IR_ERR_NOMEM;
	ok = OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    group, 0) &&
	    (priv == NULL || OSSL_PARAM_BLD_push_BN(bld,
	    OSSL_PKEY_PARAM_PRIV_KEY, priv)) &&
	    (pub_bn == NULL || OSSL_PARAM_BLD_push_BN(bld,
	    OSSL_PKEY_PARAM_PUB_KEY, pub_bn)) &&
	    (pub_oct == NULL || OSSL_PARAM_BLD_push_octet_string(bld,
	    OSSL_PKEY_PARAM_PUB_KEY, pub_oct, pub_oct_len)) &&
	    (params = OSSL_PARAM_BLD_to_param(bld)) != NULL &&
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL)) != NULL &&
	    EVP_PKEY_fromdata_init(ctx) == 1 &&
	    EVP_PKEY_fromdata(ctx, out, priv != NULL ? EVP_PKEY_KEYPAIR :
	    EVP_PKEY_PUBLIC_KEY, params) == 1;
	EVP_PKEY_CTX_free(ctx);
	/* A BN_secure_new() private key went to secure memory, which
	 * OSSL_PARAM_free() clears. */
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return ok ? 0 : IR_ERR_CRYPTO;
}

/*
 * g^ir = EVP_PKEY_derive(ours, peer), exactly |len| octets.  The peer key
 * is validated by EVP_PKEY_derive_set_peer(); a failure there, or for
 * X25519/X448 (whose only failure is an all-zero result), is the peer's
 * fault: IR_ERR_INVALID_KE.
 */
static int
kex_evp_derive(const struct crypto_kex *k, EVP_PKEY *peer, uint8_t *out,
    size_t len)
{
	EVP_PKEY_CTX *ctx;
	size_t outl = len;
	int rv = IR_ERR_CRYPTO;

	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, k->pkey, NULL)) == NULL)
		return IR_ERR_NOMEM;
	if (EVP_PKEY_derive_init(ctx) != 1)
		goto out;
	/* RFC 7296 §2.14: g^ir keeps its leading zeros (MODP). */
	if (k->g->kind == KEX_MODP && EVP_PKEY_CTX_set_dh_pad(ctx, 1) != 1)
		goto out;
	if (EVP_PKEY_derive_set_peer(ctx, peer) != 1) {
		rv = IR_ERR_INVALID_KE;
		goto out;
	}
	if (EVP_PKEY_derive(ctx, out, &outl) != 1) {
		if (k->g->kind == KEX_XDH)
			rv = IR_ERR_INVALID_KE;
		goto out;
	}
	rv = outl == len ? 0 : IR_ERR_CRYPTO;
out:
	EVP_PKEY_CTX_free(ctx);
	return rv;
}

/* ---- MODP (RFC 3526, g = 2) ------------------------------------------- */

static int
modp_new(struct crypto_kex *k, const uint8_t *seed)
{
	const struct kex_group *g = k->g;
	BN_CTX *bnctx = BN_CTX_secure_new();
	BIGNUM *p = g->prime(NULL), *x = BN_secure_new(), *y = BN_new();
	BIGNUM *two = BN_new();
	int rv = IR_ERR_NOMEM;

	if (bnctx == NULL || p == NULL || x == NULL || y == NULL ||
	    two == NULL)
		goto out;
	rv = IR_ERR_CRYPTO;
	BN_set_flags(x, BN_FLG_CONSTTIME);
	if (BN_bin2bn(seed, (int)g->seed_len, x) == NULL ||
	    !BN_set_word(two, 2))
		goto out;
	/* x = 0 or 1 would give y = 1 or 2: draw again. */
	if (BN_cmp(x, two) < 0) {
		rv = IR_ERR_INVALID_KE;
		goto out;
	}
	if (!BN_mod_exp_mont_consttime(y, two, x, p, bnctx, NULL) ||
	    BN_bn2binpad(y, k->pub, (int)g->pub_len) != (int)g->pub_len)
		goto out;
	rv = kex_pkey_fromdata(&k->pkey, "DH", g->name, x, y, NULL, 0);
out:
	BN_free(two);
	BN_free(y);
	BN_clear_free(x);
	BN_free(p);
	BN_CTX_free(bnctx);
	return rv;
}

/* RFC 7296 §3.4 and SP 800-56A §5.6.2.3.1: 1 < y < p - 1. */
static int
modp_derive(const struct crypto_kex *k, const uint8_t *peer, uint8_t *out)
{
	const struct kex_group *g = k->g;
	BIGNUM *p = g->prime(NULL), *y = BN_new();
	EVP_PKEY *pk = NULL;
	int rv = IR_ERR_NOMEM;

	if (p == NULL || y == NULL)
		goto out;
	rv = IR_ERR_CRYPTO;
	if (BN_bin2bn(peer, (int)g->pub_len, y) == NULL || !BN_sub_word(p, 1))
		goto out;
	if (BN_is_zero(y) || BN_is_one(y) || BN_cmp(y, p) >= 0) {
		rv = IR_ERR_INVALID_KE;
		goto out;
	}
	if ((rv = kex_pkey_fromdata(&pk, "DH", g->name, NULL, y, NULL,
	    0)) == 0)
		rv = kex_evp_derive(k, pk, out, g->secret_len);
out:
	EVP_PKEY_free(pk);
	BN_free(y);
	BN_free(p);
	return rv;
}

/* ---- ECP (RFC 5903) ---------------------------------------------------- */

static int
ecp_new(struct crypto_kex *k, const uint8_t *seed)
{
	const struct kex_group *g = k->g;
	uint8_t d_oct[CRYPTO_KEX_SEED_MAX], pt[1 + CRYPTO_KEX_PUB_MAX];
	EC_GROUP *grp = EC_GROUP_new_by_curve_name(g->nid);
	EC_POINT *q = NULL;
	BIGNUM *d = BN_secure_new();
	BN_CTX *bnctx = BN_CTX_secure_new();
	int extra, rv = IR_ERR_NOMEM;

	if (grp == NULL || d == NULL || bnctx == NULL ||
	    (q = EC_POINT_new(grp)) == NULL)
		goto out;
	rv = IR_ERR_CRYPTO;
	memcpy(d_oct, seed, g->seed_len);
	/* Keep as many bits as the order has (521 for P-521). */
	if ((extra = EC_GROUP_order_bits(grp) % 8) != 0)
		d_oct[0] &= (uint8_t)(0xff >> (8 - extra));
	BN_set_flags(d, BN_FLG_CONSTTIME);
	if (BN_bin2bn(d_oct, (int)g->seed_len, d) == NULL)
		goto out;
	if (BN_is_zero(d) || BN_cmp(d, EC_GROUP_get0_order(grp)) >= 0) {
		rv = IR_ERR_INVALID_KE;
		goto out;
	}
	if (!EC_POINT_mul(grp, q, d, NULL, NULL, bnctx) ||
	    EC_POINT_point2oct(grp, q, POINT_CONVERSION_UNCOMPRESSED, pt,
	    sizeof(pt), bnctx) != 1 + g->pub_len)
		goto out;
	memcpy(k->pub, pt + 1, g->pub_len);	/* RFC 5903 §7: no 0x04 */
	rv = kex_pkey_fromdata(&k->pkey, "EC", g->name, d, NULL, pt,
	    1 + g->pub_len);
out:
	OPENSSL_cleanse(d_oct, sizeof(d_oct));
	BN_CTX_free(bnctx);
	BN_clear_free(d);
	EC_POINT_free(q);
	EC_GROUP_free(grp);
	return rv;
}

/*
 * RFC 5903 §7 and SP 800-56A §5.6.2.3.3: x and y below p (checked by
 * EC_POINT_oct2point), the point on the curve and not the point at
 * infinity (which x | y cannot even encode).  The cofactor is 1.
 */
static int
ecp_derive(const struct crypto_kex *k, const uint8_t *peer, uint8_t *out)
{
	const struct kex_group *g = k->g;
	uint8_t pt[1 + CRYPTO_KEX_PUB_MAX];
	EC_GROUP *grp = EC_GROUP_new_by_curve_name(g->nid);
	EC_POINT *q = NULL;
	EVP_PKEY *pk = NULL;
	int rv = IR_ERR_NOMEM;

	if (grp == NULL || (q = EC_POINT_new(grp)) == NULL)
		goto out;
	pt[0] = POINT_CONVERSION_UNCOMPRESSED;
	memcpy(pt + 1, peer, g->pub_len);
	if (EC_POINT_oct2point(grp, q, pt, 1 + g->pub_len, NULL) != 1 ||
	    EC_POINT_is_at_infinity(grp, q) ||
	    EC_POINT_is_on_curve(grp, q, NULL) != 1) {
		rv = IR_ERR_INVALID_KE;
		goto out;
	}
	if ((rv = kex_pkey_fromdata(&pk, "EC", g->name, NULL, NULL, pt,
	    1 + g->pub_len)) == 0)
		rv = kex_evp_derive(k, pk, out, g->secret_len);
out:
	EVP_PKEY_free(pk);
	EC_POINT_free(q);
	EC_GROUP_free(grp);
	return rv;
}

/* ---- Curve25519 and Curve448 (RFC 8031, RFC 7748) ------------------------ */

static int
xdh_new(struct crypto_kex *k, const uint8_t *seed)
{
	const struct kex_group *g = k->g;
	size_t len = g->pub_len;

	k->pkey = EVP_PKEY_new_raw_private_key_ex(NULL, g->name, NULL, seed,
	    g->seed_len);
	if (k->pkey == NULL)
		return IR_ERR_CRYPTO;
	if (EVP_PKEY_get_raw_public_key(k->pkey, k->pub, &len) != 1 ||
	    len != g->pub_len)
		return IR_ERR_CRYPTO;
	return 0;
}

/* RFC 8031 §2.3: reject an all-zero shared secret (a low-order point). */
static int
xdh_derive(const struct crypto_kex *k, const uint8_t *peer, uint8_t *out)
{
	const struct kex_group *g = k->g;
	EVP_PKEY *pk;
	uint8_t acc = 0;
	size_t i;
	int rv;

	pk = EVP_PKEY_new_raw_public_key_ex(NULL, g->name, NULL, peer,
	    g->pub_len);
	if (pk == NULL)
		return IR_ERR_INVALID_KE;
	rv = kex_evp_derive(k, pk, out, g->secret_len);
	EVP_PKEY_free(pk);
	if (rv != 0)
		return rv;
	for (i = 0; i < g->secret_len; i++)	/* constant time */
		acc |= out[i];
	if (acc == 0) {
		OPENSSL_cleanse(out, g->secret_len);
		return IR_ERR_INVALID_KE;
	}
	return 0;
}

/* ---- The API of crypto.h ----------------------------------------------- */

int
crypto_kex_new(struct crypto_kex **out, uint16_t group, const uint8_t *seed,
    size_t seed_len)
{
	const struct kex_group *g = kex_group_find(group);
	struct crypto_kex *k;
	int rv;

	*out = NULL;
	if (g == NULL)
		return IR_ERR_UNSUPPORTED;
	if (seed_len != g->seed_len)
		return IR_ERR_INTERNAL;
	if ((k = ir_calloc(1, sizeof(*k))) == NULL)
		return IR_ERR_NOMEM;
	k->g = g;
	switch (g->kind) {
	case KEX_MODP:
		rv = modp_new(k, seed);
		break;
	case KEX_ECP:
		rv = ecp_new(k, seed);
		break;
	default:
		rv = xdh_new(k, seed);
		break;
	}
	if (rv != 0) {
		crypto_kex_free(k);
		return rv;
	}
	*out = k;
	return 0;
}

void
crypto_kex_free(struct crypto_kex *k)
{
	if (k == NULL)
		return;
	EVP_PKEY_free(k->pkey);		/* clears the private key */
	ir_wipe(k, sizeof(*k));
	ir_free(k);
}

int
crypto_kex_public(const struct crypto_kex *k, uint8_t *out, size_t cap,
    size_t *len)
{
	if (cap < k->g->pub_len)
		return IR_ERR_NOBUF;
	memcpy(out, k->pub, k->g->pub_len);
	*len = k->g->pub_len;
	return 0;
}

int
crypto_kex_derive(const struct crypto_kex *k, const uint8_t *peer,
    size_t peer_len, uint8_t *secret, size_t cap, size_t *len)
{
	const struct kex_group *g = k->g;
	int rv;

	*len = 0;
	/* RFC 7296 §3.4: the length is fixed by the group. */
	if (peer_len != g->pub_len)
		return IR_ERR_INVALID_KE;
	if (cap < g->secret_len)
		return IR_ERR_NOBUF;
	switch (g->kind) {
	case KEX_MODP:
		rv = modp_derive(k, peer, secret);
		break;
	case KEX_ECP:
		rv = ecp_derive(k, peer, secret);
		break;
	default:
		rv = xdh_derive(k, peer, secret);
		break;
	}
	if (rv != 0) {
		OPENSSL_cleanse(secret, g->secret_len);
		return rv;
	}
	*len = g->secret_len;
	return 0;
}
