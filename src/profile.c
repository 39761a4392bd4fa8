/*
 * src/profile.c: a profile's JSON text applied over struct cli_opts (see
 * profile.h).  Pure: no file is opened here, so the unit tests and the
 * fuzz target drive it with text alone.
 */
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/profile.h"
#include "src/secret.h"

#define ARENA_SIZE	(PROFILE_MAX_TEXT * 2)
#define JSON_DEPTH	8
#define KEY_ECHO_MAX	40	/* how much of an unknown key an error shows */

struct profile {
	struct profile_secrets	*sec;		/* secret_alloc() */
	char			*arena;		/* every string o points to */
	size_t			 used;
	struct profile_setting	 set[PROFILE_MAX_SETTINGS];
	size_t			 n_set;
	const char		*origin;
	char *const		*argv;		/* the command line's, for */
	int			 argc;		/* profile_blame() */
};

/* Keys that are not options of connect. */
static const char *const profile_only[] = {
	"name", "control-group", "psk", "password", "key-passphrase", "pin",
};
#define N_PROFILE_ONLY	(sizeof(profile_only) / sizeof(profile_only[0]))

int
profile_new(struct profile **out)
{
	struct profile *p;

	*out = NULL;
	if ((p = ir_calloc(1, sizeof(*p))) == NULL)
		return IR_ERR_NOMEM;
	if ((p->arena = ir_malloc(ARENA_SIZE)) == NULL ||
	    (p->sec = secret_alloc(sizeof(*p->sec))) == NULL) {
		ir_free(p->arena);
		ir_free(p);
		return IR_ERR_NOMEM;
	}
	*out = p;
	return 0;
}

void
profile_free(struct profile *p)
{
	if (p == NULL)
		return;
	secret_free(p->sec, sizeof(*p->sec));
	ir_wipe(p->arena, p->used);
	ir_free(p->arena);
	ir_free(p);
}

const struct profile_secrets *
profile_secrets(const struct profile *p)
{
	return p->sec;
}

size_t
profile_n_settings(const struct profile *p)
{
	return p->n_set;
}

const struct profile_setting *
profile_setting(const struct profile *p, size_t i)
{
	return i < p->n_set ? &p->set[i] : NULL;
}

const char *
profile_origin(const struct profile *p)
{
	return p->origin;
}

/* |a| |b| |c| (NULL: nothing) as one string in the arena, or NULL. */
static char *
arena_cat(struct profile *p, const char *a, const char *b, const char *c)
{
	const char *part[3] = { a, b, c };
	size_t len = 0, n, i;
	char *s;

	for (i = 0; i < 3; i++)
		len += part[i] != NULL ? strlen(part[i]) : 0;
	if (len + 1 > ARENA_SIZE - p->used)
		return NULL;
	s = p->arena + p->used;
	for (len = 0, i = 0; i < 3; i++) {
		if (part[i] == NULL)
			continue;
		n = strlen(part[i]);
		memcpy(s + len, part[i], n);
		len += n;
	}
	s[len] = '\0';
	p->used += len + 1;
	return s;
}

void
profile_note_argv(struct profile *p, int argc, char **argv)
{
	p->argc = argc;
	p->argv = argv;
}

/* Did the command line give --|key| (or its short form)? */
static bool
on_command_line(const struct profile *p, const char *key)
{
	size_t n = strlen(key);
	const char *a;
	int i;

	for (i = 1; i < p->argc; i++) {
		a = p->argv[i];
		if (strncmp(a, "--", 2) == 0 && strncmp(a + 2, key, n) == 0 &&
		    (a[2 + n] == '\0' || a[2 + n] == '='))
			return true;
		if ((strcmp(key, "gateway") == 0 && strncmp(a, "-g", 2) == 0) ||
		    (strcmp(key, "id") == 0 && strncmp(a, "-i", 2) == 0))
			return true;
	}
	return false;
}

/* |line| starts with |word| followed by ' ', ':' or its end. */
static size_t
starts_with(const char *line, const char *word)
{
	size_t n = strlen(word);

	return n > 0 && strncmp(line, word, n) == 0 && (line[n] == ' ' ||
	    line[n] == ':' || line[n] == '\0') ? n : 0;
}

