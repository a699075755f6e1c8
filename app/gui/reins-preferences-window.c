/* reins-preferences-window.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Preferences: providers and their keys, prices, limits and guards, tools, MCP servers.
 *
 * Every value is a key of io.github.reins.Reins bound with g_settings_bind (with a mapping
 * where one key holds a list or a dictionary), so the window never copies values by hand and
 * reins-cli reads the same keys. API keys are the exception: they go to the system keyring
 * through app/secrets, never to GSettings. Whatever waits on the network, D-Bus or a process
 * (testing a connection, saving a key, starting an MCP server) runs on a worker thread.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-connection-test.h"
#include "reins-harness.h"
#include "reins-key-cache.h"
#include "reins-mcp-client.h"
#include "reins-otlp-live.h"
#include "reins-preferences-window.h"
#include "reins-secrets.h"

struct _ReinsPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  GCancellable         *cancellable;
  /* provider → AdwActionRow of its connection test / AdwPasswordEntryRow of its key */
  GHashTable           *test_rows;
  GHashTable           *key_rows;
  GHashTable           *key_status;
  /* MCP server name → status line after starting it */
  GHashTable           *mcp_status;
  AdwPreferencesGroup  *mcp_group;
  GPtrArray            *mcp_rows;
  GPtrArray            *policy_rows;
  AdwEntryRow          *mcp_name_row;
  AdwEntryRow          *mcp_command_row;
};

G_DEFINE_FINAL_TYPE (ReinsPreferencesWindow, reins_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

static const char * const builtin_tools[] = {
  "list_dir", "read_file", "search_files", "calculator", "kb_lookup",
  "write_file", "http_get", "shell", "ask_human", NULL
};

/* The per-tool policies, in the order of the combo rows; "" is the harness default. */
static const char * const policies[] = { "", "auto", "ask", "deny", NULL };

static GtkWidget *
spin_row (GSettings  *settings,
          const char *key,
          const char *title,
          const char *subtitle,
          double      lower,
          double      upper,
          double      step,
          guint       digits)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, step);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  g_settings_bind (settings, key, spin, "value", G_SETTINGS_BIND_DEFAULT);
  gtk_widget_set_name (spin, key);
  return row;
}

/* --- providers ----------------------------------------------------------------------- */

static void
set_test_status (ReinsPreferencesWindow *self,
                 const char             *provider,
                 const char             *status)
{
  AdwActionRow *row = g_hash_table_lookup (self->test_rows, provider);

  if (row != NULL)
    adw_action_row_set_subtitle (row, status);
}

typedef struct
{
  ReinsPreferencesWindow *self;
  char                   *provider;
  char                   *key;
} Testing;

static void
testing_free (Testing *testing)
{
  g_clear_object (&testing->self);
  g_free (testing->provider);
  g_free (testing->key);
  g_free (testing);
}

static void
tested_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Testing *testing = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = reins_connection_test_finish (result, &error);
  g_autofree char *status = NULL;

  if (names == NULL)
    status = g_strdup (error->message);
  else if (names[0] == NULL)
    status = g_strdup (_("Connected, but the server lists no models."));
  else
    {
      guint n = g_strv_length (names);
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint i = 0; i < n && i < 6; i++)
        g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", names[i]);
      if (n > 6)
        g_string_append (list, ", …");
      /* Translators: the result of "Test connection": how many models, then some names */
      status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Connected: %u model — %s",
                                             "Connected: %u models — %s", n), n, list->str);
    }
  g_hash_table_insert (testing->self->key_status, g_strconcat ("test:", testing->provider, NULL),
                       g_strdup (status));
  set_test_status (testing->self, testing->provider, status);
  testing_free (testing);
}

static void
test_with_key (Testing *testing)
{
  g_autofree char *url_key = g_strconcat (testing->provider, "-base-url", NULL);
  g_autofree char *base_url = g_settings_get_string (testing->self->settings, url_key);

  reins_connection_test_async (testing->provider, base_url, testing->key,
                               testing->self->cancellable, tested_cb, testing);
}

