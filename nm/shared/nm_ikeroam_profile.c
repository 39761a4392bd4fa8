/*
 * nm/shared/nm_ikeroam_profile.c: a connection's vpn.data and
 * vpn.secrets become the two JSON objects `ikeroam connect` reads from
 * --profile-fd and --secrets-fd.  Pure: no I/O, no GLib.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "common/ir_mem.h"
#include "nm/shared/nm_ikeroam.h"

/* A vpn.data value is at most this long: identities, paths, proposals. */
#define NM_VALUE_MAX	1024
/* A secret is at most this long (RFC 7296 puts no bound on a PSK). */
#define NM_SECRET_MAX	1024

static int
fail(char *err, size_t err_len, const char *key, const char *what)
{
	snprintf(err, err_len, "vpn.data %s: %s", key, what);
	return -1;
}

/* Length of the UTF-8 sequence at |p| (RFC 3629 §4), 0 if malformed. */
static size_t
utf8_len(const unsigned char *p)
{
	size_t n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;	/* also stops at the NUL */
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f))
		return 0;	/* overlong, surrogate, above U+10FFFF */
	return n;
}

/*
 * Printable UTF-8 only: a value ends up in a JSON line, in logs and in
 * D-Bus strings, which must be UTF-8.
 */
static bool
clean_text(const char *v)
{
	const unsigned char *p;
	size_t n;

	if (*v == '\0' || strlen(v) > NM_VALUE_MAX)
		return false;
	for (p = (const unsigned char *)v; *p != '\0'; p += n) {
		if (*p < 0x20 || *p == 0x7f || (n = utf8_len(p)) == 0)
			return false;
	}
	return true;
}

static bool
parse_flag(const char *v, bool *out)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0)
		*out = true;
	else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0)
		*out = false;
	else
		return false;
	return true;
}

static bool
is_choice(const char *v, const char *const *choices)
{
	for (; *choices != NULL; choices++)
		if (strcmp(v, *choices) == 0)
			return true;
	return false;
}

/* Keys NetworkManager or the editor keep in vpn.data for themselves. */
static bool
ignored_key(const char *key)
{
	size_t len = strlen(key);

	return strcmp(key, NM_IKEROAM_KEY_AUTH) == 0 ||
	    (len > 6 && strcmp(key + len - 6, "-flags") == 0);
}

/* One vpn.data item into |obj|; 0 or -1 with |err| filled. */
static int
add_item(struct json_object *obj, const char *key, const char *v,
    char *err, size_t err_len)
{
	const struct nm_ikeroam_key *k;
	struct json_object *jv;
	uint32_t num;
	bool flag;
	char what[160];

	if ((k = nm_ikeroam_key_find(key)) == NULL)
		return fail(err, err_len, key, "not an option the ikeroam "
		    "plugin passes on; remove it from the connection");
	if (!clean_text(v))
		return fail(err, err_len, key, "empty, too long or holds "
		    "control characters");
	switch (k->kind) {
	case NMK_TEXT:
		jv = json_object_new_string(v);
		break;
	case NMK_PATH:
		if (v[0] != '/')
			return fail(err, err_len, key, "not an absolute file "
			    "name");
		jv = json_object_new_string(v);
		break;
	case NMK_NUMBER:
		if (ir_parse_u32(v, k->min, k->max, &num) != 0) {
			snprintf(what, sizeof(what), "'%.20s' is not a number "
			    "from %u to %u", v, k->min, k->max);
			return fail(err, err_len, key, what);
		}
		jv = json_object_new_int64(num);
		break;
	case NMK_FLAG:
		if (!parse_flag(v, &flag))
			return fail(err, err_len, key, "not yes or no");
		jv = json_object_new_boolean(flag);
		break;
	case NMK_CHOICE:
		if (!is_choice(v, k->choices))
			return fail(err, err_len, key, "not one of the "
			    "allowed values");
		jv = json_object_new_string(v);
		break;
	default:
		return fail(err, err_len, key, "internal error");
	}
	if (jv == NULL || json_object_object_add(obj, key, jv) != 0) {
		json_object_put(jv);
		return fail(err, err_len, key, "out of memory");
	}
	return 0;
}

