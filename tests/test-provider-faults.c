/* test-provider-faults.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What Reins does when the model server misbehaves (the faults of reins-test-server.c):
 * a server that drips keep-alives or never answers meets the total request deadline; a
 * reply with several tool calls runs the first and names the others; arguments cut off
 * by the end of a reply are called truncated; a NUL in a path is refused.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "reins-approval.h"
#include "reins-executor.h"
#include "reins-guard.h"
#include "reins-http.h"
#include "reins-provider.h"
#include "reins-react-parser.h"
#include "reins-sandbox.h"
#include "reins-store.h"
#include "reins-test-server.h"
#include "reins-test-util.h"
#include "reins-tool-registry.h"

typedef struct
{
  ReinsTestFault fault;     /* the first reply */
  gboolean       faulty;    /* FALSE: the first reply is the drip-then-answer one */
} Plan;

/* The first request gets the fault; every later one calls `finish`. */
static void
fault_handler (const char     *path,
               const char     *body,
               guint           index,
               ReinsTestReply *reply,
               gpointer        user_data)
{
  const Plan *plan = user_data;

  if (index > 0)
    {
      reins_test_reply_tool_call (reply, "finish", "{\"answer\": \"4\"}");
      return;
    }
  if (plan->faulty)
    {
      reins_test_fault_reply (reply, plan->fault);
      return;
    }

  /* Keep-alives for a while, then a whole answer: slow but within the deadline. */
  reins_test_reply_add_header (reply, "Content-Type", "text/event-stream");
  for (guint i = 0; i < 5; i++)
    reins_test_reply_add (reply, 50, ": keep-alive\n\n", -1);
  reins_test_reply_add (reply, 0, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":"
                                  "\"Hello\"},\"finish_reason\":\"stop\"}]}\n\n"
                                  "data: [DONE]\n\n", -1);
}

static ReinsChatRequest *
simple_request (void)
{
  ReinsChatRequest *request = reins_chat_request_new ();

  reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_USER, "Hi"));
  request->stream = TRUE;
  return request;
}

static ReinsChatResponse *
chat_once (ReinsTestServer *server,
           guint            request_timeout_s,
           GError         **error)
{
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("openai");
  g_autoptr(ReinsProvider) provider = NULL;
  g_autoptr(ReinsChatRequest) request = simple_request ();

  config->base_url = g_strdup (reins_test_server_get_url (server));
  config->request_timeout_s = request_timeout_s;
  config->max_retries = 0;
  provider = reins_provider_new_for_config (config, NULL);
  g_assert_nonnull (provider);
  return reins_provider_chat (provider, request, NULL, NULL, NULL, error);
}

/* A request to a server with @fault ends with the 1 s deadline, and says so. */
static void
assert_deadline_ends (ReinsTestFault fault)
{
  Plan plan = { fault, TRUE };
  g_autoptr(ReinsTestServer) server = reins_test_server_new (fault_handler, &plan);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsChatResponse) response = chat_once (server, 1, &error);

  g_assert_null (response);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "within 1 s (the provider timeout"));
}

/* Keep-alives every 100 ms for minutes: the deadline ends the request. */
static void
test_drip (void)
{
  assert_deadline_ends (REINS_TEST_FAULT_DRIP);
}

/* Keep-alives and then an answer, well within the deadline: no timeout. */
static void
test_drip_then_answer (void)
{
  Plan plan = { 0, FALSE };
  g_autoptr(ReinsTestServer) server = reins_test_server_new (fault_handler, &plan);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsChatResponse) response = chat_once (server, 30, &error);
  g_autofree char *body = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (response);
  g_assert_cmpstr (response->text, ==, "Hello");
  body = reins_test_server_dup_body (server);
  g_assert_null (strstr (body, "parallel_tool_calls"));  /* no tools offered */
}

/* A server that never sends a byte: the deadline, not the 120 s idle timeout, ends it. */
static void
test_silent (void)
{
  assert_deadline_ends (REINS_TEST_FAULT_SILENT);
}

