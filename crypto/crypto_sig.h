/*
 * crypto/crypto_sig.h: public keys, private keys, IKE AUTH signatures
 * (RFC 7296 §3.8, RFC 4754, RFC 7427, RFC 8420) and X.509 certificates.
 *
 * Conventions are those of crypto/crypto.h: identifiers are IANA numbers,
 * arguments are borrowed for the call, and objects made by the _new and
 * _load functions belong to the caller, who releases them with the
 * matching _free function; it wipes secrets and accepts NULL.  Functions return 0 or a negative IR_ERR_*:
 *   IR_ERR_MALFORMED    input that does not parse (a key, a certificate,
 *                       AUTH data, an AlgorithmIdentifier)
 *   IR_ERR_UNSUPPORTED  an algorithm, key type or ID type we do not do
 *   IR_ERR_AUTH         a signature that does not verify, or a wrong
 *                       passphrase
 *   IR_ERR_CERT         a certificate chain that does not verify
 *   IR_ERR_PEER_ID      an identity that the certificate does not carry
 *   IR_ERR_CONFIG       a secret file readable by group or others, or a
 *                       configured file that holds nothing usable
 *   IR_ERR_NOBUF        an output buffer is too small
 *   IR_ERR_NOMEM, IR_ERR_CRYPTO
 *   -errno              a file could not be opened or read
 *
 * Files are read only by the *_file() loaders, at configuration time;
 * nothing else here does I/O.  Passphrases are never logged or kept.
 */
#ifndef IR_CRYPTO_SIG_H
#define IR_CRYPTO_SIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"

/* ---- Identifiers ----------------------------------------------------- */

/* Authentication Method of the AUTH payload (RFC 7296 §3.8, IANA). */
enum crypto_auth_method {
	CRYPTO_AUTH_RSA_SIG		= 1,	/* PKCS#1 v1.5 with SHA-1 */
	CRYPTO_AUTH_PSK			= 2,	/* not a signature: see prf */
	CRYPTO_AUTH_ECDSA_SHA256_P256	= 9,	/* RFC 4754: raw r | s */
	CRYPTO_AUTH_ECDSA_SHA384_P384	= 10,
	CRYPTO_AUTH_ECDSA_SHA512_P521	= 11,
	CRYPTO_AUTH_DIGITAL_SIG		= 14,	/* RFC 7427 */
};

/* Hash Algorithm Identifiers of SIGNATURE_HASH_ALGORITHMS (RFC 7427 §4,
 * RFC 8420 §2 for Identity).  A peer's list becomes a bit set:
 * bit (1u << id) for each id it sent. */
enum crypto_hash_id {
	CRYPTO_HASH_SHA1	= 1,
	CRYPTO_HASH_SHA2_256	= 2,
	CRYPTO_HASH_SHA2_384	= 3,
	CRYPTO_HASH_SHA2_512	= 4,
	CRYPTO_HASH_IDENTITY	= 5,	/* Ed25519, Ed448: no prehash */
};
#define CRYPTO_HASH_BIT(id)	(1u << (id))

enum crypto_key_type {
	CRYPTO_KEY_RSA		= 1,
	CRYPTO_KEY_ECDSA	= 2,	/* P-256, P-384, P-521 */
	CRYPTO_KEY_ED25519	= 3,
};

/* A signature scheme: what an RFC 7427 AlgorithmIdentifier names. */
enum crypto_sig_kind {
	CRYPTO_SIG_RSA_PKCS1	= 1,	/* RSASSA-PKCS1-v1_5 */
	CRYPTO_SIG_RSA_PSS	= 2,	/* RSASSA-PSS, MGF1 with the same hash */
	CRYPTO_SIG_ECDSA	= 3,	/* DER Ecdsa-Sig-Value in method 14 */
	CRYPTO_SIG_ED25519	= 4,	/* PureEdDSA, RFC 8032 */
};

struct crypto_sig_alg {
	uint8_t		kind;		/* enum crypto_sig_kind */
	uint8_t		hash;		/* enum crypto_hash_id */
	uint16_t	salt_len;	/* RSASSA-PSS only: octets of salt */
};

#define CRYPTO_SIG_MAX		1024	/* RSA-8192 */
#define CRYPTO_ALGID_MAX	80	/* longest AlgorithmIdentifier we send */
/* Longest AUTH data (after the method and reserved octets) we produce. */
#define CRYPTO_AUTH_DATA_MAX	(1 + CRYPTO_ALGID_MAX + CRYPTO_SIG_MAX)
#define CRYPTO_SHA1_LEN		20

