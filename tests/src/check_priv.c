/*
 * tests/src/check_priv.c: the privileged part's request validator
 * (src/priv_msg.c) and the network part's seccomp filter
 * (src/priv_seccomp.c; each Check test runs in its own forked process,
 * so the filter stays there).
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/priv.h"
#include "src/priv_msg.h"
#include "src/revcache.h"

static uint8_t	 buf[PRIV_MSG_MAX];

/* A full tunnel configuration, as a gateway would give it. */
static void
sample_info(struct netcfg_info *in)
{
	struct ike_cfg_reply *c = &in->cfg;

	memset(in, 0, sizeof(*in));
	in->mtu = 1400;
	in->gateway.family = AF_INET;
	inet_pton(AF_INET, "198.51.100.10", in->gateway.addr);
	c->has_ip4 = true;
	inet_pton(AF_INET, "198.51.100.130", c->ip4);
	c->ip4_prefix = 32;
	c->n_dns4 = 1;
	inet_pton(AF_INET, "203.0.113.53", c->dns4[0]);
	c->n_subnets = 1;
	c->subnets[0].family = 4;
	inet_pton(AF_INET, "203.0.113.0", c->subnets[0].addr);
	c->subnets[0].prefix = 24;
	c->n_domains = 1;
	strcpy(c->domains[0], "corp.test");
	in->n_ts_remote = 1;
	in->ts_remote[0].type = 7;
	in->ts_remote[0].port_hi = 65535;
	inet_pton(AF_INET, "203.0.113.0", in->ts_remote[0].start);
	inet_pton(AF_INET, "203.0.113.255", in->ts_remote[0].end);
}

static size_t
build_up(struct netcfg_info *in)
{
	struct priv_req rq = { .type = PRIV_NC_UP, .seq = 7 };
	size_t len = 0;

	rq.info = *in;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len), 0);
	return len;
}

START_TEST(setup_round_trip)
{
	struct netcfg_info in;
	struct priv_req rq;
	size_t len;

	sample_info(&in);
	len = build_up(&in);
	ck_assert_int_eq(priv_req_parse(buf, len, &rq), 0);
	ck_assert_uint_eq(rq.type, PRIV_NC_UP);
	ck_assert_uint_eq(rq.seq, 7);
	ck_assert_uint_eq(rq.info.mtu, 1400);
	ck_assert_ptr_null(rq.info.tundev);	/* never from the wire */
	ck_assert_uint_eq(rq.info.ifindex, 0);
	ck_assert_int_eq(rq.info.gateway.family, AF_INET);
	ck_assert_mem_eq(rq.info.gateway.addr, in.gateway.addr, 16);
	ck_assert_mem_eq(&rq.info.cfg, &in.cfg, sizeof(in.cfg));
	ck_assert_uint_eq(rq.info.n_ts_remote, 1);
	ck_assert_mem_eq(&rq.info.ts_remote[0], &in.ts_remote[0],
	    sizeof(in.ts_remote[0]));
}
END_TEST

/* Every prefix of a valid request, and one octet more, is refused. */
START_TEST(setup_truncated_or_long)
{
	struct netcfg_info in;
	struct priv_req rq;
	size_t len, i;

	sample_info(&in);
	len = build_up(&in);
	for (i = 0; i < len; i++)
		ck_assert_int_eq(priv_req_parse(buf, i, &rq), IR_ERR_MALFORMED);
	buf[len] = 0;
	ck_assert_int_eq(priv_req_parse(buf, len + 1, &rq), IR_ERR_MALFORMED);
	ck_assert_uint_eq(rq.type, 0);		/* nothing half-filled */
}
END_TEST

