/*
 * src/conn_data.c: the packet path of a connection (DESIGN.md "The data
 * path") and the Child SAs' ESP engines.
 *
 *   TUN readable -> read a burst into the slots of c->pkt, each with
 *                   headroom -> esp_encrypt each in place -> transport
 *                   (one sendmmsg of UDP datagrams / one writev of TCP
 *                   frames per burst)
 *   transport    -> ESP packet in the transport's buffer -> esp_decrypt
 *                   in place -> TUN write
 *
 * Without offloads a TUN moves one packet per read() and write(); the
 * socket side moves a burst per system call.  With them (tun.vnet_hdr,
 * tun/tun_gso.h) one read() gives a TCP/UDP super-packet of up to 64 KiB
 * that tun_gso_next() cuts into packets of the tunnel MTU, each sealed
 * into its slot of c->pkt; on the way in, decrypted segments of one TCP
 * flow are coalesced (tun_gro_add) and written as one super-packet when
 * the next does not fit, or at the end of the loop iteration (a
 * uv_check_t).  Nothing is allocated per packet.  The outbound checks
 * and ESP are dp_seal.c's, shared with the outbound thread.
 */
#include <arpa/inet.h>
#include <stdatomic.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto.h"
#include "src/child_esp.h"
#include "src/conn_int.h"
#include "src/exitcode.h"
#include "src/log.h"
#include "src/ts_match.h"

static void
esp_random(void *ud, uint8_t *buf, size_t len)
{
	(void)ud;
	if (crypto_random(buf, len) != 0)
		abort();
}

/* ---- Child SAs ------------------------------------------------------------ */

static int
esp_pair_new(struct conn_child *slot, const struct ike_child *ch)
{
	struct esp_sa_conf in, out;
	int rv;

	child_esp_confs(ch, esp_random, &in, &out);
	/* Soft limit well before the 32-bit sequence space runs out. */
	out.soft.packets = ch->esn ? 0 : 0xf0000000u;
	if ((rv = esp_sa_new(&slot->in, &in)) != 0)
		return rv;
	if ((rv = esp_sa_new(&slot->out, &out)) != 0) {
		esp_sa_free(slot->in);
		slot->in = NULL;
		return rv;
	}
	slot->spi_in = ch->spi_in;
	slot->rekey_asked = false;
	memcpy(slot->ts_local, ch->ts_local, sizeof(slot->ts_local));
	memcpy(slot->ts_remote, ch->ts_remote, sizeof(slot->ts_remote));
	slot->n_ts_local = ch->n_ts_local;
	slot->n_ts_remote = ch->n_ts_remote;
	return 0;
}

int
conn_child_add(struct conn *c, const struct ike_child *ch,
    struct conn_attempt *owner)
{
	struct conn_child *slot = NULL;
	unsigned i;
	int rv;

	for (i = 0; i < CONN_MAX_CHILD && slot == NULL; i++)
		if (c->child[i].spi_in == 0)
			slot = &c->child[i];
	if (slot == NULL)
		return IR_ERR_INTERNAL;
	if ((rv = esp_pair_new(slot, ch)) != 0) {
		log_err("cannot set up ESP for the tunnel: %s", ir_strerror(rv));
		return rv;
	}
	slot->owner = owner;
	slot->gen = ++c->child_gen;
	/* New traffic goes out on the newest SA; the old one still
	 * decrypts until the engine deletes it (RFC 7296 §2.8).  A parked
	 * IKE SA's rekey (a redirect under way) keeps its own traffic
	 * only while the new session has no Child SA. */
	if (c->out == NULL || c->out->owner == owner || owner != c->prev)
		c->out = slot;
	slot->spi_out = ch->spi_out;
	slot->t_up = uv_now(c->loop);
	if (ch->replaces_spi_in != 0) {
		char spi[16];

		snprintf(spi, sizeof(spi), "%08x", ch->spi_in);
		conn_event_simple(c, "rekey", "spi_in", spi);
	}
	c->esp_encr = ch->encr;
	c->esp_integ = ch->integ;
	/* The routes: every remote selector of the session's Child SAs
	 * (several when the gateway narrowed ours into more than one set,
	 * RFC 7296 §2.9), each once. */
	for (i = 0; i < ch->n_ts_remote && i < IKE_TS_MAX; i++) {
		unsigned j;

		for (j = 0; j < c->n_ts_remote; j++)
			if (memcmp(&c->ts_remote[j], &ch->ts_remote[i],
			    sizeof(c->ts_remote[j])) == 0)
				break;
		if (j == c->n_ts_remote && j < IKE_TS_MAX)
			c->ts_remote[c->n_ts_remote++] = ch->ts_remote[i];
	}
	log_debug("child SA up: in %08x out %08x%s%s", ch->spi_in, ch->spi_out,
	    ch->esn ? " esn" : "", ch->replaces_spi_in ? " (rekey)" : "");
	return 0;
}

