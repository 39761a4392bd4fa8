/*
 * src/priv_msg.c: encode and validate the messages of src/priv_msg.h.
 * The parser is the privileged part's only view of what the network
 * part asks: every count is capped before it is used, every length is
 * checked against what is left, and nothing may follow the last field.
 */
#include <string.h>
#include <sys/socket.h>

#include "common/ir_err.h"
#include "common/wire.h"
#include "src/priv_msg.h"

#define MALFORMED	IR_ERR_MALFORMED

/* ---- encoding ------------------------------------------------------------ */

static void
wr_ip(struct wire_wr *w, const struct tun_ip *ip)
{
	wire_wr_u8(w, ip->family == AF_INET ? 4 : ip->family == AF_INET6 ?
	    6 : ip->family == 0 ? 0 : 0xff);
	wire_wr_bytes(w, ip->addr, sizeof(ip->addr));
}

static void
wr_key(struct wire_wr *w, const char *key)
{
	size_t n = strnlen(key, PRIV_KEY_MAX);

	wire_wr_u16(w, (uint16_t)n);
	wire_wr_bytes(w, key, n);
}

static void
wr_info(struct wire_wr *w, const struct netcfg_info *in)
{
	const struct ike_cfg_reply *c = &in->cfg;
	unsigned i;

	wire_wr_u32(w, in->mtu);
	wr_ip(w, &in->gateway);
	wire_wr_u8(w, (uint8_t)((c->has_ip4 ? 1 : 0) | (c->has_ip6 ? 2 : 0)));
	wire_wr_bytes(w, c->ip4, 4);
	wire_wr_u8(w, c->ip4_prefix);
	wire_wr_bytes(w, c->ip6, 16);
	wire_wr_u8(w, c->ip6_prefix);
	wire_wr_u8(w, c->n_dns4);
	for (i = 0; i < c->n_dns4 && i < IKE_CFG_DNS_MAX; i++)
		wire_wr_bytes(w, c->dns4[i], 4);
	wire_wr_u8(w, c->n_dns6);
	for (i = 0; i < c->n_dns6 && i < IKE_CFG_DNS_MAX; i++)
		wire_wr_bytes(w, c->dns6[i], 16);
	wire_wr_u8(w, c->n_subnets);
	for (i = 0; i < c->n_subnets && i < IKE_CFG_SUBNET_MAX; i++) {
		wire_wr_u8(w, c->subnets[i].family);
		wire_wr_bytes(w, c->subnets[i].addr, 16);
		wire_wr_u8(w, c->subnets[i].prefix);
	}
	wire_wr_u8(w, c->n_domains);
	for (i = 0; i < c->n_domains && i < IKE_CFG_DOMAIN_MAX; i++) {
		size_t n = strnlen(c->domains[i], IKE_CFG_DOMAIN_LEN);

		wire_wr_u8(w, (uint8_t)n);
		wire_wr_bytes(w, c->domains[i], n);
	}
	wire_wr_u8(w, in->n_ts_remote);
	for (i = 0; i < in->n_ts_remote && i < IKE_TS_MAX; i++) {
		const struct ike_ts *t = &in->ts_remote[i];

		wire_wr_u8(w, t->type);
		wire_wr_u8(w, t->proto);
		wire_wr_u16(w, t->port_lo);
		wire_wr_u16(w, t->port_hi);
		wire_wr_bytes(w, t->start, 16);
		wire_wr_bytes(w, t->end, 16);
	}
}

