/* reins-otlp.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run written as OpenTelemetry GenAI spans in OTLP/JSON (reins-import-otlp.c reads them).
 *
 * The run's trace id is its UUID; span ids follow from the run id and the step, so
 * exporting twice gives the same file. Each step has a `chat` span (the model call) and,
 * when it acted, an `execute_tool` span, both children of the run's `invoke_agent` span and
 * both with `reins.step.index`. A later turn of a person is a `reins.user_turn` event of
 * the run's span. Verdicts and decisions are events (`reins.verdict`, `reins.approval`).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-export.h"
#include "reins-json-util.h"
#include "reins-otlp.h"

static void
attr_begin (JsonBuilder *b,
            const char  *key)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, key);
  json_builder_set_member_name (b, "value");
  json_builder_begin_object (b);
}

static void
attr_end (JsonBuilder *b)
{
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
attr_string (JsonBuilder *b,
             const char  *key,
             const char  *value)
{
  if (value == NULL || (*value == '\0' && g_str_has_prefix (key, "gen_ai.request.")))
    return;
  attr_begin (b, key);
  json_builder_set_member_name (b, "stringValue");
  json_builder_add_string_value (b, value);
  attr_end (b);
}

/* OTLP/JSON writes 64-bit integers as strings. */
static void
attr_int (JsonBuilder *b,
          const char  *key,
          gint64       value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  attr_begin (b, key);
  json_builder_set_member_name (b, "intValue");
  json_builder_add_string_value (b, text);
  attr_end (b);
}

static void
attr_double (JsonBuilder *b,
             const char  *key,
             double       value)
{
  attr_begin (b, key);
  json_builder_set_member_name (b, "doubleValue");
  json_builder_add_double_value (b, value);
  attr_end (b);
}

static void
attr_strings (JsonBuilder *b,
              const char  *key,
              const char  *value)
{
  attr_begin (b, key);
  json_builder_set_member_name (b, "arrayValue");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "values");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "stringValue");
  json_builder_add_string_value (b, value);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  attr_end (b);
}

static void
attr_json (JsonBuilder *b,
           const char  *key,
           JsonNode    *node)
{
  g_autofree char *text = reins_json_to_string (node, FALSE);

  attr_string (b, key, text);
}

static void
attr_scalar (JsonBuilder *b,
             const char  *key,
             JsonNode    *node)
{
  if (!JSON_NODE_HOLDS_VALUE (node))
    return;
  attr_begin (b, key);
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      json_builder_set_member_name (b, "boolValue");
      json_builder_add_boolean_value (b, json_node_get_boolean (node));
      break;
    case G_TYPE_INT64:
      {
        g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

        json_builder_set_member_name (b, "intValue");
        json_builder_add_string_value (b, text);
      }
      break;
    case G_TYPE_DOUBLE:
      json_builder_set_member_name (b, "doubleValue");
      json_builder_add_double_value (b, json_node_get_double (node));
      break;
    default:
      json_builder_set_member_name (b, "stringValue");
      json_builder_add_string_value (b, json_node_get_string (node));
      break;
    }
  attr_end (b);
}

static char *
span_id (const char *run_id,
         const char *what,
         guint       index)
{
  g_autofree char *seed = g_strdup_printf ("%s/%s/%u", run_id, what, index);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed, -1);

  return g_strndup (digest, 16);
}

static char *
trace_id (const char *run_id)
{
  g_autoptr(GString) hex = g_string_new (NULL);

  for (const char *p = run_id; *p != '\0'; p++)
    if (g_ascii_isxdigit (*p))
      g_string_append_c (hex, g_ascii_tolower (*p));
  if (hex->len != 32)
    {
      g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, run_id, -1);

      return g_strndup (digest, 32);
    }
  return g_string_free (g_steal_pointer (&hex), FALSE);
}

static void
time_member (JsonBuilder *b,
             const char  *member,
             gint64       unix_usec)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT "000", MAX (unix_usec, 0));

  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, unix_usec > 0 ? text : "0");
}

