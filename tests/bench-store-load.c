/* bench-store-load.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The run store under a team's load: RUNNERS runs committing STEPS steps each at once,
 * every ASK_EVERY-th step a question that two approvers race to answer. Each runner and
 * each approver is a process of its own (this program again, with --runner or --approver)
 * with a connection of its own. Prints the steps lost (must be 0), the double decisions
 * (must be 0), the commit latency per step (p50, p99), the time from an answer to the run
 * going on (p50, p99; the answer's stored resolved_at against the runner's clock, one
 * machine) and, on PostgreSQL, the CPU time of the server's processes (utime + stime +
 * the children's, from /proc) over the load. Built, not run as a test:
 *
 *   _build/tests/bench-store-load [--no-resume] [--kill=K] [RUNNERS [STEPS [STORE]]]
 *                                                   [no kills, 10 100, a temporary file]
 *   _build/tests/bench-store-load --kill=10 50 200 postgresql://…   the full size
 *
 * --kill=K: K runners die with SIGKILL at random steps during the load; then the store
 * must be whole (PRAGMA integrity_check; on PostgreSQL no orphan rows, no gaps), each
 * killed run must show interrupted (its pid gone; its lease lapsed: the lease is 2 s here
 * unless REINS_STORE_LEASE_SECONDS says otherwise) and be resumed (--resume: on after its
 * last stored step, a question open there asked again) to its end. The suite runs
 * `--kill=3 6 60` on a file: it fails on any of these, never on a timing.
 *
 * STORE is a file or a postgresql:// URI (build-aux/pg-test-server.sh start DIR prints
 * the URI of a throwaway server); with a URI the same load runs on a SQLite file after
 * it, for comparison. Figures are printed, never asserted.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "reins-domain.h"
#include "reins-store.h"

#define ASK_EVERY 20

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("%s: %s\n", what, error != NULL ? error->message : "?");
  exit (1);
}

/* A runner process: one run of @n_steps, every ASK_EVERY-th step a question it waits for
 * as a `run --approve=remote` does. Prints "c µs" per commit and "a µs" per answer seen. */
/* Waits for the decision on step @i's question; returns the µs from its resolved_at. */
static gint64
await_decision (ReinsStore *store,
                ReinsRun   *run,
                guint       i)
{
  g_autoptr(GError) error = NULL;

  for (;;)
    {
      g_autoptr(ReinsStep) stored = reins_store_get_step (store, reins_run_get_id (run), i,
                                                          &error);
      ReinsApprovalRecord *approval;

      if (stored == NULL)
        die ("read", error);
      approval = g_ptr_array_index (reins_step_get_approvals (stored), 0);
      if (reins_approval_record_get_decision (approval) != REINS_DECISION_NONE)
        return g_get_real_time () - reins_approval_record_get_resolved_at (approval);
      g_usleep (1000);
    }
}

/* With @resume, the run of that id goes on after the last step it stored (a question
 * open there is waited for first), as `reins-cli run --resume` does. */
