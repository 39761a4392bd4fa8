/*
 * src/control.c: the control socket's server (src/control.h).  One owner
 * per handle: the listening pipe, the close timer and every client's
 * pipe are this file's; control_close() is their one close path.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/control.h"
#include "src/control_msg.h"
#include "src/log.h"

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS	59
#endif

struct control_client {
	struct control		*ctl;
	struct control_client	*next;
	uv_pipe_t		 pipe;
	uv_shutdown_t		 sd;
	bool			 subscribed;
	bool			 closing;
	uid_t			 uid;
	size_t			 in_len;
	char			 in[CTL_LINE_MAX];
};

struct control {
	uv_loop_t		*loop;
	uv_pipe_t		 srv;
	uv_timer_t		 timer;
	struct control_client	*clients;
	unsigned		 n_clients;
	unsigned		 handles;	/* open, not yet closed */
	bool			 closing;
	bool			 group_set;
	gid_t			 group;
	struct control_ops	 ops;
	void			*ud;
};

struct write_req {
	uv_write_t		 req;
	char			*line;
};

static void
maybe_free(struct control *ctl)
{
	if (ctl->closing && ctl->handles == 0)
		ir_free(ctl);
}

static void
handle_closed(uv_handle_t *h)
{
	struct control *ctl = h->data;

	ctl->handles--;
	maybe_free(ctl);
}

static void
client_closed(uv_handle_t *h)
{
	struct control_client *cl = h->data, **pp;
	struct control *ctl = cl->ctl;

	for (pp = &ctl->clients; *pp != NULL; pp = &(*pp)->next)
		if (*pp == cl) {
			*pp = cl->next;
			break;
		}
	ctl->n_clients--;
	ctl->handles--;
	ir_free(cl);
	if (ctl->closing && ctl->n_clients == 0 &&
	    !uv_is_closing((uv_handle_t *)&ctl->timer))
		uv_close((uv_handle_t *)&ctl->timer, handle_closed);
	maybe_free(ctl);
}

static void
client_close(struct control_client *cl)
{
	if (cl->closing)
		return;
	cl->closing = true;
	uv_close((uv_handle_t *)&cl->pipe, client_closed);
}

static void
written(uv_write_t *req, int status)
{
	struct write_req *w = (struct write_req *)req;

	(void)status;	/* a peer gone: its read side says so */
	ir_free(w->line);
	ir_free(w);
}

void
control_send(struct control_client *cl, struct json_object *o)
{
	struct write_req *w;
	uv_buf_t buf;
	size_t len;
	char *line;

	if (o == NULL)
		return;
	line = cl->closing ? NULL : ctl_line(o, &len);
	json_object_put(o);
	if (line == NULL)
		return;
	if (uv_stream_get_write_queue_size((uv_stream_t *)&cl->pipe) + len >
	    CONTROL_OUTQ_MAX) {
		log_info("control socket: a client (uid %u) does not read its "
		    "events: dropped", (unsigned)cl->uid);
		ir_free(line);
		client_close(cl);
		return;
	}
	if ((w = ir_calloc(1, sizeof(*w))) == NULL) {
		ir_free(line);
		client_close(cl);
		return;
	}
	w->line = line;
	buf = uv_buf_init(line, (unsigned)len);
	if (uv_write(&w->req, (uv_stream_t *)&cl->pipe, &buf, 1,
	    written) != 0) {
		ir_free(line);
		ir_free(w);
		client_close(cl);
	}
}

void
control_reply(struct control_client *cl, struct json_object *o)
{
	control_send(cl, o);
}

void
control_event(struct control *ctl, struct json_object *o)
{
	struct control_client *cl, *next;

	if (ctl == NULL || ctl->closing) {
		json_object_put(o);
		return;
	}
	for (cl = ctl->clients; cl != NULL; cl = next) {
		next = cl->next;
		if (cl->subscribed && !cl->closing)
			control_send(cl, json_object_get(o));
	}
	json_object_put(o);
}

bool
control_has_subscribers(const struct control *ctl)
{
	const struct control_client *cl;

	for (cl = ctl != NULL ? ctl->clients : NULL; cl != NULL; cl = cl->next)
		if (cl->subscribed && !cl->closing)
			return true;
	return false;
}

static void	refuse(struct control_client *cl, const char *why);

/* ---- requests ------------------------------------------------------------ */

static void
on_line(struct control_client *cl, const char *line, size_t len)
{
	struct control *ctl = cl->ctl;
	struct ctl_req rq;
	char err[160];

	while (len > 0 && line[len - 1] == '\r')
		len--;
	if (len == 0)
		return;
	if (ctl_req_parse(line, len, &rq, err, sizeof(err)) != 0) {
		control_reply(cl, ctl_reply_error(rq.id, err));
		return;
	}
	switch (rq.cmd) {
	case CTL_SUBSCRIBE:
		cl->subscribed = true;
		control_reply(cl, ctl_reply_ok(rq.id));
		if (ctl->ops.subscribed != NULL)
			ctl->ops.subscribed(ctl->ud, cl);
		break;
	case CTL_UNSUBSCRIBE:
		cl->subscribed = false;
		control_reply(cl, ctl_reply_ok(rq.id));
		break;
	default:
		ctl->ops.request(ctl->ud, cl, rq.id, rq.cmd);
		break;
	}
}

static void
alloc_in(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	struct control_client *cl = h->data;

	(void)hint;
	*buf = uv_buf_init(cl->in + cl->in_len,
	    (unsigned)(sizeof(cl->in) - cl->in_len));
}

