/*
 * src/killswitch_rules.c: the kill switch's nftables ruleset and state
 * record as text.  Pure: no netlink, no files; killswitch.c runs the
 * text through libnftables.
 *
 * Why these rules (see man/ikeroam.8, KILL SWITCH):
 * - output and input: every packet of this host.  forward as well: a
 *   container or VM routed through this host would otherwise leave by
 *   the uplink while the tunnel is down; forwarded traffic may only go
 *   into the TUN (and come back out of it as replies).
 * - The TUN by name (oifname/iifname compare strings), so the rule holds
 *   before the device exists and again when a new run re-creates it.
 * - Gateway traffic by the gateway's addresses and ports only, whatever
 *   the interface: after a roam it leaves by another uplink.
 * - A base chain's drop wins over any other table's accept, and the
 *   other tables are never touched: the table is replaced and removed
 *   whole.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ir_err.h"
#include "src/killswitch.h"
#include "src/sockaddr_text.h"

/* Text appended with a sticky overflow flag, checked once at the end. */
struct out {
	char	*buf;
	size_t	 cap, len;
	bool	 overflow;
};

static void	put(struct out *o, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

static void
put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->cap - o->len) {
		o->overflow = true;
		return;
	}
	o->len += (size_t)n;
}

const char killswitch_delete_script[] =
    "table " KILLSWITCH_FAMILY " " KILLSWITCH_TABLE "\n"
    "delete table " KILLSWITCH_FAMILY " " KILLSWITCH_TABLE "\n";

/* Names go inside double quotes in the script: nothing that ends them. */
static bool
ifname_ok(const char *s)
{
	size_t n = strnlen(s, 16);

	if (n == 0 || n > 15)
		return false;
	for (; *s != '\0'; s++)
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') &&
		    !(*s >= '0' && *s <= '9') && *s != '-' && *s != '_' &&
		    *s != '.')
			return false;
	return true;
}

bool
killswitch_addr_text(const struct sockaddr_storage *ss,
    char text[INET6_ADDRSTRLEN])
{
	return sockaddr_text(ss, text, INET6_ADDRSTRLEN)[0] != '\0';
}

/* The gateway's name makes one record line: no control characters. */
static bool
name_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* "a, b": the gateway addresses of |family|. */
static void
put_addrs(struct out *o, const struct killswitch_conf *ks, int family)
{
	char text[INET6_ADDRSTRLEN];
	unsigned i, n = 0;

	for (i = 0; i < ks->n_gw; i++)
		if (ks->gw[i].ss_family == family &&
		    killswitch_addr_text(&ks->gw[i], text))
			put(o, "%s%s", n++ > 0 ? ", " : "", text);
}

static void
put_set(struct out *o, const struct killswitch_conf *ks, const char *name,
    int family)
{
	unsigned i, n = 0;

	for (i = 0; i < ks->n_gw; i++)
		n += ks->gw[i].ss_family == family;
	put(o, "\tset %s {\n\t\ttype %s\n", name,
	    family == AF_INET ? "ipv4_addr" : "ipv6_addr");
	if (n > 0) {
		put(o, "\t\telements = { ");
		put_addrs(o, ks, family);
		put(o, " }\n");
	}
	put(o, "\t}\n");
}

/* "{ 4500, 443 }" or "4500": the TCP ports to the gateway; false: none. */
static bool
put_tcp_ports(struct out *o, const struct killswitch_conf *ks)
{
	if (ks->tcp_port != 0 && ks->tls_port != 0 &&
	    ks->tcp_port != ks->tls_port)
		put(o, "{ %u, %u }", ks->tcp_port, ks->tls_port);
	else if (ks->tcp_port != 0 || ks->tls_port != 0)
		put(o, "%u", ks->tcp_port != 0 ? ks->tcp_port : ks->tls_port);
	else
		return false;
	return true;
}

static void
put_udp_ports(struct out *o, const struct killswitch_conf *ks)
{
	if (ks->ike_port != ks->natt_port)
		put(o, "{ %u, %u }", ks->ike_port, ks->natt_port);
	else
		put(o, "%u", ks->ike_port);
}

/*
 * The gateway, both ways.  Outbound by destination port; inbound by
 * source port for UDP (the gateway starts exchanges too, also after
 * conntrack forgot a quiet flow) and as established TCP.
 */
static void
put_gateway_rules(struct out *o, const struct killswitch_conf *ks, bool out)
{
	static const char *const fam[2][2] = {
		{ "ip", "@gw4" }, { "ip6", "@gw6" },
	};
	const char *dir = out ? "daddr" : "saddr";
	const char *port = out ? "dport" : "sport";
	int i;

	for (i = 0; i < 2; i++) {
		put(o, "\t\t%s %s %s udp %s ", fam[i][0], dir, fam[i][1], port);
		put_udp_ports(o, ks);
		put(o, " accept\n");
		if (ks->tcp_port == 0 && ks->tls_port == 0)
			continue;
		put(o, "\t\t%s %s %s tcp %s ", fam[i][0], dir, fam[i][1], port);
		(void)put_tcp_ports(o, ks);
		put(o, out ? " accept\n" : " ct state established accept\n");
	}
}

