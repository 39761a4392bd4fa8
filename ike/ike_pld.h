/*
 * ike/ike_pld.h: IKEv2 payloads (RFC 7296 §3.2 - §3.16, RFC 7383 §2.5)
 * as plain structs, with one parser and one builder per payload.
 *
 * Parsers read exactly one payload body (the bytes after the 4-octet
 * generic header) through a struct wire_rd and fill a struct of borrowed
 * views (struct ike_span) into that body: nothing is copied and nothing
 * is allocated.  The views stay valid as long as the message buffer does.
 * On bad input a parser returns IR_ERR_MALFORMED and sets |*why| to a
 * static sentence for the engine's single debug log line.
 *
 * Builders append one payload (generic header included) to a message
 * being written through struct ike_msg_wr, which chains the Next Payload
 * fields: each builder patches the previous payload's Next Payload with
 * its own type.  Writes go through struct wire_wr, whose overflow flag
 * is sticky; builders return 0, IR_ERR_NOBUF when the buffer is full, or
 * IR_ERR_MALFORMED when the struct cannot be encoded (a count or length
 * that does not fit its field).
 *
 * Internal to ike/; the engine's public API is ike/ike.h.
 */
#ifndef IR_IKE_PLD_H
#define IR_IKE_PLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/wire.h"
#include "ike/ike_names.h"

#define IKE_PLD_HDR_LEN		4	/* generic payload header, §3.2 */
#define IKE_PLD_CRITICAL	0x80	/* the C bit of the generic header */

/* Capacities of the fixed arrays: more in one message is malformed. */
#define IKE_PLD_MAX_PROPS	16	/* proposals in one SA payload */
#define IKE_PLD_MAX_XFORMS	256	/* transforms, all proposals together */
#define IKE_PLD_MAX_TS		16	/* selectors in one TS payload */
#define IKE_PLD_MAX_CP_ATTRS	32	/* attributes in one CP payload */

/* A borrowed view of bytes inside the message buffer. */
struct ike_span {
	const uint8_t	*p;
	size_t		 len;
};

/* ---- SA payload, §3.3 ------------------------------------------------ */

/*
 * One transform.  |key_len| is the Key Length attribute in bits (§3.3.5)
 * when |has_key_len|.  |unknown_attr| is set when the transform carries
 * any other attribute: §3.3.6 says such a transform must not be chosen.
 */
struct ike_pld_xform {
	uint8_t		type;		/* IKE_XF_* */
	uint16_t	id;		/* IKE_ENCR_*, IKE_PRF_*, ... */
	uint16_t	key_len;
	bool		has_key_len;
	bool		unknown_attr;
};

struct ike_pld_prop {
	uint8_t				 num;		/* Proposal Num */
	uint8_t				 proto;		/* IKE_PROTO_* */
	struct ike_span			 spi;		/* 0, 4 or 8 octets */
	const struct ike_pld_xform	*xf;
	uint8_t				 nxf;
};

/* A parsed SA payload: the proposals point into the |xf| pool. */
struct ike_pld_sa {
	struct ike_pld_prop	prop[IKE_PLD_MAX_PROPS];
	uint8_t			nprop;
	struct ike_pld_xform	xf[IKE_PLD_MAX_XFORMS];
	uint16_t		nxf;
};

/* ---- The smaller payloads ------------------------------------------- */

struct ike_pld_ke {			/* §3.4 */
	uint16_t	group;		/* IKE_KE_* */
	struct ike_span	data;
};

struct ike_pld_id {			/* §3.5, IDi and IDr */
	uint8_t		type;		/* IKE_IDT_* */
	struct ike_span	data;
	struct ike_span	body;		/* IDx' of §2.15: type | 3 | data */
};

struct ike_pld_cert {			/* §3.6 CERT and §3.7 CERTREQ */
	uint8_t		enc;		/* IKE_CERT_* */
	struct ike_span	data;
};

struct ike_pld_auth {			/* §3.8 */
	uint8_t		method;		/* IKE_AUTHM_* */
	struct ike_span	data;
};

struct ike_pld_notify {			/* §3.10 */
	uint8_t		proto;		/* ignore it when |spi| is empty (§3.10) */
	uint16_t	type;		/* IKE_N_* */
	struct ike_span	spi;
	struct ike_span	data;
};

struct ike_pld_delete {			/* §3.11 */
	uint8_t		proto;		/* IKE_PROTO_* */
	uint8_t		spi_size;	/* 0 (IKE) or 4 (AH, ESP) */
	uint16_t	nspi;
	struct ike_span	spis;		/* nspi * spi_size octets */
};

