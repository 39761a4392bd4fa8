/* tests/src/check_profile.c: profiles, their error lines, the override
 * order, and the files and descriptors they come from. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "tests/check_util.h"
#include "src/profile.h"

#define P	"/etc/ikeroam/t.json"
#define NOBODY	65534

static char dir[] = "/tmp/ikeroam-profile-XXXXXX";

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(setenv("IKEROAM_CONFDIR", dir, 1), 0);
}

static void
teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	(void)system(cmd);
}

/* Apply |text| as the profile P over fresh defaults. */
static int
apply(const char *text, const char *denied, struct cli_opts *o,
    struct profile **p, char *err)
{
	cli_defaults(o);
	o->command = CLI_CMD_CONNECT;
	ck_assert_int_eq(profile_new(p), 0);
	return profile_apply_text(*p, P, "/etc/ikeroam", text, strlen(text),
	    denied, o, err, 512);
}

START_TEST(every_kind_of_value)
{
	const char *text = "{ \"name\": \"work\", \"gateway\": \"vpn.test\","
	    " \"id\": \"alice@vpn.test\", \"psk-file\": \"work.psk\","
	    " \"tcp-port\": 8443, \"tls-port\": \"9443\", \"no-mobike\": true,"
	    " \"kill-switch\": false, \"ca\": [\"a.pem\", \"/etc/ssl/b.pem\"],"
	    " \"script\": \"none\", \"transport\": \"tcp\","
	    " \"control-group\": \"netdev\", \"verbose\": true }";
	const struct profile_setting *s;
	struct profile *p;
	struct cli_opts o;
	char err[512];

	ck_assert_int_eq(apply(text, NULL, &o, &p, err), 0);
	ck_assert_str_eq(o.profile_name, "work");
	ck_assert_str_eq(o.gateway, "vpn.test");
	ck_assert_str_eq(o.psk_file, "/etc/ikeroam/work.psk");
	ck_assert_uint_eq(o.tcp_port, 8443);
	ck_assert_uint_eq(o.tls_port, 9443);
	ck_assert(o.no_mobike);
	ck_assert(!o.kill_switch);
	ck_assert_uint_eq(o.n_ca, 2);
	ck_assert_str_eq(o.ca_files[0], "/etc/ikeroam/a.pem");
	ck_assert_str_eq(o.ca_files[1], "/etc/ssl/b.pem");
	ck_assert(o.script_none);
	ck_assert_int_eq(o.transport, CLI_XPORT_TCP);
	ck_assert_str_eq(o.control_group, "netdev");
	ck_assert_int_eq(o.verbose, 1);
	ck_assert_uint_eq(o.port, 500);			/* a default */
	ck_assert_int_eq(cli_finish(&o, err, 512), 0);
	/* The settings as applied, for show and check. */
	ck_assert_uint_eq(profile_n_settings(p), 13);	/* false: not applied */
	s = profile_setting(p, 3);
	ck_assert_str_eq(s->key, "psk-file");
	ck_assert_str_eq(s->value, "/etc/ikeroam/work.psk");
	ck_assert_uint_eq(s->kind, CLI_OPT_PATH | CLI_OPT_SECRET);
	ck_assert_ptr_null(profile_setting(p, 13));
	profile_free(p);
}
END_TEST

/* Defaults, then the profile, then the command line. */
START_TEST(command_line_overrides)
{
	const char *text = "{ \"gateway\": \"vpn.test\", \"id\": \"a@b\","
	    " \"psk-file\": \"/p\", \"transport\": \"tcp\", \"ca\": "
	    "[\"/x.pem\", \"/y.pem\"], \"mtu\": 1300 }";
	char *v[] = { "connect", "--gateway", "other.test", "--ca", "/z.pem",
	    "-v", NULL };
	struct profile *p;
	struct cli_opts o;
	char err[512];

	ck_assert_int_eq(apply(text, NULL, &o, &p, err), 0);
	ck_assert_int_eq(cli_parse_args(6, v, &o, err, 512), 0);
	ck_assert_str_eq(o.gateway, "other.test");
	ck_assert_int_eq(o.transport, CLI_XPORT_TCP);	/* kept */
	ck_assert_uint_eq(o.mtu, 1300);
	ck_assert_uint_eq(o.n_ca, 1);			/* replaced */
	ck_assert_str_eq(o.ca_files[0], "/z.pem");
	ck_assert_int_eq(o.verbose, 1);
	profile_free(p);
}
END_TEST

