/*
 * src/netcfg.h: configure the host's network for the tunnel, and undo
 * it: through vpnc-script (run with uv_spawn, never a blocking wait) or
 * the built-in netlink path (--script none).
 */
#ifndef IR_SRC_NETCFG_H
#define IR_SRC_NETCFG_H

#include <stdbool.h>
#include <uv.h>

#include "ike/ike.h"
#include "tun/tun.h"

#define NETCFG_DEFAULT_SCRIPT	"/usr/share/vpnc-scripts/vpnc-script"

struct netcfg;
typedef void (*netcfg_done_fn)(struct netcfg *nc, int status);

/* What the tunnel is, for the script's environment or for netlink. */
struct netcfg_info {
	const char		*tundev;
	uint32_t		 ifindex;
	uint32_t		 mtu;
	struct tun_ip		 gateway;
	struct ike_cfg_reply	 cfg;
	/* The gateway's traffic selectors: split include unless 0/0. */
	struct ike_ts		 ts_remote[IKE_TS_MAX];
	uint8_t			 n_ts_remote;
};

struct netcfg {
	uv_loop_t		*loop;
	const char		*script;	/* NULL: built-in netlink */
	struct netcfg_info	 info;
	bool			 applied;	/* "connect" succeeded */
	bool			 running;
	uv_process_t		 proc;
	netcfg_done_fn		 done;
	struct tun_nl		 nl;
	char			 envbuf[16384];
	char			*env[160];
};

/* |script| NULL selects the built-in path.  Checks the script exists. */
int	netcfg_init(struct netcfg *nc, uv_loop_t *loop, const char *script,
	    char *err, size_t err_len);

/* Apply |info| ("connect"); |done| runs with 0 or a negative code. */
int	netcfg_up(struct netcfg *nc, const struct netcfg_info *info,
	    netcfg_done_fn done);

/* Undo what netcfg_up() did ("disconnect"); |done| as above.  Safe to
 * call when nothing was applied: |done| runs at once with 0. */
int	netcfg_down(struct netcfg *nc, netcfg_done_fn done);

#endif
