/*
 * esp/esp_tcp.c: TCP encapsulation of IKE and ESP, RFC 9329 (which
 * obsoletes RFC 8229 with the same wire format).
 *
 * The TCP Originator first sends the stream prefix, once (§4):
 *
 *	+---+---+---+---+---+---+
 *	| I | K | E | T | C | P |
 *	+---+---+---+---+---+---+
 *
 * Then both directions carry frames (§3):
 *
 *   IKE:  +---------------+-------------------------------+-------------
 *         |  Length (16)  |  Non-ESP Marker (0x00000000)  | IKE header ...
 *         +---------------+-------------------------------+-------------
 *   ESP:  +---------------+-------------------------------+-------------
 *         |  Length (16)  |  SPI (never 0)                | Seq, IV ...
 *         +---------------+-------------------------------+-------------
 *
 * Length counts itself, so a frame is 3 .. 65535 octets.  A stream that
 * does not parse cannot be resynchronised: the connection is closed.
 *
 * The deframer accepts any split of the stream.  When a whole frame sits
 * in the input it hands out a view of the input (no copy); otherwise it
 * collects exactly one frame in its own fixed buffer.
 */
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "common/wire.h"
#include "esp/esp.h"

#define IKE_HDR_LEN	28		/* RFC 7296 §3.1 */
#define TCP_MARKER_LEN	4

void
esp_tcp_rd_init(struct esp_tcp_rd *d, bool expect_prefix)
{
	d->prefix_left = expect_prefix ? ESP_TCP_PREFIX_LEN : 0;
	d->broken = false;
	d->have = 0;
	d->frame_len = 0;
}

/*
 * The smallest frame: Length and an ESP header (SPI, sequence number).
 * An IKE frame is longer still (marker and IKE header); a Length below 3
 * cannot even hold one octet.
 */
#define TCP_FRAME_MIN	(ESP_TCP_LEN_LEN + ESP_HDR_LEN)

/* Length + the one octet of a NAT-keepalive (RFC 3948 §2.3). */
#define TCP_KEEPALIVE_LEN	(ESP_TCP_LEN_LEN + 1)
#define NAT_KEEPALIVE		0xff

/* Too short for any frame, except a NAT-keepalive's Length of 3. */
static bool
esp_tcp_len_bad(size_t flen)
{
	return flen < TCP_FRAME_MIN && flen != TCP_KEEPALIVE_LEN;
}

/* Classify one complete frame of |flen| octets (Length included). */
static int
esp_tcp_classify(const uint8_t *f, size_t flen, const uint8_t **frame,
    size_t *len, enum esp_tcp_kind *kind)
{
	const uint8_t *body = f + ESP_TCP_LEN_LEN;
	size_t blen = flen - ESP_TCP_LEN_LEN;

	if (blen == 1) {
		if (body[0] != NAT_KEEPALIVE)
			return IR_ERR_MALFORMED;
		*kind = ESP_TCP_KEEPALIVE;
		*frame = body;
		*len = blen;
		return 0;
	}
	if (blen >= TCP_MARKER_LEN && wire_get_u32(body) == 0) {
		if (blen < TCP_MARKER_LEN + IKE_HDR_LEN)
			return IR_ERR_MALFORMED;
		*kind = ESP_TCP_IKE;
		*frame = body + TCP_MARKER_LEN;
		*len = blen - TCP_MARKER_LEN;
		return 0;
	}
	if (blen < ESP_HDR_LEN)
		return IR_ERR_MALFORMED;
	*kind = ESP_TCP_ESP;
	*frame = body;
	*len = blen;
	return 0;
}

static void
esp_tcp_advance(const uint8_t **in, size_t *n, size_t k)
{
	*in += k;
	*n -= k;
}

