/* reins-history-nest.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The history's forks beside their parents, how deep each sits, and the tags and notes its
 * rows show (read when a row first asks).
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "reins-history-private.h"

typedef struct
{
  GStrv  labels;
  char  *note;
  char  *name;
} Annotation;

void
reins_history_annotation_free (gpointer data)
{
  Annotation *annotation = data;

  g_strfreev (annotation->labels);
  g_free (annotation->note);
  g_free (annotation->name);
  g_free (annotation);
}
/* Forks beside their parents: the whole history is kept newest first, except that a fork
 * follows its parent (newest fork first), one level deeper, as soon as the parent is
 * loaded. Only the span that changed is replaced, so the selection and the rows around
 * stay. */
void
reins_history_nest (ReinsHistory *self)
{
  GListModel *model = G_LIST_MODEL (self->runs);
  guint n_items = g_list_model_get_n_items (model);
  g_autoptr(GPtrArray) items = g_ptr_array_new_full (n_items, g_object_unref);
  g_autoptr(GPtrArray) ordered = g_ptr_array_new_full (n_items, NULL);
  g_autoptr(GHashTable) positions = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree GPtrArray **children = NULL;
  g_autofree guint *depth = NULL;
  g_autofree gboolean *placed = NULL;
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint));
  /* Rows read their depth again when a fork was or is nested. */
  gboolean depths_changed = g_hash_table_size (self->depths) > 0;
  guint first = G_MAXUINT, last = 0;

  g_hash_table_remove_all (self->depths);
  if (n_items == 0)
    {
      if (depths_changed)
        reins_history_emit_annotated (self, NULL);
      return;
    }

  children = g_new0 (GPtrArray *, n_items);
  depth = g_new0 (guint, n_items);
  placed = g_new0 (gboolean, n_items);
  for (guint i = 0; i < n_items; i++)
    {
      ReinsRun *run = g_list_model_get_item (model, i);

      g_ptr_array_add (items, run);
      g_hash_table_insert (positions, (gpointer) reins_run_get_id (run), GUINT_TO_POINTER (i + 1));
    }
  for (guint i = 0; i < n_items; i++)
    {
      const char *parent = reins_run_get_parent_run_id (g_ptr_array_index (items, i));
      guint at = parent ? GPOINTER_TO_UINT (g_hash_table_lookup (positions, parent)) : 0;

      if (at != 0 && at - 1 != i)
        {
          if (children[at - 1] == NULL)
            children[at - 1] = g_ptr_array_new ();
          g_ptr_array_add (children[at - 1], GUINT_TO_POINTER (i));
        }
    }

  /* Depth first from each run no loaded run is the parent of; then from whatever a broken
   * chain of parents (a cycle) left, so no run is ever dropped. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint root = 0; root < n_items; root++)
      {
        const char *parent = reins_run_get_parent_run_id (g_ptr_array_index (items, root));

        if (placed[root] ||
            (pass == 0 && parent != NULL && g_hash_table_contains (positions, parent) &&
             g_strcmp0 (parent, reins_run_get_id (g_ptr_array_index (items, root))) != 0))
          continue;

        g_array_append_val (stack, root);
        depth[root] = 0;
        while (stack->len > 0)
          {
            guint i = g_array_index (stack, guint, stack->len - 1);

            g_array_set_size (stack, stack->len - 1);
            if (placed[i])
              continue;
            placed[i] = TRUE;
            g_ptr_array_add (ordered, g_ptr_array_index (items, i));
            /* Pushed in reverse, so the newest fork comes out first. */
            for (guint c = children[i] ? children[i]->len : 0; c > 0; c--)
              {
                guint child = GPOINTER_TO_UINT (g_ptr_array_index (children[i], c - 1));

                if (!placed[child])
                  {
                    depth[child] = depth[i] + 1;
                    g_array_append_val (stack, child);
                  }
              }
          }
      }
  g_assert (ordered->len == n_items);

  for (guint i = 0; i < n_items; i++)
    {
      ReinsRun *run = g_ptr_array_index (items, i);

      if (depth[i] > 0)
        {
          g_hash_table_insert (self->depths, g_strdup (reins_run_get_id (run)),
                               GUINT_TO_POINTER (depth[i]));
          depths_changed = TRUE;
        }
      if (g_ptr_array_index (ordered, i) != (gpointer) run)
        {
          first = MIN (first, i);
          last = i;
        }
      g_clear_pointer (&children[i], g_ptr_array_unref);
    }

  if (first != G_MAXUINT)
    g_list_store_splice (self->runs, first, last - first + 1,
                         &ordered->pdata[first], last - first + 1);
  if (depths_changed || first != G_MAXUINT)
    reins_history_emit_annotated (self, NULL);
}

