/* tests/src/check_fallback.c: the transport ladder with a fake clock. */
#include <check.h>

#include "src/fallback.h"

START_TEST(udp_answers_first)
{
	struct fallback fb;

	fallback_init(&fb, FB_MODE_AUTO, 2500, 0, false);
	ck_assert_uint_eq(fallback_start(&fb, 1000), FB_START_UDP);
	ck_assert(fallback_deadline(&fb) == 3500);
	ck_assert_uint_eq(fallback_expire(&fb, 3499), 0);
	ck_assert_uint_eq(fallback_answered(&fb, false, 1200), 0);
	ck_assert_int_eq(fb.state, FB_WON_UDP);
	ck_assert(fallback_deadline(&fb) == UINT64_MAX);
	ck_assert_uint_eq(fallback_expire(&fb, 9999), 0);
}
END_TEST

START_TEST(udp_silent_then_tcp_wins)
{
	struct fallback fb;

	fallback_init(&fb, FB_MODE_AUTO, 2500, 0, false);
	fallback_start(&fb, 0);
	ck_assert_uint_eq(fallback_expire(&fb, 2500), FB_START_TCP);
	/* UDP keeps trying alongside; TCP answers first. */
	ck_assert_uint_eq(fallback_expire(&fb, 2600), 0);
	ck_assert_uint_eq(fallback_answered(&fb, true, 2700), FB_ABORT_UDP);
	ck_assert_int_eq(fb.state, FB_WON_TCP);
	ck_assert(fb.udp_silent);
	/* A late UDP answer changes nothing. */
	ck_assert_uint_eq(fallback_answered(&fb, false, 2800), 0);
	ck_assert_int_eq(fb.state, FB_WON_TCP);
}
END_TEST

START_TEST(slow_udp_still_wins_after_tcp_started)
{
	struct fallback fb;

	fallback_init(&fb, FB_MODE_AUTO, 2500, 0, false);
	fallback_start(&fb, 0);
	fallback_expire(&fb, 2500);
	ck_assert_uint_eq(fallback_answered(&fb, false, 3000), FB_ABORT_TCP);
	ck_assert_int_eq(fb.state, FB_WON_UDP);
}
END_TEST

START_TEST(icmp_unreachable_starts_tcp_at_once)
{
	struct fallback fb;

	fallback_init(&fb, FB_MODE_AUTO, 2500, 0, false);
	fallback_start(&fb, 0);
	ck_assert_uint_eq(fallback_failed(&fb, false, 40), FB_START_TCP);
	/* TLS is next, after TCP's own silence. */
	ck_assert(fallback_deadline(&fb) == 2540);
	ck_assert_uint_eq(fallback_failed(&fb, true, 900), FB_START_TLS);
	ck_assert(fallback_deadline(&fb) == UINT64_MAX);
	ck_assert_uint_eq(fallback_failed(&fb, FB_TLS, 1000), FB_GIVE_UP);
	ck_assert_int_eq(fb.state, FB_FAILED);
}
END_TEST

START_TEST(remembered_network_goes_straight_to_tcp)
{
	struct fallback fb;

	fallback_init(&fb, FB_MODE_AUTO, 2500, 0, true);
	ck_assert_uint_eq(fallback_start(&fb, 0), FB_START_TCP);
	ck_assert(fallback_deadline(&fb) == 2500);	/* then TLS */
	ck_assert_uint_eq(fallback_answered(&fb, true, 10), 0);
	ck_assert_int_eq(fb.state, FB_WON_TCP);
}
END_TEST

START_TEST(race_starts_tcp_early)
{
	struct fallback fb;

	fallback_init(&fb, FB_MODE_AUTO, 2500, 300, false);
	fallback_start(&fb, 0);
	ck_assert(fallback_deadline(&fb) == 300);
	ck_assert_uint_eq(fallback_expire(&fb, 300), FB_START_TCP);
}
END_TEST