/* Fields out of range: the encoder refuses them as the parser would. */
static void spoil_mtu(struct netcfg_info *in) { in->mtu = 100; }
static void spoil_mtu_big(struct netcfg_info *in) { in->mtu = 70000; }
static void spoil_gw(struct netcfg_info *in) { in->gateway.family = 0; }
static void spoil_gw_tail(struct netcfg_info *in) { in->gateway.addr[9] = 1; }
static void spoil_prefix(struct netcfg_info *in) { in->cfg.ip4_prefix = 33; }
static void spoil_prefix6(struct netcfg_info *in) { in->cfg.ip6_prefix = 129; }
static void spoil_ndns(struct netcfg_info *in) { in->cfg.n_dns4 = IKE_CFG_DNS_MAX + 1; }
static void spoil_subnet(struct netcfg_info *in) { in->cfg.subnets[0].prefix = 33; }
static void spoil_subnet_family(struct netcfg_info *in) { in->cfg.subnets[0].family = 5; }
static void spoil_domain_shell(struct netcfg_info *in) { strcpy(in->cfg.domains[0], "a;reboot"); }
static void spoil_domain_space(struct netcfg_info *in) { strcpy(in->cfg.domains[0], "corp test"); }
static void spoil_domain_empty(struct netcfg_info *in) { in->cfg.domains[0][0] = '\0'; }
static void spoil_ts_type(struct netcfg_info *in) { in->ts_remote[0].type = 9; }
static void spoil_ts_ports(struct netcfg_info *in) { in->ts_remote[0].port_lo = 2; in->ts_remote[0].port_hi = 1; }
static void spoil_ts_range(struct netcfg_info *in) { in->ts_remote[0].start[0] = 204; }
static void spoil_nts(struct netcfg_info *in) { in->n_ts_remote = IKE_TS_MAX + 1; }

static void (*const spoilers[])(struct netcfg_info *) = {
	spoil_mtu, spoil_mtu_big, spoil_gw, spoil_gw_tail, spoil_prefix,
	spoil_prefix6, spoil_ndns, spoil_subnet, spoil_subnet_family,
	spoil_domain_shell, spoil_domain_space, spoil_domain_empty,
	spoil_ts_type, spoil_ts_ports, spoil_ts_range, spoil_nts,
};

START_TEST(setup_fields_checked)
{
	struct priv_req rq = { .type = PRIV_NC_RECONNECT, .seq = 1 };
	size_t len;

	sample_info(&rq.info);
	spoilers[_i](&rq.info);
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
}
END_TEST

/* The header and the short requests, by hand. */
START_TEST(header_and_small)
{
	static const uint8_t mtu[] = { 1, PRIV_TUN_MTU, 0, 0, 0, 0, 0, 9,
	    0, 0, 0x05, 0xdc };		/* 1500 */
	uint8_t m[sizeof(mtu)];
	struct priv_req rq;

	ck_assert_int_eq(priv_req_parse(mtu, sizeof(mtu), &rq), 0);
	ck_assert_uint_eq(rq.mtu, 1500);
	ck_assert_uint_eq(rq.seq, 9);
	memcpy(m, mtu, sizeof(m));
	m[0] = 2;			/* version */
	ck_assert_int_eq(priv_req_parse(m, sizeof(m), &rq), IR_ERR_MALFORMED);
	memcpy(m, mtu, sizeof(m));
	m[3] = 1;			/* reserved */
	ck_assert_int_eq(priv_req_parse(m, sizeof(m), &rq), IR_ERR_MALFORMED);
	memcpy(m, mtu, sizeof(m));
	m[1] = 0;			/* no such type */
	ck_assert_int_eq(priv_req_parse(m, sizeof(m), &rq), IR_ERR_MALFORMED);
	m[1] = PRIV_REQ_LAST + 1;
	ck_assert_int_eq(priv_req_parse(m, sizeof(m), &rq), IR_ERR_MALFORMED);
	m[1] = PRIV_REPLY;		/* not a request */
	ck_assert_int_eq(priv_req_parse(m, sizeof(m), &rq), IR_ERR_MALFORMED);
	memcpy(m, mtu, sizeof(m));
	m[10] = 0x40;			/* 16604 > PRIV_MTU_MAX */
	ck_assert_int_eq(priv_req_parse(m, sizeof(m), &rq), IR_ERR_MALFORMED);
	ck_assert_int_eq(priv_req_parse(buf, PRIV_MSG_MAX + 1, &rq),
	    IR_ERR_MALFORMED);
}
END_TEST

