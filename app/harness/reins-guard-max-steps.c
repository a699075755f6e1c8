/* reins-guard-max-steps.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The last safety net: a run may take at most "max_steps" steps (default 20).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-guard-max-steps.h"
#include "reins-run-settings.h"

#define DEFAULT_MAX_STEPS REINS_RUN_SETTINGS_DEFAULT_MAX_STEPS

struct _ReinsGuardMaxSteps
{
  GObject parent_instance;
};

static void guard_iface_init (ReinsGuardInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReinsGuardMaxSteps, reins_guard_max_steps, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (REINS_TYPE_GUARD, guard_iface_init))

static const char *
reins_guard_max_steps_get_name (ReinsGuard *guard)
{
  return "max_steps";
}

/* Judged after the last allowed step's observation, so no step is spent, or even begun,
 * beyond the limit; a `finish` on the last step still ends the run with its answer. */
static ReinsVerdict *
reins_guard_max_steps_after_observation (ReinsGuard        *guard,
                                         ReinsGuardContext *context,
                                         ReinsStep         *step)
{
  gint64 max_steps = reins_settings_get_int (context->settings, "max_steps", DEFAULT_MAX_STEPS);
  ReinsAction *action = reins_step_get_action (step);
  g_autofree char *reason = NULL;

  if (max_steps <= 0 || reins_step_get_index (step) < (guint64) max_steps)
    return NULL;
  if (action != NULL && g_str_equal (reins_action_get_name (action), "finish") &&
      !reins_step_get_tool_error (step))
    return NULL;

  reason = g_strdup_printf (ngettext ("The run reached its limit of %u step without a final "
                                      "answer. Allow more steps or split the task.",
                                      "The run reached its limit of %u steps without a final "
                                      "answer. Allow more steps or split the task.",
                                      (gulong) max_steps),
                            (guint) max_steps);
  return reins_verdict_new ("max_steps", REINS_VERDICT_TERMINATE, reason);
}

static void
guard_iface_init (ReinsGuardInterface *iface)
{
  iface->get_name = reins_guard_max_steps_get_name;
  iface->after_observation = reins_guard_max_steps_after_observation;
}

static void
reins_guard_max_steps_class_init (ReinsGuardMaxStepsClass *klass)
{
}

static void
reins_guard_max_steps_init (ReinsGuardMaxSteps *self)
{
}

ReinsGuard *
reins_guard_max_steps_new (void)
{
  return g_object_new (REINS_TYPE_GUARD_MAX_STEPS, NULL);
}