/* Opens a span and its "attributes" array. */
static void
span_begin (JsonBuilder *b,
            const char  *trace,
            const char  *id,
            const char  *parent,
            const char  *name,
            int          kind,
            gint64       start,
            gint64       end)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "traceId");
  json_builder_add_string_value (b, trace);
  json_builder_set_member_name (b, "spanId");
  json_builder_add_string_value (b, id);
  if (parent != NULL)
    {
      json_builder_set_member_name (b, "parentSpanId");
      json_builder_add_string_value (b, parent);
    }
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "kind");
  json_builder_add_int_value (b, kind);
  time_member (b, "startTimeUnixNano", start);
  time_member (b, "endTimeUnixNano", MAX (end, start));
  json_builder_set_member_name (b, "attributes");
  json_builder_begin_array (b);
}

static void
span_status (JsonBuilder *b,
             gboolean     failed,
             const char  *message)
{
  json_builder_set_member_name (b, "status");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_int_value (b, failed ? 2 : 1);
  if (failed && message != NULL)
    {
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, message);
    }
  json_builder_end_object (b);
}

static void
event_begin (JsonBuilder *b,
             const char  *name,
             gint64       at,
             guint        step)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  time_member (b, "timeUnixNano", at);
  json_builder_set_member_name (b, "attributes");
  json_builder_begin_array (b);
  attr_int (b, "reins.step.index", step);
}

