/* bench-critic.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The critic measured (issue 11): the offline simulator (88 % single-step accuracy) runs
 * knowledge-base chains of 12 lookups through the real executor with every guard on, and
 * the critic off, judging each finish, or judging every step — the simulator playing the
 * critic too, at its own accuracy. For each person policy it prints right answers, wrong
 * answers, no answer, questions per task, and the critic's calls, tokens and cost per task.
 * Not a test.
 *
 * A second table judges single final answers in the shapes real models got past the
 * deterministic guards (issue 11) — a bare invented word, the same in a sentence, the key
 * of a step in the middle of the chain — next to right answers, after a complete chain:
 * how often the deterministic guards alone, and with the critic, challenge each shape.
 *
 *   bench-critic [TASKS] [CRITIC_ACCURACY]
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "reins-executor.h"
#include "reins-harness.h"
#include "reins-prompt.h"
#include "reins-store.h"

#define CHAIN 12
/* A small model's list prices per million tokens, so costs read as a real run's would. */
#define PRICE_IN 0.15
#define PRICE_OUT 0.60

typedef enum
{
  PERSON_JUDGE,    /* approves what only policy or confidence asks about; rejects the rest */
  PERSON_APPROVE,
  PERSON_REJECT,
} Person;

static const char * const person_names[] = { "judge", "approve", "reject" };
static const char * const modes[] = { "off", "finish", "every" };

typedef struct
{
  Person   person;
  gboolean finished;
  guint    asks;
} State;

static void
approval_cb (ReinsExecutor *executor,
             ReinsApproval *approval,
             State         *state)
{
  ReinsApprovalRecord *record = reins_approval_get_record (approval);
  const char *guard = reins_approval_record_get_guard (record);

  state->asks++;
  if (reins_approval_is_question (approval))
    reins_approval_reject (approval, NULL);
  else if (state->person == PERSON_APPROVE)
    reins_approval_approve (approval, FALSE);
  else if (state->person == PERSON_REJECT)
    reins_approval_reject (approval, NULL);
  else if ((g_str_equal (guard, "policy") || g_str_equal (guard, "confidence")) &&
           strstr (reins_approval_record_get_reason (record), " Also, ") == NULL)
    reins_approval_approve (approval, FALSE);
  else
    reins_approval_reject (approval, reins_approval_record_get_reason (record));
}

static void
finished_cb (ReinsExecutor *executor,
             ReinsRun      *run,
             State         *state)
{
  state->finished = TRUE;
}

/* ---------------------------------------------------------------------------------------
 * Answer shapes
 */

typedef struct
{
  ReinsProvider *critic;
  ReinsRun      *run;
  GPtrArray     *history;
} CriticCall;

