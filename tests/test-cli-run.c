/* test-cli-run.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `reins-cli run` as a program: exit codes, the JSON Lines event stream of CONTRACTS §2,
 * resume and fork.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "reins-store.h"

typedef struct
{
  char *dir;
  char *db;
} Fixture;

typedef struct
{
  int    status;
  char  *out;
  char  *err;
} Result;

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("reins-cli-run-XXXXXX", NULL);
  f->db = g_build_filename (f->dir, "runs.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->db);
  g_free (f->dir);
}

/* Runs reins-cli with @args (NULL-terminated), the store and workspace in the fixture's dir. */
static Result cli_input (Fixture *f, const char *input, const char *first, ...) G_GNUC_NULL_TERMINATED;

static Result
cli_v (Fixture    *f,
       const char *input,
       const char *first,
       va_list     args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli_path = g_getenv ("REINS_CLI");
  Result r = { 0 };

  g_assert_nonnull (cli_path);
  g_ptr_array_add (argv, g_strdup (cli_path));
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (a));
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, f->dir);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &r.out, &r.err, &error);
  g_assert_no_error (error);
  r.status = g_subprocess_get_exit_status (process);
  return r;
}

static Result
cli_input (Fixture    *f,
           const char *input,
           const char *first,
           ...)
{
  Result r;
  va_list args;

  va_start (args, first);
  r = cli_v (f, input, first, args);
  va_end (args);
  return r;
}

static Result G_GNUC_NULL_TERMINATED
cli (Fixture    *f,
     const char *first,
     ...)
{
  Result r;
  va_list args;

  va_start (args, first);
  r = cli_v (f, "", first, args);
  va_end (args);
  return r;
}

static char *
chain_task (guint seed,
            guint length)
{
  return reins_kb_task (seed, length);
}

static void
test_completes_json (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *db = g_strdup_printf ("--db=%s", f->db);
  g_autofree char *task = chain_task (11, 4);
  g_autofree char *value = reins_kb_value (11, 4);
  g_auto(GStrv) lines = NULL;
  g_autofree char *run_id = NULL;
  Result r = cli (f, "run", db, "--json", "--sim-accuracy=1", task, NULL);
  guint n_lines, last_step = 0, n_steps = 0;

  g_assert_cmpint (r.status, ==, 0);
  lines = g_strsplit (g_strchomp (r.out), "\n", -1);
  n_lines = g_strv_length (lines);
  g_assert_cmpuint (n_lines, >=, 3);

  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = reins_json_from_string (lines[i], &error);
      JsonObject *o;
      const char *event;

      g_assert_no_error (error);
      o = json_node_get_object (node);
      event = json_object_get_string_member (o, "event");
      g_assert_nonnull (event);

      /* Every event names its run, the same one. */
      if (run_id == NULL)
        run_id = g_strdup (json_object_get_string_member (o, "run_id"));
      g_assert_cmpstr (json_object_get_string_member (o, "run_id"), ==, run_id);

      if (i == 0)
        g_assert_cmpstr (event, ==, "run_started");
      else if (i == n_lines - 1)
        g_assert_cmpstr (event, ==, "run_finished");

      if (g_str_equal (event, "step"))
        {
          g_autoptr(ReinsStep) step = reins_step_new_from_json (node, &error);

          g_assert_no_error (error);
          g_assert_cmpuint (reins_step_get_index (step), ==, last_step + 1);
          last_step = reins_step_get_index (step);
          n_steps++;
          g_assert_true (json_object_has_member (o, "cost_total_usd"));
          g_assert_true (json_object_has_member (o, "harness"));
          g_assert_cmpstr (json_object_get_string_member (o, "confidence_source"), ==, "logprobs");
        }
      else if (g_str_equal (event, "run_finished"))
        {
          g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "completed");
          g_assert_cmpstr (json_object_get_string_member (o, "final_answer"), ==, value);
          g_assert_cmpint (json_object_get_int_member (o, "steps"), ==, n_steps);
        }
      else
        {
          g_assert_true (g_str_equal (event, "run_started") || g_str_equal (event, "token"));
        }
    }
  g_assert_cmpuint (n_steps, ==, 5);
  /* Human progress went to stderr, not into the event stream. */
  g_assert_nonnull (strstr (r.err, "step"));
  result_clear (&r);
}

