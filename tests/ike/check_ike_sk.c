/*
 * tests/ike/check_ike_sk.c: the Encrypted payload (RFC 7296 §3.14) and
 * fragments (RFC 7383): seal -> open round trips with every transform
 * crypto_xform offers, tampering anywhere in the message, Pad Length
 * checks (and tolerance of any pad octets), lengths that do not fit the
 * transform, fragment sealing, reassembly and its bounds.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto.h"
#include "ike/ike_msg.h"
#include "tests/check_util.h"
#include "tests/ike/ike_test_util.h"

static const struct sk_alg {
	const char	*name;
	uint16_t	 encr, key_bits, integ;
	size_t		 ek_len, ak_len;
} sk_algs[] = {
	{ "AES-GCM-16-128", 20, 128, 0, 20, 0 },
	{ "AES-GCM-16-256", 20, 256, 0, 36, 0 },
	{ "ChaCha20-Poly1305", 28, 0, 0, 36, 0 },
	{ "AES-CBC-128/HMAC-SHA2-256-128", 12, 128, 12, 16, 32 },
	{ "AES-CBC-256/HMAC-SHA2-512-256", 12, 256, 14, 32, 64 },
	{ "AES-CBC-128/HMAC-SHA1-96", 12, 128, 2, 16, 20 },
};

static struct crypto_xform *
sk_xform(const struct sk_alg *a, uint8_t seed)
{
	uint8_t ek[64], ak[64];
	struct crypto_xform *x = NULL;
	size_t i;

	for (i = 0; i < sizeof(ek); i++) {
		ek[i] = (uint8_t)(seed + i);
		ak[i] = (uint8_t)(seed * 3 + i);
	}
	ck_assert_int_eq(crypto_xform_new(&x, a->encr, a->key_bits, a->integ,
	    ek, a->ek_len, ak, a->ak_len), 0);
	return x;
}

static const uint8_t iv16[16] = { 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16,
	0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f };

/* INFORMATIONAL { SK { V(len bytes), D(IKE) } }, sealed with |x|. */
static struct tbuf
sk_message(struct crypto_xform *x, size_t vlen)
{
	static const uint8_t vid[64] = { 0x56 };
	struct tmsg t;
	struct tbuf b;

	tm_begin(&t, IKE_EXCH_INFORMATIONAL, IKE_FLAG_INITIATOR, 7);
	ck_assert_int_eq(ike_sk_begin(&t.mw, x), 0);
	if (vlen > 0)
		ck_assert_int_eq(ike_pld_vendor_build(&t.mw, vid, vlen), 0);
	ck_assert_int_eq(ike_pld_delete_build(&t.mw, IKE_PROTO_IKE, 0, 0,
	    NULL), 0);
	ck_assert_int_eq(ike_sk_seal(&t.mw, x, iv16), 0);
	b.p = t.buf;
	b.len = t.w.len;
	return b;
}

START_TEST(sk_roundtrip)
{
	const struct sk_alg *a = &sk_algs[_i];
	struct crypto_xform *tx = sk_xform(a, 1), *rx = sk_xform(a, 1);
	struct ike_msg *m = t_msg();
	size_t vlen, body, ct;
	struct tbuf b;

	for (vlen = 0; vlen <= 40; vlen++) {
		b = sk_message(tx, vlen);
		ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
		ck_assert_uint_eq(m->hdr.length, b.len);
		ck_assert_uint_eq(m->sk.next_type,
		    vlen ? IKE_PLD_VENDOR : IKE_PLD_DELETE);
		/* §3.14: the encrypted part is whole blocks. */
		body = m->sk.body.len;
		ct = body - crypto_xform_iv_len(rx) - crypto_xform_icv_len(rx);
		ck_assert_uint_eq(ct % crypto_xform_block_len(rx), 0);
		ck_assert_mem_eq(m->sk.body.p, iv16, crypto_xform_iv_len(rx));
		ck_assert_int_eq(ike_msg_open(m, rx, b.p), 0);
		ck_assert_uint_eq(m->nvendor, vlen ? 1 : 0);
		ck_assert_uint_eq(m->ndel, 1);
		ck_assert_uint_eq(m->del[0].proto, IKE_PROTO_IKE);
		ck_assert_int_eq(ike_msg_check_rules(m), 0);
	}
	crypto_xform_free(tx);
	crypto_xform_free(rx);
}
END_TEST

