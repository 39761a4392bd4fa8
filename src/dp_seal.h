/*
 * src/dp_seal.h: the outbound packet path that the loop (conn_data.c)
 * and the outbound thread (dp_worker.c) share, so that both seal alike:
 * the slots of a burst, the Child SA for a packet (RFC 4301 §5.1), the
 * checks and ESP of one inner packet, a TUN super-packet cut into slots,
 * and what each SA shows after a burst.  Pure: no system call, no lock,
 * no allocation.  A set of outbound SAs is sealed with by one thread at
 * a time (their sequence numbers have one writer; dp_worker.h).
 */
#ifndef IR_SRC_DP_SEAL_H
#define IR_SRC_DP_SEAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/ir_pkt.h"
#include "esp/esp.h"
#include "ike/ike.h"
#include "src/xport.h"

/* Room in front of an inner packet: the transport's framing, the ESP
 * header, and 8 to spare. */
#define DP_HEADROOM	(XPORT_HEADROOM + ESP_HEADROOM + 8)
#define DP_BUDGET	64		/* TUN reads per wake-up or round */
#define DP_MAX_SA	12		/* CONN_MAX_CHILD */

/* What the outbound side of one Child SA shows to the loop thread:
 * written after each burst by whichever thread encrypts with it. */
struct dp_sa_mirror {
	_Atomic uint64_t	 packets, bytes;
	_Atomic bool		 rekey;		/* soft or hard limit hit */
};

/* One outbound SA and what it may carry (RFC 4301 §5.1: ours -> the
 * gateway's). */
struct dp_sa_ref {
	struct esp_sa		*sa;
	struct dp_sa_mirror	*m;
	const struct ike_ts	*ts_local, *ts_remote;
	uint8_t			 n_ts_local, n_ts_remote;
};

/*
 * One pass of sealing.  A packet goes into the first of |sas| that
 * covers it: the loop's c->out, then the other Child SAs of its IKE SA,
 * newest first (RFC 7296 §2.9: the gateway may have split our
 * selectors).  None (also: no transport, n_sa 0): dropped.
 */
struct dp_seal {
	const struct dp_sa_ref	*sas;
	unsigned		 n_sa;
	uint16_t		 mss4, mss6;	/* 0: no clamping */
	/* out: counted drops, for the caller to take */
	uint64_t		 drop_no_sa, drop_ts, drop_esp;
	uint32_t		 used;		/* bit i: sas[i] sealed */
	bool			 rekey;		/* an SA newly asks for one */
};

/* The slots of a burst buffer of |buf_len| octets at TUN MTU |mtu|:
 * headroom, the MTU and ESP's tailroom, rounded to 64 octets; at most
 * XPORT_BATCH_MAX of them.  About 40 at MTU 1400 in 64 KiB. */
size_t		dp_slot_size(uint32_t mtu);
unsigned	dp_slots(size_t buf_len, uint32_t mtu);
/* The room for the inner packet in a slot. */
size_t		dp_slot_cap(uint32_t mtu);

/* The index of the first of |sas| whose selectors cover the packet, or
 * -1. */
int	dp_sa_for(const struct dp_sa_ref *sas, unsigned n, const uint8_t *p,
	    size_t len);

/*
 * The inner packet of |len| octets at pkt->data: selectors, MSS
 * clamping (RFC 879 §7: inner TCP never needs fragments), ESP in
 * place.  1: ready to send; 0: dropped (counted in |s|).  An SA at a
 * lifetime limit sets its mirror's rekey (and s->rekey when new).
 */
int	dp_seal_one(struct dp_seal *s, struct ir_pkt *pkt, size_t len);

/* The slots being filled: |send| takes a full set (or the rest). */
struct dp_burst {
	uint8_t		*buf;		/* max slots of dp_slot_size() */
	uint32_t	 mtu;
	struct ir_pkt	*pkts;		/* max of them */
	unsigned	 max, n;
	void		(*send)(void *ud, struct ir_pkt *pkts, unsigned n);
	void		*ud;
};

/* pkts[n] set up on its slot, ready for an inner packet at ->data. */
struct ir_pkt	*dp_burst_slot(struct dp_burst *b);
/* Count the packet in pkts[n] when |ready|; a full set goes to send. */
void		 dp_burst_add(struct dp_burst *b, int ready);
/* Send what is filled (nothing: no call). */
void		 dp_burst_flush(struct dp_burst *b);

/*
 * A super-packet read from a TUN with offloads (|len| octets with its
 * virtio_net_hdr, tun/tun_gso.h) cut into packets of |b->mtu|, each
 * sealed into the next slot.  A bad one is one drop (s->drop_esp).
 */
void	dp_seal_super(struct dp_seal *s, struct dp_burst *b,
	    const uint8_t *rx, size_t len);

/* After a burst: each SA that sealed in it shows its counts, and its
 * lifetime is polled (esp.h: after a burst, not per packet). */
void	dp_seal_burst_done(struct dp_seal *s);

#endif
