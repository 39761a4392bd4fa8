/*
 * src/import_mobileconfig.c: Apple configuration profiles (.mobileconfig)
 * with an IKEv2 VPN payload.
 *
 * The file is an XML property list (parsed by libplist, never by hand):
 * a dictionary whose PayloadContent array holds payloads.  We use the
 * one of PayloadType com.apple.vpn.managed with VPNType IKEv2, its IKEv2
 * dictionary (RemoteAddress, RemoteIdentifier, LocalIdentifier,
 * AuthenticationMethod SharedSecret/Certificate/None, ExtendedAuthEnabled
 * with AuthName/AuthPassword, PayloadCertificateUUID naming a
 * com.apple.security.pkcs12 payload, the two SecurityAssociationParameters
 * dictionaries, DisableMOBIKE, EnablePFS, MTU, IncludeAllNetworks ...),
 * and the CA certificates of com.apple.security.root/pem/pkcs1 payloads.
 * A signed profile is opened by the caller (crypto_cms_open) first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <plist/plist.h>

#include "common/ir_err.h"
#include "crypto/crypto_import.h"
#include "ike/ike_algs.h"
#include "src/import.h"
#include "src/import_json.h"

#define PAYLOADS_MAX	64

/* ---- Typed, checked reads of plist nodes ------------------------------ */

/* A string member: NULL when absent; a failure when of another type or
 * not clean text. */
static int
pl_str(struct import *im, plist_t dict, const char *key, const char **out)
{
	plist_t n = plist_dict_get_item(dict, key);
	uint64_t len = 0;
	const char *s;

	*out = NULL;
	if (n == NULL)
		return 0;
	if (plist_get_node_type(n) != PLIST_STRING)
		return import_fail(im, "%s: must be a string", key);
	s = plist_get_string_ptr(n, &len);
	if (s == NULL || len > IMPORT_STR_MAX)
		return import_fail(im, "%s: longer than %u characters", key,
		    IMPORT_STR_MAX);
	if (strlen(s) != len || !import_text_ok(s, (size_t)len))
		return import_fail(im, "%s: contains control characters", key);
	*out = s;
	return 0;
}

/* A flag: <true/>, <false/> or the <integer>0/1 Apple often writes. */
static int
pl_flag(struct import *im, plist_t dict, const char *key, bool *out)
{
	plist_t n = plist_dict_get_item(dict, key);
	uint64_t v;
	uint8_t b;

	*out = false;
	if (n == NULL)
		return 0;
	if (plist_get_node_type(n) == PLIST_BOOLEAN) {
		plist_get_bool_val(n, &b);
		*out = b != 0;
		return 0;
	}
	if (plist_get_node_type(n) == PLIST_UINT) {
		plist_get_uint_val(n, &v);
		if (v <= 1) {
			*out = v == 1;
			return 0;
		}
	}
	return import_fail(im, "%s: must be true, false, 0 or 1", key);
}

static int
pl_uint(struct import *im, plist_t dict, const char *key, uint64_t min,
    uint64_t max, uint64_t *out, bool *present)
{
	plist_t n = plist_dict_get_item(dict, key);

	*present = false;
	if (n == NULL)
		return 0;
	if (plist_get_node_type(n) != PLIST_UINT)
		return import_fail(im, "%s: must be an integer", key);
	plist_get_uint_val(n, out);
	/* libplist stores negative integers as their two's complement. */
	if (*out < min || *out > max)
		return import_fail(im, "%s: not a number from %llu to %llu",
		    key, (unsigned long long)min, (unsigned long long)max);
	*present = true;
	return 0;
}

static int
pl_dict(struct import *im, plist_t dict, const char *key, plist_t *out)
{
	plist_t n = plist_dict_get_item(dict, key);

	*out = NULL;
	if (n == NULL)
		return 0;
	if (plist_get_node_type(n) != PLIST_DICT)
		return import_fail(im, "%s: must be a dictionary", key);
	*out = n;
	return 0;
}

