/* tests/ike/sa_harness.c: see sa_harness.h. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ir_err.h"
#include "ike/ike_algs.h"
#include "tests/check_util.h"
#include "tests/ike/sa_harness.h"

struct harness H;

#define H_LOG_CAP	(256 * 1024)

static int
h_send(void *ud, const uint8_t *msg, size_t len)
{
	(void)ud;
	ck_assert_int_lt(H.nsent, H_SENT_MAX);
	H.sent[H.nsent] = t_alloc(len);
	memcpy(H.sent[H.nsent], msg, len);
	H.sent_len[H.nsent] = len;
	H.nsent++;
	return 0;
}

static void
h_nat(void *ud, bool local, bool remote)
{
	(void)ud;
	H.nat_called = true;
	H.nat_local = local;
	H.nat_remote = remote;
}

static void
h_moved(void *ud, bool local, bool remote)
{
	(void)ud;
	H.nmoved++;
	H.moved_local = local;
	H.moved_remote = remote;
}

static void
h_redirect(void *ud, const struct ike_gw_id *to)
{
	(void)ud;
	H.redirect = *to;
	H.nredirect++;
}

static int
h_child_up(void *ud, const struct ike_child *c)
{
	(void)ud;
	H.child = *c;
	if (H.nchild_up < H_UPS_MAX)
		H.ups[H.nchild_up] = *c;
	H.nchild_up++;
	return 0;
}

static void
h_child_down(void *ud, uint32_t spi, int reason)
{
	(void)ud;
	(void)reason;
	H.down_spi = spi;
	H.ndown++;
}

static void
h_config(void *ud, const struct ike_cfg_reply *cfg)
{
	(void)ud;
	H.cfg = *cfg;
	H.ncfg++;
}

static void
h_closed(void *ud, const struct ike_close_info *info)
{
	(void)ud;
	H.close = *info;
	H.nclosed++;
}

static void
h_log(void *ud, int level, const char *line)
{
	size_t n = strlen(line);

	(void)ud;
	(void)level;
	if (H.log_len + n + 2 > H_LOG_CAP)
		return;
	memcpy(H.log + H.log_len, line, n);
	H.log_len += n;
	H.log[H.log_len++] = '\n';
	H.log[H.log_len] = '\0';
	if (getenv("IKE_TEST_LOG") != NULL)
		fprintf(stderr, "%s\n", line);
}

static void
h_auth_lifetime(void *ud, uint32_t seconds)
{
	(void)ud;
	H.auth_lifetime = seconds;
	H.nauth_lifetime++;
	H.auth_lifetime_ups = H.nchild_up;
}

static int
h_eap_prompt(void *ud, const char *prompt, char *buf, size_t cap)
{
	(void)ud;
	H.nprompt++;
	snprintf(H.prompt_seen, sizeof(H.prompt_seen), "%s", prompt);
	if (H.prompt_answer == NULL)
		return IR_ERR_AUTH;
	snprintf(buf, cap, "%s", H.prompt_answer);
	return 0;
}

static int
h_peer_cert(void *ud, struct ike_peer_cert *pc)
{
	int v = pc->eap_tls && H.peer_cert_eap_verdict != 0 ?
	    H.peer_cert_eap_verdict : H.peer_cert_verdict;
	int i = H.npeer_cert++;

	(void)ud;
	if (i < 4) {
		H.peer_chain_len[i] = pc->n_chain;
		H.peer_eap_tls[i] = pc->eap_tls;
		H.peer_chain_ok[i] = pc->n_chain >= 2 &&
		    pc->leaf == pc->chain[0].p &&
		    pc->leaf_len == pc->chain[0].len &&
		    pc->issuer == pc->chain[1].p &&
		    pc->issuer_len == pc->chain[1].len;
		H.peer_n_ocsp[i] = pc->n_ocsp;
		if (pc->n_ocsp > 0 && pc->ocsp[0].len <=
		    sizeof(H.peer_ocsp0)) {
			memcpy(H.peer_ocsp0, pc->ocsp[0].p, pc->ocsp[0].len);
			H.peer_ocsp0_len = pc->ocsp[0].len;
		}
	}
	if (v != 0 && v != IR_ERR_PENDING)
		snprintf(pc->why, sizeof(pc->why), "%s", H.peer_cert_why ?
		    H.peer_cert_why : "refused by the test");
	return v;
}

static int
h_cert_fetch(void *ud, unsigned idx, const char *url)
{
	(void)ud;
	if (H.nfetch < 4)
		snprintf(H.fetch_url[H.nfetch], sizeof(H.fetch_url[0]), "%s",
		    url);
	H.nfetch++;
	ck_assert_uint_lt(idx, IKE_FETCH_MAX);
	return H.fetch_rv;
}

static const struct ike_callbacks h_cbs = {
	.peer_cert = h_peer_cert,
	.send_msg = h_send,
	.nat = h_nat,
	.child_up = h_child_up,
	.child_down = h_child_down,
	.config = h_config,
	.closed = h_closed,
	.log = h_log,
	.random = t_random,
	.moved = h_moved,
	.eap_prompt = h_eap_prompt,
	.redirect = h_redirect,
	.auth_lifetime = h_auth_lifetime,
};

void
h_init(void)
{
	static const uint8_t id[] = "alice@vpn.test";

	memset(&H, 0, sizeof(H));
	H.log = t_alloc(H_LOG_CAP);
	ike_algs_default_ike(&H.conf.ike);
	ike_algs_default_esp(&H.conf.esp);
	H.conf.auth = IKE_CONF_AUTH_PSK;
	memcpy(H.conf.psk, H_PSK, strlen(H_PSK));
	H.conf.psk_len = strlen(H_PSK);
	H.conf.local_id.type = 3;		/* RFC822_ADDR */
	H.conf.local_id.len = sizeof(id) - 1;
	memcpy(H.conf.local_id.data, id, sizeof(id) - 1);
	H.conf.want_ip4 = true;
	H.conf.fragmentation = true;
	H.path.family = 4;
	memcpy(H.path.local_addr, (uint8_t[]){ 192, 0, 2, 2 }, 4);
	memcpy(H.path.remote_addr, (uint8_t[]){ 198, 51, 100, 10 }, 4);
	H.path.local_port = 500;
	H.path.remote_port = 500;
	H.now = 1000000;
}

