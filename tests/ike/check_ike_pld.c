/*
 * tests/ike/check_ike_pld.c: build -> parse round trips for every
 * payload builder of ike_pld.h, the re-encoder (ike_msg_build_plds), and
 * the builders' own refusals (overflow, values that do not fit).
 */
#include <check.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "ike/ike_msg.h"
#include "tests/check_util.h"
#include "tests/ike/ike_test_util.h"

static const struct ike_pld_xform ike_xf[] = {
	{ IKE_XF_ENCR, IKE_ENCR_AES_CBC, 256, true, false },
	{ IKE_XF_ENCR, IKE_ENCR_AES_CBC, 128, true, false },
	{ IKE_XF_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0, false, false },
	{ IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256, 0, false, false },
	{ IKE_XF_KE, IKE_KE_CURVE25519, 0, false, false },
	{ IKE_XF_KE, IKE_KE_MODP2048, 0, false, false },
};
static const struct ike_pld_xform aead_xf[] = {
	{ IKE_XF_ENCR, IKE_ENCR_AES_GCM_16, 128, true, false },
	{ IKE_XF_ENCR, IKE_ENCR_CHACHA20_POLY1305, 0, false, false },
	{ IKE_XF_PRF, IKE_PRF_HMAC_SHA2_384, 0, false, false },
	{ IKE_XF_KE, IKE_KE_ECP256, 0, false, false },
};
static const struct ike_pld_xform esp_xf[] = {
	{ IKE_XF_ENCR, IKE_ENCR_AES_GCM_16, 256, true, false },
	{ IKE_XF_ESN, IKE_ESN_YES, 0, false, false },
	{ IKE_XF_ESN, IKE_ESN_NO, 0, false, false },
};
static const uint8_t esp_spi[4] = { 0xc0, 0xff, 0xee, 0x01 };
static const uint8_t ike_spi[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

static void
check_xf(const struct ike_pld_prop *p, const struct ike_pld_xform *want,
    size_t n)
{
	size_t i;

	ck_assert_uint_eq(p->nxf, n);
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(p->xf[i].type, want[i].type);
		ck_assert_uint_eq(p->xf[i].id, want[i].id);
		ck_assert_uint_eq(p->xf[i].key_len, want[i].key_len);
		ck_assert(p->xf[i].has_key_len == want[i].has_key_len);
		ck_assert(!p->xf[i].unknown_attr);
	}
}

/* Re-encode the chain of |m| and compare with |b|. */
static void
check_reencode_chain(const struct ike_msg *m, struct tbuf b, uint8_t first)
{
	struct tmsg t;
	struct tbuf out;

	tm_chain(&t);
	ck_assert_int_eq(ike_msg_build_plds(&t.mw, m, true), 0);
	out = tm_chain_end(&t);
	ck_assert_uint_eq(t.mw.first_type, first);
	ck_assert_uint_eq(out.len, b.len);
	ck_assert_mem_eq(out.p, b.p, b.len);
}

START_TEST(pld_sa_roundtrip)
{
	struct ike_pld_prop props[3] = {
		{ 1, IKE_PROTO_IKE, { NULL, 0 }, aead_xf, 4 },
		{ 2, IKE_PROTO_IKE, { ike_spi, 8 }, ike_xf, 6 },
		{ 3, IKE_PROTO_ESP, { esp_spi, 4 }, esp_xf, 3 },
	};
	struct ike_msg *m = t_msg();
	struct tmsg t;
	struct tbuf b;

	tm_chain(&t);
	ck_assert_int_eq(ike_pld_sa_build(&t.mw, props, 3), 0);
	b = tm_chain_end(&t);
	/* 4 + proposals of (8 + 0 + 36), (8 + 8 + 56), (8 + 4 + 28) */
	ck_assert_uint_eq(b.len, 4 + 44 + 72 + 40);
	ck_assert_int_eq(t_parse_chain(m, IKE_PLD_SA, b), 0);
	ck_assert_uint_eq(m->sa.nprop, 3);
	ck_assert_uint_eq(m->sa.prop[0].num, 1);
	ck_assert_uint_eq(m->sa.prop[0].spi.len, 0);
	check_xf(&m->sa.prop[0], aead_xf, 4);
	ck_assert_uint_eq(m->sa.prop[1].spi.len, 8);
	ck_assert_mem_eq(m->sa.prop[1].spi.p, ike_spi, 8);
	check_xf(&m->sa.prop[1], ike_xf, 6);
	ck_assert_uint_eq(m->sa.prop[2].proto, IKE_PROTO_ESP);
	ck_assert_mem_eq(m->sa.prop[2].spi.p, esp_spi, 4);
	check_xf(&m->sa.prop[2], esp_xf, 3);
	check_reencode_chain(m, b, IKE_PLD_SA);
}
END_TEST

