/* bench-thesis.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The thesis Reins is built on, measured: a model with 88 % single-step accuracy finishes
 * 10-step tasks more often inside a loop with a harness than a 94 % model in a linear
 * pipeline. Runs the offline simulator through the real executor on knowledge-base chains
 * of 10 lookups (11 steps with the answer), over many seeds, and prints how often each
 * set-up ends with the right value. Not a test.
 *
 *   bench-thesis [RUNS]
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "reins-executor.h"
#include "reins-harness.h"
#include "reins-store.h"

#define CHAIN 10

typedef struct
{
  const char *name;
  double      accuracy;
  gboolean    harness;     /* every guard on, and a person answering */
  gboolean    linear;      /* one pass, no second chances: any wrong step fails the task */
} Setup;

static const Setup setups[] = {
  { "linear pipeline, 94 % model",        0.94, FALSE, TRUE },
  { "linear pipeline, 88 % model",        0.88, FALSE, TRUE },
  { "loop without harness, 88 % model",   0.88, FALSE, FALSE },
  { "loop with harness, 88 % model",      0.88, TRUE,  FALSE },
  { "loop with harness, 94 % model",      0.94, TRUE,  FALSE },
};

typedef struct
{
  gboolean finished;
  guint    asks;
} State;

/* The person at the screen: approves what policy or a low confidence asks about, unless
 * another guard found something wrong with the step; rejects with the guards' words what the
 * harness caught as a mistake. */
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

/* Whether every model reply of the run was right, from the sim's own record of it. */
static gboolean
all_steps_right (ReinsStore *store,
                 ReinsRun   *run)
{
  for (guint i = 1; i <= reins_run_get_step_count (run); i++)
    {
      g_autofree char *request = NULL;
      g_autofree char *response = NULL;
      g_autoptr(JsonNode) node = NULL;
      JsonObject *sim;

      if (!reins_store_get_exchange (store, reins_run_get_id (run), i, &request, &response, NULL))
        return FALSE;
      node = reins_json_from_string (response, NULL);
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return FALSE;
      sim = json_object_get_object_member (json_node_get_object (node), "sim");
      if (sim == NULL || !json_object_get_boolean_member_with_default (sim, "correct", FALSE))
        return FALSE;
    }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  guint runs = argc > 1 ? (guint) atoi (argv[1]) : 100;
  g_autofree char *dir = g_dir_make_tmp ("reins-thesis-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "runs.db", NULL);
  g_autoptr(ReinsStore) store = NULL;
  gint64 t0 = g_get_monotonic_time ();

  setlocale (LC_ALL, "");
  store = reins_store_open (db, NULL);
  g_assert_nonnull (store);

  g_print ("%u tasks per line: knowledge-base chains of %d lookups (seeds 1–%u)\n\n", runs, CHAIN,
           runs);
  g_print ("%-36s %10s %8s %10s\n", "", "right", "wrong", "no answer");

  for (guint s = 0; s < G_N_ELEMENTS (setups); s++)
    {
      const Setup *setup = &setups[s];
      guint right = 0, wrong = 0, none = 0, asks = 0;

      for (guint seed = 1; seed <= runs; seed++)
        {
          g_autofree char *task = reins_kb_task (seed, CHAIN);
          g_autofree char *value = reins_kb_value (seed, CHAIN);
          g_autoptr(ReinsRun) run = reins_run_new (task);
          g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("sim");
          g_autoptr(ReinsExecutor) executor = NULL;
          JsonObject *settings = reins_run_get_settings (run);
          JsonArray *tools = json_array_new ();
          ReinsRun *done;
          State state = { 0 };

          config->seed = seed;
          config->sim_accuracy = setup->accuracy;
          json_array_add_string_element (tools, "kb_lookup");
          json_object_set_array_member (settings, "tools", tools);
          json_object_set_string_member (settings, "workspace", dir);
          json_object_set_int_member (settings, "max_steps", setup->linear ? CHAIN + 1 : 30);
          json_object_set_boolean_member (settings, "stream", FALSE);
          if (!setup->harness)
            {
              JsonArray *off = json_array_new ();

              for (guint g = 0; reins_harness_guard_names[g] != NULL; g++)
                if (!g_str_equal (reins_harness_guard_names[g], "max_steps"))
                  json_array_add_string_element (off, reins_harness_guard_names[g]);
              json_object_set_array_member (settings, "disabled_guards", off);
              json_object_set_int_member (settings, "goal_every", 0);
            }

          executor = reins_executor_new (run, config, db);
          g_signal_connect (executor, "approval-requested", G_CALLBACK (approval_cb), &state);
          g_signal_connect (executor, "finished", G_CALLBACK (finished_cb), &state);
          reins_executor_start (executor);
          while (!state.finished)
            g_main_context_iteration (NULL, TRUE);
          asks += state.asks;

          done = reins_executor_get_run (executor);
          if (reins_run_get_status (done) != REINS_RUN_STATUS_COMPLETED)
            none++;
          else if (g_strcmp0 (reins_run_get_final_answer (done), value) == 0 &&
                   (!setup->linear || all_steps_right (store, done)))
            right++;
          else
            wrong++;
        }

      g_print ("%-36s %9.0f %% %6.0f %% %8.0f %%", setup->name, 100.0 * right / runs,
               100.0 * wrong / runs, 100.0 * none / runs);
      if (setup->harness)
        g_print ("   (%.1f questions to the person per task)", (double) asks / runs);
      g_print ("\n");
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
