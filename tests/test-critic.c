/* test-critic.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The critic (issue 11): its strict reply parser, the guard's verdicts and fallbacks with
 * a fake call, the executor with the scripted provider (cost in the budget, correct then
 * ask), a loopback HTTP critic that fails or is too slow, replay from stored replies, and
 * the sim provider as a critic.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "reins-executor.h"
#include "reins-guard-critic.h"
#include "reins-harness.h"
#include "reins-prompt.h"
#include "reins-replay.h"
#include "reins-store.h"
#include "reins-test-server.h"

/* ---------------------------------------------------------------------------------------
 * The parser
 */

static void
test_parse_valid (void)
{
  g_autoptr(ReinsCritique) c = reins_critique_new (REINS_VERDICT_PHASE_BEFORE_ACTION);
  g_autoptr(GError) error = NULL;

  g_assert_true (reins_guard_critic_parse ("{\"supported\": true, \"done\": true, "
                                           "\"evidence_step\": 3, \"reason\": \"Step 3.\"}",
                                           4, c, &error));
  g_assert_no_error (error);
  g_assert_cmpint (c->verdict, ==, REINS_CRITIC_VERDICT_SUPPORTED);
  g_assert_cmpuint (c->evidence_step, ==, 3);
  g_assert_cmpstr (c->reason, ==, "Step 3.");

  g_assert_true (reins_guard_critic_parse ("```json\n{\"supported\": false, \"done\": false, "
                                           "\"evidence_step\": null, \"reason\": \"No.\"}\n```",
                                           4, c, &error));
  g_assert_cmpint (c->verdict, ==, REINS_CRITIC_VERDICT_NOT_SUPPORTED);
  g_assert_cmpuint (c->evidence_step, ==, 0);

  g_assert_true (reins_guard_critic_parse ("{\"supported\": true, \"done\": false, "
                                           "\"evidence_step\": 1, \"reason\": \"A pointer.\", "
                                           "\"extra\": 1}", 4, c, &error));
  g_assert_cmpint (c->verdict, ==, REINS_CRITIC_VERDICT_NOT_DONE);
}

static void
test_parse_malformed (void)
{
  static const char * const bad[] = {
    "",
    "Looks fine to me.",
    "Sure! {\"supported\": true, \"done\": true, \"evidence_step\": 1, \"reason\": \"x\"}",
    "{\"supported\": true, \"done\": true, \"evidence_step\": 1, \"reason\": \"x\"",
    "[true, true, 1, \"x\"]",
    "{\"done\": true, \"evidence_step\": 1, \"reason\": \"x\"}",
    "{\"supported\": \"yes\", \"done\": true, \"evidence_step\": 1, \"reason\": \"x\"}",
    "{\"supported\": true, \"done\": 1, \"evidence_step\": 1, \"reason\": \"x\"}",
    "{\"supported\": true, \"done\": true, \"reason\": \"x\"}",
    "{\"supported\": true, \"done\": true, \"evidence_step\": \"3\", \"reason\": \"x\"}",
    "{\"supported\": true, \"done\": true, \"evidence_step\": 2.5, \"reason\": \"x\"}",
    "{\"supported\": true, \"done\": true, \"evidence_step\": 9, \"reason\": \"x\"}",
    "{\"supported\": true, \"done\": true, \"evidence_step\": 0, \"reason\": \"x\"}",
    "{\"supported\": true, \"done\": true, \"evidence_step\": null, \"reason\": \"x\"}",
    "{\"supported\": false, \"done\": false, \"evidence_step\": null, \"reason\": \"  \"}",
    "{\"supported\": false, \"done\": false, \"evidence_step\": null}",
    "```json\n{\"supported\": false, \"done\": false, \"evidence_step\": null, \"reason\": \"x\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(ReinsCritique) c = reins_critique_new (REINS_VERDICT_PHASE_BEFORE_ACTION);
      g_autoptr(GError) error = NULL;

      g_test_message ("reply %u: %s", i, bad[i]);
      g_assert_false (reins_guard_critic_parse (bad[i], 4, c, &error));
      g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
      g_assert_cmpint (c->verdict, ==, REINS_CRITIC_VERDICT_UNAVAILABLE);
    }
}

/* ---------------------------------------------------------------------------------------
 * The guard, with a fake call
 */

typedef struct
{
  const char *reply;    /* NULL: the call fails with @error */
  const char *error;
  guint       calls;
} FakeCritic;

static ReinsCritique *
fake_critic_cb (ReinsGuardContext *context,
                ReinsStep         *step,
                ReinsVerdictPhase  phase,
                gpointer           user_data)
{
  FakeCritic *fake = user_data;
  ReinsCritique *critique = reins_critique_new (phase);

  fake->calls++;
  critique->reply = g_strdup (fake->reply);
  critique->error = g_strdup (fake->error);
  critique->input_tokens = 100;
  critique->output_tokens = 10;
  return critique;
}

typedef struct
{
  ReinsRun          *run;
  GPtrArray         *history;
  JsonObject        *settings;
  ReinsHarness      *harness;
  ReinsGuardContext  context;
  FakeCritic         fake;
} GuardFixture;

static ReinsStep *
make_step (guint       index,
           const char *action,
           const char *observation)
{
  ReinsStep *step = reins_step_new ("r", index);

  if (action != NULL)
    {
      g_autoptr(ReinsAction) a = reins_action_new_from_string (action, NULL);

      g_assert_nonnull (a);
      reins_step_set_action (step, a);
    }
  reins_step_set_observation (step, observation);
  return step;
}

