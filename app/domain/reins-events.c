/* reins-events.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "reins-events.h"
#include "reins-json-util.h"

static void
begin_event (JsonBuilder *builder,
             const char  *event,
             const char  *run_id)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, event);
  reins_json_add_string_or_null (builder, "run_id", run_id);
}

JsonNode *
reins_event_run_started (ReinsRun *run)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  JsonNode *settings;

  g_return_val_if_fail (REINS_IS_RUN (run), NULL);

  begin_event (builder, "run_started", reins_run_get_id (run));
  reins_json_add_string_or_null (builder, "task", reins_run_get_task (run));
  reins_json_add_string_or_null (builder, "provider", reins_run_get_provider (run));
  reins_json_add_string_or_null (builder, "model", reins_run_get_model (run));
  json_builder_set_member_name (builder, "settings");
  settings = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (settings, reins_run_get_settings (run));
  json_builder_add_value (builder, settings);
  reins_json_add_string_or_null (builder, "parent_run_id", reins_run_get_parent_run_id (run));
  json_builder_set_member_name (builder, "fork_step");
  if (reins_run_get_parent_run_id (run) != NULL)
    json_builder_add_int_value (builder, reins_run_get_fork_step (run));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
reins_event_token (const char *run_id,
                   guint       step,
                   const char *text)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  begin_event (builder, "token", run_id);
  json_builder_set_member_name (builder, "step");
  json_builder_add_int_value (builder, step);
  reins_json_add_string_or_null (builder, "text", text != NULL ? text : "");
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
reins_event_step (ReinsStep *step)
{
  return reins_step_to_json (step);
}

static void
add_action (JsonBuilder *builder,
            const char  *member,
            ReinsAction *action)
{
  json_builder_set_member_name (builder, member);
  if (action != NULL)
    json_builder_add_value (builder, reins_action_to_json (action));
  else
    json_builder_add_null_value (builder);
}

JsonNode *
reins_event_approval_requested (const char          *run_id,
                                ReinsApprovalRecord *record)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  double confidence;

  g_return_val_if_fail (REINS_IS_APPROVAL_RECORD (record), NULL);

  confidence = reins_approval_record_get_confidence (record);

  begin_event (builder, "approval_requested", run_id);
  json_builder_set_member_name (builder, "step");
  json_builder_add_int_value (builder, reins_approval_record_get_step (record));
  reins_json_add_string_or_null (builder, "guard", reins_approval_record_get_guard (record));
  reins_json_add_string_or_null (builder, "reason", reins_approval_record_get_reason (record));
  add_action (builder, "action", reins_approval_record_get_action (record));
  json_builder_set_member_name (builder, "confidence");
  if (isnan (confidence))
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, round (confidence * 1e4) / 1e4);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
reins_event_approval_resolved (const char          *run_id,
                               ReinsApprovalRecord *record)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  ReinsDecision decision;
  ReinsAction *action;

  g_return_val_if_fail (REINS_IS_APPROVAL_RECORD (record), NULL);

  decision = reins_approval_record_get_decision (record);
  action = reins_approval_record_get_final_action (record);
  if (action == NULL)
    action = reins_approval_record_get_action (record);

  begin_event (builder, "approval_resolved", run_id);
  json_builder_set_member_name (builder, "step");
  json_builder_add_int_value (builder, reins_approval_record_get_step (record));
  reins_json_add_string_or_null (builder, "decision",
                                 decision != REINS_DECISION_NONE
                                   ? reins_decision_to_string (decision) : NULL);
  add_action (builder, "action", action);
  reins_json_add_string_or_null (builder, "feedback", reins_approval_record_get_feedback (record));
  /* null when the person decided */
  reins_json_add_string_or_null (builder, "decided_by",
                                 reins_approval_record_get_decided_by (record));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* run_finished reports final states only; a run that stops waiting for a person and is
 * later resumed reports again when it really ends. */
JsonNode *
reins_event_run_finished (ReinsRun *run)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (REINS_IS_RUN (run), NULL);

  begin_event (builder, "run_finished", reins_run_get_id (run));
  reins_json_add_string_or_null (builder, "status",
                                 reins_run_status_to_string (reins_run_get_status (run)));
  reins_json_add_string_or_null (builder, "final_answer", reins_run_get_final_answer (run));
  reins_json_add_string_or_null (builder, "reason", reins_run_get_reason (run));
  json_builder_set_member_name (builder, "steps");
  json_builder_add_int_value (builder, reins_run_get_step_count (run));
  json_builder_set_member_name (builder, "cost_usd");
  json_builder_add_double_value (builder, round (reins_run_get_cost_usd (run) * 1e6) / 1e6);
  json_builder_set_member_name (builder, "input_tokens");
  json_builder_add_int_value (builder, (gint64) reins_run_get_input_tokens (run));
  json_builder_set_member_name (builder, "output_tokens");
  json_builder_add_int_value (builder, (gint64) reins_run_get_output_tokens (run));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* One line, no trailing newline: JSON never holds a raw newline, so lines stay lines. */
char *
reins_event_to_line (JsonNode *event)
{
  return reins_json_to_string (event, FALSE);
}
