/*
 * nm/shared/nm_ikeroam.h: what the NetworkManager service, the auth
 * dialog and the editor agree on.  A connection's vpn.data keys are
 * `ikeroam connect`'s long option names (the profile keys of
 * man/ikeroam.json.5), plus "auth"; its vpn.secrets keys are the
 * --secrets-fd keys.  No GLib here: the tables and the profile builder
 * are pure and tested by tests/nm/check_nm.c.
 */
#ifndef NM_IKEROAM_H
#define NM_IKEROAM_H

#include <stddef.h>
#include <stdint.h>

#define NM_IKEROAM_SERVICE	"org.freedesktop.NetworkManager.ikeroam"
#define NM_IKEROAM_VPN_TYPE	"ikeroam"

/* vpn.data keys with a meaning of their own. */
#define NM_IKEROAM_KEY_GATEWAY	"gateway"
#define NM_IKEROAM_KEY_AUTH	"auth"		/* psk, cert, eap */
#define NM_IKEROAM_KEY_ID	"id"
#define NM_IKEROAM_KEY_REMOTE_ID "remote-id"
#define NM_IKEROAM_KEY_CERT	"cert"
#define NM_IKEROAM_KEY_KEY	"key"
#define NM_IKEROAM_KEY_CA	"ca"
#define NM_IKEROAM_KEY_EAP_USER	"eap-user"
#define NM_IKEROAM_KEY_TRANSPORT "transport"	/* auto, udp, tcp, tls */

/* vpn.secrets keys; NetworkManager keeps "<key>-flags" in vpn.data. */
#define NM_IKEROAM_SECRET_PSK	"psk"
#define NM_IKEROAM_SECRET_PASSWORD "password"
#define NM_IKEROAM_SECRET_KEYPASS "key-passphrase"

enum nm_ikeroam_auth {
	NM_IKEROAM_AUTH_PSK,
	NM_IKEROAM_AUTH_CERT,
	NM_IKEROAM_AUTH_EAP,
};

enum nm_ikeroam_kind {
	NMK_TEXT,		/* a string: identities, proposals, a host */
	NMK_PATH,		/* an absolute file name */
	NMK_NUMBER,		/* decimal, within [min, max] */
	NMK_FLAG,		/* "yes" or "no" */
	NMK_CHOICE,		/* one of |choices| */
};

/*
 * The vpn.data keys the service passes on to ikeroam.  Only these: keys
 * such as "script", "interface" or "status-file" would let whoever may
 * edit a connection run programs or write files as root.
 */
struct nm_ikeroam_key {
	const char	 *name;		/* vpn.data key = profile key */
	enum nm_ikeroam_kind kind;
	uint32_t	  min, max;	/* NMK_NUMBER */
	const char *const *choices;	/* NMK_CHOICE, NULL-terminated */
	const char	 *label;	/* for the editor and error lines */
};

extern const struct nm_ikeroam_key nm_ikeroam_keys[];
extern const size_t nm_ikeroam_nkeys;
extern const char *const nm_ikeroam_transports[];	/* auto, udp, ... */
extern const char *const nm_ikeroam_auths[];		/* psk, cert, eap */

/* The key called |name|, NULL if the service does not pass it on. */
const struct nm_ikeroam_key *nm_ikeroam_key_find(const char *name);

/* One vpn.data or vpn.secrets item, borrowed. */
struct nm_kv {
	const char	*key;
	const char	*value;
};

/* |value| of |key| in |kv|, or NULL. */
const char	*nm_kv_get(const struct nm_kv *kv, size_t n, const char *key);

/*
 * The authentication method named by "auth" (absent: PSK).  0, or -1
 * with |err| filled when "auth" names none.
 */
int	 nm_ikeroam_auth(const struct nm_kv *data, size_t n,
	    enum nm_ikeroam_auth *out, char *err, size_t err_len);

/*
 * The secret the method needs ("psk" or "password"; the key
 * passphrase is optional, an unencrypted key has none), or NULL.
 */
const char *nm_ikeroam_needed_secret(enum nm_ikeroam_auth auth);

/*
 * vpn.data -> ikeroam's profile: one JSON object, "netcfg": "external"
 * added (NetworkManager applies addresses, routes and DNS).  Every key
 * is checked against nm_ikeroam_keys (kind, range, no control
 * characters) and the method's own keys must be there.  0 and a
 * malloc'd string in |*out| (the caller frees it), or -1 with one line
 * in |err| naming the key and what to do.
 */
int	 nm_ikeroam_profile(const struct nm_kv *data, size_t n, char **out,
	    char *err, size_t err_len);
/*
 * The same, and "file-owner": |user| when the connection belongs to one
 * user (connection.permissions "user:NAME"): her certificate, key and CA
 * files, in her home, pass ikeroam's owner checks.  -1 when |user| is
 * not a plain user name.
 */
int	 nm_ikeroam_profile_for_user(const struct nm_kv *data, size_t n,
	    const char *user, char **out, char *err, size_t err_len);

/*
 * vpn.data -> an ikeroam profile to save (export): the same checks and
 * keys, plus "name" when |name| is given, no "netcfg", pretty-printed.
 */
int	 nm_ikeroam_export(const struct nm_kv *data, size_t n,
	    const char *name, char **out, char *err, size_t err_len);

/* An imported ikeroam profile: vpn.data, vpn.secrets and a name. */
#define NM_IMPORT_MAX_ITEMS	48
struct nm_ikeroam_import {
	struct nm_kv	 data[NM_IMPORT_MAX_ITEMS];	/* owned strings */
	size_t		 ndata;
	struct nm_kv	 secrets[3];			/* owned, wiped */
	size_t		 nsecrets;
	char		*name;				/* owned, or NULL */
};

/*
 * An ikeroam profile (|len| bytes of JSON, at most 1 MiB) -> vpn.data
 * items and inline secrets.  Keys the plugin does not pass on (a
 * script, an interface, file names of secrets) are left out; "auth" is
 * derived (cert and key: cert; eap-user: eap; else psk); a secret not
 * in the file gets flags "agent-owned" so that it is asked for.  The
 * result passes nm_ikeroam_profile().  0, or -1 with |err| filled.
 */
int	 nm_ikeroam_import(const char *text, size_t len,
	    struct nm_ikeroam_import *out, char *err, size_t err_len);
void	 nm_ikeroam_import_clear(struct nm_ikeroam_import *im);

/*
 * vpn.secrets -> the --secrets-fd object {"psk": "..", ...}: only the
 * three known keys, JSON-escaped by hand so that no copy is left in a
 * library's buffers.  0 and a malloc'd string the caller wipes
 * (nm_ikeroam_wipe_free), or -1 with |err| filled.
 */
int	 nm_ikeroam_secrets(const struct nm_kv *secrets, size_t n,
	    char **out, size_t *out_len, char *err, size_t err_len);

/* Wipe |len| bytes of |p| and free it; NULL is fine. */
void	 nm_ikeroam_wipe_free(char *p, size_t len);

#endif
