/* reins-cli-signals.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SIGINT and SIGTERM during `reins-cli run`. They are taken by a thread of their own
 * (sigwait), so they are heard even while the main thread waits on the terminal for an answer
 * or the worker is stuck where cancelling cannot reach. The first cancels the run; the second
 * stores it as cancelled and ends the process at once.
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "reins-cli-private.h"
#include "reins-events.h"

typedef struct
{
  GMutex         mutex;
  ReinsExecutor *executor;  /* NULL when no run is watched */
  char          *db;
  char          *run_id;
  gboolean       json;
  guint          received;
} SignalWatch;

static SignalWatch watch;
static sigset_t watched_signals;

/* The second signal: what the worker would have stored had it been able to. */
static void
store_cancelled (void)
{
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(GError) error = NULL;

  if (watch.run_id == NULL)
    return;

  store = reins_store_open (watch.db, &error);
  if (store != NULL)
    run = reins_store_get_run (store, watch.run_id, &error);
  if (run == NULL)
    {
      g_printerr ("reins-cli: %s\n", error->message);
      return;
    }

  if (!reins_run_status_is_final (reins_run_get_status (run)))
    {
      reins_run_set_status (run, REINS_RUN_STATUS_CANCELLED);
      reins_run_set_reason (run, _("Stopped at once by a second interrupt."));
      reins_run_set_finished_at (run, g_get_real_time ());
      if (!reins_store_update_run (store, run, &error))
        g_printerr ("reins-cli: %s\n", error->message);
    }

  /* The main thread has not printed it: the run is watched until its loop ends. */
  if (watch.json)
    {
      g_autoptr(JsonNode) event = reins_event_run_finished (run);
      g_autofree char *line = reins_event_to_line (event);

      fputs (line, stdout);
      fputc ('\n', stdout);
      fflush (stdout);
    }
}

static gpointer
signal_thread (gpointer data)
{
  for (;;)
    {
      int signal_number;

      if (sigwait (&watched_signals, &signal_number) != 0)
        continue;

      g_mutex_lock (&watch.mutex);
      watch.received++;
      if (watch.received == 1)
        {
          if (watch.executor != NULL)
            {
              g_printerr (_("\nCancelling… (interrupt again to stop at once)\n"));
              reins_executor_cancel (watch.executor);
            }
          g_mutex_unlock (&watch.mutex);
          continue;
        }

      /* The mutex stays held: the main thread must not go on to free what this uses. */
      g_printerr (_("\nStopped.\n"));
      store_cancelled ();
      fflush (stderr);
      _exit (REINS_CLI_EXIT_FAILED);
    }

  return NULL;
}

/**
 * reins_cli_signals_block:
 *
 * Blocks SIGINT and SIGTERM in the calling thread, and so in every thread it starts after,
 * and starts the thread that takes them. Call before any other thread is started.
 */
void
reins_cli_signals_block (void)
{
  static gsize started = 0;

  if (g_once_init_enter (&started))
    {
      sigemptyset (&watched_signals);
      sigaddset (&watched_signals, SIGINT);
      sigaddset (&watched_signals, SIGTERM);
      pthread_sigmask (SIG_BLOCK, &watched_signals, NULL);
      g_mutex_init (&watch.mutex);
      g_thread_unref (g_thread_new ("reins-signals", signal_thread, NULL));
      g_once_init_leave (&started, 1);
    }
}

/**
 * reins_cli_signals_watch:
 * @executor: (nullable): the run to cancel on a signal; %NULL when the run is over
 * @db: (nullable): its store
 * @json: whether a `run_finished` event is printed when a second signal ends it
 */
void
reins_cli_signals_watch (ReinsExecutor *executor,
                         const char    *db,
                         gboolean       json)
{
  g_mutex_lock (&watch.mutex);
  watch.executor = executor;
  g_clear_pointer (&watch.db, g_free);
  g_clear_pointer (&watch.run_id, g_free);
  if (executor != NULL)
    {
      watch.db = g_strdup (db);
      watch.run_id = g_strdup (reins_run_get_id (reins_executor_get_run (executor)));
    }
  watch.json = json;
  g_mutex_unlock (&watch.mutex);
}
