/* test-mcp.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The MCP stdio client against fake-mcp-server (one mode per protocol edge case) and against
 * the public reference servers installed with npm by build-aux/install-mcp-peers.sh
 * (everything, filesystem and memory).
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "reins-mcp-client.h"
#include "reins-mcp-content.h"
#include "reins-mcp-message.h"
#include "reins-mcp-tool.h"
#include "reins-tool-registry.h"

static char *
fake_command (const char *mode)
{
  const char *path = g_getenv ("REINS_FAKE_MCP_SERVER");

  g_assert_nonnull (path);
  return g_strdup_printf ("%s %s", path, mode);
}

static ReinsMcpClient *
start_fake (const char  *mode,
            guint        start_timeout_s,
            GError     **error)
{
  g_autofree char *command = fake_command (mode);
  g_autoptr(ReinsMcpClient) client = reins_mcp_client_new ("fake", command, error);

  g_assert_nonnull (client);
  if (start_timeout_s > 0)
    reins_mcp_client_set_start_timeout (client, start_timeout_s);
  if (!reins_mcp_client_start (client, NULL, error))
    return NULL;
  return g_steal_pointer (&client);
}

static ReinsToolResult *
call (ReinsMcpClient *client,
      const char     *tool,
      const char     *arguments_json,
      guint           timeout_s)
{
  g_autoptr(JsonNode) args = json_from_string (arguments_json, NULL);

  g_assert_nonnull (args);
  return reins_mcp_client_call_tool (client, tool, json_node_get_object (args), timeout_s, NULL);
}

/* Waits, bounded, until the server's stderr shows @text (it is read on another thread). */
static gboolean
stderr_shows (ReinsMcpClient *client,
              const char     *text)
{
  for (int i = 0; i < 500; i++)
    {
      if (strstr (reins_mcp_client_get_stderr_tail (client), text) != NULL)
        return TRUE;
      g_usleep (10 * 1000);
    }
  g_printerr ("stderr: %s\n", reins_mcp_client_get_stderr_tail (client));
  return FALSE;
}

static void
test_normal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = start_fake ("normal", 0, &error);
  g_autoptr(GPtrArray) tools = NULL;
  const struct
  {
    const char *tool;
    const char *args;
    const char *text;
    gboolean    is_error;
  } cases[] = {
    { "echo", "{\"message\":\"hi\"}", "Echo: hi", FALSE },
    { "add", "{\"a\":2,\"b\":3.5}", "5.5", FALSE },
    { "image", "{}", "[image: image/png, 8 bytes]", FALSE },
    { "mixed", "{}", "first\n[audio: audio/wav, 3 bytes]\n[resource link: file:///r.txt r.txt]\n"
                     "[resource: mem://a]\nembedded\n[resource: mem://b, application/zip, 4 bytes]\n"
                     "[hologram content]\n[structured content] {\"ignored\":true}", FALSE },
    { "structured", "{}", "{\"temperature\":21.5}", FALSE },
    /* The text holds it already: not twice. */
    /* Its strings are the text: not twice either. */
    { "structured", "{\"wrapped\":true}", "line one\nline two", FALSE },
    { "structured", "{\"twice\":true}", "{\"temperature\": 21.5}", FALSE },
    { "fail", "{}", "the tool failed", TRUE },
    { "ping", "{}", "pong received", FALSE },
  };

  g_assert_no_error (error);
  g_assert_cmpstr (reins_mcp_client_get_protocol_version (client), ==, "2025-06-18");
  g_assert_true (reins_mcp_client_is_running (client));

  tools = reins_mcp_client_get_tools (client);
  g_assert_cmpuint (tools->len, ==, 12);
  g_assert_cmpstr (reins_tool_get_name (g_ptr_array_index (tools, 0)), ==, "fake__echo");
  g_assert_cmpstr (reins_tool_get_description (g_ptr_array_index (tools, 0)), ==, "The echo tool");
  g_assert_cmpint (reins_tool_get_risk (g_ptr_array_index (tools, 0)), ==, REINS_RISK_EXEC);
  g_assert_cmpstr (reins_tool_get_name (g_ptr_array_index (tools, 11)), ==,
                   "fake__odd_name_with_chars");
  g_assert_cmpstr (reins_mcp_tool_get_remote_name (g_ptr_array_index (tools, 11)), ==,
                   "odd name/with.chars");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ReinsToolResult) r = call (client, cases[i].tool, cases[i].args, 10);

      g_assert_cmpstr (r->text, ==, cases[i].text);
      g_assert_cmpint (r->is_error, ==, cases[i].is_error);
    }

  /* The server's own requests were answered: ping with a result, the rest with an error. */
  g_assert_true (stderr_shows (client, "client answered srv-1 with a result"));
  g_assert_true (stderr_shows (client, "client answered srv-2 with an error"));

  {
    g_autoptr(ReinsToolResult) big = call (client, "big", "{}", 10);
    g_assert_false (big->is_error);
    g_assert_true (big->truncated);
    g_assert_nonnull (strstr (big->text, "[… truncated: only the first 262144 bytes are shown]"));
  }
  {
    g_autoptr(ReinsToolResult) unknown = call (client, "nope", "{}", 10);
    g_assert_true (unknown->is_error);
    g_assert_nonnull (strstr (unknown->text, "error -32602: Unknown tool"));
  }
  {
    /* Through the ReinsTool interface, as the loop calls it. */
    ReinsToolContext context = { .timeout_s = 10 };
    g_autoptr(JsonNode) args = json_from_string ("{\"message\":\"via tool\"}", NULL);
    g_autoptr(ReinsToolResult) r = reins_tool_invoke (g_ptr_array_index (tools, 0), &context,
                                                      json_node_get_object (args), NULL);
    g_assert_cmpstr (r->text, ==, "Echo: via tool");
  }

  reins_mcp_client_stop (client);
  g_assert_false (reins_mcp_client_is_running (client));
  {
    g_autoptr(ReinsToolResult) after = call (client, "echo", "{\"message\":\"x\"}", 10);
    g_assert_true (after->is_error);
    g_assert_nonnull (strstr (after->text, "cannot answer"));
  }
}

