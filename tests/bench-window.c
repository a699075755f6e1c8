/* bench-window.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How long the main thread is blocked while the window shows a run with a 20 MB
 * observation, while "Show All" opens it, and while the 2,001 steps of a scripted live run
 * stream in, until the timeline shows the last (the median of several runs: --stream-runs=N, 5
 * by default; 0 skips it; --stream-only runs only that; REINS_BENCH_STALLS=1 lists each run's
 * longest stalls and when they were). Built, not run as a test; needs a display:
 *
 *   GSETTINGS_SCHEMA_DIR=_build/data GSETTINGS_BACKEND=memory ./_build/tests/bench-window
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "reins-kb.h"
#include "reins-new-run-dialog.h"
#include "reins-run-view-private.h"
#include "reins-step-row.h"
#include "reins-store.h"
#include "reins-test-util.h"
#include "reins-text-window.h"
#include "reins-window-private.h"

#define BIG (20 * 1000 * 1000)

static gint64 last_tick;
static gint64 max_gap;

static gboolean
tick_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick != 0)
    max_gap = MAX (max_gap, now - last_tick);
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
reset_gap (void)
{
  last_tick = 0;
  max_gap = 0;
}

static void
iterate_until (gboolean (*cond) (gpointer), gpointer data)
{
  while (!cond (data))
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
loaded (gpointer data)
{
  return !reins_run_view_get_loading (_reins_window_get_run_view (data));
}

static ReinsStepRow *
find_row (GtkWidget *widget, guint index)
{
  if (REINS_IS_STEP_ROW (widget) && reins_step_row_get_step (REINS_STEP_ROW (widget)) != NULL &&
      reins_step_get_index (reins_step_row_get_step (REINS_STEP_ROW (widget))) == index)
    return REINS_STEP_ROW (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      ReinsStepRow *row = find_row (c, index);
      if (row != NULL)
        return row;
    }
  return NULL;
}

typedef struct { GtkWidget *window; guint index; ReinsStepRow *row; } Find;

static gboolean
row_found (gpointer data)
{
  Find *f = data;

  f->row = find_row (f->window, f->index);
  return f->row != NULL;
}

static gboolean
text_window_loaded (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
      if (REINS_IS_TEXT_WINDOW (w) && reins_text_window_get_loaded (REINS_TEXT_WINDOW (w)))
        {
          *(GtkWindow **) data = GTK_WINDOW (w);
          return TRUE;
        }
    }
  return FALSE;
}

static void
show_all (GtkWidget *window,
          guint      index,
          const char *what)
{
  Find f = { window, index, NULL };
  GtkWindow *text_window = NULL;
  gint64 start;

  iterate_until (row_found, &f);
  reset_gap ();
  start = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (f.row), "step.show-observation", NULL);
  iterate_until (text_window_loaded, &text_window);
  /* Let it lay out and draw. */
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_print ("show all (%s): %.0f ms until filled, longest main-loop stall %.0f ms\n", what,
           (g_get_monotonic_time () - start) / 1000.0, max_gap / 1000.0);
  gtk_window_destroy (text_window);
}

/* Streaming: the longest gap between ticks of a 5 ms timer, on the wall clock and in the
 * main thread's own time (what other processes take of a loaded machine is not the
 * window's doing). */

typedef struct
{
  gint64 last;
  gint64 last_cpu;
  gint64 longest;
  gint64 longest_cpu;
  GArray *gaps;   /* (start, cpu) of every tick when REINS_BENCH_STALLS is set, else NULL */
} Stall;

