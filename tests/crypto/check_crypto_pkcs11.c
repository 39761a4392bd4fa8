/*
 * tests/crypto/check_crypto_pkcs11.c: keys on a PKCS#11 token
 * (crypto_pkcs11.h) and keys that sign elsewhere (crypto_pkey_new_remote).
 *
 * A SoftHSM 2 token is made once per test case in a temporary directory
 * (SOFTHSM2_CONF), with an ECDSA P-256 and an RSA-2048 key made by
 * openssl, imported with softhsm2-util, and the ECDSA certificate stored
 * with pkcs11-tool (OpenSC).  The module is named by the URI's
 * module-path, so the host's p11-kit configuration plays no part.  The
 * tests sign through the token and verify with the key files' public
 * halves; they need softhsm2, opensc and libengine-pkcs11-openssl
 * (scripts/deps.sh), and fail without them.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "crypto/crypto_pkcs11.h"
#include "crypto/crypto_sig.h"
#include "tests/check_util.h"

#define PIN	"ikeroam-check-1234"

static char dir[64];
static char module[128];
static char uri_ec[512], uri_rsa[512], uri_cert[512], uri_none[512];
static char uri_no_token[512];

static void
sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0) {
		fprintf(stderr, "check_crypto_pkcs11: failed: %s\n", cmd);
		abort();
	}
}

static void
token_setup(void)
{
	static const char *mods[] = {
		"/usr/lib/softhsm/libsofthsm2.so",
		"/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
	};
	char conf[128];
	FILE *f;
	size_t i;

	for (i = 0; i < sizeof(mods) / sizeof(mods[0]); i++)
		if (access(mods[i], R_OK) == 0)
			snprintf(module, sizeof(module), "%s", mods[i]);
	if (module[0] == '\0') {
		fprintf(stderr, "check_crypto_pkcs11: no SoftHSM module: "
		    "apt-get install softhsm2\n");
		abort();
	}
	snprintf(dir, sizeof(dir), "/tmp/ir-p11-check-XXXXXX");
	if (mkdtemp(dir) == NULL)
		abort();
	sh("mkdir %s/tokens", dir);
	snprintf(conf, sizeof(conf), "%s/softhsm2.conf", dir);
	if ((f = fopen(conf, "w")) == NULL)
		abort();
	fprintf(f, "directories.tokendir = %s/tokens\n"
	    "objectstore.backend = file\nlog.level = ERROR\n", dir);
	fclose(f);
	setenv("SOFTHSM2_CONF", conf, 1);
	sh("softhsm2-util --init-token --free --label ikeroam-check --pin "
	    PIN " --so-pin 5678 >/dev/null");
	sh("cd %s && openssl genpkey -algorithm EC -pkeyopt "
	    "ec_paramgen_curve:P-256 -out ec.pem 2>/dev/null && "
	    "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 "
	    "-out rsa.pem 2>/dev/null && "
	    "openssl pkey -in ec.pem -pubout -out ec.pub && "
	    "openssl pkey -in rsa.pem -pubout -out rsa.pub && "
	    "openssl req -new -x509 -key ec.pem -subj /CN=check-ec -days 2 "
	    "-outform DER -out ec.der 2>/dev/null && "
	    "openssl pkcs8 -topk8 -nocrypt -in ec.pem -out ec.p8 && "
	    "openssl pkcs8 -topk8 -nocrypt -in rsa.pem -out rsa.p8", dir);
	sh("softhsm2-util --import %s/ec.p8 --token ikeroam-check --label "
	    "ec --id 01 --pin " PIN " >/dev/null", dir);
	sh("softhsm2-util --import %s/rsa.p8 --token ikeroam-check --label "
	    "rsa --id 02 --pin " PIN " >/dev/null", dir);
	sh("pkcs11-tool --module %s --token-label ikeroam-check --login --pin "
	    PIN " --write-object %s/ec.der --type cert --id 01 --label ec "
	    ">/dev/null 2>&1", module, dir);
	snprintf(uri_ec, sizeof(uri_ec), "pkcs11:token=ikeroam-check;"
	    "object=ec;type=private?module-path=%s", module);
	snprintf(uri_rsa, sizeof(uri_rsa), "pkcs11:token=ikeroam-check;"
	    "id=%%02?module-path=%s", module);
	snprintf(uri_cert, sizeof(uri_cert), "pkcs11:token=ikeroam-check;"
	    "object=ec;type=cert?module-path=%s", module);
	snprintf(uri_none, sizeof(uri_none), "pkcs11:token=ikeroam-check;"
	    "object=nobody?module-path=%s", module);
	snprintf(uri_no_token, sizeof(uri_no_token), "pkcs11:token=absent;"
	    "object=ec?module-path=%s", module);
}

static void
token_teardown(void)
{
	if (dir[0] != '\0')
		sh("rm -rf %s", dir);
}

static struct crypto_pkey *
pub_of(const char *name)
{
	char path[128];
	struct crypto_pkey *k;
	uint8_t buf[2048];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	ck_assert_int_eq(crypto_pkey_load_public(&k, buf, n), 0);
	return k;
}

/* Sign |alg| with |key| (on the token or remote), verify with |pub|. */
static void
sign_verify(const struct crypto_pkey *key, const struct crypto_pkey *pub,
    uint8_t kind, uint8_t hash, uint16_t salt)
{
	struct crypto_sig_alg alg = { kind, hash, salt };
	static const uint8_t msg[] = "the octets of RFC 7296 section 2.15";
	uint8_t sig[CRYPTO_SIG_MAX];
	size_t n;
	int rv;

	rv = crypto_sig_sign(key, &alg, msg, sizeof(msg), sig, sizeof(sig), &n);
	ck_assert_msg(rv == 0, "scheme %u hash %u: %s", kind, hash,
	    ir_strerror(rv));
	ck_assert_uint_gt(n, 0);
	ck_assert_int_eq(crypto_sig_verify(pub, &alg, msg, sizeof(msg), sig,
	    n), 0);
	sig[n / 2] ^= 1;
	ck_assert_int_eq(crypto_sig_verify(pub, &alg, msg, sizeof(msg), sig,
	    n), IR_ERR_AUTH);
}