static void
test_exit_codes (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *db = g_strdup_printf ("--db=%s", f->db);
  g_autofree char *task = chain_task (3, 8);
  g_autofree char *garbage = g_build_filename (f->dir, "garbage.db", NULL);
  g_autofree char *bad_db = g_strdup_printf ("--db=%s", garbage);
  g_autofree char *script = g_build_filename (f->dir, "script.json", NULL);
  g_autofree char *script_arg = g_strdup_printf ("--script=%s", script);
  Result r;

  /* 1: the harness ends it without an answer. */
  r = cli (f, "run", db, "--sim-accuracy=1", "--max-steps=3", task, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "3 steps"));
  result_clear (&r);

  /* 2: usage. */
  r = cli (f, "run", db, NULL);
  g_assert_cmpint (r.status, ==, 2);
  result_clear (&r);
  r = cli (f, "run", db, "--mode=telepathy", task, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "telepathy"));
  result_clear (&r);
  r = cli (f, "run", db, "--no-guard=nonsense", task, NULL);
  g_assert_cmpint (r.status, ==, 2);
  result_clear (&r);
  r = cli (f, "run", db, "--tools=kb_lookup,teleport", task, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "teleport"));
  result_clear (&r);
  r = cli (f, "run", db, "--resume=nosuchrun", NULL);
  g_assert_cmpint (r.status, ==, 2);
  result_clear (&r);

  /* 3: the provider. An endpoint nothing listens on … */
  r = cli (f, "run", db, "--provider=openai", "--base-url=http://127.0.0.1:9/v1",
           "--api-key-env=HOME", task, NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_nonnull (strstr (r.err, "reins-cli"));
  result_clear (&r);
  /* … and a server that refuses the key. */
  g_assert_true (g_file_set_contents (script, "{\"responses\": [{\"error\": {\"code\": \"auth\", "
                                      "\"message\": \"invalid key\"}}]}", -1, NULL));
  r = cli (f, "run", db, "--provider=scripted", script_arg, task, NULL);
  g_assert_cmpint (r.status, ==, 3);
  result_clear (&r);

  /* 4: the store. */
  g_assert_true (g_file_set_contents (garbage, "this is not a database, not at all", -1, NULL));
  r = cli (f, "run", bad_db, task, NULL);
  g_assert_cmpint (r.status, ==, 4);
  g_assert_nonnull (strstr (r.err, "reins-cli"));
  result_clear (&r);
}

static char *
only_run_id (Fixture *f)
{
  g_autoptr(ReinsStore) store = reins_store_open (f->db, NULL);
  g_autoptr(GPtrArray) runs = reins_store_list_runs (store, -1, 0, 10, NULL);

  g_assert_nonnull (runs);
  g_assert_cmpuint (runs->len, >=, 1);
  return g_strdup (reins_run_get_id (g_ptr_array_index (runs, 0)));
}