/* Every bit of the message is covered: header, SK header, IV, data,
 * ICV.  A flip either breaks parsing or the ICV, never both pass. */
START_TEST(sk_tamper)
{
	const struct sk_alg *a = &sk_algs[_i];
	struct crypto_xform *tx = sk_xform(a, 2), *rx = sk_xform(a, 2);
	struct ike_msg *m = t_msg();
	struct tbuf good = sk_message(tx, 13), b;
	size_t i;

	b.p = t_alloc(good.len);
	b.len = good.len;
	for (i = 0; i < good.len; i++) {
		memcpy(b.p, good.p, good.len);
		b.p[i] ^= 0x01;
		if (ike_msg_parse(m, b.p, b.len) != 0)
			continue;
		ck_assert_msg(ike_msg_open(m, rx, b.p) != 0,
		    "%s: flip at %zu accepted", a->name, i);
	}
	/* A key for the other direction does not open it either. */
	crypto_xform_free(rx);
	rx = sk_xform(a, 3);
	memcpy(b.p, good.p, good.len);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_int_eq(ike_msg_open(m, rx, b.p), IR_ERR_DECRYPT);
	crypto_xform_free(tx);
	crypto_xform_free(rx);
}
END_TEST

/*
 * A hand-sealed SK whose plaintext is |inner| (hex, padding and Pad
 * Length included), to test what ike_sk_seal() never produces.
 */
static struct tbuf
sk_hand(struct crypto_xform *x, uint8_t next, const char *inner)
{
	struct tbuf pt = t_hex(inner);
	size_t iv_len = crypto_xform_iv_len(x), icv = crypto_xform_icv_len(x);
	struct tmsg t;
	size_t start, iv_at;
	uint8_t *data;

	tm_begin(&t, IKE_EXCH_INFORMATIONAL, IKE_FLAG_INITIATOR, 1);
	start = ike_pld_begin(&t.mw, IKE_PLD_SK);
	t.buf[start] = next;
	iv_at = t.w.len;
	wire_wr_bytes(&t.w, iv16, iv_len);
	data = t.buf + t.w.len;
	wire_wr_bytes(&t.w, pt.p, pt.len);
	wire_wr_zero(&t.w, icv);
	ck_assert_int_eq(ike_pld_end(&t.mw, start), 0);
	ck_assert_int_eq(ike_msg_wr_finish(&t.mw), 0);
	ck_assert_int_eq(crypto_xform_seal(x, t.buf, iv_at, NULL, 0, iv16,
	    data, pt.len, data + pt.len), 0);
	return (struct tbuf){ t.buf, t.w.len };
}

START_TEST(sk_pad_length)
{
	struct crypto_xform *cbc = sk_xform(&sk_algs[3], 4);
	struct crypto_xform *gcm = sk_xform(&sk_algs[0], 4);
	struct ike_msg *m = t_msg();
	struct ike_span plain;
	struct tbuf b;

	/* Random pad octets (as strongSwan sends) are accepted: D(IKE)
	 * of 8 octets, 7 pad octets b6 48 0a 03 .., Pad Length 7. */
	b = sk_hand(cbc, IKE_PLD_DELETE,
	    "0000000801000000 b6480a03e5d1f0 07");
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_int_eq(ike_msg_open(m, cbc, b.p), 0);
	ck_assert_uint_eq(m->ndel, 1);
	/* Pad Length beyond the plaintext: refused by ike_sk_open()
	 * itself, before any chain is walked. */
	b = sk_hand(cbc, IKE_PLD_DELETE,
	    "0000000801000000 b6480a03e5d1f0 10");
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_int_eq(ike_sk_open(cbc, b.p, m, &plain), IR_ERR_MALFORMED);
	b = sk_hand(cbc, IKE_PLD_DELETE,
	    "0000000801000000 b6480a03e5d1f0 0f");	/* exactly fits */
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_int_eq(ike_sk_open(cbc, b.p, m, &plain), 0);
	ck_assert_uint_eq(plain.len, 0);
	b = sk_hand(gcm, IKE_PLD_DELETE, "0000000801000000 ff");
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_int_eq(ike_sk_open(gcm, b.p, m, &plain), IR_ERR_MALFORMED);
	/* All padding: an empty inner chain (a liveness check). */
	b = sk_hand(gcm, IKE_PLD_NONE, "000000 03");
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_int_eq(ike_msg_open(m, gcm, b.p), 0);
	ck_assert_uint_eq(m->npld, 1);
	/* Pad Length exactly fills: the chain then says D but is empty. */
	b = sk_hand(gcm, IKE_PLD_DELETE, "000000 03");
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_int_eq(ike_msg_open(m, gcm, b.p), IR_ERR_MALFORMED);
	crypto_xform_free(cbc);
	crypto_xform_free(gcm);
}
END_TEST

