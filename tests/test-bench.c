/* test-bench.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsBench: suites, matchers, the simulated person, and small deterministic sim benches
 * whose figures must hold together.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "reins-bench.h"
#include "reins-harness.h"
#include "reins-kb.h"
#include "reins-run-options.h"
#include "reins-store.h"
#include "reins-test-util.h"

typedef struct
{
  char *dir;
  char *db;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("reins-bench-XXXXXX", NULL);
  f->db = g_build_filename (f->dir, "runs.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  reins_test_remove_tree (f->dir);
  g_free (f->db);
  g_free (f->dir);
}

/* ---------------------------------------------------------------------------------------
 * Suites and matchers
 */

static void
test_chains (void)
{
  g_autoptr(GPtrArray) tasks = reins_bench_suite_chains (6, 3);
  ReinsBenchTask *t;
  g_autofree char *value = reins_kb_value (2, 3);
  guint seed = 0, length = 0;

  g_assert_cmpuint (tasks->len, ==, 6);
  t = g_ptr_array_index (tasks, 1);
  g_assert_cmpuint (t->chain_seed, ==, 2);
  g_assert_cmpuint (t->chain_length, ==, 3);
  g_assert_cmpuint (t->min_steps, ==, 4);
  g_assert_cmpstr (t->expected, ==, value);
  g_assert_true (reins_kb_parse_task (t->task, &seed, &length));
  g_assert_cmpuint (seed, ==, 2);
  g_assert_cmpuint (length, ==, 3);
  g_assert_true (reins_bench_task_matches (t, value));
  g_assert_false (reins_bench_task_matches (t, "amber-1234"));
}

static ReinsBenchTask *
task_new (const char      *expected,
          ReinsBenchMatch  match)
{
  ReinsBenchTask *t = g_new0 (ReinsBenchTask, 1);

  t->task = g_strdup ("a task");
  t->expected = g_strdup (expected);
  t->match = match;
  return t;
}

static void
test_matchers (void)
{
  g_autoptr(ReinsBenchTask) exact = task_new ("Paris", REINS_BENCH_MATCH_EXACT);
  g_autoptr(ReinsBenchTask) contains = task_new ("paris", REINS_BENCH_MATCH_CONTAINS);
  g_autoptr(ReinsBenchTask) regex = task_new ("^[0-9]{4}-[0-9]{2}$", REINS_BENCH_MATCH_REGEX);
  g_autoptr(ReinsBenchTask) numeric = task_new ("1000", REINS_BENCH_MATCH_NUMERIC);
  g_autoptr(ReinsBenchTask) fraction = task_new ("-2.5", REINS_BENCH_MATCH_NUMERIC);

  g_assert_true (reins_bench_task_matches (exact, "Paris"));
  g_assert_true (reins_bench_task_matches (exact, "  Paris\n"));
  g_assert_false (reins_bench_task_matches (exact, "paris"));
  g_assert_false (reins_bench_task_matches (exact, "Paris, France"));
  g_assert_false (reins_bench_task_matches (exact, NULL));

  g_assert_true (reins_bench_task_matches (contains, "The capital is PARIS."));
  g_assert_false (reins_bench_task_matches (contains, "The capital is Lyon."));

  g_assert_true (reins_bench_task_matches (regex, "2026-11"));
  g_assert_false (reins_bench_task_matches (regex, "in 2026-11"));

  g_assert_true (reins_bench_task_matches (numeric, "1000"));
  g_assert_true (reins_bench_task_matches (numeric, "It is 1,000 in all."));
  g_assert_true (reins_bench_task_matches (numeric, "1e3"));
  g_assert_true (reins_bench_task_matches (numeric, "1000.0 units"));
  g_assert_false (reins_bench_task_matches (numeric, "1001"));
  g_assert_false (reins_bench_task_matches (numeric, "about a thousand"));
  g_assert_true (reins_bench_task_matches (fraction, "it fell by -2.50"));
  g_assert_false (reins_bench_task_matches (fraction, "2.5"));
}

