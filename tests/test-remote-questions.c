/* test-remote-questions.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A question of a run of another process (`reins-cli run --approve=remote`) shown in the
 * window and answered from it; a race lost to another person, who is named. The approval
 * dialog opened on it, answered or closed by someone quicker; the notification's buttons,
 * taken from a stand-in notification server (org.gtk.Notifications on the session bus) and
 * activated as the desktop would. On a SQLite file and on PostgreSQL (REINS_TEST_PG_URI).
 * Runs under Xvfb and D-Bus.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "reins-application.h"
#include "reins-approval-dialog.h"
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

/* A window on @f's store, with its bar of questions of runs elsewhere. */
static ReinsWindow *
open_window (Fixture               *f,
             GtkApplication        *app,
             ReinsRemoteQuestions **bar)
{
  ReinsWindow *window = g_object_ref_sink (reins_window_new (app, f->path));

  gtk_window_present (GTK_WINDOW (window));
  wait_until (loaded, window, "the history");
  *bar = REINS_REMOTE_QUESTIONS (_reins_window_get_remote_questions (window));
  g_assert_nonnull (*bar);
  return window;
}

/* Starts `reins-cli run --approve=remote` on @f's store with @script_text. */
static GSubprocess *
spawn_runner (Fixture    *f,
              const char *script_text,
              const char *tools)
{
  g_autofree char *store_arg = g_strdup_printf ("--store=%s", f->path);
  g_autofree char *script = g_build_filename (f->dir, "script.json", NULL);
  g_autofree char *script_arg = g_strdup_printf ("--script=%s", script);
  g_autofree char *ws_arg = g_strdup_printf ("--workspace=%s", f->dir);
  g_autofree char *tools_arg = g_strdup_printf ("--tools=%s", tools);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GError) error = NULL;
  GSubprocess *runner;

  g_assert_true (g_file_set_contents (script, script_text, -1, NULL));
  g_subprocess_launcher_set_cwd (launcher, f->dir);
  runner = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("REINS_CLI"), "run",
                                        store_arg, "--provider=scripted", script_arg, ws_arg,
                                        tools_arg, "--approve=remote", "Write files", NULL);
  g_assert_no_error (error);
  return runner;
}

/* Approval @ord of step @index of @run_id as stored. */
static ReinsApprovalRecord *
stored_decision (ReinsStore *store,
                 const char *run_id,
                 guint       index)
{
  g_autoptr(ReinsStep) step = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *approvals;

  step = reins_store_get_step (store, run_id, index, &error);
  g_assert_no_error (error);
  approvals = reins_step_get_approvals (step);
  g_assert_cmpuint (approvals->len, >, 0);
  return g_object_ref (g_ptr_array_index (approvals, approvals->len - 1));
}

/* Another person (ada@elsewhere) approves what @run_id waits for, through @other. */
static void
approve_elsewhere (ReinsStore *other,
                   const char *run_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(ReinsStep) step = NULL;
  ReinsApprovalRecord *record;
  guint ord = 0;

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
}

static void
test_answer (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *a = g_build_filename (f->dir, "a.txt", NULL);
  g_autofree char *b = g_build_filename (f->dir, "b.txt", NULL);
  g_autoptr(GSubprocess) runner = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) other = NULL;
  g_autoptr(ReinsRun) done = NULL;
  g_autoptr(ReinsStep) first = NULL;
  ReinsApprovalRecord *record;
  ReinsRemoteQuestions *bar;
  ReinsWindow *window;
  g_autofree char *run_id = NULL;

  window = open_window (f, NULL, &bar);
  /* Nothing waits: no bar. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (bar)));
  g_assert_null (reins_remote_questions_get_run_id (bar));

  runner = spawn_runner (f, two_writes, "write_file");

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
  approve_elsewhere (other, run_id);
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

static gboolean
dialog_closed (gpointer data)
{
  return _reins_remote_questions_get_dialog (data) == NULL;
}

/* Review… opens the dialog local questions get, once; an edit made in it is what the run
 * does. Another person answering the next question first closes the dialog, named. */
