/* test-preferences.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The preferences: every control round-trips through GSettings, keys go to the keyring (or
 * the environment where there is none), "Test connection" speaks each provider's model list,
 * an MCP server is started once for its status line.
 */

#include "config.h"

#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libsecret/secret.h>

#include "reins-connection-test.h"
#include "reins-error.h"
#include "reins-preferences-window.h"
#include "reins-run-settings.h"
#include "reins-secrets.h"
#include "reins-test-server.h"
#include "reins-tool-registry.h"

static void
wait_until (gboolean  (*cond) (gpointer data),
            gpointer    data,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* The first widget of @type named @name (any name, if NULL) in @widget's tree. */
static GtkWidget *
find_named (GtkWidget  *widget,
            GType       type,
            const char *name)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      (name == NULL || g_strcmp0 (gtk_widget_get_name (widget), name) == 0))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, type, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
open_preferences (GSettings **settings)
{
  GtkWidget *window = reins_preferences_window_new (NULL);

  g_object_ref_sink (window);
  gtk_window_present (GTK_WINDOW (window));
  *settings = g_object_ref (reins_preferences_window_get_settings (REINS_PREFERENCES_WINDOW (window)));
  return window;
}

static void
close_preferences (GtkWidget *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* Controls write their keys, and keys move their controls. */
static void
test_round_trip (void)
{
  g_autoptr(GSettings) settings = NULL;
  GtkWidget *window = open_preferences (&settings);
  GtkSpinButton *max_steps = GTK_SPIN_BUTTON (find_named (window, GTK_TYPE_SPIN_BUTTON, "max-steps"));
  GtkSpinButton *budget = GTK_SPIN_BUTTON (find_named (window, GTK_TYPE_SPIN_BUTTON, "budget-usd"));
  GtkSpinButton *loop = GTK_SPIN_BUTTON (find_named (window, GTK_TYPE_SPIN_BUTTON, "loop-threshold"));
  GtkSwitch *confidence_switch = GTK_SWITCH (find_named (window, GTK_TYPE_SWITCH, "confidence"));
  AdwComboRow *shell = ADW_COMBO_ROW (find_named (window, ADW_TYPE_COMBO_ROW, "shell"));
  AdwComboRow *read_file = ADW_COMBO_ROW (find_named (window, ADW_TYPE_COMBO_ROW, "read_file"));
  AdwComboRow *provider = ADW_COMBO_ROW (find_named (window, ADW_TYPE_COMBO_ROW, "default-provider"));
  g_auto(GStrv) disabled = NULL;
  g_autofree char *policy = NULL;
  const char *value;

  g_assert_nonnull (max_steps);
  g_assert_nonnull (budget);
  g_assert_nonnull (loop);
  g_assert_nonnull (confidence_switch);
  g_assert_nonnull (shell);
  g_assert_nonnull (provider);

  /* Defaults show. */
  g_assert_cmpint (gtk_spin_button_get_value_as_int (max_steps), ==, 20);
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (loop), 0.92, 1e-9);
  g_assert_true (gtk_switch_get_active (confidence_switch));
  g_assert_cmpuint (adw_combo_row_get_selected (shell), ==, 0);

  /* Widget → key. */
  gtk_spin_button_set_value (max_steps, 42);
  g_assert_cmpuint (g_settings_get_uint (settings, "max-steps"), ==, 42);
  gtk_switch_set_active (confidence_switch, FALSE);
  disabled = g_settings_get_strv (settings, "disabled-guards");
  g_assert_true (g_strv_contains ((const char * const *) disabled, "confidence"));
  adw_combo_row_set_selected (shell, 3);
  adw_combo_row_set_selected (read_file, 1);
  {
    g_autoptr(GVariant) dictionary = g_settings_get_value (settings, "tool-policy");

    g_assert_true (g_variant_lookup (dictionary, "shell", "s", &policy));
    g_assert_cmpstr (policy, ==, "deny");
    g_clear_pointer (&policy, g_free);
    g_assert_true (g_variant_lookup (dictionary, "read_file", "s", &policy));
    g_assert_cmpstr (policy, ==, "auto");
  }
  adw_combo_row_set_selected (shell, 0);
  {
    g_autoptr(GVariant) dictionary = g_settings_get_value (settings, "tool-policy");

    g_assert_false (g_variant_lookup (dictionary, "shell", "&s", &value));
  }
  /* Another process (or reins-cli's user) changes the key: the row follows. */
  g_settings_set_value (settings, "tool-policy", g_variant_new_parsed ("{'shell': 'ask'}"));
  g_assert_cmpuint (adw_combo_row_get_selected (shell), ==, 2);
  g_assert_cmpuint (adw_combo_row_get_selected (read_file), ==, 0);
  adw_combo_row_set_selected (provider, 3);
  {
    g_autofree char *name = g_settings_get_string (settings, "default-provider");
    g_assert_cmpstr (name, ==, "ollama");
  }

  /* Key → widget. */
  g_settings_set_double (settings, "budget-usd", 2.5);
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (budget), 2.5, 1e-9);
  g_settings_set_strv (settings, "disabled-guards", NULL);
  g_assert_true (gtk_switch_get_active (confidence_switch));
  g_settings_set_string (settings, "default-provider", "anthropic");
  g_assert_cmpuint (adw_combo_row_get_selected (provider), ==, 2);

  close_preferences (window);
  g_settings_reset (settings, "max-steps");
  g_settings_reset (settings, "budget-usd");
  g_settings_reset (settings, "tool-policy");
  g_settings_reset (settings, "default-provider");
}

