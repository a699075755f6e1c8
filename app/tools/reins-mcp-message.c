/* reins-mcp-message.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-error.h"
#include "reins-json-util.h"
#include "reins-mcp-message.h"

static gsize
trimmed_length (const char *line,
                gsize       length)
{
  while (length > 0 && (line[length - 1] == '\r' || line[length - 1] == ' '))
    length--;
  return length;
}

/* A line with nothing but a carriage return or spaces is ignored, not garbage. */
gboolean
reins_mcp_line_is_blank (const char *line,
                         gsize       length)
{
  return trimmed_length (line, length) == 0;
}

/**
 * reins_mcp_message_parse:
 * @line: one line of the server's stdout, without its newline; any bytes
 *
 * The nesting is bounded and the strings made valid UTF-8 (reins_json_parse_bounded()), so
 * neither a hostile server nor a broken one can crash the reader or put bad text into an
 * observation.
 *
 * Returns: (transfer full) (nullable): the message, or %NULL with @error set when the line is
 *   not a JSON-RPC 2.0 object
 */
JsonObject *
reins_mcp_message_parse (const char  *line,
                         gsize        length,
                         GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  length = trimmed_length (line, length);
  if (!g_utf8_validate (line, length, NULL))
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_MCP,
                           _("The line is not valid UTF-8"));
      return NULL;
    }

  root = reins_json_parse_bounded (line, length, REINS_JSON_MAX_DEPTH, error);
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_MCP,
                           _("The line is not a JSON object"));
      return NULL;
    }

  object = json_node_get_object (root);
  if (g_strcmp0 (reins_json_string_or (object, "jsonrpc", NULL),
                 "2.0") != 0)
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_MCP,
                           _("The message does not say “jsonrpc”: “2.0”"));
      return NULL;
    }

  return json_object_ref (object);
}