START_TEST(sk_bad_lengths)
{
	struct crypto_xform *cbc = sk_xform(&sk_algs[3], 5);
	struct crypto_xform *gcm = sk_xform(&sk_algs[0], 5);
	struct ike_msg *m = t_msg();
	struct tmsg t;
	struct tbuf b;
	size_t n;

	/* SK bodies shorter than IV + Pad Length + ICV, or CBC data that
	 * is not whole blocks. */
	for (n = 0; n < 16 + 16 + 16 + 8; n++) {
		tm_begin(&t, IKE_EXCH_INFORMATIONAL, 0, 1);
		tm_fill(&t, IKE_PLD_SK, n, 0x33);
		b = tm_end(&t);
		ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
		if (n != 16 + 16 + 16)
			ck_assert_int_eq(ike_msg_open(m, cbc, b.p),
			    IR_ERR_MALFORMED);
		else
			ck_assert_int_eq(ike_msg_open(m, cbc, b.p),
			    IR_ERR_DECRYPT);
		if (n < 8 + 16 + 1)
			ck_assert_int_eq(ike_msg_open(m, gcm, b.p),
			    IR_ERR_MALFORMED);
	}
	/* No SK at all. */
	tm_begin(&t, IKE_EXCH_INFORMATIONAL, 0, 1);
	tm_fill(&t, IKE_PLD_VENDOR, 4, 1);
	b = tm_end(&t);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_int_eq(ike_msg_open(m, gcm, b.p), IR_ERR_UNEXPECTED);
	crypto_xform_free(cbc);
	crypto_xform_free(gcm);
}
END_TEST

/* The real strongSwan messages: every flipped octet of the SK payload
 * fails the ICV (CBC+HMAC and GCM). */
static const char *const sk_vec_files[][2] = {
	{ "strongswan-psk-udp/aescbc128-sha256-modp2048", "05-INFORMATIONAL-req" },
	{ "strongswan-psk-udp/aesgcm128-prfsha256-x25519", "05-INFORMATIONAL-req" },
};

START_TEST(sk_vectors_tamper)
{
	const char *dir = sk_vec_files[_i][0];
	char rel[256];
	struct tbuf good, b, ek, ak;
	struct ike_msg *m = t_msg();
	struct crypto_xform *x = NULL;
	size_t i;

	snprintf(rel, sizeof(rel), "%s/%s.hex", dir, sk_vec_files[_i][1]);
	good = t_vec_hex(rel);
	ek = t_vec_key(dir, "SK_ei");
	ak = t_vec_key(dir, "SK_ai");
	ck_assert_int_eq(crypto_xform_new(&x, _i == 0 ? 12 : 20, 128,
	    _i == 0 ? 12 : 0, ek.p, ek.len, ak.p, ak.len), 0);
	b.p = t_alloc(good.len);
	b.len = good.len;
	memcpy(b.p, good.p, good.len);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_int_eq(ike_msg_open(m, x, b.p), 0);
	for (i = m->sk.off; i < good.len; i++) {
		memcpy(b.p, good.p, good.len);
		b.p[i] ^= 0x80;
		if (ike_msg_parse(m, b.p, b.len) != 0)
			continue;	/* the SK header's length */
		ck_assert_int_eq(ike_msg_open(m, x, b.p), IR_ERR_DECRYPT);
	}
	crypto_xform_free(x);
}
END_TEST

