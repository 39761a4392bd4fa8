/*
 * tun/tun_script.c: the environment for vpnc-script, pure.
 *
 * vpnc-script (Debian vpnc-scripts, /usr/share/vpnc-scripts/vpnc-script)
 * is the contract shared by vpnc and openconnect: the client sets
 * variables and runs the script with reason=pre-init, connect,
 * disconnect, reconnect or attempt-reconnect; the script configures the
 * TUN, routes and DNS.  What it reads, and how:
 *
 *   INTERNAL_IP4_ADDRESS	"ip addr add A/32 peer A dev $TUNDEV"
 *   INTERNAL_IP4_NETMASK etc.	a route to NETADDR/NETMASKLEN via the TUN
 *				(not set for /32: the address is routed)
 *   INTERNAL_IP4_MTU		the TUN's MTU (else a guess: link MTU - 88)
 *   INTERNAL_IP6_NETMASK	"ip -6 addr add $INTERNAL_IP6_NETMASK", so it
 *				holds "address/prefix" (openconnect does so)
 *   CISCO_SPLIT_INC[_<i>_*]	routes via the TUN; none: default route;
 *				0.0.0.0 as a network also means default
 *   CISCO_IPV6_SPLIT_INC...	the same for IPv6; MASKLEN 0 means default
 *   INTERNAL_IP4_DNS		the only DNS list its Linux paths read
 *				(resolv.conf, resolvconf, resolvectl)
 *   CISCO_SPLIT_DNS		comma-separated; resolvectl search domains
 *   CISCO_DEF_DOMAIN		search domain(s), space-separated
 *
 * The values are ours or the gateway's (RFC 7296 §3.15 configuration
 * attributes, RFC 8598 domains).  Addresses arrive as binary and are
 * printed here, so they are always well-formed; free text is cleaned of
 * control characters, because the script writes values into
 * resolv.conf line by line.  No secret is ever passed in.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "common/ir_err.h"
#include "tun/tun.h"

/* The writer: strings into |buf|, pointers into |env|; overflow sticks. */
struct tun_envw {
	char		*buf;
	size_t		 cap, len;
	char		**env;
	size_t		 env_cap, n;
	size_t		 start;		/* of the variable being written */
	bool		 overflow;
};

static const char *const tun_reasons[] = {
	[TUN_REASON_PRE_INIT] = "pre-init",
	[TUN_REASON_CONNECT] = "connect",
	[TUN_REASON_DISCONNECT] = "disconnect",
	[TUN_REASON_RECONNECT] = "reconnect",
	[TUN_REASON_ATTEMPT_RECONNECT] = "attempt-reconnect",
};

const char *
tun_reason_name(enum tun_reason r)
{
	if ((unsigned)r >= sizeof(tun_reasons) / sizeof(tun_reasons[0]))
		return NULL;
	return tun_reasons[r];
}

/* Append |n| bytes, control characters (NUL, CR, LF, ...) as spaces. */
static void
envw_put(struct tun_envw *w, const char *s, size_t n)
{
	size_t i;

	if (w->overflow || w->cap - w->len < n) {
		w->overflow = true;
		return;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		w->buf[w->len++] = (char)(c < 0x20 || c == 0x7f ? ' ' : c);
	}
}

static void
envw_puts(struct tun_envw *w, const char *s)
{
	envw_put(w, s, strlen(s));
}

static void
envw_begin(struct tun_envw *w, const char *name)
{
	w->start = w->len;
	envw_puts(w, name);
	envw_put(w, "=", 1);
}

/* NUL-end the variable and point the next env slot at it. */
static void
envw_end(struct tun_envw *w)
{
	if (w->overflow || w->cap - w->len < 1 || w->env_cap - w->n < 2) {
		w->overflow = true;		/* the NULL needs a slot too */
		return;
	}
	w->buf[w->len++] = '\0';
	w->env[w->n++] = w->buf + w->start;
}

static void
envw_str(struct tun_envw *w, const char *name, const char *value)
{
	envw_begin(w, name);
	envw_puts(w, value);
	envw_end(w);
}

static void
envw_put_u32(struct tun_envw *w, uint32_t v)
{
	char num[16];

	snprintf(num, sizeof(num), "%u", (unsigned)v);
	envw_puts(w, num);
}

static void
envw_u32(struct tun_envw *w, const char *name, uint32_t v)
{
	envw_begin(w, name);
	envw_put_u32(w, v);
	envw_end(w);
}

/* The printed form of |ip|, or "" for a family it does not have. */
static void
envw_put_ip(struct tun_envw *w, const struct tun_ip *ip)
{
	char text[INET6_ADDRSTRLEN];

	if (inet_ntop(ip->family, ip->addr, text, sizeof(text)) != NULL)
		envw_puts(w, text);
}

static void
envw_ip(struct tun_envw *w, const char *name, const struct tun_ip *ip)
{
	envw_begin(w, name);
	envw_put_ip(w, ip);
	envw_end(w);
}

