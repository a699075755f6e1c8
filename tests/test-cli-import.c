/* test-cli-import.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `reins-cli import`, `judge` and `export --format=otlp` as programs (CONTRACTS §5): a folder
 * of labelled conversations imported once (and recognised the second time), judged under two
 * settings, a malformed file, usage errors, and a run exported as OTLP imported back.
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
  reins_test_cli_set_up (f, "reins-cli-import");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  reins_test_cli_tear_down (f);
}

static int
cli (Fixture            *f,
     const char         *command,
     const char * const *args)
{
  return reins_test_cli_run (f, command, args);
}


/* A conversation that succeeds (looks the weather up) or fails (deletes an order). */
static char *
conversation (guint    i,
              gboolean fails)
{
  if (fails)
    return g_strdup_printf ("{\"task_id\": \"t%u\", \"success\": false, \"messages\": ["
                            "{\"role\": \"user\", \"content\": \"Cancel order %u\"},"
                            "{\"role\": \"assistant\", \"content\": \"Deleting it.\", \"tool_calls\": ["
                            "{\"id\": \"a%u\", \"type\": \"function\", \"function\": {\"name\": "
                            "\"delete_order\", \"arguments\": \"{\\\"order\\\": %u}\"}}]},"
                            "{\"role\": \"tool\", \"tool_call_id\": \"a%u\", \"content\": \"deleted\"},"
                            "{\"role\": \"assistant\", \"content\": \"Order %u is deleted.\"}]}",
                            i, i, i, i, i, i);
  return g_strdup_printf ("{\"task_id\": \"t%u\", \"success\": true, \"messages\": ["
                          "{\"role\": \"user\", \"content\": \"Weather in city %u?\"},"
                          "{\"role\": \"assistant\", \"content\": null, \"tool_calls\": ["
                          "{\"id\": \"w%u\", \"type\": \"function\", \"function\": {\"name\": "
                          "\"get_weather\", \"arguments\": \"{\\\"city\\\": \\\"c%u\\\"}\"}}]},"
                          "{\"role\": \"tool\", \"tool_call_id\": \"w%u\", \"content\": \"sunny\"},"
                          "{\"role\": \"assistant\", \"content\": \"It is sunny in c%u.\"}]}",
                          i, i, i, i, i, i);
}

/* Two files: 12 conversations, 4 of them failed. */
static void
write_folder (Fixture *f)
{
  for (guint file = 0; file < 2; file++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *name = g_strdup_printf ("%s/part-%u.jsonl", f->dir, file);
      g_autoptr(GError) error = NULL;

      for (guint i = file * 6; i < file * 6 + 6; i++)
        {
          g_autofree char *line = conversation (i, i % 3 == 0);

          g_string_append_printf (text, "%s\n", line);
        }
      g_file_set_contents (name, text->str, -1, &error);
      g_assert_no_error (error);
    }
}

