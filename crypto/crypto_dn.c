/*
 * crypto/crypto_dn.c: distinguished names as IKE identities (RFC 7296
 * §3.5, RFC 4945 §3.1.5): text to DER, DER to a log line, and the
 * strongSwan-compatible comparison described in crypto_dn.h.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto_dn.h"
#include "crypto/crypto_sig_int.h"

#define DN_DER_MAX	65536		/* no Name we read is longer */
#define DN_VALUE_MAX	256		/* octets of one attribute value */

/* The names strongSwan users write (its x501rdns table, where "SN" is
 * the serial number, not the surname as in OpenSSL). */
static const struct dn_key {
	const char	*name;
	int		 nid;
} dn_keys[] = {
	{ "C",			NID_countryName },
	{ "ST",			NID_stateOrProvinceName },
	{ "L",			NID_localityName },
	{ "O",			NID_organizationName },
	{ "OU",			NID_organizationalUnitName },
	{ "CN",			NID_commonName },
	{ "DC",			NID_domainComponent },
	{ "E",			NID_pkcs9_emailAddress },
	{ "Email",		NID_pkcs9_emailAddress },
	{ "emailAddress",	NID_pkcs9_emailAddress },
	{ "SN",			NID_serialNumber },
	{ "serialNumber",	NID_serialNumber },
	{ "S",			NID_surname },
	{ "surname",		NID_surname },
	{ "G",			NID_givenName },
	{ "GN",			NID_givenName },
	{ "T",			NID_title },
	{ "UID",		NID_userId },
	{ "street",		NID_streetAddress },
	{ "postalCode",		NID_postalCode },
	{ "dnQualifier",	NID_dnQualifier },
};

/* X.680 §41.4: the PrintableString alphabet. */
static bool
is_printable(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr(" '()+,-./:=?", c) != NULL))
			return false;
	}
	return true;
}

static bool
is_ascii(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80 || s[i] == '\0')
			return false;
	return true;
}

static ASN1_OBJECT *
dn_key_obj(const char *key)
{
	size_t i;

	for (i = 0; i < IR_ARRAY_LEN(dn_keys); i++)
		if (strcasecmp(key, dn_keys[i].name) == 0)
			return OBJ_nid2obj(dn_keys[i].nid);
	/* Only a dotted OID beyond the table: OpenSSL's own short names
	 * ("SN" = surname) would disagree with strongSwan's. */
	if (key[0] >= '0' && key[0] <= '9')
		return OBJ_txt2obj(key, 1);
	return NULL;
}

/*
 * One "key = value" from |*pp|, up to the separator |sep| or the end.
 * Returns 0 with |*pp| past the separator (or at the end), or
 * IR_ERR_CONFIG.
 */
static int
dn_next(const char **pp, char sep, char *key, size_t key_cap, char *val,
    size_t *val_len, char *why, size_t why_cap)
{
	const char *p = *pp;
	size_t k = 0, v = 0, keep = 0;
	bool quoted = false;

	while (*p == ' ')
		p++;
	while (*p != '\0' && *p != '=' && *p != sep) {
		if (k + 1 >= key_cap) {
			crypto_why_set(why, why_cap, "an attribute name is too long");
			return IR_ERR_CONFIG;
		}
		key[k++] = *p++;
	}
	while (k > 0 && key[k - 1] == ' ')
		k--;
	key[k] = '\0';
	if (*p != '=' || k == 0) {
		crypto_why_set(why, why_cap, "expected NAME=VALUE at '%.20s'", *pp);
		return IR_ERR_CONFIG;
	}
	p++;
	while (*p == ' ')
		p++;
	if (*p == '"') {
		quoted = true;
		p++;
	}
	while (*p != '\0') {
		if (quoted ? *p == '"' : *p == sep)
			break;
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (!quoted && *p == ' ') {
			/* Trailing spaces go; escaped and inner ones stay. */
			if (v >= DN_VALUE_MAX) {
				crypto_why_set(why, why_cap, "value of %s is too "
				    "long", key);
				return IR_ERR_CONFIG;
			}
			val[v++] = *p++;
			continue;
		}
		if (v >= DN_VALUE_MAX) {
			crypto_why_set(why, why_cap, "value of %s is too long", key);
			return IR_ERR_CONFIG;
		}
		val[v++] = *p++;
		keep = v;
	}
	if (quoted) {
		if (*p != '"') {
			crypto_why_set(why, why_cap, "unterminated quote in %s", key);
			return IR_ERR_CONFIG;
		}
		keep = v;
		p++;
		while (*p == ' ')
			p++;
		if (*p != '\0' && *p != sep) {
			crypto_why_set(why, why_cap, "text after the quoted value "
			    "of %s", key);
			return IR_ERR_CONFIG;
		}
	}
	if (keep == 0) {
		crypto_why_set(why, why_cap, "empty value for %s", key);
		return IR_ERR_CONFIG;
	}
	*val_len = keep;
	if (*p == sep)
		p++;
	*pp = p;
	return 0;
}

