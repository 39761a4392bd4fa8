/*
 * crypto/crypto_mschap.c: MS-CHAPv2 (RFC 2759 §8) and MPPE key
 * derivation (RFC 3079 §3), for EAP-MSCHAPv2 inside IKEv2.
 *
 * MD4 and DES come from the legacy provider, loaded into a private
 * OSSL_LIB_CTX; SHA-1 comes from the default one.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto_mschap.h"

#define MD4_LEN		16
#define SHA1_LEN	20

struct crypto_mschap {
	OSSL_LIB_CTX	*libctx;
	OSSL_PROVIDER	*legacy;
	EVP_MD		*md4;
	EVP_CIPHER	*des_ecb;
};

int
crypto_mschap_new(struct crypto_mschap **out)
{
	struct crypto_mschap *m;

	*out = NULL;
	if ((m = ir_calloc(1, sizeof(*m))) == NULL)
		return IR_ERR_NOMEM;
	if ((m->libctx = OSSL_LIB_CTX_new()) == NULL) {
		ir_free(m);
		return IR_ERR_NOMEM;
	}
	m->legacy = OSSL_PROVIDER_load(m->libctx, "legacy");
	if (m->legacy != NULL) {
		m->md4 = EVP_MD_fetch(m->libctx, "MD4", NULL);
		m->des_ecb = EVP_CIPHER_fetch(m->libctx, "DES-ECB", NULL);
	}
	ERR_clear_error();
	if (m->md4 == NULL || m->des_ecb == NULL) {
		crypto_mschap_free(m);
		return IR_ERR_UNSUPPORTED;
	}
	*out = m;
	return 0;
}

void
crypto_mschap_free(struct crypto_mschap *m)
{
	if (m == NULL)
		return;
	EVP_MD_free(m->md4);
	EVP_CIPHER_free(m->des_ecb);
	OSSL_PROVIDER_unload(m->legacy);
	OSSL_LIB_CTX_free(m->libctx);
	ir_free(m);
}

/* ---- Inputs ----------------------------------------------------------------- */

/* One code point from UTF-8 (RFC 3629: shortest form, no surrogates). */
static bool
utf8_next(const uint8_t **p, const uint8_t *end, uint32_t *cp)
{
	static const uint32_t min[] = { 0, 0x80, 0x800, 0x10000 };
	uint8_t b = *(*p)++;
	size_t n, i;

	if (b < 0x80) {
		*cp = b;
		return true;
	}
	n = b >= 0xf0 && b < 0xf5 ? 3 : b >= 0xe0 && b < 0xf0 ? 2 :
	    b >= 0xc2 && b < 0xe0 ? 1 : 0;
	if (n == 0 || (size_t)(end - *p) < n)
		return false;
	*cp = b & (0x3f >> n);
	for (i = 0; i < n; i++) {
		if (((*p)[i] & 0xc0) != 0x80)
			return false;
		*cp = *cp << 6 | ((*p)[i] & 0x3f);
	}
	*p += n;
	return *cp >= min[n] && *cp <= 0x10ffff &&
	    (*cp < 0xd800 || *cp > 0xdfff);
}

/*
 * NtPasswordHash() (RFC 2759 §8.3): MD4 of the UTF-16LE password.  At
 * most 256 characters; one outside the BMP becomes a surrogate pair.
 */
static int
nt_password_hash(struct crypto_mschap *m, const char *password, size_t len,
    uint8_t hash[MD4_LEN])
{
	uint8_t u16[CRYPTO_MSCHAP_PASSWORD_MAX * 4];
	const uint8_t *p = (const uint8_t *)password, *end = p + len;
	size_t n = 0, chars = 0;
	uint32_t cp;
	int rv = 0;

	while (p < end && rv == 0) {
		if (!utf8_next(&p, end, &cp) ||
		    ++chars > CRYPTO_MSCHAP_PASSWORD_MAX) {
			rv = IR_ERR_CONFIG;
			break;
		}
		if (cp >= 0x10000) {
			cp -= 0x10000;
			u16[n++] = (uint8_t)(0xd800 + (cp >> 10));
			u16[n++] = (uint8_t)((0xd800 + (cp >> 10)) >> 8);
			cp = 0xdc00 + (cp & 0x3ff);
		}
		u16[n++] = (uint8_t)cp;
		u16[n++] = (uint8_t)(cp >> 8);
	}
	if (rv == 0 && !EVP_Digest(u16, n, hash, NULL, m->md4, NULL))
		rv = IR_ERR_CRYPTO;
	ir_wipe(u16, sizeof(u16));
	return rv;
}

