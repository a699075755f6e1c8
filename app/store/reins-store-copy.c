/* reins-store-copy.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Copying runs from one store to another — a SQLite file to a PostgreSQL database and back —
 * through the public API only, so any two backends work. Idempotent: a run already stored
 * the same in the target is left as it is; one stored differently (more steps, another
 * status) is brought up to date.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-store.h"

static gboolean
same_run (ReinsRun  *a,
          GPtrArray *a_steps,
          ReinsRun  *b,
          GPtrArray *b_steps)
{
  g_autoptr(JsonNode) x = reins_run_to_json (a, a_steps);
  g_autoptr(JsonNode) y = reins_run_to_json (b, b_steps);

  return json_node_equal (x, y);
}

/* The model exchanges, the compressions, the tags, the note, the name and the feedback on
 * steps of @run, which
 * reins_store_commit_steps() does not carry. */
static gboolean
copy_extras (ReinsStore  *from,
             ReinsStore  *to,
             ReinsRun    *run,
             GPtrArray   *steps,
             GError     **error)
{
  const char *id = reins_run_get_id (run);
  guint last = 0;
  guint before;

  for (guint i = 0; i < steps->len; i++)
    last = MAX (last, reins_step_get_index (g_ptr_array_index (steps, i)));

  for (guint step = 0; step <= last; step++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *request = NULL;
      g_autofree char *response = NULL;

      if (!reins_store_get_exchange (from, id, step, &request, &response, &local_error))
        {
          if (g_error_matches (local_error, REINS_ERROR, REINS_ERROR_NOT_FOUND))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!reins_store_add_exchange (to, id, step, request, response, 0, error))
        return FALSE;
    }

  /* Every summary, latest first: each one covers the steps before the next. */
  before = G_MAXUINT;
  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      guint up_to = 0;
      g_autofree char *summary = reins_store_get_compression (from, id, before, &up_to,
                                                              &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (summary == NULL)
        break;
      if (!reins_store_add_compression (to, id, up_to, summary, error))
        return FALSE;
      before = up_to;
    }

  {
    g_autoptr(GError) local_error = NULL;
    g_auto(GStrv) labels = reins_store_get_labels (from, id, error);
    g_autofree char *note = NULL;

    if (labels == NULL)
      return FALSE;
    for (guint i = 0; labels[i] != NULL; i++)
      if (!reins_store_add_label (to, id, labels[i], error))
        return FALSE;
    note = reins_store_get_note (from, id, &local_error);
    if (local_error != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return FALSE;
      }
    if (note != NULL && !reins_store_set_note (to, id, note, error))
      return FALSE;
  }

  /* A person's name for the run and thumbs on its steps */
  {
    g_autoptr(GError) local_error = NULL;
    g_autofree char *name = reins_store_get_name (from, id, &local_error);
    g_autoptr(GPtrArray) feedback = NULL;

    if (local_error != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return FALSE;
      }
    if (name != NULL && !reins_store_set_name (to, id, name, error))
      return FALSE;
    feedback = reins_store_get_feedback (from, id, error);
    if (feedback == NULL)
      return FALSE;
    for (guint i = 0; i < feedback->len; i++)
      {
        ReinsStepFeedback *item = g_ptr_array_index (feedback, i);

        if (!reins_store_set_feedback (to, id, item->step, item->rating, item->comment, error))
          return FALSE;
      }
  }
  return TRUE;
}

/**
 * reins_store_copy:
 * @progress: (nullable): called after each run
 * @n_copied: (out) (optional): the runs written to @to
 * @n_same: (out) (optional): the runs @to already held the same
 *
 * Copies every run of @from that is not deleted — its steps with their verdicts, approvals
 * and critiques, its model exchanges, its compressions, its tags, its note, its name and the
 * feedback on its steps — to @to. Running it again copies
 * nothing more. Each run is one transaction in @to; on an error the runs before it stay
 * copied.
 *
 * Returns: %FALSE with @error set on the first run that could not be read or written
 */
gboolean
reins_store_copy (ReinsStore             *from,
                  ReinsStore             *to,
                  ReinsStoreCopyProgress  progress,
                  gpointer                user_data,
                  guint                  *n_copied,
                  guint                  *n_same,
                  GError                **error)
{
  g_autoptr(GPtrArray) runs = NULL;
  guint copied = 0, same = 0;

  g_return_val_if_fail (REINS_IS_STORE (from), FALSE);
  g_return_val_if_fail (REINS_IS_STORE (to), FALSE);

  if (n_copied != NULL)
    *n_copied = 0;
  if (n_same != NULL)
    *n_same = 0;

  runs = reins_store_list_runs (from, -1, 0, 0, error);
  if (runs == NULL)
    return FALSE;

  /* Oldest first, so a fork is copied after the run it was forked from. */
  for (guint i = runs->len; i-- > 0;)
    {
      ReinsRun *run = g_ptr_array_index (runs, i);
      const char *id = reins_run_get_id (run);
      g_autoptr(GPtrArray) steps = reins_store_get_steps (from, id, 1, 0, error);
      g_autoptr(ReinsRun) there = NULL;
      g_autoptr(GPtrArray) there_steps = NULL;
      gboolean is_same;

      if (steps == NULL)
        return FALSE;
      there = reins_store_get_run (to, id, NULL);
      if (there != NULL)
        there_steps = reins_store_get_steps (to, id, 1, 0, NULL);
      is_same = there_steps != NULL && same_run (run, steps, there, there_steps);

      if (!is_same)
        {
          if (!reins_store_commit_steps (to, run, steps, error))
            return FALSE;
          copied++;
        }
      else
        same++;
      if (!copy_extras (from, to, run, steps, error))
        return FALSE;

      if (progress != NULL)
        progress (runs->len - i, runs->len, run, steps->len, !is_same, user_data);
    }

  if (n_copied != NULL)
    *n_copied = copied;
  if (n_same != NULL)
    *n_same = same;
  return TRUE;
}
