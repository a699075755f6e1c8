/* reins-preferences-mcp.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The MCP servers of the preferences window: a row per server of "mcp-servers" (its switch
 * bound to its flag, a client id for a server over HTTP), made again when the list changes;
 * adding and removing servers; and Start, which starts a server once on a worker thread to
 * count its tools.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-mcp-client.h"
#include "reins-preferences-window-private.h"

/* --- the keys: a server's flag in "mcp-servers", its client id -------------------- */

/* "mcp-servers": a server's switch is its enabled flag. */
static gboolean
mcp_enabled_get_mapping (GValue   *value,
                         GVariant *variant,
                         gpointer  user_data)
{
  MemberBinding *binding = user_data;
  GVariantIter iter;
  const char *name, *command;
  gboolean enabled;

  /* A server that is gone reads as off: its row is about to go too. (A mapping that fails
   * on the schema's default would abort.) */
  g_value_set_boolean (value, FALSE);
  g_variant_iter_init (&iter, variant);
  while (g_variant_iter_next (&iter, "(&s&sb)", &name, &command, &enabled))
    if (g_str_equal (name, binding->member))
      g_value_set_boolean (value, enabled);
  return TRUE;
}

static GVariant *
mcp_servers_with (GSettings  *settings,
                  const char *server,
                  const char *command,
                  gboolean    enabled,
                  gboolean    remove)
{
  g_autoptr(GVariant) current = g_settings_get_value (settings, "mcp-servers");
  GVariantBuilder builder;
  GVariantIter iter;
  const char *n, *c;
  gboolean e, found = FALSE;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ssb)"));
  g_variant_iter_init (&iter, current);
  while (g_variant_iter_next (&iter, "(&s&sb)", &n, &c, &e))
    {
      if (!g_str_equal (n, server))
        g_variant_builder_add (&builder, "(ssb)", n, c, e);
      else if (!remove)
        g_variant_builder_add (&builder, "(ssb)", n, command != NULL ? command : c, enabled);
      found |= g_str_equal (n, server);
    }
  if (!found && !remove && command != NULL)
    g_variant_builder_add (&builder, "(ssb)", server, command, enabled);
  return g_variant_builder_end (&builder);
}

static GVariant *
mcp_enabled_set_mapping (const GValue       *value,
                         const GVariantType *expected_type,
                         gpointer            user_data)
{
  MemberBinding *binding = user_data;

  return mcp_servers_with (binding->settings, binding->member, NULL, g_value_get_boolean (value),
                           FALSE);
}

/* --- starting a server --------------------------------------------------------------- */

typedef struct
{
  char *name;
  char *command;
} McpStart;

static void
mcp_start_free (gpointer data)
{
  McpStart *start = data;

  g_free (start->name);
  g_free (start->command);
  g_free (start);
}

static void
mcp_start_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  McpStart *start = task_data;
  g_autoptr(ReinsMcpClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tools = NULL;
  g_autoptr(GString) status = g_string_new (NULL);

  client = reins_mcp_client_new (start->name, start->command, &error);
  if (client == NULL || !reins_mcp_client_start (client, cancellable, &error))
    {
      /* Translators: starting an MCP server failed; the placeholder says why */
      g_task_return_pointer (task, g_strdup_printf (_("Did not start: %s"), error->message),
                             g_free);
      return;
    }
  tools = reins_mcp_client_get_tools (client);
  /* Translators: an MCP server started; the placeholder is how many tools it offers */
  g_string_printf (status, g_dngettext (GETTEXT_PACKAGE, "Started: %u tool", "Started: %u tools",
                                        tools ? tools->len : 0), tools ? tools->len : 0);
  reins_mcp_client_stop (client);
  g_task_return_pointer (task, g_string_free (g_steal_pointer (&status), FALSE), g_free);
}

/* A server's row says its command, and how starting it went. */
static void
mcp_row_update (ReinsPreferencesWindow *self,
                const char             *name,
                const char             *command)
{
  AdwActionRow *row = g_hash_table_lookup (self->mcp_rows, name);
  const char *status = g_hash_table_lookup (self->mcp_status, name);
  g_autofree char *subtitle = NULL;

  if (row == NULL)
    return;
  subtitle = status != NULL ? g_strdup_printf ("%s\n%s", command, status) : g_strdup (command);
  adw_action_row_set_subtitle (row, subtitle);
}

