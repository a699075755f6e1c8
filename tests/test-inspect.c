/* test-inspect.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window, part 2: search that opens a step, delete and undo, live history, the status
 * filter, lazy steps, the chart, replay, fork and export — driven through the window.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "reins-chart.h"
#include "reins-export-file.h"
#include "reins-fork.h"
#include "reins-run-inspector.h"
#include "reins-step-model.h"
#include "reins-store.h"
#include "reins-what-if.h"
#include "reins-step-row-private.h"
#include "reins-step-slots.h"
#include "reins-test-rows.h"
#include "reins-window-private.h"

typedef struct
{
  char *dir;
  char *path;
  char *workspace;
} Fixture;

static void
wait_until (gboolean  (*cond) (gpointer data),
            gpointer    data,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static ReinsStep *
make_step (ReinsRun   *run,
           guint       index,
           const char *thought,
           double      confidence)
{
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsAction) action = NULL;
  ReinsStep *step = reins_step_new (reins_run_get_id (run), index);

  json_object_set_string_member (args, "key", "k");
  action = reins_action_new ("kb_lookup", args);
  reins_step_set_thought (step, thought);
  reins_step_set_action (step, action);
  reins_step_set_observation (step, "{\"next\": \"k2\"}");
  reins_step_set_confidence (step, confidence, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  reins_step_set_tokens (step, 100, 10);
  reins_step_set_cost (step, 0.001, 0.001 * index);
  reins_step_set_duration_ms (step, 500);
  return step;
}

/* A run of @n_steps; step @marked's thought holds @word; every fifth step is below 0.7. */
static char *
add_run (const char     *path,
         const char     *task,
         guint           n_steps,
         guint           marked,
         const char     *word,
         ReinsRunStatus  status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = reins_store_open (path, &error);
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_no_error (error);
  run = reins_run_new (task);
  reins_run_set_provider (run, "sim");
  json_object_set_double_member (reins_run_get_settings (run), "confidence_threshold", 0.7);
  for (guint i = 1; i <= n_steps; i++)
    {
      g_autofree char *thought = i == marked ? g_strdup_printf ("Step %u mentions %s.", i, word)
                                             : g_strdup_printf ("Thought number %u.", i);
      ReinsStep *step = make_step (run, i, thought, i % 5 == 0 ? 0.42 : 0.9);

      if (i % 7 == 0)
        {
          g_autoptr(ReinsVerdict) verdict = reins_verdict_new ("loop", REINS_VERDICT_CORRECT,
                                                               "The same lookup again.");
          reins_step_add_verdict (step, verdict);
        }
      g_ptr_array_add (steps, step);
    }
  reins_run_set_step_count (run, n_steps);
  reins_store_insert_run (store, run, &error);
  g_assert_no_error (error);
  if (n_steps > 0)
    reins_store_commit_steps (store, run, steps, &error);
  g_assert_no_error (error);
  reins_run_set_status (run, status);
  reins_store_update_run (store, run, &error);
  g_assert_no_error (error);
  return g_strdup (reins_run_get_id (run));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("reins-test-inspect-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "runs.db", NULL);
  f->workspace = g_build_filename (f->dir, "ws", NULL);
  g_mkdir (f->workspace, 0700);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      if (g_file_test (file, G_FILE_TEST_IS_DIR))
        remove_tree (file);
      else
        g_unlink (file);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->workspace);
}

static gboolean
window_loaded (gpointer data)
{
  ReinsWindow *window = data;
  ReinsRunView *view = _reins_window_get_run_view (window);

  return !reins_history_get_loading (_reins_window_get_history (window)) &&
         !reins_run_view_get_loading (view) &&
         !reins_run_inspector_get_loading (reins_run_view_get_inspector (view));
}

static ReinsWindow *
open_window (Fixture *f)
{
  ReinsWindow *window = g_object_ref_sink (reins_window_new (NULL, f->path));

  gtk_window_present (GTK_WINDOW (window));
  wait_until (window_loaded, window, "the window");
  return window;
}

static void
close_window (ReinsWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

typedef struct
{
  GListModel *model;
  guint       position;
} ItemLoaded;

static gboolean
item_loaded (gpointer data)
{
  ItemLoaded *wait = data;
  g_autoptr(ReinsStep) step = g_list_model_get_item (wait->model, wait->position);

  return step != NULL && reins_step_get_thought (step) != NULL;
}

static ReinsStep *
loaded_item (GListModel *model,
             guint       position)
{
  ItemLoaded wait = { model, position };

  wait_until (item_loaded, &wait, "a step read from the store");
  return g_list_model_get_item (model, position);
}

/* Search finds a word in a step's thought; opening the result marks that step and reads it. */
static void
test_search_opens_step (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *other = add_run (f->path, "Another task", 3, 0, NULL,
                                    REINS_RUN_STATUS_COMPLETED);
  g_autofree char *target = add_run (f->path, "Follow the chain", 60, 47, "xylophone",
                                     REINS_RUN_STATUS_COMPLETED);
  ReinsWindow *window = open_window (f);
  ReinsHistory *history = _reins_window_get_history (window);
  ReinsRunView *view = _reins_window_get_run_view (window);
  g_autoptr(ReinsRun) found = NULL;
  g_autoptr(ReinsStep) step = NULL;

  reins_history_search (history, "xylophone");
  g_assert_cmpuint (g_list_model_get_n_items (reins_history_get_model (history)), ==, 1);
  found = g_list_model_get_item (reins_history_get_model (history), 0);
  g_assert_cmpstr (reins_run_get_id (found), ==, target);

  g_assert_true (reins_history_select_run (history, target));
  g_assert_cmpuint (reins_history_get_selected_step (history), ==, 47);
  wait_until (window_loaded, window, "the run of the hit");
  g_assert_cmpstr (reins_run_get_id (reins_run_view_get_run (view)), ==, target);
  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 47);
  step = loaded_item (reins_run_view_get_steps (view), 46);
  g_assert_cmpuint (reins_step_get_index (step), ==, 47);
  g_assert_nonnull (strstr (reins_step_get_thought (step), "xylophone"));

  /* Another run from the whole history has no mark. */
  reins_history_search (history, NULL);
  g_assert_true (reins_history_select_run (history, other));
  wait_until (window_loaded, window, "the other run");
  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 0);

  close_window (window);
}

static gboolean
toast_gone (gpointer data)
{
  return _reins_history_get_toast (data) == NULL;
}

