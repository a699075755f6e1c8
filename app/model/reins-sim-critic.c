/* reins-sim-critic.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulator as a critic: it reads the critic's prompt (reins_prompt_critic) as a model
 * would — the task, each step's action and result, the proposed answer — and judges from
 * that evidence only, never from the knowledge base's hidden values. Its judgement is
 * wrong at the rate 1 − critic accuracy: then it rejects a good answer or waves a bad one
 * through.
 */

#include "config.h"

#include <string.h>

#include "reins-provider-sim-private.h"

typedef struct
{
  guint  index;
  char  *action;   /* "kb_lookup {"key":"…"}" */
  char  *result;
} CriticStep;

static void
critic_step_free (CriticStep *step)
{
  g_free (step->action);
  g_free (step->result);
  g_free (step);
}

/* The steps of the prompt, and the "Latest step" block as one more. */
static GPtrArray *
critic_read_steps (const char *prompt)
{
  GPtrArray *steps = g_ptr_array_new_with_free_func ((GDestroyNotify) critic_step_free);
  g_auto(GStrv) lines = g_strsplit (prompt, "\n", -1);
  CriticStep *current = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *number = NULL;
      guint64 index;
      char *end;

      if (g_str_has_prefix (line, "Latest step (step "))
        number = line + strlen ("Latest step (step ");
      else if (g_str_has_prefix (line, "Step "))
        number = line + strlen ("Step ");
      if (number != NULL)
        {
          index = g_ascii_strtoull (number, &end, 10);
          if (end != number && (*end == ':' || *end == ')'))
            {
              current = g_new0 (CriticStep, 1);
              current->index = (guint) index;
              end += *end == ')' ? 2 : 1;
              current->action = g_strdup (g_strstrip (end));
              g_ptr_array_add (steps, current);
              continue;
            }
        }
      if (current != NULL && g_str_has_prefix (line, "Result: "))
        {
          current->result = g_strdup (line + strlen ("Result: "));
          current = NULL;
        }
    }
  return steps;
}

static char *
critic_answer (const char *prompt)
{
  const char *p = strstr (prompt, "\nProposed final answer (step ");
  const char *end;

  if (p == NULL || (p = strstr (p + 1, "):\n")) == NULL)
    return NULL;
  p += 3;
  end = strstr (p, "\n\nQuestion:");
  return g_strstrip (g_strndup (p, end != NULL ? (gsize) (end - p) : strlen (p)));
}

/* Whether @lower_answer states something @lower_result gives: the whole result within the
 * answer or the answer within it, or one of the result's JSON string values (not member
 * names) within the answer — "The value is amber-7." states {"value": "amber-7"}. */
static gboolean
answer_states (const char *lower_answer,
               const char *lower_result)
{
  if (strstr (lower_result, lower_answer) != NULL)
    return TRUE;

  for (const char *p = strchr (lower_result, '"'); p != NULL;)
    {
      const char *end = strchr (p + 1, '"');
      const char *after;

      if (end == NULL)
        break;
      after = end + 1;
      while (*after == ' ')
        after++;
      if (*after != ':' && end - p - 1 >= 3)
        {
          g_autofree char *value = g_strndup (p + 1, end - p - 1);

          if (strstr (lower_answer, value) != NULL)
            return TRUE;
        }
      p = strchr (end + 1, '"');
    }
  return FALSE;
}

static gboolean
result_is_pointer (const char *result)
{
  return result != NULL && strstr (result, "\"next\"") != NULL;
}

static gboolean
result_is_failure (const char *result)
{
  return result == NULL || g_str_has_prefix (result, "(not run)") ||
         g_str_has_suffix (result, "[error]") || strstr (result, "\"error\"") != NULL;
}

/* Whether a step's action stays on the task's chain (any action, for other tasks). */
static gboolean
on_task (const CriticStep *step,
         const char       *chain_prefix)
{
  return chain_prefix == NULL || strstr (step->action, chain_prefix) != NULL;
}