/* The provider hands every call on, and asks for one call per reply. */
static void
test_several_calls_provider (void)
{
  Plan plan = { REINS_TEST_FAULT_SEVERAL_CALLS, TRUE };
  g_autoptr(ReinsTestServer) server = reins_test_server_new (fault_handler, &plan);
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("openai");
  g_autoptr(ReinsProvider) provider = NULL;
  g_autoptr(ReinsChatRequest) request = simple_request ();
  g_autoptr(ReinsChatResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  JsonObject *tool = json_object_new ();

  json_object_set_string_member (tool, "name", "calculator");
  json_object_set_string_member (tool, "description", "Adds");
  request->tools = json_array_new ();
  json_array_add_object_element (request->tools, tool);
  request->native_tools = TRUE;

  config->base_url = g_strdup (reins_test_server_get_url (server));
  provider = reins_provider_new_for_config (config, NULL);
  response = reins_provider_chat (provider, request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->tool_calls->len, ==, 3);

  body = reins_test_server_dup_body (server);
  g_assert_nonnull (strstr (body, "\"parallel_tool_calls\":false"));
}

/* A server that does not know parallel_tool_calls and says so: asked again without it. */
static void
refusing_handler (const char     *path,
                  const char     *body,
                  guint           index,
                  ReinsTestReply *reply,
                  gpointer        user_data)
{
  if (strstr (body, "parallel_tool_calls") != NULL)
    {
      reins_test_reply_set_status (reply, 400);
      reins_test_reply_add (reply, 0, "{\"error\":{\"message\":\"Unrecognized request argument "
                                      "supplied: parallel_tool_calls\"}}", -1);
      return;
    }
  reins_test_reply_tool_call (reply, "calculator", "{\"expression\": \"1 + 1\"}");
}

static void
test_parallel_flag_refused (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (refusing_handler, NULL);
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("openai");
  g_autoptr(ReinsProvider) provider = NULL;
  g_autoptr(ReinsChatRequest) request = simple_request ();
  g_autoptr(GError) error = NULL;
  JsonObject *tool = json_object_new ();

  json_object_set_string_member (tool, "name", "calculator");
  request->tools = json_array_new ();
  json_array_add_object_element (request->tools, tool);
  request->native_tools = TRUE;
  config->base_url = g_strdup (reins_test_server_get_url (server));
  provider = reins_provider_new_for_config (config, NULL);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(ReinsChatResponse) response = reins_provider_chat (provider, request, NULL, NULL,
                                                                   NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (response->tool_calls->len, ==, 1);
    }
  /* Refused once, then never sent again: three requests for two replies. */
  g_assert_cmpuint (reins_test_server_get_count (server), ==, 3);
}

/* The deep fault, at a depth the parser takes: the server sends it and the rest of the
 * reply still reads. (Depths that would overflow a recursive parser are bounded elsewhere.) */
static void
test_deep_shallow (void)
{
  Plan plan = { REINS_TEST_FAULT_DEEP, TRUE };
  g_autoptr(ReinsTestServer) server = reins_test_server_new (fault_handler, &plan);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsChatResponse) response = NULL;
  guint saved = reins_test_fault_depth;

  reins_test_fault_depth = 200;
  response = chat_once (server, 30, &error);
  reins_test_fault_depth = saved;
  g_assert_no_error (error);
  g_assert_cmpstr (response->text, ==, "x");
}

static void
nul_body_handler (const char     *path,
                  const char     *body,
                  guint           index,
                  ReinsTestReply *reply,
                  gpointer        user_data)
{
  reins_test_reply_add (reply, 0, "{\"choices\":[{\"index\":0,\"message\":{\"content\":"
                                  "\"before\\u0000after\"},\"finish_reason\":\"stop\"}]}", -1);
}

/* A NUL in a whole reply does not cut the text short: it shows as U+FFFD, which a path
 * may not hold. */
