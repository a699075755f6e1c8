/* reins-approval-record.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The stored record of one human confirmation: what was asked, why, and what the person
 * decided. (The live object the worker waits on is ReinsApproval in app/loop/.)
 *
 * Who decided: %NULL (the default) is the person; otherwise what decided on their behalf,
 * REINS_DECIDED_BY_POLICY or the command-line option that answered, such as
 * "--approve=yes".
 */

#pragma once

#include <json-glib/json-glib.h>

#include "reins-action.h"
#include "reins-domain-types.h"

G_BEGIN_DECLS

#define REINS_TYPE_APPROVAL_RECORD (reins_approval_record_get_type ())

#define REINS_DECIDED_BY_POLICY "policy"

G_DECLARE_FINAL_TYPE (ReinsApprovalRecord, reins_approval_record, REINS, APPROVAL_RECORD, GObject)

ReinsApprovalRecord *reins_approval_record_new             (guint                 step,
                                                            const char           *guard,
                                                            const char           *reason,
                                                            ReinsAction          *action,
                                                            double                confidence);
ReinsApprovalRecord *reins_approval_record_new_from_json   (JsonNode             *node,
                                                            GError              **error);
guint                reins_approval_record_get_step        (ReinsApprovalRecord  *self);
const char          *reins_approval_record_get_guard       (ReinsApprovalRecord  *self);
const char          *reins_approval_record_get_reason      (ReinsApprovalRecord  *self);
ReinsAction         *reins_approval_record_get_action      (ReinsApprovalRecord  *self);
double               reins_approval_record_get_confidence  (ReinsApprovalRecord  *self);
ReinsDecision        reins_approval_record_get_decision    (ReinsApprovalRecord  *self);
ReinsAction         *reins_approval_record_get_final_action(ReinsApprovalRecord  *self);
const char          *reins_approval_record_get_feedback    (ReinsApprovalRecord  *self);
gint64               reins_approval_record_get_requested_at(ReinsApprovalRecord  *self);
void                 reins_approval_record_set_requested_at(ReinsApprovalRecord  *self,
                                                            gint64                unix_usec);
gint64               reins_approval_record_get_resolved_at (ReinsApprovalRecord  *self);
void                 reins_approval_record_resolve         (ReinsApprovalRecord  *self,
                                                            ReinsDecision         decision,
                                                            ReinsAction          *final_action,
                                                            const char           *feedback,
                                                            gint64                resolved_at);
const char          *reins_approval_record_get_decided_by  (ReinsApprovalRecord  *self);
void                 reins_approval_record_set_decided_by  (ReinsApprovalRecord  *self,
                                                            const char           *decided_by);
gboolean             reins_approval_record_is_automatic    (ReinsApprovalRecord  *self);
char                *reins_approval_record_dup_summary     (ReinsApprovalRecord  *self);
JsonNode            *reins_approval_record_to_json         (ReinsApprovalRecord  *self);

G_END_DECLS
