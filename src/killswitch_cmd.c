/*
 * src/killswitch_cmd.c: what the user sees of the kill switch:
 * `ikeroam kill-switch off|status`, and the lines and exit statuses of
 * `connect --kill-switch` around one connection.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>

#include "common/ir_err.h"
#include "src/cli.h"
#include "src/exitcode.h"
#include "src/killswitch.h"
#include "src/log.h"

#define CLEAR_HINT	"clear it with: ikeroam kill-switch off"

static int
exit_for(int rv)
{
	return rv == -EPERM ? IR_EXIT_PERMISSION : IR_EXIT_FAILURE;
}

static void
fail_line(int rv, const char *err)
{
	if (rv == -EPERM)
		log_err("kill switch: needs root or CAP_NET_ADMIN; run it with "
		    "sudo");
	else
		log_err("%s", err);
}

static void
print_addrs(const struct killswitch_conf *ks)
{
	char text[INET6_ADDRSTRLEN];
	unsigned i;

	for (i = 0; i < ks->n_gw; i++)
		if (killswitch_addr_text(&ks->gw[i], text))
			printf("%s%s", i > 0 ? ", " : "", text);
}

static int
cmd_status(void)
{
	struct killswitch_counts n;
	struct killswitch_conf ks;
	bool on, rec;
	char err[256];
	int rv;

	if ((rv = killswitch_status(&on, &rec, &ks, &n, err,
	    sizeof(err))) != 0) {
		fail_line(rv, err);
		return exit_for(rv);
	}
	if (!on) {
		printf("kill switch: off\n");
		if (rec)
			printf("  a stale record is left in %s; "
			    "'ikeroam kill-switch off' removes it\n",
			    KILLSWITCH_STATE_FILE);
		return IR_EXIT_FAILURE;
	}
	printf("kill switch: on (table " KILLSWITCH_FAMILY " "
	    KILLSWITCH_TABLE ")\n");
	if (rec) {
		printf("  gateway: %s (", ks.gw_name);
		print_addrs(&ks);
		printf(")\n  tunnel: %s\n  local networks: %s\n", ks.ifname,
		    ks.allow_lan ? "allowed" : "blocked");
	} else
		printf("  no record in %s\n", KILLSWITCH_STATE_FILE);
	printf("  dropped: %llu outbound, %llu inbound, %llu forwarded "
	    "packets\n  " CLEAR_HINT "\n", (unsigned long long)n.out,
	    (unsigned long long)n.in, (unsigned long long)n.fwd);
	return IR_EXIT_OK;
}

static int
cmd_off(void)
{
	struct killswitch_counts n;
	char err[256];
	bool was_on;
	int rv;

	if ((rv = killswitch_remove(&was_on, &n, err, sizeof(err))) != 0) {
		fail_line(rv, err);
		return exit_for(rv);
	}
	if (was_on)
		printf("kill switch: off (removed table " KILLSWITCH_FAMILY
		    " " KILLSWITCH_TABLE " and %s; it dropped %llu outbound, "
		    "%llu inbound, %llu forwarded packets)\n",
		    KILLSWITCH_STATE_FILE, (unsigned long long)n.out,
		    (unsigned long long)n.in, (unsigned long long)n.fwd);
	else
		printf("kill switch: already off\n");
	return IR_EXIT_OK;
}

int
killswitch_cmd(int command)
{
	return command == CLI_CMD_KILLSWITCH_OFF ? cmd_off() : cmd_status();
}

int
killswitch_connect_on(const struct killswitch_conf *ks, bool *was_on)
{
	struct killswitch_conf prev;
	char err[256];
	int rv;

	*was_on = killswitch_record_read(&prev) == 0;
	if ((rv = killswitch_apply(ks, err, sizeof(err))) != 0) {
		fail_line(rv, err);
		return exit_for(rv);
	}
	log_info("kill switch on: only %s's IKE/ESP traffic may leave "
	    "outside %s%s", ks->gw_name, ks->ifname, ks->allow_lan ?
	    " (and local networks)" : "");
	return IR_EXIT_OK;
}

void
killswitch_connect_done(int code, bool keep)
{
	struct killswitch_counts n;
	char err[256];
	bool was_on;
	int rv;

	if (code != IR_EXIT_OK && keep) {
		log_warn("kill switch stays on (exit status %d): traffic "
		    "outside the tunnel is blocked; " CLEAR_HINT, code);
		return;
	}
	if ((rv = killswitch_remove(&was_on, &n, err, sizeof(err))) != 0) {
		fail_line(rv, err);
		log_warn("kill switch may still be on; " CLEAR_HINT);
		return;
	}
	log_info("kill switch off (it dropped %llu outbound, %llu inbound "
	    "packets)", (unsigned long long)n.out, (unsigned long long)n.in);
}

void
killswitch_warn_leftover(void)
{
	struct killswitch_counts n;
	struct killswitch_conf ks;
	bool on, rec;
	char err[256];

	if (killswitch_record_read(&ks) != 0)
		return;		/* none, or not ours to read */
	if (killswitch_status(&on, &rec, &ks, &n, err, sizeof(err)) != 0 ||
	    !on || !rec)
		return;
	log_warn("a kill switch from an earlier run is on (gateway %s, "
	    "tunnel %s): other traffic is blocked; add --kill-switch to take "
	    "it over, or " CLEAR_HINT, ks.gw_name, ks.ifname);
}
