/*
 * nm/shared/nm_ikeroam_keys.c: the vpn.data keys the NetworkManager
 * plugin knows, their kinds and ranges (the same as `ikeroam connect`
 * checks in src/cli.c), and lookups in a connection's items.
 */
#include <stdio.h>
#include <string.h>

#include "nm/shared/nm_ikeroam.h"

const char *const nm_ikeroam_transports[] = {
	"auto", "udp", "tcp", "tls", NULL
};
const char *const nm_ikeroam_auths[] = { "psk", "cert", "eap", NULL };

#define T(n, l)		{ n, NMK_TEXT, 0, 0, NULL, l }
#define P(n, l)		{ n, NMK_PATH, 0, 0, NULL, l }
#define N(n, lo, hi, l)	{ n, NMK_NUMBER, lo, hi, NULL, l }
#define F(n, l)		{ n, NMK_FLAG, 0, 0, NULL, l }

const struct nm_ikeroam_key nm_ikeroam_keys[] = {
	T("gateway",		"Gateway"),
	T("id",			"Identity"),
	T("remote-id",		"Gateway identity"),
	F("send-remote-id",	"Send the gateway identity"),
	P("cert",		"Certificate"),
	P("key",		"Private key"),
	T("eap-user",		"EAP user name"),
	P("ca",			"CA certificate"),
	{ "transport", NMK_CHOICE, 0, 0, nm_ikeroam_transports, "Transport" },
	N("port",		1, 65535, "IKE port"),
	N("natt-port",		1, 65535, "NAT-T port"),
	N("tcp-port",		1, 65535, "TCP port"),
	N("tls-port",		1, 65535, "TLS port"),
	P("tls-ca",		"TLS CA certificate"),
	N("fallback-timeout",	100, 60000, "Fallback timeout (ms)"),
	N("race",		0, 60000, "Race delay (ms)"),
	N("giveup-timeout",	1000, 600000, "Give-up timeout (ms)"),
	N("reconnect-timeout",	0, 86400000, "Reconnect timeout (ms)"),
	N("udp-probe",		0, 86400000, "UDP probe interval (ms)"),
	N("path-silence",	500, 600000, "Path silence (ms)"),
	N("path-check",		500, 60000, "Path check (ms)"),
	F("no-mobike",		"Disable MOBIKE"),
	T("ike",		"IKE proposals"),
	T("esp",		"ESP proposals"),
	N("mtu",		576, 9000, "MTU"),
};
const size_t nm_ikeroam_nkeys =
    sizeof(nm_ikeroam_keys) / sizeof(nm_ikeroam_keys[0]);

const struct nm_ikeroam_key *
nm_ikeroam_key_find(const char *name)
{
	size_t i;

	for (i = 0; i < nm_ikeroam_nkeys; i++)
		if (strcmp(nm_ikeroam_keys[i].name, name) == 0)
			return &nm_ikeroam_keys[i];
	return NULL;
}

const char *
nm_kv_get(const struct nm_kv *kv, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (kv[i].key != NULL && strcmp(kv[i].key, key) == 0)
			return kv[i].value;
	return NULL;
}

int
nm_ikeroam_auth(const struct nm_kv *data, size_t n,
    enum nm_ikeroam_auth *out, char *err, size_t err_len)
{
	const char *v = nm_kv_get(data, n, NM_IKEROAM_KEY_AUTH);

	if (v == NULL || strcmp(v, "psk") == 0)
		*out = NM_IKEROAM_AUTH_PSK;
	else if (strcmp(v, "cert") == 0)
		*out = NM_IKEROAM_AUTH_CERT;
	else if (strcmp(v, "eap") == 0)
		*out = NM_IKEROAM_AUTH_EAP;
	else {
		snprintf(err, err_len, "vpn.data auth: '%.32s' is not one of "
		    "psk, cert, eap", v);
		return -1;
	}
	return 0;
}

const char *
nm_ikeroam_needed_secret(enum nm_ikeroam_auth auth)
{
	switch (auth) {
	case NM_IKEROAM_AUTH_PSK:
		return NM_IKEROAM_SECRET_PSK;
	case NM_IKEROAM_AUTH_EAP:
		return NM_IKEROAM_SECRET_PASSWORD;
	case NM_IKEROAM_AUTH_CERT:
		break;
	}
	return NULL;
}
