/*
 * ike/ike_cp.c: the Configuration payload, RFC 7296 §3.15 and §2.19,
 * and split DNS, RFC 8598.
 *
 * We ask with CP(CFG_REQUEST) and empty attributes (§3.15.1: a
 * zero-length value asks for any), and read the CFG_REPLY into struct
 * ike_cfg_reply.  Attribute values of the wrong length are ignored, as
 * are values beyond the reply's capacity: what the gateway assigns is
 * data for src/ and the vpnc-script, never trusted for sizes.
 *
 *   INTERNAL_IP4_ADDRESS  4 octets         INTERNAL_IP4_NETMASK  4 octets
 *   INTERNAL_IP4_DNS      4 octets         INTERNAL_IP4_SUBNET   4 + 4 mask
 *   INTERNAL_IP6_ADDRESS  16 + prefix (1)  INTERNAL_IP6_DNS      16 octets
 *   INTERNAL_IP6_SUBNET   16 + prefix (1)  INTERNAL_DNS_DOMAIN   a name
 */
#include <string.h>

#include "common/ir_err.h"
#include "ike/ike_int.h"

int
ike_cp_build(const struct ike_sa *sa, struct ike_msg_wr *mw)
{
	struct ike_pld_cp_attr a[7];
	size_t n = 0;

	memset(a, 0, sizeof(a));
	if (sa->conf.want_ip4) {
		a[n++].type = IKE_CPA_INTERNAL_IP4_ADDRESS;
		a[n++].type = IKE_CPA_INTERNAL_IP4_DNS;
	}
	if (sa->conf.want_ip6) {
		a[n++].type = IKE_CPA_INTERNAL_IP6_ADDRESS;
		a[n++].type = IKE_CPA_INTERNAL_IP6_DNS;
		/* The IPv6 split networks (§3.15.1); ignored where none. */
		a[n++].type = IKE_CPA_INTERNAL_IP6_SUBNET;
	}
	if (n == 0)
		return 0;		/* nothing to ask: no CP (§2.19) */
	a[n++].type = IKE_CPA_INTERNAL_DNS_DOMAIN;
	return ike_pld_cp_build(mw, IKE_CFG_REQUEST, a, n);
}

/* A netmask's prefix length; 255 when its ones are not contiguous. */
static uint8_t
ike_cp_prefix(const uint8_t *mask)
{
	uint32_t m = wire_get_u32(mask);
	uint8_t n = 0;

	while (n < 32 && (m & (0x80000000u >> n)))
		n++;
	if (n < 32 && (m << n) != 0)
		return 255;
	return n;
}

static void
ike_cp_subnet(struct ike_cfg_reply *c, uint8_t family, const uint8_t *addr,
    uint8_t prefix)
{
	if (c->n_subnets >= IKE_CFG_SUBNET_MAX)
		return;
	if (prefix > (family == 4 ? 32 : 128))
		return;
	memset(c->subnets[c->n_subnets].addr, 0, 16);
	memcpy(c->subnets[c->n_subnets].addr, addr, family == 4 ? 4 : 16);
	c->subnets[c->n_subnets].prefix = prefix;
	c->subnets[c->n_subnets].family = family;
	c->n_subnets++;
}

/* RFC 8598 §3.1: a domain in presentation format; keep only plain ones. */
static void
ike_cp_domain(struct ike_cfg_reply *c, const uint8_t *p, size_t len)
{
	size_t i;

	if (len == 0 || len >= IKE_CFG_DOMAIN_LEN ||
	    c->n_domains >= IKE_CFG_DOMAIN_MAX)
		return;
	for (i = 0; i < len; i++) {
		uint8_t ch = p[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
		    ch == '_'))
			return;
	}
	memcpy(c->domains[c->n_domains], p, len);
	c->domains[c->n_domains][len] = '\0';
	c->n_domains++;
}

static void
ike_cp_attr(struct ike_cfg_reply *c, const struct ike_pld_cp_attr *a,
    bool *have_mask)
{
	const uint8_t *v = a->value.p;
	size_t len = a->value.len;
	uint8_t prefix;

	switch (a->type) {
	case IKE_CPA_INTERNAL_IP4_ADDRESS:
		if (len != 4 || c->has_ip4)
			return;
		memcpy(c->ip4, v, 4);
		c->has_ip4 = true;
		if (!*have_mask)
			c->ip4_prefix = 32;
		return;
	case IKE_CPA_INTERNAL_IP4_NETMASK:
		if (len != 4 || (prefix = ike_cp_prefix(v)) > 32)
			return;
		c->ip4_prefix = prefix;
		*have_mask = true;
		return;
	case IKE_CPA_INTERNAL_IP4_DNS:
		if (len == 4 && c->n_dns4 < IKE_CFG_DNS_MAX)
			memcpy(c->dns4[c->n_dns4++], v, 4);
		return;
	case IKE_CPA_INTERNAL_IP6_ADDRESS:
		if (len != 17 || c->has_ip6 || v[16] > 128)
			return;
		memcpy(c->ip6, v, 16);
		c->ip6_prefix = v[16];
		c->has_ip6 = true;
		return;
	case IKE_CPA_INTERNAL_IP6_DNS:
		if (len == 16 && c->n_dns6 < IKE_CFG_DNS_MAX)
			memcpy(c->dns6[c->n_dns6++], v, 16);
		return;
	case IKE_CPA_INTERNAL_IP4_SUBNET:
		if (len == 8 && (prefix = ike_cp_prefix(v + 4)) <= 32)
			ike_cp_subnet(c, 4, v, prefix);
		return;
	case IKE_CPA_INTERNAL_IP6_SUBNET:
		if (len == 17)
			ike_cp_subnet(c, 6, v, v[16]);
		return;
	case IKE_CPA_INTERNAL_DNS_DOMAIN:
		ike_cp_domain(c, v, len);
		return;
	}
}

void
ike_cp_parse(const struct ike_pld_cp *cp, struct ike_cfg_reply *out)
{
	bool have_mask = false;
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < cp->nattr; i++)
		ike_cp_attr(out, &cp->attr[i], &have_mask);
}
