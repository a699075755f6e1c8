/* reins-judge.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Workers, each with its own store connection, take pages of runs in turn (a shared page
 * counter), judge each run with reins_replay_run() and add what they saw to a report of
 * their own; the reports are summed when all are done. A run's steps are freed before the
 * next is read, so memory does not grow with the number of runs, only the list of runs that
 * would have been stopped does.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "reins-json-util.h"
#include "reins-judge.h"
#include "reins-replay.h"
#include "reins-store.h"

#define PAGE_SIZE 32

typedef struct
{
  guint steps;
  guint runs;
} Count;

typedef struct
{
  char  *run_id;
  guint  step;
  char  *guard;
  char  *reason;
} Stop;

struct _ReinsJudgeReport
{
  guint       runs;
  guint       steps;
  guint       errors;
  char       *first_error;
  GHashTable *counts;        /* "guard\tkind" → Count */
  guint       questions;
  guint       question_runs;
  guint       flagged_runs;
  GPtrArray  *stopped;       /* (element-type Stop) */
  guint       true_alarms;   /* flagged, failed */
  guint       false_alarms;  /* flagged, succeeded */
  guint       missed;        /* not flagged, failed */
  guint       quiet;         /* not flagged, succeeded */
};

static void
stop_free (Stop *stop)
{
  g_free (stop->run_id);
  g_free (stop->guard);
  g_free (stop->reason);
  g_free (stop);
}

static ReinsJudgeReport *
report_new (void)
{
  ReinsJudgeReport *self = g_new0 (ReinsJudgeReport, 1);

  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->stopped = g_ptr_array_new_with_free_func ((GDestroyNotify) stop_free);
  return self;
}

void
reins_judge_report_free (ReinsJudgeReport *self)
{
  if (self == NULL)
    return;
  g_free (self->first_error);
  g_hash_table_unref (self->counts);
  g_ptr_array_unref (self->stopped);
  g_free (self);
}

static Count *
count_for (ReinsJudgeReport *self,
           const char       *guard,
           ReinsVerdictKind  kind)
{
  g_autofree char *key = g_strdup_printf ("%s\t%s", guard, reins_verdict_kind_to_string (kind));
  Count *count = g_hash_table_lookup (self->counts, key);

  if (count == NULL)
    {
      count = g_new0 (Count, 1);
      g_hash_table_insert (self->counts, g_steal_pointer (&key), count);
    }
  return count;
}

static gboolean
truthy (const char *text,
        gboolean   *value)
{
  static const char * const yes[] = { "true", "yes", "success", "succeeded", "pass", "passed",
                                      "resolved", "correct", "solved", "ok", "completed", "1",
                                      NULL };
  static const char * const no[] = { "false", "no", "failure", "failed", "fail", "error",
                                     "unresolved", "incorrect", "wrong", "unsolved", "0", NULL };

  for (guint i = 0; yes[i] != NULL; i++)
    if (g_ascii_strcasecmp (text, yes[i]) == 0)
      return *value = TRUE, TRUE;
  for (guint i = 0; no[i] != NULL; i++)
    if (g_ascii_strcasecmp (text, no[i]) == 0)
      return *value = FALSE, TRUE;
  return FALSE;
}

/**
 * reins_judge_outcome_of:
 * @labels: (nullable): a run's labels
 *
 * The outcome the labels record: `success` (true/false), `outcome` or `status` (words such
 * as success, passed, failed, error) or `reward` / `score` (at least 0.5 is a success).
 */
ReinsJudgeOutcome
reins_judge_outcome_of (JsonObject *labels)
{
  static const char * const members[] = { "success", "outcome", "resolved", "passed", "reward",
                                          "score", NULL };

  if (labels == NULL)
    return REINS_JUDGE_OUTCOME_UNKNOWN;

  for (guint i = 0; members[i] != NULL; i++)
    {
      JsonNode *node = json_object_get_member (labels, members[i]);
      gboolean success;

      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
        continue;
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_BOOLEAN:
          success = json_node_get_boolean (node);
          break;
        case G_TYPE_INT64:
        case G_TYPE_DOUBLE:
          success = json_node_get_double (node) >= 0.5;
          break;
        case G_TYPE_STRING:
          {
            const char *text = json_node_get_string (node);
            char *end = NULL;
            double number = g_ascii_strtod (text, &end);

            if (end != text && *end == '\0')
              success = number >= 0.5;
            else if (!truthy (text, &success))
              continue;
          }
          break;
        default:
          continue;
        }
      return success ? REINS_JUDGE_OUTCOME_SUCCESS : REINS_JUDGE_OUTCOME_FAILURE;
    }
  return REINS_JUDGE_OUTCOME_UNKNOWN;
}

