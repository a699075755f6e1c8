/* reins-window.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window: the history of runs beside the run that is picked.
 *
 * The window only assembles: it opens the store, hands it to the history and the run view,
 * and chooses what fills it — the runs, the empty state, or why the store cannot be opened.
 *
 * It also owns the runs started here (one ReinsExecutor each, keyed by run id): it starts
 * them from the New Run dialog, routes the run actions (pause, resume, step, stop) to the
 * run shown, and puts the harness's questions to the person — a dialog when the window is
 * in front, a notification when it is not.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reins-bench-page.h"
#include "reins-export-file.h"
#include "reins-fork.h"
#include "reins-approval-dialog.h"
#include "reins-elicitation-dialog.h"
#include "reins-format.h"
#include "reins-guard.h"
#include "reins-history.h"
#include "reins-key-cache.h"
#include "reins-new-run-dialog.h"
#include "reins-run-inspector.h"
#include "reins-run-view.h"
#include "reins-store.h"
#include "reins-window-private.h"

struct _ReinsWindow
{
  AdwApplicationWindow  parent_instance;

  char                 *store_path;
  ReinsStore           *store;
  GSettings            *settings;
  gboolean              close_confirmed;
  GHashTable           *executors;       /* run id → ReinsExecutor, while it runs */
  GtkWidget            *new_run_dialog;  /* weak */
  GtkWidget            *approval_dialog; /* weak */
  gboolean              updating_history;

  GtkStack             *stack;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar_pane;
  GtkWidget            *content_pane;
  ReinsHistory         *history;
  GtkStack             *content_stack;
  ReinsRunView         *run_view;
  AdwStatusPage        *error_page;
};

G_DEFINE_FINAL_TYPE (ReinsWindow, reins_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reins_window_update_actions (ReinsWindow *self);

static void
history_selected_run_cb (ReinsWindow  *self,
                         GParamSpec   *pspec,
                         ReinsHistory *history)
{
  ReinsRun *run = reins_history_get_selected_run (history);
  ReinsExecutor *executor;

  /* The window replaces a live run's row itself; the run view keeps showing it. */
  if (self->updating_history)
    return;

  /* Nothing selected because a search found nothing (or a filter hides the run): the run
   * being read stays in view, with its "Waiting for you" bar if it waits. */
  if (run == NULL && reins_history_get_n_runs (history) > 0 &&
      reins_run_view_get_run (self->run_view) != NULL &&
      reins_history_get_model (history) != NULL &&
      g_list_model_get_n_items (reins_history_get_model (history)) == 0)
    return;

  executor = run != NULL ? g_hash_table_lookup (self->executors, reins_run_get_id (run)) : NULL;
  if (executor != NULL)
    reins_run_view_set_executor (self->run_view, executor);
  else
    {
      reins_run_view_set_run (self->run_view, run);
      /* A search result opens at the step the hit is in. */
      reins_run_view_show_step (self->run_view, reins_history_get_selected_step (history));
    }
  gtk_stack_set_visible_child_name (self->content_stack, run != NULL ? "run" : "none");
  /* On a narrow window, picking a run in the history opens it. */
  if (run != NULL)
    adw_leaflet_set_visible_child (self->leaflet, self->content_pane);
  reins_window_update_actions (self);
}

/* Below this height the chart folds away, so the timeline keeps most of the window. */
#define COMPACT_HEIGHT 600

static void
reins_window_update_compact (ReinsWindow *self)
{
  int width = 0, height = 0;

  /* (GTK 4.8 wants both out arguments.) */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  reins_run_inspector_set_compact (reins_run_view_get_inspector (self->run_view),
                                   height > 0 && height < COMPACT_HEIGHT);
}

static void
leaflet_folded_cb (ReinsWindow *self)
{
  /* Folded, the run is what a person came for; the back button leads to the history. */
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->content_pane);
}

static void
reins_window_show_history (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  ReinsWindow *self = REINS_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar_pane);
}

