/* reins-builtin-tool.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsBuiltinTool: a ReinsTool made of a name, a description, a schema, a risk and an
 * invoke function.
 */

#include "config.h"

#include "reins-builtin-tool.h"

struct _ReinsBuiltinTool
{
  GObject                 parent_instance;

  char                   *name;
  char                   *description;
  JsonObject             *schema;
  ReinsRisk               risk;
  ReinsBuiltinInvokeFunc  invoke;
};

static void reins_builtin_tool_iface_init (ReinsToolInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReinsBuiltinTool, reins_builtin_tool, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (REINS_TYPE_TOOL,
                                                      reins_builtin_tool_iface_init))

static const char *
reins_builtin_tool_get_name (ReinsTool *tool)
{
  return REINS_BUILTIN_TOOL (tool)->name;
}

static const char *
reins_builtin_tool_get_description (ReinsTool *tool)
{
  return REINS_BUILTIN_TOOL (tool)->description;
}

static JsonObject *
reins_builtin_tool_get_schema (ReinsTool *tool)
{
  return REINS_BUILTIN_TOOL (tool)->schema;
}

static ReinsRisk
reins_builtin_tool_get_risk (ReinsTool *tool)
{
  return REINS_BUILTIN_TOOL (tool)->risk;
}

static ReinsToolResult *
reins_builtin_tool_invoke (ReinsTool        *tool,
                           ReinsToolContext *context,
                           JsonObject       *arguments,
                           GCancellable     *cancellable)
{
  return REINS_BUILTIN_TOOL (tool)->invoke (context, arguments, cancellable);
}

static void
reins_builtin_tool_iface_init (ReinsToolInterface *iface)
{
  iface->get_name = reins_builtin_tool_get_name;
  iface->get_description = reins_builtin_tool_get_description;
  iface->get_schema = reins_builtin_tool_get_schema;
  iface->get_risk = reins_builtin_tool_get_risk;
  iface->invoke = reins_builtin_tool_invoke;
}

static void
reins_builtin_tool_finalize (GObject *object)
{
  ReinsBuiltinTool *self = REINS_BUILTIN_TOOL (object);

  g_free (self->name);
  g_free (self->description);
  g_clear_pointer (&self->schema, json_object_unref);

  G_OBJECT_CLASS (reins_builtin_tool_parent_class)->finalize (object);
}

static void
reins_builtin_tool_class_init (ReinsBuiltinToolClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = reins_builtin_tool_finalize;
}

static void
reins_builtin_tool_init (ReinsBuiltinTool *self)
{
}

ReinsTool *
reins_builtin_tool_new (const char             *name,
                        const char             *description,
                        const char             *schema_json,
                        ReinsRisk               risk,
                        ReinsBuiltinInvokeFunc  invoke)
{
  ReinsBuiltinTool *self;
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (schema_json != NULL, NULL);
  g_return_val_if_fail (invoke != NULL, NULL);

  /* The schemas are literals in this folder; a broken one is a programming error. */
  node = json_from_string (schema_json, NULL);
  g_assert (node != NULL && JSON_NODE_HOLDS_OBJECT (node));

  self = g_object_new (REINS_TYPE_BUILTIN_TOOL, NULL);
  self->name = g_strdup (name);
  self->description = g_strdup (description);
  self->schema = json_object_ref (json_node_get_object (node));
  self->risk = risk;
  self->invoke = invoke;
  return REINS_TOOL (self);
}

ReinsSandbox *
reins_tool_context_open_sandbox (ReinsToolContext  *context,
                                 GError           **error)
{
  if (context != NULL && context->sandbox != NULL)
    return reins_sandbox_dup (context->sandbox, error);
  return reins_sandbox_new (context != NULL && context->workspace != NULL ? context->workspace
                                                                          : ".", error);
}

guint
reins_tool_context_get_timeout (ReinsToolContext *context)
{
  if (context == NULL || context->timeout_s == 0)
    return 30;
  return context->timeout_s;
}
