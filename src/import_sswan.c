/*
 * src/import_sswan.c: strongSwan's Android VPN client profiles (.sswan).
 *
 * The format (docs.strongswan.org, "Android VPN client profiles") is one
 * JSON object: "uuid", "name", "type" and "remote.addr" are required;
 * "remote" also carries port, id, cert (the CA or server certificate,
 * base64), certreq and revocation; "local" carries eap_id, id, p12
 * (base64 PKCS#12) and rsa-pss; then ike-proposal, esp-proposal (the
 * strongSwan syntax ikeroam reads too), dns-servers, mtu, nat-keepalive,
 * split-tunneling, apps, excluded-apps and proxy.  The gateway always
 * authenticates with a certificate; "type" says how we do.
 *
 * What ikeroam cannot do becomes a note or, when the tunnel could not
 * work as the profile means, a refusal.
 */
#include <stdlib.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto_import.h"
#include "ike/ike_algs.h"
#include "src/import.h"
#include "src/import_json.h"

#define B64_MAX		(IMPORT_INPUT_MAX * 3 / 4)

enum sswan_auth { AUTH_EAP, AUTH_CERT, AUTH_NONE };

static const struct sswan_type {
	const char	*name;
	int		 auth;		/* enum sswan_auth */
	const char	*refusal;	/* why ikeroam cannot, or NULL */
} sswan_types[] = {
	{ "ikev2-eap",		AUTH_EAP,	NULL },
	{ "ikev2-cert",		AUTH_CERT,	NULL },
	{ "ikev2-eap-tls",	AUTH_NONE,	"EAP-TLS is not supported by "
	    "this ikeroam; ask for an ikev2-cert profile" },
	{ "ikev2-cert-eap",	AUTH_NONE,	"a certificate followed by "
	    "EAP (RFC 4739 multiple authentication) is not supported" },
	{ "ikev2-byod-eap",	AUTH_NONE,	"BYOD with TNC endpoint "
	    "assessment is not supported" },
};

/* Keys we read; any other key gets a note. */
static const char *const top_keys[] = {
	"uuid", "name", "type", "remote", "local", "ike-proposal",
	"esp-proposal", "dns-servers", "mtu", "nat-keepalive",
	"split-tunneling", "apps", "excluded-apps", "proxy",
};
static const char *const remote_keys[] = {
	"addr", "port", "id", "cert", "certreq", "revocation",
};
static const char *const local_keys[] = {
	"eap_id", "id", "p12", "rsa-pss",
};

static bool
in_list(const char *key, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(key, list[i]) == 0)
			return true;
	return false;
}

static void
note_unknown(struct import *im, struct json_object *o, const char *where,
    const char *const *known, size_t n)
{
	json_object_object_foreach(o, key, val) {
		(void)val;
		if (in_list(key, known, n))
			continue;
		if (import_text_ok(key, strlen(key)) && strlen(key) < 64)
			import_note(im, "%s%s: unknown key, ignored", where,
			    key);
		else
			import_note(im, "%sa key with control characters or "
			    "too long: ignored", where);
	}
}

