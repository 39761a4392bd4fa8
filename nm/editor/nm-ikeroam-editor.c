/*
 * nm/editor/nm-ikeroam-editor.c: the ikeroam page of nm-connection-editor
 * and GNOME Settings.  One source, built twice: against GTK 3 and libnma
 * (libnm-vpn-plugin-ikeroam-editor.so) and against GTK 4 and libnma-gtk4
 * (libnm-gtk4-vpn-plugin-ikeroam-editor.so); the few calls that differ
 * are the macros below.  Fields are vpn.data keys (nm/shared/
 * nm_ikeroam.h); secrets are password entries whose storage menu
 * (libnma) sets "<secret>-flags".
 */
#include <string.h>

#include <gtk/gtk.h>
#include <nma-ui-utils.h>
#include <NetworkManager.h>

#include "nm/shared/nm_ikeroam.h"

#if GTK_CHECK_VERSION(4, 0, 0)
#define entry_get(e)		gtk_editable_get_text(GTK_EDITABLE(e))
#define entry_set(e, t)		gtk_editable_set_text(GTK_EDITABLE(e), (t))
#define expander_add(x, w)	gtk_expander_set_child(GTK_EXPANDER(x), (w))
#define show_all(w)		((void)(w))
#else
#define entry_get(e)		gtk_entry_get_text(GTK_ENTRY(e))
#define entry_set(e, t)		gtk_entry_set_text(GTK_ENTRY(e), (t))
#define expander_add(x, w)	gtk_container_add(GTK_CONTAINER(x), (w))
#define show_all(w)		gtk_widget_show_all(w)
#endif

/* The methods a field belongs to: the page shows only the chosen one's
 * (nm_ikeroam_auths: psk, cert, eap). */
#define M_PSK	1
#define M_CERT	2
#define M_EAP	4
#define M_ALL	(M_PSK | M_CERT | M_EAP)

/* The text fields: vpn.data key, label, in the advanced part or not. */
static const struct field {
	const char	*key;
	const char	*label;
	int		 advanced;
	int		 methods;
} fields[] = {
	{ "gateway",		"Gateway",			0, M_ALL },
	{ "id",			"Identity",			0, M_ALL },
	{ "eap-user",		"EAP user name",		0, M_EAP },
	{ "cert",		"Certificate file",		0, M_CERT },
	{ "key",		"Private key file",		0, M_CERT },
	{ "ca",			"CA certificate file",	0, M_CERT | M_EAP },
	{ "remote-id",		"Gateway identity",		0, M_ALL },
	{ "tcp-port",		"TCP port",			1, M_ALL },
	{ "fallback-timeout",	"Fallback timeout (ms)",	1, M_ALL },
	{ "ike",		"IKE proposals",		1, M_ALL },
	{ "esp",		"ESP proposals",		1, M_ALL },
};
#define NFIELDS		(sizeof(fields) / sizeof(fields[0]))

static const struct secret {
	const char	*key;
	const char	*label;
	int		 methods;
} secrets[] = {
	{ NM_IKEROAM_SECRET_PSK,	"Pre-shared key",	M_PSK },
	{ NM_IKEROAM_SECRET_PASSWORD,	"EAP password",		M_EAP },
	{ NM_IKEROAM_SECRET_KEYPASS,	"Key passphrase",	M_CERT },
};
#define NSECRETS	3

#define NM_TYPE_IKEROAM_EDITOR (nm_ikeroam_editor_get_type())
G_DECLARE_FINAL_TYPE(NMIkeroamEditor, nm_ikeroam_editor, NM, IKEROAM_EDITOR,
    GObject)

struct _NMIkeroamEditor {
	GObject		 parent;
	GtkWidget	*grid;
	GtkWidget	*entry[NFIELDS], *label[NFIELDS];
	GtkWidget	*secret[NSECRETS], *slabel[NSECRETS];
	GtkWidget	*auth;		/* psk, cert, eap */
	GtkWidget	*transport;	/* auto, udp, tcp, tls */
};

static void	editor_iface_init(NMVpnEditorInterface *);

