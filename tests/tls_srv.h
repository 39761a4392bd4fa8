/*
 * tests/tls_srv.h: the gateway's side of EAP-TLS for the tests, written
 * straight on OpenSSL (not on crypto/crypto_eaptls.c, so a mistake there
 * does not cancel out): a TLS server over memory BIOs that asks for a
 * client certificate, sends RFC 9190's protected success indication
 * (unless told not to, as strongSwan 5.9.8 does not), and derives the
 * MSK with its own code.  Certificates come from tests/vectors/pki.
 */
#ifndef IR_TESTS_TLS_SRV_H
#define IR_TESTS_TLS_SRV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tls_srv;

struct tls_srv_opts {
	const char	*cert, *key;	/* pki/ names; NULL: gw-rsa2048 */
	const char	*client_ca;	/* NULL: root-ca.crt */
	uint16_t	 max_version;	/* 0x0303 or 0x0304; 0: 1.3 */
	/* After the handshake (TLS 1.3): 0 sends 0x00, 1 nothing (the
	 * drafts, strongSwan 5.9.8), 2 the octet 0x01. */
	int		 indication;
};

struct tls_srv	*tls_srv_new(const struct tls_srv_opts *o);
void		 tls_srv_free(struct tls_srv *s);

/* Client bytes in, then the handshake run on them: 0, 1 once it is
 * done (and the indication queued), -1 when it failed (an alert may be
 * waiting in the output). */
int		 tls_srv_input(struct tls_srv *s, const uint8_t *p, size_t len);
size_t		 tls_srv_pending(struct tls_srv *s);
size_t		 tls_srv_output(struct tls_srv *s, uint8_t *buf, size_t cap);
/*
 * The MSK (RFC 5216 §2.3 for TLS 1.2, computed here from the master
 * secret and randoms with the TLS 1.2 PRF; RFC 9190 §2.3 for TLS 1.3, or
 * the drafts' label when no indication was sent).
 */
void		 tls_srv_msk(struct tls_srv *s, uint8_t msk[64]);
uint16_t	 tls_srv_version(struct tls_srv *s);
/* What a key log records of the finished handshake (OpenSSL's keylog
 * callback: TLS 1.2's master secret, TLS 1.3's exporter master secret),
 * the suite and both randoms: the inputs of
 * keylog_msk() (tests/eaptls_keylog.h). */
void		 tls_srv_secrets(struct tls_srv *s, uint16_t *suite,
		    const uint8_t **secret, size_t *len, uint8_t cr[32],
		    uint8_t sr[32]);

#endif
