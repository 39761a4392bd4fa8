/*
 * tests/src/check_reauth.c: when to reauthenticate (RFC 7296 §2.8.3,
 * RFC 4478 §3), with a fake clock and chosen random numbers.
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>

#include "src/reauth.h"

#define NOW	1000000u

START_TEST(never)
{
	ck_assert_uint_eq(reauth_at(NOW, 0, false, 0, 12345), UINT64_MAX);
}
END_TEST

/* --reauth S: at S, at most a twentieth earlier, never later. */
START_TEST(local_interval)
{
	ck_assert_uint_eq(reauth_at(NOW, 3600, false, 0, 0),
	    NOW + 3600000u);
	ck_assert_uint_eq(reauth_at(NOW, 3600, false, 0, 180000),
	    NOW + 3600000u - 180000u);
	ck_assert_uint_eq(reauth_at(NOW, 3600, false, 0, 180001),
	    NOW + 3600000u);		/* 180001 % 180001 */
	ck_assert_uint_ge(reauth_at(NOW, 3600, false, 0, UINT32_MAX),
	    NOW + 3600000u - 180000u);
}
END_TEST

/*
 * AUTH_LIFETIME L: before the gateway's limit by a tenth plus 2 s (at
 * most half), and up to a twentieth more: strongSwan's reauth_time 20 s
 * gives 15-16 s.
 */
START_TEST(gateway_lifetime)
{
	uint32_t r;
	uint64_t at;

	ck_assert_uint_eq(reauth_at(NOW, 0, true, 20, 0), NOW + 16000u);
	for (r = 0; r < 5000; r += 7) {
		at = reauth_at(NOW, 0, true, 20, r << 16);
		ck_assert_uint_le(at, NOW + 16000u);
		ck_assert_uint_ge(at, NOW + 15000u);
	}
	/* A day: 2.4 h + 2 s before, up to 72 min more. */
	at = reauth_at(NOW, 0, true, 86400, 0);
	ck_assert_uint_eq(at, NOW + 86400000u - 8640000u - 2000u);
	/* Short: never more than half of it early; 0: at once. */
	ck_assert_uint_eq(reauth_at(NOW, 0, true, 2, 0), NOW + 1000u);
	ck_assert_uint_eq(reauth_at(NOW, 0, true, 0, 99), NOW);
}
END_TEST

/* Both: whichever is due first. */
START_TEST(first_due)
{
	ck_assert_uint_eq(reauth_at(NOW, 3600, true, 20, 0), NOW + 16000u);
	ck_assert_uint_eq(reauth_at(NOW, 10, true, 3600, 0), NOW + 10000u);
}
END_TEST

Suite *
reauth_suite(void)
{
	Suite *s = suite_create("reauth");
	TCase *tc = tcase_create("schedule");

	tcase_add_test(tc, never);
	tcase_add_test(tc, local_interval);
	tcase_add_test(tc, gateway_lifetime);
	tcase_add_test(tc, first_due);
	suite_add_tcase(s, tc);
	return s;
}
