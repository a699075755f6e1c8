/* reins-step.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "reins-error.h"
#include "reins-json-util.h"
#include "reins-step.h"

struct _ReinsStep
{
  GObject               parent_instance;

  char                 *run_id;
  guint                 index;
  char                 *thought;
  char                 *reply;
  ReinsAction          *action;
  char                 *observation;
  double                confidence;
  ReinsConfidenceSource confidence_source;
  guint64               input_tokens;
  guint64               output_tokens;
  double                cost_usd;
  double                cost_total_usd;
  gint64                duration_ms;
  gint64                started_at;
  GPtrArray            *verdicts;
  GPtrArray            *approvals;
  ReinsCritique        *critique;
  guint                 tool_error : 1;
};

G_DEFINE_FINAL_TYPE (ReinsStep, reins_step, G_TYPE_OBJECT)

/* g_set_str() is GLib 2.76; we target 2.74. */
static void
set_str (char       **ptr,
         const char  *value)
{
  char *copy;

  if (*ptr == value)
    return;
  copy = g_strdup (value);
  g_free (*ptr);
  *ptr = copy;
}

static void
reins_step_finalize (GObject *object)
{
  ReinsStep *self = (ReinsStep *)object;

  g_clear_pointer (&self->run_id, g_free);
  g_clear_pointer (&self->thought, g_free);
  g_clear_pointer (&self->reply, g_free);
  g_clear_object (&self->action);
  g_clear_pointer (&self->observation, g_free);
  g_clear_pointer (&self->verdicts, g_ptr_array_unref);
  g_clear_pointer (&self->approvals, g_ptr_array_unref);
  g_clear_pointer (&self->critique, reins_critique_free);

  G_OBJECT_CLASS (reins_step_parent_class)->finalize (object);
}

static void
reins_step_class_init (ReinsStepClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = reins_step_finalize;
}

static void
reins_step_init (ReinsStep *self)
{
  self->confidence = NAN;
  self->verdicts = g_ptr_array_new_with_free_func (g_object_unref);
  self->approvals = g_ptr_array_new_with_free_func (g_object_unref);
}

ReinsStep *
reins_step_new (const char *run_id,
                guint       index)
{
  ReinsStep *self = g_object_new (REINS_TYPE_STEP, NULL);

  self->run_id = g_strdup (run_id);
  self->index = index;
  return self;
}

/* A deep copy: a step handed to another thread must not share mutable state. Verdicts are
 * immutable GObjects (atomic references) and shared; the action and the approval records
 * are copied, because they hold JSON. */
ReinsStep *
reins_step_copy (ReinsStep *self)
{
  ReinsStep *copy;

  g_return_val_if_fail (REINS_IS_STEP (self), NULL);

  copy = reins_step_new (self->run_id, self->index);
  copy->thought = g_strdup (self->thought);
  copy->reply = g_strdup (self->reply);
  /* A new action: JSON-GLib's reference counts are not atomic, so the two threads must not
   * share its arguments. */
  if (self->action != NULL)
    copy->action = reins_action_new_with_id (reins_action_get_name (self->action),
                                             reins_action_get_arguments (self->action),
                                             reins_action_get_call_id (self->action));
  copy->observation = g_strdup (self->observation);
  copy->tool_error = self->tool_error;
  copy->confidence = self->confidence;
  copy->confidence_source = self->confidence_source;
  copy->input_tokens = self->input_tokens;
  copy->output_tokens = self->output_tokens;
  copy->cost_usd = self->cost_usd;
  copy->cost_total_usd = self->cost_total_usd;
  copy->duration_ms = self->duration_ms;
  copy->started_at = self->started_at;
  if (self->critique != NULL)
    copy->critique = reins_critique_copy (self->critique);

  for (guint i = 0; i < self->verdicts->len; i++)
    g_ptr_array_add (copy->verdicts, g_object_ref (g_ptr_array_index (self->verdicts, i)));

  for (guint i = 0; i < self->approvals->len; i++)
    {
      g_autoptr(JsonNode) node = reins_approval_record_to_json (g_ptr_array_index (self->approvals, i));
      ReinsApprovalRecord *record = reins_approval_record_new_from_json (node, NULL);

      if (record != NULL)
        g_ptr_array_add (copy->approvals, record);
    }

  return copy;
}

