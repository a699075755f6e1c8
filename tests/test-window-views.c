/* test-window-views.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's views beyond one timeline (issue 13): forks beside their parent in the
 * history, tags and notes (and the note in the run's header), filters in a run's timeline, a
 * step's request and reply, the chart's zoom, and the overview
 * (runs under Xvfb, with G_DEBUG=fatal-criticals).
 *
 * With REINS_TEST_SCREENSHOT_DIR set, the tests also save what they show there as PNG.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "reins-chart.h"
#include "reins-completion-chart.h"
#include "reins-history-row.h"
#include "reins-overview.h"
#include "reins-run-header.h"
#include "reins-run-inspector.h"
#include "reins-run-lineage.h"
#include "reins-run-notes.h"
#include "reins-step-filter.h"
#include "reins-step-marks.h"
#include "reins-step-row.h"
#include "reins-store.h"
#include "reins-text-window.h"
#include "reins-timeline.h"
#include "reins-test-ui.h"
#include "reins-test-util.h"
#include "reins-window-private.h"

typedef struct
{
  char *dir;
  char *path;
  char *parent_id;
  char *other_id;
  char *fork_id;
} Fixture;

static ReinsStep *
make_step (ReinsRun         *run,
           guint             index,
           const char       *key,
           const char       *guard,
           ReinsVerdictKind  kind)
{
  ReinsStep *step = reins_step_new (reins_run_get_id (run), index);
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsAction) action = NULL;
  g_autofree char *thought = g_strdup_printf ("Look up %s.", key);
  g_autofree char *reply = g_strdup_printf ("Thought: %s\nAction: kb_lookup", thought);

  json_object_set_string_member (args, "key", key);
  action = reins_action_new ("kb_lookup", args);
  reins_step_set_thought (step, thought);
  reins_step_set_reply (step, reply);
  reins_step_set_action (step, action);
  reins_step_set_observation (step, "{\"value\": \"next\"}");
  reins_step_set_confidence (step, index == 2 ? 0.45 : 0.85, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  reins_step_set_tokens (step, 700, 40);
  reins_step_set_cost (step, 0.001, 0.001 * index);
  reins_step_set_duration_ms (step, 900);
  if (guard != NULL)
    {
      g_autoptr(ReinsVerdict) verdict = reins_verdict_new (guard, kind, "Because.");
      reins_step_add_verdict (step, verdict);
    }
  if (kind == REINS_VERDICT_ASK)
    {
      g_autoptr(ReinsApprovalRecord) record =
        reins_approval_record_new (index, guard, "Because.", action, 0.45);

      reins_approval_record_resolve (record, REINS_DECISION_APPROVE, action, NULL,
                                     g_get_real_time ());
      reins_step_add_approval (step, record);
    }
  return step;
}

/* The fixture's runs started some hours ago, and the overview counts them as today's: in
 * the first hours after local midnight the ages shrink in proportion (their order stays). */
static gint64
within_today (gint64 age)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  gint64 since_midnight = g_date_time_get_hour (now) * G_TIME_SPAN_HOUR +
                          g_date_time_get_minute (now) * G_TIME_SPAN_MINUTE +
                          g_date_time_get_second (now) * G_TIME_SPAN_SECOND;

  if (since_midnight >= 4 * G_TIME_SPAN_HOUR)
    return age;
  /* In double: the product of two spans in µs overflows 64 bits */
  return (gint64) ((double) age * since_midnight / (4 * G_TIME_SPAN_HOUR));
}

static ReinsRun *
store_run (ReinsStore     *store,
           const char     *task,
           ReinsRunStatus  status,
           gint64          age,
           ReinsRun       *parent,
           guint           n_steps)
{
  g_autoptr(GError) error = NULL;
  ReinsRun *run = reins_run_new (task);

  reins_run_set_provider (run, "sim");
  reins_run_set_model (run, "sim-1");
  reins_run_set_created_at (run, g_get_real_time () - within_today (age));
  if (parent != NULL)
    reins_run_set_parent (run, reins_run_get_id (parent), 2);
  for (guint i = 1; i <= n_steps; i++)
    {
      g_autoptr(ReinsStep) step = make_step (run, i, i == 1 ? "capital/france" : "city/paris",
                                             i == 2 ? "confidence" : i == 3 ? "loop" : NULL,
                                             i == 2 ? REINS_VERDICT_ASK : REINS_VERDICT_CORRECT);

      reins_run_set_step_count (run, i);
      reins_run_set_cost_usd (run, 0.001 * i);
      g_assert_true (reins_store_commit_step (store, run, step, &error));
      g_assert_no_error (error);
    }
  reins_run_set_status (run, status);
  g_assert_true (reins_store_update_run (store, run, &error));
  g_assert_no_error (error);
  return run;
}

/* A parent run with its model calls stored, an unrelated run, and a fork of the parent
 * from step 2 — the newest, so a history by date would show it apart from its parent. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(ReinsRun) parent = NULL;
  g_autoptr(ReinsRun) other = NULL;
  g_autoptr(ReinsRun) fork = NULL;

  f->dir = g_dir_make_tmp ("reins-test-views-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "runs.db", NULL);
  store = reins_store_open (f->path, &error);
  g_assert_no_error (error);

  parent = store_run (store, "Find the capital's mayor", REINS_RUN_STATUS_COMPLETED,
                      3 * G_TIME_SPAN_HOUR, NULL, 3);
  g_assert_true (reins_store_add_exchange (store, reins_run_get_id (parent), 1,
                                           "{\"model\":\"sim-1\",\"messages\":[{\"role\":\"user\","
                                           "\"content\":\"Find the capital's mayor\"}]}",
                                           "{\"choices\":[{\"text\":\"Thought: Look up "
                                           "capital/france.\"}]}",
                                           12, &error));
  g_assert_no_error (error);
  other = store_run (store, "List the workspace", REINS_RUN_STATUS_CANCELLED,
                     2 * G_TIME_SPAN_HOUR, NULL, 1);
  fork = store_run (store, "Find the capital's mayor", REINS_RUN_STATUS_FAILED,
                    G_TIME_SPAN_HOUR, parent, 2);

  f->parent_id = g_strdup (reins_run_get_id (parent));
  f->other_id = g_strdup (reins_run_get_id (other));
  f->fork_id = g_strdup (reins_run_get_id (fork));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  reins_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->parent_id);
  g_free (f->other_id);
  g_free (f->fork_id);
}

static GtkWidget *
find_one (GtkWidget *root,
          GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (root, type, found);
  return found->len > 0 ? g_ptr_array_index (found, 0) : NULL;
}

typedef struct
{
  ReinsWindow *window;
  const char  *run_id;
  GtkWidget   *row;
} FindRow;

static gboolean
find_history_row (gpointer data)
{
  FindRow *find = data;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  find->row = NULL;
  collect (GTK_WIDGET (_reins_window_get_history (find->window)), REINS_TYPE_HISTORY_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      ReinsRun *run = reins_history_row_get_run (g_ptr_array_index (rows, i));

      if (run != NULL && g_strcmp0 (reins_run_get_id (run), find->run_id) == 0)
        find->row = g_ptr_array_index (rows, i);
    }
  return find->row != NULL;
}

static GtkWidget *
history_row (ReinsWindow *window,
             const char  *run_id)
{
  FindRow find = { window, run_id, NULL };

  wait_until (find_history_row, &find, "the history row");
  return find.row;
}

/* The first label under @widget whose text contains @text, or NULL. */
static GtkLabel *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
      strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return GTK_LABEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_button_labelled (GtkWidget  *widget,
                      const char *text)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_visible (widget) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_labelled (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static ReinsWindow *
open_window (Fixture *f,
             int      width,
             int      height)
{
  ReinsWindow *window = g_object_ref_sink (reins_window_new (NULL, f->path));

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (loaded, window, "the history");
  return window;
}

static guint
position_of (GListModel *model,
             const char *run_id)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(ReinsRun) run = g_list_model_get_item (model, i);

      if (g_strcmp0 (reins_run_get_id (run), run_id) == 0)
        return i;
    }
  g_assert_not_reached ();
}

static gboolean
selected_is (gpointer data)
{
  gpointer *args = data;
  ReinsRun *run = reins_history_get_selected_run (_reins_window_get_history (args[0]));

  return run != NULL && g_strcmp0 (reins_run_get_id (run), args[1]) == 0;
}

static void
test_forks_beside_parent (Fixture       *f,
                          gconstpointer  data)
{
  ReinsWindow *window = open_window (f, 1100, 720);
  ReinsHistory *history = _reins_window_get_history (window);
  GListModel *model = reins_history_get_model (history);
  g_autoptr(ReinsRun) fork_run = NULL;
  GtkWidget *row;
  GtkLabel *mark;
  gpointer args[2] = { window, NULL };

  /* By date the fork is the newest; it is shown right under its parent, one level in. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_cmpuint (position_of (model, f->other_id), ==, 0);
  g_assert_cmpuint (position_of (model, f->parent_id), ==, 1);
  g_assert_cmpuint (position_of (model, f->fork_id), ==, 2);
  fork_run = g_list_model_get_item (model, 2);
  g_assert_cmpuint (reins_history_get_depth (history, fork_run), ==, 1);

  row = history_row (window, f->fork_id);
  mark = find_label (row, "Fork from step 2");
  g_assert_nonnull (mark);
  g_assert_cmpint (gtk_widget_get_margin_start (row), >, 0);
  /* A run that is not a fork is neither marked nor indented. */
  row = history_row (window, f->other_id);
  g_assert_null (find_label (row, "Fork from step"));
  g_assert_cmpint (gtk_widget_get_margin_start (row), ==, 0);
  save_screenshot (GTK_WIDGET (window), "history-forks.png");

  /* The lineage: the fork's menu leads to its parent. */
  g_assert_true (reins_history_select_run (history, f->fork_id));
  wait_until (loaded, window, "the fork");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-run", "s",
                                             f->parent_id));
  args[1] = f->parent_id;
  wait_until (selected_is, args, "the parent selected");

  /* The parent deleted: its fork is no longer nested (and comes back under it on Undo). */
  g_assert_true (reins_history_delete_run (history, f->parent_id));
  g_assert_cmpuint (reins_history_get_depth (history, fork_run), ==, 0);
  g_assert_cmpint (gtk_widget_get_margin_start (history_row (window, f->fork_id)), ==, 0);
  g_assert_true (reins_history_undelete_run (history, f->parent_id));
  model = reins_history_get_model (history);
  g_assert_cmpuint (position_of (model, f->fork_id), ==, position_of (model, f->parent_id) + 1);

  /* Search results are not nested: every row at the left. */
  reins_history_search (history, "mayor");
  model = reins_history_get_model (history);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(ReinsRun) run = g_list_model_get_item (model, i);
      g_assert_cmpuint (reins_history_get_depth (history, run), ==, 0);
    }
  reins_history_search (history, NULL);

  close_window (window);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
