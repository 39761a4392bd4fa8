/*
 * tests/ike/check_ike_vectors.c: every IKE message of tests/vectors/
 * (real strongSwan and libreswan exchanges) through the codec.
 *
 * For each message: parse it, compare its payload chain with the chain
 * that the vectors' own checker found (VERIFY-RESULT.txt, copied into
 * the table below), check the exchange's payload rules, and re-encode it
 * from the parsed struct byte for byte.  For each SK message of the
 * strongSwan runs: decrypt with the logged SK_ei/er and SK_ai/ar (chosen by the
 * Initiator flag, README.md §4), compare with the logged plaintext
 * (*.inner.hex), then parse, check and re-encode the inner chain.  For
 * libreswan, whose SK_e keys were never logged, the inner chains are
 * parsed from *.inner.hex.
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

#define SS_CBC	"strongswan-psk-udp/aescbc128-sha256-modp2048"
#define SS_GCM	"strongswan-psk-udp/aesgcm128-prfsha256-x25519"
#define SS_MOB	"strongswan-psk-udp/aesgcm128-prfsha256-x25519-mobike-update"
#define SS_EAP	"strongswan-eap-udp/aesgcm128-prfsha256-x25519"
#define LS_TCP	"libreswan-psk-tcp"

/* The SK transform of each run (keys.txt: ike_transforms). */
static const struct vec_dir {
	const char	*dir;
	uint16_t	 encr, key_bits, integ;
	bool		 keys;		/* SK_e* logged */
} vec_dirs[] = {
	{ SS_CBC, 12, 128, 12, true },
	{ SS_GCM, 20, 128, 0, true },
	{ SS_MOB, 20, 128, 0, true },
	{ SS_EAP, 20, 128, 0, true },
	{ LS_TCP, 20, 256, 0, false },
};

/*
 * Chains as listed in VERIFY-RESULT.txt of the shared vectors (the
 * output of tools/verify.py, which walks them independently in Python;
 * tests/vectors/ is a copy without it): outer
 * chain, then the inner chain of the SK payload.  0 ends a list.
 */
