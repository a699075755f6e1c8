/* test-executor.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The executor end to end with the scripted and sim providers: event order, write-ahead,
 * approvals, pause/step/cancel, both action modes, compression, goal re-injection, resume.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "reins-executor.h"
#include "reins-guard.h"
#include "reins-harness.h"
#include "reins-prompt.h"
#include "reins-run-restore.h"
#include "reins-store.h"

typedef enum
{
  ANSWER_APPROVE,
  ANSWER_EDIT,
  ANSWER_REJECT,
  ANSWER_STOP,
  ANSWER_CANCEL,
  ANSWER_END_NOW,
  ANSWER_NONE,
} Answer;

typedef struct
{
  char          *dir;
  char          *db;
  char          *workspace;
  ReinsExecutor *executor;
  GString       *log;          /* the order of events, e.g. "s1 f1 s2 A2 r2 f2 F" */
  GPtrArray     *steps;
  GPtrArray     *approvals;
  Answer         answer;
  gboolean       finished;
  gboolean       write_ahead_ok;
  guint          tokens;
  gboolean       pause_after_first;
  GHashTable    *notified;     /* property name → times notified, all on this thread */
  GThread       *main_thread;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("reins-executor-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->db = g_build_filename (f->dir, "runs.db", NULL);
  f->workspace = g_build_filename (f->dir, "ws", NULL);
  g_mkdir (f->workspace, 0700);
  f->log = g_string_new (NULL);
  f->steps = g_ptr_array_new_with_free_func (g_object_unref);
  f->approvals = g_ptr_array_new_with_free_func (g_object_unref);
  f->write_ahead_ok = TRUE;
  f->answer = ANSWER_APPROVE;
  f->notified = g_hash_table_new (g_str_hash, g_str_equal);
  f->main_thread = g_thread_self ();
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
  if (f->executor != NULL)
    g_assert_finalize_object (f->executor);
  g_ptr_array_unref (f->steps);
  g_ptr_array_unref (f->approvals);
  g_hash_table_unref (f->notified);
  g_string_free (f->log, TRUE);
  remove_tree (f->dir);
  g_free (f->workspace);
  g_free (f->db);
  g_free (f->dir);
}

static void
step_started_cb (ReinsExecutor *executor,
                 guint          index,
                 Fixture       *f)
{
  g_string_append_printf (f->log, "s%u ", index);
}

static void
token_cb (ReinsExecutor *executor,
          guint          index,
          const char    *text,
          Fixture       *f)
{
  g_assert_cmpuint (strlen (text), >, 0);
  f->tokens++;
}

static void
step_finished_cb (ReinsExecutor *executor,
                  ReinsStep     *step,
                  Fixture       *f)
{
  g_autoptr(ReinsStore) store = reins_store_open (f->db, NULL);
  g_autoptr(ReinsStep) stored = NULL;

  g_string_append_printf (f->log, "f%u ", reins_step_get_index (step));
  g_ptr_array_add (f->steps, g_object_ref (step));

  /* Write-ahead: what we hear of is already durable, on another connection. */
  stored = store ? reins_store_get_step (store, reins_step_get_run_id (step),
                                         reins_step_get_index (step), NULL) : NULL;
  if (stored == NULL ||
      g_strcmp0 (reins_step_get_observation (stored), reins_step_get_observation (step)) != 0)
    f->write_ahead_ok = FALSE;

  if (f->pause_after_first && reins_step_get_index (step) == 1)
    reins_executor_pause (executor);
}

static gboolean
cancel_later (gpointer data)
{
  reins_executor_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
approval_requested_cb (ReinsExecutor *executor,
                       ReinsApproval *approval,
                       Fixture       *f)
{
  ReinsApprovalRecord *record = reins_approval_get_record (approval);

  g_string_append_printf (f->log, "A%u ", reins_approval_record_get_step (record));
  g_ptr_array_add (f->approvals, g_object_ref (approval));
  {
    g_autoptr(ReinsApproval) pending = reins_executor_get_pending_approval (executor);

    g_assert_true (pending == approval);
  }
  g_assert_cmpint (reins_run_get_status (reins_executor_get_run (executor)), ==,
                   REINS_RUN_STATUS_AWAITING_APPROVAL);

  switch (f->answer)
    {
    case ANSWER_APPROVE:
      g_assert_true (reins_approval_approve (approval, FALSE));
      /* A second answer never takes effect. */
      g_assert_false (reins_approval_reject (approval, "too late"));
      break;

    case ANSWER_EDIT:
      {
        g_autoptr(ReinsAction) edited =
          reins_action_new_from_string ("{\"name\":\"calculator\",\"arguments\":{\"expression\":\"6*7\"}}", NULL);
        reins_approval_edit (approval, edited, FALSE);
      }
      break;

    case ANSWER_REJECT:
      reins_approval_reject (approval, "Use the calculator instead.");
      break;

    case ANSWER_STOP:
      reins_approval_stop (approval);
      break;

    case ANSWER_CANCEL:
      g_idle_add (cancel_later, executor);
      break;

    case ANSWER_END_NOW:
      g_assert_true (reins_approval_choose (approval, REINS_APPROVAL_CHOICE_END_NOW));
      break;

    case ANSWER_NONE:
    default:
      break;
    }
}

static void
approval_resolved_cb (ReinsExecutor       *executor,
                      ReinsApprovalRecord *record,
                      Fixture             *f)
{
  g_string_append_printf (f->log, "r%u ", reins_approval_record_get_step (record));
}

static void
finished_cb (ReinsExecutor *executor,
             ReinsRun      *run,
             Fixture       *f)
{
  g_string_append (f->log, "F");
  f->finished = TRUE;
}

static void
notify_cb (ReinsExecutor *executor,
           GParamSpec    *pspec,
           Fixture       *f)
{
  /* The UI binds to these: never from the worker. */
  g_assert_true (g_thread_self () == f->main_thread);
  g_hash_table_insert (f->notified, (gpointer) pspec->name,
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (f->notified,
                                                                                pspec->name)) + 1));
}

static guint
n_notified (Fixture    *f,
            const char *property)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (f->notified, property));
}

static void
connect_all (Fixture *f)
{
  g_signal_connect (f->executor, "notify", G_CALLBACK (notify_cb), f);
  g_signal_connect (f->executor, "step-started", G_CALLBACK (step_started_cb), f);
  g_signal_connect (f->executor, "token", G_CALLBACK (token_cb), f);
  g_signal_connect (f->executor, "step-finished", G_CALLBACK (step_finished_cb), f);
  g_signal_connect (f->executor, "approval-requested", G_CALLBACK (approval_requested_cb), f);
  g_signal_connect (f->executor, "approval-resolved", G_CALLBACK (approval_resolved_cb), f);
  g_signal_connect (f->executor, "finished", G_CALLBACK (finished_cb), f);
}

static void
wait_finished (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!f->finished)
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > deadline)
        g_error ("the run did not finish; events so far: %s", f->log->str);
    }
}

