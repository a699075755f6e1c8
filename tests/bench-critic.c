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
 *   bench-critic [TASKS] [CRITIC_ACCURACY]
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "reins-executor.h"
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
