/*
 * tests/fuzz/fuzz_ike_sa.c: an initiator SA fed arbitrary input.  The
 * scripted responder of tests/ike/peer.c (PSK) plays the gateway where
 * a stage must be reached first.  The first octet picks the mode, the
 * second the first payload type of the chains the harness seals:
 *
 *   0  after ike_sa_start(): the rest is a list of messages, each with a
 *      2-octet length, fed as responses, with time passing in between;
 *   1  the rest is the payload chain of an IKE_SA_INIT response with
 *      our SPI (unprotected, so every parser and check behind it runs);
 *   2  after IKE_SA_INIT with the peer: the rest is the inner chain of
 *      the IKE_AUTH response, sealed with the peer's keys;
 *   3  after the whole handshake: the rest is the inner chain of a
 *      request from the gateway (INFORMATIONAL or CREATE_CHILD_SA by the
 *      third octet), sealed, fed twice (the second is a retransmit);
 *   4  after the whole handshake: raw messages as in mode 0;
 *   5  as 3 with MOBIKE negotiated (and the gateway's addresses in
 *      IKE_AUTH): the gateway's INFORMATIONAL with MOBIKE notifies;
 *   6  MOBIKE negotiated, then ike_sa_move() to a new path: the rest is
 *      the inner chain of the answer to UPDATE_SA_ADDRESSES, after our
 *      COOKIE2 echoed by the peer when the third octet has bit 1 set;
 *      then ike_sa_check_liveness_within() and the timers run out;
 *   7  after the whole handshake: a request of ours first by the third
 *      octet (bits 0-1: none, liveness, Child SA rekey, D(ESP) crossing
 *      the gateway's; bit 2: then ike_sa_shutdown()), then the rest as
 *      the inner chain of the gateway's request of the exchange in bits
 *      4-5 (INFORMATIONAL, CREATE_CHILD_SA, IKE_AUTH, 99), fed twice;
 *      then the peer answers what we sent;
 *   8  the peer refuses our Child SAs by the third octet (bits 0-1: the
 *      notify to rekeys, 2-3: to new ones, 4: wants another PFS group,
 *      5: the gateway deletes the Child SA first, 6: we rekey); then
 *      up to 64 timers with the peer answering: back-off, re-creation,
 *      the close after minutes of TEMPORARY_FAILURE.
 *
 * Every run ends with ike_sa_free(): ASan's leak check sees the rest.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/ir_err.h"
#include "ike/ike_algs.h"
#include "ike/ike_msg.h"
#include "tests/check_util.h"
#include "tests/ike/peer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ARENA_CAP	(2 * 1024 * 1024)
#define SENT_MAX	64

static uint8_t *arena;
static size_t arena_used;
static uint8_t sent[SENT_MAX][PEER_BUF];
static size_t sent_len[SENT_MAX];
static int nsent;
static uint32_t rnd_counter;
static bool closed;
static uint32_t child_spi;		/* the last child_up() */

/* peer.c's helpers from tests/check_util.h, on a per-run arena. */
void *
t_alloc(size_t n)
{
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (arena_used + n > ARENA_CAP)
		abort();
	p = arena + arena_used;
	arena_used += n;
	memset(p, 0, n);
	return p;
}

struct tbuf
t_vec_file(const char *relpath)
{
	(void)relpath;
	abort();		/* PSK only: no files */
}

void
t_random(void *ud, uint8_t *buf, size_t len)
{
	size_t i;

	(void)ud;
	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(0x5a ^ (rnd_counter++ * 167u));
}

static int
f_send(void *ud, const uint8_t *msg, size_t len)
{
	(void)ud;
	if (nsent < SENT_MAX && len <= PEER_BUF) {
		memcpy(sent[nsent], msg, len);
		sent_len[nsent] = len;
	}
	nsent++;
	return 0;
}

static int
f_child_up(void *ud, const struct ike_child *c)
{
	(void)ud;
	child_spi = c->spi_in;
	return c->encr_key_len <= CRYPTO_ENCR_KEY_MAX ? 0 : IR_ERR_INTERNAL;
}

static void
f_closed(void *ud, const struct ike_close_info *info)
{
	(void)ud;
	if (closed || info->reason == 0)
		abort();	/* closed() once, with a reason */
	closed = true;
}