typedef struct
{
  GtkWidget  *window;
  const char *name;
} Status;

static gboolean
mcp_started (gpointer data)
{
  Status *status = data;
  const char *line = reins_preferences_window_get_mcp_status (REINS_PREFERENCES_WINDOW (status->window),
                                                              status->name);

  return line != NULL && !g_str_has_suffix (line, "…");
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* MCP servers live in one key; Start says how many tools one offers, or why it did not start. */
static void
test_mcp_servers (void)
{
  const char *fake = g_getenv ("REINS_FAKE_MCP_SERVER");
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *command = NULL;
  GtkWidget *window;
  GtkWidget *start;
  Status status;

  if (fake == NULL)
    {
      g_test_skip ("REINS_FAKE_MCP_SERVER is not set");
      return;
    }
  window = open_preferences (&settings);
  command = g_strdup_printf ("%s normal", fake);
  g_settings_set_value (settings, "mcp-servers",
                        g_variant_new_parsed ("[(%s, %s, true), ('broken', '/nonexistent/x', false)]",
                                              "fake", command));
  start = find_button (window, "_Start");
  g_assert_nonnull (start);
  g_signal_emit_by_name (start, "clicked");
  status.window = window;
  status.name = "fake";
  wait_until (mcp_started, &status, "the MCP server to start");
  g_assert_cmpstr (reins_preferences_window_get_mcp_status (REINS_PREFERENCES_WINDOW (window), "fake"),
                   ==, "Started: 12 tools");

  g_settings_reset (settings, "mcp-servers");
  close_preferences (window);
}

/* The row titled @title, or NULL. */
static GtkWidget *
find_row (GtkWidget  *widget,
          const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static char *
servers_text (GSettings *settings)
{
  g_autoptr(GVariant) servers = g_settings_get_value (settings, "mcp-servers");

  return g_variant_print (servers, FALSE);
}

/* A server's switch is its flag in the one key, the others untouched; Remove and Add are
 * actions; an incomplete new server is not added. */
static void
test_mcp_rows (void)
{
  g_autoptr(GSettings) settings = NULL;
  GtkWidget *window = open_preferences (&settings);
  GtkSwitch *files, *web;
  GtkWidget *name_row, *command_row, *empty_row;
  g_autofree char *text = NULL;

  /* No server yet: the group says so, and how to add one (issue 13). */
  empty_row = find_row (window, "No Servers");
  g_assert_nonnull (empty_row);
  g_assert_true (gtk_widget_get_visible (empty_row));

  g_settings_set_value (settings, "mcp-servers",
                        g_variant_new_parsed ("[('files', 'mcp-files /tmp', true), "
                                              "('web', 'https://example.com/mcp', false)]"));
  g_assert_false (gtk_widget_get_visible (empty_row));
  files = GTK_SWITCH (find_named (find_row (window, "files"), GTK_TYPE_SWITCH, NULL));
  web = GTK_SWITCH (find_named (find_row (window, "web"), GTK_TYPE_SWITCH, NULL));
  g_assert_nonnull (files);
  g_assert_nonnull (web);
  g_assert_true (gtk_switch_get_active (files));
  g_assert_false (gtk_switch_get_active (web));

  /* Widget → key, one flag only. */
  gtk_switch_set_active (web, TRUE);
  text = servers_text (settings);
  g_assert_cmpstr (text, ==, "[('files', 'mcp-files /tmp', true), "
                             "('web', 'https://example.com/mcp', true)]");
  g_clear_pointer (&text, g_free);
  /* Key → widget, the rows kept (same names and commands). */
  g_settings_set_value (settings, "mcp-servers",
                        g_variant_new_parsed ("[('files', 'mcp-files /tmp', false), "
                                              "('web', 'https://example.com/mcp', true)]"));
  g_assert_true (find_named (find_row (window, "files"), GTK_TYPE_SWITCH, NULL) ==
                 GTK_WIDGET (files));
  g_assert_false (gtk_switch_get_active (files));
  g_assert_true (gtk_switch_get_active (web));

  /* Remove: the server goes, and its row. */
  g_assert_true (gtk_widget_activate_action (window, "prefs.mcp-remove", "s", "files"));
  text = servers_text (settings);
  g_assert_cmpstr (text, ==, "[('web', 'https://example.com/mcp', true)]");
  g_clear_pointer (&text, g_free);
  g_assert_null (find_row (window, "files"));

  /* Add: needs both a name and a command. */
  name_row = find_row (window, "Name");
  command_row = find_row (window, "Command or URL");
  g_assert_nonnull (name_row);
  g_assert_nonnull (command_row);
  gtk_editable_set_text (GTK_EDITABLE (name_row), "half");
  g_assert_true (gtk_widget_activate_action (window, "prefs.mcp-add", NULL));
  text = servers_text (settings);
  g_assert_cmpstr (text, ==, "[('web', 'https://example.com/mcp', true)]");
  g_clear_pointer (&text, g_free);
  gtk_editable_set_text (GTK_EDITABLE (name_row), " db ");
  gtk_editable_set_text (GTK_EDITABLE (command_row), "mcp-db");
  g_assert_true (gtk_widget_activate_action (window, "prefs.mcp-add", NULL));
  text = servers_text (settings);
  g_assert_cmpstr (text, ==, "[('web', 'https://example.com/mcp', true), ('db', 'mcp-db', true)]");
  g_assert_nonnull (find_row (window, "db"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "");

  g_assert_false (gtk_widget_get_visible (empty_row));

  g_settings_reset (settings, "mcp-servers");
  g_assert_null (find_row (window, "db"));
  g_assert_true (gtk_widget_get_visible (empty_row));
  close_preferences (window);
}

static char *
client_ids_text (GSettings *settings)
{
  g_autoptr(GVariant) ids = g_settings_get_value (settings, "mcp-client-ids");

  return g_variant_print (ids, FALSE);
}

/* A server over HTTP has an entry for a pre-registered OAuth client id, its member of
 * "mcp-client-ids"; a stdio server has none. */
static void
test_mcp_client_ids (void)
{
  g_autoptr(GSettings) settings = NULL;
  GtkWidget *window = open_preferences (&settings);
  GtkWidget *entry;
  g_autofree char *text = NULL;

  g_settings_set_value (settings, "mcp-servers",
                        g_variant_new_parsed ("[('files', 'mcp-files /tmp', true), "
                                              "('web', 'https://example.com/mcp', true)]"));
  g_settings_set_value (settings, "mcp-client-ids",
                        g_variant_new_parsed ("{'other': 'kept'}"));
  g_assert_null (find_named (find_row (window, "files"), GTK_TYPE_ENTRY, NULL));
  entry = find_named (find_row (window, "web"), GTK_TYPE_ENTRY, NULL);
  g_assert_nonnull (entry);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");

  /* Widget → key, the other members kept; emptied, the member goes. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "reins-desktop");
  text = client_ids_text (settings);
  g_assert_cmpstr (text, ==, "{'other': 'kept', 'web': 'reins-desktop'}");
  g_clear_pointer (&text, g_free);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  text = client_ids_text (settings);
  g_assert_cmpstr (text, ==, "{'other': 'kept'}");
  g_clear_pointer (&text, g_free);

  /* Key → widget. */
  g_settings_set_value (settings, "mcp-client-ids",
                        g_variant_new_parsed ("{'web': 'from-key'}"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "from-key");

  g_settings_reset (settings, "mcp-client-ids");
  g_settings_reset (settings, "mcp-servers");
  close_preferences (window);
}

/* The tool rows are the registry's built-ins, `finish` aside. */
static void
test_tool_rows (void)
{
  g_autoptr(GSettings) settings = NULL;
  GtkWidget *window = open_preferences (&settings);
  const char * const *tools = reins_tool_registry_get_builtin_names ();

  g_assert_true (g_strv_contains (tools, "finish"));
  g_assert_true (g_strv_contains (tools, "shell"));
  for (guint i = 0; tools[i] != NULL; i++)
    {
      GtkWidget *row = find_named (window, ADW_TYPE_COMBO_ROW, tools[i]);

      if (g_str_equal (tools[i], "finish"))
        g_assert_null (row);
      else
        g_assert_nonnull (row);
    }
  close_preferences (window);
}

/* --- keys --------------------------------------------------------------------------------- */

static GPid keyring_pid;
static char *keyring_dir;

/* Whether the keyring takes a key (its login collection may still be being made). */
static gboolean
keyring_writable (void)
{
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  do
    {
      g_clear_error (&error);
      if (reins_secrets_store_key ("reins-probe", "probe", NULL, &error))
        {
          reins_secrets_clear_key ("reins-probe", NULL, NULL);
          return TRUE;
        }
      g_usleep (100000);
    }
  while (g_get_monotonic_time () < deadline);
  g_test_message ("The keyring refuses keys: %s", error->message);
  return FALSE;
}

static gboolean
secret_service_running (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  if (bus != NULL)
    reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                         "org.freedesktop.DBus", "NameHasOwner",
                                         g_variant_new ("(s)", "org.freedesktop.secrets"),
                                         G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 2000,
                                         NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* Starts gnome-keyring-daemon on this D-Bus session (unlocked, a throwaway password, a keyring
 * folder of its own). */
static gboolean
start_keyring (void)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "gnome-keyring-daemon", "--unlock", "--foreground",
                         "--components=secrets", NULL };
  g_auto(GStrv) envp = NULL;
  int in_fd = -1;
  gint64 deadline;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    return FALSE;
  /* A daemon that runs already is used as it is; one D-Bus would only activate lacks the
   * unlocked login keyring, so this test starts its own. */
  if (secret_service_running ())
    return keyring_writable ();
  keyring_dir = g_dir_make_tmp ("reins-keyring-XXXXXX", NULL);
  envp = g_environ_setenv (g_get_environ (), "XDG_DATA_HOME", keyring_dir, TRUE);
  envp = g_environ_setenv (envp, "XDG_RUNTIME_DIR", keyring_dir, TRUE);
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, envp,
                                 G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                                 G_SPAWN_STDERR_TO_DEV_NULL | G_SPAWN_DO_NOT_REAP_CHILD,
                                 NULL, NULL, &keyring_pid, &in_fd, NULL, NULL, &error))
    {
      g_test_message ("gnome-keyring-daemon: %s", error->message);
      return FALSE;
    }
  /* The password on stdin, then its end; an empty one would make no login keyring. */
  if (write (in_fd, "reins-test", 10) < 0)
    g_test_message ("could not give the keyring its password");
  close (in_fd);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!secret_service_running () && g_get_monotonic_time () < deadline)
    g_usleep (50000);
  return secret_service_running () && keyring_writable ();
}

