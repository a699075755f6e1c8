/* reins-prompt.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-guard.h"
#include "reins-prompt.h"
#include "reins-react-parser.h"

/* The summary keeps one line for each of this many most recent folded steps; older ones
 * are counted, so the summary — and the prompt — stay bounded however long the run. */
#define SUMMARY_LINES 20
#define SUMMARY_LINE_MAX 200

static const char system_native[] =
  "You are an agent working on a task step by step. At each step, think briefly about what "
  "you know and what to do next, then call exactly one tool. Base every claim on what the "
  "tools returned; never invent values. When a tool fails, say so and try something else. "
  "When you have the answer, call the tool `finish` with the answer. A harness watches each "
  "step: messages marked [Harness] come from it or from the person supervising you; follow "
  "them.";

static const char system_react[] =
  "You are an agent working on a task step by step. At each step answer in exactly this "
  "format and nothing else:\n\n"
  "Thought: <what you know and what to do next>\n"
  "Action: {\"name\": \"<tool>\", \"arguments\": {<arguments as JSON>}}\n\n"
  "You will then get an Observation with the tool's result. Base every claim on what the "
  "tools returned; never invent values. When a tool fails, say so and try something else. "
  "When you have the answer, use the tool `finish` with {\"answer\": \"…\"}. Messages marked "
  "[Harness] come from the harness watching you or from the person supervising you; follow "
  "them.\n\nTools:\n";

static char *
cap (const char *text,
     gsize       max)
{
  gsize len;
  const char *end;

  if (text == NULL)
    return g_strdup ("");
  len = strlen (text);
  if (len <= max)
    return g_strdup (text);

  /* Cut on a character boundary. */
  end = g_utf8_find_prev_char (text, text + max + 1);
  if (end == NULL)
    end = text;
  return g_strdup_printf ("%.*s\n[… %" G_GSIZE_FORMAT " more characters cut …]",
                          (int) (end - text), text, len - (gsize) (end - text));
}

static char *
system_prompt (JsonArray *tools,
               gboolean   native)
{
  GString *text;

  if (native)
    return g_strdup (system_native);

  text = g_string_new (system_react);
  for (guint i = 0; tools != NULL && i < json_array_get_length (tools); i++)
    {
      JsonObject *tool = json_array_get_object_element (tools, i);
      JsonNode *params = json_object_get_member (tool, "parameters");
      g_autofree char *schema = params ? reins_json_to_string (params, FALSE) : g_strdup ("{}");

      g_string_append_printf (text, "- %s: %s Arguments: %s\n",
                              json_object_get_string_member_with_default (tool, "name", "?"),
                              json_object_get_string_member_with_default (tool, "description", ""),
                              schema);
    }

  return g_string_free (text, FALSE);
}

char *
reins_prompt_harness_message (ReinsVerdict *verdict)
{
  return g_strdup_printf ("[Harness: %s] %s", reins_verdict_get_guard (verdict),
                          reins_verdict_get_reason (verdict));
}

/* Steps 1 … upto are folded into the summary when step @next_step is prompted; at least
 * the last REINS_PROMPT_KEEP_VERBATIM steps stay verbatim. With @chunk > 1 the fold moves
 * @chunk steps at a time (a model-written summary is rewritten only that often). */
guint
reins_prompt_summary_upto (guint next_step,
                           guint chunk)
{
  guint upto;

  if (next_step <= REINS_PROMPT_KEEP_VERBATIM + 1)
    return 0;
  upto = next_step - 1 - REINS_PROMPT_KEEP_VERBATIM;
  if (chunk > 1)
    upto -= upto % chunk;
  return upto;
}