static void dp_sync(struct conn *c, const struct xport *gone);

/* The outbound thread may hold the outbound SA: it lets go first (when
 * it does not answer, the SA is left allocated rather than freed under
 * it). */
static void
child_clear(struct conn *c, struct conn_child *ch)
{
	esp_sa_free(ch->in);
	if (!c->dp_stuck)
		esp_sa_free(ch->out);
	else
		log_warn("the outbound thread did not let go of SA %08x",
		    ch->spi_out);
	memset(ch, 0, sizeof(*ch));
}

/* The next SA to encrypt with: any other live one. */
static struct conn_child *
child_next_out(struct conn *c, const struct conn_child *not)
{
	unsigned i;

	for (i = 0; i < CONN_MAX_CHILD; i++)
		if (c->child[i].spi_in != 0 && &c->child[i] != not)
			return &c->child[i];
	return NULL;
}

void
conn_child_remove(struct conn *c, uint32_t spi_in)
{
	unsigned i;

	for (i = 0; i < CONN_MAX_CHILD; i++) {
		if (c->child[i].spi_in != spi_in || spi_in == 0)
			continue;
		if (c->out == &c->child[i])
			c->out = child_next_out(c, &c->child[i]);
		c->child[i].dying = true;
		dp_sync(c, NULL);
		child_clear(c, &c->child[i]);
	}
	if (c->out == NULL)
		c->out = child_next_out(c, NULL);
}

/* The Child SAs of one IKE SA (a parked one, or attempts dropped). */
void
conn_children_free_owner(struct conn *c, const struct conn_attempt *owner)
{
	unsigned i;

	for (i = 0; i < CONN_MAX_CHILD; i++)
		if (c->child[i].spi_in != 0 && c->child[i].owner == owner)
			conn_child_remove(c, c->child[i].spi_in);
}

void
conn_children_free(struct conn *c)
{
	unsigned i;

	c->out = NULL;
	dp_sync(c, NULL);
	for (i = 0; i < CONN_MAX_CHILD; i++)
		if (c->child[i].spi_in != 0)
			child_clear(c, &c->child[i]);
}

static struct conn_child *
child_by_spi(struct conn *c, uint32_t spi)
{
	unsigned i;

	for (i = 0; i < CONN_MAX_CHILD; i++)
		if (c->child[i].spi_in == spi && spi != 0)
			return &c->child[i];
	return NULL;
}

/*
 * Inner TCP never needs fragments: SYNs both ways carry an MSS that fits
 * the tunnel MTU (the peer's stack may not do path MTU discovery through
 * the tunnel, and ICMP "too big" often gets lost).
 */
static void
clamp_mss(const struct conn *c, uint8_t *p, size_t len)
{
	if (len > 0 && c->mss4 != 0)
		(void)tun_clamp_mss(p, len, (p[0] >> 4) == 6 ? c->mss6 :
		    c->mss4);
}

/*
 * RFC 4301 §5.2: a packet comes out of an SA only when the SA's traffic
 * selectors cover it (from the gateway's to ours; the way in, §5.1, is
 * dp_seal.c's).  Anything else is dropped and counted.
 */
static bool
child_covers_in(const struct conn_child *ch, const uint8_t *p, size_t len)
{
	struct ts_fields f;

	if (ts_fields_parse(p, len, &f) != 0)
		return false;
	return ts_fields_match(&f, ch->ts_remote, ch->n_ts_remote,
	    ch->ts_local, ch->n_ts_local);
}

/* ---- inbound: transport -> TUN ------------------------------------------- */

