/*
 * tests/src/check_session.c: the session policy with a fake clock.  The
 * paths the interop runs once found by accident (TCP re-open loops,
 * brief connections, a gateway closing every re-opened connection,
 * reconnect back-off) and the roaming cases of issue 7.
 */
#include <check.h>

#include "common/ir_err.h"
#include "src/reauth.h"
#include "src/session.h"

static struct session s;
static uint64_t now;

static void
setup(int mode, uint32_t reconnect_ms)
{
	struct sess_conf c = {
		.mode = mode, .fallback_ms = 2500, .reconnect_ms =
		    reconnect_ms, .udp_probe_ms = 120000,
		.diagnose = true,
	};

	now = 1000;
	session_init(&s, &c);
}

static unsigned
ev(int kind)
{
	struct sess_ev e = { .kind = kind };

	return session_event(&s, &e, now);
}

static unsigned
ev_xp(int kind, int xp, int reason)
{
	struct sess_ev e = { .kind = kind, .xp = xp, .reason = reason };

	return session_event(&s, &e, now);
}

static unsigned
tcp_lost(bool was_open, uint64_t opened, bool reopened)
{
	struct sess_ev e = { .kind = SE_XPORT_LOST, .xp = FB_TCP,
	    .was_open = was_open, .opened_ms = opened, .reopened = reopened };

	return session_event(&s, &e, now);
}

static unsigned
path(bool valid, bool udp_blocked)
{
	struct sess_ev e = { .kind = SE_PATH, .path_valid = valid,
	    .udp_blocked_here = udp_blocked };

	return session_event(&s, &e, now);
}

static unsigned
tick(uint64_t rx, uint64_t tx_unanswered, uint64_t slept)
{
	struct sess_ev e = { .kind = SE_TICK, .rx_ms = rx,
	    .tx_unanswered_ms = tx_unanswered, .slept_ms = slept };

	return session_event(&s, &e, now);
}

/* Run the timer as the driver does: at the deadline. */
static unsigned
advance_to_deadline(void)
{
	uint64_t at = session_deadline(&s);

	ck_assert(at != UINT64_MAX);
	if (at > now)
		now = at;
	return ev(SE_TIMER);
}

/* A first session over UDP, up. */
static void
up_over_udp(void)
{
	ck_assert_uint_eq(ev(SE_START), SA_ATTEMPTS_RESET | SA_START_UDP);
	now += 40;
	ck_assert_uint_eq(ev_xp(SE_ANSWERED, FB_UDP, 0), 0);
	ck_assert_uint_eq(ev(SE_ESTABLISHED), SA_OPEN_TUNNEL);
	ck_assert_int_eq(s.state, SS_CONFIGURING);
	ck_assert_uint_eq(ev(SE_TUNNEL_READY), 0);
	ck_assert_int_eq(s.state, SS_UP);
	ck_assert_int_eq(s.sub, SU_STEADY);
}

static void
up_over_tcp(void)
{
	ck_assert_uint_eq(ev(SE_START), SA_ATTEMPTS_RESET | SA_START_UDP);
	ck_assert_uint_eq(advance_to_deadline(), SA_START_TCP);
	now += 100;
	ck_assert_uint_eq(ev_xp(SE_ANSWERED, FB_TCP, 0),
	    SA_ABORT_UDP | SA_REMEMBER);
	ck_assert(s.remember_blocked);
	ck_assert_uint_eq(ev(SE_ESTABLISHED), SA_OPEN_TUNNEL);
	ck_assert_uint_eq(ev(SE_TUNNEL_READY), 0);
	ck_assert_int_eq(s.cur, FB_TCP);
}

START_TEST(first_connect_over_udp)
{
	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	ck_assert(s.was_up);
	ck_assert(session_deadline(&s) == UINT64_MAX);
}
END_TEST

START_TEST(udp_silent_tcp_wins_then_probes)
{
	setup(FB_MODE_AUTO, 300000);
	up_over_tcp();
	/* On TCP the UDP probe runs every udp_probe_ms. */
	ck_assert(session_deadline(&s) == now + 120000);
	ck_assert_uint_eq(advance_to_deadline(), SA_PROBE_UDP);
	ck_assert_uint_eq(ev(SE_PROBE_ANSWERED), SA_REMEMBER | SA_SHUTDOWN);
	ck_assert(!s.remember_blocked);
	ck_assert_int_eq(s.sub, SU_LEAVING_TCP);
	/* Our Delete done: a new session, over UDP first, at once. */
	ck_assert_uint_eq(ev_xp(SE_SA_CLOSED, 0, IR_ERR_CLOSED),
	    SA_DROP_SESSION | SA_ATTEMPTS_RESET | SA_START_UDP);
	ck_assert_int_eq(s.state, SS_RECONNECTING);
	ck_assert_uint_eq(ev_xp(SE_ANSWERED, FB_UDP, 0), 0);
	ck_assert_uint_eq(ev(SE_ESTABLISHED), SA_RECONFIGURE | SA_UPDATE_MTU);
	ck_assert_int_eq(s.state, SS_UP);
	ck_assert_int_eq(s.cur, FB_UDP);
	ck_assert(session_deadline(&s) == UINT64_MAX);
}
END_TEST

START_TEST(auth_failure_ends_without_retry)
{
	setup(FB_MODE_AUTO, 300000);
	ev(SE_START);
	ev_xp(SE_ANSWERED, FB_UDP, 0);
	ck_assert_uint_eq(ev_xp(SE_SA_CLOSED, FB_UDP, IR_ERR_AUTH),
	    SA_DROP_SESSION | SA_UNDO);
	ck_assert_int_eq(s.exit_reason, IR_ERR_AUTH);
	ck_assert_int_eq(s.sub, SU_UNDOING);
	ck_assert_uint_eq(ev(SE_UNDONE), SA_RELEASE);
	ck_assert_int_eq(s.state, SS_DONE);
}
END_TEST

START_TEST(nothing_answers_diagnose_then_fail)
{
	setup(FB_MODE_AUTO, 300000);
	ev(SE_START);
	ck_assert_uint_eq(advance_to_deadline(), SA_START_TCP);
	/* TCP fails: the last rung, TLS, at once. */
	ck_assert_uint_eq(ev_xp(SE_ATTEMPT_FAILED, FB_TCP, IR_ERR_TIMEOUT),
	    SA_START_TLS);
	ck_assert_uint_eq(ev_xp(SE_ATTEMPT_FAILED, FB_TLS, IR_ERR_TIMEOUT), 0);
	ck_assert_uint_eq(ev_xp(SE_ATTEMPT_FAILED, FB_UDP, IR_ERR_TIMEOUT),
	    SA_DIAGNOSE);
	ck_assert_uint_eq(ev_xp(SE_FAIL, 0, IR_ERR_TIMEOUT),
	    SA_DROP_SESSION | SA_UNDO);
	ck_assert_int_eq(s.exit_reason, IR_ERR_TIMEOUT);
}
END_TEST

/* Hotel Wi-Fi: UDP dropped, TCP 4500 reset; TLS on 443 gets through,
 * is remembered, and behaves as TCP once up (RFC 9329 Appendix A). */