void
profile_blame(const struct profile *p, const char *line, char *out,
    size_t cap)
{
	const struct profile_setting *s;
	const char *rest = NULL;
	size_t i, n;

	for (i = 0; p->origin != NULL && rest == NULL && i < p->n_set; i++) {
		s = &p->set[i];
		if (line[0] == '-' && line[1] == '-' &&
		    (n = starts_with(line + 2, s->key)) > 0) {
			rest = line + 2 + n;
			rest += strspn(rest, ": ");
		} else if (s->value != NULL && (s->kind & CLI_OPT_PATH) != 0 &&
		    starts_with(line, s->value) > 0)
			rest = line;
		if (rest != NULL && on_command_line(p, s->key))
			rest = NULL;
	}
	if (rest == NULL)
		snprintf(out, cap, "%s", line);
	else
		snprintf(out, cap, "%s: key \"%s\": %s", p->origin,
		    p->set[i - 1].key, rest);
}

const char *
profile_keep(struct profile *p, const char *s)
{
	return arena_cat(p, s, NULL, NULL);
}

void
profile_set_origin(struct profile *p, const char *path)
{
	p->origin = profile_keep(p, path);
}

static int	fail(char *err, size_t err_len, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

/* One printable line, whatever the profile held. */
static int
fail(char *err, size_t err_len, const char *fmt, ...)
{
	va_list ap;
	char *c;

	va_start(ap, fmt);
	vsnprintf(err, err_len, fmt, ap);
	va_end(ap);
	for (c = err; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	return IR_ERR_CONFIG;
}

/* Levenshtein distance, for suggestions; keys are short. */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev, cur, tmp;
	size_t row[64];

	if (la >= 64 || lb >= 64)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			cur = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < cur)
				cur = row[j] + 1;
			if (row[j - 1] + 1 < cur)
				cur = row[j - 1] + 1;
			tmp = row[j];
			row[j] = cur;
			prev = tmp;
		}
	}
	return row[lb];
}

static void
consider(const char *key, const char *name, const char **best, size_t *d)
{
	size_t n = edit_distance(key, name);

	if (n < *d) {
		*d = n;
		*best = name;
	}
}

const char *
profile_suggest(const char *key)
{
	const struct option *opt;
	const char *best = NULL;
	size_t d = (size_t)-1, i;

	for (opt = cli_options(); opt->name != NULL; opt++)
		if ((cli_option_kind(opt) & CLI_OPT_ARGV_ONLY) == 0)
			consider(key, opt->name, &best, &d);
	for (i = 0; i < N_PROFILE_ONLY; i++)
		consider(key, profile_only[i], &best, &d);
	/* Two slips, and not more than a third of the word. */
	return d <= 2 && d * 3 <= strlen(key) ? best : NULL;
}

static const struct option *
find_option(const char *key)
{
	const struct option *opt;

	for (opt = cli_options(); opt->name != NULL; opt++)
		if (strcmp(opt->name, key) == 0)
			return opt;
	return NULL;
}

static int
add_setting(struct profile *p, const char *key, const char *value,
    unsigned kind, const char *origin, char *err, size_t err_len)
{
	struct profile_setting *s;

	if (p->n_set == PROFILE_MAX_SETTINGS)
		return fail(err, err_len, "%s: more than %d values", origin,
		    PROFILE_MAX_SETTINGS);
	s = &p->set[p->n_set];
	/* The key may be json-c's, which dies with the parsed text. */
	if ((s->key = profile_keep(p, key)) == NULL)
		return fail(err, err_len, "%s: the profile is too large",
		    origin);
	p->n_set++;
	s->value = value;
	s->kind = kind;
	return 0;
}

static const char *
type_name(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null: return "null";
	case json_type_boolean: return "true/false";
	case json_type_double: return "a fraction";
	case json_type_int: return "a number";
	case json_type_object: return "an object";
	case json_type_array: return "a list";
	case json_type_string: return "a string";
	}
	return "?";
}

/* A string value without NUL bytes, or NULL. */
static const char *
plain_string(struct json_object *v)
{
	const char *s;

	if (!json_object_is_type(v, json_type_string))
		return NULL;
	s = json_object_get_string(v);
	return strlen(s) == (size_t)json_object_get_string_len(v) ? s : NULL;
}

