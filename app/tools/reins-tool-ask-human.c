/* reins-tool-ask-human.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in tool `ask_human`: asks the person supervising the run a question, through the
 * context's callback (the same channel as the harness's confirmations).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-builtin-tool.h"

static ReinsToolResult *
ask_human_invoke (ReinsToolContext *context,
                  JsonObject       *arguments,
                  GCancellable     *cancellable)
{
  const char *question = json_object_get_string_member_with_default (arguments, "question",
                                                                      NULL);
  g_autofree char *answer = NULL;

  if (question == NULL)
    return reins_tool_result_new_error ("%s", _("“question” is required"));
  if (context->ask_human == NULL)
    return reins_tool_result_new_error ("%s", _("no person is available to answer"));

  answer = context->ask_human (question, context->ask_human_data, cancellable);
  if (g_cancellable_is_cancelled (cancellable))
    return reins_tool_result_new_error ("%s", _("The question was cancelled"));
  if (answer == NULL)
    return reins_tool_result_new_error ("%s", _("The person did not answer"));
  return reins_tool_result_new (answer, FALSE);
}

ReinsTool *
reins_tool_ask_human_new (void)
{
  return reins_builtin_tool_new ("ask_human",
                                 "Ask the person supervising you a question and get their "
                                 "answer. Use it when the task is ambiguous.",
                                 "{\"type\":\"object\","
                                 "\"properties\":{\"question\":{\"type\":\"string\","
                                 "\"minLength\":1,\"description\":\"The question\"}},"
                                 "\"required\":[\"question\"],\"additionalProperties\":false}",
                                 REINS_RISK_READ,
                                 ask_human_invoke);
}
