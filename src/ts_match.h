/*
 * src/ts_match.h: does an IP packet belong to a Child SA?  RFC 4301
 * §5.1 (outbound: only what the SA's selectors cover goes into it) and
 * §5.2 (inbound: after decryption the packet must match the selectors
 * of the SA it came in on, else it is dropped).  Pure: a packet and the
 * traffic selectors (RFC 7296 §3.13.1) in, yes or no out.
 */
#ifndef IR_SRC_TS_MATCH_H
#define IR_SRC_TS_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike/ike.h"

/* What the selectors look at, read from an IPv4 or IPv6 header. */
struct ts_fields {
	uint8_t		family;		/* 4 or 6 */
	uint8_t		proto;		/* IPv4 protocol, IPv6 next header */
	uint8_t		src[16], dst[16];
	bool		has_ports;	/* first fragment of TCP/UDP/SCTP/ICMP */
	uint16_t	sport, dport;	/* ICMP: type << 8 | code, twice */
};

/*
 * Parse the header fields of |pkt|.  0, or IR_ERR_MALFORMED for anything
 * that is not a whole IPv4/IPv6 header (bounds-checked; never reads past
 * |len|).  IPv6 extension headers are not walked: the next header and
 * no ports, which only selectors for any port and protocol match.
 */
int	ts_fields_parse(const uint8_t *pkt, size_t len, struct ts_fields *f);

/* Whether |src| falls in one of |src_ts| and |dst| in one of |dst_ts|,
 * protocol and ports included.  No selector at all on one side: any. */
bool	ts_fields_match(const struct ts_fields *f,
	    const struct ike_ts *src_ts, unsigned n_src,
	    const struct ike_ts *dst_ts, unsigned n_dst);

#endif
