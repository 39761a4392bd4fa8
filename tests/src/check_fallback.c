/* tests/src/check_fallback.c: the transport choice with a fake clock. */
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
	ck_assert(fallback_deadline(&fb) == UINT64_MAX);
	ck_assert_uint_eq(fallback_failed(&fb, true, 900), FB_GIVE_UP);
	ck_assert_int_eq(fb.state, FB_FAILED);
}
END_TEST

START_TEST(remembered_network_goes_straight_to_tcp)
{
	struct fallback fb;

	fallback_init(&fb, FB_MODE_AUTO, 2500, 0, true);
	ck_assert_uint_eq(fallback_start(&fb, 0), FB_START_TCP);
	ck_assert(fallback_deadline(&fb) == UINT64_MAX);
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
	ck_assert_uint_eq(fallback_failed(&fb, true, 30000), 0);
	ck_assert_int_eq(fb.state, FB_TRYING);
	ck_assert_uint_eq(fallback_failed(&fb, false, 30000), FB_GIVE_UP);
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
	suite_add_tcase(s, tc);
	return s;
}
