/* reins-guard-budget.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cost budget ("budget_usd", default 1.00): a note to the model at 80 %, and the run
 * ends before a model call that would certainly go over, not after the money is spent.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-guard-budget.h"

#define DEFAULT_BUDGET_USD 1.0
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

static ReinsVerdict *
reins_guard_budget_before_model (ReinsGuard        *guard,
                                 ReinsGuardContext *context,
                                 ReinsStep         *step)
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