START_TEST(pld_sa_unknown_attr)
{
	struct ike_msg *m = t_msg();
	struct tmsg t;
	struct tbuf b;

	/* A TV attribute of type 15 and a TLV one: the transform is
	 * flagged (§3.3.6), the proposal still parses. */
	tm_chain(&t);
	tm_raw(&t, IKE_PLD_SA, 0, "0000001a 01010001 00000012 0100000c "
	    "800f0001 00020002 abcd");
	b = tm_chain_end(&t);
	ck_assert_int_eq(t_parse_chain(m, IKE_PLD_SA, b), 0);
	ck_assert(m->sa.prop[0].xf[0].unknown_attr);
	ck_assert(!m->sa.prop[0].xf[0].has_key_len);
}
END_TEST

static const uint8_t v4a[4] = { 192, 0, 2, 0 }, v4b[4] = { 192, 0, 2, 255 };
static const uint8_t v6a[16] = { 0x20, 0x01, 0x0d, 0xb8 };
static const uint8_t v6b[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

START_TEST(pld_small_roundtrip)
{
	static const uint8_t ke[32] = { 0x42 }, nonce[32] = { 0x17 };
	static const uint8_t cert[] = { 0x30, 0x82, 0x01, 0x00 };
	static const uint8_t ca[40] = { 0xca };
	static const uint8_t auth[32] = { 0xa7 };
	static const uint8_t spis[8] = { 1, 1, 1, 1, 2, 2, 2, 2 };
	static const uint8_t eap[] = { 2, 7, 0, 10, 1, 'a', 'l', 'i', 'c',
	    'e' };
	static const uint8_t addr[4] = { 198, 51, 100, 129 };
	static const uint8_t dns[4] = { 203, 0, 113, 53 };
	static const char dom[] = "example.test";
	struct ike_pld_ts ts[2] = {
		{ IKE_TST_IPV4_ADDR_RANGE, 0, 0, 65535, { v4a, 4 }, { v4b, 4 } },
		{ IKE_TST_IPV6_ADDR_RANGE, 17, 53, 53, { v6a, 16 }, { v6b, 16 } },
	};
	struct ike_pld_cp_attr cpa[3] = {
		{ IKE_CPA_INTERNAL_IP4_ADDRESS, { addr, 4 } },
		{ IKE_CPA_INTERNAL_IP4_DNS, { dns, 4 } },
		{ IKE_CPA_INTERNAL_DNS_DOMAIN, { (const uint8_t *)dom, 12 } },
	};
	struct ike_msg *m = t_msg();
	struct tmsg t;
	struct tbuf b;

	tm_chain(&t);
	ck_assert_int_eq(ike_pld_id_build(&t.mw, IKE_PLD_IDI,
	    IKE_IDT_FQDN, (const uint8_t *)"vpn.test", 8), 0);
	ck_assert_int_eq(ike_pld_cert_build(&t.mw, IKE_PLD_CERT,
	    IKE_CERT_X509_SIG, cert, sizeof(cert)), 0);
	ck_assert_int_eq(ike_pld_cert_build(&t.mw, IKE_PLD_CERTREQ,
	    IKE_CERT_X509_SIG, ca, sizeof(ca)), 0);
	ck_assert_int_eq(ike_pld_id_build(&t.mw, IKE_PLD_IDR,
	    IKE_IDT_RFC822_ADDR, (const uint8_t *)"a@b", 3), 0);
	ck_assert_int_eq(ike_pld_auth_build(&t.mw, IKE_AUTHM_SHARED_KEY_MIC,
	    auth, sizeof(auth)), 0);
	ck_assert_int_eq(ike_pld_ke_build(&t.mw, IKE_KE_CURVE25519, ke,
	    sizeof(ke)), 0);
	ck_assert_int_eq(ike_pld_nonce_build(&t.mw, nonce, sizeof(nonce)), 0);
	ck_assert_int_eq(ike_pld_notify_build(&t.mw, IKE_PROTO_ESP,
	    IKE_N_REKEY_SA, esp_spi, 4, NULL, 0), 0);
	ck_assert_int_eq(ike_pld_notify_build(&t.mw, 0, IKE_N_COOKIE, NULL, 0,
	    nonce, 16), 0);
	ck_assert_int_eq(ike_pld_delete_build(&t.mw, IKE_PROTO_ESP, 4, 2,
	    spis), 0);
	ck_assert_int_eq(ike_pld_delete_build(&t.mw, IKE_PROTO_IKE, 0, 0,
	    NULL), 0);
	ck_assert_int_eq(ike_pld_vendor_build(&t.mw, ca, 16), 0);
	ck_assert_int_eq(ike_pld_ts_build(&t.mw, IKE_PLD_TSI, ts, 2), 0);
	ck_assert_int_eq(ike_pld_ts_build(&t.mw, IKE_PLD_TSR, ts, 1), 0);
	ck_assert_int_eq(ike_pld_cp_build(&t.mw, IKE_CFG_REPLY, cpa, 3), 0);
	ck_assert_int_eq(ike_pld_eap_build(&t.mw, eap, sizeof(eap)), 0);
	b = tm_chain_end(&t);

	ck_assert_int_eq(t_parse_chain(m, t.mw.first_type, b), 0);
	ck_assert_uint_eq(m->npld, 16);
	ck_assert_uint_eq(m->idi.type, IKE_IDT_FQDN);
	ck_assert_mem_eq(m->idi.data.p, "vpn.test", 8);
	ck_assert_uint_eq(m->idi.body.len, 12);	/* IDi' of §2.15 */
	ck_assert_uint_eq(m->idr.data.len, 3);
	ck_assert_uint_eq(m->ncert, 1);
	ck_assert_uint_eq(m->cert[0].enc, IKE_CERT_X509_SIG);
	ck_assert_mem_eq(m->cert[0].data.p, cert, sizeof(cert));
	ck_assert_uint_eq(m->ncertreq, 1);
	ck_assert_uint_eq(m->certreq[0].data.len, 40);
	ck_assert_uint_eq(m->auth.method, IKE_AUTHM_SHARED_KEY_MIC);
	ck_assert_mem_eq(m->auth.data.p, auth, 32);
	ck_assert_uint_eq(m->ke.group, IKE_KE_CURVE25519);
	ck_assert_mem_eq(m->ke.data.p, ke, 32);
	ck_assert_mem_eq(m->nonce.p, nonce, 32);
	ck_assert_uint_eq(m->nnotify, 2);
	ck_assert_uint_eq(m->notify[0].type, IKE_N_REKEY_SA);
	ck_assert_uint_eq(m->notify[0].proto, IKE_PROTO_ESP);
	ck_assert_mem_eq(m->notify[0].spi.p, esp_spi, 4);
	ck_assert_uint_eq(m->notify[1].data.len, 16);
	ck_assert_ptr_eq(ike_msg_notify(m, IKE_N_COOKIE), &m->notify[1]);
	ck_assert_ptr_null(ike_msg_notify(m, IKE_N_REDIRECT));
	ck_assert_uint_eq(m->ndel, 2);
	ck_assert_uint_eq(m->del[0].nspi, 2);
	ck_assert_mem_eq(m->del[0].spis.p, spis, 8);
	ck_assert_uint_eq(m->del[1].spi_size, 0);
	ck_assert_uint_eq(m->nvendor, 1);
	ck_assert_uint_eq(m->tsi.nts, 2);
	ck_assert_uint_eq(m->tsi.ts[1].ip_proto, 17);
	ck_assert_uint_eq(m->tsi.ts[1].start_port, 53);
	ck_assert_mem_eq(m->tsi.ts[1].end.p, v6b, 16);
	ck_assert_uint_eq(m->tsr.nts, 1);
	ck_assert_mem_eq(m->tsr.ts[0].start.p, v4a, 4);
	ck_assert_uint_eq(m->cp.type, IKE_CFG_REPLY);
	ck_assert_uint_eq(m->cp.nattr, 3);
	ck_assert_uint_eq(m->cp.attr[2].type, IKE_CPA_INTERNAL_DNS_DOMAIN);
	ck_assert_mem_eq(m->cp.attr[2].value.p, dom, 12);
	ck_assert_uint_eq(m->eap.code, IKE_EAPC_RESPONSE);
	ck_assert_uint_eq(m->eap.id, 7);
	ck_assert_uint_eq(m->eap.type, 1);
	ck_assert_mem_eq(m->eap.type_data.p, "alice", 5);
	check_reencode_chain(m, b, IKE_PLD_IDI);
}
END_TEST

/* A whole unprotected message: header fields, rules and re-encoding. */
START_TEST(pld_message_roundtrip)
{
	struct ike_pld_prop prop = { 1, IKE_PROTO_IKE, { NULL, 0 }, aead_xf, 4 };
	static const uint8_t ke[65] = { 4 }, nonce[32] = { 9 };
	struct ike_msg *m = t_msg();
	struct tmsg t, t2;
	struct tbuf b, out;

	tm_begin(&t, IKE_EXCH_IKE_SA_INIT, IKE_FLAG_INITIATOR, 0);
	ck_assert_int_eq(ike_pld_sa_build(&t.mw, &prop, 1), 0);
	ck_assert_int_eq(ike_pld_ke_build(&t.mw, IKE_KE_ECP256, ke, 64), 0);
	ck_assert_int_eq(ike_pld_nonce_build(&t.mw, nonce, 32), 0);
	ck_assert_int_eq(ike_pld_notify_build(&t.mw, 0,
	    IKE_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0, NULL, 0), 0);
	b = tm_end(&t);
	ck_assert_uint_eq(wire_get_u32(b.p + 24), b.len);
	ck_assert_uint_eq(b.p[16], IKE_PLD_SA);

	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_uint_eq(m->hdr.spi_i, 0x0102030405060708ull);
	ck_assert_uint_eq(m->hdr.exch, IKE_EXCH_IKE_SA_INIT);
	ck_assert_uint_eq(m->hdr.flags, IKE_FLAG_INITIATOR);
	ck_assert_uint_eq(m->hdr.version, IKE_VERSION_2);
	ck_assert_uint_eq(m->npld, 4);
	ck_assert(!m->pld[0].encrypted);
	ck_assert_int_eq(ike_msg_check_rules(m), 0);

	tm_begin(&t2, IKE_EXCH_IKE_SA_INIT, IKE_FLAG_INITIATOR, 0);
	ck_assert_int_eq(ike_msg_build_plds(&t2.mw, m, false), 0);
	out = tm_end(&t2);
	ck_assert_uint_eq(out.len, b.len);
	ck_assert_mem_eq(out.p, b.p, b.len);
}
END_TEST

START_TEST(pld_build_refusals)
{
	uint8_t small[40], big[8];
	struct ike_hdr h = { .spi_i = 1, .version = IKE_VERSION_2 };
	struct ike_pld_ts bad_ts = { IKE_TST_IPV4_ADDR_RANGE, 0, 0, 0,
	    { v6a, 16 }, { v6b, 16 } };
	static const uint8_t eap_bad[] = { 1, 1, 0, 9, 1 };
	static uint8_t huge[0x10000];
	struct ike_msg_wr mw;
	struct wire_wr w;

	/* The header alone needs 28 octets. */
	wire_wr_init(&w, big, sizeof(big));
	ike_msg_wr_begin(&mw, &w, &h);
	ck_assert_int_eq(ike_msg_wr_finish(&mw), IR_ERR_NOBUF);
	/* A payload that does not fit the buffer. */
	wire_wr_init(&w, small, sizeof(small));
	ike_msg_wr_begin(&mw, &w, &h);
	ck_assert_int_eq(ike_pld_nonce_build(&mw, huge, 32), IR_ERR_NOBUF);
	/* A payload longer than its 16-bit Payload Length. */
	wire_wr_init(&w, t_alloc(0x20000), 0x20000);
	ike_msg_wr_begin(&mw, &w, &h);
	ck_assert_int_eq(ike_pld_vendor_build(&mw, huge, sizeof(huge)),
	    IR_ERR_NOBUF);
	/* Values that do not fit their fields or types. */
	wire_wr_init(&w, t_alloc(4096), 4096);
	ike_msg_wr_begin(&mw, &w, &h);
	ck_assert_int_eq(ike_pld_ts_build(&mw, IKE_PLD_TSI, &bad_ts, 1),
	    IR_ERR_MALFORMED);
	ck_assert_int_eq(ike_pld_ts_build(&mw, IKE_PLD_SA, &bad_ts, 1),
	    IR_ERR_MALFORMED);
	ck_assert_int_eq(ike_pld_delete_build(&mw, IKE_PROTO_IKE, 0, 1, NULL),
	    IR_ERR_MALFORMED);
	ck_assert_int_eq(ike_pld_eap_build(&mw, eap_bad, sizeof(eap_bad)),
	    IR_ERR_MALFORMED);
	ck_assert_int_eq(ike_pld_sa_build(&mw, NULL, 0), IR_ERR_MALFORMED);
	ck_assert_int_eq(ike_pld_id_build(&mw, IKE_PLD_AUTH, 1, NULL, 0),
	    IR_ERR_MALFORMED);
	ck_assert_int_eq(ike_pld_cert_build(&mw, IKE_PLD_IDI, 4, NULL, 0),
	    IR_ERR_MALFORMED);
	ck_assert_int_eq(ike_msg_wr_finish(&mw), 0);
}
END_TEST

/* RFC 7427 §3: length octet, AlgorithmIdentifier, signature. */
START_TEST(pld_auth_sig_split)
{
	struct tbuf d = t_hex("0c 300a06082a8648ce3d040302 3045022100");
	struct ike_pld_auth a = { IKE_AUTHM_DIGITAL_SIGNATURE, { d.p, d.len } };
	struct ike_span alg, sig;

	ck_assert_int_eq(ike_pld_auth_sig_split(&a, &alg, &sig), 0);
	ck_assert_uint_eq(alg.len, 12);
	ck_assert_uint_eq(alg.p[0], 0x30);
	ck_assert_uint_eq(sig.len, 5);
	a.data.len = 13;			/* no signature left */
	ck_assert_int_eq(ike_pld_auth_sig_split(&a, &alg, &sig),
	    IR_ERR_MALFORMED);
	d.p[0] = 0x30;				/* overruns */
	a.data.len = d.len;
	ck_assert_int_eq(ike_pld_auth_sig_split(&a, &alg, &sig),
	    IR_ERR_MALFORMED);
	d.p[0] = 0;
	ck_assert_int_eq(ike_pld_auth_sig_split(&a, &alg, &sig),
	    IR_ERR_MALFORMED);
}
END_TEST

Suite *ike_pld_suite(void);

/* §3.6 encoding 12/13: 20 octets of hash, then an http:// URL. */
START_TEST(pld_hash_url)
{
	static const struct {
		const char	*url;
		bool		 ok;
	} c[] = {
		{ "http://198.51.100.80/c/0a1b", true },
		{ "HTTP://gw.example/c", true },
		{ "http://", false },
		{ "https://gw.example/c", false },
		{ "ftp://gw.example/c", false },
		{ "http://gw.example/a b", false },
		{ "http://gw.example/\x7f", false },
		{ "", false },
	};
	uint8_t buf[20 + 300];
	struct ike_span d = { buf, 0 };
	const uint8_t *hash, *url;
	const char *why;
	size_t i, len;

	memset(buf, 0xaa, 20);
	for (i = 0; i < IR_ARRAY_LEN(c); i++) {
		memcpy(buf + 20, c[i].url, strlen(c[i].url));
		d.len = 20 + strlen(c[i].url);
		ck_assert_msg((ike_pld_hash_url_parse(&d, &hash, &url, &len,
		    &why) == 0) == c[i].ok, "%s", c[i].url);
		if (c[i].ok) {
			ck_assert_ptr_eq(hash, buf);
			ck_assert_ptr_eq(url, buf + 20);
			ck_assert_uint_eq(len, strlen(c[i].url));
		}
	}
	/* 255 octets of URL, not 256; nothing shorter than the hash. */
	memcpy(buf + 20, "http://", 7);
	memset(buf + 27, 'a', 300 - 7);
	d.len = 20 + 255;
	ck_assert_int_eq(ike_pld_hash_url_parse(&d, &hash, &url, &len, &why),
	    0);
	d.len = 20 + 256;
	ck_assert_int_eq(ike_pld_hash_url_parse(&d, &hash, &url, &len, &why),
	    IR_ERR_MALFORMED);
	d.len = 19;
	ck_assert_int_eq(ike_pld_hash_url_parse(&d, &hash, &url, &len, &why),
	    IR_ERR_MALFORMED);
}
END_TEST

Suite *
ike_pld_suite(void)
{
	Suite *s = suite_create("ike_pld");
	TCase *tc = tcase_create("roundtrip");

	tcase_add_test(tc, pld_sa_roundtrip);
	tcase_add_test(tc, pld_sa_unknown_attr);
	tcase_add_test(tc, pld_small_roundtrip);
	tcase_add_test(tc, pld_message_roundtrip);
	tcase_add_test(tc, pld_build_refusals);
	tcase_add_test(tc, pld_auth_sig_split);
	tcase_add_test(tc, pld_hash_url);
	suite_add_tcase(s, tc);
	return s;
}
