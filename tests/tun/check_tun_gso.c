/*
 * tests/tun/check_tun_gso.c: TUN offloads in userspace (tun/tun_gso.c).
 * Super-packets are built here field by field; every checksum of what
 * the module writes is verified with a separate byte-wise RFC 1071 sum
 * over a pseudo-header assembled in the test (ref_* below), never with
 * the module's own helpers.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "tun/tun_gso.h"

#define V 10	/* TUN_VNET_HDR_LEN, spelt out */

static uint8_t in[V + 65535];
static uint8_t out[2048];

/* ---- the reference ------------------------------------------------------ */

static uint32_t
ref_add(uint32_t s, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t
ref_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* The one's complement sum over pseudo-header and segment: 0xffff when
 * the stored checksum is right. */
static uint16_t
ref_l4_sum(const uint8_t *ip, size_t len, size_t l4, uint8_t proto)
{
	uint8_t ph[40];
	size_t l4len = len - l4, n;

	memset(ph, 0, sizeof(ph));
	if ((ip[0] >> 4) == 4) {
		memcpy(ph, ip + 12, 8);
		ph[9] = proto;
		ph[10] = (uint8_t)(l4len >> 8);
		ph[11] = (uint8_t)l4len;
		n = 12;
	} else {
		memcpy(ph, ip + 8, 32);
		return ref_fold(ref_add(ref_add((uint32_t)l4len + proto, ph, 32),
		    ip + l4, l4len));
	}
	return ref_fold(ref_add(ref_add(0, ph, n), ip + l4, l4len));
}

static unsigned
g16(const uint8_t *p)
{
	return (unsigned)(p[0] << 8 | p[1]);
}

static uint32_t
g32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* ---- building super-packets ------------------------------------------ */

static void
vnet(uint8_t *p, uint8_t flags, uint8_t type, uint16_t hdr_len,
    uint16_t gso, uint16_t cs_start, uint16_t cs_off)
{
	struct tun_vnet_hdr h = { flags, type, hdr_len, gso, cs_start, cs_off };

	tun_vnet_hdr_put(p, &h);
}

/* IPv4 192.0.2.2 -> 203.0.113.10, ID 0x1234, DF; returns 20. */
static size_t
ip4(uint8_t *p, size_t total, uint8_t proto)
{
	static const uint8_t h[20] = {
		0x45, 0x00, 0, 0, 0x12, 0x34, 0x40, 0x00, 0x40, 0,
		0, 0, 192, 0, 2, 2, 203, 0, 113, 10,
	};

	memcpy(p, h, 20);
	p[2] = (uint8_t)(total >> 8);
	p[3] = (uint8_t)total;
	p[9] = proto;
	return 20;
}

/* IPv6 2001:db8::2 -> 2001:db8:1::10; returns 40. */
static size_t
ip6(uint8_t *p, size_t total, uint8_t proto)
{
	memset(p, 0, 40);
	p[0] = 0x60;
	p[4] = (uint8_t)((total - 40) >> 8);
	p[5] = (uint8_t)(total - 40);
	p[6] = proto;
	p[7] = 64;
	p[8] = 0x20; p[9] = 0x01; p[10] = 0x0d; p[11] = 0xb8; p[23] = 2;
	p[24] = 0x20; p[25] = 0x01; p[26] = 0x0d; p[27] = 0xb8; p[29] = 1;
	p[39] = 0x10;
	return 40;
}

/* TCP 40000 -> 443, seq 0xfffff000 (wraps), ack 7, with timestamps
 * (NOP NOP TS: 32 octets); returns 32. */
static size_t
tcp(uint8_t *p, uint8_t flags)
{
	static const uint8_t h[32] = {
		0x9c, 0x40, 0x01, 0xbb, 0xff, 0xff, 0xf0, 0x00,
		0, 0, 0, 7, 0x80, 0, 0x01, 0xf5, 0, 0, 0, 0,
		1, 1, 8, 10, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
	};

	memcpy(p, h, 32);
	p[13] = flags;
	return 32;
}

static void
payload(uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 7 + (i >> 8));
}

