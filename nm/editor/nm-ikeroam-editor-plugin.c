/*
 * nm/editor/nm-ikeroam-editor-plugin.c: libnm-vpn-plugin-ikeroam.so, the
 * VPN editor plugin NetworkManager's clients load from the .name file
 * ([libnm] plugin=).  It needs only libnm: import and export (so
 * `nmcli connection import type ikeroam file work.json` works without
 * GTK), and get_editor, which loads the GTK 3 or the GTK 4 editor
 * (libnm[-gtk4]-vpn-plugin-ikeroam-editor.so, next to this file)
 * depending on which GTK the calling program runs.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <NetworkManager.h>

#include "nm/shared/nm_ikeroam.h"

#define IMPORT_MAX	(1u << 20)

#define NM_TYPE_IKEROAM_EDITOR_PLUGIN (nm_ikeroam_editor_plugin_get_type())
G_DECLARE_FINAL_TYPE(NMIkeroamEditorPlugin, nm_ikeroam_editor_plugin, NM,
    IKEROAM_EDITOR_PLUGIN, GObject)

struct _NMIkeroamEditorPlugin {
	GObject	parent;
};

enum { PROP_0, PROP_NAME, PROP_DESC, PROP_SERVICE };

static void	plugin_iface_init(NMVpnEditorPluginInterface *);

G_DEFINE_TYPE_EXTENDED(NMIkeroamEditorPlugin, nm_ikeroam_editor_plugin,
    G_TYPE_OBJECT, 0, G_IMPLEMENT_INTERFACE(NM_TYPE_VPN_EDITOR_PLUGIN,
    plugin_iface_init))

typedef NMVpnEditor *(*editor_factory)(NMVpnEditorPlugin *, NMConnection *,
    GError **);

/* The editor for the GTK this process runs (GTK 4 has no containers). */
static NMVpnEditor *
get_editor(NMVpnEditorPlugin *plugin, NMConnection *connection,
    GError **error)
{
	static void *lib;
	editor_factory factory;
	Dl_info info;
	char *dir, *path;
	const char *name;

	name = dlsym(RTLD_DEFAULT, "gtk_container_add") != NULL ?
	    "libnm-vpn-plugin-ikeroam-editor.so" :
	    "libnm-gtk4-vpn-plugin-ikeroam-editor.so";
	if (lib == NULL) {
		if (dladdr((void *)get_editor, &info) == 0 ||
		    info.dli_fname == NULL) {
			g_set_error(error, NM_VPN_PLUGIN_ERROR,
			    NM_VPN_PLUGIN_ERROR_FAILED,
			    "cannot find the ikeroam plugin's directory");
			return NULL;
		}
		dir = g_path_get_dirname(info.dli_fname);
		path = g_build_filename(dir, name, NULL);
		lib = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
		g_free(dir);
		if (lib == NULL) {
			g_set_error(error, NM_VPN_PLUGIN_ERROR,
			    NM_VPN_PLUGIN_ERROR_FAILED, "%s: %s", path,
			    dlerror());
			g_free(path);
			return NULL;
		}
		g_free(path);
	}
	factory = (editor_factory)dlsym(lib, "nm_vpn_editor_factory_ikeroam");
	if (factory == NULL) {
		g_set_error(error, NM_VPN_PLUGIN_ERROR,
		    NM_VPN_PLUGIN_ERROR_FAILED, "%s has no editor factory",
		    name);
		return NULL;
	}
	return factory(plugin, connection, error);
}

static NMVpnEditorPluginCapability
get_capabilities(NMVpnEditorPlugin *plugin)
{
	return NM_VPN_EDITOR_PLUGIN_CAPABILITY_IMPORT |
	    NM_VPN_EDITOR_PLUGIN_CAPABILITY_EXPORT |
	    NM_VPN_EDITOR_PLUGIN_CAPABILITY_IPV6;
}

