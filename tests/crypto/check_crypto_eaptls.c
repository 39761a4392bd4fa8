/*
 * tests/crypto/check_crypto_eaptls.c: the TLS peer of EAP-TLS against
 * the test server of tests/tls_srv.c (OpenSSL used directly, its MSK of
 * TLS 1.2 from the master secret with its own PRF call): both versions,
 * the MSKs of RFC 5216 §2.3 and RFC 9190 §2.3, the protected success
 * indication, and every refusal with its code.
 */
#include <check.h>
#include <string.h>

#include "common/ir_err.h"
#include "crypto/crypto_eaptls.h"
#include "crypto/crypto_sig.h"
#include "tests/check_util.h"
#include "tests/eaptls_keylog.h"
#include "tests/tls_srv.h"

_Static_assert(KEYLOG_MSK_LEN == CRYPTO_EAPTLS_MSK_LEN, "one MSK size");

struct pair {
	struct crypto_pkey	*key;
	struct crypto_cert	*cert;
	struct crypto_trust	*trust;
	struct crypto_eaptls	*c;
	struct tls_srv		*s;
	int			 crv, srv;	/* last results */
	bool			 cdone;
};

static void
pair_init(struct pair *p, const struct tls_srv_opts *so, uint16_t cmax,
    const char *anchor, const char *gw_name)
{
	struct crypto_eaptls_conf c;
	struct crypto_cert *ca;
	struct tbuf b;

	memset(p, 0, sizeof(*p));
	b = t_vec_file("pki/client-rsa3072.key");
	ck_assert_int_eq(crypto_pkey_load_private(&p->key, b.p, b.len, NULL),
	    0);
	b = t_vec_file("pki/client-rsa3072.crt");
	ck_assert_int_eq(crypto_cert_load(&p->cert, b.p, b.len), 0);
	ck_assert_int_eq(crypto_trust_new(&p->trust), 0);
	b = t_vec_file(anchor);
	ck_assert_int_eq(crypto_cert_load(&ca, b.p, b.len), 0);
	ck_assert_int_eq(crypto_trust_add_cert(p->trust, ca), 0);
	crypto_cert_free(ca);
	memset(&c, 0, sizeof(c));
	c.key = p->key;
	c.cert = p->cert;
	c.trust = p->trust;
	c.max_version = cmax;
	c.ids[0] = (struct crypto_eaptls_id){ 2, (const uint8_t *)gw_name,
	    strlen(gw_name), false };
	c.nids = 1;
	ck_assert_int_eq(crypto_eaptls_new(&p->c, &c), 0);
	p->s = tls_srv_new(so);
}

static void
pair_free(struct pair *p)
{
	crypto_eaptls_free(p->c);
	tls_srv_free(p->s);
	crypto_pkey_free(p->key);
	crypto_cert_free(p->cert);
	crypto_trust_free(p->trust);
}

/* Move records both ways until nothing moves or one side fails. */
static void
pair_run(struct pair *p)
{
	uint8_t buf[4096];
	size_t n;
	int round;

	p->crv = crypto_eaptls_step(p->c, &p->cdone);
	for (round = 0; round < 20 && p->crv == 0 && p->srv >= 0; round++) {
		bool moved = false;

		while ((n = crypto_eaptls_output(p->c, buf, sizeof(buf))) > 0) {
			p->srv = tls_srv_input(p->s, buf, n);
			moved = true;
		}
		if (p->srv < 0 && tls_srv_pending(p->s) == 0)
			break;
		while ((n = tls_srv_output(p->s, buf, sizeof(buf))) > 0) {
			ck_assert_int_eq(crypto_eaptls_input(p->c, buf, n), 0);
			moved = true;
		}
		p->crv = crypto_eaptls_step(p->c, &p->cdone);
		if (!moved)
			break;
	}
}

