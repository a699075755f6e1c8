/* test-audit.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window as an analyst uses it (issue 13): every decision on the timeline, and the
 * right-click menus of history rows and steps (runs under Xvfb).
 *
 * With REINS_TEST_SCREENSHOT_DIR set, the tests also save what they show there as PNG.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "reins-approval-dialog.h"
#include "reins-decision-row.h"
#include "reins-enter.h"
#include "reins-export-file.h"
#include "reins-run-inspector.h"
#include "reins-what-if.h"
#include "reins-format.h"
#include "reins-history-row.h"
#include "reins-step-row-private.h"
#include "reins-store.h"
#include "reins-test-ui.h"
#include "reins-window-private.h"

typedef struct
{
  char *dir;
  char *path;
  char *run_id;
  char *other_id;
} Fixture;

static ReinsAction *
make_action (const char *tool,
             const char *member,
             const char *value)
{
  g_autoptr(JsonObject) args = json_object_new ();

  json_object_set_string_member (args, member, value);
  return reins_action_new (tool, args);
}

static ReinsStep *
make_step (ReinsRun    *run,
           guint        index,
           const char  *thought,
           ReinsAction *action,
           const char  *observation)
{
  ReinsStep *step = reins_step_new (reins_run_get_id (run), index);

  reins_step_set_thought (step, thought);
  reins_step_set_action (step, action);
  reins_step_set_observation (step, observation);
  reins_step_set_confidence (step, 0.82, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  reins_step_set_tokens (step, 800 + 10 * index, 40);
  reins_step_set_cost (step, 0.0004, 0.0004 * index);
  reins_step_set_duration_ms (step, 1400);
  return step;
}

/* A decision asked @seconds before it was made. */
static void
add_decision (ReinsStep     *step,
              const char    *guard,
              const char    *reason,
              ReinsAction   *asked,
              ReinsDecision  decision,
              ReinsAction   *final_action,
              const char    *feedback,
              const char    *decided_by,
              gint64         seconds)
{
  g_autoptr(ReinsApprovalRecord) record =
    reins_approval_record_new (reins_step_get_index (step), guard, reason, asked, NAN);
  gint64 now = g_get_real_time ();

  reins_approval_record_set_requested_at (record, now - seconds * G_USEC_PER_SEC);
  reins_approval_record_set_decided_by (record, decided_by);
  if (decision != REINS_DECISION_NONE)
    reins_approval_record_resolve (record, decision, final_action, feedback, now);
  reins_step_add_approval (step, record);
}

static void
commit (ReinsStore *store,
        ReinsRun   *run,
        ReinsStep  *step)
{
  g_autoptr(GError) error = NULL;

  reins_run_set_step_count (run, reins_step_get_index (step));
  reins_store_commit_step (store, run, step, &error);
  g_assert_no_error (error);
}

/* A run in which a person approved, edited, rejected, answered and stopped, and one
 * decision that --approve=yes made for them; and an older run without decisions. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(ReinsRun) other = NULL;
  g_autoptr(ReinsAction) read = make_action ("read_file", "path", "invoices/march.csv");
  g_autoptr(ReinsAction) write = make_action ("write_file", "path", "summary.txt");
  g_autoptr(ReinsAction) lookup = make_action ("kb_lookup", "key", "vendor/acme");
  g_autoptr(ReinsAction) edited = make_action ("kb_lookup", "key", "vendor/acme-corp");
  g_autoptr(ReinsAction) http = make_action ("http_get", "url", "https://example.com/rates");
  g_autoptr(ReinsAction) ask = make_action ("ask_human", "question", "Which currency?");
  g_autoptr(ReinsAction) shell = make_action ("shell", "command", "rm -rf build");
  g_autoptr(ReinsStep) s1 = NULL;
  g_autoptr(ReinsStep) s2 = NULL;
  g_autoptr(ReinsStep) s3 = NULL;
  g_autoptr(ReinsStep) s4 = NULL;
  g_autoptr(ReinsStep) s5 = NULL;
  g_autoptr(ReinsStep) s6 = NULL;
  g_autoptr(ReinsStep) o1 = NULL;

  f->dir = g_dir_make_tmp ("reins-test-audit-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "runs.db", NULL);
  store = reins_store_open (f->path, &error);
  g_assert_no_error (error);

  other = reins_run_new ("List the workspace");
  reins_run_set_created_at (other, g_get_real_time () - G_TIME_SPAN_DAY);
  reins_run_set_provider (other, "sim");
  f->other_id = g_strdup (reins_run_get_id (other));
  o1 = make_step (other, 1, "Look around.", read, "a.txt");
  commit (store, other, o1);
  reins_run_set_status (other, REINS_RUN_STATUS_COMPLETED);
  reins_store_update_run (store, other, &error);
  g_assert_no_error (error);

  run = reins_run_new ("Total the March invoices and write a summary");
  reins_run_set_provider (run, "sim");
  f->run_id = g_strdup (reins_run_get_id (run));

  s1 = make_step (run, 1, "Read the March invoices.", read, "vendor,amount\nacme,120\n");
  add_decision (s1, "confidence", "Confidence 0.55 is below 0.70.", read,
                REINS_DECISION_APPROVE, read, NULL, NULL, 8);
  commit (store, run, s1);

  /* The thought names one key and the action uses another: the edit explains why. */
  s2 = make_step (run, 2, "Look up the vendor acme.", edited, "{\"value\": \"Acme Corp\"}");
  add_decision (s2, "grounding", "The key was not seen in any observation.", lookup,
                REINS_DECISION_EDIT, edited, NULL, NULL, 21);
  commit (store, run, s2);

  s3 = make_step (run, 3, "Fetch today's exchange rates.", http,
                  "[Harness: person] The person rejected this action and said: Use the rates "
                  "in the file.");
  add_decision (s3, "policy", "“http_get” reaches the network, so a person approves it.", http,
                REINS_DECISION_REJECT, NULL, "Use the rates in the file.", NULL, 5);
  commit (store, run, s3);

  s4 = make_step (run, 4, "Ask which currency to use.", ask, "EUR");
  add_decision (s4, "ask_human", "Which currency?", ask, REINS_DECISION_APPROVE, ask, "EUR",
                NULL, 12);
  commit (store, run, s4);

  s5 = make_step (run, 5, "Write the summary.", write, "Wrote 42 bytes.");
  add_decision (s5, "policy", "“write_file” changes files in the workspace.", write,
                REINS_DECISION_APPROVE, write, NULL, "--approve=yes", 0);
  commit (store, run, s5);

  s6 = make_step (run, 6, "Clean up the build folder.", shell, NULL);
  add_decision (s6, "policy", "“shell” runs a program.", shell, REINS_DECISION_STOP, NULL, NULL,
                NULL, 3);
  commit (store, run, s6);

  reins_run_set_status (run, REINS_RUN_STATUS_CANCELLED);
  reins_store_update_run (store, run, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *file = g_build_filename (f->dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->run_id);
  g_free (f->other_id);
}

