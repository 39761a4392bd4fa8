/*
 * src/import_util.c: what the importers share (src/import.h): the
 * result, notes, names, base64, text checks and format detection.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/import.h"

void
import_init(struct import *im)
{
	memset(im, 0, sizeof(*im));
}

void
import_clear(struct import *im)
{
	size_t i;

	for (i = 0; i < im->nfiles; i++) {
		if (im->files[i].data != NULL)
			ir_wipe(im->files[i].data, im->files[i].len);
		free(im->files[i].data);
	}
	if (im->p12.der != NULL) {
		ir_wipe(im->p12.der, im->p12.len);
		free(im->p12.der);
	}
	if (im->p12.password != NULL) {
		ir_wipe(im->p12.password, strlen(im->p12.password));
		free(im->p12.password);
	}
	json_object_put(im->profile);
	memset(im, 0, sizeof(*im));
}

/* Lines reach the terminal: no control characters. */
static void
make_printable(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

static void	add_note(struct import *im, bool info, const char *fmt,
		    va_list ap) __attribute__((format(printf, 3, 0)));

static void
add_note(struct import *im, bool info, const char *fmt, va_list ap)
{
	if (im->nnotes == IMPORT_NOTES_MAX) {
		im->notes_dropped++;
		return;
	}
	vsnprintf(im->notes[im->nnotes], IMPORT_NOTE_LEN, fmt, ap);
	im->note_is_info[im->nnotes] = info;
	make_printable(im->notes[im->nnotes++]);
}

void
import_note(struct import *im, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_note(im, false, fmt, ap);
	va_end(ap);
}

void
import_info(struct import *im, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_note(im, true, fmt, ap);
	va_end(ap);
}

int
import_fail(struct import *im, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(im->err, sizeof(im->err), fmt, ap);
	va_end(ap);
	make_printable(im->err);
	return IR_ERR_CONFIG;
}

int
import_add_file(struct import *im, const char *suffix, const char *key,
    const uint8_t *data, size_t len, bool secret)
{
	struct import_file *f;

	if (im->nfiles == IMPORT_FILES_MAX)
		return IR_ERR_NOBUF;
	f = &im->files[im->nfiles];
	if ((f->data = malloc(len + 1)) == NULL)
		return IR_ERR_NOMEM;
	memcpy(f->data, data, len);
	f->data[len] = '\0';
	f->len = len;
	f->suffix = suffix;
	f->key = key;
	f->secret = secret;
	im->nfiles++;
	return 0;
}

static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int
import_base64(const char *in, size_t in_len, size_t max, uint8_t **out,
    size_t *out_len)
{
	uint32_t acc = 0;
	size_t i, n = 0, bits = 0, pad = 0;
	uint8_t *buf;
	int v;

	*out = NULL;
	*out_len = 0;
	/* Three bytes per four characters bound the output before any
	 * allocation. */
	if ((buf = malloc(in_len / 4 * 3 + 3)) == NULL)
		return IR_ERR_NOMEM;
	for (i = 0; i < in_len; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || (v = b64_value(c)) < 0)
			goto bad;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n == max) {
				free(buf);
				return IR_ERR_NOBUF;
			}
			buf[n++] = (uint8_t)(acc >> bits);
		}
	}
	/* Leftover bits are padding only: 0, 2 or 4 of them. */
	if (pad > 2 || bits >= 6 || (acc & ((1u << bits) - 1)) != 0)
		goto bad;
	if (n == 0)
		goto bad;
	*out = buf;
	*out_len = n;
	return 0;
bad:
	ir_wipe(buf, n);
	free(buf);
	return IR_ERR_MALFORMED;
}

static bool
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

bool
import_name_from(const char *display, char *out, size_t cap)
{
	size_t n = 0;
	bool dash = false;
	const char *p;

	if (cap == 0)
		return false;
	for (p = display; *p != '\0' && n + 1 < cap && n < IMPORT_NAME_MAX;
	    p++) {
		if (name_char(*p) && !(n == 0 && (*p == '.' || *p == '-'))) {
			if (dash && n > 0) {
				if (n + 2 >= cap || n + 2 > IMPORT_NAME_MAX)
					break;
				out[n++] = '-';
			}
			dash = false;
			out[n++] = *p;
		} else {
			dash = true;
		}
	}
	while (n > 0 && (out[n - 1] == '-' || out[n - 1] == '.'))
		n--;
	out[n] = '\0';
	return n > 0;
}

