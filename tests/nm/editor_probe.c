/*
 * tests/nm/editor_probe.c: loads libnm-vpn-plugin-ikeroam.so as
 * nm-connection-editor does, asks it for the editor (which loads the GTK
 * 3 or the GTK 4 build, as this program is linked), checks that the
 * page is a widget holding every field, and round-trips a connection
 * with every field set through it: update_connection() must give back
 * the same vpn.data and secrets.  Needs a display (xvfb-run).
 *	editor_probe PATH/libnm-vpn-plugin-ikeroam.so
 * Exit 0 when everything matched, 1 with one line per mismatch.
 */
#include <stdio.h>
#include <string.h>

#include <gtk/gtk.h>
#include <NetworkManager.h>

static const char *const items[][2] = {
	{ "auth", "eap" }, { "gateway", "vpn.example" },
	{ "id", "me@example" }, { "eap-user", "alice" },
	{ "ca", "/etc/ikeroam/ca.pem" }, { "remote-id", "vpn.test" },
	{ "transport", "tcp" }, { "tcp-port", "443" },
	{ "fallback-timeout", "1500" },
	{ "ike", "aes256gcm16-prfsha384-ecp384" },
	{ "esp", "aes256gcm16" }, { "password-flags", "0" },
	{ "psk-flags", "1" }, { "key-passphrase-flags", "4" },
};
#define NITEMS	(sizeof(items) / sizeof(items[0]))

int
main(int argc, char **argv)
{
	NMVpnEditorPlugin *plugin;
	NMVpnEditor *editor;
	NMConnection *in, *out;
	NMSettingVpn *s_in, *s_out;
	GObject *widget;
	GError *error = NULL;
	const char *v;
	size_t i;
	int bad = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: editor_probe PLUGIN.so\n");
		return 2;
	}
#if GTK_CHECK_VERSION(4, 0, 0)
	if (!gtk_init_check()) {
#else
	if (!gtk_init_check(&argc, &argv)) {
#endif
		fprintf(stderr, "editor_probe: no display\n");
		return 2;
	}
	plugin = nm_vpn_editor_plugin_load_from_file(argv[1],
	    "org.freedesktop.NetworkManager.ikeroam", -1, NULL, NULL, &error);
	if (plugin == NULL) {
		fprintf(stderr, "editor_probe: %s\n", error->message);
		return 1;
	}
	in = nm_simple_connection_new();
	s_in = NM_SETTING_VPN(nm_setting_vpn_new());
	g_object_set(s_in, NM_SETTING_VPN_SERVICE_TYPE,
	    "org.freedesktop.NetworkManager.ikeroam", NULL);
	for (i = 0; i < NITEMS; i++)
		nm_setting_vpn_add_data_item(s_in, items[i][0], items[i][1]);
	nm_setting_vpn_add_secret(s_in, "password", "pa55word");
	nm_connection_add_setting(in, NM_SETTING(s_in));

	editor = nm_vpn_editor_plugin_get_editor(plugin, in, &error);
	if (editor == NULL) {
		fprintf(stderr, "editor_probe: %s\n", error->message);
		return 1;
	}
	widget = nm_vpn_editor_get_widget(editor);
	if (widget == NULL || !GTK_IS_WIDGET(widget)) {
		fprintf(stderr, "editor_probe: the page is not a widget\n");
		return 1;
	}
	printf("editor_probe: GTK %d page %s\n", GTK_MAJOR_VERSION,
	    G_OBJECT_TYPE_NAME(widget));
	out = nm_simple_connection_new();
	if (!nm_vpn_editor_update_connection(editor, out, &error)) {
		fprintf(stderr, "editor_probe: update_connection: %s\n",
		    error->message);
		return 1;
	}
	s_out = nm_connection_get_setting_vpn(out);
	for (i = 0; i < NITEMS; i++) {
		v = nm_setting_vpn_get_data_item(s_out, items[i][0]);
		if (v == NULL || strcmp(v, items[i][1]) != 0) {
			printf("editor_probe: %s: got '%s', want '%s'\n",
			    items[i][0], v != NULL ? v : "(none)", items[i][1]);
			bad++;
		}
	}
	v = nm_setting_vpn_get_secret(s_out, "password");
	if (v == NULL || strcmp(v, "pa55word") != 0) {
		printf("editor_probe: the password did not round-trip\n");
		bad++;
	}
	if (nm_setting_vpn_get_num_data_items(s_out) != NITEMS) {
		printf("editor_probe: %u data items, want %zu\n",
		    nm_setting_vpn_get_num_data_items(s_out), NITEMS);
		bad++;
	}
	printf("editor_probe: %zu fields, %d mismatched\n", NITEMS + 1, bad);
	g_object_unref(editor);
	g_object_unref(in);
	g_object_unref(out);
	return bad == 0 ? 0 : 1;
}