static void
f_moved(void *ud, bool local, bool remote)
{
	(void)ud;
	(void)local;
	(void)remote;
	if (closed)
		abort();	/* nothing after closed() */
}

static const struct ike_callbacks f_cbs = {
	.send_msg = f_send,
	.child_up = f_child_up,
	.closed = f_closed,
	.random = t_random,
	.moved = f_moved,
};

static void
f_conf(struct ike_conf *c, struct ike_path *p)
{
	memset(c, 0, sizeof(*c));
	ike_algs_default_ike(&c->ike);
	ike_algs_default_esp(&c->esp);
	c->auth = IKE_CONF_AUTH_PSK;
	memcpy(c->psk, "fuzz-psk", 8);
	c->psk_len = 8;
	c->local_id.type = 2;
	c->local_id.len = 4;
	memcpy(c->local_id.data, "fuzz", 4);
	c->want_ip4 = c->want_ip6 = true;
	c->fragmentation = true;
	memset(p, 0, sizeof(*p));
	p->family = 4;
	p->local_addr[0] = 192;
	p->remote_addr[0] = 198;
	p->local_port = p->remote_port = 500;
}

/* Hand message |i| of ours to the peer and its answers back. */
static void
f_exchange(struct ike_sa *sa, struct peer *p, int i, uint64_t now)
{
	int j;

	if (i >= nsent || i >= SENT_MAX || closed ||
	    peer_input(p, sent[i], sent_len[i]) != 0)
		return;
	for (j = 0; j < p->nout; j++)
		(void)ike_sa_input(sa, p->out[j], p->out_len[j], now);
}

static void
f_raw(struct ike_sa *sa, const uint8_t *d, size_t n, uint64_t *now)
{
	size_t len;

	while (n >= 2 && !closed) {
		len = (size_t)(d[0] << 8 | d[1]);
		d += 2;
		n -= 2;
		if (len > n)
			len = n;
		(void)ike_sa_input(sa, d, len, *now);
		d += len;
		n -= len;
		*now += 700;
		(void)ike_sa_expire(sa, *now);
	}
}

/* Seal |chain| (first payload |first|) as the peer, SK with its keys. */
static size_t
f_seal(struct peer *p, uint8_t exch, bool response, uint32_t id,
    uint8_t first, const uint8_t *chain, size_t n, uint8_t *out)
{
	static const uint8_t iv[CRYPTO_IV_MAX];
	struct ike_hdr h = {
		.spi_i = p->spi_i, .spi_r = p->spi_r,
		.version = IKE_VERSION_2, .exch = exch,
		.flags = response ? IKE_FLAG_RESPONSE : 0, .msg_id = id,
	};
	struct ike_msg_wr mw;
	struct wire_wr w;

	wire_wr_init(&w, out, PEER_BUF);
	ike_msg_wr_begin(&mw, &w, &h);
	if (ike_sk_begin(&mw, p->tx) != 0)
		return 0;
	out[mw.sk_at] = first;
	wire_wr_bytes(&w, chain, n);
	if (ike_sk_seal(&mw, p->tx, iv) != 0)
		return 0;
	return w.len;
}

/*
 * Mode 6: move, then answer the update with |d| after N(COOKIE2) as the
 * peer read it (or |d| alone), as the response to its message ID.
 */
static void
f_move(struct ike_sa *sa, struct peer *p, struct ike_path *path,
    uint8_t flags, uint8_t first, const uint8_t *d, size_t n, uint64_t now)
{
	uint8_t *chain = t_alloc(PEER_BUF), *m = t_alloc(PEER_BUF);
	size_t clen = 0, len;
	uint32_t id;
	int k;

	path->local_addr[0] = 203;
	path->local_port = path->remote_port = 4500;
	k = nsent;
	if (ike_sa_move(sa, path, 500u + 500u * (flags >> 4), now) != 0 ||
	    closed || nsent == k || k >= SENT_MAX ||
	    peer_input(p, sent[k], sent_len[k]) != 0)
		return;
	id = wire_get_u32(sent[k] + 20);
	if (n + 8 + 64 > PEER_BUF - 256)
		return;
	if ((flags & 2) && p->upd_cookie2_len != 0) {
		chain[0] = first;			/* Next Payload */
		wire_put_u16(chain + 2, (uint16_t)(8 + p->upd_cookie2_len));
		wire_put_u16(chain + 6, IKE_N_COOKIE2);
		memcpy(chain + 8, p->upd_cookie2, p->upd_cookie2_len);
		clen = 8 + p->upd_cookie2_len;
		first = IKE_PLD_NOTIFY;
	}
	memcpy(chain + clen, d, n);
	if ((len = f_seal(p, IKE_EXCH_INFORMATIONAL, true, id, first, chain,
	    clen + n, m)) != 0)
		(void)ike_sa_input(sa, m, len, now + 100);
	(void)ike_sa_check_liveness_within(sa, flags & 1 ? 0 : 2000,
	    now + 200);
}