const char *
reins_step_get_run_id (ReinsStep *self)
{
  g_return_val_if_fail (REINS_IS_STEP (self), NULL);
  return self->run_id;
}

void
reins_step_set_run_id (ReinsStep  *self,
                       const char *run_id)
{
  g_return_if_fail (REINS_IS_STEP (self));
  set_str (&self->run_id, run_id);
}

guint
reins_step_get_index (ReinsStep *self)
{
  g_return_val_if_fail (REINS_IS_STEP (self), 0);
  return self->index;
}

void
reins_step_set_index (ReinsStep *self,
                      guint      index)
{
  g_return_if_fail (REINS_IS_STEP (self));
  self->index = index;
}

const char *
reins_step_get_thought (ReinsStep *self)
{
  g_return_val_if_fail (REINS_IS_STEP (self), NULL);
  return self->thought;
}

void
reins_step_set_thought (ReinsStep  *self,
                        const char *thought)
{
  g_return_if_fail (REINS_IS_STEP (self));
  set_str (&self->thought, thought);
}

/* The model's whole reply as it was streamed, so a replay can rebuild the conversation. */
const char *
reins_step_get_reply (ReinsStep *self)
{
  g_return_val_if_fail (REINS_IS_STEP (self), NULL);
  return self->reply;
}

void
reins_step_set_reply (ReinsStep  *self,
                      const char *reply)
{
  g_return_if_fail (REINS_IS_STEP (self));
  set_str (&self->reply, reply);
}

ReinsAction *
reins_step_get_action (ReinsStep *self)
{
  g_return_val_if_fail (REINS_IS_STEP (self), NULL);
  return self->action;
}

void
reins_step_set_action (ReinsStep   *self,
                       ReinsAction *action)
{
  g_return_if_fail (REINS_IS_STEP (self));
  g_return_if_fail (action == NULL || REINS_IS_ACTION (action));
  g_set_object (&self->action, action);
}

const char *
reins_step_get_observation (ReinsStep *self)
{
  g_return_val_if_fail (REINS_IS_STEP (self), NULL);
  return self->observation;
}

void
reins_step_set_observation (ReinsStep  *self,
                            const char *observation)
{
  g_return_if_fail (REINS_IS_STEP (self));
  set_str (&self->observation, observation);
}

gboolean
reins_step_get_tool_error (ReinsStep *self)
{
  g_return_val_if_fail (REINS_IS_STEP (self), FALSE);
  return self->tool_error;
}

void
reins_step_set_tool_error (ReinsStep *self,
                           gboolean   tool_error)
{
  g_return_if_fail (REINS_IS_STEP (self));
  self->tool_error = !!tool_error;
}

gboolean
reins_step_has_confidence (ReinsStep *self)
{
  g_return_val_if_fail (REINS_IS_STEP (self), FALSE);
  return !isnan (self->confidence);
}

/* NAN when the step has none (e.g. a step that never reached the model). */
double
reins_step_get_confidence (ReinsStep *self)
{
  g_return_val_if_fail (REINS_IS_STEP (self), NAN);
  return self->confidence;
}

ReinsConfidenceSource
reins_step_get_confidence_source (ReinsStep *self)
{
  g_return_val_if_fail (REINS_IS_STEP (self), REINS_CONFIDENCE_SOURCE_DEFAULT);
  return self->confidence_source;
}

void
reins_step_set_confidence (ReinsStep             *self,
                           double                 confidence,
                           ReinsConfidenceSource  source)
{
  g_return_if_fail (REINS_IS_STEP (self));
  self->confidence = isnan (confidence) ? NAN : CLAMP (confidence, 0.0, 1.0);
  self->confidence_source = source;
}

void
reins_step_clear_confidence (ReinsStep *self)
{
  g_return_if_fail (REINS_IS_STEP (self));
  self->confidence = NAN;
  self->confidence_source = REINS_CONFIDENCE_SOURCE_DEFAULT;
}

guint64
reins_step_get_input_tokens (ReinsStep *self)
{
  g_return_val_if_fail (REINS_IS_STEP (self), 0);
  return self->input_tokens;
}

