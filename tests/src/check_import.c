/*
 * tests/src/check_import.c: the importers of `ikeroam import` on files
 * written for these tests after the published formats (strongSwan's
 * "Android VPN client profiles", Apple's VPN and certificate payloads),
 * signed with `openssl cms -sign` (tests/src/import/mk-test-files.sh),
 * and on hostile variants made here: huge base64, deep nesting, wrong
 * types, NUL and control characters, path traversal in names, truncated
 * PKCS#12, bad and untrusted signatures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "common/ir_err.h"
#include "crypto/crypto_import.h"
#include "src/import.h"
#include "tests/check_main.h"
#include "tests/check_util.h"

struct blob {
	uint8_t	*p;
	size_t	 len;
};

static char *
data_path(const char *name)
{
	const char *top = getenv("top_srcdir");
	static char path[1024];

	snprintf(path, sizeof(path), "%s/tests/src/import/%s",
	    top != NULL ? top : "..", name);
	return path;
}

static struct blob
rd(const char *name)
{
	struct blob b = { NULL, 0 };
	FILE *f = fopen(data_path(name), "rb");
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", data_path(name));
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 1);
	rewind(f);
	b.p = t_alloc((size_t)n + 1);
	ck_assert_uint_eq(fread(b.p, 1, (size_t)n, f), (size_t)n);
	b.p[n] = '\0';
	b.len = (size_t)n;
	fclose(f);
	return b;
}

static struct blob
str_blob(const char *s)
{
	struct blob b = { t_alloc(strlen(s) + 1), strlen(s) };

	memcpy(b.p, s, b.len + 1);
	return b;
}

static const char *
pstr(struct import *im, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(im->profile, key, &v))
		return NULL;
	return json_object_get_string(v);
}

static bool
has_note(struct import *im, const char *part)
{
	size_t i;

	for (i = 0; i < im->nnotes; i++)
		if (strstr(im->notes[i], part) != NULL)
			return true;
	return false;
}

static const struct import_file *
file_for(struct import *im, const char *suffix)
{
	size_t i;

	for (i = 0; i < im->nfiles; i++)
		if (strcmp(im->files[i].suffix, suffix) == 0)
			return &im->files[i];
	return NULL;
}

/* Link the files as cmd_import does and check the result with
 * import_validate(). */
static int
link_and_validate(struct import *im, char *err, size_t err_len)
{
	ck_assert_int_eq(import_link_files(im, "/etc/ikeroam", "t"), 0);
	return import_validate(im->profile, err, err_len);
}

/* ---- import_util.c ---------------------------------------------------- */

START_TEST(base64_decodes)
{
	uint8_t *out;
	size_t len;

	ck_assert_int_eq(import_base64("aGVs\nbG8=", 9, 100, &out, &len), 0);
	ck_assert_uint_eq(len, 5);
	ck_assert_mem_eq(out, "hello", 5);
	free(out);
	ck_assert_int_eq(import_base64("aGVsbG8", 7, 100, &out, &len), 0);
	ck_assert_uint_eq(len, 5);
	free(out);
	ck_assert_int_eq(import_base64("aGV*bG8=", 8, 100, &out, &len),
	    IR_ERR_MALFORMED);
	ck_assert_int_eq(import_base64("aG=Vs", 5, 100, &out, &len),
	    IR_ERR_MALFORMED);
	ck_assert_int_eq(import_base64("aGVsbG8=", 8, 4, &out, &len),
	    IR_ERR_NOBUF);
	ck_assert_int_eq(import_base64("", 0, 4, &out, &len),
	    IR_ERR_MALFORMED);
	/* Non-zero bits in the last character's padding. */
	ck_assert_int_eq(import_base64("aGVsbG9=", 8, 100, &out, &len),
	    IR_ERR_MALFORMED);
}
END_TEST

START_TEST(names)
{
	char n[IMPORT_NAME_MAX + 1];
	char longname[300];

	ck_assert(import_name_from("Work VPN (EAP)", n, sizeof(n)));
	ck_assert_str_eq(n, "Work-VPN-EAP");
	ck_assert(import_name_from("../../etc/passwd", n, sizeof(n)));
	ck_assert_str_eq(n, "etc-passwd");
	ck_assert(import_name_from("\x1b[2Jevil\r\n", n, sizeof(n)));
	ck_assert_str_eq(n, "2Jevil");
	ck_assert(!import_name_from("/// ..", n, sizeof(n)));
	ck_assert(!import_name_from("\xe2\x80\xae", n, sizeof(n)));
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ck_assert(import_name_from(longname, n, sizeof(n)));
	ck_assert_uint_eq(strlen(n), IMPORT_NAME_MAX);
	ck_assert(import_name_valid("work-2.home_1"));
	ck_assert(!import_name_valid("../x"));
	ck_assert(!import_name_valid(".hidden"));
	ck_assert(!import_name_valid("-opt"));
	ck_assert(!import_name_valid("a b"));
	ck_assert(!import_name_valid(""));
	ck_assert(!import_name_valid(longname));
}
END_TEST

