/* bench-store-load.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The run store under a team's load, in two modes. Figures are printed, never asserted.
 *
 * Real runs (the default; needs a display, e.g. xvfb-run, for the windows): RUNNERS
 * headless `reins-cli run --provider=sim --approve=remote --json` processes of STEPS steps
 * each (a chain of STEPS - 1 lookups and the answer; --tool-policy=kb_lookup=ask makes every
 * lookup a question), and two windows answering (tests/bench-remote-window: the window's
 * bar of remote questions, ReinsRemoteQuestions, with NOTIFY on PostgreSQL and its poll of
 * a file, and a person pressing Approve the moment it shows one). Prints the steps lost
 * (each run's --json step events against what the store holds), double decisions,
 * questions left unanswered, the commit latency per step (the executor's own figure,
 * G_MESSAGES_DEBUG=Reins-Loop), the time from a question stored (its requested_at, taken
 * just before the commit) to a window's bar showing it, the time from Approve pressed to
 * the run saying it goes on (its approval_resolved event read), and the server's CPU.
 *
 *   _build/tests/bench-store-load [--tamper=step|decision] [--kill=K [--no-resume]] [--pg]
 *                                 [RUNNERS [STEPS [STORE]]]              [10 100, a file]
 *   xvfb-run -a _build/tests/bench-store-load 50 200 postgresql://…       the size
 *
 * --tamper=step changes a stored step after the load, --tamper=decision takes a stored
 * decision back: the check against --json, or the one for unanswered questions, must fire.
 *
 * --kill=K: the first K `reins-cli run` processes get SIGKILL at a random step, the moment
 * its event is read on --json: every other one right after its question is stored and
 * before a window can answer it (approval_requested), the rest right after a step's event.
 * The load goes on; then the store must be whole (the --api checks below), each killed
 * run must show interrupted in a fresh open, be resumed with `reins-cli run --resume=RUN
 * --approve=remote --json` (its questions answered by the windows as before) to its end,
 * and every step a killed runner printed before it died must be in the store as printed
 * (counted apart from the resume's; nothing is left out of the count). --no-resume leaves
 * them unresumed: the check must fire. The suite runs --kill=1 3 12.
 *
 * --api: RUNNERS runs committing STEPS steps each through the store API, every ASK_EVERY-th
 * step a question that two approvers race to answer. Each runner and each approver is a
 * process of its own (this program again, with --runner or --approver) with a connection of
 * its own. Prints the steps lost (must be 0), the double decisions (must be 0), the commit
 * latency per step (p50, p99), the time from an answer to the run going on (p50, p99; the
 * answer's stored resolved_at against the runner's clock, one machine) and, on PostgreSQL,
 * the CPU time of the server's processes (utime + stime + the children's, from /proc) over
 * the load:
 *
 *   _build/tests/bench-store-load --api [--no-resume] [--kill=K] [RUNNERS [STEPS [STORE]]]
 *   _build/tests/bench-store-load --api --kill=10 50 200 postgresql://…
 *
 * --kill=K: K runners die with SIGKILL at random steps during the load; then the store
 * must be whole (PRAGMA integrity_check; on PostgreSQL no orphan rows, no gaps), each
 * killed run must show interrupted (its pid gone; its lease lapsed: the lease is 2 s here
 * unless REINS_STORE_LEASE_SECONDS says otherwise) and be resumed (--resume: on after its
 * last stored step, a question open there asked again) to its end. The suite runs
 * `--api --kill=3 6 60` on a file, and the real runs with 3 x 12: they fail on any of
 * these, never on a timing.
 *
 * STORE is a file or a postgresql:// URI (build-aux/pg-test-server.sh start DIR prints
 * the URI of a throwaway server); with a URI the same load runs on a SQLite file after
 * it, for comparison. --pg instead of STORE: a schema of its own in REINS_TEST_PG_URI,
 * dropped at the end (exit 77 without it, 1 when REINS_TEST_REQUIRE_PG or CI says a
 * server must be there).
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "reins-domain.h"
#include "reins-store.h"
#include "reins-test-pg.h"

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
         guint        at,
         gboolean    *killed)
{
  g_autoptr(GDataInputStream) out =
    g_data_input_stream_new (g_subprocess_get_stdout_pipe (runner));
  g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = NULL;

  *killed = FALSE;
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
          /* Finished before its step came: its steps count like any other run's. */
          g_subprocess_wait (runner, NULL, NULL);
          return g_strdup (line + 3);
        }
      if (run != NULL && reins_run_get_step_count (run) >= at)
        break;
      g_usleep (1000);
    }
  g_subprocess_force_exit (runner);
  g_subprocess_wait (runner, NULL, NULL);
  *killed = g_subprocess_get_if_signaled (runner);
  return g_strdup (line + 3);
}

