/* reins-executor-approval.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The approval bridge: the worker puts a question to a person (a guard asked, the agent's
 * ask_human, an MCP server's elicitation) and waits; and a question left open by a process
 * that died is put again, at the point of the step where it was put.
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "reins-executor-private.h"
#include "reins-mcp-elicit.h"

static void
add_always_allow (Worker     *w,
                  const char *tool)
{
  JsonObject *settings = reins_run_get_settings (w->run);
  JsonArray *list;

  if (reins_settings_list_contains (settings, "always_allow", tool))
    return;

  if (!json_object_has_member (settings, "always_allow") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (settings, "always_allow")))
    json_object_set_array_member (settings, "always_allow", json_array_new ());

  list = json_object_get_array_member (settings, "always_allow");
  json_array_add_string_element (list, tool);
}

/* Puts the question to a person and waits. The step is committed first, so what the
 * window shows while it waits is in the store. */
ReinsDecision
reins_worker_ask_person (Worker               *w,
            ReinsStep            *step,
            ReinsApprovalRecord  *record,
            gboolean              is_question,
            ReinsApproval       **out_approval)
{
  ReinsExecutor *self = w->executor;
  g_autoptr(ReinsApproval) approval = NULL;
  ReinsDecision decision;
  ReinsEvent *event;
  gint64 asked;

  if (reins_approval_record_get_decision (record) == REINS_DECISION_NONE &&
      !g_ptr_array_find (reins_step_get_approvals (step), record, NULL))
    reins_step_add_approval (step, record);

  reins_worker_set_status (w, REINS_RUN_STATUS_AWAITING_APPROVAL, reins_approval_record_get_reason (record));
  reins_worker_commit_step (w, step, FALSE);

  approval = reins_approval_new (reins_run_get_id (w->run), record, is_question);

  g_mutex_lock (&self->mutex);
  g_set_object (&self->pending_approval, approval);
  g_mutex_unlock (&self->mutex);

  event = reins_event_new (EVENT_APPROVAL_REQUESTED);
  event->object = G_OBJECT (g_object_ref (approval));
  _reins_executor_push_event (self, event);

  asked = g_get_monotonic_time ();
  decision = reins_approval_wait (approval, w->cancellable);
  w->person_us += g_get_monotonic_time () - asked;

  g_mutex_lock (&self->mutex);
  g_clear_object (&self->pending_approval);
  g_mutex_unlock (&self->mutex);

  if (decision == REINS_DECISION_NONE)
    return REINS_DECISION_NONE;

  event = reins_event_new (EVENT_APPROVAL_RESOLVED);
  {
    /* A copy: the record's actions hold JSON, whose reference counts are not atomic, and
     * the worker goes on using the record. */
    g_autoptr(JsonNode) node = reins_approval_record_to_json (record);

    event->object = G_OBJECT (reins_approval_record_new_from_json (node, NULL));
    if (event->object == NULL)
      event->object = G_OBJECT (g_object_ref (record));
  }
  _reins_executor_push_event (self, event);

  if (decision != REINS_DECISION_STOP)
    reins_worker_set_status (w, REINS_RUN_STATUS_RUNNING, NULL);

  if (out_approval != NULL)
    *out_approval = g_steal_pointer (&approval);

  return decision;
}

char *
reins_worker_ask_human (const char   *question,
              gpointer      user_data,
              GCancellable *cancellable)
{
  Worker *w = user_data;
  g_autoptr(ReinsApprovalRecord) record = NULL;
  ReinsDecision decision;

  if (w->current == NULL)
    return NULL;

  record = reins_approval_record_new (reins_step_get_index (w->current), "ask_human", question,
                                      reins_step_get_action (w->current), NAN);
  decision = reins_worker_ask_person (w, w->current, record, TRUE, NULL);

  if (decision == REINS_DECISION_STOP)
    w->stop_requested = TRUE;
  if (decision != REINS_DECISION_APPROVE)
    return NULL;

  return g_strdup (reins_approval_record_get_feedback (record));
}

/* An MCP server asks the person during a tool call (`elicitation/create`): a question on the
 * step, stored as an approval record with guard "elicitation". Its action holds the request
 * (`elicitation/create` with the server's params and name); the answer is its feedback, the
 * result as JSON. */
JsonObject *
reins_worker_elicit (const char   *server,
           JsonObject   *request,
           gpointer      user_data,
           GCancellable *cancellable)
{
  Worker *w = user_data;
  g_autoptr(ReinsApprovalRecord) record = NULL;
  g_autoptr(ReinsAction) action = NULL;
  g_autoptr(JsonObject) arguments = NULL;
  g_autoptr(JsonNode) copy = NULL;
  g_autofree char *reason = NULL;
  ReinsDecision decision;

  if (w->current == NULL)
    return NULL;

  {
    JsonNode *node = json_node_new (JSON_NODE_OBJECT);

    json_node_set_object (node, request);
    copy = json_node_copy (node);
    json_node_unref (node);
  }
  arguments = json_object_ref (json_node_get_object (copy));
  json_object_set_string_member (arguments, "server", server);
  action = reins_action_new ("elicitation/create", arguments);
  reason = g_strdup_printf (_("MCP server “%s” asks: %s"), server,
                            json_object_get_string_member_with_default (request, "message", ""));
  record = reins_approval_record_new (reins_step_get_index (w->current), "elicitation", reason,
                                      action, NAN);
  decision = reins_worker_ask_person (w, w->current, record, TRUE, NULL);

  if (decision == REINS_DECISION_STOP)
    w->stop_requested = TRUE;
  if (decision == REINS_DECISION_NONE)
    return NULL;
  return reins_mcp_elicit_result (request, decision, reins_approval_record_get_feedback (record));
}