START_TEST(repin)
{
	struct priv_req rq = { .type = PRIV_NC_REPIN, .ifindex = 3 }, out;
	size_t len;

	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len), 0);
	ck_assert_int_eq(priv_req_parse(buf, len, &out), 0);
	ck_assert_uint_eq(out.ifindex, 3);
	ck_assert_int_eq(out.via.family, 0);	/* on-link */
	rq.via.family = AF_INET6;
	rq.via.addr[0] = 0xfe;
	rq.via.addr[1] = 0x80;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len), 0);
	ck_assert_int_eq(priv_req_parse(buf, len, &out), 0);
	ck_assert_int_eq(out.via.family, AF_INET6);
	rq.ifindex = 0;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
	/* "no next hop" with address octets set */
	rq.ifindex = 3;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len), 0);
	buf[PRIV_MSG_HDR + 4] = 0;
	ck_assert_int_eq(priv_req_parse(buf, len, &out), IR_ERR_MALFORMED);
}
END_TEST

START_TEST(status_text)
{
	static const char ok[] = "{\"state\":\"up\",\"name\":\"caf\xc3\xa9\"}\n";
	static uint8_t big[PRIV_STATUS_MAX + 1];
	struct priv_req rq = { .type = PRIV_STATUS }, out;
	size_t len;

	rq.text = (const uint8_t *)ok;
	rq.text_len = sizeof(ok) - 1;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len), 0);
	ck_assert_int_eq(priv_req_parse(buf, len, &out), 0);
	ck_assert_uint_eq(out.text_len, sizeof(ok) - 1);
	ck_assert_mem_eq(out.text, ok, out.text_len);
	rq.text = (const uint8_t *)"{\"a\":\"\033[2J\"}";	/* ESC */
	rq.text_len = 12;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
	rq.text = (const uint8_t *)"a\0b";
	rq.text_len = 3;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
	rq.text_len = 0;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
	memset(big, 'a', sizeof(big));	/* longer than PRIV_STATUS_MAX */
	rq.text = big;
	rq.text_len = sizeof(big);
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
}
END_TEST

/* sd_notify text (PRIV_NOTIFY): only READY=1, STOPPING=1 and STATUS=
 * lines of printable text, bounded; anything else would let the
 * network part tell systemd what it likes as the main PID. */
START_TEST(notify_text)
{
	static const char *const good[] = { "READY=1", "STOPPING=1",
	    "STATUS=up/steady: Child SA up", "READY=1\nSTATUS=up: tun0" };
	static const char *const evil[] = { "MAINPID=1", "READY=1\n",
	    "WATCHDOG=1", "STATUS=a\tb", "ready=1", "READY=2", "",
	    "STATUS=\033[2J", "READY=1\nFDSTORE=1", "\nREADY=1" };
	static char big[PRIV_NOTIFY_MAX + 8];
	struct priv_req rq = { .type = PRIV_NOTIFY }, out;
	size_t i, len;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		rq.text = (const uint8_t *)good[i];
		rq.text_len = strlen(good[i]);
		ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
		    0);
		ck_assert_int_eq(priv_req_parse(buf, len, &out), 0);
		ck_assert_uint_eq(out.type, PRIV_NOTIFY);
		ck_assert_mem_eq(out.text, good[i], out.text_len);
	}
	for (i = 0; i < sizeof(evil) / sizeof(evil[0]); i++) {
		rq.text = (const uint8_t *)evil[i];
		rq.text_len = strlen(evil[i]);
		ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
		    IR_ERR_MALFORMED);
		ck_assert(!priv_notify_ok(rq.text, rq.text_len));
	}
	memcpy(big, "STATUS=", 7);
	memset(big + 7, 'a', sizeof(big) - 7);
	rq.text = (const uint8_t *)big;
	rq.text_len = PRIV_NOTIFY_MAX;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
	/* The parser checks it too: a hand-made datagram. */
	rq.text_len = 5;
	rq.text = (const uint8_t *)"READY";
	buf[0] = PRIV_MSG_VERSION;
	buf[1] = PRIV_NOTIFY;
	buf[2] = buf[3] = 0;
	memset(buf + 4, 0, 4);
	buf[8] = 0;
	buf[9] = 9;
	memcpy(buf + 10, "MAINPID=1", 9);
	ck_assert_int_eq(priv_req_parse(buf, 19, &out), IR_ERR_MALFORMED);
	memcpy(buf + 10, "READY=1xx", 9);
	ck_assert_int_eq(priv_req_parse(buf, 19, &out), IR_ERR_MALFORMED);
	buf[9] = 7;
	ck_assert_int_eq(priv_req_parse(buf, 17, &out), 0);
}
END_TEST