/* The keys each method needs; the others' keys are left out. */
static int
check_method(const struct nm_kv *data, size_t n, enum nm_ikeroam_auth auth,
    char *err, size_t err_len)
{
	if (nm_kv_get(data, n, NM_IKEROAM_KEY_GATEWAY) == NULL)
		return fail(err, err_len, NM_IKEROAM_KEY_GATEWAY, "missing: "
		    "set the gateway's host name or address");
	if (auth == NM_IKEROAM_AUTH_CERT &&
	    (nm_kv_get(data, n, NM_IKEROAM_KEY_CERT) == NULL ||
	    nm_kv_get(data, n, NM_IKEROAM_KEY_KEY) == NULL))
		return fail(err, err_len, "cert", "certificate "
		    "authentication needs both cert and key");
	if (auth == NM_IKEROAM_AUTH_EAP &&
	    nm_kv_get(data, n, NM_IKEROAM_KEY_EAP_USER) == NULL)
		return fail(err, err_len, NM_IKEROAM_KEY_EAP_USER, "missing: "
		    "EAP authentication needs a user name");
	return 0;
}

/* Keys that belong to another method than |auth|. */
static bool
other_method(const char *key, enum nm_ikeroam_auth auth)
{
	if (auth != NM_IKEROAM_AUTH_CERT &&
	    (strcmp(key, NM_IKEROAM_KEY_CERT) == 0 ||
	    strcmp(key, NM_IKEROAM_KEY_KEY) == 0))
		return true;
	return auth != NM_IKEROAM_AUTH_EAP &&
	    strcmp(key, NM_IKEROAM_KEY_EAP_USER) == 0;
}

/* vpn.data -> the profile object without additions; NULL and |err|. */
static struct json_object *
profile_object(const struct nm_kv *data, size_t n, char *err,
    size_t err_len)
{
	struct json_object *obj;
	enum nm_ikeroam_auth auth;
	size_t i;

	if (nm_ikeroam_auth(data, n, &auth, err, err_len) != 0 ||
	    check_method(data, n, auth, err, err_len) != 0)
		return NULL;
	if ((obj = json_object_new_object()) == NULL) {
		fail(err, err_len, "-", "out of memory");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (data[i].key == NULL || data[i].value == NULL ||
		    ignored_key(data[i].key) ||
		    other_method(data[i].key, auth))
			continue;
		if (json_object_object_get_ex(obj, data[i].key, NULL)) {
			json_object_put(obj);
			fail(err, err_len, data[i].key, "given twice");
			return NULL;
		}
		if (add_item(obj, data[i].key, data[i].value, err,
		    err_len) != 0) {
			json_object_put(obj);
			return NULL;
		}
	}
	return obj;
}

/* |obj| as text into a malloc'd |*out|; takes |obj|. */
static int
finish(struct json_object *obj, int flags, char **out, char *err,
    size_t err_len)
{
	const char *text;

	if ((text = json_object_to_json_string_ext(obj, flags)) == NULL ||
	    (*out = strdup(text)) == NULL) {
		json_object_put(obj);
		return fail(err, err_len, "-", "out of memory");
	}
	json_object_put(obj);
	return 0;
}

/* A POSIX user name as useradd makes them: [a-z_][a-z0-9_-]*, <= 32. */
static bool
user_name_ok(const char *u)
{
	size_t i;

	if (u[0] == '\0' || strlen(u) > 32 ||
	    !((u[0] >= 'a' && u[0] <= 'z') || u[0] == '_'))
		return false;
	for (i = 1; u[i] != '\0'; i++)
		if (!((u[i] >= 'a' && u[i] <= 'z') ||
		    (u[i] >= '0' && u[i] <= '9') || u[i] == '_' || u[i] == '-'))
			return false;
	return true;
}