typedef struct
{
  GtkWidget *root;
  guint      index;
  GtkWidget *row;
} FindStep;

static gboolean
find_step_row (gpointer data)
{
  FindStep *find = data;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  find->row = NULL;
  collect (find->root, REINS_TYPE_STEP_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      ReinsStep *step = reins_step_row_get_step (g_ptr_array_index (rows, i));

      if (step != NULL && reins_step_get_index (step) == find->index)
        find->row = g_ptr_array_index (rows, i);
    }
  return find->row != NULL;
}

/* The decision bands of step @index, scrolled into view first. */
static GPtrArray *
decisions_of_step (ReinsWindow *window,
                   guint        index)
{
  FindStep find = { GTK_WIDGET (window), index, NULL };
  GPtrArray *decisions = g_ptr_array_new ();
  GtkWidget *box;

  reins_run_view_show_step (_reins_window_get_run_view (window), index);
  wait_until (find_step_row, &find, "the step row");
  box = _reins_step_row_get_decision_box (REINS_STEP_ROW (find.row));
  for (GtkWidget *child = gtk_widget_get_first_child (box);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_assert_true (REINS_IS_DECISION_ROW (child));
      g_ptr_array_add (decisions, child);
    }
  g_assert_cmpint (gtk_widget_get_visible (box), ==, decisions->len > 0);
  return decisions;
}

static ReinsDecisionRow *
only_decision (ReinsWindow *window,
               guint        index)
{
  g_autoptr(GPtrArray) decisions = decisions_of_step (window, index);

  g_assert_cmpuint (decisions->len, ==, 1);
  return g_ptr_array_index (decisions, 0);
}

static ReinsWindow *
open_window (Fixture *f)
{
  ReinsWindow *window = g_object_ref_sink (reins_window_new (NULL, f->path));

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 820);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (loaded, window, "the history");
  g_assert_true (reins_history_select_run (_reins_window_get_history (window), f->run_id));
  wait_until (loaded, window, "the run");
  return window;
}

static void
test_decisions_on_timeline (Fixture       *f,
                            gconstpointer  data)
{
  ReinsWindow *window = open_window (f);
  ReinsDecisionRow *row;

  /* Approved by the person, with the time, the think time and the guard that asked. */
  row = only_decision (window, 1);
  g_assert_cmpstr (reins_decision_row_get_summary (row), ==, "Approved by you");
  g_assert_nonnull (strstr (reins_decision_row_get_details (row), "after 8.0 s"));
  g_assert_nonnull (strstr (reins_decision_row_get_details (row),
                            "asked by Low Confidence (confidence)"));
  g_assert_null (reins_decision_row_get_before (row));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "approved"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "automatic"));

  /* Edited: the action before and after, so the key in the thought is explained. */
  row = only_decision (window, 2);
  g_assert_cmpstr (reins_decision_row_get_summary (row), ==, "Edited by you");
  g_assert_cmpstr (reins_decision_row_get_before (row), ==, "kb_lookup {\"key\":\"vendor/acme\"}");
  g_assert_cmpstr (reins_decision_row_get_after (row),
                   ==, "kb_lookup {\"key\":\"vendor/acme-corp\"}");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "edited"));
  save_screenshot (GTK_WIDGET (window), "audit-timeline.png");

  /* Rejected: the person's words are on the band, not only in the observation. */
  row = only_decision (window, 3);
  g_assert_cmpstr (reins_decision_row_get_summary (row),
                   ==, "Rejected by you: “Use the rates in the file.”");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "rejected"));
  g_assert_null (reins_decision_row_get_before (row));

  row = only_decision (window, 4);
  g_assert_cmpstr (reins_decision_row_get_summary (row), ==, "Answered by you: “EUR”");
  g_assert_nonnull (strstr (reins_decision_row_get_details (row), "the agent asked"));

  /* Decided by an option, not by the person. */
  row = only_decision (window, 5);
  g_assert_cmpstr (reins_decision_row_get_summary (row),
                   ==, "Approved automatically (--approve=yes)");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "automatic"));
  g_assert_null (strstr (reins_decision_row_get_details (row), "after"));

  row = only_decision (window, 6);
  g_assert_cmpstr (reins_decision_row_get_summary (row), ==, "Stopped by you");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "stopped"));
  save_screenshot (GTK_WIDGET (window), "audit-timeline-end.png");

  /* A run nobody decided on has no bands. */
  g_assert_true (reins_history_select_run (_reins_window_get_history (window), f->other_id));
  wait_until (loaded, window, "the other run");
  {
    g_autoptr(GPtrArray) none = decisions_of_step (window, 1);

    g_assert_cmpuint (none->len, ==, 0);
  }

  close_window (window);
}

