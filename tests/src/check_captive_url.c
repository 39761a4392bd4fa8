/*
 * tests/src/check_captive_url.c: a portal's Location header is hostile
 * input; what captive_url_clean() leaves must be one short line of
 * printable ASCII that still names the same place.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "src/captive.h"

static const struct url_vec {
	const char	*what;
	const char	*in;
	const char	*out;
} url_vecs[] = {
	{ "plain URL stays", "http://portal.example/login?a=1&b=%41",
	  "http://portal.example/login?a=1&b=%41" },
	{ "empty", "", "" },
	{ "ANSI escape: clear screen", "http://p.example/\x1b[2J\x1b[H",
	  "http://p.example/%1B[2J%1B[H" },
	{ "CR LF: a forged second line", "http://p.example/\r\nikeroam: ok",
	  "http://p.example/%0D%0Aikeroam:%20ok" },
	{ "tab, DEL, space", "a\tb\x7f" "c d", "a%09b%7Fc%20d" },
	{ "U+202E right-to-left override (UTF-8)",
	  "http://p.example/\xe2\x80\xae" "gpj.exe",
	  "http://p.example/%E2%80%AEgpj.exe" },
	{ "U+2066 left-to-right isolate", "x\xe2\x81\xa6y", "x%E2%81%A6y" },
	{ "C1 control U+009B (CSI) as UTF-8", "x\xc2\x9b" "31m",
	  "x%C2%9B31m" },
	{ "C1 control as a raw byte", "x\x9b" "31m", "x%9B31m" },
	{ "U+0085 next line", "x\xc2\x85y", "x%C2%85y" },
	{ "invalid UTF-8", "\xff\xfe\xc0\x80", "%FF%FE%C0%80" },
};

START_TEST(url_clean_vectors)
{
	const struct url_vec *v = &url_vecs[_i];
	char out[CAPTIVE_URL_MAX + 1];

	captive_url_clean(v->in, out, sizeof(out));
	ck_assert_msg(strcmp(out, v->out) == 0, "%s: got '%s', want '%s'",
	    v->what, out, v->out);
}
END_TEST

static void
assert_printable(const char *s)
{
	for (; *s != '\0'; s++)
		ck_assert_msg((unsigned char)*s > 0x20 &&
		    (unsigned char)*s < 0x7f, "byte 0x%02x left",
		    (unsigned char)*s);
}

/* A long URL is cut at CAPTIVE_URL_MAX with a mark, whatever |cap|. */
START_TEST(url_clean_long)
{
	static char in[4096], out[2048];

	memset(in, 'a', sizeof(in) - 1);
	captive_url_clean(in, out, sizeof(out));
	ck_assert_uint_eq(strlen(out), CAPTIVE_URL_MAX);
	ck_assert_str_eq(out + CAPTIVE_URL_MAX - 3, "...");
	/* A small buffer cuts earlier, with the same mark. */
	captive_url_clean(in, out, 11);
	ck_assert_str_eq(out, "aaaaaaa...");
	/* Fits exactly: no mark. */
	in[CAPTIVE_URL_MAX] = '\0';
	captive_url_clean(in, out, sizeof(out));
	ck_assert_uint_eq(strlen(out), CAPTIVE_URL_MAX);
	ck_assert_int_eq(out[CAPTIVE_URL_MAX - 1], 'a');
}
END_TEST

/* The cut never leaves half a %XX, at any length. */
START_TEST(url_clean_no_split_escape)
{
	char in[64], out[64];
	size_t cap, len;
	int i;

	for (i = 0; i < 20; i++)
		memcpy(in + 3 * i, "\x1b" "a\xe2", 3);
	in[60] = '\0';
	for (cap = 1; cap <= sizeof(out); cap++) {
		memset(out, 'Z', sizeof(out));
		captive_url_clean(in, out, cap);
		len = strlen(out);
		ck_assert_uint_lt(len, cap);
		assert_printable(out);
		if (len >= 3 && strcmp(out + len - 3, "...") == 0)
			len -= 3;
		/* Whole units only: "%1B", "a", "%E2". */
		ck_assert_msg(len < 1 || out[len - 1] == 'a' ||
		    out[len - 1] == 'B' || out[len - 1] == '2',
		    "cap %zu: cut inside an escape: '%s'", cap, out);
		ck_assert_msg(len < 2 || out[len - 2] != '%',
		    "cap %zu: '%s'", cap, out);
	}
	captive_url_clean(in, out, 0);	/* nothing written, no crash */
}
END_TEST

/* Every byte value: printable ASCII stays, the rest is escaped. */
START_TEST(url_clean_every_byte)
{
	char in[2], out[8], want[8];
	int b;

	for (b = 1; b < 256; b++) {
		in[0] = (char)b;
		in[1] = '\0';
		captive_url_clean(in, out, sizeof(out));
		if (b > 0x20 && b < 0x7f)
			snprintf(want, sizeof(want), "%c", b);
		else
			snprintf(want, sizeof(want), "%%%02X", b);
		ck_assert_str_eq(out, want);
	}
}
END_TEST

Suite *
captive_url_suite(void)
{
	Suite *s = suite_create("captive_url");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, url_clean_vectors, 0,
	    (int)(sizeof(url_vecs) / sizeof(url_vecs[0])));
	tcase_add_test(tc, url_clean_long);
	tcase_add_test(tc, url_clean_no_split_escape);
	tcase_add_test(tc, url_clean_every_byte);
	suite_add_tcase(s, tc);
	return s;
}
