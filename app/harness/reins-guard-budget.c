/* reins-guard-budget.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The budgets of a run: cost ("budget_usd", default 1.00), tokens ("token_budget", input
 * plus output; 0 or none: unlimited) and wall-clock time ("time_budget_s", from the run's
 * creation to the start of the step; 0 or none: unlimited). A note to the model at 80 % of
 * any of them (once per run), and the run ends before a model call that would certainly go
 * over the cost or token budget, not after the money is spent.
 *
 * The time is read from the stored steps (when this step started), never from the clock, so
 * a replay judges as the live run did.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "reins-guard-budget.h"
#include "reins-run-settings.h"

#define DEFAULT_BUDGET_USD REINS_RUN_SETTINGS_DEFAULT_BUDGET_USD
#define NOTE_FRACTION 0.8

struct _ReinsGuardBudget
{
  GObject parent_instance;
};

static void guard_iface_init (ReinsGuardInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReinsGuardBudget, reins_guard_budget, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (REINS_TYPE_GUARD, guard_iface_init))

static const char *
reins_guard_budget_get_name (ReinsGuard *guard)
{
  return "budget";
}

/* The note is given once per run; the history says whether it was, so a resumed run or a
 * replay judges the same way as the live run did. */
static gboolean
note_given (GPtrArray *history)
{
  for (guint i = 0; history != NULL && i < history->len; i++)
    {
      GPtrArray *verdicts = reins_step_get_verdicts (g_ptr_array_index (history, i));

      for (guint j = 0; j < verdicts->len; j++)
        {
          ReinsVerdict *v = g_ptr_array_index (verdicts, j);

          if (g_str_equal (reins_verdict_get_guard (v), "budget") &&
              reins_verdict_get_kind (v) == REINS_VERDICT_CORRECT)
            return TRUE;
        }
    }

  return FALSE;
}

/* Seconds from the run's creation to the start of @step, from stored times only. */
static double
elapsed_s (ReinsGuardContext *context,
           ReinsStep         *step)
{
  gint64 created = context->run != NULL ? reins_run_get_created_at (context->run) : 0;
  gint64 now = reins_step_get_started_at (step);

  if (now <= 0 && context->history != NULL && context->history->len > 0)
    {
      ReinsStep *last = g_ptr_array_index (context->history, context->history->len - 1);

      now = reins_step_get_started_at (last) + reins_step_get_duration_ms (last) * 1000;
    }
  if (created <= 0 || now <= created)
    return 0;
  return (now - created) / 1e6;
}

static ReinsVerdict *
judge_tokens (ReinsGuardContext *context)
{
  gint64 budget = reins_settings_get_int (context->settings, "token_budget", 0);
  guint64 used;
  g_autofree char *reason = NULL;

  if (budget <= 0 || context->run == NULL)
    return NULL;
  used = reins_run_get_input_tokens (context->run) + reins_run_get_output_tokens (context->run);

  if (used >= (guint64) budget)
    {
      reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "The token budget of %" PRId64 " token is "
                                             "used up (%" PRIu64 "). Split the task "
                                             "into smaller ones or raise the budget.",
                                             "The token budget of %" PRId64 " tokens is "
                                             "used up (%" PRIu64 "). Split the task "
                                             "into smaller ones or raise the budget.",
                                             (gulong) budget),
                                budget, used);
      return reins_verdict_new ("budget", REINS_VERDICT_TERMINATE, reason);
    }
  if (used + context->projected_input_tokens > (guint64) budget)
    {
      reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "The next model call would read about %"
                                             PRIu64 " token and take the run over its "
                                             "token budget of %" PRId64 " (%"
                                             PRIu64 " used). It was not made. Split "
                                             "the task or raise the budget.",
                                             "The next model call would read about %"
                                             PRIu64 " tokens and take the run over its "
                                             "token budget of %" PRId64 " (%"
                                             PRIu64 " used). It was not made. Split "
                                             "the task or raise the budget.",
                                             (gulong) context->projected_input_tokens),
                                context->projected_input_tokens, budget, used);
      return reins_verdict_new ("budget", REINS_VERDICT_TERMINATE, reason);
    }
  if (used >= NOTE_FRACTION * budget && !note_given (context->history))
    {
      reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%.0f %% of the token budget of %" PRId64
                                             " token is used. Finish with what you have found "
                                             "as soon as you can.",
                                             "%.0f %% of the token budget of %" PRId64
                                             " tokens is used. Finish with what you have found "
                                             "as soon as you can.",
                                             (gulong) budget),
                                100.0 * used / budget, budget);
      return reins_verdict_new ("budget", REINS_VERDICT_CORRECT, reason);
    }
  return NULL;
}