static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label (child, text))
      return TRUE;
  return FALSE;
}

/* The right-click gesture of @widget. */
static GtkGesture *
secondary_click (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller) &&
          gtk_gesture_single_get_button (GTK_GESTURE_SINGLE (controller)) == GDK_BUTTON_SECONDARY)
        return GTK_GESTURE (controller);
    }
  g_error ("no right-click gesture on %s", G_OBJECT_TYPE_NAME (widget));
  return NULL;
}

/* The last @type_name under @widget, depth first. */
static GtkWidget *
find_last_child_of_type (GtkWidget  *widget,
                         const char *type_name)
{
  for (GtkWidget *child = gtk_widget_get_last_child (widget);
       child != NULL;
       child = gtk_widget_get_prev_sibling (child))
    {
      GtkWidget *found = find_last_child_of_type (child, type_name);

      if (found != NULL)
        return found;
    }
  return g_str_equal (G_OBJECT_TYPE_NAME (widget), type_name) ? widget : NULL;
}

/* Right-clicks @widget and clicks the menu's last item (a step's only one, a history row's
 * Delete Run), as GTK does on a real click: the item closes the menu, then activates its
 * action. */
static void
right_click_and_choose (GtkWidget *widget)
{
  GtkWidget *popover = NULL;
  GtkWidget *item;

  guint frames = 0;

  /* A popup needs its parent's surface laid out on a monitor. */
  wait_until (drawn, &frames, "a few frames");
  g_signal_emit_by_name (secondary_click (widget), "pressed", 1, 8.0, 8.0);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER_MENU (child))
      popover = child;
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_visible (popover));
  item = find_last_child_of_type (popover, "GtkModelButton");
  g_assert_nonnull (item);
  g_signal_emit_by_name (item, "clicked");
  g_assert_false (gtk_widget_get_visible (popover));
}

static gboolean
history_has_one_run (gpointer data)
{
  return reins_history_get_n_runs (data) == 1;
}

static GtkWindow *
find_fork_dialog (ReinsWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (toplevel != GTK_WINDOW (window) &&
          gtk_window_get_transient_for (toplevel) == GTK_WINDOW (window))
        return toplevel;
    }
  return NULL;
}

static gboolean
fork_dialog_shown (gpointer data)
{
  return find_fork_dialog (data) != NULL;
}

static void
test_context_menus (Fixture       *f,
                    gconstpointer  data)
{
  ReinsWindow *window = open_window (f);
  ReinsHistory *history = _reins_window_get_history (window);
  FindStep find = { GTK_WIDGET (window), 2, NULL };
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkWidget *other_row = NULL;
  GtkWindow *dialog;

  /* "Fork from Here…" on step 2 opens the fork dialog for that step. */
  g_assert_null (find_fork_dialog (window));
  reins_run_view_show_step (_reins_window_get_run_view (window), 2);
  wait_until (find_step_row, &find, "step 2");
  right_click_and_choose (find.row);
  wait_until (fork_dialog_shown, window, "the fork dialog");
  dialog = find_fork_dialog (window);
  /* Closed without an answer, it lets the window go (see close_window). */
  gtk_window_destroy (dialog);

  /* "Delete Run" on the other run's row removes that run, not the one shown. */
  g_assert_cmpuint (reins_history_get_n_runs (history), ==, 2);
  collect (GTK_WIDGET (history), REINS_TYPE_HISTORY_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      ReinsRun *run = reins_history_row_get_run (g_ptr_array_index (rows, i));

      if (run != NULL && g_str_equal (reins_run_get_id (run), f->other_id))
        other_row = g_ptr_array_index (rows, i);
    }
  g_assert_nonnull (other_row);
  /* Rows tell runs apart by status, steps and time, not by the task alone. */
  g_assert_true (has_label (GTK_WIDGET (history), "Cancelled · 6 steps · Just now"));
  g_assert_false (has_label (other_row, "Cancelled · 6 steps · Just now"));
  right_click_and_choose (other_row);
  wait_until (history_has_one_run, history, "the run to go");
  {
    g_autoptr(ReinsRun) left = g_list_model_get_item (reins_history_get_model (history), 0);

    g_assert_cmpstr (reins_run_get_id (left), ==, f->run_id);
  }

  close_window (window);
}