static void
guard_fixture_set_up (GuardFixture  *f,
                      gconstpointer  data)
{
  g_autofree char *task = reins_kb_task (3, 2);
  g_autofree char *key0 = reins_kb_key (3, 2, 0);
  g_autofree char *key1 = reins_kb_key (3, 2, 1);
  g_autofree char *a1 = g_strdup_printf ("{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"%s\"}}", key0);
  g_autofree char *a2 = g_strdup_printf ("{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"%s\"}}", key1);
  g_autofree char *o1 = reins_kb_lookup (key0);
  g_autofree char *o2 = reins_kb_lookup (key1);
  g_autoptr(ReinsGuard) critic = reins_guard_critic_new ();

  f->run = reins_run_new (task);
  f->settings = json_object_ref (reins_run_get_settings (f->run));
  json_object_set_string_member (f->settings, "critic", "finish");
  f->history = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (f->history, make_step (1, a1, o1));
  g_ptr_array_add (f->history, make_step (2, a2, o2));
  f->harness = reins_harness_new ();
  reins_harness_add_guard (f->harness, critic);
  f->context.run = f->run;
  f->context.history = f->history;
  f->context.settings = f->settings;
  f->context.action_known = TRUE;
  f->context.critic = fake_critic_cb;
  f->context.critic_data = &f->fake;
}

static void
guard_fixture_tear_down (GuardFixture  *f,
                         gconstpointer  data)
{
  g_object_unref (f->harness);
  g_ptr_array_unref (f->history);
  json_object_unref (f->settings);
  g_object_unref (f->run);
}

static ReinsVerdict *
judge_finish (GuardFixture *f,
              ReinsStep    *step)
{
  return reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_ACTION, &f->context, step);
}

static ReinsVerdict *
critic_verdict_of (ReinsStep *step)
{
  GPtrArray *verdicts = reins_step_get_verdicts (step);

  for (guint i = 0; i < verdicts->len; i++)
    if (g_str_equal (reins_verdict_get_guard (g_ptr_array_index (verdicts, i)), "critic"))
      return g_ptr_array_index (verdicts, i);
  return NULL;
}

static void
test_guard_supported (GuardFixture  *f,
                      gconstpointer  data)
{
  g_autofree char *value = reins_kb_value (3, 2);
  g_autofree char *finish = g_strdup_printf ("{\"name\":\"finish\",\"arguments\":{\"answer\":\"%s\"}}", value);
  g_autoptr(ReinsStep) step = make_step (3, finish, NULL);
  g_autoptr(ReinsVerdict) worst = NULL;
  const ReinsCritique *critique;
  ReinsVerdict *verdict;

  f->fake.reply = "{\"supported\": true, \"done\": true, \"evidence_step\": 2, "
                  "\"reason\": \"Step 2 returns the value.\"}";
  worst = judge_finish (f, step);
  g_assert_null (worst);
  g_assert_cmpuint (f->fake.calls, ==, 1);
  verdict = critic_verdict_of (step);
  g_assert_nonnull (verdict);
  g_assert_cmpint (reins_verdict_get_kind (verdict), ==, REINS_VERDICT_ALLOW);
  g_assert_nonnull (strstr (reins_verdict_get_reason (verdict), "step 2"));
  critique = reins_step_get_critique (step);
  g_assert_nonnull (critique);
  g_assert_cmpint (critique->verdict, ==, REINS_CRITIC_VERDICT_SUPPORTED);
  g_assert_cmpuint (critique->evidence_step, ==, 2);
  g_assert_cmpuint (critique->input_tokens, ==, 100);
}

static void
test_guard_not_supported (GuardFixture  *f,
                          gconstpointer  data)
{
  g_autoptr(ReinsStep) step = make_step (3, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"lantern\"}}", NULL);
  g_autoptr(ReinsStep) again = NULL;
  g_autoptr(ReinsVerdict) worst = NULL;

  f->fake.reply = "{\"supported\": false, \"done\": false, \"evidence_step\": null, "
                  "\"reason\": \"No result says lantern.\"}";
  worst = judge_finish (f, step);
  g_assert_nonnull (worst);
  g_assert_cmpstr (reins_verdict_get_guard (worst), ==, "critic");
  g_assert_cmpint (reins_verdict_get_kind (worst), ==, REINS_VERDICT_CORRECT);
  g_assert_nonnull (strstr (reins_verdict_get_reason (worst), "No result says lantern."));
  g_assert_cmpint (reins_step_get_critique (step)->verdict, ==, REINS_CRITIC_VERDICT_NOT_SUPPORTED);

  /* Sent back once already: the next unsupported answer goes to a person. */
  g_ptr_array_add (f->history, g_object_ref (step));
  g_clear_object (&worst);
  again = make_step (4, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"the lantern\"}}", NULL);
  worst = judge_finish (f, again);
  g_assert_nonnull (worst);
  g_assert_cmpint (reins_verdict_get_kind (worst), ==, REINS_VERDICT_ASK);
  g_assert_cmpstr (reins_verdict_get_guard (worst), ==, "critic");
}

static void
test_guard_not_done (GuardFixture  *f,
                     gconstpointer  data)
{
  g_autofree char *key1 = reins_kb_key (3, 2, 1);
  g_autofree char *finish = g_strdup_printf ("{\"name\":\"finish\",\"arguments\":{\"answer\":\"%s\"}}", key1);
  g_autoptr(ReinsStep) step = make_step (3, finish, NULL);
  g_autoptr(ReinsVerdict) worst = NULL;
  guint n = 0;

  f->fake.reply = "{\"supported\": true, \"done\": false, \"evidence_step\": 1, "
                  "\"reason\": \"That is the next key, not the value.\"}";
  worst = judge_finish (f, step);
  g_assert_nonnull (worst);
  g_assert_cmpint (reins_verdict_get_kind (worst), ==, REINS_VERDICT_CORRECT);
  g_assert_nonnull (strstr (reins_verdict_get_reason (worst), "not done"));
  g_assert_cmpuint (reins_verdict_get_steps (worst, &n)[0], ==, 1);
  g_assert_cmpuint (n, ==, 1);
}

