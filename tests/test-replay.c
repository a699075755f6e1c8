/* test-replay.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The harness on real runs of the executor with the sim provider, and the replay:
 *
 *  - a replay under the run's own settings reproduces every stored verdict exactly;
 *  - a what-if with a stricter confidence threshold flags exactly the steps below it;
 *  - "always allow" stored in a run's settings holds after a resume;
 *  - at sim accuracy 1.0 the loop, drift, grounding and tool_result guards never intervene;
 *  - at 0.88 the harness catches most sim mistakes, and more runs end with the right answer
 *    than without it (the project's thesis; the figures are printed).
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "reins-executor.h"
#include "reins-harness.h"
#include "reins-prompt.h"
#include "reins-replay.h"
#include "reins-store.h"

typedef struct
{
  char       *dir;
  char       *db;
  gboolean    finished;
  guint       approvals;
  GHashTable *asks;      /* guard → how many questions it put */
} Fixture;

/* Under AddressSanitizer a run is about ten times slower: fewer of them. */
#if defined(__SANITIZE_ADDRESS__)
#define N_THESIS_RUNS 40
#define N_CLEAN_RUNS 20
#else
#define N_THESIS_RUNS 100
#define N_CLEAN_RUNS 60
#endif

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("reins-replay-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->db = g_build_filename (f->dir, "runs.db", NULL);
  f->asks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  remove_tree (f->dir);
  g_hash_table_unref (f->asks);
  g_free (f->db);
  g_free (f->dir);
}

/* The person of these tests: approves what the policy or a low confidence asks about —
 * unless another guard found something wrong with the same step — and rejects, with the
 * guards' reason, what the harness caught as a mistake. */
static void
approval_requested_cb (ReinsExecutor *executor,
                       ReinsApproval *approval,
                       Fixture       *f)
{
  ReinsApprovalRecord *record = reins_approval_get_record (approval);
  const char *guard = reins_approval_record_get_guard (record);

  f->approvals++;
  g_hash_table_insert (f->asks, g_strdup (guard),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (f->asks, guard)) + 1));
  if (reins_approval_is_question (approval))
    reins_approval_reject (approval, NULL);
  else if ((g_str_equal (guard, "policy") || g_str_equal (guard, "confidence")) &&
           strstr (reins_approval_record_get_reason (record), " Also, ") == NULL)
    reins_approval_approve (approval, FALSE);
  else
    reins_approval_reject (approval, reins_approval_record_get_reason (record));
}

static void
finished_cb (ReinsExecutor *executor,
             ReinsRun      *run,
             Fixture       *f)
{
  f->finished = TRUE;
}

static void
run_executor (Fixture       *f,
              ReinsExecutor *executor)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  f->finished = FALSE;
  g_signal_connect (executor, "approval-requested", G_CALLBACK (approval_requested_cb), f);
  g_signal_connect (executor, "finished", G_CALLBACK (finished_cb), f);
  reins_executor_start (executor);
  while (!f->finished)
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
}

static ReinsRun *
chain_run (guint       seed,
           guint       length,
           const char *disabled)
{
  g_autofree char *task = reins_kb_task (seed, length);
  ReinsRun *run = reins_run_new (task);
  JsonObject *settings = reins_run_get_settings (run);
  JsonArray *tools = json_array_new ();
  JsonArray *off = json_array_new ();

  json_array_add_string_element (tools, "kb_lookup");
  json_array_add_string_element (tools, "calculator");
  json_object_set_array_member (settings, "tools", tools);
  json_object_set_string_member (settings, "mode", "tools");
  json_object_set_int_member (settings, "max_steps", 3 * length);
  json_object_set_double_member (settings, "price_in", 1.0);
  json_object_set_double_member (settings, "price_out", 2.0);
  json_object_set_boolean_member (settings, "stream", FALSE);
  if (disabled != NULL)
    {
      g_auto(GStrv) names = g_strsplit (disabled, ",", -1);

      for (guint i = 0; names[i] != NULL; i++)
        json_array_add_string_element (off, names[i]);
    }
  json_object_set_array_member (settings, "disabled_guards", off);
  return run;
}