/* ---- Fragments ------------------------------------------------------- */

/* An IKE_AUTH response's inner chain: IDr, CERT (1500 octets), AUTH. */
static struct tbuf
frag_inner(void)
{
	static uint8_t cert[1500], auth[64];
	struct tmsg t;
	size_t i;

	for (i = 0; i < sizeof(cert); i++)
		cert[i] = (uint8_t)(i * 7);
	tm_chain(&t);
	ck_assert_int_eq(ike_pld_id_build(&t.mw, IKE_PLD_IDR, IKE_IDT_FQDN,
	    (const uint8_t *)"vpn.test", 8), 0);
	ck_assert_int_eq(ike_pld_cert_build(&t.mw, IKE_PLD_CERT,
	    IKE_CERT_X509_SIG, cert, sizeof(cert)), 0);
	ck_assert_int_eq(ike_pld_auth_build(&t.mw,
	    IKE_AUTHM_SHARED_KEY_MIC, auth, sizeof(auth)), 0);
	return tm_chain_end(&t);
}

START_TEST(frag_roundtrip)
{
	const struct sk_alg *a = &sk_algs[_i];
	struct crypto_xform *tx = sk_xform(a, 6), *rx = sk_xform(a, 6);
	struct ike_hdr h = { .spi_i = 0x0102030405060708ull, .spi_r = 9,
	    .version = IKE_VERSION_2, .exch = IKE_EXCH_IKE_AUTH,
	    .flags = IKE_FLAG_RESPONSE, .msg_id = 1 };
	struct ike_frag_reasm *r = t_alloc(sizeof(*r));
	struct tbuf inner = frag_inner(), frags[16];
	struct ike_msg *m = t_msg();
	size_t chunk = ike_frag_chunk_max(tx, 400), total, i, len;
	uint8_t *out = t_alloc(IKE_FRAG_MAX_BYTES), first;
	struct ike_span plain;
	struct wire_wr w;
	bool done = false;

	ck_assert_uint_gt(chunk, 0);
	total = (inner.len + chunk - 1) / chunk;
	ck_assert_uint_le(total, 16);
	for (i = 0; i < total; i++) {
		size_t n = IR_MIN(chunk, inner.len - i * chunk);

		frags[i].p = t_alloc(400);
		wire_wr_init(&w, frags[i].p, 400);
		ck_assert_int_eq(ike_frag_seal(&w, &h, IKE_PLD_IDR,
		    (uint16_t)(i + 1), (uint16_t)total, inner.p + i * chunk,
		    n, tx, iv16), 0);
		frags[i].len = w.len;
		ck_assert_uint_le(w.len, 400);
	}
	ike_frag_reasm_init(r);
	/* Deliver backwards, with fragment 2 twice (a retransmission). */
	for (i = total; i-- > 0;) {
		size_t rep;

		for (rep = 0; rep < (i == 1 ? 2u : 1u); rep++) {
			/* Each datagram arrives in its own buffer: opening
			 * decrypts in place. */
			uint8_t *rx_buf = t_alloc(frags[i].len);

			memcpy(rx_buf, frags[i].p, frags[i].len);
			ck_assert(!done);
			ck_assert_int_eq(ike_msg_parse(m, rx_buf,
			    frags[i].len), 0);
			ck_assert_uint_eq(m->skf.num, i + 1);
			ck_assert_uint_eq(m->skf.total, total);
			ck_assert_uint_eq(m->skf.next_type,
			    i == 0 ? IKE_PLD_IDR : IKE_PLD_NONE);
			ck_assert_int_eq(ike_sk_open(rx, rx_buf, m, &plain),
			    0);
			ck_assert_int_eq(ike_frag_reasm_add(r, m->hdr.msg_id,
			    &m->skf, plain.p, plain.len, &done), 0);
		}
	}
	ck_assert(done);
	ck_assert_int_eq(ike_frag_reasm_take(r, out, IKE_FRAG_MAX_BYTES, &len,
	    &first), 0);
	ck_assert_uint_eq(first, IKE_PLD_IDR);
	ck_assert_uint_eq(len, inner.len);
	ck_assert_mem_eq(out, inner.p, len);
	/* The last fragment's header plus the reassembled chain. */
	ck_assert_int_eq(ike_msg_parse_inner(m, first, out, len), 0);
	ck_assert_uint_eq(m->ncert, 1);
	ck_assert_uint_eq(m->cert[0].data.len, 1500);
	ck_assert_int_eq(ike_msg_check_rules(m), 0);
	ck_assert(!r->active);
	crypto_xform_free(tx);
	crypto_xform_free(rx);
}
END_TEST

