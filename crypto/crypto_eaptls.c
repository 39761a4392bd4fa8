/*
 * crypto/crypto_eaptls.c: the I/O-free TLS peer of EAP-TLS (see
 * crypto_eaptls.h), OpenSSL over a pair of memory BIOs.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto_eaptls.h"
#include "crypto/crypto_sig.h"
#include "crypto/crypto_sig_int.h"
#include "crypto/crypto_tls.h"

/* RFC 5216 §2.3 and RFC 9190 §2.3: 128 octets of Key_Material. */
#define EAPTLS_KEY_MATERIAL	128
#define EAPTLS_TYPE_CODE	0x0d	/* EAP-TLS, the TLS 1.3 context */

struct crypto_eaptls {
	SSL_CTX		*ctx;
	SSL		*ssl;
	BIO		*rbio, *wbio;	/* owned by |ssl| */
	struct crypto_eaptls_conf conf;
	uint8_t		 ids[CRYPTO_EAPTLS_IDS_MAX][256];
	bool		 done;		/* our handshake finished */
	bool		 success;	/* RFC 9190 §2.5 indication seen */
	int		 verify_rv;	/* our refusal of the gateway */
	struct crypto_chain *path;	/* the gateway's, once verified */
	char		 detail[200];
};

#define set_detail(t, ...)	snprintf((t)->detail, sizeof((t)->detail), \
				    __VA_ARGS__)
#define set_detail_from_err(t, dflt) \
	set_detail(t, "%s", crypto_ssl_reason(dflt))

/*
 * The gateway's chain goes through crypto_trust_verify(), the check its
 * IKE certificate gets, then its identities.  Returning 0 makes OpenSSL
 * send an alert and stop the handshake before our next flight.
 */
static int
verify_gateway(X509_STORE_CTX *xs, void *arg)
{
	struct crypto_eaptls *t = arg;
	struct crypto_iov chain[CRYPTO_CHAIN_MAX];
	struct crypto_cert *leaf = NULL;
	STACK_OF(X509) *sent = X509_STORE_CTX_get0_untrusted(xs);
	X509 *x = X509_STORE_CTX_get0_cert(xs), *c;
	uint8_t *der[CRYPTO_CHAIN_MAX];
	char why[CRYPTO_WHY_MAX];
	size_t n = 0, i;
	int len, rv = IR_ERR_CERT;

	memset(der, 0, sizeof(der));
	if (x == NULL)
		goto out;
	if ((len = i2d_X509(x, &der[0])) <= 0)
		goto out;
	chain[n++] = (struct crypto_iov){ der[0], (size_t)len };
	for (i = 0; sent != NULL && i < (size_t)sk_X509_num(sent); i++) {
		c = sk_X509_value(sent, (int)i);
		if (X509_cmp(c, x) == 0)
			continue;
		if (n == CRYPTO_CHAIN_MAX) {
			set_detail(t, "the gateway sent more than %d "
			    "certificates", CRYPTO_CHAIN_MAX);
			goto out;
		}
		if ((len = i2d_X509(c, &der[n])) <= 0)
			goto out;
		chain[n] = (struct crypto_iov){ der[n], (size_t)len };
		n++;
	}
	why[0] = '\0';
	crypto_chain_free(t->path);
	t->path = NULL;
	if ((rv = crypto_trust_verify_chain(t->conf.trust, chain, n,
	    CRYPTO_TIME_NOW, &t->path, why, sizeof(why))) != 0) {
		set_detail(t, "%s", why[0] != '\0' ? why : ir_strerror(rv));
		rv = IR_ERR_CERT;
		goto out;
	}
	if ((rv = crypto_chain_cert(t->path, 0, &leaf)) != 0)
		goto out;
	for (i = 0; i < t->conf.nids; i++)
		if ((t->conf.ids[i].pattern ? crypto_cert_match_pattern :
		    crypto_cert_match_id)(leaf, t->conf.ids[i].type,
		    t->conf.ids[i].data, t->conf.ids[i].len) != 0) {
			crypto_cert_subject(leaf, why, sizeof(why));
			set_detail(t, "its TLS certificate (%s) does not carry "
			    "the gateway's identity", why);
			rv = IR_ERR_PEER_ID;
			goto out;
		}
	rv = 0;
out:
	for (i = 0; i < CRYPTO_CHAIN_MAX; i++)
		OPENSSL_free(der[i]);
	crypto_cert_free(leaf);
	t->verify_rv = rv;
	if (rv != 0) {
		if (t->detail[0] == '\0')
			set_detail(t, "%s", "its TLS certificate cannot be read");
		X509_STORE_CTX_set_error(xs, X509_V_ERR_APPLICATION_VERIFICATION);
		return 0;
	}
	return 1;
}