/* RFC 4122 §3: 8-4-4-4-12 hex digits. */
static bool
uuid_ok(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	size_t i;

	if (strlen(s) != sizeof(shape) - 1)
		return false;
	for (i = 0; shape[i] != '\0'; i++) {
		if (shape[i] == '-' ? s[i] != '-' :
		    !((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	}
	return true;
}

/* A host name or address: no spaces, no '/', no leading '-'. */
static bool
host_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 253 && s[0] != '-' &&
	    strpbrk(s, " /\\\"'`$;,") == NULL;
}

/* A proposal ikeroam can offer goes to |key|; another is dropped with a
 * note, so the defaults apply. */
static int
proposal(struct import *im, struct json_object *o, const char *key,
    const char *prof_key, bool esp)
{
	struct ike_algs algs;
	const char *s;
	char err[160];
	int rv;

	if ((rv = import_json_str(im, o, "", key, 256, &s)) != 0 || s == NULL)
		return rv;
	if (ike_algs_parse(s, esp, &algs, err, sizeof(err)) != 0) {
		import_note(im, "%s '%s': %s; ikeroam's default proposals are "
		    "used instead", key, s, err);
		return 0;
	}
	return import_set_str(im, prof_key, s);
}

static int
remote_cert(struct import *im, const char *b64)
{
	uint8_t *der = NULL;
	size_t len, pem_len, n;
	char *pem = NULL, subject[CRYPTO_LINE_MAX];
	int rv;

	rv = import_base64(b64, strlen(b64), B64_MAX, &der, &len);
	if (rv == 0)
		rv = crypto_certs_to_pem(der, len, &pem, &pem_len, &n, subject,
		    sizeof(subject));
	free(der);
	if (rv != 0)
		return import_fail(im, "remote.cert: not a base64 X.509 "
		    "certificate");
	rv = import_add_file(im, "ca.pem", "ca", (uint8_t *)pem, pem_len,
	    false);
	free(pem);
	if (rv == 0)
		import_info(im, "remote.cert: the gateway is verified against "
		    "%s", subject);
	return rv;
}

static int
parse_remote(struct import *im, struct json_object *remote)
{
	const char *addr, *id, *cert;
	struct json_object *rev;
	bool certreq = true, present;
	uint32_t port;
	int rv;

	note_unknown(im, remote, "remote.", remote_keys,
	    IMPORT_NELEM(remote_keys));
	if ((rv = import_json_str(im, remote, "remote.", "addr",
	    IMPORT_STR_MAX, &addr)) != 0)
		return rv;
	if (addr == NULL)
		return import_fail(im, "remote.addr: missing (the gateway's "
		    "name or address)");
	if (!host_ok(addr))
		return import_fail(im, "remote.addr: '%s' is not a host name "
		    "or address", addr);
	if ((rv = import_set_str(im, "gateway", addr)) != 0)
		return rv;
	if ((rv = import_json_uint(im, remote, "remote.", "port", 1, 65535,
	    &port, &present)) != 0)
		return rv;
	if (present && (rv = import_set_uint(im, "port", port)) != 0)
		return rv;
	if ((rv = import_json_str(im, remote, "remote.", "id", IMPORT_STR_MAX,
	    &id)) != 0)
		return rv;
	if (id != NULL && (rv = import_set_str(im, "remote-id", id)) != 0)
		return rv;
	if ((rv = import_json_bool(im, remote, "remote.", "certreq",
	    &certreq)) != 0)
		return rv;
	if (!certreq)
		import_note(im, "remote.certreq: ikeroam always sends "
		    "certificate requests for its CAs");
	if ((rv = import_json_obj(im, remote, "remote.", "revocation",
	    &rev)) != 0)
		return rv;
	if (rev != NULL)
		import_note(im, "remote.revocation: ikeroam does not check "
		    "CRLs or OCSP; ignored");
	if ((rv = import_json_str(im, remote, "remote.", "cert",
	    IMPORT_INPUT_MAX, &cert)) != 0)
		return rv;
	if (cert != NULL)
		return remote_cert(im, cert);
	import_info(im, "remote.cert: none; the gateway is verified against "
	    "the system's CA store");
	return 0;
}

static int
parse_local(struct import *im, struct json_object *local, int auth)
{
	const char *eap_id = NULL, *id = NULL, *p12 = NULL;
	bool pss = false;
	int rv;

	if (local != NULL) {
		note_unknown(im, local, "local.", local_keys,
		    IMPORT_NELEM(local_keys));
		if ((rv = import_json_str(im, local, "local.", "eap_id",
		    IMPORT_STR_MAX, &eap_id)) != 0 ||
		    (rv = import_json_str(im, local, "local.", "id",
		    IMPORT_STR_MAX, &id)) != 0 ||
		    (rv = import_json_str(im, local, "local.", "p12",
		    IMPORT_INPUT_MAX, &p12)) != 0 ||
		    (rv = import_json_bool(im, local, "local.", "rsa-pss",
		    &pss)) != 0)
			return rv;
	}
	if (pss)
		import_note(im, "local.rsa-pss: ikeroam signs with RSASSA-PSS "
		    "only where the gateway announces RFC 7427 hashes");
	if (eap_id == NULL)
		eap_id = im->opt_eap_user;
	if (auth == AUTH_EAP) {
		if (p12 != NULL)
			import_note(im, "local.p12: not used by an EAP "
			    "profile; ignored");
		if (eap_id == NULL)
			return import_fail(im, "local.eap_id: missing (the "
			    "EAP user name); add it, or import with "
			    "--eap-user NAME");
		/* Without local.id the EAP identity is the IKE identity,
		 * as in strongSwan's client. */
		if ((rv = import_set_str(im, "eap-user", eap_id)) != 0 ||
		    (rv = import_set_str(im, "id", id != NULL ? id :
		    eap_id)) != 0)
			return rv;
		return 0;
	}
	if (eap_id != NULL && eap_id != im->opt_eap_user)
		import_note(im, "local.eap_id: not used by a certificate "
		    "profile; ignored");
	if (p12 == NULL)
		return import_fail(im, "local.p12: missing; a certificate "
		    "profile must carry the PKCS#12 with its key");
	rv = import_base64(p12, strlen(p12), B64_MAX, &im->p12.der,
	    &im->p12.len);
	if (rv != 0)
		return import_fail(im, "local.p12: not valid base64");
	if (id != NULL)
		return import_set_str(im, "id", id);
	im->p12.set_id = true;
	return 0;
}

static void
notes_for_ignored(struct import *im, struct json_object *top)
{
	struct json_object *v, *split;

	if (json_object_object_get_ex(top, "dns-servers", &v))
		import_note(im, "dns-servers: ikeroam uses the DNS servers the "
		    "gateway assigns; ignored");
	if (json_object_object_get_ex(top, "apps", &v) ||
	    json_object_object_get_ex(top, "excluded-apps", &v))
		import_note(im, "apps, excluded-apps: per-application VPN is "
		    "Android's; ignored (all traffic follows the routes)");
	if (json_object_object_get_ex(top, "proxy", &v))
		import_note(im, "proxy: ikeroam sets no HTTP proxy; ignored");
	if (!json_object_object_get_ex(top, "split-tunneling", &split) ||
	    !json_object_is_type(split, json_type_object))
		return;
	if (json_object_object_get_ex(split, "subnets", &v))
		import_note(im, "split-tunneling.subnets: ikeroam routes what "
		    "the gateway's traffic selectors grant; ignored");
	if (json_object_object_get_ex(split, "excluded", &v))
		import_note(im, "split-tunneling.excluded: ikeroam cannot "
		    "exclude subnets from the tunnel; ignored");
	if (json_object_object_get_ex(split, "block-ipv4", &v) ||
	    json_object_object_get_ex(split, "block-ipv6", &v))
		import_note(im, "split-tunneling.block-ipv4/6: not supported "
		    "(see --kill-switch); ignored");
}

int
import_sswan(const uint8_t *data, size_t len, struct import *im)
{
	struct json_object *top = NULL, *remote, *local;
	const struct sswan_type *t = NULL;
	const char *uuid, *name, *type;
	uint32_t mtu, keepalive;
	bool present;
	size_t i;
	int rv;

	im->format = IMPORT_FMT_SSWAN;
	if ((rv = import_json_parse(data, len, &top, im)) != 0)
		return rv;
	if ((im->profile = json_object_new_object()) == NULL) {
		rv = IR_ERR_NOMEM;
		goto out;
	}
	note_unknown(im, top, "", top_keys, IMPORT_NELEM(top_keys));
	if ((rv = import_json_str(im, top, "", "uuid", 64, &uuid)) != 0 ||
	    (rv = import_json_str(im, top, "", "name", IMPORT_STR_MAX,
	    &name)) != 0 ||
	    (rv = import_json_str(im, top, "", "type", 64, &type)) != 0)
		goto out;
	if (uuid == NULL || !uuid_ok(uuid)) {
		rv = import_fail(im, "uuid: %s", uuid == NULL ? "missing" :
		    "not an RFC 4122 UUID");
		goto out;
	}
	if (name == NULL) {
		rv = import_fail(im, "name: missing");
		goto out;
	}
	if (!import_name_from(name, im->name, sizeof(im->name)))
		im->name[0] = '\0';
	if (type == NULL) {
		rv = import_fail(im, "type: missing");
		goto out;
	}
	for (i = 0; i < IMPORT_NELEM(sswan_types); i++)
		if (strcmp(type, sswan_types[i].name) == 0)
			t = &sswan_types[i];
	if (t == NULL) {
		rv = import_fail(im, "type: '%s' is not a strongSwan profile "
		    "type ikeroam knows", type);
		goto out;
	}
	if (t->refusal != NULL) {
		rv = import_fail(im, "type %s: %s", t->name, t->refusal);
		goto out;
	}
	if ((rv = import_json_obj(im, top, "", "remote", &remote)) != 0 ||
	    (rv = import_json_obj(im, top, "", "local", &local)) != 0)
		goto out;
	if (remote == NULL) {
		rv = import_fail(im, "remote: missing (remote.addr is "
		    "required)");
		goto out;
	}
	if ((rv = parse_remote(im, remote)) != 0 ||
	    (rv = parse_local(im, local, t->auth)) != 0)
		goto out;
	if ((rv = proposal(im, top, "ike-proposal", "ike", false)) != 0 ||
	    (rv = proposal(im, top, "esp-proposal", "esp", true)) != 0)
		goto out;
	if ((rv = import_json_uint(im, top, "", "mtu", 576, 9000, &mtu,
	    &present)) != 0)
		goto out;
	if (present && (rv = import_set_uint(im, "mtu", mtu)) != 0)
		goto out;
	/* Seconds in the file, milliseconds for --keepalive. */
	if ((rv = import_json_uint(im, top, "", "nat-keepalive", 1, 3600,
	    &keepalive, &present)) != 0)
		goto out;
	if (present && (rv = import_set_uint(im, "keepalive",
	    keepalive * 1000)) != 0)
		goto out;
	notes_for_ignored(im, top);
out:
	json_object_put(top);
	return rv;
}