/* Delete hides the run at once, Undo brings it back, a toast that goes away purges it. */
static void
test_delete_undo (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *older = add_run (f->path, "Older", 2, 0, NULL, REINS_RUN_STATUS_COMPLETED);
  g_autofree char *newer = add_run (f->path, "Newer", 2, 0, NULL, REINS_RUN_STATUS_FAILED);
  ReinsWindow *window = open_window (f);
  ReinsHistory *history = _reins_window_get_history (window);
  g_autoptr(ReinsStore) other = reins_store_open (f->path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsRun) gone = NULL;
  AdwToast *toast;

  g_assert_cmpuint (reins_history_get_n_runs (history), ==, 2);
  g_assert_true (reins_history_select_run (history, newer));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (history), "history.delete-selected",
                                             NULL));
  g_assert_cmpuint (reins_history_get_n_runs (history), ==, 1);
  g_assert_cmpuint (reins_store_count_runs (other, -1, NULL), ==, 1);
  toast = _reins_history_get_toast (history);
  g_assert_nonnull (toast);

  /* Undo: the toast's button (the toast's widget holds it while it is shown). */
  g_object_ref (toast);
  g_signal_emit_by_name (toast, "button-clicked");
  g_object_unref (toast);
  g_assert_cmpuint (reins_history_get_n_runs (history), ==, 2);
  g_assert_cmpuint (reins_store_count_runs (other, -1, NULL), ==, 2);
  g_assert_cmpstr (reins_run_get_id (reins_history_get_selected_run (history)), ==, newer);
  /* libadwaita 1.2 trips over a toast dismissed while it still animates in: let it show. */
  spin (600);
  adw_toast_dismiss (toast);
  wait_until (toast_gone, history, "the toast to go");
  gone = reins_store_get_run (other, newer, &error);
  g_assert_no_error (error);
  g_clear_object (&gone);

  /* Delete through the row's menu action, and let the toast go: the run is purged. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (history), "history.delete-run", "s",
                                             older));
  g_assert_cmpuint (reins_history_get_n_runs (history), ==, 1);
  spin (600);
  adw_toast_dismiss (_reins_history_get_toast (history));
  wait_until (toast_gone, history, "the second toast to go");
  gone = reins_store_get_run (other, older, &error);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
  g_assert_null (gone);

  close_window (window);
}

/* Runs another process writes show up without a reload; a run that changes changes in place. */
static void
test_live_history (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *first = add_run (f->path, "First", 1, 0, NULL, REINS_RUN_STATUS_COMPLETED);
  g_autofree char *running = NULL;
  ReinsWindow *window = open_window (f);
  ReinsHistory *history = _reins_window_get_history (window);
  g_autoptr(ReinsRun) row_run = NULL;
  g_autoptr(ReinsStore) other = reins_store_open (f->path, NULL);
  g_autoptr(ReinsRun) changed = NULL;
  g_autoptr(GError) error = NULL;

  running = add_run (f->path, "Running elsewhere", 2, 0, NULL, REINS_RUN_STATUS_RUNNING);
  reins_history_poll (history);
  g_assert_cmpuint (reins_history_get_n_runs (history), ==, 2);
  row_run = g_list_model_get_item (reins_history_get_model (history), 0);
  g_assert_cmpstr (reins_run_get_id (row_run), ==, running);
  g_assert_cmpint (reins_run_get_status (row_run), ==, REINS_RUN_STATUS_RUNNING);

  changed = reins_store_get_run (other, running, &error);
  g_assert_no_error (error);
  reins_run_set_status (changed, REINS_RUN_STATUS_COMPLETED);
  reins_run_set_cost_usd (changed, 0.25);
  reins_store_update_run (other, changed, &error);
  g_assert_no_error (error);

  /* The timer notices it too; the row's object is updated, not replaced. */
  spin (2000);
  g_assert_cmpint (reins_run_get_status (row_run), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_cmpfloat_with_epsilon (reins_run_get_cost_usd (row_run), 0.25, 1e-9);

  /* A run started in this window: added first, then updated. */
  {
    g_autoptr(ReinsRun) live = reins_run_new ("Started here");
    g_autoptr(ReinsRun) shown = NULL;

    reins_run_set_status (live, REINS_RUN_STATUS_RUNNING);
    reins_history_update_run (history, live);
    shown = g_list_model_get_item (reins_history_get_model (history), 0);
    g_assert_cmpstr (reins_run_get_id (shown), ==, reins_run_get_id (live));
    reins_run_set_status (live, REINS_RUN_STATUS_AWAITING_APPROVAL);
    reins_run_set_cost_usd (live, 0.5);
    reins_history_update_run (history, live);
    g_assert_cmpint (reins_run_get_status (shown), ==, REINS_RUN_STATUS_AWAITING_APPROVAL);
    g_assert_cmpfloat_with_epsilon (reins_run_get_cost_usd (shown), 0.5, 1e-9);
  }

  close_window (window);
}

static void
test_status_filter (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *done = add_run (f->path, "Done", 1, 0, NULL, REINS_RUN_STATUS_COMPLETED);
  g_autofree char *failed = add_run (f->path, "Broken", 1, 0, "zebra", REINS_RUN_STATUS_FAILED);
  g_autofree char *failed2 = add_run (f->path, "Broken too", 1, 1, "zebra",
                                      REINS_RUN_STATUS_FAILED);
  ReinsWindow *window = open_window (f);
  ReinsHistory *history = _reins_window_get_history (window);
  GListModel *model;

  g_assert_cmpuint (reins_history_get_n_runs (history), ==, 3);
  reins_history_set_status_filter (history, REINS_RUN_STATUS_FAILED);
  wait_until (window_loaded, window, "the filtered history");
  model = reins_history_get_model (history);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(ReinsRun) run = g_list_model_get_item (model, i);
      g_assert_cmpint (reins_run_get_status (run), ==, REINS_RUN_STATUS_FAILED);
    }
  reins_history_set_status_filter (history, REINS_RUN_STATUS_COMPLETED);
  wait_until (window_loaded, window, "the completed runs");
  g_assert_cmpuint (g_list_model_get_n_items (reins_history_get_model (history)), ==, 1);

  /* Search and filter together. */
  reins_history_set_status_filter (history, REINS_RUN_STATUS_FAILED);
  reins_history_search (history, "zebra");
  g_assert_cmpuint (g_list_model_get_n_items (reins_history_get_model (history)), ==, 1);
  reins_history_set_status_filter (history, -1);
  reins_history_search (history, NULL);
  wait_until (window_loaded, window, "every run");
  g_assert_cmpuint (reins_history_get_n_runs (history), ==, 3);

  close_window (window);
}

/* A run of 10,000 steps: the model has them all at once and reads a page only when asked. */
static void
test_lazy_steps (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *id = add_run (f->path, "Long", 10000, 9000, "needle",
                                 REINS_RUN_STATUS_COMPLETED);
  g_autoptr(ReinsStore) store = reins_store_open (f->path, NULL);
  g_autoptr(ReinsStepModel) model = reins_step_model_new (store, id, 10000);
  g_autoptr(ReinsStep) placeholder = NULL;
  g_autoptr(ReinsStep) step = NULL;
  g_autoptr(ReinsStep) last = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 10000);
  g_assert_false (reins_step_model_get_loading (model));
  placeholder = g_list_model_get_item (G_LIST_MODEL (model), 8999);
  g_assert_cmpuint (reins_step_get_index (placeholder), ==, 9000);
  g_assert_null (reins_step_get_thought (placeholder));
  g_assert_true (reins_step_model_get_loading (model));
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 10000));

  step = loaded_item (G_LIST_MODEL (model), 8999);
  g_assert_true (reins_step_model_is_loaded (model, 8999));
  g_assert_nonnull (strstr (reins_step_get_thought (step), "needle"));
  last = loaded_item (G_LIST_MODEL (model), 9999);
  g_assert_cmpuint (reins_step_get_index (last), ==, 10000);

  /* Scrolling through keeps a bounded cache. */
  for (guint i = 0; i < 10000; i += 64)
    {
      g_autoptr(ReinsStep) item = loaded_item (G_LIST_MODEL (model), i);
      g_assert_cmpuint (reins_step_get_index (item), ==, i + 1);
    }
  g_assert_false (reins_step_model_is_loaded (model, 0));

  /* The run grows (another process goes on with it). */
  reins_step_model_set_n_steps (model, 10005);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 10005);
}

typedef struct
{
  ReinsStore *store;
  const char *run_id;
} StoredRun;

static gboolean
inspector_loaded (gpointer data)
{
  return !reins_run_inspector_get_loading (data);
}

typedef struct
{
  GtkListView *list;
  guint        index;
} ShownStep;

static GtkWidget *
find_step_row (GtkWidget *widget,
               guint      index)
{
  if (REINS_IS_STEP_ROW (widget))
    {
      ReinsStep *step = reins_step_row_get_step (REINS_STEP_ROW (widget));

      return step != NULL && reins_step_get_index (step) == index ? widget : NULL;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = find_step_row (child, index);

      if (row != NULL)
        return row;
    }
  return NULL;
}

/* The row of the step is inside the list's viewport, whole (or, taller than the viewport,
 * from its top), once the view has settled. */
static gboolean
step_in_view (gpointer data)
{
  ShownStep *shown = data;
  GtkWidget *viewport = gtk_widget_get_parent (GTK_WIDGET (shown->list));
  GtkWidget *row = find_step_row (GTK_WIDGET (shown->list), shown->index);
  graphene_rect_t bounds;

  if (row == NULL || !gtk_widget_get_mapped (row) || gtk_widget_get_height (viewport) == 0 ||
      !gtk_widget_compute_bounds (row, viewport, &bounds))
    return FALSE;
  return bounds.origin.y >= -1 &&
         bounds.origin.y + MIN (bounds.size.height, gtk_widget_get_height (viewport)) <=
           gtk_widget_get_height (viewport) + 1;
}

/* Replay to the last step shows it, however tall the rows (issue 13: at step 10 of 10 the
 * timeline showed step 9). */
