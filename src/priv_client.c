/*
 * src/priv_client.c: the network part's side of the privilege
 * separation (src/priv.h).  It sits under the APIs of src/netcfg.c,
 * the TUN, the status file and the network memory, so that the driver
 * (conn*.c, session.c) works the same in one process or two.
 *
 * The network setup is asynchronous, as src/netcfg.c is: the request
 * goes out, |nc->running| holds until the reply, and the reply calls
 * the same |done| callback.  The rest is short (an ioctl, a file):
 * the TUN and the network memory wait for their reply, at most
 * CALL_TIMEOUT_S, keeping aside a network setup reply that comes first;
 * the status file and remembering a network do not wait at all.
 */
#include <netinet/in.h>
#include <errno.h>
#include <signal.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/log.h"
#include "src/netmem.h"
#include "src/priv.h"
#include "src/priv_msg.h"

#define CALL_TIMEOUT_S	10	/* a TUN ioctl or a small file */

struct priv_client {
	int		 fd;
	uv_poll_t	 poll;
	uv_timer_t	 later;		/* delivers a reply kept aside */
	int		 closing;	/* handles still to close */
	uint32_t	 seq;
	bool		 gone;		/* the privileged part hung up */
	struct netcfg	*nc;		/* waiting for its reply */
	netcfg_done_fn	 nc_done;
	uint32_t	 nc_seq;
	bool		 held;		/* nc's reply, kept aside */
	struct priv_reply held_reply;
	uint8_t		 buf[PRIV_MSG_MAX];
};

/* The privileged part is gone: nothing can be set up or undone any
 * more; disconnect (the driver's SIGTERM path) and fail what waits. */
static void
lost(struct priv_client *pc)
{
	if (pc->gone)
		return;
	pc->gone = true;
	log_warn("the privileged part of ikeroam is gone: disconnecting");
	if (uv_is_active((uv_handle_t *)&pc->poll))
		uv_poll_stop(&pc->poll);
	(void)raise(SIGTERM);
}

static void
nc_finish(struct priv_client *pc, int status, bool applied)
{
	struct netcfg *nc = pc->nc;
	netcfg_done_fn done = pc->nc_done;

	pc->nc = NULL;
	pc->nc_done = NULL;
	nc->running = false;
	nc->applied = applied;
	done(nc, status);
}

/* A reply or notice that no call waits for. */
static void
dispatch(struct priv_client *pc, const struct priv_reply *rp)
{
	if (rp->type == PRIV_QUIT) {
		(void)raise(SIGTERM);	/* conn.c's signal path */
		return;
	}
	if (pc->nc != NULL && rp->seq == pc->nc_seq) {
		nc_finish(pc, rp->status, (rp->flags & PRIV_REPLY_APPLIED) != 0);
		return;
	}
	if (rp->status != 0)
		log_debug("privileged part: request %u: %s", (unsigned)rp->req,
		    ir_strerror(rp->status));
}

static void
on_later(uv_timer_t *t)
{
	struct priv_client *pc = t->data;
	struct priv_reply rp;

	if (!pc->held)
		return;
	pc->held = false;
	rp = pc->held_reply;
	dispatch(pc, &rp);
}

/*
 * One datagram; |fd_out| (may be NULL) gets a descriptor passed with
 * it, any other is closed.  0, -EAGAIN, -EPIPE (hung up) or
 * IR_ERR_MALFORMED.
 */
