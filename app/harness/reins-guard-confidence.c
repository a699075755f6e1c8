/* reins-guard-confidence.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Low confidence: an action below "confidence_threshold" (default 0.7) needs a person.
 * A confidence that did not come from log-probabilities is not evidence either way, so it
 * never triggers this guard on its own.
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "reins-guard-confidence.h"

#define DEFAULT_THRESHOLD 0.7

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

static ReinsVerdict *
reins_guard_confidence_before_action (ReinsGuard        *guard,
                                      ReinsGuardContext *context,
                                      ReinsStep         *step)
{
  double threshold = reins_settings_get_double (context->settings, "confidence_threshold",
                                                DEFAULT_THRESHOLD);
  double confidence;
  g_autofree char *reason = NULL;

  if (reins_step_get_action (step) == NULL || !reins_step_has_confidence (step))
    return NULL;
  if (reins_step_get_confidence_source (step) == REINS_CONFIDENCE_SOURCE_DEFAULT)
    return NULL;

  confidence = reins_step_get_confidence (step);
  if (confidence >= threshold)
    return NULL;

  /* Shown so that it is visibly below the threshold: 0.699, not a rounded 0.70. */
  {
    int digits = round (confidence * 100) / 100 < threshold ? 2 : 3;
    double shown = floor (confidence * pow (10, digits)) / pow (10, digits);

    reason = g_strdup_printf (_("The model’s confidence in this action is %.*f, below the "
                                "threshold of %.2f. Approve it if it looks right; otherwise have "
                                "the agent search for more information, try another approach, "
                                "or end with what it has."), digits, shown, threshold);
  }
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