static void
test_suite_parse (void)
{
  const char *text =
    "# a comment, then a blank line\n"
    "\n"
    "{\"task\": \"Capital of France?\", \"expected\": \"Paris\", \"match\": \"exact\", \"id\": \"fr\"}\n"
    "{\"task\": \"Sum?\", \"expected\": 1000, \"match\": \"numeric\", \"tools\": [\"calculator\"]}\n"
    "{\"task\": \"Date?\", \"expected\": \"^2026\", \"match\": \"regex\", \"min_steps\": 2}\n"
    "  {\"task\": \"Who?\", \"expected\": \"ada\", \"match\": \"contains\", \"id\": 7}  \n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tasks = reins_bench_suite_parse (text, "suite.jsonl", &error);
  ReinsBenchTask *t;

  g_assert_no_error (error);
  g_assert_nonnull (tasks);
  g_assert_cmpuint (tasks->len, ==, 4);

  t = g_ptr_array_index (tasks, 0);
  g_assert_cmpstr (t->id, ==, "fr");
  g_assert_cmpint (t->match, ==, REINS_BENCH_MATCH_EXACT);
  g_assert_null (t->tools);
  g_assert_cmpuint (t->chain_length, ==, 0);

  t = g_ptr_array_index (tasks, 1);
  g_assert_cmpstr (t->id, ==, "4");  /* no id: its line */
  g_assert_cmpint (t->match, ==, REINS_BENCH_MATCH_NUMERIC);
  g_assert_true (reins_bench_task_matches (t, "1,000"));
  g_assert_nonnull (t->tools);
  g_assert_cmpstr (t->tools[0], ==, "calculator");
  g_assert_null (t->tools[1]);

  t = g_ptr_array_index (tasks, 2);
  g_assert_cmpint (t->match, ==, REINS_BENCH_MATCH_REGEX);
  g_assert_cmpuint (t->min_steps, ==, 2);

  t = g_ptr_array_index (tasks, 3);
  g_assert_cmpstr (t->id, ==, "7");
  g_assert_cmpint (t->match, ==, REINS_BENCH_MATCH_CONTAINS);
}

static void
test_suite_malformed (void)
{
  static const struct { const char *text; const char *line; const char *words; } cases[] = {
    { "{\"task\": \"a\", \"expected\": \"b\"}\n{\"task\": \"a\", \"expected\"\n", "line 2", "not JSON" },
    { "[1, 2]\n", "line 1", "JSON object" },
    { "\n\n{\"expected\": \"b\"}\n", "line 3", "“task”" },
    { "{\"task\": \"\", \"expected\": \"b\"}\n", "line 1", "“task”" },
    { "{\"task\": 5, \"expected\": \"b\"}\n", "line 1", "“task”" },
    { "{\"task\": \"a\"}\n", "line 1", "“expected”" },
    { "{\"task\": \"a\", \"expected\": [1]}\n", "line 1", "“expected”" },
    { "{\"task\": \"a\", \"expected\": \"b\", \"match\": \"fuzzy\"}\n", "line 1", "fuzzy" },
    { "{\"task\": \"a\", \"expected\": \"b\", \"match\": 3}\n", "line 1", "“match”" },
    { "{\"task\": \"a\", \"expected\": \"([\", \"match\": \"regex\"}\n", "line 1", "regular expression" },
    { "{\"task\": \"a\", \"expected\": \"many\", \"match\": \"numeric\"}\n", "line 1", "no number" },
    { "{\"task\": \"a\", \"expected\": \"b\", \"tools\": \"calculator\"}\n", "line 1", "“tools”" },
    { "{\"task\": \"a\", \"expected\": \"b\", \"tools\": [1]}\n", "line 1", "“tools”" },
    { "{\"task\": \"a\", \"expected\": \"b\", \"min_steps\": 0}\n", "line 1", "“min_steps”" },
    { "{\"task\": \"a\", \"expected\": \"b\", \"id\": {}}\n", "line 1", "“id”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) tasks = reins_bench_suite_parse (cases[i].text, "s.jsonl", &error);

      g_assert_null (tasks);
      g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
      if (strstr (error->message, cases[i].line) == NULL ||
          strstr (error->message, cases[i].words) == NULL ||
          !g_str_has_prefix (error->message, "s.jsonl"))
        g_error ("case %u: “%s”", i, error->message);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) tasks = reins_bench_suite_parse ("# only a comment\n\n", "e", &error);

    g_assert_null (tasks);
    g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) tasks = reins_bench_suite_parse ("{\"task\": \"\xff\"}", "e", &error);

    g_assert_null (tasks);
    g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) tasks = reins_bench_suite_load ("/nonexistent/suite.jsonl", &error);

    g_assert_null (tasks);
    g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  }
}

