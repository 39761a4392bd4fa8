/*
 * tests/nm/check_nm_profile.c: a connection's vpn.data and vpn.secrets
 * become ikeroam's profile and --secrets-fd objects; keys the service
 * must not pass on (a script run as root) are refused.
 */
#include <check.h>
#include <string.h>

#include <json-c/json.h>

#include "nm/shared/nm_ikeroam.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static struct json_object *
parse(const char *text)
{
	struct json_object *o = json_tokener_parse(text);

	ck_assert_ptr_nonnull(o);
	ck_assert(json_object_is_type(o, json_type_object));
	return o;
}

static const char *
str(struct json_object *o, const char *key)
{
	struct json_object *v;

	ck_assert_msg(json_object_object_get_ex(o, key, &v), "no %s", key);
	return json_object_get_string(v);
}

START_TEST(psk_profile)
{
	const struct nm_kv data[] = {
		{ "gateway", "vpn.example" }, { "auth", "psk" },
		{ "id", "client@vpn.test" }, { "remote-id", "vpn.t\xc3\xa9st" },
		{ "transport", "auto" }, { "tcp-port", "4500" },
		{ "fallback-timeout", "1500" }, { "no-mobike", "no" },
		{ "psk-flags", "2" },
		/* Left out: they belong to the certificate method. */
		{ "cert", "/etc/c.pem" }, { "eap-user", "alice" },
	};
	struct json_object *o, *v;
	char *out, err[256];

	ck_assert_int_eq(nm_ikeroam_profile(data, N(data), &out, err,
	    sizeof(err)), 0);
	o = parse(out);
	ck_assert_str_eq(str(o, "gateway"), "vpn.example");
	ck_assert_str_eq(str(o, "id"), "client@vpn.test");
	ck_assert_str_eq(str(o, "remote-id"), "vpn.t\xc3\xa9st");
	ck_assert_str_eq(str(o, "transport"), "auto");
	ck_assert_str_eq(str(o, "netcfg"), "external");
	ck_assert(json_object_object_get_ex(o, "tcp-port", &v));
	ck_assert(json_object_is_type(v, json_type_int));
	ck_assert_int_eq(json_object_get_int(v), 4500);
	ck_assert(json_object_object_get_ex(o, "no-mobike", &v));
	ck_assert(json_object_is_type(v, json_type_boolean));
	ck_assert(!json_object_get_boolean(v));
	ck_assert(!json_object_object_get_ex(o, "psk-flags", NULL));
	ck_assert(!json_object_object_get_ex(o, "auth", NULL));
	ck_assert(!json_object_object_get_ex(o, "cert", NULL));
	ck_assert(!json_object_object_get_ex(o, "eap-user", NULL));
	json_object_put(o);
	free(out);
}
END_TEST

/*
 * The connection's one user becomes "file-owner" (her certificate files
 * pass ikeroam's owner checks); vpn.data cannot set it; a user name that
 * is not plain is refused.
 */
START_TEST(profile_for_user)
{
	const struct nm_kv data[] = {
		{ "gateway", "vpn.example" }, { "auth", "cert" },
		{ "id", "alice@vpn.test" }, { "cert", "/home/alice/c.pem" },
		{ "key", "/home/alice/k.pem" },
	};
	const struct nm_kv forged[] = {
		{ "gateway", "vpn.example" }, { "auth", "cert" },
		{ "id", "alice@vpn.test" }, { "cert", "/home/alice/c.pem" },
		{ "key", "/home/alice/k.pem" }, { "file-owner", "root" },
	};
	struct json_object *o;
	char *out, err[256];

	ck_assert_int_eq(nm_ikeroam_profile_for_user(data, N(data), "alice",
	    &out, err, sizeof(err)), 0);
	o = parse(out);
	ck_assert_str_eq(str(o, "file-owner"), "alice");
	ck_assert_str_eq(str(o, "cert"), "/home/alice/c.pem");
	json_object_put(o);
	free(out);
	ck_assert_int_eq(nm_ikeroam_profile(data, N(data), &out, err,
	    sizeof(err)), 0);
	o = parse(out);
	ck_assert(!json_object_object_get_ex(o, "file-owner", NULL));
	json_object_put(o);
	free(out);
	ck_assert_int_eq(nm_ikeroam_profile_for_user(data, N(data),
	    "alice;rm", &out, err, sizeof(err)), -1);
	ck_assert_ptr_null(out);
	ck_assert_ptr_nonnull(strstr(err, "connection.permissions"));
	ck_assert_int_eq(nm_ikeroam_profile_for_user(forged, N(forged),
	    "alice", &out, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "file-owner"));
}
END_TEST