START_TEST(netmem_requests)
{
	struct priv_req rq = { .type = PRIV_NETMEM_STORE, .rung = 2,
	    .now = 1700000000 }, out;
	size_t len;

	strcpy(rq.key, "ssid=Airport WiFi|vpn=vpn.test");
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len), 0);
	ck_assert_int_eq(priv_req_parse(buf, len, &out), 0);
	ck_assert_str_eq(out.key, rq.key);
	ck_assert_uint_eq(out.rung, 2);
	ck_assert_uint_eq(out.now, 1700000000);
	rq.rung = 3;			/* no such rung */
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
	rq.rung = 0;
	rq.key[0] = '\0';
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
	strcpy(rq.key, "a\nb");
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
	rq.type = PRIV_NETMEM_RUNG;
	strcpy(rq.key, "k");
	rq.now = (uint64_t)INT64_MAX + 1;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
}
END_TEST

/* RFC 5685: the network part reports a redirect target; only a unicast
 * address passes (the privileged part also bounds how many). */
START_TEST(gateway_request)
{
	static const struct { int family; uint8_t a[16]; bool ok; } cases[] = {
		{ AF_INET, { 198, 51, 100, 2 }, true },
		{ AF_INET6, { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 }, true },
		{ AF_INET, { 0 }, false },		/* unspecified */
		{ AF_INET, { 127, 0, 0, 1 }, false },	/* loopback */
		{ AF_INET, { 224, 0, 0, 5 }, false },	/* multicast */
		{ AF_INET, { 255, 255, 255, 255 }, false },
		{ AF_INET6, { 0 }, false },
		{ AF_INET6, { [15] = 1 }, false },	/* ::1 */
		{ AF_INET6, { 0xff, 0x02, [15] = 1 }, false },
		{ AF_INET6, { [10] = 0xff, [11] = 0xff, 192, 0, 2, 1 }, false },
		{ 0, { 0 }, false },
	};
	struct priv_req rq = { .type = PRIV_GATEWAY }, out;
	size_t i, len;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rq.gateway.family = (uint8_t)cases[i].family;
		memcpy(rq.gateway.addr, cases[i].a, 16);
		ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
		    cases[i].ok ? 0 : IR_ERR_MALFORMED);
		if (!cases[i].ok)
			continue;
		ck_assert_int_eq(priv_req_parse(buf, len, &out), 0);
		ck_assert_int_eq(out.gateway.family, cases[i].family);
		ck_assert_mem_eq(out.gateway.addr, cases[i].a, 16);
		/* an octet left over */
		ck_assert_int_eq(priv_req_parse(buf, len + 1, &out),
		    IR_ERR_MALFORMED);
	}
	/* IPv4 with octets past the fourth */
	rq.gateway.family = AF_INET;
	memcpy(rq.gateway.addr, cases[0].a, 16);
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len), 0);
	buf[PRIV_MSG_HDR + 1 + 5] = 1;
	ck_assert_int_eq(priv_req_parse(buf, len, &out), IR_ERR_MALFORMED);
}
END_TEST

/* Signed octets as ike/ makes them (RFC 7296 §2.15): an IKE_SA_INIT
 * message of |msg| octets, then 32 octets of Nr and 32 of prf(). */
