/*
 * tests/crypto/check_crypto_tls.c: the I/O-free TLS client of RFC 9329
 * Appendix A against an in-memory OpenSSL server (the test may use
 * OpenSSL directly), with the test PKI of tests/vectors/pki/:
 * gw-rsa2048 is issued by root-ca for gw.vpn.test and 198.51.100.10.
 */
#include <check.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "common/ir_err.h"
#include "crypto/crypto_tls.h"
#include "tests/check_util.h"

struct srv {
	SSL_CTX	*ctx;
	SSL	*ssl;
	BIO	*rbio, *wbio;
};

static const char *
vec_path(const char *rel)
{
	const char *top = getenv("top_srcdir");
	char *p = t_alloc(1024);

	snprintf(p, 1024, "%s/tests/vectors/pki/%s", top ? top : ".", rel);
	return p;
}

static void
srv_init(struct srv *s, const char *cert, const char *key)
{
	ck_assert_ptr_nonnull(s->ctx = SSL_CTX_new(TLS_server_method()));
	ck_assert_int_eq(SSL_CTX_use_certificate_chain_file(s->ctx,
	    vec_path(cert)), 1);
	ck_assert_int_eq(SSL_CTX_use_PrivateKey_file(s->ctx, vec_path(key),
	    SSL_FILETYPE_PEM), 1);
	ck_assert_ptr_nonnull(s->ssl = SSL_new(s->ctx));
	s->rbio = BIO_new(BIO_s_mem());
	s->wbio = BIO_new(BIO_s_mem());
	BIO_set_mem_eof_return(s->rbio, -1);
	SSL_set_bio(s->ssl, s->rbio, s->wbio);
	SSL_set_accept_state(s->ssl);
}

static void
srv_free(struct srv *s)
{
	SSL_free(s->ssl);
	SSL_CTX_free(s->ctx);
}

/* Move what each side has for the other; the client's input result. */
static int
pump(struct crypto_tls *c, struct srv *s)
{
	uint8_t buf[16384];
	size_t n;
	int len;

	while ((n = crypto_tls_output(c, buf, sizeof(buf))) > 0)
		ck_assert_int_eq(BIO_write(s->rbio, buf, (int)n), (int)n);
	(void)SSL_do_handshake(s->ssl);
	while ((len = BIO_read(s->wbio, buf, sizeof(buf))) > 0) {
		int rv = crypto_tls_input(c, buf, (size_t)len);

		if (rv != 0)
			return rv;
	}
	return 0;
}

/* Run the handshake to its end: 0 when done, else the client's error. */
static int
handshake(struct crypto_tls *c, struct srv *s)
{
	bool done = false;
	int i, rv;

	for (i = 0; i < 10; i++) {
		if ((rv = crypto_tls_handshake(c, &done)) != 0)
			return rv;
		if (done)
			break;
		if ((rv = pump(c, s)) != 0)
			return rv;
	}
	ck_assert(done);
	(void)pump(c, s);	/* the client's Finished, session tickets */
	return 0;
}

