/* tests/src/check_cli.c: command-line parsing and its one-line errors. */
#include <check.h>
#include <string.h>

#include "common/ir_err.h"
#include "src/cli.h"

#define ARGV(...)	((char *[]){ "ikeroam", __VA_ARGS__, NULL })
#define ARGC(v)		((int)(sizeof(v) / sizeof((v)[0])) - 1)

static int
parse(int argc, char **argv, struct cli_opts *o, char *err)
{
	return cli_parse(argc, argv, o, err, 256);
}

START_TEST(connect_psk)
{
	char *v[] = { "ikeroam", "connect", "--gateway", "vpn.test", "--id",
	    "alice@vpn.test", "--psk-file", "/tmp/psk", "--port", "4500",
	    "--script", "none", "-v", "-v", NULL };
	struct cli_opts o;
	char err[256];

	ck_assert_int_eq(parse(ARGC(v), v, &o, err), 0);
	ck_assert_int_eq(o.command, CLI_CMD_CONNECT);
	ck_assert_str_eq(o.gateway, "vpn.test");
	ck_assert_uint_eq(o.port, 4500);
	ck_assert_uint_eq(o.natt_port, 4500);
	ck_assert(o.script_none);
	ck_assert_int_eq(o.verbose, 2);
	ck_assert_int_eq(o.transport, CLI_XPORT_AUTO);
	ck_assert_uint_eq(o.tls_port, 443);
	ck_assert_ptr_null(o.tls_ca);
	ck_assert_uint_eq(o.dpd_ms, 30000);
	ck_assert_uint_eq(o.keepalive_ms, 20000);
}
END_TEST

/* Liveness (RFC 7296 §2.4) and NAT keepalives (RFC 3948 §4): 0 is off. */
START_TEST(liveness_knobs)
{
	char *v[] = { "ikeroam", "connect", "--gateway", "vpn.test", "--id",
	    "alice@vpn.test", "--psk-file", "/tmp/psk", "--dpd", "0",
	    "--keepalive", "5000", NULL };
	char *bad_dpd[] = { "ikeroam", "connect", "--gateway", "vpn.test",
	    "--psk-file", "/tmp/psk", "--dpd", "10s", NULL };
	struct cli_opts o;
	char err[256];

	ck_assert_int_eq(parse(ARGC(v), v, &o, err), 0);
	ck_assert_uint_eq(o.dpd_ms, 0);
	ck_assert_uint_eq(o.keepalive_ms, 5000);
	ck_assert_int_eq(parse(ARGC(bad_dpd), bad_dpd, &o, err),
	    IR_ERR_CONFIG);
	ck_assert_ptr_nonnull(strstr(err, "--dpd"));
}
END_TEST

