/*
 * ike/ike_names.h: the IANA "IKEv2 Parameters" numbers ikeroam uses, as
 * X-macro tables (libuv's UV_ERRNO_MAP idea).  One table generates both
 * the enum and the name lookup, so logs print "N(COOKIE)" rather than
 * "N(16390)", and a duplicated number is a compile error (two equal case
 * labels in the generated switch).
 *
 * Internal to ike/: included by the engine, the codec and the tests.
 * Every lookup returns a static string, or NULL for a number the table
 * does not know.
 */
#ifndef IR_IKE_NAMES_H
#define IR_IKE_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exchange types, RFC 7296 §3.1; RFC 5723; RFC 9242; RFC 9370. */
#define IKE_EXCH_MAP(X)							\
	X(IKE_SA_INIT,		34)					\
	X(IKE_AUTH,		35)					\
	X(CREATE_CHILD_SA,	36)					\
	X(INFORMATIONAL,	37)					\
	X(IKE_SESSION_RESUME,	38)					\
	X(IKE_INTERMEDIATE,	43)					\
	X(IKE_FOLLOWUP_KE,	44)

/*
 * Payload types, RFC 7296 §3.2 (and RFC 7383 for SKF), with the short
 * names strongSwan prints, so logs from both read the same.
 */
#define IKE_PLD_MAP(X)							\
	X(NONE,		0,	"NONE")					\
	X(SA,		33,	"SA")					\
	X(KE,		34,	"KE")					\
	X(IDI,		35,	"IDi")					\
	X(IDR,		36,	"IDr")					\
	X(CERT,		37,	"CERT")					\
	X(CERTREQ,	38,	"CERTREQ")				\
	X(AUTH,		39,	"AUTH")					\
	X(NONCE,	40,	"No")					\
	X(NOTIFY,	41,	"N")					\
	X(DELETE,	42,	"D")					\
	X(VENDOR,	43,	"V")					\
	X(TSI,		44,	"TSi")					\
	X(TSR,		45,	"TSr")					\
	X(SK,		46,	"SK")					\
	X(CP,		47,	"CP")					\
	X(EAP,		48,	"EAP")					\
	X(GSPM,		49,	"GSPM")					\
	X(SKF,		53,	"SKF")

/*
 * Notify message types, RFC 7296 §3.10.1 and the extensions ikeroam
 * meets: RFC 4555 (MOBIKE), RFC 4478, RFC 4739, RFC 5685 (REDIRECT),
 * RFC 5723 (resumption), RFC 5998, RFC 6023 (childless), RFC 6311,
 * RFC 7383 (fragmentation), RFC 7427, RFC 8784 (PPK), RFC 9242, RFC 9370.
 * Types below 16384 are errors (§3.10.1).
 */