static void
test_paginated (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = start_fake ("paginated", 0, &error);
  g_autoptr(GPtrArray) tools = NULL;

  g_assert_no_error (error);
  tools = reins_mcp_client_get_tools (client);
  g_assert_cmpuint (tools->len, ==, 12);
  g_assert_cmpstr (reins_tool_get_name (g_ptr_array_index (tools, 1)), ==, "fake__add");
}

static void
test_cursor_loop (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = start_fake ("cursor-loop", 0, &error);

  g_assert_null (client);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_MCP);
  g_assert_nonnull (strstr (error->message, "repeats the cursor"));
}

static void
test_list_changed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsToolRegistry) registry = reins_tool_registry_new_builtin ("", NULL);
  g_autofree char *spec = NULL;
  g_autofree char *command = fake_command ("normal");
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsAction) action = NULL;
  g_autoptr(ReinsToolResult) r = NULL;
  ReinsToolContext context = { .timeout_s = 10 };

  spec = g_strdup_printf ("fake:read=%s", command);
  g_assert_true (reins_tool_registry_add_mcp_server (registry, spec, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (reins_tool_registry_lookup (registry, "fake__echo"));
  g_assert_cmpint (reins_tool_get_risk (reins_tool_registry_lookup (registry, "fake__echo")), ==,
                   REINS_RISK_READ);
  g_assert_null (reins_tool_registry_lookup (registry, "fake__extra"));

  /* Validation happens before the server is asked. */
  action = reins_action_new ("fake__echo", args);
  r = reins_tool_registry_invoke (registry, &context, action, NULL);
  g_assert_true (r->is_error);
  g_assert_nonnull (strstr (r->text, "“message” is required"));
  g_clear_object (&action);
  g_clear_pointer (&r, reins_tool_result_free);

  action = reins_action_new ("fake__grow", args);
  r = reins_tool_registry_invoke (registry, &context, action, NULL);
  g_assert_cmpstr (r->text, ==, "growing");

  /* The server said its list changed: the new tool shows up, on the main context. */
  for (int i = 0; i < 500 && reins_tool_registry_lookup (registry, "fake__extra") == NULL; i++)
    {
      g_usleep (10 * 1000);
      /* Not before the main context runs. */
      if (i == 0)
        g_assert_null (reins_tool_registry_lookup (registry, "fake__extra"));
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  g_assert_nonnull (reins_tool_registry_lookup (registry, "fake__extra"));

  reins_tool_registry_stop_mcp_servers (registry);
}

static void
test_garbage (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = start_fake ("garbage", 0, &error);
  g_autoptr(ReinsToolResult) r = NULL;

  /* Lines that are not JSON-RPC are skipped; the real answers still get through. */
  g_assert_no_error (error);
  r = call (client, "echo", "{\"message\":\"through the noise\"}", 10);
  g_assert_cmpstr (r->text, ==, "Echo: through the noise");
}

static void
test_only_garbage (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = start_fake ("only-garbage", 1, &error);

  g_assert_null (client);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_MCP);
  g_assert_nonnull (strstr (error->message, "did not answer “initialize” within 1 s"));
  g_assert_nonnull (strstr (error->message, "not JSON-RPC, the first: “garbage instead of an answer”"));
}

/* Clear protocol breaches end a call at once, saying which, not after its timeout (60 s
 * here: the error would then say “did not answer”). */
static void
test_violations (void)
{
  static const struct { const char *mode; const char *says; } cases[] = {
    { "wrong-id", "answered with id 1003, which no request had" },
    { "parse-error", "could not read a request: Parse error" },
    { "garbage-flood", "lines that are not JSON-RPC in place of an answer" },
    { "request-flood", "requests of its own" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ReinsMcpClient) client = start_fake (cases[i].mode, 0, &error);
      g_autoptr(ReinsToolResult) r = NULL;

      g_test_message ("mode %s", cases[i].mode);
      g_assert_no_error (error);
      r = call (client, "echo", "{\"message\":\"hi\"}", 60);
      g_assert_true (r->is_error);
      if (strstr (r->text, cases[i].says) == NULL || strstr (r->text, "broke the protocol") == NULL)
        g_error ("%s: %s", cases[i].mode, r->text);
    }
}

/* Requests of the server are answered while a call waits, even when it reads none of the
 * answers until it has sent them all; then its answer comes through. */
static void
test_pings_first (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = start_fake ("pings-first", 0, &error);
  g_autoptr(ReinsToolResult) r = NULL;
  g_autoptr(ReinsToolResult) r2 = NULL;

  g_assert_no_error (error);
  r = call (client, "echo", "{\"message\":\"after the pings\"}", 60);
  g_assert_false (r->is_error);
  g_assert_cmpstr (r->text, ==, "Echo: after the pings");
  r2 = call (client, "echo", "{\"message\":\"again\"}", 60);
  g_assert_cmpstr (r2->text, ==, "Echo: again");
}

/* A server with 2,001 tools: 128 are used and the rest are named in a warning; a person
 * can choose which. */
static void
test_many_tools (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = start_fake ("many-tools", 0, &error);
  g_autoptr(ReinsMcpClient) normal = start_fake ("normal", 0, &error);
  g_autoptr(GPtrArray) tools = NULL;
  g_autoptr(GPtrArray) chosen = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *warning = NULL;
  g_autofree char *chosen_warning = NULL;
  g_autofree char *no_warning = NULL;
  const char * const pick[] = { "t7", "echo", "nope", NULL };
  g_autoptr(ReinsToolResult) r = NULL;

  g_assert_no_error (error);
  tools = reins_mcp_client_get_tools (client);
  g_assert_cmpuint (tools->len, ==, 128);
  g_assert_cmpstr (reins_tool_get_name (g_ptr_array_index (tools, 0)), ==, "fake__echo");
  warning = reins_mcp_client_dup_tool_warning (client);
  g_assert_nonnull (warning);
  g_assert_nonnull (strstr (warning, "offers 2001 tools; only the first 128 are used"));
  g_assert_nonnull (strstr (warning, "--mcp-tools=fake="));

  reins_mcp_client_set_tool_filter (client, 0, pick);
  chosen = reins_mcp_client_get_tools (client);
  g_assert_cmpuint (chosen->len, ==, 2);
  g_assert_cmpstr (reins_tool_get_name (g_ptr_array_index (chosen, 0)), ==, "fake__echo");
  g_assert_cmpstr (reins_tool_get_name (g_ptr_array_index (chosen, 1)), ==, "fake__t7");
  chosen_warning = reins_mcp_client_dup_tool_warning (client);
  g_assert_cmpstr (chosen_warning, ==, "it has no tool “nope”");
  r = call (client, "echo", "{\"message\":\"one of many\"}", 10);
  g_assert_cmpstr (r->text, ==, "Echo: one of many");

  /* A server within the limit: every tool, no warning. */
  all = reins_mcp_client_get_tools (normal);
  g_assert_cmpuint (all->len, >, 5);
  no_warning = reins_mcp_client_dup_tool_warning (normal);
  g_assert_null (no_warning);
}

static void
test_silent (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = start_fake ("silent", 1, &error);

  g_assert_null (client);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_MCP);
  g_assert_nonnull (strstr (error->message, "did not answer “initialize” within 1 s"));
  g_assert_nonnull (strstr (error->message, "fake MCP server in mode silent"));
}

