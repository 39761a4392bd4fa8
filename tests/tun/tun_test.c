/* tests/tun/tun_test.c: helpers shared by the tun/ tests. */
#include <arpa/inet.h>
#include <check.h>
#include <string.h>
#include <sys/socket.h>

#include "tests/tun/tun_test.h"

struct tun_ip
tt_ip(const char *text)
{
	struct tun_ip a;

	memset(&a, 0, sizeof(a));
	a.family = strchr(text, ':') != NULL ? AF_INET6 : AF_INET;
	ck_assert_int_eq(inet_pton(a.family, text, a.addr), 1);
	return a;
}

struct tun_split
tt_split(const char *text, uint8_t len)
{
	struct tun_split s;

	memset(&s, 0, sizeof(s));
	s.net.ip = tt_ip(text);
	s.net.len = len;
	return s;
}
