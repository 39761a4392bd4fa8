/*
 * crypto/crypto_eaptls.h: the TLS peer of EAP-TLS (RFC 5216 with TLS
 * 1.2, RFC 9190 with TLS 1.3), without I/O.  OpenSSL works on two memory
 * BIOs: ike/ike_eap_tls.c feeds the TLS records the gateway sent in
 * EAP-Requests and takes the records to send in EAP-Responses, so this
 * file never sees a socket, a clock or an EAP header.
 *
 * We authenticate with our certificate and key (the ones of --cert and
 * --key).  The gateway's TLS certificate is verified with the same trust
 * anchors as its IKE certificate (crypto_trust_verify()) and must carry
 * the identities the caller names (the gateway's IDr, and --remote-id):
 * with EAP-only authentication (RFC 5998) this is what proves the
 * gateway.  The check runs inside the handshake, so nothing follows a
 * certificate we refuse.
 *
 * Conventions as in crypto/crypto.h.  Errors:
 *   IR_ERR_CERT      the gateway's certificate is not trusted
 *   IR_ERR_PEER_ID   ... or does not carry the identity asked for
 *   IR_ERR_AUTH      the gateway refused us (a TLS alert): usually our
 *                    certificate
 *   IR_ERR_TLS       any other handshake or record failure
 *   IR_ERR_UNEXPECTED  application data other than the protected
 *                    success indication of RFC 9190 §2.5
 * crypto_eaptls_detail() then says why in a few words.
 */
#ifndef IR_CRYPTO_EAPTLS_H
#define IR_CRYPTO_EAPTLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CRYPTO_EAPTLS_MSK_LEN	64	/* RFC 5216 §2.3 */
#define CRYPTO_EAPTLS_IDS_MAX	2

struct crypto_pkey;
struct crypto_cert;
struct crypto_trust;
struct crypto_eaptls;

/* An identity the gateway's certificate must carry (IKE ID type and
 * data, as crypto_cert_match_id() takes them); a configured one may be
 * a pattern (crypto_cert_match_pattern()), never what the peer sent. */
struct crypto_eaptls_id {
	uint8_t		 type;
	const uint8_t	*data;
	size_t		 len;
	bool		 pattern;
};

struct crypto_eaptls_conf {
	const struct crypto_pkey	*key;	/* ours, borrowed */
	const struct crypto_cert	*cert;
	const struct crypto_trust	*trust;	/* verifies the gateway */
	struct crypto_eaptls_id		 ids[CRYPTO_EAPTLS_IDS_MAX];
	unsigned			 nids;
	/* Highest TLS version to offer: 0x0303 (1.2) or 0x0304 (1.3);
	 * 0 for 1.3.  TLS 1.2 is the lowest (RFC 9190 §5.1 leaves 1.0
	 * and 1.1 behind). */
	uint16_t			 max_version;
};

/* Everything in |conf| is copied or referenced: the key, certificate and
 * trust must outlive the object.  Allocates the TLS state once; nothing
 * later allocates per EAP packet beyond OpenSSL's buffers. */
int	crypto_eaptls_new(struct crypto_eaptls **out,
	    const struct crypto_eaptls_conf *conf);
void	crypto_eaptls_free(struct crypto_eaptls *t);

/* TLS record bytes from the gateway (one EAP-TLS fragment's data). */
int	crypto_eaptls_input(struct crypto_eaptls *t, const uint8_t *p,
	    size_t len);

/*
 * Run the handshake on what came in (the first call makes the
 * ClientHello).  *|done| once our side of the handshake finished and the
 * gateway's certificate was verified; with TLS 1.3 also reads the
 * protected success indication (one application data octet 0x00, RFC
 * 9190 §2.5) once it arrives.
 */
int	crypto_eaptls_step(struct crypto_eaptls *t, bool *done);

/* RFC 9190 §2.5: with TLS 1.3 the gateway's 0x00 arrived; with TLS 1.2
 * the handshake's Finished is the indication (RFC 5216 §2.1.1). */
bool	crypto_eaptls_success(const struct crypto_eaptls *t);

/* Record bytes waiting to be sent, and taking up to |cap| of them. */
size_t	crypto_eaptls_pending(const struct crypto_eaptls *t);
size_t	crypto_eaptls_output(struct crypto_eaptls *t, uint8_t *buf,
	    size_t cap);

/*
 * The MSK, after the handshake: the first 64 octets of the Key_Material
 *   TLS 1.2: TLS-PRF-128(master secret, "client EAP encryption",
 *            client.random || server.random)      RFC 5216 §2.3
 *   TLS 1.3: TLS-Exporter("EXPORTER_EAP_TLS_Key_Material", 0x0D, 128)
 *                                                 RFC 9190 §2.3
 * A TLS 1.3 server that ended without the protected success indication
 * predates RFC 9190 (strongSwan before 5.9.10, after the drafts): it
 * derives TLS-Exporter("client EAP encryption", "", 128), and so do we
 * then (*|legacy| set).  Inside IKE this costs nothing: EAP-Success
 * travels under SK, and the gateway's final AUTH proves the MSK.
 */
int	crypto_eaptls_msk(struct crypto_eaptls *t,
	    uint8_t msk[CRYPTO_EAPTLS_MSK_LEN], bool *legacy);

/* The negotiated version (0x0303, 0x0304), after the handshake. */
uint16_t crypto_eaptls_version(const struct crypto_eaptls *t);

/* The gateway's verified path (leaf first, anchor last), for its
 * revocation check; NULL before the handshake verified it. */
struct crypto_chain;
const struct crypto_chain *crypto_eaptls_peer_path(
	    const struct crypto_eaptls *t);

/* Why the last call failed, one phrase; "" when nothing failed. */
const char *crypto_eaptls_detail(const struct crypto_eaptls *t);

#endif
