/*
 * crypto/crypto_import.h: what `ikeroam import` needs from OpenSSL.
 * PKCS#12 bundles (RFC 7292) become PEM text for the files a profile
 * names, certificates in DER or PEM become PEM, and a CMS SignedData
 * (RFC 5652 §5, a signed .mobileconfig) is verified and opened.
 *
 * Everything works on memory: the caller reads and writes the files.
 * Returned buffers are malloc'd and NUL-terminated; the caller frees
 * them (crypto_p12_pem_clear() wipes the key).  Functions return 0 or a
 * negative IR_ERR_* (common/ir_err.h):
 *   IR_ERR_MALFORMED    the input does not parse as what was asked
 *   IR_ERR_AUTH         a wrong PKCS#12 password, or a CMS signature
 *                       that does not match the signed content
 *   IR_ERR_CERT         a CMS signer that does not chain to a trusted CA
 *   IR_ERR_UNSUPPORTED  a PKCS#12 without a key or a certificate
 *   IR_ERR_NOMEM, IR_ERR_CRYPTO
 */
#ifndef IR_CRYPTO_IMPORT_H
#define IR_CRYPTO_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CRYPTO_LINE_MAX		256	/* a subject or reason line */
#define CRYPTO_IMPORT_MAX_CERTS	16	/* CA certificates we carry over */

struct crypto_p12_pem {
	char	*cert;			/* the certificate of the key */
	size_t	 cert_len;
	char	*key;			/* PKCS#8 PEM, encrypted on request */
	size_t	 key_len;
	char	*cas;			/* the other certificates, or NULL */
	size_t	 cas_len;
	size_t	 n_cas;
	char	 subject[CRYPTO_LINE_MAX];	/* of |cert|, printable */
	/* The first rfc822Name, else dNSName, of |cert|: an IKE identity
	 * the certificate carries (RFC 4945 §3.1); "" when none. */
	char	 san_id[CRYPTO_LINE_MAX];
};

/*
 * Split the PKCS#12 |p12| opened with |pass| (NULL or "" for none; both
 * forms are tried, as PKCS#12 writers differ).  The key is written as
 * PKCS#8, encrypted with AES-256-CBC under |key_pass| unless it is NULL.
 * Old bundles (RC2, 40-bit) are opened through OpenSSL's legacy
 * provider when it is installed.
 * IR_ERR_AUTH: |pass| is wrong (the MAC, RFC 7292 §5, does not verify).
 */
int	crypto_p12_to_pem(const uint8_t *p12, size_t len, const char *pass,
	    const char *key_pass, struct crypto_p12_pem *out);
void	crypto_p12_pem_clear(struct crypto_p12_pem *p);

/*
 * Every certificate of |data| (one DER certificate, or PEM with one or
 * more) as PEM text in *|pem|; at most CRYPTO_IMPORT_MAX_CERTS.
 * |subject| (may be NULL) receives the first one's subject line.
 */
int	crypto_certs_to_pem(const uint8_t *data, size_t len, char **pem,
	    size_t *pem_len, size_t *n, char *subject, size_t subject_cap);

/* True when |data| is a DER ContentInfo of type id-signedData. */
bool	crypto_cms_is_signed(const uint8_t *data, size_t len);

struct crypto_cms_opts {
	const char	*ca_file;	/* extra trust anchors, or NULL */
	const char	*ca_dir;	/* hashed CA directory, or NULL */
	bool		 insecure;	/* open the content whatever the result */
};

/*
 * Verify the SignedData |der| (RFC 5652 §5.6): the signature over the
 * encapsulated content first, then the signer's chain against the
 * trust of |o| (any key usage: profile signers use TLS certificates).
 * On 0 the content is in *|content| (the caller frees it) and the
 * signer's subject in |signer|.  On IR_ERR_AUTH or IR_ERR_CERT, |why|
 * holds one line; with |o->insecure| the content and signer are
 * returned as well, for the caller to warn about.
 */
int	crypto_cms_open(const uint8_t *der, size_t len,
	    const struct crypto_cms_opts *o, uint8_t **content,
	    size_t *content_len, char *signer, size_t signer_cap, char *why,
	    size_t why_cap);

#endif