ReinsChatResponse *
reins_sim_critic (ReinsProviderSim  *self,
                  ReinsChatRequest  *request,
                  GCancellable      *cancellable,
                  GError           **error)
{
  g_autoptr(ReinsChatResponse) response = reins_chat_response_new ();
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) raw_request = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *lower_answer = NULL;
  g_autofree char *chain_prefix = NULL;
  g_autofree char *reason = NULL;
  const ReinsChatMessage *message = NULL;
  const char *prompt;
  gboolean supported = FALSE, done = FALSE, erred;
  CriticStep *found = NULL;
  guint evidence = 0;
  guint32 seed_array[4];
  gsize chars = 0;

  for (guint i = 0; i < request->messages->len; i++)
    {
      const ReinsChatMessage *m = g_ptr_array_index (request->messages, i);

      chars += m->content != NULL ? strlen (m->content) : 0;
      if (m->role == REINS_CHAT_ROLE_USER)
        message = m;
    }
  prompt = message != NULL && message->content != NULL ? message->content : "";

  {
    g_autofree char *task = g_strndup (prompt, strcspn (prompt, "\n"));
    guint seed, length;

    if (reins_kb_parse_task (task, &seed, &length))
      chain_prefix = g_strdup_printf ("chain-%u-%u/", seed, length);
  }

  steps = critic_read_steps (prompt);
  answer = critic_answer (prompt);

  if (answer != NULL)
    {
      /* A proposed answer: which result states it, and is that the end of the chain? */
      lower_answer = g_utf8_strdown (answer, -1);
      for (guint i = steps->len; i > 0 && *lower_answer != '\0'; i--)
        {
          CriticStep *step = g_ptr_array_index (steps, i - 1);
          g_autofree char *lower = g_utf8_strdown (step->result != NULL ? step->result : "", -1);

          if (!result_is_failure (step->result) && answer_states (lower_answer, lower))
            {
              found = step;
              evidence = step->index;
              supported = TRUE;
              done = !result_is_pointer (step->result) && on_task (step, chain_prefix);
              break;
            }
        }
      if (!supported)
        reason = g_strdup_printf ("No tool result states “%s”.", answer);
      else if (!done && !on_task (found, chain_prefix))
        reason = g_strdup_printf ("Step %u states it, but that lookup left the task's chain.",
                                  evidence);
      else if (!done)
        reason = g_strdup_printf ("Step %u gives it only as a pointer to follow, not as the "
                                  "value at the end.", evidence);
      else
        reason = g_strdup_printf ("Step %u returns this value at the end of the task's chain.",
                                  evidence);
    }
  else if (steps->len > 0)
    {
      /* One step after its observation: a sound result on the task's chain? */
      CriticStep *last = g_ptr_array_index (steps, steps->len - 1);

      evidence = last->index;
      supported = !result_is_failure (last->result) && on_task (last, chain_prefix);
      done = supported && !result_is_pointer (last->result);
      reason = g_strdup (supported ? "The lookup stays on the task and returned a result."
                                   : "The step failed or left the task; its result is no "
                                     "ground to build on.");
    }
  else
    reason = g_strdup ("There is nothing to judge.");

  /* The judgement's own mistakes, drawn from the seed and the prompt only. */
  seed_array[0] = (guint32) (self->seed & 0xffffffff);
  seed_array[1] = (guint32) (self->seed >> 32);
  seed_array[2] = g_str_hash (prompt);
  seed_array[3] = 0xc217c;
  rand = g_rand_new_with_seed_array (seed_array, G_N_ELEMENTS (seed_array));
  erred = g_rand_double (rand) >= self->critic_accuracy;
  if (erred && supported && done)
    {
      supported = answer == NULL;
      done = FALSE;
      g_free (reason);
      reason = g_strdup ("I am not convinced the results bear this out.");
    }
  else if (erred)
    {
      supported = TRUE;
      done = TRUE;
      if (evidence == 0)
        evidence = steps->len > 0 ? ((CriticStep *) g_ptr_array_index (steps, steps->len - 1))->index : 0;
      g_free (reason);
      reason = g_strdup ("The results look consistent with this.");
    }
  if (supported && evidence == 0)
    supported = FALSE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "supported");
  json_builder_add_boolean_value (builder, supported);
  json_builder_set_member_name (builder, "done");
  json_builder_add_boolean_value (builder, done);
  json_builder_set_member_name (builder, "evidence_step");
  if (evidence > 0)
    json_builder_add_int_value (builder, evidence);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  g_free (response->text);
  response->text = json_to_string (root, FALSE);
  response->finish_reason = g_strdup ("stop");
  response->input_tokens = reins_chat_estimate_tokens (chars);
  response->output_tokens = reins_chat_estimate_tokens (strlen (response->text));
  response->usage_reported = TRUE;
  raw_request = reins_chat_request_to_json (request);
  response->raw_request = json_to_string (raw_request, FALSE);
  {
    g_autoptr(JsonNode) text_node = json_node_init_string (json_node_alloc (), response->text);
    g_autofree char *quoted = json_to_string (text_node, FALSE);

    response->raw_response = g_strdup_printf ("{\"text\":%s,\"sim\":{\"critic\":true,"
                                              "\"erred\":%s}}", quoted,
                                              erred ? "true" : "false");
  }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return g_steal_pointer (&response);
}
