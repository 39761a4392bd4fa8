/*
 * src/control_client.h: the commands' side of the control socket
 * (ikeroam status, disconnect, reconnect): find the sockets, send a
 * request, read lines with a deadline.  Blocking, bounded in time.
 */
#ifndef IR_SRC_CONTROL_CLIENT_H
#define IR_SRC_CONTROL_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "src/control_msg.h"
#include "src/control_sock.h"

#define CONTROL_SOCKETS_MAX	64

struct control_conn {
	int	 fd;
	size_t	 len;
	char	 buf[CTL_LINE_MAX];
};

/*
 * Connect to |path|: 0, or an exit status (src/exitcode.h) with one
 * line in |err|: not running (13), permission (10), other (1).
 */
int	control_open(struct control_conn *cc, const char *path, char *err,
	    size_t err_len);
void	control_end(struct control_conn *cc);

/* Send request |cmd| with |id|.  0 or -errno. */
int	control_request(struct control_conn *cc, int64_t id, int cmd);

/*
 * The next JSON object from the peer, within |deadline| (CLOCK_MONOTONIC
 * milliseconds): 0 and *|out|, or -ETIMEDOUT, -EPIPE (closed),
 * IR_ERR_MALFORMED.
 */
int	control_next(struct control_conn *cc, uint64_t deadline,
	    struct json_object **out);

/* Wait for the reply of |id| (events before it are dropped): 0 and
 * *|out|, or as control_next(). */
int	control_reply_of(struct control_conn *cc, int64_t id,
	    uint64_t deadline, struct json_object **out);

uint64_t control_now_ms(void);

/* Where NAME's socket is ("--socket PATH" wins): 0 or exit status 2. */
int	control_find(const char *name, const char *sock, char *path,
	    size_t cap, char *err, size_t err_len);

/* Every socket in /run/ikeroam (NAME.sock, nm-UUID/control.sock), with
 * their names: how many. */
size_t	control_list(char paths[][CONTROL_PATH_MAX],
	    char names[][CONTROL_PATH_MAX], size_t cap);

#endif