/* ---------------------------------------------------------------------------------------
 * The simulated person
 */

static ReinsStep *
step_with (const char        *observation,
           const char        *guard,
           ReinsVerdictKind   kind,
           ReinsVerdictPhase  phase)
{
  ReinsStep *step = reins_step_new ("run", 3);
  g_autoptr(ReinsVerdict) asking = reins_verdict_new ("confidence", REINS_VERDICT_ASK, "low");
  g_autoptr(ReinsVerdict) other = reins_verdict_new (guard, kind, "something");

  reins_verdict_set_phase (asking, REINS_VERDICT_PHASE_BEFORE_ACTION);
  reins_verdict_set_phase (other, phase);
  reins_step_add_verdict (step, asking);
  reins_step_add_verdict (step, other);
  if (observation != NULL)
    reins_step_set_observation (step, observation);
  return step;
}

static void
test_person (void)
{
  g_autoptr(ReinsAction) action = reins_action_new ("finish", NULL);
  g_autoptr(ReinsApprovalRecord) confidence = reins_approval_record_new (3, "confidence", "low",
                                                                         action, 0.4);
  g_autoptr(ReinsApprovalRecord) policy = reins_approval_record_new (3, "policy", "risky",
                                                                     action, NAN);
  g_autoptr(ReinsApprovalRecord) grounding = reins_approval_record_new (3, "grounding", "made up",
                                                                        action, NAN);
  /* Another guard wants a correction before the action: the judge rejects. */
  g_autoptr(ReinsStep) objected = step_with (NULL, "grounding", REINS_VERDICT_CORRECT,
                                             REINS_VERDICT_PHASE_BEFORE_ACTION);
  /* Only allows from the others, or an objection by policy: the judge approves. */
  g_autoptr(ReinsStep) allowed = step_with (NULL, "grounding", REINS_VERDICT_ALLOW,
                                            REINS_VERDICT_PHASE_BEFORE_ACTION);
  g_autoptr(ReinsStep) policy_too = step_with (NULL, "policy", REINS_VERDICT_ASK,
                                               REINS_VERDICT_PHASE_BEFORE_ACTION);
  /* An objection of another phase is not about this question. */
  g_autoptr(ReinsStep) earlier = step_with (NULL, "drift", REINS_VERDICT_CORRECT,
                                            REINS_VERDICT_PHASE_BEFORE_MODEL);
  g_autoptr(ReinsStep) after = step_with ("{\"next\": \"k\"}", "tool_result",
                                          REINS_VERDICT_CORRECT,
                                          REINS_VERDICT_PHASE_AFTER_OBSERVATION);

  g_assert_cmpint (reins_bench_person_decide (REINS_BENCH_PERSON_JUDGE, confidence, objected),
                   ==, REINS_DECISION_REJECT);
  g_assert_cmpint (reins_bench_person_decide (REINS_BENCH_PERSON_JUDGE, confidence, allowed),
                   ==, REINS_DECISION_APPROVE);
  g_assert_cmpint (reins_bench_person_decide (REINS_BENCH_PERSON_JUDGE, policy, policy_too),
                   ==, REINS_DECISION_APPROVE);
  g_assert_cmpint (reins_bench_person_decide (REINS_BENCH_PERSON_JUDGE, confidence, earlier),
                   ==, REINS_DECISION_APPROVE);
  g_assert_cmpint (reins_bench_person_decide (REINS_BENCH_PERSON_JUDGE, confidence, after),
                   ==, REINS_DECISION_REJECT);
  g_assert_cmpint (reins_bench_person_decide (REINS_BENCH_PERSON_JUDGE, policy, NULL),
                   ==, REINS_DECISION_APPROVE);
  g_assert_cmpint (reins_bench_person_decide (REINS_BENCH_PERSON_JUDGE, grounding, allowed),
                   ==, REINS_DECISION_REJECT);

  g_assert_cmpint (reins_bench_person_decide (REINS_BENCH_PERSON_APPROVE, grounding, objected),
                   ==, REINS_DECISION_APPROVE);
  g_assert_cmpint (reins_bench_person_decide (REINS_BENCH_PERSON_REJECT, confidence, allowed),
                   ==, REINS_DECISION_REJECT);
}