static int
runner_main (const char *location,
             guint       n_steps,
             const char *resume)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = reins_store_open (location, &error);
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  guint first = 1;

  if (store == NULL)
    die ("open", error);
  if (resume != NULL)
    {
      g_autoptr(GPtrArray) steps = NULL;

      run = reins_store_get_run (store, resume, &error);
      if (run == NULL)
        die ("resume", error);
      steps = reins_store_get_steps (store, resume, 1, 0, &error);
      if (steps == NULL)
        die ("resume", error);
      first = steps->len + 1;
      if (steps->len > 0 && steps->len % ASK_EVERY == 0)
        {
          /* Asked again: the run waits, where the approvers look. */
          reins_run_set_status (run, REINS_RUN_STATUS_AWAITING_APPROVAL);
          if (!reins_store_update_run (store, run, &error))
            die ("resume", error);
          await_decision (store, run, steps->len);
        }
    }
  else
    run = reins_run_new ("Load");
  /* The parent learns the run's id at once, to kill it at a step of its choosing. */
  printf ("id %s\n", reins_run_get_id (run));
  fflush (stdout);
  reins_run_set_status (run, REINS_RUN_STATUS_RUNNING);
  for (guint i = first; i <= n_steps; i++)
    {
      g_autoptr(ReinsStep) step = reins_step_new (reins_run_get_id (run), i);
      gboolean ask = i % ASK_EVERY == 0;
      gint64 start;

      reins_step_set_thought (step, "Look up the next key in the chain.");
      reins_step_set_observation (step, "{\"next\": \"chain-1-100/1-9f3a\"}");
      reins_run_set_step_count (run, i);
      if (ask)
        {
          g_autoptr(ReinsApprovalRecord) record =
            reins_approval_record_new (i, "policy", "A person approves writes.", NULL, NAN);

          reins_step_add_approval (step, record);
          reins_run_set_status (run, REINS_RUN_STATUS_AWAITING_APPROVAL);
        }
      start = g_get_monotonic_time ();
      if (!reins_store_commit_step (store, run, step, &error))
        die ("commit", error);
      g_string_append_printf (out, "c %" G_GINT64_FORMAT "\n", g_get_monotonic_time () - start);

      if (ask)
        {
          g_string_append_printf (out, "a %" G_GINT64_FORMAT "\n",
                                  await_decision (store, run, i));
          reins_run_set_status (run, REINS_RUN_STATUS_RUNNING);
        }
    }
  reins_run_set_status (run, REINS_RUN_STATUS_COMPLETED);
  if (!reins_store_update_run (store, run, &error))
    die ("finish", error);
  fputs (out->str, stdout);
  return 0;
}

/* An approver process: answers every open question it finds until @stop exists. Prints
 * "d N" (decisions it stored) and "r N" (answers refused because another had won). */
static int
approver_main (const char *location,
               const char *stop)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = reins_store_open (location, &error);
  g_autofree char *me = g_strdup_printf ("approver-%d", (int) getpid ());
  guint decisions = 0, refused = 0;

  if (store == NULL)
    die ("open", error);
  while (!g_file_test (stop, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GPtrArray) waiting = reins_store_list_runs (store,
                                                            REINS_RUN_STATUS_AWAITING_APPROVAL,
                                                            0, 0, &error);

      if (waiting == NULL)
        die ("list", error);
      for (guint i = 0; i < waiting->len; i++)
        {
          ReinsRun *run = g_ptr_array_index (waiting, i);
          guint index = reins_run_get_step_count (run);
          g_autoptr(ReinsStep) step = reins_store_get_step (store, reins_run_get_id (run), index,
                                                            NULL);
          ReinsApprovalRecord *approval;

          if (step == NULL || reins_step_get_approvals (step)->len == 0)
            continue;
          approval = g_ptr_array_index (reins_step_get_approvals (step), 0);
          if (reins_approval_record_get_decision (approval) != REINS_DECISION_NONE)
            continue;
          reins_approval_record_set_decided_by (approval, me);
          reins_approval_record_resolve (approval, REINS_DECISION_APPROVE, NULL, NULL,
                                         g_get_real_time ());
          if (reins_store_decide_approval (store, reins_run_get_id (run), index, 0, approval,
                                           &error))
            decisions++;
          else
            {
              refused++;
              g_clear_error (&error);
            }
        }
      g_usleep (1000);
    }
  printf ("d %u\nr %u\n", decisions, refused);
  return 0;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gint64
percentile (GArray *values,
            guint   p)
{
  if (values->len == 0)
    return 0;
  return g_array_index (values, gint64, MIN (values->len - 1, values->len * p / 100));
}

/* The CPU time (clock ticks) of a process and of its waited-for children, from /proc. */
static guint64
proc_cpu (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;
  guint64 sum = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (after = strrchr (text, ')')) == NULL)
    return 0;
  /* After "pid (comm)": state is field 3; utime 14, stime 15, cutime 16, cstime 17. */
  fields = g_strsplit (after + 2, " ", 0);
  for (guint i = 11; i <= 14 && fields[i] != NULL; i++)
    sum += g_ascii_strtoull (fields[i], NULL, 10);
  return sum;
}

