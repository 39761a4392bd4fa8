/*
 * src/killswitch.c: the kill switch's table through libnftables, and its
 * record under /run/ikeroam.  The ruleset text comes from
 * killswitch_rules.c; this file only runs it and keeps the record.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "src/killswitch.h"

#define SCRIPT_MAX	8192
#define RECORD_MAX	4096

/* The first line of |text| into |err|, after |what|. */
static void
first_line(char *err, size_t err_len, const char *what, const char *text)
{
	size_t n = strcspn(text, "\n");

	snprintf(err, err_len, "%s: %.*s", what, (int)n, text);
}

/*
 * Without CAP_NET_ADMIN libnftables prints its own lines on stderr: ask
 * first, so the user sees one.  Unknown (no /proc): let nft answer.
 */
static bool
may_admin_net(void)
{
	unsigned long long eff;
	char line[128];
	bool may = true;
	FILE *f;

	if ((f = fopen("/proc/self/status", "re")) == NULL)
		return true;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "CapEff: %llx", &eff) == 1) {
			may = (eff >> CAP_NET_ADMIN) & 1;
			break;
		}
	fclose(f);
	return may;
}

/*
 * Run one nft script in one transaction.  |out| (may be NULL) gets what
 * nft prints.  0, -EPERM (no CAP_NET_ADMIN), -ENOENT (no such table), or
 * IR_ERR_INTERNAL; the reason in |err|.
 */
static int
nft_run(const char *script, char *out, size_t out_len, char *err,
    size_t err_len)
{
	struct nft_ctx *ctx;
	const char *e;
	int rv = 0;

	if (!may_admin_net()) {
		snprintf(err, err_len, "nftables: no CAP_NET_ADMIN");
		return -EPERM;
	}
	if ((ctx = nft_ctx_new(NFT_CTX_DEFAULT)) == NULL) {
		snprintf(err, err_len, "nftables: cannot start libnftables");
		return IR_ERR_NOMEM;
	}
	if (nft_ctx_buffer_output(ctx) != 0 || nft_ctx_buffer_error(ctx) != 0) {
		nft_ctx_free(ctx);
		snprintf(err, err_len, "nftables: cannot buffer its output");
		return IR_ERR_NOMEM;
	}
	errno = 0;
	if (nft_run_cmd_from_buffer(ctx, script) != 0) {
		e = nft_ctx_get_error_buffer(ctx);
		if (e == NULL)
			e = "";
		if (errno == EPERM || strstr(e, "Operation not permitted"))
			rv = -EPERM;
		else if (strstr(e, "No such file or directory"))
			rv = -ENOENT;
		else
			rv = IR_ERR_INTERNAL;
		first_line(err, err_len, "nftables",
		    strncmp(e, "Error: ", 7) == 0 ? e + 7 : e);
	} else if (out != NULL)
		snprintf(out, out_len, "%s", nft_ctx_get_output_buffer(ctx));
	nft_ctx_free(ctx);
	return rv;
}

/* Write the record by rename, so a reader sees the old or the new one. */
static int
record_write(const struct killswitch_conf *ks, char *err, size_t err_len)
{
	static const char tmp[] = KILLSWITCH_STATE_FILE ".tmp";
	char buf[RECORD_MAX];
	size_t len;
	int fd, rv;

	if ((rv = killswitch_record_format(ks, buf, sizeof(buf))) != 0)
		return rv;
	if (mkdir(KILLSWITCH_STATE_DIR, 0700) != 0 && errno != EEXIST)
		goto fail;
	if (chmod(KILLSWITCH_STATE_DIR, 0700) != 0)
		goto fail;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd < 0)
		goto fail;
	len = strlen(buf);
	if (write(fd, buf, len) != (ssize_t)len) {
		rv = errno != 0 ? -errno : -EIO;
		close(fd);
		unlink(tmp);
		snprintf(err, err_len, "%s: %s", tmp, strerror(-rv));
		return rv;
	}
	if (close(fd) != 0 || rename(tmp, KILLSWITCH_STATE_FILE) != 0)
		goto fail;
	return 0;
fail:
	rv = -errno;
	snprintf(err, err_len, "%s: %s", KILLSWITCH_STATE_FILE,
	    strerror(errno));
	return rv;
}

