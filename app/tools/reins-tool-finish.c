/* reins-tool-finish.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in tool `finish`: ends the run with an answer.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-builtin-tool.h"

/* The loop ends the run when it sees this tool; invoking it only hands the answer back. */
static ReinsToolResult *
finish_invoke (ReinsToolContext *context,
               JsonObject       *arguments,
               GCancellable     *cancellable)
{
  const char *answer = json_object_get_string_member_with_default (arguments, "answer", NULL);

  if (answer == NULL)
    return reins_tool_result_new_error ("%s", _("“answer” is required"));
  return reins_tool_result_new (answer, FALSE);
}

ReinsTool *
reins_tool_finish_new (void)
{
  return reins_builtin_tool_new ("finish",
                                 "End the task and give the final answer.",
                                 "{\"type\":\"object\","
                                 "\"properties\":{\"answer\":{\"type\":\"string\","
                                 "\"description\":\"The final answer to the task\"}},"
                                 "\"required\":[\"answer\"],\"additionalProperties\":false}",
                                 REINS_RISK_READ,
                                 finish_invoke);
}
