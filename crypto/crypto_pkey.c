/*
 * crypto/crypto_pkey.c: loading public and private keys (PEM, DER,
 * encrypted PKCS#8 and traditional PEM, PKCS#12) and reading key files
 * that must be private to their owner.
 *
 * Every format goes through OSSL_DECODER, which knows them all; PKCS#12
 * is recognised first because the decoder does not read it.  Passphrases
 * reach OpenSSL through a callback that never prompts: a NULL passphrase
 * simply fails, so a daemon never blocks on a terminal.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto_sig_int.h"

#define PKEY_RSA_MIN_BITS	2048	/* RFC 8247 §3.2 */

/* ---- Files ------------------------------------------------------------ */

/* Refuse what is not a regular file, and for secrets any group or other
 * permission: a key readable by others is already compromised, and a
 * writable one can be swapped. */
static int
file_mode_ok(const struct stat *st, bool secret)
{
	if (!S_ISREG(st->st_mode))
		return IR_ERR_CONFIG;
	if (secret && (st->st_mode & 077) != 0)
		return IR_ERR_CONFIG;
	if (st->st_size < 0 || (uintmax_t)st->st_size > CRYPTO_FILE_MAX)
		return IR_ERR_CONFIG;
	return 0;
}

int
crypto_secret_file_check(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return -errno;
	return file_mode_ok(&st, true);
}