static const struct bad_profile {
	const char	*text;
	const char	*line;		/* the whole error line */
} bad_profiles[] = {
	{ "{\"gatway\": \"x\"}",
	  P ": key \"gatway\": unknown key; did you mean \"gateway\"?" },
	{ "{\"psk_file\": \"x\"}",
	  P ": key \"psk_file\": unknown key; did you mean \"psk-file\"?" },
	{ "{\"frobnicate\": 1}",
	  P ": key \"frobnicate\": unknown key; the keys are connect's long "
	  "options (man 5 ikeroam.json)" },
	{ "{\"no-mobike\": \"yes\"}",
	  P ": key \"no-mobike\": expected true or false, not a string" },
	{ "{\"gateway\": 3}",
	  P ": key \"gateway\": expected a string, not a number" },
	{ "{\"mtu\": 1400.5}",
	  P ": key \"mtu\": expected a number, not a fraction" },
	{ "{\"gateway\": null}",
	  P ": key \"gateway\": expected a string, not null" },
	{ "{\"gateway\": [\"a\", \"b\"]}",
	  P ": key \"gateway\": takes one value, not a list" },
	{ "{\"ca\": [\"a\", 1]}",
	  P ": key \"ca\": expected a string, not a number" },
	{ "{\"tcp-port\": 0}",
	  P ": key \"tcp-port\": '0' is not a number from 1 to 65535" },
	{ "{\"transport\": \"carrier-pigeon\"}",
	  P ": key \"transport\": 'carrier-pigeon' is not one of auto, udp, "
	  "tcp, tls" },
	{ "{\"ca\": [\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]}",
	  P ": key \"ca\": at most 8 files; put several certificates in one "
	  "PEM file" },
	{ "{\"help\": true}",
	  P ": key \"help\": only on the command line, not in a profile" },
	{ "{\"profile-fd\": 3}",
	  P ": key \"profile-fd\": only on the command line, not in a "
	  "profile" },
	{ "{\"gateway\": \"\"}", P ": key \"gateway\": the value is empty" },
	{ "{\"name\": \"a/b\"}",
	  P ": key \"name\": use 1 to 64 of A-Z a-z 0-9 _ . - (not first "
	  "'.')" },
	{ "{\"control-group\": 7}",
	  P ": key \"control-group\": expected a string, not a number" },
	{ "{\"psk\": \"s\"}",
	  P ": key \"psk\": an inline secret needs a profile that only root "
	  "may read and write: chmod 600 " P " (or move it to a file named by "
	  "\"psk-file\")" },
	{ "{\"pin\": \"1234\"}",
	  P ": key \"pin\": an inline secret needs a profile that only root "
	  "may read and write: chmod 600 " P },
	{ "{\"gateway\": \"x\"", P ": the JSON text ends too early (a missing "
	  "'}', ']' or '\"')" },
	{ "[1, 2]", P ": must be one JSON object { \"key\": value, ... }" },
	{ "{} {}", P ":1:4: text after the end of the JSON object" },
	{ " \n\t", P ": empty; a profile is one JSON object: { \"gateway\": "
	  "\"...\", ... }" },
	{ "{\"gateway\": \"g\", \"a\\u0001b\": 1}",
	  P ": key \"a?b\": unknown key; the keys are connect's long options "
	  "(man 5 ikeroam.json)" },
};

START_TEST(bad_profile_lines)
{
	const struct bad_profile *b = &bad_profiles[_i];
	struct profile *p;
	struct cli_opts o;
	char err[512];

	ck_assert_int_eq(apply(b->text, "chmod 600 " P, &o, &p, err),
	    IR_ERR_CONFIG);
	ck_assert_str_eq(err, b->line);
	profile_free(p);
}
END_TEST

