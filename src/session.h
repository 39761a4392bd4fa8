/*
 * src/session.h: the session policy: what ikeroam does when the gateway,
 * the network or the user does something.  Pure: no libuv, no sockets,
 * no clock (time comes in as |now|), so every path is unit-tested with a
 * fake clock (tests/src/check_session.c).
 *
 * src/conn.c feeds it events and carries out the actions it returns;
 * nothing else decides.  The transport race (UDP, then TCP) is
 * src/fallback.c, which this module drives when it (re)connects.
 *
 *   CONNECTING   the first session: attempts under way
 *   CONFIGURING  its first Child SA is up: TUN, routes, DNS being applied
 *   UP           packets flow; sub-states: STEADY, CHECKING (is the path
 *                still alive?), MOVING (telling the gateway our new
 *                address: RFC 4555 MOBIKE or RFC 7296 §2.23), REOPENING
 *                (RFC 9329 §6.1: a new TCP connection under the same SA),
 *                NO_PATH (offline: wait for a route), LEAVING_TCP (our
 *                Delete, then a new session over UDP)
 *   RECONNECTING the session was lost; the tunnel (TUN, routes) stays and
 *                a new session is built, with back-off, within
 *                reconnect_ms
 *   CLOSING      DELETING (our Delete in flight), UNDOING (network setup
 *                being undone)
 *   DONE         every handle is being closed; the loop ends
 */
#ifndef IR_SRC_SESSION_H
#define IR_SRC_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "src/fallback.h"

enum sess_state {
	SS_IDLE,
	SS_CONNECTING,
	SS_CONFIGURING,
	SS_UP,
	SS_RECONNECTING,
	SS_CLOSING,
	SS_DONE,
};

enum sess_sub {
	SU_NONE,
	SU_STEADY,
	SU_CHECKING,
	SU_MOVING,
	SU_REOPENING,
	SU_NO_PATH,
	SU_LEAVING_TCP,
	SU_WAITING,		/* RECONNECTING: back-off before attempts */
	SU_TRYING,		/* RECONNECTING: attempts under way */
	SU_DELETING,		/* CLOSING */
	SU_UNDOING,		/* CLOSING */
	SU_REDIRECTING,		/* UP: the gateway sent us elsewhere (RFC
				   5685 §6); the old SA carries traffic
				   while attempts at the new gateway run */
	SU_REAUTHING,		/* UP: reauthenticating (RFC 7296 §2.8.3):
				   the old SA carries traffic while a new
				   one is built at the same gateway */
};

enum sess_ev_kind {
	SE_START,
	SE_ANSWERED,		/* IKE_SA_INIT answered on attempt |xp| */
	SE_ATTEMPT_FAILED,	/* attempt |xp| ended before it answered */
	SE_ESTABLISHED,		/* the session's first Child SA is up */
	SE_TUNNEL_READY,	/* the network setup is applied */
	SE_SA_CLOSED,		/* the session's IKE SA ended: |reason| */
	SE_XPORT_LOST,		/* the TCP connection of attempt |xp| closed */
	SE_XPORT_OPEN,		/* TCP (re)connected on attempt |xp| */
	SE_PATH,		/* the path to the gateway changed */
	SE_TICK,		/* every second: silence and sleep measures */
	SE_ICMP,		/* ICMP error for the session's UDP path */
	SE_PROBE_ANSWERED,	/* on TCP: a UDP probe got an answer */
	SE_MOVED,		/* the gateway confirmed a check or a move */
	SE_QUIT,		/* SIGINT, SIGTERM, SIGHUP */
	SE_UNDONE,		/* the network setup is undone */
	SE_TIMER,		/* session_deadline() was reached */
	SE_FAIL,		/* a local failure (network setup) */
	SE_REDIRECT,		/* RFC 5685: a REDIRECT; |in_session|: in an
				   INFORMATIONAL of the session's SA (§6),
				   else in IKE_SA_INIT/IKE_AUTH (§4, §5),
				   which ended that attempt */
	SE_GATEWAY,		/* the redirect's target is the gateway now
				   (resolved, pinned): |udp_blocked_here|,
				   |rung_here| for it */
	SE_RECONNECT,		/* the user asked for a new session */
	SE_AUTH_LIFETIME,	/* RFC 4478: the session's gateway ends the
				   IKE SA |lifetime_s| from now */
	SE_PREV_CLOSED,		/* the parked IKE SA has ended: |reason| */
};

