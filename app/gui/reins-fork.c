/* reins-fork.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Forking a stored run from one of its steps: the dialog, and running the new run.
 *
 * A fork keeps the parent's steps 1 … n−1 as they were stored (reins_executor_new_fork copies
 * them; their tools are not run again) and continues live from step n, with the parent's
 * settings or the ones changed here. The key for a real provider comes from the keyring (or
 * the environment), looked up off the main thread.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "reins-enter.h"
#include "reins-fork.h"
#include "reins-json-util.h"
#include "reins-guard.h"
#include "reins-run-restore.h"
#include "reins-run-settings.h"
#include "reins-secrets.h"

/**
 * reins_fork_start:
 * @overrides: (nullable): settings that replace the parent's
 * @api_key: (nullable): the provider's key
 *
 * Creates (not starts) the executor of a fork of @parent from @from_step, talking to the
 * parent's provider and model unless @overrides change them.
 */
ReinsExecutor *
reins_fork_start (ReinsStore  *store,
                  ReinsRun    *parent,
                  guint        from_step,
                  JsonObject  *overrides,
                  const char  *api_key,
                  GError     **error)
{
  g_autoptr(ReinsProviderConfig) config = NULL;

  g_return_val_if_fail (REINS_IS_STORE (store), NULL);
  g_return_val_if_fail (REINS_IS_RUN (parent), NULL);

  /* The endpoint, model and seed are the parent's (reins_executor_new_fork() restores
   * them); only the key is the window's. */
  config = reins_provider_config_new (reins_run_restore_provider_name (parent, overrides));
  g_free (config->api_key);
  config->api_key = g_strdup (api_key);

  return reins_fork_start_with_config (store, parent, from_step, overrides, config, error);
}

/* The same with a provider config of the caller's (a scripted provider's script, a test). */
ReinsExecutor *
reins_fork_start_with_config (ReinsStore                *store,
                              ReinsRun                  *parent,
                              guint                      from_step,
                              JsonObject                *overrides,
                              const ReinsProviderConfig *config,
                              GError                   **error)
{
  ReinsRunSetup *setup;

  g_return_val_if_fail (REINS_IS_STORE (store), NULL);
  g_return_val_if_fail (REINS_IS_RUN (parent), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  /* The parent is the run shown: nothing is read from the store on this thread. */
  setup = reins_run_setup_new_fork (parent, from_step, overrides, config,
                                    reins_store_get_path (store), error);
  return setup != NULL ? reins_executor_new_for_setup (setup) : NULL;
}

/* --- the dialog ------------------------------------------------------------------------ */

typedef struct
{
  GtkWindow            *parent;
  ReinsStore           *store;
  ReinsRun             *run;
  GtkSpinButton        *step_spin;
  GtkSpinButton        *max_steps_spin;
  GtkSpinButton        *budget_spin;
  GtkSpinButton        *threshold_spin;
  GtkWidget            *edit_row;       /* AdwExpanderRow: replace the action of the step */
  GtkEditable          *tool_entry;
  GtkTextBuffer        *arguments;
  ReinsForkStartedFunc  started;
  gpointer              user_data;
  JsonObject           *overrides;
  guint                 from_step;
  gboolean              responded;
} ForkDialog;

static void
fork_dialog_free (ForkDialog *fork)
{
  g_clear_object (&fork->parent);
  g_clear_object (&fork->store);
  g_clear_object (&fork->run);
  g_clear_pointer (&fork->overrides, json_object_unref);
  g_free (fork);
}

static void
show_error (GtkWindow  *parent,
            const char *message)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, _("Cannot Fork the Run"), message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
key_found_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ForkDialog *fork = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsExecutor) executor = NULL;
  g_autofree char *key = reins_secrets_get_api_key_finish (result, NULL);

  executor = reins_fork_start (fork->store, fork->run, fork->from_step, fork->overrides, key,
                               &error);
  if (executor == NULL)
    show_error (fork->parent, error->message);
  else
    /* The window runs it live (and starts it). */
    fork->started (executor, fork->user_data);
  fork_dialog_free (fork);
}

static void fork_dialog_destroy_cb (GtkWidget  *dialog,
                                    ForkDialog *fork);