/* json-c names the place of a syntax error: line and column. */
START_TEST(syntax_error_position)
{
	struct profile *p;
	struct cli_opts o;
	char err[512];

	ck_assert_int_eq(apply("{\n  \"gateway\": \"x\"\n  \"id\": \"y\"\n}",
	    NULL, &o, &p, err), IR_ERR_CONFIG);
	ck_assert_msg(strncmp(err, P ":3:3: not valid JSON: ", 26) == 0,
	    "%s", err);
	profile_free(p);
	ck_assert_int_eq(apply("{\"a\": 1,,}", NULL, &o, &p, err),
	    IR_ERR_CONFIG);
	ck_assert_msg(strncmp(err, P ":1:9: not valid JSON: ", 26) == 0,
	    "%s", err);
	profile_free(p);
	/* A NUL byte ends no string here: it is refused where it is. */
	cli_defaults(&o);
	ck_assert_int_eq(profile_new(&p), 0);
	ck_assert_int_eq(profile_apply_text(p, P, NULL, "{\n \0}", 5, NULL,
	    &o, err, sizeof(err)), IR_ERR_CONFIG);
	ck_assert_str_eq(err, P ":2:2: a NUL byte: not a JSON text");
	profile_free(p);
}
END_TEST

START_TEST(inline_secrets)
{
	const struct profile_secrets *s;
	struct profile *p;
	struct cli_opts o;
	char err[512];

	ck_assert_int_eq(apply("{\"gateway\": \"g\", \"id\": \"a@b\", \"psk\":"
	    " \"s3cret\", \"key-passphrase\": \"kp\", \"pin\": \"1234\"}",
	    NULL, &o, &p, err), 0);
	s = profile_secrets(p);
	ck_assert(s->has_psk && o.psk_inline);
	ck_assert_uint_eq(s->psk_len, 6);
	ck_assert_mem_eq(s->psk, "s3cret", 6);
	ck_assert_str_eq(s->key_passphrase, "kp");
	ck_assert(o.passphrase_inline);
	ck_assert_str_eq(s->pin, "1234");
	ck_assert(!s->has_password);
	/* A PSK alone is an authentication method. */
	ck_assert_int_eq(cli_finish(&o, err, sizeof(err)), 0);
	ck_assert_ptr_null(profile_setting(p, 2)->value);	/* hidden */
	profile_free(p);
}
END_TEST

START_TEST(secrets_object)
{
	const struct profile_secrets *s;
	struct profile *p;
	struct cli_opts o;
	char err[512];
	const char *t = "{\"password\": \"pw\", \"psk\": \"k\"}";

	cli_defaults(&o);
	ck_assert_int_eq(profile_new(&p), 0);
	ck_assert_int_eq(profile_apply_secrets(p, "--secrets-fd 5", t,
	    strlen(t), &o, err, sizeof(err)), 0);
	s = profile_secrets(p);
	ck_assert_str_eq(s->password, "pw");
	ck_assert(o.password_inline && o.psk_inline);
	t = "{\"passwd\": \"pw\"}";
	ck_assert_int_eq(profile_apply_secrets(p, "--secrets-fd 5", t,
	    strlen(t), &o, err, sizeof(err)), IR_ERR_CONFIG);
	ck_assert_str_eq(err, "--secrets-fd 5: key \"passwd\": not one of psk, "
	    "password, key-passphrase, pin");
	t = "{\"psk\": \"\"}";
	ck_assert_int_eq(profile_apply_secrets(p, "--secrets-fd 5", t,
	    strlen(t), &o, err, sizeof(err)), IR_ERR_CONFIG);
	ck_assert_str_eq(err, "--secrets-fd 5: key \"psk\": the secret is "
	    "empty");
	profile_free(p);
}
END_TEST

START_TEST(suggestions)
{
	ck_assert_str_eq(profile_suggest("gatway"), "gateway");
	ck_assert_str_eq(profile_suggest("remoteid"), "remote-id");
	ck_assert_str_eq(profile_suggest("nomobike"), "no-mobike");
	ck_assert_str_eq(profile_suggest("ppsk"), "psk");
	ck_assert_ptr_null(profile_suggest("xyz"));
	ck_assert_ptr_null(profile_suggest("helpp"));	/* argv only */
	ck_assert_ptr_null(profile_suggest(""));
}
END_TEST