/* Runs a sim chain to its end; returns the stored run (and its steps). */
static ReinsRun *
sim_run (Fixture     *f,
         ReinsRun    *run,
         guint        seed,
         double       accuracy,
         GPtrArray  **steps)
{
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("sim");
  g_autoptr(ReinsExecutor) executor = NULL;
  g_autoptr(ReinsStore) store = NULL;
  ReinsRun *stored;

  config->seed = seed;
  config->sim_accuracy = accuracy;
  executor = reins_executor_new (run, config, f->db);
  run_executor (f, executor);

  store = reins_store_open (f->db, NULL);
  g_assert_nonnull (store);
  stored = reins_store_get_run (store, reins_run_get_id (run), NULL);
  g_assert_nonnull (stored);
  *steps = reins_store_get_steps (store, reins_run_get_id (run), 1, 0, NULL);
  g_assert_nonnull (*steps);
  return stored;
}

static void
assert_same_verdicts (GPtrArray *stored,
                      GPtrArray *replayed,
                      guint      step)
{
  if (stored->len != replayed->len)
    g_error ("step %u: %u verdicts stored, %u replayed", step, stored->len, replayed->len);

  for (guint i = 0; i < stored->len; i++)
    {
      ReinsVerdict *a = g_ptr_array_index (stored, i);
      ReinsVerdict *b = g_ptr_array_index (replayed, i);
      guint na = 0, nb = 0;
      const guint *sa = reins_verdict_get_steps (a, &na);
      const guint *sb = reins_verdict_get_steps (b, &nb);

      g_assert_cmpstr (reins_verdict_get_guard (a), ==, reins_verdict_get_guard (b));
      g_assert_cmpint (reins_verdict_get_kind (a), ==, reins_verdict_get_kind (b));
      g_assert_cmpint (reins_verdict_get_phase (a), ==, reins_verdict_get_phase (b));
      g_assert_cmpstr (reins_verdict_get_reason (a), ==, reins_verdict_get_reason (b));
      g_assert_cmpmem (sa, na * sizeof (guint), sb, nb * sizeof (guint));
    }
}

