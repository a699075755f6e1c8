/* reins-approval.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-approval.h"

struct _ReinsApproval
{
  GObject              parent_instance;

  GMutex               mutex;
  GCond                cond;
  char                *run_id;
  ReinsApprovalRecord *record;
  ReinsApprovalChoice  choice;
  guint                is_question : 1;
  guint                resolved : 1;
  guint                always_allow : 1;
};

G_DEFINE_FINAL_TYPE (ReinsApproval, reins_approval, G_TYPE_OBJECT)

enum {
  RESOLVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
reins_approval_finalize (GObject *object)
{
  ReinsApproval *self = (ReinsApproval *)object;

  g_clear_pointer (&self->run_id, g_free);
  g_clear_object (&self->record);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (reins_approval_parent_class)->finalize (object);
}

static void
reins_approval_class_init (ReinsApprovalClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = reins_approval_finalize;

  /**
   * ReinsApproval::resolved:
   *
   * Emitted on the thread that resolved the approval, once.
   */
  signals[RESOLVED] =
    g_signal_new ("resolved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
reins_approval_init (ReinsApproval *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
}

/**
 * reins_approval_new:
 * @record: the question; the approval resolves it
 * @is_question: %TRUE for the agent's `ask_human` (the answer is free text)
 */
ReinsApproval *
reins_approval_new (const char          *run_id,
                    ReinsApprovalRecord *record,
                    gboolean             is_question)
{
  ReinsApproval *self;

  g_return_val_if_fail (REINS_IS_APPROVAL_RECORD (record), NULL);

  self = g_object_new (REINS_TYPE_APPROVAL, NULL);
  self->run_id = g_strdup (run_id);
  self->record = g_object_ref (record);
  self->is_question = !!is_question;
  return self;
}

const char *
reins_approval_get_run_id (ReinsApproval *self)
{
  g_return_val_if_fail (REINS_IS_APPROVAL (self), NULL);
  return self->run_id;
}

/**
 * reins_approval_get_record:
 *
 * Returns: (transfer none): the record; read it from the main thread only after
 *   resolution, or for its immutable question (step, guard, reason, action, confidence)
 */
ReinsApprovalRecord *
reins_approval_get_record (ReinsApproval *self)
{
  g_return_val_if_fail (REINS_IS_APPROVAL (self), NULL);
  return self->record;
}

gboolean
reins_approval_is_question (ReinsApproval *self)
{
  g_return_val_if_fail (REINS_IS_APPROVAL (self), FALSE);
  return self->is_question;
}

gboolean
reins_approval_is_resolved (ReinsApproval *self)
{
  gboolean resolved;

  g_return_val_if_fail (REINS_IS_APPROVAL (self), FALSE);

  g_mutex_lock (&self->mutex);
  resolved = self->resolved;
  g_mutex_unlock (&self->mutex);

  return resolved;
}

/* The one place a decision is made; later attempts are refused, so two answers (a dialog
 * and a notification, say) can never both take effect. */
static gboolean
resolve (ReinsApproval       *self,
         ReinsDecision        decision,
         ReinsAction         *final_action,
         const char          *feedback,
         gboolean             always_allow,
         ReinsApprovalChoice  choice)
{
  g_mutex_lock (&self->mutex);
  if (self->resolved)
    {
      g_mutex_unlock (&self->mutex);
      return FALSE;
    }

  reins_approval_record_resolve (self->record, decision, final_action, feedback,
                                 g_get_real_time ());
  self->always_allow = !!always_allow;
  self->choice = choice;
  self->resolved = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  g_signal_emit (self, signals[RESOLVED], 0);
  return TRUE;
}

gboolean
reins_approval_approve (ReinsApproval *self,
                        gboolean       always_allow)
{
  g_return_val_if_fail (REINS_IS_APPROVAL (self), FALSE);
  return resolve (self, REINS_DECISION_APPROVE,
                  reins_approval_record_get_action (self->record), NULL, always_allow,
                  REINS_APPROVAL_CHOICE_NONE);
}

gboolean
reins_approval_edit (ReinsApproval *self,
                     ReinsAction   *action,
                     gboolean       always_allow)
{
  g_return_val_if_fail (REINS_IS_APPROVAL (self), FALSE);
  g_return_val_if_fail (REINS_IS_ACTION (action), FALSE);
  return resolve (self, REINS_DECISION_EDIT, action, NULL, always_allow,
                  REINS_APPROVAL_CHOICE_NONE);
}

/* @feedback: the person's words; the model reads them as the reason the action did not run. */
gboolean
reins_approval_reject (ReinsApproval *self,
                       const char    *feedback)
{
  g_return_val_if_fail (REINS_IS_APPROVAL (self), FALSE);
  return resolve (self, REINS_DECISION_REJECT, NULL,
                  feedback != NULL && *feedback != '\0' ? feedback : NULL, FALSE,
                  REINS_APPROVAL_CHOICE_NONE);
}

/* The answer to an `ask_human` question. */
gboolean
reins_approval_answer (ReinsApproval *self,
                       const char    *answer)
{
  g_return_val_if_fail (REINS_IS_APPROVAL (self), FALSE);
  return resolve (self, REINS_DECISION_APPROVE, reins_approval_record_get_action (self->record),
                  answer != NULL ? answer : "", FALSE, REINS_APPROVAL_CHOICE_NONE);
}

/* One of the low-confidence choices: the action does not run, and the model is told what
 * the person wants instead (or the run ends with what it has). */
gboolean
reins_approval_choose (ReinsApproval       *self,
                       ReinsApprovalChoice  choice)
{
  const char *feedback;

  g_return_val_if_fail (REINS_IS_APPROVAL (self), FALSE);

  switch (choice)
    {
    case REINS_APPROVAL_CHOICE_SEARCH_MORE:
      feedback = _("Do not act yet: search for more information first.");
      break;

    case REINS_APPROVAL_CHOICE_DIFFERENT_APPROACH:
      feedback = _("Do not do this: try a different approach.");
      break;

    case REINS_APPROVAL_CHOICE_END_NOW:
      feedback = _("End the task now and give the results you have as your final answer.");
      break;

    case REINS_APPROVAL_CHOICE_NONE:
    default:
      g_return_val_if_reached (FALSE);
    }

  return resolve (self, REINS_DECISION_REJECT, NULL, feedback, FALSE, choice);
}

gboolean
reins_approval_stop (ReinsApproval *self)
{
  g_return_val_if_fail (REINS_IS_APPROVAL (self), FALSE);
  return resolve (self, REINS_DECISION_STOP, NULL, NULL, FALSE, REINS_APPROVAL_CHOICE_NONE);
}

ReinsDecision
reins_approval_get_decision (ReinsApproval *self)
{
  ReinsDecision decision;

  g_return_val_if_fail (REINS_IS_APPROVAL (self), REINS_DECISION_NONE);

  g_mutex_lock (&self->mutex);
  decision = self->resolved ? reins_approval_record_get_decision (self->record)
                            : REINS_DECISION_NONE;
  g_mutex_unlock (&self->mutex);

  return decision;
}

ReinsApprovalChoice
reins_approval_get_choice (ReinsApproval *self)
{
  g_return_val_if_fail (REINS_IS_APPROVAL (self), REINS_APPROVAL_CHOICE_NONE);
  return self->choice;
}

gboolean
reins_approval_get_always_allow (ReinsApproval *self)
{
  g_return_val_if_fail (REINS_IS_APPROVAL (self), FALSE);
  return self->always_allow;
}

static void
cancelled_cb (GCancellable  *cancellable,
              ReinsApproval *self)
{
  g_mutex_lock (&self->mutex);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

/**
 * reins_approval_wait:
 *
 * Blocks the calling (worker) thread until the approval is resolved or @cancellable is
 * cancelled.
 *
 * Returns: the decision, or %REINS_DECISION_NONE when cancelled first
 */
ReinsDecision
reins_approval_wait (ReinsApproval *self,
                     GCancellable  *cancellable)
{
  ReinsDecision decision = REINS_DECISION_NONE;
  gulong handler = 0;

  g_return_val_if_fail (REINS_IS_APPROVAL (self), REINS_DECISION_NONE);

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), self, NULL);

  g_mutex_lock (&self->mutex);
  while (!self->resolved && !g_cancellable_is_cancelled (cancellable))
    g_cond_wait (&self->cond, &self->mutex);
  if (self->resolved)
    decision = reins_approval_record_get_decision (self->record);
  g_mutex_unlock (&self->mutex);

  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);

  return decision;
}
