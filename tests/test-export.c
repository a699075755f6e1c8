/* test-export.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exports of a run: JSON that parses back to equal records, a Markdown report that no
 * stored text can break, and no secret settings in either.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "reins-domain.h"
#include "reins-export.h"
#include "reins-test-util.h"

static ReinsRun *
make_run (void)
{
  ReinsRun *run = reins_run_new ("Find the *keeper*\nof the # lighthouse");
  g_autoptr(JsonNode) settings =
    reins_json_from_string ("{\"max_steps\":20,\"max_tokens\":512,\"api_key\":\"sk-very-secret\","
                            "\"provider\":{\"OpenAI_API_Key\":\"sk-nested-secret\","
                            "\"url\":\"http://x\","
                            "\"list\":[{\"password\":\"p\",\"keep\":true}]}}",
                            NULL);

  reins_run_set_provider (run, "openai");
  reins_run_set_model (run, "gpt-test");
  reins_run_set_settings (run, json_node_get_object (settings));
  reins_run_set_status (run, REINS_RUN_STATUS_COMPLETED);
  reins_run_set_final_answer (run, "Ada Marlowe.");
  reins_run_set_reason (run, "The agent gave a final answer.");
  reins_run_set_tokens (run, 1624, 114);
  reins_run_set_cost_usd (run, 0.0042);
  reins_run_set_step_count (run, 2);
  reins_run_set_created_at (run, 1767225600000000);
  reins_run_set_finished_at (run, 1767225660000000);
  reins_run_set_parent (run, "5b0f3c1e-8a5e-4a43-9d55-0c6c0e6d2a11", 2);
  return run;
}

static GPtrArray *
make_steps (ReinsRun   *run,
            const char *thought,
            const char *observation)
{
  GPtrArray *steps = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsAction) action = NULL;
  g_autoptr(ReinsAction) edited = NULL;
  g_autoptr(ReinsVerdict) verdict = NULL;
  g_autoptr(ReinsApprovalRecord) approval = NULL;
  ReinsStep *one = reins_step_new (reins_run_get_id (run), 1);
  ReinsStep *two = reins_step_new (reins_run_get_id (run), 2);
  guint loop_steps[] = { 1 };

  json_object_set_string_member (args, "path", "register.txt");
  action = reins_action_new ("read_file", args);
  reins_step_set_thought (one, thought);
  reins_step_set_action (one, action);
  reins_step_set_observation (one, observation);
  reins_step_set_confidence (one, 0.83, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  reins_step_set_tokens (one, 812, 57);
  reins_step_set_cost (one, 0.0021, 0.0021);
  reins_step_set_duration_ms (one, 1840);
  reins_step_set_started_at (one, 1767225601000000);
  verdict = reins_verdict_new_with_steps ("loop", REINS_VERDICT_CORRECT,
                                          "The same lookup twice in a row.", loop_steps, 1);
  reins_step_add_verdict (one, verdict);
  g_ptr_array_add (steps, one);

  edited = reins_action_new ("finish", NULL);
  reins_step_set_thought (two, "I have the name.");
  reins_step_set_action (two, edited);
  reins_step_set_confidence (two, 0.7, REINS_CONFIDENCE_SOURCE_DEFAULT);
  reins_step_set_tokens (two, 812, 57);
  reins_step_set_cost (two, 0.0021, 0.0042);
  approval = reins_approval_record_new (2, "confidence", "Confidence 0.70 is below 0.75.",
                                        action, 0.7);
  reins_approval_record_set_requested_at (approval, 1767225642000000);
  reins_approval_record_resolve (approval, REINS_DECISION_EDIT, edited, "Give the full name",
                                 1767225650000000);
  reins_step_add_approval (two, approval);
  g_ptr_array_add (steps, two);

  return steps;
}

static void
test_json_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsRun) run = make_run ();
  g_autoptr(GPtrArray) steps = make_steps (run, "Look in the register.", "Keeper: Ada Marlowe");
  g_autofree char *text = reins_export_json (run, steps);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(JsonNode) actual = NULL;
  g_autoptr(GPtrArray) parsed_steps = NULL;
  g_autoptr(ReinsRun) parsed = NULL;
  g_autofree char *e = NULL;
  g_autofree char *a = NULL;
  JsonObject *settings;
  JsonObject *provider;

  g_assert_true (g_str_has_suffix (text, "}\n"));
  node = reins_json_from_string (text, &error);
  g_assert_no_error (error);
  parsed = reins_run_new_from_json (node, &parsed_steps, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parsed_steps->len, ==, 2);

  /* Equal but for the secret settings, which are gone. */
  settings = reins_run_get_settings (run);
  json_object_remove_member (settings, "api_key");
  provider = json_object_get_object_member (settings, "provider");
  json_object_remove_member (provider, "OpenAI_API_Key");
  json_object_remove_member (json_array_get_object_element (
                               json_object_get_array_member (provider, "list"), 0),
                             "password");
  expected = reins_run_to_json (run, steps);
  actual = reins_run_to_json (parsed, parsed_steps);
  e = reins_json_to_string (expected, TRUE);
  a = reins_json_to_string (actual, TRUE);
  g_assert_cmpstr (a, ==, e);
}