static void
test_replay_last_step (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = reins_store_open (f->path, &error);
  g_autoptr(ReinsRun) run = reins_run_new ("Tall steps");
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) observation = g_string_new (NULL);
  ReinsWindow *window;
  ReinsRunView *view;
  ReinsRunInspector *inspector;

  g_assert_no_error (error);
  for (guint line = 0; line < 3; line++)
    g_string_append_printf (observation, "line %u of an observation that takes room\n", line);
  for (guint i = 1; i <= 10; i++)
    {
      ReinsStep *step = reins_step_new (reins_run_get_id (run), i);
      g_autofree char *thought = g_strdup_printf ("Step %u thinks.", i);

      reins_step_set_thought (step, thought);
      reins_step_set_observation (step, observation->str);
      g_ptr_array_add (steps, step);
    }
  reins_run_set_step_count (run, 10);
  reins_run_set_status (run, REINS_RUN_STATUS_COMPLETED);
  reins_store_insert_run (store, run, &error);
  g_assert_no_error (error);
  reins_store_commit_steps (store, run, steps, &error);
  g_assert_no_error (error);

  window = open_window (f);
  view = _reins_window_get_run_view (window);
  inspector = reins_run_view_get_inspector (view);
  wait_until (inspector_loaded, inspector, "the chart");

  reins_run_inspector_set_replaying (inspector, TRUE);
  for (guint k = 1; k <= 10; k++)
    {
      ShownStep shown = { reins_run_view_get_list_view (view), k };

      reins_run_inspector_set_position (inspector, k);
      wait_until (step_in_view, &shown, "the replayed step in view");
    }
  /* Back to the start, then straight to the end; back one, and forward again. */
  for (guint k = 1; k <= 10; k += 9)
    {
      ShownStep shown = { reins_run_view_get_list_view (view), k };

      reins_run_inspector_set_position (inspector, k);
      wait_until (step_in_view, &shown, "the replayed step in view");
    }
  for (guint k = 9; k <= 10; k++)
    {
      ShownStep shown = { reins_run_view_get_list_view (view), k };

      reins_run_inspector_set_position (inspector, k);
      wait_until (step_in_view, &shown, "the replayed step in view");
    }

  close_window (window);
}

/* Replay shows steps 1 … k, each the stored step, and plays to the end. */
static void
test_replay (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *id = add_run (f->path, "Replay me", 12, 0, NULL, REINS_RUN_STATUS_COMPLETED);
  ReinsWindow *window = open_window (f);
  ReinsRunView *view = _reins_window_get_run_view (window);
  ReinsRunInspector *inspector = reins_run_view_get_inspector (view);
  GListModel *shown = reins_run_view_get_shown_steps (view);
  g_autoptr(ReinsStore) store = reins_store_open (f->path, NULL);
  g_autoptr(GPtrArray) stored = reins_store_get_steps (store, id, 1, 0, NULL);
  ReinsChart *chart = reins_run_inspector_get_chart (inspector);

  g_assert_cmpuint (stored->len, ==, 12);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 12);
  g_assert_cmpuint (reins_chart_get_n_points (chart), ==, 12);

  reins_run_inspector_set_replaying (inspector, TRUE);
  g_assert_cmpuint (reins_run_inspector_get_position (inspector), ==, 1);
  for (guint k = 1; k <= 12; k++)
    {
      reins_run_inspector_set_position (inspector, k);
      g_assert_cmpuint (g_list_model_get_n_items (shown), ==, k);
      g_assert_cmpuint (reins_chart_get_cursor (chart), ==, k);
      for (guint i = 0; i < k; i++)
        {
          g_autoptr(ReinsStep) step = loaded_item (shown, i);
          g_autoptr(JsonNode) a = reins_step_to_json (step);
          g_autoptr(JsonNode) b = reins_step_to_json (g_ptr_array_index (stored, i));

          g_assert_true (json_node_equal (a, b));
        }
    }

  /* Play from the start at 100 steps a second: it stops at the last step. */
  reins_run_inspector_set_position (inspector, 1);
  reins_run_inspector_set_speed (inspector, 100);
  reins_run_inspector_play (inspector);
  g_assert_true (reins_run_inspector_get_playing (inspector));
  while (reins_run_inspector_get_playing (inspector))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (reins_run_inspector_get_position (inspector), ==, 12);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 12);

  /* Pause mid-way, then leave the replay: the whole run shows again. */
  reins_run_inspector_set_position (inspector, 3);
  reins_run_inspector_play (inspector);
  reins_run_inspector_pause (inspector);
  g_assert_false (reins_run_inspector_get_playing (inspector));
  reins_run_inspector_set_replaying (inspector, FALSE);
  g_assert_cmpuint (reins_run_inspector_get_position (inspector), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 12);

  close_window (window);
}

static gboolean
chart_allocated (gpointer data)
{
  return gtk_widget_get_width (data) > 0;
}

/* The chart holds every step's numbers; a click picks the step under it. */
static void
test_chart (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *id = add_run (f->path, "Chart me", 40, 0, NULL, REINS_RUN_STATUS_COMPLETED);
  ReinsWindow *window = open_window (f);
  ReinsRunView *view = _reins_window_get_run_view (window);
  ReinsChart *chart = reins_run_inspector_get_chart (reins_run_view_get_inspector (view));
  const ReinsChartPoint *points;
  g_autofree ReinsChartPoint *many = g_new0 (ReinsChartPoint, 100000);
  int width;

  g_assert_cmpuint (reins_chart_get_n_points (chart), ==, 40);
  points = reins_chart_get_points (chart);
  for (guint i = 0; i < 40; i++)
    {
      g_assert_cmpfloat_with_epsilon (points[i].confidence, (i + 1) % 5 == 0 ? 0.42 : 0.9, 1e-6);
      g_assert_cmpfloat_with_epsilon (points[i].cost_total, 0.001 * (i + 1), 1e-6);
      g_assert_cmpint (points[i].worst, ==, (i + 1) % 7 == 0 ? REINS_VERDICT_CORRECT
                                                             : REINS_VERDICT_ALLOW);
    }
  g_assert_cmpfloat_with_epsilon (reins_chart_get_threshold (chart), 0.7, 1e-9);

  /* $0.04 of the default $1 budget: the cost line gets a scale of its own, not a flat line
   * along the bottom (issue 13). */
  {
    gboolean budget_shown = TRUE;

    g_assert_cmpfloat_with_epsilon (reins_chart_get_cost_scale (chart, &budget_shown), 0.04, 1e-6);
    g_assert_false (budget_shown);
    /* A quarter of the budget or more: drawn against it. */
    reins_chart_set_budget (chart, 0.1);
    g_assert_cmpfloat_with_epsilon (reins_chart_get_cost_scale (chart, &budget_shown), 0.1, 1e-9);
    g_assert_true (budget_shown);
    /* Over it: against the cost, the budget line under the top. */
    reins_chart_set_budget (chart, 0.02);
    g_assert_cmpfloat_with_epsilon (reins_chart_get_cost_scale (chart, &budget_shown), 0.04, 1e-6);
    g_assert_true (budget_shown);
    /* No budget at all. */
    reins_chart_set_budget (chart, 0);
    g_assert_cmpfloat_with_epsilon (reins_chart_get_cost_scale (chart, &budget_shown), 0.04, 1e-6);
    g_assert_false (budget_shown);
    reins_chart_set_budget (chart, 1.0);
  }

  wait_until (chart_allocated, chart, "the chart's size");
  width = gtk_widget_get_width (GTK_WIDGET (chart));
  g_assert_cmpuint (reins_chart_step_at (chart, 0), ==, 1);
  g_assert_cmpuint (reins_chart_step_at (chart, width - 1), ==, 40);
  g_assert_cmpuint (reins_chart_step_at (chart, width / 2.0 + 1), ==, 21);
  g_assert_cmpuint (reins_chart_step_at (chart, -1), ==, 0);

  /* Picking a step on the chart marks it in the timeline. */
  g_signal_emit_by_name (chart, "step-activated", 33);
  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 33);
  g_assert_cmpuint (reins_run_inspector_get_current_step (reins_run_view_get_inspector (view)),
                    ==, 33);

  /* 100,000 points draw through decimation (one column per pixel). */
  for (guint i = 0; i < 100000; i++)
    {
      many[i].confidence = (i % 1000) / 1000.0f;
      many[i].cost_total = i * 1e-5f;
      many[i].worst = i == 54321 ? REINS_VERDICT_TERMINATE : REINS_VERDICT_ALLOW;
    }
  reins_chart_set_points (chart, many, 100000);
  gtk_widget_queue_draw (GTK_WIDGET (chart));
  spin (100);
  /* The last pixel column holds the last steps. */
  g_assert_cmpuint (reins_chart_step_at (chart, width - 1), >=, 100000 - 100000 / width);
  g_assert_cmpuint (reins_chart_step_at (chart, width - 0.001), ==, 100000);

  close_window (window);
}

static void
approve_cb (ReinsExecutor *executor,
            ReinsApproval *approval,
            gpointer       data)
{
  reins_approval_approve (approval, FALSE);
}

static gboolean
executor_done (gpointer data)
{
  return !reins_executor_is_running (data);
}