static void
mcp_started_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ReinsPreferencesWindow *self = REINS_PREFERENCES_WINDOW (object);
  McpStart *start = g_task_get_task_data (G_TASK (result));
  g_autofree char *status = g_task_propagate_pointer (G_TASK (result), NULL);

  if (status == NULL)
    return;
  g_hash_table_insert (self->mcp_status, g_strdup (start->name), g_steal_pointer (&status));
  mcp_row_update (self, start->name, start->command);
}

/* The command of the server called @name, or NULL. */
static char *
mcp_command_of (ReinsPreferencesWindow *self,
                const char             *name)
{
  g_autoptr(GVariant) servers = g_settings_get_value (self->settings, "mcp-servers");
  GVariantIter iter;
  const char *n, *command;
  gboolean enabled;

  g_variant_iter_init (&iter, servers);
  while (g_variant_iter_next (&iter, "(&s&sb)", &n, &command, &enabled))
    if (g_str_equal (n, name))
      return g_strdup (command);
  return NULL;
}

/* prefs.mcp-start(name): starts the server once, off the main thread, to count its tools. */
static void
mcp_start_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  ReinsPreferencesWindow *self = REINS_PREFERENCES_WINDOW (widget);
  g_autoptr(GTask) task = NULL;
  McpStart *start;
  char *command = mcp_command_of (self, g_variant_get_string (param, NULL));

  if (command == NULL)
    return;
  start = g_new0 (McpStart, 1);
  start->name = g_variant_dup_string (param, NULL);
  start->command = command;
  g_hash_table_insert (self->mcp_status, g_strdup (start->name), g_strdup (_("Starting…")));
  task = g_task_new (self, self->cancellable, mcp_started_cb, NULL);
  g_task_set_task_data (task, start, mcp_start_free);
  g_task_set_name (task, "[reins] start MCP server");
  g_task_run_in_thread (task, mcp_start_thread);
}

const char *
reins_preferences_window_get_mcp_status (ReinsPreferencesWindow *self,
                                         const char             *name)
{
  g_return_val_if_fail (REINS_IS_PREFERENCES_WINDOW (self), NULL);

  return g_hash_table_lookup (self->mcp_status, name);
}

/* prefs.mcp-remove(name) */
static void
mcp_remove_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  ReinsPreferencesWindow *self = REINS_PREFERENCES_WINDOW (widget);

  g_settings_set_value (self->settings, "mcp-servers",
                        mcp_servers_with (self->settings, g_variant_get_string (param, NULL),
                                          NULL, FALSE, TRUE));
}

/* prefs.mcp-add: the server of the New Server rows, enabled. */
static void
mcp_add_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  ReinsPreferencesWindow *self = REINS_PREFERENCES_WINDOW (widget);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (
                                        GTK_EDITABLE (self->mcp_name_row))));
  g_autofree char *command = g_strstrip (g_strdup (gtk_editable_get_text (
                                           GTK_EDITABLE (self->mcp_command_row))));

  if (name[0] == '\0' || command[0] == '\0')
    return;
  g_settings_set_value (self->settings, "mcp-servers",
                        mcp_servers_with (self->settings, name, command, TRUE, FALSE));
  gtk_editable_set_text (GTK_EDITABLE (self->mcp_name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->mcp_command_row), "");
}

/* "mcp-client-ids": a server's entry is its client id; empty, it has none. */
static gboolean
mcp_client_get_mapping (GValue   *value,
                        GVariant *variant,
                        gpointer  user_data)
{
  MemberBinding *binding = user_data;
  const char *id = NULL;

  g_variant_lookup (variant, binding->member, "&s", &id);
  g_value_set_string (value, id != NULL ? id : "");
  return TRUE;
}

