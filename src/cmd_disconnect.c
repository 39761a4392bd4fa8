/*
 * src/cmd_disconnect.c: ikeroam disconnect [NAME] [--socket PATH]: ask a
 * running connection to end (the gateway's SA deleted, the network
 * setup undone) and wait, at most DISCONNECT_WAIT_MS, for its "exit"
 * event.  Without NAME: the one connection that runs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/commands.h"
#include "src/control_client.h"
#include "src/exitcode.h"
#include "src/log.h"

#define DISCONNECT_WAIT_MS	30000

/* NAME or the only socket: 0 with |path| and |name| set, or a status. */
static int
pick(const char *name, const char *sock, char *path, char *shown,
    size_t cap, const char *cmd)
{
	static char paths[CONTROL_SOCKETS_MAX][CONTROL_PATH_MAX];
	static char names[CONTROL_SOCKETS_MAX][CONTROL_PATH_MAX];
	char err[300];
	size_t n;
	int rv;

	if (name != NULL || sock != NULL) {
		if ((rv = control_find(name != NULL ? name : "x", sock, path,
		    CONTROL_PATH_MAX, err, sizeof(err))) != 0) {
			log_result(rv, err);
			return rv;
		}
		snprintf(shown, cap, "%s", name != NULL ? name : sock);
		return 0;
	}
	n = control_list(paths, names, CONTROL_SOCKETS_MAX);
	if (n != 1) {
		snprintf(err, sizeof(err), "%s: %s; name one (ikeroam status "
		    "lists them)", cmd, n == 0 ? "no ikeroam connection runs" :
		    "several connections run");
		log_result(n == 0 ? IR_EXIT_NOT_RUNNING : IR_EXIT_USAGE, err);
		return n == 0 ? IR_EXIT_NOT_RUNNING : IR_EXIT_USAGE;
	}
	snprintf(path, CONTROL_PATH_MAX, "%s", paths[0]);
	snprintf(shown, cap, "%s", names[0]);
	return 0;
}

/* Shared with cmd_reconnect.c through commands.h's helper below. */
int
cmd_control_args(int argc, char **argv, const char **name, const char **sock,
    const char *usage)
{
	int a;

	*name = *sock = NULL;
	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--socket") == 0 && a + 1 < argc)
			*sock = argv[++a];
		else if (argv[a][0] != '-' && *name == NULL)
			*name = argv[a];
		else {
			log_result(IR_EXIT_USAGE, usage);
			return IR_EXIT_USAGE;
		}
	}
	return 0;
}

int
cmd_disconnect(int argc, char **argv)
{
	char path[CONTROL_PATH_MAX], shown[CONTROL_PATH_MAX], err[600];
	const char *name, *sock, *ev;
	struct control_conn *cc;
	struct json_object *o, *v;
	uint64_t deadline = control_now_ms() + DISCONNECT_WAIT_MS;
	int rv, status = -1;

	if ((rv = cmd_control_args(argc, argv, &name, &sock, "usage: ikeroam "
	    "disconnect [NAME] [--socket PATH]")) != 0 ||
	    (rv = pick(name, sock, path, shown, sizeof(shown),
	    "disconnect")) != 0)
		return rv;
	if ((cc = malloc(sizeof(*cc))) == NULL)
		return IR_EXIT_FAILURE;
	if ((rv = control_open(cc, path, err, sizeof(err))) != 0) {
		free(cc);
		log_result(rv, err);
		return rv;
	}
	if (control_request(cc, 1, CTL_SUBSCRIBE) != 0 ||
	    control_request(cc, 2, CTL_DISCONNECT) != 0)
		rv = -EPIPE;
	while (rv == 0 && status < 0 &&
	    (rv = control_next(cc, deadline, &o)) == 0) {
		ev = json_object_object_get_ex(o, "event", &v) ?
		    json_object_get_string(v) : "";
		if (strcmp(ev, "exit") == 0) {
			status = json_object_object_get_ex(o, "exit_status",
			    &v) ? json_object_get_int(v) : 0;
			snprintf(err, sizeof(err), "%s", json_object_object_get_ex(
			    o, "reason", &v) ? json_object_get_string(v) : "");
		} else if (json_object_object_get_ex(o, "ok", &v) &&
		    !json_object_get_boolean(v)) {
			snprintf(err, sizeof(err), "%s: %s", shown,
			    json_object_object_get_ex(o, "error", &v) ?
			    json_object_get_string(v) : "refused");
			rv = strstr(err, "permission") != NULL ?
			    IR_EXIT_PERMISSION : IR_EXIT_FAILURE;
			json_object_put(o);
			control_end(cc);
			free(cc);
			log_result(rv, err);
			return rv;
		}
		json_object_put(o);
	}
	control_end(cc);
	free(cc);
	if (status < 0) {
		snprintf(err, sizeof(err), "%s: %s", shown, rv == -ETIMEDOUT ?
		    "no exit within 30 s; it may still be deleting its SA" :
		    "the connection closed without an exit event");
		log_result(IR_EXIT_FAILURE, err);
		return IR_EXIT_FAILURE;
	}
	printf("%s: disconnected%s%s\n", shown, status != 0 ? " after: " : "",
	    status != 0 ? err : "");
	return IR_EXIT_OK;
}