static int
pl_data(struct import *im, plist_t dict, const char *key,
    const uint8_t **data, size_t *len)
{
	plist_t n = plist_dict_get_item(dict, key);
	uint64_t l = 0;

	*data = NULL;
	*len = 0;
	if (n == NULL)
		return 0;
	if (plist_get_node_type(n) != PLIST_DATA)
		return import_fail(im, "%s: must be data", key);
	*data = (const uint8_t *)plist_get_data_ptr(n, &l);
	if (*data == NULL || l == 0)
		return import_fail(im, "%s: empty", key);
	*len = (size_t)l;
	return 0;
}

/*
 * libplist's XML reader recurses once per level: bound the nesting
 * before it sees the text.  Counting open and close tags of the two
 * container types over-approximates the depth (comments and CDATA may
 * only add to it), which is the safe direction.
 */
static bool
depth_ok(const uint8_t *d, size_t len)
{
	size_t i;
	int depth = 0;

	for (i = 0; i + 1 < len; i++) {
		if (d[i] != '<')
			continue;
		if ((len - i > 6 && memcmp(d + i, "<dict>", 6) == 0) ||
		    (len - i > 7 && memcmp(d + i, "<array>", 7) == 0)) {
			if (++depth > IMPORT_DEPTH_MAX)
				return false;
		} else if ((len - i > 7 && memcmp(d + i, "</dict>", 7) == 0) ||
		    (len - i > 8 && memcmp(d + i, "</array>", 8) == 0)) {
			depth--;
		}
	}
	return true;
}

/* ---- The IKEv2 dictionary -------------------------------------------- */

/* The IKEv2 keys: mapped ones have no text; the others get their note.
 * Keys of neither kind get "unknown key". */
static const struct ikev2_key {
	const char	*key;
	const char	*note;
} ikev2_keys[] = {
	{ "RemoteAddress", NULL }, { "RemoteIdentifier", NULL },
	{ "LocalIdentifier", NULL }, { "AuthenticationMethod", NULL },
	{ "ExtendedAuthEnabled", NULL }, { "AuthName", NULL },
	{ "AuthPassword", NULL }, { "SharedSecret", NULL },
	{ "PayloadCertificateUUID", NULL }, { "CertificateType", NULL },
	{ "IKESecurityAssociationParameters", NULL },
	{ "ChildSecurityAssociationParameters", NULL },
	{ "EnablePFS", NULL }, { "DisableMOBIKE", NULL }, { "MTU", NULL },
	{ "DisableRedirect", NULL },
	{ "IncludeAllNetworks", NULL }, { "ExcludeLocalNetworks", NULL },
	{ "DeadPeerDetectionRate", NULL }, { "NATKeepAliveInterval", NULL },
	{ "NATKeepAliveOffloadEnable", "no keepalive offload on Linux" },
	{ "EnableCertificateRevocationCheck", "ikeroam does not check CRLs "
	    "or OCSP" },
	{ "ServerCertificateIssuerCommonName", "the gateway is checked "
	    "against the CA certificates and the remote identity instead" },
	{ "ServerCertificateCommonName", "the gateway is checked against the "
	    "CA certificates and the remote identity instead" },
	{ "UseConfigurationAttributeInternalIPSubnet", "ikeroam routes what "
	    "the gateway's traffic selectors grant" },
	{ "EnableFallback", "no Wi-Fi Assist on Linux; ikeroam falls back to "
	    "TCP on its own" },
	{ "OnDemandEnabled", "no VPN On Demand; start ikeroam yourself or "
	    "with its systemd unit" },
	{ "OnDemandRules", "no VPN On Demand" },
	{ "TLSMinimumVersion", "applies to EAP-TLS, not supported" },
	{ "TLSMaximumVersion", "applies to EAP-TLS, not supported" },
	{ "PPKConfiguration", "no post-quantum preshared keys (RFC 8784)" },
	{ "ProviderBundleIdentifier", "an iOS app setting" },
	{ "PasswordReference", "a keychain reference; enter the password "
	    "when ikeroam asks" },
	{ "AuthPasswordReference", "a keychain reference; enter the password "
	    "when ikeroam asks" },
};