static gboolean
stall_tick_cb (gpointer data)
{
  Stall *stall = data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = reins_test_thread_cpu_time ();

  if (stall->last > 0)
    {
      stall->longest = MAX (stall->longest, now - stall->last);
      stall->longest_cpu = MAX (stall->longest_cpu, cpu - stall->last_cpu);
      if (stall->gaps != NULL)
        {
          gint64 gap[2] = { stall->last, cpu - stall->last_cpu };

          g_array_append_val (stall->gaps, gap);
        }
    }
  stall->last = now;
  stall->last_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

/* The responses of a scripted chain of @length lookups and a finish (as test-live-run's). */
static char *
chain_script (guint length)
{
  GString *script = g_string_new ("{\"responses\": [");
  g_autofree char *value = reins_kb_value (4, length);

  for (guint i = 0; i < length; i++)
    {
      g_autofree char *key = reins_kb_key (4, length, i);

      g_string_append_printf (script,
                              "{\"text\": \"Look up %s.\", \"tool_calls\": [{\"name\": \"kb_lookup\","
                              " \"arguments\": {\"key\": \"%s\"}}],"
                              " \"logprobs\": [{\"token\": \"Look\", \"logprob\": -0.01}]},",
                              key, key);
    }
  g_string_append_printf (script,
                          "{\"text\": \"The value is %s.\", \"tool_calls\": [{\"name\": \"finish\","
                          " \"arguments\": {\"answer\": \"%s\"}}],"
                          " \"logprobs\": [{\"token\": \"The\", \"logprob\": -0.01}]}]}",
                          value, value);
  return g_string_free (script, FALSE);
}

static gboolean
run_over (gpointer data)
{
  ReinsWindow *window = data;

  return _reins_window_get_n_live_runs (window) == 0 &&
         _reins_run_view_get_caught_up (_reins_window_get_run_view (window));
}

static gboolean
window_ready (gpointer data)
{
  return !reins_history_get_loading (_reins_window_get_history (data)) && loaded (data);
}

static int
compare_gap (gconstpointer a,
             gconstpointer b)
{
  gint64 x = ((const gint64 *) a)[1], y = ((const gint64 *) b)[1];

  return x > y ? -1 : x < y;
}

static void
painted_cb (GdkFrameClock *clock,
            gpointer       data)
{
  g_object_set_data (data, "bench-painted", GINT_TO_POINTER (TRUE));
}

/* Whether a window was drawn once. */
static gboolean
drawn (gpointer data)
{
  GdkFrameClock *clock;

  if (g_object_get_data (data, "bench-painted") != NULL)
    return TRUE;
  if (!gtk_widget_get_mapped (data) || (clock = gtk_widget_get_frame_clock (data)) == NULL ||
      g_object_get_data (data, "bench-painting") != NULL)
    return FALSE;
  g_object_set_data (data, "bench-painting", GINT_TO_POINTER (TRUE));
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (painted_cb), data, 0);
  gtk_widget_queue_draw (data);
  return FALSE;
}

/* One scripted run of @length steps in a new window: its longest stalls until the timeline
 * shows every step, and how long the timeline took to show them after the run ended, in µs. */
