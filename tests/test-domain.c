/* test-domain.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The domain records and their JSON form against CONTRACTS §2.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "reins-domain.h"
#include "reins-run-settings.h"
#include "reins-test-util.h"

static void
test_enums (void)
{
  ReinsRunStatus status;
  ReinsVerdictKind kind;
  ReinsConfidenceSource source;

  g_assert_cmpstr (reins_run_status_to_string (REINS_RUN_STATUS_AWAITING_APPROVAL), ==,
                   "awaiting_approval");
  g_assert_true (reins_run_status_from_string ("interrupted", &status));
  g_assert_cmpint (status, ==, REINS_RUN_STATUS_INTERRUPTED);
  g_assert_false (reins_run_status_from_string ("Interrupted", &status));
  g_assert_false (reins_run_status_from_string (NULL, &status));
  g_assert_true (reins_verdict_kind_from_string ("terminate", &kind));
  g_assert_cmpint (kind, ==, REINS_VERDICT_TERMINATE);
  g_assert_true (REINS_VERDICT_TERMINATE > REINS_VERDICT_ASK);
  g_assert_true (REINS_VERDICT_ASK > REINS_VERDICT_CORRECT);
  g_assert_true (reins_confidence_source_from_string ("self_reported", &source));
  g_assert_cmpint (source, ==, REINS_CONFIDENCE_SOURCE_SELF_REPORTED);
  g_assert_true (reins_run_status_is_final (REINS_RUN_STATUS_CANCELLED));
  g_assert_false (reins_run_status_is_final (REINS_RUN_STATUS_INTERRUPTED));
}

static void
test_action_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsAction) a = NULL;
  g_autoptr(ReinsAction) b = NULL;
  g_autoptr(ReinsAction) c = NULL;
  g_autofree char *text = NULL;

  a = reins_action_new_from_string ("{\"name\":\"read_file\",\"arguments\":{\"path\":\"a.txt\",\"n\":1}}",
                                    &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reins_action_get_name (a), ==, "read_file");
  g_assert_cmpstr (reins_action_get_string_argument (a, "path"), ==, "a.txt");
  g_assert_null (reins_action_get_string_argument (a, "n"));

  /* Arguments as a JSON string, as OpenAI sends them, mean the same action. */
  b = reins_action_new_from_string ("{\"name\":\"read_file\",\"arguments\":\"{\\\"n\\\":1,\\\"path\\\":\\\"a.txt\\\"}\"}",
                                    &error);
  g_assert_no_error (error);
  g_assert_true (reins_action_equal (a, b));

  c = reins_action_new_from_string ("{\"name\":\"finish\"}", &error);
  g_assert_no_error (error);
  g_assert_false (reins_action_equal (a, c));
  text = reins_action_to_string (c);
  g_assert_cmpstr (text, ==, "{\"name\":\"finish\",\"arguments\":{}}");
}

/* Records own their JSON: changing what they were made from changes nothing in them. */
static void
test_records_own_their_json (void)
{
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(JsonObject) inner = json_object_new ();
  g_autoptr(ReinsAction) action = NULL;
  g_autoptr(ReinsRun) run = reins_run_new ("t");
  g_autoptr(ReinsRun) copy = NULL;
  g_autoptr(JsonObject) settings = json_object_new ();

  json_object_set_string_member (inner, "path", "a.txt");
  json_object_set_object_member (args, "nested", json_object_ref (inner));
  action = reins_action_new ("read_file", args);
  json_object_set_string_member (inner, "path", "b.txt");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (reins_action_get_arguments (action), "nested"), "path"), ==, "a.txt");

  json_object_set_array_member (settings, "always_allow", json_array_new ());
  reins_run_set_settings (run, settings);
  copy = reins_run_copy (run);
  json_array_add_string_element (json_object_get_array_member (reins_run_get_settings (copy), "always_allow"), "write_file");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reins_run_get_settings (run), "always_allow")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (settings, "always_allow")), ==, 0);
}

static void
test_action_malformed (void)
{
  const char *bad[] = {
    "",
    "[]",
    "\"read_file\"",
    "{\"arguments\":{}}",
    "{\"name\":\"\",\"arguments\":{}}",
    "{\"name\":42}",
    "{\"name\":\"x\",\"arguments\":[1,2]}",
    "{\"name\":\"x\",\"arguments\":\"{not json\"}",
    "{\"name\":\"x\",\"arguments\":\"[1]\"}",
    "{\"name\":\"x\",\"arguments\":{}",
    "{\"name\":\"\xff\xfe\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ReinsAction) action = reins_action_new_from_string (bad[i], &error);

      g_assert_null (action);
      g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
      g_assert_nonnull (error->message);
    }
}