START_TEST(token_found)
{
	struct crypto_token_info ti;
	char why[512];

	ck_assert_int_eq(crypto_pkcs11_find_token(uri_ec, &ti, why,
	    sizeof(why)), 0);
	ck_assert_str_eq(ti.label, "ikeroam-check");
	ck_assert_str_eq(ti.manufacturer, "SoftHSM project");
	ck_assert(ti.login_required);
	ck_assert(!ti.pin_locked);
	ck_assert_int_eq(crypto_pkcs11_find_token(uri_no_token, &ti, why,
	    sizeof(why)), IR_ERR_NOT_FOUND);
	ck_assert_ptr_nonnull(strstr(why, "no PKCS#11 token matches"));
	ck_assert(crypto_pkcs11_is_uri(uri_ec));
	ck_assert(!crypto_pkcs11_is_uri("/etc/ikeroam/key.pem"));
	ck_assert(!crypto_pkcs11_is_uri(NULL));
}
END_TEST

START_TEST(ecdsa_sign)
{
	struct crypto_pkcs11 *t;
	struct crypto_pkey *key, *pub = pub_of("ec.pub"), *cpub;
	struct crypto_cert *cert;
	char why[512];
	uint8_t auth[CRYPTO_AUTH_DATA_MAX], method;
	struct crypto_sig_alg alg;
	static const uint8_t octets[64] = { 1, 2, 3 };
	size_t n;

	ck_assert_int_eq(crypto_pkcs11_open(&t, uri_ec, NULL, why,
	    sizeof(why)), 0);
	ck_assert_int_eq(crypto_pkcs11_cert(t, uri_cert, &cert, why,
	    sizeof(why)), 0);
	ck_assert_int_eq(crypto_pkcs11_key(t, uri_ec, PIN, &key, why,
	    sizeof(why)), 0);
	ck_assert_int_eq(crypto_pkey_type(key), CRYPTO_KEY_ECDSA);
	ck_assert_uint_eq(crypto_pkey_bits(key), 256);
	ck_assert(crypto_pkey_is_private(key));
	ck_assert(crypto_pkey_equal(key, pub));
	ck_assert_int_eq(crypto_cert_pubkey(cert, &cpub), 0);
	ck_assert(crypto_pkey_equal(key, cpub));
	sign_verify(key, pub, CRYPTO_SIG_ECDSA, CRYPTO_HASH_SHA2_256, 0);
	sign_verify(key, pub, CRYPTO_SIG_ECDSA, CRYPTO_HASH_SHA2_384, 0);
	/* RFC 4754 AUTH (method 9: r | s) from the token. */
	ck_assert_int_eq(crypto_sig_choose(key, 0, false, &method, &alg), 0);
	ck_assert_uint_eq(method, CRYPTO_AUTH_ECDSA_SHA256_P256);
	ck_assert_int_eq(crypto_auth_sign(key, method, &alg, octets,
	    sizeof(octets), auth, sizeof(auth), &n), 0);
	ck_assert_uint_eq(n, 64);
	ck_assert_int_eq(crypto_auth_verify(pub, method, auth, n, octets,
	    sizeof(octets), NULL), 0);
	crypto_pkey_free(key);
	crypto_pkey_free(cpub);
	crypto_pkey_free(pub);
	crypto_cert_free(cert);
	crypto_pkcs11_close(t);
}
END_TEST