static void
test_dialog (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *a = g_build_filename (f->dir, "a.txt", NULL);
  g_autofree char *b = g_build_filename (f->dir, "b.txt", NULL);
  g_autofree char *c = g_build_filename (f->dir, "c.txt", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GSubprocess) runner = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) other = NULL;
  g_autoptr(ReinsApprovalRecord) first = NULL;
  ReinsApprovalDialog *dialog;
  ReinsRemoteQuestions *bar;
  ReinsWindow *window;
  g_autofree char *run_id = NULL;

  window = open_window (f, NULL, &bar);
  /* No question, no dialog. */
  g_assert_false (reins_remote_questions_review (bar, "no-such-run"));
  g_assert_null (_reins_remote_questions_get_dialog (bar));

  runner = spawn_runner (f, two_writes, "write_file");
  wait_until (asks_at_step_1, bar, "the question of step 1");
  run_id = g_strdup (reins_remote_questions_get_run_id (bar));

  /* Picking the run opens its question once (the history may have picked it already, in a
   * window in front): closed without an answer, it stays closed when picked again. */
  reins_remote_questions_picked (bar, run_id);
  g_assert_nonnull (_reins_remote_questions_get_dialog (bar));
  gtk_window_destroy (GTK_WINDOW (_reins_remote_questions_get_dialog (bar)));
  g_assert_null (_reins_remote_questions_get_dialog (bar));
  g_assert_false (reins_remote_questions_picked (bar, run_id));
  g_assert_null (_reins_remote_questions_get_dialog (bar));
  g_assert_false (reins_remote_questions_picked (bar, "no-such-run"));

  /* Review… opens it again. */
  g_assert_true (reins_remote_questions_review (bar, run_id));
  dialog = REINS_APPROVAL_DIALOG (_reins_remote_questions_get_dialog (bar));
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (_reins_approval_dialog_get_facts (dialog), "Step 1"));
  g_assert_true (_reins_approval_dialog_get_approve_enabled (dialog));
  /* Only the decision travels to the run: no "Always allow". */
  g_assert_false (_reins_approval_dialog_get_always_shown (dialog));
  /* Never two dialogs for one question. */
  g_assert_true (reins_remote_questions_review (bar, run_id));
  g_assert_true (_reins_remote_questions_get_dialog (bar) == GTK_WIDGET (dialog));
  save_screenshot (GTK_WIDGET (dialog), "remote-question-dialog.png");

  /* Edited in the dialog: the run writes what the person wrote. */
  _reins_approval_dialog_set_action (dialog, "write_file",
                                     "{\"path\": \"c.txt\", \"content\": \"edited\"}");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "edit");
  other = reins_store_open (f->path, &error);
  g_assert_no_error (error);
  first = stored_decision (other, run_id, 1);
  g_assert_cmpint (reins_approval_record_get_decision (first), ==, REINS_DECISION_EDIT);
  g_assert_nonnull (strstr (reins_approval_record_get_decided_by (first), g_get_user_name ()));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* The next question, opened, is answered by someone else first: the dialog closes and
   * the bar names them. */
  wait_until (asks_at_step_2, bar, "the question of step 2");
  g_assert_true (reins_remote_questions_review (bar, run_id));
  g_assert_nonnull (_reins_remote_questions_get_dialog (bar));
  approve_elsewhere (other, run_id);
  wait_until (dialog_closed, bar, "the dialog to close");
  g_assert_nonnull (strstr (reins_remote_questions_get_message (bar), "approve by ada@elsewhere"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (bar)));

  g_subprocess_wait_check (runner, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (a, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (c, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "edited");
  g_assert_true (g_file_test (b, G_FILE_TEST_EXISTS));

  close_window (window);
}

typedef struct
{
  ReinsRemoteQuestions *bar;
  const char           *run_id;
  const char           *text;
} BarShows;

/* The bar shows a question of run_id (any, if NULL) whose message holds text (if any). */
static gboolean
bar_shows (gpointer data)
{
  BarShows *shows = data;
  const char *run_id = reins_remote_questions_get_run_id (shows->bar);

  return gtk_widget_get_visible (GTK_WIDGET (shows->bar)) && run_id != NULL &&
         (shows->run_id == NULL || g_strcmp0 (run_id, shows->run_id) == 0) &&
         (shows->text == NULL ||
          strstr (reins_remote_questions_get_message (shows->bar), shows->text) != NULL);
}

/* Two runs elsewhere ask: the bar keeps the question it shows while it is open, says how
 * many more wait, and then shows the oldest question left — not the newer one the first run
 * asked since. */
static void
test_queue (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GSubprocess) first_runner = NULL;
  g_autoptr(GSubprocess) second_runner = NULL;
  g_autofree char *first = NULL;
  ReinsRemoteQuestions *bar;
  ReinsWindow *window;

  window = open_window (f, NULL, &bar);
  first_runner = spawn_runner (f, two_writes, "write_file");
  wait_until (asks_at_step_1, bar, "the first run's question");
  first = g_strdup (reins_remote_questions_get_run_id (bar));

  /* A second run asks: the bar stays on the first and counts the other. */
  second_runner = spawn_runner (f, two_writes, "write_file");
  wait_until (bar_shows, &(BarShows) { bar, NULL, "(1 more run waits)" }, "the count");
  g_assert_cmpstr (reins_remote_questions_get_run_id (bar), ==, first);
  g_assert_true (asks_at_step (bar, 1));

  /* Approved, the first run goes on and asks at step 2; the second run's question is
   * older, so it comes next. */
  reins_remote_questions_answer (bar, REINS_DECISION_APPROVE);
  wait_until (bar_shows, &(BarShows) { bar, NULL, "(1 more run waits)" }, "the next question");
  g_assert_cmpstr (reins_remote_questions_get_run_id (bar), !=, first);
  g_assert_true (asks_at_step (bar, 1));

  g_subprocess_force_exit (first_runner);
  g_subprocess_force_exit (second_runner);
  g_subprocess_wait (first_runner, NULL, NULL);
  g_subprocess_wait (second_runner, NULL, NULL);
  close_window (window);
}

