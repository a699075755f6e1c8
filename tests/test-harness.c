/* test-harness.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The harness mechanism and its guards, each with a case that must fire and one that must
 * not.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "reins-harness.h"

typedef struct
{
  ReinsRun          *run;
  GPtrArray         *history;
  ReinsHarness      *harness;
  ReinsGuardContext  context;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->run = reins_run_new ("Follow chain-1-3/0");
  f->history = g_ptr_array_new_with_free_func (g_object_unref);
  f->harness = reins_harness_new_for_settings (reins_run_get_settings (f->run));
  f->context.run = f->run;
  f->context.history = f->history;
  f->context.settings = reins_run_get_settings (f->run);
  f->context.action_known = TRUE;
  f->context.action_risk = REINS_RISK_READ;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->harness);
  g_clear_pointer (&f->history, g_ptr_array_unref);
  g_clear_object (&f->run);
}

static ReinsStep *
step_with_action (guint       index,
                  const char *json)
{
  ReinsStep *step = reins_step_new ("run", index);
  g_autoptr(ReinsAction) action = reins_action_new_from_string (json, NULL);

  g_assert_nonnull (action);
  reins_step_set_action (step, action);
  return step;
}

static const char *lookup = "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-1-3/0\"}}";

static void
test_most_severe_wins (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(ReinsStep) step = step_with_action (1, "{\"name\":\"write_file\",\"arguments\":{\"path\":\"a\",\"content\":\"b\"}}");
  g_autoptr(ReinsVerdict) verdict = NULL;

  /* Policy asks (write) and confidence asks (0.2 from log-probs): one ask wins, both stored. */
  f->context.action_risk = REINS_RISK_WRITE;
  reins_step_set_confidence (step, 0.2, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  verdict = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_ACTION, &f->context, step);
  g_assert_nonnull (verdict);
  g_assert_cmpint (reins_verdict_get_kind (verdict), ==, REINS_VERDICT_ASK);
  g_assert_cmpstr (reins_verdict_get_guard (verdict), ==, "policy");
  g_assert_cmpuint (reins_step_get_verdicts (step)->len, ==, 2);
  g_assert_cmpint (reins_verdict_get_phase (verdict), ==, REINS_VERDICT_PHASE_BEFORE_ACTION);
}

static void
test_max_steps (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(ReinsStep) early = step_with_action (2, lookup);
  g_autoptr(ReinsStep) last = step_with_action (3, lookup);
  g_autoptr(ReinsStep) last_finish = step_with_action (3, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"x\"}}");
  g_autoptr(ReinsVerdict) v1 = NULL;
  g_autoptr(ReinsVerdict) v2 = NULL;
  g_autoptr(ReinsVerdict) v3 = NULL;

  json_object_set_int_member (f->context.settings, "max_steps", 3);

  v1 = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_AFTER_OBSERVATION, &f->context, early);
  g_assert_null (v1);

  v2 = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_AFTER_OBSERVATION, &f->context, last);
  g_assert_nonnull (v2);
  g_assert_cmpstr (reins_verdict_get_guard (v2), ==, "max_steps");
  g_assert_cmpint (reins_verdict_get_kind (v2), ==, REINS_VERDICT_TERMINATE);
  g_assert_nonnull (strstr (reins_verdict_get_reason (v2), "3 steps"));

  /* A finish on the last step is not cut off. */
  v3 = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_AFTER_OBSERVATION, &f->context, last_finish);
  g_assert_null (v3);
}

static void
test_budget_projection (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(ReinsStep) step = reins_step_new ("run", 4);
  g_autoptr(ReinsStep) step2 = reins_step_new ("run", 4);
  g_autoptr(ReinsVerdict) stop = NULL;
  g_autoptr(ReinsVerdict) go = NULL;

  json_object_set_double_member (f->context.settings, "budget_usd", 0.10);
  reins_run_set_cost_usd (f->run, 0.05);

  /* The coming call would take it over: stop before it. */
  f->context.projected_cost_usd = 0.06;
  stop = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_MODEL, &f->context, step);
  g_assert_nonnull (stop);
  g_assert_cmpstr (reins_verdict_get_guard (stop), ==, "budget");
  g_assert_cmpint (reins_verdict_get_kind (stop), ==, REINS_VERDICT_TERMINATE);

  /* It fits: go on, nothing to say (50 % spent, under the 80 % note). */
  f->context.projected_cost_usd = 0.01;
  go = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_MODEL, &f->context, step2);
  g_assert_null (go);
}

static void
test_budget_note_once (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(ReinsStep) first = reins_step_new ("run", 5);
  g_autoptr(ReinsStep) second = reins_step_new ("run", 6);
  g_autoptr(ReinsVerdict) note = NULL;
  g_autoptr(ReinsVerdict) again = NULL;

  json_object_set_double_member (f->context.settings, "budget_usd", 1.0);
  reins_run_set_cost_usd (f->run, 0.85);
  note = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_MODEL, &f->context, first);
  g_assert_nonnull (note);
  g_assert_cmpint (reins_verdict_get_kind (note), ==, REINS_VERDICT_CORRECT);

  /* Once noted (it is in the history), not again. */
  g_ptr_array_add (f->history, g_object_ref (first));
  again = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_MODEL, &f->context, second);
  g_assert_null (again);
}