/* ---- Keys (crypto_pkey.c) -------------------------------------------- */

/* A public key, or a key pair.  Opaque. */
struct crypto_pkey;
struct crypto_cert;			/* below */

/*
 * Load a private key from memory: PEM or DER, PKCS#8 or the traditional
 * formats, plain or encrypted (PKCS#8 PBES2, or PEM "Proc-Type:
 * 4,ENCRYPTED"), or a PKCS#12 file.  RSA (at least 2048 bits), ECDSA on
 * P-256/P-384/P-521, and Ed25519.  |passphrase| may be NULL for plain
 * keys; it is passed to OpenSSL only and never prompted for.
 * Returns IR_ERR_AUTH when the data is encrypted and |passphrase| does not
 * open it (or is NULL), IR_ERR_MALFORMED when nothing parses,
 * IR_ERR_UNSUPPORTED for another key type or a short RSA key.
 */
int	crypto_pkey_load_private(struct crypto_pkey **out, const uint8_t *data,
	    size_t len, const char *passphrase);

/*
 * The same from the file |path|, which must be a regular file of at most
 * 1 MiB that neither group nor others may read, write or execute
 * (st_mode & 077 == 0): otherwise IR_ERR_CONFIG, before any byte is read.
 * The file's bytes are wiped after parsing.
 */
int	crypto_pkey_load_private_file(struct crypto_pkey **out,
	    const char *path, const char *passphrase);

/*
 * The key and the certificate of a PKCS#12 file (as above, the
 * certificate whose public key matches the key).  |cert| may be NULL
 * when only the key is wanted; *|cert| is NULL when the file has none.
 * The _file variant applies the same mode check.
 */
int	crypto_pkcs12_load(struct crypto_pkey **key, struct crypto_cert **cert,
	    const uint8_t *data, size_t len, const char *passphrase);
int	crypto_pkcs12_load_file(struct crypto_pkey **key,
	    struct crypto_cert **cert, const char *path, const char *passphrase);

/*
 * 0 when |path| is a regular file with no group or other permission
 * bits, IR_ERR_CONFIG when it is not, -errno when it cannot be examined.
 * For callers that read other secrets (PSK, EAP password files).
 */
int	crypto_secret_file_check(const char *path);

/*
 * A public key from a SubjectPublicKeyInfo, DER or PEM ("PUBLIC KEY").
 * The same key types as above.
 */
int	crypto_pkey_load_public(struct crypto_pkey **out, const uint8_t *data,
	    size_t len);

void	crypto_pkey_free(struct crypto_pkey *k);

/*
 * A signer that holds the private key elsewhere (ikeroam's privileged
 * part, src/priv.h): |fn| gets crypto_sig_sign()'s arguments and must
 * do what it does.  It is called synchronously.
 */
typedef int (*crypto_sign_fn)(void *arg, const struct crypto_sig_alg *alg,
	    const uint8_t *data, size_t len, uint8_t *sig, size_t cap,
	    size_t *sig_len);

/*
 * A key pair whose public half is |pub| (copied: a reference is taken)
 * and whose signatures come from |fn| (crypto_sig_sign(),
 * crypto_auth_sign()).  crypto_pkey_is_private() is true for it; nothing
 * else may use its private half (EAP-TLS cannot).
 */
int	crypto_pkey_new_remote(struct crypto_pkey **out,
	    const struct crypto_pkey *pub, crypto_sign_fn fn, void *arg);

/* True for a key made by crypto_pkey_new_remote(). */
bool	crypto_pkey_is_remote(const struct crypto_pkey *k);

/* enum crypto_key_type of |k|. */
int	crypto_pkey_type(const struct crypto_pkey *k);

/* Key size in bits: the modulus for RSA, the curve for ECDSA (256, 384,
 * 521), 256 for Ed25519. */
unsigned crypto_pkey_bits(const struct crypto_pkey *k);

/* True when |k| holds a private key. */
bool	crypto_pkey_is_private(const struct crypto_pkey *k);

/* True when |a| and |b| have the same public key (a key and its
 * certificate). */
bool	crypto_pkey_equal(const struct crypto_pkey *a,
	    const struct crypto_pkey *b);

/* ---- Signatures (crypto_sig.c) --------------------------------------- */