static void
test_key_found_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Testing *testing = user_data;
  g_autoptr(GError) error = NULL;
  const char *env = reins_secrets_env_for_provider (testing->provider);

  testing->key = reins_secrets_lookup_key_finish (result, &error);
  if ((testing->key == NULL || testing->key[0] == '\0') && env != NULL)
    {
      g_free (testing->key);
      testing->key = g_strdup (g_getenv (env));
    }
  test_with_key (testing);
}

/* Asks the provider for its models, with the key being typed, or the keyring's, or the
 * environment's; the answer goes to the row's subtitle. */
void
reins_preferences_window_test_connection (ReinsPreferencesWindow *self,
                                          const char             *provider)
{
  AdwEntryRow *key_row;
  Testing *testing;

  g_return_if_fail (REINS_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (provider != NULL);

  {
    g_autofree char *status_key = g_strconcat ("test:", provider, NULL);
    g_hash_table_remove (self->key_status, status_key);
  }
  set_test_status (self, provider, _("Testing…"));
  testing = g_new0 (Testing, 1);
  testing->self = g_object_ref (self);
  testing->provider = g_strdup (provider);

  key_row = g_hash_table_lookup (self->key_rows, provider);
  if (key_row != NULL && gtk_editable_get_text (GTK_EDITABLE (key_row))[0] != '\0')
    {
      testing->key = g_strdup (gtk_editable_get_text (GTK_EDITABLE (key_row)));
      test_with_key (testing);
    }
  else if (reins_secrets_env_for_provider (provider) != NULL)
    reins_secrets_lookup_key_async (provider, self->cancellable, test_key_found_cb, testing);
  else
    test_with_key (testing);
}

const char *
reins_preferences_window_get_test_status (ReinsPreferencesWindow *self,
                                          const char             *provider)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (REINS_IS_PREFERENCES_WINDOW (self), NULL);

  key = g_strconcat ("test:", provider, NULL);
  return g_hash_table_lookup (self->key_status, key);
}

static void
test_clicked_cb (GtkButton              *button,
                 ReinsPreferencesWindow *self)
{
  reins_preferences_window_test_connection (self, g_object_get_data (G_OBJECT (button),
                                                                     "provider"));
}

static void
key_saved_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Testing *testing = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;

  if (reins_secrets_store_key_finish (result, &error))
    {
      /* Runs started from now on use it. */
      reins_key_cache_refresh ();
    }
  if (error == NULL)
    status = g_strdup (testing->key != NULL && testing->key[0] != '\0'
                       ? _("The key is saved in the keyring.")
                       : _("The key is removed from the keyring."));
  else
    status = g_strdup (error->message);
  g_hash_table_insert (testing->self->key_status, g_strconcat ("key:", testing->provider, NULL),
                       g_strdup (status));
  set_test_status (testing->self, testing->provider, status);
  testing_free (testing);
}

/* Saves @key (or removes the key, if empty) in the keyring, off the main thread. */
void
reins_preferences_window_save_key (ReinsPreferencesWindow *self,
                                   const char             *provider,
                                   const char             *key)
{
  Testing *testing;

  g_return_if_fail (REINS_IS_PREFERENCES_WINDOW (self));

  testing = g_new0 (Testing, 1);
  testing->self = g_object_ref (self);
  testing->provider = g_strdup (provider);
  testing->key = g_strdup (key);
  {
    g_autofree char *status_key = g_strconcat ("key:", provider, NULL);
    g_hash_table_remove (self->key_status, status_key);
  }
  reins_secrets_store_key_async (provider, key, self->cancellable, key_saved_cb, testing);
}

const char *
reins_preferences_window_get_key_status (ReinsPreferencesWindow *self,
                                         const char             *provider)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (REINS_IS_PREFERENCES_WINDOW (self), NULL);

  key = g_strconcat ("key:", provider, NULL);
  return g_hash_table_lookup (self->key_status, key);
}

static void
key_apply_cb (AdwEntryRow            *row,
              ReinsPreferencesWindow *self)
{
  g_autofree char *key = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

  reins_preferences_window_save_key (self, g_object_get_data (G_OBJECT (row), "provider"), key);
  /* The key does not stay on screen once it is in the keyring. */
  gtk_editable_set_text (GTK_EDITABLE (row), "");
}