guint64
reins_step_get_output_tokens (ReinsStep *self)
{
  g_return_val_if_fail (REINS_IS_STEP (self), 0);
  return self->output_tokens;
}

void
reins_step_set_tokens (ReinsStep *self,
                       guint64    input_tokens,
                       guint64    output_tokens)
{
  g_return_if_fail (REINS_IS_STEP (self));
  self->input_tokens = input_tokens;
  self->output_tokens = output_tokens;
}

double
reins_step_get_cost_usd (ReinsStep *self)
{
  g_return_val_if_fail (REINS_IS_STEP (self), 0.0);
  return self->cost_usd;
}

double
reins_step_get_cost_total_usd (ReinsStep *self)
{
  g_return_val_if_fail (REINS_IS_STEP (self), 0.0);
  return self->cost_total_usd;
}

void
reins_step_set_cost (ReinsStep *self,
                     double     cost_usd,
                     double     cost_total_usd)
{
  g_return_if_fail (REINS_IS_STEP (self));
  self->cost_usd = cost_usd;
  self->cost_total_usd = cost_total_usd;
}

gint64
reins_step_get_duration_ms (ReinsStep *self)
{
  g_return_val_if_fail (REINS_IS_STEP (self), 0);
  return self->duration_ms;
}

void
reins_step_set_duration_ms (ReinsStep *self,
                            gint64     duration_ms)
{
  g_return_if_fail (REINS_IS_STEP (self));
  self->duration_ms = duration_ms;
}

gint64
reins_step_get_started_at (ReinsStep *self)
{
  g_return_val_if_fail (REINS_IS_STEP (self), 0);
  return self->started_at;
}

void
reins_step_set_started_at (ReinsStep *self,
                           gint64     unix_usec)
{
  g_return_if_fail (REINS_IS_STEP (self));
  self->started_at = unix_usec;
}

/**
 * reins_step_get_verdicts:
 *
 * Returns: (transfer none) (element-type ReinsVerdict): every verdict recorded on the step
 */
GPtrArray *
reins_step_get_verdicts (ReinsStep *self)
{
  g_return_val_if_fail (REINS_IS_STEP (self), NULL);
  return self->verdicts;
}

void
reins_step_add_verdict (ReinsStep    *self,
                        ReinsVerdict *verdict)
{
  g_return_if_fail (REINS_IS_STEP (self));
  g_return_if_fail (REINS_IS_VERDICT (verdict));
  g_ptr_array_add (self->verdicts, g_object_ref (verdict));
}

/**
 * reins_step_replace_verdict:
 * @index: a position in reins_step_get_verdicts()
 *
 * Puts @verdict in the place of the verdict at @index: the harness records a question it
 * deferred in favour of a correction as what it became.
 */
void
reins_step_replace_verdict (ReinsStep    *self,
                            guint         index,
                            ReinsVerdict *verdict)
{
  ReinsVerdict *old;

  g_return_if_fail (REINS_IS_STEP (self));
  g_return_if_fail (REINS_IS_VERDICT (verdict));
  g_return_if_fail (index < self->verdicts->len);

  old = g_ptr_array_index (self->verdicts, index);
  g_ptr_array_index (self->verdicts, index) = g_object_ref (verdict);
  g_object_unref (old);
}

ReinsVerdictKind
reins_step_get_worst_verdict (ReinsStep *self)
{
  ReinsVerdictKind worst = REINS_VERDICT_ALLOW;

  g_return_val_if_fail (REINS_IS_STEP (self), REINS_VERDICT_ALLOW);

  for (guint i = 0; i < self->verdicts->len; i++)
    worst = MAX (worst, reins_verdict_get_kind (g_ptr_array_index (self->verdicts, i)));
  return worst;
}

/**
 * reins_step_get_approvals:
 *
 * Returns: (transfer none) (element-type ReinsApprovalRecord): the confirmations asked on
 *   this step, in order
 */
GPtrArray *
reins_step_get_approvals (ReinsStep *self)
{
  g_return_val_if_fail (REINS_IS_STEP (self), NULL);
  return self->approvals;
}