static void
test_replay_reproduces (Fixture       *f,
                        gconstpointer  data)
{
  guint interventions = 0;

  for (guint seed = 1; seed <= 12; seed++)
    {
      g_autoptr(ReinsRun) run = chain_run (seed, 8, NULL);
      g_autoptr(ReinsRun) stored = NULL;
      g_autoptr(GPtrArray) steps = NULL;
      g_autoptr(GPtrArray) replayed = NULL;
      g_autoptr(GError) error = NULL;

      /* Some runs meet the budgets too: a tight cost budget and a token budget. */
      if (seed % 4 == 0)
        json_object_set_double_member (reins_run_get_settings (run), "budget_usd", 0.006);
      if (seed % 4 == 1)
        json_object_set_int_member (reins_run_get_settings (run), "token_budget", 6000);

      stored = sim_run (f, run, seed, 0.8, &steps);
      replayed = reins_replay_run (stored, steps, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (replayed->len, ==, steps->len);

      for (guint i = 0; i < replayed->len; i++)
        {
          ReinsReplayStep *entry = g_ptr_array_index (replayed, i);

          g_assert_false (entry->changed);
          assert_same_verdicts (entry->stored_verdicts, reins_step_get_verdicts (entry->step),
                                reins_step_get_index (entry->step));
          if (entry->stored_worst != NULL)
            interventions++;
        }
    }

  /* The runs were not trivially clean: there was something to reproduce. */
  g_test_message ("%u interventions reproduced", interventions);
  g_assert_cmpuint (interventions, >, 5);
}

static gboolean
has_verdict (ReinsStep        *step,
             const char       *guard,
             ReinsVerdictKind  kind)
{
  GPtrArray *verdicts = reins_step_get_verdicts (step);

  for (guint i = 0; i < verdicts->len; i++)
    {
      ReinsVerdict *v = g_ptr_array_index (verdicts, i);

      if (g_str_equal (reins_verdict_get_guard (v), guard) && reins_verdict_get_kind (v) == kind)
        return TRUE;
    }
  return FALSE;
}

static void
test_replay_stricter_threshold (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(ReinsRun) run = chain_run (3, 10, NULL);
  g_autoptr(ReinsRun) stored = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GPtrArray) replayed = NULL;
  g_autoptr(JsonObject) settings = NULL;
  guint newly = 0;

  stored = sim_run (f, run, 3, 1.0, &steps);
  settings = reins_replay_settings_merge (reins_run_get_settings (stored), NULL);
  json_object_set_double_member (settings, "confidence_threshold", 0.9);
  json_object_set_string_member (settings, "confidence_asks", "always");
  replayed = reins_replay_run (stored, steps, settings, NULL);
  g_assert_nonnull (replayed);

  for (guint i = 0; i < replayed->len; i++)
    {
      ReinsReplayStep *entry = g_ptr_array_index (replayed, i);
      ReinsStep *step = g_ptr_array_index (steps, i);
      gboolean below = reins_step_get_action (step) != NULL && reins_step_has_confidence (step) &&
                       reins_step_get_confidence_source (step) != REINS_CONFIDENCE_SOURCE_DEFAULT &&
                       reins_step_get_confidence (step) < 0.9;
      gboolean was = has_verdict (step, "confidence", REINS_VERDICT_ASK);

      /* Exactly the steps below the new threshold are sent to a person. */
      g_assert_cmpint (has_verdict (entry->step, "confidence", REINS_VERDICT_ASK), ==, below);
      /* A step changes when it is newly flagged and nothing more severe was there. */
      g_assert_cmpint (entry->changed, ==, below && !was && entry->stored_worst == NULL);
      if (entry->changed)
        newly++;
    }
  g_test_message ("%u of %u steps newly flagged at 0.9", newly, replayed->len);
  g_assert_cmpuint (newly, >, 0);

  /* The stored run itself is untouched. */
  for (guint i = 0; i < steps->len; i++)
    {
      ReinsReplayStep *entry = g_ptr_array_index (replayed, i);

      g_assert_true (entry->step != g_ptr_array_index (steps, i));
    }
}

