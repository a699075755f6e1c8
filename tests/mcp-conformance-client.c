/* mcp-conformance-client.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: the smallest client on Reins' MCP client, for the official conformance suite
 * (`conformance client --command "mcp-conformance-client" --scenario …`, which appends the
 * server's URL). It connects over Streamable HTTP, lists the tools, calls each with
 * arguments made from its input schema, accepts any elicitation with the form's defaults,
 * and ends the session. Prints one line per call; exits 1 if the connection failed.
 *
 * For the auth scenarios it is its own browser: the authorization URL is fetched, and
 * its redirect followed to Reins' loopback listener, as a person's browser would. A
 * client id given in MCP_CONFORMANCE_CONTEXT is used as a pre-registered client.
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "reins-mcp-client.h"
#include "reins-mcp-elicit.h"
#include "reins-mcp-oauth.h"

static GPtrArray *browsers;

static gpointer
browser_thread (gpointer data)
{
  g_autofree char *url = data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 20, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) page = soup_session_send_and_read (session, msg, NULL, &error);

  if (page == NULL)
    g_printerr ("browser: %s\n", error->message);
  return NULL;
}

static gboolean
open_url (const char  *server,
          const char  *url,
          gpointer     user_data,
          GError     **error)
{
  g_ptr_array_add (browsers, g_thread_new ("browser", browser_thread, g_strdup (url)));
  return TRUE;
}

static void
use_context (ReinsMcpClient *client)
{
  const char *context = g_getenv ("MCP_CONFORMANCE_CONTEXT");
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  if (context == NULL || !json_parser_load_from_data (parser, context, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  object = json_node_get_object (json_parser_get_root (parser));
  if (json_object_get_string_member_with_default (object, "client_id", NULL) != NULL)
    reins_mcp_client_set_oauth_client (client,
                                       json_object_get_string_member (object, "client_id"),
                                       json_object_get_string_member_with_default (object,
                                                                                   "client_secret",
                                                                                   NULL));
}

static JsonObject *
accept_defaults (const char   *server,
                 JsonObject   *request,
                 gpointer      user_data,
                 GCancellable *cancellable)
{
  JsonNode *schema = json_object_get_member (request, "requestedSchema");
  g_autoptr(JsonObject) content = reins_mcp_elicit_defaults (json_node_get_object (schema),
                                                             NULL);
  g_autofree char *text = NULL;

  if (content == NULL)
    return reins_mcp_elicit_result (request, REINS_DECISION_REJECT, NULL);
  text = reins_mcp_elicit_accept_text (content);
  return reins_mcp_elicit_result (request, REINS_DECISION_APPROVE, text);
}

/* A value of each property's type, for a call that only has to be well-formed. */
static JsonObject *
arguments_for (JsonObject *schema)
{
  JsonObject *args = json_object_new ();
  JsonNode *node = schema != NULL ? json_object_get_member (schema, "properties") : NULL;
  g_autoptr(GList) names = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return args;
  names = json_object_get_members (json_node_get_object (node));
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *p = json_object_get_member (json_node_get_object (node), l->data);
      const char *type = JSON_NODE_HOLDS_OBJECT (p)
                           ? json_object_get_string_member_with_default (json_node_get_object (p),
                                                                         "type", "string")
                           : "string";

      if (strcmp (type, "number") == 0 || strcmp (type, "integer") == 0)
        json_object_set_int_member (args, l->data, 1);
      else if (strcmp (type, "boolean") == 0)
        json_object_set_boolean_member (args, l->data, TRUE);
      else
        json_object_set_string_member (args, l->data, "x");
    }
  return args;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;
  g_autoptr(GPtrArray) tools = NULL;
  const char *prefix = "conformance__";

  if (argc < 2)
    {
      g_printerr ("usage: %s URL\n", argv[0]);
      return 2;
    }

  static const ReinsMcpOAuthHooks hooks = { open_url, NULL, NULL };

  browsers = g_ptr_array_new ();
  reins_mcp_oauth_set_hooks (&hooks, NULL);
  client = reins_mcp_client_new_url ("conformance", argv[argc - 1], &error);
  if (client != NULL)
    use_context (client);
  if (client == NULL || !reins_mcp_client_start (client, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  tools = reins_mcp_client_get_tools (client);
  for (guint i = 0; i < tools->len; i++)
    {
      ReinsTool *tool = g_ptr_array_index (tools, i);
      const char *name = reins_tool_get_name (tool);
      g_autoptr(JsonObject) args = arguments_for (reins_tool_get_schema (tool));
      g_autoptr(ReinsToolResult) result = NULL;

      if (g_str_has_prefix (name, prefix))
        name += strlen (prefix);
      result = reins_mcp_client_call_tool_full (client, name, args, 20, accept_defaults, NULL,
                                                NULL);
      g_print ("%s: %s%s\n", name, result->is_error ? "error: " : "", result->text);
    }

  reins_mcp_client_stop (client);
  for (guint i = 0; i < browsers->len; i++)
    g_thread_join (g_ptr_array_index (browsers, i));
  g_ptr_array_unref (browsers);
  return 0;
}
