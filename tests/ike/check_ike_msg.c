/*
 * tests/ike/check_ike_msg.c: the header and chain walk of ike_msg.c and
 * the defensive checks of every payload parser: truncation at every
 * offset, bad lengths, unknown critical payloads (RFC 7296 §2.5), the
 * Delete division check (§3.11), Traffic Selector lengths (§3.13.1),
 * empty and oversized payloads, and the per-exchange rules.
 */
#include <check.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "ike/ike_msg.h"
#include "tests/check_util.h"
#include "tests/ike/ike_test_util.h"

/* Real messages (tests/vectors/, see VERIFY-RESULT.txt). */
static const char *const trunc_msgs[] = {
	"strongswan-psk-udp/aesgcm128-prfsha256-x25519/01-IKE_SA_INIT-req.hex",
	"strongswan-psk-udp/aescbc128-sha256-modp2048/02-IKE_SA_INIT-resp.hex",
	"strongswan-eap-udp/aesgcm128-prfsha256-x25519/02-IKE_SA_INIT-resp.hex",
	"libreswan-psk-tcp/01-IKE_SA_INIT-req.hex",
	"libreswan-psk-tcp/02-IKE_SA_INIT-resp.hex",
	"libreswan-psk-tcp/04-IKE_AUTH-resp.hex",
};

/*
 * Cut the message at every offset and patch the header's Length to the
 * cut: every prefix must be refused, wherever the cut falls (inside a
 * header, a payload body, a proposal, a transform or on a boundary).
 */
START_TEST(msg_truncate_every_offset)
{
	struct tbuf v = t_vec_hex(trunc_msgs[_i]);
	struct ike_msg *m = t_msg();
	uint8_t *cut = t_alloc(v.len);
	size_t n;

	ck_assert_int_eq(ike_msg_parse(m, v.p, v.len), 0);
	for (n = 0; n < v.len; n++) {
		memcpy(cut, v.p, n);
		if (n >= IKE_HDR_LEN)
			wire_put_u32(cut + 24, (uint32_t)n);
		ck_assert_msg(ike_msg_parse(m, cut, n) != 0,
		    "%s: prefix of %zu octets accepted", trunc_msgs[_i], n);
	}
}
END_TEST

static const struct {
	const char	*file;
	uint8_t		 first;
} trunc_inner[] = {
	{ "strongswan-psk-udp/aesgcm128-prfsha256-x25519/03-IKE_AUTH-req.inner.hex", IKE_PLD_IDI },
	{ "strongswan-eap-udp/aesgcm128-prfsha256-x25519/04-IKE_AUTH-resp.inner.hex", IKE_PLD_IDR },
	{ "libreswan-psk-tcp/03-IKE_AUTH-req.inner.hex", IKE_PLD_IDI },
};

START_TEST(msg_truncate_inner_every_offset)
{
	struct tbuf v = t_vec_hex(trunc_inner[_i].file);
	struct ike_msg *m = t_msg();
	struct tbuf cut;

	ck_assert_int_eq(t_parse_chain(m, trunc_inner[_i].first, v), 0);
	for (cut.len = 0; cut.len < v.len; cut.len++) {
		cut.p = t_alloc(cut.len + 1);	/* exact-size copy for ASan */
		memcpy(cut.p, v.p, cut.len);
		ck_assert_msg(t_parse_chain(m, trunc_inner[_i].first, cut) != 0,
		    "%s: prefix of %zu accepted", trunc_inner[_i].file, cut.len);
	}
}
END_TEST

