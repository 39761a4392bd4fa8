/*
 * tun/tun_mtu.c: how big an inner packet may be so that its ESP packet,
 * with the outer headers, still fits the path MTU.  Pure arithmetic; the
 * cipher's sizes come in as numbers so that tun/ needs nothing from esp/.
 *
 * The outer packet, RFC 4303 §2 with RFC 3948 or RFC 9329 framing:
 *
 *   outer IP          20 (IPv4) or 40 (IPv6)
 *   UDP               8                       (RFC 3948 §2.1)
 *     or TCP + len    20 + options + 2        (RFC 9329 §3: 16-bit Length)
 *   ESP SPI + seq     8                       (RFC 4303 §2.1, §2.2)
 *   IV                iv_len                  (e.g. 8 for GCM, RFC 4106 §3.1)
 *   +--------------------------------------+
 *   | inner packet | padding | PL 1 | NH 1 |  a multiple of
 *   +--------------------------------------+  max(block_len, 4)
 *   ICV               icv_len
 *
 * RFC 4303 §2.4: the padding makes the encrypted part a multiple of the
 * cipher's block size, and in any case ends Pad Length and Next Header
 * on a 4-octet boundary.  GCM is a stream mode (RFC 4106 §3.2): only the
 * 4-octet rule applies, so pass block_len 1 (or 4).
 *
 * With a whole number of alignment units, the inner MTU is the largest
 * multiple of the alignment that fits, minus the two trailer octets.
 */
#include "common/ir_err.h"
#include "tun/tun.h"

#define TUN_IPV4_HDR	20u
#define TUN_IPV6_HDR	40u
#define TUN_UDP_HDR	8u
#define TUN_TCP_HDR	20u
#define TUN_TCP_LEN	2u	/* RFC 9329 §3: the Length field */
#define TUN_TCP_OPT_MAX	40u	/* the data offset field caps options */
#define TUN_ESP_HDR	8u	/* SPI + sequence number */
#define TUN_ESP_TRAILER	2u	/* Pad Length + Next Header */
#define TUN_ESP_ALIGN	4u
#define TUN_MTU_MIN	68u	/* RFC 791: every IPv4 link carries this */
#define TUN_SANE_FIELD	1024u	/* no IV, block or ICV is anywhere near */

/* The outer headers before the ESP header, or 0 for a bad parameter. */
static uint32_t
tun_mtu_outer(const struct tun_mtu_params *p)
{
	uint32_t n = p->outer_ipv6 ? TUN_IPV6_HDR : TUN_IPV4_HDR;

	switch (p->xport) {
	case TUN_MTU_UDP:
		return n + TUN_UDP_HDR;
	case TUN_MTU_TCP:
		if (p->tcp_options > TUN_TCP_OPT_MAX || p->tcp_options % 4)
			return 0;
		return n + TUN_TCP_HDR + p->tcp_options + TUN_TCP_LEN;
	}
	return 0;
}

/* The least common multiple of the block size and 4 (RFC 4303 §2.4). */
static uint32_t
tun_mtu_align(uint32_t block_len)
{
	uint32_t a = block_len > 1 ? block_len : 1, b = TUN_ESP_ALIGN, t;

	while (b != 0) {		/* a becomes gcd(block_len, 4) */
		t = a % b;
		a = b;
		b = t;
	}
	return (block_len > 1 ? block_len : 1) / a * TUN_ESP_ALIGN;
}

int
tun_mtu_inner(const struct tun_mtu_params *p, uint32_t *mtu)
{
	uint32_t outer, fixed, align, room, payload;

	*mtu = 0;
	if (p->iv_len > TUN_SANE_FIELD || p->icv_len > TUN_SANE_FIELD ||
	    p->block_len > TUN_SANE_FIELD)
		return IR_ERR_CONFIG;
	if ((outer = tun_mtu_outer(p)) == 0)
		return IR_ERR_CONFIG;
	align = tun_mtu_align(p->block_len);

	fixed = outer + TUN_ESP_HDR + p->iv_len + p->icv_len;
	if (p->path_mtu <= fixed)
		return IR_ERR_CONFIG;
	room = p->path_mtu - fixed;		/* for the encrypted part */
	room -= room % align;
	if (room < TUN_ESP_TRAILER + TUN_MTU_MIN)
		return IR_ERR_CONFIG;
	payload = room - TUN_ESP_TRAILER;
	*mtu = payload;
	return 0;
}

uint32_t
tun_mtu_mss(uint32_t inner_mtu, bool inner_ipv6)
{
	/*
	 * An MSS counts only TCP payload (RFC 9293 §3.7.1): take off the
	 * IP header and a TCP header without options.
	 */
	uint32_t hdrs = (inner_ipv6 ? TUN_IPV6_HDR : TUN_IPV4_HDR) +
	    TUN_TCP_HDR;

	return inner_mtu > hdrs ? inner_mtu - hdrs : 0;
}