START_TEST(frag_tamper_and_size)
{
	struct crypto_xform *tx = sk_xform(&sk_algs[0], 7);
	struct crypto_xform *cbc = sk_xform(&sk_algs[3], 7);
	struct ike_hdr h = { .spi_i = 1, .version = IKE_VERSION_2,
	    .exch = IKE_EXCH_IKE_AUTH, .flags = IKE_FLAG_RESPONSE };
	static const uint8_t chunk[1300] = { 1 };
	struct ike_msg *m = t_msg();
	struct ike_span plain;
	uint8_t *buf = t_alloc(2048);
	struct wire_wr w;

	/* The chunk size fills the fragment exactly (AEAD: block 1). */
	ck_assert_uint_eq(ike_frag_chunk_max(tx, 1280),
	    1280 - 28 - 8 - 8 - 16 - 1);
	ck_assert_uint_eq(ike_frag_chunk_max(cbc, 1280), 1199);
	ck_assert_uint_eq(ike_frag_chunk_max(tx, 60), 0);
	wire_wr_init(&w, buf, 2048);
	ck_assert_int_eq(ike_frag_seal(&w, &h, IKE_PLD_IDR, 2, 3, chunk,
	    ike_frag_chunk_max(tx, 1280), tx, iv16), 0);
	ck_assert_uint_eq(w.len, 1280);
	wire_wr_init(&w, buf, 2048);
	ck_assert_int_eq(ike_frag_seal(&w, &h, IKE_PLD_IDR, 2, 3, chunk,
	    ike_frag_chunk_max(cbc, 1280), cbc, iv16), 0);
	ck_assert_uint_le(w.len, 1280);
	ck_assert_uint_gt(w.len, 1280 - 16);

	/* Fragment Number and Total Fragments are in the AAD (§2.5). */
	wire_wr_init(&w, buf, 2048);
	ck_assert_int_eq(ike_frag_seal(&w, &h, IKE_PLD_IDR, 2, 3, chunk, 100,
	    tx, iv16), 0);
	ck_assert_int_eq(ike_msg_parse(m, buf, w.len), 0);
	ck_assert_int_eq(ike_sk_open(tx, buf, m, &plain), 0);
	wire_wr_init(&w, buf, 2048);
	ck_assert_int_eq(ike_frag_seal(&w, &h, IKE_PLD_IDR, 2, 3, chunk, 100,
	    tx, iv16), 0);
	buf[IKE_HDR_LEN + 5] = 1;		/* Fragment Number 2 -> 1 */
	ck_assert_int_eq(ike_msg_parse(m, buf, w.len), 0);
	ck_assert_int_eq(ike_sk_open(tx, buf, m, &plain), IR_ERR_DECRYPT);
	/* Bad numbers from our own caller. */
	ck_assert_int_eq(ike_frag_seal(&w, &h, 0, 4, 3, chunk, 1, tx, iv16),
	    IR_ERR_INTERNAL);
	crypto_xform_free(tx);
	crypto_xform_free(cbc);
}
END_TEST

