/* src/tcp_sniff.c: what answered on the gateway's TCP port (tcp_sniff.h). */
#include <string.h>

#include "src/tcp_sniff.h"

/* |p| starts with |lit|, or with as much of it as there is. */
static int
prefix_of(const uint8_t *p, size_t n, const char *lit, int *whole)
{
	size_t len = strlen(lit);

	*whole = n >= len;
	return memcmp(p, lit, n < len ? n : len) == 0;
}

/* RFC 8446 §5.1: type 21 (alert) or 22 (handshake), version 3.x. */
static int
tls_record(const uint8_t *p, size_t n, int *whole)
{
	*whole = n >= 3;
	if (n >= 1 && p[0] != 21 && p[0] != 22)
		return 0;
	if (n >= 2 && p[1] != 3)
		return 0;
	return n < 3 || p[2] <= 4;
}

enum tcp_sniff
tcp_sniff(const uint8_t *p, size_t n, int eof)
{
	int whole;
	uint16_t len;

	/* The frame first: Length >= 2 + 4 + 28 (IKE header), marker 0. */
	if (n >= 6) {
		len = (uint16_t)(p[0] << 8 | p[1]);
		if (len >= 34 && memcmp(p + 2, "\0\0\0\0", 4) == 0)
			return TCP_SNIFF_RFC9329;
	} else if (!eof) {
		return TCP_SNIFF_MORE;
	}
	if (n == 0)
		return TCP_SNIFF_OTHER;
	if (prefix_of(p, n, "HTTP/", &whole) && whole)
		return TCP_SNIFF_HTTP;
	if (prefix_of(p, n, "SSH-", &whole) && whole)
		return TCP_SNIFF_SSH;
	if (tls_record(p, n, &whole) && whole)
		return TCP_SNIFF_TLS;
	return TCP_SNIFF_OTHER;
}

const char *
tcp_sniff_name(enum tcp_sniff s)
{
	switch (s) {
	case TCP_SNIFF_RFC9329:
		return "RFC 9329";
	case TCP_SNIFF_HTTP:
		return "HTTP (a web server)";
	case TCP_SNIFF_TLS:
		return "TLS (a TLS server)";
	case TCP_SNIFF_SSH:
		return "SSH";
	case TCP_SNIFF_MORE:
	case TCP_SNIFF_OTHER:
		break;
	}
	return "data";
}
