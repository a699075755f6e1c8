/* test-import-window.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Import… in the window: trace files dropped on the window are imported on a worker thread,
 * the runs appear in the history, and a toast counts what was imported, what was already
 * stored and what failed, with the first error; a malformed file imports nothing.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "reins-import-files.h"
#include "reins-judge-dialog.h"
#include "reins-otlp-live.h"
#include "reins-test-server.h"
#include "reins-test-util.h"
#include "reins-window-private.h"

typedef struct
{
  char        *dir;
  char        *db;
  ReinsWindow *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("reins-import-window-XXXXXX", NULL);
  f->db = g_build_filename (f->dir, "runs.db", NULL);
  f->window = g_object_ref_sink (reins_window_new (NULL, f->db));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 700);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_finalize_object (f->window);
  reins_test_remove_tree (f->dir);
  g_free (f->db);
  g_free (f->dir);
}

static gboolean
history_loaded (gpointer data)
{
  return _reins_window_get_page (data) != NULL &&
         !reins_history_get_loading (_reins_window_get_history (data));
}

/* The labels of the window that say @needle, for the toasts. */
static void
collect_labels (GtkWidget  *widget,
                const char *needle,
                GPtrArray  *found)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), needle))
    g_ptr_array_add (found, (gpointer) gtk_label_get_label (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, needle, found);
}

typedef struct
{
  ReinsWindow *window;
  const char  *prefix;
  char        *text;
} ToastWait;

static gboolean
toast_shown (gpointer data)
{
  ToastWait *wait = data;
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect_labels (GTK_WIDGET (wait->window), wait->prefix, found);
  for (guint i = 0; i < found->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (found, i), wait->prefix))
      {
        wait->text = g_strdup (g_ptr_array_index (found, i));
        return TRUE;
      }
  return FALSE;
}

/* Waits for a toast that starts with @prefix, and returns its text. */
static char *
wait_for_toast (ReinsWindow *window,
                const char  *prefix)
{
  ToastWait wait = { window, prefix, NULL };

  reins_test_wait_until (toast_shown, &wait, prefix);
  return wait.text;
}

/* Drops @names (fixtures, or paths) on the window, as a file manager does. */
static void
drop_files (ReinsWindow        *window,
            const char * const *paths)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  GtkDropTarget *target = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);

  for (guint i = 0; paths[i] != NULL; i++)
    g_ptr_array_add (files, g_file_new_for_path (paths[i]));
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_array ((GFile **) files->pdata, files->len));
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_assert_true (accepted);
}

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "traces", name, NULL);
}

static void
test_drop (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *openai = fixture_path ("openai.jsonl");
  g_autofree char *anthropic = fixture_path ("anthropic.json");
  g_autofree char *otlp = fixture_path ("otlp-agent.json");
  ReinsHistory *history = _reins_window_get_history (f->window);
  ReinsStore *store;
  guint n_runs;
  char *text;

  reins_test_wait_until (history_loaded, f->window, "the empty store");
  g_assert_cmpstr (_reins_window_get_page (f->window), ==, "empty");

  drop_files (f->window, (const char *[]) { openai, anthropic, otlp, NULL });
  text = wait_for_toast (f->window, "4 runs imported");
  g_assert_cmpstr (text, ==, "4 runs imported");
  g_free (text);
  /* The runs are in the history without a reload, and the window shows them. */
  g_assert_cmpuint (reins_history_get_n_runs (history), ==, 4);
  g_assert_cmpstr (_reins_window_get_page (f->window), ==, "runs");
  store = reins_history_get_store (history);
  g_assert_cmpuint (reins_store_count_runs (store, -1, NULL), ==, 4);

  /* The same file again is recognised, and nothing is stored twice. */
  drop_files (f->window, (const char *[]) { openai, NULL });
  text = wait_for_toast (f->window, "0 runs imported");
  g_assert_cmpstr (text, ==, "0 runs imported, 2 already stored");
  g_free (text);
  g_assert_cmpuint (reins_history_get_n_runs (history), ==, 4);
  g_assert_cmpuint (reins_store_count_runs (store, -1, NULL), ==, 4);

  /* The history agrees with the store when read again. */
  n_runs = reins_history_get_n_runs (history);
  reins_history_reload (history);
  reins_test_wait_until (history_loaded, f->window, "the history read again");
  g_assert_cmpuint (reins_history_get_n_runs (history), ==, n_runs);
}

