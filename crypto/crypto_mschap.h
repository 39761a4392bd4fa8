/*
 * crypto/crypto_mschap.h: the client side of EAP-MSCHAPv2 (RFC 2759)
 * and its keys (RFC 3079), as IKEv2 uses them for EAP authentication.
 *
 * MS-CHAPv2 needs MD4 and single DES, which OpenSSL 3 keeps in its
 * "legacy" provider.  A struct crypto_mschap loads that provider into a
 * private OSSL_LIB_CTX (never the default one, so the rest of the
 * program cannot pick up legacy algorithms by accident) and fetches MD4
 * and DES-ECB there once.
 *
 * Conventions as in crypto/crypto.h: arguments are borrowed, 0 or a
 * negative IR_ERR_* is returned, and secrets on the stack are wiped.
 * The password is UTF-8 text (converted to UTF-16LE as RFC 2759 §8.3
 * wants, at most 256 characters); the user name is the MS-CHAPv2 Name
 * field, of which only the part after a "DOMAIN\" prefix is hashed
 * (RFC 2759 §4).  Neither is ever logged or kept.
 */
#ifndef IR_CRYPTO_MSCHAP_H
#define IR_CRYPTO_MSCHAP_H

#include <stddef.h>
#include <stdint.h>

#define CRYPTO_MSCHAP_CHALLENGE_LEN	16
#define CRYPTO_MSCHAP_NT_RESPONSE_LEN	24
#define CRYPTO_MSCHAP_AUTH_RESPONSE_LEN	42	/* "S=" + 40 hex digits */
#define CRYPTO_MSCHAP_MSK_LEN		64
#define CRYPTO_MSCHAP_PASSWORD_MAX	256	/* characters (RFC 2759 §4) */
#define CRYPTO_MSCHAP_NAME_MAX		256	/* octets */

struct crypto_mschap;

/*
 * Load the legacy provider into a private library context and fetch MD4
 * and DES-ECB.  IR_ERR_UNSUPPORTED when the provider (Debian: libssl3's
 * ossl-modules/legacy.so) or either algorithm is missing.
 */
int	crypto_mschap_new(struct crypto_mschap **out);
void	crypto_mschap_free(struct crypto_mschap *m);

/*
 * GenerateNTResponse() (RFC 2759 §8.1) from the authenticator's and our
 * challenge, the user name and the password.  IR_ERR_CONFIG for a
 * password that is not UTF-8 or too long, or a name that is too long.
 */
int	crypto_mschap_nt_response(struct crypto_mschap *m,
	    const uint8_t auth_challenge[CRYPTO_MSCHAP_CHALLENGE_LEN],
	    const uint8_t peer_challenge[CRYPTO_MSCHAP_CHALLENGE_LEN],
	    const char *name, size_t name_len, const char *password,
	    size_t password_len,
	    uint8_t nt_response[CRYPTO_MSCHAP_NT_RESPONSE_LEN]);

/*
 * GenerateAuthenticatorResponse() (RFC 2759 §8.7): the 42 characters
 * "S=<40 uppercase hex digits>" the authenticator must send, written to
 * |out| with a terminating NUL.
 */
int	crypto_mschap_auth_response(struct crypto_mschap *m,
	    const uint8_t auth_challenge[CRYPTO_MSCHAP_CHALLENGE_LEN],
	    const uint8_t peer_challenge[CRYPTO_MSCHAP_CHALLENGE_LEN],
	    const uint8_t nt_response[CRYPTO_MSCHAP_NT_RESPONSE_LEN],
	    const char *name, size_t name_len, const char *password,
	    size_t password_len,
	    char out[CRYPTO_MSCHAP_AUTH_RESPONSE_LEN + 1]);

/*
 * CheckAuthenticatorResponse() (RFC 2759 §8.8) on the Message of a
 * Success packet, which starts "S=<40 hex>" (" M=<text>" may follow).
 * The comparison is constant time and accepts either case of hex digit.
 * 0 when it is right, IR_ERR_AUTH when it is wrong, IR_ERR_MALFORMED
 * when the message is too short or not of that form.
 */
int	crypto_mschap_auth_check(struct crypto_mschap *m,
	    const uint8_t auth_challenge[CRYPTO_MSCHAP_CHALLENGE_LEN],
	    const uint8_t peer_challenge[CRYPTO_MSCHAP_CHALLENGE_LEN],
	    const uint8_t nt_response[CRYPTO_MSCHAP_NT_RESPONSE_LEN],
	    const char *name, size_t name_len, const char *password,
	    size_t password_len, const uint8_t *message, size_t message_len);

/*
 * The 64-octet MSK of EAP-MSCHAPv2 as strongSwan and Windows lay it out
 * (and IKEv2 then uses in AUTH, RFC 7296 §2.16): the client's
 * MasterSendKey | the client's MasterReceiveKey (RFC 3079 §3.4, 16
 * octets each) | 32 zero octets.
 */
int	crypto_mschap_msk(struct crypto_mschap *m,
	    const uint8_t nt_response[CRYPTO_MSCHAP_NT_RESPONSE_LEN],
	    const char *password, size_t password_len,
	    uint8_t msk[CRYPTO_MSCHAP_MSK_LEN]);

#endif