/* How far under its parent @run sits in the list shown: 0 for a run that is not a fork, and
 * for every run of a search's results (they are not nested). */
guint
reins_history_get_depth (ReinsHistory *self,
                         ReinsRun     *run)
{
  g_return_val_if_fail (REINS_IS_HISTORY (self), 0);
  g_return_val_if_fail (REINS_IS_RUN (run), 0);

  if (reins_history_get_model (self) != G_LIST_MODEL (self->runs))
    return 0;
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->depths, reins_run_get_id (run)));
}

static Annotation *
reins_history_get_annotation (ReinsHistory *self,
                              const char   *run_id)
{
  Annotation *annotation = g_hash_table_lookup (self->annotations, run_id);
  g_autoptr(GError) error = NULL;

  if (annotation != NULL || self->store == NULL)
    return annotation;

  annotation = g_new0 (Annotation, 1);
  annotation->labels = reins_store_get_labels (self->store, run_id, &error);
  if (annotation->labels == NULL)
    {
      g_debug ("Could not read the tags of run %s: %s", run_id, error->message);
      g_clear_error (&error);
    }
  annotation->note = reins_store_get_note (self->store, run_id, &error);
  if (error != NULL)
    g_debug ("Could not read the note of run %s: %s", run_id, error->message);
  g_clear_error (&error);
  annotation->name = reins_store_get_name (self->store, run_id, &error);
  if (error != NULL)
    g_debug ("Could not read the name of run %s: %s", run_id, error->message);
  g_hash_table_insert (self->annotations, g_strdup (run_id), annotation);
  return annotation;
}

/**
 * reins_history_get_labels:
 *
 * Returns: (transfer none) (nullable): the tags a person gave @run_id, in order
 */
const char * const *
reins_history_get_labels (ReinsHistory *self,
                          const char   *run_id)
{
  Annotation *annotation;

  g_return_val_if_fail (REINS_IS_HISTORY (self), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  annotation = reins_history_get_annotation (self, run_id);
  return annotation ? (const char * const *) annotation->labels : NULL;
}

/* The note a person wrote on @run_id, or NULL. */
const char *
reins_history_get_note (ReinsHistory *self,
                        const char   *run_id)
{
  Annotation *annotation;

  g_return_val_if_fail (REINS_IS_HISTORY (self), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  annotation = reins_history_get_annotation (self, run_id);
  return annotation ? annotation->note : NULL;
}

/* The name a person gave @run_id, or NULL. */
const char *
reins_history_get_name (ReinsHistory *self,
                        const char   *run_id)
{
  Annotation *annotation;

  g_return_val_if_fail (REINS_IS_HISTORY (self), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  annotation = reins_history_get_annotation (self, run_id);
  return annotation ? annotation->name : NULL;
}

/**
 * reins_history_annotated:
 * @run_id: (nullable): the run whose tags or note changed, or %NULL for any
 *
 * Reads a run's tags and note again and shows them; a search by tag is run again.
 */
void
reins_history_annotated (ReinsHistory *self,
                         const char   *run_id)
{
  g_return_if_fail (REINS_IS_HISTORY (self));

  if (run_id != NULL)
    g_hash_table_remove (self->annotations, run_id);
  else
    g_hash_table_remove_all (self->annotations);
  reins_history_emit_annotated (self, run_id);

  if (self->query != NULL && (strstr (self->query, "tag:") != NULL ||
                              strstr (self->query, "name:") != NULL ||
                              strstr (self->query, "feedback:") != NULL))
    {
      g_autofree char *query = g_strdup (self->query);
      reins_history_search (self, query);
    }
}
