/* src/import_json.c: checked reads of JSON members (src/import_json.h). */
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/import_json.h"

int
import_json_str(struct import *im, struct json_object *o, const char *where,
    const char *key, size_t max, const char **out)
{
	struct json_object *v;
	const char *s;
	int n;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return import_fail(im, "%s%s: must be a string", where, key);
	s = json_object_get_string(v);
	n = json_object_get_string_len(v);
	if (n < 0 || (size_t)n > max)
		return import_fail(im, "%s%s: longer than %zu characters",
		    where, key, max);
	/* A NUL inside (\u0000) would cut the value short unseen. */
	if (strlen(s) != (size_t)n || !import_text_ok(s, (size_t)n))
		return import_fail(im, "%s%s: contains control characters",
		    where, key);
	*out = s;
	return 0;
}

int
import_json_bool(struct import *im, struct json_object *o, const char *where,
    const char *key, bool *out)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_boolean))
		return import_fail(im, "%s%s: must be true or false", where,
		    key);
	*out = json_object_get_boolean(v);
	return 0;
}

int
import_json_uint(struct import *im, struct json_object *o, const char *where,
    const char *key, uint32_t min, uint32_t max, uint32_t *out,
    bool *present)
{
	struct json_object *v;
	int64_t n;

	*present = false;
	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return 0;
	if (json_object_is_type(v, json_type_int)) {
		n = json_object_get_int64(v);
		if (n < min || n > max)
			goto range;
		*out = (uint32_t)n;
	} else if (json_object_is_type(v, json_type_string)) {
		if (ir_parse_u32(json_object_get_string(v), min, max, out) != 0)
			goto range;
	} else {
		return import_fail(im, "%s%s: must be a number", where, key);
	}
	*present = true;
	return 0;
range:
	return import_fail(im, "%s%s: not a number from %u to %u", where, key,
	    min, max);
}

int
import_json_obj(struct import *im, struct json_object *o, const char *where,
    const char *key, struct json_object **out)
{
	struct json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_object))
		return import_fail(im, "%s%s: must be an object", where, key);
	*out = v;
	return 0;
}

static int
set(struct import *im, const char *key, struct json_object *v)
{
	if (v == NULL)
		return IR_ERR_NOMEM;
	if (im->profile == NULL &&
	    (im->profile = json_object_new_object()) == NULL) {
		json_object_put(v);
		return IR_ERR_NOMEM;
	}
	if (json_object_object_add(im->profile, key, v) != 0) {
		json_object_put(v);
		return IR_ERR_NOMEM;
	}
	return 0;
}

int
import_set_str(struct import *im, const char *key, const char *val)
{
	return set(im, key, json_object_new_string(val));
}

int
import_set_bool(struct import *im, const char *key, bool val)
{
	return set(im, key, json_object_new_boolean(val));
}

int
import_set_uint(struct import *im, const char *key, uint32_t val)
{
	return set(im, key, json_object_new_int64(val));
}