static JsonObject *
labels_of (ReinsRun *run)
{
  JsonObject *settings = reins_run_get_settings (run);
  JsonNode *node = settings != NULL ? json_object_get_member (settings, "labels") : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static char *
scalar_text (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", json_node_get_double (node)));
      }
    default:
      return NULL;
    }
}

static gboolean
matches (const ReinsJudgeQuery *query,
         ReinsRun              *run)
{
  if (query->label != NULL)
    {
      JsonObject *labels = labels_of (run);
      const char *eq = strchr (query->label, '=');
      g_autofree char *key = eq != NULL ? g_strndup (query->label, eq - query->label)
                                        : g_strdup (query->label);
      g_autofree char *value = NULL;

      if (labels == NULL || !json_object_has_member (labels, key))
        return FALSE;
      value = scalar_text (json_object_get_member (labels, key));
      if (eq != NULL && g_strcmp0 (value, eq + 1) != 0)
        return FALSE;
    }
  if (query->source != NULL)
    {
      JsonObject *settings = reins_run_get_settings (run);
      JsonNode *node = settings != NULL ? json_object_get_member (settings, "source") : NULL;
      JsonObject *source;
      const char *format, *file;
      g_autofree char *base = NULL;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return FALSE;
      source = json_node_get_object (node);
      format = json_object_get_string_member_with_default (source, "format", "");
      file = json_object_get_string_member_with_default (source, "file", "");
      base = g_path_get_basename (file);
      if (g_strcmp0 (format, query->source) != 0 && g_strcmp0 (file, query->source) != 0 &&
          g_strcmp0 (base, query->source) != 0)
        return FALSE;
    }
  return TRUE;
}

static void
judge_one (ReinsJudgeReport      *report,
           const ReinsJudgeQuery *query,
           ReinsStore            *store,
           ReinsRun              *run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GPtrArray) replayed = NULL;
  g_autoptr(JsonObject) settings = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  ReinsJudgeOutcome outcome;
  gboolean flagged = FALSE, asked = FALSE, stopped = FALSE;

  steps = reins_store_get_steps (store, reins_run_get_id (run), 1, 0, &error);
  if (steps != NULL)
    {
      settings = reins_replay_settings_merge (reins_run_get_settings (run), NULL);
      if (query->settings_func == NULL ||
          query->settings_func (settings, query->settings_data, &error))
        replayed = reins_replay_run (run, steps, settings, &error);
    }
  if (replayed == NULL)
    {
      report->errors++;
      if (report->first_error == NULL)
        report->first_error = g_strdup_printf ("%s: %s", reins_run_get_id (run), error->message);
      return;
    }

  report->runs++;
  report->steps += replayed->len;
  for (guint i = 0; i < replayed->len; i++)
    {
      ReinsReplayStep *entry = g_ptr_array_index (replayed, i);
      GPtrArray *verdicts = reins_step_get_verdicts (entry->step);
      gboolean step_asked = FALSE;
      g_autoptr(GHashTable) step_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      for (guint v = 0; v < verdicts->len; v++)
        {
          ReinsVerdict *verdict = g_ptr_array_index (verdicts, v);
          ReinsVerdictKind kind = reins_verdict_get_kind (verdict);
          const char *guard = reins_verdict_get_guard (verdict);
          g_autofree char *key = NULL;
          Count *count;

          if (kind == REINS_VERDICT_ALLOW)
            continue;
          key = g_strdup_printf ("%s\t%d", guard, kind);
          count = count_for (report, guard, kind);
          /* A step counts once per guard and verdict, a run once. */
          if (!g_hash_table_contains (step_seen, key))
            {
              count->steps++;
              if (!g_hash_table_contains (seen, count))
                {
                  count->runs++;
                  g_hash_table_add (seen, count);
                }
              g_hash_table_add (step_seen, g_steal_pointer (&key));
            }
          if (kind == REINS_VERDICT_ASK)
            step_asked = TRUE;
          if (kind >= REINS_VERDICT_ASK)
            flagged = TRUE;
          if (kind == REINS_VERDICT_TERMINATE && !stopped)
            {
              Stop *stop = g_new0 (Stop, 1);

              stop->run_id = g_strdup (reins_run_get_id (run));
              stop->step = reins_step_get_index (entry->step);
              stop->guard = g_strdup (guard);
              stop->reason = g_strdup (reins_verdict_get_reason (verdict));
              g_ptr_array_add (report->stopped, stop);
              stopped = TRUE;
            }
        }
      if (step_asked)
        {
          report->questions++;
          asked = TRUE;
        }
    }
  if (asked)
    report->question_runs++;
  if (flagged)
    report->flagged_runs++;

  outcome = reins_judge_outcome_of (labels_of (run));
  if (outcome == REINS_JUDGE_OUTCOME_FAILURE)
    {
      if (flagged)
        report->true_alarms++;
      else
        report->missed++;
    }
  else if (outcome == REINS_JUDGE_OUTCOME_SUCCESS)
    {
      if (flagged)
        report->false_alarms++;
      else
        report->quiet++;
    }
}

