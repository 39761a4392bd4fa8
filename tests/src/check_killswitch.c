/*
 * tests/src/check_killswitch.c: the kill switch's ruleset and state
 * record as text (src/killswitch_rules.c).  The interop test
 * tests/interop/killswitch.sh loads the same text into the kernel.
 */
#include <arpa/inet.h>
#include <check.h>
#include <string.h>

#include "common/ir_err.h"
#include "src/killswitch.h"

static void
add_gw(struct killswitch_conf *ks, const char *text)
{
	struct sockaddr_storage *ss = &ks->gw[ks->n_gw++];

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, text, &((struct sockaddr_in *)ss)->sin_addr))
		ss->ss_family = AF_INET;
	else {
		ck_assert_int_eq(inet_pton(AF_INET6, text,
		    &((struct sockaddr_in6 *)ss)->sin6_addr), 1);
		ss->ss_family = AF_INET6;
	}
}

static void
conf_v4(struct killswitch_conf *ks)
{
	memset(ks, 0, sizeof(*ks));
	strcpy(ks->gw_name, "vpn.test");
	add_gw(ks, "198.51.100.10");
	ks->ike_port = 500;
	ks->natt_port = 4500;
	ks->tcp_port = 4500;
	ks->tls_port = 443;
	strcpy(ks->ifname, "ikeroam0");
}

static char script[8192];

static void
has(const char *needle)
{
	ck_assert_msg(strstr(script, needle) != NULL, "missing '%s' in:\n%s",
	    needle, script);
}

static void
lacks(const char *needle)
{
	ck_assert_msg(strstr(script, needle) == NULL, "unwanted '%s' in:\n%s",
	    needle, script);
}

