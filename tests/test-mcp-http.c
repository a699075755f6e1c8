/* test-mcp-http.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The MCP client over Streamable HTTP, against a loopback MCP server written here on the
 * test server (reins-test-server.c): JSON and SSE answers, the session id, a session that
 * expires (404), a stream that breaks and is resumed with Last-Event-ID, the GET stream
 * refused (405), DELETE on close, and servers that are dead, hung or malformed.
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "reins-mcp-client.h"
#include "reins-tool-registry.h"
#include "tests/reins-test-server.h"

/* The loopback MCP server's state: written on the server thread, read by the test. */
typedef struct
{
  GMutex      mutex;
  guint       sessions;          /* initialize answered so far */
  char       *session;           /* the current session id */
  gboolean    expire_next;       /* answer the next tools/call 404 */
  guint       initialize_count;
  guint       get_count;
  char       *last_event_id;     /* of the last GET */
  char       *deleted;           /* the session id of a DELETE */
  char       *list_version;      /* MCP-Protocol-Version of tools/list */
  char       *initialize_version;
  char       *bad_session;       /* a session id we never gave */
  char       *drop_id;           /* the request id of the “drop” call */
  GPtrArray  *answers;           /* bodies of JSON-RPC responses the client POSTed */
} Mcp;

static Mcp mcp;

#define TOOLS_JSON \
  "{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"tools\":[" \
  "{\"name\":\"echo\",\"inputSchema\":{\"type\":\"object\"}}," \
  "{\"name\":\"sse_echo\",\"inputSchema\":{\"type\":\"object\"}}," \
  "{\"name\":\"drop\",\"inputSchema\":{\"type\":\"object\"}}," \
  "{\"name\":\"expire\",\"inputSchema\":{\"type\":\"object\"}}," \
  "{\"name\":\"garbage\",\"inputSchema\":{\"type\":\"object\"}}," \
  "{\"name\":\"html\",\"inputSchema\":{\"type\":\"object\"}}," \
  "{\"name\":\"hang\",\"inputSchema\":{\"type\":\"object\"}}," \
  "{\"name\":\"accepted\",\"inputSchema\":{\"type\":\"object\"}}]}}"

static char *
text_result (const char *id,
             const char *text)
{
  return g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"content\":"
                          "[{\"type\":\"text\",\"text\":\"%s\"}],\"isError\":false}}", id, text);
}

static void
reply_json (ReinsTestReply *reply,
            const char     *text)
{
  reins_test_reply_add_header (reply, "Content-Type", "application/json");
  reins_test_reply_add (reply, 0, text, -1);
}

static void
reply_sse (ReinsTestReply *reply)
{
  reins_test_reply_add_header (reply, "Content-Type", "text/event-stream");
}

static void
sse_event (ReinsTestReply *reply,
           guint           delay_ms,
           const char     *id,
           const char     *data)
{
  g_autofree char *text = g_strdup_printf ("%s%s%sdata: %s\n\n", id != NULL ? "id: " : "",
                                           id != NULL ? id : "", id != NULL ? "\n" : "", data);

  reins_test_reply_add (reply, delay_ms, text, -1);
}

static void
answer_get (ReinsTestReply *reply)
{
  const char *last = reins_test_reply_get_header (reply, "Last-Event-ID");

  mcp.get_count++;
  g_free (mcp.last_event_id);
  mcp.last_event_id = g_strdup (last);
  if (g_strcmp0 (last, "drop-1") == 0)
    {
      /* The rest of the broken stream of “drop”: its answer. */
      g_autofree char *result = text_result (mcp.drop_id, "resumed");
      reply_sse (reply);
      sse_event (reply, 0, "drop-2", result);
      return;
    }
  /* No stream of server-started messages. */
  reins_test_reply_set_status (reply, 405);
}