START_TEST(msg_header_bad)
{
	struct tbuf v = t_vec_hex(trunc_msgs[0]);
	struct ike_msg *m = t_msg();
	uint8_t *c = t_alloc(v.len + 1);

	/* Shorter than a header; Length not the datagram's length. */
	ck_assert_int_eq(ike_msg_parse(m, v.p, 27), IR_ERR_MALFORMED);
	memcpy(c, v.p, v.len);
	c[v.len] = 0;
	ck_assert_int_eq(ike_msg_parse(m, c, v.len + 1), IR_ERR_MALFORMED);
	wire_put_u32(c + 24, (uint32_t)v.len - 1);
	ck_assert_int_eq(ike_msg_parse(m, c, v.len), IR_ERR_MALFORMED);
	wire_put_u32(c + 24, (uint32_t)v.len);
	/* §3.1: major version 3 gets INVALID_MAJOR_VERSION; IKEv1 nothing. */
	c[17] = 0x30;
	ck_assert_int_eq(ike_msg_parse(m, c, v.len), IR_ERR_UNSUPPORTED);
	ck_assert_uint_eq(m->err_notify, IKE_N_INVALID_MAJOR_VERSION);
	c[17] = 0x10;
	ck_assert_int_eq(ike_msg_parse(m, c, v.len), IR_ERR_UNSUPPORTED);
	ck_assert_uint_eq(m->err_notify, 0);
	c[17] = 0x21;			/* a minor version is ignored */
	ck_assert_int_eq(ike_msg_parse(m, c, v.len), 0);
	c[17] = 0x20;
	memset(c, 0, 8);		/* SPIi must not be zero */
	ck_assert_int_eq(ike_msg_parse(m, c, v.len), IR_ERR_MALFORMED);
}
END_TEST

START_TEST(msg_payload_length_bad)
{
	struct ike_msg *m = t_msg();
	uint16_t bad[] = { 0, 1, 2, 3, 0xffff };
	size_t i;

	for (i = 0; i < IR_ARRAY_LEN(bad); i++) {
		struct tbuf c = t_vec_hex(trunc_msgs[0]);

		wire_put_u16(c.p + IKE_HDR_LEN + 2, bad[i]);
		ck_assert_int_eq(ike_msg_parse(m, c.p, c.len), IR_ERR_MALFORMED);
		ck_assert_uint_eq(m->err_notify, IKE_N_INVALID_SYNTAX);
		ck_assert_ptr_nonnull(m->err_why);
	}
}
END_TEST

/* The last payload says another follows, or octets trail the chain. */
START_TEST(msg_chain_overrun)
{
	struct tmsg t;
	struct tbuf b;
	struct ike_msg *m = t_msg();

	tm_begin(&t, IKE_EXCH_INFORMATIONAL, 0, 1);
	tm_fill(&t, IKE_PLD_VENDOR, 8, 0xaa);
	b = tm_end(&t);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	b.p[IKE_HDR_LEN] = IKE_PLD_NOTIFY;	/* Next Payload: nothing there */
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), IR_ERR_MALFORMED);
	b.p[IKE_HDR_LEN] = 0;
	b.p[b.len] = 0;				/* one octet after the chain */
	wire_put_u32(b.p + 24, (uint32_t)b.len + 1);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len + 1), IR_ERR_MALFORMED);
}
END_TEST

START_TEST(msg_critical_unknown)
{
	struct tmsg t;
	struct tbuf b;
	struct ike_msg *m = t_msg();

	/* §2.5: an unknown payload with C set rejects the message... */
	tm_begin(&t, IKE_EXCH_IKE_SA_INIT, IKE_FLAG_INITIATOR, 0);
	tm_fill(&t, IKE_PLD_NONCE, 32, 1);
	tm_raw(&t, 200, IKE_PLD_CRITICAL, "0102030405");
	tm_raw(&t, IKE_PLD_NOTIFY, 0, "00004006");
	b = tm_end(&t);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), IR_ERR_UNSUPPORTED);
	ck_assert_uint_eq(m->err_notify, IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD);
	ck_assert_uint_eq(m->err_pld, 200);

	/* ...without C it is skipped, and the chain goes on after it. */
	b.p[IKE_HDR_LEN + 4 + 32 + 1] = 0;
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_uint_eq(m->npld, 2);
	ck_assert_uint_eq(m->pld[1].type, IKE_PLD_NOTIFY);
	ck_assert_uint_eq(m->notify[0].type, IKE_N_COOKIE);

	/* GSPM has a number but no parser here: it counts as unknown. */
	tm_begin(&t, IKE_EXCH_IKE_AUTH, IKE_FLAG_INITIATOR, 1);
	tm_raw(&t, IKE_PLD_GSPM, IKE_PLD_CRITICAL, "00");
	b = tm_end(&t);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), IR_ERR_UNSUPPORTED);
	ck_assert_uint_eq(m->err_pld, IKE_PLD_GSPM);

	/* The C bit of a known payload is ignored (and reported). */
	tm_begin(&t, IKE_EXCH_INFORMATIONAL, 0, 1);
	tm_raw(&t, IKE_PLD_VENDOR, IKE_PLD_CRITICAL, "0102");
	b = tm_end(&t);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert(m->pld[0].critical);
}
END_TEST