static void
test_versions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) wrong = start_fake ("wrong-version", 0, &error);
  g_autoptr(ReinsMcpClient) old = NULL;

  g_assert_null (wrong);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_MCP);
  g_assert_nonnull (strstr (error->message, "speaks protocol version 1999-01-01, which Reins does not support"));
  g_clear_error (&error);

  old = start_fake ("old-version", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reins_mcp_client_get_protocol_version (old), ==, "2024-11-05");
}

static void
test_exit_early (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = start_fake ("exit-early", 0, &error);

  g_assert_null (client);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_MCP);
  g_assert_nonnull (strstr (error->message, "exit status 2"));
  g_assert_nonnull (strstr (error->message, "cannot start: missing configuration"));
}

static void
test_crash (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = start_fake ("normal", 0, &error);
  g_autoptr(ReinsToolResult) r = NULL;
  g_autoptr(ReinsToolResult) r2 = NULL;

  g_assert_no_error (error);
  r = call (client, "crash", "{}", 20);
  g_assert_true (r->is_error);
  g_assert_nonnull (strstr (r->text, "failed during “tools/call”"));
  g_assert_nonnull (strstr (r->text, "exit status 3"));
  g_assert_nonnull (strstr (r->text, "fatal: boom"));
  g_assert_false (reins_mcp_client_is_running (client));

  r2 = call (client, "echo", "{\"message\":\"x\"}", 20);
  g_assert_true (r2->is_error);
  g_assert_nonnull (strstr (r2->text, "cannot answer"));
}