#define SK	46
static const struct vec_msg {
	const char	*dir, *name;
	uint32_t	 len;
	uint8_t		 chain[12];
	uint8_t		 inner[16];
} vec_msgs[] = {
	{ SS_CBC, "01-IKE_SA_INIT-req", 464, { 33, 34, 40, 41, 41, 41, 41, 41 }, { 0 } },
	{ SS_CBC, "02-IKE_SA_INIT-resp", 517, { 33, 34, 40, 41, 41, 38, 41, 41, 41, 41 }, { 0 } },
	{ SS_CBC, "03-IKE_AUTH-req", 352, { SK }, { 35, 41, 38, 36, 39, 47, 33, 44, 45, 41, 41, 41, 41, 41 } },
	{ SS_CBC, "04-IKE_AUTH-resp", 272, { SK }, { 36, 39, 47, 33, 44, 45, 41, 41 } },
	{ SS_CBC, "05-INFORMATIONAL-req", 80, { SK }, { 42 } },
	{ SS_CBC, "06-INFORMATIONAL-resp", 80, { SK }, { 0 } },
	{ SS_GCM, "01-IKE_SA_INIT-req", 892, { 33, 34, 40, 41, 41, 41, 41, 41 }, { 0 } },
	{ SS_GCM, "02-IKE_SA_INIT-resp", 285, { 33, 34, 40, 41, 41, 38, 41, 41, 41, 41 }, { 0 } },
	{ SS_GCM, "03-IKE_AUTH-req", 453, { SK }, { 35, 41, 38, 36, 39, 47, 33, 44, 45, 41, 41, 41, 41, 41 } },
	{ SS_GCM, "04-IKE_AUTH-resp", 241, { SK }, { 36, 39, 47, 33, 44, 45, 41, 41 } },
	{ SS_GCM, "05-INFORMATIONAL-req", 65, { SK }, { 42 } },
	{ SS_GCM, "06-INFORMATIONAL-resp", 57, { SK }, { 0 } },
	{ SS_MOB, "01-IKE_SA_INIT-req", 892, { 33, 34, 40, 41, 41, 41, 41, 41 }, { 0 } },
	{ SS_MOB, "02-IKE_SA_INIT-resp", 285, { 33, 34, 40, 41, 41, 38, 41, 41, 41, 41 }, { 0 } },
	{ SS_MOB, "03-IKE_AUTH-req", 453, { SK }, { 35, 41, 38, 36, 39, 47, 33, 44, 45, 41, 41, 41, 41, 41 } },
	{ SS_MOB, "04-IKE_AUTH-resp", 241, { SK }, { 36, 39, 47, 33, 44, 45, 41, 41 } },
	{ SS_MOB, "05-INFORMATIONAL-req", 69, { SK }, { 41 } },
	{ SS_MOB, "06-INFORMATIONAL-resp", 57, { SK }, { 0 } },
	{ SS_MOB, "07-INFORMATIONAL-req", 65, { SK }, { 42 } },
	{ SS_MOB, "08-INFORMATIONAL-resp", 57, { SK }, { 0 } },
	{ SS_EAP, "01-IKE_SA_INIT-req", 892, { 33, 34, 40, 41, 41, 41, 41, 41 }, { 0 } },
	{ SS_EAP, "02-IKE_SA_INIT-resp", 240, { 33, 34, 40, 41, 41, 41, 41, 41, 41 }, { 0 } },
	{ SS_EAP, "03-IKE_AUTH-req", 383, { SK }, { 35, 41, 38, 47, 33, 44, 45, 41, 41, 41, 41, 41 } },
	{ SS_EAP, "04-IKE_AUTH-resp", 633, { SK }, { 36, 37, 39, 48 } },
	{ SS_EAP, "05-IKE_AUTH-req", 71, { SK }, { 48 } },
	{ SS_EAP, "06-IKE_AUTH-resp", 97, { SK }, { 48 } },
	{ SS_EAP, "07-IKE_AUTH-req", 125, { SK }, { 48 } },
	{ SS_EAP, "08-IKE_AUTH-resp", 134, { SK }, { 48 } },
	{ SS_EAP, "09-IKE_AUTH-req", 67, { SK }, { 48 } },
	{ SS_EAP, "10-IKE_AUTH-resp", 65, { SK }, { 48 } },
	{ SS_EAP, "11-IKE_AUTH-req", 97, { SK }, { 39 } },
	{ SS_EAP, "12-IKE_AUTH-resp", 225, { SK }, { 39, 47, 33, 44, 45, 41, 41 } },
	{ SS_EAP, "13-INFORMATIONAL-req", 65, { SK }, { 42 } },
	{ SS_EAP, "14-INFORMATIONAL-resp", 57, { SK }, { 0 } },
	{ LS_TCP, "01-IKE_SA_INIT-req", 828, { 33, 34, 40, 41, 41, 41 }, { 0 } },
	{ LS_TCP, "02-IKE_SA_INIT-resp", 479, { 33, 34, 40, 41, 41, 41, 41, 41, 38 }, { 0 } },
	{ LS_TCP, "03-IKE_AUTH-req", 455, { SK }, { 35, 36, 39, 47, 33, 44, 45 } },
	{ LS_TCP, "04-IKE_AUTH-resp", 276, { SK }, { 36, 39, 47, 33, 44, 45 } },
	{ LS_TCP, "05-INFORMATIONAL-req", 65, { SK }, { 42 } },
	{ LS_TCP, "06-INFORMATIONAL-resp", 57, { SK }, { 0 } },
};

static const struct vec_dir *
vec_dir_of(const char *dir)
{
	size_t i;

	for (i = 0; i < IR_ARRAY_LEN(vec_dirs); i++)
		if (strcmp(vec_dirs[i].dir, dir) == 0)
			return &vec_dirs[i];
	ck_abort_msg("no transform for %s", dir);
	return NULL;
}

static struct tbuf
vec_load(const char *dir, const char *name, const char *ext)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "%s/%s%s", dir, name, ext);
	return t_vec_hex(rel);
}

/* The chain of |m| (payloads with |encrypted|) against |want|. */
static void
check_chain(const struct ike_msg *m, bool encrypted, const uint8_t *want,
    const char *what)
{
	size_t i, n = 0;

	for (i = 0; i < m->npld; i++) {
		if (m->pld[i].encrypted != encrypted)
			continue;
		ck_assert_msg(want[n] == m->pld[i].type,
		    "%s: payload %zu is %u, expected %u", what, n,
		    m->pld[i].type, want[n]);
		n++;
	}
	ck_assert_msg(want[n] == 0, "%s: chain ends after %zu payloads", what,
	    n);
}