START_TEST(cert_and_eap_profiles)
{
	const struct nm_kv cert[] = {
		{ "gateway", "192.0.2.1" }, { "auth", "cert" },
		{ "cert", "/etc/ikeroam/c.pem" }, { "key", "/etc/ikeroam/k.pem" },
		{ "ca", "/etc/ikeroam/ca.pem" },
	};
	const struct nm_kv eap[] = {
		{ "gateway", "192.0.2.1" }, { "auth", "eap" },
		{ "eap-user", "alice" }, { "key", "/etc/k.pem" },
	};
	struct json_object *o;
	char *out, err[256];

	ck_assert_int_eq(nm_ikeroam_profile(cert, N(cert), &out, err,
	    sizeof(err)), 0);
	o = parse(out);
	ck_assert_str_eq(str(o, "cert"), "/etc/ikeroam/c.pem");
	ck_assert_str_eq(str(o, "key"), "/etc/ikeroam/k.pem");
	ck_assert_str_eq(str(o, "ca"), "/etc/ikeroam/ca.pem");
	json_object_put(o);
	free(out);
	ck_assert_int_eq(nm_ikeroam_profile(eap, N(eap), &out, err,
	    sizeof(err)), 0);
	o = parse(out);
	ck_assert_str_eq(str(o, "eap-user"), "alice");
	ck_assert(!json_object_object_get_ex(o, "key", NULL));
	json_object_put(o);
	free(out);
}
END_TEST

/* Each bad connection and the key its one line must name. */
static const struct bad_case {
	struct nm_kv	 kv[3];
	const char	*names;
} bad_cases[] = {
	{ { { "auth", "psk" } }, "gateway" },
	{ { { "gateway", "g" }, { "script", "/tmp/x" } }, "script" },
	{ { { "gateway", "g" }, { "interface", "eth0" } }, "interface" },
	{ { { "gateway", "g" }, { "status-file", "/etc/x" } }, "status-file" },
	{ { { "gateway", "g" }, { "auth", "token" } }, "auth" },
	{ { { "gateway", "g" }, { "auth", "cert" }, { "cert", "/c" } },
	    "cert" },
	{ { { "gateway", "g" }, { "auth", "eap" } }, "eap-user" },
	{ { { "gateway", "g" }, { "tcp-port", "0" } }, "tcp-port" },
	{ { { "gateway", "g" }, { "tcp-port", "65536" } }, "tcp-port" },
	{ { { "gateway", "g" }, { "mtu", "-1" } }, "mtu" },
	{ { { "gateway", "g" }, { "transport", "quic" } }, "transport" },
	{ { { "gateway", "g" }, { "no-mobike", "maybe" } }, "no-mobike" },
	{ { { "gateway", "g" }, { "ca", "relative.pem" } }, "ca" },
	{ { { "gateway", "g\nnetcfg" } }, "gateway" },
	{ { { "gateway", "" } }, "gateway" },
	{ { { "gateway", "g" }, { "id", "caf\xe9" } }, "id" },
	{ { { "gateway", "g" }, { "id", "\xed\xa0\x80" } }, "id" },
	{ { { "gateway", "g" }, { "id", "a" }, { "id", "b" } }, "id" },
};

