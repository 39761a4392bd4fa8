/*
 * src/import_validate.c: is an imported profile one `ikeroam connect`
 * would accept?  It goes through the profile loader (src/profile.c) as
 * the written file will: every key an option of connect, every value of
 * the right type, then the cross-option rules of cli_finish().  Nothing
 * is opened: the files the profile names are written after this check.
 */
#include <string.h>

#include <json-c/json.h>

#include "common/ir_err.h"
#include "src/cli.h"
#include "src/import.h"
#include "src/profile.h"

int
import_validate(struct json_object *profile, char *err, size_t err_len)
{
	struct profile *p = NULL;
	struct cli_opts o;
	const char *text;
	int rv;

	err[0] = '\0';
	if (!json_object_is_type(profile, json_type_object)) {
		snprintf(err, err_len, "the profile is not a JSON object");
		return IR_ERR_CONFIG;
	}
	text = json_object_to_json_string_ext(profile, JSON_C_TO_STRING_PLAIN);
	cli_defaults(&o);
	o.command = CLI_CMD_CONNECT;
	if ((rv = profile_new(&p)) != 0)
		return rv;
	/* The importer moves secrets into files: none may stay inline. */
	rv = profile_apply_text(p, "the imported profile", NULL, text,
	    strlen(text), "keep the secret in a file", &o, err, err_len);
	if (rv == 0)
		rv = cli_finish(&o, err, err_len);
	profile_free(p);
	return rv;
}