START_TEST(text)
{
	ck_assert(import_text_ok("Z\xc3\xbcrich VPN", 11));
	ck_assert(!import_text_ok("a\x1b[31m", 6));
	ck_assert(!import_text_ok("a\x7f", 2));
	ck_assert(!import_text_ok("\xc2\x85", 2));		/* C1 NEL */
	ck_assert(!import_text_ok("a\xe2\x80\xae" "b", 5));	/* RLO */
	ck_assert(!import_text_ok("\xe2\x81\xa6", 3));		/* LRI */
	ck_assert(!import_text_ok("\xc0\xaf", 2));		/* overlong */
	ck_assert(!import_text_ok("\xed\xa0\x80", 3));		/* surrogate */
	ck_assert(!import_text_ok("\xe2\x82", 2));		/* truncated */
	ck_assert(!import_text_ok("a\0b", 3));
}
END_TEST

static int
detect_str(const char *s)
{
	return import_detect((const uint8_t *)s, strlen(s));
}

START_TEST(detect)
{
	ck_assert_int_eq(detect_str(" {\"uuid\":1,\"type\":2}"),
	    IMPORT_FMT_SSWAN);
	ck_assert_int_eq(detect_str("\xef\xbb\xbf{\"gateway\":1}"),
	    IMPORT_FMT_NATIVE);
	ck_assert_int_eq(detect_str("\n<?xml"), IMPORT_FMT_MOBILECONFIG);
	ck_assert_int_eq(detect_str("PK\3\4"), IMPORT_FMT_UNKNOWN);
	ck_assert_int_eq(detect_str("  "), IMPORT_FMT_UNKNOWN);
}
END_TEST

/* ---- .sswan ----------------------------------------------------------- */

START_TEST(sswan_eap)
{
	struct blob b = rd("eap.sswan");
	const struct import_file *ca;
	struct import im;
	char err[256];

	import_init(&im);
	ck_assert_int_eq(import_sswan(b.p, b.len, &im), 0);
	ck_assert_str_eq(im.name, "Work-VPN-EAP");
	ck_assert_str_eq(pstr(&im, "gateway"), "vpn.example.com");
	ck_assert_str_eq(pstr(&im, "remote-id"), "vpn.example.com");
	ck_assert_str_eq(pstr(&im, "eap-user"), "alice");
	ck_assert_str_eq(pstr(&im, "id"), "alice");
	ck_assert_str_eq(pstr(&im, "ike"), "aes256gcm16-prfsha384-x25519");
	ck_assert_str_eq(pstr(&im, "esp"), "aes256gcm16");
	ck_assert_str_eq(pstr(&im, "mtu"), "1400");
	ca = file_for(&im, "ca.pem");
	ck_assert_ptr_nonnull(ca);
	ck_assert(!ca->secret);
	ck_assert_ptr_nonnull(strstr((char *)ca->data, "BEGIN CERTIFICATE"));
	ck_assert(has_note(&im, "split-tunneling.excluded"));
	ck_assert(has_note(&im, "split-tunneling.subnets"));
	ck_assert(has_note(&im, "dns-servers"));
	ck_assert(has_note(&im, "remote.certreq"));
	ck_assert_ptr_null(im.p12.der);
	ck_assert_int_eq(link_and_validate(&im, err, sizeof(err)), 0);
	ck_assert_str_eq(pstr(&im, "ca"), "/etc/ikeroam/t.ca.pem");
	import_clear(&im);
}
END_TEST

START_TEST(sswan_cert)
{
	struct blob b = rd("cert.sswan");
	struct crypto_p12_pem pem;
	struct import im;

	import_init(&im);
	ck_assert_int_eq(import_sswan(b.p, b.len, &im), 0);
	ck_assert_str_eq(pstr(&im, "gateway"), "198.51.100.10");
	ck_assert_str_eq(pstr(&im, "port"), "500");
	ck_assert_ptr_null(pstr(&im, "ike"));	/* modp1024: dropped */
	ck_assert(has_note(&im, "modp1024"));
	ck_assert(has_note(&im, "remote.revocation"));
	ck_assert_str_eq(pstr(&im, "keepalive"), "20000");
	ck_assert_ptr_nonnull(im.p12.der);
	ck_assert(im.p12.set_id);
	ck_assert_int_eq(crypto_p12_to_pem(im.p12.der, im.p12.len, NULL, NULL,
	    &pem), IR_ERR_AUTH);
	ck_assert_int_eq(crypto_p12_to_pem(im.p12.der, im.p12.len, "wrong",
	    NULL, &pem), IR_ERR_AUTH);
	ck_assert_int_eq(crypto_p12_to_pem(im.p12.der, im.p12.len, "test-p12",
	    NULL, &pem), 0);
	ck_assert_str_eq(pem.san_id, "alice@example.com");
	ck_assert_ptr_nonnull(strstr(pem.subject, "CN=alice"));
	ck_assert_ptr_nonnull(strstr(pem.key, "BEGIN PRIVATE KEY"));
	ck_assert_uint_eq(pem.n_cas, 1);
	crypto_p12_pem_clear(&pem);
	/* Re-encrypted on request. */
	ck_assert_int_eq(crypto_p12_to_pem(im.p12.der, im.p12.len, "test-p12",
	    "new pass", &pem), 0);
	ck_assert_ptr_nonnull(strstr(pem.key, "BEGIN ENCRYPTED PRIVATE KEY"));
	crypto_p12_pem_clear(&pem);
	import_clear(&im);
}
END_TEST