static const struct {
	uint16_t	srv_max, cli_max, want;
	int		indication;
	bool		rfc_msk;
} runs[] = {
	{ 0x0303, 0, 0x0303, 0, true },		/* RFC 5216 */
	{ 0, 0x0303, 0x0303, 0, true },		/* we cap at 1.2 */
	{ 0, 0, 0x0304, 0, true },		/* RFC 9190 */
	{ 0, 0, 0x0304, 1, false },		/* the drafts, 5.9.8 */
};

START_TEST(handshake_and_msk)
{
	struct tls_srv_opts so = { .max_version = runs[_i].srv_max,
	    .indication = runs[_i].indication };
	uint8_t mine[64], theirs[64];
	struct pair p;
	bool legacy;

	pair_init(&p, &so, runs[_i].cli_max, "pki/root-ca.crt", "vpn.test");
	pair_run(&p);
	ck_assert_int_eq(p.crv, 0);
	ck_assert(p.cdone);
	ck_assert_int_eq(tls_srv_version(p.s), runs[_i].want);
	ck_assert_uint_eq(crypto_eaptls_version(p.c), runs[_i].want);
	/* TLS 1.2's Finished is the proof; TLS 1.3 needs the 0x00. */
	ck_assert(crypto_eaptls_success(p.c) == runs[_i].rfc_msk);
	ck_assert_int_eq(crypto_eaptls_msk(p.c, mine, &legacy), 0);
	ck_assert(legacy == !runs[_i].rfc_msk);
	tls_srv_msk(p.s, theirs);
	ck_assert_mem_eq(mine, theirs, 64);
	pair_free(&p);
}
END_TEST

/*
 * keylog_msk() of tests/eaptls_keylog.c (what the recorded exchanges of
 * tests/vectors/strongswan-eaptls-udp are checked with) gives what
 * crypto_eaptls_msk() asks OpenSSL for, from the secrets the server's
 * key log records: every run of the table, with 1.2's PRF and 1.3's
 * exporter, each label.  A wrong secret or random changes it.
 */
START_TEST(msk_from_secrets)
{
	struct tls_srv_opts so = { .max_version = runs[_i].srv_max,
	    .indication = runs[_i].indication };
	struct keylog_secrets sec = { 0 };
	uint8_t mine[64], from[64], cr[32], sr[32], bad[64];
	struct pair p;
	bool legacy;

	pair_init(&p, &so, runs[_i].cli_max, "pki/root-ca.crt", "vpn.test");
	pair_run(&p);
	ck_assert_int_eq(p.crv, 0);
	ck_assert_int_eq(crypto_eaptls_msk(p.c, mine, &legacy), 0);
	sec.version = runs[_i].want;
	sec.legacy = legacy;
	tls_srv_secrets(p.s, &sec.suite, &sec.secret, &sec.secret_len, cr,
	    sr);
	ck_assert_uint_eq(sec.secret_len, runs[_i].want == 0x0303 ? 48 :
	    sec.suite == 0x1302 ? 48 : 32);
	sec.client_random = cr;
	sec.server_random = sr;
	ck_assert_int_eq(keylog_msk(&sec, from), 0);
	ck_assert_mem_eq(from, mine, 64);
	/* The other label of TLS 1.3, a flipped random, a short secret. */
	if (sec.version == 0x0304) {
		sec.legacy = !legacy;
		ck_assert_int_eq(keylog_msk(&sec, bad), 0);
		ck_assert(memcmp(bad, mine, 64) != 0);
		sec.legacy = legacy;
	} else {
		sr[31] ^= 1;
		ck_assert_int_eq(keylog_msk(&sec, bad), 0);
		ck_assert(memcmp(bad, mine, 64) != 0);
	}
	sec.secret_len--;
	ck_assert_int_eq(keylog_msk(&sec, bad),
	    IR_ERR_CONFIG);
	sec.secret_len++;
	sec.suite = 0xfefe;	/* no such suite */
	ck_assert_int_eq(keylog_msk(&sec, bad),
	    IR_ERR_CONFIG);
	pair_free(&p);
}
END_TEST

