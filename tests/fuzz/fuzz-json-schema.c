/* fuzz-json-schema.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The JSON-schema validator with any schema (MCP servers send their own) against any
 * instance: the input is a schema, a NUL byte, then the instance.
 */

#include "config.h"

#include <string.h>

#include "fuzz-target.h"
#include "reins-json-schema.h"
#include "reins-json-util.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  const char *nul = memchr (text, '\0', size);
  g_autofree char *schema_text = NULL;
  g_autofree char *instance_text = NULL;
  g_autoptr(JsonNode) schema = NULL;
  g_autoptr(JsonNode) instance = NULL;
  g_autoptr(GError) error = NULL;
  gboolean valid;

  if (nul == NULL)
    return 0;
  schema_text = g_strndup (text, nul - text);
  instance_text = g_strndup (nul + 1, size - (nul + 1 - text));

  schema = reins_json_from_string (schema_text, NULL);
  instance = reins_json_from_string (instance_text, NULL);
  if (schema == NULL || !JSON_NODE_HOLDS_OBJECT (schema) || instance == NULL)
    return 0;

  valid = reins_json_schema_validate (json_node_get_object (schema), instance, &error);
  fuzz_check (valid == (error == NULL));
  fuzz_check (error == NULL || g_utf8_validate (error->message, -1, NULL));
  return 0;
}
