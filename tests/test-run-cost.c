/* test-run-cost.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * reins_run_cost_add_call(): every call of a step adds its tokens and cost to the step and
 * the run; without prices a call costs nothing but its tokens still count.
 */

#include "config.h"

#include <locale.h>

#include "reins-run-cost.h"

static ReinsRun *
run_with_prices (double price_in,
                 double price_out)
{
  ReinsRun *run = reins_run_new ("t");
  g_autoptr(JsonObject) settings = json_object_new ();

  if (price_in >= 0)
    json_object_set_double_member (settings, "price_in", price_in);
  if (price_out >= 0)
    json_object_set_double_member (settings, "price_out", price_out);
  reins_run_set_settings (run, settings);
  return run;
}

static void
test_cost_of (void)
{
  g_autoptr(ReinsRun) run = run_with_prices (3.0, 15.0);
  g_autoptr(ReinsRun) free_run = run_with_prices (-1, -1);

  g_assert_cmpfloat_with_epsilon (reins_run_cost_of (reins_run_get_settings (run), 1000000, 0),
                                  3.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (reins_run_cost_of (reins_run_get_settings (run), 1000, 2000),
                                  0.003 + 0.030, 1e-12);
  g_assert_cmpfloat (reins_run_cost_of (reins_run_get_settings (free_run), 1000, 2000), ==, 0.0);
}

/* Two calls in one step (say a summary, then the step's own), then one in the next. */
static void
test_add_call (void)
{
  g_autoptr(ReinsRun) run = run_with_prices (1.0, 2.0);
  g_autoptr(ReinsStep) first = reins_step_new (reins_run_get_id (run), 1);
  g_autoptr(ReinsStep) second = reins_step_new (reins_run_get_id (run), 2);
  double cost;

  cost = reins_run_cost_add_call (run, first, 1000, 500);
  g_assert_cmpfloat_with_epsilon (cost, 0.002, 1e-12);
  cost = reins_run_cost_add_call (run, first, 2000, 0);
  g_assert_cmpfloat_with_epsilon (cost, 0.002, 1e-12);

  g_assert_cmpuint (reins_step_get_input_tokens (first), ==, 3000);
  g_assert_cmpuint (reins_step_get_output_tokens (first), ==, 500);
  g_assert_cmpfloat_with_epsilon (reins_step_get_cost_usd (first), 0.004, 1e-12);
  g_assert_cmpfloat_with_epsilon (reins_step_get_cost_total_usd (first), 0.004, 1e-12);

  cost = reins_run_cost_add_call (run, second, 0, 1000);
  g_assert_cmpfloat_with_epsilon (cost, 0.002, 1e-12);
  g_assert_cmpuint (reins_step_get_input_tokens (second), ==, 0);
  g_assert_cmpuint (reins_step_get_output_tokens (second), ==, 1000);
  g_assert_cmpfloat_with_epsilon (reins_step_get_cost_usd (second), 0.002, 1e-12);
  g_assert_cmpfloat_with_epsilon (reins_step_get_cost_total_usd (second), 0.006, 1e-12);

  g_assert_cmpuint (reins_run_get_input_tokens (run), ==, 3000);
  g_assert_cmpuint (reins_run_get_output_tokens (run), ==, 1500);
  g_assert_cmpfloat_with_epsilon (reins_run_get_cost_usd (run), 0.006, 1e-12);
}

/* Without prices the cost stays 0, and the tokens are counted all the same. */
static void
test_add_call_unpriced (void)
{
  g_autoptr(ReinsRun) run = run_with_prices (-1, -1);
  g_autoptr(ReinsStep) step = reins_step_new (reins_run_get_id (run), 1);

  g_assert_cmpfloat (reins_run_cost_add_call (run, step, 700, 300), ==, 0.0);
  g_assert_cmpfloat (reins_step_get_cost_usd (step), ==, 0.0);
  g_assert_cmpfloat (reins_run_get_cost_usd (run), ==, 0.0);
  g_assert_cmpuint (reins_step_get_input_tokens (step), ==, 700);
  g_assert_cmpuint (reins_run_get_output_tokens (run), ==, 300);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/run-cost/cost-of", test_cost_of);
  g_test_add_func ("/run-cost/add-call", test_add_call);
  g_test_add_func ("/run-cost/add-call-unpriced", test_add_call_unpriced);

  return g_test_run ();
}