static ReinsRun *
new_run (Fixture    *f,
         const char *task,
         const char *mode)
{
  ReinsRun *run = reins_run_new (task);
  JsonObject *settings = reins_run_get_settings (run);
  JsonArray *tools = json_array_new ();

  json_array_add_string_element (tools, "kb_lookup");
  json_array_add_string_element (tools, "calculator");
  json_array_add_string_element (tools, "write_file");
  json_object_set_array_member (settings, "tools", tools);
  json_object_set_string_member (settings, "workspace", f->workspace);
  json_object_set_string_member (settings, "mode", mode);
  json_object_set_int_member (settings, "max_steps", 20);
  json_object_set_double_member (settings, "price_in", 1.0);
  json_object_set_double_member (settings, "price_out", 2.0);
  /* These tests drive the approval path with low confidence on read-only tools. */
  json_object_set_string_member (settings, "confidence_asks", "always");
  return run;
}

static ReinsProviderConfig *
scripted (Fixture    *f,
          const char *script)
{
  g_autofree char *path = g_build_filename (f->dir, "script.json", NULL);
  ReinsProviderConfig *config = reins_provider_config_new ("scripted");

  g_assert_true (g_file_set_contents (path, script, -1, NULL));
  config->script_path = g_strdup (path);
  return config;
}

static ReinsRun *
stored_run (Fixture   *f,
            GPtrArray **steps)
{
  g_autoptr(ReinsStore) store = reins_store_open (f->db, NULL);
  ReinsRun *run;

  g_assert_nonnull (store);
  run = reins_store_get_run (store, reins_run_get_id (reins_executor_get_run (f->executor)), NULL);
  g_assert_nonnull (run);
  if (steps != NULL)
    *steps = reins_store_get_steps (store, reins_run_get_id (run), 1, 0, NULL);
  return run;
}

static char *
stored_request (Fixture *f,
                guint    step)
{
  g_autoptr(ReinsStore) store = reins_store_open (f->db, NULL);
  g_autofree char *request = NULL;
  g_autofree char *response = NULL;

  g_assert_true (reins_store_get_exchange (store,
                                           reins_run_get_id (reins_executor_get_run (f->executor)),
                                           step, &request, &response, NULL));
  return g_steal_pointer (&request);
}

/* A sim run at accuracy 1.0 along chain-@seed-@length, to its end. */
static void
run_sim_chain (Fixture *f,
               guint    seed,
               guint    length)
{
  g_autofree char *task = g_strdup_printf ("Follow the knowledge-base chain that starts at "
                                           "chain-%u-%u/0 with kb_lookup and report the value "
                                           "at its end.", seed, length);
  g_autoptr(ReinsRun) run = new_run (f, task, "tools");
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("sim");

  config->sim_accuracy = 1.0;
  config->seed = seed;
  f->executor = reins_executor_new (run, config, f->db);
  connect_all (f);
  reins_executor_start (f->executor);
  wait_finished (f);
}

/* A sim run at accuracy 1.0 follows the chain and completes with the chain's value. */
static void
test_sim_completes (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *value = reins_kb_value (7, 4);
  g_autoptr(ReinsRun) stored = NULL;
  g_autoptr(GPtrArray) steps = NULL;

  run_sim_chain (f, 7, 4);

  g_assert_cmpstr (f->log->str, ==, "s1 f1 s2 f2 s3 f3 s4 f4 s5 f5 F");
  g_assert_true (f->write_ahead_ok);
  g_assert_cmpuint (f->tokens, >, 0);

  stored = stored_run (f, &steps);
  g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_nonnull (strstr (reins_run_get_final_answer (stored), value));
  g_assert_cmpuint (steps->len, ==, 5);
  g_assert_cmpuint (reins_run_get_step_count (stored), ==, 5);
  g_assert_cmpfloat (reins_run_get_cost_usd (stored), >, 0.0);
  g_assert_cmpfloat_with_epsilon (reins_run_get_cost_usd (stored),
                                  reins_step_get_cost_total_usd (g_ptr_array_index (steps, 4)), 1e-9);
  g_assert_cmpint (reins_run_get_status (reins_executor_get_run (f->executor)), ==,
                   REINS_RUN_STATUS_COMPLETED);
}

static const char low_confidence_script[] =
  "{\"responses\": ["
  " {\"text\": \"Look up the start.\", \"tool_calls\": [{\"id\": \"c1\", \"name\": \"kb_lookup\", \"arguments\": {\"key\": \"chain-1-2/0\"}}],"
  "  \"logprobs\": [{\"token\": \"Look\", \"logprob\": -0.01}], \"usage\": {\"input_tokens\": 100, \"output_tokens\": 10}},"
  " {\"text\": \"Maybe write it down.\", \"tool_calls\": [{\"id\": \"c2\", \"name\": \"kb_lookup\", \"arguments\": {\"key\": \"chain-1-2/0\"}}],"
  "  \"logprobs\": [{\"token\": \"Maybe\", \"logprob\": -1.5}], \"usage\": {\"input_tokens\": 120, \"output_tokens\": 12}},"
  " {\"text\": \"Done.\", \"tool_calls\": [{\"id\": \"c3\", \"name\": \"finish\", \"arguments\": {\"answer\": \"done\"}}],"
  "  \"logprobs\": [{\"token\": \"Done\", \"logprob\": -0.01}], \"usage\": {\"input_tokens\": 140, \"output_tokens\": 8}}"
  "]}";

static void
run_low_confidence (Fixture *f,
                    Answer   answer)
{
  g_autoptr(ReinsRun) run = new_run (f, "Test approvals", "tools");
  g_autoptr(ReinsProviderConfig) config = scripted (f, low_confidence_script);

  f->answer = answer;
  f->executor = reins_executor_new (run, config, f->db);
  connect_all (f);
  reins_executor_start (f->executor);
  wait_finished (f);
}

static void
test_approve (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(ReinsRun) stored = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  ReinsStep *second;
  ReinsApprovalRecord *record;

  run_low_confidence (f, ANSWER_APPROVE);
  g_assert_cmpstr (f->log->str, ==, "s1 f1 s2 A2 r2 f2 s3 f3 F");

  stored = stored_run (f, &steps);
  g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_COMPLETED);
  second = g_ptr_array_index (steps, 1);
  g_assert_cmpuint (reins_step_get_approvals (second)->len, ==, 1);
  record = g_ptr_array_index (reins_step_get_approvals (second), 0);
  g_assert_cmpint (reins_approval_record_get_decision (record), ==, REINS_DECISION_APPROVE);
  g_assert_cmpstr (reins_approval_record_get_guard (record), ==, "confidence");
  /* The approved action ran. */
  g_assert_nonnull (strstr (reins_step_get_observation (second), "next"));
  g_assert_cmpint (reins_step_get_worst_verdict (second), ==, REINS_VERDICT_ASK);
}