static ReinsVerdict *
verdict_of (ReinsStep  *step,
            const char *guard)
{
  GPtrArray *verdicts = reins_step_get_verdicts (step);

  for (guint i = 0; i < verdicts->len; i++)
    if (g_str_equal (reins_verdict_get_guard (g_ptr_array_index (verdicts, i)), guard))
      return g_ptr_array_index (verdicts, i);
  return NULL;
}

/* Low confidence is one signal: a read-only action runs (the verdict says why); an action
 * that changes something, with no other question about it, goes to a person. */
static void
test_confidence (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(ReinsStep) low = step_with_action (1, lookup);
  g_autoptr(ReinsStep) low_write = step_with_action (1, "{\"name\":\"write_file\",\"arguments\":{\"path\":\"a\",\"content\":\"b\"}}");
  g_autoptr(ReinsStep) low_always = step_with_action (1, lookup);
  g_autoptr(ReinsStep) low_default = step_with_action (1, lookup);
  g_autoptr(ReinsStep) high = step_with_action (1, lookup);
  g_autoptr(ReinsVerdict) v1 = NULL;
  g_autoptr(ReinsVerdict) v2 = NULL;
  g_autoptr(ReinsVerdict) v3 = NULL;
  g_autoptr(ReinsVerdict) v4 = NULL;
  g_autoptr(ReinsVerdict) v5 = NULL;
  JsonArray *allow = json_array_new ();

  reins_step_set_confidence (low, 0.42, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  v1 = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_ACTION, &f->context, low);
  g_assert_null (v1);
  g_assert_cmpint (reins_verdict_get_kind (verdict_of (low, "confidence")), ==, REINS_VERDICT_ALLOW);
  g_assert_nonnull (strstr (reins_verdict_get_reason (verdict_of (low, "confidence")), "only reads"));

  /* A write the policy lets run without asking: low confidence is the second signal. */
  json_array_add_string_element (allow, "write_file");
  json_object_set_array_member (f->context.settings, "always_allow", allow);
  f->context.action_risk = REINS_RISK_WRITE;
  reins_step_set_confidence (low_write, 0.42, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  v2 = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_ACTION, &f->context, low_write);
  g_assert_nonnull (v2);
  g_assert_cmpstr (reins_verdict_get_guard (v2), ==, "confidence");
  g_assert_cmpint (reins_verdict_get_kind (v2), ==, REINS_VERDICT_ASK);
  f->context.action_risk = REINS_RISK_READ;

  /* "confidence_asks": "always" asks about reading too. */
  json_object_set_string_member (f->context.settings, "confidence_asks", "always");
  reins_step_set_confidence (low_always, 0.42, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  v3 = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_ACTION, &f->context, low_always);
  g_assert_nonnull (v3);
  g_assert_cmpint (reins_verdict_get_kind (v3), ==, REINS_VERDICT_ASK);

  /* No log-probabilities: a default confidence is no evidence, so it never asks. */
  reins_step_set_confidence (low_default, 0.42, REINS_CONFIDENCE_SOURCE_DEFAULT);
  v4 = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_ACTION, &f->context, low_default);
  g_assert_null (v4);

  reins_step_set_confidence (high, 0.93, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  v5 = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_ACTION, &f->context, high);
  g_assert_null (v5);
}

/* After three unchanged approvals of the same read-only tool, the guard stops asking about
 * it and says so; another tool is still asked about. */
static void
test_confidence_learns (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(ReinsStep) fourth = step_with_action (4, lookup);
  g_autoptr(ReinsStep) other = step_with_action (4, "{\"name\":\"calculator\",\"arguments\":{\"expression\":\"1\"}}");
  g_autoptr(ReinsVerdict) v1 = NULL;
  g_autoptr(ReinsVerdict) v2 = NULL;

  json_object_set_string_member (f->context.settings, "confidence_asks", "always");
  for (guint i = 1; i <= 3; i++)
    {
      ReinsStep *step = step_with_action (i, lookup);
      g_autoptr(ReinsApprovalRecord) record =
        reins_approval_record_new (i, "confidence", "low", reins_step_get_action (step), 0.4);

      /* The first one edited: that is no plain approval, so it does not count. */
      reins_approval_record_resolve (record, i == 1 ? REINS_DECISION_EDIT : REINS_DECISION_APPROVE,
                                     reins_step_get_action (step), NULL, 0);
      reins_step_add_approval (step, record);
      g_ptr_array_add (f->history, step);
    }

  reins_step_set_confidence (fourth, 0.4, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  v1 = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_ACTION, &f->context, fourth);
  g_assert_nonnull (v1);
  g_assert_cmpint (reins_verdict_get_kind (v1), ==, REINS_VERDICT_ASK);
  g_ptr_array_add (f->history, g_object_ref (fourth));
  {
    g_autoptr(ReinsApprovalRecord) record =
      reins_approval_record_new (4, "confidence", "low", reins_step_get_action (fourth), 0.4);

    reins_approval_record_resolve (record, REINS_DECISION_APPROVE, reins_step_get_action (fourth), NULL, 0);
    reins_step_add_approval (fourth, record);
  }

  {
    g_autoptr(ReinsStep) fifth = step_with_action (5, lookup);
    g_autoptr(ReinsVerdict) v = NULL;

    reins_step_set_confidence (fifth, 0.4, REINS_CONFIDENCE_SOURCE_LOGPROBS);
    v = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_ACTION, &f->context, fifth);
    g_assert_null (v);
    g_assert_nonnull (strstr (reins_verdict_get_reason (verdict_of (fifth, "confidence")), "not asking"));
  }

  reins_step_set_confidence (other, 0.4, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  v2 = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_ACTION, &f->context, other);
  g_assert_nonnull (v2);
  g_assert_cmpint (reins_verdict_get_kind (v2), ==, REINS_VERDICT_ASK);
}

