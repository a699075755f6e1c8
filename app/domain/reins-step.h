/* reins-step.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One Thought → Action → Observation step of a run, with its confidence, cost and the
 * harness verdicts on it. Built up by the loop, then handed out and no longer changed.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "reins-action.h"
#include "reins-approval-record.h"
#include "reins-critique.h"
#include "reins-domain-types.h"
#include "reins-verdict.h"

G_BEGIN_DECLS

#define REINS_TYPE_STEP (reins_step_get_type ())

G_DECLARE_FINAL_TYPE (ReinsStep, reins_step, REINS, STEP, GObject)

ReinsStep            *reins_step_new                   (const char            *run_id,
                                                        guint                  index);
ReinsStep            *reins_step_new_from_json         (JsonNode              *node,
                                                        GError               **error);
ReinsStep            *reins_step_copy                  (ReinsStep             *self);
const char           *reins_step_get_run_id            (ReinsStep             *self);
void                  reins_step_set_run_id            (ReinsStep             *self,
                                                        const char            *run_id);
guint                 reins_step_get_index             (ReinsStep             *self);
void                  reins_step_set_index             (ReinsStep             *self,
                                                        guint                  index);
const char           *reins_step_get_thought           (ReinsStep             *self);
void                  reins_step_set_thought           (ReinsStep             *self,
                                                        const char            *thought);
const char           *reins_step_get_reply             (ReinsStep             *self);
void                  reins_step_set_reply             (ReinsStep             *self,
                                                        const char            *reply);
ReinsAction          *reins_step_get_action            (ReinsStep             *self);
void                  reins_step_set_action            (ReinsStep             *self,
                                                        ReinsAction           *action);
const char           *reins_step_get_observation       (ReinsStep             *self);
void                  reins_step_set_observation       (ReinsStep             *self,
                                                        const char            *observation);
gboolean              reins_step_get_tool_error        (ReinsStep             *self);
void                  reins_step_set_tool_error        (ReinsStep             *self,
                                                        gboolean               tool_error);
gboolean              reins_step_has_confidence        (ReinsStep             *self);
double                reins_step_get_confidence        (ReinsStep             *self);
ReinsConfidenceSource reins_step_get_confidence_source (ReinsStep             *self);
void                  reins_step_set_confidence        (ReinsStep             *self,
                                                        double                 confidence,
                                                        ReinsConfidenceSource  source);
void                  reins_step_clear_confidence      (ReinsStep             *self);
guint64               reins_step_get_input_tokens      (ReinsStep             *self);
guint64               reins_step_get_output_tokens     (ReinsStep             *self);
void                  reins_step_set_tokens            (ReinsStep             *self,
                                                        guint64                input_tokens,
                                                        guint64                output_tokens);
double                reins_step_get_cost_usd          (ReinsStep             *self);
double                reins_step_get_cost_total_usd    (ReinsStep             *self);
void                  reins_step_set_cost              (ReinsStep             *self,
                                                        double                 cost_usd,
                                                        double                 cost_total_usd);
gint64                reins_step_get_duration_ms       (ReinsStep             *self);
void                  reins_step_set_duration_ms       (ReinsStep             *self,
                                                        gint64                 duration_ms);
gint64                reins_step_get_started_at        (ReinsStep             *self);
void                  reins_step_set_started_at        (ReinsStep             *self,
                                                        gint64                 unix_usec);
GPtrArray            *reins_step_get_verdicts          (ReinsStep             *self);
void                  reins_step_add_verdict           (ReinsStep             *self,
                                                        ReinsVerdict          *verdict);
void                  reins_step_replace_verdict       (ReinsStep             *self,
                                                        guint                  index,
                                                        ReinsVerdict          *verdict);
ReinsVerdictKind      reins_step_get_worst_verdict     (ReinsStep             *self);
GPtrArray            *reins_step_get_approvals         (ReinsStep             *self);
void                  reins_step_add_approval          (ReinsStep             *self,
                                                        ReinsApprovalRecord   *approval);
const ReinsCritique  *reins_step_get_critique          (ReinsStep             *self);
void                  reins_step_set_critique          (ReinsStep             *self,
                                                        const ReinsCritique   *critique);
JsonNode             *reins_step_to_json               (ReinsStep             *self);

G_END_DECLS