START_TEST(names_and_paths)
{
	char out[300], want[300], err[256];

	ck_assert_int_eq(profile_path("work", out, sizeof(out), err,
	    sizeof(err)), 0);
	snprintf(want, sizeof(want), "%s/work.json", dir);
	ck_assert_str_eq(out, want);
	ck_assert_int_eq(profile_path("./work", out, sizeof(out), err,
	    sizeof(err)), 0);
	ck_assert_str_eq(out, "./work");
	ck_assert_int_eq(profile_path("other.json", out, sizeof(out), err,
	    sizeof(err)), 0);
	ck_assert_str_eq(out, "other.json");
	ck_assert_int_eq(profile_path("a b", out, sizeof(out), err,
	    sizeof(err)), IR_ERR_CONFIG);
	ck_assert_str_eq(err, "'a b' is not a profile name (A-Z a-z 0-9 _ . -) "
	    "nor a path (with a '/')");
	ck_assert_int_eq(profile_path(".hidden", out, sizeof(out), err,
	    sizeof(err)), IR_ERR_CONFIG);
	unsetenv("IKEROAM_CONFDIR");
	ck_assert_str_eq(profile_confdir(), "/etc/ikeroam");
}
END_TEST

START_TEST(file_relative_paths_and_modes)
{
	const char *path = t_mkfile(dir, "w.json", "{\"psk-file\": "
	    "\"w.psk\", \"ca\": \"sub/ca.pem\", \"gateway\": \"g\"}", 0644);
	struct profile *p;
	struct cli_opts o;
	char err[1024], want[1024];

	cli_defaults(&o);
	ck_assert_int_eq(profile_new(&p), 0);
	ck_assert_int_eq(profile_load_file(p, path, &o, err, sizeof(err)), 0);
	snprintf(want, sizeof(want), "%s/w.psk", dir);
	ck_assert_str_eq(o.psk_file, want);
	snprintf(want, sizeof(want), "%s/sub/ca.pem", dir);
	ck_assert_str_eq(o.ca_files[0], want);
	ck_assert_str_eq(profile_origin(p), path);
	profile_free(p);

	/* A profile others may change is not believed at all. */
	path = t_mkfile(dir, "ow.json", "{\"gateway\": \"g\"}", 0666);
	ck_assert_int_eq(profile_new(&p), 0);
	ck_assert_int_eq(profile_load_file(p, path, &o, err, sizeof(err)),
	    IR_ERR_CONFIG);
	snprintf(want, sizeof(want), "%s is writable by others: chmod o-w %s",
	    path, path);
	ck_assert_str_eq(err, want);
	profile_free(p);

	/* Inline secrets: only with mode 0600 (and root's, in a root test). */
	path = t_mkfile(dir, "s.json", "{\"psk\": \"x\"}", 0640);
	ck_assert_int_eq(profile_new(&p), 0);
	ck_assert_int_eq(profile_load_file(p, path, &o, err, sizeof(err)),
	    IR_ERR_CONFIG);
	snprintf(want, sizeof(want), "%s: key \"psk\": an inline secret needs "
	    "a profile that only root may read and write: %s%s%schmod 600 %s "
	    "(or move it to a file named by \"psk-file\")", path,
	    getuid() == 0 ? "" : "chown root ", getuid() == 0 ? "" : path,
	    getuid() == 0 ? "" : " && ", path);
	ck_assert_str_eq(err, want);
	profile_free(p);
	ck_assert_int_eq(chmod(path, 0600), 0);
	ck_assert_int_eq(profile_new(&p), 0);
	ck_assert_int_eq(profile_load_file(p, path, &o, err, sizeof(err)),
	    getuid() == 0 ? 0 : IR_ERR_CONFIG);
	profile_free(p);
	if (getuid() != 0)
		return;
	/* Root's rules: another owner can neither hold secrets nor a
	 * profile at all. */
	ck_assert_int_eq(chown(path, NOBODY, NOBODY), 0);
	ck_assert_int_eq(profile_new(&p), 0);
	ck_assert_int_eq(profile_load_file(p, path, &o, err, sizeof(err)),
	    IR_ERR_CONFIG);
	snprintf(want, sizeof(want), "%s is owned by uid %d, not by root or "
	    "the user running ikeroam: chown root %s", path, NOBODY, path);
	ck_assert_str_eq(err, want);
	profile_free(p);
}
END_TEST

