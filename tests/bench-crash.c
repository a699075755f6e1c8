/* bench-crash.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Crash safety: `reins-cli run` sim runs killed with SIGKILL at random points, then for each
 * the store's PRAGMA integrity_check, the steps printed on --json before the kill that the
 * store lost, the run marked `interrupted`, and `--resume` (its exit status, the steps after
 * it numbered without gaps, the same steps as the run never killed). Some runs are killed
 * while a question is open (--approve=ask, never answered): their resume must ask it again.
 *
 *   _build/tests/bench-crash [--runs=N] [--length=L] [--seed=S] [--pg]   prints the figures
 *   _build/tests/bench-crash --tap                                  the short test (meson)
 *
 * --pg kills runners writing to PostgreSQL (a schema of its own in REINS_TEST_PG_URI;
 * build-aux/pg-test-server.sh start DIR prints one): the integrity check is then that no
 * step, verdict or approval lost its run or step and every run's steps are numbered 1…n.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "reins-domain.h"
#include "reins-store.h"
#include "reins-test-pg.h"

typedef struct
{
  guint runs;
  guint kills;
  guint killed_asking;       /* killed while a question was open */
  guint printed;             /* step events read before the kill */
  guint lost;
  guint integrity_failures;
  guint not_interrupted;     /* killed unfinished, yet not marked interrupted */
  guint resumed_completed;   /* resume exit 0 */
  guint resumed_ended;       /* resume exit 1: ended without an answer */
  guint resume_refused;      /* exit 2 for a run that had finished before the kill */
  guint resume_bad;          /* any other exit, a crash, or gaps in the steps */
  guint diverged;            /* resumed runs whose steps differ from an uninterrupted run's */
  guint asked_again;
} Tally;

typedef struct
{
  char       *cli;
  char       *dir;
  char       *db;
  char       *reference_db;   /* the same runs, never killed */
  char       *schema;         /* --pg: the schema db is in */
  guint       length;
  gboolean    random_delay;  /* the benchmark adds a random pause before each kill */
} Bench;

/* What a run printed on --json. */
typedef struct
{
  char       *run_id;
  GHashTable *steps;          /* step number → action name ("" for none) */
  guint       first_asked;    /* the step of the first approval_requested; 0 none */
  gboolean    asked_first;    /* that approval came before any step */
  gboolean    finished;
  guint       events;
} Printed;

static void
printed_clear (Printed *p)
{
  g_clear_pointer (&p->run_id, g_free);
  g_clear_pointer (&p->steps, g_hash_table_unref);
}

/* Reads one event line into @p; returns its name, interned ("" when the line is not an
 * event). */
