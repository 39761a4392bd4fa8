/*
 * ike/ike_pld_id.c: the small fixed-header payloads of RFC 7296:
 * KE (§3.4), ID (§3.5), CERT (§3.6), CERTREQ (§3.7), AUTH (§3.8),
 * Nonce (§3.9) and EAP (§3.16).
 *
 * KE:     | Key Exchange Method Num       |           RESERVED            |
 *         ~                    Key Exchange Data                          ~
 * ID:     |   ID Type     |                 RESERVED                      |
 *         ~                   Identification Data                         ~
 * CERT:   | Cert Encoding |   Certificate Data ...                        ~
 * CERTREQ:| Cert Encoding |   Certification Authority ...                 ~
 * AUTH:   | Auth Method   |                 RESERVED                      |
 *         ~                   Authentication Data                         ~
 * Nonce:  ~                       Nonce Data                              ~
 * EAP:    |     Code      |  Identifier   |            Length             |
 *         |     Type      |  Type_Data ...                                ~
 *
 * RESERVED octets are ignored on receipt and sent as zero (§3.2).
 */
#include "common/ir_err.h"
#include "ike/ike_pld.h"

#define BAD(s)		do { *why = (s); return IR_ERR_MALFORMED; } while (0)

#define IKE_NONCE_MIN	16	/* §3.9 */
#define IKE_NONCE_MAX	256

/* The rest of |r| as a view. */
static void
ike_rest(struct wire_rd *r, struct ike_span *s)
{
	s->p = r->p;
	s->len = r->left;
	r->p += r->left;
	r->left = 0;
}

int
ike_pld_ke_parse(struct wire_rd body, struct ike_pld_ke *ke, const char **why)
{
	uint16_t rsv;

	if (!wire_rd_u16(&body, &ke->group) || !wire_rd_u16(&body, &rsv))
		BAD("KE: shorter than 4 octets");
	if (body.left == 0)
		BAD("KE: no key exchange data");
	ike_rest(&body, &ke->data);
	return 0;
}

int
ike_pld_id_parse(struct wire_rd body, struct ike_pld_id *id, const char **why)
{
	id->body.p = body.p;
	id->body.len = body.left;
	if (!wire_rd_u8(&body, &id->type) || !wire_rd_skip(&body, 3))
		BAD("ID: shorter than 4 octets");
	ike_rest(&body, &id->data);
	return 0;
}

int
ike_pld_cert_parse(struct wire_rd body, struct ike_pld_cert *cert,
    const char **why)
{
	if (!wire_rd_u8(&body, &cert->enc))
		BAD("CERT/CERTREQ: empty");
	ike_rest(&body, &cert->data);
	return 0;
}

int
ike_pld_hash_url_parse(const struct ike_span *data, const uint8_t **hash,
    const uint8_t **url, size_t *url_len, const char **why)
{
	static const char http[] = "http://";
	size_t i, n;

	if (data->len < 20 + sizeof(http))
		BAD("CERT hash and URL: too short");
	n = data->len - 20;
	if (n > IKE_HASH_URL_MAX)
		BAD("CERT hash and URL: URL too long");
	for (i = 0; i < n; i++) {
		uint8_t c = data->p[20 + i];

		if (c <= 0x20 || c >= 0x7f)
			BAD("CERT hash and URL: URL not printable");
		if (i < sizeof(http) - 1 && (c | 0x20) != (uint8_t)http[i])
			BAD("CERT hash and URL: not an http:// URL");
	}
	*hash = data->p;
	*url = data->p + 20;
	*url_len = n;
	return 0;
}

/* One DER tag and definite length (at most 3 length octets: a bundle is
 * far smaller than 16 MiB); the value as |val|. */
static bool
der_tlv(struct wire_rd *r, uint8_t *tag, struct wire_rd *val)
{
	uint8_t b, n;
	size_t len = 0;

	if (!wire_rd_u8(r, tag) || !wire_rd_u8(r, &b))
		return false;
	if (b < 0x80)
		len = b;
	else {
		n = b & 0x7f;
		if (n == 0 || n > 3)	/* indefinite (not DER), or huge */
			return false;
		while (n-- > 0) {
			if (!wire_rd_u8(r, &b))
				return false;
			len = len << 8 | b;
		}
	}
	return wire_rd_sub(r, len, val);
}

int
ike_cert_bundle_parse(const uint8_t *der, size_t len, struct ike_span *certs,
    size_t max, size_t *ncert, size_t *ncrl, const char **why)
{
	struct wire_rd r, seq, el, inner;
	const uint8_t *start;
	uint8_t tag, eltag;

	*ncert = *ncrl = 0;
	wire_rd_init(&r, der, len);
	if (!der_tlv(&r, &tag, &seq) || tag != 0x30 || r.left != 0)
		BAD("certificate bundle: not one DER SEQUENCE");
	while (seq.left > 0) {
		if (!der_tlv(&seq, &eltag, &el))
			BAD("certificate bundle: an element overruns it");
		if (eltag != 0xa0 && eltag != 0xa1)
			BAD("certificate bundle: an element is neither [0] "
			    "Certificate nor [1] CertificateList");
		/* EXPLICIT tags: exactly one SEQUENCE inside. */
		start = el.p;
		if (!der_tlv(&el, &tag, &inner) || tag != 0x30 || el.left != 0)
			BAD("certificate bundle: an element is not one "
			    "SEQUENCE");
		if (eltag == 0xa1) {	/* a CRL: not used (see ike.h) */
			(*ncrl)++;
			continue;
		}
		if (*ncert == max)
			BAD("certificate bundle: too many certificates");
		certs[*ncert].p = start;
		certs[(*ncert)++].len = (size_t)(inner.p + inner.left - start);
	}
	if (*ncert == 0)
		BAD("certificate bundle: no certificate in it");
	return 0;
}