/* A TCP super-packet; the checksum field holds garbage (the segmenter
 * must not depend on it). */
static size_t
tcp_super(bool v6, size_t pay, uint16_t gso, uint8_t flags)
{
	size_t l4 = v6 ? 40 : 20, total = l4 + 32 + pay;

	if (v6)
		ip6(in + V, total, 6);
	else
		ip4(in + V, total, 6);
	tcp(in + V + l4, flags);
	in[V + l4 + 16] = 0xab;
	payload(in + V + l4 + 32, pay);
	vnet(in, TUN_VNET_F_NEEDS_CSUM, v6 ? TUN_VNET_GSO_TCPV6 :
	    TUN_VNET_GSO_TCPV4, (uint16_t)(l4 + 32), gso, (uint16_t)l4, 16);
	return V + total;
}

/* Segment in[] and check every segment against the original. */
static unsigned
check_tcp_segments(bool v6, size_t pay, size_t mtu, size_t want_seg)
{
	struct tun_gso g;
	size_t l4 = v6 ? 40 : 20, hdr = l4 + 32, len, off = 0;
	unsigned i = 0, nseg;
	uint8_t fl = in[V + l4 + 13];
	int rv;

	ck_assert_int_eq(tun_gso_init(&g, in, V + hdr + pay, mtu), 0);
	nseg = tun_gso_count(&g);
	ck_assert_uint_eq(nseg, (pay + want_seg - 1) / want_seg);
	while ((rv = tun_gso_next(&g, out, sizeof(out), &len)) == 1) {
		bool last = i + 1 == nseg;
		size_t n = last ? pay - off : want_seg;

		ck_assert_uint_le(len, mtu);
		ck_assert_uint_eq(len, hdr + n);
		if (v6) {
			ck_assert_uint_eq(g16(out + 4), len - 40);
		} else {
			ck_assert_uint_eq(g16(out + 2), len);
			ck_assert_uint_eq(g16(out + 4), 0x1234 + i);
			ck_assert_uint_eq(ref_fold(ref_add(0, out, 20)), 0xffff);
		}
		ck_assert_uint_eq(g32(out + l4 + 4), (uint32_t)(0xfffff000u + off));
		ck_assert_uint_eq(out[l4 + 13], (uint8_t)(fl &
		    ~(last ? 0 : 0x09) & ~(i > 0 ? 0x80 : 0)));
		/* options and the rest of the header as they were */
		ck_assert_mem_eq(out + l4 + 8, in + V + l4 + 8, 5);
		ck_assert_mem_eq(out + l4 + 18, in + V + l4 + 18, 14);
		ck_assert_mem_eq(out + hdr, in + V + hdr + off, n);
		ck_assert_uint_eq(ref_l4_sum(out, len, l4, 6), 0xffff);
		off += n;
		i++;
	}
	ck_assert_int_eq(rv, 0);
	ck_assert_uint_eq(i, nseg);
	ck_assert_uint_eq(off, pay);
	return i;
}

START_TEST(gso_tcp4)
{
	/* FIN|PSH|ACK|CWR: CWR on the first only, FIN/PSH on the last. */
	tcp_super(false, 5000, 1448, 0x80 | 0x10 | 0x08 | 0x01);
	ck_assert_uint_eq(check_tcp_segments(false, 5000, 1500, 1448), 4);
}
END_TEST

START_TEST(gso_tcp4_exact)
{
	/* Payload a multiple of gso_size: no short last segment. */
	tcp_super(false, 3 * 1000, 1000, 0x18);
	ck_assert_uint_eq(check_tcp_segments(false, 3000, 1500, 1000), 3);
}
END_TEST

