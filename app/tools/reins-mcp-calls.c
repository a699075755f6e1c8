/* reins-mcp-calls.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsMcpClient, its tools: listing them (with pages and the filter), the risk each
 * gets, and calling one (with the stateless revision's rounds of input).
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reins-builtin-tool.h"
#include "reins-error.h"
#include "reins-mcp-client.h"
#include "reins-json-util.h"
#include "reins-mcp-content.h"
#include "reins-mcp-message.h"
#include "reins-mcp-elicit.h"
#include "reins-mcp-oauth.h"
#include "reins-mcp-tool.h"
#include "reins-mcp-transport.h"
#include "reins-sandbox.h"
#include "reins-mcp-client-private.h"

static gboolean
hint (JsonObject *annotations,
      const char *name,
      gboolean    fallback)
{
  JsonNode *node = annotations != NULL ? json_object_get_member (annotations, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

static ReinsRisk
tool_risk (ReinsMcpClient *self,
           JsonObject     *description)
{
  JsonNode *node = json_object_get_member (description, "annotations");
  JsonObject *annotations = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
                              ? json_node_get_object (node) : NULL;
  ReinsRisk risk = self->risk;

  if (!self->trust_annotations || annotations == NULL)
    return risk;
  /* Never above what the person gave the server. */
  if (hint (annotations, "readOnlyHint", FALSE))
    risk = hint (annotations, "openWorldHint", FALSE) ? REINS_RISK_NETWORK : REINS_RISK_READ;
  else if (!hint (annotations, "destructiveHint", TRUE))
    risk = REINS_RISK_WRITE;
  return MIN (risk, self->risk);
}

/**
 * reins_mcp_client_set_tool_filter:
 * @max_tools: the most tools to use; 0 means 128
 * @allowed: (nullable): use only these tools (the server's names), in the server's order
 *
 * Which of the server's tools reins_mcp_client_get_tools() gives: the first @max_tools of
 * those @allowed. reins_mcp_client_dup_tool_warning() says what was left out.
 */
void
reins_mcp_client_set_tool_filter (ReinsMcpClient     *self,
                                  guint               max_tools,
                                  const char * const *allowed)
{
  g_return_if_fail (REINS_IS_MCP_CLIENT (self));

  g_mutex_lock (&self->mutex);
  self->max_tools = max_tools > 0 ? max_tools : DEFAULT_MAX_TOOLS;
  g_strfreev (self->allowed_tools);
  self->allowed_tools = g_strdupv ((char **) allowed);
  g_mutex_unlock (&self->mutex);
}

/* Called with the mutex held: the descriptions to use, after the filter; @offered and
 * @unknown (nullable) count what the server offers and which allowed names it lacks. */
static GPtrArray *
filtered_tools_locked (ReinsMcpClient *self,
                       guint          *offered,
                       GString        *unknown)
{
  GPtrArray *used = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  *offered = 0;
  for (guint i = 0; i < self->tool_descriptions->len; i++)
    {
      JsonObject *t = g_ptr_array_index (self->tool_descriptions, i);
      const char *name = reins_json_string_or (t, "name", "");

      if (self->allowed_tools != NULL &&
          !g_strv_contains ((const char * const *) self->allowed_tools, name))
        continue;
      (*offered)++;
      if (used->len < self->max_tools)
        g_ptr_array_add (used, json_object_ref (t));
    }

  for (guint i = 0; unknown != NULL && self->allowed_tools != NULL &&
                    self->allowed_tools[i] != NULL; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < self->tool_descriptions->len && !found; j++)
        found = g_strcmp0 (reins_json_string_or (
                             g_ptr_array_index (self->tool_descriptions, j), "name", ""),
                           self->allowed_tools[i]) == 0;
      if (!found)
        g_string_append_printf (unknown, "%s“%s”", unknown->len > 0 ? ", " : "",
                                self->allowed_tools[i]);
    }
  return used;
}

/**
 * reins_mcp_client_dup_tool_warning:
 *
 * Returns: (transfer full) (nullable): what the tool filter left out, for a person, or
 *   %NULL when every tool asked for is used
 */