START_TEST(p12_variants)
{
	struct blob b = rd("alice-nopass.p12"), p = rd("alice.p12");
	struct crypto_p12_pem pem;
	size_t cut;

	ck_assert_int_eq(crypto_p12_to_pem(b.p, b.len, NULL, NULL, &pem), 0);
	ck_assert_uint_eq(pem.n_cas, 0);
	crypto_p12_pem_clear(&pem);
	ck_assert_int_eq(crypto_p12_to_pem(b.p, b.len, "", NULL, &pem), 0);
	crypto_p12_pem_clear(&pem);
	/* Truncated at every 97th byte: never accepted, never a crash. */
	for (cut = 0; cut < p.len; cut += 97)
		ck_assert_int_ne(crypto_p12_to_pem(p.p, cut, "test-p12", NULL,
		    &pem), 0);
	ck_assert_int_eq(crypto_p12_to_pem((const uint8_t *)"garbage", 7,
	    NULL, NULL, &pem), IR_ERR_MALFORMED);
}
END_TEST

static int
sswan_str(const char *json, struct import *im)
{
	struct blob b = str_blob(json);

	import_init(im);
	return import_sswan(b.p, b.len, im);
}

#define SSWAN_HEAD "{\"uuid\":\"6a3c9f52-1b7e-4c1d-9a0e-2f4b8d7c6e51\","

static const struct refusal {
	const char	*json;
	const char	*err;		/* a part of im.err */
} sswan_refusals[] = {
	{ "[1,2]", "not an object" },
	{ "{\"uuid\":", "ends too early" },
	{ SSWAN_HEAD "\"name\":\"x\",\"type\":\"ikev2-eap\",\"remote\":"
	    "{\"addr\":\"gw\"},\"local\":{\"eap_id\":\"a\"}} trailing",
	    "not valid JSON" },
	{ "{\"name\":\"x\",\"type\":\"ikev2-eap\"}", "uuid: missing" },
	{ "{\"uuid\":\"not-a-uuid\",\"name\":\"x\"}", "RFC 4122" },
	{ SSWAN_HEAD "\"type\":\"ikev2-eap\"}", "name: missing" },
	{ SSWAN_HEAD "\"name\":7,\"type\":\"ikev2-eap\"}", "must be a string" },
	{ SSWAN_HEAD "\"name\":\"a\\u0000b\",\"type\":\"ikev2-eap\"}",
	    "control characters" },
	{ SSWAN_HEAD "\"name\":\"\\u001b[2J\",\"type\":\"ikev2-eap\"}",
	    "control characters" },
	{ SSWAN_HEAD "\"name\":\"\\u202e\",\"type\":\"ikev2-eap\"}",
	    "control characters" },
	{ SSWAN_HEAD "\"name\":\"x\",\"type\":\"ikev2-psk\"}", "knows" },
	{ SSWAN_HEAD "\"name\":\"x\",\"type\":\"ikev2-eap-tls\"}", "EAP-TLS" },
	{ SSWAN_HEAD "\"name\":\"x\",\"type\":\"ikev2-cert-eap\"}", "RFC 4739" },
	{ SSWAN_HEAD "\"name\":\"x\",\"type\":\"ikev2-byod-eap\"}", "BYOD" },
	{ SSWAN_HEAD "\"name\":\"x\",\"type\":\"ikev2-eap\"}", "remote: missing" },
	{ SSWAN_HEAD "\"name\":\"x\",\"type\":\"ikev2-eap\",\"remote\":\"gw\"}",
	    "must be an object" },
	{ SSWAN_HEAD "\"name\":\"x\",\"type\":\"ikev2-eap\",\"remote\":{}}",
	    "remote.addr: missing" },
	{ SSWAN_HEAD "\"name\":\"x\",\"type\":\"ikev2-eap\",\"remote\":"
	    "{\"addr\":\"gw; rm -rf /\"}}", "not a host name" },
	{ SSWAN_HEAD "\"name\":\"x\",\"type\":\"ikev2-eap\",\"remote\":"
	    "{\"addr\":\"gw\",\"port\":70000}}", "from 1 to 65535" },
	{ SSWAN_HEAD "\"name\":\"x\",\"type\":\"ikev2-eap\",\"remote\":"
	    "{\"addr\":\"gw\",\"port\":true}}", "must be a number" },
	{ SSWAN_HEAD "\"name\":\"x\",\"type\":\"ikev2-eap\",\"remote\":"
	    "{\"addr\":\"gw\",\"certreq\":\"no\"}}", "true or false" },
	{ SSWAN_HEAD "\"name\":\"x\",\"type\":\"ikev2-eap\",\"remote\":"
	    "{\"addr\":\"gw\",\"cert\":\"!!!\"}}", "remote.cert" },
	{ SSWAN_HEAD "\"name\":\"x\",\"type\":\"ikev2-eap\",\"remote\":"
	    "{\"addr\":\"gw\",\"cert\":\"aGVsbG8=\"}}", "X.509" },
	{ SSWAN_HEAD "\"name\":\"x\",\"type\":\"ikev2-eap\",\"remote\":"
	    "{\"addr\":\"gw\"}}", "local.eap_id: missing" },
	{ SSWAN_HEAD "\"name\":\"x\",\"type\":\"ikev2-cert\",\"remote\":"
	    "{\"addr\":\"gw\"}}", "local.p12: missing" },
	{ SSWAN_HEAD "\"name\":\"x\",\"type\":\"ikev2-cert\",\"remote\":"
	    "{\"addr\":\"gw\"},\"local\":{\"p12\":\"#\"}}", "base64" },
	{ SSWAN_HEAD "\"name\":\"x\",\"type\":\"ikev2-eap\",\"remote\":"
	    "{\"addr\":\"gw\"},\"local\":{\"eap_id\":\"a\"},\"mtu\":\"big\"}",
	    "mtu" },
};