static void
test_malformed (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *bad = g_build_filename (f->dir, "broken.json", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing.jsonl", NULL);
  g_autofree char *anthropic = fixture_path ("anthropic.json");
  ReinsHistory *history = _reins_window_get_history (f->window);
  g_autofree char *expected = NULL;
  char *text;

  /* A conversation cut off in its second line. */
  g_assert_true (g_file_set_contents (bad, "{\"messages\": [\n  {\"role\": \"user\", \"content\": \"hi\"},\n",
                                      -1, NULL));
  reins_test_wait_until (history_loaded, f->window, "the empty store");

  drop_files (f->window, (const char *[]) { bad, NULL });
  text = wait_for_toast (f->window, "0 runs imported");
  /* Nothing imported, and the message names the file and where it broke. */
  expected = g_strdup_printf ("0 runs imported, 1 file failed: %s:3:", bad);
  g_assert_true (g_str_has_prefix (text, expected));
  g_free (text);
  g_assert_cmpuint (reins_history_get_n_runs (history), ==, 0);
  g_assert_cmpuint (reins_store_count_runs (reins_history_get_store (history), -1, NULL), ==, 0);
  g_assert_cmpstr (_reins_window_get_page (f->window), ==, "empty");

  /* A bad file among good ones: the good ones are imported, the first error is told. */
  drop_files (f->window, (const char *[]) { missing, anthropic, bad, NULL });
  text = wait_for_toast (f->window, "1 run imported");
  g_assert_true (g_str_has_prefix (text, "1 run imported, 2 files failed, the first: "));
  g_assert_nonnull (strstr (text, "missing.jsonl"));
  g_free (text);
  g_assert_cmpuint (reins_history_get_n_runs (history), ==, 1);
}

static void
test_describe (void)
{
  ReinsImportFilesResult result = { 1, 0, 0, NULL };
  g_autofree char *one = reins_import_files_describe (&result);
  g_autofree char *many = NULL;

  g_assert_cmpstr (one, ==, "1 run imported");
  result = (ReinsImportFilesResult) { 0, 3, 1, (char *) "a.json:1:2: bad" };
  many = reins_import_files_describe (&result);
  g_assert_cmpstr (many, ==, "0 runs imported, 3 already stored, 1 file failed: a.json:1:2: bad");
}

static GtkWidget *
find_action_button (GtkWidget  *widget,
                    const char *action)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_menu (Fixture       *f,
           gconstpointer  data)
{
  GtkWidget *button;
  GtkWidget *probe = gtk_button_new ();

  /* The menu's item follows the action: there is a store to import into. */
  reins_test_wait_until (history_loaded, f->window, "the empty store");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (probe), "win.import");
  gtk_widget_set_parent (probe, GTK_WIDGET (_reins_window_get_history (f->window)));
  while (g_main_context_iteration (NULL, FALSE));
  g_assert_true (gtk_widget_get_sensitive (probe));
  gtk_widget_unparent (probe);

  /* The empty store offers it beside New Run. */
  g_assert_cmpstr (_reins_window_get_page (f->window), ==, "empty");
  button = find_action_button (GTK_WIDGET (f->window), "win.import");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
}

static void
test_no_store (void)
{
  g_autofree char *dir = g_dir_make_tmp ("reins-import-window-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "not-a-store.db", NULL);
  g_autofree char *anthropic = fixture_path ("anthropic.json");
  ReinsWindow *window;
  GtkWidget *probe = gtk_button_new ();

  /* A file that is no store: the error page, and no import into it. */
  g_assert_true (g_file_set_contents (db, "not sqlite at all, but long enough to be read "
                                      "as a header of a database file, which it is not.",
                                      -1, NULL));
  window = g_object_ref_sink (reins_window_new (NULL, db));
  gtk_window_present (GTK_WINDOW (window));
  while (_reins_window_get_page (window) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (_reins_window_get_page (window), ==, "error");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (probe), "win.import");
  gtk_widget_set_parent (probe, GTK_WIDGET (_reins_window_get_history (window)));
  while (g_main_context_iteration (NULL, FALSE));
  g_assert_false (gtk_widget_get_sensitive (probe));
  gtk_widget_unparent (probe);

  {
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
    g_autoptr(GFile) file = g_file_new_for_path (anthropic);
    g_auto(GValue) value = G_VALUE_INIT;
    gboolean accepted = TRUE;

    g_value_init (&value, GDK_TYPE_FILE_LIST);
    g_value_take_boxed (&value, gdk_file_list_new_from_array (&file, 1));
    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_DROP_TARGET (controller))
          g_signal_emit_by_name (controller, "drop", &value, 1.0, 1.0, &accepted);
      }
    g_assert_false (accepted);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  reins_test_remove_tree (dir);
}

