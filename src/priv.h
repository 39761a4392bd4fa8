/*
 * src/priv.h: privilege separation.
 *
 * ikeroam parses IKE, X.509 and HTTP from parties nobody authenticated
 * yet.  Once the options, secrets and certificates are loaded (as root),
 * it splits in two:
 *
 *   privileged part (the process the user started; src/priv_parent.c)
 *     uid 0 with CAP_NET_ADMIN only (src/priv_caps.c): opens the TUN
 *     and passes its fd (SCM_RIGHTS), sets its MTU, runs src/netcfg.c
 *     (netlink addresses and routes, vpnc-script), writes the status
 *     file and the network memory; the kill switch stays its business
 *     around the network part's life.  It reads ONE request at a time
 *     from a SOCK_SEQPACKET socketpair, validated by priv_msg_parse()
 *     (pure, src/priv_msg.c) before anything is done with it.
 *
 *   network part (a child; everything else: IKE, ESP, X.509, libcurl,
 *     the libuv loop, transports, the session)
 *     the user "ikeroam" (or nobody, with a warning), no capability in
 *     any set, NO_NEW_PRIVS, a seccomp filter (src/priv_seccomp.c).
 *     Its proxy (src/priv_client.c) sits under the APIs of netcfg.c,
 *     the TUN, the status file and the network memory.
 *
 * When the network part dies or closes its end, the privileged part
 * undoes the network setup and exits with the network part's status.
 * --no-privsep keeps one process, reduced to CAP_NET_ADMIN.
 */
#ifndef IR_SRC_PRIV_H
#define IR_SRC_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PRIV_USER		"ikeroam"	/* the network part's user */
#define PRIV_NOBODY_ID		65534

struct priv_user {
	uid_t		 uid;
	gid_t		 gid;
	char		 name[32];
};

/* ---- src/priv_caps.c ---------------------------------------------------- */

/*
 * Keep CAP_NET_ADMIN only (effective, permitted and, with CAP_SETPCAP,
 * the bounding set, so vpnc-script run as root gets no more), then
 * NO_NEW_PRIVS.  0, or a negative code with one line in |err|.
 */
int	priv_keep_net_admin(char *err, size_t err_len);

/*
 * The network part's user: |name| if it exists and is not root (0);
 * else nobody (or 65534) and IR_ERR_NOT_FOUND, |u| filled all the same.
 */
int	priv_user_lookup(const char *name, struct priv_user *u);

/*
 * Become |u| (no supplementary groups) with no capability in any set,
 * not dumpable, NO_NEW_PRIVS.  Needs CAP_SETUID, CAP_SETGID and
 * CAP_SETPCAP.  0, or a negative code with one line in |err|.
 */
int	priv_drop_all(const struct priv_user *u, char *err, size_t err_len);

#endif
