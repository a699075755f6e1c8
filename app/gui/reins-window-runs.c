/* reins-window-runs.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's live runs: it starts them (one ReinsExecutor each, held by the run manager),
 * shows them live, keeps their history rows and the run actions up to date, and puts the
 * harness's questions to the person — a dialog when the window is in front, a notification
 * (by the run manager) when it is not — and answers the notifications' buttons.
 */

#include "config.h"

#include "reins-application.h"
#include "reins-approval-dialog.h"
#include "reins-elicitation-dialog.h"
#include "reins-key-cache.h"
#include "reins-otlp-live.h"
#include "reins-remote-questions.h"
#include "reins-run-settings.h"
#include "reins-window-private.h"

/* The executor of the run shown, if it is one this window runs (or ran). */
static ReinsExecutor *
reins_window_get_shown_executor (ReinsWindow *self)
{
  return reins_run_view_get_executor (self->run_view);
}

/* The window's actions as the run shown and the store allow. */
void
_reins_window_update_actions (ReinsWindow *self)
{
  ReinsExecutor *executor = reins_window_get_shown_executor (self);
  ReinsRun *run = executor != NULL ? reins_executor_get_run (executor) : NULL;
  ReinsRunStatus status = run != NULL ? reins_run_get_status (run) : REINS_RUN_STATUS_COMPLETED;
  gboolean live = run != NULL && !reins_run_status_is_final (status) &&
                  reins_executor_is_running (executor);
  gboolean paused = live && status == REINS_RUN_STATUS_PAUSED;
  g_autoptr(ReinsApproval) approval = live ? reins_executor_get_pending_approval (executor) : NULL;
  gboolean shown;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-run", self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import", self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.judge", self->store != NULL);
  /* Nothing to export or fork until a run is shown (an empty store has none). */
  shown = self->store != NULL && reins_run_view_get_run (self->run_view) != NULL;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.fork", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.fork-from", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.pause", live && !paused);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.resume", paused);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.toggle-pause", live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.step", live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.ask-stop", live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-approval",
                                 approval != NULL && !reins_approval_is_resolved (approval));
}

/* Shows @run's row as it is now; the history must not take it for a new selection. */
static void
reins_window_update_history (ReinsWindow *self,
                             ReinsRun    *run)
{
  ReinsRun *selected;

  self->updating_history = TRUE;
  reins_history_update_run (self->history, run);
  self->updating_history = FALSE;

  /* If the selection moved after all (a search hides the run…), follow it. */
  selected = reins_history_get_selected_run (self->history);
  if (selected == NULL || reins_run_view_get_run (self->run_view) == NULL ||
      g_strcmp0 (reins_run_get_id (selected),
                 reins_run_get_id (reins_run_view_get_run (self->run_view))) != 0)
    _reins_window_show_selected_run (self);
}

/* The step in question is stored before the question is put: the dialog shows its thought
 * and the observation before it. */
static void
reins_window_give_approval_context (ReinsWindow   *self,
                                    ReinsApproval *approval)
{
  const char *run_id = reins_approval_get_run_id (approval);
  guint index = reins_approval_record_get_step (reins_approval_get_record (approval));
  ReinsExecutor *executor = reins_run_manager_lookup (reins_window_get_run_manager (self), run_id);
  g_autoptr(ReinsRunSettings) run_settings = NULL;
  JsonObject *settings = NULL;
  g_autoptr(ReinsStep) step = NULL;
  g_autoptr(ReinsStep) previous = NULL;

  if (self->store != NULL && index > 0)
    {
      step = reins_store_get_step (self->store, run_id, index, NULL);
      if (index > 1)
        previous = reins_store_get_step (self->store, run_id, index - 1, NULL);
    }
  if (executor != NULL)
    settings = reins_run_get_settings (reins_executor_get_run (executor));
  run_settings = reins_run_settings_new_from_json (settings);
  reins_approval_dialog_set_step (REINS_APPROVAL_DIALOG (self->approval_dialog), step, previous,
                                  reins_run_settings_get_confidence_threshold (run_settings));
}

/* The approval the open dialog is about: an approval dialog, or an MCP server's form. */
static ReinsApproval *
dialog_get_approval (GtkWidget *dialog)
{
  if (REINS_IS_ELICITATION_DIALOG (dialog))
    return reins_elicitation_dialog_get_approval (REINS_ELICITATION_DIALOG (dialog));
  return reins_approval_dialog_get_approval (REINS_APPROVAL_DIALOG (dialog));
}

