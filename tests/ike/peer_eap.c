/*
 * tests/ike/peer_eap.c: the scripted peer's EAP server beyond the fixed
 * MSCHAPv2 script of peer.c: EAP-only answers (RFC 5998), a first
 * proposal the client must Nak (RFC 3748 §5.3), EAP-GTC (§5.6) and
 * EAP-TLS (RFC 5216 framing, written here from the RFC, over the TLS
 * server of tests/tls_srv.c) with fragments both ways.
 */
#include <string.h>

#include "tests/ike/peer_assert.h"

#include "common/ir_err.h"
#include "common/wire.h"
#include "tests/ike/peer.h"

#define T_REQ		1
#define T_SUCCESS	3
#define T_FAILURE	4
#define T_IDENTITY	1
#define T_NAK		3
#define T_MD5		4
#define T_GTC		6
#define T_TLS		13
#define T_MSCHAPV2	26
#define F_L		0x80
#define F_M		0x40
#define F_S		0x20

/* An EAP Request of |type| with |data|, or Success/Failure (no type). */
static void
send_eap(struct peer *p, const struct ike_msg *m, uint8_t code, uint8_t type,
    const uint8_t *data, size_t len, bool first)
{
	uint8_t e[1200];
	size_t n = code == T_REQ ? 5 + len : 4;

	ck_assert_uint_le(n, sizeof(e));
	e[0] = code;
	e[1] = ++p->eap_id;
	wire_put_u16(e + 2, (uint16_t)n);
	if (code == T_REQ) {
		e[4] = type;
		if (len > 0)
			memcpy(e + 5, data, len);
	}
	peer_eap_send(p, m, e, n, first);
}

static void
propose(struct peer *p, const struct ike_msg *m, uint8_t type)
{
	static const uint8_t md5[17] = { 16 };	/* Value-Size, value */
	static const uint8_t start = F_S;
	const char *prompt = p->o.gtc_prompt ? p->o.gtc_prompt : "Password: ";

	switch (type) {
	case T_MSCHAPV2:
		peer_eap_challenge(p, m);
		break;
	case T_GTC:
		send_eap(p, m, T_REQ, T_GTC, (const uint8_t *)prompt,
		    strlen(prompt), false);
		break;
	case T_TLS:
		ck_assert(p->tls == NULL);
		p->tls = tls_srv_new(&(struct tls_srv_opts){
		    .max_version = p->o.tls_max,
		    .indication = p->o.tls_indication,
		    .client_ca = p->o.tls_client_ca });
		send_eap(p, m, T_REQ, T_TLS, &start, 1, false);
		break;
	default:
		send_eap(p, m, T_REQ, type, md5, sizeof(md5), false);
		break;
	}
}

/* The next fragment of the peer's flight (RFC 5216 §2.1.5). */
static void
tls_send_next(struct peer *p, const struct ike_msg *m)
{
	size_t frag = p->o.tls_frag ? p->o.tls_frag : 1000;
	size_t left = p->tls_tx_len - p->tls_tx_off, n = left < frag ? left :
	    frag, o = 1;
	bool first = p->tls_tx_off == 0, more = n < left;
	uint8_t d[1100];

	ck_assert_uint_le(n + 5, sizeof(d));
	d[0] = more ? F_M : 0;
	if ((first && more) || p->o.tls_len_all) {
		d[0] |= F_L;
		wire_put_u32(d + 1, (uint32_t)p->tls_tx_len);
		o = 5;
	}
	memcpy(d + o, p->tls_tx + p->tls_tx_off, n);
	p->tls_tx_off += n;
	p->tls_frags_out++;
	send_eap(p, m, T_REQ, T_TLS, d, o + n, false);
}

