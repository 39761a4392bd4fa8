/*
 * src/control.h: the control socket's server in the process that holds
 * the session (the network part under privilege separation).  The
 * listening socket is made before the split (src/control_sock.c) and
 * inherited; this file serves it with libuv: accepts (at most
 * CONTROL_CLIENTS), checks each peer (SO_PEERCRED, SO_PEERGROUPS:
 * src/control_msg.c decides), reads lines (src/control_msg.c parses
 * them), answers subscribe/unsubscribe itself, hands status, disconnect
 * and reconnect to its owner (src/conn.c) through |ops|, and sends
 * events to the subscribers.  A client whose output queue passes
 * CONTROL_OUTQ_MAX is dropped: it never holds the tunnel.
 */
#ifndef IR_SRC_CONTROL_H
#define IR_SRC_CONTROL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <uv.h>

#include <json-c/json.h>

#define CONTROL_CLIENTS		16
#define CONTROL_OUTQ_MAX	(256 * 1024)	/* octets waiting per client */
#define CONTROL_CLOSE_MS	1000	/* flushing at the end, at most */

struct control;
struct control_client;

struct control_ops {
	/* status, disconnect, reconnect: answer with control_reply(). */
	void	(*request)(void *ud, struct control_client *cl, int64_t id,
		    int cmd);
	/* A client subscribed: send it what it missed (control_send). */
	void	(*subscribed)(void *ud, struct control_client *cl);
};

/* Serve listening socket |fd| (taken) on |loop|.  |group|: the control
 * group's gid when |group_set|.  0 or a negative code. */
int	control_new(struct control **out, uv_loop_t *loop, int fd,
	    bool group_set, gid_t group, const struct control_ops *ops,
	    void *ud);

/* Send |o| (taken) to one client, or as a reply. */
void	control_send(struct control_client *cl, struct json_object *o);
void	control_reply(struct control_client *cl, struct json_object *o);

/* Send event |o| (taken) to every subscriber. */
void	control_event(struct control *ctl, struct json_object *o);

bool	control_has_subscribers(const struct control *ctl);

/* Stop listening, flush what is queued (CONTROL_CLOSE_MS at most), close
 * everything; the handles are gone once the loop has run. */
void	control_close(struct control *ctl);

#endif