/* A new crypto_xform for the direction of message |m| in |d|. */
static struct crypto_xform *
vec_xform(const struct vec_dir *d, const struct ike_msg *m)
{
	bool init = (m->hdr.flags & IKE_FLAG_INITIATOR) != 0;
	struct tbuf ek = t_vec_key(d->dir, init ? "SK_ei" : "SK_er");
	struct tbuf ak = t_vec_key(d->dir, init ? "SK_ai" : "SK_ar");
	struct crypto_xform *x = NULL;

	ck_assert_int_eq(crypto_xform_new(&x, d->encr, d->key_bits, d->integ,
	    ek.p, ek.len, ak.p, ak.len), 0);
	return x;
}

/*
 * Parse message |v| into |m|, decrypting its SK where we have keys (or
 * parsing the logged plaintext where we do not).  |buf| keeps the bytes
 * the views point into.
 */
static void
vec_parse_full(const struct vec_msg *v, struct ike_msg *m, struct tbuf *buf)
{
	const struct vec_dir *d = vec_dir_of(v->dir);
	struct tbuf inner;
	struct crypto_xform *x;

	*buf = vec_load(v->dir, v->name, ".hex");
	ck_assert_int_eq(ike_msg_parse(m, buf->p, buf->len), 0);
	if (v->chain[0] != SK)
		return;
	inner = vec_load(v->dir, v->name, ".inner.hex");
	if (!d->keys) {
		ck_assert_int_eq(ike_msg_parse_inner(m, m->sk.next_type,
		    inner.p, inner.len), 0);
		return;
	}
	x = vec_xform(d, m);
	ck_assert_int_eq(ike_msg_open(m, x, buf->p), 0);
	crypto_xform_free(x);
}

START_TEST(vec_outer)
{
	const struct vec_msg *v = &vec_msgs[_i];
	struct tbuf b = vec_load(v->dir, v->name, ".hex");
	struct ike_msg *m = t_msg();
	struct tmsg t;
	struct tbuf out;

	ck_assert_uint_eq(b.len, v->len);
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_uint_eq(m->hdr.length, v->len);
	ck_assert_uint_eq(m->hdr.version, IKE_VERSION_2);
	check_chain(m, false, v->chain, v->name);
	if (v->chain[0] != SK)
		ck_assert_int_eq(ike_msg_check_rules(m), 0);

	/* Re-encode: header and payloads from the parsed struct. */
	t.buf = t_alloc(TM_CAP);
	wire_wr_init(&t.w, t.buf, TM_CAP);
	ike_msg_wr_begin(&t.mw, &t.w, &m->hdr);
	ck_assert_int_eq(ike_msg_build_plds(&t.mw, m, false), 0);
	out = tm_end(&t);
	ck_assert_uint_eq(out.len, b.len);
	ck_assert_mem_eq(out.p, b.p, b.len);
}
END_TEST

START_TEST(vec_inner)
{
	const struct vec_msg *v = &vec_msgs[_i];
	const struct vec_dir *d = vec_dir_of(v->dir);
	struct tbuf want, b;
	struct ike_msg *m = t_msg();
	struct ike_span plain;
	struct crypto_xform *x;
	struct tmsg t;
	struct tbuf out;

	if (v->chain[0] != SK)
		return;			/* IKE_SA_INIT: see vec_outer */
	want = vec_load(v->dir, v->name, ".inner.hex");
	b = vec_load(v->dir, v->name, ".hex");
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	if (d->keys) {
		x = vec_xform(d, m);
		ck_assert_int_eq(ike_sk_open(x, b.p, m, &plain), 0);
		crypto_xform_free(x);
		ck_assert_uint_eq(plain.len, want.len);
		ck_assert_mem_eq(plain.p, want.p, want.len);
	} else {
		plain.p = want.p;
		plain.len = want.len;
	}
	ck_assert_uint_eq(m->sk.next_type, v->inner[0]);
	ck_assert_int_eq(ike_msg_parse_inner(m, m->sk.next_type, plain.p,
	    plain.len), 0);
	check_chain(m, true, v->inner, v->name);
	ck_assert_int_eq(ike_msg_check_rules(m), 0);

	/* Re-encode the inner chain from the parsed struct. */
	tm_chain(&t);
	ck_assert_int_eq(ike_msg_build_plds(&t.mw, m, true), 0);
	out = tm_chain_end(&t);
	ck_assert_uint_eq(t.mw.first_type, v->inner[0]);
	ck_assert_uint_eq(out.len, want.len);
	ck_assert_mem_eq(out.p, want.p, want.len);
}
END_TEST

