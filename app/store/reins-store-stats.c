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
  g_clear_pointer (&overview->per_model, g_array_unref);
  g_free (overview);
}

static GArray *
count_array_new (void)
{
  GArray *array = g_array_new (FALSE, TRUE, sizeof (ReinsStoreCount));

  g_array_set_clear_func (array, count_clear);
  return array;
}

static void
bind_top_n (ReinsStoreParams *params,
            gpointer          data)
{
  params->int64 (params, 1, TOP_N);
}

static void
read_count (const ReinsStoreRow *row,
            gpointer             data)
{
  ReinsStoreCount count = { row->text (row, 0), (guint) row->int64 (row, 1) };

  if (count.name == NULL)
    count.name = g_strdup ("");
  g_array_append_val ((GArray *) data, count);
}

/* Reads (name, count) rows into @into. */
static gboolean
read_counts (ReinsStore  *self,
             const char  *sql,
             GArray      *into,
             GError     **error)
{
  return reins_store_query (self, sql, bind_top_n, read_count, into, error);
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

typedef struct
{
  ReinsStoreOverview *overview;
  gint64              today;
  gint64              week;
} OverviewQuery;

static void
bind_days (ReinsStoreParams *params,
           gpointer          data)
{
  OverviewQuery *query = data;

  params->int64 (params, 1, query->today);
  params->int64 (params, 2, query->week);
}

static void
read_run_figures (const ReinsStoreRow *row,
                  gpointer             data)
{
  ReinsStoreOverview *overview = ((OverviewQuery *) data)->overview;

  overview->n_runs = row->int64 (row, 0);
  overview->runs_today = row->int64 (row, 1);
  overview->runs_week = row->int64 (row, 2);
  overview->n_completed = row->int64 (row, 3);
  overview->n_failed = row->int64 (row, 4);
  overview->n_cancelled = row->int64 (row, 5);
  overview->n_terminated = row->int64 (row, 6);
  overview->n_interrupted = row->int64 (row, 7);
  overview->n_live = row->int64 (row, 8);
  overview->cost_usd = row->dbl (row, 9);
  overview->cost_week_usd = row->dbl (row, 10);
  overview->input_tokens = row->dbl (row, 11);
  overview->output_tokens = row->dbl (row, 12);
}

static void
read_question_figures (const ReinsStoreRow *row,
                       gpointer             data)
{
  ReinsStoreOverview *overview = data;

  overview->n_questions = row->int64 (row, 0);
  overview->n_open = row->int64 (row, 1);
  overview->n_approved = row->int64 (row, 2);
  overview->n_edited = row->int64 (row, 3);
  overview->n_rejected = row->int64 (row, 4);
  overview->n_stopped = row->int64 (row, 5);
  overview->n_automatic = row->int64 (row, 6);
}

/* Counts the rows where @condition holds, in SQL both backends speak. */
#define COUNT_IF(condition) "coalesce (sum (CASE WHEN " condition " THEN 1 ELSE 0 END), 0)"

static void
model_figures_clear (gpointer data)
{
  ReinsStoreModelFigures *figures = data;

  g_clear_pointer (&figures->provider, g_free);
  g_clear_pointer (&figures->model, g_free);
}

static void
read_model_figures (const ReinsStoreRow *row,
                    gpointer             data)
{
  ReinsStoreModelFigures figures = {
    row->text (row, 0), row->text (row, 1), (guint) row->int64 (row, 2),
    (guint) row->int64 (row, 3), (guint) row->int64 (row, 4), row->dbl (row, 5)
  };

  g_array_append_val ((GArray *) data, figures);
}

typedef struct
{
  ReinsStoreOverview *overview;
  gint64              origin;  /* the first day's midnight */
} DaysQuery;

static void
bind_origin (ReinsStoreParams *params,
             gpointer          data)
{
  params->int64 (params, 1, ((DaysQuery *) data)->origin);
}

/* A row per hour with runs in it: the hour's offset from the first day, and its counts. The
 * hours go to days here, by the local midnights, so a day with a clock change is right. */
static void
read_hour (const ReinsStoreRow *row,
           gpointer             data)
{
  DaysQuery *query = data;
  ReinsStoreDay *days = query->overview->days;
  gint64 start = query->origin + row->int64 (row, 0) * G_TIME_SPAN_HOUR;
  int i = REINS_STORE_OVERVIEW_DAYS - 1;

  while (i > 0 && start < days[i].start_us)
    i--;
  days[i].completed += (guint) row->int64 (row, 1);
  days[i].not_completed += (guint) row->int64 (row, 2);
}

/* Sets the days' midnights, the last one today's; returns the first. */
static gint64
days_init (ReinsStoreDay *days,
           gint64         now_us)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (now_us / G_USEC_PER_SEC);

  for (int i = 0; i < REINS_STORE_OVERVIEW_DAYS; i++)
    {
      g_autoptr(GDateTime) day = NULL;
      g_autoptr(GDateTime) midnight = NULL;

      day = now != NULL ? g_date_time_add_days (now, i - (REINS_STORE_OVERVIEW_DAYS - 1)) : NULL;
      if (day != NULL)
        midnight = g_date_time_new_local (g_date_time_get_year (day),
                                          g_date_time_get_month (day),
                                          g_date_time_get_day_of_month (day), 0, 0, 0);
      days[i].start_us = midnight != NULL
        ? g_date_time_to_unix (midnight) * G_USEC_PER_SEC
        : now_us - (REINS_STORE_OVERVIEW_DAYS - 1 - i) * G_TIME_SPAN_DAY;
    }
  return days[0].start_us;
}

/* How the runs of each of the last days ended (the day they started), and every provider and
 * model's runs, completions, questions and cost. */