static void
mcp_handler (const char     *path,
             const char     *body,
             guint           index,
             ReinsTestReply *reply,
             gpointer        user_data)
{
  const char *method = reins_test_reply_get_method (reply);
  const char *session = reins_test_reply_get_header (reply, "Mcp-Session-Id");
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  const char *rpc_method;
  g_autofree char *id = NULL;

  g_mutex_lock (&mcp.mutex);

  if (strcmp (method, "DELETE") == 0)
    {
      g_free (mcp.deleted);
      mcp.deleted = g_strdup (session);
      reins_test_reply_set_status (reply, 200);
      goto out;
    }
  if (strcmp (method, "GET") == 0)
    {
      answer_get (reply);
      goto out;
    }

  root = json_from_string (body, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      reins_test_reply_set_status (reply, 400);
      goto out;
    }
  object = json_node_get_object (root);
  rpc_method = json_object_get_string_member_with_default (object, "method", NULL);
  if (json_object_has_member (object, "id"))
    id = json_to_string (json_object_get_member (object, "id"), FALSE);

  if (g_strcmp0 (rpc_method, "initialize") == 0)
    {
      g_autofree char *result = NULL;

      mcp.initialize_count++;
      g_free (mcp.initialize_version);
      mcp.initialize_version = g_strdup (reins_test_reply_get_header (reply,
                                                                      "MCP-Protocol-Version"));
      g_free (mcp.session);
      mcp.session = g_strdup_printf ("s-%u", ++mcp.sessions);
      result = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{"
                                "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"tools\":{}},"
                                "\"serverInfo\":{\"name\":\"loopback\",\"version\":\"1\"}}}", id);
      reins_test_reply_add_header (reply, "Mcp-Session-Id", mcp.session);
      reply_json (reply, result);
      goto out;
    }

  if (g_strcmp0 (session, mcp.session) != 0)
    {
      g_free (mcp.bad_session);
      mcp.bad_session = g_strdup (session != NULL ? session : "(none)");
      reins_test_reply_set_status (reply, session != NULL ? 404 : 400);
      goto out;
    }

  if (rpc_method == NULL || id == NULL)
    {
      /* A notification, or an answer to one of our requests. */
      if (rpc_method == NULL)
        g_ptr_array_add (mcp.answers, g_strdup (body));
      reins_test_reply_set_status (reply, 202);
      goto out;
    }

  if (strcmp (rpc_method, "tools/list") == 0)
    {
      g_autofree char *result = g_strdup_printf (TOOLS_JSON, id);

      g_free (mcp.list_version);
      mcp.list_version = g_strdup (reins_test_reply_get_header (reply, "MCP-Protocol-Version"));
      reply_json (reply, result);
    }
  else if (strcmp (rpc_method, "tools/call") == 0)
    {
      JsonObject *params = json_object_get_object_member (object, "params");
      const char *tool = json_object_get_string_member (params, "name");

      if (strcmp (tool, "echo") == 0)
        {
          g_autofree char *result = text_result (id, "json echo");

          reply_json (reply, result);
        }
      else if (strcmp (tool, "sse_echo") == 0)
        {
          g_autofree char *result = text_result (id, "sse echo");
          g_autofree char *progress = g_strdup_printf (
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":"
            "{\"progressToken\":1,\"progress\":1}}");
          g_autofree char *ping = g_strdup ("{\"jsonrpc\":\"2.0\",\"id\":\"p1\",\"method\":\"ping\"}");

          reply_sse (reply);
          /* A priming event, a notification and a request of the server, split across
           * writes, before the answer. */
          reins_test_reply_add (reply, 0, "id: e0\ndata:\n\n", -1);
          sse_event (reply, 0, NULL, progress);
          sse_event (reply, 10, "e1", ping);
          reins_test_reply_add (reply, 10, "event: message\ndata: ", -1);
          reins_test_reply_add (reply, 10, result, -1);
          reins_test_reply_add (reply, 0, "\n\n", -1);
        }
      else if (strcmp (tool, "drop") == 0)
        {
          /* Breaks before the answer; the GET with Last-Event-ID gives it (answer_get). */
          g_free (mcp.drop_id);
          mcp.drop_id = g_strdup (id);
          reply_sse (reply);
          reins_test_reply_add (reply, 0, "retry: 20\n", -1);
          sse_event (reply, 0, "drop-1",
                     "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{}}");
          reins_test_reply_abort (reply);
        }
      else if (strcmp (tool, "expire") == 0 && mcp.expire_next)
        {
          mcp.expire_next = FALSE;
          reins_test_reply_set_status (reply, 404);
        }
      else if (strcmp (tool, "expire") == 0)
        {
          g_autofree char *result = text_result (id, "new session");

          reply_json (reply, result);
        }
      else if (strcmp (tool, "garbage") == 0)
        {
          reply_sse (reply);
          reins_test_reply_add (reply, 0, "data: {\"jsonrpc\":\"2.0\",\"id\":\n\n", -1);
        }
      else if (strcmp (tool, "html") == 0)
        {
          reins_test_reply_add_header (reply, "Content-Type", "text/html");
          reins_test_reply_add (reply, 0, "<html>hello</html>", -1);
        }
      else if (strcmp (tool, "hang") == 0)
        {
          reply_sse (reply);
          reins_test_reply_add (reply, 0, ": still here\n\n", -1);
          reins_test_reply_add (reply, 600000, ": too late\n\n", -1);
        }
      else if (strcmp (tool, "accepted") == 0)
        reins_test_reply_set_status (reply, 202);
    }
  else
    {
      g_autofree char *error = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":%s,\"error\":"
                                                "{\"code\":-32601,\"message\":\"Method not "
                                                "found\"}}", id);

      reply_json (reply, error);
    }

