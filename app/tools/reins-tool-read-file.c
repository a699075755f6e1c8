/* reins-tool-read-file.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in tool `read_file`: a text file of the workspace, capped.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-builtin-tool.h"
#include "reins-sandbox.h"

static ReinsToolResult *
read_file_invoke (ReinsToolContext *context,
                  JsonObject       *arguments,
                  GCancellable     *cancellable)
{
  const char *path = json_object_get_string_member_with_default (arguments, "path", NULL);
  g_autoptr(ReinsSandbox) sandbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean truncated = FALSE;
  ReinsToolResult *result;

  if (path == NULL)
    return reins_tool_result_new_error ("%s", _("“path” is required"));

  sandbox = reins_tool_context_open_sandbox (context, &error);
  if (sandbox == NULL)
    return reins_tool_result_new_error ("%s", error->message);

  text = reins_sandbox_read_text (sandbox, path, -1, REINS_SANDBOX_READ_CAP, &truncated, &error);
  if (text == NULL)
    return reins_tool_result_new_error ("%s", error->message);

  result = reins_tool_result_new (text, FALSE);
  result->truncated = truncated;
  return result;
}

ReinsTool *
reins_tool_read_file_new (void)
{
  return reins_builtin_tool_new ("read_file",
                                 "Read a text file of the workspace. Long files are cut "
                                 "with a marker.",
                                 "{\"type\":\"object\","
                                 "\"properties\":{\"path\":{\"type\":\"string\",\"minLength\":1,"
                                 "\"description\":\"Path relative to the workspace\"}},"
                                 "\"required\":[\"path\"],\"additionalProperties\":false}",
                                 REINS_RISK_READ,
                                 read_file_invoke);
}