/* "Always allow" stored in the run's settings holds after a resume: no question. */
static void
test_always_allow_after_resume (Fixture       *f,
                                gconstpointer  data)
{
  const char *script =
    "{\"responses\": ["
    " {\"tool_calls\": [{\"name\": \"write_file\", \"arguments\": {\"path\": \"b.txt\", \"content\": \"two\"}}]},"
    " {\"tool_calls\": [{\"name\": \"finish\", \"arguments\": {\"answer\": \"I wrote a.txt and b.txt.\"}}]}"
    "]}";
  g_autoptr(ReinsRun) run = reins_run_new ("Write a.txt and b.txt");
  JsonObject *settings = reins_run_get_settings (run);
  g_autofree char *workspace = g_build_filename (f->dir, "ws", NULL);
  g_autofree char *script_path = g_build_filename (f->dir, "script.json", NULL);
  g_autofree char *b = g_build_filename (workspace, "b.txt", NULL);
  g_autoptr(ReinsStore) store = reins_store_open (f->db, NULL);
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("scripted");
  g_autoptr(ReinsExecutor) executor = NULL;
  g_autoptr(ReinsRun) stored = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GPtrArray) replayed = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *tools = json_array_new ();
  JsonArray *allow = json_array_new ();

  g_mkdir (workspace, 0700);
  json_array_add_string_element (tools, "write_file");
  json_object_set_array_member (settings, "tools", tools);
  json_object_set_string_member (settings, "workspace", workspace);
  json_array_add_string_element (allow, "write_file");
  json_object_set_array_member (settings, "always_allow", allow);

  /* What an earlier process left: step 1 asked, the person said "always allow", then the
   * process died. */
  {
    g_autoptr(ReinsStep) step = reins_step_new (reins_run_get_id (run), 1);
    g_autoptr(ReinsAction) action = reins_action_new_from_string ("{\"name\":\"write_file\",\"arguments\":{\"path\":\"a.txt\",\"content\":\"one\"}}", NULL);
    g_autoptr(ReinsVerdict) verdict = reins_verdict_new ("policy", REINS_VERDICT_ASK, "“write_file” changes files in the workspace, so a person approves it: approve, edit or reject the call.");
    g_autoptr(ReinsApprovalRecord) record = reins_approval_record_new (1, "policy", "…", action, NAN);

    reins_verdict_set_phase (verdict, REINS_VERDICT_PHASE_BEFORE_ACTION);
    reins_step_set_action (step, action);
    reins_step_add_verdict (step, verdict);
    reins_approval_record_resolve (record, REINS_DECISION_APPROVE, action, NULL, g_get_real_time ());
    reins_step_add_approval (step, record);
    reins_step_set_observation (step, "Wrote 3 bytes to a.txt.");
    reins_run_set_status (run, REINS_RUN_STATUS_INTERRUPTED);
    g_assert_true (reins_store_insert_run (store, run, &error));
    g_assert_true (reins_store_commit_step (store, run, step, &error));
    reins_run_set_step_count (run, 1);
    g_assert_true (reins_store_update_run (store, run, &error));
  }
  g_clear_object (&store);

  g_assert_true (g_file_set_contents (script_path, script, -1, NULL));
  config->script_path = g_strdup (script_path);
  executor = reins_executor_new_resume (reins_run_get_id (run), NULL, config, f->db, &error);
  g_assert_no_error (error);
  run_executor (f, executor);

  /* The second write was not asked about, and it ran. */
  g_assert_cmpuint (f->approvals, ==, 0);
  g_assert_true (g_file_test (b, G_FILE_TEST_EXISTS));

  store = reins_store_open (f->db, NULL);
  stored = reins_store_get_run (store, reins_run_get_id (run), NULL);
  steps = reins_store_get_steps (store, reins_run_get_id (run), 1, 0, NULL);
  g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_cmpuint (steps->len, ==, 3);
  g_assert_false (has_verdict (g_ptr_array_index (steps, 1), "policy", REINS_VERDICT_ASK));

  /* The replay knows the tool was allowed only after step 1's answer. */
  replayed = reins_replay_run (stored, steps, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < replayed->len; i++)
    g_assert_false (((ReinsReplayStep *) g_ptr_array_index (replayed, i))->changed);
}

static guint
count_guard (GPtrArray  *steps,
             const char *guard)
{
  guint n = 0;

  for (guint i = 0; i < steps->len; i++)
    {
      GPtrArray *verdicts = reins_step_get_verdicts (g_ptr_array_index (steps, i));

      for (guint j = 0; j < verdicts->len; j++)
        {
          ReinsVerdict *v = g_ptr_array_index (verdicts, j);

          if (g_str_equal (reins_verdict_get_guard (v), guard) &&
              reins_verdict_get_kind (v) != REINS_VERDICT_ALLOW)
            n++;
        }
    }
  return n;
}

/* False positives matter: a perfect model is never second-guessed. */
static void
test_no_false_positives (Fixture       *f,
                         gconstpointer  data)
{
  static const char * const guards[] = { "loop", "drift", "grounding", "tool_result", "rate" };
  guint completed = 0;
  guint n_runs = g_test_thorough () ? 200 : N_CLEAN_RUNS;

  for (guint seed = 1; seed <= n_runs; seed++)
    {
      g_autoptr(ReinsRun) run = chain_run (seed, 2 + seed % 11, NULL);
      g_autoptr(ReinsRun) stored = NULL;
      g_autoptr(GPtrArray) steps = NULL;

      stored = sim_run (f, run, seed, 1.0, &steps);
      for (guint g = 0; g < G_N_ELEMENTS (guards); g++)
        if (count_guard (steps, guards[g]) != 0)
          g_error ("seed %u: the %s guard intervened on a perfect run", seed, guards[g]);
      if (reins_run_get_status (stored) == REINS_RUN_STATUS_COMPLETED)
        completed++;
    }
  g_assert_cmpuint (completed, ==, n_runs);
}