static const char *
read_event (Printed    *p,
            const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *event;
  const char *name;

  if (!json_parser_load_from_data (parser, line, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return "";
  event = json_node_get_object (json_parser_get_root (parser));
  name = g_intern_string (json_object_get_string_member_with_default (event, "event", ""));
  p->events++;

  if (g_str_equal (name, "run_started") && p->run_id == NULL)
    p->run_id = g_strdup (json_object_get_string_member (event, "run_id"));
  else if (g_str_equal (name, "step"))
    {
      JsonNode *action = json_object_get_member (event, "action");
      const char *tool = action != NULL && JSON_NODE_HOLDS_OBJECT (action)
                           ? json_object_get_string_member (json_node_get_object (action), "name")
                           : "";

      g_hash_table_insert (p->steps, GUINT_TO_POINTER (json_object_get_int_member (event, "step")),
                           g_strdup (tool));
    }
  else if (g_str_equal (name, "approval_requested"))
    {
      if (p->first_asked == 0)
        {
          p->first_asked = (guint) json_object_get_int_member (event, "step");
          p->asked_first = g_hash_table_size (p->steps) == 0;
        }
    }
  else if (g_str_equal (name, "run_finished"))
    p->finished = TRUE;

  return name;
}

static GSubprocess *
spawn (Bench       *b,
       GPtrArray   *args,
       GError     **error)
{
  g_ptr_array_insert (args, 0, g_strdup (b->cli));
  g_ptr_array_add (args, NULL);
  return g_subprocess_newv ((const char * const *) args->pdata,
                            G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                            G_SUBPROCESS_FLAGS_STDERR_SILENCE, error);
}

/* What PostgreSQL keeps whole by itself is not checked again: what a kill could leave. */
static gboolean
pg_integrity_ok (const char *uri)
{
  PGconn *conn = PQconnectdb (uri);
  PGresult *result = PQexec (conn,
    "SELECT (SELECT count (*) FROM steps s WHERE NOT EXISTS "
    "          (SELECT 1 FROM runs r WHERE r.id = s.run_id)) "
    "     + (SELECT count (*) FROM verdicts v WHERE NOT EXISTS "
    "          (SELECT 1 FROM steps s WHERE s.num = v.step_num)) "
    "     + (SELECT count (*) FROM approvals a WHERE NOT EXISTS "
    "          (SELECT 1 FROM steps s WHERE s.num = a.step_num)) "
    "     + (SELECT count (*) FROM (SELECT run_id FROM steps GROUP BY run_id "
    "          HAVING max (idx) <> count (*) OR min (idx) <> 1) AS gaps)");
  gboolean ok = PQresultStatus (result) == PGRES_TUPLES_OK &&
                g_str_equal (PQgetvalue (result, 0, 0), "0");

  PQclear (result);
  PQfinish (conn);
  return ok;
}

static gboolean
integrity_ok (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    ok = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0;
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return ok;
}

static void
add_run_args (GPtrArray  *args,
              Bench      *b,
              const char *db,
              guint       seed,
              double      accuracy,
              gboolean    ask,
              const char *task)
{
  g_ptr_array_add (args, g_strdup ("run"));
  g_ptr_array_add (args, g_strdup_printf ("--db=%s", db));
  g_ptr_array_add (args, g_strdup ("--json"));
  g_ptr_array_add (args, g_strdup_printf ("--seed=%u", seed));
  g_ptr_array_add (args, g_strdup_printf ("--sim-accuracy=%.2f", accuracy));
  g_ptr_array_add (args, g_strdup (ask ? "--approve=ask" : "--approve=yes"));
  g_ptr_array_add (args, g_strdup_printf ("--max-steps=%u", b->length * 2 + 10));
  g_ptr_array_add (args, g_strdup ("--budget=100"));
  g_ptr_array_add (args, g_strdup_printf ("--workspace=%s", b->dir));
  g_ptr_array_add (args, g_strdup (task));
}

/* The steps of the same run made without a kill (questions approved as the resume does). */
static GPtrArray *
reference_steps (Bench      *b,
                 guint       seed,
                 double      accuracy,
                 const char *task)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = NULL;
  Printed p = { 0 };
  GPtrArray *steps;

  p.steps = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  add_run_args (args, b, b->reference_db, seed, accuracy, FALSE, task);
  process = spawn (b, args, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, NULL);

      if (line == NULL)
        break;
      read_event (&p, line);
    }
  g_subprocess_wait (process, NULL, NULL);
  g_assert_nonnull (p.run_id);

  store = reins_store_open (b->reference_db, &error);
  g_assert_no_error (error);
  steps = reins_store_get_steps (store, p.run_id, 1, 0, &error);
  g_assert_no_error (error);
  printed_clear (&p);
  return steps;
}

static char *
step_text (ReinsStep *step)
{
  ReinsAction *action = reins_step_get_action (step);
  g_autofree char *text = action != NULL ? reins_action_to_string (action) : g_strdup ("-");

  return g_strdup_printf ("%s → %s", text, reins_step_get_observation (step));
}

static gboolean
same_steps (GPtrArray *a,
            GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      g_autofree char *x = step_text (g_ptr_array_index (a, i));
      g_autofree char *y = step_text (g_ptr_array_index (b, i));

      if (!g_str_equal (x, y))
        return FALSE;
    }
  return TRUE;
}