/* What stops a bench at its provider. */
static void
test_provider_errors (void)
{
  g_autoptr(GError) auth = g_error_new_literal (REINS_ERROR, REINS_ERROR_PROVIDER_AUTH, "key");
  g_autoptr(GError) timeout = g_error_new_literal (REINS_ERROR, REINS_ERROR_PROVIDER_TIMEOUT, "t");
  g_autoptr(GError) network = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "n");
  g_autoptr(GError) store = g_error_new_literal (REINS_ERROR, REINS_ERROR_STORE, "disk");
  g_autoptr(GError) usage = g_error_new_literal (REINS_ERROR, REINS_ERROR_USAGE, "u");

  g_assert_true (reins_error_is_provider (auth));
  g_assert_true (reins_error_is_provider (timeout));
  g_assert_true (reins_error_is_provider (network));
  g_assert_false (reins_error_is_provider (store));
  g_assert_false (reins_error_is_provider (usage));
  g_assert_false (reins_error_is_provider (NULL));
}

/* ---------------------------------------------------------------------------------------
 * Benches on the simulator
 */

static JsonObject *
sim_settings (Fixture *f,
              double   accuracy)
{
  ReinsRunOptions options;
  JsonObject *settings = json_object_new ();

  reins_run_options_init (&options);
  options.provider = "sim";
  options.workspace = f->dir;
  options.sim_accuracy = accuracy;
  options.no_stream = TRUE;
  g_assert_true (reins_run_options_apply (&options, settings, TRUE, NULL));
  return settings;
}

static void
bench_finished_cb (ReinsBench *bench,
                   gboolean   *finished)
{
  *finished = TRUE;
}

static void
bench_progress_cb (ReinsBench *bench,
                   guint       done,
                   guint       total,
                   guint      *last)
{
  g_assert_cmpuint (done, ==, *last + 1);
  g_assert_cmpuint (total, ==, reins_bench_get_n_total (bench));
  *last = done;
}

/* Runs a chain bench on the sim to its end. */
static ReinsBench *
run_bench (Fixture    *f,
           GPtrArray  *tasks,
           double      accuracy,
           const char *setups,
           guint       jobs,
           guint       repeat)
{
  g_autoptr(JsonObject) settings = sim_settings (f, accuracy);
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("sim");
  ReinsBench *bench;
  gboolean finished = FALSE;
  guint last = 0;

  config->sim_accuracy = accuracy;
  bench = reins_bench_new (tasks, settings, config, f->db);
  g_assert_true (reins_bench_set_setups (bench, setups, NULL));
  reins_bench_set_jobs (bench, jobs);
  reins_bench_set_repeat (bench, repeat);
  g_signal_connect (bench, "finished", G_CALLBACK (bench_finished_cb), &finished);
  g_signal_connect (bench, "progress", G_CALLBACK (bench_progress_cb), &last);

  reins_bench_start (bench);
  while (!finished)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (reins_bench_get_error (bench));
  g_assert_false (reins_bench_is_running (bench));
  g_assert_cmpuint (last, ==, reins_bench_get_n_total (bench));
  g_assert_cmpuint (reins_bench_get_n_done (bench), ==, reins_bench_get_n_total (bench));
  return bench;
}

static JsonArray *
setups_of (JsonNode *node)
{
  return json_object_get_array_member (json_node_get_object (node), "setups");
}