typedef struct
{
  guint runs;
  guint right;        /* completed with the chain's value */
  guint wrong;        /* completed with another answer */
  guint mistakes;
  guint caught;       /* mistakes on a step where a guard intervened */
  guint by_kind[8];
  guint caught_by_kind[8];
  guint asks;
} Tally;

static const char * const mistake_names[] = {
  "malformed_action", "unknown_tool", "stale_key", "premature_finish", "phantom_success",
  "drift", NULL
};

static int
mistake_of (ReinsStore *store,
            ReinsStep  *step)
{
  g_autofree char *request = NULL;
  g_autofree char *response = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *sim;
  const char *name;

  if (!reins_store_get_exchange (store, reins_step_get_run_id (step), reins_step_get_index (step),
                                 &request, &response, NULL) || response == NULL)
    return -1;
  node = json_from_string (response, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      !json_object_has_member (json_node_get_object (node), "sim"))
    return -1;
  sim = json_object_get_object_member (json_node_get_object (node), "sim");
  name = json_object_get_string_member_with_default (sim, "mistake", "none");
  for (guint i = 0; mistake_names[i] != NULL; i++)
    if (g_str_equal (name, mistake_names[i]))
      return (int) i;
  return -1;
}

static void
tally_run (Fixture   *f,
           Tally     *t,
           guint      seed,
           guint      length,
           gboolean   harness)
{
  g_autoptr(ReinsRun) run =
    chain_run (seed, length, harness ? NULL : "budget,policy,rate,confidence,tool_result,grounding,loop,drift");
  g_autoptr(ReinsRun) stored = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autofree char *value = reins_kb_value (seed, length);
  guint asks_before = f->approvals;

  stored = sim_run (f, run, seed, 0.88, &steps);
  t->runs++;
  t->asks += f->approvals - asks_before;
  if (reins_run_get_status (stored) == REINS_RUN_STATUS_COMPLETED)
    {
      if (g_strcmp0 (reins_run_get_final_answer (stored), value) == 0)
        t->right++;
      else
        {
          t->wrong++;
          if (g_getenv ("REINS_TEST_VERBOSE") != NULL)
            g_test_message ("seed %u (%s): wrong answer %s, expected %s", seed,
                            harness ? "harness" : "bare", reins_run_get_final_answer (stored), value);
          for (guint i = 0; g_getenv ("REINS_TEST_VERBOSE") != NULL && i < steps->len; i++)
            {
              ReinsStep *step = g_ptr_array_index (steps, i);
              g_autofree char *text = reins_step_get_action (step) ? reins_action_to_string (reins_step_get_action (step)) : g_strdup ("-");

              g_test_message ("  %u %s -> %s [%u verdicts, worst %d, conf %.2f]", reins_step_get_index (step), text,
                              reins_step_get_observation (step), reins_step_get_verdicts (step)->len,
                              reins_step_get_worst_verdict (step), reins_step_get_confidence (step));
              for (guint j = 0; j < reins_step_get_verdicts (step)->len; j++)
                g_test_message ("     %s: %s", reins_verdict_get_guard (g_ptr_array_index (reins_step_get_verdicts (step), j)),
                                reins_verdict_get_reason (g_ptr_array_index (reins_step_get_verdicts (step), j)));
            }
        }
    }

  store = reins_store_open (f->db, NULL);
  for (guint i = 0; i < steps->len; i++)
    {
      ReinsStep *step = g_ptr_array_index (steps, i);
      int mistake = mistake_of (store, step);

      if (mistake < 0)
        continue;
      t->mistakes++;
      t->by_kind[mistake]++;
      /* Caught: a guard spoke on the step itself, or right after its observation on the
       * next step's call (before_model). */
      if (reins_step_get_worst_verdict (step) >= REINS_VERDICT_CORRECT ||
          (i + 1 < steps->len &&
           reins_step_get_worst_verdict (g_ptr_array_index (steps, i + 1)) >= REINS_VERDICT_CORRECT &&
           has_verdict (g_ptr_array_index (steps, i + 1), "drift", REINS_VERDICT_CORRECT)))
        {
          t->caught++;
          t->caught_by_kind[mistake]++;
        }
    }
}