static void
on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct control_client *cl = s->data;
	size_t start = 0, i, from;

	(void)buf;
	if (n < 0) {
		client_close(cl);
		return;
	}
	from = cl->in_len;
	cl->in_len += (size_t)n;
	for (i = from; i < cl->in_len && !cl->closing; i++) {
		if (cl->in[i] != '\n')
			continue;
		on_line(cl, cl->in + start, i - start);
		start = i + 1;
	}
	if (cl->closing)
		return;
	memmove(cl->in, cl->in + start, cl->in_len - start);
	cl->in_len -= start;
	if (cl->in_len == sizeof(cl->in))
		refuse(cl, "request longer than 65536 octets");
}

/* ---- accepting ----------------------------------------------------------- */

/* One line and the end, for a client that may not stay. */
static void
refuse(struct control_client *cl, const char *why)
{
	struct json_object *o = ctl_reply_error(-1, why);
	size_t len;
	char *line = ctl_line(o, &len);
	uv_buf_t buf;

	json_object_put(o);
	if (line != NULL) {
		buf = uv_buf_init(line, (unsigned)len);
		(void)uv_try_write((uv_stream_t *)&cl->pipe, &buf, 1);
		ir_free(line);
	}
	client_close(cl);
}

/*
 * SO_PEERCRED and SO_PEERGROUPS (Linux 4.13): what the kernel recorded
 * at connect(), no name service, nothing to read from files (the
 * network part runs under seccomp as another user).
 */
static bool
peer_allowed(struct control *ctl, struct control_client *cl)
{
	gid_t groups[CTL_GROUPS_MAX];
	struct ucred uc;
	socklen_t len = sizeof(uc);
	uv_os_fd_t fd;
	size_t n = 0;

	if (uv_fileno((uv_handle_t *)&cl->pipe, &fd) != 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) != 0)
		return false;
	cl->uid = uc.uid;
	len = sizeof(groups);
	if (ctl->group_set && uc.uid != 0 &&
	    getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) == 0)
		n = len / sizeof(gid_t);
	return ctl_peer_allowed(uc.uid, uc.gid, groups, n, ctl->group_set,
	    ctl->group);
}

static void
on_connection(uv_stream_t *srv, int status)
{
	struct control *ctl = srv->data;
	struct control_client *cl;

	if (status != 0 || ctl->closing)
		return;
	if ((cl = ir_calloc(1, sizeof(*cl))) == NULL)
		return;
	cl->ctl = ctl;
	uv_pipe_init(ctl->loop, &cl->pipe, 0);
	cl->pipe.data = cl;
	cl->next = ctl->clients;
	ctl->clients = cl;
	ctl->n_clients++;
	ctl->handles++;
	if (uv_accept(srv, (uv_stream_t *)&cl->pipe) != 0) {
		client_close(cl);
		return;
	}
	if (!peer_allowed(ctl, cl)) {
		log_info("control socket: uid %u refused (not root%s)",
		    (unsigned)cl->uid, ctl->group_set ? ", not in the control "
		    "group" : "");
		refuse(cl, ctl->group_set ? "permission denied: root or the "
		    "profile's control-group only" : "permission denied: "
		    "root only (the profile has no control-group)");
		return;
	}
	if (ctl->n_clients > CONTROL_CLIENTS) {
		refuse(cl, "too many clients");
		return;
	}
	if (uv_read_start((uv_stream_t *)&cl->pipe, alloc_in, on_read) != 0)
		client_close(cl);
}

int
control_new(struct control **out, uv_loop_t *loop, int fd, bool group_set,
    gid_t group, const struct control_ops *ops, void *ud)
{
	struct control *ctl;
	int rv;

	*out = NULL;
	if ((ctl = ir_calloc(1, sizeof(*ctl))) == NULL) {
		close(fd);
		return IR_ERR_NOMEM;
	}
	ctl->loop = loop;
	ctl->ops = *ops;
	ctl->ud = ud;
	ctl->group_set = group_set;
	ctl->group = group;
	uv_pipe_init(loop, &ctl->srv, 0);
	ctl->srv.data = ctl;
	uv_timer_init(loop, &ctl->timer);
	ctl->timer.data = ctl;
	ctl->handles = 2;
	if ((rv = uv_pipe_open(&ctl->srv, fd)) != 0 ||
	    (rv = uv_listen((uv_stream_t *)&ctl->srv, CONTROL_CLIENTS,
	    on_connection)) != 0) {
		log_warn("control socket: %s", uv_strerror(rv));
		control_close(ctl);
		return rv;
	}
	*out = ctl;
	return 0;
}

static void
on_close_limit(uv_timer_t *t)
{
	struct control *ctl = t->data;
	struct control_client *cl, *next;

	for (cl = ctl->clients; cl != NULL; cl = next) {
		next = cl->next;
		client_close(cl);
	}
}

static void
flushed(uv_shutdown_t *req, int status)
{
	struct control_client *cl = req->data;

	(void)status;
	client_close(cl);
}

void
control_close(struct control *ctl)
{
	struct control_client *cl, *next;

	if (ctl == NULL || ctl->closing)
		return;
	ctl->closing = true;
	uv_close((uv_handle_t *)&ctl->srv, handle_closed);
	for (cl = ctl->clients; cl != NULL; cl = next) {
		next = cl->next;
		if (cl->closing)
			continue;
		cl->sd.data = cl;
		(void)uv_read_stop((uv_stream_t *)&cl->pipe);
		if (uv_stream_get_write_queue_size((uv_stream_t *)&cl->pipe) ==
		    0 || uv_shutdown(&cl->sd, (uv_stream_t *)&cl->pipe,
		    flushed) != 0)
			client_close(cl);
	}
	if (ctl->n_clients == 0)
		uv_close((uv_handle_t *)&ctl->timer, handle_closed);
	else
		uv_timer_start(&ctl->timer, on_close_limit, CONTROL_CLOSE_MS,
		    0);
}
