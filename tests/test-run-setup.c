/* test-run-setup.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a run is set up from: resume and fork checks, the settings merge and the tool list
 * that the live run, replay and what-if share.
 */

#include "config.h"

#include "reins-run-setup.h"

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static void
test_merge (void)
{
  g_autoptr(JsonObject) base = parse_object ("{\"a\": 1, \"b\": {\"c\": 2}}");
  g_autoptr(JsonObject) over = parse_object ("{\"a\": 3, \"d\": \"x\"}");
  g_autoptr(JsonObject) merged = reins_run_setup_merge_settings (base, over);
  g_autoptr(JsonObject) copy = reins_run_setup_merge_settings (base, NULL);
  g_autoptr(JsonObject) empty = reins_run_setup_merge_settings (NULL, NULL);

  g_assert_cmpint (json_object_get_int_member (merged, "a"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (merged, "d"), ==, "x");
  g_assert_true (json_object_has_member (merged, "b"));
  /* The base is left as it was. */
  g_assert_cmpint (json_object_get_int_member (base, "a"), ==, 1);
  g_assert_false (json_object_has_member (base, "d"));
  g_assert_cmpint (json_object_get_int_member (copy, "a"), ==, 1);
  g_assert_cmpuint (json_object_get_size (empty), ==, 0);
}

static void
test_tool_list (void)
{
  g_autoptr(JsonObject) none = parse_object ("{}");
  g_autoptr(JsonObject) some = parse_object ("{\"tools\": [\"calculator\", \"fs__read\", "
                                             "\"kb_lookup\"]}");
  /* Malformed: not strings, not a list. */
  g_autoptr(JsonObject) odd = parse_object ("{\"tools\": [1, null, \"calculator\", {}]}");
  g_autoptr(JsonObject) scalar = parse_object ("{\"tools\": \"calculator\"}");
  g_autofree char *defaults = reins_run_setup_tool_list (none, FALSE);
  g_autofree char *all = reins_run_setup_tool_list (some, FALSE);
  g_autofree char *builtin = reins_run_setup_tool_list (some, TRUE);
  g_autofree char *odd_list = reins_run_setup_tool_list (odd, FALSE);
  g_autofree char *scalar_list = reins_run_setup_tool_list (scalar, FALSE);

  g_assert_cmpstr (defaults, ==, REINS_DEFAULT_TOOLS);
  g_assert_cmpstr (all, ==, "calculator,fs__read,kb_lookup");
  g_assert_cmpstr (builtin, ==, "calculator,kb_lookup");
  g_assert_cmpstr (odd_list, ==, "calculator");
  g_assert_cmpstr (scalar_list, ==, REINS_DEFAULT_TOOLS);
}

static ReinsRun *
stored_run (ReinsRunStatus status,
            guint          steps)
{
  ReinsRun *run = reins_run_new ("Add two numbers.");

  reins_run_set_provider (run, "sim");
  reins_run_set_model (run, "sim-1");
  reins_run_set_status (run, status);
  reins_run_set_step_count (run, steps);
  json_object_set_double_member (reins_run_get_settings (run), "sim_accuracy", 0.5);
  return run;
}

static void
test_resume (void)
{
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("scripted");
  g_autoptr(ReinsRun) paused = stored_run (REINS_RUN_STATUS_PAUSED, 4);
  g_autoptr(ReinsRun) done = stored_run (REINS_RUN_STATUS_COMPLETED, 4);
  g_autoptr(JsonObject) overrides = parse_object ("{\"max_steps\": 9}");
  g_autoptr(ReinsRunSetup) setup = NULL;
  g_autoptr(GError) error = NULL;

  setup = reins_run_setup_new_resume (done, NULL, config, NULL, &error);
  g_assert_null (setup);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  g_clear_error (&error);

  setup = reins_run_setup_new_resume (paused, overrides, config, "runs.db", &error);
  g_assert_no_error (error);
  g_assert_cmpint (setup->kind, ==, REINS_RUN_SETUP_RESUME);
  g_assert_cmpstr (setup->db_path, ==, "runs.db");
  g_assert_cmpstr (reins_run_get_id (setup->run), ==, reins_run_get_id (paused));
  /* The run's own provider, not the caller's. */
  g_assert_cmpstr (setup->provider->name, ==, "sim");
  g_assert_cmpfloat (setup->provider->sim_accuracy, ==, 0.5);
  g_assert_cmpint (reins_settings_get_int (reins_run_get_settings (setup->run), "max_steps", 0),
                   ==, 9);
  /* The stored run the caller holds is not changed. */
  g_assert_false (json_object_has_member (reins_run_get_settings (paused), "max_steps"));
}

static void
test_fork (void)
{
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("scripted");
  g_autoptr(ReinsRun) parent = stored_run (REINS_RUN_STATUS_COMPLETED, 3);
  g_autoptr(ReinsRunSetup) setup = NULL;
  g_autoptr(GError) error = NULL;

  setup = reins_run_setup_new_fork (parent, 0, NULL, config, NULL, &error);
  g_assert_null (setup);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  g_clear_error (&error);
  setup = reins_run_setup_new_fork (parent, 5, NULL, config, NULL, &error);
  g_assert_null (setup);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  g_clear_error (&error);

  /* One after the last step: the fork goes on where the parent ended. */
  setup = reins_run_setup_new_fork (parent, 4, NULL, config, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (setup->kind, ==, REINS_RUN_SETUP_FORK);
  g_assert_cmpuint (setup->fork_step, ==, 4);
  g_assert_cmpstr (reins_run_get_parent_run_id (setup->run), ==, reins_run_get_id (parent));
  g_assert_cmpstr (reins_run_get_id (setup->run), !=, reins_run_get_id (parent));
  g_assert_cmpstr (setup->provider->name, ==, "sim");
}

static void
test_critic_config (void)
{
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("sim");
  g_autoptr(ReinsRun) run = stored_run (REINS_RUN_STATUS_RUNNING, 0);
  g_autoptr(ReinsRunSetup) setup = NULL;
  g_autoptr(ReinsProviderConfig) same = NULL;
  g_autoptr(ReinsProviderConfig) other = NULL;
  JsonObject *settings = reins_run_get_settings (run);

  config->api_key = g_strdup ("secret");
  setup = reins_run_setup_new (run, config, NULL);
  same = reins_run_setup_critic_config (setup, run);
  g_assert_cmpstr (same->name, ==, "sim");
  g_assert_cmpstr (same->api_key, ==, "secret");
  g_assert_cmpuint (same->max_retries, ==, 1);
  g_assert_cmpuint (same->timeout_s, ==, 30);

  /* Another provider: the run's key does not go to it. */
  json_object_set_string_member (settings, "critic_provider", "ollama");
  json_object_set_int_member (settings, "critic_timeout_s", 100000);
  other = reins_run_setup_critic_config (setup, run);
  g_assert_cmpstr (other->name, ==, "ollama");
  g_assert_null (other->api_key);
  g_assert_cmpuint (other->timeout_s, ==, 600);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reins/loop/run-setup/merge", test_merge);
  g_test_add_func ("/reins/loop/run-setup/tool-list", test_tool_list);
  g_test_add_func ("/reins/loop/run-setup/resume", test_resume);
  g_test_add_func ("/reins/loop/run-setup/fork", test_fork);
  g_test_add_func ("/reins/loop/run-setup/critic-config", test_critic_config);

  return g_test_run ();
}