char *
reins_mcp_client_dup_tool_warning (ReinsMcpClient *self)
{
  g_autoptr(GPtrArray) used = NULL;
  g_autoptr(GString) unknown = g_string_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  guint offered;

  g_return_val_if_fail (REINS_IS_MCP_CLIENT (self), NULL);

  g_mutex_lock (&self->mutex);
  used = filtered_tools_locked (self, &offered, unknown);
  if (offered > used->len)
    {
      /* Translators: part of "it offers 300 tools; only the first 128 are used …" */
      g_autofree char *offers = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                              "it offers %u tool",
                                                              "it offers %u tools", offered),
                                                 offered);
      /* Translators: part of "it offers 300 tools; only the first 128 are used …" */
      g_autofree char *first = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "only the first %u is used",
                                                             "only the first %u are used",
                                                             used->len),
                                                used->len);

      /* Translators: "it offers 300 tools", "only the first 128 are used", a server's name */
      g_string_append_printf (text, _("%s; %s (mcp_max_tools); choose others with "
                                      "--mcp-tools=%s=TOOL,TOOL…"),
                              offers, first, self->name);
    }
  if (unknown->len > 0)
    g_string_append_printf (text, _("%sit has no tool %s"), text->len > 0 ? "; " : "",
                            unknown->str);
  g_mutex_unlock (&self->mutex);

  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

gboolean
reins_mcp_client_list_tools (ReinsMcpClient  *self,
            guint            timeout_s,
            GCancellable    *cancellable,
            GError         **error)
{
  g_autoptr(GPtrArray) tools = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GHashTable) seen_cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;

  for (guint page = 0;; page++)
    {
      g_autoptr(JsonObject) params = json_object_new ();
      g_autoptr(JsonNode) result = NULL;
      JsonObject *object;
      JsonNode *list;
      const char *next;

      if (page >= MAX_PAGES)
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "MCP server “%s” lists its tools in more than %d page",
                                    "MCP server “%s” lists its tools in more than %d pages",
                                    MAX_PAGES),
                       self->name, MAX_PAGES);
          return FALSE;
        }
      if (cursor != NULL)
        json_object_set_string_member (params, "cursor", cursor);

      result = reins_mcp_client_request (self, "tools/list", params, timeout_s, cancellable,
                                         error);
      if (result == NULL)
        return FALSE;

      object = json_node_get_object (result);
      list = json_object_get_member (object, "tools");
      if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                       _("MCP server “%s” answered “tools/list” without a “tools” array"),
                       self->name);
          return FALSE;
        }
      for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
        {
          JsonNode *tool = json_array_get_element (json_node_get_array (list), i);
          JsonObject *t;

          /* A malformed entry is skipped rather than losing every tool. */
          if (!JSON_NODE_HOLDS_OBJECT (tool))
            continue;
          t = json_node_get_object (tool);
          if (reins_json_string_or (t, "name", NULL) == NULL)
            continue;
          g_ptr_array_add (tools, json_object_ref (t));
        }

      next = reins_json_string_or (object, "nextCursor", NULL);
      if (next == NULL || *next == '\0')
        break;
      if (g_hash_table_contains (seen_cursors, next))
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                       _("MCP server “%s” repeats the cursor of its tool list"), self->name);
          return FALSE;
        }
      g_hash_table_add (seen_cursors, g_strdup (next));
      g_free (cursor);
      cursor = g_strdup (next);
    }

  g_mutex_lock (&self->mutex);
  g_ptr_array_set_size (self->tool_descriptions, 0);
  g_ptr_array_extend_and_steal (self->tool_descriptions, g_steal_pointer (&tools));
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

/**
 * reins_mcp_client_get_tools:
 *
 * Returns: (transfer full) (element-type ReinsTool): a ReinsMcpTool per tool of the server
 *   that the filter keeps (reins_mcp_client_set_tool_filter()), named `NAME__TOOL`.
 */
GPtrArray *
reins_mcp_client_get_tools (ReinsMcpClient *self)
{
  g_autoptr(GPtrArray) descriptions = NULL;
  GPtrArray *tools;

  g_return_val_if_fail (REINS_IS_MCP_CLIENT (self), NULL);

  guint offered;

  g_mutex_lock (&self->mutex);
  descriptions = filtered_tools_locked (self, &offered, NULL);
  g_mutex_unlock (&self->mutex);

  tools = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < descriptions->len; i++)
    g_ptr_array_add (tools, reins_mcp_tool_new (self, g_ptr_array_index (descriptions, i),
                                                tool_risk (self,
                                                           g_ptr_array_index (descriptions, i))));
  return tools;
}