static void
test_json_no_secrets (void)
{
  g_autoptr(ReinsRun) run = make_run ();
  g_autofree char *text = reins_export_json (run, NULL);

  g_assert_null (strstr (text, "secret"));
  g_assert_null (g_strstr_len (text, -1, "api_key"));
  g_assert_null (strstr (text, "API_Key"));
  g_assert_null (strstr (text, "password"));
  g_assert_nonnull (strstr (text, "\"max_tokens\""));
  g_assert_nonnull (strstr (text, "\"keep\""));
  g_assert_nonnull (strstr (text, "\"steps\": ["));
  /* The run itself keeps its settings; only the export leaves them out. */
  g_assert_true (json_object_has_member (reins_run_get_settings (run), "api_key"));

  g_assert_true (reins_export_is_secret_key ("OPENAI_API_KEY"));
  g_assert_true (reins_export_is_secret_key ("client_secret"));
  g_assert_true (reins_export_is_secret_key ("hf_token"));
  g_assert_true (reins_export_is_secret_key ("Token"));
  g_assert_false (reins_export_is_secret_key ("max_tokens"));
  g_assert_false (reins_export_is_secret_key ("input_tokens"));
  g_assert_false (reins_export_is_secret_key ("model"));
}

static void
test_markdown_sections (void)
{
  g_autoptr(ReinsRun) run = make_run ();
  g_autoptr(GPtrArray) steps = make_steps (run, "Look in the register.", "Keeper: Ada Marlowe");
  g_autofree char *md = reins_export_markdown (run, steps);
  const char *expected[] = {
    "# Run: Find the \\*keeper\\*\n",
    "## Task\n\n```text\nFind the *keeper*\nof the # lighthouse\n```\n",
    "## Final answer\n\n```text\nAda Marlowe.\n```\n",
    "## Reason\n\nThe agent gave a final answer.\n",
    "| Status | completed |",
    "| Cost | $0.0042 |",
    "| Tokens | 1624 in, 114 out |",
    "forked from 5b0f3c1e",
    "## Steps\n",
    "### Step 1 — read\\_file\n",
    "**Thought**\n\n```text\nLook in the register.\n```\n",
    "**Action**\n\n```json\n{\n  \"name\": \"read_file\",",
    "**Observation**\n\n```text\nKeeper: Ada Marlowe\n```\n",
    "- Confidence: 0.83 (from log-probabilities)\n",
    "- Confidence: 0.70 (default value: no log-probabilities)\n",
    "- Tokens: 812 in, 57 out\n",
    "- Cost: $0.0021 (run total $0.0042)\n",
    "**Harness interventions**\n\n- loop — correct: The same lookup twice in a row.\n",
    "**Decisions**\n\n- **Edited by you: “Give the full name”** at 2026-01-01T00:00:50Z"
      " (after 8 s) — asked by confidence: Confidence 0.70 is below 0.75. (confidence 0.70)\n",
    "  Before the edit:\n\n```json\n{\n  \"name\": \"read_file\",",
    "  After the edit:\n\n```json\n{\n  \"name\": \"finish\",",
    "### Step 2 — finish\n",
    NULL
  };

  for (guint i = 0; expected[i] != NULL; i++)
    if (strstr (md, expected[i]) == NULL)
      g_error ("the report lacks “%s”:\n%s", expected[i], md);

  /* Nothing secret, and no settings at all */
  g_assert_null (strstr (md, "secret"));
  g_assert_true (g_str_has_suffix (md, "\n"));
  g_assert_false (g_str_has_suffix (md, "\n\n"));
}

