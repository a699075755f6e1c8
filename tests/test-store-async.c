/* test-store-async.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads of the run store on worker threads: ranges of steps, the narrow step points, their
 * errors and cancellation, and damaged verdicts; the step points on PostgreSQL too
 * (REINS_TEST_PG_URI).
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "reins-domain.h"
#include "reins-store-async.h"
#include "reins-test-pg.h"

typedef struct
{
  char       *dir;
  char       *path;
  /* On PostgreSQL: the schema the store is in */
  char       *schema;
  ReinsStore *store;
  ReinsRun   *run;
} Fixture;

#define ON_PG GINT_TO_POINTER (1)

static void
add_verdict (ReinsStep    *step,
             ReinsVerdict *verdict)
{
  reins_step_add_verdict (step, verdict);
  g_object_unref (verdict);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_object_unref);

  f->dir = g_dir_make_tmp ("reins-store-async-XXXXXX", &error);
  g_assert_no_error (error);
  if (data == ON_PG)
    f->path = reins_test_pg_schema_new (&f->schema);
  else
    f->path = g_build_filename (f->dir, "runs.db", NULL);
  f->store = reins_store_open (f->path, &error);
  g_assert_no_error (error);

  /* Ten steps: 3 has no confidence, 4 a correction, 6 a loop naming 2 and 5, 7 a loop
   * naming nothing, 8 an ask and a stop. */
  f->run = reins_run_new ("Count to ten");
  for (guint i = 1; i <= 10; i++)
    {
      ReinsStep *step = reins_step_new (reins_run_get_id (f->run), i);
      g_autofree char *thought = g_strdup_printf ("Thought %u", i);

      reins_step_set_thought (step, thought);
      reins_step_set_observation (step, "an observation the points never read");
      if (i != 3)
        reins_step_set_confidence (step, i / 10.0, REINS_CONFIDENCE_SOURCE_LOGPROBS);
      reins_step_set_tokens (step, 100 * i, i);
      reins_step_set_cost (step, 0.5, 0.5 * i);
      if (i == 4)
        add_verdict (step, reins_verdict_new ("grounding", REINS_VERDICT_CORRECT,
                                                         "Check it"));
      if (i == 6)
        add_verdict (step, reins_verdict_new_with_steps ("loop", REINS_VERDICT_CORRECT,
                                                                    "Again",
                                                                    (const guint []) { 2, 5 },
                                                                    2));
      if (i == 7)
        add_verdict (step, reins_verdict_new ("loop", REINS_VERDICT_ASK, "Again"));
      if (i == 8)
        {
          add_verdict (step, reins_verdict_new ("confidence", REINS_VERDICT_ASK,
                                                           "Unsure"));
          add_verdict (step, reins_verdict_new ("budget", REINS_VERDICT_TERMINATE,
                                                           "Spent"));
          add_verdict (step, reins_verdict_new ("policy", REINS_VERDICT_ALLOW, ""));
        }
      g_ptr_array_add (steps, step);
    }
  reins_run_set_step_count (f->run, 10);
  reins_store_insert_run (f->store, f->run, &error);
  g_assert_no_error (error);
  reins_store_commit_steps (f->store, f->run, steps, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->run);
  g_assert_finalize_object (f->store);
  if (f->schema != NULL)
    reins_test_pg_schema_drop (f->schema);
  g_clear_pointer (&f->schema, g_free);
  for (const char *const *suffix = (const char * const []) { "", "-wal", "-shm", NULL };
       *suffix; suffix++)
    {
      g_autofree char *file = g_strconcat (f->path, *suffix, NULL);
      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static GPtrArray *
read_steps (Fixture      *f,
            const char   *run_id,
            guint         first,
            guint         max_steps,
            GCancellable *cancellable,
            GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  reins_store_read_steps_async (f->store, run_id, first, max_steps, cancellable,
                                got_result_cb, &result);
  return reins_store_read_steps_finish (wait_result (&result), error);
}

static void
assert_indices (GPtrArray *steps,
                guint      first,
                guint      n)
{
  g_assert_nonnull (steps);
  g_assert_cmpuint (steps->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (reins_step_get_index (g_ptr_array_index (steps, i)), ==, first + i);
}

static void
test_read_steps (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) some = NULL;
  g_autoptr(GPtrArray) tail = NULL;
  g_autoptr(GPtrArray) beyond = NULL;
  g_autoptr(GPtrArray) unknown = NULL;
  ReinsStep *step;

  all = read_steps (f, reins_run_get_id (f->run), 1, 0, NULL, &error);
  g_assert_no_error (error);
  assert_indices (all, 1, 10);
  /* Whole steps, as reins_store_get_steps() reads them. */
  step = g_ptr_array_index (all, 7);
  g_assert_cmpstr (reins_step_get_thought (step), ==, "Thought 8");
  g_assert_cmpuint (reins_step_get_verdicts (step)->len, ==, 3);
  g_assert_cmpint (reins_step_get_worst_verdict (step), ==, REINS_VERDICT_TERMINATE);

  some = read_steps (f, reins_run_get_id (f->run), 4, 3, NULL, &error);
  g_assert_no_error (error);
  assert_indices (some, 4, 3);

  tail = read_steps (f, reins_run_get_id (f->run), 9, 100, NULL, &error);
  g_assert_no_error (error);
  assert_indices (tail, 9, 2);

  beyond = read_steps (f, reins_run_get_id (f->run), 11, 0, NULL, &error);
  g_assert_no_error (error);
  assert_indices (beyond, 11, 0);

  unknown = read_steps (f, "no-such-run", 1, 0, NULL, &error);
  g_assert_no_error (error);
  assert_indices (unknown, 1, 0);
}

/* A read sees what was committed before it began, through its own connection. */
static void
test_read_sees_commits (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(ReinsStep) step = reins_step_new (reins_run_get_id (f->run), 11);

  before = read_steps (f, reins_run_get_id (f->run), 1, 0, NULL, &error);
  g_assert_no_error (error);
  assert_indices (before, 1, 10);

  reins_run_set_step_count (f->run, 11);
  reins_store_commit_step (f->store, f->run, step, &error);
  g_assert_no_error (error);
  after = read_steps (f, reins_run_get_id (f->run), 1, 0, NULL, &error);
  g_assert_no_error (error);
  assert_indices (after, 1, 11);
}

static void
test_read_cancelled (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) steps = NULL;

  g_cancellable_cancel (cancellable);
  steps = read_steps (f, reins_run_get_id (f->run), 1, 0, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (steps);
}

static gpointer
failing_read (ReinsStore    *store,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  g_assert_true (REINS_IS_STORE (store));
  g_assert_cmpstr (data, ==, "the data");
  g_set_error_literal (error, REINS_ERROR, REINS_ERROR_NOT_FOUND, "nothing here");
  return NULL;
}

static gpointer
thread_read (ReinsStore    *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  return g_thread_self ();
}

/* A read's error comes back as it was set; the read runs on another thread. */
static void
test_read_errors (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) failed = NULL;
  g_autoptr(GAsyncResult) ran = NULL;
  g_autoptr(GError) error = NULL;

  reins_store_read_async (f->store, failing_read, g_strdup ("the data"), g_free, NULL, NULL,
                          got_result_cb, &failed);
  g_assert_null (reins_store_read_finish (wait_result (&failed), &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  reins_store_read_async (f->store, thread_read, NULL, NULL, NULL, NULL, got_result_cb, &ran);
  g_assert_true (reins_store_read_finish (wait_result (&ran), &error) !=
                 (gpointer) g_thread_self ());
  g_assert_no_error (error);
}

/* The file under the store was replaced by something that is not a store: a new reader
 * connection is refused with the reason, and nothing is written to the file. */
static void
test_read_damaged (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *other_path = g_build_filename (f->dir, "other.db", NULL);

  {
    g_autoptr(ReinsStore) good = NULL;

    good = reins_store_open (other_path, &error);
    g_assert_no_error (error);
    /* Its write-ahead log goes too, or SQLite would read the pages from there. */
    for (const char *const *suffix = (const char * const []) { "-wal", "-shm", NULL };
         *suffix; suffix++)
      {
        g_autofree char *file = g_strconcat (other_path, *suffix, NULL);
        g_unlink (file);
      }
    g_assert_true (g_file_set_contents (other_path, "not a database at all, just words", -1,
                                        NULL));
    {
      g_autoptr(GAsyncResult) result = NULL;

      reins_store_read_steps_async (good, "any", 1, 0, NULL, got_result_cb, &result);
      steps = reins_store_read_steps_finish (wait_result (&result), &error);
    }
  }
  g_assert_null (steps);
  g_assert_nonnull (error);
  g_assert_true (error->domain == REINS_ERROR);
  g_assert_true (g_file_get_contents (other_path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "not a database at all, just words");
  for (const char *const *suffix = (const char * const []) { "", "-wal", "-shm", NULL };
       *suffix; suffix++)
    {
      g_autofree char *file = g_strconcat (other_path, *suffix, NULL);
      g_unlink (file);
    }
}

static void
test_step_points (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) points = NULL;
  g_autoptr(GArray) loops = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GArray) sync_points = NULL;
  static const guint8 worst[] = { 0, 0, 0, REINS_VERDICT_CORRECT, 0, REINS_VERDICT_CORRECT,
                                  REINS_VERDICT_ASK, REINS_VERDICT_TERMINATE, 0, 0 };

  reins_store_read_step_points_async (f->store, reins_run_get_id (f->run), NULL, got_result_cb,
                                      &result);
  points = reins_store_read_step_points_finish (wait_result (&result), &loops, &error);
  g_assert_no_error (error);
  g_assert_nonnull (points);
  g_assert_cmpuint (points->len, ==, 10);
  for (guint i = 0; i < 10; i++)
    {
      ReinsStepPoint *point = &g_array_index (points, ReinsStepPoint, i);

      g_assert_cmpuint (point->index, ==, i + 1);
      if (i + 1 == 3)
        g_assert_cmpfloat (point->confidence, <, 0);
      else
        g_assert_cmpfloat_with_epsilon (point->confidence, (i + 1) / 10.0, 1e-6);
      g_assert_cmpfloat_with_epsilon (point->cost_usd, 0.5, 1e-6);
      g_assert_cmpfloat_with_epsilon (point->cost_total_usd, 0.5 * (i + 1), 1e-6);
      g_assert_cmpuint (point->input_tokens, ==, 100 * (i + 1));
      g_assert_cmpuint (point->output_tokens, ==, i + 1);
      g_assert_cmpuint (point->worst, ==, worst[i]);
    }
  /* Step 6 names 2 and 5; step 7 names nobody, so itself. */
  g_assert_nonnull (loops);
  g_assert_cmpuint (loops->len, ==, 3);
  g_assert_cmpuint (g_array_index (loops, guint, 0), ==, 2);
  g_assert_cmpuint (g_array_index (loops, guint, 1), ==, 5);
  g_assert_cmpuint (g_array_index (loops, guint, 2), ==, 7);

  /* The same without a worker; an unknown run has no points. */
  sync_points = reins_store_get_step_points (f->store, reins_run_get_id (f->run), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (sync_points->data, sync_points->len * sizeof (ReinsStepPoint),
                   points->data, points->len * sizeof (ReinsStepPoint));
  g_clear_pointer (&sync_points, g_array_unref);
  g_clear_pointer (&loops, g_array_unref);
  sync_points = reins_store_get_step_points (f->store, "no-such-run", &loops, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sync_points->len, ==, 0);
  g_assert_cmpuint (loops->len, ==, 0);
}

/* Verdicts written by hand or by another program: a kind nobody knows counts for nothing,
 * a loop's list of steps that is not a list of numbers names the step itself. */
static void
test_step_points_malformed (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) points = NULL;
  g_autoptr(GArray) loops = NULL;
  sqlite3 *db = NULL;
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("UPDATE verdicts SET kind = 'explode' WHERE step_num = "
                         "  (SELECT num FROM steps WHERE run_id = '%s' AND idx = 4);"
                         "UPDATE verdicts SET steps = '[2, \"five\", -3' WHERE step_num = "
                         "  (SELECT num FROM steps WHERE run_id = '%s' AND idx = 6);"
                         "UPDATE verdicts SET steps = '[\"x\", {}]' WHERE step_num = "
                         "  (SELECT num FROM steps WHERE run_id = '%s' AND idx = 7);"
                         "UPDATE steps SET confidence = 7.5 WHERE run_id = '%s' AND idx = 9;",
                         reins_run_get_id (f->run), reins_run_get_id (f->run),
                         reins_run_get_id (f->run), reins_run_get_id (f->run));
  if (f->schema != NULL)
    reins_test_pg_exec (f->path, sql);
  else
    {
      g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);
    }

  points = reins_store_get_step_points (f->store, reins_run_get_id (f->run), &loops, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (points->len, ==, 10);
  g_assert_cmpuint (g_array_index (points, ReinsStepPoint, 3).worst, ==, REINS_VERDICT_ALLOW);
  g_assert_cmpuint (g_array_index (points, ReinsStepPoint, 5).worst, ==, REINS_VERDICT_CORRECT);
  g_assert_cmpfloat (g_array_index (points, ReinsStepPoint, 8).confidence, ==, 1.0);
  /* Not JSON: step 6 itself. Step 7's list holds no numbers: nothing. */
  g_assert_cmpuint (loops->len, ==, 1);
  g_assert_cmpuint (g_array_index (loops, guint, 0), ==, 6);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/reins/store/async/read-steps", Fixture, NULL,
              fixture_set_up, test_read_steps, fixture_tear_down);
  g_test_add ("/reins/store/async/read-sees-commits", Fixture, NULL,
              fixture_set_up, test_read_sees_commits, fixture_tear_down);
  g_test_add ("/reins/store/async/read-cancelled", Fixture, NULL,
              fixture_set_up, test_read_cancelled, fixture_tear_down);
  g_test_add ("/reins/store/async/read-errors", Fixture, NULL,
              fixture_set_up, test_read_errors, fixture_tear_down);
  g_test_add ("/reins/store/async/read-damaged", Fixture, NULL,
              fixture_set_up, test_read_damaged, fixture_tear_down);
  g_test_add ("/reins/store/async/step-points", Fixture, NULL,
              fixture_set_up, test_step_points, fixture_tear_down);
  g_test_add ("/reins/store/async/step-points-malformed", Fixture, NULL,
              fixture_set_up, test_step_points_malformed, fixture_tear_down);
  if (reins_test_pg_available ())
    {
      g_test_add ("/reins/store/async/pg/step-points", Fixture, ON_PG,
                  fixture_set_up, test_step_points, fixture_tear_down);
      g_test_add ("/reins/store/async/pg/step-points-malformed", Fixture, ON_PG,
                  fixture_set_up, test_step_points_malformed, fixture_tear_down);
    }
  else
    g_test_add_data_func ("/reins/store/async/pg/step-points", NULL, reins_test_pg_missing);

  return g_test_run ();
}