START_TEST(tls_wins_is_remembered_and_reopens)
{
	struct sess_ev e = { .kind = SE_XPORT_LOST, .xp = FB_TCP };

	setup(FB_MODE_AUTO, 300000);
	ck_assert_uint_eq(ev(SE_START), SA_ATTEMPTS_RESET | SA_START_UDP);
	ck_assert_uint_eq(advance_to_deadline(), SA_START_TCP);
	now += 20;
	ck_assert_uint_eq(session_event(&s, &e, now),
	    SA_ABORT_TCP | SA_START_TLS);
	now += 300;
	ck_assert_uint_eq(ev_xp(SE_ANSWERED, FB_TLS, 0),
	    SA_ABORT_UDP | SA_REMEMBER);
	ck_assert_int_eq(s.remember_rung, FB_TLS);
	ck_assert_int_eq(s.cur, FB_TLS);
	ck_assert_uint_eq(ev(SE_ESTABLISHED), SA_OPEN_TUNNEL);
	ck_assert_uint_eq(ev(SE_TUNNEL_READY), 0);
	/* The UDP probe runs on TLS as on TCP. */
	ck_assert(s.t_probe != 0);
	/* The front closes the connection: re-opened, the SA lives on. */
	now += 60000;
	e.xp = FB_TLS;
	e.was_open = true;
	e.opened_ms = now - 60000;
	ck_assert_uint_eq(session_event(&s, &e, now), SA_REOPEN_TCP);
	ck_assert_int_eq(s.sub, SU_REOPENING);
	/* A network remembered as TLS starts there. */
	setup(FB_MODE_AUTO, 300000);
	s.udp_blocked_here = true;
	s.rung_here = FB_TLS;
	ck_assert_uint_eq(ev(SE_START), SA_ATTEMPTS_RESET | SA_START_TLS);
	ck_assert_uint_eq(ev_xp(SE_ANSWERED, FB_TLS, 0), 0);
}
END_TEST

START_TEST(icmp_before_answer_starts_tcp)
{
	setup(FB_MODE_AUTO, 300000);
	ev(SE_START);
	now += 30;
	ck_assert_uint_eq(ev_xp(SE_ICMP, FB_UDP, 0), SA_START_TCP);
	ck_assert_uint_eq(ev_xp(SE_ICMP, FB_UDP, 0), 0);
	/* UDP still runs and may win. */
	ck_assert_uint_eq(ev_xp(SE_ANSWERED, FB_UDP, 0), SA_ABORT_TCP);
}
END_TEST

START_TEST(lost_session_reconnects_with_backoff)
{
	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	now += 60000;
	/* The first try is immediate: a roaming laptop wants it now. */
	ck_assert_uint_eq(ev_xp(SE_SA_CLOSED, FB_UDP, IR_ERR_TIMEOUT),
	    SA_DROP_SESSION | SA_ATTEMPTS_RESET | SA_START_UDP);
	ck_assert_int_eq(s.sub, SU_TRYING);
	ck_assert_uint_eq(s.sessions_lost, 1);
	/* After a loss TCP joins after 0.5 s, not 2.5 s. */
	ck_assert(session_deadline(&s) == now + SESS_RECONNECT_RACE_MS);
	ck_assert_uint_eq(advance_to_deadline(), SA_START_TCP);
	ck_assert_uint_eq(ev_xp(SE_ATTEMPT_FAILED, FB_TCP, IR_ERR_TIMEOUT),
	    SA_START_TLS);
	ck_assert_uint_eq(ev_xp(SE_ATTEMPT_FAILED, FB_TLS, IR_ERR_TIMEOUT), 0);
	ck_assert_uint_eq(ev_xp(SE_ATTEMPT_FAILED, FB_UDP, IR_ERR_TIMEOUT),
	    SA_DROP_SESSION);
	ck_assert_int_eq(s.sub, SU_WAITING);
	ck_assert(session_deadline(&s) == now + 1000);
	ck_assert_uint_eq(advance_to_deadline(),
	    SA_ATTEMPTS_RESET | SA_START_UDP);
	/* UDP refused: TCP at once, then TLS; all failed: wait 3 s. */
	ck_assert_uint_eq(ev_xp(SE_ATTEMPT_FAILED, FB_UDP, IR_ERR_TIMEOUT),
	    SA_START_TCP);
	ev_xp(SE_ATTEMPT_FAILED, FB_TCP, IR_ERR_TIMEOUT);
	ev_xp(SE_ATTEMPT_FAILED, FB_TLS, IR_ERR_TIMEOUT);
	ck_assert(session_deadline(&s) == now + 3000);
	advance_to_deadline();
	ev_xp(SE_ANSWERED, FB_UDP, 0);
	ck_assert_uint_eq(ev(SE_ESTABLISHED), SA_RECONFIGURE | SA_UPDATE_MTU);
	ck_assert_int_eq(s.state, SS_UP);
	ck_assert(s.t_lost == 0);
}
END_TEST

/* "reconnect" on the control socket: a new session at once under the
 * kept tunnel; ignored when not up, or once quitting. */
START_TEST(reconnect_asked)
{
	setup(FB_MODE_AUTO, 300000);
	ck_assert_uint_eq(ev(SE_START), SA_ATTEMPTS_RESET | SA_START_UDP);
	ck_assert_uint_eq(ev(SE_RECONNECT), 0);		/* not up yet */
	ck_assert_int_eq(s.state, SS_CONNECTING);
	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	now += 5000;
	ck_assert_uint_eq(ev(SE_RECONNECT),
	    SA_DROP_SESSION | SA_ATTEMPTS_RESET | SA_START_UDP);
	ck_assert_int_eq(s.state, SS_RECONNECTING);
	ck_assert_int_eq(s.sub, SU_TRYING);
	ck_assert_uint_eq(ev(SE_RECONNECT), 0);		/* not up */
	ev_xp(SE_ANSWERED, FB_UDP, 0);
	ck_assert_uint_eq(ev(SE_ESTABLISHED), SA_RECONFIGURE | SA_UPDATE_MTU);
	ck_assert_int_eq(s.state, SS_UP);
	ck_assert_str_eq(session_ev_name(SE_RECONNECT), "reconnect");
	/* --reconnect-timeout 0: a reconnect ends the tunnel. */
	setup(FB_MODE_AUTO, 0);
	up_over_udp();
	ck_assert_uint_ne(ev(SE_RECONNECT) & SA_UNDO, 0);
	ck_assert_int_eq(s.state, SS_CLOSING);
}
END_TEST

START_TEST(reconnect_window_runs_out)
{
	unsigned i, act = 0;

	setup(FB_MODE_UDP, 60000);
	up_over_udp();
	ev_xp(SE_SA_CLOSED, FB_UDP, IR_ERR_CLOSED);
	for (i = 0; i < 40 && s.state == SS_RECONNECTING; i++) {
		if (s.sub == SU_TRYING)
			act = ev_xp(SE_ATTEMPT_FAILED, FB_UDP, IR_ERR_TIMEOUT);
		else
			act = advance_to_deadline();
	}
	ck_assert_int_eq(s.state, SS_CLOSING);
	ck_assert_uint_eq(act, SA_DROP_SESSION | SA_UNDO);
	ck_assert_int_eq(s.exit_reason, IR_ERR_TIMEOUT);
	ck_assert(now - 1000 >= 60000);
}
END_TEST

START_TEST(refused_on_reconnect_ends)
{
	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	ev_xp(SE_SA_CLOSED, FB_UDP, IR_ERR_TIMEOUT);
	ev_xp(SE_ANSWERED, FB_UDP, 0);
	ck_assert_uint_eq(ev_xp(SE_SA_CLOSED, FB_UDP, IR_ERR_AUTH),
	    SA_DROP_SESSION | SA_UNDO);
	ck_assert_int_eq(s.exit_reason, IR_ERR_AUTH);
}
END_TEST

START_TEST(tcp_reopen_backs_off_and_resets)
{
	uint64_t opened;

	setup(FB_MODE_AUTO, 300000);
	up_over_tcp();
	opened = now;
	now += 60000;
	/* A connection that lasted: re-open at once (RFC 9329 §6.1). */
	ck_assert_uint_eq(tcp_lost(true, opened, false), SA_REOPEN_TCP);
	ck_assert_int_eq(s.sub, SU_REOPENING);
	/* The re-open fails to connect: back-off 1 s, then 2 s, ... */
	ck_assert_uint_eq(tcp_lost(false, 0, true), 0);
	ck_assert(session_deadline(&s) == now + 1000);
	ck_assert_uint_eq(advance_to_deadline(), SA_REOPEN_TCP);
	ck_assert_uint_eq(tcp_lost(false, 0, true), 0);
	ck_assert(session_deadline(&s) == now + 2000);
	ck_assert_uint_eq(advance_to_deadline(), SA_REOPEN_TCP);
	ck_assert_uint_eq(ev_xp(SE_XPORT_OPEN, FB_TCP, 0), 0);
	ck_assert_int_eq(s.sub, SU_STEADY);
	/* It lasted: the back-off starts from scratch. */
	opened = now;
	now += 10000;
	ck_assert_uint_eq(tcp_lost(true, opened, true), SA_REOPEN_TCP);
}
END_TEST

