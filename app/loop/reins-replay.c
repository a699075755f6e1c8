/* reins-replay.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each stored step is rebuilt phase by phase as the loop built it — before the model (no
 * action yet, the run's cost and tokens as they were, the prompt rebuilt to project the
 * call), before the action (the action as the model proposed it, known and risky as the
 * run's tools say), after the observation — and a fresh harness judges it with the steps
 * replayed so far as its history. Guards derive their escalation from that history, so the
 * same settings give the same verdicts, and other settings show what would have happened.
 *
 * What a replay cannot know: what the model would have done after a different verdict (the
 * stored steps are judged as they are), and tools of MCP servers beyond their names (they
 * count as known, of risk exec; the prompt projection leaves their descriptions out), nor
 * the tools of an imported trace (known, of risk read: a tool policy decides about them).
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "reins-harness.h"
#include "reins-prompt.h"
#include "reins-replay.h"
#include "reins-run-settings.h"
#include "reins-run-setup.h"
#include "reins-step-pipeline.h"
#include "reins-tool-registry.h"

void
reins_replay_step_free (ReinsReplayStep *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->step);
  g_clear_pointer (&self->stored_verdicts, g_ptr_array_unref);
  g_clear_object (&self->stored_worst);
  g_clear_object (&self->replayed_worst);
  g_free (self);
}

/**
 * reins_replay_settings_merge:
 *
 * Returns: (transfer full): a deep copy of @base with the members of @overrides set over it
 *   (reins_run_setup_merge_settings())
 */
JsonObject *
reins_replay_settings_merge (JsonObject *base,
                             JsonObject *overrides)
{
  return reins_run_setup_merge_settings (base, overrides);
}

static ReinsVerdict *
worst_of (GPtrArray *verdicts)
{
  ReinsVerdict *worst = NULL;

  for (guint i = 0; i < verdicts->len; i++)
    {
      ReinsVerdict *v = g_ptr_array_index (verdicts, i);

      if (reins_verdict_get_kind (v) == REINS_VERDICT_ALLOW)
        continue;
      if (worst == NULL || reins_verdict_get_kind (v) > reins_verdict_get_kind (worst))
        worst = v;
    }
  return worst != NULL ? g_object_ref (worst) : NULL;
}

static gboolean
same_worst (ReinsVerdict *a,
            ReinsVerdict *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return reins_verdict_get_kind (a) == reins_verdict_get_kind (b) &&
         g_strcmp0 (reins_verdict_get_guard (a), reins_verdict_get_guard (b)) == 0;
}

/* The run's built-in tools, as the live run had them; its MCP servers are not started. */
static ReinsToolRegistry *
registry_for (JsonObject *settings)
{
  g_autofree char *list = reins_run_setup_tool_list (settings, TRUE);
  ReinsToolRegistry *registry;

  registry = reins_tool_registry_new_builtin (list, NULL);
  if (registry == NULL)
    registry = reins_tool_registry_new_builtin (REINS_DEFAULT_TOOLS, NULL);
  return registry;
}

static void
describe (ReinsToolRegistry  *registry,
          ReinsAction        *action,
          ReinsGuardContext  *context,
          char              **validation_error)
{
  const char *name = reins_action_get_name (action);
  ReinsTool *tool = reins_tool_registry_lookup (registry, name);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (validation_error, g_free);
  if (tool == NULL && strstr (name, "__") != NULL)
    {
      /* An MCP server's tool (NAME__TOOL): known, and it may do anything. */
      context->action_known = TRUE;
      context->action_risk = REINS_RISK_EXEC;
    }
  else if (tool == NULL && g_strcmp0 (reins_run_get_provider (context->run), "imported") == 0)
    {
      /* A tool of an imported trace: it ran, so it is known; what it may change is not, so
       * it counts as reading unless the tool policy says otherwise (app/import/). */
      context->action_known = TRUE;
      context->action_risk = REINS_RISK_READ;
    }
  else
    {
      context->action_known = tool != NULL;
      context->action_risk = tool != NULL ? reins_tool_get_risk (tool) : REINS_RISK_READ;
      if (tool != NULL && !reins_tool_registry_validate (registry, action, &error))
        *validation_error = g_strdup (error->message);
    }
  context->action_error = *validation_error;
}

/* The action the model proposed: an edit by a person replaced it after the guards judged. */
static ReinsAction *
proposed_action (ReinsStep *stored)
{
  GPtrArray *approvals = reins_step_get_approvals (stored);

  for (guint i = 0; i < approvals->len; i++)
    {
      ReinsApprovalRecord *record = g_ptr_array_index (approvals, i);

      if (reins_approval_record_get_decision (record) == REINS_DECISION_EDIT &&
          reins_approval_record_get_action (record) != NULL)
        return reins_approval_record_get_action (record);
    }
  return reins_step_get_action (stored);
}

