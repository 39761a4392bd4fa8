/*
 * ike/ike_pld_cp.c: the Configuration payload, RFC 7296 §3.15, with the
 * attribute types of §3.15.1 and RFC 8598 (split DNS).
 *
 * CP body:
 * |   CFG Type    |                    RESERVED                   |
 * ~                   Configuration Attributes                    ~
 *
 * Each attribute:
 * |R|         Attribute Type      |            Length             |
 * ~                             Value                             ~
 *
 * The R bit is ignored on receipt (§3.15.1).  Value lengths are not
 * checked per type here: a CFG_REQUEST sends empty values, and the
 * engine checks what it uses (4 octets for INTERNAL_IP4_ADDRESS, 17 for
 * INTERNAL_IP6_ADDRESS, ...) when it reads the reply.
 */
#include "common/ir_err.h"
#include "ike/ike_pld.h"

#define BAD(s)		do { *why = (s); return IR_ERR_MALFORMED; } while (0)

#define CP_ATTR_TYPE_MASK	0x7fff

int
ike_pld_cp_parse(struct wire_rd body, struct ike_pld_cp *cp, const char **why)
{
	struct ike_pld_cp_attr *a;
	uint16_t type, len;

	cp->nattr = 0;
	if (!wire_rd_u8(&body, &cp->type) || !wire_rd_skip(&body, 3))
		BAD("CP: shorter than 4 octets");
	while (body.left > 0) {
		if (cp->nattr >= IKE_PLD_MAX_CP_ATTRS)
			BAD("CP: more attributes than we hold");
		a = &cp->attr[cp->nattr];
		if (!wire_rd_u16(&body, &type) || !wire_rd_u16(&body, &len))
			BAD("CP: attribute header truncated");
		if (!wire_rd_bytes(&body, len, &a->value.p))
			BAD("CP: attribute overruns the payload");
		a->type = type & CP_ATTR_TYPE_MASK;
		a->value.len = len;
		cp->nattr++;
	}
	return 0;
}

int
ike_pld_cp_build(struct ike_msg_wr *mw, uint8_t cfg_type,
    const struct ike_pld_cp_attr *attrs, size_t nattr)
{
	size_t start, i;

	for (i = 0; i < nattr; i++)
		if (attrs[i].value.len > 0xffff ||
		    attrs[i].type > CP_ATTR_TYPE_MASK)
			return IR_ERR_MALFORMED;
	start = ike_pld_begin(mw, IKE_PLD_CP);
	wire_wr_u8(mw->w, cfg_type);
	wire_wr_zero(mw->w, 3);
	for (i = 0; i < nattr; i++) {
		wire_wr_u16(mw->w, attrs[i].type);
		wire_wr_u16(mw->w, (uint16_t)attrs[i].value.len);
		wire_wr_bytes(mw->w, attrs[i].value.p, attrs[i].value.len);
	}
	return ike_pld_end(mw, start);
}
