/*
 * esp/esp.h: the sans-I/O ESP engine of ikeroam (RFC 4303, tunnel mode),
 * with the UDP (RFC 3948) and TCP (RFC 9329) encapsulation codecs.
 *
 * The engine never touches a socket, never reads a clock, never calls a
 * random number generator and never allocates on the per-packet path:
 * esp_sa_new() allocates once, esp_encrypt() and esp_decrypt() work in
 * place in the caller's struct ir_pkt (common/ir_pkt.h).  Cryptography
 * goes through crypto/crypto.h (struct crypto_xform).
 *
 * One struct esp_sa protects one direction.  A Child SA is two of them:
 * an outbound SA (we encrypt, the sequence number counts up) and an
 * inbound SA (we decrypt, the anti-replay window checks).
 *
 * Returns: 0 or a negative IR_ERR_* code (common/ir_err.h).  The codes a
 * peer can cause are non-fatal: the packet was dropped and counted in the
 * SA's statistics, carry on.  IR_ERR_LIFETIME is fatal: the SA must be
 * replaced (rekeyed) before it carries more traffic.
 *
 * Ownership: arguments are borrowed for the call.
 */
#ifndef ESP_H
#define ESP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/ir_pkt.h"

/* ---- Security associations ----------------------------------------- */

/*
 * Room an outbound packet needs around the inner IP packet, at most:
 * in front the SPI, the sequence number and the IV (RFC 4303 §2), behind
 * TFC padding (asked for per packet), up to 255 octets of padding, the
 * pad length, the next header and the ICV.  With our transforms padding
 * is at most 15 octets.  Add the framing of esp_udp / esp_tcp in front.
 */
#define ESP_HDR_LEN		8		/* SPI | sequence number */
#define ESP_HEADROOM		(ESP_HDR_LEN + 16)
#define ESP_TAILROOM		(15 + 2 + 32)

#define ESP_NH_IPV4		4
#define ESP_NH_IPV6		41
#define ESP_NH_NONE		59		/* dummy packet, RFC 4303 §2.6 */

/* The anti-replay window, in packets (RFC 4303 §3.4.3, Appendix A). */
#define ESP_REPLAY_WINDOW	1024		/* default */
#define ESP_REPLAY_WINDOW_MAX	4096

struct esp_sa;					/* opaque */

/* A lifetime limit; 0 means none. */
struct esp_limit {
	uint64_t	packets;
	uint64_t	bytes;			/* inner IP packet octets */
};

/* Fills |buf| with |len| random octets (CBC IVs).  Never fails. */
typedef void (*esp_random_fn)(void *ud, uint8_t *buf, size_t len);

struct esp_sa_conf {
	uint32_t	 spi;			/* host order, never 0 */
	bool		 outbound;		/* we encrypt (true) or decrypt */
	bool		 esn;			/* extended sequence numbers */
	uint16_t	 encr;			/* enum crypto_encr_id */
	uint16_t	 key_bits;		/* Key Length attribute; 0: ChaCha */
	uint16_t	 integ;			/* enum crypto_integ_id; 0 for AEAD */
	const uint8_t	*encr_key;		/* from KEYMAT, salt included */
	size_t		 encr_key_len;
	const uint8_t	*integ_key;
	size_t		 integ_key_len;
	uint32_t	 replay_window;		/* inbound; 0: ESP_REPLAY_WINDOW */
	struct esp_limit soft;			/* rekey from here on */
	struct esp_limit hard;			/* refuse from here on */
	/*
	 * Outbound CBC only: the source of the random IVs (RFC 3602 §3).
	 * The AEADs use the 64-bit sequence number as their explicit IV
	 * (RFC 4106 §3.1, RFC 7634 §2: unique per key is all they need),
	 * XORed with |iv_mask| (0 unless the caller wants the IVs not to
	 * show the counter, as the Linux kernel's seqiv and strongSwan do).
	 */
	esp_random_fn	 random;
	void		*random_ud;
	uint64_t	 iv_mask;
};

/* Everything an SA has counted.  Drops never count in packets/bytes. */
struct esp_sa_stats {
	uint64_t	packets;		/* protected or accepted */
	uint64_t	bytes;			/* their inner octets */
	uint64_t	seq;			/* last sent / highest accepted */
	uint64_t	drop_malformed;		/* too short, bad length, bad IP */
	uint64_t	drop_spi;		/* SPI not this SA's */
	uint64_t	drop_replay;		/* replayed or left of the window */
	uint64_t	drop_decrypt;		/* ICV did not verify */
	uint64_t	drop_pad;		/* bad pad bytes or pad length */
	uint64_t	drop_proto;		/* next header not 4, 41 or 59 */
	uint64_t	drop_dummy;		/* next header 59 (§2.6) */
	uint64_t	drop_nobuf;		/* headroom or tailroom too small */
	uint64_t	drop_lifetime;		/* hard limit or counter exhausted */
};

enum esp_life {
	ESP_LIFE_OK = 0,
	ESP_LIFE_SOFT = 1,			/* rekey now */
	ESP_LIFE_HARD = 2,			/* no more traffic */
};