/* What the executor's callback does, with the sim as the critic. */
static ReinsCritique *
sim_critic_cb (ReinsGuardContext *context,
               ReinsStep         *step,
               ReinsVerdictPhase  phase,
               gpointer           user_data)
{
  CriticCall *call = user_data;
  g_autoptr(ReinsChatRequest) request = reins_prompt_critic (call->run, call->history, step,
                                                             phase);
  g_autoptr(ReinsChatResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  ReinsCritique *critique = reins_critique_new (phase);

  response = reins_provider_chat (call->critic, request, NULL, NULL, NULL, &error);
  if (response == NULL)
    critique->error = g_strdup (error->message);
  else
    critique->reply = g_strdup (response->text);
  return critique;
}

static const char * const shape_names[] = {
  "right value", "right value in a sentence", "invented word", "invented word in a sentence",
  "mid-chain key", "invented value with digits",
};

static char *
answer_of_shape (guint seed,
                 guint shape)
{
  static const char * const words[] = { "amber", "willow", "harbour", "quartz", "meadow" };
  g_autofree char *value = reins_kb_value (seed, CHAIN);
  const char *word = words[seed % G_N_ELEMENTS (words)];

  switch (shape)
    {
    case 0: return g_strdup (value);
    case 1: return g_strdup_printf ("The value at the end of the chain is %s.", value);
    case 2: return g_strdup (word);
    case 3: return g_strdup_printf ("The value at the end of the chain is %s.", word);
    case 4: return reins_kb_key (seed, CHAIN, CHAIN / 2);
    default: return g_strdup_printf ("bronze-%u", 1000 + seed);
    }
}

static void
bench_shapes (guint  tasks,
              double critic_accuracy)
{
  g_print ("\nFinal answers after a complete chain of %d lookups, %u tasks per shape: how often "
           "they are challenged (correct or ask)\n\n", CHAIN, tasks);
  g_print ("%-30s %16s %20s\n", "answer", "guards alone", "guards + critic");

  for (guint shape = 0; shape < G_N_ELEMENTS (shape_names); shape++)
    {
      guint challenged[2] = { 0, 0 };

      for (guint seed = 1; seed <= tasks; seed++)
        for (guint with_critic = 0; with_critic < 2; with_critic++)
          {
            g_autofree char *task = reins_kb_task (seed, CHAIN);
            g_autofree char *answer = answer_of_shape (seed, shape);
            g_autoptr(ReinsRun) run = reins_run_new (task);
            g_autoptr(GPtrArray) history = g_ptr_array_new_with_free_func (g_object_unref);
            g_autoptr(ReinsHarness) harness = NULL;
            g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("sim");
            g_autoptr(ReinsProvider) critic = NULL;
            g_autoptr(ReinsStep) finish = reins_step_new (reins_run_get_id (run), CHAIN + 1);
            g_autoptr(ReinsAction) action = NULL;
            g_autoptr(ReinsVerdict) verdict = NULL;
            g_autoptr(JsonObject) args = json_object_new ();
            JsonObject *settings = reins_run_get_settings (run);
            ReinsGuardContext context = { 0 };
            CriticCall call;

            json_object_set_string_member (settings, "critic", with_critic ? "finish" : "off");
            for (guint i = 0; i < CHAIN; i++)
              {
                g_autofree char *key = reins_kb_key (seed, CHAIN, i);
                g_autofree char *result = reins_kb_lookup (key);
                g_autoptr(JsonObject) lookup_args = json_object_new ();
                g_autoptr(ReinsAction) lookup = NULL;
                ReinsStep *step = reins_step_new (reins_run_get_id (run), i + 1);

                json_object_set_string_member (lookup_args, "key", key);
                lookup = reins_action_new ("kb_lookup", lookup_args);
                reins_step_set_action (step, lookup);
                reins_step_set_observation (step, result);
                reins_step_set_confidence (step, 0.9, REINS_CONFIDENCE_SOURCE_LOGPROBS);
                g_ptr_array_add (history, step);
              }
            json_object_set_string_member (args, "answer", answer);
            action = reins_action_new ("finish", args);
            reins_step_set_action (finish, action);
            reins_step_set_confidence (finish, 0.9, REINS_CONFIDENCE_SOURCE_LOGPROBS);

            config->seed = seed;
            config->sim_critic_accuracy = critic_accuracy;
            critic = reins_provider_new_for_config (config, NULL);
            call.critic = critic;
            call.run = run;
            call.history = history;

            harness = reins_harness_new_for_settings (settings);
            context.run = run;
            context.history = history;
            context.settings = settings;
            context.action_known = TRUE;
            context.action_risk = REINS_RISK_READ;
            context.critic = sim_critic_cb;
            context.critic_data = &call;
            verdict = reins_harness_evaluate (harness, REINS_VERDICT_PHASE_BEFORE_ACTION, &context,
                                              finish);
            if (verdict != NULL && reins_verdict_get_kind (verdict) >= REINS_VERDICT_CORRECT)
              challenged[with_critic]++;
          }

      g_print ("%-30s %15.0f%% %19.0f%%\n", shape_names[shape], 100.0 * challenged[0] / tasks,
               100.0 * challenged[1] / tasks);
    }
}

int
main (int   argc,
      char *argv[])
{
  guint tasks = argc > 1 ? (guint) atoi (argv[1]) : 100;
  double critic_accuracy = argc > 2 ? g_ascii_strtod (argv[2], NULL) : 0.88;
  g_autofree char *dir = g_dir_make_tmp ("reins-critic-bench-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "runs.db", NULL);
  g_autoptr(ReinsStore) store = NULL;
  gint64 t0 = g_get_monotonic_time ();

  setlocale (LC_ALL, "");
  store = reins_store_open (db, NULL);
  g_assert_nonnull (store);

  g_print ("%u tasks per line: knowledge-base chains of %d lookups, sim accuracy 0.88, "
           "critic accuracy %.2f, max 30 steps, prices %.2f/%.2f USD per M tokens\n\n",
           tasks, CHAIN, critic_accuracy, PRICE_IN, PRICE_OUT);
  g_print ("%-8s %-7s %7s %7s %7s %10s %7s %13s %13s %13s\n", "person", "critic", "right",
           "wrong", "none", "questions", "steps", "critic calls", "critic tokens",
           "critic USD");

  for (guint p = 0; p < G_N_ELEMENTS (person_names); p++)
    for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
      {
        guint right = 0, wrong = 0, none = 0, asks = 0, steps_total = 0, calls = 0;
        guint64 critic_tokens = 0;
        double critic_cost = 0;

        for (guint seed = 1; seed <= tasks; seed++)
          {
            g_autofree char *task = reins_kb_task (seed, CHAIN);
            g_autofree char *value = reins_kb_value (seed, CHAIN);
            g_autoptr(ReinsRun) run = reins_run_new (task);
            g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("sim");
            g_autoptr(ReinsExecutor) executor = NULL;
            g_autoptr(GPtrArray) steps = NULL;
            JsonObject *settings = reins_run_get_settings (run);
            JsonArray *tools = json_array_new ();
            ReinsRun *done;
            State state = { 0 };

            state.person = p;
            config->seed = seed;
            config->sim_accuracy = 0.88;
            json_array_add_string_element (tools, "kb_lookup");
            json_object_set_array_member (settings, "tools", tools);
            json_object_set_string_member (settings, "workspace", dir);
            json_object_set_int_member (settings, "max_steps", 30);
            json_object_set_boolean_member (settings, "stream", FALSE);
            json_object_set_double_member (settings, "price_in", PRICE_IN);
            json_object_set_double_member (settings, "price_out", PRICE_OUT);
            json_object_set_string_member (settings, "critic", modes[m]);
            json_object_set_double_member (settings, "sim_critic_accuracy", critic_accuracy);

            executor = reins_executor_new (run, config, db);
            g_signal_connect (executor, "approval-requested", G_CALLBACK (approval_cb), &state);
            g_signal_connect (executor, "finished", G_CALLBACK (finished_cb), &state);
            reins_executor_start (executor);
            while (!state.finished)
              g_main_context_iteration (NULL, TRUE);
            asks += state.asks;

            done = reins_executor_get_run (executor);
            steps_total += reins_run_get_step_count (done);
            if (reins_run_get_status (done) != REINS_RUN_STATUS_COMPLETED)
              none++;
            else if (g_strcmp0 (reins_run_get_final_answer (done), value) == 0)
              right++;
            else
              wrong++;

            steps = reins_store_get_steps (store, reins_run_get_id (done), 1, 0, NULL);
            for (guint i = 0; steps != NULL && i < steps->len; i++)
              {
                const ReinsCritique *c = reins_step_get_critique (g_ptr_array_index (steps, i));

                if (c == NULL || c->reply == NULL)
                  continue;
                calls++;
                critic_tokens += c->input_tokens + c->output_tokens;
                critic_cost += c->cost_usd;
              }
          }

        g_print ("%-8s %-7s %6.0f%% %6.0f%% %6.0f%% %10.2f %7.1f %13.2f %13.0f %13.6f\n",
                 person_names[p], modes[m], 100.0 * right / tasks, 100.0 * wrong / tasks,
                 100.0 * none / tasks, (double) asks / tasks, (double) steps_total / tasks,
                 (double) calls / tasks, (double) critic_tokens / tasks, critic_cost / tasks);
      }

  bench_shapes (tasks, critic_accuracy);

  g_print ("\n%.1f s\n", (g_get_monotonic_time () - t0) / 1e6);

  g_clear_object (&store);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
    g_unlink (db);
    g_rmdir (dir);
  }
  return 0;
}
