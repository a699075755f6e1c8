/* bench-store.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints how fast the run store commits (per step: mean, p50, p99, max), reads ranges,
 * searches and sums up the overview (a SQLite file only). Built, not run as a test:
 *
 *   _build/tests/bench-store [N_STEPS]                       a SQLite file in a temporary folder
 *   _build/tests/bench-store N_STEPS postgresql://…          a PostgreSQL database
 *
 * (build-aux/pg-test-server.sh start DIR prints the URI of a throwaway server.)
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "reins-domain.h"
#include "reins-store.h"

static ReinsStep *
make_step (ReinsRun *run,
           guint     index)
{
  ReinsStep *step = reins_step_new (reins_run_get_id (run), index);
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsAction) action = NULL;
  g_autoptr(ReinsVerdict) verdict = reins_verdict_new ("loop", REINS_VERDICT_ALLOW, "");
  g_autofree char *thought = g_strdup_printf ("Step %u: look up the next key in the chain.", index);

  json_object_set_string_member (args, "key", "chain-1-100/0");
  action = reins_action_new ("kb_lookup", args);
  reins_step_set_thought (step, thought);
  reins_step_set_action (step, action);
  reins_step_set_observation (step, "{\"next\": \"chain-1-100/1-9f3a\"}");
  reins_step_set_confidence (step, 0.9, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  reins_step_add_verdict (step, verdict);
  return step;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("reins-bench-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(ReinsRun) run = reins_run_new ("Benchmark");
  g_autoptr(GArray) latencies = NULL;
  guint n = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 10000;
  gint64 start;
  double t;

  if (dir == NULL || n == 0)
    return 1;
  path = argc > 2 ? g_strdup (argv[2]) : g_build_filename (dir, "runs.db", NULL);
  store = reins_store_open (path, &error);
  if (store == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  printf ("store: %s (%s)\n", reins_store_get_display_name (store),
          reins_store_get_backend_name (store));

  latencies = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  start = g_get_monotonic_time ();
  for (guint i = 1; i <= n; i++)
    {
      g_autoptr(ReinsStep) step = make_step (run, i);
      gint64 before = g_get_monotonic_time (), took;

      reins_run_set_step_count (run, i);
      if (!reins_store_commit_step (store, run, step, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      took = g_get_monotonic_time () - before;
      g_array_append_val (latencies, took);
    }
  t = seconds_since (start);
  g_array_sort (latencies, compare_gint64);
  printf ("commit_step, one transaction each: %u steps in %.2f s (%.0f µs per step; "
          "p50 %" G_GINT64_FORMAT " µs, p99 %" G_GINT64_FORMAT " µs, max %" G_GINT64_FORMAT
          " µs)\n",
          n, t, t * 1e6 / n, g_array_index (latencies, gint64, n / 2),
          g_array_index (latencies, gint64, MIN (n - 1, n * 99 / 100)),
          g_array_index (latencies, gint64, n - 1));

  start = g_get_monotonic_time ();
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(GPtrArray) range = reins_store_get_steps (store, reins_run_get_id (run),
                                                          1 + (i * 97) % n, 50, NULL);
      g_assert (range != NULL);
    }
  printf ("get_steps, 50 steps from anywhere in the run: %.2f ms each\n",
          seconds_since (start) * 1e3 / 100);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GPtrArray) hits = reins_store_search (store, "next key", 50, NULL);
      g_assert (hits != NULL);
    }
  printf ("search, 50 best hits among %u steps: %.2f ms each\n", n,
          seconds_since (start) * 1e3 / 20);

  if (reins_store_is_remote (path))
    {
      /* Leave the database as it was. */
      if (!reins_store_delete_run (store, reins_run_get_id (run), &error) ||
          !reins_store_purge_deleted (store, &error))
        fprintf (stderr, "%s\n", error->message);
      g_clear_object (&store);
      g_rmdir (dir);
      return 0;
    }

  start = g_get_monotonic_time ();
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(ReinsStoreOverview) overview = reins_store_get_overview (store,
                                                                         g_get_real_time (),
                                                                         NULL);
      g_assert (overview != NULL);
    }
  printf ("overview, figures across the store (%u steps, %u verdicts): %.2f ms each\n", n, n,
          seconds_since (start) * 1e3 / 20);

  g_clear_object (&store);
  wal = g_strconcat (path, "-wal", NULL);
  shm = g_strconcat (path, "-shm", NULL);
  g_remove (wal);
  g_remove (shm);
  g_remove (path);
  g_rmdir (dir);
  return 0;
}