/* One traffic selector, §3.13.1.  |start| and |end| are 4 or 16 octets. */
struct ike_pld_ts {
	uint8_t		type;		/* IKE_TST_* */
	uint8_t		ip_proto;	/* 0: any */
	uint16_t	start_port, end_port;
	struct ike_span	start, end;
};

struct ike_pld_ts_list {		/* §3.13, TSi and TSr */
	struct ike_pld_ts	ts[IKE_PLD_MAX_TS];
	uint8_t			nts;
};

struct ike_pld_cp_attr {		/* §3.15.1 */
	uint16_t	type;		/* IKE_CPA_*, R bit cleared */
	struct ike_span	value;
};

struct ike_pld_cp {			/* §3.15 */
	uint8_t			type;	/* IKE_CFG_* */
	struct ike_pld_cp_attr	attr[IKE_PLD_MAX_CP_ATTRS];
	uint8_t			nattr;
};

struct ike_pld_eap {			/* §3.16, RFC 3748 §4 */
	uint8_t		code;		/* IKE_EAPC_* */
	uint8_t		id;
	uint8_t		type;		/* Request/Response only; else 0 */
	struct ike_span	type_data;	/* after the Type octet */
	struct ike_span	msg;		/* the whole EAP packet */
};

/*
 * The Encrypted payload, §3.14: |body| is IV | ciphertext | ICV, left
 * for ike_sk_open().  |off| is the offset of its generic header in the
 * message; |next_type| is the type of the first inner payload.
 */
struct ike_pld_sk {
	uint8_t		next_type;
	size_t		off;
	struct ike_span	body;
};

/* The Encrypted Fragment payload, RFC 7383 §2.5. */
struct ike_pld_skf {
	uint8_t		next_type;	/* fragment 1 only; else 0 */
	uint16_t	num, total;	/* 1 <= num <= total */
	size_t		off;
	struct ike_span	body;		/* IV | ciphertext | ICV */
};

/* ---- Parsers: one payload body each --------------------------------- */

int	ike_pld_sa_parse(struct wire_rd body, struct ike_pld_sa *sa,
	    const char **why);
int	ike_pld_ke_parse(struct wire_rd body, struct ike_pld_ke *ke,
	    const char **why);
int	ike_pld_id_parse(struct wire_rd body, struct ike_pld_id *id,
	    const char **why);
int	ike_pld_cert_parse(struct wire_rd body, struct ike_pld_cert *cert,
	    const char **why);
int	ike_pld_auth_parse(struct wire_rd body, struct ike_pld_auth *auth,
	    const char **why);
/*
 * The data of a CERT payload of encoding 12 or 13 (§3.6): a 20-octet
 * SHA-1 hash, then the URL, which must be http:// (any case) followed by
 * at least one octet, printable ASCII without spaces, at most
 * IKE_HASH_URL_MAX octets.  Views into |data|.
 */
#define IKE_HASH_URL_MAX	255
int	ike_pld_hash_url_parse(const struct ike_span *data,
	    const uint8_t **hash, const uint8_t **url, size_t *url_len,
	    const char **why);
/*
 * A certificate bundle, what the URL of encoding 13 names (RFC 7296
 * §3.6, the CertBundle module of RFC 4306 §3.6): the DER of a SEQUENCE
 * OF CHOICE { cert [0] EXPLICIT Certificate, crl [1] EXPLICIT
 * CertificateList }.  Views of at most |max| certificates' DER go to
 * |certs| in their order; CRLs are only counted.  IR_ERR_MALFORMED
 * (with |why|) for anything else, or a bundle without a certificate.
 */
int	ike_cert_bundle_parse(const uint8_t *der, size_t len,
	    struct ike_span *certs, size_t max, size_t *ncert, size_t *ncrl,
	    const char **why);
/* §3.9: the nonce is 16 to 256 octets. */
int	ike_pld_nonce_parse(struct wire_rd body, struct ike_span *nonce,
	    const char **why);
int	ike_pld_notify_parse(struct wire_rd body, struct ike_pld_notify *n,
	    const char **why);
int	ike_pld_delete_parse(struct wire_rd body, struct ike_pld_delete *d,
	    const char **why);
int	ike_pld_vendor_parse(struct wire_rd body, struct ike_span *vid,
	    const char **why);
int	ike_pld_ts_parse(struct wire_rd body, struct ike_pld_ts_list *tsl,
	    const char **why);
int	ike_pld_cp_parse(struct wire_rd body, struct ike_pld_cp *cp,
	    const char **why);