static size_t
sample_octets(uint8_t *o, size_t msg)
{
	memset(o, 0xab, msg + 64);
	memset(o + 16, 0, 12);
	o[16] = 33;			/* next payload: SA */
	o[17] = 0x20;			/* version 2.0 */
	o[18] = 34;			/* IKE_SA_INIT */
	o[19] = 0x08;			/* Initiator */
	o[24] = (uint8_t)(msg >> 24);
	o[25] = (uint8_t)(msg >> 16);
	o[26] = (uint8_t)(msg >> 8);
	o[27] = (uint8_t)msg;
	return msg + 64;
}

START_TEST(sign_request)
{
	static uint8_t octets[PRIV_SIGN_MAX + 16];
	struct priv_req rq = { .type = PRIV_SIGN, .seq = 9, .sig_kind = 2,
	    .sig_hash = 2, .sig_salt = 32 }, out;
	size_t len;

	rq.data = octets;
	rq.data_len = sample_octets(octets, 400);
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len), 0);
	ck_assert_int_eq(priv_req_parse(buf, len, &out), 0);
	ck_assert_uint_eq(out.sig_kind, 2);
	ck_assert_uint_eq(out.sig_hash, 2);
	ck_assert_uint_eq(out.sig_salt, 32);
	ck_assert_uint_eq(out.data_len, 464);
	ck_assert(out.data == buf + PRIV_MSG_HDR + 6);
	ck_assert_int_eq(memcmp(out.data, octets, 464), 0);
	ck_assert_int_eq(priv_req_parse(buf, len - 1, &out), IR_ERR_MALFORMED);
	buf[len] = 0;
	ck_assert_int_eq(priv_req_parse(buf, len + 1, &out), IR_ERR_MALFORMED);
	/* Each field out of range. */
	rq.sig_kind = 0;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
	rq.sig_kind = 5;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
	rq.sig_kind = 2;
	rq.sig_hash = 6;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
	rq.sig_hash = 2;
	rq.sig_salt = 513;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
	rq.sig_kind = 3;		/* a salt but for PSS */
	rq.sig_salt = 32;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
	rq.sig_salt = 0;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len), 0);
	/* Sizes: nothing, the most, one more. */
	rq.data_len = 0;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
	rq.data_len = sample_octets(octets, PRIV_SIGN_MAX - 64);
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len), 0);
	ck_assert_int_eq(priv_req_parse(buf, len, &out), 0);
	rq.data_len = sample_octets(octets, PRIV_SIGN_MAX - 63);
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
}
END_TEST

/* Only an IKE_SA_INIT's signed octets: the key signs nothing else. */
START_TEST(sign_octets_checked)
{
	static uint8_t octets[1024];
	struct priv_req rq = { .type = PRIV_SIGN, .sig_kind = 3,
	    .sig_hash = 2 };
	size_t len;

	rq.data = octets;
	rq.data_len = sample_octets(octets, 300);
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len), 0);
	octets[17] = 0x10;		/* IKEv1 */
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
	octets[17] = 0x20;
	octets[18] = 35;		/* IKE_AUTH */
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
	octets[18] = 34;
	octets[27] = 45;		/* length 300 -> 301: no room for the rest */
	rq.data_len = 300 + 32;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
	octets[24] = octets[25] = octets[26] = 0;
	octets[27] = 27;		/* shorter than its header */
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
	/* A DER SEQUENCE (a TLS or X.509 body) is no IKE message. */
	memset(octets, 0, sizeof(octets));
	octets[0] = 0x30;
	octets[1] = 0x82;
	rq.data_len = 200;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
}
END_TEST