static char *
one_line (const char *text,
          gsize       max)
{
  g_autofree char *capped = NULL;
  char *p;

  if (text == NULL)
    return g_strdup ("");
  capped = g_utf8_substring (text, 0, MIN ((glong) max, g_utf8_strlen (text, -1)));
  for (p = capped; *p != '\0'; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t')
      *p = ' ';
  return g_steal_pointer (&capped);
}

/* One line for a step: its number, tool, arguments and result, each cut short. */
char *
reins_prompt_step_line (ReinsStep *step)
{
  ReinsAction *action = reins_step_get_action (step);
  g_autofree char *args = action ? reins_action_dup_arguments_json (action) : NULL;
  g_autofree char *args_line = one_line (args, 80);
  g_autofree char *obs_line = one_line (reins_step_get_observation (step), 100);

  return g_strdup_printf ("Step %u: %s %s → %s%s", reins_step_get_index (step),
                          action ? reins_action_get_name (action) : "(no action)",
                          args_line, obs_line,
                          reins_step_get_tool_error (step) ? " [error]" : "");
}

struct _ReinsPromptTally
{
  GPtrArray  *steps;     /* not referenced: only compared, to tell another array */
  guint       counted;   /* steps 1 … counted are in @counts and @errors */
  guint       errors;
  GHashTable *counts;    /* tool name (owned) → count */
  GPtrArray  *lines;     /* (element-type utf8) (nullable): line of the step at each position */

  /* For reins_prompt_count_chars_with(): the length of the tools' descriptions as text.
   * It holds a reference, so the address is never another array's. */
  JsonArray  *tools;
  gsize       tools_chars;
};

/**
 * reins_prompt_tally_new:
 *
 * What reins_prompt_summarize_with() keeps between calls, so the summary of a growing run
 * costs the same at step 1000 as at step 30: the steps it counted and the lines it wrote.
 */
ReinsPromptTally *
reins_prompt_tally_new (void)
{
  ReinsPromptTally *self = g_new0 (ReinsPromptTally, 1);

  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->lines = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
reins_prompt_tally_free (ReinsPromptTally *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->counts);
  g_ptr_array_unref (self->lines);
  g_clear_pointer (&self->tools, json_array_unref);
  g_free (self);
}

static void
tally_reset (ReinsPromptTally *self,
             GPtrArray        *steps)
{
  self->steps = steps;
  self->counted = 0;
  self->errors = 0;
  g_hash_table_remove_all (self->counts);
  g_ptr_array_set_size (self->lines, 0);
}

/**
 * reins_prompt_summarize:
 * @steps: (element-type ReinsStep): steps in order, at least @upto of them
 *
 * An extractive summary of steps 1 … @upto: one line per recent step (tool, arguments,
 * result), older ones counted by tool and errors. Deterministic, so a replay gets the same.
 */
char *
reins_prompt_summarize (GPtrArray *steps,
                        guint      upto)
{
  g_autoptr(ReinsPromptTally) tally = reins_prompt_tally_new ();

  return reins_prompt_summarize_with (steps, upto, tally);
}

/**
 * reins_prompt_summarize_with:
 * @steps: (element-type ReinsStep): steps in order, which only ever grow at the end between
 *   calls with the same @tally (a run's history); another array starts the tally anew
 * @tally: what earlier calls counted
 *
 * reins_prompt_summarize(), counting only the steps that earlier calls did not.
 */
char *
reins_prompt_summarize_with (GPtrArray        *steps,
                             guint             upto,
                             ReinsPromptTally *tally)
{
  GString *text = g_string_new (NULL);
  guint first_line;

  /* Clamped first: a stored run may have gaps in its step numbers, so @upto can pass the
   * end of @steps, and the lines counted from it would too. */
  upto = MIN (upto, steps->len);
  first_line = upto > SUMMARY_LINES ? upto - SUMMARY_LINES + 1 : 1;

  if (tally->steps != steps || tally->counted > first_line - 1 || tally->lines->len > steps->len)
    tally_reset (tally, steps);

  for (guint i = tally->counted + 1; i < first_line; i++)
    {
      ReinsStep *step = g_ptr_array_index (steps, i - 1);
      ReinsAction *action = reins_step_get_action (step);
      const char *name = action ? reins_action_get_name (action) : "(no action)";
      gpointer count = g_hash_table_lookup (tally->counts, name);

      g_hash_table_insert (tally->counts, g_strdup (name),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
      if (reins_step_get_tool_error (step))
        tally->errors++;
      /* Counted now, so no longer a line. */
      if (i <= tally->lines->len)
        g_clear_pointer (&g_ptr_array_index (tally->lines, i - 1), g_free);
    }
  tally->counted = MAX (tally->counted, first_line - 1);

  if (first_line > 1)
    {
      g_autoptr(GList) keys = NULL;

      g_string_append_printf (text, "Steps 1–%u:", first_line - 1);
      keys = g_list_sort (g_hash_table_get_keys (tally->counts), (GCompareFunc) g_strcmp0);
      for (const GList *l = keys; l != NULL; l = l->next)
        g_string_append_printf (text, " %s ×%u,", (const char *) l->data,
                                GPOINTER_TO_UINT (g_hash_table_lookup (tally->counts, l->data)));
      g_string_append_printf (text, " %u errors.\n", tally->errors);
    }

  /* Each step's line is written once. */
  if (tally->lines->len < upto)
    g_ptr_array_set_size (tally->lines, upto);
  for (guint i = first_line; i <= upto; i++)
    {
      char **line = (char **) &g_ptr_array_index (tally->lines, i - 1);

      if (*line == NULL)
        *line = reins_prompt_step_line (g_ptr_array_index (steps, i - 1));
      g_string_append (text, *line);
      g_string_append_c (text, '\n');
    }

  return g_string_free (text, FALSE);
}

/**
 * reins_prompt_summary_update:
 * @run: the run; its task is restated
 * @steps: (element-type ReinsStep): the run's steps in order
 * @summary: (nullable): the summary of steps 1 … @summarized so far
 * @summarized: how many steps @summary covers
 * @upto: the last step the new summary covers
 *
 * The request that asks a model to fold steps @summarized+1 … @upto into @summary (the
 * compressor's, reins-compressor.c). Only its messages: the caller picks the model.
 */
ReinsChatRequest *
reins_prompt_summary_update (ReinsRun   *run,
                             GPtrArray  *steps,
                             const char *summary,
                             guint       summarized,
                             guint       upto)
{
  ReinsChatRequest *request = reins_chat_request_new ();
  g_autoptr(GString) prompt = g_string_new (NULL);

  g_string_append_printf (prompt, "Task: %s\n\nSummary so far (steps 1–%u):\n%s\n\nNew steps:\n",
                          reins_run_get_task (run), summarized,
                          summary != NULL ? summary : "(none)");
  for (guint i = summarized + 1; i <= upto && i <= steps->len; i++)
    {
      g_autofree char *line = reins_prompt_step_line (g_ptr_array_index (steps, i - 1));

      g_string_append (prompt, line);
      g_string_append_c (prompt, '\n');
    }
  g_string_append (prompt, "\nWrite the updated summary of steps 1–");
  g_string_append_printf (prompt, "%u in at most 12 short lines: what was tried, what was "
                          "found (keep exact keys, values and names), what failed. Only the "
                          "summary, no preamble.", upto);

  reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_SYSTEM,
                                                           "You keep the running summary of an "
                                                           "agent's work, faithfully and briefly."));
  reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_USER, prompt->str));
  return request;
}