static void
add_provider_group (ReinsPreferencesWindow *self,
                    AdwPreferencesPage     *page,
                    const char             *provider,
                    const char             *title,
                    const char             *url_hint)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *url_row = adw_entry_row_new ();
  GtkWidget *model_row = adw_entry_row_new ();
  GtkWidget *test_row = adw_action_row_new ();
  GtkWidget *test_button = gtk_button_new_with_mnemonic (_("_Test Connection"));
  g_autofree char *url_key = g_strconcat (provider, "-base-url", NULL);
  g_autofree char *model_key = g_strconcat (provider, "-model", NULL);
  g_autofree char *url_title = NULL;

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);

  /* Translators: the base URL of a provider, with its default in brackets */
  url_title = g_strdup_printf (_("Base URL (default %s)"), url_hint);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (url_row), url_title);
  g_settings_bind (self->settings, url_key, url_row, "text", G_SETTINGS_BIND_DEFAULT);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), url_row);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (model_row), _("Model"));
  g_settings_bind (self->settings, model_key, model_row, "text", G_SETTINGS_BIND_DEFAULT);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), model_row);

  if (reins_secrets_env_for_provider (provider) != NULL)
    {
      GtkWidget *key_row = adw_password_entry_row_new ();
      g_autofree char *key_title = NULL;

      /* Translators: the placeholder is an environment variable, e.g. OPENAI_API_KEY */
      key_title = g_strdup_printf (_("API Key (kept in the keyring; else $%s)"),
                                   reins_secrets_env_for_provider (provider));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (key_row), key_title);
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (key_row), TRUE);
      g_object_set_data_full (G_OBJECT (key_row), "provider", g_strdup (provider), g_free);
      g_signal_connect (key_row, "apply", G_CALLBACK (key_apply_cb), self);
      g_hash_table_insert (self->key_rows, g_strdup (provider), key_row);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), key_row);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (test_row), _("Connection"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (test_row),
                               _("Lists the models the server offers."));
  gtk_widget_set_valign (test_button, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (test_button), "provider", g_strdup (provider), g_free);
  g_signal_connect (test_button, "clicked", G_CALLBACK (test_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (test_row), test_button);
  g_hash_table_insert (self->test_rows, g_strdup (provider), test_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), test_row);

  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (group));
}

static const char * const providers[] = { "sim", "openai", "anthropic", "ollama", NULL };

static gboolean
provider_get_mapping (GValue   *value,
                      GVariant *variant,
                      gpointer  user_data)
{
  const char *name = g_variant_get_string (variant, NULL);

  for (guint i = 0; providers[i] != NULL; i++)
    if (g_str_equal (providers[i], name))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
provider_set_mapping (const GValue       *value,
                      const GVariantType *expected_type,
                      gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected >= g_strv_length ((char **) providers))
    return NULL;
  return g_variant_ref_sink (g_variant_new_string (providers[selected]));
}

static GtkWidget *
build_providers_page (ReinsPreferencesWindow *self)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) names = NULL;

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("Providers"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "network-server-symbolic");

  names = gtk_string_list_new ((const char * const[]) {
                                 _("Simulator (offline)"), "OpenAI", "Anthropic", "Ollama", NULL });
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Default Provider"));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (names));
  g_settings_bind_with_mapping (self->settings, "default-provider", row, "selected",
                                G_SETTINGS_BIND_DEFAULT, provider_get_mapping,
                                provider_set_mapping, NULL, NULL);
  gtk_widget_set_name (row, "default-provider");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  add_provider_group (self, ADW_PREFERENCES_PAGE (page), "openai", "OpenAI",
                      "https://api.openai.com/v1");
  add_provider_group (self, ADW_PREFERENCES_PAGE (page), "anthropic", "Anthropic",
                      "https://api.anthropic.com");
  add_provider_group (self, ADW_PREFERENCES_PAGE (page), "ollama", "Ollama",
                      "http://localhost:11434");
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page),
                            ADW_PREFERENCES_GROUP (reins_otlp_live_preferences_group (self->settings)));

  return page;
}

