/* reins-guard-critic.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The critic: the Reflexion layer as a guard. Before a `finish` is accepted ("critic":
 * "finish" or "every"), a model judges whether the tool results support the answer and
 * whether the task is done; with "every" it also judges each step after its observation.
 * The guard owns no provider: the loop makes the call through the context's `critic`
 * callback, and a replay hands back the reply stored on the step, so the guard itself stays
 * deterministic — it parses the reply strictly and derives its escalation from the stored
 * steps. A failed call, a timeout or a reply that is not the fixed JSON shape leaves the
 * deterministic guards to decide: the verdict is allow, and its reason says why.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <inttypes.h>

#include "reins-guard-critic.h"

#define MAX_REASON 600

struct _ReinsGuardCritic
{
  GObject parent_instance;
};

static void guard_iface_init (ReinsGuardInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReinsGuardCritic, reins_guard_critic, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (REINS_TYPE_GUARD, guard_iface_init))

static const char *
reins_guard_critic_get_name (ReinsGuard *guard)
{
  return "critic";
}

static gboolean
bad_reply (GError     **error,
           const char  *what)
{
  g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA, what);
  return FALSE;
}

/**
 * reins_guard_critic_parse:
 * @reply: the critic's raw reply
 * @last_step: the highest step number the critic may name
 * @critique: where the judgement goes (its call is left alone)
 *
 * Reads {"supported": bool, "done": bool, "evidence_step": N|null, "reason": "…"}, alone
 * or in one code fence, and nothing else: a supported answer must name the step it relies
 * on, and that step must exist.
 *
 * Returns: whether @reply had that shape
 */
gboolean
reins_guard_critic_parse (const char     *reply,
                          guint           last_step,
                          ReinsCritique  *critique,
                          GError        **error)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) json_error = NULL;
  JsonObject *object;
  JsonNode *node;
  const char *reason;
  gint64 evidence = 0;
  char *body;

  g_return_val_if_fail (critique != NULL, FALSE);

  reins_critique_clear_judgement (critique);
  if (reply == NULL)
    return bad_reply (error, _("the critic gave no reply"));

  text = g_strstrip (g_strdup (reply));
  body = text;
  /* One code fence around the object is how many models write JSON. */
  if (g_str_has_prefix (body, "```"))
    {
      char *end = g_strrstr (body + 3, "```");

      if (end == NULL || end[3] != '\0')
        return bad_reply (error, _("the critic’s reply has an unclosed code fence"));
      *end = '\0';
      body += 3;
      if (g_str_has_prefix (body, "json"))
        body += 4;
      g_strstrip (body);
    }
  if (*body != '{')
    return bad_reply (error, _("the critic’s reply is not a JSON object"));

  if (!json_parser_load_from_data (parser, body, -1, &json_error))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("the critic’s reply is not valid JSON: %s"), json_error->message);
      return FALSE;
    }
  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return bad_reply (error, _("the critic’s reply is not a JSON object"));
  object = json_node_get_object (node);

  node = json_object_get_member (object, "supported");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return bad_reply (error, _("the critic’s reply needs “supported”: true or false"));
  critique->supported = json_node_get_boolean (node);

  node = json_object_get_member (object, "done");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return bad_reply (error, _("the critic’s reply needs “done”: true or false"));
  critique->done = json_node_get_boolean (node);

  node = json_object_get_member (object, "evidence_step");
  if (node == NULL)
    return bad_reply (error, _("the critic’s reply needs “evidence_step”: a step or null"));
  if (!JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
        return bad_reply (error, _("the critic’s “evidence_step” is not a step number"));
      evidence = json_node_get_int (node);
      if (evidence < 1 || evidence > last_step)
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                       _("the critic named step %" PRId64 ", which is not one of "
                         "steps 1–%u"), evidence, last_step);
          return FALSE;
        }
    }

  node = json_object_get_member (object, "reason");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return bad_reply (error, _("the critic’s reply needs a “reason”"));
  reason = json_node_get_string (node);
  while (g_ascii_isspace (*reason))
    reason++;
  if (*reason == '\0')
    return bad_reply (error, _("the critic’s reason is empty"));

  if (critique->supported && evidence == 0)
    return bad_reply (error, _("the critic called the answer supported without naming a step"));

  critique->evidence_step = (guint) evidence;
  if (g_utf8_strlen (reason, -1) > MAX_REASON)
    {
      g_autofree char *cut = g_utf8_substring (reason, 0, MAX_REASON);

      critique->reason = g_strconcat (cut, "…", NULL);
    }
  else
    critique->reason = g_strdup (reason);
  g_strstrip (critique->reason);

  if (critique->supported && critique->done)
    critique->verdict = REINS_CRITIC_VERDICT_SUPPORTED;
  else if (!critique->supported)
    critique->verdict = REINS_CRITIC_VERDICT_NOT_SUPPORTED;
  else
    critique->verdict = REINS_CRITIC_VERDICT_NOT_DONE;
  return TRUE;
}