static gboolean
judged (gpointer data)
{
  return !reins_judge_dialog_get_busy (data) &&
         (_reins_judge_dialog_get_report (data) != NULL || _reins_judge_dialog_get_error (data) != NULL);
}

static JsonObject *
judge (ReinsJudgeDialog *dialog,
       ReinsJudgeScope   scope,
       const char       *label)
{
  JsonNode *before = _reins_judge_dialog_get_report (dialog);

  reins_judge_dialog_set_scope (dialog, scope);
  reins_judge_dialog_set_label (dialog, label);
  reins_judge_dialog_judge (dialog);
  g_assert_true (reins_judge_dialog_get_busy (dialog));
  reins_test_wait_until (judged, dialog, "the judge's report");
  g_assert_null (_reins_judge_dialog_get_error (dialog));
  g_assert_true (_reins_judge_dialog_get_report (dialog) != before);
  return json_node_get_object (_reins_judge_dialog_get_report (dialog));
}

static gboolean
has_row (GtkWidget  *widget,
         const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_row (child, title))
      return TRUE;
  return FALSE;
}

static GtkWidget *
find_stopped_row (GtkWidget *widget)
{
  if (ADW_IS_ACTION_ROW (widget) && g_object_get_data (G_OBJECT (widget), "run-id") != NULL)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_stopped_row (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static ReinsJudgeDialog *
find_judge_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (REINS_IS_JUDGE_DIALOG (window))
        return REINS_JUDGE_DIALOG (window);
    }
  return NULL;
}

static void
test_judge (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *openai = fixture_path ("openai.jsonl");
  g_autofree char *anthropic = fixture_path ("anthropic.json");
  g_autofree char *otlp = fixture_path ("otlp-agent.json");
  g_autofree char *text = NULL;
  ReinsJudgeDialog *dialog;
  JsonObject *report;
  JsonObject *outcome;
  JsonArray *stopped;
  GtkWidget *row;

  reins_test_wait_until (history_loaded, f->window, "the empty store");
  drop_files (f->window, (const char *[]) { openai, anthropic, otlp, NULL });
  text = wait_for_toast (f->window, "4 runs imported");

  /* From the window's menu. */
  g_assert_null (find_judge_dialog ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.judge", NULL));
  dialog = find_judge_dialog ();
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);

  /* The runs the history lists: all four; three carry an outcome. */
  report = judge (dialog, REINS_JUDGE_SCOPE_LISTED, NULL);
  g_assert_cmpint (json_object_get_int_member (report, "runs"), ==, 4);
  outcome = json_object_get_object_member (report, "outcome");
  g_assert_nonnull (outcome);
  g_assert_cmpint (json_object_get_int_member (outcome, "labelled_runs"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (outcome, "failed_runs"), ==, 2);
  g_assert_true (has_row (GTK_WIDGET (dialog), "Precision"));
  g_assert_true (has_row (GTK_WIDGET (dialog), "Flagged runs"));

  /* A label narrows the runs; a label no run has leaves none, and no outcome rows. */
  report = judge (dialog, REINS_JUDGE_SCOPE_IMPORTED, "task_id=weather-1");
  g_assert_cmpint (json_object_get_int_member (report, "runs"), ==, 1);
  report = judge (dialog, REINS_JUDGE_SCOPE_ALL, "no-such-label");
  g_assert_cmpint (json_object_get_int_member (report, "runs"), ==, 0);
  g_assert_true (json_node_is_null (json_object_get_member (report, "outcome")));
  g_assert_false (has_row (GTK_WIDGET (dialog), "Precision"));
  g_assert_true (has_row (GTK_WIDGET (dialog), "No guard found anything"));

  /* The same report as reins-cli judge --all --json. */
  report = judge (dialog, REINS_JUDGE_SCOPE_IMPORTED, NULL);
  g_assert_cmpint (json_object_get_int_member (report, "runs"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (report, "steps"), ==, 11);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report, "stopped")), ==, 0);
  g_assert_null (find_stopped_row (GTK_WIDGET (dialog)));

  /* Under other settings: at most two steps stops the longer runs… */
  reins_judge_dialog_set_settings (dialog, TRUE, 0.7, 2);
  report = judge (dialog, REINS_JUDGE_SCOPE_IMPORTED, NULL);
  stopped = json_object_get_array_member (report, "stopped");
  g_assert_cmpuint (json_array_get_length (stopped), >, 0);
  g_assert_cmpint (json_object_get_int_member (report, "flagged_runs"), >=,
                   json_array_get_length (stopped));
  /* …and a stopped run's row opens it in the history. */
  row = find_stopped_row (GTK_WIDGET (dialog));
  g_assert_nonnull (row);
  g_signal_emit_by_name (row, "activated");
  g_assert_cmpstr (reins_run_get_id (reins_history_get_selected_run (_reins_window_get_history (f->window))),
                   ==, g_object_get_data (G_OBJECT (row), "run-id"));

  /* Back to each run's own settings: nothing stopped. */
  reins_judge_dialog_set_settings (dialog, FALSE, 0.7, 2);
  report = judge (dialog, REINS_JUDGE_SCOPE_IMPORTED, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report, "stopped")), ==, 0);

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_null (dialog);
}