has_toplevel (gpointer data)
{
  return find_toplevel (GPOINTER_TO_SIZE (data)) != NULL;
}

static gboolean
no_toplevel (gpointer data)
{
  return find_toplevel (GPOINTER_TO_SIZE (data)) == NULL;
}

static guint
n_results (ReinsHistory *history,
           const char   *query)
{
  reins_history_search (history, query);
  return g_list_model_get_n_items (reins_history_get_model (history));
}

static void
test_tags_and_note (Fixture       *f,
                    gconstpointer  data)
{
  ReinsWindow *window = open_window (f, 1100, 720);
  ReinsHistory *history = _reins_window_get_history (window);
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  g_auto(GStrv) labels = NULL;
  ReinsRunNotes *notes;
  GtkWidget *row, *tag_button;
  g_autoptr(ReinsRun) only = NULL;

  /* From the row's menu (win.annotate): the window of tags and note. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.annotate", "s",
                                             f->parent_id));
  wait_until (has_toplevel, GSIZE_TO_POINTER (REINS_TYPE_RUN_NOTES), "the notes window");
  notes = REINS_RUN_NOTES (find_toplevel (REINS_TYPE_RUN_NOTES));
  g_assert_cmpstr (reins_run_notes_get_run_id (notes), ==, f->parent_id);

  /* A tag typed and entered is stored at once; a bad one is refused with the reason. */
  gtk_editable_set_text (_reins_run_notes_get_tag_entry (notes), "regression");
  g_signal_emit_by_name (_reins_run_notes_get_tag_entry (notes), "activate");
  g_assert_cmpstr (gtk_editable_get_text (_reins_run_notes_get_tag_entry (notes)), ==, "");
  g_assert_null (_reins_run_notes_get_error (notes));
  g_assert_true (reins_run_notes_add_tag (notes, "sim"));
  gtk_editable_set_text (_reins_run_notes_get_tag_entry (notes), "two words");
  g_signal_emit_by_name (_reins_run_notes_get_tag_entry (notes), "activate");
  g_assert_nonnull (_reins_run_notes_get_error (notes));
  g_assert_nonnull (strstr (_reins_run_notes_get_error (notes), "one word"));
  g_assert_cmpstr (gtk_editable_get_text (_reins_run_notes_get_tag_entry (notes)), ==,
                   "two words");
  gtk_text_buffer_set_text (_reins_run_notes_get_note_buffer (notes),
                            "The fork fixed step 2: the key was wrong.", -1);
  save_screenshot (GTK_WIDGET (notes), "run-notes.png");

  /* Closing keeps the note. */
  gtk_window_close (GTK_WINDOW (notes));
  wait_until (no_toplevel, GSIZE_TO_POINTER (REINS_TYPE_RUN_NOTES), "the notes window closed");
  store = reins_store_open (f->path, &error);
  g_assert_no_error (error);
  note = reins_store_get_note (store, f->parent_id, &error);
  g_assert_cmpstr (note, ==, "The fork fixed step 2: the key was wrong.");
  labels = reins_store_get_labels (store, f->parent_id, &error);
  g_assert_cmpstrv (labels, ((const char *[]) { "regression", "sim", NULL }));

  /* The row shows the tags and that there is a note; other rows do not. */
  row = history_row (window, f->parent_id);
  tag_button = find_button_labelled (row, "regression");
  g_assert_nonnull (tag_button);
  g_assert_nonnull (find_button_labelled (row, "sim"));
  g_assert_null (find_button_labelled (history_row (window, f->other_id), "regression"));
  save_screenshot (GTK_WIDGET (window), "history-tags.png");

  /* Search by tag: alone, with words, with a tag nobody has. */
  g_assert_cmpuint (n_results (history, "tag:regression"), ==, 1);
  only = g_list_model_get_item (reins_history_get_model (history), 0);
  g_assert_cmpstr (reins_run_get_id (only), ==, f->parent_id);
  g_assert_cmpuint (n_results (history, "tag:regression tag:sim"), ==, 1);
  g_assert_cmpuint (n_results (history, "tag:regression mayor"), ==, 1);
  g_assert_cmpuint (n_results (history, "tag:regression workspace"), ==, 0);
  g_assert_cmpuint (n_results (history, "tag:nobody"), ==, 0);
  g_assert_cmpuint (n_results (history, "tag:"), ==, 0);
  g_assert_cmpuint (n_results (history, "mayor"), ==, 2);
  reins_history_search (history, NULL);

  /* A click on a tag searches for it. */
  row = history_row (window, f->parent_id);
  tag_button = find_button_labelled (row, "regression");
  g_signal_emit_by_name (tag_button, "clicked");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_one (GTK_WIDGET (history),
                                                                  GTK_TYPE_SEARCH_ENTRY))),
                   ==, "tag:regression");
  g_assert_cmpuint (g_list_model_get_n_items (reins_history_get_model (history)), ==, 1);

  /* Removed in the window (the run shown, from the main menu): the search follows. */
  g_assert_true (reins_history_select_run (history, f->parent_id));
  wait_until (loaded, window, "the run");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.annotate-shown", NULL));
  wait_until (has_toplevel, GSIZE_TO_POINTER (REINS_TYPE_RUN_NOTES), "the notes window");
  notes = REINS_RUN_NOTES (find_toplevel (REINS_TYPE_RUN_NOTES));
  g_assert_cmpstr (reins_run_notes_get_run_id (notes), ==, f->parent_id);
  g_assert_true (reins_run_notes_remove_tag (notes, "regression"));
  g_assert_cmpuint (g_list_model_get_n_items (reins_history_get_model (history)), ==, 0);
  gtk_window_close (GTK_WINDOW (notes));
  wait_until (no_toplevel, GSIZE_TO_POINTER (REINS_TYPE_RUN_NOTES), "the notes window closed");
  reins_history_search (history, NULL);

  close_window (window);
}

/* A run named in the notes window (from the row's menu, then from the run shown) stands in
 * the history by its name and is found by it; feedback on a step is found by its rating. */
static void
test_name_and_feedback (Fixture       *f,
                        gconstpointer  data)
{
  ReinsWindow *window = open_window (f, 1280, 720);
  ReinsHistory *history = _reins_window_get_history (window);
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  ReinsRunNotes *notes;
  GtkWidget *row;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.annotate", "s",
                                             f->parent_id));
  wait_until (has_toplevel, GSIZE_TO_POINTER (REINS_TYPE_RUN_NOTES), "the notes window");
  notes = REINS_RUN_NOTES (find_toplevel (REINS_TYPE_RUN_NOTES));
  gtk_editable_set_text (_reins_run_notes_get_name_entry (notes), "  Mayor lookup, wrong key ");
  save_screenshot (GTK_WIDGET (notes), "run-name.png");
  gtk_window_close (GTK_WINDOW (notes));
  wait_until (no_toplevel, GSIZE_TO_POINTER (REINS_TYPE_RUN_NOTES), "the notes window closed");

  store = reins_store_open (f->path, &error);
  g_assert_no_error (error);
  name = reins_store_get_name (store, f->parent_id, &error);
  g_assert_cmpstr (name, ==, "Mayor lookup, wrong key");

  /* The row reads the name, the task is its tooltip; an unnamed row keeps its task */
  row = history_row (window, f->parent_id);
  g_assert_nonnull (find_label (row, "Mayor lookup, wrong key"));
  g_assert_null (find_label (row, "Find the capital"));
  g_assert_nonnull (find_label (history_row (window, f->other_id), "List the workspace"));

  g_assert_cmpuint (n_results (history, "name:mayor"), ==, 1);
  g_assert_cmpuint (n_results (history, "name:WRONG name:key"), ==, 1);
  g_assert_cmpuint (n_results (history, "name:workspace"), ==, 0);

  /* Feedback through the step row's action: thumbs down on step 2 of the parent, up on the
   * other run's step; a step that is not stored is refused with the reason, nothing kept */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.rate-step", "(suis)",
                                             f->parent_id, 2, -1, " Wrong key "));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.rate-step", "(suis)",
                                             f->other_id, 1, 1, ""));
  {
    g_autoptr(GPtrArray) feedback = reins_store_get_feedback (store, f->parent_id, &error);
    ReinsStepFeedback *item;

    g_assert_no_error (error);
    g_assert_cmpuint (feedback->len, ==, 1);
    item = g_ptr_array_index (feedback, 0);
    g_assert_cmpuint (item->step, ==, 2);
    g_assert_cmpint (item->rating, ==, -1);
    g_assert_cmpstr (item->comment, ==, "Wrong key");
  }
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.rate-step", "(suis)",
                                             f->parent_id, 9, 1, ""));
  wait_until (has_toplevel, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), "the refusal");
  gtk_window_destroy (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  wait_until (no_toplevel, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), "the refusal closed");
  g_assert_cmpuint (n_results (history, "feedback:down"), ==, 1);
  g_assert_cmpuint (n_results (history, "feedback:any"), ==, 2);
  g_assert_cmpuint (n_results (history, "feedback:down workspace"), ==, 0);
  g_assert_cmpuint (n_results (history, "feedback:sideways"), ==, 0);
  reins_history_search (history, "name:mayor");
  save_screenshot (GTK_WIDGET (window), "history-named.png");
  reins_history_search (history, NULL);

  /* Cleared from the run shown: the task again */
  g_assert_true (reins_history_select_run (history, f->parent_id));
  wait_until (loaded, window, "the run");

  /* The step row's Good Step button (step.rate) goes through the same action */
  {
    GtkWidget *step_row = find_one (GTK_WIDGET (window), REINS_TYPE_STEP_ROW);
    ReinsStep *step;
    g_autoptr(GPtrArray) feedback = NULL;
    ReinsStepFeedback *item;

    g_assert_nonnull (step_row);
    step = reins_step_row_get_step (REINS_STEP_ROW (step_row));
    g_assert_true (gtk_widget_activate_action (step_row, "step.rate", "i", 1));
    feedback = reins_store_get_feedback (store, f->parent_id, &error);
    g_assert_no_error (error);
    item = g_ptr_array_index (feedback, 0);
    g_assert_cmpuint (item->step, ==, reins_step_get_index (step));
    g_assert_cmpint (item->rating, ==, 1);
    g_assert_true (find_button_labelled (step_row, "Good Step") != NULL ||
                   find_label (step_row, "Good Step") != NULL);
    save_screenshot (GTK_WIDGET (window), "step-feedback.png");
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.annotate-shown", NULL));
  wait_until (has_toplevel, GSIZE_TO_POINTER (REINS_TYPE_RUN_NOTES), "the notes window");
  notes = REINS_RUN_NOTES (find_toplevel (REINS_TYPE_RUN_NOTES));
  g_assert_cmpstr (gtk_editable_get_text (_reins_run_notes_get_name_entry (notes)), ==,
                   "Mayor lookup, wrong key");
  gtk_editable_set_text (_reins_run_notes_get_name_entry (notes), "");
  gtk_window_close (GTK_WINDOW (notes));
  wait_until (no_toplevel, GSIZE_TO_POINTER (REINS_TYPE_RUN_NOTES), "the notes window closed");
  row = history_row (window, f->parent_id);
  g_assert_nonnull (find_label (row, "Find the capital"));
  g_assert_cmpuint (n_results (history, "name:mayor"), ==, 0);
  reins_history_search (history, NULL);
  close_window (window);

  /* At 700 px, the history folded away: the name stands for the run there too */
  g_assert_true (reins_store_set_name (store, f->parent_id, "Mayor lookup, wrong key", &error));
  g_assert_no_error (error);
  window = open_window (f, 700, 600);
  row = history_row (window, f->parent_id);
  g_assert_nonnull (find_label (row, "Mayor lookup, wrong key"));
  save_screenshot (GTK_WIDGET (window), "history-named-700.png");
  close_window (window);
}

