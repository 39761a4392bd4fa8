/*
 * src/netcfg.c: addresses, routes and DNS for the tunnel.  vpnc-script
 * follows the distribution's conventions (resolvconf, systemd-resolved),
 * so it is the default; the netlink path sets addresses and routes only.
 * With the stock script both run: netlink first (the first packet needs
 * only the address and the routes), then the script for the rest.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/log.h"
#include "src/netcfg.h"
#include "src/priv.h"
#include "src/priv_msg.h"

int
netcfg_init(struct netcfg *nc, uv_loop_t *loop, const char *script,
    char *err, size_t err_len)
{
	memset(nc, 0, sizeof(*nc));
	nc->loop = loop;
	nc->out_fd = -1;
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

/* --netcfg external: the call succeeds at once, nothing applied. */
static int
external(struct netcfg *nc, netcfg_done_fn done, bool applied)
{
	nc->applied = applied;
	nc->done = done;
	if (done != NULL)
		done(nc, 0);
	return 0;
}

/* ---- vpnc-script ------------------------------------------------------ */

/* The handle is closed before |step| runs, so |step| may spawn again. */
static void
script_closed(uv_handle_t *h)
{
	struct netcfg *nc = h->data;
	netcfg_done_fn step = nc->step;

	nc->running = false;
	nc->step = NULL;
	if (step != NULL)
		step(nc, nc->status);
}

