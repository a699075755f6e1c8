/* test-live-run.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Live runs in the window, driven through its actions (runs under Xvfb): a demo run, the
 * approval dialog's answers, pause / step / resume, and a long run that must not stall the
 * main loop.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "reins-approval-dialog.h"
#include "reins-decision-row.h"
#include "reins-history-row.h"
#include "reins-kb.h"
#include "reins-new-run-dialog.h"
#include "reins-run-header.h"
#include "reins-chart.h"
#include "reins-timeline.h"
#include "reins-run-view-private.h"
#include "reins-step-row-private.h"
#include "reins-store.h"
#include "reins-test-rows.h"
#include "reins-test-util.h"
#include "reins-window-private.h"

typedef struct
{
  char        *dir;
  char        *path;
  char        *workspace;
  ReinsWindow *window;
} Fixture;

/* How long a wait may take before it counts as a hang. Under AddressSanitizer (slow
 * unwinding on every allocation) the 2,001-step run alone takes about 110 s of a loaded
 * 2-core machine. */
#ifdef __SANITIZE_ADDRESS__
#define WAIT_LIMIT_S 300
#else
#define WAIT_LIMIT_S 120
#endif

static void
wait_until (gboolean   (*cond) (gpointer data),
            gpointer     data,
            const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_S * G_USEC_PER_SEC;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

static gboolean
window_loaded (gpointer data)
{
  Fixture *f = data;

  return !reins_history_get_loading (_reins_window_get_history (f->window)) &&
         !reins_run_view_get_loading (_reins_window_get_run_view (f->window));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("reins-test-live-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "runs.db", NULL);
  f->workspace = g_build_filename (f->dir, "workspace", NULL);
  g_assert_cmpint (g_mkdir (f->workspace, 0700), ==, 0);

  /* These tests put questions with low confidence on read-only lookups. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

    g_settings_set_boolean (settings, "confidence-ask-reads", TRUE);
  }

  f->window = g_object_ref_sink (reins_window_new (NULL, f->path));
  gtk_window_present (GTK_WINDOW (f->window));
  wait_until (window_loaded, f, "the window");
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* No run goes on, and the timeline shows all the last one did. */
static gboolean
no_live_runs (gpointer data)
{
  Fixture *f = data;

  return _reins_window_get_n_live_runs (f->window) == 0 &&
         _reins_run_view_get_caught_up (_reins_window_get_run_view (f->window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  /* A run still going is stopped by the window; wait for it to end before it goes. */
  wait_until (no_live_runs, f, "the runs to end");
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_finalize_object (f->window);

  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->workspace);
}

/* The response objects of a scripted chain of @length lookups and a finish. */
static char *
chain_script (guint seed,
              guint length,
              guint low_confidence_step,
              guint delay_ms)
{
  GString *script = g_string_new ("{\"responses\": [");
  g_autofree char *value = reins_kb_value (seed, length);

  for (guint i = 0; i < length; i++)
    {
      g_autofree char *key = reins_kb_key (seed, length, i);

      g_string_append_printf (script,
                              "{\"text\": \"Look up %s.\", \"tool_calls\": [{\"name\": \"kb_lookup\","
                              " \"arguments\": {\"key\": \"%s\"}}],"
                              " \"logprobs\": [{\"token\": \"Look\", \"logprob\": %s}],"
                              " \"delay_ms\": %u},",
                              key, key, i + 1 == low_confidence_step ? "-1.5" : "-0.01", delay_ms);
    }
  g_string_append_printf (script,
                          "{\"text\": \"The value is %s.\", \"tool_calls\": [{\"name\": \"finish\","
                          " \"arguments\": {\"answer\": \"%s\"}}],"
                          " \"logprobs\": [{\"token\": \"The\", \"logprob\": -0.01}]}]}",
                          value, value);
  return g_string_free (script, FALSE);
}

static char *
write_script (Fixture    *f,
              const char *script)
{
  char *path = g_build_filename (f->dir, "script.json", NULL);

  g_assert_true (g_file_set_contents (path, script, -1, NULL));
  return path;
}

/* Opens New Run through its action; the caller fills it and starts it. */
static ReinsNewRunDialog *
open_new_run (Fixture *f)
{
  ReinsNewRunDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-run", NULL));
  dialog = REINS_NEW_RUN_DIALOG (_reins_window_get_new_run_dialog (f->window));
  g_assert_nonnull (dialog);
  /* The task field has the focus, so a person can type the task at once; Tab leaves it
   * (a task needs no tab character) rather than typing one (issue 13, keyboard only). */
  g_assert_true (GTK_IS_TEXT_VIEW (gtk_window_get_focus (GTK_WINDOW (dialog))));
  g_assert_false (gtk_text_view_get_accepts_tab (GTK_TEXT_VIEW (gtk_window_get_focus (
                    GTK_WINDOW (dialog)))));
  _reins_new_run_dialog_set_workspace (dialog, f->workspace);
  return dialog;
}

static ReinsExecutor *
start (Fixture           *f,
       ReinsNewRunDialog *dialog)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "new-run.start", NULL));
  /* Started: the dialog is gone and the run is shown live. */
  g_assert_null (_reins_window_get_new_run_dialog (f->window));
  g_assert_cmpuint (_reins_window_get_n_live_runs (f->window), ==, 1);
  return reins_run_view_get_executor (_reins_window_get_run_view (f->window));
}

static ReinsExecutor *
start_scripted (Fixture    *f,
                const char *script,
                guint       max_steps)
{
  g_autofree char *path = write_script (f, script);
  ReinsNewRunDialog *dialog = open_new_run (f);

  _reins_new_run_dialog_set_provider (dialog, "scripted");
  _reins_new_run_dialog_set_script (dialog, path);
  _reins_new_run_dialog_set_task (dialog, "Follow the chain.");
  if (max_steps > 0)
    _reins_new_run_dialog_set_max_steps (dialog, max_steps);
  return start (f, dialog);
}

static ReinsRun *
stored_run (Fixture    *f,
            const char *run_id,
            GPtrArray **steps)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = reins_store_open (f->path, &error);
  ReinsRun *run;

  g_assert_no_error (error);
  run = reins_store_get_run (store, run_id, &error);
  g_assert_no_error (error);
  if (steps != NULL)
    {
      *steps = reins_store_get_steps (store, run_id, 1, 0, &error);
      g_assert_no_error (error);
    }
  return run;
}

static gboolean
dialog_shown (gpointer data)
{
  Fixture *f = data;

  return _reins_window_get_approval_dialog (f->window) != NULL;
}

static gboolean
bar_shown (gpointer data)
{
  Fixture *f = data;

  return _reins_run_view_get_approval_bar_shown (_reins_window_get_run_view (f->window));
}

/* The question is put to the person: a dialog when the window is in front, else the bar. */
static ReinsApprovalDialog *
wait_for_question (Fixture *f)
{
  wait_until (bar_shown, f, "the harness to ask");
  if (_reins_window_get_approval_dialog (f->window) == NULL)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-approval", NULL));
  wait_until (dialog_shown, f, "the approval dialog");
  return REINS_APPROVAL_DIALOG (_reins_window_get_approval_dialog (f->window));
}

/* The simulator's confidence may still dip below the threshold: say yes when asked. */
static gboolean
demo_done (gpointer data)
{
  Fixture *f = data;
  GtkWidget *dialog = _reins_window_get_approval_dialog (f->window);

  /* A window not in front (Xvfb has no window manager to keep it there) gets a notification
   * and the bar rather than the dialog: open the dialog from the bar, as a person would. */
  if (dialog == NULL && bar_shown (f) &&
      gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-approval", NULL))
    dialog = _reins_window_get_approval_dialog (f->window);

  if (dialog != NULL)
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "approve");
  return no_live_runs (f);
}