static void
history_n_runs_cb (ReinsWindow  *self,
                   GParamSpec   *pspec,
                   ReinsHistory *history)
{
  if (self->store == NULL)
    return;

  gtk_stack_set_visible_child_name (self->stack,
                                    reins_history_get_n_runs (history) > 0 ? "runs" : "empty");
}

static void
reins_window_open_store (ReinsWindow *self)
{
  g_autoptr(GError) error = NULL;

  self->store = reins_store_open (self->store_path, &error);
  if (self->store == NULL)
    {
      g_autofree char *text = NULL;
      /* A database URI may hold a password: it is never shown. */
      g_autofree char *shown = reins_store_describe_location (self->store_path);

      /* The store's messages usually name the file already; say it once. */
      if (strstr (error->message, shown) != NULL)
        text = g_strdup (error->message);
      else
        /* Translators: the first placeholder is why a file cannot be used, the second its path */
        text = g_strdup_printf (_("%s\n\nFile: %s"), error->message, shown);
      adw_status_page_set_description (self->error_page, text);
      gtk_stack_set_visible_child_name (self->stack, "error");
      g_debug ("Cannot open %s: %s", shown, error->message);
      return;
    }

  reins_run_view_set_store (self->run_view, self->store);
  reins_history_set_store (self->history, self->store);
  history_n_runs_cb (self, NULL, self->history);
}

static void
reins_window_search (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  ReinsWindow *self = REINS_WINDOW (widget);

  if (self->store == NULL)
    return;
  /* On a narrow window the search is on the history's page. */
  adw_leaflet_set_visible_child (self->leaflet, self->sidebar_pane);
  reins_history_focus_search (self->history);
}

static void
reins_window_reload (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  ReinsWindow *self = REINS_WINDOW (widget);

  if (self->store != NULL)
    reins_history_reload (self->history);
}

static void
reins_window_bench (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  ReinsWindow *self = REINS_WINDOW (widget);

  reins_bench_page_present_window (GTK_WINDOW (self), self->store_path);
}

/* Live runs ----------------------------------------------------------------------------- */

/* The executor of the run shown, if it is one this window runs (or ran). */
static ReinsExecutor *
reins_window_get_shown_executor (ReinsWindow *self)
{
  return reins_run_view_get_executor (self->run_view);
}

static void
reins_window_update_actions (ReinsWindow *self)
{
  ReinsExecutor *executor = reins_window_get_shown_executor (self);
  ReinsRun *run = executor != NULL ? reins_executor_get_run (executor) : NULL;
  ReinsRunStatus status = run != NULL ? reins_run_get_status (run) : REINS_RUN_STATUS_COMPLETED;
  gboolean live = run != NULL && !reins_run_status_is_final (status) &&
                  reins_executor_is_running (executor);
  gboolean paused = live && status == REINS_RUN_STATUS_PAUSED;
  ReinsApproval *approval = live ? reins_executor_get_pending_approval (executor) : NULL;
  gboolean shown;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-run", self->store != NULL);
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
    history_selected_run_cb (self, NULL, self->history);
}

static char *
notification_id (const char *run_id)
{
  return g_strdup_printf ("approval-%s", run_id);
}

static void
reins_window_withdraw_notification (ReinsWindow *self,
                                    const char  *run_id)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autofree char *id = notification_id (run_id);

  if (app != NULL)
    g_application_withdraw_notification (G_APPLICATION (app), id);
}

static void
reins_window_notify_approval (ReinsWindow   *self,
                              ReinsApproval *approval)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  ReinsApprovalRecord *record = reins_approval_get_record (approval);
  const char *run_id = reins_approval_get_run_id (approval);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = notification_id (run_id);
  g_autofree char *body = NULL;

  if (app == NULL)
    return;

  notification = g_notification_new (reins_format_guard_heading (
    reins_approval_is_question (approval) ? "ask_human" : reins_approval_record_get_guard (record)));
  body = reins_format_excerpt (reins_approval_record_get_reason (record), 200, NULL);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, "app.open-run", "s", run_id);
  /* A question wants words: only an action can be approved from the notification. */
  if (!reins_approval_is_question (approval))
    g_notification_add_button_with_target (notification, _("Approve"), "app.approve-run", "s",
                                           run_id);
  g_notification_add_button_with_target (notification, _("Open"), "app.open-run", "s", run_id);
  g_application_send_notification (G_APPLICATION (app), id, notification);
}

