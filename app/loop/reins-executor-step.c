/* reins-executor-step.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One step of a live run, as the phases of reins-step-pipeline.h: the prompt, the model's
 * reply, the harness before the action, the action, the harness after it, the commit.
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "reins-confidence.h"
#include "reins-executor-private.h"
#include "reins-run-settings.h"
#include "reins-prompt.h"
#include "reins-react-parser.h"
#include "reins-run-cost.h"

/* Streamed text goes to the main context as it comes, coalesced by the event queue. */
static void
token_cb (const char *delta,
          gpointer    user_data)
{
  Worker *w = user_data;

  if (delta == NULL || *delta == '\0' || w->current == NULL)
    return;

  reins_event_queue_push_text (w->executor->events, EVENT_TOKEN,
                               reins_step_get_index (w->current), delta);
}

/* The provider's embeddings for the guards ("embeddings": "provider"); NULL on failure,
 * and the guards fall back to the built-in embedder. */
static GPtrArray *
embed_cb (const char * const *texts,
          gpointer            user_data)
{
  Worker *w = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *vectors = reins_provider_embed (w->provider, texts, w->cancellable, &error);

  if (vectors == NULL)
    g_debug ("Provider embeddings failed, the built-in embedder is used: %s",
             error != NULL ? error->message : "no vectors");
  return vectors;
}

/* The critic's provider (reins_run_setup_critic_config()), made at its first call. */
static ReinsProvider *
critic_provider (Worker  *w,
                 GError **error)
{
  g_autoptr(ReinsProviderConfig) config = NULL;

  if (w->critic_provider != NULL)
    return w->critic_provider;
  if (w->critic_unavailable != NULL)
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_PROVIDER, w->critic_unavailable);
      return NULL;
    }

  config = reins_run_setup_critic_config (w->executor->setup, w->run);
  w->critic_model = g_strdup (config->model);
  w->critic_provider = reins_provider_new_for_config (config, error);
  if (w->critic_provider == NULL)
    w->critic_unavailable = g_strdup ((*error)->message);
  return w->critic_provider;
}

/* The critic guard's call (reins-guard-critic.c): the prompt, the critic's provider, and
 * the call's tokens and cost on the step and the run, like the step's own call. */
static ReinsCritique *
critic_cb (ReinsGuardContext *context,
           ReinsStep         *step,
           ReinsVerdictPhase  phase,
           gpointer           user_data)
{
  Worker *w = user_data;
  g_autoptr(ReinsChatRequest) request = NULL;
  g_autoptr(ReinsChatResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  ReinsCritique *critique = reins_critique_new (phase);
  ReinsProvider *provider = critic_provider (w, &error);

  if (provider == NULL)
    {
      critique->error = g_strdup_printf (_("its provider cannot be used: %s"), error->message);
      return critique;
    }

  request = reins_prompt_critic (w->run, w->steps, step, phase);
  request->model = g_strdup (w->critic_model);
  response = reins_provider_chat (provider, request, NULL, NULL, w->cancellable, &error);
  if (response == NULL)
    {
      critique->error = g_strdup (error->message);
      return critique;
    }

  critique->reply = g_strdup (response->text);
  critique->model = g_strdup (request->model != NULL ? request->model
                                                     : reins_provider_get_name (provider));
  critique->input_tokens = response->input_tokens;
  critique->output_tokens = response->output_tokens;
  /* Counted against the budget like any call of the run. */
  critique->cost_usd = reins_run_cost_add_call (w->run, step, response->input_tokens,
                                                response->output_tokens);
  return critique;
}

static ReinsGuardContext
guard_context (Worker *w)
{
  ReinsGuardContext context = { 0 };

  context.critic = critic_cb;
  context.critic_data = w;

  if (w->provider != NULL && reins_provider_supports_embeddings (w->provider))
    {
      context.embed = embed_cb;
      context.embed_data = w;
    }
  context.run = w->run;
  context.history = w->steps;
  context.settings = reins_run_get_settings (w->run);
  context.action_known = FALSE;
  context.action_risk = REINS_RISK_READ;
  return context;
}

static ReinsChatRequest *
build_request (Worker    *w,
               ReinsStep *step)
{
  JsonObject *settings = reins_run_get_settings (w->run);
  ReinsPromptInput input = { 0 };
  const char *summary = NULL;
  ReinsChatRequest *request;
  guint upto;

  upto = reins_prompt_summary_upto (reins_step_get_index (step),
                                    reins_compressor_uses_model (w->compressor) ? 5 : 1);
  if (upto > 0)
    summary = reins_compressor_summary_upto (w->compressor, step, upto);

  input.run = w->run;
  input.steps = w->steps;
  input.tools = w->tool_descriptions;
  input.native = w->native;
  input.goal_every = (guint) CLAMP (reins_settings_get_int (settings, "goal_every",
                                                            REINS_RUN_SETTINGS_DEFAULT_GOAL_EVERY), 0, G_MAXUINT);
  input.summary = summary;
  input.summary_upto = upto;

  request = reins_prompt_build (&input);
  request->model = g_strdup (reins_run_get_model (w->run));
  request->want_logprobs = TRUE;
  request->stream = reins_settings_get_bool (settings, "stream", TRUE);
  request->temperature = reins_settings_get_double (settings, "temperature", -1.0);
  return request;
}

static char *
unrun_calls_message (GPtrArray *calls)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, _("[Harness] Your reply called %u tools at once; only the "
                                  "first ran. These did not run:"), calls->len);
  for (guint i = 1; i < calls->len; i++)
    {
      g_autofree char *call = reins_action_to_string (g_ptr_array_index (calls, i));

      g_string_append_printf (text, "\n- %s", call);
    }
  g_string_append (text, _("\nCall one tool per reply."));
  return g_string_free (text, FALSE);
}