/*
 * Pick how to sign with |key| (RFC 7427 §4): |peer_hashes| is the peer's
 * SIGNATURE_HASH_ALGORITHMS as a CRYPTO_HASH_BIT() set, 0 when it sent
 * none.  With a set: method 14, and for
 *   Ed25519  Identity (required);
 *   ECDSA    the curve's own hash if offered (P-256: SHA-256, P-384:
 *            SHA-384, P-521: SHA-512), else the strongest offered SHA-2;
 *   RSA      SHA-256, then SHA-384, then SHA-512; RSASSA-PSS with
 *            salt = hash length if |rsa_pss|, else PKCS#1 v1.5.
 * Without a set: method 1 for RSA, 9/10/11 for ECDSA by curve, and
 * IR_ERR_UNSUPPORTED for Ed25519 (it exists only within method 14).
 * IR_ERR_UNSUPPORTED also when no offered hash fits the key.
 * |alg| is filled for method 14 only (zeroed otherwise).
 */
int	crypto_sig_choose(const struct crypto_pkey *key, uint32_t peer_hashes,
	    bool rsa_pss, uint8_t *method, struct crypto_sig_alg *alg);

/*
 * The DER AlgorithmIdentifier of |alg| as RFC 7427 Appendix A and RFC
 * 8420 give it: a borrowed view of a static blob.  RSASSA-PSS is encoded
 * only with salt = hash length (RFC 8247 §3.2); SHA-1 is never encoded.
 */
int	crypto_sig_algid(const struct crypto_sig_alg *alg, const uint8_t **der,
	    size_t *len);

/*
 * Identify a peer's AlgorithmIdentifier: compared with the known blobs,
 * and for RSASSA-PSS decoded (hash with or without NULL parameters, MGF1
 * with the same hash, any saltLength up to 512, trailerField 1).  SHA-1
 * schemes and anything else give IR_ERR_UNSUPPORTED; bad DER gives
 * IR_ERR_MALFORMED.
 */
int	crypto_sig_algid_parse(const uint8_t *der, size_t len,
	    struct crypto_sig_alg *alg);

/*
 * A raw signature of |data| with the private |key| under |alg| (ECDSA:
 * DER-encoded, as method 14 carries it).  IR_ERR_AUTH when |alg| does not
 * fit the key type.  RSA and ECDSA signatures are randomized.
 */
int	crypto_sig_sign(const struct crypto_pkey *key,
	    const struct crypto_sig_alg *alg, const uint8_t *data, size_t len,
	    uint8_t *sig, size_t cap, size_t *sig_len);

/* Verify a raw signature; IR_ERR_AUTH when it does not verify or |alg|
 * does not fit the key type. */
int	crypto_sig_verify(const struct crypto_pkey *pub,
	    const struct crypto_sig_alg *alg, const uint8_t *data, size_t len,
	    const uint8_t *sig, size_t sig_len);

/*
 * The Authentication Data of an AUTH payload (what follows the method
 * and the three reserved octets) over |octets|, the signed octets of RFC
 * 7296 §2.15:
 *   method 1      PKCS#1 v1.5 SHA-1 signature, RSA key
 *   method 9..11  ECDSA r | s, each the curve's size (RFC 4754 §7); the
 *                 key must be on the method's curve
 *   method 14     1-octet length | AlgorithmIdentifier | signature
 *                 (RFC 7427 §3), with |alg| from crypto_sig_choose()
 * |alg| is ignored for the other methods and may be NULL.  At most
 * CRYPTO_AUTH_DATA_MAX octets.
 */
int	crypto_auth_sign(const struct crypto_pkey *key, uint8_t method,
	    const struct crypto_sig_alg *alg, const uint8_t *octets,
	    size_t octets_len, uint8_t *out, size_t cap, size_t *out_len);

/*
 * Verify a peer's AUTH data under |method| with its public key |pub|.
 * 0 when it verifies; IR_ERR_AUTH when it does not, or when the key does
 * not fit the method (wrong curve, RSA key for ECDSA, ...);
 * IR_ERR_MALFORMED when the data is not of the method's form;
 * IR_ERR_UNSUPPORTED for other methods and unknown AlgorithmIdentifiers.
 * |used| (may be NULL) receives the scheme found in method 14 data.
 */
int	crypto_auth_verify(const struct crypto_pkey *pub, uint8_t method,
	    const uint8_t *auth, size_t auth_len, const uint8_t *octets,
	    size_t octets_len, struct crypto_sig_alg *used);

/* ---- X.509 certificates (crypto_x509.c) ------------------------------ */

/* One certificate.  Opaque. */
struct crypto_cert;

/* The first certificate of PEM or DER |data|. */
int	crypto_cert_load(struct crypto_cert **out, const uint8_t *data,
	    size_t len);
int	crypto_cert_load_file(struct crypto_cert **out, const char *path);
void	crypto_cert_free(struct crypto_cert *c);