/* Mode 8: the peer's refusals and our PFS groups by |flags|. */
static void
f_refusals(struct ike_conf *c, struct peer_opts *po, uint8_t flags)
{
	static const uint16_t rekey[4] = { 0, IKE_N_TEMPORARY_FAILURE,
	    IKE_N_CHILD_SA_NOT_FOUND, IKE_N_NO_PROPOSAL_CHOSEN };
	static const uint16_t create[4] = { 0, IKE_N_TEMPORARY_FAILURE,
	    IKE_N_NO_ADDITIONAL_SAS, IKE_N_INVALID_SYNTAX };

	po->rekey_notify = rekey[flags & 3];
	po->create_notify = create[(flags >> 2) & 3];
	if (flags & 0x10) {
		c->esp.dh[0] = CRYPTO_KEX_CURVE25519;
		c->esp.dh[1] = CRYPTO_KEX_ECP256;
		c->esp.n_dh = 2;
		po->child_want_group = CRYPTO_KEX_ECP256;
	}
}

/* Everything we sent from |from| on to the peer, its answers back. */
static void
f_pump(struct ike_sa *sa, struct peer *p, int *from, uint64_t now)
{
	while (*from < nsent && *from < SENT_MAX && !closed)
		f_exchange(sa, p, (*from)++, now);
}

/* Mode 7: a request of ours in flight meets one of the gateway's. */
static void
f_cross(struct ike_sa *sa, struct peer *p, uint8_t flags, uint8_t first,
    const uint8_t *d, size_t n, uint64_t now)
{
	static const uint8_t exchs[4] = { IKE_EXCH_INFORMATIONAL,
	    IKE_EXCH_CREATE_CHILD_SA, IKE_EXCH_IKE_AUTH, 99 };
	uint8_t *m = t_alloc(PEER_BUF);
	size_t len;
	int from = nsent;

	switch (flags & 3) {
	case 1:
		(void)ike_sa_check_liveness(sa, now);
		break;
	case 2:
	case 3:
		(void)ike_sa_rekey_child(sa, child_spi, now);
		if ((flags & 3) == 3 && nsent > from) {
			/* Answered: our D(ESP) of the old SA goes out. */
			f_pump(sa, p, &from, now);
			if (peer_info(p, PEER_INFO_DELETE_OLD_CHILD) == 0)
				for (len = 0; len < (size_t)p->nout; len++)
					(void)ike_sa_input(sa, p->out[len],
					    p->out_len[len], now);
		}
		break;
	}
	if (flags & 4)
		(void)ike_sa_shutdown(sa, now);
	if (n < PEER_BUF - 256 && !closed && (len = f_seal(p,
	    exchs[(flags >> 4) & 3], false, p->next_req, first, d, n, m)) != 0) {
		(void)ike_sa_input(sa, m, len, now + 10);
		(void)ike_sa_input(sa, m, len, now + 20);
	}
	f_pump(sa, p, &from, now + 30);
}

/* Mode 8: refused Child SAs, long timers. */
static void
f_refuse(struct ike_sa *sa, struct peer *p, uint8_t flags, uint64_t now)
{
	int i, from = nsent;

	if (flags & 0x20) {
		if (peer_info(p, PEER_INFO_DELETE_CHILD) == 0)
			for (i = 0; i < p->nout; i++)
				(void)ike_sa_input(sa, p->out[i],
				    p->out_len[i], now);
	}
	if (flags & 0x40)
		(void)ike_sa_rekey_child(sa, child_spi, now);
	for (i = 0; i < 64 && !closed; i++) {
		f_pump(sa, p, &from, now);
		now = ike_sa_deadline(sa);
		if (now == UINT64_MAX)
			break;
		ike_sa_traffic_seen(sa, now);
		(void)ike_sa_expire(sa, now);
	}
}