static void
add_user (ReinsChatRequest *request,
          const char       *content)
{
  reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_USER, content));
}

static void
add_harness_messages (ReinsChatRequest  *request,
                      ReinsStep         *step,
                      ReinsVerdictPhase  phase)
{
  GPtrArray *verdicts = reins_step_get_verdicts (step);

  for (guint i = 0; i < verdicts->len; i++)
    {
      ReinsVerdict *verdict = g_ptr_array_index (verdicts, i);

      if (reins_verdict_get_phase (verdict) == phase &&
          reins_verdict_get_kind (verdict) == REINS_VERDICT_CORRECT)
        {
          g_autofree char *message = reins_prompt_harness_message (verdict);
          add_user (request, message);
        }
    }
}

static char *
call_id_for (ReinsStep *step)
{
  ReinsAction *action = reins_step_get_action (step);

  if (action != NULL && reins_action_get_call_id (action) != NULL)
    return g_strdup (reins_action_get_call_id (action));
  return g_strdup_printf ("call_%u", reins_step_get_index (step));
}

static void
add_step (ReinsChatRequest *request,
          ReinsStep        *step,
          gboolean          native)
{
  ReinsAction *action = reins_step_get_action (step);
  g_autofree char *observation = cap (reins_step_get_observation (step),
                                      REINS_PROMPT_MAX_OBSERVATION);

  add_harness_messages (request, step, REINS_VERDICT_PHASE_BEFORE_MODEL);

  if (native && action != NULL)
    {
      g_autofree char *call_id = call_id_for (step);
      ReinsChatMessage *assistant;
      g_autoptr(ReinsAction) call = reins_action_new_with_id (reins_action_get_name (action),
                                                              reins_action_get_arguments (action),
                                                              call_id);

      assistant = reins_chat_message_new (REINS_CHAT_ROLE_ASSISTANT,
                                          reins_step_get_thought (step));
      assistant->tool_calls = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (assistant->tool_calls, g_object_ref (call));
      reins_chat_request_add (request, assistant);
      reins_chat_request_add (request,
                              reins_chat_message_new_tool (call_id, reins_action_get_name (action),
                                                           observation,
                                                           reins_step_get_tool_error (step)));
    }
  else
    {
      g_autofree char *reply = NULL;
      g_autofree char *obs_text = NULL;

      if (reins_step_get_reply (step) != NULL && *reins_step_get_reply (step) != '\0')
        reply = g_strdup (reins_step_get_reply (step));
      else
        reply = reins_react_format (reins_step_get_thought (step), action);

      reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_ASSISTANT, reply));
      obs_text = g_strdup_printf ("Observation: %s", observation);
      add_user (request, obs_text);
    }

  add_harness_messages (request, step, REINS_VERDICT_PHASE_AFTER_OBSERVATION);
}

