/*
 * ike/ike_pld_notify.c: Notify (RFC 7296 §3.10), Delete (§3.11), Vendor
 * ID (§3.12), and the header of the Encrypted Fragment payload (RFC 7383
 * §2.5).
 *
 * Notify: |  Protocol ID  |   SPI Size    |      Notify Message Type      |
 *         ~                Security Parameter Index (SPI)                 ~
 *         ~                       Notification Data                       ~
 * Delete: | Protocol ID   |   SPI Size    |          Num of SPIs          |
 *         ~               Security Parameter Index(es) (SPI)              ~
 * Vendor: ~                        Vendor ID (VID)                        ~
 * SKF:    |        Fragment Number        |        Total Fragments        |
 *         |                   Initialization Vector                       |
 *         ~                 Encrypted content ... ICV                     ~
 */
#include "common/ir_err.h"
#include "ike/ike_pld.h"

#define BAD(s)		do { *why = (s); return IR_ERR_MALFORMED; } while (0)

int
ike_pld_notify_parse(struct wire_rd body, struct ike_pld_notify *n,
    const char **why)
{
	uint8_t spi_size;

	if (!wire_rd_u8(&body, &n->proto) || !wire_rd_u8(&body, &spi_size) ||
	    !wire_rd_u16(&body, &n->type))
		BAD("N: shorter than 4 octets");
	if (!wire_rd_bytes(&body, spi_size, &n->spi.p))
		BAD("N: SPI overruns the payload");
	n->spi.len = spi_size;
	n->data.p = body.p;
	n->data.len = body.left;
	return 0;
}

int
ike_pld_notify_u16(const struct ike_pld_notify *n, uint16_t *v)
{
	if (n->data.len != 2)
		return IR_ERR_MALFORMED;
	*v = wire_get_u16(n->data.p);
	return 0;
}

/*
 * §3.11.  The SPI count is checked by division before anything is read
 * (STYLE.md): the rest must be exactly |nspi| SPIs of |spi_size| octets,
 * and deleting the IKE SA means SPI Size 0 with no SPI at all.
 */
int
ike_pld_delete_parse(struct wire_rd body, struct ike_pld_delete *d,
    const char **why)
{
	if (!wire_rd_u8(&body, &d->proto) || !wire_rd_u8(&body, &d->spi_size) ||
	    !wire_rd_u16(&body, &d->nspi))
		BAD("D: shorter than 4 octets");
	if (d->spi_size == 0) {
		if (d->nspi != 0 || body.left != 0)
			BAD("D: SPIs with SPI Size 0");
	} else if (body.left % d->spi_size != 0 ||
	    body.left / d->spi_size != d->nspi)
		BAD("D: Num of SPIs does not match the payload length");
	/* §3.11: SPI Size is 0 for IKE and 4 for AH and ESP. */
	if (d->proto == IKE_PROTO_IKE && d->spi_size != 0)
		BAD("D: IKE SA with an SPI");
	if ((d->proto == IKE_PROTO_AH || d->proto == IKE_PROTO_ESP) &&
	    d->spi_size != 4)
		BAD("D: AH/ESP SPI size not 4");
	d->spis.p = body.p;
	d->spis.len = body.left;
	return 0;
}

int
ike_pld_vendor_parse(struct wire_rd body, struct ike_span *vid,
    const char **why)
{
	if (body.left == 0)
		BAD("V: empty Vendor ID");
	vid->p = body.p;
	vid->len = body.left;
	return 0;
}

/* RFC 7383 §2.5: 1 <= Fragment Number <= Total Fragments. */
int
ike_pld_skf_parse(struct wire_rd body, struct ike_pld_skf *skf,
    const char **why)
{
	if (!wire_rd_u16(&body, &skf->num) || !wire_rd_u16(&body, &skf->total))
		BAD("SKF: shorter than 4 octets");
	if (skf->num == 0 || skf->total == 0 || skf->num > skf->total)
		BAD("SKF: bad Fragment Number or Total Fragments");
	skf->body.p = body.p;
	skf->body.len = body.left;
	return 0;
}

/* ---- Building ------------------------------------------------------- */

int
ike_pld_notify_build(struct ike_msg_wr *mw, uint8_t proto, uint16_t type,
    const uint8_t *spi, size_t spi_len, const uint8_t *data, size_t len)
{
	size_t start;

	if (spi_len > 255)
		return IR_ERR_MALFORMED;
	start = ike_pld_begin(mw, IKE_PLD_NOTIFY);
	wire_wr_u8(mw->w, proto);
	wire_wr_u8(mw->w, (uint8_t)spi_len);
	wire_wr_u16(mw->w, type);
	wire_wr_bytes(mw->w, spi, spi_len);
	wire_wr_bytes(mw->w, data, len);
	return ike_pld_end(mw, start);
}

int
ike_pld_delete_build(struct ike_msg_wr *mw, uint8_t proto, uint8_t spi_size,
    uint16_t nspi, const uint8_t *spis)
{
	size_t start;

	if (spi_size == 0 && nspi != 0)
		return IR_ERR_MALFORMED;
	start = ike_pld_begin(mw, IKE_PLD_DELETE);
	wire_wr_u8(mw->w, proto);
	wire_wr_u8(mw->w, spi_size);
	wire_wr_u16(mw->w, nspi);
	wire_wr_bytes(mw->w, spis, (size_t)spi_size * nspi);
	return ike_pld_end(mw, start);
}

int
ike_pld_vendor_build(struct ike_msg_wr *mw, const uint8_t *vid, size_t len)
{
	size_t start = ike_pld_begin(mw, IKE_PLD_VENDOR);

	wire_wr_bytes(mw->w, vid, len);
	return ike_pld_end(mw, start);
}