/* Returns the text between the line that opens a fence of @fence and the next line that is
 * exactly @fence, as a Markdown reader would see the block. */
static char *
fenced_block_after (const char *md,
                    const char *opening)
{
  const char *start = strstr (md, opening);
  g_autofree char *fence = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  guint n_ticks = 0;

  g_assert_nonnull (start);
  while (start[n_ticks] == '`')
    n_ticks++;
  fence = g_strndup (start, n_ticks);
  start = strchr (start, '\n') + 1;
  lines = g_strsplit (start, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      /* CommonMark: a closing fence has at least as many backticks and nothing else */
      const char *l = lines[i];
      guint ticks = 0;

      while (l[ticks] == '`')
        ticks++;
      if (ticks >= n_ticks && l[ticks] == '\0')
        return g_string_free (g_steal_pointer (&body), FALSE);
      g_string_append_printf (body, "%s%s", body->len > 0 || i > 0 ? "\n" : "", l);
    }
  g_error ("the fence %s is never closed", fence);
  return NULL;
}

static void
test_markdown_fences (void)
{
  const char *thought = "Here is code:\n```\n# not a heading\n```\nand ````` five.";
  g_autoptr(ReinsRun) run = make_run ();
  g_autoptr(GPtrArray) steps = make_steps (run, thought, "```json\n{\"x\": 1}\n```");
  g_autofree char *md = reins_export_markdown (run, steps);
  g_autofree char *thought_block = NULL;
  g_autofree char *observation_block = NULL;

  /* The longest backtick run is 5, so the fence is 6. */
  g_assert_nonnull (strstr (md, "\n``````text\nHere is code:"));
  thought_block = fenced_block_after (md, "``````text\nHere is code:");
  g_assert_cmpstr (thought_block, ==, thought);

  g_assert_nonnull (strstr (md, "\n````text\n```json"));
  observation_block = fenced_block_after (md, "````text\n```json");
  g_assert_cmpstr (observation_block, ==, "```json\n{\"x\": 1}\n```");

  /* What follows the step is still structure, not swallowed by a block. */
  g_assert_nonnull (strstr (md, "\n### Step 2 — finish\n"));
}

static void
test_markdown_long_observation (void)
{
  g_autoptr(ReinsRun) run = make_run ();
  g_autoptr(GString) observation = g_string_new (NULL);
  g_autoptr(GPtrArray) steps = NULL;
  g_autofree char *md = NULL;
  g_autofree char *json = NULL;

  /* 10,000 characters, of which many take two bytes: the cut counts characters. */
  for (guint i = 0; i < 5000; i++)
    g_string_append (observation, "é.");
  steps = make_steps (run, "Read the log.", observation->str);
  md = reins_export_markdown (run, steps);
  json = reins_export_json (run, steps);

  g_assert_nonnull (strstr (md, "[… 6000 more characters; the JSON export has all of it]"));
  g_assert_true (g_utf8_validate (md, -1, NULL));
  g_assert_null (strstr (md, observation->str));
  g_assert_nonnull (strstr (json, observation->str));
}

static void
test_markdown_bare_run (void)
{
  g_autoptr(ReinsRun) run = reins_run_new ("Nothing happened yet");
  g_autofree char *md = reins_export_markdown (run, NULL);
  g_autofree char *json = reins_export_json (run, NULL);
  g_autoptr(JsonNode) node = reins_json_from_string (json, NULL);
  JsonArray *steps;

  g_assert_nonnull (strstr (md, "## Final answer\n\n(none)\n"));
  g_assert_nonnull (strstr (md, "(no steps)"));
  g_assert_nonnull (strstr (md, "an original run, not a fork"));
  g_assert_nonnull (node);
  steps = json_object_get_array_member (json_node_get_object (node), "steps");
  g_assert_cmpuint (json_array_get_length (steps), ==, 0);
}