out:
  g_mutex_unlock (&mcp.mutex);
}

static void
mcp_reset (void)
{
  g_mutex_lock (&mcp.mutex);
  g_clear_pointer (&mcp.session, g_free);
  g_clear_pointer (&mcp.last_event_id, g_free);
  g_clear_pointer (&mcp.deleted, g_free);
  g_clear_pointer (&mcp.list_version, g_free);
  g_clear_pointer (&mcp.initialize_version, g_free);
  g_clear_pointer (&mcp.bad_session, g_free);
  g_clear_pointer (&mcp.drop_id, g_free);
  g_clear_pointer (&mcp.answers, g_ptr_array_unref);
  mcp.answers = g_ptr_array_new_with_free_func (g_free);
  mcp.sessions = mcp.initialize_count = mcp.get_count = 0;
  mcp.expire_next = FALSE;
  g_mutex_unlock (&mcp.mutex);
}

static ReinsMcpClient *
start_client (ReinsTestServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("%s/mcp", reins_test_server_get_url (server));
  g_autoptr(ReinsMcpClient) client = reins_mcp_client_new ("web", url, &error);

  g_assert_no_error (error);
  reins_mcp_client_set_start_timeout (client, 10);
  g_assert_true (reins_mcp_client_start (client, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&client);
}

static ReinsToolResult *
call (ReinsMcpClient *client,
      const char     *tool,
      guint           timeout_s)
{
  g_autoptr(JsonObject) args = json_object_new ();

  return reins_mcp_client_call_tool (client, tool, args, timeout_s, NULL);
}

static void
test_session (void)
{
  g_autoptr(ReinsTestServer) server = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;
  g_autoptr(GPtrArray) tools = NULL;
  g_autoptr(ReinsToolResult) json = NULL;
  g_autoptr(ReinsToolResult) sse = NULL;

  mcp_reset ();
  server = reins_test_server_new (mcp_handler, NULL);
  client = start_client (server);

  tools = reins_mcp_client_get_tools (client);
  g_assert_cmpuint (tools->len, ==, 8);
  g_assert_cmpstr (reins_mcp_client_get_protocol_version (client), ==, "2025-06-18");

  json = call (client, "echo", 10);
  g_assert_false (json->is_error);
  g_assert_cmpstr (json->text, ==, "json echo");

  /* An SSE answer, after a notification and a ping of the server (answered). */
  sse = call (client, "sse_echo", 10);
  g_assert_false (sse->is_error);
  g_assert_cmpstr (sse->text, ==, "sse echo");

  g_mutex_lock (&mcp.mutex);
  /* The version header goes on every request after initialize, not on initialize. */
  g_assert_null (mcp.initialize_version);
  g_assert_cmpstr (mcp.list_version, ==, "2025-06-18");
  g_assert_null (mcp.bad_session);
  g_assert_cmpuint (mcp.initialize_count, ==, 1);
  g_mutex_unlock (&mcp.mutex);

  /* The ping was answered with {} (its answer is POSTed on a thread of its own), and the
   * GET stream tried (also on a thread of its own). */
  for (int i = 0; i < 1000; i++)
    {
      gboolean seen;

      g_mutex_lock (&mcp.mutex);
      seen = mcp.answers->len > 0 && mcp.get_count > 0;
      g_mutex_unlock (&mcp.mutex);
      if (seen)
        break;
      g_usleep (10 * 1000);
    }
  g_mutex_lock (&mcp.mutex);
  g_assert_cmpuint (mcp.answers->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (mcp.answers, 0), "\"id\":\"p1\""));
  g_assert_nonnull (strstr (g_ptr_array_index (mcp.answers, 0), "\"result\":{}"));
  /* The GET stream was tried and refused with 405. */
  g_assert_cmpuint (mcp.get_count, ==, 1);
  g_assert_null (mcp.deleted);
  g_mutex_unlock (&mcp.mutex);

  /* DELETE with the session on close. */
  reins_mcp_client_stop (client);
  g_mutex_lock (&mcp.mutex);
  g_assert_cmpstr (mcp.deleted, ==, "s-1");
  g_mutex_unlock (&mcp.mutex);

  /* Stopped: a call fails at once, with a clear error. */
  {
    g_autoptr(ReinsToolResult) after = call (client, "echo", 10);

    g_assert_true (after->is_error);
    g_assert_nonnull (strstr (after->text, "web"));
  }
}

