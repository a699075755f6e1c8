/* test-run-project.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A project per run: on PostgreSQL the New Run dialog offers the projects the person may
 * start runs in (a runner or an admin of them, not a viewer) and the run is created in the
 * one picked; on a SQLite file there is no such choice. The connection string that carries
 * the project, with malformed input. Runs under Xvfb; PostgreSQL from REINS_TEST_PG_URI.
 */

#include "config.h"

#include <adwaita.h>
#include <libpq-fe.h>
#include <string.h>

#include "reins-new-run-dialog.h"
#include "reins-store.h"
#include "reins-store-projects.h"
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
  char *runner;
  char *viewer;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("reins-project-XXXXXX", NULL);
  if (data == ON_PG)
    f->path = reins_test_pg_schema_new (&f->schema);
  else
    f->path = g_build_filename (f->dir, "runs.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  const char *roles[] = { f->runner, f->viewer };

  if (f->schema != NULL)
    reins_test_pg_schema_drop (f->schema);
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    if (roles[i] != NULL)
      {
        g_autofree char *sql = g_strdup_printf ("DROP OWNED BY %s; DROP ROLE %s", roles[i],
                                                roles[i]);

        reins_test_pg_exec (g_getenv ("REINS_TEST_PG_URI"), sql);
      }
  reins_test_remove_tree (f->dir);
  g_free (f->runner);
  g_free (f->viewer);
  g_free (f->schema);
  g_free (f->dir);
  g_free (f->path);
}

/* The first column of the first row of @sql, as the store's owner. */
static char *
sql_text (const char *uri,
          const char *sql)
{
  PGconn *conn = PQconnectdb (uri);
  PGresult *result;
  char *text = NULL;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  result = PQexec (conn, sql);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  if (PQntuples (result) > 0 && !PQgetisnull (result, 0, 0))
    text = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  PQfinish (conn);
  return text;
}

static void
test_location (void)
{
  static const struct {
    const char *location;
    const char *project;
    const char *expected;
  } cases[] = {
    { "postgresql:///reins?host=/tmp&user=ada", "alpha",
      "postgresql:///reins?host=/tmp&user=ada&options=-c%20reins.project%3Dalpha" },
    /* The URI's own options stay, and a project it names loses to the one picked. */
    { "postgres://db.example/reins?options=-csearch_path%3Dt%20-creins.project%3Dold&sslmode=require",
      "new.one",
      "postgres://db.example/reins?options=-csearch_path%3Dt%20-creins.project%3Dold%20-c%20reins.project%3Dnew.one&sslmode=require" },
    /* No project: none, whatever the URI names. */
    { "postgresql://db.example/reins", NULL,
      "postgresql://db.example/reins?options=-c%20reins.project%3D" },
    { "postgresql://db.example/reins?", "b-2", "postgresql://db.example/reins?options=-c%20reins.project%3Db-2" },
    /* Malformed: not a database, a name options cannot carry, a broken escape. */
    { "/home/ada/runs.db", "alpha", NULL },
    { "sqlite:runs.db", NULL, NULL },
    { "postgresql://db.example/reins", "a b", NULL },
    { "postgresql://db.example/reins", "x';drop", NULL },
    { "postgresql://db.example/reins", "", NULL },
    { "postgresql://db.example/reins?options=%ZZ", "alpha", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *location = reins_store_location_with_project (cases[i].location,
                                                                     cases[i].project);

      g_assert_cmpstr (location, ==, cases[i].expected);
    }
  g_assert_true (reins_store_project_name_is_valid ("nightly_2.a-b"));
  g_assert_false (reins_store_project_name_is_valid (NULL));
  g_assert_false (reins_store_project_name_is_valid ("with space"));
  g_assert_false (reins_store_project_name_is_valid ("ümlaut"));
}

static ReinsNewRunDialog *
open_new_run (ReinsWindow *window)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-run", NULL));
  return REINS_NEW_RUN_DIALOG (_reins_window_get_new_run_dialog (window));
}

/* A SQLite file has no projects: no choice, and the store lists none. */
static void
test_sqlite (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) projects = NULL;
  ReinsNewRunDialog *dialog;
  ReinsWindow *window;
  gboolean has_projects = TRUE;

  window = g_object_ref_sink (reins_window_new (NULL, f->path));
  gtk_window_present (GTK_WINDOW (window));
  wait_until (loaded, window, "the history");
  dialog = open_new_run (window);
  g_assert_nonnull (dialog);
  g_assert_null (_reins_new_run_dialog_dup_projects (dialog));
  g_assert_null (reins_new_run_dialog_get_project (dialog, &has_projects));
  g_assert_false (has_projects);
  g_assert_false (_reins_new_run_dialog_set_project (dialog, "alpha"));

  store = reins_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_false (reins_store_has_projects (store));
  projects = reins_store_list_projects (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (projects), ==, 0);
  g_assert_null (reins_store_dup_connection_project (store));

  gtk_window_destroy (GTK_WINDOW (dialog));
  close_window (window);
}

static gboolean
runs_ended (gpointer data)
{
  return _reins_window_get_n_live_runs (data) == 0;
}

static char *
role_uri (Fixture    *f,
          const char *role)
{
  g_autoptr(GString) uri = g_string_new (f->path);

  g_assert_cmpuint (g_string_replace (uri, "user=reins", "", 1), ==, 1);
  g_string_append_printf (uri, "&user=%s", role);
  return g_string_free (g_steal_pointer (&uri), FALSE);
}