typedef struct
{
  const ReinsJudgeQuery *query;
  gint                   next_page;   /* atomic */
  guint                  n_ids;
} Shared;

typedef struct
{
  Shared           *shared;
  ReinsJudgeReport *report;
  GError           *error;
} Worker;

static gpointer
worker_main (gpointer data)
{
  Worker *worker = data;
  Shared *shared = worker->shared;
  const ReinsJudgeQuery *query = shared->query;
  g_autoptr(ReinsStore) store = reins_store_open (query->store_path, &worker->error);

  if (store == NULL)
    return NULL;

  for (;;)
    {
      guint page = (guint) g_atomic_int_add (&shared->next_page, 1);
      g_autoptr(GPtrArray) runs = NULL;

      if (query->run_ids != NULL)
        {
          guint first = page * PAGE_SIZE;

          if (first >= shared->n_ids)
            break;
          for (guint i = first; i < MIN (first + PAGE_SIZE, shared->n_ids); i++)
            {
              g_autoptr(GError) error = NULL;
              g_autoptr(ReinsRun) run = reins_store_get_run (store, query->run_ids[i], &error);

              if (run == NULL)
                {
                  worker->report->errors++;
                  if (worker->report->first_error == NULL)
                    worker->report->first_error = g_strdup (error->message);
                  continue;
                }
              if (matches (query, run))
                judge_one (worker->report, query, store, run);
            }
          continue;
        }

      runs = reins_store_list_runs (store, -1, page * PAGE_SIZE, PAGE_SIZE, &worker->error);
      if (runs == NULL)
        return NULL;
      if (runs->len == 0)
        break;
      for (guint i = 0; i < runs->len; i++)
        {
          ReinsRun *run = g_ptr_array_index (runs, i);

          if (matches (query, run))
            judge_one (worker->report, query, store, run);
        }
    }
  return NULL;
}

static void
merge_into (ReinsJudgeReport *into,
            ReinsJudgeReport *from)
{
  GHashTableIter iter;
  gpointer key, value;

  into->runs += from->runs;
  into->steps += from->steps;
  into->errors += from->errors;
  if (into->first_error == NULL)
    into->first_error = g_steal_pointer (&from->first_error);
  into->questions += from->questions;
  into->question_runs += from->question_runs;
  into->flagged_runs += from->flagged_runs;
  into->true_alarms += from->true_alarms;
  into->false_alarms += from->false_alarms;
  into->missed += from->missed;
  into->quiet += from->quiet;

  g_hash_table_iter_init (&iter, from->counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Count *count = g_hash_table_lookup (into->counts, key);
      Count *add = value;

      if (count == NULL)
        {
          count = g_new0 (Count, 1);
          g_hash_table_insert (into->counts, g_strdup (key), count);
        }
      count->steps += add->steps;
      count->runs += add->runs;
    }
  for (guint i = 0; i < from->stopped->len; i++)
    g_ptr_array_add (into->stopped, g_steal_pointer (&from->stopped->pdata[i]));
  g_ptr_array_set_free_func (from->stopped, NULL);
  g_ptr_array_set_size (from->stopped, 0);
}

static int
compare_stops (gconstpointer a,
               gconstpointer b)
{
  const Stop *x = *(Stop * const *) a;
  const Stop *y = *(Stop * const *) b;

  return strcmp (x->run_id, y->run_id);
}

/**
 * reins_judge_run_query:
 *
 * Returns: (transfer full): the report, or %NULL when the store could not be read
 */