/* Whether another guard already objects to this step at @phase: the critic's call would be
 * spent on an action that does not go ahead as it is. */
static gboolean
others_object (ReinsStep         *step,
               ReinsVerdictPhase  phase)
{
  GPtrArray *verdicts = reins_step_get_verdicts (step);

  for (guint i = 0; i < verdicts->len; i++)
    {
      ReinsVerdict *v = g_ptr_array_index (verdicts, i);

      if (reins_verdict_get_phase (v) == phase &&
          reins_verdict_get_kind (v) >= REINS_VERDICT_CORRECT &&
          g_strcmp0 (reins_verdict_get_guard (v), "critic") != 0)
        return TRUE;
    }
  return FALSE;
}

/* How many earlier answers the critic already sent back (its step notes not counted). */
static guint
answers_sent_back (GPtrArray *history)
{
  guint count = 0;

  for (guint i = 0; history != NULL && i < history->len; i++)
    {
      GPtrArray *verdicts = reins_step_get_verdicts (g_ptr_array_index (history, i));

      for (guint j = 0; j < verdicts->len; j++)
        {
          ReinsVerdict *v = g_ptr_array_index (verdicts, j);

          if (g_strcmp0 (reins_verdict_get_guard (v), "critic") == 0 &&
              reins_verdict_get_phase (v) == REINS_VERDICT_PHASE_BEFORE_ACTION &&
              reins_verdict_get_kind (v) >= REINS_VERDICT_CORRECT)
            {
              count++;
              break;
            }
        }
    }
  return count;
}

/* Asks the critic (through the loop) and reads its reply into a critique kept on @step. */
static ReinsCritique *
critique_step (ReinsGuardContext *context,
               ReinsStep         *step,
               ReinsVerdictPhase  phase)
{
  g_autoptr(ReinsCritique) critique = NULL;
  g_autoptr(GError) error = NULL;

  if (context->critic != NULL)
    critique = context->critic (context, step, phase, context->critic_data);
  if (critique == NULL)
    {
      critique = reins_critique_new (phase);
      critique->error = g_strdup (_("no critic can be called here"));
    }

  critique->phase = phase;
  if (critique->reply != NULL &&
      !reins_guard_critic_parse (critique->reply, reins_step_get_index (step) - 1 +
                                                  (phase == REINS_VERDICT_PHASE_AFTER_OBSERVATION),
                                 critique, &error))
    {
      g_free (critique->error);
      critique->error = g_strdup (error->message);
    }
  else if (critique->reply == NULL)
    {
      reins_critique_clear_judgement (critique);
      if (critique->error == NULL)
        critique->error = g_strdup (_("the critic gave no reply"));
    }

  reins_step_set_critique (step, critique);
  return g_steal_pointer (&critique);
}

static ReinsVerdict *
verdict_with_step (ReinsVerdictKind     kind,
                   const ReinsCritique *critique,
                   const char          *reason)
{
  if (critique->evidence_step > 0)
    return reins_verdict_new_with_steps ("critic", kind, reason, &critique->evidence_step, 1);
  return reins_verdict_new ("critic", kind, reason);
}

static ReinsVerdict *
unavailable (const ReinsCritique *critique)
{
  g_autofree char *reason =
    g_strdup_printf (_("The critic was unavailable (%s); the deterministic checks decide."),
                     critique->error);

  return reins_verdict_new ("critic", REINS_VERDICT_ALLOW, reason);
}

