/* reins-otlp-live.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One exporter for the whole application (reins-otlp-exporter.c), made when a run starts with
 * a collector set, and made again when the preferences change; the exporter's own thread
 * does the sending, so a run never waits on the collector. The key comes from the keyring
 * through the key cache (read off the main thread) and is never shown or logged.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-key-cache.h"
#include "reins-otlp-exporter.h"
#include "reins-otlp-live.h"
#include "reins-secrets.h"

static ReinsOtlpExporter *live;
static char *live_config;  /* what `live` was made from */

static ReinsOtlpExporter *
exporter_for_settings (GSettings *settings)
{
  g_autofree char *endpoint = g_settings_get_string (settings, "otlp-endpoint");
  g_autofree char *headers = g_settings_get_string (settings, "otlp-headers");
  g_autofree char *key_header = g_settings_get_string (settings, "otlp-key-header");
  g_autofree char *key = NULL;
  g_autofree char *config = NULL;
  gboolean content = g_settings_get_boolean (settings, "otlp-content");
  g_autoptr(ReinsOtlpExporter) exporter = NULL;
  g_autoptr(GError) error = NULL;

  g_strstrip (endpoint);
  g_strstrip (key_header);
  if (*endpoint == '\0')
    return NULL;
  if (*key_header != '\0')
    key = reins_key_cache_get ("otlp");
  config = g_strdup_printf ("%s\n%s\n%s\n%s\n%d", endpoint, headers, key_header,
                            key != NULL ? key : "", content);
  if (live != NULL && g_strcmp0 (config, live_config) == 0)
    return g_object_ref (live);

  exporter = reins_otlp_exporter_new (endpoint, &error);
  if (exporter == NULL || !reins_otlp_exporter_add_headers (exporter, headers, &error))
    {
      g_message ("No live OTLP export: %s", error->message);
      return NULL;
    }
  if (*key_header != '\0' && key != NULL)
    {
      g_autofree char *header = g_strconcat (key_header, "=", key, NULL);

      if (!reins_otlp_exporter_add_header (exporter, header, &error))
        {
          g_message ("No live OTLP export: %s", error->message);
          return NULL;
        }
    }
  else if (*key_header != '\0')
    g_message ("Live OTLP export to %s without a key: the keyring has none for “otlp”",
               reins_otlp_exporter_get_url (exporter));
  reins_otlp_exporter_set_content (exporter, content);

  /* The exporter before keeps sending what it has until its last run lets it go. */
  g_set_object (&live, exporter);
  g_free (live_config);
  live_config = g_steal_pointer (&config);
  return g_steal_pointer (&exporter);
}

/**
 * reins_otlp_live_watch:
 *
 * Sends @executor's spans to the collector of the preferences, if one is set.
 *
 * Returns: whether they are sent
 */
gboolean
reins_otlp_live_watch (GSettings     *settings,
                       ReinsExecutor *executor)
{
  g_autoptr(ReinsOtlpExporter) exporter = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);
  g_return_val_if_fail (REINS_IS_EXECUTOR (executor), FALSE);

  exporter = exporter_for_settings (settings);
  if (exporter == NULL)
    return FALSE;
  reins_otlp_exporter_watch (exporter, executor);
  return TRUE;
}

/* When the application ends: what is queued is sent, waiting at most @timeout_ms. */
void
reins_otlp_live_shutdown (guint timeout_ms)
{
  if (live != NULL)
    reins_otlp_exporter_flush (live, timeout_ms);
  g_clear_object (&live);
  g_clear_pointer (&live_config, g_free);
}

static void
key_saved_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!reins_secrets_store_key_finish (result, &error))
    g_message ("Could not keep the OTLP key in the keyring: %s", error->message);
  reins_key_cache_refresh ();
}

static void
key_applied_cb (AdwEntryRow *row)
{
  reins_secrets_store_key_async ("otlp", gtk_editable_get_text (GTK_EDITABLE (row)), NULL,
                                 key_saved_cb, NULL);
}

static GtkWidget *
entry_row (GSettings  *settings,
           const char *key,
           const char *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_settings_bind (settings, key, row, "text", G_SETTINGS_BIND_DEFAULT);
  gtk_widget_set_name (row, key);
  return row;
}

/* The preferences' group of the live export. */
GtkWidget *
reins_otlp_live_preferences_group (GSettings *settings)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *key_row = adw_password_entry_row_new ();
  GtkWidget *content_row = adw_action_row_new ();
  GtkWidget *content_switch = gtk_switch_new ();

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("OpenTelemetry Export"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("New runs send their spans as they go to an OTLP/HTTP "
                                           "collector; the run never waits for it."));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             entry_row (settings, "otlp-endpoint", _("Collector URL")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             entry_row (settings, "otlp-headers",
                                        _("Headers (NAME=VALUE, separated by commas)")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             entry_row (settings, "otlp-key-header",
                                        _("Header for the key, such as Authorization")));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (key_row), _("Key (kept in the keyring)"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (key_row), TRUE);
  g_signal_connect (key_row, "apply", G_CALLBACK (key_applied_cb), NULL);
  gtk_widget_set_name (key_row, "otlp-key");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), key_row);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (content_row),
                                 _("Send Prompts, Answers and Tool Results"));
  gtk_widget_set_valign (content_switch, GTK_ALIGN_CENTER);
  g_settings_bind (settings, "otlp-content", content_switch, "active", G_SETTINGS_BIND_DEFAULT);
  adw_action_row_add_suffix (ADW_ACTION_ROW (content_row), content_switch);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (content_row), content_switch);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), content_row);
  return group;
}