static void
test_fork (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *db = g_strdup_printf ("--db=%s", f->db);
  g_autofree char *task = chain_task (21, 5);
  g_autofree char *value = reins_kb_value (21, 5);
  g_autofree char *parent_id = NULL;
  g_autofree char *fork_arg = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) parent_steps = NULL;
  g_autoptr(GPtrArray) fork_steps = NULL;
  ReinsRun *forked;
  Result r;

  r = cli (f, "run", db, "--sim-accuracy=1", task, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  parent_id = only_run_id (f);

  fork_arg = g_strdup_printf ("--fork=%.8s", parent_id);
  r = cli (f, "run", db, fork_arg, "--from-step=3", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, value));
  result_clear (&r);

  store = reins_store_open (f->db, NULL);
  runs = reins_store_list_runs (store, -1, 0, 10, NULL);
  g_assert_cmpuint (runs->len, ==, 2);
  forked = g_ptr_array_index (runs, 0);
  g_assert_cmpstr (reins_run_get_parent_run_id (forked), ==, parent_id);
  g_assert_cmpuint (reins_run_get_fork_step (forked), ==, 3);

  /* Steps 1 and 2 are the parent's, word for word. */
  parent_steps = reins_store_get_steps (store, parent_id, 1, 0, NULL);
  fork_steps = reins_store_get_steps (store, reins_run_get_id (forked), 1, 0, NULL);
  g_assert_cmpuint (fork_steps->len, ==, 6);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpstr (reins_step_get_observation (g_ptr_array_index (fork_steps, i)), ==,
                     reins_step_get_observation (g_ptr_array_index (parent_steps, i)));

  /* Out of range. */
  g_free (fork_arg);
  fork_arg = g_strdup_printf ("--fork=%s", parent_id);
  r = cli (f, "run", db, fork_arg, "--from-step=99", NULL);
  g_assert_cmpint (r.status, ==, 2);
  result_clear (&r);
}

static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *db = g_strdup_printf ("--db=%s", f->db);
  g_autofree char *value = reins_kb_value (8, 3);
  g_autofree char *resume_arg = NULL;
  g_autoptr(ReinsStore) store = reins_store_open (f->db, NULL);
  g_autoptr(ReinsRun) run = reins_run_new (NULL);
  g_autoptr(ReinsRun) after = NULL;
  g_autofree char *task = chain_task (8, 3);
  Result r;

  reins_run_set_task (run, task);
  reins_run_set_provider (run, "sim");
  reins_run_set_model (run, "sim-1");
  reins_run_set_status (run, REINS_RUN_STATUS_INTERRUPTED);
  json_object_set_string_member (reins_run_get_settings (run), "workspace", f->dir);
  g_assert_true (reins_store_insert_run (store, run, NULL));

  resume_arg = g_strdup_printf ("--resume=%s", reins_run_get_id (run));
  r = cli (f, "run", db, "--sim-accuracy=1", resume_arg, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, value));
  result_clear (&r);

  after = reins_store_get_run (store, reins_run_get_id (run), NULL);
  g_assert_cmpint (reins_run_get_status (after), ==, REINS_RUN_STATUS_COMPLETED);

  /* A completed run cannot be resumed. */
  r = cli (f, "run", db, resume_arg, NULL);
  g_assert_cmpint (r.status, ==, 2);
  result_clear (&r);
}

static const char two_writes[] =
  "{\"responses\": ["
  " {\"tool_calls\": [{\"name\": \"write_file\", \"arguments\": {\"path\": \"a.txt\", \"content\": \"one\"}}]},"
  " {\"tool_calls\": [{\"name\": \"write_file\", \"arguments\": {\"path\": \"b.txt\", \"content\": \"two\"}}]},"
  " {\"tool_calls\": [{\"name\": \"finish\", \"arguments\": {\"answer\": \"done\"}}]}"
  "]}";

/* The run id of the first event of `run --json`. */
static char *
run_id_of (const char *out)
{
  const char *start = strstr (out, "\"run_id\":\"");
  const char *end;

  g_assert_nonnull (start);
  start += strlen ("\"run_id\":\"");
  end = strchr (start, '"');
  g_assert_nonnull (end);
  return g_strndup (start, end - start);
}

/* --approve=ask reads the person's answers from the terminal: reject the first write with
 * words for the model, approve the second. */