START_TEST(missing_profile)
{
	char *v[] = { "ikeroam", "connect", "nosuch", NULL };
	struct profile *p;
	struct cli_opts o;
	char err[1024], want[1024];

	ck_assert_int_eq(profile_connect_opts(3, v, &o, &p, err, sizeof(err)),
	    -ENOENT);
	snprintf(want, sizeof(want), "%s/nosuch.json: no such profile; "
	    "'ikeroam list' shows them", dir);
	ck_assert_str_eq(err, want);
	profile_free(p);
}
END_TEST

START_TEST(connect_name_then_argv)
{
	char *v[] = { "ikeroam", "connect", "work", "--transport", "udp",
	    "--ca", "/z.pem", NULL };
	struct profile *p;
	struct cli_opts o;
	char err[1024];

	t_mkfile(dir, "work.json", "{\"gateway\": \"g\", \"id\": \"a@b\", "
	    "\"eap-user\": \"alice\", \"ca\": [\"ca1.pem\", \"ca2.pem\"], "
	    "\"transport\": \"tcp\"}", 0644);
	ck_assert_int_eq(profile_connect_opts(7, v, &o, &p, err, sizeof(err)),
	    0);
	ck_assert_int_eq(o.command, CLI_CMD_CONNECT);
	ck_assert_str_eq(o.profile_name, "work");
	ck_assert_int_eq(o.transport, CLI_XPORT_UDP);
	ck_assert_uint_eq(o.n_ca, 1);
	ck_assert_str_eq(o.ca_files[0], "/z.pem");
	ck_assert_str_eq(o.eap_user, "alice");
	profile_free(p);
}
END_TEST

START_TEST(connect_rules_still_apply)
{
	char *v[] = { "ikeroam", "connect", "half", NULL };
	struct profile *p;
	struct cli_opts o;
	char err[1024];

	t_mkfile(dir, "half.json", "{\"gateway\": \"g\"}", 0644);
	ck_assert_int_eq(profile_connect_opts(3, v, &o, &p, err, sizeof(err)),
	    IR_ERR_CONFIG);
	ck_assert_str_eq(err, "connect: no identity; add --id ID (e.g. --id "
	    "alice@example.com)");
	profile_free(p);
}
END_TEST

static int
pipe_with(const char *text)
{
	int fds[2];

	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], text, strlen(text)),
	    (ssize_t)strlen(text));
	close(fds[1]);
	return fds[0];
}

/* NetworkManager's way: the profile and the secrets through pipes. */
START_TEST(connect_fds)
{
	char pf[16], sf[16];
	char *v[] = { "ikeroam", "connect", "--profile-fd", pf, "--secrets-fd",
	    sf, NULL };
	char *both[] = { "ikeroam", "connect", "work", "--profile-fd", pf,
	    NULL };
	struct profile *p;
	struct cli_opts o;
	char err[1024];
	int pfd, sfd;

	pfd = pipe_with("{\"gateway\": \"g\", \"id\": \"a@b\", \"name\": "
	    "\"nm-1\", \"pin\": \"9\"}");
	sfd = pipe_with("{\"psk\": \"from-nm\"}");
	snprintf(pf, sizeof(pf), "%d", pfd);
	snprintf(sf, sizeof(sf), "%d", sfd);
	ck_assert_int_eq(profile_connect_opts(6, v, &o, &p, err, sizeof(err)),
	    0);
	ck_assert_str_eq(o.profile_name, "nm-1");
	ck_assert(o.psk_inline);
	ck_assert_mem_eq(profile_secrets(p)->psk, "from-nm", 7);
	ck_assert_str_eq(profile_secrets(p)->pin, "9");
	/* Read once, then closed. */
	ck_assert_int_eq(fcntl(pfd, F_GETFD), -1);
	ck_assert_int_eq(fcntl(sfd, F_GETFD), -1);
	profile_free(p);
	ck_assert_int_eq(profile_connect_opts(5, both, &o, &p, err,
	    sizeof(err)), IR_ERR_CONFIG);
	ck_assert_str_eq(err, "connect: give a profile NAME or --profile-fd, "
	    "not both");
	profile_free(p);
}
END_TEST