/* Write what the coalescer holds: one (super-)packet, segments
 * counted as one drop when the TUN refuses it. */
static void
conn_gro_flush(struct conn *c)
{
	const uint8_t *p;
	size_t n;

	if ((n = tun_gro_finish(&c->gro, &p)) == 0)
		return;
	if (c->tun.fd < 0 || tun_dev_write(&c->tun, p, n) != 0)
		c->drop_tun_write++;
}

/* After the loop iteration's I/O callbacks: nothing stays held. */
static void
gro_check_cb(uv_check_t *h)
{
	struct conn *c = h->data;

	conn_gro_flush(c);
	uv_check_stop(h);
}

static void
ask_rekey(struct conn *c, struct conn_child *ch)
{
	struct conn_ev ev = { .kind = CONN_EV_REKEY_CHILD };

	if (ch->rekey_asked)
		return;
	ch->rekey_asked = true;
	ev.spi = ch->spi_in;
	conn_post_ev(c, &ev);
}

void
conn_on_esp(struct conn *c, struct ir_pkt *pkt)
{
	struct conn_child *ch;
	uint32_t spi;
	int rv;

	if (esp_pkt_spi(pkt->data, pkt->len, &spi) != 0 ||
	    (ch = child_by_spi(c, spi)) == NULL) {
		c->drop_no_sa++;
		return;
	}
	if ((rv = esp_decrypt(ch->in, pkt)) != 0) {
		c->drop_esp++;
		if (rv == IR_ERR_LIFETIME)
			ask_rekey(c, ch);
		return;
	}
	c->rx_ms = uv_now(c->loop);
	if (ch->owner != NULL && ch->owner->ike != NULL)
		ike_sa_traffic_seen(ch->owner->ike, c->rx_ms);
	if (!child_covers_in(ch, pkt->data, pkt->len)) {
		c->drop_ts++;
		return;
	}
	clamp_mss(c, pkt->data, pkt->len);
	if (c->tun.fd < 0) {
		c->drop_tun_write++;
		return;
	}
	if (!c->tun.vnet_hdr) {
		if (tun_dev_write(&c->tun, pkt->data, pkt->len) != 0)
			c->drop_tun_write++;
		return;
	}
	if ((rv = tun_gro_add(&c->gro, pkt->data, pkt->len)) == TUN_GRO_FLUSH) {
		conn_gro_flush(c);
		rv = tun_gro_add(&c->gro, pkt->data, pkt->len);
	}
	if (rv != TUN_GRO_HELD)
		c->drop_tun_write++;
	else if (c->gro_check_init)
		(void)uv_check_start(&c->gro_check, gro_check_cb);
	else
		conn_gro_flush(c);
}

/* ---- outbound: TUN -> transport ------------------------------------------ */

/* The transport of the IKE SA whose Child SA encrypts: the parked one's
 * while a redirect is under way. */
static struct xport *
out_xp(const struct conn *c)
{
	return c->out != NULL && c->out->owner != NULL ? c->out->owner->x :
	    NULL;
}

/* The outbound SAs' rekey wishes (struct dp_sa_mirror, set by whichever
 * thread sealed) become requests. */
static void
rekey_wishes(struct conn *c)
{
	unsigned i;

	for (i = 0; i < CONN_MAX_CHILD; i++)
		if (c->child[i].spi_in != 0 && atomic_exchange_explicit(
		    &c->child[i].om.rekey, false, memory_order_relaxed))
			ask_rekey(c, &c->child[i]);
}

_Static_assert(DP_MAX_SA == CONN_MAX_CHILD, "dp_seal.h: one per child");

static void
dp_ref(struct dp_sa_ref *r, struct conn_child *ch)
{
	r->sa = ch->out;
	r->m = &ch->om;
	r->ts_local = ch->ts_local;
	r->ts_remote = ch->ts_remote;
	r->n_ts_local = ch->n_ts_local;
	r->n_ts_remote = ch->n_ts_remote;
}

/*
 * The outbound SAs in the order a packet tries them (struct dp_seal):
 * c->out, then the other Child SAs of its IKE SA (so the same
 * transport), newest first; one about to be freed (dying) left out.
 * None without a transport, or when it is |gone| (closing).
 */
