/*
 * src/netcfg.c: addresses, routes and DNS for the tunnel.  vpnc-script
 * follows the distribution's conventions (resolvconf, systemd-resolved),
 * so it is the default; the netlink path sets addresses and routes only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/log.h"
#include "src/netcfg.h"

int
netcfg_init(struct netcfg *nc, uv_loop_t *loop, const char *script,
    char *err, size_t err_len)
{
	memset(nc, 0, sizeof(*nc));
	nc->loop = loop;
	tun_nl_init(&nc->nl);
	if (script == NULL)
		return 0;
	if (access(script, X_OK) != 0) {
		snprintf(err, err_len, "%s: %s; install it (apt-get install "
		    "vpnc-scripts) or use --script none", script,
		    strerror(errno));
		return IR_ERR_CONFIG;
	}
	nc->script = script;
	return 0;
}

/* ---- vpnc-script ------------------------------------------------------ */

static void
script_exited(uv_process_t *p, int64_t status, int sig)
{
	struct netcfg *nc = p->data;

	nc->running = false;
	uv_close((uv_handle_t *)p, NULL);
	if (status != 0 || sig != 0)
		log_debug("vpnc-script exited with status %lld, signal %d",
		    (long long)status, sig);
	if (nc->done != NULL)
		nc->done(nc, status == 0 && sig == 0 ? 0 : IR_ERR_CONFIG);
}

static void
fill_tun_ip(struct tun_ip *ip, int family, const uint8_t *addr)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = (uint8_t)family;
	memcpy(ip->addr, addr, family == AF_INET ? 4 : 16);
}

/* The gateway's selectors as split-include networks, unless 0/0. */
static size_t
split_from_ts(const struct netcfg_info *in, struct tun_split *out,
    size_t cap)
{
	size_t n = 0, i;
	unsigned bits, alen;

	for (i = 0; i < in->cfg.n_subnets && n < cap; i++, n++) {
		memset(&out[n], 0, sizeof(out[n]));
		fill_tun_ip(&out[n].net.ip, in->cfg.subnets[i].family == 4 ?
		    AF_INET : AF_INET6, in->cfg.subnets[i].addr);
		out[n].net.len = in->cfg.subnets[i].prefix;
	}
	for (i = 0; i < in->n_ts_remote && n < cap; i++) {
		const struct ike_ts *ts = &in->ts_remote[i];

		alen = ts->type == 7 ? 4 : 16;
		/* Count the leading bits where start and end agree and the
		 * range is a whole prefix; 0/0 means "everything". */
		for (bits = 0; bits < alen * 8; bits++) {
			unsigned byte = bits / 8, mask = 0x80u >> (bits % 8);

			if ((ts->start[byte] & mask) != (ts->end[byte] & mask))
				break;
		}
		if (bits == 0)
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		fill_tun_ip(&out[n].net.ip, alen == 4 ? AF_INET : AF_INET6,
		    ts->start);
		out[n].net.len = (uint8_t)bits;
		out[n].proto = alen == 4 ? ts->proto : 0;
		n++;
	}
	return n;
}

