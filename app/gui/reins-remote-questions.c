/* reins-remote-questions.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Questions of runs this window does not run — a `reins-cli run --approve=remote` on a
 * server, another person's window — waiting in the store it shows: a bar above the run and
 * a notification, within a second (the store's notifications on PostgreSQL, a poll of a
 * file), and Approve / Reject with feedback through reins_store_decide_approval(). Of two
 * people answering at once one decision is stored; the other is shown who decided what.
 *
 * "Review…" (or the notification, or picking the run) opens the approval dialog local
 * questions get, one per question; its answer is stored the same conditional way. When
 * someone else answers first, the dialog closes and the bar says who decided what.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-approval-dialog.h"
#include "reins-format.h"
#include "reins-remote-questions.h"
#include "reins-run-settings.h"

/* How often a store without notifications (a SQLite file) is looked at. */
#define POLL_INTERVAL_MS 500

struct _ReinsRemoteQuestions
{
  GtkBox           parent_instance;

  ReinsStore      *store;
  ReinsRunManager *run_manager;
  guint            watch_id;
  gint64           data_version;

  /* The question shown: its run, step and which approval */
  char            *run_id;
  guint            step;
  guint            ord;
  gint64           shown_at;   /* when the question shown was asked */
  /* The last question notified, "RUN/STEP/ORD", so each is notified once, and its run */
  char            *notified;
  char            *notified_run;

  /* The approval dialog open on a question, if any, and which question */
  GtkWidget       *dialog;
  char            *dialog_run_id;
  guint            dialog_step;
  guint            dialog_ord;
  /* The last question opened because its run was picked, "RUN/STEP/ORD" */
  char            *picked;
  /* run id → Asked: when the open question of each waiting run was asked, read once per
   * step the run is at, so a look at the store reads one question, not one per run */
  GHashTable      *asked;

  GtkLabel        *label;
  GtkEntry        *feedback;
  GtkWidget       *approve;
  GtkWidget       *reject;
  GtkWidget       *review;
};

G_DEFINE_FINAL_TYPE (ReinsRemoteQuestions, reins_remote_questions, GTK_TYPE_BOX)

static gboolean
is_question (ReinsApprovalRecord *record)
{
  const char *guard = reins_approval_record_get_guard (record);

  return g_strcmp0 (guard, "ask_human") == 0 || g_strcmp0 (guard, "elicitation") == 0;
}

static char *
notification_id (const char *run_id)
{
  return g_strdup_printf ("remote-question-%s", run_id);
}

static void
withdraw_notification (ReinsRemoteQuestions *self,
                       const char           *run_id)
{
  GApplication *application = g_application_get_default ();
  g_autofree char *id = NULL;

  if (application == NULL || run_id == NULL || g_strcmp0 (run_id, self->notified_run) != 0)
    return;
  id = notification_id (run_id);
  g_application_withdraw_notification (application, id);
}

/* Approve from the notification only what the dialog would let approve as it is: an
 * action of a known tool with its arguments. A question wants words: Review. */
static void
notify_question (ReinsRemoteQuestions *self,
                 ReinsRun             *run,
                 ReinsApprovalRecord  *record)
{
  GApplication *application = g_application_get_default ();
  g_autofree char *key = g_strdup_printf ("%s/%u/%u", self->run_id, self->step, self->ord);
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GNotification) notification = NULL;

  if (g_strcmp0 (key, self->notified) == 0)
    return;
  g_free (self->notified);
  self->notified = g_steal_pointer (&key);
  g_free (self->notified_run);
  self->notified_run = g_strdup (self->run_id);
  if (application == NULL)
    return;

  /* Translators: the placeholder is the task of a run of another process */
  title = g_strdup_printf (_("A run elsewhere asks: %s"), reins_run_get_task (run));
  body = reins_format_excerpt (reins_approval_record_get_reason (record), 200, NULL);
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, "app.review-remote", "s",
                                                self->run_id);
  if (reins_approval_dialog_can_approve (record, is_question (record)))
    {
      g_notification_add_button_with_target (notification, _("Approve"), "app.approve-remote",
                                              "s", self->run_id);
      g_notification_add_button_with_target (notification, _("Reject…"), "app.review-remote",
                                              "s", self->run_id);
    }
  else
    g_notification_add_button_with_target (notification, _("Review"), "app.review-remote", "s",
                                            self->run_id);
  id = notification_id (self->run_id);
  g_application_send_notification (application, id, notification);
}

