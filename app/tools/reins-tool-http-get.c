/* reins-tool-http-get.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in tool `http_get` (not implemented yet).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-builtin-tool.h"

static ReinsToolResult *
http_get_invoke (ReinsToolContext *context,
             JsonObject       *arguments,
             GCancellable     *cancellable)
{
  return reins_tool_result_new_error ("%s", _("This tool is not available yet"));
}

ReinsTool *
reins_tool_http_get_new (void)
{
  return reins_builtin_tool_new ("http_get", "Not available yet.",
                                 "{\"type\":\"object\",\"required\":[]}",
                                 REINS_RISK_NETWORK,
                                 http_get_invoke);
}