START_TEST(rsa_sign)
{
	struct crypto_pkcs11 *t;
	struct crypto_pkey *key, *pub = pub_of("rsa.pub");
	char why[512];

	ck_assert_int_eq(crypto_pkcs11_open(&t, uri_rsa, NULL, why,
	    sizeof(why)), 0);
	ck_assert_int_eq(crypto_pkcs11_key(t, uri_rsa, PIN, &key, why,
	    sizeof(why)), 0);
	ck_assert_int_eq(crypto_pkey_type(key), CRYPTO_KEY_RSA);
	ck_assert_uint_eq(crypto_pkey_bits(key), 2048);
	ck_assert(crypto_pkey_equal(key, pub));
	sign_verify(key, pub, CRYPTO_SIG_RSA_PKCS1, CRYPTO_HASH_SHA2_256, 0);
	sign_verify(key, pub, CRYPTO_SIG_RSA_PKCS1, CRYPTO_HASH_SHA2_512, 0);
	sign_verify(key, pub, CRYPTO_SIG_RSA_PSS, CRYPTO_HASH_SHA2_256, 32);
	crypto_pkey_free(key);
	crypto_pkey_free(pub);
	crypto_pkcs11_close(t);
}
END_TEST

/* A wrong PIN is tried once and refused; the right one works after it
 * (SoftHSM does not lock, so this shows nothing retried it either). */
START_TEST(wrong_pin)
{
	struct crypto_pkcs11 *t;
	struct crypto_pkey *key = NULL;
	char why[512];

	ck_assert_int_eq(crypto_pkcs11_open(&t, uri_ec, NULL, why,
	    sizeof(why)), 0);
	ck_assert_int_eq(crypto_pkcs11_key(t, uri_ec, "not-the-pin", &key,
	    why, sizeof(why)), IR_ERR_AUTH);
	ck_assert_ptr_null(key);
	ck_assert_ptr_nonnull(strstr(why, "wrong PIN"));
	crypto_pkcs11_close(t);
	/* Without a PIN: the private key is not visible. */
	ck_assert_int_eq(crypto_pkcs11_open(&t, uri_ec, NULL, why,
	    sizeof(why)), 0);
	ck_assert_int_eq(crypto_pkcs11_key(t, uri_ec, NULL, &key, why,
	    sizeof(why)), IR_ERR_NOT_FOUND);
	crypto_pkcs11_close(t);
	ck_assert_int_eq(crypto_pkcs11_open(&t, uri_ec, NULL, why,
	    sizeof(why)), 0);
	ck_assert_int_eq(crypto_pkcs11_key(t, uri_ec, PIN, &key, why,
	    sizeof(why)), 0);
	crypto_pkey_free(key);
	crypto_pkcs11_close(t);
}
END_TEST

START_TEST(not_found)
{
	struct crypto_pkcs11 *t = NULL;
	struct crypto_pkey *key = NULL;
	struct crypto_cert *cert = NULL;
	char why[512], uri[600];

	ck_assert_int_eq(crypto_pkcs11_open(&t, uri_no_token, NULL, why,
	    sizeof(why)), IR_ERR_NOT_FOUND);
	ck_assert_ptr_null(t);
	ck_assert_int_eq(crypto_pkcs11_open(&t, uri_none, NULL, why,
	    sizeof(why)), 0);
	ck_assert_int_eq(crypto_pkcs11_key(t, uri_none, PIN, &key, why,
	    sizeof(why)), IR_ERR_NOT_FOUND);
	ck_assert_ptr_nonnull(strstr(why, "no private key matches"));
	ck_assert_int_eq(crypto_pkcs11_cert(t, uri_none, &cert, why,
	    sizeof(why)), IR_ERR_NOT_FOUND);
	crypto_pkcs11_close(t);
	/* A PIN in the URI, a module that is not there, not a URI. */
	snprintf(uri, sizeof(uri), "pkcs11:token=ikeroam-check;object=ec?"
	    "pin-value=" PIN "&module-path=%s", module);
	ck_assert_int_eq(crypto_pkcs11_open(&t, uri, NULL, why, sizeof(why)),
	    IR_ERR_MALFORMED);
	ck_assert_int_eq(crypto_pkcs11_open(&t, "pkcs11:token=x?module-path="
	    "/nonexistent/module.so", NULL, why, sizeof(why)), IR_ERR_CONFIG);
	ck_assert_int_eq(crypto_pkcs11_open(&t, "pkcs12:token=x", NULL, why,
	    sizeof(why)), IR_ERR_MALFORMED);
}
END_TEST