void
_reins_window_show_approval_for (ReinsWindow   *self,
                                ReinsApproval *approval)
{
  if (approval == NULL || reins_approval_is_resolved (approval))
    return;

  if (self->approval_dialog != NULL)
    {
      /* One question at a time; another stays pending behind its run's bar. */
      if (dialog_get_approval (self->approval_dialog) == approval)
        gtk_window_present (GTK_WINDOW (self->approval_dialog));
      return;
    }

  if (g_strcmp0 (reins_approval_record_get_guard (reins_approval_get_record (approval)),
                 "elicitation") == 0)
    self->approval_dialog = reins_elicitation_dialog_new (GTK_WINDOW (self), approval);
  else
    self->approval_dialog = reins_approval_dialog_new (GTK_WINDOW (self), approval);
  g_object_add_weak_pointer (G_OBJECT (self->approval_dialog), (gpointer *) &self->approval_dialog);
  if (REINS_IS_APPROVAL_DIALOG (self->approval_dialog))
    reins_window_give_approval_context (self, approval);
  gtk_window_present (GTK_WINDOW (self->approval_dialog));
}

static void
reins_window_close_approval (ReinsWindow *self,
                             const char  *run_id)
{
  ReinsApproval *approval;

  if (self->approval_dialog == NULL)
    return;

  approval = dialog_get_approval (self->approval_dialog);
  if (reins_approval_is_resolved (approval) ||
      g_strcmp0 (reins_approval_get_run_id (approval), run_id) == 0)
    gtk_window_destroy (GTK_WINDOW (self->approval_dialog));
}

static void
executor_status_changed_cb (ReinsWindow    *self,
                            ReinsRunStatus  status,
                            ReinsExecutor *executor)
{
  reins_window_update_history (self, reins_executor_get_run (executor));
  _reins_window_update_actions (self);
}

/* Each step finished: the run's history row counts it (and its cost) as the header does,
 * from the executor's run, with no read of the store. */
static void
executor_step_finished_cb (ReinsWindow   *self,
                           ReinsStep     *step,
                           ReinsExecutor *executor)
{
  reins_window_update_history (self, reins_executor_get_run (executor));
}

/* The run manager asks the windows to put a question to the person: the window that runs it
 * does, if it is in front (else the manager sends a notification). */
static gboolean
present_approval_cb (ReinsWindow     *self,
                     ReinsExecutor   *executor,
                     ReinsApproval   *approval,
                     ReinsRunManager *manager)
{
  if (reins_run_manager_get_owner (manager, reins_approval_get_run_id (approval)) !=
      G_OBJECT (self))
    return FALSE;

  if (gtk_window_is_active (GTK_WINDOW (self)) ||
      (self->approval_dialog != NULL && gtk_window_is_active (GTK_WINDOW (self->approval_dialog))))
    {
      /* The question is about the run it names: show that run behind the dialog. */
      reins_history_select_run (self->history, reins_approval_get_run_id (approval));
      _reins_window_show_approval_for (self, approval);
      return TRUE;
    }
  return FALSE;
}

/**
 * reins_window_get_run_manager:
 *
 * Returns: (transfer none): the runs this window's application holds (or, for a window
 *   without a ReinsApplication, the window's own manager)
 */
ReinsRunManager *
reins_window_get_run_manager (ReinsWindow *self)
{
  g_return_val_if_fail (REINS_IS_WINDOW (self), NULL);

  if (self->run_manager == NULL)
    {
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

      if (REINS_IS_APPLICATION (app))
        self->run_manager = g_object_ref (reins_application_get_run_manager (REINS_APPLICATION (app)));
      else
        self->run_manager = reins_run_manager_new (NULL);
      g_signal_connect_object (self->run_manager, "present-approval",
                               G_CALLBACK (present_approval_cb), self, G_CONNECT_SWAPPED);
    }
  return self->run_manager;
}

static void
executor_approval_resolved_cb (ReinsWindow         *self,
                               ReinsApprovalRecord *record,
                               ReinsExecutor       *executor)
{
  const char *run_id = reins_run_get_id (reins_executor_get_run (executor));

  reins_window_close_approval (self, run_id);
  _reins_window_update_actions (self);
}

static void
executor_finished_cb (ReinsWindow   *self,
                      ReinsRun      *run,
                      ReinsExecutor *executor)
{
  g_autofree char *run_id = g_strdup (reins_run_get_id (run));

  /* The run view keeps the executor it shows; the run manager lets it go. */
  reins_window_close_approval (self, run_id);
  reins_window_update_history (self, run);
  _reins_window_update_actions (self);
}

/**
 * reins_window_get_provider_config:
 * @provider: a name of reins_provider_get_names()
 *
 * How to reach @provider: the one place the window makes a ReinsProviderConfig. The key
 * is the system keyring's, else the environment variable's of docs/providers.md.
 *
 * Returns: (transfer full): a new config
 */
