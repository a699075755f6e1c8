/* reins-mcp-tool.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsMcpTool: a tool of an MCP server, as a ReinsTool named `SERVER__TOOL`.
 */

#include "config.h"

#include <string.h>

#include "reins-json-util.h"
#include "reins-builtin-tool.h"
#include "reins-mcp-tool.h"

struct _ReinsMcpTool
{
  GObject         parent_instance;

  ReinsMcpClient *client;
  char           *name;
  char           *remote_name;
  char           *description;
  JsonObject     *schema;
  ReinsRisk       risk;
};

static void reins_mcp_tool_iface_init (ReinsToolInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReinsMcpTool, reins_mcp_tool, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (REINS_TYPE_TOOL, reins_mcp_tool_iface_init))

static const char *
reins_mcp_tool_get_name (ReinsTool *tool)
{
  return REINS_MCP_TOOL (tool)->name;
}

static const char *
reins_mcp_tool_get_description (ReinsTool *tool)
{
  return REINS_MCP_TOOL (tool)->description;
}

static JsonObject *
reins_mcp_tool_get_schema (ReinsTool *tool)
{
  return REINS_MCP_TOOL (tool)->schema;
}

static ReinsRisk
reins_mcp_tool_get_risk (ReinsTool *tool)
{
  return REINS_MCP_TOOL (tool)->risk;
}

static ReinsToolResult *
reins_mcp_tool_invoke (ReinsTool        *tool,
                       ReinsToolContext *context,
                       JsonObject       *arguments,
                       GCancellable     *cancellable)
{
  ReinsMcpTool *self = REINS_MCP_TOOL (tool);

  return reins_mcp_client_call_tool_in_context (self->client, self->remote_name, arguments,
                                                context, cancellable);
}

static void
reins_mcp_tool_iface_init (ReinsToolInterface *iface)
{
  iface->get_name = reins_mcp_tool_get_name;
  iface->get_description = reins_mcp_tool_get_description;
  iface->get_schema = reins_mcp_tool_get_schema;
  iface->get_risk = reins_mcp_tool_get_risk;
  iface->invoke = reins_mcp_tool_invoke;
}

static void
reins_mcp_tool_finalize (GObject *object)
{
  ReinsMcpTool *self = REINS_MCP_TOOL (object);

  g_clear_object (&self->client);
  g_free (self->name);
  g_free (self->remote_name);
  g_free (self->description);
  g_clear_pointer (&self->schema, json_object_unref);

  G_OBJECT_CLASS (reins_mcp_tool_parent_class)->finalize (object);
}

static void
reins_mcp_tool_class_init (ReinsMcpToolClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = reins_mcp_tool_finalize;
}

static void
reins_mcp_tool_init (ReinsMcpTool *self)
{
}

/* `SERVER__TOOL`, with what providers refuse in a tool name (Anthropic: ^[a-zA-Z0-9_-]{1,64}$)
 * replaced by `_` and the whole cut to 64 characters. */
char *
reins_mcp_tool_make_name (const char *server,
                          const char *tool)
{
  g_autofree char *name = g_strconcat (server, "__", tool, NULL);

  for (char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
      *p = '_';
  if (strlen (name) > 64)
    name[64] = '\0';
  return g_steal_pointer (&name);
}

/**
 * reins_mcp_tool_new:
 * @description: an entry of the server's `tools/list`: name, description, inputSchema …
 */
ReinsTool *
reins_mcp_tool_new (ReinsMcpClient *client,
                    JsonObject     *description,
                    ReinsRisk       risk)
{
  ReinsMcpTool *self;
  JsonNode *schema;
  const char *title, *text;

  g_return_val_if_fail (REINS_IS_MCP_CLIENT (client), NULL);
  g_return_val_if_fail (description != NULL, NULL);

  self = g_object_new (REINS_TYPE_MCP_TOOL, NULL);
  self->client = g_object_ref (client);
  self->remote_name = g_strdup (reins_json_string_or (description, "name",
                                                                            ""));
  self->name = reins_mcp_tool_make_name (reins_mcp_client_get_name (client), self->remote_name);
  self->risk = risk;

  text = reins_json_string_or (description, "description", NULL);
  title = reins_json_string_or (description, "title", NULL);
  self->description = g_strdup (text != NULL ? text : title != NULL ? title : self->remote_name);

  schema = json_object_get_member (description, "inputSchema");
  if (schema != NULL && JSON_NODE_HOLDS_OBJECT (schema))
    self->schema = json_object_ref (json_node_get_object (schema));
  else
    {
      self->schema = json_object_new ();
      json_object_set_string_member (self->schema, "type", "object");
    }
  return REINS_TOOL (self);
}

const char *
reins_mcp_tool_get_remote_name (ReinsMcpTool *self)
{
  g_return_val_if_fail (REINS_IS_MCP_TOOL (self), NULL);
  return self->remote_name;
}