/* A demo run of the simulator, started from New Run, completes with every step shown. */
static void
test_demo_run (Fixture       *f,
               gconstpointer  data)
{
  ReinsNewRunDialog *dialog;
  ReinsExecutor *executor;
  g_autoptr(ReinsRun) stored = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autofree char *run_id = NULL;
  GListModel *model;
  ReinsHistory *history;

  g_assert_cmpstr (_reins_window_get_page (f->window), ==, "empty");

  dialog = open_new_run (f);
  /* Without a task nothing starts. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "new-run.start", NULL));
  g_assert_cmpuint (_reins_window_get_n_live_runs (f->window), ==, 0);

  reins_new_run_dialog_use_demo (dialog, 4);
  g_assert_cmpstr (reins_new_run_dialog_get_provider (dialog), ==, "sim");
  /* "Make Mistakes" on lets the simulator err; off, it makes none (issue 13). */
  {
    g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("sim");
    g_autoptr(ReinsRun) built = NULL;
    g_autoptr(GError) error = NULL;

    _reins_new_run_dialog_set_mistakes (dialog, TRUE);
    built = reins_new_run_dialog_build (dialog, config, &error);
    g_assert_no_error (error);
    g_assert_cmpfloat (config->sim_accuracy, <, 1.0);
  }
  _reins_new_run_dialog_set_mistakes (dialog, FALSE);
  executor = start (f, dialog);
  g_assert_nonnull (executor);
  run_id = g_strdup (reins_run_get_id (reins_executor_get_run (executor)));

  /* The run is in the history at once, first and selected. */
  g_assert_cmpstr (_reins_window_get_page (f->window), ==, "runs");
  history = _reins_window_get_history (f->window);
  g_assert_cmpstr (reins_run_get_id (reins_history_get_selected_run (history)), ==, run_id);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (f->window)));

  wait_until (demo_done, f, "the demo run");

  stored = stored_run (f, run_id, &steps);
  g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_cmpuint (steps->len, >=, 5);
  g_assert_cmpfloat (json_object_get_double_member (reins_run_get_settings (stored),
                                                    "sim_accuracy"), ==, 1.0);
  /* Nothing the simulator did went wrong: every lookup found its key, and the answer is the
   * chain's value. */
  {
    guint seed = 0, length = 0;
    g_autofree char *value = NULL;

    g_assert_true (reins_kb_parse_task (reins_run_get_task (stored), &seed, &length));
    value = reins_kb_value (seed, length);
    g_assert_nonnull (strstr (reins_run_get_final_answer (stored), value));
    for (guint i = 0; i < steps->len; i++)
      g_assert_false (reins_step_get_tool_error (g_ptr_array_index (steps, i)));
  }

  model = reins_run_view_get_steps (_reins_window_get_run_view (f->window));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, steps->len);
  for (guint i = 0; i < steps->len; i++)
    {
      g_autoptr(ReinsStep) shown = g_list_model_get_item (model, i);
      ReinsStep *step = g_ptr_array_index (steps, i);

      g_assert_cmpuint (reins_step_get_index (shown), ==, i + 1);
      g_assert_cmpstr (reins_step_get_thought (shown), ==, reins_step_get_thought (step));
      g_assert_nonnull (reins_step_get_action (shown));
    }
  g_assert_false (_reins_run_view_has_live_step (_reins_window_get_run_view (f->window)));
  g_assert_cmpint (reins_run_get_status (reins_run_view_get_run (_reins_window_get_run_view (f->window))),
                   ==, REINS_RUN_STATUS_COMPLETED);

  /* The history row shows the run as it ended. */
  {
    g_autoptr(ReinsRun) first = g_list_model_get_item (reins_history_get_model (history), 0);

    g_assert_cmpstr (reins_run_get_id (first), ==, run_id);
    g_assert_cmpint (reins_run_get_status (first), ==, REINS_RUN_STATUS_COMPLETED);
  }

  /* The run actions are off once the run is over. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.stop", NULL) &&
                  _reins_window_get_n_live_runs (f->window) > 0);
}

static void
count_question_cb (ReinsExecutor *executor,
                   ReinsApproval *approval,
                   GPtrArray     *guards)
{
  g_ptr_array_add (guards,
                   g_strdup (reins_approval_record_get_guard (reins_approval_get_record (approval))));
}

/* One demo of 4 lookups with "Make Mistakes" on, from New Run; the guards of the questions
 * it put to the person. */
static GPtrArray *
demo_questions (Fixture *f,
                guint    seed)
{
  GPtrArray *guards = g_ptr_array_new_with_free_func (g_free);
  ReinsNewRunDialog *dialog = open_new_run (f);
  ReinsExecutor *executor;
  g_autoptr(ReinsRun) stored = NULL;
  g_autofree char *run_id = NULL;

  _reins_new_run_dialog_set_seed (dialog, seed);
  reins_new_run_dialog_use_demo (dialog, 4);
  _reins_new_run_dialog_set_mistakes (dialog, TRUE);
  executor = start (f, dialog);
  run_id = g_strdup (reins_run_get_id (reins_executor_get_run (executor)));
  g_signal_connect (executor, "approval-requested", G_CALLBACK (count_question_cb), guards);
  wait_until (demo_done, f, "the demo run");
  g_signal_handlers_disconnect_by_func (executor, count_question_cb, guards);

  stored = stored_run (f, run_id, NULL);
  g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_cmpfloat (json_object_get_double_member (reins_run_get_settings (stored),
                                                    "sim_accuracy"), <, 1.0);
  return guards;
}

/* What the README's quick start says of the demo: with "Make Mistakes" the simulator's reads
 * go wrong and low confidence shows, but a read asks nobody unless "Ask About
 * Low-Confidence Reads" is on, so a demo may end without a question; with it on, the same
 * demo asks, through the confidence guard. */
static void
test_demo_questions (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GPtrArray) quiet = NULL;
  g_autoptr(GPtrArray) asked = NULL;

  /* The preference as a new user has it (the fixture turns it on for the other tests) */
  g_settings_reset (settings, "confidence-ask-reads");
  g_assert_false (g_settings_get_boolean (settings, "confidence-ask-reads"));
  quiet = demo_questions (f, 1);
  g_assert_cmpuint (quiet->len, ==, 0);

  g_settings_set_boolean (settings, "confidence-ask-reads", TRUE);
  asked = demo_questions (f, 1);
  g_assert_cmpuint (asked->len, >, 0);
  for (guint i = 0; i < asked->len; i++)
    g_assert_cmpstr (g_ptr_array_index (asked, i), ==, "confidence");
}