/* --- limits, prices and guards ---------------------------------------------------------- */

static gboolean
guard_get_mapping (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  g_autofree const char **disabled = g_variant_get_strv (variant, NULL);

  g_value_set_boolean (value, !g_strv_contains (disabled, user_data));
  return TRUE;
}

static GVariant *
guard_set_mapping (const GValue       *value,
                   const GVariantType *expected_type,
                   gpointer            user_data)
{
  GSettings *settings = g_object_get_data (G_OBJECT (user_data), "settings");
  const char *guard = g_object_get_data (G_OBJECT (user_data), "guard");
  g_auto(GStrv) disabled = g_settings_get_strv (settings, "disabled-guards");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;

  for (guint i = 0; disabled[i] != NULL; i++)
    if (!g_str_equal (disabled[i], guard))
      g_strv_builder_add (builder, disabled[i]);
  if (!g_value_get_boolean (value))
    g_strv_builder_add (builder, guard);
  result = g_strv_builder_end (builder);
  return g_variant_ref_sink (g_variant_new_strv ((const char * const *) result, -1));
}

static gboolean
guard_get_mapping_row (GValue   *value,
                       GVariant *variant,
                       gpointer  user_data)
{
  return guard_get_mapping (value, variant, g_object_get_data (G_OBJECT (user_data), "guard"));
}

static GtkWidget *
build_limits_page (ReinsPreferencesWindow *self)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *limits = adw_preferences_group_new ();
  GtkWidget *prices = adw_preferences_group_new ();
  GtkWidget *guards = adw_preferences_group_new ();
  GtkWidget *expander = adw_expander_row_new ();

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("Limits and Guards"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "security-medium-symbolic");

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (limits), _("Default Limits"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (limits),
                                         _("What a new run starts with, in the window and in "
                                           "reins-cli when no option says otherwise."));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (limits),
                             spin_row (self->settings, "max-steps", _("Maximum Steps"), NULL,
                                       1, 1000, 1, 0));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (limits),
                             spin_row (self->settings, "budget-usd", _("Budget per Run (USD)"),
                                       _("The run stops when its estimated cost reaches it"),
                                       0, 1000, 0.05, 2));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (limits),
                             spin_row (self->settings, "tool-timeout",
                                       _("Tool Timeout (seconds)"), NULL, 1, 3600, 1, 0));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (limits));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (prices), _("Pricing"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), _("Override the Pricing Table"));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander),
                                 _("For a model the table does not know, or a private price"));
  adw_expander_row_set_show_enable_switch (ADW_EXPANDER_ROW (expander), TRUE);
  g_settings_bind (self->settings, "price-override", expander, "enable-expansion",
                   G_SETTINGS_BIND_DEFAULT);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                            spin_row (self->settings, "price-in-usd",
                                      _("Input (USD per million tokens)"), NULL,
                                      0, 10000, 0.05, 3));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                            spin_row (self->settings, "price-out-usd",
                                      _("Output (USD per million tokens)"), NULL,
                                      0, 10000, 0.05, 3));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (prices), expander);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (prices));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (guards), _("Harness"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (guards),
                             spin_row (self->settings, "confidence-threshold",
                                       _("Confidence Threshold"),
                                       _("A step below it asks you first"), 0, 1, 0.05, 2));
  {
    GtkWidget *row = adw_action_row_new ();
    GtkWidget *toggle = gtk_switch_new ();

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Ask About Low-Confidence Reads"));
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                 _("Off: a read-only action below the threshold runs, and its "
                                   "result shows whether it was right"));
    gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
    gtk_widget_set_name (toggle, "confidence-ask-reads");
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
    adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
    g_settings_bind (self->settings, "confidence-ask-reads", toggle, "active",
                     G_SETTINGS_BIND_DEFAULT);
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (guards), row);
  }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (guards),
                             spin_row (self->settings, "loop-threshold", _("Loop Sensitivity"),
                                       _("Similarity above which repeated actions are a loop"),
                                       0.5, 1, 0.01, 2));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (guards),
                             spin_row (self->settings, "goal-every",
                                       _("Restate the Goal Every (steps)"),
                                       _("0 never restates it"), 0, 100, 1, 0));

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
      g_object_set_data (G_OBJECT (toggle), "settings", self->settings);
      g_object_set_data_full (G_OBJECT (toggle), "guard", g_strdup (guard), g_free);
      g_settings_bind_with_mapping (self->settings, "disabled-guards", toggle, "active",
                                    G_SETTINGS_BIND_DEFAULT, guard_get_mapping_row,
                                    guard_set_mapping, toggle, NULL);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (guards), row);
    }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (guards));

  return page;
}