typedef struct
{
  GSubprocess *runner;
  const char  *location;
  guint        at;
  gboolean     killed;
} Victim;

static gpointer
kill_thread (gpointer data)
{
  Victim *v = data;

  return kill_at (v->runner, v->location, v->at, &v->killed);
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

        /* One that finished (or ended) before its kill is counted with the others. */
        if (id != NULL)
          g_ptr_array_add (victims[i].killed ? killed : ids, id);
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

/* Real runs: `reins-cli run --approve=remote` processes and two windows answering. */

typedef struct
{
  GSubprocess *process;
  char        *run_id;
  GHashTable  *printed;         /* step → its observation, as its --json step event said */
  GHashTable  *resolved;        /* step → when its approval_resolved event was read (µs) */
  guint        asked;           /* approval_requested events */
  GHashTable  *asked_steps;     /* the steps it asked about, to count a question asked again */
  guint        reasked;         /* approval_requested events for a step asked before */
  guint        kill_at;         /* --kill: SIGKILL at this step's event (0: never) */
  gboolean     kill_on_question;/* at its approval_requested (the question stored, not yet
                                 * answered) rather than at its step event */
  gboolean     killed;          /* it died of that SIGKILL */
  GHashTable  *printed_at_kill; /* step → observation: what it had printed when killed */
  guint        died_asking;     /* the step whose question it had just asked when killed */
  guint        resolved_twice;  /* a question whose decision the run applied twice */
  GArray      *commit_us;
  char        *last_log;        /* its last line on stderr */
  GThread     *events;
  GThread     *log;
} Runner;

static void
runner_free (Runner *r)
{
  g_clear_object (&r->process);
  g_free (r->run_id);
  g_hash_table_unref (r->printed);
  g_hash_table_unref (r->resolved);
  g_hash_table_unref (r->asked_steps);
  g_clear_pointer (&r->printed_at_kill, g_hash_table_unref);
  g_array_unref (r->commit_us);
  g_free (r->last_log);
  g_free (r);
}

static void
read_event (Runner     *r,
            const char *line,
            gint64      now)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *event;
  const char *name;
  guint step;

  if (!json_parser_load_from_data (parser, line, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  event = json_node_get_object (json_parser_get_root (parser));
  name = json_object_get_string_member_with_default (event, "event", "");
  step = (guint) json_object_get_int_member_with_default (event, "step", 0);
  if (g_str_equal (name, "run_started") && r->run_id == NULL)
    r->run_id = g_strdup (json_object_get_string_member_with_default (event, "run_id", ""));
  else if (g_str_equal (name, "step"))
    {
      JsonNode *observation = json_object_get_member (event, "observation");

      /* The final answer's step has none: null on --json. */
      g_hash_table_insert (r->printed, GUINT_TO_POINTER (step),
                           g_strdup (observation != NULL && JSON_NODE_HOLDS_VALUE (observation)
                                       ? json_node_get_string (observation) : NULL));
    }
  else if (g_str_equal (name, "approval_requested"))
    {
      /* A resumed run asks again the question its killed runner left open. */
      if (!g_hash_table_add (r->asked_steps, GUINT_TO_POINTER (step)))
        r->reasked++;
      else
        r->asked++;
    }
  else if (g_str_equal (name, "approval_resolved"))
    {
      if (g_hash_table_contains (r->resolved, GUINT_TO_POINTER (step)))
        r->resolved_twice++;
      else
        g_hash_table_insert (r->resolved, GUINT_TO_POINTER (step), g_memdup2 (&now, sizeof now));
    }

  /* --kill: SIGKILL the moment the chosen event is read, what it printed until then kept
   * apart (a step it printed must be in the store, whatever the resume prints later). */
  if (r->kill_at > 0 && !r->killed && step == r->kill_at &&
      g_str_equal (name, r->kill_on_question ? "approval_requested" : "step"))
    {
      GHashTableIter iter;
      gpointer key, value;

      g_subprocess_force_exit (r->process);
      r->killed = TRUE;
      r->died_asking = r->kill_on_question ? step : 0;
      r->printed_at_kill = g_hash_table_new_full (NULL, NULL, NULL, g_free);
      g_hash_table_iter_init (&iter, r->printed);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (r->printed_at_kill, key, g_strdup (value));
    }
}

/* A runner's --json events, each stamped when it was read. */
static gpointer
read_events (gpointer data)
{
  Runner *r = data;
  g_autoptr(GDataInputStream) in =
    g_data_input_stream_new (g_subprocess_get_stdout_pipe (r->process));
  char *line;

  while ((line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, NULL)) != NULL)
    {
      gint64 now = g_get_real_time ();
      /* GLib prints debug messages on stdout: the executor's "(reins-cli run:PID):
       * Reins-Loop-DEBUG: TIME: Step N stored in T µs" (G_MESSAGES_DEBUG=Reins-Loop) come
       * between the events, from another thread, now and then between an event and its
       * newline. */
      char *debug = strstr (line, "(reins-cli");
      const char *at = debug != NULL ? strstr (debug, " stored in ") : NULL;

      if (at != NULL && strstr (debug, "Reins-Loop-DEBUG") != NULL)
        {
          gint64 us = g_ascii_strtoll (at + strlen (" stored in "), NULL, 10);

          g_array_append_val (r->commit_us, us);
          *debug = '\0';
        }
      /* The tokens of the sim's streamed replies are most of the lines and say nothing here. */
      if (line[0] == '{' && !g_str_has_prefix (line, "{\"event\":\"token\""))
        read_event (r, line, now);
      g_free (line);
    }
  return NULL;
}

/* A runner's stderr: its last line, said when it fails. */
static gpointer
read_log (gpointer data)
{
  Runner *r = data;
  g_autoptr(GDataInputStream) in =
    g_data_input_stream_new (g_subprocess_get_stderr_pipe (r->process));
  char *line;

  while ((line = g_data_input_stream_read_line (in, NULL, NULL, NULL)) != NULL)
    {
      g_free (r->last_log);
      r->last_log = line;
    }
  return NULL;
}

static Runner *
spawn_runner (GSubprocessLauncher *launcher,
              const char          *cli,
              const char          *location,
              const char          *dir,
              guint                seed,
              guint                n_steps,
              guint                kill_at,
              gboolean             kill_on_question)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *task = reins_kb_task (seed, n_steps - 1);
  g_autofree char *seed_arg = g_strdup_printf ("--seed=%u", seed);
  g_autofree char *max_arg = g_strdup_printf ("--max-steps=%u", n_steps + 10);
  g_autofree char *store_arg = g_strdup_printf ("--store=%s", location);
  g_autofree char *workspace_arg = g_strdup_printf ("--workspace=%s", dir);
  Runner *r = g_new0 (Runner, 1);

  r->kill_at = kill_at;
  r->kill_on_question = kill_on_question;
  /* A chain of n_steps - 1 lookups and the answer, every lookup a question (the policy
   * asks about kb_lookup): n_steps steps, n_steps - 1 questions. */
  r->process = g_subprocess_launcher_spawn (launcher, &error, cli, "run", "--provider=sim",
                                            seed_arg, "--sim-accuracy=1", max_arg,
                                            "--budget=1000", "--tool-policy=kb_lookup=ask",
                                            store_arg, "--approve=remote", "--json",
                                            workspace_arg, task, NULL);
  if (r->process == NULL)
    die ("spawn reins-cli", error);
  r->printed = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  r->resolved = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  r->asked_steps = g_hash_table_new (NULL, NULL);
  r->commit_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  r->events = g_thread_new ("events", read_events, r);
  r->log = g_thread_new ("log", read_log, r);
  return r;
}