static void
note_ikev2_keys(struct import *im, plist_t ikev2)
{
	plist_dict_iter it = NULL;
	plist_t val;
	char *key;
	size_t i;

	plist_dict_new_iter(ikev2, &it);
	for (;;) {
		key = NULL;
		plist_dict_next_item(ikev2, it, &key, &val);
		if (key == NULL)
			break;
		for (i = 0; i < IMPORT_NELEM(ikev2_keys); i++)
			if (strcmp(key, ikev2_keys[i].key) == 0)
				break;
		if (!import_text_ok(key, strlen(key)) || strlen(key) > 64)
			import_note(im, "IKEv2: a key with control characters "
			    "or too long: ignored");
		else if (i == IMPORT_NELEM(ikev2_keys))
			import_note(im, "IKEv2.%s: unknown key, ignored", key);
		else if (ikev2_keys[i].note != NULL)
			import_note(im, "IKEv2.%s: %s; ignored", key,
			    ikev2_keys[i].note);
		free(key);
	}
	free(it);
}

/* Apple's names for transforms, and the strongSwan-syntax tokens. */
static const struct { const char *apple, *tok; bool aead; } encr_map[] = {
	{ "AES-128", "aes128", false }, { "AES-256", "aes256", false },
	{ "AES-128-GCM", "aes128gcm16", true },
	{ "AES-256-GCM", "aes256gcm16", true },
	{ "ChaCha20Poly1305", "chacha20poly1305", true },
};
static const struct { const char *apple, *tok; } integ_map[] = {
	{ "SHA1-96", "sha1" }, { "SHA2-256", "sha256" },
	{ "SHA2-384", "sha384" }, { "SHA2-512", "sha512" },
};
static const struct { uint64_t group; const char *tok; } dh_map[] = {
	{ 14, "modp2048" }, { 15, "modp3072" }, { 16, "modp4096" },
	{ 19, "ecp256" }, { 20, "ecp384" }, { 21, "ecp521" },
	{ 31, "x25519" }, { 32, "x448" },
};

/*
 * One SecurityAssociationParameters dictionary as a proposal string.
 * Apple's defaults fill what is absent (AES-256, SHA2-256, group 14).
 * 0 with |out| empty when the dictionary names something ikeroam does
 * not offer (a note says what).
 */
static int
sa_proposal(struct import *im, plist_t sa, const char *what, bool child,
    bool pfs, char *out, size_t cap)
{
	const char *e = "AES-256", *i = "SHA2-256", *etok = NULL, *itok = NULL,
	    *dtok = NULL;
	uint64_t dh = 14, life;
	bool aead = false, present;
	size_t k;
	int rv;

	out[0] = '\0';
	if ((rv = pl_str(im, sa, "EncryptionAlgorithm", &e)) != 0 ||
	    (rv = pl_str(im, sa, "IntegrityAlgorithm", &i)) != 0 ||
	    (rv = pl_uint(im, sa, "DiffieHellmanGroup", 0, 65535, &dh,
	    &present)) != 0 ||
	    (rv = pl_uint(im, sa, "LifeTimeInMinutes", 0, UINT32_MAX, &life,
	    &present)) != 0)
		return rv;
	if (e == NULL)
		e = "AES-256";
	if (i == NULL)
		i = "SHA2-256";
	if (present)
		import_note(im, "%s.LifeTimeInMinutes: ikeroam rekeys on the "
		    "gateway's lifetimes and its own; ignored", what);
	for (k = 0; k < IMPORT_NELEM(encr_map); k++)
		if (strcmp(e, encr_map[k].apple) == 0) {
			etok = encr_map[k].tok;
			aead = encr_map[k].aead;
		}
	for (k = 0; k < IMPORT_NELEM(integ_map); k++)
		if (strcmp(i, integ_map[k].apple) == 0)
			itok = integ_map[k].tok;
	for (k = 0; k < IMPORT_NELEM(dh_map); k++)
		if (dh == dh_map[k].group)
			dtok = dh_map[k].tok;
	if (etok == NULL || itok == NULL || dtok == NULL) {
		import_note(im, "%s: %s is not offered by ikeroam (too weak or "
		    "unknown); ikeroam's default proposals are used", what,
		    etok == NULL ? e : itok == NULL ? i : "this group");
		return 0;
	}
	/* GCM and ChaCha20 carry their own integrity; the IKE SA still
	 * needs a PRF, which Apple takes from IntegrityAlgorithm. */
	if (child)
		snprintf(out, cap, "%s%s%s%s%s", etok, aead ? "" : "-",
		    aead ? "" : itok, pfs ? "-" : "", pfs ? dtok : "");
	else
		snprintf(out, cap, "%s%s%s-prf%s-%s", etok, aead ? "" : "-",
		    aead ? "" : itok, itok, dtok);
	return 0;
}

