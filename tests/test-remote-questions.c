/* test-remote-questions.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A question of a run of another process (`reins-cli run --approve=remote`) shown in the
 * window and answered from it; a race lost to another person, who is named. On a SQLite
 * file and on PostgreSQL (REINS_TEST_PG_URI). Runs under Xvfb.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "reins-remote-questions.h"
#include "reins-store.h"
#include "reins-test-pg.h"
#include "reins-test-ui.h"
#include "reins-test-util.h"
#include "reins-window-private.h"

#define ON_PG GINT_TO_POINTER (1)

typedef struct
{
  char *dir;
  char *path;
  char *schema;
} Fixture;

static const char two_writes[] =
  "{\"responses\": ["
  " {\"tool_calls\": [{\"name\": \"write_file\", \"arguments\": {\"path\": \"a.txt\", \"content\": \"one\"}}]},"
  " {\"tool_calls\": [{\"name\": \"write_file\", \"arguments\": {\"path\": \"b.txt\", \"content\": \"two\"}}]},"
  " {\"tool_calls\": [{\"name\": \"finish\", \"arguments\": {\"answer\": \"done\"}}]}"
  "]}";

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("reins-remote-XXXXXX", NULL);
  if (data == ON_PG)
    f->path = reins_test_pg_schema_new (&f->schema);
  else
    f->path = g_build_filename (f->dir, "runs.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->schema != NULL)
    reins_test_pg_schema_drop (f->schema);
  reins_test_remove_tree (f->dir);
  g_free (f->schema);
  g_free (f->dir);
  g_free (f->path);
}

static gboolean
asks_at_step (ReinsRemoteQuestions *bar,
              guint                 step)
{
  g_autofree char *at = g_strdup_printf ("at step %u:", step);

  return gtk_widget_get_visible (GTK_WIDGET (bar)) &&
         reins_remote_questions_get_run_id (bar) != NULL &&
         strstr (reins_remote_questions_get_message (bar), at) != NULL;
}

static gboolean
asks_at_step_1 (gpointer data)
{
  return asks_at_step (data, 1);
}

static gboolean
asks_at_step_2 (gpointer data)
{
  return asks_at_step (data, 2);
}

static void
test_answer (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *store_arg = g_strdup_printf ("--store=%s", f->path);
  g_autofree char *script = g_build_filename (f->dir, "script.json", NULL);
  g_autofree char *script_arg = g_strdup_printf ("--script=%s", script);
  g_autofree char *ws_arg = g_strdup_printf ("--workspace=%s", f->dir);
  g_autofree char *a = g_build_filename (f->dir, "a.txt", NULL);
  g_autofree char *b = g_build_filename (f->dir, "b.txt", NULL);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GSubprocess) runner = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) other = NULL;
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(ReinsRun) done = NULL;
  g_autoptr(ReinsStep) step = NULL;
  g_autoptr(ReinsStep) first = NULL;
  ReinsApprovalRecord *record;
  ReinsRemoteQuestions *bar;
  ReinsWindow *window;
  g_autofree char *run_id = NULL;
  guint ord = 0;

  window = g_object_ref_sink (reins_window_new (NULL, f->path));
  gtk_window_present (GTK_WINDOW (window));
  wait_until (loaded, window, "the history");
  bar = REINS_REMOTE_QUESTIONS (_reins_window_get_remote_questions (window));
  g_assert_nonnull (bar);
  /* Nothing waits: no bar. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (bar)));
  g_assert_null (reins_remote_questions_get_run_id (bar));

  g_assert_true (g_file_set_contents (script, two_writes, -1, NULL));
  g_subprocess_launcher_set_cwd (launcher, f->dir);
  runner = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("REINS_CLI"), "run",
                                        store_arg, "--provider=scripted", script_arg, ws_arg,
                                        "--tools=write_file", "--approve=remote",
                                        "Write files", NULL);
  g_assert_no_error (error);

  /* The first write asks; the window shows it and rejects it with feedback. */
  wait_until (asks_at_step_1, bar, "the question of step 1");
  run_id = g_strdup (reins_remote_questions_get_run_id (bar));
  g_assert_nonnull (strstr (reins_remote_questions_get_message (bar), "Write files"));
  /* Rejecting without words is refused, and nothing is stored. */
  reins_remote_questions_answer (bar, REINS_DECISION_REJECT);
  g_assert_nonnull (strstr (reins_remote_questions_get_message (bar), "Say why"));
  g_assert_cmpstr (reins_remote_questions_get_run_id (bar), ==, run_id);
  other = reins_store_open (f->path, &error);
  g_assert_no_error (error);
  first = reins_store_get_step (other, run_id, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (reins_approval_record_get_decision (g_ptr_array_index (
                     reins_step_get_approvals (first), 0)), ==, REINS_DECISION_NONE);
  g_clear_object (&first);
  reins_remote_questions_set_feedback (bar, "Not that file.");
  reins_remote_questions_answer (bar, REINS_DECISION_REJECT);

  /* The run goes on to the second write, which asks too. Another person approves it first;
   * the window's answer loses and names them. */
  wait_until (asks_at_step_2, bar, "the question of step 2");
  run = reins_store_get_run (other, run_id, &error);
  g_assert_no_error (error);
  step = reins_store_get_open_question (other, run, &ord, &error);
  g_assert_no_error (error);
  g_assert_nonnull (step);
  record = g_ptr_array_index (reins_step_get_approvals (step), ord);
  reins_approval_record_set_decided_by (record, "ada@elsewhere");
  reins_approval_record_resolve (record, REINS_DECISION_APPROVE, NULL, NULL, g_get_real_time ());
  g_assert_true (reins_store_decide_approval (other, run_id, reins_step_get_index (step), ord,
                                              record, &error));
  g_assert_no_error (error);
  reins_remote_questions_set_feedback (bar, "No.");
  reins_remote_questions_answer (bar, REINS_DECISION_REJECT);
  g_assert_nonnull (strstr (reins_remote_questions_get_message (bar), "approve by ada@elsewhere"));

  /* The run finished as decided: a.txt rejected, b.txt written. */
  g_subprocess_wait_check (runner, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (a, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (b, G_FILE_TEST_EXISTS));
  first = reins_store_get_step (other, run_id, 1, &error);
  g_assert_no_error (error);
  record = g_ptr_array_index (reins_step_get_approvals (first), 0);
  g_assert_cmpint (reins_approval_record_get_decision (record), ==, REINS_DECISION_REJECT);
  g_assert_cmpstr (reins_approval_record_get_feedback (record), ==, "Not that file.");
  g_assert_nonnull (strstr (reins_approval_record_get_decided_by (record), g_get_user_name ()));
  done = reins_store_get_run (other, run_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (reins_run_get_status (done), ==, REINS_RUN_STATUS_COMPLETED);

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  reins_test_ui_init (&argc, &argv);

  g_test_add ("/reins/window/remote-questions/answer", Fixture, NULL, fixture_set_up,
              test_answer, fixture_tear_down);
  if (reins_test_pg_available ())
    g_test_add ("/reins/window/remote-questions/pg/answer", Fixture, ON_PG, fixture_set_up,
                test_answer, fixture_tear_down);
  else
    g_test_add_data_func ("/reins/window/remote-questions/pg/answer", NULL,
                          reins_test_pg_missing);

  return g_test_run ();
}