static gboolean
key_saved (gpointer data)
{
  return reins_preferences_window_get_key_status (data, "openai") != NULL;
}

static gboolean
settings_hold (GSettings  *settings,
               const char *text)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *printed = g_variant_print (value, FALSE);

      if (strstr (printed, text) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_keyring (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;
  const char *source = NULL;
  GtkWidget *window;

  if (!start_keyring ())
    {
      g_test_skip ("No secret service on this D-Bus session (gnome-keyring-daemon did not "
                   "start): the keyring is not tested; the environment fallback is");
      return;
    }

  window = open_preferences (&settings);
  reins_preferences_window_save_key (REINS_PREFERENCES_WINDOW (window), "openai",
                                     "sk-test-keyring-4242");
  wait_until (key_saved, window, "the key to be saved");
  g_assert_cmpstr (reins_preferences_window_get_key_status (REINS_PREFERENCES_WINDOW (window),
                                                            "openai"),
                   ==, "The key is saved in the keyring.");
  stored = reins_secrets_lookup_key ("openai", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, "sk-test-keyring-4242");
  g_assert_false (settings_hold (settings, "sk-test-keyring"));

  /* The keyring wins over the environment. */
  g_setenv ("OPENAI_API_KEY", "sk-from-env", TRUE);
  key = reins_secrets_get_api_key ("openai", &source);
  g_assert_cmpstr (key, ==, "sk-test-keyring-4242");
  g_assert_cmpstr (source, ==, "keyring");
  g_unsetenv ("OPENAI_API_KEY");

  g_assert_true (reins_secrets_clear_key ("openai", NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&stored, g_free);
  stored = reins_secrets_lookup_key ("openai", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (stored);

  /* An MCP server's OAuth tokens: kept by the server's URL, apart from the API keys, and
   * nothing kept where no keyring answers. */
  {
    const char *url = "https://mcp.example.org/mcp";
    g_autofree char *state = NULL;
    g_autofree char *other = NULL;
    g_autofree char *without = NULL;

    reins_secrets_store_mcp_state (url, "{\"access_token\":\"at-1\"}", NULL);
    state = reins_secrets_lookup_mcp_state (url, NULL);
    g_assert_cmpstr (state, ==, "{\"access_token\":\"at-1\"}");
    other = reins_secrets_lookup_mcp_state ("https://mcp.example.org/other", NULL);
    g_assert_null (other);
    g_setenv ("REINS_NO_KEYRING", "1", TRUE);
    without = reins_secrets_lookup_mcp_state (url, NULL);
    g_assert_null (without);
    g_unsetenv ("REINS_NO_KEYRING");
    reins_secrets_store_mcp_state (url, NULL, NULL);
    g_clear_pointer (&state, g_free);
    state = reins_secrets_lookup_mcp_state (url, NULL);
    g_assert_null (state);
  }

  close_preferences (window);
}

/* Where no keyring answers, keys come from the environment. */
static void
test_environment_fallback (void)
{
  g_autofree char *key = NULL;
  g_autofree char *none = NULL;
  const char *source = NULL;

  g_setenv ("REINS_NO_KEYRING", "1", TRUE);
  g_setenv ("ANTHROPIC_API_KEY", "sk-ant-env", TRUE);
  g_assert_false (reins_secrets_available ());
  key = reins_secrets_get_api_key ("anthropic", &source);
  g_assert_cmpstr (key, ==, "sk-ant-env");
  g_assert_cmpstr (source, ==, "environment");
  none = reins_secrets_get_api_key ("ollama", &source);
  g_assert_null (none);
  g_assert_null (source);
  g_unsetenv ("ANTHROPIC_API_KEY");
  g_unsetenv ("REINS_NO_KEYRING");
}

/* The one rule every caller shares: the keyring's key, else the environment's; empty is none. */
static void
test_choose_key (void)
{
  g_autofree char *keyring = NULL;
  g_autofree char *env = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *none = NULL;
  const char *source = NULL;

  g_setenv ("REINS_TEST_KEY", "sk-env", TRUE);
  keyring = reins_secrets_choose_key ("sk-ring", "REINS_TEST_KEY", &source);
  g_assert_cmpstr (keyring, ==, "sk-ring");
  g_assert_cmpstr (source, ==, "keyring");
  env = reins_secrets_choose_key ("", "REINS_TEST_KEY", &source);
  g_assert_cmpstr (env, ==, "sk-env");
  g_assert_cmpstr (source, ==, "environment");
  g_setenv ("REINS_TEST_KEY", "", TRUE);
  empty = reins_secrets_choose_key (NULL, "REINS_TEST_KEY", &source);
  g_assert_null (empty);
  g_assert_null (source);
  none = reins_secrets_choose_key (NULL, NULL, NULL);
  g_assert_null (none);
  g_unsetenv ("REINS_TEST_KEY");
}

/* --- test connection ------------------------------------------------------------------------ */

static void
models_handler (const char     *path,
                const char     *body,
                guint           index,
                ReinsTestReply *reply,
                gpointer        user_data)
{
  const char *mode = user_data;

  reins_test_reply_add_header (reply, "Content-Type", "application/json");
  if (g_str_equal (mode, "unauthorized"))
    {
      reins_test_reply_set_status (reply, 401);
      reins_test_reply_add (reply, 0, "{\"error\":{\"message\":\"Incorrect API key provided\","
                                      "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}", -1);
    }
  else if (g_str_equal (mode, "garbage"))
    reins_test_reply_add (reply, 0, "<html>not json</html>", -1);
  else if (g_str_equal (path, "/v1/models") || g_str_equal (path, "/models"))
    reins_test_reply_add (reply, 0, "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-b\",\"object\":\"model\"},"
                                    "{\"id\":\"gpt-a\",\"object\":\"model\"}],\"has_more\":false}", -1);
  else if (g_str_equal (path, "/api/tags"))
    reins_test_reply_add (reply, 0, "{\"models\":[{\"name\":\"llama3.2:latest\",\"size\":1}]}", -1);
  else
    reins_test_reply_set_status (reply, 404);
}

static void
test_connection_wire (void)
{
  g_autoptr(ReinsTestServer) ok = reins_test_server_new (models_handler, (gpointer) "ok");
  g_autoptr(ReinsTestServer) refused = reins_test_server_new (models_handler,
                                                              (gpointer) "unauthorized");
  g_autoptr(ReinsTestServer) garbage = reins_test_server_new (models_handler, (gpointer) "garbage");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *header = NULL;
  g_autofree char *path = NULL;

  /* OpenAI: GET {base}/models with a bearer key; names sorted. */
  names = reins_connection_test_sync ("openai", reins_test_server_get_url (ok), "sk-1", NULL,
                                      &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpstr (names[0], ==, "gpt-a");
  header = reins_test_server_dup_header (ok, "Authorization");
  g_assert_cmpstr (header, ==, "Bearer sk-1");
  g_clear_pointer (&names, g_strfreev);

  /* Anthropic: GET {base}/v1/models with x-api-key and the version header. */
  names = reins_connection_test_sync ("anthropic", reins_test_server_get_url (ok), "sk-ant", NULL,
                                      &error);
  g_assert_no_error (error);
  path = reins_test_server_dup_path (ok);
  g_assert_cmpstr (path, ==, "/v1/models");
  g_clear_pointer (&header, g_free);
  header = reins_test_server_dup_header (ok, "x-api-key");
  g_assert_cmpstr (header, ==, "sk-ant");
  g_clear_pointer (&header, g_free);
  header = reins_test_server_dup_header (ok, "anthropic-version");
  g_assert_cmpstr (header, ==, "2023-06-01");
  g_clear_pointer (&names, g_strfreev);

  /* A base that ends in /v1 is not given a second one. */
  {
    g_autofree char *v1 = g_strconcat (reins_test_server_get_url (ok), "/v1/", NULL);

    names = reins_connection_test_sync ("anthropic", v1, "sk-ant", NULL, &error);
    g_assert_no_error (error);
    g_clear_pointer (&path, g_free);
    path = reins_test_server_dup_path (ok);
    g_assert_cmpstr (path, ==, "/v1/models");
    g_clear_pointer (&names, g_strfreev);
  }

  /* Ollama: GET {base}/api/tags, no key. */
  names = reins_connection_test_sync ("ollama", reins_test_server_get_url (ok), NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (names[0], ==, "llama3.2:latest");
  g_clear_pointer (&names, g_strfreev);

  /* Why not, clearly. */
  names = reins_connection_test_sync ("openai", reins_test_server_get_url (refused), "sk-bad",
                                      NULL, &error);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_AUTH);
  g_assert_nonnull (strstr (error->message, "Incorrect API key provided"));
  g_assert_null (strstr (error->message, "sk-bad"));
  g_clear_error (&error);

  names = reins_connection_test_sync ("openai", reins_test_server_get_url (ok), NULL, NULL, &error);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_AUTH);
  g_assert_nonnull (strstr (error->message, "OPENAI_API_KEY"));
  g_clear_error (&error);

  names = reins_connection_test_sync ("ollama", reins_test_server_get_url (garbage), NULL, NULL,
                                      &error);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_PROVIDER);
  g_clear_error (&error);

  names = reins_connection_test_sync ("ollama", "http://127.0.0.1:1", NULL, NULL, &error);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_UNREACHABLE);
  g_clear_error (&error);

  names = reins_connection_test_sync ("sim", NULL, NULL, NULL, &error);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
}

static gboolean
tested (gpointer data)
{
  return reins_preferences_window_get_test_status (data, "ollama") != NULL;
}

/* The button's path: the base URL from the settings, the answer in the row. */
static void
test_connection_button (void)
{
  g_autoptr(ReinsTestServer) ok = reins_test_server_new (models_handler, (gpointer) "ok");
  g_autoptr(GSettings) settings = NULL;
  GtkWidget *window = open_preferences (&settings);
  const char *status;

  g_settings_set_string (settings, "ollama-base-url", reins_test_server_get_url (ok));
  reins_preferences_window_test_connection (REINS_PREFERENCES_WINDOW (window), "ollama");
  wait_until (tested, window, "the connection test");
  status = reins_preferences_window_get_test_status (REINS_PREFERENCES_WINDOW (window), "ollama");
  g_assert_cmpstr (status, ==, "Connected: 1 model — llama3.2:latest");

  g_settings_reset (settings, "ollama-base-url");
  close_preferences (window);
}

/* Runs reins-cli with preferences in a keyfile; returns the settings of its run_started. */
static JsonObject *
cli_settings (const char *config_dir,
              const char *db,
              const char *extra)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) cli = NULL;
  g_autofree char *out = NULL;
  g_autofree char *db_arg = g_strdup_printf ("--db=%s", db);
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *event;

  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config_dir, TRUE);
  cli = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("REINS_CLI"), "run", "--json",
                                     "--approve=yes", db_arg, extra ? extra : "--seed=1",
                                     "What is 2 + 2?", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (cli, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (out, "\n", 2);
  json_parser_load_from_data (parser, lines[0], -1, &error);
  g_assert_no_error (error);
  event = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (event, "event"), ==, "run_started");
  return json_object_ref (json_object_get_object_member (event, "settings"));
}