/**
 * reins_mcp_client_call_tool:
 * @tool_name: the server's name for the tool (without the `NAME__` prefix)
 *
 * Calls a tool and turns its content blocks into observation text: text as it is, images,
 * audio and binary resources as a one-line placeholder, structuredContent as JSON when
 * there is no text. `isError` makes an error result; so does any failure of the server.
 */
ReinsToolResult *
reins_mcp_client_call_tool (ReinsMcpClient *self,
                            const char     *tool_name,
                            JsonObject     *arguments,
                            guint           timeout_s,
                            GCancellable   *cancellable)
{
  return reins_mcp_client_call_tool_full (self, tool_name, arguments, timeout_s, NULL, NULL,
                                          cancellable);
}

/* Answers the inputRequests of an `input_required` result: each `{method, params}` answered
 * as if the server had sent it as a request. */
static JsonObject *
fulfil_input_requests (ReinsMcpClient   *self,
                       JsonObject       *requests,
                       ReinsElicitFunc   elicit,
                       gpointer          elicit_data,
                       GCancellable     *cancellable,
                       GError          **error)
{
  g_autoptr(JsonObject) responses = json_object_new ();
  g_autoptr(GList) keys = json_object_get_members (requests);

  for (GList *l = keys; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (requests, l->data);
      JsonObject *request = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *method = request != NULL
                             ? reins_json_string_or (request, "method", "")
                             : "";
      JsonNode *p = request != NULL ? json_object_get_member (request, "params") : NULL;
      JsonObject *params = p != NULL && JSON_NODE_HOLDS_OBJECT (p) ? json_node_get_object (p)
                                                                   : NULL;
      g_autoptr(JsonObject) answer = NULL;

      if (strcmp (method, "elicitation/create") == 0 &&
          reins_mcp_client_check_elicitation (params, NULL))
        {
          answer = elicit != NULL ? elicit (self->name, params, elicit_data, cancellable) : NULL;
          if (answer == NULL)
            answer = reins_mcp_elicit_result (params, elicit != NULL ? REINS_DECISION_NONE
                                                                     : REINS_DECISION_REJECT,
                                              NULL);
        }
      else if (strcmp (method, "roots/list") == 0 && reins_mcp_client_offers_roots (self))
        answer = reins_mcp_client_roots_result (self);
      else
        {
          g_autofree char *shown = reins_sandbox_escape (method, MIN (strlen (method), 80));

          g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                       _("MCP server “%s” asked for input Reins cannot give: “%s”"),
                       self->name, shown);
          return NULL;
        }
      json_object_set_object_member (responses, l->data, g_steal_pointer (&answer));
    }
  return g_steal_pointer (&responses);
}

/**
 * reins_mcp_client_call_tool_full:
 * @elicit: (nullable): puts the server's `elicitation/create` to the person while the call
 *   runs, on the calling thread; without it the server gets a decline
 *
 * Like reins_mcp_client_call_tool(); the time the person takes does not count against
 * @timeout_s.
 */
ReinsToolResult *
reins_mcp_client_call_tool_full (ReinsMcpClient  *self,
                                 const char      *tool_name,
                                 JsonObject      *arguments,
                                 guint            timeout_s,
                                 ReinsElicitFunc  elicit,
                                 gpointer         elicit_data,
                                 GCancellable    *cancellable)
{
  ReinsToolContext context = { 0 };

  context.timeout_s = timeout_s;
  context.elicit = elicit;
  context.elicit_data = elicit_data;
  return reins_mcp_client_call_tool_in_context (self, tool_name, arguments, &context,
                                                cancellable);
}

static ReinsToolResult *call_tool (ReinsMcpClient *self, JsonObject *params,
                                   JsonObject *output_schema, guint timeout_s,
                                   ReinsElicitFunc elicit, gpointer elicit_data,
                                   GCancellable *cancellable);

/* The `outputSchema` the server listed for @tool_name, or NULL. */
static JsonObject *
dup_output_schema (ReinsMcpClient *self,
                   const char     *tool_name)
{
  JsonObject *schema = NULL;

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->tool_descriptions->len && schema == NULL; i++)
    {
      JsonObject *t = g_ptr_array_index (self->tool_descriptions, i);
      JsonNode *node = json_object_get_member (t, "outputSchema");

      if (g_strcmp0 (reins_json_string_or (t, "name", NULL),
                     tool_name) == 0 &&
          node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        schema = json_object_ref (json_node_get_object (node));
    }
  g_mutex_unlock (&self->mutex);
  return schema;
}

