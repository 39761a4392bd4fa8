/*
 * tests/src/check_cfg_policy.c: local policy on the gateway's CFG_REPLY
 * (RFC 7296 §3.15.1, RFC 8598 §4): what would break the host is refused
 * or dropped with one warning each; everything else is kept as given.
 */
#include <arpa/inet.h>
#include <check.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/cfg_policy.h"
#include "src/netcfg.h"

static int	n_warn;
static char	last_warn[256];

static void
warn(void *ud, const char *line)
{
	(void)ud;
	n_warn++;
	snprintf(last_warn, sizeof(last_warn), "%s", line);
}

static struct cfg_net
net(const char *a, uint8_t prefix)
{
	struct cfg_net n;

	memset(&n, 0, sizeof(n));
	n.family = strchr(a, ':') != NULL ? 6 : 4;
	inet_pton(n.family == 4 ? AF_INET : AF_INET6, a, n.addr);
	n.prefix = prefix;
	return n;
}

/* A laptop on 192.168.1.23/24 behind 192.168.1.1, gateway 203.0.113.5. */
static struct cfg_policy_host
home(void)
{
	struct cfg_policy_host h;

	memset(&h, 0, sizeof(h));
	h.gateway = net("203.0.113.5", 32);
	h.router = net("192.168.1.1", 32);
	h.nets[h.n_nets++] = net("192.168.1.23", 24);
	h.nets[h.n_nets++] = net("2001:db8:1::23", 64);
	return h;
}

static struct ike_cfg_reply
reply(const char *ip4, uint8_t prefix)
{
	struct ike_cfg_reply c;

	memset(&c, 0, sizeof(c));
	c.has_ip4 = true;
	inet_pton(AF_INET, ip4, c.ip4);
	c.ip4_prefix = prefix;
	return c;
}

static void
add_split(struct ike_cfg_reply *c, const char *a, uint8_t prefix)
{
	struct cfg_net n = net(a, prefix);

	memcpy(c->subnets[c->n_subnets].addr, n.addr, 16);
	c->subnets[c->n_subnets].prefix = prefix;
	c->subnets[c->n_subnets].family = n.family;
	c->n_subnets++;
}

static int
apply(struct ike_cfg_reply *c, char *err, size_t len)
{
	struct cfg_policy_host h = home();

	n_warn = 0;
	last_warn[0] = '\0';
	err[0] = '\0';
	return cfg_policy_apply(c, &h, warn, NULL, err, len);
}

/* Addresses that would break the host end the session with one line. */
START_TEST(refused_addresses)
{
	static const char *bad[] = { "0.0.0.0", "127.0.0.1", "224.0.0.5",
	    "255.255.255.255", "240.1.2.3", "203.0.113.5", "192.168.1.1",
	    "192.168.1.23" };
	struct ike_cfg_reply c;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = reply(bad[i], 32);
		ck_assert_int_eq(apply(&c, err, sizeof(err)), IR_ERR_CONFIG);
		ck_assert_ptr_nonnull(strstr(err, bad[i]));
		ck_assert_ptr_null(strchr(err, '\n'));
	}
	/* Inside the LAN but not a host we know: kept (overlapping pools
	 * are common and the other splits still work). */
	c = reply("192.168.1.200", 32);
	ck_assert_int_eq(apply(&c, err, sizeof(err)), 0);
	c = reply("10.9.0.2", 32);
	ck_assert_int_eq(apply(&c, err, sizeof(err)), 0);
	ck_assert_int_eq(n_warn, 0);
}
END_TEST