static void
test_timeout (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = start_fake ("normal", 0, &error);
  g_autoptr(ReinsToolResult) r = NULL;
  g_autoptr(ReinsToolResult) r2 = NULL;

  g_assert_no_error (error);
  r = call (client, "sleep", "{}", 1);
  g_assert_true (r->is_error);
  g_assert_nonnull (strstr (r->text, "did not answer “tools/call” within 1 s"));
  g_assert_true (stderr_shows (client, ": Timed out"));

  /* The server is still usable after a call it never answered. */
  r2 = call (client, "echo", "{\"message\":\"still here\"}", 10);
  g_assert_cmpstr (r2->text, ==, "Echo: still here");
}

typedef struct
{
  ReinsToolRegistry *registry;
  ReinsToolResult   *result;
  gint               done;
} SleepCall;

static gpointer
sleep_thread (gpointer data)
{
  SleepCall *s = data;
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsAction) action = reins_action_new ("slow__sleep", args);
  ReinsToolContext context = { .timeout_s = 60 };

  s->result = reins_tool_registry_invoke (s->registry, &context, action, NULL);
  g_atomic_int_set (&s->done, TRUE);
  return NULL;
}

static ReinsToolResult *
invoke (ReinsToolRegistry *registry,
        const char        *action_json)
{
  g_autoptr(ReinsAction) action = reins_action_new_from_string (action_json, NULL);
  ReinsToolContext context = { .timeout_s = 10 };

  g_assert_nonnull (action);
  return reins_tool_registry_invoke (registry, &context, action, NULL);
}

/* A hung, then a dead stdio server costs only its own tools: another server of the same
 * run answers all along. */