static void
f_init_chain(struct ike_sa *sa, uint8_t first, const uint8_t *d, size_t n)
{
	uint8_t *m = t_alloc(PEER_BUF);
	struct ike_hdr h = {
		.spi_r = 0x1122334455667788ull, .version = IKE_VERSION_2,
		.exch = IKE_EXCH_IKE_SA_INIT, .flags = IKE_FLAG_RESPONSE,
	};
	struct ike_msg_wr mw;
	struct wire_wr w;

	h.spi_i = wire_get_u64(sent[0]);
	wire_wr_init(&w, m, PEER_BUF);
	ike_msg_wr_begin(&mw, &w, &h);
	m[16] = first;
	wire_wr_bytes(&w, d, n);
	if (ike_msg_wr_finish(&mw) == 0)
		(void)ike_sa_input(sa, m, w.len, 1000);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ike_conf conf;
	struct ike_path path;
	struct peer_opts po;
	struct ike_sa *sa;
	struct peer *p;
	uint8_t mode, first, *m;
	uint64_t now = 1000;
	size_t len;
	int i;

	if (size < 3)
		return 0;
	if (arena == NULL && (arena = malloc(ARENA_CAP)) == NULL)
		abort();
	arena_used = 0;
	nsent = 0;
	rnd_counter = 0;
	closed = false;
	child_spi = 0;
	mode = data[0] % 9;
	first = data[1];
	f_conf(&conf, &path);
	conf.redirect = true;	/* RFC 5685 notifies reach the parser */
	memset(&po, 0, sizeof(po));
	if (mode == 5 || mode == 6)
		conf.mobike = po.mobike = po.addrs = true;
	if (mode == 8)
		f_refusals(&conf, &po, data[2]);
	if (ike_sa_new(&sa, &conf, &path, &f_cbs, NULL, now) != 0)
		abort();
	p = peer_new(&po, "fuzz-psk");
	if (ike_sa_start(sa, now) != 0)
		abort();
	switch (mode) {
	case 0:
		f_raw(sa, data + 2, size - 2, &now);
		break;
	case 1:
		f_init_chain(sa, first, data + 2, size - 2);
		break;
	case 2:
		f_exchange(sa, p, 0, now);
		m = t_alloc(PEER_BUF);
		if (size - 2 < PEER_BUF - 256 && !closed &&
		    (len = f_seal(p, IKE_EXCH_IKE_AUTH, true, 1, first,
		    data + 2, size - 2, m)) != 0)
			(void)ike_sa_input(sa, m, len, now);
		break;
	default:
		for (i = 0; i < 2; i++)
			f_exchange(sa, p, i, now);
		if (!ike_sa_established(sa))
			abort();	/* the scripted handshake must work */
		if (mode == 4) {
			f_raw(sa, data + 2, size - 2, &now);
			break;
		}
		if (mode == 6) {
			f_move(sa, p, &path, data[2], first, data + 3,
			    size - 3, now);
			break;
		}
		if (mode == 7) {
			f_cross(sa, p, data[2], first, data + 3, size - 3,
			    now);
			break;
		}
		if (mode == 8) {
			f_refuse(sa, p, data[2], now);
			break;
		}
		m = t_alloc(PEER_BUF);
		if (size - 3 < PEER_BUF - 256 && (len = f_seal(p,
		    mode == 3 && (data[2] & 1) ?
		    IKE_EXCH_CREATE_CHILD_SA : IKE_EXCH_INFORMATIONAL, false,
		    0, first, data + 3, size - 3, m)) != 0) {
			(void)ike_sa_input(sa, m, len, now);
			(void)ike_sa_input(sa, m, len, now);
		}
		break;
	}
	for (i = 0; i < 8 && !closed; i++) {
		now = ike_sa_deadline(sa);
		if (now == UINT64_MAX)
			break;
		(void)ike_sa_expire(sa, now);
	}
	ike_sa_free(sa);
	peer_free(p);
	return 0;
}