static void
tls_response(struct peer *p, const struct ike_msg *m)
{
	const uint8_t *td = m->eap.type_data.p;
	size_t len = m->eap.type_data.len, o = 1;
	static const uint8_t ack = 0;
	int rv;

	ck_assert_uint_ge(len, 1);
	if (td[0] & F_L)
		o = 5;
	ck_assert_uint_ge(len, o);
	if (p->tls_tx_off < p->tls_tx_len) {	/* it ACKs our fragment */
		ck_assert(len == 1 && td[0] == 0);
		p->tls_acks++;
		tls_send_next(p, m);
		return;
	}
	ck_assert_uint_le(p->tls_rx_len + len - o, sizeof(p->tls_rx));
	memcpy(p->tls_rx + p->tls_rx_len, td + o, len - o);
	p->tls_rx_len += len - o;
	p->tls_frags_in++;
	if (td[0] & F_M) {
		send_eap(p, m, T_REQ, T_TLS, &ack, 1, false);
		return;
	}
	if (p->o.eap_early_success) {
		send_eap(p, m, T_SUCCESS, 0, NULL, 0, false);
		return;
	}
	rv = tls_srv_input(p->tls, p->tls_rx, p->tls_rx_len);
	p->tls_rx_len = 0;
	if (tls_srv_pending(p->tls) > 0) {	/* a flight, or an alert */
		p->tls_tx_len = tls_srv_output(p->tls, p->tls_tx,
		    sizeof(p->tls_tx));
		p->tls_tx_off = 0;
		tls_send_next(p, m);
		return;
	}
	if (rv == 1) {
		tls_srv_msk(p->tls, p->msk);
		p->msk_set = true;
		send_eap(p, m, T_SUCCESS, 0, NULL, 0, false);
		return;
	}
	send_eap(p, m, T_FAILURE, 0, NULL, 0, false);
}

static void
gtc_response(struct peer *p, const struct ike_msg *m)
{
	size_t n = m->eap.type_data.len;

	ck_assert_uint_lt(n, sizeof(p->gtc_answer));
	memcpy(p->gtc_answer, m->eap.type_data.p, n);
	p->gtc_answer[n] = '\0';
	send_eap(p, m, strcmp(p->gtc_answer, p->o.eap_password) == 0 ?
	    T_SUCCESS : T_FAILURE, 0, NULL, 0, false);
}

int
peer_eap_ext(struct peer *p, const struct ike_msg *m)
{
	uint8_t method = p->o.eap_method ? p->o.eap_method : T_MSCHAPV2;
	static const uint8_t ms_success[4] = { T_SUCCESS, 0x44, 0, 4 };

	if (p->stage++ == 0) {
		p->saw_eap_only = ike_msg_notify(m,
		    IKE_N_EAP_ONLY_AUTHENTICATION) != NULL;
		p->auth_ok = true;
		ck_assert_uint_le(m->idi.body.len, sizeof(p->idi));
		memcpy(p->idi, m->idi.body.p, m->idi.body.len);
		p->idi_len = m->idi.body.len;
		send_eap(p, m, T_REQ, T_IDENTITY, NULL, 0, true);
		return 0;
	}
	if (ike_msg_count(m, IKE_PLD_AUTH) != 0) {
		/* §2.16: the MSK, or SK_pi for a method without one. */
		p->auth_ok = p->msk_set || method == T_MSCHAPV2 ?
		    peer_verify_auth(p, m, p->msk, 64) :
		    peer_verify_auth(p, m, p->keys.sk_pi, p->keys.prf_len);
		return 1;
	}
	ck_assert_int_eq(ike_msg_count(m, IKE_PLD_EAP), 1);
	switch (m->eap.type) {
	case T_IDENTITY:
		propose(p, m, p->o.eap_first ? p->o.eap_first : method);
		break;
	case T_NAK:
		ck_assert_uint_ge(m->eap.type_data.len, 1);
		p->n_nak++;
		p->nak_type = m->eap.type_data.p[0];
		if (p->nak_type == method)
			propose(p, m, method);
		else
			send_eap(p, m, T_FAILURE, 0, NULL, 0, false);
		break;
	case T_MSCHAPV2:
		if (m->eap.type_data.len > 0 && m->eap.type_data.p[0] == 2) {
			peer_eap_success(p, m);
		} else {
			p->msk_set = true;
			peer_eap_send(p, m, ms_success, 4, false);
		}
		break;
	case T_GTC:
		gtc_response(p, m);
		break;
	case T_TLS:
		tls_response(p, m);
		break;
	default:
		send_eap(p, m, T_FAILURE, 0, NULL, 0, false);
	}
	return 0;
}
