/* src/session.c: the session policy (see session.h). */
#include <stddef.h>
#include <stdint.h>

#include "common/ir_err.h"
#include "src/reauth.h"
#include "src/session.h"

#define IR_MIN_U64(a, b)	((a) < (b) ? (a) : (b))

/* Delays before the 1st, 2nd, ... new session after a loss.  The first
 * is immediate: a roaming laptop wants its tunnel back now. */
static const uint32_t again_ms[] = { 0, 1000, 3000, 5000, 10000, 20000,
    30000 };

/* ---- the one door for state changes ------------------------------------- */

static void
set_state(struct session *s, int state, int sub, const char *why)
{
	int from = s->state, from_sub = s->sub;

	if (from == state && from_sub == sub)
		return;
	s->state = state;
	s->sub = sub;
	s->why = why;
	/* Timers of the sub-state left behind end with it. */
	if (from_sub != sub) {
		s->t_sub_end = 0;
		if (from_sub == SU_REOPENING)
			s->t_reopen = 0;
		if (from_sub == SU_WAITING)
			s->t_again = 0;
	}
	if (s->on_state != NULL)
		s->on_state(s->ud, from, from_sub, state, sub, why);
}

void
session_init(struct session *s, const struct sess_conf *conf)
{
	*s = (struct session){ 0 };
	s->conf = *conf;
	if (s->conf.silence_ms == 0)
		s->conf.silence_ms = SESS_SILENCE_MS;
	if (s->conf.check_ms == 0)
		s->conf.check_ms = SESS_CHECK_MS;
	if (s->conf.delete_wait_ms == 0)
		s->conf.delete_wait_ms = 3000;
	s->cur = -1;
	s->path_valid = true;
	s->state = SS_IDLE;
	s->sub = SU_NONE;
}

bool
session_reason_retryable(int reason)
{
	switch (reason) {
	case IR_ERR_TIMEOUT:
	case IR_ERR_CLOSED:
	case IR_ERR_LIFETIME:
	case IR_ERR_INTERNAL:
		return true;
	default:
		return false;	/* AUTH, PROPOSAL, CERT, TS, CP: ask the user */
	}
}

/* ---- attempts (the fallback run) ------------------------------------- */

/* Attempts under way: the first session, a new one after a loss, or one
 * at the gateway a redirect named or for a reauthentication (the old SA
 * still carrying traffic), unless that waits to try again. */
static bool
trying(const struct session *s)
{
	return s->state == SS_CONNECTING || (s->state == SS_RECONNECTING &&
	    s->sub == SU_TRYING) || (s->state == SS_UP &&
	    (s->sub == SU_REDIRECTING || s->sub == SU_REAUTHING) &&
	    !s->park_wait);
}

/* The session's SA is parked: it carries traffic while a new session
 * is built (a redirect, or a reauthentication). */
static bool
parked(const struct session *s)
{
	return s->state == SS_UP && (s->sub == SU_REDIRECTING ||
	    s->sub == SU_REAUTHING);
}

/* A new fallback run: UDP first, TCP after fallback_ms (or at once on a
 * network that blocked UDP before).  After a loss TCP joins quickly: the
 * network may have started blocking UDP under us. */
static unsigned
attempts_begin(struct session *s, uint64_t now)
{
	uint32_t race = s->conf.race_ms;

	if (s->was_up && s->conf.mode == FB_MODE_AUTO &&
	    (race == 0 || race > SESS_RECONNECT_RACE_MS))
		race = SESS_RECONNECT_RACE_MS;
	fallback_init(&s->fb, s->conf.mode, s->conf.fallback_ms, race,
	    !s->udp_blocked_here ? FB_UDP : s->rung_here > FB_UDP ?
	    s->rung_here : FB_TCP);
	s->cur = -1;
	s->early_reopens = 0;
	s->reopens = 0;
	s->reopen_rejects = 0;
	s->redirect_wait = false;
	s->tries++;
	return SA_ATTEMPTS_RESET | fallback_start(&s->fb, now);
}

/* Leave with the reason the exit status comes from. */
static unsigned
close_now(struct session *s, int reason, const char *why)
{
	s->exit_reason = reason;
	s->t_again = s->t_reopen = s->t_probe = 0;
	set_state(s, SS_CLOSING, SU_UNDOING, why);
	return SA_UNDO;
}

