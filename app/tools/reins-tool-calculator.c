/* reins-tool-calculator.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in tool `calculator`: evaluates an arithmetic expression (reins-expr.h).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-builtin-tool.h"
#include "reins-expr.h"

static ReinsToolResult *
calculator_invoke (ReinsToolContext *context,
                   JsonObject       *arguments,
                   GCancellable     *cancellable)
{
  const char *expression = json_object_get_string_member_with_default (arguments, "expression",
                                                                        NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  double value;

  if (expression == NULL)
    return reins_tool_result_new_error ("%s", _("“expression” is required"));
  if (!reins_expr_evaluate (expression, &value, &error))
    return reins_tool_result_new_error ("%s", error->message);

  text = reins_expr_format (value);
  return reins_tool_result_new (text, FALSE);
}

ReinsTool *
reins_tool_calculator_new (void)
{
  return reins_builtin_tool_new ("calculator",
                                 "Evaluate an arithmetic expression: + - * / % ^, "
                                 "parentheses, sqrt abs ln log10 exp sin cos tan min max "
                                 "round floor ceil, pi and e.",
                                 "{\"type\":\"object\","
                                 "\"properties\":{\"expression\":{\"type\":\"string\","
                                 "\"minLength\":1,\"description\":\"For example "
                                 "(2 + 3) * sqrt(16)\"}},"
                                 "\"required\":[\"expression\"],\"additionalProperties\":false}",
                                 REINS_RISK_READ,
                                 calculator_invoke);
}