static int
recv_one(struct priv_client *pc, int flags, struct priv_reply *rp,
    int *fd_out)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct iovec iov = { pc->buf, sizeof(pc->buf) };
	struct msghdr mh;
	struct cmsghdr *c;
	ssize_t n;
	int fd = -1;

	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.buf;
	mh.msg_controllen = sizeof(cm.buf);
	do
		n = recvmsg(pc->fd, &mh, flags | MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? -EAGAIN :
		    -errno;
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	if (n == 0) {
		if (fd >= 0)
			close(fd);
		return -EPIPE;
	}
	if ((mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0 ||
	    priv_reply_parse(pc->buf, (size_t)n, rp) != 0) {
		if (fd >= 0)
			close(fd);
		return IR_ERR_MALFORMED;
	}
	if (fd_out != NULL)
		*fd_out = fd;
	else if (fd >= 0)
		close(fd);
	return 0;
}

static void
on_readable(uv_poll_t *p, int status, int events)
{
	struct priv_client *pc = p->data;
	struct priv_reply rp;
	int rv;

	for (;;) {
		rv = recv_one(pc, MSG_DONTWAIT, &rp, NULL);
		if (rv == -EAGAIN && status == 0 &&
		    (events & UV_DISCONNECT) == 0)
			return;
		if (rv != 0) {
			if (rv != -EAGAIN)
				log_warn("privileged part: %s", ir_strerror(rv));
			lost(pc);
			return;
		}
		dispatch(pc, &rp);
	}
}

/* libuv made the socket non-blocking: wait for |events| at most
 * CALL_TIMEOUT_S.  0, or -ETIMEDOUT. */
static int
wait_fd(struct priv_client *pc, short events)
{
	struct pollfd pfd = { .fd = pc->fd, .events = events };
	int n;

	do
		n = poll(&pfd, 1, CALL_TIMEOUT_S * 1000);
	while (n < 0 && errno == EINTR);
	return n > 0 ? 0 : n == 0 ? -ETIMEDOUT : -errno;
}

/* Send |rq| with a fresh sequence number; |wait|: when the socket is
 * full, wait for room (else the message is lost: -EAGAIN). */
static int
send_req(struct priv_client *pc, struct priv_req *rq, bool wait)
{
	size_t len;
	ssize_t n;
	int rv;

	if (pc->gone)
		return -EPIPE;
	rq->seq = ++pc->seq;
	if ((rv = priv_req_build(rq, pc->buf, sizeof(pc->buf), &len)) != 0)
		return rv;
	for (;;) {
		n = send(pc->fd, pc->buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n >= 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN || !wait)
			return -errno;
		if ((rv = wait_fd(pc, POLLOUT)) != 0)
			return rv;
	}
}

/* Send |rq| and wait for its reply (other traffic is dispatched or,
 * for the network setup, kept aside until the loop runs again). */
static int
call(struct priv_client *pc, struct priv_req *rq, struct priv_reply *rp,
    int *fd_out)
{
	int rv, fd;

	if ((rv = send_req(pc, rq, true)) != 0)
		return rv;
	for (;;) {
		fd = -1;
		rv = recv_one(pc, MSG_DONTWAIT, rp, &fd);
		if (rv == -EAGAIN) {
			if ((rv = wait_fd(pc, POLLIN)) != 0)
				return rv;
			continue;
		}
		if (rv != 0) {
			lost(pc);
			return rv;
		}
		if (rp->type == PRIV_REPLY && rp->seq == rq->seq) {
			if (fd_out != NULL)
				*fd_out = fd;
			else if (fd >= 0)
				close(fd);
			return 0;
		}
		if (fd >= 0)
			close(fd);
		if (pc->nc != NULL && rp->type == PRIV_REPLY &&
		    rp->seq == pc->nc_seq) {
			pc->held = true;
			pc->held_reply = *rp;
			uv_timer_start(&pc->later, on_later, 0, 0);
		} else
			dispatch(pc, rp);
	}
}

/* ---- public ---------------------------------------------------------------- */

int
priv_client_new(struct priv_client **out, uv_loop_t *loop, int fd)
{
	struct priv_client *pc;
	int rv;

	if ((pc = ir_calloc(1, sizeof(*pc))) == NULL)
		return IR_ERR_NOMEM;
	pc->fd = fd;
	if ((rv = uv_poll_init_socket(loop, &pc->poll, fd)) != 0) {
		ir_free(pc);
		return rv;
	}
	pc->poll.data = pc;
	uv_timer_init(loop, &pc->later);
	pc->later.data = pc;
	/* Neither keeps the loop alive: the connection's handles do. */
	uv_unref((uv_handle_t *)&pc->poll);
	uv_unref((uv_handle_t *)&pc->later);
	uv_poll_start(&pc->poll, UV_READABLE | UV_DISCONNECT, on_readable);
	*out = pc;
	return 0;
}

static void
closed(uv_handle_t *h)
{
	struct priv_client *pc = h->data;

	if (--pc->closing == 0) {
		close(pc->fd);
		ir_free(pc);
	}
}

void
priv_client_close(struct priv_client *pc)
{
	if (pc == NULL)
		return;
	pc->closing = 2;
	uv_close((uv_handle_t *)&pc->poll, closed);
	uv_close((uv_handle_t *)&pc->later, closed);
}

int
priv_tun_open(struct priv_client *pc, struct tun_dev *t, uint32_t mtu)
{
	struct priv_req rq = { .type = PRIV_TUN_OPEN, .mtu = mtu };
	struct priv_reply rp;
	int rv, fd = -1;

	if ((rv = call(pc, &rq, &rp, &fd)) != 0)
		return rv;
	if (rp.status != 0 || fd < 0 || rp.value == 0) {
		if (fd >= 0)
			close(fd);
		return rp.status != 0 ? rp.status : IR_ERR_INTERNAL;
	}
	t->fd = fd;
	t->ifindex = rp.value;
	t->adopted = (rp.flags & PRIV_REPLY_ADOPTED) != 0;
	snprintf(t->name, sizeof(t->name), "%s", rp.name);
	return 0;
}

int
priv_tun_set_mtu(struct priv_client *pc, uint32_t mtu)
{
	struct priv_req rq = { .type = PRIV_TUN_MTU, .mtu = mtu };
	struct priv_reply rp;
	int rv;

	if ((rv = call(pc, &rq, &rp, NULL)) != 0)
		return rv;
	return rp.status;
}

void
priv_netcfg_init(struct netcfg *nc, uv_loop_t *loop, const char *script,
    struct priv_client *pc)
{
	memset(nc, 0, sizeof(*nc));
	nc->loop = loop;
	nc->script = script;	/* for messages: the privileged part runs it */
	nc->out_fd = -1;
	nc->priv = pc;
}

int
priv_netcfg(struct priv_client *pc, struct netcfg *nc, int type,
    const struct netcfg_info *info, uint32_t ifindex,
    const struct tun_ip *via, netcfg_done_fn done)
{
	struct priv_req *rq;
	int rv;

	if (pc->nc != NULL)
		return -EBUSY;
	if ((rq = ir_calloc(1, sizeof(*rq))) == NULL)
		return IR_ERR_NOMEM;
	rq->type = (uint8_t)type;
	if (info != NULL)
		rq->info = *info;
	rq->ifindex = ifindex;
	if (via != NULL)
		rq->via = *via;
	rv = send_req(pc, rq, true);
	if (rv == 0) {
		pc->nc = nc;
		pc->nc_done = done;
		pc->nc_seq = rq->seq;
		nc->running = true;
	}
	ir_free(rq);
	return rv;
}

void
priv_status_write(struct priv_client *pc, const char *text, size_t len)
{
	struct priv_req rq = { .type = PRIV_STATUS };
	int rv;

	rq.text = (const uint8_t *)text;
	rq.text_len = len;
	/* Never blocks the loop: a full socket loses one update. */
	if ((rv = send_req(pc, &rq, false)) != 0)
		log_debug("status file: %s", ir_strerror(rv));
}

void
priv_notify(struct priv_client *pc, const char *text)
{
	struct priv_req rq = { .type = PRIV_NOTIFY };
	int rv;

	rq.text = (const uint8_t *)text;
	rq.text_len = strlen(text);
	if ((rv = send_req(pc, &rq, false)) != 0)
		log_debug("sd_notify: %s", ir_strerror(rv));
}

int
priv_netmem_rung(struct priv_client *pc, const char *path, const char *key,
    time_t now)
{
	struct priv_req rq = { .type = PRIV_NETMEM_RUNG };
	struct priv_reply rp;

	if (pc == NULL)
		return netmem_rung(path, key, now);
	rq.now = (uint64_t)now;
	snprintf(rq.key, sizeof(rq.key), "%s", key);
	if (call(pc, &rq, &rp, NULL) != 0 || rp.status != 0 || rp.value > 2)
		return 0;	/* FB_UDP: as for a missing file */
	return (int)rp.value;
}

int
priv_netmem_store(struct priv_client *pc, const char *path,
    const char *key, int xp, time_t now)
{
	struct priv_req rq = { .type = PRIV_NETMEM_STORE };

	if (pc == NULL)
		return netmem_store_rung(path, key, xp, now);
	rq.now = (uint64_t)now;
	rq.rung = (uint8_t)xp;
	snprintf(rq.key, sizeof(rq.key), "%s", key);
	return send_req(pc, &rq, false);
}

int
priv_gateway(struct priv_client *pc, const struct sockaddr_storage *gw)
{
	struct priv_req rq = { .type = PRIV_GATEWAY };
	struct priv_reply rp;
	int rv;

	rq.gateway.family = (uint8_t)gw->ss_family;
	if (gw->ss_family == AF_INET)
		memcpy(rq.gateway.addr,
		    &((const struct sockaddr_in *)gw)->sin_addr, 4);
	else if (gw->ss_family == AF_INET6)
		memcpy(rq.gateway.addr,
		    &((const struct sockaddr_in6 *)gw)->sin6_addr, 16);
	else
		return IR_ERR_CONFIG;
	if ((rv = call(pc, &rq, &rp, NULL)) != 0)
		return rv;
	return rp.status;
}

int
priv_sign(void *arg, const struct crypto_sig_alg *alg, const uint8_t *data,
    size_t len, uint8_t *sig, size_t cap, size_t *sig_len)
{
	struct priv_client *pc = *(struct priv_client **)arg;
	struct priv_req rq = { .type = PRIV_SIGN };
	struct priv_reply *rp;
	int rv;

	*sig_len = 0;
	if (pc == NULL)
		return IR_ERR_INTERNAL;
	if (len > PRIV_SIGN_MAX)
		return IR_ERR_NOBUF;
	rq.sig_kind = alg->kind;
	rq.sig_hash = alg->hash;
	rq.sig_salt = alg->kind == CRYPTO_SIG_RSA_PSS ? alg->salt_len : 0;
	rq.data = data;
	rq.data_len = len;
	/* struct priv_reply holds a signature: not on the stack twice. */
	if ((rp = ir_calloc(1, sizeof(*rp))) == NULL)
		return IR_ERR_NOMEM;
	if ((rv = call(pc, &rq, rp, NULL)) == 0) {
		if (rp->status != 0)
			rv = rp->status;
		else if (rp->sig_len == 0 || rp->sig_len > cap)
			rv = rp->sig_len == 0 ? IR_ERR_INTERNAL : IR_ERR_NOBUF;
		else {
			memcpy(sig, rp->sig, rp->sig_len);
			*sig_len = rp->sig_len;
		}
	} else
		log_warn("privileged part: no signature: %s",
		    ir_strerror(rv));
	ir_free(rp);
	return rv;
}

int
priv_revcache_open(struct priv_client *pc, int kind, const uint8_t key[20],
    int *fd)
{
	struct priv_req rq = { .type = PRIV_REVCACHE_OPEN };
	struct priv_reply rp;
	int rv;

	*fd = -1;
	rq.rc_kind = (uint8_t)kind;
	memcpy(rq.rc_key, key, REVCACHE_KEY_LEN);
	if ((rv = call(pc, &rq, &rp, fd)) != 0)
		return rv;
	if (rp.status != 0 || *fd < 0) {
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		return rp.status != 0 ? rp.status : -ENOENT;
	}
	return 0;
}

int
priv_revcache_store(struct priv_client *pc, int kind, const uint8_t key[20],
    const uint8_t *p, size_t len)
{
	struct priv_req rq = { .type = PRIV_REVCACHE_STORE };

	if (len > REVCACHE_PRIV_MAX)
		return IR_ERR_NOBUF;
	rq.rc_kind = (uint8_t)kind;
	memcpy(rq.rc_key, key, REVCACHE_KEY_LEN);
	rq.blob = p;
	rq.blob_len = len;
	return send_req(pc, &rq, false);
}
