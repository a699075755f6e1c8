/* bench-inspect.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How quickly the window opens and scrolls a stored run of 10,000 steps (items read lazily
 * from the store), how quickly it shows that run after another one (a click in the history),
 * and the longest main-loop stall meanwhile. Built, not run as a test;
 * needs a display:
 *
 *   GSETTINGS_SCHEMA_DIR=_build/data GSETTINGS_BACKEND=memory ./_build/tests/bench-inspect [N]
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdlib.h>

#include "reins-run-inspector.h"
#include "reins-step-row.h"
#include "reins-store.h"
#include "reins-window-private.h"

static gint64 last_tick;
static gint64 max_gap;

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick != 0)
    max_gap = MAX (max_gap, now - last_tick);
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

static gboolean
idle_tick_cb (gpointer data)
{
  tick_cb (NULL, NULL, NULL);
  return G_SOURCE_CONTINUE;
}

static void
reset_gap (void)
{
  last_tick = g_get_monotonic_time ();
  max_gap = 0;
}

static gboolean
row_shown (GtkWidget *widget,
           guint      index)
{
  if (REINS_IS_STEP_ROW (widget) && gtk_widget_get_mapped (widget))
    {
      ReinsStep *step = reins_step_row_get_step (REINS_STEP_ROW (widget));

      if (step != NULL && reins_step_get_index (step) == index &&
          reins_step_get_thought (step) != NULL)
        return TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    if (row_shown (child, index))
      return TRUE;
  return FALSE;
}

static void
wait_row (ReinsWindow *window,
          guint        index)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!row_shown (GTK_WIDGET (window), index))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("step %u never showed", index);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* A row of run @run_id shows its stored text. */
static gboolean
run_row_shown (GtkWidget  *widget,
               const char *run_id)
{
  if (REINS_IS_STEP_ROW (widget) && gtk_widget_get_mapped (widget))
    {
      ReinsStep *step = reins_step_row_get_step (REINS_STEP_ROW (widget));

      if (step != NULL && reins_step_get_thought (step) != NULL &&
          g_strcmp0 (reins_step_get_run_id (step), run_id) == 0)
        return TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    if (run_row_shown (child, run_id))
      return TRUE;
  return FALSE;
}

static void
painted_cb (GdkFrameClock *clock,
            gboolean      *painted)
{
  *painted = TRUE;
}

/* Picks a run as a click in the history does; returns the time until its rows are painted. */
static gint64
switch_to (ReinsWindow *window,
           const char  *run_id)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  gint64 start = g_get_monotonic_time ();
  gboolean painted = FALSE;
  gulong handler;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.select-run", "s", run_id);
  while (!run_row_shown (GTK_WIDGET (window), run_id))
    g_main_context_iteration (NULL, TRUE);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (painted_cb), &painted);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, handler);
  return g_get_monotonic_time () - start;
}

