/* bench-harness.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Measures the harness's overhead per step with every guard on — the three phases of one
 * step (before the model, before the action, after the observation) judged against a
 * history of realistic steps — at step 10, 100 and 1000, and the built-in embedder's time
 * per action. Prints medians; not a test.
 *
 *   bench-harness [STEPS]
 */

#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include "reins-embedder.h"
#include "reins-harness.h"

#define REPEATS 301

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_double);
  return values->len > 0 ? g_array_index (values, double, values->len / 2) : 0;
}

/* Step @index of a long knowledge-base run: lookups with varied results, now and then a
 * failure, a calculation or a file read, as a real run looks. */
static ReinsStep *
make_step (guint index,
           guint seed)
{
  ReinsStep *step = reins_step_new ("bench", index);
  g_autofree char *key = reins_kb_key (seed + index / 10, 10, index % 10);
  g_autofree char *json = NULL;
  g_autofree char *observation = NULL;
  g_autoptr(ReinsAction) action = NULL;

  switch (index % 7)
    {
    case 3:
      json = g_strdup_printf ("{\"name\":\"calculator\",\"arguments\":{\"expression\":\"%u * 17 + 4\"}}", index);
      observation = g_strdup_printf ("%u", index * 17 + 4);
      break;
    case 5:
      json = g_strdup_printf ("{\"name\":\"read_file\",\"arguments\":{\"path\":\"notes/day-%u.md\"}}", index);
      observation = g_strdup_printf ("# Day %u\n\nMet the team about the release; the build of %u "
                                     "passed; next: write the changelog and tag it.", index, index);
      break;
    default:
      json = g_strdup_printf ("{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"%s\"}}", key);
      observation = reins_kb_lookup (key);
      break;
    }

  action = reins_action_new_from_string (json, NULL);
  reins_step_set_thought (step, "The lookup pointed to the next key; I follow it.");
  reins_step_set_action (step, action);
  reins_step_set_observation (step, observation);
  reins_step_set_tool_error (step, index % 29 == 0);
  reins_step_set_confidence (step, 0.85, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  reins_step_set_tokens (step, 1000, 30);
  reins_step_set_started_at (step, G_GINT64_CONSTANT (1700000000000000) + index * G_USEC_PER_SEC);
  return step;
}

/* Judges one step through its three phases; returns the time in microseconds. */
static double
judge_step (ReinsHarness      *harness,
            ReinsGuardContext *context,
            ReinsStep         *template)
{
  g_autoptr(ReinsStep) step = reins_step_new ("bench", reins_step_get_index (template));
  g_autoptr(ReinsVerdict) v1 = NULL;
  g_autoptr(ReinsVerdict) v2 = NULL;
  g_autoptr(ReinsVerdict) v3 = NULL;
  gint64 t0 = g_get_monotonic_time ();

  reins_step_set_started_at (step, reins_step_get_started_at (template));
  v1 = reins_harness_evaluate (harness, REINS_VERDICT_PHASE_BEFORE_MODEL, context, step);
  reins_step_set_action (step, reins_step_get_action (template));
  reins_step_set_thought (step, reins_step_get_thought (template));
  reins_step_set_confidence (step, 0.85, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  v2 = reins_harness_evaluate (harness, REINS_VERDICT_PHASE_BEFORE_ACTION, context, step);
  reins_step_set_observation (step, reins_step_get_observation (template));
  v3 = reins_harness_evaluate (harness, REINS_VERDICT_PHASE_AFTER_OBSERVATION, context, step);
  return (double) (g_get_monotonic_time () - t0);
}

int
main (int   argc,
      char *argv[])
{
  guint steps = argc > 1 ? (guint) atoi (argv[1]) : 1000;
  g_autofree char *task = reins_kb_task (1, 10);
  g_autoptr(ReinsRun) run = reins_run_new (task);
  g_autoptr(GPtrArray) history = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(ReinsHarness) harness = NULL;
  JsonObject *settings = reins_run_get_settings (run);
  ReinsGuardContext context = { 0 };
  const guint marks[] = { 10, 100, 1000 };

  setlocale (LC_ALL, "");
  if (steps < 10)
    steps = 10;

  /* Every guard on, with limits that do not end the run. */
  json_object_set_int_member (settings, "max_steps", 100000);
  json_object_set_double_member (settings, "budget_usd", 1000.0);
  json_object_set_int_member (settings, "token_budget", G_GINT64_CONSTANT (1000000000));
  json_object_set_double_member (settings, "time_budget_s", 1e9);
  {
    g_autoptr(JsonNode) limits = json_from_string ("{\"*\": {\"per_run\": 100000, \"per_window\": 1000, \"window\": 10}}", NULL);

    json_object_set_member (settings, "rate_limits", json_node_copy (limits));
  }
  reins_run_set_created_at (run, G_GINT64_CONSTANT (1700000000000000));
  harness = reins_harness_new_for_settings (settings);
  g_assert (reins_harness_get_guards (harness)->len == g_strv_length ((char **) reins_harness_guard_names));

  context.run = run;
  context.history = history;
  context.settings = settings;
  context.action_known = TRUE;
  context.action_risk = REINS_RISK_READ;

  g_print ("Harness overhead per step, all %u guards on (median of %u, microseconds):\n",
           reins_harness_get_guards (harness)->len, REPEATS);

  for (guint index = 1; index <= steps; index++)
    {
      g_autoptr(ReinsStep) step = make_step (index, 1);

      for (guint m = 0; m < G_N_ELEMENTS (marks); m++)
        if (index == marks[m] && index <= steps)
          {
            g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

            for (guint r = 0; r < REPEATS; r++)
              {
                double t = judge_step (harness, &context, step);

                g_array_append_val (times, t);
              }
            g_print ("  step %5u: %8.1f µs\n", index, median (times));
          }

      /* The step joins the history as the loop would have stored it. */
      {
        g_autoptr(ReinsVerdict) v = reins_harness_evaluate (harness, REINS_VERDICT_PHASE_AFTER_OBSERVATION,
                                                            &context, step);
      }
      g_ptr_array_add (history, g_steal_pointer (&step));
    }

  /* The embedder alone, on the canonical text of typical actions. */
  {
    g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
    float vector[REINS_EMBEDDER_DIM];
    const guint n = 20000;
    gint64 t0;

    for (guint r = 0; r < 31; r++)
      {
        double t;

        t0 = g_get_monotonic_time ();
        for (guint i = 0; i < n; i++)
          reins_embedder_embed_action (NULL, reins_step_get_action (g_ptr_array_index (history, i % history->len)),
                                       vector);
        t = (double) (g_get_monotonic_time () - t0) / n;
        g_array_append_val (times, t);
      }
    g_print ("Embedder: %.2f µs per action (median of 31 rounds of %u actions)\n",
             median (times), n);
  }

  return EXIT_SUCCESS;
}