START_TEST(refused)
{
	const struct bad_case *c = &bad_cases[_i];
	char *out = (char *)"x", err[256] = "";
	size_t n = 0;

	while (n < 3 && c->kv[n].key != NULL)
		n++;
	ck_assert_int_eq(nm_ikeroam_profile(c->kv, n, &out, err,
	    sizeof(err)), -1);
	ck_assert_ptr_null(out);
	ck_assert_msg(strstr(err, c->names) != NULL, "'%s' lacks %s", err,
	    c->names);
}
END_TEST

START_TEST(secrets)
{
	const struct nm_kv sec[] = {
		{ "psk", "a\"b\\c\x01" }, { "password", "pw" },
		{ "unknown", "dropped" },
	};
	struct json_object *o;
	char *out, err[128];
	size_t len;

	ck_assert_int_eq(nm_ikeroam_secrets(sec, N(sec), &out, &len, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(len, strlen(out));
	o = parse(out);
	ck_assert_str_eq(str(o, "psk"), "a\"b\\c\x01");
	ck_assert_str_eq(str(o, "password"), "pw");
	ck_assert(!json_object_object_get_ex(o, "unknown", NULL));
	json_object_put(o);
	nm_ikeroam_wipe_free(out, len);

	ck_assert_int_eq(nm_ikeroam_secrets(NULL, 0, &out, &len, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(out, "{}");
	nm_ikeroam_wipe_free(out, len);
}
END_TEST

START_TEST(secret_too_long)
{
	static char big[2000];
	struct nm_kv sec[] = { { "psk", big } };
	char *out, err[128];
	size_t len;

	memset(big, 'x', sizeof(big) - 1);
	ck_assert_int_eq(nm_ikeroam_secrets(sec, 1, &out, &len, err,
	    sizeof(err)), -1);
	ck_assert_ptr_null(out);
	ck_assert_ptr_nonnull(strstr(err, "psk"));
}
END_TEST

START_TEST(methods)
{
	const struct nm_kv eap = { "auth", "eap" }, cert = { "auth", "cert" };
	enum nm_ikeroam_auth a;
	char err[64];

	ck_assert_int_eq(nm_ikeroam_auth(NULL, 0, &a, err, sizeof(err)), 0);
	ck_assert_str_eq(nm_ikeroam_needed_secret(a), "psk");
	ck_assert_int_eq(nm_ikeroam_auth(&eap, 1, &a, err, sizeof(err)), 0);
	ck_assert_str_eq(nm_ikeroam_needed_secret(a), "password");
	ck_assert_int_eq(nm_ikeroam_auth(&cert, 1, &a, err, sizeof(err)), 0);
	ck_assert_ptr_null(nm_ikeroam_needed_secret(a));
	ck_assert_ptr_nonnull(nm_ikeroam_key_find("tcp-port"));
	ck_assert_ptr_null(nm_ikeroam_key_find("script"));
}
END_TEST

START_TEST(import_profile)
{
	static const char text[] = "{ \"name\": \"work\", "
	    "\"gateway\": \"vpn.example\", \"id\": \"me@example\", "
	    "\"tcp-port\": 443, \"no-mobike\": true, "
	    "\"ca\": [\"/etc/ikeroam/ca.pem\", \"/etc/ikeroam/b.pem\"], "
	    "\"script\": \"/tmp/evil\", \"psk\": \"s3cret\", "
	    "\"verbose\": true }";
	struct nm_ikeroam_import im;
	char err[256];

	ck_assert_int_eq(nm_ikeroam_import(text, strlen(text), &im, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(im.name, "work");
	ck_assert_str_eq(nm_kv_get(im.data, im.ndata, "gateway"),
	    "vpn.example");
	ck_assert_str_eq(nm_kv_get(im.data, im.ndata, "tcp-port"), "443");
	ck_assert_str_eq(nm_kv_get(im.data, im.ndata, "no-mobike"), "yes");
	ck_assert_str_eq(nm_kv_get(im.data, im.ndata, "ca"),
	    "/etc/ikeroam/ca.pem");
	ck_assert_str_eq(nm_kv_get(im.data, im.ndata, "auth"), "psk");
	ck_assert_str_eq(nm_kv_get(im.data, im.ndata, "psk-flags"), "0");
	ck_assert_ptr_null(nm_kv_get(im.data, im.ndata, "script"));
	ck_assert_ptr_null(nm_kv_get(im.data, im.ndata, "verbose"));
	ck_assert_ptr_null(nm_kv_get(im.data, im.ndata, "psk"));
	ck_assert_str_eq(nm_kv_get(im.secrets, im.nsecrets, "psk"), "s3cret");
	nm_ikeroam_import_clear(&im);
	ck_assert_uint_eq(im.ndata, 0);
}
END_TEST

START_TEST(import_eap_asks)
{
	static const char text[] = "{\"gateway\":\"192.0.2.1\","
	    "\"eap-user\":\"alice\",\"password-file\":\"/root/pw\"}";
	struct nm_ikeroam_import im;
	char err[256];

	ck_assert_int_eq(nm_ikeroam_import(text, strlen(text), &im, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(nm_kv_get(im.data, im.ndata, "auth"), "eap");
	ck_assert_str_eq(nm_kv_get(im.data, im.ndata, "password-flags"), "1");
	ck_assert_ptr_null(nm_kv_get(im.data, im.ndata, "password-file"));
	ck_assert_uint_eq(im.nsecrets, 0);
	nm_ikeroam_import_clear(&im);
}
END_TEST

static const char *const bad_imports[] = {
	"", "[]", "{", "{\"gateway\":\"g\"} {}", "{\"id\":\"x\"}",
	"{\"gateway\":\"g\",\"tcp-port\":70000}",
	"{\"gateway\":\"g\",\"cert\":\"/c.pem\"}",
	"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
};

START_TEST(import_refused)
{
	struct nm_ikeroam_import im;
	char err[256] = "";

	ck_assert_int_eq(nm_ikeroam_import(bad_imports[_i],
	    strlen(bad_imports[_i]), &im, err, sizeof(err)), -1);
	ck_assert(err[0] != '\0');
	ck_assert_uint_eq(im.ndata, 0);
	ck_assert_ptr_null(im.name);
}
END_TEST

START_TEST(export_round_trip)
{
	const struct nm_kv data[] = {
		{ "gateway", "vpn.example" }, { "auth", "eap" },
		{ "eap-user", "alice" }, { "transport", "tcp" },
		{ "fallback-timeout", "2000" }, { "password-flags", "1" },
	};
	struct nm_ikeroam_import im;
	char *out, err[256];

	ck_assert_int_eq(nm_ikeroam_export(data, N(data), "office", &out, err,
	    sizeof(err)), 0);
	ck_assert_ptr_null(strstr(out, "netcfg"));
	ck_assert_ptr_null(strstr(out, "flags"));
	ck_assert_int_eq(nm_ikeroam_import(out, strlen(out), &im, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(im.name, "office");
	ck_assert_str_eq(nm_kv_get(im.data, im.ndata, "eap-user"), "alice");
	ck_assert_str_eq(nm_kv_get(im.data, im.ndata, "transport"), "tcp");
	ck_assert_str_eq(nm_kv_get(im.data, im.ndata, "fallback-timeout"),
	    "2000");
	ck_assert_str_eq(nm_kv_get(im.data, im.ndata, "auth"), "eap");
	nm_ikeroam_import_clear(&im);
	free(out);
}
END_TEST

Suite *
nm_profile_suite(void)
{
	Suite *s = suite_create("nm_profile");
	TCase *tc = tcase_create("profile");

	tcase_add_test(tc, psk_profile);
	tcase_add_test(tc, profile_for_user);
	tcase_add_test(tc, cert_and_eap_profiles);
	tcase_add_loop_test(tc, refused, 0, N(bad_cases));
	tcase_add_test(tc, secrets);
	tcase_add_test(tc, secret_too_long);
	tcase_add_test(tc, methods);
	tcase_add_test(tc, import_profile);
	tcase_add_test(tc, import_eap_asks);
	tcase_add_loop_test(tc, import_refused, 0, N(bad_imports));
	tcase_add_test(tc, export_round_trip);
	suite_add_tcase(s, tc);
	return s;
}
