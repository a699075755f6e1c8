/* test-cli-bench.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `reins-cli bench` as a program (CONTRACTS §5): the table, --json, progress on stderr,
 * suite files, usage errors, a provider nobody can reach, and the runs it stores.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "reins-store.h"
#include "reins-test-cli.h"

typedef ReinsTestCli Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  reins_test_cli_set_up (f, "reins-cli-bench");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  reins_test_cli_tear_down (f);
}

/* Runs `reins-cli bench --db=… ARGS…` in the fixture's folder; keeps its output. */
static int
bench (Fixture            *f,
       const char * const *args)
{
  return reins_test_cli_run (f, "bench", args);
}


static void
test_table (Fixture       *f,
            gconstpointer  data)
{
  const char *args[] = { "--tasks=6", "--length=3", "-j", "2", NULL };
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) progress = NULL;
  guint n_progress = 0;

  g_assert_cmpint (bench (f, args), ==, 0);
  lines = g_strsplit (f->out, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "6 tasks × 1: knowledge-base chains of 3 lookups"));
  g_assert_true (g_str_has_prefix (lines[2], "set-up"));
  g_assert_true (g_str_has_prefix (lines[3], "linear"));
  g_assert_true (g_str_has_prefix (lines[4], "loop"));
  g_assert_true (g_str_has_prefix (lines[5], "harness"));
  g_assert_cmpstr (lines[6], ==, "");
  g_assert_null (lines[7]);
  for (guint i = 3; i <= 5; i++)
    {
      /* A right share, a wrong share and a no-answer share in every row. */
      g_assert_cmpuint (g_utf8_strlen (lines[i], -1), ==, g_utf8_strlen (lines[2], -1));
      g_assert_nonnull (strstr (lines[i], " %  "));
    }

  /* Progress on stderr: N/M done, one line a run when it is not a terminal. */
  g_assert_true (g_str_has_prefix (f->err, "Bench "));
  progress = g_strsplit (f->err, "\n", -1);
  for (guint i = 0; progress[i] != NULL; i++)
    if (g_str_has_suffix (progress[i], "/18 done"))
      n_progress++;
  g_assert_cmpuint (n_progress, ==, 18);
  g_assert_nonnull (strstr (f->err, "18/18 done"));
}

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  const char *args[] = { "--tasks=4", "--length=2", "--sim-accuracy=1", "--json",
                         "--setups=loop,harness", "--person=reject", "--repeat=2", NULL };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *root;
  JsonObject *settings;
  JsonArray *setups;

  g_assert_cmpint (bench (f, args), ==, 0);
  root = reins_test_parse_object (f->out, &node);
  settings = json_object_get_object_member (root, "settings");
  g_assert_cmpint (json_object_get_int_member (settings, "tasks"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (settings, "length"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (settings, "repeat"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (settings, "person"), ==, "reject");
  g_assert_cmpfloat (json_object_get_double_member (settings, "sim_accuracy"), ==, 1.0);
  setups = json_object_get_array_member (root, "setups");
  g_assert_cmpuint (json_array_get_length (setups), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *s = json_array_get_object_element (setups, i);

      g_assert_cmpint (json_object_get_int_member (s, "runs"), ==, 8);
      g_assert_cmpint (json_object_get_int_member (s, "right"), ==, 8);
      g_assert_cmpint (json_object_get_int_member (s, "wrong") +
                       json_object_get_int_member (s, "none"), ==, 0);
      g_assert_cmpfloat (json_object_get_double_member (s, "step_accuracy"), ==, 1.0);
    }
}

static char *
setups_json (Fixture    *f,
             const char *jobs)
{
  const char *args[] = { "--tasks=5", "--length=3", "--sim-accuracy=0.8", "--json", jobs, NULL };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) setups = json_node_new (JSON_NODE_ARRAY);

  g_assert_cmpint (bench (f, args), ==, 0);
  json_node_set_array (setups, json_object_get_array_member (reins_test_parse_object (f->out, &node),
                                                             "setups"));
  return json_to_string (setups, FALSE);
}

static void
test_jobs (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *one = setups_json (f, "-j1");
  g_autofree char *two = setups_json (f, "--jobs=2");

  g_assert_cmpstr (one, ==, two);
}

static void
test_stored (Fixture       *f,
             gconstpointer  data)
{
  const char *args[] = { "--tasks=2", "--length=2", "--setups=harness", "--json", NULL };
  g_autofree char *db = g_build_filename (f->dir, "runs.db", NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  const char *id;

  g_assert_cmpint (bench (f, args), ==, 0);
  id = json_object_get_string_member (reins_test_parse_object (f->out, &node), "bench_id");
  store = reins_store_open (db, NULL);
  runs = reins_store_list_runs (store, -1, 0, 100, NULL);
  g_assert_cmpuint (runs->len, ==, 2);
  for (guint i = 0; i < runs->len; i++)
    {
      JsonObject *settings = reins_run_get_settings (g_ptr_array_index (runs, i));
      JsonObject *tag = json_object_get_object_member (settings, "bench");

      g_assert_cmpstr (json_object_get_string_member (tag, "id"), ==, id);
      g_assert_cmpstr (json_object_get_string_member (tag, "setup"), ==, "harness");
    }
}

static void
test_suite_file (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "suite.jsonl", NULL);
  g_autofree char *suite = g_strdup_printf ("--suite=%s", path);
  const char *args[] = { suite, "--setups=harness", "--json", NULL };
  const char *table_args[] = { suite, "--setups=loop", NULL };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *s;

  g_assert_true (g_file_set_contents (path,
    "{\"task\": \"What are you?\", \"expected\": \"simulator\", \"match\": \"contains\"}\n"
    "{\"task\": \"What are you?\", \"expected\": \"a wizard\", \"match\": \"exact\"}\n", -1, NULL));
  g_assert_cmpint (bench (f, args), ==, 0);
  s = json_array_get_object_element (json_object_get_array_member (reins_test_parse_object (f->out, &node),
                                                                   "setups"), 0);
  g_assert_cmpint (json_object_get_int_member (s, "right"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (s, "wrong"), ==, 1);
  g_assert_true (json_node_is_null (json_object_get_member (s, "step_accuracy")));

  g_assert_cmpint (bench (f, table_args), ==, 0);
  g_assert_nonnull (strstr (f->out, "from a suite file"));
  g_assert_nonnull (strstr (f->out, "—"));

  /* A malformed line: its number, exit 2, nothing run. */
  g_assert_true (g_file_set_contents (path,
    "{\"task\": \"What are you?\", \"expected\": \"simulator\"}\n"
    "{\"task\": \"What are you?\", \"expected\": \"x\", \"match\": \"almost\"}\n", -1, NULL));
  g_assert_cmpint (bench (f, args), ==, 2);
  g_assert_nonnull (strstr (f->err, "line 2"));
  g_assert_nonnull (strstr (f->err, "almost"));
  g_assert_cmpstr (f->out, ==, "");
}

static void
test_usage_errors (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const cases[][3] = {
    { "--person=maybe", NULL },
    { "--setups=linear,pipeline", NULL },
    { "--tasks=0", NULL },
    { "--length=0", NULL },
    { "--repeat=0", NULL },
    { "-j", "0" },
    { "--no-guard=nope", NULL },
    { "--sim-accuracy=2", NULL },
    { "--suite=/nonexistent/suite.jsonl", NULL },
    { "--suite=/nonexistent/suite.jsonl", "--length=3" },
    { "--max-steps=0", NULL },
    { "--loop-threshold=7", NULL },
    { "an-argument", NULL },
    { "--frobnicate", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      if (bench (f, cases[i]) != 2)
        g_error ("case %u (%s): exit %d", i, cases[i][0], f->status);
      g_assert_true (g_str_has_prefix (f->err, "reins-cli: "));
      g_assert_cmpstr (f->out, ==, "");
    }
}

/* A provider that cannot be reached stops the bench after its first run: exit 3. */
static void
test_unreachable (Fixture       *f,
                  gconstpointer  data)
{
  const char *args[] = { "--tasks=5", "--length=2", "-p", "openai",
                         "--base-url=http://127.0.0.1:9/v1", "--api-key-env=REINS_NO_SUCH_KEY",
                         NULL };

  g_assert_cmpint (bench (f, args), ==, 3);
  g_assert_nonnull (strstr (f->err, "1/15 done"));
  g_assert_null (strstr (f->err, "2/15 done"));
  g_assert_cmpstr (f->out, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/reins/cli/bench/table", Fixture, NULL, fixture_set_up, test_table,
              fixture_tear_down);
  g_test_add ("/reins/cli/bench/json", Fixture, NULL, fixture_set_up, test_json,
              fixture_tear_down);
  g_test_add ("/reins/cli/bench/jobs", Fixture, NULL, fixture_set_up, test_jobs,
              fixture_tear_down);
  g_test_add ("/reins/cli/bench/stored", Fixture, NULL, fixture_set_up, test_stored,
              fixture_tear_down);
  g_test_add ("/reins/cli/bench/suite-file", Fixture, NULL, fixture_set_up, test_suite_file,
              fixture_tear_down);
  g_test_add ("/reins/cli/bench/usage", Fixture, NULL, fixture_set_up, test_usage_errors,
              fixture_tear_down);
  g_test_add ("/reins/cli/bench/unreachable", Fixture, NULL, fixture_set_up, test_unreachable,
              fixture_tear_down);

  return g_test_run ();
}
