/* bench-store-load.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The run store under a team's load: RUNNERS runs committing STEPS steps each at once,
 * every ASK_EVERY-th step a question that two approvers race to answer. Each runner and
 * each approver has a connection of its own, on a thread of its own (as separate processes
 * would). Prints the steps lost (must be 0), the double decisions (must be 0), the commit
 * latency per step (p50, p99) and the time from an answer to the run going on (p50, p99).
 * Built, not run as a test:
 *
 *   _build/tests/bench-store-load [RUNNERS [STEPS [STORE]]]     [10 100 a temporary file]
 *
 * STORE is a file or a postgresql:// URI (build-aux/pg-test-server.sh start DIR prints
 * the URI of a throwaway server).
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "reins-domain.h"
#include "reins-store.h"

#define ASK_EVERY 20

typedef struct
{
  const char *location;
  guint       n_runners;
  guint       n_steps;
  GMutex      lock;
  GArray     *commit_us;    /* under lock */
  GArray     *answer_us;    /* under lock */
  GHashTable *answered_at;  /* "run/step" → monotonic µs of the winning decision */
  guint       decisions;    /* decide calls that stored a decision */
  guint       refused;      /* decide calls refused because another won */
  gint        runners_left;
  gboolean    failed;
} Load;

static void
fail (Load       *load,
      const char *what,
      GError     *error)
{
  g_printerr ("%s: %s\n", what, error != NULL ? error->message : "?");
  g_atomic_int_set (&load->failed, TRUE);
}

static gpointer
runner_thread (gpointer data)
{
  Load *load = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = reins_store_open (load->location, &error);
  g_autoptr(ReinsRun) run = reins_run_new ("Load");
  g_autoptr(GArray) commits = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) answers = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (store == NULL)
    {
      fail (load, "open", error);
      goto out;
    }
  reins_run_set_status (run, REINS_RUN_STATUS_RUNNING);
  for (guint i = 1; i <= load->n_steps && !g_atomic_int_get (&load->failed); i++)
    {
      g_autoptr(ReinsStep) step = reins_step_new (reins_run_get_id (run), i);
      gboolean ask = i % ASK_EVERY == 0;
      gint64 start, took;

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
        {
          fail (load, "commit", error);
          break;
        }
      took = g_get_monotonic_time () - start;
      g_array_append_val (commits, took);

      if (ask)
        {
          g_autofree char *key = g_strdup_printf ("%s/%u", reins_run_get_id (run), i);

          /* Wait for the decision, as a `run --approve=remote` does. */
          for (;;)
            {
              g_autoptr(ReinsStep) stored = reins_store_get_step (store, reins_run_get_id (run),
                                                                  i, &error);
              ReinsApprovalRecord *approval;

              if (stored == NULL)
                {
                  fail (load, "read", error);
                  goto out;
                }
              approval = g_ptr_array_index (reins_step_get_approvals (stored), 0);
              if (reins_approval_record_get_decision (approval) != REINS_DECISION_NONE)
                {
                  gint64 seen = g_get_monotonic_time (), decided;

                  g_mutex_lock (&load->lock);
                  decided = GPOINTER_TO_SIZE (g_hash_table_lookup (load->answered_at, key));
                  g_mutex_unlock (&load->lock);
                  if (decided > 0)
                    {
                      gint64 latency = seen - decided;

                      g_array_append_val (answers, latency);
                    }
                  break;
                }
              g_usleep (1000);
            }
          reins_run_set_status (run, REINS_RUN_STATUS_RUNNING);
        }
    }
  reins_run_set_status (run, REINS_RUN_STATUS_COMPLETED);
  if (!reins_store_update_run (store, run, &error))
    fail (load, "finish", error);

out:
  g_mutex_lock (&load->lock);
  g_array_append_vals (load->commit_us, commits->data, commits->len);
  g_array_append_vals (load->answer_us, answers->data, answers->len);
  g_mutex_unlock (&load->lock);
  g_atomic_int_add (&load->runners_left, -1);
  return NULL;
}