START_TEST(gso_tcp6_shrinks_to_mtu)
{
	/* gso_size larger than the tunnel MTU allows: segments of
	 * 1280 - 40 - 32. */
	tcp_super(true, 60000, 1440, 0x10);
	ck_assert_uint_eq(check_tcp_segments(true, 60000, 1280, 1208),
	    (60000 + 1207) / 1208);
}
END_TEST

START_TEST(gso_tcp_full_64k)
{
	tcp_super(false, 65535 - 52, 1348, 0x18);
	check_tcp_segments(false, 65535 - 52, 1400, 1348);
}
END_TEST

static void
udp_super(bool v6, size_t pay, uint16_t gso)
{
	size_t l4 = v6 ? 40 : 20, total = l4 + 8 + pay;

	if (v6)
		ip6(in + V, total, 17);
	else
		ip4(in + V, total, 17);
	in[V + l4] = 0x13;
	in[V + l4 + 1] = 0x88;
	in[V + l4 + 2] = 0x00;
	in[V + l4 + 3] = 0x35;
	in[V + l4 + 4] = (uint8_t)((8 + pay) >> 8);
	in[V + l4 + 5] = (uint8_t)(8 + pay);
	in[V + l4 + 6] = 0x55;
	payload(in + V + l4 + 8, pay);
	vnet(in, TUN_VNET_F_NEEDS_CSUM, TUN_VNET_GSO_UDP_L4, (uint16_t)(l4 + 8),
	    gso, (uint16_t)l4, 6);
}

START_TEST(gso_udp)
{
	struct tun_gso g;
	bool v6 = _i == 1;
	size_t l4 = v6 ? 40 : 20, len, off = 0, n;
	unsigned i = 0;

	udp_super(v6, 2500, 1000);
	ck_assert_int_eq(tun_gso_init(&g, in, V + l4 + 8 + 2500, 1400), 0);
	ck_assert_uint_eq(tun_gso_count(&g), 3);
	while (tun_gso_next(&g, out, sizeof(out), &len) == 1) {
		n = i < 2 ? 1000 : 500;
		ck_assert_uint_eq(len, l4 + 8 + n);
		ck_assert_uint_eq(g16(out + l4 + 4), 8 + n);
		ck_assert_uint_ne(g16(out + l4 + 6), 0);
		ck_assert_uint_eq(ref_l4_sum(out, len, l4, 17), 0xffff);
		ck_assert_mem_eq(out + l4 + 8, in + V + l4 + 8 + off, n);
		if (!v6)
			ck_assert_uint_eq(g16(out + 4), 0x1234 + i);
		off += n;
		i++;
	}
	ck_assert_uint_eq(i, 3);
	/* Datagrams cannot shrink: over the MTU is refused. */
	ck_assert_int_eq(tun_gso_init(&g, in, V + l4 + 8 + 2500, 1000),
	    IR_ERR_MALFORMED);
}
END_TEST

START_TEST(gso_none_finishes_csum)
{
	struct tun_gso g;
	size_t len, total = 40 + 8 + 333;
	uint32_t ps;
	uint8_t ph[2];

	/* UDPv6 with CHECKSUM_PARTIAL: the field holds the pseudo-header
	 * sum, as the kernel leaves it. */
	ip6(in + V, total, 17);
	memset(in + V + 40, 0, 8);
	in[V + 40 + 4] = (uint8_t)((8 + 333) >> 8);
	in[V + 40 + 5] = (uint8_t)(8 + 333);
	payload(in + V + 48, 333);
	ps = ref_fold(ref_add(8 + 333 + 17, in + V + 8, 32));
	ph[0] = (uint8_t)(ps >> 8);
	ph[1] = (uint8_t)ps;
	memcpy(in + V + 40 + 6, ph, 2);
	vnet(in, TUN_VNET_F_NEEDS_CSUM, TUN_VNET_GSO_NONE, 0, 0, 40, 6);
	ck_assert_int_eq(tun_gso_init(&g, in, V + total, 1400), 0);
	ck_assert_int_eq(tun_gso_next(&g, out, sizeof(out), &len), 1);
	ck_assert_uint_eq(len, total);
	ck_assert_uint_eq(ref_l4_sum(out, len, 40, 17), 0xffff);
	ck_assert_int_eq(tun_gso_next(&g, out, sizeof(out), &len), 0);
	/* Without the flag: copied as it is. */
	vnet(in, 0, TUN_VNET_GSO_NONE, 0, 0, 0, 0);
	ck_assert_int_eq(tun_gso_init(&g, in, V + total, 1400), 0);
	ck_assert_int_eq(tun_gso_next(&g, out, sizeof(out), &len), 1);
	ck_assert_mem_eq(out, in + V, total);
}
END_TEST