START_TEST(sswan_refused)
{
	const struct refusal *r = &sswan_refusals[_i];
	struct import im;

	ck_assert_int_ne(sswan_str(r->json, &im), 0);
	ck_assert_msg(strstr(im.err, r->err) != NULL, "case %d: '%s' lacks "
	    "'%s'", _i, im.err, r->err);
	import_clear(&im);
}
END_TEST

START_TEST(sswan_deep_and_huge)
{
	struct import im;
	char *deep, *huge;
	size_t i, n = 100000;

	/* Nesting far past the limit: a clean refusal, no recursion. */
	deep = malloc(2 * n + 1);
	ck_assert_ptr_nonnull(deep);
	for (i = 0; i < n; i++) {
		deep[i] = '[';
		deep[n + i] = ']';
	}
	deep[2 * n] = '\0';
	ck_assert_int_ne(sswan_str(deep, &im), 0);
	ck_assert_ptr_nonnull(strstr(im.err, "nested too deeply"));
	import_clear(&im);
	free(deep);

	/* A remote.cert of 900 KB of base64 that is not a certificate. */
	huge = malloc(1000000);
	ck_assert_ptr_nonnull(huge);
	i = (size_t)snprintf(huge, 200, SSWAN_HEAD "\"name\":\"x\",\"type\":"
	    "\"ikev2-eap\",\"local\":{\"eap_id\":\"a\"},\"remote\":{\"addr\":"
	    "\"gw\",\"cert\":\"");
	memset(huge + i, 'A', 900000);
	strcpy(huge + i + 900000, "\"}}");
	ck_assert_int_ne(sswan_str(huge, &im), 0);
	ck_assert_ptr_nonnull(strstr(im.err, "remote.cert"));
	import_clear(&im);
	/* More than IMPORT_INPUT_MAX in all. */
	free(huge);
	huge = malloc(IMPORT_INPUT_MAX + 100);
	ck_assert_ptr_nonnull(huge);
	memset(huge, ' ', IMPORT_INPUT_MAX + 99);
	huge[0] = '{';
	huge[IMPORT_INPUT_MAX + 98] = '}';
	huge[IMPORT_INPUT_MAX + 99] = '\0';
	ck_assert_int_ne(sswan_str(huge, &im), 0);
	ck_assert_ptr_nonnull(strstr(im.err, "larger than"));
	import_clear(&im);
	free(huge);
}
END_TEST

START_TEST(sswan_traversal_and_unknown)
{
	struct import im;

	ck_assert_int_eq(sswan_str(SSWAN_HEAD "\"name\":\"../../etc/passwd\","
	    "\"type\":\"ikev2-eap\",\"remote\":{\"addr\":\"gw\",\"x-new\":1},"
	    "\"local\":{\"eap_id\":\"a\"},\"future\":true,\"\\u001bkey\":1}",
	    &im), 0);
	ck_assert_str_eq(im.name, "etc-passwd");
	ck_assert(has_note(&im, "future: unknown key"));
	ck_assert(has_note(&im, "remote.x-new: unknown key"));
	ck_assert(has_note(&im, "control characters"));
	ck_assert(has_note(&im, "remote.cert: none"));	/* an info line */
	import_clear(&im);
	/* No name left at all: the caller asks for --name. */
	ck_assert_int_eq(sswan_str(SSWAN_HEAD "\"name\":\"///\",\"type\":"
	    "\"ikev2-eap\",\"remote\":{\"addr\":\"gw\"},\"local\":{\"eap_id\":"
	    "\"a\"}}", &im), 0);
	ck_assert_str_eq(im.name, "");
	import_clear(&im);
}
END_TEST

START_TEST(sswan_truncated)
{
	struct blob b = rd("eap.sswan");
	struct import im;
	size_t cut;

	/* Every prefix of a good file is refused with a line, or (when the
	 * cut falls in trailing whitespace) accepted. */
	for (cut = 0; cut < b.len; cut += 7) {
		import_init(&im);
		if (import_sswan(b.p, cut, &im) != 0)
			ck_assert_uint_gt(strlen(im.err), 0);
		import_clear(&im);
	}
}
END_TEST

/* ---- .mobileconfig ---------------------------------------------------- */

START_TEST(mc_psk)
{
	struct blob b = rd("psk.mobileconfig");
	const struct import_file *psk;
	struct import im;
	char err[256];

	import_init(&im);
	ck_assert_int_eq(import_mobileconfig(b.p, b.len, &im), 0);
	ck_assert_str_eq(im.name, "home-psk");
	ck_assert_str_eq(pstr(&im, "gateway"), "192.0.2.1");
	ck_assert_str_eq(pstr(&im, "id"), "client@example.com");
	ck_assert_str_eq(pstr(&im, "remote-id"), "192.0.2.1");
	psk = file_for(&im, "psk");
	ck_assert_ptr_nonnull(psk);
	ck_assert(psk->secret);
	ck_assert_str_eq((char *)psk->data, "a long pre-shared key for tests");
	ck_assert_ptr_null(pstr(&im, "ike"));	/* 3DES: defaults */
	ck_assert(has_note(&im, "3DES"));
	ck_assert_str_eq(pstr(&im, "keepalive"), "20000");
	ck_assert(!has_note(&im, "no CA certificate"));
	ck_assert_ptr_null(file_for(&im, "ca.pem"));
	ck_assert_uint_eq(im.nfiles, 1);
	ck_assert_int_eq(link_and_validate(&im, err, sizeof(err)), 0);
	ck_assert_str_eq(pstr(&im, "psk-file"), "/etc/ikeroam/t.psk");
	import_clear(&im);
}
END_TEST

