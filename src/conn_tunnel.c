/*
 * src/conn_tunnel.c: the tunnel the user sees: the TUN device, its MTU,
 * and the network setup (src/netcfg.c: vpnc-script or netlink).  It is
 * made once, for the first session, and kept while later sessions come
 * and go (reconnects, moves between UDP and TCP), so that packets for
 * the protected networks keep going into the TUN and are dropped there
 * while no SA carries them, never sent in clear.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "common/ir_err.h"
#include "crypto/crypto.h"
#include "src/conn_int.h"
#include "src/exitcode.h"
#include "src/log.h"
#include "src/priv.h"

static void	tunnel_kick(struct conn *c);

/* The largest inner packet that fits the path over this transport. */
static uint32_t
conn_tunnel_mtu(const struct conn *c)
{
	struct tun_mtu_params p;
	uint32_t mtu;
	bool aead = crypto_encr_is_aead(c->esp_encr);

	if (c->cf.mtu != 0)
		return c->cf.mtu;
	memset(&p, 0, sizeof(p));
	p.path_mtu = 1500;
	p.outer_ipv6 = c->cf.gw.ss_family == AF_INET6;
	p.xport = conn_xp(c) != NULL && conn_xp(c)->tcp ? TUN_MTU_TCP :
	    TUN_MTU_UDP;
	p.tcp_options = 12;
	p.iv_len = aead ? 8 : 16;
	p.block_len = aead ? 1 : 16;
	p.icv_len = aead ? 16 : (uint32_t)crypto_integ_icv_len(c->esp_integ);
	if (tun_mtu_inner(&p, &mtu) != 0)
		mtu = 1280;
	return mtu;
}

static void
set_mss(struct conn *c)
{
	c->mss4 = (uint16_t)tun_mtu_mss(c->tun_mtu, false);
	c->mss6 = (uint16_t)tun_mtu_mss(c->tun_mtu, true);
}

static void
gateway_ip(const struct conn *c, struct tun_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = (uint8_t)c->cf.gw.ss_family;
	if (ip->family == AF_INET)
		memcpy(ip->addr, &((const struct sockaddr_in *)&c->cf.gw)->sin_addr,
		    4);
	else
		memcpy(ip->addr,
		    &((const struct sockaddr_in6 *)&c->cf.gw)->sin6_addr, 16);
}

static void
print_up(struct conn *c)
{
	char a[INET6_ADDRSTRLEN] = "-", d[INET6_ADDRSTRLEN] = "";
	uint64_t ms = uv_now(c->loop) - c->t_start;

	if (c->cfg.has_ip4)
		inet_ntop(AF_INET, c->cfg.ip4, a, sizeof(a));
	else if (c->cfg.has_ip6)
		inet_ntop(AF_INET6, c->cfg.ip6, a, sizeof(a));
	if (c->cfg.n_dns4 > 0)
		inet_ntop(AF_INET, c->cfg.dns4[0], d, sizeof(d));
	log_info("tunnel up in %llu ms: %s, address %s%s%s, MTU %u, over %s",
	    (unsigned long long)ms, c->tun.name, a, d[0] ? ", DNS " : "", d,
	    c->tun_mtu, conn_xp(c) != NULL ? conn_xp(c)->name : "?");
}

static void
fail(struct conn *c, int exit_code, const char *what, int rv)
{
	bool perm = rv == -EPERM || rv == -EACCES;
	struct sess_ev ev = { .kind = SE_FAIL, .reason = IR_ERR_CONFIG };

	conn_fail_note(c, perm ? IR_EXIT_PERMISSION : exit_code, "%s: %s%s",
	    what, ir_strerror(rv), perm ? " (run as root or give ikeroam "
	    "CAP_NET_ADMIN)" : "");
	conn_post(c, &ev);
}

static void
netcfg_undone(struct netcfg *nc, int status)
{
	struct conn *c = (struct conn *)((char *)nc -
	    offsetof(struct conn, nc));
	struct sess_ev ev = { .kind = SE_UNDONE };

	if (status != 0)
		log_warn("undoing the network setup failed: %s",
		    ir_strerror(status));
	conn_post(c, &ev);
}

