/*
 * tests/src/check_revocation.c: src/revocation.c with the OCSP responses
 * a gateway sends in CERT payloads of encoding 14 (RFC 4806), on a real
 * libuv loop and thread pool.  libcurl is replaced by stubs that count
 * transfers and never reach a network, the log by a buffer, the
 * privileged part by stubs that must not be called (no privilege
 * separation here: conf.priv is NULL, the cache a fresh directory).
 *
 * The answers are tests/vectors/pki/rev/ (mkpki-x509.sh, openssl ocsp):
 * gw-rsa2048 good and gw-eku-client revoked (keyCompromise), both signed
 * by root-ca; gw-rsa2048-forged says gw-rsa2048 is revoked, signed by
 * other-ca, which nobody trusts.  gw-rev names an OCSP responder and a
 * CRL (192.0.2.1), gw-rsa2048 none.
 */
#include <check.h>
#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "common/ir_err.h"
#include "crypto/crypto_sig.h"
#include "src/log.h"
#include "src/priv.h"
#include "src/revocation.h"
#include "tests/check_util.h"
#include "tests/check_main.h"

/* ---- stubs ---------------------------------------------------------- */

static int n_perform;		/* transfers revocation.c attempted */
static char logged[8192];

void
log_msg(int level, const char *fmt, ...)
{
	size_t n = strlen(logged);
	va_list ap;

	(void)level;
	if (n + 2 >= sizeof(logged))
		return;
	va_start(ap, fmt);
	vsnprintf(logged + n, sizeof(logged) - n - 1, fmt, ap);
	va_end(ap);
	strcat(logged, "\n");
}

int
priv_revcache_open(struct priv_client *c, int kind, const uint8_t key[20],
    int *fd)
{
	(void)c; (void)kind; (void)key; (void)fd;
	ck_abort_msg("the privileged part was asked");
	return IR_ERR_UNEXPECTED;
}

int
priv_revcache_store(struct priv_client *c, int kind, const uint8_t key[20],
    const uint8_t *p, size_t len)
{
	(void)c; (void)kind; (void)key; (void)p; (void)len;
	ck_abort_msg("the privileged part was asked");
	return IR_ERR_UNEXPECTED;
}

static int handle;

CURLcode
(curl_global_init)(long flags)
{
	(void)flags;
	return CURLE_OK;
}

CURL *
(curl_easy_init)(void)
{
	return &handle;
}

CURLcode
(curl_easy_setopt)(CURL *h, CURLoption opt, ...)
{
	(void)h; (void)opt;
	return CURLE_OK;
}

CURLcode
(curl_easy_perform)(CURL *h)
{
	(void)h;
	__atomic_add_fetch(&n_perform, 1, __ATOMIC_SEQ_CST);
	return CURLE_COULDNT_CONNECT;
}

CURLcode
(curl_easy_getinfo)(CURL *h, CURLINFO info, ...)
{
	va_list ap;

	(void)h;
	va_start(ap, info);
	if (info == CURLINFO_RESPONSE_CODE)
		*va_arg(ap, long *) = 0;
	va_end(ap);
	return CURLE_OK;
}

void
(curl_easy_cleanup)(CURL *h)
{
	(void)h;
}

const char *
(curl_easy_strerror)(CURLcode rc)
{
	(void)rc;
	return "no network in this test";
}

struct curl_slist *
(curl_slist_append)(struct curl_slist *l, const char *s)
{
	static struct curl_slist one;

	(void)l; (void)s;
	return &one;
}

void
(curl_slist_free_all)(struct curl_slist *l)
{
	(void)l;
}

/* ---- the harness ---------------------------------------------------- */

struct outcome {
	bool	done;
	int	verdict;
	char	why[400];
};

static void
on_done(void *arg, int verdict, const char *why)
{
	struct outcome *o = arg;

	o->done = true;
	o->verdict = verdict;
	snprintf(o->why, sizeof(o->why), "%s", why != NULL ? why : "");
}

