/* reins-run-overview.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "reins-run-overview.h"

void
reins_run_overview_free (ReinsRunOverview *overview)
{
  if (overview == NULL)
    return;

  g_clear_pointer (&overview->points, g_array_unref);
  g_clear_pointer (&overview->loops, g_array_unref);
  g_clear_pointer (&overview->forks, g_ptr_array_unref);
  g_clear_pointer (&overview->fork_diff, reins_fork_diff_free);
  g_clear_pointer (&overview->feedback, g_ptr_array_unref);
  g_free (overview);
}

/* A fork's steps from the fork point on against its parent's; NULL for a run that is not a
 * fork, or whose parent cannot be read (deleted and purged, say). */
static ReinsForkDiff *
read_fork_diff (ReinsStore   *store,
                const char   *run_id,
                GCancellable *cancellable)
{
  g_autoptr(ReinsRun) run = reins_store_get_run (store, run_id, NULL);
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GPtrArray) parent_steps = NULL;
  const char *parent_id;
  guint from_step;

  if (run == NULL || g_cancellable_is_cancelled (cancellable))
    return NULL;
  parent_id = reins_run_get_parent_run_id (run);
  if (parent_id == NULL || parent_id[0] == '\0')
    return NULL;
  from_step = MAX (reins_run_get_fork_step (run), 1);
  steps = reins_store_get_steps (store, run_id, from_step, 0, NULL);
  parent_steps = reins_store_get_steps (store, parent_id, from_step, 0, NULL);
  if (steps == NULL || parent_steps == NULL)
    return NULL;
  return reins_fork_diff_new (steps, parent_steps, from_step);
}

static gpointer
read_overview (ReinsStore    *store,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(ReinsRunOverview) overview = g_new0 (ReinsRunOverview, 1);
  const char *run_id = data;

  overview->points = reins_store_get_step_points (store, run_id, &overview->loops, error);
  if (overview->points == NULL)
    return NULL;
  overview->forks = reins_store_list_forks (store, run_id, NULL);
  overview->fork_diff = read_fork_diff (store, run_id, cancellable);
  /* The person's ratings: a store without them (or that cannot read them) shows none */
  overview->feedback = reins_store_get_feedback (store, run_id, NULL);
  return g_steal_pointer (&overview);
}

/* Reads the overview of @run_id on @store's worker; @callback runs on the caller's main
 * context. */
void
reins_run_overview_read_async (ReinsStore          *store,
                               const char          *run_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (REINS_IS_STORE (store));
  g_return_if_fail (run_id != NULL);

  reins_store_read_async (store, read_overview, g_strdup (run_id), g_free,
                          (GDestroyNotify) reins_run_overview_free, cancellable, callback,
                          user_data);
}

/* Returns: (transfer full) (nullable): the overview, or NULL with @error set */
ReinsRunOverview *
reins_run_overview_read_finish (GAsyncResult  *result,
                                GError       **error)
{
  return reins_store_read_finish (result, error);
}
