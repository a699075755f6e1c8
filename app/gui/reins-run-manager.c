/* reins-run-manager.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each run is held with its owner (the window that shows it live) from its start to its
 * `finished`. A question goes first to the owners through `present-approval`; if none
 * shows it, the application sends a notification whose buttons come back as the actions
 * app.approve-run and app.open-run.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-format.h"
#include "reins-run-manager.h"

typedef struct
{
  ReinsExecutor *executor;
  GObject       *owner;     /* not a reference: the owner calls reins_run_manager_stop() */
} Entry;

struct _ReinsRunManager
{
  GObject       parent_instance;

  GApplication *application;  /* weak */
  GArray       *entries;      /* Entry, in the order the runs started */
};

static void reins_run_manager_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReinsRunManager, reins_run_manager, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      reins_run_manager_list_model_init))

enum {
  PRESENT_APPROVAL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GQuark close_confirmed_quark;

static GType
reins_run_manager_get_item_type (GListModel *model)
{
  return REINS_TYPE_EXECUTOR;
}

static guint
reins_run_manager_get_n_items (GListModel *model)
{
  return REINS_RUN_MANAGER (model)->entries->len;
}

static gpointer
reins_run_manager_get_item (GListModel *model,
                            guint       position)
{
  ReinsRunManager *self = REINS_RUN_MANAGER (model);

  if (position >= self->entries->len)
    return NULL;
  return g_object_ref (g_array_index (self->entries, Entry, position).executor);
}

static void
reins_run_manager_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = reins_run_manager_get_item_type;
  iface->get_n_items = reins_run_manager_get_n_items;
  iface->get_item = reins_run_manager_get_item;
}

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  g_clear_object (&entry->executor);
}

static void
reins_run_manager_dispose (GObject *object)
{
  ReinsRunManager *self = (ReinsRunManager *)object;

  /* Runs still going when the application goes are stopped (stored as cancelled). */
  if (self->entries != NULL)
    for (guint i = 0; i < self->entries->len; i++)
      {
        ReinsExecutor *executor = g_array_index (self->entries, Entry, i).executor;

        g_signal_handlers_disconnect_by_data (executor, self);
        reins_executor_cancel (executor);
      }
  g_clear_pointer (&self->entries, g_array_unref);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (reins_run_manager_parent_class)->dispose (object);
}

static void
reins_run_manager_class_init (ReinsRunManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = reins_run_manager_dispose;

  close_confirmed_quark = g_quark_from_static_string ("reins-run-manager-close-confirmed");

  /**
   * ReinsRunManager::present-approval:
   * @executor: the run that asks
   * @approval: its question
   *
   * Asks the windows to put @approval to the person. A handler that does returns %TRUE;
   * if none does, a notification is sent.
   */
  signals[PRESENT_APPROVAL] =
    g_signal_new ("present-approval", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, g_signal_accumulator_true_handled, NULL, NULL, G_TYPE_BOOLEAN, 2,
                  REINS_TYPE_EXECUTOR, REINS_TYPE_APPROVAL);
}

static void
reins_run_manager_init (ReinsRunManager *self)
{
  self->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (self->entries, entry_clear);
}

/**
 * reins_run_manager_new:
 * @application: (nullable): where notifications go; without one, a question nobody shows
 *   waits behind its run's bar
 */
ReinsRunManager *
reins_run_manager_new (GApplication *application)
{
  ReinsRunManager *self = g_object_new (REINS_TYPE_RUN_MANAGER, NULL);

  g_return_val_if_fail (application == NULL || G_IS_APPLICATION (application), NULL);

  g_set_weak_pointer (&self->application, application);
  return self;
}

static int
find_executor (ReinsRunManager *self,
               ReinsExecutor   *executor)
{
  for (guint i = 0; i < self->entries->len; i++)
    if (g_array_index (self->entries, Entry, i).executor == executor)
      return (int) i;
  return -1;
}

