/*
 * src/conn_int.h: the inside of struct conn, shared by the files of the
 * driver.  The calls go one way only:
 *
 *   conn.c          the event door, the actions of src/session.c, the
 *                   life cycle, signals, the clock tick, the path watch
 *     -> conn_attempt.c  transports and IKE SAs (engine glue)
 *          -> conn_data.c    Child SAs' ESP, the TUN packet path
 *     -> conn_tunnel.c   TUN device and network setup (src/netcfg.c)
 *     -> conn_status.c, conn_report.c
 *
 * Lower files never call up: they record what happened with
 * conn_post() (a fixed queue in struct conn), and conn.c drains the
 * queue (conn_flush() right after each engine call returns, or its idle
 * handle after any other libuv callback).  So no engine is re-entered
 * and no SA is freed under its own input call.
 */
#ifndef IR_SRC_CONN_INT_H
#define IR_SRC_CONN_INT_H

#include "esp/esp.h"
#include "src/certfetch.h"
#include "src/conn.h"
#include "src/dp_worker.h"
#include "src/netcfg.h"
#include "src/netwatch.h"
#include "src/session.h"
#include "src/xport.h"
#include "tun/tun.h"
#include "tun/tun_gso.h"

#define CONN_MAX_CHILD		12	/* current + rekeyed, both ways,
					   for each of the engine's
					   IKE_CHILD_MAX selector sets */
#define CONN_ATTEMPTS		FB_NXPORT	/* FB_UDP, FB_TCP, FB_TLS */
#define CONN_PROBE_GIVEUP_MS	4000	/* a UDP probe's whole life */
#define CONN_RECONNECT_RETX_MS	2000	/* IKE_SA_INIT retransmission cap
					   while rebuilding a session */
#define CONN_TICK_MS		1000	/* silence and sleep marks */
#define CONN_EVQ		32	/* events waiting for the door */
#define CONN_PKT_SIZE		(DP_HEADROOM + 65535 + ESP_TAILROOM)

/* What lower files post: an event for the policy, or work for conn.c. */
enum conn_ev_kind {
	CONN_EV_SESSION,	/* |sess| goes to session_event() */
	CONN_EV_REKEY_CHILD,	/* ESP lifetime: rekey Child SA |spi| */
	CONN_EV_MOVED,		/* attempt |xp|'s move confirmed: NAT flags */
	CONN_EV_PREV_CLOSED,	/* the parked SA (a redirect's) has ended */
	CONN_EV_REDIRECT,	/* |redirect| is the redirect's target; then
				   |sess| (SE_REDIRECT) goes to the policy */
};

struct conn_ev {
	int		kind;
	struct sess_ev	sess;
	uint32_t	spi;
	bool		local_nat;
	struct ike_gw_id redirect;
};

/*
 * One way of reaching the gateway: a transport and the IKE SA started on
 * it.  The session's winner is att[c->sess.cur]; while it runs over TCP
 * the UDP slot carries the throw-away probes.  Owns its transport(s)
 * and its engine timer.
 */
struct conn_attempt {
	struct conn		*c;
	int			 xp;		/* FB_UDP, FB_TCP, FB_TLS */
	bool			 active;	/* started, not aborted */
	bool			 probe;		/* only asks: is UDP open? */
	bool			 closed;	/* the engine said |closed| */
	bool			 reported;	/* its end was posted */
	bool			 reopened;	/* this TCP connection is one */
	bool			 refused;	/* TCP/TLS refused/closed
						   unanswered */
	struct xport		*x;
	struct xport		*x_old;	/* make-before-break after a move */
	struct ike_sa		*ike;
	uv_timer_t		 timer;		/* the SA's one deadline */
	struct ike_close_info	 close;
	uint64_t		 t_start, t_opened, t_lost;
	struct revocation_job	*rev;		/* the engine waits for it */
	struct certfetch_job	*fetch[IKE_FETCH_MAX];	/* hash and URL */
};

struct conn_child {
	uint32_t	 spi_in;	/* 0: free slot */
	struct conn_attempt *owner;	/* whose IKE SA made it: its
					   transport carries it */
	uint32_t	 spi_out;
	uint64_t	 t_up;		/* uv_now() when it came up */
	struct esp_sa	*in, *out;
	bool		 rekey_asked;
	uint64_t	 gen;		/* order of coming up: the newest
					   covering a packet carries it */
	struct dp_sa_mirror om;		/* the outbound SA's counts */
	bool		 dying;		/* being removed: not for the
					   outbound thread */
	/* What the SA may carry (RFC 4301 §5.1, §5.2): ours, the gateway's. */
	struct ike_ts	 ts_local[IKE_TS_MAX], ts_remote[IKE_TS_MAX];
	uint8_t		 n_ts_local, n_ts_remote;
};

struct conn {
	uv_loop_t		*loop;
	struct conn_conf	 cf;
	struct session		 sess;

