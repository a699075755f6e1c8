/* reins-run-lineage.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where a run comes from and where it went, as a line of links; for a fork, where its steps
 * differ from its parent's (computed on the store's worker, see reins-run-overview.c).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-format.h"
#include "reins-run-lineage.h"

/* Characters of the parent's observation a difference keeps */
#define PARENT_EXCERPT 2000

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

ReinsStepDifference *
reins_step_difference_copy (const ReinsStepDifference *difference)
{
  ReinsStepDifference *copy = g_memdup2 (difference, sizeof *difference);

  copy->parent_action = g_strdup (difference->parent_action);
  copy->parent_observation = g_strdup (difference->parent_observation);
  return copy;
}

void
reins_step_difference_free (ReinsStepDifference *difference)
{
  if (difference == NULL)
    return;
  g_free (difference->parent_action);
  g_free (difference->parent_observation);
  g_free (difference);
}

/* What a fork's @step has that its @parent's (nullable) has not */
static ReinsStepDifference *
step_difference_new (ReinsStep *step,
                     ReinsStep *parent,
                     gboolean   other_action)
{
  ReinsStepDifference *difference = g_new0 (ReinsStepDifference, 1);
  const char *observation = parent != NULL ? reins_step_get_observation (parent) : NULL;

  difference->index = reins_step_get_index (step);
  difference->action = other_action;
  difference->no_parent_step = parent == NULL;
  difference->observation = parent == NULL ||
                            g_strcmp0 (reins_step_get_observation (step), observation) != 0;
  if (parent != NULL && reins_step_get_action (parent) != NULL)
    difference->parent_action = reins_format_action (reins_step_get_action (parent));
  if (observation != NULL)
    difference->parent_observation = reins_format_excerpt (observation, PARENT_EXCERPT, NULL);
  return difference;
}

/**
 * reins_fork_diff_new:
 * @fork_steps: (element-type ReinsStep): a fork's steps (any order; some may be missing)
 * @parent_steps: (element-type ReinsStep): its parent's
 * @from_step: the fork point: steps before it are the parent's own
 *
 * Compares a fork's steps from @from_step on with its parent's at the same index: a step
 * differs when its action (tool and arguments) or its observation is not the parent's, or
 * the parent has no such step.
 *
 * Returns: (transfer full): the steps that differ
 */
ReinsForkDiff *
reins_fork_diff_new (GPtrArray *fork_steps,
                     GPtrArray *parent_steps,
                     guint      from_step)
{
  ReinsForkDiff *diff = g_new0 (ReinsForkDiff, 1);
  g_autoptr(GHashTable) parent_at = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));

  diff->from_step = MAX (from_step, 1);
  diff->steps = g_array_new (FALSE, FALSE, sizeof (guint));
  diff->by_step = g_hash_table_new_full (NULL, NULL, NULL,
                                         (GDestroyNotify) reins_step_difference_free);
  for (guint i = 0; parent_steps != NULL && i < parent_steps->len; i++)
    {
      ReinsStep *step = g_ptr_array_index (parent_steps, i);

      g_hash_table_insert (parent_at, GUINT_TO_POINTER (reins_step_get_index (step)), step);
    }
  for (guint i = 0; fork_steps != NULL && i < fork_steps->len; i++)
    {
      ReinsStep *step = g_ptr_array_index (fork_steps, i);
      guint index = reins_step_get_index (step);
      ReinsStep *parent;
      gboolean other_action;

      if (index < diff->from_step)
        continue;
      parent = g_hash_table_lookup (parent_at, GUINT_TO_POINTER (index));
      other_action = parent == NULL ||
                     !reins_action_equal (reins_step_get_action (step),
                                          reins_step_get_action (parent));
      if (other_action ||
          g_strcmp0 (reins_step_get_observation (step), reins_step_get_observation (parent)) != 0)
        {
          g_array_append_val (order, index);
          if (other_action)
            diff->n_actions++;
          g_hash_table_replace (diff->by_step, GUINT_TO_POINTER (index),
                                step_difference_new (step, parent, other_action));
        }
    }
  g_array_sort (order, compare_uint);
  for (guint i = 0; i < order->len; i++)
    {
      guint index = g_array_index (order, guint, i);

      /* A step stored twice counts once. */
      if (diff->steps->len == 0 || g_array_index (diff->steps, guint, diff->steps->len - 1) != index)
        g_array_append_val (diff->steps, index);
    }
  return diff;
}

