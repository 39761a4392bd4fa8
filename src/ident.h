/* src/ident.h: IKE identities from what a user types (RFC 7296 §3.5). */
#ifndef IR_SRC_IDENT_H
#define IR_SRC_IDENT_H

#include "ike/ike.h"

/*
 * "192.0.2.1" -> ID_IPV4_ADDR, "2001:db8::1" -> ID_IPV6_ADDR,
 * "@vpn.example.com" or "vpn.example.com" -> ID_FQDN,
 * "alice@example.com" -> ID_RFC822_ADDR, "@#0a1b" -> ID_KEY_ID (hex),
 * "C=CH, O=Example, CN=alice" (any text with '=') -> ID_DER_ASN1_DN
 * (crypto_dn_parse()).  Patterns ("*.example.com", "*@example.com", a DN
 * with "*" values) are kept as written, for crypto_cert_match_pattern().
 * 0 or IR_ERR_CONFIG with a line in |err|.
 */
int	ident_parse(const char *s, struct ike_id *out, char *err,
	    size_t err_len);

#endif
