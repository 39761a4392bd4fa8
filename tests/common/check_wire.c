/* tests/common/check_wire.c: the byte reader and writer of common/wire.h. */
#include <check.h>

#include "common/wire.h"

static const uint8_t sample[] = {
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
};

/* u8 | u16 | u32 | u64: 15 bytes; every shorter input must fail cleanly. */
static bool
read_all(const uint8_t *p, size_t len, uint64_t *sum)
{
	struct wire_rd r;
	uint8_t a;
	uint16_t b;
	uint32_t c;
	uint64_t d;

	wire_rd_init(&r, p, len);
	if (!wire_rd_u8(&r, &a) || !wire_rd_u16(&r, &b) ||
	    !wire_rd_u32(&r, &c) || !wire_rd_u64(&r, &d))
		return false;
	*sum = a + b + c + d;
	return r.left == 0;
}

START_TEST(rd_values)
{
	struct wire_rd r;
	uint16_t b;
	uint32_t c;
	uint64_t d;
	uint8_t a;

	wire_rd_init(&r, sample, sizeof(sample));
	ck_assert(wire_rd_u8(&r, &a));
	ck_assert_uint_eq(a, 0x01);
	ck_assert(wire_rd_u16(&r, &b));
	ck_assert_uint_eq(b, 0x0203);
	ck_assert(wire_rd_u32(&r, &c));
	ck_assert_uint_eq(c, 0x04050607);
	ck_assert(wire_rd_u64(&r, &d));
	ck_assert(d == 0x08090a0b0c0d0e0fULL);
	ck_assert_uint_eq(r.left, 0);
}
END_TEST

START_TEST(rd_truncated_at_every_offset)
{
	uint64_t sum;
	size_t n;

	for (n = 0; n < sizeof(sample); n++)
		ck_assert_msg(!read_all(sample, n, &sum), "len %zu", n);
	ck_assert(read_all(sample, sizeof(sample), &sum));
}
END_TEST

START_TEST(rd_failed_read_consumes_nothing)
{
	struct wire_rd r;
	uint32_t v;

	wire_rd_init(&r, sample, 3);
	ck_assert(!wire_rd_u32(&r, &v));
	ck_assert_uint_eq(r.left, 3);
	ck_assert_ptr_eq(r.p, sample);
}
END_TEST

START_TEST(rd_sub_is_confined)
{
	struct wire_rd r, sub;
	const uint8_t *view;
	uint32_t v;

	wire_rd_init(&r, sample, sizeof(sample));
	ck_assert(wire_rd_sub(&r, 3, &sub));
	ck_assert(!wire_rd_u32(&sub, &v));
	ck_assert(wire_rd_bytes(&sub, 3, &view));
	ck_assert_ptr_eq(view, sample);
	ck_assert_uint_eq(r.left, sizeof(sample) - 3);
	ck_assert(!wire_rd_sub(&r, sizeof(sample), &sub));
}
END_TEST

START_TEST(rd_tail)
{
	struct wire_rd r;
	const uint8_t *icv;

	wire_rd_init(&r, sample, sizeof(sample));
	ck_assert(wire_rd_tail(&r, 4, &icv));
	ck_assert_ptr_eq(icv, sample + sizeof(sample) - 4);
	ck_assert_uint_eq(r.left, sizeof(sample) - 4);
	ck_assert(!wire_rd_tail(&r, 100, &icv));
}
END_TEST

START_TEST(wr_overflow_is_sticky)
{
	uint8_t buf[5];
	struct wire_wr w;

	wire_wr_init(&w, buf, sizeof(buf));
	wire_wr_u32(&w, 0xdeadbeef);
	ck_assert(!w.overflow);
	wire_wr_u16(&w, 1);		/* does not fit */
	ck_assert(w.overflow);
	wire_wr_u8(&w, 1);		/* would fit, but overflow is sticky */
	ck_assert(w.overflow);
	ck_assert_uint_eq(w.len, 4);
}
END_TEST

START_TEST(wr_patch_len)
{
	uint8_t buf[64];
	struct wire_wr w;
	size_t start;

	wire_wr_init(&w, buf, sizeof(buf));
	start = wire_wr_mark(&w);
	wire_wr_u16(&w, 0);
	wire_wr_bytes(&w, "abcdef", 6);
	wire_wr_patch_len16(&w, start, start);
	ck_assert(!w.overflow);
	ck_assert_uint_eq(wire_get_u16(buf), 8);
	wire_wr_u32(&w, 0);
	wire_wr_patch_len32(&w, 8, 0);
	ck_assert_uint_eq(wire_get_u32(buf + 8), 12);
}
END_TEST

START_TEST(wr_patch_len16_too_long)
{
	static uint8_t big[70000];
	struct wire_wr w;

	wire_wr_init(&w, big, sizeof(big));
	wire_wr_u16(&w, 0);
	wire_wr_zero(&w, 0x10000);
	wire_wr_patch_len16(&w, 0, 0);
	ck_assert(w.overflow);
}
END_TEST

Suite *
wire_suite(void)
{
	Suite *s = suite_create("wire");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, rd_values);
	tcase_add_test(tc, rd_truncated_at_every_offset);
	tcase_add_test(tc, rd_failed_read_consumes_nothing);
	tcase_add_test(tc, rd_sub_is_confined);
	tcase_add_test(tc, rd_tail);
	tcase_add_test(tc, wr_overflow_is_sticky);
	tcase_add_test(tc, wr_patch_len);
	tcase_add_test(tc, wr_patch_len16_too_long);
	suite_add_tcase(s, tc);
	return s;
}