void
reins_fork_diff_free (ReinsForkDiff *diff)
{
  if (diff == NULL)
    return;
  g_clear_pointer (&diff->steps, g_array_unref);
  g_clear_pointer (&diff->by_step, g_hash_table_unref);
  g_free (diff);
}

/* "2, 4–6, 9": the steps as ranges. */
static char *
format_steps (GArray *steps)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < steps->len; )
    {
      guint first = g_array_index (steps, guint, i);
      guint last = first;

      while (i + 1 < steps->len && g_array_index (steps, guint, i + 1) == last + 1)
        last = g_array_index (steps, guint, ++i);
      i++;
      if (text->len > 0)
        g_string_append (text, ", ");
      if (last == first)
        g_string_append_printf (text, "%u", first);
      else
        g_string_append_printf (text, "%u–%u", first, last);
    }
  return g_string_free (text, FALSE);
}

/**
 * reins_run_lineage_markup:
 * @run: (nullable): a run
 * @forks: (nullable) (element-type ReinsRun): the runs forked from it
 * @diff: (nullable): for a fork, where its steps differ from its parent's
 * @fork_ids: (out) (optional): the ids of @forks, %NULL when it has none
 *
 * Its parent (a fork's) and its forks, as Pango markup whose links are run ids.
 *
 * Returns: (transfer full): the markup; empty when the run has neither
 */
char *
reins_run_lineage_markup (ReinsRun   *run,
                          GPtrArray            *forks,
                          const ReinsForkDiff  *diff,
                          GStrv                *fork_ids)
{
  g_autoptr(GString) markup = g_string_new (NULL);
  const char *parent = run != NULL ? reins_run_get_parent_run_id (run) : NULL;

  if (fork_ids != NULL)
    *fork_ids = NULL;
  if (parent != NULL && parent[0] != '\0')
    {
      g_autofree char *short_id = g_strndup (parent, 8);
      g_autofree char *link = g_markup_printf_escaped ("<a href=\"%s\">%s</a>", parent, short_id);

      /* Translators: a forked run's origin; the placeholders are a linked run id and a step */
      g_string_append_printf (markup, _("Forked from run %s at step %u."), link,
                              reins_run_get_fork_step (run));
      if (diff != NULL && diff->steps->len == 0)
        {
          g_string_append_c (markup, ' ');
          g_string_append (markup, _("Its steps are the parent’s."));
        }
      else if (diff != NULL)
        {
          g_autofree char *steps = format_steps (diff->steps);
          g_autofree char *escaped = g_markup_escape_text (steps, -1);

          g_string_append_c (markup, ' ');
          /* Translators: where a fork's steps differ from its parent's: a list of steps such
           * as "2, 4–6", then how many of them took another action */
          g_string_append_printf (markup,
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "<b>Differs</b> at step %s (%u with another action).",
                                               "<b>Differs</b> at steps %s (%u with another action).",
                                               diff->steps->len),
                                  escaped, diff->n_actions);
        }
    }
  if (forks != NULL && forks->len > 0)
    {
      g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

      if (markup->len > 0)
        g_string_append_c (markup, ' ');
      g_string_append (markup, _("Forks:"));
      for (guint i = 0; i < forks->len; i++)
        {
          ReinsRun *fork = g_ptr_array_index (forks, i);
          g_autofree char *short_id = g_strndup (reins_run_get_id (fork), 8);
          g_autofree char *link = g_markup_printf_escaped ("<a href=\"%s\">%s</a>",
                                                           reins_run_get_id (fork), short_id);

          /* Translators: one fork of a run: a linked run id and the step it starts from */
          g_string_append_printf (markup, _(" %s (from step %u)"), link,
                                  reins_run_get_fork_step (fork));
          if (i + 1 < forks->len)
            g_string_append_c (markup, ',');
          g_strv_builder_add (ids, reins_run_get_id (fork));
        }
      if (fork_ids != NULL)
        *fork_ids = g_strv_builder_end (ids);
    }

  return g_string_free (g_steal_pointer (&markup), FALSE);
}