int
ike_pld_auth_parse(struct wire_rd body, struct ike_pld_auth *auth,
    const char **why)
{
	if (!wire_rd_u8(&body, &auth->method) || !wire_rd_skip(&body, 3))
		BAD("AUTH: shorter than 4 octets");
	if (body.left == 0)
		BAD("AUTH: no authentication data");
	ike_rest(&body, &auth->data);
	return 0;
}

int
ike_pld_nonce_parse(struct wire_rd body, struct ike_span *nonce,
    const char **why)
{
	if (body.left < IKE_NONCE_MIN || body.left > IKE_NONCE_MAX)
		BAD("Nonce: not 16 to 256 octets");
	ike_rest(&body, nonce);
	return 0;
}

/*
 * RFC 3748 §4: the EAP Length counts the whole packet and must equal the
 * payload body; Request and Response carry a Type octet, Success and
 * Failure are exactly 4 octets.
 */
int
ike_pld_eap_parse(struct wire_rd body, struct ike_pld_eap *eap,
    const char **why)
{
	uint16_t len;

	eap->msg.p = body.p;
	eap->msg.len = body.left;
	eap->type = 0;
	if (!wire_rd_u8(&body, &eap->code) || !wire_rd_u8(&body, &eap->id) ||
	    !wire_rd_u16(&body, &len))
		BAD("EAP: shorter than 4 octets");
	if (len != eap->msg.len)
		BAD("EAP: Length does not match the payload");
	switch (eap->code) {
	case IKE_EAPC_REQUEST:
	case IKE_EAPC_RESPONSE:
		if (!wire_rd_u8(&body, &eap->type))
			BAD("EAP: Request/Response without a Type");
		break;
	case IKE_EAPC_SUCCESS:
	case IKE_EAPC_FAILURE:
		if (body.left != 0)
			BAD("EAP: Success/Failure longer than 4 octets");
		break;
	default:
		BAD("EAP: unknown Code");
	}
	ike_rest(&body, &eap->type_data);
	return 0;
}

int
ike_pld_auth_sig_split(const struct ike_pld_auth *auth,
    struct ike_span *alg_id, struct ike_span *sig)
{
	struct wire_rd r;
	uint8_t n;

	wire_rd_init(&r, auth->data.p, auth->data.len);
	/* RFC 7427 §3: a 1-octet length, the AlgorithmIdentifier, the
	 * signature. */
	if (!wire_rd_u8(&r, &n) || n == 0 || !wire_rd_bytes(&r, n, &alg_id->p))
		return IR_ERR_MALFORMED;
	alg_id->len = n;
	if (r.left == 0)
		return IR_ERR_MALFORMED;
	ike_rest(&r, sig);
	return 0;
}

/* ---- Building ------------------------------------------------------- */

/* type-octet | 3 reserved | data: ID and AUTH share this shape. */
static int
ike_pld_build_t3(struct ike_msg_wr *mw, uint8_t type, uint8_t t,
    const uint8_t *data, size_t len)
{
	size_t start = ike_pld_begin(mw, type);

	wire_wr_u8(mw->w, t);
	wire_wr_zero(mw->w, 3);
	wire_wr_bytes(mw->w, data, len);
	return ike_pld_end(mw, start);
}

int
ike_pld_ke_build(struct ike_msg_wr *mw, uint16_t group, const uint8_t *data,
    size_t len)
{
	size_t start = ike_pld_begin(mw, IKE_PLD_KE);

	wire_wr_u16(mw->w, group);
	wire_wr_u16(mw->w, 0);
	wire_wr_bytes(mw->w, data, len);
	return ike_pld_end(mw, start);
}

int
ike_pld_id_build(struct ike_msg_wr *mw, uint8_t type, uint8_t id_type,
    const uint8_t *data, size_t len)
{
	if (type != IKE_PLD_IDI && type != IKE_PLD_IDR)
		return IR_ERR_MALFORMED;
	return ike_pld_build_t3(mw, type, id_type, data, len);
}

int
ike_pld_cert_build(struct ike_msg_wr *mw, uint8_t type, uint8_t enc,
    const uint8_t *data, size_t len)
{
	size_t start;

	if (type != IKE_PLD_CERT && type != IKE_PLD_CERTREQ)
		return IR_ERR_MALFORMED;
	start = ike_pld_begin(mw, type);
	wire_wr_u8(mw->w, enc);
	wire_wr_bytes(mw->w, data, len);
	return ike_pld_end(mw, start);
}

int
ike_pld_auth_build(struct ike_msg_wr *mw, uint8_t method,
    const uint8_t *data, size_t len)
{
	return ike_pld_build_t3(mw, IKE_PLD_AUTH, method, data, len);
}

int
ike_pld_nonce_build(struct ike_msg_wr *mw, const uint8_t *nonce, size_t len)
{
	size_t start = ike_pld_begin(mw, IKE_PLD_NONCE);

	wire_wr_bytes(mw->w, nonce, len);
	return ike_pld_end(mw, start);
}

int
ike_pld_eap_build(struct ike_msg_wr *mw, const uint8_t *msg, size_t len)
{
	size_t start;

	if (len < 4 || wire_get_u16(msg + 2) != len)
		return IR_ERR_MALFORMED;
	start = ike_pld_begin(mw, IKE_PLD_EAP);
	wire_wr_bytes(mw->w, msg, len);
	return ike_pld_end(mw, start);
}