/* §3.11 and STYLE.md: SPI count checked by division. */
static const struct {
	const char	*body;
	int		 rv;
} del_vecs[] = {
	{ "01000000", 0 },			/* delete the IKE SA */
	{ "01000001", IR_ERR_MALFORMED },	/* SPI count with size 0 */
	{ "0100000000", IR_ERR_MALFORMED },	/* octets with size 0 */
	{ "0304000211111111 22222222", 0 },
	{ "0304000211111111 222222", IR_ERR_MALFORMED },
	{ "0304000311111111 22222222", IR_ERR_MALFORMED },
	{ "0304000111111111 22222222", IR_ERR_MALFORMED },
	{ "0304ffff11111111", IR_ERR_MALFORMED },
	{ "0304000022", IR_ERR_MALFORMED },
	{ "0104000111111111", IR_ERR_MALFORMED },	/* IKE with an SPI */
	{ "030800011111111111111111", IR_ERR_MALFORMED }, /* ESP, size 8 */
	{ "0903000211111122 2222", 0 },		/* unknown protocol */
	{ "030400", IR_ERR_MALFORMED },
	{ "", IR_ERR_MALFORMED },
};

START_TEST(msg_delete_division)
{
	struct tbuf body = t_hex(del_vecs[_i].body);
	struct ike_pld_delete d;
	struct wire_rd r;
	const char *why = NULL;
	struct tmsg t;
	struct tbuf b;
	struct ike_msg *m = t_msg();

	wire_rd_init(&r, body.p, body.len);
	ck_assert_int_eq(ike_pld_delete_parse(r, &d, &why), del_vecs[_i].rv);
	if (del_vecs[_i].rv == 0)
		ck_assert_uint_eq(d.spis.len, (size_t)d.nspi * d.spi_size);
	else
		ck_assert_ptr_nonnull(why);
	/* The same through an INFORMATIONAL inner chain. */
	tm_chain(&t);
	tm_raw(&t, IKE_PLD_DELETE, 0, del_vecs[_i].body);
	b = tm_chain_end(&t);
	ck_assert_int_eq(t_parse_chain(m, t.mw.first_type, b),
	    del_vecs[_i].rv);
}
END_TEST

/* §3.13.1: Selector Length 16 (IPv4) or 40 (IPv6), counts exact. */
#define V4SEL	"07000010 0000ffff c0000200 c00002ff"
#define V6SEL	"08060028 00500050 20010db8000000000000000000000000" \
		"20010db8ffffffffffffffffffffffff"
static const struct {
	const char	*body;
	int		 rv;
	uint8_t		 nts;
} ts_vecs[] = {
	{ "01000000" V4SEL, 0, 1 },
	{ "02000000" V4SEL V6SEL, 0, 2 },
	{ "01000000 0700000f 0000ffff c0000200 c00002", IR_ERR_MALFORMED, 0 },
	{ "01000000 07000011 0000ffff c0000200 c00002ff 00", IR_ERR_MALFORMED, 0 },
	{ "01000000 08000010 0000ffff c0000200 c00002ff", IR_ERR_MALFORMED, 0 },
	{ "01000000 07000028 0000ffff" "20010db8000000000000000000000000"
	  "20010db8ffffffffffffffffffffffff", IR_ERR_MALFORMED, 0 },
	{ "02000000" V4SEL, IR_ERR_MALFORMED, 0 },	/* count too high */
	{ "00000000", IR_ERR_MALFORMED, 0 },		/* no selector */
	{ "01000000" V4SEL "00", IR_ERR_MALFORMED, 0 },	/* trailing */
	{ "01000000 09000010 0000ffff c0000200 c00002ff", IR_ERR_MALFORMED, 0 },
	{ "01000000 07000010 0000ffff c0000200", IR_ERR_MALFORMED, 0 },
	{ "0100", IR_ERR_MALFORMED, 0 },
	{ "11000000" V4SEL, IR_ERR_MALFORMED, 0 },	/* 17 > capacity */
};