/* The counts of every set-up hold together. */
static void
assert_consistent (JsonNode *node,
                   guint     runs)
{
  JsonArray *setups = setups_of (node);

  for (guint i = 0; i < json_array_get_length (setups); i++)
    {
      JsonObject *s = json_array_get_object_element (setups, i);
      gint64 right = json_object_get_int_member (s, "right");
      gint64 wrong = json_object_get_int_member (s, "wrong");
      gint64 none = json_object_get_int_member (s, "none");
      gint64 steps = json_object_get_int_member (s, "steps");

      g_assert_cmpint (json_object_get_int_member (s, "runs"), ==, runs);
      g_assert_cmpint (right + wrong + none, ==, runs);
      g_assert_cmpint (json_object_get_int_member (s, "failed"), <=, none);
      g_assert_cmpint (json_object_get_int_member (s, "steps_judged"), ==, steps);
      g_assert_cmpint (json_object_get_int_member (s, "steps_right"), <=, steps);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (s, "steps_per_task"),
                                      (double) steps / runs, 1e-9);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (s, "right_rate"),
                                      (double) right / runs, 1e-9);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (s, "step_accuracy"),
                                      (double) json_object_get_int_member (s, "steps_right") /
                                      steps, 1e-9);
      g_assert_cmpint (json_object_get_int_member (s, "input_tokens"), >, 0);
    }
}

static void
test_small_sim (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) tasks = reins_bench_suite_chains (6, 3);
  g_autoptr(ReinsBench) bench = run_bench (f, tasks, 0.88, "linear,loop,harness", 1, 1);
  g_autoptr(JsonNode) node = reins_bench_to_json (bench);
  g_autofree char *table = reins_bench_format_table (bench);
  g_auto(GStrv) lines = g_strsplit (table, "\n", -1);
  JsonObject *root = json_node_get_object (node);
  JsonObject *settings = json_object_get_object_member (root, "settings");
  JsonArray *setups = setups_of (node);
  gsize width;

  g_assert_cmpstr (json_object_get_string_member (root, "bench_id"), ==,
                   reins_bench_get_id (bench));
  g_assert_true (json_object_get_boolean_member (root, "complete"));
  g_assert_cmpstr (json_object_get_string_member (settings, "suite"), ==, "chains");
  g_assert_cmpint (json_object_get_int_member (settings, "tasks"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (settings, "length"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (settings, "person"), ==, "judge");
  g_assert_cmpstr (json_object_get_string_member (settings, "provider"), ==, "sim");
  g_assert_cmpfloat (json_object_get_double_member (settings, "sim_accuracy"), ==, 0.88);

  g_assert_cmpuint (json_array_get_length (setups), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (setups, 0),
                                                  "name"), ==, "linear");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (setups, 2),
                                                  "name"), ==, "harness");
  assert_consistent (node, 6);
  {
    /* Linear: no more steps than the chain needs, and no question (no harness). */
    JsonObject *linear = json_array_get_object_element (setups, 0);
    JsonObject *loop = json_array_get_object_element (setups, 1);

    g_assert_cmpint (json_object_get_int_member (linear, "steps"), <=, 6 * 4);
    g_assert_cmpint (json_object_get_int_member (linear, "questions"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (loop, "questions"), ==, 0);
  }

  /* The table: a header line, a blank line, the column titles and one line per set-up, all
   * of the same width. */
  g_assert_true (g_str_has_prefix (lines[0], "6 tasks × 1: knowledge-base chains of 3 lookups"));
  g_assert_cmpstr (lines[1], ==, "");
  g_assert_true (g_str_has_prefix (lines[2], "set-up"));
  g_assert_nonnull (strstr (lines[2], "step accuracy"));
  g_assert_nonnull (strstr (lines[2], "questions/task"));
  g_assert_true (g_str_has_prefix (lines[3], "linear "));
  g_assert_true (g_str_has_prefix (lines[4], "loop "));
  g_assert_true (g_str_has_prefix (lines[5], "harness "));
  g_assert_cmpstr (lines[6], ==, "");
  g_assert_null (lines[7]);
  width = g_utf8_strlen (lines[2], -1);
  for (guint i = 3; i <= 5; i++)
    g_assert_cmpuint (g_utf8_strlen (lines[i], -1), ==, width);
}