ReinsChatRequest *
reins_prompt_build (const ReinsPromptInput *input)
{
  ReinsChatRequest *request;
  g_autofree char *system = NULL;
  g_autofree char *task = NULL;
  const char *run_task;

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (REINS_IS_RUN (input->run), NULL);

  run_task = reins_run_get_task (input->run);

  request = reins_chat_request_new ();
  request->native_tools = input->native;
  if (input->native && input->tools != NULL)
    request->tools = json_array_ref (input->tools);

  system = system_prompt (input->tools, input->native);
  reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_SYSTEM, system));

  task = g_strdup_printf ("Task: %s", run_task);
  add_user (request, task);

  if (input->summary != NULL && input->summary_upto > 0)
    {
      g_autofree char *summary = g_strdup_printf ("Summary of steps 1–%u (older steps are "
                                                  "folded to keep this conversation short):\n%s",
                                                  input->summary_upto, input->summary);
      add_user (request, summary);
    }

  for (guint i = 0; input->steps != NULL && i < input->steps->len; i++)
    {
      ReinsStep *step = g_ptr_array_index (input->steps, i);
      guint index = reins_step_get_index (step);

      if (index <= input->summary_upto)
        continue;

      add_step (request, step, input->native);

      if (input->goal_every > 0 && index % input->goal_every == 0)
        {
          g_autofree char *reminder = g_strdup_printf ("[Harness: drift] Reminder of your task: %s",
                                                       run_task);
          add_user (request, reminder);
        }
    }

  for (guint i = 0; input->extra != NULL && i < input->extra->len; i++)
    add_user (request, g_ptr_array_index (input->extra, i));

  return request;
}

gsize
reins_prompt_count_chars (ReinsChatRequest *request)
{
  return reins_prompt_count_chars_with (request, NULL);
}

static gsize
tools_chars (JsonArray        *tools,
             ReinsPromptTally *tally)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  if (tally != NULL && tally->tools == tools)
    return tally->tools_chars;

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (node, tools);
  text = reins_json_to_string (node, FALSE);
  if (tally != NULL)
    {
      g_clear_pointer (&tally->tools, json_array_unref);
      tally->tools = json_array_ref (tools);
      tally->tools_chars = strlen (text);
    }
  return strlen (text);
}

/**
 * reins_prompt_count_chars_with:
 * @tally: (nullable): keeps the length of the tools it measured, for the next prompts of
 *   the run (its tool descriptions do not change)
 *
 * reins_prompt_count_chars(), measuring the tools once.
 */
gsize
reins_prompt_count_chars_with (ReinsChatRequest *request,
                               ReinsPromptTally *tally)
{
  gsize chars = 0;

  for (guint i = 0; i < request->messages->len; i++)
    {
      ReinsChatMessage *message = g_ptr_array_index (request->messages, i);

      chars += message->content ? strlen (message->content) : 0;
      for (guint j = 0; message->tool_calls && j < message->tool_calls->len; j++)
        {
          g_autofree char *call = reins_action_to_string (g_ptr_array_index (message->tool_calls, j));
          chars += strlen (call);
        }
    }

  if (request->tools != NULL)
    chars += tools_chars (request->tools, tally);

  return chars;
}

/* The critic: a second model call that judges the agent's evidence. The reply's
 * shape is fixed and parsed strictly by the critic guard (reins-guard-critic.c); the layout
 * of the user message is what the offline providers read, so keep the two in step. */

#define CRITIC_STEPS 30
#define CRITIC_RESULT_MAX 600