/**
 * reins_mcp_client_call_tool_in_context:
 * @context: (nullable): the timeout, who answers the server's questions, and where its
 *   progress goes (a `progressToken` is sent only when there is somewhere)
 *
 * A tool that declares an `outputSchema` has its structured content checked against it
 * (reins_mcp_content_to_result_checked()).
 */
ReinsToolResult *
reins_mcp_client_call_tool_in_context (ReinsMcpClient         *self,
                                       const char             *tool_name,
                                       JsonObject             *arguments,
                                       const ReinsToolContext *context,
                                       GCancellable           *cancellable)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonObject) output_schema = NULL;
  g_autofree char *token = NULL;
  ReinsToolResult *result;

  g_return_val_if_fail (REINS_IS_MCP_CLIENT (self), NULL);

  output_schema = dup_output_schema (self, tool_name);

  json_object_set_string_member (params, "name", tool_name);
  json_object_set_object_member (params, "arguments",
                                 arguments != NULL ? json_object_ref (arguments)
                                                   : json_object_new ());
  if (context != NULL && context->progress != NULL)
    {
      JsonObject *meta = json_object_new ();
      Progress *p = g_new0 (Progress, 1);

      p->tool = reins_mcp_tool_make_name (self->name, tool_name);
      p->func = context->progress;
      p->data = context->progress_data;
      g_mutex_lock (&self->progress_mutex);
      token = g_strdup_printf ("reins-%s-%u", self->name, ++self->next_progress);
      g_hash_table_insert (self->progress, g_strdup (token), p);
      g_mutex_unlock (&self->progress_mutex);
      json_object_set_string_member (meta, "progressToken", token);
      json_object_set_object_member (params, "_meta", meta);
    }

  result = call_tool (self, params, output_schema,
                      reins_tool_context_get_timeout ((ReinsToolContext *) context),
                      context != NULL ? context->elicit : NULL,
                      context != NULL ? context->elicit_data : NULL, cancellable);

  if (token != NULL)
    {
      /* Once this returns, no report of the call is running or will be. */
      g_mutex_lock (&self->progress_mutex);
      g_hash_table_remove (self->progress, token);
      g_mutex_unlock (&self->progress_mutex);
    }
  return result;
}

static ReinsToolResult *
call_tool (ReinsMcpClient  *self,
           JsonObject      *params,
           JsonObject      *output_schema,
           guint            timeout_s,
           ReinsElicitFunc  elicit,
           gpointer         elicit_data,
           GCancellable    *cancellable)
{
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) error = NULL;

  for (guint round = 0;; round++)
    {
      JsonObject *object;
      JsonNode *requests;

      g_clear_pointer (&result, json_node_unref);
      result = reins_mcp_client_request_full (self, "tools/call", params,
                                              timeout_s != 0 ? timeout_s : 30, elicit,
                                              elicit_data, cancellable, &error);
      if (result == NULL)
        return reins_tool_result_new_error ("%s", error->message);
      object = json_node_get_object (result);
      if (g_strcmp0 (reins_json_string_or (object, "resultType", NULL),
                     "input_required") != 0)
        break;

      /* The stateless revision asks by returning the questions; the call is made again with
       * the answers (multi round-trip). */
      requests = json_object_get_member (object, "inputRequests");
      if (round >= MAX_INPUT_ROUNDS || requests == NULL || !JSON_NODE_HOLDS_OBJECT (requests))
        return reins_tool_result_new_error (_("MCP server “%s” asked for input without saying "
                                              "what, or more than %d times"),
                                            self->name, MAX_INPUT_ROUNDS);
      {
        g_autoptr(JsonObject) responses = fulfil_input_requests (self,
                                                                 json_node_get_object (requests),
                                                                 elicit, elicit_data,
                                                                 cancellable, &error);
        JsonNode *state = json_object_get_member (object, "requestState");

        if (responses == NULL)
          return reins_tool_result_new_error ("%s", error->message);
        json_object_set_object_member (params, "inputResponses", g_steal_pointer (&responses));
        if (state != NULL)
          json_object_set_member (params, "requestState", json_node_copy (state));
        else
          json_object_remove_member (params, "requestState");
      }
    }

  return reins_mcp_content_to_result_checked (json_node_get_object (result), output_schema);
}