int
nm_ikeroam_profile_for_user(const struct nm_kv *data, size_t n,
    const char *user, char **out, char *err, size_t err_len)
{
	struct json_object *obj;

	*out = NULL;
	if (user != NULL && !user_name_ok(user))
		return fail(err, err_len, "connection.permissions",
		    "is not a user name ikeroam can take (a-z, 0-9, _ and -)");
	if ((obj = profile_object(data, n, err, err_len)) == NULL)
		return -1;
	/* NetworkManager applies addresses, routes and DNS itself; the
	 * files of the connection's only user are hers to name. */
	if (json_object_object_add(obj, "netcfg",
	    json_object_new_string("external")) != 0 || (user != NULL &&
	    json_object_object_add(obj, "file-owner",
	    json_object_new_string(user)) != 0)) {
		json_object_put(obj);
		return fail(err, err_len, "-", "out of memory");
	}
	return finish(obj, JSON_C_TO_STRING_PLAIN, out, err, err_len);
}

int
nm_ikeroam_profile(const struct nm_kv *data, size_t n, char **out,
    char *err, size_t err_len)
{
	return nm_ikeroam_profile_for_user(data, n, NULL, out, err, err_len);
}

int
nm_ikeroam_export(const struct nm_kv *data, size_t n, const char *name,
    char **out, char *err, size_t err_len)
{
	struct json_object *obj;

	*out = NULL;
	if ((obj = profile_object(data, n, err, err_len)) == NULL)
		return -1;
	if (name != NULL && *name != '\0' && json_object_object_add(obj,
	    "name", json_object_new_string(name)) != 0) {
		json_object_put(obj);
		return fail(err, err_len, "-", "out of memory");
	}
	return finish(obj, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE, out,
	    err, err_len);
}

/* Append |s| JSON-escaped (RFC 8259 §7) to |buf| at |*len|. */
static void
put_escaped(char *buf, size_t *len, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			buf[(*len)++] = '\\';
			buf[(*len)++] = (char)*p;
		} else if (*p < 0x20) {
			memcpy(buf + *len, "\\u00", 4);
			buf[*len + 4] = hex[*p >> 4];
			buf[*len + 5] = hex[*p & 15];
			*len += 6;
		} else
			buf[(*len)++] = (char)*p;
	}
}

int
nm_ikeroam_secrets(const struct nm_kv *secrets, size_t n, char **out,
    size_t *out_len, char *err, size_t err_len)
{
	static const char *const names[] = { NM_IKEROAM_SECRET_PSK,
	    NM_IKEROAM_SECRET_PASSWORD, NM_IKEROAM_SECRET_KEYPASS };
	const char *v[3];
	size_t i, cap = 3, len = 0;
	char *buf;

	*out = NULL;
	*out_len = 0;
	for (i = 0; i < 3; i++) {
		v[i] = nm_kv_get(secrets, n, names[i]);
		if (v[i] == NULL)
			continue;
		if (strlen(v[i]) > NM_SECRET_MAX) {
			snprintf(err, err_len, "vpn.secrets %s: longer than "
			    "%d bytes", names[i], NM_SECRET_MAX);
			return -1;
		}
		/* ,"name":"value" with every byte escaped at worst. */
		cap += 6 + strlen(names[i]) + 6 * strlen(v[i]);
	}
	if ((buf = malloc(cap)) == NULL) {
		snprintf(err, err_len, "vpn.secrets: out of memory");
		return -1;
	}
	buf[len++] = '{';
	for (i = 0; i < 3; i++) {
		if (v[i] == NULL)
			continue;
		if (len > 1)
			buf[len++] = ',';
		buf[len++] = '"';
		put_escaped(buf, &len, names[i]);
		memcpy(buf + len, "\":\"", 3);
		len += 3;
		put_escaped(buf, &len, v[i]);
		buf[len++] = '"';
	}
	buf[len++] = '}';
	buf[len] = '\0';
	*out = buf;
	*out_len = len;
	return 0;
}

void
nm_ikeroam_wipe_free(char *p, size_t len)
{
	if (p == NULL)
		return;
	ir_wipe(p, len);
	free(p);
}