static void
script_exited(uv_process_t *p, int64_t status, int sig)
{
	struct netcfg *nc = p->data;

	if (nc->out_fd >= 0) {
		netcfg_out_forward(nc->out_fd, nc->early);
		close(nc->out_fd);
		nc->out_fd = -1;
	}
	if (status != 0 || sig != 0)
		log_debug("vpnc-script exited with status %lld, signal %d",
		    (long long)status, sig);
	nc->status = status == 0 && sig == 0 ? 0 : IR_ERR_CONFIG;
	uv_close((uv_handle_t *)p, script_closed);
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

size_t
netcfg_splits(const struct netcfg_info *in, struct tun_split *out,
    size_t cap)
{
	size_t n = split_from_ts(in, out, cap), i, k = 0;

	for (i = 0; i < n; i++)
		if (out[i].net.len > 0)
			out[k++] = out[i];
	return k;
}

/* The script's environment for |reason| and |in|, into nc->env. */
static int
script_env(struct netcfg *nc, enum tun_reason reason,
    const struct netcfg_info *in)
{
	struct tun_ip dns[2 * IKE_CFG_DNS_MAX];
	struct tun_split split[IKE_CFG_SUBNET_MAX + IKE_TS_MAX];
	const char *domains[IKE_CFG_DOMAIN_MAX];
	struct tun_script_conf sc;
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
	return 0;
}

/* Run the script for |reason| with |in|; |step| runs once it closed. */
static int
script_run(struct netcfg *nc, enum tun_reason reason,
    const struct netcfg_info *in, netcfg_done_fn step)
{
	uv_process_options_t po;
	uv_stdio_container_t stdio[3];
	char *args[2];
	int rv;

	if ((rv = script_env(nc, reason, in)) != 0)
		return rv;
	/*
	 * "connect" after the early setup: the script's "ip addr add" meets
	 * our address and says so.  Its output goes to a memory file, read
	 * when it ends (a hook's daemon may keep it open), and reaches
	 * standard error without those lines.
	 */
	nc->out_fd = nc->early && reason == TUN_REASON_CONNECT ?
	    memfd_create("vpnc-script", MFD_CLOEXEC) : -1;
	args[0] = (char *)nc->script;
	args[1] = NULL;
	memset(&po, 0, sizeof(po));
	memset(stdio, 0, sizeof(stdio));
	stdio[0].flags = UV_IGNORE;
	stdio[1].flags = UV_INHERIT_FD;
	stdio[1].data.fd = nc->out_fd >= 0 ? nc->out_fd :
	    STDERR_FILENO;		/* keep our stdout for JSON */
	stdio[2].flags = UV_INHERIT_FD;
	stdio[2].data.fd = stdio[1].data.fd;
	po.file = nc->script;
	po.args = args;
	po.env = nc->env;
	po.stdio = stdio;
	po.stdio_count = 3;
	po.exit_cb = script_exited;
	nc->proc.data = nc;
	nc->step = step;
	log_debug("running %s (reason %s)", nc->script,
	    tun_reason_name(reason));
	nc->running = true;
	if ((rv = uv_spawn(nc->loop, &nc->proc, &po)) != 0) {
		if (nc->out_fd >= 0)
			close(nc->out_fd);
		nc->out_fd = -1;
		nc->step = NULL;
		uv_close((uv_handle_t *)&nc->proc, script_closed);
		return rv;
	}
	return 0;
}

/* ---- routes, addresses, the gateway pin over netlink ------------------- */

static int
nl_ready(struct netcfg *nc)
{
	return nc->nl.fd >= 0 ? 0 : tun_nl_open(&nc->nl);
}

/*
 * The routes into the TUN for |in| (tun/tun_plan.c decides); |script|:
 * only what the script does not do.  |extra_dns| (may be NULL): more
 * DNS servers to keep routed, those the resolver still uses.
 */
static int
plan_for(const struct netcfg_info *in, bool script,
    const struct netcfg_info *extra_dns, struct tun_plan *out)
{
	struct tun_split split[IKE_CFG_SUBNET_MAX + IKE_TS_MAX];
	struct tun_ip dns[4 * IKE_CFG_DNS_MAX];
	struct tun_plan_in pi;
	const struct netcfg_info *src[2] = { in, extra_dns };
	size_t n, i, k, nd = 0, ns = 0;

	n = split_from_ts(in, split, IR_ARRAY_LEN(split));
	for (i = 0; i < n; i++)		/* a 0/0 subnet means "no split" */
		if (split[i].net.len > 0)
			split[ns++] = split[i];
	for (k = 0; k < 2 && src[k] != NULL; k++) {
		for (i = 0; i < src[k]->cfg.n_dns4; i++)
			fill_tun_ip(&dns[nd++], AF_INET, src[k]->cfg.dns4[i]);
		for (i = 0; i < src[k]->cfg.n_dns6; i++)
			fill_tun_ip(&dns[nd++], AF_INET6, src[k]->cfg.dns6[i]);
	}
	memset(&pi, 0, sizeof(pi));
	pi.has_ip4 = in->cfg.has_ip4;
	pi.has_ip6 = in->cfg.has_ip6;
	pi.split = split;
	pi.n_split = ns;
	pi.dns = dns;
	pi.n_dns = nd;
	pi.script = script;
	return tun_plan_routes(&pi, out);
}

static int
route_via_tun(struct netcfg *nc, const struct tun_prefix *dst, bool add)
{
	struct tun_route r;

	memset(&r, 0, sizeof(r));
	r.dst = *dst;
	r.ifindex = nc->info.ifindex;
	return add ? tun_route_add(&nc->nl, &r) : tun_route_del(&nc->nl, &r);
}

static void
plan_forget(struct tun_plan *p, const struct tun_prefix *dst)
{
	struct tun_plan one;

	memset(&one, 0, sizeof(one));
	one.r[0].dst = *dst;
	one.n = 1;
	p->n = tun_plan_minus(p, &one, p->r, IR_ARRAY_LEN(p->r));
}

/*
 * Make our routes into the TUN those of |want|: add what is new first,
 * then remove what is gone, so that no destination is ever without a
 * route.  A route that exists already is not ours and is not recorded.
 */
static int
routes_sync(struct netcfg *nc, const struct tun_plan *want)
{
	struct tun_plan_route diff[TUN_PLAN_MAX];
	struct tun_plan have = nc->plan;
	size_t n, i;
	int rv, first = 0;

	n = tun_plan_minus(want, &have, diff, IR_ARRAY_LEN(diff));
	for (i = 0; i < n; i++) {
		rv = route_via_tun(nc, &diff[i].dst, true);
		if (rv == 0)
			nc->plan.r[nc->plan.n++] = diff[i];
		else if (rv != -EEXIST && first == 0)
			first = rv;
	}
	n = tun_plan_minus(&have, want, diff, IR_ARRAY_LEN(diff));
	for (i = 0; i < n; i++) {
		(void)route_via_tun(nc, &diff[i].dst, false);
		plan_forget(&nc->plan, &diff[i].dst);
	}
	nc->plan.full4 = want->full4;
	nc->plan.full6 = want->full6;
	nc->plan.block6 = want->block6;
	return first;
}

static void
say_block6(const struct tun_plan *before, const struct tun_plan *after)
{
	if (after->block6 && !before->block6)
		log_info("the gateway gave no IPv6: IPv6 traffic is blocked "
		    "while the tunnel is up");
}

/* Pin the gateway to |ifindex| via |via| (family 0: on-link). */
static int
pin_set(struct netcfg *nc, const struct tun_ip *gw, uint32_t ifindex,
    const struct tun_ip *via)
{
	struct tun_route host;
	int rv;

	memset(&host, 0, sizeof(host));
	host.dst.ip = *gw;
	host.dst.len = (uint8_t)(gw->family == AF_INET ? 32 : 128);
	if (via != NULL && via->family != 0)
		host.gw = *via;
	host.ifindex = ifindex;
	if (nc->pin.dst.ip.family != 0 &&
	    memcmp(&nc->pin, &host, sizeof(host)) == 0)
		return 0;
	if (nc->pin.dst.ip.family != 0)
		(void)tun_route_del(&nc->nl, &nc->pin);
	memset(&nc->pin, 0, sizeof(nc->pin));
	rv = tun_route_add(&nc->nl, &host);
	if (rv == 0)
		nc->pin = host;
	return rv == -EEXIST ? 0 : rv;	/* someone else's: leave it */
}

/*
 * Pin the gateway to the path the kernel uses now, unless the TUN.  A
 * full tunnel routes a new gateway (an RFC 5685 redirect target) into
 * the TUN: it then takes the uplink and next hop of the gateway pinned
 * before, the path our sockets are bound to (src/xport_bind.c).
 */
static int
pin_current(struct netcfg *nc, const struct tun_ip *gw)
{
	struct tun_route via;
	int rv;

	if ((rv = tun_route_lookup(&nc->nl, gw, &via)) != 0)
		return rv;
	if (via.ifindex != nc->info.ifindex || nc->info.ifindex == 0)
		return pin_set(nc, gw, via.ifindex, &via.gw);
	if (nc->pin.dst.ip.family != gw->family || nc->pin.ifindex == 0)
		return IR_ERR_NOT_FOUND;	/* only through ourselves */
	via = nc->pin;
	return pin_set(nc, gw, via.ifindex, &via.gw);
}

/*
 * The address |c| gives for |family|, with its prefix: INTERNAL_IP4_NETMASK
 * (or the IPv6 prefix) as vpnc-script applies it, so the kernel routes
 * the gateway's internal network into the TUN.  false: none.
 */
static bool
cfg_addr(const struct ike_cfg_reply *c, int family, struct tun_prefix *p)
{
	bool has = family == AF_INET ? c->has_ip4 : c->has_ip6;
	uint8_t len = family == AF_INET ? c->ip4_prefix : c->ip6_prefix;
	uint8_t max = family == AF_INET ? 32 : 128;

	memset(p, 0, sizeof(*p));
	if (!has)
		return false;
	fill_tun_ip(&p->ip, family, family == AF_INET ? c->ip4 : c->ip6);
	p->len = len == 0 || len > max ? max : len;
	return true;
}

static int
addr_add(struct netcfg *nc, const struct tun_prefix *p)
{
	int rv = tun_addr_add(&nc->nl, nc->info.ifindex, p);

	return rv == -EEXIST ? 0 : rv;
}

/*
 * Add the new address before the old one goes: removing the last IPv4
 * address of a device flushes its IPv4 routes (fib_disable_ip).  A new
 * IPv4 address with the old one's mask and in its subnet would be its
 * secondary, and deleting the primary deletes its secondaries unless
 * promote_secondaries is set: a /32 bridges the swap instead (an address
 * is only ever secondary to one with the same mask).
 */
static int
addr_swap(struct netcfg *nc, int family, const struct ike_cfg_reply *old,
    const struct ike_cfg_reply *new)
{
	struct tun_prefix o, n, bridge;
	bool had = cfg_addr(old, family, &o), has = cfg_addr(new, family, &n);
	bool secondary;
	int rv = 0;

	if (had == has && (!has || memcmp(&o, &n, sizeof(o)) == 0))
		return 0;
	secondary = had && has && family == AF_INET && o.len == n.len &&
	    o.len < 32 && tun_prefix_covers(&o, &n.ip);
	if (secondary) {
		bridge = n;
		bridge.len = 32;
		if ((rv = addr_add(nc, &bridge)) != 0)
			return rv;
		(void)tun_addr_del(&nc->nl, nc->info.ifindex, &o);
		rv = addr_add(nc, &n);
		(void)tun_addr_del(&nc->nl, nc->info.ifindex, &bridge);
		return rv;
	}
	if (has && (rv = addr_add(nc, &n)) != 0)
		return rv;
	if (had)
		(void)tun_addr_del(&nc->nl, nc->info.ifindex, &o);
	return 0;
}

/* The state record; with a script, its "disconnect" environment. */
static void
state_save(struct netcfg *nc)
{
	int rv;

	if (nc->script != NULL &&
	    script_env(nc, TUN_REASON_DISCONNECT, &nc->script_info) != 0)
		nc->env[0] = NULL;
	rv = netcfg_state_write(nc, nc->script != NULL ? nc->env : NULL);
	if (rv == -EACCES || rv == -EPERM || rv == -EROFS)
		/* Not root (a TUN from NetworkManager): nothing we could
		 * undo after a crash either. */
		log_debug("no record of the network setup in %s: %s",
		    NETCFG_STATE_DIR, ir_strerror(rv));
	else if (rv != 0)
		log_warn("cannot record the network setup in %s: %s (a crash "
		    "would leave it behind)", nc->state_path, ir_strerror(rv));
}

/* The routes ours to add beside the script's (or all, built-in). */
static int
plan_ours(struct netcfg *nc, struct tun_plan *want)
{
	struct tun_plan full, base, sfull, sown;
	int rv;

	if (nc->script == NULL)
		return plan_for(&nc->info, false, NULL, want);
	/*
	 * Early: all routes are ours, as without a script (the script's
	 * "ip route replace" of the same ones leaves them as they are), and
	 * the DNS servers its "connect" configured stay routed.
	 */
	if (nc->early)
		return plan_for(&nc->info, false, &nc->script_info, want);
	/*
	 * The script routed script_info's splits ("connect"); ours are
	 * the rest of what the session needs now, and the old DNS servers
	 * (the resolver keeps them until "disconnect").
	 */
	if ((rv = plan_for(&nc->info, false, &nc->script_info, &full)) != 0 ||
	    (rv = plan_for(&nc->script_info, false, NULL, &sfull)) != 0 ||
	    (rv = plan_for(&nc->script_info, true, NULL, &sown)) != 0)
		return rv;
	memset(&base, 0, sizeof(base));
	base.n = tun_plan_minus(&sfull, &sown, base.r, TUN_PLAN_MAX);
	*want = full;
	want->n = tun_plan_minus(&full, &base, want->r, TUN_PLAN_MAX);
	return 0;
}

/* Splits the script routed that the session no longer has. */
static void
drop_script_splits(struct netcfg *nc)
{
	struct tun_plan sfull, now;
	struct tun_plan_route gone[TUN_PLAN_MAX];
	struct tun_route r;
	size_t n, i;

	if (nc->script == NULL ||
	    plan_for(&nc->script_info, false, NULL, &sfull) != 0 ||
	    plan_for(&nc->info, false, NULL, &now) != 0)
		return;
	n = tun_plan_minus(&sfull, &now, gone, IR_ARRAY_LEN(gone));
	for (i = 0; i < n; i++) {
		if (gone[i].why != TUN_PLAN_SPLIT)
			continue;	/* its default route: see the man page */
		memset(&r, 0, sizeof(r));
		r.dst = gone[i].dst;
		r.ifindex = nc->info.ifindex;
		(void)tun_route_del(&nc->nl, &r);
	}
}

/*
 * The routes (ours beside a script's, or all), and first, with |host|,
 * the gateway's host route and the addresses.
 */
static int
netlink_apply(struct netcfg *nc, bool host)
{
	const struct netcfg_info *in = &nc->info;
	struct tun_plan want, before = nc->plan;
	static const struct ike_cfg_reply none;
	int rv;

	if ((rv = nl_ready(nc)) != 0)
		return rv;
	if (host) {
		/* The gateway stays reachable outside the tunnel. */
		if ((rv = pin_current(nc, &in->gateway)) != 0)
			log_warn("no host route to the gateway: %s",
			    ir_strerror(rv));
		if ((rv = addr_swap(nc, AF_INET, &none, &in->cfg)) != 0 ||
		    (rv = addr_swap(nc, AF_INET6, &none, &in->cfg)) != 0)
			return rv;
	}
	if ((rv = plan_ours(nc, &want)) != 0)
		return rv;
	rv = routes_sync(nc, &want);
	say_block6(&before, &nc->plan);
	state_save(nc);
	return rv;
}

static void
finish(struct netcfg *nc, int rv)
{
	if (nc->done != NULL)
		nc->done(nc, rv);
}

/* ---- the calls -------------------------------------------------------- */

/*
 * Early: the script's set_vpngateway_route ("ip route add" through each
 * route to the gateway but the TUN's) met our host route.  When it added
 * one of its own beside ours (another metric, another next hop), ours
 * goes: its "disconnect" removes one host route ("ip route del"), and
 * that must be its own.  When its add met ours, the one route serves
 * both and "disconnect" removes it; our record of it then finds it gone.
 */
static void
pin_handover(struct netcfg *nc)
{
	unsigned others;

	if (nc->pin.dst.ip.family == 0 || nl_ready(nc) != 0 ||
	    tun_route_host_others(&nc->nl, &nc->pin, nc->info.ifindex,
	    &others) != 0 || others == 0)
		return;
	log_debug("vpnc-script pinned the gateway itself: ours goes");
	(void)tun_route_del(&nc->nl, &nc->pin);
	memset(&nc->pin, 0, sizeof(nc->pin));
}

static void
up_script_done(struct netcfg *nc, int status)
{
	int rv;

	if (nc->early)
		pin_handover(nc);
	if (status == 0 && (rv = netlink_apply(nc, false)) != 0)
		status = rv;
	else if (status != 0 && nc->early)
		state_save(nc);
	finish(nc, status);
}

int
netcfg_up(struct netcfg *nc, const struct netcfg_info *info,
    netcfg_done_fn done)
{
	int rv;

	if (nc->external)
		return external(nc, done, true);
	if (nc->priv != NULL)
		return priv_netcfg(nc->priv, nc, PRIV_NC_UP, info, 0, NULL,
		    done);
	nc->info = *info;
	nc->script_info = *info;
	snprintf(nc->tundev, sizeof(nc->tundev), "%s",
	    info->tundev != NULL ? info->tundev : "");
	nc->info.tundev = nc->script_info.tundev = nc->tundev;
	memset(&nc->plan, 0, sizeof(nc->plan));
	memset(&nc->pin, 0, sizeof(nc->pin));
	nc->done = done;
	nc->applied = true;	/* "disconnect" is safe after a failure */
	if (nc->script != NULL && nc->early) {
		/*
		 * The first packet needs the address and the routes only:
		 * they go in now, and the data path (which does not wait for
		 * the script) carries it while the script does the rest.  A
		 * failure here is the script's to mend; the routes are tried
		 * again once it ended.
		 */
		if ((rv = netlink_apply(nc, true)) != 0)
			log_debug("the tunnel's routes before vpnc-script: %s",
			    ir_strerror(rv));
	}
	if (nc->script != NULL)
		return script_run(nc, TUN_REASON_CONNECT, &nc->info,
		    up_script_done);
	finish(nc, netlink_apply(nc, true));
	return 0;
}

static void
reconnect_script_done(struct netcfg *nc, int status)
{
	state_save(nc);
	finish(nc, status);
}

int
netcfg_reconnect(struct netcfg *nc, const struct netcfg_info *info,
    netcfg_done_fn done)
{
	struct netcfg_info old = nc->info;
	struct tun_plan want, before = nc->plan;
	int rv, first = 0;

	if (nc->external)
		return external(nc, done, true);
	if (nc->priv != NULL)
		return priv_netcfg(nc->priv, nc, PRIV_NC_RECONNECT, info, 0,
		    NULL, done);
	if (!nc->applied)
		return netcfg_up(nc, info, done);
	nc->info = *info;
	nc->info.tundev = nc->tundev;
	nc->done = done;
	if ((rv = nl_ready(nc)) != 0) {
		finish(nc, rv);
		return 0;
	}
	if (nc->script == NULL && memcmp(&old.gateway, &info->gateway,
	    sizeof(old.gateway)) != 0 &&
	    (rv = pin_current(nc, &info->gateway)) != 0)
		log_warn("no host route to the new gateway: %s",
		    ir_strerror(rv));
	first = addr_swap(nc, AF_INET, &old.cfg, &info->cfg);
	rv = addr_swap(nc, AF_INET6, &old.cfg, &info->cfg);
	first = first != 0 ? first : rv;
	if ((rv = plan_ours(nc, &want)) == 0)
		rv = routes_sync(nc, &want);
	first = first != 0 ? first : rv;
	drop_script_splits(nc);
	say_block6(&before, &nc->plan);
	if (first != 0)
		log_warn("updating the network setup for the new session: %s",
		    ir_strerror(first));
	if (nc->script != NULL)
		return script_run(nc, TUN_REASON_RECONNECT, &nc->info,
		    reconnect_script_done);
	state_save(nc);
	finish(nc, first);
	return 0;
}

static void
script_then_finish(struct netcfg *nc, int status)
{
	finish(nc, status);
}

int
netcfg_attempt_reconnect(struct netcfg *nc, netcfg_done_fn done)
{
	if (nc->external)
		return external(nc, done, nc->applied);
	if (nc->priv != NULL)
		return priv_netcfg(nc->priv, nc, PRIV_NC_ATTEMPT, NULL, 0, NULL,
		    done);
	nc->done = done;
	if (!nc->applied || nc->script == NULL) {
		finish(nc, 0);
		return 0;
	}
	return script_run(nc, TUN_REASON_ATTEMPT_RECONNECT, &nc->info,
	    script_then_finish);
}

static void
repin_attempted(struct netcfg *nc, int status)
{
	int rv;

	if (status != 0)
		log_debug("vpnc-script attempt-reconnect failed");
	if ((rv = script_run(nc, TUN_REASON_RECONNECT, &nc->info,
	    script_then_finish)) != 0)
		finish(nc, rv);
}

int
netcfg_repin_gateway(struct netcfg *nc, uint32_t ifindex,
    const struct tun_ip *via, netcfg_done_fn done)
{
	struct tun_route now, stale;
	int rv;

	if (nc->external)
		return external(nc, done, nc->applied);
	if (nc->priv != NULL)
		return priv_netcfg(nc->priv, nc, PRIV_NC_REPIN, NULL, ifindex,
		    via, done);
	nc->done = done;
	if (!nc->applied) {
		finish(nc, 0);
		return 0;
	}
	if ((rv = nl_ready(nc)) != 0) {
		finish(nc, rv);
		return 0;
	}
	if (nc->script == NULL) {
		rv = pin_set(nc, &nc->info.gateway, ifindex, via);
		state_save(nc);
		finish(nc, rv);
		return 0;
	}
	/*
	 * vpnc-script's set_vpngateway_route uses "ip route add", which
	 * keeps a host route that still exists: remove it when it leads
	 * elsewhere, so that "attempt-reconnect" adds the one in use now.
	 */
	if (tun_route_lookup(&nc->nl, &nc->info.gateway, &now) == 0 &&
	    (now.ifindex != ifindex || (via != NULL && via->family != 0 &&
	    memcmp(&now.gw, via, sizeof(*via)) != 0))) {
		memset(&stale, 0, sizeof(stale));
		stale.dst.ip = nc->info.gateway;
		stale.dst.len = (uint8_t)(nc->info.gateway.family == AF_INET ?
		    32 : 128);
		if (nc->pin.dst.ip.family != 0) {
			/* Early: the only host route is ours (pin_handover). */
			(void)tun_route_del(&nc->nl, &nc->pin);
			memset(&nc->pin, 0, sizeof(nc->pin));
			state_save(nc);
		} else
			(void)tun_route_del(&nc->nl, &stale);
	}
	return script_run(nc, TUN_REASON_ATTEMPT_RECONNECT, &nc->info,
	    repin_attempted);
}

static void
down_finish(struct netcfg *nc, int status)
{
	int rv = tun_nl_undo(&nc->nl);

	tun_nl_close(&nc->nl);
	memset(&nc->plan, 0, sizeof(nc->plan));
	memset(&nc->pin, 0, sizeof(nc->pin));
	netcfg_state_remove(nc);
	finish(nc, status != 0 ? status : rv);
}

int
netcfg_down(struct netcfg *nc, netcfg_done_fn done)
{
	if (nc->external)
		return external(nc, done, false);
	if (nc->priv != NULL)
		return priv_netcfg(nc->priv, nc, PRIV_NC_DOWN, NULL, 0, NULL,
		    done);
	nc->done = done;
	if (!nc->applied) {
		finish(nc, 0);
		return 0;
	}
	nc->applied = false;
	if (nc->script != NULL)
		return script_run(nc, TUN_REASON_DISCONNECT, &nc->script_info,
		    down_finish);
	down_finish(nc, 0);
	return 0;
}
