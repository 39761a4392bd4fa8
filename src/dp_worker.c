/*
 * src/dp_worker.c: the outbound worker thread (dp_worker.h).
 *
 *   poll(TUN, wake eventfd) -> up to DP_BUDGET reads -> (super-packet:
 *   tun_gso_next) -> checks, MSS, esp_encrypt into a slot -> a full set
 *   of slots or the end of the round: udp_tx_send() (one sendmmsg)
 *
 * The sealing itself is dp_seal.c's, the same as the loop's.
 *
 * Between rounds it takes the newest snapshot (dp_handoff_take) and,
 * when it moved, says so on ack_fd; the loop thread waits on that only
 * when it is about to free what an older snapshot named.  Counters are
 * added to atomics once per round; the loop drains them.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/dp_handoff.h"
#include "src/dp_seal.h"
#include "src/dp_worker.h"
#include "src/udp_tx.h"
#include "tun/tun.h"
#include "tun/tun_gso.h"

#define DP_PKT_SIZE	(XPORT_BATCH_MAX * 2048)
#define DP_WAIT_ROUNDS	50		/* of 100 ms: 5 s */

struct dp_snap {
	struct dp_snap_hdr	 hdr;		/* first */
	bool			 stop;
	struct dp_out		 o;		/* descriptors: our dups */
};

struct dp_worker {
	struct dp_handoff	 h;
	pthread_t		 thread;
	int			 wake_fd;	/* loop -> worker */
	int			 ack_fd;	/* worker -> loop: moved */
	void			(*wake)(void *ud);
	void			*ud;
	struct dp_out		 last;		/* loop: as given */
	bool			 have_last;
	/* counted by the worker, drained by the loop */
	_Atomic uint64_t	 tx_esp, tx_bytes, drop_tx_full,
				 drop_tx_error, drop_no_sa, drop_ts,
				 drop_esp;
	_Atomic bool		 sent;
	/* the worker's own */
	struct udp_tx		 tx;
	struct dp_counts	 round;
	uint8_t			 tun_rx[TUN_VNET_HDR_LEN + TUN_GSO_MAX];
	uint8_t			 pkt[DP_PKT_SIZE];
};

/* ---- the worker thread --------------------------------------------------- */

/* One round's work: the snapshot and the sealing pass (dp_seal.h). */
struct dp_round {
	struct dp_worker	*w;
	const struct dp_out	*o;
	struct dp_seal		 s;
};

/* An SA's rekey wish goes to the loop at once (it drains the flags). */
static void
wake_for_rekey(struct dp_round *r)
{
	if (r->s.rekey) {
		r->s.rekey = false;
		r->w->wake(r->w->ud);
	}
}

/* A burst: one sendmmsg, then each SA used shows its counts. */
static void
burst_send(void *ud, struct ir_pkt *pkts, unsigned n)
{
	struct dp_round *r = ud;

	udp_tx_send(&r->w->tx, r->o->udp_fd, pkts, n, &r->w->round.x);
	r->w->round.sent = true;
	dp_seal_burst_done(&r->s);
	wake_for_rekey(r);
}

static void
publish_round(struct dp_worker *w)
{
	struct dp_counts *r = &w->round;

#define ADD(f, v) if ((v) != 0) \
	atomic_fetch_add_explicit(&w->f, (v), memory_order_relaxed)
	ADD(tx_esp, r->x.tx_esp);
	ADD(tx_bytes, r->x.tx_bytes);
	ADD(drop_tx_full, r->x.drop_tx_full);
	ADD(drop_tx_error, r->x.drop_tx_error);
	ADD(drop_no_sa, r->drop_no_sa);
	ADD(drop_ts, r->drop_ts);
	ADD(drop_esp, r->drop_esp);
#undef ADD
	if (r->sent && !atomic_load_explicit(&w->sent, memory_order_relaxed))
		atomic_store_explicit(&w->sent, true, memory_order_relaxed);
	memset(r, 0, sizeof(*r));
}

/*
 * One round: up to DP_BUDGET reads.  1: the budget ran out (more may
 * wait), 0: the TUN is empty, -1: it failed (wait for a new snapshot).
 */
