/*
 * crypto/crypto_x509.c: X.509 certificates for IKE (RFC 7296 §3.6,
 * §3.7, RFC 4945): loading, CERT payload encoding, CERTREQ hashes, the
 * identity check against subjectAltName, and chain verification against
 * the configured CAs with X509_STORE_CTX.
 */
#include <dirent.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto_dn.h"
#include "crypto/crypto_sig_int.h"

#define TRUST_MAX	1024		/* CA certificates in one store */

/* ---- Certificate objects ------------------------------------------------ */

int
crypto_cert_wrap(struct crypto_cert **out, X509 *x509)
{
	struct crypto_cert *c;
	unsigned char *p;
	int n;

	*out = NULL;
	if ((n = i2d_X509(x509, NULL)) <= 0) {
		X509_free(x509);
		return IR_ERR_MALFORMED;
	}
	if ((c = ir_calloc(1, sizeof(*c))) == NULL ||
	    (c->der = ir_malloc((size_t)n)) == NULL) {
		ir_free(c);
		X509_free(x509);
		return IR_ERR_NOMEM;
	}
	p = c->der;
	if (i2d_X509(x509, &p) != n) {
		ir_free(c->der);
		ir_free(c);
		X509_free(x509);
		return IR_ERR_CRYPTO;
	}
	c->x509 = x509;
	c->der_len = (size_t)n;
	*out = c;
	return 0;
}

void
crypto_cert_free(struct crypto_cert *c)
{
	if (c == NULL)
		return;
	X509_free(c->x509);
	ir_free(c->der);
	ir_free(c);
}