static void
test_perfect_sim (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) tasks = reins_bench_suite_chains (4, 3);
  g_autoptr(ReinsBench) bench = run_bench (f, tasks, 1.0, "linear,loop,harness,ablations", 1, 1);
  g_autoptr(JsonNode) node = reins_bench_to_json (bench);
  JsonArray *setups = setups_of (node);
  guint n_guards = g_strv_length ((char **) reins_harness_guard_names);

  /* One ablation per guard but max_steps. */
  g_assert_cmpuint (json_array_get_length (setups), ==, 3 + n_guards - 1);
  assert_consistent (node, 4);
  for (guint i = 0; i < json_array_get_length (setups); i++)
    {
      JsonObject *s = json_array_get_object_element (setups, i);

      if (json_object_get_int_member (s, "right") != 4)
        g_error ("%s: %" G_GINT64_FORMAT " of 4 right", json_object_get_string_member (s, "name"),
                 json_object_get_int_member (s, "right"));
      g_assert_cmpfloat (json_object_get_double_member (s, "step_accuracy"), ==, 1.0);
      g_assert_cmpint (json_object_get_int_member (s, "steps"), ==, 4 * 4);
      if (i >= 3)
        {
          g_autofree char *name = g_strdup_printf ("harness-no-%s",
                                                   json_object_get_string_member (s, "guard_off"));

          g_assert_cmpstr (json_object_get_string_member (s, "name"), ==, name);
        }
    }
}

static char *
setups_text (ReinsBench *bench)
{
  g_autoptr(JsonNode) node = reins_bench_to_json (bench);
  g_autoptr(JsonNode) setups = json_node_new (JSON_NODE_ARRAY);

  json_node_set_array (setups, setups_of (node));
  return json_to_string (setups, FALSE);
}

static void
test_jobs_same (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) tasks = reins_bench_suite_chains (5, 3);
  g_autoptr(ReinsBench) one = run_bench (f, tasks, 0.8, "loop,harness", 1, 2);
  g_autoptr(ReinsBench) two = run_bench (f, tasks, 0.8, "loop,harness", 2, 2);
  g_autofree char *a = setups_text (one);
  g_autofree char *b = setups_text (two);
  g_autoptr(JsonNode) node = reins_bench_to_json (one);

  assert_consistent (node, 10);
  g_assert_cmpstr (a, ==, b);
}

/* The repeats of a task run with other seeds: not every repeat is the same run. */
static void
test_repeat_seeds (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) tasks = reins_bench_suite_chains (1, 4);
  g_autoptr(ReinsBench) bench = run_bench (f, tasks, 0.7, "loop", 1, 4);
  g_autoptr(ReinsStore) store = reins_store_open (f->db, NULL);
  g_autoptr(GPtrArray) runs = reins_store_list_runs (store, -1, 0, 100, NULL);
  g_autoptr(GHashTable) seeds = g_hash_table_new (g_direct_hash, g_direct_equal);

  g_assert_cmpuint (runs->len, ==, 4);
  for (guint i = 0; i < runs->len; i++)
    {
      JsonObject *settings = reins_run_get_settings (g_ptr_array_index (runs, i));

      g_hash_table_add (seeds, GINT_TO_POINTER (reins_settings_get_int (settings, "seed", -1)));
    }
  g_assert_cmpuint (g_hash_table_size (seeds), ==, 4);
}

/* Every run is in the store, tagged with the bench; and the measured step accuracy agrees
 * with the simulator's own record of which replies were right. */