START_TEST(gso_refuses)
{
	struct tun_gso g;
	size_t n = tcp_super(false, 3000, 1000, 0x10);
	size_t len;

	ck_assert_int_eq(tun_gso_init(&g, in, 5, 1500), IR_ERR_MALFORMED);
	ck_assert_int_eq(tun_gso_init(&g, in, V, 1500), IR_ERR_MALFORMED);
	/* IP total length disagrees with what was read */
	ck_assert_int_eq(tun_gso_init(&g, in, n - 1, 1500), IR_ERR_MALFORMED);
	/* TCPV6 on an IPv4 packet; UFO; gso_size 0 */
	in[1] = TUN_VNET_GSO_TCPV6;
	ck_assert_int_eq(tun_gso_init(&g, in, n, 1500), IR_ERR_MALFORMED);
	in[1] = TUN_VNET_GSO_UDP;
	ck_assert_int_eq(tun_gso_init(&g, in, n, 1500), IR_ERR_MALFORMED);
	tcp_super(false, 3000, 0, 0x10);
	ck_assert_int_eq(tun_gso_init(&g, in, n, 1500), IR_ERR_MALFORMED);
	/* a fragment */
	tcp_super(false, 3000, 1000, 0x10);
	in[V + 6] |= 0x20;
	ck_assert_int_eq(tun_gso_init(&g, in, n, 1500), IR_ERR_MALFORMED);
	/* TCP data offset past the end; below 5 */
	tcp_super(false, 3000, 1000, 0x10);
	in[V + 20 + 12] = 0x40;
	ck_assert_int_eq(tun_gso_init(&g, in, n, 1500), IR_ERR_MALFORMED);
	/* IPv6 with an extension header */
	n = tcp_super(true, 3000, 1000, 0x10);
	in[V + 6] = 0;
	ck_assert_int_eq(tun_gso_init(&g, in, n, 1500), IR_ERR_MALFORMED);
	/* headers alone fill the MTU */
	n = tcp_super(true, 3000, 1000, 0x10);
	ck_assert_int_eq(tun_gso_init(&g, in, n, 72), IR_ERR_MALFORMED);
	/* a checksum offset outside the packet */
	vnet(in, TUN_VNET_F_NEEDS_CSUM, 0, 0, 0, 60, 0);
	ck_assert_int_eq(tun_gso_init(&g, in, V + 61, 1500), IR_ERR_MALFORMED);
	/* an output buffer too small */
	n = tcp_super(false, 3000, 1000, 0x10);
	ck_assert_int_eq(tun_gso_init(&g, in, n, 1500), 0);
	ck_assert_int_eq(tun_gso_next(&g, out, 100, &len), IR_ERR_NOBUF);
}
END_TEST

/* ---- GRO ---------------------------------------------------------------- */

static struct tun_gro gro;
static uint8_t segs[64][1600];
static size_t seglen[64];

/* Cut in[] into segments (the module's segmenter; its output was
 * verified above) to feed the coalescer. */
static unsigned
cut(size_t n, size_t mtu)
{
	struct tun_gso g;
	unsigned k = 0;

	ck_assert_int_eq(tun_gso_init(&g, in, n, mtu), 0);
	while (tun_gso_next(&g, segs[k], sizeof(segs[k]), &seglen[k]) == 1)
		k++;
	return k;
}

