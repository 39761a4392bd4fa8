/* src/ts_match.c: packets against traffic selectors (see ts_match.h). */
#include <string.h>

#include "common/ir_err.h"
#include "src/ts_match.h"

#define TS_IPV4_ADDR_RANGE	7	/* RFC 7296 §3.13.1 */
#define TS_IPV6_ADDR_RANGE	8

static bool
has_ports(uint8_t proto)
{
	/* TCP, UDP, SCTP, UDP-Lite; ICMP types/codes: RFC 4301 §4.4.1.1. */
	return proto == 6 || proto == 17 || proto == 132 || proto == 136 ||
	    proto == 1 || proto == 58;
}

static void
read_ports(struct ts_fields *f, const uint8_t *l4, size_t left)
{
	if (!has_ports(f->proto) || left < 4)
		return;
	f->has_ports = true;
	if (f->proto == 1 || f->proto == 58) {
		f->sport = f->dport = (uint16_t)(l4[0] << 8 | l4[1]);
		return;
	}
	f->sport = (uint16_t)(l4[0] << 8 | l4[1]);
	f->dport = (uint16_t)(l4[2] << 8 | l4[3]);
}

int
ts_fields_parse(const uint8_t *pkt, size_t len, struct ts_fields *f)
{
	size_t ihl;

	memset(f, 0, sizeof(*f));
	if (len < 1)
		return IR_ERR_MALFORMED;
	switch (pkt[0] >> 4) {
	case 4:
		if (len < 20 || (ihl = (size_t)(pkt[0] & 0x0f) * 4) < 20 ||
		    ihl > len)
			return IR_ERR_MALFORMED;
		f->family = 4;
		f->proto = pkt[9];
		memcpy(f->src, pkt + 12, 4);
		memcpy(f->dst, pkt + 16, 4);
		/* Only the first fragment carries the ports (offset 0). */
		if (((pkt[6] & 0x1f) << 8 | pkt[7]) == 0)
			read_ports(f, pkt + ihl, len - ihl);
		return 0;
	case 6:
		if (len < 40)
			return IR_ERR_MALFORMED;
		f->family = 6;
		f->proto = pkt[6];
		memcpy(f->src, pkt + 8, 16);
		memcpy(f->dst, pkt + 24, 16);
		read_ports(f, pkt + 40, len - 40);
		return 0;
	default:
		return IR_ERR_MALFORMED;
	}
}

static bool
addr_in(const struct ike_ts *ts, uint8_t family, const uint8_t *a)
{
	size_t n = family == 4 ? 4 : 16;

	if (ts->type != (family == 4 ? TS_IPV4_ADDR_RANGE : TS_IPV6_ADDR_RANGE))
		return false;
	/* Network order compares as big-endian numbers. */
	return memcmp(a, ts->start, n) >= 0 && memcmp(a, ts->end, n) <= 0;
}

/* RFC 4301 §4.4.1.1: a selector for ports (or ICMP types) covers a
 * packet without them only when it covers every port. */
static bool
port_in(const struct ike_ts *ts, bool has, uint16_t port)
{
	if (ts->port_lo == 0 && ts->port_hi == 0xffff)
		return true;
	return has && port >= ts->port_lo && port <= ts->port_hi;
}

static bool
side_match(const struct ike_ts *ts, unsigned n, const struct ts_fields *f,
    const uint8_t *addr, uint16_t port)
{
	unsigned i;

	if (n == 0)
		return true;
	for (i = 0; i < n; i++)
		if (addr_in(&ts[i], f->family, addr) &&
		    (ts[i].proto == 0 || ts[i].proto == f->proto) &&
		    port_in(&ts[i], f->has_ports, port))
			return true;
	return false;
}

bool
ts_fields_match(const struct ts_fields *f, const struct ike_ts *src_ts,
    unsigned n_src, const struct ike_ts *dst_ts, unsigned n_dst)
{
	return side_match(src_ts, n_src, f, f->src, f->sport) &&
	    side_match(dst_ts, n_dst, f, f->dst, f->dport);
}