static int
count(const char *needle)
{
	const char *p = script;
	int n = 0;

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

/* The whole script for one IPv4 gateway, as nft reads it. */
START_TEST(render_ipv4)
{
	static const char head[] = "table inet ikeroam_killswitch\n"
	    "delete table inet ikeroam_killswitch\n"
	    "table inet ikeroam_killswitch {\n";
	struct killswitch_conf ks;

	conf_v4(&ks);
	ck_assert_int_eq(killswitch_render(&ks, script, sizeof(script)), 0);
	/* One transaction: create (no-op if there), delete, add anew. */
	ck_assert_int_eq(strncmp(script, head, strlen(head)), 0);
	has("\tset gw4 {\n\t\ttype ipv4_addr\n"
	    "\t\telements = { 198.51.100.10 }\n\t}\n");
	has("\tset gw6 {\n\t\ttype ipv6_addr\n\t}\n");
	ck_assert_int_eq(count("policy drop;"), 3);
	has("hook output priority filter; policy drop;\n"
	    "\t\toifname \"lo\" accept\n"
	    "\t\toifname \"ikeroam0\" accept\n"
	    "\t\tip daddr @gw4 udp dport { 500, 4500 } accept\n"
	    "\t\tip daddr @gw4 tcp dport { 4500, 443 } accept\n"
	    "\t\tip6 daddr @gw6 udp dport { 500, 4500 } accept\n"
	    "\t\tip6 daddr @gw6 tcp dport { 4500, 443 } accept\n");
	has("hook input priority filter; policy drop;\n"
	    "\t\tiifname \"lo\" accept\n"
	    "\t\tiifname \"ikeroam0\" accept\n"
	    "\t\tip saddr @gw4 udp sport { 500, 4500 } accept\n"
	    "\t\tip saddr @gw4 tcp sport { 4500, 443 } ct state established "
	    "accept\n");
	has("hook forward priority filter; policy drop;\n"
	    "\t\toifname \"ikeroam0\" accept\n"
	    "\t\tiifname \"ikeroam0\" ct state established,related accept\n");
	/* DHCPv4, DHCPv6, ND: a roaming laptop gets an address. */
	has("udp sport 68 udp dport 67 accept");
	has("udp sport 67 udp dport 68 accept");
	has("udp sport 546 udp dport 547 accept");
	has("udp sport 547 udp dport 546 accept");
	has("nd-router-solicit");
	has("nd-router-advert");
	ck_assert_int_eq(count("ip6 hoplimit 255 accept"), 2);
	has("ct state related accept");
	/* Every chain ends in a counted drop. */
	has("counter dropped_out { }");
	has("\t\tcounter name \"dropped_out\" drop\n\t}\n");
	has("\t\tcounter name \"dropped_in\" drop\n\t}\n");
	has("\t\tcounter name \"dropped_fwd\" drop\n\t}\n}\n");
	lacks("10.0.0.0/8");
	/* Nothing that would reach another table. */
	ck_assert_int_eq(count("table "), 3);
	lacks("flush ruleset");
}
END_TEST

START_TEST(render_several_gateways)
{
	struct killswitch_conf ks;

	conf_v4(&ks);
	add_gw(&ks, "2001:db8::10");
	add_gw(&ks, "198.51.100.11");
	add_gw(&ks, "2001:db8::11");
	ck_assert_int_eq(killswitch_render(&ks, script, sizeof(script)), 0);
	has("elements = { 198.51.100.10, 198.51.100.11 }");
	has("elements = { 2001:db8::10, 2001:db8::11 }");
}
END_TEST

START_TEST(render_only_ipv6)
{
	struct killswitch_conf ks;

	conf_v4(&ks);
	ks.n_gw = 0;
	add_gw(&ks, "2001:db8::1");
	ck_assert_int_eq(killswitch_render(&ks, script, sizeof(script)), 0);
	has("\tset gw4 {\n\t\ttype ipv4_addr\n\t}\n");
	has("elements = { 2001:db8::1 }");
	/* IPv4 is still dropped: the rules name an empty set. */
	has("ip daddr @gw4 udp dport");
}
END_TEST

START_TEST(render_ports)
{
	struct killswitch_conf ks;

	conf_v4(&ks);
	ks.tcp_port = 443;		/* the same port twice: once */
	ck_assert_int_eq(killswitch_render(&ks, script, sizeof(script)), 0);
	has("ip daddr @gw4 tcp dport 443 accept");
	ks.tcp_port = 0;
	ks.tls_port = 0;		/* no TCP at all */
	ks.ike_port = 4500;		/* --port 4500 */
	ck_assert_int_eq(killswitch_render(&ks, script, sizeof(script)), 0);
	lacks("tcp dport");
	lacks("tcp sport");
	has("ip daddr @gw4 udp dport 4500 accept");
	ks.tls_port = 8443;
	ks.ike_port = 5000;
	ks.natt_port = 5001;
	ck_assert_int_eq(killswitch_render(&ks, script, sizeof(script)), 0);
	has("ip daddr @gw4 tcp dport 8443 accept");
	has("ip daddr @gw4 udp dport { 5000, 5001 } accept");
}
END_TEST

START_TEST(render_allow_lan)
{
	struct killswitch_conf ks;

	conf_v4(&ks);
	ks.allow_lan = true;
	ck_assert_int_eq(killswitch_render(&ks, script, sizeof(script)), 0);
	has("\t\tip daddr { 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, "
	    "169.254.0.0/16, 224.0.0.0/4, 255.255.255.255 } accept\n"
	    "\t\tip6 daddr { fe80::/10, fc00::/7, ff00::/8 } accept\n"
	    "\t\tcounter name \"dropped_out\" drop");
	has("\t\tip6 saddr { fe80::/10, fc00::/7, ff00::/8 } accept\n"
	    "\t\tcounter name \"dropped_in\" drop");
	has("\t\tip6 daddr { fe80::/10, fc00::/7, ff00::/8 } accept\n"
	    "\t\tcounter name \"dropped_fwd\" drop");
}
END_TEST

/* Refused: each would make a script that does not say what we mean. */
START_TEST(render_refuses)
{
	static const char *const bad_ifnames[] = {
		"", "a-name-that-is-16", "tun\"0", "tun 0", "tun;0", "tun\n",
	};
	struct killswitch_conf ks;
	unsigned i;

	conf_v4(&ks);
	ks.n_gw = 0;
	ck_assert_int_eq(killswitch_render(&ks, script, sizeof(script)),
	    IR_ERR_CONFIG);
	ck_assert_str_eq(script, "");
	conf_v4(&ks);
	ks.n_gw = KILLSWITCH_MAX_GW + 1;
	ck_assert_int_eq(killswitch_render(&ks, script, sizeof(script)),
	    IR_ERR_CONFIG);
	conf_v4(&ks);
	ks.gw[0].ss_family = AF_UNIX;
	ck_assert_int_eq(killswitch_render(&ks, script, sizeof(script)),
	    IR_ERR_CONFIG);
	conf_v4(&ks);
	ks.natt_port = 0;
	ck_assert_int_eq(killswitch_render(&ks, script, sizeof(script)),
	    IR_ERR_CONFIG);
	for (i = 0; i < sizeof(bad_ifnames) / sizeof(bad_ifnames[0]); i++) {
		conf_v4(&ks);
		memset(ks.ifname, 0, sizeof(ks.ifname));
		memcpy(ks.ifname, bad_ifnames[i], strnlen(bad_ifnames[i],
		    sizeof(ks.ifname) - 1));
		if (strlen(bad_ifnames[i]) >= sizeof(ks.ifname))
			/* No NUL at all. */
			memset(ks.ifname, 'a', sizeof(ks.ifname));
		ck_assert_msg(killswitch_render(&ks, script, sizeof(script)) ==
		    IR_ERR_CONFIG, "ifname case %u", i);
	}
}
END_TEST

/* Every buffer too small by one or more: IR_ERR_NOBUF and an empty text. */
START_TEST(render_small_buffers)
{
	struct killswitch_conf ks;
	char small[4096];
	size_t need, len;

	conf_v4(&ks);
	add_gw(&ks, "2001:db8::10");
	ks.allow_lan = true;
	ck_assert_int_eq(killswitch_render(&ks, script, sizeof(script)), 0);
	need = strlen(script) + 1;
	ck_assert_uint_le(need, sizeof(small));
	for (len = 1; len < need; len++) {
		ck_assert_int_eq(killswitch_render(&ks, small, len),
		    IR_ERR_NOBUF);
		ck_assert_str_eq(small, "");
	}
	ck_assert_int_eq(killswitch_render(&ks, small, need), 0);
	ck_assert_str_eq(small, script);
}
END_TEST

START_TEST(record_round_trip)
{
	struct killswitch_conf ks, back;
	char text[4096];

	conf_v4(&ks);
	add_gw(&ks, "2001:db8::10");
	ks.allow_lan = true;
	strcpy(ks.ifname, "vpn-1");
	ck_assert_int_eq(killswitch_record_format(&ks, text, sizeof(text)), 0);
	ck_assert_ptr_nonnull(strstr(text, "\ngateway vpn.test\n"
	    "address 198.51.100.10\naddress 2001:db8::10\n"
	    "ports 500 4500 4500 443\nifname vpn-1\nallow-lan 1\n"));
	ck_assert_int_eq(killswitch_record_parse(text, strlen(text), &back),
	    0);
	ck_assert_str_eq(back.gw_name, "vpn.test");
	ck_assert_uint_eq(back.n_gw, 2);
	ck_assert_int_eq(back.gw[0].ss_family, AF_INET);
	ck_assert_mem_eq(&((struct sockaddr_in *)&back.gw[0])->sin_addr,
	    &((struct sockaddr_in *)&ks.gw[0])->sin_addr, 4);
	ck_assert_int_eq(back.gw[1].ss_family, AF_INET6);
	ck_assert_mem_eq(&((struct sockaddr_in6 *)&back.gw[1])->sin6_addr,
	    &((struct sockaddr_in6 *)&ks.gw[1])->sin6_addr, 16);
	ck_assert_uint_eq(back.ike_port, 500);
	ck_assert_uint_eq(back.natt_port, 4500);
	ck_assert_uint_eq(back.tcp_port, 4500);
	ck_assert_uint_eq(back.tls_port, 443);
	ck_assert_str_eq(back.ifname, "vpn-1");
	ck_assert(back.allow_lan);
	/* A gateway name cannot add a line of its own. */
	strcpy(ks.gw_name, "vpn.test\naddress 192.0.2.66");
	ck_assert_int_eq(killswitch_record_format(&ks, text, sizeof(text)),
	    IR_ERR_CONFIG);
	ck_assert_int_eq(killswitch_record_format(&ks, text, 10),
	    IR_ERR_CONFIG);
	conf_v4(&ks);
	ck_assert_int_eq(killswitch_record_format(&ks, text, 10),
	    IR_ERR_NOBUF);
}
END_TEST

static const char *const bad_records[] = {
	"",						/* no address */
	"gateway g\nports 500 4500 4500 443\nifname t\n",
	"gateway g\naddress 192.0.2.1\nports 500 4500 4500 443\n",
	"gateway g\naddress 192.0.2.300\nports 500 4500 4500 443\nifname t\n",
	"gateway g\naddress 192.0.2.1\nports 500 4500 4500\nifname t\n",
	"gateway g\naddress 192.0.2.1\nports 500 4500 4500 70000\nifname t\n",
	"gateway g\naddress 192.0.2.1\nports 0 4500 4500 443\nifname t\n",
	"gateway g\naddress 192.0.2.1\nports 500 4500 4500 443 1\nifname t\n",
	"gateway g\naddress 192.0.2.1\nports 500 4500 4500 443\nifname t\"\n",
	"gateway g\naddress 192.0.2.1\nports 500 4500 4500 443\nifname t\n"
	    "allow-lan 2\n",
	"gateway g\naddress 192.0.2.1\nports 500 4500 4500 443\nifname t\n"
	    "colour blue\n",
	"gateway g\naddress 192.0.2.1\nports 500 4500 4500 443\nifname t\n"
	    "novalue\n",
	"address 192.0.2.1\naddress 192.0.2.2\naddress 192.0.2.3\n"
	    "address 192.0.2.4\naddress 192.0.2.5\naddress 192.0.2.6\n"
	    "address 192.0.2.7\naddress 192.0.2.8\naddress 192.0.2.9\n"
	    "ports 500 4500 4500 443\nifname t\n",
};

START_TEST(record_refuses)
{
	struct killswitch_conf ks;
	const char *t = bad_records[_i];

	ck_assert_int_eq(killswitch_record_parse(t, strlen(t), &ks),
	    IR_ERR_MALFORMED);
}
END_TEST

START_TEST(record_refuses_nul_and_long_lines)
{
	static const char nul[] = "gateway g\0x\naddress 192.0.2.1\n"
	    "ports 500 4500 4500 443\nifname t\n";
	struct killswitch_conf ks;
	char text[2048];

	ck_assert_int_eq(killswitch_record_parse(nul, sizeof(nul) - 1, &ks),
	    IR_ERR_MALFORMED);
	memset(text, 'a', sizeof(text));
	memcpy(text, "gateway ", 8);
	ck_assert_int_eq(killswitch_record_parse(text, sizeof(text), &ks),
	    IR_ERR_MALFORMED);
	/* Without a final newline, and with comments: fine. */
	strcpy(text, "# c\ngateway g\naddress 192.0.2.1\n\n"
	    "ports 500 4500 4500 443\nifname t");
	ck_assert_int_eq(killswitch_record_parse(text, strlen(text), &ks), 0);
	ck_assert_str_eq(ks.ifname, "t");
}
END_TEST

/* What `nft list table inet ikeroam_killswitch` prints (nft 1.0.6). */
static const char listing[] =
    "table inet ikeroam_killswitch {\n"
    "\tcounter dropped_out {\n\t\tpackets 12 bytes 1008\n\t}\n\n"
    "\tcounter dropped_in {\n\t\tpackets 0 bytes 0\n\t}\n\n"
    "\tcounter dropped_fwd {\n\t\tpackets 18446744073709551615 bytes 1\n"
    "\t}\n}\n";

START_TEST(counter_parse)
{
	uint64_t n = 7;

	ck_assert_int_eq(killswitch_counter_parse(listing, "dropped_out", &n),
	    0);
	ck_assert_uint_eq(n, 12);
	ck_assert_int_eq(killswitch_counter_parse(listing, "dropped_in", &n),
	    0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(killswitch_counter_parse(listing, "dropped_fwd", &n),
	    0);
	ck_assert(n == UINT64_MAX);
	ck_assert_int_eq(killswitch_counter_parse(listing, "dropped", &n),
	    IR_ERR_NOT_FOUND);
	ck_assert_int_eq(killswitch_counter_parse("counter dropped_in {",
	    "dropped_in", &n), IR_ERR_NOT_FOUND);
	ck_assert_int_eq(killswitch_counter_parse("", "dropped_in", &n),
	    IR_ERR_NOT_FOUND);
}
END_TEST

Suite *
killswitch_suite(void)
{
	Suite *s = suite_create("killswitch");
	TCase *tc = tcase_create("rules");

	tcase_add_test(tc, render_ipv4);
	tcase_add_test(tc, render_several_gateways);
	tcase_add_test(tc, render_only_ipv6);
	tcase_add_test(tc, render_ports);
	tcase_add_test(tc, render_allow_lan);
	tcase_add_test(tc, render_refuses);
	tcase_add_test(tc, render_small_buffers);
	suite_add_tcase(s, tc);
	tc = tcase_create("record");
	tcase_add_test(tc, record_round_trip);
	tcase_add_loop_test(tc, record_refuses, 0,
	    sizeof(bad_records) / sizeof(bad_records[0]));
	tcase_add_test(tc, record_refuses_nul_and_long_lines);
	tcase_add_test(tc, counter_parse);
	suite_add_tcase(s, tc);
	return s;
}
