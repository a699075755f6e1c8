/* reins-preferences-window.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Preferences: providers and their keys, prices, limits and guards, tools, MCP servers.
 *
 * The rows are in ui/reins-preferences-window.ui; each is bound to a key of
 * io.github.reins.Reins with g_settings_bind, or with a mapping where one key holds a list or
 * a dictionary (a guard's switch is its absence from "disabled-guards", a tool's policy its
 * entry in "tool-policy", a server's switch its flag in "mcp-servers"), so the window never
 * copies values by hand and reins-cli reads the same keys. The rows that follow a list are
 * made here from where the list lives: providers from their descriptors, guards from the
 * harness, tools from the tool registry, servers from their key. API keys are the exception
 * to GSettings: they go to the system keyring (ReinsProviderGroup). Whatever waits on the
 * network, D-Bus or a process runs on a worker thread.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-harness.h"
#include "reins-mcp-client.h"
#include "reins-otlp-live.h"
#include "reins-preferences-window.h"
#include "reins-provider-group.h"
#include "reins-provider-info.h"
#include "reins-tool-registry.h"

struct _ReinsPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  AdwPreferencesPage   *providers_page;
  AdwComboRow          *default_provider_row;
  GtkSpinButton        *max_steps_spin;
  GtkSpinButton        *budget_spin;
  GtkSpinButton        *tool_timeout_spin;
  AdwExpanderRow       *price_override_row;
  GtkSpinButton        *price_in_spin;
  GtkSpinButton        *price_out_spin;
  GtkSpinButton        *confidence_spin;
  GtkSwitch            *ask_reads_switch;
  GtkSpinButton        *loop_spin;
  GtkSpinButton        *goal_every_spin;
  AdwPreferencesGroup  *guards_group;
  AdwPreferencesGroup  *tools_group;
  AdwPreferencesGroup  *mcp_group;
  AdwEntryRow          *mcp_name_row;
  AdwEntryRow          *mcp_command_row;

  /* Owned */
  GSettings            *settings;
  GCancellable         *cancellable;
  /* provider id → its ReinsProviderGroup (owned by the page) */
  GHashTable           *provider_groups;
  /* MCP server name → its AdwActionRow (owned by mcp_group) / its status after Start */
  GHashTable           *mcp_rows;
  GHashTable           *mcp_status;
  /* The servers' names and commands the rows were made for */
  char                 *mcp_shown;
};