static void
test_step_contract_fixture (void)
{
  g_autoptr(JsonNode) fixture = reins_test_load_fixture ("contracts-step.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStep) step = NULL;
  g_autoptr(JsonNode) out = NULL;
  g_autoptr(ReinsStep) again = NULL;
  g_autoptr(JsonNode) out2 = NULL;
  ReinsVerdict *verdict;
  const guint *steps;
  guint n_steps;

  step = reins_step_new_from_json (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reins_step_get_index (step), ==, 3);
  g_assert_cmpstr (reins_action_get_name (reins_step_get_action (step)), ==, "read_file");
  g_assert_cmpstr (reins_step_get_observation (step), ==, "hello\nworld");
  g_assert_cmpfloat_with_epsilon (reins_step_get_confidence (step), 0.83, 1e-9);
  g_assert_cmpint (reins_step_get_confidence_source (step), ==, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  g_assert_cmpuint (reins_step_get_input_tokens (step), ==, 812);
  g_assert_cmpint (reins_step_get_duration_ms (step), ==, 1840);
  g_assert_cmpuint (reins_step_get_verdicts (step)->len, ==, 1);
  verdict = g_ptr_array_index (reins_step_get_verdicts (step), 0);
  g_assert_cmpstr (reins_verdict_get_guard (verdict), ==, "loop");
  steps = reins_verdict_get_steps (verdict, &n_steps);
  g_assert_cmpuint (n_steps, ==, 3);
  g_assert_cmpuint (steps[2], ==, 3);
  g_assert_cmpint (reins_step_get_worst_verdict (step), ==, REINS_VERDICT_CORRECT);

  /* What we write contains everything the contract's example has, with equal values. */
  out = reins_step_to_json (step);
  reins_test_assert_json_subset (fixture, out, "step");

  /* And reads back to the same thing. */
  again = reins_step_new_from_json (out, &error);
  g_assert_no_error (error);
  out2 = reins_step_to_json (again);
  g_assert_true (json_node_equal (out, out2));
}

static void
test_step_allow_left_out (void)
{
  g_autoptr(ReinsStep) step = reins_step_new ("r", 1);
  g_autoptr(ReinsVerdict) allow = reins_verdict_new ("budget", REINS_VERDICT_ALLOW, "ok");
  g_autoptr(ReinsVerdict) ask = reins_verdict_new ("policy", REINS_VERDICT_ASK, "writes a file");
  g_autoptr(JsonNode) node = NULL;
  JsonArray *harness;

  reins_step_add_verdict (step, allow);
  reins_step_add_verdict (step, ask);
  node = reins_step_to_json (step);
  harness = json_object_get_array_member (json_node_get_object (node), "harness");
  g_assert_cmpuint (json_array_get_length (harness), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (harness, 0),
                                                  "guard"), ==, "policy");
  /* No confidence: null, and no source either. */
  g_assert_true (json_object_get_null_member (json_node_get_object (node), "confidence"));
  g_assert_true (json_object_get_null_member (json_node_get_object (node), "confidence_source"));
  g_assert_true (json_object_get_null_member (json_node_get_object (node), "action"));
}

static void
test_step_malformed (void)
{
  const char *bad[] = {
    "[]",
    "{}",
    "{\"step\":0}",
    "{\"step\":-3}",
    "{\"step\":\"3\"}",
    "{\"step\":1,\"thought\":7}",
    "{\"step\":1,\"tool_error\":\"no\"}",
    "{\"step\":1,\"confidence_source\":\"vibes\",\"confidence\":0.5}",
    "{\"step\":1,\"confidence\":\"high\"}",
    "{\"step\":1,\"input_tokens\":-5}",
    "{\"step\":1,\"harness\":{}}",
    "{\"step\":1,\"harness\":[{\"guard\":\"loop\",\"verdict\":\"maybe\"}]}",
    "{\"step\":1,\"harness\":[{\"verdict\":\"ask\"}]}",
    "{\"step\":1,\"action\":{\"arguments\":{}}}",
    "{\"step\":1,\"approvals\":[{\"guard\":\"policy\",\"decision\":\"perhaps\"}]}",
  };
  /* Numbers no integer holds, refused as such (fuzz-domain: casting 2.2e44 to an integer was
   * undefined behaviour, which gcc's sanitizer does not catch) */
  const char *out_of_range[] = {
    "{\"step\":222222222222222222222222222222222222222222220.52}",
    "{\"step\":1,\"input_tokens\":1e300}",
    "{\"step\":-9.3e18}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = reins_json_from_string (bad[i], &error);
      g_autoptr(ReinsStep) step = NULL;

      g_assert_no_error (error);
      step = reins_step_new_from_json (node, &error);
      if (step != NULL)
        g_error ("accepted malformed step %s", bad[i]);
      g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
    }
  for (guint i = 0; i < G_N_ELEMENTS (out_of_range); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = reins_json_from_string (out_of_range[i], &error);
      g_autoptr(ReinsStep) step = NULL;

      g_assert_no_error (error);
      step = reins_step_new_from_json (node, &error);
      g_assert_null (step);
      g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (error->message, "in range"));
    }

  /* A whole number written as 3.0 (or 3e0) is a number in range: read, not refused. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = reins_json_from_string ("{\"step\":3.0,\"input_tokens\":1e3}",
                                                       &error);
    g_autoptr(ReinsStep) step = reins_step_new_from_json (node, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (reins_step_get_index (step), ==, 3);
    g_assert_cmpuint (reins_step_get_input_tokens (step), ==, 1000);
  }
}

static void
test_run_contract_fixture (void)
{
  g_autoptr(JsonNode) fixture = reins_test_load_fixture ("contracts-run.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GPtrArray) steps2 = NULL;
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(ReinsRun) again = NULL;
  g_autoptr(JsonNode) out = NULL;
  g_autoptr(JsonNode) out2 = NULL;
  ReinsStep *second;
  ReinsApprovalRecord *approval;

  run = reins_run_new_from_json (fixture, &steps, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reins_run_get_id (run), ==, "5b0f3c1e-8a5e-4a43-9d55-0c6c0e6d2a11");
  g_assert_cmpint (reins_run_get_status (run), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_cmpuint (steps->len, ==, 2);
  g_assert_cmpint (reins_run_get_finished_at (run) - reins_run_get_created_at (run), ==,
                   5250000);
  g_assert_null (reins_run_get_parent_run_id (run));

  second = g_ptr_array_index (steps, 1);
  g_assert_false (reins_step_has_confidence (g_ptr_array_index (steps, 0)));
  g_assert_cmpuint (reins_step_get_approvals (second)->len, ==, 1);
  approval = g_ptr_array_index (reins_step_get_approvals (second), 0);
  g_assert_cmpint (reins_approval_record_get_decision (approval), ==, REINS_DECISION_EDIT);

  out = reins_run_to_json (run, steps);
  reins_test_assert_json_subset (fixture, out, "run");

  again = reins_run_new_from_json (out, &steps2, &error);
  g_assert_no_error (error);
  out2 = reins_run_to_json (again, steps2);
  g_assert_true (json_node_equal (out, out2));
}

static void
test_run_fork_and_copy (void)
{
  g_autoptr(ReinsRun) run = reins_run_new ("task");
  g_autoptr(ReinsRun) copy = NULL;
  g_autoptr(JsonNode) node = NULL;

  reins_run_set_parent (run, "parent-id", 4);
  reins_run_set_status (run, REINS_RUN_STATUS_AWAITING_APPROVAL);
  reins_run_set_cost_usd (run, 0.5);
  copy = reins_run_copy (run);
  g_assert_cmpstr (reins_run_get_parent_run_id (copy), ==, "parent-id");
  g_assert_cmpuint (reins_run_get_fork_step (copy), ==, 4);
  g_assert_cmpint (reins_run_get_status (copy), ==, REINS_RUN_STATUS_AWAITING_APPROVAL);
  g_assert_cmpstr (reins_run_get_id (copy), ==, reins_run_get_id (run));

  node = reins_run_to_json (run, NULL);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "fork_step"), ==, 4);
  g_assert_false (json_object_has_member (json_node_get_object (node), "steps"));
}

static void
test_run_malformed (void)
{
  const char *bad[] = {
    "{}",
    "{\"run_id\":\"x\"}",
    "{\"run_id\":\"x\",\"status\":\"done\"}",
    "{\"run_id\":\"\",\"status\":\"running\"}",
    "{\"run_id\":\"x\",\"status\":\"running\",\"step_count\":-1}",
    "{\"run_id\":\"x\",\"status\":\"running\",\"steps\":[{\"step\":0}]}",
    "{\"run_id\":1,\"status\":\"running\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = reins_json_from_string (bad[i], &error);
      g_autoptr(ReinsRun) run = NULL;

      g_assert_no_error (error);
      run = reins_run_new_from_json (node, NULL, &error);
      if (run != NULL)
        g_error ("accepted malformed run %s", bad[i]);
      g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
    }
}

static void
test_events (void)
{
  g_autoptr(ReinsRun) run = reins_run_new ("Find the value");
  g_autoptr(ReinsAction) action = reins_action_new_from_string ("{\"name\":\"write_file\",\"arguments\":{\"path\":\"x\",\"content\":\"y\"}}", NULL);
  g_autoptr(ReinsAction) edited = reins_action_new_from_string ("{\"name\":\"write_file\",\"arguments\":{\"path\":\"z\",\"content\":\"y\"}}", NULL);
  g_autoptr(ReinsApprovalRecord) record = NULL;
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(JsonNode) requested = NULL;
  g_autoptr(JsonNode) resolved = NULL;
  g_autoptr(JsonNode) finished = NULL;
  g_autoptr(JsonNode) token = NULL;
  g_autofree char *line = NULL;
  JsonObject *o;

  reins_run_set_provider (run, "sim");
  reins_run_set_model (run, "sim-1");
  started = reins_event_run_started (run);
  o = json_node_get_object (started);
  g_assert_cmpstr (json_object_get_string_member (o, "event"), ==, "run_started");
  g_assert_cmpstr (json_object_get_string_member (o, "run_id"), ==, reins_run_get_id (run));
  g_assert_cmpstr (json_object_get_string_member (o, "provider"), ==, "sim");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "settings")));

  record = reins_approval_record_new (4, "policy", "write_file changes files", action, NAN);
  requested = reins_event_approval_requested (reins_run_get_id (run), record);
  o = json_node_get_object (requested);
  g_assert_cmpint (json_object_get_int_member (o, "step"), ==, 4);
  g_assert_true (json_object_get_null_member (o, "confidence"));

  reins_approval_record_resolve (record, REINS_DECISION_EDIT, edited, NULL, g_get_real_time ());
  resolved = reins_event_approval_resolved (reins_run_get_id (run), record);
  o = json_node_get_object (resolved);
  g_assert_cmpstr (json_object_get_string_member (o, "decision"), ==, "edit");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_object_get_object_member (o, "action"), "arguments"), "path"), ==, "z");
  g_assert_true (json_object_get_null_member (o, "feedback"));

  reins_run_set_status (run, REINS_RUN_STATUS_TERMINATED);
  reins_run_set_reason (run, "The budget of 1.00 USD is spent.");
  reins_run_set_step_count (run, 7);
  reins_run_set_tokens (run, 5120, 388);
  reins_run_set_cost_usd (run, 0.0141);
  finished = reins_event_run_finished (run);
  o = json_node_get_object (finished);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "terminated");
  g_assert_cmpint (json_object_get_int_member (o, "steps"), ==, 7);
  g_assert_true (json_object_get_null_member (o, "final_answer"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "cost_usd"), 0.0141, 1e-9);

  token = reins_event_token (reins_run_get_id (run), 3, "line\nbreak");
  line = reins_event_to_line (token);
  g_assert_null (strchr (line, '\n'));
}

static void
test_invalid_utf8 (void)
{
  g_autofree char *valid = reins_utf8_make_valid ("ab\xff" "cd", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = reins_json_from_string ("{\"a\":\"\xc3\x28\"}", &error);

  g_assert_true (g_utf8_validate (valid, -1, NULL));
  g_assert_true (g_str_has_prefix (valid, "ab"));
  g_assert_true (g_str_has_suffix (valid, "cd"));
  g_assert_null (node);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
}

static void
test_kb_chain (void)
{
  g_autofree char *key = reins_kb_key (3, 6, 0);
  g_autofree char *value = reins_kb_value (3, 6);
  guint seed = 0, length = 0, index = 0;

  g_assert_cmpstr (key, ==, "chain-3-6/0");

  /* Following the chain takes exactly `length` lookups and ends in the value. */
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *result = reins_kb_lookup (key);
      g_autoptr(JsonNode) node = reins_json_from_string (result, NULL);
      JsonObject *o = json_node_get_object (node);

      g_assert_true (reins_kb_parse_key (key, &seed, &length, &index));
      g_assert_cmpuint (index, ==, i);
      if (i < 5)
        {
          g_free (key);
          key = g_strdup (json_object_get_string_member (o, "next"));
          g_assert_true (g_str_has_prefix (key, "chain-3-6/"));
          g_assert_nonnull (strchr (key, '-'));
        }
      else
        {
          g_assert_cmpstr (json_object_get_string_member (o, "value"), ==, value);
        }
    }
}