/* connect's errors name the profile and the key when the key was the
 * profile's, and stay as they are when the command line gave it. */
START_TEST(blame)
{
	char *v[] = { "ikeroam", "connect", "b", "--cert=/cli.crt", "-g", "h",
	    NULL };
	const char *path;
	struct profile *p;
	struct cli_opts o;
	char err[1024], out[1200], want[1200];

	path = t_mkfile(dir, "b.json", "{\"gateway\": \"g\", \"id\": \"a@b\", "
	    "\"ca\": \"/ca.pem\", \"key\": \"k.key\", \"cert\": \"c.crt\"}",
	    0644);
	ck_assert_int_eq(profile_connect_opts(6, v, &o, &p, err, sizeof(err)),
	    0);
	profile_blame(p, "--ca /ca.pem: no certificate in the file", out,
	    sizeof(out));
	snprintf(want, sizeof(want), "%s: key \"ca\": /ca.pem: no certificate "
	    "in the file", path);
	ck_assert_str_eq(out, want);
	profile_blame(p, "--key: /x is readable by others: chmod 600 /x", out,
	    sizeof(out));
	snprintf(want, sizeof(want), "%s: key \"key\": /x is readable by "
	    "others: chmod 600 /x", path);
	ck_assert_str_eq(out, want);
	snprintf(err, sizeof(err), "%s/k.key is readable by its group: chmod "
	    "600 %s/k.key", dir, dir);
	profile_blame(p, err, out, sizeof(out));
	snprintf(want, sizeof(want), "%s: key \"key\": %s", path, err);
	ck_assert_str_eq(out, want);
	/* Given on the command line: not the profile's fault. */
	profile_blame(p, "--cert /cli.crt: malformed", out, sizeof(out));
	ck_assert_str_eq(out, "--cert /cli.crt: malformed");
	profile_blame(p, "cannot resolve gateway 'h'", out, sizeof(out));
	ck_assert_str_eq(out, "cannot resolve gateway 'h'");
	/* "--cert" is not "--cert-chain". */
	profile_blame(p, "--cert-chain /z: malformed", out, sizeof(out));
	ck_assert_str_eq(out, "--cert-chain /z: malformed");
	profile_free(p);
}
END_TEST

/* The keys man/ikeroam.json.5 documents: ".TP" then ".B key" under
 * ".SH KEYS", with roff's "\\-" read as "-"; the next line, "(type) ...",
 * in types[]. */
static size_t
man_keys(char keys[][64], char types[][64], size_t cap)
{
	const char *top = getenv("top_srcdir");
	char path[512], line[256], *k, *w;
	bool in_keys = false, after_tp = false, after_key = false;
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/man/ikeroam.json.5",
	    top != NULL ? top : ".");
	ck_assert_msg((f = fopen(path, "r")) != NULL, "%s: cannot open",
	    path);
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, ".SH ", 4) == 0)
			in_keys = strcmp(line, ".SH KEYS") == 0;
		if (after_key)
			snprintf(types[n - 1], 64, "%.63s", line);
		after_key = false;
		if (in_keys && after_tp && strncmp(line, ".B ", 3) == 0 &&
		    n < cap) {
			for (k = line + 3, w = keys[n]; *k != '\0' &&
			    w < keys[n] + 63; k++)
				if (*k != '\\')
					*w++ = *k;
			*w = '\0';
			n++;
			after_key = true;
		}
		after_tp = strcmp(line, ".TP") == 0;
	}
	fclose(f);
	return n;
}