/* --- tools ------------------------------------------------------------------------------ */

/* One dictionary key holds every tool's policy: each row reads its entry when the key changes
 * and writes the dictionary when the row changes, only when that changes something (nine
 * rows bound to one key would otherwise write it over each other). */
static guint
policy_of (GVariant   *dictionary,
           const char *tool)
{
  const char *policy = NULL;

  if (g_variant_lookup (dictionary, tool, "&s", &policy))
    for (guint i = 1; policies[i] != NULL; i++)
      if (g_str_equal (policies[i], policy))
        return i;
  return 0;
}

static void
policy_rows_update (ReinsPreferencesWindow *self)
{
  g_autoptr(GVariant) current = g_settings_get_value (self->settings, "tool-policy");

  for (guint i = 0; i < self->policy_rows->len; i++)
    {
      AdwComboRow *row = g_ptr_array_index (self->policy_rows, i);
      guint selected = policy_of (current, gtk_widget_get_name (GTK_WIDGET (row)));

      if (adw_combo_row_get_selected (row) != selected)
        adw_combo_row_set_selected (row, selected);
    }
}

static void
policy_row_changed_cb (AdwComboRow            *row,
                       GParamSpec             *pspec,
                       ReinsPreferencesWindow *self)
{
  g_autoptr(GVariant) current = g_settings_get_value (self->settings, "tool-policy");
  const char *tool = gtk_widget_get_name (GTK_WIDGET (row));
  guint selected = adw_combo_row_get_selected (row);
  GVariantBuilder builder;
  GVariantIter iter;
  const char *name, *policy;

  if (selected >= g_strv_length ((char **) policies) || policy_of (current, tool) == selected)
    return;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, current);
  while (g_variant_iter_next (&iter, "{&s&s}", &name, &policy))
    if (!g_str_equal (name, tool))
      g_variant_builder_add (&builder, "{ss}", name, policy);
  if (selected > 0)
    g_variant_builder_add (&builder, "{ss}", tool, policies[selected]);
  g_settings_set_value (self->settings, "tool-policy", g_variant_builder_end (&builder));
}

static GtkWidget *
build_tools_page (ReinsPreferencesWindow *self)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("Tools"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "applications-utilities-symbolic");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Per-Tool Policy"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Automatic runs a tool without asking, Ask always "
                                           "asks you, Deny never runs it. Default follows the "
                                           "harness: tools that write, reach the network or run "
                                           "commands ask."));

  for (guint i = 0; builtin_tools[i] != NULL; i++)
    {
      GtkWidget *row = adw_combo_row_new ();
      g_autoptr(GtkStringList) choices = NULL;

      choices = gtk_string_list_new ((const char * const[]) {
                                       _("Default"), _("Automatic"), _("Ask"), _("Deny"), NULL });
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), builtin_tools[i]);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (choices));
      gtk_widget_set_name (row, builtin_tools[i]);
      g_ptr_array_add (self->policy_rows, row);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  policy_rows_update (self);
  for (guint i = 0; i < self->policy_rows->len; i++)
    g_signal_connect (g_ptr_array_index (self->policy_rows, i), "notify::selected",
                      G_CALLBACK (policy_row_changed_cb), self);
  g_signal_connect_object (self->settings, "changed::tool-policy",
                           G_CALLBACK (policy_rows_update), self, G_CONNECT_SWAPPED);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  return page;
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
  for (guint i = 0; i < self->mcp_rows->len; i++)
    {
      AdwActionRow *row = g_ptr_array_index (self->mcp_rows, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "name"), start->name) == 0)
        {
          g_autofree char *subtitle = g_strdup_printf ("%s\n%s", start->command,
                                                       (char *) g_hash_table_lookup (self->mcp_status,
                                                                                     start->name));
          adw_action_row_set_subtitle (row, subtitle);
        }
    }
}