static char *
who_am_i (void)
{
  return g_strdup_printf ("%s@%s", g_get_user_name (), g_get_host_name ());
}

/* The step whose question @run_id waits for now, with which of its approvals in @ord and,
 * when @key is given, "RUN/STEP/ORD"; %NULL when it waits for none. */
static ReinsStep *
find_question (ReinsRemoteQuestions  *self,
               const char            *run_id,
               ReinsRun             **out_run,
               guint                 *ord,
               char                 **key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsRun) run = reins_store_get_run (self->store, run_id, &error);
  ReinsStep *step = NULL;

  if (run != NULL)
    step = reins_store_get_open_question (self->store, run, ord, &error);
  if (error != NULL)
    g_debug ("Cannot look at the question of %s: %s", run_id, error->message);
  if (step != NULL && key != NULL)
    *key = g_strdup_printf ("%s/%u/%u", run_id, reins_step_get_index (step), *ord);
  if (step != NULL && out_run != NULL)
    *out_run = g_steal_pointer (&run);
  return step;
}

static void
set_buttons_sensitive (ReinsRemoteQuestions *self,
                       gboolean              sensitive)
{
  gtk_widget_set_sensitive (self->approve, sensitive);
  gtk_widget_set_sensitive (self->reject, sensitive);
  gtk_widget_set_sensitive (self->review, sensitive);
}

