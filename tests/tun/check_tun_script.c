/*
 * tests/tun/check_tun_script.c: the vpnc-script environment.  Expected
 * lists are written out by hand from what /usr/share/vpnc-scripts/
 * vpnc-script reads (variable names, INTERNAL_IP6_NETMASK as "addr/len",
 * CISCO_SPLIT_DNS comma-separated, split entries numbered from 0).
 */
#include <arpa/inet.h>
#include <check.h>
#include <string.h>
#include <sys/socket.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "tests/tun/tun_test.h"
#include "tun/tun.h"

/* A configuration with every field set, on static storage. */
static struct tun_ip full_dns[3], full_nbns[1];
static struct tun_split full_split[2];
static const char *const full_domains[] = { "corp.example", "lab.example" };

static struct tun_script_conf
full_conf(enum tun_reason reason)
{
	struct tun_script_conf c;

	memset(&c, 0, sizeof(c));
	full_dns[0] = tt_ip("192.0.2.53");
	full_dns[1] = tt_ip("2001:db8::53");
	full_dns[2] = tt_ip("192.0.2.54");
	full_nbns[0] = tt_ip("192.0.2.137");
	full_split[0] = tt_split("203.0.113.0", 24);
	full_split[1] = tt_split("2001:db8:2::", 48);
	c.reason = reason;
	c.tundev = "tun0";
	c.gateway = tt_ip("198.51.100.1");
	c.pid = 4242;
	c.idle_timeout = 1800;
	c.mtu = 1400;
	c.ip4 = tt_ip("192.0.2.77");
	c.ip4_prefix = 24;
	c.ip6 = tt_ip("2001:db8:1::5");
	c.ip6_prefix = 64;
	c.dns = full_dns;
	c.n_dns = 3;
	c.nbns = full_nbns;
	c.n_nbns = 1;
	c.def_domain = "example.com";
	c.split_dns = full_domains;
	c.n_split_dns = 2;
	c.split_inc = full_split;
	c.n_split_inc = 2;
	c.banner = "Welcome";
	c.banner_len = 7;
	return c;
}

/* Everything after "reason=" for full_conf(). */
static const char *const full_rest[] = {
	"VPNGATEWAY=198.51.100.1",
	"VPNPID=4242",
	"TUNDEV=tun0",
	"IDLE_TIMEOUT=1800",
	"INTERNAL_IP4_MTU=1400",
	"INTERNAL_IP4_ADDRESS=192.0.2.77",
	"INTERNAL_IP4_NETMASK=255.255.255.0",
	"INTERNAL_IP4_NETMASKLEN=24",
	"INTERNAL_IP4_NETADDR=192.0.2.0",
	"INTERNAL_IP4_DNS=192.0.2.53 2001:db8::53 192.0.2.54",
	"INTERNAL_IP4_NBNS=192.0.2.137",
	"INTERNAL_IP6_ADDRESS=2001:db8:1::5",
	"INTERNAL_IP6_NETMASK=2001:db8:1::5/64",
	"INTERNAL_IP6_DNS=2001:db8::53",
	"CISCO_DEF_DOMAIN=example.com",
	"CISCO_SPLIT_DNS=corp.example,lab.example",
	"CISCO_BANNER=Welcome",
	"CISCO_SPLIT_INC=1",
	"CISCO_SPLIT_INC_0_ADDR=203.0.113.0",
	"CISCO_SPLIT_INC_0_MASK=255.255.255.0",
	"CISCO_SPLIT_INC_0_MASKLEN=24",
	"CISCO_SPLIT_INC_0_PROTOCOL=0",
	"CISCO_SPLIT_INC_0_SPORT=0",
	"CISCO_SPLIT_INC_0_DPORT=0",
	"CISCO_IPV6_SPLIT_INC=1",
	"CISCO_IPV6_SPLIT_INC_0_ADDR=2001:db8:2::",
	"CISCO_IPV6_SPLIT_INC_0_MASKLEN=48",
};

#define N_REST	(sizeof(full_rest) / sizeof(full_rest[0]))

static char	 envbuf[4096];
static char	*env[128];

/* Build and compare with |want[0..n-1]|, NULL-terminated as uv_spawn needs. */
static void
expect_env(const struct tun_script_conf *c, const char *const *want, size_t n)
{
	size_t got, i;

	ck_assert_int_eq(tun_script_env(c, envbuf, sizeof(envbuf), env,
	    IR_ARRAY_LEN(env), &got), 0);
	for (i = 0; i < got && i < n; i++)
		ck_assert_str_eq(env[i], want[i]);
	ck_assert_uint_eq(got, n);
	ck_assert_ptr_null(env[got]);
}