G_DEFINE_TYPE_EXTENDED(NMIkeroamEditor, nm_ikeroam_editor, G_TYPE_OBJECT, 0,
    G_IMPLEMENT_INTERFACE(NM_TYPE_VPN_EDITOR, editor_iface_init))

static void
changed_cb(GtkWidget *w, gpointer ud)
{
	g_signal_emit_by_name(ud, "changed");
}

/* Show the rows of the chosen method only; the others keep their text
 * and stay in vpn.data (the service takes the method's keys only). */
static void
show_method(NMIkeroamEditor *self)
{
	int m = 1 << gtk_combo_box_get_active(GTK_COMBO_BOX(self->auth));
	size_t i;

	for (i = 0; i < NFIELDS; i++) {
		gtk_widget_set_visible(self->entry[i],
		    (fields[i].methods & m) != 0);
		gtk_widget_set_visible(self->label[i],
		    (fields[i].methods & m) != 0);
	}
	for (i = 0; i < NSECRETS; i++) {
		gtk_widget_set_visible(self->secret[i],
		    (secrets[i].methods & m) != 0);
		gtk_widget_set_visible(self->slabel[i],
		    (secrets[i].methods & m) != 0);
	}
}

static void
auth_changed_cb(GtkWidget *w, gpointer ud)
{
	show_method(ud);
}

static GtkWidget *
label_new(const char *text)
{
	GtkWidget *l = gtk_label_new(text);

	gtk_label_set_xalign(GTK_LABEL(l), 0);
	return l;
}

static GtkWidget *
combo_new(const char *const *ids, const char *const *labels,
    const char *active)
{
	GtkWidget *c = gtk_combo_box_text_new();
	size_t i;

	for (i = 0; ids[i] != NULL; i++)
		gtk_combo_box_text_append(GTK_COMBO_BOX_TEXT(c), ids[i],
		    labels[i]);
	if (active == NULL ||
	    !gtk_combo_box_set_active_id(GTK_COMBO_BOX(c), active))
		gtk_combo_box_set_active(GTK_COMBO_BOX(c), 0);
	return c;
}

