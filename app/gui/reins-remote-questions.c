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
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-format.h"
#include "reins-remote-questions.h"

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
  /* The last question notified, "RUN/STEP/ORD", so each is notified once */
  char            *notified;

  GtkLabel        *label;
  GtkEntry        *feedback;
  GtkWidget       *approve;
  GtkWidget       *reject;
};

G_DEFINE_FINAL_TYPE (ReinsRemoteQuestions, reins_remote_questions, GTK_TYPE_BOX)

static void
notify_question (ReinsRemoteQuestions *self,
                 ReinsRun             *run,
                 ReinsApprovalRecord  *record)
{
  GApplication *application = g_application_get_default ();
  g_autofree char *key = g_strdup_printf ("%s/%u/%u", self->run_id, self->step, self->ord);
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GNotification) notification = NULL;

  if (g_strcmp0 (key, self->notified) == 0)
    return;
  g_free (self->notified);
  self->notified = g_steal_pointer (&key);
  if (application == NULL)
    return;

  /* Translators: the placeholder is the task of a run of another process */
  title = g_strdup_printf (_("A run elsewhere asks: %s"), reins_run_get_task (run));
  body = reins_format_excerpt (reins_approval_record_get_reason (record), 200, NULL);
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_application_send_notification (application, "remote-question", notification);
}

/* Shows the first question of a run this window does not run, or hides the bar. */
static void
show_questions (ReinsRemoteQuestions *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = NULL;

  runs = reins_store_list_runs (self->store, REINS_RUN_STATUS_AWAITING_APPROVAL, 0, 0, &error);
  if (runs == NULL)
    {
      g_debug ("Cannot look for questions: %s", error->message);
      return;
    }

  for (guint i = 0; i < runs->len; i++)
    {
      ReinsRun *run = g_ptr_array_index (runs, i);
      const char *run_id = reins_run_get_id (run);
      g_autoptr(ReinsStep) step = NULL;
      ReinsApprovalRecord *record;
      g_autofree char *text = NULL;
      g_autofree char *reason = NULL;
      guint ord = 0;

      if (self->run_manager != NULL && reins_run_manager_lookup (self->run_manager, run_id))
        continue;
      step = reins_store_get_open_question (self->store, run, &ord, NULL);
      if (step == NULL)
        continue;

      record = g_ptr_array_index (reins_step_get_approvals (step), ord);
      if (g_strcmp0 (run_id, self->run_id) != 0 || reins_step_get_index (step) != self->step ||
          ord != self->ord)
        gtk_editable_set_text (GTK_EDITABLE (self->feedback), "");
      g_free (self->run_id);
      self->run_id = g_strdup (run_id);
      self->step = reins_step_get_index (step);
      self->ord = ord;

      reason = reins_format_excerpt (reins_approval_record_get_reason (record), 160, NULL);
      /* Translators: a run of another process waits for a person; the placeholders are its
       * task, the step and why it asks */
      text = g_strdup_printf (_("“%s” waits for a person at step %u: %s"),
                              reins_run_get_task (run), self->step, reason);
      gtk_label_set_text (self->label, text);
      gtk_widget_set_sensitive (self->approve, TRUE);
      gtk_widget_set_sensitive (self->reject, TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
      notify_question (self, run, record);
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
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(ReinsStep) step = NULL;
  g_autoptr(ReinsApprovalRecord) winner = NULL;
  g_autofree char *me = g_strdup_printf ("%s@%s", g_get_user_name (), g_get_host_name ());
  g_autofree char *text = NULL;
  const char *feedback = gtk_editable_get_text (GTK_EDITABLE (self->feedback));
  ReinsApprovalRecord *pending;
  guint ord = 0;

  g_return_if_fail (REINS_IS_REMOTE_QUESTIONS (self));
  g_return_if_fail (decision == REINS_DECISION_APPROVE || decision == REINS_DECISION_REJECT);

  if (self->run_id == NULL)
    return;
  if (decision == REINS_DECISION_REJECT && feedback[0] == '\0')
    {
      gtk_label_set_text (self->label, _("Say why in the feedback: the agent reads it"));
      gtk_widget_grab_focus (GTK_WIDGET (self->feedback));
      return;
    }

  run = reins_store_get_run (self->store, self->run_id, &error);
  if (run != NULL)
    step = reins_store_get_open_question (self->store, run, &ord, &error);
  if (step != NULL && (reins_step_get_index (step) != self->step || ord != self->ord))
    g_clear_object (&step);
  if (step != NULL)
    {
      pending = g_ptr_array_index (reins_step_get_approvals (step), ord);
      reins_approval_record_set_decided_by (pending, me);
      reins_approval_record_resolve (pending, decision, NULL, feedback[0] ? feedback : NULL,
                                     g_get_real_time ());
      if (reins_store_decide_approval (self->store, self->run_id, self->step, ord, pending,
                                       &error))
        {
          gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
          g_clear_pointer (&self->run_id, g_free);
          reins_remote_questions_refresh (self);
          return;
        }
    }
  if (error != NULL && !g_error_matches (error, REINS_ERROR, REINS_ERROR_FAILED))
    {
      gtk_label_set_text (self->label, error->message);
      return;
    }

  /* Someone was first (or the run went on): who decided what. */
  winner = reins_store_get_decision (self->store, self->run_id, self->step, self->ord, NULL);
  if (winner != NULL)
    {
      const char *by = reins_approval_record_get_decided_by (winner);

      /* Translators: the placeholders are the step, the decision and who took it */
      text = g_strdup_printf (_("Step %u was already decided: %s by %s"), self->step,
                              reins_decision_to_string (reins_approval_record_get_decision (winner)),
                              by != NULL ? by : _("someone"));
    }
  else
    text = g_strdup (_("The run no longer waits for this answer"));
  gtk_label_set_text (self->label, text);
  gtk_widget_set_sensitive (self->approve, FALSE);
  gtk_widget_set_sensitive (self->reject, FALSE);
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
reins_remote_questions_dispose (GObject *object)
{
  ReinsRemoteQuestions *self = REINS_REMOTE_QUESTIONS (object);

  g_clear_handle_id (&self->watch_id, g_source_remove);
  g_clear_object (&self->store);
  g_clear_object (&self->run_manager);
  g_clear_pointer (&self->run_id, g_free);
  g_clear_pointer (&self->notified, g_free);

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
