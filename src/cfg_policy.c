/*
 * src/cfg_policy.c: what of the gateway's CFG_REPLY may touch this host.
 *
 * RFC 7296 §3.15.1 lets the gateway assign an address and name the
 * protected networks; nothing there lets it take over the host's own
 * networking.  The rules, each one about a real way to break a host:
 *   - an IPv4 address that is unspecified, loopback, multicast or class E,
 *     the gateway's own address, the LAN's router or one of our own
 *     addresses: refused (the session ends with one line);
 *   - a netmask of /0 on that address: the kernel would route everything
 *     on-link into the TUN; taken as /32;
 *   - an IPv6 address of the same kinds (or link-local): IPv6 is dropped;
 *   - a split of /0 (the full tunnel comes from the traffic selectors,
 *     RFC 7296 §2.9, not from CFG_REPLY), a loopback/multicast/link-local
 *     split, a split as specific as a connected LAN that overlaps it (it
 *     would beat the LAN's own route), a split that routes the gateway's
 *     own address more specifically than its host route (a loop): dropped;
 *   - the same split rules for the gateway's remote traffic selectors,
 *     which become split routes too (RFC 7296 §2.9 narrowing); 0/0 is
 *     the full tunnel and stays; a family whose selectors are all
 *     dropped refuses the session (its full route would black-hole);
 *   - DNS servers that cannot be servers (unspecified, loopback,
 *     multicast): dropped;
 *   - domains that are not host names (RFC 1035 §2.3.1 LDH labels, RFC
 *     8598 §4 "validate"): dropped, since they reach vpnc-script and
 *     resolvectl as arguments.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/ir_err.h"
#include "ike/ike_names.h"
#include "src/cfg_policy.h"

#define DNS_LABEL_MAX	63
#define DNS_NAME_MAX	253

static size_t
alen(uint8_t family)
{
	return family == 4 ? 4 : 16;
}

/* Do |a|/|alen| and |b| agree on the first |bits| bits? */
static bool
prefix_eq(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;
	uint8_t mask;

	if (memcmp(a, b, whole) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (uint8_t)(0xff << (8 - rest));
	return ((a[whole] ^ b[whole]) & mask) == 0;
}

/* Do the two networks share an address? */
static bool
overlaps(const struct cfg_net *x, const struct cfg_net *y)
{
	unsigned bits = x->prefix < y->prefix ? x->prefix : y->prefix;

	return x->family == y->family && prefix_eq(x->addr, y->addr, bits);
}

static bool
ip4_unusable(const uint8_t *a)
{
	return a[0] == 0 || a[0] == 127 || a[0] >= 224;
}

static bool
ip6_unusable(const uint8_t *a)
{
	static const uint8_t zero[16], one[16] = { [15] = 1 };

	return memcmp(a, zero, 16) == 0 || memcmp(a, one, 16) == 0 ||
	    a[0] == 0xff || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80);
}

static bool
unusable(uint8_t family, const uint8_t *a)
{
	return family == 4 ? ip4_unusable(a) : ip6_unusable(a);
}

static void
fmt_net(const struct cfg_net *n, char *buf, size_t len)
{
	const uint8_t *a = n->addr;

	if (n->family == 4)
		snprintf(buf, len, "%u.%u.%u.%u/%u", a[0], a[1], a[2], a[3],
		    n->prefix);
	else
		snprintf(buf, len, "%02x%02x:%02x%02x:%02x%02x:%02x%02x:"
		    "%02x%02x:%02x%02x:%02x%02x:%02x%02x/%u", a[0], a[1],
		    a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
		    a[11], a[12], a[13], a[14], a[15], n->prefix);
}

static struct cfg_net
net_of(uint8_t family, const uint8_t *a, uint8_t prefix)
{
	struct cfg_net n;

	memset(&n, 0, sizeof(n));
	n.family = family;
	memcpy(n.addr, a, alen(family));
	n.prefix = prefix;
	return n;
}

/* Is the host address |a| one the host already depends on? */
static const char *
host_conflict(const struct cfg_policy_host *h, uint8_t family,
    const uint8_t *a)
{
	struct cfg_net me = net_of(family, a, family == 4 ? 32 : 128);
	size_t i;

	if (h->gateway.family == family && overlaps(&me, &h->gateway))
		return "the gateway's own address";
	if (h->router.family == family && overlaps(&me, &h->router))
		return "this network's router";
	for (i = 0; i < h->n_nets; i++)
		if (h->nets[i].family == family && memcmp(h->nets[i].addr, a,
		    alen(family)) == 0)
			return "an address this host already has";
	return NULL;
}