/* The properties the window binds to follow the run, notified on the main context. */
static void
test_properties (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(ReinsApproval) pending = NULL;
  ReinsRunStatus status;
  guint step;
  double cost;
  gboolean running, paused;
  GSignalQuery query;

  g_signal_query (g_signal_lookup ("status-changed", REINS_TYPE_EXECUTOR), &query);
  g_assert_cmpuint (query.n_params, ==, 1);
  g_assert_true (query.param_types[0] == REINS_TYPE_RUN_STATUS);

  run_low_confidence (f, ANSWER_APPROVE);

  g_object_get (f->executor, "status", &status, "step", &step, "cost", &cost,
                "running", &running, "paused", &paused, "pending-approval", &pending, NULL);
  g_assert_cmpint (status, ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_cmpint (reins_executor_get_status (f->executor), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_cmpuint (step, ==, 3);
  g_assert_cmpuint (reins_executor_get_step (f->executor), ==, 3);
  g_assert_cmpfloat (cost, >, 0.0);
  g_assert_cmpfloat (cost, ==, reins_run_get_cost_usd (reins_executor_get_run (f->executor)));
  g_assert_false (running);
  g_assert_false (paused);
  /* Asked at step 2 and answered: no question is left. */
  g_assert_null (pending);
  g_assert_cmpuint (f->approvals->len, ==, 1);

  g_assert_cmpuint (n_notified (f, "step"), ==, 3);
  g_assert_cmpuint (n_notified (f, "pending-approval"), ==, 2);
  g_assert_cmpuint (n_notified (f, "running"), ==, 2);
  g_assert_cmpuint (n_notified (f, "run"), ==, 1);
  g_assert_cmpuint (n_notified (f, "cost"), >=, 1);
  /* running, awaiting approval, running, completed */
  g_assert_cmpuint (n_notified (f, "status"), >=, 4);
  /* Nobody paused it. */
  g_assert_cmpuint (n_notified (f, "paused"), ==, 0);
}

static void
test_edit (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(ReinsRun) stored = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  ReinsStep *second;

  run_low_confidence (f, ANSWER_EDIT);
  stored = stored_run (f, &steps);
  second = g_ptr_array_index (steps, 1);
  g_assert_cmpstr (reins_action_get_name (reins_step_get_action (second)), ==, "calculator");
  g_assert_cmpstr (reins_step_get_observation (second), ==, "42");
  g_assert_cmpint (reins_approval_record_get_decision (g_ptr_array_index (reins_step_get_approvals (second), 0)),
                   ==, REINS_DECISION_EDIT);
}

static void
test_reject (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(ReinsRun) stored = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autofree char *next_request = NULL;
  ReinsStep *second;

  run_low_confidence (f, ANSWER_REJECT);
  stored = stored_run (f, &steps);
  second = g_ptr_array_index (steps, 1);
  /* The action did not run; the person's words are the observation … */
  g_assert_nonnull (strstr (reins_step_get_observation (second), "Use the calculator instead."));
  g_assert_null (strstr (reins_step_get_observation (second), "next"));
  /* … and the model read them in its next request. */
  next_request = stored_request (f, 3);
  g_assert_nonnull (strstr (next_request, "Use the calculator instead."));
  g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_COMPLETED);
}

static void
test_stop (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(ReinsRun) stored = NULL;
  g_autoptr(GPtrArray) steps = NULL;

  run_low_confidence (f, ANSWER_STOP);
  g_assert_cmpstr (f->log->str, ==, "s1 f1 s2 A2 r2 f2 F");
  stored = stored_run (f, &steps);
  g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_CANCELLED);
  g_assert_cmpuint (steps->len, ==, 2);
  g_assert_null (reins_run_get_final_answer (stored));
  g_assert_nonnull (reins_run_get_reason (stored));
}

/* "End Now": the model has one step to give what it has. It finishes: the run completes
 * with that answer. */
static void
test_end_now_finishes (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(ReinsRun) stored = NULL;
  g_autoptr(GPtrArray) steps = NULL;

  run_low_confidence (f, ANSWER_END_NOW);
  stored = stored_run (f, &steps);
  g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_cmpuint (steps->len, ==, 3);
  g_assert_nonnull (strstr (reins_step_get_observation (g_ptr_array_index (steps, 1)),
                            "End the task now"));
}

/* It does not finish: the run ends there, said to be ended by the person. */
static void
test_end_now_ends (Fixture       *f,
                   gconstpointer  data)
{
  static const char script[] =
    "{\"responses\": ["
    " {\"text\": \"Maybe.\", \"tool_calls\": [{\"id\": \"c1\", \"name\": \"kb_lookup\", \"arguments\": {\"key\": \"chain-1-2/0\"}}],"
    "  \"logprobs\": [{\"token\": \"Maybe\", \"logprob\": -1.5}]},"
    " {\"text\": \"Once more.\", \"tool_calls\": [{\"id\": \"c2\", \"name\": \"kb_lookup\", \"arguments\": {\"key\": \"chain-1-2/1\"}}],"
    "  \"logprobs\": [{\"token\": \"Once\", \"logprob\": -0.01}]},"
    " {\"text\": \"And again.\", \"tool_calls\": [{\"id\": \"c3\", \"name\": \"kb_lookup\", \"arguments\": {\"key\": \"chain-1-2/0\"}}],"
    "  \"logprobs\": [{\"token\": \"And\", \"logprob\": -0.01}]}"
    "]}";
  g_autoptr(ReinsRun) run = new_run (f, "Test approvals", "tools");
  g_autoptr(ReinsProviderConfig) config = scripted (f, script);
  g_autoptr(ReinsRun) stored = NULL;
  g_autoptr(GPtrArray) steps = NULL;

  f->answer = ANSWER_END_NOW;
  f->executor = reins_executor_new (run, config, f->db);
  connect_all (f);
  reins_executor_start (f->executor);
  wait_finished (f);

  stored = stored_run (f, &steps);
  g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_TERMINATED);
  g_assert_cmpuint (steps->len, ==, 2);
  g_assert_nonnull (strstr (reins_run_get_reason (stored), "Ended by you at step 1"));
}

static void
test_cancel_while_waiting (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(ReinsRun) stored = NULL;
  g_autoptr(GPtrArray) steps = NULL;

  run_low_confidence (f, ANSWER_CANCEL);
  stored = stored_run (f, &steps);
  g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_CANCELLED);
  /* The pending step is stored with its open question. */
  g_assert_cmpuint (steps->len, ==, 2);
  g_assert_false (reins_approval_is_resolved (g_ptr_array_index (f->approvals, 0)));
}