static void
test_kb_unknown (void)
{
  g_autofree char *k2 = reins_kb_key (3, 6, 2);
  g_autofree char *wrong_hash = g_strdup (k2);
  const char *bad[] = {
    NULL, "", "chain-3-6/1", "chain-3-6/6", "chain-3-0/0", "chain-03-6/0", "chain-3-6/0 ",
    "chain--3-6/0", "chain-3-6/2-", "chain-99999999999-6/0", "CHAIN-3-6/0", "chain-3-6/2-zzzz",
  };
  guint seed, length;

  wrong_hash[strlen (wrong_hash) - 1] = wrong_hash[strlen (wrong_hash) - 1] == '0' ? '1' : '0';
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *result = reins_kb_lookup (bad[i]);
      g_assert_cmpstr (result, ==, "{\"error\": \"unknown key\"}");
    }
  {
    g_autofree char *result = reins_kb_lookup (wrong_hash);
    g_assert_cmpstr (result, ==, "{\"error\": \"unknown key\"}");
  }

  g_assert_true (reins_kb_parse_task ("Follow chain-12-5/0 please", &seed, &length));
  g_assert_cmpuint (seed, ==, 12);
  g_assert_cmpuint (length, ==, 5);
  g_assert_false (reins_kb_parse_task ("What is the weather?", &seed, &length));
  g_assert_false (reins_kb_parse_task ("xchain-1-2/0", &seed, &length));
}