ReinsJudgeReport *
reins_judge_run_query (const ReinsJudgeQuery  *query,
                       GError                **error)
{
  Shared shared = { query, 0, 0 };
  guint n_threads = query->n_threads > 0 ? query->n_threads : 2;
  g_autofree Worker *workers = g_new0 (Worker, n_threads);
  g_autofree GThread **threads = g_new0 (GThread *, n_threads);
  ReinsJudgeReport *report = report_new ();
  GError *worker_error = NULL;

  g_return_val_if_fail (query != NULL && query->store_path != NULL, NULL);

  if (query->run_ids != NULL)
    shared.n_ids = g_strv_length ((GStrv) query->run_ids);

  for (guint i = 0; i < n_threads; i++)
    {
      workers[i].shared = &shared;
      workers[i].report = report_new ();
      threads[i] = g_thread_new ("reins-judge", worker_main, &workers[i]);
    }
  for (guint i = 0; i < n_threads; i++)
    {
      g_thread_join (threads[i]);
      merge_into (report, workers[i].report);
      reins_judge_report_free (workers[i].report);
      if (workers[i].error != NULL && worker_error == NULL)
        worker_error = g_steal_pointer (&workers[i].error);
      g_clear_error (&workers[i].error);
    }

  if (worker_error != NULL)
    {
      g_propagate_error (error, worker_error);
      reins_judge_report_free (report);
      return NULL;
    }
  g_ptr_array_sort (report->stopped, compare_stops);
  return report;
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
sorted_keys (ReinsJudgeReport *self)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->counts);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_keys);
  return keys;
}

/**
 * reins_judge_report_to_json:
 *
 * Returns: (transfer full): the report as the object of `judge --json`
 */