START_TEST(dns_name_sni_and_data)
{
	static const char prefix[] = "IKETCP\x00\x0c\x00\x00\x00\x00hi!!";
	struct crypto_tls *c;
	struct srv s;
	uint8_t buf[64];
	size_t n;
	int len;

	srv_init(&s, "gw-rsa2048.crt", "gw-rsa2048.key");
	ck_assert_int_eq(crypto_tls_new(&c, "gw.vpn.test",
	    vec_path("root-ca.crt")), 0);
	ck_assert_int_eq(handshake(c, &s), 0);
	ck_assert_str_eq(crypto_tls_detail(c), "");
	ck_assert_ptr_nonnull(SSL_get_servername(s.ssl,
	    TLSEXT_NAMETYPE_host_name));
	ck_assert_str_eq(SSL_get_servername(s.ssl, TLSEXT_NAMETYPE_host_name),
	    "gw.vpn.test");
	/* Our stream in, the server reads it unchanged. */
	ck_assert_int_eq(crypto_tls_write(c, (const uint8_t *)prefix,
	    sizeof(prefix) - 1), 0);
	ck_assert_uint_le(crypto_tls_pending(c), sizeof(prefix) - 1 +
	    CRYPTO_TLS_OVERHEAD(sizeof(prefix) - 1));
	ck_assert_int_eq(pump(c, &s), 0);
	len = SSL_read(s.ssl, buf, sizeof(buf));
	ck_assert_int_eq(len, (int)sizeof(prefix) - 1);
	ck_assert_mem_eq(buf, prefix, sizeof(prefix) - 1);
	/* The server's answer; then nothing more until more arrives. */
	ck_assert_int_eq(SSL_write(s.ssl, "\x00\x06\xab\xcd", 4), 4);
	ck_assert_int_eq(pump(c, &s), 0);
	ck_assert_int_eq(crypto_tls_read(c, buf, sizeof(buf), &n), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_mem_eq(buf, "\x00\x06\xab\xcd", 4);
	ck_assert_int_eq(crypto_tls_read(c, buf, sizeof(buf), &n), 0);
	ck_assert_uint_eq(n, 0);
	/* close_notify from the server. */
	SSL_shutdown(s.ssl);
	ck_assert_int_eq(pump(c, &s), 0);
	ck_assert_int_eq(crypto_tls_read(c, buf, sizeof(buf), &n),
	    IR_ERR_CLOSED);
	crypto_tls_free(c);
	srv_free(&s);
}
END_TEST

START_TEST(ip_address_san_no_sni)
{
	struct crypto_tls *c;
	struct srv s;

	srv_init(&s, "gw-rsa2048.crt", "gw-rsa2048.key");
	ck_assert_int_eq(crypto_tls_new(&c, "198.51.100.10",
	    vec_path("root-ca.crt")), 0);
	ck_assert_int_eq(handshake(c, &s), 0);
	ck_assert_ptr_null(SSL_get_servername(s.ssl,
	    TLSEXT_NAMETYPE_host_name));
	crypto_tls_free(c);
	srv_free(&s);
}
END_TEST

static const struct refused {
	const char	*name, *ca, *cert, *key;
	const char	*detail;	/* a part of it */
} refused[] = {
	{ "other.vpn.test", "root-ca.crt", "gw-rsa2048.crt", "gw-rsa2048.key",
	    "the certificate is not for other.vpn.test" },
	{ "198.51.100.11", "root-ca.crt", "gw-rsa2048.crt", "gw-rsa2048.key",
	    "the certificate is not for 198.51.100.11" },
	{ "gw.vpn.test", "other-ca.crt", "gw-rsa2048.crt", "gw-rsa2048.key",
	    "local issuer" },
	{ "gw.vpn.test", "root-ca.crt", "other-leaf.crt", "other-leaf.key",
	    "local issuer" },
	{ "self.vpn.test", "root-ca.crt", "selfsigned.crt", "selfsigned.key",
	    "self" },
	/* The system store does not know the test root. */
	{ "gw.vpn.test", NULL, "gw-rsa2048.crt", "gw-rsa2048.key", "issuer" },
};

START_TEST(certificate_refused)
{
	const struct refused *r = &refused[_i];
	struct crypto_tls *c;
	struct srv s;

	srv_init(&s, r->cert, r->key);
	ck_assert_int_eq(crypto_tls_new(&c, r->name, r->ca ?
	    vec_path(r->ca) : NULL), 0);
	ck_assert_int_eq(handshake(c, &s), IR_ERR_TLS_CERT);
	ck_assert_msg(strstr(crypto_tls_detail(c), r->detail) != NULL,
	    "detail '%s', want '%s'", crypto_tls_detail(c), r->detail);
	crypto_tls_free(c);
	srv_free(&s);
}
END_TEST

START_TEST(not_tls)
{
	static const char *answers[] = {
		"HTTP/1.1 400 Bad Request\r\n\r\n",
		"\x00\x24\x00\x00\x00\x00",	/* an RFC 9329 frame */
		"\x16\x01",			/* a handshake of no TLS */
	};
	struct crypto_tls *c;
	bool done;
	size_t i;

	for (i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
		ck_assert_int_eq(crypto_tls_new(&c, "gw.vpn.test",
		    vec_path("root-ca.crt")), 0);
		ck_assert_int_eq(crypto_tls_handshake(c, &done), 0);
		ck_assert(!done);
		ck_assert_uint_gt(crypto_tls_pending(c), 0);	/* ClientHello */
		ck_assert_int_eq(crypto_tls_input(c,
		    (const uint8_t *)answers[i], strlen(answers[i]) > 0 ?
		    strlen(answers[i]) : 6), IR_ERR_TLS_NOT);
		ck_assert_str_eq(crypto_tls_detail(c),
		    "the server's answer is not TLS");
		crypto_tls_free(c);
	}
}
END_TEST

START_TEST(broken_record)
{
	struct crypto_tls *c;
	bool done;

	ck_assert_int_eq(crypto_tls_new(&c, "gw.vpn.test",
	    vec_path("root-ca.crt")), 0);
	ck_assert_int_eq(crypto_tls_handshake(c, &done), 0);
	/* Looks like a handshake record, but holds nonsense. */
	ck_assert_int_eq(crypto_tls_input(c,
	    (const uint8_t *)"\x16\x03\x03\x00\x04\xff\xff\xff\xff", 9), 0);
	ck_assert_int_eq(crypto_tls_handshake(c, &done), IR_ERR_TLS);
	ck_assert_str_ne(crypto_tls_detail(c), "");
	crypto_tls_free(c);
}
END_TEST

START_TEST(bad_config)
{
	struct crypto_tls *c;

	ck_assert_int_eq(crypto_tls_new(&c, "gw.vpn.test",
	    "/nonexistent/ca.pem"), IR_ERR_CONFIG);
	ck_assert(strstr(crypto_tls_detail(c), "/nonexistent/ca.pem") != NULL);
	crypto_tls_free(c);
	ck_assert_int_eq(crypto_tls_new(&c, "", vec_path("root-ca.crt")),
	    IR_ERR_CONFIG);
	crypto_tls_free(c);
	crypto_tls_free(NULL);
}
END_TEST

/* The CA from memory (read before the privilege drop): the handshake
 * verifies as with the file; a buffer without a certificate is refused. */
START_TEST(ca_from_memory)
{
	static const char junk[] = "-----BEGIN NOTHING-----\n";
	struct crypto_tls *c;
	struct srv s;
	uint8_t pem[16384];
	size_t n;
	FILE *f;

	ck_assert_ptr_nonnull(f = fopen(vec_path("root-ca.crt"), "rb"));
	n = fread(pem, 1, sizeof(pem), f);
	fclose(f);
	ck_assert_uint_gt(n, 0);
	srv_init(&s, "gw-rsa2048.crt", "gw-rsa2048.key");
	ck_assert_int_eq(crypto_tls_new_pem(&c, "gw.vpn.test", pem, n), 0);
	ck_assert_int_eq(handshake(c, &s), 0);
	ck_assert_str_eq(crypto_tls_detail(c), "");
	crypto_tls_free(c);
	srv_free(&s);
	ck_assert_int_eq(crypto_tls_new_pem(&c, "gw.vpn.test",
	    (const uint8_t *)junk, sizeof(junk) - 1), IR_ERR_CONFIG);
	ck_assert_str_eq(crypto_tls_detail(c), "no CA certificate in it");
	crypto_tls_free(c);
}
END_TEST

Suite *
tls_suite(void)
{
	Suite *s = suite_create("tls");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, dns_name_sni_and_data);
	tcase_add_test(tc, ip_address_san_no_sni);
	tcase_add_loop_test(tc, certificate_refused, 0,
	    sizeof(refused) / sizeof(refused[0]));
	tcase_add_test(tc, not_tls);
	tcase_add_test(tc, broken_record);
	tcase_add_test(tc, bad_config);
	tcase_add_test(tc, ca_from_memory);
	suite_add_tcase(s, tc);
	return s;
}