static void
mcp_start_clicked_cb (GtkButton              *button,
                      ReinsPreferencesWindow *self)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, mcp_started_cb, NULL);
  McpStart *start = g_new0 (McpStart, 1);

  start->name = g_strdup (g_object_get_data (G_OBJECT (button), "name"));
  start->command = g_strdup (g_object_get_data (G_OBJECT (button), "command"));
  g_hash_table_insert (self->mcp_status, g_strdup (start->name), g_strdup (_("Starting…")));
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

static void
mcp_set (ReinsPreferencesWindow *self,
         const char             *name,
         const char             *command,
         gboolean                enabled,
         gboolean                remove)
{
  g_autoptr(GVariant) current = g_settings_get_value (self->settings, "mcp-servers");
  GVariantBuilder builder;
  GVariantIter iter;
  const char *n, *c;
  gboolean e, found = FALSE;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ssb)"));
  g_variant_iter_init (&iter, current);
  while (g_variant_iter_next (&iter, "(&s&sb)", &n, &c, &e))
    {
      if (g_str_equal (n, name))
        {
          found = TRUE;
          if (!remove)
            g_variant_builder_add (&builder, "(ssb)", n, command ? command : c, enabled);
        }
      else
        g_variant_builder_add (&builder, "(ssb)", n, c, e);
    }
  if (!found && !remove)
    g_variant_builder_add (&builder, "(ssb)", name, command, enabled);
  g_settings_set_value (self->settings, "mcp-servers", g_variant_builder_end (&builder));
}

static void
mcp_enabled_cb (GtkSwitch              *toggle,
                GParamSpec             *pspec,
                ReinsPreferencesWindow *self)
{
  mcp_set (self, g_object_get_data (G_OBJECT (toggle), "name"), NULL,
           gtk_switch_get_active (toggle), FALSE);
}

static void
mcp_remove_clicked_cb (GtkButton              *button,
                       ReinsPreferencesWindow *self)
{
  mcp_set (self, g_object_get_data (G_OBJECT (button), "name"), NULL, FALSE, TRUE);
}

static void
mcp_add_clicked_cb (GtkButton              *button,
                    ReinsPreferencesWindow *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (
                                        GTK_EDITABLE (self->mcp_name_row))));
  g_autofree char *command = g_strstrip (g_strdup (gtk_editable_get_text (
                                           GTK_EDITABLE (self->mcp_command_row))));

  if (name[0] == '\0' || command[0] == '\0')
    return;
  mcp_set (self, name, command, TRUE, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->mcp_name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->mcp_command_row), "");
}

