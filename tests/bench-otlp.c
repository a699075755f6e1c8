/* bench-otlp.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What live OTLP export costs a run (docs/traces.md): the time the thread that runs spends
 * handing one step to the exporter, with a loopback collector that answers at once and with
 * one that is down; and how fast the exporter's thread delivers. Built, not run as a test:
 * `_build/tests/bench-otlp [N_STEPS]`.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "reins-otlp-exporter.h"
#include "reins-test-server.h"

static void
ok_handler (const char     *path,
            const char     *body,
            guint           index,
            ReinsTestReply *reply,
            gpointer        user_data)
{
  reins_test_reply_add (reply, 0, "{}", -1);
}

static GPtrArray *
make_steps (ReinsRun *run,
            guint     n)
{
  GPtrArray *steps = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 1; i <= n; i++)
    {
      g_autoptr(JsonObject) args = json_object_new ();
      g_autoptr(ReinsAction) action = NULL;
      ReinsStep *step = reins_step_new (reins_run_get_id (run), i);

      json_object_set_string_member (args, "path", "notes.txt");
      action = reins_action_new ("read_file", args);
      reins_step_set_thought (step, "Read the notes to find the key.");
      reins_step_set_action (step, action);
      reins_step_set_observation (step, "k1 = amber-4521; next: k2");
      reins_step_set_tokens (step, 800, 60);
      g_ptr_array_add (steps, step);
    }
  return steps;
}

/* As reins_otlp_exporter_watch() does when a step ends. */
static void
add_step (ReinsOtlpExporter *exporter,
          ReinsRun          *run,
          ReinsStep         *step)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();

  g_ptr_array_add (one, step);
  reins_otlp_exporter_add (exporter, run, one, REINS_OTLP_STEP_SPANS);
}

static void
measure (const char *what,
         const char *endpoint,
         ReinsRun   *run,
         GPtrArray  *steps)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsOtlpExporter) exporter = reins_otlp_exporter_new (endpoint, &error);
  ReinsOtlpExporterStats stats;
  gint64 start, handed, flushed;

  g_assert_no_error (error);
  reins_otlp_exporter_set_queue_size (exporter, steps->len + 1);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < steps->len; i++)
    {
      add_step (exporter, run, g_ptr_array_index (steps, i));
    }
  handed = g_get_monotonic_time ();
  reins_otlp_exporter_flush (exporter, 60000);
  flushed = g_get_monotonic_time ();
  reins_otlp_exporter_get_stats (exporter, &stats);
  printf ("%-28s %6u steps: %6.2f µs per step on the run's thread; "
          "%u spans delivered in %.2f s (%.0f spans/s), %u dropped\n",
          what, steps->len, (double) (handed - start) / steps->len, stats.delivered,
          (flushed - start) / 1e6, stats.delivered / ((flushed - start) / 1e6), stats.dropped);
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 2000;
  g_autoptr(ReinsTestServer) server = reins_test_server_new (ok_handler, NULL);
  g_autoptr(ReinsRun) run = reins_run_new ("Follow the chain of keys");
  g_autoptr(GPtrArray) steps = NULL;

  reins_run_set_provider (run, "sim");
  reins_run_set_model (run, "sim-1");
  steps = make_steps (run, n);

  measure ("collector up (loopback)", reins_test_server_get_url (server), run, steps);
  /* Down: refused connections, retried; the flush gives up after its deadline. */
  g_setenv ("REINS_RETRY_BASE_MS", "50", TRUE);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ReinsOtlpExporter) exporter = reins_otlp_exporter_new ("http://127.0.0.1:9", &error);
    gint64 start = g_get_monotonic_time (), handed;

    g_assert_no_error (error);
    for (guint i = 0; i < steps->len; i++)
      {
        add_step (exporter, run, g_ptr_array_index (steps, i));
      }
    handed = g_get_monotonic_time ();
    reins_otlp_exporter_flush (exporter, 1000);
    printf ("%-28s %6u steps: %6.2f µs per step on the run's thread; flush ended after %.2f s\n",
            "collector down", steps->len, (double) (handed - start) / steps->len,
            (g_get_monotonic_time () - handed) / 1e6);
  }
  return 0;
}
