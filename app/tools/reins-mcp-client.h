/* reins-mcp-client.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsMcpClient: one Model Context Protocol server, run as a subprocess and spoken to over
 * stdio (newline-delimited JSON-RPC 2.0), or reached over Streamable HTTP at a URL. Its tools
 * become ReinsTools named `NAME__TOOL`.
 */

#pragma once

#include "reins-tool.h"

G_BEGIN_DECLS

/* The version offered in `initialize`, and every version accepted in reply. */
#define REINS_MCP_PROTOCOL_VERSION "2025-06-18"
/* The stateless revision, spoken when a server answers initialize with an error but
 * server/discover with a result. */
#define REINS_MCP_STATELESS_VERSION "2026-07-28"

#define REINS_TYPE_MCP_CLIENT (reins_mcp_client_get_type ())

G_DECLARE_FINAL_TYPE (ReinsMcpClient, reins_mcp_client, REINS, MCP_CLIENT, GObject)

ReinsMcpClient  *reins_mcp_client_new                  (const char          *name,
                                                        const char          *command_line,
                                                        GError             **error);
ReinsMcpClient  *reins_mcp_client_new_argv             (const char          *name,
                                                        const char * const  *argv,
                                                        GError             **error);
ReinsMcpClient  *reins_mcp_client_new_url              (const char          *name,
                                                        const char          *url,
                                                        GError             **error);
const char      *reins_mcp_client_get_name             (ReinsMcpClient      *self);
void             reins_mcp_client_set_risk             (ReinsMcpClient      *self,
                                                        ReinsRisk            risk);
void             reins_mcp_client_set_trust_annotations (ReinsMcpClient  *self,
                                                        gboolean             trust);
void             reins_mcp_client_set_root              (ReinsMcpClient      *self,
                                                        const char          *folder);
void             reins_mcp_client_set_oauth_client     (ReinsMcpClient      *self,
                                                        const char          *client_id,
                                                        const char          *client_secret);
void             reins_mcp_client_set_default_oauth_client (const char *name,
                                                            const char *client_id);
void             reins_mcp_client_replace_default_oauth_clients (GVariant *ids);
void             reins_mcp_client_set_start_timeout    (ReinsMcpClient      *self,
                                                        guint                seconds);
gboolean         reins_mcp_client_start                (ReinsMcpClient      *self,
                                                        GCancellable        *cancellable,
                                                        GError             **error);
void             reins_mcp_client_set_tool_filter      (ReinsMcpClient      *self,
                                                        guint                max_tools,
                                                        const char * const  *allowed);
char            *reins_mcp_client_dup_tool_warning     (ReinsMcpClient      *self);
const char      *reins_mcp_client_get_protocol_version (ReinsMcpClient      *self);
GPtrArray       *reins_mcp_client_get_tools            (ReinsMcpClient      *self);
gboolean         reins_mcp_client_refresh_tools        (ReinsMcpClient      *self,
                                                        GCancellable        *cancellable,
                                                        GError             **error);
ReinsToolResult *reins_mcp_client_call_tool            (ReinsMcpClient      *self,
                                                        const char          *tool_name,
                                                        JsonObject          *arguments,
                                                        guint                timeout_s,
                                                        GCancellable        *cancellable);
ReinsToolResult *reins_mcp_client_call_tool_full       (ReinsMcpClient      *self,
                                                        const char          *tool_name,
                                                        JsonObject          *arguments,
                                                        guint                timeout_s,
                                                        ReinsElicitFunc      elicit,
                                                        gpointer             elicit_data,
                                                        GCancellable        *cancellable);
ReinsToolResult *reins_mcp_client_call_tool_in_context (ReinsMcpClient     *self,
                                                        const char          *tool_name,
                                                        JsonObject          *arguments,
                                                        const ReinsToolContext *context,
                                                        GCancellable        *cancellable);
JsonNode        *reins_mcp_client_request              (ReinsMcpClient      *self,
                                                        const char          *method,
                                                        JsonObject          *params,
                                                        guint                timeout_s,
                                                        GCancellable        *cancellable,
                                                        GError             **error);
gboolean         reins_mcp_client_is_running           (ReinsMcpClient      *self);
void             reins_mcp_client_stop                 (ReinsMcpClient      *self);
const char      *reins_mcp_client_get_stderr_tail      (ReinsMcpClient      *self);

G_END_DECLS
