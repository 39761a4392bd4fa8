/*
 * tun/tun_mss.c: TCP MSS clamping on the TUN path, so that inner TCP
 * never sends segments that need fragmenting once ESP is added.  Pure:
 * it rewrites one packet in place and touches nothing else.
 *
 * Only a packet whose every length checks out is changed:
 *
 *   IPv4 (RFC 791)   version 4, IHL >= 5, IHL * 4 <= Total Length <= the
 *                    read length, not a fragment (MF clear, offset 0),
 *                    Protocol 6.
 *   IPv6 (RFC 8200)  version 6, 40 + Payload Length <= the read length,
 *                    Next Header 6 directly; extension headers are left
 *                    alone (rare on a SYN, and walking them buys little).
 *   TCP (RFC 9293)   Data Offset >= 5 and inside the payload, SYN set
 *                    (SYN and SYN-ACK).  Options are walked one by one
 *                    (§3.1: End, NOP, or kind + length >= 2 inside the
 *                    header); MSS is kind 2, length 4 (§3.7.1).
 *
 * The checksum is updated incrementally (RFC 1624 §3, eqn. 3):
 * HC' = ~(~HC + ~m + m').  An option may start at an odd offset, so the
 * MSS value may straddle two 16-bit words of the checksum; the one's
 * complement sum is byte-order independent (RFC 1071 §2(B)), so the
 * update then uses the byte-swapped old and new values.
 */
#include "tun/tun.h"
#include "tun/tun_csum.h"

#define TUN_IPV4_MIN	20u
#define TUN_IPV6_HDR	40u
#define TUN_TCP_MIN	20u
#define TUN_PROTO_TCP	6u
#define TUN_TCP_SYN	0x02u
#define TUN_TCPOPT_END	0u
#define TUN_TCPOPT_NOP	1u
#define TUN_TCPOPT_MSS	2u

static uint16_t
tun_rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
tun_wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t
tun_swap16(uint16_t v)
{
	return (uint16_t)(v << 8 | v >> 8);
}

/* Lower the MSS option of the TCP segment |tcp| (|len| octets). */
static int
tun_clamp_tcp(uint8_t *tcp, size_t len, uint16_t mss)
{
	size_t hlen, off, olen;
	uint16_t old, oldw, neww;

	if (len < TUN_TCP_MIN || !(tcp[13] & TUN_TCP_SYN))
		return 0;
	hlen = (size_t)(tcp[12] >> 4) * 4;
	if (hlen < TUN_TCP_MIN || hlen > len)
		return 0;
	for (off = TUN_TCP_MIN; off < hlen; off += olen) {
		if (tcp[off] == TUN_TCPOPT_END)
			return 0;
		if (tcp[off] == TUN_TCPOPT_NOP) {
			olen = 1;
			continue;
		}
		if (hlen - off < 2)
			return 0;
		olen = tcp[off + 1];
		if (olen < 2 || olen > hlen - off)
			return 0;
		if (tcp[off] != TUN_TCPOPT_MSS)
			continue;
		if (olen != 4)
			return 0;
		old = tun_rd16(tcp + off + 2);
		if (old <= mss)
			return 0;
		oldw = old;
		neww = mss;
		if (off % 2 != 0) {	/* the value straddles two words */
			oldw = tun_swap16(old);
			neww = tun_swap16(mss);
		}
		tun_wr16(tcp + off + 2, mss);
		tun_wr16(tcp + 16, tun_csum_update(tun_rd16(tcp + 16), oldw,
		    neww));
		return 1;
	}
	return 0;
}

int
tun_clamp_mss(uint8_t *pkt, size_t len, uint16_t mss)
{
	size_t ihl, tot;

	if (len < 1)
		return 0;
	switch (pkt[0] >> 4) {
	case 4:
		if (len < TUN_IPV4_MIN)
			return 0;
		ihl = (size_t)(pkt[0] & 0x0f) * 4;
		tot = tun_rd16(pkt + 2);
		if (ihl < TUN_IPV4_MIN || tot < ihl || tot > len)
			return 0;
		/* MF set or a fragment offset: not the first whole segment. */
		if ((tun_rd16(pkt + 6) & 0x3fff) != 0 ||
		    pkt[9] != TUN_PROTO_TCP)
			return 0;
		return tun_clamp_tcp(pkt + ihl, tot - ihl, mss);
	case 6:
		if (len < TUN_IPV6_HDR)
			return 0;
		tot = tun_rd16(pkt + 4);
		if (tot > len - TUN_IPV6_HDR || pkt[6] != TUN_PROTO_TCP)
			return 0;
		return tun_clamp_tcp(pkt + TUN_IPV6_HDR, tot, mss);
	default:
		return 0;
	}
}