/* Certificates are never encrypted: refuse to ask for a passphrase. */
static int
no_pass_cb(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

static bool
is_pem(const uint8_t *data, size_t len)
{
	static const char tag[] = "-----BEGIN ";
	size_t i;

	for (i = 0; i + sizeof(tag) - 1 <= len; i++)
		if (memcmp(data + i, tag, sizeof(tag) - 1) == 0)
			return true;
	return false;
}

/*
 * Call |fn| with each certificate of |data| (ownership passed), PEM in
 * file order or a single DER certificate; stop at the first error of
 * |fn|.  IR_ERR_MALFORMED when there is no certificate at all.
 */
static int
x509_each(const uint8_t *data, size_t len, int (*fn)(void *, X509 *),
    void *arg)
{
	const unsigned char *p = data;
	X509 *x;
	BIO *bio;
	int rv = 0, n = 0;

	if (len == 0 || len > CRYPTO_FILE_MAX)
		return IR_ERR_MALFORMED;
	if (!is_pem(data, len)) {
		x = d2i_X509(NULL, &p, (long)len);
		if (x == NULL || p != data + len) {
			X509_free(x);
			ERR_clear_error();
			return IR_ERR_MALFORMED;
		}
		return fn(arg, x);
	}
	if ((bio = BIO_new_mem_buf(data, (int)len)) == NULL)
		return IR_ERR_NOMEM;
	while (rv == 0 &&
	    (x = PEM_read_bio_X509(bio, NULL, no_pass_cb, NULL)) != NULL) {
		rv = fn(arg, x);
		n++;
	}
	BIO_free(bio);
	ERR_clear_error();	/* the read that ended the loop */
	return rv == 0 && n == 0 ? IR_ERR_MALFORMED : rv;
}

struct cert_list {
	struct crypto_cert	**out;
	size_t			  max, n;
};

static int
cert_list_add(void *arg, X509 *x)
{
	struct cert_list *l = arg;
	int rv;

	if (l->n == l->max) {
		X509_free(x);
		return IR_ERR_NOBUF;
	}
	if ((rv = crypto_cert_wrap(&l->out[l->n], x)) == 0)
		l->n++;
	return rv;
}

int
crypto_cert_load_chain(struct crypto_cert **out, size_t max, size_t *n,
    const uint8_t *data, size_t len)
{
	struct cert_list l = { out, max, 0 };
	int rv;

	*n = 0;
	if ((rv = x509_each(data, len, cert_list_add, &l)) != 0) {
		while (l.n > 0)
			crypto_cert_free(out[--l.n]);
		return rv;
	}
	*n = l.n;
	return 0;
}

static int
cert_first(void *arg, X509 *x)
{
	struct crypto_cert **out = arg;

	if (*out != NULL) {		/* keep the first, drop the rest */
		X509_free(x);
		return 0;
	}
	return crypto_cert_wrap(out, x);
}

int
crypto_cert_load(struct crypto_cert **out, const uint8_t *data, size_t len)
{
	int rv;

	*out = NULL;
	if ((rv = x509_each(data, len, cert_first, out)) != 0) {
		crypto_cert_free(*out);
		*out = NULL;
	}
	return rv;
}

int
crypto_cert_load_file(struct crypto_cert **out, const char *path)
{
	uint8_t *buf;
	size_t len;
	int rv;

	*out = NULL;
	if ((rv = crypto_file_read(path, false, &buf, &len)) != 0)
		return rv;
	rv = crypto_cert_load(out, buf, len);
	ir_free(buf);
	return rv;
}

int
crypto_cert_load_chain_file(struct crypto_cert **out, size_t max, size_t *n,
    const char *path)
{
	uint8_t *buf;
	size_t len;
	int rv;

	*n = 0;
	if ((rv = crypto_file_read(path, false, &buf, &len)) != 0)
		return rv;
	rv = crypto_cert_load_chain(out, max, n, buf, len);
	ir_free(buf);
	return rv;
}

void
crypto_cert_der(const struct crypto_cert *c, const uint8_t **der,
    size_t *len)
{
	*der = c->der;
	*len = c->der_len;
}

int
crypto_cert_pubkey(const struct crypto_cert *c, struct crypto_pkey **out)
{
	EVP_PKEY *pkey;

	*out = NULL;
	if ((pkey = X509_get_pubkey(c->x509)) == NULL) {
		ERR_clear_error();
		return IR_ERR_UNSUPPORTED;
	}
	return crypto_pkey_wrap(out, pkey);
}

static int
x509_spki_sha1(X509 *x, uint8_t out[CRYPTO_SHA1_LEN])
{
	unsigned char *der = NULL;
	int n, ok;

	/* The whole SubjectPublicKeyInfo, algorithm included (RFC 7296
	 * §3.7), not only the key bits that X509_pubkey_digest() hashes. */
	if ((n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der)) <= 0)
		return IR_ERR_CRYPTO;
	ok = EVP_Digest(der, (size_t)n, out, NULL, EVP_sha1(), NULL);
	OPENSSL_free(der);
	return ok ? 0 : IR_ERR_CRYPTO;
}

int
crypto_cert_spki_sha1(const struct crypto_cert *c,
    uint8_t out[CRYPTO_SHA1_LEN])
{
	return x509_spki_sha1(c->x509, out);
}

/* |name| as one printable line: RFC 2253 with escapes, and anything a
 * terminal could act on replaced, since a peer chose these bytes. */
static void
name_line(const X509_NAME *name, char *buf, size_t cap)
{
	BIO *bio;
	int n, i;

	if (cap == 0)
		return;
	buf[0] = '\0';
	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return;
	if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253) >= 0 &&
	    (n = BIO_read(bio, buf, (int)IR_MIN(cap - 1, (size_t)INT_MAX))) > 0)
		buf[n] = '\0';
	BIO_free(bio);
	for (i = 0; buf[i] != '\0'; i++)
		if ((unsigned char)buf[i] < 0x20 || (unsigned char)buf[i] > 0x7e)
			buf[i] = '?';
}

void
crypto_cert_subject(const struct crypto_cert *c, char *buf, size_t cap)
{
	name_line(X509_get_subject_name(c->x509), buf, cap);
}

int
crypto_cert_subject_der(const struct crypto_cert *c, uint8_t *out,
    size_t cap, size_t *len)
{
	const unsigned char *der;
	size_t n;

	*len = 0;
	if (!X509_NAME_get0_der(X509_get_subject_name(c->x509), &der, &n))
		return IR_ERR_CRYPTO;
	if (n > cap)
		return IR_ERR_NOBUF;
	memcpy(out, der, n);
	*len = n;
	return 0;
}

