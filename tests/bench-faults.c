/* bench-faults.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints how long misbehaving servers can hold Reins: a model server that drips
 * keep-alives or never answers (against a 2 s provider timeout), MCP servers that break
 * JSON-RPC (against a 60 s call timeout), and what an MCP server with 2,001 tools adds to
 * every model request with and without the tool cap. Built, not run by the test suite.
 *
 *   bench-faults [PATH-TO-fake-mcp-server]
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "reins-mcp-client.h"
#include "reins-provider.h"
#include "reins-test-server.h"
#include "reins-tool-registry.h"

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static void
fault_handler (const char     *path,
               const char     *body,
               guint           index,
               ReinsTestReply *reply,
               gpointer        user_data)
{
  reins_test_fault_reply (reply, GPOINTER_TO_INT (user_data));
}

static void
model_fault (const char     *label,
             ReinsTestFault  fault)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (fault_handler,
                                                             GINT_TO_POINTER (fault));
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("openai");
  g_autoptr(ReinsProvider) provider = NULL;
  g_autoptr(ReinsChatRequest) request = reins_chat_request_new ();
  g_autoptr(ReinsChatResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  config->base_url = g_strdup (reins_test_server_get_url (server));
  config->request_timeout_s = 2;
  provider = reins_provider_new_for_config (config, NULL);
  reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_USER, "Hi"));
  request->stream = TRUE;

  start = g_get_monotonic_time ();
  response = reins_provider_chat (provider, request, NULL, NULL, NULL, &error);
  g_print ("model server, %s: ends after %.2f s (provider timeout 2 s): %s\n", label,
           seconds_since (start), error != NULL ? error->message : "answered");
}

static void
mcp_fault (const char *server_path,
           const char *mode)
{
  g_autofree char *command = g_strdup_printf ("%s %s", server_path, mode);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = reins_mcp_client_new ("bench", command, &error);
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsToolResult) result = NULL;
  gint64 start;

  if (!reins_mcp_client_start (client, NULL, &error))
    g_error ("%s", error->message);
  json_object_set_string_member (args, "message", "hi");
  start = g_get_monotonic_time ();
  result = reins_mcp_client_call_tool (client, "echo", args, 60, NULL);
  g_print ("MCP server, %s: call ends after %.2f s (timeout 60 s)\n", mode,
           seconds_since (start));
}

static void
tool_cost (const char *server_path,
           guint       max_tools)
{
  g_autofree char *spec = g_strdup_printf ("big=%s many-tools", server_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsToolRegistry) registry = reins_tool_registry_new_builtin (NULL, &error);
  g_autoptr(JsonArray) described = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;

  if (!reins_tool_registry_add_mcp_server_full (registry, spec, max_tools, NULL, NULL, NULL,
                                                &error))
    g_error ("%s", error->message);
  described = reins_tool_registry_describe (registry);
  node = json_node_init_array (json_node_alloc (), described);
  json = json_to_string (node, FALSE);
  g_print ("MCP server with 2,001 tools, mcp_max_tools=%u: %u tools, %.1f KB of tool "
           "descriptions in every model request\n", max_tools,
           json_array_get_length (described), strlen (json) / 1024.0);
  reins_tool_registry_stop_mcp_servers (registry);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");

  model_fault ("keep-alives every 100 ms", REINS_TEST_FAULT_DRIP);
  model_fault ("silent", REINS_TEST_FAULT_SILENT);

  if (argc > 1)
    {
      const char *modes[] = { "wrong-id", "parse-error", "garbage-flood", "request-flood" };

      for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
        mcp_fault (argv[1], modes[i]);
      tool_cost (argv[1], 0);
      tool_cost (argv[1], 100000);
    }
  return 0;
}