static int
proc_parent (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *text = NULL;
  const char *after;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (after = strrchr (text, ')')) == NULL)
    return 0;
  return atoi (after + 4);
}

/* The server's CPU so far: the postmaster (with the backends it has reaped) and the
 * processes it runs now. @postmaster is found from a backend's parent. */
static guint64
server_cpu (int postmaster)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint64 sum = proc_cpu (postmaster);

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      int pid = atoi (name);

      if (pid > 0 && proc_parent (pid) == postmaster)
        sum += proc_cpu (pid);
    }
  return sum;
}

static int
find_postmaster (const char *location)
{
  PGconn *conn = PQconnectdb (location);
  PGresult *result = PQexec (conn, "SELECT pg_backend_pid ()");
  int backend = PQresultStatus (result) == PGRES_TUPLES_OK ? atoi (PQgetvalue (result, 0, 0)) : 0;
  int postmaster = backend > 0 ? proc_parent (backend) : 0;

  PQclear (result);
  PQfinish (conn);
  return postmaster;
}

static GSubprocess *
spawn_self (const char *self,
            const char *role,
            const char *location,
            const char *arg)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                           self, role, location, arg, NULL);

  if (process == NULL)
    die ("spawn", error);
  return process;
}

/* What a kill could leave broken: SQLite's own check, or on PostgreSQL (which keeps its
 * pages whole by itself) steps, verdicts or approvals without their run or step, and runs
 * whose steps are not numbered 1…n without gaps. */
static gboolean
integrity_ok (const char *location)
{
  gboolean ok = FALSE;

  if (reins_store_is_remote (location))
    {
      PGconn *conn = PQconnectdb (location);
      PGresult *result = PQexec (conn,
        "SELECT (SELECT count (*) FROM steps s WHERE NOT EXISTS "
        "          (SELECT 1 FROM runs r WHERE r.id = s.run_id)) "
        "     + (SELECT count (*) FROM verdicts v WHERE NOT EXISTS "
        "          (SELECT 1 FROM steps s WHERE s.num = v.step_num)) "
        "     + (SELECT count (*) FROM approvals a WHERE NOT EXISTS "
        "          (SELECT 1 FROM steps s WHERE s.num = a.step_num)) "
        "     + (SELECT count (*) FROM (SELECT run_id FROM steps GROUP BY run_id "
        "          HAVING max (idx) <> count (*) OR min (idx) <> 1) AS gaps)");

      ok = PQresultStatus (result) == PGRES_TUPLES_OK &&
           g_str_equal (PQgetvalue (result, 0, 0), "0");
      PQclear (result);
      PQfinish (conn);
    }
  else
    {
      sqlite3 *db = NULL;
      sqlite3_stmt *stmt = NULL;

      if (sqlite3_open_v2 (location, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
          sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL) == SQLITE_OK &&
          sqlite3_step (stmt) == SQLITE_ROW)
        ok = g_str_equal ((const char *) sqlite3_column_text (stmt, 0), "ok");
      sqlite3_finalize (stmt);
      sqlite3_close (db);
    }
  return ok;
}

/* Kills @runner with SIGKILL once its run has stored @at steps (or it ended first);
 * returns the run's id when it was killed. */
static char *
kill_at (GSubprocess *runner,
         const char  *location,
         guint        at)
{
  g_autoptr(GDataInputStream) out =
    g_data_input_stream_new (g_subprocess_get_stdout_pipe (runner));
  g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = NULL;

  if (line == NULL || !g_str_has_prefix (line, "id "))
    return NULL;
  store = reins_store_open (location, &error);
  if (store == NULL)
    die ("open", error);
  for (;;)
    {
      g_autoptr(ReinsRun) run = reins_store_get_run (store, line + 3, NULL);

      if (run != NULL && reins_run_get_status (run) == REINS_RUN_STATUS_COMPLETED)
        {
          g_subprocess_wait (runner, NULL, NULL);
          return NULL;
        }
      if (run != NULL && reins_run_get_step_count (run) >= at)
        break;
      g_usleep (1000);
    }
  g_subprocess_force_exit (runner);
  g_subprocess_wait (runner, NULL, NULL);
  return g_subprocess_get_if_signaled (runner) ? g_strdup (line + 3) : NULL;
}

