/*
 * nm/auth-dialog/nm-ikeroam-auth-dialog.c: asks for an ikeroam
 * connection's secrets (the PSK, the EAP password, the key passphrase)
 * for NetworkManager's secret agents: nm-applet, GNOME Shell, nmcli.
 *
 * The protocol (the agents' side of it is theirs; this is ours):
 *   argv   -u UUID -n NAME -s SERVICE [-i] [-r] [-t HINT]...
 *          [--external-ui-mode]
 *   stdin  DATA_KEY=k / DATA_VAL=v and SECRET_KEY=k / SECRET_VAL=v
 *          blocks, then "DONE" (libnm's nm_vpn_service_plugin_read_vpn_details)
 *   stdout normal mode: "name\nvalue\n" per secret, then an empty line;
 *          then we wait for "QUIT" on stdin before exiting.
 *          --external-ui-mode: a key file, [VPN Plugin UI] (Version,
 *          Title, Description) and one group per secret (Value, Label,
 *          IsSecret, ShouldAsk): the agent asks in its own UI (nmcli
 *          --ask on the terminal or from passwd-file).
 * Only secrets whose flags say the agent keeps them (agent-owned or not
 * saved) are asked; system-owned ones NetworkManager already has, and
 * "not required" ones are never asked.  Without -i nothing is asked:
 * what stdin or the keyring (libsecret, NetworkManager's schema) holds
 * is returned as is.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gtk/gtk.h>
#include <libsecret/secret.h>
#include <NetworkManager.h>

#include "nm/shared/nm_ikeroam.h"

#define MAX_ASKED	2	/* a method's secret and the key passphrase */

struct asked {
	const char	*name;		/* vpn.secrets key */
	const char	*label;
	char		*value;		/* known or entered; NULL: none */
	bool		 ask;		/* prompt for it */
};

static const char *
label_of(const char *name)
{
	if (strcmp(name, NM_IKEROAM_SECRET_PSK) == 0)
		return "Pre-shared key";
	if (strcmp(name, NM_IKEROAM_SECRET_PASSWORD) == 0)
		return "Password";
	return "Private key passphrase";
}

/* NetworkManager's own keyring schema, as its agents store secrets. */
static char *
keyring_lookup(const char *uuid, const char *name)
{
	static const SecretSchema schema = {
		"org.freedesktop.NetworkManager.Connection",
		SECRET_SCHEMA_DONT_MATCH_NAME,
		{
			{ "connection-uuid", SECRET_SCHEMA_ATTRIBUTE_STRING },
			{ "setting-name", SECRET_SCHEMA_ATTRIBUTE_STRING },
			{ "setting-key", SECRET_SCHEMA_ATTRIBUTE_STRING },
			{ NULL, 0 },
		},
		0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
	};

	/* No session bus (a service, a test): nothing there. */
	if (getenv("DBUS_SESSION_BUS_ADDRESS") == NULL)
		return NULL;
	return secret_password_lookup_sync(&schema, NULL, NULL,
	    "connection-uuid", uuid, "setting-name",
	    NM_SETTING_VPN_SETTING_NAME, "setting-key", name, NULL);
}

/*
 * The secrets this connection may need, with what is already known.
 * Returns how many went into |out|.
 */
static size_t
collect(GHashTable *data, GHashTable *secrets, const char *uuid,
    bool interactive, bool reprompt, struct asked *out)
{
	struct nm_kv kv = { NM_IKEROAM_KEY_AUTH, NULL };
	enum nm_ikeroam_auth auth;
	NMSettingSecretFlags flags;
	const char *names[MAX_ASKED], *v;
	char err[128];
	size_t i, n = 0, k = 0;

	kv.value = g_hash_table_lookup(data, NM_IKEROAM_KEY_AUTH);
	if (nm_ikeroam_auth(&kv, kv.value != NULL, &auth, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "nm-ikeroam-auth-dialog: %s\n", err);
		return 0;
	}
	if ((v = nm_ikeroam_needed_secret(auth)) != NULL)
		names[n++] = v;
	/* The passphrase only for a key the connection says is encrypted. */
	if (auth == NM_IKEROAM_AUTH_CERT && g_hash_table_lookup(data,
	    NM_IKEROAM_SECRET_KEYPASS "-flags") != NULL)
		names[n++] = NM_IKEROAM_SECRET_KEYPASS;
	for (i = 0; i < n; i++) {
		flags = NM_SETTING_SECRET_FLAG_NONE;
		nm_vpn_service_plugin_get_secret_flags(data, names[i], &flags);
		if (flags & NM_SETTING_SECRET_FLAG_NOT_REQUIRED)
			continue;
		out[k].name = names[i];
		out[k].label = label_of(names[i]);
		v = g_hash_table_lookup(secrets, names[i]);
		out[k].value = v != NULL ? g_strdup(v) : NULL;
		if (out[k].value == NULL &&
		    (flags & NM_SETTING_SECRET_FLAG_AGENT_OWNED))
			out[k].value = keyring_lookup(uuid, names[i]);
		/* System-owned: NetworkManager holds it; never prompt. */
		out[k].ask = interactive && (flags &
		    (NM_SETTING_SECRET_FLAG_AGENT_OWNED |
		    NM_SETTING_SECRET_FLAG_NOT_SAVED)) != 0 &&
		    (out[k].value == NULL || reprompt);
		k++;
	}
	return k;
}