/* Private, link-local, multicast and broadcast: the local network. */
static void
put_lan(struct out *o, const char *dir)
{
	put(o, "\t\tip %s { 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, "
	    "169.254.0.0/16, 224.0.0.0/4, 255.255.255.255 } accept\n", dir);
	put(o, "\t\tip6 %s { fe80::/10, fc00::/7, ff00::/8 } accept\n", dir);
}

static void
put_output(struct out *o, const struct killswitch_conf *ks)
{
	put(o, "\tchain output {\n"
	    "\t\ttype filter hook output priority filter; policy drop;\n"
	    "\t\toifname \"lo\" accept\n"
	    "\t\toifname \"%s\" accept\n", ks->ifname);
	put_gateway_rules(o, ks, true);
	/* DHCPv4 (RFC 2131 §4.1) and DHCPv6 (RFC 8415 §7.2). */
	put(o, "\t\tudp sport 68 udp dport 67 accept\n"
	    "\t\tudp sport 546 udp dport 547 accept\n");
	/* RFC 4861 §6.1.1, §7.1.2: hop limit 255 cannot have been routed. */
	put(o, "\t\ticmpv6 type { nd-router-solicit, nd-neighbor-solicit, "
	    "nd-neighbor-advert } ip6 hoplimit 255 accept\n");
	/* MLDv2 reports (RFC 3810 §5.2) keep snooping switches passing ND. */
	put(o, "\t\tip6 daddr ff02::16 icmpv6 type mld2-listener-report "
	    "accept\n");
	if (ks->allow_lan)
		put_lan(o, "daddr");
	put(o, "\t\tcounter name \"dropped_out\" drop\n\t}\n");
}

static void
put_input(struct out *o, const struct killswitch_conf *ks)
{
	put(o, "\tchain input {\n"
	    "\t\ttype filter hook input priority filter; policy drop;\n"
	    "\t\tiifname \"lo\" accept\n"
	    "\t\tiifname \"%s\" accept\n", ks->ifname);
	put_gateway_rules(o, ks, false);
	/* ICMP errors about what we sent (PMTU, RFC 1191 / RFC 8201), from
	 * any router on the path. */
	put(o, "\t\tct state related accept\n");
	put(o, "\t\tudp sport 67 udp dport 68 accept\n"
	    "\t\tudp sport 547 udp dport 546 accept\n");
	put(o, "\t\ticmpv6 type { nd-router-advert, nd-neighbor-solicit, "
	    "nd-neighbor-advert, nd-redirect } ip6 hoplimit 255 accept\n");
	if (ks->allow_lan)
		put_lan(o, "saddr");
	put(o, "\t\tcounter name \"dropped_in\" drop\n\t}\n");
}

static void
put_forward(struct out *o, const struct killswitch_conf *ks)
{
	put(o, "\tchain forward {\n"
	    "\t\ttype filter hook forward priority filter; policy drop;\n"
	    "\t\toifname \"%s\" accept\n"
	    "\t\tiifname \"%s\" ct state established,related accept\n",
	    ks->ifname, ks->ifname);
	if (ks->allow_lan)
		put_lan(o, "daddr");
	put(o, "\t\tcounter name \"dropped_fwd\" drop\n\t}\n");
}

int
killswitch_render(const struct killswitch_conf *ks, char *buf, size_t len)
{
	struct out o = { buf, len, 0, false };
	unsigned i;

	if (len == 0)
		return IR_ERR_NOBUF;
	buf[0] = '\0';
	if (ks->n_gw == 0 || ks->n_gw > KILLSWITCH_MAX_GW ||
	    !ifname_ok(ks->ifname) || ks->ike_port == 0 || ks->natt_port == 0)
		return IR_ERR_CONFIG;
	for (i = 0; i < ks->n_gw; i++)
		if (ks->gw[i].ss_family != AF_INET &&
		    ks->gw[i].ss_family != AF_INET6)
			return IR_ERR_CONFIG;
	put(&o, "%s", killswitch_delete_script);
	put(&o, "table " KILLSWITCH_FAMILY " " KILLSWITCH_TABLE " {\n"
	    "\tcounter dropped_out { }\n"
	    "\tcounter dropped_in { }\n"
	    "\tcounter dropped_fwd { }\n");
	put_set(&o, ks, "gw4", AF_INET);
	put_set(&o, ks, "gw6", AF_INET6);
	put_output(&o, ks);
	put_input(&o, ks);
	put_forward(&o, ks);
	put(&o, "}\n");
	if (o.overflow) {
		buf[0] = '\0';
		return IR_ERR_NOBUF;
	}
	return 0;
}