/*
 * A new SA from |conf|, which is copied; the keys go into a crypto_xform
 * and are wiped with it by esp_sa_free().  IR_ERR_CONFIG for an SPI of 0,
 * a window out of range or outbound CBC without |random|;
 * IR_ERR_UNSUPPORTED for a transform we do not have; IR_ERR_NOMEM.
 */
int	esp_sa_new(struct esp_sa **out, const struct esp_sa_conf *conf);
void	esp_sa_free(struct esp_sa *sa);			/* NULL is fine */

uint32_t esp_sa_spi(const struct esp_sa *sa);
void	esp_sa_get_stats(const struct esp_sa *sa, struct esp_sa_stats *out);

/*
 * Where the SA stands against its soft and hard limits (packets, bytes,
 * and the sequence number space: 2^32 - 1 without ESN, RFC 4303 §3.3.3).
 * src/ polls it after a burst and starts a rekey at ESP_LIFE_SOFT.
 */
enum esp_life esp_sa_lifetime(const struct esp_sa *sa);

/* The SPI of an ESP packet (to find its SA); IR_ERR_MALFORMED if short. */
int	esp_pkt_spi(const uint8_t *p, size_t len, uint32_t *spi);

/* ---- Encrypt and decrypt (RFC 4303 §3.3, §3.4) ---------------------- */

/*
 * Protect the inner IP packet at pkt->data in place: push the ESP header
 * and IV into the headroom, append |tfc_pad| zero octets of TFC padding
 * (RFC 4303 §2.7), the padding 1, 2, 3, ... to the cipher block and to 4
 * octets (§2.4), pad length, next header and ICV into the tailroom.  The
 * next header is 4 or 41 from the IP version; an empty packet becomes a
 * dummy packet (next header 59, §2.6) of |tfc_pad| octets.
 * On success pkt->data..len is the ESP packet (SPI .. ICV).
 * Errors leave |pkt| as it was and consume no sequence number:
 *   IR_ERR_NOBUF      too little headroom or tailroom
 *   IR_ERR_MALFORMED  not an IPv4 or IPv6 packet
 *   IR_ERR_LIFETIME   hard limit or sequence numbers exhausted (fatal)
 *   IR_ERR_CONFIG     called on an inbound SA (fatal)
 *   IR_ERR_CRYPTO     the cipher failed (fatal)
 */
int	esp_encrypt(struct esp_sa *sa, struct ir_pkt *pkt, size_t tfc_pad);

/*
 * Verify and decrypt the ESP packet at pkt->data in place.  On success
 * pkt->data..len is the inner IP packet, trimmed to the length in its own
 * header (which removes TFC padding).  The order follows RFC 4303 §3.4:
 * the anti-replay pre-check, then the ICV, and only after the ICV
 * verified does the window move (§3.4.3), so forged packets cannot move
 * it.  With ESN the high 32 bits are inferred from the window (Appendix
 * A2.2) and authenticated by the ICV.
 * All of these are non-fatal (count, drop, continue):
 *   IR_ERR_MALFORMED  too short, not block aligned, bad inner IP header,
 *                     or a bad trailer (pad bytes not 1, 2, 3, ... or a
 *                     pad length beyond the payload, §2.4)
 *   IR_ERR_NOT_FOUND  the SPI is not this SA's
 *   IR_ERR_REPLAY     seen already, or left of the window
 *   IR_ERR_DECRYPT    the ICV did not verify
 *   IR_ERR_DUMMY      an authentic dummy packet (next header 59): drop it
 *                     silently; the window has moved
 *   IR_ERR_UNSUPPORTED an authentic packet with another next header
 * Fatal: IR_ERR_LIFETIME (hard limit), IR_ERR_CONFIG (an outbound SA).
 * On error the contents of |pkt| are unspecified (decrypted in part).
 */
int	esp_decrypt(struct esp_sa *sa, struct ir_pkt *pkt);

/* ---- The anti-replay window (RFC 4303 §3.4.3, Appendix A) ----------- */

/*
 * A bitmap of the last |size| sequence numbers below and including |top|,
 * kept as a ring of 64-bit words (RFC 6479) so that sliding never shifts.
 * Embedded in the inbound SA; public so that it can be tested alone.
 */
#define ESP_REPLAY_WORDS	(ESP_REPLAY_WINDOW_MAX / 64 + 1)

struct esp_replay {
	uint64_t	top;			/* highest authentic seq, 0: none */
	uint32_t	size;			/* window width W */
	bool		esn;
	uint64_t	bits[ESP_REPLAY_WORDS];
};

/* IR_ERR_CONFIG unless 32 <= |size| <= ESP_REPLAY_WINDOW_MAX. */
int	esp_replay_init(struct esp_replay *r, uint32_t size, bool esn);

/*
 * The cheap pre-check, before the ICV: from the 32 low bits on the wire
 * infer the full sequence number (the high bits with ESN, Appendix A2.2)
 * into |*seq|, and say whether it may be new.  Changes nothing.
 * IR_ERR_REPLAY: seen already, left of the window, or 0.
 */