static ReinsVerdict *
reins_guard_critic_before_action (ReinsGuard        *guard,
                                  ReinsGuardContext *context,
                                  ReinsStep         *step)
{
  const char *mode = reins_settings_get_string (context->settings, "critic", "off");
  ReinsAction *action = reins_step_get_action (step);
  g_autoptr(ReinsCritique) critique = NULL;
  g_autofree char *reason = NULL;
  const char *answer;

  if (!g_str_equal (mode, "finish") && !g_str_equal (mode, "every"))
    return NULL;
  if (action == NULL || !g_str_equal (reins_action_get_name (action), "finish"))
    return NULL;
  answer = reins_action_get_string_argument (action, "answer");
  /* An honest "could not find out" needs no evidence; another guard's objection comes
   * first, and the call would be wasted on it. */
  if (answer == NULL || reins_text_admits_failure (answer) ||
      others_object (step, REINS_VERDICT_PHASE_BEFORE_ACTION))
    return NULL;

  critique = critique_step (context, step, REINS_VERDICT_PHASE_BEFORE_ACTION);

  switch (critique->verdict)
    {
    case REINS_CRITIC_VERDICT_UNAVAILABLE:
      return unavailable (critique);

    case REINS_CRITIC_VERDICT_SUPPORTED:
      reason = g_strdup_printf (_("Critic: supported by step %u — %s"), critique->evidence_step,
                                critique->reason);
      return verdict_with_step (REINS_VERDICT_ALLOW, critique, reason);

    case REINS_CRITIC_VERDICT_NOT_SUPPORTED:
    case REINS_CRITIC_VERDICT_NOT_DONE:
    default:
      break;
    }

  if (answers_sent_back (context->history) == 0)
    {
      if (critique->verdict == REINS_CRITIC_VERDICT_NOT_SUPPORTED)
        reason = g_strdup_printf (_("A critic found your answer not supported by the evidence: "
                                    "%s Show the step whose tool result states it — look it "
                                    "up — or keep working until you have it."),
                                  critique->reason);
      else
        reason = g_strdup_printf (_("A critic found the task not done yet: %s Keep working "
                                    "until you have the final result, then finish."),
                                  critique->reason);
      return verdict_with_step (REINS_VERDICT_CORRECT, critique, reason);
    }

  if (critique->verdict == REINS_CRITIC_VERDICT_NOT_SUPPORTED)
    reason = g_strdup_printf (_("A critic finds the answer not supported by the evidence, "
                                "although the agent was asked to show it: %s Check the answer "
                                "before you approve it."), critique->reason);
  else
    reason = g_strdup_printf (_("A critic finds the task not done, although the agent was "
                                "asked to keep working: %s Check the answer before you "
                                "approve it."), critique->reason);
  return verdict_with_step (REINS_VERDICT_ASK, critique, reason);
}

static ReinsVerdict *
reins_guard_critic_after_observation (ReinsGuard        *guard,
                                      ReinsGuardContext *context,
                                      ReinsStep         *step)
{
  const char *mode = reins_settings_get_string (context->settings, "critic", "off");
  ReinsAction *action = reins_step_get_action (step);
  g_autoptr(ReinsCritique) critique = NULL;
  g_autofree char *reason = NULL;

  if (!g_str_equal (mode, "every"))
    return NULL;
  /* A finish was judged before it ran; an action that did not run has nothing to judge. */
  if (action == NULL || g_str_equal (reins_action_get_name (action), "finish") ||
      !reins_step_action_ran (step) || reins_step_get_critique (step) != NULL ||
      others_object (step, REINS_VERDICT_PHASE_AFTER_OBSERVATION))
    return NULL;

  critique = critique_step (context, step, REINS_VERDICT_PHASE_AFTER_OBSERVATION);
  if (critique->verdict == REINS_CRITIC_VERDICT_UNAVAILABLE)
    return unavailable (critique);
  if (critique->supported)
    {
      reason = g_strdup_printf (_("Critic: step %u is sound — %s"), reins_step_get_index (step),
                                critique->reason);
      return verdict_with_step (REINS_VERDICT_ALLOW, critique, reason);
    }

  /* A note for the next call, never a question: asking a person about every doubtful
   * step would cost more than it saves. */
  reason = g_strdup_printf (_("A critic doubts step %u: %s Check it instead of building on "
                              "it."), reins_step_get_index (step), critique->reason);
  return verdict_with_step (REINS_VERDICT_CORRECT, critique, reason);
}

static void
guard_iface_init (ReinsGuardInterface *iface)
{
  iface->get_name = reins_guard_critic_get_name;
  iface->before_action = reins_guard_critic_before_action;
  iface->after_observation = reins_guard_critic_after_observation;
}

static void
reins_guard_critic_class_init (ReinsGuardCriticClass *klass)
{
}

static void
reins_guard_critic_init (ReinsGuardCritic *self)
{
}

ReinsGuard *
reins_guard_critic_new (void)
{
  return g_object_new (REINS_TYPE_GUARD_CRITIC, NULL);
}