static int
proposals(struct import *im, plist_t ikev2)
{
	struct ike_algs algs;
	plist_t ike, child;
	char prop[128], err[160];
	bool pfs;
	int rv;

	if ((rv = pl_dict(im, ikev2, "IKESecurityAssociationParameters",
	    &ike)) != 0 ||
	    (rv = pl_dict(im, ikev2, "ChildSecurityAssociationParameters",
	    &child)) != 0 ||
	    (rv = pl_flag(im, ikev2, "EnablePFS", &pfs)) != 0)
		return rv;
	if (ike != NULL) {
		if ((rv = sa_proposal(im, ike, "IKESecurityAssociationParameters",
		    false, false, prop, sizeof(prop))) != 0)
			return rv;
		if (prop[0] != '\0' &&
		    ike_algs_parse(prop, false, &algs, err, sizeof(err)) == 0 &&
		    (rv = import_set_str(im, "ike", prop)) != 0)
			return rv;
	}
	if (child != NULL || pfs) {
		if ((rv = sa_proposal(im, child != NULL ? child : ikev2,
		    "ChildSecurityAssociationParameters", true, pfs, prop,
		    sizeof(prop))) != 0)
			return rv;
		if (prop[0] != '\0' &&
		    ike_algs_parse(prop, true, &algs, err, sizeof(err)) == 0 &&
		    (rv = import_set_str(im, "esp", prop)) != 0)
			return rv;
	}
	return 0;
}

/* ---- Payloads --------------------------------------------------------- */

struct payloads {
	plist_t	 vpn;			/* the IKEv2 VPN payload */
	plist_t	 all[PAYLOADS_MAX];
	size_t	 n;
};

/* The string member |key| of |dict|, "" when absent or not a string. */
static const char *
str_of(plist_t dict, const char *key)
{
	plist_t t = plist_dict_get_item(dict, key);
	uint64_t len;
	const char *s;

	if (t == NULL || plist_get_node_type(t) != PLIST_STRING ||
	    (s = plist_get_string_ptr(t, &len)) == NULL)
		return "";
	return s;
}

static const char *
payload_type(plist_t p)
{
	return str_of(p, "PayloadType");
}

static bool
is_ikev2_vpn(plist_t p)
{
	return (strcmp(payload_type(p), "com.apple.vpn.managed") == 0 ||
	    strcmp(payload_type(p), "com.apple.vpn.managed.applayer") == 0) &&
	    strcmp(str_of(p, "VPNType"), "IKEv2") == 0;
}

static bool
is_ca_payload(plist_t p)
{
	const char *t = payload_type(p);

	return strcmp(t, "com.apple.security.root") == 0 ||
	    strcmp(t, "com.apple.security.pem") == 0 ||
	    strcmp(t, "com.apple.security.pkcs1") == 0;
}