START_TEST(msk_before_handshake)
{
	struct tls_srv_opts so = { 0 };
	uint8_t msk[64];
	struct pair p;
	bool legacy;

	pair_init(&p, &so, 0, "pki/root-ca.crt", "vpn.test");
	ck_assert_int_eq(crypto_eaptls_msk(p.c, msk, &legacy),
	    IR_ERR_UNEXPECTED);
	ck_assert(!crypto_eaptls_success(p.c));
	pair_free(&p);
}
END_TEST

/* Whatever follows the handshake that is not one 0x00 ends the method. */
START_TEST(wrong_indication)
{
	struct tls_srv_opts so = { .indication = 2 };
	struct pair p;

	pair_init(&p, &so, 0, "pki/root-ca.crt", "vpn.test");
	pair_run(&p);
	ck_assert_int_eq(p.crv, IR_ERR_UNEXPECTED);
	ck_assert(strstr(crypto_eaptls_detail(p.c), "success indication"));
	pair_free(&p);
}
END_TEST

static const struct {
	const char	*anchor, *name, *client_ca, *detail;
	int		 rv;
} refusals[] = {
	/* The gateway's certificate from a CA we do not trust. */
	{ "pki/other-ca.crt", "vpn.test", NULL, "", IR_ERR_CERT },
	/* Trusted, but not for the gateway's identity. */
	{ "pki/root-ca.crt", "other.vpn.test", NULL,
	    "does not carry the gateway's identity", IR_ERR_PEER_ID },
	/* The gateway does not trust our certificate: its alert. */
	{ "pki/root-ca.crt", "vpn.test", "pki/other-ca.crt", "alert",
	    IR_ERR_AUTH },
};

START_TEST(refused)
{
	struct tls_srv_opts so = { .client_ca = refusals[_i].client_ca };
	struct pair p;

	if (refusals[_i].client_ca != NULL)
		so.max_version = 0x0303;	/* the alert comes in 1.2 */
	pair_init(&p, &so, 0, refusals[_i].anchor, refusals[_i].name);
	pair_run(&p);
	ck_assert_int_eq(p.crv, refusals[_i].rv);
	ck_assert(!p.cdone);
	ck_assert(strstr(crypto_eaptls_detail(p.c), refusals[_i].detail));
	pair_free(&p);
}
END_TEST

START_TEST(bad_config)
{
	struct crypto_eaptls_conf c = { 0 };
	struct crypto_eaptls *t = NULL;
	struct crypto_trust *trust;

	ck_assert_int_eq(crypto_eaptls_new(&t, &c), IR_ERR_CONFIG);
	ck_assert_ptr_null(t);
	ck_assert_int_eq(crypto_trust_new(&trust), 0);
	c.trust = trust;
	ck_assert_int_eq(crypto_eaptls_new(&t, &c), IR_ERR_CONFIG); /* no key */
	c.nids = CRYPTO_EAPTLS_IDS_MAX + 1;
	ck_assert_int_eq(crypto_eaptls_new(&t, &c), IR_ERR_CONFIG);
	crypto_trust_free(trust);
	crypto_eaptls_free(NULL);
}
END_TEST

Suite *
eaptls_suite(void)
{
	Suite *s = suite_create("eaptls");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, handshake_and_msk, 0,
	    sizeof(runs) / sizeof(runs[0]));
	tcase_add_loop_test(tc, msk_from_secrets, 0,
	    sizeof(runs) / sizeof(runs[0]));
	tcase_add_test(tc, msk_before_handshake);
	tcase_add_test(tc, wrong_indication);
	tcase_add_loop_test(tc, refused, 0,
	    sizeof(refusals) / sizeof(refusals[0]));
	tcase_add_test(tc, bad_config);
	suite_add_tcase(s, tc);
	return s;
}