static guint
count_rows (GtkWidget *widget)
{
  guint n = REINS_IS_STEP_ROW (widget) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    n += count_rows (child);
  return n;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static char *
seed (const char *path,
      guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = reins_store_open (path, &error);
  g_autoptr(ReinsRun) run = reins_run_new ("A long run to open");
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_no_error (error);
  reins_run_set_provider (run, "sim");
  for (guint i = 1; i <= n; i++)
    {
      g_autoptr(JsonObject) args = json_object_new ();
      g_autoptr(ReinsAction) action = NULL;
      g_autofree char *thought = g_strdup_printf ("Step %u: look up the next key of the chain.", i);
      g_autofree char *observation = g_strdup_printf ("{\"next\": \"chain-1-%u/%u-abcd\"}", n, i);
      ReinsStep *step = reins_step_new (reins_run_get_id (run), i);

      json_object_set_string_member (args, "key", "chain");
      action = reins_action_new ("kb_lookup", args);
      reins_step_set_thought (step, thought);
      reins_step_set_action (step, action);
      reins_step_set_observation (step, observation);
      reins_step_set_confidence (step, i % 9 == 0 ? 0.5 : 0.9, REINS_CONFIDENCE_SOURCE_LOGPROBS);
      reins_step_set_tokens (step, 500, 40);
      reins_step_set_cost (step, 0.0001, 0.0001 * i);
      g_ptr_array_add (steps, step);
    }
  reins_run_set_step_count (run, n);
  reins_run_set_status (run, REINS_RUN_STATUS_COMPLETED);
  reins_store_insert_run (store, run, &error);
  g_assert_no_error (error);
  reins_store_commit_steps (store, run, steps, &error);
  g_assert_no_error (error);
  return g_strdup (reins_run_get_id (run));
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 10000;
  g_autofree char *dir = g_dir_make_tmp ("reins-bench-inspect-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "runs.db", NULL);
  g_autofree char *id = NULL;
  g_autofree char *other = NULL;
  gint64 switches[7];
  ReinsWindow *window;
  ReinsRunView *view;
  gint64 start, first_rows, chart_done, scroll_total = 0, scroll_max = 0, call_total = 0;
  guint jumps = 0;

  gtk_init ();
  adw_init ();
  g_printerr ("Seeding a run of %u steps…\n", n);
  other = seed (path, 3);
  id = seed (path, n);

  window = g_object_ref_sink (reins_window_new (NULL, path));
  view = _reins_window_get_run_view (window);
  g_timeout_add (1, idle_tick_cb, NULL);

  reset_gap ();
  start = g_get_monotonic_time ();
  gtk_window_present (GTK_WINDOW (window));
  wait_row (window, 1);
  first_rows = g_get_monotonic_time () - start;
  while (reins_run_inspector_get_loading (reins_run_view_get_inspector (view)))
    g_main_context_iteration (NULL, TRUE);
  chart_done = g_get_monotonic_time () - start;
  g_print ("open a run of %u steps: first rows on screen after %.1f ms; "
           "chart (every step read on a worker) after %.1f ms; longest main-loop stall %.1f ms\n",
           n, first_rows / 1000.0, chart_done / 1000.0, max_gap / 1000.0);

  /* Scroll: jump through the run, as a scrubber or the scrollbar would. */
  reset_gap ();
  for (guint target = n / 10; target <= n; target += n / 10)
    {
      gint64 t = g_get_monotonic_time ();

      reins_run_view_show_step (view, target);
      call_total += g_get_monotonic_time () - t;
      wait_row (window, target);
      t = g_get_monotonic_time () - t;
      scroll_total += t;
      scroll_max = MAX (scroll_max, t);
      jumps++;
    }
  g_print ("scroll: %u jumps across the run, %.1f ms each on average (slowest %.1f ms) until "
           "the step's row shows its stored text; longest main-loop stall %.1f ms\n",
           jumps, scroll_total / 1000.0 / jumps, scroll_max / 1000.0, max_gap / 1000.0);
  g_print ("  of which the call that marks and scrolls to the step: %.1f ms on average\n",
           call_total / 1000.0 / jumps);

  /* From another run to this one, as a click in the history does, until its rows are
   * painted. */
  reset_gap ();
  for (guint i = 0; i < G_N_ELEMENTS (switches); i++)
    {
      switch_to (window, other);
      switches[i] = switch_to (window, id);
    }
  qsort (switches, G_N_ELEMENTS (switches), sizeof (gint64), compare_gint64);
  g_print ("switch to the run of %u steps from another: rows painted after %.1f ms (median of "
           "%u; fastest %.1f, slowest %.1f); longest main-loop stall %.1f ms; %u step rows\n",
           n, switches[G_N_ELEMENTS (switches) / 2] / 1000.0, (guint) G_N_ELEMENTS (switches),
           switches[0] / 1000.0, switches[G_N_ELEMENTS (switches) - 1] / 1000.0,
           max_gap / 1000.0, count_rows (GTK_WIDGET (window)));

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", dir);
  }
  return 0;
}