/* A connection from imported items; |fallback| names it if needed. */
static NMConnection *
build_connection(const struct nm_ikeroam_import *im, const char *fallback)
{
	NMConnection *c = nm_simple_connection_new();
	NMSettingConnection *s_con;
	NMSettingVpn *s_vpn;
	char *uuid = nm_utils_uuid_generate();
	size_t i;

	s_con = NM_SETTING_CONNECTION(nm_setting_connection_new());
	g_object_set(s_con, NM_SETTING_CONNECTION_ID,
	    im->name != NULL ? im->name : fallback,
	    NM_SETTING_CONNECTION_UUID, uuid,
	    NM_SETTING_CONNECTION_TYPE, NM_SETTING_VPN_SETTING_NAME, NULL);
	g_free(uuid);
	nm_connection_add_setting(c, NM_SETTING(s_con));
	s_vpn = NM_SETTING_VPN(nm_setting_vpn_new());
	g_object_set(s_vpn, NM_SETTING_VPN_SERVICE_TYPE, NM_IKEROAM_SERVICE,
	    NULL);
	for (i = 0; i < im->ndata; i++)
		nm_setting_vpn_add_data_item(s_vpn, im->data[i].key,
		    im->data[i].value);
	/* Their "-flags" items came with the data: stored by NM. */
	for (i = 0; i < im->nsecrets; i++)
		nm_setting_vpn_add_secret(s_vpn, im->secrets[i].key,
		    im->secrets[i].value);
	nm_connection_add_setting(c, NM_SETTING(s_vpn));
	nm_connection_add_setting(c, nm_setting_ip4_config_new());
	g_object_set(nm_connection_get_setting_ip4_config(c),
	    NM_SETTING_IP_CONFIG_METHOD, NM_SETTING_IP4_CONFIG_METHOD_AUTO,
	    NULL);
	nm_connection_add_setting(c, nm_setting_ip6_config_new());
	g_object_set(nm_connection_get_setting_ip6_config(c),
	    NM_SETTING_IP_CONFIG_METHOD, NM_SETTING_IP6_CONFIG_METHOD_AUTO,
	    NULL);
	return c;
}

/*
 * A strongSwan .sswan file (its PKCS#12 and CA certificate embedded):
 * `ikeroam import` turns it into an ikeroam profile and its certificate
 * and key files (0600) in the user's own directory, ~/.local/share/
 * ikeroam; the service lets ikeroam accept her files (--file-owner).
 * The PKCS#12 password, if any, is asked on the terminal (nmcli).
 * Returns the profile's path (g_free) or NULL with |error| set.
 */
static char *
import_sswan(const char *path, const char *name, GError **error)
{
	const char *bin = g_getenv("IKEROAM_EDITOR_BIN");
	char *dir, *out = NULL, *errout = NULL, *profile, *line;
	const char *argv[9];
	int status = 0;

	if (bin == NULL || *bin == '\0')
		bin = IKEROAM_BIN;
	dir = g_build_filename(g_get_user_data_dir(), "ikeroam", NULL);
	if (g_mkdir_with_parents(dir, 0700) != 0) {
		g_set_error(error, NM_CONNECTION_ERROR,
		    NM_CONNECTION_ERROR_FAILED, "cannot create %s: %s", dir,
		    g_strerror(errno));
		g_free(dir);
		return NULL;
	}
	argv[0] = bin;
	argv[1] = "import";
	argv[2] = path;
	argv[3] = "--name";
	argv[4] = name;
	argv[5] = "--dir";
	argv[6] = dir;
	argv[7] = "--force";
	argv[8] = NULL;
	if (!g_spawn_sync(NULL, (char **)argv, NULL,
	    G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, &out, &errout, &status,
	    error)) {
		g_free(dir);
		return NULL;
	}
	if (!g_spawn_check_wait_status(status, NULL)) {
		/* ikeroam's own last line says what and what to do. */
		line = g_strrstr(g_strchomp(errout), "\n");
		g_set_error(error, NM_CONNECTION_ERROR,
		    NM_CONNECTION_ERROR_FAILED, "%s", line != NULL ? line + 1 :
		    *errout ? errout : "ikeroam import failed");
		g_free(out);
		g_free(errout);
		g_free(dir);
		return NULL;
	}
	g_free(out);
	g_free(errout);
	profile = g_strdup_printf("%s/%s.json", dir, name);
	g_free(dir);
	return profile;
}

static gboolean
is_sswan(const char *path)
{
	return g_str_has_suffix(path, ".sswan") ||
	    g_str_has_suffix(path, ".SSWAN");
}