bool
import_name_valid(const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > IMPORT_NAME_MAX || name[0] == '.' || name[0] == '-')
		return false;
	for (i = 0; i < n; i++)
		if (!name_char(name[i]))
			return false;
	return true;
}

/* Length of the UTF-8 sequence at |s| (RFC 3629 §4), or 0 if it is not
 * a valid one: no overlongs, no surrogates, nothing past U+10FFFF. */
static size_t
utf8_len(const unsigned char *s, size_t left, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n > left)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (n == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	*cp = c;
	return n;
}

bool
import_text_ok(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t i = 0, n;

	while (i < len) {
		if ((n = utf8_len(p + i, len - i, &cp)) == 0)
			return false;
		/* C0, DEL, C1, and the bidirectional overrides and isolates
		 * that make a line read differently than it is. */
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
		    (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			return false;
		i += n;
	}
	return true;
}

int
import_json_parse(const uint8_t *data, size_t len, struct json_object **out,
    struct import *im)
{
	struct json_tokener *tok;
	struct json_object *obj;
	enum json_tokener_error jerr;
	size_t used;

	*out = NULL;
	if (len > IMPORT_INPUT_MAX || len > INT32_MAX)
		return import_fail(im, "the file is larger than %u bytes",
		    IMPORT_INPUT_MAX);
	if ((tok = json_tokener_new_ex(IMPORT_DEPTH_MAX)) == NULL)
		return IR_ERR_NOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, (const char *)data, (int)len);
	jerr = json_tokener_get_error(tok);
	used = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (obj == NULL || jerr != json_tokener_success) {
		json_object_put(obj);
		return import_fail(im, "not valid JSON: %s%s",
		    jerr == json_tokener_continue ? "the file ends too early" :
		    json_tokener_error_desc(jerr), jerr ==
		    json_tokener_error_depth ? " (nested too deeply)" : "");
	}
	while (used < len && (data[used] == ' ' || data[used] == '\t' ||
	    data[used] == '\r' || data[used] == '\n'))
		used++;
	if (used != len) {
		json_object_put(obj);
		return import_fail(im, "not valid JSON: data after the end "
		    "of the object");
	}
	if (!json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		return import_fail(im, "the file is JSON but not an object");
	}
	*out = obj;
	return 0;
}

int
import_detect(const uint8_t *data, size_t len)
{
	size_t i = 0;

	/* A UTF-8 byte order mark is allowed before either. */
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && (data[i] == ' ' || data[i] == '\t' ||
	    data[i] == '\r' || data[i] == '\n'))
		i++;
	if (i == len)
		return IMPORT_FMT_UNKNOWN;
	if (data[i] == '<')
		return IMPORT_FMT_MOBILECONFIG;
	if (data[i] != '{')
		return IMPORT_FMT_UNKNOWN;
	/* Both are JSON objects; only a .sswan has these two keys. */
	if (memmem(data, len, "\"uuid\"", 6) != NULL &&
	    memmem(data, len, "\"type\"", 6) != NULL)
		return IMPORT_FMT_SSWAN;
	return IMPORT_FMT_NATIVE;
}

int
import_link_files(struct import *im, const char *dir, const char *name)
{
	struct json_object *old, *arr, *v;
	char path[IMPORT_PATH_MAX];
	size_t i;

	for (i = 0; i < im->nfiles; i++) {
		if (im->files[i].key == NULL)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s.%s", dir, name,
		    im->files[i].suffix) >= sizeof(path))
			return IR_ERR_NOBUF;
		if ((v = json_object_new_string(path)) == NULL)
			return IR_ERR_NOMEM;
		old = NULL;
		if (strcmp(im->files[i].key, "ca") != 0 ||
		    !json_object_object_get_ex(im->profile, "ca", &old)) {
			if (json_object_object_add(im->profile,
			    im->files[i].key, v) != 0)
				goto nomem;
		} else if (json_object_is_type(old, json_type_array)) {
			/* "ca" repeats: keep what the profile had. */
			if (json_object_array_add(old, v) != 0)
				goto nomem;
		} else {
			if ((arr = json_object_new_array()) == NULL ||
			    json_object_array_add(arr, json_object_get(old)) != 0 ||
			    json_object_array_add(arr, v) != 0 ||
			    json_object_object_add(im->profile, "ca", arr) != 0) {
				json_object_put(arr);
				return IR_ERR_NOMEM;
			}
		}
	}
	return 0;
nomem:
	json_object_put(v);
	return IR_ERR_NOMEM;
}
