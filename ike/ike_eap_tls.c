/*
 * ike/ike_eap_tls.c: EAP-TLS as the peer, RFC 5216 (TLS 1.2) and RFC
 * 9190 (TLS 1.3), inside IKE_AUTH (RFC 7296 §2.16).  The TLS itself is
 * crypto/crypto_eaptls.c; this file is the EAP framing around it.
 *
 * An EAP-TLS packet after the EAP header and Type 13 (RFC 5216 §3.1):
 *   | Flags | [TLS Message Length (4), when L] | TLS data ...
 *   Flags: L (0x80) length included, M (0x40) more fragments,
 *          S (0x20) EAP-TLS Start; the rest reserved (ignored).
 *
 *   <-- Request  S                      (Start)
 *   --> Response ClientHello
 *   <-- Request  L M ServerHello...     (first fragment of a flight)
 *   --> Response (no data)              (ACK: send the next fragment)
 *   <-- Request  ...rest of the flight
 *   --> Response L M Certificate...     (our flight, fragmented alike;
 *   <-- Request  (no data)               the gateway ACKs each piece)
 *   --> Response ...
 *   <-- Request  Finished [+ 0x00 application data, TLS 1.3]
 *   --> Response (no data)
 *   <-- Success
 *
 * TLS data goes straight into the TLS input as fragments arrive (the
 * records are a byte stream); only their number and length are kept to
 * bound a flight.  Our flight stays in the TLS output until the gateway
 * asks for each fragment.  Nothing here allocates: the TLS object is
 * made once, at the Start.
 */
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "ike/ike_int.h"

#define EAP_TYPE_TLS	13

int
ike_eaptls_parse(const uint8_t *p, size_t len, struct ike_eaptls_frag *f)
{
	struct wire_rd r;

	wire_rd_init(&r, p, len);
	memset(f, 0, sizeof(*f));
	if (!wire_rd_u8(&r, &f->flags))
		return IR_ERR_MALFORMED;
	if (f->flags & IKE_EAPTLS_F_LEN) {
		if (!wire_rd_u32(&r, &f->tls_len))
			return IR_ERR_MALFORMED;
		f->has_len = true;
		/* RFC 5216 §3.1: the length of the whole TLS message (or
		 * flight); larger than anything a handshake needs is a
		 * gateway we do not follow. */
		if (f->tls_len > IKE_EAPTLS_MSG_MAX || f->tls_len < r.left)
			return IR_ERR_MALFORMED;
	}
	f->data.p = r.p;
	f->data.len = r.left;
	return 0;
}

int
ike_eaptls_rx_add(struct ike_eaptls_rx *rx, const struct ike_eaptls_frag *f,
    bool *complete)
{
	bool more = (f->flags & IKE_EAPTLS_F_MORE) != 0;

	*complete = false;
	if (!rx->active) {
		memset(rx, 0, sizeof(*rx));
		rx->active = true;
		rx->has_total = f->has_len;
		rx->total = f->tls_len;
	} else if (f->has_len && (!rx->has_total || f->tls_len != rx->total))
		return IR_ERR_MALFORMED;	/* a length may only repeat */
	/* An empty fragment with M would make us ACK forever. */
	if (more && f->data.len == 0)
		return IR_ERR_MALFORMED;
	if (++rx->nfrag > IKE_EAPTLS_FRAGS_MAX ||
	    f->data.len > IKE_EAPTLS_MSG_MAX - rx->got)
		return IR_ERR_MALFORMED;
	rx->got += (uint32_t)f->data.len;
	if (rx->has_total && rx->got > rx->total)
		return IR_ERR_MALFORMED;
	if (more)
		return 0;
	if (rx->has_total && rx->got != rx->total)
		return IR_ERR_MALFORMED;
	rx->active = false;
	*complete = true;
	return 0;
}

/* The next fragment of our flight, or an empty Response (an ACK, or
 * the answer to the gateway's last flight). */