/* The session is gone: a new one under the same tunnel, or the end. */
static unsigned
session_lost(struct session *s, int reason, uint64_t now, const char *why)
{
	unsigned idx;

	s->reason = reason;
	if (s->quit)
		return close_now(s, IR_ERR_CLOSED, why);
	if (!s->was_up || s->conf.reconnect_ms == 0 ||
	    !session_reason_retryable(reason))
		return SA_DROP_SESSION | close_now(s, reason, why);
	if (s->t_lost == 0) {
		s->t_lost = now;
		s->sessions_lost++;
		s->tries = 0;
	} else if (now - s->t_lost >= s->conf.reconnect_ms) {
		return SA_DROP_SESSION | close_now(s, reason,
		    "reconnect time-out reached");
	}
	s->cur = -1;
	s->t_probe = 0;
	s->checks_ok = 0;
	s->park_pending = false;	/* the next session is at the target */
	s->reauth_pending = false;	/* the next session is a new one */
	s->t_reauth = s->t_reauth_local = 0;
	s->t_sa_end = 0;
	s->park_wait = s->prev_gone = false;
	s->park_fails = 0;
	s->t_retry = 0;
	if (!s->path_valid) {
		set_state(s, SS_RECONNECTING, SU_NO_PATH, why);
		s->t_sub_end = s->t_lost + s->conf.reconnect_ms;
		return SA_DROP_SESSION;
	}
	idx = s->tries < sizeof(again_ms) / sizeof(again_ms[0]) ? s->tries :
	    sizeof(again_ms) / sizeof(again_ms[0]) - 1;
	if (again_ms[idx] == 0) {
		set_state(s, SS_RECONNECTING, SU_TRYING, why);
		return SA_DROP_SESSION | attempts_begin(s, now);
	}
	set_state(s, SS_RECONNECTING, SU_WAITING, why);
	s->t_again = now + again_ms[idx];
	return SA_DROP_SESSION;
}

/*
 * The new session of a reauthentication or a session redirect failed
 * for a reason worth another try (no answer, the gateway busy or gone).
 * The parked SA is still valid (RFC 7296 §2.8.3 builds the new SA before
 * the old one goes; RFC 4478: until its AUTH_LIFETIME), so it keeps the
 * traffic and the attempts run again with back-off until it is nearly
 * spent (reauth.c); only then is the session lost and rebuilt as after
 * any loss.  A refusal (authentication, certificate, proposals) ends
 * the session with its reason, as on a first connect.
 */
static unsigned
park_failed(struct session *s, int reason, uint64_t now)
{
	bool re = s->sub == SU_REAUTHING;
	uint64_t at;

	if (reason == 0)
		reason = IR_ERR_TIMEOUT;
	if (!session_reason_retryable(reason))
		return session_lost(s, reason, now, re ? "the gateway refused "
		    "the reauthentication" : "the gateway we were redirected "
		    "to refused us");
	if (s->prev_gone)
		return session_lost(s, reason, now, re ? "reauthentication "
		    "failed and the old IKE SA has ended" : "the gateway we "
		    "were redirected to did not answer and the old IKE SA "
		    "has ended");
	s->park_fails++;
	at = reauth_retry_at(now, s->park_fails, s->t_park_end,
	    s->rnd ^ s->park_fails * 0x9e3779b9u);
	if (at == UINT64_MAX)
		return session_lost(s, reason, now, re ? "reauthentication "
		    "kept failing until the old IKE SA was nearly spent" :
		    "the gateway we were redirected to kept failing until "
		    "the old IKE SA was nearly spent");
	s->reason = reason;
	s->park_wait = true;
	s->t_retry = at;
	s->cur = -1;
	s->redirect_wait = false;
	return SA_DROP_ATTEMPTS | SA_PARK_RETRY;
}

/* Every attempt failed (fallback gave up). */
static unsigned
attempts_failed(struct session *s, int reason, uint64_t now)
{
	if (parked(s))
		return park_failed(s, reason, now);
	if (s->state == SS_RECONNECTING || s->state == SS_UP)
		return session_lost(s, reason == 0 ? IR_ERR_TIMEOUT : reason,
		    now, s->state == SS_UP ? "the gateway we were redirected "
		    "to did not answer" : "no answer from the gateway");
	if (reason == IR_ERR_TIMEOUT && s->conf.diagnose) {
		s->conf.diagnose = false;
		return SA_DIAGNOSE;	/* SE_FAIL or SE_ATTEMPT_FAILED next */
	}
	return SA_DROP_SESSION | close_now(s, reason, "every attempt failed");
}

static unsigned
on_answered(struct session *s, int xp, uint64_t now)
{
	unsigned act;

	if (s->cur >= 0)
		return 0;
	act = fallback_answered(&s->fb, xp, now);
	s->cur = xp;
	/* A rung above UDP is remembered when UDP stayed silent (or was
	 * not tried: the network was remembered already). */
	s->remember_rung = xp != FB_UDP && (s->fb.udp_silent ||
	    s->udp_blocked_here) ? xp : FB_UDP;
	s->remember_blocked = s->remember_rung != FB_UDP;
	if (s->remember_blocked != s->udp_blocked_here ||
	    (s->remember_blocked && s->remember_rung != s->rung_here)) {
		s->udp_blocked_here = s->remember_blocked;
		s->rung_here = s->remember_rung;
		act |= SA_REMEMBER;
	}
	return act;
}