/* --reauth SECONDS (RFC 7296 §2.8.3) and --ts NET[,NET...] (§2.9). */
START_TEST(reauth_and_ts)
{
	char *v[] = { "ikeroam", "connect", "--gateway", "vpn.test", "--id",
	    "alice@vpn.test", "--psk-file", "/tmp/psk", "--reauth", "3600",
	    "--ts", "10.1.0.0/16,10.2.0.0/16,2001:db8::/48,192.0.2.7/32",
	    NULL };
	char *host_bits[] = { "ikeroam", "connect", "--gateway", "vpn.test",
	    "--psk-file", "/tmp/psk", "--ts", "10.1.0.1/16", NULL };
	char *no_prefix[] = { "ikeroam", "connect", "--gateway", "vpn.test",
	    "--psk-file", "/tmp/psk", "--ts", "10.1.0.0", NULL };
	char *big_prefix[] = { "ikeroam", "connect", "--gateway", "vpn.test",
	    "--psk-file", "/tmp/psk", "--ts", "10.1.0.0/33", NULL };
	char *empty[] = { "ikeroam", "connect", "--gateway", "vpn.test",
	    "--psk-file", "/tmp/psk", "--ts", "10.1.0.0/16,", NULL };
	char *bad_reauth[] = { "ikeroam", "connect", "--gateway", "vpn.test",
	    "--psk-file", "/tmp/psk", "--reauth", "1h", NULL };
	struct cli_opts o;
	char err[256];

	ck_assert_int_eq(parse(ARGC(v), v, &o, err), 0);
	ck_assert_uint_eq(o.reauth_s, 3600);
	ck_assert_uint_eq(o.n_ts, 4);
	ck_assert_uint_eq(o.ts[0].family, 4);
	ck_assert_uint_eq(o.ts[0].prefix, 16);
	ck_assert_uint_eq(o.ts[1].addr[1], 2);
	ck_assert_uint_eq(o.ts[2].family, 6);
	ck_assert_uint_eq(o.ts[2].prefix, 48);
	ck_assert_uint_eq(o.ts[2].addr[2], 0x0d);
	ck_assert_uint_eq(o.ts[3].prefix, 32);
	ck_assert_uint_eq(o.ts[3].addr[3], 7);
	ck_assert_int_eq(parse(ARGC(host_bits), host_bits, &o, err),
	    IR_ERR_CONFIG);
	ck_assert_ptr_nonnull(strstr(err, "bits set past /16"));
	ck_assert_int_eq(parse(ARGC(no_prefix), no_prefix, &o, err),
	    IR_ERR_CONFIG);
	ck_assert_ptr_nonnull(strstr(err, "not ADDRESS/PREFIX"));
	ck_assert_int_eq(parse(ARGC(big_prefix), big_prefix, &o, err),
	    IR_ERR_CONFIG);
	ck_assert_int_eq(parse(ARGC(empty), empty, &o, err), IR_ERR_CONFIG);
	ck_assert_int_eq(parse(ARGC(bad_reauth), bad_reauth, &o, err),
	    IR_ERR_CONFIG);
	ck_assert_ptr_nonnull(strstr(err, "--reauth"));
}
END_TEST

START_TEST(connect_tls)
{
	char *v[] = { "ikeroam", "connect", "--gateway", "vpn.test", "--id",
	    "alice@vpn.test", "--psk-file", "/tmp/psk", "--transport", "tls",
	    "--tls-port", "8443", "--tls-ca", "/etc/front-ca.pem", NULL };
	char *a[] = { "ikeroam", "connect", "--gateway", "vpn.test", "--id",
	    "alice@vpn.test", "--psk-file", "/tmp/psk", "--tls-ca", "f", NULL };
	struct cli_opts o;
	char err[256];

	ck_assert_int_eq(parse(ARGC(v), v, &o, err), 0);
	ck_assert_int_eq(o.transport, CLI_XPORT_TLS);
	ck_assert_uint_eq(o.tls_port, 8443);
	ck_assert_str_eq(o.tls_ca, "/etc/front-ca.pem");
	ck_assert_uint_eq(o.tcp_port, 4500);
	/* auto climbs to TLS: the CA is for that rung. */
	ck_assert_int_eq(parse(ARGC(a), a, &o, err), 0);
	ck_assert_int_eq(o.transport, CLI_XPORT_AUTO);
	ck_assert_str_eq(o.tls_ca, "f");
}
END_TEST

/* --eap tls runs over --cert/--key; --eap-user alone is MSCHAPv2. */
START_TEST(connect_eap)
{
	char *t[] = { "ikeroam", "connect", "--gateway", "vpn.test", "--id",
	    "alice@vpn.test", "--eap", "tls", "--cert", "c", "--key", "k",
	    "--ca", "a", "--eap-only", NULL };
	char *m[] = { "ikeroam", "connect", "--gateway", "vpn.test", "--id",
	    "alice", "--eap-user", "alice", "--ca", "a", NULL };
	char *g[] = { "ikeroam", "connect", "--gateway", "vpn.test", "--id",
	    "alice", "--eap-user", "alice", "--eap", "gtc", "--ca", "a",
	    NULL };
	struct cli_opts o;
	char err[256];

	ck_assert_int_eq(parse(ARGC(t), t, &o, err), 0);
	ck_assert_int_eq(o.eap, CLI_EAP_TLS);
	ck_assert(o.eap_only);
	ck_assert_str_eq(o.cert_file, "c");
	ck_assert_int_eq(parse(ARGC(m), m, &o, err), 0);
	ck_assert_int_eq(o.eap, CLI_EAP_NONE);
	ck_assert(!o.eap_only);
	ck_assert_int_eq(parse(ARGC(g), g, &o, err), 0);
	ck_assert_int_eq(o.eap, CLI_EAP_GTC);
}
END_TEST

