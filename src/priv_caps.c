/*
 * src/priv_caps.c: give up what ikeroam does not need once its secrets,
 * certificates and sockets' configuration are loaded.
 *
 * The privileged part (or the single process under --no-privsep) keeps
 * CAP_NET_ADMIN only: the TUN device, addresses and routes over
 * rtnetlink, the interface's MTU, and the kill switch's nftables table.
 * It stays uid 0, so it still writes the root-owned /run/ikeroam and
 * /var/lib/ikeroam, and vpnc-script (run as uid 0) gets at most the same
 * set: the bounding set is cut down too, and NO_NEW_PRIVS keeps an
 * execve() from gaining more (capabilities(7), "Capabilities and
 * execution of programs by root").
 *
 * The network-facing part gives up everything: a dedicated user, no
 * capability in any set, NO_NEW_PRIVS, then the seccomp filter
 * (src/priv_seccomp.c).
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cap-ng.h>

#include "common/ir_err.h"
#include "src/log.h"
#include "src/priv.h"

static int
no_new_privs(char *err, size_t err_len)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		snprintf(err, err_len, "PR_SET_NO_NEW_PRIVS: %s",
		    strerror(errno));
		return -errno;
	}
	return 0;
}

int
priv_keep_net_admin(char *err, size_t err_len)
{
	int select = CAPNG_SELECT_BOTH, have;

	capng_get_caps_process();
	/* Without CAP_SETPCAP (a user given the capability by a file or
	 * an ambient set) the bounding set cannot shrink: the rest can. */
	if (capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP) == 0)
		select = CAPNG_SELECT_CAPS;
	have = capng_have_capability(CAPNG_PERMITTED, CAP_NET_ADMIN);
	capng_clear(select);
	if ((have && capng_update(CAPNG_ADD, CAPNG_EFFECTIVE |
	    CAPNG_PERMITTED | (select == CAPNG_SELECT_BOTH ?
	    CAPNG_BOUNDING_SET : 0), CAP_NET_ADMIN) != 0) ||
	    capng_apply(select) != 0) {
		snprintf(err, err_len, "cannot drop capabilities (libcap-ng)");
		return IR_ERR_INTERNAL;
	}
	return no_new_privs(err, err_len);
}

int
priv_user_lookup(const char *name, struct priv_user *u)
{
	struct passwd *pw;

	memset(u, 0, sizeof(*u));
	if (name != NULL && (pw = getpwnam(name)) != NULL && pw->pw_uid != 0) {
		u->uid = pw->pw_uid;
		u->gid = pw->pw_gid;
		snprintf(u->name, sizeof(u->name), "%s", name);
		return 0;
	}
	if ((pw = getpwnam("nobody")) != NULL && pw->pw_uid != 0) {
		u->uid = pw->pw_uid;
		u->gid = pw->pw_gid;
	} else {
		u->uid = PRIV_NOBODY_ID;
		u->gid = PRIV_NOBODY_ID;
	}
	snprintf(u->name, sizeof(u->name), "nobody");
	return IR_ERR_NOT_FOUND;
}

int
priv_drop_all(const struct priv_user *u, char *err, size_t err_len)
{
	capng_clear(CAPNG_SELECT_BOTH);
	/* Groups first, then the bounding set (needs CAP_SETPCAP), then
	 * setresuid(): the kernel clears the permitted set with it. */
	if (capng_change_id((int)u->uid, (int)u->gid, CAPNG_DROP_SUPP_GRP |
	    CAPNG_CLEAR_BOUNDING) != 0) {
		snprintf(err, err_len, "cannot become user %s (uid %u)",
		    u->name, (unsigned)u->uid);
		return IR_ERR_INTERNAL;
	}
	capng_clear(CAPNG_SELECT_BOTH);
	if (capng_apply(CAPNG_SELECT_CAPS) != 0 || getuid() != u->uid ||
	    geteuid() != u->uid || getgid() != u->gid) {
		snprintf(err, err_len, "capabilities left after becoming %s",
		    u->name);
		return IR_ERR_INTERNAL;
	}
	/* Not dumpable: no core and no ptrace by the same user (keys). */
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	return no_new_privs(err, err_len);
}

int
priv_enter_network_part(const struct priv_user *u, char *err, size_t err_len)
{
	int rv;

	if ((rv = priv_drop_all(u, err, err_len)) != 0)
		return rv;
	return priv_seccomp(err, err_len);
}