static unsigned
on_attempt_failed(struct session *s, int xp, int reason, uint64_t now)
{
	unsigned act;

	if (!trying(s))
		return 0;
	if (xp == s->cur && parked(s))
		return park_failed(s, reason, now);
	if (xp == s->cur)	/* the winner died before its Child SA */
		return session_lost(s, reason, now, "the gateway ended the "
		    "attempt");
	act = fallback_failed(&s->fb, xp, now);
	if (act & FB_GIVE_UP)
		return (act & ~FB_GIVE_UP) | attempts_failed(s, reason, now);
	return act;
}

/* ---- UP ----------------------------------------------------------------- */

static void
up_steady(struct session *s, uint64_t now, const char *why)
{
	set_state(s, SS_UP, SU_STEADY, why);
	if (s->cur >= FB_TCP && s->conf.mode == FB_MODE_AUTO &&
	    s->conf.udp_probe_ms > 0 && s->t_probe == 0)
		s->t_probe = now + s->conf.udp_probe_ms;
	if (s->cur < FB_TCP)
		s->t_probe = 0;
}

/* The session's SA is parked: how long it can carry the traffic while
 * new sessions are tried. */
static void
park_begin(struct session *s, uint64_t now)
{
	s->park_wait = s->prev_gone = false;
	s->park_fails = 0;
	s->t_retry = 0;
	s->t_park_sa_end = s->t_sa_end;
	s->t_park_end = reauth_retry_until(now, s->t_sa_end);
	s->t_sa_end = 0;	/* the new SA's AUTH_LIFETIME comes with it */
}

/*
 * RFC 5685 §6: the session's SA steps aside (it still carries traffic)
 * and a new session is built at the gateway the redirect named; once its
 * Child SA is up the tunnel swaps to it and the old SA is deleted.
 */
static unsigned
park(struct session *s, uint64_t now)
{
	s->park_pending = false;
	s->t_probe = 0;
	park_begin(s, now);
	set_state(s, SS_UP, SU_REDIRECTING, "redirected");
	return SA_PARK | attempts_begin(s, now);
}

/*
 * RFC 7296 §2.8.3: reauthentication builds a new IKE SA from scratch at
 * the same gateway while the old one carries traffic (make-before-break,
 * as a session redirect does); when its Child SA is up the tunnel swaps
 * to it and the old IKE SA is deleted.
 */
static unsigned
reauth(struct session *s, uint64_t now)
{
	s->reauth_pending = false;
	s->t_reauth = 0;
	s->t_probe = 0;
	park_begin(s, now);
	set_state(s, SS_UP, SU_REAUTHING, "reauthenticating");
	return SA_PARK | attempts_begin(s, now);
}

/* A session's IKE SA is up: when its reauthentication is due. */
static void
reauth_schedule(struct session *s, uint32_t rnd, uint64_t now)
{
	uint64_t at = reauth_at(now, s->conf.reauth_s, false, 0, rnd);

	s->reauth_pending = false;
	s->t_reauth = s->t_reauth_local = at == UINT64_MAX ? 0 : at;
}

/* Steady again; a session redirect or a reauthentication that waited
 * for it goes on now. */
static unsigned
steady(struct session *s, uint64_t now, const char *why)
{
	up_steady(s, now, why);
	if (s->park_pending && !s->redirect_wait)
		return park(s, now);
	if (s->reauth_pending && !s->park_pending)
		return reauth(s, now);	/* a redirect would rebuild it */
	return 0;
}

static unsigned
check_path(struct session *s, uint32_t budget, uint64_t now, const char *why)
{
	s->check_budget = budget;
	set_state(s, SS_UP, SU_CHECKING, why);
	/* The engine fails the SA when the budget runs out; this is a
	 * safety net should that answer never come. */
	s->t_sub_end = now + budget + 2000;
	return SA_CHECK;
}

static unsigned
on_established(struct session *s, const struct sess_ev *ev, uint64_t now)
{
	s->rnd = ev->rnd;
	if (s->state == SS_CONNECTING || s->state == SS_RECONNECTING ||
	    parked(s))
		reauth_schedule(s, ev->rnd, now);
	if (s->state == SS_CONNECTING) {
		set_state(s, SS_CONFIGURING, SU_NONE, "first Child SA up");
		return SA_OPEN_TUNNEL;
	}
	if (s->state == SS_RECONNECTING) {
		s->t_lost = 0;
		s->tries = 0;
		up_steady(s, now, "reconnected");
		return SA_RECONFIGURE | SA_UPDATE_MTU;
	}
	if (parked(s)) {
		/* Make-before-break: swap the tunnel over, then delete the
		 * old SA. */
		s->tries = 0;
		s->park_fails = 0;
		s->prev_gone = false;
		if (s->sub == SU_REAUTHING)
			s->reauths++;
		up_steady(s, now, s->sub == SU_REAUTHING ? "reauthenticated" :
		    "redirected");
		return SA_RECONFIGURE | SA_UPDATE_MTU | SA_DROP_PREV;
	}
	return 0;
}