int	esp_replay_check(const struct esp_replay *r, uint32_t seq_lo,
	    uint64_t *seq);

/*
 * Record |seq| (from esp_replay_check) once its ICV verified: slide the
 * window if it is ahead and mark it.  Checks again (Appendix A3) and
 * returns IR_ERR_REPLAY if it was recorded since.
 */
int	esp_replay_update(struct esp_replay *r, uint64_t seq);

/* ---- ESP in UDP, RFC 3948 --------------------------------------------- */

enum esp_udp_kind {
	ESP_UDP_KEEPALIVE = 1,			/* one 0xFF octet, §2.3 */
	ESP_UDP_IKE = 2,			/* four zero octets, then IKE */
	ESP_UDP_ESP = 3,			/* SPI != 0, §2.1 */
};

#define ESP_UDP_MARKER_LEN	4		/* the non-ESP marker */
#define ESP_UDP_KEEPALIVE_BYTE	0xff

/*
 * Classify a UDP/4500 payload.  Pure.  IR_ERR_MALFORMED for anything
 * else: empty, a single octet other than 0xFF, an IKE message shorter
 * than its 28-octet header, an ESP packet shorter than SPI + sequence.
 * For ESP_UDP_IKE the IKE message starts ESP_UDP_MARKER_LEN octets in.
 */
int	esp_udp_classify(const uint8_t *p, size_t len, enum esp_udp_kind *kind);

/* The NAT-keepalive payload (one octet) into |out|; IR_ERR_NOBUF. */
int	esp_udp_keepalive(uint8_t *out, size_t cap, size_t *len);

/* Push the non-ESP marker in front of an IKE message; IR_ERR_NOBUF. */
int	esp_udp_push_marker(struct ir_pkt *pkt);

/* ---- ESP and IKE in TCP, RFC 9329 ------------------------------------- */

#define ESP_TCP_PREFIX		"IKETCP"	/* §3: the originator, once */
#define ESP_TCP_PREFIX_LEN	6
#define ESP_TCP_LEN_LEN		2		/* Length counts itself */
#define ESP_TCP_FRAME_MAX	65535		/* Length field included */

enum esp_tcp_kind {
	ESP_TCP_IKE = 1,			/* 4 zero octets + IKE */
	ESP_TCP_ESP = 2,			/* an ESP packet */
	ESP_TCP_KEEPALIVE = 3,			/* one 0xFF octet: drop it */
};

/*
 * The incremental deframer of one TCP stream.  It accepts any split of
 * the stream (byte by byte too) and buffers at most one frame, in |buf|.
 * Embedded by its owner: about 64 KiB.
 */
struct esp_tcp_rd {
	uint8_t		prefix_left;		/* octets of IKETCP to come */
	bool		broken;			/* sticky: close the stream */
	size_t		have;			/* octets of this frame in buf */
	size_t		frame_len;		/* its Length field, 0: unknown */
	uint8_t		buf[ESP_TCP_FRAME_MAX];
};

/*
 * |expect_prefix|: the stream starts with IKETCP (the responder's side of
 * the connection; we are always the originator, so ikeroam passes false).
 */
void	esp_tcp_rd_init(struct esp_tcp_rd *d, bool expect_prefix);

/*
 * Consume stream octets from |*in| (|*n| of them; both are advanced) until
 * one frame is complete.  Then |*frame| and |*len| give its contents: the
 * IKE message without the marker (ESP_TCP_IKE) or the ESP packet
 * (ESP_TCP_ESP), and |*kind| says which.  The frame points into |d| or
 * into the input; it is valid until the next call or until the input is
 * reused.  Call again while |*n| > 0.
 * Returns 0 with |*len| == 0 when all input was consumed without
 * completing a frame, or IR_ERR_MALFORMED, sticky, when the stream cannot
 * be parsed (a wrong prefix, a Length below 3, an IKE frame too short for
 * the marker and an IKE header, an ESP frame shorter than SPI and
 * sequence number): close the connection (RFC 9329 §3).
 * A frame holding only the NAT-keepalive octet 0xFF (RFC 3948 §2.3),
 * which some peers send over TCP too, comes out as ESP_TCP_KEEPALIVE
 * with |*len| == 1: the caller drops it, as Linux's espintcp does.
 */
int	esp_tcp_next(struct esp_tcp_rd *d, const uint8_t **in, size_t *n,
	    const uint8_t **frame, size_t *len, enum esp_tcp_kind *kind);

/*
 * Sender side.  esp_tcp_push_frame() pushes the Length (and for IKE the
 * marker) into the headroom in front of an ESP packet or IKE message;
 * esp_tcp_frame_hdr() writes the same octets to |out| for a gathered
 * write.  IR_ERR_NOBUF: no room, or the frame would exceed 65535 octets.
 */
int	esp_tcp_push_frame(struct ir_pkt *pkt, enum esp_tcp_kind kind);
int	esp_tcp_frame_hdr(enum esp_tcp_kind kind, size_t payload_len,
	    uint8_t *out, size_t cap, size_t *hdr_len);

#endif