static void
test_stored_and_tagged (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) tasks = reins_bench_suite_chains (6, 3);
  g_autoptr(ReinsBench) bench = run_bench (f, tasks, 0.8, "linear,loop,harness", 2, 1);
  g_autoptr(JsonNode) node = reins_bench_to_json (bench);
  g_autoptr(ReinsStore) store = reins_store_open (f->db, NULL);
  g_autoptr(GPtrArray) runs = reins_store_list_runs (store, -1, 0, 1000, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 sim_right[3] = { 0 };
  JsonArray *setups = setups_of (node);

  g_assert_cmpuint (runs->len, ==, 18);
  for (guint i = 0; i < runs->len; i++)
    {
      ReinsRun *run = g_ptr_array_index (runs, i);
      JsonObject *settings = reins_run_get_settings (run);
      JsonObject *tag = json_object_get_object_member (settings, "bench");
      const char *setup;
      gint64 task;
      guint s;

      g_assert_nonnull (tag);
      g_assert_cmpstr (json_object_get_string_member (tag, "id"), ==, reins_bench_get_id (bench));
      setup = json_object_get_string_member (tag, "setup");
      task = json_object_get_int_member (tag, "task");
      g_assert_cmpint (json_object_get_int_member (tag, "repeat"), ==, 0);
      g_assert_cmpint (task, >=, 0);
      g_assert_cmpint (task, <, 6);
      g_assert_true (g_hash_table_add (seen, g_strdup_printf ("%s/%" G_GINT64_FORMAT, setup, task)));
      {
        ReinsBenchTask *t = g_ptr_array_index (tasks, task);

        g_assert_cmpstr (reins_run_get_task (run), ==, t->task);
      }

      s = g_str_equal (setup, "linear") ? 0 : g_str_equal (setup, "loop") ? 1 : 2;
      if (s < 2)
        g_assert_cmpuint (json_array_get_length (json_object_get_array_member (settings,
                                                                                "disabled_guards")),
                          ==, g_strv_length ((char **) reins_harness_guard_names) - 1);
      if (s == 0)
        g_assert_cmpint (reins_settings_get_int (settings, "max_steps", 0), ==, 4);

      for (guint k = 1; k <= reins_run_get_step_count (run); k++)
        {
          g_autofree char *request = NULL;
          g_autofree char *response = NULL;
          g_autoptr(JsonNode) reply = NULL;
          JsonObject *sim;

          g_assert_true (reins_store_get_exchange (store, reins_run_get_id (run), k, &request,
                                                   &response, NULL));
          reply = reins_json_from_string (response, NULL);
          sim = json_object_get_object_member (json_node_get_object (reply), "sim");
          if (json_object_get_boolean_member (sim, "correct"))
            sim_right[s]++;
        }
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 18);

  for (guint s = 0; s < 3; s++)
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (setups, s),
                                                 "steps_right"), ==, sim_right[s]);
}

/* The bench read back from its stored runs has the figures of the bench that ran. */
static void
assert_same_from_store (Fixture    *f,
                        ReinsBench *bench)
{
  g_autoptr(ReinsStore) store = reins_store_open (f->db, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsBench) stored = reins_bench_new_from_store (store, reins_bench_get_id (bench),
                                                            &error);
  g_autoptr(GPtrArray) ids = reins_bench_list_stored (store, &error);
  g_autofree char *live_text = setups_text (bench);
  g_autofree char *stored_text = NULL;
  g_autofree char *live_table = reins_bench_format_table (bench);
  g_autofree char *stored_table = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_true (g_ptr_array_find_with_equal_func (ids, reins_bench_get_id (bench), g_str_equal,
                                                   NULL));
  g_assert_cmpstr (reins_bench_get_id (stored), ==, reins_bench_get_id (bench));
  g_assert_false (reins_bench_is_running (stored));
  g_assert_cmpuint (reins_bench_get_n_done (stored), ==, reins_bench_get_n_done (bench));
  stored_text = setups_text (stored);
  g_assert_cmpstr (stored_text, ==, live_text);
  stored_table = reins_bench_format_table (stored);
  g_assert_cmpstr (stored_table, ==, live_table);
}

static void
test_from_store (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) tasks = reins_bench_suite_chains (4, 3);
  g_autoptr(ReinsBench) bench = run_bench (f, tasks, 0.8, "linear,loop,harness,ablations", 2, 2);
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsBench) missing = NULL;

  assert_same_from_store (f, bench);

  store = reins_store_open (f->db, NULL);
  missing = reins_bench_new_from_store (store, "no-such-bench", &error);
  g_assert_null (missing);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
}

/* A user's suite on the sim, which answers every task that is not a chain with the same
 * honest sentence: each matcher, right and wrong; no step accuracy is made up. */
