/* reins-mcp-content.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The result of an MCP `tools/call` as observation text.
 */

#pragma once

#include "reins-tool.h"

G_BEGIN_DECLS

ReinsToolResult *reins_mcp_content_to_result         (JsonObject *call_result);
ReinsToolResult *reins_mcp_content_to_result_checked (JsonObject *call_result,
                                                      JsonObject *output_schema);

G_END_DECLS
