/*
 * tests/ike/check_ike_eaptls_vectors.c: the real EAP-TLS exchanges of
 * tests/vectors/strongswan-eaptls-udp/ (ikeroam against strongSwan 5.9.8,
 * TLS 1.2 and TLS 1.3; README.md there) through our code.
 *
 * For each run: decrypt every IKE_AUTH message with the recorded SK_ei/er
 * (ike_msg_open(), our SK code) and compare with the gateway's plaintext;
 * take the EAP payloads; put the EAP-TLS fragments of both sides through
 * our reassembly (ike_eaptls_parse(), ike_eaptls_rx_add()) into TLS
 * flights, which must equal the builder's own reassembly (tls/NN-*.hex,
 * Python) and be tiled by their TLS records; take the randoms and the
 * suite from the reassembled ClientHello and ServerHello; derive the MSK
 * with keylog_msk() (tests/eaptls_keylog.c) from the recorded TLS secret
 * (RFC 5216 §2.3; RFC 9190 §2.3, or the drafts' label that 5.9.8 used);
 * and prove that MSK with the exchange itself: the AUTH of our last
 * IKE_AUTH request and the gateway's final AUTH, recomputed from it
 * (RFC 7296 §2.15, §2.16), equal the recorded AUTH payloads.
 *
 * The last tests show that this fails when it should: a fragment lost or
 * repeated, or the other MSK label.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto.h"
#include "crypto/crypto_eaptls.h"
#include "ike/ike_int.h"
#include "tests/check_util.h"
#include "tests/eaptls_keylog.h"
#include "tests/ike/ike_test_util.h"

#define TLS12	"strongswan-eaptls-udp/tls12-aesgcm128-prfsha256-x25519"
#define TLS13	"strongswan-eaptls-udp/tls13-aesgcm128-prfsha256-x25519"
#define EAP_TYPE_TLS	13
#define FLIGHTS_MAX	6

/* What each run holds (tls/flights.txt and eap.txt of its directory). */
static const struct eaptls_vec {
	const char	*dir;
	unsigned	 nmsg;		/* IKE messages, DELETE included */
	uint16_t	 version;
	unsigned	 nflights;
	uint16_t	 frags[FLIGHTS_MAX];	/* EAP-TLS fragments each */
} vecs[] = {
	/* ClientHello; ServerHello..Done (gateway: 3 fragments); our
	 * Certificate..Finished (ours: 2); the gateway's Finished. */
	{ TLS12, 22, 0x0303, 4, { 1, 3, 2, 1 } },
	/* ClientHello; ServerHello..Finished; our Certificate..Finished. */
	{ TLS13, 20, 0x0304, 3, { 1, 3, 2 } },
};

/* What a walk through a run gathers. */
struct walk {
	struct tbuf	 msg1, msg2;
	uint8_t		 ni[64], nr[64];
	size_t		 ni_len, nr_len;
	uint8_t		 idi[64], idr[64];
	size_t		 idi_len, idr_len;
	uint8_t		 auth_i[64], auth_r[64];	/* the MSK AUTHs */
	size_t		 auth_i_len, auth_r_len;
	unsigned	 nauth_r;
	bool		 success;		/* EAP-Success seen */
	unsigned	 nflights;
	struct flight {
		uint8_t	 p[4096];
		size_t	 len;
		bool	 client;
		uint16_t nfrag;
	} flight[FLIGHTS_MAX];
	int		 rx_rv;		/* first error of ike_eaptls_rx_add */
	bool		 rx_open;	/* a flight left unfinished */
};

/* How to spoil a walk, to see the checks fail. */
struct spoil {
	unsigned	 drop_msg;	/* skip this message's EAP-TLS data */
	unsigned	 dup_msg;	/* feed this message's data twice */
};

static void
msg_name(const struct eaptls_vec *v, unsigned i, char *buf, size_t cap)
{
	const char *exch = i <= 2 ? "IKE_SA_INIT" : i > v->nmsg - 2 ?
	    "INFORMATIONAL" : "IKE_AUTH";

	snprintf(buf, cap, "%s/%02u-%s-%s", v->dir, i, exch, i % 2 ? "req" :
	    "resp");
}