/* Build the page from |s_vpn| (NULL: a new connection). */
static void
build(NMIkeroamEditor *self, NMSettingVpn *s_vpn)
{
	static const char *const auth_labels[] = { "Pre-shared key",
	    "Certificate", "EAP (user name and password)", NULL };
	static const char *const xport_labels[] = { "Automatic (UDP, then "
	    "TCP, then TLS)", "UDP only", "TCP (RFC 9329)", "TLS on 443",
	    NULL };
	NMSettingSecretFlags flags;
	GtkWidget *adv, *advgrid, *grid;
	const char *v;
	size_t i;
	int row = 0, arow = 0;

	self->grid = grid = gtk_grid_new();
	gtk_grid_set_row_spacing(GTK_GRID(grid), 6);
	gtk_grid_set_column_spacing(GTK_GRID(grid), 12);
	advgrid = gtk_grid_new();
	gtk_grid_set_row_spacing(GTK_GRID(advgrid), 6);
	gtk_grid_set_column_spacing(GTK_GRID(advgrid), 12);

	v = s_vpn != NULL ? nm_setting_vpn_get_data_item(s_vpn,
	    NM_IKEROAM_KEY_AUTH) : NULL;
	self->auth = combo_new(nm_ikeroam_auths, auth_labels, v);
	g_signal_connect(self->auth, "changed", G_CALLBACK(changed_cb), self);
	g_signal_connect(self->auth, "changed", G_CALLBACK(auth_changed_cb),
	    self);
	gtk_grid_attach(GTK_GRID(grid), label_new("Authentication"), 0, row,
	    1, 1);
	gtk_grid_attach(GTK_GRID(grid), self->auth, 1, row++, 1, 1);

	for (i = 0; i < NFIELDS; i++) {
		self->entry[i] = gtk_entry_new();
		gtk_widget_set_hexpand(self->entry[i], TRUE);
		gtk_widget_set_name(self->entry[i], fields[i].key);
		v = s_vpn != NULL ? nm_setting_vpn_get_data_item(s_vpn,
		    fields[i].key) : NULL;
		if (v != NULL)
			entry_set(self->entry[i], v);
		g_signal_connect(self->entry[i], "changed",
		    G_CALLBACK(changed_cb), self);
		self->label[i] = label_new(fields[i].label);
		if (fields[i].advanced) {
			gtk_grid_attach(GTK_GRID(advgrid), self->label[i], 0,
			    arow, 1, 1);
			gtk_grid_attach(GTK_GRID(advgrid), self->entry[i], 1,
			    arow++, 1, 1);
		} else {
			gtk_grid_attach(GTK_GRID(grid), self->label[i], 0, row,
			    1, 1);
			gtk_grid_attach(GTK_GRID(grid), self->entry[i], 1,
			    row++, 1, 1);
		}
	}
	for (i = 0; i < NSECRETS; i++) {
		self->secret[i] = gtk_entry_new();
		gtk_entry_set_visibility(GTK_ENTRY(self->secret[i]), FALSE);
		gtk_widget_set_name(self->secret[i], secrets[i].key);
		v = s_vpn != NULL ? nm_setting_vpn_get_secret(s_vpn,
		    secrets[i].key) : NULL;
		if (v != NULL)
			entry_set(self->secret[i], v);
		flags = NM_SETTING_SECRET_FLAG_AGENT_OWNED;
		if (s_vpn != NULL)
			nm_setting_get_secret_flags(NM_SETTING(s_vpn),
			    secrets[i].key, &flags, NULL);
		nma_utils_setup_password_storage(self->secret[i], flags,
		    s_vpn != NULL ? NM_SETTING(s_vpn) : NULL, secrets[i].key,
		    TRUE, FALSE);
		g_signal_connect(self->secret[i], "changed",
		    G_CALLBACK(changed_cb), self);
		self->slabel[i] = label_new(secrets[i].label);
		gtk_grid_attach(GTK_GRID(grid), self->slabel[i], 0, row, 1, 1);
		gtk_grid_attach(GTK_GRID(grid), self->secret[i], 1, row++, 1,
		    1);
	}

	v = s_vpn != NULL ? nm_setting_vpn_get_data_item(s_vpn,
	    NM_IKEROAM_KEY_TRANSPORT) : NULL;
	self->transport = combo_new(nm_ikeroam_transports, xport_labels, v);
	g_signal_connect(self->transport, "changed", G_CALLBACK(changed_cb),
	    self);
	gtk_grid_attach(GTK_GRID(advgrid), label_new("Transport"), 0, arow,
	    1, 1);
	gtk_grid_attach(GTK_GRID(advgrid), self->transport, 1, arow++, 1, 1);
	adv = gtk_expander_new("Advanced");
	expander_add(adv, advgrid);
	gtk_grid_attach(GTK_GRID(grid), adv, 0, row++, 2, 1);
	g_object_ref_sink(grid);
	show_all(grid);
	show_method(self);
}

static GObject *
get_widget(NMVpnEditor *editor)
{
	return G_OBJECT(NM_IKEROAM_EDITOR(editor)->grid);
}