/* One run: started, killed at a random step (or at its first question), checked, resumed. */
static void
one_run (Bench  *b,
         GRand  *rand,
         guint   seed,
         double  accuracy,
         gboolean ask,
         Tally  *t)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autofree char *task = reins_kb_task (seed, b->length);
  Printed p = { 0 };
  Printed again = { 0 };
  guint kill_after = (guint) g_rand_int_range (rand, 0, (gint32) b->length + 1);
  guint step_events = 0;
  gboolean killed = FALSE;
  guint open_at_kill = 0;
  GHashTableIter iter;
  gpointer key, value;
  int status;

  p.steps = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  again.steps = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  t->runs++;

  add_run_args (args, b, b->db, seed, accuracy, ask, task);
  process = spawn (b, args, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, NULL);
      const char *name;

      if (line == NULL)
        break;
      name = read_event (&p, line);
      if (g_str_equal (name, "step"))
        step_events++;

      /* With --approve=ask nobody answers: the question stays open until the kill. */
      if ((ask && g_str_equal (name, "approval_requested")) ||
          (!ask && g_str_equal (name, "step") && step_events >= kill_after))
        {
          if (b->random_delay)
            g_usleep (g_rand_int_range (rand, 0, 3000));
          g_subprocess_force_exit (process);
          killed = TRUE;
          break;
        }
    }

  /* What was printed before the kill, up to the end of the pipe. */
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, NULL);

      if (line == NULL)
        break;
      read_event (&p, line);
    }
  g_subprocess_wait (process, NULL, NULL);
  g_assert_nonnull (p.run_id);

  if (killed && g_subprocess_get_if_signaled (process))
    t->kills++;
  t->printed += g_hash_table_size (p.steps);

  if (b->schema != NULL ? !pg_integrity_ok (b->db) : !integrity_ok (b->db))
    t->integrity_failures++;

  store = reins_store_open (b->db, &error);
  g_assert_no_error (error);
  run = reins_store_get_run (store, p.run_id, &error);
  g_assert_no_error (error);
  steps = reins_store_get_steps (store, p.run_id, 1, 0, &error);
  g_assert_no_error (error);

  g_hash_table_iter_init (&iter, p.steps);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint index = GPOINTER_TO_UINT (key);
      ReinsStep *stored = index >= 1 && index <= steps->len ? g_ptr_array_index (steps, index - 1)
                                                             : NULL;
      ReinsAction *action = stored != NULL ? reins_step_get_action (stored) : NULL;

      if (stored == NULL || reins_step_get_index (stored) != index ||
          g_strcmp0 (action != NULL ? reins_action_get_name (action) : "", value) != 0)
        t->lost++;
    }

  if (!reins_run_status_is_final (reins_run_get_status (run)) &&
      reins_run_get_status (run) != REINS_RUN_STATUS_INTERRUPTED)
    t->not_interrupted++;

  /* A question open at the kill is one the store holds without a decision (what was printed
   * may lag behind what the worker had already stored). */
  if (steps->len > 0 && !reins_run_status_is_final (reins_run_get_status (run)))
    {
      GPtrArray *approvals = reins_step_get_approvals (g_ptr_array_index (steps, steps->len - 1));

      if (approvals->len > 0 &&
          reins_approval_record_get_decision (g_ptr_array_index (approvals, approvals->len - 1))
            == REINS_DECISION_NONE)
        {
          open_at_kill = reins_step_get_index (g_ptr_array_index (steps, steps->len - 1));
          t->killed_asking++;
        }
    }
  g_clear_object (&store);

  /* The resume. */
  g_ptr_array_set_size (args, 0);
  g_ptr_array_add (args, g_strdup ("run"));
  g_ptr_array_add (args, g_strdup_printf ("--db=%s", b->db));
  g_ptr_array_add (args, g_strdup ("--json"));
  g_ptr_array_add (args, g_strdup ("--approve=yes"));
  g_ptr_array_add (args, g_strdup_printf ("--resume=%s", p.run_id));
  g_clear_object (&out);
  g_clear_object (&process);
  process = spawn (b, args, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, NULL);

      if (line == NULL)
        break;
      read_event (&again, line);
    }
  g_subprocess_wait (process, NULL, NULL);

  /* The open question comes first, before any step. */
  if (open_at_kill != 0 && again.first_asked == open_at_kill && again.asked_first)
    t->asked_again++;

  status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  if (reins_run_status_is_final (reins_run_get_status (run)))
    {
      if (status == 2)
        t->resume_refused++;
      else
        t->resume_bad++;
    }
  else if (status == 0 || status == 1)
    {
      g_autoptr(ReinsStore) after_store = reins_store_open (b->db, NULL);
      g_autoptr(ReinsRun) after = after_store ? reins_store_get_run (after_store, p.run_id, NULL) : NULL;
      g_autoptr(GPtrArray) after_steps = after_store ? reins_store_get_steps (after_store, p.run_id, 1, 0, NULL) : NULL;
      gboolean contiguous = after_steps != NULL;

      for (guint i = 0; contiguous && i < after_steps->len; i++)
        contiguous = reins_step_get_index (g_ptr_array_index (after_steps, i)) == i + 1;
      if (!contiguous || after == NULL || !reins_run_status_is_final (reins_run_get_status (after)))
        t->resume_bad++;
      else if (status == 0)
        t->resumed_completed++;
      else
        t->resumed_ended++;

      if (after_steps != NULL)
        {
          g_autoptr(GPtrArray) whole = reference_steps (b, seed, accuracy, task);

          if (!same_steps (after_steps, whole))
            t->diverged++;
        }
    }
  else
    {
      t->resume_bad++;
    }

  printed_clear (&p);
  printed_clear (&again);
}

