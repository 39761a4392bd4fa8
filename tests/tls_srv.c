/* tests/tls_srv.c: see tls_srv.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/kdf.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "tests/check_util.h"
#include "tests/tls_srv.h"

#define NEED(c)	do { if (!(c)) { fprintf(stderr, "tls_srv: %s failed\n", \
		    #c); abort(); } } while (0)

struct tls_srv {
	SSL_CTX		*ctx;
	SSL		*ssl;
	BIO		*rbio, *wbio;
	int		 indication;
	bool		 done;
	/* From the key log: TLS 1.2's master secret (CLIENT_RANDOM) or
	 * TLS 1.3's exporter master secret (EXPORTER_SECRET). */
	uint8_t		 secret[64];
	size_t		 secret_len;
};

/* OpenSSL's key log line "LABEL client_random secret" (hex). */
static void
keylog(const SSL *ssl, const char *line)
{
	struct tls_srv *s = SSL_get_app_data(ssl);
	const char *hex;
	size_t n = 0;
	unsigned v;

	if (strncmp(line, "CLIENT_RANDOM ", 14) != 0 &&
	    strncmp(line, "EXPORTER_SECRET ", 16) != 0)
		return;
	NEED((hex = strrchr(line, ' ')) != NULL);
	for (hex++; n < sizeof(s->secret) && sscanf(hex, "%2x", &v) == 1;
	    hex += 2)
		s->secret[n++] = (uint8_t)v;
	s->secret_len = n;
}

/* A PEM certificate (|key| false) or private key of tests/vectors. */
static void *
load_pem(const char *name, bool key)
{
	struct tbuf b = t_vec_file(name);
	BIO *m = BIO_new_mem_buf(b.p, (int)b.len);
	void *x = key ? (void *)PEM_read_bio_PrivateKey(m, NULL, NULL, NULL) :
	    (void *)PEM_read_bio_X509(m, NULL, NULL, NULL);

	NEED(x != NULL);
	BIO_free(m);
	return x;
}