/* Match the IKETCP prefix octet by octet (RFC 9329 §4). */
static int
esp_tcp_prefix(struct esp_tcp_rd *d, const uint8_t **in, size_t *n)
{
	static const char prefix[] = ESP_TCP_PREFIX;
	size_t at;

	while (d->prefix_left > 0 && *n > 0) {
		at = ESP_TCP_PREFIX_LEN - d->prefix_left;
		if (**in != (uint8_t)prefix[at])
			return IR_ERR_MALFORMED;
		esp_tcp_advance(in, n, 1);
		d->prefix_left--;
	}
	return 0;
}

/* Collect stream octets into d->buf; true once a frame is complete. */
static int
esp_tcp_collect(struct esp_tcp_rd *d, const uint8_t **in, size_t *n,
    bool *done)
{
	size_t want, take;

	*done = false;
	while (*n > 0) {
		want = d->frame_len != 0 ? d->frame_len : ESP_TCP_LEN_LEN;
		take = IR_MIN(want - d->have, *n);
		memcpy(d->buf + d->have, *in, take);
		esp_tcp_advance(in, n, take);
		d->have += take;
		if (d->frame_len == 0 && d->have == ESP_TCP_LEN_LEN) {
			d->frame_len = wire_get_u16(d->buf);
			if (esp_tcp_len_bad(d->frame_len))
				return IR_ERR_MALFORMED;
		}
		if (d->frame_len != 0 && d->have == d->frame_len) {
			*done = true;
			return 0;
		}
	}
	return 0;
}

int
esp_tcp_next(struct esp_tcp_rd *d, const uint8_t **in, size_t *n,
    const uint8_t **frame, size_t *len, enum esp_tcp_kind *kind)
{
	size_t flen;
	bool done;
	int rv;

	*frame = NULL;
	*len = 0;
	if (d->broken)
		return IR_ERR_MALFORMED;
	if ((rv = esp_tcp_prefix(d, in, n)) != 0)
		goto broken;

	/* The fast path: nothing buffered and the whole frame at hand. */
	if (d->prefix_left == 0 && d->have == 0 && *n >= ESP_TCP_LEN_LEN) {
		flen = wire_get_u16(*in);
		if (esp_tcp_len_bad(flen)) {
			rv = IR_ERR_MALFORMED;
			goto broken;
		}
		if (*n >= flen) {
			if ((rv = esp_tcp_classify(*in, flen, frame, len,
			    kind)) != 0)
				goto broken;
			esp_tcp_advance(in, n, flen);
			return 0;
		}
	}

	if ((rv = esp_tcp_collect(d, in, n, &done)) != 0)
		goto broken;
	if (!done)
		return 0;
	flen = d->frame_len;
	d->have = 0;
	d->frame_len = 0;
	if ((rv = esp_tcp_classify(d->buf, flen, frame, len, kind)) != 0)
		goto broken;
	return 0;
broken:
	d->broken = true;
	*frame = NULL;
	*len = 0;
	return rv;
}

int
esp_tcp_frame_hdr(enum esp_tcp_kind kind, size_t payload_len, uint8_t *out,
    size_t cap, size_t *hdr_len)
{
	size_t h = ESP_TCP_LEN_LEN + (kind == ESP_TCP_IKE ? TCP_MARKER_LEN : 0);

	if (cap < h || payload_len > ESP_TCP_FRAME_MAX - h)
		return IR_ERR_NOBUF;
	wire_put_u16(out, (uint16_t)(h + payload_len));
	if (kind == ESP_TCP_IKE)
		wire_put_u32(out + ESP_TCP_LEN_LEN, 0);
	*hdr_len = h;
	return 0;
}

int
esp_tcp_push_frame(struct ir_pkt *pkt, enum esp_tcp_kind kind)
{
	uint8_t hdr[ESP_TCP_LEN_LEN + TCP_MARKER_LEN], *p;
	size_t h;
	int rv;

	if ((rv = esp_tcp_frame_hdr(kind, pkt->len, hdr, sizeof(hdr), &h)) != 0)
		return rv;
	if ((rv = ir_pkt_push(pkt, h, &p)) != 0)
		return rv;
	memcpy(p, hdr, h);
	return 0;
}
