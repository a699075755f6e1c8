/* reins-store-pg-steps.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Steps in the PostgreSQL store: writing a step with its verdicts and approvals, reading
 * steps back, deciding an approval once, and the exchanges and compressions of a run.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-store-pg-private.h"

/* Steps */

gboolean
reins_store_pg_write_step (ReinsStore  *self,
                           const char  *run_id,
                           ReinsStep   *step,
                           GError     **error)
{
  g_auto(PgParams) params = PG_PARAMS_INIT;
  g_autoptr(PGresult) result = NULL;
  char *texts[REINS_STORE_STEP_TEXTS] = { NULL, };
  GPtrArray *verdicts = reins_step_get_verdicts (step);
  GPtrArray *approvals = reins_step_get_approvals (step);
  gint64 num;
  reins_store_bind_step (&params.base, run_id, step, texts);
  for (guint j = 0; j < G_N_ELEMENTS (texts); j++)
    g_free (texts[j]);
  result = reins_store_pg_query (self, REINS_STORE_SQL_UPSERT_STEP, &params, error);
  if (result == NULL || !reins_store_pg_result_ok (result))
    return FALSE;
  num = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  reins_store_pg_params_clear (&params);

  params.base.int64 (&params.base, 1, num);
  if (!reins_store_pg_run (self, "DELETE FROM verdicts WHERE step_num = $1", &params, error))
    return FALSE;
  params.base.int64 (&params.base, 2, approvals->len);
  if (!reins_store_pg_run (self, REINS_STORE_SQL_DELETE_APPROVALS_FROM, &params, error))
    return FALSE;

  for (guint i = 0; i < verdicts->len; i++)
    {
      g_autofree char *steps_text = NULL;

      reins_store_pg_params_clear (&params);
      reins_store_bind_verdict (&params.base, num, i, g_ptr_array_index (verdicts, i),
                                &steps_text);
      if (!reins_store_pg_run (self, REINS_STORE_SQL_INSERT_VERDICT, &params, error))
        return FALSE;
    }

  for (guint i = 0; i < approvals->len; i++)
    {
      char *approval_texts[REINS_STORE_APPROVAL_TEXTS] = { NULL, };

      reins_store_pg_params_clear (&params);
      reins_store_bind_approval (&params.base, num, i, g_ptr_array_index (approvals, i),
                                 approval_texts);
      for (guint j = 0; j < G_N_ELEMENTS (approval_texts); j++)
        g_free (approval_texts[j]);
      if (!reins_store_pg_run (self, REINS_STORE_SQL_INSERT_APPROVAL, &params, error))
        return FALSE;
    }

  return reins_store_pg_index_row (self, num, run_id, reins_step_get_index (step),
                                   reins_step_get_thought (step),
                                   reins_step_get_observation (step), error);
}

/* The verdicts or approvals of the steps in @by_num (num → step), first column step_num. */
static gboolean
load_children (ReinsStore  *self,
               const char  *sql,
               PgParams    *params,
               GHashTable  *by_num,
               gboolean     approvals,
               GError     **error)
{
  g_autoptr(PGresult) result = reins_store_pg_query (self, sql, params, error);
  PgRow row;

  if (result == NULL || !reins_store_pg_result_ok (result))
    return FALSE;
  reins_store_pg_row_init (&row, result, 1);
  for (int i = 0; i < PQntuples (result); i++)
    {
      gint64 num = g_ascii_strtoll (PQgetvalue (result, i, 0), NULL, 10);
      ReinsStep *step = g_hash_table_lookup (by_num, &num);

      row.base.row = i;
      if (step == NULL)
        continue;
      if (approvals)
        {
          g_autoptr(ReinsApprovalRecord) record = reins_store_approval_from_row (&row.base);

          reins_step_add_approval (step, record);
        }
      else
        {
          g_autoptr(ReinsVerdict) verdict = reins_store_verdict_from_row (&row.base);

          reins_step_add_verdict (step, verdict);
        }
    }
  return TRUE;
}

#define STEP_RANGE \
  "SELECT num FROM steps WHERE run_id = $1 AND idx >= $2 ORDER BY idx LIMIT $3"

