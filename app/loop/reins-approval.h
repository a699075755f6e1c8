/* reins-approval.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A question the worker puts to a person: the harness asks about an action, or the agent
 * asks with `ask_human`. The worker waits on it; the window or the CLI resolves it from the
 * main thread. Resolving is thread-safe and happens once; cancelling the run releases the
 * worker.
 */

#pragma once

#include <gio/gio.h>

#include "reins-domain.h"

G_BEGIN_DECLS

/* For low confidence, besides approve / edit / reject / stop (issue: the confidence guard). */
typedef enum
{
  REINS_APPROVAL_CHOICE_NONE,
  REINS_APPROVAL_CHOICE_SEARCH_MORE,
  REINS_APPROVAL_CHOICE_DIFFERENT_APPROACH,
  REINS_APPROVAL_CHOICE_END_NOW,
} ReinsApprovalChoice;

#define REINS_TYPE_APPROVAL (reins_approval_get_type ())

G_DECLARE_FINAL_TYPE (ReinsApproval, reins_approval, REINS, APPROVAL, GObject)

ReinsApproval       *reins_approval_new             (const char          *run_id,
                                                     ReinsApprovalRecord *record,
                                                     gboolean             is_question);
const char          *reins_approval_get_run_id      (ReinsApproval       *self);
ReinsApprovalRecord *reins_approval_get_record      (ReinsApproval       *self);
gboolean             reins_approval_is_question     (ReinsApproval       *self);
gboolean             reins_approval_is_resolved     (ReinsApproval       *self);
gboolean             reins_approval_approve         (ReinsApproval       *self,
                                                     gboolean             always_allow);
gboolean             reins_approval_edit            (ReinsApproval       *self,
                                                     ReinsAction         *action,
                                                     gboolean             always_allow);
gboolean             reins_approval_reject          (ReinsApproval       *self,
                                                     const char          *feedback);
gboolean             reins_approval_answer          (ReinsApproval       *self,
                                                     const char          *answer);
gboolean             reins_approval_choose          (ReinsApproval       *self,
                                                     ReinsApprovalChoice  choice);
gboolean             reins_approval_stop            (ReinsApproval       *self);
ReinsDecision        reins_approval_get_decision    (ReinsApproval       *self);
ReinsApprovalChoice  reins_approval_get_choice      (ReinsApproval       *self);
gboolean             reins_approval_get_always_allow(ReinsApproval       *self);
ReinsDecision        reins_approval_wait            (ReinsApproval       *self,
                                                     GCancellable        *cancellable);

G_END_DECLS