JsonNode *
reins_judge_report_to_json (ReinsJudgeReport *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) keys = sorted_keys (self);
  guint labelled = self->true_alarms + self->false_alarms + self->missed + self->quiet;
  const ReinsJsonFigure totals[] = {
    REINS_JSON_STRING ("event", "judge_report"),
    REINS_JSON_INT ("runs", self->runs),
    REINS_JSON_INT ("steps", self->steps),
    REINS_JSON_INT ("errors", self->errors),
  };
  const ReinsJsonFigure flagged[] = {
    REINS_JSON_INT ("flagged_runs", self->flagged_runs),
    REINS_JSON_INT ("questions", self->questions),
    REINS_JSON_INT ("question_runs", self->question_runs),
  };
  const ReinsJsonFigure outcome[] = {
    REINS_JSON_INT ("labelled_runs", labelled),
    REINS_JSON_INT ("failed_runs", self->true_alarms + self->missed),
    REINS_JSON_INT ("successful_runs", self->false_alarms + self->quiet),
    REINS_JSON_INT ("true_alarms", self->true_alarms),
    REINS_JSON_INT ("false_alarms", self->false_alarms),
    REINS_JSON_INT ("missed", self->missed),
    REINS_JSON_DOUBLE ("precision", reins_ratio (self->true_alarms,
                                                 self->true_alarms + self->false_alarms)),
    REINS_JSON_DOUBLE ("recall", reins_ratio (self->true_alarms,
                                              self->true_alarms + self->missed)),
    REINS_JSON_DOUBLE ("false_alarm_rate", reins_ratio (self->false_alarms,
                                                        self->false_alarms + self->quiet)),
  };

  json_builder_begin_object (builder);
  reins_json_add_figures (builder, totals, G_N_ELEMENTS (totals));
  if (self->first_error != NULL)
    reins_json_add_string_or_null (builder, "first_error", self->first_error);
  json_builder_set_member_name (builder, "verdicts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      Count *count = g_hash_table_lookup (self->counts, key);
      const char *tab = strchr (key, '\t');
      g_autofree char *guard = g_strndup (key, tab - key);
      const ReinsJsonFigure verdict[] = {
        REINS_JSON_STRING ("guard", guard),
        REINS_JSON_STRING ("verdict", tab + 1),
        REINS_JSON_INT ("steps", count->steps),
        REINS_JSON_INT ("runs", count->runs),
      };

      json_builder_begin_object (builder);
      reins_json_add_figures (builder, verdict, G_N_ELEMENTS (verdict));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  reins_json_add_figures (builder, flagged, G_N_ELEMENTS (flagged));
  json_builder_set_member_name (builder, "stopped");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->stopped->len; i++)
    {
      Stop *stop = g_ptr_array_index (self->stopped, i);
      const ReinsJsonFigure stopped[] = {
        REINS_JSON_STRING ("run_id", stop->run_id),
        REINS_JSON_INT ("step", stop->step),
        REINS_JSON_STRING ("guard", stop->guard),
        REINS_JSON_STRING ("reason", stop->reason),
      };

      json_builder_begin_object (builder);
      reins_json_add_figures (builder, stopped, G_N_ELEMENTS (stopped));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "outcome");
  if (labelled == 0)
    json_builder_add_null_value (builder);
  else
    {
      json_builder_begin_object (builder);
      reins_json_add_figures (builder, outcome, G_N_ELEMENTS (outcome));
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* At most this many stopped runs are listed in the text report; --json lists them all. */
#define TEXT_STOP_LIMIT 20

/**
 * reins_judge_report_to_text:
 *
 * Returns: (transfer full): the report for people
 */
char *
reins_judge_report_to_text (ReinsJudgeReport *self)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GPtrArray) keys = sorted_keys (self);
  guint labelled = self->true_alarms + self->false_alarms + self->missed + self->quiet;

  g_string_append_printf (out, ngettext ("Judged %u run, %u steps.\n",
                                          "Judged %u runs, %u steps.\n", self->runs),
                          self->runs, self->steps);
  if (self->errors > 0)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                              "%u run could not be judged; the first: %s\n",
                                              "%u runs could not be judged; the first: %s\n",
                                              self->errors),
                            self->errors,
                            self->first_error);

  if (keys->len == 0)
    g_string_append (out, _("No guard would have done anything.\n"));
  else
    {
      g_string_append_printf (out, "\n%-14s %-10s %7s %7s\n", _("GUARD"), _("VERDICT"),
                              _("STEPS"), _("RUNS"));
      for (guint i = 0; i < keys->len; i++)
        {
          const char *key = g_ptr_array_index (keys, i);
          Count *count = g_hash_table_lookup (self->counts, key);
          const char *tab = strchr (key, '\t');

          g_string_append_printf (out, "%-14.*s %-10s %7u %7u\n", (int) (tab - key), key, tab + 1,
                                  count->steps, count->runs);
        }
    }

  g_string_append_printf (out, _("\nFlagged runs (a person asked or the run stopped): %u of %u\n"),
                          self->flagged_runs, self->runs);
  g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                            "Questions a person would have been asked: %u, in %u run\n",
                                            "Questions a person would have been asked: %u, in %u runs\n",
                                            self->question_runs),
                          self->questions, self->question_runs);
  g_string_append_printf (out, _("Runs that would have been stopped: %u\n"), self->stopped->len);
  for (guint i = 0; i < MIN (self->stopped->len, TEXT_STOP_LIMIT); i++)
    {
      Stop *stop = g_ptr_array_index (self->stopped, i);

      g_string_append_printf (out, _("  %.8s  step %u  %s: %s\n"), stop->run_id, stop->step,
                              stop->guard, stop->reason);
    }
  if (self->stopped->len > TEXT_STOP_LIMIT)
    g_string_append_printf (out, _("  … and %u more (--json lists them all)\n"),
                            self->stopped->len - TEXT_STOP_LIMIT);

  if (labelled > 0)
    {
      g_string_append_printf (out, _("\nRuns with an outcome label: %u (%u failed, %u successful)\n"),
                              labelled, self->true_alarms + self->missed,
                              self->false_alarms + self->quiet);
      g_string_append_printf (out, _("  flagged failed runs:     %u\n"), self->true_alarms);
      g_string_append_printf (out, _("  missed failed runs:      %u\n"), self->missed);
      g_string_append_printf (out, _("  false alarms (flagged successful runs): %u\n"),
                              self->false_alarms);
      /* Precision has no value when nothing was flagged: "0.00" would read as all wrong. */
      if (self->true_alarms + self->false_alarms == 0)
        g_string_append_printf (out, _("  precision n/a (nothing flagged)  recall %.2f  "
                                       "false-alarm rate %.2f\n"),
                                reins_ratio (self->true_alarms,
                                             self->true_alarms + self->missed),
                                reins_ratio (self->false_alarms,
                                             self->false_alarms + self->quiet));
      else
        g_string_append_printf (out, _("  precision %.2f  recall %.2f  false-alarm rate %.2f\n"),
                                reins_ratio (self->true_alarms,
                                             self->true_alarms + self->false_alarms),
                                reins_ratio (self->true_alarms,
                                             self->true_alarms + self->missed),
                                reins_ratio (self->false_alarms,
                                             self->false_alarms + self->quiet));
    }
  return g_string_free (out, FALSE);
}