/* Waits for @r's process and its readers; FALSE when it failed (a runner --kill killed
 * did not fail: it did what it was told). */
static gboolean
join_runner (Runner *r,
             guint   n,
             GArray *commit_us)
{
  gboolean ok;

  g_thread_join (r->events);
  g_thread_join (r->log);
  ok = g_subprocess_wait_check (r->process, NULL, NULL) ||
       (r->killed && g_subprocess_get_if_signaled (r->process) &&
        g_subprocess_get_term_sig (r->process) == SIGKILL);
  if (!ok || r->run_id == NULL)
    g_printerr ("runner %u failed: %s\n", n, r->last_log != NULL ? r->last_log : "?");
  g_array_append_vals (commit_us, r->commit_us->data, r->commit_us->len);
  g_array_set_size (r->commit_us, 0);
  return ok && r->run_id != NULL;
}

/* A resume that never ends (a question no window answers) is stopped after a deadline,
 * and fails: a hang of the load becomes a failure that says so. */
typedef struct
{
  GSubprocess *process;
  GMutex       lock;
  GCond        done_cond;
  gboolean     done;
  gboolean     expired;
} Watchdog;

static gpointer
watchdog_thread (gpointer data)
{
  Watchdog *d = data;
  gint64 end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  g_mutex_lock (&d->lock);
  while (!d->done && !d->expired)
    if (!g_cond_wait_until (&d->done_cond, &d->lock, end))
      d->expired = TRUE;
  if (d->expired && !d->done)
    g_subprocess_force_exit (d->process);
  g_mutex_unlock (&d->lock);
  return NULL;
}