struct sess_ev {
	int		kind;		/* enum sess_ev_kind */
	int		xp;		/* enum fb_xport: FB_UDP, FB_TCP, FB_TLS */
	int		reason;		/* SA_CLOSED, ATTEMPT_FAILED: IR_ERR_* */
	/* SE_XPORT_LOST */
	bool		was_open;	/* the connection had connected */
	bool		reopened;	/* it was a re-opened one */
	uint64_t	opened_ms;	/* when it connected */
	/* SE_PATH */
	bool		path_valid;	/* false: no route to the gateway */
	bool		udp_blocked_here;	/* the new network's memory */
	int		rung_here;	/* ... and its rung (enum fb_xport) */
	bool		resumed;	/* noticed on waking up: answer fast */
	/* SE_REDIRECT */
	bool		in_session;
	/* SE_AUTH_LIFETIME */
	uint32_t	lifetime_s;
	/* SE_ESTABLISHED, SE_AUTH_LIFETIME: 32 random bits (jitter, kept
	 * for the retries' too) */
	uint32_t	rnd;
	/* SE_TICK: the data path's clock marks */
	uint64_t	rx_ms;		/* last authenticated packet in */
	uint64_t	tx_unanswered_ms;	/* first ESP out since rx_ms;
						   0: none */
	uint64_t	slept_ms;	/* suspended or stopped that long */
};

/* Actions, as a bit set; the low bits are fallback.h's. */
#define SA_START_UDP		FB_START_UDP	/* 0x01 */
#define SA_START_TCP		FB_START_TCP	/* 0x02 */
#define SA_ABORT_UDP		FB_ABORT_UDP	/* 0x04 */
#define SA_ABORT_TCP		FB_ABORT_TCP	/* 0x08 */
#define SA_START_TLS		FB_START_TLS	/* 0x20 */
#define SA_ABORT_TLS		FB_ABORT_TLS	/* 0x40 */
#define SA_DROP_SESSION		0x00100u /* free the lost session's SAs,
					    transports and Child SAs */
#define SA_ATTEMPTS_RESET	0x00200u /* attempts start afresh (new
					    fallback run): log "connecting" */
#define SA_OPEN_TUNNEL		0x00400u /* first session: TUN, netcfg up */
#define SA_RECONFIGURE		0x00800u /* new session under the kept
					    tunnel: swap address, routes */
#define SA_REOPEN_TCP		0x01000u /* new TCP (or TLS) connection for
					    the current attempt */
#define SA_MOVE			0x02000u /* rebind to the new path, tell
					    the gateway (MOBIKE / §2.23) */
#define SA_CHECK		0x04000u /* check the path (budget check_ms) */
#define SA_PROBE_UDP		0x08000u /* throw-away IKE_SA_INIT on UDP */
#define SA_SHUTDOWN		0x10000u /* our Delete of the IKE SA */
#define SA_UNDO			0x20000u /* undo the network setup */
#define SA_RELEASE		0x40000u /* close everything; loop ends */
#define SA_REMEMBER		0x80000u /* store the network memory:
					    |remember_blocked| */
#define SA_DIAGNOSE		0x100000u /* nothing answered at all: look
					    for a captive portal first */
#define SA_UPDATE_MTU		0x200000u /* transport kind changed */
#define SA_REDIRECT		0x400000u /* the redirect's target becomes
					    the gateway: resolve it, then
					    post SE_GATEWAY */
#define SA_PARK			0x800000u /* the session's SA steps aside
					    and keeps carrying traffic;
					    new attempts get fresh slots */
#define SA_DROP_PREV		0x1000000u /* Delete the parked SA, free it
					    when it has closed */
#define SA_DROP_ATTEMPTS	0x2000000u /* free the attempts under way
					    (not the parked SA) */
#define SA_PARK_RETRY		0x4000000u /* with SA_DROP_ATTEMPTS: the
					    new session failed, the parked
					    SA carries on; attempts again
					    at |t_retry| (log it) */

struct sess_conf {
	int		mode;		/* enum fb_mode */
	uint32_t	fallback_ms;
	uint32_t	race_ms;	/* first connect; 0: none */
	uint32_t	reconnect_ms;	/* keep trying after a loss; 0: exit */
	uint32_t	udp_probe_ms;	/* on TCP: probe UDP; 0: never */
	uint32_t	silence_ms;	/* ESP out, nothing in: check */
	uint32_t	check_ms;	/* budget of a check or a move */
	uint32_t	delete_wait_ms;	/* our Delete's answer */
	bool		diagnose;	/* a captive-portal check exists */
	uint32_t	reauth_s;	/* reauthenticate this often; 0: only
					   when the gateway asks (RFC 4478) */
};

