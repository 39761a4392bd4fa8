/*
 * src/priv_parent.c: the privileged part of ikeroam (src/priv.h).
 *
 * It forks the network part, then serves it: one datagram at a time
 * from the socketpair, checked by priv_req_parse() before anything is
 * done, and answered with one reply.  The network setup runs through
 * src/netcfg.c on a libuv loop of its own (vpnc-script under uv_spawn),
 * one setup request at a time; the TUN, the status file, the network
 * memory and signatures (SIGN, with the key main.c opened after the
 * split) are answered at once, even while a script runs.
 *
 * When the network part hangs up, dies, or sends something malformed,
 * the privileged part undoes the network setup (it made it, so it knows
 * the undo), closes its copy of the TUN and exits with the network
 * part's status.  Signals it gets ask the network part to disconnect.
 */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto_sig.h"
#include "src/exitcode.h"
#include "src/killswitch.h"
#include "src/log.h"
#include "src/netmem.h"
#include "src/priv.h"
#include "src/priv_msg.h"
#include "src/revcache.h"
#include "src/safefile.h"
#include "src/sdnotify.h"

#define GRACE_MS	5000	/* the network part's exit after hanging up */
#define SCRIPT_MS	30000	/* a vpnc-script run; it takes < 1 s */

struct parent {
	const struct priv_parent_conf *conf;
	uv_loop_t	 loop;
	int		 fd;
	pid_t		 child;
	uv_poll_t	 poll;
	uv_signal_t	 sig[4];
	uv_timer_t	 grace;
	uv_timer_t	 script;	/* SCRIPT_MS for the running setup */
	struct netcfg	 nc;
	struct tun_dev	 tun;
	int		 op;		/* the netcfg request running; 0 */
	uint32_t	 op_seq;
	bool		 eof;		/* no more requests */
	bool		 undoing, undone, reaped, ending;
	int		 code;		/* the exit status */
	struct priv_req	 rq;
	uint8_t		 buf[PRIV_MSG_MAX];
	/* The gateway the setup may pin: the one resolved before the split,
	 * then each RFC 5685 redirect target (PRIV_GATEWAY), rate-bound. */
	struct tun_ip	 gw, gw_last;
	uint64_t	 gw_t[PRIV_GATEWAY_MAX];	/* ms, uv_now */
};

static void	undo(struct parent *p);

/* One reply; |fd| >= 0 goes with it.  Never blocks: a network part that
 * does not read loses the reply, not the privileged part its loop. */