/* A person decides about the action; on return the step says what happens next. */
ReinsStepOutcome
reins_worker_step_ask (Worker              *w,
          StepState           *s,
          ReinsApprovalRecord *record)
{
  g_autoptr(ReinsApproval) approval = NULL;
  ReinsAction *action;
  ReinsDecision decision;

  reins_step_state_set_duration (s);
  decision = reins_worker_ask_person (w, s->step, record, FALSE, &approval);

  switch (decision)
    {
    case REINS_DECISION_NONE:
    case REINS_DECISION_STOP:
      return reins_worker_end_cancelled (w, s->step, TRUE);

    case REINS_DECISION_APPROVE:
      break;

    case REINS_DECISION_EDIT:
      reins_step_set_action (s->step, reins_approval_record_get_final_action (record));
      reins_worker_describe_action (w, reins_step_get_action (s->step), &s->context, &s->validation_error);
      break;

    case REINS_DECISION_REJECT:
      {
        const char *feedback = reins_approval_record_get_feedback (record);
        g_autofree char *observation = NULL;

        if (feedback != NULL)
          observation = g_strdup_printf (_("[Harness: person] The person rejected this action "
                                           "and said: %s"), feedback);
        else
          observation = g_strdup (_("[Harness: person] The person rejected this action. "
                                    "Do something else."));
        reins_step_set_observation (s->step, observation);
        s->skip_action = TRUE;
        if (approval != NULL &&
            reins_approval_get_choice (approval) == REINS_APPROVAL_CHOICE_END_NOW)
          w->end_now_step = reins_step_get_index (s->step);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  action = reins_step_get_action (s->step);
  reins_harness_approval_resolved (w->harness, &s->context, s->step, record);
  if (approval != NULL && reins_approval_get_always_allow (approval) && action != NULL)
    add_always_allow (w, reins_action_get_name (action));

  return REINS_STEP_CONTINUE;
}

/* The question of a stored step that no one answered (the process died while it was
 * open), or NULL. */
ReinsApprovalRecord *
reins_worker_open_question (ReinsStep *step)
{
  GPtrArray *approvals = reins_step_get_approvals (step);
  ReinsApprovalRecord *last;

  if (approvals->len == 0 || reins_step_get_action (step) == NULL)
    return NULL;
  last = g_ptr_array_index (approvals, approvals->len - 1);
  return reins_approval_record_get_decision (last) == REINS_DECISION_NONE ? last : NULL;
}

/* Whether the guard that put @record asked after the action's observation: then the tool
 * has run, and only the harness's judgement of its result is asked again. */
static gboolean
asked_after_observation (ReinsStep           *step,
                         ReinsApprovalRecord *record)
{
  GPtrArray *verdicts = reins_step_get_verdicts (step);

  for (guint i = verdicts->len; i > 0; i--)
    {
      ReinsVerdict *v = g_ptr_array_index (verdicts, i - 1);

      if (reins_verdict_get_kind (v) == REINS_VERDICT_ASK &&
          g_strcmp0 (reins_verdict_get_guard (v), reins_approval_record_get_guard (record)) == 0)
        return reins_verdict_get_phase (v) == REINS_VERDICT_PHASE_AFTER_OBSERVATION;
    }
  return FALSE;
}

/* Removes the verdicts of @phase: they are judged again, as the first process would have. */
static void
drop_verdicts (ReinsStep         *step,
               ReinsVerdictPhase  phase)
{
  GPtrArray *verdicts = reins_step_get_verdicts (step);

  for (guint i = verdicts->len; i > 0; i--)
    if (reins_verdict_get_phase (g_ptr_array_index (verdicts, i - 1)) == phase)
      g_ptr_array_remove_index (verdicts, i - 1);
}

/* Takes up a stored step whose question was open: the same question is put again, at the
 * point of the step where it was put. */
ReinsStepOutcome
reins_worker_step_reopen (Worker    *w,
             StepState *s,
             ReinsStep *pending)
{
  g_autoptr(ReinsApprovalRecord) record = g_object_ref (reins_worker_open_question (pending));
  ReinsAction *action = reins_step_get_action (pending);

  s->step = g_object_ref (pending);
  s->t0 -= reins_step_get_duration_ms (pending) * 1000;
  w->current = s->step;
  reins_worker_describe_action (w, action, &s->context, &s->validation_error);

  if (g_strcmp0 (reins_approval_record_get_guard (record), "ask_human") == 0 ||
      g_strcmp0 (reins_approval_record_get_guard (record), "elicitation") == 0)
    {
      /* The agent's or the MCP server's question is part of its tool running: the tool
       * runs again and asks. */
      g_ptr_array_remove (reins_step_get_approvals (s->step), record);
      return REINS_STEP_CONTINUE;
    }

  if (asked_after_observation (s->step, record))
    {
      /* The observation is kept; the harness judges it again and asks again. */
      g_ptr_array_remove (reins_step_get_approvals (s->step), record);
      drop_verdicts (s->step, REINS_VERDICT_PHASE_AFTER_OBSERVATION);
      s->skip_action = TRUE;
      if (g_str_equal (reins_action_get_name (action), "finish") &&
          !reins_step_get_tool_error (s->step))
        s->final_answer = g_strdup (reins_action_get_string_argument (action, "answer"));
      return REINS_STEP_CONTINUE;
    }

  return reins_worker_step_ask (w, s, record);
}