/* The list follows the key: rows are rebuilt when it changes (it is short). */
static void
mcp_servers_changed_cb (ReinsPreferencesWindow *self)
{
  g_autoptr(GVariant) servers = g_settings_get_value (self->settings, "mcp-servers");
  GVariantIter iter;
  const char *name, *command;
  gboolean enabled;

  for (guint i = 0; i < self->mcp_rows->len; i++)
    adw_preferences_group_remove (self->mcp_group, g_ptr_array_index (self->mcp_rows, i));
  g_ptr_array_set_size (self->mcp_rows, 0);

  g_variant_iter_init (&iter, servers);
  while (g_variant_iter_next (&iter, "(&s&sb)", &name, &command, &enabled))
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *toggle = gtk_switch_new ();
      GtkWidget *start = gtk_button_new_with_mnemonic (_("_Start"));
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      const char *status = g_hash_table_lookup (self->mcp_status, name);
      g_autofree char *subtitle = status ? g_strdup_printf ("%s\n%s", command, status)
                                         : g_strdup (command);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      g_object_set_data_full (G_OBJECT (row), "name", g_strdup (name), g_free);

      gtk_widget_set_valign (start, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (start, _("Start the server once to see its tools"));
      g_object_set_data_full (G_OBJECT (start), "name", g_strdup (name), g_free);
      g_object_set_data_full (G_OBJECT (start), "command", g_strdup (command), g_free);
      g_signal_connect (start, "clicked", G_CALLBACK (mcp_start_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), start);

      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (toggle), enabled);
      gtk_widget_set_tooltip_text (toggle, _("Start it with new runs"));
      g_object_set_data_full (G_OBJECT (toggle), "name", g_strdup (name), g_free);
      g_signal_connect (toggle, "notify::active", G_CALLBACK (mcp_enabled_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);

      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Remove"), -1);
      g_object_set_data_full (G_OBJECT (remove), "name", g_strdup (name), g_free);
      g_signal_connect (remove, "clicked", G_CALLBACK (mcp_remove_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

      adw_preferences_group_add (self->mcp_group, row);
      g_ptr_array_add (self->mcp_rows, row);
    }
}

static GtkWidget *
build_mcp_page (ReinsPreferencesWindow *self)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *add_group = adw_preferences_group_new ();
  GtkWidget *add_button = gtk_button_new_with_mnemonic (_("_Add Server"));

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("MCP Servers"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "network-workgroup-symbolic");

  self->mcp_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->mcp_group, _("Servers"));
  adw_preferences_group_set_description (self->mcp_group,
                                         _("Model Context Protocol servers over stdio; their "
                                           "tools appear as NAME__TOOL."));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), self->mcp_group);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (add_group), _("New Server"));
  self->mcp_name_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->mcp_name_row), _("Name"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (add_group), GTK_WIDGET (self->mcp_name_row));
  self->mcp_command_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->mcp_command_row), _("Command or URL"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (add_group),
                             GTK_WIDGET (self->mcp_command_row));
  gtk_widget_set_halign (add_button, GTK_ALIGN_END);
  gtk_widget_set_margin_top (add_button, 12);
  g_signal_connect (add_button, "clicked", G_CALLBACK (mcp_add_clicked_cb), self);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (add_group), add_button);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (add_group));

  g_signal_connect_object (self->settings, "changed::mcp-servers",
                           G_CALLBACK (mcp_servers_changed_cb), self, G_CONNECT_SWAPPED);
  mcp_servers_changed_cb (self);

  return page;
}

/* --------------------------------------------------------------------------------------- */

static void
reins_preferences_window_dispose (GObject *object)
{
  ReinsPreferencesWindow *self = (ReinsPreferencesWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->mcp_rows, g_ptr_array_unref);
  g_clear_pointer (&self->policy_rows, g_ptr_array_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (reins_preferences_window_parent_class)->dispose (object);
}

static void
reins_preferences_window_finalize (GObject *object)
{
  ReinsPreferencesWindow *self = (ReinsPreferencesWindow *)object;

  g_clear_pointer (&self->test_rows, g_hash_table_unref);
  g_clear_pointer (&self->key_rows, g_hash_table_unref);
  g_clear_pointer (&self->key_status, g_hash_table_unref);
  g_clear_pointer (&self->mcp_status, g_hash_table_unref);

  G_OBJECT_CLASS (reins_preferences_window_parent_class)->finalize (object);
}

static void
reins_preferences_window_class_init (ReinsPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = reins_preferences_window_dispose;
  object_class->finalize = reins_preferences_window_finalize;
}

static void
reins_preferences_window_init (ReinsPreferencesWindow *self)
{
  self->settings = g_settings_new (APPLICATION_ID);
  self->cancellable = g_cancellable_new ();
  self->test_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->key_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->key_status = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->mcp_status = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->mcp_rows = g_ptr_array_new ();
  self->policy_rows = g_ptr_array_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Preferences"));
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 720);
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (self), TRUE);

  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (build_providers_page (self)));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (build_limits_page (self)));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (build_tools_page (self)));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (build_mcp_page (self)));
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