static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label (child, text))
      return TRUE;
  return FALSE;
}

/* The judge's counts in German take the plural the count asks for: one run is "1 Lauf",
 * four are "4 Läufe", and neither is the other. */
static void
test_judge_german (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *localedir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_autofree char *catalogue = g_build_filename (localedir, "de", "LC_MESSAGES",
                                                 GETTEXT_PACKAGE ".mo", NULL);
  g_autofree char *openai = fixture_path ("openai.jsonl");
  g_autofree char *anthropic = fixture_path ("anthropic.json");
  g_autofree char *otlp = fixture_path ("otlp-agent.json");
  g_autofree char *text = NULL;
  g_autofree char *old_locale = NULL;
  g_autofree char *one_run = NULL;
  ReinsJudgeDialog *dialog;
  JsonObject *report;

  if (!g_file_test (catalogue, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the German catalogue is not built");
      return;
    }
  old_locale = g_strdup (setlocale (LC_ALL, NULL));
  if (setlocale (LC_ALL, "C.UTF-8") == NULL)
    {
      g_test_skip ("no C.UTF-8 locale");
      return;
    }
  reins_test_wait_until (history_loaded, f->window, "the empty store");
  drop_files (f->window, (const char *[]) { openai, anthropic, otlp, NULL });
  text = wait_for_toast (f->window, "4 runs imported");

  g_setenv ("LANGUAGE", "de", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.judge", NULL));
  dialog = find_judge_dialog ();
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);

  report = judge (dialog, REINS_JUDGE_SCOPE_IMPORTED, NULL);
  g_assert_cmpint (json_object_get_int_member (report, "runs"), ==, 4);
  g_assert_true (has_label (GTK_WIDGET (dialog), "4 Läufe, 11 Schritte"));
  g_assert_false (has_label (GTK_WIDGET (dialog), "4 runs, 11 steps"));

  report = judge (dialog, REINS_JUDGE_SCOPE_IMPORTED, "task_id=weather-1");
  g_assert_cmpint (json_object_get_int_member (report, "runs"), ==, 1);
  one_run = g_strdup_printf ("1 Lauf, %u Schritte",
                             (guint) json_object_get_int_member (report, "steps"));
  g_assert_cmpint (json_object_get_int_member (report, "steps"), >, 1);
  g_assert_true (has_label (GTK_WIDGET (dialog), one_run));
  g_assert_false (has_label (GTK_WIDGET (dialog), "4 Läufe, 11 Schritte"));

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_null (dialog);

  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, old_locale);
  textdomain (GETTEXT_PACKAGE);
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%u run, %s", "%u runs, %s", 1), ==, "%u run, %s");
}

typedef struct
{
  GMutex     lock;
  GPtrArray *bodies;
  GPtrArray *teams;
} Collector;

static void
collector_handler (const char     *path,
                   const char     *body,
                   guint           index,
                   ReinsTestReply *reply,
                   gpointer        user_data)
{
  Collector *c = user_data;

  g_mutex_lock (&c->lock);
  g_ptr_array_add (c->bodies, g_strdup (body));
  g_ptr_array_add (c->teams, g_strdup (reins_test_reply_get_header (reply, "X-Team")));
  g_mutex_unlock (&c->lock);
  reins_test_reply_add (reply, 0, "{}", -1);
}

static gboolean
run_span_received (gpointer data)
{
  Collector *c = data;
  gboolean found = FALSE;

  g_mutex_lock (&c->lock);
  for (guint i = 0; i < c->bodies->len && !found; i++)
    found = strstr (g_ptr_array_index (c->bodies, i), "\"invoke_agent reins\"") != NULL;
  g_mutex_unlock (&c->lock);
  return found;
}