typedef struct
{
  ReinsWindow *window;
  const char  *text;
} FindLabel;

static gboolean
label_shown (gpointer data)
{
  FindLabel *find = data;

  return has_label (GTK_WIDGET (find->window), find->text);
}

typedef struct
{
  ReinsWindow *window;
  int          width;
  int          height;
} Size;

static gboolean
has_size (gpointer data)
{
  Size *size = data;

  int width = gtk_widget_get_width (GTK_WIDGET (size->window));
  int height = gtk_widget_get_height (GTK_WIDGET (size->window));

  /* The client-side decorations take a few pixels of the default size. */
  return width > 0 && ABS (width - size->width) <= 12 && ABS (height - size->height) <= 12;
}

static gboolean
leaflet_still (gpointer data)
{
  return !adw_leaflet_get_child_transition_running (data);
}

/* 700 × 500: the history folds behind a back button, the chart folds away, and the
 * timeline keeps most of the height; a wide, tall window has them all side by side. */
static void
set_window_size (int width,
                 int height)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
}

static void
test_adaptive_layout (Fixture       *f,
                      gconstpointer  data)
{
  ReinsWindow *window = NULL;
  ReinsRunView *view;
  ReinsRunInspector *inspector;
  ReinsHistory *history;
  Size small = { NULL, 700, 500 };
  Size large = { NULL, 1100, 700 };
  AdwLeaflet *leaflet;
  int min_width;
  GtkWidget *list;

  /* Each window starts at its size (the settings it reads), so no leaflet folds or unfolds
   * while the test runs: when a folded AdwLeaflet unfolds, or an unfolded one folds, under
   * LeakSanitizer libadwaita 1.2's leaflet leaves a render node of its snapshot behind,
   * about 12 KB with what it holds. */
  set_window_size (700, 500);
  /* The same render node is left behind by the leaflet's animated change of page (the
   * history and back): without animations the change is immediate. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  window = g_object_ref_sink (reins_window_new (NULL, f->path));
  view = _reins_window_get_run_view (window);
  inspector = reins_run_view_get_inspector (view);
  history = _reins_window_get_history (window);
  small.window = window;
  gtk_window_present (GTK_WINDOW (window));
  wait_until (loaded, window, "the history");
  wait_until (has_size, &small, "the window at 700 × 500");
  leaflet = find_leaflet (GTK_WIDGET (window));

  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL,
                      NULL, NULL);
  g_test_message ("smallest width: %d px", min_width);
  g_assert_cmpint (min_width, <=, 700);
  g_assert_true (adw_leaflet_get_folded (leaflet));
  g_assert_true (reins_run_inspector_get_compact (inspector));
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (view),
                                         adw_leaflet_get_visible_child (leaflet)));
  wait_until (leaflet_still, leaflet, "the leaflet to settle");
  list = GTK_WIDGET (reins_run_view_get_list_view (view));
  g_test_message ("timeline: %d of 500 px", gtk_widget_get_height (list));
  g_assert_cmpint (gtk_widget_get_height (list), >=, 250);
  save_screenshot (GTK_WIDGET (window), "narrow-700x500.png");

  /* The back button shows the history; picking a run there opens it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-history", NULL));
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (history),
                                         adw_leaflet_get_visible_child (leaflet)));
  wait_until (leaflet_still, leaflet, "the leaflet to settle");
  save_screenshot (GTK_WIDGET (window), "narrow-history.png");
  g_assert_true (reins_history_select_run (history, f->other_id));
  wait_until (loaded, window, "the run");
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (view),
                                         adw_leaflet_get_visible_child (leaflet)));

  close_window (window);

  /* Wide and tall: side by side, with the chart. */
  set_window_size (1100, 700);
  window = g_object_ref_sink (reins_window_new (NULL, f->path));
  large.window = window;
  gtk_window_present (GTK_WINDOW (window));
  wait_until (loaded, window, "the history");
  wait_until (has_size, &large, "the window at 1100 × 700");
  leaflet = find_leaflet (GTK_WIDGET (window));
  g_assert_false (adw_leaflet_get_folded (leaflet));
  g_assert_false (reins_run_inspector_get_compact (
    reins_run_view_get_inspector (_reins_window_get_run_view (window))));
  close_window (window);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
}

/* A search that finds nothing leaves the run being read in view; clearing it goes back to
 * that run, not to the newest. */
static void
test_search_keeps_run (Fixture       *f,
                       gconstpointer  data)
{
  ReinsWindow *window = open_window (f);
  ReinsHistory *history = _reins_window_get_history (window);
  ReinsRunView *view = _reins_window_get_run_view (window);

  g_assert_true (reins_history_select_run (history, f->other_id));
  wait_until (loaded, window, "the older run");

  reins_history_search (history, "nosuchwordanywhere");
  wait_until (loaded, window, "the search");
  g_assert_null (reins_history_get_selected_run (history));
  g_assert_cmpstr (reins_run_get_id (reins_run_view_get_run (view)), ==, f->other_id);
  save_screenshot (GTK_WIDGET (window), "search-no-hits.png");

  reins_history_search (history, "");
  wait_until (loaded, window, "the history");
  g_assert_cmpstr (reins_run_get_id (reins_history_get_selected_run (history)), ==, f->other_id);
  g_assert_cmpstr (reins_run_get_id (reins_run_view_get_run (view)), ==, f->other_id);

  /* A search with hits still opens the hit. */
  reins_history_search (history, "invoices");
  wait_until (loaded, window, "the search");
  g_assert_cmpstr (reins_run_get_id (reins_history_get_selected_run (history)), ==, f->run_id);

  close_window (window);
}

