/*
 * crypto/crypto_tls.c: the I/O-free TLS client of RFC 9329 Appendix A
 * (see crypto_tls.h), OpenSSL over a pair of memory BIOs.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto_tls.h"

/* TLS record content types (RFC 8446 §5.1); a server's first record is a
 * handshake (ServerHello) or an alert. */
#define TLS_CT_ALERT		21
#define TLS_CT_HANDSHAKE	22

struct crypto_tls {
	SSL_CTX		*ctx;
	SSL		*ssl;
	BIO		*rbio, *wbio;	/* owned by |ssl| */
	char		 name[256];
	bool		 is_ip;
	bool		 done;
	uint8_t		 first[2];	/* the server's first two bytes */
	size_t		 n_first;
	char		 detail[200];
};

static void	set_detail(struct crypto_tls *t, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

static void
set_detail(struct crypto_tls *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->detail, sizeof(t->detail), fmt, ap);
	va_end(ap);
}

const char *
crypto_ssl_reason(const char *dflt)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e != 0 ? ERR_reason_error_string(e) : NULL;

	ERR_clear_error();
	return r != NULL ? r : dflt;
}

/* OpenSSL's reason for the last failure, as one short phrase. */
static void
set_detail_from_err(struct crypto_tls *t)
{
	set_detail(t, "%s", crypto_ssl_reason("handshake failed"));
}

/* PEM certificates from memory into the context's store. */
static int
load_trust_pem(struct crypto_tls *t, const uint8_t *pem, size_t len)
{
	X509_STORE *store = SSL_CTX_get_cert_store(t->ctx);
	STACK_OF(X509_INFO) *infos;
	X509_INFO *xi;
	BIO *bio;
	int i, n = 0;

	if (len > INT32_MAX || (bio = BIO_new_mem_buf(pem, (int)len)) == NULL)
		return IR_ERR_NOMEM;
	infos = PEM_X509_INFO_read_bio(bio, NULL, NULL, NULL);
	BIO_free(bio);
	for (i = 0; infos != NULL && i < sk_X509_INFO_num(infos); i++) {
		xi = sk_X509_INFO_value(infos, i);
		if (xi->x509 != NULL && X509_STORE_add_cert(store, xi->x509) == 1)
			n++;
	}
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	ERR_clear_error();
	if (n == 0) {
		set_detail(t, "%s", "no CA certificate in it");
		return IR_ERR_CONFIG;
	}
	return 0;
}

static int
load_trust(struct crypto_tls *t, const char *ca_file, const uint8_t *pem,
    size_t pem_len)
{
	if (pem != NULL)
		return load_trust_pem(t, pem, pem_len);
	if (ca_file == NULL) {
		if (SSL_CTX_set_default_verify_paths(t->ctx) != 1) {
			set_detail(t, "%s", "the system's CA store cannot be "
			    "loaded");
			ERR_clear_error();
			return IR_ERR_CONFIG;
		}
		return 0;
	}
	if (SSL_CTX_load_verify_locations(t->ctx, ca_file, NULL) != 1) {
		set_detail(t, "%.120s: not a readable PEM file of CA "
		    "certificates", ca_file);
		ERR_clear_error();
		return IR_ERR_CONFIG;
	}
	return 0;
}