static void
event_end (JsonBuilder *b)
{
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static gboolean
is_user_turn (ReinsStep *step)
{
  return reins_step_get_action (step) == NULL && reins_step_get_observation (step) != NULL &&
         reins_step_get_thought (step) == NULL && reins_step_get_reply (step) == NULL;
}

static void
step_events (JsonBuilder *b,
             ReinsStep   *step,
             gint64       at,
             gboolean     content)
{
  GPtrArray *verdicts = reins_step_get_verdicts (step);
  GPtrArray *approvals = reins_step_get_approvals (step);
  guint index = reins_step_get_index (step);

  for (guint i = 0; i < verdicts->len; i++)
    {
      ReinsVerdict *verdict = g_ptr_array_index (verdicts, i);

      event_begin (b, "reins.verdict", at, index);
      attr_string (b, "reins.guard", reins_verdict_get_guard (verdict));
      attr_string (b, "reins.verdict", reins_verdict_kind_to_string (reins_verdict_get_kind (verdict)));
      attr_string (b, "reins.verdict.phase",
                   reins_verdict_phase_to_string (reins_verdict_get_phase (verdict)));
      attr_string (b, "reins.verdict.reason", reins_verdict_get_reason (verdict));
      event_end (b);
    }
  for (guint i = 0; i < approvals->len; i++)
    {
      ReinsApprovalRecord *record = g_ptr_array_index (approvals, i);
      gint64 resolved = reins_approval_record_get_resolved_at (record);

      event_begin (b, "reins.approval", resolved > 0 ? resolved : at, index);
      attr_string (b, "reins.guard", reins_approval_record_get_guard (record));
      attr_string (b, "reins.decision",
                   reins_decision_to_string (reins_approval_record_get_decision (record)));
      attr_string (b, "reins.approval.reason", reins_approval_record_get_reason (record));
      if (content)
        attr_string (b, "reins.feedback", reins_approval_record_get_feedback (record));
      event_end (b);
    }
}

static void
output_messages (JsonBuilder *b,
                 ReinsStep   *step,
                 const char  *finish_reason)
{
  g_autoptr(JsonBuilder) m = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  ReinsAction *action = reins_step_get_action (step);
  const char *thought = reins_step_get_thought (step);
  const char *reply = reins_step_get_reply (step);

  json_builder_begin_array (m);
  json_builder_begin_object (m);
  json_builder_set_member_name (m, "role");
  json_builder_add_string_value (m, "assistant");
  json_builder_set_member_name (m, "parts");
  json_builder_begin_array (m);
  if (thought != NULL && g_strcmp0 (thought, reply) != 0)
    {
      json_builder_begin_object (m);
      json_builder_set_member_name (m, "type");
      json_builder_add_string_value (m, "reasoning");
      json_builder_set_member_name (m, "content");
      json_builder_add_string_value (m, thought);
      json_builder_end_object (m);
    }
  if (reply != NULL)
    {
      json_builder_begin_object (m);
      json_builder_set_member_name (m, "type");
      json_builder_add_string_value (m, "text");
      json_builder_set_member_name (m, "content");
      json_builder_add_string_value (m, reply);
      json_builder_end_object (m);
    }
  if (action != NULL)
    {
      json_builder_begin_object (m);
      json_builder_set_member_name (m, "type");
      json_builder_add_string_value (m, "tool_call");
      json_builder_set_member_name (m, "id");
      json_builder_add_string_value (m, reins_action_get_call_id (action));
      json_builder_set_member_name (m, "name");
      json_builder_add_string_value (m, reins_action_get_name (action));
      json_builder_set_member_name (m, "arguments");
      json_builder_add_value (m, json_node_init_object (json_node_alloc (),
                                                        reins_action_get_arguments (action)));
      json_builder_end_object (m);
    }
  json_builder_end_array (m);
  json_builder_set_member_name (m, "finish_reason");
  json_builder_add_string_value (m, finish_reason);
  json_builder_end_object (m);
  json_builder_end_array (m);
  node = json_builder_get_root (m);
  attr_json (b, "gen_ai.output.messages", node);
}

static void
text_messages (JsonBuilder *b,
               const char  *key,
               const char  *role,
               const char  *text)
{
  g_autoptr(JsonBuilder) m = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_array (m);
  json_builder_begin_object (m);
  json_builder_set_member_name (m, "role");
  json_builder_add_string_value (m, role);
  json_builder_set_member_name (m, "parts");
  json_builder_begin_array (m);
  json_builder_begin_object (m);
  json_builder_set_member_name (m, "type");
  json_builder_add_string_value (m, "text");
  json_builder_set_member_name (m, "content");
  json_builder_add_string_value (m, text);
  json_builder_end_object (m);
  json_builder_end_array (m);
  json_builder_end_object (m);
  json_builder_end_array (m);
  node = json_builder_get_root (m);
  attr_json (b, key, node);
}

static void
step_spans (JsonBuilder *b,
            ReinsRun    *run,
            ReinsStep   *step,
            const char  *trace,
            const char  *root,
            gboolean     content)
{
  ReinsAction *action = reins_step_get_action (step);
  guint index = reins_step_get_index (step);
  const char *model = reins_run_get_model (run);
  gint64 start = reins_step_get_started_at (step) > 0 ? reins_step_get_started_at (step)
                                                       : reins_run_get_created_at (run);
  gint64 end = start + reins_step_get_duration_ms (step) * 1000;
  g_autofree char *chat_id = span_id (reins_run_get_id (run), "chat", index);
  g_autofree char *chat_name = g_strdup_printf ("chat %s", model != NULL ? model : "");
  gboolean acted = action != NULL && !g_str_equal (reins_action_get_name (action), "finish");
  const char *finish_reason = acted ? "tool_call" : "stop";

  span_begin (b, trace, chat_id, root, g_strstrip (chat_name), 3, start, end);
  attr_string (b, "gen_ai.operation.name", "chat");
  attr_string (b, "gen_ai.provider.name", reins_run_get_provider (run));
  attr_string (b, "gen_ai.request.model", model);
  attr_int (b, "gen_ai.usage.input_tokens", reins_step_get_input_tokens (step));
  attr_int (b, "gen_ai.usage.output_tokens", reins_step_get_output_tokens (step));
  attr_strings (b, "gen_ai.response.finish_reasons", finish_reason);
  attr_int (b, "reins.step.index", index);
  if (reins_step_has_confidence (step))
    attr_double (b, "reins.step.confidence", reins_step_get_confidence (step));
  if (reins_step_get_cost_usd (step) > 0)
    attr_double (b, "reins.step.cost_usd", reins_step_get_cost_usd (step));
  if (content)
    output_messages (b, step, finish_reason);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "events");
  json_builder_begin_array (b);
  step_events (b, step, start, content);
  json_builder_end_array (b);
  span_status (b, FALSE, NULL);
  json_builder_end_object (b);

  if (action != NULL)
    {
      g_autofree char *tool_id = span_id (reins_run_get_id (run), "tool", index);
      g_autofree char *tool_name = g_strdup_printf ("execute_tool %s", reins_action_get_name (action));
      g_autofree char *call_id = reins_action_get_call_id (action) != NULL ?
                                 g_strdup (reins_action_get_call_id (action)) :
                                 g_strdup_printf ("step-%u", index);

      span_begin (b, trace, tool_id, root, tool_name, 1, end, end);
      attr_string (b, "gen_ai.operation.name", "execute_tool");
      attr_string (b, "gen_ai.tool.name", reins_action_get_name (action));
      attr_string (b, "gen_ai.tool.call.id", call_id);
      attr_string (b, "gen_ai.tool.type", "function");
      attr_int (b, "reins.step.index", index);
      if (content)
        {
          g_autofree char *arguments = reins_action_dup_arguments_json (action);

          attr_string (b, "gen_ai.tool.call.arguments", arguments);
          attr_string (b, "gen_ai.tool.call.result", reins_step_get_observation (step));
        }
      json_builder_end_array (b);
      span_status (b, reins_step_get_tool_error (step), _("the tool failed"));
      json_builder_end_object (b);
    }
}

