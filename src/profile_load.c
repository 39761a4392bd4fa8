/*
 * src/profile_load.c: profiles from files and inherited descriptors, and
 * the order of `ikeroam connect NAME [options]`: defaults, profile,
 * command line, --secrets-fd (see profile.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/profile.h"
#include "src/safefile.h"

const char *
profile_confdir(void)
{
	const char *d = getenv("IKEROAM_CONFDIR");

	return d != NULL && d[0] != '\0' ? d : PROFILE_DIR;
}

static bool
is_path(const char *s)
{
	size_t n = strlen(s);

	return strchr(s, '/') != NULL ||
	    (n > 5 && strcmp(s + n - 5, ".json") == 0);
}

int
profile_path(const char *name_or_path, char *out, size_t cap, char *err,
    size_t err_len)
{
	size_t i;
	int n;

	if (is_path(name_or_path))
		n = snprintf(out, cap, "%s", name_or_path);
	else {
		for (i = 0; name_or_path[i] != '\0'; i++)
			if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"
			    "OPQRSTUVWXYZ0123456789_.-", name_or_path[i]) ==
			    NULL)
				break;
		if (name_or_path[i] != '\0' || i == 0 || i > 64 ||
		    name_or_path[0] == '.') {
			snprintf(err, err_len, "'%.64s' is not a profile name "
			    "(A-Z a-z 0-9 _ . -) nor a path (with a '/')",
			    name_or_path);
			for (i = 0; err[i] != '\0'; i++)
				if ((unsigned char)err[i] < 0x20)
					err[i] = '?';
			return IR_ERR_CONFIG;
		}
		n = snprintf(out, cap, "%s/%s.json", profile_confdir(),
		    name_or_path);
	}
	if (n < 0 || (size_t)n >= cap) {
		snprintf(err, err_len, "the profile's path is too long");
		return IR_ERR_CONFIG;
	}
	return 0;
}

/* All of |fd| (at most PROFILE_MAX_TEXT bytes) into a new buffer. */
static int
read_fd(int fd, char **buf, size_t *len)
{
	size_t n = 0, cap = PROFILE_MAX_TEXT + 1;
	ssize_t r;
	char *p;

	*buf = NULL;
	*len = 0;
	if ((p = ir_malloc(cap + 1)) == NULL)
		return IR_ERR_NOMEM;
	while (n < cap) {
		r = read(fd, p + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			r = -errno;
			ir_wipe(p, n);
			ir_free(p);
			return (int)r;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	p[n] = '\0';
	*buf = p;
	*len = n;
	return 0;
}

static void
free_text(char *buf, size_t len)
{
	if (buf == NULL)
		return;
	ir_wipe(buf, len);
	ir_free(buf);
}

/* The file's directory, for relative paths in it. */
static void
dir_of(const char *path, char *dir, size_t cap)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(dir, cap, ".");
	else if (slash == path)
		snprintf(dir, cap, "/");
	else
		snprintf(dir, cap, "%.*s", (int)(slash - path), path);
}

/*
 * NULL when this file may hold inline secrets (root's, mode 0600 or
 * stricter), else the command that would make it so, in |fix|.
 */
static const char *
secrets_fix(const struct stat *st, const char *path, char *fix, size_t cap)
{
	bool chown_it = st->st_uid != 0, chmod_it = (st->st_mode & 077) != 0;

	if (!chown_it && !chmod_it)
		return NULL;
	snprintf(fix, cap, "%s%s%s%s%s", chown_it ? "chown root " : "",
	    chown_it ? path : "", chown_it && chmod_it ? " && " : "",
	    chmod_it ? "chmod 600 " : "", chmod_it ? path : "");
	return fix;
}

int
profile_load_file(struct profile *p, const char *path, struct cli_opts *o,
    char *err, size_t err_len)
{
	char dir[4096], fix[8300], *text;
	struct stat st;
	size_t len;
	int fd, rv;

	if ((rv = safefile_open(path, 0, &fd, err, err_len)) != 0) {
		if (rv == -ENOENT)
			snprintf(err, err_len, "%s: no such profile; "
			    "'ikeroam list' shows them", path);
		return rv;
	}
	if (fstat(fd, &st) != 0 || (rv = read_fd(fd, &text, &len)) != 0) {
		rv = rv != 0 ? rv : -errno;
		close(fd);
		snprintf(err, err_len, "%s: %s", path, ir_strerror(rv));
		return rv;
	}
	close(fd);
	if (len > PROFILE_MAX_TEXT) {
		free_text(text, len);
		snprintf(err, err_len, "%s: larger than %d bytes", path,
		    PROFILE_MAX_TEXT);
		return IR_ERR_CONFIG;
	}
	dir_of(path, dir, sizeof(dir));
	rv = profile_apply_text(p, path, dir, text, len,
	    secrets_fix(&st, path, fix, sizeof(fix)), o, err, err_len);
	free_text(text, len);
	if (rv == 0)
		profile_set_origin(p, path);
	return rv;
}

/* |what| |fd|: read to the end, then closed. */
static int
slurp_fd(int fd, const char *what, char **text, size_t *len, char *err,
    size_t err_len)
{
	int rv = read_fd(fd, text, len);

	close(fd);
	if (rv != 0) {
		snprintf(err, err_len, "%s %d: %s", what, fd, ir_strerror(rv));
		return rv;
	}
	if (*len > PROFILE_MAX_TEXT) {
		free_text(*text, *len);
		*text = NULL;
		snprintf(err, err_len, "%s %d: more than %d bytes", what, fd,
		    PROFILE_MAX_TEXT);
		return IR_ERR_CONFIG;
	}
	return 0;
}

int
profile_load_fd(struct profile *p, int fd, struct cli_opts *o, char *err,
    size_t err_len)
{
	char origin[32], fix[64], *text;
	const char *denied = NULL;
	struct stat st;
	size_t len;
	int rv;

	snprintf(origin, sizeof(origin), "--profile-fd %d", fd);
	if (fstat(fd, &st) != 0) {
		snprintf(err, err_len, "%s: %s", origin, strerror(errno));
		return -errno;
	}
	/* A pipe comes from whoever started us (NetworkManager); a file
	 * is held to the rules of a profile on disk. */
	if (S_ISREG(st.st_mode)) {
		if ((rv = safefile_check_fd(fd, origin, 0, err, err_len)) != 0)
			return rv;
		denied = secrets_fix(&st, origin, fix, sizeof(fix));
	}
	if ((rv = slurp_fd(fd, "--profile-fd", &text, &len, err,
	    err_len)) != 0)
		return rv;
	rv = profile_apply_text(p, origin, NULL, text, len, denied, o, err,
	    err_len);
	free_text(text, len);
	return rv;
}

int
profile_read_secrets_fd(struct profile *p, int fd, struct cli_opts *o,
    char *err, size_t err_len)
{
	char origin[32], *text;
	size_t len;
	int rv;

	snprintf(origin, sizeof(origin), "--secrets-fd %d", fd);
	if ((rv = slurp_fd(fd, "--secrets-fd", &text, &len, err,
	    err_len)) != 0)
		return rv;
	rv = profile_apply_secrets(p, origin, text, len, o, err, err_len);
	free_text(text, len);
	return rv;
}

/* "work" for /etc/ikeroam/work.json: the name a NAME would have had. */
static const char *
name_of(struct profile *p, const char *target)
{
	char base[80];
	const char *b = strrchr(target, '/');
	size_t n;

	b = b != NULL ? b + 1 : target;
	n = strlen(b);
	if (n > 5 && strcmp(b + n - 5, ".json") == 0)
		n -= 5;
	if (n == 0 || n >= sizeof(base))
		return NULL;
	memcpy(base, b, n);
	base[n] = '\0';
	return profile_keep(p, base);
}

int
profile_load_named(const char *name_or_path, struct cli_opts *o,
    struct profile **pp, char *err, size_t err_len)
{
	char path[4096];
	int rv;

	cli_defaults(o);
	o->command = CLI_CMD_CONNECT;
	if ((rv = profile_new(pp)) != 0) {
		snprintf(err, err_len, "%s", ir_strerror(rv));
		return rv;
	}
	if ((rv = profile_path(name_or_path, path, sizeof(path), err,
	    err_len)) != 0 ||
	    (rv = profile_load_file(*pp, path, o, err, err_len)) != 0)
		return rv;
	if (o->profile_name == NULL)
		o->profile_name = name_of(*pp, name_or_path);
	return 0;
}

int
profile_connect_opts(int argc, char **argv, struct cli_opts *o,
    struct profile **pp, char *err, size_t err_len)
{
	struct cli_opts first;
	const char *target = NULL;
	char path[4096];
	int start = 2, rv;

	*pp = NULL;
	err[0] = '\0';
	cli_defaults(o);
	o->command = CLI_CMD_CONNECT;
	if (argc > 2 && argv[2][0] != '-') {
		target = argv[2];
		start = 3;
	}
	/* The command line once on its own: its errors come first, and it
	 * says whether a profile comes through --profile-fd. */
	cli_defaults(&first);
	first.command = CLI_CMD_CONNECT;
	if ((rv = cli_parse_args(argc - start + 1, argv + start - 1, &first,
	    err, err_len)) != 0)
		return rv;
	if (first.command != CLI_CMD_CONNECT) {	/* -h, -V */
		*o = first;
		return 0;
	}
	if (target != NULL && first.profile_fd >= 0) {
		snprintf(err, err_len, "connect: give a profile NAME or "
		    "--profile-fd, not both");
		return IR_ERR_CONFIG;
	}
	if ((rv = profile_new(pp)) != 0)
		return rv;
	profile_note_argv(*pp, argc - start + 1, argv + start - 1);
	if (target != NULL && ((rv = profile_path(target, path, sizeof(path),
	    err, err_len)) != 0 ||
	    (rv = profile_load_file(*pp, path, o, err, err_len)) != 0))
		return rv;
	if (first.profile_fd >= 0 && (rv = profile_load_fd(*pp,
	    first.profile_fd, o, err, err_len)) != 0)
		return rv;
	if ((rv = cli_parse_args(argc - start + 1, argv + start - 1, o, err,
	    err_len)) != 0)
		return rv;
	if (o->secrets_fd >= 0 && (rv = profile_read_secrets_fd(*pp,
	    o->secrets_fd, o, err, err_len)) != 0)
		return rv;
	if (o->profile_name == NULL && target != NULL)
		o->profile_name = name_of(*pp, target);
	return cli_finish(o, err, err_len);
}
