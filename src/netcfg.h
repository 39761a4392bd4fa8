/*
 * src/netcfg.h: configure the host's network for the tunnel, keep it
 * leak-free while the session moves, and undo it: through vpnc-script
 * (run with uv_spawn, never a blocking wait) or the built-in netlink
 * path (--script none).
 *
 * The lead's session driver calls, in this order:
 *   netcfg_cleanup_stale()	once at start, before the TUN is opened
 *   netcfg_init()
 *   netcfg_up()		the first Child SA and CP are in
 *   netcfg_attempt_reconnect()	before each new attempt (new IKE SA) after
 *				the path changed or the session was lost
 *   netcfg_repin_gateway()	after the route to the gateway moved (new
 *				uplink, new next hop), before IKE is sent
 *				on it: MOBIKE, NAT rebinding, re-attempts
 *   netcfg_reconnect()		a new session is up under the same TUN
 *   netcfg_down()		the tunnel ends (clean exit)
 * At most one call runs at a time: wait for |done| before the next.
 */
#ifndef IR_SRC_NETCFG_H
#define IR_SRC_NETCFG_H

#include <limits.h>
#include <stdbool.h>
#include <uv.h>

#include "ike/ike.h"
#include "tun/tun.h"

#define NETCFG_DEFAULT_SCRIPT	"/usr/share/vpnc-scripts/vpnc-script"
#define NETCFG_STATE_DIR	"/run/ikeroam"

struct netcfg;
struct priv_client;
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

/*
 * vpnc-script's environment at its largest (tun/tun.h lists it): about
 * 20 variables, 6 for each IPv4 split (CFG_REPLY subnets and traffic
 * selectors), PATH and the NULL.  Too small once broke 24 splits.
 */
#define NETCFG_ENV_MAX	(24 + 6 * (IKE_CFG_SUBNET_MAX + IKE_TS_MAX))
#define NETCFG_ENVBUF	32768

struct netcfg {
	uv_loop_t		*loop;
	const char		*script;	/* NULL: built-in netlink */
	struct netcfg_info	 info;		/* the session's, now */
	struct netcfg_info	 script_info;	/* what "connect" was given */
	/*
	 * With a script: the addresses, the gateway's host route and all
	 * routes go in over netlink before the script's "connect" runs
	 * (--script-routes early); the script then finds them in place.
	 */
	bool			 early;
	int			 out_fd;	/* the script's output; -1 */
	char			 tundev[TUN_NAME_MAX];
	bool			 applied;	/* "connect" succeeded */
	bool			 running;	/* a script runs */
	uv_process_t		 proc;
	netcfg_done_fn		 done;		/* the caller's */
	netcfg_done_fn		 step;		/* after the script closed */
	int			 status;	/* the script's result */
	struct tun_nl		 nl;		/* records what we added */
	struct tun_plan		 plan;		/* our routes into the TUN */
	struct tun_route	 pin;		/* our host route to the
						   gateway; family 0: none */
	char			 state_path[PATH_MAX];
	char			 envbuf[NETCFG_ENVBUF];
	char			*env[NETCFG_ENV_MAX];
	/* Not NULL: the calls go to the privileged part (src/priv.h). */
	struct priv_client	*priv;
	/* --netcfg external: nothing is applied (NetworkManager does it
	 * from the control socket's "config" events); every call
	 * succeeds at once, without the privileged part. */
	bool			 external;
};

/*
 * The networks the tunnel carries (CFG_REPLY subnets, then the gateway's
 * selectors), without 0/0, into |out|: how many.  Pure.
 */
size_t	netcfg_splits(const struct netcfg_info *in, struct tun_split *out,
	    size_t cap);

/*
 * The stock vpnc-script: |path| names NETCFG_DEFAULT_SCRIPT or the same
 * file (a link, another path).  false when either cannot be read.
 */
bool	netcfg_script_is_stock(const char *path);

/*
 * src/netcfg_stock.c.  A line of the stock script's "connect"
 * output that only says it met what ikeroam put in place first (its
 * "ip addr add" of the address ikeroam added): true.  Pure.
 */
bool	netcfg_out_expected(const char *line, size_t len);