G_DEFINE_FINAL_TYPE (ReinsPreferencesWindow, reins_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

/* The rows bound to a key as they are. */
static const struct {
  const char *key;
  const char *property;
  gsize       offset;
} plain_bindings[] = {
  { "max-steps", "value", G_STRUCT_OFFSET (ReinsPreferencesWindow, max_steps_spin) },
  { "budget-usd", "value", G_STRUCT_OFFSET (ReinsPreferencesWindow, budget_spin) },
  { "tool-timeout", "value", G_STRUCT_OFFSET (ReinsPreferencesWindow, tool_timeout_spin) },
  { "price-override", "enable-expansion",
    G_STRUCT_OFFSET (ReinsPreferencesWindow, price_override_row) },
  { "price-in-usd", "value", G_STRUCT_OFFSET (ReinsPreferencesWindow, price_in_spin) },
  { "price-out-usd", "value", G_STRUCT_OFFSET (ReinsPreferencesWindow, price_out_spin) },
  { "confidence-threshold", "value", G_STRUCT_OFFSET (ReinsPreferencesWindow, confidence_spin) },
  { "confidence-ask-reads", "active", G_STRUCT_OFFSET (ReinsPreferencesWindow, ask_reads_switch) },
  { "loop-threshold", "value", G_STRUCT_OFFSET (ReinsPreferencesWindow, loop_spin) },
  { "goal-every", "value", G_STRUCT_OFFSET (ReinsPreferencesWindow, goal_every_spin) },
};

/* The per-tool policies, in the order of the combo rows; "" is the harness default. */
static const char * const policies[] = { "", "auto", "ask", "deny", NULL };

/* --- one member of a key that holds a collection ------------------------------------ */

/* A row bound to one member of a list or dictionary key: its mapping reads that member, and
 * writes the key with only that member changed, so rows bound to the same key never write
 * over each other. */
typedef struct
{
  GSettings *settings;
  char      *key;
  char      *member;
} MemberBinding;

static void
member_binding_free (gpointer data)
{
  MemberBinding *binding = data;

  g_clear_object (&binding->settings);
  g_free (binding->key);
  g_free (binding->member);
  g_free (binding);
}

static void
bind_member (GSettings                *settings,
             const char               *key,
             const char               *member,
             gpointer                  widget,
             const char               *property,
             GSettingsBindGetMapping   get_mapping,
             GSettingsBindSetMapping   set_mapping)
{
  MemberBinding *binding = g_new0 (MemberBinding, 1);

  binding->settings = g_object_ref (settings);
  binding->key = g_strdup (key);
  binding->member = g_strdup (member);
  g_settings_bind_with_mapping (settings, key, widget, property, G_SETTINGS_BIND_DEFAULT,
                                get_mapping, set_mapping, binding, member_binding_free);
}

/* "disabled-guards": a guard's switch is on when the guard is not in the list. */
static gboolean
guard_get_mapping (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  MemberBinding *binding = user_data;
  g_autofree const char **disabled = g_variant_get_strv (variant, NULL);

  g_value_set_boolean (value, !g_strv_contains (disabled, binding->member));
  return TRUE;
}

static GVariant *
guard_set_mapping (const GValue       *value,
                   const GVariantType *expected_type,
                   gpointer            user_data)
{
  MemberBinding *binding = user_data;
  g_auto(GStrv) disabled = g_settings_get_strv (binding->settings, binding->key);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;

  for (guint i = 0; disabled[i] != NULL; i++)
    if (!g_str_equal (disabled[i], binding->member))
      g_strv_builder_add (builder, disabled[i]);
  if (!g_value_get_boolean (value))
    g_strv_builder_add (builder, binding->member);
  result = g_strv_builder_end (builder);
  return g_variant_new_strv ((const char * const *) result, -1);
}

/* "tool-policy": a tool's combo row shows its entry, Default when it has none. */
static gboolean
policy_get_mapping (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  MemberBinding *binding = user_data;
  const char *policy = NULL;
  guint selected = 0;

  if (g_variant_lookup (variant, binding->member, "&s", &policy))
    for (guint i = 1; policies[i] != NULL; i++)
      if (g_str_equal (policies[i], policy))
        selected = i;
  g_value_set_uint (value, selected);
  return TRUE;
}

static GVariant *
policy_set_mapping (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  MemberBinding *binding = user_data;
  g_autoptr(GVariant) current = g_settings_get_value (binding->settings, binding->key);
  guint selected = g_value_get_uint (value);
  GVariantBuilder builder;
  GVariantIter iter;
  const char *name, *policy;

  if (selected >= G_N_ELEMENTS (policies) - 1)
    return NULL;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, current);
  while (g_variant_iter_next (&iter, "{&s&s}", &name, &policy))
    if (!g_str_equal (name, binding->member))
      g_variant_builder_add (&builder, "{ss}", name, policy);
  if (selected > 0)
    g_variant_builder_add (&builder, "{ss}", binding->member, policies[selected]);
  return g_variant_builder_end (&builder);
}

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

/* --- providers ------------------------------------------------------------------------ */

/* The providers a new run may default to: all but those that need a script. */
static GPtrArray *
default_providers (void)
{
  const ReinsProviderInfo * const *infos = reins_provider_info_get_all ();
  GPtrArray *providers = g_ptr_array_new ();

  for (guint i = 0; infos[i] != NULL; i++)
    if (!reins_provider_info_needs_script (infos[i]))
      g_ptr_array_add (providers, (gpointer) infos[i]);
  return providers;
}

static gboolean
provider_get_mapping (GValue   *value,
                      GVariant *variant,
                      gpointer  user_data)
{
  const char *name = g_variant_get_string (variant, NULL);
  g_autoptr(GPtrArray) providers = default_providers ();

  g_value_set_uint (value, 0);
  for (guint i = 0; i < providers->len; i++)
    if (g_str_equal (reins_provider_info_get_id (g_ptr_array_index (providers, i)), name))
      g_value_set_uint (value, i);
  return TRUE;
}

static GVariant *
provider_set_mapping (const GValue       *value,
                      const GVariantType *expected_type,
                      gpointer            user_data)
{
  guint selected = g_value_get_uint (value);
  g_autoptr(GPtrArray) providers = default_providers ();

  if (selected >= providers->len)
    return NULL;
  return g_variant_new_string (reins_provider_info_get_id (g_ptr_array_index (providers,
                                                                              selected)));
}

