/*
 * src/cmd_reconnect.c: ikeroam reconnect NAME [--socket PATH]: a new
 * IKE SA under the kept tunnel (as after a lost one), then wait, at
 * most RECONNECT_WAIT_MS, until the tunnel is up again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ir_err.h"
#include "src/commands.h"
#include "src/control_client.h"
#include "src/exitcode.h"
#include "src/log.h"

#define RECONNECT_WAIT_MS	60000

int
cmd_reconnect(int argc, char **argv)
{
	char path[CONTROL_PATH_MAX], err[600];
	const char *name, *sock, *ev, *state;
	struct control_conn *cc;
	struct json_object *o, *v;
	uint64_t deadline = control_now_ms() + RECONNECT_WAIT_MS;
	bool asked = false, left = false, up = false;
	int rv, code = IR_EXIT_FAILURE;

	if ((rv = cmd_control_args(argc, argv, &name, &sock, "usage: ikeroam "
	    "reconnect NAME [--socket PATH]")) != 0)
		return rv;
	if (name == NULL && sock == NULL) {
		log_result(IR_EXIT_USAGE, "usage: ikeroam reconnect NAME "
		    "[--socket PATH]");
		return IR_EXIT_USAGE;
	}
	if ((rv = control_find(name != NULL ? name : "x", sock, path,
	    sizeof(path), err, sizeof(err))) != 0) {
		log_result(rv, err);
		return rv;
	}
	if (name == NULL)
		name = sock;
	if ((cc = malloc(sizeof(*cc))) == NULL)
		return IR_EXIT_FAILURE;
	if ((rv = control_open(cc, path, err, sizeof(err))) != 0) {
		free(cc);
		log_result(rv, err);
		return rv;
	}
	if (control_request(cc, 1, CTL_SUBSCRIBE) != 0 ||
	    control_request(cc, 2, CTL_RECONNECT) != 0)
		rv = -EPIPE;
	snprintf(err, sizeof(err), "%s: not up again within %d s", name,
	    RECONNECT_WAIT_MS / 1000);
	while (rv == 0 && !up && (rv = control_next(cc, deadline, &o)) == 0) {
		ev = json_object_object_get_ex(o, "event", &v) ?
		    json_object_get_string(v) : "";
		if (json_object_object_get_ex(o, "id", &v) &&
		    json_object_get_int64(v) == 2) {
			asked = true;
			if (!json_object_get_boolean(json_object_object_get(o,
			    "ok"))) {
				snprintf(err, sizeof(err), "%s: %s", name,
				    json_object_get_string(
				    json_object_object_get(o, "error")));
				rv = IR_ERR_CONFIG;
			}
		} else if (strcmp(ev, "state") == 0 && asked) {
			state = json_object_get_string(json_object_object_get(
			    o, "state"));
			if (state != NULL && strcmp(state, "up") != 0)
				left = true;
			else if (left && strcmp(json_object_get_string(
			    json_object_object_get(o, "substate")),
			    "steady") == 0)
				up = true;
		} else if (strcmp(ev, "exit") == 0) {
			code = json_object_get_int(json_object_object_get(o,
			    "exit_status"));
			snprintf(err, sizeof(err), "%s: ended: %s", name,
			    json_object_get_string(json_object_object_get(o,
			    "reason")));
			rv = -EPIPE;
		}
		json_object_put(o);
	}
	control_end(cc);
	free(cc);
	if (!up) {
		if (code == 0)
			code = IR_EXIT_FAILURE;
		log_result(code, err);
		return code;
	}
	printf("%s: reconnected\n", name);
	return IR_EXIT_OK;
}