/* The run of a killed runner goes on with `reins-cli run --resume=RUN`, its events read
 * into the same Runner; FALSE when the resume failed. */
static gboolean
resume_runner (GSubprocessLauncher *launcher,
               const char          *cli,
               const char          *location,
               Runner              *r,
               guint                n,
               GArray              *commit_us)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *resume_arg = g_strdup_printf ("--resume=%s", r->run_id);
  g_autofree char *store_arg = g_strdup_printf ("--store=%s", location);

  g_clear_object (&r->process);
  r->kill_at = 0;
  r->process = g_subprocess_launcher_spawn (launcher, &error, cli, "run", resume_arg,
                                            store_arg, "--approve=remote", "--json", NULL);
  if (r->process == NULL)
    die ("spawn reins-cli", error);
  r->killed = FALSE;
  r->events = g_thread_new ("events", read_events, r);
  r->log = g_thread_new ("log", read_log, r);
  {
    Watchdog d = { r->process };
    GThread *watchdog;
    gboolean ok;

    g_mutex_init (&d.lock);
    g_cond_init (&d.done_cond);
    watchdog = g_thread_new ("watchdog", watchdog_thread, &d);
    ok = join_runner (r, n, commit_us);
    g_mutex_lock (&d.lock);
    d.done = TRUE;
    g_cond_signal (&d.done_cond);
    g_mutex_unlock (&d.lock);
    g_thread_join (watchdog);
    g_mutex_clear (&d.lock);
    g_cond_clear (&d.done_cond);
    if (d.expired)
      g_printerr ("the resume of run %s did not end within 120 s (a question nobody "
                  "answered?)\n", r->run_id);
    return ok && !d.expired;
  }
}

/* A question's answers stored by the windows: how many (1, or a double decision), and
 * when the last was given. */
typedef struct
{
  guint  count;
  gint64 answered;
} Win;

/* When a question was first shown by a window, and whether that bar was empty before. */
typedef struct
{
  gint64   at;
  gboolean empty_bar;
} Seen;

/* What a window printed: when it first saw each question, the answers it stored. */
static void
read_window (const char *out,
             GHashTable *seen,
             GHashTable *wins,
             guint      *refused)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", 0);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];

      g_auto(GStrv) fields = g_strsplit (line, " ", 0);
      guint n = g_strv_length (fields);
      gint64 t = n >= 5 ? g_ascii_strtoll (fields[4], NULL, 10) : 0;
      g_autofree char *question = n >= 4 ? g_strjoin (" ", fields[1], fields[2], fields[3],
                                                      NULL) : NULL;
      Win *win;

      if (n == 6 && g_str_equal (fields[0], "s"))
        {
          Seen *known = g_hash_table_lookup (seen, question);

          if (known == NULL)
            {
              known = g_new0 (Seen, 1);
              known->at = G_MAXINT64;
              g_hash_table_insert (seen, g_strdup (question), known);
            }
          /* The first window to show it; empty when it found either bar empty. */
          known->at = MIN (known->at, t);
          known->empty_bar |= g_str_equal (fields[5], "1");
        }
      else if (n == 5 && g_str_equal (fields[0], "w"))
        {
          win = g_hash_table_lookup (wins, question);
          if (win == NULL)
            {
              win = g_new0 (Win, 1);
              g_hash_table_insert (wins, g_strdup (question), win);
            }
          win->count++;
          win->answered = t;
        }
      else if (g_str_has_prefix (line, "r "))
        *refused += (guint) strtoul (line + 2, NULL, 10);
    }
}

/* --tamper=step: one stored step changed behind the runs' back, so that the check of what
 * they printed against the store must find it lost; --tamper=decision: one stored decision
 * taken back, so that the question must count as unanswered. */