static unsigned
out_refs(struct conn *c, const struct xport *gone, struct dp_sa_ref *r)
{
	struct conn_child *ch = c->out, *best, *k;
	struct xport *x = out_xp(c);
	unsigned n = 0, i, j;

	if (ch == NULL || ch->dying || x == NULL || x == gone)
		return 0;
	dp_ref(&r[n++], ch);
	while (n < DP_MAX_SA) {
		best = NULL;
		for (i = 0; i < CONN_MAX_CHILD; i++) {
			k = &c->child[i];
			if (k->spi_in == 0 || k->dying || k == ch ||
			    k->owner != ch->owner ||
			    (best != NULL && k->gen <= best->gen))
				continue;
			for (j = 1; j < n && r[j].sa != k->out; j++)
				;
			if (j == n)
				best = k;
		}
		if (best == NULL)
			break;
		dp_ref(&r[n++], best);
	}
	return n;
}

/* One TUN wake-up's sealing on the loop (dp_seal.h, as the thread's). */
struct tun_pass {
	struct conn		*c;
	struct dp_sa_ref	 sas[DP_MAX_SA];
	struct dp_seal		 s;
	bool			 stop;		/* the transport went */
};

/* Send a burst: one system call on the socket. */
static void
tun_burst(void *ud, struct ir_pkt *pkts, unsigned n)
{
	struct tun_pass *t = ud;
	struct conn *c = t->c;

	/* A TCP transport may have failed in the burst before. */
	if (c->out == NULL || out_xp(c) == NULL) {
		c->drop_no_sa += n;
		t->s.used = 0;
		t->stop = true;
		return;
	}
	(void)out_xp(c)->ops->send_esp(out_xp(c), pkts, n);
	/* The silence mark: first ESP out since the last ESP in. */
	if (c->tx_unanswered_ms <= c->rx_ms)
		c->tx_unanswered_ms = uv_now(c->loop);
	dp_seal_burst_done(&t->s);
}

/*
 * Up to DP_BUDGET reads per wake-up (STYLE.md: the other handles get
 * their turn), each a packet or, with offloads, a super-packet cut into
 * segments; slots fill across reads and go out as a burst (one system
 * call on the socket) when full or at the end.
 */
static void
tun_readable(uv_poll_t *p, int status, int events)
{
	struct conn *c = p->data;
	struct ir_pkt pkts[XPORT_BATCH_MAX], *pkt;
	struct tun_pass t = { .c = c };
	struct dp_burst b = { .buf = c->pkt, .mtu = c->tun_mtu, .pkts = pkts,
	    .max = dp_slots(sizeof(c->pkt), c->tun_mtu), .send = tun_burst,
	    .ud = &t };
	size_t cap = dp_slot_cap(c->tun_mtu), len;
	unsigned budget = DP_BUDGET;
	bool vnet = c->tun.vnet_hdr;
	int rv;

	if (status < 0 || !(events & UV_READABLE))
		return;
	t.s.sas = t.sas;
	t.s.n_sa = out_refs(c, NULL, t.sas);
	t.s.mss4 = c->mss4;
	t.s.mss6 = c->mss6;
	for (; budget > 0 && c->tun_polling && !t.stop; budget--) {
		pkt = dp_burst_slot(&b);
		if ((rv = tun_dev_read(&c->tun, vnet ? c->tun_rx : pkt->data,
		    vnet ? sizeof(c->tun_rx) : cap, &len)) != 0) {
			if (rv != -EAGAIN)
				log_debug("TUN read: %s", ir_strerror(rv));
			break;
		}
		/* The kernel reports a packet's full length even when it cut
		 * it (someone raised the MTU under us): never trust it. */
		if (len > (vnet ? sizeof(c->tun_rx) : cap))
			t.s.drop_esp++;
		else if (vnet)
			dp_seal_super(&t.s, &b, c->tun_rx, len);
		else
			dp_burst_add(&b, dp_seal_one(&t.s, pkt, len));
	}
	dp_burst_flush(&b);
	c->drop_no_sa += t.s.drop_no_sa;
	c->drop_ts += t.s.drop_ts;
	c->drop_esp += t.s.drop_esp;
	if (t.s.rekey)
		rekey_wishes(c);
}

/* ---- the outbound thread (dp_worker.c) ---------------------------------- */

