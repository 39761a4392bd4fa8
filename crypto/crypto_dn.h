/*
 * crypto/crypto_dn.h: distinguished names as IKE identities (RFC 7296
 * §3.5 ID_DER_ASN1_DN, RFC 4945 §3.1.5): the text a user writes, the DER
 * an ID payload carries, and the comparison with a certificate's subject.
 *
 * Matching follows strongSwan's rules, so that a DN written for a
 * strongSwan peer means the same here: the RDNs in the same order and
 * number, equal attribute types, values equal octet for octet, except
 * that two PrintableStrings (or two IA5String e-mail addresses) compare
 * without ASCII case.  The string type does not matter otherwise: a
 * UTF8String "alice" equals a PrintableString "alice".
 */
#ifndef IR_CRYPTO_DN_H
#define IR_CRYPTO_DN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CRYPTO_DN_TEXT_MAX	1024	/* longest text we parse */

/*
 * "C=CH, O=Example, CN=alice" (or "/C=CH/O=Example/CN=alice") as the
 * DER of a Name, one RDN per attribute, in the order written (the first
 * is the outermost, as strongSwan and OpenSSL's -subj do).  Keys are
 * case-insensitive: C, ST, L, O, OU, CN, DC, E (or Email, emailAddress),
 * SN and serialNumber (serial number, as strongSwan reads "SN"), S or
 * surname, G or GN, T, UID, street, postalCode, dnQualifier, or a dotted
 * OID.  A value may be "quoted" and a backslash escapes the next
 * character; spaces around keys and values are dropped.  Values become
 * PrintableString when they fit it, IA5String for E and DC, else
 * UTF8String (which must be valid UTF-8).
 * 0, IR_ERR_CONFIG with a reason in |why| (an unknown key, an empty
 * value, bad UTF-8, nothing at all), IR_ERR_NOBUF when the DER exceeds
 * |cap|.
 */
int	crypto_dn_parse(const char *text, uint8_t *out, size_t cap,
	    size_t *len, char *why, size_t why_cap);

/* The DER Name |der| as one printable line in DER order, "C=CH,
 * O=Example, CN=alice"; "(bad DN)" when it does not parse. */
void	crypto_dn_text(const uint8_t *der, size_t len, char *buf, size_t cap);

/* True when some value of the DER Name is exactly "*". */
bool	crypto_dn_has_wildcards(const uint8_t *der, size_t len);

/*
 * Does the DER Name |have| (a certificate's subject, or a peer's ID)
 * match |want| (what we were configured with)?  With |wildcards|, a
 * value "*" in |want| matches any value of the same attribute type (the
 * number and order of RDNs still must agree).  0 on a match,
 * IR_ERR_PEER_ID when none, IR_ERR_MALFORMED when either does not parse
 * or is empty.
 */
int	crypto_dn_match(const uint8_t *have, size_t have_len,
	    const uint8_t *want, size_t want_len, bool wildcards);

#endif
