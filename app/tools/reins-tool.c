/* reins-tool.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ReinsTool interface and the result of an invocation.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-tool.h"

G_DEFINE_INTERFACE (ReinsTool, reins_tool, G_TYPE_OBJECT)

static void
reins_tool_default_init (ReinsToolInterface *iface)
{
}

ReinsToolResult *
reins_tool_result_new (const char *text,
                       gboolean    is_error)
{
  ReinsToolResult *result = g_new0 (ReinsToolResult, 1);

  result->text = g_strdup (text != NULL ? text : "");
  result->is_error = is_error;
  result->exit_status = -1;
  result->truncated = FALSE;
  return result;
}

ReinsToolResult *
reins_tool_result_new_error (const char *format,
                             ...)
{
  ReinsToolResult *result;
  va_list args;

  va_start (args, format);
  result = g_new0 (ReinsToolResult, 1);
  result->text = g_strdup_vprintf (format, args);
  result->is_error = TRUE;
  result->exit_status = -1;
  va_end (args);
  return result;
}

void
reins_tool_result_free (ReinsToolResult *result)
{
  if (result == NULL)
    return;
  g_free (result->text);
  g_free (result);
}

const char *
reins_tool_get_name (ReinsTool *self)
{
  g_return_val_if_fail (REINS_IS_TOOL (self), NULL);
  return REINS_TOOL_GET_IFACE (self)->get_name (self);
}

const char *
reins_tool_get_description (ReinsTool *self)
{
  g_return_val_if_fail (REINS_IS_TOOL (self), NULL);
  return REINS_TOOL_GET_IFACE (self)->get_description (self);
}

JsonObject *
reins_tool_get_schema (ReinsTool *self)
{
  g_return_val_if_fail (REINS_IS_TOOL (self), NULL);
  return REINS_TOOL_GET_IFACE (self)->get_schema (self);
}

ReinsRisk
reins_tool_get_risk (ReinsTool *self)
{
  g_return_val_if_fail (REINS_IS_TOOL (self), REINS_RISK_EXEC);
  return REINS_TOOL_GET_IFACE (self)->get_risk (self);
}

ReinsToolResult *
reins_tool_invoke (ReinsTool        *self,
                   ReinsToolContext *context,
                   JsonObject       *arguments,
                   GCancellable     *cancellable)
{
  g_return_val_if_fail (REINS_IS_TOOL (self), NULL);
  g_return_val_if_fail (context != NULL, NULL);
  g_return_val_if_fail (arguments != NULL, NULL);

  if (g_cancellable_is_cancelled (cancellable))
    return reins_tool_result_new_error ("%s", _("The tool call was cancelled"));
  return REINS_TOOL_GET_IFACE (self)->invoke (self, context, arguments, cancellable);
}