static void
test_expired (void)
{
  g_autoptr(ReinsTestServer) server = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;
  g_autoptr(ReinsToolResult) result = NULL;
  g_autoptr(ReinsToolResult) again = NULL;

  mcp_reset ();
  server = reins_test_server_new (mcp_handler, NULL);
  client = start_client (server);

  /* Without expiry the session stays. */
  again = call (client, "expire", 10);
  g_assert_cmpstr (again->text, ==, "new session");
  g_mutex_lock (&mcp.mutex);
  g_assert_cmpuint (mcp.initialize_count, ==, 1);
  mcp.expire_next = TRUE;
  g_mutex_unlock (&mcp.mutex);

  /* A 404: initialize again, and the call goes through in the new session. */
  result = call (client, "expire", 10);
  g_assert_false (result->is_error);
  g_assert_cmpstr (result->text, ==, "new session");
  g_mutex_lock (&mcp.mutex);
  g_assert_cmpuint (mcp.initialize_count, ==, 2);
  g_assert_cmpstr (mcp.session, ==, "s-2");
  g_mutex_unlock (&mcp.mutex);

  reins_mcp_client_stop (client);
  g_mutex_lock (&mcp.mutex);
  g_assert_cmpstr (mcp.deleted, ==, "s-2");
  g_mutex_unlock (&mcp.mutex);
}

/* The answer to the request whose stream broke comes from the resumed stream. */
static void
test_resume (void)
{
  g_autoptr(ReinsTestServer) server = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;
  g_autoptr(ReinsToolResult) result = NULL;

  mcp_reset ();
  server = reins_test_server_new (mcp_handler, NULL);
  client = start_client (server);

  result = call (client, "drop", 10);
  g_assert_false (result->is_error);
  g_assert_cmpstr (result->text, ==, "resumed");
  g_mutex_lock (&mcp.mutex);
  /* The broken stream was resumed from its last event. */
  g_assert_cmpstr (mcp.last_event_id, ==, "drop-1");
  g_mutex_unlock (&mcp.mutex);
}