static void
test_pause_step_resume (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(ReinsRun) run = new_run (f, "Follow the knowledge-base chain that starts at chain-2-5/0 "
                                        "with kb_lookup and report the value at its end.", "tools");
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("sim");
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  config->sim_accuracy = 1.0;
  f->executor = reins_executor_new (run, config, f->db);
  connect_all (f);
  /* Paused before it starts: it stops at the first checkpoint, before step 1. */
  reins_executor_pause (f->executor);
  reins_executor_start (f->executor);

  while (reins_run_get_status (reins_executor_get_run (f->executor)) != REINS_RUN_STATUS_PAUSED)
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  g_assert_cmpuint (f->steps->len, ==, 0);

  /* Each Step runs exactly one step and pauses again. */
  for (guint n = 1; n <= 2; n++)
    {
      reins_executor_step (f->executor);
      while (f->steps->len < n ||
             reins_run_get_status (reins_executor_get_run (f->executor)) != REINS_RUN_STATUS_PAUSED)
        {
          g_main_context_iteration (NULL, TRUE);
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        }
      /* Let anything in flight arrive: still exactly n. */
      while (g_main_context_iteration (NULL, FALSE));
      g_assert_cmpuint (f->steps->len, ==, n);
      g_assert_true (reins_executor_is_paused (f->executor));
    }
  /* Paused, unpaused by Step and paused again by the worker after it, twice. */
  g_assert_cmpuint (n_notified (f, "paused"), ==, 5);

  reins_executor_resume (f->executor);
  wait_finished (f);
  g_assert_cmpint (reins_run_get_status (reins_executor_get_run (f->executor)), ==,
                   REINS_RUN_STATUS_COMPLETED);
  g_assert_cmpuint (f->steps->len, ==, 6);
}

static void
test_react_mode_and_malformed (Fixture       *f,
                               gconstpointer  data)
{
  const char *script =
    "{\"responses\": ["
    " {\"text\": \"I am not sure what to do.\"},"
    " {\"text\": \"Thought: use the tool\\nAction: ```json\\n{\\\"name\\\": \\\"calculator\\\", \\\"arguments\\\": {\\\"expression\\\": \\\"2+3\\\"}}\\n```\"},"
    " {\"text\": \"Thought: unknown tool\\nAction: {\\\"name\\\": \\\"teleport\\\", \\\"arguments\\\": {}}\"},"
    " {\"text\": \"Thought: bad args\\nAction: {\\\"name\\\": \\\"calculator\\\", \\\"arguments\\\": {\\\"expr\\\": 1}}\"},"
    " {\"text\": \"Thought: done\\nFinal Answer: 5\"}"
    "]}";
  g_autoptr(ReinsRun) run = new_run (f, "Add two and three", "react");
  g_autoptr(ReinsProviderConfig) config = scripted (f, script);
  g_autoptr(ReinsRun) stored = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autofree char *second_request = NULL;
  JsonArray *off = json_array_new ();

  /* This test is about reading replies; the harness's views of the last failure (a finish
   * that does not mention it) are tested with the guards. */
  json_array_add_string_element (off, "tool_result");
  json_array_add_string_element (off, "drift");
  json_object_set_array_member (reins_run_get_settings (run), "disabled_guards", off);

  f->executor = reins_executor_new (run, config, f->db);
  connect_all (f);
  reins_executor_start (f->executor);
  wait_finished (f);

  stored = stored_run (f, &steps);
  g_assert_cmpuint (steps->len, ==, 5);
  /* Unparseable: an error observation asking for the format, no action guessed. */
  g_assert_null (reins_step_get_action (g_ptr_array_index (steps, 0)));
  g_assert_true (reins_step_get_tool_error (g_ptr_array_index (steps, 0)));
  g_assert_nonnull (strstr (reins_step_get_observation (g_ptr_array_index (steps, 0)), "Action:"));
  g_assert_cmpstr (reins_step_get_observation (g_ptr_array_index (steps, 1)), ==, "5");
  g_assert_true (reins_step_get_tool_error (g_ptr_array_index (steps, 2)));
  g_assert_nonnull (strstr (reins_step_get_observation (g_ptr_array_index (steps, 2)), "teleport"));
  g_assert_true (reins_step_get_tool_error (g_ptr_array_index (steps, 3)));
  g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_cmpstr (reins_run_get_final_answer (stored), ==, "5");

  /* In ReAct mode the tools are described in the prompt, not sent as schemas. */
  second_request = stored_request (f, 2);
  g_assert_nonnull (strstr (second_request, "Observation:"));
}

static void
test_native_malformed (Fixture       *f,
                       gconstpointer  data)
{
  const char *script =
    "{\"responses\": ["
    " {\"text\": \"I would add them, I think.\"},"
    " {\"tool_calls\": [{\"name\": \"calculator\", \"arguments\": {\"expr\": \"2+3\"}}]},"
    " {\"tool_calls\": [{\"name\": \"abacus\", \"arguments\": {}}]},"
    " {\"tool_calls\": [{\"name\": \"calculator\", \"arguments\": {\"expression\": \"2+3\"}}]},"
    " {\"tool_calls\": [{\"name\": \"finish\", \"arguments\": {\"answer\": \"5\"}}]}"
    "]}";
  g_autoptr(ReinsRun) run = new_run (f, "Add two and three", "tools");
  g_autoptr(ReinsProviderConfig) config = scripted (f, script);
  g_autoptr(ReinsRun) stored = NULL;
  g_autoptr(GPtrArray) steps = NULL;

  f->executor = reins_executor_new (run, config, f->db);
  connect_all (f);
  reins_executor_start (f->executor);
  wait_finished (f);

  stored = stored_run (f, &steps);
  g_assert_cmpuint (steps->len, ==, 5);
  /* Text without a tool call: asked again, nothing guessed. */
  g_assert_null (reins_step_get_action (g_ptr_array_index (steps, 0)));
  g_assert_true (reins_step_get_tool_error (g_ptr_array_index (steps, 0)));
  g_assert_nonnull (strstr (reins_step_get_observation (g_ptr_array_index (steps, 0)), "tool"));
  /* Arguments that break the schema, and an unknown tool: error observations. */
  g_assert_true (reins_step_get_tool_error (g_ptr_array_index (steps, 1)));
  g_assert_nonnull (strstr (reins_step_get_observation (g_ptr_array_index (steps, 1)), "expression"));
  g_assert_true (reins_step_get_tool_error (g_ptr_array_index (steps, 2)));
  g_assert_nonnull (strstr (reins_step_get_observation (g_ptr_array_index (steps, 2)), "abacus"));
  g_assert_cmpstr (reins_step_get_observation (g_ptr_array_index (steps, 3)), ==, "5");
  g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_COMPLETED);
}

static void
test_goal_reinjection (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(ReinsRun) run = new_run (f, "Follow the knowledge-base chain that starts at chain-4-6/0 "
                                        "with kb_lookup and report the value at its end.", "tools");
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("sim");
  g_autofree char *req3 = NULL;
  g_autofree char *req4 = NULL;

  config->sim_accuracy = 1.0;
  f->executor = reins_executor_new (run, config, f->db);
  connect_all (f);
  reins_executor_start (f->executor);
  wait_finished (f);

  /* Every 3 steps by default: the 4th request restates the task, the 3rd does not. */
  req3 = stored_request (f, 3);
  req4 = stored_request (f, 4);
  g_assert_null (strstr (req3, "Reminder of your task"));
  g_assert_nonnull (strstr (req4, "Reminder of your task"));
}

