/* ike/ike_algs.c: default algorithm lists and proposal strings. */
#include <stdio.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "ike/ike_algs.h"

enum tok_kind { TOK_ENCR, TOK_INTEG, TOK_PRF, TOK_DH, TOK_ESN };

/* One token, what it adds, and for which SA kind it is valid. */
struct alg_token {
	const char	*name;
	uint8_t		 kind;
	uint16_t	 id, key_bits;
};

static const struct alg_token tokens[] = {
	{ "aes128gcm16",	TOK_ENCR, CRYPTO_ENCR_AES_GCM_16, 128 },
	{ "aes192gcm16",	TOK_ENCR, CRYPTO_ENCR_AES_GCM_16, 192 },
	{ "aes256gcm16",	TOK_ENCR, CRYPTO_ENCR_AES_GCM_16, 256 },
	{ "aes128gcm",		TOK_ENCR, CRYPTO_ENCR_AES_GCM_16, 128 },
	{ "aes256gcm",		TOK_ENCR, CRYPTO_ENCR_AES_GCM_16, 256 },
	{ "chacha20poly1305",	TOK_ENCR, CRYPTO_ENCR_CHACHA20_POLY1305, 0 },
	{ "aes128",		TOK_ENCR, CRYPTO_ENCR_AES_CBC, 128 },
	{ "aes192",		TOK_ENCR, CRYPTO_ENCR_AES_CBC, 192 },
	{ "aes256",		TOK_ENCR, CRYPTO_ENCR_AES_CBC, 256 },
	{ "sha1",		TOK_INTEG, CRYPTO_INTEG_HMAC_SHA1_96, 0 },
	{ "sha256",		TOK_INTEG, CRYPTO_INTEG_HMAC_SHA2_256_128, 0 },
	{ "sha384",		TOK_INTEG, CRYPTO_INTEG_HMAC_SHA2_384_192, 0 },
	{ "sha512",		TOK_INTEG, CRYPTO_INTEG_HMAC_SHA2_512_256, 0 },
	{ "prfsha1",		TOK_PRF, CRYPTO_PRF_HMAC_SHA1, 0 },
	{ "prfsha256",		TOK_PRF, CRYPTO_PRF_HMAC_SHA2_256, 0 },
	{ "prfsha384",		TOK_PRF, CRYPTO_PRF_HMAC_SHA2_384, 0 },
	{ "prfsha512",		TOK_PRF, CRYPTO_PRF_HMAC_SHA2_512, 0 },
	{ "prfaesxcbc",		TOK_PRF, CRYPTO_PRF_AES128_XCBC, 0 },
	{ "prfaescmac",		TOK_PRF, CRYPTO_PRF_AES128_CMAC, 0 },
	{ "modp2048",		TOK_DH, CRYPTO_KEX_MODP2048, 0 },
	{ "modp3072",		TOK_DH, CRYPTO_KEX_MODP3072, 0 },
	{ "modp4096",		TOK_DH, CRYPTO_KEX_MODP4096, 0 },
	{ "ecp256",		TOK_DH, CRYPTO_KEX_ECP256, 0 },
	{ "ecp384",		TOK_DH, CRYPTO_KEX_ECP384, 0 },
	{ "ecp521",		TOK_DH, CRYPTO_KEX_ECP521, 0 },
	{ "x25519",		TOK_DH, CRYPTO_KEX_CURVE25519, 0 },
	{ "curve25519",		TOK_DH, CRYPTO_KEX_CURVE25519, 0 },
	{ "x448",		TOK_DH, CRYPTO_KEX_CURVE448, 0 },
	{ "curve448",		TOK_DH, CRYPTO_KEX_CURVE448, 0 },
	{ "esn",		TOK_ESN, 1, 0 },
	{ "noesn",		TOK_ESN, 0, 0 },
};

static void
add_encr(struct ike_algs *a, uint16_t id, uint16_t bits)
{
	unsigned i;

	for (i = 0; i < a->n_encr; i++)
		if (a->encr[i].id == id && a->encr[i].key_bits == bits)
			return;
	if (a->n_encr < IKE_ALGS_MAX) {
		a->encr[a->n_encr].id = id;
		a->encr[a->n_encr].key_bits = bits;
		a->n_encr++;
	}
}