#define IKE_NOTIFY_MAP(X)						\
	X(UNSUPPORTED_CRITICAL_PAYLOAD,		1)			\
	X(INVALID_IKE_SPI,			4)			\
	X(INVALID_MAJOR_VERSION,		5)			\
	X(INVALID_SYNTAX,			7)			\
	X(INVALID_MESSAGE_ID,			9)			\
	X(INVALID_SPI,				11)			\
	X(NO_PROPOSAL_CHOSEN,			14)			\
	X(INVALID_KE_PAYLOAD,			17)			\
	X(AUTHENTICATION_FAILED,		24)			\
	X(SINGLE_PAIR_REQUIRED,			34)			\
	X(NO_ADDITIONAL_SAS,			35)			\
	X(INTERNAL_ADDRESS_FAILURE,		36)			\
	X(FAILED_CP_REQUIRED,			37)			\
	X(TS_UNACCEPTABLE,			38)			\
	X(INVALID_SELECTORS,			39)			\
	X(UNACCEPTABLE_ADDRESSES,		40)			\
	X(UNEXPECTED_NAT_DETECTED,		41)			\
	X(USE_ASSIGNED_HoA,			42)			\
	X(TEMPORARY_FAILURE,			43)			\
	X(CHILD_SA_NOT_FOUND,			44)			\
	X(INITIAL_CONTACT,			16384)			\
	X(SET_WINDOW_SIZE,			16385)			\
	X(ADDITIONAL_TS_POSSIBLE,		16386)			\
	X(IPCOMP_SUPPORTED,			16387)			\
	X(NAT_DETECTION_SOURCE_IP,		16388)			\
	X(NAT_DETECTION_DESTINATION_IP,		16389)			\
	X(COOKIE,				16390)			\
	X(USE_TRANSPORT_MODE,			16391)			\
	X(HTTP_CERT_LOOKUP_SUPPORTED,		16392)			\
	X(REKEY_SA,				16393)			\
	X(ESP_TFC_PADDING_NOT_SUPPORTED,	16394)			\
	X(NON_FIRST_FRAGMENTS_ALSO,		16395)			\
	X(MOBIKE_SUPPORTED,			16396)			\
	X(ADDITIONAL_IP4_ADDRESS,		16397)			\
	X(ADDITIONAL_IP6_ADDRESS,		16398)			\
	X(NO_ADDITIONAL_ADDRESSES,		16399)			\
	X(UPDATE_SA_ADDRESSES,			16400)			\
	X(COOKIE2,				16401)			\
	X(NO_NATS_ALLOWED,			16402)			\
	X(AUTH_LIFETIME,			16403)			\
	X(MULTIPLE_AUTH_SUPPORTED,		16404)			\
	X(ANOTHER_AUTH_FOLLOWS,			16405)			\
	X(REDIRECT_SUPPORTED,			16406)			\
	X(REDIRECT,				16407)			\
	X(REDIRECTED_FROM,			16408)			\
	X(TICKET_LT_OPAQUE,			16409)			\
	X(TICKET_REQUEST,			16410)			\
	X(TICKET_ACK,				16411)			\
	X(TICKET_NACK,				16412)			\
	X(TICKET_OPAQUE,			16413)			\
	X(EAP_ONLY_AUTHENTICATION,		16417)			\
	X(CHILDLESS_IKEV2_SUPPORTED,		16418)			\
	X(IKEV2_MESSAGE_ID_SYNC_SUPPORTED,	16420)			\
	X(IKEV2_FRAGMENTATION_SUPPORTED,	16430)			\
	X(SIGNATURE_HASH_ALGORITHMS,		16431)			\
	X(USE_PPK,				16435)			\
	X(PPK_IDENTITY,				16436)			\
	X(NO_PPK_AUTH,				16437)			\
	X(INTERMEDIATE_EXCHANGE_SUPPORTED,	16438)			\
	X(ADDITIONAL_KEY_EXCHANGE,		16441)

/* Transform types, RFC 7296 §3.3.2 (type 4 "KE" since RFC 9370). */
#define IKE_XF_MAP(X)							\
	X(ENCR,		1)						\
	X(PRF,		2)						\
	X(INTEG,	3)						\
	X(KE,		4)						\
	X(ESN,		5)

/* Transform type 1, encryption algorithms (RFC 7296, RFC 5282, RFC 7634). */
#define IKE_ENCR_MAP(X)							\
	X(DES_IV64,		1)					\
	X(DES,			2)					\
	X(3DES,			3)					\
	X(NULL_ENCR,		11)					\
	X(AES_CBC,		12)					\
	X(AES_CTR,		13)					\
	X(AES_CCM_8,		14)					\
	X(AES_CCM_12,		15)					\
	X(AES_CCM_16,		16)					\
	X(AES_GCM_8,		18)					\
	X(AES_GCM_12,		19)					\
	X(AES_GCM_16,		20)					\
	X(NULL_AUTH_AES_GMAC,	21)					\
	X(CAMELLIA_CBC,		23)					\
	X(CHACHA20_POLY1305,	28)

/* Transform type 2, pseudo-random functions (RFC 4434, RFC 4868). */
#define IKE_PRF_MAP(X)							\
	X(HMAC_MD5,		1)					\
	X(HMAC_SHA1,		2)					\
	X(AES128_XCBC,		4)					\
	X(HMAC_SHA2_256,	5)					\
	X(HMAC_SHA2_384,	6)					\
	X(HMAC_SHA2_512,	7)					\
	X(AES128_CMAC,		8)

