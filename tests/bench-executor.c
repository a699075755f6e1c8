/* bench-executor.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Measures the engine's overhead per step — prompt building, parsing, the harness, a no-op
 * tool and the durable commit, with a scripted model that answers at once — at step 10 and
 * step 1000 of one run, and the commit latency alone. Prints medians; not a test.
 *
 *   bench-executor [STEPS]
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "reins-executor.h"
#include "reins-store.h"

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static double
median_us (GArray *values)
{
  g_array_sort (values, compare_gint64);
  if (values->len == 0)
    return 0;
  return (double) g_array_index (values, gint64, values->len / 2);
}

/* A person who approves whatever the harness asks, so the run goes on unattended. */
static void
approve_cb (ReinsExecutor *executor,
            ReinsApproval *approval,
            gpointer       data)
{
  if (reins_approval_is_question (approval))
    reins_approval_reject (approval, NULL);
  else
    reins_approval_approve (approval, FALSE);
}

static void
finished_cb (ReinsExecutor *executor,
             ReinsRun      *run,
             gboolean      *done)
{
  *done = TRUE;
}

int
main (int   argc,
      char *argv[])
{
  guint steps = argc > 1 ? (guint) atoi (argv[1]) : 1000;
  g_autofree char *dir = g_dir_make_tmp ("reins-bench-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "runs.db", NULL);
  g_autofree char *script = g_build_filename (dir, "script.json", NULL);
  g_autoptr(ReinsRun) run = reins_run_new ("Benchmark: compute 1+1 over and over");
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("scripted");
  g_autoptr(ReinsExecutor) executor = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GArray) at10 = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) at1000 = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) commits = g_array_new (FALSE, FALSE, sizeof (gint64));
  JsonObject *settings = reins_run_get_settings (run);
  JsonArray *tools = json_array_new ();
  gboolean done = FALSE;
  gint64 t0;

  setlocale (LC_ALL, "");

  g_assert_true (g_file_set_contents (script,
    "{\"repeat_last\": true, \"responses\": [{\"text\": \"Add again.\", \"tool_calls\": "
    "[{\"name\": \"calculator\", \"arguments\": {\"expression\": \"1+1\"}}], "
    "\"usage\": {\"input_tokens\": 500, \"output_tokens\": 20}}]}", -1, NULL));
  config->script_path = g_strdup (script);

  json_array_add_string_element (tools, "calculator");
  json_object_set_array_member (settings, "tools", tools);
  json_object_set_string_member (settings, "workspace", dir);
  json_object_set_int_member (settings, "max_steps", steps + 10);
  json_object_set_boolean_member (settings, "stream", FALSE);
  /* The scripted model repeats one call, which the loop guard rightly stops; its cost is in
   * bench-harness. Every other guard runs. */
  {
    JsonArray *off = json_array_new ();

    json_array_add_string_element (off, "loop");
    json_object_set_array_member (settings, "disabled_guards", off);
  }

  executor = reins_executor_new (run, config, db);
  g_signal_connect (executor, "finished", G_CALLBACK (finished_cb), &done);
  g_signal_connect (executor, "approval-requested", G_CALLBACK (approve_cb), NULL);
  t0 = g_get_monotonic_time ();
  reins_executor_start (executor);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_print ("%u steps in %.2f s\n", steps + 10, (g_get_monotonic_time () - t0) / 1e6);

  /* A step's full time is the distance between its start and the next one's (µs, taken on
   * the worker), so main-loop batching does not blur it. */
  store = reins_store_open (db, NULL);
  stored = reins_store_get_steps (store, reins_run_get_id (run), 1, 0, NULL);
  for (guint i = 0; i + 1 < stored->len; i++)
    {
      guint index = i + 1;
      gint64 d = reins_step_get_started_at (g_ptr_array_index (stored, i + 1)) -
                 reins_step_get_started_at (g_ptr_array_index (stored, i));

      if (index >= 5 && index <= 15)
        g_array_append_val (at10, d);
      if (index + 10 >= steps && index <= steps + 10)
        g_array_append_val (at1000, d);
    }

  /* The commit alone: a finished step rewritten in its own transaction. */
  for (guint i = 0; i < MIN (stored->len, 500u); i++)
    {
      ReinsStep *step = g_ptr_array_index (stored, stored->len - 1 - i);
      gint64 c0 = g_get_monotonic_time ();
      gint64 d;

      if (!reins_store_commit_step (store, run, step, NULL))
        g_error ("commit failed");
      d = g_get_monotonic_time () - c0;
      g_array_append_val (commits, d);
    }

  g_print ("engine overhead per step, median around step 10:   %.0f µs\n", median_us (at10));
  g_print ("engine overhead per step, median around step %u: %.0f µs\n", steps, median_us (at1000));
  g_print ("commit of one step alone, median: %.0f µs\n",
           median_us (commits));

  /* Prompt size as a long sim run grows: the summary keeps it bounded. */
  {
    g_autofree char *task = reins_kb_task (1, 110);
    g_autoptr(ReinsRun) long_run = reins_run_new (task);
    g_autoptr(ReinsProviderConfig) sim = reins_provider_config_new ("sim");
    g_autoptr(ReinsExecutor) long_executor = NULL;
    JsonObject *long_settings = reins_run_get_settings (long_run);
    JsonArray *long_tools = json_array_new ();
    const guint at[] = { 10, 50, 100 };

    json_array_add_string_element (long_tools, "kb_lookup");
    json_object_set_array_member (long_settings, "tools", long_tools);
    json_object_set_string_member (long_settings, "workspace", dir);
    json_object_set_int_member (long_settings, "max_steps", 120);
    sim->sim_accuracy = 1.0;

    done = FALSE;
    long_executor = reins_executor_new (long_run, sim, db);
    g_signal_connect (long_executor, "finished", G_CALLBACK (finished_cb), &done);
    g_signal_connect (long_executor, "approval-requested", G_CALLBACK (approve_cb), NULL);
    reins_executor_start (long_executor);
    while (!done)
      g_main_context_iteration (NULL, TRUE);

    for (guint i = 0; i < G_N_ELEMENTS (at); i++)
      {
        g_autofree char *request = NULL;
        g_autofree char *response = NULL;

        if (reins_store_get_exchange (store, reins_run_get_id (long_run), at[i], &request,
                                      &response, NULL))
          g_print ("prompt (request body) at step %3u of a sim run: %" G_GSIZE_FORMAT " bytes\n",
                   at[i], strlen (request));
      }
  }

  g_clear_object (&store);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
    g_unlink (db);
    g_unlink (script);
    g_rmdir (dir);
  }
  return 0;
}
