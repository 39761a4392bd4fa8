/*
 * tests/fuzz/fuzz_eap.c: the EAP parsers of the engine on any input.
 * The first octet picks our method (MSCHAPv2, GTC, TLS) and whether the
 * gateway went EAP-only; the rest is a list of EAP packets, each
 * [len16][packet], which go through ike_pld_eap_parse(), the EAP-TLS
 * framing (ike_eaptls_parse(), ike_eaptls_rx_add() with its bounds
 * checked here) and ike_eap_answer() on one SA, until the SA closes.
 * Every packet is an exactly sized heap copy; every answer must be a
 * well-formed EAP Response of the length it says.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/wire.h"
#include "crypto/crypto_sig.h"
#include "ike/ike_algs.h"
#include "ike/ike_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PACKETS_MAX	64

static struct crypto_pkey *key;
static struct crypto_cert *cert;
static struct crypto_trust *trust;
static bool closed;

/* The test key, read as it is: the tree keeps it world-readable, which
 * crypto_pkey_load_private_file() rightly refuses. */
static int
load_key(const char *path)
{
	static uint8_t buf[8192];
	size_t n;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return crypto_pkey_load_private(&key, buf, n, NULL);
}

static void
load(void)
{
	if (trust != NULL)
		return;
	if (load_key(VEC_DIR "/pki/client-ecdsa-p256.key") != 0 ||
	    crypto_cert_load_file(&cert, VEC_DIR
	    "/pki/client-ecdsa-p256.crt") != 0 ||
	    crypto_trust_new(&trust) != 0 ||
	    crypto_trust_add_file(trust, VEC_DIR "/pki/root-ca.crt") != 0) {
		fprintf(stderr, "fuzz_eap: cannot load %s\n", VEC_DIR);
		abort();
	}
}

static int
f_send(void *ud, const uint8_t *msg, size_t len)
{
	(void)ud;
	(void)msg;
	(void)len;
	return 0;
}

static void
f_closed(void *ud, const struct ike_close_info *info)
{
	(void)ud;
	(void)info;
	closed = true;
}

static void
f_random(void *ud, uint8_t *buf, size_t len)
{
	(void)ud;
	memset(buf, 0x5a, len);
}

static int
f_prompt(void *ud, const char *prompt, char *buf, size_t cap)
{
	(void)ud;
	if (strlen(prompt) >= 200)
		abort();		/* the engine bounds what it shows */
	snprintf(buf, cap, "%s", "123456");
	return 0;
}

static const struct ike_callbacks cbs = {
	.send_msg = f_send,
	.closed = f_closed,
	.random = f_random,
	.eap_prompt = f_prompt,
};

static struct ike_sa *
make_sa(uint8_t sel)
{
	static const uint8_t methods[3] = { IKE_EAP_MSCHAPV2, IKE_EAP_GTC,
	    IKE_EAP_TLS };
	static const uint8_t idr[] = { IKE_IDT_FQDN, 0, 0, 0, 'v', 'p', 'n',
	    '.', 't', 'e', 's', 't' };
	struct ike_conf c;
	struct ike_path path = { .family = 4 };
	struct ike_sa *sa;

	memset(&c, 0, sizeof(c));
	ike_algs_default_ike(&c.ike);
	ike_algs_default_esp(&c.esp);
	c.auth = IKE_CONF_AUTH_EAP;
	c.eap_method = methods[sel % 3];
	c.eap_only = (sel & 0x10) != 0 && c.eap_method != IKE_EAP_GTC;
	c.eap_tls_max_version = (sel & 0x20) ? 0x0303 : 0;
	strcpy(c.eap_identity, "alice@vpn.test");
	if (!(sel & 0x40))
		strcpy(c.eap_password, "secret");
	c.key = key;
	c.cert = cert;
	c.trust = trust;
	if (ike_sa_new(&sa, &c, &path, &cbs, NULL, 0) != 0)
		return NULL;
	memcpy(sa->idr_body, idr, sizeof(idr));
	sa->idr_len = sizeof(idr);
	sa->eap_only_peer = c.eap_only;
	return sa;
}

/* Our answer: Response, its Length right, never larger than the room. */
static void
check_answer(const uint8_t *out, size_t len, size_t cap)
{
	if (len == 0)
		return;
	if (len > cap || len < 5 || out[0] != IKE_EAPC_RESPONSE ||
	    wire_get_u16(out + 2) != len)
		abort();
}

static void
framing(struct ike_eaptls_rx *rx, const struct ike_pld_eap *eap)
{
	struct ike_eaptls_frag f;
	bool done;

	if (eap->type != 13 || ike_eaptls_parse(eap->type_data.p,
	    eap->type_data.len, &f) != 0)
		return;
	if (f.data.p < eap->type_data.p ||
	    f.data.p + f.data.len > eap->type_data.p + eap->type_data.len)
		abort();
	if (ike_eaptls_rx_add(rx, &f, &done) != 0) {
		memset(rx, 0, sizeof(*rx));
		return;
	}
	if (rx->got > IKE_EAPTLS_MSG_MAX || rx->nfrag > IKE_EAPTLS_FRAGS_MAX ||
	    (rx->has_total && rx->got > rx->total))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ike_eaptls_rx rx = { 0 };
	struct ike_pld_eap eap;
	struct ike_sa *sa;
	struct wire_rd r, body;
	const char *why;
	uint8_t out[IKE_EAPTLS_FRAG_LEN + 64], sel, *pkt;
	uint16_t n;
	size_t len;
	int i, rv;

	if (size < 1)
		return 0;
	load();
	closed = false;
	sel = data[0];
	if ((sa = make_sa(sel)) == NULL)
		return 0;
	wire_rd_init(&r, data + 1, size - 1);
	for (i = 0; i < PACKETS_MAX && !closed && wire_rd_u16(&r, &n); i++) {
		if (n > r.left)
			n = (uint16_t)r.left;
		if ((pkt = malloc(n ? n : 1)) == NULL)
			abort();
		memcpy(pkt, r.p, n);
		(void)wire_rd_skip(&r, n);
		wire_rd_init(&body, pkt, n);
		why = NULL;
		if (ike_pld_eap_parse(body, &eap, &why) == 0 &&
		    eap.code == IKE_EAPC_REQUEST) {
			framing(&rx, &eap);
			len = 0;
			rv = ike_eap_answer(sa, &eap, out, sizeof(out), &len);
			if (rv == 0)
				check_answer(out, len, sizeof(out));
		}
		free(pkt);
	}
	ike_sa_free(sa);
	return 0;
}