static unsigned
on_tcp_lost(struct session *s, const struct sess_ev *ev, uint64_t now)
{
	bool brief = ev->was_open && now - ev->opened_ms < SESS_TCP_STABLE_MS;
	uint64_t delay;

	if (ev->xp == s->cur && trying(s)) {
		/* The winner, before its Child SA: the SA lives on. */
		if (s->early_reopens++ < SESS_EARLY_REOPENS)
			return SA_REOPEN_TCP;
		if (parked(s))
			return park_failed(s, IR_ERR_TIMEOUT, now);
		return session_lost(s, IR_ERR_TIMEOUT, now, "the gateway "
		    "keeps closing the TCP connection");
	}
	if (ev->xp != s->cur) {
		/* Before the answer: libreswan closes the connection after
		 * N(INVALID_KE_PAYLOAD) and the engine's new IKE_SA_INIT
		 * goes out on a new one; a few times at most. */
		if (trying(s) && s->cur < 0 && ev->was_open &&
		    s->early_reopens++ < SESS_EARLY_REOPENS)
			return SA_REOPEN_TCP;
		return (ev->xp == FB_TCP ? SA_ABORT_TCP : ev->xp == FB_TLS ?
		    SA_ABORT_TLS : 0) |
		    on_attempt_failed(s, ev->xp, IR_ERR_TIMEOUT, now);
	}
	if (s->state != SS_UP && s->state != SS_CONFIGURING)
		return 0;
	if (ev->was_open && !brief) {
		s->reopens = 0;		/* it lasted: back-off from scratch */
		s->reopen_rejects = 0;
	}
	/* The gateway closes every re-opened connection at once (libreswan
	 * 4.10 keeps the SA on the dead socket): this SA cannot move. */
	if (ev->reopened && brief &&
	    ++s->reopen_rejects >= SESS_REOPEN_REJECTS)
		return session_lost(s, IR_ERR_TIMEOUT, now, "the gateway "
		    "closes every re-opened TCP connection");
	delay = s->reopens == 0 ? 0 : IR_MIN_U64(500ull << (s->reopens < 6 ?
	    s->reopens : 6), SESS_REOPEN_MAX_MS);
	s->reopens++;
	if (s->state == SS_CONFIGURING)
		return SA_REOPEN_TCP;	/* at once, keep the sub-state */
	set_state(s, SS_UP, SU_REOPENING, "TCP connection lost");
	if (delay == 0)
		return SA_REOPEN_TCP;
	s->t_reopen = now + delay;
	return 0;
}

static unsigned
on_path(struct session *s, const struct sess_ev *ev, uint64_t now)
{
	s->path_valid = ev->path_valid;
	s->udp_blocked_here = ev->udp_blocked_here;
	s->rung_here = ev->rung_here;
	switch (s->state) {
	case SS_CONNECTING:
		if (!ev->path_valid)
			return 0;	/* attempts time out, or go on */
		return SA_DROP_SESSION | attempts_begin(s, now);
	case SS_RECONNECTING:
		if (!ev->path_valid) {
			set_state(s, SS_RECONNECTING, SU_NO_PATH,
			    "no route to the gateway");
			s->t_sub_end = s->t_lost + s->conf.reconnect_ms;
			return SA_DROP_SESSION;
		}
		/* A new network: try now, whatever the back-off said. */
		s->tries = 0;
		set_state(s, SS_RECONNECTING, SU_TRYING, "network changed");
		return SA_DROP_SESSION | attempts_begin(s, now);
	case SS_CONFIGURING:
		if (!ev->path_valid)
			return 0;
		return s->cur >= FB_TCP ? SA_REOPEN_TCP : SA_MOVE;
	case SS_CLOSING:
		/* Our Delete went out on the path that has just gone (the
		 * uplink NetworkManager took down, which ended the VPN): over
		 * UDP the engine sends it again from the new path (an SA in
		 * IKE_S_DELETING only retransmits; no MOBIKE update), so the
		 * gateway does not keep the SA until its DPD.  RFC 7296 §2.11:
		 * a peer's address may change; the gateway acts on the Delete
		 * wherever it comes from. */
		if (s->sub != SU_DELETING || !ev->path_valid || s->cur < 0 ||
		    s->cur >= FB_TCP)
			return 0;
		return SA_MOVE;
	case SS_UP:
		if (parked(s))		/* both SAs are on the old
						   path: start afresh */
			return SA_DROP_SESSION | session_lost(s,
			    IR_ERR_TIMEOUT, now, s->sub == SU_REAUTHING ?
			    "network changed during the reauthentication" :
			    "network changed during the redirect");
		break;
	default:
		return 0;
	}
	if (!ev->path_valid) {
		set_state(s, SS_UP, SU_NO_PATH, "no route to the gateway");
		return 0;
	}
	if (s->state == SS_UP && s->sub == SU_LEAVING_TCP)
		return 0;
	if (s->cur >= FB_TCP) {
		/* RFC 9329 §6.1: a new connection from the new address; and
		 * the new network may let UDP through. */
		s->reopens = 0;
		set_state(s, SS_UP, SU_REOPENING, "network changed");
		return SA_REOPEN_TCP | (s->conf.mode == FB_MODE_AUTO &&
		    s->conf.udp_probe_ms > 0 ? SA_PROBE_UDP : 0);
	}
	/* After a sleep the gateway may have forgotten us: a short budget,
	 * then a new session. */
	s->check_budget = ev->resumed && s->conf.check_ms >
	    SESS_RESUME_CHECK_MS ? SESS_RESUME_CHECK_MS : s->conf.check_ms;
	set_state(s, SS_UP, SU_MOVING, "network changed");
	s->t_sub_end = now + s->check_budget + 2000;
	return SA_MOVE;
}

