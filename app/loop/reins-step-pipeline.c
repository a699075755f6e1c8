/* reins-step-pipeline.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "reins-step-pipeline.h"

/**
 * reins_step_pipeline_run:
 * @from: the first phase to run: a step taken up again after a restart starts at its action
 * @state: handed to each phase
 *
 * Runs the phases of @pipeline from @from, in order, until one ends the step. A phase left
 * %NULL is skipped.
 *
 * Returns: %REINS_STEP_END if a phase ended the step (and the run)
 */
ReinsStepOutcome
reins_step_pipeline_run (const ReinsStepPipeline *pipeline,
                         ReinsStepPhase           from,
                         gpointer                 state)
{
  g_return_val_if_fail (pipeline != NULL, REINS_STEP_END);
  g_return_val_if_fail (from < REINS_STEP_N_PHASES, REINS_STEP_END);

  for (guint phase = from; phase < REINS_STEP_N_PHASES; phase++)
    {
      if (pipeline->phases[phase] == NULL)
        continue;
      if (pipeline->phases[phase] (state) == REINS_STEP_END)
        return REINS_STEP_END;
    }
  return REINS_STEP_CONTINUE;
}

/* The phase's name, for logs and tests. */
const char *
reins_step_phase_to_string (ReinsStepPhase phase)
{
  static const char * const names[] = {
    "prompt", "reply", "judge-action", "act", "judge-observation", "commit",
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (names) == REINS_STEP_N_PHASES);
  g_return_val_if_fail (phase < REINS_STEP_N_PHASES, NULL);
  return names[phase];
}