/* Each bad command line and a word its error line must contain. */
static const struct {
	const char	*args[16];
	const char	*says;
} bad[] = {
	{ { "connect", "--gateway", "g", "--id", "a", "--eap", "tls",
	    "--ca", "c" }, "--eap tls needs --cert" },
	{ { "connect", "--gateway", "g", "--id", "a", "--eap", "md5" },
	    "not one of mschapv2, gtc, tls" },
	{ { "connect", "--gateway", "g", "--id", "a", "--eap", "gtc",
	    "--ca", "c" }, "--eap gtc needs --eap-user" },
	{ { "connect", "--gateway", "g", "--id", "a", "--eap", "gtc",
	    "--eap-user", "u", "--ca", "c", "--eap-only" },
	    "EAP-GTC does not" },
	{ { "connect", "--gateway", "g", "--id", "a", "--psk-file", "f",
	    "--eap-only" }, "--eap-only needs EAP" },
	{ { "connect", "--gateway", "g", "--id", "a", "--eap", "tls",
	    "--cert", "c", "--key", "k", "--ca", "a", "--password-file",
	    "p" }, "not used with --eap tls" },
	{ { "connect", "--gateway", "g", "--id", "a", "--eap", "tls",
	    "--cert", "c", "--key", "k", "--psk-file", "f" },
	    "one authentication" },
	{ { "connect", "--id", "a@b", "--psk-file", "f" }, "--gateway" },
	{ { "connect", "--gateway", "g", "--psk-file", "f" }, "--id" },
	{ { "connect", "--gateway", "g", "--id", "a" }, "authentication" },
	{ { "connect", "--gateway", "g", "--id", "a", "--psk-file", "f",
	    "--eap-user", "u" }, "one authentication" },
	{ { "connect", "--gateway", "g", "--id", "a", "--cert", "c" },
	    "together" },
	{ { "connect", "--gateway", "g", "--id", "a", "--eap-user", "u",
	    "--cert-chain", "c" }, "--cert-chain needs --cert" },
	{ { "connect", "--gateway", "g", "--id", "a", "--psk-file", "f",
	    "--port", "70000" }, "1 to 65535" },
	{ { "connect", "--gateway", "g", "--id", "a", "--psk-file", "f",
	    "--transport", "sctp" }, "auto, udp, tcp, tls" },
	{ { "connect", "--gateway", "g", "--id", "a", "--psk-file", "f",
	    "--tls-port", "0" }, "--tls-port: '0' is not a number from 1" },
	{ { "connect", "--gateway", "g", "--id", "a", "--psk-file", "f",
	    "--transport", "udp", "--tls-ca", "c" }, "--tls-ca needs" },
	{ { "connect", "--bogus" }, "unknown option" },
	{ { "connect", "--gateway" }, "needs a value" },
	{ { "connect", "--gateway", "g", "--id", "a", "--psk-file", "f",
	    "extra" }, "unexpected argument" },
	{ { "--gateway", "g" }, "no command" },
	{ { "connect", "--gateway", "g", "--id", "a", "--psk-file", "f",
	    "--interface", "a-name-that-is-too-long" }, "interface name" },
	{ { "connect", "--gateway", "g", "--id", "a", "--psk-file", "f",
	    "--kill-switch-allow-lan" }, "needs --kill-switch" },
	{ { "kill-switch" }, "off or status" },
	{ { "kill-switch", "on" }, "'on' is not off or status" },
	{ { "kill-switch", "off", "now" }, "unexpected argument 'now'" },
	{ { "kill-switch", "--gateway", "g" }, "not off or status" },
};