static void
bench_init (Bench    *b,
            guint     length,
            gboolean  pg)
{
  const char *cli = g_getenv ("REINS_CLI");
  g_autoptr(GError) error = NULL;

  if (cli != NULL)
    b->cli = g_strdup (cli);
  else
    {
      g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
      g_autofree char *tests = self != NULL ? g_path_get_dirname (self) : g_strdup ("tests");

      b->cli = g_build_filename (tests, "..", "app", "cli", "reins-cli", NULL);
    }
  b->dir = g_dir_make_tmp ("reins-crash-XXXXXX", &error);
  g_assert_no_error (error);
  if (pg)
    b->db = reins_test_pg_schema_new (&b->schema);
  else
    b->db = g_build_filename (b->dir, "runs.db", NULL);
  b->reference_db = g_build_filename (b->dir, "reference.db", NULL);
  b->length = length;
}

static void
bench_clear (Bench *b)
{
  g_autoptr(GDir) dir = g_dir_open (b->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (b->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (b->dir);
  if (b->schema != NULL)
    reins_test_pg_schema_drop (b->schema);
  g_free (b->schema);
  g_free (b->cli);
  g_free (b->dir);
  g_free (b->db);
  g_free (b->reference_db);
}

/* @n_runs runs; every third is killed at its first question. */
static void
bench_run (Bench  *b,
           guint   n_runs,
           guint   seed,
           Tally  *t)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (guint i = 0; i < n_runs; i++)
    {
      gboolean ask = i % 3 == 2;

      one_run (b, rand, seed + i, ask ? 0.6 : 0.8, ask, t);
    }
}

static char *
format_tally (const Tally *t,
              double       seconds)
{
  return g_strdup_printf (
    "crash safety: %u runs, %u killed with SIGKILL (%u while a question was open)\n"
    "  steps printed before the kills: %u, lost: %u\n"
    "  integrity_check failures: %u; killed runs not marked interrupted: %u\n"
    "  resumes: %u completed (exit 0), %u ended without an answer (exit 1), "
    "%u refused as already finished (exit 2), %u bad\n"
    "  open questions asked again first on resume: %u of %u\n"
    "  resumed runs whose steps differ from the same run never killed: %u\n"
    "  %.1f s",
    t->runs, t->kills, t->killed_asking, t->printed, t->lost, t->integrity_failures,
    t->not_interrupted, t->resumed_completed, t->resumed_ended, t->resume_refused,
    t->resume_bad, t->asked_again, t->killed_asking, t->diverged, seconds);
}

/* The short version, in the test suite. */
static void
test_kill_and_resume (gconstpointer data)
{
  Bench b = { 0 };
  Tally t = { 0 };
  g_autofree char *figures = NULL;
  gint64 start = g_get_monotonic_time ();

  bench_init (&b, 12, data != NULL);
  bench_run (&b, 6, 17, &t);
  bench_clear (&b);
  figures = format_tally (&t, (g_get_monotonic_time () - start) / 1e6);
  g_test_message ("%s", figures);

  g_assert_cmpuint (t.runs, ==, 6);
  g_assert_cmpuint (t.lost, ==, 0);
  g_assert_cmpuint (t.integrity_failures, ==, 0);
  g_assert_cmpuint (t.not_interrupted, ==, 0);
  g_assert_cmpuint (t.resume_bad, ==, 0);
  g_assert_cmpuint (t.asked_again, ==, t.killed_asking);
  g_assert_cmpuint (t.diverged, ==, 0);
  /* Something was checked: runs were killed, and one with its question open. */
  g_assert_cmpuint (t.kills, >, 0);
  g_assert_cmpuint (t.killed_asking, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  int runs = 40, length = 30, seed = 1;
  gboolean tap = FALSE;
  gboolean pg = FALSE;
  GOptionEntry entries[] = {
    { "pg", 0, 0, G_OPTION_ARG_NONE, &pg, "Runners write to PostgreSQL (REINS_TEST_PG_URI)",
      NULL },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs to kill [40]", "N" },
    { "length", 0, 0, G_OPTION_ARG_INT, &length, "Chain length of each run [30]", "L" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Seed of the kill points and runs [1]", "S" },
    { "tap", 0, 0, G_OPTION_ARG_NONE, &tap, "Run the short version as a test", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  Bench b = { 0 };
  Tally t = { 0 };
  g_autofree char *figures = NULL;
  gint64 start;

  /* The pipes of killed children must not end this program. */
  signal (SIGPIPE, SIG_IGN);

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--tap"))
      tap = TRUE;
  if (tap)
    {
      g_test_init (&argc, &argv, NULL);
      g_test_add_data_func ("/reins/crash/kill-and-resume", NULL, test_kill_and_resume);
      if (reins_test_pg_available ())
        g_test_add_data_func ("/reins/crash/pg/kill-and-resume", GINT_TO_POINTER (1),
                              test_kill_and_resume);
      else
        g_test_add_data_func ("/reins/crash/pg/kill-and-resume", NULL, reins_test_pg_missing);
      return g_test_run ();
    }

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || runs < 1 || length < 2 ||
      seed < 0)
    {
      fprintf (stderr, "bench-crash: %s\n", error != NULL ? error->message : "bad option");
      return 2;
    }

  if (pg && !reins_test_pg_available ())
    {
      fprintf (stderr, "bench-crash: --pg needs REINS_TEST_PG_URI\n");
      return 2;
    }
  bench_init (&b, (guint) length, pg);
  b.random_delay = TRUE;
  start = g_get_monotonic_time ();
  bench_run (&b, (guint) runs, (guint) seed, &t);
  figures = format_tally (&t, (g_get_monotonic_time () - start) / 1e6);
  printf ("%s\n", figures);
  bench_clear (&b);

  return t.lost == 0 && t.integrity_failures == 0 && t.not_interrupted == 0 &&
         t.resume_bad == 0 && t.diverged == 0 && t.asked_again == t.killed_asking ? 0 : 1;
}