START_TEST(gro_roundtrip)
{
	bool v6 = _i == 1;
	size_t l4 = v6 ? 40 : 20, pay = 20000, n, len;
	const uint8_t *p;
	struct tun_vnet_hdr vh;
	unsigned k, i;
	uint32_t s;

	uint16_t gso = v6 ? 1328 : 1348;	/* 1400 - headers */

	n = tcp_super(v6, pay, gso, 0x18);
	k = cut(n, 1400);
	tun_gro_init(&gro);
	for (i = 0; i < k; i++)
		ck_assert_int_eq(tun_gro_add(&gro, segs[i], seglen[i]),
		    TUN_GRO_HELD);
	len = tun_gro_finish(&gro, &p);
	ck_assert_uint_eq(len, n);
	tun_vnet_hdr_get(p, &vh);
	ck_assert_uint_eq(vh.gso_type, v6 ? TUN_VNET_GSO_TCPV6 :
	    TUN_VNET_GSO_TCPV4);
	ck_assert_uint_eq(vh.flags, TUN_VNET_F_NEEDS_CSUM);
	ck_assert_uint_eq(vh.gso_size, gso);
	ck_assert_uint_eq(vh.hdr_len, l4 + 32);
	ck_assert_uint_eq(vh.csum_start, l4);
	ck_assert_uint_eq(vh.csum_offset, 16);
	p += V;
	/* headers as the original (PSH came back with the last), lengths */
	ck_assert_mem_eq(p + l4, in + V + l4, 16);
	ck_assert_mem_eq(p + l4 + 18, in + V + l4 + 18, 14);
	ck_assert_mem_eq(p + l4 + 32, in + V + l4 + 32, pay);
	if (v6) {
		ck_assert_uint_eq(g16(p + 4), n - V - 40);
	} else {
		ck_assert_uint_eq(g16(p + 2), n - V);
		ck_assert_uint_eq(ref_fold(ref_add(0, p, 20)), 0xffff);
	}
	/* CHECKSUM_PARTIAL: the field is the pseudo-header's sum, so the
	 * sum over the segment with the field taken as is, inverted, is
	 * the full checksum: the reference must then accept it. */
	memcpy(out, p, l4 + 32);
	s = ref_fold(ref_add(0, p + l4, n - V - l4));
	in[0] = (uint8_t)(~s >> 8);
	in[1] = (uint8_t)~s;
	memcpy(segs[0], p, n - V);
	segs[0][l4 + 16] = in[0];
	segs[0][l4 + 17] = in[1];
	ck_assert_uint_eq(ref_l4_sum(segs[0], n - V, l4, 6), 0xffff);
	ck_assert_uint_eq(tun_gro_finish(&gro, &p), 0);
}
END_TEST