static void
test_nul_in_whole_reply (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (nul_body_handler, NULL);
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("openai");
  g_autoptr(ReinsProvider) provider = NULL;
  g_autoptr(ReinsChatRequest) request = simple_request ();
  g_autoptr(ReinsChatResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  request->stream = FALSE;
  config->base_url = g_strdup (reins_test_server_get_url (server));
  provider = reins_provider_new_for_config (config, NULL);
  response = reins_provider_chat (provider, request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (response->text, ==, "before\uFFFDafter");

  g_assert_false (reins_sandbox_check_path ("a.txt\uFFFD/x", -1, &error));
  g_assert_nonnull (strstr (error->message, "U+FFFD"));
  g_clear_error (&error);
  g_assert_true (reins_sandbox_check_path ("a.txt/x", -1, &error));
  g_assert_no_error (error);
}

/* Arguments cut off by the end of the reply are kept, marked as truncated. */
static void
test_truncated_provider (void)
{
  Plan plan = { REINS_TEST_FAULT_TRUNCATED_ARGS, TRUE };
  g_autoptr(ReinsTestServer) server = reins_test_server_new (fault_handler, &plan);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsChatResponse) response = chat_once (server, 30, &error);
  JsonObject *args;

  g_assert_no_error (error);
  g_assert_cmpuint (response->tool_calls->len, ==, 1);
  args = reins_action_get_arguments (g_ptr_array_index (response->tool_calls, 0));
  g_assert_cmpstr (json_object_get_string_member (args, "_invalid_reason"), ==, "truncated");
}

static void
test_tool_call_arguments (void)
{
  struct { const char *text; const char *finish; const char *reason; } cases[] = {
    { "{\"path\": \"a.txt\"}", "tool_calls", NULL },
    { "{\"path\": \"a\\\\u0000.txt\"}", "tool_calls", NULL },   /* an escaped backslash */
    { "{\"path\": \"a.txt\\u0000/../x\"}", "tool_calls", "nul" },
    { "{\"path\": \"a.t", "stop", "truncated" },
    { "{\"path\": [1, 2", NULL, "truncated" },
    { "{\"path\": \"a.txt\"} x", "length", "truncated" },
    { "{\"path\": \"a.txt\"} x", "stop", "syntax" },
    { "[1]", NULL, "syntax" },
    { "{\"a\": \"\\", NULL, "truncated" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ReinsAction) action = reins_http_tool_call_new ("c", "read_file", cases[i].text,
                                                                cases[i].finish);
      JsonObject *args = reins_action_get_arguments (action);
      const char *reason = json_object_get_string_member_with_default (args, "_invalid_reason",
                                                                       NULL);

      g_test_message ("case %u: %s", i, cases[i].text);
      g_assert_cmpstr (reason, ==, cases[i].reason);
    }
}

/* The tool's validation says why such arguments are refused; odd markers do not crash it. */
static void
test_invalid_arguments_validation (void)
{
  static const struct { const char *arguments; const char *says; } cases[] = {
    { "{\"_invalid_arguments\": \"{\\\"path\", \"_invalid_reason\": \"truncated\"}", "truncated" },
    { "{\"_invalid_arguments\": \"x\", \"_invalid_reason\": \"nul\"}", "NUL" },
    { "{\"_invalid_arguments\": \"x\", \"_invalid_reason\": \"syntax\"}", "could not be read as a JSON object" },
    { "{\"_invalid_arguments\": \"x\", \"_invalid_reason\": {\"a\": 1}}", "could not be read as a JSON object" },
    { "{\"_invalid_arguments\": 7}", "could not be read as a JSON object" },
    { "{\"_invalid_arguments\": \"x\", \"_invalid_reason\": \"syntax\", \"_invalid_detail\": \"nested deeper than 512 levels\"}", "nested deeper than 512 levels" },
    { "{\"path\": \"a.txt\"}", NULL },
  };
  g_autoptr(ReinsToolRegistry) registry = reins_tool_registry_new_builtin ("read_file", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) args = json_from_string (cases[i].arguments, NULL);
      g_autoptr(ReinsAction) action = reins_action_new ("read_file", json_node_get_object (args));
      g_autoptr(GError) error = NULL;
      gboolean valid = reins_tool_registry_validate (registry, action, &error);

      g_test_message ("case %u: %s", i, cases[i].arguments);
      if (cases[i].says == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (valid);
          continue;
        }
      g_assert_false (valid);
      g_assert_nonnull (strstr (error->message, cases[i].says));
    }
}