static int
setup_ctx(struct crypto_eaptls *t)
{
	uint16_t max = t->conf.max_version != 0 ? t->conf.max_version :
	    TLS1_3_VERSION;

	if ((t->ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return IR_ERR_CRYPTO;
	if (max < TLS1_2_VERSION || max > TLS1_3_VERSION)
		return IR_ERR_CONFIG;
	if (SSL_CTX_set_min_proto_version(t->ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_max_proto_version(t->ctx, max) != 1)
		return IR_ERR_CRYPTO;
	/* RFC 9190 §2.1.2: resumption is optional; we never resume, so
	 * tickets are only noise.  TLS 1.2 servers without RFC 5746's
	 * renegotiation_info (strongSwan's) are accepted: the attack it
	 * stops needs a renegotiation, and we refuse every one. */
	SSL_CTX_set_options(t->ctx, SSL_OP_NO_TICKET |
	    SSL_OP_NO_RENEGOTIATION | SSL_OP_LEGACY_SERVER_CONNECT);
	SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER, NULL);
	SSL_CTX_set_cert_verify_callback(t->ctx, verify_gateway, t);
	if (t->conf.cert == NULL || t->conf.key == NULL)
		return IR_ERR_CONFIG;
	if (SSL_CTX_use_certificate(t->ctx, t->conf.cert->x509) != 1 ||
	    SSL_CTX_use_PrivateKey(t->ctx, t->conf.key->pkey) != 1 ||
	    SSL_CTX_check_private_key(t->ctx) != 1) {
		set_detail_from_err(t, "our certificate and key do not fit");
		return IR_ERR_CONFIG;
	}
	return 0;
}

int
crypto_eaptls_new(struct crypto_eaptls **out,
    const struct crypto_eaptls_conf *conf)
{
	struct crypto_eaptls *t;
	unsigned i;
	int rv;

	*out = NULL;
	if (conf->trust == NULL || conf->nids > CRYPTO_EAPTLS_IDS_MAX)
		return IR_ERR_CONFIG;
	if ((t = ir_calloc(1, sizeof(*t))) == NULL)
		return IR_ERR_NOMEM;
	t->conf = *conf;
	for (i = 0; i < conf->nids; i++) {
		if (conf->ids[i].len > sizeof(t->ids[i])) {
			rv = IR_ERR_CONFIG;
			goto fail;
		}
		memcpy(t->ids[i], conf->ids[i].data, conf->ids[i].len);
		t->conf.ids[i].data = t->ids[i];
	}
	if ((rv = setup_ctx(t)) != 0)
		goto fail;
	rv = IR_ERR_CRYPTO;
	if ((t->ssl = SSL_new(t->ctx)) == NULL)
		goto fail;
	if ((t->rbio = BIO_new(BIO_s_mem())) == NULL ||
	    (t->wbio = BIO_new(BIO_s_mem())) == NULL) {
		BIO_free(t->rbio);
		BIO_free(t->wbio);
		t->rbio = t->wbio = NULL;
		goto fail;
	}
	/* An empty memory BIO means "retry later", not end of file. */
	BIO_set_mem_eof_return(t->rbio, -1);
	BIO_set_mem_eof_return(t->wbio, -1);
	SSL_set_bio(t->ssl, t->rbio, t->wbio);
	SSL_set_connect_state(t->ssl);
	*out = t;
	return 0;
fail:
	ERR_clear_error();
	crypto_eaptls_free(t);
	return rv;
}

void
crypto_eaptls_free(struct crypto_eaptls *t)
{
	if (t == NULL)
		return;
	SSL_free(t->ssl);	/* frees both BIOs and wipes the secrets */
	SSL_CTX_free(t->ctx);
	crypto_chain_free(t->path);
	ir_wipe(t, sizeof(*t));
	ir_free(t);
}

int
crypto_eaptls_input(struct crypto_eaptls *t, const uint8_t *p, size_t len)
{
	if (len > INT32_MAX)
		return IR_ERR_MALFORMED;
	if (len > 0 && BIO_write(t->rbio, p, (int)len) != (int)len)
		return IR_ERR_NOMEM;
	return 0;
}

/* Why the handshake failed: our refusal, the gateway's alert, or else. */
static int
handshake_error(struct crypto_eaptls *t)
{
	unsigned long e = ERR_peek_last_error();

	if (t->verify_rv != 0) {
		ERR_clear_error();
		return t->verify_rv;
	}
	/* A received alert is SSL_R_SSLV3_ALERT_* or SSL_R_TLSV1_ALERT_*
	 * (reason codes 1000 + the alert); OpenSSL names it. */
	if (e != 0 && ERR_GET_LIB(e) == ERR_LIB_SSL &&
	    ERR_GET_REASON(e) >= SSL_AD_REASON_OFFSET) {
		set_detail_from_err(t, "alert");
		return IR_ERR_AUTH;
	}
	set_detail_from_err(t, "handshake failed");
	return IR_ERR_TLS;
}

/*
 * RFC 9190 §2.5: after the handshake a TLS 1.3 server sends one octet
 * of application data, 0x00, when it accepted us; anything else ends
 * the method.  A close_notify or an alert instead is a refusal.
 */
static int
read_indication(struct crypto_eaptls *t)
{
	uint8_t b[16];
	size_t n = 0;
	int r;

	if ((r = SSL_read_ex(t->ssl, b, sizeof(b), &n)) == 1) {
		bool ok = n == 1 && b[0] == 0x00 && !t->success;

		ir_wipe(b, sizeof(b));
		if (!ok) {
			set_detail(t, "%s", "the gateway sent application data "
			    "that is not the success indication");
			return IR_ERR_UNEXPECTED;
		}
		t->success = true;
		return 0;
	}
	switch (SSL_get_error(t->ssl, r)) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		return 0;
	case SSL_ERROR_ZERO_RETURN:
		set_detail(t, "%s", "the gateway closed TLS without the "
		    "success indication");
		return IR_ERR_AUTH;
	default:
		return handshake_error(t);
	}
}

int
crypto_eaptls_step(struct crypto_eaptls *t, bool *done)
{
	int r;

	*done = t->done;
	if (t->done)
		return SSL_version(t->ssl) == TLS1_3_VERSION ?
		    read_indication(t) : 0;
	if ((r = SSL_do_handshake(t->ssl)) == 1) {
		if (SSL_get0_peer_certificate(t->ssl) == NULL) {
			set_detail(t, "%s", "the gateway sent no certificate");
			return IR_ERR_CERT;
		}
		t->done = *done = true;
		/* RFC 5216 §2.1.1: with TLS 1.2 the gateway's Finished
		 * (the handshake ends with it for a client) is the proof. */
		if (SSL_version(t->ssl) != TLS1_3_VERSION) {
			t->success = true;
			return 0;
		}
		return read_indication(t);
	}
	switch (SSL_get_error(t->ssl, r)) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		return 0;
	default:
		return handshake_error(t);
	}
}

