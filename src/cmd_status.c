/*
 * src/cmd_status.c: ikeroam status [NAME] [--json] [--socket PATH]: ask
 * running connections over their control sockets (man ikeroam(8),
 * CONTROL SOCKET); without NAME every socket in /run/ikeroam.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/commands.h"
#include "src/control_client.h"
#include "src/exitcode.h"
#include "src/log.h"

#define STATUS_WAIT_MS	5000

static const char *
str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return NULL;
	return json_object_get_string(v);
}

static int64_t
num(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return 0;
	return json_object_get_int64(v);
}

static void
bytes(char *out, size_t cap, int64_t n)
{
	if (n >= 10 * 1024 * 1024)
		snprintf(out, cap, "%.1f MiB", n / 1048576.0);
	else if (n >= 10 * 1024)
		snprintf(out, cap, "%.1f KiB", n / 1024.0);
	else
		snprintf(out, cap, "%lld B", (long long)n);
}

/* The human table of one status object. */
static void
print_human(const char *name, struct json_object *st)
{
	struct json_object *v, *x, *sa;
	char a[32], b[32];
	int64_t up;
	size_t i, n;

	printf("%s: %s%s%s\n", name, str(st, "state") ? str(st, "state") :
	    "?", str(st, "substate") ? " / " : "", str(st, "substate") ?
	    str(st, "substate") : "");
	printf("  gateway     %s%s%s\n", str(st, "gateway") ?
	    str(st, "gateway") : "?", str(st, "path") ? ", via " : "",
	    str(st, "path") ? str(st, "path") : "");
	if (str(st, "transport") != NULL)
		printf("  transport   %s%s%s%s\n", str(st, "transport"),
		    str(st, "transport_why") ? " (" : "",
		    str(st, "transport_why") ? str(st, "transport_why") : "",
		    str(st, "transport_why") ? ")" : "");
	if (str(st, "interface") != NULL)
		printf("  interface   %s, MTU %lld\n", str(st, "interface"),
		    (long long)num(st, "mtu"));
	if (str(st, "address") != NULL || str(st, "address6") != NULL)
		printf("  address     %s%s%s\n", str(st, "address") ?
		    str(st, "address") : "", str(st, "address") &&
		    str(st, "address6") ? ", " : "", str(st, "address6") ?
		    str(st, "address6") : "");
	if (json_object_object_get_ex(st, "dns", &v) &&
	    json_object_is_type(v, json_type_array)) {
		printf("  dns        ");
		for (i = 0, n = json_object_array_length(v); i < n; i++)
			printf(" %s", json_object_get_string(
			    json_object_array_get_idx(v, i)));
		printf("\n");
	}
	if ((up = num(st, "uptime_ms")) > 0)
		printf("  uptime      %lldh%02lldm%02llds\n",
		    (long long)(up / 3600000), (long long)(up / 60000 % 60),
		    (long long)(up / 1000 % 60));
	if (json_object_object_get_ex(st, "counters", &x) && x != NULL) {
		bytes(a, sizeof(a), num(x, "rx_bytes"));
		bytes(b, sizeof(b), num(x, "tx_bytes"));
		printf("  traffic     in %s (%lld packets), out %s (%lld "
		    "packets)\n", a, (long long)num(x, "rx_esp"), b,
		    (long long)num(x, "tx_esp"));
		printf("  drops       no SA %lld, outside selectors %lld, send "
		    "queue full %lld\n", (long long)num(x, "drop_no_sa"),
		    (long long)num(x, "drop_outside_ts"),
		    (long long)num(x, "drop_tx_full"));
	}
	if (json_object_object_get_ex(st, "child_sas", &v) &&
	    json_object_is_type(v, json_type_array))
		for (i = 0, n = json_object_array_length(v); i < n; i++) {
			sa = json_object_array_get_idx(v, i);
			printf("  child SA    in %s out %s%s, %lld s old, rekey "
			    "in %lld s\n", str(sa, "spi_in"), str(sa,
			    "spi_out"), json_object_get_boolean(
			    json_object_object_get(sa, "active")) ?
			    " (active)" : "", (long long)num(sa, "age_s"),
			    (long long)num(sa, "rekey_in_s"));
		}
	if (str(st, "reason") != NULL)
		printf("  reason      %s\n", str(st, "reason"));
}

