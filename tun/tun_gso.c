/*
 * tun/tun_gso.c: segmentation of the TUN's super-packets and coalescing
 * of received TCP segments (see tun_gso.h).  Pure: no system calls, no
 * allocation; every length is checked against the buffer.
 *
 * Checksums (tun_csum.c) are summed in host order over native loads and
 * stored the same way (RFC 1071 §2(B): the sum is byte-order
 * independent), so no byte swapping is needed per word.
 */
#include <string.h>

#include "common/ir_err.h"
#include "tun/tun_csum.h"
#include "tun/tun_gso.h"

#define IPPROTO_TCP_	6
#define IPPROTO_UDP_	17
#define TCP_FIN		0x01
#define TCP_SYN		0x02
#define TCP_RST		0x04
#define TCP_PSH		0x08
#define TCP_ACK		0x10
#define TCP_URG		0x20
#define TCP_ECE		0x40
#define TCP_CWR		0x80

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

void
tun_vnet_hdr_get(const uint8_t *p, struct tun_vnet_hdr *h)
{
	h->flags = p[0];
	h->gso_type = p[1];
	memcpy(&h->hdr_len, p + 2, 2);
	memcpy(&h->gso_size, p + 4, 2);
	memcpy(&h->csum_start, p + 6, 2);
	memcpy(&h->csum_offset, p + 8, 2);
}

void
tun_vnet_hdr_put(uint8_t *p, const struct tun_vnet_hdr *h)
{
	p[0] = h->flags;
	p[1] = h->gso_type;
	memcpy(p + 2, &h->hdr_len, 2);
	memcpy(p + 4, &h->gso_size, 2);
	memcpy(p + 6, &h->csum_start, 2);
	memcpy(p + 8, &h->csum_offset, 2);
}

/* ---- checksums (the sums themselves are in tun_csum.c) ----------------- */

/* The pseudo-header (RFC 793 §3.1, RFC 768, RFC 8200 §8.1). */
static uint64_t
csum_pseudo(const uint8_t *ip, bool v6, uint8_t proto, size_t l4len)
{
	uint64_t s = 0;

	if (v6) {
		s = tun_csum_add(s, ip + 8, 32);
		s = tun_csum_add16(s, (uint16_t)(l4len >> 16));
		s = tun_csum_add16(s, (uint16_t)l4len);
	} else {
		s = tun_csum_add(s, ip + 12, 8);
		s = tun_csum_add16(s, (uint16_t)l4len);
	}
	return tun_csum_add16(s, proto);
}

uint16_t
tun_l4_csum(const uint8_t *ip, size_t len, size_t l4_off, uint8_t proto)
{
	uint64_t s;

	if (len < 20 || l4_off > len)
		return 0xffff;
	s = csum_pseudo(ip, (ip[0] >> 4) == 6, proto, len - l4_off);
	s = tun_csum_add(s, ip + l4_off, len - l4_off);
	return (uint16_t)~tun_csum_fold(s);
}

/* Write the full TCP/UDP checksum of |ip| (|len| octets) in place. */
static void
l4_csum_fill(uint8_t *ip, size_t len, size_t l4_off, bool v6, uint8_t proto)
{
	size_t at = l4_off + (proto == IPPROTO_TCP_ ? 16 : 6);
	uint64_t s;
	uint16_t c;

	ip[at] = ip[at + 1] = 0;
	s = csum_pseudo(ip, v6, proto, len - l4_off);
	s = tun_csum_add(s, ip + l4_off, len - l4_off);
	c = (uint16_t)~tun_csum_fold(s);
	if (proto == IPPROTO_UDP_ && c == 0)
		c = 0xffff;		/* RFC 768: 0 means "none" */
	tun_csum_store(ip + at, c);
}

static void
ip4_csum_fill(uint8_t *ip, size_t ihl)
{
	ip[10] = ip[11] = 0;
	tun_csum_store(ip + 10, tun_csum(ip, ihl));
}

/* ---- the IP packet ------------------------------------------------------ */

/*
 * The L4 offset and protocol of an unfragmented IPv4 packet, or an IPv6
 * packet with no extension header, whose length field says |len|.
 */
