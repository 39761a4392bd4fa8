/*
 * ike/ike_pld_sa.c: the Security Association payload, RFC 7296 §3.3.
 *
 * An SA payload body is a list of Proposal substructures (§3.3.1):
 *
 * | Last Substruc |   RESERVED    |         Proposal Length       |
 * | Proposal Num  |  Protocol ID  |    SPI Size   |Num  Transforms|
 * ~                        SPI (variable)                         ~
 * ~                        <Transforms>                           ~
 *
 * each holding Transform substructures (§3.3.2):
 *
 * | Last Substruc |   RESERVED    |        Transform Length       |
 * |Transform Type |   RESERVED    |          Transform ID         |
 * ~                      Transform Attributes                     ~
 *
 * and each transform zero or more attributes (§3.3.5), TV when the AF
 * bit is set (a 16-bit value) and TLV otherwise:
 *
 * |A|       Attribute Type        |    AF=0  Attribute Length     |
 * |F|                             |    AF=1  Attribute Value      |
 *
 * Last Substruc is 0 on the last proposal (transform) and 2 (3) on
 * every other one; the parser holds the peer to that and to the counts,
 * so a proposal is never read past its own length.
 */
#include "common/ir_err.h"
#include "ike/ike_pld.h"

#define PROP_MORE	2	/* §3.3.1: "more proposals follow" */
#define XFORM_MORE	3	/* §3.3.2: "more transforms follow" */
#define ATTR_TV		0x8000	/* the AF bit */

#define BAD(s)		do { *why = (s); return IR_ERR_MALFORMED; } while (0)

/* §3.3.5: the attributes of one transform; only Key Length is known. */
static int
ike_xform_attrs(struct wire_rd a, struct ike_pld_xform *xf, const char **why)
{
	uint16_t type, val;

	while (a.left > 0) {
		if (!wire_rd_u16(&a, &type) || !wire_rd_u16(&a, &val))
			BAD("SA: transform attribute truncated");
		if (!(type & ATTR_TV)) {
			/* TLV: |val| is the length of what follows. */
			if (!wire_rd_skip(&a, val))
				BAD("SA: attribute overruns its transform");
			xf->unknown_attr = true;
			continue;
		}
		if ((type & ~ATTR_TV) == IKE_XF_ATTR_KEY_LENGTH &&
		    !xf->has_key_len) {
			xf->key_len = val;
			xf->has_key_len = true;
		} else
			xf->unknown_attr = true;
	}
	return 0;
}

static int
ike_xform_parse(struct wire_rd *p, bool last, struct ike_pld_xform *xf,
    const char **why)
{
	struct wire_rd t;
	uint8_t more, rsv, type;
	uint16_t len;

	if (!wire_rd_u8(p, &more) || !wire_rd_u8(p, &rsv) ||
	    !wire_rd_u16(p, &len))
		BAD("SA: transform header truncated");
	if (len < 8)
		BAD("SA: transform length below 8");
	if (!wire_rd_sub(p, len - 4, &t))
		BAD("SA: transform overruns its proposal");
	if (more != (last ? 0 : XFORM_MORE))
		BAD("SA: transform Last Substruc does not match");
	if (!wire_rd_u8(&t, &type) || !wire_rd_u8(&t, &rsv) ||
	    !wire_rd_u16(&t, &xf->id))
		BAD("SA: transform truncated");
	xf->type = type;
	xf->key_len = 0;
	xf->has_key_len = false;
	xf->unknown_attr = false;
	return ike_xform_attrs(t, xf, why);
}