static void
test_approve_ask (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *db = g_strdup_printf ("--db=%s", f->db);
  g_autofree char *script = g_build_filename (f->dir, "script.json", NULL);
  g_autofree char *script_arg = g_strdup_printf ("--script=%s", script);
  g_autofree char *ws_arg = g_strdup_printf ("--workspace=%s", f->dir);
  g_autofree char *a = g_build_filename (f->dir, "a.txt", NULL);
  g_autofree char *b = g_build_filename (f->dir, "b.txt", NULL);
  g_autofree char *run_id = NULL;
  Result r;

  g_assert_true (g_file_set_contents (script, two_writes, -1, NULL));
  r = cli_input (f, "r\nNot that file.\na\n", "run", db, "--provider=scripted", script_arg,
                 ws_arg, "--tools=write_file", "--approve=ask", "--json", "Write files", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_false (g_file_test (a, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (b, G_FILE_TEST_EXISTS));
  g_assert_nonnull (strstr (r.out, "\"decision\":\"reject\""));
  g_assert_nonnull (strstr (r.out, "Not that file."));
  g_assert_nonnull (strstr (r.out, "\"decision\":\"approve\""));
  g_assert_nonnull (strstr (r.err, "policy"));
  /* The person decided: no one decided for them. */
  g_assert_nonnull (strstr (r.out, "\"decided_by\":null"));
  g_assert_null (strstr (r.out, "\"decided_by\":\""));
  run_id = run_id_of (r.out);
  result_clear (&r);

  /* The audit trail of `show`: who decided what, and the words given to the model. */
  r = cli (f, "show", db, run_id, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "decision Rejected by you: “Not that file.”"));
  g_assert_nonnull (strstr (r.out, "decision Approved by you"));
  g_assert_null (strstr (r.out, "automatically"));
  result_clear (&r);
  g_clear_pointer (&run_id, g_free);

  /* --approve=no rejects; nothing is written and the run goes on to its end. */
  g_unlink (b);
  r = cli (f, "run", db, "--provider=scripted", script_arg, ws_arg, "--tools=write_file",
           "--approve=no", "--json", "Write files", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_false (g_file_test (b, G_FILE_TEST_EXISTS));
  g_assert_nonnull (strstr (r.out, "\"decided_by\":\"--approve=no\""));
  run_id = run_id_of (r.out);
  result_clear (&r);

  /* The option, not the person, decided, and the store kept that. */
  r = cli (f, "show", db, run_id, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "decision Rejected automatically (--approve=no)"));
  g_assert_null (strstr (r.out, "by you"));
  result_clear (&r);
}

static const char low_confidence[] =
  "{\"responses\": ["
  " {\"text\": \"Maybe this key.\", \"tool_calls\": [{\"name\": \"kb_lookup\", \"arguments\": {\"key\": \"chain-1-2/0\"}}],"
  "  \"logprobs\": [{\"token\": \"Maybe\", \"logprob\": -1.5}]},"
  " {\"tool_calls\": [{\"name\": \"finish\", \"arguments\": {\"answer\": \"I could not find out yet.\"}}]}"
  "]}";

/* A low-confidence question on the terminal offers the three more ways forward; "end the
 * task now" is sent to the model as the person's words. */
static void
test_confidence_choices (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *db = g_strdup_printf ("--db=%s", f->db);
  g_autofree char *script = g_build_filename (f->dir, "script.json", NULL);
  g_autofree char *script_arg = g_strdup_printf ("--script=%s", script);
  Result r;

  g_assert_true (g_file_set_contents (script, low_confidence, -1, NULL));
  r = cli_input (f, "f\n", "run", db, "--provider=scripted", script_arg, "--approve=ask",
                 "--json", "Find the value", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "search for more information"));
  g_assert_nonnull (strstr (r.err, "end the task"));
  g_assert_nonnull (strstr (r.out, "\"guard\":\"confidence\""));
  g_assert_nonnull (strstr (r.out, "End the task now"));
  result_clear (&r);
}

/* reins-cli replay: the same verdicts under the run's settings, the steps below a stricter
 * threshold flagged, and CONTRACTS' exit codes. */
