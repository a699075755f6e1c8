/* reins-mcp-message.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One line an MCP stdio server wrote, read as a JSON-RPC 2.0 message.
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean    reins_mcp_line_is_blank   (const char  *line,
                                       gsize        length);
JsonObject *reins_mcp_message_parse   (const char  *line,
                                       gsize        length,
                                       GError     **error);

G_END_DECLS