static struct tbuf
msg_load(const struct eaptls_vec *v, unsigned i, const char *ext)
{
	char name[256], rel[300];

	msg_name(v, i, name, sizeof(name));
	snprintf(rel, sizeof(rel), "%s%s", name, ext);
	return t_vec_hex(rel);
}

static bool
has_pld(const struct ike_msg *m, uint8_t type)
{
	uint8_t i;

	for (i = 0; i < m->npld; i++)
		if (m->pld[i].type == type)
			return true;
	return false;
}

static void
copy_out(uint8_t *dst, size_t cap, size_t *len, struct ike_span s)
{
	ck_assert_uint_le(s.len, cap);
	memcpy(dst, s.p, s.len);
	*len = s.len;
}

/* One EAP-TLS packet of |m| through our reassembly. */
static void
walk_eaptls(struct walk *w, struct ike_eaptls_rx rx[2],
    const struct ike_msg *m, int times)
{
	bool client = m->eap.code == IKE_EAPC_RESPONSE, complete;
	struct ike_eaptls_frag f;
	struct flight *fl;
	int rv, k;

	ck_assert_int_eq(ike_eaptls_parse(m->eap.type_data.p,
	    m->eap.type_data.len, &f), 0);
	if (f.flags & IKE_EAPTLS_F_START) {
		ck_assert(!client);
		ck_assert_uint_eq(f.data.len, 0);
		return;
	}
	/* No data and no length: an ACK (RFC 5216 §2.1.5), or our empty
	 * answer to the gateway's last TLS 1.2 flight. */
	if (f.data.len == 0 && !f.has_len)
		return;
	for (k = 0; k < times; k++) {
		struct ike_eaptls_rx *r = &rx[client];

		if (!r->active) {
			ck_assert_uint_lt(w->nflights, FLIGHTS_MAX);
			w->flight[w->nflights].client = client;
			w->flight[w->nflights].len = 0;
			w->flight[w->nflights].nfrag = 0;
			w->nflights++;
		}
		if ((rv = ike_eaptls_rx_add(r, &f, &complete)) != 0) {
			if (w->rx_rv == 0)
				w->rx_rv = rv;
			return;
		}
		fl = &w->flight[w->nflights - 1];
		ck_assert(fl->client == client);
		ck_assert_uint_le(fl->len + f.data.len, sizeof(fl->p));
		memcpy(fl->p + fl->len, f.data.p, f.data.len);
		fl->len += f.data.len;
		fl->nfrag++;
	}
}

/* Every message of |v|: SK opened with the recorded keys, and what the
 * MSK check needs.  Stops at the first error of the reassembly. */
