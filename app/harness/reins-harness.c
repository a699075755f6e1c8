/* reins-harness.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-guard-budget.h"
#include "reins-guard-confidence.h"
#include "reins-guard-critic.h"
#include "reins-guard-drift.h"
#include "reins-guard-grounding.h"
#include "reins-guard-loop.h"
#include "reins-guard-max-steps.h"
#include "reins-guard-nothing-found.h"
#include "reins-guard-policy.h"
#include "reins-guard-rate.h"
#include "reins-guard-tool-result.h"
#include "reins-harness.h"

struct _ReinsHarness
{
  GObject    parent_instance;

  GPtrArray *guards;
};

G_DEFINE_FINAL_TYPE (ReinsHarness, reins_harness, G_TYPE_OBJECT)

/* Hard limits first, then what a person must see, then the model's own mistakes; the first
 * guard wins a tie, so its reason is the one shown. The critic comes last: it calls a model,
 * which it skips when a deterministic guard already objects. */
const char * const reins_harness_guard_names[] = {
  "max_steps", "budget", "policy", "rate", "confidence", "tool_result", "grounding", "loop",
  "drift", "nothing_found", "critic", NULL
};

static void
reins_harness_finalize (GObject *object)
{
  ReinsHarness *self = (ReinsHarness *)object;

  g_clear_pointer (&self->guards, g_ptr_array_unref);

  G_OBJECT_CLASS (reins_harness_parent_class)->finalize (object);
}

static void
reins_harness_class_init (ReinsHarnessClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = reins_harness_finalize;
}

static void
reins_harness_init (ReinsHarness *self)
{
  self->guards = g_ptr_array_new_with_free_func (g_object_unref);
}

ReinsHarness *
reins_harness_new (void)
{
  return g_object_new (REINS_TYPE_HARNESS, NULL);
}

/**
 * reins_harness_new_for_settings:
 * @settings: (nullable): the run's settings; "disabled_guards" lists guards to leave out
 *
 * The guards read their parameters from the settings when they judge, so a what-if replay
 * only needs other settings.
 */
ReinsHarness *
reins_harness_new_for_settings (JsonObject *settings)
{
  ReinsHarness *self = reins_harness_new ();

  for (guint i = 0; reins_harness_guard_names[i] != NULL; i++)
    {
      const char *name = reins_harness_guard_names[i];
      g_autoptr(ReinsGuard) guard = NULL;

      if (reins_settings_list_contains (settings, "disabled_guards", name))
        continue;

      if (g_str_equal (name, "max_steps"))
        guard = reins_guard_max_steps_new ();
      else if (g_str_equal (name, "budget"))
        guard = reins_guard_budget_new ();
      else if (g_str_equal (name, "policy"))
        guard = reins_guard_policy_new ();
      else if (g_str_equal (name, "confidence"))
        guard = reins_guard_confidence_new ();
      else if (g_str_equal (name, "rate"))
        guard = reins_guard_rate_new ();
      else if (g_str_equal (name, "tool_result"))
        guard = reins_guard_tool_result_new ();
      else if (g_str_equal (name, "grounding"))
        guard = reins_guard_grounding_new ();
      else if (g_str_equal (name, "loop"))
        guard = reins_guard_loop_new ();
      else if (g_str_equal (name, "drift"))
        guard = reins_guard_drift_new ();
      else if (g_str_equal (name, "nothing_found"))
        guard = reins_guard_nothing_found_new ();
      else if (g_str_equal (name, "critic"))
        guard = reins_guard_critic_new ();
      else
        g_assert_not_reached ();

      reins_harness_add_guard (self, guard);
    }

  return self;
}

void
reins_harness_add_guard (ReinsHarness *self,
                         ReinsGuard   *guard)
{
  g_return_if_fail (REINS_IS_HARNESS (self));
  g_return_if_fail (REINS_IS_GUARD (guard));

  g_ptr_array_add (self->guards, g_object_ref (guard));
}

ReinsGuard *
reins_harness_get_guard (ReinsHarness *self,
                         const char   *name)
{
  g_return_val_if_fail (REINS_IS_HARNESS (self), NULL);

  for (guint i = 0; i < self->guards->len; i++)
    {
      ReinsGuard *guard = g_ptr_array_index (self->guards, i);

      if (g_strcmp0 (reins_guard_get_name (guard), name) == 0)
        return guard;
    }

  return NULL;
}

GPtrArray *
reins_harness_get_guards (ReinsHarness *self)
{
  g_return_val_if_fail (REINS_IS_HARNESS (self), NULL);
  return self->guards;
}

/* A question deferred because another guard corrects the step first: stored as what it
 * was, said to be deferred, so the timeline and a replay see why nobody was asked. */