typedef enum
{
  ANSWER_APPROVE,
  ANSWER_EDIT,
  ANSWER_REJECT,
  ANSWER_STOP,
  ANSWER_LATER,
  ANSWER_SEARCH_MORE,
  ANSWER_END_NOW,
} Answer;

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (REINS_IS_STEP_ROW (widget) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (rows, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

static gboolean
live_row_waiting (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (f->window), rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (_reins_step_row_get_usage_text (g_ptr_array_index (rows, i)),
                   "Waiting for you…") == 0)
      return TRUE;
  return FALSE;
}

static gboolean press (Fixture         *f,
                       guint            keyval,
                       GdkModifierType  modifiers);

/* The first shown widget of @type under @widget, depth first. */
static GtkWidget *
first_of_type (GtkWidget *widget,
               GType      type)
{
  if (!gtk_widget_get_visible (widget))
    return NULL;
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

typedef struct
{
  Fixture   *f;
  guint      index;
  GtkWidget *row;
} FindStep;

static gboolean
find_step_row (gpointer data)
{
  FindStep *find = data;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  find->row = NULL;
  collect_rows (GTK_WIDGET (find->f->window), rows);
  for (guint i = 0; i < rows->len; i++)
    {
      ReinsStep *step = reins_step_row_get_step (g_ptr_array_index (rows, i));

      if (step != NULL && reins_step_get_index (step) == find->index)
        find->row = g_ptr_array_index (rows, i);
    }
  return find->row != NULL;
}

/* The summary of the one decision band step @index shows on the timeline, or %NULL. */
static const char *
shown_decision (Fixture *f,
                guint    index)
{
  FindStep find = { f, index, NULL };
  GtkWidget *box, *band;

  reins_run_view_show_step (_reins_window_get_run_view (f->window), index);
  wait_until (find_step_row, &find, "the step's row");
  box = _reins_step_row_get_decision_box (REINS_STEP_ROW (find.row));
  band = gtk_widget_get_first_child (box);
  if (band == NULL)
    return NULL;
  g_assert_true (gtk_widget_get_visible (box));
  g_assert_null (gtk_widget_get_next_sibling (band));
  return reins_decision_row_get_summary (REINS_DECISION_ROW (band));
}

/* How long the person in test_approval thinks before approving. */
#define THINK_US (600 * G_TIME_SPAN_MILLISECOND)

static gboolean
thought_a_while (gpointer data)
{
  return g_get_real_time () - reins_approval_record_get_requested_at (data) >= THINK_US;
}

static void
test_approval (Fixture       *f,
               gconstpointer  data)
{
  Answer answer = GPOINTER_TO_INT (data);
  g_autofree char *script = chain_script (1, 2, 2, 0);
  g_autoptr(ReinsRun) stored = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autofree char *run_id = NULL;
  ReinsApprovalDialog *dialog;
  ReinsApprovalRecord *record;
  ReinsExecutor *executor;
  ReinsStep *second;

  executor = start_scripted (f, script, 0);
  run_id = g_strdup (reins_run_get_id (reins_executor_get_run (executor)));

  dialog = wait_for_question (f);
  record = reins_approval_get_record (reins_approval_dialog_get_approval (dialog));
  g_assert_cmpuint (reins_approval_record_get_step (record), ==, 2);
  /* The step under way waits for the person, and the dialog shows what the model thought
   * and saw, with the confidence figure the guard's reason has. */
  wait_until (live_row_waiting, f, "the live step to say it waits for you");
  g_assert_nonnull (_reins_approval_dialog_get_thought (dialog));
  g_assert_nonnull (_reins_approval_dialog_get_previous_observation (dialog));
  {
    const char *facts = _reins_approval_dialog_get_facts (dialog);
    const char *figure = strstr (facts, "confidence ");
    g_autofree char *number = NULL;

    g_assert_nonnull (figure);
    number = g_strndup (figure + strlen ("confidence "), strcspn (figure + strlen ("confidence "), " "));
    g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), number));
  }
  g_assert_cmpstr (reins_approval_record_get_guard (record), ==, "confidence");
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Low Confidence");
  g_assert_true (_reins_approval_dialog_get_choices_shown (dialog));
  /* The action as proposed is valid; nothing is decided yet. */
  g_assert_true (_reins_approval_dialog_get_edit_valid (dialog));
  g_assert_cmpint (reins_run_get_status (reins_executor_get_run (executor)), ==,
                   REINS_RUN_STATUS_AWAITING_APPROVAL);

  switch (answer)
    {
    case ANSWER_APPROVE:
      /* The person takes a while: that time is not the step's (issue 13). */
      wait_until (thought_a_while, record, "the person to think");
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "approve");
      break;

    case ANSWER_EDIT:
      /* Validated as it is typed: broken JSON, an unknown tool, a missing argument. */
      _reins_approval_dialog_set_action (dialog, "calculator", "{\"expression\": ");
      g_assert_false (_reins_approval_dialog_get_edit_valid (dialog));
      _reins_approval_dialog_set_action (dialog, "no_such_tool", "{}");
      g_assert_false (_reins_approval_dialog_get_edit_valid (dialog));
      _reins_approval_dialog_set_action (dialog, "calculator", "[1, 2]");
      g_assert_false (_reins_approval_dialog_get_edit_valid (dialog));
      _reins_approval_dialog_set_action (dialog, "calculator", "{\"expression\": \"6*7\"}");
      g_assert_true (_reins_approval_dialog_get_edit_valid (dialog));
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "edit");
      break;

    case ANSWER_REJECT:
      _reins_approval_dialog_set_text (dialog, "Use the calculator instead.");
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "reject");
      break;

    case ANSWER_STOP:
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "stop");
      break;

    case ANSWER_SEARCH_MORE:
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "approval.choose", "i",
                                                 REINS_APPROVAL_CHOICE_SEARCH_MORE));
      break;

    case ANSWER_END_NOW:
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "approval.choose", "i",
                                                 REINS_APPROVAL_CHOICE_END_NOW));
      break;

    case ANSWER_LATER:
      {
        ReinsApproval *approval = reins_approval_dialog_get_approval (dialog);

        /* Closing decides nothing: the question waits and the bar offers it again. */
        gtk_window_close (GTK_WINDOW (dialog));
        while (g_main_context_iteration (NULL, FALSE));
        g_assert_null (_reins_window_get_approval_dialog (f->window));
        g_assert_false (reins_approval_is_resolved (approval));
        {
          g_autoptr(ReinsApproval) pending = reins_executor_get_pending_approval (executor);

          g_assert_true (pending == approval);
        }
        g_assert_true (bar_shown (f));
        g_assert_cmpint (reins_run_get_status (reins_executor_get_run (executor)), ==,
                         REINS_RUN_STATUS_AWAITING_APPROVAL);

        /* A search that finds nothing keeps the waiting run in view, bar and all; clearing
         * it selects that run again. */
        {
          ReinsHistory *history = _reins_window_get_history (f->window);
          ReinsRunView *view = _reins_window_get_run_view (f->window);

          reins_history_search (history, "nosuchwordanywhere");
          while (g_main_context_iteration (NULL, FALSE));
          g_assert_null (reins_history_get_selected_run (history));
          g_assert_true (bar_shown (f));
          g_assert_cmpstr (reins_run_get_id (reins_run_view_get_run (view)), ==, run_id);
          reins_history_search (history, NULL);
          while (g_main_context_iteration (NULL, FALSE));
          g_assert_cmpstr (reins_run_get_id (reins_history_get_selected_run (history)), ==,
                           run_id);
          g_assert_true (bar_shown (f));
        }

        /* Shift+Ctrl+A brings the question back with the focus in the search field, which
         * would otherwise take the keys (issue 13). */
        {
          GtkWidget *entry = first_of_type (GTK_WIDGET (_reins_window_get_history (f->window)),
                                            GTK_TYPE_SEARCH_ENTRY);

          g_assert_nonnull (entry);
          g_assert_true (gtk_widget_grab_focus (entry));
          g_assert_true (press (f, GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK));
        }
        wait_until (dialog_shown, f, "the approval dialog again");
        dialog = REINS_APPROVAL_DIALOG (_reins_window_get_approval_dialog (f->window));
        g_assert_true (reins_approval_dialog_get_approval (dialog) == approval);
        adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "approve");
      }
      break;

    default:
      g_assert_not_reached ();
    }

  wait_until (no_live_runs, f, "the run to end");
  g_assert_false (bar_shown (f));

  stored = stored_run (f, run_id, &steps);
  g_assert_cmpuint (steps->len, >=, 2);
  second = g_ptr_array_index (steps, 1);
  g_assert_cmpuint (reins_step_get_approvals (second)->len, ==, 1);
  record = g_ptr_array_index (reins_step_get_approvals (second), 0);

  switch (answer)
    {
    case ANSWER_APPROVE:
      /* The step's duration leaves out the person's think time, which the record keeps. */
      g_assert_cmpint (reins_approval_record_get_resolved_at (record) -
                       reins_approval_record_get_requested_at (record), >=, THINK_US);
      g_assert_cmpint (reins_step_get_duration_ms (second) * 1000, <, THINK_US);
      G_GNUC_FALLTHROUGH;
    case ANSWER_LATER:
      g_assert_cmpint (reins_approval_record_get_decision (record), ==, REINS_DECISION_APPROVE);
      g_assert_nonnull (strstr (reins_step_get_observation (second), "value"));
      g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_COMPLETED);
      break;

    case ANSWER_EDIT:
      g_assert_cmpint (reins_approval_record_get_decision (record), ==, REINS_DECISION_EDIT);
      g_assert_cmpstr (reins_action_get_name (reins_step_get_action (second)), ==, "calculator");
      g_assert_cmpstr (reins_step_get_observation (second), ==, "42");
      break;

    case ANSWER_REJECT:
      g_assert_cmpint (reins_approval_record_get_decision (record), ==, REINS_DECISION_REJECT);
      g_assert_nonnull (strstr (reins_step_get_observation (second), "Use the calculator instead."));
      g_assert_null (strstr (reins_step_get_observation (second), "value"));
      break;

    case ANSWER_SEARCH_MORE:
      /* A rejection with the words of the choice. */
      g_assert_cmpint (reins_approval_record_get_decision (record), ==, REINS_DECISION_REJECT);
      g_assert_nonnull (strstr (reins_step_get_observation (second), "search for more"));
      break;

    case ANSWER_STOP:
      g_assert_cmpint (reins_approval_record_get_decision (record), ==, REINS_DECISION_STOP);
      g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_CANCELLED);
      g_assert_cmpuint (steps->len, ==, 2);
      break;

    case ANSWER_END_NOW:
      /* "End Now" from the window ends the run: the model's next step is its last (issue
       * 13). Its answer there names a value no observation holds (the lookup asked about
       * never ran), so it is not taken as a final answer: the run ends, ended by you. */
      g_assert_cmpint (reins_approval_record_get_decision (record), ==, REINS_DECISION_REJECT);
      g_assert_nonnull (strstr (reins_step_get_observation (second), "End the task now"));
      g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_TERMINATED);
      g_assert_true (g_str_has_prefix (reins_run_get_reason (stored), "Ended by you at step 2"));
      g_assert_cmpuint (steps->len, ==, 3);
      break;

    default:
      g_assert_not_reached ();
    }

  /* The timeline says who decided what on the step asked about (issue 13). */
  {
    const char *summary = shown_decision (f, 2);

    switch (answer)
      {
      case ANSWER_APPROVE:
      case ANSWER_LATER:
        g_assert_cmpstr (summary, ==, "Approved by you");
        break;
      case ANSWER_EDIT:
        g_assert_cmpstr (summary, ==, "Edited by you");
        break;
      case ANSWER_REJECT:
        g_assert_cmpstr (summary, ==, "Rejected by you: “Use the calculator instead.”");
        break;
      case ANSWER_STOP:
        g_assert_cmpstr (summary, ==, "Stopped by you");
        break;
      case ANSWER_SEARCH_MORE:
      case ANSWER_END_NOW:
        g_assert_true (g_str_has_prefix (summary, "Rejected by you: “"));
        break;
      default:
        g_assert_not_reached ();
      }
    /* The step before was not asked about: no band. */
    g_assert_null (shown_decision (f, 1));
  }
}