static void
test_nul_text (void)
{
  g_autoptr(GError) error = NULL;
  ReinsReactParse parse;

  g_assert_true (reins_json_text_has_nul ("{\"p\": \"a\\u0000b\"}"));
  g_assert_false (reins_json_text_has_nul ("{\"p\": \"a\\\\u0000b\"}"));
  g_assert_true (reins_json_text_has_nul ("{\"p\": \"a\\\\\\u0000b\"}"));
  g_assert_false (reins_json_text_has_nul ("{\"p\": \"a\\u0001b\"}"));
  g_assert_false (reins_json_text_has_nul ("{\"p\": \"a\\"));
  g_assert_false (reins_json_text_has_nul (""));

  {
    char masked[] = "{\"p\": \"a\\u0000b\\\\u0000c\\u0000\"}";

    g_assert_cmpuint (reins_json_text_mask_nul (masked, strlen (masked)), ==, 2);
    g_assert_cmpstr (masked, ==, "{\"p\": \"a\\ufffdb\\\\u0000c\\ufffd\"}");
  }
  {
    char cut[] = "\\u000";

    g_assert_cmpuint (reins_json_text_mask_nul (cut, strlen (cut)), ==, 0);
  }

  /* The text-mode parser refuses it too, in both action forms. */
  g_assert_false (reins_react_parse ("Thought: t\nAction: {\"name\": \"read_file\", "
                                     "\"arguments\": {\"path\": \"a\\u0000b\"}}", &parse, &error));
  g_assert_nonnull (strstr (error->message, "NUL"));
  reins_react_parse_clear (&parse);
  g_clear_error (&error);
  g_assert_false (reins_react_parse ("Thought: t\nAction: read_file\nAction Input: "
                                     "{\"path\": \"a\\u0000b\"}", &parse, &error));
  g_assert_nonnull (strstr (error->message, "NUL"));
  reins_react_parse_clear (&parse);
  g_clear_error (&error);
  g_assert_true (reins_react_parse ("Thought: t\nAction: {\"name\": \"read_file\", "
                                    "\"arguments\": {\"path\": \"a.txt\"}}", &parse, &error));
  g_assert_no_error (error);
  reins_react_parse_clear (&parse);
}

/* Whole runs against the faulty server. */

typedef struct
{
  char            *dir;
  char            *db;
  ReinsTestServer *server;
  ReinsExecutor   *executor;
  gboolean         finished;
  Plan             plan;
} RunFixture;

static void
finished_cb (ReinsExecutor *executor,
             ReinsRun      *run,
             RunFixture    *f)
{
  f->finished = TRUE;
}

static void
approval_cb (ReinsExecutor *executor,
             ReinsApproval *approval,
             RunFixture    *f)
{
  ReinsApprovalRecord *record = reins_approval_get_record (approval);

  g_error ("no question was expected; %s asked: %s", reins_approval_record_get_guard (record),
           reins_approval_record_get_reason (record));
}

/* Runs a task against a server whose first reply is @fault, and returns the stored steps. */
static GPtrArray *
run_against (RunFixture     *f,
             ReinsTestFault  fault,
             ReinsRun      **stored)
{
  g_autoptr(ReinsRun) run = reins_run_new ("What is 2 + 2?");
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("openai");
  g_autoptr(ReinsStore) store = NULL;
  JsonObject *settings = reins_run_get_settings (run);
  JsonArray *tools = json_array_new ();
  JsonArray *off = json_array_new ();
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  f->plan.fault = fault;
  f->plan.faulty = TRUE;
  f->server = reins_test_server_new (fault_handler, &f->plan);

  json_array_add_string_element (tools, "calculator");
  json_array_add_string_element (tools, "read_file");
  json_object_set_array_member (settings, "tools", tools);
  json_array_add_string_element (off, "confidence");
  json_array_add_string_element (off, "grounding");
  json_array_add_string_element (off, "drift");
  json_array_add_string_element (off, "tool_result");
  json_object_set_array_member (settings, "disabled_guards", off);
  json_object_set_string_member (settings, "workspace", f->dir);
  json_object_set_string_member (settings, "mode", "tools");
  json_object_set_int_member (settings, "max_steps", 5);
  json_object_set_int_member (settings, "provider_timeout", 2);
  reins_run_set_provider (run, "openai");
  reins_run_set_model (run, "gpt-4o-mini");

  config->base_url = g_strdup (reins_test_server_get_url (f->server));
  config->max_retries = 0;
  f->executor = reins_executor_new (run, config, f->db);
  g_signal_connect (f->executor, "finished", G_CALLBACK (finished_cb), f);
  g_signal_connect (f->executor, "approval-requested", G_CALLBACK (approval_cb), f);
  reins_executor_start (f->executor);
  while (!f->finished)
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }

  store = reins_store_open (f->db, NULL);
  g_assert_nonnull (store);
  *stored = reins_store_get_run (store, reins_run_get_id (reins_executor_get_run (f->executor)),
                                 NULL);
  g_assert_nonnull (*stored);
  return reins_store_get_steps (store, reins_run_get_id (*stored), 1, 0, NULL);
}