static int
ike_eaptls_send_next(struct ike_sa *sa, uint8_t id, struct wire_wr *w)
{
	struct ike_eaptls *e = &sa->eaptls;
	uint32_t left = e->tx_total - e->tx_sent;
	size_t n = left < IKE_EAPTLS_FRAG_LEN ? left : IKE_EAPTLS_FRAG_LEN;
	bool first = e->tx_sent == 0 && left > 0, more = n < left;
	bool with_len = first && more;
	uint8_t *p;

	ike_eap_hdr(w, id, 5 + 1 + (with_len ? 4 : 0) + n, EAP_TYPE_TLS);
	wire_wr_u8(w, (with_len ? IKE_EAPTLS_F_LEN : 0) |
	    (more ? IKE_EAPTLS_F_MORE : 0));
	if (with_len)
		wire_wr_u32(w, e->tx_total);
	if (n > 0) {
		if ((p = wire_wr_reserve(w, n)) == NULL)
			return IR_ERR_NOBUF;
		if (crypto_eaptls_output(e->tls, p, n) != n)
			return IR_ERR_INTERNAL;
		e->tx_sent += (uint32_t)n;
		if (more || !first)
			ike_log(sa, IR_LOG_DEBUG, "EAP-TLS: our flight of %u "
			    "octets, fragment up to %u", e->tx_total,
			    e->tx_sent);
	}
	if (!more)
		e->tx_total = e->tx_sent = 0;
	return w->overflow ? IR_ERR_NOBUF : 0;
}

/* The user's line for a failed handshake. */
static int
ike_eaptls_fail(struct ike_sa *sa, int rv)
{
	const char *why = crypto_eaptls_detail(sa->eaptls.tls);

	switch (rv) {
	case IR_ERR_CERT:
		return ike_fail(sa, IR_ERR_CERT, 0, "EAP-TLS: the gateway's "
		    "TLS certificate is not trusted: %s; check --ca", why);
	case IR_ERR_PEER_ID:
		return ike_fail(sa, IR_ERR_PEER_ID, 0, "EAP-TLS: %s; check "
		    "--remote-id", why);
	case IR_ERR_AUTH:
		return ike_fail(sa, IR_ERR_AUTH, IKE_N_AUTHENTICATION_FAILED,
		    "EAP-TLS: the gateway refused our certificate (%s): check "
		    "--cert/--key and that the gateway trusts their CA", why);
	}
	return ike_fail(sa, ir_err_is_fatal(rv) && rv != IR_ERR_TLS ? rv :
	    IR_ERR_AUTH, 0, "EAP-TLS failed: %s", why[0] != '\0' ? why :
	    ir_strerror(rv));
}

/* The gateway's EAP-TLS Start: make the TLS peer, send the ClientHello. */
static int
ike_eaptls_start(struct ike_sa *sa)
{
	struct crypto_eaptls_conf c;
	struct ike_eaptls *e = &sa->eaptls;

	if (sa->idr_len < 4)
		return IR_ERR_UNEXPECTED;	/* EAP before the IDr */
	memset(&c, 0, sizeof(c));
	c.key = sa->conf.key;
	c.cert = sa->conf.cert;
	c.trust = sa->conf.trust;
	c.max_version = sa->conf.eap_tls_max_version;
	/* The TLS certificate must be the IDr's (what the final AUTH
	 * binds), and --remote-id's when given. */
	c.ids[c.nids++] = (struct crypto_eaptls_id){ sa->idr_body[0],
	    sa->idr_body + 4, sa->idr_len - 4, false };
	if (sa->conf.remote_id.type != 0)
		c.ids[c.nids++] = (struct crypto_eaptls_id){
		    sa->conf.remote_id.type, sa->conf.remote_id.data,
		    sa->conf.remote_id.len, true };
	e->started = true;
	return crypto_eaptls_new(&e->tls, &c);
}