/* The run's invoke_agent span, with the later turns of a person among @steps as events. */
static void
run_span (JsonBuilder *b,
          ReinsRun    *run,
          GPtrArray   *steps,
          const char  *trace,
          const char  *root,
          gboolean     content)
{
  JsonObject *settings = reins_run_get_settings (run);
  JsonNode *labels = settings != NULL ? json_object_get_member (settings, "labels") : NULL;
  ReinsRunStatus status = reins_run_get_status (run);
  gint64 end = reins_run_get_finished_at (run);

  span_begin (b, trace, root, NULL, "invoke_agent reins", 1, reins_run_get_created_at (run),
              end > 0 ? end : reins_run_get_created_at (run));
  attr_string (b, "gen_ai.operation.name", "invoke_agent");
  attr_string (b, "gen_ai.agent.name", "reins");
  attr_string (b, "gen_ai.provider.name", reins_run_get_provider (run));
  attr_string (b, "gen_ai.request.model", reins_run_get_model (run));
  attr_string (b, "gen_ai.conversation.id", reins_run_get_id (run));
  attr_int (b, "gen_ai.usage.input_tokens", reins_run_get_input_tokens (run));
  attr_int (b, "gen_ai.usage.output_tokens", reins_run_get_output_tokens (run));
  attr_string (b, "reins.run.status", reins_run_status_to_string (status));
  if (reins_run_get_reason (run) != NULL)
    attr_string (b, "reins.run.reason", reins_run_get_reason (run));
  attr_double (b, "reins.run.cost_usd", reins_run_get_cost_usd (run));
  if (labels != NULL && JSON_NODE_HOLDS_OBJECT (labels))
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *node;

      json_object_iter_init (&iter, json_node_get_object (labels));
      while (json_object_iter_next (&iter, &member, &node))
        {
          g_autofree char *key = g_strdup_printf ("reins.label.%s", member);

          if (!reins_export_is_secret_key (member))
            attr_scalar (b, key, node);
        }
    }
  if (content)
    {
      const char *system = settings != NULL ?
        json_object_get_string_member_with_default (settings, "system_prompt", NULL) : NULL;

      text_messages (b, "gen_ai.input.messages", "user", reins_run_get_task (run));
      if (reins_run_get_final_answer (run) != NULL)
        text_messages (b, "gen_ai.output.messages", "assistant", reins_run_get_final_answer (run));
      if (system != NULL)
        text_messages (b, "gen_ai.system_instructions", "system", system);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "events");
  json_builder_begin_array (b);
  for (guint i = 0; i < steps->len; i++)
    {
      ReinsStep *step = g_ptr_array_index (steps, i);
      gint64 at = reins_step_get_started_at (step) > 0 ? reins_step_get_started_at (step)
                                                        : reins_run_get_created_at (run);

      if (!is_user_turn (step))
        continue;
      event_begin (b, "reins.user_turn", at, reins_step_get_index (step));
      if (content)
        attr_string (b, "reins.content", reins_step_get_observation (step));
      event_end (b);
      step_events (b, step, at, content);
    }
  json_builder_end_array (b);
  span_status (b, status == REINS_RUN_STATUS_FAILED || status == REINS_RUN_STATUS_TERMINATED,
               reins_run_get_reason (run));
  json_builder_end_object (b);
}