typedef struct
{
  Fixture       *f;
  ReinsExecutor *executor;
  guint          steps;
} Progress;

static gboolean
is_paused (gpointer data)
{
  Progress *p = data;
  ReinsRun *run = reins_executor_get_run (p->executor);

  return reins_run_get_status (run) == REINS_RUN_STATUS_PAUSED;
}

static gboolean
paused_after_one_more (gpointer data)
{
  Progress *p = data;
  GListModel *model = reins_run_view_get_steps (_reins_window_get_run_view (p->f->window));

  /* The timeline shows the step too (it is updated at most every few frames). */
  return is_paused (p) &&
         reins_run_get_step_count (reins_executor_get_run (p->executor)) == p->steps + 1 &&
         g_list_model_get_n_items (model) == p->steps + 1;
}

static void
test_pause_step_resume (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *script = chain_script (2, 6, 0, 100);
  g_autoptr(ReinsRun) stored = NULL;
  g_autofree char *run_id = NULL;
  Progress p = { f, NULL, 0 };
  GListModel *model;

  p.executor = g_object_ref (start_scripted (f, script, 0));
  run_id = g_strdup (reins_run_get_id (reins_executor_get_run (p.executor)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.pause", NULL));
  wait_until (is_paused, &p, "the run to pause");
  /* Paused: Resume replaces Pause. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.pause", NULL) &&
                  !is_paused (&p));

  p.steps = reins_run_get_step_count (reins_executor_get_run (p.executor));
  g_assert_cmpuint (p.steps, <, 7);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.step", NULL));
  wait_until (paused_after_one_more, &p, "one more step");
  model = reins_run_view_get_steps (_reins_window_get_run_view (f->window));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, p.steps + 1);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.toggle-pause", NULL));
  wait_until (no_live_runs, f, "the run to end");

  stored = stored_run (f, run_id, NULL);
  g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_cmpuint (reins_run_get_step_count (stored), ==, 7);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 7);
  g_object_unref (p.executor);
}

static void
test_stop (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *script = chain_script (3, 6, 0, 100);
  g_autoptr(ReinsRun) stored = NULL;
  g_autofree char *run_id = NULL;
  Progress p = { f, NULL, 0 };

  p.executor = g_object_ref (start_scripted (f, script, 0));
  run_id = g_strdup (reins_run_get_id (reins_executor_get_run (p.executor)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.pause", NULL));
  wait_until (is_paused, &p, "the run to pause");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.stop", NULL));
  wait_until (no_live_runs, f, "the run to stop");

  stored = stored_run (f, run_id, NULL);
  g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_CANCELLED);
  g_object_unref (p.executor);
}

/* The action a key runs in the window's capture-phase shortcuts, or %NULL. */
static GtkShortcutAction *
run_shortcut (Fixture         *f,
              guint            keyval,
              GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->window));
  g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, modifiers);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller) ||
          gtk_event_controller_get_propagation_phase (controller) != GTK_PHASE_CAPTURE)
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            return gtk_shortcut_get_action (shortcut);
        }
    }
  return NULL;
}

/* Presses a run shortcut as GTK does: on the window, before the focused widget sees it.
 * Returns whether it was handled (else the key goes on to the focused widget). */
static gboolean
press (Fixture         *f,
       guint            keyval,
       GdkModifierType  modifiers)
{
  GtkShortcutAction *action = run_shortcut (f, keyval, modifiers);

  g_assert_nonnull (action);
  return gtk_shortcut_action_activate (action, 0, GTK_WIDGET (f->window), NULL);
}

static GtkWidget *
ask_stop_dialog_of (Fixture *f)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) &&
          gtk_widget_get_visible (GTK_WIDGET (window)) &&
          g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)),
                     "Stop the Run?") == 0)
        return GTK_WIDGET (window);
    }
  return NULL;
}

static gboolean
ask_stop_shown (gpointer data)
{
  return ask_stop_dialog_of (data) != NULL;
}

/* The run's shortcuts are caught before the focused widget (a list, a label, a search field
 * would take Ctrl+→ and Shift+Ctrl+A), and Ctrl+. asks before it stops. */
