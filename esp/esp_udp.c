/*
 * esp/esp_udp.c: UDP encapsulation of ESP and IKE on port 4500, RFC 3948.
 *
 * One UDP port carries three things, told apart by their first octets:
 *
 *   NAT-keepalive (§2.3):  +------+
 *                          | 0xFF |          one octet, ignored
 *                          +------+
 *   IKE (§2.2):            +--------------------+-------------------+
 *                          | 0x00000000 marker  | IKE header (28) ...
 *                          +--------------------+-------------------+
 *   ESP (§2.1):            +--------------------+-------------------+
 *                          | SPI (never 0)      | Sequence Number ...
 *                          +--------------------+-------------------+
 *
 * The SPI 0 is reserved (RFC 4303 §2.1), which is what makes the
 * non-ESP marker unambiguous.  Pure functions: no state, no I/O.
 */
#include "common/ir_err.h"
#include "common/wire.h"
#include "esp/esp.h"

#define IKE_HDR_LEN	28		/* RFC 7296 §3.1 */

int
esp_udp_classify(const uint8_t *p, size_t len, enum esp_udp_kind *kind)
{
	if (len == 1 && p[0] == ESP_UDP_KEEPALIVE_BYTE) {
		*kind = ESP_UDP_KEEPALIVE;
		return 0;
	}
	if (len >= ESP_UDP_MARKER_LEN && wire_get_u32(p) == 0) {
		if (len < ESP_UDP_MARKER_LEN + IKE_HDR_LEN)
			return IR_ERR_MALFORMED;
		*kind = ESP_UDP_IKE;
		return 0;
	}
	if (len < ESP_HDR_LEN)
		return IR_ERR_MALFORMED;
	*kind = ESP_UDP_ESP;
	return 0;
}

int
esp_udp_keepalive(uint8_t *out, size_t cap, size_t *len)
{
	if (cap < 1)
		return IR_ERR_NOBUF;
	out[0] = ESP_UDP_KEEPALIVE_BYTE;
	*len = 1;
	return 0;
}

int
esp_udp_push_marker(struct ir_pkt *pkt)
{
	uint8_t *m;
	int rv;

	if ((rv = ir_pkt_push(pkt, ESP_UDP_MARKER_LEN, &m)) != 0)
		return rv;
	wire_put_u32(m, 0);
	return 0;
}