START_TEST(fixed_modes)
{
	struct fallback fb;

	fallback_init(&fb, FB_MODE_UDP, 2500, 0, true);
	ck_assert_uint_eq(fallback_start(&fb, 0), FB_START_UDP);
	ck_assert(fallback_deadline(&fb) == UINT64_MAX);
	ck_assert_uint_eq(fallback_failed(&fb, false, 5), FB_GIVE_UP);

	fallback_init(&fb, FB_MODE_TCP, 2500, 0, false);
	ck_assert_uint_eq(fallback_start(&fb, 0), FB_START_TCP);
	ck_assert_uint_eq(fallback_failed(&fb, true, 5), FB_GIVE_UP);
}
END_TEST

START_TEST(both_silent_until_engines_give_up)
{
	struct fallback fb;

	fallback_init(&fb, FB_MODE_AUTO, 2000, 0, false);
	fallback_start(&fb, 0);
	fallback_expire(&fb, 2000);
	ck_assert_uint_eq(fallback_expire(&fb, 4000), FB_START_TLS);
	ck_assert_uint_eq(fallback_failed(&fb, true, 30000), 0);
	ck_assert_int_eq(fb.state, FB_TRYING);
	ck_assert_uint_eq(fallback_failed(&fb, false, 30000), 0);
	ck_assert_uint_eq(fallback_failed(&fb, FB_TLS, 30000), FB_GIVE_UP);
}
END_TEST

START_TEST(tcp_refused_fast_starts_tls_at_once)
{
	struct fallback fb;

	fallback_init(&fb, FB_MODE_AUTO, 2500, 0, FB_UDP);
	fallback_start(&fb, 0);
	ck_assert_uint_eq(fallback_expire(&fb, 2500), FB_START_TCP);
	ck_assert(fallback_deadline(&fb) == 5000);
	/* RST 30 ms later: TLS now, not at 5000; UDP keeps trying. */
	ck_assert_uint_eq(fallback_failed(&fb, FB_TCP, 2530), FB_START_TLS);
	ck_assert(fallback_deadline(&fb) == UINT64_MAX);
	ck_assert(fallback_running(&fb, FB_UDP));
	ck_assert(fallback_running(&fb, FB_TLS));
	ck_assert_uint_eq(fallback_expire(&fb, 5000), 0);
	ck_assert_uint_eq(fallback_answered(&fb, FB_TLS, 2900), FB_ABORT_UDP);
	ck_assert_int_eq(fb.state, FB_WON_TLS);
	ck_assert_int_eq(fallback_winner(&fb), FB_TLS);
	ck_assert(fb.udp_silent);
}
END_TEST

START_TEST(tcp_silent_starts_tls_after_the_timeout)
{
	struct fallback fb;

	fallback_init(&fb, FB_MODE_AUTO, 2000, 0, FB_UDP);
	fallback_start(&fb, 100);
	ck_assert_uint_eq(fallback_expire(&fb, 2100), FB_START_TCP);
	ck_assert_uint_eq(fallback_expire(&fb, 4099), 0);
	ck_assert(fallback_deadline(&fb) == 4100);
	ck_assert_uint_eq(fallback_expire(&fb, 4100), FB_START_TLS);
	ck_assert(fallback_deadline(&fb) == UINT64_MAX);
	/* All three run; TLS answers: the other two are closed. */
	ck_assert_uint_eq(fallback_answered(&fb, FB_TLS, 4400),
	    FB_ABORT_UDP | FB_ABORT_TCP);
	ck_assert_int_eq(fb.state, FB_WON_TLS);
	/* Late answers change nothing. */
	ck_assert_uint_eq(fallback_answered(&fb, FB_TCP, 4500), 0);
	ck_assert_uint_eq(fallback_answered(&fb, FB_UDP, 4600), 0);
	ck_assert_int_eq(fallback_winner(&fb), FB_TLS);
}
END_TEST