static int
collect_payloads(struct import *im, plist_t root, struct payloads *ps)
{
	plist_t content, p;
	const char *t;
	uint32_t i, n;

	memset(ps, 0, sizeof(*ps));
	content = plist_dict_get_item(root, "PayloadContent");
	if (content == NULL || plist_get_node_type(content) != PLIST_ARRAY)
		return import_fail(im, "PayloadContent: missing or not an "
		    "array; not a configuration profile");
	n = plist_array_get_size(content);
	if (n > PAYLOADS_MAX)
		return import_fail(im, "PayloadContent: more than %d payloads",
		    PAYLOADS_MAX);
	for (i = 0; i < n; i++) {
		p = plist_array_get_item(content, i);
		if (plist_get_node_type(p) != PLIST_DICT)
			return import_fail(im, "PayloadContent[%u]: not a "
			    "dictionary", i);
		ps->all[ps->n++] = p;
		if (is_ikev2_vpn(p) && ps->vpn == NULL) {
			ps->vpn = p;
		} else if (is_ikev2_vpn(p)) {
			import_note(im, "another IKEv2 VPN payload is ignored; "
			    "the first one is imported");
		} else if (strcmp(payload_type(p), "com.apple.vpn.managed") ==
		    0) {
			import_note(im, "a VPN payload that is not IKEv2 is "
			    "ignored");
		} else if (!is_ca_payload(p) && strcmp(payload_type(p),
		    "com.apple.security.pkcs12") != 0) {
			t = payload_type(p);
			if (t[0] != '\0' && strlen(t) < 80 &&
			    import_text_ok(t, strlen(t)))
				import_note(im, "payload %s: not a VPN setting; "
				    "ignored", t);
			else
				import_note(im, "a payload of another type is "
				    "ignored");
		}
	}
	if (ps->vpn == NULL)
		return import_fail(im, "no IKEv2 VPN payload "
		    "(com.apple.vpn.managed with VPNType IKEv2) in the "
		    "profile");
	return 0;
}

/* Every CA payload into one PEM file for "ca". */
static int
collect_cas(struct import *im, struct payloads *ps)
{
	const uint8_t *data;
	char *pem, *all = NULL, subject[CRYPTO_LINE_MAX], *grown;
	size_t i, len, pem_len, all_len = 0, ncert, total = 0;
	bool psk = false;
	int rv;

	for (i = 0; i < ps->n; i++) {
		if (!is_ca_payload(ps->all[i]))
			continue;
		if ((rv = pl_data(im, ps->all[i], "PayloadContent", &data,
		    &len)) != 0)
			goto out;
		if (data == NULL) {
			rv = import_fail(im, "a certificate payload has no "
			    "PayloadContent");
			goto out;
		}
		if (crypto_certs_to_pem(data, len, &pem, &pem_len, &ncert,
		    subject, sizeof(subject)) != 0) {
			rv = import_fail(im, "a certificate payload does not "
			    "hold an X.509 certificate");
			goto out;
		}
		if ((grown = realloc(all, all_len + pem_len + 1)) == NULL) {
			free(pem);
			rv = IR_ERR_NOMEM;
			goto out;
		}
		all = grown;
		memcpy(all + all_len, pem, pem_len + 1);
		all_len += pem_len;
		free(pem);
		total += ncert;
		import_info(im, "CA certificate: %s", subject);
	}
	rv = 0;
	/* A PSK proves the gateway too (RFC 7296 §2.15): no CA needed. */
	for (i = 0; i < im->nfiles; i++)
		psk |= strcmp(im->files[i].suffix, "psk") == 0;
	if (total > 0)
		rv = import_add_file(im, "ca.pem", "ca", (uint8_t *)all,
		    all_len, false);
	else if (!psk)
		import_info(im, "no CA certificate payload; the gateway is "
		    "verified against the system's CA store");
out:
	free(all);
	return rv;
}

