/* reins-cli-otlp.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The live OpenTelemetry export options of `run`: --otlp-endpoint, --otlp-header,
 * --otlp-key-header and --otlp-content, with the OTEL_EXPORTER_OTLP_* variables for what
 * they leave out (app/import/reins-otlp-exporter.c sends).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-cli-private.h"

/* How long the end of a run waits at most for the collector to take the last spans. */
#define FLUSH_TIMEOUT_MS 5000

void
reins_cli_otlp_options_clear (ReinsCliOtlpOptions *o)
{
  g_clear_pointer (&o->endpoint, g_free);
  g_clear_pointer (&o->headers, g_strfreev);
  g_clear_pointer (&o->key_header, g_free);
}

void
reins_cli_otlp_options_add_entries (GOptionContext      *context,
                                    ReinsCliOtlpOptions *o)
{
  GOptionEntry entries[] = {
    { "otlp-endpoint", 0, 0, G_OPTION_ARG_STRING, &o->endpoint, N_("Send the run’s spans as it goes to this OTLP/HTTP collector (/v1/traces is added) [$OTEL_EXPORTER_OTLP_ENDPOINT]"), N_("URL") },
    { "otlp-header", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->headers, N_("A header sent to the collector, after those of $OTEL_EXPORTER_OTLP_HEADERS"), N_("NAME=VALUE") },
    { "otlp-key-header", 0, 0, G_OPTION_ARG_STRING, &o->key_header, N_("Send the key stored in the keyring for “otlp” (or $REINS_OTLP_KEY) in this header"), N_("NAME") },
    { "otlp-content", 0, 0, G_OPTION_ARG_NONE, &o->content, N_("Send prompts, answers, tool arguments and results too"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

/**
 * reins_cli_otlp_options_exporter:
 * @exporter: (out) (transfer full) (nullable): the exporter, or %NULL when no endpoint is set
 *
 * Returns: %FALSE with @error set (a usage error) when an option or variable is malformed
 */
gboolean
reins_cli_otlp_options_exporter (ReinsCliOtlpOptions  *o,
                                 ReinsOtlpExporter   **exporter,
                                 GError              **error)
{
  g_autoptr(ReinsOtlpExporter) self = NULL;

  *exporter = NULL;
  if (o->endpoint != NULL)
    {
      self = reins_otlp_exporter_new (o->endpoint, error);
      if (self == NULL ||
          !reins_otlp_exporter_add_headers (self, g_getenv ("OTEL_EXPORTER_OTLP_HEADERS"), error) ||
          !reins_otlp_exporter_add_headers (self, g_getenv ("OTEL_EXPORTER_OTLP_TRACES_HEADERS"),
                                            error))
        return FALSE;
    }
  else
    {
      g_autoptr(GError) local_error = NULL;

      self = reins_otlp_exporter_new_from_env (&local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  if (self == NULL)
    {
      if (o->headers != NULL || o->key_header != NULL || o->content)
        {
          g_set_error_literal (error, REINS_ERROR, REINS_ERROR_USAGE,
                               _("The --otlp-… options need --otlp-endpoint or "
                                 "$OTEL_EXPORTER_OTLP_ENDPOINT"));
          return FALSE;
        }
      return TRUE;
    }

  for (guint i = 0; o->headers != NULL && o->headers[i] != NULL; i++)
    if (!reins_otlp_exporter_add_header (self, o->headers[i], error))
      return FALSE;
  if (o->key_header != NULL)
    {
      g_autofree char *key = reins_cli_settings_api_key ("otlp", "REINS_OTLP_KEY");
      g_autofree char *header = NULL;

      if (key == NULL || *key == '\0')
        {
          g_set_error_literal (error, REINS_ERROR, REINS_ERROR_USAGE,
                               _("--otlp-key-header: no key for “otlp” in the keyring, and "
                                 "REINS_OTLP_KEY is not set"));
          return FALSE;
        }
      /* Checked as any header, but the key itself is never shown. */
      header = g_strconcat (o->key_header, "=", key, NULL);
      if (!reins_otlp_exporter_add_header (self, header, error))
        return FALSE;
    }
  reins_otlp_exporter_set_content (self, o->content);
  *exporter = g_steal_pointer (&self);
  return TRUE;
}

/* At the end of a run: the last spans sent, with a deadline, and a line about what was lost. */
void
reins_cli_otlp_finish (ReinsOtlpExporter *exporter)
{
  ReinsOtlpExporterStats stats;

  if (exporter == NULL)
    return;
  reins_otlp_exporter_flush (exporter, FLUSH_TIMEOUT_MS);
  reins_otlp_exporter_get_stats (exporter, &stats);
  if (stats.dropped > 0)
    g_printerr (_("OTLP export to %s: %u spans sent, %u dropped (%u refused by the collector); "
                  "the run is stored whole.\n"),
                reins_otlp_exporter_get_url (exporter), stats.delivered, stats.dropped,
                stats.rejected);
}
