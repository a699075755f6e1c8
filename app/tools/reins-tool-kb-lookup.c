/* reins-tool-kb-lookup.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in tool `kb_lookup`: one step along a knowledge-base chain (reins-kb.h).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-builtin-tool.h"
#include "reins-kb.h"

static ReinsToolResult *
kb_lookup_invoke (ReinsToolContext *context,
                  JsonObject       *arguments,
                  GCancellable     *cancellable)
{
  const char *key = json_object_get_string_member_with_default (arguments, "key", NULL);
  g_autofree char *text = NULL;
  guint seed, length, index;

  if (key == NULL)
    return reins_tool_result_new_error ("%s", _("“key” is required"));

  text = reins_kb_lookup (key);
  /* An unknown key is an observation the model must see as a failure. */
  return reins_tool_result_new (text, !reins_kb_parse_key (key, &seed, &length, &index));
}

ReinsTool *
reins_tool_kb_lookup_new (void)
{
  return reins_builtin_tool_new ("kb_lookup",
                                 "Look a key up in the knowledge base. A chain starts at "
                                 "chain-<seed>-<length>/0; each result is {\"next\": KEY} to "
                                 "look up next, {\"value\": …} at the end, or "
                                 "{\"error\": \"unknown key\"}.",
                                 "{\"type\":\"object\","
                                 "\"properties\":{\"key\":{\"type\":\"string\",\"minLength\":1,"
                                 "\"description\":\"The key to look up\"}},"
                                 "\"required\":[\"key\"],\"additionalProperties\":false}",
                                 REINS_RISK_READ,
                                 kb_lookup_invoke);
}