static int
ip_l4(const uint8_t *ip, size_t len, bool *v6, size_t *l4_off,
    uint8_t *proto)
{
	size_t ihl;

	if (len < 20)
		return IR_ERR_MALFORMED;
	if ((ip[0] >> 4) == 4) {
		ihl = (size_t)(ip[0] & 0x0f) * 4;
		if (ihl < 20 || ihl > len || get16(ip + 2) != len ||
		    (get16(ip + 6) & 0x3fff) != 0)
			return IR_ERR_MALFORMED;
		*v6 = false;
		*l4_off = ihl;
		*proto = ip[9];
		return 0;
	}
	if ((ip[0] >> 4) == 6) {
		if (len < 40 || (size_t)get16(ip + 4) + 40 != len)
			return IR_ERR_MALFORMED;
		*v6 = true;
		*l4_off = 40;
		*proto = ip[6];
		return 0;
	}
	return IR_ERR_MALFORMED;
}

/* ---- out: segmentation ---------------------------------------------------- */

int
tun_gso_init(struct tun_gso *g, const uint8_t *buf, size_t len, size_t mtu)
{
	size_t l4_off, l4_hdr, csum_at;
	uint8_t proto, type;
	bool v6;

	memset(g, 0, sizeof(*g));
	if (len < TUN_VNET_HDR_LEN)
		return IR_ERR_MALFORMED;
	tun_vnet_hdr_get(buf, &g->vh);
	g->pkt = buf + TUN_VNET_HDR_LEN;
	g->len = len - TUN_VNET_HDR_LEN;
	if (g->len == 0 || g->len > TUN_GSO_MAX)
		return IR_ERR_MALFORMED;
	type = g->vh.gso_type & (uint8_t)~TUN_VNET_GSO_ECN;
	if (type == TUN_VNET_GSO_NONE) {
		g->kind = TUN_GSO_ONE;
		if (g->len > mtu)
			return IR_ERR_MALFORMED;
		if (g->vh.flags & TUN_VNET_F_NEEDS_CSUM) {
			csum_at = (size_t)g->vh.csum_start + g->vh.csum_offset;
			if (csum_at + 2 > g->len)
				return IR_ERR_MALFORMED;
		}
		return 0;
	}
	if (ip_l4(g->pkt, g->len, &v6, &l4_off, &proto) != 0)
		return IR_ERR_MALFORMED;
	if ((type == TUN_VNET_GSO_TCPV4 && (v6 || proto != IPPROTO_TCP_)) ||
	    (type == TUN_VNET_GSO_TCPV6 && (!v6 || proto != IPPROTO_TCP_)) ||
	    (type == TUN_VNET_GSO_UDP_L4 && proto != IPPROTO_UDP_) ||
	    (type != TUN_VNET_GSO_TCPV4 && type != TUN_VNET_GSO_TCPV6 &&
	    type != TUN_VNET_GSO_UDP_L4) || g->vh.gso_size == 0)
		return IR_ERR_MALFORMED;
	if (proto == IPPROTO_TCP_) {
		if (l4_off + 20 > g->len)
			return IR_ERR_MALFORMED;
		l4_hdr = (size_t)(g->pkt[l4_off + 12] >> 4) * 4;
		if (l4_hdr < 20 || l4_off + l4_hdr > g->len)
			return IR_ERR_MALFORMED;
		g->kind = TUN_GSO_TCP;
	} else {
		l4_hdr = 8;
		if (l4_off + l4_hdr > g->len ||
		    get16(g->pkt + l4_off + 4) != g->len - l4_off)
			return IR_ERR_MALFORMED;
		g->kind = TUN_GSO_UDP;
	}
	g->v6 = v6;
	g->l4_off = l4_off;
	g->hdr_len = l4_off + l4_hdr;
	g->seg = g->vh.gso_size;
	if (g->hdr_len >= mtu)
		return IR_ERR_MALFORMED;
	if (g->hdr_len + g->seg > mtu) {
		/* TCP is a stream: smaller segments are still TCP.  Each
		 * UDP datagram is a message of exactly gso_size. */
		if (g->kind == TUN_GSO_UDP)
			return IR_ERR_MALFORMED;
		g->seg = mtu - g->hdr_len;
	}
	return 0;
}

unsigned
tun_gso_count(const struct tun_gso *g)
{
	size_t payload;

	if (g->kind == TUN_GSO_ONE)
		return 1;
	payload = g->len - g->hdr_len;
	return payload == 0 ? 1 : (unsigned)((payload + g->seg - 1) / g->seg);
}