/**
 * reins_otlp_export_parts:
 * @steps: (element-type ReinsStep): steps of the run: their spans (with
 *   %REINS_OTLP_STEP_SPANS), and the later turns of a person among them as events of the
 *   run's span (with %REINS_OTLP_RUN_SPAN)
 * @parts: the run's span, the steps' spans, or both
 * @content: whether prompts, answers, tool arguments and results are written
 * @pretty: indented, for a file; one line otherwise
 * @n_spans: (out) (optional): how many spans it holds
 *
 * Some spans of a run, so that a live export can send each step's as the step ends and the
 * run's at the end; the ids are those of the whole export.
 *
 * Returns: (transfer full): an OTLP/JSON ExportTraceServiceRequest
 */
char *
reins_otlp_export_parts (ReinsRun       *run,
                         GPtrArray      *steps,
                         ReinsOtlpParts  parts,
                         gboolean        content,
                         gboolean        pretty,
                         guint          *n_spans)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root_node = NULL;
  g_autofree char *trace = NULL;
  g_autofree char *root = NULL;
  guint count = 0;

  g_return_val_if_fail (REINS_IS_RUN (run), NULL);
  g_return_val_if_fail (steps != NULL, NULL);

  trace = trace_id (reins_run_get_id (run));
  root = span_id (reins_run_get_id (run), "run", 0);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "resourceSpans");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "resource");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "attributes");
  json_builder_begin_array (b);
  attr_string (b, "service.name", "reins");
  attr_string (b, "service.version", PACKAGE_VERSION);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "scopeSpans");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "scope");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "io.github.reins.Reins");
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "spans");
  json_builder_begin_array (b);

  if (parts & REINS_OTLP_RUN_SPAN)
    {
      run_span (b, run, steps, trace, root, content);
      count++;
    }
  for (guint i = 0; (parts & REINS_OTLP_STEP_SPANS) && i < steps->len; i++)
    {
      ReinsStep *step = g_ptr_array_index (steps, i);

      if (is_user_turn (step))
        continue;
      step_spans (b, run, step, trace, root, content);
      count += reins_step_get_action (step) != NULL ? 2 : 1;
    }

  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);

  if (n_spans != NULL)
    *n_spans = count;
  root_node = json_builder_get_root (b);
  return reins_json_to_string (root_node, pretty);
}

/**
 * reins_otlp_export:
 * @steps: (element-type ReinsStep): the run's steps
 * @content: whether prompts, answers, tool arguments and results are written
 *
 * Returns: (transfer full): the run as OTLP/JSON (an ExportTraceServiceRequest)
 */
char *
reins_otlp_export (ReinsRun  *run,
                   GPtrArray *steps,
                   gboolean   content)
{
  return reins_otlp_export_parts (run, steps, REINS_OTLP_ALL, content, TRUE, NULL);
}