/* The name to check: a host name (and SNI), or an IP address SAN. */
static int
set_peer_name(struct crypto_tls *t, const char *server_name)
{
	uint8_t addr[16];
	X509_VERIFY_PARAM *vp = SSL_get0_param(t->ssl);

	snprintf(t->name, sizeof(t->name), "%s", server_name);
	t->is_ip = inet_pton(AF_INET, server_name, addr) == 1 ||
	    inet_pton(AF_INET6, server_name, addr) == 1;
	if (t->is_ip)
		return X509_VERIFY_PARAM_set1_ip_asc(vp, server_name) == 1 ?
		    0 : IR_ERR_CONFIG;
	X509_VERIFY_PARAM_set_hostflags(vp,
	    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (SSL_set1_host(t->ssl, server_name) != 1 ||
	    SSL_set_tlsext_host_name(t->ssl, server_name) != 1)
		return IR_ERR_CONFIG;
	return 0;
}

static int
tls_new(struct crypto_tls **out, const char *server_name,
    const char *ca_file, const uint8_t *pem, size_t pem_len)
{
	struct crypto_tls *t;
	int rv = IR_ERR_CRYPTO;

	*out = NULL;
	if ((t = ir_calloc(1, sizeof(*t))) == NULL)
		return IR_ERR_NOMEM;
	*out = t;	/* even on failure: the detail is read from it */
	if ((t->ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		goto fail;
	SSL_CTX_set_min_proto_version(t->ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER, NULL);
	if ((rv = load_trust(t, ca_file, pem, pem_len)) != 0)
		return rv;
	rv = IR_ERR_CRYPTO;
	if ((t->ssl = SSL_new(t->ctx)) == NULL ||
	    (t->rbio = BIO_new(BIO_s_mem())) == NULL ||
	    (t->wbio = BIO_new(BIO_s_mem())) == NULL)
		goto fail;
	/* An empty memory BIO means "retry later", not end of file. */
	BIO_set_mem_eof_return(t->rbio, -1);
	BIO_set_mem_eof_return(t->wbio, -1);
	SSL_set_bio(t->ssl, t->rbio, t->wbio);
	SSL_set_connect_state(t->ssl);
	if ((rv = set_peer_name(t, server_name)) != 0) {
		set_detail(t, "'%.120s' is not usable as a TLS server name",
		    server_name);
		return rv;
	}
	return 0;
fail:
	if (t->ssl == NULL) {
		BIO_free(t->rbio);
		BIO_free(t->wbio);
		t->rbio = t->wbio = NULL;
	}
	set_detail_from_err(t);
	return rv;
}

int
crypto_tls_new(struct crypto_tls **out, const char *server_name,
    const char *ca_file)
{
	return tls_new(out, server_name, ca_file, NULL, 0);
}

int
crypto_tls_new_pem(struct crypto_tls **out, const char *server_name,
    const uint8_t *pem, size_t pem_len)
{
	return tls_new(out, server_name, NULL, pem, pem_len);
}

void
crypto_tls_free(struct crypto_tls *t)
{
	if (t == NULL)
		return;
	SSL_free(t->ssl);	/* frees both BIOs */
	SSL_CTX_free(t->ctx);
	ir_free(t);
}

int
crypto_tls_input(struct crypto_tls *t, const uint8_t *p, size_t len)
{
	size_t i;

	/* A plain TCP service, an HTTP server or a captive portal answers
	 * with something that is not a TLS record: say so plainly. */
	for (i = 0; i < len && t->n_first < sizeof(t->first); i++)
		t->first[t->n_first++] = p[i];
	if ((t->n_first >= 1 && t->first[0] != TLS_CT_HANDSHAKE &&
	    t->first[0] != TLS_CT_ALERT) ||
	    (t->n_first >= 2 && t->first[1] != 3)) {
		set_detail(t, "%s", "the server's answer is not TLS");
		return IR_ERR_TLS_NOT;
	}
	if (len > 0 && BIO_write(t->rbio, p, (int)len) != (int)len)
		return IR_ERR_NOMEM;
	return 0;
}

/* Why the handshake failed: the certificate, or something else. */
static int
handshake_error(struct crypto_tls *t)
{
	long vr = SSL_get_verify_result(t->ssl);

	if (vr == X509_V_ERR_HOSTNAME_MISMATCH ||
	    vr == X509_V_ERR_IP_ADDRESS_MISMATCH) {
		ERR_clear_error();
		set_detail(t, "the certificate is not for %.120s", t->name);
		return IR_ERR_TLS_CERT;
	}
	if (vr != X509_V_OK) {
		ERR_clear_error();
		set_detail(t, "%s", X509_verify_cert_error_string(vr));
		return IR_ERR_TLS_CERT;
	}
	set_detail_from_err(t);
	return IR_ERR_TLS;
}

int
crypto_tls_handshake(struct crypto_tls *t, bool *done)
{
	int r;

	*done = t->done;
	if (t->done)
		return 0;
	if ((r = SSL_do_handshake(t->ssl)) == 1) {
		/* SSL_VERIFY_PEER failed the handshake on a bad chain or
		 * name; this is belt and braces. */
		if (SSL_get_verify_result(t->ssl) != X509_V_OK ||
		    SSL_get0_peer_certificate(t->ssl) == NULL)
			return handshake_error(t);
		t->done = *done = true;
		return 0;
	}
	switch (SSL_get_error(t->ssl, r)) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		return 0;
	default:
		return handshake_error(t);
	}
}

int
crypto_tls_read(struct crypto_tls *t, uint8_t *buf, size_t cap, size_t *n)
{
	int r;

	*n = 0;
	if (!t->done)
		return IR_ERR_UNEXPECTED;
	if ((r = SSL_read_ex(t->ssl, buf, cap, n)) == 1)
		return 0;
	switch (SSL_get_error(t->ssl, r)) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		return 0;
	case SSL_ERROR_ZERO_RETURN:
		set_detail(t, "%s", "the server closed the TLS session");
		return IR_ERR_CLOSED;
	default:
		set_detail_from_err(t);
		return IR_ERR_TLS;
	}
}

int
crypto_tls_write(struct crypto_tls *t, const uint8_t *p, size_t len)
{
	size_t w = 0;

	if (!t->done)
		return IR_ERR_UNEXPECTED;
	if (len == 0)
		return 0;
	/* A memory BIO grows, so one call takes everything. */
	if (SSL_write_ex(t->ssl, p, len, &w) != 1 || w != len) {
		set_detail_from_err(t);
		return IR_ERR_TLS;
	}
	return 0;
}

size_t
crypto_tls_pending(const struct crypto_tls *t)
{
	return t->wbio != NULL ? BIO_ctrl_pending(t->wbio) : 0;
}

size_t
crypto_tls_output(struct crypto_tls *t, uint8_t *buf, size_t cap)
{
	int n;

	if (t->wbio == NULL || cap == 0)
		return 0;
	n = BIO_read(t->wbio, buf, cap > INT32_MAX ? INT32_MAX : (int)cap);
	return n > 0 ? (size_t)n : 0;
}

const char *
crypto_tls_detail(const struct crypto_tls *t)
{
	return t->detail;
}