/*
 * Copy the script's output in |fd| (a memory file, read from 0) to
 * standard error, line by line; with |early|, the lines
 * netcfg_out_expected() accepts go to the debug log instead.
 */
void	netcfg_out_forward(int fd, bool early);

/* |script| NULL selects the built-in path.  Checks the script exists. */
int	netcfg_init(struct netcfg *nc, uv_loop_t *loop, const char *script,
	    char *err, size_t err_len);

/*
 * Apply |info| ("connect"); |done| runs with 0 or a negative code.
 * Built-in: pin the gateway's host route, add the addresses, then the
 * routes tun_plan_routes() lists.  vpnc-script: run it, then add over
 * netlink what it does not do (IPv6 blocked into the TUN when the
 * gateway gave none in a full tunnel; DNS servers outside the splits).
 * vpnc-script with |early|: all of the built-in setup first, then the
 * script (DNS, domains, hooks; its routes meet ours); once it ended,
 * the gateway's host route is left to the script when it added its
 * own beside ours, as it removes one at "disconnect".
 * Records all of it in NETCFG_STATE_DIR/<tundev>.state.
 */
int	netcfg_up(struct netcfg *nc, const struct netcfg_info *info,
	    netcfg_done_fn done);

/*
 * A new session under the same TUN, with |info| (maybe another virtual
 * IP, other selectors, other DNS servers), without a gap: the new
 * address is added before the old one is removed (the TUN's routes stay
 * all along), routes new in |info| are added and routes gone removed.
 * vpnc-script: the address is swapped here over netlink (the script's
 * "reconnect" changes nothing), the script runs with reason
 * "reconnect", and splits that changed are routed here; the old DNS
 * servers stay routed into the TUN since the resolver keeps them until
 * "disconnect".  Same address and configuration: only "reconnect" for
 * the script, nothing for netlink.  Calls netcfg_up() when nothing was
 * applied.
 */
int	netcfg_reconnect(struct netcfg *nc, const struct netcfg_info *info,
	    netcfg_done_fn done);

/*
 * Before each new attempt after the path changed or the session was
 * lost, as vpnc and openconnect do: vpnc-script reason
 * "attempt-reconnect" (it re-adds the gateway's host route through a
 * non-TUN route).  Built-in: nothing (|done| runs at once with 0).
 */
int	netcfg_attempt_reconnect(struct netcfg *nc, netcfg_done_fn done);

/*
 * The route to the gateway moved: send the gateway's traffic out of
 * |ifindex| via |via| (family 0: on-link), never into the TUN.
 * Built-in: our host route is replaced by that one (recorded for exact
 * undo).  vpnc-script: a stale /32 to the gateway is removed, then
 * "attempt-reconnect" and "reconnect" run.  Nothing applied: |done|
 * runs at once with 0.
 */
int	netcfg_repin_gateway(struct netcfg *nc, uint32_t ifindex,
	    const struct tun_ip *via, netcfg_done_fn done);

/* Undo what netcfg_up() did ("disconnect"); |done| as above.  Safe to
 * call when nothing was applied: |done| runs at once with 0.  Removes
 * the state record. */
int	netcfg_down(struct netcfg *nc, netcfg_done_fn done);

/*
 * Undo what an ikeroam that died (SIGKILL, crash) left behind: for each
 * record in NETCFG_STATE_DIR (only <tundev>.state when |tundev| is not
 * NULL) whose owner is dead and which was made in this network
 * namespace, run vpnc-script "disconnect" with the recorded environment
 * when a script was used, then remove the recorded addresses, routes
 * and gateway pin (those on a TUN only while that TUN still exists), and
 * the record.  Logs one line per thing removed.  Call it once at start,
 * before the event loop runs (it waits for the script, at most 15 s).
 * |msg| gets one line for the user ("" when there was nothing).  0 or
 * the first error.
 */
int	netcfg_cleanup_stale(const char *tundev, char *msg, size_t cap);

/* For src/netcfg.c: write the record (|env|: the "disconnect"
 * environment when a script is used, else NULL); remove it. */
int	netcfg_state_write(struct netcfg *nc, char *const *env);
void	netcfg_state_remove(struct netcfg *nc);

#endif
