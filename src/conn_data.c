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
 * uv_check_t).  Nothing is allocated per packet.
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
 * RFC 4301 §5.1 and §5.2: a packet goes into an SA, or comes out of one,
 * only when the SA's traffic selectors cover it (outbound: from ours to
 * the gateway's; inbound: the other way).  Anything else, IPv6 routed
 * into a tunnel that has only IPv4 selectors among it, is dropped and
 * counted.
 */
static bool
child_covers(const struct conn_child *ch, const uint8_t *p, size_t len,
    bool outbound)
{
	struct ts_fields f;

	if (ts_fields_parse(p, len, &f) != 0)
		return false;
	return outbound ?
	    ts_fields_match(&f, ch->ts_local, ch->n_ts_local, ch->ts_remote,
	    ch->n_ts_remote) :
	    ts_fields_match(&f, ch->ts_remote, ch->n_ts_remote, ch->ts_local,
	    ch->n_ts_local);
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
	if (!child_covers(ch, pkt->data, pkt->len, false)) {
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

static void
maybe_rekey(struct conn *c, struct conn_child *ch)
{
	if (esp_sa_lifetime(ch->out) != ESP_LIFE_OK)
		ask_rekey(c, ch);
}

/*
 * c->pkt, cut into slots of one inner packet each: headroom for the ESP
 * header and the transport's framing, the TUN MTU, ESP's tailroom;
 * rounded to 64 octets.  About 40 slots at MTU 1400, one at 64 KiB.
 */
static size_t
tun_slot_size(const struct conn *c)
{
	return (CONN_PKT_HEADROOM + (size_t)c->tun_mtu + ESP_TAILROOM + 63) &
	    ~(size_t)63;
}

static unsigned
tun_slots(const struct conn *c)
{
	size_t n = sizeof(c->pkt) / tun_slot_size(c);

	if (n > XPORT_BATCH_MAX)
		n = XPORT_BATCH_MAX;
	return (unsigned)(n > CONN_TUN_BUDGET ? CONN_TUN_BUDGET : n);
}

/* The outbound SA's counts where the status reads them (the worker
 * writes them too, dp_worker.c). */
static void
mirror_out(struct conn_child *ch)
{
	struct esp_sa_stats st;

	esp_sa_get_stats(ch->out, &st);
	atomic_store_explicit(&ch->om.packets, st.packets,
	    memory_order_relaxed);
	atomic_store_explicit(&ch->om.bytes, st.bytes, memory_order_relaxed);
}

/*
 * The Child SA for an outbound packet: c->out when it covers it, else
 * the newest Child SA of the same IKE SA (so the same transport) that
 * does: the gateway may have split our selectors over several (RFC 7296
 * §2.9).  NULL: none covers it.
 */
static struct conn_child *
child_for(struct conn *c, const uint8_t *p, size_t len)
{
	struct conn_child *best = NULL, *ch;
	unsigned i;

	if (child_covers(c->out, p, len, true))
		return c->out;
	for (i = 0; i < CONN_MAX_CHILD; i++) {
		ch = &c->child[i];
		if (ch->spi_in == 0 || ch == c->out ||
		    ch->owner != c->out->owner ||
		    (best != NULL && ch->gen < best->gen))
			continue;
		if (child_covers(ch, p, len, true))
			best = ch;
	}
	return best;
}

/*
 * The checks and ESP for one inner packet of |len| octets at pkt->data.
 * 1: ready to send; 0: dropped (counted).
 */
static int
tun_seal(struct conn *c, struct ir_pkt *pkt, size_t len)
{
	struct conn_child *ch;
	int rv;

	if (c->out == NULL || out_xp(c) == NULL) {
		c->drop_no_sa++;
		return 0;
	}
	pkt->len = len;
	if ((ch = child_for(c, pkt->data, len)) == NULL) {
		c->drop_ts++;
		return 0;
	}
	clamp_mss(c, pkt->data, len);
	if ((rv = esp_encrypt(ch->out, pkt, 0)) != 0) {
		c->drop_esp++;
		if (rv == IR_ERR_LIFETIME)
			maybe_rekey(c, ch);
		return 0;
	}
	c->burst_used |= 1u << (ch - c->child);	/* polled after the burst */
	return 1;
}

/*
 * Read one packet into |pkt| (slot |i|) and encrypt it in place.
 * Returns 1 when it is ready to send, 0 when it was dropped (counted),
 * or -1 when the TUN has nothing more (EAGAIN) or failed.
 */
static int
tun_read_one(struct conn *c, struct ir_pkt *pkt, unsigned i)
{
	size_t slot = tun_slot_size(c), cap, len;
	int rv;

	ir_pkt_init(pkt, c->pkt + i * slot, slot, CONN_PKT_HEADROOM);
	cap = slot - CONN_PKT_HEADROOM - ESP_TAILROOM;
	if ((rv = tun_dev_read(&c->tun, pkt->data, cap, &len)) != 0) {
		if (rv != -EAGAIN)
			log_debug("TUN read: %s", ir_strerror(rv));
		return -1;
	}
	/* The kernel reports a packet's full length even when it cut it to
	 * |cap| (someone raised the MTU under us): never trust it. */
	if (len > cap) {
		c->drop_esp++;
		return 0;
	}
	return tun_seal(c, pkt, len);
}

_Static_assert(CONN_MAX_CHILD <= 32, "conn.burst_used has a bit each");

/* After a burst: each Child SA that sealed in it shows its counts and,
 * esp.h: its lifetime is polled (once per burst, not per packet). */
static void
burst_done(struct conn *c)
{
	struct conn_child *ch;
	unsigned i;

	for (i = 0; i < CONN_MAX_CHILD && c->burst_used != 0; i++) {
		if (!(c->burst_used & (1u << i)))
			continue;
		c->burst_used &= ~(1u << i);
		ch = &c->child[i];
		if (ch->spi_in == 0 || ch->out == NULL)
			continue;	/* gone meanwhile */
		mirror_out(ch);
		if (esp_sa_lifetime(ch->out) != ESP_LIFE_OK)
			maybe_rekey(c, ch);
	}
}

/* Send |n| sealed packets: one system call on the socket. */
static void
tun_burst(struct conn *c, struct ir_pkt *pkts, unsigned n)
{
	if (n == 0)
		return;
	/* A rekey failure above may have ended the SA meanwhile. */
	if (c->out == NULL || out_xp(c) == NULL) {
		c->drop_no_sa += n;
		c->burst_used = 0;
		return;
	}
	(void)out_xp(c)->ops->send_esp(out_xp(c), pkts, n);
	/* The silence mark: first ESP out since the last ESP in. */
	if (c->tx_unanswered_ms <= c->rx_ms)
		c->tx_unanswered_ms = uv_now(c->loop);
	burst_done(c);
}

/*
 * With offloads: up to CONN_TUN_BUDGET reads per wake-up, each a packet
 * or a super-packet cut into segments; slots fill across reads and go
 * out as a burst when full or at the end.
 */
static void
tun_readable_vnet(struct conn *c)
{
	struct ir_pkt pkts[XPORT_BATCH_MAX];
	struct tun_gso g;
	unsigned budget = CONN_TUN_BUDGET, slots = tun_slots(c), n = 0;
	size_t slot = tun_slot_size(c), cap, len;
	int rv;

	cap = slot - CONN_PKT_HEADROOM - ESP_TAILROOM;
	for (; budget > 0 && c->tun_polling; budget--) {
		if ((rv = tun_dev_read(&c->tun, c->tun_rx, sizeof(c->tun_rx),
		    &len)) != 0) {
			if (rv != -EAGAIN)
				log_debug("TUN read: %s", ir_strerror(rv));
			break;
		}
		if (len > sizeof(c->tun_rx) ||
		    tun_gso_init(&g, c->tun_rx, len, c->tun_mtu) != 0) {
			c->drop_esp++;
			continue;
		}
		for (;;) {
			ir_pkt_init(&pkts[n], c->pkt + n * slot, slot,
			    CONN_PKT_HEADROOM);
			if ((rv = tun_gso_next(&g, pkts[n].data, cap, &len)) != 1)
				break;
			n += (unsigned)tun_seal(c, &pkts[n], len);
			if (n == slots) {
				tun_burst(c, pkts, n);
				n = 0;
			}
		}
		if (rv < 0)
			c->drop_esp++;
	}
	tun_burst(c, pkts, n);
}

/*
 * Up to CONN_TUN_BUDGET packets per wake-up (STYLE.md: the other
 * handles get their turn), in bursts of up to tun_slots(): each burst is
 * one system call on the socket.
 */
static void
tun_readable(uv_poll_t *p, int status, int events)
{
	struct conn *c = p->data;
	struct ir_pkt pkts[XPORT_BATCH_MAX];
	unsigned budget = CONN_TUN_BUDGET, slots, n;
	int rv = 1;

	if (status < 0 || !(events & UV_READABLE))
		return;
	if (c->tun.vnet_hdr) {
		tun_readable_vnet(c);
		return;
	}
	slots = tun_slots(c);
	while (rv >= 0 && budget > 0 && c->tun_polling) {
		for (n = 0; n < slots && budget > 0 && c->tun_polling; budget--)
			if ((rv = tun_read_one(c, &pkts[n], n)) < 0)
				break;
			else
				n += (unsigned)rv;
		if (n == 0)
			continue;
		if (c->out == NULL || out_xp(c) == NULL) {
			c->drop_no_sa += n;
			c->burst_used = 0;
			return;
		}
		tun_burst(c, pkts, n);
	}
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

_Static_assert(DP_MAX_SA == CONN_MAX_CHILD, "dp_worker.h: one per child");

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

/* What the worker is to do now; |gone| (a closing transport) left out. */
static void
dp_want(struct conn *c, const struct xport *gone, struct dp_out *o)
{
	struct xport *x = out_xp(c);
	struct conn_child *ch = c->out;

	memset(o, 0, sizeof(*o));
	o->tun_fd = o->udp_fd = -1;
	if (!dp_owns(c))
		return;
	o->tun_fd = c->tun.fd;
	o->vnet_hdr = c->tun.vnet_hdr;
	o->mtu = c->tun_mtu;
	o->mss4 = c->mss4;
	o->mss6 = c->mss6;
	if (ch == NULL || ch->dying || x == NULL || x == gone)
		return;
	/* As child_for(): c->out, then the others of its IKE SA, newest
	 * first; one about to be freed (dying) left out. */
	dp_ref(&o->sas[o->n_sa++], ch);
	for (;;) {
		struct conn_child *best = NULL, *k;
		unsigned i, j;

		for (i = 0; i < CONN_MAX_CHILD; i++) {
			k = &c->child[i];
			if (k->spi_in == 0 || k->dying || k == ch ||
			    k->owner != ch->owner ||
			    (best != NULL && k->gen <= best->gen))
				continue;
			for (j = 1; j < o->n_sa && o->sas[j].sa != k->out; j++)
				;
			if (j == o->n_sa)
				best = k;
		}
		if (best == NULL || o->n_sa == DP_MAX_SA)
			break;
		dp_ref(&o->sas[o->n_sa++], best);
	}
	o->udp_fd = xport_udp_esp_fd(x, &o->gso);
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
	unsigned i;

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
	for (i = 0; i < CONN_MAX_CHILD; i++)
		if (c->child[i].spi_in != 0 && atomic_exchange_explicit(
		    &c->child[i].om.rekey, false, memory_order_relaxed))
			ask_rekey(c, &c->child[i]);
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