/* A stand-in for the desktop's notification server: what the app sends. */
typedef struct
{
  GHashTable *sent;  /* id → a{sv} */
  guint       owner_id;
  guint       object_id;
  gboolean    acquired;
} Notifications;

static const char notifications_xml[] =
  "<node><interface name='org.gtk.Notifications'>"
  " <method name='AddNotification'><arg type='s' direction='in'/>"
  "  <arg type='s' direction='in'/><arg type='a{sv}' direction='in'/></method>"
  " <method name='RemoveNotification'><arg type='s' direction='in'/>"
  "  <arg type='s' direction='in'/></method>"
  "</interface></node>";

static void
notifications_method_call (GDBusConnection       *connection,
                           const char            *sender,
                           const char            *object_path,
                           const char            *interface_name,
                           const char            *method_name,
                           GVariant              *parameters,
                           GDBusMethodInvocation *invocation,
                           gpointer               user_data)
{
  Notifications *n = user_data;
  const char *id = NULL;
  GVariant *notification = NULL;

  if (g_str_equal (method_name, "AddNotification"))
    {
      g_variant_get (parameters, "(s&s@a{sv})", NULL, &id, &notification);
      g_hash_table_replace (n->sent, g_strdup (id), notification);
    }
  else
    {
      g_variant_get (parameters, "(s&s)", NULL, &id);
      g_hash_table_remove (n->sent, id);
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable notifications_vtable = { notifications_method_call };

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  ((Notifications *) user_data)->acquired = TRUE;
}

static gboolean
notifications_ready (gpointer data)
{
  return ((Notifications *) data)->acquired;
}

/* The notification's buttons, "Label=action('target')" joined by "; ". */
static char *
notification_buttons (Notifications *n,
                      const char    *run_id)
{
  g_autofree char *id = g_strdup_printf ("remote-question-%s", run_id);
  GVariant *notification = g_hash_table_lookup (n->sent, id);
  g_autoptr(GVariant) buttons = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  GVariantIter iter;
  GVariant *button;

  if (notification == NULL)
    return NULL;
  buttons = g_variant_lookup_value (notification, "buttons", G_VARIANT_TYPE ("aa{sv}"));
  if (buttons == NULL)
    return g_strdup ("");
  g_variant_iter_init (&iter, buttons);
  while ((button = g_variant_iter_next_value (&iter)) != NULL)
    {
      const char *label = NULL, *action = NULL;
      g_autoptr(GVariant) target = g_variant_lookup_value (button, "target", NULL);
      g_autofree char *detailed = NULL;

      g_variant_lookup (button, "label", "&s", &label);
      g_variant_lookup (button, "action", "&s", &action);
      detailed = g_action_print_detailed_name (action, target);
      g_string_append_printf (text, "%s%s=%s", text->len > 0 ? "; " : "", label, detailed);
      g_variant_unref (button);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

typedef struct
{
  Notifications *n;
  const char    *run_id;
  const char    *wanted;
} Waiting;

static gboolean
notified_with (gpointer data)
{
  Waiting *w = data;
  g_autofree char *buttons = notification_buttons (w->n, w->run_id);

  return buttons != NULL && strstr (buttons, w->wanted) != NULL;
}

/* Activates the notification's button labelled @label as the desktop would: its action, on
 * the application, with its target. */
static void
click_button (GApplication  *app,
              Notifications *n,
              const char    *run_id,
              const char    *label)
{
  g_autofree char *buttons = notification_buttons (n, run_id);
  g_autofree char *prefix = g_strdup_printf ("%s=app.", label);
  g_autofree char *name = NULL;
  g_autoptr(GVariant) target = NULL;
  g_autoptr(GError) error = NULL;
  const char *start;
  g_auto(GStrv) parts = NULL;

  g_assert_nonnull (buttons);
  start = strstr (buttons, prefix);
  g_assert_nonnull (start);
  parts = g_strsplit (start + strlen (prefix), "; ", 2);
  g_assert_true (g_action_parse_detailed_name (parts[0], &name, &target, &error));
  g_assert_no_error (error);
  g_action_group_activate_action (G_ACTION_GROUP (app), name, target);
}

static gboolean
dialog_open (gpointer data)
{
  return _reins_remote_questions_get_dialog (data) != NULL;
}

static gboolean
run_done (gpointer data)
{
  return !gtk_widget_get_visible (GTK_WIDGET (data)) ||
         reins_remote_questions_get_run_id (data) == NULL;
}

/* One registered application for the process, as there is one in the app. */
static ReinsApplication *application;

static ReinsApplication *
the_application (void)
{
  g_autoptr(GError) error = NULL;

  if (application != NULL)
    return application;
  application = reins_application_new ();
  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (application), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_application_get_default () == G_APPLICATION (application));
  return application;
}

/* The notification of a question of a run elsewhere: Approve only for an action that can
 * run as it is; a question of the agent gets Review, which opens the dialog. Activated with
 * the run as target, as the desktop does. */
static void
test_notification_actions (Fixture       *f,
                           gconstpointer  data)
{
  static const char ask_then_write[] =
    "{\"responses\": ["
    " {\"tool_calls\": [{\"name\": \"ask_human\", \"arguments\": {\"question\": \"Which file?\"}}]},"
    " {\"tool_calls\": [{\"name\": \"write_file\", \"arguments\": {\"path\": \"b.txt\", \"content\": \"two\"}}]},"
    " {\"tool_calls\": [{\"name\": \"finish\", \"arguments\": {\"answer\": \"done\"}}]}"
    "]}";
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(ReinsApplication) app = NULL;
  g_autoptr(GSubprocess) runner = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) other = NULL;
  g_autoptr(ReinsApprovalRecord) answered = NULL;
  g_autoptr(ReinsApprovalRecord) approved = NULL;
  g_autofree char *b = g_build_filename (f->dir, "b.txt", NULL);
  g_autofree char *buttons = NULL;
  g_autofree char *run_id = NULL;
  Notifications n = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_variant_unref), };
  Waiting waiting = { &n, NULL, NULL };
  ReinsApprovalDialog *dialog;
  ReinsRemoteQuestions *bar;
  ReinsWindow *window;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  n.object_id = g_dbus_connection_register_object (bus, "/org/gtk/Notifications",
                                                   info->interfaces[0], &notifications_vtable,
                                                   &n, NULL, &error);
  g_assert_no_error (error);
  n.owner_id = g_bus_own_name_on_connection (bus, "org.gtk.Notifications",
                                             G_BUS_NAME_OWNER_FLAGS_NONE, name_acquired_cb,
                                             NULL, &n, NULL);
  wait_until (notifications_ready, &n, "the notification server's name");

  app = g_object_ref (the_application ());

  window = open_window (f, GTK_APPLICATION (app), &bar);

  runner = spawn_runner (f, ask_then_write, "ask_human,write_file");
  wait_until (asks_at_step_1, bar, "the question of step 1");
  run_id = g_strdup (reins_remote_questions_get_run_id (bar));
  waiting.run_id = run_id;

  /* The agent's question wants words: no Approve, only Review. */
  waiting.wanted = "Review=app.review-remote";
  wait_until (notified_with, &waiting, "the notification of the question");
  buttons = notification_buttons (&n, run_id);
  g_assert_null (strstr (buttons, "Approve"));
  g_assert_nonnull (strstr (buttons, run_id));
  /* Approve activated anyway (an old notification, a script) approves nothing: it opens
   * the dialog. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "approve-remote",
                                  g_variant_new_string (run_id));
  wait_until (dialog_open, bar, "the dialog");
  other = reins_store_open (f->path, &error);
  g_assert_no_error (error);
  answered = stored_decision (other, run_id, 1);
  g_assert_cmpint (reins_approval_record_get_decision (answered), ==, REINS_DECISION_NONE);
  g_clear_object (&answered);
  gtk_window_destroy (GTK_WINDOW (_reins_remote_questions_get_dialog (bar)));

  /* Review, from the notification, opens it; answered there. */
  click_button (G_APPLICATION (app), &n, run_id, "Review");
  wait_until (dialog_open, bar, "the dialog");
  dialog = REINS_APPROVAL_DIALOG (_reins_remote_questions_get_dialog (bar));
  _reins_approval_dialog_set_text (dialog, "b.txt");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "answer");
  answered = stored_decision (other, run_id, 1);
  g_assert_cmpint (reins_approval_record_get_decision (answered), ==, REINS_DECISION_APPROVE);
  g_assert_cmpstr (reins_approval_record_get_feedback (answered), ==, "b.txt");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* The write can run as it is: Approve and Reject… */
  wait_until (asks_at_step_2, bar, "the question of step 2");
  waiting.wanted = "Approve=app.approve-remote";
  wait_until (notified_with, &waiting, "the notification of the write");
  g_clear_pointer (&buttons, g_free);
  buttons = notification_buttons (&n, run_id);
  g_assert_nonnull (strstr (buttons, "Reject…=app.review-remote"));
  g_assert_null (strstr (buttons, "Review="));
  click_button (G_APPLICATION (app), &n, run_id, "Approve");
  approved = stored_decision (other, run_id, 2);
  g_assert_cmpint (reins_approval_record_get_decision (approved), ==, REINS_DECISION_APPROVE);
  g_assert_nonnull (strstr (reins_approval_record_get_decided_by (approved), g_get_user_name ()));
  g_assert_null (_reins_remote_questions_get_dialog (bar));
  wait_until (run_done, bar, "the bar to go");

  g_subprocess_wait_check (runner, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (b, G_FILE_TEST_EXISTS));

  close_window (window);
  g_bus_unown_name (n.owner_id);
  g_dbus_connection_unregister_object (bus, n.object_id);
  g_hash_table_unref (n.sent);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  reins_test_ui_init (&argc, &argv);

  g_test_add ("/reins/window/remote-questions/answer", Fixture, NULL, fixture_set_up,
              test_answer, fixture_tear_down);
  if (reins_test_pg_available ())
    g_test_add ("/reins/window/remote-questions/pg/answer", Fixture, ON_PG, fixture_set_up,
                test_answer, fixture_tear_down);
  else
    g_test_add_data_func ("/reins/window/remote-questions/pg/answer", NULL,
                          reins_test_pg_missing);

  g_test_add ("/reins/window/remote-questions/dialog", Fixture, NULL, fixture_set_up,
              test_dialog, fixture_tear_down);
  if (reins_test_pg_available ())
    g_test_add ("/reins/window/remote-questions/pg/dialog", Fixture, ON_PG, fixture_set_up,
                test_dialog, fixture_tear_down);
  else
    g_test_add_data_func ("/reins/window/remote-questions/pg/dialog", NULL,
                          reins_test_pg_missing);
  g_test_add ("/reins/window/remote-questions/queue", Fixture, NULL, fixture_set_up,
              test_queue, fixture_tear_down);
  if (reins_test_pg_available ())
    g_test_add ("/reins/window/remote-questions/pg/queue", Fixture, ON_PG, fixture_set_up,
                test_queue, fixture_tear_down);
  else
    g_test_add_data_func ("/reins/window/remote-questions/pg/queue", NULL,
                          reins_test_pg_missing);
  /* Last: the application it registers stays the process's default. */
  g_test_add ("/reins/window/remote-questions/notification-actions", Fixture, NULL,
              fixture_set_up, test_notification_actions, fixture_tear_down);
  if (reins_test_pg_available ())
    g_test_add ("/reins/window/remote-questions/pg/notification-actions", Fixture, ON_PG,
                fixture_set_up, test_notification_actions, fixture_tear_down);
  else
    g_test_add_data_func ("/reins/window/remote-questions/pg/notification-actions", NULL,
                          reins_test_pg_missing);

  status = g_test_run ();
  g_clear_object (&application);
  return status;
}