static void
test_json_writer (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) back = NULL;
  g_autofree char *text = NULL;
  g_autofree char *pretty = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "cost");
  json_builder_add_double_value (builder, 0.0141);
  json_builder_set_member_name (builder, "sum");
  json_builder_add_double_value (builder, 0.1 + 0.2);
  json_builder_set_member_name (builder, "whole");
  json_builder_add_double_value (builder, 2.0);
  json_builder_set_member_name (builder, "n");
  json_builder_add_int_value (builder, -42);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, "a \"quote\", a \\ and\na\ttab\x01 — ünï");
  json_builder_set_member_name (builder, "list");
  json_builder_begin_array (builder);
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_add_null_value (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "empty");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  text = reins_json_to_string (node, FALSE);
  g_assert_nonnull (strstr (text, "\"cost\":0.0141,"));
  g_assert_nonnull (strstr (text, "\"whole\":2.0,"));
  g_assert_nonnull (strstr (text, "\"n\":-42"));
  g_assert_nonnull (strstr (text, "\\u0001"));
  g_assert_null (strchr (text, '\n'));

  /* Exact: 0.1 + 0.2 keeps all the digits it needs to read back the same. */
  back = reins_json_from_string (text, NULL);
  g_assert_true (json_node_equal (node, back));

  pretty = reins_json_to_string (node, TRUE);
  g_assert_nonnull (strchr (pretty, '\n'));
  {
    g_autoptr(JsonNode) again = reins_json_from_string (pretty, NULL);
    g_assert_true (json_node_equal (node, again));
  }
}

static char *
nested (const char *open,
        guint       depth,
        const char *inner,
        const char *close)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (text, open);
  g_string_append (text, inner);
  for (guint i = 0; i < depth; i++)
    g_string_append (text, close);
  return g_string_free (text, FALSE);
}

static void
assert_too_deep (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = reins_json_parse_bounded (text, -1, REINS_JSON_MAX_DEPTH, &error);

  g_assert_null (node);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "nested deeper than 512 levels"));
}