typedef struct
{
  GSubprocess *runner;
  const char  *location;
  guint        at;
} Victim;

static gpointer
kill_thread (gpointer data)
{
  Victim *v = data;

  return kill_at (v->runner, v->location, v->at);
}

/* Waits until the store, opened afresh, shows every killed run as interrupted (the pid
 * is gone on a file; the lease lapses on PostgreSQL); returns how many never did. */
static guint
await_interrupted (const char *location,
                   GPtrArray  *killed)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  guint missing = killed->len;

  while (missing > 0 && g_get_monotonic_time () < deadline)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ReinsStore) store = reins_store_open (location, &error);

      if (store == NULL)
        die ("open", error);
      missing = 0;
      for (guint i = 0; i < killed->len; i++)
        {
          g_autoptr(ReinsRun) run = reins_store_get_run (store, g_ptr_array_index (killed, i),
                                                         NULL);

          if (run == NULL || reins_run_get_status (run) != REINS_RUN_STATUS_INTERRUPTED)
            missing++;
        }
      if (missing > 0)
        g_usleep (100000);
    }
  return missing;
}

/* One load on @location; returns FALSE when steps were lost or a decision doubled. */
static gboolean
run_load (const char *self,
          const char *location,
          const char *dir,
          guint       n_runners,
          guint       n_steps,
          guint       n_kills,
          gboolean    skip_resume)
{
  g_autoptr(GPtrArray) killed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);  /* this load's runs */
  g_autoptr(GRand) rand = g_rand_new_with_seed (n_runners * 7919 + n_steps);
  guint not_interrupted = 0, resume_failed = 0;
  gboolean whole = TRUE;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(GPtrArray) runners = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) approvers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) commit_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) answer_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *stop = g_build_filename (dir, "stop", NULL);
  g_autofree char *steps_arg = g_strdup_printf ("%u", n_steps);
  gboolean remote = reins_store_is_remote (location);
  int postmaster = remote ? find_postmaster (location) : 0;
  guint64 cpu_before = postmaster > 0 ? server_cpu (postmaster) : 0, cpu_after;
  guint64 stored = 0, expected = (guint64) n_runners * n_steps, doubled = 0;
  guint decisions = 0, refused = 0, failed = 0;
  guint questions = n_runners * (n_steps / ASK_EVERY);
  gint64 start;
  double seconds;

  /* One open first: the schema is set up once, and the figures start from what is there. */
  store = reins_store_open (location, &error);
  if (store == NULL)
    die ("open", error);
  g_remove (stop);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < 2; i++)
    g_ptr_array_add (approvers, spawn_self (self, "--approver", location, stop));
  for (guint i = 0; i < n_runners; i++)
    g_ptr_array_add (runners, spawn_self (self, "--runner", location, steps_arg));

  /* The first n_kills runners die with SIGKILL at random steps, each watched by a thread
   * of its own, while the rest go on; one that finishes first is not killed. */
  {
    g_autofree Victim *victims = g_new0 (Victim, MAX (n_kills, 1));
    g_autoptr(GPtrArray) watchers = g_ptr_array_new ();

    for (guint i = 0; i < MIN (n_kills, n_runners); i++)
      {
        victims[i] = (Victim) { g_ptr_array_index (runners, i), location,
                                (guint) g_rand_int_range (rand, 1, (gint32) n_steps) };
        g_ptr_array_add (watchers, g_thread_new ("kill", kill_thread, &victims[i]));
      }
    for (guint i = 0; i < watchers->len; i++)
      {
        char *id = g_thread_join (g_ptr_array_index (watchers, i));

        if (id != NULL)
          g_ptr_array_add (killed, id);
      }
  }
  for (guint i = MIN (n_kills, n_runners); i < runners->len; i++)
    {
      g_autofree char *out = NULL;
      g_auto(GStrv) lines = NULL;

      if (!g_subprocess_communicate_utf8 (g_ptr_array_index (runners, i), NULL, NULL, &out,
                                          NULL, &error))
        die ("runner", error);
      if (!g_subprocess_get_successful (g_ptr_array_index (runners, i)))
        failed++;
      lines = g_strsplit (out, "\n", 0);
      for (guint j = 0; lines[j] != NULL; j++)
        {
          gint64 value = g_ascii_strtoll (lines[j] + MIN (2, strlen (lines[j])), NULL, 10);

          if (g_str_has_prefix (lines[j], "id "))
            g_ptr_array_add (ids, g_strdup (lines[j] + 3));
          else if (lines[j][0] == 'c')
            g_array_append_val (commit_us, value);
          else if (lines[j][0] == 'a')
            g_array_append_val (answer_us, value);
        }
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  cpu_after = postmaster > 0 ? server_cpu (postmaster) : 0;

  /* The killed runs: the store whole, each shown interrupted, each resumed to its end
   * (the approvers still answer the questions the resumes ask). */
  if (killed->len > 0)
    {
      whole = integrity_ok (location);
      not_interrupted = await_interrupted (location, killed);
      for (guint i = 0; i < killed->len && !skip_resume; i++)
        {
          g_autoptr(GSubprocess) resume =
            g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, self, "--resume",
                              location, steps_arg, g_ptr_array_index (killed, i), NULL);

          if (resume == NULL)
            die ("spawn", error);
          if (!g_subprocess_wait_check (resume, NULL, NULL))
            resume_failed++;
        }
      whole = whole && integrity_ok (location);
    }

  g_file_set_contents (stop, "", 0, NULL);
  for (guint i = 0; i < approvers->len; i++)
    {
      g_autofree char *out = NULL;
      guint d = 0, r = 0;

      if (!g_subprocess_communicate_utf8 (g_ptr_array_index (approvers, i), NULL, NULL, &out,
                                          NULL, &error))
        die ("approver", error);
      if (sscanf (out, "d %u\nr %u", &d, &r) != 2)
        failed++;
      decisions += d;
      refused += r;
    }
  g_remove (stop);

  /* Steps lost: what the runners committed against what this load's completed runs hold in
   * the store (runs already there are not counted); a question with
   * more than one decision stored, or stored twice, is a double decision. */
  for (guint i = 0; i < killed->len; i++)
    g_ptr_array_add (ids, g_strdup (g_ptr_array_index (killed, i)));
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(ReinsRun) run = reins_store_get_run (store, g_ptr_array_index (ids, i), NULL);
      g_autoptr(GPtrArray) steps = NULL;

      if (run == NULL || reins_run_get_status (run) != REINS_RUN_STATUS_COMPLETED)
        continue;
      steps = reins_store_get_steps (store, reins_run_get_id (run), 1, 0, &error);

      for (guint j = 0; steps != NULL && j < steps->len; j++)
        {
          GPtrArray *approvals = reins_step_get_approvals (g_ptr_array_index (steps, j));

          doubled += approvals->len > 1;
        }
      stored += steps != NULL ? steps->len : 0;
    }
  if (decisions > questions)
    doubled += decisions - questions;

  g_array_sort (commit_us, compare_gint64);
  g_array_sort (answer_us, compare_gint64);
  printf ("store: %s (%s)\n", reins_store_get_display_name (store),
          reins_store_get_backend_name (store));
  printf ("%u runner processes x %u steps, a question every %u steps, 2 approver processes: "
          "%.1f s\n", n_runners, n_steps, ASK_EVERY, seconds);
  printf ("steps lost: %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
          " stored); runner or approver failures: %u\n",
          expected - MIN (stored, expected), stored, expected, failed);
  printf ("questions: %u, %u decided, %u second answers refused, double decisions: %"
          G_GUINT64_FORMAT "\n", questions, decisions, refused, doubled);
  printf ("commit per step: p50 %" G_GINT64_FORMAT " µs, p99 %" G_GINT64_FORMAT " µs\n",
          percentile (commit_us, 50), percentile (commit_us, 99));
  printf ("answer to run going on: p50 %.1f ms, p99 %.1f ms\n",
          percentile (answer_us, 50) / 1e3, percentile (answer_us, 99) / 1e3);
  if (n_kills > 0)
    printf ("killed with SIGKILL during the load: %u of %u runners aimed at; store whole after the kills "
            "and after the resumes: %s; not shown interrupted: %u; resumes failed: %u\n",
            killed->len, MIN (n_kills, n_runners), whole ? "yes" : "NO", not_interrupted,
            resume_failed);
  if (remote)
    {
      if (postmaster > 0)
        printf ("server CPU (postmaster %d and its processes): %.2f s\n", postmaster,
                (double) (cpu_after - cpu_before) / sysconf (_SC_CLK_TCK));
      else
        printf ("server CPU: not measured (the server is not on this machine)\n");
    }
  return failed == 0 && stored == expected && doubled == 0 && decisions == questions &&
         whole && not_interrupted == 0 && resume_failed == 0 && (n_kills == 0 || killed->len > 0);
}

