/* reins-mcp-tool.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsMcpTool: a tool of an MCP server, as a ReinsTool named `SERVER__TOOL`.
 */

#pragma once

#include "reins-mcp-client.h"

G_BEGIN_DECLS

#define REINS_TYPE_MCP_TOOL (reins_mcp_tool_get_type ())

G_DECLARE_FINAL_TYPE (ReinsMcpTool, reins_mcp_tool, REINS, MCP_TOOL, GObject)

ReinsTool  *reins_mcp_tool_new             (ReinsMcpClient *client,
                                            JsonObject     *description,
                                            ReinsRisk       risk);
const char *reins_mcp_tool_get_remote_name (ReinsMcpTool   *self);
char       *reins_mcp_tool_make_name       (const char     *server,
                                            const char     *tool);

G_END_DECLS
