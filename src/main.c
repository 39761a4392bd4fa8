/*
 * src/main.c: the ikeroam program.  Reads the command line, loads the
 * secrets and certificates, resolves the gateway, then hands everything
 * to one connection (src/conn.c) and runs the libuv loop until it ends.
 * Every error a user can cause ends in one line and a documented exit
 * status (src/exitcode.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <netdb.h>
#include <sys/wait.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto.h"
#include "crypto/crypto_dn.h"
#include "crypto/crypto_pkcs11.h"
#include "crypto/crypto_sig.h"
#include "ike/ike_algs.h"
#include "ike/ike_names.h"
#include "src/captive.h"
#include "src/cli.h"
#include "src/commands.h"
#include "src/conn.h"
#include "src/control_sock.h"
#include "src/exitcode.h"
#include "src/ident.h"
#include "src/killswitch.h"
#include "src/log.h"
#include "src/perm_check.h"
#include "src/netcfg.h"
#include "crypto/crypto_tls.h"
#include "src/fallback.h"
#include "src/netmem.h"
#include "src/commands.h"
#include "src/profile.h"
#include "src/safefile.h"
#include "src/priv.h"
#include "src/secret.h"

/* Certificates and keys that the IKE SA borrows for its lifetime. */
struct auth_material {
	struct crypto_pkey	*key;
	struct crypto_cert	*cert;
	struct crypto_cert	*chain[IKE_CERT_CHAIN_MAX];
	size_t			 n_chain;
	struct crypto_trust	*trust;
	uint8_t			*tls_ca;	/* --tls-ca's PEM */
	size_t			 tls_ca_len;
	struct crypto_pkcs11	*p11;		/* --key pkcs11:...'s engine */
	char			*pin;		/* its PIN (secret_alloc), for
						   the privileged part */
	bool			 token_error;	/* IR_EXIT_TOKEN, or
						   IR_EXIT_AUTH: wrong PIN */
	bool			 defer_key;	/* the privileged part opens
						   the key (privsep) */
};

static void
auth_material_free(struct auth_material *m)
{
	crypto_pkey_free(m->key);
	m->key = NULL;
	crypto_pkcs11_close(m->p11);
	m->p11 = NULL;
	if (m->pin != NULL)
		secret_free(m->pin, CRYPTO_PKCS11_PIN_MAX + 1);
	m->pin = NULL;
	crypto_cert_free(m->cert);
	while (m->n_chain > 0)
		crypto_cert_free(m->chain[--m->n_chain]);
	crypto_trust_free(m->trust);
	if (m->tls_ca != NULL)
		safefile_free(m->tls_ca, m->tls_ca_len);
}

/* No core dumps, and no ptrace or /proc/PID/mem for other users of our
 * uid: they would hold keys. */
