/*
 * nm/service/nm-ikeroam-service.c: NetworkManager's VPN service for
 * ikeroam.  NetworkManager starts it once per connection (see
 * nm-ikeroam-service.name); on Connect it runs
 *
 *	ikeroam connect --profile-fd 3 --secrets-fd 4 --control-socket S
 *
 * as a child, the profile and the secrets written into two pipes (never
 * argv or the environment), then follows the child through its control
 * socket: "config" events become Config/Ip4Config/Ip6Config, "exit" and
 * the child's death become a Failure with ikeroam's one line in the log.
 * The same engine as the command line, so fallback, network memory and
 * roaming behave the same.  Disconnect: "disconnect" on the socket,
 * SIGTERM after STOP_WAIT_MS, SIGKILL after as long again: it always
 * ends, even with the gateway or the link gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <glib-unix.h>
#include <json-c/json.h>
#include <NetworkManager.h>

#include "nm/service/nm_ikeroam_event.h"
#include "nm/shared/nm_ikeroam.h"
#include "src/exitcode.h"

#ifndef IKEROAM_BIN
#define IKEROAM_BIN	"/usr/sbin/ikeroam"
#endif
/* Private directories for the control sockets, one per connection. */
#define RUN_BASE	"/run/ikeroam"
#define SOCK_NAME	"control.sock"
#define CTL_POLL_MS	100		/* the child's socket appears */
#define CTL_WAIT_MS	15000		/* ... within this, or we give up */
#define STOP_WAIT_MS	3000		/* each of disconnect, TERM, KILL */
#define LINE_MAX_LEN	65536		/* the control protocol's bound */

#define NM_TYPE_IKEROAM_PLUGIN (nm_ikeroam_plugin_get_type())
G_DECLARE_FINAL_TYPE(NMIkeroamPlugin, nm_ikeroam_plugin, NM, IKEROAM_PLUGIN,
    NMVpnServicePlugin)

struct _NMIkeroamPlugin {
	NMVpnServicePlugin	 parent;
	GSubprocess		*child;
	GCancellable		*cancel;	/* the control socket's I/O */
	GSocketConnection	*ctl;
	GDataInputStream	*ctl_in;
	char			*rundir;
	char			*sock;
	guint			 poll_id;	/* waiting for the socket */
	gint64			 poll_until;
	guint			 stop_id;	/* the next stop step */
	int			 stop_step;	/* 0 none, 1 asked, 2 TERM, 3 KILL */
	bool			 up;		/* a config was reported */
	bool			 quit_pending;	/* quit once the child is gone */
	int			 exit_status;	/* from the exit event, or -1 */
	int			 failure;	/* to report at STOPPING, or -1 */
	char			 pid[16];	/* the child's, for the log */
	char			*exit_reason;
	GMainLoop		*loop;
};

G_DEFINE_TYPE(NMIkeroamPlugin, nm_ikeroam_plugin, NM_TYPE_VPN_SERVICE_PLUGIN)

static const char *ikeroam_bin = IKEROAM_BIN;
static bool verbose;

/* ---- helpers --------------------------------------------------------- */

/*
 * The private directory for this connection's control socket: root's,
 * 0700, so that only root (NetworkManager, this service) can reach the
 * socket.  A stale socket from a crash is removed.
 */