/* Whether the live loop judged the step after its observation: it did unless the step ended
 * the run before (a stop before the model or the action, a person's stop). */
static gboolean
reached_observation (ReinsStep *stored)
{
  ReinsAction *action = reins_step_get_action (stored);
  GPtrArray *approvals = reins_step_get_approvals (stored);

  if (reins_step_get_observation (stored) != NULL)
    return TRUE;
  if (action == NULL || !g_str_equal (reins_action_get_name (action), "finish"))
    return FALSE;
  for (guint i = 0; i < approvals->len; i++)
    {
      ReinsDecision decision =
        reins_approval_record_get_decision (g_ptr_array_index (approvals, i));

      if (decision == REINS_DECISION_STOP || decision == REINS_DECISION_NONE)
        return FALSE;
    }
  {
    GPtrArray *verdicts = reins_step_get_verdicts (stored);

    for (guint i = 0; i < verdicts->len; i++)
      if (reins_verdict_get_kind (g_ptr_array_index (verdicts, i)) == REINS_VERDICT_TERMINATE &&
          reins_verdict_get_phase (g_ptr_array_index (verdicts, i)) != REINS_VERDICT_PHASE_AFTER_OBSERVATION)
        return FALSE;
  }
  return TRUE;
}

/* "Always allow" answers are stored in the run's settings at the end; in the replay a tool
 * joins the list after the step where the person allowed it, as it did live. */
static void
split_always_allow (JsonObject *settings,
                    GPtrArray  *steps,
                    GHashTable *later)
{
  JsonNode *node = json_object_get_member (settings, "always_allow");
  JsonArray *kept;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;

  kept = json_array_new ();
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      const char *tool = json_array_get_string_element (json_node_get_array (node), i);
      guint allowed_at = 0;

      if (tool == NULL)
        continue;
      /* The last step where the policy asked about it and a person said yes. */
      for (guint s = 0; s < steps->len; s++)
        {
          ReinsStep *step = g_ptr_array_index (steps, s);
          GPtrArray *approvals = reins_step_get_approvals (step);

          for (guint a = 0; a < approvals->len; a++)
            {
              ReinsApprovalRecord *record = g_ptr_array_index (approvals, a);
              ReinsAction *action = reins_approval_record_get_action (record);
              ReinsDecision decision = reins_approval_record_get_decision (record);

              if (g_strcmp0 (reins_approval_record_get_guard (record), "policy") == 0 &&
                  action != NULL && g_str_equal (reins_action_get_name (action), tool) &&
                  (decision == REINS_DECISION_APPROVE || decision == REINS_DECISION_EDIT))
                allowed_at = reins_step_get_index (step);
            }
        }

      if (allowed_at > 0)
        g_hash_table_insert (later, g_strdup (tool), GUINT_TO_POINTER (allowed_at));
      else
        json_array_add_string_element (kept, tool);
    }
  json_object_set_array_member (settings, "always_allow", kept);
}

static void
allow_tools_of_step (JsonObject *settings,
                     GHashTable *later,
                     guint       index)
{
  GHashTableIter iter;
  gpointer tool, at;

  g_hash_table_iter_init (&iter, later);
  while (g_hash_table_iter_next (&iter, &tool, &at))
    if (GPOINTER_TO_UINT (at) == index)
      {
        json_array_add_string_element (json_object_get_array_member (settings, "always_allow"),
                                       tool);
        g_hash_table_iter_remove (&iter);
      }
}

/* The critic in a replay: the reply stored on the step, judged again; no model is called.
 * A step the live run did not have judged at @phase has nothing to judge from. */
static ReinsCritique *
stored_critic_cb (ReinsGuardContext *context,
                  ReinsStep         *step,
                  ReinsVerdictPhase  phase,
                  gpointer           user_data)
{
  const ReinsCritique *stored = reins_step_get_critique (REINS_STEP (user_data));
  ReinsCritique *critique;

  if (stored == NULL || stored->phase != phase)
    {
      critique = reins_critique_new (phase);
      critique->error = g_strdup (_("no critic reply is stored for this step"));
      return critique;
    }
  critique = reins_critique_copy (stored);
  reins_critique_clear_judgement (critique);
  return critique;
}

static guint64
project_tokens (ReinsRun         *run,
                GPtrArray        *history,
                ReinsPromptTally *tally,
                JsonArray        *tools,
                JsonObject       *settings,
                guint             index)
{
  ReinsPromptInput input = { 0 };
  g_autofree char *summary = NULL;
  g_autoptr(ReinsChatRequest) request = NULL;
  guint upto = reins_prompt_summary_upto (index, 1);

  if (upto > 0)
    summary = reins_prompt_summarize_with (history, upto, tally);
  input.run = run;
  input.steps = history;
  input.tools = tools;
  input.native = g_strcmp0 (reins_settings_get_string (settings, "mode",
                                                      REINS_RUN_SETTINGS_DEFAULT_MODE),
                            "react") != 0;
  input.goal_every = (guint) CLAMP (reins_settings_get_int (settings, "goal_every",
                                                            REINS_RUN_SETTINGS_DEFAULT_GOAL_EVERY),
                                    0, G_MAXUINT);
  input.summary = summary;
  input.summary_upto = upto;
  request = reins_prompt_build (&input);
  return reins_prompt_count_chars_with (request, tally) / 4;
}