START_TEST(gateway_closing_reopened_connections_means_new_session)
{
	uint64_t opened;

	setup(FB_MODE_AUTO, 300000);
	up_over_tcp();
	now += 60000;
	ck_assert_uint_eq(tcp_lost(true, now - 50000, false), SA_REOPEN_TCP);
	/* libreswan 4.10: every re-opened connection closed at once. */
	ev_xp(SE_XPORT_OPEN, FB_TCP, 0);
	opened = now;
	now += 100;
	ck_assert_uint_eq(tcp_lost(true, opened, true), 0);
	advance_to_deadline();
	ev_xp(SE_XPORT_OPEN, FB_TCP, 0);
	opened = now;
	now += 100;
	/* Not a loop: the second brief re-open ends this SA; the network
	 * is known to block UDP, so the new session starts on TCP. */
	ck_assert_uint_eq(tcp_lost(true, opened, true),
	    SA_DROP_SESSION | SA_ATTEMPTS_RESET | SA_START_TCP);
	ck_assert_int_eq(s.state, SS_RECONNECTING);
}
END_TEST

START_TEST(early_reopens_before_answer_are_bounded)
{
	unsigned i;

	setup(FB_MODE_TCP, 300000);
	ck_assert_uint_eq(ev(SE_START), SA_ATTEMPTS_RESET | SA_START_TCP);
	for (i = 0; i < SESS_EARLY_REOPENS; i++)
		ck_assert_uint_eq(tcp_lost(true, now, false), SA_REOPEN_TCP);
	/* Then the attempt counts as failed: no endless loop. */
	ck_assert(tcp_lost(true, now, false) & SA_DIAGNOSE);
}
END_TEST

START_TEST(path_change_moves_the_session)
{
	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	now += 5000;
	ck_assert_uint_eq(path(true, false), SA_MOVE);
	ck_assert_int_eq(s.sub, SU_MOVING);
	ck_assert_uint_eq(s.check_budget, SESS_CHECK_MS);
	now += 30;
	ck_assert_uint_eq(ev(SE_MOVED), 0);
	ck_assert_int_eq(s.sub, SU_STEADY);
	ck_assert_uint_eq(s.sessions_lost, 0);
}
END_TEST

START_TEST(failed_move_builds_a_new_session_at_once)
{
	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	path(true, false);
	now += SESS_CHECK_MS;
	ck_assert_uint_eq(ev_xp(SE_SA_CLOSED, FB_UDP, IR_ERR_TIMEOUT),
	    SA_DROP_SESSION | SA_ATTEMPTS_RESET | SA_START_UDP);
	/* The new network blocked UDP before: straight to TCP. */
	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	path(true, true);
	ck_assert_uint_eq(ev_xp(SE_SA_CLOSED, FB_UDP, IR_ERR_TIMEOUT),
	    SA_DROP_SESSION | SA_ATTEMPTS_RESET | SA_START_TCP);
}
END_TEST

START_TEST(engine_silent_safety_net)
{
	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	path(true, false);
	/* The engine should have failed the SA; if it never says so. */
	ck_assert(session_deadline(&s) == now + SESS_CHECK_MS + 2000);
	ck_assert(advance_to_deadline() & SA_DROP_SESSION);
	ck_assert_int_eq(s.state, SS_RECONNECTING);
}
END_TEST

START_TEST(offline_waits_for_a_route)
{
	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	ck_assert_uint_eq(path(false, false), 0);
	ck_assert_int_eq(s.sub, SU_NO_PATH);
	/* No checks while there is no route: they could only fail. */
	now += 20000;
	ck_assert_uint_eq(tick(now - 20000, now - 19000, 0), 0);
	/* The SA died meanwhile: wait for a route, do not loop. */
	ck_assert_uint_eq(ev_xp(SE_SA_CLOSED, FB_UDP, IR_ERR_TIMEOUT),
	    SA_DROP_SESSION);
	ck_assert_int_eq(s.state, SS_RECONNECTING);
	ck_assert_int_eq(s.sub, SU_NO_PATH);
	ck_assert_uint_eq(path(true, false),
	    SA_DROP_SESSION | SA_ATTEMPTS_RESET | SA_START_UDP);
	ck_assert_int_eq(s.sub, SU_TRYING);
}
END_TEST

START_TEST(offline_too_long_ends)
{
	setup(FB_MODE_AUTO, 60000);
	up_over_udp();
	path(false, false);
	ev_xp(SE_SA_CLOSED, FB_UDP, IR_ERR_TIMEOUT);
	ck_assert(session_deadline(&s) == now + 60000);
	ck_assert_uint_eq(advance_to_deadline(), SA_UNDO);
	ck_assert_int_eq(s.exit_reason, IR_ERR_TIMEOUT);
}
END_TEST

START_TEST(back_online_moves)
{
	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	path(false, false);
	now += 3000;
	ck_assert_uint_eq(path(true, false), SA_MOVE);
}
END_TEST

START_TEST(silence_starts_a_fast_check)
{
	uint64_t rx;

	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	rx = now;
	now += 1000;
	/* Quiet tunnel: nothing sent, nothing to check. */
	ck_assert_uint_eq(tick(rx, 0, 0), 0);
	now += 3000;
	ck_assert_uint_eq(tick(rx, rx + 1000, 0), 0);
	now += 1000;
	ck_assert_uint_eq(tick(rx, rx + 1000, 0), SA_CHECK);
	ck_assert_int_eq(s.sub, SU_CHECKING);
	ck_assert_uint_eq(ev(SE_MOVED), 0);
	ck_assert_int_eq(s.sub, SU_STEADY);
	/* ESP flows again: nothing more. */
	now += 1000;
	ck_assert_uint_eq(tick(now - 10, 0, 0), 0);
	ck_assert_uint_eq(s.checks_ok, 0);
}
END_TEST

START_TEST(one_way_traffic_checks_less_and_less)
{
	uint64_t rx;

	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	rx = now;
	now += 5000;
	ck_assert_uint_eq(tick(rx, rx + 500, 0), SA_CHECK);
	ck_assert_uint_eq(ev(SE_MOVED), 0);
	/* The check passed; nothing comes back (a stream we only send):
	 * the next check after 2 x silence, never a torn-down SA. */
	now += SESS_SILENCE_MS;
	ck_assert_uint_eq(tick(rx, rx + 500, 0), 0);
	now += SESS_SILENCE_MS;
	ck_assert_uint_eq(tick(rx, rx + 500, 0), SA_CHECK);
	ck_assert_uint_eq(ev(SE_MOVED), 0);
	now += 2 * SESS_SILENCE_MS;
	ck_assert_uint_eq(tick(rx, rx + 500, 0), 0);
	now += 2 * SESS_SILENCE_MS;
	ck_assert_uint_eq(tick(rx, rx + 500, 0), SA_CHECK);
	ck_assert_int_eq(s.state, SS_UP);
	ck_assert_uint_eq(s.sessions_lost, 0);
}
END_TEST

START_TEST(resume_checks_at_once_with_short_budget)
{
	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	now += 90000;
	ck_assert_uint_eq(tick(now - 90000, 0, 85000), SA_CHECK);
	ck_assert_uint_eq(s.check_budget, SESS_RESUME_CHECK_MS);
	/* The gateway forgot us while we slept. */
	now += SESS_RESUME_CHECK_MS;
	ck_assert(ev_xp(SE_SA_CLOSED, FB_UDP, IR_ERR_TIMEOUT) &
	    SA_START_UDP);
}
END_TEST