/* One value of option |opt|: the text cli_apply() is to see. */
static int
option_value(struct profile *p, const struct option *opt, unsigned kind,
    struct json_object *v, const char *base_dir, const char **out,
    const char *origin, char *err, size_t err_len)
{
	char num[32];
	const char *s;

	if (json_object_is_type(v, json_type_int) &&
	    (kind & CLI_OPT_NUMBER) != 0) {
		snprintf(num, sizeof(num), "%lld",
		    (long long)json_object_get_int64(v));
		s = num;
	} else if ((s = plain_string(v)) == NULL)
		return fail(err, err_len, "%s: key \"%s\": expected %s, not %s",
		    origin, opt->name, (kind & CLI_OPT_NUMBER) != 0 ?
		    "a number" : "a string", type_name(v));
	if (s[0] == '\0')
		return fail(err, err_len, "%s: key \"%s\": the value is empty",
		    origin, opt->name);
	/* "-" is stdin, "none" a choice, "pkcs11:..." a key or certificate
	 * on a token (RFC 7512): not files. */
	if ((kind & CLI_OPT_PATH) != 0 && s[0] != '/' && base_dir != NULL &&
	    strcmp(s, "-") != 0 && strcmp(s, "none") != 0 &&
	    strncmp(s, "pkcs11:", 7) != 0)
		*out = arena_cat(p, base_dir, "/", s);
	else
		*out = arena_cat(p, s, NULL, NULL);
	if (*out == NULL)
		return fail(err, err_len, "%s: the profile is too large",
		    origin);
	return 0;
}

/* cli_apply()'s "--NAME: why" becomes "ORIGIN: key "NAME": why". */
static int
apply_value(struct profile *p, const struct option *opt, unsigned kind,
    const char *value, const char *origin, struct cli_opts *o, char *err,
    size_t err_len)
{
	char why[512];
	size_t n = strlen(opt->name);
	const char *w = why;
	int rv;

	if ((rv = cli_apply(o, opt, value, why, sizeof(why))) != 0) {
		if (strncmp(why, "--", 2) == 0 &&
		    strncmp(why + 2, opt->name, n) == 0 &&
		    strncmp(why + 2 + n, ": ", 2) == 0)
			w = why + 4 + n;
		return fail(err, err_len, "%s: key \"%s\": %s", origin,
		    opt->name, w);
	}
	return add_setting(p, opt->name, value != NULL ? value : "true", kind,
	    origin, err, err_len);
}

static int
apply_key(struct profile *p, const struct option *opt, struct json_object *v,
    const char *base_dir, const char *origin, struct cli_opts *o,
    char *err, size_t err_len)
{
	unsigned kind = cli_option_kind(opt);
	const char *value;
	size_t i, n;
	int rv;

	if ((kind & CLI_OPT_ARGV_ONLY) != 0)
		return fail(err, err_len, "%s: key \"%s\": only on the command "
		    "line, not in a profile", origin, opt->name);
	if ((kind & CLI_OPT_FLAG) != 0) {
		if (!json_object_is_type(v, json_type_boolean))
			return fail(err, err_len, "%s: key \"%s\": expected "
			    "true or false, not %s", origin, opt->name,
			    type_name(v));
		/* false is the default: nothing to apply. */
		return json_object_get_boolean(v) ? apply_value(p, opt, kind,
		    NULL, origin, o, err, err_len) : 0;
	}
	if (!json_object_is_type(v, json_type_array)) {
		if ((rv = option_value(p, opt, kind, v, base_dir, &value,
		    origin, err, err_len)) != 0)
			return rv;
		return apply_value(p, opt, kind, value, origin, o, err,
		    err_len);
	}
	if ((kind & CLI_OPT_REPEAT) == 0)
		return fail(err, err_len, "%s: key \"%s\": takes one value, "
		    "not a list", origin, opt->name);
	n = json_object_array_length(v);
	for (i = 0; i < n; i++) {
		if ((rv = option_value(p, opt, kind,
		    json_object_array_get_idx(v, i), base_dir, &value, origin,
		    err, err_len)) != 0 ||
		    (rv = apply_value(p, opt, kind, value, origin, o, err,
		    err_len)) != 0)
			return rv;
	}
	return 0;
}

/* A NUL-terminated secret into |dst| of |cap| bytes. */
static int
copy_secret(const char *s, char *dst, size_t cap, const char *key,
    const char *origin, char *err, size_t err_len)
{
	size_t n = strlen(s);

	if (n == 0 || n >= cap)
		return fail(err, err_len, "%s: key \"%s\": %s", origin, key,
		    n == 0 ? "the secret is empty" : "the secret is too long");
	memcpy(dst, s, n + 1);
	return 0;
}