static void
test_json_depth (void)
{
  /* At the limit: read. One past it, and 100,000 levels (200 KB, which overflowed the
   * stack in json-glib's parser): refused before json-glib sees them. */
  {
    g_autofree char *text = nested ("[", REINS_JSON_MAX_DEPTH, "1", "]");
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = reins_json_parse_bounded (text, -1, REINS_JSON_MAX_DEPTH, &error);

    g_assert_no_error (error);
    g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  }
  {
    g_autofree char *text = nested ("[", REINS_JSON_MAX_DEPTH + 1, "1", "]");
    assert_too_deep (text);
  }
  {
    g_autofree char *text = nested ("{\"a\":", 100000, "1", "}");
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = reins_json_from_string (text, &error);

    g_assert_null (node);
    g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
  }
  {
    /* Unclosed, as a cut stream would be. */
    g_autofree char *text = nested ("[", 100000, "", "");
    assert_too_deep (text);
  }

  /* Brackets inside strings and comments are not nesting … */
  {
    g_autofree char *brackets = nested ("[", 2000, "", "");
    g_autofree char *in_dq = g_strdup_printf ("[\"%s\", \"\\\"%s\"]", brackets, brackets);
    g_autofree char *in_sq = g_strdup_printf ("['%s']", brackets);
    g_autofree char *in_comment = g_strdup_printf ("[1, /* %s */ 2]", brackets);
    const char *texts[] = { in_dq, in_sq, in_comment };

    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(JsonNode) node = reins_json_parse_bounded (texts[i], -1,
                                                             REINS_JSON_MAX_DEPTH, &error);

        g_assert_no_error (error);
        g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
      }
  }

  /* … but quotes that json-glib does not read as the start of a string cannot hide any:
   * a double quote inside single quotes, an escaped backslash before a closing quote, a
   * quote inside a comment. */
  {
    g_autofree char *deep = nested ("[", 5000, "", "]");
    g_autofree char *a = g_strdup_printf ("['\"', %s]", deep);
    g_autofree char *b = g_strdup_printf ("[\"\\\\\", %s]", deep);
    g_autofree char *c = g_strdup_printf ("[/* \" */ %s]", deep);
    g_autofree char *d = g_strdup_printf ("[\"'\", %s]", deep);

    assert_too_deep (a);
    assert_too_deep (b);
    assert_too_deep (c);
    assert_too_deep (d);
  }

  /* Malformed input: an error, never a crash. */
  {
    const char *bad[] = { "", "   ", "[", "{\"a\"", "\"open", "'open", "/*", "/* a", "[1]]]",
                          "]]]]", "{]", "\\", "\"\\",
                          /* \u without its four hex digits (json-glib leaked on these) */
                          "[\"\\u12\"]", "[\"\\ud8 \\u\"]", "[\"\\uZZZZ\"]", "\"\\u" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(JsonNode) node = reins_json_parse_bounded (bad[i], -1, REINS_JSON_MAX_DEPTH,
                                                             &error);

        g_assert_null (node);
        g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
      }
  }

  /* Only @length bytes count. */
  g_assert_true (reins_json_check_bounds ("[[[", 1, 1, NULL));
  g_assert_false (reins_json_check_bounds ("[[[", 2, 1, NULL));

  /* json-glib reads "{} {}" as one document, keeps the last value and leaks the others:
   * several values are refused; one, with spaces and comments around it, is not. */
  {
    const char *several[] = { "{} {}", "[] []", "1 {}", "\"x\"[1]", "{\"a\":1} {\"b\": 2}",
                              "true false", "1 2", "[1] /* c */ 2", "'a' 'b'",
                              "2/*/{\"a\": 1}", "2/* /{\"a\": 1}", "2/*\v\v/[1]",
                              "{\"a\"/x/: {}} {}" };
    const char *one[] = { " {\"a\": [1, -2.5e3, true, null]} ", "/* c */ [1] /* d */", "-1.5e3",
                          "\"[\"", "'x'", "\n\ttrue\r\n", "[1, /* [ */ 2]",
                          "[1, /* [[[[ / 2]", "[1, /*/ 2]", "{\"a\"/x/:1}", "[1/ [[[ /]", "[1, /* \" / \"\\ud800\\u0041\"]" };

    for (guint i = 0; i < G_N_ELEMENTS (several); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(JsonNode) node = reins_json_parse_bounded (several[i], -1,
                                                             REINS_JSON_MAX_DEPTH, &error);

        if (node != NULL)
          g_error ("accepted several values: %s", several[i]);
        g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
        g_assert_nonnull (strstr (error->message, "more than one value"));
      }
    for (guint i = 0; i < G_N_ELEMENTS (one); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(JsonNode) node = reins_json_parse_bounded (one[i], -1, REINS_JSON_MAX_DEPTH,
                                                             &error);

        if (node == NULL)
          g_error ("refused “%s”: %s", one[i], error->message);
      }
  }
}