void
reins_step_add_approval (ReinsStep           *self,
                         ReinsApprovalRecord *approval)
{
  g_return_if_fail (REINS_IS_STEP (self));
  g_return_if_fail (REINS_IS_APPROVAL_RECORD (approval));
  g_ptr_array_add (self->approvals, g_object_ref (approval));
}

/* Costs are reported to the micro-dollar; more digits are noise from float sums. */
static double
round_usd (double usd)
{
  return round (usd * 1e6) / 1e6;
}

/**
 * reins_step_get_critique:
 *
 * Returns: (nullable): what the critic said about this step, if it was asked
 */
const ReinsCritique *
reins_step_get_critique (ReinsStep *self)
{
  g_return_val_if_fail (REINS_IS_STEP (self), NULL);
  return self->critique;
}

/* Keeps a copy of @critique (or forgets the step's, with %NULL). */
void
reins_step_set_critique (ReinsStep           *self,
                         const ReinsCritique *critique)
{
  g_return_if_fail (REINS_IS_STEP (self));

  if (critique == self->critique)
    return;
  g_clear_pointer (&self->critique, reins_critique_free);
  if (critique != NULL)
    self->critique = reins_critique_copy (critique);
}

/**
 * reins_step_to_json:
 *
 * The `step` event of CONTRACTS §2; `show --json` uses the same object. Verdicts `allow`
 * are left out, approvals are added under "approvals".
 */
JsonNode *
reins_step_to_json (ReinsStep *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *started = NULL;

  g_return_val_if_fail (REINS_IS_STEP (self), NULL);

  started = reins_time_to_iso8601 (self->started_at);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, "step");
  reins_json_add_string_or_null (builder, "run_id", self->run_id);
  json_builder_set_member_name (builder, "step");
  json_builder_add_int_value (builder, self->index);
  reins_json_add_string_or_null (builder, "thought", self->thought);
  json_builder_set_member_name (builder, "action");
  if (self->action != NULL)
    json_builder_add_value (builder, reins_action_to_json (self->action));
  else
    json_builder_add_null_value (builder);
  reins_json_add_string_or_null (builder, "observation", self->observation);
  json_builder_set_member_name (builder, "tool_error");
  json_builder_add_boolean_value (builder, self->tool_error);
  json_builder_set_member_name (builder, "confidence");
  if (isnan (self->confidence))
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, round (self->confidence * 1e4) / 1e4);
  json_builder_set_member_name (builder, "confidence_source");
  if (isnan (self->confidence))
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder,
                                   reins_confidence_source_to_string (self->confidence_source));
  json_builder_set_member_name (builder, "input_tokens");
  json_builder_add_int_value (builder, (gint64) self->input_tokens);
  json_builder_set_member_name (builder, "output_tokens");
  json_builder_add_int_value (builder, (gint64) self->output_tokens);
  json_builder_set_member_name (builder, "cost_usd");
  json_builder_add_double_value (builder, round_usd (self->cost_usd));
  json_builder_set_member_name (builder, "cost_total_usd");
  json_builder_add_double_value (builder, round_usd (self->cost_total_usd));
  json_builder_set_member_name (builder, "duration_ms");
  json_builder_add_int_value (builder, self->duration_ms);
  reins_json_add_string_or_null (builder, "started_at", started);

  json_builder_set_member_name (builder, "harness");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->verdicts->len; i++)
    {
      ReinsVerdict *verdict = g_ptr_array_index (self->verdicts, i);

      if (reins_verdict_get_kind (verdict) != REINS_VERDICT_ALLOW)
        json_builder_add_value (builder, reins_verdict_to_json (verdict));
    }
  json_builder_end_array (builder);

  if (self->approvals->len > 0)
    {
      json_builder_set_member_name (builder, "approvals");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->approvals->len; i++)
        json_builder_add_value (builder,
                                reins_approval_record_to_json (g_ptr_array_index (self->approvals, i)));
      json_builder_end_array (builder);
    }

  /* Added to CONTRACTS §2: what the critic said, null when it was not asked. */
  json_builder_set_member_name (builder, "critic");
  if (self->critique != NULL)
    json_builder_add_value (builder, reins_critique_to_json (self->critique));
  else
    json_builder_add_null_value (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
read_array (JsonObject  *object,
            const char  *member,
            JsonArray  **array,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *array = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("The member “%s” should be a list"), member);
      return FALSE;
    }
  *array = json_node_get_array (node);
  return TRUE;
}