int
killswitch_record_read(struct killswitch_conf *ks)
{
	char buf[RECORD_MAX];
	ssize_t n;
	int fd;

	if ((fd = open(KILLSWITCH_STATE_FILE, O_RDONLY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0)
		return -EIO;
	if ((size_t)n == sizeof(buf))
		return IR_ERR_MALFORMED;
	return killswitch_record_parse(buf, (size_t)n, ks);
}

int
killswitch_apply(const struct killswitch_conf *ks, char *err, size_t err_len)
{
	char script[SCRIPT_MAX];
	int rv;

	if ((rv = killswitch_render(ks, script, sizeof(script))) != 0) {
		snprintf(err, err_len, "kill switch: cannot build the rules "
		    "(%s)", ir_strerror(rv));
		return rv;
	}
	if ((rv = nft_run(script, NULL, 0, err, err_len)) != 0)
		return rv;
	return record_write(ks, err, err_len);
}

static int	table_counts(struct killswitch_counts *, char *, size_t);

int
killswitch_update_gateways(const struct sockaddr_storage *gw, unsigned n_gw,
    char *err, size_t err_len)
{
	struct killswitch_counts c;
	struct killswitch_conf ks;
	int rv;

	if ((rv = killswitch_record_read(&ks)) == -ENOENT)
		return 0;
	if (rv != 0) {
		snprintf(err, err_len, "%s: %s", KILLSWITCH_STATE_FILE,
		    ir_strerror(rv));
		return rv;
	}
	/* Removed by hand (nft delete table): do not bring it back. */
	if ((rv = table_counts(&c, err, err_len)) == -ENOENT) {
		(void)unlink(KILLSWITCH_STATE_FILE);
		return 0;
	}
	if (rv != 0)
		return rv;
	if (n_gw == 0 || n_gw > KILLSWITCH_MAX_GW) {
		snprintf(err, err_len, "kill switch: %u gateway addresses "
		    "(1 to %d)", n_gw, KILLSWITCH_MAX_GW);
		return IR_ERR_CONFIG;
	}
	memcpy(ks.gw, gw, n_gw * sizeof(*gw));
	ks.n_gw = n_gw;
	return killswitch_apply(&ks, err, err_len);
}

/* The table's drop counters; -ENOENT when it is not there. */
static int
table_counts(struct killswitch_counts *c, char *err, size_t err_len)
{
	static const char list[] = "list table " KILLSWITCH_FAMILY " "
	    KILLSWITCH_TABLE "\n";
	char out[SCRIPT_MAX];
	int rv;

	memset(c, 0, sizeof(*c));
	if ((rv = nft_run(list, out, sizeof(out), err, err_len)) != 0)
		return rv;
	(void)killswitch_counter_parse(out, "dropped_out", &c->out);
	(void)killswitch_counter_parse(out, "dropped_in", &c->in);
	(void)killswitch_counter_parse(out, "dropped_fwd", &c->fwd);
	return 0;
}

int
killswitch_status(bool *on, bool *have_record, struct killswitch_conf *ks,
    struct killswitch_counts *counts, char *err, size_t err_len)
{
	int rv;

	*on = false;
	*have_record = killswitch_record_read(ks) == 0;
	if ((rv = table_counts(counts, err, err_len)) == -ENOENT)
		return 0;
	if (rv != 0)
		return rv;
	*on = true;
	return 0;
}

int
killswitch_remove(bool *was_on, struct killswitch_counts *counts,
    char *err, size_t err_len)
{
	struct killswitch_counts c;
	int rv;

	*was_on = false;
	if ((rv = table_counts(&c, err, err_len)) != 0 && rv != -ENOENT)
		return rv;
	*was_on = rv == 0;
	if (counts != NULL)
		*counts = c;
	if ((rv = nft_run(killswitch_delete_script, NULL, 0, err,
	    err_len)) != 0)
		return rv;
	if (unlink(KILLSWITCH_STATE_FILE) != 0 && errno != ENOENT) {
		rv = -errno;
		snprintf(err, err_len, "%s: %s", KILLSWITCH_STATE_FILE,
		    strerror(errno));
		return rv;
	}
	return 0;
}