/* Reads the model's reply into the step: thought and action, or an error text. */
static char *
parse_reply (Worker            *w,
             ReinsStep         *step,
             ReinsChatResponse *response,
             char             **action_text)
{
  const char *text = response->text != NULL ? response->text : "";

  *action_text = NULL;
  g_clear_pointer (&w->unrun_calls, g_free);

  if (w->native && response->tool_calls != NULL && response->tool_calls->len > 0)
    {
      ReinsAction *action = g_ptr_array_index (response->tool_calls, 0);
      g_autofree char *thought = g_strstrip (g_strdup (text));

      reins_step_set_thought (step, *thought != '\0' ? thought : NULL);
      reins_step_set_action (step, action);
      *action_text = reins_action_dup_arguments_json (action);
      /* One step runs one call (the request asks for no parallel calls); the others are
       * named in the observation, never dropped without a word. */
      if (response->tool_calls->len > 1)
        w->unrun_calls = unrun_calls_message (response->tool_calls);
      return NULL;
    }
  else
    {
      ReinsReactParse parse;
      g_autoptr(GError) error = NULL;

      /* In native mode a text-only reply may still be a well-formed ReAct step or a
       * "Final Answer:"; anything else is asked again, never guessed. */
      if (reins_react_parse (text, &parse, &error))
        {
          reins_step_set_thought (step, parse.thought);
          reins_step_set_action (step, parse.action);
          *action_text = g_strndup (text + parse.action_start,
                                    parse.action_end - parse.action_start);
          reins_react_parse_clear (&parse);
          return NULL;
        }

      reins_step_set_thought (step, parse.thought != NULL ? parse.thought : text);
      reins_react_parse_clear (&parse);

      if (w->native)
        return g_strdup (_("Your reply called no tool. Call one tool, or `finish` with your "
                           "answer."));
      return g_strdup (error->message);
    }
}

void
reins_worker_describe_action (Worker            *w,
                 ReinsAction       *action,
                 ReinsGuardContext *context,
                 char             **validation_error)
{
  ReinsTool *tool = reins_tool_registry_lookup (w->tools, reins_action_get_name (action));
  g_autoptr(GError) error = NULL;

  context->action_known = tool != NULL;
  context->action_risk = tool != NULL ? reins_tool_get_risk (tool) : REINS_RISK_READ;
  g_clear_pointer (validation_error, g_free);
  if (tool != NULL && !reins_tool_registry_validate (w->tools, action, &error))
    *validation_error = g_strdup (error->message);
  context->action_error = *validation_error;
}

