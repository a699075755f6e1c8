/* test-store.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The run store: schema and migrations, round trips, recovery, damaged and foreign files,
 * search, deletion, large data and two connections on two threads.
 *
 * The tests that do not look at the SQLite file itself run a second time against
 * PostgreSQL (/reins/store/pg/…), each in a schema of its own in the database named by
 * REINS_TEST_PG_URI (build-aux/test.sh starts a throwaway server and sets it). Without it
 * those tests fail when CI=true or REINS_TEST_REQUIRE_PG is set, else they are skipped.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reins-domain.h"
#include "reins-store.h"
#include "reins-store-private.h"
#include "reins-test-util.h"

typedef struct
{
  char *dir;
  /* The store's location: a file, or (PostgreSQL) a URI whose search_path is schema */
  char *path;
  char *schema;
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_chmod (path, 0700);
  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
              !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("reins-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "runs.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* PostgreSQL */

static gboolean
is_pg (const char *location)
{
  return g_str_has_prefix (location, "postgresql://");
}

static void
ignore_notice (void       *data,
               const char *message)
{
}

static PGconn *
pg_connect (const char *uri)
{
  PGconn *conn = PQconnectdb (uri);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("Cannot connect to %s: %s", uri, PQerrorMessage (conn));
  PQsetNoticeProcessor (conn, ignore_notice, NULL);
  return conn;
}

static PGresult *
pg_exec_checked (PGconn     *conn,
                 const char *sql)
{
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  return result;
}

/* The URI of a schema of its own in the test database (REINS_TEST_PG_URI). */
static void
pg_fixture_set_up (Fixture       *f,
                   gconstpointer  data)
{
  const char *base = g_getenv ("REINS_TEST_PG_URI");
  g_autofree char *create = NULL;
  PGconn *conn;
  static guint counter;

  f->dir = g_dir_make_tmp ("reins-store-XXXXXX", NULL);
  f->schema = g_strdup_printf ("t_%d_%u_%u", (int) getpid (), ++counter,
                               g_random_int () % 100000);
  f->path = g_strdup_printf ("%s%soptions=-csearch_path%%3D%s&application_name=%s", base,
                             strchr (base, '?') != NULL ? "&" : "?", f->schema, f->schema);
  conn = pg_connect (base);
  create = g_strdup_printf ("CREATE SCHEMA %s", f->schema);
  PQclear (pg_exec_checked (conn, create));
  PQfinish (conn);
}

static void
pg_fixture_tear_down (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *drop = g_strdup_printf ("DROP SCHEMA %s CASCADE", f->schema);
  PGconn *conn = pg_connect (g_getenv ("REINS_TEST_PG_URI"));

  PQclear (pg_exec_checked (conn, drop));
  PQfinish (conn);
  g_clear_pointer (&f->schema, g_free);
  fixture_tear_down (f, data);
}

static ReinsStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  ReinsStore *store = reins_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

/* Runs SQL on the file (or database) directly, as another program (or an older Reins)
 * would. */
static void
sql_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;
  int rc;

  if (is_pg (path))
    {
      PGconn *conn = pg_connect (path);

      PQclear (pg_exec_checked (conn, sql));
      PQfinish (conn);
      return;
    }

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  rc = sqlite3_exec (db, sql, NULL, NULL, &message);
  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static gint64
sql_int (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  if (is_pg (path))
    {
      PGconn *conn = pg_connect (path);
      PGresult *result = pg_exec_checked (conn, sql);

      g_assert_cmpint (PQntuples (result), ==, 1);
      value = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
      PQclear (result);
      PQfinish (conn);
      return value;
    }

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static ReinsRun *
make_run (const char *task)
{
  ReinsRun *run = reins_run_new (task);
  g_autoptr(JsonNode) settings =
    reins_json_from_string ("{\"max_steps\":20,\"budget_usd\":1.5,"
                            "\"tools\":[\"read_file\",\"finish\"],"
                            "\"guards\":{\"loop\":{\"threshold\":0.92}}}",
                            NULL);

  reins_run_set_provider (run, "sim");
  reins_run_set_model (run, "sim-1");
  reins_run_set_settings (run, json_node_get_object (settings));
  return run;
}

static ReinsStep *
make_step (ReinsRun   *run,
           guint       index,
           const char *thought,
           const char *observation)
{
  ReinsStep *step = reins_step_new (reins_run_get_id (run), index);
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsAction) action = NULL;
  g_autoptr(ReinsVerdict) allow = reins_verdict_new ("budget", REINS_VERDICT_ALLOW,
                                                     "Within budget.");
  guint loop_steps[] = { index > 2 ? index - 2 : 1, index > 1 ? index - 1 : 1, index };
  g_autoptr(ReinsVerdict) correct = reins_verdict_new_with_steps ("loop", REINS_VERDICT_CORRECT,
                                                                  "The same lookup again.",
                                                                  loop_steps, 3);

  json_object_set_string_member (args, "path", "notes/a.txt");
  action = reins_action_new_with_id ("read_file", args, "call_7");
  reins_step_set_thought (step, thought);
  reins_step_set_reply (step, "Thought: reply text\nAction: {…}");
  reins_step_set_action (step, action);
  reins_step_set_observation (step, observation);
  reins_step_set_confidence (step, 0.8125, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  reins_step_set_tokens (step, 812, 57);
  reins_step_set_cost (step, 0.0021, 0.0021 * index);
  reins_step_set_duration_ms (step, 1840);
  reins_step_set_started_at (step, 1767225600123456 + index);
  reins_step_add_verdict (step, allow);
  reins_step_add_verdict (step, correct);
  return step;
}

static void
advance_run (ReinsRun  *run,
             ReinsStep *step)
{
  reins_run_set_step_count (run, reins_step_get_index (step));
  reins_run_set_tokens (run, reins_run_get_input_tokens (run) + reins_step_get_input_tokens (step),
                        reins_run_get_output_tokens (run) + reins_step_get_output_tokens (step));
  reins_run_set_cost_usd (run, reins_step_get_cost_total_usd (step));
}

static void
assert_json_equal (JsonNode *expected,
                   JsonNode *actual)
{
  g_autofree char *e = reins_json_to_string (expected, TRUE);
  g_autofree char *a = reins_json_to_string (actual, TRUE);

  g_assert_cmpstr (a, ==, e);
}

static void
assert_run_equal (ReinsRun  *expected,
                  GPtrArray *expected_steps,
                  ReinsRun  *actual,
                  GPtrArray *actual_steps)
{
  g_autoptr(JsonNode) e = reins_run_to_json (expected, expected_steps);
  g_autoptr(JsonNode) a = reins_run_to_json (actual, actual_steps);

  assert_json_equal (e, a);
}

static char *
read_bytes (const char *path,
            gsize      *length)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

/* The store refuses the file with @code, and the file is byte for byte what it was. */
static void
assert_refused_untouched (const char *path,
                          int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;

  before = read_bytes (path, &before_len);
  store = reins_store_open (path, &error);
  g_assert_error (error, REINS_ERROR, code);
  g_assert_null (store);
  g_assert_nonnull (strstr (error->message, path));
  after = read_bytes (path, &after_len);
  g_assert_cmpuint (after_len, ==, before_len);
  g_assert_true (memcmp (before, after, before_len) == 0);
}

static void
test_create (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *nested = g_build_filename (f->dir, "a", "b", "runs.db", NULL);
  g_autofree char *nested_dir = g_path_get_dirname (nested);
  g_autofree char *default_path = reins_store_default_path ();
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  GStatBuf st;

  g_assert_true (g_str_has_suffix (default_path, "/reins/runs.db"));

  store = open_store (nested);
  g_assert_cmpstr (reins_store_get_path (store), ==, nested);
  g_assert_cmpint (g_stat (nested_dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  runs = reins_store_list_runs (store, -1, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 0);
  g_assert_cmpuint (reins_store_count_runs (store, -1, &error), ==, 0);
  g_assert_no_error (error);

  g_assert_cmpint (sql_int (nested, "PRAGMA user_version"), ==, REINS_STORE_SCHEMA_VERSION);
  g_assert_cmpint (sql_int (nested, "PRAGMA application_id"), ==, 0x5245494E);
  g_assert_cmpint (sql_int (nested,
                            "SELECT count(*) FROM sqlite_master WHERE name = 'search_text'"),
                   ==, 1);
  g_clear_object (&store);

  /* Opening again changes nothing. */
  store = open_store (nested);
  g_assert_cmpint (sql_int (nested, "PRAGMA user_version"), ==, REINS_STORE_SCHEMA_VERSION);
}

static void
test_migrate_v1 (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql_path = g_test_build_filename (G_TEST_DIST, "fixtures", "store-v1.sql", NULL);
  g_autofree char *sql = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  const char *id = "0a4d1c5e-1111-4c1e-9a0b-000000000001";
  GPtrArray *verdicts;
  guint n_steps = 0;

  g_file_get_contents (sql_path, &sql, NULL, &error);
  g_assert_no_error (error);
  sql_exec (f->path, sql);
  g_assert_cmpint (sql_int (f->path, "PRAGMA user_version"), ==, 1);

  store = open_store (f->path);
  g_assert_cmpint (sql_int (f->path, "PRAGMA user_version"), ==, REINS_STORE_SCHEMA_VERSION);

  run = reins_store_get_run (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reins_run_get_task (run), ==, "Find the lighthouse keeper's name");
  g_assert_cmpint (reins_run_get_status (run), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_cmpuint (reins_run_get_input_tokens (run), ==, 1200);
  g_assert_cmpfloat_with_epsilon (reins_run_get_cost_usd (run), 0.0042, 1e-12);
  g_assert_true (json_object_has_member (reins_run_get_settings (run), "max_steps"));

  steps = reins_store_get_steps (store, id, 1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (steps->len, ==, 2);
  g_assert_cmpstr (reins_action_get_name (reins_step_get_action (g_ptr_array_index (steps, 1))),
                   ==, "finish");
  verdicts = reins_step_get_verdicts (g_ptr_array_index (steps, 0));
  g_assert_cmpuint (verdicts->len, ==, 1);
  g_assert_cmpstr (reins_verdict_get_guard (g_ptr_array_index (verdicts, 0)), ==, "drift");
  reins_verdict_get_steps (g_ptr_array_index (verdicts, 0), &n_steps);
  g_assert_cmpuint (n_steps, ==, 1);

  /* What v2 added (search) covers what v1 had stored. */
  hits = reins_store_search (store, "harbour", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpuint (reins_search_hit_get_step (g_ptr_array_index (hits, 0)), ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = reins_store_search (store, "Marlowe", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 2);
}

/* v3 → v4 adds the critic's column: a v3 file keeps its steps (without critiques), and
 * takes critiques from then on; a damaged critique costs the critique, not the step. */
static void
test_migrate_v3 (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = open_store (f->path);
  g_autoptr(ReinsRun) run = make_run ("Judge me");
  g_autoptr(ReinsStep) old_step = make_step (run, 1, "old", "before the critic");
  g_autoptr(ReinsStep) new_step = NULL;
  g_autoptr(ReinsCritique) critique = reins_critique_new (REINS_VERDICT_PHASE_BEFORE_ACTION);
  g_autoptr(GPtrArray) steps = NULL;
  const ReinsCritique *read;

  g_assert_true (reins_store_insert_run (store, run, &error));
  g_assert_true (reins_store_commit_step (store, run, old_step, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  /* What a v3 file looks like. */
  sql_exec (f->path, "DROP TABLE step_feedback; ALTER TABLE runs DROP COLUMN name; "
                     "DROP TABLE run_labels; ALTER TABLE runs DROP COLUMN note; "
                     "ALTER TABLE steps DROP COLUMN critic; PRAGMA user_version = 3;");
  g_assert_cmpint (sql_int (f->path, "PRAGMA user_version"), ==, 3);

  store = open_store (f->path);
  g_assert_cmpint (sql_int (f->path, "PRAGMA user_version"), ==, REINS_STORE_SCHEMA_VERSION);
  steps = reins_store_get_steps (store, reins_run_get_id (run), 1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (steps->len, ==, 1);
  g_assert_cmpstr (reins_step_get_observation (g_ptr_array_index (steps, 0)), ==,
                   "before the critic");
  g_assert_null (reins_step_get_critique (g_ptr_array_index (steps, 0)));
  g_clear_pointer (&steps, g_ptr_array_unref);

  new_step = make_step (run, 2, "new", "with the critic");
  critique->reply = g_strdup ("{\"supported\": true}");
  critique->verdict = REINS_CRITIC_VERDICT_SUPPORTED;
  critique->supported = TRUE;
  critique->done = TRUE;
  critique->evidence_step = 1;
  critique->reason = g_strdup ("Step 1 says so.");
  critique->model = g_strdup ("critic-mini");
  critique->input_tokens = 321;
  critique->output_tokens = 12;
  critique->cost_usd = 0.0004;
  reins_step_set_critique (new_step, critique);
  g_assert_true (reins_store_commit_step (store, run, new_step, &error));
  g_assert_no_error (error);

  steps = reins_store_get_steps (store, reins_run_get_id (run), 1, 0, &error);
  g_assert_no_error (error);
  read = reins_step_get_critique (g_ptr_array_index (steps, 1));
  g_assert_nonnull (read);
  g_assert_cmpint (read->verdict, ==, REINS_CRITIC_VERDICT_SUPPORTED);
  g_assert_cmpuint (read->evidence_step, ==, 1);
  g_assert_cmpstr (read->reply, ==, "{\"supported\": true}");
  g_assert_cmpstr (read->model, ==, "critic-mini");
  g_assert_cmpuint (read->input_tokens, ==, 321);
  g_assert_cmpfloat_with_epsilon (read->cost_usd, 0.0004, 1e-9);
  g_clear_pointer (&steps, g_ptr_array_unref);

  sql_exec (f->path, "UPDATE steps SET critic = '{\"verdict\": \"maybe\"}' WHERE idx = 2;");
  steps = reins_store_get_steps (store, reins_run_get_id (run), 1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (steps->len, ==, 2);
  g_assert_null (reins_step_get_critique (g_ptr_array_index (steps, 1)));
  g_assert_cmpstr (reins_step_get_observation (g_ptr_array_index (steps, 1)), ==,
                   "with the critic");
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = open_store (f->path);
  g_autoptr(ReinsRun) run = make_run ("Summarise the notes");
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(ReinsRun) loaded = NULL;
  g_autoptr(GPtrArray) loaded_steps = NULL;
  g_autoptr(ReinsStep) one = NULL;
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsAction) edited = NULL;
  g_autoptr(ReinsApprovalRecord) resolved = NULL;
  g_autoptr(ReinsApprovalRecord) pending = NULL;
  ReinsStep *step;

  reins_run_set_created_at (run, 1767225600000001);
  reins_run_set_parent (run, "5b0f3c1e-8a5e-4a43-9d55-0c6c0e6d2a11", 3);
  g_assert_true (reins_store_insert_run (store, run, &error));
  g_assert_no_error (error);

  /* A second insert of the same id is refused, not merged. */
  g_assert_false (reins_store_insert_run (store, run, &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
  g_clear_error (&error);

  step = make_step (run, 1, "Read the first note.", "hello\nworld");
  g_ptr_array_add (steps, step);
  advance_run (run, step);
  g_assert_true (reins_store_commit_step (store, run, step, &error));
  g_assert_no_error (error);

  step = make_step (run, 2, "Write the summary.", NULL);
  json_object_set_string_member (args, "path", "summary.md");
  edited = reins_action_new ("write_file", args);
  resolved = reins_approval_record_new (2, "policy", "Writing needs a person.",
                                        reins_step_get_action (step), 0.42);
  reins_approval_record_set_requested_at (resolved, 1767225700000000);
  reins_approval_record_resolve (resolved, REINS_DECISION_EDIT, edited, "Use summary.md",
                                 1767225710000000);
  pending = reins_approval_record_new (2, "confidence", "Low confidence.", NULL, NAN);
  reins_step_add_approval (step, resolved);
  reins_step_add_approval (step, pending);
  reins_step_clear_confidence (step);
  reins_step_set_tool_error (step, TRUE);
  g_ptr_array_add (steps, step);
  advance_run (run, step);
  reins_run_set_status (run, REINS_RUN_STATUS_COMPLETED);
  reins_run_set_final_answer (run, "The notes say hello.");
  reins_run_set_reason (run, "The agent gave a final answer.");
  reins_run_set_finished_at (run, 1767225800000000);
  g_assert_true (reins_store_commit_step (store, run, step, &error));
  g_assert_no_error (error);

  g_clear_object (&store);
  store = open_store (f->path);

  loaded = reins_store_get_run (store, reins_run_get_id (run), &error);
  g_assert_no_error (error);
  loaded_steps = reins_store_get_steps (store, reins_run_get_id (run), 1, 0, &error);
  g_assert_no_error (error);
  assert_run_equal (run, steps, loaded, loaded_steps);

  /* What the JSON leaves out is kept too. */
  g_assert_cmpstr (reins_step_get_reply (g_ptr_array_index (loaded_steps, 0)), ==,
                   "Thought: reply text\nAction: {…}");
  step = g_ptr_array_index (loaded_steps, 0);
  g_assert_cmpstr (reins_action_get_call_id (reins_step_get_action (step)), ==, "call_7");
  g_assert_cmpuint (reins_step_get_verdicts (g_ptr_array_index (loaded_steps, 0))->len, ==, 2);

  one = reins_store_get_step (store, reins_run_get_id (run), 2, &error);
  g_assert_no_error (error);
  g_assert_false (reins_step_has_confidence (one));
  g_assert_cmpuint (reins_step_get_approvals (one)->len, ==, 2);
  g_clear_object (&one);

  one = reins_store_get_step (store, reins_run_get_id (run), 3, &error);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
  g_assert_null (one);
}

static void
test_upsert_step (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = open_store (f->path);
  g_autoptr(ReinsRun) run = make_run ("Edit the file");
  g_autoptr(ReinsStep) waiting = make_step (run, 1, "Overwrite the zebra file.", NULL);
  g_autoptr(ReinsStep) done = make_step (run, 1, "Overwrite the giraffe file.", "written");
  g_autoptr(ReinsVerdict) ask = reins_verdict_new ("policy", REINS_VERDICT_ASK,
                                                   "Writes need a person.");
  g_autoptr(ReinsApprovalRecord) asked = NULL;
  g_autoptr(ReinsApprovalRecord) answered = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(ReinsRun) loaded_run = NULL;
  ReinsApprovalRecord *stored;
  ReinsStep *step;

  /* Committed while the person is asked… */
  reins_step_add_verdict (waiting, ask);
  asked = reins_approval_record_new (1, "policy", "Writes need a person.",
                                     reins_step_get_action (waiting), 0.9);
  reins_step_add_approval (waiting, asked);
  reins_run_set_status (run, REINS_RUN_STATUS_AWAITING_APPROVAL);
  reins_run_set_step_count (run, 1);
  g_assert_true (reins_store_commit_step (store, run, waiting, &error));
  g_assert_no_error (error);

  /* …and again when they answered: the later commit replaces the first. */
  answered = reins_approval_record_new (1, "policy", "Writes need a person.",
                                        reins_step_get_action (done), 0.9);
  reins_approval_record_resolve (answered, REINS_DECISION_APPROVE, NULL, NULL, g_get_real_time ());
  reins_step_add_approval (done, answered);
  reins_run_set_status (run, REINS_RUN_STATUS_RUNNING);
  reins_run_set_cost_usd (run, 0.5);
  g_assert_true (reins_store_commit_step (store, run, done, &error));
  g_assert_no_error (error);

  loaded = reins_store_get_steps (store, reins_run_get_id (run), 1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 1);
  step = g_ptr_array_index (loaded, 0);
  g_assert_cmpstr (reins_step_get_thought (step), ==, "Overwrite the giraffe file.");
  g_assert_cmpuint (reins_step_get_verdicts (step)->len, ==, 2);
  g_assert_cmpint (reins_step_get_worst_verdict (step), ==, REINS_VERDICT_CORRECT);
  g_assert_cmpuint (reins_step_get_approvals (step)->len, ==, 1);
  stored = g_ptr_array_index (reins_step_get_approvals (step), 0);
  g_assert_cmpint (reins_approval_record_get_decision (stored), ==, REINS_DECISION_APPROVE);

  loaded_run = reins_store_get_run (store, reins_run_get_id (run), &error);
  g_assert_no_error (error);
  g_assert_cmpint (reins_run_get_status (loaded_run), ==, REINS_RUN_STATUS_RUNNING);
  g_assert_cmpfloat (reins_run_get_cost_usd (loaded_run), ==, 0.5);

  /* A commit that keeps the status still writes the rest of the run (the status is left
   * out of that update), and one that changes it writes it; the live runs' index follows. */
  for (guint i = 0; i < 2; i++)
    {
      ReinsRunStatus status = i == 0 ? REINS_RUN_STATUS_RUNNING : REINS_RUN_STATUS_COMPLETED;

      reins_run_set_status (run, status);
      reins_run_set_cost_usd (run, 0.75 + i);
      reins_run_set_step_count (run, 2 + i);
      g_assert_true (reins_store_commit_step (store, run, done, &error));
      g_assert_no_error (error);
      g_clear_object (&loaded_run);
      loaded_run = reins_store_get_run (store, reins_run_get_id (run), &error);
      g_assert_no_error (error);
      g_assert_cmpint (reins_run_get_status (loaded_run), ==, status);
      g_assert_cmpfloat (reins_run_get_cost_usd (loaded_run), ==, 0.75 + i);
      g_assert_cmpuint (reins_run_get_step_count (loaded_run), ==, 2 + i);
    }
  if (!is_pg (f->path))
    {
      g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM runs INDEXED BY runs_by_status "
                                         "WHERE status IN ('running', 'paused', "
                                         "'awaiting_approval')"), ==, 0);
      g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM pragma_integrity_check "
                                         "WHERE integrity_check != 'ok'"), ==, 0);
    }

  /* The search index follows the replacement. */
  hits = reins_store_search (store, "zebra", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = reins_store_search (store, "giraffe", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);

  /* A step belonging to another run is refused. */
  {
    g_autoptr(ReinsRun) other = make_run ("Other");
    g_autoptr(ReinsStep) stray = make_step (other, 1, "x", "y");

    g_assert_false (reins_store_commit_step (store, run, stray, &error));
    g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
  }
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = open_store (f->path);
  g_autoptr(ReinsRun) run = make_run ("Never stored");
  g_autoptr(ReinsRun) missing = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autofree char *request = NULL;

  missing = reins_store_get_run (store, "no-such-run", &error);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
  g_assert_null (missing);
  g_clear_error (&error);

  g_assert_false (reins_store_update_run (store, run, &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (reins_store_delete_run (store, "no-such-run", &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (reins_store_add_exchange (store, "no-such-run", 1, "{}", "{}", 5, &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (reins_store_add_compression (store, "no-such-run", 3, "summary", &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (reins_store_get_exchange (store, "no-such-run", 1, &request, NULL, &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  steps = reins_store_get_steps (store, "no-such-run", 1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (steps->len, ==, 0);
}

static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = open_store (f->path);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) completed = NULL;
  g_auto(GStrv) matches = NULL;
  g_autofree char *prefix = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *task = g_strdup_printf ("Task %u", i);
      g_autoptr(ReinsRun) run = make_run (task);

      reins_run_set_created_at (run, 1767225600000000 + i * G_USEC_PER_SEC);
      reins_run_set_status (run, i % 2 == 0 ? REINS_RUN_STATUS_COMPLETED : REINS_RUN_STATUS_FAILED);
      g_assert_true (reins_store_insert_run (store, run, &error));
      g_assert_no_error (error);
    }

  all = reins_store_list_runs (store, -1, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *task = g_strdup_printf ("Task %u", 4 - i);

      g_assert_cmpstr (reins_run_get_task (g_ptr_array_index (all, i)), ==, task);
    }

  page = reins_store_list_runs (store, -1, 1, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_cmpstr (reins_run_get_task (g_ptr_array_index (page, 0)), ==, "Task 3");

  completed = reins_store_list_runs (store, REINS_RUN_STATUS_COMPLETED, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (completed->len, ==, 3);
  g_assert_cmpuint (reins_store_count_runs (store, REINS_RUN_STATUS_FAILED, &error), ==, 2);
  g_assert_cmpuint (reins_store_count_runs (store, -1, &error), ==, 5);

  prefix = g_strndup (reins_run_get_id (g_ptr_array_index (all, 0)), 8);
  matches = reins_store_match_run_ids (store, prefix, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (matches), ==, 1);
  g_assert_cmpstr (matches[0], ==, reins_run_get_id (g_ptr_array_index (all, 0)));
  g_clear_pointer (&matches, g_strfreev);
  matches = reins_store_match_run_ids (store, "", 0, &error);
  g_assert_cmpuint (g_strv_length (matches), ==, 5);
  g_clear_pointer (&matches, g_strfreev);
  matches = reins_store_match_run_ids (store, "%_'\"", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (matches), ==, 0);
}

/* The pid of a process that has ended. */
static GPid
dead_pid (void)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "true", NULL };
  GPid pid = 0;
  int status;

  g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                 NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  return pid;
}

static void
test_interrupted (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = open_store (f->path);
  const char *tasks[] = { "live", "dead pid", "reused pid", "other boot", "finished", "paused" };
  ReinsRun *runs[G_N_ELEMENTS (tasks)];
  g_autofree char *sql = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (tasks); i++)
    {
      runs[i] = make_run (tasks[i]);
      if (i == 4)
        reins_run_set_status (runs[i], REINS_RUN_STATUS_COMPLETED);
      if (i == 5)
        reins_run_set_status (runs[i], REINS_RUN_STATUS_PAUSED);
      g_assert_true (reins_store_insert_run (store, runs[i], &error));
      g_assert_no_error (error);
    }
  g_clear_object (&store);

  sql = g_strdup_printf ("UPDATE runs SET owner_pid = %d "
                         "  WHERE task IN ('dead pid', 'finished', 'paused');"
                         "UPDATE runs SET owner_start_time = '1' WHERE task = 'reused pid';"
                         "UPDATE runs SET owner_boot_id = 'another-boot' "
                         "  WHERE task = 'other boot';",
                         (int) dead_pid ());
  sql_exec (f->path, sql);

  store = open_store (f->path);
  for (guint i = 0; i < G_N_ELEMENTS (tasks); i++)
    {
      g_autoptr(ReinsRun) loaded = reins_store_get_run (store, reins_run_get_id (runs[i]), &error);
      /* On PostgreSQL another boot id may be another machine, whose processes cannot be
       * checked from here: its runs are left alone. */
      ReinsRunStatus expected = i == 0 ? REINS_RUN_STATUS_RUNNING
                              : i == 4 ? REINS_RUN_STATUS_COMPLETED
                              : i == 3 && is_pg (f->path) ? REINS_RUN_STATUS_RUNNING
                              : REINS_RUN_STATUS_INTERRUPTED;

      g_assert_no_error (error);
      if (reins_run_get_status (loaded) != expected)
        g_error ("run “%s”: status %s, expected %s", tasks[i],
                 reins_run_status_to_string (reins_run_get_status (loaded)),
                 reins_run_status_to_string (expected));
      if (expected == REINS_RUN_STATUS_INTERRUPTED)
        g_assert_nonnull (strstr (reins_run_get_reason (loaded), "ended before the run finished"));
      g_object_unref (runs[i]);
    }
  g_assert_cmpuint (reins_store_count_runs (store, REINS_RUN_STATUS_INTERRUPTED, &error), ==,
                    is_pg (f->path) ? 3 : 4);
}

static void
test_corrupt (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  char garbage[8192];

  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = (char) g_test_rand_int_range (0, 256);
  g_file_set_contents (f->path, garbage, sizeof garbage, &error);
  g_assert_no_error (error);
  assert_refused_untouched (f->path, REINS_ERROR_STORE_CORRUPT);

  /* Text that is not a database at all */
  g_file_set_contents (f->path, "{\"runs\": []}\n", -1, &error);
  g_assert_no_error (error);
  assert_refused_untouched (f->path, REINS_ERROR_STORE_CORRUPT);
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = open_store (f->path);
  g_autoptr(ReinsRun) run = make_run ("A run with a long observation");
  g_autofree char *big = g_strnfill (256 * 1024, 'q');
  g_autoptr(ReinsStep) step = make_step (run, 1, "Read it all.", big);
  GStatBuf st;

  g_assert_true (reins_store_commit_step (store, run, step, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 256 * 1024);
  g_assert_cmpint (truncate (f->path, st.st_size / 2), ==, 0);
  assert_refused_untouched (f->path, REINS_ERROR_STORE_CORRUPT);
}

static void
test_foreign (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *other = g_build_filename (f->dir, "other.db", NULL);

  sql_exec (f->path, "CREATE TABLE contacts (name TEXT, phone TEXT);"
                     "INSERT INTO contacts VALUES ('Ada', '555');");
  assert_refused_untouched (f->path, REINS_ERROR_STORE_FOREIGN);

  /* Another program's schema version does not make it ours. */
  sql_exec (other, "PRAGMA user_version = 7; CREATE TABLE runs (x);");
  assert_refused_untouched (other, REINS_ERROR_STORE_FOREIGN);
}

static void
test_newer (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(ReinsStore) store = open_store (f->path);
  g_autoptr(ReinsRun) run = make_run ("Stored by a newer Reins");
  g_autoptr(GError) error = NULL;

  g_assert_true (reins_store_insert_run (store, run, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  sql_exec (f->path, "PRAGMA user_version = 99");
  assert_refused_untouched (f->path, REINS_ERROR_STORE_NEWER);
  g_assert_cmpint (sql_int (f->path, "PRAGMA user_version"), ==, 99);
}

static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = NULL;

  if (getuid () == 0)
    {
      /* root writes through permission bits; /proc/self cannot hold files for anyone. */
      store = reins_store_open ("/proc/self/reins-test.db", &error);
      g_assert_error (error, REINS_ERROR, REINS_ERROR_STORE_READ_ONLY);
      g_assert_null (store);
      g_assert_nonnull (strstr (error->message, "/proc/self/reins-test.db"));
      return;
    }

  /* A new store in a folder that cannot be written */
  g_assert_cmpint (g_chmod (f->dir, 0555), ==, 0);
  store = reins_store_open (f->path, &error);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_STORE_READ_ONLY);
  g_assert_null (store);
  g_clear_error (&error);
  g_assert_cmpint (g_chmod (f->dir, 0700), ==, 0);

  /* An existing store file that cannot be written */
  store = open_store (f->path);
  g_clear_object (&store);
  g_assert_cmpint (g_chmod (f->path, 0444), ==, 0);
  store = reins_store_open (f->path, &error);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_STORE_READ_ONLY);
  g_assert_null (store);
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = open_store (f->path);
  g_autoptr(ReinsRun) a = make_run ("Find the lighthouse keeper");
  g_autoptr(ReinsRun) b = make_run ("Count the sheep");
  g_autoptr(ReinsStep) a1 = make_step (a, 1, "Check the harbour register.", "Keeper: Ada Marlowe");
  g_autoptr(ReinsStep) b1 = make_step (b, 1, "Walk the pasture.", "42 sheep AND(\"quoted\") -x *");
  g_autoptr(GPtrArray) hits = NULL;
  const char *nasty[] = { "\"", "*", "AND(", "-", "AND", "OR NOT", "foo\"bar", "NEAR(a b)",
                          "col:word", "^start", "'", "\"\"\"", "(((", "x AND(", "-x", "\\",
                          "\xff\xfe", "", "   ", NULL };
  ReinsSearchHit *hit;

  reins_run_set_final_answer (a, "The keeper is Ada Marlowe.");
  g_assert_true (reins_store_commit_step (store, a, a1, &error));
  g_assert_true (reins_store_commit_step (store, b, b1, &error));
  g_assert_no_error (error);

  hits = reins_store_search (store, "harbour", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  hit = g_ptr_array_index (hits, 0);
  g_assert_cmpstr (reins_search_hit_get_run_id (hit), ==, reins_run_get_id (a));
  g_assert_cmpuint (reins_search_hit_get_step (hit), ==, 1);
  g_assert_cmpstr (reins_search_hit_get_task (hit), ==, "Find the lighthouse keeper");
  g_assert_nonnull (strstr (reins_search_hit_get_snippet (hit), "harbour"));
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* The task and the answer are hits of step 0; every word must match. */
  hits = reins_store_search (store, "lighthouse keeper", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpuint (reins_search_hit_get_step (g_ptr_array_index (hits, 0)), ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);

  hits = reins_store_search (store, "Marlowe", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 2);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* The start of a word, as one types */
  hits = reins_store_search (store, "light", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* FTS syntax in a query is text, never an error. */
  for (guint i = 0; nasty[i] != NULL; i++)
    {
      hits = reins_store_search (store, nasty[i], 0, &error);
      g_assert_no_error (error);
      g_assert_nonnull (hits);
      g_clear_pointer (&hits, g_ptr_array_unref);
    }
  hits = reins_store_search (store, "AND(\"quoted", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (reins_search_hit_get_run_id (g_ptr_array_index (hits, 0)), ==,
                   reins_run_get_id (b));
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* "-x" is the word x, not "leave out x": only the step has both words. */
  hits = reins_store_search (store, "sheep -x", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpuint (reins_search_hit_get_step (g_ptr_array_index (hits, 0)), ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* A step built without its run id is indexed under the run it was committed to. */
  {
    g_autoptr(ReinsStep) orphan = reins_step_new (NULL, 2);

    reins_step_set_thought (orphan, "A narwhal appears.");
    g_assert_true (reins_store_commit_step (store, b, orphan, &error));
    g_assert_no_error (error);
    hits = reins_store_search (store, "narwhal", 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (hits->len, ==, 1);
    g_assert_cmpstr (reins_search_hit_get_run_id (g_ptr_array_index (hits, 0)), ==,
                     reins_run_get_id (b));
    g_assert_cmpuint (reins_search_hit_get_step (g_ptr_array_index (hits, 0)), ==, 2);
    g_clear_pointer (&hits, g_ptr_array_unref);
  }

  /* The run's row is written again only when its task or answer changed: found once,
   * by its new words and not its old ones, however often its steps are committed. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(ReinsStep) later = make_step (b, 3 + i, "Count again.", "43 sheep");

      if (i == 1)
        reins_run_set_final_answer (b, "Exactly forty-three.");
      g_assert_true (reins_store_commit_step (store, b, later, &error));
      g_assert_no_error (error);
      hits = reins_store_search (store, "Count the sheep", 0, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (hits->len, ==, 1);
      g_assert_cmpuint (reins_search_hit_get_step (g_ptr_array_index (hits, 0)), ==, 0);
      g_clear_pointer (&hits, g_ptr_array_unref);
      hits = reins_store_search (store, "forty", 0, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (hits->len, ==, i == 0 ? 0 : 1);
      g_clear_pointer (&hits, g_ptr_array_unref);
    }

  /* Deleted runs are not found. */
  g_assert_true (reins_store_delete_run (store, reins_run_get_id (a), &error));
  hits = reins_store_search (store, "Marlowe", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 0);
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = open_store (f->path);
  g_autoptr(ReinsRun) keep = make_run ("Keep me");
  g_autoptr(ReinsRun) drop = make_run ("Drop me");
  g_autoptr(ReinsStep) step = make_step (drop, 1, "Unique walrus thought.", "obs");
  g_autoptr(ReinsStep) kept_step = make_step (keep, 1, "Kept thought.", "obs");
  g_autoptr(ReinsRun) loaded = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  const char *id = reins_run_get_id (drop);

  g_assert_true (reins_store_commit_step (store, keep, kept_step, &error));
  g_assert_true (reins_store_commit_step (store, drop, step, &error));
  g_assert_true (reins_store_add_exchange (store, id, 1, "{\"req\":1}", "{\"res\":1}", 12, &error));
  g_assert_true (reins_store_add_compression (store, id, 1, "Summary", &error));
  g_assert_no_error (error);

  g_assert_true (reins_store_delete_run (store, id, &error));
  g_assert_no_error (error);
  runs = reins_store_list_runs (store, -1, 0, 0, &error);
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_cmpstr (reins_run_get_id (g_ptr_array_index (runs, 0)), ==, reins_run_get_id (keep));
  g_clear_pointer (&runs, g_ptr_array_unref);
  g_assert_cmpuint (reins_store_count_runs (store, -1, &error), ==, 1);

  /* Undo brings it back whole. */
  g_assert_true (reins_store_undelete_run (store, id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (reins_store_count_runs (store, -1, &error), ==, 2);
  hits = reins_store_search (store, "walrus", 0, &error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Purge removes only what is deleted, with everything that hangs on it. */
  g_assert_true (reins_store_delete_run (store, id, &error));
  g_assert_true (reins_store_purge_deleted (store, &error));
  g_assert_no_error (error);
  loaded = reins_store_get_run (store, id, &error);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  steps = reins_store_get_steps (store, id, 1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (steps->len, ==, 0);
  hits = reins_store_search (store, "walrus", 0, &error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_assert_false (reins_store_get_exchange (store, id, 1, NULL, NULL, &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM verdicts"), ==, 2);
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM compressions"), ==, 0);
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM search_text"), ==, 2);
  g_assert_cmpuint (reins_store_count_runs (store, -1, &error), ==, 1);
}

static void
test_exchanges (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = open_store (f->path);
  g_autoptr(ReinsRun) run = make_run ("Replay me");
  g_autofree char *request = NULL;
  g_autofree char *response = NULL;
  g_autofree char *summary = NULL;
  const char *id = reins_run_get_id (run);
  guint up_to = 99;

  g_assert_true (reins_store_insert_run (store, run, &error));
  g_assert_true (reins_store_add_exchange (store, id, 1, "{\"a\":1}", "{\"b\":1}", 10, &error));
  g_assert_true (reins_store_add_exchange (store, id, 1, "{\"a\":2}", "{\"b\":2}", 11, &error));
  g_assert_no_error (error);
  g_assert_true (reins_store_get_exchange (store, id, 1, &request, &response, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (request, ==, "{\"a\":2}");
  g_assert_cmpstr (response, ==, "{\"b\":2}");

  summary = reins_store_get_compression (store, id, 10, &up_to, &error);
  g_assert_no_error (error);
  g_assert_null (summary);
  g_assert_cmpuint (up_to, ==, 0);

  g_assert_true (reins_store_add_compression (store, id, 3, "Steps 1-3", &error));
  g_assert_true (reins_store_add_compression (store, id, 6, "Steps 1-6", &error));
  g_assert_no_error (error);
  summary = reins_store_get_compression (store, id, 6, &up_to, &error);
  g_assert_cmpstr (summary, ==, "Steps 1-3");
  g_assert_cmpuint (up_to, ==, 3);
  g_clear_pointer (&summary, g_free);
  summary = reins_store_get_compression (store, id, 20, &up_to, &error);
  g_assert_cmpstr (summary, ==, "Steps 1-6");
  g_assert_cmpuint (up_to, ==, 6);
}

static void
test_invalid_utf8 (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = open_store (f->path);
  g_autoptr(ReinsRun) run = make_run ("Bad \xc3\x28 bytes in the task");
  g_autoptr(ReinsStep) step = make_step (run, 1, "thought", "before\xff\xfe" "after \xe2\x82 end");
  g_autoptr(ReinsStep) loaded = NULL;
  g_autoptr(ReinsRun) loaded_run = NULL;
  const char *observation;

  g_assert_true (reins_store_commit_step (store, run, step, &error));
  g_assert_no_error (error);

  loaded = reins_store_get_step (store, reins_run_get_id (run), 1, &error);
  g_assert_no_error (error);
  observation = reins_step_get_observation (loaded);
  g_assert_true (g_utf8_validate (observation, -1, NULL));
  g_assert_true (g_str_has_prefix (observation, "before"));
  g_assert_nonnull (strstr (observation, "after "));
  g_assert_true (g_str_has_suffix (observation, " end"));
  g_assert_nonnull (strstr (observation, "\xef\xbf\xbd"));

  loaded_run = reins_store_get_run (store, reins_run_get_id (run), &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (reins_run_get_task (loaded_run), -1, NULL));
  g_assert_true (g_str_has_suffix (reins_run_get_task (loaded_run), " bytes in the task"));
}

static void
test_enormous (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = open_store (f->path);
  g_autoptr(ReinsRun) run = make_run ("Read a huge log");
  gsize size = 20 * 1024 * 1024;
  g_autofree char *huge = g_malloc (size + 1);
  g_autoptr(ReinsStep) step = NULL;
  g_autoptr(ReinsStep) loaded = NULL;

  for (gsize i = 0; i < size; i++)
    huge[i] = "abcdefgh ij\n"[i % 12];
  memcpy (huge + size - 9, "THE-END!!", 9);
  huge[size] = '\0';
  step = make_step (run, 1, "Read it.", huge);

  g_assert_true (reins_store_commit_step (store, run, step, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  store = open_store (f->path);
  loaded = reins_store_get_step (store, reins_run_get_id (run), 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (reins_step_get_observation (loaded)), ==, size);
  g_assert_true (strcmp (reins_step_get_observation (loaded), huge) == 0);
}

static void
test_lazy_ranges (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = open_store (f->path);
  g_autoptr(ReinsRun) run = make_run ("A very long run");
  g_autoptr(GPtrArray) range = NULL;
  const guint n = 10000;
  gint64 start = g_get_monotonic_time ();

  /* A few one-by-one commits (the executor's way), the rest in one transaction. */
  for (guint i = 1; i <= 100; i++)
    {
      g_autoptr(ReinsStep) step = make_step (run, i, "Next key.", "{\"next\": \"chain/…\"}");

      advance_run (run, step);
      if (!reins_store_commit_step (store, run, step, &error))
        g_error ("step %u: %s", i, error->message);
    }
  g_test_message ("100 commits in %.3f s", (g_get_monotonic_time () - start) / 1e6);

  start = g_get_monotonic_time ();
  {
    g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 101; i <= n; i++)
      {
        /* Plain steps keep this quick under the sanitizers; a few carry verdicts. */
        ReinsStep *step = i % 1000 == 5 ? make_step (run, i, "Next key.", "{\"next\": \"…\"}")
                                        : reins_step_new (reins_run_get_id (run), i);

        reins_step_set_observation (step, "{\"next\": \"chain/…\"}");

        advance_run (run, step);
        g_ptr_array_add (batch, step);
      }
    g_assert_true (reins_store_commit_steps (store, run, batch, &error));
    g_assert_no_error (error);
  }
  g_test_message ("%u steps in one transaction in %.2f s", n - 100,
                  (g_get_monotonic_time () - start) / 1e6);

  start = g_get_monotonic_time ();
  range = reins_store_get_steps (store, reins_run_get_id (run), 5000, 10, &error);
  g_assert_no_error (error);
  g_test_message ("a range of 10 in %.3f ms", (g_get_monotonic_time () - start) / 1e3);
  g_assert_cmpuint (range->len, ==, 10);
  for (guint i = 0; i < 10; i++)
    g_assert_cmpuint (reins_step_get_index (g_ptr_array_index (range, i)), ==, 5000 + i);
  /* Step 5005 has its verdicts, its neighbours none. */
  g_assert_cmpuint (reins_step_get_verdicts (g_ptr_array_index (range, 5))->len, ==, 2);
  g_assert_cmpuint (reins_step_get_verdicts (g_ptr_array_index (range, 4))->len, ==, 0);
  g_clear_pointer (&range, g_ptr_array_unref);

  range = reins_store_get_steps (store, reins_run_get_id (run), 9995, 0, &error);
  g_assert_cmpuint (range->len, ==, 6);
  g_assert_cmpuint (reins_step_get_index (g_ptr_array_index (range, 5)), ==, n);
  g_clear_pointer (&range, g_ptr_array_unref);

  range = reins_store_get_steps (store, reins_run_get_id (run), n + 1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (range->len, ==, 0);
  g_clear_pointer (&range, g_ptr_array_unref);

  {
    g_autoptr(ReinsRun) loaded = reins_store_get_run (store, reins_run_get_id (run), &error);

    g_assert_no_error (error);
    g_assert_cmpuint (reins_run_get_step_count (loaded), ==, n);
  }
}

typedef struct
{
  const char *path;
  const char *run_id;
  guint       n_steps;
} WriterData;

static gpointer
writer_thread (gpointer user_data)
{
  WriterData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = reins_store_open (data->path, &error);
  g_autoptr(ReinsRun) run = NULL;

  g_assert_no_error (error);
  run = reins_store_get_run (store, data->run_id, &error);
  g_assert_no_error (error);
  for (guint i = 1; i <= data->n_steps; i++)
    {
      g_autoptr(ReinsStep) step = make_step (run, i, "Thinking in the background.", "obs");

      advance_run (run, step);
      if (!reins_store_commit_step (store, run, step, &error))
        g_error ("writer, step %u: %s", i, error->message);
    }
  reins_run_set_status (run, REINS_RUN_STATUS_COMPLETED);
  g_assert_true (reins_store_update_run (store, run, &error));
  g_assert_no_error (error);
  return NULL;
}

static void
test_threads (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = open_store (f->path);
  g_autoptr(ReinsRun) run = make_run ("Written on a worker");
  WriterData writer = { f->path, reins_run_get_id (run), 300 };
  GThread *thread;
  guint reads = 0;
  guint last_seen = 0;

  g_assert_true (reins_store_insert_run (store, run, &error));
  g_assert_no_error (error);

  thread = g_thread_new ("writer", writer_thread, &writer);
  for (;;)
    {
      g_autoptr(ReinsRun) loaded = reins_store_get_run (store, writer.run_id, &error);
      g_autoptr(GPtrArray) steps = NULL;
      g_autoptr(GPtrArray) runs = NULL;

      g_assert_no_error (error);
      steps = reins_store_get_steps (store, writer.run_id, 1, 0, &error);
      g_assert_no_error (error);
      runs = reins_store_list_runs (store, -1, 0, 0, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (runs->len, ==, 1);
      /* Readers see whole commits, in order. */
      g_assert_cmpuint (steps->len, >=, last_seen);
      last_seen = steps->len;
      reads++;
      if (reins_run_get_status (loaded) == REINS_RUN_STATUS_COMPLETED)
        break;
    }
  g_thread_join (thread);
  g_test_message ("%u reads while the writer committed", reads);

  {
    g_autoptr(GPtrArray) steps = reins_store_get_steps (store, writer.run_id, 1, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (steps->len, ==, writer.n_steps);
  }
}

/* docs/store.md names the schema version; a migration that forgets the docs fails here. */
static void
test_docs_version (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "docs", "store.md", NULL);
  g_autofree char *text = NULL;
  g_autofree char *expected = g_strdup_printf ("currently %d;", REINS_STORE_SCHEMA_VERSION);
  g_autofree char *stale = g_strdup_printf ("currently %d;", REINS_STORE_SCHEMA_VERSION - 1);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, expected));
  g_assert_null (strstr (text, stale));
}

static gpointer
open_store_thread (gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = reins_store_open (data, &error);

  if (error != NULL)
    g_test_message ("opening %s: %s", (const char *) data, error->message);
  return GINT_TO_POINTER (store != NULL && error == NULL);
}

/* Several connections opening one new store at the same moment (the window and a reins-cli
 * run, say) all get it: none is told the file is locked. */
static void
test_open_concurrently (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("reins-store-race-XXXXXX", &error);

  g_assert_no_error (error);
  for (guint round = 0; round < 20; round++)
    {
      g_autofree char *path = g_strdup_printf ("%s/runs-%u.db", dir, round);
      GThread *threads[4];

      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        threads[i] = g_thread_new ("open", open_store_thread, path);
      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        g_assert_true (GPOINTER_TO_INT (g_thread_join (threads[i])));
    }
  reins_test_remove_tree (dir);
}

static void
count_progress (guint     done,
                guint     total,
                ReinsRun *run,
                guint     n_steps,
                gboolean  copied,
                gpointer  user_data)
{
  guint *n_calls = user_data;

  g_assert_cmpuint (done, ==, *n_calls + 1);
  g_assert_cmpuint (done, <=, total);
  (*n_calls)++;
}

static void
assert_stores_hold_same_run (ReinsStore *a,
                             ReinsStore *b,
                             const char *run_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsRun) run_a = reins_store_get_run (a, run_id, &error);
  g_autoptr(ReinsRun) run_b = reins_store_get_run (b, run_id, &error);
  g_autoptr(GPtrArray) steps_a = reins_store_get_steps (a, run_id, 1, 0, &error);
  g_autoptr(GPtrArray) steps_b = reins_store_get_steps (b, run_id, 1, 0, &error);

  g_assert_no_error (error);
  assert_run_equal (run_a, steps_a, run_b, steps_b);
}

/* reins-cli store copy: every run that is not deleted, with its steps, exchanges and
 * summaries; copying again copies nothing; a run that grew is brought up to date. The
 * target is f->path (a file, or PostgreSQL), the source a file. */
static void
test_copy (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *source_path = g_build_filename (f->dir, "source.db", NULL);
  g_autofree char *back_path = g_build_filename (f->dir, "back.db", NULL);
  g_autoptr(ReinsStore) source = open_store (source_path);
  g_autoptr(ReinsStore) target = open_store (f->path);
  g_autoptr(ReinsStore) back = NULL;
  g_autoptr(ReinsRun) a = make_run ("Copied with everything");
  g_autoptr(ReinsRun) fork = make_run ("A fork of it");
  g_autoptr(ReinsRun) gone = make_run ("Deleted, not copied");
  g_autoptr(ReinsStep) a1 = make_step (a, 1, "one", "obs");
  g_autoptr(ReinsStep) a2 = make_step (a, 2, "two", "obs");
  g_autoptr(ReinsStep) a3 = make_step (a, 3, "three", "obs");
  g_autoptr(ReinsStep) f1 = make_step (fork, 1, "one", "obs");
  g_autoptr(ReinsStep) g1 = make_step (gone, 1, "gone", "obs");
  g_autoptr(ReinsApprovalRecord) approval = NULL;
  g_autoptr(ReinsRun) missing = NULL;
  g_autofree char *request = NULL;
  g_autofree char *summary = NULL;
  guint copied = 99, same = 99, n_calls = 0, up_to = 0;

  approval = reins_approval_record_new (2, "confidence", "Unsure.", reins_step_get_action (a2),
                                        0.4);
  reins_approval_record_set_decided_by (approval, "ada");
  reins_approval_record_resolve (approval, REINS_DECISION_APPROVE, NULL, "fine", 1767225600);
  reins_step_add_approval (a2, approval);
  advance_run (a, a2);
  g_assert_true (reins_store_commit_step (source, a, a1, &error));
  g_assert_true (reins_store_commit_step (source, a, a2, &error));
  g_assert_true (reins_store_add_exchange (source, reins_run_get_id (a), 2, "{\"q\":2}",
                                           "{\"r\":2}", 7, &error));
  g_assert_true (reins_store_add_compression (source, reins_run_get_id (a), 1, "S1", &error));
  g_assert_true (reins_store_add_compression (source, reins_run_get_id (a), 2, "S2", &error));
  reins_run_set_parent (fork, reins_run_get_id (a), 2);
  g_assert_true (reins_store_commit_step (source, fork, f1, &error));
  g_assert_true (reins_store_commit_step (source, gone, g1, &error));
  g_assert_true (reins_store_delete_run (source, reins_run_get_id (gone), &error));
  g_assert_true (reins_store_add_label (source, reins_run_get_id (a), "keep", &error));
  g_assert_true (reins_store_set_note (source, reins_run_get_id (a), "Look at step 2.", &error));
  g_assert_true (reins_store_set_name (source, reins_run_get_id (a), "Keeper", &error));
  g_assert_true (reins_store_set_feedback (source, reins_run_get_id (a), 2, -1, "Off", &error));
  g_assert_no_error (error);

  g_assert_true (reins_store_copy (source, target, count_progress, &n_calls, &copied, &same,
                                   &error));
  g_assert_no_error (error);
  g_assert_cmpuint (copied, ==, 2);
  g_assert_cmpuint (same, ==, 0);
  g_assert_cmpuint (n_calls, ==, 2);
  assert_stores_hold_same_run (source, target, reins_run_get_id (a));
  assert_stores_hold_same_run (source, target, reins_run_get_id (fork));
  missing = reins_store_get_run (target, reins_run_get_id (gone), &error);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (reins_store_get_exchange (target, reins_run_get_id (a), 2, &request, NULL,
                                           &error));
  g_assert_cmpstr (request, ==, "{\"q\":2}");
  summary = reins_store_get_compression (target, reins_run_get_id (a), 2, &up_to, &error);
  g_assert_cmpstr (summary, ==, "S1");
  g_clear_pointer (&summary, g_free);
  summary = reins_store_get_compression (target, reins_run_get_id (a), 10, &up_to, &error);
  g_assert_cmpstr (summary, ==, "S2");
  g_assert_cmpuint (up_to, ==, 2);
  {
    g_auto(GStrv) labels = reins_store_get_labels (target, reins_run_get_id (a), &error);
    g_autofree char *note = reins_store_get_note (target, reins_run_get_id (a), &error);
    g_auto(GStrv) fork_labels = reins_store_get_labels (target, reins_run_get_id (fork), &error);

    g_assert_no_error (error);
    g_assert_cmpstrv (labels, ((const char *[]) { "keep", NULL }));
    g_assert_cmpstr (note, ==, "Look at step 2.");
    g_assert_cmpuint (g_strv_length (fork_labels), ==, 0);
  }
  {
    g_autofree char *name = reins_store_get_name (target, reins_run_get_id (a), &error);
    g_autofree char *fork_name = reins_store_get_name (target, reins_run_get_id (fork), &error);
    g_autoptr(GPtrArray) feedback = reins_store_get_feedback (target, reins_run_get_id (a),
                                                              &error);
    ReinsStepFeedback *item;

    g_assert_no_error (error);
    g_assert_cmpstr (name, ==, "Keeper");
    g_assert_null (fork_name);
    g_assert_cmpuint (feedback->len, ==, 1);
    item = g_ptr_array_index (feedback, 0);
    g_assert_cmpuint (item->step, ==, 2);
    g_assert_cmpint (item->rating, ==, -1);
    g_assert_cmpstr (item->comment, ==, "Off");
  }
  g_assert_no_error (error);

  /* Again: nothing to copy. */
  g_assert_true (reins_store_copy (source, target, NULL, NULL, &copied, &same, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (copied, ==, 0);
  g_assert_cmpuint (same, ==, 2);

  /* The run grew: only it is copied again. */
  advance_run (a, a3);
  g_assert_true (reins_store_commit_step (source, a, a3, &error));
  g_assert_true (reins_store_copy (source, target, NULL, NULL, &copied, &same, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (copied, ==, 1);
  g_assert_cmpuint (same, ==, 1);
  assert_stores_hold_same_run (source, target, reins_run_get_id (a));
  g_assert_cmpuint (reins_store_count_runs (target, -1, &error), ==, 2);

  /* And back to a file, the same again. */
  back = open_store (back_path);
  g_assert_true (reins_store_copy (target, back, NULL, NULL, &copied, &same, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (copied, ==, 2);
  assert_stores_hold_same_run (source, back, reins_run_get_id (a));
  assert_stores_hold_same_run (source, back, reins_run_get_id (fork));
}

typedef struct
{
  const char *path;
  const char *run_id;
  const char *who;
  GMutex     *lock;
  GCond      *cond;
  gboolean   *go;
  gboolean    won;
} Decider;

static gpointer
decider_thread (gpointer data)
{
  Decider *d = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = open_store (d->path);
  g_autoptr(ReinsStep) step = reins_store_get_step (store, d->run_id, 1, &error);
  ReinsApprovalRecord *pending = g_ptr_array_index (reins_step_get_approvals (step), 0);

  reins_approval_record_set_decided_by (pending, d->who);
  reins_approval_record_resolve (pending, g_str_equal (d->who, "ada") ? REINS_DECISION_APPROVE
                                                                      : REINS_DECISION_REJECT,
                                 NULL, d->who, g_get_real_time ());
  /* Both ready, then both at once */
  g_mutex_lock (d->lock);
  while (!*d->go)
    g_cond_wait (d->cond, d->lock);
  g_mutex_unlock (d->lock);
  d->won = reins_store_decide_approval (store, d->run_id, 1, 0, pending, &error);
  if (!d->won)
    g_assert_error (error, REINS_ERROR, REINS_ERROR_FAILED);
  return NULL;
}

/* Two people answer the question a run waits for, at once: exactly one decision is stored,
 * and it says who took it. */
static void
test_decide (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = open_store (f->path);
  g_autoptr(ReinsRun) run = make_run ("Waits for a person");
  g_autoptr(ReinsStep) step = make_step (run, 1, "Delete the file?", NULL);
  g_autoptr(ReinsApprovalRecord) pending =
    reins_approval_record_new (1, "confidence", "Unsure.", reins_step_get_action (step), 0.3);
  g_autoptr(ReinsStep) loaded = NULL;
  g_autoptr(ReinsStep) open = NULL;
  g_autoptr(ReinsApprovalRecord) winner = NULL;
  ReinsApprovalRecord *stored;
  guint ord = 99;
  GMutex lock;
  GCond cond;
  gboolean go = FALSE;
  Decider deciders[2] = {
    { f->path, reins_run_get_id (run), "ada", &lock, &cond, &go, FALSE },
    { f->path, reins_run_get_id (run), "bob", &lock, &cond, &go, FALSE },
  };
  GThread *threads[2];

  reins_step_add_approval (step, pending);
  g_assert_true (reins_store_commit_step (store, run, step, &error));
  g_assert_no_error (error);
  /* A run that is not awaiting approval waits for no question, even with one open. */
  g_assert_null (reins_store_get_open_question (store, run, &ord, &error));
  g_assert_no_error (error);
  reins_run_set_status (run, REINS_RUN_STATUS_AWAITING_APPROVAL);
  g_assert_true (reins_store_commit_step (store, run, step, &error));
  g_assert_no_error (error);
  open = reins_store_get_open_question (store, run, &ord, &error);
  g_assert_no_error (error);
  g_assert_nonnull (open);
  g_assert_cmpuint (reins_step_get_index (open), ==, 1);
  g_assert_cmpuint (ord, ==, 0);
  g_assert_null (reins_store_get_decision (store, reins_run_get_id (run), 1, 0, &error));
  g_assert_no_error (error);

  g_mutex_init (&lock);
  g_cond_init (&cond);
  for (guint i = 0; i < 2; i++)
    threads[i] = g_thread_new ("decider", decider_thread, &deciders[i]);
  g_mutex_lock (&lock);
  go = TRUE;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
  for (guint i = 0; i < 2; i++)
    g_thread_join (threads[i]);
  g_mutex_clear (&lock);
  g_cond_clear (&cond);

  g_assert_true (deciders[0].won != deciders[1].won);
  loaded = reins_store_get_step (store, reins_run_get_id (run), 1, &error);
  g_assert_no_error (error);
  stored = g_ptr_array_index (reins_step_get_approvals (loaded), 0);
  if (deciders[0].won)
    {
      g_assert_cmpint (reins_approval_record_get_decision (stored), ==, REINS_DECISION_APPROVE);
      g_assert_cmpstr (reins_approval_record_get_decided_by (stored), ==, "ada");
    }
  else
    {
      g_assert_cmpint (reins_approval_record_get_decision (stored), ==, REINS_DECISION_REJECT);
      g_assert_cmpstr (reins_approval_record_get_decided_by (stored), ==, "bob");
    }
  g_assert_cmpstr (reins_approval_record_get_feedback (stored), ==,
                   reins_approval_record_get_decided_by (stored));
  /* The loser sees who decided what; the question is no longer open. */
  winner = reins_store_get_decision (store, reins_run_get_id (run), 1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reins_approval_record_get_decided_by (winner), ==, deciders[0].won ? "ada"
                                                                                     : "bob");
  g_clear_object (&open);
  g_assert_null (reins_store_get_open_question (store, run, &ord, &error));
  g_assert_no_error (error);
  /* The question and its action are kept. */
  g_assert_cmpstr (reins_approval_record_get_reason (stored), ==, "Unsure.");
  g_assert_nonnull (reins_approval_record_get_action (stored));

  /* The step written again with its question undecided, as a resumed run asks it again:
   * the stored decision stays, so no second answer can win after it. */
  g_assert_true (reins_store_commit_step (store, run, step, &error));
  g_assert_no_error (error);
  g_clear_object (&loaded);
  loaded = reins_store_get_step (store, reins_run_get_id (run), 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reins_step_get_approvals (loaded)->len, ==, 1);
  stored = g_ptr_array_index (reins_step_get_approvals (loaded), 0);
  g_assert_cmpint (reins_approval_record_get_decision (stored), ==,
                   deciders[0].won ? REINS_DECISION_APPROVE : REINS_DECISION_REJECT);
  g_assert_cmpstr (reins_approval_record_get_decided_by (stored), ==,
                   deciders[0].won ? "ada" : "bob");
  g_assert_null (reins_store_get_open_question (store, run, &ord, &error));
  g_assert_no_error (error);

  /* A step that is not there */
  reins_approval_record_resolve (pending, REINS_DECISION_APPROVE, NULL, NULL, 1);
  g_assert_false (reins_store_decide_approval (store, reins_run_get_id (run), 7, 0, pending,
                                               &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (reins_store_get_decision (store, reins_run_get_id (run), 7, 0, &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
}

/* PostgreSQL only */

static void
test_pg_create (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = open_store (f->path);
  g_autoptr(GPtrArray) runs = NULL;

  g_assert_cmpstr (reins_store_get_backend_name (store), ==, "postgresql");
  g_assert_true (reins_store_is_remote (reins_store_get_path (store)));
  runs = reins_store_list_runs (store, -1, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 0);
  g_assert_cmpint (sql_int (f->path, "SELECT value::int FROM reins_meta "
                                     "WHERE key = 'schema_version'"), ==, 5);
  g_clear_object (&store);

  /* Opening again changes nothing. */
  store = open_store (f->path);
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM reins_meta"), ==, 2);
  g_assert_cmpint (sql_int (f->path, "SELECT value::int FROM reins_meta "
                                     "WHERE key = 'schema_version'"), ==, 5);
}

static gint64
pg_count_tables (Fixture *f)
{
  g_autofree char *sql =
    g_strdup_printf ("SELECT count(*) FROM pg_tables WHERE schemaname = '%s'", f->schema);

  return sql_int (f->path, sql);
}

static void
test_pg_foreign (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = NULL;

  sql_exec (f->path, "CREATE TABLE runs (name TEXT, phone TEXT)");
  store = reins_store_open (f->path, &error);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_STORE_FOREIGN);
  g_assert_null (store);
  /* Nothing was written. */
  g_assert_cmpint (pg_count_tables (f), ==, 1);
}

static void
test_pg_newer (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = open_store (f->path);

  g_clear_object (&store);
  sql_exec (f->path, "UPDATE reins_meta SET value = '99' WHERE key = 'schema_version'");
  store = reins_store_open (f->path, &error);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_STORE_NEWER);
  g_assert_null (store);
  g_assert_cmpint (sql_int (f->path, "SELECT value::int FROM reins_meta "
                                     "WHERE key = 'schema_version'"), ==, 99);
}

/* The server ends the store's connection (a restart, a network cut): the next commit
 * connects again and stores the step; nothing is lost. */
static void
test_pg_reconnect (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = open_store (f->path);
  g_autoptr(ReinsRun) run = make_run ("Survive a lost connection");
  g_autoptr(ReinsStep) step1 = make_step (run, 1, "one", "obs");
  g_autoptr(ReinsStep) step2 = make_step (run, 2, "two", "obs");
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) loaded = NULL;
  g_autofree char *kill = g_strdup_printf ("SELECT count(pg_terminate_backend (pid)) "
                                           "FROM pg_stat_activity "
                                           "WHERE application_name = '%s' "
                                           "  AND pid <> pg_backend_pid ()", f->schema);

  g_assert_true (reins_store_commit_step (store, run, step1, &error));
  g_assert_no_error (error);

  g_assert_cmpint (sql_int (f->path, kill), ==, 1);
  g_assert_true (reins_store_commit_step (store, run, step2, &error));
  g_assert_no_error (error);

  g_assert_cmpint (sql_int (f->path, kill), ==, 1);
  loaded = reins_store_get_run (store, reins_run_get_id (run), &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);

  g_assert_cmpint (sql_int (f->path, kill), ==, 1);
  steps = reins_store_get_steps (store, reins_run_get_id (run), 1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (steps->len, ==, 2);
}

/* Live history: another connection's commit changes the data version (LISTEN/NOTIFY);
 * the store's own commits do not. */
static void
test_pg_notify (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) window = open_store (f->path);
  g_autoptr(ReinsStore) runner = open_store (f->path);
  g_autoptr(ReinsRun) run = make_run ("Watched from a window");
  g_autoptr(ReinsRun) own = make_run ("Written by the window itself");
  g_autoptr(ReinsStep) step = make_step (run, 1, "one", "obs");
  gint64 before, runner_before;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  before = reins_store_get_data_version (window, &error);
  g_assert_no_error (error);
  g_assert_true (reins_store_commit_step (runner, run, step, &error));
  g_assert_no_error (error);
  while (reins_store_get_data_version (window, &error) == before)
    {
      g_assert_no_error (error);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_thread_yield ();
    }

  before = reins_store_get_data_version (window, &error);
  runner_before = reins_store_get_data_version (runner, &error);
  g_assert_true (reins_store_insert_run (window, own, &error));
  g_assert_no_error (error);
  /* Once the runner has heard of the window's commit, the window has too. */
  while (reins_store_get_data_version (runner, &error) == runner_before)
    {
      g_assert_no_error (error);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_thread_yield ();
    }
  g_assert_cmpint (reins_store_get_data_version (window, &error), ==, before);
}

static gboolean
watch_cb (gpointer user_data)
{
  guint *n_calls = user_data;

  (*n_calls)++;
  return G_SOURCE_CONTINUE;
}

/* The window's history is told of another process's commit by the store's watch, at once
 * (a notification on the socket), with no polling; a SQLite store has no watch. */
static void
test_pg_watch (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) window = open_store (f->path);
  g_autoptr(ReinsStore) runner = open_store (f->path);
  g_autofree char *file = g_build_filename (f->dir, "runs.db", NULL);
  g_autoptr(ReinsStore) local = open_store (file);
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) watch = reins_store_create_watch (window);
  g_autoptr(ReinsRun) run = make_run ("Watched");
  gint64 before = reins_store_get_data_version (window, &error);
  /* Before the watch's own 5 s tick: only the notification can have woken it. */
  gint64 deadline = g_get_monotonic_time () + 4 * G_USEC_PER_SEC;
  guint n_calls = 0;

  g_assert_null (reins_store_create_watch (local));
  g_assert_nonnull (watch);
  g_source_set_callback (watch, watch_cb, &n_calls, NULL);
  g_source_attach (watch, context);

  g_assert_true (reins_store_insert_run (runner, run, &error));
  g_assert_no_error (error);
  while (n_calls == 0)
    {
      g_main_context_iteration (context, FALSE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  g_assert_cmpint (reins_store_get_data_version (window, &error), >, before);
  g_source_destroy (watch);
}

/* Leases: a run owned on another machine is interrupted once its lease lapsed, not
 * before; a live run's lease is renewed while its store is open, and dropped when the run
 * ends. */
/* Reads the notifications that have come on @conn (which LISTENs on "reins_leases" and
 * "reins_runs") into the sets of the pids that sent each, waiting on the socket until
 * @done; fails at @deadline (monotonic). Notifications of one transaction arrive together,
 * at its commit. */
typedef gboolean (*PgDoneFunc) (PGconn      *conn,
                                const char  *path,
                                gpointer     data);

typedef struct
{
  GHashTable *lease_senders;
  GHashTable *runs_senders;
  const char *sql_lease;
  gint64      first;
} PgSenders;

static void
pg_wait_senders (PGconn      *conn,
                 const char  *path,
                 PgSenders   *senders,
                 PgDoneFunc   done,
                 gint64       deadline)
{
  for (;;)
    {
      PGnotify *notify;
      GPollFD fd = { PQsocket (conn), G_IO_IN, 0 };
      gint64 left = deadline - g_get_monotonic_time ();

      g_assert_true (PQconsumeInput (conn));
      while ((notify = PQnotifies (conn)) != NULL)
        {
          g_hash_table_add (g_str_equal (notify->relname, "reins_leases")
                              ? senders->lease_senders : senders->runs_senders,
                            GINT_TO_POINTER (notify->be_pid));
          PQfreemem (notify);
        }
      if (done (conn, path, senders))
        return;
      g_assert_cmpint (left, >, 0);
      g_poll (&fd, 1, (int) (left / 1000) + 1);
    }
}

/* A heartbeat has notified a renewal and the lease of the run has moved on. */
static gboolean
renewed (PGconn      *conn,
         const char  *path,
         gpointer     data)
{
  PgSenders *senders = data;

  return g_hash_table_size (senders->lease_senders) > 0 &&
         sql_int (path, senders->sql_lease) > senders->first;
}

/* @conn itself has notified "reins_runs". */
static gboolean
notified_itself (PGconn      *conn,
                 const char  *path,
                 gpointer     data)
{
  PgSenders *senders = data;

  return g_hash_table_contains (senders->runs_senders, GINT_TO_POINTER (PQbackendPID (conn)));
}

static void
test_pg_lease (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(ReinsRun) lapsed = make_run ("Lease lapsed");
  g_autoptr(ReinsRun) held = make_run ("Lease held");
  g_autoptr(ReinsRun) mine = make_run ("Renewed here");
  g_autoptr(ReinsRun) loaded = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *lease_of_mine = NULL;
  g_autoptr(GHashTable) lease_senders = NULL;
  g_autoptr(GHashTable) runs_senders = NULL;
  g_autofree char *update_task = NULL;
  PgSenders senders;
  GHashTableIter iter;
  gpointer pid;
  PGconn *leases;
  gint64 first, deadline;

  g_setenv ("REINS_STORE_LEASE_SECONDS", "3", TRUE);
  leases = pg_connect (f->path);
  PQclear (pg_exec_checked (leases, "LISTEN reins_leases; LISTEN reins_runs"));
  store = open_store (f->path);
  g_assert_true (reins_store_insert_run (store, lapsed, &error));
  g_assert_true (reins_store_insert_run (store, held, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  sql = g_strdup_printf ("UPDATE runs SET owner_boot_id = 'another-machine', "
                         "  lease_until = %" G_GINT64_FORMAT " WHERE id = '%s';"
                         "UPDATE runs SET owner_boot_id = 'another-machine', "
                         "  lease_until = %" G_GINT64_FORMAT " WHERE id = '%s';",
                         g_get_real_time () - G_USEC_PER_SEC, reins_run_get_id (lapsed),
                         g_get_real_time () + G_TIME_SPAN_HOUR, reins_run_get_id (held));
  sql_exec (f->path, sql);

  store = open_store (f->path);
  loaded = reins_store_get_run (store, reins_run_get_id (lapsed), &error);
  g_assert_no_error (error);
  g_assert_cmpint (reins_run_get_status (loaded), ==, REINS_RUN_STATUS_INTERRUPTED);
  g_assert_nonnull (strstr (reins_run_get_reason (loaded), "lease"));
  g_clear_object (&loaded);
  loaded = reins_store_get_run (store, reins_run_get_id (held), &error);
  g_assert_cmpint (reins_run_get_status (loaded), ==, REINS_RUN_STATUS_RUNNING);

  /* The heartbeat renews every third of the lease (1 s here). */
  g_assert_true (reins_store_insert_run (store, mine, &error));
  g_assert_no_error (error);
  lease_of_mine = g_strdup_printf ("SELECT coalesce (lease_until, 0) FROM runs WHERE id = '%s'",
                                   reins_run_get_id (mine));
  first = sql_int (f->path, lease_of_mine);
  g_assert_cmpint (first, >, g_get_real_time ());
  /* Each renewal is notified on "reins_leases", not on "reins_runs" (the windows' data
   * version): no heartbeat's connection sends "reins_runs". Other tests may write to the
   * same database meanwhile, so only the senders of renewals count. */
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  senders.lease_senders = lease_senders = g_hash_table_new (NULL, NULL);
  senders.runs_senders = runs_senders = g_hash_table_new (NULL, NULL);
  senders.sql_lease = lease_of_mine;
  senders.first = first;
  pg_wait_senders (leases, f->path, &senders, renewed, deadline);
  g_hash_table_iter_init (&iter, lease_senders);
  while (g_hash_table_iter_next (&iter, &pid, NULL))
    g_assert_false (g_hash_table_contains (runs_senders, pid));
  /* The check can fire: another change of the run is notified on "reins_runs", here by
   * the listening connection itself. */
  update_task = g_strdup_printf ("UPDATE runs SET task = task || '.' WHERE id = '%s'",
                                 reins_run_get_id (mine));
  PQclear (pg_exec_checked (leases, update_task));
  pg_wait_senders (leases, f->path, &senders, notified_itself, deadline);
  PQfinish (leases);

  /* Ended: no lease to hold. */
  reins_run_set_status (mine, REINS_RUN_STATUS_COMPLETED);
  g_assert_true (reins_store_update_run (store, mine, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (f->path, lease_of_mine), ==, 0);
  g_unsetenv ("REINS_STORE_LEASE_SECONDS");
}

/* Code written for the SQLite file only (its statements), called on a PostgreSQL store,
 * fails with a clear error instead of crashing; on a file it works. */
static void
test_pg_sqlite_only (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = open_store (f->path);
  g_autofree char *file = g_build_filename (f->dir, "runs.db", NULL);
  g_autoptr(ReinsStore) local = open_store (file);

  g_assert_null (reins_store_prepare (store, "SELECT 1", &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, "SQLite"));
  g_clear_error (&error);
  g_assert_false (reins_store_exec (store, "SELECT 1", &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_STORE);
  g_clear_error (&error);
  reins_store_rollback (store);

  {
    g_autoptr(ReinsStoreStmt) stmt = reins_store_prepare (local, "SELECT 1", &error);

    g_assert_no_error (error);
    g_assert_nonnull (stmt);
  }
  g_assert_true (reins_store_exec (local, "SELECT 1", &error));
  g_assert_no_error (error);
}

/* The URI of @role's connection to the fixture's schema, working in @project. */
static char *
pg_role_uri (Fixture    *f,
             const char *role,
             const char *project)
{
  const char *base = g_getenv ("REINS_TEST_PG_URI");
  g_autofree char *user = g_strdup_printf ("user=%s", role);
  g_autoptr(GString) uri = g_string_new (base);

  g_assert_cmpuint (g_string_replace (uri, "user=reins", user, 1), ==, 1);
  g_string_append_printf (uri, "%soptions=-csearch_path%%3D%s%%20-creins.project%%3D%s",
                          strchr (base, '?') != NULL ? "&" : "?", f->schema, project);
  return g_string_free (g_steal_pointer (&uri), FALSE);
}

static ReinsStore *
open_as (Fixture    *f,
         const char *role,
         const char *project)
{
  g_autofree char *uri = pg_role_uri (f, role, project);

  return open_store (uri);
}

/* A run of @store's project waiting for a person at step 1. */
static ReinsRun *
commit_question (ReinsStore  *store,
                 GError     **error)
{
  ReinsRun *run = make_run ("Waits in a project");
  g_autoptr(ReinsStep) step = make_step (run, 1, "Delete the file?", NULL);
  g_autoptr(ReinsApprovalRecord) pending =
    reins_approval_record_new (1, "confidence", "Unsure.", reins_step_get_action (step), 0.3);

  reins_step_add_approval (step, pending);
  reins_run_set_status (run, REINS_RUN_STATUS_AWAITING_APPROVAL);
  if (!reins_store_commit_step (store, run, step, error))
    g_clear_object (&run);
  return run;
}

static gboolean
decide_as (ReinsStore  *store,
           ReinsRun    *run,
           const char  *who,
           GError     **error)
{
  g_autoptr(ReinsApprovalRecord) record =
    reins_approval_record_new (1, "confidence", "Unsure.", NULL, 0.3);

  reins_approval_record_set_decided_by (record, who);
  reins_approval_record_resolve (record, REINS_DECISION_APPROVE, NULL, NULL, 1);
  return reins_store_decide_approval (store, reins_run_get_id (run), 1, 0, record, error);
}

/* Projects and row-level security: each role tries what it must not do and is refused
 * cleanly (a clear error or nothing to see), with nothing written. */
static void
test_pg_projects (Fixture       *f,
                  gconstpointer  data)
{
  static const char *const roles[] = { "viewer", "approver", "runner", "outsider" };
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) owner = open_store (f->path);
  g_autoptr(ReinsStore) viewer = NULL;
  g_autoptr(ReinsStore) approver = NULL;
  g_autoptr(ReinsStore) runner = NULL;
  g_autoptr(ReinsStore) outsider = NULL;
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(ReinsRun) refused = NULL;
  g_autoptr(ReinsRun) seen = NULL;
  g_autoptr(ReinsRun) mine = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  char *name[G_N_ELEMENTS (roles)];
  g_autofree char *setup = NULL;
  g_autofree char *count_open = NULL;
  g_autofree char *teardown = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      g_autofree char *sql = NULL;

      name[i] = g_strdup_printf ("%s_%s", f->schema, roles[i]);
      sql = g_strdup_printf ("CREATE ROLE %s LOGIN; GRANT USAGE ON SCHEMA %s TO %s; "
                             "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %s "
                             "  TO %s; "
                             "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %s TO %s",
                             name[i], f->schema, name[i], f->schema, name[i], f->schema,
                             name[i]);
      sql_exec (f->path, sql);
    }
  setup = g_strdup_printf ("INSERT INTO projects (name) VALUES ('alpha'), ('beta');"
                           "INSERT INTO project_members VALUES ('alpha', '%s', 'viewer'), "
                           "  ('alpha', '%s', 'approver'), ('alpha', '%s', 'runner'), "
                           "  ('beta', '%s', 'runner')",
                           name[0], name[1], name[2], name[3]);
  sql_exec (f->path, setup);

  viewer = open_as (f, name[0], "alpha");
  approver = open_as (f, name[1], "alpha");
  runner = open_as (f, name[2], "alpha");
  outsider = open_as (f, name[3], "beta");

  /* A runner creates runs and steps, in its project. */
  run = commit_question (runner, &error);
  g_assert_no_error (error);
  g_assert_nonnull (run);
  g_assert_cmpint (sql_int (f->path, "SELECT count (*) FROM runs WHERE project = 'alpha'"),
                   ==, 1);

  /* A viewer reads it but may not answer, nor create a run. */
  seen = reins_store_get_run (viewer, reins_run_get_id (run), &error);
  g_assert_no_error (error);
  g_assert_nonnull (seen);
  g_assert_false (decide_as (viewer, run, "viewer", &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_STORE_READ_ONLY);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  refused = commit_question (viewer, &error);
  g_assert_null (refused);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_STORE_READ_ONLY);
  g_clear_error (&error);
  count_open = g_strdup_printf ("SELECT count (*) FROM approvals a JOIN steps s "
                                "  ON s.num = a.step_num WHERE decision IS NULL "
                                "  AND s.run_id = '%s'", reins_run_get_id (run));
  g_assert_cmpint (sql_int (f->path, count_open), ==, 1);
  g_assert_cmpint (sql_int (f->path, "SELECT count (*) FROM runs"), ==, 1);

  /* Another project's member sees none of it, and cannot answer it either. */
  runs = reins_store_list_runs (outsider, -1, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 0);
  g_assert_null (reins_store_get_run (outsider, reins_run_get_id (run), &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (decide_as (outsider, run, "outsider", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (sql_int (f->path, count_open), ==, 1);
  /* Its own runs are its own: the alpha runner does not see them. */
  mine = commit_question (outsider, &error);
  g_assert_no_error (error);
  g_clear_pointer (&runs, g_ptr_array_unref);
  runs = reins_store_list_runs (runner, -1, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 1);

  /* An approver answers. */
  g_assert_true (decide_as (approver, run, "approver", &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (f->path, count_open), ==, 0);

  g_clear_object (&viewer);
  g_clear_object (&approver);
  g_clear_object (&runner);
  g_clear_object (&outsider);
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      teardown = g_strdup_printf ("DROP OWNED BY %s; DROP ROLE %s", name[i], name[i]);
      sql_exec (g_getenv ("REINS_TEST_PG_URI"), teardown);
      g_clear_pointer (&teardown, g_free);
      g_clear_pointer (&name[i], g_free);
    }
}

/* Bad URIs give a clear error, and never show the password. */
static void
test_pg_unreachable (void)
{
  const char *uris[] = {
    "postgresql://reins:Sekr1t@/reins?host=/nonexistent-reins-dir",
    "postgres://reins@/reins?host=/nonexistent-reins-dir&password=Sekr1t",
    "postgresql://reins:Sekr1t@localhost:1/reins?connect_timeout=5",
  };

  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ReinsStore) store = reins_store_open (uris[i], &error);

      g_assert_null (store);
      g_assert_error (error, REINS_ERROR, REINS_ERROR_STORE);
      g_test_message ("%s", error->message);
      g_assert_null (strstr (error->message, "Sekr1t"));
      g_assert_nonnull (strstr (error->message, "***"));
      g_assert_nonnull (strstr (error->message, "reins@") != NULL
                          ? strstr (error->message, "reins@")
                          : strstr (error->message, "reins:***@"));
    }
  g_assert_true (reins_store_is_remote ("postgres://x/y"));
  g_assert_true (reins_store_is_remote ("PostgreSQL://x/y"));
  g_assert_false (reins_store_is_remote ("/home/me/postgresql://runs.db"));
  g_assert_false (reins_store_is_remote ("runs.db"));
}

/* No server to test against: a failure in CI and under build-aux/test.sh, else a skip. */
static void
test_pg_missing (gconstpointer data)
{
  if (g_strcmp0 (g_getenv ("CI"), "true") == 0 || g_getenv ("REINS_TEST_REQUIRE_PG") != NULL)
    g_test_fail_printf ("REINS_TEST_PG_URI is not set: the PostgreSQL store is not tested "
                        "(build-aux/test.sh starts a server)");
  else
    g_test_skip ("REINS_TEST_PG_URI is not set: no PostgreSQL server to test the store "
                 "against (build-aux/test.sh starts one)");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/reins/store/store/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("create", test_create);
  ADD ("migrate-v1", test_migrate_v1);
  ADD ("migrate-v3", test_migrate_v3);
  ADD ("round-trip", test_round_trip);
  ADD ("upsert-step", test_upsert_step);
  ADD ("not-found", test_not_found);
  ADD ("list", test_list);
  ADD ("interrupted", test_interrupted);
  ADD ("corrupt", test_corrupt);
  ADD ("truncated", test_truncated);
  ADD ("foreign", test_foreign);
  ADD ("newer", test_newer);
  ADD ("read-only", test_read_only);
  ADD ("search", test_search);
  ADD ("delete", test_delete);
  ADD ("exchanges", test_exchanges);
  ADD ("invalid-utf8", test_invalid_utf8);
  ADD ("enormous", test_enormous);
  ADD ("lazy-ranges", test_lazy_ranges);
  ADD ("threads", test_threads);
  ADD ("copy", test_copy);
  ADD ("decide", test_decide);
  g_test_add_func ("/reins/store/store/docs-version", test_docs_version);
  g_test_add_func ("/reins/store/store/open-concurrently", test_open_concurrently);
  g_test_add_func ("/reins/store/pg-uri/unreachable", test_pg_unreachable);

  /* The same behaviour on PostgreSQL */
#define ADD_PG(path, func) \
  if (g_getenv ("REINS_TEST_PG_URI") != NULL && *g_getenv ("REINS_TEST_PG_URI") != '\0') \
    g_test_add ("/reins/store/pg/" path, Fixture, NULL, pg_fixture_set_up, func, \
                pg_fixture_tear_down); \
  else \
    g_test_add_data_func ("/reins/store/pg/" path, NULL, test_pg_missing)

  ADD_PG ("create", test_pg_create);
  ADD_PG ("foreign", test_pg_foreign);
  ADD_PG ("newer", test_pg_newer);
  ADD_PG ("round-trip", test_round_trip);
  ADD_PG ("upsert-step", test_upsert_step);
  ADD_PG ("not-found", test_not_found);
  ADD_PG ("list", test_list);
  ADD_PG ("interrupted", test_interrupted);
  ADD_PG ("search", test_search);
  ADD_PG ("delete", test_delete);
  ADD_PG ("exchanges", test_exchanges);
  ADD_PG ("invalid-utf8", test_invalid_utf8);
  ADD_PG ("enormous", test_enormous);
  ADD_PG ("lazy-ranges", test_lazy_ranges);
  ADD_PG ("threads", test_threads);
  ADD_PG ("copy", test_copy);
  ADD_PG ("decide", test_decide);
  ADD_PG ("reconnect", test_pg_reconnect);
  ADD_PG ("notify", test_pg_notify);
  ADD_PG ("watch", test_pg_watch);
  ADD_PG ("lease", test_pg_lease);
  ADD_PG ("sqlite-only", test_pg_sqlite_only);
  ADD_PG ("projects", test_pg_projects);

#undef ADD
#undef ADD_PG

  return g_test_run ();
}