static int
gso_one(struct tun_gso *g, uint8_t *out, size_t cap, size_t *len)
{
	size_t start = g->vh.csum_start, at;
	uint16_t c;

	if (g->len > cap)
		return IR_ERR_NOBUF;
	memcpy(out, g->pkt, g->len);
	if (g->vh.flags & TUN_VNET_F_NEEDS_CSUM) {
		/* The field holds the pseudo-header's sum: add the rest. */
		at = start + g->vh.csum_offset;
		c = (uint16_t)~tun_csum_fold(tun_csum_add(0, out + start,
		    g->len - start));
		/* skb_checksum_help(): 0 is sent as 0xffff (UDP). */
		tun_csum_store(out + at, c == 0 ? 0xffff : c);
	}
	*len = g->len;
	g->done = true;
	return 1;
}

int
tun_gso_next(struct tun_gso *g, uint8_t *out, size_t cap, size_t *len)
{
	size_t payload, n, total;
	uint8_t *l4;
	bool last;

	*len = 0;
	if (g->done)
		return 0;
	if (g->kind == TUN_GSO_ONE)
		return gso_one(g, out, cap, len);
	payload = g->len - g->hdr_len;
	n = payload - g->off < g->seg ? payload - g->off : g->seg;
	last = g->off + n >= payload;
	total = g->hdr_len + n;
	if (total > cap)
		return IR_ERR_NOBUF;
	memcpy(out, g->pkt, g->hdr_len);
	memcpy(out + g->hdr_len, g->pkt + g->hdr_len + g->off, n);
	l4 = out + g->l4_off;
	if (g->v6) {
		put16(out + 4, (uint16_t)(total - 40));
	} else {
		put16(out + 2, (uint16_t)total);
		put16(out + 4, (uint16_t)(get16(g->pkt + 4) + g->idx));
		ip4_csum_fill(out, g->l4_off);
	}
	if (g->kind == TUN_GSO_TCP) {
		put32(l4 + 4, get32(l4 + 4) + (uint32_t)g->off);
		if (!last)
			l4[13] &= (uint8_t)~(TCP_FIN | TCP_PSH);
		if (g->idx > 0)
			l4[13] &= (uint8_t)~TCP_CWR;
		l4_csum_fill(out, total, g->l4_off, g->v6, IPPROTO_TCP_);
	} else {
		put16(l4 + 4, (uint16_t)(total - g->l4_off));
		l4_csum_fill(out, total, g->l4_off, g->v6, IPPROTO_UDP_);
	}
	g->off += n;
	g->idx++;
	g->done = last;
	*len = total;
	return 1;
}

/* ---- in: coalescing ------------------------------------------------------- */

void
tun_gro_init(struct tun_gro *g)
{
	g->len = 0;
	g->nseg = 0;
	g->closed = false;
}

/* What a TCP segment must be to join or start a super-packet. */
struct gro_seg {
	bool	 v6;
	size_t	 l4_off, hdr_len, payload;
	uint32_t seq;
	uint8_t	 flags;
};

static bool
gro_candidate(const uint8_t *p, size_t len, struct gro_seg *s)
{
	uint8_t proto;
	size_t thl;

	if (ip_l4(p, len, &s->v6, &s->l4_off, &proto) != 0 ||
	    proto != IPPROTO_TCP_ || (!s->v6 && s->l4_off != 20) ||
	    s->l4_off + 20 > len)
		return false;
	thl = (size_t)(p[s->l4_off + 12] >> 4) * 4;
	if (thl < 20 || s->l4_off + thl > len)
		return false;
	s->hdr_len = s->l4_off + thl;
	s->payload = len - s->hdr_len;
	s->flags = p[s->l4_off + 13];
	s->seq = get32(p + s->l4_off + 4);
	/* Only ACK, or ACK|PSH; data; correct checksums. */
	if ((s->flags & (uint8_t)~TCP_PSH) != TCP_ACK || s->payload == 0)
		return false;
	if (!s->v6 && tun_csum(p, 20) != 0)
		return false;
	return tun_l4_csum(p, len, s->l4_off, IPPROTO_TCP_) == 0;
}

/* Does |p| continue the held flow?  Everything but lengths, IDs, the
 * sequence number, PSH and the checksums must be equal. */