static void
test_replay (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *db = g_strdup_printf ("--db=%s", f->db);
  g_autofree char *task = chain_task (5, 6);
  g_autofree char *run_id = NULL;
  g_autofree char *short_id = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_steps = 0;
  Result r;

  r = cli (f, "run", db, "--sim-accuracy=1", "--approve=yes", task, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  run_id = only_run_id (f);
  short_id = g_strndup (run_id, 8);

  r = cli (f, "replay", db, short_id, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = g_strsplit (g_strstrip (r.out), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = json_from_string (lines[i], NULL);
      JsonObject *event;

      g_assert_nonnull (node);
      event = json_node_get_object (node);
      if (g_str_equal (json_object_get_string_member (event, "event"), "step"))
        {
          g_assert_true (json_object_get_boolean_member (event, "replayed"));
          g_assert_true (json_object_has_member (event, "harness"));
          n_steps++;
        }
      else
        {
          g_assert_cmpstr (json_object_get_string_member (event, "event"), ==, "replay_summary");
          g_assert_cmpstr (json_object_get_string_member (event, "run_id"), ==, run_id);
          g_assert_cmpuint (json_array_get_length (json_object_get_array_member (event, "changed_steps")), ==, 0);
          g_assert_null (lines[i + 1]);
        }
    }
  g_assert_cmpuint (n_steps, ==, 7);
  result_clear (&r);

  /* Everything below 1.0 would have gone to a person: every step with an action changes. */
  r = cli (f, "replay", db, short_id, "--json", "--confidence-threshold=1", "--no-guard=grounding", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\"changed_steps\":[1,2,3,4,5,6,7]"));
  result_clear (&r);

  /* Human output names the changes. */
  r = cli (f, "replay", db, short_id, "--confidence-threshold=1", "--loop-threshold=0.5", "--rate-limit=kb_lookup=2/3", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "judged differently"));
  g_assert_nonnull (strstr (r.out, "confidence/ask"));
  g_assert_nonnull (strstr (r.out, "rate/correct"));
  result_clear (&r);

  r = cli (f, "replay", db, "nosuchrun", NULL);
  g_assert_cmpint (r.status, ==, 2);
  result_clear (&r);
  r = cli (f, "replay", db, short_id, "--no-guard=bogus", NULL);
  g_assert_cmpint (r.status, ==, 2);
  result_clear (&r);
  r = cli (f, "replay", db, short_id, "--rate-limit=kb_lookup", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "TOOL=N"));
  result_clear (&r);
  r = cli (f, "replay", db, NULL);
  g_assert_cmpint (r.status, ==, 2);
  result_clear (&r);
  r = cli (f, "run", db, "--loop-threshold=2", task, NULL);
  g_assert_cmpint (r.status, ==, 2);
  result_clear (&r);
  r = cli (f, "run", db, "--tool-policy=shell=maybe", task, NULL);
  g_assert_cmpint (r.status, ==, 2);
  result_clear (&r);

  /* A store that is not one: 4. */
  {
    g_autofree char *bad = g_build_filename (f->dir, "bad.db", NULL);
    g_autofree char *bad_arg = g_strdup_printf ("--db=%s", bad);

    g_assert_true (g_file_set_contents (bad, "this is not a database, not at all, no", -1, NULL));
    r = cli (f, "replay", bad_arg, short_id, NULL);
    g_assert_cmpint (r.status, ==, 4);
    result_clear (&r);
  }

  /* The guard options are listed in --help. */
  r = cli (f, "run", "--help", NULL);
  g_assert_nonnull (strstr (r.out, "--loop-threshold"));
  g_assert_nonnull (strstr (r.out, "--polling-tools"));
  g_assert_nonnull (strstr (r.out, "--rate-limit"));
  g_assert_nonnull (strstr (r.out, "--token-budget"));
  g_assert_nonnull (strstr (r.out, "--time-budget"));
  g_assert_nonnull (strstr (r.out, "--drift-threshold"));
  g_assert_nonnull (strstr (r.out, "--tool-policy"));
  result_clear (&r);
}

