/* bench-tools.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints how fast the tools layer is: sandboxed reads, schema validation plus calculator,
 * and MCP round trips to fake-mcp-server. Built, not run by the test suite.
 *
 *   bench-tools [PATH-TO-fake-mcp-server]
 */

#include "config.h"

#include <locale.h>

#include <glib/gstdio.h>
#include <string.h>

#include "reins-mcp-client.h"
#include "reins-tool-registry.h"

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("reins-bench-XXXXXX", &error);
  g_autofree char *sub = g_build_filename (root, "a", "b", "c", NULL);
  g_autofree char *file = g_build_filename (sub, "file.txt", NULL);
  g_autoptr(ReinsToolRegistry) registry = reins_tool_registry_new_builtin (NULL, &error);
  g_autoptr(ReinsAction) read = NULL;
  g_autoptr(ReinsAction) calc = NULL;
  ReinsToolContext context = { .workspace = root };
  const int n_read = 20000, n_calc = 100000, n_mcp = 2000;
  gint64 start;

  setlocale (LC_ALL, "");

  g_assert_no_error (error);
  g_mkdir_with_parents (sub, 0755);
  g_file_set_contents (file, "hello\n", -1, NULL);

  read = reins_action_new_from_string ("{\"name\":\"read_file\",\"arguments\":{\"path\":\"a/b/c/file.txt\"}}", NULL);
  start = g_get_monotonic_time ();
  for (int i = 0; i < n_read; i++)
    reins_tool_result_free (reins_tool_registry_invoke (registry, &context, read, NULL));
  g_print ("read_file (4 components, validated): %.1f µs per call\n",
           seconds_since (start) * 1e6 / n_read);

  calc = reins_action_new_from_string ("{\"name\":\"calculator\",\"arguments\":{\"expression\":\"sqrt(16) + (2^10 - 24) / 7 * max(1, 2, 3)\"}}", NULL);
  start = g_get_monotonic_time ();
  for (int i = 0; i < n_calc; i++)
    reins_tool_result_free (reins_tool_registry_invoke (registry, &context, calc, NULL));
  g_print ("calculator (validated): %.2f µs per call\n", seconds_since (start) * 1e6 / n_calc);

  if (argc > 1)
    {
      g_autofree char *command = g_strdup_printf ("%s normal", argv[1]);
      g_autoptr(ReinsMcpClient) client = reins_mcp_client_new ("bench", command, &error);
      g_autoptr(JsonObject) args = json_object_new ();

      start = g_get_monotonic_time ();
      if (!reins_mcp_client_start (client, NULL, &error))
        g_error ("%s", error->message);
      g_print ("MCP start (initialize + tools/list): %.1f ms\n", seconds_since (start) * 1e3);

      json_object_set_string_member (args, "message", "ping");
      start = g_get_monotonic_time ();
      for (int i = 0; i < n_mcp; i++)
        reins_tool_result_free (reins_mcp_client_call_tool (client, "echo", args, 10, NULL));
      g_print ("MCP tools/call round trip: %.1f µs per call\n",
               seconds_since (start) * 1e6 / n_mcp);

      start = g_get_monotonic_time ();
      reins_mcp_client_stop (client);
      g_print ("MCP orderly stop: %.1f ms\n", seconds_since (start) * 1e3);
    }

  g_unlink (file);
  for (int i = 0; i < 3; i++)
    {
      g_rmdir (sub);
      *strrchr (sub, '/') = '\0';
    }
  g_rmdir (root);
  return 0;
}