START_TEST(netmask_zero)
{
	struct ike_cfg_reply c = reply("10.9.0.2", 0);
	char err[256];

	ck_assert_int_eq(apply(&c, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.ip4_prefix, 32);
	ck_assert_int_eq(n_warn, 1);
}
END_TEST

START_TEST(splits)
{
	struct ike_cfg_reply c = reply("10.9.0.2", 32);
	char err[256];

	add_split(&c, "10.0.0.0", 8);		/* kept: less specific */
	add_split(&c, "0.0.0.0", 0);		/* dropped: /0 */
	add_split(&c, "192.168.1.0", 24);	/* dropped: the LAN itself */
	add_split(&c, "192.168.1.128", 25);	/* dropped: inside the LAN */
	add_split(&c, "192.168.0.0", 16);	/* kept: the LAN route wins */
	add_split(&c, "203.0.113.5", 32);	/* dropped: a loop */
	add_split(&c, "203.0.113.0", 24);	/* kept: the pin is /32 */
	add_split(&c, "127.0.0.0", 8);		/* dropped */
	add_split(&c, "224.0.0.0", 4);		/* dropped */
	add_split(&c, "2001:db8:1::", 64);	/* dropped: the IPv6 LAN */
	add_split(&c, "2001:db8:2::", 48);	/* kept */
	add_split(&c, "fe80::", 10);		/* dropped */
	ck_assert_int_eq(apply(&c, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.n_subnets, 4);
	ck_assert_uint_eq(c.subnets[0].prefix, 8);
	ck_assert_uint_eq(c.subnets[1].prefix, 16);
	ck_assert_uint_eq(c.subnets[2].prefix, 24);
	ck_assert_uint_eq(c.subnets[2].addr[0], 203);
	ck_assert_uint_eq(c.subnets[3].family, 6);
	ck_assert_int_eq(n_warn, 8);
	ck_assert_ptr_nonnull(strstr(last_warn, "fe80"));
}
END_TEST

static void
add_ts(struct ike_ts *ts, uint8_t *n, const char *lo, const char *hi)
{
	struct ike_ts *t = &ts[(*n)++];
	int af = strchr(lo, ':') != NULL ? AF_INET6 : AF_INET;

	memset(t, 0, sizeof(*t));
	t->type = af == AF_INET ? 7 : 8;
	t->port_hi = 65535;
	inet_pton(af, lo, t->start);
	inet_pton(af, hi, t->end);
}

static int
apply_ts(struct ike_ts *ts, uint8_t *n, char *err, size_t len)
{
	struct cfg_policy_host h = home();

	n_warn = 0;
	last_warn[0] = '\0';
	err[0] = '\0';
	return cfg_policy_ts(ts, n, &h, warn, NULL, err, len);
}

/*
 * Traffic selectors become split routes too (RFC 7296 §2.9: the gateway
 * narrows them): the same rules as CFG_REPLY's splits, on the prefix the
 * selector is routed as.  0/0 is the full tunnel and stays.
 */
START_TEST(ts_splits)
{
	struct ike_ts ts[IKE_TS_MAX];
	uint8_t n = 0;
	char err[256];

	add_ts(ts, &n, "0.0.0.0", "255.255.255.255");	/* kept: full */
	add_ts(ts, &n, "10.0.0.0", "10.255.255.255");	/* kept */
	add_ts(ts, &n, "192.168.1.0", "192.168.1.255");	/* the LAN */
	add_ts(ts, &n, "192.168.1.10", "192.168.1.20");	/* in the LAN */
	add_ts(ts, &n, "203.0.113.5", "203.0.113.5");	/* a loop */
	add_ts(ts, &n, "224.0.0.0", "239.255.255.255");	/* multicast */
	add_ts(ts, &n, "2001:db8:1::", "2001:db8:1::ffff:ffff:ffff:ffff");
	add_ts(ts, &n, "2001:db8:2::", "2001:db8:2:ffff:ffff:ffff:ffff:ffff");
	ck_assert_int_eq(apply_ts(ts, &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(cfg_policy_ts_prefix(&ts[0]), 0);
	ck_assert_uint_eq(cfg_policy_ts_prefix(&ts[1]), 8);
	ck_assert_uint_eq(ts[1].start[0], 10);
	ck_assert_uint_eq(ts[2].type, 8);
	ck_assert_uint_eq(cfg_policy_ts_prefix(&ts[2]), 48);
	ck_assert_int_eq(n_warn, 5);
	ck_assert_ptr_nonnull(strstr(last_warn, "2001:0db8:0001"));
	ck_assert_ptr_nonnull(strstr(last_warn, "a network this host is on"));
	ck_assert_str_eq(err, "");
}
END_TEST

/* Nothing of a family left: routing it in full would black-hole it. */
START_TEST(ts_all_dropped)
{
	struct ike_ts ts[IKE_TS_MAX];
	uint8_t n = 0;
	char err[256];

	add_ts(ts, &n, "192.168.1.0", "192.168.1.255");
	add_ts(ts, &n, "10.0.0.0", "10.255.255.255");
	ck_assert_int_eq(apply_ts(ts, &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, 1);
	n = 0;
	add_ts(ts, &n, "192.168.1.0", "192.168.1.255");
	add_ts(ts, &n, "203.0.113.5", "203.0.113.5");
	add_ts(ts, &n, "2001:db8:2::", "2001:db8:2:ffff:ffff:ffff:ffff:ffff");
	ck_assert_int_eq(apply_ts(ts, &n, err, sizeof(err)), IR_ERR_CONFIG);
	ck_assert_ptr_nonnull(strstr(err, "every IPv4 traffic selector"));
	ck_assert_ptr_null(strchr(err, '\n'));
	ck_assert_int_eq(n_warn, 2);
}
END_TEST

START_TEST(ipv6_and_dns)
{
	struct ike_cfg_reply c = reply("10.9.0.2", 32);
	char err[256];

	c.has_ip6 = true;
	inet_pton(AF_INET6, "fe80::1", c.ip6);
	c.ip6_prefix = 64;
	inet_pton(AF_INET, "10.9.0.53", c.dns4[c.n_dns4++]);
	inet_pton(AF_INET, "127.0.0.53", c.dns4[c.n_dns4++]);
	inet_pton(AF_INET, "0.0.0.0", c.dns4[c.n_dns4++]);
	inet_pton(AF_INET, "10.9.0.54", c.dns4[c.n_dns4++]);
	inet_pton(AF_INET6, "ff02::1", c.dns6[c.n_dns6++]);
	inet_pton(AF_INET6, "2001:db8:9::53", c.dns6[c.n_dns6++]);
	ck_assert_int_eq(apply(&c, err, sizeof(err)), 0);
	ck_assert(!c.has_ip6);
	ck_assert_uint_eq(c.n_dns4, 2);
	ck_assert_uint_eq(c.dns4[1][3], 54);
	ck_assert_uint_eq(c.n_dns6, 1);
	ck_assert_uint_eq(c.dns6[0][15], 0x53);
	ck_assert_int_eq(n_warn, 4);

	c = reply("10.9.0.2", 32);
	c.has_ip6 = true;
	inet_pton(AF_INET6, "2001:db8:9::2", c.ip6);
	c.ip6_prefix = 0;
	ck_assert_int_eq(apply(&c, err, sizeof(err)), 0);
	ck_assert(c.has_ip6);
	ck_assert_uint_eq(c.ip6_prefix, 128);
}
END_TEST

/* RFC 1035 §2.3.1 names only: they reach vpnc-script and resolvectl. */
START_TEST(domains_ldh)
{
	static const char *good[] = { "example.com", "corp.example.com.",
	    "a", "x-1.example", "0.example" };
	static const char *bad[] = { "-rf", "a..b", ".", "", "a-.example",
	    "example.-a", "a_b.example", "a b", "ex\x01" "ample",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    ".com" };
	struct ike_cfg_reply c = reply("10.9.0.2", 32);
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(cfg_policy_dns_name_ok(good[i]), "%s", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!cfg_policy_dns_name_ok(bad[i]), "%s", bad[i]);
	strcpy(c.domains[c.n_domains++], "-rf");
	strcpy(c.domains[c.n_domains++], "corp.example");
	strcpy(c.domains[c.n_domains++], "a..b");
	strcpy(c.domains[c.n_domains++], "lab.example");
	ck_assert_int_eq(apply(&c, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.n_domains, 2);
	ck_assert_str_eq(c.domains[0], "corp.example");
	ck_assert_str_eq(c.domains[1], "lab.example");
	ck_assert_int_eq(n_warn, 2);
}
END_TEST

/*
 * What the policy lets through must fit vpnc-script's environment: 48
 * IPv4 splits (CFG_REPLY subnets and traffic selectors) with the longest
 * values, every DNS server and domain.  24 splits once overflowed it.
 */
START_TEST(script_env_worst_case)
{
	static struct netcfg nc;
	static char domain_buf[IKE_CFG_DOMAIN_MAX][IKE_CFG_DOMAIN_LEN];
	struct tun_split split[IKE_CFG_SUBNET_MAX + IKE_TS_MAX];
	struct tun_ip dns[2 * IKE_CFG_DNS_MAX];
	const char *domains[IKE_CFG_DOMAIN_MAX];
	struct tun_script_conf sc;
	size_t i, n;

	memset(&sc, 0, sizeof(sc));
	sc.reason = TUN_REASON_CONNECT;
	sc.tundev = "ikeroam-longest";
	sc.gateway.family = AF_INET;
	inet_pton(AF_INET, "203.0.113.255", sc.gateway.addr);
	sc.pid = 4194304;
	sc.mtu = 1400;
	sc.ip4.family = AF_INET;
	inet_pton(AF_INET, "198.51.100.255", sc.ip4.addr);
	sc.ip4_prefix = 32;
	sc.ip6.family = AF_INET6;
	memset(sc.ip6.addr, 0xff, 16);
	sc.ip6.addr[0] = 0x20;
	sc.ip6_prefix = 128;
	for (i = 0; i < IR_ARRAY_LEN(dns); i++) {
		dns[i].family = i < IKE_CFG_DNS_MAX ? AF_INET : AF_INET6;
		memset(dns[i].addr, 0xfe, 16);
	}
	sc.dns = dns;
	sc.n_dns = IR_ARRAY_LEN(dns);
	for (i = 0; i < IKE_CFG_DOMAIN_MAX; i++) {
		memset(domain_buf[i], 'a', IKE_CFG_DOMAIN_LEN - 1);
		domains[i] = domain_buf[i];
	}
	sc.def_domain = domains[0];
	sc.split_dns = domains;
	sc.n_split_dns = IKE_CFG_DOMAIN_MAX;
	for (i = 0; i < IR_ARRAY_LEN(split); i++) {
		memset(&split[i], 0, sizeof(split[i]));
		split[i].net.ip.family = AF_INET;
		memset(split[i].net.ip.addr, 0xfe, 4);
		split[i].net.len = 31;
		split[i].proto = 17;
		split[i].sport = 65535;
		split[i].dport = 65535;
	}
	sc.split_inc = split;
	sc.n_split_inc = IR_ARRAY_LEN(split);
	/* netcfg.c keeps one slot for PATH and one for the NULL. */
	ck_assert_int_eq(tun_script_env(&sc, nc.envbuf, sizeof(nc.envbuf),
	    nc.env, IR_ARRAY_LEN(nc.env) - 1, &n), 0);
	ck_assert_uint_lt(n + 1, IR_ARRAY_LEN(nc.env));
}
END_TEST

Suite *
cfg_policy_suite(void)
{
	Suite *s = suite_create("cfg_policy");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, refused_addresses);
	tcase_add_test(tc, netmask_zero);
	tcase_add_test(tc, splits);
	tcase_add_test(tc, ts_splits);
	tcase_add_test(tc, ts_all_dropped);
	tcase_add_test(tc, ipv6_and_dns);
	tcase_add_test(tc, domains_ldh);
	tcase_add_test(tc, script_env_worst_case);
	suite_add_tcase(s, tc);
	return s;
}