static int
round_once(struct dp_worker *w, const struct dp_out *o)
{
	struct ir_pkt pkts[XPORT_BATCH_MAX], *pkt;
	struct tun_dev t = { .fd = o->tun_fd, .vnet_hdr = o->vnet_hdr };
	struct dp_round r = { .w = w, .o = o };
	struct dp_burst b = { .buf = w->pkt, .mtu = o->mtu, .pkts = pkts,
	    .max = dp_slots(sizeof(w->pkt), o->mtu), .send = burst_send,
	    .ud = &r };
	size_t cap = dp_slot_cap(o->mtu), len;
	unsigned budget = DP_BUDGET;
	int rv = 0, res = 1;

	r.s.sas = o->sas;
	r.s.n_sa = o->udp_fd < 0 ? 0 : o->n_sa;	/* no transport: drop */
	r.s.mss4 = o->mss4;
	r.s.mss6 = o->mss6;
	for (; budget > 0; budget--) {
		pkt = dp_burst_slot(&b);
		if (o->vnet_hdr)
			rv = tun_dev_read(&t, w->tun_rx, sizeof(w->tun_rx),
			    &len);
		else
			rv = tun_dev_read(&t, pkt->data, cap, &len);
		if (rv != 0) {
			res = rv == -EAGAIN || rv == -EINTR ? 0 : -1;
			break;
		}
		/* A cut packet reports its full length. */
		if (len > (o->vnet_hdr ? sizeof(w->tun_rx) : cap))
			r.s.drop_esp++;
		else if (o->vnet_hdr)
			dp_seal_super(&r.s, &b, w->tun_rx, len);
		else
			dp_burst_add(&b, dp_seal_one(&r.s, pkt, len));
	}
	dp_burst_flush(&b);
	wake_for_rekey(&r);
	w->round.drop_no_sa += r.s.drop_no_sa;
	w->round.drop_ts += r.s.drop_ts;
	w->round.drop_esp += r.s.drop_esp;
	publish_round(w);
	return res;
}

static void *
worker_main(void *arg)
{
	struct dp_worker *w = arg;
	struct dp_snap *s = NULL;
	struct pollfd pfd[2];
	bool moved, tun_ok = false;
	uint64_t v = 1;
	int rv = 0;

	for (;;) {
		s = (struct dp_snap *)dp_handoff_take(&w->h,
		    s != NULL ? &s->hdr : NULL, &moved);
		if (moved) {
			w->tx.gso = s->o.gso;
			tun_ok = s->o.tun_fd >= 0;
			(void)!write(w->ack_fd, &v, sizeof(v));
		}
		if (s != NULL && s->stop)
			break;
		if (tun_ok && (rv = round_once(w, &s->o)) != 0) {
			if (rv > 0)
				continue;
			tun_ok = false;		/* failed: wait for news */
		}
		pfd[0].fd = w->wake_fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = tun_ok ? s->o.tun_fd : -1;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) > 0 && (pfd[0].revents & POLLIN))
			(void)!read(w->wake_fd, &v, sizeof(v));
	}
	return NULL;
}

/* ---- the loop thread's side ---------------------------------------------- */

static void
snap_free(void *ud, struct dp_snap_hdr *h)
{
	struct dp_snap *s = (struct dp_snap *)h;

	(void)ud;
	if (s->o.tun_fd >= 0)
		close(s->o.tun_fd);
	if (s->o.udp_fd >= 0)
		close(s->o.udp_fd);
	ir_free(s);
}

static int
wait_ack(struct dp_worker *w, uint64_t gen)
{
	struct pollfd p = { .fd = w->ack_fd, .events = POLLIN };
	uint64_t v;
	unsigned i;

	for (i = 0; i < DP_WAIT_ROUNDS; i++) {
		if (dp_handoff_acked(&w->h, gen))
			return 0;
		if (poll(&p, 1, 100) > 0)
			(void)!read(w->ack_fd, &v, sizeof(v));
	}
	return dp_handoff_acked(&w->h, gen) ? 0 : IR_ERR_TIMEOUT;
}

static int
put(struct dp_worker *w, struct dp_snap *s, bool wait)
{
	uint64_t gen, v = 1;
	int rv;

	(void)dp_handoff_reclaim(&w->h);
	if ((gen = dp_handoff_publish(&w->h, &s->hdr)) == 0) {
		/* Too many waiting: let the worker catch up first. */
		if ((rv = wait_ack(w, dp_handoff_gen(&w->h))) != 0) {
			snap_free(NULL, &s->hdr);
			return rv;
		}
		(void)dp_handoff_reclaim(&w->h);
		if ((gen = dp_handoff_publish(&w->h, &s->hdr)) == 0) {
			snap_free(NULL, &s->hdr);
			return IR_ERR_INTERNAL;
		}
	}
	(void)!write(w->wake_fd, &v, sizeof(v));
	if (!wait)
		return 0;
	if ((rv = wait_ack(w, gen)) != 0)
		return rv;
	(void)dp_handoff_reclaim(&w->h);
	return 0;
}