/* Tags and the note are added as new members, and only when given: the run object of an
 * export without them is what it was. */
static void
test_json_labels (void)
{
  g_autoptr(ReinsRun) run = make_run ();
  g_autoptr(GPtrArray) steps = make_steps (run, "Look in the register.", "Keeper: Ada Marlowe");
  const char *tags[] = { "checked", "lighthouse", NULL };
  const char *none[] = { NULL };
  g_autofree char *plain = reins_export_json (run, steps);
  g_autofree char *labelled = reins_export_json_labelled (run, steps, tags,
                                                          "Right answer,\nslow \"search\".");
  g_autofree char *untagged = reins_export_json_labelled (run, steps, none, NULL);
  g_autoptr(JsonNode) plain_node = reins_json_from_string (plain, NULL);
  g_autoptr(JsonNode) node = reins_json_from_string (labelled, NULL);
  g_autoptr(JsonNode) untagged_node = reins_json_from_string (untagged, NULL);
  JsonObject *object;
  JsonArray *array;

  g_assert_nonnull (plain_node);
  g_assert_false (json_object_has_member (json_node_get_object (plain_node), "tags"));
  g_assert_false (json_object_has_member (json_node_get_object (plain_node), "note"));

  g_assert_nonnull (node);
  object = json_node_get_object (node);
  array = json_object_get_array_member (object, "tags");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (array, 0), ==, "checked");
  g_assert_cmpstr (json_array_get_string_element (array, 1), ==, "lighthouse");
  g_assert_cmpstr (json_object_get_string_member (object, "note"), ==,
                   "Right answer,\nslow \"search\".");

  /* Everything else is unchanged */
  json_object_remove_member (object, "tags");
  json_object_remove_member (object, "note");
  g_assert_true (json_node_equal (node, plain_node));

  g_assert_nonnull (untagged_node);
  object = json_node_get_object (untagged_node);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "tags")), ==, 0);
  g_assert_true (json_object_has_member (object, "note"));
  g_assert_true (json_object_get_null_member (object, "note"));
}

static void
test_markdown_labels (void)
{
  g_autoptr(ReinsRun) run = make_run ();
  g_autoptr(GPtrArray) steps = make_steps (run, "Look in the register.", "Keeper: Ada Marlowe");
  const char *tags[] = { "checked", "under_review", NULL };
  const char *none[] = { NULL };
  g_autofree char *plain = reins_export_markdown (run, steps);
  g_autofree char *md = reins_export_markdown_labelled (run, steps, tags,
                                                        "# Not a heading\n```\nsecond line");
  g_autofree char *untagged = reins_export_markdown_labelled (run, steps, none, NULL);

  g_assert_null (strstr (plain, "| Tags |"));
  g_assert_null (strstr (plain, "## Note"));

  /* The tags are escaped inline text; the note a fence it cannot close */
  g_assert_nonnull (strstr (md, "| Tags | checked, under\\_review |\n"));
  g_assert_nonnull (strstr (md, "## Note\n\n````text\n# Not a heading\n```\nsecond line\n````\n"));
  g_assert_true (strstr (md, "## Task") < strstr (md, "## Note"));
  g_assert_true (strstr (md, "## Note") < strstr (md, "## Final answer"));

  g_assert_nonnull (strstr (untagged, "| Tags | (none) |\n"));
  g_assert_null (strstr (untagged, "## Note"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reins/store/export/json-round-trip", test_json_round_trip);
  g_test_add_func ("/reins/store/export/json-no-secrets", test_json_no_secrets);
  g_test_add_func ("/reins/store/export/markdown-sections", test_markdown_sections);
  g_test_add_func ("/reins/store/export/markdown-fences", test_markdown_fences);
  g_test_add_func ("/reins/store/export/markdown-long-observation", test_markdown_long_observation);
  g_test_add_func ("/reins/store/export/markdown-bare-run", test_markdown_bare_run);
  g_test_add_func ("/reins/store/export/json-labels", test_json_labels);
  g_test_add_func ("/reins/store/export/markdown-labels", test_markdown_labels);

  return g_test_run ();
}