static gboolean
read_completion_and_models (ReinsStore          *self,
                            ReinsStoreOverview  *overview,
                            gint64               now_us,
                            GError             **error)
{
  DaysQuery days = { overview, days_init (overview->days, now_us) };

  if (!reins_store_query (self,
                          "SELECT (created_at - $1) / 3600000000 AS hour, "
                          "  " COUNT_IF ("status = 'completed'") ", "
                          "  " COUNT_IF ("status IN ('failed', 'cancelled', 'terminated', "
                                         "'interrupted')") " "
                          "FROM runs WHERE deleted = 0 AND created_at >= $1 "
                          "GROUP BY hour",
                          bind_origin, read_hour, &days, error))
    return FALSE;

  return reins_store_query (self,
                            "SELECT coalesce (provider, ''), coalesce (model, ''), count (*), "
                            "  " COUNT_IF ("status = 'completed'") ", "
                            "  coalesce (sum (asked.n), 0), coalesce (sum (cost_usd), 0) "
                            "FROM runs "
                            "LEFT JOIN (SELECT steps.run_id AS run_id, count (*) AS n "
                            "           FROM approvals "
                            "           JOIN steps ON steps.num = approvals.step_num "
                            "           GROUP BY steps.run_id) AS asked "
                            "  ON asked.run_id = runs.id "
                            "WHERE deleted = 0 "
                            "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2",
                            NULL, read_model_figures, overview->per_model, error);
}

/**
 * reins_store_get_overview:
 * @now_us: the time "today" and "this week" are counted from (g_get_real_time())
 *
 * Runs not deleted: how many started today and in the last 7 days, how they ended, the
 * questions the harness asked a person and how they were decided, the guards that stepped in
 * most (any verdict but allow), runs per provider and model, and their cost; for each of the
 * last %REINS_STORE_OVERVIEW_DAYS days, how many of the runs started that day completed and
 * how many did not; and per provider and model its runs, completions, questions and cost.
 *
 * Returns: (transfer full): the figures, or %NULL on a store error
 */
ReinsStoreOverview *
reins_store_get_overview (ReinsStore  *self,
                          gint64       now_us,
                          GError     **error)
{
  g_autoptr(ReinsStoreOverview) overview = g_new0 (ReinsStoreOverview, 1);
  OverviewQuery query = { overview, start_of_day (now_us), now_us - 7 * G_TIME_SPAN_DAY };

  g_return_val_if_fail (REINS_IS_STORE (self), NULL);

  overview->guards = count_array_new ();
  overview->models = count_array_new ();
  overview->per_model = g_array_new (FALSE, TRUE, sizeof (ReinsStoreModelFigures));
  g_array_set_clear_func (overview->per_model, model_figures_clear);

  if (!reins_store_query (self,
                          "SELECT count (*), "
                          "  " COUNT_IF ("created_at >= $1") ", "
                          "  " COUNT_IF ("created_at >= $2") ", "
                          "  " COUNT_IF ("status = 'completed'") ", "
                          "  " COUNT_IF ("status = 'failed'") ", "
                          "  " COUNT_IF ("status = 'cancelled'") ", "
                          "  " COUNT_IF ("status = 'terminated'") ", "
                          "  " COUNT_IF ("status = 'interrupted'") ", "
                          "  " COUNT_IF ("status IN ('running', 'paused', 'awaiting_approval')")
                          ", "
                          "  coalesce (sum (cost_usd), 0), "
                          "  coalesce (sum (CASE WHEN created_at >= $2 THEN cost_usd END), 0), "
                          "  coalesce (sum (input_tokens), 0), "
                          "  coalesce (sum (output_tokens), 0) "
                          "FROM runs WHERE deleted = 0",
                          bind_days, read_run_figures, &query, error))
    return NULL;

  /* Who decided travels in the asked-for action's JSON (reins-store-steps.c): a decision
   * with "decided_by" was an option's or a policy's, not a person's. */
  if (!reins_store_query (self,
                          "SELECT count (*), "
                          "  " COUNT_IF ("decision IS NULL") ", "
                          "  " COUNT_IF ("decision = 'approve' AND NOT auto") ", "
                          "  " COUNT_IF ("decision = 'edit' AND NOT auto") ", "
                          "  " COUNT_IF ("decision = 'reject' AND NOT auto") ", "
                          "  " COUNT_IF ("decision = 'stop' AND NOT auto") ", "
                          "  " COUNT_IF ("decision IS NOT NULL AND auto") " "
                          "FROM (SELECT decision, "
                          "        coalesce (approvals.action, '') LIKE '%\"decided\\_by\"%' "
                          "          ESCAPE '\\' AS auto "
                          "      FROM approvals "
                          "      JOIN steps ON steps.num = approvals.step_num "
                          "      JOIN runs ON runs.id = steps.run_id "
                          "      WHERE runs.deleted = 0) AS asked",
                          NULL, read_question_figures, overview, error))
    return NULL;

  if (!read_counts (self,
                    "SELECT guard, count (*) AS n FROM verdicts "
                    "JOIN steps ON steps.num = verdicts.step_num "
                    "JOIN runs ON runs.id = steps.run_id "
                    "WHERE runs.deleted = 0 AND verdicts.kind != 'allow' "
                    "GROUP BY guard ORDER BY n DESC, guard LIMIT $1",
                    overview->guards, error) ||
      !read_counts (self,
                    "SELECT coalesce (provider, '') || ' · ' || coalesce (model, ''), "
                    "  count (*) AS n FROM runs WHERE deleted = 0 "
                    "GROUP BY provider, model ORDER BY n DESC, 1 LIMIT $1",
                    overview->models, error) ||
      !read_completion_and_models (self, overview, now_us, error))
    return NULL;

  return g_steal_pointer (&overview);
}