static int
dn_add(X509_NAME *name, const char *key, const char *val, size_t len,
    char *why, size_t why_cap)
{
	ASN1_OBJECT *obj;
	int nid, type, ok;

	if ((obj = dn_key_obj(key)) == NULL) {
		ERR_clear_error();
		crypto_why_set(why, why_cap, "unknown attribute '%.20s' (use C, ST, "
		    "L, O, OU, CN, DC, E, SN, ... or a dotted OID)", key);
		return IR_ERR_CONFIG;
	}
	nid = OBJ_obj2nid(obj);
	if (nid == NID_pkcs9_emailAddress || nid == NID_domainComponent) {
		if (!is_ascii(val, len)) {
			ASN1_OBJECT_free(obj);
			crypto_why_set(why, why_cap, "%s must be ASCII", key);
			return IR_ERR_CONFIG;
		}
		type = V_ASN1_IA5STRING;
	} else if (is_printable(val, len))
		type = V_ASN1_PRINTABLESTRING;
	else
		type = MBSTRING_UTF8;	/* checked and stored as UTF8String */
	ok = X509_NAME_add_entry_by_OBJ(name, obj, type,
	    (const unsigned char *)val, (int)len, -1, 0);
	ASN1_OBJECT_free(obj);
	if (!ok) {
		ERR_clear_error();
		crypto_why_set(why, why_cap, "value of %s is not valid (UTF-8, or "
		    "its length)", key);
		return IR_ERR_CONFIG;
	}
	return 0;
}

int
crypto_dn_parse(const char *text, uint8_t *out, size_t cap, size_t *len,
    char *why, size_t why_cap)
{
	char key[32], val[DN_VALUE_MAX + 1];
	const char *p = text;
	X509_NAME *name;
	unsigned char *der = NULL;
	size_t vlen;
	char sep = ',';
	int rv = 0, n;

	*len = 0;
	if (strlen(text) > CRYPTO_DN_TEXT_MAX) {
		crypto_why_set(why, why_cap, "longer than %d characters",
		    CRYPTO_DN_TEXT_MAX);
		return IR_ERR_CONFIG;
	}
	if ((name = X509_NAME_new()) == NULL)
		return IR_ERR_NOMEM;
	if (*p == '/') {
		sep = '/';
		p++;
	}
	while (rv == 0 && *p != '\0') {
		rv = dn_next(&p, sep, key, sizeof(key), val, &vlen, why,
		    why_cap);
		if (rv == 0)
			rv = dn_add(name, key, val, vlen, why, why_cap);
	}
	ir_wipe(val, sizeof(val));
	if (rv == 0 && X509_NAME_entry_count(name) == 0) {
		crypto_why_set(why, why_cap, "no attribute at all");
		rv = IR_ERR_CONFIG;
	}
	if (rv == 0 && (n = i2d_X509_NAME(name, &der)) <= 0)
		rv = IR_ERR_CRYPTO;
	else if (rv == 0 && (size_t)n > cap)
		rv = IR_ERR_NOBUF;
	else if (rv == 0) {
		memcpy(out, der, (size_t)n);
		*len = (size_t)n;
	}
	OPENSSL_free(der);
	X509_NAME_free(name);
	ERR_clear_error();
	return rv;
}