/*
 * IKEROAM_DATA_THREAD=1: TUN -> ESP -> UDP on a thread of its own;
 * 0 or unset: everything on the loop (ARCHITECTURE.md "Two threads").
 */
static bool
dp_wanted(void)
{
	const char *e = getenv("IKEROAM_DATA_THREAD");

	return e != NULL && strcmp(e, "1") == 0;
}

/* The worker reads the TUN: it is to be read, and the transport that
 * carries the outbound SA is not TCP (none: the worker drops). */
static bool
dp_owns(const struct conn *c)
{
	const struct xport *x = out_xp(c);

	return c->dp != NULL && c->tun_polling && c->tun.fd >= 0 &&
	    (x == NULL || !x->tcp);
}

/* What the worker is to do now; |gone| (a closing transport) left out. */
static void
dp_want(struct conn *c, const struct xport *gone, struct dp_out *o)
{
	memset(o, 0, sizeof(*o));
	o->tun_fd = o->udp_fd = -1;
	if (!dp_owns(c))
		return;
	o->tun_fd = c->tun.fd;
	o->vnet_hdr = c->tun.vnet_hdr;
	o->mtu = c->tun_mtu;
	o->mss4 = c->mss4;
	o->mss6 = c->mss6;
	if ((o->n_sa = out_refs(c, gone, o->sas)) > 0)
		o->udp_fd = xport_udp_esp_fd(out_xp(c), &o->gso);
}

/* Our uv_poll on the TUN runs iff |on|. */
static void
tun_loop_set(struct conn *c, bool on)
{
	int rv;

	if (on == c->tun_loop || !c->tun_poll_init)
		return;
	if (!on) {
		uv_poll_stop(&c->tun_poll);
		c->tun_loop = false;
		return;
	}
	if ((rv = uv_poll_start(&c->tun_poll, UV_READABLE, tun_readable)) != 0) {
		log_warn("cannot poll the TUN device: %s", uv_strerror(rv));
		c->tun_polling = false;
	}
	c->tun_loop = rv == 0;
}

/* The worker's counts into ours; its rekey wishes become ours. */
static void
dp_drain(struct conn *c)
{
	struct xport *x = conn_xp(c);
	struct dp_counts k;

	dp_worker_drain(c->dp, &k);
	c->drop_no_sa += k.drop_no_sa;
	c->drop_ts += k.drop_ts;
	c->drop_esp += k.drop_esp;
	if (x != NULL) {
		x->stats.tx_esp += k.x.tx_esp;
		x->stats.tx_bytes += k.x.tx_bytes;
		x->stats.drop_tx_full += k.x.drop_tx_full;
		x->stats.drop_tx_error += k.x.drop_tx_error;
	}
	/* The silence mark (a tick late at most when nothing wakes us). */
	if (k.sent && c->tx_unanswered_ms <= c->rx_ms)
		c->tx_unanswered_ms = uv_now(c->loop);
	rekey_wishes(c);
}

static void
dp_set(struct conn *c, const struct dp_out *o, bool wait)
{
	int rv;

	if (c->dp_stuck)
		return;
	if ((rv = dp_worker_set(c->dp, o, wait)) == IR_ERR_TIMEOUT) {
		log_err("the outbound thread does not answer: its SA and TUN "
		    "are left to it");
		c->dp_stuck = true;
	} else if (rv != 0) {
		log_warn("cannot hand the outbound thread its work: %s",
		    ir_strerror(rv));
	}
}

/*
 * Who reads the TUN, and with what: after each loop iteration, and at
 * once when the TUN starts or stops.  The loop encrypts only after the
 * worker acknowledged that it let go of the SA (the SA's sequence
 * numbers have one writer at a time).
 */
static void
dp_reconcile(struct conn *c)
{
	struct dp_out o;

	if (c->dp == NULL) {
		tun_loop_set(c, c->tun_polling);
		return;
	}
	dp_drain(c);
	dp_want(c, NULL, &o);
	if (dp_owns(c)) {
		tun_loop_set(c, false);
		if (!dp_worker_same(c->dp, &o))
			dp_set(c, &o, false);
		c->dp_tun = true;
	} else {
		if (!dp_worker_same(c->dp, &o))
			dp_set(c, &o, c->dp_tun);
		c->dp_tun = false;
		tun_loop_set(c, c->tun_polling);
	}
}