/* ---- Identities (RFC 4945 §3.1) ---------------------------------------- */

/* Equal ignoring ASCII case; no locale, no NUL termination. */
static bool
ascii_caseeq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	size_t i;
	uint8_t x, y;

	if (alen != blen)
		return false;
	for (i = 0; i < alen; i++) {
		x = a[i] >= 'A' && a[i] <= 'Z' ? a[i] + 32 : a[i];
		y = b[i] >= 'A' && b[i] <= 'Z' ? b[i] + 32 : b[i];
		if (x != y)
			return false;
	}
	return true;
}

/* An FQDN without its one optional trailing (root) dot. */
static size_t
fqdn_len(const uint8_t *p, size_t len)
{
	return len > 1 && p[len - 1] == '.' ? len - 1 : len;
}

/* Does |name| end with |suffix| (which starts with '.' or '@'), with at
 * least one octet before it and no further label in front when |one|? */
static bool
suffix_matches(const uint8_t *name, size_t n, const uint8_t *suffix,
    size_t sn, bool one)
{
	size_t i;

	if (n <= sn || !ascii_caseeq(name + n - sn, sn, suffix, sn))
		return false;
	for (i = 0; i < n - sn; i++)
		if (name[i] == '*' || name[i] == '@' || (one && name[i] == '.'))
			return false;
	return true;
}

/*
 * A certificate's dNSName "*.example.com" covers "vpn.example.com" as a
 * browser sees it (RFC 6125 §6.4.3): the whole leftmost label only,
 * exactly one label, and at least two labels after the star.
 */
static bool
dns_wild_matches(const uint8_t *san, size_t sn, const uint8_t *id, size_t n)
{
	const uint8_t *dot;

	if (sn < 4 || san[0] != '*' || san[1] != '.' ||
	    (dot = memchr(san + 2, '.', sn - 2)) == NULL ||
	    dot == san + sn - 1 || memchr(san + 1, '*', sn - 1) != NULL)
		return false;
	return suffix_matches(id, n, san + 1, sn - 1, true);
}

static bool
name_matches(const X509_NAME *name, const uint8_t *dn, size_t dn_len,
    bool wildcards)
{
	const unsigned char *der;
	size_t n;

	return X509_NAME_get0_der((X509_NAME *)name, &der, &n) &&
	    crypto_dn_match(der, n, dn, dn_len, wildcards) == 0;
}

static bool
san_matches(const GENERAL_NAME *gn, uint8_t id_type, const uint8_t *id,
    size_t id_len)
{
	const ASN1_STRING *s;
	const uint8_t *p;
	size_t n;

	switch (id_type) {
	case CRYPTO_ID_IPV4_ADDR:
	case CRYPTO_ID_IPV6_ADDR:
		if (gn->type != GEN_IPADD)
			return false;
		s = gn->d.iPAddress;
		return (size_t)ASN1_STRING_length(s) == id_len &&
		    memcmp(ASN1_STRING_get0_data(s), id, id_len) == 0;
	case CRYPTO_ID_FQDN:
	case CRYPTO_ID_RFC822_ADDR:
		if (gn->type != (id_type == CRYPTO_ID_FQDN ? GEN_DNS :
		    GEN_EMAIL))
			return false;
		s = id_type == CRYPTO_ID_FQDN ? gn->d.dNSName : gn->d.rfc822Name;
		p = ASN1_STRING_get0_data(s);
		n = (size_t)ASN1_STRING_length(s);
		if (id_type == CRYPTO_ID_FQDN)
			return ascii_caseeq(p, fqdn_len(p, n), id,
			    fqdn_len(id, id_len)) ||
			    dns_wild_matches(p, fqdn_len(p, n), id,
			    fqdn_len(id, id_len));
		return ascii_caseeq(p, n, id, id_len);
	case CRYPTO_ID_DER_ASN1_DN:
		return gn->type == GEN_DIRNAME && name_matches(
		    gn->d.directoryName, id, id_len, false);
	default:
		return false;
	}
}