/* Ctrl-C cancels cleanly: the run is stored as cancelled and the exit status says no answer. */
static void
test_sigint (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *db = g_strdup_printf ("--db=%s", f->db);
  g_autofree char *script = g_build_filename (f->dir, "slow.json", NULL);
  g_autofree char *script_arg = g_strdup_printf ("--script=%s", script);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(GPtrArray) runs = NULL;

  g_assert_true (g_file_set_contents (script, "{\"repeat_last\": true, \"responses\": [{\"text\": "
                                      "\"Thinking slowly\", \"delay_ms\": 60000}]}", -1, NULL));
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, g_getenv ("REINS_CLI"), "run", db, "--provider=scripted",
                              script_arg, "A slow task", NULL);
  g_assert_no_error (error);

  /* Wait until the run is in the store, then interrupt it mid-request. */
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(ReinsStore) s = g_file_test (f->db, G_FILE_TEST_EXISTS) ? reins_store_open (f->db, NULL) : NULL;
      g_autoptr(GPtrArray) r = s ? reins_store_list_runs (s, -1, 0, 1, NULL) : NULL;

      if (r != NULL && r->len > 0)
        break;
      g_usleep (20000);
    }
  g_usleep (100000);
  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);

  store = reins_store_open (f->db, NULL);
  runs = reins_store_list_runs (store, -1, 0, 1, NULL);
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_cmpint (reins_run_get_status (g_ptr_array_index (runs, 0)), ==,
                   REINS_RUN_STATUS_CANCELLED);
}

/* --mcp: the server's tools join the run as NAME__TOOL (risk exec: a person approves); a
 * server that cannot start costs its tools, not the run. */
static void
test_mcp (Fixture       *f,
          gconstpointer  data)
{
  const char *script_text =
    "{\"responses\": ["
    " {\"tool_calls\": [{\"name\": \"fake__echo\", \"arguments\": {\"message\": \"hello over MCP\"}}]},"
    " {\"tool_calls\": [{\"name\": \"finish\", \"arguments\": {\"answer\": \"echoed\"}}]}"
    "]}";
  g_autofree char *db = g_strdup_printf ("--db=%s", f->db);
  g_autofree char *script = g_build_filename (f->dir, "mcp.json", NULL);
  g_autofree char *script_arg = g_strdup_printf ("--script=%s", script);
  g_autofree char *mcp_arg = g_strdup_printf ("--mcp=fake=%s normal", g_getenv ("REINS_FAKE_MCP_SERVER"));
  Result r;

  g_assert_nonnull (g_getenv ("REINS_FAKE_MCP_SERVER"));
  g_assert_true (g_file_set_contents (script, script_text, -1, NULL));

  r = cli (f, "run", db, "--provider=scripted", script_arg, mcp_arg, "--approve=yes", "--json",
           "Echo through MCP", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "hello over MCP"));
  g_assert_nonnull (strstr (r.out, "\"guard\":\"policy\""));
  result_clear (&r);

  /* A server that is not there: the run goes on without it, and says so. */
  r = cli (f, "run", db, "--provider=scripted", script_arg, "--mcp=gone=/nonexistent/mcp-server",
           "--approve=yes", "Echo through MCP", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "gone"));
  result_clear (&r);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/reins/cli/run/completes-json", test_completes_json);
  ADD ("/reins/cli/run/exit-codes", test_exit_codes);
  ADD ("/reins/cli/run/fork", test_fork);
  ADD ("/reins/cli/run/resume", test_resume);
  ADD ("/reins/cli/run/approve-ask", test_approve_ask);
  ADD ("/reins/cli/run/sigint", test_sigint);
  ADD ("/reins/cli/run/mcp", test_mcp);
  ADD ("/reins/cli/run/confidence-choices", test_confidence_choices);
  ADD ("/reins/cli/replay", test_replay);

#undef ADD

  return g_test_run ();
}