static void
fork_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  ForkDialog       *fork)
{
  JsonObject *settings = reins_run_get_settings (fork->run);
  g_autoptr(ReinsRunSettings) stored = reins_run_settings_new_from_json (settings);
  double budget, threshold;
  int max_steps;

  /* From here the response owns the fork, whatever becomes of the dialog. */
  fork->responded = TRUE;
  g_signal_handlers_disconnect_by_func (dialog, fork_dialog_destroy_cb, fork);
  if (g_strcmp0 (response, "fork") != 0)
    {
      fork_dialog_free (fork);
      return;
    }

  fork->from_step = (guint) gtk_spin_button_get_value_as_int (fork->step_spin);
  max_steps = gtk_spin_button_get_value_as_int (fork->max_steps_spin);
  budget = gtk_spin_button_get_value (fork->budget_spin);
  threshold = gtk_spin_button_get_value (fork->threshold_spin);

  /* Only what was changed overrides the parent's settings. */
  fork->overrides = json_object_new ();
  if (adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (fork->edit_row)))
    {
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;
      GtkTextIter start, end;
      const char *tool = gtk_editable_get_text (fork->tool_entry);
      JsonObject *edited;

      gtk_text_buffer_get_bounds (fork->arguments, &start, &end);
      text = gtk_text_buffer_get_text (fork->arguments, &start, &end, FALSE);
      if (tool[0] == '\0' || (root = reins_json_from_string (text, NULL)) == NULL ||
          !JSON_NODE_HOLDS_OBJECT (root))
        {
          /* Translators: the fork dialog's edited action cannot be used */
          show_error (fork->parent, _("The edited action needs a tool name and its arguments "
                                      "as a JSON object."));
          fork_dialog_free (fork);
          return;
        }
      edited = json_object_new ();
      json_object_set_string_member (edited, "name", tool);
      json_object_set_member (edited, "arguments", g_steal_pointer (&root));
      json_object_set_object_member (fork->overrides, "fork_action", edited);
    }
  if ((guint) max_steps != reins_run_settings_get_max_steps (stored))
    json_object_set_int_member (fork->overrides, "max_steps", max_steps);
  if (ABS (budget - reins_run_settings_get_budget_usd (stored)) > 1e-9)
    json_object_set_double_member (fork->overrides, "budget_usd", budget);
  if (ABS (threshold - reins_run_settings_get_confidence_threshold (stored)) > 1e-9)
    json_object_set_double_member (fork->overrides, "confidence_threshold", threshold);

  reins_secrets_get_api_key_async (reins_run_get_provider (fork->run), NULL, key_found_cb, fork);
}

/* A dialog destroyed without an answer (its parent closed): nothing else frees the fork,
 * which holds the parent window. After an answer, the response handler owns it. */
static void
fork_dialog_destroy_cb (GtkWidget  *dialog,
                        ForkDialog *fork)
{
  if (!fork->responded)
    fork_dialog_free (fork);
}

/* The editor starts from the action the step had. */
static void
fill_action (ForkDialog *fork)
{
  guint index = (guint) gtk_spin_button_get_value_as_int (fork->step_spin);
  g_autoptr(ReinsStep) step = reins_store_get_step (fork->store, reins_run_get_id (fork->run),
                                                    index, NULL);
  ReinsAction *action = step != NULL ? reins_step_get_action (step) : NULL;
  g_autoptr(JsonNode) arguments = NULL;
  g_autofree char *text = NULL;

  if (action == NULL)
    {
      gtk_editable_set_text (fork->tool_entry, "");
      gtk_text_buffer_set_text (fork->arguments, "{}", -1);
      return;
    }
  arguments = json_node_init_object (json_node_alloc (), reins_action_get_arguments (action));
  text = json_to_string (arguments, TRUE);
  gtk_editable_set_text (fork->tool_entry, reins_action_get_name (action));
  gtk_text_buffer_set_text (fork->arguments, text, -1);
}

static void
step_changed_cb (GtkSpinButton *spin,
                 ForkDialog    *fork)
{
  fill_action (fork);
}

static GtkSpinButton *
add_spin_row (AdwPreferencesGroup *group,
              const char          *title,
              const char          *subtitle,
              double               lower,
              double               upper,
              double               step,
              guint                digits,
              double               value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, step);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  /* Enter forks, as the dialog's default response. */
  reins_enter_activates_default (GTK_EDITABLE (spin));
  adw_preferences_group_add (group, row);
  return GTK_SPIN_BUTTON (spin);
}