static void
test_guard_fallback (GuardFixture  *f,
                     gconstpointer  data)
{
  static const struct { const char *reply; const char *error; const char *says; } cases[] = {
    { NULL, "Timed out after 30 s", "Timed out" },
    { "The answer seems right.", NULL, "not a JSON object" },
    { "{\"supported\": true, \"done\": true, \"evidence_step\": 7, \"reason\": \"x\"}", NULL,
      "step 7" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ReinsStep) step = make_step (3, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"lantern\"}}", NULL);
      g_autoptr(ReinsVerdict) worst = NULL;
      const ReinsCritique *critique;
      ReinsVerdict *verdict;

      f->fake.reply = cases[i].reply;
      f->fake.error = cases[i].error;
      worst = judge_finish (f, step);
      g_assert_null (worst);
      verdict = critic_verdict_of (step);
      g_assert_cmpint (reins_verdict_get_kind (verdict), ==, REINS_VERDICT_ALLOW);
      g_assert_nonnull (strstr (reins_verdict_get_reason (verdict), "unavailable"));
      g_assert_nonnull (strstr (reins_verdict_get_reason (verdict), cases[i].says));
      critique = reins_step_get_critique (step);
      g_assert_cmpint (critique->verdict, ==, REINS_CRITIC_VERDICT_UNAVAILABLE);
      g_assert_nonnull (strstr (critique->error, cases[i].says));
    }
}

static void
test_guard_not_called (GuardFixture  *f,
                       gconstpointer  data)
{
  g_autoptr(ReinsStep) lookup = make_step (3, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"x\"}}", NULL);
  g_autoptr(ReinsStep) honest = make_step (3, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"I could not find out.\"}}", NULL);
  g_autoptr(ReinsStep) objected = make_step (3, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"lantern\"}}", NULL);
  g_autoptr(ReinsStep) off = make_step (3, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"lantern\"}}", NULL);
  g_autoptr(ReinsVerdict) grounding = reins_verdict_new ("grounding", REINS_VERDICT_CORRECT, "x");
  g_autoptr(ReinsVerdict) worst = NULL;

  f->fake.reply = "{\"supported\": false, \"done\": false, \"evidence_step\": null, \"reason\": \"x\"}";
  worst = judge_finish (f, lookup);
  g_assert_null (worst);
  worst = judge_finish (f, honest);
  g_assert_null (worst);

  reins_verdict_set_phase (grounding, REINS_VERDICT_PHASE_BEFORE_ACTION);
  reins_step_add_verdict (objected, grounding);
  worst = judge_finish (f, objected);
  g_assert_null (worst);
  g_assert_null (critic_verdict_of (objected));

  json_object_set_string_member (f->settings, "critic", "off");
  worst = judge_finish (f, off);
  g_assert_null (worst);

  g_assert_cmpuint (f->fake.calls, ==, 0);
  g_assert_null (reins_step_get_critique (objected));
  g_assert_null (reins_step_get_critique (off));
}

static void
test_guard_every (GuardFixture  *f,
                  gconstpointer  data)
{
  g_autoptr(ReinsStep) sound = make_step (3, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"a\"}}", "{\"next\": \"b\"}");
  g_autoptr(ReinsStep) doubtful = make_step (3, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"z\"}}", "{\"error\": \"unknown key\"}");
  g_autoptr(ReinsVerdict) worst = NULL;

  /* "finish" does not judge steps after their observation. */
  f->fake.reply = "{\"supported\": false, \"done\": false, \"evidence_step\": 3, \"reason\": \"A guess.\"}";
  worst = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_AFTER_OBSERVATION, &f->context,
                                  doubtful);
  g_assert_null (worst);
  g_assert_cmpuint (f->fake.calls, ==, 0);

  json_object_set_string_member (f->settings, "critic", "every");
  worst = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_AFTER_OBSERVATION, &f->context,
                                  doubtful);
  g_assert_nonnull (worst);
  g_assert_cmpint (reins_verdict_get_kind (worst), ==, REINS_VERDICT_CORRECT);
  g_assert_nonnull (strstr (reins_verdict_get_reason (worst), "A guess."));
  g_assert_cmpint (reins_step_get_critique (doubtful)->phase, ==, REINS_VERDICT_PHASE_AFTER_OBSERVATION);
  g_clear_object (&worst);

  f->fake.reply = "{\"supported\": true, \"done\": false, \"evidence_step\": 3, \"reason\": \"On track.\"}";
  worst = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_AFTER_OBSERVATION, &f->context,
                                  sound);
  g_assert_null (worst);
  g_assert_cmpint (reins_verdict_get_kind (critic_verdict_of (sound)), ==, REINS_VERDICT_ALLOW);
  g_assert_cmpuint (f->fake.calls, ==, 2);
}

/* ---------------------------------------------------------------------------------------
 * The executor with the scripted provider
 */

typedef struct
{
  char          *dir;
  char          *db;
  char          *script;
  GMainLoop     *loop;
  guint          approvals;
  char          *approval_guard;
  ReinsTestServer *cancel_when_asked; /* (nullable): stop the run once it reached this server */
} RunFixture;