static void
run_set_up (RunFixture    *f,
            gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("reins-faults-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->db = g_build_filename (f->dir, "runs.db", NULL);
}

static void
run_tear_down (RunFixture    *f,
               gconstpointer  data)
{
  if (f->executor != NULL)
    g_assert_finalize_object (f->executor);
  g_clear_pointer (&f->server, reins_test_server_free);
  reins_test_remove_tree (f->dir);
  g_free (f->db);
  g_free (f->dir);
}

/* Three calls in one reply: the first runs, the other two are named, and it is stored. */
static void
test_run_several_calls (RunFixture    *f,
                        gconstpointer  data)
{
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(GPtrArray) steps = run_against (f, REINS_TEST_FAULT_SEVERAL_CALLS, &run);
  const char *observation;

  g_assert_cmpint (reins_run_get_status (run), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_cmpstr (reins_run_get_final_answer (run), ==, "4");
  g_assert_cmpuint (steps->len, ==, 2);
  observation = reins_step_get_observation (g_ptr_array_index (steps, 0));
  g_assert_true (g_str_has_prefix (observation, "2"));
  g_assert_nonnull (strstr (observation, "did not run"));
  g_assert_nonnull (strstr (observation, "2 + 2"));
  g_assert_nonnull (strstr (observation, "guessed"));
  g_assert_null (strstr (observation, "1 + 1"));

  /* A single call gets no such note. */
  observation = reins_step_get_observation (g_ptr_array_index (steps, 1));
  g_assert_true (observation == NULL || strstr (observation, "did not run") == NULL);
}

/* The first step's call is refused, its observation says @word (and never that a member is
 * missing), and the run goes on to the answer. */
static void
assert_first_call_refused (RunFixture     *f,
                           ReinsTestFault  fault,
                           const char     *word)
{
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(GPtrArray) steps = run_against (f, fault, &run);
  ReinsStep *first;

  g_assert_cmpint (reins_run_get_status (run), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_cmpuint (steps->len, ==, 2);
  first = g_ptr_array_index (steps, 0);
  g_assert_true (reins_step_get_tool_error (first));
  g_assert_nonnull (strstr (reins_step_get_observation (first), word));
  g_assert_null (strstr (reins_step_get_observation (first), "required"));
}

static void
test_run_truncated (RunFixture    *f,
                    gconstpointer  data)
{
  assert_first_call_refused (f, REINS_TEST_FAULT_TRUNCATED_ARGS, "truncated");
}

static void
test_run_nul_path (RunFixture    *f,
                   gconstpointer  data)
{
  assert_first_call_refused (f, REINS_TEST_FAULT_NUL_PATH, "NUL");
}

/* The run's "provider_timeout" reaches the provider: the run fails with a timeout. */
static void
test_run_drip (RunFixture    *f,
               gconstpointer  data)
{
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(GPtrArray) steps = run_against (f, REINS_TEST_FAULT_DRIP, &run);
  const GError *error = reins_executor_get_error (f->executor);

  g_assert_cmpint (reins_run_get_status (run), ==, REINS_RUN_STATUS_FAILED);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_TIMEOUT);
  g_assert_nonnull (strstr (reins_run_get_reason (run), "within 2 s"));
  g_assert_cmpuint (steps->len, ==, 0);
}

/* Runs reins-cli; returns its exit status, its stderr in @err when asked for. */
static int
run_cli (const char * const  *argv,
         char               **err)
{
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                               G_SPAWN_STDOUT_TO_DEV_NULL |
                               (err == NULL ? G_SPAWN_STDERR_TO_DEV_NULL : 0),
                               NULL, NULL, NULL, err, &status, &error));
  g_assert_no_error (error);
  return WEXITSTATUS (status);
}

/* reins-cli run --provider-timeout: checked, stored, and applied. */
static void
test_cli_provider_timeout (RunFixture    *f,
                           gconstpointer  data)
{
  const char *cli = g_getenv ("REINS_CLI");
  g_autofree char *db = g_strdup_printf ("--db=%s", f->db);
  g_autofree char *ws = g_strdup_printf ("--workspace=%s", f->dir);
  g_autofree char *err = NULL;
  g_autofree char *url = NULL;

  if (cli == NULL)
    {
      g_test_skip ("REINS_CLI is not set");
      return;
    }

  {
    const char *argv[] = { cli, "run", db, ws, "--provider-timeout=0", "task", NULL };

    g_assert_cmpint (run_cli (argv, &err), ==, 2);
    g_assert_nonnull (strstr (err, "--provider-timeout"));
    g_clear_pointer (&err, g_free);
  }

  f->plan.fault = REINS_TEST_FAULT_DRIP;
  f->plan.faulty = TRUE;
  f->server = reins_test_server_new (fault_handler, &f->plan);
  url = g_strdup_printf ("--base-url=%s", reins_test_server_get_url (f->server));
  {
    const char *argv[] = { cli, "run", db, ws, "-p", "openai", url, "--provider-timeout=1",
                           "--approve=no", "task", NULL };

    g_assert_cmpint (run_cli (argv, &err), ==, 3);
    g_assert_nonnull (strstr (err, "within 1 s"));
  }
}