static unsigned
on_tick(struct session *s, const struct sess_ev *ev, uint64_t now)
{
	uint64_t since, wait;

	/* Woken up while waiting for the next try: try now. */
	if (s->state == SS_RECONNECTING && s->sub == SU_WAITING &&
	    ev->slept_ms >= SESS_SLEEP_MIN_MS) {
		s->tries = 0;
		set_state(s, SS_RECONNECTING, SU_TRYING, "resumed");
		return attempts_begin(s, now);
	}
	if (s->state != SS_UP)
		return 0;
	if (ev->slept_ms >= SESS_SLEEP_MIN_MS) {
		if (!s->path_valid || s->sub == SU_NO_PATH)
			return 0;	/* SE_PATH says when to go on */
		if (s->sub == SU_STEADY || s->sub == SU_CHECKING)
			return check_path(s, IR_MIN_U64(s->conf.check_ms,
			    SESS_RESUME_CHECK_MS), now, "resumed after a sleep");
		return 0;
	}
	/* ESP flowed since the last check passed: the path is fine. */
	if (s->checks_ok > 0 && ev->rx_ms > s->t_check_ok)
		s->checks_ok = 0;
	if (s->sub != SU_STEADY || ev->tx_unanswered_ms == 0 ||
	    ev->rx_ms >= ev->tx_unanswered_ms)
		return 0;
	/* The gateway answered a check, yet nothing comes back: one-way
	 * traffic (a stream we only send) looks like this.  Check again,
	 * less and less often, rather than tear a working SA down. */
	since = ev->tx_unanswered_ms > s->t_check_ok ? ev->tx_unanswered_ms :
	    s->t_check_ok;
	wait = (uint64_t)s->conf.silence_ms << (s->checks_ok < 4 ?
	    s->checks_ok : 4);
	if (now - since < wait)
		return 0;
	return check_path(s, s->conf.check_ms, now, "ESP sent, nothing "
	    "received");
}

static unsigned
on_sa_closed(struct session *s, int reason, uint64_t now)
{
	if (s->cur < 0 && s->state != SS_CLOSING)
		return 0;	/* only the winner's SA is the session's */
	switch (s->state) {
	case SS_CONNECTING:
		return on_attempt_failed(s, s->cur, reason, now);
	case SS_RECONNECTING:
		if (s->sub == SU_TRYING)
			return on_attempt_failed(s, s->cur, reason, now);
		return 0;
	case SS_CONFIGURING:
	case SS_UP:
		if (s->sub == SU_LEAVING_TCP) {
			/* Our Delete done: the tunnel moves to UDP. */
			s->udp_blocked_here = false;
			s->rung_here = FB_UDP;
			s->tries = 0;
			s->t_lost = 0;
			return session_lost(s, IR_ERR_CLOSED, now,
			    "moving the tunnel to UDP");
		}
		if (parked(s))		/* the new one, unfinished */
			return on_attempt_failed(s, s->cur, reason, now);
		return session_lost(s, reason, now, "session lost");
	case SS_CLOSING:
		if (s->sub == SU_DELETING) {
			set_state(s, SS_CLOSING, SU_UNDOING, "Delete answered");
			return SA_UNDO;
		}
		return 0;
	default:
		return 0;
	}
}

