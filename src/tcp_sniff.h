/*
 * src/tcp_sniff.h: what answered on the gateway's TCP port, from the
 * first octets it sent (pure; src/tcp_sniff.c).
 *
 * RFC 9329 §3: the responder's first bytes are a frame, a 16-bit Length
 * that counts itself, then the four-octet non-ESP marker (zero) and the
 * IKE_SA_INIT response; ESP cannot come before IKE.  Anything else is
 * another service on the port (a web server, a TLS front, SSH), and the
 * user gets told which instead of "no answer".
 */
#ifndef IR_SRC_TCP_SNIFF_H
#define IR_SRC_TCP_SNIFF_H

#include <stddef.h>
#include <stdint.h>

#define TCP_SNIFF_LEN	8	/* octets that decide */

enum tcp_sniff {
	TCP_SNIFF_MORE,		/* too few octets to tell */
	TCP_SNIFF_RFC9329,	/* Length, then the non-ESP marker */
	TCP_SNIFF_HTTP,		/* "HTTP/" */
	TCP_SNIFF_TLS,		/* a TLS record: handshake or alert */
	TCP_SNIFF_SSH,		/* "SSH-" */
	TCP_SNIFF_OTHER,	/* none of these */
};

/*
 * Classify the first |n| octets the gateway sent.  |eof|: the stream
 * ended there, so TCP_SNIFF_MORE becomes a verdict on what there is.
 */
enum tcp_sniff	tcp_sniff(const uint8_t *p, size_t n, int eof);

/* "HTTP (a web server)", "TLS (a TLS server)", "data"...: for the
 * user's line "answered TCP 4500 with %s, not RFC 9329". */
const char	*tcp_sniff_name(enum tcp_sniff s);

#endif
