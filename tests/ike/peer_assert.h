/*
 * tests/ike/peer_assert.h: the Check assertions the scripted peer uses.
 * The fuzz target links the peer without a Check runner, where Check's
 * assertions cannot report (-DPEER_NO_CHECK): they abort instead.
 */
#ifndef IKE_TEST_PEER_ASSERT_H
#define IKE_TEST_PEER_ASSERT_H

#ifdef PEER_NO_CHECK
#include <stdlib.h>
#define ck_assert(c)		do { if (!(c)) abort(); } while (0)
#define ck_assert_int_eq(a, b)	ck_assert((a) == (b))
#define ck_assert_int_le(a, b)	ck_assert((a) <= (b))
#define ck_assert_uint_ge(a, b)	ck_assert((a) >= (b))
#define ck_assert_uint_le(a, b)	ck_assert((a) <= (b))
#define ck_assert_uint_lt(a, b)	ck_assert((a) < (b))
#else
#include <check.h>
#endif

#endif