int
priv_req_build(const struct priv_req *rq, uint8_t *buf, size_t cap,
    size_t *len)
{
	struct priv_req check;
	struct wire_wr w;

	wire_wr_init(&w, buf, cap);
	wire_wr_u8(&w, PRIV_MSG_VERSION);
	wire_wr_u8(&w, rq->type);
	wire_wr_u16(&w, 0);
	wire_wr_u32(&w, rq->seq);
	switch (rq->type) {
	case PRIV_TUN_OPEN:
	case PRIV_TUN_MTU:
		wire_wr_u32(&w, rq->mtu);
		break;
	case PRIV_NC_UP:
	case PRIV_NC_RECONNECT:
		wr_info(&w, &rq->info);
		break;
	case PRIV_NC_ATTEMPT:
	case PRIV_NC_DOWN:
		break;
	case PRIV_NC_REPIN:
		wire_wr_u32(&w, rq->ifindex);
		wr_ip(&w, &rq->via);
		break;
	case PRIV_NOTIFY:
		if (rq->text_len >= PRIV_NOTIFY_MAX ||
		    !priv_notify_ok(rq->text, rq->text_len))
			return IR_ERR_MALFORMED;
		wire_wr_u16(&w, (uint16_t)rq->text_len);
		wire_wr_bytes(&w, rq->text, rq->text_len);
		break;
	case PRIV_STATUS:
		if (rq->text_len > PRIV_STATUS_MAX)
			return MALFORMED;
		wire_wr_u16(&w, (uint16_t)rq->text_len);
		wire_wr_bytes(&w, rq->text, rq->text_len);
		break;
	case PRIV_NETMEM_STORE:
		wire_wr_u8(&w, rq->rung);
		/* FALLTHROUGH */
	case PRIV_NETMEM_RUNG:
		wire_wr_u64(&w, rq->now);
		wr_key(&w, rq->key);
		break;
	case PRIV_GATEWAY:
		wr_ip(&w, &rq->gateway);
		break;
	case PRIV_SIGN:
		if (rq->data_len > PRIV_SIGN_MAX)
			return MALFORMED;
		wire_wr_u8(&w, rq->sig_kind);
		wire_wr_u8(&w, rq->sig_hash);
		wire_wr_u16(&w, rq->sig_salt);
		wire_wr_u16(&w, (uint16_t)rq->data_len);
		wire_wr_bytes(&w, rq->data, rq->data_len);
		break;
	case PRIV_REVCACHE_OPEN:
		wire_wr_u8(&w, rq->rc_kind);
		wire_wr_bytes(&w, rq->rc_key, REVCACHE_KEY_LEN);
		break;
	case PRIV_REVCACHE_STORE:
		if (rq->blob_len > REVCACHE_PRIV_MAX)
			return MALFORMED;
		wire_wr_u8(&w, rq->rc_kind);
		wire_wr_bytes(&w, rq->rc_key, REVCACHE_KEY_LEN);
		wire_wr_u32(&w, (uint32_t)rq->blob_len);
		wire_wr_bytes(&w, rq->blob, rq->blob_len);
		break;
	default:
		return MALFORMED;
	}
	if (w.overflow || w.len > PRIV_MSG_MAX)
		return IR_ERR_NOBUF;
	/* Never send what the other side would refuse. */
	if (priv_req_parse(buf, w.len, &check) != 0)
		return MALFORMED;
	*len = w.len;
	return 0;
}

/* ---- the validator --------------------------------------------------------- */

/* |n| octets of an address: the rest must be zero. */
static bool
tail_zero(const uint8_t *a, size_t from, size_t to)
{
	for (; from < to; from++)
		if (a[from] != 0)
			return false;
	return true;
}

/* An address; |none_ok|: family 0 (all zero) is allowed. */
static bool
rd_ip(struct wire_rd *r, struct tun_ip *ip, bool none_ok)
{
	uint8_t f;

	if (!wire_rd_u8(r, &f) || !wire_rd_copy(r, ip->addr, 16))
		return false;
	if (f == 4 && tail_zero(ip->addr, 4, 16))
		ip->family = AF_INET;
	else if (f == 6)
		ip->family = AF_INET6;
	else if (f == 0 && none_ok && tail_zero(ip->addr, 0, 16))
		ip->family = 0;
	else
		return false;
	return true;
}

/* A gateway's address: unicast, not ours (RFC 1122 §3.2.1.3, RFC 4291
 * §2.4): not unspecified, loopback, multicast or broadcast. */
static bool
rd_gateway(struct wire_rd *r, struct tun_ip *ip)
{
	static const uint8_t zero[16], lo6[16] = { [15] = 1 };
	const uint8_t *a = ip->addr;

	if (!rd_ip(r, ip, false))
		return false;
	if (ip->family == AF_INET)
		return a[0] != 0 && a[0] != 127 && a[0] < 224;
	return memcmp(a, zero, 16) != 0 && memcmp(a, lo6, 16) != 0 &&
	    a[0] != 0xff && !(memcmp(a, zero, 10) == 0 && a[10] == 0xff &&
	    a[11] == 0xff);	/* IPv4-mapped: say it as IPv4 */
}

/* A DNS domain from the gateway goes into vpnc-script's environment:
 * letters, digits, '-', '_' and '.' only (RFC 1035 §2.3.1, plus '_'). */
static bool
domain_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
		    ch == '.'))
			return false;
	}
	return true;
}