/* Why split |s| must not be routed into the tunnel; NULL: fine. */
static const char *
split_conflict(const struct cfg_policy_host *h, const struct cfg_net *s)
{
	struct cfg_net gw = h->gateway;
	size_t i;

	if (s->prefix == 0)
		return "a /0 split would take all traffic (the full tunnel "
		    "comes from the traffic selectors)";
	if (unusable(s->family, s->addr))
		return "not a unicast network";
	gw.prefix = gw.family == 4 ? 32 : 128;
	if (gw.family == s->family && overlaps(s, &gw) &&
	    s->prefix >= gw.prefix)
		return "it is the gateway's own address (a routing loop)";
	for (i = 0; i < h->n_nets; i++)
		if (overlaps(s, &h->nets[i]) && s->prefix >= h->nets[i].prefix)
			return "it would take over a network this host is on";
	return NULL;
}

static void	warnf(cfg_policy_warn_fn warn, void *ud, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

static void
warnf(cfg_policy_warn_fn warn, void *ud, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	warn(ud, line);
}

static void
filter_splits(struct ike_cfg_reply *cfg, const struct cfg_policy_host *h,
    cfg_policy_warn_fn warn, void *ud)
{
	struct cfg_net s;
	const char *why;
	char buf[64];
	size_t i, n = 0;

	for (i = 0; i < cfg->n_subnets; i++) {
		s = net_of(cfg->subnets[i].family, cfg->subnets[i].addr,
		    cfg->subnets[i].prefix);
		if ((why = split_conflict(h, &s)) != NULL) {
			fmt_net(&s, buf, sizeof(buf));
			warnf(warn, ud, "ignoring the gateway's split network "
			    "%s: %s", buf, why);
			continue;
		}
		cfg->subnets[n++] = cfg->subnets[i];
	}
	cfg->n_subnets = (uint8_t)n;
}

unsigned
cfg_policy_ts_prefix(const struct ike_ts *ts)
{
	unsigned bits, alen_bits = ts->type == IKE_TST_IPV4_ADDR_RANGE ? 32 :
	    128;

	for (bits = 0; bits < alen_bits; bits++) {
		unsigned byte = bits / 8, mask = 0x80u >> (bits % 8);

		if ((ts->start[byte] & mask) != (ts->end[byte] & mask))
			break;
	}
	return bits;
}

int
cfg_policy_ts(struct ike_ts *ts, uint8_t *n,
    const struct cfg_policy_host *h, cfg_policy_warn_fn warn, void *ud,
    char *err, size_t err_len)
{
	struct cfg_net s;
	const char *why;
	char buf[64];
	size_t i, k = 0;
	unsigned had[2] = { 0, 0 }, kept[2] = { 0, 0 }, f;
	uint8_t family;

	for (i = 0; i < *n; i++) {
		family = ts[i].type == IKE_TST_IPV4_ADDR_RANGE ? 4 : 6;
		f = family == 4 ? 0 : 1;
		had[f]++;
		s = net_of(family, ts[i].start, (uint8_t)cfg_policy_ts_prefix(
		    &ts[i]));
		/* 0/0: the full tunnel the selectors ask for (§2.9). */
		if (s.prefix != 0 && (why = split_conflict(h, &s)) != NULL) {
			fmt_net(&s, buf, sizeof(buf));
			warnf(warn, ud, "not routing the gateway's traffic "
			    "selector %s: %s", buf, why);
			continue;
		}
		kept[f]++;
		ts[k++] = ts[i];
	}
	*n = (uint8_t)k;
	for (f = 0; f < 2; f++)
		if (had[f] != 0 && kept[f] == 0) {
			snprintf(err, err_len, "every IPv%u traffic selector "
			    "of the gateway covers a network this host is on, "
			    "its own address or no unicast network; nothing "
			    "to route (connect from another network, or ask "
			    "the gateway's administrator)", f == 0 ? 4 : 6);
			return IR_ERR_CONFIG;
		}
	return 0;
}

static size_t
filter_dns(uint8_t *base, size_t n, uint8_t family, size_t stride,
    cfg_policy_warn_fn warn, void *ud)
{
	struct cfg_net d;
	char buf[64];
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		d = net_of(family, base + i * stride, family == 4 ? 32 : 128);
		if (unusable(family, d.addr)) {
			fmt_net(&d, buf, sizeof(buf));
			warnf(warn, ud, "ignoring the gateway's DNS server %s: "
			    "not a unicast address", buf);
			continue;
		}
		memmove(base + k * stride, d.addr, alen(family));
		k++;
	}
	return k;
}