GPtrArray *
reins_store_pg_get_steps (ReinsStore  *self,
                          const char  *run_id,
                          guint        first,
                          guint        max_steps,
                          GError     **error)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_num = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                        NULL);
  g_auto(PgParams) params = PG_PARAMS_INIT;
  g_autoptr(PGresult) result = NULL;
  PgRow row;
  params.base.text (&params.base, 1, run_id);
  params.base.int64 (&params.base, 2, first);
  if (max_steps > 0)
    params.base.int64 (&params.base, 3, max_steps);
  else
    params.n = 3;
  result = reins_store_pg_query (self,
                                 "SELECT " REINS_STORE_STEP_COLUMNS " FROM steps "
                                 "WHERE run_id = $1 AND idx >= $2 ORDER BY idx LIMIT $3",
                                 &params, error);
  if (result == NULL || !reins_store_pg_result_ok (result))
    return NULL;
  reins_store_pg_row_init (&row, result, 0);
  for (int i = 0; i < PQntuples (result); i++)
    {
      gint64 num;
      ReinsStep *step;

      row.base.row = i;
      step = reins_store_step_from_row (&row.base, &num);
      g_ptr_array_add (steps, step);
      g_hash_table_insert (by_num, g_memdup2 (&num, sizeof num), step);
    }
  if (steps->len == 0)
    return g_steal_pointer (&steps);

  if (!load_children (self,
                      "SELECT step_num, " REINS_STORE_VERDICT_COLUMNS " FROM verdicts "
                      "WHERE step_num IN (" STEP_RANGE ") ORDER BY step_num, ord",
                      &params, by_num, FALSE, error) ||
      !load_children (self,
                      "SELECT step_num, " REINS_STORE_APPROVAL_COLUMNS " FROM approvals "
                      "WHERE step_num IN (" STEP_RANGE ") ORDER BY step_num, ord",
                      &params, by_num, TRUE, error))
    return NULL;
  return g_steal_pointer (&steps);
}

typedef struct
{
  const char          *run_id;
  guint                step;
  guint                ord;
  ReinsApprovalRecord *record;
  gboolean             decided;
} Decide;

static gboolean
decide (ReinsStore  *self,
        gpointer     data,
        GError     **error)
{
  Decide *d = data;
  g_auto(PgParams) params = PG_PARAMS_INIT;
  g_autoptr(PGresult) result = NULL;
  char *texts[REINS_STORE_APPROVAL_TEXTS] = { NULL, };
  gint64 num;

  params.base.text (&params.base, 1, d->run_id);
  params.base.int64 (&params.base, 2, d->step);
  result = reins_store_pg_query (self, REINS_STORE_SQL_STEP_NUM, &params, error);
  if (result == NULL || !reins_store_pg_result_ok (result))
    return FALSE;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND,
                   _("The run “%s” has no step %u"), d->run_id, d->step);
      return FALSE;
    }
  num = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  g_clear_pointer (&result, PQclear);

  reins_store_pg_params_clear (&params);
  reins_store_bind_decision (&params.base, num, d->ord, d->record, texts);
  for (guint j = 0; j < G_N_ELEMENTS (texts); j++)
    g_free (texts[j]);
  result = reins_store_pg_query (self, REINS_STORE_SQL_DECIDE, &params, error);
  if (result == NULL || !reins_store_pg_result_ok (result))
    return FALSE;
  d->decided = g_strcmp0 (PQcmdTuples (result), "0") != 0;
  /* The run's process (and every window) hears of it at once. */
  return !d->decided ||
         reins_store_pg_run (self, "SELECT pg_notify ('reins_runs', '')", NULL, error);
}

int
reins_store_pg_decide_approval (ReinsStore           *self,
                                const char           *run_id,
                                guint                 step,
                                guint                 ord,
                                ReinsApprovalRecord  *record,
                                GError              **error)
{
  Decide d = { run_id, step, ord, record, FALSE };

  if (!reins_store_pg_transaction (self, decide, &d, error))
    return -1;
  return d.decided ? 1 : 0;
}