/* crypto_pkey_new_remote(): signatures come from the callback. */
static int calls;

static int
sign_with(void *arg, const struct crypto_sig_alg *alg, const uint8_t *data,
    size_t len, uint8_t *sig, size_t cap, size_t *sig_len)
{
	calls++;
	return crypto_sig_sign(arg, alg, data, len, sig, cap, sig_len);
}

START_TEST(remote_key)
{
	struct crypto_pkcs11 *t;
	struct crypto_pkey *key, *pub = pub_of("rsa.pub"), *rk;
	struct crypto_sig_alg alg;
	uint8_t auth[CRYPTO_AUTH_DATA_MAX], method;
	static const uint8_t octets[80] = { 9 };
	char why[512];
	size_t n;

	ck_assert_int_eq(crypto_pkcs11_open(&t, uri_rsa, NULL, why,
	    sizeof(why)), 0);
	ck_assert_int_eq(crypto_pkcs11_key(t, uri_rsa, PIN, &key, why,
	    sizeof(why)), 0);
	ck_assert_int_eq(crypto_pkey_new_remote(&rk, pub, sign_with, key), 0);
	ck_assert(crypto_pkey_is_remote(rk));
	ck_assert(!crypto_pkey_is_remote(key));
	ck_assert(crypto_pkey_is_private(rk));
	ck_assert(crypto_pkey_equal(rk, pub));
	/* RFC 7427 with the peer's SHA-256: method 14, RSA PKCS#1. */
	ck_assert_int_eq(crypto_sig_choose(rk, CRYPTO_HASH_BIT(2), false,
	    &method, &alg), 0);
	ck_assert_uint_eq(method, CRYPTO_AUTH_DIGITAL_SIG);
	ck_assert_int_eq(crypto_auth_sign(rk, method, &alg, octets,
	    sizeof(octets), auth, sizeof(auth), &n), 0);
	ck_assert_int_eq(calls, 1);
	ck_assert_int_eq(crypto_auth_verify(pub, method, auth, n, octets,
	    sizeof(octets), NULL), 0);
	/* A scheme that does not fit the key never reaches the signer. */
	alg.kind = CRYPTO_SIG_ECDSA;
	ck_assert_int_eq(crypto_sig_sign(rk, &alg, octets, sizeof(octets),
	    auth, sizeof(auth), &n), IR_ERR_AUTH);
	ck_assert_int_eq(calls, 1);
	crypto_pkey_free(rk);
	crypto_pkey_free(key);
	crypto_pkey_free(pub);
	crypto_pkcs11_close(t);
}
END_TEST

Suite *pkcs11_suite(void);

/*
 * The libp11 engine (libengine-pkcs11-openssl), loaded by OpenSSL's
 * dynamic engine loader, allocates its key methods when it is bound and
 * never frees them; unloaded at exit, its frames cannot even be named
 * for a suppression.  Under LeakSanitizer these tests do not count
 * leaks (each runs in its own child); the sanitizer still checks every
 * access.
 */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
static void
engine_leaks_off(void)
{
	__lsan_disable();
}
#else
static void
engine_leaks_off(void)
{
}
#endif

Suite *
pkcs11_suite(void)
{
	Suite *s = suite_create("pkcs11");
	TCase *tc = tcase_create("softhsm");

	tcase_add_unchecked_fixture(tc, token_setup, token_teardown);
	tcase_add_checked_fixture(tc, engine_leaks_off, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, token_found);
	tcase_add_test(tc, ecdsa_sign);
	tcase_add_test(tc, rsa_sign);
	tcase_add_test(tc, wrong_pin);
	tcase_add_test(tc, not_found);
	tcase_add_test(tc, remote_key);
	suite_add_tcase(s, tc);
	return s;
}
