/*
 * tests/nm/editor_probe.c: loads libnm-vpn-plugin-ikeroam.so as
 * nm-connection-editor does, asks it for the editor (which loads the GTK
 * 3 or the GTK 4 build, as this program is linked), checks that the
 * page is a widget holding every field, and round-trips a connection
 * with every field set through it: update_connection() must give back
 * the same vpn.data and secrets.  With a second argument it shows the
 * page in a window and saves a screenshot there (PNG), for a person to
 * look at.  Needs a display (xvfb-run).
 *	editor_probe PATH/libnm-vpn-plugin-ikeroam.so [SHOT.png]
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

/* The descendant of |w| called |name| (gtk_widget_set_name), or NULL. */
static GtkWidget *
find_named(GtkWidget *w, const char *name)
{
	GtkWidget *hit = NULL;

	if (g_strcmp0(gtk_widget_get_name(w), name) == 0)
		return w;
#if GTK_CHECK_VERSION(4, 0, 0)
	for (GtkWidget *c = gtk_widget_get_first_child(w); c != NULL &&
	    hit == NULL; c = gtk_widget_get_next_sibling(c))
		hit = find_named(c, name);
#else
	if (GTK_IS_BIN(w) && gtk_bin_get_child(GTK_BIN(w)) != NULL)
		return find_named(gtk_bin_get_child(GTK_BIN(w)), name);
	if (GTK_IS_CONTAINER(w)) {
		GList *l, *kids = gtk_container_get_children(
		    GTK_CONTAINER(w));

		for (l = kids; l != NULL && hit == NULL; l = l->next)
			hit = find_named(l->data, name);
		g_list_free(kids);
	}
#endif
	return hit;
}

/* The page shows the EAP method's fields only (auth is "eap"). */
static int
check_method_rows(GtkWidget *page)
{
	static const char *const shown[] = { "gateway", "eap-user", "ca",
	    "password", NULL };
	static const char *const hidden[] = { "cert", "key", "psk",
	    "key-passphrase", NULL };
	GtkWidget *w;
	int bad = 0;
	size_t i;

	for (i = 0; shown[i] != NULL; i++)
		if ((w = find_named(page, shown[i])) == NULL ||
		    !gtk_widget_get_visible(w)) {
			printf("editor_probe: EAP: %s is not shown\n", shown[i]);
			bad++;
		}
	for (i = 0; hidden[i] != NULL; i++)
		if ((w = find_named(page, hidden[i])) == NULL ||
		    gtk_widget_get_visible(w)) {
			printf("editor_probe: EAP: %s is %s\n", hidden[i],
			    w == NULL ? "missing" : "shown");
			bad++;
		}
	return bad;
}

/* Let the toolkit lay out and draw: bounded, about a second at most. */
static void
settle(GtkWidget *w)
{
	int i;

	for (i = 0; i < 100; i++) {
		while (g_main_context_pending(NULL))
			g_main_context_iteration(NULL, FALSE);
		if (gtk_widget_get_allocated_width(w) > 1 && i >= 10)
			break;
		g_usleep(10000);
	}
}

/* The page in a window of its own, saved as a PNG at |path|. */
static int
screenshot(GtkWidget *page, const char *path)
{
	GtkWidget *win;
	int w, h;
#if GTK_CHECK_VERSION(4, 0, 0)
	GdkPaintable *paint;
	GtkSnapshot *snap;
	GskRenderNode *node;
	GdkTexture *tex;

	win = gtk_window_new();
	gtk_window_set_child(GTK_WINDOW(win), page);
	gtk_window_present(GTK_WINDOW(win));
	settle(page);
	w = gtk_widget_get_width(page);
	h = gtk_widget_get_height(page);
	paint = gtk_widget_paintable_new(page);
	snap = gtk_snapshot_new();
	gdk_paintable_snapshot(paint, snap, w, h);
	node = gtk_snapshot_free_to_node(snap);
	if (node == NULL || w <= 1 || h <= 1) {
		fprintf(stderr, "editor_probe: nothing drawn (%dx%d)\n", w, h);
		return -1;
	}
	tex = gsk_renderer_render_texture(gtk_native_get_renderer(
	    GTK_NATIVE(win)), node, &GRAPHENE_RECT_INIT(0, 0, w, h));
	if (tex == NULL || !gdk_texture_save_to_png(tex, path)) {
		fprintf(stderr, "editor_probe: cannot save %s\n", path);
		return -1;
	}
	g_object_unref(tex);
	gsk_render_node_unref(node);
	g_object_unref(paint);
#else
	GError *error = NULL;
	GdkPixbuf *pb;

	win = gtk_offscreen_window_new();
	gtk_container_add(GTK_CONTAINER(win), page);
	gtk_widget_show(win);	/* the page shows what it chose */
	settle(page);
	w = gtk_widget_get_allocated_width(page);
	h = gtk_widget_get_allocated_height(page);
	if ((pb = gtk_offscreen_window_get_pixbuf(GTK_OFFSCREEN_WINDOW(win)))
	    == NULL || !gdk_pixbuf_save(pb, path, "png", &error, NULL)) {
		fprintf(stderr, "editor_probe: cannot save %s: %s\n", path,
		    error != NULL ? error->message : "nothing drawn");
		return -1;
	}
	g_object_unref(pb);
#endif
	printf("editor_probe: screenshot %s (%dx%d)\n", path, w, h);
	return 0;
}

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

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: editor_probe PLUGIN.so [SHOT.png]\n");
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
	bad += check_method_rows(GTK_WIDGET(widget));
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
	if (argc == 3 && screenshot(GTK_WIDGET(widget), argv[2]) != 0)
		bad++;
	printf("editor_probe: %zu fields, %d mismatched\n", NITEMS + 1, bad);
	g_object_unref(editor);
	g_object_unref(in);
	g_object_unref(out);
	return bad == 0 ? 0 : 1;
}
