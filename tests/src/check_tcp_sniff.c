/* tests/src/check_tcp_sniff.c: what answered on TCP 4500 (RFC 9329 §3). */
#include <check.h>
#include <string.h>

#include "src/tcp_sniff.h"

static const struct sniff_vec {
	const char	*what;
	const char	*bytes;
	size_t		 len;
	int		 eof;
	enum tcp_sniff	 want;
} sniff_vecs[] = {
	{ "IKE_SA_INIT response frame", "\x01\x2c\0\0\0\0\x11\x22", 8, 0,
	  TCP_SNIFF_RFC9329 },
	{ "frame, exactly 6 octets", "\0\x22\0\0\0\0", 6, 0,
	  TCP_SNIFF_RFC9329 },
	{ "Length too short for IKE", "\0\x21\0\0\0\0", 6, 0,
	  TCP_SNIFF_OTHER },
	{ "ESP before IKE (SPI not zero)", "\0\x60\x12\x34\x56\x78", 6, 0,
	  TCP_SNIFF_OTHER },
	{ "HTTP error page", "HTTP/1.1 400 Bad Request\r\n", 26, 0,
	  TCP_SNIFF_HTTP },
	{ "TLS alert (plaintext to a TLS port)", "\x15\x03\x03\0\x02\x02\x46",
	  7, 0, TCP_SNIFF_TLS },
	{ "TLS ServerHello", "\x16\x03\x03\0\x7a\x02\0\0", 8, 0,
	  TCP_SNIFF_TLS },
	{ "SSH banner", "SSH-2.0-OpenSSH_9.2\r\n", 21, 0, TCP_SNIFF_SSH },
	{ "random octets", "\x8f\x13\xa0\x7e\x55\x01\x02", 7, 0,
	  TCP_SNIFF_OTHER },
	{ "3 octets: wait", "HTT", 3, 0, TCP_SNIFF_MORE },
	{ "3 octets then FIN", "HTT", 3, 1, TCP_SNIFF_OTHER },
	{ "TLS header cut by FIN", "\x15\x03\x01", 3, 1, TCP_SNIFF_TLS },
	{ "nothing, stream open", "", 0, 0, TCP_SNIFF_MORE },
	{ "nothing, FIN", "", 0, 1, TCP_SNIFF_OTHER },
	{ "frame header cut by FIN", "\x01\x2c\0\0", 4, 1, TCP_SNIFF_OTHER },
};

START_TEST(sniff_vectors)
{
	const struct sniff_vec *v = &sniff_vecs[_i];

	ck_assert_msg(tcp_sniff((const uint8_t *)v->bytes, v->len, v->eof) ==
	    v->want, "%s: got %d, want %d", v->what,
	    tcp_sniff((const uint8_t *)v->bytes, v->len, v->eof), v->want);
}
END_TEST

/* A verdict once taken does not change with more octets. */
START_TEST(sniff_prefix_stable)
{
	const char *http = "HTTP/1.0 200 OK\r\n";
	size_t n;

	for (n = 0; n < 6; n++)
		ck_assert_int_eq(tcp_sniff((const uint8_t *)http, n, 0),
		    TCP_SNIFF_MORE);
	for (n = 6; n <= strlen(http); n++)
		ck_assert_int_eq(tcp_sniff((const uint8_t *)http, n, 0),
		    TCP_SNIFF_HTTP);
	ck_assert_str_eq(tcp_sniff_name(TCP_SNIFF_HTTP), "HTTP (a web server)");
	ck_assert_ptr_nonnull(tcp_sniff_name(TCP_SNIFF_OTHER));
}
END_TEST

Suite *
tcp_sniff_suite(void)
{
	Suite *s = suite_create("tcp_sniff");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, sniff_vectors, 0,
	    (int)(sizeof(sniff_vecs) / sizeof(sniff_vecs[0])));
	tcase_add_test(tc, sniff_prefix_stable);
	suite_add_tcase(s, tc);
	return s;
}
