/*
 * src/conn_int.h: the inside of struct conn, shared by conn.c (life
 * cycle, engine glue), conn_data.c (the packet path) and conn_report.c
 * (the final line and exit status).  Nothing outside these files sees it.
 */
#ifndef IR_SRC_CONN_INT_H
#define IR_SRC_CONN_INT_H

#include "esp/esp.h"
#include "src/conn.h"
#include "src/fallback.h"
#include "src/netcfg.h"
#include "src/xport.h"
#include "tun/tun.h"

#define CONN_MAX_CHILD		4	/* current + rekeyed, both ways */
#define CONN_KEEPALIVE_MS	20000	/* RFC 3948 §4 suggests 20 s */
#define CONN_DELETE_WAIT_MS	3000	/* Ctrl-C: wait for the DELETE reply */
#define CONN_EARLY_REOPENS	3	/* TCP re-opens before an answer */
#define CONN_REOPEN_REJECTS	2	/* then a new session */
#define CONN_PROBE_GIVEUP_MS	4000	/* a UDP probe's whole life */
#define CONN_TCP_STABLE_MS	5000	/* a connection that lasted */
#define CONN_TUN_BUDGET		64	/* packets per TUN wake-up */
#define CONN_PKT_HEADROOM	(XPORT_HEADROOM + ESP_HEADROOM + 8)
#define CONN_PKT_SIZE		(CONN_PKT_HEADROOM + 65535 + ESP_TAILROOM)

enum conn_state {
	CONN_CONNECTING,
	CONN_CONFIGURING,
	CONN_UP,
	CONN_CLOSING,
	CONN_DONE,
};

/*
 * One way of reaching the gateway: a transport and the IKE SA started on
 * it.  auto mode may run a UDP and a TCP attempt side by side; the first
 * to get an IKE_SA_INIT answer becomes c->cur and the other is dropped.
 */
struct conn_attempt {
	struct conn		*c;
	bool			 tcp;
	bool			 active;	/* started, not aborted */
	bool			 closed;	/* |closed| was reported */
	struct xport		*xp;
	struct ike_sa		*ike;
	uv_timer_t		 timer;		/* the SA's one deadline */
	struct ike_close_info	 close;
	bool			 reopening;	/* TCP re-opened under the SA */
	bool			 reopened;	/* this connection is a re-open */
	unsigned		 reopen_rejects;	/* re-opens closed at once */
	uint64_t		 t_opened;	/* the TCP connection came up */
	unsigned		 early_reopens;	/* before the gateway answered */
	bool			 probe;		/* only asks: does UDP get through? */
	uint64_t		 t_start;
};

struct conn_child {
	uint32_t	 spi_in;	/* 0: free slot */
	struct esp_sa	*in, *out;
	bool		 rekey_asked;
};

struct conn {
	uv_loop_t		*loop;
	struct conn_conf	 cf;
	enum conn_state		 state;

	struct conn_attempt	 att[2];	/* [0] UDP, [1] TCP */
	struct conn_attempt	*cur;		/* the attempt that won */
	struct fallback		 fb;
	uv_timer_t		 fb_timer;
	uv_timer_t		 reconnect_timer;	/* TCP re-open, §6.1 */
	unsigned		 reconnects;
	uint64_t		 t_lost;
	bool			 ike_closed;	/* the winner's SA is over */
	struct ike_close_info	 close;
	uv_timer_t		 hard_timer;	/* bounds the DELETE wait */
	uv_signal_t		 sig[3];
	int			 open_handles;
	int			 signals;
	bool			 user_quit, force, tearing_down, released;
	bool			 was_up;
	bool			 reconnecting;	/* the session is being rebuilt */
	unsigned		 sessions_lost;
	unsigned		 session_tries;	/* since the session was lost */
	uint64_t		 t_session_lost;	/* 0: none lost */
	uv_timer_t		 again_timer;	/* next reconnect attempt */
	uv_timer_t		 clock_timer;	/* notices suspend/resume */
	uv_timer_t		 probe_timer;	/* on TCP: try UDP again */
	bool			 moving_to_udp;	/* our Delete, then UDP */
	uint64_t		 clock_mono, clock_boot;
	/* A local failure: wins over the engine's reason in the report.
	 * The DELETE is sent from conn_after(), never from a callback. */
	bool			 failed, want_shutdown;
	struct ike_close_info	 fail;