#define SESS_SILENCE_MS		4000
#define SESS_CHECK_MS		3000
#define SESS_RESUME_CHECK_MS	2000	/* after a sleep: answer fast or go */
#define SESS_SLEEP_MIN_MS	5000	/* a gap this long was a sleep/stop */
#define SESS_TCP_STABLE_MS	5000	/* a connection that lasted */
#define SESS_EARLY_REOPENS	3	/* TCP re-opens before an answer */
#define SESS_REOPEN_REJECTS	2	/* brief re-opens: then a new session */
#define SESS_REOPEN_MAX_MS	16000
#define SESS_RECONNECT_RACE_MS	500	/* TCP joins UDP this fast */
#define SESS_REDIRECT_MAX	5	/* redirects followed within ... */
#define SESS_REDIRECT_WINDOW_MS	300000	/* ... 5 minutes; one more ends
					   the session (a redirect loop) */

struct session {
	struct sess_conf conf;
	int		 state;		/* enum sess_state */
	int		 sub;		/* enum sess_sub */
	struct fallback	 fb;
	int		 cur;		/* the winning attempt's xp; -1 none */
	bool		 was_up;	/* a tunnel was up once */
	bool		 quit;		/* the user asked to disconnect */
	bool		 force;		/* second signal: do not wait */
	bool		 path_valid;
	bool		 udp_blocked_here;
	int		 rung_here;	/* the rung that worked here */
	bool		 remember_blocked;	/* with SA_REMEMBER */
	int		 remember_rung;	/* with SA_REMEMBER: enum fb_xport */
	int		 reason;	/* why the last session ended */
	int		 exit_reason;	/* what the exit status comes from */
	uint64_t	 t_lost;	/* session lost at; 0: not lost */
	unsigned	 sessions_lost;
	unsigned	 tries;		/* attempts runs since t_lost */
	unsigned	 reopens;	/* TCP re-opens in a row */
	unsigned	 reopen_rejects;
	unsigned	 early_reopens;
	unsigned	 checks_ok;	/* checks that passed yet ESP is mute */
	uint64_t	 t_check_ok;
	uint64_t	 t_again;	/* RECONNECTING: next attempts; 0 none */
	uint64_t	 t_reopen;	/* REOPENING: open at; 0 none */
	uint64_t	 t_sub_end;	/* CHECKING, MOVING, DELETING: give up */
	uint64_t	 t_probe;	/* on TCP: next UDP probe; 0 none */
	uint32_t	 check_budget;	/* the budget SA_CHECK/SA_MOVE use */
	/* RFC 5685 */
	uint64_t	 t_redirect[SESS_REDIRECT_MAX];	/* the last ones */
	unsigned	 redirects;	/* followed, in all */
	bool		 redirect_wait;	/* attempts wait for SE_GATEWAY */
	bool		 park_pending;	/* a session redirect waits for the
					   gateway, or for a steady SA */
	/* Reauthentication (RFC 7296 §2.8.3, src/reauth.c). */
	uint64_t	 t_reauth;	/* due then; 0: none */
	uint64_t	 t_reauth_local;	/* of --reauth; 0: none */
	bool		 reauth_pending;	/* due: waits for a steady SA */
	unsigned	 reauths;	/* done, in all */
	uint64_t	 t_sa_end;	/* the session's IKE SA ends then
					   (AUTH_LIFETIME); 0: not told */
	/* A parked SA whose new session failed (a reauthentication or a
	 * session redirect): it carries on, tried again (reauth.c). */
	bool		 park_wait;	/* between attempts */
	bool		 prev_gone;	/* the parked SA has ended */
	unsigned	 park_fails;	/* failed attempts since parking */
	uint64_t	 t_retry;	/* park_wait: attempts again then */
	uint64_t	 t_park_end;	/* no retry after this */
	uint64_t	 t_park_sa_end;	/* the parked SA ends then; 0: ? */
	uint32_t	 rnd;		/* the last random bits heard */
	const char	*why;		/* the last decision, for the log */
	/* Optional: every state change, for the log (no I/O here). */
	void		(*on_state)(void *ud, int from, int from_sub, int to,
			    int to_sub, const char *why);
	void		*ud;
};

void		session_init(struct session *s, const struct sess_conf *conf);
/* One event in, the actions to carry out back (SA_* bits). */
unsigned	session_event(struct session *s, const struct sess_ev *ev,
		    uint64_t now);
/* The next SE_TIMER; UINT64_MAX: none. */
uint64_t	session_deadline(const struct session *s);

/* True when the session's end is worth a new one (the gateway went
 * away; it did not refuse us). */
bool		session_reason_retryable(int reason);

const char	*session_state_name(int state);
const char	*session_sub_name(int sub);
const char	*session_ev_name(int kind);

#endif