static gpointer
approver_thread (gpointer data)
{
  Load *load = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = reins_store_open (load->location, &error);

  if (store == NULL)
    {
      fail (load, "open", error);
      return NULL;
    }
  while (g_atomic_int_get (&load->runners_left) > 0 && !g_atomic_int_get (&load->failed))
    {
      g_autoptr(GPtrArray) waiting = reins_store_list_runs (store,
                                                            REINS_RUN_STATUS_AWAITING_APPROVAL,
                                                            0, 0, &error);

      if (waiting == NULL)
        {
          fail (load, "list", error);
          return NULL;
        }
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
          reins_approval_record_set_decided_by (approval, "approver");
          reins_approval_record_resolve (approval, REINS_DECISION_APPROVE, NULL, NULL,
                                         g_get_real_time ());
          if (reins_store_decide_approval (store, reins_run_get_id (run), index, 0, approval,
                                           &error))
            {
              gint64 now = g_get_monotonic_time ();

              g_mutex_lock (&load->lock);
              load->decisions++;
              g_hash_table_insert (load->answered_at,
                                   g_strdup_printf ("%s/%u", reins_run_get_id (run), index),
                                   GSIZE_TO_POINTER ((gsize) now));
              g_mutex_unlock (&load->lock);
            }
          else
            {
              g_mutex_lock (&load->lock);
              load->refused++;
              g_mutex_unlock (&load->lock);
              g_clear_error (&error);
            }
        }
      g_usleep (1000);
    }
  return NULL;
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

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("reins-bench-XXXXXX", &error);
  g_autofree char *location = NULL;
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  Load load = { 0 };
  guint64 stored = 0, expected;
  gint64 start;
  double seconds;

  if (dir == NULL)
    return 1;
  load.n_runners = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 10;
  load.n_steps = argc > 2 ? (guint) strtoul (argv[2], NULL, 10) : 100;
  location = argc > 3 ? g_strdup (argv[3]) : g_build_filename (dir, "runs.db", NULL);
  load.location = location;
  if (load.n_runners == 0 || load.n_steps == 0)
    return 1;

  /* One open first: the schema is set up once, and the figures start from what is there. */
  store = reins_store_open (location, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_mutex_init (&load.lock);
  load.commit_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  load.answer_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  load.answered_at = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  load.runners_left = (gint) load.n_runners;

  start = g_get_monotonic_time ();
  for (guint i = 0; i < load.n_runners; i++)
    g_ptr_array_add (threads, g_thread_new ("runner", runner_thread, &load));
  for (guint i = 0; i < 2; i++)
    g_ptr_array_add (threads, g_thread_new ("approver", approver_thread, &load));
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));
  seconds = (g_get_monotonic_time () - start) / 1e6;

  /* Steps lost: what the runners committed against what the store holds. */
  runs = reins_store_list_runs (store, REINS_RUN_STATUS_COMPLETED, 0, load.n_runners, &error);
  for (guint i = 0; runs != NULL && i < runs->len; i++)
    {
      g_autoptr(GPtrArray) steps =
        reins_store_get_steps (store, reins_run_get_id (g_ptr_array_index (runs, i)), 1, 0,
                               &error);

      stored += steps != NULL ? steps->len : 0;
    }
  expected = (guint64) load.n_runners * load.n_steps;

  g_array_sort (load.commit_us, compare_gint64);
  g_array_sort (load.answer_us, compare_gint64);
  printf ("store: %s (%s)\n", reins_store_get_display_name (store),
          reins_store_get_backend_name (store));
  printf ("%u runners x %u steps, a question every %u steps, 2 approvers: %.1f s\n",
          load.n_runners, load.n_steps, ASK_EVERY, seconds);
  printf ("steps lost: %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
          " stored)\n", expected - MIN (stored, expected), stored, expected);
  printf ("questions: %u decided once, %u second answers refused, double decisions: %d\n",
          load.decisions, load.refused,
          (int) load.decisions - (int) (load.n_runners * (load.n_steps / ASK_EVERY)));
  printf ("commit per step: p50 %" G_GINT64_FORMAT " µs, p99 %" G_GINT64_FORMAT " µs\n",
          percentile (load.commit_us, 50), percentile (load.commit_us, 99));
  printf ("answer to run going on: p50 %.1f ms, p99 %.1f ms\n",
          percentile (load.answer_us, 50) / 1e3, percentile (load.answer_us, 99) / 1e3);

  g_array_unref (load.commit_us);
  g_array_unref (load.answer_us);
  g_hash_table_unref (load.answered_at);
  g_mutex_clear (&load.lock);
  g_clear_object (&store);
  if (!reins_store_is_remote (location))
    {
      g_autofree char *wal = g_strconcat (location, "-wal", NULL);
      g_autofree char *shm = g_strconcat (location, "-shm", NULL);

      g_remove (wal);
      g_remove (shm);
      g_remove (location);
    }
  g_rmdir (dir);
  return load.failed || stored != expected ? 1 : 0;
}
