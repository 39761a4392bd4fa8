/* src/ident.c: parse user-written identities into IKE ID payloads. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto_dn.h"
#include "src/ident.h"

enum {
	ID_IPV4_ADDR = 1, ID_FQDN = 2, ID_RFC822_ADDR = 3, ID_IPV6_ADDR = 5,
	ID_DER_ASN1_DN = 9, ID_KEY_ID = 11,
};

static int
set_text(struct ike_id *out, uint8_t type, const char *s, char *err,
    size_t err_len)
{
	size_t n = strlen(s);

	if (n == 0 || n > sizeof(out->data)) {
		snprintf(err, err_len, "identity '%.40s' must be 1 to %zu "
		    "characters", s, sizeof(out->data));
		return IR_ERR_CONFIG;
	}
	out->type = type;
	out->len = (uint16_t)n;
	memcpy(out->data, s, n);
	return 0;
}

/* RFC 7296 §3.5 ID_DER_ASN1_DN: "C=CH, O=Example, CN=alice" as DER. */
static int
set_dn(struct ike_id *out, const char *s, char *err, size_t err_len)
{
	char why[160];
	size_t n;
	int rv;

	rv = crypto_dn_parse(s, out->data, sizeof(out->data), &n, why,
	    sizeof(why));
	if (rv == IR_ERR_NOBUF)
		snprintf(why, sizeof(why), "longer than %zu octets as DER",
		    sizeof(out->data));
	if (rv != 0) {
		snprintf(err, err_len, "identity '%.60s' is not a "
		    "distinguished name: %s", s, why);
		return IR_ERR_CONFIG;
	}
	out->type = ID_DER_ASN1_DN;
	out->len = (uint16_t)n;
	return 0;
}

int
ident_parse(const char *s, struct ike_id *out, char *err, size_t err_len)
{
	size_t n;

	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, out->data) == 1) {
		out->type = ID_IPV4_ADDR;
		out->len = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, s, out->data) == 1) {
		out->type = ID_IPV6_ADDR;
		out->len = 16;
		return 0;
	}
	if (strncmp(s, "@#", 2) == 0) {
		if (ir_hex_decode(s + 2, out->data, sizeof(out->data), &n) != 0 ||
		    n == 0) {
			snprintf(err, err_len, "identity '%.40s': @# must be "
			    "followed by hex digits", s);
			return IR_ERR_CONFIG;
		}
		out->type = ID_KEY_ID;
		out->len = (uint16_t)n;
		return 0;
	}
	if (s[0] == '@')
		return set_text(out, ID_FQDN, s + 1, err, err_len);
	if (strchr(s, '=') != NULL)
		return set_dn(out, s, err, err_len);
	if (strchr(s, '@') != NULL)
		return set_text(out, ID_RFC822_ADDR, s, err, err_len);
	return set_text(out, ID_FQDN, s, err, err_len);
}