static void
test_json_invalid_escapes (void)
{
  /* json-glib decodes an octal escape or a lone surrogate to bytes that are not UTF-8, after
   * it checked its input. Every string comes out valid, member names too; valid text is
   * left as it was. */
  const char *text = "{\"a\": \"x\\201y\", \"\\201k\": [\"\\ud800x\", \"caf\\u00e9\"], "
                     "\"ok\": \"fine\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = reins_json_from_string (text, &error);
  g_autofree char *back = NULL;
  JsonObject *object;
  JsonArray *array;
  g_autoptr(GList) members = NULL;

  g_assert_no_error (error);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "a"), ==, "x\xef\xbf\xbdy");
  g_assert_cmpstr (json_object_get_string_member (object, "ok"), ==, "fine");
  g_assert_true (json_object_has_member (object, "\xef\xbf\xbdk"));
  array = json_object_get_array_member (object, "\xef\xbf\xbdk");
  g_assert_true (g_utf8_validate (json_array_get_string_element (array, 0), -1, NULL));
  g_assert_cmpstr (json_array_get_string_element (array, 1), ==, "caf\xc3\xa9");
  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    g_assert_true (g_utf8_validate (l->data, -1, NULL));

  back = reins_json_to_string (node, FALSE);
  g_assert_true (g_utf8_validate (back, -1, NULL));

  /* UTF-16 surrogates: a pair is one character; one without its pair is U+FFFD, wherever it
   * stands (json-glib refused a lone low one, and leaked on a high one before an escape). */
  {
    const char *cases[][2] = {
      { "[\"\\ud83d\\ude00\"]", "\xf0\x9f\x98\x80" },
      { "[\"\\ud800\\u0041\"]", "\xef\xbf\xbd" "A" },
      { "[\"\\udc00\"]", "\xef\xbf\xbd" },
      { "[\"a\\ud800\"]", "a\xef\xbf\xbd" },
      { "[\"\\\\ud800\"]", "\\ud800" },
      { "['\\ud800']", "\\ud800" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(GError) local_error = NULL;
        g_autoptr(JsonNode) read = reins_json_from_string (cases[i][0], &local_error);

        g_assert_no_error (local_error);
        g_assert_cmpstr (json_array_get_string_element (json_node_get_array (read), 0), ==,
                         cases[i][1]);
      }
  }

  /* An action's arguments, as a model would write them. */
  {
    g_autoptr(ReinsAction) action =
      reins_action_new_from_string ("{\"name\": \"write_file\", \"arguments\": "
                                    "{\"path\": \"a\\201.txt\", \"content\": \"\\377\"}}",
                                    &error);
    g_autofree char *args = NULL;

    g_assert_no_error (error);
    args = reins_action_dup_arguments_json (action);
    g_assert_true (g_utf8_validate (args, -1, NULL));
    g_assert_nonnull (strstr (args, "a\xef\xbf\xbd.txt"));
  }
}

/* A tree built bottom-up; freed bottom-up too, since json-glib frees recursively. */
typedef struct
{
  JsonNode  *root;
  GPtrArray *arrays;
} DeepTree;

static void
deep_tree_init (DeepTree *tree,
                guint     depth)
{
  JsonNode *node = json_node_new (JSON_NODE_NULL);

  tree->arrays = g_ptr_array_new ();
  for (guint i = 0; i < depth; i++)
    {
      JsonArray *array = json_array_new ();
      JsonNode *parent = json_node_new (JSON_NODE_ARRAY);

      json_array_add_element (array, node);
      json_node_take_array (parent, array);
      g_ptr_array_add (tree->arrays, array);
      node = parent;
    }
  tree->root = node;
}

static void
deep_tree_clear (DeepTree *tree)
{
  for (guint i = 0; i < tree->arrays->len; i++)
    json_array_remove_element (g_ptr_array_index (tree->arrays, i), 0);
  json_node_unref (tree->root);
  g_ptr_array_free (tree->arrays, TRUE);
}

static void
test_json_writer_deep (void)
{
  DeepTree tree;

  /* 200,000 levels: the recursive writer overflowed its thread's stack on far less. */
  deep_tree_init (&tree, 200000);
  {
    g_autofree char *text = reins_json_to_string (tree.root, FALSE);

    g_assert_cmpuint (strlen (text), ==, 2 * 200000 + strlen ("null"));
    g_assert_true (g_str_has_prefix (text, "[[[["));
    g_assert_true (g_str_has_suffix (text, "]]]]"));
    g_assert_nonnull (strstr (text, "[[null]]"));
  }
  deep_tree_clear (&tree);

  /* Pretty output of 10,000 levels was 200 MB of indentation; the indentation now stops at
   * 32 levels, so it grows linearly. */
  deep_tree_init (&tree, 10000);
  {
    g_autofree char *text = reins_json_to_string (tree.root, TRUE);

    g_assert_cmpuint (strlen (text), <, 2 * 10000 * (2 + 2 * 32 + 1));
    g_assert_cmpuint (strlen (text), >, 2 * 10000 * (2 + 2 * 32 - 1) - 10000);
  }
  deep_tree_clear (&tree);

  /* Shallow pretty output is indented as before. */
  {
    g_autoptr(JsonNode) node =
      reins_json_from_string ("{\"a\": [1, {\"b\": []}], \"c\": {}, \"d\": \"e\"}", NULL);
    g_autofree char *text = reins_json_to_string (node, TRUE);
    g_autofree char *compact = reins_json_to_string (node, FALSE);

    g_assert_cmpstr (text, ==,
                     "{\n"
                     "  \"a\": [\n"
                     "    1,\n"
                     "    {\n"
                     "      \"b\": []\n"
                     "    }\n"
                     "  ],\n"
                     "  \"c\": {},\n"
                     "  \"d\": \"e\"\n"
                     "}");
    g_assert_cmpstr (compact, ==, "{\"a\":[1,{\"b\":[]}],\"c\":{},\"d\":\"e\"}");
  }
}

/* Who decided what (issue 13): a sentence for each decision, by the person, by policy or
 * by a command-line option, and the decider kept through JSON. */