bool
cfg_policy_dns_name_ok(const char *name)
{
	size_t len = strlen(name), label = 0, i;
	char ch, prev = '.';

	if (len > 0 && name[len - 1] == '.')
		len--;			/* the root's dot */
	if (len == 0 || len > DNS_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		ch = name[i];
		if (ch == '.') {
			if (label == 0 || prev == '-')
				return false;
			label = 0;
		} else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' &&
		    ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    (ch == '-' && label > 0)) {
			if (++label > DNS_LABEL_MAX)
				return false;
		} else
			return false;
		prev = ch;
	}
	return label > 0 && prev != '-';
}

/* A name from the gateway in a log line: printable ASCII only. */
static void
printable(const char *in, char *out, size_t len)
{
	size_t i;

	for (i = 0; in[i] != '\0' && i + 1 < len; i++)
		out[i] = in[i] > 0x20 && in[i] < 0x7f ? in[i] : '?';
	out[i] = '\0';
}

static void
filter_domains(struct ike_cfg_reply *cfg, cfg_policy_warn_fn warn,
    void *ud)
{
	char shown[IKE_CFG_DOMAIN_LEN];
	size_t i, n = 0;

	for (i = 0; i < cfg->n_domains; i++) {
		if (!cfg_policy_dns_name_ok(cfg->domains[i])) {
			printable(cfg->domains[i], shown, sizeof(shown));
			warnf(warn, ud, "ignoring the gateway's DNS domain "
			    "'%s': not a host name (RFC 1035 letters, digits, "
			    "hyphens; labels of 1-63)", shown);
			continue;
		}
		if (n != i)
			memcpy(cfg->domains[n], cfg->domains[i],
			    sizeof(cfg->domains[n]));
		n++;
	}
	cfg->n_domains = (uint8_t)n;
}

int
cfg_policy_apply(struct ike_cfg_reply *cfg,
    const struct cfg_policy_host *host, cfg_policy_warn_fn warn, void *ud,
    char *err, size_t err_len)
{
	struct cfg_net a;
	const char *why = NULL;
	char buf[64];

	if (cfg->has_ip4) {
		a = net_of(4, cfg->ip4, 32);
		if (ip4_unusable(cfg->ip4))
			why = "not a unicast host address";
		else
			why = host_conflict(host, 4, cfg->ip4);
		if (why != NULL) {
			fmt_net(&a, buf, sizeof(buf));
			buf[strcspn(buf, "/")] = '\0';
			snprintf(err, err_len, "the gateway assigned the address "
			    "%s, which is %s; not applied (ask the gateway's "
			    "administrator to fix its address pool)", buf, why);
			return IR_ERR_CONFIG;
		}
		if (cfg->ip4_prefix == 0) {
			warnf(warn, ud, "taking the gateway's netmask /0 as "
			    "/32: it would route every network into the "
			    "tunnel");
			cfg->ip4_prefix = 32;
		}
	}
	if (cfg->has_ip6) {
		a = net_of(6, cfg->ip6, 128);
		why = ip6_unusable(cfg->ip6) ? "not a global unicast address" :
		    host_conflict(host, 6, cfg->ip6);
		if (why != NULL) {
			fmt_net(&a, buf, sizeof(buf));
			warnf(warn, ud, "ignoring the gateway's IPv6 address "
			    "%s: %s", buf, why);
			cfg->has_ip6 = false;
		} else if (cfg->ip6_prefix == 0)
			cfg->ip6_prefix = 128;
	}
	filter_splits(cfg, host, warn, ud);
	cfg->n_dns4 = (uint8_t)filter_dns(&cfg->dns4[0][0], cfg->n_dns4, 4,
	    sizeof(cfg->dns4[0]), warn, ud);
	cfg->n_dns6 = (uint8_t)filter_dns(&cfg->dns6[0][0], cfg->n_dns6, 6,
	    sizeof(cfg->dns6[0]), warn, ud);
	filter_domains(cfg, warn, ud);
	return 0;
}