static ReinsVerdict *
judge_time (ReinsGuardContext *context,
            ReinsStep         *step)
{
  double budget = reins_settings_get_double (context->settings, "time_budget_s", 0);
  double elapsed;
  g_autofree char *reason = NULL;

  if (budget <= 0)
    return NULL;
  elapsed = elapsed_s (context, step);

  if (elapsed >= budget)
    {
      reason = g_strdup_printf (_("The run’s time budget of %.0f s is spent (%.0f s). "
                                  "Split the task into smaller ones or allow more time."),
                                budget, elapsed);
      return reins_verdict_new ("budget", REINS_VERDICT_TERMINATE, reason);
    }
  if (elapsed >= NOTE_FRACTION * budget && !note_given (context->history))
    {
      reason = g_strdup_printf (_("%.0f %% of the run’s time budget of %.0f s is spent. "
                                  "Finish with what you have found as soon as you can."),
                                100.0 * elapsed / budget, budget);
      return reins_verdict_new ("budget", REINS_VERDICT_CORRECT, reason);
    }
  return NULL;
}

static ReinsVerdict *
judge_cost (ReinsGuardContext *context)
{
  double budget = reins_settings_get_double (context->settings, "budget_usd", DEFAULT_BUDGET_USD);
  double spent = context->run != NULL ? reins_run_get_cost_usd (context->run) : 0.0;
  g_autofree char *reason = NULL;

  if (budget <= 0)
    return NULL;

  if (spent >= budget)
    {
      reason = g_strdup_printf (_("The budget of %.2f USD is spent (%.4f USD). "
                                  "Split the task into smaller ones or raise the budget."),
                                budget, spent);
      return reins_verdict_new ("budget", REINS_VERDICT_TERMINATE, reason);
    }

  if (spent + context->projected_cost_usd > budget)
    {
      reason = g_strdup_printf (_("The next model call would cost at least %.4f USD and take "
                                  "the run over its budget of %.2f USD (%.4f USD spent). "
                                  "It was not made. Split the task or raise the budget."),
                                context->projected_cost_usd, budget, spent);
      return reins_verdict_new ("budget", REINS_VERDICT_TERMINATE, reason);
    }

  if (spent >= NOTE_FRACTION * budget && !note_given (context->history))
    {
      reason = g_strdup_printf (_("%.0f %% of the budget of %.2f USD is spent. "
                                  "Finish with what you have found as soon as you can."),
                                100.0 * spent / budget, budget);
      return reins_verdict_new ("budget", REINS_VERDICT_CORRECT, reason);
    }

  return NULL;
}

/* The most severe of the three; the note of the first budget that has one. */
static ReinsVerdict *
reins_guard_budget_before_model (ReinsGuard        *guard,
                                 ReinsGuardContext *context,
                                 ReinsStep         *step)
{
  ReinsVerdict *verdicts[3] = { judge_cost (context), judge_tokens (context),
                                judge_time (context, step) };
  ReinsVerdict *worst = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (verdicts); i++)
    if (verdicts[i] != NULL &&
        (worst == NULL || reins_verdict_get_kind (verdicts[i]) > reins_verdict_get_kind (worst)))
      worst = verdicts[i];

  for (guint i = 0; i < G_N_ELEMENTS (verdicts); i++)
    if (verdicts[i] != worst)
      g_clear_object (&verdicts[i]);

  return worst;
}

static void
guard_iface_init (ReinsGuardInterface *iface)
{
  iface->get_name = reins_guard_budget_get_name;
  iface->before_model = reins_guard_budget_before_model;
}

static void
reins_guard_budget_class_init (ReinsGuardBudgetClass *klass)
{
}

static void
reins_guard_budget_init (ReinsGuardBudget *self)
{
}

ReinsGuard *
reins_guard_budget_new (void)
{
  return g_object_new (REINS_TYPE_GUARD_BUDGET, NULL);
}