static void
run_fixture_set_up (RunFixture    *f,
                    gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("reins-critic-XXXXXX", NULL);
  f->db = g_build_filename (f->dir, "runs.db", NULL);
  f->script = g_build_filename (f->dir, "script.json", NULL);
  f->loop = g_main_loop_new (NULL, FALSE);
}

static void
run_fixture_tear_down (RunFixture    *f,
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
  g_main_loop_unref (f->loop);
  g_free (f->approval_guard);
  g_free (f->script);
  g_free (f->db);
  g_free (f->dir);
}

static void
approval_requested_cb (ReinsExecutor *executor,
                       ReinsApproval *approval,
                       RunFixture    *f)
{
  f->approvals++;
  g_free (f->approval_guard);
  f->approval_guard = g_strdup (reins_approval_record_get_guard (reins_approval_get_record (approval)));
  reins_approval_approve (approval, FALSE);
}

static void
finished_cb (ReinsExecutor *executor,
             ReinsRun      *run,
             RunFixture    *f)
{
  g_main_loop_quit (f->loop);
}

static char *
lookup_response (guint key_index)
{
  g_autofree char *key = reins_kb_key (3, 2, key_index);

  return g_strdup_printf ("{\"text\": \"Looking up.\", \"tool_calls\": [{\"name\": \"kb_lookup\", "
                          "\"arguments\": {\"key\": \"%s\"}}], \"usage\": {\"input_tokens\": 10, "
                          "\"output_tokens\": 10}}", key);
}

static char *
finish_response (const char *answer)
{
  return g_strdup_printf ("{\"text\": \"Done.\", \"tool_calls\": [{\"name\": \"finish\", "
                          "\"arguments\": {\"answer\": \"%s\"}}], \"usage\": {\"input_tokens\": 10, "
                          "\"output_tokens\": 10}}", answer);
}

/* Runs the chain task chain-3-2 under @critic with @responses and @critic_responses, and
 * returns the stored run. */
static ReinsRun *
run_scripted (RunFixture                *f,
              const char                *critic,
              const char                *responses,
              const char                *critic_responses,
              const ReinsProviderConfig *critic_config,
              JsonObject                *extra)
{
  g_autofree char *task = reins_kb_task (3, 2);
  g_autofree char *script = NULL;
  g_autoptr(ReinsRun) run = reins_run_new (task);
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("scripted");
  g_autoptr(ReinsExecutor) executor = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *settings = reins_run_get_settings (run);
  JsonArray *tools = json_array_new ();
  ReinsRun *stored;

  script = g_strdup_printf ("{\"responses\": [%s], \"critic_responses\": [%s]}", responses,
                            critic_responses != NULL ? critic_responses : "");
  g_file_set_contents (f->script, script, -1, &error);
  g_assert_no_error (error);

  json_array_add_string_element (tools, "kb_lookup");
  json_object_set_array_member (settings, "tools", tools);
  json_object_set_string_member (settings, "workspace", f->dir);
  json_object_set_int_member (settings, "max_steps", 10);
  json_object_set_double_member (settings, "price_in", 1.0);
  json_object_set_double_member (settings, "price_out", 2.0);
  json_object_set_boolean_member (settings, "stream", FALSE);
  json_object_set_string_member (settings, "critic", critic);
  /* These runs are the critic's: the answer check would send their made-up answers
   * ("lantern") back before the critic is asked. */
  {
    JsonArray *disabled = json_array_new ();

    json_array_add_string_element (disabled, "grounding");
    json_object_set_array_member (settings, "disabled_guards", disabled);
  }
  if (extra != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (extra);

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (settings, l->data,
                                json_node_copy (json_object_get_member (extra, l->data)));
    }

  config->script_path = g_strdup (f->script);
  executor = reins_executor_new (run, config, f->db);
  if (critic_config != NULL)
    reins_executor_set_critic_provider (executor, critic_config);
  g_signal_connect (executor, "approval-requested", G_CALLBACK (approval_requested_cb), f);
  g_signal_connect (executor, "finished", G_CALLBACK (finished_cb), f);
  reins_executor_start (executor);
  if (f->cancel_when_asked != NULL)
    {
      /* Waits for the critic's request to arrive, then stops the run. */
      while (reins_test_server_get_count (f->cancel_when_asked) == 0 &&
             reins_executor_is_running (executor))
        g_main_context_iteration (NULL, FALSE);
      reins_executor_cancel (executor);
    }
  g_main_loop_run (f->loop);

  store = reins_store_open (f->db, &error);
  g_assert_no_error (error);
  stored = reins_store_get_run (store, reins_run_get_id (reins_executor_get_run (executor)), &error);
  g_assert_no_error (error);
  return stored;
}

