/* reins-history-search.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The history's full-text search: words and `tag:` terms, the runs that match them and the
 * step of each run's best hit.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "reins-history-private.h"

#define SEARCH_LIMIT   200

/* `tag:WORD`, `name:TEXT` or `feedback:up|down|any`: what a person wrote, not the index */
static gboolean
is_person_term (const char *token)
{
  const char *prefixes[] = { "tag:", "name:", "feedback:" };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (token, prefixes[i]) && token[strlen (prefixes[i])] != '\0')
      return TRUE;
  return FALSE;
}

/* The runs tagged with every one of @tags (newest first), as a set of ids; %NULL with
 * @error set when the store cannot say. */
static GHashTable *
reins_history_find_tagged (ReinsHistory  *self,
                           GPtrArray     *tags,
                           GPtrArray     *order,
                           GError       **error)
{
  g_autoptr(GHashTable) allowed = NULL;

  for (guint t = 0; t < tags->len; t++)
    {
      const char *term = g_ptr_array_index (tags, t);
      g_auto(GStrv) ids = NULL;

      /* `name:` is part of a person's name for a run, `feedback:` a thumb on a step */
      if (g_str_has_prefix (term, "name:"))
        ids = reins_store_find_named (self->store, term + strlen ("name:"), error);
      else if (g_str_has_prefix (term, "feedback:"))
        ids = reins_store_find_feedback (self->store, term + strlen ("feedback:"), error);
      else
        ids = reins_store_find_labelled (self->store, term + strlen ("tag:"), error);
      g_autoptr(GHashTable) these = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      if (ids == NULL)
        return NULL;
      for (guint i = 0; ids[i] != NULL; i++)
        if (allowed == NULL || g_hash_table_contains (allowed, ids[i]))
          g_hash_table_add (these, g_strdup (ids[i]));
      if (t == 0)
        for (guint i = 0; ids[i] != NULL; i++)
          g_ptr_array_add (order, g_strdup (ids[i]));
      g_clear_pointer (&allowed, g_hash_table_unref);
      allowed = g_steal_pointer (&these);
    }
  return g_steal_pointer (&allowed);
}

/**
 * reins_history_search:
 * @query: (nullable): words for the full-text index, `tag:WORD` for runs a person
 *   tagged so, `name:TEXT` for runs whose name has TEXT and `feedback:up` (`down`, `any`)
 *   for runs with a step a person rated so; %NULL or empty shows the whole history again
 */
void
reins_history_search (ReinsHistory *self,
                      const char   *query)
{
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GHashTable) tagged = NULL;
  g_autoptr(GPtrArray) tags = NULL;
  g_autoptr(GPtrArray) tagged_order = NULL;
  g_autoptr(GString) words = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stripped = NULL;
  g_auto(GStrv) tokens = NULL;

  g_return_if_fail (REINS_IS_HISTORY (self));

  stripped = g_strstrip (g_strdup (query ? query : ""));
  g_free (self->query);
  self->query = g_strdup (stripped);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), query ? query : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), query ? query : "");

  g_hash_table_remove_all (self->hit_steps);
  if (stripped[0] == '\0' || self->store == NULL)
    {
      g_list_store_remove_all (self->results);
      reins_history_show_model (self, G_LIST_MODEL (self->runs));
      return;
    }

  /* `tag:WORD` picks runs by a person's tag; the other words go to the full-text index. */
  tags = g_ptr_array_new_with_free_func (g_free);
  words = g_string_new (NULL);
  tokens = g_strsplit_set (stripped, " \t", -1);
  for (guint i = 0; tokens[i] != NULL; i++)
    {
      if (is_person_term (tokens[i]))
        g_ptr_array_add (tags, g_strdup (tokens[i]));
      else if (tokens[i][0] != '\0')
        g_string_append_printf (words, "%s%s", words->len > 0 ? " " : "", tokens[i]);
    }

  tagged_order = g_ptr_array_new_with_free_func (g_free);
  if (tags->len > 0 &&
      (tagged = reins_history_find_tagged (self, tags, tagged_order, &error)) == NULL)
    {
      g_list_store_remove_all (self->results);
      adw_status_page_set_description (self->no_results_page, error->message);
      reins_history_show_model (self, G_LIST_MODEL (self->results));
      return;
    }

  if (words->len > 0)
    {
      hits = reins_store_search (self->store, words->str, SEARCH_LIMIT, &error);
      if (hits == NULL)
        {
          /* A query the full-text index cannot parse is a typo, not a failure. */
          g_list_store_remove_all (self->results);
          adw_status_page_set_description (self->no_results_page, error->message);
          reins_history_show_model (self, G_LIST_MODEL (self->results));
          return;
        }
    }
  else
    {
      /* Only tags: the tagged runs, newest first, each as if its task matched. */
      hits = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < tagged_order->len; i++)
        if (g_hash_table_contains (tagged, g_ptr_array_index (tagged_order, i)))
          g_ptr_array_add (hits, reins_search_hit_new (g_ptr_array_index (tagged_order, i), 0,
                                                       NULL, NULL));
    }

  /* Several hits may come from one run: show each run once, in the order of its best hit. */
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  found = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < hits->len; i++)
    {
      ReinsSearchHit *hit = g_ptr_array_index (hits, i);
      const char *run_id = reins_search_hit_get_run_id (hit);
      g_autoptr(ReinsRun) run = NULL;
      g_autoptr(GError) run_error = NULL;

      if (run_id == NULL || g_hash_table_contains (seen, run_id))
        continue;
      if (tagged != NULL && !g_hash_table_contains (tagged, run_id))
        continue;
      g_hash_table_add (seen, (gpointer) run_id);

      run = reins_store_get_run (self->store, run_id, &run_error);
      if (run == NULL)
        {
          g_debug ("Search hit in run %s not shown: %s", run_id, run_error->message);
          continue;
        }
      if (self->status_filter != ALL_STATUSES &&
          (int) reins_run_get_status (run) != self->status_filter)
        continue;
      /* The best hit of a run says where to look in it; 0 is its task or answer. */
      g_hash_table_insert (self->hit_steps, g_strdup (run_id),
                           GUINT_TO_POINTER (reins_search_hit_get_step (hit)));
      g_ptr_array_add (found, g_steal_pointer (&run));
    }

  adw_status_page_set_description (self->no_results_page,
                                   _("No run matches your search."));
  g_list_store_splice (self->results, 0, g_list_model_get_n_items (G_LIST_MODEL (self->results)),
                       found->pdata, found->len);
  reins_history_show_model (self, G_LIST_MODEL (self->results));
}