START_TEST(moved_while_asleep_short_budget)
{
	struct sess_ev e = { .kind = SE_PATH, .path_valid = true,
	    .resumed = true };

	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	now += 60000;
	ck_assert_uint_eq(session_event(&s, &e, now), SA_MOVE);
	ck_assert_uint_eq(s.check_budget, SESS_RESUME_CHECK_MS);
	/* The tick that follows does not start a second check. */
	ck_assert_uint_eq(tick(now - 60000, 0, 60000), 0);
	ck_assert_int_eq(s.sub, SU_MOVING);
}
END_TEST

START_TEST(resume_while_waiting_tries_now)
{
	setup(FB_MODE_UDP, 300000);
	up_over_udp();
	ev_xp(SE_SA_CLOSED, FB_UDP, IR_ERR_TIMEOUT);
	ev_xp(SE_ATTEMPT_FAILED, FB_UDP, IR_ERR_TIMEOUT);
	ck_assert_int_eq(s.sub, SU_WAITING);
	ck_assert_uint_eq(tick(0, 0, 30000), SA_ATTEMPTS_RESET | SA_START_UDP);
}
END_TEST

START_TEST(icmp_when_up_checks_the_path)
{
	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	ck_assert_uint_eq(ev_xp(SE_ICMP, FB_UDP, 0), SA_CHECK);
}
END_TEST

START_TEST(tcp_path_change_reopens_and_probes_udp)
{
	setup(FB_MODE_AUTO, 300000);
	up_over_tcp();
	ck_assert_uint_eq(path(true, false), SA_REOPEN_TCP | SA_PROBE_UDP);
	ck_assert_int_eq(s.sub, SU_REOPENING);
	ck_assert_uint_eq(ev_xp(SE_XPORT_OPEN, FB_TCP, 0), 0);
	ck_assert_int_eq(s.sub, SU_STEADY);
}
END_TEST

START_TEST(quit_deletes_then_undoes)
{
	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	ck_assert_uint_eq(ev(SE_QUIT), SA_SHUTDOWN);
	ck_assert_int_eq(s.sub, SU_DELETING);
	ck_assert_uint_eq(ev_xp(SE_SA_CLOSED, FB_UDP, IR_ERR_CLOSED), SA_UNDO);
	ck_assert_uint_eq(ev(SE_UNDONE), SA_RELEASE);
	ck_assert_int_eq(s.exit_reason, IR_ERR_CLOSED);
	ck_assert(s.quit);
}
END_TEST

START_TEST(quit_unanswered_delete_times_out)
{
	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	ev(SE_QUIT);
	ck_assert(session_deadline(&s) == now + 3000);
	ck_assert_uint_eq(advance_to_deadline(), SA_UNDO);
	/* A lost session while closing starts nothing new. */
	ck_assert_uint_eq(ev_xp(SE_SA_CLOSED, FB_UDP, IR_ERR_TIMEOUT), 0);
	ck_assert_uint_eq(path(true, false), 0);
}
END_TEST

/* The uplink under the Delete goes: it is sent again on the new path
 * (UDP), once per path change, only while it is unanswered. */
START_TEST(quit_delete_follows_a_new_path)
{
	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	ck_assert_uint_eq(ev(SE_QUIT), SA_SHUTDOWN);
	now += 80;
	ck_assert_uint_eq(path(true, false), SA_MOVE);
	ck_assert_int_eq(s.state, SS_CLOSING);
	ck_assert_int_eq(s.sub, SU_DELETING);
	ck_assert_uint_eq(path(false, false), 0);	/* no route: wait */
	ck_assert_uint_eq(ev_xp(SE_SA_CLOSED, FB_UDP, IR_ERR_CLOSED), SA_UNDO);
	ck_assert_uint_eq(path(true, false), 0);	/* undoing: nothing */
	ck_assert_uint_eq(ev(SE_UNDONE), SA_RELEASE);
}
END_TEST

/* Over TCP the Delete is not moved (the connection's own loss handles
 * it): nothing new starts while closing. */
START_TEST(quit_delete_on_tcp_stays)
{
	setup(FB_MODE_AUTO, 300000);
	up_over_tcp();
	ck_assert_uint_eq(ev(SE_QUIT), SA_SHUTDOWN);
	ck_assert_uint_eq(path(true, false), 0);
	ck_assert_int_eq(s.sub, SU_DELETING);
}
END_TEST

START_TEST(second_signal_leaves_at_once)
{
	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	ev(SE_QUIT);
	ck_assert_uint_eq(ev(SE_QUIT), SA_UNDO);
	ck_assert(s.force);
	ck_assert_uint_eq(ev(SE_QUIT), SA_RELEASE);
}
END_TEST

START_TEST(quit_while_connecting)
{
	setup(FB_MODE_AUTO, 300000);
	ev(SE_START);
	ck_assert_uint_eq(ev(SE_QUIT), SA_DROP_SESSION | SA_UNDO);
	/* The fallback timer is over with it. */
	ck_assert(session_deadline(&s) == UINT64_MAX);
}
END_TEST

START_TEST(quit_while_reconnecting)
{
	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	ev_xp(SE_SA_CLOSED, FB_UDP, IR_ERR_TIMEOUT);
	ck_assert_uint_eq(ev(SE_QUIT), SA_DROP_SESSION | SA_UNDO);
	ck_assert_int_eq(s.exit_reason, IR_ERR_CLOSED);
}
END_TEST

START_TEST(no_reconnect_when_disabled)
{
	setup(FB_MODE_AUTO, 0);
	up_over_udp();
	ck_assert_uint_eq(ev_xp(SE_SA_CLOSED, FB_UDP, IR_ERR_TIMEOUT),
	    SA_DROP_SESSION | SA_UNDO);
	ck_assert_int_eq(s.exit_reason, IR_ERR_TIMEOUT);
}
END_TEST

START_TEST(path_change_while_reconnecting_retries_now)
{
	setup(FB_MODE_UDP, 300000);
	up_over_udp();
	ev_xp(SE_SA_CLOSED, FB_UDP, IR_ERR_TIMEOUT);
	ev_xp(SE_ATTEMPT_FAILED, FB_UDP, IR_ERR_TIMEOUT);
	ev_xp(SE_SA_CLOSED, FB_UDP, IR_ERR_TIMEOUT);
	ck_assert_int_eq(s.sub, SU_WAITING);
	ck_assert_uint_eq(path(true, false),
	    SA_DROP_SESSION | SA_ATTEMPTS_RESET | SA_START_UDP);
}
END_TEST

/* ---- RFC 5685 redirects ---------------------------------------------- */

static unsigned
prev_closed(int reason)
{
	struct sess_ev e = { .kind = SE_PREV_CLOSED, .reason = reason };

	return session_event(&s, &e, now);
}

static unsigned
redirect(bool in_session, int xp)
{
	struct sess_ev e = { .kind = SE_REDIRECT, .xp = xp,
	    .in_session = in_session };

	return session_event(&s, &e, now);
}

static unsigned
gateway(bool udp_blocked, int rung)
{
	struct sess_ev e = { .kind = SE_GATEWAY, .path_valid = true,
	    .udp_blocked_here = udp_blocked, .rung_here = rung };

	return session_event(&s, &e, now);
}

/* RFC 5685 §4.2: IKE_SA_INIT answered with REDIRECT: that attempt is
 * over, the others go too, and the run starts again at the target. */
START_TEST(redirect_in_init_starts_over_at_once)
{
	setup(FB_MODE_AUTO, 300000);
	ck_assert_uint_eq(ev(SE_START), SA_ATTEMPTS_RESET | SA_START_UDP);
	now += 30;
	ck_assert_uint_eq(redirect(false, FB_UDP),
	    SA_DROP_ATTEMPTS | SA_REDIRECT);
	ck_assert_int_eq(s.state, SS_CONNECTING);
	/* Nothing times out while the target is being resolved. */
	ck_assert(session_deadline(&s) == UINT64_MAX);
	now += 5;
	ck_assert_uint_eq(gateway(false, FB_UDP),
	    SA_DROP_ATTEMPTS | SA_ATTEMPTS_RESET | SA_START_UDP);
	ck_assert_uint_eq(advance_to_deadline(), SA_START_TCP);
	now += 10;
	ck_assert_uint_eq(ev_xp(SE_ANSWERED, FB_UDP, 0), SA_ABORT_TCP);
	ck_assert_uint_eq(ev(SE_ESTABLISHED), SA_OPEN_TUNNEL);
	ck_assert_uint_eq(s.redirects, 1);
}
END_TEST