/* RFC 2759 §4: only the user name, without any "DOMAIN\" prefix. */
static int
user_name(const char *name, size_t len, const uint8_t **user, size_t *ulen)
{
	const char *bs;

	if (len > CRYPTO_MSCHAP_NAME_MAX)
		return IR_ERR_CONFIG;
	*user = (const uint8_t *)name;
	*ulen = len;
	if (len > 0 && (bs = memrchr(name, '\\', len)) != NULL) {
		*user = (const uint8_t *)bs + 1;
		*ulen = len - (size_t)(bs + 1 - name);
	}
	return 0;
}

/* SHA-1 over up to four pieces (NULL pieces are skipped). */
static int
sha1_4(uint8_t out[SHA1_LEN], const void *a, size_t alen, const void *b,
    size_t blen, const void *c, size_t clen, const void *d, size_t dlen)
{
	EVP_MD_CTX *ctx;
	int ok;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return IR_ERR_NOMEM;
	ok = EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) &&
	    EVP_DigestUpdate(ctx, a, alen) &&
	    (b == NULL || EVP_DigestUpdate(ctx, b, blen)) &&
	    (c == NULL || EVP_DigestUpdate(ctx, c, clen)) &&
	    (d == NULL || EVP_DigestUpdate(ctx, d, dlen)) &&
	    EVP_DigestFinal_ex(ctx, out, NULL);
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : IR_ERR_CRYPTO;
}

/* ChallengeHash() (RFC 2759 §8.2): the first 8 octets of
 * SHA-1(PeerChallenge | AuthenticatorChallenge | UserName). */
static int
challenge_hash(const uint8_t *auth_chal, const uint8_t *peer_chal,
    const char *name, size_t name_len, uint8_t challenge[8])
{
	uint8_t digest[SHA1_LEN];
	const uint8_t *user;
	size_t ulen;
	int rv;

	if ((rv = user_name(name, name_len, &user, &ulen)) != 0)
		return rv;
	rv = sha1_4(digest, peer_chal, CRYPTO_MSCHAP_CHALLENGE_LEN, auth_chal,
	    CRYPTO_MSCHAP_CHALLENGE_LEN, ulen > 0 ? user : NULL, ulen, NULL, 0);
	memcpy(challenge, digest, 8);
	return rv;
}

/* DesEncrypt() (RFC 2759 §8.6): the 7 key octets are spread over 8,
 * seven bits each; the parity bits are left zero, DES ignores them. */
static int
des_encrypt(struct crypto_mschap *m, const uint8_t clear[8],
    const uint8_t key7[7], uint8_t cypher[8])
{
	EVP_CIPHER_CTX *ctx;
	uint8_t key[8];
	int i, n, ok;

	key[0] = key7[0] & 0xfe;
	for (i = 1; i < 7; i++)
		key[i] = (uint8_t)((key7[i - 1] << (8 - i)) | (key7[i] >> i))
		    & 0xfe;
	key[7] = (uint8_t)(key7[6] << 1);
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL) {
		ir_wipe(key, sizeof(key));
		return IR_ERR_NOMEM;
	}
	ok = EVP_EncryptInit_ex2(ctx, m->des_ecb, key, NULL, NULL) &&
	    EVP_CIPHER_CTX_set_padding(ctx, 0) &&
	    EVP_EncryptUpdate(ctx, cypher, &n, clear, 8) && n == 8;
	EVP_CIPHER_CTX_free(ctx);
	ir_wipe(key, sizeof(key));
	return ok ? 0 : IR_ERR_CRYPTO;
}

/* ---- RFC 2759 §8.1, §8.5: the NT-Response ---------------------------------- */

/* ChallengeResponse(): DES of the challenge under the three 7-octet
 * thirds of the zero-padded 21-octet password hash. */
static int
challenge_response(struct crypto_mschap *m, const uint8_t challenge[8],
    const uint8_t pw_hash[MD4_LEN], uint8_t resp[24])
{
	uint8_t z[21];
	int rv;

	memset(z, 0, sizeof(z));
	memcpy(z, pw_hash, MD4_LEN);
	rv = des_encrypt(m, challenge, z, resp);
	if (rv == 0)
		rv = des_encrypt(m, challenge, z + 7, resp + 8);
	if (rv == 0)
		rv = des_encrypt(m, challenge, z + 14, resp + 16);
	ir_wipe(z, sizeof(z));
	return rv;
}