static void
h_load_trust(void)
{
	struct crypto_cert *ca;
	struct tbuf b = t_vec_file("pki/root-ca.crt");

	ck_assert_int_eq(crypto_trust_new(&H.trust), 0);
	ck_assert_int_eq(crypto_cert_load(&ca, b.p, b.len), 0);
	ck_assert_int_eq(crypto_trust_add_cert(H.trust, ca), 0);
	crypto_cert_free(ca);
	H.conf.trust = H.trust;
}

/* client-rsa3072 (alice@vpn.test) and its key, for H.conf. */
static void
h_load_client_cert(void)
{
	struct tbuf b = t_vec_file("pki/client-rsa3072.key");

	ck_assert_int_eq(crypto_pkey_load_private(&H.key, b.p, b.len, NULL),
	    0);
	b = t_vec_file("pki/client-rsa3072.crt");
	ck_assert_int_eq(crypto_cert_load(&H.cert, b.p, b.len), 0);
	H.conf.key = H.key;
	H.conf.cert = H.cert;
}

void
h_init_cert(void)
{
	h_init();
	H.conf.auth = IKE_CONF_AUTH_CERT;
	H.conf.psk_len = 0;
	h_load_client_cert();
	h_load_trust();
	H.popts.auth = PEER_AUTH_CERT;
}

void
h_init_eap(void)
{
	h_init();
	H.conf.auth = IKE_CONF_AUTH_EAP;
	H.conf.psk_len = 0;
	strcpy(H.conf.eap_identity, "alice");
	strcpy(H.conf.eap_password, "alice-password");
	h_load_trust();
	H.popts.eap = true;
	H.popts.eap_password = "alice-password";
}

void
h_init_eap_tls(void)
{
	h_init_eap();
	H.conf.eap_method = IKE_EAP_TLS;
	H.conf.eap_password[0] = '\0';
	strcpy(H.conf.eap_identity, "alice@vpn.test");
	h_load_client_cert();
	H.popts.eap = false;
	H.popts.eap_method = IKE_EAP_TLS;
}

void
h_start(void)
{
	struct ike_callbacks cbs = h_cbs;

	if (H.fetch_on)
		cbs.cert_fetch = h_cert_fetch;
	ck_assert_int_eq(ike_sa_new(&H.sa, &H.conf, &H.path, &cbs, &H,
	    H.now), 0);
	H.peer = peer_new(&H.popts, H_PSK);
	ck_assert_int_eq(ike_sa_start(H.sa, H.now), 0);
	ck_assert_int_eq(H.nsent, 1);
}

int
h_to_peer(int i)
{
	ck_assert_int_lt(i, H.nsent);
	return peer_input(H.peer, H.sent[i], H.sent_len[i]);
}

int
h_peer_to_sa(void)
{
	int i, rv = 0;

	for (i = 0; i < H.peer->nout; i++)
		rv = ike_sa_input(H.sa, H.peer->out[i], H.peer->out_len[i],
		    H.now);
	return rv;
}

void
h_run(void)
{
	while (H.fed < H.nsent && H.nclosed == 0) {
		ck_assert_int_eq(h_to_peer(H.fed), 0);
		H.fed++;
		(void)h_peer_to_sa();
	}
}

void
h_established(void)
{
	h_start();
	h_run();
	ck_assert_int_eq(H.nclosed, 0);
	ck_assert(ike_sa_established(H.sa));
}

bool
h_logged(const char *s)
{
	return H.log != NULL && strstr(H.log, s) != NULL;
}

void
h_clear_sent(void)
{
	H.nsent = 0;
	H.fed = 0;
	H.log_len = 0;
	H.log[0] = '\0';
}

void
h_free(void)
{
	ike_sa_free(H.sa);
	peer_free(H.peer);
	crypto_pkey_free(H.key);
	crypto_cert_free(H.cert);
	crypto_trust_free(H.trust);
	H.sa = NULL;
}
