/* reins-step-filter.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Which steps of a run the timeline lists. A filter is a name (see reins-step-filter.h), so
 * it can be the state of an action; a name this file does not know is refused, never
 * guessed at.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reins-format.h"
#include "reins-step-filter.h"

#define GUARD_PREFIX "guard:"

/* The guard a "guard:NAME" filter names, or NULL. */
static const char *
filter_guard (const char *filter)
{
  const char *name;

  if (filter == NULL || !g_str_has_prefix (filter, GUARD_PREFIX))
    return NULL;
  name = filter + strlen (GUARD_PREFIX);
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
      return NULL;
  return name[0] != '\0' ? name : NULL;
}

/**
 * reins_step_filter_is_valid:
 *
 * Returns: whether @filter names a filter: "all", "decisions", "failures",
 *   "low-confidence" or "guard:NAME" with NAME a guard's id
 */
gboolean
reins_step_filter_is_valid (const char *filter)
{
  if (filter == NULL)
    return FALSE;
  return g_str_equal (filter, REINS_STEP_FILTER_ALL) || g_str_equal (filter, "decisions") ||
         g_str_equal (filter, "failures") || g_str_equal (filter, "low-confidence") ||
         filter_guard (filter) != NULL;
}

static gboolean
step_has_verdict (ReinsStep  *step,
                  const char *guard,
                  gboolean    failures_only)
{
  GPtrArray *verdicts = reins_step_get_verdicts (step);

  for (guint i = 0; verdicts != NULL && i < verdicts->len; i++)
    {
      ReinsVerdict *verdict = g_ptr_array_index (verdicts, i);
      ReinsVerdictKind kind = reins_verdict_get_kind (verdict);

      if (kind == REINS_VERDICT_ALLOW)
        continue;
      if (guard != NULL && g_strcmp0 (reins_verdict_get_guard (verdict), guard) != 0)
        continue;
      if (failures_only && kind != REINS_VERDICT_CORRECT && kind != REINS_VERDICT_TERMINATE)
        continue;
      return TRUE;
    }
  return FALSE;
}

/**
 * reins_step_filter_matches:
 * @filter: a filter's name; an unknown one matches nothing
 * @threshold: the run's confidence threshold, for "low-confidence"
 *
 * Returns: whether the timeline lists @step under @filter
 */
gboolean
reins_step_filter_matches (const char *filter,
                           ReinsStep  *step,
                           double      threshold)
{
  ReinsAction *action;
  GPtrArray *approvals;

  g_return_val_if_fail (REINS_IS_STEP (step), FALSE);

  if (g_strcmp0 (filter, REINS_STEP_FILTER_ALL) == 0)
    return TRUE;

  if (g_strcmp0 (filter, "decisions") == 0)
    {
      action = reins_step_get_action (step);
      approvals = reins_step_get_approvals (step);
      return (approvals != NULL && approvals->len > 0) ||
             (action != NULL && g_strcmp0 (reins_action_get_name (action), "ask_human") == 0);
    }

  if (g_strcmp0 (filter, "failures") == 0)
    return reins_step_get_tool_error (step) || step_has_verdict (step, NULL, TRUE);

  if (g_strcmp0 (filter, "low-confidence") == 0)
    /* A default confidence was never measured: it is not low, only unknown. */
    return reins_step_has_confidence (step) &&
           reins_step_get_confidence_source (step) != REINS_CONFIDENCE_SOURCE_DEFAULT &&
           reins_step_get_confidence (step) < threshold;

  if (filter_guard (filter) != NULL)
    return step_has_verdict (step, filter_guard (filter), FALSE);

  return FALSE;
}

/**
 * reins_step_filter_describe:
 *
 * Returns: (transfer full): the filter as a menu shows it, e.g. "Failures" or
 *   "Possible Loop" for "guard:loop"; %NULL for a name that is not a filter
 */
char *
reins_step_filter_describe (const char *filter)
{
  if (!reins_step_filter_is_valid (filter))
    return NULL;
  if (g_str_equal (filter, REINS_STEP_FILTER_ALL))
    return g_strdup (_("All Steps"));
  if (g_str_equal (filter, "decisions"))
    return g_strdup (_("Questions and Decisions"));
  if (g_str_equal (filter, "failures"))
    return g_strdup (_("Failures"));
  if (g_str_equal (filter, "low-confidence"))
    return g_strdup (_("Below the Confidence Threshold"));
  return g_strdup (reins_format_guard_heading (filter_guard (filter)));
}
