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
 *     file and the network memory, opens --key after the split (a key
 *     file, or a PKCS#11 token where it logs in) and makes the IKE_AUTH
 *     signatures (PRIV_SIGN); the kill switch stays its business
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
#include <time.h>
#include <uv.h>

#include "crypto/crypto_sig.h"
#include "src/netcfg.h"
#include "tun/tun.h"

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

/*
 * The network part, right after the fork: become |u| with nothing
 * (priv_drop_all), then the seccomp filter.  0, or a negative code with
 * one line in |err|: the network part must then exit.
 */
int	priv_enter_network_part(const struct priv_user *u, char *err,
	    size_t err_len);

/* ---- src/priv_seccomp.c ------------------------------------------------- */

/*
 * Load the network part's seccomp filter (libseccomp): the system calls
 * of the libuv loop, OpenSSL, libcurl (and its resolver thread),
 * sockets, the TUN's read and write, sendmmsg/recvmmsg; any other call
 * fails with EPERM (execve, ptrace, mount, module loading...).  Needs
 * NO_NEW_PRIVS.  0, or a negative code with one line in |err|.
 */
int	priv_seccomp(char *err, size_t err_len);

/* ---- src/priv_parent.c: the privileged part ------------------------------ */

struct priv_parent_conf {
	const char	*script;	/* NULL: the built-in netlink setup */
	bool		 script_early;	/* --script-routes early */
	const char	*ifname;	/* --interface; NULL: a new TUN */
	const char	*status_file;	/* NULL: none */
	const char	*netmem_path;	/* NULL or "": none */
	const char	*revocation_cache; /* NULL: none (src/revcache.h) */
	struct tun_ip	 gateway;	/* the only one the setup may pin */
	const struct crypto_pkey *key;	/* SIGN's key (a file's or a token's);
					   NULL: none */
	const char	*key_name;	/* for the log: --key */
};

/*
 * Make the socketpair and fork.  The child (the network part) gets 0
 * and *|fd| its end, named "ikeroam-net", in a process group of its
 * own; the parent gets the child's pid and *|fd| its end.  Negative,
 * with one line in |err|, when nothing was forked.
 */
int	priv_fork(int *fd, char *err, size_t err_len);

/*
 * The privileged part's life: serve the network part |child| on |fd|
 * until it hangs up or dies, undo the network setup, and return its
 * exit status (IR_EXIT_FAILURE when it died of a signal).  Takes |fd|.
 */
int	priv_parent_run(int fd, pid_t child,
	    const struct priv_parent_conf *conf);

/* ---- src/priv_client.c: the network part's proxy ----------------------- */

struct priv_client;

/* Serve the connection on |loop| over |fd| (taken).  0 or negative. */
int	priv_client_new(struct priv_client **out, uv_loop_t *loop, int fd);

/* Close its handles (run the loop once more) and |fd|. */
void	priv_client_close(struct priv_client *pc);

/* The TUN, opened (or adopted) by the privileged part with MTU |mtu|,
 * up, its fd passed back: fills |t|.  0 or a negative code. */
int	priv_tun_open(struct priv_client *pc, struct tun_dev *t, uint32_t mtu);
int	priv_tun_set_mtu(struct priv_client *pc, uint32_t mtu);

/*
 * RFC 5685: the gateway is |gw| from now on (a REDIRECT was followed):
 * the privileged part takes it for the network setup and lets it
 * through the kill switch.  0, or a negative code (refused: more than
 * PRIV_GATEWAY_MAX in PRIV_GATEWAY_WINDOW seconds, or not unicast).
 */
struct sockaddr_storage;
int	priv_gateway(struct priv_client *pc,
	    const struct sockaddr_storage *gw);

/* netcfg_init() for a struct netcfg whose calls go to |pc|. */
void	priv_netcfg_init(struct netcfg *nc, uv_loop_t *loop,
	    const char *script, struct priv_client *pc);

/*
 * What src/netcfg.c's calls become with nc->priv set: request |type|
 * (PRIV_NC_* of src/priv_msg.h); |nc->running| until the reply, then
 * |done| with its status and |nc->applied| as the privileged part says.
 * 0, or a negative code and |done| is not called.
 */
int	priv_netcfg(struct priv_client *pc, struct netcfg *nc, int type,
	    const struct netcfg_info *info, uint32_t ifindex,
	    const struct tun_ip *via, netcfg_done_fn done);

/* The status file's new text (no wait; failures only logged). */
void	priv_status_write(struct priv_client *pc, const char *text,
	    size_t len);

/* An sd_notify text (src/sdnotify.h) sent by the privileged part, the
 * main PID systemd listens to (no wait; failures only logged). */
void	priv_notify(struct priv_client *pc, const char *text);

/* netmem_rung() and netmem_store_rung() of src/netmem.h, through the
 * privileged part when |pc| is not NULL (it knows the path). */
int	priv_netmem_rung(struct priv_client *pc, const char *path,
	    const char *key, time_t now);
int	priv_netmem_store(struct priv_client *pc, const char *path,
	    const char *key, int xp, time_t now);

/*
 * A crypto_sign_fn (crypto/crypto_sig.h) for crypto_pkey_new_remote():
 * |arg| is a struct priv_client ** (read at each call).  The privileged
 * part signs with the configured key (SIGN); waits for the answer, at
 * most 10 s.
 */
int	priv_sign(void *arg, const struct crypto_sig_alg *alg,
	    const uint8_t *data, size_t len, uint8_t *sig, size_t cap,
	    size_t *sig_len);

/*
 * The revocation cache (src/revcache.h) through the privileged part,
 * which alone may touch /var/lib/ikeroam: an entry opened read-only
 * (*|fd|, the caller closes it) or -ENOENT; and an answer to keep (not
 * waited for; larger than REVCACHE_PRIV_MAX: IR_ERR_NOBUF).
 */
int	priv_revcache_open(struct priv_client *pc, int kind,
	    const uint8_t key[20], int *fd);
int	priv_revcache_store(struct priv_client *pc, int kind,
	    const uint8_t key[20], const uint8_t *p, size_t len);

#endif
