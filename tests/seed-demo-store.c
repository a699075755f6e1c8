/* seed-demo-store.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes a run store with a few plausible runs, for screenshots and trying the window:
 *
 *   seed-demo-store PATH
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>

#include "reins-domain.h"
#include "reins-store.h"

typedef struct
{
  const char *thought;
  const char *action;        /* {"name": …, "arguments": …} */
  const char *observation;
  double      confidence;    /* < 0: none */
  ReinsConfidenceSource source;
  const char *guard;         /* a verdict other than allow, or NULL */
  ReinsVerdictKind kind;
  const char *reason;
  gboolean    tool_error;
} DemoStep;

static void
add_run (ReinsStore     *store,
         const char     *task,
         const char     *provider,
         const char     *model,
         gint64          age_minutes,
         ReinsRunStatus  status,
         const char     *answer,
         const char     *reason,
         const DemoStep *steps,
         guint           n_steps)
{
  g_autoptr(ReinsRun) run = reins_run_new (task);
  g_autoptr(GError) error = NULL;
  gint64 created = g_get_real_time () - age_minutes * G_TIME_SPAN_MINUTE;
  guint64 in_total = 0, out_total = 0;
  double cost_total = 0;
  gboolean priced = g_strcmp0 (provider, "sim") != 0;

  reins_run_set_created_at (run, created);
  reins_run_set_provider (run, provider);
  reins_run_set_model (run, model);
  reins_run_set_status (run, REINS_RUN_STATUS_RUNNING);

  for (guint i = 0; i < n_steps; i++)
    {
      const DemoStep *d = &steps[i];
      g_autoptr(ReinsStep) step = reins_step_new (reins_run_get_id (run), i + 1);
      g_autoptr(ReinsAction) action = reins_action_new_from_string (d->action, &error);
      guint64 in = 600 + 240 * i, out = 40 + 7 * i;
      double cost = priced ? (in * 0.15 + out * 0.6) / 1e6 : 0.0;

      if (action == NULL)
        g_error ("%s", error->message);
      in_total += in;
      out_total += out;
      cost_total += cost;

      reins_step_set_thought (step, d->thought);
      reins_step_set_action (step, action);
      reins_step_set_observation (step, d->observation);
      reins_step_set_tool_error (step, d->tool_error);
      if (d->confidence >= 0)
        reins_step_set_confidence (step, d->confidence, d->source);
      reins_step_set_tokens (step, in, out);
      reins_step_set_cost (step, cost, cost_total);
      reins_step_set_duration_ms (step, 700 + 311 * i);
      reins_step_set_started_at (step, created + i * 3 * G_USEC_PER_SEC);
      if (d->guard != NULL)
        {
          g_autoptr(ReinsVerdict) verdict = reins_verdict_new (d->guard, d->kind, d->reason);
          reins_step_add_verdict (step, verdict);
        }

      reins_run_set_step_count (run, i + 1);
      reins_run_set_tokens (run, in_total, out_total);
      reins_run_set_cost_usd (run, cost_total);
      if (!reins_store_commit_step (store, run, step, &error))
        g_error ("%s", error->message);
    }

  reins_run_set_status (run, status);
  reins_run_set_final_answer (run, answer);
  reins_run_set_reason (run, reason);
  if (reins_run_status_is_final (status))
    reins_run_set_finished_at (run, created + n_steps * 3 * G_USEC_PER_SEC);
  if (!reins_store_update_run (store, run, &error))
    g_error ("%s", error->message);
}

static const DemoStep kb_steps[] = {
  { "The task names the start of a chain. I will look up its first key.",
    "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-4/0\"}}",
    "{\"next\": \"chain-7-4/1-9f2c\"}", 0.93, REINS_CONFIDENCE_SOURCE_LOGPROBS },
  { "The chain continues at chain-7-4/1-9f2c.",
    "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-4/1-9f2c\"}}",
    "{\"next\": \"chain-7-4/2-41d7\"}", 0.91, REINS_CONFIDENCE_SOURCE_LOGPROBS },
  { "Next key: chain-7-4/2-41d7.",
    "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-4/2-41d7\"}}",
    "{\"next\": \"chain-7-4/3-c08e\"}", 0.62, REINS_CONFIDENCE_SOURCE_LOGPROBS,
    "confidence", REINS_VERDICT_ASK,
    "Confidence 0.62 is below the threshold 0.70: a person approved the step." },
  { "One more key before the value.",
    "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-4/3-c08e\"}}",
    "{\"value\": \"amber-falcon\"}", 0.95, REINS_CONFIDENCE_SOURCE_LOGPROBS },
  { "The chain ends with the value amber-falcon.",
    "{\"name\":\"finish\",\"arguments\":{\"answer\":\"amber-falcon\"}}",
    "amber-falcon", 0.97, REINS_CONFIDENCE_SOURCE_LOGPROBS },
};