static const char system_critic[] =
  "You are a critic who checks the work of an agent before it is accepted. You see the task, "
  "the agent's steps with the tools' results, and what the agent proposes. Judge only from "
  "those results; the agent's own words are no evidence. An answer is supported when a "
  "tool result (or the task itself) states it. A task is done when the answer is the final "
  "result the task asks for, not an intermediate one — such as a pointer, a cursor or a "
  "\"next\" key that still had to be followed. Answer with one JSON object and nothing "
  "else:\n"
  "{\"supported\": true or false, \"done\": true or false, \"evidence_step\": the number of "
  "the step whose result you rely on, or null, \"reason\": \"one or two sentences\"}";

/**
 * reins_prompt_critic:
 * @steps: (element-type ReinsStep): the steps before @step
 * @step: the step to judge: a `finish` before it runs (@phase before_action), or a step
 *   after its observation (@phase after_observation)
 *
 * Returns: (transfer full): the critic's request, with the purpose `critic`
 */
ReinsChatRequest *
reins_prompt_critic (ReinsRun          *run,
                     GPtrArray         *steps,
                     ReinsStep         *step,
                     ReinsVerdictPhase  phase)
{
  ReinsChatRequest *request;
  g_autoptr(GString) text = g_string_new (NULL);
  ReinsAction *action;
  guint first = 0;

  g_return_val_if_fail (REINS_IS_RUN (run), NULL);
  g_return_val_if_fail (REINS_IS_STEP (step), NULL);

  request = reins_chat_request_new ();
  request->purpose = REINS_CHAT_PURPOSE_CRITIC;
  request->native_tools = FALSE;
  request->want_logprobs = FALSE;
  request->stream = FALSE;
  request->temperature = 0.0;
  reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_SYSTEM,
                                                           system_critic));

  g_string_append_printf (text, "Task: %s\n\nSteps:\n", reins_run_get_task (run));
  if (steps != NULL && steps->len > CRITIC_STEPS)
    {
      first = steps->len - CRITIC_STEPS;
      g_string_append_printf (text, "(steps 1–%u left out)\n", first);
    }
  for (guint i = first; steps != NULL && i < steps->len; i++)
    {
      ReinsStep *earlier = g_ptr_array_index (steps, i);
      ReinsAction *a = reins_step_get_action (earlier);
      g_autofree char *args = a != NULL ? reins_action_dup_arguments_json (a) : NULL;
      g_autofree char *args_line = one_line (args, 200);
      g_autofree char *result = one_line (reins_step_get_observation (earlier), CRITIC_RESULT_MAX);

      g_string_append_printf (text, "Step %u: %s %s\n", reins_step_get_index (earlier),
                              a != NULL ? reins_action_get_name (a) : "(no action)", args_line);
      /* What the harness said instead of running the action is no tool result. */
      if (!reins_step_action_ran (earlier))
        g_string_append (text, "Result: (not run)\n");
      else
        g_string_append_printf (text, "Result: %s%s\n", result,
                                reins_step_get_tool_error (earlier) ? " [error]" : "");
    }

  action = reins_step_get_action (step);
  if (phase == REINS_VERDICT_PHASE_BEFORE_ACTION)
    {
      const char *answer = action != NULL ? reins_action_get_string_argument (action, "answer")
                                          : NULL;

      g_string_append_printf (text, "\nProposed final answer (step %u):\n%s\n",
                              reins_step_get_index (step), answer != NULL ? answer : "");
      g_string_append (text, "\nQuestion: Does a tool result above support this answer, and "
                             "which step shows it? Is the task actually done, or is this an "
                             "intermediate result?\n");
    }
  else
    {
      g_autofree char *args = action != NULL ? reins_action_dup_arguments_json (action) : NULL;
      g_autofree char *args_line = one_line (args, 200);
      g_autofree char *result = one_line (reins_step_get_observation (step), CRITIC_RESULT_MAX);

      g_string_append_printf (text, "\nLatest step (step %u): %s %s\nResult: %s%s\n",
                              reins_step_get_index (step),
                              action != NULL ? reins_action_get_name (action) : "(no action)",
                              args_line, result,
                              reins_step_get_tool_error (step) ? " [error]" : "");
      g_string_append (text, "\nQuestion: Is the latest step sound — a correct action for the "
                             "task whose result the agent can build on (not a guessed "
                             "argument, not a detour to something else, not a failure taken "
                             "for success)? Set \"supported\" to that, \"done\" to whether "
                             "the task could be answered now, and \"evidence_step\" to the "
                             "step that shows it.\n");
    }

  reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_USER, text->str));
  return request;
}
