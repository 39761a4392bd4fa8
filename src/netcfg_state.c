/*
 * src/netcfg_state.c: the record of what the network setup applied, so
 * that an ikeroam killed by SIGKILL or a crash does not leave routes,
 * a gateway pin, or vpnc-script's DNS and default route behind.
 *
 * One JSON file per TUN, NETCFG_STATE_DIR/<tundev>.state, mode 0600,
 * replaced atomically (a temporary file, rename(2); no fsync, see
 * safefile_write_nosync()):
 *
 *   { "pid": 4242, "start": 123456,		owner and its start time
 *     "netns": "4026531992:4",			st_ino:st_dev of our netns
 *     "tundev": "tun0", "ifindex": 7,
 *     "script": "/usr/share/vpnc-scripts/vpnc-script" | null,
 *     "script_env": [ "reason=disconnect", ... ],
 *     "undo": [ { "what": "address" | "route" | "gateway pin",
 *                 "dst": "192.0.2.7/32", "via": "198.51.100.1",
 *                 "ifindex": 7, "metric": 0 }, ... ] }	oldest first
 *
 * The owner is dead when kill(pid, 0) fails with ESRCH or the process
 * with that PID started at another time (/proc/<pid>/stat field 22), so
 * a reused PID does not keep a leftover alive.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/log.h"
#include "src/netcfg.h"
#include "src/safefile.h"

#define STATE_SUFFIX	".state"
#define STATE_SCRIPT_MS	15000

/* Field 22 of /proc/<pid>/stat: start time in clock ticks since boot. */
static unsigned long long
proc_start(long pid)
{
	char path[64], buf[1024], *p;
	unsigned long long v = 0;
	FILE *f;
	size_t n;
	int field;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The command name may hold spaces and ')': skip to the last ')'. */
	if ((p = strrchr(buf, ')')) == NULL)
		return 0;
	for (field = 2; field < 22 && p != NULL; field++)
		p = strchr(p + 1, ' ');
	if (p != NULL)
		v = strtoull(p + 1, NULL, 10);
	return v;
}

static void
netns_id(char *out, size_t cap)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st) != 0)
		snprintf(out, cap, "?");
	else
		snprintf(out, cap, "%llu:%llu", (unsigned long long)st.st_ino,
		    (unsigned long long)st.st_dev);
}

static void
state_path(char *out, size_t cap, const char *tundev)
{
	snprintf(out, cap, "%s/%s%s", NETCFG_STATE_DIR, tundev, STATE_SUFFIX);
}

static const char *
prefix_str(const struct tun_prefix *p, char *buf, size_t cap)
{
	char a[INET6_ADDRSTRLEN];

	if (inet_ntop(p->ip.family, p->ip.addr, a, sizeof(a)) == NULL)
		snprintf(a, sizeof(a), "?");
	snprintf(buf, cap, "%s/%u", a, p->len);
	return buf;
}

static bool
prefix_parse(const char *s, struct tun_prefix *p)
{
	char a[INET6_ADDRSTRLEN + 8], *slash;
	unsigned long len;

	memset(p, 0, sizeof(*p));
	if (s == NULL || strlen(s) >= sizeof(a))
		return false;
	snprintf(a, sizeof(a), "%s", s);
	if ((slash = strchr(a, '/')) == NULL)
		return false;
	*slash++ = '\0';
	p->ip.family = strchr(a, ':') != NULL ? AF_INET6 : AF_INET;
	if (inet_pton(p->ip.family, a, p->ip.addr) != 1)
		return false;
	len = strtoul(slash, NULL, 10);
	if (len > (p->ip.family == AF_INET ? 32u : 128u))
		return false;
	p->len = (uint8_t)len;
	return true;
}

static const char *
undo_what(const struct netcfg *nc, size_t i)
{
	const struct tun_route *r = &nc->nl.undo[i].r;

	if (nc->pin.dst.ip.family != 0 &&
	    memcmp(r, &nc->pin, sizeof(*r)) == 0)
		return "gateway pin";
	return nc->nl.undo[i].kind == TUN_UNDO_ADDR ? "address" : "route";
}