static int
take_p12(struct import *im, struct payloads *ps, plist_t ikev2)
{
	const char *uuid, *pass;
	const uint8_t *data;
	size_t i, len;
	int rv;

	if ((rv = pl_str(im, ikev2, "PayloadCertificateUUID", &uuid)) != 0)
		return rv;
	if (uuid == NULL)
		return import_fail(im, "IKEv2.PayloadCertificateUUID: missing; "
		    "certificate authentication needs the PKCS#12 payload");
	for (i = 0; i < ps->n; i++) {
		if (strcmp(str_of(ps->all[i], "PayloadUUID"), uuid) != 0)
			continue;
		if (strcmp(payload_type(ps->all[i]),
		    "com.apple.security.pkcs12") != 0)
			return import_fail(im, "IKEv2.PayloadCertificateUUID: "
			    "names a payload that is not "
			    "com.apple.security.pkcs12");
		if ((rv = pl_data(im, ps->all[i], "PayloadContent", &data,
		    &len)) != 0 ||
		    (rv = pl_str(im, ps->all[i], "Password", &pass)) != 0)
			return rv;
		if (data == NULL)
			return import_fail(im, "the PKCS#12 payload has no "
			    "PayloadContent");
		if ((im->p12.der = malloc(len)) == NULL)
			return IR_ERR_NOMEM;
		memcpy(im->p12.der, data, len);
		im->p12.len = len;
		if (pass != NULL && (im->p12.password = strdup(pass)) == NULL)
			return IR_ERR_NOMEM;
		return 0;
	}
	return import_fail(im, "IKEv2.PayloadCertificateUUID: no payload has "
	    "that PayloadUUID");
}

static int
add_secret(struct import *im, const char *suffix, const char *key,
    const char *s)
{
	return import_add_file(im, suffix, key, (const uint8_t *)s, strlen(s),
	    true);
}

static int
auth(struct import *im, struct payloads *ps, plist_t ikev2, const char *local)
{
	const char *method, *name, *pass, *psk, *certuuid;
	bool xauth;
	int rv;

	if ((rv = pl_str(im, ikev2, "AuthenticationMethod", &method)) != 0 ||
	    (rv = pl_flag(im, ikev2, "ExtendedAuthEnabled", &xauth)) != 0 ||
	    (rv = pl_str(im, ikev2, "AuthName", &name)) != 0 ||
	    (rv = pl_str(im, ikev2, "AuthPassword", &pass)) != 0 ||
	    (rv = pl_str(im, ikev2, "SharedSecret", &psk)) != 0 ||
	    (rv = pl_str(im, ikev2, "PayloadCertificateUUID", &certuuid)) != 0)
		return rv;
	if (method == NULL)
		method = "SharedSecret";	/* Apple's default */
	if (strcmp(method, "SharedSecret") == 0) {
		if (xauth)
			return import_fail(im, "IKEv2: a shared secret with "
			    "EAP (ExtendedAuthEnabled) is not supported");
		if (psk == NULL)
			return import_fail(im, "IKEv2.SharedSecret: missing; "
			    "put the PSK in a 0600 file and write the profile "
			    "with \"psk-file\" yourself");
		return add_secret(im, "psk", "psk-file", psk);
	}
	if (strcmp(method, "Certificate") == 0) {
		if (xauth)
			return import_fail(im, "IKEv2: a certificate followed "
			    "by EAP (RFC 4739 multiple authentication) is not "
			    "supported");
		if ((rv = take_p12(im, ps, ikev2)) != 0)
			return rv;
		im->p12.set_id = local == NULL;
		return 0;
	}
	if (strcmp(method, "None") != 0)
		return import_fail(im, "IKEv2.AuthenticationMethod: '%s' is not "
		    "SharedSecret, Certificate or None", method);
	if (!xauth)
		return import_fail(im, "IKEv2: AuthenticationMethod None "
		    "without ExtendedAuthEnabled authenticates nothing");
	if (name == NULL && certuuid != NULL)
		return import_fail(im, "IKEv2: EAP-TLS (a certificate inside "
		    "EAP) is not supported by this ikeroam");
	if (name == NULL)
		name = im->opt_eap_user;
	if (name == NULL)
		return import_fail(im, "IKEv2.AuthName: missing (the EAP user "
		    "name); import with --eap-user NAME");
	if ((rv = import_set_str(im, "eap-user", name)) != 0)
		return rv;
	if (local == NULL && (rv = import_set_str(im, "id", name)) != 0)
		return rv;
	if (pass != NULL)
		return add_secret(im, "password", "password-file", pass);
	import_note(im, "IKEv2.AuthPassword: none; ikeroam asks for the "
	    "password when it connects");
	return 0;
}