/* CISCO_SPLIT_INC_3_ADDR: a name with the entry number in it. */
static void
envw_nbegin(struct tun_envw *w, const char *pfx, size_t i, const char *sfx)
{
	char name[64];

	snprintf(name, sizeof(name), "%s_%zu_%s", pfx, i, sfx);
	envw_begin(w, name);
}

/* The IPv4 mask of a prefix length (0..32), in network order. */
static void
tun_mask4(uint8_t len, uint8_t out[4])
{
	uint32_t m = len == 0 ? 0 : 0xffffffffu << (32 - len);

	out[0] = (uint8_t)(m >> 24);
	out[1] = (uint8_t)(m >> 16);
	out[2] = (uint8_t)(m >> 8);
	out[3] = (uint8_t)m;
}

/* Clear the host bits of |p|: the network address the routes need. */
static struct tun_ip
tun_netaddr(const struct tun_prefix *p)
{
	struct tun_ip net = p->ip;
	size_t i, bits = p->len;

	for (i = 0; i < sizeof(net.addr); i++) {
		if (bits >= 8)
			bits -= 8;
		else {
			net.addr[i] &= (uint8_t)(0xff00u >> bits);
			bits = 0;
		}
	}
	return net;
}

static bool
tun_family_ok(const struct tun_ip *ip, int family)
{
	return ip->family == family;
}

/* Check the configuration before writing anything. */
static int
tun_script_check(const struct tun_script_conf *c)
{
	size_t i;

	if (tun_reason_name(c->reason) == NULL)
		return IR_ERR_CONFIG;
	if (c->gateway.family != AF_INET && c->gateway.family != AF_INET6)
		return IR_ERR_CONFIG;
	if ((c->ip4.family != 0 && !tun_family_ok(&c->ip4, AF_INET)) ||
	    c->ip4_prefix > 32)
		return IR_ERR_CONFIG;
	if ((c->ip6.family != 0 && !tun_family_ok(&c->ip6, AF_INET6)) ||
	    c->ip6_prefix > 128)
		return IR_ERR_CONFIG;
	for (i = 0; i < c->n_dns; i++)
		if (c->dns[i].family != AF_INET && c->dns[i].family != AF_INET6)
			return IR_ERR_CONFIG;
	for (i = 0; i < c->n_nbns; i++)
		if (!tun_family_ok(&c->nbns[i], AF_INET))
			return IR_ERR_CONFIG;
	for (i = 0; i < c->n_split_inc; i++) {
		const struct tun_prefix *p = &c->split_inc[i].net;

		if (!(p->ip.family == AF_INET && p->len <= 32) &&
		    !(p->ip.family == AF_INET6 && p->len <= 128))
			return IR_ERR_CONFIG;
	}
	return 0;
}

static void
tun_script_ip4(struct tun_envw *w, const struct tun_script_conf *c)
{
	struct tun_prefix p = { c->ip4, c->ip4_prefix };
	struct tun_ip mask = { AF_INET, { 0 } }, net;

	if (c->ip4.family == 0)
		return;
	envw_ip(w, "INTERNAL_IP4_ADDRESS", &c->ip4);
	/*
	 * No netmask (or /32, what ikeroam assumes without one): the script
	 * adds no net route.  A /32 "network" is the address itself, which
	 * the script's "ip addr add A/32 peer A" already routes to the TUN;
	 * its "ip route replace A/32" and "ip route flush cache" would only
	 * delay the routes that matter (they come before CISCO_SPLIT_INC).
	 */
	if (c->ip4_prefix == 0 || c->ip4_prefix == 32)
		return;
	tun_mask4(c->ip4_prefix, mask.addr);
	net = tun_netaddr(&p);
	envw_ip(w, "INTERNAL_IP4_NETMASK", &mask);
	envw_u32(w, "INTERNAL_IP4_NETMASKLEN", c->ip4_prefix);
	envw_ip(w, "INTERNAL_IP4_NETADDR", &net);
}

/* A space-separated address list; |family| 0 takes both families. */
static void
tun_script_iplist(struct tun_envw *w, const char *name,
    const struct tun_ip *ips, size_t n, int family)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (family == 0 || ips[i].family == family)
			k++;
	if (k == 0)
		return;
	envw_begin(w, name);
	for (i = 0, k = 0; i < n; i++) {
		if (family != 0 && ips[i].family != family)
			continue;
		if (k++ > 0)
			envw_put(w, " ", 1);
		envw_put_ip(w, &ips[i]);
	}
	envw_end(w);
}

static void
tun_script_ip6(struct tun_envw *w, const struct tun_script_conf *c)
{
	char len[8];

	if (c->ip6.family == 0)
		return;
	envw_ip(w, "INTERNAL_IP6_ADDRESS", &c->ip6);
	envw_begin(w, "INTERNAL_IP6_NETMASK");
	envw_put_ip(w, &c->ip6);
	snprintf(len, sizeof(len), "/%u",
	    (unsigned)(c->ip6_prefix != 0 ? c->ip6_prefix : 128));
	envw_puts(w, len);
	envw_end(w);
}