/* "psk", "password", "key-passphrase", "pin". */
static int
apply_secret(struct profile *p, const char *key, struct json_object *v,
    const char *origin, struct cli_opts *o, char *err, size_t err_len)
{
	struct profile_secrets *sec = p->sec;
	const char *s;
	int rv;

	if ((s = plain_string(v)) == NULL)
		return fail(err, err_len, "%s: key \"%s\": expected a string, "
		    "not %s", origin, key, type_name(v));
	if (strcmp(key, "psk") == 0) {
		/* Bytes, not a C string: all IKE_PSK_MAX may be used. */
		sec->psk_len = strlen(s);
		if (sec->psk_len == 0 || sec->psk_len > sizeof(sec->psk))
			return fail(err, err_len, "%s: key \"psk\": %s", origin,
			    sec->psk_len == 0 ? "the secret is empty" :
			    "the secret is too long");
		memcpy(sec->psk, s, sec->psk_len);
		sec->has_psk = o->psk_inline = true;
	} else if (strcmp(key, "password") == 0) {
		if ((rv = copy_secret(s, sec->password, sizeof(sec->password),
		    key, origin, err, err_len)) != 0)
			return rv;
		sec->has_password = o->password_inline = true;
	} else if (strcmp(key, "key-passphrase") == 0) {
		if ((rv = copy_secret(s, sec->key_passphrase,
		    sizeof(sec->key_passphrase), key, origin, err,
		    err_len)) != 0)
			return rv;
		sec->has_key_passphrase = o->passphrase_inline = true;
	} else {
		if ((rv = copy_secret(s, sec->pin, sizeof(sec->pin), key,
		    origin, err, err_len)) != 0)
			return rv;
		sec->has_pin = true;
	}
	return add_setting(p, key, NULL, CLI_OPT_SECRET, origin, err, err_len);
}

static bool
is_secret_key(const char *key)
{
	return strcmp(key, "psk") == 0 || strcmp(key, "password") == 0 ||
	    strcmp(key, "key-passphrase") == 0 || strcmp(key, "pin") == 0;
}

/* A profile's name: it names the control socket and the TUN. */
static bool
name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 64 || s[0] == '.')
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_' || s[i] == '.' || s[i] == '-'))
			return false;
	return true;
}

static int
apply_profile_only(struct profile *p, const char *key, struct json_object *v,
    const char *secrets_denied, const char *origin, struct cli_opts *o,
    char *err, size_t err_len)
{
	const char *s, *copy;

	if (is_secret_key(key)) {
		bool pin = strcmp(key, "pin") == 0;

		if (secrets_denied != NULL)
			return fail(err, err_len, "%s: key \"%s\": an inline "
			    "secret needs a profile that only root may read "
			    "and write: %s%s%s%s", origin, key, secrets_denied,
			    pin ? "" : " (or move it to a file named by \"",
			    pin ? "" : key, pin ? "" : "-file\")");
		return apply_secret(p, key, v, origin, o, err, err_len);
	}
	if ((s = plain_string(v)) == NULL)
		return fail(err, err_len, "%s: key \"%s\": expected a string, "
		    "not %s", origin, key, type_name(v));
	if (strcmp(key, "name") == 0 && !name_ok(s))
		return fail(err, err_len, "%s: key \"name\": use 1 to 64 of "
		    "A-Z a-z 0-9 _ . - (not first '.')", origin);
	if (strcmp(key, "control-group") == 0 && !name_ok(s))
		return fail(err, err_len, "%s: key \"control-group\": not a "
		    "group name", origin);
	if ((copy = arena_cat(p, s, NULL, NULL)) == NULL)
		return fail(err, err_len, "%s: the profile is too large",
		    origin);
	if (strcmp(key, "name") == 0)
		o->profile_name = copy;
	else
		o->control_group = copy;
	return add_setting(p, key, copy, 0, origin, err, err_len);
}