/* Someone was first (or the run went on): the bar says who decided what. */
static void
show_decided (ReinsRemoteQuestions *self,
              const char           *run_id,
              guint                 step,
              guint                 ord)
{
  g_autoptr(ReinsApprovalRecord) winner = NULL;
  g_autofree char *text = NULL;

  winner = reins_store_get_decision (self->store, run_id, step, ord, NULL);
  if (winner != NULL)
    {
      const char *by = reins_approval_record_get_decided_by (winner);

      /* Translators: the placeholders are the step, the decision and who took it */
      text = g_strdup_printf (_("Step %u was already decided: %s by %s"), step,
                              reins_decision_to_string (reins_approval_record_get_decision (winner)),
                              by != NULL ? by : _("someone"));
    }
  else
    text = g_strdup (_("The run no longer waits for this answer"));
  gtk_label_set_text (self->label, text);
  set_buttons_sensitive (self, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

static void
close_dialog (ReinsRemoteQuestions *self)
{
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  g_clear_pointer (&self->dialog_run_id, g_free);
}

/* An open dialog whose question someone else answered closes, and the bar says who. */
static void
check_dialog (ReinsRemoteQuestions *self)
{
  g_autoptr(ReinsApprovalRecord) decided = NULL;
  ReinsApproval *approval;
  g_autofree char *run_id = NULL;

  if (self->dialog == NULL)
    return;
  approval = reins_approval_dialog_get_approval (REINS_APPROVAL_DIALOG (self->dialog));
  if (reins_approval_is_resolved (approval))
    return;
  decided = reins_store_get_decision (self->store, self->dialog_run_id, self->dialog_step,
                                      self->dialog_ord, NULL);
  if (decided == NULL)
    return;
  run_id = g_strdup (self->dialog_run_id);
  close_dialog (self);
  withdraw_notification (self, run_id);
  show_decided (self, run_id, self->dialog_step, self->dialog_ord);
}

/* Stores @pending (resolved) as the answer to question @ord of step @step of @run_id; of two
 * answers at once one is stored, and the loser is shown who won. */
static gboolean
store_decision (ReinsRemoteQuestions *self,
                const char           *run_id,
                guint                 step,
                guint                 ord,
                ReinsApprovalRecord  *pending)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *me = who_am_i ();
  g_autofree char *id = g_strdup (run_id);

  /* Answered from the bar or the notification, a dialog open on the question has nothing
   * left to ask (answered from the dialog, it closes itself). */
  if (self->dialog_run_id != NULL && g_str_equal (self->dialog_run_id, id) &&
      self->dialog_step == step && self->dialog_ord == ord)
    close_dialog (self);
  reins_approval_record_set_decided_by (pending, me);
  if (reins_store_decide_approval (self->store, id, step, ord, pending, &error))
    {
      withdraw_notification (self, id);
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      g_clear_pointer (&self->run_id, g_free);
      reins_remote_questions_refresh (self);
      return TRUE;
    }
  if (error != NULL && !g_error_matches (error, REINS_ERROR, REINS_ERROR_FAILED))
    {
      gtk_label_set_text (self->label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
      return FALSE;
    }
  withdraw_notification (self, id);
  show_decided (self, id, step, ord);
  return FALSE;
}

/* The dialog's answer: the approval is resolved on the main thread, from its response. */
static void
dialog_resolved_cb (ReinsRemoteQuestions *self,
                    ReinsApproval        *approval)
{
  g_autofree char *run_id = NULL;

  if (self->dialog == NULL ||
      reins_approval_dialog_get_approval (REINS_APPROVAL_DIALOG (self->dialog)) != approval)
    return;
  /* The dialog closes itself once answered; it is no longer this question's. */
  run_id = g_steal_pointer (&self->dialog_run_id);
  store_decision (self, run_id, self->dialog_step, self->dialog_ord,
                  reins_approval_get_record (approval));
}

/**
 * reins_remote_questions_review:
 * @run_id: a run of another process
 *
 * Opens the approval dialog on the question @run_id waits for — the one already open if
 * there is one — over the window of the bar.
 *
 * Returns: %TRUE when a dialog shows the question, %FALSE when the run waits for none
 */
gboolean
reins_remote_questions_review (ReinsRemoteQuestions *self,
                               const char           *run_id)
{
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(ReinsStep) step = NULL;
  g_autoptr(ReinsStep) previous = NULL;
  g_autoptr(ReinsApproval) approval = NULL;
  g_autoptr(ReinsRunSettings) settings = NULL;
  ReinsApprovalRecord *record;
  GtkRoot *root;
  guint ord = 0;

  g_return_val_if_fail (REINS_IS_REMOTE_QUESTIONS (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);

  step = find_question (self, run_id, &run, &ord, NULL);
  if (step == NULL)
    return FALSE;

  /* Never two dialogs for one question; one question at a time. */
  if (self->dialog != NULL && self->dialog_run_id != NULL &&
      g_str_equal (self->dialog_run_id, run_id) && self->dialog_step == reins_step_get_index (step) &&
      self->dialog_ord == ord)
    {
      gtk_window_present (GTK_WINDOW (self->dialog));
      return TRUE;
    }
  close_dialog (self);

  record = g_ptr_array_index (reins_step_get_approvals (step), ord);
  approval = reins_approval_new (run_id, record, is_question (record));
  root = gtk_widget_get_root (GTK_WIDGET (self));
  self->dialog = reins_approval_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                            approval);
  g_object_add_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
  self->dialog_run_id = g_strdup (run_id);
  self->dialog_step = reins_step_get_index (step);
  self->dialog_ord = ord;
  reins_approval_dialog_set_remote (REINS_APPROVAL_DIALOG (self->dialog));
  if (self->dialog_step > 1)
    previous = reins_store_get_step (self->store, run_id, self->dialog_step - 1, NULL);
  settings = reins_run_settings_new_from_json (reins_run_get_settings (run));
  reins_approval_dialog_set_step (REINS_APPROVAL_DIALOG (self->dialog), step, previous,
                                  reins_run_settings_get_confidence_threshold (settings));
  g_signal_connect_object (approval, "resolved", G_CALLBACK (dialog_resolved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->dialog));
  return TRUE;
}

/**
 * reins_remote_questions_picked:
 * @run_id: a run picked in the history
 *
 * A run of another process picked while it waits for a person: its question opens, once
 * per question — the history picks a run again as it changes, and a dialog closed without
 * an answer stays closed (Review… opens it again).
 *
 * Returns: %TRUE when a dialog was opened
 */
gboolean
reins_remote_questions_picked (ReinsRemoteQuestions *self,
                               const char           *run_id)
{
  g_autoptr(ReinsStep) step = NULL;
  g_autofree char *key = NULL;
  guint ord = 0;

  g_return_val_if_fail (REINS_IS_REMOTE_QUESTIONS (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);

  if (self->run_manager != NULL && reins_run_manager_lookup (self->run_manager, run_id))
    return FALSE;
  step = find_question (self, run_id, NULL, &ord, &key);
  if (step == NULL || g_strcmp0 (key, self->picked) == 0)
    return FALSE;
  g_free (self->picked);
  self->picked = g_steal_pointer (&key);
  return reins_remote_questions_review (self, run_id);
}

/**
 * reins_remote_questions_approve_run:
 * @run_id: a run of another process
 *
 * The notification's Approve: approves the question of @run_id that was notified, if it can
 * be approved as it is. A question that moved on since, or that wants words or an edit,
 * opens the dialog instead.
 *
 * Returns: %TRUE when the store holds a question of @run_id (approved, opened, or lost to
 *   someone quicker, as the bar then says), %FALSE when it does not
 */
gboolean
reins_remote_questions_approve_run (ReinsRemoteQuestions *self,
                                    const char           *run_id)
{
  g_autoptr(ReinsStep) step = NULL;
  g_autofree char *key = NULL;
  ReinsApprovalRecord *record;
  guint ord = 0;

  g_return_val_if_fail (REINS_IS_REMOTE_QUESTIONS (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);

  step = find_question (self, run_id, NULL, &ord, &key);
  if (step == NULL)
    return FALSE;
  record = g_ptr_array_index (reins_step_get_approvals (step), ord);
  if (g_strcmp0 (key, self->notified) != 0 ||
      !reins_approval_dialog_can_approve (record, is_question (record)))
    {
      return reins_remote_questions_review (self, run_id);
    }
  reins_approval_record_resolve (record, REINS_DECISION_APPROVE, NULL, NULL, g_get_real_time ());
  store_decision (self, run_id, reins_step_get_index (step), ord, record);
  return TRUE;
}

typedef struct
{
  guint  step_count;   /* the run's, when it was read */
  gint64 requested_at; /* its open question's; 0: it has none */
} Asked;

/* When @run's open question was asked (0: it has none), read from the store only when the
 * run is at a step it was not at the last time. */
static gint64
asked_at (ReinsRemoteQuestions *self,
          ReinsRun             *run)
{
  Asked *asked = g_hash_table_lookup (self->asked, reins_run_get_id (run));
  g_autoptr(ReinsStep) step = NULL;
  guint ord = 0;

  /* A run seen with no open question is read again: a resumed run asks again at its step. */
  if (asked != NULL && asked->step_count == reins_run_get_step_count (run) &&
      asked->requested_at > 0)
    return asked->requested_at;
  if (asked == NULL)
    {
      asked = g_new0 (Asked, 1);
      g_hash_table_insert (self->asked, g_strdup (reins_run_get_id (run)), asked);
    }
  asked->step_count = reins_run_get_step_count (run);
  step = reins_store_get_open_question (self->store, run, &ord, NULL);
  asked->requested_at =
    step != NULL
    ? MAX (1, reins_approval_record_get_requested_at (g_ptr_array_index (reins_step_get_approvals (step),
                                                                          ord)))
    : 0;
  return asked->requested_at;
}

/* Shows a question of a run this window does not run, or hides the bar. The question shown
 * stays while it is open, so the bar does not change under a person reading it; then the
 * oldest question comes next, so with many runs asking none waits behind newer ones. */
static void
show_questions (ReinsRemoteQuestions *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GHashTable) waiting = NULL;
  g_autoptr(ReinsStep) chosen = NULL;
  ReinsRun *chosen_run = NULL;
  gboolean chosen_is_shown = FALSE;
  guint chosen_ord = 0;
  guint n_waiting = 0;
  GHashTableIter iter;
  gpointer key;

  check_dialog (self);
  runs = reins_store_list_runs (self->store, REINS_RUN_STATUS_AWAITING_APPROVAL, 0, 0, &error);
  if (runs == NULL)
    {
      g_debug ("Cannot look for questions: %s", error->message);
      return;
    }

  /* The runs that wait, by when they asked; the one to show is read afresh, and if its
   * question went meanwhile the next one is. */
  waiting = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < runs->len; i++)
    {
      ReinsRun *run = g_ptr_array_index (runs, i);

      if (self->run_manager != NULL &&
          reins_run_manager_lookup (self->run_manager, reins_run_get_id (run)))
        continue;
      g_hash_table_add (waiting, (gpointer) reins_run_get_id (run));
      if (asked_at (self, run) > 0)
        n_waiting++;
    }
  g_hash_table_iter_init (&iter, self->asked);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (waiting, key))
      g_hash_table_iter_remove (&iter);

  while (chosen == NULL)
    {
      ReinsRun *best = NULL;
      gint64 best_at = 0;

      for (guint i = 0; i < runs->len; i++)
        {
          ReinsRun *run = g_ptr_array_index (runs, i);
          gint64 at;

          if (!g_hash_table_contains (waiting, reins_run_get_id (run)))
            continue;
          at = asked_at (self, run);
          if (at == 0)
            continue;
          if (g_strcmp0 (reins_run_get_id (run), self->run_id) == 0 && at == self->shown_at)
            {
              best = run;
              break;
            }
          if (best == NULL || at < best_at)
            {
              best = run;
              best_at = at;
            }
        }
      if (best == NULL)
        break;
      chosen = reins_store_get_open_question (self->store, best, &chosen_ord, NULL);
      if (chosen == NULL)
        {
          ((Asked *) g_hash_table_lookup (self->asked, reins_run_get_id (best)))->requested_at = 0;
          n_waiting--;
          continue;
        }
      chosen_run = best;
      chosen_is_shown = g_strcmp0 (reins_run_get_id (best), self->run_id) == 0 &&
                        reins_step_get_index (chosen) == self->step && chosen_ord == self->ord;
    }

  if (chosen != NULL)
    {
      ReinsApprovalRecord *record = g_ptr_array_index (reins_step_get_approvals (chosen), chosen_ord);
      g_autofree char *text = NULL;
      g_autofree char *reason = NULL;

      if (!chosen_is_shown)
        gtk_editable_set_text (GTK_EDITABLE (self->feedback), "");
      g_free (self->run_id);
      self->run_id = g_strdup (reins_run_get_id (chosen_run));
      self->step = reins_step_get_index (chosen);
      self->ord = chosen_ord;
      /* As read now: the cached time may be of an earlier question at the same step */
      self->shown_at = MAX (1, reins_approval_record_get_requested_at (record));
      ((Asked *) g_hash_table_lookup (self->asked, self->run_id))->requested_at = self->shown_at;

      reason = reins_format_excerpt (reins_approval_record_get_reason (record), 160, NULL);
      /* Translators: a run of another process waits for a person; the placeholders are its
       * task, the step and why it asks */
      text = g_strdup_printf (_("“%s” waits for a person at step %u: %s"),
                              reins_run_get_task (chosen_run), self->step, reason);
      if (n_waiting > 1)
        {
          g_autofree char *more = NULL;
          char *joined;

          /* Translators: after a question of a run elsewhere, how many other runs wait */
          more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "(%u more run waits)",
                                               "(%u more runs wait)", n_waiting - 1),
                                  n_waiting - 1);
          joined = g_strconcat (text, " ", more, NULL);
          g_free (text);
          text = joined;
        }
      gtk_label_set_text (self->label, text);
      set_buttons_sensitive (self, TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
      notify_question (self, chosen_run, record);
      return;
    }

  /* None left. A message about a race lost stays until the next question. */
  if (self->run_id != NULL)
    {
      g_clear_pointer (&self->run_id, g_free);
      if (gtk_widget_get_sensitive (self->approve))
        gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
    }
}