static void
test_compression_bounded (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(ReinsRun) run = new_run (f, "Follow the knowledge-base chain that starts at chain-5-60/0 "
                                        "with kb_lookup and report the value at its end.", "tools");
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("sim");
  g_autoptr(ReinsStore) store = NULL;
  g_autofree char *summary = NULL;
  gsize len10, len30, len55;
  guint upto = 0;

  json_object_set_int_member (reins_run_get_settings (run), "max_steps", 100);
  config->sim_accuracy = 1.0;
  f->executor = reins_executor_new (run, config, f->db);
  connect_all (f);
  reins_executor_start (f->executor);
  wait_finished (f);

  g_assert_cmpuint (f->steps->len, ==, 61);
  {
    g_autofree char *r10 = stored_request (f, 10);
    g_autofree char *r30 = stored_request (f, 30);
    g_autofree char *r55 = stored_request (f, 55);

    len10 = strlen (r10);
    len30 = strlen (r30);
    len55 = strlen (r55);
  }
  g_test_message ("request size at step 10: %" G_GSIZE_FORMAT ", 30: %" G_GSIZE_FORMAT
                  ", 55: %" G_GSIZE_FORMAT, len10, len30, len55);
  /* Bounded: once older steps fold into the summary, the prompt stops growing with the run. */
  g_assert_cmpuint (len55, <, len30 + len30 / 4);

  store = reins_store_open (f->db, NULL);
  summary = reins_store_get_compression (store, reins_run_get_id (reins_executor_get_run (f->executor)),
                                         reins_prompt_summary_upto (55, 1) + 1, &upto, NULL);
  g_assert_nonnull (summary);
  g_assert_cmpuint (upto, ==, reins_prompt_summary_upto (55, 1));
  g_assert_nonnull (strstr (summary, "kb_lookup"));
}

/* A model that can summarise writes the summary of older steps itself, five steps at a time;
 * the summary is stored, and the next prompt carries it. */
static void
test_model_summary (Fixture       *f,
                    gconstpointer  data)
{
  GString *script = g_string_new ("{\"responses\": [");
  g_autoptr(ReinsRun) run = new_run (f, "Add one and one, many times", "tools");
  g_autoptr(ReinsProviderConfig) config = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *request11 = NULL;
  g_autofree char *request10 = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) stored = NULL;
  guint upto = 0;

  /* Different sums, so that no loop guard has anything to say. */
  for (guint i = 0; i < 10; i++)
    g_string_append_printf (script, "{\"tool_calls\": [{\"name\": \"calculator\", \"arguments\": "
                            "{\"expression\": \"1+%u\"}}], \"usage\": {\"input_tokens\": 100, "
                            "\"output_tokens\": 10}},", i);
  /* Before step 11 the first five steps are folded: this is the summary call's answer. */
  g_string_append (script, "{\"text\": \"SUMMARY: five additions, 1 to 5.\", "
                           "\"usage\": {\"input_tokens\": 300, \"output_tokens\": 20}},");
  g_string_append (script, "{\"tool_calls\": [{\"name\": \"finish\", \"arguments\": "
                           "{\"answer\": \"1, 2, 3, 4, 5, 6, 7, 8, 9, 10\"}}], \"usage\": {\"input_tokens\": 100, "
                           "\"output_tokens\": 10}}]}");
  config = scripted (f, script->str);
  g_string_free (script, TRUE);
  json_object_set_string_member (reins_run_get_settings (run), "summarizer", "model");

  f->executor = reins_executor_new (run, config, f->db);
  connect_all (f);
  reins_executor_start (f->executor);
  wait_finished (f);

  stored = stored_run (f, &steps);
  g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_cmpuint (steps->len, ==, 11);

  store = reins_store_open (f->db, NULL);
  summary = reins_store_get_compression (store, reins_run_get_id (run), 6, &upto, NULL);
  g_assert_cmpstr (summary, ==, "SUMMARY: five additions, 1 to 5.");
  g_assert_cmpuint (upto, ==, 5);

  request10 = stored_request (f, 10);
  request11 = stored_request (f, 11);
  g_assert_null (strstr (request10, "SUMMARY: five additions"));
  g_assert_nonnull (strstr (request11, "SUMMARY: five additions"));
  /* The summary call's tokens are the step's. */
  g_assert_cmpuint (reins_step_get_input_tokens (g_ptr_array_index (steps, 10)), ==, 400);
}

/* Five lookups in a row that find nothing end the run (the nothing_found guard), before
 * the sixth step; with that guard disabled the same script runs on to its answer. Every
 * other guard is off, so none of them can end the run first. */
static void
run_nothing_found (Fixture        *f,
                   gboolean        guard_on,
                   ReinsRunStatus  expected_status,
                   guint           expected_steps)
{
  GString *script = g_string_new ("{\"responses\": [");
  g_autoptr(ReinsRun) run = new_run (f, "Find the value of the key", "tools");
  g_autoptr(ReinsProviderConfig) config = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) stored = NULL;
  JsonArray *disabled = json_array_new ();

  for (guint i = 0; reins_harness_guard_names[i] != NULL; i++)
    if (!guard_on || !g_str_equal (reins_harness_guard_names[i], "nothing_found"))
      json_array_add_string_element (disabled, reins_harness_guard_names[i]);
  json_object_set_array_member (reins_run_get_settings (run), "disabled_guards", disabled);

  for (guint i = 0; i < 5; i++)
    g_string_append_printf (script, "{\"tool_calls\": [{\"name\": \"kb_lookup\", \"arguments\": "
                            "{\"key\": \"missing-%u\"}}]},", i);
  g_string_append (script, "{\"tool_calls\": [{\"name\": \"finish\", \"arguments\": "
                           "{\"answer\": \"a guess\"}}]}]}");
  config = scripted (f, script->str);
  g_string_free (script, TRUE);

  f->executor = reins_executor_new (run, config, f->db);
  connect_all (f);
  reins_executor_start (f->executor);
  wait_finished (f);

  stored = stored_run (f, &steps);
  g_assert_cmpint (reins_run_get_status (stored), ==, expected_status);
  g_assert_cmpuint (steps->len, ==, expected_steps);
  if (guard_on)
    g_assert_cmpstr (reins_run_get_reason (stored), ==,
                     "The last 5 steps found nothing; the run ends here rather than guess an "
                     "answer.");
}

static void
test_nothing_found_ends (Fixture       *f,
                         gconstpointer  data)
{
  run_nothing_found (f, TRUE, REINS_RUN_STATUS_TERMINATED, 5);
}

static void
test_nothing_found_disabled (Fixture       *f,
                             gconstpointer  data)
{
  run_nothing_found (f, FALSE, REINS_RUN_STATUS_COMPLETED, 6);
}

/* Records, in the store itself, the run's row as each write of a step left it: what a
 * process killed right after that step's commit would leave (a trigger runs inside the
 * commit's transaction). */