static void
no_core_dumps(void)
{
	struct rlimit rl = { 0, 0 };

	(void)setrlimit(RLIMIT_CORE, &rl);
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/*
 * Blocks of 128 KiB and more are mapped and given back when freed, at
 * every size.  glibc raises its mmap threshold to the size of each such
 * block freed (up to 32 MiB), so from the first reauthentication on, an
 * IKE SA's buffers (struct ike_bufs, 348 KiB), a UDP transport's receive
 * slots (1 MiB) and a TCP one's queue (320 KiB), made and freed with
 * every attempt, went into the heap, were zeroed there by calloc (every
 * page touched) and stayed resident: soak.sh saw the network part's RSS
 * grow from 6976 to 10204 KiB in 900 s (flat after 544 s), and from 6936
 * to 7208 KiB in 300 s with the threshold held (GLIBC_TUNABLES
 * glibc.malloc.mmap_threshold=131072).  Setting it turns the dynamic
 * threshold off; 128 KiB is glibc's own starting value.
 */
static void
hold_mmap_threshold(void)
{
	(void)mallopt(M_MMAP_THRESHOLD, 128 * 1024);
}

/* The file of option |opt|, checked by src/safefile.h; the line in
 * |err| names the option. */
static int
read_option_file(const char *opt, const char *path, unsigned flags,
    uint8_t **buf, size_t *len, char *err, size_t err_len)
{
	char why[400];
	int rv;

	if ((rv = safefile_read(path, flags, SAFEFILE_MAX, buf, len, why,
	    sizeof(why))) != 0)
		snprintf(err, err_len, "%s: %s", opt, why);
	return rv;
}

static int
load_trust(const struct cli_opts *o, struct auth_material *m, char *err,
    size_t err_len)
{
	uint8_t *buf;
	size_t len;
	unsigned i;
	int rv;

	/* A PSK proves the gateway by itself, and gives no name to check a
	 * public certificate against: no system store then. */
	if (o->n_ca == 0 && o->psk_file != NULL)
		return 0;
	if ((rv = crypto_trust_new(&m->trust)) != 0)
		return rv;
	if (o->n_ca == 0 && (rv = crypto_trust_add_system(m->trust)) != 0) {
		snprintf(err, err_len, "no --ca and no system trust store "
		    "(/etc/ssl/certs): install ca-certificates or give the "
		    "gateway's CA with --ca");
		return rv;
	}
	for (i = 0; i < o->n_ca; i++) {
		if ((rv = read_option_file("--ca", o->ca_files[i], 0, &buf,
		    &len, err, err_len)) != 0)
			return rv;
		rv = crypto_trust_add_data(m->trust, buf, len);
		safefile_free(buf, len);
		if (rv != 0) {
			snprintf(err, err_len, "--ca %s: %s", o->ca_files[i],
			    rv == IR_ERR_CONFIG ? "no certificate in the file" :
			    ir_strerror(rv));
			return rv;
		}
	}
	return 0;
}

/*
 * Our certificate, then the intermediates we send with it: the other
 * certificates of the --cert file, then those of --cert-chain.
 */
static int
load_cert_chain(const struct cli_opts *o, struct auth_material *m,
    char *err, size_t err_len)
{
	struct crypto_cert *list[1 + IKE_CERT_CHAIN_MAX];
	const char *opt[2] = { "--cert", "--cert-chain" };
	const char *path[2] = { o->cert_file, o->cert_chain_file };
	uint8_t *buf;
	size_t n, i, len;
	int rv, f;

	for (f = 0; f < 2 && path[f] != NULL; f++) {
		if (f == 0 && crypto_pkcs11_is_uri(path[0]))
			continue;	/* load_cert_auth() has it */
		if ((rv = read_option_file(opt[f], path[f], 0, &buf, &len, err,
		    err_len)) != 0)
			return rv;
		rv = crypto_cert_load_chain(list, IKE_CERT_CHAIN_MAX + 1 -
		    m->n_chain - (f == 0 ? 0 : 1), &n, buf, len);
		safefile_free(buf, len);
		if (rv != 0) {
			snprintf(err, err_len, "%s %s: %s%s", opt[f], path[f],
			    ir_strerror(rv), rv == IR_ERR_NOBUF ? " (more "
			    "than 4 intermediate certificates in all)" : "");
			return rv;
		}
		for (i = 0; i < n; i++) {
			if (f == 0 && i == 0)
				m->cert = list[0];
			else
				m->chain[m->n_chain++] = list[i];
		}
	}
	return 0;
}

/*
 * The secret that opens --key into m->pin (secret memory): the
 * profile's key-passphrase, --key-passphrase-file (or "-": stdin), else
 * for a token that needs a login the terminal.  "" when there is none.
 */
static int
read_key_secret(const struct cli_opts *o, const struct profile_secrets *ps,
    const struct crypto_token_info *ti, struct auth_material *m, char *err,
    size_t err_len)
{
	char prompt[96];
	size_t len = 0;
	int rv = 0;

	if ((m->pin = secret_alloc(CRYPTO_PKCS11_PIN_MAX + 1)) == NULL)
		return IR_ERR_NOMEM;
	if (ps->has_key_passphrase) {
		len = strlen(ps->key_passphrase);
		if (len > CRYPTO_PKCS11_PIN_MAX)
			len = CRYPTO_PKCS11_PIN_MAX;
		memcpy(m->pin, ps->key_passphrase, len);
	} else if (o->key_passphrase_file != NULL)
		rv = secret_read_file(o->key_passphrase_file,
		    (uint8_t *)m->pin, CRYPTO_PKCS11_PIN_MAX, &len, err,
		    err_len);
	else if (ti != NULL && ti->login_required) {
		snprintf(prompt, sizeof(prompt), "PIN for token \"%s\": ",
		    ti->label);
		rv = secret_read_tty(prompt, (uint8_t *)m->pin,
		    CRYPTO_PKCS11_PIN_MAX, &len, err, err_len);
		if (rv != 0 && strncmp(err, "no terminal", 11) == 0)
			snprintf(err, err_len, "no terminal to ask the PIN of "
			    "token \"%s\": use --key-passphrase-file FILE (or "
			    "- for stdin)", ti->label);
	}
	if (rv == 0)
		m->pin[len] = '\0';
	return rv;
}

/*
 * The private key of --key, opened with m->pin: on the token (RFC 7512
 * URI; one login, never retried) or from the file; it must be the key of
 * m->cert.  0, or a negative code with one line in |err| and
 * m->token_error set for the token's own failures.
 */
static int
load_private(const struct cli_opts *o, struct auth_material *m, char *err,
    size_t err_len)
{
	const char *secret = m->pin != NULL && m->pin[0] != '\0' ? m->pin :
	    NULL;
	struct crypto_pkey *pub = NULL;
	char why[600];
	uint8_t *buf;
	size_t len;
	bool same;
	int rv;

	if (crypto_pkcs11_is_uri(o->key_file)) {
		m->token_error = true;
		if ((m->p11 == NULL && (rv = crypto_pkcs11_open(&m->p11,
		    o->key_file, NULL, why, sizeof(why))) != 0) ||
		    (rv = crypto_pkcs11_key(m->p11, o->key_file, secret,
		    &m->key, why, sizeof(why))) != 0) {
			snprintf(err, err_len, "--key: %s", why);
			return rv;
		}
		m->token_error = false;
	} else {
		if ((rv = read_option_file("--key", o->key_file,
		    SAFEFILE_SECRET, &buf, &len, err, err_len)) != 0)
			return rv;
		rv = crypto_pkey_load_private(&m->key, buf, len, secret);
		safefile_free(buf, len);
		if (rv != 0) {
			snprintf(err, err_len, "--key %s: %s%s", o->key_file,
			    ir_strerror(rv), rv == IR_ERR_AUTH ? " (wrong or "
			    "missing --key-passphrase-file)" : "");
			return rv;
		}
	}
	if ((rv = crypto_cert_pubkey(m->cert, &pub)) != 0)
		return rv;
	same = crypto_pkey_equal(m->key, pub);
	crypto_pkey_free(pub);
	if (!same) {
		snprintf(err, err_len, "--key %s does not belong to --cert %s%s",
		    o->key_file, o->cert_file, crypto_pkcs11_is_uri(o->key_file) ?
		    ": check the object's label or id" : "");
		return IR_ERR_CONFIG;
	}
	return 0;
}

/*
 * Certificate authentication: the certificate (a file, or the token's
 * when --cert is a PKCS#11 URI), the intermediates, the secret that opens
 * the key, then the key itself -- unless m->defer_key: under privilege
 * separation the privileged part opens the key after the split
 * (parent_key()), so that no login, PIN copy or decoded key is ever in
 * the memory the network part inherits.  For a token the token is looked
 * for now (missing, PIN locked), without logging in.
 */
static int
load_cert_auth(const struct cli_opts *o, const struct profile_secrets *ps,
    struct auth_material *m, char *err, size_t err_len)
{
	struct crypto_token_info ti;
	bool token = crypto_pkcs11_is_uri(o->key_file);
	char why[600];
	int rv;

	if (!token && crypto_pkcs11_is_uri(o->cert_file)) {
		snprintf(err, err_len, "--cert pkcs11:... needs the key on a "
		    "token too (--key pkcs11:...)");
		return IR_ERR_CONFIG;
	}
	if (token && o->eap == CLI_EAP_TLS) {
		snprintf(err, err_len, "--eap tls cannot use a key on a token "
		    "(--key pkcs11:...): the TLS handshake runs in the "
		    "unprivileged part; use a key file, or certificate "
		    "authentication without --eap");
		return IR_ERR_CONFIG;
	}
	/* EAP-TLS: the TLS stack of the network part needs the key. */
	if (o->eap == CLI_EAP_TLS)
		m->defer_key = false;
	if (token) {
		m->token_error = true;
		if ((rv = crypto_pkcs11_open(&m->p11, o->key_file, &ti, why,
		    sizeof(why))) != 0) {
			snprintf(err, err_len, "--key: %s", why);
			return rv;
		}
		if (crypto_pkcs11_is_uri(o->cert_file) &&
		    (rv = crypto_pkcs11_cert(m->p11, o->cert_file, &m->cert,
		    why, sizeof(why))) != 0) {
			snprintf(err, err_len, "--cert: %s", why);
			return rv;
		}
		m->token_error = false;
		if (m->defer_key) {	/* nothing logged in crosses the fork */
			crypto_pkcs11_close(m->p11);
			m->p11 = NULL;
		}
		if (ti.pin_final_try)
			log_warn("token \"%s\": one PIN try is left before it "
			    "locks", ti.label);
	}
	if ((rv = load_cert_chain(o, m, err, err_len)) != 0 ||
	    (rv = read_key_secret(o, ps, token ? &ti : NULL, m, err,
	    err_len)) != 0)
		return rv;
	if (m->defer_key)
		return 0;
	if ((rv = load_private(o, m, err, err_len)) != 0)
		return rv;
	if (token)
		log_info("key on token \"%s\" (%s %s)", ti.label,
		    ti.manufacturer, ti.model);
	return 0;
}

/* A DN --id must be our certificate's subject (or a directoryName in
 * it): the gateway would refuse it anyway, with a vaguer answer. */
static int
check_local_dn(const struct ike_conf *ike, const struct auth_material *m,
    char *err, size_t err_len)
{
	char want[256], have[256];
	uint8_t der[1024];
	size_t n;

	if (ike->local_id.type != CRYPTO_ID_DER_ASN1_DN ||
	    crypto_cert_match_id(m->cert, ike->local_id.type,
	    ike->local_id.data, ike->local_id.len) == 0)
		return 0;
	crypto_dn_text(ike->local_id.data, ike->local_id.len, want,
	    sizeof(want));
	if (crypto_cert_subject_der(m->cert, der, sizeof(der), &n) == 0)
		crypto_dn_text(der, n, have, sizeof(have));
	else
		snprintf(have, sizeof(have), "?");
	snprintf(err, err_len, "--id \"%.160s\" is not the subject of "
	    "--cert (\"%.160s\"): give the subject as written there", want,
	    have);
	return IR_ERR_CONFIG;
}

/*
 * EAP (RFC 7296 §2.16): the method, the identity (--eap-user, or --id
 * for EAP-TLS), and the password or GTC response (the profile's
 * "password" first).  Without either, MSCHAPv2 asks now; GTC asks when
 * the gateway's prompt comes (conn_attempt.c), since a one-time code
 * may depend on it.
 */
static int
setup_eap(const struct cli_opts *o, const struct profile_secrets *ps,
    struct ike_conf *ike, char *err, size_t err_len)
{
	const char *name = o->eap_user != NULL ? o->eap_user : o->id;
	size_t len = 0;
	int rv = 0;

	ike->auth = IKE_CONF_AUTH_EAP;
	ike->eap_method = o->eap == CLI_EAP_TLS ? IKE_EAP_TLS :
	    o->eap == CLI_EAP_GTC ? IKE_EAP_GTC : IKE_EAP_MSCHAPV2;
	ike->eap_only = o->eap_only;
	if (strlen(name) >= sizeof(ike->eap_identity)) {
		snprintf(err, err_len, "--eap-user: the name is too long");
		return IR_ERR_CONFIG;
	}
	strcpy(ike->eap_identity, name);
	if (ike->eap_method == IKE_EAP_TLS)
		return 0;
	if (ps->has_password) {
		snprintf(ike->eap_password, sizeof(ike->eap_password), "%s",
		    ps->password);
		return 0;
	}
	if (o->password_file != NULL)
		rv = secret_read_file(o->password_file,
		    (uint8_t *)ike->eap_password, sizeof(ike->eap_password) - 1,
		    &len, err, err_len);
	else if (ike->eap_method == IKE_EAP_MSCHAPV2)
		rv = secret_read_tty("EAP password: ",
		    (uint8_t *)ike->eap_password, sizeof(ike->eap_password) - 1,
		    &len, err, err_len);
	if (rv == 0)
		ike->eap_password[len] = '\0';
	return rv;
}

/* Fill the authentication part of |ike| from the options and the
 * profile's secrets. */
static int
setup_auth(const struct cli_opts *o, const struct profile_secrets *ps,
    struct ike_conf *ike, struct auth_material *m, char *err,
    size_t err_len)
{
	size_t i;
	int rv;

	if ((rv = load_trust(o, m, err, err_len)) != 0)
		return rv;
	ike->trust = m->trust;
	/* RFC 4806: ask for the gateway's OCSP responses when we check. */
	ike->ocsp_certreq = o->revocation != REVOCATION_OFF;
	if (ps->has_psk) {
		ike->auth = IKE_CONF_AUTH_PSK;
		memcpy(ike->psk, ps->psk, ps->psk_len);
		ike->psk_len = ps->psk_len;
		return 0;
	}
	if (o->psk_file != NULL) {
		ike->auth = IKE_CONF_AUTH_PSK;
		return secret_read_file(o->psk_file, ike->psk,
		    sizeof(ike->psk), &ike->psk_len, err, err_len);
	}
	if (o->cert_file != NULL) {
		if ((rv = load_cert_auth(o, ps, m, err, err_len)) != 0)
			return rv;
		ike->key = m->key;
		ike->cert = m->cert;
		for (i = 0; i < m->n_chain; i++)
			ike->cert_chain[i] = m->chain[i];
		ike->n_cert_chain = (uint8_t)m->n_chain;
		if (o->eap != CLI_EAP_TLS) {
			ike->auth = IKE_CONF_AUTH_CERT;
			return check_local_dn(ike, m, err, err_len);
		}
	}
	return setup_eap(o, ps, ike, err, err_len);
}

static int
setup_algs(const struct cli_opts *o, struct ike_conf *ike, char *err,
    size_t err_len)
{
	char why[160];

	ike_algs_default_ike(&ike->ike);
	ike_algs_default_esp(&ike->esp);
	if (o->ike_proposal != NULL && ike_algs_parse(o->ike_proposal, false,
	    &ike->ike, why, sizeof(why)) != 0) {
		snprintf(err, err_len, "--ike: %s", why);
		return IR_ERR_CONFIG;
	}
	if (o->esp_proposal != NULL && ike_algs_parse(o->esp_proposal, true,
	    &ike->esp, why, sizeof(why)) != 0) {
		snprintf(err, err_len, "--esp: %s", why);
		return IR_ERR_CONFIG;
	}
	return 0;
}

/*
 * A kill switch left by an earlier run blocks DNS outside the tunnel:
 * the address it recorded for the same gateway name stands in.
 */
static int
recorded_gateway(const struct cli_opts *o, struct conn_conf *cf)
{
	struct killswitch_conf ks;
	char text[INET6_ADDRSTRLEN];

	if (killswitch_record_read(&ks) != 0 ||
	    strcmp(ks.gw_name, o->gateway) != 0)
		return IR_ERR_NOT_FOUND;
	cf->gw = ks.gw[0];
	if (cf->gw.ss_family == AF_INET)
		((struct sockaddr_in *)&cf->gw)->sin_port = htons(o->port);
	else
		((struct sockaddr_in6 *)&cf->gw)->sin6_port = htons(o->port);
	snprintf(cf->gw_name, sizeof(cf->gw_name), "%s", o->gateway);
	if (killswitch_addr_text(&cf->gw, text))
		log_info("cannot resolve %s while the kill switch is on: "
		    "using its recorded address %s", o->gateway, text);
	return 0;
}

static int
resolve_gateway(const struct cli_opts *o, struct conn_conf *cf, char *err,
    size_t err_len)
{
	struct addrinfo hints, *res = NULL;
	struct in6_addr probe;
	char port[8];
	int rv;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_family = AF_UNSPEC;
	snprintf(port, sizeof(port), "%u", o->port);
	if (inet_pton(AF_INET, o->gateway, &probe) != 1 &&
	    inet_pton(AF_INET6, o->gateway, &probe) != 1)
		log_info("resolving %s", o->gateway);	/* may take seconds */
	if ((rv = getaddrinfo(o->gateway, port, &hints, &res)) != 0) {
		if (recorded_gateway(o, cf) == 0)
			return 0;
		snprintf(err, err_len, "cannot resolve gateway '%s': %s; check "
		    "the name and your DNS", o->gateway, gai_strerror(rv));
		return IR_ERR_TIMEOUT;	/* unreachable: exit status 5 */
	}
	memcpy(&cf->gw, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	snprintf(cf->gw_name, sizeof(cf->gw_name), "%s", o->gateway);
	return 0;
}

static void	setup_netmem(const struct cli_opts *o, struct conn_conf *cf);

/*
 * --tls-ca is read now, owner and mode checked (src/safefile.h), while
 * ikeroam may read it (the network part could not: src/priv.h); one
 * that cannot be used is said now, not when TLS is tried.
 */
static int
load_tls_ca(const struct cli_opts *o, struct auth_material *m, char *err,
    size_t err_len)
{
	struct crypto_tls *t = NULL;
	int rv;

	if (o->tls_ca == NULL)
		return 0;
	if ((rv = read_option_file("--tls-ca", o->tls_ca, 0, &m->tls_ca,
	    &m->tls_ca_len, err, err_len)) != 0)
		return rv;
	if ((rv = crypto_tls_new_pem(&t, o->gateway, m->tls_ca,
	    m->tls_ca_len)) != 0)
		snprintf(err, err_len, "--tls-ca: %s", t != NULL ?
		    crypto_tls_detail(t) : ir_strerror(rv));
	crypto_tls_free(t);
	return rv;
}

/*
 * Files named on the command line that are not read now: the script runs
 * as root later, the status file is written at every change.  Both are
 * refused now when someone else could swap them.
 */
static int
check_files(const struct cli_opts *o, char *err, size_t err_len)
{
	char why[400];
	int fd, rv = 0;

	if (o->script != NULL && (rv = safefile_open(o->script, 0, &fd, why,
	    sizeof(why))) == 0)
		close(fd);
	else if (rv != 0) {
		snprintf(err, err_len, "--script: %s", why);
		return rv;
	}
	if (o->status_file != NULL && (rv = safefile_check_parent(
	    o->status_file, why, sizeof(why))) != 0)
		snprintf(err, err_len, "--status-file: %s", why);
	return rv;
}

/*
 * Whom the gateway must prove to be: --remote-id, or with certificates
 * (and EAP, where the gateway signs) the name the user connected to, as
 * a browser checks a web server.  A PSK proves the identity by itself.
 */
static int
setup_remote_id(const struct cli_opts *o, struct ike_conf *ike, char *err,
    size_t err_len)
{
	if (o->remote_id != NULL) {
		ike->send_idr = o->send_remote_id;
		return ident_parse(o->remote_id, &ike->remote_id, err, err_len);
	}
	if (o->psk_file != NULL || o->psk_inline) {
		/* Anyone holding the PSK can then pose as the gateway under
		 * any name; the gateway's IDr is at least pinned. */
		log_warn("a PSK without --remote-id accepts whatever identity "
		    "the gateway claims: add --remote-id with the gateway's "
		    "identity");
		return 0;
	}
	return ident_parse(o->gateway, &ike->remote_id, err, err_len);
}

/*
 * "CN=*, O=Example" trusts whatever the CA certified under that name:
 * fine for the gateway's own CA, not for every public CA of the system
 * store.  "*.example.com" stays allowed there: a public CA checks that
 * the name is under the domain.
 */
static int
check_remote_pattern(const struct cli_opts *o, const struct ike_conf *ike,
    const struct auth_material *m, char *err, size_t err_len)
{
	if (m->trust == NULL || !crypto_trust_is_system(m->trust) ||
	    ike->remote_id.type != CRYPTO_ID_DER_ASN1_DN ||
	    !crypto_id_is_pattern(ike->remote_id.type, ike->remote_id.data,
	    ike->remote_id.len))
		return 0;
	snprintf(err, err_len, "--remote-id %s: a DN with wildcards needs "
	    "--ca (the system's public CAs cannot vouch for it)",
	    o->remote_id);
	return IR_ERR_CONFIG;
}

/* --ts: the remote traffic selectors we ask for (RFC 7296 §2.9), each a
 * range from the network's first to its last address. */
static void
ts_from_cli(const struct cli_opts *o, struct ike_conf *ike)
{
	unsigned i, b, bits;

	for (i = 0; i < o->n_ts && i < IKE_TS_MAX; i++) {
		struct ike_ts *t = &ike->ts_remote[i];
		const struct cli_net *n = &o->ts[i];

		memset(t, 0, sizeof(*t));
		t->type = n->family == 4 ? IKE_TST_IPV4_ADDR_RANGE :
		    IKE_TST_IPV6_ADDR_RANGE;
		t->port_hi = 0xffff;
		bits = n->family == 4 ? 32 : 128;
		memcpy(t->start, n->addr, bits / 8);
		memcpy(t->end, n->addr, bits / 8);
		for (b = n->prefix; b < bits; b++)
			t->end[b / 8] |= (uint8_t)(0x80u >> (b % 8));
	}
	ike->n_ts_remote = (uint8_t)i;
}

/* Everything the connection needs, from the options. */
static int
setup(const struct cli_opts *o, const struct profile_secrets *ps,
    struct conn_conf *cf, struct auth_material *m, char *err, size_t err_len)
{
	struct ike_conf *ike = &cf->ike;
	int rv;

	memset(cf, 0, sizeof(*cf));
	if (o->file_owner != NULL &&
	    (rv = safefile_allow_user(o->file_owner, err, err_len)) != 0)
		return rv;
	if ((rv = check_files(o, err, err_len)) != 0 ||
	    (rv = setup_algs(o, ike, err, err_len)) != 0 ||
	    (rv = ident_parse(o->id, &ike->local_id, err, err_len)) != 0 ||
	    (rv = setup_remote_id(o, ike, err, err_len)) != 0 ||
	    (rv = setup_auth(o, ps, ike, m, err, err_len)) != 0 ||
	    (rv = check_remote_pattern(o, ike, m, err, err_len)) != 0 ||
	    (rv = resolve_gateway(o, cf, err, err_len)) != 0 ||
	    (rv = load_tls_ca(o, m, err, err_len)) != 0)
		return rv;
	ike->want_ip4 = true;
	ike->want_ip6 = true;
	ike->force_encap = true;	/* userspace ESP: always in UDP */
	ike->mobike = !o->no_mobike;
	ike->redirect = !o->no_redirect;	/* RFC 5685, conn.c follows */
	_Static_assert((int)CLI_CHILDLESS_NEVER == (int)IKE_CHILDLESS_NEVER &&
	    (int)CLI_CHILDLESS_FORCE == (int)IKE_CHILDLESS_FORCE &&
	    (int)CLI_CHILDLESS_AUTO == (int)IKE_CHILDLESS_AUTO,
	    "RFC 6023 modes");
	ike->childless = (uint8_t)o->childless;	/* same values, RFC 6023 */
	ike->fragmentation = true;
	ike->giveup_ms = o->giveup_ms;
	ike->dpd_ms = o->dpd_ms == 0 ? UINT32_MAX : o->dpd_ms;
	ts_from_cli(o, ike);
	cf->keepalive_ms = o->keepalive_ms;
	cf->natt_port = o->natt_port;
	cf->tcp_port = o->tcp_port;
	cf->tls_port = o->tls_port;
	cf->tls_ca = o->tls_ca;
	cf->tls_ca_pem = m->tls_ca;
	cf->tls_ca_len = m->tls_ca_len;
	snprintf(cf->tls_name, sizeof(cf->tls_name), "%s", o->gateway);
	cf->transport = o->transport;
	cf->fallback_ms = o->fallback_ms;
	cf->race_ms = o->race_ms;
	cf->status_file = o->status_file;
	cf->reconnect_ms = o->reconnect_ms;
	cf->reauth_s = o->reauth_s;
	cf->udp_probe_ms = o->udp_probe_ms;
	cf->silence_ms = o->silence_ms;
	cf->check_ms = o->check_ms;
	cf->revocation.policy = o->revocation;
	cf->revocation.cache_dir = o->revocation_cache;
	cf->network_id = o->network_id;
	cf->script = o->script_none || o->netcfg_external ? NULL :
	    o->script != NULL ? o->script : NETCFG_DEFAULT_SCRIPT;
	cf->netcfg_external = o->netcfg_external;
	/* The stock script's work is known: the early setup goes before
	 * it (src/netcfg.c); a script of one's own keeps control. */
	cf->script_early = cf->script != NULL &&
	    (o->script_routes == CLI_SCRIPT_ROUTES_EARLY ||
	    (o->script_routes == CLI_SCRIPT_ROUTES_AUTO &&
	    netcfg_script_is_stock(cf->script)));
	cf->control_fd = -1;
	cf->ready_fd = -1;
	cf->ifname = o->ifname;
	cf->mtu = o->mtu;
	if (o->captive_url == NULL) {
		cf->captive_url = CAPTIVE_DEFAULT_URL;
		cf->captive_expect = CAPTIVE_DEFAULT_BODY;
	} else if (strcmp(o->captive_url, "none") != 0) {
		cf->captive_url = o->captive_url;
		cf->captive_expect = o->captive_expect != NULL ?
		    o->captive_expect : "";
	}
	setup_netmem(o, cf);
	return 0;
}

/*
 * Which network are we on, and did it block UDP to this gateway before?
 * Best effort: without a name for the network nothing is remembered.
 */
static void
setup_netmem(const struct cli_opts *o, struct conn_conf *cf)
{
	struct tun_netid id;
	struct tun_nl *nl;
	bool have_id = false;

	if (o->transport != CLI_XPORT_AUTO)
		return;
	if (o->state_file != NULL)
		snprintf(cf->netmem_path, sizeof(cf->netmem_path), "%s",
		    o->state_file);
	else if (netmem_default_path(cf->netmem_path,
	    sizeof(cf->netmem_path)) != 0)
		return;
	if (o->network_id == NULL && (nl = ir_calloc(1, sizeof(*nl))) != NULL) {
		tun_nl_init(nl);
		have_id = tun_nl_open(nl) == 0 && tun_netid_get(nl,
		    cf->gw.ss_family, &id) == 0;
		tun_nl_close(nl);
		ir_free(nl);
	}
	if (netmem_key(have_id ? &id : NULL, o->network_id, cf->gw_name,
	    cf->netmem_key, sizeof(cf->netmem_key)) != 0) {
		cf->netmem_path[0] = '\0';
		return;
	}
	cf->remembered_xport = netmem_rung(cf->netmem_path, cf->netmem_key,
	    time(NULL));
	cf->udp_blocked_here = cf->remembered_xport != FB_UDP;
	log_debug("network %s%s%s", cf->netmem_key, cf->udp_blocked_here ?
	    ": blocked UDP before; " : "", cf->udp_blocked_here ?
	    fallback_xport_name(cf->remembered_xport) : "");
}

static int
exit_for_setup_error(int rv)
{
	if (rv == IR_ERR_CONFIG || rv == IR_ERR_AUTH || rv == IR_ERR_MALFORMED)
		return IR_EXIT_USAGE;
	if (rv == -ENOENT || rv == -EACCES || rv == -EISDIR)
		return IR_EXIT_USAGE;
	if (rv == IR_ERR_TIMEOUT)	/* the gateway's name did not resolve */
		return IR_EXIT_UNREACHABLE;
	return IR_EXIT_FAILURE;
}

/* The kill switch's parameters: the gateway as resolved, our ports. */
static void
killswitch_conf_of(const struct cli_opts *o, const struct conn_conf *cf,
    struct killswitch_conf *ks)
{
	memset(ks, 0, sizeof(*ks));
	snprintf(ks->gw_name, sizeof(ks->gw_name), "%s", cf->gw_name);
	ks->gw[0] = cf->gw;
	ks->n_gw = 1;
	ks->ike_port = o->port;
	ks->natt_port = o->natt_port;
	ks->tcp_port = o->tcp_port;
	ks->tls_port = cf->tls_port != 0 ? cf->tls_port : KILLSWITCH_TLS_PORT;
	snprintf(ks->ifname, sizeof(ks->ifname), "%s", o->ifname);
	ks->allow_lan = o->kill_switch_allow_lan;
}

/*
 * The connection needs CAP_NET_ADMIN and nothing else from here on
 * (src/priv_caps.c): the TUN, netlink, the kill switch, vpnc-script.
 */
static void
keep_net_admin(void)
{
	char err[160];

	if (priv_keep_net_admin(err, sizeof(err)) != 0)
		log_warn("%s; going on with the privileges ikeroam has", err);
}

/*
 * The privileged part's key for SIGN, opened now (load_cert_auth()
 * deferred it): the token's login or the file's decoding happen only
 * here, after the fork.  The PIN or passphrase is wiped afterwards.
 * 0, or the exit status after one line.
 */
static int
parent_key(const struct cli_opts *o, struct auth_material *m)
{
	char err[1024];
	int rv = 0;

	if (m->defer_key && m->cert != NULL)
		rv = load_private(o, m, err, sizeof(err));
	if (m->pin != NULL)
		secret_free(m->pin, CRYPTO_PKCS11_PIN_MAX + 1);
	m->pin = NULL;
	if (rv == 0)
		return 0;
	rv = m->token_error ? (rv == IR_ERR_AUTH ? IR_EXIT_AUTH :
	    IR_EXIT_TOKEN) : exit_for_setup_error(rv);
	log_result(rv, err);
	return rv;
}

/*
 * The network part's key: the certificate's public key, its signatures
 * made by the privileged part (PRIV_SIGN), for a key file too: the
 * network part then holds no private key.  EAP-TLS keeps a key file's
 * key here, since the TLS stack needs it (a token key is refused for
 * EAP-TLS before this).
 */
static int
network_key(struct conn_conf *cf, struct auth_material *m)
{
	struct crypto_pkey *pub = NULL, *rk = NULL;
	int rv;

	if (m->cert == NULL || cf->ike.auth != IKE_CONF_AUTH_CERT)
		return 0;
	if ((rv = crypto_cert_pubkey(m->cert, &pub)) != 0 ||
	    (rv = crypto_pkey_new_remote(&rk, pub, priv_sign,
	    &cf->priv)) != 0) {
		crypto_pkey_free(pub);
		return rv;
	}
	crypto_pkey_free(pub);
	crypto_pkey_free(m->key);
	m->key = rk;
	cf->ike.key = rk;
	return 0;
}

/*
 * Split in two (src/priv.h): true in the network part, with *|fd| its
 * end of the socketpair and nothing privileged left; false in the
 * privileged part once the network part is over, with *|code| its exit
 * status.  The privileged part keeps no secret but the key it signs
 * with (PRIV_SIGN), which it opens only now.
 */
static bool
split(const struct cli_opts *o, struct conn_conf *cf, struct auth_material *m,
    int *fd, int *code)
{
	struct priv_parent_conf pc;
	struct priv_user u;
	char netmem[sizeof(cf->netmem_path)], err[256], c = 0;
	int go[2];
	ssize_t n;
	pid_t pid;

	if (priv_user_lookup(PRIV_USER, &u) != 0)
		log_warn("no user '%s': the network part runs as %s (uid %u); "
		    "create it: adduser --system --no-create-home %s", PRIV_USER,
		    u.name, (unsigned)u.uid, PRIV_USER);
	memset(&pc, 0, sizeof(pc));
	pc.script = cf->script;
	pc.script_early = cf->script_early;
	pc.ifname = cf->ifname;
	pc.status_file = cf->status_file;
	snprintf(netmem, sizeof(netmem), "%s", cf->netmem_path);
	pc.netmem_path = netmem;
	/* Only root may write under /var/lib/ikeroam: the privileged part
	 * keeps the revocation cache (a pointer into the options, which
	 * the wipe of |cf| below leaves alone). */
	if (cf->revocation.policy != REVOCATION_OFF)
		pc.revocation_cache = cf->revocation.cache_dir != NULL ?
		    cf->revocation.cache_dir : REVOCATION_CACHE_DIR;
	pc.gateway.family = (uint8_t)cf->gw.ss_family;
	if (cf->gw.ss_family == AF_INET)
		memcpy(pc.gateway.addr,
		    &((struct sockaddr_in *)&cf->gw)->sin_addr, 4);
	else
		memcpy(pc.gateway.addr,
		    &((struct sockaddr_in6 *)&cf->gw)->sin6_addr, 16);
	/* The network part starts once the privileged part has the key:
	 * one octet on |go|, or end of file when it could not. */
	if (pipe2(go, O_CLOEXEC) != 0) {
		log_err("privsep: pipe: %s", strerror(errno));
		*code = IR_EXIT_FAILURE;
		return false;
	}
	if ((pid = priv_fork(fd, err, sizeof(err))) < 0) {
		log_err("%s", err);
		close(go[0]);
		close(go[1]);
		*code = IR_EXIT_FAILURE;
		return false;
	}
	if (pid == 0) {
		uint8_t warm;
		int krv;

		close(go[1]);
		if (m->pin != NULL)
			secret_free(m->pin, CRYPTO_PKCS11_PIN_MAX + 1);
		m->pin = NULL;
		/*
		 * While the privileged part opens the key (or asks for its
		 * passphrase), on the other core: what needs no privilege and
		 * prints nothing.  The first random octets build OpenSSL's
		 * generator (its DRBG and the first cipher fetch, some 2 ms
		 * of CPU here), which the first exchange would otherwise wait
		 * for; the public half of our key likewise.
		 */
		(void)crypto_random(&warm, 1);
		krv = network_key(cf, m);
		while ((n = read(go[0], &c, 1)) < 0 && errno == EINTR)
			;
		close(go[0]);
		if (n != 1)		/* the privileged part said why */
			_exit(IR_EXIT_FAILURE);
		if (krv != 0) {
			log_err("privsep: no signing key for the network part");
			_exit(IR_EXIT_FAILURE);
		}
		if (priv_enter_network_part(&u, err, sizeof(err)) != 0) {
			log_err("%s", err);
			_exit(IR_EXIT_FAILURE);
		}
		return true;
	}
	close(go[0]);
	/* The network part serves the control socket and tells the
	 * --background parent; this part only removes the file at the end. */
	if (cf->control_fd >= 0)
		close(cf->control_fd);
	if (cf->ready_fd >= 0)
		close(cf->ready_fd);
	ir_wipe(cf, sizeof(*cf));
	if (!m->defer_key) {	/* EAP-TLS: the network part's own key */
		crypto_pkey_free(m->key);
		m->key = NULL;
	}
	if ((*code = parent_key(o, m)) != 0) {
		close(go[1]);
		(void)waitpid(pid, NULL, 0);
		close(*fd);
		auth_material_free(m);
		memset(m, 0, sizeof(*m));
		return false;
	}
	c = 'k';
	while (write(go[1], &c, 1) < 0 && errno == EINTR)
		;
	close(go[1]);
	pc.key = m->key;
	pc.key_name = o->key_file;
	keep_net_admin();
	*code = priv_parent_run(*fd, pid, &pc);
	auth_material_free(m);
	memset(m, 0, sizeof(*m));
	return false;
}

/*
 * The control socket (src/control_sock.h), made now by root: --control-
 * socket, or /run/ikeroam/NAME.sock for a profile.  Without root and
 * without --control-socket there is none.  0 or an exit status.
 */
static int
control_socket(const struct cli_opts *o, struct control_sock *cs,
    struct conn_conf *cf)
{
	char path[CONTROL_PATH_MAX], err[600];
	int rv;

	cs->fd = -1;
	cs->path[0] = '\0';
	if (o->control_socket != NULL)
		snprintf(path, sizeof(path), "%s", o->control_socket);
	else if (o->profile_name == NULL || geteuid() != 0 ||
	    control_sock_path(o->profile_name, path, sizeof(path)) != 0)
		return 0;
	if ((rv = control_sock_listen(cs, path, o->control_group, err,
	    sizeof(err))) != 0) {
		log_result(rv == -EADDRINUSE ? IR_EXIT_RUNNING :
		    rv == IR_ERR_CONFIG ? IR_EXIT_USAGE : IR_EXIT_FAILURE,
		    err);
		return rv == -EADDRINUSE ? IR_EXIT_RUNNING : rv ==
		    IR_ERR_CONFIG ? IR_EXIT_USAGE : IR_EXIT_FAILURE;
	}
	cf->control_fd = cs->fd;
	cf->control_group_set = cs->group_set;
	cf->control_group = cs->group;
	return 0;
}

/*
 * --background: the process the user started waits for one line on a
 * pipe ("0 up", or "STATUS reason" from src/conn_status.c), prints the
 * failure, and exits with its status; the tunnel goes on in a new
 * session with stdio on /dev/null (stderr kept when it is a file).
 * Returns in the tunnel's process with cf->ready_fd set; exits in the
 * waiting one.
 */
static void
background(struct conn_conf *cf, struct control_sock *cs)
{
	char line[600];
	struct stat st;
	size_t len = 0;
	ssize_t n;
	pid_t pid;
	int p[2], st_code, fd, code;

	if (pipe2(p, O_CLOEXEC) != 0) {
		log_result(IR_EXIT_FAILURE, "--background: pipe failed");
		exit(IR_EXIT_FAILURE);
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		log_result(IR_EXIT_FAILURE, "--background: fork failed");
		exit(IR_EXIT_FAILURE);
	}
	if (pid == 0) {
		close(p[0]);
		cf->ready_fd = p[1];
		(void)setsid();
		if ((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0) {
			(void)dup2(fd, 0);
			(void)dup2(fd, 1);
			if (fstat(2, &st) != 0 || !S_ISREG(st.st_mode))
				(void)dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
		return;
	}
	close(p[1]);
	if (cs->fd >= 0)
		close(cs->fd);	/* the tunnel's now */
	while (len < sizeof(line) - 1 && (n = read(p[0], line + len,
	    sizeof(line) - 1 - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		len += (size_t)n;
		if (memchr(line, '\n', len) != NULL)
			break;
	}
	line[len] = '\0';
	line[strcspn(line, "\n")] = '\0';
	if (len > 0 && sscanf(line, "%d", &code) == 1) {
		if (code == 0)
			_exit(IR_EXIT_OK);
		log_result(code, strchr(line, ' ') != NULL ?
		    strchr(line, ' ') + 1 : "failed");
		_exit(code);
	}
	/* Gone without a word: its own exit status. */
	code = IR_EXIT_FAILURE;
	if (waitpid(pid, &st_code, 0) == pid && WIFEXITED(st_code))
		code = WEXITSTATUS(st_code);
	if (code == 0)
		code = IR_EXIT_FAILURE;
	log_result(code, "ikeroam ended before the tunnel was up");
	_exit(code);
}

static int
run_connect(const struct cli_opts *o, const struct profile *prof)
{
	const struct profile_secrets *ps = profile_secrets(prof);
	struct auth_material m;
	struct conn_conf *cf;
	struct conn *c = NULL;
	struct killswitch_conf ks;
	struct control_sock cs = { .fd = -1 };
	char err[1024] = "", line[1200];
	uv_loop_t loop;
	bool ks_was_on = false, net_part = false;
	int rv, code, fd = -1;

	memset(&m, 0, sizeof(m));
	/* Under privilege separation the privileged part opens the key. */
	m.defer_key = !o->no_privsep && geteuid() == 0;
	/* The PSK and the EAP password live in it. */
	if ((cf = secret_alloc(sizeof(*cf))) == NULL)
		return IR_EXIT_FAILURE;
	if ((code = perm_check_connect(o->ifname != NULL, err,
	    sizeof(err))) != 0) {
		log_result(code, err);
		goto out;
	}
	if ((rv = setup(o, ps, cf, &m, err, sizeof(err))) != 0) {
		/* An option from the profile: name the file and the key. */
		profile_blame(prof, err[0] ? err : ir_strerror(rv), line,
		    sizeof(line));
		code = exit_for_setup_error(rv);
		if (m.token_error && (rv == IR_ERR_AUTH ||
		    rv == IR_ERR_NOT_FOUND || rv == IR_ERR_CRYPTO))
			code = rv == IR_ERR_AUTH ? IR_EXIT_AUTH : IR_EXIT_TOKEN;
		log_result(code, line);
		goto out;
	}
	if ((code = control_socket(o, &cs, cf)) != 0)
		goto out;
	if (o->background)
		background(cf, &cs);
	if (!o->kill_switch)
		killswitch_warn_leftover();
	else {
		killswitch_conf_of(o, cf, &ks);
		if ((code = killswitch_connect_on(&ks, &ks_was_on)) != 0)
			goto out;
	}
	/* Without root there is nothing to separate (a given TUN and
	 * script, as NetworkManager runs it). */
	if (!o->no_privsep && geteuid() == 0 && !split(o, cf, &m, &fd, &code)) {
		if (o->kill_switch)	/* the privileged part's */
			killswitch_connect_done(code, true);
		goto out;
	}
	net_part = fd >= 0;
	uv_loop_init(&loop);
	if (fd >= 0 && (rv = priv_client_new(&cf->priv, &loop, fd)) == 0)
		cf->revocation.priv = cf->priv;
	else if (fd >= 0) {
		log_err("privsep: %s", ir_strerror(rv));
		code = IR_EXIT_FAILURE;
		uv_loop_close(&loop);
		goto out;
	}
	if ((rv = conn_new(&c, &loop, cf)) != 0) {
		code = IR_EXIT_USAGE;
		if (cf->control_fd >= 0)
			close(cf->control_fd);
		priv_client_close(cf->priv);
		uv_run(&loop, UV_RUN_DEFAULT);
		uv_loop_close(&loop);
		/* Nothing ran: keep only an older kill switch. */
		if (o->kill_switch && fd < 0)
			killswitch_connect_done(code, ks_was_on);
		goto out;
	}
	conn_start(c);
	if (fd < 0)
		keep_net_admin();
	uv_run(&loop, UV_RUN_DEFAULT);
	code = conn_exit_code(c);
	conn_free(c);
	priv_client_close(cf->priv);
	uv_run(&loop, UV_RUN_DEFAULT);
	uv_loop_close(&loop);
	if (o->kill_switch && fd < 0)
		killswitch_connect_done(code, true);
out:
	/* Removed by the part that made it (root), once all is over: the
	 * network part could not. */
	if (!net_part)
		control_sock_unlink(&cs);
	secret_free(cf, sizeof(*cf));
	auth_material_free(&m);
	return code;
}

int
main(int argc, char **argv)
{
	struct profile *prof = NULL;
	struct cli_opts o;
	char err[1024];
	int rv;

	no_core_dumps();
	hold_mmap_threshold();
	signal(SIGPIPE, SIG_IGN);
	log_init(IR_LOG_INFO, 0);
	/* Subcommands (src/commands.h), one line each. */
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return cmd_list(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return cmd_show(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "import") == 0)
		return cmd_import(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "status") == 0)
		return cmd_status(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "disconnect") == 0)
		return cmd_disconnect(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "reconnect") == 0)
		return cmd_reconnect(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "connect") == 0)
		rv = profile_connect_opts(argc, argv, &o, &prof, err,
		    sizeof(err));
	else
		rv = cli_parse(argc, argv, &o, err, sizeof(err));
	if (rv != 0) {
		log_err("%s", err);
		profile_free(prof);
		return IR_EXIT_USAGE;
	}
	switch (o.command) {
	case CLI_CMD_VERSION:
		printf("ikeroam %s\n", PACKAGE_VERSION);
		profile_free(prof);
		return IR_EXIT_OK;
	case CLI_CMD_HELP:
		cli_usage(stdout);
		profile_free(prof);
		return IR_EXIT_OK;
	default:
		break;
	}
	log_init(o.quiet ? IR_LOG_ERR : o.verbose > 0 ? IR_LOG_DEBUG :
	    IR_LOG_INFO, o.verbose > 0);
	log_set_json(o.json_log);
	if (o.command == CLI_CMD_KILLSWITCH_OFF ||
	    o.command == CLI_CMD_KILLSWITCH_STATUS)
		return killswitch_cmd(o.command);
	rv = run_connect(&o, prof);
	profile_free(prof);
	return rv;
}