/* The row of step @index in the run shown, when it is bound */
static ReinsStepRow *
step_row (ReinsWindow *window,
          guint        index)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (GTK_WIDGET (_reins_window_get_run_view (window)), REINS_TYPE_STEP_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      ReinsStep *step = reins_step_row_get_step (g_ptr_array_index (rows, i));

      if (step != NULL && reins_step_get_index (step) == index)
        return g_ptr_array_index (rows, i);
    }
  return NULL;
}

/* The row's marks, shown or hidden */
static ReinsStepMarks *
row_marks (ReinsStepRow *row)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new ();

  g_ptr_array_add (pending, row);
  while (pending->len > 0)
    {
      GtkWidget *widget = g_ptr_array_steal_index (pending, pending->len - 1);

      if (REINS_IS_STEP_MARKS (widget))
        return REINS_STEP_MARKS (widget);
      for (GtkWidget *child = gtk_widget_get_first_child (widget);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (pending, child);
    }
  g_assert_not_reached ();
}

/* args: the window, the step (GUINT_TO_POINTER), the text awaited (NULL: none); @get reads
 * the text off the row's marks */
static gboolean
row_mark_is (gpointer      data,
             const char *(*get) (ReinsStepMarks *))
{
  gpointer *args = data;
  ReinsStepRow *row = step_row (args[0], GPOINTER_TO_UINT (args[1]));

  return row != NULL && g_strcmp0 (get (row_marks (row)), args[2]) == 0;
}

static gboolean
row_rating_is (gpointer data)
{
  return row_mark_is (data, reins_step_marks_get_rating_text);
}

static gboolean
row_difference_is (gpointer data)
{
  return row_mark_is (data, reins_step_marks_get_difference_text);
}

static const char *
rating_tooltip (ReinsWindow *window,
                guint        index)
{
  GtkWidget *label = GTK_WIDGET (find_label (GTK_WIDGET (row_marks (step_row (window, index))),
                                             "Rated: "));

  return label != NULL ? gtk_widget_get_tooltip_text (label) : NULL;
}

/* Ratings stored earlier show on their rows when the run is opened, the comment as the
 * tooltip; removing one (the row's button, step.rate 0) deletes it from the store and from
 * the row; a new one shows at once. */
static void
test_step_ratings (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = reins_store_open (f->path, &error);
  g_autoptr(GPtrArray) feedback = NULL;
  ReinsWindow *window;
  ReinsStepRow *row;
  GtkWidget *remove;

  g_assert_no_error (error);
  g_assert_true (reins_store_set_feedback (store, f->parent_id, 2, -1, "Wrong key", &error));
  g_assert_true (reins_store_set_feedback (store, f->parent_id, 1, 1, NULL, &error));
  g_assert_no_error (error);

  window = open_window (f, 1280, 800);
  g_assert_true (reins_history_select_run (_reins_window_get_history (window), f->parent_id));
  wait_until (loaded, window, "the run");
  wait_until (row_rating_is, (gpointer[]) { window, GUINT_TO_POINTER (2), "Rated: bad step" },
              "the stored thumb down");
  wait_until (row_rating_is, (gpointer[]) { window, GUINT_TO_POINTER (1), "Rated: good step" },
              "the stored thumb up");
  g_assert_cmpstr (rating_tooltip (window, 2), ==, "Your comment: Wrong key");
  g_assert_cmpstr (rating_tooltip (window, 1), ==, "No comment");
  /* The feedback button says the stored thumb too */
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (find_one (GTK_WIDGET (step_row (window, 2)),
                                                                         GTK_TYPE_MENU_BUTTON))),
                   ==, "Bad Step");

  save_screenshot (GTK_WIDGET (window), "step-ratings.png");

  /* Another run's rows carry none of these */
  g_assert_true (reins_history_select_run (_reins_window_get_history (window), f->other_id));
  wait_until (loaded, window, "the other run");
  g_assert_true (row_rating_is ((gpointer[]) { window, GUINT_TO_POINTER (1), NULL }));
  g_assert_true (reins_history_select_run (_reins_window_get_history (window), f->parent_id));
  wait_until (loaded, window, "the run again");
  wait_until (row_rating_is, (gpointer[]) { window, GUINT_TO_POINTER (2), "Rated: bad step" },
              "the stored thumb down again");

  /* Removed with the row's button: gone from the store and from the row */
  row = step_row (window, 2);
  remove = GTK_WIDGET (find_button_labelled (GTK_WIDGET (row_marks (row)), "Remove Rating"));
  g_assert_nonnull (remove);
  g_assert_true (gtk_widget_get_visible (remove));
  g_assert_true (gtk_widget_activate (remove));
  wait_until (row_rating_is, (gpointer[]) { window, GUINT_TO_POINTER (2), NULL },
              "the thumb removed");
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (find_one (GTK_WIDGET (step_row (window, 2)),
                                                                         GTK_TYPE_MENU_BUTTON))),
                   ==, "Feedback");
  feedback = reins_store_get_feedback (store, f->parent_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (feedback->len, ==, 1);
  g_assert_cmpuint (((ReinsStepFeedback *) g_ptr_array_index (feedback, 0))->step, ==, 1);
  g_clear_pointer (&feedback, g_ptr_array_unref);
  g_assert_true (row_rating_is ((gpointer[]) { window, GUINT_TO_POINTER (1),
                                               "Rated: good step" }));

  /* A new one shows at once */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (step_row (window, 2)), "step.rate", "i",
                                             1));
  wait_until (row_rating_is, (gpointer[]) { window, GUINT_TO_POINTER (2), "Rated: good step" },
              "the new thumb");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (step_row (window, 2)), "step.rate", "i",
                                             0));
  wait_until (row_rating_is, (gpointer[]) { window, GUINT_TO_POINTER (2), NULL },
              "the new thumb removed");
  close_window (window);

  /* Reopened narrow: still there */
  window = open_window (f, 700, 600);
  g_assert_true (reins_history_select_run (_reins_window_get_history (window), f->parent_id));
  wait_until (loaded, window, "the run");
  wait_until (row_rating_is, (gpointer[]) { window, GUINT_TO_POINTER (1), "Rated: good step" },
              "the stored thumb, narrow");
  g_assert_true (row_rating_is ((gpointer[]) { window, GUINT_TO_POINTER (2), NULL }));
  save_screenshot (GTK_WIDGET (window), "step-ratings-700.png");
  close_window (window);
}

static ReinsRunHeader *
run_header (ReinsWindow *window)
{
  return REINS_RUN_HEADER (find_one (GTK_WIDGET (_reins_window_get_run_view (window)),
                                     REINS_TYPE_RUN_HEADER));
}

static gboolean
header_note_is (gpointer data)
{
  gpointer *args = data;
  const char *shown = reins_run_header_get_note_text (run_header (args[0]));

  if (args[1] == NULL)
    return shown == NULL;
  return shown != NULL && strstr (shown, args[1]) != NULL;
}

/* args: the window, the title awaited, the subtitle awaited (NULL: none shown) */
static gboolean
header_title_is (gpointer data)
{
  gpointer *args = data;
  const char *subtitle = NULL;
  const char *title = reins_run_header_get_title_text (run_header (args[0]), &subtitle);

  return g_strcmp0 (title, args[1]) == 0 && g_strcmp0 (subtitle, args[2]) == 0;
}

/* The header shows the note of the run shown, read again when the note changes, and none
 * for a run without one; a named run heads with its name, the task under it, and follows a
 * rename at once. */
