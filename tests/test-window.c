/* test-window.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window on a seeded, an empty, a corrupt and a foreign run store (runs under Xvfb).
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "reins-format.h"
#include "reins-step-row-private.h"
#include "reins-store.h"
#include "reins-text-window.h"
#include "reins-window-private.h"

#define ONE_MB 1000000

typedef struct
{
  char *dir;
  char *path;
  char *older_id;
  char *newer_id;
} Fixture;

/* Iterates the main loop until @cond holds; a hang fails the test instead of stalling CI. */
static void
wait_until (gboolean (*cond) (gpointer data),
            gpointer   data,
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

static ReinsStep *
make_step (ReinsRun   *run,
           guint       index,
           const char *thought,
           const char *tool,
           const char *observation)
{
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsAction) action = NULL;
  ReinsStep *step = reins_step_new (reins_run_get_id (run), index);

  json_object_set_string_member (args, "path", "notes.txt");
  action = reins_action_new (tool, args);
  reins_step_set_thought (step, thought);
  reins_step_set_action (step, action);
  reins_step_set_observation (step, observation);
  reins_step_set_confidence (step, 0.8, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  reins_step_set_tokens (step, 100 * index, 10 * index);
  reins_step_set_cost (step, 0.001, 0.001 * index);
  reins_step_set_duration_ms (step, 1200);
  return step;
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

static char *
make_big_observation (void)
{
  GString *text = g_string_sized_new (ONE_MB + 64);

  for (guint line = 0; text->len < ONE_MB; line++)
    g_string_append_printf (text, "line %06u of a long tool result, in many lines\n", line);
  g_string_truncate (text, ONE_MB);
  return g_string_free (text, FALSE);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("reins-test-window-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "runs.db", NULL);
}

/* Two runs: the older one has an observation that is not UTF-8 and one of 1 MB. */
static void
fixture_seed (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(ReinsRun) older = NULL;
  g_autoptr(ReinsRun) newer = NULL;
  g_autofree char *big = make_big_observation ();
  gint64 now = g_get_real_time ();

  store = reins_store_open (f->path, &error);
  g_assert_no_error (error);

  older = reins_run_new ("Summarise the notes in the workspace");
  reins_run_set_created_at (older, now - 2 * G_TIME_SPAN_HOUR);
  reins_run_set_provider (older, "sim");
  reins_run_set_status (older, REINS_RUN_STATUS_TERMINATED);
  f->older_id = g_strdup (reins_run_get_id (older));
  {
    g_autoptr(ReinsStep) s1 = make_step (older, 1, "Look at the zebra notes first.", "read_file",
                                         "caf\xc3\xa9 \xff\xfe broken bytes");
    g_autoptr(ReinsStep) s2 = make_step (older, 2, "Read the long file.", "read_file", big);
    g_autoptr(ReinsVerdict) verdict = reins_verdict_new ("loop", REINS_VERDICT_CORRECT,
                                                         "The same file was read twice.");
    g_autoptr(ReinsVerdict) allow = reins_verdict_new ("budget", REINS_VERDICT_ALLOW, "ok");

    reins_step_set_tool_error (s1, TRUE);
    reins_step_add_verdict (s2, verdict);
    reins_step_add_verdict (s2, allow);
    {
      g_autoptr(ReinsCritique) critique = reins_critique_new (REINS_VERDICT_PHASE_BEFORE_ACTION);

      critique->verdict = REINS_CRITIC_VERDICT_SUPPORTED;
      critique->supported = TRUE;
      critique->done = TRUE;
      critique->evidence_step = 1;
      critique->reason = g_strdup ("Step 1 says so.");
      critique->reply = g_strdup ("{}");
      reins_step_set_critique (s2, critique);
    }
    commit (store, older, s1);
    commit (store, older, s2);
  }

  newer = reins_run_new ("Add up the invoices");
  reins_run_set_created_at (newer, now - 5 * G_TIME_SPAN_MINUTE);
  reins_run_set_provider (newer, "openai");
  reins_run_set_model (newer, "gpt-4o-mini");
  f->newer_id = g_strdup (reins_run_get_id (newer));
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *thought = g_strdup_printf ("Thought number %u.", i);
      g_autoptr(ReinsStep) step = make_step (newer, i, thought, "calculator", "42");

      commit (store, newer, step);
    }
  reins_run_set_status (newer, REINS_RUN_STATUS_COMPLETED);
  reins_run_set_final_answer (newer, "42");
  reins_store_update_run (store, newer, &error);
  g_assert_no_error (error);
}

/* Adds a run with one step through a connection of its own, as reins-cli would. */
static void
add_run (const char  *path,
         const char  *task,
         char       **run_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = reins_store_open (path, &error);
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(ReinsStep) step = NULL;

  g_assert_no_error (error);
  run = reins_run_new (task);
  step = make_step (run, 1, "Only step.", "finish", "done");
  commit (store, run, step);
  *run_id = g_strdup (reins_run_get_id (run));
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
  g_free (f->older_id);
  g_free (f->newer_id);
}

static gboolean
history_loaded (gpointer data)
{
  ReinsWindow *window = data;

  return !reins_history_get_loading (_reins_window_get_history (window)) &&
         !reins_run_view_get_loading (_reins_window_get_run_view (window));
}

static void
collect_step_rows (GtkWidget *widget,
                   GPtrArray *rows)
{
  if (REINS_IS_STEP_ROW (widget) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (rows, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_step_rows (child, rows);
}

typedef struct
{
  ReinsWindow *window;
  guint        index;
  ReinsStepRow *row;
} FindRow;

static gboolean
find_step_row (gpointer data)
{
  FindRow *find = data;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_step_rows (GTK_WIDGET (find->window), rows);
  for (guint i = 0; i < rows->len; i++)
    {
      ReinsStep *step = reins_step_row_get_step (g_ptr_array_index (rows, i));

      if (step != NULL && reins_step_get_index (step) == find->index)
        {
          find->row = g_ptr_array_index (rows, i);
          return TRUE;
        }
    }
  return FALSE;
}

static GtkWindow *
find_text_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (REINS_IS_TEXT_WINDOW (window))
        return window;
    }
  return NULL;
}

static GtkTextView *
find_text_view (GtkWidget *widget)
{
  if (GTK_IS_TEXT_VIEW (widget))
    return GTK_TEXT_VIEW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkTextView *found = find_text_view (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
text_window_loaded (gpointer data)
{
  GtkWindow *window = find_text_window ();

  return window != NULL && reins_text_window_get_loaded (REINS_TEXT_WINDOW (window));
}

static GtkWidget *
find_search_entry (GtkWidget *widget)
{
  if (GTK_IS_SEARCH_ENTRY (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_search_entry (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
model_has_one_item (gpointer data)
{
  return g_list_model_get_n_items (reins_history_get_model (data)) == 1;
}

static gboolean
model_has_two_items (gpointer data)
{
  return g_list_model_get_n_items (reins_history_get_model (data)) == 2;
}

static void
assert_run_ids (GListModel *model,
                const char *first,
                const char *second)
{
  const char *expected[] = { first, second };
  guint n = second ? 2 : (first ? 1 : 0);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ReinsRun) run = g_list_model_get_item (model, i);
      g_assert_cmpstr (reins_run_get_id (run), ==, expected[i]);
    }
}

static void
test_window_history (Fixture       *f,
                     gconstpointer  data)
{
  ReinsWindow *window;
  ReinsHistory *history;
  ReinsRunView *view;
  GListModel *steps;
  g_autoptr(ReinsStep) first = NULL;
  g_autoptr(ReinsStep) second = NULL;
  FindRow find = { 0 };
  g_autofree char *added_id = NULL;
  GtkWidget *search_entry;
  GtkWindow *text_window;
  GtkTextBuffer *buffer;

  fixture_seed (f);

  window = g_object_ref_sink (reins_window_new (NULL, f->path));
  gtk_window_present (GTK_WINDOW (window));
  wait_until (history_loaded, window, "the history");

  g_assert_cmpstr (_reins_window_get_page (window), ==, "runs");
  history = _reins_window_get_history (window);
  view = _reins_window_get_run_view (window);

  /* Newest first, and the newest is shown. */
  g_assert_cmpuint (reins_history_get_n_runs (history), ==, 2);
  assert_run_ids (reins_history_get_model (history), f->newer_id, f->older_id);
  g_assert_cmpstr (reins_run_get_id (reins_history_get_selected_run (history)), ==, f->newer_id);
  steps = reins_run_view_get_steps (view);
  g_assert_cmpuint (g_list_model_get_n_items (steps), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(ReinsStep) step = g_list_model_get_item (steps, i);
      g_autofree char *thought = g_strdup_printf ("Thought number %u.", i + 1);

      g_assert_cmpuint (reins_step_get_index (step), ==, i + 1);
      g_assert_cmpstr (reins_step_get_thought (step), ==, thought);
      g_assert_cmpstr (reins_action_get_name (reins_step_get_action (step)), ==, "calculator");
    }

  /* The older run: an observation that was not UTF-8, and one of 1 MB. */
  g_assert_true (reins_history_select_run (history, f->older_id));
  g_assert_true (reins_run_view_get_loading (view));
  wait_until (history_loaded, window, "the steps of the older run");
  g_assert_cmpstr (reins_run_get_id (reins_run_view_get_run (view)), ==, f->older_id);
  g_assert_cmpuint (g_list_model_get_n_items (steps), ==, 2);
  first = g_list_model_get_item (steps, 0);
  second = g_list_model_get_item (steps, 1);
  g_assert_true (g_str_has_prefix (reins_step_get_observation (first), "caf\xc3\xa9 "));
  g_assert_true (reins_step_get_tool_error (first));
  g_assert_cmpuint (strlen (reins_step_get_observation (second)), ==, ONE_MB);

  /* What the rows put on screen is valid, and bounded. */
  find.window = window;
  find.index = 1;
  wait_until (find_step_row, &find, "the row of step 1");
  g_assert_true (g_utf8_validate (_reins_step_row_get_observation_text (find.row), -1, NULL));
  g_assert_false (_reins_step_row_get_truncated (find.row));
  g_assert_cmpuint (_reins_step_row_get_n_verdicts (find.row), ==, 0);
  g_assert_null (_reins_step_row_get_critic_text (find.row));

  find.index = 2;
  find.row = NULL;
  wait_until (find_step_row, &find, "the row of step 2");
  g_assert_true (_reins_step_row_get_truncated (find.row));
  g_assert_cmpint (g_utf8_strlen (_reins_step_row_get_observation_text (find.row), -1), ==,
                   REINS_FORMAT_EXCERPT_CHARS + 1);
  g_assert_true (g_str_has_suffix (_reins_step_row_get_observation_text (find.row), "…"));
  g_assert_cmpuint (_reins_step_row_get_n_verdicts (find.row), ==, 1);
  g_assert_cmpstr (_reins_step_row_get_critic_text (find.row), ==, "Critic: supported by step 1");

  /* "Show All" opens the whole text. */
  g_assert_null (find_text_window ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (find.row), "step.show-observation",
                                             NULL));
  wait_until (text_window_loaded, NULL, "the full observation");
  text_window = find_text_window ();
  buffer = gtk_text_view_get_buffer (find_text_view (GTK_WIDGET (text_window)));
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), ==, ONE_MB);
  gtk_window_destroy (text_window);

  /* Full-text search shows the runs of the hits; no hit shows why. */
  reins_history_search (history, "zebra");
  assert_run_ids (reins_history_get_model (history), f->older_id, NULL);
  reins_history_search (history, "nosuchwordanywhere");
  assert_run_ids (reins_history_get_model (history), NULL, NULL);
  reins_history_search (history, "\"unbalanced");
  reins_history_search (history, "");
  assert_run_ids (reins_history_get_model (history), f->newer_id, f->older_id);

  /* The same through the keyboard: Ctrl+F's action focuses the entry, typing searches. */
  /* The history's own entry (drop-downs have search entries of their own). */
  search_entry = find_search_entry (GTK_WIDGET (history));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (window)),
                                         search_entry));
  gtk_editable_set_text (GTK_EDITABLE (search_entry), "zebra");
  wait_until (model_has_one_item, history, "the search results");
  assert_run_ids (reins_history_get_model (history), f->older_id, NULL);
  gtk_editable_set_text (GTK_EDITABLE (search_entry), "");
  wait_until (model_has_two_items, history, "the whole history");

  /* A run another process adds shows after a reload, which keeps the selection. */
  g_assert_true (reins_history_select_run (history, f->older_id));
  wait_until (history_loaded, window, "the older run again");
  add_run (f->path, "A run added by reins-cli", &added_id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
  wait_until (history_loaded, window, "the reloaded history");
  g_assert_cmpuint (reins_history_get_n_runs (history), ==, 3);
  {
    g_autoptr(ReinsRun) newest = g_list_model_get_item (reins_history_get_model (history), 0);
    g_assert_cmpstr (reins_run_get_id (newest), ==, added_id);
  }
  g_assert_cmpstr (reins_run_get_id (reins_history_get_selected_run (history)), ==, f->older_id);
  g_assert_cmpuint (g_list_model_get_n_items (steps), ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static GtkRevealer *
find_revealer (GtkWidget *widget)
{
  if (GTK_IS_REVEALER (widget))
    return GTK_REVEALER (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkRevealer *found = find_revealer (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A line of megabytes would take GtkTextView minutes to lay out: it is broken for display,
 * and the window says so; short texts are shown as they are. */
static void
test_text_window_long_line (void)
{
  g_autofree char *line = g_strnfill (5000, 'x');
  g_autoptr(GBytes) long_bytes = g_bytes_new (line, strlen (line));
  g_autoptr(GBytes) short_bytes = g_bytes_new_static ("short\ntext", 10);
  GtkWidget *window;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  window = reins_text_window_new (NULL, "long", long_bytes);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (text_window_loaded, NULL, "the long line");
  buffer = gtk_text_view_get_buffer (find_text_view (window));
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), ==, 5002);
  g_assert_cmpint (gtk_text_buffer_get_line_count (buffer), ==, 3);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpint (strchr (text, '\n') - text, ==, 2000);
  g_assert_true (gtk_revealer_get_reveal_child (find_revealer (window)));
  gtk_window_destroy (GTK_WINDOW (window));

  window = reins_text_window_new (NULL, "short", short_bytes);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (text_window_loaded, NULL, "the short text");
  buffer = gtk_text_view_get_buffer (find_text_view (window));
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), ==, 10);
  g_assert_false (gtk_revealer_get_reveal_child (find_revealer (window)));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
page_is_set (gpointer data)
{
  return history_loaded (data);
}

static void
test_window_empty (Fixture       *f,
                   gconstpointer  data)
{
  ReinsWindow *window = g_object_ref_sink (reins_window_new (NULL, f->path));
  g_autofree char *added_id = NULL;
  GtkWidget *export_probe;
  GtkWidget *fork_probe;

  gtk_window_present (GTK_WINDOW (window));
  wait_until (page_is_set, window, "the empty store");
  g_assert_cmpstr (_reins_window_get_page (window), ==, "empty");
  g_assert_cmpuint (reins_history_get_n_runs (_reins_window_get_history (window)), ==, 0);
  g_assert_null (reins_run_view_get_run (_reins_window_get_run_view (window)));
  /* Nothing to export or fork yet: buttons for those actions are insensitive (a probe
   * button inside the window follows the actions as the menu's items do). */
  export_probe = gtk_button_new ();
  fork_probe = gtk_button_new ();
  gtk_actionable_set_action_name (GTK_ACTIONABLE (export_probe), "win.export");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (fork_probe), "win.fork");
  gtk_widget_set_parent (export_probe, GTK_WIDGET (_reins_window_get_history (window)));
  gtk_widget_set_parent (fork_probe, GTK_WIDGET (_reins_window_get_history (window)));
  while (g_main_context_iteration (NULL, FALSE));
  g_assert_false (gtk_widget_get_sensitive (export_probe));
  g_assert_false (gtk_widget_get_sensitive (fork_probe));

  /* The first run replaces the empty state. */
  add_run (f->path, "The first run", &added_id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
  wait_until (page_is_set, window, "the first run");
  g_assert_cmpstr (_reins_window_get_page (window), ==, "runs");
  g_assert_cmpstr (reins_run_get_id (reins_run_view_get_run (_reins_window_get_run_view (window))),
                   ==, added_id);
  /* …and now there is. */
  while (g_main_context_iteration (NULL, FALSE));
  g_assert_true (gtk_widget_get_sensitive (export_probe));
  g_assert_true (gtk_widget_get_sensitive (fork_probe));
  gtk_widget_unparent (export_probe);
  gtk_widget_unparent (fork_probe);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
assert_error_page (const char *path)
{
  ReinsWindow *window = g_object_ref_sink (reins_window_new (NULL, path));
  const char *text;

  gtk_window_present (GTK_WINDOW (window));
  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpstr (_reins_window_get_page (window), ==, "error");
  text = _reins_window_get_error_text (window);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, path));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_window_corrupt (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *garbage = g_malloc (64 * 1024);

  for (guint i = 0; i < 64 * 1024; i++)
    garbage[i] = (char) (i * 7 + 13);
  g_file_set_contents (f->path, garbage, 64 * 1024, &error);
  g_assert_no_error (error);

  assert_error_page (f->path);
}

static void
test_window_foreign (Fixture       *f,
                     gconstpointer  data)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE recipes (name TEXT); "
                                     "PRAGMA user_version = 7;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  assert_error_page (f->path);
}

static void
test_format_excerpt (void)
{
  g_autofree char *big = NULL;
  g_autofree char *excerpt = NULL;
  gboolean truncated = TRUE;
  GString *wide;

  excerpt = reins_format_excerpt ("short", 10, &truncated);
  g_assert_cmpstr (excerpt, ==, "short");
  g_assert_false (truncated);
  g_clear_pointer (&excerpt, g_free);

  excerpt = reins_format_excerpt ("exactly10!", 10, &truncated);
  g_assert_cmpstr (excerpt, ==, "exactly10!");
  g_assert_false (truncated);
  g_clear_pointer (&excerpt, g_free);

  excerpt = reins_format_excerpt ("eleven char", 10, &truncated);
  g_assert_cmpstr (excerpt, ==, "eleven cha…");
  g_assert_true (truncated);
  g_clear_pointer (&excerpt, g_free);

  excerpt = reins_format_excerpt (NULL, 10, &truncated);
  g_assert_cmpstr (excerpt, ==, "");
  g_assert_false (truncated);
  g_clear_pointer (&excerpt, g_free);

  /* Invalid bytes become U+FFFD; nothing invalid reaches a label. */
  excerpt = reins_format_excerpt ("a\xff" "b", 10, &truncated);
  g_assert_cmpstr (excerpt, ==, "a\xef\xbf\xbd" "b");
  g_assert_false (truncated);
  g_clear_pointer (&excerpt, g_free);

  /* Four-byte characters are cut whole. */
  wide = g_string_new (NULL);
  for (guint i = 0; i < 50; i++)
    g_string_append (wide, "\xf0\x9f\x90\xb4");
  excerpt = reins_format_excerpt (wide->str, 7, &truncated);
  g_assert_true (truncated);
  g_assert_true (g_utf8_validate (excerpt, -1, NULL));
  g_assert_cmpint (g_utf8_strlen (excerpt, -1), ==, 8);
  g_assert_null (strstr (excerpt, "\xef\xbf\xbd"));
  g_string_free (wide, TRUE);
  g_clear_pointer (&excerpt, g_free);

  big = make_big_observation ();
  excerpt = reins_format_excerpt (big, REINS_FORMAT_EXCERPT_CHARS, &truncated);
  g_assert_true (truncated);
  g_assert_cmpint (g_utf8_strlen (excerpt, -1), ==, REINS_FORMAT_EXCERPT_CHARS + 1);
}

static void
test_format_values (void)
{
  gint64 now = G_GINT64_CONSTANT (1764064800) * G_USEC_PER_SEC;
  g_autofree char *just_now = reins_format_relative_time (now - 10 * G_USEC_PER_SEC, now);
  g_autofree char *future = reins_format_relative_time (now + G_TIME_SPAN_HOUR, now);
  g_autofree char *minutes = reins_format_relative_time (now - 5 * G_TIME_SPAN_MINUTE, now);
  g_autofree char *hour = reins_format_relative_time (now - G_TIME_SPAN_HOUR, now);
  g_autofree char *unknown = reins_format_relative_time (0, now);
  g_autofree char *old = reins_format_relative_time (now - 400 * G_TIME_SPAN_DAY, now);
  g_autofree char *free_cost = reins_format_cost (0.0);
  g_autofree char *small_cost = reins_format_cost (0.0021);
  g_autofree char *cost = reins_format_cost (1.5);
  g_autofree char *tokens = reins_format_tokens (812, 57);
  g_autofree char *ms = reins_format_duration (250);
  g_autofree char *secs = reins_format_duration (1840);

  g_assert_cmpstr (just_now, ==, "Just now");
  g_assert_cmpstr (future, ==, "Just now");
  g_assert_cmpstr (minutes, ==, "5 minutes ago");
  g_assert_cmpstr (hour, ==, "1 hour ago");
  g_assert_cmpstr (unknown, ==, "Unknown time");
  g_assert_nonnull (strstr (old, "2024"));
  g_assert_cmpstr (free_cost, ==, "Free");
  g_assert_cmpstr (small_cost, ==, "$0.0021");
  g_assert_cmpstr (cost, ==, "$1.50");
  g_assert_cmpstr (tokens, ==, "812 in / 57 out tokens");
  g_assert_cmpstr (ms, ==, "250 ms");
  g_assert_cmpstr (secs, ==, "1.8 s");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    RESOURCE_PREFIX "/icons");

  g_test_add_func ("/reins/gui/format/excerpt", test_format_excerpt);
  g_test_add_func ("/reins/gui/format/values", test_format_values);
  g_test_add_func ("/reins/gui/text-window/long-line", test_text_window_long_line);
  g_test_add ("/reins/gui/window/history", Fixture, NULL,
              fixture_set_up, test_window_history, fixture_tear_down);
  g_test_add ("/reins/gui/window/empty", Fixture, NULL,
              fixture_set_up, test_window_empty, fixture_tear_down);
  g_test_add ("/reins/gui/window/corrupt", Fixture, NULL,
              fixture_set_up, test_window_corrupt, fixture_tear_down);
  g_test_add ("/reins/gui/window/foreign", Fixture, NULL,
              fixture_set_up, test_window_foreign, fixture_tear_down);

  return g_test_run ();
}