static ReinsVerdict *
deferred_question (ReinsVerdict *ask,
                   ReinsVerdict *correction)
{
  g_autofree char *reason = g_strdup_printf (_("%s Not asked: %s corrects this step first, "
                                               "so the action does not run."),
                                             reins_verdict_get_reason (ask),
                                             reins_verdict_get_guard (correction));
  guint n_steps = 0;
  const guint *steps = reins_verdict_get_steps (ask, &n_steps);

  return reins_verdict_new_with_steps (reins_verdict_get_guard (ask), REINS_VERDICT_ALLOW,
                                       reason, steps, n_steps);
}

/**
 * reins_harness_evaluate:
 *
 * Runs every guard at @phase and records each verdict (allow included) on @step.
 *
 * The cheap automatic correction comes before a question: when one guard corrects the step,
 * its action does not run, so nobody is asked about it; the questions of the others are
 * recorded as deferred, and a guard that still objects to the next action asks then. So an
 * approval never swallows another guard's correction.
 *
 * Returns: (transfer full) (nullable): the most severe verdict, the first guard winning a
 *   tie; %NULL when every guard allows
 */
ReinsVerdict *
reins_harness_evaluate (ReinsHarness      *self,
                        ReinsVerdictPhase  phase,
                        ReinsGuardContext *context,
                        ReinsStep         *step)
{
  GPtrArray *verdicts = reins_step_get_verdicts (step);
  guint first = verdicts->len;
  ReinsVerdict *worst = NULL;
  ReinsVerdict *correction = NULL;

  g_return_val_if_fail (REINS_IS_HARNESS (self), NULL);
  g_return_val_if_fail (context != NULL, NULL);
  g_return_val_if_fail (REINS_IS_STEP (step), NULL);

  /* Each verdict goes on the step at once: a later guard (the critic) sees what the earlier
   * ones said. */
  for (guint i = 0; i < self->guards->len; i++)
    {
      ReinsGuard *guard = g_ptr_array_index (self->guards, i);
      g_autoptr(ReinsVerdict) verdict = reins_guard_evaluate (guard, phase, context, step);

      if (verdict == NULL)
        continue;

      reins_verdict_set_phase (verdict, phase);
      reins_step_add_verdict (step, verdict);
    }

  verdicts = reins_step_get_verdicts (step);
  for (guint i = first; i < verdicts->len; i++)
    {
      ReinsVerdict *verdict = g_ptr_array_index (verdicts, i);

      if (reins_verdict_get_kind (verdict) == REINS_VERDICT_CORRECT && correction == NULL)
        correction = verdict;
      if (reins_verdict_get_kind (verdict) == REINS_VERDICT_ALLOW)
        continue;
      if (worst == NULL || reins_verdict_get_kind (verdict) > reins_verdict_get_kind (worst))
        worst = verdict;
    }

  if (worst != NULL && reins_verdict_get_kind (worst) == REINS_VERDICT_ASK && correction != NULL)
    {
      for (guint i = first; i < verdicts->len; i++)
        {
          ReinsVerdict *v = g_ptr_array_index (verdicts, i);

          if (reins_verdict_get_kind (v) == REINS_VERDICT_ASK)
            {
              g_autoptr(ReinsVerdict) deferred = deferred_question (v, correction);

              reins_verdict_set_phase (deferred, phase);
              reins_step_replace_verdict (step, i, deferred);
            }
        }
      worst = correction;
    }

  if (worst == NULL)
    return NULL;

  /* A person asked about this step must also hear what else the guards found wrong with it
   * (two questions at once), or approving the one would silently overrule the other. Each
   * verdict stays stored as it was; the returned one (the question's guard and reason)
   * carries the others' reasons after its own. */
  if (reins_verdict_get_kind (worst) == REINS_VERDICT_ASK)
    {
      GString *reason = NULL;

      for (guint i = first; i < verdicts->len; i++)
        {
          ReinsVerdict *v = g_ptr_array_index (verdicts, i);

          if (v == worst || reins_verdict_get_kind (v) < REINS_VERDICT_CORRECT)
            continue;
          if (reason == NULL)
            reason = g_string_new (reins_verdict_get_reason (worst));
          g_string_append_printf (reason, _(" Also, %s: %s"), reins_verdict_get_guard (v),
                                  reins_verdict_get_reason (v));
        }

      if (reason != NULL)
        {
          guint n_steps = 0;
          const guint *steps = reins_verdict_get_steps (worst, &n_steps);
          ReinsVerdict *combined = reins_verdict_new_with_steps (reins_verdict_get_guard (worst),
                                                                 REINS_VERDICT_ASK, reason->str,
                                                                 steps, n_steps);

          reins_verdict_set_phase (combined, phase);
          g_string_free (reason, TRUE);
          return combined;
        }
    }

  return g_object_ref (worst);
}

void
reins_harness_approval_resolved (ReinsHarness        *self,
                                 ReinsGuardContext   *context,
                                 ReinsStep           *step,
                                 ReinsApprovalRecord *record)
{
  g_return_if_fail (REINS_IS_HARNESS (self));

  for (guint i = 0; i < self->guards->len; i++)
    reins_guard_approval_resolved (g_ptr_array_index (self->guards, i), context, step, record);
}