START_TEST(late_udp_wins_over_tcp_and_tls)
{
	struct fallback fb;

	fallback_init(&fb, FB_MODE_AUTO, 2500, 0, FB_UDP);
	fallback_start(&fb, 0);
	fallback_expire(&fb, 2500);
	fallback_expire(&fb, 5000);
	ck_assert_uint_eq(fallback_answered(&fb, FB_UDP, 5200),
	    FB_ABORT_TCP | FB_ABORT_TLS);
	ck_assert_int_eq(fb.state, FB_WON_UDP);
	ck_assert_int_eq(fallback_winner(&fb), FB_UDP);
	ck_assert(!fb.udp_silent);
}
END_TEST

START_TEST(tcp_wins_before_tls_starts)
{
	struct fallback fb;

	fallback_init(&fb, FB_MODE_AUTO, 2500, 0, FB_UDP);
	fallback_start(&fb, 0);
	fallback_expire(&fb, 2500);
	ck_assert_uint_eq(fallback_answered(&fb, FB_TCP, 2600), FB_ABORT_UDP);
	ck_assert(fallback_deadline(&fb) == UINT64_MAX);
	ck_assert_uint_eq(fallback_expire(&fb, 9999), 0);
	ck_assert_int_eq(fallback_winner(&fb), FB_TCP);
}
END_TEST

START_TEST(remembered_tls_goes_straight_to_tls)
{
	struct fallback fb;

	fallback_init(&fb, FB_MODE_AUTO, 2500, 300, FB_TLS);
	ck_assert_uint_eq(fallback_start(&fb, 0), FB_START_TLS);
	ck_assert(fallback_deadline(&fb) == UINT64_MAX);
	ck_assert_uint_eq(fallback_answered(&fb, FB_TLS, 50), 0);
	ck_assert_int_eq(fallback_winner(&fb), FB_TLS);
}
END_TEST

/* The front remembered here is gone: the whole ladder from UDP, once. */
START_TEST(remembered_rung_fails_ladder_from_udp)
{
	struct fallback fb;

	fallback_init(&fb, FB_MODE_AUTO, 2500, 0, FB_TLS);
	fallback_start(&fb, 0);
	ck_assert_uint_eq(fallback_failed(&fb, FB_TLS, 50), FB_START_UDP);
	ck_assert_int_eq(fb.state, FB_TRYING);
	ck_assert(fallback_deadline(&fb) == 2550);
	ck_assert_uint_eq(fallback_expire(&fb, 2550), FB_START_TCP);
	ck_assert_uint_eq(fallback_failed(&fb, FB_TCP, 2600), FB_START_TLS);
	ck_assert_uint_eq(fallback_failed(&fb, FB_TLS, 2700), 0);
	ck_assert_uint_eq(fallback_failed(&fb, FB_UDP, 9000), FB_GIVE_UP);
	ck_assert_int_eq(fb.state, FB_FAILED);
	ck_assert_int_eq(fallback_winner(&fb), -1);
	/* A fixed mode does not climb down. */
	fallback_init(&fb, FB_MODE_TLS, 2500, 0, FB_TLS);
	fallback_start(&fb, 0);
	ck_assert_uint_eq(fallback_failed(&fb, FB_TLS, 50), FB_GIVE_UP);
}
END_TEST

START_TEST(remembered_tcp_climbs_to_tls)
{
	struct fallback fb;

	fallback_init(&fb, FB_MODE_AUTO, 2500, 0, FB_TCP);
	ck_assert_uint_eq(fallback_start(&fb, 0), FB_START_TCP);
	/* TCP 4500 is blocked on this network now: TLS at once. */
	ck_assert_uint_eq(fallback_failed(&fb, FB_TCP, 20), FB_START_TLS);
	ck_assert_uint_eq(fallback_answered(&fb, FB_TLS, 400), 0);
	ck_assert_int_eq(fb.state, FB_WON_TLS);
	ck_assert(!fb.udp_silent);	/* UDP was not tried this time */
}
END_TEST