/*
 * Every certificate of PEM |data| in order (or the one of DER |data|):
 * our certificate followed by the intermediates we send in further CERT
 * payloads.  At most |max| (IR_ERR_NOBUF beyond, nothing kept);
 * IR_ERR_MALFORMED when there is none.  Free each of out[0..*n-1].
 */
int	crypto_cert_load_chain(struct crypto_cert **out, size_t max,
	    size_t *n, const uint8_t *data, size_t len);
int	crypto_cert_load_chain_file(struct crypto_cert **out, size_t max,
	    size_t *n, const char *path);

/* The DER encoding, for a CERT payload with encoding 4 (X.509
 * Certificate - Signature, RFC 7296 §3.6): a view valid while |c| lives. */
void	crypto_cert_der(const struct crypto_cert *c, const uint8_t **der,
	    size_t *len);

/* A new public key object from the certificate's SubjectPublicKeyInfo;
 * IR_ERR_UNSUPPORTED for key types and sizes crypto_pkey_load_public()
 * refuses (RSA below 2048 bits, other curves). */
int	crypto_cert_pubkey(const struct crypto_cert *c, struct crypto_pkey **out);

/* SHA-1 of the certificate's whole SubjectPublicKeyInfo: the value that
 * names this CA in a CERTREQ payload (RFC 7296 §3.7). */
int	crypto_cert_spki_sha1(const struct crypto_cert *c,
	    uint8_t out[CRYPTO_SHA1_LEN]);

/* The subject as one printable line (RFC 2253 style, control and
 * non-ASCII characters escaped), truncated to |cap|. */
void	crypto_cert_subject(const struct crypto_cert *c, char *buf, size_t cap);

/* The subject's DER, the data of an ID_DER_ASN1_DN payload for this
 * certificate (RFC 7296 §3.5). */
int	crypto_cert_subject_der(const struct crypto_cert *c, uint8_t *out,
	    size_t cap, size_t *len);

/* IKE Identification types (RFC 7296 §3.5) that crypto_cert_match_id()
 * knows. */
enum crypto_id_type {
	CRYPTO_ID_IPV4_ADDR	= 1,
	CRYPTO_ID_FQDN		= 2,
	CRYPTO_ID_RFC822_ADDR	= 3,
	CRYPTO_ID_IPV6_ADDR	= 5,
	CRYPTO_ID_DER_ASN1_DN	= 9,
};

/*
 * Does |c| carry the IKE identity |id| (the ID payload's data, after the
 * type and reserved octets)?  RFC 4945 §3.1:
 *   IPV4/IPV6    an iPAddress subjectAltName of 4/16 octets, equal;
 *   FQDN         a dNSName, equal ignoring ASCII case and one trailing
 *                dot (no wildcards; the subject CN is not consulted);
 *   RFC822       an rfc822Name, equal ignoring ASCII case;
 *   DER_ASN1_DN  the subject, or a directoryName subjectAltName, equal
 *                as X.509 names.
 * 0 on a match, IR_ERR_PEER_ID when none, IR_ERR_MALFORMED for an ID of
 * the wrong size or a DN that does not parse, IR_ERR_UNSUPPORTED for
 * other ID types.
 */
int	crypto_cert_match_id(const struct crypto_cert *c, uint8_t id_type,
	    const uint8_t *id, size_t id_len);

/*
 * True when |id| is a pattern that crypto_cert_match_pattern() expands:
 *   FQDN         "*.example.com" (at least two labels after the star);
 *   RFC822       "*@example.com";
 *   DER_ASN1_DN  a DN with a value "*" (crypto_dn.h).
 * Only what a user configured is a pattern, never what a peer sent.
 */
bool	crypto_id_is_pattern(uint8_t id_type, const uint8_t *id,
	    size_t id_len);

/*
 * crypto_cert_match_id() for a configured identity that may be a
 * pattern: "*.example.com" matches a dNSName under example.com at any
 * depth, "*@example.com" an rfc822Name there, a DN with "*" values the
 * subject (or a directoryName) whose other RDNs agree (crypto_dn_match()
 * with wildcards).  Not a pattern: exactly crypto_cert_match_id().
 */
int	crypto_cert_match_pattern(const struct crypto_cert *c,
	    uint8_t id_type, const uint8_t *id, size_t id_len);

/* ---- Trust anchors and chain verification (crypto_x509.c) ------------ */

/* The configured CA certificates.  Opaque. */
struct crypto_trust;