static void
tun_script_domains(struct tun_envw *w, const struct tun_script_conf *c)
{
	size_t i, k = 0;

	if (c->def_domain != NULL && c->def_domain[0] != '\0')
		envw_str(w, "CISCO_DEF_DOMAIN", c->def_domain);
	for (i = 0; i < c->n_split_dns; i++)
		if (c->split_dns[i] != NULL && c->split_dns[i][0] != '\0')
			k++;
	if (k == 0)
		return;
	envw_begin(w, "CISCO_SPLIT_DNS");
	for (i = 0, k = 0; i < c->n_split_dns; i++) {
		if (c->split_dns[i] == NULL || c->split_dns[i][0] == '\0')
			continue;
		if (k++ > 0)
			envw_put(w, ",", 1);
		envw_puts(w, c->split_dns[i]);
	}
	envw_end(w);
}

/* One numbered variable: CISCO_SPLIT_INC_3_MASKLEN=24. */
static void
envw_nu32(struct tun_envw *w, const char *pfx, size_t i, const char *sfx,
    uint32_t v)
{
	envw_nbegin(w, pfx, i, sfx);
	envw_put_u32(w, v);
	envw_end(w);
}

static void
envw_nip(struct tun_envw *w, const char *pfx, size_t i, const char *sfx,
    const struct tun_ip *ip)
{
	envw_nbegin(w, pfx, i, sfx);
	envw_put_ip(w, ip);
	envw_end(w);
}

/*
 * CISCO_SPLIT_INC or CISCO_IPV6_SPLIT_INC and its entries, numbered from
 * 0 as vpnc-script's loop reads them.  The protocol and ports exist for
 * IPv4 only (vpnc's variables; the script ignores them today).
 */
static void
tun_script_split(struct tun_envw *w, const struct tun_script_conf *c,
    int family)
{
	const char *pfx = family == AF_INET ? "CISCO_SPLIT_INC" :
	    "CISCO_IPV6_SPLIT_INC";
	struct tun_ip mask = { AF_INET, { 0 } }, net;
	size_t i, k = 0;

	for (i = 0; i < c->n_split_inc; i++)
		k += c->split_inc[i].net.ip.family == family;
	if (k == 0)
		return;
	envw_u32(w, pfx, (uint32_t)k);
	for (i = 0, k = 0; i < c->n_split_inc; i++) {
		const struct tun_split *s = &c->split_inc[i];

		if (s->net.ip.family != family)
			continue;
		net = tun_netaddr(&s->net);
		envw_nip(w, pfx, k, "ADDR", &net);
		if (family == AF_INET) {
			tun_mask4(s->net.len, mask.addr);
			envw_nip(w, pfx, k, "MASK", &mask);
		}
		envw_nu32(w, pfx, k, "MASKLEN", s->net.len);
		if (family == AF_INET) {
			envw_nu32(w, pfx, k, "PROTOCOL", s->proto);
			envw_nu32(w, pfx, k, "SPORT", s->sport);
			envw_nu32(w, pfx, k, "DPORT", s->dport);
		}
		k++;
	}
}

int
tun_script_env(const struct tun_script_conf *c, char *buf, size_t cap,
    char **env, size_t env_cap, size_t *n)
{
	struct tun_envw w = { buf, cap, 0, env, env_cap, 0, 0, false };
	int rv;

	*n = 0;
	if ((rv = tun_script_check(c)) != 0)
		return rv;
	envw_str(&w, "reason", tun_reason_name(c->reason));
	envw_ip(&w, "VPNGATEWAY", &c->gateway);
	if (c->pid != 0)
		envw_u32(&w, "VPNPID", c->pid);
	if (c->tundev != NULL && c->tundev[0] != '\0')
		envw_str(&w, "TUNDEV", c->tundev);
	if (c->idle_timeout != 0)
		envw_u32(&w, "IDLE_TIMEOUT", c->idle_timeout);
	if (c->mtu != 0)
		envw_u32(&w, "INTERNAL_IP4_MTU", c->mtu);
	tun_script_ip4(&w, c);
	/* IPv6 servers too: the script's Linux DNS paths read only this. */
	tun_script_iplist(&w, "INTERNAL_IP4_DNS", c->dns, c->n_dns, 0);
	tun_script_iplist(&w, "INTERNAL_IP4_NBNS", c->nbns, c->n_nbns,
	    AF_INET);
	tun_script_ip6(&w, c);
	tun_script_iplist(&w, "INTERNAL_IP6_DNS", c->dns, c->n_dns, AF_INET6);
	tun_script_domains(&w, c);
	if (c->banner != NULL && c->banner_len > 0) {
		envw_begin(&w, "CISCO_BANNER");
		envw_put(&w, c->banner, c->banner_len);
		envw_end(&w);
	}
	tun_script_split(&w, c, AF_INET);
	tun_script_split(&w, c, AF_INET6);

	if (w.overflow)
		return IR_ERR_NOBUF;
	env[w.n] = NULL;		/* envw_end() kept this slot free */
	*n = w.n;
	return 0;
}