/* A step being replayed, passed between the phases. */
typedef struct
{
  ReinsRun          *run;          /* the run as it stood when the step began */
  ReinsHarness      *harness;
  ReinsToolRegistry *registry;
  JsonArray         *tools;
  GPtrArray         *history;      /* the steps replayed so far */
  ReinsPromptTally  *tally;        /* of their summaries */
  GHashTable        *later;        /* tools allowed "always" from a later step */
  ReinsStep         *stored;
  ReinsStep         *step;
  ReinsAction       *proposed;     /* the action the model proposed */
  ReinsGuardContext  context;
  char              *validation_error;
  double             cost;
  guint64            input_tokens;
  guint64            output_tokens;
} Replay;

static void
judge (Replay            *r,
       ReinsVerdictPhase  phase)
{
  g_autoptr(ReinsVerdict) ignored = reins_harness_evaluate (r->harness, phase, &r->context,
                                                            r->step);
}

/* PROMPT: the prompt rebuilt to project the call, and the guards before the model. */
static ReinsStepOutcome
replay_prompt (gpointer data)
{
  Replay *r = data;
  JsonObject *settings = reins_run_get_settings (r->run);

  reins_run_set_cost_usd (r->run, r->cost);
  reins_run_set_tokens (r->run, r->input_tokens, r->output_tokens);
  reins_run_set_step_count (r->run, r->history->len);

  memset (&r->context, 0, sizeof r->context);
  r->context.run = r->run;
  r->context.history = r->history;
  r->context.settings = settings;
  r->context.action_risk = REINS_RISK_READ;
  r->context.replay = TRUE;
  r->context.critic = stored_critic_cb;
  r->context.critic_data = r->stored;

  reins_step_set_started_at (r->step, reins_step_get_started_at (r->stored));
  r->context.projected_input_tokens = project_tokens (r->run, r->history, r->tally, r->tools,
                                                     settings,
                                                     reins_step_get_index (r->stored));
  r->context.projected_cost_usd =
    r->context.projected_input_tokens * reins_settings_get_double (settings, "price_in", 0.0) / 1e6;
  judge (r, REINS_VERDICT_PHASE_BEFORE_MODEL);
  return REINS_STEP_CONTINUE;
}

/* REPLY: the model's reply, as stored. */
static ReinsStepOutcome
replay_reply (gpointer data)
{
  Replay *r = data;

  reins_step_set_thought (r->step, reins_step_get_thought (r->stored));
  reins_step_set_reply (r->step, reins_step_get_reply (r->stored));
  if (reins_step_has_confidence (r->stored))
    reins_step_set_confidence (r->step, reins_step_get_confidence (r->stored),
                               reins_step_get_confidence_source (r->stored));
  reins_step_set_tokens (r->step, reins_step_get_input_tokens (r->stored),
                         reins_step_get_output_tokens (r->stored));
  reins_step_set_cost (r->step, reins_step_get_cost_usd (r->stored),
                       reins_step_get_cost_total_usd (r->stored));
  r->proposed = proposed_action (r->stored);
  return REINS_STEP_CONTINUE;
}

/* JUDGE_ACTION: the proposed action, before a person may have edited it. */
static ReinsStepOutcome
replay_judge_action (gpointer data)
{
  Replay *r = data;

  if (r->proposed == NULL)
    return REINS_STEP_CONTINUE;
  reins_step_set_action (r->step, r->proposed);
  describe (r->registry, r->proposed, &r->context, &r->validation_error);
  judge (r, REINS_VERDICT_PHASE_BEFORE_ACTION);
  return REINS_STEP_CONTINUE;
}

/* ACT: what happened, as stored: the action taken, the person's answers, the observation. */
static ReinsStepOutcome
replay_act (gpointer data)
{
  Replay *r = data;
  ReinsAction *taken = reins_step_get_action (r->stored);
  GPtrArray *approvals = reins_step_get_approvals (r->stored);

  if (taken != NULL && taken != r->proposed)
    {
      reins_step_set_action (r->step, taken);
      describe (r->registry, taken, &r->context, &r->validation_error);
    }
  for (guint a = 0; a < approvals->len; a++)
    reins_step_add_approval (r->step, g_ptr_array_index (approvals, a));
  reins_step_set_observation (r->step, reins_step_get_observation (r->stored));
  reins_step_set_tool_error (r->step, reins_step_get_tool_error (r->stored));
  reins_step_set_duration_ms (r->step, reins_step_get_duration_ms (r->stored));
  return REINS_STEP_CONTINUE;
}