/* Apple's DPD rates (None, Low: 30 min, Medium: 10 min, High: 1 min)
 * as --dpd, and NATKeepAliveInterval (seconds) as --keepalive. */
static int
timers(struct import *im, plist_t ikev2)
{
	static const struct { const char *rate; uint32_t ms; } rates[] = {
		{ "None", 0 }, { "Low", 1800000 }, { "Medium", 600000 },
		{ "High", 60000 },
	};
	const char *rate;
	uint64_t ka;
	bool present;
	size_t i;
	int rv;

	if ((rv = pl_str(im, ikev2, "DeadPeerDetectionRate", &rate)) != 0 ||
	    (rv = pl_uint(im, ikev2, "NATKeepAliveInterval", 1, 3600, &ka,
	    &present)) != 0)
		return rv;
	if (present && (rv = import_set_uint(im, "keepalive",
	    (uint32_t)ka * 1000)) != 0)
		return rv;
	if (rate == NULL)
		return 0;
	for (i = 0; i < IMPORT_NELEM(rates); i++)
		if (strcmp(rate, rates[i].rate) == 0)
			return import_set_uint(im, "dpd", rates[i].ms);
	return import_fail(im, "IKEv2.DeadPeerDetectionRate: '%s' is not None, "
	    "Low, Medium or High", rate);
}