/* The configured pattern |id| of crypto_cert_match_pattern() against
 * one subjectAltName. */
static bool
san_pattern_matches(const GENERAL_NAME *gn, uint8_t id_type,
    const uint8_t *id, size_t id_len)
{
	const ASN1_STRING *s;

	if (id_type == CRYPTO_ID_DER_ASN1_DN)
		return gn->type == GEN_DIRNAME && name_matches(
		    gn->d.directoryName, id, id_len, true);
	if (id_type == CRYPTO_ID_FQDN && gn->type == GEN_DNS)
		s = gn->d.dNSName;
	else if (id_type == CRYPTO_ID_RFC822_ADDR && gn->type == GEN_EMAIL)
		s = gn->d.rfc822Name;
	else
		return false;
	/* "*.example.com": any name under it; "*@example.com": any
	 * mailbox there. */
	return suffix_matches(ASN1_STRING_get0_data(s),
	    (size_t)ASN1_STRING_length(s), id + 1, id_len - 1, false);
}

static bool
sans_match(X509 *x, uint8_t id_type, const uint8_t *id, size_t id_len,
    bool pattern)
{
	GENERAL_NAMES *sans;
	const GENERAL_NAME *gn;
	bool found = false;
	int i;

	sans = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	for (i = 0; sans != NULL && !found && i < sk_GENERAL_NAME_num(sans);
	    i++) {
		gn = sk_GENERAL_NAME_value(sans, i);
		found = pattern ? san_pattern_matches(gn, id_type, id, id_len) :
		    san_matches(gn, id_type, id, id_len);
	}
	GENERAL_NAMES_free(sans);
	ERR_clear_error();
	return found;
}

/* The size checks of crypto_cert_match_id(). */
static int
id_check(uint8_t id_type, const uint8_t *id, size_t id_len)
{
	switch (id_type) {
	case CRYPTO_ID_IPV4_ADDR:
		return id_len == 4 ? 0 : IR_ERR_MALFORMED;
	case CRYPTO_ID_IPV6_ADDR:
		return id_len == 16 ? 0 : IR_ERR_MALFORMED;
	case CRYPTO_ID_FQDN:
	case CRYPTO_ID_RFC822_ADDR:
		return id_len == 0 ? IR_ERR_MALFORMED : 0;
	case CRYPTO_ID_DER_ASN1_DN:
		/* A DN that does not parse can match nothing. */
		return crypto_dn_match(id, id_len, id, id_len, false) == 0 ?
		    0 : IR_ERR_MALFORMED;
	default:
		return IR_ERR_UNSUPPORTED;
	}
}

/* An identity, or with |pattern| a configured pattern, on |c|. */
static int
cert_match(const struct crypto_cert *c, uint8_t id_type, const uint8_t *id,
    size_t id_len, bool pattern)
{
	bool found;
	int rv;

	if ((rv = id_check(id_type, id, id_len)) != 0)
		return rv;
	found = id_type == CRYPTO_ID_DER_ASN1_DN &&
	    name_matches(X509_get_subject_name(c->x509), id, id_len, pattern);
	if (!found)
		found = sans_match(c->x509, id_type, id, id_len, pattern);
	return found ? 0 : IR_ERR_PEER_ID;
}

int
crypto_cert_match_id(const struct crypto_cert *c, uint8_t id_type,
    const uint8_t *id, size_t id_len)
{
	return cert_match(c, id_type, id, id_len, false);
}

bool
crypto_id_is_pattern(uint8_t id_type, const uint8_t *id, size_t id_len)
{
	switch (id_type) {
	case CRYPTO_ID_FQDN:
		/* At least two labels after "*.": never "*.com". */
		return id_len > 3 && id[0] == '*' && id[1] == '.' &&
		    memchr(id + 2, '.', id_len - 2) != NULL &&
		    id[id_len - 1] != '.' && memchr(id + 1, '*', id_len - 1) ==
		    NULL;
	case CRYPTO_ID_RFC822_ADDR:
		return id_len > 2 && id[0] == '*' && id[1] == '@' &&
		    memchr(id + 2, '.', id_len - 2) != NULL &&
		    memchr(id + 1, '*', id_len - 1) == NULL;
	case CRYPTO_ID_DER_ASN1_DN:
		return crypto_dn_has_wildcards(id, id_len);
	default:
		return false;
	}
}