static ReinsProviderConfig *
scripted (Fixture    *f,
          const char *name,
          const char *script)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  ReinsProviderConfig *config = reins_provider_config_new ("scripted");

  g_assert_true (g_file_set_contents (path, script, -1, NULL));
  config->script_path = g_strdup (path);
  return config;
}

static ReinsExecutor *
run_and_wait (ReinsExecutor *executor)
{
  g_signal_connect (executor, "approval-requested", G_CALLBACK (approve_cb), NULL);
  reins_executor_start (executor);
  wait_until (executor_done, executor, "the run to end");
  return executor;
}

/* A fork keeps steps 1 … n−1 without running their tools again, and goes on live. */
static void
test_fork (Fixture       *f,
           gconstpointer  data)
{
  static const char parent_script[] =
    "{\"responses\": ["
    " {\"tool_calls\": [{\"name\": \"write_file\", \"arguments\": {\"path\": \"a.txt\", \"content\": \"one\"}}]},"
    " {\"tool_calls\": [{\"name\": \"write_file\", \"arguments\": {\"path\": \"b.txt\", \"content\": \"two\"}}]},"
    " {\"tool_calls\": [{\"name\": \"finish\", \"arguments\": {\"answer\": \"Wrote a.txt and b.txt\"}}]}"
    "]}";
  static const char fork_script[] =
    "{\"responses\": ["
    " {\"tool_calls\": [{\"name\": \"write_file\", \"arguments\": {\"path\": \"c.txt\", \"content\": \"three\"}}]},"
    " {\"tool_calls\": [{\"name\": \"finish\", \"arguments\": {\"answer\": \"Wrote c.txt\"}}]}"
    "]}";
  g_autoptr(ReinsProviderConfig) parent_config = scripted (f, "parent.json", parent_script);
  g_autoptr(ReinsProviderConfig) fork_config = scripted (f, "fork.json", fork_script);
  g_autoptr(ReinsRun) run = reins_run_new ("Write three files");
  g_autoptr(JsonArray) tools = json_array_new ();
  g_autoptr(ReinsExecutor) parent = NULL;
  g_autoptr(ReinsExecutor) fork = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(ReinsRun) stored_parent = NULL;
  g_autoptr(ReinsRun) stored_fork = NULL;
  g_autoptr(GPtrArray) parent_steps = NULL;
  g_autoptr(GPtrArray) fork_steps = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = g_build_filename (f->workspace, "a.txt", NULL);
  g_autofree char *b = g_build_filename (f->workspace, "b.txt", NULL);
  g_autofree char *c = g_build_filename (f->workspace, "c.txt", NULL);
  ReinsWindow *window;
  ReinsRunInspector *inspector;
  const char * const *forks;
  JsonObject *settings = reins_run_get_settings (run);

  reins_run_set_provider (run, "scripted");
  json_array_add_string_element (tools, "write_file");
  json_object_set_array_member (settings, "tools", json_array_ref (tools));
  json_object_set_string_member (settings, "workspace", f->workspace);
  json_object_set_string_member (settings, "mode", "tools");
  json_object_set_int_member (settings, "max_steps", 10);
  parent = run_and_wait (reins_executor_new (run, parent_config, f->path));
  g_assert_true (g_file_test (a, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (b, G_FILE_TEST_EXISTS));

  /* The kept steps' files are gone: if the fork ran their tools again, they would be back. */
  g_unlink (a);
  g_unlink (b);

  window = open_window (f);
  store = reins_store_open (f->path, NULL);
  stored_parent = reins_store_get_run (store, reins_run_get_id (run), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reins_run_get_step_count (stored_parent), ==, 3);

  fork = reins_fork_start_with_config (store, stored_parent, 3, NULL, fork_config, &error);
  g_assert_no_error (error);
  g_signal_connect (fork, "approval-requested", G_CALLBACK (approve_cb), NULL);
  reins_window_show_executor (window, fork);
  wait_until (executor_done, fork, "the fork to end");
  wait_until (window_loaded, window, "the fork's view");

  g_assert_false (g_file_test (a, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (b, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (c, G_FILE_TEST_EXISTS));

  stored_fork = reins_store_get_run (store, reins_run_get_id (reins_executor_get_run (fork)),
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reins_run_get_parent_run_id (stored_fork), ==, reins_run_get_id (run));
  g_assert_cmpuint (reins_run_get_fork_step (stored_fork), ==, 3);
  g_assert_cmpint (reins_run_get_status (stored_fork), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_cmpstr (reins_run_get_final_answer (stored_fork), ==, "Wrote c.txt");

  parent_steps = reins_store_get_steps (store, reins_run_get_id (run), 1, 0, NULL);
  fork_steps = reins_store_get_steps (store, reins_run_get_id (stored_fork), 1, 0, NULL);
  g_assert_cmpuint (fork_steps->len, ==, 4);
  for (guint i = 0; i < 2; i++)
    {
      ReinsStep *p = g_ptr_array_index (parent_steps, i);
      ReinsStep *k = g_ptr_array_index (fork_steps, i);

      g_assert_cmpstr (reins_step_get_observation (k), ==, reins_step_get_observation (p));
      g_assert_true (reins_action_equal (reins_step_get_action (k), reins_step_get_action (p)));
    }
  g_assert_cmpstr (reins_action_get_name (reins_step_get_action (g_ptr_array_index (fork_steps, 2))),
                   ==, "write_file");

  /* The window shows the fork (its row right under its parent's), and the parent lists it. */
  {
    GListModel *model = reins_history_get_model (_reins_window_get_history (window));
    g_autoptr(ReinsRun) first = g_list_model_get_item (model, 0);
    g_autoptr(ReinsRun) second = g_list_model_get_item (model, 1);

    g_assert_cmpstr (reins_run_get_id (first), ==, reins_run_get_id (run));
    g_assert_cmpstr (reins_run_get_id (second), ==, reins_run_get_id (stored_fork));
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-run", "s",
                                             reins_run_get_id (run)));
  wait_until (window_loaded, window, "the parent");
  inspector = reins_run_view_get_inspector (_reins_window_get_run_view (window));
  forks = reins_run_inspector_get_fork_ids (inspector);
  g_assert_nonnull (forks);
  g_assert_cmpstr (forks[0], ==, reins_run_get_id (stored_fork));
  g_assert_null (forks[1]);

  /* A fork with an edited action: step 2 writes d.txt instead of asking the model. */
  {
    static const char edited_script[] =
      "{\"responses\": ["
      " {\"tool_calls\": [{\"name\": \"finish\", \"arguments\": {\"answer\": \"Wrote d.txt\"}}]}"
      "]}";
    g_autoptr(ReinsProviderConfig) edited_config = scripted (f, "edited.json", edited_script);
    g_autoptr(JsonObject) overrides = json_object_new ();
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(ReinsExecutor) edited = NULL;
    g_autoptr(ReinsRun) stored_edited = NULL;
    g_autoptr(GPtrArray) edited_steps = NULL;
    g_autofree char *d = g_build_filename (f->workspace, "d.txt", NULL);
    ReinsStep *second;

    json_parser_load_from_data (parser, "{\"name\": \"write_file\", \"arguments\": "
                                        "{\"path\": \"d.txt\", \"content\": \"four\"}}", -1, &error);
    g_assert_no_error (error);
    json_object_set_member (overrides, "fork_action", json_node_copy (json_parser_get_root (parser)));
    edited = reins_fork_start_with_config (store, stored_parent, 2, overrides, edited_config,
                                           &error);
    g_assert_no_error (error);
    run_and_wait (g_object_ref (edited));
    g_object_unref (edited);

    g_assert_true (g_file_test (d, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (a, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (b, G_FILE_TEST_EXISTS));
    stored_edited = reins_store_get_run (store, reins_run_get_id (reins_executor_get_run (edited)),
                                         &error);
    g_assert_no_error (error);
    g_assert_cmpstr (reins_run_get_final_answer (stored_edited), ==, "Wrote d.txt");
    edited_steps = reins_store_get_steps (store, reins_run_get_id (stored_edited), 1, 0, NULL);
    g_assert_cmpuint (edited_steps->len, ==, 3);
    second = g_ptr_array_index (edited_steps, 1);
    g_assert_cmpstr (reins_action_get_name (reins_step_get_action (second)), ==, "write_file");
    g_assert_cmpstr (json_object_get_string_member (
                       reins_action_get_arguments (reins_step_get_action (second)), "path"),
                     ==, "d.txt");
  }

  /* The dialog opens from a step's menu action, with that step's action to edit. */
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    AdwMessageDialog *dialog = NULL;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.fork-from", "u", 2));
    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

        if (ADW_IS_MESSAGE_DIALOG (toplevel))
          dialog = ADW_MESSAGE_DIALOG (toplevel);
      }
    g_assert_nonnull (dialog);
    g_assert_true (adw_message_dialog_has_response (dialog, "fork"));
    adw_message_dialog_response (dialog, "cancel");
    gtk_window_destroy (GTK_WINDOW (dialog));
  }

  close_window (window);
}

static gboolean
what_if_done (gpointer data)
{
  return !reins_run_inspector_get_what_if_running (data) &&
         reins_run_inspector_get_what_if (data) != NULL;
}

static GArray *
judge (ReinsRunInspector *inspector,
       JsonObject        *overrides)
{
  reins_run_inspector_what_if (inspector, overrides);
  g_assert_true (reins_run_inspector_get_what_if_running (inspector));
  wait_until (what_if_done, inspector, "the what-if");
  return g_array_ref (reins_run_inspector_get_what_if (inspector));
}

static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *css_class)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) &&
      (css_class == NULL || gtk_widget_has_css_class (root, css_class)))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