static Entry *
find_run (ReinsRunManager *self,
          const char      *run_id)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);

      if (g_strcmp0 (reins_run_get_id (reins_executor_get_run (entry->executor)), run_id) == 0)
        return entry;
    }
  return NULL;
}

/* Notifications ------------------------------------------------------------------------- */

static char *
notification_id (const char *run_id)
{
  return g_strdup_printf ("approval-%s", run_id);
}

void
reins_run_manager_withdraw_notification (ReinsRunManager *self,
                                         const char      *run_id)
{
  g_autofree char *id = notification_id (run_id);

  g_return_if_fail (REINS_IS_RUN_MANAGER (self));

  if (self->application != NULL)
    g_application_withdraw_notification (self->application, id);
}

static void
notify_approval (ReinsRunManager *self,
                 ReinsApproval   *approval)
{
  ReinsApprovalRecord *record = reins_approval_get_record (approval);
  const char *run_id = reins_approval_get_run_id (approval);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = notification_id (run_id);
  g_autofree char *body = NULL;

  if (self->application == NULL)
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
  g_application_send_notification (self->application, id, notification);
}

/* The runs' signals ------------------------------------------------------------------- */

static void
approval_requested_cb (ReinsExecutor   *executor,
                       ReinsApproval   *approval,
                       ReinsRunManager *self)
{
  gboolean shown = FALSE;

  g_signal_emit (self, signals[PRESENT_APPROVAL], 0, executor, approval, &shown);
  if (!shown)
    notify_approval (self, approval);
}

static void
approval_resolved_cb (ReinsExecutor       *executor,
                      ReinsApprovalRecord *record,
                      ReinsRunManager     *self)
{

  reins_run_manager_withdraw_notification (self,
                                           reins_run_get_id (reins_executor_get_run (executor)));
}

static void
finished_cb (ReinsExecutor   *executor,
             ReinsRun        *run,
             ReinsRunManager *self)
{
  int position = find_executor (self, executor);

  reins_run_manager_withdraw_notification (self, reins_run_get_id (run));
  if (position < 0)
    return;
  g_signal_handlers_disconnect_by_data (executor, self);
  g_array_remove_index (self->entries, (guint) position);
  g_list_model_items_changed (G_LIST_MODEL (self), (guint) position, 1, 0);
}

/**
 * reins_run_manager_add:
 * @executor: a run's executor, not started yet; the manager keeps it until it finishes
 * @owner: (nullable): the window that shows it; it calls reins_run_manager_stop() before
 *   it goes
 */
void
reins_run_manager_add (ReinsRunManager *self,
                       ReinsExecutor   *executor,
                       GObject         *owner)
{
  Entry entry = { NULL, owner };

  g_return_if_fail (REINS_IS_RUN_MANAGER (self));
  g_return_if_fail (REINS_IS_EXECUTOR (executor));
  g_return_if_fail (find_executor (self, executor) < 0);

  entry.executor = g_object_ref (executor);
  g_signal_connect (executor, "approval-requested", G_CALLBACK (approval_requested_cb), self);
  g_signal_connect (executor, "approval-resolved", G_CALLBACK (approval_resolved_cb), self);
  g_signal_connect (executor, "finished", G_CALLBACK (finished_cb), self);
  g_array_append_val (self->entries, entry);
  g_list_model_items_changed (G_LIST_MODEL (self), self->entries->len - 1, 0, 1);
}

/**
 * reins_run_manager_lookup:
 *
 * Returns: (transfer none) (nullable): the executor of @run_id while it runs
 */
ReinsExecutor *
reins_run_manager_lookup (ReinsRunManager *self,
                          const char      *run_id)
{
  Entry *entry;

  g_return_val_if_fail (REINS_IS_RUN_MANAGER (self), NULL);

  entry = run_id != NULL ? find_run (self, run_id) : NULL;
  return entry != NULL ? entry->executor : NULL;
}