	/* conn.c's handles */
	uv_idle_t		 door;		/* drains the event queue */
	uv_idle_cb		 door_cb;
	uv_timer_t		 sess_timer;	/* session_deadline() */
	uv_timer_t		 tick;		/* CONN_TICK_MS */
	uv_signal_t		 sig[3];
	struct netwatch		*nw;
	struct net_path		 path;		/* valid: bind sockets to it */
	struct conn_ev		 evq[CONN_EVQ];
	unsigned		 evq_head, evq_n;
	uint64_t		 evq_overflow;
	bool			 draining, released;
	uint64_t		 tick_mono, tick_boot;

	/*
	 * Two banks of attempts: a session redirect (RFC 5685 §6) parks
	 * the session's attempt (|prev|, still carrying traffic) in one and
	 * builds the new session in the other (|att|), make-before-break.
	 */
	struct conn_attempt	 bank[2][CONN_ATTEMPTS];
	struct conn_attempt	*att;		/* the current bank */
	struct conn_attempt	*prev;		/* parked; NULL: none */
	struct conn_attempt	*cur_before;	/* conn_cur() before the
						   event being handled */
	/* RFC 5685: where the gateway sent us, and the gateways so far
	 * (the kill switch lets them through) */
	struct ike_gw_id	 redir_to;
	struct sockaddr_storage	 gw_orig, gw_last;
	uv_getaddrinfo_t	 redir_gai;
	bool			 resolving;
	struct ike_close_info	 close;		/* why the session ended */
	bool			 failed;	/* a local failure: wins */
	struct ike_close_info	 fail;

	/* conn_data.c: the Child SAs and the packet path */
	struct conn_child	 child[CONN_MAX_CHILD];
	struct conn_child	*out;		/* encrypts TUN traffic (the
						   newest; conn_data.c picks
						   another of its IKE SA for
						   what it does not cover) */
	uint64_t		 child_gen;	/* conn_child.gen counter */
	uint64_t		 rx_ms;		/* last ESP decrypted */
	uint64_t		 tx_unanswered_ms;	/* first ESP out since */
	uint64_t		 drop_tun_write, drop_no_sa, drop_esp, drop_ts;
	uint16_t		 esp_encr, esp_integ;	/* for the MTU */

	/* conn_tunnel.c: TUN device and network setup */
	struct ike_cfg_reply	 cfg;
	bool			 have_cfg;
	struct ike_ts		 ts_remote[IKE_TS_MAX];
	uint8_t			 n_ts_remote;
	struct tun_dev		 tun;
	uv_poll_t		 tun_poll;
	/* tun_polling: the TUN is to be read (by us or the worker);
	 * tun_loop: our uv_poll on it runs. */
	bool			 tun_polling, tun_poll_init, tun_loop;
	/* dp_worker.c: the outbound thread over UDP (IKEROAM_DATA_THREAD);
	 * dp_tun: it was last given the TUN.  dp_check drains its counters
	 * and hands it changes after each loop iteration. */
	struct dp_worker	*dp;
	bool			 dp_tun, dp_handles, dp_stuck;
	uv_check_t		 dp_check;
	uv_async_t		 dp_async;
	uint32_t		 tun_mtu;
	uint16_t		 mss4, mss6;	/* SYNs clamped to these */
	struct netcfg		 nc;
	bool			 undo_wanted;	/* when no script runs */
	unsigned		 tunnel_ops;	/* TUNNEL_OP_*, waiting */

	uint64_t		 t_start, t_up, t_lost, t_move;
	int			 exit_code;

	/* the control socket (src/control.c) and systemd */
	struct control		*ctl;
	char			*last_config;	/* the last "config" sent */
	char			 xport_why[96];	/* why this transport */
	unsigned		 counter_ticks;
	bool			 told_up;	/* READY=1, --background */
	uint8_t			 pkt[CONN_PKT_SIZE];	/* TUN -> ESP */
	/* TUN offloads (tun.vnet_hdr): a super-packet read, the
	 * coalescer on the way in and its end-of-iteration flush. */
	uv_check_t		 gro_check;
	bool			 gro_check_init;
	uint8_t			 tun_rx[TUN_VNET_HDR_LEN + TUN_GSO_MAX];
	struct tun_gro		 gro;
};


/* The only way lower files reach conn.c: queue, and wake the door. */
static inline void
conn_post_ev(struct conn *c, const struct conn_ev *ev)
{
	if (c->evq_n == CONN_EVQ) {
		c->evq_overflow++;	/* bounded; the policy re-checks */
		return;
	}
	c->evq[(c->evq_head + c->evq_n) % CONN_EVQ] = *ev;
	c->evq_n++;
	if (!c->released)
		uv_idle_start(&c->door, c->door_cb);
}

static inline void
conn_post(struct conn *c, const struct sess_ev *ev)
{
	struct conn_ev e = { .kind = CONN_EV_SESSION, .sess = *ev };

	conn_post_ev(c, &e);
}

