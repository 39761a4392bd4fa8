/*
 * ike/ike_algs.h: algorithm lists for proposals, the defaults, and the
 * strongSwan-style proposal strings users already know
 * ("aes256gcm16-prfsha384-x25519", "aes128-sha256-modp2048").
 */
#ifndef IR_IKE_ALGS_H
#define IR_IKE_ALGS_H

#include <stdbool.h>

#include "ike/ike.h"

/*
 * Defaults of the first-tunnel issue: IKE AES-GCM-16-256/128 and
 * ChaCha20-Poly1305 with PRF-HMAC-SHA2-256/384 over Curve25519, ECP-256
 * and MODP-2048, plus AES-CBC with HMAC-SHA2 as a fallback proposal; ESP
 * the same ciphers, no PFS groups in IKE_AUTH (RFC 7296 §1.2).
 */
void	ike_algs_default_ike(struct ike_algs *out);
void	ike_algs_default_esp(struct ike_algs *out);

/*
 * Parse a proposal string: tokens separated by '-', several proposals
 * merged when separated by ','.  |esp| selects the Child SA grammar (no
 * PRF; "esn"/"noesn"; DH groups mean PFS).  Returns 0, or
 * IR_ERR_CONFIG with |err| (if not NULL) naming the bad token.
 */
int	ike_algs_parse(const char *s, bool esp, struct ike_algs *out,
	    char *err, size_t err_len);

/* A compact text form for logs and status ("aes128gcm16/prfsha256/x25519"). */
void	ike_algs_format(const struct ike_algs *a, bool esp, char *buf,
	    size_t cap);

/* The token of one transform, for logs: "aes256gcm16", "x25519", ... */
const char	*ike_algs_encr_name(uint16_t id, uint16_t key_bits);
const char	*ike_algs_integ_name(uint16_t id);
const char	*ike_algs_prf_name(uint16_t id);
const char	*ike_algs_dh_name(uint16_t id);

#endif