static void
test_header_note (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = reins_store_open (f->path, &error);
  ReinsWindow *window;
  ReinsHistory *history;
  ReinsRunNotes *notes;

  g_assert_no_error (error);
  g_assert_true (reins_store_set_note (store, f->parent_id,
                                       "Step 2 asked about the key.\nThe fork fixed it.", &error));
  g_assert_no_error (error);
  g_assert_true (reins_store_set_name (store, f->parent_id, "Mayor, first try", &error));
  g_assert_no_error (error);

  window = open_window (f, 1280, 800);
  history = _reins_window_get_history (window);
  g_assert_true (reins_history_select_run (history, f->parent_id));
  wait_until (header_note_is, (gpointer[]) { window, "Note: Step 2 asked about the key." },
              "the note in the header");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (find_label (GTK_WIDGET (run_header (window)),
                                                                        "Note: "))),
                   ==, "Step 2 asked about the key.\nThe fork fixed it.");
  wait_until (header_title_is,
              (gpointer[]) { window, "Mayor, first try", "Find the capital's mayor" },
              "the name in the header");
  save_screenshot (GTK_WIDGET (window), "header-note.png");

  /* Another run has no note and no name: none is shown, not the last one's */
  g_assert_true (reins_history_select_run (history, f->other_id));
  wait_until (loaded, window, "the other run");
  wait_until (header_note_is, (gpointer[]) { window, NULL }, "no note in the header");
  wait_until (header_title_is, (gpointer[]) { window, "List the workspace", NULL },
              "the task as the title");

  /* Written in the notes window for the run shown: the header follows when it closes */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.annotate-shown", NULL));
  wait_until (has_toplevel, GSIZE_TO_POINTER (REINS_TYPE_RUN_NOTES), "the notes window");
  notes = REINS_RUN_NOTES (find_toplevel (REINS_TYPE_RUN_NOTES));
  g_assert_cmpstr (reins_run_notes_get_run_id (notes), ==, f->other_id);
  gtk_text_buffer_set_text (_reins_run_notes_get_note_buffer (notes), "Listed twice.", -1);
  gtk_window_close (GTK_WINDOW (notes));
  wait_until (no_toplevel, GSIZE_TO_POINTER (REINS_TYPE_RUN_NOTES), "the notes window closed");
  wait_until (header_note_is, (gpointer[]) { window, "Note: Listed twice." },
              "the new note in the header");

  /* Renamed in the notes window: the header reads the name at once */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.annotate-shown", NULL));
  wait_until (has_toplevel, GSIZE_TO_POINTER (REINS_TYPE_RUN_NOTES), "the notes window");
  notes = REINS_RUN_NOTES (find_toplevel (REINS_TYPE_RUN_NOTES));
  gtk_editable_set_text (_reins_run_notes_get_name_entry (notes), "Workspace listing");
  gtk_window_close (GTK_WINDOW (notes));
  wait_until (no_toplevel, GSIZE_TO_POINTER (REINS_TYPE_RUN_NOTES), "the notes window closed");
  wait_until (header_title_is,
              (gpointer[]) { window, "Workspace listing", "List the workspace" },
              "the new name in the header");
  save_screenshot (GTK_WIDGET (window), "header-name.png");

  /* The name cleared: the task heads again, nothing under it */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.annotate-shown", NULL));
  wait_until (has_toplevel, GSIZE_TO_POINTER (REINS_TYPE_RUN_NOTES), "the notes window");
  notes = REINS_RUN_NOTES (find_toplevel (REINS_TYPE_RUN_NOTES));
  gtk_editable_set_text (_reins_run_notes_get_name_entry (notes), "");
  gtk_window_close (GTK_WINDOW (notes));
  wait_until (no_toplevel, GSIZE_TO_POINTER (REINS_TYPE_RUN_NOTES), "the notes window closed");
  wait_until (header_title_is, (gpointer[]) { window, "List the workspace", NULL },
              "the task as the title again");
  close_window (window);

  /* At 700 px the name heads too */
  window = open_window (f, 700, 600);
  g_assert_true (reins_history_select_run (_reins_window_get_history (window), f->parent_id));
  wait_until (header_title_is,
              (gpointer[]) { window, "Mayor, first try", "Find the capital's mayor" },
              "the name in the narrow header");
  save_screenshot (GTK_WIDGET (window), "header-name-700.png");

  close_window (window);
}

/* The filters, one step at a time: what each lets through and what it does not. */
static void
test_step_filter (void)
{
  g_autoptr(ReinsRun) run = reins_run_new ("Filter");
  g_autoptr(ReinsStep) plain = make_step (run, 1, "a", NULL, REINS_VERDICT_ALLOW);
  g_autoptr(ReinsStep) asked = make_step (run, 2, "b", "confidence", REINS_VERDICT_ASK);
  g_autoptr(ReinsStep) looped = make_step (run, 3, "c", "loop", REINS_VERDICT_CORRECT);
  g_autoptr(ReinsStep) failed = make_step (run, 4, "d", NULL, REINS_VERDICT_ALLOW);
  g_autoptr(ReinsStep) guessed = make_step (run, 5, "e", NULL, REINS_VERDICT_ALLOW);
  g_autoptr(ReinsStep) question = reins_step_new (reins_run_get_id (run), 6);
  g_autoptr(ReinsAction) ask = reins_action_new ("ask_human", NULL);
  g_autofree char *described = NULL;

  reins_step_set_tool_error (failed, TRUE);
  /* Below the threshold, but never measured */
  reins_step_set_confidence (guessed, 0.2, REINS_CONFIDENCE_SOURCE_DEFAULT);
  reins_step_set_action (question, ask);

  g_assert_true (reins_step_filter_matches ("all", plain, 0.7));
  g_assert_false (reins_step_filter_matches ("decisions", plain, 0.7));
  g_assert_false (reins_step_filter_matches ("failures", plain, 0.7));
  g_assert_false (reins_step_filter_matches ("low-confidence", plain, 0.7));
  g_assert_false (reins_step_filter_matches ("guard:loop", plain, 0.7));

  g_assert_true (reins_step_filter_matches ("decisions", asked, 0.7));
  g_assert_true (reins_step_filter_matches ("decisions", question, 0.7));
  g_assert_false (reins_step_filter_matches ("decisions", looped, 0.7));

  g_assert_true (reins_step_filter_matches ("failures", looped, 0.7));
  g_assert_true (reins_step_filter_matches ("failures", failed, 0.7));
  /* A question is not a failure */
  g_assert_false (reins_step_filter_matches ("failures", asked, 0.7));

  g_assert_true (reins_step_filter_matches ("low-confidence", asked, 0.7));
  g_assert_false (reins_step_filter_matches ("low-confidence", asked, 0.4));
  g_assert_false (reins_step_filter_matches ("low-confidence", guessed, 0.7));
  g_assert_false (reins_step_filter_matches ("low-confidence", question, 0.7));

  g_assert_true (reins_step_filter_matches ("guard:loop", looped, 0.7));
  g_assert_false (reins_step_filter_matches ("guard:loop", asked, 0.7));
  g_assert_true (reins_step_filter_matches ("guard:confidence", asked, 0.7));
  g_assert_false (reins_step_filter_matches ("guard:drift", looped, 0.7));

  /* Names that are not filters match nothing and are refused */
  for (const char * const *bad = (const char * const []) { "", "All", "guard:", "guard:a b",
                                                           "guard:loop;drop", "failures ",
                                                           "decisions\n", NULL };
       *bad; bad++)
    {
      g_assert_false (reins_step_filter_is_valid (*bad));
      g_assert_false (reins_step_filter_matches (*bad, plain, 0.7));
      g_assert_false (reins_step_filter_matches (*bad, looped, 0.7));
      g_assert_null (reins_step_filter_describe (*bad));
    }
  g_assert_false (reins_step_filter_is_valid (NULL));
  g_assert_true (reins_step_filter_is_valid ("guard:tool_result"));
  described = reins_step_filter_describe ("guard:loop");
  g_assert_cmpstr (described, ==, "Possible Loop");
}

static gboolean
chart_has_points (gpointer data)
{
  return reins_chart_get_n_points (data) == 3;
}

static ReinsTimeline *
timeline_of (ReinsWindow *window)
{
  return REINS_TIMELINE (gtk_widget_get_ancestor (
    GTK_WIDGET (reins_run_view_get_list_view (_reins_window_get_run_view (window))),
    REINS_TYPE_TIMELINE));
}

/* The steps the timeline lists are @expected (step numbers, 0-terminated). */
static gboolean
timeline_lists (gpointer data)
{
  gpointer *args = data;
  ReinsWindow *window = args[0];
  const guint *expected = args[1];
  GListModel *shown = reins_timeline_get_shown_steps (timeline_of (window));
  guint n = 0;

  if (!loaded (window))
    return FALSE;
  while (expected[n] != 0)
    n++;
  if (g_list_model_get_n_items (shown) != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ReinsStep) step = g_list_model_get_item (shown, i);

      if (reins_step_get_index (step) != expected[i])
        return FALSE;
    }
  return TRUE;
}

static void
filter_to (ReinsWindow *window,
           const char  *filter,
           const guint *expected)
{
  g_autofree char *what = g_strdup_printf ("the steps of the filter “%s”", filter);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (timeline_of (window)),
                                             "timeline.filter", "s", filter));
  g_assert_cmpstr (reins_timeline_get_filter (timeline_of (window)), ==, filter);
  wait_until (timeline_lists, (gpointer[]) { window, (gpointer) expected }, what);
}

/* Only some steps of a stored run: the person's decisions, failures, low confidence, one
 * guard's verdicts; a step is still found by its number, and a bad filter changes nothing. */
static void
test_timeline_filter (Fixture       *f,
                      gconstpointer  data)
{
  ReinsWindow *window = open_window (f, 1280, 800);
  ReinsHistory *history = _reins_window_get_history (window);
  ReinsRunView *view = _reins_window_get_run_view (window);
  ReinsTimeline *timeline;
  GtkWidget *no_match;

  g_assert_true (reins_history_select_run (history, f->parent_id));
  wait_until (loaded, window, "the run");
  timeline = timeline_of (window);
  g_assert_cmpstr (reins_timeline_get_filter (timeline), ==, "all");
  wait_until (timeline_lists, (gpointer[]) { window, (guint[]) { 1, 2, 3, 0 } }, "every step");
  g_assert_null (find_label (GTK_WIDGET (timeline), "of 3 steps"));

  /* n and p: from intervention to intervention (steps 2 and 3), staying at the ends */
  wait_until (chart_has_points, reins_run_inspector_get_chart (reins_run_view_get_inspector (view)),
              "the chart's numbers");
  /* A range brushed on the chart shows its first step in the timeline. */
  reins_run_view_show_step (view, 0);
  g_assert_true (gtk_widget_activate_action (
    GTK_WIDGET (reins_run_inspector_get_chart (reins_run_view_get_inspector (view))),
    "chart.select-range", "(uu)", 3, 2));
  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 2);
  reins_run_view_show_step (view, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "run-view.next-intervention", NULL));
  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 2);
  gtk_widget_activate_action (GTK_WIDGET (view), "run-view.next-intervention", NULL);
  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 3);
  gtk_widget_activate_action (GTK_WIDGET (view), "run-view.next-intervention", NULL);
  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 3);
  gtk_widget_activate_action (GTK_WIDGET (view), "run-view.previous-intervention", NULL);
  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 2);
  gtk_widget_activate_action (GTK_WIDGET (view), "run-view.previous-intervention", NULL);
  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 2);
  /* j and k still visit every step */
  gtk_widget_activate_action (GTK_WIDGET (view), "run-view.previous-step", NULL);
  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 1);

  filter_to (window, "decisions", (guint[]) { 2, 0 });
  g_assert_nonnull (find_label (GTK_WIDGET (timeline), "1 of 3 steps"));
  save_screenshot (GTK_WIDGET (window), "timeline-filter.png");
  /* j and k go from listed step to listed step */
  reins_run_view_show_step (view, 0);
  gtk_widget_activate_action (GTK_WIDGET (view), "run-view.next-step", NULL);
  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 2);
  gtk_widget_activate_action (GTK_WIDGET (view), "run-view.next-step", NULL);
  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 2);
  gtk_widget_activate_action (GTK_WIDGET (view), "run-view.previous-step", NULL);
  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 2);
  reins_run_view_show_step (view, 0);
  filter_to (window, "failures", (guint[]) { 3, 0 });
  filter_to (window, "low-confidence", (guint[]) { 2, 0 });
  filter_to (window, "guard:loop", (guint[]) { 3, 0 });

  /* A step is marked by its number, not its row; one not listed is not marked */
  reins_run_view_show_step (view, 3);
  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 3);
  reins_run_view_show_step (view, 1);
  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 0);

  /* Nothing matches: an empty state that leads back */
  filter_to (window, "guard:drift", (guint[]) { 0 });
  no_match = GTK_WIDGET (find_one (GTK_WIDGET (timeline), ADW_TYPE_STATUS_PAGE));
  g_assert_nonnull (no_match);
  g_assert_true (gtk_widget_get_visible (no_match));
  g_assert_nonnull (find_button_labelled (no_match, "Show _All Steps"));
  save_screenshot (GTK_WIDGET (window), "timeline-filter-empty.png");

  /* Not a filter: refused, the list as it was */
  g_assert_false (reins_timeline_set_filter (timeline, "guard:"));
  g_assert_false (reins_timeline_set_filter (timeline, "everything"));
  g_assert_cmpstr (reins_timeline_get_filter (timeline), ==, "guard:drift");

  /* Back to every step, read lazily again; the marked step stays marked */
  filter_to (window, "guard:loop", (guint[]) { 3, 0 });
  reins_run_view_show_step (view, 3);
  filter_to (window, "all", (guint[]) { 1, 2, 3, 0 });
  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 3);
  g_assert_false (gtk_widget_get_visible (no_match));

  /* Another run keeps the filter */
  filter_to (window, "decisions", (guint[]) { 2, 0 });
  g_assert_true (reins_history_select_run (history, f->other_id));
  wait_until (timeline_lists, (gpointer[]) { window, (guint[]) { 0 } }, "the other run, filtered");
  filter_to (window, "all", (guint[]) { 1, 0 });

  /* At 700 px the bar still fits */
  gtk_window_set_default_size (GTK_WINDOW (window), 700, 800);
  g_assert_true (reins_history_select_run (history, f->parent_id));
  filter_to (window, "decisions", (guint[]) { 2, 0 });
  save_screenshot (GTK_WIDGET (window), "timeline-filter-700.png");

  close_window (window);
}