static gboolean
no_live_run (gpointer data)
{
  return _reins_window_get_n_live_runs (data) == 0;
}

/* A run started in the window sends its spans to the collector of the preferences. */
static void
test_otlp_live (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(ReinsTestServer) server = NULL;
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("sim");
  g_autoptr(ReinsRun) run = reins_run_new ("What is the value of key k1 in the notes?");
  g_autoptr(ReinsRun) quiet = reins_run_new ("What is the value of key k2 in the notes?");
  Collector c = { 0 };
  guint n;

  g_mutex_init (&c.lock);
  c.bodies = g_ptr_array_new_with_free_func (g_free);
  c.teams = g_ptr_array_new_with_free_func (g_free);
  server = reins_test_server_new (collector_handler, &c);
  reins_test_wait_until (history_loaded, f->window, "the empty store");

  g_settings_set_string (settings, "otlp-endpoint", reins_test_server_get_url (server));
  g_settings_set_string (settings, "otlp-headers", "X-Team=green");
  reins_run_set_provider (run, "sim");
  reins_window_start_run (f->window, run, config);
  reins_test_wait_until (run_span_received, &c, "the run's span at the collector");
  reins_test_wait_until (no_live_run, f->window, "the run's end");
  g_mutex_lock (&c.lock);
  n = c.bodies->len;
  g_assert_cmpuint (n, >=, 2);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (g_ptr_array_index (c.teams, i), ==, "green");
  g_mutex_unlock (&c.lock);

  /* Without a collector in the preferences, nothing is sent. */
  g_settings_reset (settings, "otlp-endpoint");
  g_settings_reset (settings, "otlp-headers");
  reins_run_set_provider (quiet, "sim");
  reins_window_start_run (f->window, quiet, config);
  reins_test_wait_until (no_live_run, f->window, "the second run's end");
  reins_otlp_live_shutdown (1000);
  g_mutex_lock (&c.lock);
  g_assert_cmpuint (c.bodies->len, ==, n);
  g_mutex_unlock (&c.lock);

  g_clear_pointer (&server, reins_test_server_free);
  g_ptr_array_unref (c.bodies);
  g_ptr_array_unref (c.teams);
  g_mutex_clear (&c.lock);
}

/* The preferences' group sets the keys the window exports by. */
static void
test_otlp_preferences (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *group = reins_otlp_live_preferences_group (settings);
  GtkWidget *endpoint = NULL;
  GtkWidget *key = NULL;

  gtk_window_set_child (GTK_WINDOW (window), group);
  gtk_window_present (GTK_WINDOW (window));
  for (GtkWidget *w = group; w != NULL; )
    {
      /* Depth first through the group's rows, by their names. */
      if (g_strcmp0 (gtk_widget_get_name (w), "otlp-endpoint") == 0)
        endpoint = w;
      if (g_strcmp0 (gtk_widget_get_name (w), "otlp-key") == 0)
        key = w;
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && w != group && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = w != NULL && w != group ? gtk_widget_get_next_sibling (w) : NULL;
        }
    }
  g_assert_nonnull (endpoint);
  g_assert_nonnull (key);
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (key));

  gtk_editable_set_text (GTK_EDITABLE (endpoint), "http://collector:4318");
  {
    g_autofree char *value = g_settings_get_string (settings, "otlp-endpoint");

    g_assert_cmpstr (value, ==, "http://collector:4318");
  }
  g_settings_reset (settings, "otlp-endpoint");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/reins/import-window/describe", test_describe);
  g_test_add ("/reins/import-window/drop", Fixture, NULL, fixture_set_up, test_drop,
              fixture_tear_down);
  g_test_add ("/reins/import-window/malformed", Fixture, NULL, fixture_set_up, test_malformed,
              fixture_tear_down);
  g_test_add ("/reins/import-window/menu", Fixture, NULL, fixture_set_up, test_menu,
              fixture_tear_down);
  g_test_add_func ("/reins/import-window/no-store", test_no_store);
  g_test_add ("/reins/import-window/judge", Fixture, NULL, fixture_set_up, test_judge,
              fixture_tear_down);
  g_test_add ("/reins/import-window/judge-german", Fixture, NULL, fixture_set_up,
              test_judge_german, fixture_tear_down);
  g_test_add ("/reins/import-window/otlp-live", Fixture, NULL, fixture_set_up, test_otlp_live,
              fixture_tear_down);
  g_test_add_func ("/reins/import-window/otlp-preferences", test_otlp_preferences);

  return g_test_run ();
}
