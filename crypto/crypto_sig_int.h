/*
 * crypto/crypto_sig_int.h: what crypto_pkey.c, crypto_sig.c and
 * crypto_x509.c share behind crypto_sig.h.  Included only inside crypto/.
 */
#ifndef IR_CRYPTO_SIG_INT_H
#define IR_CRYPTO_SIG_INT_H

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "crypto/crypto_sig.h"

struct crypto_pkey {
	EVP_PKEY	*pkey;
	int		 type;		/* enum crypto_key_type */
	unsigned	 bits;
	bool		 priv;
	crypto_sign_fn	 remote;	/* crypto_pkey_new_remote() */
	void		*remote_arg;
};

struct crypto_cert {
	X509		*x509;
	uint8_t		*der;		/* i2d of x509, for CERT payloads */
	size_t		 der_len;
};

#define CRYPTO_FILE_MAX	(1u << 20)	/* largest key or certificate file */

/*
 * Wrap |pkey| (ownership taken, also on failure) after checking that it
 * is a type we support: IR_ERR_UNSUPPORTED otherwise.
 */
int	crypto_pkey_wrap(struct crypto_pkey **out, EVP_PKEY *pkey);

/* Wrap |x509| (ownership taken, also on failure) and cache its DER. */
int	crypto_cert_wrap(struct crypto_cert **out, X509 *x509);

/* A printf into |why| (may be NULL or |cap| 0): the one-line reasons
 * of crypto_x509.c and crypto_dn.c. */
void	crypto_why_set(char *why, size_t cap, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * Read the whole file |path| (at most CRYPTO_FILE_MAX) into a new buffer
 * that the caller wipes and frees.  With |secret|, refuse (IR_ERR_CONFIG)
 * a file that is not regular or has group/other permission bits, checked
 * on the open descriptor.
 */
int	crypto_file_read(const char *path, bool secret, uint8_t **buf,
	    size_t *len);

#endif