/* The popover of the Show menu is closed, and a frame or two have run since. */
static gboolean
menu_closed (gpointer data)
{
  gpointer *args = data;
  guint *frames = args[1];

  if (gtk_widget_get_mapped (args[0]))
    return FALSE;
  return ++*frames > 20;
}

static gboolean
menu_open (gpointer data)
{
  return find_one (data, GTK_TYPE_POPOVER) != NULL;
}

/* Whether the keyboard focus of @window is inside @widget. */
static gboolean
focus_inside (ReinsWindow *window,
              GtkWidget   *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* Picks entry @position of the Show menu as a person does: the menu opens, a row of its
 * list is activated, the menu closes. */
static void
choose_in_show_menu (ReinsWindow *window,
                     guint        position)
{
  ReinsTimeline *timeline = timeline_of (window);
  GtkWidget *dropdown = find_one (GTK_WIDGET (timeline), GTK_TYPE_DROP_DOWN);
  GtkWidget *popover, *list;
  guint frames = 0;

  g_assert_nonnull (dropdown);
  g_assert_true (gtk_widget_activate (dropdown));
  wait_until (menu_open, dropdown, "the Show menu to open");
  popover = find_one (dropdown, GTK_TYPE_POPOVER);
  list = find_one (popover, GTK_TYPE_LIST_VIEW);
  g_assert_nonnull (list);
  gtk_widget_grab_focus (list);
  g_assert_true (focus_inside (window, popover));
  /* A click selects the row, then activates it */
  gtk_selection_model_select_item (gtk_list_view_get_model (GTK_LIST_VIEW (list)), position, TRUE);
  g_signal_emit_by_name (list, "activate", position);
  wait_until (menu_closed, (gpointer[]) { popover, &frames }, "the Show menu to close");
}

/* After a filter is chosen in the Show menu the keyboard is back in the timeline, on the
 * step marked, so j and k work at once; a filter that lists nothing leaves it on the way
 * back to every step. */
static void
test_filter_keeps_focus (Fixture       *f,
                         gconstpointer  data)
{
  ReinsWindow *window = open_window (f, 1280, 800);
  ReinsRunView *view = _reins_window_get_run_view (window);
  GtkWidget *list = GTK_WIDGET (reins_run_view_get_list_view (view));
  ReinsTimeline *timeline;
  GtkWidget *focus;

  g_assert_true (reins_history_select_run (_reins_window_get_history (window), f->parent_id));
  wait_until (loaded, window, "the run");
  timeline = timeline_of (window);
  wait_until (timeline_lists, (gpointer[]) { window, (guint[]) { 1, 2, 3, 0 } }, "every step");
  reins_run_view_show_step (view, 2);

  /* "Failures" (step 3): the focus is in the list, and j/k answer from there */
  choose_in_show_menu (window, 2);
  g_assert_cmpstr (reins_timeline_get_filter (timeline), ==, "failures");
  wait_until (timeline_lists, (gpointer[]) { window, (guint[]) { 3, 0 } }, "the failures");
  g_assert_true (focus_inside (window, list));
  save_screenshot (GTK_WIDGET (window), "timeline-filter-focus.png");
  focus = gtk_root_get_focus (GTK_ROOT (window));
  reins_run_view_show_step (view, 0);
  g_assert_true (gtk_widget_activate_action (focus, "run-view.next-step", NULL));
  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 3);

  /* Back to "All Steps": the marked step keeps the focus */
  choose_in_show_menu (window, 0);
  wait_until (timeline_lists, (gpointer[]) { window, (guint[]) { 1, 2, 3, 0 } }, "every step");
  g_assert_true (focus_inside (window, list));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_true (gtk_widget_activate_action (focus, "run-view.previous-step", NULL));
  g_assert_cmpuint (reins_run_view_get_highlighted_step (view), ==, 2);

  /* A filter that lists nothing: the focus on "Show All Steps", never the window's first
   * button */
  choose_in_show_menu (window, 7 /* guard:drift */);
  wait_until (timeline_lists, (gpointer[]) { window, (guint[]) { 0 } }, "no step");
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (timeline)));
  g_assert_true (focus == find_button_labelled (GTK_WIDGET (timeline), "Show _All Steps") ||
                 gtk_widget_is_ancestor (focus, find_button_labelled (GTK_WIDGET (timeline),
                                                                      "Show _All Steps")));

  /* The action alone (no menu) does not take the focus from where it is */
  gtk_widget_grab_focus (GTK_WIDGET (reins_run_view_get_inspector (view)));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  filter_to (window, "all", (guint[]) { 1, 2, 3, 0 });
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == focus);

  close_window (window);
}

static void
test_exchange (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *with_call = NULL;
  g_autofree char *without_call = NULL;
  g_autofree char *none = NULL;
  ReinsWindow *window;
  GtkWidget *step_row = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkWindow *text_window;

  store = reins_store_open (f->path, &error);
  g_assert_no_error (error);

  /* The request exactly as sent (pretty JSON), the raw reply, the reply the step keeps. */
  with_call = _reins_window_dup_exchange_text (store, f->parent_id, 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (with_call, "Request sent to the model"));
  g_test_message ("%s", with_call);
  g_assert_nonnull (strstr (with_call, "\"role\""));
  g_assert_null (strstr (with_call, "{\"model\":\"sim-1\""));
  g_assert_nonnull (strstr (with_call, "Raw reply from the model"));
  g_assert_nonnull (strstr (with_call, "\"choices\""));
  g_assert_nonnull (strstr (with_call, "Thought: Look up capital/france.\nAction: kb_lookup"));
  g_assert_null (strstr (with_call, "keeps no model call"));

  /* No call stored for the step: said so, and what the step keeps is shown. */
  without_call = _reins_window_dup_exchange_text (store, f->parent_id, 2, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (without_call, "keeps no model call"));
  g_assert_nonnull (strstr (without_call, "Thought: Look up city/paris."));

  /* No such step. */
  none = _reins_window_dup_exchange_text (store, f->parent_id, 99, &error);
  g_assert_null (none);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* From the step's button: a text window with the step's request and reply. */
  window = open_window (f, 1100, 820);
  g_assert_true (reins_history_select_run (_reins_window_get_history (window), f->parent_id));
  wait_until (loaded, window, "the run");
  collect (GTK_WIDGET (window), REINS_TYPE_STEP_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      ReinsStep *step = reins_step_row_get_step (g_ptr_array_index (rows, i));

      if (step != NULL && reins_step_get_index (step) == 1)
        step_row = g_ptr_array_index (rows, i);
    }
  g_assert_nonnull (step_row);
  g_assert_true (gtk_widget_activate_action (step_row, "step.show-exchange", NULL));
  wait_until (has_toplevel, GSIZE_TO_POINTER (REINS_TYPE_TEXT_WINDOW), "the text window");
  text_window = find_toplevel (REINS_TYPE_TEXT_WINDOW);
  g_assert_cmpstr (gtk_window_get_title (text_window), ==, "Request and Reply of Step 1");
  /* Copy All puts the whole text on the clipboard, not only what the view shows. */
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (text_window));
    g_auto(GValue) value = G_VALUE_INIT;
    g_autoptr(GError) copy_error = NULL;

    g_assert_null (gdk_clipboard_get_content (clipboard));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (text_window), "text.copy", NULL));
    g_assert_nonnull (gdk_clipboard_get_content (clipboard));
    g_value_init (&value, G_TYPE_STRING);
    g_assert_true (gdk_content_provider_get_value (gdk_clipboard_get_content (clipboard), &value,
                                                   &copy_error));
    g_assert_no_error (copy_error);
    g_assert_cmpstr (g_value_get_string (&value), ==, with_call);
  }
  save_screenshot (GTK_WIDGET (text_window), "exchange.png");
  gtk_window_destroy (text_window);
  wait_until (no_toplevel, GSIZE_TO_POINTER (REINS_TYPE_TEXT_WINDOW), "the text window closed");

  close_window (window);
}

static gboolean
chart_sized (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) >= 500;
}

/* Where a fork differs from its parent: another action, another observation, a step the
 * parent never took; before the fork point nothing counts, and no steps is no difference. */