static void
record_commits (Fixture *f)
{
  g_autoptr(ReinsStore) store = reins_store_open (f->db, NULL);
  sqlite3 *db = NULL;

  g_assert_nonnull (store);
  g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
    "CREATE TABLE test_commits (idx INTEGER, status TEXT, final_answer TEXT);"
    "CREATE TRIGGER test_commit_insert AFTER INSERT ON steps BEGIN "
    "  INSERT INTO test_commits SELECT NEW.idx, status, final_answer FROM runs "
    "    WHERE id = NEW.run_id; END;"
    "CREATE TRIGGER test_commit_update AFTER UPDATE ON steps BEGIN "
    "  INSERT INTO test_commits SELECT NEW.idx, status, final_answer FROM runs "
    "    WHERE id = NEW.run_id; END;",
    NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* "s1:running s2:running …", one per write of a step, with the run's final answer if any. */
static char *
recorded_commits (Fixture *f)
{
  GString *text = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT idx, status, final_answer FROM test_commits "
                                           "ORDER BY rowid", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *answer = (const char *) sqlite3_column_text (stmt, 2);

      g_string_append_printf (text, "%ss%d:%s%s%s", text->len > 0 ? " " : "",
                              sqlite3_column_int (stmt, 0), sqlite3_column_text (stmt, 1),
                              answer != NULL ? "=" : "", answer != NULL ? answer : "");
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (text, FALSE);
}

/* The step that ends a run is committed with the run's end, in one transaction. Written one
 * after the other, a process killed between the two left a live run whose last step was
 * its `finish`: marked interrupted, then resumed, it went on past its answer (bench-crash,
 * 1 time in 40: the tool_result guard took the `finish` for a tool that returned nothing,
 * and the model finished again two steps later). */
static void
test_end_committed_with_step (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *value = reins_kb_value (7, 3);
  g_autofree char *expected = g_strdup_printf ("s1:running s2:running s3:running "
                                               "s4:completed=%s", value);
  g_autofree char *commits = NULL;

  record_commits (f);
  run_sim_chain (f, 7, 3);

  /* Only the last step's commit ends the run. */
  commits = recorded_commits (f);
  g_assert_cmpstr (commits, ==, expected);
}

/* The same for a run a person stops at a question: the step asked about is written while
 * the question waits, then again with the run's end. */
static void
test_stop_committed_with_step (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *commits = NULL;

  record_commits (f);
  run_low_confidence (f, ANSWER_STOP);
  commits = recorded_commits (f);
  g_assert_cmpstr (commits, ==, "s1:running s2:awaiting_approval s2:cancelled");
}

static void
test_resume_after_crash (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(ReinsRun) run = new_run (f, "Follow the knowledge-base chain that starts at chain-9-4/0 "
                                        "with kb_lookup and report the value at its end.", "tools");
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("sim");
  g_autoptr(ReinsStore) store = reins_store_open (f->db, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsRun) stored = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autofree char *key = reins_kb_key (9, 4, 0);
  g_autofree char *value = reins_kb_value (9, 4);

  /* What a crashed process leaves: a run with two steps, marked interrupted on open. */
  g_assert_nonnull (store);
  reins_run_set_status (run, REINS_RUN_STATUS_INTERRUPTED);
  g_assert_true (reins_store_insert_run (store, run, &error));
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(ReinsStep) step = reins_step_new (reins_run_get_id (run), i + 1);
      g_autoptr(JsonObject) args = json_object_new ();
      g_autoptr(ReinsAction) action = NULL;
      g_autofree char *result = reins_kb_lookup (key);
      g_autoptr(JsonNode) node = reins_json_from_string (result, NULL);

      json_object_set_string_member (args, "key", key);
      action = reins_action_new_with_id ("kb_lookup", args, NULL);
      reins_step_set_action (step, action);
      reins_step_set_observation (step, result);
      g_assert_true (reins_store_commit_step (store, run, step, &error));
      g_free (key);
      key = g_strdup (json_object_get_string_member (json_node_get_object (node), "next"));
    }
  reins_run_set_step_count (run, 2);
  g_assert_true (reins_store_update_run (store, run, &error));
  g_clear_object (&store);

  config->sim_accuracy = 1.0;
  f->executor = reins_executor_new_resume (reins_run_get_id (run), NULL, config, f->db, &error);
  g_assert_no_error (error);
  connect_all (f);
  reins_executor_start (f->executor);
  wait_finished (f);

  /* It went on from step 3, not from the start. */
  g_assert_true (g_str_has_prefix (f->log->str, "s3 f3"));
  stored = stored_run (f, &steps);
  g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_nonnull (strstr (reins_run_get_final_answer (stored), value));
  g_assert_cmpuint (steps->len, ==, 5);
}

/* What a process that died with a question open leaves in the store: the run is stopped
 * (cancelled) while the question waits, then marked interrupted as the next open does. */
static char *
leave_open_question (Fixture    *f,
                     const char *script,
                     const char *tools)
{
  g_autoptr(ReinsRun) run = new_run (f, "Do the scripted thing", "tools");
  g_autoptr(ReinsProviderConfig) config = scripted (f, script);
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(ReinsRun) stored = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = g_strsplit (tools, ",", -1);
  JsonArray *list = json_array_new ();
  ReinsStep *last;
  GPtrArray *approvals;
  char *run_id;

  for (guint i = 0; names[i] != NULL; i++)
    json_array_add_string_element (list, names[i]);
  json_object_set_array_member (reins_run_get_settings (run), "tools", list);

  f->answer = ANSWER_CANCEL;
  f->executor = reins_executor_new (run, config, f->db);
  connect_all (f);
  reins_executor_start (f->executor);
  wait_finished (f);

  stored = stored_run (f, &steps);
  g_assert_cmpuint (steps->len, >, 0);
  last = g_ptr_array_index (steps, steps->len - 1);
  approvals = reins_step_get_approvals (last);
  g_assert_cmpuint (approvals->len, >, 0);
  g_assert_cmpint (reins_approval_record_get_decision (g_ptr_array_index (approvals,
                                                                          approvals->len - 1)),
                   ==, REINS_DECISION_NONE);

  store = reins_store_open (f->db, NULL);
  reins_run_set_status (stored, REINS_RUN_STATUS_INTERRUPTED);
  g_assert_true (reins_store_update_run (store, stored, &error));
  g_assert_no_error (error);

  run_id = g_strdup (reins_run_get_id (stored));
  g_assert_finalize_object (g_steal_pointer (&f->executor));
  g_string_truncate (f->log, 0);
  g_ptr_array_set_size (f->approvals, 0);
  g_ptr_array_set_size (f->steps, 0);
  f->finished = FALSE;
  return run_id;
}

static void
resume_answering (Fixture    *f,
                  const char *run_id,
                  const char *script)
{
  g_autoptr(ReinsProviderConfig) config = scripted (f, script);
  g_autoptr(GError) error = NULL;

  f->answer = ANSWER_APPROVE;
  f->executor = reins_executor_new_resume (run_id, NULL, config, f->db, &error);
  g_assert_no_error (error);
  connect_all (f);
  reins_executor_start (f->executor);
  wait_finished (f);
}