/* An approval never swallows another guard's correction: the correction comes first, and
 * the question is recorded as deferred. */
static void
test_correction_before_question (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(ReinsStep) finish = step_with_action (1, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"bronze-8399\"}}");
  g_autoptr(ReinsVerdict) verdict = NULL;
  ReinsVerdict *confidence;

  json_object_set_string_member (f->context.settings, "confidence_asks", "always");
  reins_step_set_confidence (finish, 0.3, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  verdict = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_ACTION, &f->context, finish);
  g_assert_nonnull (verdict);
  g_assert_cmpstr (reins_verdict_get_guard (verdict), ==, "grounding");
  g_assert_cmpint (reins_verdict_get_kind (verdict), ==, REINS_VERDICT_CORRECT);

  confidence = verdict_of (finish, "confidence");
  g_assert_cmpint (reins_verdict_get_kind (confidence), ==, REINS_VERDICT_ALLOW);
  g_assert_nonnull (strstr (reins_verdict_get_reason (confidence), "Not asked: grounding"));
  g_assert_cmpint (reins_step_get_worst_verdict (finish), ==, REINS_VERDICT_CORRECT);
}

static void
test_policy (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(ReinsStep) write = step_with_action (1, "{\"name\":\"write_file\",\"arguments\":{\"path\":\"a\",\"content\":\"b\"}}");
  g_autoptr(ReinsStep) write2 = step_with_action (2, "{\"name\":\"write_file\",\"arguments\":{\"path\":\"a\",\"content\":\"c\"}}");
  g_autoptr(ReinsStep) read = step_with_action (3, lookup);
  g_autoptr(ReinsVerdict) v1 = NULL;
  g_autoptr(ReinsVerdict) v2 = NULL;
  g_autoptr(ReinsVerdict) v3 = NULL;
  JsonArray *allow = json_array_new ();

  f->context.action_risk = REINS_RISK_WRITE;
  v1 = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_ACTION, &f->context, write);
  g_assert_nonnull (v1);
  g_assert_cmpstr (reins_verdict_get_guard (v1), ==, "policy");

  /* "Always allow" is in the run's settings: no question. */
  json_array_add_string_element (allow, "write_file");
  json_object_set_array_member (f->context.settings, "always_allow", allow);
  v2 = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_ACTION, &f->context, write2);
  g_assert_null (v2);

  f->context.action_risk = REINS_RISK_READ;
  v3 = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_ACTION, &f->context, read);
  g_assert_null (v3);
}

static void
test_disabled_guard (void)
{
  g_autoptr(JsonObject) settings = json_object_new ();
  JsonArray *disabled = json_array_new ();
  g_autoptr(ReinsHarness) harness = NULL;

  json_array_add_string_element (disabled, "confidence");
  json_object_set_array_member (settings, "disabled_guards", disabled);
  harness = reins_harness_new_for_settings (settings);
  g_assert_null (reins_harness_get_guard (harness, "confidence"));
  g_assert_nonnull (reins_harness_get_guard (harness, "policy"));
  g_assert_nonnull (reins_harness_get_guard (harness, "max_steps"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/reins/harness/most-severe-wins", test_most_severe_wins);
  ADD ("/reins/harness/max-steps", test_max_steps);
  ADD ("/reins/harness/budget/projection", test_budget_projection);
  ADD ("/reins/harness/budget/note-once", test_budget_note_once);
  ADD ("/reins/harness/confidence", test_confidence);
  ADD ("/reins/harness/confidence-learns", test_confidence_learns);
  ADD ("/reins/harness/correction-before-question", test_correction_before_question);
  ADD ("/reins/harness/policy", test_policy);
  g_test_add_func ("/reins/harness/disabled-guard", test_disabled_guard);

#undef ADD

  return g_test_run ();
}