/* Markdown chosen for the suggested .json name writes a .md file, and a toast says so. */
static void
test_export_markdown (Fixture       *f,
                      gconstpointer  data)
{
  ReinsWindow *window = open_window (f);
  g_autofree char *json_path = g_build_filename (f->dir, "reins-run-1.json", NULL);
  g_autofree char *md_path = g_build_filename (f->dir, "reins-run-1.md", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (json_path);
  g_autoptr(GFile) kept = NULL;
  g_autoptr(GFile) other = g_file_new_for_path ("/tmp/notes.txt");
  g_autofree char *text = NULL;
  FindLabel find = { window, "Exported to “reins-run-1.md”" };

  /* The name follows the format; a name of neither kind is left alone. */
  kept = reins_export_file_for_format (file, REINS_EXPORT_FORMAT_JSON);
  g_assert_true (g_file_equal (kept, file));
  g_clear_object (&kept);
  kept = reins_export_file_for_format (other, REINS_EXPORT_FORMAT_MARKDOWN);
  g_assert_true (g_file_equal (kept, other));

  g_assert_false (has_label (GTK_WIDGET (window), find.text));
  reins_export_run_to_file (GTK_WINDOW (window), f->path, f->run_id, file, "markdown");
  wait_until (label_shown, &find, "the toast");
  save_screenshot (GTK_WIDGET (window), "export-toast.png");
  g_assert_false (g_file_test (json_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (md_path, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "# Run: Total the March invoices"));
  g_assert_nonnull (strstr (text, "**Rejected by you: “Use the rates in the file.”**"));

  close_window (window);
}

static guint
count_focusable_labels (GtkWidget *widget)
{
  guint n = GTK_IS_LABEL (widget) && gtk_widget_get_focusable (widget) &&
            gtk_widget_get_can_focus (widget);

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    n += count_focusable_labels (c);
  return n;
}

/* A step with a person's decision is still one or two Tab stops: the decision's texts, as
 * the step's own, join the chain when the step is expanded (they were three stops more, and
 * a demo run that asked made the step five). */
static void
test_decision_tab_stops (void)
{
  GtkWidget *row = g_object_ref_sink (reins_step_row_new ());
  g_autoptr(ReinsStep) step = reins_step_new ("run-1", 2);
  g_autoptr(ReinsAction) asked = make_action ("write_file", "path", "a.txt");
  g_autoptr(ReinsAction) edited = make_action ("write_file", "path", "b.txt");
  g_autoptr(GString) reasons = g_string_new (NULL);
  ReinsStepRow *self = REINS_STEP_ROW (row);

  /* Long enough to be expandable. */
  for (guint i = 0; i < 12; i++)
    g_string_append (reasons, "The action writes a file the task did not name.\n");
  reins_step_set_thought (step, "Write the answer to a file.");
  reins_step_set_observation (step, reasons->str);
  add_decision (step, "policy", "A person approves writes.", asked, REINS_DECISION_EDIT, edited,
                "Use b.txt.", "you", 4);
  reins_step_row_set_step (self, step);

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (self->decision_box)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (self->expand_button)));
  g_assert_cmpuint (count_focusable_labels (GTK_WIDGET (self->decision_box)), ==, 0);
  g_assert_cmpuint (count_focusable_labels (row), ==, 0);

  gtk_toggle_button_set_active (self->expand_button, TRUE);
  g_assert_cmpuint (count_focusable_labels (GTK_WIDGET (self->decision_box)), >=, 3);

  gtk_toggle_button_set_active (self->expand_button, FALSE);
  g_assert_cmpuint (count_focusable_labels (GTK_WIDGET (self->decision_box)), ==, 0);
  g_clear_object (&row);
}

/* A long run's rows not read yet say so, rather than showing zeros as data. */
static void
test_placeholder_row (void)
{
  GtkWidget *row = g_object_ref_sink (reins_step_row_new ());
  g_autoptr(ReinsStep) placeholder = reins_step_new ("run-1", 326);

  reins_step_row_set_loading (REINS_STEP_ROW (row), TRUE);
  reins_step_row_set_step (REINS_STEP_ROW (row), placeholder);
  g_assert_cmpstr (_reins_step_row_get_usage_text (REINS_STEP_ROW (row)), ==, "Loading…");

  reins_step_row_set_loading (REINS_STEP_ROW (row), FALSE);
  g_assert_cmpstr (_reins_step_row_get_usage_text (REINS_STEP_ROW (row)),
                   ==, "0 in / 0 out tokens · Free");

  g_clear_object (&row);
}

