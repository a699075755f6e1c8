/* reins-critique.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "reins-critique.h"
#include "reins-error.h"
#include "reins-json-util.h"

G_DEFINE_BOXED_TYPE (ReinsCritique, reins_critique, reins_critique_copy, reins_critique_free)

static const char * const verdict_names[] = {
  [REINS_CRITIC_VERDICT_UNAVAILABLE] = "unavailable",
  [REINS_CRITIC_VERDICT_SUPPORTED] = "supported",
  [REINS_CRITIC_VERDICT_NOT_SUPPORTED] = "not_supported",
  [REINS_CRITIC_VERDICT_NOT_DONE] = "not_done",
};

const char *
reins_critic_verdict_to_string (ReinsCriticVerdict verdict)
{
  g_return_val_if_fail (verdict < G_N_ELEMENTS (verdict_names), NULL);
  return verdict_names[verdict];
}

gboolean
reins_critic_verdict_from_string (const char         *str,
                                  ReinsCriticVerdict *verdict)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (verdict_names); i++)
    if (g_str_equal (str, verdict_names[i]))
      {
        *verdict = i;
        return TRUE;
      }
  return FALSE;
}

ReinsCritique *
reins_critique_new (ReinsVerdictPhase phase)
{
  ReinsCritique *self = g_new0 (ReinsCritique, 1);

  self->phase = phase;
  return self;
}

ReinsCritique *
reins_critique_copy (const ReinsCritique *self)
{
  ReinsCritique *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->reply = g_strdup (self->reply);
  copy->error = g_strdup (self->error);
  copy->model = g_strdup (self->model);
  copy->reason = g_strdup (self->reason);
  return copy;
}

void
reins_critique_free (ReinsCritique *self)
{
  if (self == NULL)
    return;
  g_free (self->reply);
  g_free (self->error);
  g_free (self->model);
  g_free (self->reason);
  g_free (self);
}

/* Keeps the call, forgets what was read from it: a replay judges the reply again. */
void
reins_critique_clear_judgement (ReinsCritique *self)
{
  g_return_if_fail (self != NULL);

  self->verdict = REINS_CRITIC_VERDICT_UNAVAILABLE;
  self->supported = FALSE;
  self->done = FALSE;
  self->evidence_step = 0;
  g_clear_pointer (&self->reason, g_free);
}

/**
 * reins_critique_describe:
 *
 * Returns: one line for a person: "Critic: supported by step 7", "Critic: not supported —
 *   …", "Critic: not done — …" or "Critic unavailable — …"
 */
char *
reins_critique_describe (const ReinsCritique *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  switch (self->verdict)
    {
    case REINS_CRITIC_VERDICT_SUPPORTED:
      if (self->phase == REINS_VERDICT_PHASE_AFTER_OBSERVATION)
        return g_strdup_printf (_("Critic: sound — %s"), self->reason);
      return g_strdup_printf (_("Critic: supported by step %u"), self->evidence_step);

    case REINS_CRITIC_VERDICT_NOT_SUPPORTED:
      return g_strdup_printf (_("Critic: not supported — %s"), self->reason);

    case REINS_CRITIC_VERDICT_NOT_DONE:
      if (self->phase == REINS_VERDICT_PHASE_AFTER_OBSERVATION)
        return g_strdup_printf (_("Critic: sound — %s"), self->reason);
      return g_strdup_printf (_("Critic: not done — %s"), self->reason);

    case REINS_CRITIC_VERDICT_UNAVAILABLE:
    default:
      return g_strdup_printf (_("Critic unavailable — %s; the deterministic checks decided"),
                              self->error != NULL ? self->error : _("no reply"));
    }
}

/**
 * reins_critique_to_json:
 *
 * The "critic" member of a step (CONTRACTS §2, added).
 */
JsonNode *
reins_critique_to_json (const ReinsCritique *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean judged;

  g_return_val_if_fail (self != NULL, NULL);

  judged = self->verdict != REINS_CRITIC_VERDICT_UNAVAILABLE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "phase");
  json_builder_add_string_value (builder, reins_verdict_phase_to_string (self->phase));
  json_builder_set_member_name (builder, "verdict");
  json_builder_add_string_value (builder, reins_critic_verdict_to_string (self->verdict));
  json_builder_set_member_name (builder, "supported");
  if (judged)
    json_builder_add_boolean_value (builder, self->supported);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "done");
  if (judged)
    json_builder_add_boolean_value (builder, self->done);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "evidence_step");
  if (self->evidence_step > 0)
    json_builder_add_int_value (builder, self->evidence_step);
  else
    json_builder_add_null_value (builder);
  reins_json_add_string_or_null (builder, "reason", self->reason);
  reins_json_add_string_or_null (builder, "reply", self->reply);
  reins_json_add_string_or_null (builder, "error", self->error);
  reins_json_add_string_or_null (builder, "model", self->model);
  json_builder_set_member_name (builder, "input_tokens");
  json_builder_add_int_value (builder, (gint64) MIN (self->input_tokens, G_MAXINT64));
  json_builder_set_member_name (builder, "output_tokens");
  json_builder_add_int_value (builder, (gint64) MIN (self->output_tokens, G_MAXINT64));
  json_builder_set_member_name (builder, "cost_usd");
  json_builder_add_double_value (builder, round (self->cost_usd * 1e6) / 1e6);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

ReinsCritique *
reins_critique_new_from_json (JsonNode  *node,
                              GError   **error)
{
  g_autoptr(ReinsCritique) self = NULL;
  g_autofree char *phase = NULL;
  g_autofree char *verdict = NULL;
  JsonObject *object;
  gint64 evidence = 0, in = 0, out = 0;
  gboolean supported = FALSE, done = FALSE;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("A critique must be a JSON object"));
      return NULL;
    }
  object = json_node_get_object (node);
  self = reins_critique_new (REINS_VERDICT_PHASE_BEFORE_ACTION);

  if (!reins_json_get_string (object, "phase", &phase, error) ||
      !reins_json_get_string (object, "verdict", &verdict, error) ||
      !reins_json_get_bool (object, "supported", &supported, error) ||
      !reins_json_get_bool (object, "done", &done, error) ||
      !reins_json_get_int (object, "evidence_step", &evidence, error) ||
      !reins_json_get_string (object, "reason", &self->reason, error) ||
      !reins_json_get_string (object, "reply", &self->reply, error) ||
      !reins_json_get_string (object, "error", &self->error, error) ||
      !reins_json_get_string (object, "model", &self->model, error) ||
      !reins_json_get_int (object, "input_tokens", &in, error) ||
      !reins_json_get_int (object, "output_tokens", &out, error) ||
      !reins_json_get_double (object, "cost_usd", &self->cost_usd, NULL, error))
    return NULL;

  if ((phase != NULL && !reins_verdict_phase_from_string (phase, &self->phase)) ||
      (verdict != NULL && !reins_critic_verdict_from_string (verdict, &self->verdict)))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("Unknown critic phase or verdict “%s”"), verdict != NULL ? verdict : phase);
      return NULL;
    }
  if (evidence < 0 || evidence > G_MAXUINT || in < 0 || out < 0)
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("A critique’s step and token counts cannot be negative"));
      return NULL;
    }

  self->supported = !!supported;
  self->done = !!done;
  self->evidence_step = (guint) evidence;
  self->input_tokens = (guint64) in;
  self->output_tokens = (guint64) out;
  return g_steal_pointer (&self);
}