int
crypto_cert_match_pattern(const struct crypto_cert *c, uint8_t id_type,
    const uint8_t *id, size_t id_len)
{
	int rv = cert_match(c, id_type, id, id_len, false);

	if (rv != IR_ERR_PEER_ID || !crypto_id_is_pattern(id_type, id, id_len))
		return rv;
	return cert_match(c, id_type, id, id_len, true);
}

/* ---- Trust anchors --------------------------------------------------------- */

struct crypto_trust {
	X509_STORE	*store;
	STACK_OF(X509)	*cas;		/* in the order added, for CERTREQ */
	bool		 system;	/* OpenSSL's default paths */
};

int
crypto_trust_new(struct crypto_trust **out)
{
	struct crypto_trust *t;

	*out = NULL;
	if ((t = ir_calloc(1, sizeof(*t))) == NULL)
		return IR_ERR_NOMEM;
	t->store = X509_STORE_new();
	t->cas = sk_X509_new_null();
	if (t->store == NULL || t->cas == NULL) {
		crypto_trust_free(t);
		return IR_ERR_NOMEM;
	}
	*out = t;
	return 0;
}

void
crypto_trust_free(struct crypto_trust *t)
{
	if (t == NULL)
		return;
	X509_STORE_free(t->store);
	sk_X509_pop_free(t->cas, X509_free);
	ir_free(t);
}

size_t
crypto_trust_count(const struct crypto_trust *t)
{
	return (size_t)sk_X509_num(t->cas);
}

/* Takes ownership of |x|.  A certificate already present is dropped. */
static int
trust_take(void *arg, X509 *x)
{
	struct crypto_trust *t = arg;
	int i;

	for (i = 0; i < sk_X509_num(t->cas); i++) {
		if (X509_cmp(sk_X509_value(t->cas, i), x) == 0) {
			X509_free(x);
			return 0;
		}
	}
	if (sk_X509_num(t->cas) >= TRUST_MAX) {
		X509_free(x);
		return IR_ERR_NOBUF;
	}
	if (!X509_STORE_add_cert(t->store, x) || !sk_X509_push(t->cas, x)) {
		X509_free(x);
		ERR_clear_error();
		return IR_ERR_NOMEM;
	}
	return 0;		/* the stack owns |x|, the store a reference */
}

int
crypto_trust_add_cert(struct crypto_trust *t, const struct crypto_cert *c)
{
	if (!X509_up_ref(c->x509))
		return IR_ERR_CRYPTO;
	return trust_take(t, c->x509);
}

/* Every certificate of one file; raw codes (IR_ERR_MALFORMED: none). */
static int
trust_add_path(struct crypto_trust *t, const char *path)
{
	uint8_t *buf;
	size_t len;
	int rv;

	if ((rv = crypto_file_read(path, false, &buf, &len)) != 0)
		return rv;
	rv = x509_each(buf, len, trust_take, t);
	ir_free(buf);
	return rv;
}

int
crypto_trust_add_data(struct crypto_trust *t, const uint8_t *data,
    size_t len)
{
	int rv = x509_each(data, len, trust_take, t);

	return rv == IR_ERR_MALFORMED || rv == IR_ERR_NOBUF ? IR_ERR_CONFIG :
	    rv;
}

int
crypto_trust_add_file(struct crypto_trust *t, const char *path)
{
	int rv = trust_add_path(t, path);

	return rv == IR_ERR_MALFORMED || rv == IR_ERR_NOBUF ? IR_ERR_CONFIG :
	    rv;
}