/* The DER of a PEM certificate of the test PKI. */
static struct tbuf
der_of(const char *name)
{
	char rel[128];
	struct crypto_cert *c;
	const uint8_t *der;
	struct tbuf b;
	uint8_t *copy;
	size_t len;

	snprintf(rel, sizeof(rel), "pki/%s", name);
	b = t_vec_file(rel);
	ck_assert_int_eq(crypto_cert_load(&c, b.p, b.len), 0);
	crypto_cert_der(c, &der, &len);
	copy = t_alloc(len);
	memcpy(copy, der, len);
	crypto_cert_free(c);
	return (struct tbuf){ copy, len };
}

/*
 * Check |leaf| (root-issued) with the gateway's responses |ocsp| (NULL
 * terminated file names under rev/) under |policy|.
 */
static struct outcome
run(const char *leaf, const char *const *ocsp, int policy)
{
	struct revocation_conf rc = { .policy = policy };
	struct revocation_job *job;
	struct ike_peer_cert pc;
	struct outcome o = { 0 };
	char dir[] = "/tmp/check_revocation.XXXXXX";
	char rel[128];
	struct tbuf l = der_of(leaf), root = der_of("root-ca.crt"), r;
	uv_loop_t loop;
	int i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	rc.cache_dir = dir;
	memset(&pc, 0, sizeof(pc));
	pc.chain[0] = (struct crypto_iov){ l.p, l.len };
	pc.chain[1] = (struct crypto_iov){ root.p, root.len };
	pc.n_chain = 2;
	pc.leaf = l.p;
	pc.leaf_len = l.len;
	pc.issuer = root.p;
	pc.issuer_len = root.len;
	for (i = 0; ocsp != NULL && ocsp[i] != NULL; i++) {
		snprintf(rel, sizeof(rel), "pki/rev/%s", ocsp[i]);
		r = t_vec_file(rel);
		pc.ocsp[pc.n_ocsp++] = (struct crypto_iov){ r.p, r.len };
	}
	logged[0] = '\0';
	n_perform = 0;
	ck_assert_int_eq(uv_loop_init(&loop), 0);
	ck_assert_int_eq(revocation_start(&loop, &rc, &pc, on_done, &o, &job),
	    0);
	ck_assert(!o.done);		/* never from inside the call */
	for (i = 0; i < 100 && !o.done; i++)
		uv_run(&loop, UV_RUN_ONCE);
	ck_assert(o.done);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
	(void)rmdir(dir);		/* nothing was kept in it */
	return o;
}

static bool
in_log(const char *s)
{
	return strstr(logged, s) != NULL;
}

/* ---- the cases ------------------------------------------------------ */

/* A good answer from the gateway decides, even under strict policy, and
 * no transfer is tried. */
START_TEST(rev_gateway_good)
{
	static const char *const ocsp[] = { "gw-rsa2048.ocsp", NULL };
	struct outcome o = run("gw-rsa2048.crt", ocsp, REVOCATION_STRICT);

	ck_assert_int_eq(o.verdict, 0);
	ck_assert_int_eq(n_perform, 0);
	ck_assert_msg(in_log("revocation: the gateway's certificate is good "
	    "(the OCSP response the gateway sent)"), "%s", logged);
}
END_TEST

/* Revoked: refused with the one line main.c shows (exit status 6). */
START_TEST(rev_gateway_revoked)
{
	static const char *const ocsp[] = { "gw-eku-client.ocsp", NULL };
	struct outcome o = run("gw-eku-client.crt", ocsp, REVOCATION_IFURI);

	ck_assert_int_eq(o.verdict, IR_ERR_CERT);
	ck_assert_int_eq(n_perform, 0);
	ck_assert_msg(strstr(o.why, "the gateway's certificate is revoked "
	    "(keyCompromise, since 2026-12-01 00:00 UTC, by the OCSP "
	    "response the gateway sent): do not use this gateway") != NULL,
	    "%s", o.why);
}
END_TEST