static void
test_import_and_judge (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *report, *outcome;
  g_auto(GStrv) lines = NULL;

  write_folder (f);
  g_assert_cmpint (cli (f, "import", (const char *[]) { "part-0.jsonl", "part-1.jsonl", NULL }), ==, 0);
  g_assert_nonnull (strstr (f->out, "12 imported, 0 already stored"));

  /* The same files again: recognised, nothing stored twice. */
  g_assert_cmpint (cli (f, "import", (const char *[]) { "--json", "part-0.jsonl", "part-1.jsonl", NULL }), ==, 0);
  lines = g_strsplit (g_strstrip (f->out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 13);
  g_assert_nonnull (strstr (lines[0], "\"event\":\"duplicate\""));
  g_assert_nonnull (strstr (lines[12], "\"imported\":0,\"duplicates\":12"));
  g_assert_cmpint (cli (f, "list", (const char *[]) { "--json", NULL }), ==, 0);

  /* Under the runs' own settings nothing is flagged. */
  g_assert_cmpint (cli (f, "judge", (const char *[]) { "--all", "--json", NULL }), ==, 0);
  report = reins_test_parse_object (f->out, &node);
  g_assert_cmpint (json_object_get_int_member (report, "runs"), ==, 12);
  g_assert_cmpint (json_object_get_int_member (report, "steps"), ==, 24);
  g_assert_cmpint (json_object_get_int_member (report, "flagged_runs"), ==, 0);
  outcome = json_object_get_object_member (report, "outcome");
  g_assert_cmpint (json_object_get_int_member (outcome, "failed_runs"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (outcome, "successful_runs"), ==, 8);
  g_assert_cmpint (json_object_get_int_member (outcome, "missed"), ==, 4);
  g_assert_cmpfloat (json_object_get_double_member (outcome, "recall"), ==, 0.0);
  g_clear_pointer (&node, json_node_unref);

  /* A person approves every deletion: each failed run is flagged, no successful one. */
  g_assert_cmpint (cli (f, "judge", (const char *[]) { "--all", "--json", "--tool-policy=delete_order=ask", NULL }), ==, 0);
  report = reins_test_parse_object (f->out, &node);
  g_assert_cmpint (json_object_get_int_member (report, "flagged_runs"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (report, "questions"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (report, "question_runs"), ==, 4);
  outcome = json_object_get_object_member (report, "outcome");
  g_assert_cmpint (json_object_get_int_member (outcome, "true_alarms"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (outcome, "false_alarms"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (outcome, "precision"), ==, 1.0);
  g_assert_cmpfloat (json_object_get_double_member (outcome, "recall"), ==, 1.0);
  g_clear_pointer (&node, json_node_unref);

  /* One step at most: every run stops at its first step; all successful ones are false alarms. */
  g_assert_cmpint (cli (f, "judge", (const char *[]) { "--all", "--json", "--max-steps=1", NULL }), ==, 0);
  report = reins_test_parse_object (f->out, &node);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report, "stopped")), ==, 12);
  outcome = json_object_get_object_member (report, "outcome");
  g_assert_cmpint (json_object_get_int_member (outcome, "false_alarms"), ==, 8);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (outcome, "precision"), 4.0 / 12, 1e-9);
  g_clear_pointer (&node, json_node_unref);

  /* The text report says the same. */
  g_assert_cmpint (cli (f, "judge", (const char *[]) { "--all", "--tool-policy=delete_order=ask", NULL }), ==, 0);
  g_assert_nonnull (strstr (f->out, "Judged 12 runs, 24 steps."));
  g_assert_nonnull (strstr (f->out, "policy         ask"));
  g_assert_nonnull (strstr (f->out, "precision 1.00  recall 1.00  false-alarm rate 0.00"));

  /* Nothing flagged: precision has no value, and does not read as 0. */
  g_assert_cmpint (cli (f, "judge", (const char *[]) { "--all", "--no-guard=loop", "--no-guard=grounding", "--no-guard=tool_result", NULL }), ==, 0);
  g_assert_nonnull (strstr (f->out, "Flagged runs (a person asked or the run stopped): 0 of 12"));
  g_assert_nonnull (strstr (f->out, "precision n/a (nothing flagged)  recall 0.00"));

  /* Choosing runs: by label, by label value, by source, by id; one thread gives the same. */
  g_assert_cmpint (cli (f, "judge", (const char *[]) { "--label=success=false", "--json", "-j", "1", NULL }), ==, 0);
  report = reins_test_parse_object (f->out, &node);
  g_assert_cmpint (json_object_get_int_member (report, "runs"), ==, 4);
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpint (cli (f, "judge", (const char *[]) { "--label=task_id", "--json", NULL }), ==, 0);
  report = reins_test_parse_object (f->out, &node);
  g_assert_cmpint (json_object_get_int_member (report, "runs"), ==, 12);
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpint (cli (f, "judge", (const char *[]) { "--source=part-1.jsonl", "--json", NULL }), ==, 0);
  report = reins_test_parse_object (f->out, &node);
  g_assert_cmpint (json_object_get_int_member (report, "runs"), ==, 6);
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpint (cli (f, "judge", (const char *[]) { "--source=anthropic", "--json", NULL }), ==, 0);
  report = reins_test_parse_object (f->out, &node);
  g_assert_cmpint (json_object_get_int_member (report, "runs"), ==, 0);
  g_assert_true (json_object_get_null_member (report, "outcome"));
  g_clear_pointer (&node, json_node_unref);
}

static void
test_import_malformed (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "bad.jsonl", NULL);
  g_autofree char *good = conversation (1, FALSE);
  g_autofree char *text = g_strdup_printf ("%s\n{\"messages\": [}\n", good);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_assert_cmpint (cli (f, "import", (const char *[]) { "bad.jsonl", NULL }), ==, 1);
  g_assert_nonnull (strstr (f->err, "bad.jsonl:2:15:"));
  g_assert_nonnull (strstr (f->err, "1 imported"));
  /* One line, as every error of reins-cli. */
  g_assert_true (g_str_has_prefix (f->err, "reins-cli: "));
  g_assert_cmpstr (strchr (f->err, '\n'), ==, f->err + strlen (f->err) - 1);
  g_assert_cmpint (cli (f, "list", (const char *[]) { NULL }), ==, 0);
  g_assert_nonnull (strstr (f->out, "Weather in city 1?"));

  g_assert_cmpint (cli (f, "import", (const char *[]) { "missing.jsonl", NULL }), ==, 1);
  g_assert_cmpint (cli (f, "import", (const char *[]) { NULL }), ==, 2);
}

static void
test_judge_usage (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "one.jsonl", NULL);
  g_autofree char *line = conversation (7, TRUE);

  g_assert_true (g_file_set_contents (path, line, -1, NULL));
  g_assert_cmpint (cli (f, "judge", (const char *[]) { "--all", NULL }), ==, 2);
  g_assert_nonnull (strstr (f->err, "no runs"));
  g_assert_cmpint (cli (f, "import", (const char *[]) { "one.jsonl", NULL }), ==, 0);
  g_assert_cmpint (cli (f, "judge", (const char *[]) { NULL }), ==, 2);
  g_assert_cmpint (cli (f, "judge", (const char *[]) { "--all", "--no-guard=nope", NULL }), ==, 2);
  g_assert_cmpint (cli (f, "judge", (const char *[]) { "--all", "--threads=0", NULL }), ==, 2);
  g_assert_cmpint (cli (f, "judge", (const char *[]) { "--all", "--tool-policy=x=maybe", NULL }), ==, 2);
  g_assert_cmpint (cli (f, "judge", (const char *[]) { "zzzzzzzz", NULL }), ==, 2);
  g_assert_cmpint (cli (f, "judge", (const char *[]) { "--all", "--json", NULL }), ==, 0);
  g_assert_nonnull (strstr (f->out, "\"runs\":1"));
}