static void
tamper (const char *location,
        const char *what)
{
  const char *sql = g_str_equal (what, "step")
                      ? "UPDATE steps SET observation = 'tampered' "
                        "WHERE num = (SELECT max (num) FROM steps)"
                      : "UPDATE approvals SET decision = NULL "
                        "WHERE step_num = (SELECT max (step_num) FROM approvals)";

  if (reins_store_is_remote (location))
    {
      PGconn *conn = PQconnectdb (location);

      PQclear (PQexec (conn, sql));
      PQfinish (conn);
    }
  else
    {
      sqlite3 *db = NULL;

      if (sqlite3_open (location, &db) == SQLITE_OK)
        sqlite3_exec (db, sql, NULL, NULL, NULL);
      sqlite3_close (db);
    }
}

static double
ms (GArray *values,
    guint   p)
{
  return percentile (values, p) / 1e3;
}

/* How many of the sorted @values exceed a second. */
static guint
over_a_second (GArray *values)
{
  guint n = 0;

  for (guint i = values->len; i-- > 0 && g_array_index (values, gint64, i) > G_USEC_PER_SEC;)
    n++;
  return n;
}

/* One load of real runs on @location; FALSE when a step was lost, a decision doubled, a
 * question left unanswered or answered by neither window, or a process failed. */