static struct json_object *
state_json(struct netcfg *nc, char *const *env)
{
	struct json_object *o, *a, *e;
	char buf[INET6_ADDRSTRLEN + 8], ns[64];
	size_t i;

	o = json_object_new_object();
	json_object_object_add(o, "pid", json_object_new_int64(getpid()));
	json_object_object_add(o, "start",
	    json_object_new_int64((int64_t)proc_start(getpid())));
	netns_id(ns, sizeof(ns));
	json_object_object_add(o, "netns", json_object_new_string(ns));
	json_object_object_add(o, "tundev", json_object_new_string(nc->tundev));
	json_object_object_add(o, "ifindex",
	    json_object_new_int64(nc->info.ifindex));
	json_object_object_add(o, "script", nc->script != NULL ?
	    json_object_new_string(nc->script) : NULL);
	if (env != NULL) {
		a = json_object_new_array();
		for (i = 0; env[i] != NULL; i++)
			/* The banner is not needed to undo anything. */
			if (strncmp(env[i], "CISCO_BANNER=", 13) != 0)
				json_object_array_add(a,
				    json_object_new_string(env[i]));
		json_object_object_add(o, "script_env", a);
	}
	a = json_object_new_array();
	for (i = 0; i < nc->nl.n_undo; i++) {
		const struct tun_route *r = &nc->nl.undo[i].r;

		e = json_object_new_object();
		json_object_object_add(e, "what",
		    json_object_new_string(undo_what(nc, i)));
		json_object_object_add(e, "dst", json_object_new_string(
		    prefix_str(&r->dst, buf, sizeof(buf))));
		if (r->gw.family != 0 && inet_ntop(r->gw.family, r->gw.addr,
		    buf, sizeof(buf)) != NULL)
			json_object_object_add(e, "via",
			    json_object_new_string(buf));
		json_object_object_add(e, "ifindex",
		    json_object_new_int64(r->ifindex));
		json_object_object_add(e, "metric",
		    json_object_new_int64(r->metric));
		json_object_array_add(a, e);
	}
	json_object_object_add(o, "undo", a);
	return o;
}

int
netcfg_state_write(struct netcfg *nc, char *const *env)
{
	struct json_object *o;
	const char *text;
	char err[PATH_MAX + 128];
	int rv;

	if (nc->tundev[0] == '\0' || strchr(nc->tundev, '/') != NULL)
		return IR_ERR_CONFIG;
	state_path(nc->state_path, sizeof(nc->state_path), nc->tundev);
	if (mkdir(NETCFG_STATE_DIR, 0700) != 0 && errno != EEXIST)
		return -errno;
	o = state_json(nc, env);
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY);
	if ((rv = safefile_write_nosync(nc->state_path, 0600, text,
	    strlen(text), err, sizeof(err))) != 0)
		log_debug("%s", err);
	json_object_put(o);
	return rv;
}

void
netcfg_state_remove(struct netcfg *nc)
{
	if (nc->state_path[0] != '\0')
		(void)unlink(nc->state_path);
	nc->state_path[0] = '\0';
}

/* ---- leftovers of a dead ikeroam --------------------------------------- */

static bool
owner_alive(struct json_object *o)
{
	struct json_object *v;
	long pid;
	unsigned long long start;

	if (!json_object_object_get_ex(o, "pid", &v) ||
	    (pid = (long)json_object_get_int64(v)) <= 0)
		return false;
	if (pid == (long)getpid())
		return true;
	if (kill((pid_t)pid, 0) != 0 && errno == ESRCH)
		return false;
	start = json_object_object_get_ex(o, "start", &v) ?
	    (unsigned long long)json_object_get_int64(v) : 0;
	return start == 0 || proc_start(pid) == start;
}

/* Run the script with the recorded environment; wait for it, bounded. */
static int
stale_script(const char *script, struct json_object *envj)
{
	char *env[NETCFG_ENV_MAX], *argv[2];
	size_t n = 0, i;
	pid_t pid;
	int st, rv, waited;

	for (i = 0; i < json_object_array_length(envj) && n + 2 <
	    IR_ARRAY_LEN(env); i++) {
		const char *s = json_object_get_string(
		    json_object_array_get_idx(envj, i));

		if (s != NULL && strchr(s, '=') != NULL)
			env[n++] = (char *)s;
	}
	env[n++] = (char *)"PATH=/usr/local/sbin:/usr/local/bin:"
	    "/usr/sbin:/usr/bin:/sbin:/bin";
	env[n] = NULL;
	argv[0] = (char *)script;
	argv[1] = NULL;
	if ((rv = posix_spawn(&pid, script, NULL, NULL, argv, env)) != 0)
		return -rv;
	for (waited = 0; waited < STATE_SCRIPT_MS; waited += 20) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 :
			    IR_ERR_CONFIG;
		nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000 }, NULL);
	}
	(void)kill(pid, SIGKILL);
	(void)waitpid(pid, &st, 0);
	return IR_ERR_TIMEOUT;
}

