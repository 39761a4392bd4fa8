/*
 * src/import.h: what the importers of `ikeroam import` produce.  Each
 * importer (src/import_sswan.c, src/import_mobileconfig.c,
 * src/import_native.c) is pure: bytes in, a struct import out, no file
 * or terminal I/O.  src/cmd_import.c opens PKCS#12 bundles (it may have
 * to ask for a password), writes the files and prints the notes.
 *
 * The profile is one JSON object whose keys are the long options of
 * `ikeroam connect` (src/cli.c).  Files the importer produces (a CA
 * certificate, a PSK, a password) are listed in |files|: each becomes
 * DIR/NAME.<suffix>, and its profile key |key| gets that path.
 */
#ifndef IR_SRC_IMPORT_H
#define IR_SRC_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

#define IMPORT_INPUT_MAX	(1u << 20)	/* files and downloads */
#define IMPORT_NAME_MAX		64		/* profile names */
#define IMPORT_PATH_MAX		1200		/* DIR/NAME.suffix */
#define IMPORT_FILES_MAX	8
#define IMPORT_NOTES_MAX	32
#define IMPORT_NOTE_LEN		200
#define IMPORT_DEPTH_MAX	16		/* nesting of JSON or plists */

#define IMPORT_NELEM(a)		(sizeof(a) / sizeof((a)[0]))

enum import_format {
	IMPORT_FMT_UNKNOWN = 0,
	IMPORT_FMT_SSWAN,		/* strongSwan Android profile, JSON */
	IMPORT_FMT_MOBILECONFIG,	/* Apple configuration profile */
	IMPORT_FMT_NATIVE,		/* an ikeroam profile */
};

struct import_file {
	const char	*suffix;	/* "ca.pem", "psk", ... (static) */
	const char	*key;		/* the profile key it fills, or NULL */
	uint8_t		*data;		/* owned; wiped when |secret| */
	size_t		 len;
	bool		 secret;	/* written 0600 */
	bool		 append_key;	/* |key| repeats ("ca") */
};

/* A PKCS#12 bundle still to be opened (by src/cmd_import.c). */
struct import_p12 {
	uint8_t		*der;		/* owned, NULL when none */
	size_t		 len;
	char		*password;	/* from the file itself, or NULL */
	bool		 set_id;	/* the profile has no "id" yet */
};

struct import {
	int			 format;	/* enum import_format */
	struct json_object	*profile;	/* owned */
	char			 name[IMPORT_NAME_MAX + 1]; /* suggested */
	struct import_file	 files[IMPORT_FILES_MAX];
	size_t			 nfiles;
	struct import_p12	 p12;
	/* One line each: what ikeroam cannot do or did differently. */
	char			 notes[IMPORT_NOTES_MAX][IMPORT_NOTE_LEN];
	bool			 note_is_info[IMPORT_NOTES_MAX];
	size_t			 nnotes;
	size_t			 notes_dropped;
	/* Given on the command line (borrowed): used where the file has
	 * no EAP user name. */
	const char		*opt_eap_user;
	/* Why the import failed: one line. */
	char			 err[IMPORT_NOTE_LEN];
};

void	import_init(struct import *im);
void	import_clear(struct import *im);	/* wipes secrets */

/* Add a note: something ikeroam ignores or does differently (printf
 * style; control characters become '?'). */
void	import_note(struct import *im, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Add a line that only informs (what a certificate is, ...). */
void	import_info(struct import *im, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Set |im->err| and return IR_ERR_CONFIG. */
int	import_fail(struct import *im, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Take |data| (copied) as a file to write.  0 or IR_ERR_NOMEM/NOBUF. */
int	import_add_file(struct import *im, const char *suffix,
	    const char *key, const uint8_t *data, size_t len, bool secret);

/*
 * Point the profile at the files: each key gets DIR/NAME.<suffix> (an
 * absolute path when |dir| is); "ca" is added to what the profile had.
 */
int	import_link_files(struct import *im, const char *dir,
	    const char *name);

/*
 * Base64 (RFC 4648 §4; whitespace ignored, padding optional) into a new
 * buffer; at most |max| decoded bytes.  IR_ERR_MALFORMED on other
 * characters, IR_ERR_NOBUF when longer.
 */
int	import_base64(const char *in, size_t in_len, size_t max,
	    uint8_t **out, size_t *out_len);

/*
 * A profile name from a display name: letters, digits, '.', '_' and
 * '-' kept, runs of anything else become one '-', no leading '.' or
 * '-'; at most IMPORT_NAME_MAX.  False when nothing is left.
 */
bool	import_name_from(const char *display, char *out, size_t cap);

/* True when |name| is a valid profile name as it is (for --name). */
bool	import_name_valid(const char *name);

/* True when |s| (|len| bytes) is printable UTF-8 text without control
 * characters: what a profile may carry as a string. */
bool	import_text_ok(const char *s, size_t len);

/*
 * The importers.  0, or IR_ERR_CONFIG/IR_ERR_MALFORMED with |im->err|.
 * The mobileconfig importer takes the XML plist (already taken out of
 * its CMS signature by the caller).
 */
int	import_sswan(const uint8_t *data, size_t len, struct import *im);
int	import_mobileconfig(const uint8_t *data, size_t len,
	    struct import *im);
int	import_native(const uint8_t *data, size_t len, struct import *im);

/* An ikeroam profile's relative file names start at its directory: make
 * them absolute under |base| (the imported file's directory). */
int	import_native_rebase(struct import *im, const char *base);

/*
 * Parse JSON text that must be one object, nested at most
 * IMPORT_DEPTH_MAX deep, with nothing after it (strict RFC 8259).
 * 0 with *|out| owned by the caller, or IR_ERR_CONFIG with |im->err|.
 */
int	import_json_parse(const uint8_t *data, size_t len,
	    struct json_object **out, struct import *im);

/* Guess the format from the content: '{' JSON with "uuid" and "type"
 * is a .sswan, other JSON an ikeroam profile, XML a plist. */
int	import_detect(const uint8_t *data, size_t len);

/*
 * Check the profile as `ikeroam connect` would read it (every key a
 * connect option, values of the right type, a complete option set).
 * 0, or IR_ERR_CONFIG with one line in |err|.
 */
int	import_validate(struct json_object *profile, char *err,
	    size_t err_len);

#endif