	struct conn_child	 child[CONN_MAX_CHILD];
	struct conn_child	*out;		/* encrypts TUN traffic */
	struct ike_cfg_reply	 cfg;
	bool			 have_cfg;
	struct ike_ts		 ts_remote[IKE_TS_MAX];
	uint8_t			 n_ts_remote;

	struct tun_dev		 tun;
	uv_poll_t		 tun_poll;
	bool			 tun_polling, tun_poll_init;
	uint32_t		 tun_mtu;
	struct netcfg		 nc;

	uint64_t		 t_start, t_up;
	uint64_t		 drop_tun_write, drop_no_sa, drop_esp;
	int			 exit_code;
	uint8_t			 pkt[CONN_PKT_SIZE];	/* TUN -> ESP */
};

/* conn.c */
void	conn_teardown(struct conn *c);

/* conn_attempt.c: transports, IKE SAs, the fallback policy. */
void	conn_attempts_start(struct conn *c);
void	conn_attempts_begin(struct conn *c);
void	conn_attempts_reset(struct conn *c);
int	attempt_start(struct conn *c, bool tcp);
void	attempt_abort(struct conn_attempt *a);
const struct xport_events *conn_xp_events(void);

/* conn_udp_return.c: on TCP, probe UDP from time to time and move the
 * SA back to UDP (RFC 4555 MOBIKE) once it gets through again. */
void	conn_udp_probe_init(struct conn *c);
void	conn_udp_probe_answered(struct conn *c, struct conn_attempt *probe,
	    bool local_nat);
void	conn_udp_probe_release(struct conn *c);
void	conn_attempts_release(struct conn *c);
/* Every ike_sa_*() call on |a| ends here: re-arm its deadline, apply
 * deferred work, or hand a dead winner to teardown. */
void	attempt_after(struct conn_attempt *a, int rv);
#define conn_after(c, rv)	attempt_after((c)->cur, (rv))
#define conn_ike(c)		((c)->cur != NULL ? (c)->cur->ike : NULL)
#define conn_xp(c)		((c)->cur != NULL ? (c)->cur->xp : NULL)
/* Record a local failure with its exit status; the SA is shut down by
 * the next conn_after() (safe to call from engine callbacks). */
void	conn_fail(struct conn *c, int exit_code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	conn_on_hard_timeout(uv_timer_t *t);

/* conn_data.c: Child SAs, the TUN device and the packet path. */
int	conn_child_add(struct conn *c, const struct ike_child *child);
void	conn_child_remove(struct conn *c, uint32_t spi_in);
void	conn_children_free(struct conn *c);
void	conn_tunnel_open(struct conn *c, const struct ike_child *child);
void	conn_tun_stop(struct conn *c);
void	conn_tun_close(struct conn *c);
void	conn_on_esp(void *ud, struct xport *x, struct ir_pkt *pkt);

/* conn_session.c: a lost session is started again, the tunnel stays up;
 * a suspend is noticed and the gateway checked at once. */
bool	conn_reconnect_wanted(struct conn *c);
void	conn_reconnect(struct conn *c);
void	conn_reconnected(struct conn *c);
void	conn_session_init(struct conn *c);
void	conn_session_release(struct conn *c);

/* conn_status.c: the state as JSON in --status-file, at every change. */
void	conn_status(struct conn *c, const char *event);

/* conn_report.c: the one line the user sees, and the exit status. */
void	conn_report(struct conn *c);

#endif