static void
test_faults (void)
{
  g_autoptr(ReinsTestServer) server = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;
  struct {
    const char *tool;
    const char *expected;
  } cases[] = {
    { "garbage", "not JSON-RPC" },
    { "html", "text/html" },
    { "accepted", "no answer" },
    { "hang", "within 1 s" },
    { "nonesuch", "" },
  };

  mcp_reset ();
  server = reins_test_server_new (mcp_handler, NULL);
  client = start_client (server);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ReinsToolResult) result = call (client, cases[i].tool, 1);

      g_assert_true (result->is_error);
      if (strstr (result->text, cases[i].expected) == NULL)
        g_error ("%s: %s", cases[i].tool, result->text);
    }

  /* The client still works after all that. */
  {
    g_autoptr(ReinsToolResult) result = call (client, "echo", 10);

    g_assert_false (result->is_error);
  }
}

static void
test_dead (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;
  g_autofree char *url = NULL;

  /* A server that is gone: its port is closed. */
  {
    g_autoptr(ReinsTestServer) server = reins_test_server_new (mcp_handler, NULL);

    url = g_strdup_printf ("%s/mcp", reins_test_server_get_url (server));
  }
  client = reins_mcp_client_new ("gone", url, &error);
  g_assert_no_error (error);
  reins_mcp_client_set_start_timeout (client, 10);
  g_assert_false (reins_mcp_client_start (client, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "cannot be reached"));
  g_assert_nonnull (strstr (error->message, "gone"));
}

/* --mcp=NAME:RISK=URL, as the CLI and the preferences give it. */
static void
test_registry (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsTestServer) server = NULL;
  g_autoptr(ReinsToolRegistry) registry = reins_tool_registry_new_builtin ("", NULL);
  g_autofree char *spec = NULL;
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsAction) action = NULL;
  g_autoptr(ReinsToolResult) r = NULL;
  ReinsToolContext context = { .timeout_s = 10 };

  mcp_reset ();
  server = reins_test_server_new (mcp_handler, NULL);
  spec = g_strdup_printf ("web:read=%s/mcp", reins_test_server_get_url (server));
  g_assert_true (reins_tool_registry_add_mcp_server (registry, spec, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (reins_tool_registry_lookup (registry, "web__sse_echo"));
  g_assert_cmpint (reins_tool_get_risk (reins_tool_registry_lookup (registry, "web__echo")), ==,
                   REINS_RISK_READ);

  action = reins_action_new ("web__sse_echo", args);
  r = reins_tool_registry_invoke (registry, &context, action, NULL);
  g_assert_false (r->is_error);
  g_assert_cmpstr (r->text, ==, "sse echo");

  reins_tool_registry_stop_mcp_servers (registry);
  g_mutex_lock (&mcp.mutex);
  g_assert_cmpstr (mcp.deleted, ==, "s-1");
  g_mutex_unlock (&mcp.mutex);

  /* A URL with nothing after the scheme is refused before anything is sent. */
  g_assert_false (reins_tool_registry_add_mcp_server (registry, "bad=http://", NULL, &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
}

static void
test_bad_url (void)
{
  const char *bad[] = { "http://", "https:///x", "http://[::1" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ReinsMcpClient) client = reins_mcp_client_new_url ("bad", bad[i], &error);

      g_assert_null (client);
      g_assert_nonnull (error);
    }
  /* And a good one is taken. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ReinsMcpClient) client = reins_mcp_client_new ("good", "https://example.org/mcp",
                                                             &error);

    g_assert_no_error (error);
    g_assert_nonnull (client);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_mutex_init (&mcp.mutex);

  g_test_add_func ("/reins/mcp-http/session", test_session);
  g_test_add_func ("/reins/mcp-http/expired", test_expired);
  g_test_add_func ("/reins/mcp-http/resume", test_resume);
  g_test_add_func ("/reins/mcp-http/faults", test_faults);
  g_test_add_func ("/reins/mcp-http/dead", test_dead);
  g_test_add_func ("/reins/mcp-http/bad-url", test_bad_url);
  g_test_add_func ("/reins/mcp-http/registry", test_registry);

  {
    int status = g_test_run ();

    mcp_reset ();
    g_ptr_array_unref (mcp.answers);
    return status;
  }
}