static gboolean
poll_cb (gpointer user_data)
{
  ReinsRemoteQuestions *self = user_data;
  gint64 version = reins_store_get_data_version (self->store, NULL);

  if (version != self->data_version)
    {
      self->data_version = version;
      show_questions (self);
    }
  return G_SOURCE_CONTINUE;
}

/* Looks at the store now rather than at the next tick (tests). */
void
reins_remote_questions_refresh (ReinsRemoteQuestions *self)
{
  g_return_if_fail (REINS_IS_REMOTE_QUESTIONS (self));

  self->data_version = reins_store_get_data_version (self->store, NULL);
  show_questions (self);
}

/**
 * reins_remote_questions_answer:
 * @decision: %REINS_DECISION_APPROVE or %REINS_DECISION_REJECT (which needs feedback)
 *
 * Answers the question shown, with the feedback typed, as the Approve and Reject buttons do.
 */
void
reins_remote_questions_answer (ReinsRemoteQuestions *self,
                               ReinsDecision         decision)
{
  g_autoptr(ReinsStep) step = NULL;
  g_autofree char *run_id = NULL;
  const char *feedback;
  ReinsApprovalRecord *pending;
  guint ord = 0;

  g_return_if_fail (REINS_IS_REMOTE_QUESTIONS (self));
  g_return_if_fail (decision == REINS_DECISION_APPROVE || decision == REINS_DECISION_REJECT);

  if (self->run_id == NULL)
    return;
  feedback = gtk_editable_get_text (GTK_EDITABLE (self->feedback));
  if (decision == REINS_DECISION_REJECT && feedback[0] == '\0')
    {
      gtk_label_set_text (self->label, _("Say why in the feedback: the agent reads it"));
      gtk_widget_grab_focus (GTK_WIDGET (self->feedback));
      return;
    }

  run_id = g_strdup (self->run_id);
  step = find_question (self, run_id, NULL, &ord, NULL);
  if (step == NULL || reins_step_get_index (step) != self->step || ord != self->ord)
    {
      /* Someone was first (or the run went on). */
      withdraw_notification (self, run_id);
      show_decided (self, run_id, self->step, self->ord);
      return;
    }

  pending = g_ptr_array_index (reins_step_get_approvals (step), ord);
  reins_approval_record_resolve (pending, decision, NULL, feedback[0] ? feedback : NULL,
                                 g_get_real_time ());
  store_decision (self, run_id, self->step, ord, pending);
}