static void
walk_run(const struct eaptls_vec *v, struct walk *w, const struct spoil *sp)
{
	struct tbuf ek_i = t_vec_key(v->dir, "SK_ei");
	struct tbuf ek_r = t_vec_key(v->dir, "SK_er");
	struct ike_eaptls_rx rx[2];
	struct ike_msg *m = t_msg();
	unsigned i;

	memset(w, 0, sizeof(*w));
	memset(rx, 0, sizeof(rx));
	w->msg1 = msg_load(v, 1, ".hex");
	w->msg2 = msg_load(v, 2, ".hex");
	ck_assert_int_eq(ike_msg_parse(m, w->msg1.p, w->msg1.len), 0);
	copy_out(w->ni, sizeof(w->ni), &w->ni_len, m->nonce);
	ck_assert_int_eq(ike_msg_parse(m, w->msg2.p, w->msg2.len), 0);
	copy_out(w->nr, sizeof(w->nr), &w->nr_len, m->nonce);
	for (i = 3; i <= v->nmsg - 2; i++) {
		struct tbuf b = msg_load(v, i, ".hex");
		struct tbuf want = msg_load(v, i, ".inner.hex");
		struct crypto_xform *x = NULL;
		struct ike_span plain;
		bool init;
		int times;

		ck_assert_int_eq(ike_msg_parse(m, b.p, b.len), 0);
		ck_assert_uint_eq(m->hdr.exch, IKE_EXCH_IKE_AUTH);
		init = (m->hdr.flags & IKE_FLAG_INITIATOR) != 0;
		ck_assert(init == (i % 2 == 1));
		/* AES-GCM-16-128 (keys.txt: ike_transforms). */
		ck_assert_int_eq(crypto_xform_new(&x, IKE_ENCR_AES_GCM_16, 128,
		    0, init ? ek_i.p : ek_r.p, init ? ek_i.len : ek_r.len,
		    NULL, 0), 0);
		ck_assert_int_eq(ike_sk_open(x, b.p, m, &plain), 0);
		crypto_xform_free(x);
		/* The gateway's logged plaintext, then its chain. */
		ck_assert_uint_eq(plain.len, want.len);
		ck_assert_mem_eq(plain.p, want.p, want.len);
		ck_assert_int_eq(ike_msg_parse_inner(m, m->sk.next_type,
		    plain.p, plain.len), 0);
		ck_assert_int_eq(ike_msg_check_rules(m), 0);
		if (i == 3)
			copy_out(w->idi, sizeof(w->idi), &w->idi_len,
			    m->idi.body);
		if (i == 4)
			copy_out(w->idr, sizeof(w->idr), &w->idr_len,
			    m->idr.body);
		if (has_pld(m, IKE_PLD_AUTH) && init) {
			ck_assert_uint_eq(m->auth.method,
			    IKE_AUTHM_SHARED_KEY_MIC);
			copy_out(w->auth_i, sizeof(w->auth_i), &w->auth_i_len,
			    m->auth.data);
		} else if (has_pld(m, IKE_PLD_AUTH)) {
			/* Its certificate's first, then the MSK's. */
			if (++w->nauth_r > 1) {
				ck_assert_uint_eq(m->auth.method,
				    IKE_AUTHM_SHARED_KEY_MIC);
				copy_out(w->auth_r, sizeof(w->auth_r),
				    &w->auth_r_len, m->auth.data);
			}
		}
		if (!has_pld(m, IKE_PLD_EAP))
			continue;
		if (m->eap.code == IKE_EAPC_SUCCESS)
			w->success = true;
		if (m->eap.type != EAP_TYPE_TLS)
			continue;
		times = i == sp->drop_msg ? 0 : i == sp->dup_msg ? 2 : 1;
		walk_eaptls(w, rx, m, times);
		if (w->rx_rv != 0)
			return;
	}
	w->rx_open = rx[0].active || rx[1].active;
}

/* The TLS records of |p| (RFC 5246 §6.2.1, RFC 8446 §5.1) tile it. */
static bool
records_tile(const uint8_t *p, size_t len)
{
	size_t off = 0;

	while (off < len) {
		if (len - off < 5 || p[off] < 20 || p[off] > 23 ||
		    p[off + 1] != 3)
			return false;
		off += 5 + wire_get_u16(p + off + 3);
		if (off > len)
			return false;
	}
	return len > 0;
}

/* A Hello's random and (ServerHello) suite, from the first record. */
static void
hello(const uint8_t *p, size_t len, uint8_t type, uint8_t random[32],
    uint16_t *suite)
{
	/* record header (5), handshake header (4), legacy_version (2) */
	ck_assert_uint_ge(len, 5 + 4 + 2 + 32 + 1);
	ck_assert_uint_eq(p[0], 22);		/* handshake */
	ck_assert_uint_eq(p[5], type);
	memcpy(random, p + 11, 32);
	if (suite != NULL) {
		size_t sid = p[43];

		ck_assert_uint_ge(len, 44 + sid + 2);
		*suite = wire_get_u16(p + 44 + sid);
	}
}

/* AUTH = prf(prf(MSK, "Key Pad for IKEv2"), msg | nonce | prf(SK_p, ID')),
 * with ike_auth_psk() (§2.15: the MSK in place of the shared key). */