static void
test_thesis (Fixture       *f,
             gconstpointer  data)
{
  Tally with = { 0 }, without = { 0 };
  guint n_runs = g_test_thorough () ? 200 : N_THESIS_RUNS;
  GString *kinds = g_string_new (NULL);
  GString *asks = g_string_new (NULL);
  GHashTableIter iter;
  gpointer guard, count;

  for (guint seed = 1; seed <= n_runs; seed++)
    {
      tally_run (f, &with, seed, 10, TRUE);
      tally_run (f, &without, seed, 10, FALSE);
    }

  for (guint i = 0; mistake_names[i] != NULL; i++)
    g_string_append_printf (kinds, " %s %u/%u", mistake_names[i], with.caught_by_kind[i],
                            with.by_kind[i]);

  g_hash_table_iter_init (&iter, f->asks);
  while (g_hash_table_iter_next (&iter, &guard, &count))
    g_string_append_printf (asks, " %s %u", (const char *) guard, GPOINTER_TO_UINT (count));

  g_test_message ("sim 0.88, %u runs of 10-step chains", n_runs);
  g_test_message ("with the harness:    %u right answers (%.0f %%), %u wrong answers, "
                  "%u questions to the person",
                  with.right, 100.0 * with.right / with.runs, with.wrong, with.asks);
  g_test_message ("without the harness: %u right answers (%.0f %%), %u wrong answers",
                  without.right, 100.0 * without.right / without.runs, without.wrong);
  g_test_message ("mistakes caught: %u of %u (%.0f %%); by kind:%s",
                  with.caught, with.mistakes, 100.0 * with.caught / MAX (with.mistakes, 1),
                  kinds->str);
  g_test_message ("questions by guard (both arms; without the harness only ask_human):%s", asks->str);
  g_string_free (kinds, TRUE);
  g_string_free (asks, TRUE);

  /* The thesis: the harness turns wrong answers into right ones or honest stops. */
  g_assert_cmpuint (with.wrong, <, without.wrong);
  g_assert_cmpuint (with.right, >, without.right);
}

/* Issue 17 §4: a store whose step numbers jump by more than the summary's window (20) once
 * made the replay read past the end of its steps. */
static void
test_replay_step_gap (Fixture       *f,
                      gconstpointer  data)
{
  static const guint numbers[] = { 1, 2, 3, 40 };
  g_autoptr(ReinsRun) run = reins_run_new ("Look things up");
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) replayed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      ReinsStep *step = reins_step_new (reins_run_get_id (run), numbers[i]);
      g_autoptr(ReinsAction) action = reins_action_new_from_string (
        "{\"name\": \"calculator\", \"arguments\": {\"expression\": \"1+1\"}}", NULL);

      reins_step_set_action (step, action);
      reins_step_set_observation (step, "2");
      g_ptr_array_add (steps, step);
    }

  /* The summary of "steps 1 … 39" covers the four there are, once each. */
  summary = reins_prompt_summarize (steps, 39);
  g_assert_nonnull (summary);
  g_assert_null (strstr (summary, "Steps 1–"));

  replayed = reins_replay_run (run, steps, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (replayed->len, ==, G_N_ELEMENTS (numbers));

  /* Without a gap, the steps before the last 20 are counted, not listed. */
  while (steps->len < 25)
    g_ptr_array_add (steps, reins_step_copy (g_ptr_array_index (steps, 0)));
  g_clear_pointer (&summary, g_free);
  summary = reins_prompt_summarize (steps, 25);
  g_assert_nonnull (strstr (summary, "Steps 1–5: calculator ×5, 0 errors."));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/reins/replay/reproduces", test_replay_reproduces);
  ADD ("/reins/replay/stricter-threshold", test_replay_stricter_threshold);
  ADD ("/reins/replay/always-allow-after-resume", test_always_allow_after_resume);
  ADD ("/reins/replay/step-gap", test_replay_step_gap);
  ADD ("/reins/harness/sim/no-false-positives", test_no_false_positives);
  ADD ("/reins/harness/sim/thesis", test_thesis);

#undef ADD

  return g_test_run ();
}
