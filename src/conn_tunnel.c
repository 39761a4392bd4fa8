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

/* The largest inner packet that fits the path over this transport. */
uint32_t
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
		c->undo_wanted = false;
		if (netcfg_down(nc, netcfg_undone) != 0)
			netcfg_undone(nc, 0);
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
	conn_post(c, &ev);
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

	rv = c->cf.ifname != NULL && tun_dev_adopt(&c->tun, c->cf.ifname) == 0 ?
	    0 : tun_dev_open(&c->tun, c->cf.ifname, 0);
	if (rv != 0) {
		fail(c, IR_EXIT_NETWORK_SETUP, "cannot create the TUN device",
		    rv);
		return;
	}
	c->tun_mtu = conn_tunnel_mtu(c);
	set_mss(c);
	if ((rv = tun_dev_set_mtu(&c->tun, c->tun_mtu)) != 0 ||
	    (rv = tun_dev_set_up(&c->tun, true)) != 0) {
		fail(c, IR_EXIT_NETWORK_SETUP, "cannot configure the TUN "
		    "device", rv);
		return;
	}
	if (c->nw != NULL)	/* our own routes are never the path */
		netwatch_exclude_ifindex(c->nw, c->tun.ifindex);
	fill_info(c, &info);
	if ((rv = netcfg_up(&c->nc, &info, netcfg_applied)) != 0)
		fail(c, IR_EXIT_NETWORK_SETUP, "cannot run the network setup",
		    rv);
}

/* ---- a new session under the kept tunnel ---------------------------- */

static void
reconfigured(struct netcfg *nc, int status)
{
	(void)nc;
	if (status != 0)
		log_warn("applying the new address failed: %s",
		    ir_strerror(status));
}

static void
unconfigured(struct netcfg *nc, int status)
{
	struct conn *c = (struct conn *)((char *)nc -
	    offsetof(struct conn, nc));
	struct netcfg_info info;

	(void)status;
	if (c->sess.state == SS_CLOSING)
		return;
	fill_info(c, &info);
	(void)netcfg_up(nc, &info, reconfigured);
}

void
conn_tunnel_reconfigure(struct conn *c)
{
	bool same = c->have_cfg && c->nc.info.cfg.has_ip4 == c->cfg.has_ip4 &&
	    memcmp(c->nc.info.cfg.ip4, c->cfg.ip4, 4) == 0 &&
	    c->nc.info.cfg.has_ip6 == c->cfg.has_ip6 &&
	    memcmp(c->nc.info.cfg.ip6, c->cfg.ip6, 16) == 0;

	conn_tun_start(c);
	if (same || c->nc.running)
		return;
	log_info("the gateway gave another address: reconfiguring");
	(void)netcfg_down(&c->nc, unconfigured);
}

/* After a move between UDP and TCP the overhead changed. */
void
conn_tunnel_update_mtu(struct conn *c)
{
	uint32_t mtu;
	int rv;

	if (c->tun.fd < 0 || (mtu = conn_tunnel_mtu(c)) == c->tun_mtu)
		return;
	if ((rv = tun_dev_set_mtu(&c->tun, mtu)) != 0) {
		log_warn("cannot set the TUN MTU to %u: %s", mtu,
		    ir_strerror(rv));
		return;
	}
	log_info("tunnel MTU %u (was %u): now over %s", mtu, c->tun_mtu,
	    conn_xp(c) != NULL ? conn_xp(c)->name : "?");
	c->tun_mtu = mtu;
	set_mss(c);
}

/* Undo the network setup; SE_UNDONE follows. */
void
conn_tunnel_undo(struct conn *c)
{
	conn_tun_stop(c);
	if (c->nc.running) {
		c->undo_wanted = true;	/* "connect" still runs */
		return;
	}
	if (netcfg_down(&c->nc, netcfg_undone) != 0)
		netcfg_undone(&c->nc, 0);
}