static int
script_run(struct netcfg *nc, enum tun_reason reason, netcfg_done_fn done)
{
	const struct netcfg_info *in = &nc->info;
	struct tun_ip dns[2 * IKE_CFG_DNS_MAX];
	struct tun_split split[IKE_CFG_SUBNET_MAX + IKE_TS_MAX];
	const char *domains[IKE_CFG_DOMAIN_MAX];
	struct tun_script_conf sc;
	uv_process_options_t po;
	uv_stdio_container_t stdio[3];
	char *args[2];
	size_t n, i;
	int rv;

	memset(&sc, 0, sizeof(sc));
	sc.reason = reason;
	sc.tundev = in->tundev;
	sc.gateway = in->gateway;
	sc.pid = (uint32_t)getpid();
	sc.mtu = in->mtu;
	if (in->cfg.has_ip4) {
		fill_tun_ip(&sc.ip4, AF_INET, in->cfg.ip4);
		sc.ip4_prefix = in->cfg.ip4_prefix;
	}
	if (in->cfg.has_ip6) {
		fill_tun_ip(&sc.ip6, AF_INET6, in->cfg.ip6);
		sc.ip6_prefix = in->cfg.ip6_prefix;
	}
	for (i = 0; i < in->cfg.n_dns4; i++)
		fill_tun_ip(&dns[sc.n_dns++], AF_INET, in->cfg.dns4[i]);
	for (i = 0; i < in->cfg.n_dns6; i++)
		fill_tun_ip(&dns[sc.n_dns++], AF_INET6, in->cfg.dns6[i]);
	sc.dns = dns;
	for (i = 0; i < in->cfg.n_domains; i++)
		domains[i] = in->cfg.domains[i];
	if (in->cfg.n_domains > 0) {
		sc.def_domain = domains[0];
		sc.split_dns = domains;
		sc.n_split_dns = in->cfg.n_domains;
	}
	sc.split_inc = split;
	sc.n_split_inc = split_from_ts(in, split, IR_ARRAY_LEN(split));
	rv = tun_script_env(&sc, nc->envbuf, sizeof(nc->envbuf), nc->env,
	    IR_ARRAY_LEN(nc->env) - 1, &n);
	if (rv != 0)
		return rv;
	nc->env[n++] = (char *)"PATH=/usr/local/sbin:/usr/local/bin:"
	    "/usr/sbin:/usr/bin:/sbin:/bin";
	nc->env[n] = NULL;

	args[0] = (char *)nc->script;
	args[1] = NULL;
	memset(&po, 0, sizeof(po));
	memset(stdio, 0, sizeof(stdio));
	stdio[0].flags = UV_IGNORE;
	stdio[1].flags = UV_INHERIT_FD;
	stdio[1].data.fd = STDERR_FILENO;	/* keep our stdout for JSON */
	stdio[2].flags = UV_INHERIT_FD;
	stdio[2].data.fd = STDERR_FILENO;
	po.file = nc->script;
	po.args = args;
	po.env = nc->env;
	po.stdio = stdio;
	po.stdio_count = 3;
	po.exit_cb = script_exited;
	nc->proc.data = nc;
	nc->done = done;
	log_debug("running %s (reason %s)", nc->script,
	    tun_reason_name(reason));
	if ((rv = uv_spawn(nc->loop, &nc->proc, &po)) != 0) {
		uv_close((uv_handle_t *)&nc->proc, NULL);
		return rv;
	}
	nc->running = true;
	return 0;
}

/* ---- built-in netlink ------------------------------------------------- */

static int
netlink_apply(struct netcfg *nc)
{
	const struct netcfg_info *in = &nc->info;
	struct tun_prefix pfx;
	struct tun_split split[IKE_CFG_SUBNET_MAX + IKE_TS_MAX];
	struct tun_route r;
	size_t n, i;
	int rv;

	if ((rv = tun_nl_open(&nc->nl)) != 0)
		return rv;
	/* The gateway stays reachable outside the tunnel. */
	if ((rv = tun_route_add_gateway(&nc->nl, &in->gateway)) != 0)
		log_warn("no host route to the gateway: %s", ir_strerror(rv));
	if (in->cfg.has_ip4) {
		memset(&pfx, 0, sizeof(pfx));
		fill_tun_ip(&pfx.ip, AF_INET, in->cfg.ip4);
		pfx.len = 32;
		if ((rv = tun_addr_add(&nc->nl, in->ifindex, &pfx)) != 0)
			return rv;
	}
	if (in->cfg.has_ip6) {
		memset(&pfx, 0, sizeof(pfx));
		fill_tun_ip(&pfx.ip, AF_INET6, in->cfg.ip6);
		pfx.len = 128;
		if ((rv = tun_addr_add(&nc->nl, in->ifindex, &pfx)) != 0)
			return rv;
	}
	n = split_from_ts(in, split, IR_ARRAY_LEN(split));
	if (n == 0) {
		if (in->cfg.has_ip4 && (rv = tun_route_add_default(&nc->nl,
		    in->ifindex, AF_INET)) != 0)
			return rv;
		if (in->cfg.has_ip6 && (rv = tun_route_add_default(&nc->nl,
		    in->ifindex, AF_INET6)) != 0)
			return rv;
	}
	for (i = 0; i < n; i++) {
		memset(&r, 0, sizeof(r));
		r.dst = split[i].net;
		r.ifindex = in->ifindex;
		if ((rv = tun_route_add(&nc->nl, &r)) != 0 && rv != -EEXIST)
			return rv;
	}
	return 0;
}

int
netcfg_up(struct netcfg *nc, const struct netcfg_info *info,
    netcfg_done_fn done)
{
	int rv;

	nc->info = *info;
	if (nc->script != NULL) {
		nc->applied = true;	/* "disconnect" is safe after a failure */
		return script_run(nc, TUN_REASON_CONNECT, done);
	}
	rv = netlink_apply(nc);
	nc->applied = true;
	done(nc, rv);
	return 0;
}

int
netcfg_down(struct netcfg *nc, netcfg_done_fn done)
{
	int rv;

	if (!nc->applied) {
		done(nc, 0);
		return 0;
	}
	nc->applied = false;
	if (nc->script != NULL)
		return script_run(nc, TUN_REASON_DISCONNECT, done);
	rv = tun_nl_undo(&nc->nl);
	tun_nl_close(&nc->nl);
	done(nc, rv);
	return 0;
}