static char *
unknown_tool_message (Worker      *w,
                      ReinsAction *action)
{
  g_autoptr(GPtrArray) tools = reins_tool_registry_list (w->tools);
  GString *names = g_string_new (NULL);
  g_autofree char *list = NULL;

  for (guint i = 0; i < tools->len; i++)
    {
      if (i > 0)
        g_string_append (names, ", ");
      g_string_append (names, reins_tool_get_name (g_ptr_array_index (tools, i)));
    }
  list = g_string_free (names, FALSE);

  return g_strdup_printf (_("There is no tool “%s”. The tools are: %s."),
                          reins_action_get_name (action), list);
}

static void
step_state_clear (StepState *s)
{
  g_clear_object (&s->step);
  g_clear_pointer (&s->request, reins_chat_request_free);
  g_clear_pointer (&s->parse_error, g_free);
  g_clear_pointer (&s->validation_error, g_free);
  g_clear_pointer (&s->final_answer, g_free);
  g_clear_object (&s->verdict);
}

void
reins_step_state_set_duration (StepState *s)
{
  /* The person's think time is not the step's: it is kept on the approval record. */
  gint64 elapsed = g_get_monotonic_time () - s->t0 - s->w->person_us;

  reins_step_set_duration_ms (s->step, MAX (elapsed, 0) / 1000);
}

/* The step is committed and the run ends as the harness said; if the store fails, the
 * run fails. */
static ReinsStepOutcome
end_with_step (Worker         *w,
               StepState      *s,
               ReinsRunStatus  status,
               const char     *reason)
{
  reins_step_state_set_duration (s);
  return reins_worker_end_with_step (w, s->step, status, reason, NULL);
}

/* PROMPT: the step begins; the request is built, its cost projected, and the harness judges
 * before anything is spent. */
static ReinsStepOutcome
phase_prompt (gpointer data)
{
  StepState *s = data;
  Worker *w = s->w;
  g_autoptr(ReinsVerdict) verdict = NULL;
  GPtrArray *verdicts;
  guint index = w->steps->len + 1;
  ReinsEvent *event;

  s->step = reins_step_new (reins_run_get_id (w->run), index);
  reins_step_set_started_at (s->step, g_get_real_time ());
  w->current = s->step;

  event = reins_event_new (EVENT_STEP_STARTED);
  event->index = index;
  _reins_executor_push_event (w->executor, event);

  s->request = build_request (w, s->step);
  s->context.projected_input_tokens = reins_prompt_count_chars_with (s->request,
                                                                     w->prompt_tally) / 4;
  s->context.projected_cost_usd = reins_run_cost_of (reins_run_get_settings (w->run),
                                                     s->context.projected_input_tokens, 0);

  verdict = reins_harness_evaluate (w->harness, REINS_VERDICT_PHASE_BEFORE_MODEL, &s->context,
                                    s->step);
  if (verdict != NULL && reins_verdict_get_kind (verdict) >= REINS_VERDICT_ASK)
    {
      /* No model call was made: stop before spending. */
      reins_step_set_cost (s->step, 0, reins_run_get_cost_usd (w->run));
      return end_with_step (w, s, REINS_RUN_STATUS_TERMINATED, reins_verdict_get_reason (verdict));
    }

  /* The guards' corrections go to the model with the prompt. */
  verdicts = reins_step_get_verdicts (s->step);
  for (guint i = 0; i < verdicts->len; i++)
    {
      ReinsVerdict *v = g_ptr_array_index (verdicts, i);

      if (reins_verdict_get_kind (v) == REINS_VERDICT_CORRECT)
        {
          g_autofree char *message = reins_prompt_harness_message (v);

          reins_chat_request_add (s->request,
                                  reins_chat_message_new (REINS_CHAT_ROLE_USER, message));
        }
    }
  return REINS_STEP_CONTINUE;
}

/* A fork whose first step a person wrote ("fork_action" in its settings): that step takes
 * the person's action instead of asking the model, and the harness judges it as any.
 * Returns whether it did. */
static gboolean
take_fork_action (Worker    *w,
                  StepState *s)
{
  JsonNode *node;
  g_autoptr(ReinsAction) edited = NULL;

  if (w->fork_action_used || w->executor->setup->fork_step != reins_step_get_index (s->step) ||
      reins_run_get_parent_run_id (w->run) == NULL)
    return FALSE;

  w->fork_action_used = TRUE;
  node = json_object_get_member (reins_run_get_settings (w->run), "fork_action");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      (edited = reins_action_new_from_json (node, NULL)) == NULL)
    return FALSE;

  reins_step_set_thought (s->step, _("A person set this action when forking the run."));
  reins_step_set_action (s->step, edited);
  return TRUE;
}