/* fuzz_cli found it: "-hv" returns at h with v unread; the next parse
 * must not take that v (from an argv that may be gone) as its own. */
START_TEST(half_read_cluster_forgotten)
{
	char *first[] = { "ikeroam", "-hv", NULL };
	char *second[] = { "ikeroam", "connect", "--gateway", "vpn.test",
	    "--id", "alice@vpn.test", "--psk-file", "/tmp/psk", NULL };
	struct cli_opts o;
	char err[256];

	ck_assert_int_eq(parse(ARGC(first), first, &o, err), 0);
	ck_assert_int_eq(o.command, CLI_CMD_HELP);
	ck_assert_int_eq(parse(ARGC(second), second, &o, err), 0);
	ck_assert_int_eq(o.verbose, 0);
}
END_TEST

START_TEST(bad_command_lines)
{
	char *v[20] = { "ikeroam" };
	struct cli_opts o;
	char err[256];
	int n = 1;

	while (bad[_i].args[n - 1] != NULL) {
		v[n] = (char *)bad[_i].args[n - 1];
		n++;
	}
	v[n] = NULL;
	ck_assert_int_eq(parse(n, v, &o, err), IR_ERR_CONFIG);
	ck_assert_msg(strstr(err, bad[_i].says) != NULL,
	    "case %d: '%s' lacks '%s'", _i, err, bad[_i].says);
	ck_assert_ptr_null(strchr(err, '\n'));
}
END_TEST

/* --kill-switch names the TUN before it exists: ikeroam0 by default. */
START_TEST(kill_switch_options)
{
	char *v[] = { "ikeroam", "connect", "--gateway", "vpn.test", "--id",
	    "a@vpn.test", "--psk-file", "/tmp/psk", "--kill-switch", NULL,
	    NULL, NULL };
	struct cli_opts o;
	char err[256];

	ck_assert_int_eq(parse(9, v, &o, err), 0);
	ck_assert(o.kill_switch);
	ck_assert(!o.kill_switch_allow_lan);
	ck_assert_str_eq(o.ifname, "ikeroam0");
	v[9] = "--interface";
	v[10] = "vpn7";
	ck_assert_int_eq(parse(11, v, &o, err), 0);
	ck_assert_str_eq(o.ifname, "vpn7");
	v[9] = "--kill-switch-allow-lan";
	ck_assert_int_eq(parse(10, v, &o, err), 0);
	ck_assert(o.kill_switch_allow_lan);
	ck_assert_int_eq(parse(8, v, &o, err), 0);	/* no --kill-switch */
	ck_assert(!o.kill_switch);
	ck_assert_ptr_null(o.ifname);
}
END_TEST