int
crypto_trust_add_dir(struct crypto_trust *t, const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	size_t before = crypto_trust_count(t);
	DIR *d;
	int rv = 0, n;

	if ((d = opendir(dir)) == NULL)
		return IR_ERR_CONFIG;
	/* Files that are not certificates (a README, a CRL, a directory)
	 * are skipped; running out of memory or of room stops the walk. */
	while (rv == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		n = snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (n < 0 || (size_t)n >= sizeof(path))
			continue;
		rv = trust_add_path(t, path);
		if (rv != IR_ERR_NOMEM && rv != IR_ERR_NOBUF)
			rv = 0;
	}
	closedir(d);
	if (rv == IR_ERR_NOBUF ||
	    (rv == 0 && crypto_trust_count(t) == before))
		rv = IR_ERR_CONFIG;
	return rv;
}

/* "5ad8a5d6.0": a link that c_rehash or update-ca-certificates made. */
static bool
is_hash_name(const char *n)
{
	size_t i;

	for (i = 0; i < 8; i++)
		if (!((n[i] >= '0' && n[i] <= '9') || (n[i] >= 'a' &&
		    n[i] <= 'f')))
			return false;
	if (n[8] != '.' || n[9] < '0' || n[9] > '9')
		return false;
	for (i = 10; n[i] != '\0'; i++)
		if (n[i] < '0' || n[i] > '9')
			return false;
	return true;
}

static bool
dir_is_hashed(const char *dir)
{
	struct dirent *de;
	bool found = false;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return false;
	while (!found && (de = readdir(d)) != NULL)
		found = is_hash_name(de->d_name);
	closedir(d);
	return found;
}

int
crypto_trust_add_system(struct crypto_trust *t)
{
	X509_LOOKUP *lu;
	const char *dir;
	DIR *d;

	if ((dir = getenv(X509_get_default_cert_dir_env())) == NULL)
		dir = X509_get_default_cert_dir();
	/*
	 * A hashed directory alone is read lazily, by subject hash, when a
	 * chain is verified: parsing the whole bundle (Debian: some 140
	 * certificates, ~30 ms of CPU) would delay every start.  The bundle
	 * is read only when SSL_CERT_FILE names one or the directory has no
	 * hash links (a system that keeps only a bundle).
	 */
	if (getenv(X509_get_default_cert_file_env()) == NULL &&
	    dir_is_hashed(dir)) {
		if ((lu = X509_STORE_add_lookup(t->store,
		    X509_LOOKUP_hash_dir())) == NULL ||
		    !X509_LOOKUP_add_dir(lu, dir, X509_FILETYPE_PEM)) {
			ERR_clear_error();
			return IR_ERR_CONFIG;
		}
		t->system = true;
		return 0;
	}
	/* SSL_CERT_FILE and SSL_CERT_DIR override the compiled-in paths
	 * (Debian: /usr/lib/ssl/cert.pem and /usr/lib/ssl/certs, links into
	 * /etc/ssl): the bundle is read now, the directory lazily. */
	if (!X509_STORE_set_default_paths(t->store)) {
		ERR_clear_error();
		return IR_ERR_CONFIG;
	}
	ERR_clear_error();
	if (sk_X509_OBJECT_num(X509_STORE_get0_objects(t->store)) <= 0) {
		if ((d = opendir(dir)) == NULL)
			return IR_ERR_CONFIG;
		closedir(d);
	}
	t->system = true;
	return 0;
}

bool
crypto_trust_is_system(const struct crypto_trust *t)
{
	return t->system;
}

int
crypto_trust_certreq(const struct crypto_trust *t, uint8_t *out, size_t cap,
    size_t *len)
{
	size_t n = crypto_trust_count(t), i;
	int rv;

	*len = 0;
	if (cap < n * CRYPTO_SHA1_LEN)
		return IR_ERR_NOBUF;
	for (i = 0; i < n; i++)
		if ((rv = x509_spki_sha1(sk_X509_value(t->cas, (int)i),
		    out + i * CRYPTO_SHA1_LEN)) != 0)
			return rv;
	*len = n * CRYPTO_SHA1_LEN;
	return 0;
}

