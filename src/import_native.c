/*
 * src/import_native.c: an ikeroam profile (one JSON object whose keys
 * are the long options of `ikeroam connect`) copied after checks.
 * Inline secrets ("psk", "password", "key-passphrase") move into files
 * of their own, so the profile itself can stay readable by all.
 */
#include <stdio.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/import.h"
#include "src/import_json.h"

static const struct {
	const char	*inline_key;	/* in the profile */
	const char	*file_key;	/* the option that names its file */
	const char	*suffix;
} secrets[] = {
	{ "psk",		"psk-file",		"psk" },
	{ "password",		"password-file",	"password" },
	{ "key-passphrase",	"key-passphrase-file",	"key-passphrase" },
};

/*
 * Keys an imported file may not set: they run a program as root, write
 * files as root, hand out the control socket or turn off the privilege
 * separation.  A profile from a download must not get that far; the
 * user adds them by hand when they mean it.
 */
static const char *const denied[] = {
	"script", "status-file", "state-file", "control-group", "interface",
	"control-socket",
	"no-privsep", "profile-fd", "secrets-fd", "file-owner",
};

/* Keys whose values name files (relative to the profile's directory). */
static const char *const file_keys[] = {
	"ca", "cert", "cert-chain", "key", "key-passphrase-file", "psk-file",
	"password-file", "tls-ca",
};

/* Every string in the profile is clean text; arrays hold strings. */
static int
check_values(struct import *im, struct json_object *o)
{
	struct json_object *e;
	const char *s;
	size_t i;
	int rv;

	json_object_object_foreach(o, key, val) {
		if (!import_text_ok(key, strlen(key)) || strlen(key) > 64)
			return import_fail(im, "a key has control characters "
			    "or is too long");
		if (json_object_is_type(val, json_type_array)) {
			for (i = 0; i < json_object_array_length(val); i++) {
				e = json_object_array_get_idx(val, i);
				if (!json_object_is_type(e, json_type_string))
					return import_fail(im, "%s: an array "
					    "must hold strings", key);
				s = json_object_get_string(e);
				if (strlen(s) != (size_t)
				    json_object_get_string_len(e) ||
				    !import_text_ok(s, strlen(s)))
					return import_fail(im, "%s: contains "
					    "control characters", key);
			}
		} else if (json_object_is_type(val, json_type_object)) {
			return import_fail(im, "%s: must not be an object",
			    key);
		} else if (json_object_is_type(val, json_type_string) &&
		    (rv = import_json_str(im, o, "", key, IMPORT_STR_MAX,
		    &s)) != 0) {
			return rv;
		}
	}
	return 0;
}

static int
move_secrets(struct import *im)
{
	struct json_object *v;
	const char *s;
	size_t i;
	int rv;

	for (i = 0; i < IMPORT_NELEM(secrets); i++) {
		if (!json_object_object_get_ex(im->profile,
		    secrets[i].inline_key, &v))
			continue;
		if (json_object_object_get_ex(im->profile, secrets[i].file_key,
		    NULL))
			return import_fail(im, "%s and %s: choose one",
			    secrets[i].inline_key, secrets[i].file_key);
		if (!json_object_is_type(v, json_type_string) ||
		    (s = json_object_get_string(v))[0] == '\0')
			return import_fail(im, "%s: must be a non-empty string",
			    secrets[i].inline_key);
		if ((rv = import_add_file(im, secrets[i].suffix,
		    secrets[i].file_key, (const uint8_t *)s, strlen(s),
		    true)) != 0)
			return rv;
		import_note(im, "%s: moved into a file of its own (%s)",
		    secrets[i].inline_key, secrets[i].file_key);
		/* json-c frees without wiping: wipe the copy it holds. */
		ir_wipe((char *)s, strlen(s));
		json_object_object_del(im->profile, secrets[i].inline_key);
	}
	return 0;
}

static void
drop_denied(struct import *im)
{
	size_t i;

	for (i = 0; i < IMPORT_NELEM(denied); i++) {
		if (!json_object_object_get_ex(im->profile, denied[i], NULL))
			continue;
		import_note(im, "%s: not imported (it runs programs, writes "
		    "files or grants access as root); add it yourself if you "
		    "trust it", denied[i]);
		json_object_object_del(im->profile, denied[i]);
	}
}

/* A relative path under |base| (a new string), or |path| as it is. */
static struct json_object *
rebased(const char *base, struct json_object *v)
{
	const char *path = json_object_get_string(v);
	char buf[IMPORT_PATH_MAX];

	if (path[0] == '/' || (size_t)snprintf(buf, sizeof(buf), "%s/%s",
	    base, path) >= sizeof(buf))
		return json_object_get(v);
	return json_object_new_string(buf);
}

int
import_native_rebase(struct import *im, const char *base)
{
	struct json_object *v, *e, *arr;
	size_t i, k;

	for (k = 0; k < IMPORT_NELEM(file_keys); k++) {
		if (!json_object_object_get_ex(im->profile, file_keys[k], &v))
			continue;
		if (json_object_is_type(v, json_type_string)) {
			json_object_object_add(im->profile, file_keys[k],
			    rebased(base, v));
			continue;
		}
		if ((arr = json_object_new_array()) == NULL)
			return IR_ERR_NOMEM;
		for (i = 0; i < json_object_array_length(v); i++) {
			e = json_object_array_get_idx(v, i);
			json_object_array_add(arr, rebased(base, e));
		}
		json_object_object_add(im->profile, file_keys[k], arr);
	}
	return 0;
}

/*
 * A PSK profile without "remote-id" would accept any identity the
 * gateway claims (issue 11 item 10): pin the gateway's name or address,
 * which is what strongSwan expects by default.
 */
static int
pin_psk_gateway(struct import *im)
{
	struct json_object *gw;

	if ((!json_object_object_get_ex(im->profile, "psk", NULL) &&
	    !json_object_object_get_ex(im->profile, "psk-file", NULL)) ||
	    json_object_object_get_ex(im->profile, "remote-id", NULL) ||
	    !json_object_object_get_ex(im->profile, "gateway", &gw) ||
	    !json_object_is_type(gw, json_type_string))
		return 0;
	import_note(im, "remote-id: missing with a PSK; set to the gateway "
	    "(%s), which the gateway must then prove to be",
	    json_object_get_string(gw));
	return import_set_str(im, "remote-id", json_object_get_string(gw));
}

int
import_native(const uint8_t *data, size_t len, struct import *im)
{
	const char *name;
	int rv;

	im->format = IMPORT_FMT_NATIVE;
	if ((rv = import_json_parse(data, len, &im->profile, im)) != 0)
		return rv;
	if ((rv = check_values(im, im->profile)) != 0)
		return rv;
	if ((rv = import_json_str(im, im->profile, "", "name", IMPORT_STR_MAX,
	    &name)) != 0)
		return rv;
	if (name != NULL && !import_name_from(name, im->name, sizeof(im->name)))
		im->name[0] = '\0';
	/* The profile's name is the one it is imported under. */
	json_object_object_del(im->profile, "name");
	drop_denied(im);
	if ((rv = pin_psk_gateway(im)) != 0)
		return rv;
	return move_secrets(im);
}