int	ike_pld_eap_parse(struct wire_rd body, struct ike_pld_eap *eap,
	    const char **why);
int	ike_pld_skf_parse(struct wire_rd body, struct ike_pld_skf *skf,
	    const char **why);

/*
 * An RFC 7427 §3 AUTH (method DIGITAL_SIGNATURE): split its data into
 * the ASN.1 AlgorithmIdentifier and the signature.  IR_ERR_MALFORMED
 * when the length octet overruns or either part is empty.
 */
int	ike_pld_auth_sig_split(const struct ike_pld_auth *auth,
	    struct ike_span *alg_id, struct ike_span *sig);

/* The Notify's data as one big-endian 16-bit number (INVALID_KE_PAYLOAD's
 * group, §3.10.1): IR_ERR_MALFORMED unless the data is 2 octets. */
int	ike_pld_notify_u16(const struct ike_pld_notify *n, uint16_t *v);

/* ---- Writing a payload chain ---------------------------------------- */

/*
 * A message (or an inner chain) being written.  |np_at| is the offset in
 * |w->buf| of the Next Payload field that the next payload fills in:
 * the IKE header's, then each payload's own.  For a bare inner chain
 * (ike_msg_wr_chain()) it is SIZE_MAX at first and the first type goes
 * to |first_type| instead.
 */
struct ike_msg_wr {
	struct wire_wr	*w;
	size_t		 start;		/* offset of the IKE header */
	size_t		 np_at;
	uint8_t		 first_type;
	size_t		 sk_at;		/* SK or SKF header; SIZE_MAX: none */
	size_t		 sk_iv_at;	/* its IV: the AAD ends here */
};

/* Start a bare payload chain in |w| (the plaintext of SK or SKF). */
void	ike_msg_wr_chain(struct ike_msg_wr *mw, struct wire_wr *w);

/*
 * Open a payload of |type|: patch the previous Next Payload field, write
 * a generic header with Next Payload 0, C 0 and a length to patch.
 * Returns the offset of the header for ike_pld_end().
 */
size_t	ike_pld_begin(struct ike_msg_wr *mw, uint8_t type);
/* Patch the payload's length; IR_ERR_NOBUF on overflow (> 0xffff too). */
int	ike_pld_end(struct ike_msg_wr *mw, size_t start);

/* ---- Builders: one payload each ------------------------------------- */

/* SA: |nprop| proposals, each with its |xf| array (Key Length written
 * when |has_key_len| or |key_len| != 0). */
int	ike_pld_sa_build(struct ike_msg_wr *mw,
	    const struct ike_pld_prop *props, size_t nprop);
int	ike_pld_ke_build(struct ike_msg_wr *mw, uint16_t group,
	    const uint8_t *data, size_t len);
/* |type| is IKE_PLD_IDI or IKE_PLD_IDR. */
int	ike_pld_id_build(struct ike_msg_wr *mw, uint8_t type, uint8_t id_type,
	    const uint8_t *data, size_t len);
/* |type| is IKE_PLD_CERT or IKE_PLD_CERTREQ. */
int	ike_pld_cert_build(struct ike_msg_wr *mw, uint8_t type, uint8_t enc,
	    const uint8_t *data, size_t len);
int	ike_pld_auth_build(struct ike_msg_wr *mw, uint8_t method,
	    const uint8_t *data, size_t len);
int	ike_pld_nonce_build(struct ike_msg_wr *mw, const uint8_t *nonce,
	    size_t len);
int	ike_pld_notify_build(struct ike_msg_wr *mw, uint8_t proto,
	    uint16_t type, const uint8_t *spi, size_t spi_len,
	    const uint8_t *data, size_t len);
/* |spis| holds |nspi| SPIs of |spi_size| octets each. */
int	ike_pld_delete_build(struct ike_msg_wr *mw, uint8_t proto,
	    uint8_t spi_size, uint16_t nspi, const uint8_t *spis);
int	ike_pld_vendor_build(struct ike_msg_wr *mw, const uint8_t *vid,
	    size_t len);
/* |type| is IKE_PLD_TSI or IKE_PLD_TSR. */
int	ike_pld_ts_build(struct ike_msg_wr *mw, uint8_t type,
	    const struct ike_pld_ts *ts, size_t nts);
int	ike_pld_cp_build(struct ike_msg_wr *mw, uint8_t cfg_type,
	    const struct ike_pld_cp_attr *attrs, size_t nattr);
/* |msg| is a whole EAP packet (its Length field must match). */
int	ike_pld_eap_build(struct ike_msg_wr *mw, const uint8_t *msg,
	    size_t len);

#endif