static void
test_fork_diff (void)
{
  g_autoptr(ReinsRun) parent = reins_run_new ("Find the capital's mayor");
  g_autoptr(ReinsRun) fork = reins_run_new ("Find the capital's mayor");
  g_autoptr(GPtrArray) parent_steps = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) fork_steps = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(ReinsForkDiff) diff = NULL;
  g_autoptr(ReinsForkDiff) same = NULL;
  g_autoptr(ReinsForkDiff) empty = NULL;
  g_autofree char *markup = NULL;
  g_autofree char *same_markup = NULL;
  ReinsStep *step;

  reins_run_set_parent (fork, reins_run_get_id (parent), 2);
  for (guint i = 1; i <= 5; i++)
    g_ptr_array_add (parent_steps, make_step (parent, i, "city/paris", NULL,
                                              REINS_VERDICT_CORRECT));
  /* Step 1 differs, but comes before the fork point; 2 is the parent's; 3 took another
   * action; 4 saw another observation; 5 is the parent's; 7 the parent never took. Listed
   * out of order, as a store need not return them sorted. */
  g_ptr_array_add (fork_steps, make_step (fork, 7, "city/paris", NULL, REINS_VERDICT_CORRECT));
  g_ptr_array_add (fork_steps, make_step (fork, 1, "capital/france", NULL,
                                          REINS_VERDICT_CORRECT));
  g_ptr_array_add (fork_steps, make_step (fork, 2, "city/paris", NULL, REINS_VERDICT_CORRECT));
  g_ptr_array_add (fork_steps, make_step (fork, 3, "mayor/paris", NULL, REINS_VERDICT_CORRECT));
  step = make_step (fork, 4, "city/paris", NULL, REINS_VERDICT_CORRECT);
  reins_step_set_observation (step, "{\"value\": \"other\"}");
  g_ptr_array_add (fork_steps, step);
  g_ptr_array_add (fork_steps, make_step (fork, 5, "city/paris", NULL, REINS_VERDICT_CORRECT));

  diff = reins_fork_diff_new (fork_steps, parent_steps, 2);
  g_assert_cmpuint (diff->steps->len, ==, 3);
  g_assert_cmpuint (g_array_index (diff->steps, guint, 0), ==, 3);
  g_assert_cmpuint (g_array_index (diff->steps, guint, 1), ==, 4);
  g_assert_cmpuint (g_array_index (diff->steps, guint, 2), ==, 7);
  g_assert_cmpuint (diff->n_actions, ==, 2);
  markup = reins_run_lineage_markup (fork, NULL, diff, NULL);
  g_assert_nonnull (strstr (markup, "<b>Differs</b> at steps 3–4, 7 (2 with another action)."));

  /* From step 6 on only step 7 differs; a fork the same as its parent says so. */
  same = reins_fork_diff_new (fork_steps, parent_steps, 6);
  g_assert_cmpuint (same->steps->len, ==, 1);
  g_ptr_array_remove_index (fork_steps, 0);
  g_clear_pointer (&same, reins_fork_diff_free);
  same = reins_fork_diff_new (fork_steps, parent_steps, 5);
  g_assert_cmpuint (same->steps->len, ==, 0);
  same_markup = reins_run_lineage_markup (fork, NULL, same, NULL);
  g_assert_nonnull (strstr (same_markup, "Its steps are the parent’s."));
  g_assert_null (strstr (same_markup, "Differs"));

  /* No steps at all, and a fork point of 0. */
  empty = reins_fork_diff_new (NULL, NULL, 0);
  g_assert_cmpuint (empty->steps->len, ==, 0);
  g_assert_cmpuint (empty->from_step, ==, 1);
}

static gboolean
lineage_shows (gpointer data)
{
  gpointer *args = data;
  ReinsRunView *view = _reins_window_get_run_view (args[0]);

  return find_label (GTK_WIDGET (reins_run_view_get_inspector (view)), args[1]) != NULL;
}

/* In the window: the fork of the fixture is its parent's from step 2; another fork, whose
 * step 2 went elsewhere, is marked there. */
static void
test_fork_differences (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = reins_store_open (f->path, &error);
  g_autoptr(ReinsRun) parent = NULL;
  g_autoptr(ReinsRun) fork = reins_run_new ("Find the capital's mayor");
  g_autoptr(ReinsStep) step1 = NULL;
  g_autoptr(ReinsStep) step2 = NULL;
  ReinsWindow *window;
  ReinsHistory *history;
  ReinsRunView *view;

  g_assert_no_error (error);
  parent = reins_store_get_run (store, f->parent_id, &error);
  g_assert_no_error (error);
  reins_run_set_provider (fork, "sim");
  reins_run_set_parent (fork, f->parent_id, 2);
  step1 = make_step (fork, 1, "capital/france", NULL, REINS_VERDICT_CORRECT);
  step2 = make_step (fork, 2, "mayor/paris", NULL, REINS_VERDICT_CORRECT);
  reins_run_set_step_count (fork, 2);
  g_assert_true (reins_store_commit_step (store, fork, step1, &error));
  g_assert_true (reins_store_commit_step (store, fork, step2, &error));
  reins_run_set_status (fork, REINS_RUN_STATUS_COMPLETED);
  g_assert_true (reins_store_update_run (store, fork, &error));
  g_assert_no_error (error);

  window = open_window (f, 1280, 760);
  history = _reins_window_get_history (window);
  view = _reins_window_get_run_view (window);
  g_assert_true (reins_history_select_run (history, f->fork_id));
  wait_until (lineage_shows, (gpointer[]) { window, "Its steps are the parent’s." },
              "the fork's lineage");
  g_assert_false (lineage_shows ((gpointer[]) { window, "Differs" }));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-run", "s",
                                             reins_run_get_id (fork)));
  wait_until (lineage_shows,
              (gpointer[]) { window, "<b>Differs</b> at step 2 (1 with another action)." },
              "the other fork's differences");
  g_assert_false (lineage_shows ((gpointer[]) { window, "Its steps are the parent’s." }));

  /* The row of the step that differs says so, the parent's action its tooltip; the steps
   * before the fork point and those alike say nothing */
  wait_until (row_difference_is,
              (gpointer[]) { window, GUINT_TO_POINTER (2), "Differs from parent: action" },
              "the difference on step 2's row");
  g_assert_true (row_difference_is ((gpointer[]) { window, GUINT_TO_POINTER (1), NULL }));
  {
    GtkWidget *label = GTK_WIDGET (find_label (GTK_WIDGET (row_marks (step_row (window, 2))),
                                               "Differs from parent"));
    const char *tooltip = gtk_widget_get_tooltip_text (label);

    g_assert_nonnull (tooltip);
    g_assert_true (g_str_has_prefix (tooltip, "The parent’s action: kb_lookup"));
    g_assert_nonnull (strstr (tooltip, "city/paris"));
    g_assert_null (strstr (tooltip, "observation"));
  }
  save_screenshot (GTK_WIDGET (window), "fork-differences.png");

  /* The parent itself is no fork: nothing to compare. */
  g_assert_true (reins_history_select_run (history, f->parent_id));
  wait_until (lineage_shows, (gpointer[]) { window, "Forks:" }, "the parent's forks");
  g_assert_false (lineage_shows ((gpointer[]) { window, "Differs" }));
  g_assert_null (find_label (GTK_WIDGET (reins_run_view_get_inspector (view)), "parent’s."));
  g_assert_true (row_difference_is ((gpointer[]) { window, GUINT_TO_POINTER (2), NULL }));
  close_window (window);

  /* At 700 px the fork's row says it too */
  window = open_window (f, 700, 600);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-run", "s",
                                             reins_run_get_id (fork)));
  wait_until (row_difference_is,
              (gpointer[]) { window, GUINT_TO_POINTER (2), "Differs from parent: action" },
              "the difference, narrow");
  save_screenshot (GTK_WIDGET (window), "fork-differences-700.png");
  close_window (window);
}

static gboolean
has_width (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) > 0;
}

/* The completion chart on its own: its words for no days, empty days and some runs, and
 * the day under a point. */
static void
test_completion_chart (void)
{
  GtkWidget *window = gtk_window_new ();
  ReinsCompletionChart *chart = REINS_COMPLETION_CHART (reins_completion_chart_new ());
  ReinsStoreDay days[3] = { { 0, 0, 0 }, { 0, 2, 1 }, { 0, 0, 0 } };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *second = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *name = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (now, (int) i - 2);

      days[i].start_us = g_date_time_to_unix (day) * G_USEC_PER_SEC;
    }

  /* Nothing yet, and nothing at all: it says so, and no day is under any point */
  g_assert_cmpstr (reins_completion_chart_get_description (chart), ==,
                   "No run ended in these days.");
  reins_completion_chart_set_days (chart, NULL, 0);
  g_assert_cmpstr (reins_completion_chart_get_description (chart), ==,
                   "No run ended in these days.");
  g_assert_null (reins_completion_chart_describe_day (chart, 0));
  g_assert_cmpint (reins_completion_chart_day_at (chart, 10), ==, -1);
  g_assert_cmpstr ((name = reins_completion_chart_get_day_name (chart, 0)), ==, "");
  g_clear_pointer (&name, g_free);

  /* Days without runs are left out of the words, not of the chart */
  reins_completion_chart_set_days (chart, days, G_N_ELEMENTS (days));
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (chart));
  gtk_window_set_default_size (GTK_WINDOW (window), 300, 100);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (has_width, chart, "the chart laid out");
  second = reins_completion_chart_describe_day (chart, 1);
  name = reins_completion_chart_get_day_name (chart, 1);
  g_assert_true (g_str_has_prefix (second, name));
  g_assert_true (g_str_has_suffix (second, ": 2 completed, 1 failed or stopped"));
  expected = g_strconcat (second, ".", NULL);
  g_assert_cmpstr (reins_completion_chart_get_description (chart), ==, expected);
  g_assert_cmpint (reins_completion_chart_day_at (chart, -1), ==, -1);
  g_assert_cmpint (reins_completion_chart_day_at (chart, gtk_widget_get_width (GTK_WIDGET (chart)) / 2.0), ==, 1);
  g_assert_cmpint (reins_completion_chart_day_at (chart, gtk_widget_get_width (GTK_WIDGET (chart)) - 1), ==, 2);
  save_screenshot (window, "completion-chart.png");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
remember_step_cb (ReinsChart *chart,
                  guint       step,
                  guint      *activated)
{
  *activated = step;
}

