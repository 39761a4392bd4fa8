/*
 * src/cmd_show.c: `ikeroam show NAME|PATH [--json]`: the profile's
 * settings as they will be used (relative paths resolved, the defaults
 * of what it leaves out), never a secret: a secret is "from FILE" or
 * "inline (hidden)".
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "src/commands.h"
#include "src/exitcode.h"
#include "src/log.h"
#include "src/profile.h"

/* How the profile authenticates, in words that hold no secret. */
static void
auth_summary(const struct cli_opts *o, char *out, size_t cap)
{
	const char *hidden = "inline (hidden)";

	if (o->psk_inline || o->psk_file != NULL)
		snprintf(out, cap, "psk %s%s", o->psk_inline ? hidden : "from ",
		    o->psk_inline ? "" : o->psk_file);
	else if (o->cert_file != NULL)
		snprintf(out, cap, "certificate %s, key %s%s%s",
		    o->cert_file, o->key_file != NULL ? o->key_file : "-",
		    o->passphrase_inline ? ", passphrase inline (hidden)" :
		    o->key_passphrase_file != NULL ? ", passphrase from " : "",
		    o->passphrase_inline || o->key_passphrase_file == NULL ?
		    "" : o->key_passphrase_file);
	else if (o->eap_user != NULL)
		snprintf(out, cap, "eap-mschapv2 as %s, password %s%s",
		    o->eap_user, o->password_inline ? hidden :
		    o->password_file != NULL ? "from " :
		    "asked on the terminal",
		    o->password_inline || o->password_file == NULL ? "" :
		    o->password_file);
	else
		snprintf(out, cap, "none (add psk-file, cert and key, or "
		    "eap-user)");
}

/* The settings with their defaults: what the profile did not say. */
static void
defaults_into(const struct cli_opts *o, struct json_object *j)
{
	static const char *const keys[] = { "transport", "port",
	    "natt-port", "tcp-port", "tls-port" };
	uint32_t v[] = { 0, o->port, o->natt_port, o->tcp_port, o->tls_port };
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (json_object_object_get_ex(j, keys[i], NULL))
			continue;
		json_object_object_add(j, keys[i], i == 0 ?
		    json_object_new_string(cli_transport_name(o->transport)) :
		    json_object_new_int((int)v[i]));
	}
}

static struct json_object *
settings_json(const struct profile *p, const struct cli_opts *o)
{
	const struct profile_setting *s;
	struct json_object *j = json_object_new_object(), *v, *arr;
	size_t i;

	for (i = 0; i < profile_n_settings(p); i++) {
		s = profile_setting(p, i);
		v = json_object_new_string(s->value != NULL ? s->value :
		    "inline (hidden)");
		if ((s->kind & CLI_OPT_FLAG) != 0) {
			json_object_put(v);
			v = json_object_new_boolean(1);
		}
		if ((s->kind & CLI_OPT_REPEAT) != 0 &&
		    (s->kind & CLI_OPT_FLAG) == 0) {
			if (!json_object_object_get_ex(j, s->key, &arr)) {
				arr = json_object_new_array();
				json_object_object_add(j, s->key, arr);
			}
			json_object_array_add(arr, v);
		} else
			json_object_object_add(j, s->key, v);
	}
	defaults_into(o, j);
	return j;
}

static void
print_table(struct json_object *j, const char *path, const char *auth)
{
	struct json_object *e;
	size_t i;

	printf("%-22s %s\n", "profile", path);
	json_object_object_foreach(j, key, val) {
		if (!json_object_is_type(val, json_type_array)) {
			printf("%-22s %s\n", key, json_object_get_string(val));
			continue;
		}
		for (i = 0; i < json_object_array_length(val); i++) {
			e = json_object_array_get_idx(val, i);
			printf("%-22s %s\n", key, json_object_get_string(e));
		}
	}
	printf("%-22s %s\n", "authentication", auth);
}

int
cmd_show(int argc, char **argv)
{
	struct profile *p = NULL;
	struct json_object *j, *out;
	struct cli_opts o;
	char err[1024], auth[1200];
	const char *name = NULL;
	bool as_json = false;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			as_json = true;
		else if (name == NULL && argv[i][0] != '-')
			name = argv[i];
		else {
			log_err("show: unexpected argument '%s'; usage: "
			    "ikeroam show NAME [--json]", argv[i]);
			return IR_EXIT_USAGE;
		}
	}
	if (name == NULL) {
		log_err("show: which profile? usage: ikeroam show NAME "
		    "[--json]");
		return IR_EXIT_USAGE;
	}
	if (profile_load_named(name, &o, &p, err, sizeof(err)) != 0) {
		log_err("%s", err);
		profile_free(p);
		return IR_EXIT_USAGE;
	}
	j = settings_json(p, &o);
	auth_summary(&o, auth, sizeof(auth));
	if (as_json) {
		out = json_object_new_object();
		json_object_object_add(out, "profile",
		    json_object_new_string(profile_origin(p)));
		json_object_object_add(out, "settings", j);
		json_object_object_add(out, "authentication",
		    json_object_new_string(auth));
		printf("%s\n", json_object_to_json_string_ext(out,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(out);
	} else {
		print_table(j, profile_origin(p), auth);
		json_object_put(j);
	}
	profile_free(p);
	return IR_EXIT_OK;
}