static X509_NAME *
dn_decode(const uint8_t *der, size_t len)
{
	const unsigned char *p = der;
	X509_NAME *name;

	if (len == 0 || len > DN_DER_MAX)
		return NULL;
	name = d2i_X509_NAME(NULL, &p, (long)len);
	if (name != NULL && (p != der + len ||
	    X509_NAME_entry_count(name) == 0)) {
		X509_NAME_free(name);
		name = NULL;
	}
	ERR_clear_error();
	return name;
}

void
crypto_dn_text(const uint8_t *der, size_t len, char *buf, size_t cap)
{
	X509_NAME *name;
	BIO *bio = NULL;
	int n;
	size_t i;

	if (cap == 0)
		return;
	snprintf(buf, cap, "(bad DN)");
	if ((name = dn_decode(der, len)) == NULL ||
	    (bio = BIO_new(BIO_s_mem())) == NULL)
		goto out;
	/* DER order, ", " between RDNs; RFC 2253 escapes keep it ASCII. */
	if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_SEP_CPLUS_SPC |
	    XN_FLAG_FN_SN | ASN1_STRFLGS_RFC2253) >= 0 &&
	    (n = BIO_read(bio, buf, (int)IR_MIN(cap - 1, 65536))) > 0)
		buf[n] = '\0';
	for (i = 0; buf[i] != '\0'; i++)
		if ((unsigned char)buf[i] < 0x20 || (unsigned char)buf[i] > 0x7e)
			buf[i] = '?';
out:
	BIO_free(bio);
	X509_NAME_free(name);
	ERR_clear_error();
}

static bool
value_is_star(const ASN1_STRING *s)
{
	return ASN1_STRING_length(s) == 1 && ASN1_STRING_get0_data(s)[0] == '*';
}

bool
crypto_dn_has_wildcards(const uint8_t *der, size_t len)
{
	X509_NAME *name = dn_decode(der, len);
	bool found = false;
	int i;

	for (i = 0; name != NULL && !found &&
	    i < X509_NAME_entry_count(name); i++)
		found = value_is_star(X509_NAME_ENTRY_get_data(
		    X509_NAME_get_entry(name, i)));
	X509_NAME_free(name);
	return found;
}

static bool
value_equal(const ASN1_OBJECT *obj, const ASN1_STRING *a,
    const ASN1_STRING *b)
{
	int n = ASN1_STRING_length(a), type = ASN1_STRING_type(a);

	if (n != ASN1_STRING_length(b))
		return false;
	if (type == ASN1_STRING_type(b) && (type == V_ASN1_PRINTABLESTRING ||
	    (type == V_ASN1_IA5STRING &&
	    OBJ_obj2nid(obj) == NID_pkcs9_emailAddress)))
		return strncasecmp((const char *)ASN1_STRING_get0_data(a),
		    (const char *)ASN1_STRING_get0_data(b), (size_t)n) == 0;
	return memcmp(ASN1_STRING_get0_data(a), ASN1_STRING_get0_data(b),
	    (size_t)n) == 0;
}

int
crypto_dn_match(const uint8_t *have, size_t have_len, const uint8_t *want,
    size_t want_len, bool wildcards)
{
	X509_NAME *h = dn_decode(have, have_len);
	X509_NAME *w = dn_decode(want, want_len);
	const X509_NAME_ENTRY *he, *we;
	const ASN1_STRING *wv;
	int rv = 0, i, n;

	if (h == NULL || w == NULL) {
		rv = IR_ERR_MALFORMED;
		goto out;
	}
	n = X509_NAME_entry_count(h);
	if (n != X509_NAME_entry_count(w)) {
		rv = IR_ERR_PEER_ID;
		goto out;
	}
	for (i = 0; i < n && rv == 0; i++) {
		he = X509_NAME_get_entry(h, i);
		we = X509_NAME_get_entry(w, i);
		wv = X509_NAME_ENTRY_get_data(we);
		if (OBJ_cmp(X509_NAME_ENTRY_get_object(he),
		    X509_NAME_ENTRY_get_object(we)) != 0)
			rv = IR_ERR_PEER_ID;
		else if (wildcards && value_is_star(wv))
			continue;
		else if (!value_equal(X509_NAME_ENTRY_get_object(he),
		    X509_NAME_ENTRY_get_data(he), wv))
			rv = IR_ERR_PEER_ID;
	}
out:
	X509_NAME_free(h);
	X509_NAME_free(w);
	return rv;
}