/* The control socket's options (man ikeroam(8), CONTROL SOCKET). */
START_TEST(control_options)
{
	char *v[] = { "ikeroam", "connect", "--gateway", "vpn.test", "--id",
	    "a@vpn.test", "--psk-file", "/tmp/psk", NULL, NULL, NULL, NULL,
	    NULL };
	struct cli_opts o;
	char err[256];

	ck_assert_int_eq(parse(8, v, &o, err), 0);
	ck_assert(!o.netcfg_external);
	ck_assert(!o.background);
	ck_assert_ptr_null(o.control_socket);
	v[8] = "--netcfg";
	v[9] = "external";
	v[10] = "--control-socket";
	v[11] = "/run/ikeroam/nm-1/control.sock";
	v[12] = NULL;
	ck_assert_int_eq(parse(12, v, &o, err), 0);
	ck_assert(o.netcfg_external);
	ck_assert_str_eq(o.control_socket, "/run/ikeroam/nm-1/control.sock");
	v[9] = "auto";
	ck_assert_int_eq(parse(12, v, &o, err), 0);
	ck_assert(!o.netcfg_external);
	v[9] = "none";
	ck_assert_int_eq(parse(12, v, &o, err), IR_ERR_CONFIG);
	ck_assert_ptr_nonnull(strstr(err, "--netcfg"));
	v[9] = "external";
	v[11] = "control.sock";		/* relative */
	ck_assert_int_eq(parse(12, v, &o, err), IR_ERR_CONFIG);
	ck_assert_ptr_nonnull(strstr(err, "--control-socket"));
	v[11] = "/run/ikeroam/0123456789012345678901234567890123456789012345"
	    "6789012345678901234567890123456789012345678901.sock";
	ck_assert_int_eq(parse(12, v, &o, err), IR_ERR_CONFIG);
	v[8] = "--background";
	ck_assert_int_eq(parse(9, v, &o, err), 0);
	ck_assert(o.background);
}
END_TEST

/* --script-routes: early, script, or (unset) auto. */
START_TEST(script_routes)
{
	char *v[] = { "ikeroam", "connect", "--gateway", "vpn.test", "--id",
	    "a@vpn.test", "--psk-file", "/tmp/psk", NULL, NULL, NULL };
	struct cli_opts o;
	char err[256];

	ck_assert_int_eq(parse(8, v, &o, err), 0);
	ck_assert_int_eq(o.script_routes, CLI_SCRIPT_ROUTES_AUTO);
	v[8] = "--script-routes";
	v[9] = "early";
	ck_assert_int_eq(parse(10, v, &o, err), 0);
	ck_assert_int_eq(o.script_routes, CLI_SCRIPT_ROUTES_EARLY);
	v[9] = "script";
	ck_assert_int_eq(parse(10, v, &o, err), 0);
	ck_assert_int_eq(o.script_routes, CLI_SCRIPT_ROUTES_SCRIPT);
	v[9] = "late";
	ck_assert_int_eq(parse(10, v, &o, err), IR_ERR_CONFIG);
	ck_assert_ptr_nonnull(strstr(err, "--script-routes"));
}
END_TEST

START_TEST(kill_switch_commands)
{
	char *off[] = { "ikeroam", "kill-switch", "off", NULL };
	char *status[] = { "ikeroam", "kill-switch", "status", NULL };
	struct cli_opts o;
	char err[256];

	ck_assert_int_eq(parse(3, off, &o, err), 0);
	ck_assert_int_eq(o.command, CLI_CMD_KILLSWITCH_OFF);
	ck_assert_int_eq(parse(3, status, &o, err), 0);
	ck_assert_int_eq(o.command, CLI_CMD_KILLSWITCH_STATUS);
}
END_TEST

START_TEST(help_and_version)
{
	char *h[] = { "ikeroam", "--help", NULL };
	char *v[] = { "ikeroam", "--version", NULL };
	struct cli_opts o;
	char err[256];

	ck_assert_int_eq(parse(2, h, &o, err), 0);
	ck_assert_int_eq(o.command, CLI_CMD_HELP);
	ck_assert_int_eq(parse(2, v, &o, err), 0);
	ck_assert_int_eq(o.command, CLI_CMD_VERSION);
}
END_TEST

Suite *
cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, connect_psk);
	tcase_add_test(tc, connect_tls);
	tcase_add_test(tc, liveness_knobs);
	tcase_add_test(tc, reauth_and_ts);
	tcase_add_test(tc, connect_eap);
	tcase_add_loop_test(tc, bad_command_lines, 0,
	    (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, half_read_cluster_forgotten);
	tcase_add_test(tc, help_and_version);
	tcase_add_test(tc, kill_switch_options);
	tcase_add_test(tc, kill_switch_commands);
	tcase_add_test(tc, control_options);
	tcase_add_test(tc, script_routes);
	suite_add_tcase(s, tc);
	return s;
}