START_TEST(mc_eap)
{
	struct blob b = rd("eap.mobileconfig");
	const struct import_file *pw;
	struct import im;
	char err[256];

	import_init(&im);
	ck_assert_int_eq(import_mobileconfig(b.p, b.len, &im), 0);
	ck_assert_str_eq(im.name, "Example-EAP");
	ck_assert_str_eq(pstr(&im, "eap-user"), "alice");
	ck_assert_str_eq(pstr(&im, "id"), "alice");
	ck_assert_str_eq(pstr(&im, "ike"), "aes256gcm16-prfsha384-ecp256");
	ck_assert_str_eq(pstr(&im, "esp"), "aes256gcm16");
	ck_assert_str_eq(pstr(&im, "no-mobike"), "true");
	ck_assert_str_eq(pstr(&im, "no-redirect"), "true");
	pw = file_for(&im, "password");
	ck_assert_ptr_nonnull(pw);
	ck_assert(pw->secret);
	ck_assert_str_eq((char *)pw->data, "s3cret pass");
	ck_assert_ptr_nonnull(file_for(&im, "ca.pem"));
	ck_assert_str_eq(pstr(&im, "dpd"), "600000");
	ck_assert(has_note(&im, "LifeTimeInMinutes"));
	ck_assert_int_eq(link_and_validate(&im, err, sizeof(err)), 0);
	import_clear(&im);
}
END_TEST

START_TEST(mc_cert)
{
	struct blob b = rd("cert.mobileconfig");
	struct crypto_p12_pem pem;
	struct import im;

	import_init(&im);
	ck_assert_int_eq(import_mobileconfig(b.p, b.len, &im), 0);
	ck_assert_str_eq(im.name, "Office-certificate");
	ck_assert_str_eq(pstr(&im, "gateway"), "203.0.113.5");
	ck_assert_str_eq(pstr(&im, "ike"), "aes256-sha256-prfsha256-modp2048");
	ck_assert_str_eq(pstr(&im, "esp"), "aes128gcm16-x25519");
	ck_assert_str_eq(pstr(&im, "kill-switch"), "true");
	ck_assert_str_eq(pstr(&im, "kill-switch-allow-lan"), "true");
	ck_assert(has_note(&im, "com.apple.wifi.managed"));
	ck_assert(has_note(&im, "OnDemandEnabled"));
	ck_assert_ptr_nonnull(im.p12.der);
	ck_assert_str_eq(im.p12.password, "test-p12");
	ck_assert(im.p12.set_id);
	ck_assert_int_eq(crypto_p12_to_pem(im.p12.der, im.p12.len,
	    im.p12.password, NULL, &pem), 0);
	crypto_p12_pem_clear(&pem);
	import_clear(&im);
}
END_TEST

START_TEST(mc_signed)
{
	struct blob s = rd("signed.mobileconfig"), c = rd("cert.mobileconfig");
	struct crypto_cms_opts o = { .ca_file = NULL };
	char signer[CRYPTO_LINE_MAX], why[CRYPTO_LINE_MAX];
	uint8_t *content;
	size_t len;

	ck_assert(crypto_cms_is_signed(s.p, s.len));
	ck_assert(!crypto_cms_is_signed(c.p, c.len));
	/* Trusted through the test CA. */
	o.ca_file = data_path("ca.pem");
	ck_assert_int_eq(crypto_cms_open(s.p, s.len, &o, &content, &len, signer,
	    sizeof(signer), why, sizeof(why)), 0);
	ck_assert_uint_eq(len, c.len);
	ck_assert_mem_eq(content, c.p, len);
	ck_assert_ptr_nonnull(strstr(signer, "CN=profiles.example.com"));
	free(content);
	/* The chain ends in a CA nobody configured. */
	o.ca_file = NULL;
	ck_assert_int_eq(crypto_cms_open(s.p, s.len, &o, &content, &len, signer,
	    sizeof(signer), why, sizeof(why)), IR_ERR_CERT);
	ck_assert_ptr_null(content);
	ck_assert_ptr_nonnull(strstr(why, "not trusted"));
	/* ... but --insecure-signature opens it. */
	o.insecure = true;
	ck_assert_int_eq(crypto_cms_open(s.p, s.len, &o, &content, &len, signer,
	    sizeof(signer), why, sizeof(why)), IR_ERR_CERT);
	ck_assert_ptr_nonnull(content);
	free(content);
}
END_TEST