static void
collect_badges (GtkWidget *widget,
                GPtrArray *texts)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "verdict-badge"))
    g_ptr_array_add (texts, (gpointer) gtk_label_get_label (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_badges (child, texts);
}

/* Verdicts in words; a guard the window does not know keeps its identifier. */
static void
test_verdict_badges (void)
{
  GtkWidget *row = g_object_ref_sink (reins_step_row_new ());
  g_autoptr(ReinsStep) step = reins_step_new ("run-1", 2);
  g_autoptr(ReinsVerdict) loop = reins_verdict_new ("loop", REINS_VERDICT_CORRECT, "Twice.");
  g_autoptr(ReinsVerdict) other = reins_verdict_new ("my_guard", REINS_VERDICT_ASK, "Hm.");
  g_autoptr(ReinsVerdict) allow = reins_verdict_new ("budget", REINS_VERDICT_ALLOW, "Fine.");
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();

  reins_step_add_verdict (step, loop);
  reins_step_add_verdict (step, other);
  reins_step_add_verdict (step, allow);
  reins_step_row_set_step (REINS_STEP_ROW (row), step);
  collect_badges (row, texts);
  g_assert_cmpuint (texts->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (texts, 0), ==, "Possible Loop · corrected");
  g_assert_cmpstr (g_ptr_array_index (texts, 1), ==, "my_guard · asked you");
  g_clear_object (&row);
}

/* A measured confidence gets a meter; a default value (no log-probabilities) does not. */
static void
test_default_confidence (void)
{
  GtkWidget *row = g_object_ref_sink (reins_step_row_new ());
  g_autoptr(ReinsStep) measured = reins_step_new ("run-1", 1);
  g_autoptr(ReinsStep) assumed = reins_step_new ("run-1", 2);

  reins_step_set_confidence (measured, 0.82, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  reins_step_set_confidence (assumed, 0.7, REINS_CONFIDENCE_SOURCE_DEFAULT);
  reins_step_row_set_step (REINS_STEP_ROW (row), measured);
  g_assert_true (_reins_step_row_get_meter_shown (REINS_STEP_ROW (row)));
  reins_step_row_set_step (REINS_STEP_ROW (row), assumed);
  g_assert_false (_reins_step_row_get_meter_shown (REINS_STEP_ROW (row)));
  g_clear_object (&row);
}

/* "1 step would change", "2 steps would change". */
static void
test_what_if_plural (void)
{
  g_autoptr(GArray) steps = g_array_new (FALSE, TRUE, sizeof (ReinsWhatIfStep));
  ReinsWhatIfStep step = { 3, REINS_VERDICT_ALLOW, REINS_VERDICT_ASK, TRUE, NULL, NULL };
  ReinsWhatIfStep same = { 4, REINS_VERDICT_ALLOW, REINS_VERDICT_ALLOW, FALSE, NULL, NULL };
  g_autofree char *none = NULL;
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;

  g_array_append_val (steps, same);
  none = reins_what_if_summary (steps);
  g_assert_cmpstr (none, ==, "Under these settings every step would be judged as it was.");
  g_array_append_val (steps, step);
  one = reins_what_if_summary (steps);
  g_assert_true (g_str_has_prefix (one, "Under these settings 1 step would change: 0 stopped, "
                                        "1 sent to you"));
  step.step = 5;
  g_array_append_val (steps, step);
  two = reins_what_if_summary (steps);
  g_assert_true (g_str_has_prefix (two, "Under these settings 2 steps would change:"));
}

static ReinsApprovalDialog *
dialog_for (const char *guard,
            const char *action_json,
            double      confidence)
{
  g_autoptr(ReinsAction) action = reins_action_new_from_string (action_json, NULL);
  g_autoptr(ReinsApprovalRecord) record = NULL;
  g_autoptr(ReinsApproval) approval = NULL;
  GtkWidget *dialog;

  g_assert_nonnull (action);
  record = reins_approval_record_new (4, guard, "Why the guard asks.", action, confidence);
  approval = reins_approval_new ("run-1", record, FALSE);
  dialog = reins_approval_dialog_new (NULL, approval);
  return REINS_APPROVAL_DIALOG (g_object_ref_sink (dialog));
}

static void
destroy_dialog (ReinsApprovalDialog *dialog)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_finalize_object (dialog);
}

static GtkWidget *
first_of_type (GtkWidget *widget,
               GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = first_of_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A step row carries no feedback popover until the person opens it (a popover with an entry
 * is a third of a row's weight, and the timeline keeps some 200 rows); opened, it shows the
 * stored comment. */
static void
test_feedback_popover_lazy (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *row = reins_step_row_new ();
  ReinsStepRow *self = REINS_STEP_ROW (row);
  g_autoptr(ReinsStep) step = reins_step_new ("run-1", 3);
  ReinsStepFeedback feedback = { 3, -1, (char *) "Too slow." };
  GtkWidget *entry;

  gtk_window_set_child (GTK_WINDOW (window), row);
  gtk_window_present (GTK_WINDOW (window));
  reins_step_set_thought (step, "Look it up.");
  reins_step_row_set_step (self, step);
  reins_step_row_set_marks (self, &feedback, NULL);

  g_assert_null (self->feedback_popover);
  g_assert_null (first_of_type (row, GTK_TYPE_ENTRY));
  g_assert_cmpstr (gtk_menu_button_get_label (self->feedback_button), ==, "Bad Step");

  gtk_menu_button_popup (self->feedback_button);
  g_assert_nonnull (self->feedback_popover);
  entry = first_of_type (GTK_WIDGET (self->feedback_popover), GTK_TYPE_ENTRY);
  g_assert_nonnull (entry);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Too slow.");
  gtk_menu_button_popdown (self->feedback_button);

  /* Opened again: the same popover. */
  gtk_menu_button_popup (self->feedback_button);
  g_assert_true (first_of_type (GTK_WIDGET (self->feedback_popover), GTK_TYPE_ENTRY) == entry);
  gtk_menu_button_popdown (self->feedback_button);

  reins_step_row_set_marks (self, NULL, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* Enter in the dialog's first field (the tool's name, where the focus starts). */
static void
press_enter_in_editor (ReinsApprovalDialog *dialog)
{
  GtkWidget *entry = first_of_type (GTK_WIDGET (dialog), GTK_TYPE_ENTRY);

  g_assert_nonnull (entry);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_until (is_mapped, dialog, "the dialog");
  /* What the Enter key binds to in the entry's text. */
  g_signal_emit_by_name (first_of_type (entry, GTK_TYPE_TEXT), "activate");
}

static gboolean
resolved (gpointer data)
{
  return reins_approval_is_resolved (reins_approval_dialog_get_approval (data));
}

/* Approve only what can run as proposed; "Always allow" only for a tool that exists. */
static void
test_approval_dialog_checks (void)
{
  ReinsApprovalDialog *dialog;

  dialog = dialog_for ("policy", "{\"name\": \"read_file\", \"arguments\": {\"path\": \"a.txt\"}}",
                       NAN);
  g_assert_true (_reins_approval_dialog_get_approve_enabled (dialog));
  g_assert_true (_reins_approval_dialog_get_always_shown (dialog));
  /* Enter approves it as proposed (keyboard only, issue 13). */
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "approve");
  press_enter_in_editor (dialog);
  /* A button activated by a key shows itself pressed a moment before it clicks. */
  wait_until (resolved, dialog, "Enter to answer");
  g_assert_cmpint (reins_approval_record_get_decision (reins_approval_get_record (
                     reins_approval_dialog_get_approval (dialog))), ==, REINS_DECISION_APPROVE);
  destroy_dialog (dialog);

  /* A tool that does not exist: nothing to approve or to always allow. */
  dialog = dialog_for ("policy", "{\"name\": \"delete_everything\", \"arguments\": {}}", NAN);
  g_assert_false (_reins_approval_dialog_get_approve_enabled (dialog));
  g_assert_false (_reins_approval_dialog_get_always_shown (dialog));
  g_assert_false (_reins_approval_dialog_get_edit_valid (dialog));
  /* Enter does nothing then. */
  g_assert_null (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)));
  press_enter_in_editor (dialog);
  {
    guint frames = 0;

    wait_until (drawn, &frames, "a few frames");
  }
  g_assert_false (reins_approval_is_resolved (reins_approval_dialog_get_approval (dialog)));
  /* Fixed in the editor, it can be edited and approved, and always allowed. */
  _reins_approval_dialog_set_action (dialog, "read_file", "{\"path\": \"a.txt\"}");
  g_assert_true (_reins_approval_dialog_get_edit_valid (dialog));
  g_assert_true (_reins_approval_dialog_get_always_shown (dialog));
  g_assert_false (_reins_approval_dialog_get_approve_enabled (dialog));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "approve");
  g_assert_false (reins_approval_is_resolved (reins_approval_dialog_get_approval (dialog)));
  /* Enter now approves the edited action. */
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "edit");
  press_enter_in_editor (dialog);
  /* A button activated by a key shows itself pressed a moment before it clicks. */
  wait_until (resolved, dialog, "Enter to answer");
  g_assert_cmpint (reins_approval_record_get_decision (reins_approval_get_record (
                     reins_approval_dialog_get_approval (dialog))), ==, REINS_DECISION_EDIT);
  destroy_dialog (dialog);

  /* A required argument missing. */
  dialog = dialog_for ("policy", "{\"name\": \"read_file\", \"arguments\": {}}", NAN);
  g_assert_false (_reins_approval_dialog_get_approve_enabled (dialog));
  g_assert_true (_reins_approval_dialog_get_always_shown (dialog));
  destroy_dialog (dialog);
}