static bool
rd_cfg(struct wire_rd *r, struct ike_cfg_reply *c)
{
	uint8_t flags, n, len, i;

	if (!wire_rd_u8(r, &flags) || (flags & ~3u) != 0 ||
	    !wire_rd_copy(r, c->ip4, 4) || !wire_rd_u8(r, &c->ip4_prefix) ||
	    !wire_rd_copy(r, c->ip6, 16) || !wire_rd_u8(r, &c->ip6_prefix) ||
	    c->ip4_prefix > 32 || c->ip6_prefix > 128)
		return false;
	c->has_ip4 = (flags & 1) != 0;
	c->has_ip6 = (flags & 2) != 0;
	if (!wire_rd_u8(r, &n) || n > IKE_CFG_DNS_MAX)
		return false;
	for (c->n_dns4 = n, i = 0; i < n; i++)
		if (!wire_rd_copy(r, c->dns4[i], 4))
			return false;
	if (!wire_rd_u8(r, &n) || n > IKE_CFG_DNS_MAX)
		return false;
	for (c->n_dns6 = n, i = 0; i < n; i++)
		if (!wire_rd_copy(r, c->dns6[i], 16))
			return false;
	if (!wire_rd_u8(r, &n) || n > IKE_CFG_SUBNET_MAX)
		return false;
	for (c->n_subnets = n, i = 0; i < n; i++) {
		if (!wire_rd_u8(r, &c->subnets[i].family) ||
		    !wire_rd_copy(r, c->subnets[i].addr, 16) ||
		    !wire_rd_u8(r, &c->subnets[i].prefix))
			return false;
		if (!(c->subnets[i].family == 4 && c->subnets[i].prefix <= 32 &&
		    tail_zero(c->subnets[i].addr, 4, 16)) &&
		    !(c->subnets[i].family == 6 && c->subnets[i].prefix <= 128))
			return false;
	}
	if (!wire_rd_u8(r, &n) || n > IKE_CFG_DOMAIN_MAX)
		return false;
	for (c->n_domains = n, i = 0; i < n; i++) {
		if (!wire_rd_u8(r, &len) || len >= IKE_CFG_DOMAIN_LEN ||
		    !wire_rd_copy(r, c->domains[i], len) ||
		    !domain_ok(c->domains[i], len))
			return false;
		c->domains[i][len] = '\0';
	}
	return true;
}

static bool
rd_ts(struct wire_rd *r, struct ike_ts *t)
{
	size_t alen;

	if (!wire_rd_u8(r, &t->type) || !wire_rd_u8(r, &t->proto) ||
	    !wire_rd_u16(r, &t->port_lo) || !wire_rd_u16(r, &t->port_hi) ||
	    !wire_rd_copy(r, t->start, 16) || !wire_rd_copy(r, t->end, 16))
		return false;
	/* RFC 7296 §3.13.1: TS_IPV4_ADDR_RANGE 7, TS_IPV6_ADDR_RANGE 8. */
	if (t->type != 7 && t->type != 8)
		return false;
	alen = t->type == 7 ? 4 : 16;
	return t->port_lo <= t->port_hi &&
	    memcmp(t->start, t->end, alen) <= 0 &&
	    tail_zero(t->start, alen, 16) && tail_zero(t->end, alen, 16);
}

static bool
rd_info(struct wire_rd *r, struct netcfg_info *in)
{
	uint8_t n, i;

	if (!wire_rd_u32(r, &in->mtu) || in->mtu < PRIV_MTU_MIN ||
	    in->mtu > PRIV_MTU_MAX || !rd_ip(r, &in->gateway, false) ||
	    !rd_cfg(r, &in->cfg) || !wire_rd_u8(r, &n) || n > IKE_TS_MAX)
		return false;
	for (in->n_ts_remote = n, i = 0; i < n; i++)
		if (!rd_ts(r, &in->ts_remote[i]))
			return false;
	return true;
}

/* Printable ASCII, UTF-8 octets, and |extra| control characters. */
static bool
text_ok(const uint8_t *p, size_t n, bool tab_nl)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] >= 0x20 && p[i] != 0x7f)
			continue;
		if (tab_nl && (p[i] == '\t' || p[i] == '\n'))
			continue;
		return false;
	}
	return true;
}

bool
priv_notify_ok(const uint8_t *p, size_t n)
{
	static const char *const ok[] = { "READY=1", "STOPPING=1", "STATUS=" };
	size_t i, k, end, len;

	if (n == 0 || n >= PRIV_NOTIFY_MAX || !text_ok(p, n, true) ||
	    memchr(p, '\t', n) != NULL)
		return false;
	for (i = 0; i < n; i = end + 1) {
		for (end = i; end < n && p[end] != '\n'; end++)
			;
		len = end - i;
		for (k = 0; k < 3; k++)
			if ((k < 2 && len == strlen(ok[k]) &&
			    memcmp(p + i, ok[k], len) == 0) ||
			    (k == 2 && len >= 7 && memcmp(p + i, ok[k], 7) == 0))
				break;
		if (k == 3)
			return false;
	}
	return p[n - 1] != '\n';
}