START_TEST(msg_ts_lengths)
{
	struct tbuf body = t_hex(ts_vecs[_i].body);
	struct ike_pld_ts_list *l = t_alloc(sizeof(*l));
	struct wire_rd r;
	const char *why = NULL;

	wire_rd_init(&r, body.p, body.len);
	ck_assert_int_eq(ike_pld_ts_parse(r, l, &why), ts_vecs[_i].rv);
	if (ts_vecs[_i].rv == 0) {
		ck_assert_uint_eq(l->nts, ts_vecs[_i].nts);
		ck_assert_uint_eq(l->ts[0].start.len, 4);
		ck_assert_uint_eq(l->ts[0].end_port, 0xffff);
		ck_assert_uint_eq(l->ts[0].start.p[3], 0x00);
		ck_assert_uint_eq(l->ts[0].end.p[3], 0xff);
	}
}
END_TEST

/* An empty body is malformed for every payload that has fields. */
static const uint8_t empty_bad[] = {
	IKE_PLD_SA, IKE_PLD_KE, IKE_PLD_IDI, IKE_PLD_IDR, IKE_PLD_CERT,
	IKE_PLD_CERTREQ, IKE_PLD_AUTH, IKE_PLD_NONCE, IKE_PLD_NOTIFY,
	IKE_PLD_DELETE, IKE_PLD_VENDOR, IKE_PLD_TSI, IKE_PLD_TSR, IKE_PLD_CP,
	IKE_PLD_EAP, IKE_PLD_SKF,
};

START_TEST(msg_empty_payloads)
{
	struct tmsg t;
	struct tbuf b;
	struct ike_msg *m = t_msg();

	tm_begin(&t, IKE_EXCH_INFORMATIONAL, 0, 1);
	tm_raw(&t, empty_bad[_i], 0, "");
	b = tm_end(&t);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), IR_ERR_MALFORMED);
	ck_assert_uint_eq(m->err_notify, IKE_N_INVALID_SYNTAX);
}
END_TEST

/* Payload bodies that are wrong in one field each. */
static const struct {
	uint8_t		 type;
	const char	*body;
	int		 rv;
} bad_bodies[] = {
	/* SA: a good one, then broken proposals and transforms. */
	{ IKE_PLD_SA, "00000018 01010002 03000008 01000014 00000008 0400001f", 0 },
	{ IKE_PLD_SA, "00000007 01010000", IR_ERR_MALFORMED },
	{ IKE_PLD_SA, "00000018 01010002 03000007 01000014 00000008 0400001f", IR_ERR_MALFORMED },
	{ IKE_PLD_SA, "00000018 01010003 03000008 01000014 00000008 0400001f", IR_ERR_MALFORMED },
	{ IKE_PLD_SA, "00000018 01010002 00000008 01000014 00000008 0400001f", IR_ERR_MALFORMED },
	{ IKE_PLD_SA, "02000018 01010002 03000008 01000014 00000008 0400001f", IR_ERR_MALFORMED },
	{ IKE_PLD_SA, "00000019 01010002 03000008 01000014 00000008 0400001f", IR_ERR_MALFORMED },
	{ IKE_PLD_SA, "0000001b 01030302 aabbcc 03000008 01000014 00000008 0400001f", IR_ERR_MALFORMED },
	{ IKE_PLD_SA, "00000018 01030401 aabbccdd 0000000c 0100000c 800e0080", 0 },
	{ IKE_PLD_SA, "00000018 01030401 aabbccdd 0000000c 0100000c 000e0080", IR_ERR_MALFORMED },
	{ IKE_PLD_SA, "00000014 01030401 aabbccdd 0000000c 0100000c", IR_ERR_MALFORMED },
	/* Nonce: 16 to 256 octets (§3.9). */
	{ IKE_PLD_NONCE, "000102030405060708090a0b0c0d0e", IR_ERR_MALFORMED },
	{ IKE_PLD_NONCE, "000102030405060708090a0b0c0d0e0f", 0 },
	/* KE without data; ID, AUTH shorter than their fixed part. */
	{ IKE_PLD_KE, "001f0000", IR_ERR_MALFORMED },
	{ IKE_PLD_IDI, "020000", IR_ERR_MALFORMED },
	{ IKE_PLD_IDI, "02000000", 0 },
	{ IKE_PLD_AUTH, "02000000", IR_ERR_MALFORMED },
	/* N: SPI Size beyond the payload. */
	{ IKE_PLD_NOTIFY, "03044009 aabbcc", IR_ERR_MALFORMED },
	{ IKE_PLD_NOTIFY, "03044009 aabbccdd", 0 },
	{ IKE_PLD_NOTIFY, "00ff4006 00", IR_ERR_MALFORMED },
	/* CP: attribute overruns; R bit ignored. */
	{ IKE_PLD_CP, "01000000 00010004 c633", IR_ERR_MALFORMED },
	{ IKE_PLD_CP, "01000000 80010000 0003", IR_ERR_MALFORMED },
	{ IKE_PLD_CP, "01000000 80010000 00030000", 0 },
	/* EAP: Length must match; Success is 4 octets; known codes. */
	{ IKE_PLD_EAP, "01010006 0161", 0 },
	{ IKE_PLD_EAP, "01010006 0161 62", IR_ERR_MALFORMED },
	{ IKE_PLD_EAP, "01010005 01", 0 },
	{ IKE_PLD_EAP, "01010004", IR_ERR_MALFORMED },
	{ IKE_PLD_EAP, "03010005 00", IR_ERR_MALFORMED },
	{ IKE_PLD_EAP, "03010004", 0 },
	{ IKE_PLD_EAP, "05010004", IR_ERR_MALFORMED },
	/* SKF: 1 <= number <= total. */
	{ IKE_PLD_SKF, "00000001 00", IR_ERR_MALFORMED },
	{ IKE_PLD_SKF, "00030002 00", IR_ERR_MALFORMED },
	{ IKE_PLD_SKF, "00010000 00", IR_ERR_MALFORMED },
	{ IKE_PLD_SKF, "00020002 00", 0 },
	{ IKE_PLD_VENDOR, "00", 0 },
};