START_TEST(mc_signed_bad)
{
	struct blob s = rd("signed.mobileconfig"), w = rd("signed-other.mobileconfig");
	struct crypto_cms_opts o = { .ca_file = data_path("ca.pem") };
	char signer[CRYPTO_LINE_MAX], why[CRYPTO_LINE_MAX];
	uint8_t *content;
	size_t len, i;

	/* Signed by someone the test CA never certified. */
	ck_assert_int_eq(crypto_cms_open(w.p, w.len, &o, &content, &len, signer,
	    sizeof(signer), why, sizeof(why)), IR_ERR_CERT);
	ck_assert_ptr_nonnull(strstr(signer, "CN=other signer"));
	/* One byte of the signed content changed: the signature fails. */
	for (i = 0; i + 6 < s.len; i++)
		if (memcmp(s.p + i, "Office", 6) == 0)
			break;
	ck_assert_uint_lt(i + 6, s.len);
	s.p[i] = 'X';
	ck_assert_int_eq(crypto_cms_open(s.p, s.len, &o, &content, &len, signer,
	    sizeof(signer), why, sizeof(why)), IR_ERR_AUTH);
	ck_assert_ptr_nonnull(strstr(why, "does not match"));
	ck_assert_ptr_null(content);
	s.p[i] = 'O';
	/* Truncated: not a SignedData at all. */
	ck_assert(!crypto_cms_is_signed(s.p, s.len - 1));
	ck_assert_int_eq(crypto_cms_open(s.p, s.len / 2, &o, &content, &len,
	    signer, sizeof(signer), why, sizeof(why)), IR_ERR_MALFORMED);
}
END_TEST

static int
mc_str(const char *xml, struct import *im)
{
	struct blob b = str_blob(xml);

	import_init(im);
	return import_mobileconfig(b.p, b.len, im);
}

#define MC_HEAD "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict>" \
	"<key>PayloadContent</key><array><dict><key>PayloadType</key>" \
	"<string>com.apple.vpn.managed</string><key>VPNType</key>" \
	"<string>IKEv2</string><key>IKEv2</key><dict>"
#define MC_TAIL "</dict></dict></array></dict></plist>"

static const struct refusal mc_refusals[] = {
	{ "<html><body>not a plist</body></html>", "property list" },
	{ "<?xml version=\"1.0\"?><plist version=\"1.0\"><array/></plist>",
	    "not a dictionary" },
	{ "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict/></plist>",
	    "PayloadContent" },
	{ "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>"
	    "PayloadContent</key><array><string>x</string></array></dict>"
	    "</plist>", "not a dictionary" },
	{ "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>"
	    "PayloadContent</key><array><dict><key>PayloadType</key><string>"
	    "com.apple.vpn.managed</string><key>VPNType</key><string>L2TP"
	    "</string></dict></array></dict></plist>", "no IKEv2 VPN payload" },
	{ MC_HEAD MC_TAIL, "RemoteAddress: missing" },
	{ MC_HEAD "<key>RemoteAddress</key><integer>5</integer>" MC_TAIL,
	    "must be a string" },
	{ MC_HEAD "<key>RemoteAddress</key><string>gw&#x1b;[2J</string>"
	    MC_TAIL, "control characters" },
	{ MC_HEAD "<key>RemoteAddress</key><string>-oProxyCommand</string>"
	    MC_TAIL, "not a host name" },
	{ MC_HEAD "<key>RemoteAddress</key><string>gw</string>"
	    "<key>LocalIdentifier</key><string>a</string>" MC_TAIL,
	    "SharedSecret: missing" },
	{ MC_HEAD "<key>RemoteAddress</key><string>gw</string>"
	    "<key>AuthenticationMethod</key><string>Certificate</string>"
	    MC_TAIL, "PayloadCertificateUUID: missing" },
	{ MC_HEAD "<key>RemoteAddress</key><string>gw</string>"
	    "<key>AuthenticationMethod</key><string>Certificate</string>"
	    "<key>PayloadCertificateUUID</key><string>U1</string>" MC_TAIL,
	    "no payload has" },
	{ MC_HEAD "<key>RemoteAddress</key><string>gw</string>"
	    "<key>AuthenticationMethod</key><string>Certificate</string>"
	    "<key>ExtendedAuthEnabled</key><true/>" MC_TAIL, "RFC 4739" },
	{ MC_HEAD "<key>RemoteAddress</key><string>gw</string>"
	    "<key>AuthenticationMethod</key><string>None</string>" MC_TAIL,
	    "authenticates nothing" },
	{ MC_HEAD "<key>RemoteAddress</key><string>gw</string>"
	    "<key>AuthenticationMethod</key><string>None</string>"
	    "<key>ExtendedAuthEnabled</key><integer>7</integer>" MC_TAIL,
	    "0 or 1" },
	{ MC_HEAD "<key>RemoteAddress</key><string>gw</string>"
	    "<key>AuthenticationMethod</key><string>None</string>"
	    "<key>ExtendedAuthEnabled</key><true/>" MC_TAIL, "AuthName" },
	{ MC_HEAD "<key>RemoteAddress</key><string>gw</string>"
	    "<key>AuthenticationMethod</key><string>None</string>"
	    "<key>ExtendedAuthEnabled</key><true/><key>PayloadCertificateUUID"
	    "</key><string>U</string>" MC_TAIL, "EAP-TLS" },
	{ MC_HEAD "<key>RemoteAddress</key><string>gw</string>"
	    "<key>AuthenticationMethod</key><string>Kerberos</string>"
	    MC_TAIL, "not SharedSecret" },
	{ MC_HEAD "<key>RemoteAddress</key><string>gw</string>"
	    "<key>SharedSecret</key><string>k</string><key>MTU</key>"
	    "<integer>70000</integer>" MC_TAIL, "MTU" },
	{ MC_HEAD "<key>RemoteAddress</key><string>gw</string>"
	    "<key>SharedSecret</key><string>k</string><key>"
	    "IKESecurityAssociationParameters</key><string>x</string>"
	    MC_TAIL, "must be a dictionary" },
	{ MC_HEAD "<key>RemoteAddress</key><string>gw</string>"
	    "<key>SharedSecret</key><string>k</string><key>"
	    "DeadPeerDetectionRate</key><string>Often</string>" MC_TAIL,
	    "not None, Low" },
	{ "bplist00\xd1\x01\x02", "binary property list" },
};