/* reins-cli takes what its options leave out from the same settings. */
static void
test_cli_reads_settings (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *settings_dir = NULL;
  g_autofree char *keyfile = NULL;
  g_autofree char *db = NULL;
  g_autoptr(JsonObject) settings = NULL;
  g_autoptr(JsonObject) overridden = NULL;
  g_autofree char *cmd = NULL;

  if (g_getenv ("REINS_CLI") == NULL)
    {
      g_test_skip ("REINS_CLI is not set");
      return;
    }
  dir = g_dir_make_tmp ("reins-cli-settings-XXXXXX", NULL);
  settings_dir = g_build_filename (dir, "glib-2.0", "settings", NULL);
  g_mkdir_with_parents (settings_dir, 0700);
  keyfile = g_build_filename (settings_dir, "keyfile", NULL);
  g_assert_true (g_file_set_contents (keyfile,
                                      "[io/github/reins/Reins]\n"
                                      "max-steps=uint32 7\n"
                                      "budget-usd=0.25\n"
                                      "confidence-threshold=0.55\n"
                                      "tool-policy={'read_file': 'auto'}\n", -1, NULL));
  db = g_build_filename (dir, "runs.db", NULL);

  settings = cli_settings (dir, db, NULL);
  g_assert_cmpint (json_object_get_int_member (settings, "max_steps"), ==, 7);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (settings, "budget_usd"), 0.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (settings, "confidence_threshold"),
                                  0.55, 1e-9);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (settings,
                                                                                  "tool_policy"),
                                                  "read_file"), ==, "auto");

  /* An option wins. */
  overridden = cli_settings (dir, db, "--max-steps=4");
  g_assert_cmpint (json_object_get_int_member (overridden, "max_steps"), ==, 4);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (overridden, "budget_usd"), 0.25,
                                  1e-9);

  cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_cmpint (system (cmd), ==, 0);
}

