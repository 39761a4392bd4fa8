/*
 * src/import_json.h: typed, checked reads of JSON members for the JSON
 * importers (src/import_sswan.c, src/import_native.c).  A member of the
 * wrong type, or a string with control characters, fails the import
 * with a line that names the key as the file spells it (|where| is the
 * prefix: "" or "remote.").
 */
#ifndef IR_SRC_IMPORT_JSON_H
#define IR_SRC_IMPORT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "src/import.h"

#define IMPORT_STR_MAX	1024	/* any string but embedded base64 */

/* *|out| = the member, NULL when absent.  0, or IR_ERR_CONFIG when it
 * is there but not a string, longer than |max| or not clean text. */
int	import_json_str(struct import *im, struct json_object *o,
	    const char *where, const char *key, size_t max, const char **out);

/* The same for a boolean (*|out| untouched when absent). */
int	import_json_bool(struct import *im, struct json_object *o,
	    const char *where, const char *key, bool *out);

/* An integer (a JSON number, or a string of digits) in [min, max];
 * *|present| tells whether it was there. */
int	import_json_uint(struct import *im, struct json_object *o,
	    const char *where, const char *key, uint32_t min, uint32_t max,
	    uint32_t *out, bool *present);

/* An object member (NULL when absent). */
int	import_json_obj(struct import *im, struct json_object *o,
	    const char *where, const char *key, struct json_object **out);

/* Set a profile string or boolean key. */
int	import_set_str(struct import *im, const char *key, const char *val);
int	import_set_bool(struct import *im, const char *key, bool val);
int	import_set_uint(struct import *im, const char *key, uint32_t val);

#endif