static const struct {
	enum tun_reason	 reason;
	const char	*line;
} reasons[] = {
	{ TUN_REASON_PRE_INIT,		"reason=pre-init" },
	{ TUN_REASON_CONNECT,		"reason=connect" },
	{ TUN_REASON_DISCONNECT,	"reason=disconnect" },
	{ TUN_REASON_RECONNECT,		"reason=reconnect" },
	{ TUN_REASON_ATTEMPT_RECONNECT,	"reason=attempt-reconnect" },
};

/*
 * Every reason carries the whole list: vpnc-script's do_disconnect walks
 * CISCO_SPLIT_INC and the addresses again to remove what connect added.
 */
START_TEST(env_per_reason)
{
	struct tun_script_conf c = full_conf(reasons[_i].reason);
	const char *want[1 + N_REST];

	want[0] = reasons[_i].line;
	memcpy(want + 1, full_rest, sizeof(full_rest));
	expect_env(&c, want, IR_ARRAY_LEN(want));
}
END_TEST

/* Before the TUN exists there is no TUNDEV; the rest stays. */
START_TEST(env_pre_init_without_tundev)
{
	struct tun_script_conf c = full_conf(TUN_REASON_PRE_INIT);
	const char *want[N_REST];

	c.tundev = NULL;
	want[0] = "reason=pre-init";
	want[1] = full_rest[0];		/* VPNGATEWAY */
	want[2] = full_rest[1];		/* VPNPID */
	memcpy(want + 3, full_rest + 3, (N_REST - 3) * sizeof(full_rest[0]));
	expect_env(&c, want, IR_ARRAY_LEN(want));
}
END_TEST

/* The least a script gets: reason, gateway, an address. */
START_TEST(env_minimal)
{
	static const char *const want[] = {
		"reason=connect",
		"VPNGATEWAY=2001:db8::1",
		"TUNDEV=ikr0",
		"INTERNAL_IP4_ADDRESS=10.9.8.7",
	};
	struct tun_script_conf c;

	memset(&c, 0, sizeof(c));
	c.reason = TUN_REASON_CONNECT;
	c.gateway = tt_ip("2001:db8::1");
	c.tundev = "ikr0";
	c.ip4 = tt_ip("10.9.8.7");
	expect_env(&c, want, IR_ARRAY_LEN(want));
}
END_TEST

/* A /32 (the prefix ikeroam assumes when the gateway sends no netmask):
 * no INTERNAL_IP4_NETMASK, so that vpnc-script spends no process on a
 * route to the address it already routes with "peer". */
START_TEST(env_ip4_host_no_netmask)
{
	size_t got;
	static const char *const want[] = {
		"reason=connect",
		"VPNGATEWAY=198.51.100.1",
		"TUNDEV=ikr0",
		"INTERNAL_IP4_ADDRESS=198.51.100.129",
	};
	struct tun_script_conf c;

	memset(&c, 0, sizeof(c));
	c.reason = TUN_REASON_CONNECT;
	c.gateway = tt_ip("198.51.100.1");
	c.tundev = "ikr0";
	c.ip4 = tt_ip("198.51.100.129");
	c.ip4_prefix = 32;
	expect_env(&c, want, IR_ARRAY_LEN(want));
	c.ip4_prefix = 31;	/* a real network keeps its route */
	ck_assert_int_eq(tun_script_env(&c, envbuf, sizeof(envbuf), env,
	    IR_ARRAY_LEN(env), &got), 0);
	ck_assert_uint_eq(got, 7);
	ck_assert_str_eq(env[4], "INTERNAL_IP4_NETMASK=255.255.255.254");
}
END_TEST

/*
 * Mixed families in one list: each family numbered from 0 in order, host
 * bits cleared, masks printed; /0 stays 0.0.0.0 (vpnc-script: default).
 */
