/*
 * tests/eaptls_keylog.h: the EAP-TLS MSK written out from the TLS
 * secrets of a finished handshake, as a key log records them (NSS
 * format: CLIENT_RANDOM's master secret for 1.2, EXPORTER_SECRET for
 * 1.3).  Only the tests need it: the recorded real exchanges of
 * tests/vectors/strongswan-eaptls-udp/ are proven with it
 * (check_ike_eaptls_vectors.c), and check_crypto_eaptls.c proves it
 * equal to crypto_eaptls_msk() on live handshakes.
 *   TLS 1.2: PRF(master secret, "client EAP encryption", client.random
 *            || server.random), the suite's PRF hash      RFC 5216 §2.3
 *   TLS 1.3: HKDF-Expand-Label(Derive-Secret(exporter master secret,
 *            label, ""), "exporter", Hash(context), 128)  RFC 8446 §7.5,
 *            label and context of RFC 9190 §2.3, or with |legacy| the
 *            drafts' "client EAP encryption" and an empty context.
 */
#ifndef IR_TESTS_EAPTLS_KEYLOG_H
#define IR_TESTS_EAPTLS_KEYLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KEYLOG_MSK_LEN	64	/* CRYPTO_EAPTLS_MSK_LEN */

struct keylog_secrets {
	uint16_t	 version;	/* 0x0303 or 0x0304 */
	uint16_t	 suite;		/* the ServerHello's cipher suite */
	bool		 legacy;	/* 1.3 without RFC 9190's indication */
	const uint8_t	*secret;	/* master / exporter master secret */
	size_t		 secret_len;
	const uint8_t	*client_random;	/* 32 octets each; TLS 1.2 only */
	const uint8_t	*server_random;
};

/* 0, or IR_ERR_CONFIG: a version, suite or secret length we do not
 * know; IR_ERR_CRYPTO when OpenSSL fails. */
int	keylog_msk(const struct keylog_secrets *s,
	    uint8_t msk[KEYLOG_MSK_LEN]);

#endif