static void
stream_once (guint   length,
             gint64 *wall,
             gint64 *cpu,
             gint64 *lag)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("reins-bench-stream-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "runs.db", NULL);
  g_autofree char *script_path = g_build_filename (dir, "script.json", NULL);
  g_autofree char *workspace = g_build_filename (dir, "workspace", NULL);
  g_autofree char *script = chain_script (length);
  ReinsNewRunDialog *dialog;
  Stall stall = { 0 };
  ReinsWindow *window;
  gint64 started;
  gint64 run_ended = 0;
  guint tick;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (script_path, script, -1, NULL));
  g_assert_cmpint (g_mkdir (workspace, 0700), ==, 0);

  window = g_object_ref_sink (reins_window_new (NULL, path));
  gtk_window_present (GTK_WINDOW (window));
  iterate_until (window_ready, window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-run", NULL));
  dialog = REINS_NEW_RUN_DIALOG (_reins_window_get_new_run_dialog (window));
  /* As a person would: the dialog is on the screen before Start (its first frame is not the
   * stream's). */
  iterate_until (drawn, dialog);
  _reins_new_run_dialog_set_workspace (dialog, workspace);
  _reins_new_run_dialog_set_provider (dialog, "scripted");
  _reins_new_run_dialog_set_script (dialog, script_path);
  _reins_new_run_dialog_set_task (dialog, "Follow the chain.");
  _reins_new_run_dialog_set_max_steps (dialog, length + 10);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "new-run.start", NULL));

  if (g_getenv ("REINS_BENCH_STALLS") != NULL)
    stall.gaps = g_array_new (FALSE, FALSE, 2 * sizeof (gint64));
  started = g_get_monotonic_time ();
  tick = g_timeout_add (5, stall_tick_cb, &stall);
  while (!run_over (window))
    {
      if (run_ended == 0 && _reins_window_get_n_live_runs (window) == 0)
        run_ended = g_get_monotonic_time ();
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  *lag = g_get_monotonic_time () - (run_ended != 0 ? run_ended : g_get_monotonic_time ());
  g_source_remove (tick);
  if (stall.gaps != NULL)
    {
      gint64 ended = g_get_monotonic_time ();

      g_array_sort (stall.gaps, compare_gap);
      for (guint i = 0; i < MIN (stall.gaps->len, 8); i++)
        {
          const gint64 *gap = &g_array_index (stall.gaps, gint64, 2 * i);

          g_printerr ("  stall %.1f ms of CPU at %.3f s (%.3f s before the end; monotonic %" G_GINT64_FORMAT " µs)\n",
                      gap[1] / 1000.0, (gap[0] - started) / 1e6, (ended - gap[0]) / 1e6, gap[0]);
        }
      g_array_unref (stall.gaps);
    }
  *wall = stall.longest;
  *cpu = stall.longest_cpu;

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  reins_test_remove_tree (dir);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
stream (guint n_runs)
{
  const guint length = 2000;
  g_autoptr(GArray) walls = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) cpus = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) lags = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < n_runs; i++)
    {
      gint64 wall, cpu, lag;

      stream_once (length, &wall, &cpu, &lag);
      g_array_append_val (walls, wall);
      g_array_append_val (cpus, cpu);
      g_array_append_val (lags, lag);
    }
  g_array_sort (walls, compare_gint64);
  g_array_sort (cpus, compare_gint64);
  g_array_sort (lags, compare_gint64);
  g_print ("%u steps streaming in, longest main-loop stall, median of %u runs: %.1f ms of the "
           "main thread's own time (%.1f to %.1f), %.1f ms on the wall clock (%.1f to %.1f)\n",
           length + 1, n_runs,
           g_array_index (cpus, gint64, n_runs / 2) / 1000.0,
           g_array_index (cpus, gint64, 0) / 1000.0,
           g_array_index (cpus, gint64, n_runs - 1) / 1000.0,
           g_array_index (walls, gint64, n_runs / 2) / 1000.0,
           g_array_index (walls, gint64, 0) / 1000.0,
           g_array_index (walls, gint64, n_runs - 1) / 1000.0);
  g_print ("the timeline showed the last of them %.2f s after the run ended (median; %.2f to "
           "%.2f)\n",
           g_array_index (lags, gint64, n_runs / 2) / 1e6, g_array_index (lags, gint64, 0) / 1e6,
           g_array_index (lags, gint64, n_runs - 1) / 1e6);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("reins-bench-window-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "runs.db", NULL);
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(ReinsRun) run = reins_run_new ("A run with huge observations");
  GString *lines = g_string_sized_new (BIG + 128);
  char *one_line = g_malloc (BIG + 1);
  GtkWidget *window;
  gint64 start;

  guint stream_runs = 5;
  gboolean stream_only = FALSE;

  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--stream-runs="))
      stream_runs = (guint) g_ascii_strtoull (argv[i] + strlen ("--stream-runs="), NULL, 10);
    else if (g_str_equal (argv[i], "--stream-only"))
      stream_only = TRUE;

  gtk_init ();
  adw_init ();
  {
    /* The window's stylesheet, as the application loads it (the figures are of the window
     * a person sees). */
    g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (provider, RESOURCE_PREFIX "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  if (stream_only)
    {
      stream (MAX (stream_runs, 1));
      return 0;
    }

  for (guint i = 0; lines->len < BIG; i++)
    g_string_append_printf (lines, "%08u: the quick brown fox jumps over the lazy dog, again\n", i);
  memset (one_line, 'x', BIG);
  one_line[BIG] = '\0';

  store = reins_store_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 1; i <= 2; i++)
    {
      g_autoptr(ReinsStep) step = reins_step_new (reins_run_get_id (run), i);

      reins_step_set_thought (step, "Read the big file.");
      reins_step_set_observation (step, i == 1 ? lines->str : one_line);
      reins_run_set_step_count (run, i);
      reins_store_commit_step (store, run, step, &error);
      g_assert_no_error (error);
    }
  g_clear_object (&store);

  g_timeout_add (2, tick_cb, NULL);

  start = g_get_monotonic_time ();
  /* The window is built synchronously: that time counts as a stall too. */
  last_tick = start;
  window = GTK_WIDGET (reins_window_new (NULL, path));
  gtk_window_present (GTK_WINDOW (window));
  iterate_until (loaded, window);
  g_print ("open window and read 2 steps of 20 MB each: %.0f ms, longest main-loop stall "
           "%.0f ms (first frame included)\n",
           (g_get_monotonic_time () - start) / 1000.0, max_gap / 1000.0);
  reset_gap ();
  for (guint i = 0; i < 100; i++)
    g_main_context_iteration (NULL, FALSE);
  {
    Find f = { window, 2, NULL };
    iterate_until (row_found, &f);
  }
  g_print ("rows shown, longest main-loop stall while binding and drawing them: %.0f ms\n",
           max_gap / 1000.0);

  show_all (window, 1, "20 MB in lines");
  show_all (window, 2, "20 MB on one line");

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
  g_string_free (lines, TRUE);
  g_free (one_line);

  if (stream_runs > 0)
    stream (stream_runs);
  return 0;
}