static void
test_shortcuts_anywhere (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *script = chain_script (5, 6, 0, 100);
  g_autofree char *run_id = NULL;
  g_autoptr(ReinsRun) stored = NULL;
  Progress p = { f, NULL, 0 };

  /* No run: the keys are left to the focused widget. */
  g_assert_false (press (f, GDK_KEY_Right, GDK_CONTROL_MASK));
  g_assert_false (press (f, GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK));
  g_assert_false (press (f, GDK_KEY_period, GDK_CONTROL_MASK));
  g_assert_null (run_shortcut (f, GDK_KEY_comma, GDK_CONTROL_MASK));

  p.executor = g_object_ref (start_scripted (f, script, 0));
  run_id = g_strdup (reins_run_get_id (reins_executor_get_run (p.executor)));
  g_assert_true (press (f, GDK_KEY_p, GDK_CONTROL_MASK));
  wait_until (is_paused, &p, "the run to pause");

  /* Ctrl+→ steps once and the run pauses again. */
  p.steps = reins_run_get_step_count (reins_executor_get_run (p.executor));
  g_assert_true (press (f, GDK_KEY_Right, GDK_CONTROL_MASK));
  wait_until (paused_after_one_more, &p, "one more step");

  /* Ctrl+. asks; keeping the run keeps it, stopping stops it. */
  g_assert_true (press (f, GDK_KEY_period, GDK_CONTROL_MASK));
  wait_until (ask_stop_shown, f, "the question before stopping");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (ask_stop_dialog_of (f)), "cancel");
  g_assert_true (reins_executor_is_running (p.executor));
  g_assert_cmpuint (_reins_window_get_n_live_runs (f->window), ==, 1);

  g_assert_true (press (f, GDK_KEY_period, GDK_CONTROL_MASK));
  wait_until (ask_stop_shown, f, "the question before stopping");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (ask_stop_dialog_of (f)), "stop");
  wait_until (no_live_runs, f, "the run to stop");
  stored = stored_run (f, run_id, NULL);
  g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_CANCELLED);
  g_object_unref (p.executor);
}

static GtkWidget *
close_dialog_of (Fixture *f)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) &&
          gtk_window_get_transient_for (window) == GTK_WINDOW (f->window) &&
          !REINS_IS_APPROVAL_DIALOG (window))
        return GTK_WIDGET (window);
    }
  return NULL;
}

static gboolean
close_dialog_shown (gpointer data)
{
  return close_dialog_of (data) != NULL;
}

static gboolean
stored_cancelled (gpointer data)
{
  Progress *p = data;
  g_autoptr(ReinsRun) stored = stored_run (p->f, reins_run_get_id (reins_executor_get_run (p->executor)), NULL);

  return reins_run_get_status (stored) == REINS_RUN_STATUS_CANCELLED;
}

/* Closing the window with a run going asks first; keeping it keeps the run. */
static void
test_close_asks (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *script = chain_script (4, 6, 0, 100);
  Progress p = { f, NULL, 0 };
  GtkWidget *dialog;

  p.executor = g_object_ref (start_scripted (f, script, 0));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.pause", NULL));
  wait_until (is_paused, &p, "the run to pause");

  gtk_window_close (GTK_WINDOW (f->window));
  wait_until (close_dialog_shown, f, "the question before closing");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  dialog = close_dialog_of (f);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  g_assert_cmpuint (_reins_window_get_n_live_runs (f->window), ==, 1);

  gtk_window_close (GTK_WINDOW (f->window));
  wait_until (close_dialog_shown, f, "the question before closing");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (close_dialog_of (f)), "stop");
  /* The run is stopped and kept. */
  wait_until (stored_cancelled, &p, "the run to be stored as cancelled");
  g_object_unref (p.executor);
}

/* Stop and Close while a run waits for a person, with the question open: the run ends
 * stored as cancelled, and the window, its dialogs and the run go without a critical
 * (G_DEBUG makes one fatal). */
static void
test_close_while_waiting (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *script = chain_script (1, 2, 2, 0);
  Progress p = { f, NULL, 0 };

  p.executor = g_object_ref (start_scripted (f, script, 0));
  wait_for_question (f);
  g_assert_cmpint (reins_run_get_status (reins_executor_get_run (p.executor)), ==,
                   REINS_RUN_STATUS_AWAITING_APPROVAL);

  gtk_window_close (GTK_WINDOW (f->window));
  wait_until (close_dialog_shown, f, "the question before closing");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (close_dialog_of (f)), "stop");
  wait_until (stored_cancelled, &p, "the run to be stored as cancelled");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  g_object_unref (p.executor);
}

static void
count_changes_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *changes)
{
  (*changes)++;
}

static gboolean
run_waits (gpointer data)
{
  Progress *p = data;
  g_autoptr(ReinsApproval) approval = reins_executor_get_pending_approval (p->executor);

  return approval != NULL;
}

/* The run manager holds the live runs, as a list model, with the window that shows them;
 * a question nobody shows waits, and a notification's Approve answers it. */
static void
test_run_manager (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *script = chain_script (1, 3, 2, 0);
  ReinsRunManager *manager = reins_window_get_run_manager (f->window);
  g_autoptr(ReinsExecutor) item = NULL;
  g_autoptr(ReinsApproval) approval = NULL;
  g_autoptr(ReinsRunManager) other = reins_run_manager_new (NULL);
  Progress p = { f, NULL, 0 };
  guint changes = 0;
  const char *run_id;

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (manager)) == REINS_TYPE_EXECUTOR);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 0);
  g_signal_connect (manager, "items-changed", G_CALLBACK (count_changes_cb), &changes);

  p.executor = g_object_ref (start_scripted (f, script, 0));
  run_id = reins_run_get_id (reins_executor_get_run (p.executor));
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 1);
  item = g_list_model_get_item (G_LIST_MODEL (manager), 0);
  g_assert_true (item == p.executor);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (manager), 1));
  g_assert_true (reins_run_manager_lookup (manager, run_id) == p.executor);
  g_assert_true (reins_run_manager_get_owner (manager, run_id) == G_OBJECT (f->window));
  g_assert_null (reins_run_manager_lookup (manager, "no-such-run"));
  g_assert_null (reins_run_manager_get_owner (manager, "no-such-run"));
  g_assert_cmpuint (reins_run_manager_count (manager, G_OBJECT (f->window), TRUE), ==, 1);
  g_assert_cmpuint (reins_run_manager_count (manager, G_OBJECT (other), FALSE), ==, 0);
  /* Another manager knows nothing of it, and stopping what another owner runs stops
   * nothing here. */
  g_assert_false (reins_run_manager_approve (other, run_id));
  reins_run_manager_stop (manager, G_OBJECT (other));

  wait_until (run_waits, &p, "the question at step 2");
  approval = reins_executor_get_pending_approval (p.executor);
  g_assert_false (reins_approval_is_resolved (approval));
  g_assert_false (reins_run_manager_approve (manager, "no-such-run"));
  g_assert_true (reins_run_manager_approve (manager, run_id));
  g_assert_true (reins_approval_is_resolved (approval));

  wait_until (no_live_runs, f, "the run to end");
  g_assert_cmpuint (changes, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 0);
  g_assert_null (reins_run_manager_lookup (manager, run_id));
  g_assert_cmpint (reins_run_get_status (reins_executor_get_run (p.executor)), ==,
                   REINS_RUN_STATUS_COMPLETED);
  g_signal_handlers_disconnect_by_func (manager, count_changes_cb, &changes);
  g_object_unref (p.executor);
}

/* Every mapped widget of @type under @widget. */
static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

/* The history row of @run_id, and the text of its status line ("Running · 3 steps · …"). */
static const char *
history_row_line (Fixture    *f,
                  const char *run_id)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (GTK_WIDGET (_reins_window_get_history (f->window)), REINS_TYPE_HISTORY_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      ReinsRun *run = reins_history_row_get_run (REINS_HISTORY_ROW (row));
      g_autoptr(GPtrArray) labels = g_ptr_array_new ();

      if (run == NULL || g_strcmp0 (reins_run_get_id (run), run_id) != 0)
        continue;
      collect (row, GTK_TYPE_LABEL, labels);
      for (guint j = 0; j < labels->len; j++)
        {
          const char *text = gtk_label_get_label (g_ptr_array_index (labels, j));

          if (strstr (text, " · ") != NULL && strstr (text, "step") != NULL)
            return text;
        }
    }
  return NULL;
}

static gboolean
three_steps_done (gpointer data)
{
  Progress *p = data;

  return reins_run_get_step_count (reins_executor_get_run (p->executor)) >= 3;
}