/* Exported as OTLP and imported back: the same steps. */
static void
test_export_otlp_round_trip (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "fixtures", "traces",
                                                    "openai.jsonl", NULL);
  g_autoptr(JsonNode) before_node = NULL;
  g_autoptr(JsonNode) after_node = NULL;
  g_autoptr(JsonNode) line_node = NULL;
  g_autofree char *run_id = NULL;
  g_autofree char *copy_id = NULL;
  g_autofree char *before = NULL;
  g_autofree char *otlp = NULL;
  JsonArray *a;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (cli (f, "import", (const char *[]) { "--json", fixture, NULL }), ==, 0);
  lines = g_strsplit (f->out, "\n", -1);
  run_id = g_strdup (json_object_get_string_member (reins_test_parse_object (lines[1], &line_node), "run_id"));
  g_clear_pointer (&line_node, json_node_unref);

  g_assert_cmpint (cli (f, "export", (const char *[]) { run_id, "--format=otlp", "--otlp-content", "-o", "run.otlp.json", NULL }), ==, 0);
  g_assert_cmpint (cli (f, "export", (const char *[]) { run_id, "--format=otlp", NULL }), ==, 0);
  otlp = g_steal_pointer (&f->out);
  g_assert_nonnull (strstr (otlp, "\"execute_tool delete_order\""));
  g_assert_null (strstr (otlp, "locked"));
  g_assert_cmpint (cli (f, "export", (const char *[]) { run_id, "--format=json", "--otlp-content", NULL }), ==, 2);

  g_assert_cmpint (cli (f, "show", (const char *[]) { run_id, "--json", NULL }), ==, 0);
  before = g_steal_pointer (&f->out);
  g_assert_cmpint (cli (f, "import", (const char *[]) { "--json", "run.otlp.json", NULL }), ==, 0);
  g_clear_pointer (&lines, g_strfreev);
  lines = g_strsplit (f->out, "\n", -1);
  copy_id = g_strdup (json_object_get_string_member (reins_test_parse_object (lines[0], &line_node), "run_id"));
  g_assert_cmpstr (copy_id, !=, run_id);
  g_assert_cmpint (cli (f, "show", (const char *[]) { copy_id, "--json", NULL }), ==, 0);

  a = json_object_get_array_member (reins_test_parse_object (before, &before_node), "steps");
  g_assert_cmpuint (json_array_get_length (a), ==, 4);
  reins_test_assert_same_steps (json_node_get_object (before_node),
                                reins_test_parse_object (f->out, &after_node),
                                (const char *[]) { "step", "thought", "action", "observation",
                                                   "tool_error", NULL });

  /* The same export again is recognised. */
  g_assert_cmpint (cli (f, "import", (const char *[]) { "run.otlp.json", NULL }), ==, 0);
  g_assert_nonnull (strstr (f->out, "0 imported, 1 already stored"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli-import/import-and-judge", Fixture, NULL, fixture_set_up,
              test_import_and_judge, fixture_tear_down);
  g_test_add ("/cli-import/malformed", Fixture, NULL, fixture_set_up, test_import_malformed,
              fixture_tear_down);
  g_test_add ("/cli-import/export-otlp", Fixture, NULL, fixture_set_up,
              test_export_otlp_round_trip, fixture_tear_down);
  g_test_add ("/cli-import/judge-usage", Fixture, NULL, fixture_set_up, test_judge_usage,
              fixture_tear_down);

  return g_test_run ();
}