/* One confidence figure everywhere, the thought and the previous observation, and the
 * gravest concern in the heading. */
static void
test_approval_dialog_context (void)
{
  ReinsApprovalDialog *dialog;
  g_autoptr(ReinsRun) run = reins_run_new ("Task");
  g_autoptr(ReinsAction) finish = make_action ("finish", "answer", "Ada Marlowe");
  g_autoptr(ReinsStep) previous = make_step (run, 3, "Read the register.", finish,
                                             "Keeper: unknown\n");
  g_autoptr(ReinsStep) step = make_step (run, 4, "The keeper must be Ada Marlowe.", finish, NULL);
  g_autoptr(ReinsVerdict) low = reins_verdict_new ("confidence", REINS_VERDICT_ASK, "Low.");
  g_autoptr(ReinsVerdict) made_up = reins_verdict_new ("grounding", REINS_VERDICT_ASK,
                                                       "No observation names Ada Marlowe.");
  g_autofree char *figure = reins_format_confidence (0.698, 0.7);
  g_autofree char *rounded = reins_format_confidence (0.7312, 0.7);
  g_autofree char *low_figure = reins_format_confidence (0.42, 0.7);

  g_assert_cmpstr (figure, ==, "0.698");
  g_assert_cmpstr (rounded, ==, "0.73");
  g_assert_cmpstr (low_figure, ==, "0.42");

  reins_step_add_verdict (step, low);
  reins_step_add_verdict (step, made_up);
  dialog = dialog_for ("confidence",
                       "{\"name\": \"finish\", \"arguments\": {\"answer\": \"Ada Marlowe\"}}",
                       0.698);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Low Confidence");
  g_assert_null (_reins_approval_dialog_get_thought (dialog));
  reins_approval_dialog_set_step (dialog, step, previous, 0.7);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Unsupported Answer");
  g_assert_cmpstr (_reins_approval_dialog_get_facts (dialog), ==,
                   "Step 4 · confidence 0.698 · guard confidence");
  g_assert_cmpstr (_reins_approval_dialog_get_thought (dialog), ==,
                   "The keeper must be Ada Marlowe.");
  g_assert_cmpstr (_reins_approval_dialog_get_previous_observation (dialog), ==,
                   "Keeper: unknown");
  destroy_dialog (dialog);

  /* The first step has no previous observation; a lone concern heads the dialog. */
  dialog = dialog_for ("confidence",
                       "{\"name\": \"finish\", \"arguments\": {\"answer\": \"x\"}}", 0.5);
  reins_approval_dialog_set_step (dialog, previous, NULL, 0.7);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Low Confidence");
  g_assert_null (_reins_approval_dialog_get_previous_observation (dialog));
  g_assert_cmpstr (_reins_approval_dialog_get_thought (dialog), ==, "Read the register.");
  destroy_dialog (dialog);
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             char            **out)
{
  g_free (*out);
  *out = g_strdup (response);
}