/* The target's network memory: straight to TCP where UDP was blocked. */
START_TEST(redirect_uses_the_network_memory_of_the_target)
{
	setup(FB_MODE_AUTO, 300000);
	ev(SE_START);
	redirect(false, FB_UDP);
	ck_assert_uint_eq(gateway(true, FB_TCP),
	    SA_DROP_ATTEMPTS | SA_ATTEMPTS_RESET | SA_START_TCP);
}
END_TEST

/* §5: in IKE_AUTH, from the attempt that won; one that lost the race is
 * not the session's and is ignored. */
START_TEST(redirect_in_auth_from_the_winner_only)
{
	setup(FB_MODE_AUTO, 300000);
	ev(SE_START);
	ck_assert_uint_eq(advance_to_deadline(), SA_START_TCP);
	ck_assert_uint_eq(ev_xp(SE_ANSWERED, FB_UDP, 0), SA_ABORT_TCP);
	ck_assert_uint_eq(redirect(false, FB_TCP), 0);
	ck_assert_uint_eq(redirect(false, FB_UDP),
	    SA_DROP_ATTEMPTS | SA_REDIRECT);
	ck_assert_int_eq(s.cur, -1);
	ck_assert_uint_eq(gateway(false, FB_UDP),
	    SA_DROP_ATTEMPTS | SA_ATTEMPTS_RESET | SA_START_UDP);
}
END_TEST

/* §6: make-before-break.  The old SA stays (parked) and carries the
 * traffic while the new session is built; the tunnel swaps, then the
 * old SA is deleted. */
START_TEST(session_redirect_is_make_before_break)
{
	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	now += 60000;
	ck_assert_uint_eq(redirect(true, FB_UDP), SA_REDIRECT);
	ck_assert_int_eq(s.sub, SU_STEADY);	/* until the target is known */
	ck_assert_uint_eq(gateway(false, FB_UDP),
	    SA_PARK | SA_ATTEMPTS_RESET | SA_START_UDP);
	ck_assert_int_eq(s.state, SS_UP);
	ck_assert_int_eq(s.sub, SU_REDIRECTING);
	/* A session that was up: TCP joins after 0.5 s. */
	ck_assert_uint_eq(session_deadline(&s), now + SESS_RECONNECT_RACE_MS);
	ck_assert_uint_eq(advance_to_deadline(), SA_START_TCP);
	/* Ticks and ICMP during the redirect do not start checks. */
	ck_assert_uint_eq(tick(now - 5000, now - 4999, 0), 0);
	now += 20;
	ck_assert_uint_eq(ev_xp(SE_ANSWERED, FB_UDP, 0), SA_ABORT_TCP);
	ck_assert_uint_eq(ev(SE_ESTABLISHED),
	    SA_RECONFIGURE | SA_UPDATE_MTU | SA_DROP_PREV);
	ck_assert_int_eq(s.sub, SU_STEADY);
	ck_assert_uint_eq(s.sessions_lost, 0);
}
END_TEST

/* A redirect while the SA moves (or re-opens TCP) waits for it. */
START_TEST(session_redirect_waits_for_a_steady_sa)
{
	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	ck_assert_uint_eq(path(true, false), SA_MOVE);
	ck_assert_uint_eq(redirect(true, FB_UDP), SA_REDIRECT);
	ck_assert_uint_eq(gateway(false, FB_UDP), 0);
	ck_assert_int_eq(s.sub, SU_MOVING);
	/* One at a time. */
	ck_assert_uint_eq(redirect(true, FB_UDP), 0);
	ck_assert_uint_eq(ev(SE_MOVED),
	    SA_PARK | SA_ATTEMPTS_RESET | SA_START_UDP);
	ck_assert_int_eq(s.sub, SU_REDIRECTING);
}
END_TEST

/* The target is a name still being resolved when the SA is steady
 * again: nothing starts before SE_GATEWAY. */
START_TEST(session_redirect_waits_for_the_target)
{
	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	ck_assert_uint_eq(path(true, false), SA_MOVE);
	ck_assert_uint_eq(redirect(true, FB_UDP), SA_REDIRECT);
	ck_assert_uint_eq(ev(SE_MOVED), 0);
	ck_assert_int_eq(s.sub, SU_STEADY);
	ck_assert_uint_eq(gateway(false, FB_UDP),
	    SA_PARK | SA_ATTEMPTS_RESET | SA_START_UDP);
	ck_assert_int_eq(s.sub, SU_REDIRECTING);
}
END_TEST

/* In CONFIGURING: after the network setup. */
START_TEST(session_redirect_while_configuring)
{
	setup(FB_MODE_AUTO, 300000);
	ev(SE_START);
	ev_xp(SE_ANSWERED, FB_UDP, 0);
	ck_assert_uint_eq(ev(SE_ESTABLISHED), SA_OPEN_TUNNEL);
	ck_assert_uint_eq(redirect(true, FB_UDP), SA_REDIRECT);
	ck_assert_uint_eq(gateway(false, FB_UDP), 0);
	ck_assert_uint_eq(ev(SE_TUNNEL_READY),
	    SA_PARK | SA_ATTEMPTS_RESET | SA_START_UDP);
}
END_TEST

/* The new gateway does not answer: the old SA, still valid, keeps the
 * traffic and the target is tried again (it used to be a lost session,
 * the old SA dropped with it); when the old SA ends while nothing is
 * under way, the session is lost and rebuilt at the target. */
START_TEST(session_redirect_target_silent_keeps_the_old_sa)
{
	setup(FB_MODE_UDP, 300000);
	up_over_udp();
	redirect(true, FB_UDP);
	gateway(false, FB_UDP);
	now += 30000;
	ck_assert_uint_eq(ev_xp(SE_ATTEMPT_FAILED, FB_UDP, IR_ERR_TIMEOUT),
	    SA_DROP_ATTEMPTS | SA_PARK_RETRY);
	ck_assert_int_eq(s.state, SS_UP);
	ck_assert_int_eq(s.sub, SU_REDIRECTING);
	ck_assert_uint_eq(s.sessions_lost, 0);
	ck_assert_uint_le(session_deadline(&s), now + REAUTH_RETRY_FIRST_MS);
	ck_assert_uint_eq(advance_to_deadline(),
	    SA_ATTEMPTS_RESET | SA_START_UDP);
	ev_xp(SE_ANSWERED, FB_UDP, 0);
	ck_assert_uint_eq(ev(SE_ESTABLISHED),
	    SA_RECONFIGURE | SA_UPDATE_MTU | SA_DROP_PREV);
	ck_assert_uint_eq(s.sessions_lost, 0);
	ck_assert_uint_eq(prev_closed(IR_ERR_CLOSED), 0);	/* deleted */

	/* Again; the old gateway ends the old SA while we wait. */
	redirect(true, FB_UDP);
	gateway(false, FB_UDP);
	ck_assert_uint_eq(ev_xp(SE_ATTEMPT_FAILED, FB_UDP, IR_ERR_TIMEOUT),
	    SA_DROP_ATTEMPTS | SA_PARK_RETRY);
	ck_assert_uint_eq(prev_closed(IR_ERR_CLOSED),
	    SA_DROP_SESSION | SA_ATTEMPTS_RESET | SA_START_UDP);
	ck_assert_int_eq(s.state, SS_RECONNECTING);
	ck_assert_uint_eq(s.sessions_lost, 1);

	/* Ended while attempts run: the next failure is a lost session. */
	setup(FB_MODE_UDP, 300000);
	up_over_udp();
	redirect(true, FB_UDP);
	gateway(false, FB_UDP);
	ck_assert_uint_eq(prev_closed(IR_ERR_TIMEOUT), 0);
	ck_assert_int_eq(s.sub, SU_REDIRECTING);
	ck_assert_uint_eq(ev_xp(SE_ATTEMPT_FAILED, FB_UDP, IR_ERR_TIMEOUT),
	    SA_DROP_SESSION | SA_ATTEMPTS_RESET | SA_START_UDP);
	ck_assert_uint_eq(s.sessions_lost, 1);

	/* The target refuses us: the end, with its reason. */
	setup(FB_MODE_UDP, 300000);
	up_over_udp();
	redirect(true, FB_UDP);
	gateway(false, FB_UDP);
	ev_xp(SE_ANSWERED, FB_UDP, 0);
	ck_assert_uint_eq(ev_xp(SE_SA_CLOSED, FB_UDP, IR_ERR_PEER_ID),
	    SA_DROP_SESSION | SA_UNDO);
	ck_assert_int_eq(s.exit_reason, IR_ERR_PEER_ID);
}
END_TEST

