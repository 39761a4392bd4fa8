/*
 * src/profile.h: connection profiles (man 5 ikeroam.json).  A profile is
 * one JSON object whose keys are the long options of `ikeroam connect`
 * (src/cli.c's table): "gateway": "vpn.example.com", "no-mobike": true,
 * "ca": ["a.pem", "b.pem"], "tcp-port": 4500 or "4500".  Each value goes
 * through cli_apply(), the function getopt's options go through, so the
 * profile and the command line cannot disagree on what a value means.
 * Profile-only keys: "name", "control-group", and the inline secrets
 * "psk", "password", "key-passphrase", "pin" (allowed only in a profile
 * that only root may read and write).  Relative file names are relative
 * to the profile's directory.
 *
 * `ikeroam connect NAME|PATH [options]` applies the defaults, then the
 * profile, then the command line: the command line wins (its --ca list
 * replaces the profile's).  NAME is [A-Za-z0-9_.-] and means
 * $IKEROAM_CONFDIR/NAME.json (tests) or /etc/ikeroam/NAME.json.
 *
 * Every error is one line that names the profile and the key:
 *   /etc/ikeroam/work.json: key "gatway": unknown key; did you mean
 *   "gateway"?
 */
#ifndef IR_SRC_PROFILE_H
#define IR_SRC_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/cli.h"

#define PROFILE_DIR		"/etc/ikeroam"
#define PROFILE_MAX_TEXT	(64 * 1024)	/* a profile or secrets */
#define PROFILE_SECRET_MAX	256	/* IKE_PSK_MAX, IKE_PASSWORD_MAX */
#define PROFILE_MAX_SETTINGS	128

/* Secrets given inline or through --secrets-fd; in locked memory. */
struct profile_secrets {
	uint8_t	psk[PROFILE_SECRET_MAX];
	size_t	psk_len;
	char	password[PROFILE_SECRET_MAX];		/* NUL-terminated */
	char	key_passphrase[PROFILE_SECRET_MAX];	/* NUL-terminated */
	char	pin[PROFILE_SECRET_MAX];		/* NUL-terminated */
	bool	has_psk, has_password, has_key_passphrase, has_pin;
};

/* One key of the profile as applied (for show and check). */
struct profile_setting {
	const char	*key;		/* "ca", "gateway", "psk" ... */
	const char	*value;		/* resolved path; NULL for a secret */
	unsigned	 kind;		/* CLI_OPT_* of the key */
};

/*
 * What a profile made: the strings struct cli_opts points to, the
 * secrets, the list of settings.  Opaque.
 */
struct profile;

int	profile_new(struct profile **out);
void	profile_free(struct profile *p);	/* wipes; NULL is fine */

const struct profile_secrets *profile_secrets(const struct profile *p);
size_t	profile_n_settings(const struct profile *p);
const struct profile_setting *profile_setting(const struct profile *p,
	    size_t i);
/* The file it was read from, or NULL (an fd, or none). */
const char *profile_origin(const struct profile *p);
void	profile_set_origin(struct profile *p, const char *path);

/*
 * Remember which options the command line gave (argv[1..argc-1]), so
 * that profile_blame() does not blame the profile for them.
 */
void	profile_note_argv(struct profile *p, int argc, char **argv);

/*
 * |line| is an error of connect's setup that names an option ("--ca
 * /x.pem: no certificate in the file") or a file ("/x.psk is readable by
 * others: ...").  When the profile file set that option and the command
 * line did not, |out| gets "PROFILE: key "ca": /x.pem: no certificate
 * in the file"; else a copy of |line|.
 */
void	profile_blame(const struct profile *p, const char *line, char *out,
	    size_t cap);

/* A copy of |s| that lives as long as |p|; NULL when |p| is full. */
const char *profile_keep(struct profile *p, const char *s);

/*
 * Apply the profile |text| (|len| bytes) over |o|.  |origin| names it
 * in errors; |base_dir| (NULL: none) is where relative paths start.
 * |secrets_denied| is NULL when inline secrets are allowed, else what to
 * run so they would be ("chmod 600 /etc/ikeroam/work.json").  0 or
 * IR_ERR_CONFIG with one line in |err|.  No file is opened.
 */
int	profile_apply_text(struct profile *p, const char *origin,
	    const char *base_dir, const char *text, size_t len,
	    const char *secrets_denied, struct cli_opts *o, char *err,
	    size_t err_len);

/*
 * The --secrets-fd object {"psk": .., "password": .., "key-passphrase":
 * .., "pin": ..}: into the profile's secrets, and o->*_inline set.
 */
int	profile_apply_secrets(struct profile *p, const char *origin,
	    const char *text, size_t len, struct cli_opts *o, char *err,
	    size_t err_len);

/* The nearest key name to a misspelt |key|, or NULL. */
const char *profile_suggest(const char *key);

/* ---- files and descriptors (src/profile_load.c) ---------------------- */

/* $IKEROAM_CONFDIR, else PROFILE_DIR. */
const char *profile_confdir(void);

/*
 * The file of NAME (confdir/NAME.json) or PATH (anything with a '/' or
 * ending in ".json"), in |out|.  IR_ERR_CONFIG for a NAME with other
 * characters than [A-Za-z0-9_.-].
 */
int	profile_path(const char *name_or_path, char *out, size_t cap,
	    char *err, size_t err_len);

/*
 * Read the profile file |path| (checked by src/safefile.h: owned by root
 * or the user, not writable by others; inline secrets need root and mode
 * 0600) and apply it over |o|.
 */
int	profile_load_file(struct profile *p, const char *path,
	    struct cli_opts *o, char *err, size_t err_len);

/* The same from an inherited descriptor, read to its end and closed. */
int	profile_load_fd(struct profile *p, int fd, struct cli_opts *o,
	    char *err, size_t err_len);

/* --secrets-fd: read once, closed, the text wiped. */
int	profile_read_secrets_fd(struct profile *p, int fd, struct cli_opts *o,
	    char *err, size_t err_len);

/*
 * The profile NAME or PATH alone over the defaults (list, show, check):
 * *|pp| as for profile_connect_opts(), o->command is CLI_CMD_CONNECT,
 * no cross-option rule applied yet.
 */
int	profile_load_named(const char *name_or_path, struct cli_opts *o,
	    struct profile **pp, char *err, size_t err_len);

/*
 * `ikeroam connect [NAME|PATH] [options]` (argv[1] is "connect"): the
 * defaults, the profile (NAME, PATH or --profile-fd), the command line,
 * --secrets-fd, then cli_finish().  *|pp| owns what |o| points to;
 * free it with profile_free() after |o|'s last use, also on error.
 */
int	profile_connect_opts(int argc, char **argv, struct cli_opts *o,
	    struct profile **pp, char *err, size_t err_len);

#endif