static GPtrArray *
stored_steps (RunFixture *f,
              ReinsRun   *run)
{
  g_autoptr(ReinsStore) store = reins_store_open (f->db, NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *steps = reins_store_get_steps (store, reins_run_get_id (run), 1, 0, &error);

  g_assert_no_error (error);
  return steps;
}

#define CRITIC_NO "{\"text\": \"{\\\"supported\\\": false, \\\"done\\\": false, \\\"evidence_step\\\": null, \\\"reason\\\": \\\"No result says so.\\\"}\", \"usage\": {\"input_tokens\": 1000, \"output_tokens\": 100}}"
#define CRITIC_YES "{\"text\": \"{\\\"supported\\\": true, \\\"done\\\": true, \\\"evidence_step\\\": 3, \\\"reason\\\": \\\"Step 3 returns it.\\\"}\", \"usage\": {\"input_tokens\": 1000, \"output_tokens\": 100}}"

/* Step 2 finishes with an invented word, which the critic sends back; step 4 with the
 * value, which it accepts. */
static ReinsRun *
run_corrected (RunFixture *f)
{
  g_autofree char *value = reins_kb_value (3, 2);
  g_autofree char *l0 = lookup_response (0);
  g_autofree char *l1 = lookup_response (1);
  g_autofree char *f1 = finish_response ("lantern");
  g_autofree char *f2 = finish_response (value);
  g_autofree char *responses = g_strjoin (", ", l0, f1, l1, f2, NULL);

  return run_scripted (f, "finish", responses, CRITIC_NO ", " CRITIC_YES, NULL, NULL);
}

/* Not supported, corrected, then supported: the run completes, and each critic call's
 * cost is on its step and in the run's total. */
static void
test_run_corrects_then_allows (RunFixture    *f,
                               gconstpointer  data)
{
  g_autofree char *value = reins_kb_value (3, 2);
  g_autoptr(ReinsRun) run = run_corrected (f);
  g_autoptr(GPtrArray) steps = stored_steps (f, run);
  const ReinsCritique *critique;
  ReinsStep *step;
  double step_cost = (10 * 1.0 + 10 * 2.0) / 1e6;
  double critic_cost = (1000 * 1.0 + 100 * 2.0) / 1e6;

  g_assert_cmpint (reins_run_get_status (run), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_cmpstr (reins_run_get_final_answer (run), ==, value);
  g_assert_cmpuint (steps->len, ==, 4);
  g_assert_cmpuint (f->approvals, ==, 0);

  step = g_ptr_array_index (steps, 1);
  critique = reins_step_get_critique (step);
  g_assert_nonnull (critique);
  g_assert_cmpint (critique->verdict, ==, REINS_CRITIC_VERDICT_NOT_SUPPORTED);
  g_assert_cmpint (reins_step_get_worst_verdict (step), ==, REINS_VERDICT_CORRECT);
  g_assert_nonnull (strstr (reins_step_get_observation (step), "[Harness: critic]"));
  g_assert_cmpfloat_with_epsilon (reins_step_get_cost_usd (step), step_cost + critic_cost, 1e-12);
  g_assert_cmpuint (reins_step_get_input_tokens (step), ==, 1010);

  step = g_ptr_array_index (steps, 3);
  critique = reins_step_get_critique (step);
  g_assert_cmpint (critique->verdict, ==, REINS_CRITIC_VERDICT_SUPPORTED);
  g_assert_cmpuint (critique->evidence_step, ==, 3);
  g_assert_cmpuint (critique->output_tokens, ==, 100);
  g_assert_cmpfloat_with_epsilon (critique->cost_usd, critic_cost, 1e-12);

  g_assert_null (reins_step_get_critique (g_ptr_array_index (steps, 0)));
  g_assert_cmpfloat_with_epsilon (reins_run_get_cost_usd (run), 4 * step_cost + 2 * critic_cost,
                                  1e-12);
  g_assert_cmpfloat_with_epsilon (reins_step_get_cost_total_usd (step),
                                  reins_run_get_cost_usd (run), 1e-12);
}

/* The critic's cost counts against the run's budget: a critic dearer than the budget ends
 * the run before the next model call. */
static void
test_run_budget (RunFixture    *f,
                 gconstpointer  data)
{
  g_autofree char *l0 = lookup_response (0);
  g_autofree char *f1 = finish_response ("lantern");
  g_autofree char *l1 = lookup_response (1);
  g_autofree char *responses = g_strjoin (", ", l0, f1, l1, NULL);
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autoptr(ReinsRun) run = NULL;

  json_object_set_double_member (extra, "budget_usd", 0.001);
  run = run_scripted (f, "finish", responses, CRITIC_NO, NULL, extra);
  g_assert_cmpint (reins_run_get_status (run), ==, REINS_RUN_STATUS_TERMINATED);
  g_assert_nonnull (strstr (reins_run_get_reason (run), "budget"));
  g_assert_cmpfloat (reins_run_get_cost_usd (run), >, 0.001);
}

/* Sent back once, unsupported again: a person is asked, and approves. */
static void
test_run_asks_second_time (RunFixture    *f,
                           gconstpointer  data)
{
  g_autofree char *l0 = lookup_response (0);
  g_autofree char *f1 = finish_response ("lantern");
  g_autofree char *f2 = finish_response ("the lantern");
  g_autofree char *responses = g_strjoin (", ", l0, f1, f2, NULL);
  g_autoptr(ReinsRun) run = run_scripted (f, "finish", responses, CRITIC_NO ", " CRITIC_NO,
                                          NULL, NULL);

  g_assert_cmpuint (f->approvals, ==, 1);
  g_assert_cmpstr (f->approval_guard, ==, "critic");
  g_assert_cmpint (reins_run_get_status (run), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_cmpstr (reins_run_get_final_answer (run), ==, "the lantern");
}

/* A malformed reply, a failed call, and no critic reply at all: the run goes on as the
 * deterministic guards say, and each finish step says why the critic was not heard. */
static void
test_run_fallback (RunFixture    *f,
                   gconstpointer  data)
{
  static const struct { const char *critic; const char *says; } cases[] = {
    { "{\"text\": \"The answer is fine, I think.\"}", "not a JSON object" },
    { "{\"text\": \"{\\\"supported\\\": \\\"maybe\\\"}\"}", "supported" },
    { "{\"error\": {\"code\": \"timeout\", \"message\": \"Timed out\"}}", "Timed out" },
    { NULL, "critic responses" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *value = reins_kb_value (3, 2);
      g_autofree char *l0 = lookup_response (0);
      g_autofree char *l1 = lookup_response (1);
      g_autofree char *fin = finish_response (value);
      g_autofree char *responses = g_strjoin (", ", l0, l1, fin, NULL);
      g_autoptr(ReinsRun) run = run_scripted (f, "finish", responses, cases[i].critic, NULL, NULL);
      g_autoptr(GPtrArray) steps = stored_steps (f, run);
      ReinsStep *last = g_ptr_array_index (steps, steps->len - 1);
      const ReinsCritique *critique = reins_step_get_critique (last);

      g_test_message ("case %u", i);
      g_assert_cmpint (reins_run_get_status (run), ==, REINS_RUN_STATUS_COMPLETED);
      g_assert_nonnull (critique);
      g_assert_cmpint (critique->verdict, ==, REINS_CRITIC_VERDICT_UNAVAILABLE);
      g_assert_nonnull (strstr (critique->error, cases[i].says));
      g_assert_nonnull (strstr (reins_verdict_get_reason (critic_verdict_of (last)),
                                "unavailable"));
    }
}

/* With the critic off, nothing is asked of it. */
static void
test_run_off (RunFixture    *f,
              gconstpointer  data)
{
  g_autofree char *f1 = finish_response ("lantern");
  g_autoptr(ReinsRun) run = run_scripted (f, "off", f1, CRITIC_NO, NULL, NULL);
  g_autoptr(GPtrArray) steps = stored_steps (f, run);

  g_assert_cmpint (reins_run_get_status (run), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_null (reins_step_get_critique (g_ptr_array_index (steps, 0)));
}

static void
http_error_handler (const char     *path,
                    const char     *body,
                    guint           index,
                    ReinsTestReply *reply,
                    gpointer        user_data)
{
  const char *mode = user_data;

  if (g_str_equal (mode, "slow"))
    {
      reins_test_reply_set_status (reply, 200);
      reins_test_reply_add_header (reply, "Content-Type", "application/json");
      reins_test_reply_add (reply, 5000, "{}", -1);
      return;
    }
  reins_test_reply_set_status (reply, 500);
  reins_test_reply_add_header (reply, "Content-Type", "application/json");
  reins_test_reply_add (reply, 0, "{\"error\": {\"message\": \"the critic's server broke\"}}", -1);
}

/* A critic on another provider (OpenAI's wire format, on a loopback server) that errors or
 * does not answer within its own deadline: the run completes on the deterministic checks. */
static void
test_run_http_critic (RunFixture    *f,
                      gconstpointer  data)
{
  const char *mode = data;
  g_autoptr(ReinsTestServer) server = reins_test_server_new (http_error_handler, (gpointer) mode);
  g_autoptr(ReinsProviderConfig) critic = reins_provider_config_new ("openai");
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autofree char *value = reins_kb_value (3, 2);
  g_autofree char *l0 = lookup_response (0);
  g_autofree char *l1 = lookup_response (1);
  g_autofree char *fin = finish_response (value);
  g_autofree char *responses = g_strjoin (", ", l0, l1, fin, NULL);
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  const ReinsCritique *critique;
  gint64 t0 = g_get_monotonic_time ();

  critic->base_url = g_strdup (reins_test_server_get_url (server));
  critic->model = g_strdup ("critic-mini");
  critic->api_key = g_strdup ("sk-test");
  json_object_set_int_member (extra, "critic_timeout_s", 1);
  run = run_scripted (f, "finish", responses, NULL, critic, extra);
  steps = stored_steps (f, run);
  critique = reins_step_get_critique (g_ptr_array_index (steps, steps->len - 1));

  g_assert_cmpint (reins_run_get_status (run), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_cmpuint (reins_test_server_get_count (server), >=, 1);
  g_assert_nonnull (critique);
  g_assert_cmpint (critique->verdict, ==, REINS_CRITIC_VERDICT_UNAVAILABLE);
  g_assert_nonnull (critique->error);
  g_test_message ("critic error: %s", critique->error);
  if (g_str_equal (mode, "slow"))
    g_assert_cmpint (g_get_monotonic_time () - t0, <, 4 * G_USEC_PER_SEC);
  else
    g_assert_nonnull (strstr (critique->error, "500") != NULL ? critique->error
                                                              : strstr (critique->error, "broke"));
}

/* A stop while the critic's call is under way ends the run cancelled: the finish it was
 * judging is not accepted. */
static void
test_run_cancel_during_critic (RunFixture    *f,
                               gconstpointer  data)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (http_error_handler, (gpointer) "slow");
  g_autoptr(ReinsProviderConfig) critic = reins_provider_config_new ("openai");
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autofree char *value = reins_kb_value (3, 2);
  g_autofree char *l0 = lookup_response (0);
  g_autofree char *l1 = lookup_response (1);
  g_autofree char *fin = finish_response (value);
  g_autofree char *responses = g_strjoin (", ", l0, l1, fin, NULL);
  g_autoptr(ReinsRun) run = NULL;

  critic->base_url = g_strdup (reins_test_server_get_url (server));
  critic->model = g_strdup ("critic-mini");
  critic->api_key = g_strdup ("sk-test");
  json_object_set_int_member (extra, "critic_timeout_s", 60);
  f->cancel_when_asked = server;
  run = run_scripted (f, "finish", responses, NULL, critic, extra);
  f->cancel_when_asked = NULL;

  g_assert_cmpuint (reins_test_server_get_count (server), >=, 1);
  g_assert_cmpint (reins_run_get_status (run), ==, REINS_RUN_STATUS_CANCELLED);
  g_assert_null (reins_run_get_final_answer (run));
}

/* A replay judges again from the replies stored on the steps; it calls no model. */
static void
test_replay (RunFixture    *f,
             gconstpointer  data)
{
  g_autoptr(ReinsRun) run = run_corrected (f);
  g_autoptr(GPtrArray) steps = stored_steps (f, run);
  g_autoptr(GPtrArray) replayed = NULL;
  g_autoptr(JsonObject) off = json_object_new ();
  g_autoptr(ReinsCritique) tampered = NULL;
  g_autoptr(GError) error = NULL;
  ReinsReplayStep *entry;

  /* The script is gone: a model call would fail. */
  g_unlink (f->script);

  replayed = reins_replay_run (run, steps, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < replayed->len; i++)
    g_assert_false (((ReinsReplayStep *) g_ptr_array_index (replayed, i))->changed);
  entry = g_ptr_array_index (replayed, 1);
  g_assert_cmpstr (reins_verdict_get_guard (entry->replayed_worst), ==, "critic");
  g_assert_cmpint (reins_step_get_critique (entry->step)->verdict, ==,
                   REINS_CRITIC_VERDICT_NOT_SUPPORTED);
  g_assert_cmpstr (reins_step_get_critique (entry->step)->reply, ==,
                   reins_step_get_critique (g_ptr_array_index (steps, 1))->reply);
  g_clear_pointer (&replayed, g_ptr_array_unref);

  /* What if the critic had been off. */
  json_object_set_string_member (off, "critic", "off");
  {
    g_autoptr(JsonObject) merged = reins_replay_settings_merge (reins_run_get_settings (run), off);

    replayed = reins_replay_run (run, steps, merged, &error);
  }
  g_assert_no_error (error);
  entry = g_ptr_array_index (replayed, 1);
  g_assert_true (entry->changed);
  g_assert_null (entry->replayed_worst);
  g_clear_pointer (&replayed, g_ptr_array_unref);

  /* The verdict follows the stored reply, whatever it says. */
  tampered = reins_critique_copy (reins_step_get_critique (g_ptr_array_index (steps, 1)));
  g_free (tampered->reply);
  tampered->reply = g_strdup ("not json");
  reins_step_set_critique (g_ptr_array_index (steps, 1), tampered);
  replayed = reins_replay_run (run, steps, NULL, &error);
  g_assert_no_error (error);
  entry = g_ptr_array_index (replayed, 1);
  g_assert_true (entry->changed);
  g_assert_cmpint (reins_step_get_critique (entry->step)->verdict, ==,
                   REINS_CRITIC_VERDICT_UNAVAILABLE);
}

/* ---------------------------------------------------------------------------------------
 * The sim provider as a critic
 */

static ReinsCritique *
sim_judges (const char *answer,
            double      accuracy)
{
  g_autofree char *task = reins_kb_task (5, 3);
  g_autoptr(ReinsRun) run = reins_run_new (task);
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("sim");
  g_autoptr(ReinsProvider) provider = NULL;
  g_autoptr(ReinsChatRequest) request = NULL;
  g_autoptr(ReinsChatResponse) response = NULL;
  g_autoptr(ReinsStep) finish = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  ReinsCritique *critique = reins_critique_new (REINS_VERDICT_PHASE_BEFORE_ACTION);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *key = reins_kb_key (5, 3, i);
      g_autofree char *action = g_strdup_printf ("{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"%s\"}}", key);
      g_autofree char *result = reins_kb_lookup (key);

      g_ptr_array_add (steps, make_step (i + 1, action, result));
    }
  json = g_strdup_printf ("{\"name\":\"finish\",\"arguments\":{\"answer\":\"%s\"}}", answer);
  finish = make_step (4, json, NULL);

  config->sim_critic_accuracy = accuracy;
  config->seed = 11;
  provider = reins_provider_new_for_config (config, &error);
  g_assert_no_error (error);
  request = reins_prompt_critic (run, steps, finish, REINS_VERDICT_PHASE_BEFORE_ACTION);
  g_assert_cmpint (request->purpose, ==, REINS_CHAT_PURPOSE_CRITIC);
  response = reins_provider_chat (provider, request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->input_tokens, >, 100);
  g_assert_true (reins_guard_critic_parse (response->text, 3, critique, &error));
  g_assert_no_error (error);
  return critique;
}

static void
test_sim_critic (void)
{
  g_autofree char *value = reins_kb_value (5, 3);
  g_autofree char *pointer = reins_kb_key (5, 3, 2);
  g_autoptr(ReinsCritique) right = sim_judges (value, 1.0);
  g_autoptr(ReinsCritique) invented = sim_judges ("granite-4821", 1.0);
  g_autoptr(ReinsCritique) intermediate = sim_judges (pointer, 1.0);
  g_autoptr(ReinsCritique) wrong_critic = sim_judges (value, 1e-9);
  g_autoptr(ReinsCritique) lenient_critic = sim_judges ("granite-4821", 1e-9);

  g_assert_cmpint (right->verdict, ==, REINS_CRITIC_VERDICT_SUPPORTED);
  g_assert_cmpuint (right->evidence_step, ==, 3);
  g_assert_cmpint (invented->verdict, ==, REINS_CRITIC_VERDICT_NOT_SUPPORTED);
  g_assert_cmpint (intermediate->verdict, ==, REINS_CRITIC_VERDICT_NOT_DONE);
  g_assert_cmpuint (intermediate->evidence_step, ==, 2);
  g_assert_cmpint (wrong_critic->verdict, !=, REINS_CRITIC_VERDICT_SUPPORTED);
  g_assert_cmpint (lenient_critic->verdict, ==, REINS_CRITIC_VERDICT_SUPPORTED);
}

/* The sim judging one step after its observation (--critic=every), and a prompt with
 * nothing to judge. */
static void
test_sim_critic_step (void)
{
  g_autofree char *task = reins_kb_task (5, 3);
  g_autofree char *key = reins_kb_key (5, 3, 0);
  g_autofree char *other = reins_kb_key (9, 3, 0);
  g_autofree char *result = reins_kb_lookup (key);
  g_autofree char *other_result = reins_kb_lookup (other);
  g_autofree char *a1 = g_strdup_printf ("{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"%s\"}}", key);
  g_autofree char *a2 = g_strdup_printf ("{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"%s\"}}", other);
  g_autoptr(ReinsRun) run = reins_run_new (task);
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("sim");
  g_autoptr(ReinsProvider) provider = NULL;
  struct { ReinsStep *step; gboolean sound; } cases[] = {
    { make_step (1, a1, result), TRUE },
    { make_step (1, a2, other_result), FALSE },
    { make_step (1, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-5-3/1-zzzz\"}}",
                 "{\"error\": \"unknown key\"}"), FALSE },
  };

  config->sim_critic_accuracy = 1.0;
  provider = reins_provider_new_for_config (config, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ReinsChatRequest) request =
        reins_prompt_critic (run, none, cases[i].step, REINS_VERDICT_PHASE_AFTER_OBSERVATION);
      g_autoptr(ReinsChatResponse) response = reins_provider_chat (provider, request, NULL, NULL,
                                                                   NULL, NULL);
      g_autoptr(ReinsCritique) c = reins_critique_new (REINS_VERDICT_PHASE_AFTER_OBSERVATION);

      g_assert_nonnull (response);
      g_assert_true (reins_guard_critic_parse (response->text, 1, c, NULL));
      g_assert_cmpint (c->supported, ==, cases[i].sound);
      g_object_unref (cases[i].step);
    }

  /* A critic request without the layout of reins_prompt_critic(): a clear "no". */
  {
    g_autoptr(ReinsChatRequest) request = reins_chat_request_new ();
    g_autoptr(ReinsChatResponse) response = NULL;
    g_autoptr(ReinsCritique) c = reins_critique_new (REINS_VERDICT_PHASE_BEFORE_ACTION);

    request->purpose = REINS_CHAT_PURPOSE_CRITIC;
    reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_USER, "Hello?"));
    response = reins_provider_chat (provider, request, NULL, NULL, NULL, NULL);
    g_assert_nonnull (response);
    g_assert_true (reins_guard_critic_parse (response->text, 1, c, NULL));
    g_assert_false (c->supported);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reins/critic/parse/valid", test_parse_valid);
  g_test_add_func ("/reins/critic/parse/malformed", test_parse_malformed);
  g_test_add ("/reins/critic/guard/supported", GuardFixture, NULL, guard_fixture_set_up,
              test_guard_supported, guard_fixture_tear_down);
  g_test_add ("/reins/critic/guard/not-supported", GuardFixture, NULL, guard_fixture_set_up,
              test_guard_not_supported, guard_fixture_tear_down);
  g_test_add ("/reins/critic/guard/not-done", GuardFixture, NULL, guard_fixture_set_up,
              test_guard_not_done, guard_fixture_tear_down);
  g_test_add ("/reins/critic/guard/fallback", GuardFixture, NULL, guard_fixture_set_up,
              test_guard_fallback, guard_fixture_tear_down);
  g_test_add ("/reins/critic/guard/not-called", GuardFixture, NULL, guard_fixture_set_up,
              test_guard_not_called, guard_fixture_tear_down);
  g_test_add ("/reins/critic/guard/every", GuardFixture, NULL, guard_fixture_set_up,
              test_guard_every, guard_fixture_tear_down);
  g_test_add ("/reins/critic/run/corrects-then-allows", RunFixture, NULL, run_fixture_set_up,
              test_run_corrects_then_allows, run_fixture_tear_down);
  g_test_add ("/reins/critic/run/budget", RunFixture, NULL, run_fixture_set_up,
              test_run_budget, run_fixture_tear_down);
  g_test_add ("/reins/critic/run/asks-second-time", RunFixture, NULL, run_fixture_set_up,
              test_run_asks_second_time, run_fixture_tear_down);
  g_test_add ("/reins/critic/run/fallback", RunFixture, NULL, run_fixture_set_up,
              test_run_fallback, run_fixture_tear_down);
  g_test_add ("/reins/critic/run/off", RunFixture, NULL, run_fixture_set_up,
              test_run_off, run_fixture_tear_down);
  g_test_add ("/reins/critic/run/http-error", RunFixture, "error", run_fixture_set_up,
              test_run_http_critic, run_fixture_tear_down);
  g_test_add ("/reins/critic/run/cancel-during-critic", RunFixture, NULL, run_fixture_set_up,
              test_run_cancel_during_critic, run_fixture_tear_down);
  g_test_add ("/reins/critic/run/http-timeout", RunFixture, "slow", run_fixture_set_up,
              test_run_http_critic, run_fixture_tear_down);
  g_test_add ("/reins/critic/replay", RunFixture, NULL, run_fixture_set_up,
              test_replay, run_fixture_tear_down);
  g_test_add_func ("/reins/critic/sim", test_sim_critic);
  g_test_add_func ("/reins/critic/sim-step", test_sim_critic_step);

  return g_test_run ();
}
