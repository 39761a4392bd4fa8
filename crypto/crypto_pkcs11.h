/*
 * crypto/crypto_pkcs11.h: a private key (and its certificate) on a
 * PKCS#11 token (a smart card, a YubiKey, a TPM through p11-kit, SoftHSM)
 * named by a PKCS#11 URI (RFC 7512), e.g.
 *   pkcs11:token=ikeroam;object=alice
 *   pkcs11:token=ikeroam;id=%01?module-path=/usr/lib/softhsm/libsofthsm2.so
 *
 * Keys and certificates come through the libp11 engine of OpenSSL
 * (libengine-pkcs11-openssl); the token is first looked for with p11-kit,
 * which says whether it is there and the state of its PIN.  Without
 * "module-path" both use p11-kit's proxy, i.e. every module registered in
 * /usr/share/p11-kit/modules.  A PIN inside the URI ("pin-value",
 * "pin-source") is refused: a URI is given on the command line.
 *
 * Errors (one printable line in |why|):
 *   IR_ERR_MALFORMED   not a PKCS#11 URI, or one that carries a PIN
 *   IR_ERR_CONFIG      the engine or the module cannot be loaded
 *   IR_ERR_NOT_FOUND   no token matches (missing), or no such object
 *   IR_ERR_AUTH        the PIN is wrong (tried ONCE), or locked
 *   IR_ERR_UNSUPPORTED a key type crypto_sig.h does not do
 */
#ifndef IR_CRYPTO_PKCS11_H
#define IR_CRYPTO_PKCS11_H

#include <stdbool.h>
#include <stddef.h>

#include "crypto/crypto_sig.h"

#define CRYPTO_PKCS11_PIN_MAX	255	/* octets of a PIN */

/* True when |s| is a PKCS#11 URI (starts with "pkcs11:"). */
bool	crypto_pkcs11_is_uri(const char *s);

/* What p11-kit says about the token a URI names. */
struct crypto_token_info {
	char	label[33];		/* blank padding removed */
	char	manufacturer[33];
	char	model[17];
	char	serial[17];
	bool	login_required;
	bool	pin_locked;		/* CKF_USER_PIN_LOCKED */
	bool	pin_final_try;		/* CKF_USER_PIN_FINAL_TRY */
	bool	pin_count_low;		/* CKF_USER_PIN_COUNT_LOW */
};

/*
 * Find the token |uri| names, without logging in: 0 with |info| filled
 * (the first matching token), IR_ERR_NOT_FOUND when none matches,
 * IR_ERR_MALFORMED, IR_ERR_CONFIG.  Every module it loaded is finalized
 * before it returns.
 */
int	crypto_pkcs11_find_token(const char *uri,
	    struct crypto_token_info *info, char *why, size_t cap);

/* The engine, open on the URI's module.  Opaque. */
struct crypto_pkcs11;

/*
 * crypto_pkcs11_find_token() (|info| may be NULL), then load and start
 * the engine.  IR_ERR_AUTH (with nothing tried) when the token's PIN is
 * locked.
 */
int	crypto_pkcs11_open(struct crypto_pkcs11 **out, const char *uri,
	    struct crypto_token_info *info, char *why, size_t cap);

/* The certificate |uri| names (no login). */
int	crypto_pkcs11_cert(struct crypto_pkcs11 *t, const char *uri,
	    struct crypto_cert **out, char *why, size_t cap);

/*
 * Log in with |pin| (NULL: none; one attempt only, never a prompt) and
 * get the private key |uri| names: a key whose crypto_sig_sign() runs on
 * the token.  Free it (crypto_pkey_free) before crypto_pkcs11_close().
 */
int	crypto_pkcs11_key(struct crypto_pkcs11 *t, const char *uri,
	    const char *pin, struct crypto_pkey **out, char *why, size_t cap);

/* Finish the engine: log out, close the sessions, finalize the module
 * (C_Finalize), wipe the PIN it kept.  Accepts NULL. */
void	crypto_pkcs11_close(struct crypto_pkcs11 *t);

#endif