/* ---- Chain verification ------------------------------------------------ */

void
crypto_why_set(char *why, size_t cap, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || cap == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, cap, fmt, ap);
	va_end(ap);
}

/* The one line for the user: OpenSSL's reason, the failing certificate's
 * depth and subject. */
static void
why_from_ctx(X509_STORE_CTX *ctx, char *why, size_t cap)
{
	char subject[CRYPTO_WHY_MAX / 2];
	X509 *cur = X509_STORE_CTX_get_current_cert(ctx);
	int err = X509_STORE_CTX_get_error(ctx);

	subject[0] = '\0';
	if (cur != NULL)
		name_line(X509_get_subject_name(cur), subject, sizeof(subject));
	crypto_why_set(why, cap, "%s (depth %d: %s)",
	    X509_verify_cert_error_string(err),
	    X509_STORE_CTX_get_error_depth(ctx), subject);
}

/* Parse the DER blobs: leaf, then a stack of the others. */
static int
chain_parse(const struct crypto_iov *chain, size_t nchain, X509 **leaf,
    STACK_OF(X509) **rest, char *why, size_t cap)
{
	const unsigned char *p;
	X509 *x;
	size_t i;

	*leaf = NULL;
	if ((*rest = sk_X509_new_null()) == NULL)
		return IR_ERR_NOMEM;
	for (i = 0; i < nchain; i++) {
		p = chain[i].p;
		x = chain[i].len > CRYPTO_FILE_MAX ? NULL :
		    d2i_X509(NULL, &p, (long)chain[i].len);
		if (x == NULL || p != chain[i].p + chain[i].len) {
			X509_free(x);
			ERR_clear_error();
			crypto_why_set(why, cap, "certificate %zu of the chain does "
			    "not parse", i);
			return IR_ERR_MALFORMED;
		}
		if (i == 0)
			*leaf = x;
		else if (!sk_X509_push(*rest, x)) {
			X509_free(x);
			return IR_ERR_NOMEM;
		}
	}
	return 0;
}

/* A verified path, leaf first, trust anchor last. */
struct crypto_chain {
	STACK_OF(X509)	*certs;
	bool		 system;
};

void
crypto_chain_free(struct crypto_chain *ch)
{
	if (ch == NULL)
		return;
	sk_X509_pop_free(ch->certs, X509_free);
	ir_free(ch);
}

size_t
crypto_chain_len(const struct crypto_chain *ch)
{
	return (size_t)sk_X509_num(ch->certs);
}

int
crypto_chain_cert(const struct crypto_chain *ch, size_t i,
    struct crypto_cert **out)
{
	X509 *x;

	*out = NULL;
	if (i >= crypto_chain_len(ch))
		return IR_ERR_NOT_FOUND;
	x = sk_X509_value(ch->certs, (int)i);
	if (!X509_up_ref(x))
		return IR_ERR_CRYPTO;
	return crypto_cert_wrap(out, x);
}

void
crypto_chain_subject(const struct crypto_chain *ch, size_t i, char *buf,
    size_t cap)
{
	if (cap > 0)
		buf[0] = '\0';
	if (i < crypto_chain_len(ch))
		name_line(X509_get_subject_name(sk_X509_value(ch->certs,
		    (int)i)), buf, cap);
}

bool
crypto_chain_from_system(const struct crypto_chain *ch)
{
	return ch->system;
}

/*
 * RFC 4945 §5.1.3.12 and what strongSwan accepts: a gateway certificate
 * that restricts its purpose must allow a server (serverAuth), IKE
 * (id-kp-ipsecIKE), strongSwan's ikeIntermediate, or anything.  Without
 * the extension any purpose is allowed.  Whatever the anchor: a CA that
 * issues its users' TLS client certificates (a public one, or the
 * company's own beside the gateway's) must not make them gateways.
 */
