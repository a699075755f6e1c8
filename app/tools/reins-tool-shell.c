/* reins-tool-shell.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in tool `shell` (not implemented yet).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-builtin-tool.h"

static ReinsToolResult *
shell_invoke (ReinsToolContext *context,
             JsonObject       *arguments,
             GCancellable     *cancellable)
{
  return reins_tool_result_new_error ("%s", _("This tool is not available yet"));
}

ReinsTool *
reins_tool_shell_new (void)
{
  return reins_builtin_tool_new ("shell", "Not available yet.",
                                 "{\"type\":\"object\",\"required\":[]}",
                                 REINS_RISK_EXEC,
                                 shell_invoke);
}