/* KEi/Ni and KEr/Nr of IKE_SA_INIT against keys.txt, every run. */
START_TEST(vec_init_values)
{
	const char *dir = vec_dirs[_i].dir;
	struct ike_msg *m = t_msg();
	struct tbuf b, want;
	char grp[8];

	b = vec_load(dir, "01-IKE_SA_INIT-req", ".hex");
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	snprintf(grp, sizeof(grp), "%u", m->ke.group);
	ck_assert_str_eq(grp, t_vec_key_str(dir, "KEi_group"));
	want = t_vec_key(dir, "KEi");
	ck_assert_uint_eq(m->ke.data.len, want.len);
	ck_assert_mem_eq(m->ke.data.p, want.p, want.len);
	want = t_vec_key(dir, "Ni");
	ck_assert_uint_eq(m->nonce.len, want.len);
	ck_assert_mem_eq(m->nonce.p, want.p, want.len);

	b = vec_load(dir, "02-IKE_SA_INIT-resp", ".hex");
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	want = t_vec_key(dir, "KEr");
	ck_assert_mem_eq(m->ke.data.p, want.p, want.len);
	want = t_vec_key(dir, "Nr");
	ck_assert_mem_eq(m->nonce.p, want.p, want.len);
	want = t_vec_key(dir, "SPIr");
	ck_assert_uint_eq(m->hdr.spi_r, wire_get_u64(want.p));
	/* The chosen proposal: exactly one, as the responder sends. */
	ck_assert_uint_eq(m->sa.nprop, 1);
	ck_assert_ptr_nonnull(ike_msg_notify(m, IKE_N_NAT_DETECTION_SOURCE_IP));
	ck_assert_uint_eq(ike_msg_notify(m,
	    IKE_N_NAT_DETECTION_DESTINATION_IP)->data.len, 20);
}
END_TEST

static size_t
count_xf(const struct ike_pld_prop *p, uint8_t type, int id)
{
	size_t i, n = 0;

	for (i = 0; i < p->nxf; i++)
		if (p->xf[i].type == type && (id < 0 || p->xf[i].id == id))
			n++;
	return n;
}

/* README.md "How a test can use them", 1: the proposals. */
START_TEST(vec_proposals)
{
	struct ike_msg *m = t_msg();
	struct tbuf b;
	size_t i;

	/* strongSwan's default IKE_SA_INIT: 2 proposals, 34 and 36
	 * transforms, 13 key exchange methods each, ENCR with Key Length
	 * except the fixed-size 3DES and ChaCha20-Poly1305 (RFC 7634 §4). */
	b = vec_load(SS_GCM, "01-IKE_SA_INIT-req", ".hex");
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_uint_eq(m->sa.nprop, 2);
	ck_assert_uint_eq(m->sa.prop[0].nxf, 34);
	ck_assert_uint_eq(m->sa.prop[1].nxf, 36);
	for (i = 0; i < 2; i++) {
		const struct ike_pld_prop *p = &m->sa.prop[i];
		size_t j;

		ck_assert_uint_eq(p->num, i + 1);
		ck_assert_uint_eq(count_xf(p, IKE_XF_KE, -1), 13);
		for (j = 0; j < p->nxf; j++)
			if (p->xf[j].type == IKE_XF_ENCR)
				ck_assert(p->xf[j].has_key_len ==
				    (p->xf[j].id != IKE_ENCR_CHACHA20_POLY1305 &&
				    p->xf[j].id != IKE_ENCR_3DES));
	}

	/* libreswan's request: 4 proposals with 8 DH groups each. */
	b = vec_load(LS_TCP, "01-IKE_SA_INIT-req", ".hex");
	ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
	ck_assert_uint_eq(m->sa.nprop, 4);
	for (i = 0; i < 4; i++)
		ck_assert_uint_eq(count_xf(&m->sa.prop[i], IKE_XF_KE, -1), 8);

	/* libreswan's ESP proposals (IKE_AUTH): each with ESN=1 and ESN=0. */
	vec_parse_full(&vec_msgs[36], m, &b);
	ck_assert_str_eq(vec_msgs[36].name, "03-IKE_AUTH-req");
	ck_assert_uint_eq(m->sa.nprop, 4);
	for (i = 0; i < 4; i++) {
		ck_assert_uint_eq(m->sa.prop[i].proto, IKE_PROTO_ESP);
		ck_assert_uint_eq(m->sa.prop[i].spi.len, 4);
		ck_assert_uint_eq(count_xf(&m->sa.prop[i], IKE_XF_ESN,
		    IKE_ESN_YES), 1);
		ck_assert_uint_eq(count_xf(&m->sa.prop[i], IKE_XF_ESN,
		    IKE_ESN_NO), 1);
	}
}
END_TEST