/* The man page's "(type)" agrees with cli_option_kind(). */
static void
check_type(const char *key, const char *type, unsigned kind)
{
	bool file = strncmp(type, "(file", 5) == 0 ||
	    strncmp(type, "(secret file", 12) == 0;

	ck_assert_msg(file == ((kind & CLI_OPT_PATH) != 0), "\"%s\": the man "
	    "page says %s; mark it CLI_OPT_PATH in cli_option_kind() (or not)",
	    key, type);
	ck_assert_msg((strncmp(type, "(secret file", 12) == 0) ==
	    ((kind & CLI_OPT_SECRET) != 0), "\"%s\": the man page says %s, "
	    "cli_option_kind() disagrees on CLI_OPT_SECRET", key, type);
	ck_assert_msg((strncmp(type, "(number", 7) == 0) ==
	    ((kind & CLI_OPT_NUMBER) != 0), "\"%s\": the man page says %s, "
	    "cli_option_kind() disagrees on CLI_OPT_NUMBER", key, type);
	ck_assert_msg((strncmp(type, "(flag", 5) == 0) ==
	    ((kind & CLI_OPT_FLAG) != 0), "\"%s\": the man page says %s, "
	    "but the option %s a value", key, type,
	    (kind & CLI_OPT_FLAG) != 0 ? "takes no" : "takes");
}

static bool
profile_key(const char *key)
{
	static const char *const only[] = { "name", "control-group", "psk",
	    "password", "key-passphrase", "pin" };
	const struct option *opt;
	size_t i;

	for (opt = cli_options(); opt->name != NULL; opt++)
		if (strcmp(opt->name, key) == 0)
			return (cli_option_kind(opt) & CLI_OPT_ARGV_ONLY) == 0;
	for (i = 0; i < sizeof(only) / sizeof(only[0]); i++)
		if (strcmp(only[i], key) == 0)
			return true;
	return false;
}

/* An option added to src/cli.c is a profile key: its man page must say
 * so, and must not describe keys that are gone. */
START_TEST(man_page_lists_every_key)
{
	static char keys[128][64], types[128][64];
	const struct option *opt;
	size_t n = man_keys(keys, types, 128), i;
	bool found;

	ck_assert_uint_gt(n, 40);
	for (opt = cli_options(); opt->name != NULL; opt++) {
		if ((cli_option_kind(opt) & CLI_OPT_ARGV_ONLY) != 0)
			continue;
		for (found = false, i = 0; i < n && !found; i++)
			found = strcmp(keys[i], opt->name) == 0;
		ck_assert_msg(found, "man/ikeroam.json.5 does not document the "
		    "key \"%s\": add it under KEYS (.TP, then .B %s, then "
		    "(type) and a line)", opt->name, opt->name);
		check_type(opt->name, types[i - 1], cli_option_kind(opt));
	}
	for (i = 0; i < n; i++)
		ck_assert_msg(profile_key(keys[i]), "man/ikeroam.json.5 "
		    "documents \"%s\", which is not a profile key", keys[i]);
	for (found = false, i = 0; i < n; i++)
		found = found || strcmp(keys[i], "control-group") == 0;
	ck_assert(found);
}
END_TEST

Suite *
profile_suite(void)
{
	Suite *s = suite_create("profile");
	TCase *tc = tcase_create("profile");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, every_kind_of_value);
	tcase_add_test(tc, command_line_overrides);
	tcase_add_loop_test(tc, bad_profile_lines, 0,
	    sizeof(bad_profiles) / sizeof(bad_profiles[0]));
	tcase_add_test(tc, syntax_error_position);
	tcase_add_test(tc, inline_secrets);
	tcase_add_test(tc, secrets_object);
	tcase_add_test(tc, suggestions);
	tcase_add_test(tc, names_and_paths);
	tcase_add_test(tc, file_relative_paths_and_modes);
	tcase_add_test(tc, missing_profile);
	tcase_add_test(tc, connect_name_then_argv);
	tcase_add_test(tc, connect_rules_still_apply);
	tcase_add_test(tc, connect_fds);
	tcase_add_test(tc, man_page_lists_every_key);
	tcase_add_test(tc, blame);
	suite_add_tcase(s, tc);
	return s;
}