/* The scrolled window of the timeline (of the first step row found). */
static GtkScrolledWindow *
timeline_scroller (GtkWidget *widget)
{
  if (REINS_IS_STEP_ROW (widget))
    return GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkScrolledWindow *scroller = timeline_scroller (c);

      if (scroller != NULL)
        return scroller;
    }
  return NULL;
}

typedef struct
{
  GtkWidget *window;
  guint      most;      /* the most compact rows seen at once */
} CompactWatch;

static gboolean
compact_watch_cb (gpointer data)
{
  CompactWatch *w = data;

  w->most = MAX (w->most, reins_test_count_compact_rows (w->window, FALSE));
  return G_SOURCE_CONTINUE;
}

/* The history row of a live run keeps up with it, step by step, as the header does (no
 * status change in between: the row used to stay at the count of the last one). */
static void
test_history_row_follows (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *script = chain_script (3, 8, 0, 150);
  g_autofree char *run_id = NULL;
  g_autofree char *expected = NULL;
  Progress p = { f, NULL, 0 };
  CompactWatch watch = { GTK_WIDGET (f->window), 0 };
  ReinsRun *live;
  guint n_steps;
  guint watch_id = g_timeout_add (20, compact_watch_cb, &watch);

  p.executor = g_object_ref (start_scripted (f, script, 0));
  live = reins_executor_get_run (p.executor);
  run_id = g_strdup (reins_run_get_id (live));
  wait_until (window_loaded, f, "the history");
  g_assert_nonnull (history_row_line (f, run_id));
  g_assert_true (g_str_has_prefix (history_row_line (f, run_id), "Running · 0 steps"));

  wait_until (three_steps_done, &p, "three steps");
  /* Still going, and the row says as many steps as the run has */
  g_assert_cmpint (reins_run_get_status (live), ==, REINS_RUN_STATUS_RUNNING);
  n_steps = reins_run_get_step_count (live);
  g_assert_cmpuint (n_steps, <, 9);
  expected = g_strdup_printf ("Running · %u steps · ", n_steps);
  g_assert_true (g_str_has_prefix (history_row_line (f, run_id), expected));

  /* …and at the end, how it ended */
  wait_until (no_live_runs, f, "the run to end");
  g_assert_true (g_str_has_prefix (history_row_line (f, run_id), "Completed · 9 steps · "));
  g_object_unref (p.executor);
  /* A step every 150 ms the timeline keeps up with: no row was ever compact. */
  g_source_remove (watch_id);
  g_assert_cmpuint (watch.most, ==, 0);
}

/* The longest stall allowed. Under AddressSanitizer (build-aux/test.sh --sanitize unwinds
 * the stack on every malloc) building a row takes tens of milliseconds, so there the bound
 * only catches a hang; the real figure is the one of a normal build. */
#ifdef __SANITIZE_ADDRESS__
#define STALL_LIMIT_MS 30000
#else
#define STALL_LIMIT_MS 250
#endif

typedef struct
{
  gint64 last;
  gint64 longest;
  gint64 longest_at;
  gint64 last_cpu;
  gint64 longest_cpu;
  gint64 longest_cpu_at;
} Stall;

static gboolean
tick_cb (gpointer data)
{
  Stall *stall = data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = reins_test_thread_cpu_time ();

  if (stall->last > 0 && now - stall->last > stall->longest)
    {
      stall->longest = now - stall->last;
      stall->longest_at = now;
    }
  if (stall->last_cpu > 0 && cpu - stall->last_cpu > stall->longest_cpu)
    {
      stall->longest_cpu = cpu - stall->last_cpu;
      stall->longest_cpu_at = now;
    }
  stall->last = now;
  stall->last_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

/* 2,000 steps stream in; the main loop never stalls for long (the figure is reported) until
 * the timeline shows the last step. Rows that go by faster than a frame come compact, and
 * are all made full once the timeline has caught up. */
static void
test_long_run_responsive (Fixture       *f,
                          gconstpointer  data)
{
  const guint length = 2000;
  g_autofree char *script = chain_script (4, length, 0, 0);
  g_autoptr(ReinsRun) stored = NULL;
  g_autofree char *run_id = NULL;
  Stall stall = { 0 };
  CompactWatch watch = { GTK_WIDGET (f->window), 0 };
  ReinsExecutor *executor;
  GListModel *model;
  gint64 started;
  guint tick;
  guint watch_id;

  executor = start_scripted (f, script, length + 10);
  run_id = g_strdup (reins_run_get_id (reins_executor_get_run (executor)));
  started = g_get_monotonic_time ();
  tick = g_timeout_add (5, tick_cb, &stall);
  watch_id = g_timeout_add (50, compact_watch_cb, &watch);
  wait_until (no_live_runs, f, "the long run");
  g_source_remove (tick);
  g_source_remove (watch_id);
  /* Rows went by compact; those in sight are full now. */
  g_assert_cmpuint (watch.most, >, 0);
  g_assert_cmpuint (reins_test_count_compact_rows (GTK_WIDGET (f->window), TRUE), ==, 0);
  /* Those further up stay compact until a scroll brings them near. */
  {
    guint compact = reins_test_count_compact_rows (GTK_WIDGET (f->window), FALSE);
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (
      timeline_scroller (GTK_WIDGET (f->window)));

    g_test_message ("%u rows left compact out of sight", compact);
    gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) -
                                   2 * gtk_adjustment_get_page_size (adj));
    wait_until (reins_test_no_compact_row_in_sight, f->window, "the rows scrolled to to be full");
    if (compact > 0)
      g_assert_cmpuint (reins_test_count_compact_rows (GTK_WIDGET (f->window), FALSE), <, compact);
  }

  g_test_message ("%u steps in %.2f s; longest main-loop stall %.1f ms, %.2f s after the start "
                  "(of the main thread's own time: %.1f ms, %.2f s after the start)",
                  length + 1, (g_get_monotonic_time () - started) / 1e6, stall.longest / 1000.0,
                  (stall.longest_at - started) / 1e6, stall.longest_cpu / 1000.0,
                  (stall.longest_cpu_at - started) / 1e6);
  /* The main thread's own time: what a loaded machine adds is not the window's doing. */
  g_assert_cmpint (stall.longest_cpu, <, STALL_LIMIT_MS * 1000);

  stored = stored_run (f, run_id, NULL);
  g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_COMPLETED);
  model = reins_run_view_get_steps (_reins_window_get_run_view (f->window));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, length + 1);
  /* It followed the newest step all along. */
  g_assert_true (_reins_run_view_get_following (_reins_window_get_run_view (f->window)));
}


/* The agent asks with ask_human: the dialog takes a written answer, which the agent reads. */
static void
test_question (Fixture       *f,
               gconstpointer  data)
{
  static const char script[] =
    "{\"responses\": ["
    " {\"text\": \"I need to know.\", \"tool_calls\": [{\"name\": \"ask_human\","
    "   \"arguments\": {\"question\": \"Which colour?\"}}],"
    "  \"logprobs\": [{\"token\": \"I\", \"logprob\": -0.01}]},"
    " {\"text\": \"Done.\", \"tool_calls\": [{\"name\": \"finish\", \"arguments\": {\"answer\": \"blue\"}}],"
    "  \"logprobs\": [{\"token\": \"Done\", \"logprob\": -0.01}]}"
    "]}";
  g_autofree char *path = write_script (f, script);
  g_autoptr(ReinsRun) stored = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autofree char *run_id = NULL;
  ReinsNewRunDialog *new_run;
  ReinsApprovalDialog *dialog;
  ReinsExecutor *executor;

  new_run = open_new_run (f);
  _reins_new_run_dialog_set_provider (new_run, "scripted");
  _reins_new_run_dialog_set_script (new_run, path);
  _reins_new_run_dialog_set_task (new_run, "Ask me a colour.");
  _reins_new_run_dialog_set_tool (new_run, "ask_human", TRUE);
  executor = start (f, new_run);
  run_id = g_strdup (reins_run_get_id (reins_executor_get_run (executor)));

  dialog = wait_for_question (f);
  g_assert_true (reins_approval_is_question (reins_approval_dialog_get_approval (dialog)));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "The Agent Asks");
  /* No answer without words, and no editor of actions for a question. */
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "answer"));
  g_assert_false (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "approve"));
  {
    /* The answer field; Enter there answers once there are words (keyboard only). */
    GtkWidget *entry = first_of_type (GTK_WIDGET (dialog), GTK_TYPE_ENTRY);

    g_signal_emit_by_name (entry, "activate");
    g_assert_false (reins_approval_is_resolved (reins_approval_dialog_get_approval (dialog)));
    _reins_approval_dialog_set_text (dialog, "Blue, please.");
    g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "answer"));
    g_signal_emit_by_name (first_of_type (entry, GTK_TYPE_TEXT), "activate");
  }

  wait_until (no_live_runs, f, "the run to end");
  stored = stored_run (f, run_id, &steps);
  g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_nonnull (strstr (reins_step_get_observation (g_ptr_array_index (steps, 0)),
                            "Blue, please."));
}