START_TEST(tls_only_mode)
{
	struct fallback fb;

	fallback_init(&fb, FB_MODE_TLS, 2500, 300, FB_UDP);
	ck_assert_uint_eq(fallback_start(&fb, 0), FB_START_TLS);
	ck_assert(fallback_deadline(&fb) == UINT64_MAX);
	ck_assert_uint_eq(fallback_answered(&fb, FB_UDP, 10), 0);
	ck_assert_int_eq(fb.state, FB_TRYING);
	ck_assert_uint_eq(fallback_answered(&fb, FB_TLS, 20), 0);
	ck_assert_int_eq(fb.state, FB_WON_TLS);

	fallback_init(&fb, FB_MODE_TLS, 2500, 0, FB_UDP);
	fallback_start(&fb, 0);
	ck_assert_uint_eq(fallback_failed(&fb, FB_TLS, 5), FB_GIVE_UP);
}
END_TEST

START_TEST(icmp_refused_udp_goes_on)
{
	struct fallback fb;

	fallback_init(&fb, FB_MODE_AUTO, 2500, 0, FB_UDP);
	fallback_start(&fb, 0);
	ck_assert_uint_eq(fallback_refused(&fb, FB_UDP, 40), FB_START_TCP);
	ck_assert(fallback_running(&fb, FB_UDP));
	ck_assert(fallback_deadline(&fb) == 2540);
	/* A second ICMP error changes nothing: TCP is already on. */
	ck_assert_uint_eq(fallback_refused(&fb, FB_UDP, 60), 0);
	/* The forged ICMP lied: UDP answers and wins. */
	ck_assert_uint_eq(fallback_answered(&fb, FB_UDP, 100), FB_ABORT_TCP);

	fallback_init(&fb, FB_MODE_UDP, 2500, 0, FB_UDP);
	fallback_start(&fb, 0);
	ck_assert_uint_eq(fallback_refused(&fb, FB_UDP, 40), 0);
}
END_TEST

START_TEST(names)
{
	ck_assert_str_eq(fallback_xport_name(FB_TLS), "tls");
	ck_assert_str_eq(fallback_xport_name(7), "?");
	ck_assert_str_eq(fallback_state_name(FB_WON_TLS), "tls");
	ck_assert_str_eq(fallback_state_name(FB_FAILED), "failed");
}
END_TEST

Suite *
fallback_suite(void)
{
	Suite *s = suite_create("fallback");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, udp_answers_first);
	tcase_add_test(tc, udp_silent_then_tcp_wins);
	tcase_add_test(tc, slow_udp_still_wins_after_tcp_started);
	tcase_add_test(tc, icmp_unreachable_starts_tcp_at_once);
	tcase_add_test(tc, remembered_network_goes_straight_to_tcp);
	tcase_add_test(tc, race_starts_tcp_early);
	tcase_add_test(tc, fixed_modes);
	tcase_add_test(tc, both_silent_until_engines_give_up);
	tcase_add_test(tc, tcp_refused_fast_starts_tls_at_once);
	tcase_add_test(tc, tcp_silent_starts_tls_after_the_timeout);
	tcase_add_test(tc, late_udp_wins_over_tcp_and_tls);
	tcase_add_test(tc, tcp_wins_before_tls_starts);
	tcase_add_test(tc, remembered_tls_goes_straight_to_tls);
	tcase_add_test(tc, remembered_rung_fails_ladder_from_udp);
	tcase_add_test(tc, remembered_tcp_climbs_to_tls);
	tcase_add_test(tc, tls_only_mode);
	tcase_add_test(tc, icmp_refused_udp_goes_on);
	tcase_add_test(tc, names);
	suite_add_tcase(s, tc);
	return s;
}
