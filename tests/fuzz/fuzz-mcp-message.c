/* fuzz-mcp-message.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The MCP line reader on any line a server could write, and a result it accepts turned
 * into an observation: never a crash, always valid UTF-8.
 */

#include "config.h"

#include "fuzz-target.h"
#include "reins-mcp-content.h"
#include "reins-mcp-message.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) message = NULL;
  JsonNode *result;

  if (reins_mcp_line_is_blank ((const char *) data, size))
    return 0;

  message = reins_mcp_message_parse ((const char *) data, size, &error);
  fuzz_check ((message != NULL) == (error == NULL));
  if (message == NULL)
    return 0;

  result = json_object_get_member (message, "result");
  if (result != NULL && JSON_NODE_HOLDS_OBJECT (result))
    {
      g_autoptr(ReinsToolResult) observation =
        reins_mcp_content_to_result (json_node_get_object (result));

      fuzz_check (observation != NULL);
      fuzz_check (observation->text != NULL && g_utf8_validate (observation->text, -1, NULL));
    }
  return 0;
}