/* The schema's defaults are the run settings' defaults (a schema cannot include a header). */
static void
test_schema_defaults (void)
{
  g_autoptr(GSettingsSchema) schema =
    g_settings_schema_source_lookup (g_settings_schema_source_get_default (), APPLICATION_ID,
                                     TRUE);
  static const struct {
    const char *key;
    double      value;
  } defaults[] = {
    { "max-steps", REINS_RUN_SETTINGS_DEFAULT_MAX_STEPS },
    { "budget-usd", REINS_RUN_SETTINGS_DEFAULT_BUDGET_USD },
    { "confidence-threshold", REINS_RUN_SETTINGS_DEFAULT_CONFIDENCE_THRESHOLD },
    { "loop-threshold", REINS_RUN_SETTINGS_DEFAULT_LOOP_THRESHOLD },
    { "goal-every", REINS_RUN_SETTINGS_DEFAULT_GOAL_EVERY },
    { "tool-timeout", REINS_RUN_SETTINGS_DEFAULT_TOOL_TIMEOUT_S },
  };

  g_assert_nonnull (schema);
  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    {
      g_autoptr(GSettingsSchemaKey) key = g_settings_schema_get_key (schema, defaults[i].key);
      g_autoptr(GVariant) value = g_settings_schema_key_get_default_value (key);
      double number = g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE)
                      ? g_variant_get_double (value) : g_variant_get_uint32 (value);

      g_test_message ("%s", defaults[i].key);
      g_assert_cmpfloat_with_epsilon (number, defaults[i].value, 1e-9);
    }
  {
    g_autoptr(GSettingsSchemaKey) key = g_settings_schema_get_key (schema, "default-mode");
    g_autoptr(GVariant) value = g_settings_schema_key_get_default_value (key);

    g_assert_cmpstr (g_variant_get_string (value, NULL), ==, REINS_RUN_SETTINGS_DEFAULT_MODE);
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/reins/gui/preferences/round-trip", test_round_trip);
  g_test_add_func ("/reins/gui/preferences/schema-defaults", test_schema_defaults);
  g_test_add_func ("/reins/gui/preferences/mcp-servers", test_mcp_servers);
  g_test_add_func ("/reins/gui/preferences/mcp-rows", test_mcp_rows);
  g_test_add_func ("/reins/gui/preferences/mcp-client-ids", test_mcp_client_ids);
  g_test_add_func ("/reins/gui/preferences/tool-rows", test_tool_rows);
  g_test_add_func ("/reins/gui/preferences/keyring", test_keyring);
  g_test_add_func ("/reins/gui/preferences/environment-fallback", test_environment_fallback);
  g_test_add_func ("/reins/gui/preferences/choose-key", test_choose_key);
  g_test_add_func ("/reins/gui/preferences/connection-wire", test_connection_wire);
  g_test_add_func ("/reins/gui/preferences/connection-button", test_connection_button);
  g_test_add_func ("/reins/gui/preferences/cli-reads-settings", test_cli_reads_settings);

  status = g_test_run ();
  /* libsecret's service object and what it still has queued go before the bus does. */
  secret_service_disconnect ();
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (keyring_pid != 0)
    {
      kill (keyring_pid, SIGTERM);
      g_spawn_close_pid (keyring_pid);
    }
  if (keyring_dir != NULL)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", keyring_dir);
      if (system (cmd) != 0)
        g_printerr ("could not remove %s\n", keyring_dir);
      g_free (keyring_dir);
    }
  return status;
}