static unsigned
on_timer(struct session *s, uint64_t now)
{
	unsigned act = 0;

	if (trying(s) && !s->redirect_wait) {
		act = fallback_expire(&s->fb, now);
		if (act & FB_GIVE_UP)
			return (act & ~FB_GIVE_UP) |
			    attempts_failed(s, IR_ERR_TIMEOUT, now);
	}
	if (parked(s) && s->park_wait && now >= s->t_retry) {
		/* The parked SA still carries the traffic: try again. */
		s->park_wait = false;
		s->t_retry = 0;
		return attempts_begin(s, now);
	}
	if (s->state == SS_RECONNECTING && s->sub == SU_WAITING &&
	    s->t_again != 0 && now >= s->t_again) {
		s->t_again = 0;
		set_state(s, SS_RECONNECTING, SU_TRYING, "back-off over");
		return attempts_begin(s, now);
	}
	if (s->state == SS_UP && s->sub == SU_REOPENING && s->t_reopen != 0 &&
	    now >= s->t_reopen) {
		s->t_reopen = 0;
		return SA_REOPEN_TCP;
	}
	if (s->state == SS_UP && (s->sub == SU_CHECKING ||
	    s->sub == SU_MOVING) && s->t_sub_end != 0 && now >= s->t_sub_end)
		return session_lost(s, IR_ERR_TIMEOUT, now, "no answer on the "
		    "path in time");
	if (s->state == SS_RECONNECTING && s->sub == SU_NO_PATH &&
	    s->t_sub_end != 0 && now >= s->t_sub_end)
		return close_now(s, IR_ERR_TIMEOUT, "no route to the gateway "
		    "within the reconnect time-out");
	if (s->state == SS_CLOSING && s->sub == SU_DELETING &&
	    s->t_sub_end != 0 && now >= s->t_sub_end) {
		set_state(s, SS_CLOSING, SU_UNDOING, "the gateway did not "
		    "confirm the Delete in time");
		return SA_UNDO;
	}
	if (s->t_reauth != 0 && now >= s->t_reauth &&
	    (s->state == SS_UP || s->state == SS_CONFIGURING) && !parked(s)) {
		/* RFC 7296 §2.8.3 (RFC 4478: before the gateway's limit). */
		if (s->state == SS_UP && s->sub == SU_STEADY &&
		    !s->park_pending)
			return act | reauth(s, now);
		s->t_reauth = 0;
		s->reauth_pending = true;	/* steady() goes on */
	}
	if (s->state == SS_UP && s->sub == SU_STEADY && s->t_probe != 0 &&
	    now >= s->t_probe) {
		s->t_probe = now + s->conf.udp_probe_ms;
		return SA_PROBE_UDP;
	}
	return act;
}

/* The parked SA has ended (our Delete after a swap, the gateway's, its
 * lifetime, a dead peer). */
static unsigned
on_prev_closed(struct session *s, int reason, uint64_t now)
{
	if (s->state == SS_CLOSING && s->sub == SU_DELETING && s->cur < 0) {
		set_state(s, SS_CLOSING, SU_UNDOING, "Delete answered");
		return SA_UNDO;
	}
	if (!parked(s))
		return 0;	/* deleted after the swap, as it should */
	s->prev_gone = true;
	if (!s->park_wait)
		return 0;	/* the attempts under way may still make it */
	return session_lost(s, reason != 0 ? reason : IR_ERR_CLOSED, now,
	    s->sub == SU_REAUTHING ? "the old IKE SA ended before the "
	    "reauthentication succeeded" : "the old IKE SA ended before the "
	    "redirect succeeded");
}

static unsigned
on_quit(struct session *s, uint64_t now)
{
	if (s->quit) {
		s->force = true;	/* second signal: leave now */
		if (s->state == SS_CLOSING && s->sub == SU_DELETING) {
			set_state(s, SS_CLOSING, SU_UNDOING, "second signal");
			return SA_UNDO;
		}
		return s->state == SS_CLOSING ? SA_RELEASE : 0;
	}
	s->quit = true;
	s->exit_reason = IR_ERR_CLOSED;
	if (parked(s) && s->park_wait && !s->prev_gone) {
		/* Between attempts, only the parked SA: our Delete of it. */
		s->park_wait = false;
		s->t_retry = 0;
		set_state(s, SS_CLOSING, SU_DELETING, "disconnecting");
		s->t_sub_end = now + s->conf.delete_wait_ms;
		return SA_SHUTDOWN;
	}
	if (parked(s))
		return SA_DROP_SESSION | close_now(s, IR_ERR_CLOSED,
		    s->sub == SU_REAUTHING ? "interrupted during a "
		    "reauthentication" : "interrupted during a redirect");
	if ((s->state == SS_UP || s->state == SS_CONFIGURING) && s->cur >= 0 &&
	    s->sub != SU_LEAVING_TCP) {
		set_state(s, SS_CLOSING, SU_DELETING, "disconnecting");
		s->t_sub_end = now + s->conf.delete_wait_ms;
		return SA_SHUTDOWN;
	}
	return SA_DROP_SESSION | close_now(s, IR_ERR_CLOSED, "interrupted");
}