/* REPLY: the model's reply, read into the step's thought and action. */
static ReinsStepOutcome
phase_reply (gpointer data)
{
  StepState *s = data;
  Worker *w = s->w;
  g_autoptr(ReinsChatResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  g_autofree char *action_text = NULL;
  ReinsConfidenceSource source = REINS_CONFIDENCE_SOURCE_DEFAULT;
  guint index = reins_step_get_index (s->step);
  double confidence;

  if (take_fork_action (w, s))
    return REINS_STEP_CONTINUE;

  response = reins_provider_chat (w->provider, s->request, token_cb, w, w->cancellable, &error);
  if (response == NULL)
    {
      g_autofree char *reason = NULL;

      if (g_cancellable_is_cancelled (w->cancellable) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return reins_worker_end_cancelled (w, s->step, reins_step_get_verdicts (s->step)->len > 0);

      g_clear_error (&w->error);
      w->error = g_error_copy (error);
      reason = reins_provider_describe_error (error);
      if (reins_step_get_verdicts (s->step)->len > 0)
        return reins_worker_end_with_step (w, s->step, REINS_RUN_STATUS_FAILED, reason, NULL);
      reins_worker_end_run (w, REINS_RUN_STATUS_FAILED, reason);
      return REINS_STEP_END;
    }

  if (!reins_store_add_exchange (w->store, reins_run_get_id (w->run), index,
                                 response->raw_request, response->raw_response,
                                 response->latency_ms, &store_error))
    g_warning ("Could not store the model exchange of step %u: %s", index,
               store_error->message);

  /* Added to what a summary call before it may have cost this step. */
  reins_run_cost_add_call (w->run, s->step, response->input_tokens, response->output_tokens);

  reins_step_set_reply (s->step, response->text);
  s->parse_error = parse_reply (w, s->step, response, &action_text);

  confidence = reins_confidence_compute (response, action_text, &source);
  reins_step_set_confidence (s->step, confidence, source);
  return REINS_STEP_CONTINUE;
}

/* The harness's corrections before the action, as the observation the model reads instead
 * of the action's result. */
static char *
corrections_observation (ReinsStep *step)
{
  GPtrArray *verdicts = reins_step_get_verdicts (step);
  GString *observation = g_string_new (NULL);

  for (guint i = 0; i < verdicts->len; i++)
    {
      ReinsVerdict *v = g_ptr_array_index (verdicts, i);

      if (reins_verdict_get_phase (v) == REINS_VERDICT_PHASE_BEFORE_ACTION &&
          reins_verdict_get_kind (v) == REINS_VERDICT_CORRECT)
        {
          g_autofree char *message = reins_prompt_harness_message (v);

          if (observation->len > 0)
            g_string_append_c (observation, '\n');
          g_string_append (observation, message);
        }
    }
  return g_string_free (observation, FALSE);
}

/* JUDGE_ACTION: the harness judges the action before it runs. */
static ReinsStepOutcome
phase_judge_action (gpointer data)
{
  StepState *s = data;
  Worker *w = s->w;
  g_autoptr(ReinsVerdict) verdict = NULL;
  ReinsAction *action = reins_step_get_action (s->step);

  if (action == NULL)
    {
      /* Nothing to judge or run: the model reads why its reply held no action. */
      reins_step_set_observation (s->step, s->parse_error);
      reins_step_set_tool_error (s->step, TRUE);
      return REINS_STEP_CONTINUE;
    }

  reins_worker_describe_action (w, action, &s->context, &s->validation_error);

  verdict = reins_harness_evaluate (w->harness, REINS_VERDICT_PHASE_BEFORE_ACTION, &s->context,
                                    s->step);
  /* A stop while a guard waited on a model (the critic) ends the run here: the action it
   * judged is not taken, and a finish is not accepted. */
  if (g_cancellable_is_cancelled (w->cancellable) || w->stop_requested)
    {
      reins_step_state_set_duration (s);
      return reins_worker_end_cancelled (w, s->step, TRUE);
    }
  if (verdict == NULL)
    return REINS_STEP_CONTINUE;

  switch (reins_verdict_get_kind (verdict))
    {
    case REINS_VERDICT_TERMINATE:
      return end_with_step (w, s, REINS_RUN_STATUS_TERMINATED, reins_verdict_get_reason (verdict));

    case REINS_VERDICT_ASK:
      {
        g_autoptr(ReinsApprovalRecord) record =
          reins_approval_record_new (reins_step_get_index (s->step),
                                     reins_verdict_get_guard (verdict),
                                     reins_verdict_get_reason (verdict), action,
                                     reins_step_has_confidence (s->step)
                                       ? reins_step_get_confidence (s->step) : NAN);
        return reins_worker_step_ask (w, s, record);
      }

    case REINS_VERDICT_CORRECT:
      {
        g_autofree char *observation = corrections_observation (s->step);

        /* The action does not run; the model reads why instead of its result. */
        reins_step_set_observation (s->step, observation);
        s->skip_action = TRUE;
      }
      return REINS_STEP_CONTINUE;

    case REINS_VERDICT_ALLOW:
    default:
      return REINS_STEP_CONTINUE;
    }
}

static void
append_unrun_calls (Worker    *w,
                    ReinsStep *step)
{
  const char *observation = reins_step_get_observation (step);
  g_autofree char *text = NULL;

  text = observation != NULL && observation[0] != '\0'
           ? g_strdup_printf ("%s\n\n%s", observation, w->unrun_calls)
           : g_strdup (w->unrun_calls);
  reins_step_set_observation (step, text);
  g_clear_pointer (&w->unrun_calls, g_free);
}

/* ACT: the action runs, unless the harness or a person said not to; a tool that does not
 * exist, arguments that do not fit, or a `finish` without an answer give the model an
 * error to read instead. */
static ReinsStepOutcome
phase_act (gpointer data)
{
  StepState *s = data;
  Worker *w = s->w;
  ReinsAction *action = reins_step_get_action (s->step);

  if (action != NULL && !s->skip_action)
    {
      if (!s->context.action_known)
        {
          g_autofree char *message = unknown_tool_message (w, action);

          reins_step_set_observation (s->step, message);
          reins_step_set_tool_error (s->step, TRUE);
        }
      else if (s->validation_error != NULL)
        {
          /* The registry's message names the tool and the member already. */
          g_autofree char *message = g_strdup_printf (_("%s. Call the tool again with arguments "
                                                        "that match its schema."),
                                                      s->validation_error);
          reins_step_set_observation (s->step, message);
          reins_step_set_tool_error (s->step, TRUE);
        }
      else if (g_str_equal (reins_action_get_name (action), "finish"))
        {
          s->final_answer = g_strdup (reins_action_get_string_argument (action, "answer"));
          if (s->final_answer == NULL)
            {
              reins_step_set_observation (s->step, _("`finish` needs {\"answer\": \"…\"}."));
              reins_step_set_tool_error (s->step, TRUE);
            }
        }
      else
        {
          g_autoptr(ReinsToolResult) result = NULL;
          g_autofree char *text = NULL;

          result = reins_tool_registry_invoke (w->tools, &w->tool_context, action,
                                               w->cancellable);
          if (g_cancellable_is_cancelled (w->cancellable) || w->stop_requested)
            {
              reins_step_set_observation (s->step, _("The run was stopped while the tool ran."));
              reins_step_set_tool_error (s->step, TRUE);
              reins_step_state_set_duration (s);
              return reins_worker_end_cancelled (w, s->step, TRUE);
            }

          text = reins_utf8_make_valid (result->text != NULL ? result->text : "", -1);
          reins_step_set_observation (s->step, text);
          reins_step_set_tool_error (s->step, result->is_error);
        }
    }

  if (w->unrun_calls != NULL)
    append_unrun_calls (w, s->step);
  return REINS_STEP_CONTINUE;
}

/* JUDGE_OBSERVATION: the harness judges what the action gave, and may ask a person. */
static ReinsStepOutcome
phase_judge_observation (gpointer data)
{
  StepState *s = data;
  Worker *w = s->w;
  g_autoptr(ReinsApprovalRecord) record = NULL;
  ReinsDecision decision;

  s->verdict = reins_harness_evaluate (w->harness, REINS_VERDICT_PHASE_AFTER_OBSERVATION,
                                       &s->context, s->step);
  reins_step_state_set_duration (s);

  if (s->verdict == NULL || reins_verdict_get_kind (s->verdict) != REINS_VERDICT_ASK)
    return REINS_STEP_CONTINUE;

  record = reins_approval_record_new (reins_step_get_index (s->step),
                                      reins_verdict_get_guard (s->verdict),
                                      reins_verdict_get_reason (s->verdict),
                                      reins_step_get_action (s->step),
                                      reins_step_has_confidence (s->step)
                                        ? reins_step_get_confidence (s->step) : NAN);
  decision = reins_worker_ask_person (w, s->step, record, FALSE, NULL);
  if (decision == REINS_DECISION_NONE || decision == REINS_DECISION_STOP)
    return reins_worker_end_cancelled (w, s->step, TRUE);
  reins_harness_approval_resolved (w->harness, &s->context, s->step, record);
  return REINS_STEP_CONTINUE;
}

/* COMMIT: the step is stored, and the run goes on unless the harness, an answer or a
 * person's "End Now" ends it. */
static ReinsStepOutcome
phase_commit (gpointer data)
{
  StepState *s = data;
  Worker *w = s->w;

  /* A step that ends the run is committed with the run's end. */
  w->current = NULL;

  if (s->verdict != NULL && reins_verdict_get_kind (s->verdict) == REINS_VERDICT_TERMINATE)
    return reins_worker_end_with_step (w, s->step, REINS_RUN_STATUS_TERMINATED,
                                       reins_verdict_get_reason (s->verdict), NULL);

  if (s->final_answer != NULL)
    return reins_worker_end_with_step (w, s->step, REINS_RUN_STATUS_COMPLETED,
                                       _("The agent finished with an answer."), s->final_answer);

  /* "End Now": the model had one step to give what it has; it did not. */
  if (w->end_now_step != 0 && reins_step_get_index (s->step) > w->end_now_step)
    {
      g_autofree char *reason =
        g_strdup_printf (_("Ended by you at step %u; the agent gave no final answer in the step "
                           "after, so the run ends with the results in its steps."),
                         w->end_now_step);

      return reins_worker_end_with_step (w, s->step, REINS_RUN_STATUS_TERMINATED, reason, NULL);
    }

  if (!reins_worker_commit_step (w, s->step, TRUE))
    {
      reins_worker_end_run (w, REINS_RUN_STATUS_FAILED, w->error->message);
      return REINS_STEP_END;
    }
  g_ptr_array_add (w->steps, g_object_ref (s->step));
  return REINS_STEP_CONTINUE;
}

static const ReinsStepPipeline live_pipeline = {
  .phases = {
    [REINS_STEP_PHASE_PROMPT] = phase_prompt,
    [REINS_STEP_PHASE_REPLY] = phase_reply,
    [REINS_STEP_PHASE_JUDGE_ACTION] = phase_judge_action,
    [REINS_STEP_PHASE_ACT] = phase_act,
    [REINS_STEP_PHASE_JUDGE_OBSERVATION] = phase_judge_observation,
    [REINS_STEP_PHASE_COMMIT] = phase_commit,
  },
};

/* One whole step; @pending is a stored step whose question was open when the process died,
 * which is asked again rather than calling the model anew: it goes on from its action. */
ReinsStepOutcome
reins_worker_run_step (Worker    *w,
          ReinsStep *pending)
{
  StepState s = { 0 };
  ReinsStepOutcome outcome = REINS_STEP_CONTINUE;
  ReinsStepPhase from = REINS_STEP_PHASE_PROMPT;

  s.w = w;
  s.context = guard_context (w);
  s.t0 = g_get_monotonic_time ();
  w->person_us = 0;

  if (pending != NULL)
    {
      outcome = reins_worker_step_reopen (w, &s, pending);
      from = REINS_STEP_PHASE_ACT;
    }
  if (outcome == REINS_STEP_CONTINUE)
    outcome = reins_step_pipeline_run (&live_pipeline, from, &s);

  w->current = NULL;
  step_state_clear (&s);
  return outcome;
}
