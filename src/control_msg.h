/*
 * src/control_msg.h: the control socket's protocol (man/ikeroam.8,
 * CONTROL SOCKET), pure: no I/O, so the parser has a Check test
 * (tests/src/check_control.c) and a fuzz target (fuzz_control).
 *
 * Newline-delimited JSON, one object a line, at most CTL_LINE_MAX
 * octets with the newline:
 *   request  {"id":N,"cmd":"status"|"subscribe"|"unsubscribe"|
 *             "disconnect"|"reconnect"}
 *   reply    {"id":N,"ok":true,...} or {"id":N,"ok":false,"error":"..."}
 *   event    {"event":"state"|"config"|"transport"|"rekey"|"moved"|
 *             "counters"|"error"|"exit",...}   (after "subscribe")
 * nm/service/nm_ikeroam_event.c reads the "config" event.
 */
#ifndef IR_SRC_CONTROL_MSG_H
#define IR_SRC_CONTROL_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <json-c/json.h>

#include "ike/ike.h"

#define CTL_LINE_MAX	65536		/* a request or reply, newline in */
#define CTL_ID_MAX	9007199254740991LL	/* 2^53 - 1: exact in JSON */
#define CTL_GROUPS_MAX	256		/* SO_PEERGROUPS read at most */

enum ctl_cmd {
	CTL_STATUS = 1,
	CTL_SUBSCRIBE,
	CTL_UNSUBSCRIBE,
	CTL_DISCONNECT,
	CTL_RECONNECT,
};

struct ctl_req {
	int64_t		 id;		/* -1: none could be read */
	int		 cmd;		/* enum ctl_cmd */
};

/*
 * One request line of |len| octets (no newline; need not end with a
 * NUL).  0, or IR_ERR_MALFORMED with one line in |err| for the error
 * reply; rq->id is set when the line had a usable one.
 */
int	ctl_req_parse(const char *line, size_t len, struct ctl_req *rq,
	    char *err, size_t err_len);

const char *ctl_cmd_name(int cmd);

/* A request line (for the commands): "{...}\n" into |buf|; its length. */
size_t	ctl_req_build(int64_t id, int cmd, char *buf, size_t cap);

/* Replies and the simple events; new objects (json_object_put them). */
struct json_object *ctl_reply_ok(int64_t id);
struct json_object *ctl_reply_error(int64_t id, const char *error);
struct json_object *ctl_event(const char *name);	/* {"event":name} */
struct json_object *ctl_event_state(const char *state, const char *sub,
	    const char *reason);
struct json_object *ctl_event_exit(int exit_status, const char *reason);

/* The tunnel's configuration, as NetworkManager applies it. */
#define CTL_ROUTES_MAX	(IKE_CFG_SUBNET_MAX + IKE_TS_MAX)
struct ctl_config {
	const char	*interface;
	const char	*gateway;	/* the outer address, as text */
	uint32_t	 mtu;
	struct {
		uint8_t	 family, prefix;
		uint8_t	 addr[16];
	}		 routes[CTL_ROUTES_MAX];	/* split include */
	size_t		 n_routes;
	struct ike_cfg_reply cfg;
};

/* The "config" event of |c|, or NULL when it has no address at all. */
struct json_object *ctl_event_config(const struct ctl_config *c);

/* The object as one line: a new string "...\n", *|len| with it. */
char	*ctl_line(struct json_object *o, size_t *len);

/*
 * May this peer use the socket?  Root always; otherwise only with a
 * control group (|group_set|) that is the peer's group or one of its
 * supplementary groups (SO_PEERGROUPS, |n_groups| of them).
 */
bool	ctl_peer_allowed(uid_t uid, gid_t gid, const gid_t *groups,
	    size_t n_groups, bool group_set, gid_t group);

#endif
