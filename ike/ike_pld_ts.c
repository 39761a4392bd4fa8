/*
 * ike/ike_pld_ts.c: Traffic Selector payloads, RFC 7296 §3.13.
 *
 * TSi/TSr body:
 * | Number of TSs |                 RESERVED                      |
 * ~                       <Traffic Selectors>                     ~
 *
 * Each selector (§3.13.1):
 * |   TS Type     |IP Protocol ID*|       Selector Length         |
 * |           Start Port*         |           End Port*           |
 * ~                         Starting Address*                     ~
 * ~                         Ending Address*                       ~
 *
 * Selector Length is 16 for TS_IPV4_ADDR_RANGE and 40 for
 * TS_IPV6_ADDR_RANGE; any other type is malformed here, because a TS
 * payload we cannot read whole cannot be narrowed safely (§2.9).
 */
#include "common/ir_err.h"
#include "ike/ike_pld.h"

#define BAD(s)		do { *why = (s); return IR_ERR_MALFORMED; } while (0)

static size_t
ike_ts_addr_len(uint8_t type)
{
	switch (type) {
	case IKE_TST_IPV4_ADDR_RANGE:
		return 4;
	case IKE_TST_IPV6_ADDR_RANGE:
		return 16;
	}
	return 0;
}

static int
ike_ts_one(struct wire_rd *r, struct ike_pld_ts *ts, const char **why)
{
	struct wire_rd s;
	uint16_t len;
	size_t alen;

	if (!wire_rd_u8(r, &ts->type) || !wire_rd_u8(r, &ts->ip_proto) ||
	    !wire_rd_u16(r, &len))
		BAD("TS: selector header truncated");
	if ((alen = ike_ts_addr_len(ts->type)) == 0)
		BAD("TS: unknown selector type");
	if (len != 8 + 2 * alen)
		BAD("TS: Selector Length does not match its type");
	if (!wire_rd_sub(r, len - 4, &s))
		BAD("TS: selector overruns the payload");
	if (!wire_rd_u16(&s, &ts->start_port) ||
	    !wire_rd_u16(&s, &ts->end_port) ||
	    !wire_rd_bytes(&s, alen, &ts->start.p) ||
	    !wire_rd_bytes(&s, alen, &ts->end.p))
		BAD("TS: selector truncated");
	ts->start.len = alen;
	ts->end.len = alen;
	return 0;
}

int
ike_pld_ts_parse(struct wire_rd body, struct ike_pld_ts_list *tsl,
    const char **why)
{
	uint8_t n, i;
	int rv;

	tsl->nts = 0;
	if (!wire_rd_u8(&body, &n) || !wire_rd_skip(&body, 3))
		BAD("TS: shorter than 4 octets");
	if (n == 0)
		BAD("TS: no selector");
	if (n > IKE_PLD_MAX_TS)
		BAD("TS: more selectors than we hold");
	for (i = 0; i < n; i++)
		if ((rv = ike_ts_one(&body, &tsl->ts[i], why)) != 0)
			return rv;
	if (body.left != 0)
		BAD("TS: octets after the last selector");
	tsl->nts = n;
	return 0;
}

int
ike_pld_ts_build(struct ike_msg_wr *mw, uint8_t type,
    const struct ike_pld_ts *ts, size_t nts)
{
	size_t start, alen, i;

	if ((type != IKE_PLD_TSI && type != IKE_PLD_TSR) || nts == 0 ||
	    nts > 255)
		return IR_ERR_MALFORMED;
	for (i = 0; i < nts; i++) {
		alen = ike_ts_addr_len(ts[i].type);
		if (alen == 0 || ts[i].start.len != alen ||
		    ts[i].end.len != alen)
			return IR_ERR_MALFORMED;
	}
	start = ike_pld_begin(mw, type);
	wire_wr_u8(mw->w, (uint8_t)nts);
	wire_wr_zero(mw->w, 3);
	for (i = 0; i < nts; i++) {
		alen = ts[i].start.len;
		wire_wr_u8(mw->w, ts[i].type);
		wire_wr_u8(mw->w, ts[i].ip_proto);
		wire_wr_u16(mw->w, (uint16_t)(8 + 2 * alen));
		wire_wr_u16(mw->w, ts[i].start_port);
		wire_wr_u16(mw->w, ts[i].end_port);
		wire_wr_bytes(mw->w, ts[i].start.p, alen);
		wire_wr_bytes(mw->w, ts[i].end.p, alen);
	}
	return ike_pld_end(mw, start);
}