/*
 * Carry out what was posted, now: at the end of every engine call
 * (attempt_after), so that the next input never meets an SA whose last
 * answer the policy has not seen yet (two datagrams can arrive in one
 * libuv callback).  The door's own function, handed down by conn.c as
 * libuv callbacks are; a no-op while the door runs.
 */
static inline void
conn_flush(struct conn *c)
{
	if (c->evq_n > 0 && !c->draining && !c->released)
		c->door_cb(&c->door);
}

#define conn_cur(c)	((c)->sess.cur >= 0 ? &(c)->att[(c)->sess.cur] : NULL)
#define conn_ike(c)	(conn_cur(c) != NULL ? conn_cur(c)->ike : NULL)
#define conn_xp(c)	(conn_cur(c) != NULL ? conn_cur(c)->x : NULL)

/* Record a local failure with its exit status (shown instead of the
 * engine's reason); the caller posts SE_FAIL. */
void	conn_fail_note(struct conn *c, int exit_code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * The one line for a TCP (|tls|: the TLS rung's TCP) connection that
 * failed before the gateway answered: refused, no route, another
 * service on the port (|what|: xport's detail), closed, unreachable.
 * |err|: the transport's error (UV_E*, IR_ERR_MALFORMED).
 */
void	conn_tcp_fail_line(const struct conn *c, bool tls, int err,
	    bool was_open, const char *what, char *out, size_t cap);

/* A socket could not even be opened towards the gateway (|err| from
 * open or connect): the one line for it. */
void	conn_open_fail_line(const struct conn *c, const char *xport, int err,
	    char *out, size_t cap);

/* conn_cfg.c: the CFG_REPLY through src/cfg_policy.c, in place.  0, or
 * an error already noted (conn_fail_note); the caller posts SE_FAIL. */
int	conn_cfg_check(struct conn *c, struct ike_cfg_reply *cfg);
/* The session's remote traffic selectors (c->ts_remote, which become
 * routes) through the same policy, in place; 0 or an error noted. */
int	conn_cfg_check_ts(struct conn *c);

/* conn_attempt.c */
void	attempts_init(struct conn *c);
void	attempts_drop_bank(struct conn *c);	/* the current bank */
int	attempt_start(struct conn *c, int xp, bool probe);
void	attempt_abort(struct conn_attempt *a);
void	attempt_drop(struct conn_attempt *a);	/* abort + free the SA */
void	attempt_after(struct conn_attempt *a, int rv);
int	attempt_reopen_tcp(struct conn_attempt *a);
int	attempt_move(struct conn_attempt *a, uint32_t budget_ms, bool rebind);
void	attempt_moved(struct conn_attempt *a, bool local_nat);
void	attempts_release(struct conn *c);

/* conn_data.c */
int	conn_child_add(struct conn *c, const struct ike_child *child,
	    struct conn_attempt *owner);
void	conn_children_free_owner(struct conn *c,
	    const struct conn_attempt *owner);
void	conn_child_remove(struct conn *c, uint32_t spi_in);
void	conn_children_free(struct conn *c);
void	conn_on_esp(struct conn *c, struct ir_pkt *pkt);
void	conn_tun_start(struct conn *c);
void	conn_tun_stop(struct conn *c);
void	conn_tun_close(struct conn *c);
/* |x| is about to close: the outbound thread lets go of it first. */
void	conn_dp_forget(struct conn *c, const struct xport *x);

/* conn_tunnel.c */
#define TUNNEL_OP_ATTEMPT	0x1u	/* vpnc-script attempt-reconnect */
#define TUNNEL_OP_REPIN		0x2u	/* the gateway's host route */
#define TUNNEL_OP_RECONNECT	0x4u	/* a new session's configuration */
void	conn_tunnel_open(struct conn *c);
void	conn_tunnel_reconfigure(struct conn *c);
void	conn_tunnel_routes(struct conn *c);
void	conn_tunnel_attempt(struct conn *c);
void	conn_tunnel_repin(struct conn *c);
void	conn_tunnel_update_mtu(struct conn *c);
void	conn_tunnel_undo(struct conn *c);

/* conn_status.c: the state as JSON in --status-file, at every change,
 * and the control socket's status and events (src/control.h). */
void	conn_status(struct conn *c, const char *event);
struct json_object;
struct json_object *conn_status_object(const struct conn *c,
	    const char *event);
void	conn_event_state(struct conn *c, const char *why);
void	conn_event_config(struct conn *c, bool force);	/* when changed */
void	conn_event_transport(struct conn *c, const char *why);
void	conn_event_counters(struct conn *c);
void	conn_event_simple(struct conn *c, const char *name, const char *key,
	    const char *value);
void	conn_event_exit(struct conn *c);
/* systemd (sd_notify) and --background: once up, and at the end. */
void	conn_notify(struct conn *c, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	conn_tell_up(struct conn *c);
void	conn_tell_end(struct conn *c);

/* conn_report.c: the one line the user sees, and the exit status. */
void	conn_report(struct conn *c);

#endif