/* A whole flight arrived: run TLS, and queue what it answers. */
static int
ike_eaptls_flight(struct ike_sa *sa)
{
	struct ike_eaptls *e = &sa->eaptls;
	bool done;
	size_t n;
	int rv;

	if ((rv = crypto_eaptls_step(e->tls, &done)) != 0)
		return ike_eaptls_fail(sa, rv);
	n = crypto_eaptls_pending(e->tls);
	if (n > IKE_EAPTLS_MSG_MAX)
		return ike_fail(sa, IR_ERR_INTERNAL, 0, "EAP-TLS: our flight "
		    "of %zu octets is too large", n);
	e->tx_total = (uint32_t)n;
	e->tx_sent = 0;
	if (done && !sa->eap_method_ok) {
		sa->eap_method_ok = true;
		ike_log(sa, IR_LOG_INFO, "EAP-TLS: TLS %s handshake done, "
		    "the gateway's certificate verified",
		    crypto_eaptls_version(e->tls) == 0x0304 ? "1.3" : "1.2");
	}
	return 0;
}

int
ike_eaptls_finish(struct ike_sa *sa)
{
	struct ike_eaptls *e = &sa->eaptls;
	bool legacy;
	int rv;

	if (e->tls == NULL || !sa->eap_method_ok || e->tx_total != 0)
		return ike_fail(sa, IR_ERR_AUTH, 0, "the gateway sent "
		    "EAP-Success before the EAP-TLS handshake finished");
	if ((rv = crypto_eaptls_msk(e->tls, sa->msk, &legacy)) != 0)
		return ike_eaptls_fail(sa, rv);
	sa->have_msk = true;
	if (legacy)
		ike_log(sa, IR_LOG_WARN, "EAP-TLS: the gateway's TLS 1.3 "
		    "predates RFC 9190 (no protected success indication): "
		    "using the drafts' key derivation; its final AUTH still "
		    "proves the key");
	return 0;
}

int
ike_eaptls_answer(struct ike_sa *sa, const struct ike_pld_eap *req,
    struct wire_wr *w)
{
	struct ike_eaptls *e = &sa->eaptls;
	struct ike_eaptls_frag f;
	bool complete;
	int rv;

	if ((rv = ike_eaptls_parse(req->type_data.p, req->type_data.len,
	    &f)) != 0)
		return rv;
	if (f.flags & IKE_EAPTLS_F_START) {
		if (e->started)
			return IR_ERR_UNEXPECTED;
		if ((rv = ike_eaptls_start(sa)) != 0)
			return ike_fail(sa, rv, 0, "EAP-TLS: cannot start TLS: "
			    "%s", ir_strerror(rv));
		if ((rv = ike_eaptls_flight(sa)) != 0)
			return rv;
		return ike_eaptls_send_next(sa, req->id, w);
	}
	if (!e->started)
		return IR_ERR_UNEXPECTED;
	if (e->tx_sent != 0) {
		/* We are sending a flight: this must be the ACK. */
		if (f.data.len != 0 || f.flags != 0)
			return IR_ERR_MALFORMED;
		return ike_eaptls_send_next(sa, req->id, w);
	}
	if ((rv = ike_eaptls_rx_add(&e->rx, &f, &complete)) != 0)
		return rv;
	if ((rv = crypto_eaptls_input(e->tls, f.data.p, f.data.len)) != 0)
		return rv;
	if (e->rx.active || e->rx.nfrag > 1)
		ike_log(sa, IR_LOG_DEBUG, "EAP-TLS: fragment %u of the "
		    "gateway's flight, %u octets so far%s", e->rx.nfrag,
		    e->rx.got, complete ? "" : "; ACK");
	if (complete) {
		if ((rv = ike_eaptls_flight(sa)) != 0)
			return rv;
	}
	/* An ACK while the flight goes on, else our answer (maybe empty). */
	return ike_eaptls_send_next(sa, req->id, w);
}