/* Issue 17 §1: a resume once crashed on a step whose question was open; it asks again. */
static void
test_resume_open_question (Fixture       *f,
                           gconstpointer  data)
{
  const char *first =
    "{\"responses\": ["
    " {\"tool_calls\": [{\"name\": \"write_file\", \"arguments\": {\"path\": \"a.txt\", \"content\": \"one\"}}]}"
    "]}";
  const char *then =
    "{\"responses\": [{\"tool_calls\": [{\"name\": \"finish\", \"arguments\": {\"answer\": \"Wrote a.txt\"}}]}]}";
  g_autofree char *run_id = leave_open_question (f, first, "write_file");
  g_autofree char *path = g_build_filename (f->workspace, "a.txt", NULL);
  g_autoptr(ReinsRun) stored = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  ReinsApprovalRecord *record;
  GPtrArray *approvals;

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  resume_answering (f, run_id, then);

  /* The same question first, then the approved action runs, then the model is asked on. */
  g_assert_cmpstr (f->log->str, ==, "A1 r1 f1 s2 f2 F");
  g_assert_cmpuint (f->approvals->len, ==, 1);
  record = reins_approval_get_record (g_ptr_array_index (f->approvals, 0));
  g_assert_cmpstr (reins_approval_record_get_guard (record), ==, "policy");
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  stored = stored_run (f, &steps);
  g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_cmpuint (steps->len, ==, 2);
  approvals = reins_step_get_approvals (g_ptr_array_index (steps, 0));
  g_assert_cmpuint (approvals->len, ==, 1);
  g_assert_cmpint (reins_approval_record_get_decision (g_ptr_array_index (approvals, 0)), ==,
                   REINS_DECISION_APPROVE);
}

/* The agent's own question (`ask_human`) is put again too. */
static void
test_resume_open_ask_human (Fixture       *f,
                            gconstpointer  data)
{
  const char *first =
    "{\"responses\": ["
    " {\"tool_calls\": [{\"name\": \"ask_human\", \"arguments\": {\"question\": \"Which colour?\"}}]}"
    "]}";
  const char *then =
    "{\"responses\": [{\"tool_calls\": [{\"name\": \"finish\", \"arguments\": {\"answer\": \"blue\"}}]}]}";
  g_autofree char *run_id = leave_open_question (f, first, "ask_human");
  g_autoptr(ReinsRun) stored = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  ReinsApproval *approval;
  GPtrArray *approvals;

  resume_answering (f, run_id, then);

  g_assert_true (g_str_has_prefix (f->log->str, "A1 r1 f1 s2 f2 "));
  approval = g_ptr_array_index (f->approvals, 0);
  g_assert_true (reins_approval_is_question (approval));
  g_assert_cmpstr (reins_approval_record_get_reason (reins_approval_get_record (approval)), ==,
                   "Which colour?");

  /* One record of the question, answered: the stale open one is gone. */
  stored = stored_run (f, &steps);
  approvals = reins_step_get_approvals (g_ptr_array_index (steps, 0));
  g_assert_cmpuint (approvals->len, ==, 1);
  g_assert_cmpint (reins_approval_record_get_decision (g_ptr_array_index (approvals, 0)), !=,
                   REINS_DECISION_NONE);
}

/* A question the harness put after the observation (a loop that goes on after a
 * correction): the tool is not run again, the question is. */
static void
test_resume_open_after_observation (Fixture       *f,
                                    gconstpointer  data)
{
  const char *first =
    "{\"repeat_last\": true, \"responses\": ["
    " {\"tool_calls\": [{\"name\": \"calculator\", \"arguments\": {\"expression\": \"1+1\"}}]}"
    "]}";
  const char *then =
    "{\"responses\": [{\"tool_calls\": [{\"name\": \"finish\", \"arguments\": {\"answer\": \"2\"}}]}]}";
  g_autofree char *run_id = leave_open_question (f, first, "calculator");
  g_autoptr(ReinsRun) stored = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  ReinsStep *asked;
  GPtrArray *verdicts;
  guint n_loop = 0, index;

  {
    g_autoptr(ReinsStore) store = reins_store_open (f->db, NULL);

    steps = reins_store_get_steps (store, run_id, 1, 0, NULL);
  }
  asked = g_ptr_array_index (steps, steps->len - 1);
  index = reins_step_get_index (asked);
  g_assert_nonnull (reins_step_get_observation (asked));
  g_assert_cmpstr (reins_approval_record_get_guard (g_ptr_array_index (reins_step_get_approvals (asked), 0)),
                   ==, "loop");
  g_clear_pointer (&steps, g_ptr_array_unref);

  resume_answering (f, run_id, then);

  /* Asked again about the same step, which then is committed without running again. */
  g_assert_true (g_str_has_prefix (f->log->str, "A"));
  g_assert_cmpuint (reins_approval_record_get_step (reins_approval_get_record (g_ptr_array_index (f->approvals, 0))),
                    ==, index);
  g_assert_cmpstr (reins_approval_record_get_guard (reins_approval_get_record (g_ptr_array_index (f->approvals, 0))),
                   ==, "loop");
  stored = stored_run (f, &steps);
  g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_cmpuint (steps->len, ==, index + 1);
  asked = g_ptr_array_index (steps, index - 1);
  verdicts = reins_step_get_verdicts (asked);
  for (guint i = 0; i < verdicts->len; i++)
    if (g_strcmp0 (reins_verdict_get_guard (g_ptr_array_index (verdicts, i)), "loop") == 0)
      n_loop++;
  /* Judged again, not twice. */
  g_assert_cmpuint (n_loop, ==, 1);
  g_assert_cmpuint (reins_step_get_approvals (asked)->len, ==, 1);
}