static gboolean
run_real_load (const char *cli,
               const char *window,
               const char *location,
               const char *dir,
               guint       n_runners,
               guint       n_steps,
               guint       n_kills,
               gboolean    skip_resume,
               const char *tampered)
{
  g_autoptr(GPtrArray) killed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (n_runners * 7919 + n_steps);
  guint not_interrupted = 0, resume_failed = 0, reasked = 0;
  guint64 printed_at_kill = 0, lost_at_kill = 0;
  guint left_by_killed = 0, left_decided = 0;
  gboolean whole = TRUE;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) runners = g_ptr_array_new_with_free_func ((GDestroyNotify) runner_free);
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) wins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GArray) commit_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) answer_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) seen_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) seen_empty_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *stop = g_build_filename (dir, "stop", NULL);
  gboolean remote = reins_store_is_remote (location);
  int postmaster = remote ? find_postmaster (location) : 0;
  guint64 cpu_before = postmaster > 0 ? server_cpu (postmaster) : 0, cpu_after;
  guint failed = 0, refused = 0, questions = 0, asked = 0, unanswered = 0, unseen = 0;
  guint unapplied = 0, not_by_window = 0, won = 0;
  guint64 printed = 0, stored = 0, lost = 0, doubled = 0;
  gint64 start;
  double seconds;

  store = reins_store_open (location, &error);
  if (store == NULL)
    die ("open", error);
  g_remove (stop);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "Reins-Loop", TRUE);
  /* The runs' settings from their options alone, not from this desktop's preferences. */
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);

  for (guint i = 0; i < 2; i++)
    {
      GSubprocess *w = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, window,
                                         location, stop, NULL);

      if (w == NULL)
        die ("spawn bench-remote-window", error);
      g_ptr_array_add (windows, w);
    }

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n_runners; i++)
    {
      /* --kill: the first K at a random step, every other one the moment its question is
       * stored (before a window can answer it), the rest right after a step's event. */
      guint kill_at = i < n_kills ? (guint) g_rand_int_range (rand, 1, (gint32) n_steps) : 0;

      g_ptr_array_add (runners, spawn_runner (launcher, cli, location, dir, i + 1, n_steps,
                                              kill_at, i % 2 == 0));
    }
  for (guint i = 0; i < runners->len; i++)
    {
      Runner *r = g_ptr_array_index (runners, i);

      if (!join_runner (r, i + 1, commit_us))
        failed++;
      if (r->killed && r->run_id != NULL)
        g_ptr_array_add (killed, g_strdup (r->run_id));
    }

  /* The killed runs: the store whole, each shown interrupted in a fresh open, each resumed
   * with the CLI to its end while the windows still answer, the store whole again. */
  if (killed->len > 0)
    {
      whole = integrity_ok (location);
      not_interrupted = await_interrupted (location, killed);
      for (guint i = 0; i < runners->len; i++)
        {
          Runner *r = g_ptr_array_index (runners, i);

          if (r->killed && r->run_id != NULL && !skip_resume &&
              !resume_runner (launcher, cli, location, r, i + 1, commit_us))
            resume_failed++;
        }
      whole = whole && integrity_ok (location);
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  cpu_after = postmaster > 0 ? server_cpu (postmaster) : 0;

  g_file_set_contents (stop, "", 0, NULL);
  for (guint i = 0; i < windows->len; i++)
    {
      g_autofree char *out = NULL;

      if (!g_subprocess_communicate_utf8 (g_ptr_array_index (windows, i), NULL, NULL, &out,
                                          NULL, &error))
        die ("bench-remote-window", error);
      if (!g_subprocess_get_successful (g_ptr_array_index (windows, i)))
        failed++;
      read_window (out, seen, wins, &refused);
    }
  g_remove (stop);
  if (tampered != NULL)
    tamper (location, tampered);

  /* What each run printed against what the store holds; each question once decided, that
   * decision applied once by its run, and stored by exactly one window. */
  for (guint i = 0; i < runners->len; i++)
    {
      Runner *r = g_ptr_array_index (runners, i);
      g_autoptr(GPtrArray) steps = NULL;
      g_autoptr(GHashTable) by_index = g_hash_table_new (NULL, NULL);
      GHashTableIter iter;
      gpointer key, value;

      printed += g_hash_table_size (r->printed);
      printed_at_kill += r->printed_at_kill != NULL ? g_hash_table_size (r->printed_at_kill) : 0;
      asked += r->asked;
      reasked += r->reasked;
      doubled += r->resolved_twice;
      if (r->run_id == NULL)
        {
          lost += g_hash_table_size (r->printed);
          lost_at_kill += r->printed_at_kill != NULL ? g_hash_table_size (r->printed_at_kill) : 0;
          continue;
        }
      steps = reins_store_get_steps (store, r->run_id, 1, 0, &error);
      if (steps == NULL)
        die ("read", error);
      stored += steps->len;
      for (guint j = 0; j < steps->len; j++)
        {
          ReinsStep *step = g_ptr_array_index (steps, j);
          GPtrArray *approvals = reins_step_get_approvals (step);

          g_hash_table_insert (by_index, GUINT_TO_POINTER (reins_step_get_index (step)), step);
          for (guint k = 0; k < approvals->len; k++)
            {
              ReinsApprovalRecord *record = g_ptr_array_index (approvals, k);
              g_autofree char *question = g_strdup_printf ("%s %u %u", r->run_id,
                                                           reins_step_get_index (step), k);
              gpointer index = GUINT_TO_POINTER (reins_step_get_index (step));
              gint64 *applied = g_hash_table_lookup (r->resolved, index);
              Seen *shown = g_hash_table_lookup (seen, question);
              Win *win = g_hash_table_lookup (wins, question);
              guint by_windows = win != NULL ? win->count : 0;
              gint64 value_us;

              questions++;
              /* The question a runner died asking stays with its step: `reins-cli run
               * --resume` goes on after the last stored step and asks again in a new one.
               * A window may still have answered it (the run showed awaiting until it
               * showed interrupted); either way no run applies that answer. Counted and
               * printed apart, not as unanswered. */
              if (r->died_asking == reins_step_get_index (step) && applied == NULL)
                {
                  left_by_killed++;
                  left_decided += reins_approval_record_get_decision (record) !=
                                  REINS_DECISION_NONE;
                  continue;
                }
              if (reins_approval_record_get_decision (record) == REINS_DECISION_NONE)
                {
                  unanswered++;
                  continue;
                }
              won += by_windows;
              doubled += by_windows > 1 ? by_windows - 1 : 0;
              not_by_window += by_windows == 0;
              /* From Approve pressed in the window to the run saying it goes on (the
               * stored resolved_at is the run's own, once it applied the decision). */
              if (applied == NULL)
                unapplied++;
              else if (win != NULL)
                {
                  value_us = *applied - win->answered;
                  g_array_append_val (answer_us, value_us);
                }
              if (shown == NULL)
                unseen++;
              else
                {
                  value_us = shown->at - reins_approval_record_get_requested_at (record);
                  g_array_append_val (seen_us, value_us);
                  if (shown->empty_bar)
                    g_array_append_val (seen_empty_us, value_us);
                }
            }
        }
      g_hash_table_iter_init (&iter, r->printed);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          ReinsStep *step = g_hash_table_lookup (by_index, key);

          if (step == NULL || g_strcmp0 (reins_step_get_observation (step), value) != 0)
            lost++;
        }
      /* What a killed runner printed before it died, as it printed it (a resume printing
       * the step again differently must not hide its loss). */
      if (r->printed_at_kill != NULL)
        {
          g_hash_table_iter_init (&iter, r->printed_at_kill);
          while (g_hash_table_iter_next (&iter, &key, &value))
            {
              ReinsStep *step = g_hash_table_lookup (by_index, key);

              if (step == NULL || g_strcmp0 (reins_step_get_observation (step), value) != 0)
                lost_at_kill++;
            }
        }
    }

  g_array_sort (commit_us, compare_gint64);
  g_array_sort (answer_us, compare_gint64);
  g_array_sort (seen_us, compare_gint64);
  g_array_sort (seen_empty_us, compare_gint64);
  printf ("store: %s (%s)\n", reins_store_get_display_name (store),
          reins_store_get_backend_name (store));
  printf ("%u `reins-cli run --provider=sim --approve=remote` processes x %u steps, a question "
          "at every lookup, 2 windows answering: %.1f s\n", n_runners, n_steps, seconds);
  printf ("steps lost: %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " printed on --json of %u "
          "the runs have, %" G_GUINT64_FORMAT " stored); runner or window failures: %u\n",
          lost, printed, n_runners * n_steps, stored, failed);
  printf ("questions: %u stored (%u asked on --json), %u decided by the windows, %u second "
          "answers refused; double decisions: %" G_GUINT64_FORMAT "; unanswered: %u, decided "
          "by neither window: %u, decision never applied: %u\n", questions, asked, won, refused,
          doubled, unanswered, not_by_window, unapplied);
  printf ("commit per step: p50 %" G_GINT64_FORMAT " µs, p99 %" G_GINT64_FORMAT " µs (%u "
          "commits)\n", percentile (commit_us, 50), percentile (commit_us, 99), commit_us->len);
  printf ("question stored → shown by a window's bar: p50 %.1f ms, p99 %.1f ms, max %.1f ms, "
          "%u over a second (%u seen, %u never shown)\n", ms (seen_us, 50), ms (seen_us, 99),
          ms (seen_us, 100), over_a_second (seen_us), seen_us->len, unseen);
  printf ("  of them asked while a bar had no other question to show: p50 %.1f ms, p99 %.1f ms, "
          "max %.1f ms, %u over a second (%u)\n", ms (seen_empty_us, 50), ms (seen_empty_us, 99),
          ms (seen_empty_us, 100), over_a_second (seen_empty_us), seen_empty_us->len);
  printf ("answer → run going on: p50 %.1f ms, p99 %.1f ms, max %.1f ms, %u over a second\n",
          ms (answer_us, 50), ms (answer_us, 99), ms (answer_us, 100),
          over_a_second (answer_us));
  if (n_kills > 0)
    printf ("killed with SIGKILL during the load: %u of %u runners aimed at; steps they had "
            "printed: %" G_GUINT64_FORMAT ", missing or changed in the store: %"
            G_GUINT64_FORMAT "; store whole after the kills and after the resumes: %s; not "
            "shown interrupted: %u; `reins-cli run --resume` failed: %u; questions asked "
            "again on its step on resume: %u; questions left open by a runner killed asking "
            "(the resume asks in a new step): %u, of them answered by a window after the "
            "kill: %u\n", killed->len, MIN (n_kills, n_runners), printed_at_kill,
            lost_at_kill, whole ? "yes" : "NO", not_interrupted, resume_failed, reasked,
            left_by_killed, left_decided);
  if (remote)
    {
      if (postmaster > 0)
        printf ("server CPU (postmaster %d and its processes): %.2f s\n", postmaster,
                (double) (cpu_after - cpu_before) / sysconf (_SC_CLK_TCK));
      else
        printf ("server CPU: not measured (the server is not on this machine)\n");
    }
  return killed->len == MIN (n_kills, n_runners) && whole && not_interrupted == 0 &&
         resume_failed == 0 && lost_at_kill == 0 &&
         failed == 0 && lost == 0 && doubled == 0 && unanswered == 0 && not_by_window == 0 &&
         unapplied == 0 && printed == (guint64) n_runners * n_steps &&
         questions == (guint) n_runners * (n_steps - 1) + left_by_killed &&
         asked == questions && won == questions - left_by_killed;
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
  g_autofree char *here = NULL;
  g_autofree char *cli = NULL;
  g_autofree char *window = NULL;
  guint n_runners, n_steps, n_kills = 0;
  g_autofree char *pg_location = NULL;
  g_autofree char *schema = NULL;
  const char *tampered = NULL;
  gboolean skip_resume = FALSE, api = FALSE, on_pg = FALSE;
  gboolean ok = TRUE;

  if (argc == 4 && g_str_equal (argv[1], "--runner"))
    return runner_main (argv[2], (guint) strtoul (argv[3], NULL, 10), NULL);
  if (argc == 5 && g_str_equal (argv[1], "--resume"))
    return runner_main (argv[2], (guint) strtoul (argv[3], NULL, 10), argv[4]);
  if (argc == 4 && g_str_equal (argv[1], "--approver"))
    return approver_main (argv[2], argv[3]);

  /* --no-resume leaves the killed runs unfinished: the check of the suite that must fire
   * (steps lost), so that the one that must not is known to look. --tamper does the same
   * for real runs: a stored step changed after the load. */
  while (argc > 1 && g_str_has_prefix (argv[1], "--"))
    {
      if (g_str_equal (argv[1], "--api"))
        api = TRUE;
      else if (g_str_equal (argv[1], "--no-resume"))
        skip_resume = TRUE;
      else if (g_str_equal (argv[1], "--tamper=step") ||
               g_str_equal (argv[1], "--tamper=decision"))
        tampered = argv[1] + strlen ("--tamper=");
      else if (g_str_equal (argv[1], "--pg"))
        on_pg = TRUE;
      else if (g_str_has_prefix (argv[1], "--kill="))
        {
          n_kills = (guint) strtoul (argv[1] + strlen ("--kill="), NULL, 10);
          /* A killed runner's lease lapses soon after (PostgreSQL). */
          g_setenv ("REINS_STORE_LEASE_SECONDS", "2", FALSE);
        }
      else
        break;
      argc--;
      argv++;
    }
  n_runners = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 10;
  n_steps = argc > 2 ? (guint) strtoul (argv[2], NULL, 10) : 100;
  if (n_runners == 0 || n_steps < 2 || (argc > 1 && argv[1][0] == '-') ||
      (!api && skip_resume && n_kills == 0) || (api && tampered != NULL))
    {
      g_printerr ("usage: bench-store-load [--tamper=step|decision] [--kill=K [--no-resume]] "
                  "[--pg] [RUNNERS [STEPS [STORE]]]\n"
                  "       bench-store-load --api [--no-resume] [--kill=K] [--pg] "
                  "[RUNNERS [STEPS [STORE]]]\n");
      return 1;
    }
  /* --pg: a schema of its own on the test server (the suite), then the same on a file. */
  if (on_pg && !reins_test_pg_available ())
    {
      g_printerr ("bench-store-load: --pg needs REINS_TEST_PG_URI (build-aux/test.sh starts "
                  "a server)\n");
      return g_strcmp0 (g_getenv ("CI"), "true") == 0 ||
             g_getenv ("REINS_TEST_REQUIRE_PG") != NULL ? 1 : 77;
    }
  if (on_pg && argc > 3)
    {
      g_printerr ("bench-store-load: --pg or a STORE, not both\n");
      return 1;
    }
  if (!api && g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("bench-store-load: the windows that answer need a display: run it under "
                  "xvfb-run, or give --api\n");
      return 1;
    }
  dir = g_dir_make_tmp ("reins-bench-XXXXXX", &error);
  if (dir == NULL)
    die ("temporary directory", error);
  self = g_file_read_link ("/proc/self/exe", NULL);
  if (self == NULL)
    self = g_strdup (argv[0]);
  file = g_build_filename (dir, "runs.db", NULL);
  here = g_path_get_dirname (self);
  cli = g_strdup (g_getenv ("REINS_CLI"));
  if (cli == NULL)
    cli = g_build_filename (here, "..", "app", "cli", "reins-cli", NULL);
  window = g_build_filename (here, "bench-remote-window", NULL);

  if (on_pg)
    pg_location = reins_test_pg_schema_new (&schema);
  else if (argc > 3)
    pg_location = g_strdup (argv[3]);
  for (int i = pg_location != NULL ? 3 : 0; i >= 0; i -= 3)
    {
      const char *location = i == 3 ? pg_location : file;

      if (i == 0 && pg_location != NULL)
        printf ("\nThe same load on SQLite, one machine:\n");
      if (api)
        ok = run_load (self, location, dir, n_runners, n_steps, n_kills, skip_resume) && ok;
      else
        ok = run_real_load (cli, window, location, dir, n_runners, n_steps, n_kills,
                            skip_resume, tampered) &&
             ok;
    }
  if (schema != NULL)
    reins_test_pg_schema_drop (schema);
  remove_sqlite (file);
  g_rmdir (dir);
  return ok ? 0 : 1;
}