static void
approve_clicked_cb (ReinsRemoteQuestions *self)
{
  reins_remote_questions_answer (self, REINS_DECISION_APPROVE);
}

static void
reject_clicked_cb (ReinsRemoteQuestions *self)
{
  reins_remote_questions_answer (self, REINS_DECISION_REJECT);
}

static void
review_clicked_cb (ReinsRemoteQuestions *self)
{
  if (self->run_id != NULL)
    reins_remote_questions_review (self, self->run_id);
}

static void
reins_remote_questions_dispose (GObject *object)
{
  ReinsRemoteQuestions *self = REINS_REMOTE_QUESTIONS (object);

  g_clear_handle_id (&self->watch_id, g_source_remove);
  close_dialog (self);
  g_clear_object (&self->store);
  g_clear_object (&self->run_manager);
  g_clear_pointer (&self->run_id, g_free);
  g_clear_pointer (&self->notified, g_free);
  g_clear_pointer (&self->notified_run, g_free);
  g_clear_pointer (&self->picked, g_free);
  g_clear_pointer (&self->asked, g_hash_table_unref);

  G_OBJECT_CLASS (reins_remote_questions_parent_class)->dispose (object);
}

static void
reins_remote_questions_class_init (ReinsRemoteQuestionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = reins_remote_questions_dispose;
}