int
crypto_mschap_nt_response(struct crypto_mschap *m,
    const uint8_t auth_challenge[CRYPTO_MSCHAP_CHALLENGE_LEN],
    const uint8_t peer_challenge[CRYPTO_MSCHAP_CHALLENGE_LEN],
    const char *name, size_t name_len, const char *password,
    size_t password_len, uint8_t nt_response[CRYPTO_MSCHAP_NT_RESPONSE_LEN])
{
	uint8_t challenge[8], pw_hash[MD4_LEN];
	int rv;

	rv = challenge_hash(auth_challenge, peer_challenge, name, name_len,
	    challenge);
	if (rv == 0)
		rv = nt_password_hash(m, password, password_len, pw_hash);
	if (rv == 0)
		rv = challenge_response(m, challenge, pw_hash, nt_response);
	ir_wipe(pw_hash, sizeof(pw_hash));
	return rv;
}

/* ---- RFC 2759 §8.7, §8.8: the authenticator response -------------------- */

/* PasswordHashHash = MD4(MD4(UTF-16LE password)). */
static int
password_hash_hash(struct crypto_mschap *m, const char *password,
    size_t len, uint8_t out[MD4_LEN])
{
	uint8_t pw_hash[MD4_LEN];
	int rv;

	rv = nt_password_hash(m, password, len, pw_hash);
	if (rv == 0 && !EVP_Digest(pw_hash, MD4_LEN, out, NULL, m->md4, NULL))
		rv = IR_ERR_CRYPTO;
	ir_wipe(pw_hash, sizeof(pw_hash));
	return rv;
}

/* The 20 octets behind "S=": SHA-1(SHA-1(PasswordHashHash | NT-Response
 * | Magic1) | Challenge | Magic2). */
static int
auth_digest(struct crypto_mschap *m, const uint8_t *auth_chal,
    const uint8_t *peer_chal, const uint8_t *nt_response, const char *name,
    size_t name_len, const char *password, size_t password_len,
    uint8_t out[SHA1_LEN])
{
	static const char magic1[] = "Magic server to client signing constant";
	static const char magic2[] =
	    "Pad to make it do more than one iteration";
	uint8_t hh[MD4_LEN], digest[SHA1_LEN], challenge[8];
	int rv;

	rv = password_hash_hash(m, password, password_len, hh);
	if (rv == 0)
		rv = sha1_4(digest, hh, sizeof(hh), nt_response,
		    CRYPTO_MSCHAP_NT_RESPONSE_LEN, magic1, sizeof(magic1) - 1,
		    NULL, 0);
	if (rv == 0)
		rv = challenge_hash(auth_chal, peer_chal, name, name_len,
		    challenge);
	if (rv == 0)
		rv = sha1_4(out, digest, sizeof(digest), challenge,
		    sizeof(challenge), magic2, sizeof(magic2) - 1, NULL, 0);
	ir_wipe(hh, sizeof(hh));
	ir_wipe(digest, sizeof(digest));
	return rv;
}

int
crypto_mschap_auth_response(struct crypto_mschap *m,
    const uint8_t auth_challenge[CRYPTO_MSCHAP_CHALLENGE_LEN],
    const uint8_t peer_challenge[CRYPTO_MSCHAP_CHALLENGE_LEN],
    const uint8_t nt_response[CRYPTO_MSCHAP_NT_RESPONSE_LEN],
    const char *name, size_t name_len, const char *password,
    size_t password_len, char out[CRYPTO_MSCHAP_AUTH_RESPONSE_LEN + 1])
{
	static const char hexdig[] = "0123456789ABCDEF";
	uint8_t digest[SHA1_LEN];
	size_t i;
	int rv;

	out[0] = '\0';
	rv = auth_digest(m, auth_challenge, peer_challenge, nt_response, name,
	    name_len, password, password_len, digest);
	if (rv != 0)
		return rv;
	out[0] = 'S';
	out[1] = '=';
	for (i = 0; i < SHA1_LEN; i++) {
		out[2 + 2 * i] = hexdig[digest[i] >> 4];
		out[3 + 2 * i] = hexdig[digest[i] & 0xf];
	}
	out[CRYPTO_MSCHAP_AUTH_RESPONSE_LEN] = '\0';
	return 0;
}

/* One hex digit, either case, without branching on its value. */
static int
hex_nibble_ct(uint8_t c, uint8_t *bad)
{
	uint8_t lc = c | 0x20;
	int dig = (int)c - '0', alpha = (int)lc - 'a' + 10;
	uint8_t is_dig = (uint8_t)(((unsigned)dig < 10) * 0xff);
	uint8_t is_alpha = (uint8_t)(((unsigned)(lc - 'a') < 6) * 0xff);

	*bad |= (uint8_t)~(is_dig | is_alpha);
	return (dig & is_dig) | (alpha & is_alpha);
}