static int
vpn_payload(struct import *im, struct payloads *ps)
{
	const char *addr, *rid, *lid, *uname, *method = NULL;
	plist_t ikev2, vpn = ps->vpn;
	uint64_t mtu;
	bool present, flag, all_nets = false, lan = false;
	int rv;

	if ((rv = pl_str(im, vpn, "UserDefinedName", &uname)) != 0)
		return rv;
	if (uname != NULL && !import_name_from(uname, im->name,
	    sizeof(im->name)))
		im->name[0] = '\0';
	if ((rv = pl_dict(im, vpn, "IKEv2", &ikev2)) != 0)
		return rv;
	if (ikev2 == NULL)
		return import_fail(im, "the VPN payload has no IKEv2 "
		    "dictionary");
	note_ikev2_keys(im, ikev2);
	if (plist_dict_get_item(vpn, "IPv4") != NULL)
		import_note(im, "IPv4 (OverridePrimary): ikeroam routes what "
		    "the gateway grants; ignored");
	if (plist_dict_get_item(vpn, "DNS") != NULL)
		import_note(im, "DNS: ikeroam uses the DNS servers the gateway "
		    "assigns; ignored");
	if (plist_dict_get_item(vpn, "Proxies") != NULL)
		import_note(im, "Proxies: ikeroam sets no HTTP proxy; ignored");
	if ((rv = pl_str(im, ikev2, "RemoteAddress", &addr)) != 0 ||
	    (rv = pl_str(im, ikev2, "RemoteIdentifier", &rid)) != 0 ||
	    (rv = pl_str(im, ikev2, "LocalIdentifier", &lid)) != 0)
		return rv;
	if (addr == NULL || addr[0] == '\0' || addr[0] == '-' ||
	    strpbrk(addr, " /\\\"'`$;,") != NULL || strlen(addr) > 253)
		return import_fail(im, "IKEv2.RemoteAddress: %s", addr == NULL ?
		    "missing" : "not a host name or address");
	if ((rv = import_set_str(im, "gateway", addr)) != 0)
		return rv;
	if (rid != NULL && (rv = import_set_str(im, "remote-id", rid)) != 0)
		return rv;
	/* Without it a PSK accepts any identity the gateway claims: pin
	 * the address, as strongSwan does by default (issue 11 item 10). */
	if (rid == NULL && (rv = pl_str(im, ikev2, "AuthenticationMethod",
	    &method)) == 0 && (method == NULL ||
	    strcmp(method, "SharedSecret") == 0)) {
		import_note(im, "IKEv2.RemoteIdentifier: missing; set to "
		    "RemoteAddress (%s), which the gateway must prove to be",
		    addr);
		if ((rv = import_set_str(im, "remote-id", addr)) != 0)
			return rv;
	}
	if (rv != 0)
		return rv;
	if (lid != NULL && (rv = import_set_str(im, "id", lid)) != 0)
		return rv;
	if ((rv = auth(im, ps, ikev2, lid)) != 0 ||
	    (rv = proposals(im, ikev2)) != 0)
		return rv;
	if ((rv = pl_flag(im, ikev2, "DisableMOBIKE", &flag)) != 0)
		return rv;
	if (flag && (rv = import_set_bool(im, "no-mobike", true)) != 0)
		return rv;
	if ((rv = pl_flag(im, ikev2, "DisableRedirect", &flag)) != 0)
		return rv;
	if (flag && (rv = import_set_bool(im, "no-redirect", true)) != 0)
		return rv;
	if ((rv = pl_uint(im, ikev2, "MTU", 576, 9000, &mtu, &present)) != 0)
		return rv;
	if (present && (rv = import_set_uint(im, "mtu", (uint32_t)mtu)) != 0)
		return rv;
	if ((rv = timers(im, ikev2)) != 0)
		return rv;
	/* IncludeAllNetworks keeps all traffic in the tunnel or nowhere:
	 * what --kill-switch does. */
	if ((rv = pl_flag(im, ikev2, "IncludeAllNetworks", &all_nets)) != 0 ||
	    (rv = pl_flag(im, ikev2, "ExcludeLocalNetworks", &lan)) != 0)
		return rv;
	if (all_nets) {
		if ((rv = import_set_bool(im, "kill-switch", true)) != 0)
			return rv;
		import_info(im, "IKEv2.IncludeAllNetworks: mapped to "
		    "\"kill-switch\"");
		if (lan && (rv = import_set_bool(im, "kill-switch-allow-lan",
		    true)) != 0)
			return rv;
	} else if (lan) {
		import_note(im, "IKEv2.ExcludeLocalNetworks: only meaningful "
		    "with IncludeAllNetworks; ignored");
	}
	return 0;
}

int
import_mobileconfig(const uint8_t *data, size_t len, struct import *im)
{
	struct payloads ps;
	plist_t root = NULL;
	int rv;

	im->format = IMPORT_FMT_MOBILECONFIG;
	if (len == 0 || len > IMPORT_INPUT_MAX)
		return import_fail(im, "the profile is empty or larger than %u "
		    "bytes", IMPORT_INPUT_MAX);
	if (!depth_ok(data, len))
		return import_fail(im, "the property list is nested more than "
		    "%d levels deep", IMPORT_DEPTH_MAX);
	if (plist_is_binary((const char *)data, (uint32_t)len))
		return import_fail(im, "a binary property list; save the "
		    "profile as XML (plutil -convert xml1)");
	plist_from_xml((const char *)data, (uint32_t)len, &root);
	if (root == NULL)
		return import_fail(im, "not a valid XML property list");
	if (plist_get_node_type(root) != PLIST_DICT) {
		rv = import_fail(im, "the property list is not a dictionary");
		goto out;
	}
	if ((im->profile = json_object_new_object()) == NULL) {
		rv = IR_ERR_NOMEM;
		goto out;
	}
	if (!import_name_from(str_of(root, "PayloadDisplayName"), im->name,
	    sizeof(im->name)))
		im->name[0] = '\0';
	if ((rv = collect_payloads(im, root, &ps)) != 0 ||
	    (rv = vpn_payload(im, &ps)) != 0 ||
	    (rv = collect_cas(im, &ps)) != 0)
		goto out;
out:
	plist_free(root);
	return rv;
}