static void
auth_of(const uint8_t *msk, struct tbuf msg, const uint8_t *nonce,
    size_t nonce_len, struct tbuf skp, const uint8_t *id, size_t id_len,
    uint8_t out[CRYPTO_PRF_MAX])
{
	struct crypto_iov idv = { id, id_len };
	uint8_t *oct = t_alloc(msg.len + nonce_len + CRYPTO_PRF_MAX);

	memcpy(oct, msg.p, msg.len);
	memcpy(oct + msg.len, nonce, nonce_len);
	ck_assert_int_eq(crypto_prf(IKE_PRF_HMAC_SHA2_256, skp.p, skp.len,
	    &idv, 1, oct + msg.len + nonce_len), 0);
	ck_assert_int_eq(ike_auth_psk(IKE_PRF_HMAC_SHA2_256, msk,
	    CRYPTO_EAPTLS_MSK_LEN, oct, msg.len + nonce_len + 32, out), 0);
}

/* The MSK of |v| from its recorded TLS secret, the randoms and suite of
 * the flights |w| reassembled, and the derivation keys.txt names. */
static void
msk_of(const struct eaptls_vec *v, const struct walk *w, bool flip_label,
    uint8_t msk[CRYPTO_EAPTLS_MSK_LEN])
{
	struct keylog_secrets s = { .version = v->version };
	const char *how = t_vec_key_str(v->dir, "MSK_derivation");
	uint8_t cr[32], sr[32];
	struct tbuf sec;

	hello(w->flight[0].p, w->flight[0].len, 1, cr, NULL);
	hello(w->flight[1].p, w->flight[1].len, 2, sr, &s.suite);
	sec = t_vec_key(v->dir, v->version == 0x0303 ? "TLS_master_secret" :
	    "TLS_exporter_master_secret");
	s.secret = sec.p;
	s.secret_len = sec.len;
	s.client_random = cr;
	s.server_random = sr;
	/* 5.9.8's TLS 1.3 is the drafts' (no RFC 9190 indication). */
	s.legacy = strcmp(how, "DRAFT") == 0;
	ck_assert(strcmp(how, v->version == 0x0303 ? "RFC5216" : "DRAFT") ==
	    0);
	if (flip_label)
		s.legacy = !s.legacy;
	ck_assert_int_eq(keylog_msk(&s, msk), 0);
}

/* Both MSK AUTHs of |w| recomputed from |msk|: true when both match. */
static bool
auths_match(const struct eaptls_vec *v, const struct walk *w,
    const uint8_t *msk)
{
	uint8_t a_i[CRYPTO_PRF_MAX], a_r[CRYPTO_PRF_MAX];

	auth_of(msk, w->msg1, w->nr, w->nr_len, t_vec_key(v->dir, "SK_pi"),
	    w->idi, w->idi_len, a_i);
	auth_of(msk, w->msg2, w->ni, w->ni_len, t_vec_key(v->dir, "SK_pr"),
	    w->idr, w->idr_len, a_r);
	return memcmp(a_i, w->auth_i, 32) == 0 &&
	    memcmp(a_r, w->auth_r, 32) == 0;
}

/* The flights of |w|: who sent them, in how many fragments, equal to
 * the builder's reassembly (tls/NN-*.hex), each tiled by its records. */
static bool
flights_ok(const struct eaptls_vec *v, const struct walk *w)
{
	struct tbuf want;
	unsigned i;
	char rel[300];

	if (w->nflights != v->nflights)
		return false;
	for (i = 0; i < w->nflights; i++) {
		if (w->flight[i].client != (i % 2 == 0) ||
		    w->flight[i].nfrag != v->frags[i])
			return false;
		snprintf(rel, sizeof(rel), "%s/tls/%02u-%s.hex", v->dir, i + 1,
		    w->flight[i].client ? "client" : "server");
		want = t_vec_hex(rel);
		if (w->flight[i].len != want.len ||
		    memcmp(w->flight[i].p, want.p, want.len) != 0 ||
		    !records_tile(w->flight[i].p, w->flight[i].len))
			return false;
	}
	return true;
}