/* JUDGE_OBSERVATION: only where the live run got that far. */
static ReinsStepOutcome
replay_judge_observation (gpointer data)
{
  Replay *r = data;

  if (reached_observation (r->stored))
    judge (r, REINS_VERDICT_PHASE_AFTER_OBSERVATION);
  return REINS_STEP_CONTINUE;
}

/* COMMIT: the step joins the history; the run's totals move on as they did live. */
static ReinsStepOutcome
replay_commit (gpointer data)
{
  Replay *r = data;

  allow_tools_of_step (reins_run_get_settings (r->run), r->later,
                       reins_step_get_index (r->stored));
  r->cost += reins_step_get_cost_usd (r->stored);
  r->input_tokens += reins_step_get_input_tokens (r->stored);
  r->output_tokens += reins_step_get_output_tokens (r->stored);
  return REINS_STEP_CONTINUE;
}

/* The live run's phases (reins-executor-step.c), in its order, from what was stored. */
static const ReinsStepPipeline replay_pipeline = {
  .phases = {
    [REINS_STEP_PHASE_PROMPT] = replay_prompt,
    [REINS_STEP_PHASE_REPLY] = replay_reply,
    [REINS_STEP_PHASE_JUDGE_ACTION] = replay_judge_action,
    [REINS_STEP_PHASE_ACT] = replay_act,
    [REINS_STEP_PHASE_JUDGE_OBSERVATION] = replay_judge_observation,
    [REINS_STEP_PHASE_COMMIT] = replay_commit,
  },
};

/**
 * reins_replay_run:
 * @run: the stored run
 * @steps: (element-type ReinsStep): its stored steps, in order
 * @settings: (nullable): the settings to judge under; %NULL for the run's own
 *
 * Returns: (transfer full) (element-type ReinsReplayStep): one entry per step, in order
 */
GPtrArray *
reins_replay_run (ReinsRun    *run,
                  GPtrArray   *steps,
                  JsonObject  *settings,
                  GError     **error)
{
  g_autoptr(ReinsRun) replay_run = NULL;
  g_autoptr(JsonObject) replay_settings = NULL;
  g_autoptr(ReinsHarness) harness = NULL;
  g_autoptr(ReinsToolRegistry) registry = NULL;
  g_autoptr(JsonArray) tools = NULL;
  g_autoptr(GPtrArray) history = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) later = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(ReinsPromptTally) tally = reins_prompt_tally_new ();
  Replay r = { 0 };
  GPtrArray *result;

  g_return_val_if_fail (REINS_IS_RUN (run), NULL);
  g_return_val_if_fail (steps != NULL, NULL);

  replay_settings = reins_run_setup_merge_settings (settings != NULL
                                                      ? settings : reins_run_get_settings (run),
                                                    NULL);
  split_always_allow (replay_settings, steps, later);

  replay_run = reins_run_copy (run);
  reins_run_set_settings (replay_run, replay_settings);
  harness = reins_run_setup_make_harness (replay_settings);
  registry = registry_for (replay_settings);
  if (registry == NULL)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("The tools of run %s cannot be rebuilt for the replay."),
                   reins_run_get_id (run));
      return NULL;
    }
  tools = reins_tool_registry_describe (registry);

  r.run = replay_run;
  r.harness = harness;
  r.registry = registry;
  r.tools = tools;
  r.history = history;
  r.tally = tally;
  r.later = later;

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) reins_replay_step_free);

  for (guint i = 0; i < steps->len; i++)
    {
      ReinsReplayStep *entry = g_new0 (ReinsReplayStep, 1);

      r.stored = g_ptr_array_index (steps, i);
      r.step = reins_step_new (reins_run_get_id (run), reins_step_get_index (r.stored));
      r.proposed = NULL;
      reins_step_pipeline_run (&replay_pipeline, REINS_STEP_PHASE_PROMPT, &r);
      g_clear_pointer (&r.validation_error, g_free);

      entry->stored_verdicts = g_ptr_array_copy (reins_step_get_verdicts (r.stored),
                                                 (GCopyFunc) g_object_ref, NULL);
      g_ptr_array_set_free_func (entry->stored_verdicts, g_object_unref);
      entry->stored_worst = worst_of (entry->stored_verdicts);
      entry->replayed_worst = worst_of (reins_step_get_verdicts (r.step));
      entry->changed = !same_worst (entry->stored_worst, entry->replayed_worst);
      entry->step = g_object_ref (r.step);
      g_ptr_array_add (history, g_steal_pointer (&r.step));
      g_ptr_array_add (result, entry);
    }

  return result;
}