bool
crypto_eaptls_success(const struct crypto_eaptls *t)
{
	return t->done && t->success;
}

size_t
crypto_eaptls_pending(const struct crypto_eaptls *t)
{
	return BIO_ctrl_pending(t->wbio);
}

size_t
crypto_eaptls_output(struct crypto_eaptls *t, uint8_t *buf, size_t cap)
{
	int n;

	if (cap == 0)
		return 0;
	n = BIO_read(t->wbio, buf, cap > INT32_MAX ? INT32_MAX : (int)cap);
	return n > 0 ? (size_t)n : 0;
}

int
crypto_eaptls_msk(struct crypto_eaptls *t, uint8_t msk[CRYPTO_EAPTLS_MSK_LEN],
    bool *legacy)
{
	static const char label12[] = "client EAP encryption";
	static const char label13[] = "EXPORTER_EAP_TLS_Key_Material";
	static const uint8_t type_code = EAPTLS_TYPE_CODE;
	uint8_t km[EAPTLS_KEY_MATERIAL];
	int ok;

	*legacy = false;
	if (!t->done)
		return IR_ERR_UNEXPECTED;
	/* For TLS 1.2 OpenSSL's exporter without a context is exactly the
	 * PRF of RFC 5216 §2.3 (RFC 5705 §4 over the same seed); so is the
	 * draft's TLS 1.3 derivation (an empty context, RFC 8446 §7.5). */
	if (SSL_version(t->ssl) == TLS1_3_VERSION && t->success)
		ok = SSL_export_keying_material(t->ssl, km, sizeof(km),
		    label13, sizeof(label13) - 1, &type_code, 1, 1);
	else {
		*legacy = SSL_version(t->ssl) == TLS1_3_VERSION;
		ok = SSL_export_keying_material(t->ssl, km, sizeof(km),
		    label12, sizeof(label12) - 1, NULL, 0, 0);
	}
	if (ok != 1) {
		ir_wipe(km, sizeof(km));
		set_detail_from_err(t, "no keying material");
		return IR_ERR_CRYPTO;
	}
	memcpy(msk, km, CRYPTO_EAPTLS_MSK_LEN);
	ir_wipe(km, sizeof(km));
	return 0;
}

uint16_t
crypto_eaptls_version(const struct crypto_eaptls *t)
{
	int v = SSL_version(t->ssl);

	return v == TLS1_2_VERSION || v == TLS1_3_VERSION ? (uint16_t)v : 0;
}

const char *
crypto_eaptls_detail(const struct crypto_eaptls *t)
{
	return t->detail;
}

const struct crypto_chain *
crypto_eaptls_peer_path(const struct crypto_eaptls *t)
{
	return t->path;
}