START_TEST(msg_bad_bodies)
{
	struct tmsg t;
	struct tbuf b;
	struct ike_msg *m = t_msg();

	tm_begin(&t, IKE_EXCH_INFORMATIONAL, 0, 1);
	tm_raw(&t, bad_bodies[_i].type, 0, bad_bodies[_i].body);
	b = tm_end(&t);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), bad_bodies[_i].rv);
}
END_TEST

START_TEST(msg_oversized)
{
	struct tmsg t;
	struct tbuf b;
	struct ike_msg *m = t_msg();
	size_t i;

	/* A payload of the largest length (65535) parses. */
	tm_begin(&t, IKE_EXCH_INFORMATIONAL, 0, 1);
	tm_fill(&t, IKE_PLD_VENDOR, 0xffff - 4, 0x55);
	b = tm_end(&t);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_uint_eq(m->vendor[0].len, 0xffff - 4);

	/* Nonce of 256 is the maximum, 257 is refused. */
	tm_begin(&t, IKE_EXCH_IKE_SA_INIT, IKE_FLAG_INITIATOR, 0);
	tm_fill(&t, IKE_PLD_NONCE, 256, 1);
	b = tm_end(&t);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	tm_begin(&t, IKE_EXCH_IKE_SA_INIT, IKE_FLAG_INITIATOR, 0);
	tm_fill(&t, IKE_PLD_NONCE, 257, 1);
	b = tm_end(&t);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), IR_ERR_MALFORMED);

	/* More Notifies than IKE_MSG_MAX_NOTIFY, more payloads than
	 * IKE_MSG_MAX_PLD: refused, not truncated. */
	tm_begin(&t, IKE_EXCH_INFORMATIONAL, 0, 1);
	for (i = 0; i < IKE_MSG_MAX_NOTIFY + 1; i++)
		tm_raw(&t, IKE_PLD_NOTIFY, 0, "00004006");
	b = tm_end(&t);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), IR_ERR_MALFORMED);
	tm_begin(&t, IKE_EXCH_INFORMATIONAL, 0, 1);
	for (i = 0; i < IKE_MSG_MAX_PLD + 1; i++)
		tm_raw(&t, i % 2 ? IKE_PLD_TSI : IKE_PLD_TSR, 0, "01000000" V4SEL);
	b = tm_end(&t);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), IR_ERR_MALFORMED);

	/* CP with more attributes than it holds. */
	tm_begin(&t, IKE_EXCH_INFORMATIONAL, 0, 1);
	{
		size_t start = ike_pld_begin(&t.mw, IKE_PLD_CP);

		wire_wr_u32(&t.w, 0x01000000);
		for (i = 0; i < IKE_PLD_MAX_CP_ATTRS + 1; i++)
			wire_wr_u32(&t.w, 0x00030000);
		ck_assert_int_eq(ike_pld_end(&t.mw, start), 0);
	}
	b = tm_end(&t);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), IR_ERR_MALFORMED);
}
END_TEST