/* Transform type 3, integrity algorithms (RFC 2404, RFC 4868). */
#define IKE_INTEG_MAP(X)						\
	X(NONE,			0)					\
	X(HMAC_MD5_96,		1)					\
	X(HMAC_SHA1_96,		2)					\
	X(AES_XCBC_96,		5)					\
	X(HMAC_SHA1_160,	7)					\
	X(AES_CMAC_96,		8)					\
	X(HMAC_SHA2_256_128,	12)					\
	X(HMAC_SHA2_384_192,	13)					\
	X(HMAC_SHA2_512_256,	14)

/* Transform type 4, key exchange methods (RFC 3526, RFC 5903, RFC 8031). */
#define IKE_KE_MAP(X)							\
	X(NONE,			0)					\
	X(MODP768,		1)					\
	X(MODP1024,		2)					\
	X(MODP1536,		5)					\
	X(MODP2048,		14)					\
	X(MODP3072,		15)					\
	X(MODP4096,		16)					\
	X(MODP6144,		17)					\
	X(MODP8192,		18)					\
	X(ECP256,		19)					\
	X(ECP384,		20)					\
	X(ECP521,		21)					\
	X(MODP1024_S160,	22)					\
	X(MODP2048_S224,	23)					\
	X(MODP2048_S256,	24)					\
	X(ECP192,		25)					\
	X(ECP224,		26)					\
	X(BRAINPOOL_P224R1,	27)					\
	X(BRAINPOOL_P256R1,	28)					\
	X(BRAINPOOL_P384R1,	29)					\
	X(BRAINPOOL_P512R1,	30)					\
	X(CURVE25519,		31)					\
	X(CURVE448,		32)

/* Transform type 5, extended sequence numbers (RFC 4303 Appendix A). */
#define IKE_ESN_MAP(X)							\
	X(NO,			0)					\
	X(YES,			1)

/* Transform attribute types, §3.3.5: only Key Length is defined. */
#define IKE_XF_ATTR_KEY_LENGTH	14

/* Protocol IDs, §3.3.1. */
#define IKE_PROTO_MAP(X)						\
	X(IKE,			1)					\
	X(AH,			2)					\
	X(ESP,			3)

/* ID types, §3.5; RFC 7619 (NULL). */
#define IKE_IDTYPE_MAP(X)						\
	X(IPV4_ADDR,		1)					\
	X(FQDN,			2)					\
	X(RFC822_ADDR,		3)					\
	X(IPV6_ADDR,		5)					\
	X(DER_ASN1_DN,		9)					\
	X(DER_ASN1_GN,		10)					\
	X(KEY_ID,		11)					\
	X(NULL_ID,		13)

/* Certificate encodings, §3.6; RFC 7670. */
#define IKE_CERT_MAP(X)							\
	X(PKCS7_X509,		1)					\
	X(PGP,			2)					\
	X(DNS_KEY,		3)					\
	X(X509_SIG,		4)					\
	X(KERBEROS,		6)					\
	X(CRL,			7)					\
	X(ARL,			8)					\
	X(SPKI,			9)					\
	X(X509_ATTR,		10)					\
	X(RAW_RSA,		11)					\
	X(HASH_URL_X509,	12)					\
	X(HASH_URL_BUNDLE,	13)					\
	X(OCSP_CONTENT,		14)					\
	X(RAW_PUBLIC_KEY,	15)

/* Authentication methods, §3.8; RFC 4754; RFC 7619; RFC 7427. */
#define IKE_AUTHM_MAP(X)						\
	X(RSA_SIG,		1)					\
	X(SHARED_KEY_MIC,	2)					\
	X(DSS_SIG,		3)					\
	X(ECDSA_SHA256_P256,	9)					\
	X(ECDSA_SHA384_P384,	10)					\
	X(ECDSA_SHA512_P521,	11)					\
	X(GSPAM,		12)					\
	X(NULL_AUTH,		13)					\
	X(DIGITAL_SIGNATURE,	14)

/* Hash algorithms of SIGNATURE_HASH_ALGORITHMS, RFC 7427 §4; RFC 8420. */
#define IKE_HASH_MAP(X)							\
	X(SHA1,			1)					\
	X(SHA2_256,		2)					\
	X(SHA2_384,		3)					\
	X(SHA2_512,		4)					\
	X(IDENTITY,		5)