START_TEST(mc_refused)
{
	const struct refusal *r = &mc_refusals[_i];
	struct import im;

	ck_assert_int_ne(mc_str(r->json, &im), 0);
	ck_assert_msg(strstr(im.err, r->err) != NULL, "case %d: '%s' lacks "
	    "'%s'", _i, im.err, r->err);
	import_clear(&im);
}
END_TEST

START_TEST(mc_deep_and_truncated)
{
	struct blob b = rd("cert.mobileconfig");
	struct import im;
	char *deep;
	size_t i, n = 5000, cut, off;

	deep = malloc(n * 15 + 200);
	ck_assert_ptr_nonnull(deep);
	off = (size_t)sprintf(deep, "<?xml version=\"1.0\"?><plist>");
	for (i = 0; i < n; i++)
		off += (size_t)sprintf(deep + off, "<array>");
	for (i = 0; i < n; i++)
		off += (size_t)sprintf(deep + off, "</array>");
	sprintf(deep + off, "</plist>");
	ck_assert_int_ne(mc_str(deep, &im), 0);
	ck_assert_ptr_nonnull(strstr(im.err, "nested"));
	import_clear(&im);
	free(deep);
	for (cut = 0; cut < b.len; cut += 61) {
		import_init(&im);
		ck_assert_int_ne(import_mobileconfig(b.p, cut, &im), 0);
		ck_assert_uint_gt(strlen(im.err), 0);
		import_clear(&im);
	}
}
END_TEST

START_TEST(mc_truncated_p12)
{
	struct blob b = rd("cert.mobileconfig");
	struct crypto_p12_pem pem;
	struct import im;

	import_init(&im);
	ck_assert_int_eq(import_mobileconfig(b.p, b.len, &im), 0);
	ck_assert_int_eq(crypto_p12_to_pem(im.p12.der, im.p12.len / 2,
	    im.p12.password, NULL, &pem), IR_ERR_MALFORMED);
	import_clear(&im);
}
END_TEST

/* ---- ikeroam profiles ------------------------------------------------- */

static int
native_str(const char *json, struct import *im)
{
	struct blob b = str_blob(json);

	import_init(im);
	return import_native(b.p, b.len, im);
}

START_TEST(native_copy)
{
	const struct import_file *f;
	struct import im;
	char err[256];

	ck_assert_int_eq(native_str("{\"name\":\"lab\",\"gateway\":\"192.0.2.1\","
	    "\"id\":\"me@example.com\",\"psk\":\"secret psk\",\"transport\":"
	    "\"tcp\",\"no-mobike\":true,\"mtu\":\"1400\"}", &im), 0);
	ck_assert_str_eq(im.name, "lab");
	ck_assert_ptr_null(pstr(&im, "psk"));
	ck_assert_ptr_null(pstr(&im, "name"));
	f = file_for(&im, "psk");
	ck_assert_ptr_nonnull(f);
	ck_assert(f->secret);
	ck_assert_str_eq((char *)f->data, "secret psk");
	/* Issue 11 item 10: a PSK pins the gateway's identity. */
	ck_assert_str_eq(pstr(&im, "remote-id"), "192.0.2.1");
	ck_assert(has_note(&im, "remote-id: missing with a PSK"));
	ck_assert_int_eq(link_and_validate(&im, err, sizeof(err)), 0);
	import_clear(&im);
	ck_assert_int_eq(native_str("{\"gateway\":\"192.0.2.1\",\"id\":"
	    "\"a@b\",\"psk\":\"k\",\"remote-id\":\"gw.example\"}", &im), 0);
	ck_assert_str_eq(pstr(&im, "remote-id"), "gw.example");
	import_clear(&im);
}
END_TEST

/* A mobileconfig with a PSK but no RemoteIdentifier: its address. */
START_TEST(mc_psk_no_remote_id)
{
	static const char mc[] = MC_HEAD "<key>RemoteAddress</key><string>"
	    "198.51.100.1</string><key>LocalIdentifier</key><string>a"
	    "</string><key>SharedSecret</key><string>k</string>" MC_TAIL;
	struct import im;

	import_init(&im);
	ck_assert_int_eq(import_mobileconfig((const uint8_t *)mc,
	    sizeof(mc) - 1, &im), 0);
	ck_assert_str_eq(pstr(&im, "remote-id"), "198.51.100.1");
	ck_assert(has_note(&im, "RemoteIdentifier: missing"));
	import_clear(&im);
}
END_TEST