/* Append |id| to |list| unless present; lists keep preference order. */
static void
add_id(uint16_t *list, uint8_t *n, uint16_t id)
{
	unsigned i;

	for (i = 0; i < *n; i++)
		if (list[i] == id)
			return;
	if (*n < IKE_ALGS_MAX)
		list[(*n)++] = id;
}

/* The ciphers and integrity algorithms both SA kinds offer by default. */
static void
default_ciphers(struct ike_algs *out)
{
	memset(out, 0, sizeof(*out));
	add_encr(out, CRYPTO_ENCR_AES_GCM_16, 256);
	add_encr(out, CRYPTO_ENCR_AES_GCM_16, 128);
	add_encr(out, CRYPTO_ENCR_CHACHA20_POLY1305, 0);
	add_encr(out, CRYPTO_ENCR_AES_CBC, 256);
	add_encr(out, CRYPTO_ENCR_AES_CBC, 128);
	add_id(out->integ, &out->n_integ, CRYPTO_INTEG_HMAC_SHA2_256_128);
	add_id(out->integ, &out->n_integ, CRYPTO_INTEG_HMAC_SHA2_384_192);
	add_id(out->integ, &out->n_integ, CRYPTO_INTEG_HMAC_SHA2_512_256);
	add_id(out->dh, &out->n_dh, CRYPTO_KEX_CURVE25519);
	add_id(out->dh, &out->n_dh, CRYPTO_KEX_ECP256);
	add_id(out->dh, &out->n_dh, CRYPTO_KEX_MODP2048);
}

void
ike_algs_default_ike(struct ike_algs *out)
{
	default_ciphers(out);
	add_id(out->prf, &out->n_prf, CRYPTO_PRF_HMAC_SHA2_256);
	add_id(out->prf, &out->n_prf, CRYPTO_PRF_HMAC_SHA2_384);
}

void
ike_algs_default_esp(struct ike_algs *out)
{
	/* The groups are for PFS in Child SA rekeys (CREATE_CHILD_SA KE);
	 * the first Child SA, made in IKE_AUTH, has none (§1.2). */
	default_ciphers(out);
	out->esn = false;
}

static const struct alg_token *
token_find(const char *tok, size_t len)
{
	size_t i;

	for (i = 0; i < IR_ARRAY_LEN(tokens); i++)
		if (strlen(tokens[i].name) == len &&
		    strncmp(tokens[i].name, tok, len) == 0)
			return &tokens[i];
	return NULL;
}

static int
bad_token(char *err, size_t err_len, const char *tok, size_t len,
    const char *why)
{
	if (err != NULL && err_len > 0)
		snprintf(err, err_len, "'%.*s' %s", (int)IR_MIN(len, 40), tok,
		    why);
	return IR_ERR_CONFIG;
}

static int
apply_token(struct ike_algs *a, bool esp, const struct alg_token *t,
    bool *esn_seen)
{
	switch (t->kind) {
	case TOK_ENCR:
		add_encr(a, t->id, t->key_bits);
		return 0;
	case TOK_INTEG:
		add_id(a->integ, &a->n_integ, t->id);
		return 0;
	case TOK_PRF:
		if (esp)
			return IR_ERR_CONFIG;
		add_id(a->prf, &a->n_prf, t->id);
		return 0;
	case TOK_DH:
		add_id(a->dh, &a->n_dh, t->id);
		return 0;
	case TOK_ESN:
		if (!esp)
			return IR_ERR_CONFIG;
		/* "esn" anywhere wins: offer ESN first, no-ESN second. */
		if (t->id || !*esn_seen)
			a->esn = t->id != 0;
		*esn_seen = true;
		return 0;
	}
	return IR_ERR_CONFIG;
}