/*
 * An answer about another certificate is ignored: the certificate's own
 * responder and CRL are then tried (two transfers, unreachable here),
 * and the policy decides.
 */
START_TEST(rev_gateway_other_cert)
{
	static const char *const ocsp[] = { "gw-rsa2048.ocsp", NULL };
	struct outcome o = run("gw-rev.crt", ocsp, REVOCATION_IFURI);

	ck_assert_int_eq(o.verdict, 0);
	ck_assert_int_eq(n_perform, 2);
	ck_assert_msg(in_log("revocation: the gateway's OCSP response is not "
	    "for the gateway's certificate"), "%s", logged);
	ck_assert(!in_log("(the OCSP response the gateway sent)"));
	ck_assert_msg(in_log("OCSP http://192.0.2.1:8880: no network"), "%s",
	    logged);
	ck_assert(in_log("its OCSP responder and CRL were unreachable; "
	    "accepted (--revocation ifuri)"));
	o = run("gw-rev.crt", ocsp, REVOCATION_STRICT);
	ck_assert_int_eq(o.verdict, IR_ERR_CERT);
	ck_assert_int_eq(n_perform, 2);
	ck_assert_str_eq(o.why, "no revocation status for the gateway's "
	    "certificate: its OCSP responder and CRL were unreachable "
	    "(--revocation strict)");
}
END_TEST

/*
 * "Revoked", signed by a key we do not trust: ignored.  gw-rsa2048 names
 * no responder, so ifuri accepts it and strict refuses it for want of a
 * status, not as revoked.  With the true answer beside it, that decides.
 */
START_TEST(rev_gateway_untrusted_signer)
{
	static const char *const forged[] = { "gw-rsa2048-forged.ocsp", NULL };
	static const char *const both[] = { "gw-rsa2048-forged.ocsp",
	    "gw-rsa2048.ocsp", NULL };
	struct outcome o = run("gw-rsa2048.crt", forged, REVOCATION_IFURI);

	ck_assert_msg(o.verdict == 0, "%s", o.why);
	ck_assert_int_eq(n_perform, 0);
	ck_assert_msg(in_log("revocation: the gateway's OCSP response is not "
	    "for the gateway's certificate"), "%s", logged);
	ck_assert(in_log("it names no OCSP responder or CRL; accepted "
	    "(--revocation ifuri)"));
	ck_assert(!in_log("revoked"));
	o = run("gw-rsa2048.crt", forged, REVOCATION_STRICT);
	ck_assert_int_eq(o.verdict, IR_ERR_CERT);
	ck_assert_msg(strstr(o.why, "revoked") == NULL, "%s", o.why);
	ck_assert_str_eq(o.why, "no revocation status for the gateway's "
	    "certificate: it names no OCSP responder or CRL (--revocation "
	    "strict)");
	o = run("gw-rsa2048.crt", both, REVOCATION_STRICT);
	ck_assert_int_eq(o.verdict, 0);
	ck_assert(in_log("is good (the OCSP response the gateway sent)"));
}
END_TEST

/* Garbage in a CERT of encoding 14: ignored, never read past. */
START_TEST(rev_gateway_garbage)
{
	static const char *const req[] = { "gw-rsa2048.ocsp-req", NULL };
	struct outcome o = run("gw-rsa2048.crt", req, REVOCATION_IFURI);

	ck_assert_int_eq(o.verdict, 0);
	ck_assert(in_log("the gateway's OCSP response is not for"));
}
END_TEST

static Suite *
revocation_suite(void)
{
	Suite *s = suite_create("revocation");
	TCase *tc = tcase_create("gateway_ocsp");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, rev_gateway_good);
	tcase_add_test(tc, rev_gateway_revoked);
	tcase_add_test(tc, rev_gateway_other_cert);
	tcase_add_test(tc, rev_gateway_untrusted_signer);
	tcase_add_test(tc, rev_gateway_garbage);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(revocation_suite)
