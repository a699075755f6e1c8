/* test-store-notes.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A person's tags and note on a run, and the figures of the window's overview, on a
 * SQLite file and on PostgreSQL (REINS_TEST_PG_URI).
 */

#include "config.h"

#include <glib/gstdio.h>

#include "reins-domain.h"
#include "reins-store.h"
#include "reins-test-pg.h"

typedef struct
{
  char       *dir;
  char       *path;
  /* On PostgreSQL: the schema the store is in */
  char       *schema;
  ReinsStore *store;
} Fixture;

#define ON_PG GINT_TO_POINTER (1)

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("reins-notes-XXXXXX", &error);
  g_assert_no_error (error);
  if (data == ON_PG)
    f->path = reins_test_pg_schema_new (&f->schema);
  else
    f->path = g_build_filename (f->dir, "runs.db", NULL);
  f->store = reins_store_open (f->path, &error);
  g_assert_no_error (error);
}

/* Starts again from an empty store. */
static void
fixture_reset (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->store);
  if (f->schema != NULL)
    {
      g_autofree char *sql = g_strdup_printf ("DROP SCHEMA %s CASCADE; CREATE SCHEMA %s",
                                              f->schema, f->schema);

      reins_test_pg_exec (g_getenv ("REINS_TEST_PG_URI"), sql);
    }
  else
    g_unlink (f->path);
  f->store = reins_store_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  g_clear_object (&f->store);
  if (f->schema != NULL)
    reins_test_pg_schema_drop (f->schema);
  g_clear_pointer (&f->schema, g_free);
  g_unlink (f->path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static ReinsRun *
insert_run (Fixture        *f,
            const char     *task,
            ReinsRunStatus  status,
            gint64          created_at)
{
  g_autoptr(GError) error = NULL;
  ReinsRun *run = reins_run_new (task);

  reins_run_set_provider (run, "sim");
  reins_run_set_model (run, "sim-1");
  reins_run_set_status (run, status);
  reins_run_set_created_at (run, created_at);
  reins_run_set_cost_usd (run, 0.25);
  g_assert_true (reins_store_insert_run (f->store, run, &error));
  g_assert_no_error (error);
  return run;
}

static void
test_labels (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsRun) a = insert_run (f, "First", REINS_RUN_STATUS_COMPLETED, 1000);
  g_autoptr(ReinsRun) b = insert_run (f, "Second", REINS_RUN_STATUS_FAILED, 2000);
  g_auto(GStrv) labels = NULL;
  g_auto(GStrv) ids = NULL;
  g_autofree char *long_label = g_strnfill (REINS_STORE_LABEL_MAX_CHARS + 1, 'x');
  g_autofree char *max_label = g_strnfill (REINS_STORE_LABEL_MAX_CHARS, 'y');
  const char *bad[] = { "", "   ", "two words", "a,b", "tab\there", long_label };

  /* Tags are stored stripped, once, and read back in order. */
  g_assert_true (reins_store_add_label (f->store, reins_run_get_id (a), " regression ", &error));
  g_assert_true (reins_store_add_label (f->store, reins_run_get_id (a), "regression", &error));
  g_assert_true (reins_store_add_label (f->store, reins_run_get_id (a), "gut", &error));
  g_assert_true (reins_store_add_label (f->store, reins_run_get_id (b), "regression", &error));
  g_assert_true (reins_store_add_label (f->store, reins_run_get_id (b), max_label, &error));
  g_assert_no_error (error);
  labels = reins_store_get_labels (f->store, reins_run_get_id (a), &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (labels, ((const char *[]) { "gut", "regression", NULL }));
  g_clear_pointer (&labels, g_strfreev);

  /* What is not one short word is refused with a reason, and nothing is stored. */
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (reins_store_add_label (f->store, reins_run_get_id (a), bad[i], &error));
      g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
      g_assert_cmpstr (error->message, !=, "");
      g_clear_error (&error);
    }
  g_assert_false (reins_store_add_label (f->store, reins_run_get_id (a), "\xff\xfe", &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  g_clear_error (&error);
  g_assert_false (reins_store_add_label (f->store, "no-such-run", "x", &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  labels = reins_store_get_labels (f->store, reins_run_get_id (a), &error);
  g_assert_cmpuint (g_strv_length (labels), ==, 2);
  g_clear_pointer (&labels, g_strfreev);

  /* Found by tag, newest first; another tag does not match, nor does a part of one. */
  ids = reins_store_find_labelled (f->store, "regression", &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (ids, ((const char *[]) { reins_run_get_id (b), reins_run_get_id (a), NULL }));
  g_clear_pointer (&ids, g_strfreev);
  ids = reins_store_find_labelled (f->store, "regress", &error);
  g_assert_cmpuint (g_strv_length (ids), ==, 0);
  g_clear_pointer (&ids, g_strfreev);

  /* Removed: gone from the run and from the lookup; removing twice is fine. */
  g_assert_true (reins_store_remove_label (f->store, reins_run_get_id (b), "regression", &error));
  g_assert_true (reins_store_remove_label (f->store, reins_run_get_id (b), "regression", &error));
  g_assert_no_error (error);
  ids = reins_store_find_labelled (f->store, "regression", &error);
  g_assert_cmpstrv (ids, ((const char *[]) { reins_run_get_id (a), NULL }));
  g_clear_pointer (&ids, g_strfreev);

  /* A deleted run is not found by tag; purged, its tags go with it. */
  g_assert_true (reins_store_delete_run (f->store, reins_run_get_id (a), &error));
  ids = reins_store_find_labelled (f->store, "regression", &error);
  g_assert_cmpuint (g_strv_length (ids), ==, 0);
  g_clear_pointer (&ids, g_strfreev);
  g_assert_true (reins_store_purge_deleted (f->store, &error));
  g_assert_no_error (error);
  labels = reins_store_get_labels (f->store, reins_run_get_id (a), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (labels), ==, 0);
}

static void
test_note (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsRun) run = insert_run (f, "Noted", REINS_RUN_STATUS_COMPLETED, 1000);
  g_autofree char *note = NULL;
  const char *id = reins_run_get_id (run);

  note = reins_store_get_note (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_null (note);

  g_assert_true (reins_store_set_note (f->store, id, "  Wrong key at step 3.\nRetry.  ", &error));
  g_assert_no_error (error);
  note = reins_store_get_note (f->store, id, &error);
  g_assert_cmpstr (note, ==, "Wrong key at step 3.\nRetry.");
  g_clear_pointer (&note, g_free);

  /* The run itself is untouched by its note. */
  {
    g_autoptr(ReinsRun) loaded = reins_store_get_run (f->store, id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (reins_run_get_task (loaded), ==, "Noted");
  }

  /* Bad input: refused, the note stays. */
  g_assert_false (reins_store_set_note (f->store, id, "bad \xff bytes", &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  g_clear_error (&error);
  g_assert_false (reins_store_set_note (f->store, "no-such-run", "x", &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (reins_store_get_note (f->store, "no-such-run", &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  note = reins_store_get_note (f->store, id, &error);
  g_assert_cmpstr (note, ==, "Wrong key at step 3.\nRetry.");
  g_clear_pointer (&note, g_free);

  /* Only spaces, or NULL, clear it. */
  g_assert_true (reins_store_set_note (f->store, id, " \n ", &error));
  note = reins_store_get_note (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_null (note);
  g_assert_true (reins_store_set_note (f->store, id, "again", &error));
  g_assert_true (reins_store_set_note (f->store, id, NULL, &error));
  note = reins_store_get_note (f->store, id, &error);
  g_assert_null (note);
}

static void
add_step (Fixture             *f,
          ReinsRun            *run,
          guint                index,
          const char          *guard,
          ReinsVerdictKind     kind,
          ReinsApprovalRecord *record)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStep) step = reins_step_new (reins_run_get_id (run), index);
  g_autoptr(ReinsVerdict) verdict = reins_verdict_new (guard, kind, "Because.");

  reins_step_set_thought (step, "thinking");
  reins_step_add_verdict (step, verdict);
  if (record != NULL)
    reins_step_add_approval (step, record);
  g_assert_true (reins_store_commit_step (f->store, run, step, &error));
  g_assert_no_error (error);
}

static ReinsApprovalRecord *
approval (guint          step,
          ReinsDecision  decision,
          const char    *decided_by)
{
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsAction) action = reins_action_new ("kb_lookup", args);
  ReinsApprovalRecord *record = reins_approval_record_new (step, "confidence", "Low.", action,
                                                           0.4);

  if (decision != REINS_DECISION_NONE)
    reins_approval_record_resolve (record, decision, NULL, NULL, 5);
  if (decided_by != NULL)
    reins_approval_record_set_decided_by (record, decided_by);
  return record;
}

static void
test_overview (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStoreOverview) empty = NULL;
  g_autoptr(ReinsStoreOverview) overview = NULL;
  gint64 now = g_get_real_time ();
  g_autoptr(ReinsRun) today = insert_run (f, "Today", REINS_RUN_STATUS_COMPLETED, now - 1);
  g_autoptr(ReinsRun) week = insert_run (f, "This week", REINS_RUN_STATUS_FAILED,
                                         now - 3 * G_TIME_SPAN_DAY);
  g_autoptr(ReinsRun) old = insert_run (f, "Old", REINS_RUN_STATUS_CANCELLED,
                                        now - 30 * G_TIME_SPAN_DAY);
  g_autoptr(ReinsRun) gone = insert_run (f, "Deleted", REINS_RUN_STATUS_TERMINATED, now - 2);
  g_autoptr(ReinsApprovalRecord) approved = approval (1, REINS_DECISION_APPROVE, NULL);
  g_autoptr(ReinsApprovalRecord) rejected = approval (2, REINS_DECISION_REJECT, NULL);
  g_autoptr(ReinsApprovalRecord) automatic = approval (1, REINS_DECISION_APPROVE, "option");
  g_autoptr(ReinsApprovalRecord) open = approval (2, REINS_DECISION_NONE, NULL);
  g_autoptr(ReinsApprovalRecord) hidden = approval (1, REINS_DECISION_EDIT, NULL);

  add_step (f, today, 1, "confidence", REINS_VERDICT_ASK, approved);
  add_step (f, today, 2, "loop", REINS_VERDICT_CORRECT, rejected);
  add_step (f, week, 1, "confidence", REINS_VERDICT_ASK, automatic);
  add_step (f, week, 2, "budget", REINS_VERDICT_ALLOW, open);
  add_step (f, old, 1, "loop", REINS_VERDICT_CORRECT, NULL);
  add_step (f, old, 2, "confidence", REINS_VERDICT_TERMINATE, NULL);
  /* A deleted run counts for nothing. */
  add_step (f, gone, 1, "policy", REINS_VERDICT_ASK, hidden);
  add_step (f, gone, 2, "policy", REINS_VERDICT_ASK, NULL);
  g_assert_true (reins_store_delete_run (f->store, reins_run_get_id (gone), &error));
  g_assert_no_error (error);

  overview = reins_store_get_overview (f->store, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overview->n_runs, ==, 3);
  g_assert_cmpuint (overview->runs_today, >=, 1);
  g_assert_cmpuint (overview->runs_today, <=, 2);
  g_assert_cmpuint (overview->runs_week, ==, 2);
  g_assert_cmpuint (overview->n_completed, ==, 1);
  g_assert_cmpuint (overview->n_failed, ==, 1);
  g_assert_cmpuint (overview->n_cancelled, ==, 1);
  g_assert_cmpuint (overview->n_terminated, ==, 0);
  g_assert_cmpuint (overview->n_questions, ==, 4);
  g_assert_cmpuint (overview->n_open, ==, 1);
  g_assert_cmpuint (overview->n_approved, ==, 1);
  g_assert_cmpuint (overview->n_rejected, ==, 1);
  g_assert_cmpuint (overview->n_edited, ==, 0);
  g_assert_cmpuint (overview->n_automatic, ==, 1);
  g_assert_cmpfloat_with_epsilon (overview->cost_usd, 0.75, 1e-9);
  g_assert_cmpfloat_with_epsilon (overview->cost_week_usd, 0.5, 1e-9);

  /* The guards that stepped in (allow does not count), most first; then by name. */
  g_assert_cmpuint (overview->guards->len, ==, 2);
  g_assert_cmpstr (g_array_index (overview->guards, ReinsStoreCount, 0).name, ==, "confidence");
  g_assert_cmpuint (g_array_index (overview->guards, ReinsStoreCount, 0).count, ==, 3);
  g_assert_cmpstr (g_array_index (overview->guards, ReinsStoreCount, 1).name, ==, "loop");
  g_assert_cmpuint (g_array_index (overview->guards, ReinsStoreCount, 1).count, ==, 2);
  g_assert_cmpuint (overview->models->len, ==, 1);
  g_assert_cmpstr (g_array_index (overview->models, ReinsStoreCount, 0).name, ==, "sim · sim-1");
  g_assert_cmpuint (g_array_index (overview->models, ReinsStoreCount, 0).count, ==, 3);

  /* An empty store has figures too: all nought. */
  fixture_reset (f);
  empty = reins_store_get_overview (f->store, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->n_runs, ==, 0);
  g_assert_cmpuint (empty->n_questions, ==, 0);
  g_assert_cmpuint (empty->guards->len, ==, 0);
  g_assert_cmpfloat (empty->cost_usd, ==, 0);
}

/* The day of @days that @time_us falls in, or -1 */
static int
day_of (const ReinsStoreDay *days,
        gint64               time_us)
{
  for (int i = REINS_STORE_OVERVIEW_DAYS - 1; i >= 0; i--)
    if (time_us >= days[i].start_us)
      return i;
  return -1;
}

static void
test_overview_completion (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStoreOverview) overview = NULL;
  g_autoptr(ReinsStoreOverview) empty = NULL;
  gint64 now = g_get_real_time ();
  gint64 two_days = now - 2 * G_TIME_SPAN_DAY;
  gint64 edge = now - (REINS_STORE_OVERVIEW_DAYS + 1) * G_TIME_SPAN_DAY;
  g_autoptr(ReinsRun) a = insert_run (f, "A", REINS_RUN_STATUS_COMPLETED, two_days);
  g_autoptr(ReinsRun) b = insert_run (f, "B", REINS_RUN_STATUS_COMPLETED, two_days + 1);
  g_autoptr(ReinsRun) c = insert_run (f, "C", REINS_RUN_STATUS_TERMINATED, two_days + 2);
  g_autoptr(ReinsRun) d = insert_run (f, "D", REINS_RUN_STATUS_CANCELLED, now - 1);
  g_autoptr(ReinsRun) live = insert_run (f, "Live", REINS_RUN_STATUS_RUNNING, now - 1);
  g_autoptr(ReinsRun) old = insert_run (f, "Old", REINS_RUN_STATUS_FAILED, edge);
  g_autoptr(ReinsRun) gone = insert_run (f, "Gone", REINS_RUN_STATUS_FAILED, now - 1);
  g_autoptr(ReinsRun) other = reins_run_new ("Elsewhere");
  g_autoptr(ReinsApprovalRecord) q1 = approval (1, REINS_DECISION_APPROVE, NULL);
  g_autoptr(ReinsApprovalRecord) q2 = approval (2, REINS_DECISION_NONE, NULL);
  g_autoptr(ReinsApprovalRecord) q3 = approval (1, REINS_DECISION_REJECT, NULL);
  ReinsStoreModelFigures *figures;
  guint completed = 0, not_completed = 0;
  int i;

  reins_run_set_provider (other, "openai");
  reins_run_set_model (other, "gpt-x");
  reins_run_set_status (other, REINS_RUN_STATUS_COMPLETED);
  reins_run_set_created_at (other, now - 1);
  reins_run_set_cost_usd (other, 2.5);
  g_assert_true (reins_store_insert_run (f->store, other, &error));
  g_assert_no_error (error);
  add_step (f, a, 1, "confidence", REINS_VERDICT_ASK, q1);
  add_step (f, a, 2, "confidence", REINS_VERDICT_ASK, q2);
  add_step (f, other, 1, "confidence", REINS_VERDICT_ASK, q3);
  add_step (f, gone, 1, "confidence", REINS_VERDICT_ASK, NULL);
  g_assert_true (reins_store_delete_run (f->store, reins_run_get_id (gone), &error));
  g_assert_no_error (error);

  overview = reins_store_get_overview (f->store, now, &error);
  g_assert_no_error (error);

  /* Days run on, oldest first, today last */
  for (i = 1; i < REINS_STORE_OVERVIEW_DAYS; i++)
    {
      g_assert_cmpint (overview->days[i].start_us, >, overview->days[i - 1].start_us);
      g_assert_cmpint (overview->days[i].start_us - overview->days[i - 1].start_us, >=,
                       23 * G_TIME_SPAN_HOUR);
      g_assert_cmpint (overview->days[i].start_us - overview->days[i - 1].start_us, <=,
                       25 * G_TIME_SPAN_HOUR);
    }
  g_assert_cmpint (overview->days[REINS_STORE_OVERVIEW_DAYS - 1].start_us, <=, now);
  g_assert_cmpint (now - overview->days[REINS_STORE_OVERVIEW_DAYS - 1].start_us, <,
                   G_TIME_SPAN_DAY);

  /* Each run on the day it started; the running, the deleted and the too old in none */
  for (i = 0; i < REINS_STORE_OVERVIEW_DAYS; i++)
    {
      completed += overview->days[i].completed;
      not_completed += overview->days[i].not_completed;
    }
  g_assert_cmpuint (completed, ==, 3);
  g_assert_cmpuint (not_completed, ==, 2);
  i = day_of (overview->days, two_days);
  g_assert_cmpint (i, >=, 0);
  g_assert_cmpuint (overview->days[i].completed, ==, 2);
  g_assert_cmpuint (overview->days[i].not_completed, ==, 1);
  i = day_of (overview->days, now - 1);
  g_assert_cmpint (i, ==, REINS_STORE_OVERVIEW_DAYS - 1);
  g_assert_cmpuint (overview->days[i].completed, ==, 1);
  g_assert_cmpuint (overview->days[i].not_completed, ==, 1);
  g_assert_cmpint (day_of (overview->days, edge), ==, -1);

  /* Per provider and model: most runs first, with completions, questions and cost */
  g_assert_cmpuint (overview->per_model->len, ==, 2);
  figures = &g_array_index (overview->per_model, ReinsStoreModelFigures, 0);
  g_assert_cmpstr (figures->provider, ==, "sim");
  g_assert_cmpstr (figures->model, ==, "sim-1");
  g_assert_cmpuint (figures->n_runs, ==, 6);
  g_assert_cmpuint (figures->n_completed, ==, 2);
  g_assert_cmpuint (figures->n_questions, ==, 2);
  g_assert_cmpfloat_with_epsilon (figures->cost_usd, 1.5, 1e-9);
  figures = &g_array_index (overview->per_model, ReinsStoreModelFigures, 1);
  g_assert_cmpstr (figures->provider, ==, "openai");
  g_assert_cmpstr (figures->model, ==, "gpt-x");
  g_assert_cmpuint (figures->n_runs, ==, 1);
  g_assert_cmpuint (figures->n_completed, ==, 1);
  g_assert_cmpuint (figures->n_questions, ==, 1);
  g_assert_cmpfloat_with_epsilon (figures->cost_usd, 2.5, 1e-9);

  /* An empty store: no model, every day nought */
  fixture_reset (f);
  empty = reins_store_get_overview (f->store, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->per_model->len, ==, 0);
  for (i = 0; i < REINS_STORE_OVERVIEW_DAYS; i++)
    g_assert_cmpuint (empty->days[i].completed + empty->days[i].not_completed, ==, 0);
}

/* A run with @n stored steps, 1 to @n */
static ReinsRun *
insert_run_with_steps (Fixture    *f,
                       const char *task,
                       gint64      created_at,
                       guint       n)
{
  ReinsRun *run = insert_run (f, task, REINS_RUN_STATUS_COMPLETED, created_at);

  for (guint i = 1; i <= n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ReinsStep) step = reins_step_new (reins_run_get_id (run), i);

      reins_step_set_thought (step, "thinking");
      g_assert_true (reins_store_commit_step (f->store, run, step, &error));
      g_assert_no_error (error);
    }
  return run;
}

static void
test_name (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsRun) a = insert_run (f, "First", REINS_RUN_STATUS_COMPLETED, 1000);
  g_autoptr(ReinsRun) b = insert_run (f, "Second", REINS_RUN_STATUS_COMPLETED, 2000);
  g_autofree char *too_long = g_strnfill (REINS_STORE_NAME_MAX_CHARS + 1, 'n');
  g_autofree char *longest = g_strnfill (REINS_STORE_NAME_MAX_CHARS, 'm');
  g_autofree char *name = NULL;
  g_auto(GStrv) ids = NULL;
  const char *id = reins_run_get_id (a);

  /* None at first: NULL without an error */
  name = reins_store_get_name (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_null (name);

  g_assert_true (reins_store_set_name (f->store, id, "  Invoice 100% _fixed_ ", &error));
  g_assert_no_error (error);
  name = reins_store_get_name (f->store, id, &error);
  g_assert_cmpstr (name, ==, "Invoice 100% _fixed_");
  g_clear_pointer (&name, g_free);

  /* Updating the run keeps its name */
  reins_run_set_status (a, REINS_RUN_STATUS_FAILED);
  g_assert_true (reins_store_update_run (f->store, a, &error));
  g_assert_no_error (error);
  name = reins_store_get_name (f->store, id, &error);
  g_assert_cmpstr (name, ==, "Invoice 100% _fixed_");
  g_clear_pointer (&name, g_free);

  /* Found by a part of it, whatever the case; the wildcards are literal */
  g_assert_true (reins_store_set_name (f->store, reins_run_get_id (b), "invoice retry", &error));
  ids = reins_store_find_named (f->store, "INVOICE", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (ids), ==, 2);
  g_assert_cmpstr (ids[0], ==, reins_run_get_id (b));
  g_assert_cmpstr (ids[1], ==, id);
  g_clear_pointer (&ids, g_strfreev);
  ids = reins_store_find_named (f->store, "100%", &error);
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  g_clear_pointer (&ids, g_strfreev);
  ids = reins_store_find_named (f->store, "e%r", &error);
  g_assert_cmpuint (g_strv_length (ids), ==, 0);
  g_clear_pointer (&ids, g_strfreev);
  ids = reins_store_find_named (f->store, "e_r", &error);
  g_assert_cmpuint (g_strv_length (ids), ==, 0);
  g_clear_pointer (&ids, g_strfreev);
  ids = reins_store_find_named (f->store, "_fix", &error);
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  g_clear_pointer (&ids, g_strfreev);

  /* Bad names are refused and the stored one stays */
  g_assert_false (reins_store_set_name (f->store, id, "two\nlines", &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  g_clear_error (&error);
  g_assert_false (reins_store_set_name (f->store, id, too_long, &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  g_clear_error (&error);
  g_assert_false (reins_store_set_name (f->store, id, "\xff", &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  g_clear_error (&error);
  g_assert_false (reins_store_set_name (f->store, "no-such-run", "x", &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  name = reins_store_get_name (f->store, id, &error);
  g_assert_cmpstr (name, ==, "Invoice 100% _fixed_");
  g_clear_pointer (&name, g_free);
  g_assert_true (reins_store_set_name (f->store, id, longest, &error));
  g_assert_no_error (error);

  /* Spaces only remove it */
  g_assert_true (reins_store_set_name (f->store, id, "   ", &error));
  name = reins_store_get_name (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_null (name);
  g_assert_null (reins_store_get_name (f->store, "no-such-run", &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A deleted run is not found */
  g_assert_true (reins_store_delete_run (f->store, reins_run_get_id (b), &error));
  ids = reins_store_find_named (f->store, "invoice", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (ids), ==, 0);
}

static void
test_feedback (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsRun) a = insert_run_with_steps (f, "First", 1000, 3);
  g_autoptr(ReinsRun) b = insert_run_with_steps (f, "Second", 2000, 2);
  g_autoptr(GPtrArray) list = NULL;
  g_auto(GStrv) ids = NULL;
  const char *id = reins_run_get_id (a);
  ReinsStepFeedback *item;

  list = reins_store_get_feedback (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  g_assert_true (reins_store_set_feedback (f->store, id, 3, 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (reins_store_set_feedback (f->store, id, 2, -1, "  Wrong key.\n  ", &error));
  g_assert_no_error (error);
  list = reins_store_get_feedback (f->store, id, &error);
  g_assert_cmpuint (list->len, ==, 2);
  item = g_ptr_array_index (list, 0);
  g_assert_cmpuint (item->step, ==, 2);
  g_assert_cmpint (item->rating, ==, -1);
  g_assert_cmpstr (item->comment, ==, "Wrong key.");
  item = g_ptr_array_index (list, 1);
  g_assert_cmpuint (item->step, ==, 3);
  g_assert_cmpint (item->rating, ==, 1);
  g_assert_null (item->comment);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Found by rating; the other run has none */
  ids = reins_store_find_feedback (f->store, "down", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  g_assert_cmpstr (ids[0], ==, id);
  g_clear_pointer (&ids, g_strfreev);
  g_assert_true (reins_store_set_feedback (f->store, reins_run_get_id (b), 1, 1, "ok", &error));
  ids = reins_store_find_feedback (f->store, "up", &error);
  g_assert_cmpuint (g_strv_length (ids), ==, 2);
  g_assert_cmpstr (ids[0], ==, reins_run_get_id (b));
  g_clear_pointer (&ids, g_strfreev);
  ids = reins_store_find_feedback (f->store, "any", &error);
  g_assert_cmpuint (g_strv_length (ids), ==, 2);
  g_clear_pointer (&ids, g_strfreev);
  g_assert_null (reins_store_find_feedback (f->store, "sideways", &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  g_clear_error (&error);

  /* Setting it again replaces it: down becomes up */
  g_assert_true (reins_store_set_feedback (f->store, id, 2, 1, "Fine after all", &error));
  ids = reins_store_find_feedback (f->store, "down", &error);
  g_assert_cmpuint (g_strv_length (ids), ==, 0);
  g_clear_pointer (&ids, g_strfreev);

  /* Bad input: an unknown step or run, a rating out of range, a comment not UTF-8 */
  g_assert_false (reins_store_set_feedback (f->store, id, 9, 1, NULL, &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (reins_store_set_feedback (f->store, "no-such-run", 1, 1, NULL, &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (reins_store_set_feedback (f->store, id, 1, 2, NULL, &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  g_clear_error (&error);
  g_assert_false (reins_store_set_feedback (f->store, id, 1, -1, "\xfe", &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  g_clear_error (&error);

  /* 0 removes it */
  g_assert_true (reins_store_set_feedback (f->store, id, 3, 0, NULL, &error));
  g_assert_no_error (error);
  list = reins_store_get_feedback (f->store, id, &error);
  g_assert_cmpuint (list->len, ==, 1);
  item = g_ptr_array_index (list, 0);
  g_assert_cmpuint (item->step, ==, 2);
  g_assert_cmpstr (item->comment, ==, "Fine after all");
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Removing what is not there is no error, and touches nothing else; removing from a step
   * that is not stored is refused, nothing lost */
  g_assert_true (reins_store_set_feedback (f->store, id, 3, 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (reins_store_set_feedback (f->store, id, 99, 0, NULL, &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  list = reins_store_get_feedback (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpuint (((ReinsStepFeedback *) g_ptr_array_index (list, 0))->step, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* A deleted run is not found by its feedback */
  g_assert_true (reins_store_delete_run (f->store, reins_run_get_id (b), &error));
  ids = reins_store_find_feedback (f->store, "up", &error);
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  g_assert_cmpstr (ids[0], ==, id);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/reins/store/notes/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down); \
  if (reins_test_pg_available ()) \
    g_test_add ("/reins/store/notes/pg/" path, Fixture, ON_PG, fixture_set_up, func, \
                fixture_tear_down); \
  else \
    g_test_add_data_func ("/reins/store/notes/pg/" path, NULL, reins_test_pg_missing)

  ADD ("labels", test_labels);
  ADD ("note", test_note);
  ADD ("overview", test_overview);
  ADD ("overview-completion", test_overview_completion);
  ADD ("name", test_name);
  ADD ("feedback", test_feedback);

#undef ADD

  return g_test_run ();
}