static void
test_approval_summary (void)
{
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsAction) action = NULL;
  struct {
    const char   *guard;
    ReinsDecision decision;
    const char   *decided_by;
    const char   *feedback;
    const char   *expected;
  } cases[] = {
    { "policy", REINS_DECISION_NONE, NULL, NULL, "Waiting for a person" },
    { "policy", REINS_DECISION_APPROVE, NULL, NULL, "Approved by you" },
    { "policy", REINS_DECISION_EDIT, NULL, NULL, "Edited by you" },
    { "policy", REINS_DECISION_REJECT, NULL, "Not that file.", "Rejected by you: “Not that file.”" },
    { "policy", REINS_DECISION_REJECT, NULL, NULL, "Rejected by you" },
    { "loop", REINS_DECISION_STOP, NULL, NULL, "Stopped by you" },
    { "ask_human", REINS_DECISION_APPROVE, NULL, "Blue.", "Answered by you: “Blue.”" },
    { "policy", REINS_DECISION_APPROVE, "--approve=yes", NULL,
      "Approved automatically (--approve=yes)" },
    { "ask_human", REINS_DECISION_REJECT, "--approve=yes", NULL,
      "Rejected automatically (--approve=yes)" },
    { "policy", REINS_DECISION_APPROVE, REINS_DECIDED_BY_POLICY, NULL, "Approved by policy" },
    { "policy", REINS_DECISION_REJECT, REINS_DECIDED_BY_POLICY, NULL, "Rejected by policy" },
  };

  json_object_set_string_member (args, "path", "a.txt");
  action = reins_action_new ("write_file", args);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ReinsApprovalRecord) record =
        reins_approval_record_new (3, cases[i].guard, "Why", action, NAN);
      g_autoptr(ReinsApprovalRecord) copy = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *summary = NULL;
      g_autofree char *copy_summary = NULL;

      reins_approval_record_set_decided_by (record, cases[i].decided_by);
      if (cases[i].decision != REINS_DECISION_NONE)
        reins_approval_record_resolve (record, cases[i].decision, action, cases[i].feedback,
                                       g_get_real_time ());
      summary = reins_approval_record_dup_summary (record);
      g_assert_cmpstr (summary, ==, cases[i].expected);
      g_assert_cmpint (reins_approval_record_is_automatic (record), ==,
                       cases[i].decided_by != NULL);

      node = reins_approval_record_to_json (record);
      copy = reins_approval_record_new_from_json (node, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (reins_approval_record_get_decided_by (copy), ==, cases[i].decided_by);
      copy_summary = reins_approval_record_dup_summary (copy);
      g_assert_cmpstr (copy_summary, ==, summary);
    }

  /* An empty decider is the person; a decider that is not a string is refused. */
  {
    g_autoptr(ReinsApprovalRecord) record =
      reins_approval_record_new (1, "policy", "Why", action, NAN);
    g_autoptr(JsonNode) bad = NULL;
    g_autoptr(ReinsApprovalRecord) refused = NULL;
    g_autoptr(GError) error = NULL;

    reins_approval_record_set_decided_by (record, "");
    g_assert_null (reins_approval_record_get_decided_by (record));
    bad = json_from_string ("{\"step\":1,\"guard\":\"policy\",\"reason\":\"r\","
                            "\"decision\":\"approve\",\"decided_by\":7}", NULL);
    refused = reins_approval_record_new_from_json (bad, &error);
    g_assert_null (refused);
    g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
  }
}

/* Every default in one place; what is stored wins; a wrong type reads as the default. */
static void
test_run_settings (void)
{
  g_autoptr(ReinsRunSettings) defaults = reins_run_settings_new ();
  g_autoptr(ReinsRunSettings) stored = NULL;
  g_autoptr(ReinsRunSettings) wrong = NULL;
  g_autoptr(ReinsRunSettings) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) bad = NULL;

  g_assert_cmpstr (reins_run_settings_get_mode (defaults), ==, "tools");
  g_assert_cmpuint (reins_run_settings_get_max_steps (defaults), ==, 20);
  g_assert_cmpfloat (reins_run_settings_get_budget_usd (defaults), ==, 1.0);
  g_assert_cmpfloat (reins_run_settings_get_confidence_threshold (defaults), ==, 0.7);
  g_assert_cmpfloat (reins_run_settings_get_loop_threshold (defaults), ==, 0.92);
  g_assert_cmpuint (reins_run_settings_get_goal_every (defaults), ==, 3);
  g_assert_cmpuint (reins_run_settings_get_tool_timeout_s (defaults), ==, 30);
  g_assert_cmpuint (reins_run_settings_get_provider_timeout_s (defaults), ==, 300);
  g_assert_cmpuint (reins_run_settings_get_mcp_max_tools (defaults), ==, 128);
  g_assert_cmpfloat (reins_run_settings_get_sim_accuracy (defaults), ==, 0.88);
  g_assert_true (reins_run_settings_get_stream (defaults));

  node = json_from_string ("{\"mode\": \"react\", \"max_steps\": 7, \"budget_usd\": 2,"
                           " \"confidence_threshold\": 0.55, \"loop_threshold\": 0.8,"
                           " \"goal_every\": 0, \"tool_timeout_s\": 5, \"provider_timeout\": 9,"
                           " \"mcp_max_tools\": 4, \"sim_accuracy\": 1.0, \"stream\": false}",
                           NULL);
  stored = reins_run_settings_new_from_json (json_node_get_object (node));
  copy = reins_run_settings_copy (stored);
  g_assert_cmpstr (reins_run_settings_get_mode (copy), ==, "react");
  g_assert_cmpuint (reins_run_settings_get_max_steps (copy), ==, 7);
  g_assert_cmpfloat (reins_run_settings_get_budget_usd (copy), ==, 2.0);
  g_assert_cmpfloat (reins_run_settings_get_confidence_threshold (copy), ==, 0.55);
  g_assert_cmpfloat (reins_run_settings_get_loop_threshold (copy), ==, 0.8);
  g_assert_cmpuint (reins_run_settings_get_goal_every (copy), ==, 0);
  g_assert_cmpuint (reins_run_settings_get_tool_timeout_s (copy), ==, 5);
  g_assert_cmpuint (reins_run_settings_get_provider_timeout_s (copy), ==, 9);
  g_assert_cmpuint (reins_run_settings_get_mcp_max_tools (copy), ==, 4);
  g_assert_cmpfloat (reins_run_settings_get_sim_accuracy (copy), ==, 1.0);
  g_assert_false (reins_run_settings_get_stream (copy));

  /* Malformed values: the defaults, never a crash; negative counts are zero. */
  bad = json_from_string ("{\"mode\": 3, \"max_steps\": \"many\", \"budget_usd\": null,"
                          " \"confidence_threshold\": [1], \"goal_every\": -4,"
                          " \"stream\": \"yes\"}", NULL);
  wrong = reins_run_settings_new_from_json (json_node_get_object (bad));
  g_assert_cmpstr (reins_run_settings_get_mode (wrong), ==, "tools");
  g_assert_cmpuint (reins_run_settings_get_max_steps (wrong), ==, 20);
  g_assert_cmpfloat (reins_run_settings_get_budget_usd (wrong), ==, 1.0);
  g_assert_cmpfloat (reins_run_settings_get_confidence_threshold (wrong), ==, 0.7);
  g_assert_cmpuint (reins_run_settings_get_goal_every (wrong), ==, 0);
  g_assert_true (reins_run_settings_get_stream (wrong));
}