START_TEST(sign_reply)
{
	static struct priv_reply rp, out;
	size_t len, i;

	memset(&rp, 0, sizeof(rp));
	rp.type = PRIV_REPLY;
	rp.seq = 3;
	rp.req = PRIV_SIGN;
	rp.sig_len = PRIV_SIG_MAX;
	for (i = 0; i < rp.sig_len; i++)
		rp.sig[i] = (uint8_t)i;
	ck_assert_int_eq(priv_reply_build(&rp, buf, sizeof(buf), &len), 0);
	ck_assert_int_eq(priv_reply_parse(buf, len, &out), 0);
	ck_assert_uint_eq(out.sig_len, PRIV_SIG_MAX);
	ck_assert_int_eq(memcmp(out.sig, rp.sig, PRIV_SIG_MAX), 0);
	ck_assert_int_eq(priv_reply_parse(buf, len - 1, &out),
	    IR_ERR_MALFORMED);
	rp.sig_len = PRIV_SIG_MAX + 1;
	ck_assert_int_eq(priv_reply_build(&rp, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
	/* An error: no signature. */
	rp.sig_len = 0;
	rp.status = IR_ERR_AUTH;
	ck_assert_int_eq(priv_reply_build(&rp, buf, sizeof(buf), &len), 0);
	ck_assert_int_eq(priv_reply_parse(buf, len, &out), 0);
	ck_assert_int_eq(out.status, IR_ERR_AUTH);
	ck_assert_uint_eq(out.sig_len, 0);
	/* A length beyond PRIV_SIG_MAX in the datagram. */
	rp.status = 0;
	rp.sig_len = 4;
	ck_assert_int_eq(priv_reply_build(&rp, buf, sizeof(buf), &len), 0);
	buf[len - 6] = 0x04;		/* u16 length 4 -> 0x0404 */
	ck_assert_int_eq(priv_reply_parse(buf, len, &out), IR_ERR_MALFORMED);
}
END_TEST

/* The revocation cache's requests (issue 11 item 2): a kind, 20 octets
 * of key, and for a store one exact DER SEQUENCE up to the bound. */
START_TEST(revcache_requests)
{
	static uint8_t der[REVCACHE_PRIV_MAX + 8];
	struct priv_req rq = { .type = PRIV_REVCACHE_STORE,
	    .rc_kind = REVCACHE_OCSP }, out;
	size_t len;

	memset(rq.rc_key, 0xab, sizeof(rq.rc_key));
	/* 30 82 01 00: a SEQUENCE of 256 octets. */
	der[0] = 0x30;
	der[1] = 0x82;
	der[2] = 0x01;
	der[3] = 0x00;
	rq.blob = der;
	rq.blob_len = 4 + 256;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len), 0);
	ck_assert_int_eq(priv_req_parse(buf, len, &out), 0);
	ck_assert_uint_eq(out.rc_kind, REVCACHE_OCSP);
	ck_assert_mem_eq(out.rc_key, rq.rc_key, REVCACHE_KEY_LEN);
	ck_assert_uint_eq(out.blob_len, 260);
	ck_assert_ptr_eq(out.blob, buf + len - 260);
	/* One octet more or less than the SEQUENCE says: refused. */
	rq.blob_len = 261;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
	rq.blob_len = 259;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
	/* Not a SEQUENCE; the long form where the short one fits. */
	der[0] = 0x31;
	rq.blob_len = 260;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
	der[0] = 0x30;
	der[1] = 0x81;
	der[2] = 0x10;
	rq.blob_len = 3 + 16;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
	/* Beyond the bound, even as good DER. */
	der[1] = 0x83;
	der[2] = (uint8_t)((REVCACHE_PRIV_MAX + 1 - 5) >> 16);
	der[3] = (uint8_t)((REVCACHE_PRIV_MAX + 1 - 5) >> 8);
	der[4] = (uint8_t)(REVCACHE_PRIV_MAX + 1 - 5);
	rq.blob_len = REVCACHE_PRIV_MAX + 1;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len),
	    IR_ERR_MALFORMED);
	/* Open: kind and key only; no third kind. */
	rq.type = PRIV_REVCACHE_OPEN;
	rq.rc_kind = REVCACHE_CRL;
	ck_assert_int_eq(priv_req_build(&rq, buf, sizeof(buf), &len), 0);
	ck_assert_uint_eq(len, PRIV_MSG_HDR + 1 + REVCACHE_KEY_LEN);
	ck_assert_int_eq(priv_req_parse(buf, len, &out), 0);
	ck_assert_uint_eq(out.rc_kind, REVCACHE_CRL);
	ck_assert_int_eq(priv_req_parse(buf, len - 1, &out), IR_ERR_MALFORMED);
	buf[PRIV_MSG_HDR] = 3;
	ck_assert_int_eq(priv_req_parse(buf, len, &out), IR_ERR_MALFORMED);
}
END_TEST