static void
add_providers (ReinsPreferencesWindow *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) providers = default_providers ();

  for (guint i = 0; i < providers->len; i++)
    {
      const ReinsProviderInfo *info = g_ptr_array_index (providers, i);

      gtk_string_list_append (names, reins_provider_info_get_display_name (info));
      if (reins_provider_info_has_endpoint (info))
        {
          const char *id = reins_provider_info_get_id (info);
          GtkWidget *group = reins_provider_group_new (id, self->settings);

          g_hash_table_insert (self->provider_groups, g_strdup (id), group);
          adw_preferences_page_add (self->providers_page, ADW_PREFERENCES_GROUP (group));
        }
    }
  adw_combo_row_set_model (self->default_provider_row, G_LIST_MODEL (names));
  g_settings_bind_with_mapping (self->settings, "default-provider", self->default_provider_row,
                                "selected", G_SETTINGS_BIND_DEFAULT, provider_get_mapping,
                                provider_set_mapping, NULL, NULL);
  adw_preferences_page_add (self->providers_page,
                            ADW_PREFERENCES_GROUP (reins_otlp_live_preferences_group (self->settings)));
}

static ReinsProviderGroup *
provider_group (ReinsPreferencesWindow *self,
                const char             *provider)
{
  return provider != NULL ? g_hash_table_lookup (self->provider_groups, provider) : NULL;
}

/* Asks the provider for its models, with the key being typed, or the keyring's, or the
 * environment's; the answer goes to the row's subtitle and the test status. */
void
reins_preferences_window_test_connection (ReinsPreferencesWindow *self,
                                          const char             *provider)
{
  g_return_if_fail (REINS_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (provider_group (self, provider) != NULL);

  reins_provider_group_test_connection (provider_group (self, provider));
}

/* Returns: (nullable): the outcome of the last connection test, NULL while one runs */
const char *
reins_preferences_window_get_test_status (ReinsPreferencesWindow *self,
                                          const char             *provider)
{
  g_return_val_if_fail (REINS_IS_PREFERENCES_WINDOW (self), NULL);

  return provider_group (self, provider) != NULL
         ? reins_provider_group_get_test_status (provider_group (self, provider)) : NULL;
}

/* Saves @key (or removes the key, if empty) in the keyring, off the main thread. */
void
reins_preferences_window_save_key (ReinsPreferencesWindow *self,
                                   const char             *provider,
                                   const char             *key)
{
  g_return_if_fail (REINS_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (provider_group (self, provider) != NULL);

  reins_provider_group_save_key (provider_group (self, provider), key);
}

/* Returns: (nullable): the outcome of the last save, NULL while one runs */
const char *
reins_preferences_window_get_key_status (ReinsPreferencesWindow *self,
                                         const char             *provider)
{
  g_return_val_if_fail (REINS_IS_PREFERENCES_WINDOW (self), NULL);

  return provider_group (self, provider) != NULL
         ? reins_provider_group_get_key_status (provider_group (self, provider)) : NULL;
}

/* --- guards and tools -------------------------------------------------------------------- */

static void
add_guards (ReinsPreferencesWindow *self)
{
  for (guint i = 0; reins_harness_guard_names[i] != NULL; i++)
    {
      const char *guard = reins_harness_guard_names[i];
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *toggle = gtk_switch_new ();
      g_autofree char *title = NULL;

      /* Translators: a switch per harness guard; the placeholder is its name, e.g. loop */
      title = g_strdup_printf (_("Guard “%s”"), guard);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_widget_set_name (toggle, guard);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
      bind_member (self->settings, "disabled-guards", guard, toggle, "active",
                   guard_get_mapping, guard_set_mapping);
      adw_preferences_group_add (self->guards_group, row);
    }
}

static void
add_tools (ReinsPreferencesWindow *self)
{
  const char * const *tools = reins_tool_registry_get_builtin_names ();

  for (guint i = 0; tools[i] != NULL; i++)
    {
      g_autoptr(GtkStringList) choices = NULL;
      GtkWidget *row;

      /* `finish` is always allowed. */
      if (g_str_equal (tools[i], "finish"))
        continue;

      row = adw_combo_row_new ();
      choices = gtk_string_list_new ((const char * const[]) {
                                       _("Default"), _("Automatic"), _("Ask"), _("Deny"), NULL });
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), tools[i]);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (choices));
      gtk_widget_set_name (row, tools[i]);
      bind_member (self->settings, "tool-policy", tools[i], row, "selected",
                   policy_get_mapping, policy_set_mapping);
      adw_preferences_group_add (self->tools_group, row);
    }
}