static void
test_only_its_tools (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsToolRegistry) registry = reins_tool_registry_new_builtin ("", NULL);
  g_autofree char *slow = fake_command ("normal");
  g_autofree char *fast = fake_command ("normal");
  g_autofree char *slow_spec = g_strconcat ("slow=", slow, NULL);
  g_autofree char *fast_spec = g_strconcat ("fast=", fast, NULL);
  SleepCall hung = { registry, NULL, FALSE };
  GThread *thread;

  g_assert_true (reins_tool_registry_add_mcp_server (registry, slow_spec, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (reins_tool_registry_add_mcp_server (registry, fast_spec, NULL, &error));
  g_assert_no_error (error);

  thread = g_thread_new ("sleep", sleep_thread, &hung);
  {
    g_autoptr(ReinsToolResult) r = invoke (registry, "{\"name\":\"fast__echo\",\"arguments\":"
                                                     "{\"message\":\"meanwhile\"}}");

    g_assert_false (r->is_error);
    g_assert_cmpstr (r->text, ==, "Echo: meanwhile");
    g_assert_false (g_atomic_int_get (&hung.done));
  }

  /* slow dies: its hung call ends with the reason, its other tools fail; fast goes on. */
  {
    g_autoptr(ReinsToolResult) crash = invoke (registry, "{\"name\":\"slow__crash\","
                                                         "\"arguments\":{}}");
    g_autoptr(ReinsToolResult) dead = NULL;
    g_autoptr(ReinsToolResult) alive = NULL;

    g_assert_true (crash->is_error);
    g_thread_join (thread);
    g_assert_true (hung.result->is_error);
    g_assert_nonnull (strstr (hung.result->text, "exit status 3"));
    g_clear_pointer (&hung.result, reins_tool_result_free);
    dead = invoke (registry, "{\"name\":\"slow__echo\",\"arguments\":{\"message\":\"x\"}}");
    g_assert_true (dead->is_error);
    alive = invoke (registry, "{\"name\":\"fast__echo\",\"arguments\":{\"message\":\"after\"}}");
    g_assert_false (alive->is_error);
    g_assert_cmpstr (alive->text, ==, "Echo: after");
  }
  reins_tool_registry_stop_mcp_servers (registry);
}

typedef struct
{
  ReinsMcpClient *client;
  GCancellable   *cancellable;
} CallJob;

static gpointer
call_thread (gpointer data)
{
  CallJob *job = data;
  g_autoptr(JsonObject) args = json_object_new ();

  return reins_mcp_client_call_tool (job->client, "sleep", args, 60, job->cancellable);
}

static void
test_cancel (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = start_fake ("normal", 0, &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(ReinsToolResult) r = NULL;
  CallJob job = { client, cancellable };
  GThread *thread;

  g_assert_no_error (error);
  thread = g_thread_new ("call", call_thread, &job);
  g_usleep (200 * 1000);
  g_cancellable_cancel (cancellable);
  r = g_thread_join (thread);

  g_assert_true (r->is_error);
  g_assert_nonnull (strstr (r->text, "was cancelled"));
  g_assert_true (stderr_shows (client, ": The user cancelled the request"));
}

static void
test_stubborn_stop (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = start_fake ("stubborn", 0, &error);
  g_autoptr(GPtrArray) tools = NULL;
  const char *tail;
  int pid = 0;

  g_assert_no_error (error);
  g_assert_true (stderr_shows (client, "pid "));
  tail = strstr (reins_mcp_client_get_stderr_tail (client), "pid ");
  pid = atoi (tail + 4);
  g_assert_cmpint (pid, >, 1);
  g_assert_cmpint (kill (pid, 0), ==, 0);

  /* It ignores the end of its input and SIGTERM: only SIGKILL ends it. */
  reins_mcp_client_stop (client);
  g_assert_cmpint (kill (pid, 0), ==, -1);
  g_assert_cmpint (errno, ==, ESRCH);
}

static void
test_bad_specs (void)
{
  g_autoptr(ReinsToolRegistry) registry = reins_tool_registry_new_builtin ("", NULL);
  g_autofree char *early = fake_command ("exit-early");
  g_autofree char *early_spec = g_strdup_printf ("early=%s", early);
  const char *usage[] = { "noequals", "=cmd", "name=", "bad name!=cmd", "a__b=cmd",
                          "x:bogus=cmd", "x=unbalanced 'quote" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tools = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (usage); i++)
    {
      g_assert_false (reins_tool_registry_add_mcp_server (registry, usage[i], NULL, &error));
      g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
      g_clear_error (&error);
      /* The same check, before a run starts, without starting anything. */
      g_assert_false (reins_tool_registry_check_mcp_spec (usage[i], &error));
      g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
      g_clear_error (&error);
    }
  g_assert_true (reins_tool_registry_check_mcp_spec ("x=/nonexistent/mcp-server", NULL));
  g_assert_true (reins_tool_registry_check_mcp_spec ("x:read=cmd 'a b'", NULL));

  g_assert_false (reins_tool_registry_add_mcp_server (registry, "x=/nonexistent/mcp-server", NULL,
                                                      &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_MCP);
  g_assert_nonnull (strstr (error->message, "cannot be started"));
  g_clear_error (&error);

  g_assert_false (reins_tool_registry_add_mcp_server (registry, early_spec, NULL, &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_MCP);
  g_clear_error (&error);

  /* The run goes on with the tools it had. */
  tools = reins_tool_registry_list (registry);
  g_assert_cmpuint (tools->len, ==, 1);
}

static void
test_message_parse (void)
{
  const char *bad[] = { "", "not json", "[1]", "\"text\"", "{\"jsonrpc\": \"1.0\", \"id\": 1}",
                        "{\"id\": 1, \"result\": {}}", "{\"jsonrpc\": \"2.0\"", "\xff{}" };
  g_autoptr(GString) deep = g_string_new ("{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": ");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) message = reins_mcp_message_parse (bad[i], strlen (bad[i]), &error);

      g_assert_null (message);
      g_assert_nonnull (error);
    }

  /* 100,000 levels from a server: refused, the reader thread's stack intact. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) message = reins_mcp_message_parse (deep->str, deep->len, &error);

    g_assert_null (message);
    g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
  }

  /* A well-formed message, with a trailing CR and an escape that is not UTF-8 once
   * decoded: read, and its text made valid. */
  {
    const char *line = "{\"jsonrpc\": \"2.0\", \"id\": 3, \"result\": {\"content\": "
                       "[{\"type\": \"text\", \"text\": \"bad \\201 byte\"}]}}\r";
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) message = reins_mcp_message_parse (line, strlen (line), &error);
    g_autoptr(ReinsToolResult) result = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (json_object_get_int_member (message, "id"), ==, 3);
    result = reins_mcp_content_to_result (json_object_get_object_member (message, "result"));
    g_assert_cmpstr (result->text, ==, "bad \xef\xbf\xbd byte");
  }

  g_assert_true (reins_mcp_line_is_blank (" \r", 2));
  g_assert_false (reins_mcp_line_is_blank (" x", 2));
}

/* A result checked against its tool's outputSchema. */
static ReinsToolResult *
checked (const char *result_json,
         const char *schema_json)
{
  g_autoptr(JsonNode) result = json_from_string (result_json, NULL);
  g_autoptr(JsonNode) schema = schema_json != NULL ? json_from_string (schema_json, NULL) : NULL;

  g_assert_nonnull (result);
  return reins_mcp_content_to_result_checked (json_node_get_object (result),
                                              schema != NULL ? json_node_get_object (schema)
                                                             : NULL);
}

static void
test_output_schema (void)
{
  const char *schema = "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"},"
                       "\"unit\":{\"type\":\"string\",\"enum\":[\"cm\",\"m\"]}},"
                       "\"required\":[\"n\"]}";

  /* Kept: structured content that matches, alone or after text that does not say it. */
  {
    g_autoptr(ReinsToolResult) r = checked ("{\"content\":[],\"structuredContent\":{\"n\":4}}",
                                            schema);

    g_assert_false (r->is_error);
    g_assert_cmpstr (r->text, ==, "{\"n\":4}");
  }
  {
    g_autoptr(ReinsToolResult) r = checked ("{\"content\":[{\"type\":\"text\",\"text\":\"four\"}],"
                                            "\"structuredContent\":{\"n\":4,\"unit\":\"cm\"}}",
                                            schema);

    g_assert_cmpstr (r->text, ==, "four\n[structured content] {\"n\":4,\"unit\":\"cm\"}");
  }
  /* A text block holding the same JSON (as servers are asked to send it): said once. */
  {
    g_autoptr(ReinsToolResult) r = checked ("{\"content\":[{\"type\":\"text\",\"text\":"
                                            "\"{\\\"n\\\": 4}\"}],\"structuredContent\":{\"n\":4}}",
                                            schema);

    g_assert_cmpstr (r->text, ==, "{\"n\": 4}");
  }

  /* Breaks the schema: everything kept, the structured content shown even though the text
   * holds its strings, and a line that says how; not an error. */
  {
    g_autoptr(ReinsToolResult) r = checked ("{\"content\":[{\"type\":\"text\",\"text\":\"km\"}],"
                                            "\"structuredContent\":{\"n\":4,\"unit\":\"km\"}}",
                                            schema);

    g_assert_false (r->is_error);
    g_assert_true (g_str_has_prefix (r->text, "km\n[structured content] {\"n\":4,\"unit\":\"km\"}\n"
                                              "[the structured content does not match the "
                                              "tool's output schema: "));
    g_assert_nonnull (strstr (r->text, "unit"));
  }
  {
    g_autoptr(ReinsToolResult) r = checked ("{\"content\":[],\"structuredContent\":{\"n\":\"4\"}}",
                                            schema);

    g_assert_nonnull (strstr (r->text, "does not match the tool's output schema"));
  }
  /* Missing, or not an object. */
  {
    g_autoptr(ReinsToolResult) r = checked ("{\"content\":[{\"type\":\"text\",\"text\":\"4\"}]}",
                                            schema);

    g_assert_false (r->is_error);
    g_assert_cmpstr (r->text, ==, "4\n[the tool declares an output schema but gave no "
                                  "structured content]");
  }
  {
    g_autoptr(ReinsToolResult) r = checked ("{\"content\":[],\"structuredContent\":[4]}", schema);

    g_assert_cmpstr (r->text, ==, "[4]\n[the structured content is not a JSON object, as MCP "
                                  "requires]");
  }
  /* An error result need not match; a tool without a schema is not checked. */
  {
    g_autoptr(ReinsToolResult) r = checked ("{\"content\":[{\"type\":\"text\",\"text\":\"no\"}],"
                                            "\"isError\":true}", schema);

    g_assert_true (r->is_error);
    g_assert_cmpstr (r->text, ==, "no");
  }
  {
    g_autoptr(ReinsToolResult) r = checked ("{\"content\":[{\"type\":\"text\",\"text\":\"4\"}]}",
                                            NULL);

    g_assert_cmpstr (r->text, ==, "4");
  }
  /* A huge result breaking the schema is cut, and still says so at its end. */
  {
    g_autoptr(GString) big = g_string_new ("{\"content\":[{\"type\":\"text\",\"text\":\"");
    g_autoptr(ReinsToolResult) r = NULL;

    for (guint i = 0; i < 300 * 1024; i++)
      g_string_append_c (big, 'x');
    g_string_append (big, "\"}],\"structuredContent\":{\"n\":1.5}}");
    r = checked (big->str, schema);
    g_assert_true (r->truncated);
    g_assert_true (g_str_has_suffix (r->text, "]"));
    g_assert_nonnull (strstr (r->text, "truncated"));
    g_assert_nonnull (strstr (r->text, "does not match the tool's output schema"));
  }
}

/* The public reference servers, installed by build-aux/install-mcp-peers.sh. */
static char *
peer_script (const char *package)
{
  const char *dir = g_getenv ("REINS_MCP_PEERS_DIR");
  g_autofree char *script = NULL;
  g_autofree char *failed = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *node = g_find_program_in_path ("node");

  if (dir == NULL)
    {
      g_test_skip ("REINS_MCP_PEERS_DIR is not set");
      return NULL;
    }
  script = g_build_filename (dir, "node_modules", "@modelcontextprotocol", package, "dist",
                             "index.js", NULL);
  if (g_file_test (script, G_FILE_TEST_EXISTS) && node != NULL)
    return g_steal_pointer (&script);

  failed = g_build_filename (dir, "INSTALL-FAILED", NULL);
  if (g_file_get_contents (failed, &reason, NULL, NULL))
    {
      g_autofree char *message = g_strdup_printf ("@modelcontextprotocol/%s is not installed: "
                                                  "npm could not reach its registry (%s)",
                                                  package, g_strstrip (reason));
      g_test_skip (message);
    }
  else
    {
      g_autofree char *message = g_strdup_printf ("@modelcontextprotocol/%s is not installed in "
                                                  "%s; build-aux/test.sh installs it with "
                                                  "build-aux/install-mcp-peers.sh", package, dir);
      g_test_skip (message);
    }
  return NULL;
}

static void
test_peer_everything (void)
{
  g_autofree char *script = peer_script ("server-everything");
  g_autofree char *node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;
  g_autoptr(ReinsToolRegistry) registry = reins_tool_registry_new_builtin ("", NULL);
  g_autoptr(GPtrArray) tools = NULL;
  g_autoptr(ReinsToolResult) echo = NULL;
  g_autoptr(ReinsToolResult) sum = NULL;
  g_autoptr(ReinsToolResult) image = NULL;
  gboolean has_echo = FALSE, has_sum = FALSE;

  if (script == NULL)
    return;
  node = g_find_program_in_path ("node");
  {
    const char *argv[] = { node, script, "stdio", NULL };
    client = reins_mcp_client_new_argv ("everything", argv, &error);
  }
  g_assert_no_error (error);
  g_assert_true (reins_mcp_client_start (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (reins_mcp_client_get_protocol_version (client), ==, "2025-06-18");

  tools = reins_mcp_client_get_tools (client);
  for (guint i = 0; i < tools->len; i++)
    {
      const char *name = reins_tool_get_name (g_ptr_array_index (tools, i));

      has_echo |= g_strcmp0 (name, "everything__echo") == 0;
      has_sum |= g_strcmp0 (name, "everything__get-sum") == 0;
      reins_tool_registry_add (registry, g_ptr_array_index (tools, i));
    }
  g_assert_true (has_echo);
  g_assert_true (has_sum);

  echo = call (client, "echo", "{\"message\":\"hello reins\"}", 20);
  g_assert_false (echo->is_error);
  g_assert_cmpstr (echo->text, ==, "Echo: hello reins");

  sum = call (client, "get-sum", "{\"a\":2,\"b\":40}", 20);
  g_assert_false (sum->is_error);
  g_assert_nonnull (strstr (sum->text, "42"));

  image = call (client, "get-tiny-image", "{}", 20);
  g_assert_false (image->is_error);
  g_assert_nonnull (strstr (image->text, "[image: image/png, "));

  /* The server's own schema is enforced before it is called. */
  {
    g_autoptr(ReinsAction) bad = reins_action_new_from_string (
      "{\"name\":\"everything__get-sum\",\"arguments\":{\"a\":\"two\",\"b\":3}}", NULL);
    g_assert_false (reins_tool_registry_validate (registry, bad, &error));
    g_assert_nonnull (strstr (error->message, "“a” must be of type number"));
    g_clear_error (&error);
  }

  reins_mcp_client_stop (client);
}

static void
test_peer_filesystem (void)
{
  g_autofree char *script = peer_script ("server-filesystem");
  g_autofree char *node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *real = NULL;
  g_autofree char *file = NULL;
  g_autofree char *args = NULL;
  g_autoptr(ReinsToolResult) r = NULL;
  g_autoptr(ReinsToolResult) denied = NULL;

  if (script == NULL)
    return;
  node = g_find_program_in_path ("node");
  dir = g_dir_make_tmp ("reins-mcp-fs-XXXXXX", &error);
  g_assert_no_error (error);
  real = realpath (dir, NULL);
  file = g_build_filename (real, "note.txt", NULL);
  g_assert_true (g_file_set_contents (file, "read through MCP\n", -1, NULL));

  {
    const char *argv[] = { node, script, real, NULL };
    client = reins_mcp_client_new_argv ("fs", argv, &error);
  }
  g_assert_no_error (error);
  g_assert_true (reins_mcp_client_start (client, NULL, &error));
  g_assert_no_error (error);

  args = g_strdup_printf ("{\"path\":\"%s\"}", file);
  r = call (client, "read_text_file", args, 20);
  g_assert_false (r->is_error);
  g_assert_cmpstr (r->text, ==, "read through MCP\n");

  denied = call (client, "read_text_file", "{\"path\":\"/etc/passwd\"}", 20);
  g_assert_true (denied->is_error);
  g_assert_null (strstr (denied->text, "root:x:0"));

  reins_mcp_client_stop (client);
  g_unlink (file);
  g_rmdir (dir);
}

/* The knowledge-graph reference server: every tool declares an outputSchema and answers
 * with structured content, which is checked and said once; its annotations set the risk of
 * a trusted server's tools; the graph is kept in the file it is given. */
static void
test_peer_memory (void)
{
  g_autofree char *script = peer_script ("server-memory");
  g_autofree char *node = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *env = NULL;
  g_autofree char *saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;
  g_autoptr(GPtrArray) tools = NULL;
  g_autoptr(ReinsToolResult) created = NULL;
  g_autoptr(ReinsToolResult) found = NULL;
  g_autoptr(ReinsToolResult) missing = NULL;
  g_autoptr(ReinsToolResult) bad = NULL;
  guint risks_seen = 0;

  if (script == NULL)
    return;
  node = g_find_program_in_path ("node");
  dir = g_dir_make_tmp ("reins-mcp-memory-XXXXXX", &error);
  g_assert_no_error (error);
  file = g_build_filename (dir, "graph.jsonl", NULL);
  env = g_strconcat ("MEMORY_FILE_PATH=", file, NULL);
  {
    const char *argv[] = { "env", env, node, script, NULL };
    client = reins_mcp_client_new_argv ("memory", argv, &error);
  }
  g_assert_no_error (error);
  reins_mcp_client_set_trust_annotations (client, TRUE);
  g_assert_true (reins_mcp_client_start (client, NULL, &error));
  g_assert_no_error (error);

  tools = reins_mcp_client_get_tools (client);
  for (guint i = 0; i < tools->len; i++)
    {
      ReinsTool *tool = g_ptr_array_index (tools, i);

      if (g_strcmp0 (reins_tool_get_name (tool), "memory__read_graph") == 0)
        {
          g_assert_cmpint (reins_tool_get_risk (tool), ==, REINS_RISK_READ);
          risks_seen++;
        }
      else if (g_strcmp0 (reins_tool_get_name (tool), "memory__create_entities") == 0)
        {
          g_assert_cmpint (reins_tool_get_risk (tool), ==, REINS_RISK_WRITE);
          risks_seen++;
        }
    }
  g_assert_cmpuint (risks_seen, ==, 2);

  created = call (client, "create_entities",
                  "{\"entities\":[{\"name\":\"Reins\",\"entityType\":\"app\","
                  "\"observations\":[\"supervises agent runs\"]}]}", 20);
  g_assert_false (created->is_error);
  g_assert_nonnull (strstr (created->text, "\"Reins\""));
  /* The structured content matched its schema and the text held it: said once. */
  g_assert_null (strstr (created->text, "[structured content]"));
  g_assert_null (strstr (created->text, "output schema"));

  found = call (client, "search_nodes", "{\"query\":\"agent\"}", 20);
  g_assert_false (found->is_error);
  g_assert_nonnull (strstr (found->text, "supervises agent runs"));
  g_assert_null (strstr (found->text, "output schema"));

  missing = call (client, "search_nodes", "{\"query\":\"nothing like it\"}", 20);
  g_assert_false (missing->is_error);
  g_assert_null (strstr (missing->text, "Reins"));

  /* Its own input schema: a wrong argument is the server's error, not a crash. */
  bad = call (client, "create_entities", "{\"entities\":\"Reins\"}", 20);
  g_assert_true (bad->is_error);

  reins_mcp_client_stop (client);
  g_assert_true (g_file_get_contents (file, &saved, NULL, NULL));
  g_assert_nonnull (strstr (saved, "supervises agent runs"));
  g_unlink (file);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reins/tools/mcp/normal", test_normal);
  g_test_add_func ("/reins/tools/mcp/paginated", test_paginated);
  g_test_add_func ("/reins/tools/mcp/cursor-loop", test_cursor_loop);
  g_test_add_func ("/reins/tools/mcp/list-changed", test_list_changed);
  g_test_add_func ("/reins/tools/mcp/garbage", test_garbage);
  g_test_add_func ("/reins/tools/mcp/only-garbage", test_only_garbage);
  g_test_add_func ("/reins/tools/mcp/silent", test_silent);
  g_test_add_func ("/reins/tools/mcp/violations", test_violations);
  g_test_add_func ("/reins/tools/mcp/pings-first", test_pings_first);
  g_test_add_func ("/reins/tools/mcp/many-tools", test_many_tools);
  g_test_add_func ("/reins/tools/mcp/versions", test_versions);
  g_test_add_func ("/reins/tools/mcp/exit-early", test_exit_early);
  g_test_add_func ("/reins/tools/mcp/crash", test_crash);
  g_test_add_func ("/reins/tools/mcp/timeout", test_timeout);
  g_test_add_func ("/reins/tools/mcp/only-its-tools", test_only_its_tools);
  g_test_add_func ("/reins/tools/mcp/cancel", test_cancel);
  g_test_add_func ("/reins/tools/mcp/stubborn-stop", test_stubborn_stop);
  g_test_add_func ("/reins/tools/mcp/bad-specs", test_bad_specs);
  g_test_add_func ("/reins/tools/mcp/message-parse", test_message_parse);
  g_test_add_func ("/reins/tools/mcp/output-schema", test_output_schema);
  g_test_add_func ("/reins/tools/mcp/peer-everything", test_peer_everything);
  g_test_add_func ("/reins/tools/mcp/peer-filesystem", test_peer_filesystem);
  g_test_add_func ("/reins/tools/mcp/peer-memory", test_peer_memory);

  return g_test_run ();
}