static void
test_chart_zoom (void)
{
  GtkWidget *window = gtk_window_new ();
  ReinsChart *chart = REINS_CHART (reins_chart_new ());
  g_autofree ReinsChartPoint *points = g_new0 (ReinsChartPoint, 200);
  guint first, count;
  guint activated = 0;
  int width;

  for (guint i = 0; i < 200; i++)
    {
      points[i].confidence = (i % 10) / 10.0f;
      points[i].cost_total = 0.001f * i;
    }
  gtk_widget_set_size_request (GTK_WIDGET (chart), 500, 100);
  gtk_widget_set_halign (GTK_WIDGET (chart), GTK_ALIGN_START);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (chart));
  gtk_window_present (GTK_WINDOW (window));
  wait_until (chart_sized, chart, "the chart's size");
  width = gtk_widget_get_width (GTK_WIDGET (chart));

  reins_chart_set_points (chart, points, 100);
  reins_chart_get_view (chart, &first, &count);
  g_assert_cmpuint (first, ==, 1);
  g_assert_cmpuint (count, ==, 100);
  g_assert_false (reins_chart_get_zoomed (chart));
  /* Zooming out of the whole run changes nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (chart), "chart.zoom-out", NULL));
  reins_chart_get_view (chart, &first, &count);
  g_assert_cmpuint (count, ==, 100);

  /* + zooms around the middle: half the steps, centred. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (chart), "chart.zoom-in", NULL));
  reins_chart_get_view (chart, &first, &count);
  g_assert_cmpuint (first, ==, 26);
  g_assert_cmpuint (count, ==, 50);
  g_assert_true (reins_chart_get_zoomed (chart));
  /* A click maps to the steps shown. */
  g_assert_cmpuint (reins_chart_step_at (chart, 0), ==, 26);
  g_assert_cmpuint (reins_chart_step_at (chart, width - 1), ==, 75);
  save_screenshot (window, "chart-zoomed.png");

  /* → moves by a tenth of the view; it stops at the end. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (chart), "chart.pan-right", NULL));
  reins_chart_get_view (chart, &first, &count);
  g_assert_cmpuint (first, ==, 31);
  reins_chart_pan (chart, 1000);
  reins_chart_get_view (chart, &first, &count);
  g_assert_cmpuint (first, ==, 51);
  g_assert_cmpuint (count, ==, 50);
  reins_chart_pan (chart, -1000);
  reins_chart_get_view (chart, &first, NULL);
  g_assert_cmpuint (first, ==, 1);

  /* The wheel's zoom keeps the step under the pointer where it is. */
  reins_chart_reset_zoom (chart);
  reins_chart_zoom (chart, 4.0, 0.8 * width);
  reins_chart_get_view (chart, &first, &count);
  g_assert_cmpuint (count, ==, 25);
  g_assert_cmpuint (reins_chart_step_at (chart, 0.8 * width), ==, 81);
  /* Never closer than a few steps. */
  reins_chart_zoom (chart, 1000.0, width / 2.0);
  reins_chart_get_view (chart, NULL, &count);
  g_assert_cmpuint (count, ==, 5);

  /* A run that grows keeps a zoom; an unzoomed chart shows every step. */
  reins_chart_set_points (chart, points, 200);
  g_assert_true (reins_chart_get_zoomed (chart));
  reins_chart_get_view (chart, NULL, &count);
  g_assert_cmpuint (count, ==, 5);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (chart), "chart.zoom-reset", NULL));
  g_assert_false (reins_chart_get_zoomed (chart));
  reins_chart_set_points (chart, points, 150);
  reins_chart_get_view (chart, &first, &count);
  g_assert_cmpuint (first, ==, 1);
  g_assert_cmpuint (count, ==, 150);
  /* A brush: a drag across steps 41–80 of 200 zooms to them and goes to step 41; a drag
   * backwards selects the same; a press that hardly moves selects nothing. */
  reins_chart_set_points (chart, points, 200);
  reins_chart_reset_zoom (chart);
  g_signal_connect (chart, "step-activated", G_CALLBACK (remember_step_cb), &activated);
  g_assert_false (reins_chart_brush (chart, 0.3 * width, 0.3 * width + 3));
  g_assert_false (reins_chart_get_zoomed (chart));
  g_assert_cmpuint (activated, ==, 0);
  g_assert_true (reins_chart_brush (chart, 0.4 * width - 1, 0.2 * width + 1));
  reins_chart_get_view (chart, &first, &count);
  g_assert_cmpuint (first, ==, 41);
  g_assert_cmpuint (count, ==, 40);
  g_assert_cmpuint (activated, ==, 41);
  save_screenshot (window, "chart-brushed.png");
  /* Inside a zoom, a brush narrows it further: the left half of steps 41–80. */
  g_assert_true (reins_chart_brush (chart, 0, width / 2.0 - 1));
  reins_chart_get_view (chart, &first, &count);
  g_assert_cmpuint (first, ==, 41);
  g_assert_cmpuint (count, ==, 20);
  /* The action: a range given backwards, past the end, or shorter than the closest zoom. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (chart), "chart.select-range", "(uu)",
                                             250, 190));
  reins_chart_get_view (chart, &first, &count);
  g_assert_cmpuint (first, ==, 190);
  g_assert_cmpuint (count, ==, 11);
  g_assert_cmpuint (activated, ==, 190);
  gtk_widget_activate_action (GTK_WIDGET (chart), "chart.select-range", "(uu)", 100, 100);
  reins_chart_get_view (chart, &first, &count);
  g_assert_cmpuint (first, ==, 98);
  g_assert_cmpuint (count, ==, 5);
  g_assert_cmpuint (activated, ==, 100);
  g_signal_handlers_disconnect_by_func (chart, remember_step_cb, &activated);
  reins_chart_reset_zoom (chart);

  /* A run shorter than the closest zoom, and an empty one. */
  reins_chart_set_points (chart, points, 3);
  reins_chart_zoom (chart, 2.0, 0);
  reins_chart_get_view (chart, NULL, &count);
  g_assert_cmpuint (count, ==, 3);
  g_assert_false (reins_chart_get_zoomed (chart));
  reins_chart_set_points (chart, NULL, 0);
  reins_chart_zoom (chart, 2.0, 0);
  reins_chart_pan (chart, 3);
  g_assert_cmpuint (reins_chart_step_at (chart, 10), ==, 0);
  g_assert_false (reins_chart_brush (chart, 0, width - 1));
  reins_chart_select_range (chart, 1, 3);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The overview is shown, with its figures read. */
static gboolean
overview_ready (gpointer data)
{
  GtkWidget *overview = find_one (GTK_WIDGET (data), REINS_TYPE_OVERVIEW);

  return overview != NULL && !reins_overview_get_loading (REINS_OVERVIEW (overview));
}

static gboolean
overview_hidden (gpointer data)
{
  return find_one (GTK_WIDGET (data), REINS_TYPE_OVERVIEW) == NULL;
}

static void
check_overview (ReinsWindow *window,
                const char  *shot)
{
  ReinsOverview *overview;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.overview", NULL));
  wait_until (overview_ready, window, "the overview");
  g_assert_null (reins_history_get_selected_run (_reins_window_get_history (window)));
  overview = REINS_OVERVIEW (find_one (GTK_WIDGET (window), REINS_TYPE_OVERVIEW));

  /* Figures from the store: three runs, one of each ending, the questions and guards. */
  g_assert_cmpstr (_reins_overview_get_figure (overview, "today"), ==, "3");
  g_assert_cmpstr (_reins_overview_get_figure (overview, "week"), ==, "3");
  g_assert_cmpstr (_reins_overview_get_figure (overview, "completed"), ==, "1");
  g_assert_cmpstr (_reins_overview_get_figure (overview, "failed"), ==, "1");
  g_assert_cmpstr (_reins_overview_get_figure (overview, "cancelled"), ==, "1");
  g_assert_cmpstr (_reins_overview_get_figure (overview, "terminated"), ==, "0");
  g_assert_cmpstr (_reins_overview_get_figure (overview, "questions"), ==, "2");
  g_assert_cmpstr (_reins_overview_get_figure (overview, "approved"), ==, "2");
  g_assert_cmpstr (_reins_overview_get_figure (overview, "rejected"), ==, "0");
  g_assert_cmpstr (_reins_overview_get_figure (overview, "guard:confidence"), ==, "2");
  g_assert_cmpstr (_reins_overview_get_figure (overview, "guard:loop"), ==, "1");
  g_assert_null (_reins_overview_get_figure (overview, "guard:budget"));
  g_assert_nonnull (find_label (GTK_WIDGET (overview), "Low Confidence"));

  /* Completion over time: the totals in words under the chart, and a sentence a day as the
   * chart's accessible description and tooltip; the last bar is today's. */
  g_assert_cmpstr (_reins_overview_get_figure (overview, "completion"), ==,
                   "1 completed (green) · 2 failed or stopped (red), by the day they started");
  {
    ReinsCompletionChart *chart =
      REINS_COMPLETION_CHART (find_one (GTK_WIDGET (overview), REINS_TYPE_COMPLETION_CHART));
    const char *description = reins_completion_chart_get_description (chart);
    g_autofree char *today = NULL;
    int width;

    wait_until (has_width, chart, "the chart laid out");
    width = gtk_widget_get_width (GTK_WIDGET (chart));
    g_assert_nonnull (strstr (description, "1 completed"));
    g_assert_null (strstr (description, "No run ended"));
    g_assert_cmpint (width, >, 0);
    g_assert_cmpint (reins_completion_chart_day_at (chart, width - 1), ==,
                     REINS_STORE_OVERVIEW_DAYS - 1);
    g_assert_cmpint (reins_completion_chart_day_at (chart, 0), ==, 0);
    g_assert_cmpint (reins_completion_chart_day_at (chart, width), ==, -1);
    today = reins_completion_chart_describe_day (chart, REINS_STORE_OVERVIEW_DAYS - 1);
    g_assert_nonnull (strstr (today, ": "));
    g_assert_null (reins_completion_chart_describe_day (chart, REINS_STORE_OVERVIEW_DAYS));
  }

  /* Per provider and model: runs, completion, questions and cost */
  g_assert_true (g_str_has_prefix (_reins_overview_get_figure (overview, "model:sim · sim-1"),
                                   "3 runs · 1 completed (33 %) · 2 questions · "));
  g_assert_null (_reins_overview_get_figure (overview, "model:openai · gpt-4o"));
  save_screenshot (GTK_WIDGET (window), shot);

  /* The chart and the models, further down the page */
  {
    GtkScrolledWindow *scrolled =
      GTK_SCROLLED_WINDOW (find_one (GTK_WIDGET (overview), GTK_TYPE_SCROLLED_WINDOW));
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
    g_autofree char *base = g_strndup (shot, strlen (shot) - strlen (".png"));
    g_autofree char *bottom = g_strconcat (base, "-bottom.png", NULL);

    g_autofree char *middle = g_strconcat (base, "-chart.png", NULL);
    GtkWidget *chart = find_one (GTK_WIDGET (overview), REINS_TYPE_COMPLETION_CHART);
    graphene_rect_t bounds;

    g_assert_true (gtk_widget_compute_bounds (chart, gtk_scrolled_window_get_child (scrolled),
                                              &bounds));
    gtk_adjustment_set_value (adjustment, bounds.origin.y - 60);
    save_screenshot (GTK_WIDGET (window), middle);
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    save_screenshot (GTK_WIDGET (window), bottom);
    gtk_adjustment_set_value (adjustment, 0);
  }
}