START_TEST(env_split_numbering)
{
	static const char *const want[] = {
		"reason=connect",
		"VPNGATEWAY=198.51.100.1",
		"INTERNAL_IP4_ADDRESS=192.0.2.77",
		"CISCO_SPLIT_INC=3",
		"CISCO_SPLIT_INC_0_ADDR=10.1.0.0",
		"CISCO_SPLIT_INC_0_MASK=255.255.0.0",
		"CISCO_SPLIT_INC_0_MASKLEN=16",
		"CISCO_SPLIT_INC_0_PROTOCOL=0",
		"CISCO_SPLIT_INC_0_SPORT=0",
		"CISCO_SPLIT_INC_0_DPORT=0",
		"CISCO_SPLIT_INC_1_ADDR=203.0.113.128",
		"CISCO_SPLIT_INC_1_MASK=255.255.255.224",
		"CISCO_SPLIT_INC_1_MASKLEN=27",
		"CISCO_SPLIT_INC_1_PROTOCOL=6",
		"CISCO_SPLIT_INC_1_SPORT=0",
		"CISCO_SPLIT_INC_1_DPORT=443",
		"CISCO_SPLIT_INC_2_ADDR=0.0.0.0",
		"CISCO_SPLIT_INC_2_MASK=0.0.0.0",
		"CISCO_SPLIT_INC_2_MASKLEN=0",
		"CISCO_SPLIT_INC_2_PROTOCOL=0",
		"CISCO_SPLIT_INC_2_SPORT=0",
		"CISCO_SPLIT_INC_2_DPORT=0",
		"CISCO_IPV6_SPLIT_INC=2",
		"CISCO_IPV6_SPLIT_INC_0_ADDR=2001:db8:aa00::",
		"CISCO_IPV6_SPLIT_INC_0_MASKLEN=40",
		"CISCO_IPV6_SPLIT_INC_1_ADDR=2001:db8::7",
		"CISCO_IPV6_SPLIT_INC_1_MASKLEN=128",
	};
	struct tun_split s[5];
	struct tun_script_conf c;

	s[0] = tt_split("10.1.2.3", 16);
	s[1] = tt_split("2001:db8:aabb::1", 40);
	s[2] = tt_split("203.0.113.150", 27);
	s[2].proto = 6;
	s[2].dport = 443;
	s[3] = tt_split("2001:db8::7", 128);
	s[4] = tt_split("192.0.2.1", 0);
	memset(&c, 0, sizeof(c));
	c.reason = TUN_REASON_CONNECT;
	c.gateway = tt_ip("198.51.100.1");
	c.ip4 = tt_ip("192.0.2.77");
	c.split_inc = s;
	c.n_split_inc = 5;
	expect_env(&c, want, IR_ARRAY_LEN(want));
}
END_TEST

/*
 * IPv6 only: no INTERNAL_IP4_* but INTERNAL_IP4_DNS still lists the IPv6
 * servers (vpnc-script's Linux paths read DNS from there only), and a
 * prefix length of 0 defaults to /128 as the script itself would.
 */
START_TEST(env_ipv6_only)
{
	static const char *const want[] = {
		"reason=connect",
		"VPNGATEWAY=2001:db8:ffff::1",
		"TUNDEV=tun3",
		"INTERNAL_IP4_MTU=1280",
		"INTERNAL_IP4_DNS=2001:db8::53 2001:db8::54",
		"INTERNAL_IP6_ADDRESS=2001:db8:1::42",
		"INTERNAL_IP6_NETMASK=2001:db8:1::42/128",
		"INTERNAL_IP6_DNS=2001:db8::53 2001:db8::54",
		"CISCO_SPLIT_DNS=v6.example",
		"CISCO_IPV6_SPLIT_INC=1",
		"CISCO_IPV6_SPLIT_INC_0_ADDR=::",
		"CISCO_IPV6_SPLIT_INC_0_MASKLEN=0",
	};
	static const char *const dom[] = { "v6.example" };
	struct tun_ip dns[2] = { tt_ip("2001:db8::53"), tt_ip("2001:db8::54") };
	struct tun_split s[1] = { tt_split("::", 0) };
	struct tun_script_conf c;

	memset(&c, 0, sizeof(c));
	c.reason = TUN_REASON_CONNECT;
	c.gateway = tt_ip("2001:db8:ffff::1");
	c.tundev = "tun3";
	c.mtu = 1280;
	c.ip6 = tt_ip("2001:db8:1::42");
	c.dns = dns;
	c.n_dns = 2;
	c.split_dns = dom;
	c.n_split_dns = 1;
	c.split_inc = s;
	c.n_split_inc = 1;
	expect_env(&c, want, IR_ARRAY_LEN(want));
}
END_TEST

/* Control characters from the gateway cannot start a new line. */
START_TEST(env_sanitized)
{
	static const char banner[] = "line 1\nnameserver 6.6.6.6\r\0x\x7f";
	static const char *const dom[] = { "a.example\nnameserver 6.6.6.6" };
	static const char *const want[] = {
		"reason=connect",
		"VPNGATEWAY=198.51.100.1",
		"TUNDEV=tun 0",		/* a tab too */
		"CISCO_DEF_DOMAIN=corp example",
		"CISCO_SPLIT_DNS=a.example nameserver 6.6.6.6",
		"CISCO_BANNER=line 1 nameserver 6.6.6.6  x ",
	};
	struct tun_script_conf c;

	memset(&c, 0, sizeof(c));
	c.reason = TUN_REASON_CONNECT;
	c.gateway = tt_ip("198.51.100.1");
	c.tundev = "tun\t0";
	c.def_domain = "corp\nexample";
	c.split_dns = dom;
	c.n_split_dns = 1;
	c.banner = banner;
	c.banner_len = sizeof(banner) - 1;	/* the NUL inside counts */
	expect_env(&c, want, IR_ARRAY_LEN(want));
}
END_TEST