ReinsProviderConfig *
reins_window_get_provider_config (ReinsWindow *self,
                                  const char  *provider)
{
  ReinsProviderConfig *config;

  g_return_val_if_fail (REINS_IS_WINDOW (self), NULL);
  g_return_val_if_fail (provider != NULL, NULL);

  config = reins_provider_config_new (provider);
  /* Read from the keyring in the background, so that starting a run never waits on it. */
  g_free (config->api_key);
  config->api_key = reins_key_cache_get (provider);
  return config;
}

/**
 * reins_window_show_executor:
 * @executor: a run's executor, not started yet (a new run, a fork)
 *
 * Starts @executor, shows its run first in the history and live in the run view; the
 * window answers its questions and keeps it until it finishes.
 */
void
reins_window_show_executor (ReinsWindow   *self,
                            ReinsExecutor *executor)
{
  ReinsRun *live;

  g_return_if_fail (REINS_IS_WINDOW (self));
  g_return_if_fail (REINS_IS_EXECUTOR (executor));

  live = reins_executor_get_run (executor);
  reins_run_set_status (live, REINS_RUN_STATUS_RUNNING);
  reins_run_manager_add (reins_window_get_run_manager (self), executor, G_OBJECT (self));

  g_signal_connect_object (executor, "status-changed", G_CALLBACK (executor_status_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (executor, "notify::pending-approval",
                           G_CALLBACK (_reins_window_update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (executor, "step-finished", G_CALLBACK (executor_step_finished_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (executor, "approval-resolved",
                           G_CALLBACK (executor_approval_resolved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (executor, "finished", G_CALLBACK (executor_finished_cb), self,
                           G_CONNECT_SWAPPED);

  reins_run_view_set_executor (self->run_view, executor);
  /* Spans to the collector of the preferences, if one is set (reins-otlp-live.c). */
  if (self->settings != NULL)
    reins_otlp_live_watch (self->settings, executor);
  reins_executor_start (executor);

  self->updating_history = TRUE;
  reins_history_update_run (self->history, live);
  reins_history_select_run (self->history, reins_run_get_id (live));
  self->updating_history = FALSE;
  gtk_stack_set_visible_child_name (self->content_stack, "run");
  _reins_window_update_actions (self);
}

/**
 * reins_window_start_run:
 * @run: a new run with its settings (see reins_run_options_apply())
 * @config: how to reach its provider
 *
 * Starts @run on a worker, shows it first in the history and live in the run view.
 *
 * Returns: (transfer none): its executor
 */
ReinsExecutor *
reins_window_start_run (ReinsWindow               *self,
                        ReinsRun                  *run,
                        const ReinsProviderConfig *config)
{
  g_autoptr(ReinsExecutor) executor = NULL;

  g_return_val_if_fail (REINS_IS_WINDOW (self), NULL);
  g_return_val_if_fail (REINS_IS_RUN (run), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  executor = reins_executor_new (run, config, self->store_path);
  reins_window_show_executor (self, executor);

  /* The run manager keeps it until it finishes. */
  return executor;
}

/* From a notification: shows @run_id and its pending question. Returns whether this window
 * runs it. */
gboolean
reins_window_open_run (ReinsWindow *self,
                       const char  *run_id)
{
  ReinsExecutor *executor;
  g_autoptr(ReinsApproval) approval = NULL;

  g_return_val_if_fail (REINS_IS_WINDOW (self), FALSE);

  executor = reins_run_manager_lookup (reins_window_get_run_manager (self), run_id);
  if (executor == NULL)
    return FALSE;
  gtk_window_present (GTK_WINDOW (self));
  reins_history_select_run (self->history, run_id);
  approval = reins_executor_get_pending_approval (executor);
  _reins_window_show_approval_for (self, approval);
  return TRUE;
}

/**
 * reins_window_answer_remote:
 * @run_id: a run of another process that waits for a person (--approve=remote)
 * @approve: %TRUE to approve its question as it is (where it can be), else to review it
 *
 * The notification's buttons: the window shows the run, and approves its question or opens
 * the approval dialog on it.
 *
 * Returns: %TRUE when this window's store holds the run's question
 */
gboolean
reins_window_answer_remote (ReinsWindow *self,
                            const char  *run_id,
                            gboolean     approve)
{
  ReinsRemoteQuestions *bar;

  g_return_val_if_fail (REINS_IS_WINDOW (self), FALSE);

  if (self->remote_questions == NULL)
    return FALSE;
  bar = REINS_REMOTE_QUESTIONS (self->remote_questions);
  if (approve)
    return reins_remote_questions_approve_run (bar, run_id);
  gtk_window_present (GTK_WINDOW (self));
  reins_history_select_run (self->history, run_id);
  return reins_remote_questions_review (bar, run_id);
}