static void
test_overview (Fixture       *f,
               gconstpointer  data)
{
  ReinsWindow *window = open_window (f, 1280, 760);
  ReinsHistory *history = _reins_window_get_history (window);
  gpointer args[2] = { window, f->other_id };
  ReinsOverview *overview;

  /* A run is picked when the window opens: no overview then. */
  g_assert_nonnull (reins_history_get_selected_run (history));
  g_assert_true (overview_hidden (window));
  check_overview (window, "overview.png");

  /* Nothing is picked behind the person's back while the overview is up. */
  reins_history_reload (history);
  wait_until (loaded, window, "the history again");
  g_assert_null (reins_history_get_selected_run (history));

  /* Picking a run leaves it; a run deleted elsewhere is gone from the figures. */
  g_assert_true (reins_history_select_run (history, f->other_id));
  wait_until (selected_is, args, "the run picked");
  wait_until (overview_hidden, window, "the run shown");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ReinsStore) store = reins_store_open (f->path, &error);

    g_assert_no_error (error);
    g_assert_true (reins_store_delete_run (store, f->fork_id, &error));
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.overview", NULL));
  wait_until (overview_ready, window, "the overview again");
  overview = REINS_OVERVIEW (find_one (GTK_WIDGET (window), REINS_TYPE_OVERVIEW));
  g_assert_cmpstr (_reins_overview_get_figure (overview, "today"), ==, "2");
  g_assert_cmpstr (_reins_overview_get_figure (overview, "failed"), ==, "0");
  g_assert_cmpstr (_reins_overview_get_figure (overview, "completion"), ==,
                   "1 completed (green) · 1 failed or stopped (red), by the day they started");
  g_assert_true (g_str_has_prefix (_reins_overview_get_figure (overview, "model:sim · sim-1"),
                                   "2 runs · 1 completed (50 %) · 1 question · "));

  close_window (window);
}

/* At 700 px the history and the overview take turns, as the run does. */
static void
test_overview_narrow (Fixture       *f,
                      gconstpointer  data)
{
  ReinsWindow *window = open_window (f, 700, 560);

  check_overview (window, "overview-700.png");
  close_window (window);
}

static gboolean
is_narrow (gpointer data)
{
  int width = gtk_widget_get_width (GTK_WIDGET (data));

  return width > 0 && width <= 572;
}

/* Folded (the history and the run take turns), the overview comes to the front. */
static void
test_overview_folded (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  ReinsWindow *window;
  AdwLeaflet *leaflet;

  /* The window starts at this size, so the leaflet never folds while it is shown, and
   * without animations its page changes at once (see test-audit's adaptive layout). */
  g_settings_set_int (settings, "window-width", 560);
  g_settings_set_int (settings, "window-height", 600);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  window = g_object_ref_sink (reins_window_new (NULL, f->path));
  gtk_window_present (GTK_WINDOW (window));
  wait_until (loaded, window, "the history");
  wait_until (is_narrow, window, "the window at 560 px");
  leaflet = find_leaflet (GTK_WIDGET (window));
  g_assert_true (adw_leaflet_get_folded (leaflet));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-history", NULL));
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (_reins_window_get_history (window)),
                                         adw_leaflet_get_visible_child (leaflet)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.overview", NULL));
  wait_until (overview_ready, window, "the overview");
  g_assert_true (gtk_widget_is_ancestor (find_one (GTK_WIDGET (window), REINS_TYPE_OVERVIEW),
                                         adw_leaflet_get_visible_child (leaflet)));
  save_screenshot (GTK_WIDGET (window), "overview-folded.png");

  close_window (window);
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
}

/* In German (po/de.po, as the build compiled it): the window's own strings, the templates'
 * and the figures' captions. Runs last: the language is the process's. */
static void
test_german (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *localedir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_autofree char *catalogue = g_build_filename (localedir, "de", "LC_MESSAGES",
                                                 GETTEXT_PACKAGE ".mo", NULL);
  g_autofree char *old_locale = NULL;
  ReinsWindow *window;
  ReinsOverview *overview;

  if (!g_file_test (catalogue, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the German catalogue is not built");
      return;
    }
  /* gtk_test_init() asks for en_US, which Xvfb machines rarely have: the C locale ignores
   * LANGUAGE, C.UTF-8 does not. */
  old_locale = g_strdup (setlocale (LC_ALL, NULL));
  if (setlocale (LC_ALL, "C.UTF-8") == NULL)
    {
      g_test_skip ("no C.UTF-8 locale");
      return;
    }
  g_setenv ("LANGUAGE", "de", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Overview"), ==, "Überblick");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%u step", "%u steps", 2), ==, "%u Schritte");

  window = open_window (f, 1280, 760);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.overview", NULL));
  wait_until (overview_ready, window, "the overview");
  overview = REINS_OVERVIEW (find_one (GTK_WIDGET (window), REINS_TYPE_OVERVIEW));
  g_assert_nonnull (find_label (GTK_WIDGET (overview), "Überblick"));
  g_assert_nonnull (find_label (GTK_WIDGET (overview), "Läufe heute"));
  g_assert_nonnull (find_label (GTK_WIDGET (overview), "Geringe Konfidenz"));
  g_assert_null (find_label (GTK_WIDGET (overview), "Runs Today"));
  g_assert_nonnull (find_label (GTK_WIDGET (overview), "Abschlüsse der letzten 14 Tage"));
  g_assert_nonnull (find_label (GTK_WIDGET (overview), "Nach Anbieter und Modell"));
  g_assert_null (find_label (GTK_WIDGET (overview), "By Provider and Model"));
  /* Plural forms: one and several */
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%u run", "%u runs", 1), ==, "%u Lauf");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%u run", "%u runs", 3), ==, "%u Läufe");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "the last %u step", "the last %u steps", 1), ==,
                   "dem letzten %u Schritt");
  g_assert_nonnull (find_label (GTK_WIDGET (_reins_window_get_history (window)), "Abgeschlossen"));
  save_screenshot (GTK_WIDGET (window), "overview-de.png");
  close_window (window);

  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, old_locale);
  textdomain (GETTEXT_PACKAGE);
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Overview"), ==, "Overview");
}

/* The window in Simplified Chinese: its templates, the timeline's filter and the history. */
static void
test_chinese (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *localedir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_autofree char *catalogue = g_build_filename (localedir, "zh_CN", "LC_MESSAGES",
                                                 GETTEXT_PACKAGE ".mo", NULL);
  g_autofree char *old_locale = NULL;
  ReinsWindow *window;
  ReinsTimeline *timeline;

  if (!g_file_test (catalogue, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the Chinese catalogue is not built");
      return;
    }
  old_locale = g_strdup (setlocale (LC_ALL, NULL));
  if (setlocale (LC_ALL, "C.UTF-8") == NULL)
    {
      g_test_skip ("no C.UTF-8 locale");
      return;
    }
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "All Steps"), ==, "所有步骤");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%u step", "%u steps", 2), ==, "%u 步");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%u step", "%u steps", 1), ==, "%u 步");
  /* The rest of the catalogue: the harness, the tools, the providers, MCP, the importers and
   * the loop, each with a message of its own. */
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Waiting for a person"), ==, "等待人工");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Division by zero"), ==, "除以零");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "The model did not answer in time"), ==,
                   "模型未及时回答");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "the server was stopped"), ==, "服务器已停止");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "The trace has no invoke_agent span."), ==,
                   "轨迹中没有 invoke_agent span。");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Paused by you."), ==, "已被你暂停。");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Rated: bad step"), ==, "已评分：坏步骤");
  /* One plural form in Chinese, whatever the count */
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%u question", "%u questions", 1), ==,
                   "%u 个问题");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%u question", "%u questions", 5), ==,
                   "%u 个问题");
  /* …and a message that is not in the catalogue stays as it is. */
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "no such message, surely"), ==,
                   "no such message, surely");

  window = open_window (f, 1280, 760);
  g_assert_true (reins_history_select_run (_reins_window_get_history (window), f->parent_id));
  wait_until (loaded, window, "the run");
  timeline = timeline_of (window);
  g_assert_nonnull (find_label (GTK_WIDGET (timeline), "显示(_S)"));
  g_assert_nonnull (find_label (GTK_WIDGET (timeline), "所有步骤"));
  g_assert_null (find_label (GTK_WIDGET (timeline), "All Steps"));
  g_assert_nonnull (find_label (GTK_WIDGET (_reins_window_get_history (window)), "已完成"));
  save_screenshot (GTK_WIDGET (window), "window-zh.png");
  close_window (window);

  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, old_locale);
  textdomain (GETTEXT_PACKAGE);
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "All Steps"), ==, "All Steps");
}

int
main (int   argc,
      char *argv[])
{
  reins_test_ui_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/reins/window/views/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("forks-beside-parent", test_forks_beside_parent);
  ADD ("fork-differences", test_fork_differences);
  g_test_add_func ("/reins/window/views/fork-diff", test_fork_diff);
  ADD ("tags-and-note", test_tags_and_note);
  ADD ("header-note", test_header_note);
  ADD ("step-ratings", test_step_ratings);
  ADD ("name-and-feedback", test_name_and_feedback);
  ADD ("timeline-filter", test_timeline_filter);
  ADD ("filter-keeps-focus", test_filter_keeps_focus);
  g_test_add_func ("/reins/window/views/step-filter", test_step_filter);
  ADD ("exchange", test_exchange);
  ADD ("overview", test_overview);
  ADD ("overview-narrow", test_overview_narrow);
  ADD ("overview-folded", test_overview_folded);
  g_test_add_func ("/reins/window/views/chart-zoom", test_chart_zoom);
  g_test_add_func ("/reins/window/views/completion-chart", test_completion_chart);
  ADD ("german", test_german);
  ADD ("chinese", test_chinese);

#undef ADD

  return g_test_run ();
}