static void
netcfg_applied(struct netcfg *nc, int status)
{
	struct conn *c = (struct conn *)((char *)nc -
	    offsetof(struct conn, nc));
	struct sess_ev ev = { .kind = SE_TUNNEL_READY };

	if (c->undo_wanted) {
		/* Ctrl-C while "connect" ran: undo it now. */
		tunnel_kick(c);
		return;
	}
	if (status != 0) {
		conn_fail_note(c, IR_EXIT_NETWORK_SETUP, "network setup failed "
		    "(%s); see the messages above", c->nc.script ?
		    c->nc.script : "netlink");
		ev.kind = SE_FAIL;
		ev.reason = IR_ERR_CONFIG;
		conn_post(c, &ev);
		return;
	}
	c->t_up = uv_now(c->loop);
	conn_tun_start(c);
	print_up(c);
	conn_event_config(c, false);
	conn_tell_up(c);
	conn_post(c, &ev);
	tunnel_kick(c);		/* what waited for "connect" */
}

static void
fill_info(const struct conn *c, struct netcfg_info *info)
{
	memset(info, 0, sizeof(*info));
	info->tundev = c->tun.name;
	info->ifindex = c->tun.ifindex;
	info->mtu = c->tun_mtu;
	gateway_ip(c, &info->gateway);
	if (c->have_cfg)
		info->cfg = c->cfg;
	memcpy(info->ts_remote, c->ts_remote, sizeof(info->ts_remote));
	info->n_ts_remote = c->n_ts_remote;
}

void
conn_tunnel_open(struct conn *c)
{
	struct netcfg_info info;
	int rv;

	c->tun_mtu = conn_tunnel_mtu(c);
	set_mss(c);
	if (c->cf.priv != NULL)		/* opened, sized and up there */
		rv = priv_tun_open(c->cf.priv, &c->tun, c->tun_mtu);
	else
		rv = c->cf.ifname != NULL && tun_dev_adopt(&c->tun,
		    c->cf.ifname) == 0 ? 0 : tun_dev_open(&c->tun,
		    c->cf.ifname, tun_dev_offload_flag());
	if (rv != 0) {
		fail(c, IR_EXIT_NETWORK_SETUP, "cannot create the TUN device",
		    rv);
		return;
	}
	/* The fd may come from the privileged part: ask it what it is. */
	if ((rv = tun_dev_offload(&c->tun, true)) != 0) {
		fail(c, IR_EXIT_NETWORK_SETUP, "cannot query the TUN device",
		    rv);
		return;
	}
	log_debug("TUN offloads: %s, flags 0x%x", c->tun.vnet_hdr ?
	    "virtio_net_hdr" : "none", c->tun.offload);
	if (c->cf.priv == NULL && ((rv = tun_dev_set_mtu(&c->tun,
	    c->tun_mtu)) != 0 || (rv = tun_dev_set_up(&c->tun, true)) != 0)) {
		fail(c, IR_EXIT_NETWORK_SETUP, "cannot configure the TUN "
		    "device", rv);
		return;
	}
	if (c->nw != NULL)	/* our own routes are never the path */
		netwatch_exclude_ifindex(c->nw, c->tun.ifindex);
	/*
	 * The data path runs from now on, not only once the setup is
	 * applied: with vpnc-script, packets flow as soon as the script has
	 * routed them here, while it goes on with DNS and its hooks (about
	 * a third of its run).  Until then the kernel routes nothing here
	 * that the traffic selectors would not drop.
	 */
	conn_tun_start(c);
	fill_info(c, &info);
	if ((rv = netcfg_up(&c->nc, &info, netcfg_applied)) != 0)
		fail(c, IR_EXIT_NETWORK_SETUP, "cannot run the network setup",
		    rv);
}

/* ---- changes under the kept tunnel -------------------------------------
 *
 * src/netcfg.c runs one thing at a time (one script process): changes
 * wait in c->tunnel_ops and run in this order when it is free: the
 * script's "attempt-reconnect" (a session was lost), the gateway's host
 * route re-pinned (the uplink changed), the new session's configuration
 * swapped in without a gap ("reconnect").  Undoing wins over all.
 */
static void
op_done(struct netcfg *nc, int status)
{
	struct conn *c = (struct conn *)((char *)nc -
	    offsetof(struct conn, nc));

	if (status != 0)
		log_warn("updating the network setup failed: %s",
		    ir_strerror(status));
	tunnel_kick(c);
}