/* ---- the state record ---------------------------------------------------- */

int
killswitch_record_format(const struct killswitch_conf *ks, char *buf,
    size_t len)
{
	struct out o = { buf, len, 0, false };
	char text[INET6_ADDRSTRLEN];
	unsigned i;

	if (len == 0)
		return IR_ERR_NOBUF;
	buf[0] = '\0';
	if (!name_ok(ks->gw_name))
		return IR_ERR_CONFIG;
	put(&o, "# ikeroam kill switch: table " KILLSWITCH_FAMILY " "
	    KILLSWITCH_TABLE "; clear it with: ikeroam kill-switch off\n");
	put(&o, "gateway %s\n", ks->gw_name);
	for (i = 0; i < ks->n_gw && i < KILLSWITCH_MAX_GW; i++) {
		if (!killswitch_addr_text(&ks->gw[i], text))
			return IR_ERR_CONFIG;
		put(&o, "address %s\n", text);
	}
	put(&o, "ports %u %u %u %u\n", ks->ike_port, ks->natt_port,
	    ks->tcp_port, ks->tls_port);
	put(&o, "ifname %s\n", ks->ifname);
	put(&o, "allow-lan %d\n", ks->allow_lan ? 1 : 0);
	if (o.overflow) {
		buf[0] = '\0';
		return IR_ERR_NOBUF;
	}
	return 0;
}

static bool
parse_addr(const char *s, struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		return true;
	}
	return false;
}

static bool
parse_port(const char *s, char **end, uint16_t *port)
{
	unsigned long v;

	if (*s < '0' || *s > '9')
		return false;
	v = strtoul(s, end, 10);
	if (v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

/* One "key value" line (NUL-terminated, no newline). */
static bool
parse_line(char *line, struct killswitch_conf *ks)
{
	char *v = strchr(line, ' '), *p;

	if (line[0] == '#' || line[0] == '\0')
		return true;
	if (v == NULL)
		return false;
	*v++ = '\0';
	if (strcmp(line, "gateway") == 0) {
		if (strlen(v) >= sizeof(ks->gw_name) || !name_ok(v))
			return false;
		strcpy(ks->gw_name, v);
	} else if (strcmp(line, "address") == 0) {
		if (ks->n_gw == KILLSWITCH_MAX_GW)
			return false;
		if (!parse_addr(v, &ks->gw[ks->n_gw]))
			return false;
		ks->n_gw++;
	} else if (strcmp(line, "ports") == 0) {
		p = v;
		if (!parse_port(p, &p, &ks->ike_port) || *p++ != ' ' ||
		    !parse_port(p, &p, &ks->natt_port) || *p++ != ' ' ||
		    !parse_port(p, &p, &ks->tcp_port) || *p++ != ' ' ||
		    !parse_port(p, &p, &ks->tls_port) || *p != '\0')
			return false;
	} else if (strcmp(line, "ifname") == 0) {
		if (!ifname_ok(v))
			return false;
		strcpy(ks->ifname, v);
	} else if (strcmp(line, "allow-lan") == 0) {
		if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
			return false;
		ks->allow_lan = v[0] == '1';
	} else
		return false;
	return true;
}

int
killswitch_record_parse(const char *text, size_t len,
    struct killswitch_conf *ks)
{
	char line[512];
	size_t i = 0, n;

	memset(ks, 0, sizeof(*ks));
	while (i < len) {
		for (n = 0; i + n < len && text[i + n] != '\n'; n++)
			;
		if (n >= sizeof(line) || memchr(text + i, '\0', n) != NULL)
			return IR_ERR_MALFORMED;
		memcpy(line, text + i, n);
		line[n] = '\0';
		if (!parse_line(line, ks))
			return IR_ERR_MALFORMED;
		i += n + 1;
	}
	if (ks->n_gw == 0 || ks->ifname[0] == '\0' || ks->ike_port == 0 ||
	    ks->natt_port == 0)
		return IR_ERR_MALFORMED;
	return 0;
}

/*
 * "counter NAME {" then "packets N bytes M" in nft's listing of the
 * table; the first "packets" after the name belongs to it.
 */
int
killswitch_counter_parse(const char *listing, const char *name,
    uint64_t *packets)
{
	char head[64];
	const char *p;

	if (snprintf(head, sizeof(head), "counter %s {", name) >=
	    (int)sizeof(head))
		return IR_ERR_NOT_FOUND;
	if ((p = strstr(listing, head)) == NULL ||
	    (p = strstr(p + strlen(head), "packets ")) == NULL)
		return IR_ERR_NOT_FOUND;
	p += strlen("packets ");
	if (*p < '0' || *p > '9')
		return IR_ERR_NOT_FOUND;
	*packets = strtoull(p, NULL, 10);
	return 0;
}