/* An MCP server with 2,001 tools: the run uses --mcp-max-tools of them and its stored
 * mcp_status says so; --mcp-tools chooses; a malformed choice is a usage error. */
static void
test_cli_mcp_tools (RunFixture    *f,
                    gconstpointer  data)
{
  const char *cli = g_getenv ("REINS_CLI");
  const char *fake = g_getenv ("REINS_FAKE_MCP_SERVER");
  g_autofree char *db = g_strdup_printf ("--db=%s", f->db);
  g_autofree char *ws = g_strdup_printf ("--workspace=%s", f->dir);
  g_autofree char *many = g_strdup_printf ("--mcp=big=%s many-tools", fake);
  g_autofree char *normal = g_strdup_printf ("--mcp=small=%s normal", fake);
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *status;

  if (cli == NULL || fake == NULL)
    {
      g_test_skip ("REINS_CLI or REINS_FAKE_MCP_SERVER is not set");
      return;
    }

  {
    const char *argv[] = { cli, "run", db, ws, "--mcp-tools=big", "task", NULL };

    g_assert_cmpint (run_cli (argv, NULL), ==, 2);
  }
  {
    const char *argv[] = { cli, "run", db, ws, many, normal, "--mcp-max-tools=5",
                           "--sim-accuracy=1", "--max-steps=2", "task", NULL };

    run_cli (argv, NULL);
  }

  store = reins_store_open (f->db, &error);
  g_assert_no_error (error);
  runs = reins_store_list_runs (store, -1, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_cmpint (reins_settings_get_int (reins_run_get_settings (g_ptr_array_index (runs, 0)),
                                           "mcp_max_tools", 0), ==, 5);
  status = json_object_get_object_member (reins_run_get_settings (g_ptr_array_index (runs, 0)),
                                          "mcp_status");
  g_assert_nonnull (strstr (json_object_get_string_member (status, "big"),
                            "offers 2001 tools; only the first 5 are used"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (status, "small"), "running"));
  g_assert_cmpstr (json_object_get_string_member (status, "small"), !=,
                   json_object_get_string_member (status, "big"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/faults/drip", test_drip);
  g_test_add_func ("/faults/drip-then-answer", test_drip_then_answer);
  g_test_add_func ("/faults/silent", test_silent);
  g_test_add_func ("/faults/several-calls", test_several_calls_provider);
  g_test_add_func ("/faults/truncated", test_truncated_provider);
  g_test_add_func ("/faults/parallel-flag-refused", test_parallel_flag_refused);
  g_test_add_func ("/faults/deep-shallow", test_deep_shallow);
  g_test_add_func ("/faults/nul-in-whole-reply", test_nul_in_whole_reply);
  g_test_add_func ("/faults/tool-call-arguments", test_tool_call_arguments);
  g_test_add_func ("/faults/nul-text", test_nul_text);
  g_test_add_func ("/faults/invalid-arguments-validation", test_invalid_arguments_validation);
  g_test_add ("/faults/run/several-calls", RunFixture, NULL, run_set_up, test_run_several_calls,
              run_tear_down);
  g_test_add ("/faults/run/truncated", RunFixture, NULL, run_set_up, test_run_truncated,
              run_tear_down);
  g_test_add ("/faults/run/nul-path", RunFixture, NULL, run_set_up, test_run_nul_path,
              run_tear_down);
  g_test_add ("/faults/run/drip", RunFixture, NULL, run_set_up, test_run_drip, run_tear_down);
  g_test_add ("/faults/cli/provider-timeout", RunFixture, NULL, run_set_up,
              test_cli_provider_timeout, run_tear_down);

  g_test_add ("/faults/cli/mcp-tools", RunFixture, NULL, run_set_up, test_cli_mcp_tools,
              run_tear_down);

  return g_test_run ();
}
