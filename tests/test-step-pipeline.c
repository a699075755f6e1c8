/* test-step-pipeline.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The phases of a step run in their one order, from the phase asked for, until one ends
 * the step.
 */

#include "config.h"

#include "reins-step-pipeline.h"

typedef struct
{
  GString *log;
  int      end_at;   /* the phase that ends the step, or -1 */
} Trace;

static ReinsStepOutcome
record (Trace          *t,
        ReinsStepPhase  phase)
{
  g_string_append_printf (t->log, "%s ", reins_step_phase_to_string (phase));
  return (int) phase == t->end_at ? REINS_STEP_END : REINS_STEP_CONTINUE;
}

#define PHASE(name, phase) \
  static ReinsStepOutcome name (gpointer data) { return record (data, phase); }

PHASE (prompt, REINS_STEP_PHASE_PROMPT)
PHASE (reply, REINS_STEP_PHASE_REPLY)
PHASE (judge_action, REINS_STEP_PHASE_JUDGE_ACTION)
PHASE (act, REINS_STEP_PHASE_ACT)
PHASE (judge_observation, REINS_STEP_PHASE_JUDGE_OBSERVATION)
PHASE (commit, REINS_STEP_PHASE_COMMIT)

static const ReinsStepPipeline pipeline = {
  .phases = { prompt, reply, judge_action, act, judge_observation, commit },
};

static char *
run (ReinsStepPhase     from,
     int                end_at,
     ReinsStepOutcome  *outcome)
{
  Trace t = { g_string_new (NULL), end_at };

  *outcome = reins_step_pipeline_run (&pipeline, from, &t);
  return g_string_free (t.log, FALSE);
}

static void
test_order (void)
{
  ReinsStepOutcome outcome;
  g_autofree char *all = run (REINS_STEP_PHASE_PROMPT, -1, &outcome);
  g_autofree char *reopened = NULL;

  g_assert_cmpstr (all, ==, "prompt reply judge-action act judge-observation commit ");
  g_assert_cmpint (outcome, ==, REINS_STEP_CONTINUE);

  /* A step taken up again after a restart goes on from its action. */
  reopened = run (REINS_STEP_PHASE_ACT, -1, &outcome);
  g_assert_cmpstr (reopened, ==, "act judge-observation commit ");
  g_assert_cmpint (outcome, ==, REINS_STEP_CONTINUE);
}

static void
test_end (void)
{
  ReinsStepOutcome outcome;
  g_autofree char *stopped = run (REINS_STEP_PHASE_PROMPT, REINS_STEP_PHASE_JUDGE_ACTION,
                                  &outcome);
  g_autofree char *last = NULL;

  /* Nothing after the phase that ended it. */
  g_assert_cmpstr (stopped, ==, "prompt reply judge-action ");
  g_assert_cmpint (outcome, ==, REINS_STEP_END);

  last = run (REINS_STEP_PHASE_PROMPT, REINS_STEP_PHASE_COMMIT, &outcome);
  g_assert_cmpstr (last, ==, "prompt reply judge-action act judge-observation commit ");
  g_assert_cmpint (outcome, ==, REINS_STEP_END);
}

static void
test_skips_missing (void)
{
  ReinsStepPipeline partial = { .phases = { [REINS_STEP_PHASE_REPLY] = reply,
                                            [REINS_STEP_PHASE_COMMIT] = commit } };
  Trace t = { g_string_new (NULL), -1 };

  g_assert_cmpint (reins_step_pipeline_run (&partial, REINS_STEP_PHASE_PROMPT, &t), ==,
                   REINS_STEP_CONTINUE);
  g_assert_cmpstr (t.log->str, ==, "reply commit ");
  g_string_free (t.log, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reins/loop/step-pipeline/order", test_order);
  g_test_add_func ("/reins/loop/step-pipeline/end", test_end);
  g_test_add_func ("/reins/loop/step-pipeline/skips-missing", test_skips_missing);

  return g_test_run ();
}