static gboolean
answered (gpointer data)
{
  return *(char **) data != NULL;
}

/* Enter in a spin button of a dialog (the fork dialog's limits) is its default response, as
 * the button would give it; a disabled default response is not given. */
static void
test_enter_default (void)
{
  GtkWidget *dialog = g_object_ref_sink (adw_message_dialog_new (NULL, "Fork Run", NULL));
  GtkWidget *spin = gtk_spin_button_new_with_range (1, 10, 1);
  g_autofree char *response = NULL;
  guint frames = 0;

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", "_Cancel",
                                    "fork", "_Fork", NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "fork");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), spin);
  reins_enter_activates_default (GTK_EDITABLE (spin));
  g_signal_connect (dialog, "response", G_CALLBACK (response_cb), &response);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_until (is_mapped, dialog, "the dialog");

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "fork", FALSE);
  g_signal_emit_by_name (gtk_editable_get_delegate (GTK_EDITABLE (spin)), "activate");
  wait_until (drawn, &frames, "a few frames");
  g_assert_null (response);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "fork", TRUE);
  gtk_editable_set_text (GTK_EDITABLE (spin), "3");
  g_signal_emit_by_name (gtk_editable_get_delegate (GTK_EDITABLE (spin)), "activate");
  wait_until (answered, &response, "Enter to give the default response");
  g_assert_cmpstr (response, ==, "fork");
  /* The value typed was taken in first. */
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, 3);

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_finalize_object (dialog);
}

int
main (int   argc,
      char *argv[])
{
  reins_test_ui_init (&argc, &argv);

  g_test_add ("/reins/gui/audit/decisions-on-timeline", Fixture, NULL,
              fixture_set_up, test_decisions_on_timeline, fixture_tear_down);
  g_test_add ("/reins/gui/audit/context-menus", Fixture, NULL,
              fixture_set_up, test_context_menus, fixture_tear_down);

  g_test_add ("/reins/gui/audit/adaptive-layout", Fixture, NULL,
              fixture_set_up, test_adaptive_layout, fixture_tear_down);
  g_test_add ("/reins/gui/audit/search-keeps-run", Fixture, NULL,
              fixture_set_up, test_search_keeps_run, fixture_tear_down);
  g_test_add ("/reins/gui/audit/export-markdown", Fixture, NULL,
              fixture_set_up, test_export_markdown, fixture_tear_down);
  g_test_add_func ("/reins/gui/audit/placeholder-row", test_placeholder_row);
  g_test_add_func ("/reins/gui/audit/decision-tab-stops", test_decision_tab_stops);
  g_test_add_func ("/reins/gui/audit/feedback-popover-lazy", test_feedback_popover_lazy);
  g_test_add_func ("/reins/gui/audit/what-if-plural", test_what_if_plural);
  g_test_add_func ("/reins/gui/audit/verdict-badges", test_verdict_badges);
  g_test_add_func ("/reins/gui/audit/default-confidence", test_default_confidence);
  g_test_add_func ("/reins/gui/audit/approval-dialog/checks", test_approval_dialog_checks);
  g_test_add_func ("/reins/gui/audit/approval-dialog/context", test_approval_dialog_context);
  g_test_add_func ("/reins/gui/audit/enter-default", test_enter_default);

  return g_test_run ();
}