/* --- MCP servers ------------------------------------------------------------------------ */

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
      bind_member (self->settings, "mcp-client-ids", name, client, "text",
                   mcp_client_get_mapping, mcp_client_set_mapping);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), client);
    }

  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (toggle, _("Start it with new runs"));
  bind_member (self->settings, "mcp-servers", name, toggle, "active",
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
static void
mcp_servers_changed_cb (ReinsPreferencesWindow *self)
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

/* --------------------------------------------------------------------------------------- */

static void
reins_preferences_window_dispose (GObject *object)
{
  ReinsPreferencesWindow *self = (ReinsPreferencesWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->provider_groups, g_hash_table_unref);
  g_clear_pointer (&self->mcp_rows, g_hash_table_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (reins_preferences_window_parent_class)->dispose (object);
}

static void
reins_preferences_window_finalize (GObject *object)
{
  ReinsPreferencesWindow *self = (ReinsPreferencesWindow *)object;

  g_clear_pointer (&self->mcp_status, g_hash_table_unref);
  g_free (self->mcp_shown);

  G_OBJECT_CLASS (reins_preferences_window_parent_class)->finalize (object);
}

static void
reins_preferences_window_class_init (ReinsPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reins_preferences_window_dispose;
  object_class->finalize = reins_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/reins-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ReinsPreferencesWindow, providers_page);
  gtk_widget_class_bind_template_child (widget_class, ReinsPreferencesWindow, default_provider_row);
  gtk_widget_class_bind_template_child (widget_class, ReinsPreferencesWindow, max_steps_spin);
  gtk_widget_class_bind_template_child (widget_class, ReinsPreferencesWindow, budget_spin);
  gtk_widget_class_bind_template_child (widget_class, ReinsPreferencesWindow, tool_timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, ReinsPreferencesWindow, price_override_row);
  gtk_widget_class_bind_template_child (widget_class, ReinsPreferencesWindow, price_in_spin);
  gtk_widget_class_bind_template_child (widget_class, ReinsPreferencesWindow, price_out_spin);
  gtk_widget_class_bind_template_child (widget_class, ReinsPreferencesWindow, confidence_spin);
  gtk_widget_class_bind_template_child (widget_class, ReinsPreferencesWindow, ask_reads_switch);
  gtk_widget_class_bind_template_child (widget_class, ReinsPreferencesWindow, loop_spin);
  gtk_widget_class_bind_template_child (widget_class, ReinsPreferencesWindow, goal_every_spin);
  gtk_widget_class_bind_template_child (widget_class, ReinsPreferencesWindow, guards_group);
  gtk_widget_class_bind_template_child (widget_class, ReinsPreferencesWindow, tools_group);
  gtk_widget_class_bind_template_child (widget_class, ReinsPreferencesWindow, mcp_group);
  gtk_widget_class_bind_template_child (widget_class, ReinsPreferencesWindow, mcp_name_row);
  gtk_widget_class_bind_template_child (widget_class, ReinsPreferencesWindow, mcp_command_row);

  gtk_widget_class_install_action (widget_class, "prefs.mcp-start", "s", mcp_start_action);
  gtk_widget_class_install_action (widget_class, "prefs.mcp-remove", "s", mcp_remove_action);
  gtk_widget_class_install_action (widget_class, "prefs.mcp-add", NULL, mcp_add_action);

  g_type_ensure (REINS_TYPE_PROVIDER_GROUP);
}

static void
reins_preferences_window_init (ReinsPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  self->cancellable = g_cancellable_new ();
  self->provider_groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->mcp_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->mcp_status = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < G_N_ELEMENTS (plain_bindings); i++)
    g_settings_bind (self->settings, plain_bindings[i].key,
                     G_STRUCT_MEMBER (GObject *, self, plain_bindings[i].offset),
                     plain_bindings[i].property, G_SETTINGS_BIND_DEFAULT);
  add_providers (self);
  add_guards (self);
  add_tools (self);
  g_signal_connect_object (self->settings, "changed::mcp-servers",
                           G_CALLBACK (mcp_servers_changed_cb), self, G_CONNECT_SWAPPED);
  mcp_servers_changed_cb (self);
}

GtkWidget *
reins_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (REINS_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
}

GSettings *
reins_preferences_window_get_settings (ReinsPreferencesWindow *self)
{
  g_return_val_if_fail (REINS_IS_PREFERENCES_WINDOW (self), NULL);

  return self->settings;
}