/* Traffic selector types, §3.13.1. */
#define IKE_TSTYPE_MAP(X)						\
	X(IPV4_ADDR_RANGE,	7)					\
	X(IPV6_ADDR_RANGE,	8)

/* Configuration payload types, §3.15. */
#define IKE_CFG_MAP(X)							\
	X(REQUEST,		1)					\
	X(REPLY,		2)					\
	X(SET,			3)					\
	X(ACK,			4)

/* Configuration attributes, §3.15.1; RFC 5739; RFC 8598 (split DNS). */
#define IKE_CPA_MAP(X)							\
	X(INTERNAL_IP4_ADDRESS,		1)				\
	X(INTERNAL_IP4_NETMASK,		2)				\
	X(INTERNAL_IP4_DNS,		3)				\
	X(INTERNAL_IP4_NBNS,		4)				\
	X(INTERNAL_IP4_DHCP,		6)				\
	X(APPLICATION_VERSION,		7)				\
	X(INTERNAL_IP6_ADDRESS,		8)				\
	X(INTERNAL_IP6_DNS,		10)				\
	X(INTERNAL_IP6_DHCP,		12)				\
	X(INTERNAL_IP4_SUBNET,		13)				\
	X(SUPPORTED_ATTRIBUTES,		14)				\
	X(INTERNAL_IP6_SUBNET,		15)				\
	X(INTERNAL_IP6_LINK,		17)				\
	X(INTERNAL_IP6_PREFIX,		18)				\
	X(INTERNAL_DNS_DOMAIN,		25)				\
	X(INTERNAL_DNSSEC_TA,		26)

/* Gateway identity types of REDIRECT, RFC 5685 §4.2. */
#define IKE_GWID_MAP(X)							\
	X(IPV4,			1)					\
	X(IPV6,			2)					\
	X(FQDN,			3)

/* EAP codes, RFC 3748 §4. */
#define IKE_EAPC_MAP(X)							\
	X(REQUEST,		1)					\
	X(RESPONSE,		2)					\
	X(SUCCESS,		3)					\
	X(FAILURE,		4)

/* The enums.  Prefixes: IKE_EXCH_, IKE_PLD_, IKE_N_, IKE_XF_, IKE_ENCR_,
 * IKE_PRF_, IKE_INTEG_, IKE_KE_, IKE_ESN_, IKE_PROTO_, IKE_IDT_,
 * IKE_CERT_, IKE_AUTHM_, IKE_HASH_, IKE_TST_, IKE_CFG_, IKE_CPA_,
 * IKE_GWID_, IKE_EAPC_. */
#define IKE_ENUM_(prefix, name, val)	prefix##name = (val),
#define IKE_EXCH_E(n, v)	IKE_ENUM_(IKE_EXCH_, n, v)
#define IKE_PLD_E(n, v, s)	IKE_ENUM_(IKE_PLD_, n, v)
#define IKE_N_E(n, v)		IKE_ENUM_(IKE_N_, n, v)
#define IKE_XF_E(n, v)		IKE_ENUM_(IKE_XF_, n, v)
#define IKE_ENCR_E(n, v)	IKE_ENUM_(IKE_ENCR_, n, v)
#define IKE_PRF_E(n, v)		IKE_ENUM_(IKE_PRF_, n, v)
#define IKE_INTEG_E(n, v)	IKE_ENUM_(IKE_INTEG_, n, v)
#define IKE_KE_E(n, v)		IKE_ENUM_(IKE_KE_, n, v)
#define IKE_ESN_E(n, v)		IKE_ENUM_(IKE_ESN_, n, v)
#define IKE_PROTO_E(n, v)	IKE_ENUM_(IKE_PROTO_, n, v)
#define IKE_IDT_E(n, v)		IKE_ENUM_(IKE_IDT_, n, v)
#define IKE_CERT_E(n, v)	IKE_ENUM_(IKE_CERT_, n, v)
#define IKE_AUTHM_E(n, v)	IKE_ENUM_(IKE_AUTHM_, n, v)
#define IKE_HASH_E(n, v)	IKE_ENUM_(IKE_HASH_, n, v)
#define IKE_TST_E(n, v)		IKE_ENUM_(IKE_TST_, n, v)
#define IKE_CFG_E(n, v)		IKE_ENUM_(IKE_CFG_, n, v)
#define IKE_CPA_E(n, v)		IKE_ENUM_(IKE_CPA_, n, v)
#define IKE_GWID_E(n, v)	IKE_ENUM_(IKE_GWID_, n, v)
#define IKE_EAPC_E(n, v)	IKE_ENUM_(IKE_EAPC_, n, v)