static bool
gro_same_flow(const struct tun_gro *g, const uint8_t *p,
    const struct gro_seg *s)
{
	const uint8_t *h = g->buf + TUN_VNET_HDR_LEN;
	size_t o = s->l4_off;

	if (s->v6 != g->v6 || s->hdr_len != g->hdr_len)
		return false;
	if (s->v6) {
		if (memcmp(h, p, 4) != 0 || h[7] != p[7] ||
		    memcmp(h + 8, p + 8, 32) != 0)
			return false;
	} else {
		if (h[1] != p[1] || memcmp(h + 6, p + 6, 3) != 0 ||
		    memcmp(h + 12, p + 12, 8) != 0)
			return false;
	}
	/* ports; ACK number; header length and flags but PSH; window;
	 * urgent pointer; options. */
	return memcmp(h + o, p + o, 4) == 0 &&
	    memcmp(h + o + 8, p + o + 8, 5) == 0 &&
	    (h[o + 13] & (uint8_t)~TCP_PSH) == (p[o + 13] & (uint8_t)~TCP_PSH) &&
	    memcmp(h + o + 14, p + o + 14, 2) == 0 &&
	    memcmp(h + o + 18, p + o + 18, s->hdr_len - o - 18) == 0;
}

int
tun_gro_add(struct tun_gro *g, const uint8_t *p, size_t len)
{
	struct gro_seg s;
	bool cand;

	if (len > TUN_GSO_MAX)
		return IR_ERR_NOBUF;
	cand = gro_candidate(p, len, &s);
	if (g->len == 0) {
		memcpy(g->buf + TUN_VNET_HDR_LEN, p, len);
		g->len = len;
		g->nseg = 1;
		g->closed = !cand || (s.flags & TCP_PSH);
		if (cand) {
			g->v6 = s.v6;
			g->l4_off = s.l4_off;
			g->hdr_len = s.hdr_len;
			g->seg = s.payload;
			g->next_seq = s.seq + (uint32_t)s.payload;
		}
		return TUN_GRO_HELD;
	}
	if (g->closed || !cand || g->nseg >= TUN_GRO_MAX_SEGS ||
	    s.seq != g->next_seq || s.payload > g->seg ||
	    g->len + s.payload > TUN_GSO_MAX || !gro_same_flow(g, p, &s))
		return TUN_GRO_FLUSH;
	memcpy(g->buf + TUN_VNET_HDR_LEN + g->len, p + s.hdr_len, s.payload);
	g->len += s.payload;
	g->nseg++;
	g->next_seq += (uint32_t)s.payload;
	if (s.flags & TCP_PSH)
		g->buf[TUN_VNET_HDR_LEN + g->l4_off + 13] |= TCP_PSH;
	/* A short segment or a push ends the super-packet (the kernel's
	 * GRO does the same: only the last segment may be short). */
	g->closed = s.payload < g->seg || (s.flags & TCP_PSH);
	return TUN_GRO_HELD;
}

size_t
tun_gro_finish(struct tun_gro *g, const uint8_t **out)
{
	struct tun_vnet_hdr vh;
	uint8_t *ip = g->buf + TUN_VNET_HDR_LEN;
	size_t len = g->len;
	uint64_t s;

	memset(&vh, 0, sizeof(vh));
	*out = g->buf;
	if (len == 0)
		return 0;
	if (g->nseg > 1) {
		if (g->v6) {
			put16(ip + 4, (uint16_t)(len - 40));
		} else {
			put16(ip + 2, (uint16_t)len);
			ip4_csum_fill(ip, 20);
		}
		/* CHECKSUM_PARTIAL: the pseudo-header's sum, not inverted;
		 * the kernel finishes it if it ever segments the packet. */
		s = csum_pseudo(ip, g->v6, IPPROTO_TCP_, len - g->l4_off);
		tun_csum_store(ip + g->l4_off + 16, tun_csum_fold(s));
		vh.flags = TUN_VNET_F_NEEDS_CSUM;
		vh.gso_type = g->v6 ? TUN_VNET_GSO_TCPV6 : TUN_VNET_GSO_TCPV4;
		vh.hdr_len = (uint16_t)g->hdr_len;
		vh.gso_size = (uint16_t)g->seg;
		vh.csum_start = (uint16_t)g->l4_off;
		vh.csum_offset = 16;
	}
	tun_vnet_hdr_put(g->buf, &vh);
	g->len = 0;
	g->nseg = 0;
	g->closed = false;
	return TUN_VNET_HDR_LEN + len;
}
