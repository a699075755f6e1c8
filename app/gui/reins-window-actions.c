/* reins-window-actions.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's actions (win.*), one callback each: the menus, buttons, shortcuts and tests
 * all go through them.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-bench-page.h"
#include "reins-export-file.h"
#include "reins-fork.h"
#include "reins-import-files.h"
#include "reins-judge-dialog.h"
#include "reins-new-run-dialog.h"
#include "reins-run-inspector.h"
#include "reins-store-projects.h"
#include "reins-window-private.h"

static void
reins_window_show_history (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  ReinsWindow *self = REINS_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar_pane);
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

static void
reins_window_import (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  ReinsWindow *self = REINS_WINDOW (widget);

  if (self->store != NULL)
    reins_import_files_with_dialog (GTK_WINDOW (self), self->history);
}

static void
reins_window_judge (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ReinsWindow *self = REINS_WINDOW (widget);

  if (self->store != NULL)
    gtk_window_present (GTK_WINDOW (reins_judge_dialog_new (GTK_WINDOW (self), self->history)));
}

static void
new_run_start_cb (ReinsWindow       *self,
                  ReinsNewRunDialog *dialog)
{
  g_autoptr(ReinsProviderConfig) config = NULL;
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_projects = FALSE;
  const char *project;

  config = reins_window_get_provider_config (self, reins_new_run_dialog_get_provider (dialog));
  run = reins_new_run_dialog_build (dialog, config, &error);
  if (run == NULL)
    {
      reins_new_run_dialog_show_error (dialog, error->message);
      return;
    }

  project = reins_new_run_dialog_get_project (dialog, &has_projects);
  if (!has_projects)
    reins_window_start_run (self, run, config);
  else
    {
      /* The run is created in the project picked: its connection names it. */
      g_autofree char *location = reins_store_location_with_project (self->store_path, project);
      g_autoptr(ReinsExecutor) executor = NULL;

      if (location == NULL)
        {
          reins_new_run_dialog_show_error (dialog, _("This store cannot put a run in a project"));
          return;
        }
      executor = reins_executor_new (run, config, location);
      reins_window_show_executor (self, executor);
    }
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
      /* On PostgreSQL a run belongs to a project: those the person may start runs in. */
      if (reins_store_has_projects (self->store))
        {
          g_autoptr(GError) error = NULL;
          g_auto(GStrv) projects = reins_store_list_projects (self->store, &error);
          g_autofree char *current = reins_store_dup_connection_project (self->store);

          if (projects == NULL)
            g_debug ("Cannot list the projects: %s", error->message);
          else
            reins_new_run_dialog_set_projects (REINS_NEW_RUN_DIALOG (self->new_run_dialog),
                                               (const char * const *) projects, current);
        }
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

/* The run shown, if it is live: the run actions act on it. */
static ReinsExecutor *
live_executor (ReinsWindow *self)
{
  ReinsExecutor *executor = reins_run_view_get_executor (self->run_view);

  return executor != NULL && reins_executor_is_running (executor) ? executor : NULL;
}

static void
reins_window_pause (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  ReinsExecutor *executor = live_executor (REINS_WINDOW (widget));

  if (executor != NULL)
    reins_executor_pause (executor);
}

static void
reins_window_resume (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  ReinsExecutor *executor = live_executor (REINS_WINDOW (widget));

  if (executor != NULL)
    reins_executor_resume (executor);
}

static void
reins_window_toggle_pause (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  ReinsExecutor *executor = live_executor (REINS_WINDOW (widget));

  if (executor == NULL)
    return;
  if (reins_executor_get_status (executor) == REINS_RUN_STATUS_PAUSED)
    reins_executor_resume (executor);
  else
    reins_executor_pause (executor);
}

static void
reins_window_step (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  ReinsExecutor *executor = live_executor (REINS_WINDOW (widget));

  if (executor != NULL)
    reins_executor_step (executor);
}

static void
reins_window_stop (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  ReinsExecutor *executor = live_executor (REINS_WINDOW (widget));

  if (executor != NULL)
    reins_executor_cancel (executor);
}

static void
reins_window_ask_stop_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *param)
{
  ReinsExecutor *executor = live_executor (REINS_WINDOW (widget));

  if (executor != NULL)
    reins_window_ask_stop (REINS_WINDOW (widget), executor);
}

static void
reins_window_show_approval (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *param)
{
  ReinsExecutor *executor = live_executor (REINS_WINDOW (widget));
  g_autoptr(ReinsApproval) approval = NULL;

  if (executor == NULL)
    return;
  approval = reins_executor_get_pending_approval (executor);
  _reins_window_show_approval_for (REINS_WINDOW (widget), approval);
}

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

void
_reins_window_class_add_actions (GtkWidgetClass *widget_class)
{
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
  gtk_widget_class_install_action (widget_class, "win.import", NULL, reins_window_import);
  gtk_widget_class_install_action (widget_class, "win.judge", NULL, reins_window_judge);
  gtk_widget_class_install_action (widget_class, "win.fork-from", "u", reins_window_fork);
  gtk_widget_class_install_action (widget_class, "win.select-run", "s", reins_window_select_run);
  gtk_widget_class_install_action (widget_class, "win.show-history", NULL,
                                   reins_window_show_history);

  gtk_widget_class_install_action (widget_class, "win.new-run", NULL, reins_window_new_run);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-run", NULL);
  gtk_widget_class_install_action (widget_class, "win.pause", NULL, reins_window_pause);
  gtk_widget_class_install_action (widget_class, "win.resume", NULL, reins_window_resume);
  gtk_widget_class_install_action (widget_class, "win.toggle-pause", NULL,
                                   reins_window_toggle_pause);
  gtk_widget_class_install_action (widget_class, "win.step", NULL, reins_window_step);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, reins_window_stop);
  gtk_widget_class_install_action (widget_class, "win.ask-stop", NULL,
                                   reins_window_ask_stop_action);
  gtk_widget_class_install_action (widget_class, "win.show-approval", NULL,
                                   reins_window_show_approval);
}