static void
collect_step_rows (GtkWidget *widget,
                   GPtrArray *rows)
{
  if (REINS_IS_STEP_ROW (widget) && gtk_widget_get_mapped (widget) &&
      reins_step_row_get_step (REINS_STEP_ROW (widget)) != NULL)
    g_ptr_array_add (rows, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_step_rows (child, rows);
}

static gboolean
three_rows (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_step_rows (GTK_WIDGET (f->window), rows);
  return window_loaded (f) && rows->len == 3;
}

/* Steps 1 and 3 (those the loop verdict names) highlighted, step 2 not. The rows show
 * first and learn which steps are in a loop when the run's verdicts are read, so this is
 * waited for. */
static gboolean
loop_rows_marked (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_step_rows (GTK_WIDGET (f->window), rows);
  if (rows->len != 3)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      ReinsStepRow *row = g_ptr_array_index (rows, i);
      guint index = reins_step_get_index (reins_step_row_get_step (row));

      if (_reins_step_row_get_in_loop (row) != (index == 1 || index == 3))
        return FALSE;
    }
  return TRUE;
}

/* Steps a loop verdict names are highlighted, the others not. */
static void
test_loop_highlight (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = reins_store_open (f->path, &error);
  g_autoptr(ReinsRun) run = reins_run_new ("Loop around");
  static const guint loop[] = { 1, 3 };

  g_assert_no_error (error);
  for (guint i = 1; i <= 3; i++)
    {
      g_autoptr(JsonObject) args = json_object_new ();
      g_autoptr(ReinsAction) action = NULL;
      g_autoptr(ReinsStep) step = reins_step_new (reins_run_get_id (run), i);

      json_object_set_string_member (args, "key", "chain-1-2/0");
      action = reins_action_new ("kb_lookup", args);
      reins_step_set_action (step, action);
      reins_step_set_observation (step, "{\"next\": \"x\"}");
      if (i == 3)
        {
          g_autoptr(ReinsVerdict) verdict =
            reins_verdict_new_with_steps ("loop", REINS_VERDICT_CORRECT, "The same lookup again.",
                                          loop, G_N_ELEMENTS (loop));
          reins_step_add_verdict (step, verdict);
        }
      reins_run_set_step_count (run, i);
      g_assert_true (reins_store_commit_step (store, run, step, &error));
      g_assert_no_error (error);
    }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.reload", NULL));
  wait_until (window_loaded, f, "the history");
  g_assert_true (reins_history_select_run (_reins_window_get_history (f->window),
                                           reins_run_get_id (run)));
  wait_until (three_rows, f, "the steps");
  wait_until (loop_rows_marked, f, "steps 1 and 3, and only they, to be marked as a loop");
}

/* New Run takes a provider's model and endpoint from the preferences. */
static void
test_new_run_uses_preferences (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("openai");
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(GError) error = NULL;
  ReinsNewRunDialog *dialog;

  g_settings_set_string (settings, "openai-model", "gpt-from-preferences");
  g_settings_set_string (settings, "openai-base-url", "http://127.0.0.1:9/v1");

  dialog = open_new_run (f);
  _reins_new_run_dialog_set_provider (dialog, "openai");
  _reins_new_run_dialog_set_task (dialog, "Anything");
  run = reins_new_run_dialog_build (dialog, config, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reins_run_get_model (run), ==, "gpt-from-preferences");
  g_assert_cmpstr (config->base_url, ==, "http://127.0.0.1:9/v1");

  g_settings_reset (settings, "openai-model");
  g_settings_reset (settings, "openai-base-url");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* The first descendant of @widget of @type, or %NULL. */
static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_descendant (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The header's line of totals ("N steps · … in / … out tokens · $…"), or %NULL. */
static const char *
header_totals (Fixture *f)
{
  GtkWidget *header = find_descendant (GTK_WIDGET (_reins_window_get_run_view (f->window)),
                                       REINS_TYPE_RUN_HEADER);
  GPtrArray *stack = g_ptr_array_new ();
  const char *totals = NULL;

  g_assert_nonnull (header);
  g_ptr_array_add (stack, header);
  while (stack->len > 0 && totals == NULL)
    {
      GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);

      if (GTK_IS_LABEL (w) && strstr (gtk_label_get_label (GTK_LABEL (w)), " out tokens") != NULL)
        totals = gtk_label_get_label (GTK_LABEL (w));
      for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
        g_ptr_array_add (stack, c);
    }
  g_ptr_array_free (stack, TRUE);
  return totals;
}

typedef struct
{
  Fixture       *f;
  ReinsExecutor *executor;
  gboolean       seen;
} HeaderWait;

/* While the run goes on (between its status changes, which bring the worker's totals), the
 * header's tokens are the sum of the steps the timeline shows, and not nothing. */
static gboolean
header_follows_steps (gpointer data)
{
  HeaderWait *w = data;
  ReinsRun *run = reins_executor_get_run (w->executor);
  GListModel *model = reins_run_view_get_steps (_reins_window_get_run_view (w->f->window));
  g_autofree char *expected = NULL;
  const char *totals = header_totals (w->f);
  guint64 in = 0, out = 0;
  guint n = g_list_model_get_n_items (model);

  if (reins_run_status_is_final (reins_run_get_status (run)))
    return TRUE;  /* over before it was seen: the caller fails */
  if (reins_run_get_status (run) == REINS_RUN_STATUS_AWAITING_APPROVAL)
    {
      demo_done (w->f);  /* says yes when asked */
      return FALSE;
    }
  if (reins_run_get_status (run) != REINS_RUN_STATUS_RUNNING || n < 2 || totals == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ReinsStep) step = g_list_model_get_item (model, i);

      in += reins_step_get_input_tokens (step);
      out += reins_step_get_output_tokens (step);
    }
  expected = g_strdup_printf ("%" G_GUINT64_FORMAT " in / %" G_GUINT64_FORMAT " out tokens",
                              in, out);
  w->seen = in > 0 && out > 0 && strstr (totals, expected) != NULL;
  return w->seen;
}

/* While a simulated run goes on, the header's token totals follow its steps (they read
 * "0 in / 0 out tokens" while the rows showed real counts, until a status change). */
static void
test_live_header_tokens (Fixture       *f,
                         gconstpointer  data)
{
  ReinsNewRunDialog *dialog = open_new_run (f);
  HeaderWait w = { f, NULL, FALSE };

  reins_new_run_dialog_use_demo (dialog, 12);
  _reins_new_run_dialog_set_mistakes (dialog, FALSE);
  w.executor = g_object_ref (start (f, dialog));
  wait_until (header_follows_steps, &w, "the header to follow the steps");
  g_assert_true (w.seen);
  wait_until (demo_done, f, "the run to end");
  g_object_unref (w.executor);
}

