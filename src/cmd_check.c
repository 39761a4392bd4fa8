/*
 * src/cmd_check.c: `ikeroam check NAME|PATH`: everything `connect` would
 * load, without connecting: the profile, the cross-option rules, every
 * file it names (owner, mode, contents), the identities and proposals,
 * the gateway's name, the certificates and keys.  It asks for nothing: a
 * key that needs a passphrase nobody gave is reported as such.  One line
 * per problem; exit 0 when there is none, 2 otherwise.
 */
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto_pkcs11.h"
#include "crypto/crypto_sig.h"
#include "crypto/crypto_tls.h"
#include "ike/ike_algs.h"
#include "src/commands.h"
#include "src/exitcode.h"
#include "src/ident.h"
#include "src/log.h"
#include "src/netcfg.h"
#include "src/profile.h"
#include "src/safefile.h"
#include "src/secret.h"

struct check {
	const char		*origin;	/* the profile's path */
	const struct cli_opts	*o;
	const struct profile	*p;
	unsigned		 problems;
};

static void	problem(struct check *ck, const char *key, const char *fmt,
		    ...) __attribute__((format(printf, 3, 4)));

static void
problem(struct check *ck, const char *key, const char *fmt, ...)
{
	char why[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (key != NULL)
		log_err("%s: key \"%s\": %s", ck->origin, key, why);
	else
		log_err("%s: %s", ck->origin, why);
	ck->problems++;
}

/* Files: who may write them and, for secrets, read them. */
static void
check_files(struct check *ck)
{
	const struct profile_setting *s;
	char err[1024];
	size_t i;
	int fd;

	for (i = 0; i < profile_n_settings(ck->p); i++) {
		s = profile_setting(ck->p, i);
		if ((s->kind & CLI_OPT_PATH) == 0 || s->value == NULL ||
		    strcmp(s->value, "-") == 0 || strcmp(s->value, "none") == 0 ||
		    crypto_pkcs11_is_uri(s->value))	/* check_token() */
			continue;
		/* Written by ikeroam: only the directory matters. */
		if (strcmp(s->key, "status-file") == 0 ||
		    strcmp(s->key, "state-file") == 0) {
			if (safefile_check_parent(s->value, err,
			    sizeof(err)) != 0)
				problem(ck, s->key, "%s", err);
			continue;
		}
		if (safefile_open(s->value, (s->kind & CLI_OPT_SECRET) != 0 ?
		    SAFEFILE_SECRET : 0, &fd, err, sizeof(err)) != 0)
			problem(ck, s->key, "%s", err);
		else
			close(fd);
	}
	if (!ck->o->script_none && ck->o->script == NULL &&
	    access(NETCFG_DEFAULT_SCRIPT, X_OK) != 0)
		problem(ck, NULL, "%s is missing: install vpnc-scripts, or set "
		    "\"script\": \"none\"", NETCFG_DEFAULT_SCRIPT);
}

static void
check_names(struct check *ck)
{
	const struct cli_opts *o = ck->o;
	struct addrinfo hints, *res = NULL;
	struct ike_algs algs;
	struct ike_id id;
	char err[512];
	int rv;

	if (ident_parse(o->id, &id, err, sizeof(err)) != 0)
		problem(ck, "id", "%s", err);
	if (o->remote_id != NULL &&
	    ident_parse(o->remote_id, &id, err, sizeof(err)) != 0)
		problem(ck, "remote-id", "%s", err);
	/* Not a problem, but worth a line (issue 11 item 10). */
	if ((o->psk_file != NULL || o->psk_inline) && o->remote_id == NULL)
		printf("%s: key \"psk-file\": a PSK without \"remote-id\" "
		    "accepts whatever identity the gateway claims: add "
		    "\"remote-id\"\n", ck->origin);
	if (o->ike_proposal != NULL && ike_algs_parse(o->ike_proposal, false,
	    &algs, err, sizeof(err)) != 0)
		problem(ck, "ike", "%s", err);
	if (o->esp_proposal != NULL && ike_algs_parse(o->esp_proposal, true,
	    &algs, err, sizeof(err)) != 0)
		problem(ck, "esp", "%s", err);
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_DGRAM;
	if ((rv = getaddrinfo(o->gateway, NULL, &hints, &res)) != 0)
		problem(ck, "gateway", "cannot resolve '%s': %s; check the "
		    "name and your DNS", o->gateway, gai_strerror(rv));
	else
		freeaddrinfo(res);
}

/* A file's bytes; when it cannot be read, check_files() said why. */
static int
read_setting(const char *path, unsigned flags, uint8_t **buf, size_t *len)
{
	char err[1024];

	return safefile_read(path, flags, SAFEFILE_MAX, buf, len, err,
	    sizeof(err));
}

static void
check_cas(struct check *ck)
{
	struct crypto_trust *t = NULL;
	uint8_t *buf;
	size_t len;
	unsigned i;
	int rv;

	if (crypto_trust_new(&t) != 0)
		return;
	for (i = 0; i < ck->o->n_ca; i++) {
		if (read_setting(ck->o->ca_files[i], 0, &buf, &len) != 0)
			continue;
		rv = crypto_trust_add_data(t, buf, len);
		safefile_free(buf, len);
		if (rv != 0)
			problem(ck, "ca", "%s: %s", ck->o->ca_files[i],
			    rv == IR_ERR_CONFIG ? "no certificate in the file" :
			    ir_strerror(rv));
	}
	crypto_trust_free(t);
}

/* The passphrase the profile gives for the key, without asking. */
static bool
passphrase(struct check *ck, char *out, size_t cap)
{
	const struct profile_secrets *ps = profile_secrets(ck->p);
	char err[1024];
	size_t n;

	if (ps->has_key_passphrase) {
		snprintf(out, cap, "%s", ps->key_passphrase);
		return true;
	}
	if (ck->o->key_passphrase_file == NULL)
		return false;
	if (secret_read_file(ck->o->key_passphrase_file, (uint8_t *)out,
	    cap - 1, &n, err, sizeof(err)) != 0) {
		problem(ck, "key-passphrase-file", "%s", err);
		return false;
	}
	out[n] = '\0';
	return true;
}

/*
 * --key pkcs11:URI: the token (present? its PIN's state), the
 * certificate (the token's, without logging in, or the file), and, when
 * the profile gives the PIN without asking, one login and the key.  A
 * token with one PIN try left is not tried.
 */
static void
check_token(struct check *ck)
{
	const struct cli_opts *o = ck->o;
	struct crypto_token_info ti;
	struct crypto_pkcs11 *t = NULL;
	struct crypto_pkey *key = NULL, *pub = NULL;
	struct crypto_cert *cert = NULL;
	char pin[PROFILE_SECRET_MAX], why[600];
	uint8_t *buf;
	size_t len;
	int rv;

	if ((rv = crypto_pkcs11_open(&t, o->key_file, &ti, why,
	    sizeof(why))) != 0 && ti.label[0] == '\0') {
		problem(ck, "key", "%s", why);
		return;
	}
	printf("%s: key \"key\": token \"%s\" (%s %s, serial %s): %s\n",
	    ck->origin, ti.label, ti.manufacturer, ti.model, ti.serial,
	    ti.pin_locked ? "PIN LOCKED" : ti.pin_final_try ?
	    "one PIN try left" : ti.pin_count_low ? "PIN tried wrong lately" :
	    "present");
	if (rv != 0) {
		problem(ck, "key", "%s", why);
		return;
	}
	if (crypto_pkcs11_is_uri(o->cert_file)) {
		if (crypto_pkcs11_cert(t, o->cert_file, &cert, why,
		    sizeof(why)) != 0)
			problem(ck, "cert", "%s", why);
	} else if (read_setting(o->cert_file, 0, &buf, &len) == 0) {
		if ((rv = crypto_cert_load(&cert, buf, len)) != 0)
			problem(ck, "cert", "%s: not a certificate (%s)",
			    o->cert_file, ir_strerror(rv));
		safefile_free(buf, len);
	}
	if (ti.pin_final_try)
		printf("%s: key \"key\": not logging in: one PIN try is left "
		    "before the token locks\n", ck->origin);
	else if (!ti.login_required || passphrase(ck, pin, sizeof(pin))) {
		rv = crypto_pkcs11_key(t, o->key_file, ti.login_required ?
		    pin : NULL, &key, why, sizeof(why));
		if (rv != 0)
			problem(ck, "key", "%s", why);
		else
			printf("%s: key \"key\": the token's key is there "
			    "(%s, %u bits)\n", ck->origin,
			    crypto_pkey_type(key) == CRYPTO_KEY_RSA ? "RSA" :
			    "ECDSA", crypto_pkey_bits(key));
	} else
		printf("%s: key \"key\": connect asks the token's PIN "
		    "(key-passphrase-file, or the terminal)\n", ck->origin);
	ir_wipe(pin, sizeof(pin));
	if (key != NULL && cert != NULL && crypto_cert_pubkey(cert,
	    &pub) == 0 && !crypto_pkey_equal(key, pub))
		problem(ck, "key", "%s does not belong to the certificate %s",
		    o->key_file, o->cert_file);
	crypto_pkey_free(pub);
	crypto_pkey_free(key);
	crypto_cert_free(cert);
	crypto_pkcs11_close(t);
}

static void
check_cert_key(struct check *ck)
{
	const struct cli_opts *o = ck->o;
	struct crypto_pkey *key = NULL, *pub = NULL;
	struct crypto_cert *cert = NULL;
	char pass[PROFILE_SECRET_MAX];
	uint8_t *buf;
	size_t len;
	bool have_pass;
	int rv;

	if (o->cert_file == NULL || o->key_file == NULL)
		return;
	if (crypto_pkcs11_is_uri(o->key_file)) {
		check_token(ck);
		return;
	}
	if (read_setting(o->cert_file, 0, &buf, &len) == 0) {
		if ((rv = crypto_cert_load(&cert, buf, len)) != 0)
			problem(ck, "cert", "%s: not a certificate (%s)",
			    o->cert_file, ir_strerror(rv));
		safefile_free(buf, len);
	}
	if (read_setting(o->key_file, SAFEFILE_SECRET, &buf, &len) != 0)
		goto out;
	have_pass = passphrase(ck, pass, sizeof(pass));
	rv = crypto_pkey_load_private(&key, buf, len, have_pass ? pass : NULL);
	safefile_free(buf, len);
	ir_wipe(pass, sizeof(pass));
	if (rv == IR_ERR_AUTH && !have_pass)
		/* Not a problem: connect asks for it. */
		printf("%s: key \"key\": %s is encrypted: connect needs its "
		    "passphrase (key-passphrase-file, or the terminal)\n",
		    ck->origin, o->key_file);
	else if (rv != 0)
		problem(ck, "key", "%s: %s%s", o->key_file, ir_strerror(rv),
		    rv == IR_ERR_AUTH ? " (wrong passphrase)" : "");
	if (key != NULL && cert != NULL && crypto_cert_pubkey(cert,
	    &pub) == 0 && !crypto_pkey_equal(key, pub))
		problem(ck, "key", "%s does not belong to the certificate %s",
		    o->key_file, o->cert_file);
out:
	crypto_pkey_free(pub);
	crypto_pkey_free(key);
	crypto_cert_free(cert);
}

/* Secret files: present and not empty (their mode: check_files()). */
static void
check_secret_file(struct check *ck, const char *key, const char *path)
{
	uint8_t buf[PROFILE_SECRET_MAX];
	char err[1024];
	size_t n;
	int fd;

	if (path == NULL || strcmp(path, "-") == 0)
		return;
	if (safefile_open(path, SAFEFILE_SECRET, &fd, err, sizeof(err)) != 0)
		return;
	close(fd);
	if (secret_read_file(path, buf, sizeof(buf), &n, err,
	    sizeof(err)) != 0)
		problem(ck, key, "%s", err);
	ir_wipe(buf, sizeof(buf));
}

static void
check_tls_ca(struct check *ck)
{
	struct crypto_tls *t = NULL;
	int rv;

	if (ck->o->tls_ca == NULL)
		return;
	if ((rv = crypto_tls_new(&t, ck->o->gateway, ck->o->tls_ca)) != 0)
		problem(ck, "tls-ca", "%s", t != NULL ? crypto_tls_detail(t) :
		    ir_strerror(rv));
	crypto_tls_free(t);
}

int
cmd_check(int argc, char **argv)
{
	struct profile *p = NULL;
	struct cli_opts o;
	struct check ck;
	char err[1024];

	if (argc != 2 || argv[1][0] == '-') {
		log_err("check: usage: ikeroam check NAME|PATH");
		return IR_EXIT_USAGE;
	}
	if (profile_load_named(argv[1], &o, &p, err, sizeof(err)) != 0) {
		log_err("%s", err);
		profile_free(p);
		return IR_EXIT_USAGE;
	}
	if (cli_finish(&o, err, sizeof(err)) != 0) {
		log_err("%s: %s", profile_origin(p), err);
		profile_free(p);
		return IR_EXIT_USAGE;
	}
	memset(&ck, 0, sizeof(ck));
	ck.origin = profile_origin(p);
	ck.o = &o;
	ck.p = p;
	if (o.file_owner != NULL &&
	    safefile_allow_user(o.file_owner, err, sizeof(err)) != 0)
		problem(&ck, "file-owner", "%s", err);
	check_files(&ck);
	check_names(&ck);
	check_cas(&ck);
	check_cert_key(&ck);
	check_secret_file(&ck, "psk-file", o.psk_inline ? NULL : o.psk_file);
	check_secret_file(&ck, "password-file", o.password_file);
	check_tls_ca(&ck);
	if (ck.problems == 0)
		printf("%s: ok\n", ck.origin);
	else
		log_err("%s: %u problem%s", ck.origin, ck.problems,
		    ck.problems == 1 ? "" : "s");
	profile_free(p);
	return ck.problems == 0 ? IR_EXIT_OK : IR_EXIT_USAGE;
}