static void
test_user_suite (Fixture       *f,
                 gconstpointer  data)
{
  const char *text =
    "{\"id\": \"c-right\", \"task\": \"What are you?\", \"expected\": \"OFFLINE SIMULATOR\", \"match\": \"contains\"}\n"
    "{\"id\": \"c-wrong\", \"task\": \"What are you?\", \"expected\": \"a wizard\", \"match\": \"contains\"}\n"
    "{\"id\": \"r-right\", \"task\": \"What are you?\", \"expected\": \"^I am the Reins\", \"match\": \"regex\"}\n"
    "{\"id\": \"r-wrong\", \"task\": \"What are you?\", \"expected\": \"^You\", \"match\": \"regex\"}\n"
    "{\"id\": \"e-wrong\", \"task\": \"What are you?\", \"expected\": \"sim\", \"match\": \"exact\"}\n"
    "{\"id\": \"n-wrong\", \"task\": \"What are you?\", \"expected\": 42, \"match\": \"numeric\"}\n";
  g_autoptr(GPtrArray) tasks = reins_bench_suite_parse (text, "user.jsonl", NULL);
  g_autoptr(ReinsBench) bench = run_bench (f, tasks, 0.88, "loop,harness", 2, 1);
  g_autoptr(JsonNode) node = reins_bench_to_json (bench);
  g_autofree char *table = reins_bench_format_table (bench);
  JsonArray *setups = setups_of (node);

  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_node_get_object (node), "settings"), "suite"), ==, "file");
  for (guint i = 0; i < json_array_get_length (setups); i++)
    {
      JsonObject *s = json_array_get_object_element (setups, i);

      g_assert_cmpint (json_object_get_int_member (s, "runs"), ==, 6);
      g_assert_cmpint (json_object_get_int_member (s, "right"), ==, 2);
      g_assert_cmpint (json_object_get_int_member (s, "wrong"), ==, 4);
      g_assert_cmpint (json_object_get_int_member (s, "none"), ==, 0);
      g_assert_true (json_node_is_null (json_object_get_member (s, "step_accuracy")));
      g_assert_cmpint (json_object_get_int_member (s, "steps_judged"), ==, 0);
    }
  g_assert_nonnull (strstr (table, "—"));
  assert_same_from_store (f, bench);
}

static void
test_setups_parse (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) tasks = reins_bench_suite_chains (2, 2);
  g_autoptr(JsonObject) settings = sim_settings (f, 0.9);
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("sim");
  g_autoptr(ReinsBench) bench = reins_bench_new (tasks, settings, config, f->db);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (reins_bench_get_n_total (bench), ==, 3 * 2);
  g_assert_false (reins_bench_set_setups (bench, "loop,pipeline", &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  g_assert_nonnull (strstr (error->message, "pipeline"));
  g_clear_error (&error);
  /* The failed call changed nothing. */
  g_assert_cmpuint (reins_bench_get_n_total (bench), ==, 3 * 2);
  g_assert_false (reins_bench_set_setups (bench, " , ", &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  g_clear_error (&error);
  g_assert_true (reins_bench_set_setups (bench, "harness,loop,harness", &error));
  g_assert_no_error (error);
  reins_bench_set_repeat (bench, 3);
  g_assert_cmpuint (reins_bench_get_n_total (bench), ==, 2 * 2 * 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reins/bench/suite/chains", test_chains);
  g_test_add_func ("/reins/bench/suite/matchers", test_matchers);
  g_test_add_func ("/reins/bench/suite/parse", test_suite_parse);
  g_test_add_func ("/reins/bench/suite/malformed", test_suite_malformed);
  g_test_add_func ("/reins/bench/person", test_person);
  g_test_add_func ("/reins/bench/provider-errors", test_provider_errors);
  g_test_add ("/reins/bench/setups", Fixture, NULL, fixture_set_up, test_setups_parse,
              fixture_tear_down);
  g_test_add ("/reins/bench/sim/small", Fixture, NULL, fixture_set_up, test_small_sim,
              fixture_tear_down);
  g_test_add ("/reins/bench/sim/perfect", Fixture, NULL, fixture_set_up, test_perfect_sim,
              fixture_tear_down);
  g_test_add ("/reins/bench/sim/jobs", Fixture, NULL, fixture_set_up, test_jobs_same,
              fixture_tear_down);
  g_test_add ("/reins/bench/sim/repeat-seeds", Fixture, NULL, fixture_set_up, test_repeat_seeds,
              fixture_tear_down);
  g_test_add ("/reins/bench/sim/stored", Fixture, NULL, fixture_set_up, test_stored_and_tagged,
              fixture_tear_down);
  g_test_add ("/reins/bench/sim/from-store", Fixture, NULL, fixture_set_up, test_from_store,
              fixture_tear_down);
  g_test_add ("/reins/bench/sim/user-suite", Fixture, NULL, fixture_set_up, test_user_suite,
              fixture_tear_down);

  return g_test_run ();
}