/* One connection's status object (with "name"), or an exit status. */
static int
ask(const char *name, const char *path, struct json_object **out,
    char *err, size_t err_len)
{
	struct control_conn *cc;
	struct json_object *rp, *st, *v;
	int rv;

	*out = NULL;
	if ((cc = malloc(sizeof(*cc))) == NULL)
		return IR_EXIT_FAILURE;
	if ((rv = control_open(cc, path, err, err_len)) != 0) {
		free(cc);
		return rv;
	}
	rv = control_request(cc, 1, CTL_STATUS);
	if (rv == 0)
		rv = control_reply_of(cc, 1, control_now_ms() + STATUS_WAIT_MS,
		    &rp);
	control_end(cc);
	free(cc);
	if (rv != 0) {
		snprintf(err, err_len, "%s: no answer on %s (%s)", name, path,
		    rv == -ETIMEDOUT ? "timed out" : "closed");
		return IR_EXIT_FAILURE;
	}
	if (!json_object_object_get_ex(rp, "ok", &v) ||
	    !json_object_get_boolean(v) ||
	    !json_object_object_get_ex(rp, "status", &st)) {
		snprintf(err, err_len, "%s: %s", name, str(rp, "error") ?
		    str(rp, "error") : "refused");
		rv = str(rp, "error") != NULL && strstr(str(rp, "error"),
		    "permission") != NULL ? IR_EXIT_PERMISSION :
		    IR_EXIT_FAILURE;
		json_object_put(rp);
		return rv;
	}
	st = json_object_get(st);
	json_object_put(rp);
	json_object_object_add(st, "name", json_object_new_string(name));
	json_object_object_add(st, "socket", json_object_new_string(path));
	*out = st;
	return 0;
}

int
cmd_status(int argc, char **argv)
{
	static char paths[CONTROL_SOCKETS_MAX][CONTROL_PATH_MAX];
	static char names[CONTROL_SOCKETS_MAX][CONTROL_PATH_MAX];
	const char *name = NULL, *sock = NULL;
	struct json_object *st, *all;
	char err[600];
	bool json = false;
	size_t i, n;
	int a, rv, code = IR_EXIT_NOT_RUNNING, answered = 0;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--json") == 0)
			json = true;
		else if (strcmp(argv[a], "--socket") == 0 && a + 1 < argc)
			sock = argv[++a];
		else if (argv[a][0] != '-' && name == NULL)
			name = argv[a];
		else {
			log_result(IR_EXIT_USAGE, "usage: ikeroam status [NAME] "
			    "[--json] [--socket PATH]");
			return IR_EXIT_USAGE;
		}
	}
	if (name != NULL || sock != NULL) {
		n = 1;
		if ((rv = control_find(name != NULL ? name : "x", sock,
		    paths[0], sizeof(paths[0]), err, sizeof(err))) != 0) {
			log_result(rv, err);
			return rv;
		}
		snprintf(names[0], sizeof(names[0]), "%s", name != NULL ?
		    name : sock);
	} else
		n = control_list(paths, names, CONTROL_SOCKETS_MAX);
	all = json_object_new_array();
	for (i = 0; i < n; i++) {
		if ((rv = ask(names[i], paths[i], &st, err, sizeof(err))) != 0) {
			/* A stale socket in the listing is nobody's news. */
			if (n == 1 || rv != IR_EXIT_NOT_RUNNING)
				log_result(rv, err);
			if (code != 0)
				code = rv;
			continue;
		}
		answered++;
		code = 0;
		if (json)
			json_object_array_add(all, st);
		else {
			print_human(names[i], st);
			json_object_put(st);
		}
	}
	if (json && (name != NULL || sock != NULL) && answered == 1)
		printf("%s\n", json_object_to_json_string_ext(
		    json_object_array_get_idx(all, 0), JSON_C_TO_STRING_PLAIN));
	else if (json && name == NULL && sock == NULL)
		printf("%s\n", json_object_to_json_string_ext(all,
		    JSON_C_TO_STRING_PLAIN));
	else if (!json && n == 0)
		printf("no ikeroam connection runs\n");
	json_object_put(all);
	return name == NULL && sock == NULL && n == 0 ? IR_EXIT_NOT_RUNNING :
	    code;
}