static int
make_rundir(NMIkeroamPlugin *self, const char *uuid, GError **error)
{
	struct stat st;
	const char *p;

	for (p = uuid; *p != '\0'; p++)
		if (!g_ascii_isxdigit(*p) && *p != '-')
			break;
	if (*p != '\0' || p - uuid > 64 || p == uuid) {
		g_set_error(error, NM_VPN_PLUGIN_ERROR,
		    NM_VPN_PLUGIN_ERROR_BAD_ARGUMENTS,
		    "connection UUID '%.64s' is malformed", uuid);
		return -1;
	}
	if (mkdir(RUN_BASE, 0755) != 0 && errno != EEXIST)
		goto fail;
	if (lstat(RUN_BASE, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != 0 || (st.st_mode & 022) != 0) {
		errno = EPERM;
		goto fail;
	}
	self->rundir = g_strdup_printf(RUN_BASE "/nm-%s", uuid);
	self->sock = g_strdup_printf("%s/" SOCK_NAME, self->rundir);
	if (mkdir(self->rundir, 0700) != 0 && errno != EEXIST)
		goto fail;
	if (lstat(self->rundir, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
		errno = EPERM;
		goto fail;
	}
	if (unlink(self->sock) != 0 && errno != ENOENT)
		goto fail;
	return 0;
fail:
	g_set_error(error, NM_VPN_PLUGIN_ERROR,
	    NM_VPN_PLUGIN_ERROR_LAUNCH_FAILED, "%s: %s",
	    self->rundir != NULL ? self->rundir : RUN_BASE, g_strerror(errno));
	return -1;
}

static void
remove_rundir(NMIkeroamPlugin *self)
{
	if (self->sock != NULL)
		unlink(self->sock);
	if (self->rundir != NULL)
		rmdir(self->rundir);
	g_clear_pointer(&self->sock, g_free);
	g_clear_pointer(&self->rundir, g_free);
}

/*
 * A pipe whose read end the child inherits, |len| bytes already in it.
 * Both texts are far below a pipe's 64 KiB, so the write cannot block;
 * O_NONBLOCK makes sure.  The read end, or -1 with errno set.
 */
static int
filled_pipe(const char *buf, size_t len)
{
	int fd[2];
	ssize_t n;

	if (pipe2(fd, O_CLOEXEC) != 0)
		return -1;
	if (fcntl(fd[1], F_SETFL, O_NONBLOCK) != 0)
		goto fail;
	n = write(fd[1], buf, len);
	if (n < 0 || (size_t)n != len) {
		if (n >= 0)
			errno = EMSGSIZE;
		goto fail;
	}
	close(fd[1]);
	return fd[0];
fail:
	n = errno;
	close(fd[0]);
	close(fd[1]);
	errno = (int)n;
	return -1;
}

/* ---- the control socket ---------------------------------------------- */

static void	ctl_read_next(NMIkeroamPlugin *);

static void
ctl_close(NMIkeroamPlugin *self)
{
	if (self->cancel != NULL)
		g_cancellable_cancel(self->cancel);
	g_clear_object(&self->cancel);
	g_clear_object(&self->ctl_in);
	if (self->ctl != NULL)
		g_io_stream_close(G_IO_STREAM(self->ctl), NULL, NULL);
	g_clear_object(&self->ctl);
}

static void
ctl_send(NMIkeroamPlugin *self, const char *line)
{
	GOutputStream *out;
	GError *error = NULL;

	if (self->ctl == NULL)
		return;
	out = g_io_stream_get_output_stream(G_IO_STREAM(self->ctl));
	if (!g_output_stream_write_all(out, line, strlen(line), NULL, NULL,
	    &error)) {
		g_message("ikeroam: control socket: %s", error->message);
		g_error_free(error);
	}
}

/*
 * Report |reason| and stop.  libnm's disconnect reports its own
 * CONNECT_FAILED first while the plugin is still starting, and
 * NetworkManager keeps the last reason it hears: ours goes out from
 * the STOPPING state change (on_state_changed), just before STOPPED.
 */
static void
fail_and_stop(NMIkeroamPlugin *self, NMVpnPluginFailure reason)
{
	self->failure = (int)reason;
	nm_vpn_service_plugin_disconnect(NM_VPN_SERVICE_PLUGIN(self), NULL);
	self->failure = -1;
}

static void
on_state_changed(NMVpnServicePlugin *plugin, NMVpnServiceState state,
    gpointer ud)
{
	NMIkeroamPlugin *self = NM_IKEROAM_PLUGIN(plugin);

	if (state == NM_VPN_SERVICE_STATE_STOPPING && self->failure >= 0) {
		nm_vpn_service_plugin_failure(plugin,
		    (NMVpnPluginFailure)self->failure);
		self->failure = -1;
	}
}

static void
on_config(NMIkeroamPlugin *self, struct json_object *ev)
{
	NMVpnServicePlugin *plugin = NM_VPN_SERVICE_PLUGIN(self);
	struct nm_ikeroam_config cfg;
	char err[256];

	if (nm_ikeroam_config_from_json(ev, &cfg, err, sizeof(err)) != 0) {
		g_warning("ikeroam: %s", err);
		fail_and_stop(self, NM_VPN_PLUGIN_FAILURE_BAD_IP_CONFIG);
		return;
	}
	/*
	 * Again after every reconnect or move that changed it:
	 * NetworkManager takes new Ip4Config/Ip6Config while activated
	 * and replaces the addresses, routes and DNS it applied.
	 */
	g_message("ikeroam: %s configuration for %s",
	    self->up ? "new" : "tunnel", json_object_get_string(
	    json_object_object_get(ev, "interface")));
	nm_vpn_service_plugin_set_config(plugin, cfg.config);
	if (cfg.ip4 != NULL)
		nm_vpn_service_plugin_set_ip4_config(plugin, cfg.ip4);
	if (cfg.ip6 != NULL)
		nm_vpn_service_plugin_set_ip6_config(plugin, cfg.ip6);
	nm_ikeroam_config_clear(&cfg);
	self->up = true;
}

static const char *
member(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return "";
	return json_object_get_string(v);
}

static void
on_line(NMIkeroamPlugin *self, const char *line)
{
	struct json_object *msg, *v;
	const char *ev;

	if ((msg = json_tokener_parse(line)) == NULL ||
	    !json_object_is_type(msg, json_type_object)) {
		g_message("ikeroam: control socket: not a JSON object");
		json_object_put(msg);
		return;
	}
	ev = member(msg, "event");
	if (strcmp(ev, "config") == 0)
		on_config(self, msg);
	else if (strcmp(ev, "state") == 0)
		/* NetworkManager 1.42 has no reconnecting VPN state: the
		 * VPN stays up while ikeroam rebuilds the session under the
		 * same TUN, and a new config event follows. */
		g_message("ikeroam: state %s/%s%s%s", member(msg, "state"),
		    member(msg, "substate"), *member(msg, "reason") ? ": " :
		    "", member(msg, "reason"));
	else if (strcmp(ev, "transport") == 0)
		g_message("ikeroam: transport %s: %s",
		    member(msg, "transport"), member(msg, "why"));
	else if (strcmp(ev, "exit") == 0) {
		if (json_object_object_get_ex(msg, "exit_status", &v) &&
		    json_object_is_type(v, json_type_int))
			self->exit_status = json_object_get_int(v);
		g_free(self->exit_reason);
		self->exit_reason = g_strdup(member(msg, "reason"));
		g_message("ikeroam: exit %d: %s", self->exit_status,
		    self->exit_reason);
	} else if (json_object_object_get_ex(msg, "ok", &v) &&
	    !json_object_get_boolean(v))
		g_message("ikeroam: control request refused: %s",
		    member(msg, "error"));
	json_object_put(msg);
}

static void
ctl_read_done(GObject *src, GAsyncResult *res, gpointer ud)
{
	NMIkeroamPlugin *self;
	GError *error = NULL;
	char *line;
	gsize len;

	line = g_data_input_stream_read_line_finish_utf8(
	    G_DATA_INPUT_STREAM(src), res, &len, &error);
	if (error != NULL && g_error_matches(error, G_IO_ERROR,
	    G_IO_ERROR_CANCELLED)) {
		g_error_free(error);
		return;		/* |ud| may be gone */
	}
	self = ud;
	if (line == NULL) {
		/* EOF or an error: the child is ending; its exit decides. */
		if (error != NULL)
			g_message("ikeroam: control socket: %s",
			    error->message);
		g_clear_error(&error);
		ctl_close(self);
		return;
	}
	if (len <= LINE_MAX_LEN)
		on_line(self, line);
	g_free(line);
	ctl_read_next(self);
}

static void
ctl_read_next(NMIkeroamPlugin *self)
{
	if (self->ctl_in == NULL)
		return;
	g_data_input_stream_read_line_async(self->ctl_in, G_PRIORITY_DEFAULT,
	    self->cancel, ctl_read_done, self);
}

/* Try the child's socket; G_SOURCE_REMOVE once connected or given up. */
static gboolean
ctl_poll(gpointer ud)
{
	NMIkeroamPlugin *self = ud;
	GSocketClient *client;
	GSocketAddress *addr;
	GError *error = NULL;

	if (self->child == NULL) {
		self->poll_id = 0;
		return G_SOURCE_REMOVE;
	}
	client = g_socket_client_new();
	addr = g_unix_socket_address_new(self->sock);
	self->ctl = g_socket_client_connect(client,
	    G_SOCKET_CONNECTABLE(addr), NULL, &error);
	g_object_unref(addr);
	g_object_unref(client);
	if (self->ctl == NULL) {
		g_error_free(error);
		if (g_get_monotonic_time() < self->poll_until)
			return G_SOURCE_CONTINUE;
		g_warning("ikeroam: no control socket at %s after %d s; "
		    "stopping it", self->sock, CTL_WAIT_MS / 1000);
		self->poll_id = 0;
		g_subprocess_send_signal(self->child, SIGTERM);
		return G_SOURCE_REMOVE;
	}
	self->poll_id = 0;
	self->cancel = g_cancellable_new();
	self->ctl_in = g_data_input_stream_new(
	    g_io_stream_get_input_stream(G_IO_STREAM(self->ctl)));
	g_data_input_stream_set_newline_type(self->ctl_in,
	    G_DATA_STREAM_NEWLINE_TYPE_LF);
	ctl_send(self, "{\"id\":1,\"cmd\":\"subscribe\"}\n");
	/* A disconnect asked for before the socket was there. */
	if (self->stop_step == 1)
		ctl_send(self, "{\"id\":2,\"cmd\":\"disconnect\"}\n");
	ctl_read_next(self);
	return G_SOURCE_REMOVE;
}

/* ---- the child ------------------------------------------------------- */

static void
child_gone(NMIkeroamPlugin *self)
{
	if (self->poll_id != 0)
		g_source_remove(self->poll_id);
	if (self->stop_id != 0)
		g_source_remove(self->stop_id);
	self->poll_id = self->stop_id = 0;
	ctl_close(self);
	g_clear_object(&self->child);
	remove_rundir(self);
	if (self->quit_pending && self->loop != NULL)
		g_main_loop_quit(self->loop);
}

static void
child_exited(GObject *src, GAsyncResult *res, gpointer ud)
{
	NMIkeroamPlugin *self = ud;
	NMVpnServicePlugin *plugin = NM_VPN_SERVICE_PLUGIN(self);
	GSubprocess *child = G_SUBPROCESS(src);
	bool stopping = self->stop_step != 0;
	int status;

	g_subprocess_wait_finish(child, res, NULL);
	if (g_subprocess_get_if_exited(child)) {
		status = g_subprocess_get_exit_status(child);
		g_message("ikeroam: pid %s exited with status %d", self->pid,
		    status);
	} else {
		status = -1;
		g_message("ikeroam: pid %s killed by signal %d", self->pid,
		    g_subprocess_get_term_sig(child));
	}
	child_gone(self);
	if (stopping)
		return;
	/* The exit event's status is the same number; without one
	 * (killed, crashed) the VPN fails all the same. */
	if (self->exit_status >= 0)
		status = self->exit_status;
	if (status == IR_EXIT_OK) {
		/* Ended from its own control socket: a clean stop. */
		nm_vpn_service_plugin_disconnect(plugin, NULL);
		return;
	}
	g_warning("ikeroam failed: %s", self->exit_reason != NULL &&
	    *self->exit_reason != '\0' ? self->exit_reason :
	    "ended without saying why");
	fail_and_stop(self, status < 0 ? NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED :
	    nm_ikeroam_failure(status));
}

/* disconnect asked, then SIGTERM, then SIGKILL: bounded in time. */
static gboolean
stop_next(gpointer ud)
{
	NMIkeroamPlugin *self = ud;

	if (self->child == NULL) {
		self->stop_id = 0;
		return G_SOURCE_REMOVE;
	}
	self->stop_step++;
	if (self->stop_step == 2) {
		g_message("ikeroam: no exit after disconnect; SIGTERM");
		g_subprocess_send_signal(self->child, SIGTERM);
		return G_SOURCE_CONTINUE;
	}
	g_message("ikeroam: no exit after SIGTERM; SIGKILL");
	g_subprocess_force_exit(self->child);
	self->stop_id = 0;
	return G_SOURCE_REMOVE;
}

static void
stop_child(NMIkeroamPlugin *self)
{
	if (self->child == NULL || self->stop_step != 0)
		return;
	self->stop_step = 1;
	if (self->ctl != NULL)
		ctl_send(self, "{\"id\":2,\"cmd\":\"disconnect\"}\n");
	else if (self->poll_id != 0) {
		/* Not listening yet: there is nothing to close politely. */
		self->stop_step = 2;
		g_subprocess_send_signal(self->child, SIGTERM);
	}
	self->stop_id = g_timeout_add(STOP_WAIT_MS, stop_next, self);
}

static GSubprocess *
spawn_ikeroam(NMIkeroamPlugin *self, const char *profile, const char *sec,
    size_t sec_len, GError **error)
{
	GSubprocessLauncher *l;
	GSubprocess *child;
	int pfd, sfd;
	const char *argv[10];
	int i = 0;

	if ((pfd = filled_pipe(profile, strlen(profile))) < 0 ||
	    (sfd = filled_pipe(sec, sec_len)) < 0) {
		if (pfd >= 0)
			close(pfd);
		g_set_error(error, NM_VPN_PLUGIN_ERROR,
		    NM_VPN_PLUGIN_ERROR_LAUNCH_FAILED, "pipe: %s",
		    g_strerror(errno));
		return NULL;
	}
	argv[i++] = ikeroam_bin;
	argv[i++] = "connect";
	argv[i++] = "--profile-fd";
	argv[i++] = "3";
	argv[i++] = "--secrets-fd";
	argv[i++] = "4";
	argv[i++] = "--control-socket";
	argv[i++] = self->sock;
	if (verbose)
		argv[i++] = "--verbose";
	argv[i] = NULL;
	l = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_NONE);
	g_subprocess_launcher_take_fd(l, pfd, 3);
	g_subprocess_launcher_take_fd(l, sfd, 4);
	child = g_subprocess_launcher_spawnv(l, argv, error);
	g_object_unref(l);
	return child;
}

/* ---- NMVpnServicePlugin ---------------------------------------------- */

/* The connection's one user ("user:NAME" as its only permission), whose
 * files ikeroam then accepts (--file-owner), or NULL. */
static const char *
only_user(NMConnection *connection)
{
	NMSettingConnection *s_con;
	const char *type = NULL, *item = NULL;

	s_con = nm_connection_get_setting_connection(connection);
	if (s_con == NULL ||
	    nm_setting_connection_get_num_permissions(s_con) != 1 ||
	    !nm_setting_connection_get_permission(s_con, 0, &type, &item,
	    NULL) || type == NULL || strcmp(type, "user") != 0)
		return NULL;
	return item;
}

/*
 * The connection's vpn.data and vpn.secrets as nm_kv arrays, borrowed
 * from the setting (foreach would hand out copies freed at once).
 */
static NMSettingVpn *
vpn_items(NMConnection *connection, GArray **data, GArray **secrets,
    GError **error)
{
	NMSettingVpn *s_vpn = nm_connection_get_setting_vpn(connection);
	const char **keys;
	struct nm_kv kv;
	guint i, n;

	if (s_vpn == NULL) {
		g_set_error(error, NM_VPN_PLUGIN_ERROR,
		    NM_VPN_PLUGIN_ERROR_BAD_ARGUMENTS,
		    "the connection has no VPN setting");
		return NULL;
	}
	*data = g_array_new(FALSE, FALSE, sizeof(struct nm_kv));
	keys = nm_setting_vpn_get_data_keys(s_vpn, &n);
	for (i = 0; i < n; i++) {
		kv.key = keys[i];
		kv.value = nm_setting_vpn_get_data_item(s_vpn, keys[i]);
		g_array_append_val(*data, kv);
	}
	g_free(keys);
	*secrets = g_array_new(FALSE, FALSE, sizeof(struct nm_kv));
	keys = nm_setting_vpn_get_secret_keys(s_vpn, &n);
	for (i = 0; i < n; i++) {
		kv.key = keys[i];
		kv.value = nm_setting_vpn_get_secret(s_vpn, keys[i]);
		g_array_append_val(*secrets, kv);
	}
	g_free(keys);
	return s_vpn;
}

static gboolean
real_connect(NMVpnServicePlugin *plugin, NMConnection *connection,
    GError **error)
{
	NMIkeroamPlugin *self = NM_IKEROAM_PLUGIN(plugin);
	GArray *data, *secrets;
	char *profile = NULL, *sec = NULL, err[256];
	size_t sec_len = 0;
	gboolean ok = FALSE;

	if (self->child != NULL) {
		g_set_error(error, NM_VPN_PLUGIN_ERROR,
		    NM_VPN_PLUGIN_ERROR_WRONG_STATE, "ikeroam already runs");
		return FALSE;
	}
	if (vpn_items(connection, &data, &secrets, error) == NULL)
		return FALSE;
	if (nm_ikeroam_profile_for_user((struct nm_kv *)(void *)data->data,
	    data->len, only_user(connection), &profile, err,
	    sizeof(err)) != 0 ||
	    nm_ikeroam_secrets((struct nm_kv *)(void *)secrets->data,
	    secrets->len, &sec, &sec_len, err, sizeof(err)) != 0) {
		g_set_error(error, NM_VPN_PLUGIN_ERROR,
		    NM_VPN_PLUGIN_ERROR_BAD_ARGUMENTS, "%s", err);
		goto out;
	}
	if (make_rundir(self, nm_connection_get_uuid(connection), error) != 0)
		goto out;
	self->exit_status = -1;
	g_clear_pointer(&self->exit_reason, g_free);
	self->up = false;
	self->stop_step = 0;
	if ((self->child = spawn_ikeroam(self, profile, sec, sec_len,
	    error)) == NULL) {
		remove_rundir(self);
		goto out;
	}
	g_strlcpy(self->pid, g_subprocess_get_identifier(self->child) ?: "?",
	    sizeof(self->pid));
	g_message("ikeroam: started pid %s for '%s'", self->pid,
	    nm_connection_get_id(connection));
	g_subprocess_wait_async(self->child, NULL, child_exited, self);
	self->poll_until = g_get_monotonic_time() + CTL_WAIT_MS * 1000LL;
	self->poll_id = g_timeout_add(CTL_POLL_MS, ctl_poll, self);
	ok = TRUE;
out:
	nm_ikeroam_wipe_free(sec, sec_len);
	free(profile);
	g_array_unref(data);
	g_array_unref(secrets);
	return ok;
}

static gboolean
real_connect_interactive(NMVpnServicePlugin *plugin,
    NMConnection *connection, GVariant *details, GError **error)
{
	return real_connect(plugin, connection, error);
}

/* Is secret |key| missing?  Not when its flags say "not required". */
static bool
secret_missing(NMSettingVpn *s_vpn, const char *key)
{
	NMSettingSecretFlags flags = NM_SETTING_SECRET_FLAG_NONE;

	nm_setting_get_secret_flags(NM_SETTING(s_vpn), key, &flags, NULL);
	if (flags & NM_SETTING_SECRET_FLAG_NOT_REQUIRED)
		return false;
	return nm_setting_vpn_get_secret(s_vpn, key) == NULL;
}

static gboolean
real_need_secrets(NMVpnServicePlugin *plugin, NMConnection *connection,
    const char **setting_name, GError **error)
{
	NMSettingVpn *s_vpn = nm_connection_get_setting_vpn(connection);
	enum nm_ikeroam_auth auth;
	const char *need, *kp_flags;
	struct nm_kv kv;
	char err[128];

	if (s_vpn == NULL) {
		g_set_error(error, NM_VPN_PLUGIN_ERROR,
		    NM_VPN_PLUGIN_ERROR_BAD_ARGUMENTS,
		    "the connection has no VPN setting");
		return FALSE;
	}
	kv.key = NM_IKEROAM_KEY_AUTH;
	kv.value = nm_setting_vpn_get_data_item(s_vpn, NM_IKEROAM_KEY_AUTH);
	if (nm_ikeroam_auth(&kv, kv.value != NULL, &auth, err,
	    sizeof(err)) != 0) {
		g_set_error(error, NM_VPN_PLUGIN_ERROR,
		    NM_VPN_PLUGIN_ERROR_BAD_ARGUMENTS, "%s", err);
		return FALSE;
	}
	need = nm_ikeroam_needed_secret(auth);
	/* A key passphrase only when the connection says there is one. */
	kp_flags = nm_setting_vpn_get_data_item(s_vpn,
	    NM_IKEROAM_SECRET_KEYPASS "-flags");
	if ((need != NULL && secret_missing(s_vpn, need)) ||
	    (auth == NM_IKEROAM_AUTH_CERT && kp_flags != NULL &&
	    secret_missing(s_vpn, NM_IKEROAM_SECRET_KEYPASS))) {
		*setting_name = NM_SETTING_VPN_SETTING_NAME;
		return TRUE;
	}
	return FALSE;
}

static gboolean
real_disconnect(NMVpnServicePlugin *plugin, GError **error)
{
	stop_child(NM_IKEROAM_PLUGIN(plugin));
	return TRUE;
}

static void
nm_ikeroam_plugin_init(NMIkeroamPlugin *self)
{
	self->exit_status = -1;
	self->failure = -1;
	g_signal_connect(self, "state-changed", G_CALLBACK(on_state_changed),
	    NULL);
}

static void
nm_ikeroam_plugin_dispose(GObject *object)
{
	NMIkeroamPlugin *self = NM_IKEROAM_PLUGIN(object);

	if (self->child != NULL)
		g_subprocess_force_exit(self->child);
	child_gone(self);
	g_clear_pointer(&self->exit_reason, g_free);
	G_OBJECT_CLASS(nm_ikeroam_plugin_parent_class)->dispose(object);
}

static void
nm_ikeroam_plugin_class_init(NMIkeroamPluginClass *klass)
{
	NMVpnServicePluginClass *parent = NM_VPN_SERVICE_PLUGIN_CLASS(klass);

	G_OBJECT_CLASS(klass)->dispose = nm_ikeroam_plugin_dispose;
	parent->connect = real_connect;
	parent->connect_interactive = real_connect_interactive;
	parent->need_secrets = real_need_secrets;
	parent->disconnect = real_disconnect;
}

/* ---- main ------------------------------------------------------------ */

static void
on_quit(NMVpnServicePlugin *plugin, gpointer ud)
{
	NMIkeroamPlugin *self = NM_IKEROAM_PLUGIN(plugin);

	if (self->child == NULL) {
		g_main_loop_quit(self->loop);
		return;
	}
	self->quit_pending = true;
	stop_child(self);
}

static gboolean
on_signal(gpointer ud)
{
	on_quit(NM_VPN_SERVICE_PLUGIN(ud), NULL);
	return G_SOURCE_CONTINUE;
}

int
main(int argc, char **argv)
{
	NMIkeroamPlugin *self;
	GDBusConnection *conn;
	GOptionContext *ctx;
	GError *error = NULL;
	gboolean persist = FALSE, debug = FALSE;
	char *bus_name = NULL;
	const char *bin;
	GOptionEntry opts[] = {
		{ "persist", 0, 0, G_OPTION_ARG_NONE, &persist,
		    "Do not quit when VPN connection terminates", NULL },
		{ "debug", 0, 0, G_OPTION_ARG_NONE, &debug,
		    "Enable verbose debug logging", NULL },
		{ "bus-name", 0, 0, G_OPTION_ARG_STRING, &bus_name,
		    "D-Bus name to use for this instance", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL }
	};

	ctx = g_option_context_new(NULL);
	g_option_context_set_summary(ctx, "NetworkManager's VPN service "
	    "for ikeroam (IKEv2 with TCP fallback and roaming).");
	g_option_context_add_main_entries(ctx, opts, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		fprintf(stderr, "nm-ikeroam-service: %s\n", error->message);
		return 2;
	}
	g_option_context_free(ctx);
	/* Tests run ikeroam from the build tree (the variable is
	 * NetworkManager's environment, root's alone). */
	if ((bin = getenv("IKEROAM_NM_IKEROAM")) != NULL && bin[0] == '/')
		ikeroam_bin = bin;
	verbose = debug || getenv("IKEROAM_NM_VERBOSE") != NULL;
	self = g_initable_new(NM_TYPE_IKEROAM_PLUGIN, NULL, &error,
	    NM_VPN_SERVICE_PLUGIN_DBUS_SERVICE_NAME,
	    bus_name != NULL ? bus_name : NM_IKEROAM_SERVICE,
	    NM_VPN_SERVICE_PLUGIN_DBUS_WATCH_PEER, !debug, NULL);
	if (self == NULL) {
		fprintf(stderr, "nm-ikeroam-service: %s\n", error->message);
		return 1;
	}
	self->loop = g_main_loop_new(NULL, FALSE);
	if (!persist)
		g_signal_connect(self, "quit", G_CALLBACK(on_quit), NULL);
	g_unix_signal_add(SIGTERM, on_signal, self);
	g_unix_signal_add(SIGINT, on_signal, self);
	g_main_loop_run(self->loop);
	/*
	 * The last Failure and StateChanged(STOPPED) must reach the bus
	 * before our name goes, or NetworkManager only sees the service
	 * vanish ("stopped unexpectedly") and loses the reason.
	 */
	if ((conn = nm_vpn_service_plugin_get_connection(
	    NM_VPN_SERVICE_PLUGIN(self))) != NULL) {
		g_dbus_connection_flush_sync(conn, NULL, NULL);
		g_object_unref(conn);
	}
	g_main_loop_unref(self->loop);
	self->loop = NULL;
	g_object_unref(self);
	g_free(bus_name);
	return 0;
}
