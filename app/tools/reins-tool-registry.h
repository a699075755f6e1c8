/* reins-tool-registry.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tools of one run: looks them up by name, validates arguments against their schema
 * before invoking, and describes them to a provider.
 */

#pragma once

#include "reins-tool.h"

G_BEGIN_DECLS

#define REINS_TYPE_TOOL_REGISTRY (reins_tool_registry_get_type ())

G_DECLARE_FINAL_TYPE (ReinsToolRegistry, reins_tool_registry, REINS, TOOL_REGISTRY, GObject)

/* The built-ins enabled when a run names none (CONTRACTS §1); `finish` is always on. */
#define REINS_DEFAULT_TOOLS "list_dir,read_file,search_files,calculator,kb_lookup"

ReinsToolRegistry *reins_tool_registry_new            (void);
const char * const *reins_tool_registry_get_builtin_names (void);
ReinsToolRegistry *reins_tool_registry_new_builtin    (const char         *tool_list,
                                                       GError            **error);
void               reins_tool_registry_add            (ReinsToolRegistry  *self,
                                                       ReinsTool          *tool);
ReinsTool         *reins_tool_registry_lookup         (ReinsToolRegistry  *self,
                                                       const char         *name);
GPtrArray         *reins_tool_registry_list           (ReinsToolRegistry  *self);
gboolean           reins_tool_registry_validate       (ReinsToolRegistry  *self,
                                                       ReinsAction        *action,
                                                       GError            **error);
ReinsToolResult   *reins_tool_registry_invoke         (ReinsToolRegistry  *self,
                                                       ReinsToolContext   *context,
                                                       ReinsAction        *action,
                                                       GCancellable       *cancellable);
JsonArray         *reins_tool_registry_describe       (ReinsToolRegistry  *self);

/* Whether @spec is well formed (see below); nothing is started. */
gboolean           reins_tool_registry_check_mcp_spec (const char         *spec,
                                                       GError            **error);
/* Starts the MCP server of @spec, `NAME=COMMAND` or `NAME:RISK=COMMAND` (RISK one of read,
 * write, network, exec; exec by default), and adds its tools as `NAME__TOOL`. On failure
 * nothing is added and @error says why; the caller logs it and the run goes on. The server
 * runs until reins_tool_registry_stop_mcp_servers() or the registry is finalized. */
gboolean           reins_tool_registry_add_mcp_server (ReinsToolRegistry  *self,
                                                       const char         *spec,
                                                       GCancellable       *cancellable,
                                                       GError            **error);
/* The same, using at most @max_tools of the server's tools (0: 128), only those in @allowed
 * when it is given; @warning (nullable) receives what was left out, or NULL. */
gboolean           reins_tool_registry_add_mcp_server_full (ReinsToolRegistry  *self,
                                                            const char         *spec,
                                                            guint               max_tools,
                                                            const char * const *allowed,
                                                            char              **warning,
                                                            GCancellable       *cancellable,
                                                            GError            **error);
void               reins_tool_registry_set_mcp_root (ReinsToolRegistry  *self,
                                                     const char         *folder);
void               reins_tool_registry_stop_mcp_servers (ReinsToolRegistry *self);

G_END_DECLS