static void
reins_remote_questions_init (ReinsRemoteQuestions *self)
{
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->asked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);
  gtk_widget_add_css_class (GTK_WIDGET (self), "toolbar");
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);

  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->label, TRUE);
  gtk_label_set_xalign (self->label, 0);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->label));

  self->feedback = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->feedback, _("Feedback for the agent (needed to reject)"));
  gtk_widget_set_hexpand (GTK_WIDGET (self->feedback), TRUE);
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->feedback));
  self->reject = gtk_button_new_with_mnemonic (_("_Reject"));
  g_signal_connect_swapped (self->reject, "clicked", G_CALLBACK (reject_clicked_cb), self);
  gtk_box_append (GTK_BOX (buttons), self->reject);
  self->review = gtk_button_new_with_mnemonic (_("Re_view…"));
  gtk_widget_set_tooltip_text (self->review, _("The question with the action, the thought and "
                                               "what the agent saw before"));
  g_signal_connect_swapped (self->review, "clicked", G_CALLBACK (review_clicked_cb), self);
  gtk_box_append (GTK_BOX (buttons), self->review);
  self->approve = gtk_button_new_with_mnemonic (_("_Approve"));
  gtk_widget_add_css_class (self->approve, "suggested-action");
  g_signal_connect_swapped (self->approve, "clicked", G_CALLBACK (approve_clicked_cb), self);
  gtk_box_append (GTK_BOX (buttons), self->approve);
  gtk_box_append (GTK_BOX (self), buttons);
}