static void
external_ui(const char *name, struct asked *a, size_t n)
{
	GKeyFile *kf = g_key_file_new();
	char *text, *desc;
	size_t i;

	desc = g_strdup_printf("Secrets are needed to connect the VPN "
	    "'%s'.", name);
	g_key_file_set_integer(kf, "VPN Plugin UI", "Version", 2);
	g_key_file_set_string(kf, "VPN Plugin UI", "Title",
	    "Authenticate VPN");
	g_key_file_set_string(kf, "VPN Plugin UI", "Description", desc);
	for (i = 0; i < n; i++) {
		g_key_file_set_string(kf, a[i].name, "Value",
		    a[i].value != NULL ? a[i].value : "");
		g_key_file_set_string(kf, a[i].name, "Label", a[i].label);
		g_key_file_set_boolean(kf, a[i].name, "IsSecret", TRUE);
		g_key_file_set_boolean(kf, a[i].name, "ShouldAsk", a[i].ask);
	}
	text = g_key_file_to_data(kf, NULL, NULL);
	fputs(text, stdout);
	fflush(stdout);
	explicit_bzero(text, strlen(text));
	g_free(text);
	g_free(desc);
	g_key_file_unref(kf);
}

/* A GTK 3 dialog for the secrets to ask; false when cancelled. */
static bool
prompt(const char *name, struct asked *a, size_t n)
{
	GtkWidget *dlg, *box, *grid, *entries[MAX_ASKED], *label;
	char *text;
	size_t i;
	int row = 0, rv;

	if (!gtk_init_check(NULL, NULL)) {
		fprintf(stderr, "nm-ikeroam-auth-dialog: no display to ask "
		    "on; use nmcli --ask or a secret agent\n");
		return false;
	}
	dlg = gtk_dialog_new_with_buttons("Authenticate VPN", NULL, 0,
	    "_Cancel", GTK_RESPONSE_CANCEL, "C_onnect", GTK_RESPONSE_OK,
	    NULL);
	gtk_dialog_set_default_response(GTK_DIALOG(dlg), GTK_RESPONSE_OK);
	box = gtk_dialog_get_content_area(GTK_DIALOG(dlg));
	grid = gtk_grid_new();
	gtk_grid_set_row_spacing(GTK_GRID(grid), 6);
	gtk_grid_set_column_spacing(GTK_GRID(grid), 12);
	gtk_container_set_border_width(GTK_CONTAINER(grid), 12);
	text = g_strdup_printf("Secrets are needed to connect the VPN '%s'.",
	    name);
	gtk_grid_attach(GTK_GRID(grid), gtk_label_new(text), 0, row++, 2, 1);
	g_free(text);
	for (i = 0; i < n; i++) {
		entries[i] = NULL;
		if (!a[i].ask)
			continue;
		label = gtk_label_new(a[i].label);
		gtk_label_set_xalign(GTK_LABEL(label), 0);
		entries[i] = gtk_entry_new();
		gtk_entry_set_visibility(GTK_ENTRY(entries[i]), FALSE);
		gtk_entry_set_activates_default(GTK_ENTRY(entries[i]), TRUE);
		if (a[i].value != NULL)
			gtk_entry_set_text(GTK_ENTRY(entries[i]), a[i].value);
		gtk_grid_attach(GTK_GRID(grid), label, 0, row, 1, 1);
		gtk_grid_attach(GTK_GRID(grid), entries[i], 1, row++, 1, 1);
	}
	gtk_box_pack_start(GTK_BOX(box), grid, TRUE, TRUE, 0);
	gtk_widget_show_all(dlg);
	rv = gtk_dialog_run(GTK_DIALOG(dlg));
	for (i = 0; rv == GTK_RESPONSE_OK && i < n; i++) {
		if (entries[i] == NULL)
			continue;
		g_free(a[i].value);
		a[i].value = g_strdup(gtk_entry_get_text(
		    GTK_ENTRY(entries[i])));
	}
	gtk_widget_destroy(dlg);
	return rv == GTK_RESPONSE_OK;
}