/* Line and column (from 1) of byte |off| of |text|. */
static void
line_col(const char *text, size_t off, unsigned *line, unsigned *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

/* How many of the |len| bytes at |s| are JSON white space; |s| need not
 * end with a NUL. */
static size_t
white_span(const char *s, size_t len)
{
	size_t n = 0;

	while (n < len && (s[n] == ' ' || s[n] == '\t' || s[n] == '\r' ||
	    s[n] == '\n'))
		n++;
	return n;
}

/* The one JSON object of |text|, or an error with line and column. */
static int
parse_object(const char *origin, const char *text, size_t len,
    struct json_object **out, char *err, size_t err_len)
{
	struct json_tokener *tok;
	struct json_object *root;
	enum json_tokener_error jerr;
	unsigned line, col;
	const char *nul;
	size_t end;

	*out = NULL;
	if (len > PROFILE_MAX_TEXT)
		return fail(err, err_len, "%s: larger than %d bytes", origin,
		    PROFILE_MAX_TEXT);
	if ((nul = memchr(text, '\0', len)) != NULL) {
		line_col(text, (size_t)(nul - text), &line, &col);
		return fail(err, err_len, "%s:%u:%u: a NUL byte: not a JSON "
		    "text", origin, line, col);
	}
	if (white_span(text, len) == len)
		return fail(err, err_len, "%s: empty; a profile is one JSON "
		    "object: { \"gateway\": \"...\", ... }", origin);
	if ((tok = json_tokener_new_ex(JSON_DEPTH)) == NULL)
		return IR_ERR_NOMEM;
	root = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr == json_tokener_success && end < len &&
	    white_span(text + end, len - end) != len - end) {
		end += white_span(text + end, len - end);
		json_object_put(root);
		line_col(text, end, &line, &col);
		return fail(err, err_len, "%s:%u:%u: text after the end of the "
		    "JSON object", origin, line, col);
	}
	if (jerr == json_tokener_continue)
		return fail(err, err_len, "%s: the JSON text ends too early (a "
		    "missing '}', ']' or '\"')", origin);
	if (jerr != json_tokener_success) {
		line_col(text, end, &line, &col);
		return fail(err, err_len, "%s:%u:%u: not valid JSON: %s",
		    origin, line, col, json_tokener_error_desc(jerr));
	}
	if (!json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return fail(err, err_len, "%s: must be one JSON object "
		    "{ \"key\": value, ... }", origin);
	}
	*out = root;
	return 0;
}

/* Secrets may sit in the parsed strings: wipe them before json-c frees
 * them. */
static void
wipe_put(struct json_object *root)
{
	struct json_object *v;

	if (root == NULL)
		return;
	json_object_object_foreach(root, key, val) {
		(void)key;
		v = val;
		if (json_object_is_type(v, json_type_string))
			ir_wipe((char *)json_object_get_string(v),
			    (size_t)json_object_get_string_len(v));
	}
	json_object_put(root);
}

static int
unknown_key(const char *origin, const char *key, char *err, size_t err_len)
{
	const char *near = profile_suggest(key);

	if (near != NULL)
		return fail(err, err_len, "%s: key \"%.*s\": unknown key; did "
		    "you mean \"%s\"?", origin, KEY_ECHO_MAX, key, near);
	return fail(err, err_len, "%s: key \"%.*s\": unknown key; the keys "
	    "are connect's long options (man 5 ikeroam.json)", origin,
	    KEY_ECHO_MAX, key);
}

int
profile_apply_text(struct profile *p, const char *origin,
    const char *base_dir, const char *text, size_t len,
    const char *secrets_denied, struct cli_opts *o, char *err,
    size_t err_len)
{
	struct json_object *root;
	const struct option *opt;
	size_t i;
	int rv;

	if ((rv = parse_object(origin, text, len, &root, err, err_len)) != 0)
		return rv;
	json_object_object_foreach(root, key, val) {
		if ((opt = find_option(key)) != NULL)
			rv = apply_key(p, opt, val, base_dir, origin, o, err,
			    err_len);
		else {
			for (i = 0; i < N_PROFILE_ONLY; i++)
				if (strcmp(key, profile_only[i]) == 0)
					break;
			rv = i < N_PROFILE_ONLY ? apply_profile_only(p, key,
			    val, secrets_denied, origin, o, err, err_len) :
			    unknown_key(origin, key, err, err_len);
		}
		if (rv != 0)
			break;
	}
	wipe_put(root);
	return rv;
}

int
profile_apply_secrets(struct profile *p, const char *origin,
    const char *text, size_t len, struct cli_opts *o, char *err,
    size_t err_len)
{
	struct json_object *root;
	int rv;

	if ((rv = parse_object(origin, text, len, &root, err, err_len)) != 0)
		return rv;
	json_object_object_foreach(root, key, val) {
		if (is_secret_key(key))
			rv = apply_secret(p, key, val, origin, o, err, err_len);
		else
			rv = fail(err, err_len, "%s: key \"%.*s\": not one of "
			    "psk, password, key-passphrase, pin", origin,
			    KEY_ECHO_MAX, key);
		if (rv != 0)
			break;
	}
	wipe_put(root);
	return rv;
}