static int
dup_fd(int fd, int *out)
{
	*out = -1;
	if (fd >= 0 && (*out = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0)
		return -errno;
	return 0;
}

int
dp_worker_set(struct dp_worker *w, const struct dp_out *o, bool wait)
{
	struct dp_snap *s;
	int rv;

	if (dp_worker_same(w, o)) {
		/* Nothing new; |wait|: the newest is acknowledged. */
		if (wait && (rv = wait_ack(w, dp_handoff_gen(&w->h))) != 0)
			return rv;
		(void)dp_handoff_reclaim(&w->h);
		return 0;
	}
	if (o->n_sa > DP_MAX_SA)
		return IR_ERR_INTERNAL;
	if ((s = ir_calloc(1, sizeof(*s))) == NULL)
		return IR_ERR_NOMEM;
	s->o = *o;
	s->o.tun_fd = s->o.udp_fd = -1;
	if ((rv = dup_fd(o->tun_fd, &s->o.tun_fd)) != 0 ||
	    (rv = dup_fd(o->udp_fd, &s->o.udp_fd)) != 0) {
		snap_free(NULL, &s->hdr);
		return rv;
	}
	/* Remembered once published (a wait that timed out published). */
	if ((rv = put(w, s, wait)) == 0 || rv == IR_ERR_TIMEOUT) {
		w->last = *o;
		w->have_last = true;
	}
	return rv;
}

static bool
ref_same(const struct dp_sa_ref *a, const struct dp_sa_ref *b)
{
	return a->sa == b->sa && a->m == b->m && a->ts_local == b->ts_local &&
	    a->ts_remote == b->ts_remote && a->n_ts_local == b->n_ts_local &&
	    a->n_ts_remote == b->n_ts_remote;
}

bool
dp_worker_same(const struct dp_worker *w, const struct dp_out *o)
{
	const struct dp_out *l = &w->last;
	unsigned i;

	if (!w->have_last || l->tun_fd != o->tun_fd ||
	    l->vnet_hdr != o->vnet_hdr || l->mtu != o->mtu ||
	    l->mss4 != o->mss4 || l->mss6 != o->mss6 || l->n_sa != o->n_sa ||
	    l->udp_fd != o->udp_fd || l->gso != o->gso)
		return false;
	for (i = 0; i < o->n_sa; i++)
		if (!ref_same(&l->sas[i], &o->sas[i]))
			return false;
	return true;
}

void
dp_worker_drain(struct dp_worker *w, struct dp_counts *c)
{
#define TAKE(f) atomic_exchange_explicit(&w->f, 0, memory_order_relaxed)
	memset(c, 0, sizeof(*c));
	c->x.tx_esp = TAKE(tx_esp);
	c->x.tx_bytes = TAKE(tx_bytes);
	c->x.drop_tx_full = TAKE(drop_tx_full);
	c->x.drop_tx_error = TAKE(drop_tx_error);
	c->drop_no_sa = TAKE(drop_no_sa);
	c->drop_ts = TAKE(drop_ts);
	c->drop_esp = TAKE(drop_esp);
#undef TAKE
	if (atomic_load_explicit(&w->sent, memory_order_relaxed))
		c->sent = atomic_exchange_explicit(&w->sent, false,
		    memory_order_relaxed);
	(void)dp_handoff_reclaim(&w->h);
}

static void
dp_free_fds(struct dp_worker *w)
{
	if (w->wake_fd >= 0)
		close(w->wake_fd);
	if (w->ack_fd >= 0)
		close(w->ack_fd);
}

int
dp_worker_new(struct dp_worker **out, void (*wake)(void *ud), void *ud)
{
	struct dp_worker *w;
	sigset_t all, old;
	int rv;

	*out = NULL;
	if ((w = ir_calloc(1, sizeof(*w))) == NULL)
		return IR_ERR_NOMEM;
	dp_handoff_init(&w->h, snap_free, NULL);
	w->wake = wake;
	w->ud = ud;
	w->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	w->ack_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w->wake_fd < 0 || w->ack_fd < 0) {
		rv = -errno;
		dp_free_fds(w);
		ir_free(w);
		return rv;
	}
	/* Signals are the loop's (libuv's signal pipe). */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rv = pthread_create(&w->thread, NULL, worker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rv != 0) {
		dp_free_fds(w);
		ir_free(w);
		return -rv;
	}
	*out = w;
	return 0;
}

void
dp_worker_free(struct dp_worker *w)
{
	struct dp_snap *s;

	if (w == NULL)
		return;
	/* Told to stop, or left running (and allocated) if it cannot be
	 * told: never freed under it. */
	if ((s = ir_calloc(1, sizeof(*s))) == NULL)
		return;
	s->stop = true;
	s->o.tun_fd = s->o.udp_fd = -1;
	if (put(w, s, false) != 0)
		return;
	(void)pthread_join(w->thread, NULL);
	dp_handoff_clear(&w->h);
	dp_free_fds(w);
	ir_free(w);
}