static void
tunnel_kick(struct conn *c)
{
	struct netcfg_info info;
	struct tun_ip via;
	int rv = 0;

	if (c->nc.running)
		return;
	if (c->undo_wanted) {
		c->undo_wanted = false;
		c->tunnel_ops = 0;
		if (netcfg_down(&c->nc, netcfg_undone) != 0)
			netcfg_undone(&c->nc, 0);
		return;
	}
	if (!c->nc.applied || c->sess.state == SS_CLOSING) {
		c->tunnel_ops = 0;
		return;
	}
	if (c->tunnel_ops & TUNNEL_OP_ATTEMPT) {
		c->tunnel_ops &= ~TUNNEL_OP_ATTEMPT;
		rv = netcfg_attempt_reconnect(&c->nc, op_done);
	} else if (c->tunnel_ops & TUNNEL_OP_REPIN) {
		c->tunnel_ops &= ~TUNNEL_OP_REPIN;
		if (!c->path.valid) {
			tunnel_kick(c);
			return;
		}
		memset(&via, 0, sizeof(via));
		if (c->path.has_via) {
			via.family = c->path.family;
			memcpy(via.addr, c->path.via, sizeof(c->path.via));
		}
		rv = netcfg_repin_gateway(&c->nc, c->path.ifindex, &via,
		    op_done);
	} else if (c->tunnel_ops & TUNNEL_OP_RECONNECT) {
		c->tunnel_ops &= ~TUNNEL_OP_RECONNECT;
		fill_info(c, &info);
		rv = netcfg_reconnect(&c->nc, &info, op_done);
	}
	if (rv != 0)
		log_warn("updating the network setup failed: %s",
		    ir_strerror(rv));
}

static void
tunnel_op(struct conn *c, unsigned op)
{
	c->tunnel_ops |= op;
	tunnel_kick(c);
}

/* A new session under the kept tunnel: another address maybe, other
 * selectors or DNS servers; swapped in place, never torn down. */
void
conn_tunnel_reconfigure(struct conn *c)
{
	conn_tun_start(c);
	tunnel_op(c, TUNNEL_OP_RECONNECT);
	conn_event_config(c, false);	/* NetworkManager's, when changed */
}

/* A further Child SA brought more remote selectors: the routes follow,
 * in place (now, or once the setup under way is applied). */
void
conn_tunnel_routes(struct conn *c)
{
	log_info("another Child SA brought more networks (%u in all): "
	    "updating the routes", 0u + c->n_ts_remote);
	if (!c->nc.applied && !c->nc.running)
		return;		/* conn_tunnel_open() takes them all */
	tunnel_op(c, TUNNEL_OP_RECONNECT);
	conn_event_config(c, false);
}

/* The session was lost: vpnc-script's "attempt-reconnect". */
void
conn_tunnel_attempt(struct conn *c)
{
	tunnel_op(c, TUNNEL_OP_ATTEMPT);
}

/* The uplink changed: the gateway's host route follows it. */
void
conn_tunnel_repin(struct conn *c)
{
	tunnel_op(c, TUNNEL_OP_REPIN);
}

/* After a move between UDP and TCP the overhead changed. */
void
conn_tunnel_update_mtu(struct conn *c)
{
	uint32_t mtu;
	int rv;

	if (c->tun.fd < 0 || (mtu = conn_tunnel_mtu(c)) == c->tun_mtu)
		return;
	rv = c->cf.priv != NULL ? priv_tun_set_mtu(c->cf.priv, mtu) :
	    tun_dev_set_mtu(&c->tun, mtu);
	if (rv != 0) {
		log_warn("cannot set the TUN MTU to %u: %s", mtu,
		    ir_strerror(rv));
		return;
	}
	log_info("tunnel MTU %u (was %u): now over %s", mtu, c->tun_mtu,
	    conn_xp(c) != NULL ? conn_xp(c)->name : "?");
	c->tun_mtu = mtu;
	set_mss(c);
	conn_event_config(c, false);
}

/* Undo the network setup; SE_UNDONE follows. */
void
conn_tunnel_undo(struct conn *c)
{
	conn_tun_stop(c);
	c->undo_wanted = true;	/* now, or when the script running ends */
	tunnel_kick(c);
}
