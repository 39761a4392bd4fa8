/*
 * nm/shared/nm_ikeroam_import.c: an ikeroam profile (man/ikeroam.json.5)
 * becomes a NetworkManager connection's vpn.data and vpn.secrets, for
 * `nmcli connection import type ikeroam file work.json` and the
 * editor's Import.  Pure: text in, items out.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "common/ir_mem.h"
#include "nm/shared/nm_ikeroam.h"

#define IMPORT_MAX	(1u << 20)

static int
fail(char *err, size_t err_len, const char *what)
{
	snprintf(err, err_len, "%s", what);
	return -1;
}

static int
add(struct nm_kv *kv, size_t *n, size_t cap, const char *key,
    const char *value)
{
	char *k, *v;

	if (*n == cap)
		return -1;
	k = strdup(key);
	v = strdup(value);
	if (k == NULL || v == NULL) {
		free(k);
		free(v);
		return -1;
	}
	kv[*n].key = k;
	kv[*n].value = v;
	(*n)++;
	return 0;
}

/* A profile value as vpn.data text (numbers in decimal, flags yes/no). */
static bool
value_text(struct json_object *v, char *buf, size_t cap, const char **out)
{
	switch (json_object_get_type(v)) {
	case json_type_string:
		*out = json_object_get_string(v);
		return true;
	case json_type_int:
		if (json_object_get_int64(v) < 0)
			return false;
		snprintf(buf, cap, "%lld", (long long)json_object_get_int64(v));
		*out = buf;
		return true;
	case json_type_boolean:
		*out = json_object_get_boolean(v) ? "yes" : "no";
		return true;
	case json_type_array:
		/* "ca" may repeat; a connection carries one file. */
		if (json_object_array_length(v) == 0)
			return false;
		return value_text(json_object_array_get_idx(v, 0), buf, cap,
		    out);
	default:
		return false;
	}
}

static const char *const secret_keys[] = { NM_IKEROAM_SECRET_PSK,
    NM_IKEROAM_SECRET_PASSWORD, NM_IKEROAM_SECRET_KEYPASS };

/* The flags of the method's secrets: stored when given, else asked. */
static int
add_flags(struct nm_ikeroam_import *im, const char *auth)
{
	const char *need = strcmp(auth, "psk") == 0 ? NM_IKEROAM_SECRET_PSK :
	    strcmp(auth, "eap") == 0 ? NM_IKEROAM_SECRET_PASSWORD : NULL;
	char key[40];

	if (need == NULL)
		return 0;
	snprintf(key, sizeof(key), "%s-flags", need);
	/* 0: NetworkManager keeps it; 1: the user's agent does. */
	return add(im->data, &im->ndata, NM_IMPORT_MAX_ITEMS, key,
	    nm_kv_get(im->secrets, im->nsecrets, need) != NULL ? "0" : "1");
}

int
nm_ikeroam_import(const char *text, size_t len,
    struct nm_ikeroam_import *im, char *err, size_t err_len)
{
	struct json_tokener *tok;
	struct json_object *obj;
	const char *s, *auth;
	char num[24], *check;
	size_t i;

	memset(im, 0, sizeof(*im));
	if (len > IMPORT_MAX)
		return fail(err, err_len, "the file is larger than 1 MiB");
	if ((tok = json_tokener_new_ex(16)) == NULL)
		return fail(err, err_len, "out of memory");
	obj = json_tokener_parse_ex(tok, text, (int)len);
	if (obj == NULL || json_tokener_get_error(tok) != json_tokener_success ||
	    tok->char_offset < (int)len ||
	    !json_object_is_type(obj, json_type_object)) {
		json_tokener_free(tok);
		json_object_put(obj);
		return fail(err, err_len, "not an ikeroam profile (one "
		    "JSON object)");
	}
	json_tokener_free(tok);
	json_object_object_foreach(obj, key, v) {
		if (!value_text(v, num, sizeof(num), &s))
			continue;
		if (strcmp(key, "name") == 0) {
			free(im->name);
			im->name = strdup(s);
			continue;
		}
		for (i = 0; i < 3; i++)
			if (strcmp(key, secret_keys[i]) == 0)
				break;
		if (i < 3) {
			if (add(im->secrets, &im->nsecrets, 3, key, s) != 0)
				goto nomem;
			continue;
		}
		if (nm_ikeroam_key_find(key) == NULL)
			continue;	/* not passed on by the service */
		if (add(im->data, &im->ndata, NM_IMPORT_MAX_ITEMS, key, s) != 0)
			goto nomem;
	}
	json_object_put(obj);
	obj = NULL;
	auth = nm_kv_get(im->data, im->ndata, NM_IKEROAM_KEY_CERT) != NULL ?
	    "cert" : nm_kv_get(im->data, im->ndata,
	    NM_IKEROAM_KEY_EAP_USER) != NULL ? "eap" : "psk";
	if (add(im->data, &im->ndata, NM_IMPORT_MAX_ITEMS,
	    NM_IKEROAM_KEY_AUTH, auth) != 0 || add_flags(im, auth) != 0)
		goto nomem;
	/* What the service would refuse is refused now. */
	if (nm_ikeroam_profile(im->data, im->ndata, &check, err,
	    err_len) != 0) {
		nm_ikeroam_import_clear(im);
		return -1;
	}
	free(check);
	return 0;
nomem:
	json_object_put(obj);
	nm_ikeroam_import_clear(im);
	return fail(err, err_len, "too many keys or out of memory");
}

void
nm_ikeroam_import_clear(struct nm_ikeroam_import *im)
{
	size_t i;

	for (i = 0; i < im->ndata; i++) {
		free((char *)im->data[i].key);
		free((char *)im->data[i].value);
	}
	for (i = 0; i < im->nsecrets; i++) {
		free((char *)im->secrets[i].key);
		nm_ikeroam_wipe_free((char *)im->secrets[i].value,
		    strlen(im->secrets[i].value));
	}
	free(im->name);
	memset(im, 0, sizeof(*im));
}
