/* reins-store-pg-runs.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs in the PostgreSQL store: writing a run's row (and committing its steps with it),
 * reading, listing, counting, matching, deleting and purging runs, and listing forks.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-store-pg-private.h"


typedef struct
{
  ReinsRun  *run;
  gboolean   may_update;
  gboolean   may_insert;
  GPtrArray *steps;
} WriteRun;

/* The run's row and its search row, inside the caller's transaction. */
static gboolean
write_run (ReinsStore  *self,
           WriteRun    *w,
           GError     **error)
{
  g_auto(PgParams) params = PG_PARAMS_INIT;
  g_autofree char *settings = NULL;
  g_autoptr(PGresult) result = NULL;
  gint64 num = 0;
  gboolean found = FALSE;
  settings = reins_store_bind_run (&params.base, w->run);
  /* $21: the lease of a live run */
  params.base.int64 (&params.base, 21, g_get_real_time () + reins_store_pg_lease_us ());

  if (w->may_update)
    {
      result = reins_store_pg_query (self,
                                     "UPDATE runs SET task = $1, status = $2, provider = $3, model "
                                     "= $4, "
                                     "  settings = $5, created_at = $6, finished_at = $7, "
                                     "  final_answer = $8, reason = $9, input_tokens = $10, "
                                     "  output_tokens = $11, cost_usd = $12, step_count = $13, "
                                     "  parent_run_id = $14, fork_step = $15, "
                                     "  owner_pid = CASE WHEN $20::int <> 0 THEN $17 ELSE "
                                     "owner_pid END, "
                                     "  owner_start_time = "
                                     "    CASE WHEN $20::int <> 0 THEN $18 ELSE owner_start_time "
                                     "END, "
                                     "  owner_boot_id = "
                                     "    CASE WHEN $20::int <> 0 THEN $19 ELSE owner_boot_id END, "
                                     "  lease_until = CASE WHEN $20::int <> 0 THEN $21::bigint END "
                                     "WHERE id = $16 RETURNING num",
                                     &params, error);
      if (result == NULL || !reins_store_pg_result_ok (result))
        return FALSE;
      if (PQntuples (result) > 0)
        {
          found = TRUE;
          num = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
        }
      g_clear_pointer (&result, PQclear);
    }

  if (!found)
    {
      g_autoptr(GError) local_error = NULL;

      if (!w->may_insert)
        return reins_store_set_not_found (error, reins_run_get_id (w->run));
      result = reins_store_pg_query (self,
                                     "INSERT INTO runs (task, status, provider, model, settings, "
                                     "  created_at, finished_at, final_answer, reason, "
                                     "input_tokens, "
                                     "  output_tokens, cost_usd, step_count, parent_run_id, "
                                     "fork_step, "
                                     "  id, owner_pid, owner_start_time, owner_boot_id, "
                                     "lease_until) "
                                     "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
                                     "$13, "
                                     "  $14, $15, $16, $17, $18, $19, "
                                     "  CASE WHEN $20::int <> 0 THEN $21::bigint END) RETURNING "
                                     "num",
                                     &params, &local_error);
      if (result != NULL &&
          g_strcmp0 (reins_store_pg_result_state (result), PG_UNIQUE_VIOLATION) == 0)
        return reins_store_set_duplicate_run (error, reins_run_get_id (w->run));
      if (result == NULL || !reins_store_pg_result_ok (result))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      num = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
    }

  return reins_store_pg_index_row (self, -num, reins_run_get_id (w->run), 0,
                                   reins_run_get_task (w->run),
                                   reins_run_get_final_answer (w->run), error);
}

static gboolean
write_run_transaction (ReinsStore  *self,
                       gpointer     data,
                       GError     **error)
{
  return write_run (self, data, error);
}

gboolean
reins_store_pg_write_run (ReinsStore  *self,
                          ReinsRun    *run,
                          gboolean     may_update,
                          gboolean     may_insert,
                          GError     **error)
{
  WriteRun w = { run, may_update, may_insert, NULL };

  if (!reins_store_pg_transaction (self, write_run_transaction, &w, error))
    return FALSE;
  reins_store_pg_heartbeat_follow (self, run);
  return TRUE;
}

GStrv
reins_store_pg_match_run_ids (ReinsStore  *self,
                              const char  *prefix,
                              guint        max_matches,
                              GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(PgParams) params = PG_PARAMS_INIT;
  g_autoptr(PGresult) result = NULL;
  params.base.text (&params.base, 1, prefix);
  if (max_matches > 0)
    params.base.int64 (&params.base, 2, max_matches);
  else
    params.n = 2;
  result = reins_store_pg_query (self,
                                 "SELECT id FROM runs WHERE deleted = 0 "
                                 "AND left (id, length ($1::text)) = $1::text ORDER BY id COLLATE "
                                 "\"C\" LIMIT $2",
                                 &params, error);
  if (result == NULL || !reins_store_pg_result_ok (result))
    return NULL;
  for (int i = 0; i < PQntuples (result); i++)
    g_strv_builder_add (builder, PQgetvalue (result, i, 0));
  return g_strv_builder_end (builder);
}

static gboolean
purge (ReinsStore  *self,
       gpointer     data,
       GError     **error)
{
  /* Steps, verdicts, approvals, search rows… cascade from the run. */
  return reins_store_pg_run (self, "DELETE FROM runs WHERE deleted <> 0", NULL, error);
}

gboolean
reins_store_pg_purge_deleted (ReinsStore  *self,
                              GError     **error)
{
  return reins_store_pg_transaction (self, purge, NULL, error);
}

static gboolean
commit_steps (ReinsStore  *self,
              gpointer     data,
              GError     **error)
{
  WriteRun *w = data;

  if (!write_run (self, w, error))
    return FALSE;
  for (guint i = 0; i < w->steps->len; i++)
    if (!reins_store_pg_write_step (self, reins_run_get_id (w->run),
                                    g_ptr_array_index (w->steps, i), error))
      return FALSE;
  return TRUE;
}

gboolean
reins_store_pg_commit_steps (ReinsStore  *self,
                             ReinsRun    *run,
                             GPtrArray   *steps,
                             GError     **error)
{
  WriteRun w = { run, TRUE, TRUE, steps };

  if (!reins_store_pg_transaction (self, commit_steps, &w, error))
    return FALSE;
  reins_store_pg_heartbeat_follow (self, run);
  return TRUE;
}