/* The files: named by the privileged part from the key, 0644, only DER. */
START_TEST(revcache_files)
{
	static const uint8_t answer[] = { 0x30, 0x03, 0x02, 0x01, 0x07 };
	uint8_t key[REVCACHE_KEY_LEN], *p;
	char dir[] = "/tmp/ir-revcache-XXXXXX", sub[64], path[128], err[300];
	struct stat st;
	size_t len;
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/rev", dir);
	ck_assert_int_eq(revcache_key("http://ocsp.example/", 20, key), 0);
	ck_assert_int_eq(revcache_open(sub, REVCACHE_CRL, key, &fd, err,
	    sizeof(err)), -ENOENT);
	ck_assert_int_eq(revcache_store(sub, REVCACHE_CRL, key, answer,
	    sizeof(answer) - 1, err, sizeof(err)), IR_ERR_MALFORMED);
	ck_assert_int_eq(revcache_store(sub, REVCACHE_CRL, key, answer,
	    sizeof(answer), err, sizeof(err)), 0);
	ck_assert(revcache_path(sub, REVCACHE_CRL, key, path, sizeof(path)));
	ck_assert_ptr_nonnull(strstr(path, ".crl"));
	ck_assert_int_eq(stat(sub, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0700);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0644);
	ck_assert_int_eq(revcache_open(sub, REVCACHE_OCSP, key, &fd, err,
	    sizeof(err)), -ENOENT);
	ck_assert_int_eq(revcache_open(sub, REVCACHE_CRL, key, &fd, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(revcache_read_fd(fd, 4, &p, &len), IR_ERR_MALFORMED);
	ck_assert_int_eq(revcache_open(sub, REVCACHE_CRL, key, &fd, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(revcache_read_fd(fd, 100, &p, &len), 0);
	ck_assert_mem_eq(p, answer, sizeof(answer));
	ck_assert_uint_eq(len, sizeof(answer));
	ir_free(p);
	ck_assert(!revcache_path(sub, 3, key, path, sizeof(path)));
	unlink(path);
	ck_assert(revcache_path(sub, REVCACHE_CRL, key, path, sizeof(path)));
	unlink(path);
	rmdir(sub);
	rmdir(dir);
}
END_TEST

START_TEST(replies)
{
	struct priv_reply rp = { .type = PRIV_REPLY, .seq = 5,
	    .req = PRIV_TUN_OPEN, .value = 42, .flags = PRIV_REPLY_ADOPTED },
	    out;
	size_t len;

	strcpy(rp.name, "ikeroam0");
	ck_assert_int_eq(priv_reply_build(&rp, buf, sizeof(buf), &len), 0);
	ck_assert_int_eq(priv_reply_parse(buf, len, &out), 0);
	ck_assert_uint_eq(out.seq, 5);
	ck_assert_uint_eq(out.value, 42);
	ck_assert_str_eq(out.name, "ikeroam0");
	ck_assert_int_eq(priv_reply_parse(buf, len - 1, &out),
	    IR_ERR_MALFORMED);
	rp.status = -EPERM;
	ck_assert_int_eq(priv_reply_build(&rp, buf, sizeof(buf), &len), 0);
	ck_assert_int_eq(priv_reply_parse(buf, len, &out), 0);
	ck_assert_int_eq(out.status, -EPERM);
	rp.status = 1;			/* a status is 0 or negative */
	ck_assert_int_eq(priv_reply_build(&rp, buf, sizeof(buf), &len), 0);
	ck_assert_int_eq(priv_reply_parse(buf, len, &out), IR_ERR_MALFORMED);
	memset(&rp, 0, sizeof(rp));
	rp.type = PRIV_QUIT;
	ck_assert_int_eq(priv_reply_build(&rp, buf, sizeof(buf), &len), 0);
	ck_assert_uint_eq(len, PRIV_MSG_HDR);
	ck_assert_int_eq(priv_reply_parse(buf, len, &out), 0);
	ck_assert_uint_eq(out.type, PRIV_QUIT);
}
END_TEST

/* ---- the seccomp filter -------------------------------------------------
 *
 * Check's own machinery (timers, its pipe) must stay outside the filter:
 * each case runs in a child of the test, which reports through its exit
 * status the number of the first expectation that failed (0: none).
 */

static int
sandboxed(int (*body)(void))
{
	char err[128];
	pid_t pid;
	int st;

	ck_assert_int_ge(pid = fork(), 0);
	if (pid == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
		    priv_seccomp(err, sizeof(err)) != 0)
			_exit(100);
		_exit(body());
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* The call failed with EPERM. */
#define DENIED(call)	((call) == -1 && errno == EPERM)

static int
forbidden(void)
{
	char *const argv[] = { "false", NULL }, *const envp[] = { NULL };

	/* Without the filter each call would do something else (run
	 * false: exit 1; ENOENT for the paths that do not exist), so a
	 * missing filter fails the test and harms nothing. */
	if (!DENIED(execve("/bin/false", argv, envp)))
		return 1;
	if (!DENIED(ptrace(PTRACE_TRACEME, 0, NULL, NULL)))
		return 2;
	if (!DENIED(mount("none", "/nonexistent-ikeroam", "tmpfs", 0, NULL)))
		return 3;
	if (!DENIED(setuid(0)))
		return 4;
	if (!DENIED(chmod("/nonexistent-ikeroam", 0777)))
		return 5;
	if (!DENIED(unlink("/nonexistent-ikeroam")))
		return 6;
	return 0;
}

START_TEST(seccomp_forbids)
{
	ck_assert_int_eq(sandboxed(forbidden), 0);
}
END_TEST

static int
allowed(void)
{
	struct mmsghdr mm;
	int s, sv[2];

	s = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return 1;
	memset(&mm, 0, sizeof(mm));
	/* Nothing queued: EAGAIN, not EPERM. */
	if (recvmmsg(s, &mm, 1, MSG_DONTWAIT, NULL) != -1 || errno != EAGAIN)
		return 2;
	if (sendmmsg(s, &mm, 1, 0) == -1 && errno == EPERM)
		return 3;
	close(s);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0)
		return 4;
	if (write(sv[0], "x", 1) != 1)
		return 5;
	if (getpid() <= 0)
		return 6;
	return 0;
}

START_TEST(seccomp_allows)
{
	ck_assert_int_eq(sandboxed(allowed), 0);
}
END_TEST

Suite *
priv_suite(void)
{
	Suite *s = suite_create("priv");
	TCase *tc = tcase_create("msg");

	tcase_add_test(tc, setup_round_trip);
	tcase_add_test(tc, setup_truncated_or_long);
	tcase_add_loop_test(tc, setup_fields_checked, 0,
	    (int)(sizeof(spoilers) / sizeof(spoilers[0])));
	tcase_add_test(tc, header_and_small);
	tcase_add_test(tc, repin);
	tcase_add_test(tc, status_text);
	tcase_add_test(tc, notify_text);
	tcase_add_test(tc, netmem_requests);
	tcase_add_test(tc, revcache_requests);
	tcase_add_test(tc, revcache_files);
	tcase_add_test(tc, gateway_request);
	tcase_add_test(tc, replies);
	tcase_add_test(tc, sign_request);
	tcase_add_test(tc, sign_octets_checked);
	tcase_add_test(tc, sign_reply);
	suite_add_tcase(s, tc);
	tc = tcase_create("seccomp");
	tcase_add_test(tc, seccomp_forbids);
	tcase_add_test(tc, seccomp_allows);
	suite_add_tcase(s, tc);
	return s;
}