/* The target redirects again in IKE_SA_INIT: the parked SA stays. */
START_TEST(session_redirect_then_redirect_in_init)
{
	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	redirect(true, FB_UDP);
	gateway(false, FB_UDP);
	ck_assert_uint_eq(redirect(false, FB_UDP),
	    SA_DROP_ATTEMPTS | SA_REDIRECT);
	ck_assert_int_eq(s.sub, SU_REDIRECTING);
	ck_assert_uint_eq(gateway(false, FB_UDP),
	    SA_DROP_ATTEMPTS | SA_ATTEMPTS_RESET | SA_START_UDP);
	ev_xp(SE_ANSWERED, FB_UDP, 0);
	ck_assert_uint_eq(ev(SE_ESTABLISHED),
	    SA_RECONFIGURE | SA_UPDATE_MTU | SA_DROP_PREV);
}
END_TEST

/* Quitting or changing networks in the middle starts afresh / leaves. */
START_TEST(session_redirect_interrupted)
{
	setup(FB_MODE_UDP, 300000);
	up_over_udp();
	redirect(true, FB_UDP);
	gateway(false, FB_UDP);
	ck_assert_uint_eq(path(true, false),
	    SA_DROP_SESSION | SA_ATTEMPTS_RESET | SA_START_UDP);
	ck_assert_int_eq(s.state, SS_RECONNECTING);
	ev_xp(SE_ANSWERED, FB_UDP, 0);
	ev(SE_ESTABLISHED);
	redirect(true, FB_UDP);
	gateway(false, FB_UDP);
	ck_assert_uint_eq(ev(SE_QUIT), SA_DROP_SESSION | SA_UNDO);
	ck_assert_int_eq(s.exit_reason, IR_ERR_CLOSED);
}
END_TEST

/* A loop: five redirects within five minutes are followed, the sixth
 * ends the session with IR_ERR_REDIRECT; spread out, they go on. */
START_TEST(redirect_loop_gives_up)
{
	int i;

	setup(FB_MODE_AUTO, 300000);
	ev(SE_START);
	for (i = 0; i < SESS_REDIRECT_MAX; i++) {
		now += 1000;
		ck_assert_uint_eq(redirect(false, FB_UDP),
		    SA_DROP_ATTEMPTS | SA_REDIRECT);
		gateway(false, FB_UDP);
	}
	now += 1000;
	ck_assert_uint_eq(redirect(false, FB_UDP), SA_DROP_SESSION | SA_UNDO);
	ck_assert_int_eq(s.exit_reason, IR_ERR_REDIRECT);
	ck_assert_int_eq(s.state, SS_CLOSING);

	setup(FB_MODE_AUTO, 300000);
	ev(SE_START);
	for (i = 0; i < 3 * SESS_REDIRECT_MAX; i++) {
		now += SESS_REDIRECT_WINDOW_MS / SESS_REDIRECT_MAX + 1;
		ck_assert_uint_eq(redirect(false, FB_UDP),
		    SA_DROP_ATTEMPTS | SA_REDIRECT);
		gateway(false, FB_UDP);
	}
	ck_assert_uint_eq(s.redirects, 3 * SESS_REDIRECT_MAX);

	/* In the session: our Delete to the gateway we are at, then the
	 * undo; the exit status still comes from the loop. */
	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	for (i = 0; i < SESS_REDIRECT_MAX; i++) {
		now += 1000;
		ck_assert_uint_eq(redirect(true, FB_UDP), SA_REDIRECT);
		ck_assert_uint_eq(gateway(false, FB_UDP),
		    SA_PARK | SA_ATTEMPTS_RESET | SA_START_UDP);
		ev_xp(SE_ANSWERED, FB_UDP, 0);
		ck_assert_uint_eq(ev(SE_ESTABLISHED),
		    SA_RECONFIGURE | SA_UPDATE_MTU | SA_DROP_PREV);
	}
	now += 1000;
	ck_assert_uint_eq(redirect(true, FB_UDP), SA_SHUTDOWN);
	ck_assert_int_eq(s.sub, SU_DELETING);
	ck_assert_uint_eq(ev_xp(SE_SA_CLOSED, FB_UDP, IR_ERR_CLOSED), SA_UNDO);
	ck_assert_int_eq(s.exit_reason, IR_ERR_REDIRECT);
}
END_TEST

START_TEST(every_state_has_a_name)
{
	int i;

	for (i = SS_IDLE; i <= SS_DONE; i++)
		ck_assert_str_ne(session_state_name(i), "?");
	for (i = SU_STEADY; i <= SU_REDIRECTING; i++)
		ck_assert_str_ne(session_sub_name(i), "?");
	for (i = SE_START; i <= SE_PREV_CLOSED; i++)
		ck_assert_str_ne(session_ev_name(i), "?");
}
END_TEST

/* ---- reauthentication (RFC 7296 §2.8.3, RFC 4478) ------------------ */

static unsigned
auth_lifetime(uint32_t secs, uint32_t rnd)
{
	struct sess_ev e = { .kind = SE_AUTH_LIFETIME, .xp = FB_UDP,
	    .lifetime_s = secs, .rnd = rnd };

	return session_event(&s, &e, now);
}

/* The new SA is built while the old one carries traffic, then the tunnel
 * swaps and the old one is deleted: make-before-break, as a redirect. */
static void
reauth_completes(void)
{
	ck_assert_int_eq(s.state, SS_UP);
	ck_assert_int_eq(s.sub, SU_REAUTHING);
	ck_assert_str_eq(session_sub_name(s.sub), "reauthenticating");
	/* No check while both run: the old SA still carries traffic. */
	ck_assert_uint_eq(tick(now - 5000, now - 4999, 0), 0);
	now += 30;
	ck_assert_uint_eq(ev_xp(SE_ANSWERED, FB_UDP, 0), 0);
	ck_assert_uint_eq(ev(SE_ESTABLISHED),
	    SA_RECONFIGURE | SA_UPDATE_MTU | SA_DROP_PREV);
	ck_assert_int_eq(s.sub, SU_STEADY);
	ck_assert_uint_eq(s.sessions_lost, 0);
}

/* --reauth S: every S seconds (up to a twentieth earlier), again and
 * again, never in between. */
START_TEST(reauth_local_interval)
{
	uint64_t t0;

	setup(FB_MODE_AUTO, 300000);
	s.conf.reauth_s = 3600;
	up_over_udp();
	t0 = now;
	ck_assert_uint_le(s.t_reauth, t0 + 3600000u);
	ck_assert_uint_ge(s.t_reauth, t0 + 3600000u - 180000u);
	ck_assert_uint_eq(session_deadline(&s), s.t_reauth);
	ck_assert_uint_eq(advance_to_deadline(),
	    SA_PARK | SA_ATTEMPTS_RESET | SA_START_UDP);
	reauth_completes();
	ck_assert_uint_eq(s.reauths, 1);
	ck_assert_uint_ge(s.t_reauth, now + 3600000u - 180000u);
	ck_assert_uint_eq(advance_to_deadline(),
	    SA_PARK | SA_ATTEMPTS_RESET | SA_START_UDP);
	reauth_completes();
	ck_assert_uint_eq(s.reauths, 2);
}
END_TEST