static void
dp_check_cb(uv_check_t *h)
{
	dp_reconcile(h->data);
}

static void
dp_async_cb(uv_async_t *h)
{
	dp_drain(h->data);
}

/* Runs on the worker thread: only the thread-safe uv_async_send(). */
static void
dp_wake(void *ud)
{
	struct conn *c = ud;

	(void)uv_async_send(&c->dp_async);
}

/* Before an SA or a transport goes: the worker moves off it, and has
 * acknowledged it when this returns. */
static void
dp_sync(struct conn *c, const struct xport *gone)
{
	struct dp_out o;

	if (c->dp == NULL)
		return;
	dp_want(c, gone, &o);
	dp_set(c, &o, true);
}

void
conn_dp_forget(struct conn *c, const struct xport *x)
{
	dp_sync(c, x);
}

static void
dp_start(struct conn *c)
{
	int rv;

	if (c->dp != NULL || c->dp_handles || !dp_wanted())
		return;
	uv_check_init(c->loop, &c->dp_check);
	c->dp_check.data = c;
	if ((rv = uv_async_init(c->loop, &c->dp_async, dp_async_cb)) != 0) {
		uv_close((uv_handle_t *)&c->dp_check, NULL);
		log_warn("no outbound thread: %s", uv_strerror(rv));
		return;
	}
	c->dp_async.data = c;
	c->dp_handles = true;
	if ((rv = dp_worker_new(&c->dp, dp_wake, c)) != 0) {
		log_warn("no outbound thread: %s", ir_strerror(rv));
		return;
	}
	(void)uv_check_start(&c->dp_check, dp_check_cb);
	log_debug("outbound thread started (UDP: TUN -> ESP -> socket)");
}

static void
dp_stop(struct conn *c)
{
	if (c->dp != NULL) {
		dp_drain(c);
		if (c->dp_stuck) {
			/* Never free what it may still touch. */
			log_warn("the outbound thread is left running");
		} else {
			dp_worker_free(c->dp);
		}
		c->dp = NULL;
		c->dp_tun = false;
	}
	if (c->dp_handles) {
		c->dp_handles = false;
		uv_close((uv_handle_t *)&c->dp_check, NULL);
		/* A thread left running may still send on it: unref only. */
		if (c->dp_stuck)
			uv_unref((uv_handle_t *)&c->dp_async);
		else
			uv_close((uv_handle_t *)&c->dp_async, NULL);
	}
}

/* ---- the TUN poll (owned here) ------------------------------------------ */

void
conn_tun_start(struct conn *c)
{
	if (c->tun_polling || c->tun.fd < 0)
		return;
	if (!c->tun_poll_init) {
		uv_poll_init(c->loop, &c->tun_poll, c->tun.fd);
		c->tun_poll.data = c;
		c->tun_poll_init = true;
	}
	if (!c->gro_check_init) {
		uv_check_init(c->loop, &c->gro_check);
		c->gro_check.data = c;
		c->gro_check_init = true;
		tun_gro_init(&c->gro);
	}
	dp_start(c);
	c->tun_polling = true;
	dp_reconcile(c);
}

void
conn_tun_stop(struct conn *c)
{
	if (c->tun_polling) {
		c->tun_polling = false;
		dp_reconcile(c);
	}
}

static void
tun_poll_closed(uv_handle_t *h)
{
	struct conn *c = h->data;

	/* The fd goes only after libuv let go of it. */
	tun_dev_close(&c->tun);
}

void
conn_tun_close(struct conn *c)
{
	conn_tun_stop(c);
	/* The worker's copy of the TUN descriptor goes first (the device
	 * goes with the last one). */
	dp_sync(c, NULL);
	dp_stop(c);
	if (c->gro_check_init) {
		conn_gro_flush(c);
		c->gro_check_init = false;
		uv_close((uv_handle_t *)&c->gro_check, NULL);
	}
	if (c->tun_poll_init) {
		c->tun_poll_init = false;
		uv_close((uv_handle_t *)&c->tun_poll, tun_poll_closed);
	} else {
		tun_dev_close(&c->tun);
	}
}