/* On PostgreSQL: the projects the person runs in (runner, admin) are offered, not those it
 * only views nor others; the connection's project comes first; the run is created in the
 * one picked. */
static void
test_pg (Fixture       *f,
         gconstpointer  data)
{
  static const char script[] =
    "{\"responses\": [{\"tool_calls\": [{\"name\": \"finish\", \"arguments\": {\"answer\": \"ok\"}}]}]}";
  g_autoptr(ReinsStore) owner = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *setup = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *in_alpha = NULL;
  g_autofree char *offered = NULL;
  g_autofree char *project = NULL;
  g_autofree char *script_path = g_build_filename (f->dir, "script.json", NULL);
  g_auto(GStrv) all = NULL;
  ReinsNewRunDialog *dialog;
  ReinsWindow *window;
  gboolean has_projects = FALSE;

  /* The owner migrates the schema and sees every project. */
  owner = reins_store_open (f->path, &error);
  g_assert_no_error (error);
  f->runner = g_strdup_printf ("%s_runner", f->schema);
  f->viewer = g_strdup_printf ("%s_viewer", f->schema);
  setup = g_strdup_printf ("CREATE ROLE %s LOGIN; CREATE ROLE %s LOGIN; "
                           "GRANT USAGE ON SCHEMA %s TO %s, %s; "
                           "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %s "
                           "  TO %s, %s; "
                           "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %s TO %s, %s; "
                           "INSERT INTO projects (name) VALUES ('alpha'), ('beta'), ('gamma'), "
                           "  ('delta'); "
                           "INSERT INTO project_members VALUES ('alpha', '%s', 'runner'), "
                           "  ('beta', '%s', 'viewer'), ('gamma', '%s', 'admin'), "
                           "  ('delta', '%s', 'runner')",
                           f->runner, f->viewer, f->schema, f->runner, f->viewer, f->schema,
                           f->runner, f->viewer, f->schema, f->runner, f->viewer, f->runner,
                           f->runner, f->runner, f->viewer);
  reins_test_pg_exec (f->path, setup);
  g_assert_true (reins_store_has_projects (owner));
  all = reins_store_list_projects (owner, &error);
  g_assert_no_error (error);
  offered = g_strjoinv (",", all);
  g_assert_cmpstr (offered, ==, "alpha,beta,delta,gamma");
  g_clear_pointer (&offered, g_free);
  g_assert_null (reins_store_dup_connection_project (owner));

  /* The runner's window, whose connection works in alpha. */
  uri = role_uri (f, f->runner);
  in_alpha = reins_store_location_with_project (uri, "alpha");
  window = g_object_ref_sink (reins_window_new (NULL, in_alpha));
  gtk_window_present (GTK_WINDOW (window));
  wait_until (loaded, window, "the history");
  dialog = open_new_run (window);
  g_assert_nonnull (dialog);
  offered = _reins_new_run_dialog_dup_projects (dialog);
  g_assert_cmpstr (offered, ==, "alpha,gamma");
  g_assert_cmpstr (reins_new_run_dialog_get_project (dialog, &has_projects), ==, "alpha");
  g_assert_true (has_projects);
  save_screenshot (GTK_WIDGET (dialog), "new-run-project.png");
  /* Viewed only, or not its own: not offered. */
  g_assert_false (_reins_new_run_dialog_set_project (dialog, "beta"));
  g_assert_false (_reins_new_run_dialog_set_project (dialog, "delta"));
  g_assert_true (_reins_new_run_dialog_set_project (dialog, NULL));
  g_assert_null (reins_new_run_dialog_get_project (dialog, NULL));
  g_assert_true (_reins_new_run_dialog_set_project (dialog, "gamma"));
  g_assert_cmpstr (reins_new_run_dialog_get_project (dialog, NULL), ==, "gamma");

  g_assert_true (g_file_set_contents (script_path, script, -1, NULL));
  _reins_new_run_dialog_set_workspace (dialog, f->dir);
  _reins_new_run_dialog_set_provider (dialog, "scripted");
  _reins_new_run_dialog_set_script (dialog, script_path);
  _reins_new_run_dialog_set_task (dialog, "In gamma");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "new-run.start", NULL));
  g_assert_null (_reins_window_get_new_run_dialog (window));
  wait_until (runs_ended, window, "the run to end");

  project = sql_text (f->path, "SELECT project FROM runs WHERE task = 'In gamma'");
  g_assert_cmpstr (project, ==, "gamma");
  g_clear_pointer (&project, g_free);
  project = sql_text (f->path, "SELECT status FROM runs WHERE task = 'In gamma'");
  g_assert_cmpstr (project, ==, "completed");

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  reins_test_ui_init (&argc, &argv);

  g_test_add_func ("/reins/store/projects/location", test_location);
  g_test_add ("/reins/window/run-project/sqlite", Fixture, NULL, fixture_set_up, test_sqlite,
              fixture_tear_down);
  if (reins_test_pg_available ())
    g_test_add ("/reins/window/run-project/pg", Fixture, ON_PG, fixture_set_up, test_pg,
                fixture_tear_down);
  else
    g_test_add_data_func ("/reins/window/run-project/pg", NULL, reins_test_pg_missing);

  return g_test_run ();
}