widget_allocated (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

/* What-if with a stricter threshold sends exactly the steps below it to a person. */
static void
test_what_if (Fixture       *f,
              gconstpointer  data)
{
  static const double confidences[] = { 0.95, 0.75, 0.97, 0.8, 0.93, 0.99, 0.9, 0.96 };
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = reins_store_open (f->path, &error);
  g_autoptr(ReinsRun) run = reins_run_new ("Follow the chain k0");
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonArray) tools = json_array_new ();
  g_autoptr(JsonObject) none = json_object_new ();
  g_autoptr(JsonObject) strict = json_object_new ();
  g_autoptr(GArray) baseline = NULL;
  g_autoptr(GArray) judged = NULL;
  ReinsRunInspector *inspector;
  ReinsWindow *window;
  const guint n = G_N_ELEMENTS (confidences);

  g_assert_no_error (error);
  reins_run_set_provider (run, "sim");
  json_array_add_string_element (tools, "kb_lookup");
  json_object_set_array_member (reins_run_get_settings (run), "tools", json_array_ref (tools));
  json_object_set_double_member (reins_run_get_settings (run), "confidence_threshold", 0.7);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) args = json_object_new ();
      g_autoptr(ReinsAction) action = NULL;
      g_autofree char *key = g_strdup_printf ("chain-3-%u/%u", n, i);
      g_autofree char *observation = g_strdup_printf ("{\"next\": \"chain-3-%u/%u\"}", n, i + 1);
      g_autofree char *thought = g_strdup_printf ("Look up key %u of the chain.", i);
      ReinsStep *step = reins_step_new (reins_run_get_id (run), i + 1);

      json_object_set_string_member (args, "key", key);
      action = reins_action_new ("kb_lookup", args);
      reins_step_set_thought (step, thought);
      reins_step_set_action (step, action);
      reins_step_set_observation (step, observation);
      reins_step_set_confidence (step, confidences[i], REINS_CONFIDENCE_SOURCE_LOGPROBS);
      reins_step_set_tokens (step, 100, 10);
      reins_step_set_cost (step, 0.0001, 0.0001 * (i + 1));
      g_ptr_array_add (steps, step);
    }
  reins_run_set_step_count (run, n);
  reins_run_set_status (run, REINS_RUN_STATUS_COMPLETED);
  reins_store_insert_run (store, run, &error);
  g_assert_no_error (error);
  reins_store_commit_steps (store, run, steps, &error);
  g_assert_no_error (error);

  window = open_window (f);
  inspector = reins_run_view_get_inspector (_reins_window_get_run_view (window));
  g_assert_cmpstr (reins_run_get_id (reins_run_inspector_get_run (inspector)), ==,
                   reins_run_get_id (run));

  baseline = judge (inspector, none);
  g_assert_cmpuint (baseline->len, ==, n);
  json_object_set_double_member (strict, "confidence_threshold", 0.85);
  json_object_set_string_member (strict, "confidence_asks", "always");
  judged = judge (inspector, strict);
  g_assert_cmpuint (judged->len, ==, n);

  for (guint i = 0; i < n; i++)
    {
      ReinsWhatIfStep *before = &g_array_index (baseline, ReinsWhatIfStep, i);
      ReinsWhatIfStep *after = &g_array_index (judged, ReinsWhatIfStep, i);
      gboolean below = confidences[i] < 0.85;

      g_assert_cmpuint (after->step, ==, i + 1);
      /* Under the run's own threshold nothing here needs a person. */
      g_assert_cmpint (before->replayed_kind, <, REINS_VERDICT_ASK);
      if (below)
        {
          g_assert_cmpint (after->replayed_kind, ==, REINS_VERDICT_ASK);
          g_assert_cmpstr (after->guard, ==, "confidence");
          g_assert_true (after->changed);
        }
      else
        {
          g_assert_cmpint (after->replayed_kind, ==, before->replayed_kind);
          g_assert_cmpstr (after->guard, ==, before->guard);
        }
    }

  /* The chart marks those steps; a summary says what changed. */
  {
    const ReinsChartPoint *points = reins_chart_get_points (reins_run_inspector_get_chart (inspector));

    g_assert_cmpint (points[1].marked, ==, REINS_VERDICT_ASK);
    g_assert_cmpint (points[3].marked, ==, REINS_VERDICT_ASK);
    g_assert_cmpint (points[0].marked, ==, 0);
  }

  /* The popover lists the changed steps, and its heading is not clipped (issue 13). */
  {
    GtkWidget *button = find_widget (GTK_WIDGET (inspector), GTK_TYPE_MENU_BUTTON, NULL);
    GtkWidget *popover, *heading, *list, *row;
    int min_height = 0, min_width = 0;
    guint n_rows = 0;

    g_assert_nonnull (button);
    popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)));
    gtk_menu_button_popup (GTK_MENU_BUTTON (button));
    heading = find_widget (popover, GTK_TYPE_LABEL, "heading");
    g_assert_nonnull (heading);
    wait_until (widget_allocated, heading, "the what-if popover");
    gtk_widget_measure (heading, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
    gtk_widget_measure (heading, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (heading),
                        &min_height, NULL, NULL, NULL);
    g_assert_cmpint (gtk_widget_get_width (heading), >=, min_width);
    g_assert_cmpint (gtk_widget_get_height (heading), >=, min_height);
    /* It reads on one line, not a word per line. */
    g_assert_cmpint (gtk_widget_get_width (heading), >=, 300);

    list = find_widget (popover, GTK_TYPE_LIST_BOX, NULL);
    for (row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
      n_rows++;
    g_assert_cmpuint (n_rows, ==, 2);
    g_signal_emit_by_name (list, "row-activated", gtk_widget_get_first_child (list));
    g_assert_cmpuint (reins_run_inspector_get_current_step (inspector), ==, 2);
    gtk_popover_popdown (GTK_POPOVER (popover));
  }

  close_window (window);
}

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (reins_export_run_finish (result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Export from the window writes the `show --json` object (CONTRACTS §2) and a report. */
static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *id = add_run (f->path, "Export me", 3, 0, NULL, REINS_RUN_STATUS_COMPLETED);
  g_autofree char *json_path = g_build_filename (f->dir, "run.json", NULL);
  g_autofree char *md_path = g_build_filename (f->dir, "run.md", NULL);
  g_autoptr(GFile) json_file = g_file_new_for_path (json_path);
  g_autoptr(GFile) md_file = g_file_new_for_path (md_path);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *markdown = NULL;
  g_autofree char *text = NULL;
  gboolean done = FALSE;
  JsonObject *object;
  JsonArray *steps;

  /* A secret in the settings must not come out. */
  {
    g_autoptr(ReinsStore) store = reins_store_open (f->path, NULL);
    g_autoptr(ReinsRun) run = reins_store_get_run (store, id, NULL);

    json_object_set_string_member (reins_run_get_settings (run), "api_key", "sk-SECRET-123");
    reins_store_update_run (store, run, &error);
    g_assert_no_error (error);
  }

  g_assert_cmpint (reins_export_format_for_file (json_file), ==, REINS_EXPORT_FORMAT_JSON);
  g_assert_cmpint (reins_export_format_for_file (md_file), ==, REINS_EXPORT_FORMAT_MARKDOWN);

  reins_export_run_async (f->path, id, json_file, REINS_EXPORT_FORMAT_JSON, NULL, exported_cb,
                          &done);
  wait_until (is_true, &done, "the JSON export");
  g_assert_true (g_file_get_contents (json_path, &text, NULL, NULL));
  g_assert_null (strstr (text, "sk-SECRET-123"));
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "completed");
  g_assert_cmpstr (json_object_get_string_member (object, "task"), ==, "Export me");
  g_assert_true (json_object_has_member (object, "parent_run_id"));
  steps = json_object_get_array_member (object, "steps");
  g_assert_cmpuint (json_array_get_length (steps), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *step = json_array_get_object_element (steps, i);
      const char *members[] = { "step", "thought", "action", "observation", "tool_error",
                                "confidence", "confidence_source", "input_tokens",
                                "output_tokens", "cost_usd", "cost_total_usd", "duration_ms",
                                "harness" };

      g_assert_cmpint (json_object_get_int_member (step, "step"), ==, i + 1);
      for (guint m = 0; m < G_N_ELEMENTS (members); m++)
        if (!json_object_has_member (step, members[m]))
          g_error ("step %u has no %s", i + 1, members[m]);
    }

  done = FALSE;
  reins_export_run_async (f->path, id, md_file, REINS_EXPORT_FORMAT_MARKDOWN, NULL, exported_cb,
                          &done);
  wait_until (is_true, &done, "the Markdown export");
  g_assert_true (g_file_get_contents (md_path, &markdown, NULL, NULL));
  g_assert_nonnull (strstr (markdown, "Export me"));
  g_assert_nonnull (strstr (markdown, "Thought number 2."));
  g_assert_null (strstr (markdown, "sk-SECRET-123"));
}