int
crypto_mschap_auth_check(struct crypto_mschap *m,
    const uint8_t auth_challenge[CRYPTO_MSCHAP_CHALLENGE_LEN],
    const uint8_t peer_challenge[CRYPTO_MSCHAP_CHALLENGE_LEN],
    const uint8_t nt_response[CRYPTO_MSCHAP_NT_RESPONSE_LEN],
    const char *name, size_t name_len, const char *password,
    size_t password_len, const uint8_t *message, size_t message_len)
{
	uint8_t want[SHA1_LEN], got[SHA1_LEN], bad = 0;
	size_t i;
	int rv;

	if (message_len < CRYPTO_MSCHAP_AUTH_RESPONSE_LEN ||
	    message[0] != 'S' || message[1] != '=' ||
	    (message_len > CRYPTO_MSCHAP_AUTH_RESPONSE_LEN &&
	    message[CRYPTO_MSCHAP_AUTH_RESPONSE_LEN] != ' ' &&
	    message[CRYPTO_MSCHAP_AUTH_RESPONSE_LEN] != '\0'))
		return IR_ERR_MALFORMED;
	for (i = 0; i < SHA1_LEN; i++)
		got[i] = (uint8_t)(hex_nibble_ct(message[2 + 2 * i], &bad) << 4 |
		    hex_nibble_ct(message[3 + 2 * i], &bad));
	if (bad != 0)
		return IR_ERR_MALFORMED;
	rv = auth_digest(m, auth_challenge, peer_challenge, nt_response, name,
	    name_len, password, password_len, want);
	if (rv == 0 && CRYPTO_memcmp(want, got, SHA1_LEN) != 0)
		rv = IR_ERR_AUTH;
	ir_wipe(want, sizeof(want));
	return rv;
}

/* ---- RFC 3079 §3.4: MPPE keys, and the MSK --------------------------------- */

/* GetAsymmetricStartKey(): SHA-1(MasterKey | SHSpad1 | Magic | SHSpad2),
 * first 16 octets (128-bit keys). */
static int
start_key(const uint8_t master[16], const char *magic, size_t magic_len,
    uint8_t out[16])
{
	uint8_t pad1[40], pad2[40], digest[SHA1_LEN];
	int rv;

	memset(pad1, 0x00, sizeof(pad1));
	memset(pad2, 0xf2, sizeof(pad2));
	rv = sha1_4(digest, master, 16, pad1, sizeof(pad1), magic, magic_len,
	    pad2, sizeof(pad2));
	memcpy(out, digest, 16);
	ir_wipe(digest, sizeof(digest));
	return rv;
}

int
crypto_mschap_msk(struct crypto_mschap *m,
    const uint8_t nt_response[CRYPTO_MSCHAP_NT_RESPONSE_LEN],
    const char *password, size_t password_len,
    uint8_t msk[CRYPTO_MSCHAP_MSK_LEN])
{
	static const char magic1[] = "This is the MPPE Master Key";
	/* Magic2 is the client's send key, Magic3 its receive key. */
	static const char magic2[] = "On the client side, this is the send "
	    "key; on the server side, it is the receive key.";
	static const char magic3[] = "On the client side, this is the "
	    "receive key; on the server side, it is the send key.";
	uint8_t hh[MD4_LEN], digest[SHA1_LEN];
	int rv;

	memset(msk, 0, CRYPTO_MSCHAP_MSK_LEN);
	/* GetMasterKey(): SHA-1(PasswordHashHash | NT-Response | Magic1). */
	rv = password_hash_hash(m, password, password_len, hh);
	if (rv == 0)
		rv = sha1_4(digest, hh, sizeof(hh), nt_response,
		    CRYPTO_MSCHAP_NT_RESPONSE_LEN, magic1, sizeof(magic1) - 1,
		    NULL, 0);
	if (rv == 0)
		rv = start_key(digest, magic2, sizeof(magic2) - 1, msk);
	if (rv == 0)
		rv = start_key(digest, magic3, sizeof(magic3) - 1, msk + 16);
	if (rv != 0)
		ir_wipe(msk, CRYPTO_MSCHAP_MSK_LEN);
	ir_wipe(hh, sizeof(hh));
	ir_wipe(digest, sizeof(digest));
	return rv;
}