/* Remove the recorded entries, newest first; one log line each. */
static int
stale_undo(struct json_object *undo, const char *tundev, uint32_t tunidx,
    int *removed)
{
	struct tun_nl nl;
	struct json_object *e, *v;
	struct tun_route r;
	bool tun_there = tunidx != 0 && if_nametoindex(tundev) == tunidx;
	size_t i;
	int rv, first = 0;
	const char *what;

	if ((rv = tun_nl_open(&nl)) != 0)
		return rv;
	for (i = json_object_array_length(undo); i-- > 0;) {
		e = json_object_array_get_idx(undo, i);
		memset(&r, 0, sizeof(r));
		if (!json_object_object_get_ex(e, "dst", &v) ||
		    !prefix_parse(json_object_get_string(v), &r.dst))
			continue;
		if (json_object_object_get_ex(e, "via", &v) &&
		    (r.gw.family = r.dst.ip.family) != 0 &&
		    inet_pton(r.gw.family, json_object_get_string(v),
		    r.gw.addr) != 1)
			continue;
		if (json_object_object_get_ex(e, "ifindex", &v))
			r.ifindex = (uint32_t)json_object_get_int64(v);
		if (json_object_object_get_ex(e, "metric", &v))
			r.metric = (uint32_t)json_object_get_int64(v);
		what = json_object_object_get_ex(e, "what", &v) ?
		    json_object_get_string(v) : "route";
		/* On a TUN that is gone, the kernel removed it already; a
		 * new device may have its index now. */
		if (r.ifindex == tunidx && !tun_there)
			continue;
		rv = strcmp(what, "address") == 0 ?
		    tun_addr_del(&nl, r.ifindex, &r.dst) :
		    tun_route_del(&nl, &r);
		if (rv == 0) {
			char buf[INET6_ADDRSTRLEN + 8];

			log_info("removed a leftover %s: %s (%s)", what,
			    prefix_str(&r.dst, buf, sizeof(buf)), tundev);
			(*removed)++;
		} else if (rv != -ESRCH && rv != -ENOENT &&
		    rv != -EADDRNOTAVAIL && rv != -ENODEV && first == 0)
			first = rv;
	}
	tun_nl_close(&nl);
	return first;
}

static int
stale_one(const char *path, const char *want_tun, int *removed)
{
	struct json_object *o, *v, *envj;
	char ns[64], err[PATH_MAX + 128];
	const char *tundev = "?", *script = NULL;
	uint32_t tunidx = 0;
	uint8_t *text;
	size_t len;
	int rv = 0;

	/* The record names a script that we run as root: only a file that
	 * nobody else could have written or replaced is believed. */
	if ((rv = safefile_read(path, SAFEFILE_SECRET, SAFEFILE_MAX, &text,
	    &len, err, sizeof(err))) != 0) {
		log_warn("%s; the record of a network setup is ignored", err);
		return rv;
	}
	o = json_tokener_parse((const char *)text);
	safefile_free(text, len);
	if (o == NULL) {
		log_warn("%s: unreadable record of a network setup; remove "
		    "it by hand", path);
		return IR_ERR_MALFORMED;
	}
	if (json_object_object_get_ex(o, "tundev", &v))
		tundev = json_object_get_string(v);
	if (want_tun != NULL && strcmp(tundev, want_tun) != 0)
		goto out;
	netns_id(ns, sizeof(ns));
	if (!json_object_object_get_ex(o, "netns", &v) ||
	    strcmp(json_object_get_string(v), ns) != 0 || owner_alive(o))
		goto out;	/* another namespace's, or still in use */
	if (json_object_object_get_ex(o, "ifindex", &v))
		tunidx = (uint32_t)json_object_get_int64(v);
	if (json_object_object_get_ex(o, "script", &v) && v != NULL)
		script = json_object_get_string(v);
	if (script != NULL && json_object_object_get_ex(o, "script_env",
	    &envj)) {
		rv = stale_script(script, envj);
		if (rv == 0) {
			log_info("ran %s disconnect for a leftover setup of "
			    "%s (DNS, default route)", script, tundev);
			(*removed)++;
		} else
			log_warn("%s disconnect for a leftover setup of %s "
			    "failed: %s", script, tundev, ir_strerror(rv));
	}
	if (json_object_object_get_ex(o, "undo", &v)) {
		int r2 = stale_undo(v, tundev, tunidx, removed);

		rv = rv != 0 ? rv : r2;
	}
	if (unlink(path) != 0 && rv == 0)
		rv = -errno;
out:
	json_object_put(o);
	return rv;
}

int
netcfg_cleanup_stale(const char *tundev, char *msg, size_t cap)
{
	char path[PATH_MAX];
	struct dirent *d;
	size_t len;
	DIR *dir;
	int rv, first = 0, removed = 0;

	if (cap > 0)
		msg[0] = '\0';
	if ((dir = opendir(NETCFG_STATE_DIR)) == NULL)
		/* None, or not ours to read (not root): nothing to undo. */
		return errno == ENOENT || errno == EACCES ? 0 : -errno;
	while ((d = readdir(dir)) != NULL) {
		len = strlen(d->d_name);
		if (len <= strlen(STATE_SUFFIX) || strcmp(d->d_name + len -
		    strlen(STATE_SUFFIX), STATE_SUFFIX) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", NETCFG_STATE_DIR,
		    d->d_name);
		if ((rv = stale_one(path, tundev, &removed)) != 0 &&
		    first == 0)
			first = rv;
	}
	closedir(dir);
	if (removed > 0 && cap > 0)
		snprintf(msg, cap, "undid %d leftover%s of an ikeroam that "
		    "died (see %s)", removed, removed == 1 ? "" : "s",
		    NETCFG_STATE_DIR);
	return first;
}