START_TEST(eaptls_vec_exchange)
{
	const struct eaptls_vec *v = &vecs[_i];
	struct spoil none = { 0, 0 };
	struct walk *w = t_alloc(sizeof(*w));
	uint8_t msk[CRYPTO_EAPTLS_MSK_LEN];
	struct tbuf want;

	walk_run(v, w, &none);
	ck_assert_int_eq(w->rx_rv, 0);
	ck_assert(!w->rx_open);
	ck_assert(w->success);
	ck_assert_uint_eq(w->nauth_r, 2);
	ck_assert_uint_eq(w->auth_i_len, 32);
	ck_assert_uint_eq(w->auth_r_len, 32);

	ck_assert_uint_eq(w->nflights, v->nflights);
	ck_assert(flights_ok(v, w));

	/* The MSK from the recorded secret proves both AUTHs; it is also
	 * the one the builder derived (and the gateway logged). */
	msk_of(v, w, false, msk);
	ck_assert_msg(auths_match(v, w, msk), "the MSK proves no AUTH");
	want = t_vec_key(v->dir, "MSK");
	ck_assert_mem_eq(msk, want.p, CRYPTO_EAPTLS_MSK_LEN);
	want = t_vec_key(v->dir, "AUTH_i");
	ck_assert_mem_eq(w->auth_i, want.p, 32);
	want = t_vec_key(v->dir, "AUTH_r");
	ck_assert_mem_eq(w->auth_r, want.p, 32);
}
END_TEST

/* A wrong derivation proves neither AUTH: for 1.3 the other label
 * (RFC 9190's where 5.9.8 used the drafts'), for 1.2 the randoms in the
 * wrong order (server.random | client.random). */
START_TEST(eaptls_vec_wrong_msk)
{
	const struct eaptls_vec *v = &vecs[_i];
	struct spoil none = { 0, 0 };
	struct walk *w = t_alloc(sizeof(*w));
	uint8_t msk[CRYPTO_EAPTLS_MSK_LEN];

	walk_run(v, w, &none);
	if (v->version == 0x0304) {
		msk_of(v, w, true, msk);
	} else {
		/* client.random | server.random in the wrong order. */
		uint8_t tmp[4096];
		size_t n = w->flight[0].len;

		memcpy(tmp, w->flight[0].p, n);
		memcpy(w->flight[0].p + 11, w->flight[1].p + 11, 32);
		memcpy(w->flight[1].p + 11, tmp + 11, 32);
		msk_of(v, w, false, msk);
	}
	ck_assert(!auths_match(v, w, msk));
}
END_TEST

/*
 * A fragment lost (the gateway's second, or our first) or fed twice:
 * the reassembly refuses the flight (its TLS Message Length no longer
 * adds up), or the flights are not the recorded ones.
 */
static const struct spoil spoils[] = {
	{ 10, 0 },	/* the gateway's 2nd fragment of ServerHello.. */
	{ 13, 0 },	/* our 1st fragment of Certificate.. */
	{ 0, 10 },
	{ 0, 15 },	/* our last fragment, twice */
};

START_TEST(eaptls_vec_spoiled)
{
	const struct spoil *sp = &spoils[_i % IR_ARRAY_LEN(spoils)];
	const struct eaptls_vec *v = &vecs[_i / IR_ARRAY_LEN(spoils)];
	struct walk *w = t_alloc(sizeof(*w));

	walk_run(v, w, sp);
	ck_assert(w->rx_rv == IR_ERR_MALFORMED || !flights_ok(v, w));
}
END_TEST

Suite *ike_eaptls_vectors_suite(void);

Suite *
ike_eaptls_vectors_suite(void)
{
	Suite *s = suite_create("ike_eaptls_vectors");
	TCase *tc = tcase_create("vectors");

	tcase_add_loop_test(tc, eaptls_vec_exchange, 0, IR_ARRAY_LEN(vecs));
	tcase_add_loop_test(tc, eaptls_vec_wrong_msk, 0, IR_ARRAY_LEN(vecs));
	tcase_add_loop_test(tc, eaptls_vec_spoiled, 0,
	    IR_ARRAY_LEN(vecs) * IR_ARRAY_LEN(spoils));
	suite_add_tcase(s, tc);
	return s;
}
