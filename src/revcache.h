/*
 * src/revcache.c: the files of the revocation cache (src/revocation.c).
 * One file per answer, named by the SHA-1 of what it answers (an OCSP
 * response: the certificate's DER; a CRL: its URI) in hex, with ".ocsp"
 * or ".crl": the caller never hands over a path, so the privileged part
 * (PRIV_REVCACHE_*, src/priv_msg.h) builds the name itself from 20
 * octets.  The content is checked again by crypto/crypto_revoke.c every
 * time it is read (signature, issuer, dates); this file only keeps it.
 */
#ifndef IR_SRC_REVCACHE_H
#define IR_SRC_REVCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REVCACHE_KEY_LEN	20		/* SHA-1 */
#define REVCACHE_FILE_MAX	(4 * 1024 * 1024)	/* a CRL */
/* Largest answer stored through the privileged part (one datagram):
 * OCSP responses and small CRLs.  Larger CRLs are not cached there. */
#define REVCACHE_PRIV_MAX	(60 * 1024)

enum revcache_kind {
	REVCACHE_OCSP = 1,
	REVCACHE_CRL = 2,
};

/* The key of an answer: SHA-1 of |p|. */
int	revcache_key(const void *p, size_t len,
	    uint8_t key[REVCACHE_KEY_LEN]);

/* <dir>/<hex key>.ocsp|.crl; false when it does not fit or |kind| is
 * not one. */
bool	revcache_path(const char *dir, int kind,
	    const uint8_t key[REVCACHE_KEY_LEN], char *out, size_t cap);

/* True when |p| is one DER SEQUENCE of exactly |len| octets (what
 * OCSPResponse and CertificateList are): the privileged part stores
 * nothing else. */
static inline bool
revcache_der_ok(const uint8_t *p, size_t len)
{
	size_t n, hdr, i, body;

	if (len < 2 || p[0] != 0x30)		/* SEQUENCE, constructed */
		return false;
	if (p[1] < 0x80) {
		hdr = 2;
		body = p[1];
	} else {
		n = p[1] & 0x7f;
		if (n == 0 || n > 4 || len < 2 + n || p[2] == 0)
			return false;		/* indefinite, huge, not DER */
		hdr = 2 + n;
		for (body = 0, i = 0; i < n; i++)
			body = body << 8 | p[2 + i];
		if (body < 0x80)
			return false;		/* long form where short fits */
	}
	return body == len - hdr;
}

/* Open an entry for reading (safefile_open()): 0 with *|fd|, -ENOENT,
 * or another negative code with one line in |err|. */
int	revcache_open(const char *dir, int kind,
	    const uint8_t key[REVCACHE_KEY_LEN], int *fd, char *err,
	    size_t err_len);

/* All of an opened entry (at most |max| octets) in a new buffer
 * (ir_malloc()); closes |fd|.  0 or a negative code. */
int	revcache_read_fd(int fd, size_t max, uint8_t **buf, size_t *len);

/* Write an entry (0644; the directory made 0700 when missing).  0, or
 * a negative code with one line in |err|; IR_ERR_MALFORMED when |p| is
 * not DER (revcache_der_ok()). */
int	revcache_store(const char *dir, int kind,
	    const uint8_t key[REVCACHE_KEY_LEN], const uint8_t *p, size_t len,
	    char *err, size_t err_len);

#endif
