/* reins-new-run-dialog-build.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What New Run's choices become: the run and its settings (reins_new_run_dialog_build()),
 * through reins_run_options_apply() as `reins-cli run` makes them, and how to reach the
 * provider.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-new-run-dialog-private.h"
#include "reins-provider-info.h"
#include "reins-run-options.h"

/* Accuracy of the simulator with and without "Make Mistakes": off, it makes none. */
#define SIM_ACCURACY          1.0
#define SIM_ACCURACY_MISTAKES 0.75
/* So a demo visibly streams its thoughts. */
#define SIM_STREAM_DELAY_MS   12

/* The task as written, trimmed. */
static char *
dup_task (ReinsNewRunDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->task_view);
  GtkTextIter start, end;
  char *text;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return g_strstrip (text);
}

/**
 * reins_new_run_dialog_build:
 * @config: how to reach the provider; the dialog fills in the model, endpoint and the
 *   simulator's or script's choices (the key is the caller's business)
 *
 * Returns: (transfer full): a new run with its settings, or %NULL with @error saying what
 *   to fix
 */
ReinsRun *
reins_new_run_dialog_build (ReinsNewRunDialog    *self,
                            ReinsProviderConfig  *config,
                            GError              **error)
{
  g_autofree char *task = NULL;
  g_autofree char *tools = NULL;
  g_auto(GStrv) mcp = NULL;
  g_autoptr(ReinsRun) run = NULL;
  g_autofree char *model = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *script = NULL;
  GtkStringObject *mode;
  ReinsRunOptions options;
  const char *provider;
  JsonObject *settings;
  gboolean needs_script;

  g_return_val_if_fail (REINS_IS_NEW_RUN_DIALOG (self), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  task = dup_task (self);
  if (task[0] == '\0')
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_USAGE,
                           _("Write a task, or pick a demo task."));
      return NULL;
    }

  provider = reins_new_run_dialog_get_provider (self);
  model = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->model_row))));
  base_url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->base_url_row))));
  script = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->script_row))));
  needs_script = reins_provider_info_lookup (provider) != NULL &&
                 reins_provider_info_needs_script (reins_provider_info_lookup (provider));
  if (needs_script && script[0] == '\0')
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_USAGE,
                           _("The scripted provider needs a script file."));
      return NULL;
    }

  tools = reins_new_run_dialog_dup_tools (self);
  mcp = reins_new_run_dialog_dup_mcp (self);
  mode = adw_combo_row_get_selected_item (self->mode_row);

  reins_run_options_init (&options);
  options.provider = provider;
  options.model = model[0] != '\0' ? model : NULL;
  options.base_url = base_url[0] != '\0' && gtk_widget_get_visible (GTK_WIDGET (self->base_url_row))
                     ? base_url : NULL;
  options.mode = mode != NULL ? gtk_string_object_get_string (mode) : "tools";
  /* An empty list would mean the defaults; `finish` alone is what no switch on means. */
  options.tools = tools[0] != '\0' ? tools : "finish";
  options.workspace = self->workspace;
  options.mcp = mcp;
  options.max_steps = gtk_spin_button_get_value_as_int (self->max_steps_spin);
  options.budget = gtk_spin_button_get_value (self->budget_spin);
  options.threshold = gtk_spin_button_get_value (self->threshold_spin);
  if (g_str_equal (provider, "sim"))
    {
      options.seed = self->demo_seed;
      options.sim_accuracy = self->sim_accuracy >= 0
                             ? self->sim_accuracy
                             : gtk_switch_get_active (self->mistakes_switch)
                               ? SIM_ACCURACY_MISTAKES : SIM_ACCURACY;
    }

  run = reins_run_new (task);
  settings = reins_run_get_settings (run);
  if (!reins_run_options_apply (&options, settings, TRUE, error))
    return NULL;
  json_object_set_string_member (settings, "confidence_asks",
                                 g_settings_get_boolean (self->settings, "confidence-ask-reads")
                                   ? "always" : "risky");
  reins_run_set_provider (run, provider);
  reins_run_set_model (run, json_object_get_string_member (settings, "model"));

  g_free (config->model);
  config->model = g_strdup (json_object_get_string_member (settings, "model"));
  if (options.base_url != NULL)
    {
      g_free (config->base_url);
      config->base_url = g_strdup (options.base_url);
    }
  if (needs_script)
    {
      g_free (config->script_path);
      config->script_path = g_strdup (script);
    }
  if (g_str_equal (provider, "sim"))
    {
      config->seed = options.seed;
      config->sim_accuracy = options.sim_accuracy;
      if (config->stream_delay_ms == 0)
        config->stream_delay_ms = SIM_STREAM_DELAY_MS;
    }

  return g_steal_pointer (&run);
}