static void
count_changes_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *n_changes)
{
  (*n_changes)++;
}

static void
store_steps (GListStore *store,
             guint       first,
             guint       n)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_object_unref);

  /* In one change, as a page or another run comes. */
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (steps, reins_step_new ("run", first + i));
  g_list_store_splice (store, g_list_model_get_n_items (G_LIST_MODEL (store)), 0, steps->pdata,
                       steps->len);
}

/* The timeline's slots: a replaced step changes its slot in place, growth comes in chunks,
 * and a slot nobody holds is forgotten. */
static void
test_step_slots (void)
{
  g_autoptr(GListStore) store = g_list_store_new (REINS_TYPE_STEP);
  g_autoptr(ReinsStepSlots) slots = NULL;
  g_autoptr(ReinsStepSlot) slot = NULL;
  g_autoptr(ReinsStepSlot) again = NULL;
  g_autoptr(ReinsStep) replacement = reins_step_new ("run", 4);
  guint n_changes = 0;

  store_steps (store, 1, 10);
  slots = reins_step_slots_new (G_LIST_MODEL (store));
  g_signal_connect (slots, "items-changed", G_CALLBACK (count_changes_cb), &n_changes);
  /* A chunk first, then the rest. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 8);
  g_assert_cmpuint (reins_step_slots_get_n_hidden (slots), ==, 2);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (slots), 8));
  reins_step_slots_reveal (slots, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 10);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (slots), 10));
  n_changes = 0;

  slot = g_list_model_get_item (G_LIST_MODEL (slots), 3);
  g_assert_cmpuint (reins_step_get_index (reins_step_slot_get_step (slot)), ==, 4);
  g_assert_cmpuint (reins_step_slot_get_position (slot), ==, 3);

  /* Replaced: the same slot, the new step, no items-changed. */
  g_list_store_splice (store, 3, 1, (gpointer *) &replacement, 1);
  g_assert_true (reins_step_slot_get_step (slot) == replacement);
  again = g_list_model_get_item (G_LIST_MODEL (slots), 3);
  g_assert_true (again == slot);
  g_assert_cmpuint (n_changes, ==, 0);

  /* One more shows at once (a replay, a live step). */
  store_steps (store, 11, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 11);
  g_assert_cmpuint (n_changes, ==, 1);

  /* 299 more: the list gets them a chunk at a time, then the rest at once. */
  store_steps (store, 12, 299);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 11);
  g_assert_cmpuint (reins_step_slots_get_n_hidden (slots), ==, 299);
  reins_step_slots_reveal (slots, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 19);
  for (guint i = 0; i < 40 && reins_step_slots_get_n_hidden (slots) > 0; i++)
    reins_step_slots_reveal (slots, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 310);
  g_assert_cmpuint (reins_step_slots_get_n_hidden (slots), ==, 0);
  reins_step_slots_reveal (slots, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 310);

  /* Another run in its place, shorter: the slots that stay take its steps. */
  n_changes = 0;
  {
    g_autoptr(GPtrArray) other = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 1; i <= 5; i++)
      g_ptr_array_add (other, reins_step_new ("other", i));
    g_list_store_splice (store, 0, 310, other->pdata, other->len);
  }
  g_assert_cmpuint (n_changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 5);
  g_assert_cmpstr (reins_step_get_run_id (reins_step_slot_get_step (slot)), ==, "other");

  /* Let go of, then asked for again: a new slot with the step there. */
  g_clear_object (&again);
  g_clear_object (&slot);
  slot = g_list_model_get_item (G_LIST_MODEL (slots), 3);
  g_assert_cmpuint (reins_step_get_index (reins_step_slot_get_step (slot)), ==, 4);

  g_list_store_remove_all (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (slots), 0));

  /* Followed live, steps come a chunk per frame however many the list has already (the
   * first ones too: none is shown before the frame). */
  reins_step_slots_set_paced (slots, TRUE);
  store_steps (store, 1, 300);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 0);
  for (guint i = 0; i < 32; i++)
    reins_step_slots_reveal (slots, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 256);
  store_steps (store, 301, 5);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 256);
  g_assert_cmpuint (reins_step_slots_get_n_hidden (slots), ==, 49);
  /* A step or two more, with none held back, show at once. */
  for (guint i = 0; i < 8 && reins_step_slots_get_n_hidden (slots) > 0; i++)
    reins_step_slots_reveal (slots, FALSE);
  g_assert_cmpuint (reins_step_slots_get_n_hidden (slots), ==, 0);
  store_steps (store, 306, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 307);
  store_steps (store, 308, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 307);
  g_assert_cmpuint (reins_step_slots_get_n_hidden (slots), ==, 3);
  /* Not followed: past the list view's rows, the rest comes at once. */
  reins_step_slots_set_paced (slots, FALSE);
  reins_step_slots_reveal (slots, FALSE);
  g_assert_cmpuint (reins_step_slots_get_n_hidden (slots), ==, 0);
}

/* The timeline sizes the chunk a frame shows to what it can afford; never less than one. */
static void
test_step_slots_chunk (void)
{
  g_autoptr(GListStore) store = g_list_store_new (REINS_TYPE_STEP);
  g_autoptr(ReinsStepSlots) slots = reins_step_slots_new (G_LIST_MODEL (store));

  reins_step_slots_set_paced (slots, TRUE);
  store_steps (store, 1, 40);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 0);
  reins_step_slots_reveal (slots, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 8);
  reins_step_slots_set_chunk (slots, 3);
  g_assert_cmpuint (reins_step_slots_get_chunk (slots), ==, 3);
  reins_step_slots_reveal (slots, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 11);
  reins_step_slots_set_chunk (slots, 0);
  g_assert_cmpuint (reins_step_slots_get_chunk (slots), ==, 1);
  reins_step_slots_reveal (slots, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 12);
  /* All at once when asked, whatever the chunk. */
  reins_step_slots_reveal (slots, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 40);
}

/* A compact row shows its step's number only; made full, everything the slot said while it
 * was compact (step, marks) shows at once. A row never made compact shows it all at bind. */