static void
send_reply(struct parent *p, const struct priv_reply *rp, int fd)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct iovec iov;
	struct msghdr mh;
	uint8_t out[64 + PRIV_SIG_MAX];
	size_t len;

	if (p->eof)
		return;
	if (priv_reply_build(rp, out, sizeof(out), &len) != 0)
		return;
	iov.iov_base = out;
	iov.iov_len = len;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (fd >= 0) {
		memset(&cm, 0, sizeof(cm));
		mh.msg_control = cm.buf;
		mh.msg_controllen = sizeof(cm.buf);
		CMSG_FIRSTHDR(&mh)->cmsg_level = SOL_SOCKET;
		CMSG_FIRSTHDR(&mh)->cmsg_type = SCM_RIGHTS;
		CMSG_FIRSTHDR(&mh)->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(CMSG_FIRSTHDR(&mh)), &fd, sizeof(fd));
	}
	if (sendmsg(p->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		log_debug("privsep: reply %u: %s", (unsigned)rp->req,
		    strerror(errno));
	ir_wipe(out, sizeof(out));
}

static void
reply(struct parent *p, uint8_t req, uint32_t seq, int status,
    uint32_t value, uint8_t flags, int fd)
{
	struct priv_reply rp;

	memset(&rp, 0, sizeof(rp));
	rp.type = PRIV_REPLY;
	rp.seq = seq;
	rp.req = req;
	rp.status = status;
	rp.value = value;
	rp.flags = flags;
	if (req == PRIV_TUN_OPEN && status == 0)
		snprintf(rp.name, sizeof(rp.name), "%s", p->tun.name);
	send_reply(p, &rp, fd);
}

/* SIGN: the configured key signs the IKE_AUTH octets the validator let
 * through; the reply carries the signature or the error. */
static void
sign(struct parent *p, const struct priv_req *rq)
{
	struct crypto_sig_alg alg;
	struct priv_reply rp;
	int rv;

	memset(&rp, 0, sizeof(rp));
	rp.type = PRIV_REPLY;
	rp.seq = rq->seq;
	rp.req = rq->type;
	alg.kind = rq->sig_kind;
	alg.hash = rq->sig_hash;
	alg.salt_len = rq->sig_salt;
	if (p->conf->key == NULL)
		rv = IR_ERR_CONFIG;
	else
		rv = crypto_sig_sign(p->conf->key, &alg, rq->data,
		    rq->data_len, rp.sig, sizeof(rp.sig), &rp.sig_len);
	if (rv != 0) {
		log_warn("privsep: signing with %s failed: %s",
		    p->conf->key_name != NULL ? p->conf->key_name : "the key",
		    ir_strerror(rv));
		rp.sig_len = 0;
	} else
		log_debug("privsep: signed %zu octets with %s", rq->data_len,
		    p->conf->key_name != NULL ? p->conf->key_name : "the key");
	rp.status = rv;
	send_reply(p, &rp, -1);
}

static void
quit_child(struct parent *p)
{
	struct priv_reply rp = { .type = PRIV_QUIT };
	uint8_t out[16];
	size_t len;

	if (!p->eof && priv_reply_build(&rp, out, sizeof(out), &len) == 0)
		(void)send(p->fd, out, len, MSG_DONTWAIT | MSG_NOSIGNAL);
}

/* ---- the end ------------------------------------------------------------- */

static void
close_all(struct parent *p)
{
	unsigned i;

	if (p->ending)
		return;
	p->ending = true;
	if (!uv_is_closing((uv_handle_t *)&p->poll))
		uv_close((uv_handle_t *)&p->poll, NULL);
	for (i = 0; i < IR_ARRAY_LEN(p->sig); i++)
		uv_close((uv_handle_t *)&p->sig[i], NULL);
	uv_close((uv_handle_t *)&p->grace, NULL);
	uv_close((uv_handle_t *)&p->script, NULL);
}

/* A script that hangs must not hold the network part (or the undo)
 * forever: it is killed, and netcfg.c reports the failure. */
static void
on_script_limit(uv_timer_t *t)
{
	struct parent *p = t->data;

	if (!p->nc.running)
		return;
	log_warn("%s did not finish within %d s: killing it", p->nc.script,
	    SCRIPT_MS / 1000);
	(void)uv_process_kill(&p->nc.proc, SIGKILL);
}

static void
watch_script(struct parent *p)
{
	if (p->nc.running)
		uv_timer_start(&p->script, on_script_limit, SCRIPT_MS, 0);
}

static void
on_grace(uv_timer_t *t)
{
	struct parent *p = t->data;

	log_warn("privsep: the network part (pid %ld) did not exit; leaving "
	    "it", (long)p->child);
	p->code = IR_EXIT_FAILURE;
	close_all(p);
}

static void
maybe_end(struct parent *p)
{
	if (!p->undone)
		return;
	if (p->reaped)
		close_all(p);
	else if (!uv_is_active((uv_handle_t *)&p->grace))
		uv_timer_start(&p->grace, on_grace, GRACE_MS, 0);
}

static void
undone(struct netcfg *nc, int status)
{
	struct parent *p = (struct parent *)((char *)nc -
	    offsetof(struct parent, nc));

	uv_timer_stop(&p->script);
	if (status != 0)
		log_warn("undoing the network setup failed: %s",
		    ir_strerror(status));
	tun_dev_close(&p->tun);		/* a TUN we made goes with it */
	p->undone = true;
	maybe_end(p);
}

/* No more requests: undo what is applied once no script runs. */
static void
undo(struct parent *p)
{
	if (p->undoing || p->op != 0)
		return;
	p->undoing = true;
	if (netcfg_down(&p->nc, undone) != 0)
		undone(&p->nc, 0);
	else
		watch_script(p);
}

static void
hang_up(struct parent *p)
{
	if (p->eof)
		return;
	p->eof = true;
	uv_poll_stop(&p->poll);
	(void)shutdown(p->fd, SHUT_RDWR);
	undo(p);
}

static void
on_signal(uv_signal_t *s, int signum)
{
	struct parent *p = s->data;
	int st;

	if (signum != SIGCHLD) {
		quit_child(p);		/* it disconnects, then hangs up */
		return;
	}
	if (p->reaped || waitpid(p->child, &st, WNOHANG) != p->child)
		return;
	p->reaped = true;
	if (WIFEXITED(st))
		p->code = WEXITSTATUS(st);
	else {
		log_err("the network part of ikeroam died (signal %d)",
		    WIFSIGNALED(st) ? WTERMSIG(st) : 0);
		p->code = IR_EXIT_FAILURE;
	}
	hang_up(p);
	maybe_end(p);
}

/* ---- requests ------------------------------------------------------------- */

static void
nc_done(struct netcfg *nc, int status)
{
	struct parent *p = (struct parent *)((char *)nc -
	    offsetof(struct parent, nc));
	uint8_t op = (uint8_t)p->op;

	uv_timer_stop(&p->script);
	p->op = 0;
	reply(p, op, p->op_seq, status, 0, nc->applied ? PRIV_REPLY_APPLIED :
	    0, -1);
	if (p->eof)
		undo(p);
}

static bool
same_ip(const struct tun_ip *a, const struct tun_ip *b)
{
	return a->family == b->family && memcmp(a->addr, b->addr,
	    a->family == AF_INET ? 4 : 16) == 0;
}

static void
ip_to_ss(const struct tun_ip *ip, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	ss->ss_family = ip->family;
	if (ip->family == AF_INET)
		memcpy(&((struct sockaddr_in *)ss)->sin_addr, ip->addr, 4);
	else
		memcpy(&((struct sockaddr_in6 *)ss)->sin6_addr, ip->addr, 16);
}

/*
 * PRIV_GATEWAY: the network part followed a REDIRECT (RFC 5685) to |to|
 * (a unicast address, priv_req_parse checked).  At most
 * PRIV_GATEWAY_MAX in PRIV_GATEWAY_WINDOW seconds, as the session's own
 * loop limit: a network part that asks for more is refused.  The kill
 * switch then lets the configured gateway, the one we leave (its SA
 * carries traffic until the new one is up) and the new one through.
 */
static int
gateway_take(struct parent *p, const struct tun_ip *to)
{
	struct sockaddr_storage gw[3];
	uint64_t now = uv_now(&p->loop);
	unsigned i, n = 0, oldest = 0;
	char err[256];
	int rv;

	for (i = 0; i < PRIV_GATEWAY_MAX; i++) {
		if (p->gw_t[i] != 0 &&
		    now - p->gw_t[i] < PRIV_GATEWAY_WINDOW * 1000ull)
			n++;
		if (p->gw_t[i] < p->gw_t[oldest])
			oldest = i;
	}
	if (n >= PRIV_GATEWAY_MAX) {
		log_warn("privsep: more than %d gateway changes in %d s: "
		    "refused", PRIV_GATEWAY_MAX, PRIV_GATEWAY_WINDOW);
		return -EPERM;
	}
	p->gw_t[oldest] = now ? now : 1;
	p->gw_last = p->gw;
	p->gw = *to;
	n = 0;
	ip_to_ss(&p->conf->gateway, &gw[n++]);
	if (!same_ip(&p->gw_last, &p->conf->gateway))
		ip_to_ss(&p->gw_last, &gw[n++]);
	if (!same_ip(&p->gw, &p->conf->gateway) &&
	    !same_ip(&p->gw, &p->gw_last))
		ip_to_ss(&p->gw, &gw[n++]);
	if ((rv = killswitch_update_gateways(gw, n, err, sizeof(err))) != 0)
		log_warn("%s", err);
	return rv;
}

/* A setup request: one at a time, for our TUN and our gateway only. */
static int
netcfg_req(struct parent *p, struct priv_req *rq)
{
	int rv;

	if (p->op != 0)
		return -EBUSY;
	if ((rq->type == PRIV_NC_UP || rq->type == PRIV_NC_RECONNECT) &&
	    p->tun.fd < 0)
		return -EBADF;
	rq->info.tundev = p->tun.name;
	rq->info.ifindex = p->tun.ifindex;
	p->op = rq->type;
	p->op_seq = rq->seq;
	switch (rq->type) {
	case PRIV_NC_UP:
		rv = netcfg_up(&p->nc, &rq->info, nc_done);
		break;
	case PRIV_NC_RECONNECT:
		rv = netcfg_reconnect(&p->nc, &rq->info, nc_done);
		break;
	case PRIV_NC_ATTEMPT:
		rv = netcfg_attempt_reconnect(&p->nc, nc_done);
		break;
	case PRIV_NC_REPIN:
		rv = netcfg_repin_gateway(&p->nc, rq->ifindex, &rq->via,
		    nc_done);
		break;
	default:
		rv = netcfg_down(&p->nc, nc_done);
		break;
	}
	if (rv != 0 && p->op == rq->type && p->op_seq == rq->seq) {
		p->op = 0;	/* |done| was not called */
		return rv;
	}
	watch_script(p);
	return 0;
}

static int
tun_open(struct parent *p, uint32_t mtu)
{
	const char *name = p->conf->ifname;
	int rv;

	if (p->tun.fd >= 0)
		return -EBUSY;
	rv = name != NULL && tun_dev_adopt(&p->tun, name) == 0 ? 0 :
	    tun_dev_open(&p->tun, name, tun_dev_offload_flag());
	if (rv == 0 && ((rv = tun_dev_set_mtu(&p->tun, mtu)) != 0 ||
	    (rv = tun_dev_set_up(&p->tun, true)) != 0))
		tun_dev_close(&p->tun);
	return rv;
}

static void
serve(struct parent *p, struct priv_req *rq)
{
	const char *mem = p->conf->netmem_path;
	char err[600];
	int rv = 0, fd;
	uint32_t value = 0;

	switch (rq->type) {
	case PRIV_TUN_OPEN:
		if ((rv = tun_open(p, rq->mtu)) == 0) {
			reply(p, rq->type, rq->seq, 0, p->tun.ifindex,
			    p->tun.adopted ? PRIV_REPLY_ADOPTED : 0, p->tun.fd);
			return;
		}
		break;
	case PRIV_TUN_MTU:
		rv = p->tun.fd < 0 ? -EBADF : tun_dev_set_mtu(&p->tun, rq->mtu);
		break;
	case PRIV_NC_UP:
	case PRIV_NC_RECONNECT:
	case PRIV_NC_ATTEMPT:
	case PRIV_NC_REPIN:
	case PRIV_NC_DOWN:
		if ((rv = netcfg_req(p, rq)) == 0)
			return;		/* nc_done() replies */
		break;
	case PRIV_STATUS:
		if (p->conf->status_file == NULL)
			rv = -ENOENT;
		else if ((rv = safefile_write_nosync(p->conf->status_file, 0644,
		    rq->text, rq->text_len, err, sizeof(err))) != 0)
			log_debug("%s", err);
		break;
	case PRIV_NOTIFY:
		memcpy(err, rq->text, rq->text_len);	/* < PRIV_NOTIFY_MAX */
		err[rq->text_len] = '\0';
		sdnotify_send(err);
		break;
	case PRIV_NETMEM_RUNG:
		if (mem != NULL && mem[0] != '\0')
			value = (uint32_t)netmem_rung(mem, rq->key,
			    (time_t)rq->now);
		break;
	case PRIV_NETMEM_STORE:
		rv = mem != NULL && mem[0] != '\0' ? netmem_store_rung(mem,
		    rq->key, rq->rung, (time_t)rq->now) : -ENOENT;
		break;
	case PRIV_GATEWAY:
		rv = gateway_take(p, &rq->gateway);
		break;
	case PRIV_SIGN:
		sign(p, rq);
		return;
	case PRIV_REVCACHE_OPEN:
		/* The name is ours, made from the 20 octets; the network
		 * part only reads what root wrote there. */
		if ((rv = revcache_open(p->conf->revocation_cache,
		    rq->rc_kind, rq->rc_key, &fd, err, sizeof(err))) == 0) {
			reply(p, rq->type, rq->seq, 0, 0, 0, fd);
			close(fd);
			return;
		}
		if (rv != -ENOENT)
			log_debug("%s", err);
		break;
	case PRIV_REVCACHE_STORE:
		if ((rv = revcache_store(p->conf->revocation_cache,
		    rq->rc_kind, rq->rc_key, rq->blob, rq->blob_len, err,
		    sizeof(err))) != 0)
			log_debug("%s", err);
		break;
	}
	reply(p, rq->type, rq->seq, rv, value, 0, -1);
}

static void
on_readable(uv_poll_t *h, int status, int events)
{
	struct parent *p = h->data;
	char cbuf[CMSG_SPACE(4 * sizeof(int))];
	struct iovec iov = { p->buf, sizeof(p->buf) };
	struct msghdr mh;
	struct cmsghdr *c;
	ssize_t n;

	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	n = recvmsg(p->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n < 0 && (errno == EAGAIN || errno == EINTR) && status == 0)
		return;
	/* The network part passes no descriptor: close any it tried. */
	for (c = CMSG_FIRSTHDR(&mh); n > 0 && c != NULL;
	    c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			int *fds = (int *)CMSG_DATA(c);
			size_t i, k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

			for (i = 0; i < k; i++)
				close(fds[i]);
			n = -1;
			errno = EPROTO;
		}
	if (n <= 0) {
		/* ECONNRESET: the network part ended with a reply of ours
		 * unread, as an exit after a failure does; its own line said
		 * why.  Anything else is worth a word. */
		if (n < 0 && errno != ECONNRESET)
			log_warn("privsep: %s: ending", strerror(errno));
		hang_up(p);
		return;
	}
	if ((mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0 ||
	    priv_req_parse(p->buf, (size_t)n, &p->rq) != 0 ||
	    ((p->rq.type == PRIV_NC_UP || p->rq.type == PRIV_NC_RECONNECT) &&
	    !same_ip(&p->rq.info.gateway, &p->gw))) {
		log_err("privsep: a malformed request from the network part "
		    "(%zd octets): ending", n);
		p->code = IR_EXIT_FAILURE;
		hang_up(p);
		return;
	}
	(void)events;
	serve(p, &p->rq);
}

/* ---- public ---------------------------------------------------------------- */

int
priv_fork(int *fd, char *err, size_t err_len)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
		snprintf(err, err_len, "socketpair: %s", strerror(errno));
		return -errno;
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		snprintf(err, err_len, "fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -errno;
	}
	if (pid == 0) {
		close(sv[0]);
		*fd = sv[1];
		(void)prctl(PR_SET_NAME, "ikeroam-net", 0, 0, 0);
		/* Its own process group: a Ctrl-C reaches the privileged
		 * part, which asks it to disconnect (PRIV_QUIT), once. */
		(void)setpgid(0, 0);
		return 0;
	}
	close(sv[1]);
	*fd = sv[0];
	return pid;
}

int
priv_parent_run(int fd, pid_t child, const struct priv_parent_conf *conf)
{
	static const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGCHLD };
	struct parent *p;
	char msg[256], err[256];
	unsigned i;
	int code;

	if ((p = ir_calloc(1, sizeof(*p))) == NULL) {
		close(fd);
		return IR_EXIT_FAILURE;
	}
	p->conf = conf;
	p->gw = p->gw_last = conf->gateway;
	p->fd = fd;
	p->child = child;
	p->code = IR_EXIT_FAILURE;
	tun_dev_init(&p->tun);
	uv_loop_init(&p->loop);
	if (netcfg_init(&p->nc, &p->loop, conf->script, err, sizeof(err)) != 0)
		log_err("%s", err);	/* main.c checked it: cannot happen */
	p->nc.early = conf->script_early && p->nc.script != NULL;
	/* What an ikeroam killed earlier left behind (routes, addresses,
	 * the gateway pin, DNS through vpnc-script "disconnect"). */
	if (netcfg_cleanup_stale(NULL, msg, sizeof(msg)) != 0 || msg[0] != '\0')
		log_info("%s", msg[0] != '\0' ? msg : "cleaning up after an "
		    "earlier ikeroam failed");
	uv_poll_init(&p->loop, &p->poll, fd);
	p->poll.data = p;
	uv_poll_start(&p->poll, UV_READABLE | UV_DISCONNECT, on_readable);
	for (i = 0; i < IR_ARRAY_LEN(p->sig); i++) {
		uv_signal_init(&p->loop, &p->sig[i]);
		p->sig[i].data = p;
		uv_signal_start(&p->sig[i], on_signal, signals[i]);
	}
	uv_timer_init(&p->loop, &p->grace);
	p->grace.data = p;
	uv_timer_init(&p->loop, &p->script);
	p->script.data = p;
	/* The network part may have ended before SIGCHLD was watched. */
	on_signal(&p->sig[3], SIGCHLD);
	uv_run(&p->loop, UV_RUN_DEFAULT);
	uv_loop_close(&p->loop);
	tun_dev_close(&p->tun);
	close(fd);
	code = p->code;
	ir_free(p);
	return code;
}
