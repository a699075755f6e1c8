/* reins-guard-nothing-found.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Ends a run honestly after five observations in a row that found nothing ("not found",
 * "no such", "no match", "unknown key"), rather than let the agent guess an answer. The
 * count is taken from the history, this step included, so a resumed run counts the steps
 * it took before.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reins-guard-nothing-found.h"

/* Consecutive "nothing found" observations after which the run ends. */
#define NOTHING_FOUND_LIMIT 5

struct _ReinsGuardNothingFound
{
  GObject parent_instance;
};

static void guard_iface_init (ReinsGuardInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReinsGuardNothingFound, reins_guard_nothing_found,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (REINS_TYPE_GUARD, guard_iface_init))

/**
 * reins_guard_nothing_found_step_matches:
 *
 * Returns: whether @step's observation says that nothing was found; only its first 2000
 *   bytes are read
 */
gboolean
reins_guard_nothing_found_step_matches (ReinsStep *step)
{
  const char *obs = reins_step_get_observation (step);
  g_autofree char *lower = NULL;

  if (obs == NULL)
    return FALSE;
  lower = g_utf8_strdown (obs, MIN (strlen (obs), 2000));
  return strstr (lower, "unknown key") != NULL || strstr (lower, "not found") != NULL ||
         strstr (lower, "no such") != NULL || strstr (lower, "no match") != NULL;
}

static const char *
reins_guard_nothing_found_get_name (ReinsGuard *guard)
{
  return "nothing_found";
}

static ReinsVerdict *
reins_guard_nothing_found_after_observation (ReinsGuard        *guard,
                                             ReinsGuardContext *context,
                                             ReinsStep         *step)
{
  ReinsAction *action = reins_step_get_action (step);
  g_autofree char *reason = NULL;
  guint count;

  /* A `finish` ends the run with its answer anyway. */
  if (action != NULL && g_str_equal (reins_action_get_name (action), "finish") &&
      !reins_step_get_tool_error (step))
    return NULL;
  if (!reins_guard_nothing_found_step_matches (step))
    return NULL;

  count = 1;
  for (guint i = context->history != NULL ? context->history->len : 0;
       i > 0 && count < NOTHING_FOUND_LIMIT; i--)
    {
      if (!reins_guard_nothing_found_step_matches (g_ptr_array_index (context->history, i - 1)))
        break;
      count++;
    }
  if (count < NOTHING_FOUND_LIMIT)
    return NULL;

  reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The last %u step found nothing; the run ends here "
                                         "rather than guess an answer.",
                                         "The last %u steps found nothing; the run ends here "
                                         "rather than guess an answer.",
                                         NOTHING_FOUND_LIMIT),
                            NOTHING_FOUND_LIMIT);
  return reins_verdict_new ("nothing_found", REINS_VERDICT_TERMINATE, reason);
}

static void
guard_iface_init (ReinsGuardInterface *iface)
{
  iface->get_name = reins_guard_nothing_found_get_name;
  iface->after_observation = reins_guard_nothing_found_after_observation;
}

static void
reins_guard_nothing_found_class_init (ReinsGuardNothingFoundClass *klass)
{
}

static void
reins_guard_nothing_found_init (ReinsGuardNothingFound *self)
{
}

ReinsGuard *
reins_guard_nothing_found_new (void)
{
  return g_object_new (REINS_TYPE_GUARD_NOTHING_FOUND, NULL);
}
