/* bench-window.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How long the main thread is blocked while the window shows a run with a 20 MB
 * observation, and while "Show All" opens it. Built, not run as a test; needs a display:
 *
 *   GSETTINGS_SCHEMA_DIR=_build/data GSETTINGS_BACKEND=memory ./_build/tests/bench-window
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "reins-step-row.h"
#include "reins-store.h"
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

  gtk_init ();
  adw_init ();

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
  return 0;
}