enum ike_exch		{ IKE_EXCH_MAP(IKE_EXCH_E) };
enum ike_pld_type	{ IKE_PLD_MAP(IKE_PLD_E) };
enum ike_notify_type	{ IKE_NOTIFY_MAP(IKE_N_E) };
enum ike_xf_type	{ IKE_XF_MAP(IKE_XF_E) };
enum ike_encr		{ IKE_ENCR_MAP(IKE_ENCR_E) };
enum ike_prf		{ IKE_PRF_MAP(IKE_PRF_E) };
enum ike_integ		{ IKE_INTEG_MAP(IKE_INTEG_E) };
enum ike_ke		{ IKE_KE_MAP(IKE_KE_E) };
enum ike_esn		{ IKE_ESN_MAP(IKE_ESN_E) };
enum ike_proto		{ IKE_PROTO_MAP(IKE_PROTO_E) };
enum ike_id_type	{ IKE_IDTYPE_MAP(IKE_IDT_E) };
enum ike_cert_enc	{ IKE_CERT_MAP(IKE_CERT_E) };
enum ike_auth_method	{ IKE_AUTHM_MAP(IKE_AUTHM_E) };
enum ike_hash		{ IKE_HASH_MAP(IKE_HASH_E) };
enum ike_ts_type	{ IKE_TSTYPE_MAP(IKE_TST_E) };
enum ike_cfg_type	{ IKE_CFG_MAP(IKE_CFG_E) };
enum ike_cp_attr_type	{ IKE_CPA_MAP(IKE_CPA_E) };
enum ike_gw_id_type	{ IKE_GWID_MAP(IKE_GWID_E) };
enum ike_eap_code	{ IKE_EAPC_MAP(IKE_EAPC_E) };

/* First notify status type: lower numbers are errors (§3.10.1). */
#define IKE_N_STATUS_MIN	16384

static inline bool
ike_notify_is_error(uint16_t type)
{
	return type < IKE_N_STATUS_MIN;
}

/* Name lookups: the name in the table, or NULL for an unknown number. */
const char	*ike_exch_name(unsigned v);
const char	*ike_pld_name(unsigned v);	/* short: "SA", "No", "N" */
const char	*ike_notify_name(unsigned v);
const char	*ike_xf_type_name(unsigned v);
const char	*ike_encr_name(unsigned v);
const char	*ike_prf_name(unsigned v);
const char	*ike_integ_name(unsigned v);
const char	*ike_ke_name(unsigned v);
const char	*ike_esn_name(unsigned v);
const char	*ike_proto_name(unsigned v);
const char	*ike_id_type_name(unsigned v);
const char	*ike_cert_enc_name(unsigned v);
const char	*ike_auth_method_name(unsigned v);
const char	*ike_hash_name(unsigned v);
const char	*ike_ts_type_name(unsigned v);
const char	*ike_cfg_type_name(unsigned v);
const char	*ike_cp_attr_name(unsigned v);
const char	*ike_gw_id_type_name(unsigned v);
const char	*ike_eap_code_name(unsigned v);

/* A transform ID's name within its transform type (IKE_XF_*). */
const char	*ike_xf_id_name(unsigned type, unsigned id);

/* True when the codec parses payloads of this type (SA .. EAP, SKF). */
bool		 ike_pld_is_known(unsigned type);

/*
 * |name| if not NULL, else |v| in decimal, written into |buf|: for log
 * lines.  Returns |name| or |buf|.
 */
const char	*ike_name_or_num(const char *name, unsigned v, char *buf,
		    size_t cap);

#endif
