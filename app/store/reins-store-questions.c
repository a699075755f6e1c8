/* reins-store-questions.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The question a run waits on, as anyone who reaches the store sees it: `reins-cli
 * approve/reject`, or a window answering a run of another process (--approve=remote).
 */

#include "config.h"

#include "reins-store-private.h"

/* The approval of @step without a decision (the last one), or -1. */
static int
find_open (ReinsStep *step)
{
  GPtrArray *approvals = reins_step_get_approvals (step);

  for (guint i = approvals->len; i-- > 0;)
    if (reins_approval_record_get_decision (g_ptr_array_index (approvals, i)) ==
        REINS_DECISION_NONE)
      return (int) i;
  return -1;
}

/**
 * reins_store_get_open_question:
 * @run: a run as stored
 * @ord: (out): which of the step's approvals is open
 *
 * Returns: (transfer full) (nullable): the step whose question @run waits for, %NULL
 *   without @error when it waits for none (it is not awaiting approval, or the question
 *   was answered)
 */
ReinsStep *
reins_store_get_open_question (ReinsStore  *self,
                               ReinsRun    *run,
                               guint       *ord,
                               GError     **error)
{
  g_autoptr(GPtrArray) steps = NULL;
  guint first;

  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  g_return_val_if_fail (REINS_IS_RUN (run), NULL);
  g_return_val_if_fail (ord != NULL, NULL);

  if (reins_run_get_status (run) != REINS_RUN_STATUS_AWAITING_APPROVAL)
    return NULL;
  /* The question is on the last step committed. */
  first = reins_run_get_step_count (run) > 1 ? reins_run_get_step_count (run) - 1 : 1;
  steps = reins_store_get_steps (self, reins_run_get_id (run), first, 0, error);
  if (steps == NULL)
    return NULL;
  for (guint i = steps->len; i-- > 0;)
    {
      ReinsStep *step = g_ptr_array_index (steps, i);
      int open = find_open (step);

      if (open >= 0)
        {
          *ord = (guint) open;
          return g_object_ref (step);
        }
    }
  return NULL;
}

/**
 * reins_store_get_decision:
 * @ord: the approval that was asked
 *
 * What was decided on approval @ord of step @step: after reins_store_decide_approval()
 * lost the race, who won and what they decided.
 *
 * Returns: (transfer full) (nullable): the decision, %NULL when there is none yet (or no
 *   such step, with @error set)
 */
ReinsApprovalRecord *
reins_store_get_decision (ReinsStore  *self,
                          const char  *run_id,
                          guint        step,
                          guint        ord,
                          GError     **error)
{
  g_autoptr(ReinsStep) now = NULL;
  GPtrArray *approvals;
  ReinsApprovalRecord *record;

  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  now = reins_store_get_step (self, run_id, step, error);
  if (now == NULL)
    return NULL;
  approvals = reins_step_get_approvals (now);
  if (approvals->len == 0)
    return NULL;
  record = g_ptr_array_index (approvals, MIN (ord, approvals->len - 1));
  if (reins_approval_record_get_decision (record) == REINS_DECISION_NONE)
    return NULL;
  return g_object_ref (record);
}
