/* reins-run-cost.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "reins-guard.h"
#include "reins-run-cost.h"

/**
 * reins_run_cost_of:
 * @settings: a run's settings; "price_in" and "price_out" are USD per million tokens
 *
 * Returns: the cost in USD of a call with these tokens; 0 without prices
 */
double
reins_run_cost_of (JsonObject *settings,
                   guint64     input_tokens,
                   guint64     output_tokens)
{
  double price_in = reins_settings_get_double (settings, "price_in", 0.0);
  double price_out = reins_settings_get_double (settings, "price_out", 0.0);

  return (input_tokens * price_in + output_tokens * price_out) / 1e6;
}

/**
 * reins_run_cost_add_call:
 * @run: the run the call was made for
 * @step: the step it was made in; what earlier calls of the step cost is kept
 *
 * Adds one model call's tokens and cost to @step and to @run, and sets the step's running
 * total to the run's new cost.
 *
 * Returns: the call's cost in USD
 */
double
reins_run_cost_add_call (ReinsRun  *run,
                         ReinsStep *step,
                         guint64    input_tokens,
                         guint64    output_tokens)
{
  double cost;
  double total;

  g_return_val_if_fail (REINS_IS_RUN (run), 0.0);
  g_return_val_if_fail (REINS_IS_STEP (step), 0.0);

  cost = reins_run_cost_of (reins_run_get_settings (run), input_tokens, output_tokens);
  total = reins_run_get_cost_usd (run) + cost;

  reins_step_set_tokens (step, reins_step_get_input_tokens (step) + input_tokens,
                         reins_step_get_output_tokens (step) + output_tokens);
  reins_step_set_cost (step, reins_step_get_cost_usd (step) + cost, total);
  reins_run_set_cost_usd (run, total);
  reins_run_set_tokens (run, reins_run_get_input_tokens (run) + input_tokens,
                        reins_run_get_output_tokens (run) + output_tokens);
  return cost;
}