static int
read_all(int fd, uint8_t *buf, size_t want, size_t *got)
{
	ssize_t n;

	*got = 0;
	while (*got < want) {
		n = read(fd, buf + *got, want - *got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		*got += (size_t)n;
	}
	return 0;
}

int
crypto_file_read(const char *path, bool secret, uint8_t **buf, size_t *len)
{
	struct stat st;
	uint8_t *p;
	int fd, rv;

	*buf = NULL;
	*len = 0;
	/* Check the descriptor we read, not the name: no window for a swap. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return -errno;
	if (fstat(fd, &st) != 0) {
		rv = -errno;
		close(fd);
		return rv;
	}
	if ((rv = file_mode_ok(&st, secret)) != 0) {
		close(fd);
		return rv;
	}
	/* One spare byte so that a file that grew is noticed, not cut. */
	if ((p = ir_malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		return IR_ERR_NOMEM;
	}
	rv = read_all(fd, p, (size_t)st.st_size + 1, len);
	close(fd);
	if (rv == 0 && *len > (size_t)st.st_size)
		rv = IR_ERR_CONFIG;
	if (rv != 0) {
		ir_wipe(p, (size_t)st.st_size + 1);
		ir_free(p);
		*len = 0;
		return rv;
	}
	*buf = p;
	return 0;
}

static void
file_release(uint8_t *buf, size_t len)
{
	if (buf == NULL)
		return;
	ir_wipe(buf, len);
	ir_free(buf);
}

/* ---- Key objects -------------------------------------------------------- */

static int
pkey_classify(EVP_PKEY *pkey, int *type, unsigned *bits)
{
	char group[32];
	size_t glen;

	*bits = (unsigned)EVP_PKEY_get_bits(pkey);
	if (EVP_PKEY_is_a(pkey, "RSA")) {
		*type = CRYPTO_KEY_RSA;
		return *bits >= PKEY_RSA_MIN_BITS ? 0 : IR_ERR_UNSUPPORTED;
	}
	if (EVP_PKEY_is_a(pkey, "ED25519")) {
		*type = CRYPTO_KEY_ED25519;
		*bits = 256;
		return 0;
	}
	if (!EVP_PKEY_is_a(pkey, "EC") ||
	    !EVP_PKEY_get_group_name(pkey, group, sizeof(group), &glen))
		return IR_ERR_UNSUPPORTED;
	/* Only the curves of RFC 4754 and RFC 5480. */
	*type = CRYPTO_KEY_ECDSA;
	if (strcmp(group, "prime256v1") == 0 || strcmp(group, "P-256") == 0)
		*bits = 256;
	else if (strcmp(group, "secp384r1") == 0 || strcmp(group, "P-384") == 0)
		*bits = 384;
	else if (strcmp(group, "secp521r1") == 0 || strcmp(group, "P-521") == 0)
		*bits = 521;
	else
		return IR_ERR_UNSUPPORTED;
	return 0;
}

/* A key pair exports its private component; a public key does not. */
static bool
pkey_has_private(EVP_PKEY *pkey, int type)
{
	BIGNUM *bn = NULL;
	size_t len = 0;
	bool ok;

	if (type == CRYPTO_KEY_ED25519)
		return EVP_PKEY_get_octet_string_param(pkey,
		    OSSL_PKEY_PARAM_PRIV_KEY, NULL, 0, &len) == 1 && len > 0;
	ok = EVP_PKEY_get_bn_param(pkey, type == CRYPTO_KEY_RSA ?
	    OSSL_PKEY_PARAM_RSA_D : OSSL_PKEY_PARAM_PRIV_KEY, &bn) == 1;
	BN_clear_free(bn);
	return ok;
}

int
crypto_pkey_wrap(struct crypto_pkey **out, EVP_PKEY *pkey)
{
	struct crypto_pkey *k;
	int type, rv;
	unsigned bits;

	*out = NULL;
	if (pkey == NULL)
		return IR_ERR_INTERNAL;
	if ((rv = pkey_classify(pkey, &type, &bits)) != 0) {
		EVP_PKEY_free(pkey);
		return rv;
	}
	if ((k = ir_calloc(1, sizeof(*k))) == NULL) {
		EVP_PKEY_free(pkey);
		return IR_ERR_NOMEM;
	}
	k->pkey = pkey;
	k->type = type;
	k->bits = bits;
	k->priv = pkey_has_private(pkey, type);
	*out = k;
	return 0;
}

void
crypto_pkey_free(struct crypto_pkey *k)
{
	if (k == NULL)
		return;
	EVP_PKEY_free(k->pkey);		/* OpenSSL clears private keys */
	ir_wipe(k, sizeof(*k));
	ir_free(k);
}

int
crypto_pkey_new_remote(struct crypto_pkey **out, const struct crypto_pkey *pub,
    crypto_sign_fn fn, void *arg)
{
	struct crypto_pkey *k;

	*out = NULL;
	if (pub == NULL || fn == NULL)
		return IR_ERR_INTERNAL;
	if ((k = ir_calloc(1, sizeof(*k))) == NULL)
		return IR_ERR_NOMEM;
	if (EVP_PKEY_up_ref(pub->pkey) != 1) {
		ir_free(k);
		return IR_ERR_CRYPTO;
	}
	k->pkey = pub->pkey;
	k->type = pub->type;
	k->bits = pub->bits;
	k->priv = true;
	k->remote = fn;
	k->remote_arg = arg;
	*out = k;
	return 0;
}

bool
crypto_pkey_is_remote(const struct crypto_pkey *k)
{
	return k != NULL && k->remote != NULL;
}

int
crypto_pkey_type(const struct crypto_pkey *k)
{
	return k->type;
}

unsigned
crypto_pkey_bits(const struct crypto_pkey *k)
{
	return k->bits;
}

bool
crypto_pkey_is_private(const struct crypto_pkey *k)
{
	return k->priv;
}

bool
crypto_pkey_equal(const struct crypto_pkey *a, const struct crypto_pkey *b)
{
	return EVP_PKEY_eq(a->pkey, b->pkey) == 1;
}

/* ---- Decoding ------------------------------------------------------------ */

struct pass_arg {
	const char	*pass;
	bool		 asked;		/* the data turned out to be encrypted */
};

/* OSSL_PASSPHRASE_CALLBACK: hand over the configured passphrase, or fail
 * (never prompt) when there is none. */
static int
pass_cb(char *buf, size_t cap, size_t *len, const OSSL_PARAM params[],
    void *arg)
{
	struct pass_arg *pa = arg;
	size_t n;

	(void)params;
	pa->asked = true;
	if (pa->pass == NULL || (n = strlen(pa->pass)) > cap)
		return 0;
	memcpy(buf, pa->pass, n);
	*len = n;
	return 1;
}

static int
decode_pkey(EVP_PKEY **pkey, const uint8_t *data, size_t len, int selection,
    const char *passphrase)
{
	OSSL_DECODER_CTX *dctx;
	struct pass_arg pa = { passphrase, false };
	const unsigned char *p = data;
	size_t left = len;
	int ok;

	*pkey = NULL;
	dctx = OSSL_DECODER_CTX_new_for_pkey(pkey, NULL, NULL, NULL, selection,
	    NULL, NULL);
	if (dctx == NULL)
		return IR_ERR_CRYPTO;
	if (!OSSL_DECODER_CTX_set_passphrase_cb(dctx, pass_cb, &pa)) {
		OSSL_DECODER_CTX_free(dctx);
		return IR_ERR_CRYPTO;
	}
	ok = OSSL_DECODER_from_data(dctx, &p, &left);
	OSSL_DECODER_CTX_free(dctx);
	if (ok && *pkey != NULL)
		return 0;
	EVP_PKEY_free(*pkey);
	*pkey = NULL;
	ERR_clear_error();
	return pa.asked ? IR_ERR_AUTH : IR_ERR_MALFORMED;
}

/* PKCS#12 is DER whose PFX parses to the last octet; nothing else does. */
static PKCS12 *
p12_parse(const uint8_t *data, size_t len)
{
	const unsigned char *p = data;
	PKCS12 *p12;

	if (len == 0 || data[0] != 0x30 || len > CRYPTO_FILE_MAX)
		return NULL;
	p12 = d2i_PKCS12(NULL, &p, (long)len);
	if (p12 != NULL && p != data + len) {
		PKCS12_free(p12);
		p12 = NULL;
	}
	ERR_clear_error();
	return p12;
}

static int
p12_open(PKCS12 *p12, const char *passphrase, EVP_PKEY **pkey, X509 **x509)
{
	const char *pass = passphrase != NULL ? passphrase : "";
	STACK_OF(X509) *ca = NULL;

	*pkey = NULL;
	*x509 = NULL;
	/* A wrong passphrase shows first as a MAC that does not verify. */
	if (!PKCS12_verify_mac(p12, pass, -1))
		return IR_ERR_AUTH;
	if (!PKCS12_parse(p12, pass, pkey, x509, &ca))
		return IR_ERR_MALFORMED;
	sk_X509_pop_free(ca, X509_free);
	if (*pkey == NULL) {
		X509_free(*x509);
		*x509 = NULL;
		return IR_ERR_MALFORMED;
	}
	return 0;
}

/* Open a parsed PKCS#12 (consumed) into our key and certificate. */
static int
p12_finish(PKCS12 *p12, const char *passphrase, struct crypto_pkey **key,
    struct crypto_cert **cert)
{
	EVP_PKEY *pkey;
	X509 *x509;
	int rv;

	rv = p12_open(p12, passphrase, &pkey, &x509);
	PKCS12_free(p12);
	ERR_clear_error();
	if (rv != 0)
		return rv;
	if ((rv = crypto_pkey_wrap(key, pkey)) != 0) {
		X509_free(x509);
		return rv;
	}
	if (cert == NULL || x509 == NULL) {
		X509_free(x509);
		return 0;
	}
	if ((rv = crypto_cert_wrap(cert, x509)) != 0) {
		crypto_pkey_free(*key);
		*key = NULL;
	}
	return rv;
}

int
crypto_pkcs12_load(struct crypto_pkey **key, struct crypto_cert **cert,
    const uint8_t *data, size_t len, const char *passphrase)
{
	PKCS12 *p12;

	*key = NULL;
	if (cert != NULL)
		*cert = NULL;
	if ((p12 = p12_parse(data, len)) == NULL)
		return IR_ERR_MALFORMED;
	return p12_finish(p12, passphrase, key, cert);
}

int
crypto_pkey_load_private(struct crypto_pkey **out, const uint8_t *data,
    size_t len, const char *passphrase)
{
	EVP_PKEY *pkey;
	PKCS12 *p12;
	int rv;

	*out = NULL;
	if ((p12 = p12_parse(data, len)) != NULL)
		return p12_finish(p12, passphrase, out, NULL);
	rv = decode_pkey(&pkey, data, len, EVP_PKEY_KEYPAIR, passphrase);
	if (rv != 0)
		return rv;
	if ((rv = crypto_pkey_wrap(out, pkey)) != 0)
		return rv;
	if (!(*out)->priv) {		/* a public key where a pair was due */
		crypto_pkey_free(*out);
		*out = NULL;
		return IR_ERR_MALFORMED;
	}
	return 0;
}

int
crypto_pkey_load_private_file(struct crypto_pkey **out, const char *path,
    const char *passphrase)
{
	uint8_t *buf;
	size_t len;
	int rv;

	*out = NULL;
	if ((rv = crypto_file_read(path, true, &buf, &len)) != 0)
		return rv;
	rv = crypto_pkey_load_private(out, buf, len, passphrase);
	file_release(buf, len);
	return rv;
}

int
crypto_pkcs12_load_file(struct crypto_pkey **key, struct crypto_cert **cert,
    const char *path, const char *passphrase)
{
	uint8_t *buf;
	size_t len;
	int rv;

	*key = NULL;
	if (cert != NULL)
		*cert = NULL;
	if ((rv = crypto_file_read(path, true, &buf, &len)) != 0)
		return rv;
	rv = crypto_pkcs12_load(key, cert, buf, len, passphrase);
	file_release(buf, len);
	return rv;
}

int
crypto_pkey_load_public(struct crypto_pkey **out, const uint8_t *data,
    size_t len)
{
	EVP_PKEY *pkey;
	int rv;

	*out = NULL;
	rv = decode_pkey(&pkey, data, len, EVP_PKEY_PUBLIC_KEY, NULL);
	if (rv != 0)
		return IR_ERR_MALFORMED;
	return crypto_pkey_wrap(out, pkey);
}