/* The step in question is stored before the question is put: the dialog shows its thought
 * and the observation before it. */
static void
reins_window_give_approval_context (ReinsWindow   *self,
                                    ReinsApproval *approval)
{
  const char *run_id = reins_approval_get_run_id (approval);
  guint index = reins_approval_record_get_step (reins_approval_get_record (approval));
  ReinsExecutor *executor = g_hash_table_lookup (self->executors, run_id);
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
  reins_approval_dialog_set_step (REINS_APPROVAL_DIALOG (self->approval_dialog), step, previous,
                                  settings != NULL
                                    ? reins_settings_get_double (settings, "confidence_threshold",
                                                                 0.7)
                                    : 0.7);
}

/* The approval the open dialog is about: an approval dialog, or an MCP server's form. */
static ReinsApproval *
dialog_get_approval (GtkWidget *dialog)
{
  if (REINS_IS_ELICITATION_DIALOG (dialog))
    return reins_elicitation_dialog_get_approval (REINS_ELICITATION_DIALOG (dialog));
  return reins_approval_dialog_get_approval (REINS_APPROVAL_DIALOG (dialog));
}

static void
reins_window_show_approval_for (ReinsWindow   *self,
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
executor_status_changed_cb (ReinsWindow   *self,
                            int            status,
                            ReinsExecutor *executor)
{
  reins_window_update_history (self, reins_executor_get_run (executor));
  reins_window_update_actions (self);
}

static void
executor_approval_requested_cb (ReinsWindow   *self,
                                ReinsApproval *approval,
                                ReinsExecutor *executor)
{
  reins_window_update_actions (self);

  if (gtk_window_is_active (GTK_WINDOW (self)) ||
      (self->approval_dialog != NULL && gtk_window_is_active (GTK_WINDOW (self->approval_dialog))))
    {
      /* The question is about the run it names: show that run behind the dialog. */
      reins_history_select_run (self->history, reins_approval_get_run_id (approval));
      reins_window_show_approval_for (self, approval);
    }
  else
    reins_window_notify_approval (self, approval);
}

static void
executor_approval_resolved_cb (ReinsWindow         *self,
                               ReinsApprovalRecord *record,
                               ReinsExecutor       *executor)
{
  const char *run_id = reins_run_get_id (reins_executor_get_run (executor));

  reins_window_withdraw_notification (self, run_id);
  reins_window_close_approval (self, run_id);
  reins_window_update_actions (self);
}

static void
executor_finished_cb (ReinsWindow   *self,
                      ReinsRun      *run,
                      ReinsExecutor *executor)
{
  g_autofree char *run_id = g_strdup (reins_run_get_id (run));

  reins_window_withdraw_notification (self, run_id);
  reins_window_close_approval (self, run_id);
  /* The run view keeps the executor it shows; the window is done with it. */
  g_hash_table_remove (self->executors, run_id);
  reins_window_update_history (self, run);
  reins_window_update_actions (self);
}

/**
 * reins_window_get_provider_config:
 * @provider: a name of reins_provider_get_names()
 *
 * How to reach @provider: the one place the window makes a ReinsProviderConfig. Keys come
 * from the environment variables of docs/providers.md for now; the preferences (issue 8)
 * replace that with the system keyring here.
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
  /* Issue 8: the keyring's key (read in the background), else the environment's. */
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
  g_hash_table_insert (self->executors, g_strdup (reins_run_get_id (live)),
                       g_object_ref (executor));

  g_signal_connect_object (executor, "status-changed", G_CALLBACK (executor_status_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (executor, "approval-requested",
                           G_CALLBACK (executor_approval_requested_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (executor, "approval-resolved",
                           G_CALLBACK (executor_approval_resolved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (executor, "finished", G_CALLBACK (executor_finished_cb), self,
                           G_CONNECT_SWAPPED);

  reins_run_view_set_executor (self->run_view, executor);
  reins_executor_start (executor);

  self->updating_history = TRUE;
  reins_history_update_run (self->history, live);
  reins_history_select_run (self->history, reins_run_get_id (live));
  self->updating_history = FALSE;
  gtk_stack_set_visible_child_name (self->content_stack, "run");
  reins_window_update_actions (self);
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

  /* The window keeps it (self->executors). */
  return executor;
}

static void
new_run_start_cb (ReinsWindow       *self,
                  ReinsNewRunDialog *dialog)
{
  g_autoptr(ReinsProviderConfig) config = NULL;
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(GError) error = NULL;

  config = reins_window_get_provider_config (self, reins_new_run_dialog_get_provider (dialog));
  run = reins_new_run_dialog_build (dialog, config, &error);
  if (run == NULL)
    {
      reins_new_run_dialog_show_error (dialog, error->message);
      return;
    }

  reins_window_start_run (self, run, config);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
reins_window_new_run (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  ReinsWindow *self = REINS_WINDOW (widget);

  if (self->store == NULL)
    return;

  if (self->new_run_dialog == NULL)
    {
      self->new_run_dialog = reins_new_run_dialog_new (GTK_WINDOW (self));
      g_object_add_weak_pointer (G_OBJECT (self->new_run_dialog),
                                 (gpointer *) &self->new_run_dialog);
      g_signal_connect_object (self->new_run_dialog, "start", G_CALLBACK (new_run_start_cb), self,
                               G_CONNECT_SWAPPED);
    }
  gtk_window_present (GTK_WINDOW (self->new_run_dialog));
}

static void
stop_confirmed_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   ReinsExecutor    *executor)
{
  if (g_strcmp0 (response, "stop") == 0 && reins_executor_is_running (executor))
    reins_executor_cancel (executor);
}

/* The keyboard's Stop (Ctrl+.) asks first: it sits next to Ctrl+, and a run stopped cannot
 * be taken back. The Stop button, a deliberate click, does not ask. */
static void
reins_window_ask_stop (ReinsWindow   *self,
                       ReinsExecutor *executor)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Stop the Run?"),
                                              _("The run ends now and stays in the history "
                                                "as cancelled."));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep Running"),
                                    "stop", _("_Stop Run"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "stop",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (stop_confirmed_cb),
                         g_object_ref (executor), (GClosureNotify) g_object_unref, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
reins_window_run_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  ReinsWindow *self = REINS_WINDOW (widget);
  ReinsExecutor *executor = reins_window_get_shown_executor (self);

  if (executor == NULL || !reins_executor_is_running (executor))
    return;

  if (g_str_equal (action_name, "win.pause"))
    reins_executor_pause (executor);
  else if (g_str_equal (action_name, "win.resume"))
    reins_executor_resume (executor);
  else if (g_str_equal (action_name, "win.toggle-pause"))
    {
      if (reins_run_get_status (reins_executor_get_run (executor)) == REINS_RUN_STATUS_PAUSED)
        reins_executor_resume (executor);
      else
        reins_executor_pause (executor);
    }
  else if (g_str_equal (action_name, "win.step"))
    reins_executor_step (executor);
  else if (g_str_equal (action_name, "win.stop"))
    reins_executor_cancel (executor);
  else if (g_str_equal (action_name, "win.show-approval"))
    reins_window_show_approval_for (self, reins_executor_get_pending_approval (executor));
  else if (g_str_equal (action_name, "win.ask-stop"))
    reins_window_ask_stop (self, executor);
}

/* From a notification: approves the pending action of @run_id. Returns whether this window
 * runs it. */
gboolean
reins_window_approve_run (ReinsWindow *self,
                          const char  *run_id)
{
  ReinsExecutor *executor;
  ReinsApproval *approval;

  g_return_val_if_fail (REINS_IS_WINDOW (self), FALSE);

  executor = g_hash_table_lookup (self->executors, run_id);
  if (executor == NULL)
    return FALSE;
  approval = reins_executor_get_pending_approval (executor);
  if (approval != NULL && !reins_approval_is_question (approval))
    reins_approval_approve (approval, FALSE);
  return TRUE;
}

/* From a notification: shows @run_id and its pending question. Returns whether this window
 * runs it. */
gboolean
reins_window_open_run (ReinsWindow *self,
                       const char  *run_id)
{
  ReinsExecutor *executor;

  g_return_val_if_fail (REINS_IS_WINDOW (self), FALSE);

  executor = g_hash_table_lookup (self->executors, run_id);
  if (executor == NULL)
    return FALSE;
  gtk_window_present (GTK_WINDOW (self));
  reins_history_select_run (self->history, run_id);
  reins_window_show_approval_for (self, reins_executor_get_pending_approval (executor));
  return TRUE;
}

/* --- export and fork (issue 8) --- */

static void
reins_window_export (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  ReinsWindow *self = REINS_WINDOW (widget);
  ReinsRun *run = reins_run_view_get_run (self->run_view);

  if (self->store != NULL && run != NULL)
    reins_export_run_with_dialog (GTK_WINDOW (self), self->store, run);
}

/* Opens a run by id (a link to a fork or its parent), showing every run if a search or a
 * filter hides it. */
static void
reins_window_select_run (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  ReinsWindow *self = REINS_WINDOW (widget);
  const char *run_id = g_variant_get_string (param, NULL);

  if (reins_history_select_run (self->history, run_id))
    return;
  reins_history_search (self->history, NULL);
  reins_history_set_status_filter (self->history, -1);
  reins_history_select_run (self->history, run_id);
}

/* A fork runs live in this window, like a run started here. */
static void
fork_started_cb (ReinsExecutor *executor,
                 gpointer       user_data)
{
  reins_window_show_executor (REINS_WINDOW (user_data), executor);
}

static void
reins_window_fork (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  ReinsWindow *self = REINS_WINDOW (widget);
  ReinsRun *run = reins_run_view_get_run (self->run_view);
  guint step;

  if (self->store == NULL || run == NULL)
    return;
  step = param != NULL ? g_variant_get_uint32 (param)
                       : reins_run_inspector_get_current_step (
                           reins_run_view_get_inspector (self->run_view));
  reins_fork_dialog_present (GTK_WINDOW (self), self->store, run, step, fork_started_cb, self);
}

static void
reins_window_constructed (GObject *object)
{
  ReinsWindow *self = (ReinsWindow *)object;

  G_OBJECT_CLASS (reins_window_parent_class)->constructed (object);

  if (self->store_path == NULL)
    self->store_path = reins_store_default_location ();

  /* The window's size, state and layout follow the settings, both ways. */
  self->settings = g_settings_new (APPLICATION_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
  /* The history's width when it is beside the run (the leaflet folds below it + the run's). */
  g_settings_bind (self->settings, "sidebar-width", self->sidebar_pane, "width-request",
                   G_SETTINGS_BIND_GET);
  g_signal_connect (self, "notify::default-height", G_CALLBACK (reins_window_update_compact),
                    NULL);
  reins_window_update_compact (self);

  reins_window_open_store (self);
  reins_window_update_actions (self);
  reins_key_cache_refresh ();
}

static guint
count_running (ReinsWindow *self)
{
  GHashTableIter iter;
  gpointer executor;
  guint n = 0;

  if (self->executors == NULL)
    return 0;
  g_hash_table_iter_init (&iter, self->executors);
  while (g_hash_table_iter_next (&iter, NULL, &executor))
    if (reins_executor_is_running (executor))
      n++;
  return n;
}

static gboolean
close_idle_cb (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

/* The window closes once the dialog has finished answering: closing it from inside the
 * dialog's "response" destroyed the dialog (transient, destroyed with its parent) while
 * AdwMessageDialog was still using it — the criticals on quit. */
static void
close_confirmed_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    ReinsWindow      *self)
{
  if (g_strcmp0 (response, "stop") != 0)
    return;
  self->close_confirmed = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT, close_idle_cb, g_object_ref (self), g_object_unref);
}

/* Closing stops the runs this window started; they are kept (as cancelled), but a person
 * should not lose a run by a stray click, so ask first. */
static gboolean
reins_window_close_request (GtkWindow *window)
{
  ReinsWindow *self = REINS_WINDOW (window);
  guint n = count_running (self);
  GtkWidget *dialog;

  if (n == 0 || self->close_confirmed)
    {
      GHashTableIter iter;
      gpointer executor;

      /* Stopped now, not whenever the last reference goes: they end stored as cancelled. */
      g_hash_table_iter_init (&iter, self->executors);
      while (g_hash_table_iter_next (&iter, NULL, &executor))
        reins_executor_cancel (executor);
      return GTK_WINDOW_CLASS (reins_window_parent_class)->close_request (window);
    }

  dialog = adw_message_dialog_new (window, _("Stop Running Runs?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  ngettext ("A run is still going. Closing the window stops it; "
                                            "it stays in the history as cancelled.",
                                            "%u runs are still going. Closing the window stops "
                                            "them; they stay in the history as cancelled.", n),
                                  n);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep Running"),
                                    "stop", _("_Stop and Close"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "stop",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (close_confirmed_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* A dialog may outlive the window (a reference held elsewhere, a signal still being
 * emitted): its weak pointer must not point into a freed window then. */
static void
destroy_dialog (GtkWidget **dialog_pointer)
{
  GtkWidget *dialog = *dialog_pointer;

  if (dialog == NULL)
    return;
  g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) dialog_pointer);
  *dialog_pointer = NULL;
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
reins_window_dispose (GObject *object)
{
  ReinsWindow *self = (ReinsWindow *)object;

  GHashTableIter iter;
  gpointer executor;

  /* Runs still going when the window goes are stopped (stored as cancelled). */
  if (self->executors != NULL)
    {
      g_hash_table_iter_init (&iter, self->executors);
      while (g_hash_table_iter_next (&iter, NULL, &executor))
        {
          g_signal_handlers_disconnect_by_data (executor, self);
          reins_executor_cancel (executor);
        }
      g_clear_pointer (&self->executors, g_hash_table_unref);
    }
  destroy_dialog (&self->approval_dialog);
  destroy_dialog (&self->new_run_dialog);

  gtk_widget_dispose_template (GTK_WIDGET (self), REINS_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (reins_window_parent_class)->dispose (object);
}

static void
reins_window_finalize (GObject *object)
{
  ReinsWindow *self = (ReinsWindow *)object;

  g_clear_pointer (&self->store_path, g_free);

  G_OBJECT_CLASS (reins_window_parent_class)->finalize (object);
}

static void
reins_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ReinsWindow *self = REINS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE_PATH:
      g_value_set_string (value, self->store_path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  ReinsWindow *self = REINS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE_PATH:
      self->store_path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_window_class_init (ReinsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = reins_window_constructed;
  object_class->dispose = reins_window_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = reins_window_close_request;
  object_class->finalize = reins_window_finalize;
  object_class->get_property = reins_window_get_property;
  object_class->set_property = reins_window_set_property;

  properties[PROP_STORE_PATH] =
    g_param_spec_string ("store-path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/reins-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ReinsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, ReinsWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, ReinsWindow, sidebar_pane);
  gtk_widget_class_bind_template_child (widget_class, ReinsWindow, content_pane);
  gtk_widget_class_bind_template_callback (widget_class, leaflet_folded_cb);
  gtk_widget_class_bind_template_child (widget_class, ReinsWindow, history);
  gtk_widget_class_bind_template_child (widget_class, ReinsWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, ReinsWindow, run_view);
  gtk_widget_class_bind_template_child (widget_class, ReinsWindow, error_page);
  gtk_widget_class_bind_template_callback (widget_class, history_selected_run_cb);
  gtk_widget_class_bind_template_callback (widget_class, history_n_runs_cb);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, reins_window_search);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reins_window_reload);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, reins_window_export);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "win.export", NULL);
  gtk_widget_class_install_action (widget_class, "win.fork", NULL, reins_window_fork);
  gtk_widget_class_install_action (widget_class, "win.bench", NULL, reins_window_bench);
  gtk_widget_class_install_action (widget_class, "win.fork-from", "u", reins_window_fork);
  gtk_widget_class_install_action (widget_class, "win.select-run", "s", reins_window_select_run);
  gtk_widget_class_install_action (widget_class, "win.show-history", NULL,
                                   reins_window_show_history);

  gtk_widget_class_install_action (widget_class, "win.new-run", NULL, reins_window_new_run);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-run", NULL);
  gtk_widget_class_install_action (widget_class, "win.pause", NULL, reins_window_run_action);
  gtk_widget_class_install_action (widget_class, "win.resume", NULL, reins_window_run_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-pause", NULL,
                                   reins_window_run_action);
  gtk_widget_class_install_action (widget_class, "win.step", NULL, reins_window_run_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, reins_window_run_action);
  gtk_widget_class_install_action (widget_class, "win.ask-stop", NULL, reins_window_run_action);
  gtk_widget_class_install_action (widget_class, "win.show-approval", NULL,
                                   reins_window_run_action);
  /* The run's own shortcuts are in reins_window_add_run_shortcuts(). */

  g_type_ensure (REINS_TYPE_HISTORY);
  g_type_ensure (REINS_TYPE_RUN_VIEW);
}

/* The live run's shortcuts act wherever the focus is: a binding of the window only sees
 * the keys the focused widget let through, and a list, a label or a search field takes
 * Ctrl+→ and Shift+Ctrl+A for itself. These are caught on the way in instead; while no run
 * is live their actions are disabled, and the key goes on to the focused widget. */
static const struct
{
  guint            keyval;
  GdkModifierType  modifiers;
  const char      *action;
} run_shortcuts[] = {
  { GDK_KEY_p, GDK_CONTROL_MASK, "win.toggle-pause" },
  { GDK_KEY_Right, GDK_CONTROL_MASK, "win.step" },
  { GDK_KEY_period, GDK_CONTROL_MASK, "win.ask-stop" },
  { GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.show-approval" },
};

static void
reins_window_add_run_shortcuts (ReinsWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_name (controller, "run-shortcuts");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller), GTK_SHORTCUT_SCOPE_LOCAL);
  for (guint i = 0; i < G_N_ELEMENTS (run_shortcuts); i++)
    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (controller),
      gtk_shortcut_new (gtk_keyval_trigger_new (run_shortcuts[i].keyval,
                                                run_shortcuts[i].modifiers),
                        gtk_named_action_new (run_shortcuts[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
reins_window_init (ReinsWindow *self)
{
  self->executors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));
  reins_window_add_run_shortcuts (self);
}

ReinsWindow *
reins_window_new (GtkApplication *application,
                  const char     *store_path)
{
  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (REINS_TYPE_WINDOW,
                       "application", application,
                       "store-path", store_path,
                       NULL);
}

/* The file of the run store this window shows. */
const char *
reins_window_get_store_path (ReinsWindow *self)
{
  g_return_val_if_fail (REINS_IS_WINDOW (self), NULL);

  return self->store_path;
}

ReinsHistory *
_reins_window_get_history (ReinsWindow *self)
{
  return self->history;
}

ReinsRunView *
_reins_window_get_run_view (ReinsWindow *self)
{
  return self->run_view;
}

/* "runs", "empty" or "error". */
const char *
_reins_window_get_page (ReinsWindow *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
_reins_window_get_error_text (ReinsWindow *self)
{
  return adw_status_page_get_description (self->error_page);
}

GtkWidget *
_reins_window_get_approval_dialog (ReinsWindow *self)
{
  return self->approval_dialog;
}

GtkWidget *
_reins_window_get_new_run_dialog (ReinsWindow *self)
{
  return self->new_run_dialog;
}

guint
_reins_window_get_n_live_runs (ReinsWindow *self)
{
  return self->executors != NULL ? g_hash_table_size (self->executors) : 0;
}