/* ---- RFC 5685 redirects ----------------------------------------------- */

static unsigned
on_redirect(struct session *s, const struct sess_ev *ev, uint64_t now)
{
	unsigned i, n = 0, oldest = 0;

	if (s->quit || s->state == SS_IDLE || s->state == SS_CLOSING ||
	    s->state == SS_DONE)
		return 0;
	if (ev->in_session ? !(s->state == SS_UP || s->state ==
	    SS_CONFIGURING) || parked(s) || s->park_pending :
	    !trying(s) || (s->cur >= 0 && ev->xp != s->cur))
		return 0;	/* not the session's, or an attempt that lost */
	/* A loop (A sends us to B, B to A, ...) or a gateway that never
	 * lets us stay: give up rather than bounce for ever. */
	for (i = 0; i < SESS_REDIRECT_MAX; i++) {
		if (s->t_redirect[i] != 0 &&
		    now - s->t_redirect[i] < SESS_REDIRECT_WINDOW_MS)
			n++;
		if (s->t_redirect[i] < s->t_redirect[oldest])
			oldest = i;
	}
	if (n >= SESS_REDIRECT_MAX) {
		s->reason = IR_ERR_REDIRECT;
		if (ev->in_session && s->cur >= 0) {
			/* Leave the gateway we are at cleanly: our Delete. */
			s->exit_reason = IR_ERR_REDIRECT;
			set_state(s, SS_CLOSING, SU_DELETING, "redirected too "
			    "often");
			s->t_sub_end = now + s->conf.delete_wait_ms;
			return SA_SHUTDOWN;
		}
		return SA_DROP_SESSION | close_now(s, IR_ERR_REDIRECT,
		    "redirected too often");
	}
	s->t_redirect[oldest] = now ? now : 1;
	s->redirects++;
	if (ev->in_session) {
		/* SE_GATEWAY (a name may take a while to resolve), and a
		 * steady SA. */
		s->park_pending = true;
		s->redirect_wait = true;
		return SA_REDIRECT;
	}
	/* §4.2, §5: that attempt is over; start again there at once. */
	s->cur = -1;
	s->redirect_wait = true;
	return SA_DROP_ATTEMPTS | SA_REDIRECT;
}

/* The redirect's target is the gateway now. */
static unsigned
on_gateway(struct session *s, const struct sess_ev *ev, uint64_t now)
{
	s->udp_blocked_here = ev->udp_blocked_here;
	s->rung_here = ev->rung_here;
	s->redirect_wait = false;
	if (s->quit || s->state == SS_CLOSING || s->state == SS_DONE)
		return 0;
	if (trying(s)) {
		s->park_pending = false;
		return SA_DROP_ATTEMPTS | attempts_begin(s, now);
	}
	if (s->park_pending && s->state == SS_UP && (s->sub == SU_STEADY ||
	    s->sub == SU_CHECKING))
		return park(s, now);
	/* Configuring, moving, re-opening: steady() goes on later.  Waiting
	 * or without a route: the next attempts are at the target. */
	return 0;
}