static bool
rd_key(struct wire_rd *r, char key[PRIV_KEY_MAX])
{
	const uint8_t *p;
	uint16_t n;

	if (!wire_rd_u16(r, &n) || n == 0 || n >= PRIV_KEY_MAX ||
	    !wire_rd_bytes(r, n, &p) || !text_ok(p, n, false))
		return false;
	memcpy(key, p, n);
	key[n] = '\0';
	return true;
}

/*
 * What the privileged part signs (RFC 7296 §2.15): the initiator's
 * IKE_SA_INIT message, then Nr and prf(SK_pi, IDi').  So: an IKEv2
 * header (version 2.0, exchange IKE_SA_INIT 34) whose length leaves
 * room for a nonce (16 octets at least, §2.10) and a PRF output (16 or
 * more).  Nothing else, so that the key signs no other protocol's
 * data (a TLS handshake, an X.509 body begin with other octets).
 */
static bool
sign_octets_ok(const uint8_t *p, size_t n)
{
	uint32_t len;

	if (n < 28 + 32 || p[17] != 0x20 || p[18] != 34)
		return false;
	len = (uint32_t)p[24] << 24 | (uint32_t)p[25] << 16 |
	    (uint32_t)p[26] << 8 | p[27];
	return len >= 28 && len <= n - 32;
}

static bool
rd_sign(struct wire_rd *r, struct priv_req *rq)
{
	uint16_t n;

	if (!wire_rd_u8(r, &rq->sig_kind) || rq->sig_kind < 1 ||
	    rq->sig_kind > 4 || !wire_rd_u8(r, &rq->sig_hash) ||
	    rq->sig_hash < 1 || rq->sig_hash > 5 ||
	    !wire_rd_u16(r, &rq->sig_salt) || rq->sig_salt > 512 ||
	    (rq->sig_kind != 2 && rq->sig_salt != 0) ||
	    !wire_rd_u16(r, &n) || n == 0 || n > PRIV_SIGN_MAX ||
	    !wire_rd_bytes(r, n, &rq->data))
		return false;
	rq->data_len = n;
	return sign_octets_ok(rq->data, n);
}

static bool
rd_body(struct wire_rd *r, struct priv_req *rq)
{
	const uint8_t *p;
	uint32_t len;
	uint16_t n;

	switch (rq->type) {
	case PRIV_TUN_OPEN:
	case PRIV_TUN_MTU:
		return wire_rd_u32(r, &rq->mtu) && rq->mtu >= PRIV_MTU_MIN &&
		    rq->mtu <= PRIV_MTU_MAX;
	case PRIV_NC_UP:
	case PRIV_NC_RECONNECT:
		return rd_info(r, &rq->info);
	case PRIV_NC_ATTEMPT:
	case PRIV_NC_DOWN:
		return true;
	case PRIV_NC_REPIN:
		return wire_rd_u32(r, &rq->ifindex) && rq->ifindex > 0 &&
		    rq->ifindex <= INT32_MAX && rd_ip(r, &rq->via, true);
	case PRIV_STATUS:
		return wire_rd_u16(r, &n) && n > 0 && n <= PRIV_STATUS_MAX &&
		    wire_rd_bytes(r, n, &rq->text) &&
		    text_ok(rq->text, rq->text_len = n, true);
	case PRIV_NOTIFY:
		return wire_rd_u16(r, &n) && n > 0 && n < PRIV_NOTIFY_MAX &&
		    wire_rd_bytes(r, n, &rq->text) &&
		    priv_notify_ok(rq->text, rq->text_len = n);
	case PRIV_NETMEM_STORE:
		/* enum fb_xport: FB_UDP 0 (forget), FB_TCP 1, FB_TLS 2. */
		if (!wire_rd_u8(r, &rq->rung) || rq->rung > 2)
			return false;
		/* FALLTHROUGH */
	case PRIV_NETMEM_RUNG:
		return wire_rd_u64(r, &rq->now) && rq->now <= INT64_MAX &&
		    rd_key(r, rq->key);
	case PRIV_GATEWAY:
		return rd_gateway(r, &rq->gateway);
	case PRIV_SIGN:
		return rd_sign(r, rq);
	case PRIV_REVCACHE_OPEN:
	case PRIV_REVCACHE_STORE:
		if (!wire_rd_u8(r, &rq->rc_kind) ||
		    (rq->rc_kind != REVCACHE_OCSP &&
		    rq->rc_kind != REVCACHE_CRL) ||
		    !wire_rd_bytes(r, REVCACHE_KEY_LEN, &p))
			return false;
		memcpy(rq->rc_key, p, REVCACHE_KEY_LEN);
		if (rq->type == PRIV_REVCACHE_OPEN)
			return true;
		return wire_rd_u32(r, &len) && len > 0 &&
		    len <= REVCACHE_PRIV_MAX &&
		    wire_rd_bytes(r, len, &rq->blob) &&
		    revcache_der_ok(rq->blob, rq->blob_len = len);
	default:
		return false;
	}
}