/* The step row (a ReinsStepRow) @widget is in, or %NULL. */
static GtkWidget *
step_row_of (GtkWidget *widget)
{
  return gtk_widget_get_ancestor (widget, REINS_TYPE_STEP_ROW);
}

typedef struct
{
  Fixture    *f;
  GHashTable *stops;        /* the steps Tab stopped in */
  gboolean    chart;
  gboolean    label_stop;
  GtkWidget  *expander;     /* a row's More, to expand after the walk */
  guint       max_stops;    /* the most stops of one visit to a step */
  GtkWidget  *visit_row;
  guint       visit_stops;
  GList      *visited;      /* the steps rounds started in */
} TabWalk;

/* A stop of the walk: stops in a row one after the other are counted as one visit. */
static void
tab_record (TabWalk   *w,
            GtkWidget *focus)
{
  GtkWidget *row = step_row_of (focus);

  if (gtk_widget_get_ancestor (focus, REINS_TYPE_CHART) != NULL)
    w->chart = TRUE;
  if (row != w->visit_row)
    w->visit_stops = 0;
  w->visit_row = row;
  if (row == NULL)
    return;
  w->visit_stops++;
  w->max_stops = MAX (w->max_stops, w->visit_stops);
  g_hash_table_add (w->stops, row);
  if (GTK_IS_LABEL (focus))
    w->label_stop = TRUE;
  if (GTK_IS_TOGGLE_BUTTON (focus) &&
      gtk_widget_get_ancestor (focus, GTK_TYPE_MENU_BUTTON) == NULL && w->expander == NULL)
    w->expander = focus;
}

/* One round of Tab through the window, from a step in view (focused as a click would:
 * Tab enters the list where it last had the focus); TRUE once there was such a step (the
 * list needs a frame to show its rows). */
static gboolean
tab_round (gpointer data)
{
  TabWalk *w = data;
  GtkWidget *list = find_descendant (GTK_WIDGET (_reins_window_get_run_view (w->f->window)),
                                     REINS_TYPE_TIMELINE);
  GtkWidget *first_outside = NULL;
  GtkWidget *start = NULL;

  list = GTK_WIDGET (reins_timeline_get_list_view (REINS_TIMELINE (list)));
  for (GtkWidget *c = gtk_widget_get_first_child (list); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *row = gtk_widget_get_first_child (c);

      if (row != NULL && REINS_IS_STEP_ROW (row) && gtk_widget_get_mapped (row) &&
          g_list_find (w->visited, row) == NULL &&
          gtk_widget_child_focus (row, GTK_DIR_TAB_FORWARD))
        {
          start = row;
          break;
        }
    }
  if (start == NULL)
    return FALSE;
  w->visited = g_list_prepend (w->visited, start);

  w->visit_row = NULL;
  tab_record (w, gtk_window_get_focus (GTK_WINDOW (w->f->window)));
  for (guint i = 0; i < 300; i++)
    {
      GtkWidget *focus;

      if (!gtk_widget_child_focus (GTK_WIDGET (w->f->window), GTK_DIR_TAB_FORWARD))
        {
          /* As GtkWindow does: past the last stop, Tab starts over. */
          gtk_window_set_focus (GTK_WINDOW (w->f->window), NULL);
          g_assert_true (gtk_widget_child_focus (GTK_WIDGET (w->f->window), GTK_DIR_TAB_FORWARD));
        }
      focus = gtk_window_get_focus (GTK_WINDOW (w->f->window));
      g_assert_nonnull (focus);
      /* Round the window once: back at the first stop outside the steps. */
      if (step_row_of (focus) == NULL)
        {
          if (focus == first_outside)
            return TRUE;
          if (first_outside == NULL)
            first_outside = focus;
        }
      tab_record (w, focus);
    }
  /* Tab went round without coming back: a trap */
  g_assert_not_reached ();
}

/* Keyboard only: Tab walks the window. A step is one or two stops (its texts stay
 * selectable with the mouse; expanded, they join the chain), and the chart is reached
 * (issue 13, 10i). On main a step took five stops, three of them labels. */
static void
test_tab_stops (Fixture       *f,
                gconstpointer  data)
{
  ReinsNewRunDialog *dialog = open_new_run (f);
  g_autoptr(GHashTable) stops = g_hash_table_new (NULL, NULL);
  TabWalk w = { f, stops, FALSE, FALSE, NULL, 0, NULL, 0, NULL };
  GtkWidget *expanded_row = NULL;

  reins_new_run_dialog_use_demo (dialog, 4);
  _reins_new_run_dialog_set_mistakes (dialog, FALSE);
  start (f, dialog);
  wait_until (demo_done, f, "the demo run");
  /* j moves to the next step; a whole round of Tab from there passes through it. */
  for (guint round = 0; round < 3; round++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (_reins_window_get_run_view (f->window)),
                                                 "run-view.next-step", NULL));
      wait_until (tab_round, &w, "a round of Tab through a step");
    }
  g_list_free (w.visited);

  g_assert_cmpuint (g_hash_table_size (stops), >=, 3);
  g_assert_cmpuint (w.max_stops, >=, 1);
  g_assert_cmpuint (w.max_stops, <=, 2);
  g_assert_false (w.label_stop);
  g_assert_true (w.chart);
  expanded_row = w.expander;

  /* Expanded, a step's texts are in the chain: the keyboard can select and copy them. */
  if (expanded_row != NULL)
    {
      GtkWidget *row = step_row_of (expanded_row);
      guint n = 0;
      gboolean label = FALSE;

      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (expanded_row), TRUE);
      gtk_widget_grab_focus (expanded_row);
      for (guint i = 0; i < 20; i++)
        {
          GtkWidget *focus;

          g_assert_true (gtk_widget_child_focus (GTK_WIDGET (f->window), GTK_DIR_TAB_BACKWARD));
          focus = gtk_window_get_focus (GTK_WINDOW (f->window));
          if (step_row_of (focus) != row)
            break;
          n++;
          label = label || (GTK_IS_LABEL (focus) &&
                            gtk_label_get_selectable (GTK_LABEL (focus)));
        }
      g_assert_true (label);
      g_assert_cmpuint (n, >, 1);
    }
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func, data) \
  g_test_add ("/reins/gui/live-run/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("demo", test_demo_run, NULL);
  ADD ("demo/questions", test_demo_questions, NULL);
  ADD ("new-run/preferences", test_new_run_uses_preferences, NULL);
  ADD ("close-asks", test_close_asks, NULL);
  ADD ("close-while-waiting", test_close_while_waiting, NULL);
  ADD ("approval/approve", test_approval, GINT_TO_POINTER (ANSWER_APPROVE));
  ADD ("approval/edit", test_approval, GINT_TO_POINTER (ANSWER_EDIT));
  ADD ("approval/reject", test_approval, GINT_TO_POINTER (ANSWER_REJECT));
  ADD ("approval/stop", test_approval, GINT_TO_POINTER (ANSWER_STOP));
  ADD ("approval/later", test_approval, GINT_TO_POINTER (ANSWER_LATER));
  ADD ("approval/search-more", test_approval, GINT_TO_POINTER (ANSWER_SEARCH_MORE));
  ADD ("approval/end-now", test_approval, GINT_TO_POINTER (ANSWER_END_NOW));
  ADD ("approval/question", test_question, NULL);
  ADD ("loop-highlight", test_loop_highlight, NULL);
  ADD ("pause-step-resume", test_pause_step_resume, NULL);
  ADD ("stop", test_stop, NULL);
  ADD ("shortcuts-anywhere", test_shortcuts_anywhere, NULL);
  ADD ("long-run-responsive", test_long_run_responsive, NULL);
  ADD ("run-manager", test_run_manager, NULL);
  ADD ("history-row-follows", test_history_row_follows, NULL);
  ADD ("live-header-tokens", test_live_header_tokens, NULL);
  ADD ("tab-stops", test_tab_stops, NULL);

#undef ADD

  return g_test_run ();
}
