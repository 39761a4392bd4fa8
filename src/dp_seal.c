/*
 * src/dp_seal.c: the outbound packet path both threads share (see
 * dp_seal.h).
 */
#include <string.h>

#include "common/ir_err.h"
#include "src/dp_seal.h"
#include "src/ts_match.h"
#include "tun/tun.h"
#include "tun/tun_gso.h"

_Static_assert(DP_MAX_SA <= 32, "dp_seal.used has a bit each");

size_t
dp_slot_size(uint32_t mtu)
{
	return (DP_HEADROOM + (size_t)mtu + ESP_TAILROOM + 63) & ~(size_t)63;
}

size_t
dp_slot_cap(uint32_t mtu)
{
	return dp_slot_size(mtu) - DP_HEADROOM - ESP_TAILROOM;
}

unsigned
dp_slots(size_t buf_len, uint32_t mtu)
{
	size_t n = buf_len / dp_slot_size(mtu);

	return (unsigned)(n > XPORT_BATCH_MAX ? XPORT_BATCH_MAX : n);
}

int
dp_sa_for(const struct dp_sa_ref *sas, unsigned n, const uint8_t *p,
    size_t len)
{
	struct ts_fields f;
	unsigned i;

	if (ts_fields_parse(p, len, &f) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (ts_fields_match(&f, sas[i].ts_local, sas[i].n_ts_local,
		    sas[i].ts_remote, sas[i].n_ts_remote))
			return (int)i;
	return -1;
}

/* The loop turns the flag into one rekey request (conn_data.c). */
static void
want_rekey(struct dp_seal *s, struct dp_sa_mirror *m)
{
	if (!atomic_exchange_explicit(&m->rekey, true, memory_order_relaxed))
		s->rekey = true;
}

int
dp_seal_one(struct dp_seal *s, struct ir_pkt *pkt, size_t len)
{
	int rv, i;

	if (s->n_sa == 0) {
		s->drop_no_sa++;
		return 0;
	}
	pkt->len = len;
	if ((i = dp_sa_for(s->sas, s->n_sa, pkt->data, len)) < 0) {
		s->drop_ts++;
		return 0;
	}
	if (len > 0 && s->mss4 != 0)
		(void)tun_clamp_mss(pkt->data, len, (pkt->data[0] >> 4) == 6 ?
		    s->mss6 : s->mss4);
	if ((rv = esp_encrypt(s->sas[i].sa, pkt, 0)) != 0) {
		s->drop_esp++;
		if (rv == IR_ERR_LIFETIME)
			want_rekey(s, s->sas[i].m);
		return 0;
	}
	s->used |= 1u << i;
	return 1;
}

struct ir_pkt *
dp_burst_slot(struct dp_burst *b)
{
	size_t slot = dp_slot_size(b->mtu);

	ir_pkt_init(&b->pkts[b->n], b->buf + b->n * slot, slot, DP_HEADROOM);
	return &b->pkts[b->n];
}

void
dp_burst_add(struct dp_burst *b, int ready)
{
	b->n += ready > 0;
	if (b->n == b->max)
		dp_burst_flush(b);
}

void
dp_burst_flush(struct dp_burst *b)
{
	unsigned n = b->n;

	b->n = 0;
	if (n > 0)
		b->send(b->ud, b->pkts, n);
}

void
dp_seal_super(struct dp_seal *s, struct dp_burst *b, const uint8_t *rx,
    size_t len)
{
	size_t cap = dp_slot_cap(b->mtu), n;
	struct ir_pkt *pkt;
	struct tun_gso g;
	int rv;

	if (tun_gso_init(&g, rx, len, b->mtu) != 0) {
		s->drop_esp++;
		return;
	}
	for (;;) {
		pkt = dp_burst_slot(b);
		if ((rv = tun_gso_next(&g, pkt->data, cap, &n)) != 1)
			break;
		dp_burst_add(b, dp_seal_one(s, pkt, n));
	}
	if (rv < 0)
		s->drop_esp++;
}

void
dp_seal_burst_done(struct dp_seal *s)
{
	struct esp_sa_stats st;
	unsigned i;

	for (i = 0; i < s->n_sa && s->used != 0; i++) {
		if (!(s->used & (1u << i)))
			continue;
		s->used &= ~(1u << i);
		esp_sa_get_stats(s->sas[i].sa, &st);
		atomic_store_explicit(&s->sas[i].m->packets, st.packets,
		    memory_order_relaxed);
		atomic_store_explicit(&s->sas[i].m->bytes, st.bytes,
		    memory_order_relaxed);
		if (esp_sa_lifetime(s->sas[i].sa) != ESP_LIFE_OK)
			want_rekey(s, s->sas[i].m);
	}
	s->used = 0;
}
