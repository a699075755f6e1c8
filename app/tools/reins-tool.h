/* reins-tool.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsTool: something the agent can do, with a JSON Schema for its arguments and a risk
 * level. `invoke` is synchronous and runs on the executor's worker thread.
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "reins-domain.h"

G_BEGIN_DECLS

/* What an invocation gave back. A tool error is an observation with @is_error set; the run
 * goes on. */
typedef struct
{
  char     *text;
  gboolean  is_error;
  int       exit_status;   /* for processes; -1 when there is none */
  gboolean  truncated;
} ReinsToolResult;

ReinsToolResult *reins_tool_result_new       (const char      *text,
                                              gboolean         is_error);
ReinsToolResult *reins_tool_result_new_error (const char      *format,
                                              ...) G_GNUC_PRINTF (1, 2);
void             reins_tool_result_free      (ReinsToolResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsToolResult, reins_tool_result_free)

/* Asks the person a question (tool `ask_human`), through the same channel as the harness's
 * confirmations. Runs on the worker and blocks; returns NULL if there is no answer (the run
 * was cancelled or nobody can answer). */
typedef char *(*ReinsAskHumanFunc) (const char   *question,
                                    gpointer      user_data,
                                    GCancellable *cancellable);

/* Puts an MCP server's `elicitation/create` to the person (@request: its params, with
 * `message` and `requestedSchema`). Runs on the worker and blocks; returns the answer for the
 * server, `{action, content?}`, or NULL when there is none (the run was cancelled). */
typedef JsonObject *(*ReinsElicitFunc) (const char   *server,
                                        JsonObject   *request,
                                        gpointer      user_data,
                                        GCancellable *cancellable);

/* An MCP server's `notifications/progress` for a call that runs: @progress and @total (-1
 * when the server gave none) as it gave them, @message or NULL. Called on a thread of the
 * tool (not the main thread), never after the invocation returned. */
typedef void (*ReinsToolProgressFunc) (const char *tool,
                                       double      progress,
                                       double      total,
                                       const char *message,
                                       gpointer    user_data);

/* What a tool may use while it runs. */
typedef struct
{
  char              *workspace;       /* absolute path of the root file tools are confined to */
  struct _ReinsSandbox *sandbox;      /* (nullable) the workspace opened once for the run, so
                                       * that replacing the folder cannot move the sandbox;
                                       * NULL: each call opens `workspace` */
  ReinsAskHumanFunc  ask_human;
  gpointer           ask_human_data;
  guint              timeout_s;       /* shell, http_get and MCP calls; 0 means 30 */
  ReinsElicitFunc    elicit;          /* (nullable) an MCP server asks the person */
  gpointer           elicit_data;
  ReinsToolProgressFunc progress;     /* (nullable) an MCP server says how far a call is */
  gpointer           progress_data;
} ReinsToolContext;

#define REINS_TYPE_TOOL (reins_tool_get_type ())

G_DECLARE_INTERFACE (ReinsTool, reins_tool, REINS, TOOL, GObject)

struct _ReinsToolInterface
{
  GTypeInterface parent_iface;

  const char      *(*get_name)        (ReinsTool        *self);
  const char      *(*get_description) (ReinsTool        *self);
  JsonObject      *(*get_schema)      (ReinsTool        *self);
  ReinsRisk        (*get_risk)        (ReinsTool        *self);
  ReinsToolResult *(*invoke)          (ReinsTool        *self,
                                       ReinsToolContext *context,
                                       JsonObject       *arguments,
                                       GCancellable     *cancellable);
};

const char      *reins_tool_get_name        (ReinsTool        *self);
const char      *reins_tool_get_description (ReinsTool        *self);
JsonObject      *reins_tool_get_schema      (ReinsTool        *self);
ReinsRisk        reins_tool_get_risk        (ReinsTool        *self);
ReinsToolResult *reins_tool_invoke          (ReinsTool        *self,
                                             ReinsToolContext *context,
                                             JsonObject       *arguments,
                                             GCancellable     *cancellable);

G_END_DECLS