static GVariant *
mcp_client_set_mapping (const GValue       *value,
                        const GVariantType *expected_type,
                        gpointer            user_data)
{
  MemberBinding *binding = user_data;
  g_autoptr(GVariant) current = g_settings_get_value (binding->settings, binding->key);
  const char *id = g_value_get_string (value);
  GVariantBuilder builder;
  GVariantIter iter;
  const char *name, *other;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, current);
  while (g_variant_iter_next (&iter, "{&s&s}", &name, &other))
    if (!g_str_equal (name, binding->member))
      g_variant_builder_add (&builder, "{ss}", name, other);
  /* Not stripped here, which would fight the person typing; the client strips it. */
  if (id != NULL && id[0] != '\0')
    g_variant_builder_add (&builder, "{ss}", binding->member, id);
  return g_variant_builder_end (&builder);
}

static GtkWidget *
mcp_row_new (ReinsPreferencesWindow *self,
             const char             *name,
             const char             *command)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();
  GtkWidget *start = gtk_button_new_with_mnemonic (_("_Start"));
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);

  gtk_widget_set_valign (start, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (start, _("Start the server once to see its tools"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (start), "prefs.mcp-start");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (start), "s", name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), start);

  /* A server over HTTP may need a client registered by hand with its authorization
   * server. */
  if (g_str_has_prefix (command, "http://") || g_str_has_prefix (command, "https://"))
    {
      GtkWidget *client = gtk_entry_new ();

      gtk_widget_set_valign (client, GTK_ALIGN_CENTER);
      gtk_editable_set_width_chars (GTK_EDITABLE (client), 12);
      gtk_entry_set_placeholder_text (GTK_ENTRY (client), _("Client ID"));
      gtk_widget_set_tooltip_text (client, _("The OAuth client id registered for Reins with "
                                             "the server’s authorization server; empty: Reins "
                                             "registers itself"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (client), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Client ID"), -1);
      reins_preferences_window_bind_member (self->settings, "mcp-client-ids",
                                            name, client, "text",
                                            mcp_client_get_mapping, mcp_client_set_mapping);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), client);
    }

  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (toggle, _("Start it with new runs"));
  reins_preferences_window_bind_member (self->settings, "mcp-servers",
                                        name, toggle, "active",
                                        mcp_enabled_get_mapping, mcp_enabled_set_mapping);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "prefs.mcp-remove");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

  return row;
}

/* The rows follow the key: made again when a server is added, removed or its command
 * changes (the list is short); a switch follows its flag through its binding. */
void
reins_preferences_window_mcp_changed (ReinsPreferencesWindow *self)
{
  g_autoptr(GVariant) servers = g_settings_get_value (self->settings, "mcp-servers");
  g_autoptr(GString) shown = g_string_new (NULL);
  GHashTableIter rows;
  GtkWidget *row;
  GVariantIter iter;
  const char *name, *command;
  gboolean enabled;

  g_variant_iter_init (&iter, servers);
  while (g_variant_iter_next (&iter, "(&s&sb)", &name, &command, &enabled))
    g_string_append_printf (shown, "%s\n%s\n", name, command);
  /* The group's empty state. */
  gtk_widget_set_visible (self->mcp_empty_row, g_variant_n_children (servers) == 0);
  if (g_strcmp0 (shown->str, self->mcp_shown) == 0)
    return;
  g_free (self->mcp_shown);
  self->mcp_shown = g_string_free (g_steal_pointer (&shown), FALSE);

  g_hash_table_iter_init (&rows, self->mcp_rows);
  while (g_hash_table_iter_next (&rows, NULL, (gpointer *) &row))
    adw_preferences_group_remove (self->mcp_group, row);
  g_hash_table_remove_all (self->mcp_rows);

  g_variant_iter_init (&iter, servers);
  while (g_variant_iter_next (&iter, "(&s&sb)", &name, &command, &enabled))
    {
      row = mcp_row_new (self, name, command);
      g_hash_table_insert (self->mcp_rows, g_strdup (name), row);
      adw_preferences_group_add (self->mcp_group, row);
      mcp_row_update (self, name, command);
    }
}

void
reins_preferences_window_mcp_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "prefs.mcp-start", "s", mcp_start_action);
  gtk_widget_class_install_action (widget_class, "prefs.mcp-remove", "s", mcp_remove_action);
  gtk_widget_class_install_action (widget_class, "prefs.mcp-add", NULL, mcp_add_action);
}
