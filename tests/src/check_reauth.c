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

/* After a failure: 5 s, doubling to 5 min, up to a quarter earlier;
 * never after |until|, and nothing once it has passed or after
 * REAUTH_RETRIES failures. */
START_TEST(retry_gaps)
{
	uint64_t until = NOW + 86400000u;
	unsigned f;

	ck_assert_uint_eq(reauth_retry_at(NOW, 1, until, 0), NOW + 5000u);
	ck_assert_uint_eq(reauth_retry_at(NOW, 2, until, 0), NOW + 10000u);
	ck_assert_uint_eq(reauth_retry_at(NOW, 3, until, 0), NOW + 20000u);
	ck_assert_uint_eq(reauth_retry_at(NOW, 7, until, 0), NOW + 300000u);
	ck_assert_uint_eq(reauth_retry_at(NOW, REAUTH_RETRIES, until, 0),
	    NOW + 300000u);
	ck_assert_uint_eq(reauth_retry_at(NOW, REAUTH_RETRIES + 1, until, 0),
	    UINT64_MAX);
	ck_assert_uint_eq(reauth_retry_at(NOW, 0, until, 0), UINT64_MAX);
	ck_assert_uint_eq(reauth_retry_at(NOW, 1, until, 1250),
	    NOW + 3750u);
	for (f = 1; f <= REAUTH_RETRIES; f++) {
		uint32_t r;

		for (r = 0; r < 100000; r += 997) {
			uint64_t at = reauth_retry_at(NOW, f, until, r * 65537u);

			ck_assert_uint_ge(at, NOW + 3750u);
			ck_assert_uint_le(at, NOW + 300000u);
		}
	}
	/* The old SA ends soon: one last try at |until|, then none. */
	ck_assert_uint_eq(reauth_retry_at(NOW, 3, NOW + 7000u, 0),
	    NOW + 7000u);
	ck_assert_uint_eq(reauth_retry_at(NOW + 7000u, 4, NOW + 7000u, 0),
	    UINT64_MAX);
}
END_TEST

/* Retries end 2 s before the old SA's AUTH_LIFETIME, or 10 min on. */
START_TEST(retry_until)
{
	ck_assert_uint_eq(reauth_retry_until(NOW, NOW + 62000u),
	    NOW + 60000u);
	ck_assert_uint_eq(reauth_retry_until(NOW, NOW + 1000u), NOW);
	ck_assert_uint_eq(reauth_retry_until(NOW, 0),
	    NOW + REAUTH_RETRY_WINDOW_MS);
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
	tcase_add_test(tc, retry_gaps);
	tcase_add_test(tc, retry_until);
	suite_add_tcase(s, tc);
	return s;
}