/*
 * Every buffer size short of the exact need fails with IR_ERR_NOBUF and
 * exposes no list; the exact need succeeds.  The same for env slots.
 */
START_TEST(env_buffer_too_small)
{
	struct tun_script_conf c = full_conf(TUN_REASON_CONNECT);
	size_t need = 0, slots, cap, n, i;
	char *small;

	ck_assert_int_eq(tun_script_env(&c, envbuf, sizeof(envbuf), env,
	    IR_ARRAY_LEN(env), &slots), 0);
	for (i = 0; i < slots; i++)
		need += strlen(env[i]) + 1;
	ck_assert_uint_eq(slots, 1 + N_REST);

	for (cap = 0; cap < need; cap++) {
		small = envbuf + sizeof(envbuf) - cap;	/* overrun: ASan */
		ck_assert_int_eq(tun_script_env(&c, small, cap, env,
		    IR_ARRAY_LEN(env), &n), IR_ERR_NOBUF);
		ck_assert_uint_eq(n, 0);
	}
	ck_assert_int_eq(tun_script_env(&c, envbuf + sizeof(envbuf) - need,
	    need, env, IR_ARRAY_LEN(env), &n), 0);
	ck_assert_uint_eq(n, slots);

	for (i = 0; i <= slots; i++)		/* slots + 1 with the NULL */
		ck_assert_int_eq(tun_script_env(&c, envbuf, sizeof(envbuf),
		    env, i, &n), IR_ERR_NOBUF);
	ck_assert_int_eq(tun_script_env(&c, envbuf, sizeof(envbuf), env,
	    slots + 1, &n), 0);
	ck_assert_ptr_null(env[slots]);
}
END_TEST

START_TEST(env_bad_config)
{
	struct tun_script_conf c;
	struct tun_split bad = tt_split("10.0.0.0", 33);
	size_t n;

	c = full_conf(TUN_REASON_CONNECT);
	memset(&c.gateway, 0, sizeof(c.gateway));
	ck_assert_int_eq(tun_script_env(&c, envbuf, sizeof(envbuf), env,
	    IR_ARRAY_LEN(env), &n), IR_ERR_CONFIG);

	c = full_conf(TUN_REASON_CONNECT);
	c.ip4_prefix = 33;
	ck_assert_int_eq(tun_script_env(&c, envbuf, sizeof(envbuf), env,
	    IR_ARRAY_LEN(env), &n), IR_ERR_CONFIG);

	c = full_conf(TUN_REASON_CONNECT);
	c.ip4 = tt_ip("2001:db8::1");		/* wrong family */
	ck_assert_int_eq(tun_script_env(&c, envbuf, sizeof(envbuf), env,
	    IR_ARRAY_LEN(env), &n), IR_ERR_CONFIG);

	c = full_conf(TUN_REASON_CONNECT);
	c.split_inc = &bad;
	c.n_split_inc = 1;
	ck_assert_int_eq(tun_script_env(&c, envbuf, sizeof(envbuf), env,
	    IR_ARRAY_LEN(env), &n), IR_ERR_CONFIG);

	c = full_conf((enum tun_reason)99);
	ck_assert_int_eq(tun_script_env(&c, envbuf, sizeof(envbuf), env,
	    IR_ARRAY_LEN(env), &n), IR_ERR_CONFIG);
	ck_assert_ptr_null(tun_reason_name((enum tun_reason)99));
}
END_TEST

Suite *tun_script_suite(void);

Suite *
tun_script_suite(void)
{
	Suite *s = suite_create("tun_script");
	TCase *tc = tcase_create("env");

	tcase_add_loop_test(tc, env_per_reason, 0, IR_ARRAY_LEN(reasons));
	tcase_add_test(tc, env_pre_init_without_tundev);
	tcase_add_test(tc, env_minimal);
	tcase_add_test(tc, env_ip4_host_no_netmask);
	tcase_add_test(tc, env_split_numbering);
	tcase_add_test(tc, env_ipv6_only);
	tcase_add_test(tc, env_sanitized);
	tcase_add_test(tc, env_buffer_too_small);
	tcase_add_test(tc, env_bad_config);
	suite_add_tcase(s, tc);
	return s;
}