static const DemoStep notes_steps[] = {
  { "I should see which files the workspace has.",
    "{\"name\":\"list_dir\",\"arguments\":{\"path\":\".\"}}",
    "README.md\nnotes/\nsrc/\n", 0.7, REINS_CONFIDENCE_SOURCE_DEFAULT },
  { "The notes are in notes/. Let me read the to-do list.",
    "{\"name\":\"read_file\",\"arguments\":{\"path\":\"notes/todo.md\"}}",
    "# To do\n\n- [ ] Fix the crash when the store is read-only\n- [x] Add search\n"
    "- [ ] Write the user guide\n- [ ] Price table for new models\n",
    0.7, REINS_CONFIDENCE_SOURCE_DEFAULT },
  { "Let me read the to-do list again to be sure.",
    "{\"name\":\"read_file\",\"arguments\":{\"path\":\"notes/todo.md\"}}",
    "# To do\n\n- [ ] Fix the crash when the store is read-only\n- [x] Add search\n"
    "- [ ] Write the user guide\n- [ ] Price table for new models\n",
    0.7, REINS_CONFIDENCE_SOURCE_DEFAULT,
    "loop", REINS_VERDICT_CORRECT,
    "The same file was read twice with the same result; the agent was told to move on." },
  { "Three items are open. I can answer now.",
    "{\"name\":\"finish\",\"arguments\":{\"answer\":\"Three items are open: the read-only "
    "store crash, the user guide and the price table.\"}}",
    "Three items are open: the read-only store crash, the user guide and the price table.",
    0.7, REINS_CONFIDENCE_SOURCE_DEFAULT },
};

static const DemoStep budget_steps[] = {
  { "I will search every source file for TODO markers.",
    "{\"name\":\"search_files\",\"arguments\":{\"pattern\":\"TODO\",\"path\":\"src\"}}",
    "src/store.c:88:  /* TODO: vacuum */\nsrc/window.c:412:  /* TODO: keyboard */\n",
    0.88, REINS_CONFIDENCE_SOURCE_LOGPROBS },
  { "Let me read src/store.c in full to understand the first one.",
    "{\"name\":\"read_file\",\"arguments\":{\"path\":\"src/store.c\"}}",
    "error: the file is outside the workspace", 0.84, REINS_CONFIDENCE_SOURCE_LOGPROBS,
    "tool_result", REINS_VERDICT_CORRECT,
    "The tool failed; the agent must not carry on as if it had read the file.", TRUE },
  { "I will fetch the upstream version instead.",
    "{\"name\":\"http_get\",\"arguments\":{\"url\":\"https://example.com/src/store.c\"}}",
    "", 0.81, REINS_CONFIDENCE_SOURCE_LOGPROBS,
    "budget", REINS_VERDICT_TERMINATE,
    "The estimated cost reached the budget of $0.01." },
};

static const DemoStep calc_steps[] = {
  { "17 % of 2,340 is a single multiplication.",
    "{\"name\":\"calculator\",\"arguments\":{\"expression\":\"2340 * 0.17\"}}",
    "397.8", -1 },
  { "The result is 397.80 EUR.",
    "{\"name\":\"finish\",\"arguments\":{\"answer\":\"397.80 EUR\"}}",
    "397.80 EUR", -1 },
};

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (argc != 2)
    {
      g_printerr ("Usage: %s PATH\n", argv[0]);
      return 2;
    }

  store = reins_store_open (argv[1], &error);
  if (store == NULL)
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return 4;
    }

  add_run (store, "What is 17 % of 2,340 EUR?", "sim", "sim-1", 60 * 30,
           REINS_RUN_STATUS_COMPLETED, "397.80 EUR", NULL, calc_steps, G_N_ELEMENTS (calc_steps));
  add_run (store, "List the TODO markers in src/ and explain each one", "anthropic",
           "claude-3-5-haiku", 60 * 5, REINS_RUN_STATUS_TERMINATED, NULL,
           "The estimated cost reached the budget of $0.01.", budget_steps,
           G_N_ELEMENTS (budget_steps));
  add_run (store, "Summarise the open items in notes/todo.md", "ollama", "llama3.1:8b", 95,
           REINS_RUN_STATUS_COMPLETED,
           "Three items are open: the read-only store crash, the user guide and the price table.",
           NULL, notes_steps, G_N_ELEMENTS (notes_steps));
  add_run (store, "Follow the knowledge-base chain that starts at chain-7-4/0 and report the "
           "value at its end", "openai", "gpt-4o-mini", 12, REINS_RUN_STATUS_COMPLETED,
           "amber-falcon", NULL, kb_steps, G_N_ELEMENTS (kb_steps));

  return 0;
}