/**
 * reins_run_manager_get_owner:
 *
 * Returns: (transfer none) (nullable): the window that shows @run_id while it runs
 */
GObject *
reins_run_manager_get_owner (ReinsRunManager *self,
                             const char      *run_id)
{
  Entry *entry;

  g_return_val_if_fail (REINS_IS_RUN_MANAGER (self), NULL);

  entry = run_id != NULL ? find_run (self, run_id) : NULL;
  return entry != NULL ? entry->owner : NULL;
}

/* The runs of @owner (all of them for %NULL) that have not finished; with @running_only,
 * those whose worker is still going. */
guint
reins_run_manager_count (ReinsRunManager *self,
                         GObject         *owner,
                         gboolean         running_only)
{
  guint n = 0;

  g_return_val_if_fail (REINS_IS_RUN_MANAGER (self), 0);

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);

      if ((owner == NULL || entry->owner == owner) &&
          (!running_only || reins_executor_is_running (entry->executor)))
        n++;
    }
  return n;
}

/**
 * reins_run_manager_stop:
 * @owner: the window whose runs to stop, going
 *
 * Stops the runs of @owner now, not whenever the last reference goes: they end stored as
 * cancelled. @owner's own handlers on them are disconnected, and it owns them no more.
 */
void
reins_run_manager_stop (ReinsRunManager *self,
                        GObject         *owner)
{
  g_return_if_fail (REINS_IS_RUN_MANAGER (self));
  g_return_if_fail (owner != NULL);

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);

      if (entry->owner != owner)
        continue;
      g_signal_handlers_disconnect_by_data (entry->executor, owner);
      entry->owner = NULL;
      reins_executor_cancel (entry->executor);
    }
}

/* From a notification: approves the pending action of @run_id. Returns whether it runs
 * here. */
gboolean
reins_run_manager_approve (ReinsRunManager *self,
                           const char      *run_id)
{
  ReinsExecutor *executor;
  g_autoptr(ReinsApproval) approval = NULL;

  g_return_val_if_fail (REINS_IS_RUN_MANAGER (self), FALSE);

  executor = reins_run_manager_lookup (self, run_id);
  if (executor == NULL)
    return FALSE;
  approval = reins_executor_get_pending_approval (executor);
  if (approval != NULL && !reins_approval_is_question (approval))
    reins_approval_approve (approval, FALSE);
  return TRUE;
}

/* Closing ------------------------------------------------------------------------------- */

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
                    GtkWindow        *window)
{
  if (g_strcmp0 (response, "stop") != 0)
    return;
  g_object_set_qdata (G_OBJECT (window), close_confirmed_quark, GINT_TO_POINTER (TRUE));
  g_idle_add_full (G_PRIORITY_DEFAULT, close_idle_cb, g_object_ref (window), g_object_unref);
}

/**
 * reins_run_manager_may_close:
 * @window: a window about to close (its close-request)
 *
 * Closing a window stops the runs it shows; they are kept (as cancelled), but a person
 * should not lose a run by a stray click, so this asks first and closes @window again once
 * they agree.
 *
 * Returns: %TRUE if @window may close now (its runs were stopped)
 */
gboolean
reins_run_manager_may_close (ReinsRunManager *self,
                             GtkWindow       *window)
{
  guint n;
  GtkWidget *dialog;

  g_return_val_if_fail (REINS_IS_RUN_MANAGER (self), TRUE);
  g_return_val_if_fail (GTK_IS_WINDOW (window), TRUE);

  n = reins_run_manager_count (self, G_OBJECT (window), TRUE);
  if (n == 0 || g_object_get_qdata (G_OBJECT (window), close_confirmed_quark) != NULL)
    {
      reins_run_manager_stop (self, G_OBJECT (window));
      return TRUE;
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
  g_signal_connect_object (dialog, "response", G_CALLBACK (close_confirmed_cb), window, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return FALSE;
}