/**
 * reins_remote_questions_new:
 * @run_manager: (nullable): the runs of this process, whose questions their own dialog asks
 *
 * Returns: (transfer floating): a bar, hidden until a run elsewhere waits for a person
 */
GtkWidget *
reins_remote_questions_new (ReinsStore      *store,
                            ReinsRunManager *run_manager)
{
  ReinsRemoteQuestions *self;
  g_autoptr(GSource) watch = NULL;

  g_return_val_if_fail (REINS_IS_STORE (store), NULL);

  self = g_object_new (REINS_TYPE_REMOTE_QUESTIONS, NULL);
  self->store = g_object_ref (store);
  self->run_manager = run_manager != NULL ? g_object_ref (run_manager) : NULL;

  /* A store with notifications (PostgreSQL) says when to look; a file is polled. */
  watch = reins_store_create_watch (store);
  if (watch != NULL)
    {
      g_source_set_callback (watch, poll_cb, self, NULL);
      self->watch_id = g_source_attach (watch, NULL);
    }
  else
    self->watch_id = g_timeout_add (POLL_INTERVAL_MS, poll_cb, self);
  reins_remote_questions_refresh (self);
  return GTK_WIDGET (self);
}

/* The run whose question is shown, or %NULL. */
const char *
reins_remote_questions_get_run_id (ReinsRemoteQuestions *self)
{
  g_return_val_if_fail (REINS_IS_REMOTE_QUESTIONS (self), NULL);

  return self->run_id;
}

const char *
reins_remote_questions_get_message (ReinsRemoteQuestions *self)
{
  g_return_val_if_fail (REINS_IS_REMOTE_QUESTIONS (self), NULL);

  return gtk_label_get_text (self->label);
}

void
reins_remote_questions_set_feedback (ReinsRemoteQuestions *self,
                                     const char           *feedback)
{
  g_return_if_fail (REINS_IS_REMOTE_QUESTIONS (self));

  gtk_editable_set_text (GTK_EDITABLE (self->feedback), feedback != NULL ? feedback : "");
}

/* The approval dialog open on a question of a run elsewhere, or %NULL (tests). */
GtkWidget *
_reins_remote_questions_get_dialog (ReinsRemoteQuestions *self)
{
  g_return_val_if_fail (REINS_IS_REMOTE_QUESTIONS (self), NULL);

  return self->dialog;
}