static const struct ike_pld_cp_attr *
cp_attr(const struct ike_pld_cp *cp, uint16_t type)
{
	size_t i;

	for (i = 0; i < cp->nattr; i++)
		if (cp->attr[i].type == type)
			return &cp->attr[i];
	return NULL;
}

/* IKE_AUTH: IDs, AUTH, CP request and reply (README.md, 1 and 3). */
START_TEST(vec_auth_cp)
{
	static const uint8_t vip[4] = { 198, 51, 100, 129 };
	static const uint8_t dns[4] = { 203, 0, 113, 53 };
	const struct vec_msg *req = &vec_msgs[8], *resp = &vec_msgs[9];
	const struct ike_pld_cp_attr *a;
	struct ike_msg *m = t_msg();
	struct tbuf b, want;

	ck_assert_str_eq(req->dir, SS_GCM);
	ck_assert_str_eq(req->name, "03-IKE_AUTH-req");
	vec_parse_full(req, m, &b);
	want = t_vec_key(SS_GCM, "IDi_payload_body");
	ck_assert_uint_eq(m->idi.body.len, want.len);
	ck_assert_mem_eq(m->idi.body.p, want.p, want.len);
	ck_assert_uint_eq(m->idi.type, IKE_IDT_RFC822_ADDR);
	ck_assert_uint_eq(m->auth.method, IKE_AUTHM_SHARED_KEY_MIC);
	want = t_vec_key(SS_GCM, "AUTH_i");
	ck_assert_mem_eq(m->auth.data.p, want.p, want.len);
	ck_assert_uint_eq(m->cp.type, IKE_CFG_REQUEST);
	ck_assert_ptr_nonnull(a = cp_attr(&m->cp, IKE_CPA_INTERNAL_IP4_ADDRESS));
	ck_assert_uint_eq(a->value.len, 0);
	ck_assert_ptr_nonnull(cp_attr(&m->cp, IKE_CPA_INTERNAL_IP4_DNS));
	ck_assert_uint_eq(m->tsi.nts, 1);
	ck_assert_ptr_nonnull(ike_msg_notify(m, IKE_N_INITIAL_CONTACT));
	ck_assert_ptr_nonnull(ike_msg_notify(m, IKE_N_MOBIKE_SUPPORTED));

	vec_parse_full(resp, m, &b);
	want = t_vec_key(SS_GCM, "IDr_payload_body");
	ck_assert_mem_eq(m->idr.body.p, want.p, want.len);
	want = t_vec_key(SS_GCM, "AUTH_r");
	ck_assert_mem_eq(m->auth.data.p, want.p, want.len);
	ck_assert_uint_eq(m->cp.type, IKE_CFG_REPLY);
	ck_assert_ptr_nonnull(a = cp_attr(&m->cp, IKE_CPA_INTERNAL_IP4_ADDRESS));
	ck_assert_uint_eq(a->value.len, 4);
	ck_assert_mem_eq(a->value.p, vip, 4);
	ck_assert_ptr_nonnull(a = cp_attr(&m->cp, IKE_CPA_INTERNAL_IP4_DNS));
	ck_assert_mem_eq(a->value.p, dns, 4);
	ck_assert_uint_eq(m->sa.nprop, 1);
	ck_assert_uint_eq(m->sa.prop[0].proto, IKE_PROTO_ESP);
	ck_assert_uint_eq(m->tsr.ts[0].type, IKE_TST_IPV4_ADDR_RANGE);
	ck_assert_ptr_nonnull(ike_msg_notify(m, IKE_N_ADDITIONAL_IP4_ADDRESS));
}
END_TEST