struct tls_srv *
tls_srv_new(const struct tls_srv_opts *o)
{
	struct tls_srv *s = calloc(1, sizeof(*s));
	X509 *x;
	EVP_PKEY *k;

	NEED(s != NULL);
	s->indication = o->indication;
	NEED((s->ctx = SSL_CTX_new(TLS_server_method())) != NULL);
	NEED(SSL_CTX_set_min_proto_version(s->ctx, TLS1_2_VERSION) == 1);
	NEED(SSL_CTX_set_max_proto_version(s->ctx, o->max_version ?
	    o->max_version : TLS1_3_VERSION) == 1);
	/* RFC 9190 §2.1.1 draws the flights without tickets. */
	NEED(SSL_CTX_set_num_tickets(s->ctx, 0) == 1);
	x = load_pem(o->cert ? o->cert : "pki/gw-rsa2048.crt", false);
	k = load_pem(o->key ? o->key : "pki/gw-rsa2048.key", true);
	NEED(SSL_CTX_use_certificate(s->ctx, x) == 1);
	NEED(SSL_CTX_use_PrivateKey(s->ctx, k) == 1);
	X509_free(x);
	EVP_PKEY_free(k);
	x = load_pem(o->client_ca ? o->client_ca : "pki/root-ca.crt", false);
	NEED(X509_STORE_add_cert(SSL_CTX_get_cert_store(s->ctx), x) == 1);
	X509_free(x);
	/* The test certificates carry no intermediates beyond sub-ca. */
	x = load_pem("pki/sub-ca.crt", false);
	(void)X509_STORE_add_cert(SSL_CTX_get_cert_store(s->ctx), x);
	X509_free(x);
	X509_VERIFY_PARAM_set_flags(SSL_CTX_get0_param(s->ctx),
	    X509_V_FLAG_PARTIAL_CHAIN);
	SSL_CTX_set_verify(s->ctx, SSL_VERIFY_PEER |
	    SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	SSL_CTX_set_keylog_callback(s->ctx, keylog);
	NEED((s->ssl = SSL_new(s->ctx)) != NULL);
	SSL_set_app_data(s->ssl, s);
	s->rbio = BIO_new(BIO_s_mem());
	s->wbio = BIO_new(BIO_s_mem());
	NEED(s->rbio != NULL && s->wbio != NULL);
	BIO_set_mem_eof_return(s->rbio, -1);
	BIO_set_mem_eof_return(s->wbio, -1);
	SSL_set_bio(s->ssl, s->rbio, s->wbio);
	SSL_set_accept_state(s->ssl);
	return s;
}

void
tls_srv_free(struct tls_srv *s)
{
	if (s == NULL)
		return;
	SSL_free(s->ssl);
	SSL_CTX_free(s->ctx);
	free(s);
}

int
tls_srv_input(struct tls_srv *s, const uint8_t *p, size_t len)
{
	static const uint8_t ind[2] = { 0x00, 0x01 };
	size_t w;
	int r;

	if (len > 0)
		NEED(BIO_write(s->rbio, p, (int)len) == (int)len);
	if (s->done)
		return 1;
	r = SSL_do_handshake(s->ssl);
	if (r != 1) {
		r = SSL_get_error(s->ssl, r);
		ERR_clear_error();
		return r == SSL_ERROR_WANT_READ ? 0 : -1;
	}
	s->done = true;
	if (SSL_version(s->ssl) == TLS1_3_VERSION && s->indication != 1)
		NEED(SSL_write_ex(s->ssl, &ind[s->indication == 2], 1, &w) ==
		    1);
	return 1;
}

size_t
tls_srv_pending(struct tls_srv *s)
{
	return BIO_ctrl_pending(s->wbio);
}

size_t
tls_srv_output(struct tls_srv *s, uint8_t *buf, size_t cap)
{
	int n = BIO_read(s->wbio, buf, (int)cap);

	return n > 0 ? (size_t)n : 0;
}

uint16_t
tls_srv_version(struct tls_srv *s)
{
	return (uint16_t)SSL_version(s->ssl);
}

/* RFC 5216 §2.3 with the TLS 1.2 PRF (RFC 5246 §5) of the suite's hash,
 * from the master secret and both randoms. */
static void
msk_tls12(struct tls_srv *s, uint8_t km[128])
{
	static const char label[] = "client EAP encryption";
	uint8_t master[48], seed[64];
	const EVP_MD *md = SSL_CIPHER_get_handshake_digest(
	    SSL_get_current_cipher(s->ssl));
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "TLS1-PRF", NULL);
	EVP_KDF_CTX *kc = EVP_KDF_CTX_new(kdf);
	OSSL_PARAM p[5];
	size_t n;

	NEED(md != NULL && kc != NULL);
	n = SSL_SESSION_get_master_key(SSL_get_session(s->ssl), master,
	    sizeof(master));
	NEED(n == sizeof(master));
	NEED(SSL_get_client_random(s->ssl, seed, 32) == 32);
	NEED(SSL_get_server_random(s->ssl, seed + 32, 32) == 32);
	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
	    (char *)EVP_MD_get0_name(md), 0);
	p[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET,
	    master, sizeof(master));
	p[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED,
	    (void *)label, sizeof(label) - 1);
	p[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, seed,
	    sizeof(seed));
	p[4] = OSSL_PARAM_construct_end();
	NEED(EVP_KDF_derive(kc, km, 128, p) == 1);
	EVP_KDF_CTX_free(kc);
	EVP_KDF_free(kdf);
}

void
tls_srv_msk(struct tls_srv *s, uint8_t msk[64])
{
	static const char l13[] = "EXPORTER_EAP_TLS_Key_Material";
	static const char draft[] = "client EAP encryption";
	static const uint8_t type = 13;
	uint8_t km[128];

	NEED(s->done);
	if (SSL_version(s->ssl) != TLS1_3_VERSION)
		msk_tls12(s, km);
	else if (s->indication == 1)
		NEED(SSL_export_keying_material(s->ssl, km, 128, draft,
		    sizeof(draft) - 1, NULL, 0, 0) == 1);
	else
		NEED(SSL_export_keying_material(s->ssl, km, 128, l13,
		    sizeof(l13) - 1, &type, 1, 1) == 1);
	memcpy(msk, km, 64);
}

void
tls_srv_secrets(struct tls_srv *s, uint16_t *suite, const uint8_t **secret,
    size_t *len, uint8_t cr[32], uint8_t sr[32])
{
	NEED(s->done && s->secret_len > 0);
	*suite = SSL_CIPHER_get_protocol_id(SSL_get_current_cipher(s->ssl));
	*secret = s->secret;
	*len = s->secret_len;
	NEED(SSL_get_client_random(s->ssl, cr, 32) == 32);
	NEED(SSL_get_server_random(s->ssl, sr, 32) == 32);
}