/* The agent closes the exchange with "QUIT"; wait for it (or EOF). */
static void
wait_quit(void)
{
	char line[64];

	while (fgets(line, sizeof(line), stdin) != NULL)
		if (strncmp(line, "QUIT", 4) == 0)
			break;
}

int
main(int argc, char **argv)
{
	GOptionContext *ctx;
	GHashTable *data = NULL, *secrets = NULL;
	GError *error = NULL;
	gboolean interactive = FALSE, reprompt = FALSE, external = FALSE;
	char *uuid = NULL, *name = NULL, *service = NULL, **hints = NULL;
	struct asked a[MAX_ASKED];
	size_t i, n;
	bool ok = true;
	GOptionEntry opts[] = {
		{ "reprompt", 'r', 0, G_OPTION_ARG_NONE, &reprompt,
		    "Ask again even for known secrets", NULL },
		{ "uuid", 'u', 0, G_OPTION_ARG_STRING, &uuid,
		    "The connection's UUID", NULL },
		{ "name", 'n', 0, G_OPTION_ARG_STRING, &name,
		    "The connection's name", NULL },
		{ "service", 's', 0, G_OPTION_ARG_STRING, &service,
		    "The VPN service type", NULL },
		{ "allow-interaction", 'i', 0, G_OPTION_ARG_NONE,
		    &interactive, "Ask the user when needed", NULL },
		{ "external-ui-mode", 0, 0, G_OPTION_ARG_NONE, &external,
		    "Describe the secrets; the agent asks", NULL },
		{ "hint", 't', 0, G_OPTION_ARG_STRING_ARRAY, &hints,
		    "Hints from the VPN service", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL }
	};

	ctx = g_option_context_new("- ikeroam VPN secrets");
	g_option_context_add_main_entries(ctx, opts, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		fprintf(stderr, "nm-ikeroam-auth-dialog: %s\n",
		    error->message);
		return 1;
	}
	g_option_context_free(ctx);
	if (uuid == NULL || name == NULL || service == NULL) {
		fprintf(stderr, "nm-ikeroam-auth-dialog: -u, -n and -s are "
		    "required\n");
		return 1;
	}
	if (strcmp(service, NM_IKEROAM_SERVICE) != 0) {
		fprintf(stderr, "nm-ikeroam-auth-dialog: service '%s' is not "
		    "%s\n", service, NM_IKEROAM_SERVICE);
		return 1;
	}
	if (!nm_vpn_service_plugin_read_vpn_details(STDIN_FILENO, &data,
	    &secrets)) {
		fprintf(stderr, "nm-ikeroam-auth-dialog: could not read the "
		    "connection's details from stdin\n");
		return 1;
	}
	n = collect(data, secrets, uuid, interactive, reprompt, a);
	if (external)
		external_ui(name, a, n);
	else {
		for (i = 0; i < n; i++)
			if (a[i].ask)
				break;
		if (i < n)
			ok = prompt(name, a, n);
		if (ok) {
			for (i = 0; i < n; i++)
				if (a[i].value != NULL)
					printf("%s\n%s\n", a[i].name,
					    a[i].value);
			printf("\n\n");
			fflush(stdout);
			wait_quit();
		}
	}
	for (i = 0; i < n; i++)
		if (a[i].value != NULL) {
			explicit_bzero(a[i].value, strlen(a[i].value));
			g_free(a[i].value);
		}
	g_hash_table_unref(data);
	g_hash_table_unref(secrets);
	g_free(uuid);
	g_free(name);
	g_free(service);
	g_strfreev(hints);
	return ok ? 0 : 1;
}