START_TEST(gro_flushes)
{
	size_t n, len;
	const uint8_t *p;
	struct tun_vnet_hdr vh;
	unsigned k;

	n = tcp_super(false, 3500, 1000, 0x10);
	k = cut(n, 1500);
	ck_assert_uint_eq(k, 4);
	tun_gro_init(&gro);
	/* out of order: 0 then 2 */
	ck_assert_int_eq(tun_gro_add(&gro, segs[0], seglen[0]), TUN_GRO_HELD);
	ck_assert_int_eq(tun_gro_add(&gro, segs[2], seglen[2]), TUN_GRO_FLUSH);
	len = tun_gro_finish(&gro, &p);
	ck_assert_uint_eq(len, V + seglen[0]);
	tun_vnet_hdr_get(p, &vh);
	ck_assert_uint_eq(vh.gso_type, TUN_VNET_GSO_NONE);
	ck_assert_uint_eq(vh.flags, 0);
	ck_assert_mem_eq(p + V, segs[0], seglen[0]);
	/* another port */
	ck_assert_int_eq(tun_gro_add(&gro, segs[1], seglen[1]), TUN_GRO_HELD);
	segs[2][21] ^= 1;
	ck_assert_int_eq(tun_gro_add(&gro, segs[2], seglen[2]), TUN_GRO_FLUSH);
	segs[2][21] ^= 1;
	/* another ACK number */
	segs[2][20 + 11] ^= 1;
	ck_assert_int_eq(tun_gro_add(&gro, segs[2], seglen[2]), TUN_GRO_FLUSH);
	segs[2][20 + 11] ^= 1;
	/* another timestamp */
	segs[2][20 + 30] ^= 1;
	ck_assert_int_eq(tun_gro_add(&gro, segs[2], seglen[2]), TUN_GRO_FLUSH);
	segs[2][20 + 30] ^= 1;
	/* a bad TCP checksum: never merged; held alone, then flushed */
	segs[2][20 + 16] ^= 1;
	ck_assert_int_eq(tun_gro_add(&gro, segs[2], seglen[2]), TUN_GRO_FLUSH);
	(void)tun_gro_finish(&gro, &p);
	ck_assert_int_eq(tun_gro_add(&gro, segs[2], seglen[2]), TUN_GRO_HELD);
	ck_assert_int_eq(tun_gro_add(&gro, segs[3], seglen[3]), TUN_GRO_FLUSH);
	(void)tun_gro_finish(&gro, &p);
	segs[2][20 + 16] ^= 1;
	/* the short last segment closes it; PSH too */
	ck_assert_int_eq(tun_gro_add(&gro, segs[2], seglen[2]), TUN_GRO_HELD);
	ck_assert_int_eq(tun_gro_add(&gro, segs[3], seglen[3]), TUN_GRO_HELD);
	ck_assert_int_eq(tun_gro_add(&gro, segs[3], seglen[3]), TUN_GRO_FLUSH);
	len = tun_gro_finish(&gro, &p);
	ck_assert_uint_eq(len, V + seglen[2] + seglen[3] - 52);
	tun_vnet_hdr_get(p, &vh);
	ck_assert_uint_eq(vh.gso_size, 1000);
	/* a SYN or a FIN is never merged */
	n = tcp_super(false, 2000, 1000, 0x11);
	k = cut(n, 1500);
	ck_assert_int_eq(tun_gro_add(&gro, segs[0], seglen[0]), TUN_GRO_HELD);
	ck_assert_int_eq(tun_gro_add(&gro, segs[1], seglen[1]), TUN_GRO_FLUSH);
	(void)tun_gro_finish(&gro, &p);
	/* UDP: held alone */
	udp_super(false, 100, 100);
	in[V + 20 + 6] = 0;	/* UDP checksum 0: none */
	in[V + 20 + 7] = 0;
	ck_assert_int_eq(tun_gro_add(&gro, in + V, 128), TUN_GRO_HELD);
	ck_assert_int_eq(tun_gro_add(&gro, in + V, 128), TUN_GRO_FLUSH);
	ck_assert_uint_eq(tun_gro_finish(&gro, &p), V + 128);
	ck_assert_int_eq(tun_gro_add(&gro, in, 65536), IR_ERR_NOBUF);
}
END_TEST

Suite *tun_gso_suite(void);

Suite *
tun_gso_suite(void)
{
	Suite *s = suite_create("tun_gso");
	TCase *tc = tcase_create("gso");

	tcase_add_test(tc, gso_tcp4);
	tcase_add_test(tc, gso_tcp4_exact);
	tcase_add_test(tc, gso_tcp6_shrinks_to_mtu);
	tcase_add_test(tc, gso_tcp_full_64k);
	tcase_add_loop_test(tc, gso_udp, 0, 2);
	tcase_add_test(tc, gso_none_finishes_csum);
	tcase_add_test(tc, gso_refuses);
	suite_add_tcase(s, tc);
	tc = tcase_create("gro");
	tcase_add_loop_test(tc, gro_roundtrip, 0, 2);
	tcase_add_test(tc, gro_flushes);
	suite_add_tcase(s, tc);
	return s;
}