/* The one printer of report figures: each kind as its JSON type, in order, NULL text as
 * null; and a ratio of nothing is 0, not NaN. */
static void
test_json_figures (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  const ReinsJsonFigure figures[] = {
    REINS_JSON_INT ("runs", 3),
    REINS_JSON_DOUBLE ("rate", 0.5),
    REINS_JSON_STRING ("name", "a"),
    REINS_JSON_STRING ("none", NULL),
  };

  json_builder_begin_object (builder);
  reins_json_add_figures (builder, figures, G_N_ELEMENTS (figures));
  reins_json_add_figures (builder, NULL, 0);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  g_assert_cmpstr (text, ==, "{\"runs\":3,\"rate\":0.5,\"name\":\"a\",\"none\":null}");

  g_assert_cmpfloat (reins_ratio (1, 4), ==, 0.25);
  g_assert_cmpfloat (reins_ratio (3, 0), ==, 0);
}

/* A peer's string member, whatever type it really has: never a critical. */
static void
test_json_string_or (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = reins_json_from_string ("{\"name\": \"fs\", \"obj\": {}, \"arr\": [1],"
                                                     " \"num\": 3, \"nul\": null}", &error);
  JsonObject *object;

  g_assert_no_error (error);
  object = json_node_get_object (node);
  g_assert_cmpstr (reins_json_string_or (object, "name", "?"), ==, "fs");
  g_assert_cmpstr (reins_json_string_or (object, "obj", "?"), ==, "?");
  g_assert_cmpstr (reins_json_string_or (object, "arr", "?"), ==, "?");
  g_assert_cmpstr (reins_json_string_or (object, "num", "?"), ==, "?");
  g_assert_cmpstr (reins_json_string_or (object, "nul", "?"), ==, "?");
  g_assert_cmpstr (reins_json_string_or (object, "missing", "?"), ==, "?");
  g_assert_null (reins_json_string_or (NULL, "name", NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reins/domain/enums", test_enums);
  g_test_add_func ("/reins/domain/action/parse", test_action_parse);
  g_test_add_func ("/reins/domain/action/malformed", test_action_malformed);
  g_test_add_func ("/reins/domain/records-own-their-json", test_records_own_their_json);
  g_test_add_func ("/reins/domain/step/contract-fixture", test_step_contract_fixture);
  g_test_add_func ("/reins/domain/step/allow-left-out", test_step_allow_left_out);
  g_test_add_func ("/reins/domain/step/malformed", test_step_malformed);
  g_test_add_func ("/reins/domain/run/contract-fixture", test_run_contract_fixture);
  g_test_add_func ("/reins/domain/run/fork-and-copy", test_run_fork_and_copy);
  g_test_add_func ("/reins/domain/run/malformed", test_run_malformed);
  g_test_add_func ("/reins/domain/events", test_events);
  g_test_add_func ("/reins/domain/approval/summary", test_approval_summary);
  g_test_add_func ("/reins/domain/invalid-utf8", test_invalid_utf8);

  g_test_add_func ("/reins/domain/json-writer", test_json_writer);
  g_test_add_func ("/reins/domain/json/depth", test_json_depth);
  g_test_add_func ("/reins/domain/json/invalid-escapes", test_json_invalid_escapes);
  g_test_add_func ("/reins/domain/json/writer-deep", test_json_writer_deep);
  g_test_add_func ("/reins/domain/kb/chain", test_kb_chain);
  g_test_add_func ("/reins/domain/kb/unknown", test_kb_unknown);
  g_test_add_func ("/reins/domain/run-settings", test_run_settings);
  g_test_add_func ("/reins/domain/json/string-or", test_json_string_or);
  g_test_add_func ("/reins/domain/json/figures", test_json_figures);

  return g_test_run ();
}