#define CRYPTO_CHAIN_MAX	8	/* leaf + intermediates we accept */
#define CRYPTO_TIME_NOW		0	/* |when| for "the current time" */
#define CRYPTO_WHY_MAX		256	/* enough for any reason line */

int	crypto_trust_new(struct crypto_trust **out);
void	crypto_trust_free(struct crypto_trust *t);

/* Add every certificate of a PEM bundle or DER file.  IR_ERR_CONFIG when
 * the file holds no certificate. */
int	crypto_trust_add_file(struct crypto_trust *t, const char *path);
/* The same from PEM or DER |data| that the caller read (src/safefile.h
 * checks who may have written the file). */
int	crypto_trust_add_data(struct crypto_trust *t, const uint8_t *data,
	    size_t len);

/* Add every certificate of every regular file in |dir| (PEM or DER, any
 * name; hidden files and files that hold no certificate are skipped).
 * IR_ERR_CONFIG when none was found. */
int	crypto_trust_add_dir(struct crypto_trust *t, const char *dir);

/*
 * Use the system's trust store: OpenSSL's default file and directory
 * (/etc/ssl/certs on Debian), or those named by the SSL_CERT_FILE and
 * SSL_CERT_DIR environment variables (tests point them at a temporary
 * directory).  A path verified against it must end at a root of the
 * store, and the leaf's extended key usage, when present, must allow a
 * server or IKE.  No CERTREQ hashes come from it (crypto_trust_certreq()
 * gives none: ask with an empty CERTREQ).  IR_ERR_CONFIG when neither
 * the file holds a certificate nor the directory exists.
 */
int	crypto_trust_add_system(struct crypto_trust *t);
bool	crypto_trust_is_system(const struct crypto_trust *t);

/* Add one certificate (copied). */
int	crypto_trust_add_cert(struct crypto_trust *t,
	    const struct crypto_cert *c);

/* How many CA certificates |t| holds. */
size_t	crypto_trust_count(const struct crypto_trust *t);

/*
 * The Certification Authority field of our CERTREQ (RFC 7296 §3.7): the
 * SHA-1 of each CA's SubjectPublicKeyInfo, concatenated in the order
 * they were added.  |*len| = 20 * crypto_trust_count().
 */
int	crypto_trust_certreq(const struct crypto_trust *t, uint8_t *out,
	    size_t cap, size_t *len);

/*
 * Verify a peer's chain: |chain[0]| is the leaf, the rest intermediates
 * in any order, all DER as CERT payloads carry them.  Every certificate
 * of |t| is a trust anchor (a configured intermediate ends the chain too,
 * X509_V_FLAG_PARTIAL_CHAIN).  |when| is the time in seconds since the
 * epoch, or CRYPTO_TIME_NOW.  No revocation check (src/ fetches CRLs).
 * On 0, |*leaf| (if |leaf| is not NULL) is the parsed leaf, for
 * crypto_cert_pubkey() and crypto_cert_match_id(); the caller frees it.
 * On IR_ERR_CERT or IR_ERR_MALFORMED, |why| (if not NULL) holds one
 * printable line for the user, such as
 *   "certificate has expired (depth 0: CN=gw.vpn.test,O=...)".
 * At most CRYPTO_CHAIN_MAX certificates (IR_ERR_CERT beyond).
 */
int	crypto_trust_verify(const struct crypto_trust *t,
	    const struct crypto_iov *chain, size_t nchain, int64_t when,
	    struct crypto_cert **leaf, char *why, size_t why_cap);

/* A verified certification path, leaf first, trust anchor last.
 * Opaque. */
struct crypto_chain;

/* crypto_trust_verify() that keeps the whole path it built (the
 * anchor, for the log; the issuer, for revocation checks). */
int	crypto_trust_verify_chain(const struct crypto_trust *t,
	    const struct crypto_iov *chain, size_t nchain, int64_t when,
	    struct crypto_chain **out, char *why, size_t why_cap);
void	crypto_chain_free(struct crypto_chain *ch);
size_t	crypto_chain_len(const struct crypto_chain *ch);
/* Certificate |i| (0: the leaf) as a new object; IR_ERR_NOT_FOUND past
 * the end. */
int	crypto_chain_cert(const struct crypto_chain *ch, size_t i,
	    struct crypto_cert **out);
/* The subject of certificate |i| as one printable line ("" past the
 * end): crypto_chain_len() - 1 is the trust anchor. */
void	crypto_chain_subject(const struct crypto_chain *ch, size_t i,
	    char *buf, size_t cap);
/* True when the anchor came from the system's trust store. */
bool	crypto_chain_from_system(const struct crypto_chain *ch);

#endif
