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
 * network, D-Bus or a process runs on a worker thread. The MCP servers' rows are in
 * reins-preferences-mcp.c.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-harness.h"
#include "reins-otlp-live.h"
#include "reins-preferences-window-private.h"
#include "reins-provider-group.h"
#include "reins-provider-info.h"
#include "reins-tool-registry.h"

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

static void
member_binding_free (gpointer data)
{
  MemberBinding *binding = data;

  g_clear_object (&binding->settings);
  g_free (binding->key);
  g_free (binding->member);
  g_free (binding);
}

void
reins_preferences_window_bind_member (GSettings                *settings,
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
      reins_preferences_window_bind_member (self->settings, "disabled-guards",
                                            guard, toggle, "active",
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
      reins_preferences_window_bind_member (self->settings, "tool-policy",
                                            tools[i], row, "selected",
                                            policy_get_mapping, policy_set_mapping);
      adw_preferences_group_add (self->tools_group, row);
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
  gtk_widget_class_bind_template_child (widget_class, ReinsPreferencesWindow, mcp_empty_row);
  gtk_widget_class_bind_template_child (widget_class, ReinsPreferencesWindow, mcp_name_row);
  gtk_widget_class_bind_template_child (widget_class, ReinsPreferencesWindow, mcp_command_row);

  reins_preferences_window_mcp_class_init (widget_class);

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
                           G_CALLBACK (reins_preferences_window_mcp_changed), self,
                           G_CONNECT_SWAPPED);
  reins_preferences_window_mcp_changed (self);
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