/* EAP run: CERT (X.509), RFC 7427 AUTH, the EAP packets of eap.txt. */
START_TEST(vec_eap)
{
	struct ike_msg *m = t_msg();
	struct ike_span alg, sig;
	struct tbuf b;

	ck_assert_str_eq(vec_msgs[23].name, "04-IKE_AUTH-resp");
	vec_parse_full(&vec_msgs[23], m, &b);
	ck_assert_uint_eq(m->ncert, 1);
	ck_assert_uint_eq(m->cert[0].enc, IKE_CERT_X509_SIG);
	ck_assert_uint_eq(m->cert[0].data.p[0], 0x30);	/* DER SEQUENCE */
	ck_assert_uint_eq(m->auth.method, IKE_AUTHM_DIGITAL_SIGNATURE);
	ck_assert_int_eq(ike_pld_auth_sig_split(&m->auth, &alg, &sig), 0);
	ck_assert_uint_eq(alg.p[0], 0x30);
	ck_assert_uint_eq(m->eap.code, IKE_EAPC_REQUEST);
	ck_assert_uint_eq(m->eap.type, 1);		/* Identity */
	ck_assert_uint_eq(m->eap.msg.len, 5);

	vec_parse_full(&vec_msgs[24], m, &b);		/* 05: Identity */
	ck_assert_uint_eq(m->eap.code, IKE_EAPC_RESPONSE);
	ck_assert_uint_eq(m->eap.type_data.len, 5);
	ck_assert_mem_eq(m->eap.type_data.p, "alice", 5);
	vec_parse_full(&vec_msgs[25], m, &b);		/* 06: MSCHAPv2 */
	ck_assert_uint_eq(m->eap.id, 0xf2);
	ck_assert_uint_eq(m->eap.type, 26);
	vec_parse_full(&vec_msgs[29], m, &b);		/* 10: Success */
	ck_assert_uint_eq(m->eap.code, IKE_EAPC_SUCCESS);
	ck_assert_uint_eq(m->eap.msg.len, 4);
}
END_TEST

/* INFORMATIONAL: DELETE of the IKE SA; MOBIKE's address update. */
START_TEST(vec_informational)
{
	struct ike_msg *m = t_msg();
	struct tbuf b;
	const struct ike_pld_notify *n;

	vec_parse_full(&vec_msgs[4], m, &b);		/* CBC 05 */
	ck_assert_uint_eq(m->ndel, 1);
	ck_assert_uint_eq(m->del[0].proto, IKE_PROTO_IKE);
	ck_assert_uint_eq(m->del[0].spi_size, 0);
	ck_assert_uint_eq(m->del[0].nspi, 0);

	ck_assert_str_eq(vec_msgs[16].name, "05-INFORMATIONAL-req");
	vec_parse_full(&vec_msgs[16], m, &b);		/* responder's request */
	ck_assert_uint_eq(m->hdr.flags, 0x00);
	n = ike_msg_notify(m, IKE_N_ADDITIONAL_IP4_ADDRESS);
	ck_assert_ptr_nonnull(n);
	ck_assert_uint_eq(n->data.len, 4);
	vec_parse_full(&vec_msgs[17], m, &b);		/* initiator's answer */
	ck_assert_uint_eq(m->hdr.flags, IKE_FLAG_INITIATOR | IKE_FLAG_RESPONSE);
	ck_assert_uint_eq(m->npld, 1);			/* SK only, empty */
}
END_TEST

Suite *ike_vectors_suite(void);

Suite *
ike_vectors_suite(void)
{
	Suite *s = suite_create("ike_vectors");
	TCase *tc = tcase_create("vectors");

	tcase_add_loop_test(tc, vec_outer, 0, IR_ARRAY_LEN(vec_msgs));
	tcase_add_loop_test(tc, vec_inner, 0, IR_ARRAY_LEN(vec_msgs));
	tcase_add_loop_test(tc, vec_init_values, 0, IR_ARRAY_LEN(vec_dirs));
	tcase_add_test(tc, vec_proposals);
	tcase_add_test(tc, vec_auth_cp);
	tcase_add_test(tc, vec_eap);
	tcase_add_test(tc, vec_informational);
	suite_add_tcase(s, tc);
	return s;
}
