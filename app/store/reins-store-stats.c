/* reins-store-stats.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Figures across the stored runs, for the window's overview: a handful of aggregate
 * queries, each one pass over an indexed table.
 */

#include "config.h"

#include "reins-store-private.h"

#define TOP_N 5

static void
count_clear (gpointer data)
{
  ReinsStoreCount *count = data;

  g_clear_pointer (&count->name, g_free);
}

void
reins_store_overview_free (ReinsStoreOverview *overview)
{
  if (overview == NULL)
    return;
  g_clear_pointer (&overview->guards, g_array_unref);
  g_clear_pointer (&overview->models, g_array_unref);
  g_free (overview);
}

static GArray *
count_array_new (void)
{
  GArray *array = g_array_new (FALSE, TRUE, sizeof (ReinsStoreCount));

  g_array_set_clear_func (array, count_clear);
  return array;
}

/* Reads (name, count) rows into @into. */
static gboolean
read_counts (ReinsStore  *self,
             const char  *sql,
             GArray      *into,
             GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = reins_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, TOP_N);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ReinsStoreCount count = {
        reins_store_column_text (stmt, 0),
        (guint) sqlite3_column_int64 (stmt, 1),
      };

      g_array_append_val (into, count);
    }
  if (rc != SQLITE_DONE)
    return reins_store_set_error (self, rc, error);
  return TRUE;
}

/* The start of @now_us's day in local time, in microseconds. */
static gint64
start_of_day (gint64 now_us)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (now_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) day = NULL;

  if (now == NULL)
    return now_us;
  day = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                               g_date_time_get_day_of_month (now), 0, 0, 0);
  return day != NULL ? g_date_time_to_unix (day) * G_USEC_PER_SEC : now_us;
}

/**
 * reins_store_get_overview:
 * @now_us: the time "today" and "this week" are counted from (g_get_real_time())
 *
 * Runs not deleted: how many started today and in the last 7 days, how they ended, the
 * questions the harness asked a person and how they were decided, the guards that stepped in
 * most (any verdict but allow), runs per provider and model, and their cost.
 *
 * Returns: (transfer full): the figures, or %NULL on a store error
 */
ReinsStoreOverview *
reins_store_get_overview (ReinsStore  *self,
                          gint64       now_us,
                          GError     **error)
{
  g_autoptr(ReinsStoreOverview) overview = g_new0 (ReinsStoreOverview, 1);
  g_autoptr(ReinsStoreStmt) runs = NULL;
  g_autoptr(ReinsStoreStmt) approvals = NULL;
  int rc;

  g_return_val_if_fail (REINS_IS_STORE (self), NULL);

  overview->guards = count_array_new ();
  overview->models = count_array_new ();

  runs = reins_store_prepare (self,
                              "SELECT count (*), "
                              "  coalesce (sum (created_at >= ?1), 0), "
                              "  coalesce (sum (created_at >= ?2), 0), "
                              "  coalesce (sum (status = 'completed'), 0), "
                              "  coalesce (sum (status = 'failed'), 0), "
                              "  coalesce (sum (status = 'cancelled'), 0), "
                              "  coalesce (sum (status = 'terminated'), 0), "
                              "  coalesce (sum (status = 'interrupted'), 0), "
                              "  coalesce (sum (status IN ('running', 'paused', "
                              "                            'awaiting_approval')), 0), "
                              "  total (cost_usd), "
                              "  total (CASE WHEN created_at >= ?2 THEN cost_usd END), "
                              "  total (input_tokens), total (output_tokens) "
                              "FROM runs WHERE deleted = 0",
                              error);
  if (runs == NULL)
    return NULL;
  sqlite3_bind_int64 (runs, 1, start_of_day (now_us));
  sqlite3_bind_int64 (runs, 2, now_us - 7 * G_TIME_SPAN_DAY);
  if ((rc = sqlite3_step (runs)) != SQLITE_ROW)
    {
      reins_store_set_error (self, rc, error);
      return NULL;
    }
  overview->n_runs = sqlite3_column_int64 (runs, 0);
  overview->runs_today = sqlite3_column_int64 (runs, 1);
  overview->runs_week = sqlite3_column_int64 (runs, 2);
  overview->n_completed = sqlite3_column_int64 (runs, 3);
  overview->n_failed = sqlite3_column_int64 (runs, 4);
  overview->n_cancelled = sqlite3_column_int64 (runs, 5);
  overview->n_terminated = sqlite3_column_int64 (runs, 6);
  overview->n_interrupted = sqlite3_column_int64 (runs, 7);
  overview->n_live = sqlite3_column_int64 (runs, 8);
  overview->cost_usd = sqlite3_column_double (runs, 9);
  overview->cost_week_usd = sqlite3_column_double (runs, 10);
  overview->input_tokens = sqlite3_column_double (runs, 11);
  overview->output_tokens = sqlite3_column_double (runs, 12);

  /* Who decided travels in the asked-for action's JSON (reins-store-steps.c): a decision
   * with "decided_by" was an option's or a policy's, not a person's. */
  approvals = reins_store_prepare (self,
                                   "SELECT count (*), "
                                   "  coalesce (sum (decision IS NULL), 0), "
                                   "  coalesce (sum (decision = 'approve' AND NOT auto), 0), "
                                   "  coalesce (sum (decision = 'edit' AND NOT auto), 0), "
                                   "  coalesce (sum (decision = 'reject' AND NOT auto), 0), "
                                   "  coalesce (sum (decision = 'stop' AND NOT auto), 0), "
                                   "  coalesce (sum (decision IS NOT NULL AND auto), 0) "
                                   "FROM (SELECT decision, "
                                   "        instr (coalesce (approvals.action, ''), "
                                   "               '\"decided_by\"') > 0 AS auto "
                                   "      FROM approvals "
                                   "      JOIN steps ON steps.num = approvals.step_num "
                                   "      JOIN runs ON runs.id = steps.run_id "
                                   "      WHERE runs.deleted = 0)",
                                   error);
  if (approvals == NULL)
    return NULL;
  if ((rc = sqlite3_step (approvals)) != SQLITE_ROW)
    {
      reins_store_set_error (self, rc, error);
      return NULL;
    }
  overview->n_questions = sqlite3_column_int64 (approvals, 0);
  overview->n_open = sqlite3_column_int64 (approvals, 1);
  overview->n_approved = sqlite3_column_int64 (approvals, 2);
  overview->n_edited = sqlite3_column_int64 (approvals, 3);
  overview->n_rejected = sqlite3_column_int64 (approvals, 4);
  overview->n_stopped = sqlite3_column_int64 (approvals, 5);
  overview->n_automatic = sqlite3_column_int64 (approvals, 6);

  if (!read_counts (self,
                    "SELECT guard, count (*) AS n FROM verdicts "
                    "JOIN steps ON steps.num = verdicts.step_num "
                    "JOIN runs ON runs.id = steps.run_id "
                    "WHERE runs.deleted = 0 AND verdicts.kind != 'allow' "
                    "GROUP BY guard ORDER BY n DESC, guard LIMIT ?1",
                    overview->guards, error) ||
      !read_counts (self,
                    "SELECT coalesce (provider, '') || ' · ' || coalesce (model, ''), "
                    "  count (*) AS n FROM runs WHERE deleted = 0 "
                    "GROUP BY provider, model ORDER BY n DESC, 1 LIMIT ?1",
                    overview->models, error))
    return NULL;

  return g_steal_pointer (&overview);
}