static bool
eku_allows_gateway(X509 *x)
{
	static const char *const ok[] = {
		"1.3.6.1.5.5.7.3.1",	/* serverAuth */
		"1.3.6.1.5.5.7.3.17",	/* id-kp-ipsecIKE, RFC 4945 */
		"1.3.6.1.5.5.8.2.2",	/* iKEIntermediate */
		"2.5.29.37.0",		/* anyExtendedKeyUsage */
	};
	EXTENDED_KEY_USAGE *eku;
	char oid[64];
	bool found = false;
	int crit = 0, i;
	size_t j;

	eku = X509_get_ext_d2i(x, NID_ext_key_usage, &crit, NULL);
	if (eku == NULL) {
		ERR_clear_error();
		return crit == -1;	/* -1: absent; -2 or 0/1: broken */
	}
	for (i = 0; !found && i < sk_ASN1_OBJECT_num(eku); i++) {
		if (OBJ_obj2txt(oid, sizeof(oid), sk_ASN1_OBJECT_value(eku, i),
		    1) <= 0)
			continue;
		for (j = 0; j < IR_ARRAY_LEN(ok); j++)
			found = found || strcmp(oid, ok[j]) == 0;
	}
	EXTENDED_KEY_USAGE_free(eku);
	return found;
}

int
crypto_trust_verify_chain(const struct crypto_trust *t,
    const struct crypto_iov *chain, size_t nchain, int64_t when,
    struct crypto_chain **out, char *why, size_t why_cap)
{
	X509_STORE_CTX *ctx = NULL;
	X509_VERIFY_PARAM *param;
	STACK_OF(X509) *rest = NULL;
	struct crypto_chain *ch = NULL;
	X509 *x = NULL;
	int rv;

	*out = NULL;
	if (why != NULL && why_cap > 0)
		why[0] = '\0';
	if (nchain == 0 || nchain > CRYPTO_CHAIN_MAX) {
		crypto_why_set(why, why_cap, "%zu certificates received: not a "
		    "chain we accept", nchain);
		return IR_ERR_CERT;
	}
	if ((rv = chain_parse(chain, nchain, &x, &rest, why, why_cap)) != 0)
		goto out;
	rv = IR_ERR_NOMEM;
	if ((ch = ir_calloc(1, sizeof(*ch))) == NULL ||
	    (ctx = X509_STORE_CTX_new()) == NULL ||
	    !X509_STORE_CTX_init(ctx, t->store, x, rest))
		goto out;
	/* Every configured CA is an anchor, root or not; the system's store
	 * holds roots, and a path must end at one.  The time is the
	 * caller's so that tests (and the engine's clock) decide. */
	param = X509_STORE_CTX_get0_param(ctx);
	if (!t->system)
		X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
	if (when != CRYPTO_TIME_NOW)
		X509_VERIFY_PARAM_set_time(param, (time_t)when);
	if (X509_verify_cert(ctx) != 1) {
		why_from_ctx(ctx, why, why_cap);
		rv = IR_ERR_CERT;
		goto out;
	}
	if (!eku_allows_gateway(x)) {
		crypto_why_set(why, why_cap, "the certificate is not for a server or "
		    "IKE (extended key usage)");
		rv = IR_ERR_CERT_PURPOSE;
		goto out;
	}
	if ((ch->certs = X509_STORE_CTX_get1_chain(ctx)) == NULL)
		goto out;
	ch->system = t->system;
	*out = ch;
	ch = NULL;
	rv = 0;
out:
	crypto_chain_free(ch);
	X509_STORE_CTX_free(ctx);
	X509_free(x);
	sk_X509_pop_free(rest, X509_free);
	ERR_clear_error();
	return rv;
}

int
crypto_trust_verify(const struct crypto_trust *t,
    const struct crypto_iov *chain, size_t nchain, int64_t when,
    struct crypto_cert **leaf, char *why, size_t why_cap)
{
	struct crypto_chain *ch;
	int rv;

	if (leaf != NULL)
		*leaf = NULL;
	if ((rv = crypto_trust_verify_chain(t, chain, nchain, when, &ch, why,
	    why_cap)) != 0)
		return rv;
	if (leaf != NULL)
		rv = crypto_chain_cert(ch, 0, leaf);
	crypto_chain_free(ch);
	return rv;
}