/* The restoring both the CLI and the window use for a resume or fork (issue 17 §2). */
static void
test_restore_settings (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(ReinsRun) run = reins_run_new ("anything");
  g_autoptr(ReinsRun) old = reins_run_new ("from an older store");
  g_autoptr(JsonObject) overrides = json_object_new ();
  g_autoptr(ReinsProviderConfig) base = reins_provider_config_new ("sim");
  g_autoptr(ReinsProviderConfig) config = NULL;
  g_autoptr(ReinsProviderConfig) old_config = NULL;
  JsonObject *settings = reins_run_get_settings (run);
  JsonObject *record;

  reins_run_set_provider (run, "openai");
  reins_run_set_model (run, "local-a");
  json_object_set_string_member (settings, "provider", "openai");
  json_object_set_string_member (settings, "model", "local-a");
  json_object_set_string_member (settings, "base_url", "http://127.0.0.1:9/v1");
  json_object_set_int_member (settings, "max_steps", 20);
  base->api_key = g_strdup ("sk-local");

  /* Nothing given: nothing changes, nothing is recorded. */
  reins_run_restore_settings (run, NULL, "resume", 4);
  g_assert_false (json_object_has_member (settings, "overrides"));
  g_assert_cmpstr (reins_run_restore_provider_name (run, NULL), ==, "openai");

  json_object_set_string_member (overrides, "model", "local-b");
  json_object_set_int_member (overrides, "max_steps", 5);
  g_assert_cmpstr (reins_run_restore_provider_name (run, overrides), ==, "openai");
  reins_run_restore_settings (run, overrides, "fork", 3);
  settings = reins_run_get_settings (run);
  g_assert_cmpstr (reins_run_get_model (run), ==, "local-b");
  g_assert_cmpint (json_object_get_int_member (settings, "max_steps"), ==, 5);
  record = json_array_get_object_element (json_object_get_array_member (settings, "overrides"), 0);
  g_assert_cmpstr (json_object_get_string_member (record, "on"), ==, "fork");
  g_assert_cmpint (json_object_get_int_member (record, "step"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (record, "previous"),
                                               "max_steps"), ==, 20);

  /* The endpoint and provider are the run's, the key the caller's. */
  config = reins_run_restore_provider (run, base);
  g_assert_cmpstr (config->name, ==, "openai");
  g_assert_cmpstr (config->base_url, ==, "http://127.0.0.1:9/v1");
  g_assert_cmpstr (config->model, ==, "local-b");
  g_assert_cmpstr (config->api_key, ==, "sk-local");

  /* A run that never said its provider keeps the caller's. */
  reins_run_restore_settings (old, NULL, "resume", 1);
  old_config = reins_run_restore_provider (old, base);
  g_assert_cmpstr (old_config->name, ==, "sim");
  g_assert_null (old_config->base_url);
}

static void
test_resume_refuses_completed (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(ReinsRun) run = reins_run_new ("done");
  g_autoptr(ReinsStore) store = reins_store_open (f->db, NULL);
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("sim");
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsExecutor) executor = NULL;

  reins_run_set_status (run, REINS_RUN_STATUS_COMPLETED);
  g_assert_true (reins_store_insert_run (store, run, NULL));
  executor = reins_executor_new_resume (reins_run_get_id (run), NULL, config, f->db, &error);
  g_assert_null (executor);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);

  g_clear_error (&error);
  executor = reins_executor_new_resume ("no-such-run", NULL, config, f->db, &error);
  g_assert_null (executor);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
}

static void
test_provider_error_fails (Fixture       *f,
                           gconstpointer  data)
{
  const char *script = "{\"responses\": [{\"error\": {\"code\": \"auth\", \"message\": \"bad key\"}}]}";
  g_autoptr(ReinsRun) run = new_run (f, "anything", "tools");
  g_autoptr(ReinsProviderConfig) config = scripted (f, script);
  g_autoptr(ReinsRun) stored = NULL;

  f->executor = reins_executor_new (run, config, f->db);
  connect_all (f);
  reins_executor_start (f->executor);
  wait_finished (f);

  stored = stored_run (f, NULL);
  g_assert_cmpint (reins_run_get_status (stored), ==, REINS_RUN_STATUS_FAILED);
  g_assert_nonnull (reins_executor_get_error (f->executor));
  g_assert_nonnull (strstr (reins_run_get_reason (stored), "bad key"));
}

static void
test_policy_always_allow (Fixture       *f,
                          gconstpointer  data)
{
  const char *script =
    "{\"responses\": ["
    " {\"tool_calls\": [{\"name\": \"write_file\", \"arguments\": {\"path\": \"a.txt\", \"content\": \"one\"}}]},"
    " {\"tool_calls\": [{\"name\": \"write_file\", \"arguments\": {\"path\": \"b.txt\", \"content\": \"two\"}}]},"
    " {\"tool_calls\": [{\"name\": \"finish\", \"arguments\": {\"answer\": \"Wrote a.txt\"}}]}"
    "]}";
  g_autoptr(ReinsRun) run = new_run (f, "Write two files", "tools");
  g_autoptr(ReinsProviderConfig) config = scripted (f, script);
  g_autoptr(ReinsRun) stored = NULL;
  g_autofree char *b = g_build_filename (f->workspace, "b.txt", NULL);

  f->answer = ANSWER_NONE;
  f->executor = reins_executor_new (run, config, f->db);
  connect_all (f);
  reins_executor_start (f->executor);

  while (f->approvals->len == 0)
    g_main_context_iteration (NULL, TRUE);
  reins_approval_approve (g_ptr_array_index (f->approvals, 0), TRUE);
  wait_finished (f);

  /* The second write was not asked about, and it ran. */
  g_assert_cmpuint (f->approvals->len, ==, 1);
  g_assert_true (g_file_test (b, G_FILE_TEST_EXISTS));
  stored = stored_run (f, NULL);
  g_assert_true (reins_settings_list_contains (reins_run_get_settings (stored), "always_allow",
                                               "write_file"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/reins/loop/executor/sim-completes", test_sim_completes);
  ADD ("/reins/loop/executor/approval/approve", test_approve);
  ADD ("/reins/loop/executor/properties", test_properties);
  ADD ("/reins/loop/executor/approval/edit", test_edit);
  ADD ("/reins/loop/executor/approval/reject", test_reject);
  ADD ("/reins/loop/executor/approval/stop", test_stop);
  ADD ("/reins/loop/executor/approval/cancel-while-waiting", test_cancel_while_waiting);
  ADD ("/reins/loop/executor/approval/end-now-finishes", test_end_now_finishes);
  ADD ("/reins/loop/executor/approval/end-now-ends", test_end_now_ends);
  ADD ("/reins/loop/executor/approval/always-allow", test_policy_always_allow);
  ADD ("/reins/loop/executor/pause-step-resume", test_pause_step_resume);
  ADD ("/reins/loop/executor/react-and-malformed", test_react_mode_and_malformed);
  ADD ("/reins/loop/executor/native-malformed", test_native_malformed);
  ADD ("/reins/loop/executor/goal-reinjection", test_goal_reinjection);
  ADD ("/reins/loop/executor/compression-bounded", test_compression_bounded);
  ADD ("/reins/loop/executor/model-summary", test_model_summary);
  ADD ("/reins/loop/executor/nothing-found/ends", test_nothing_found_ends);
  ADD ("/reins/loop/executor/nothing-found/disabled", test_nothing_found_disabled);
  ADD ("/reins/loop/executor/end-committed-with-step", test_end_committed_with_step);
  ADD ("/reins/loop/executor/stop-committed-with-step", test_stop_committed_with_step);
  ADD ("/reins/loop/executor/resume-after-crash", test_resume_after_crash);
  ADD ("/reins/loop/executor/resume-refuses", test_resume_refuses_completed);
  ADD ("/reins/loop/executor/resume/open-question", test_resume_open_question);
  ADD ("/reins/loop/executor/resume/restore-settings", test_restore_settings);
  ADD ("/reins/loop/executor/resume/open-ask-human", test_resume_open_ask_human);
  ADD ("/reins/loop/executor/resume/open-after-observation", test_resume_open_after_observation);
  ADD ("/reins/loop/executor/provider-error", test_provider_error_fails);

#undef ADD

  return g_test_run ();
}