unsigned
session_event(struct session *s, const struct sess_ev *ev, uint64_t now)
{
	switch (ev->kind) {
	case SE_START:
		if (s->state != SS_IDLE)
			return 0;
		set_state(s, SS_CONNECTING, SU_NONE, "start");
		return attempts_begin(s, now);
	case SE_ANSWERED:
		return on_answered(s, ev->xp, now);
	case SE_ATTEMPT_FAILED:
		return on_attempt_failed(s, ev->xp, ev->reason, now);
	case SE_ESTABLISHED:
		return on_established(s, ev, now);
	case SE_AUTH_LIFETIME:
		/* The session's own SA only (a parked one's ends anyway);
		 * each one replaces the last (RFC 4478 §3). */
		if (s->cur < 0 || !(s->state == SS_CONFIGURING ||
		    (s->state == SS_UP && !parked(s))))
			return 0;
		s->rnd = ev->rnd;
		s->t_sa_end = now + (uint64_t)ev->lifetime_s * 1000;
		s->t_reauth = reauth_at(now, 0, true, ev->lifetime_s, ev->rnd);
		if (s->t_reauth_local != 0)
			s->t_reauth = IR_MIN_U64(s->t_reauth,
			    s->t_reauth_local);
		return 0;
	case SE_TUNNEL_READY:
		if (s->state != SS_CONFIGURING)
			return 0;
		s->was_up = true;
		return steady(s, now, "network setup applied");
	case SE_SA_CLOSED:
		return on_sa_closed(s, ev->reason, now);
	case SE_XPORT_LOST:
		return on_tcp_lost(s, ev, now);
	case SE_XPORT_OPEN:
		if (s->state == SS_UP && s->sub == SU_REOPENING &&
		    ev->xp == s->cur)
			return steady(s, now, "TCP connection re-opened");
		return 0;
	case SE_PATH:
		return on_path(s, ev, now);
	case SE_TICK:
		return on_tick(s, ev, now);
	case SE_ICMP:
		/* Before an answer: TCP now, but UDP goes on (ICMP may be
		 * transient or forged). */
		if (trying(s) && s->cur < 0 && !s->redirect_wait)
			return fallback_refused(&s->fb, FB_UDP, now);
		if (s->state == SS_UP && s->sub == SU_STEADY &&
		    s->cur == FB_UDP)
			return check_path(s, s->conf.check_ms, now,
			    "ICMP error from the path");
		return 0;
	case SE_PROBE_ANSWERED:
		if (s->state != SS_UP || s->sub != SU_STEADY ||
		    s->cur < FB_TCP)
			return 0;
		s->udp_blocked_here = false;
		s->remember_blocked = false;
		s->rung_here = s->remember_rung = FB_UDP;
		s->t_probe = 0;
		set_state(s, SS_UP, SU_LEAVING_TCP, "UDP gets through again");
		s->t_sub_end = 0;
		return SA_REMEMBER | SA_SHUTDOWN;
	case SE_MOVED:
		if (s->state != SS_UP || (s->sub != SU_CHECKING &&
		    s->sub != SU_MOVING))
			return 0;
		if (s->sub == SU_CHECKING) {
			s->checks_ok++;
			s->t_check_ok = now;
		}
		return steady(s, now, s->sub == SU_MOVING ? "moved" :
		    "path checked");
	case SE_QUIT:
		return on_quit(s, now);
	case SE_UNDONE:
		if (s->state != SS_CLOSING)
			return 0;
		set_state(s, SS_DONE, SU_NONE, "network setup undone");
		return SA_RELEASE;
	case SE_TIMER:
		return on_timer(s, now);
	case SE_FAIL:
		if (s->state == SS_CLOSING || s->state == SS_DONE)
			return 0;
		return SA_DROP_SESSION | close_now(s, ev->reason,
		    "local failure");
	case SE_PREV_CLOSED:
		return on_prev_closed(s, ev->reason, now);
	case SE_REDIRECT:
		return on_redirect(s, ev, now);
	case SE_GATEWAY:
		return on_gateway(s, ev, now);
	case SE_RECONNECT:
		/* Asked on the control socket: a new session under the
		 * same tunnel, at once, as after a lost one. */
		if (s->state != SS_UP || s->quit)
			return 0;
		s->tries = 0;
		return session_lost(s, IR_ERR_CLOSED, now, "reconnect asked");
	default:
		return 0;
	}
}

uint64_t
session_deadline(const struct session *s)
{
	uint64_t at = UINT64_MAX;

	if (trying(s) && !s->redirect_wait)
		at = fallback_deadline(&s->fb);
	if (s->t_again != 0)
		at = IR_MIN_U64(at, s->t_again);
	if (s->t_reopen != 0)
		at = IR_MIN_U64(at, s->t_reopen);
	if (s->t_sub_end != 0)
		at = IR_MIN_U64(at, s->t_sub_end);
	if (s->t_probe != 0 && s->state == SS_UP)
		at = IR_MIN_U64(at, s->t_probe);
	if (s->t_reauth != 0 && (s->state == SS_UP ||
	    s->state == SS_CONFIGURING) && !parked(s))
		at = IR_MIN_U64(at, s->t_reauth);
	if (parked(s) && s->park_wait)
		at = IR_MIN_U64(at, s->t_retry);
	return at;
}

const char *
session_state_name(int state)
{
	static const char *const names[] = { "idle", "connecting",
	    "configuring", "up", "reconnecting", "closing", "done" };

	return state >= 0 && state <= SS_DONE ? names[state] : "?";
}

const char *
session_sub_name(int sub)
{
	static const char *const names[] = { "", "steady", "checking",
	    "moving", "reopening", "no-path", "leaving-tcp", "waiting",
	    "trying", "deleting", "undoing", "redirecting", "reauthenticating" };

	return sub >= 0 && sub <= SU_REAUTHING ? names[sub] : "?";
}

const char *
session_ev_name(int kind)
{
	static const char *const names[] = { "start", "answered",
	    "attempt-failed", "established", "tunnel-ready", "sa-closed",
	    "xport-lost", "xport-open", "path", "tick", "icmp",
	    "probe-answered", "moved", "quit", "undone", "timer", "fail",
	    "redirect", "gateway", "reconnect", "auth-lifetime",
	    "prev-closed" };

	return kind >= 0 && kind <= SE_PREV_CLOSED ? names[kind] : "?";
}