START_TEST(msg_sk_placement)
{
	struct tmsg t;
	struct tbuf b, inner;
	struct ike_msg *m = t_msg();

	/* SK must be last (§3.14). */
	tm_begin(&t, IKE_EXCH_INFORMATIONAL, 0, 1);
	tm_fill(&t, IKE_PLD_SK, 40, 0);
	b = tm_end(&t);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_uint_eq(m->sk.off, IKE_HDR_LEN);
	ck_assert_uint_eq(m->sk.body.len, 40);
	b.p[b.len] = 0;
	wire_put_u32(b.p + 24, (uint32_t)b.len + 1);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len + 1), IR_ERR_MALFORMED);

	/* SK or SKF inside the decrypted chain. */
	tm_chain(&t);
	tm_fill(&t, IKE_PLD_SK, 20, 0);
	inner = tm_chain_end(&t);
	ck_assert_int_eq(t_parse_chain(m, IKE_PLD_SK, inner), IR_ERR_MALFORMED);
	tm_chain(&t);
	tm_raw(&t, IKE_PLD_SKF, 0, "00010001 00");
	inner = tm_chain_end(&t);
	ck_assert_int_eq(t_parse_chain(m, IKE_PLD_SKF, inner),
	    IR_ERR_MALFORMED);
}
END_TEST

/* ---- Rules ----------------------------------------------------------- */

START_TEST(msg_rules_init)
{
	struct tmsg t;
	struct tbuf b;
	struct ike_msg *m = t_msg();

	/* IKE_SA_INIT response of only N(COOKIE): sufficient (§2.6). */
	tm_begin(&t, IKE_EXCH_IKE_SA_INIT, IKE_FLAG_RESPONSE, 0);
	tm_raw(&t, IKE_PLD_NOTIFY, 0, "00004006 0102030405060708");
	b = tm_end(&t);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_int_eq(ike_msg_check_rules(m), 0);
	/* N(INVALID_KE_PAYLOAD) with the group, alone (§1.3). */
	tm_begin(&t, IKE_EXCH_IKE_SA_INIT, IKE_FLAG_RESPONSE, 0);
	tm_raw(&t, IKE_PLD_NOTIFY, 0, "00000011 000e");
	b = tm_end(&t);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_int_eq(ike_msg_check_rules(m), 0);
	{
		uint16_t g;

		ck_assert_int_eq(ike_pld_notify_u16(
		    ike_msg_notify(m, IKE_N_INVALID_KE_PAYLOAD), &g), 0);
		ck_assert_uint_eq(g, 14);
	}
	/* A status Notify that is not sufficient: SA, KE, Nr missing. */
	tm_begin(&t, IKE_EXCH_IKE_SA_INIT, IKE_FLAG_RESPONSE, 0);
	tm_raw(&t, IKE_PLD_NOTIFY, 0, "00004004 0102");
	b = tm_end(&t);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_int_eq(ike_msg_check_rules(m), IR_ERR_MALFORMED);
	/* A request is never "sufficient". */
	tm_begin(&t, IKE_EXCH_IKE_SA_INIT, IKE_FLAG_INITIATOR, 0);
	tm_raw(&t, IKE_PLD_NOTIFY, 0, "00004006 0102030405060708");
	b = tm_end(&t);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_int_eq(ike_msg_check_rules(m), IR_ERR_MALFORMED);
	/* SK in IKE_SA_INIT. */
	tm_begin(&t, IKE_EXCH_IKE_SA_INIT, IKE_FLAG_RESPONSE, 0);
	tm_raw(&t, IKE_PLD_NOTIFY, 0, "00004006 0102030405060708");
	tm_fill(&t, IKE_PLD_SK, 40, 0);
	b = tm_end(&t);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_int_eq(ike_msg_check_rules(m), IR_ERR_MALFORMED);
}
END_TEST

