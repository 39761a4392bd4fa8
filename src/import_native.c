/*
 * src/import_native.c: an ikeroam profile (one JSON object whose keys
 * are the long options of `ikeroam connect`) copied after checks.
 * Inline secrets ("psk", "password", "key-passphrase") move into files
 * of their own, so the profile itself can stay readable by all.
 */
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
	return move_secrets(im);
}