START_TEST(frag_reasm_bounds)
{
	struct ike_frag_reasm *r = t_alloc(sizeof(*r));
	static const uint8_t data[8192] = { 0x42 };
	struct ike_pld_skf f = { IKE_PLD_CP, 1, 2, 0, { NULL, 0 } };
	uint8_t *out = t_alloc(IKE_FRAG_MAX_BYTES), first;
	bool done;
	size_t len, i;

	ike_frag_reasm_init(r);
	/* More fragments than the capacity. */
	f.total = IKE_FRAG_MAX_COUNT + 1;
	ck_assert_int_eq(ike_frag_reasm_add(r, 1, &f, data, 10, &done),
	    IR_ERR_MALFORMED);
	/* Not complete yet: nothing to take. */
	f.total = 2;
	ck_assert_int_eq(ike_frag_reasm_add(r, 1, &f, data, 10, &done), 0);
	ck_assert(!done);
	ck_assert_int_eq(ike_frag_reasm_take(r, out, IKE_FRAG_MAX_BYTES, &len,
	    &first), IR_ERR_UNEXPECTED);
	/* A smaller Total Fragments is a stale set: ignored. */
	f.num = 1;
	f.total = 1;
	ck_assert_int_eq(ike_frag_reasm_add(r, 1, &f, data, 10, &done), 0);
	ck_assert(!done);
	/* A larger one restarts (RFC 7383 §2.6.2). */
	f.total = 3;
	f.num = 3;
	ck_assert_int_eq(ike_frag_reasm_add(r, 1, &f, data, 10, &done), 0);
	ck_assert_uint_eq(r->have, 1);
	ck_assert_uint_eq(r->used, 10);
	/* A new Message ID restarts too. */
	f.num = 1;
	f.total = 2;
	ck_assert_int_eq(ike_frag_reasm_add(r, 2, &f, data, 5, &done), 0);
	ck_assert_uint_eq(r->msg_id, 2);
	ck_assert_uint_eq(r->have, 1);
	f.num = 2;
	f.next_type = 0;
	ck_assert_int_eq(ike_frag_reasm_add(r, 2, &f, data + 1, 6, &done), 0);
	ck_assert(done);
	ck_assert_int_eq(ike_frag_reasm_take(r, out, 10, &len, &first),
	    IR_ERR_NOBUF);
	ck_assert_int_eq(ike_frag_reasm_take(r, out, 11, &len, &first), 0);
	ck_assert_uint_eq(len, 11);
	ck_assert_uint_eq(first, IKE_PLD_CP);
	/* The total plaintext is bounded: 32 fragments of 8 KiB do not
	 * fit in 64 KiB. */
	f.total = IKE_FRAG_MAX_COUNT;
	for (i = 1; i <= IKE_FRAG_MAX_COUNT; i++) {
		int rv;

		f.num = (uint16_t)i;
		rv = ike_frag_reasm_add(r, 3, &f, data, sizeof(data), &done);
		if (i * sizeof(data) <= IKE_FRAG_MAX_BYTES)
			ck_assert_int_eq(rv, 0);
		else {
			ck_assert_int_eq(rv, IR_ERR_MALFORMED);
			break;
		}
	}
	ck_assert(!done);
	ike_frag_reasm_clear(r);
	ck_assert(!r->active);
	ck_assert_uint_eq(r->used, 0);
}
END_TEST

Suite *ike_sk_suite(void);

Suite *
ike_sk_suite(void)
{
	Suite *s = suite_create("ike_sk");
	TCase *tc = tcase_create("sk");

	tcase_add_loop_test(tc, sk_roundtrip, 0, IR_ARRAY_LEN(sk_algs));
	tcase_add_loop_test(tc, sk_tamper, 0, IR_ARRAY_LEN(sk_algs));
	tcase_add_test(tc, sk_pad_length);
	tcase_add_test(tc, sk_bad_lengths);
	tcase_add_loop_test(tc, sk_vectors_tamper, 0,
	    IR_ARRAY_LEN(sk_vec_files));
	suite_add_tcase(s, tc);
	tc = tcase_create("fragments");
	tcase_add_loop_test(tc, frag_roundtrip, 0, IR_ARRAY_LEN(sk_algs));
	tcase_add_test(tc, frag_tamper_and_size);
	tcase_add_test(tc, frag_reasm_bounds);
	suite_add_tcase(s, tc);
	return s;
}