int
ike_algs_parse(const char *s, bool esp, struct ike_algs *out, char *err,
    size_t err_len)
{
	const struct alg_token *t;
	bool esn_seen = false;
	const char *p = s;
	size_t len;

	memset(out, 0, sizeof(*out));
	while (*p != '\0') {
		len = strcspn(p, "-, ");
		if (len > 0) {
			if ((t = token_find(p, len)) == NULL)
				return bad_token(err, err_len, p, len,
				    "is not an algorithm ikeroam knows");
			if (apply_token(out, esp, t, &esn_seen) != 0)
				return bad_token(err, err_len, p, len, esp ?
				    "is not valid in an ESP proposal" :
				    "is not valid in an IKE proposal");
		}
		p += len;
		if (*p != '\0')
			p++;
	}
	if (out->n_encr == 0)
		return bad_token(err, err_len, s, strlen(s),
		    "names no encryption algorithm");
	if (!esp && out->n_dh == 0)
		return bad_token(err, err_len, s, strlen(s),
		    "names no key exchange group");
	if (!esp && out->n_prf == 0) {
		/* strongSwan's rule: the PRF follows the integrity algorithm. */
		unsigned i;

		for (i = 0; i < out->n_integ; i++)
			add_id(out->prf, &out->n_prf, out->integ[i] ==
			    CRYPTO_INTEG_HMAC_SHA1_96 ? CRYPTO_PRF_HMAC_SHA1 :
			    out->integ[i] == CRYPTO_INTEG_HMAC_SHA2_384_192 ?
			    CRYPTO_PRF_HMAC_SHA2_384 :
			    out->integ[i] == CRYPTO_INTEG_HMAC_SHA2_512_256 ?
			    CRYPTO_PRF_HMAC_SHA2_512 : CRYPTO_PRF_HMAC_SHA2_256);
		if (out->n_prf == 0)
			return bad_token(err, err_len, s, strlen(s),
			    "names no PRF (add e.g. prfsha256)");
	}
	for (len = 0; len < out->n_encr; len++)
		if (!crypto_encr_is_aead(out->encr[len].id) &&
		    out->n_integ == 0)
			return bad_token(err, err_len, s, strlen(s),
			    "has a CBC cipher but no integrity algorithm");
	return 0;
}

static const char *
token_name(uint8_t kind, uint16_t id, uint16_t key_bits)
{
	size_t i;

	for (i = 0; i < IR_ARRAY_LEN(tokens); i++)
		if (tokens[i].kind == kind && tokens[i].id == id &&
		    (kind != TOK_ENCR || tokens[i].key_bits == key_bits))
			return tokens[i].name;
	return "unknown";
}

const char *
ike_algs_encr_name(uint16_t id, uint16_t key_bits)
{
	return token_name(TOK_ENCR, id, key_bits);
}

const char *
ike_algs_integ_name(uint16_t id)
{
	return token_name(TOK_INTEG, id, 0);
}

const char *
ike_algs_prf_name(uint16_t id)
{
	return token_name(TOK_PRF, id, 0);
}

const char *
ike_algs_dh_name(uint16_t id)
{
	return token_name(TOK_DH, id, 0);
}

static void
append(char *buf, size_t cap, size_t *off, const char *s)
{
	int n;

	if (*off >= cap)
		return;
	n = snprintf(buf + *off, cap - *off, "%s%s", *off ? "-" : "", s);
	if (n > 0)
		*off += (size_t)n;
}

void
ike_algs_format(const struct ike_algs *a, bool esp, char *buf, size_t cap)
{
	size_t off = 0;
	unsigned i;

	if (cap == 0)
		return;
	buf[0] = '\0';
	for (i = 0; i < a->n_encr; i++)
		append(buf, cap, &off,
		    ike_algs_encr_name(a->encr[i].id, a->encr[i].key_bits));
	for (i = 0; i < a->n_integ; i++)
		append(buf, cap, &off, ike_algs_integ_name(a->integ[i]));
	for (i = 0; i < a->n_prf; i++)
		append(buf, cap, &off, ike_algs_prf_name(a->prf[i]));
	for (i = 0; i < a->n_dh; i++)
		append(buf, cap, &off, ike_algs_dh_name(a->dh[i]));
	if (esp)
		append(buf, cap, &off, a->esn ? "esn" : "noesn");
}
