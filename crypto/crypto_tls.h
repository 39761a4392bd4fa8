/*
 * crypto/crypto_tls.h: a TLS client without I/O, for carrying the RFC
 * 9329 stream inside TLS (RFC 9329 Appendix A, from RFC 8229 §6): the
 * last rung of the transport ladder, for networks that let only web
 * ports out.  OpenSSL works on two memory BIOs; the caller moves bytes
 * between them and its socket, so this file never sees a socket or a
 * clock, like the engines.
 *
 * TLS here only gets IKE past middleboxes: IKE still authenticates the
 * gateway.  The server's certificate is still checked, so that a
 * middlebox that terminates TLS with its own certificate is noticed and
 * named instead of carrying the stream silently: against |ca_file|, or
 * the system store (OpenSSL's default paths, /etc/ssl/certs) when it is
 * NULL, with |server_name| as the host name.  A DNS name is also sent
 * as SNI (RFC 6066 §3); an IP address is not sent (SNI has no IP form)
 * and is checked against the certificate's IP address SAN.
 *
 * Conventions as in crypto/crypto.h.  Errors:
 *   IR_ERR_TLS_NOT   the server's first bytes are not a TLS record
 *   IR_ERR_TLS_CERT  the certificate is not trusted or not for the name
 *   IR_ERR_TLS       any other handshake or record failure
 *   IR_ERR_CLOSED    the server closed the TLS session (close_notify)
 * crypto_tls_detail() then says why in a few words.
 */
#ifndef IR_CRYPTO_TLS_H
#define IR_CRYPTO_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct crypto_tls;

/* IR_ERR_CONFIG: |ca_file| cannot be loaded (the detail says why). */
int	crypto_tls_new(struct crypto_tls **out, const char *server_name,
	    const char *ca_file);

/*
 * The same with the CA certificates as |pem_len| octets of PEM read
 * earlier (ikeroam reads files before it gives up its privileges);
 * |pem| NULL: the system store.  IR_ERR_CONFIG when |pem| holds no
 * certificate.
 */
int	crypto_tls_new_pem(struct crypto_tls **out, const char *server_name,
	    const uint8_t *pem, size_t pem_len);
void	crypto_tls_free(struct crypto_tls *t);

/* Bytes from the network; all are taken. */
int	crypto_tls_input(struct crypto_tls *t, const uint8_t *p, size_t len);

/*
 * Drive the handshake with what came in so far (the first call sends
 * the ClientHello).  *|done| once it completed and the certificate was
 * verified; until then crypto_tls_output() has what to send.
 */
int	crypto_tls_handshake(struct crypto_tls *t, bool *done);

/* Application data received: up to |cap| bytes; *|n| == 0 when the
 * input holds no complete record yet. */
int	crypto_tls_read(struct crypto_tls *t, uint8_t *buf, size_t cap,
	    size_t *n);

/* Application data to send (after the handshake): all of it is
 * encrypted into the output at once. */
int	crypto_tls_write(struct crypto_tls *t, const uint8_t *p, size_t len);

/* Encrypted bytes waiting for the network, and taking up to |cap|. */
size_t	crypto_tls_pending(const struct crypto_tls *t);
size_t	crypto_tls_output(struct crypto_tls *t, uint8_t *buf, size_t cap);

/* Why the last call failed: "self-signed certificate", "the certificate
 * is not for vpn.example", ...; "" when nothing failed. */
const char *crypto_tls_detail(const struct crypto_tls *t);

/* OpenSSL's reason for its last failure as one short phrase (|dflt|
 * when it names none); its error queue is cleared.  Also for
 * crypto_eaptls.c. */
const char *crypto_ssl_reason(const char *dflt);

/* Encrypted bytes one crypto_tls_write() of |len| bytes adds at most:
 * a header, tag and padding per 16 KiB record. */
#define CRYPTO_TLS_OVERHEAD(len)	((((len) / 16384) + 1) * 64)

#endif