START_TEST(msg_rules_protected)
{
	struct tmsg t;
	struct tbuf b, inner;
	struct ike_msg *m = t_msg();

	/* INFORMATIONAL with a plain N (no SK). */
	tm_begin(&t, IKE_EXCH_INFORMATIONAL, 0, 1);
	tm_raw(&t, IKE_PLD_NOTIFY, 0, "00004006 01");
	b = tm_end(&t);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_int_eq(ike_msg_check_rules(m), IR_ERR_MALFORMED);

	/* SK whose (pretend-decrypted) chain holds a KE: not allowed in
	 * INFORMATIONAL; a D is. */
	tm_begin(&t, IKE_EXCH_INFORMATIONAL, 0, 1);
	tm_fill(&t, IKE_PLD_SK, 40, 0);
	b = tm_end(&t);
	tm_chain(&t);
	tm_raw(&t, IKE_PLD_KE, 0, "001f0000 01");
	inner = tm_chain_end(&t);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_int_eq(ike_msg_parse_inner(m, IKE_PLD_KE, inner.p,
	    inner.len), 0);
	ck_assert_int_eq(ike_msg_check_rules(m), IR_ERR_MALFORMED);
	tm_chain(&t);
	tm_raw(&t, IKE_PLD_DELETE, 0, "01000000");
	inner = tm_chain_end(&t);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_int_eq(ike_msg_parse_inner(m, IKE_PLD_DELETE, inner.p,
	    inner.len), 0);
	ck_assert_int_eq(ike_msg_check_rules(m), 0);

	/* CREATE_CHILD_SA response: two Nonces; then only an error N. */
	tm_chain(&t);
	tm_fill(&t, IKE_PLD_NONCE, 32, 1);
	tm_fill(&t, IKE_PLD_NONCE, 32, 2);
	inner = tm_chain_end(&t);
	b.p[18] = IKE_EXCH_CREATE_CHILD_SA;
	b.p[19] = IKE_FLAG_RESPONSE;
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_int_eq(ike_msg_parse_inner(m, IKE_PLD_NONCE, inner.p,
	    inner.len), 0);
	ck_assert_int_eq(ike_msg_check_rules(m), IR_ERR_MALFORMED);
	tm_chain(&t);
	tm_raw(&t, IKE_PLD_NOTIFY, 0, "0000000e");
	inner = tm_chain_end(&t);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_int_eq(ike_msg_parse_inner(m, IKE_PLD_NOTIFY, inner.p,
	    inner.len), 0);
	ck_assert_int_eq(ike_msg_check_rules(m), 0);

	/* An exchange without rules. */
	b.p[18] = 99;
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_int_eq(ike_msg_check_rules(m), IR_ERR_UNSUPPORTED);
}
END_TEST

Suite *ike_msg_suite(void);

Suite *
ike_msg_suite(void)
{
	Suite *s = suite_create("ike_msg");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, msg_truncate_every_offset, 0,
	    IR_ARRAY_LEN(trunc_msgs));
	tcase_add_loop_test(tc, msg_truncate_inner_every_offset, 0,
	    IR_ARRAY_LEN(trunc_inner));
	tcase_add_test(tc, msg_header_bad);
	tcase_add_test(tc, msg_payload_length_bad);
	tcase_add_test(tc, msg_chain_overrun);
	tcase_add_test(tc, msg_critical_unknown);
	tcase_add_loop_test(tc, msg_delete_division, 0,
	    IR_ARRAY_LEN(del_vecs));
	tcase_add_loop_test(tc, msg_ts_lengths, 0, IR_ARRAY_LEN(ts_vecs));
	tcase_add_loop_test(tc, msg_empty_payloads, 0,
	    IR_ARRAY_LEN(empty_bad));
	tcase_add_loop_test(tc, msg_bad_bodies, 0, IR_ARRAY_LEN(bad_bodies));
	tcase_add_test(tc, msg_oversized);
	tcase_add_test(tc, msg_sk_placement);
	suite_add_tcase(s, tc);
	tc = tcase_create("rules");
	tcase_add_test(tc, msg_rules_init);
	tcase_add_test(tc, msg_rules_protected);
	suite_add_tcase(s, tc);
	return s;
}