static NMConnection *
import_from_file(NMVpnEditorPlugin *plugin, const char *path,
    GError **error)
{
	struct nm_ikeroam_import im;
	NMConnection *c;
	char *text = NULL, *base, *dot, err[256], *converted = NULL;
	gsize len;

	if (is_sswan(path)) {
		base = g_path_get_basename(path);
		if ((dot = strrchr(base, '.')) != NULL && dot != base)
			*dot = '\0';
		converted = import_sswan(path, base, error);
		g_free(base);
		if (converted == NULL)
			return NULL;
		path = converted;
	}
	if (!g_file_get_contents(path, &text, &len, error)) {
		g_free(converted);
		return NULL;
	}
	if (len > IMPORT_MAX || nm_ikeroam_import(text, len, &im, err,
	    sizeof(err)) != 0) {
		g_set_error(error, NM_CONNECTION_ERROR,
		    NM_CONNECTION_ERROR_FAILED, "%s: %s", path,
		    len > IMPORT_MAX ? "larger than 1 MiB" : err);
		explicit_bzero(text, len);
		g_free(text);
		g_free(converted);
		return NULL;
	}
	explicit_bzero(text, len);
	g_free(text);
	base = g_path_get_basename(path);
	if ((dot = strrchr(base, '.')) != NULL && dot != base)
		*dot = '\0';
	c = build_connection(&im, base);
	g_free(base);
	g_free(converted);
	nm_ikeroam_import_clear(&im);
	return c;
}

static gboolean
export_to_file(NMVpnEditorPlugin *plugin, const char *path,
    NMConnection *connection, GError **error)
{
	NMSettingVpn *s_vpn = nm_connection_get_setting_vpn(connection);
	GArray *data;
	const char **keys;
	struct nm_kv kv;
	char *text, err[256];
	guint i, n;
	gboolean ok;

	if (s_vpn == NULL) {
		g_set_error(error, NM_CONNECTION_ERROR,
		    NM_CONNECTION_ERROR_MISSING_SETTING, "not a VPN connection");
		return FALSE;
	}
	data = g_array_new(FALSE, FALSE, sizeof(struct nm_kv));
	keys = nm_setting_vpn_get_data_keys(s_vpn, &n);
	for (i = 0; i < n; i++) {
		kv.key = keys[i];
		kv.value = nm_setting_vpn_get_data_item(s_vpn, keys[i]);
		g_array_append_val(data, kv);
	}
	g_free(keys);
	/* Secrets are never exported: the profile names no secret. */
	if (nm_ikeroam_export((struct nm_kv *)(void *)data->data, data->len,
	    nm_connection_get_id(connection), &text, err, sizeof(err)) != 0) {
		g_set_error(error, NM_CONNECTION_ERROR,
		    NM_CONNECTION_ERROR_INVALID_PROPERTY, "%s", err);
		g_array_unref(data);
		return FALSE;
	}
	g_array_unref(data);
	ok = g_file_set_contents(path, text, -1, error);
	free(text);
	return ok;
}

static char *
get_suggested_filename(NMVpnEditorPlugin *plugin, NMConnection *connection)
{
	const char *id = nm_connection_get_id(connection);

	return g_strdup_printf("%s.json", id != NULL ? id : "ikeroam");
}

static void
get_property(GObject *object, guint prop_id, GValue *value,
    GParamSpec *pspec)
{
	switch (prop_id) {
	case PROP_NAME:
		g_value_set_string(value, "IKEv2 (ikeroam)");
		break;
	case PROP_DESC:
		g_value_set_string(value, "IKEv2 VPN with TCP fallback and "
		    "roaming (ikeroam).");
		break;
	case PROP_SERVICE:
		g_value_set_string(value, NM_IKEROAM_SERVICE);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
nm_ikeroam_editor_plugin_init(NMIkeroamEditorPlugin *self)
{
}

static void
nm_ikeroam_editor_plugin_class_init(NMIkeroamEditorPluginClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = get_property;
	g_object_class_override_property(object_class, PROP_NAME,
	    NM_VPN_EDITOR_PLUGIN_NAME);
	g_object_class_override_property(object_class, PROP_DESC,
	    NM_VPN_EDITOR_PLUGIN_DESCRIPTION);
	g_object_class_override_property(object_class, PROP_SERVICE,
	    NM_VPN_EDITOR_PLUGIN_SERVICE);
}

static void
plugin_iface_init(NMVpnEditorPluginInterface *iface)
{
	iface->get_editor = get_editor;
	iface->get_capabilities = get_capabilities;
	iface->import_from_file = import_from_file;
	iface->export_to_file = export_to_file;
	iface->get_suggested_filename = get_suggested_filename;
}

G_MODULE_EXPORT NMVpnEditorPlugin *
nm_vpn_editor_plugin_factory(GError **error)
{
	return g_object_new(NM_TYPE_IKEROAM_EDITOR_PLUGIN, NULL);
}
