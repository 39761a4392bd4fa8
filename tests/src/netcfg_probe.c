/*
 * tests/src/netcfg_probe.c: drive src/netcfg.c on a libuv loop with a
 * real TUN, for tests/interop/netcfg-test.sh (root, in a namespace).
 *
 *   netcfg_probe --tun NAME [--script PATH [--early]]	commands on stdin
 *   netcfg_probe --cleanup [NAME]		netcfg_cleanup_stale()
 *
 * --early: the addresses and routes over netlink before the script
 * (--script-routes early).  It adopts the persistent TUN NAME (ip tuntap add), so that what it set
 * up survives a kill -9 as it would on a NetworkManager TUN.  One
 * command a line; after each it prints "ok CMD STATUS" and flushes:
 *   up|reconnect gw=IP [ip4=IP [mask4=LEN]] [ip6=IP] [split=NET/LEN]...
 *       [dns=IP]...
 *   attempt | repin dev=IFNAME [via=IP] | down | quit
 * No split: a full tunnel of each family that has an address.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "common/ir_err.h"
#include "src/log.h"
#include "src/netcfg.h"

struct probe {
	uv_loop_t	*loop;
	uv_pipe_t	 in;
	struct netcfg	 nc;
	struct tun_dev	 tun;
	char		 line[1024];
	size_t		 len;
	char		 cmd[16];
	bool		 busy;
};

static struct probe P;

static void
probe_done(struct netcfg *nc, int status)
{
	(void)nc;
	printf("ok %s %d\n", P.cmd, status);
	fflush(stdout);
	P.busy = false;
}

static bool
parse_ip(const char *s, struct tun_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = strchr(s, ':') != NULL ? AF_INET6 : AF_INET;
	return inet_pton(ip->family, s, ip->addr) == 1;
}

static int
parse_info(char *args, struct netcfg_info *info)
{
	struct ike_cfg_reply *c = &info->cfg;
	struct tun_ip ip;
	char *tok, *save = NULL, *slash;

	memset(info, 0, sizeof(*info));
	info->tundev = P.tun.name;
	info->ifindex = P.tun.ifindex;
	info->mtu = 1400;
	for (tok = strtok_r(args, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		if (strncmp(tok, "gw=", 3) == 0 && parse_ip(tok + 3, &ip))
			info->gateway = ip;
		else if (strncmp(tok, "ip4=", 4) == 0 && parse_ip(tok + 4, &ip)) {
			c->has_ip4 = true;
			memcpy(c->ip4, ip.addr, 4);
			c->ip4_prefix = 32;
		} else if (strncmp(tok, "mask4=", 6) == 0 && c->has_ip4) {
			c->ip4_prefix = (uint8_t)atoi(tok + 6);
		} else if (strncmp(tok, "ip6=", 4) == 0 &&
		    parse_ip(tok + 4, &ip)) {
			c->has_ip6 = true;
			memcpy(c->ip6, ip.addr, 16);
			c->ip6_prefix = 128;
		} else if (strncmp(tok, "dns=", 4) == 0 &&
		    parse_ip(tok + 4, &ip)) {
			if (ip.family == AF_INET && c->n_dns4 < IKE_CFG_DNS_MAX)
				memcpy(c->dns4[c->n_dns4++], ip.addr, 4);
			else if (ip.family == AF_INET6 &&
			    c->n_dns6 < IKE_CFG_DNS_MAX)
				memcpy(c->dns6[c->n_dns6++], ip.addr, 16);
		} else if (strncmp(tok, "split=", 6) == 0 &&
		    (slash = strchr(tok, '/')) != NULL &&
		    c->n_subnets < IKE_CFG_SUBNET_MAX) {
			*slash = '\0';
			if (!parse_ip(tok + 6, &ip))
				return -1;
			memcpy(c->subnets[c->n_subnets].addr, ip.addr, 16);
			c->subnets[c->n_subnets].prefix =
			    (uint8_t)atoi(slash + 1);
			c->subnets[c->n_subnets].family =
			    ip.family == AF_INET ? 4 : 6;
			c->n_subnets++;
		} else
			return -1;
	}
	return info->gateway.family != 0 ? 0 : -1;
}

static void
run_line(char *line)
{
	struct netcfg_info info;
	struct tun_ip via;
	char *args = strchr(line, ' '), *v;
	uint32_t idx = 0;
	int rv;

	if (args != NULL)
		*args++ = '\0';
	else
		args = line + strlen(line);
	snprintf(P.cmd, sizeof(P.cmd), "%s", line);
	P.busy = true;
	if (strcmp(line, "quit") == 0) {
		uv_close((uv_handle_t *)&P.in, NULL);
		tun_dev_close(&P.tun);
		probe_done(&P.nc, 0);
		return;
	}
	if (strcmp(line, "up") == 0 || strcmp(line, "reconnect") == 0) {
		if (parse_info(args, &info) != 0) {
			probe_done(&P.nc, IR_ERR_CONFIG);
			return;
		}
		rv = line[0] == 'u' ? netcfg_up(&P.nc, &info, probe_done) :
		    netcfg_reconnect(&P.nc, &info, probe_done);
	} else if (strcmp(line, "attempt") == 0)
		rv = netcfg_attempt_reconnect(&P.nc, probe_done);
	else if (strcmp(line, "repin") == 0) {
		memset(&via, 0, sizeof(via));
		if ((v = strstr(args, "via=")) != NULL)
			(void)parse_ip(v + 4, &via);
		if ((v = strstr(args, "dev=")) != NULL) {
			v += 4;
			v[strcspn(v, " ")] = '\0';
			idx = if_nametoindex(v);
		}
		rv = netcfg_repin_gateway(&P.nc, idx, &via, probe_done);
	} else if (strcmp(line, "down") == 0)
		rv = netcfg_down(&P.nc, probe_done);
	else
		rv = IR_ERR_CONFIG;
	if (rv != 0)
		probe_done(&P.nc, rv);
}

static void
on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	static char chunk[512];

	(void)h;
	(void)hint;
	*buf = uv_buf_init(chunk, sizeof(chunk));
}

static void
on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	ssize_t i;

	if (n < 0) {
		uv_close((uv_handle_t *)s, NULL);
		return;
	}
	for (i = 0; i < n; i++) {
		if (buf->base[i] != '\n') {
			if (P.len < sizeof(P.line) - 1)
				P.line[P.len++] = buf->base[i];
			continue;
		}
		P.line[P.len] = '\0';
		P.len = 0;
		if (P.busy) {
			printf("busy\n");
			fflush(stdout);
			continue;
		}
		run_line(P.line);
	}
}

int
main(int argc, char **argv)
{
	const char *script = NULL, *tun = NULL;
	char msg[256];
	bool early = false;
	int i, rv;

	log_init(IR_LOG_DEBUG, 0);
	if (argc >= 2 && strcmp(argv[1], "--cleanup") == 0) {
		rv = netcfg_cleanup_stale(argc > 2 ? argv[2] : NULL, msg,
		    sizeof(msg));
		printf("cleanup %d %s\n", rv, msg);
		return rv == 0 ? 0 : 1;
	}
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--early") == 0)
			early = true;
		else if (i + 1 < argc && strcmp(argv[i], "--tun") == 0)
			tun = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--script") == 0)
			script = argv[++i];
	if (tun == NULL) {
		fprintf(stderr, "usage: netcfg_probe --tun NAME [--script "
		    "PATH [--early]] | --cleanup [NAME]\n");
		return 2;
	}
	P.loop = uv_default_loop();
	tun_dev_init(&P.tun);
	if ((rv = tun_dev_adopt(&P.tun, tun)) != 0 ||
	    (rv = tun_dev_set_up(&P.tun, true)) != 0) {
		fprintf(stderr, "netcfg_probe: %s: %s\n", tun, ir_strerror(rv));
		return 1;
	}
	if (netcfg_init(&P.nc, P.loop, script, msg, sizeof(msg)) != 0) {
		fprintf(stderr, "netcfg_probe: %s\n", msg);
		return 1;
	}
	P.nc.early = early && script != NULL;
	uv_pipe_init(P.loop, &P.in, 0);
	if ((rv = uv_pipe_open(&P.in, 0)) != 0 ||
	    (rv = uv_read_start((uv_stream_t *)&P.in, on_alloc,
	    on_read)) != 0) {
		fprintf(stderr, "netcfg_probe: stdin: %s\n", uv_strerror(rv));
		return 1;
	}
	printf("ready %s %u\n", P.tun.name, (unsigned)P.tun.ifindex);
	fflush(stdout);
	uv_run(P.loop, UV_RUN_DEFAULT);
	return 0;
}