static void
remove_sqlite (const char *location)
{
  g_autofree char *wal = g_strconcat (location, "-wal", NULL);
  g_autofree char *shm = g_strconcat (location, "-shm", NULL);

  g_remove (wal);
  g_remove (shm);
  g_remove (location);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *self = NULL;
  guint n_runners, n_steps, n_kills = 0;
  gboolean skip_resume = FALSE;
  gboolean ok;

  if (argc == 4 && g_str_equal (argv[1], "--runner"))
    return runner_main (argv[2], (guint) strtoul (argv[3], NULL, 10), NULL);
  if (argc == 5 && g_str_equal (argv[1], "--resume"))
    return runner_main (argv[2], (guint) strtoul (argv[3], NULL, 10), argv[4]);
  if (argc == 4 && g_str_equal (argv[1], "--approver"))
    return approver_main (argv[2], argv[3]);

  /* --no-resume leaves the killed runs unfinished: the check of the suite that must fire
   * (steps lost), so that the one that must not is known to look. */
  if (argc > 1 && g_str_equal (argv[1], "--no-resume"))
    {
      skip_resume = TRUE;
      argc--;
      argv++;
    }
  if (argc > 1 && g_str_has_prefix (argv[1], "--kill="))
    {
      n_kills = (guint) strtoul (argv[1] + strlen ("--kill="), NULL, 10);
      argc--;
      argv++;
      /* A killed runner's lease lapses soon after (PostgreSQL). */
      g_setenv ("REINS_STORE_LEASE_SECONDS", "2", FALSE);
    }
  n_runners = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 10;
  n_steps = argc > 2 ? (guint) strtoul (argv[2], NULL, 10) : 100;
  if (n_runners == 0 || n_steps == 0)
    {
      g_printerr ("usage: bench-store-load [--kill=K] [RUNNERS [STEPS [STORE]]]\n");
      return 1;
    }
  dir = g_dir_make_tmp ("reins-bench-XXXXXX", &error);
  if (dir == NULL)
    die ("temporary directory", error);
  self = g_file_read_link ("/proc/self/exe", NULL);
  if (self == NULL)
    self = g_strdup (argv[0]);
  file = g_build_filename (dir, "runs.db", NULL);

  if (argc > 3)
    {
      ok = run_load (self, argv[3], dir, n_runners, n_steps, n_kills, skip_resume);
      printf ("\nThe same load on SQLite, one machine:\n");
      ok = run_load (self, file, dir, n_runners, n_steps, n_kills, skip_resume) && ok;
    }
  else
    ok = run_load (self, file, dir, n_runners, n_steps, n_kills, skip_resume);
  remove_sqlite (file);
  g_rmdir (dir);
  return ok ? 0 : 1;
}