ReinsStep *
reins_step_new_from_json (JsonNode  *node,
                          GError   **error)
{
  JsonObject *object;
  JsonNode *action_node;
  JsonArray *harness;
  JsonArray *approvals;
  g_autoptr(ReinsStep) self = NULL;
  g_autofree char *started = NULL;
  g_autofree char *source = NULL;
  gint64 index = 0, in = 0, out = 0, duration = 0;
  double confidence = NAN, cost = 0, total = 0;
  gboolean has_confidence = FALSE;
  gboolean tool_error = FALSE;
  ReinsConfidenceSource csource = REINS_CONFIDENCE_SOURCE_DEFAULT;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("A step must be a JSON object"));
      return NULL;
    }

  object = json_node_get_object (node);
  self = g_object_new (REINS_TYPE_STEP, NULL);

  if (!reins_json_get_string (object, "run_id", &self->run_id, error) ||
      !reins_json_get_int (object, "step", &index, error) ||
      !reins_json_get_string (object, "thought", &self->thought, error) ||
      !reins_json_get_string (object, "observation", &self->observation, error) ||
      !reins_json_get_bool (object, "tool_error", &tool_error, error) ||
      !reins_json_get_double (object, "confidence", &confidence, &has_confidence, error) ||
      !reins_json_get_string (object, "confidence_source", &source, error) ||
      !reins_json_get_int (object, "input_tokens", &in, error) ||
      !reins_json_get_int (object, "output_tokens", &out, error) ||
      !reins_json_get_double (object, "cost_usd", &cost, NULL, error) ||
      !reins_json_get_double (object, "cost_total_usd", &total, NULL, error) ||
      !reins_json_get_int (object, "duration_ms", &duration, error) ||
      !reins_json_get_string (object, "started_at", &started, error) ||
      !read_array (object, "harness", &harness, error) ||
      !read_array (object, "approvals", &approvals, error))
    return NULL;

  if (index < 1 || index > G_MAXUINT)
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("A step needs a number from 1 up"));
      return NULL;
    }

  if (source != NULL && !reins_confidence_source_from_string (source, &csource))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("Unknown confidence source “%s”"), source);
      return NULL;
    }

  if (in < 0 || out < 0)
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("Token counts cannot be negative"));
      return NULL;
    }

  {
    JsonNode *critic = json_object_get_member (object, "critic");

    if (critic != NULL && !JSON_NODE_HOLDS_NULL (critic))
      {
        self->critique = reins_critique_new_from_json (critic, error);
        if (self->critique == NULL)
          return NULL;
      }
  }

  action_node = json_object_get_member (object, "action");
  if (action_node != NULL && !JSON_NODE_HOLDS_NULL (action_node))
    {
      self->action = reins_action_new_from_json (action_node, error);
      if (self->action == NULL)
        return NULL;
    }

  self->index = (guint) index;
  self->tool_error = !!tool_error;
  self->confidence = has_confidence ? CLAMP (confidence, 0.0, 1.0) : NAN;
  self->confidence_source = csource;
  self->input_tokens = (guint64) in;
  self->output_tokens = (guint64) out;
  self->cost_usd = cost;
  self->cost_total_usd = total;
  self->duration_ms = duration;
  self->started_at = reins_time_from_iso8601 (started);

  for (guint i = 0; harness != NULL && i < json_array_get_length (harness); i++)
    {
      ReinsVerdict *verdict = reins_verdict_new_from_json (json_array_get_element (harness, i),
                                                           error);
      if (verdict == NULL)
        return NULL;
      g_ptr_array_add (self->verdicts, verdict);
    }

  for (guint i = 0; approvals != NULL && i < json_array_get_length (approvals); i++)
    {
      ReinsApprovalRecord *record =
        reins_approval_record_new_from_json (json_array_get_element (approvals, i), error);
      if (record == NULL)
        return NULL;
      g_ptr_array_add (self->approvals, record);
    }

  return g_steal_pointer (&self);
}