/* RFC 4478: the gateway's AUTH_LIFETIME of 20 s: at 15-16 s; the new
 * SA's own AUTH_LIFETIME schedules the next one.  None without one. */
START_TEST(reauth_gateway_lifetime)
{
	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	ck_assert_uint_eq(s.t_reauth, 0);
	ck_assert(session_deadline(&s) == UINT64_MAX);
	ck_assert_uint_eq(auth_lifetime(20, 0), 0);
	ck_assert_uint_eq(session_deadline(&s), now + 16000u);
	/* A later one replaces it. */
	ck_assert_uint_eq(auth_lifetime(40, 0), 0);
	ck_assert_uint_eq(session_deadline(&s), now + 34000u);
	ck_assert_uint_eq(auth_lifetime(20, 0), 0);
	ck_assert_uint_eq(advance_to_deadline(),
	    SA_PARK | SA_ATTEMPTS_RESET | SA_START_UDP);
	/* The parked SA's lifetime changes nothing now. */
	ck_assert_uint_eq(auth_lifetime(5, 0), 0);
	ck_assert_uint_eq(s.t_reauth, 0);
	reauth_completes();
	ck_assert_uint_eq(s.t_reauth, 0);
	ck_assert_uint_eq(auth_lifetime(20, 1u << 16), 0);
	ck_assert_uint_eq(session_deadline(&s), now + 16000u - 1u);
	ck_assert_uint_eq(advance_to_deadline(),
	    SA_PARK | SA_ATTEMPTS_RESET | SA_START_UDP);
	reauth_completes();
	ck_assert_uint_eq(s.reauths, 2);
}
END_TEST

/* Due while the path is being checked: it waits for a steady SA. */
START_TEST(reauth_waits_for_a_steady_sa)
{
	setup(FB_MODE_AUTO, 300000);
	up_over_udp();
	auth_lifetime(20, 0);
	now += 15000;
	ck_assert_uint_eq(tick(now - 5000, now - 4999, 0), SA_CHECK);
	ck_assert_int_eq(s.sub, SU_CHECKING);
	now += 1000;
	ck_assert_uint_eq(ev(SE_TIMER), 0);
	ck_assert(s.reauth_pending);
	ck_assert_int_eq(s.sub, SU_CHECKING);
	now += 300;
	ck_assert_uint_eq(ev(SE_MOVED),
	    SA_PARK | SA_ATTEMPTS_RESET | SA_START_UDP);
	reauth_completes();
}
END_TEST

/* The new SA's attempts fail and nothing is refused: the old SA keeps
 * the traffic (no session lost, nothing dropped) and the attempts run
 * again after a gap; the retry succeeds.  Before, the session was lost
 * (SA_DROP_SESSION) with the old SA still valid. */
START_TEST(reauth_fails_then_succeeds_on_retry)
{
	uint64_t t_fail;

	setup(FB_MODE_UDP, 300000);
	s.conf.reauth_s = 60;
	up_over_udp();
	auth_lifetime(3600, 7);
	ck_assert_uint_eq(advance_to_deadline(),
	    SA_PARK | SA_ATTEMPTS_RESET | SA_START_UDP);
	ck_assert_int_eq(s.sub, SU_REAUTHING);
	now += 30000;
	t_fail = now;
	ck_assert_uint_eq(ev_xp(SE_ATTEMPT_FAILED, FB_UDP, IR_ERR_TIMEOUT),
	    SA_DROP_ATTEMPTS | SA_PARK_RETRY);
	ck_assert_int_eq(s.state, SS_UP);
	ck_assert_int_eq(s.sub, SU_REAUTHING);
	ck_assert_uint_eq(s.sessions_lost, 0);
	ck_assert_int_eq(s.cur, -1);
	/* 5 s, up to a quarter earlier; nothing else meanwhile. */
	ck_assert_uint_le(session_deadline(&s), t_fail + 5000u);
	ck_assert_uint_ge(session_deadline(&s), t_fail + 3750u);
	ck_assert_uint_eq(tick(now - 5000, now - 4999, 0), 0);
	ck_assert_uint_eq(ev(SE_ICMP), 0);
	ck_assert_uint_eq(ev_xp(SE_ATTEMPT_FAILED, FB_UDP, IR_ERR_TIMEOUT),
	    0);
	ck_assert_uint_eq(ev(SE_TIMER), 0);		/* early */
	ck_assert_uint_eq(advance_to_deadline(),
	    SA_ATTEMPTS_RESET | SA_START_UDP);	/* no second park */
	/* This time the gateway answers, then ends the SA before its
	 * Child SA (busy): another gap, twice as long. */
	ev_xp(SE_ANSWERED, FB_UDP, 0);
	t_fail = now;
	ck_assert_uint_eq(ev_xp(SE_SA_CLOSED, FB_UDP, IR_ERR_TIMEOUT),
	    SA_DROP_ATTEMPTS | SA_PARK_RETRY);
	ck_assert_uint_le(session_deadline(&s), t_fail + 10000u);
	ck_assert_uint_ge(session_deadline(&s), t_fail + 7500u);
	ck_assert_uint_eq(advance_to_deadline(),
	    SA_ATTEMPTS_RESET | SA_START_UDP);
	reauth_completes();
	ck_assert_uint_eq(s.reauths, 1);
	ck_assert_uint_eq(s.park_fails, 0);
	ck_assert_uint_eq(prev_closed(IR_ERR_CLOSED), 0);
	ck_assert_int_eq(s.sub, SU_STEADY);
	/* The next one is scheduled as usual. */
	ck_assert_uint_ge(s.t_reauth, now + 57000u);
}
END_TEST

/* The gateway's AUTH_LIFETIME 600 s: due at 538 s; every attempt fails.
 * Gaps of 5, 10, 20 s, then one last try 2 s before the old SA ends;
 * when that fails too the session is lost and rebuilt as after any
 * loss, and the gateway's end of the old SA is no news then. */
START_TEST(reauth_keeps_failing_until_the_lifetime_is_spent)
{
	uint64_t t0, end, gap = 5000, prev_at;
	unsigned n = 0;

	setup(FB_MODE_UDP, 300000);
	up_over_udp();
	t0 = now;
	end = t0 + 600000u;
	auth_lifetime(600, 0);
	ck_assert_uint_eq(advance_to_deadline(),
	    SA_PARK | SA_ATTEMPTS_RESET | SA_START_UDP);
	ck_assert_uint_eq(now, t0 + 538000u);
	for (;;) {
		unsigned act = ev_xp(SE_ATTEMPT_FAILED, FB_UDP,
		    IR_ERR_TIMEOUT);

		if (act != (SA_DROP_ATTEMPTS | SA_PARK_RETRY)) {
			ck_assert_uint_eq(act, SA_DROP_SESSION |
			    SA_ATTEMPTS_RESET | SA_START_UDP);
			break;
		}
		n++;
		prev_at = now;
		ck_assert_uint_le(session_deadline(&s),
		    prev_at + gap < end - 2000u ? prev_at + gap : end - 2000u);
		ck_assert_uint_ge(session_deadline(&s), prev_at + gap * 3 / 4 <
		    end - 2000u ? prev_at + gap * 3 / 4 : end - 2000u);
		ck_assert_uint_eq(advance_to_deadline(),
		    SA_ATTEMPTS_RESET | SA_START_UDP);
		ck_assert_uint_eq(s.sessions_lost, 0);
		gap *= 2;
	}
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(now, end - 2000u);
	ck_assert_int_eq(s.state, SS_RECONNECTING);
	ck_assert_uint_eq(s.sessions_lost, 1);
	ck_assert_uint_eq(prev_closed(IR_ERR_LIFETIME), 0);
}
END_TEST

/* A refusal is no reason to try again: the gateway refused our
 * authentication (or our certificate, or the proposals): the end, with
 * that reason, as on a first connect. */