int
priv_req_parse(const uint8_t *msg, size_t len, struct priv_req *rq)
{
	struct wire_rd r;
	uint8_t version;
	uint16_t reserved;

	memset(rq, 0, sizeof(*rq));
	if (len > PRIV_MSG_MAX)
		return MALFORMED;
	wire_rd_init(&r, msg, len);
	if (!wire_rd_u8(&r, &version) || version != PRIV_MSG_VERSION ||
	    !wire_rd_u8(&r, &rq->type) || !wire_rd_u16(&r, &reserved) ||
	    reserved != 0 || !wire_rd_u32(&r, &rq->seq) ||
	    rq->type < PRIV_TUN_OPEN || rq->type > PRIV_REQ_LAST ||
	    !rd_body(&r, rq) || r.left != 0) {
		memset(rq, 0, sizeof(*rq));
		return MALFORMED;
	}
	return 0;
}

/* ---- replies --------------------------------------------------------------- */

int
priv_reply_build(const struct priv_reply *rp, uint8_t *buf, size_t cap,
    size_t *len)
{
	struct wire_wr w;
	size_t n = strnlen(rp->name, sizeof(rp->name) - 1);

	wire_wr_init(&w, buf, cap);
	wire_wr_u8(&w, PRIV_MSG_VERSION);
	wire_wr_u8(&w, rp->type);
	wire_wr_u16(&w, 0);
	wire_wr_u32(&w, rp->seq);
	if (rp->type == PRIV_REPLY) {
		wire_wr_u8(&w, rp->req);
		wire_wr_u32(&w, (uint32_t)rp->status);
		wire_wr_u32(&w, rp->value);
		wire_wr_u8(&w, rp->flags);
		wire_wr_u8(&w, (uint8_t)n);
		wire_wr_bytes(&w, rp->name, n);
		if (rp->req == PRIV_SIGN) {
			if (rp->sig_len > PRIV_SIG_MAX)
				return MALFORMED;
			wire_wr_u16(&w, (uint16_t)rp->sig_len);
			wire_wr_bytes(&w, rp->sig, rp->sig_len);
		}
	} else if (rp->type != PRIV_QUIT)
		return MALFORMED;
	if (w.overflow)
		return IR_ERR_NOBUF;
	*len = w.len;
	return 0;
}

int
priv_reply_parse(const uint8_t *msg, size_t len, struct priv_reply *rp)
{
	struct wire_rd r;
	uint8_t version, n;
	uint16_t reserved, slen;
	uint32_t status;
	const uint8_t *name, *sig;

	memset(rp, 0, sizeof(*rp));
	wire_rd_init(&r, msg, len);
	if (!wire_rd_u8(&r, &version) || version != PRIV_MSG_VERSION ||
	    !wire_rd_u8(&r, &rp->type) || !wire_rd_u16(&r, &reserved) ||
	    reserved != 0 || !wire_rd_u32(&r, &rp->seq))
		return MALFORMED;
	if (rp->type == PRIV_QUIT)
		return r.left == 0 ? 0 : MALFORMED;
	if (rp->type != PRIV_REPLY || !wire_rd_u8(&r, &rp->req) ||
	    !wire_rd_u32(&r, &status) || !wire_rd_u32(&r, &rp->value) ||
	    !wire_rd_u8(&r, &rp->flags) || !wire_rd_u8(&r, &n) ||
	    n >= sizeof(rp->name) || !wire_rd_bytes(&r, n, &name) ||
	    (int32_t)status > 0)
		return MALFORMED;
	if (rp->req == PRIV_SIGN) {
		if (!wire_rd_u16(&r, &slen) || slen > PRIV_SIG_MAX ||
		    !wire_rd_bytes(&r, slen, &sig))
			return MALFORMED;
		memcpy(rp->sig, sig, slen);
		rp->sig_len = slen;
	}
	if (r.left != 0)
		return MALFORMED;
	rp->status = (int32_t)status;
	memcpy(rp->name, name, n);
	rp->name[n] = '\0';
	return 0;
}
