/* reins-guard-confidence.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Low confidence: an action below "confidence_threshold" (default 0.7).
 *
 * Low confidence is one signal, and a person is asked only when a second one agrees: the
 * action changes something (a tool of risk write, network or exec that the policy lets run
 * without asking). A read-only action below the threshold runs, and the verdict says so: its
 * result shows whether it was right, and the loop and the other guards catch what went wrong
 * (a failed lookup, a made-up answer). "confidence_asks": "always" asks about every action
 * below the threshold, as Reins did before.
 *
 * The guard learns from the person within a run: once they approved this guard's question
 * about the same read-only tool three times without changing it, it stops asking about that
 * tool and says so.
 *
 * A confidence that did not come from log-probabilities is not evidence either way, so it
 * never triggers this guard on its own.
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "reins-guard-confidence.h"
#include "reins-run-settings.h"

#define DEFAULT_THRESHOLD REINS_RUN_SETTINGS_DEFAULT_CONFIDENCE_THRESHOLD
#define LEARNED_AFTER     3

struct _ReinsGuardConfidence
{
  GObject parent_instance;
};

static void guard_iface_init (ReinsGuardInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReinsGuardConfidence, reins_guard_confidence, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (REINS_TYPE_GUARD, guard_iface_init))

static const char *
reins_guard_confidence_get_name (ReinsGuard *guard)
{
  return "confidence";
}

/* How many of this guard's questions about @tool the person approved unchanged. */
static guint
approvals_of (GPtrArray  *history,
              const char *tool)
{
  guint count = 0;

  for (guint i = 0; history != NULL && i < history->len; i++)
    {
      GPtrArray *approvals = reins_step_get_approvals (g_ptr_array_index (history, i));

      for (guint k = 0; k < approvals->len; k++)
        {
          ReinsApprovalRecord *record = g_ptr_array_index (approvals, k);
          ReinsAction *action = reins_approval_record_get_action (record);

          if (g_strcmp0 (reins_approval_record_get_guard (record), "confidence") == 0 &&
              reins_approval_record_get_decision (record) == REINS_DECISION_APPROVE &&
              action != NULL && g_strcmp0 (reins_action_get_name (action), tool) == 0)
            count++;
        }
    }
  return count;
}

static ReinsVerdict *
reins_guard_confidence_before_action (ReinsGuard        *guard,
                                      ReinsGuardContext *context,
                                      ReinsStep         *step)
{
  double threshold = reins_settings_get_double (context->settings, "confidence_threshold",
                                                DEFAULT_THRESHOLD);
  gboolean always = g_strcmp0 (reins_settings_get_string (context->settings, "confidence_asks",
                                                          "risky"), "always") == 0;
  ReinsAction *action = reins_step_get_action (step);
  const char *tool;
  double confidence;
  g_autofree char *shown = NULL;
  g_autofree char *reason = NULL;

  if (action == NULL || !reins_step_has_confidence (step))
    return NULL;
  if (reins_step_get_confidence_source (step) == REINS_CONFIDENCE_SOURCE_DEFAULT)
    return NULL;

  confidence = reins_step_get_confidence (step);
  if (confidence >= threshold)
    return NULL;

  /* Shown so that it is visibly below the threshold: 0.699, not a rounded 0.70. */
  {
    int digits = round (confidence * 100) / 100 < threshold ? 2 : 3;

    shown = g_strdup_printf ("%.*f", digits, floor (confidence * pow (10, digits)) / pow (10, digits));
  }
  tool = reins_action_get_name (action);

  /* A tool that does not exist cannot run, whatever a person says: the loop answers with
   * the list of tools, and `loop` catches a model that keeps calling one. */
  if (!context->action_known)
    {
      reason = g_strdup_printf (_("The model’s confidence in this action is %s, below the "
                                  "threshold of %.2f; there is no tool “%s”, so nothing runs "
                                  "and the agent is told which tools there are."),
                                shown, threshold, tool);
      return reins_verdict_new ("confidence", REINS_VERDICT_ALLOW, reason);
    }

  if (context->action_risk == REINS_RISK_READ)
    {
      if (!always)
        {
          reason = g_strdup_printf (_("The model’s confidence in this action is %s, below the "
                                      "threshold of %.2f; it only reads, so it runs without a "
                                      "question, and its result will show whether it was "
                                      "right."), shown, threshold);
          return reins_verdict_new ("confidence", REINS_VERDICT_ALLOW, reason);
        }
      if (approvals_of (context->history, tool) >= LEARNED_AFTER)
        {
          reason = g_strdup_printf (_("The model’s confidence in this action is %s, below the "
                                      "threshold of %.2f; not asking: you approved low-confidence "
                                      "calls of “%s” %u times in this run."),
                                    shown, threshold, tool, LEARNED_AFTER);
          return reins_verdict_new ("confidence", REINS_VERDICT_ALLOW, reason);
        }
    }

  reason = g_strdup_printf (_("The model’s confidence in this action is %s, below the "
                              "threshold of %.2f. Approve it if it looks right; otherwise have "
                              "the agent search for more information, try another approach, "
                              "or end with what it has."), shown, threshold);
  return reins_verdict_new ("confidence", REINS_VERDICT_ASK, reason);
}

static void
guard_iface_init (ReinsGuardInterface *iface)
{
  iface->get_name = reins_guard_confidence_get_name;
  iface->before_action = reins_guard_confidence_before_action;
}

static void
reins_guard_confidence_class_init (ReinsGuardConfidenceClass *klass)
{
}

static void
reins_guard_confidence_init (ReinsGuardConfidence *self)
{
}

ReinsGuard *
reins_guard_confidence_new (void)
{
  return g_object_new (REINS_TYPE_GUARD_CONFIDENCE, NULL);
}