START_TEST(reauth_refused_ends)
{
	static const int refusals[] = { IR_ERR_AUTH, IR_ERR_CERT,
	    IR_ERR_NO_PROPOSAL, IR_ERR_PEER_ID };
	unsigned i;

	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		setup(FB_MODE_UDP, 300000);
		s.conf.reauth_s = 60;
		up_over_udp();
		advance_to_deadline();
		ev_xp(SE_ANSWERED, FB_UDP, 0);
		ck_assert_uint_eq(ev_xp(SE_SA_CLOSED, FB_UDP, refusals[i]),
		    SA_DROP_SESSION | SA_UNDO);
		ck_assert_int_eq(s.state, SS_CLOSING);
		ck_assert_int_eq(s.exit_reason, refusals[i]);
	}
	/* Also after a first try that only timed out. */
	setup(FB_MODE_UDP, 300000);
	s.conf.reauth_s = 60;
	up_over_udp();
	advance_to_deadline();
	ev_xp(SE_ATTEMPT_FAILED, FB_UDP, IR_ERR_TIMEOUT);
	advance_to_deadline();
	ev_xp(SE_ANSWERED, FB_UDP, 0);
	ck_assert_uint_eq(ev_xp(SE_SA_CLOSED, FB_UDP, IR_ERR_AUTH),
	    SA_DROP_SESSION | SA_UNDO);
	ck_assert_int_eq(s.exit_reason, IR_ERR_AUTH);
}
END_TEST

/* --reauth without AUTH_LIFETIME: the old SA's end is not known, so the
 * retries end after REAUTH_RETRY_WINDOW_MS; then the reconnect path. */
START_TEST(reauth_retries_bounded_without_a_lifetime)
{
	uint64_t t0;
	unsigned n = 0;

	setup(FB_MODE_UDP, 300000);
	s.conf.reauth_s = 3600;
	up_over_udp();
	advance_to_deadline();
	t0 = now;
	while (ev_xp(SE_ATTEMPT_FAILED, FB_UDP, IR_ERR_TIMEOUT) ==
	    (SA_DROP_ATTEMPTS | SA_PARK_RETRY)) {
		n++;
		ck_assert_uint_le(session_deadline(&s),
		    t0 + REAUTH_RETRY_WINDOW_MS);
		advance_to_deadline();
		ck_assert_uint_eq(s.sessions_lost, 0);
		ck_assert_uint_le(n, REAUTH_RETRIES);
	}
	ck_assert_uint_ge(n, 6);
	ck_assert_uint_eq(now, t0 + REAUTH_RETRY_WINDOW_MS);
	ck_assert_int_eq(s.state, SS_RECONNECTING);
}
END_TEST

/* A signal during a reauthentication leaves: with the attempts under
 * way at once; between attempts after our Delete of the old SA. */
START_TEST(reauth_interrupted)
{
	setup(FB_MODE_AUTO, 300000);
	s.conf.reauth_s = 60;
	up_over_udp();
	advance_to_deadline();
	ck_assert_uint_eq(ev(SE_QUIT), SA_DROP_SESSION | SA_UNDO);
	ck_assert_int_eq(s.state, SS_CLOSING);
	ck_assert_int_eq(s.exit_reason, IR_ERR_CLOSED);

	setup(FB_MODE_UDP, 300000);
	s.conf.reauth_s = 60;
	up_over_udp();
	advance_to_deadline();
	ev_xp(SE_ATTEMPT_FAILED, FB_UDP, IR_ERR_TIMEOUT);
	ck_assert_uint_eq(ev(SE_QUIT), SA_SHUTDOWN);
	ck_assert_int_eq(s.sub, SU_DELETING);
	ck_assert_uint_eq(session_deadline(&s), now + 3000u);
	ck_assert_uint_eq(prev_closed(IR_ERR_CLOSED), SA_UNDO);
	ck_assert_int_eq(s.sub, SU_UNDOING);
	ck_assert_int_eq(s.exit_reason, IR_ERR_CLOSED);
}
END_TEST

Suite *
session_suite(void)
{
	Suite *su = suite_create("session");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, first_connect_over_udp);
	tcase_add_test(tc, udp_silent_tcp_wins_then_probes);
	tcase_add_test(tc, auth_failure_ends_without_retry);
	tcase_add_test(tc, nothing_answers_diagnose_then_fail);
	tcase_add_test(tc, icmp_before_answer_starts_tcp);
	tcase_add_test(tc, lost_session_reconnects_with_backoff);
	tcase_add_test(tc, reconnect_window_runs_out);
	tcase_add_test(tc, refused_on_reconnect_ends);
	tcase_add_test(tc, tcp_reopen_backs_off_and_resets);
	tcase_add_test(tc, gateway_closing_reopened_connections_means_new_session);
	tcase_add_test(tc, early_reopens_before_answer_are_bounded);
	tcase_add_test(tc, path_change_moves_the_session);
	tcase_add_test(tc, failed_move_builds_a_new_session_at_once);
	tcase_add_test(tc, engine_silent_safety_net);
	tcase_add_test(tc, offline_waits_for_a_route);
	tcase_add_test(tc, offline_too_long_ends);
	tcase_add_test(tc, back_online_moves);
	tcase_add_test(tc, silence_starts_a_fast_check);
	tcase_add_test(tc, one_way_traffic_checks_less_and_less);
	tcase_add_test(tc, resume_checks_at_once_with_short_budget);
	tcase_add_test(tc, moved_while_asleep_short_budget);
	tcase_add_test(tc, resume_while_waiting_tries_now);
	tcase_add_test(tc, icmp_when_up_checks_the_path);
	tcase_add_test(tc, tcp_path_change_reopens_and_probes_udp);
	tcase_add_test(tc, quit_deletes_then_undoes);
	tcase_add_test(tc, quit_unanswered_delete_times_out);
	tcase_add_test(tc, quit_delete_follows_a_new_path);
	tcase_add_test(tc, quit_delete_on_tcp_stays);
	tcase_add_test(tc, second_signal_leaves_at_once);
	tcase_add_test(tc, quit_while_connecting);
	tcase_add_test(tc, quit_while_reconnecting);
	tcase_add_test(tc, no_reconnect_when_disabled);
	tcase_add_test(tc, path_change_while_reconnecting_retries_now);
	tcase_add_test(tc, every_state_has_a_name);
	tcase_add_test(tc, reconnect_asked);
	tcase_add_test(tc, tls_wins_is_remembered_and_reopens);
	tcase_add_test(tc, redirect_in_init_starts_over_at_once);
	tcase_add_test(tc, redirect_uses_the_network_memory_of_the_target);
	tcase_add_test(tc, redirect_in_auth_from_the_winner_only);
	tcase_add_test(tc, session_redirect_is_make_before_break);
	tcase_add_test(tc, session_redirect_waits_for_a_steady_sa);
	tcase_add_test(tc, session_redirect_while_configuring);
	tcase_add_test(tc, session_redirect_waits_for_the_target);
	tcase_add_test(tc, session_redirect_target_silent_keeps_the_old_sa);
	tcase_add_test(tc, session_redirect_then_redirect_in_init);
	tcase_add_test(tc, session_redirect_interrupted);
	tcase_add_test(tc, redirect_loop_gives_up);
	suite_add_tcase(su, tc);

	tc = tcase_create("reauth");
	tcase_add_test(tc, reauth_local_interval);
	tcase_add_test(tc, reauth_gateway_lifetime);
	tcase_add_test(tc, reauth_waits_for_a_steady_sa);
	tcase_add_test(tc, reauth_fails_then_succeeds_on_retry);
	tcase_add_test(tc, reauth_keeps_failing_until_the_lifetime_is_spent);
	tcase_add_test(tc, reauth_refused_ends);
	tcase_add_test(tc, reauth_retries_bounded_without_a_lifetime);
	tcase_add_test(tc, reauth_interrupted);
	suite_add_tcase(su, tc);
	return su;
}