static gboolean
update_connection(NMVpnEditor *editor, NMConnection *connection,
    GError **error)
{
	NMIkeroamEditor *self = NM_IKEROAM_EDITOR(editor);
	NMSettingVpn *s_vpn = NM_SETTING_VPN(nm_setting_vpn_new());
	NMSettingSecretFlags flags;
	const char **keys, *v;
	struct nm_kv *kv;
	char *check, err[256];
	guint i, n;
	gboolean ok = TRUE;

	g_object_set(s_vpn, NM_SETTING_VPN_SERVICE_TYPE, NM_IKEROAM_SERVICE,
	    NULL);
	nm_setting_vpn_add_data_item(s_vpn, NM_IKEROAM_KEY_AUTH,
	    gtk_combo_box_get_active_id(GTK_COMBO_BOX(self->auth)));
	nm_setting_vpn_add_data_item(s_vpn, NM_IKEROAM_KEY_TRANSPORT,
	    gtk_combo_box_get_active_id(GTK_COMBO_BOX(self->transport)));
	for (i = 0; i < NFIELDS; i++) {
		v = entry_get(self->entry[i]);
		if (v != NULL && *v != '\0')
			nm_setting_vpn_add_data_item(s_vpn, fields[i].key, v);
	}
	for (i = 0; i < NSECRETS; i++) {
		v = entry_get(self->secret[i]);
		flags = nma_utils_menu_to_secret_flags(self->secret[i]);
		nma_utils_update_password_storage(self->secret[i], flags,
		    NM_SETTING(s_vpn), secrets[i].key);
		nm_setting_set_secret_flags(NM_SETTING(s_vpn), secrets[i].key,
		    flags, NULL);
		if (v != NULL && *v != '\0' && (flags &
		    (NM_SETTING_SECRET_FLAG_NOT_SAVED |
		    NM_SETTING_SECRET_FLAG_NOT_REQUIRED)) == 0)
			nm_setting_vpn_add_secret(s_vpn, secrets[i].key, v);
	}
	/* The service's own checks, so the editor says what is wrong. */
	keys = nm_setting_vpn_get_data_keys(s_vpn, &n);
	kv = g_new0(struct nm_kv, n + 1);
	for (i = 0; i < n; i++) {
		kv[i].key = keys[i];
		kv[i].value = nm_setting_vpn_get_data_item(s_vpn, keys[i]);
	}
	if (nm_ikeroam_profile(kv, n, &check, err, sizeof(err)) != 0) {
		g_set_error(error, NM_CONNECTION_ERROR,
		    NM_CONNECTION_ERROR_INVALID_PROPERTY, "%s", err);
		ok = FALSE;
	} else
		free(check);
	g_free(kv);
	g_free(keys);
	if (ok)
		nm_connection_add_setting(connection, NM_SETTING(s_vpn));
	else
		g_object_unref(s_vpn);
	return ok;
}

static void
nm_ikeroam_editor_init(NMIkeroamEditor *self)
{
}

static void
dispose(GObject *object)
{
	NMIkeroamEditor *self = NM_IKEROAM_EDITOR(object);
	size_t i;

	/* The page may outlive us in its window: no signal to a ghost. */
	for (i = 0; i < NSECRETS; i++)
		if (self->secret[i] != NULL)
			g_signal_handlers_disconnect_by_data(self->secret[i],
			    self);
	for (i = 0; i < NFIELDS; i++)
		if (self->entry[i] != NULL)
			g_signal_handlers_disconnect_by_data(self->entry[i],
			    self);
	if (self->auth != NULL)
		g_signal_handlers_disconnect_by_data(self->auth, self);
	if (self->transport != NULL)
		g_signal_handlers_disconnect_by_data(self->transport, self);
	g_clear_object(&self->grid);
	G_OBJECT_CLASS(nm_ikeroam_editor_parent_class)->dispose(object);
}

static void
nm_ikeroam_editor_class_init(NMIkeroamEditorClass *klass)
{
	G_OBJECT_CLASS(klass)->dispose = dispose;
}

static void
editor_iface_init(NMVpnEditorInterface *iface)
{
	iface->get_widget = get_widget;
	iface->update_connection = update_connection;
}

/* Looked up by name by nm-ikeroam-editor-plugin.c. */
G_MODULE_EXPORT NMVpnEditor *nm_vpn_editor_factory_ikeroam(NMVpnEditorPlugin *,
    NMConnection *, GError **);

G_MODULE_EXPORT NMVpnEditor *
nm_vpn_editor_factory_ikeroam(NMVpnEditorPlugin *plugin,
    NMConnection *connection, GError **error)
{
	NMIkeroamEditor *self = g_object_new(NM_TYPE_IKEROAM_EDITOR, NULL);

	build(self, connection != NULL ?
	    nm_connection_get_setting_vpn(connection) : NULL);
	return NM_VPN_EDITOR(self);
}
