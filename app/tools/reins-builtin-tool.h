/* reins-builtin-tool.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsBuiltinTool: a ReinsTool made of a name, a description, a schema, a risk and an
 * invoke function. Each built-in tool of CONTRACTS §3 is one of these, built by its own
 * file (reins-tool-<name>.c).
 */

#pragma once

#include "reins-sandbox.h"
#include "reins-tool.h"

G_BEGIN_DECLS

typedef ReinsToolResult *(*ReinsBuiltinInvokeFunc) (ReinsToolContext *context,
                                                    JsonObject       *arguments,
                                                    GCancellable     *cancellable);

#define REINS_TYPE_BUILTIN_TOOL (reins_builtin_tool_get_type ())

G_DECLARE_FINAL_TYPE (ReinsBuiltinTool, reins_builtin_tool, REINS, BUILTIN_TOOL, GObject)

ReinsTool *reins_builtin_tool_new (const char             *name,
                                   const char             *description,
                                   const char             *schema_json,
                                   ReinsRisk               risk,
                                   ReinsBuiltinInvokeFunc  invoke);

/* The built-ins, one file each. */
ReinsTool *reins_tool_finish_new       (void);
ReinsTool *reins_tool_list_dir_new     (void);
ReinsTool *reins_tool_read_file_new    (void);
ReinsTool *reins_tool_search_files_new (void);
ReinsTool *reins_tool_write_file_new   (void);
ReinsTool *reins_tool_http_get_new     (void);
ReinsTool *reins_tool_shell_new        (void);
ReinsTool *reins_tool_calculator_new   (void);
ReinsTool *reins_tool_ask_human_new    (void);
ReinsTool *reins_tool_kb_lookup_new    (void);

/* The context's timeout in seconds (0 means 30). */
guint         reins_tool_context_get_timeout      (ReinsToolContext *context);
/* The run's sandbox (a duplicate, to free), or the workspace opened now. */
ReinsSandbox *reins_tool_context_open_sandbox     (ReinsToolContext *context,
                                                   GError          **error);

G_END_DECLS