static int
ike_prop_parse(struct wire_rd *r, bool last, struct ike_pld_sa *sa,
    const char **why)
{
	struct ike_pld_prop *prop = &sa->prop[sa->nprop];
	struct wire_rd p;
	uint8_t more, rsv, spi_size, nxf, i;
	uint16_t len;
	int rv;

	if (!wire_rd_u8(r, &more) || !wire_rd_u8(r, &rsv) ||
	    !wire_rd_u16(r, &len))
		BAD("SA: proposal header truncated");
	if (len < 8)
		BAD("SA: proposal length below 8");
	if (!wire_rd_sub(r, len - 4, &p))
		BAD("SA: proposal overruns the payload");
	if (more != (last ? 0 : PROP_MORE))
		BAD("SA: proposal Last Substruc does not match");
	if (!wire_rd_u8(&p, &prop->num) || !wire_rd_u8(&p, &prop->proto) ||
	    !wire_rd_u8(&p, &spi_size) || !wire_rd_u8(&p, &nxf))
		BAD("SA: proposal truncated");
	/* §3.3.1: SPI Size is 0 or 8 for IKE, 4 for AH and ESP. */
	if (spi_size != 0 && spi_size != 4 && spi_size != 8)
		BAD("SA: SPI size not 0, 4 or 8");
	if (!wire_rd_bytes(&p, spi_size, &prop->spi.p))
		BAD("SA: SPI overruns the proposal");
	prop->spi.len = spi_size;
	if (nxf > IKE_PLD_MAX_XFORMS - sa->nxf)
		BAD("SA: more transforms than we hold");
	prop->xf = &sa->xf[sa->nxf];
	prop->nxf = nxf;
	for (i = 0; i < nxf; i++) {
		rv = ike_xform_parse(&p, i + 1 == nxf,
		    &sa->xf[sa->nxf + i], why);
		if (rv != 0)
			return rv;
	}
	if (p.left != 0)
		BAD("SA: octets after the last transform");
	sa->nxf += nxf;
	sa->nprop++;
	return 0;
}

int
ike_pld_sa_parse(struct wire_rd body, struct ike_pld_sa *sa, const char **why)
{
	int rv;

	sa->nprop = 0;
	sa->nxf = 0;
	if (body.left == 0)
		BAD("SA: no proposal");
	while (body.left > 0) {
		if (sa->nprop >= IKE_PLD_MAX_PROPS)
			BAD("SA: more proposals than we hold");
		/* The proposal is last when its length reaches the end; the
		 * Last Substruc field must agree (§3.3.1).  Peek at it. */
		if (body.left < 4)
			BAD("SA: proposal header truncated");
		rv = ike_prop_parse(&body,
		    wire_get_u16(body.p + 2) == body.left, sa, why);
		if (rv != 0)
			return rv;
	}
	return 0;
}

/* ---- Building ------------------------------------------------------- */

static void
ike_xform_build(struct wire_wr *w, const struct ike_pld_xform *xf, bool last)
{
	bool kl = xf->has_key_len || xf->key_len != 0;

	wire_wr_u8(w, last ? 0 : XFORM_MORE);
	wire_wr_u8(w, 0);
	wire_wr_u16(w, kl ? 12 : 8);
	wire_wr_u8(w, xf->type);
	wire_wr_u8(w, 0);
	wire_wr_u16(w, xf->id);
	if (kl) {
		wire_wr_u16(w, ATTR_TV | IKE_XF_ATTR_KEY_LENGTH);
		wire_wr_u16(w, xf->key_len);
	}
}

int
ike_pld_sa_build(struct ike_msg_wr *mw, const struct ike_pld_prop *props,
    size_t nprop)
{
	struct wire_wr *w = mw->w;
	size_t start, pstart, i, j;

	if (nprop == 0 || nprop > 255)
		return IR_ERR_MALFORMED;
	start = ike_pld_begin(mw, IKE_PLD_SA);
	for (i = 0; i < nprop; i++) {
		const struct ike_pld_prop *p = &props[i];

		if (p->spi.len > 8)
			return IR_ERR_MALFORMED;
		pstart = w->len;
		wire_wr_u8(w, i + 1 == nprop ? 0 : PROP_MORE);
		wire_wr_u8(w, 0);
		wire_wr_u16(w, 0);		/* Proposal Length, below */
		wire_wr_u8(w, p->num);
		wire_wr_u8(w, p->proto);
		wire_wr_u8(w, (uint8_t)p->spi.len);
		wire_wr_u8(w, p->nxf);
		wire_wr_bytes(w, p->spi.p, p->spi.len);
		for (j = 0; j < p->nxf; j++)
			ike_xform_build(w, &p->xf[j], j + 1 == p->nxf);
		wire_wr_patch_len16(w, pstart + 2, pstart);
	}
	return ike_pld_end(mw, start);
}