static void
test_step_row_compact (void)
{
  g_autoptr(GListStore) store = g_list_store_new (REINS_TYPE_STEP);
  g_autoptr(ReinsStepSlots) slots = NULL;
  g_autoptr(ReinsStepSlot) slot = NULL;
  g_autoptr(ReinsStep) step = reins_step_new ("run", 1);
  g_autoptr(GtkWidget) row = g_object_ref_sink (reins_step_row_new ());
  g_autoptr(GtkWidget) full = g_object_ref_sink (reins_step_row_new ());
  const guint loop[] = { 1 };

  reins_step_set_thought (step, "Read the file.");
  reins_step_set_observation (step, "The file says 42.");
  g_list_store_append (store, step);
  slots = reins_step_slots_new (G_LIST_MODEL (store));
  slot = g_list_model_get_item (G_LIST_MODEL (slots), 0);

  /* Not compact: bound, it shows the step at once. */
  reins_step_row_bind (REINS_STEP_ROW (full), slot);
  g_assert_false (reins_step_row_get_compact (REINS_STEP_ROW (full)));
  g_assert_cmpstr (_reins_step_row_get_observation_text (REINS_STEP_ROW (full)), ==,
                   "The file says 42.");

  /* Compact: the number, nothing else, and the marks wait too. */
  reins_step_row_set_compact (REINS_STEP_ROW (row), TRUE);
  reins_step_row_bind (REINS_STEP_ROW (row), slot);
  g_assert_true (reins_step_row_get_compact (REINS_STEP_ROW (row)));
  g_assert_true (reins_step_row_get_step (REINS_STEP_ROW (row)) == step);
  g_assert_null (_reins_step_row_get_observation_text (REINS_STEP_ROW (row)));
  reins_step_slots_add_loop_steps (slots, loop, 1);
  g_assert_true (_reins_step_row_get_in_loop (REINS_STEP_ROW (full)));
  for (GtkWidget *c = gtk_widget_get_next_sibling (gtk_widget_get_first_child (row)); c;
       c = gtk_widget_get_next_sibling (c))
    g_assert_false (gtk_widget_get_visible (c));

  /* Made full: the step and the loop mark, as a bind would have shown them. */
  reins_step_row_set_compact (REINS_STEP_ROW (row), FALSE);
  g_assert_false (reins_step_row_get_compact (REINS_STEP_ROW (row)));
  g_assert_cmpstr (_reins_step_row_get_observation_text (REINS_STEP_ROW (row)), ==,
                   "The file says 42.");
  g_assert_true (_reins_step_row_get_in_loop (REINS_STEP_ROW (row)));
  {
    g_autoptr(GPtrArray) shown = g_ptr_array_new ();
    g_autoptr(GPtrArray) shown_full = g_ptr_array_new ();

    /* The same parts as the row never made compact shows. */
    for (GtkWidget *c = gtk_widget_get_first_child (row); c; c = gtk_widget_get_next_sibling (c))
      g_ptr_array_add (shown, GINT_TO_POINTER (gtk_widget_get_visible (c)));
    for (GtkWidget *c = gtk_widget_get_first_child (full); c; c = gtk_widget_get_next_sibling (c))
      g_ptr_array_add (shown_full, GINT_TO_POINTER (gtk_widget_get_visible (c)));
    g_assert_cmpuint (shown->len, ==, shown_full->len);
    for (guint i = 0; i < shown->len; i++)
      g_assert_true (g_ptr_array_index (shown, i) == g_ptr_array_index (shown_full, i));
  }

  /* Compact again and unbound: a recycled row holds no step. */
  reins_step_row_set_compact (REINS_STEP_ROW (row), TRUE);
  reins_step_row_unbind (REINS_STEP_ROW (row));
  g_assert_null (reins_step_row_get_step (REINS_STEP_ROW (row)));
  reins_step_row_unbind (REINS_STEP_ROW (full));
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 GString    *names)
{
  g_string_append_printf (names, "%s ", pspec->name);
}

/* What a row shows besides its step is its slot's, notified only when it changes, and the
 * row bound to the slot follows it until unbound. */
static void
test_step_slot_state (void)
{
  g_autoptr(GListStore) store = g_list_store_new (REINS_TYPE_STEP);
  g_autoptr(ReinsStepSlots) slots = NULL;
  g_autoptr(ReinsStepSlot) slot = NULL;
  g_autoptr(ReinsStepSlot) first = NULL;
  g_autoptr(ReinsStep) third = NULL;
  g_autoptr(ReinsStep) replacement = reins_step_new ("run", 3);
  g_autoptr(GString) notified = g_string_new (NULL);
  g_autoptr(GString) first_notified = g_string_new (NULL);
  GtkWidget *row = g_object_ref_sink (reins_step_row_new ());
  const guint loop[] = { 3 };

  store_steps (store, 1, 5);
  third = g_list_model_get_item (G_LIST_MODEL (store), 2);
  reins_step_set_confidence (third, 0.5, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  slots = reins_step_slots_new (G_LIST_MODEL (store));
  slot = g_list_model_get_item (G_LIST_MODEL (slots), 2);
  first = g_list_model_get_item (G_LIST_MODEL (slots), 0);
  g_signal_connect (slot, "notify", G_CALLBACK (count_notify_cb), notified);
  g_signal_connect (first, "notify", G_CALLBACK (count_notify_cb), first_notified);

  /* From the start: below the default threshold, nothing else. */
  g_assert_cmpfloat (reins_step_slot_get_threshold (slot), ==, 0.7);
  g_assert_true (reins_step_slot_get_below_threshold (slot));
  g_assert_false (reins_step_slot_get_below_threshold (first));
  g_assert_false (reins_step_slot_get_loop_step (slot));
  g_assert_false (reins_step_slot_get_live (slot));
  g_assert_false (reins_step_slot_get_waiting (slot));
  g_assert_false (reins_step_slot_get_loading (slot));

  /* The row takes the slot's state with its step. */
  reins_step_row_bind (REINS_STEP_ROW (row), slot);
  g_assert_true (reins_step_row_get_step (REINS_STEP_ROW (row)) == third);
  {
    gboolean below = FALSE;

    g_object_get (row, "below-threshold", &below, NULL);
    g_assert_true (below);
  }

  /* The same threshold again: no notification. Another one: threshold and below-threshold. */
  reins_step_slots_set_threshold (slots, 0.7);
  g_assert_cmpstr (notified->str, ==, "");
  reins_step_slots_set_threshold (slots, 0.4);
  g_assert_nonnull (strstr (notified->str, "threshold "));
  g_assert_nonnull (strstr (notified->str, "below-threshold "));
  g_assert_false (reins_step_slot_get_below_threshold (slot));
  g_string_truncate (notified, 0);
  g_string_truncate (first_notified, 0);

  /* A loop verdict names step 3: its slot and its row, not step 1's; named twice, once. */
  reins_step_slots_add_loop_steps (slots, loop, 1);
  g_assert_cmpstr (notified->str, ==, "loop-step ");
  g_assert_true (reins_step_slot_get_loop_step (slot));
  g_assert_true (_reins_step_row_get_in_loop (REINS_STEP_ROW (row)));
  g_assert_false (reins_step_slot_get_loop_step (first));
  reins_step_slots_add_loop_steps (slots, loop, 1);
  g_assert_cmpstr (notified->str, ==, "loop-step ");
  g_assert_cmpstr (first_notified->str, ==, "");

  /* Under way, then waiting for a person: the row says so. */
  g_string_truncate (notified, 0);
  reins_step_slots_set_live_step (slots, third);
  g_assert_cmpstr (notified->str, ==, "live ");
  g_assert_cmpstr (_reins_step_row_get_usage_text (REINS_STEP_ROW (row)), ==, "Thinking…");
  reins_step_slots_set_waiting_step (slots, 3);
  reins_step_slots_set_waiting_step (slots, 3);
  g_assert_cmpstr (notified->str, ==, "live waiting ");
  g_assert_cmpstr (_reins_step_row_get_usage_text (REINS_STEP_ROW (row)), ==, "Waiting for you…");
  g_assert_cmpstr (first_notified->str, ==, "");

  /* The step is replaced (it was stored): not the live item any more, still in the loop. */
  g_string_truncate (notified, 0);
  reins_step_slots_set_waiting_step (slots, 0);
  g_list_store_splice (store, 2, 1, (gpointer *) &replacement, 1);
  g_assert_true (reins_step_slot_get_step (slot) == replacement);
  g_assert_false (reins_step_slot_get_live (slot));
  g_assert_true (reins_step_slot_get_loop_step (slot));
  g_assert_null (strstr (notified->str, "loop-step"));
  g_assert_true (reins_step_row_get_step (REINS_STEP_ROW (row)) == replacement);
  g_assert_cmpstr (_reins_step_row_get_usage_text (REINS_STEP_ROW (row)), ==,
                   "0 in / 0 out tokens · Free");

  /* Unbound (recycled): no step, and the slot's changes no longer reach it. */
  reins_step_row_unbind (REINS_STEP_ROW (row));
  g_assert_null (reins_step_row_get_step (REINS_STEP_ROW (row)));
  reins_step_slots_clear_loop_steps (slots);
  g_assert_false (reins_step_slot_get_loop_step (slot));
  g_assert_true (_reins_step_row_get_in_loop (REINS_STEP_ROW (row)));

  g_clear_object (&row);
}

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  guint *left = data;

  if (*left > 0)
    (*left)--;
  return *left > 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
no_frames_left (gpointer data)
{
  return *(guint *) data == 0;
}

/* Waits until @n frames were drawn (a tick callback asks for them). */
static void
wait_frames (GtkWidget *widget,
             guint      n)
{
  guint left = n;

  gtk_widget_add_tick_callback (widget, count_frame_cb, &left, NULL);
  wait_until (no_frames_left, &left, "a few frames");
}

/* The step of the row at the top of the list's viewport, or 0. */
static guint
top_row_step (GtkWidget *list,
              GtkWidget *widget)
{
  if (REINS_IS_STEP_ROW (widget))
    {
      ReinsStep *step = reins_step_row_get_step (REINS_STEP_ROW (widget));
      graphene_rect_t bounds;

      if (step != NULL && gtk_widget_get_mapped (widget) &&
          gtk_widget_compute_bounds (widget, gtk_widget_get_parent (list), &bounds) &&
          bounds.origin.y <= 0 && bounds.origin.y + bounds.size.height > 0)
        return reins_step_get_index (step);
      return 0;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      guint index = top_row_step (list, child);

      if (index > 0)
        return index;
    }
  return 0;
}

static gboolean
all_rows_given (gpointer data)
{
  GtkListView *list = data;

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (list))) == 1001;
}

