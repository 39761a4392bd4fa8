/*
 * crypto/crypto_revoke.h: is a certificate revoked?  The parsing and
 * checking half of revocation (RFC 6960 OCSP, RFC 5280 §5 CRLs, RFC 4806
 * OCSP content in IKE CERT payloads); src/revocation.c fetches.
 *
 * Inputs are DER as they travel: the certificate, its issuer (from the
 * verified path), and a response or CRL from the network, a CERT payload
 * or a cache file.  Nothing here does I/O or keeps state.  Returns 0 or
 * IR_ERR_MALFORMED (does not parse), IR_ERR_CERT (parses, but is not a
 * valid answer for this certificate: bad signature, another issuer, out
 * of date), IR_ERR_NOBUF, IR_ERR_NOMEM; |why| gets one line either way.
 */
#ifndef IR_CRYPTO_REVOKE_H
#define IR_CRYPTO_REVOKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CRYPTO_URI_MAX		256	/* longest URI we keep */
#define CRYPTO_REV_URIS_MAX	4	/* of each kind, per certificate */
#define CRYPTO_OCSP_REQ_MAX	512
#define CRYPTO_REV_WHY_MAX	200

enum crypto_rev_status {
	CRYPTO_REV_GOOD		= 0,
	CRYPTO_REV_REVOKED	= 1,
	CRYPTO_REV_UNKNOWN	= 2,	/* the responder does not know it */
};

struct crypto_rev_result {
	int		 status;	/* enum crypto_rev_status */
	int		 reason;	/* CRLReason, -1: none given */
	int64_t		 revoked_at;	/* seconds since the epoch */
	int64_t		 next_update;	/* 0: none given */
	char		 why[CRYPTO_REV_WHY_MAX];
};

struct crypto_rev_uris {
	char		 ocsp[CRYPTO_REV_URIS_MAX][CRYPTO_URI_MAX];
	char		 crl[CRYPTO_REV_URIS_MAX][CRYPTO_URI_MAX];
	uint8_t		 n_ocsp, n_crl;
};

/*
 * Where the certificate says its status lives: http(s) OCSP responders
 * of authorityInfoAccess and http(s) URIs of cRLDistributionPoints (full
 * names only).  Others (ldap:, too long) are skipped.
 */
int	crypto_rev_uris(const uint8_t *cert, size_t cert_len,
	    struct crypto_rev_uris *out);

/* A DER OCSPRequest for |cert| (SHA-1 CertID, no nonce, so that
 * responders and caches may answer from precomputed responses). */
int	crypto_ocsp_request(const uint8_t *cert, size_t cert_len,
	    const uint8_t *issuer, size_t issuer_len, uint8_t *out,
	    size_t cap, size_t *len);

/*
 * Check a DER OCSPResponse for |cert|: successful, signed by |issuer| or
 * by a responder it delegated (id-kp-OCSPSigning), with a SingleResponse
 * for |cert| current at |now| (5 minutes of leeway).
 */
int	crypto_ocsp_check(const uint8_t *resp, size_t resp_len,
	    const uint8_t *cert, size_t cert_len, const uint8_t *issuer,
	    size_t issuer_len, int64_t now, struct crypto_rev_result *r);

/* Check a DER CRL for |cert|: issued and signed by |issuer|, current at
 * |now|; the status is GOOD or REVOKED. */
int	crypto_crl_check(const uint8_t *crl, size_t crl_len,
	    const uint8_t *cert, size_t cert_len, const uint8_t *issuer,
	    size_t issuer_len, int64_t now, struct crypto_rev_result *r);

/* The name of a CRLReason (RFC 5280 §5.3.1), "unspecified" for others. */
const char *crypto_rev_reason_name(int reason);

#endif