/**
 * reins_fork_dialog_present:
 * @from_step: the step to propose (1 … steps + 1); 0 proposes the last step
 * @started: told of the executor once it is made; it starts it
 *
 * Asks from which step and with which settings to fork @run, then starts the fork.
 */
void
reins_fork_dialog_present (GtkWindow            *parent,
                           ReinsStore           *store,
                           ReinsRun             *run,
                           guint                 from_step,
                           ReinsForkStartedFunc  started,
                           gpointer              user_data)
{
  g_autoptr(ReinsRunSettings) stored = NULL;
  ForkDialog *fork;
  GtkWidget *dialog;
  GtkWidget *group;
  guint n_steps;
  g_autofree char *body = NULL;

  g_return_if_fail (REINS_IS_STORE (store));
  g_return_if_fail (REINS_IS_RUN (run));
  g_return_if_fail (started != NULL);

  stored = reins_run_settings_new_from_json (reins_run_get_settings (run));
  n_steps = reins_run_get_step_count (run);
  if (from_step == 0 || from_step > n_steps + 1)
    from_step = MAX (n_steps, 1);

  fork = g_new0 (ForkDialog, 1);
  fork->parent = parent ? g_object_ref (parent) : NULL;
  fork->store = g_object_ref (store);
  fork->run = g_object_ref (run);
  fork->started = started;
  fork->user_data = user_data;

  body = g_strdup (_("The new run keeps the steps before the one you pick, without running "
                     "their tools again, and continues live from there."));
  dialog = adw_message_dialog_new (parent, _("Fork Run"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "fork", _("_Fork"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "fork",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "fork");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  group = adw_preferences_group_new ();
  fork->step_spin = add_spin_row (ADW_PREFERENCES_GROUP (group), _("Continue from Step"),
                                  _("Steps before it are kept as they are"),
                                  1, n_steps + 1, 1, 0, from_step);
  fork->max_steps_spin = add_spin_row (ADW_PREFERENCES_GROUP (group), _("Maximum Steps"), NULL,
                                       1, 10000, 1, 0,
                                       reins_run_settings_get_max_steps (stored));
  fork->budget_spin = add_spin_row (ADW_PREFERENCES_GROUP (group), _("Budget (USD)"), NULL,
                                    0.01, 1000, 0.05, 2,
                                    reins_run_settings_get_budget_usd (stored));
  fork->threshold_spin = add_spin_row (ADW_PREFERENCES_GROUP (group),
                                       _("Confidence Threshold"),
                                       _("Steps below it ask you first"), 0, 1, 0.05, 2,
                                       reins_run_settings_get_confidence_threshold (stored));

  /* Optionally, the step's action as a person would have it. */
  {
    GtkWidget *tool_row = adw_entry_row_new ();
    GtkWidget *args_row = adw_preferences_row_new ();
    GtkWidget *view = gtk_text_view_new ();

    fork->edit_row = adw_expander_row_new ();
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (fork->edit_row), _("Edit the Action"));
    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (fork->edit_row),
                                   _("The step runs this instead of asking the model"));
    adw_expander_row_set_show_enable_switch (ADW_EXPANDER_ROW (fork->edit_row), TRUE);
    adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (fork->edit_row), FALSE);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (tool_row), _("Tool"));
    fork->tool_entry = GTK_EDITABLE (tool_row);
    adw_expander_row_add_row (ADW_EXPANDER_ROW (fork->edit_row), tool_row);
    fork->arguments = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
    gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
    gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
    gtk_widget_set_size_request (view, -1, 80);
    gtk_widget_set_margin_start (view, 12);
    gtk_widget_set_margin_end (view, 12);
    gtk_widget_set_margin_top (view, 8);
    gtk_widget_set_margin_bottom (view, 8);
    gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Arguments (JSON)"), -1);
    gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (args_row), view);
    adw_expander_row_add_row (ADW_EXPANDER_ROW (fork->edit_row), args_row);
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), fork->edit_row);
    fill_action (fork);
    g_signal_connect (fork->step_spin, "value-changed", G_CALLBACK (step_changed_cb), fork);
  }
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), group);

  g_signal_connect (dialog, "response", G_CALLBACK (fork_response_cb), fork);
  g_signal_connect (dialog, "destroy", G_CALLBACK (fork_dialog_destroy_cb), fork);
  gtk_window_present (GTK_WINDOW (dialog));
}