START_TEST(native_refused)
{
	struct import im;
	char err[256];

	ck_assert_int_ne(native_str("{\"gateway\":{\"a\":1}}", &im), 0);
	ck_assert_ptr_nonnull(strstr(im.err, "must not be an object"));
	import_clear(&im);
	ck_assert_int_ne(native_str("{\"ca\":[1]}", &im), 0);
	import_clear(&im);
	ck_assert_int_ne(native_str("{\"gateway\":\"a\\u0007\"}", &im), 0);
	import_clear(&im);
	ck_assert_int_ne(native_str("{\"psk\":\"a\",\"psk-file\":\"/x\"}",
	    &im), 0);
	import_clear(&im);
	/* Parses, but connect would refuse it: said by the validation. */
	ck_assert_int_eq(native_str("{\"gateway\":\"192.0.2.1\",\"id\":\"a@b\","
	    "\"psk-file\":\"/x\",\"gatway\":\"x\"}", &im), 0);
	ck_assert_int_ne(link_and_validate(&im, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "gatway"));
	import_clear(&im);
	ck_assert_int_eq(native_str("{\"gateway\":\"192.0.2.1\",\"id\":\"a@b\"}",
	    &im), 0);
	ck_assert_int_ne(link_and_validate(&im, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "authentication"));
	import_clear(&im);
	ck_assert_int_eq(native_str("{\"gateway\":\"192.0.2.1\",\"id\":\"a@b\","
	    "\"psk-file\":\"/x\",\"mtu\":[\"1\"]}", &im), 0);
	ck_assert_int_ne(link_and_validate(&im, err, sizeof(err)), 0);
	import_clear(&im);
	ck_assert_int_eq(native_str("{\"gateway\":\"192.0.2.1\",\"id\":\"a@b\","
	    "\"psk-file\":\"/x\",\"-g\":\"x\"}", &im), 0);
	ck_assert_int_ne(link_and_validate(&im, err, sizeof(err)), 0);
	import_clear(&im);
}
END_TEST

START_TEST(native_denied_and_rebased)
{
	struct json_object *ca;
	struct import im;

	ck_assert_int_eq(native_str("{\"gateway\":\"192.0.2.1\",\"script\":"
	    "\"/tmp/x\",\"status-file\":\"/etc/passwd\",\"no-privsep\":true,"
	    "\"control-group\":\"users\",\"ca\":[\"ca.pem\",\"/abs.pem\"],"
	    "\"cert\":\"sub/me.pem\"}", &im), 0);
	ck_assert_ptr_null(pstr(&im, "script"));
	ck_assert_ptr_null(pstr(&im, "status-file"));
	ck_assert_ptr_null(pstr(&im, "no-privsep"));
	ck_assert_ptr_null(pstr(&im, "control-group"));
	ck_assert(has_note(&im, "script: not imported"));
	ck_assert_int_eq(import_native_rebase(&im, "/home/a"), 0);
	ck_assert_str_eq(pstr(&im, "cert"), "/home/a/sub/me.pem");
	ck_assert(json_object_object_get_ex(im.profile, "ca", &ca));
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(ca,
	    0)), "/home/a/ca.pem");
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(ca,
	    1)), "/abs.pem");
	import_clear(&im);
}
END_TEST

START_TEST(link_ca_merges)
{
	struct json_object *ca;
	struct import im;

	ck_assert_int_eq(native_str("{\"ca\":\"/etc/ssl/mine.pem\"}", &im), 0);
	ck_assert_int_eq(import_add_file(&im, "ca.pem", "ca",
	    (const uint8_t *)"x", 1, false), 0);
	ck_assert_int_eq(import_link_files(&im, "/d", "n"), 0);
	ck_assert(json_object_object_get_ex(im.profile, "ca", &ca));
	ck_assert(json_object_is_type(ca, json_type_array));
	ck_assert_uint_eq(json_object_array_length(ca), 2);
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(ca,
	    1)), "/d/n.ca.pem");
	import_clear(&im);
}
END_TEST

static Suite *
import_suite(void)
{
	Suite *s = suite_create("import");
	TCase *tc;

	tc = tcase_create("util");
	tcase_add_test(tc, base64_decodes);
	tcase_add_test(tc, names);
	tcase_add_test(tc, text);
	tcase_add_test(tc, detect);
	suite_add_tcase(s, tc);
	tc = tcase_create("sswan");
	tcase_add_test(tc, sswan_eap);
	tcase_add_test(tc, sswan_cert);
	tcase_add_test(tc, p12_variants);
	tcase_add_loop_test(tc, sswan_refused, 0,
	    (int)IMPORT_NELEM(sswan_refusals));
	tcase_add_test(tc, sswan_deep_and_huge);
	tcase_add_test(tc, sswan_traversal_and_unknown);
	tcase_add_test(tc, sswan_truncated);
	suite_add_tcase(s, tc);
	tc = tcase_create("mobileconfig");
	tcase_add_test(tc, mc_psk);
	tcase_add_test(tc, mc_eap);
	tcase_add_test(tc, mc_cert);
	tcase_add_test(tc, mc_signed);
	tcase_add_test(tc, mc_signed_bad);
	tcase_add_loop_test(tc, mc_refused, 0, (int)IMPORT_NELEM(mc_refusals));
	tcase_add_test(tc, mc_deep_and_truncated);
	tcase_add_test(tc, mc_truncated_p12);
	suite_add_tcase(s, tc);
	tc = tcase_create("native");
	tcase_add_test(tc, native_copy);
	tcase_add_test(tc, mc_psk_no_remote_id);
	tcase_add_test(tc, native_refused);
	tcase_add_test(tc, native_denied_and_rebased);
	tcase_add_test(tc, link_ca_merges);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(import_suite)
