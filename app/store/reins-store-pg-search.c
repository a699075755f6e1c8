/* reins-store-pg-search.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Full-text search in the PostgreSQL store: the search row of a run or step (a tsvector
 * of its plain words), and the query, best first.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-search-hit.h"
#include "reins-store-pg-private.h"

gboolean
reins_store_pg_index_row (ReinsStore  *self,
                          gint64       key,
                          const char  *run_id,
                          guint        step,
                          const char  *first,
                          const char  *second,
                          GError     **error)
{
  g_autofree char *body = reins_store_search_body (first, second);
  g_auto(PgParams) params = PG_PARAMS_INIT;
  params.base.int64 (&params.base, 1, key);
  params.base.text (&params.base, 2, run_id);
  params.base.int64 (&params.base, 3, step);
  params.base.text (&params.base, 4, body);
  reins_store_pg_params_set (&params, 5, reins_store_search_words (body));
  return reins_store_pg_run (self,
                             "INSERT INTO search_text (key, run_id, step, body, words) "
                             "VALUES ($1, $2, $3, $4, to_tsvector ('simple'::regconfig, $5::text)) "
                             "ON CONFLICT (key) DO UPDATE SET body = excluded.body, "
                             "  words = excluded.words, step = excluded.step",
                             &params, error);
}
/* Search: the words of reins_store_tsquery(), best first (ts_rank). */
GPtrArray *
reins_store_pg_search (ReinsStore  *self,
                       const char  *query,
                       guint        limit,
                       GError     **error)
{
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(PgParams) params = PG_PARAMS_INIT;
  g_autoptr(PGresult) result = NULL;
  char *tsquery = reins_store_tsquery (query);

  if (tsquery == NULL)
    return g_steal_pointer (&hits);
  reins_store_pg_params_set (&params, 1, tsquery);
  params.base.int64 (&params.base, 2, limit);
  result = reins_store_pg_query (self,
                                 "SELECT s.run_id, s.step, r.task, "
                                 "  ts_headline ('simple'::regconfig, s.body, q, 'MaxWords=16, "
                                 "MinWords=8, "
                                 "    ShortWord=0, MaxFragments=1, FragmentDelimiter=…, "
                                 "    StartSel=\"\", StopSel=\"\"') "
                                 "FROM search_text s JOIN runs r ON r.id = s.run_id, "
                                 "  to_tsquery ('simple'::regconfig, $1::text) q "
                                 "WHERE s.words @@ q AND r.deleted = 0 "
                                 "ORDER BY ts_rank (s.words, q) DESC, s.key LIMIT $2",
                                 &params, error);
  if (result == NULL || !reins_store_pg_result_ok (result))
    return NULL;
  for (int i = 0; i < PQntuples (result); i++)
    {
      PgRow row;
      g_autofree char *run_id = NULL;
      g_autofree char *task = NULL;
      g_autofree char *snippet = NULL;

      reins_store_pg_row_init (&row, result, 0);
      row.base.row = i;
      run_id = row.base.text (&row.base, 0);
      task = row.base.text (&row.base, 2);
      snippet = row.base.text (&row.base, 3);
      g_ptr_array_add (hits,
                       reins_search_hit_new (run_id,
                                             (guint) CLAMP (row.base.int64 (&row.base, 1),
                                                            0, G_MAXUINT),
                                             task, g_strstrip (snippet)));
    }
  return g_steal_pointer (&hits);
}