static gboolean
view_loaded (gpointer data)
{
  return !reins_run_view_get_loading (data);
}

/* A window showing a stored run of 1,001 steps, every item in the list and the first steps
 * read. */
static ReinsWindow *
open_long_run (Fixture    *f,
               const char *task)
{
  g_autofree char *id = add_run (f->path, task, 1001, 0, NULL, REINS_RUN_STATUS_COMPLETED);
  ReinsWindow *window = open_window (f);
  ReinsRunView *view = _reins_window_get_run_view (window);
  GtkListView *list = reins_run_view_get_list_view (view);

  wait_until (all_rows_given, list, "the whole run in the list");
  wait_until (view_loaded, view, "the first steps");
  wait_frames (GTK_WIDGET (list), 3);
  return window;
}

/* Dragging the scrollbar a third of the way down a run of 1,001 steps lands on a step, and
 * the view stays there when the steps are read (issue 13: it moved from ~326 to ~720). */
static void
test_scrollbar_drag (Fixture       *f,
                     gconstpointer  data)
{
  ReinsWindow *window = open_long_run (f, "Long enough to drag");
  ReinsRunView *view = _reins_window_get_run_view (window);
  GtkListView *list = reins_run_view_get_list_view (view);
  GtkAdjustment *adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list));
  guint landed, settled;

  gtk_adjustment_set_value (adj, (gtk_adjustment_get_upper (adj) -
                                  gtk_adjustment_get_page_size (adj)) / 3);
  wait_frames (GTK_WIDGET (list), 2);
  landed = top_row_step (GTK_WIDGET (list), GTK_WIDGET (list));
  g_assert_cmpuint (landed, >, 100);
  g_assert_cmpuint (landed, <, 900);

  wait_until (view_loaded, view, "the steps dragged to");
  wait_frames (GTK_WIDGET (list), 5);
  settled = top_row_step (GTK_WIDGET (list), GTK_WIDGET (list));
  g_test_message ("landed on step %u, %u once read", landed, settled);
  g_assert_cmpint (ABS ((int) settled - (int) landed), <=, 1);

  close_window (window);
}

/* A jump far into a long run has the list view bind some 200 rows at once: past a dozen,
 * they are bound compact (the jump stalled the window for 400-480 ms), and those in sight
 * are made full in the next frames. Opening the run binds none compact. */
static void
test_far_jump_compact (Fixture       *f,
                       gconstpointer  data)
{
  ReinsWindow *window = open_long_run (f, "Long enough to jump");
  ReinsRunView *view = _reins_window_get_run_view (window);
  GtkListView *list = reins_run_view_get_list_view (view);
  ShownStep shown = { list, 900 };
  GtkWidget *row;
  g_assert_cmpuint (reins_test_count_compact_rows (GTK_WIDGET (list), FALSE), ==, 0);

  reins_run_view_show_step (view, 900);
  g_assert_cmpuint (reins_test_count_compact_rows (GTK_WIDGET (list), FALSE), >, 0);
  wait_until (step_in_view, &shown, "step 900 in view");
  wait_until (view_loaded, view, "the steps jumped to");
  wait_until (reins_test_no_compact_row_in_sight, list, "the rows in sight to be full");
  row = find_step_row (GTK_WIDGET (list), 900);
  g_assert_nonnull (row);
  g_assert_false (reins_step_row_get_compact (REINS_STEP_ROW (row)));
  g_assert_nonnull (_reins_step_row_get_observation_text (REINS_STEP_ROW (row)));

  close_window (window);
}

/* j and k move the mark to the next and the previous step (the view's actions). */
static void
test_next_previous_step (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *id = add_run (f->path, "Step through me", 60, 0, NULL,
                                 REINS_RUN_STATUS_COMPLETED);
  ReinsWindow *window = open_window (f);
  ReinsRunView *view = _reins_window_get_run_view (window);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (view));
  gboolean j_found = FALSE, k_found = FALSE;

  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (view), "run-view.next-step", NULL);
  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (view), "run-view.next-step", NULL);
  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 2);
  gtk_widget_activate_action (GTK_WIDGET (view), "run-view.previous-step", NULL);
  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 1);
  /* At the first step, k stays there. */
  gtk_widget_activate_action (GTK_WIDGET (view), "run-view.previous-step", NULL);
  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 1);

  /* From no mark, k goes to the last step; at the last, j stays. */
  reins_run_view_show_step (view, 0);
  gtk_widget_activate_action (GTK_WIDGET (view), "run-view.previous-step", NULL);
  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 60);
  gtk_widget_activate_action (GTK_WIDGET (view), "run-view.next-step", NULL);
  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 60);

  /* The keys are bound to those actions. */
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          g_autofree char *action = gtk_shortcut_action_to_string (gtk_shortcut_get_action (shortcut));

          if (g_str_equal (trigger, "j"))
            j_found = strstr (action, "run-view.next-step") != NULL;
          if (g_str_equal (trigger, "k"))
            k_found = strstr (action, "run-view.previous-step") != NULL;
        }
    }
  g_assert_true (j_found);
  g_assert_true (k_found);

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/reins/gui/inspect/search-opens-step", Fixture, NULL,
              fixture_set_up, test_search_opens_step, fixture_tear_down);
  g_test_add ("/reins/gui/inspect/delete-undo", Fixture, NULL,
              fixture_set_up, test_delete_undo, fixture_tear_down);
  g_test_add ("/reins/gui/inspect/live-history", Fixture, NULL,
              fixture_set_up, test_live_history, fixture_tear_down);
  g_test_add ("/reins/gui/inspect/status-filter", Fixture, NULL,
              fixture_set_up, test_status_filter, fixture_tear_down);
  g_test_add_func ("/reins/gui/inspect/step-slots", test_step_slots);
  g_test_add_func ("/reins/gui/inspect/step-slots-chunk", test_step_slots_chunk);
  g_test_add_func ("/reins/gui/inspect/step-slot-state", test_step_slot_state);
  g_test_add_func ("/reins/gui/inspect/step-row-compact", test_step_row_compact);
  g_test_add ("/reins/gui/inspect/lazy-steps", Fixture, NULL,
              fixture_set_up, test_lazy_steps, fixture_tear_down);
  g_test_add ("/reins/gui/inspect/scrollbar-drag", Fixture, NULL,
              fixture_set_up, test_scrollbar_drag, fixture_tear_down);
  g_test_add ("/reins/gui/inspect/far-jump-compact", Fixture, NULL,
              fixture_set_up, test_far_jump_compact, fixture_tear_down);
  g_test_add ("/reins/gui/inspect/next-previous-step", Fixture, NULL,
              fixture_set_up, test_next_previous_step, fixture_tear_down);
  g_test_add ("/reins/gui/inspect/replay", Fixture, NULL,
              fixture_set_up, test_replay, fixture_tear_down);
  g_test_add ("/reins/gui/inspect/replay-last-step", Fixture, NULL,
              fixture_set_up, test_replay_last_step, fixture_tear_down);
  g_test_add ("/reins/gui/inspect/chart", Fixture, NULL,
              fixture_set_up, test_chart, fixture_tear_down);
  g_test_add ("/reins/gui/inspect/fork", Fixture, NULL,
              fixture_set_up, test_fork, fixture_tear_down);
  g_test_add ("/reins/gui/inspect/what-if", Fixture, NULL,
              fixture_set_up, test_what_if, fixture_tear_down);
  g_test_add ("/reins/gui/inspect/export", Fixture, NULL,
              fixture_set_up, test_export, fixture_tear_down);

  return g_test_run ();
}
