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

#include <glib/gstdio.h>

#include "reins-error.h"
#include "reins-mcp-client.h"
#include "reins-mcp-elicit.h"
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
  guint       elicitations;      /* elicitation/create sent so far */
  char       *ask_id;            /* the request id of the last “ask” call */
  char       *elicit_answer;     /* the client's answer to the last elicitation */
  char       *waiting_for;       /* the id of the server's request the stream waits on */
  char       *initialize_body;
  GPtrArray  *notifications;     /* methods of the client's notifications */
  gboolean    hang_seen;
  gboolean    hold_get;          /* keep the GET stream open (else 405) */
  gboolean    initialized;       /* notifications/initialized came */
  gboolean    early_request;     /* a request came before it */
  gboolean    stateless;         /* the 2026-07-28 revision: no initialize */
  guint       missing_meta;      /* requests without its _meta or header */
  char       *request_state;     /* the requestState echoed last */
  const char *legacy_endpoint;   /* the legacy HTTP+SSE transport (2024-11-05), or NULL */
  GQueue      legacy_outbox;     /* its messages for the GET stream */
  GPtrArray  *answers;           /* bodies of JSON-RPC responses the client POSTed */
  char       *progress_token;    /* the _meta.progressToken of the last sse_echo call */
} Mcp;

static Mcp mcp;

#define TOOLS_JSON \
  "{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"tools\":[" \
  "{\"name\":\"echo\",\"inputSchema\":{\"type\":\"object\"}," \
  " \"annotations\":{\"readOnlyHint\":true}}," \
  "{\"name\":\"sse_echo\",\"inputSchema\":{\"type\":\"object\"}," \
  " \"annotations\":{\"destructiveHint\":false}}," \
  "{\"name\":\"drop\",\"inputSchema\":{\"type\":\"object\"}," \
  " \"annotations\":{\"readOnlyHint\":true,\"openWorldHint\":true}}," \
  "{\"name\":\"expire\",\"inputSchema\":{\"type\":\"object\"}," \
  " \"annotations\":{\"destructiveHint\":true}}," \
  "{\"name\":\"garbage\",\"inputSchema\":{\"type\":\"object\"}}," \
  "{\"name\":\"html\",\"inputSchema\":{\"type\":\"object\"}," \
  " \"annotations\":{\"readOnlyHint\":\"yes\",\"destructiveHint\":0}}," \
  "{\"name\":\"hang\",\"inputSchema\":{\"type\":\"object\"}}," \
  "{\"name\":\"accepted\",\"inputSchema\":{\"type\":\"object\"}}," \
  "{\"name\":\"ask\",\"inputSchema\":{\"type\":\"object\"}}," \
  "{\"name\":\"roots\",\"inputSchema\":{\"type\":\"object\"}}," \
  "{\"name\":\"ask_required\",\"inputSchema\":{\"type\":\"object\"}}," \
  "{\"name\":\"ask_bad\",\"inputSchema\":{\"type\":\"object\"}}," \
  "{\"name\":\"typed\",\"inputSchema\":{\"type\":\"object\"}," \
  " \"outputSchema\":{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}}," \
  " \"required\":[\"n\"]}}," \
  "{\"name\":\"huge\",\"inputSchema\":{\"type\":\"object\"}}," \
  "{\"name\":\"bad_sse\",\"inputSchema\":{\"type\":\"object\"}}]}}"

/* The forms of “ask”, “ask_required” and “ask_bad”. */
static const char *ask_schema =
  "{\"type\":\"object\",\"properties\":{"
  "\"name\":{\"type\":\"string\",\"title\":\"Name\",\"default\":\"Grace\"},"
  "\"age\":{\"type\":\"integer\",\"default\":36},"
  "\"tea\":{\"type\":\"boolean\",\"default\":true},"
  "\"size\":{\"type\":\"string\",\"enum\":[\"small\",\"large\"],\"default\":\"small\"}},"
  "\"required\":[\"name\"]}";
static const char *ask_required_schema =
  "{\"type\":\"object\",\"properties\":{"
  "\"name\":{\"type\":\"string\"},\"note\":{\"type\":\"string\",\"default\":\"n\"}},"
  "\"required\":[\"name\"]}";
static const char *ask_bad_schema =
  "{\"type\":\"object\",\"properties\":{\"deep\":{\"type\":\"object\"}}}";

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
  if (mcp.hold_get)
    {
      /* A stream of server-started messages that stays open (and holds its connection). */
      reply_sse (reply);
      reins_test_reply_add (reply, 0, ": open\n\n", -1);
      reins_test_reply_add (reply, 600000, ": closing\n\n", -1);
      return;
    }
  /* No stream of server-started messages. */
  reins_test_reply_set_status (reply, 405);
}

/* The rest of an “ask” stream, once the client answered the server's question. */
static char *
ask_result (gpointer user_data)
{
  g_autofree char *wanted = NULL;
  char *text = NULL;

  g_mutex_lock (&mcp.mutex);
  wanted = g_strdup_printf ("\"id\":\"%s\"", mcp.waiting_for);
  for (guint i = 0; i < mcp.answers->len; i++)
    if (strstr (g_ptr_array_index (mcp.answers, i), wanted) != NULL)
      {
        g_autofree char *result = text_result (mcp.ask_id, "answered");

        g_free (mcp.elicit_answer);
        mcp.elicit_answer = g_strdup (g_ptr_array_index (mcp.answers, i));
        text = g_strdup_printf ("data: %s\n\n", result);
      }
  g_mutex_unlock (&mcp.mutex);
  return text;
}

static void
reply_error (ReinsTestReply *reply,
             const char     *id,
             int             code,
             const char     *text)
{
  g_autofree char *error = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":%s,\"error\":"
                                            "{\"code\":%d,\"message\":\"%s\"}}",
                                            id != NULL ? id : "null", code, text);

  reply_json (reply, error);
}

/* A server of the stateless revision (2026-07-28): initialize is unknown, server/discover
 * answers, every request must carry _meta and the version header; “ask” asks by returning
 * input_required, and answers once the call comes again with the person's answer. */
static void
stateless_handler (JsonObject     *object,
                   const char     *rpc_method,
                   const char     *id,
                   ReinsTestReply *reply)
{
  JsonObject *params = json_object_has_member (object, "params")
                         ? json_object_get_object_member (object, "params") : NULL;
  JsonObject *meta = params != NULL && json_object_has_member (params, "_meta")
                       ? json_object_get_object_member (params, "_meta") : NULL;
  g_autofree char *result = NULL;

  if (rpc_method == NULL || id == NULL)
    {
      reins_test_reply_set_status (reply, 202);
      return;
    }
  if (strcmp (rpc_method, "initialize") == 0)
    {
      reply_error (reply, id, -32601, "Method not found");
      return;
    }
  if (meta == NULL ||
      g_strcmp0 (json_object_get_string_member_with_default (meta, "protocolVersion", NULL),
                 "2026-07-28") != 0 ||
      !json_object_has_member (meta, "clientInfo") ||
      g_strcmp0 (reins_test_reply_get_header (reply, "MCP-Protocol-Version"), "2026-07-28") != 0)
    {
      mcp.missing_meta++;
      reply_error (reply, id, -32602, "_meta required");
      return;
    }

  if (strcmp (rpc_method, "server/discover") == 0)
    result = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"resultType\":"
                              "\"complete\",\"supportedVersions\":[\"2026-07-28\"],"
                              "\"capabilities\":{\"tools\":{}},\"serverInfo\":"
                              "{\"name\":\"stateless\",\"version\":\"1\"}}}", id);
  else if (strcmp (rpc_method, "tools/list") == 0)
    result = g_strdup_printf (TOOLS_JSON, id);
  else if (strcmp (rpc_method, "tools/call") == 0 &&
           strcmp (json_object_get_string_member (params, "name"), "ask") == 0 &&
           !json_object_has_member (params, "inputResponses"))
    result = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"resultType\":"
                              "\"input_required\",\"requestState\":\"st-1\",\"inputRequests\":"
                              "{\"who\":{\"method\":\"elicitation/create\",\"params\":"
                              "{\"message\":\"Who are you?\",\"requestedSchema\":%s}}}}}",
                              id, ask_schema);
  else if (strcmp (rpc_method, "tools/call") == 0 &&
           strcmp (json_object_get_string_member (params, "name"), "ask") == 0)
    {
      JsonObject *who = json_object_get_object_member (
        json_object_get_object_member (params, "inputResponses"), "who");
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *answer = NULL;
      g_autofree char *escaped = NULL;

      g_free (mcp.request_state);
      mcp.request_state = g_strdup (json_object_get_string_member_with_default (params,
                                                                              "requestState",
                                                                              "(none)"));
      json_node_set_object (node, who);
      answer = json_to_string (node, FALSE);
      escaped = g_strescape (answer, NULL);
      result = text_result (id, escaped);
    }
  else if (strcmp (rpc_method, "tools/call") == 0)
    result = text_result (id, "stateless echo");
  else
    {
      reply_error (reply, id, -32601, "Method not found");
      return;
    }
  reply_json (reply, result);
}

/* The legacy stream's next message, when there is one. */
static char *
legacy_next (gpointer user_data)
{
  char *text = NULL;
  g_autofree char *message = NULL;

  g_mutex_lock (&mcp.mutex);
  message = g_queue_pop_head (&mcp.legacy_outbox);
  if (message != NULL)
    text = g_strdup_printf ("event: message\ndata: %s\n\n", message);
  g_mutex_unlock (&mcp.mutex);
  return text;
}

/* A server of the legacy HTTP+SSE transport: GET /sse names the endpoint, POSTs there are
 * answered 202 and their answers come on the stream. */
static void
legacy_handler (const char     *method,
                const char     *path,
                JsonObject     *object,
                ReinsTestReply *reply)
{
  const char *rpc_method;
  g_autofree char *id = NULL;

  if (strcmp (method, "GET") == 0 && strcmp (path, "/sse") == 0)
    {
      g_autofree char *first = g_strdup_printf ("event: endpoint\ndata: %s\n\n",
                                                mcp.legacy_endpoint);

      mcp.get_count++;
      reply_sse (reply);
      reins_test_reply_add (reply, 0, first, -1);
      for (int i = 0; i < 20; i++)
        reins_test_reply_add_func (reply, legacy_next, NULL);
      return;
    }
  if (strcmp (method, "POST") != 0 || strcmp (path, "/messages") != 0 || object == NULL)
    {
      reins_test_reply_set_status (reply, strcmp (path, "/sse") == 0 ? 405 : 404);
      return;
    }

  rpc_method = json_object_get_string_member_with_default (object, "method", NULL);
  if (json_object_has_member (object, "id"))
    id = json_to_string (json_object_get_member (object, "id"), FALSE);
  if (rpc_method != NULL && id != NULL)
    {
      char *answer;

      if (strcmp (rpc_method, "initialize") == 0)
        answer = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{"
                                  "\"protocolVersion\":\"2024-11-05\",\"capabilities\":{},"
                                  "\"serverInfo\":{\"name\":\"legacy\",\"version\":\"1\"}}}", id);
      else if (strcmp (rpc_method, "tools/list") == 0)
        answer = g_strdup_printf (TOOLS_JSON, id);
      else
        answer = text_result (id, "legacy echo");
      g_queue_push_tail (&mcp.legacy_outbox, answer);
    }
  reins_test_reply_set_status (reply, 202);
}

/* Event streams that break SSE one way each (“how”), for the “bad_sse” tool. */
static void
bad_sse (ReinsTestReply *reply,
         const char     *id,
         const char     *how)
{
  g_autofree char *result = text_result (id, "sse ok");

  reply_sse (reply);
  if (strcmp (how, "crlf") == 0)
    {
      /* Valid: CRLF line ends, a comment, an unknown field, a field without a colon, and the
       * answer split over two data lines (joined by a newline, which JSON allows). */
      g_autofree char *split = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\r\ndata: \"id\":%s,"
                                                "\"result\":{\"content\":[{\"type\":\"text\","
                                                "\"text\":\"sse ok\"}]}}", id);
      g_autofree char *event = g_strdup_printf (": hello\r\nfoo: bar\r\nnocolon\r\n"
                                                "data: %s\r\n\r\n", split);

      reins_test_reply_add (reply, 0, event, -1);
    }
  else if (strcmp (how, "cr") == 0)
    {
      g_autofree char *event = g_strdup_printf ("event: message\rdata: %s\r\r", result);

      reins_test_reply_add (reply, 0, event, -1);
    }
  else if (strcmp (how, "nul") == 0)
    reins_test_reply_add (reply, 0, "data: {\"jsonrpc\"\0:1}\n\n", 22);
  else if (strcmp (how, "utf8") == 0)
    reins_test_reply_add (reply, 0, "data: \"\xff\xfe\"\n\n", -1);
  else if (strcmp (how, "not_json") == 0)
    reins_test_reply_add (reply, 0, "data: hello there\n\n", -1);
  else if (strcmp (how, "no_blank") == 0)
    {
      /* The answer's event is never ended by a blank line: never dispatched. */
      g_autofree char *event = g_strdup_printf ("data: %s\n", result);

      reins_test_reply_add (reply, 0, event, -1);
    }
  else if (strcmp (how, "other_event") == 0)
    {
      /* Only `message` events carry JSON-RPC. */
      g_autofree char *event = g_strdup_printf ("event: other\ndata: %s\n\n", result);

      reins_test_reply_add (reply, 0, event, -1);
    }
  else if (strcmp (how, "mid_drop") == 0)
    {
      /* Half of the answer, then the connection drops, with no event id to resume from. */
      reins_test_reply_add (reply, 0, "data: {\"jsonrpc\":\"2.0\",\"id\":", -1);
      reins_test_reply_abort (reply);
    }
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
  if (strcmp (method, "GET") == 0 && mcp.legacy_endpoint == NULL)
    {
      answer_get (reply);
      goto out;
    }

  root = json_from_string (body, NULL);
  if (mcp.legacy_endpoint != NULL)
    {
      legacy_handler (method, path,
                      root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root)
                                                                    : NULL,
                      reply);
      goto out;
    }
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      reins_test_reply_set_status (reply, 400);
      goto out;
    }
  object = json_node_get_object (root);
  rpc_method = json_object_get_string_member_with_default (object, "method", NULL);
  if (json_object_has_member (object, "id"))
    id = json_to_string (json_object_get_member (object, "id"), FALSE);

  if (mcp.stateless)
    {
      stateless_handler (object, rpc_method, id, reply);
      goto out;
    }

  if (g_strcmp0 (rpc_method, "initialize") == 0)
    {
      g_autofree char *result = NULL;

      mcp.initialize_count++;
      g_free (mcp.initialize_body);
      mcp.initialize_body = g_strdup (body);
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
      else
        g_ptr_array_add (mcp.notifications, g_strdup (rpc_method));
      if (g_strcmp0 (rpc_method, "notifications/initialized") == 0)
        mcp.initialized = TRUE;
      reins_test_reply_set_status (reply, 202);
      goto out;
    }

  if (!mcp.initialized)
    mcp.early_request = TRUE;
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
          JsonObject *meta = json_object_has_member (params, "_meta")
                               ? json_object_get_object_member (params, "_meta") : NULL;
          const char *token = meta != NULL
                                ? json_object_get_string_member_with_default (meta,
                                                                              "progressToken",
                                                                              NULL)
                                : NULL;

          g_free (mcp.progress_token);
          mcp.progress_token = g_strdup (token);
          reply_sse (reply);
          /* A priming event, a notification and a request of the server, split across
           * writes, before the answer. */
          reins_test_reply_add (reply, 0, "id: e0\ndata:\n\n", -1);
          /* Progress with a token no call gave (ignored), then the call's own. */
          sse_event (reply, 0, NULL, progress);
          if (token != NULL)
            {
              g_autofree char *half = g_strdup_printf (
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":"
                "{\"progressToken\":\"%s\",\"progress\":1,\"total\":2,"
                "\"message\":\"halfway\"}}", token);
              g_autofree char *done = g_strdup_printf (
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":"
                "{\"progressToken\":\"%s\",\"progress\":2.5}}", token);
              g_autofree char *bad = g_strdup_printf (
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":"
                "{\"progressToken\":\"%s\",\"progress\":\"lots\"}}", token);

              sse_event (reply, 0, NULL, half);
              sse_event (reply, 0, NULL, bad);
              sse_event (reply, 0, NULL, done);
            }
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
      else if (strcmp (tool, "typed") == 0)
        {
          /* Structured content that keeps its outputSchema, breaks it, or is missing. */
          const char *give = json_object_get_string_member_with_default (
            json_object_get_object_member (params, "arguments"), "give", "");
          g_autofree char *result = g_strdup_printf (
            "{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"content\":[{\"type\":\"text\","
            "\"text\":\"typed\"}]%s}}", id,
            strcmp (give, "good") == 0 ? ",\"structuredContent\":{\"n\":7}"
            : strcmp (give, "bad") == 0 ? ",\"structuredContent\":{\"n\":\"seven\"}" : "");

          reply_json (reply, result);
        }
      else if (strcmp (tool, "huge") == 0)
        {
          /* A 4 MiB text answer, as JSON or as one SSE event written in pieces. */
          const char *as = json_object_get_string_member_with_default (
            json_object_get_object_member (params, "arguments"), "as", "json");
          g_autoptr(GString) big = g_string_new (NULL);
          g_autofree char *result = NULL;

          for (guint i = 0; i < 4 * 1024 * 1024 / 16; i++)
            g_string_append (big, "0123456789abcde ");
          result = text_result (id, big->str);
          if (strcmp (as, "sse") == 0)
            {
              gsize length = strlen (result);

              reply_sse (reply);
              reins_test_reply_add (reply, 0, "data: ", -1);
              for (gsize at = 0; at < length; at += 1024 * 1024)
                reins_test_reply_add (reply, 0, result + at, MIN (length - at, 1024 * 1024));
              reins_test_reply_add (reply, 0, "\n\n", -1);
            }
          else
            reply_json (reply, result);
        }
      else if (strcmp (tool, "bad_sse") == 0)
        bad_sse (reply, id, json_object_get_string_member_with_default (
                               json_object_get_object_member (params, "arguments"), "how", ""));
      else if (strcmp (tool, "html") == 0)
        {
          reins_test_reply_add_header (reply, "Content-Type", "text/html");
          reins_test_reply_add (reply, 0, "<html>hello</html>", -1);
        }
      else if (strcmp (tool, "hang") == 0)
        {
          mcp.hang_seen = TRUE;
          reply_sse (reply);
          reins_test_reply_add (reply, 0, ": still here\n\n", -1);
          reins_test_reply_add (reply, 600000, ": too late\n\n", -1);
        }
      else if (strcmp (tool, "accepted") == 0)
        reins_test_reply_set_status (reply, 202);
      else if (g_str_has_prefix (tool, "ask"))
        {
          const char *schema = strcmp (tool, "ask") == 0 ? ask_schema
                               : strcmp (tool, "ask_required") == 0 ? ask_required_schema
                               : ask_bad_schema;
          g_autofree char *request = g_strdup_printf (
            "{\"jsonrpc\":\"2.0\",\"id\":\"el-%u\",\"method\":\"elicitation/create\","
            "\"params\":{\"message\":\"Who are you?\",\"requestedSchema\":%s}}",
            ++mcp.elicitations, schema);

          g_free (mcp.ask_id);
          mcp.ask_id = g_strdup (id);
          g_free (mcp.waiting_for);
          mcp.waiting_for = g_strdup_printf ("el-%u", mcp.elicitations);
          reply_sse (reply);
          sse_event (reply, 0, NULL, request);
          reins_test_reply_add_func (reply, ask_result, NULL);
        }
      else if (strcmp (tool, "roots") == 0)
        {
          g_free (mcp.ask_id);
          mcp.ask_id = g_strdup (id);
          g_free (mcp.waiting_for);
          mcp.waiting_for = g_strdup ("roots-1");
          reply_sse (reply);
          sse_event (reply, 0, NULL,
                     "{\"jsonrpc\":\"2.0\",\"id\":\"roots-1\",\"method\":\"roots/list\"}");
          reins_test_reply_add_func (reply, ask_result, NULL);
        }
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

/* Waits, bounded (10 s), until @check holds; it is called with the state's mutex held. */
static gboolean
mcp_wait (gboolean (*check) (void))
{
  for (int i = 0; i < 1000; i++)
    {
      gboolean holds;

      g_mutex_lock (&mcp.mutex);
      holds = check ();
      g_mutex_unlock (&mcp.mutex);
      if (holds)
        return TRUE;
      g_usleep (10 * 1000);
    }
  return FALSE;
}

static gboolean
answered_and_got (void)
{
  return mcp.answers->len > 0 && mcp.get_count > 0;
}

static gboolean
hang_seen (void)
{
  return mcp.hang_seen;
}

static gboolean
told_cancelled (void)
{
  return g_ptr_array_find_with_equal_func (mcp.notifications, "notifications/cancelled",
                                           g_str_equal, NULL);
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
  g_clear_pointer (&mcp.ask_id, g_free);
  g_clear_pointer (&mcp.elicit_answer, g_free);
  mcp.elicitations = 0;
  g_clear_pointer (&mcp.waiting_for, g_free);
  g_clear_pointer (&mcp.initialize_body, g_free);
  g_clear_pointer (&mcp.notifications, g_ptr_array_unref);
  mcp.notifications = g_ptr_array_new_with_free_func (g_free);
  mcp.hang_seen = FALSE;
  mcp.hold_get = mcp.initialized = mcp.early_request = mcp.stateless = FALSE;
  mcp.missing_meta = 0;
  mcp.legacy_endpoint = NULL;
  g_queue_clear_full (&mcp.legacy_outbox, g_free);
  g_clear_pointer (&mcp.request_state, g_free);
  g_clear_pointer (&mcp.progress_token, g_free);
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
  g_assert_cmpuint (tools->len, ==, 15);
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
  /* notifications/initialized reached the server before any other request. */
  g_assert_true (mcp.initialized);
  g_assert_false (mcp.early_request);
  g_mutex_unlock (&mcp.mutex);

  /* The ping was answered with {} (its answer is POSTed on a thread of its own), and the
   * GET stream tried (also on a thread of its own). */
  g_assert_true (mcp_wait (answered_and_got));
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

static JsonObject *
elicit_ada (const char   *server,
            JsonObject   *request,
            gpointer      user_data,
            GCancellable *cancellable)
{
  g_autoptr(JsonNode) result = json_from_string ("{\"action\":\"accept\",\"content\":"
                                                 "{\"name\":\"Ada\"}}", NULL);

  g_assert_cmpstr (server, ==, "web");
  g_assert_cmpstr (json_object_get_string_member (request, "message"), ==, "Who are you?");
  (*(guint *) user_data)++;
  return json_object_ref (json_node_get_object (result));
}

static char *
dup_elicit_answer (void)
{
  char *answer;

  g_mutex_lock (&mcp.mutex);
  answer = g_strdup (mcp.elicit_answer);
  g_mutex_unlock (&mcp.mutex);
  return answer;
}

/* The server asks the person in the middle of a call. */
static void
test_elicit (void)
{
  g_autoptr(ReinsTestServer) server = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;
  g_autoptr(JsonObject) args = json_object_new ();
  guint asked = 0;

  mcp_reset ();
  server = reins_test_server_new (mcp_handler, NULL);
  client = start_client (server);

  /* A call that can ask the person: the answer reaches the server, then the result comes. */
  {
    g_autoptr(ReinsToolResult) r = reins_mcp_client_call_tool_full (client, "ask", args, 10,
                                                                     elicit_ada, &asked, NULL);
    g_autofree char *answer = dup_elicit_answer ();

    g_assert_false (r->is_error);
    g_assert_cmpstr (r->text, ==, "answered");
    g_assert_cmpuint (asked, ==, 1);
    g_assert_nonnull (strstr (answer, "\"action\":\"accept\""));
    g_assert_nonnull (strstr (answer, "\"name\":\"Ada\""));
  }

  /* A call that cannot: the server gets a decline, and nobody was asked. */
  {
    g_autoptr(ReinsToolResult) r = reins_mcp_client_call_tool (client, "ask", args, 10, NULL);
    g_autofree char *answer = dup_elicit_answer ();

    g_assert_false (r->is_error);
    g_assert_cmpuint (asked, ==, 1);
    g_assert_nonnull (strstr (answer, "\"action\":\"decline\""));
    g_assert_null (strstr (answer, "Ada"));
  }

  /* A form Reins cannot fill: an “invalid params” error, and nobody is asked. */
  {
    g_autoptr(ReinsToolResult) r = reins_mcp_client_call_tool_full (client, "ask_bad", args, 10,
                                                                     elicit_ada, &asked, NULL);
    g_autofree char *answer = dup_elicit_answer ();

    g_assert_false (r->is_error);
    g_assert_cmpuint (asked, ==, 1);
    g_assert_nonnull (strstr (answer, "-32602"));
  }
}

/* The GET stream and a call's stream each hold a connection; the answer to the server's
 * question needs a third (libsoup allows two per host unless told otherwise). */
static void
test_elicit_busy (void)
{
  g_autoptr(ReinsTestServer) server = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsToolResult) r = NULL;
  guint asked = 0;

  mcp_reset ();
  mcp.hold_get = TRUE;
  server = reins_test_server_new (mcp_handler, NULL);
  client = start_client (server);
  g_mutex_lock (&mcp.mutex);
  /* start() returned once the GET stream was open. */
  g_assert_cmpuint (mcp.get_count, ==, 1);
  g_mutex_unlock (&mcp.mutex);

  r = reins_mcp_client_call_tool_full (client, "ask", args, 10, elicit_ada, &asked, NULL);
  g_assert_false (r->is_error);
  g_assert_cmpstr (r->text, ==, "answered");
  g_assert_cmpuint (asked, ==, 1);

  /* Closing does not wait for the stream that stays open. */
  reins_mcp_client_stop (client);
}

static void
test_elicit_schema (void)
{
  const char *good[] = {
    ask_schema,
    ask_required_schema,
    "{\"type\":\"object\",\"properties\":{\"c\":{\"type\":\"string\",\"oneOf\":"
    "[{\"const\":\"r\",\"title\":\"Red\"}]},\"n\":{\"type\":\"number\"}}}",
  };
  const char *bad[] = {
    ask_bad_schema,
    "{\"type\":\"object\"}",
    "{\"type\":\"array\",\"properties\":{}}",
    "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"array\"}}}",
    "{\"type\":\"object\",\"properties\":{\"a\":3}}",
    "{\"type\":\"object\",\"properties\":{\"a\":{\"enum\":[1,2]}}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (good[i], NULL);
      g_autoptr(GError) error = NULL;

      g_assert_true (reins_mcp_elicit_check_schema (json_node_get_object (node), &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (bad[i], NULL);
      g_autoptr(GError) error = NULL;

      g_assert_false (reins_mcp_elicit_check_schema (json_node_get_object (node), &error));
      g_assert_nonnull (error);
    }
}

static void
test_elicit_values (void)
{
  g_autoptr(JsonNode) schema_node = json_from_string (ask_schema, NULL);
  g_autoptr(JsonNode) required_node = json_from_string (ask_required_schema, NULL);
  JsonObject *schema = json_node_get_object (schema_node);
  JsonObject *properties = json_object_get_object_member (schema, "properties");
  g_autoptr(JsonObject) defaults = NULL;
  g_autofree char *missing = NULL;
  struct {
    const char *property;
    const char *text;
    const char *json;  /* NULL: refused */
  } cases[] = {
    { "name", " Ada ", "\" Ada \"" },
    { "age", "12", "12" },
    { "age", "1.5", NULL },
    { "age", "", NULL },
    { "tea", "yes", "true" },
    { "tea", "N", "false" },
    { "tea", "maybe", NULL },
    { "size", "large", "\"large\"" },
    { "size", "1", "\"small\"" },
    { "size", "3", NULL },
    { "size", "huge", NULL },
  };

  defaults = reins_mcp_elicit_defaults (schema, NULL);
  g_assert_nonnull (defaults);
  g_assert_cmpstr (json_object_get_string_member (defaults, "name"), ==, "Grace");
  g_assert_cmpint (json_object_get_int_member (defaults, "age"), ==, 36);
  g_assert_true (json_object_get_boolean_member (defaults, "tea"));
  g_assert_null (reins_mcp_elicit_defaults (json_node_get_object (required_node), &missing));
  g_assert_cmpstr (missing, ==, "name");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) value = reins_mcp_elicit_parse_value (
        json_object_get_object_member (properties, cases[i].property), cases[i].text, &error);

      if (cases[i].json == NULL)
        {
          g_assert_null (value);
          g_assert_nonnull (error);
        }
      else
        {
          g_autofree char *text = json_to_string (value, FALSE);

          g_assert_no_error (error);
          g_assert_cmpstr (text, ==, cases[i].json);
        }
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) value = reins_mcp_elicit_parse_value (
      json_object_get_object_member (properties, "age"), "x", &error);

    g_assert_null (value);
    g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  }
}

/* The answer for the server, from a stored human decision. */
static void
test_elicit_result (void)
{
  g_autofree char *request_text = g_strdup_printf ("{\"message\":\"m\",\"requestedSchema\":%s}",
                                                   ask_required_schema);
  g_autoptr(JsonNode) request = json_from_string (request_text, NULL);
  JsonObject *r = json_node_get_object (request);
  struct {
    ReinsDecision  decision;
    const char    *feedback;
    const char    *expected;
  } cases[] = {
    { REINS_DECISION_REJECT, NULL, "{\"action\":\"decline\"}" },
    { REINS_DECISION_REJECT, "cancel", "{\"action\":\"cancel\"}" },
    { REINS_DECISION_STOP, NULL, "{\"action\":\"cancel\"}" },
    { REINS_DECISION_NONE, NULL, "{\"action\":\"cancel\"}" },
    { REINS_DECISION_APPROVE, "{\"action\":\"accept\",\"content\":{\"name\":\"Ada\"}}",
      "{\"action\":\"accept\",\"content\":{\"name\":\"Ada\"}}" },
    /* A value of the wrong type, or a required one missing: declined, not sent. */
    { REINS_DECISION_APPROVE, "{\"action\":\"accept\",\"content\":{\"name\":5}}",
      "{\"action\":\"decline\"}" },
    { REINS_DECISION_APPROVE, "{\"action\":\"accept\",\"content\":{\"note\":\"x\"}}",
      "{\"action\":\"decline\"}" },
    { REINS_DECISION_APPROVE, "{\"action\":\"cancel\"}", "{\"action\":\"cancel\"}" },
    /* A plain answer (the window's question dialog) fills the first string property. */
    { REINS_DECISION_APPROVE, "Ada", "{\"action\":\"accept\",\"content\":{\"name\":\"Ada\",\"note\":\"n\"}}" },
    /* Approved without words: the defaults, which lack the required name. */
    { REINS_DECISION_APPROVE, NULL, "{\"action\":\"decline\"}" },
    { REINS_DECISION_APPROVE, "{not json", "{\"action\":\"accept\",\"content\":{\"name\":\"{not json\",\"note\":\"n\"}}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) result = reins_mcp_elicit_result (r, cases[i].decision,
                                                              cases[i].feedback);
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *text = NULL;

      json_node_set_object (node, result);
      text = json_to_string (node, FALSE);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

typedef struct
{
  int    status;
  char  *out;
  char  *err;
} CliResult;

static void
cli_result_clear (CliResult *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

/* reins-cli run with a script that calls web__TOOL once, then finishes. */
static CliResult
run_cli (ReinsTestServer *server,
         const char      *tool,
         const char      *approve,
         const char      *input)
{
  g_autofree char *dir = g_dir_make_tmp ("reins-mcp-http-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "runs.db", NULL);
  g_autofree char *script = g_build_filename (dir, "script.json", NULL);
  g_autofree char *db_arg = g_strdup_printf ("--db=%s", db);
  g_autofree char *script_arg = g_strdup_printf ("--script=%s", script);
  g_autofree char *mcp_arg = g_strdup_printf ("--mcp=web:read=%s/mcp",
                                              reins_test_server_get_url (server));
  g_autofree char *approve_arg = g_strdup_printf ("--approve=%s", approve);
  g_autofree char *script_text = g_strdup_printf (
    "{\"responses\": [{\"tool_calls\": [{\"name\": \"web__%s\", \"arguments\": {}}]},"
    " {\"tool_calls\": [{\"name\": \"finish\", \"arguments\": {\"answer\": \"done\"}}]}]}",
    tool);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  CliResult r = { 0 };

  g_assert_true (g_file_set_contents (script, script_text, -1, NULL));
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                              G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              g_getenv ("REINS_CLI"), "run", db_arg, "--provider=scripted",
                              script_arg, mcp_arg, approve_arg, "--json", "Ask me", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &r.out, &r.err, &error);
  g_assert_no_error (error);
  r.status = g_subprocess_get_exit_status (process);
  g_unlink (script);
  g_unlink (db);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
  return r;
}

/* The CLI: --approve=yes accepts with the defaults unless a required field has none,
 * --approve=no declines, --approve=ask asks field by field; each is a question stored on
 * the step with guard "elicitation". */
static void
test_elicit_cli (void)
{
  g_autoptr(ReinsTestServer) server = NULL;
  struct {
    const char *tool;
    const char *approve;
    const char *input;
    const char *answer[3];
  } cases[] = {
    { "ask", "yes", "", { "\"action\":\"accept\"", "\"name\":\"Grace\"", "\"age\":36" } },
    { "ask_required", "yes", "", { "\"action\":\"decline\"", NULL } },
    { "ask", "no", "", { "\"action\":\"decline\"", NULL } },
    /* Name typed, age typed wrong then right, tea from its default, size by number. */
    { "ask", "ask", "y\nAda\nold\n37\n\n2\n",
      { "\"name\":\"Ada\"", "\"age\":37", "\"size\":\"large\"" } },
    { "ask", "ask", "n\n", { "\"action\":\"decline\"", NULL } },
    { "ask", "ask", "", { "\"action\":\"cancel\"", NULL } },
  };

  mcp_reset ();
  server = reins_test_server_new (mcp_handler, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CliResult r = run_cli (server, cases[i].tool, cases[i].approve, cases[i].input);
      g_autofree char *answer = dup_elicit_answer ();

      if (r.status != 0 || answer == NULL)
        g_error ("case %u: status %d\n%s\n%s", i, r.status, r.out, r.err);
      for (guint j = 0; j < G_N_ELEMENTS (cases[i].answer) && cases[i].answer[j] != NULL; j++)
        if (strstr (answer, cases[i].answer[j]) == NULL)
          g_error ("case %u: %s lacks %s", i, answer, cases[i].answer[j]);
      /* A question to the person, on the step. */
      if (strstr (r.out, "\"guard\":\"elicitation\"") == NULL)
        g_error ("case %u: no elicitation on the step:\n%s\n%s", i, r.out, r.err);
      cli_result_clear (&r);
      g_mutex_lock (&mcp.mutex);
      g_clear_pointer (&mcp.elicit_answer, g_free);
      g_mutex_unlock (&mcp.mutex);
    }
}

/* The run's MCP tool says how far it is: reins-cli prints it on stderr, beside the JSON
 * Lines on stdout (no new event there). */
static void
test_progress_cli (void)
{
  g_autoptr(ReinsTestServer) server = NULL;
  CliResult r;

  mcp_reset ();
  server = reins_test_server_new (mcp_handler, NULL);
  r = run_cli (server, "sse_echo", "yes", "");
  if (r.status != 0)
    g_error ("status %d\n%s\n%s", r.status, r.out, r.err);
  g_assert_nonnull (strstr (r.err, "progress: web__sse_echo: 1/2 halfway\n"));
  g_assert_nonnull (strstr (r.err, "progress: web__sse_echo: 2.5\n"));
  g_assert_null (strstr (r.out, "halfway"));
  cli_result_clear (&r);
}

static ReinsRisk
risk_of (ReinsToolRegistry *registry,
         const char        *name)
{
  ReinsTool *tool = reins_tool_registry_lookup (registry, name);

  g_assert_nonnull (tool);
  return reins_tool_get_risk (tool);
}

/* Tool annotations set the risk only for a server marked trusted (--mcp=NAME:trusted=…). */
static void
progress_cb (const char *tool,
             double      progress,
             double      total,
             const char *message,
             gpointer    user_data)
{
  /* On a thread of the client; the test reads it after the call returned. */
  g_ptr_array_add (user_data, g_strdup_printf ("%s %g/%g %s", tool, progress, total,
                                               message != NULL ? message : "-"));
}

/* notifications/progress of a call reach whoever made it; a call with nowhere to send them
 * asks for none. */
static void
test_progress (void)
{
  g_autoptr(ReinsTestServer) server = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) args = json_object_new ();
  ReinsToolContext context = { 0 };

  mcp_reset ();
  server = reins_test_server_new (mcp_handler, NULL);
  client = start_client (server);

  context.progress = progress_cb;
  context.progress_data = reports;
  {
    g_autoptr(ReinsToolResult) result =
      reins_mcp_client_call_tool_in_context (client, "sse_echo", args, &context, NULL);

    g_assert_cmpstr (result->text, ==, "sse echo");
  }
  g_mutex_lock (&mcp.mutex);
  g_assert_nonnull (mcp.progress_token);
  g_mutex_unlock (&mcp.mutex);
  /* The stray token and the progress that is not a number are ignored. */
  g_assert_cmpuint (reports->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (reports, 0), ==, "web__sse_echo 1/2 halfway");
  g_assert_cmpstr (g_ptr_array_index (reports, 1), ==, "web__sse_echo 2.5/-1 -");

  /* Nowhere to send it: no progressToken, and nothing reported. */
  g_ptr_array_set_size (reports, 0);
  {
    g_autoptr(ReinsToolResult) result = call (client, "sse_echo", 10);

    g_assert_cmpstr (result->text, ==, "sse echo");
  }
  g_mutex_lock (&mcp.mutex);
  g_assert_null (mcp.progress_token);
  g_mutex_unlock (&mcp.mutex);
  g_assert_cmpuint (reports->len, ==, 0);
  reins_mcp_client_stop (client);
}

static void
test_annotations (void)
{
  g_autoptr(ReinsTestServer) server = NULL;
  const char *expected[][2] = {
    { "echo", "read" }, { "sse_echo", "write" }, { "drop", "network" }, { "expire", "exec" },
    { "garbage", "exec" }, { "html", "exec" },
  };

  mcp_reset ();
  server = reins_test_server_new (mcp_handler, NULL);

  for (int trusted = 0; trusted <= 1; trusted++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ReinsToolRegistry) registry = reins_tool_registry_new_builtin ("", NULL);
      g_autofree char *spec = g_strdup_printf ("web%s=%s/mcp", trusted ? ":trusted" : "",
                                               reins_test_server_get_url (server));

      g_assert_true (reins_tool_registry_add_mcp_server (registry, spec, NULL, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
        {
          g_autofree char *name = g_strdup_printf ("web__%s", expected[i][0]);

          g_assert_cmpstr (reins_risk_to_string (risk_of (registry, name)), ==,
                           trusted ? expected[i][1] : "exec");
        }
      reins_tool_registry_stop_mcp_servers (registry);
    }

  /* Trusted hints never raise a risk the person lowered. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ReinsMcpClient) client = NULL;
    g_autoptr(GPtrArray) tools = NULL;
    g_autofree char *url = g_strdup_printf ("%s/mcp", reins_test_server_get_url (server));

    client = reins_mcp_client_new ("web", url, &error);
    reins_mcp_client_set_risk (client, REINS_RISK_READ);
    reins_mcp_client_set_trust_annotations (client, TRUE);
    g_assert_true (reins_mcp_client_start (client, NULL, &error));
    tools = reins_mcp_client_get_tools (client);
    for (guint i = 0; i < tools->len; i++)
      g_assert_cmpint (reins_tool_get_risk (g_ptr_array_index (tools, i)), ==, REINS_RISK_READ);
  }
}

/* Called with the state's mutex held, or takes it. */
static guint
count_notifications_locked (const char *method)
{
  guint n = 0;

  for (guint i = 0; i < mcp.notifications->len; i++)
    n += g_strcmp0 (g_ptr_array_index (mcp.notifications, i), method) == 0;
  return n;
}

static guint
count_notifications (const char *method)
{
  guint n;

  g_mutex_lock (&mcp.mutex);
  n = count_notifications_locked (method);
  g_mutex_unlock (&mcp.mutex);
  return n;
}

/* The client's answers so far, forgotten: the next “roots” call reads its own. */
static void
forget_answers (void)
{
  g_mutex_lock (&mcp.mutex);
  g_ptr_array_set_size (mcp.answers, 0);
  g_mutex_unlock (&mcp.mutex);
}

static gboolean
told_roots_changed (void)
{
  return count_notifications_locked ("notifications/roots/list_changed") >= 1;
}

static gboolean
told_roots_changed_twice (void)
{
  return count_notifications_locked ("notifications/roots/list_changed") == 2;
}

/* The workspace offered as the root, when there is one. */
static void
test_roots (void)
{
  g_autoptr(ReinsTestServer) server = NULL;
  g_autofree char *url = NULL;
  g_autofree char *dir = g_dir_make_tmp ("reins-roots-XXXXXX", NULL);
  g_autofree char *uri = g_filename_to_uri (dir, NULL, NULL);
  g_autofree char *other = g_dir_make_tmp ("reins-roots-XXXXXX", NULL);
  g_autofree char *other_uri = g_filename_to_uri (other, NULL, NULL);

  mcp_reset ();
  server = reins_test_server_new (mcp_handler, NULL);
  url = g_strdup_printf ("%s/mcp", reins_test_server_get_url (server));

  for (int with_root = 0; with_root <= 1; with_root++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ReinsMcpClient) client = reins_mcp_client_new ("web", url, &error);
      g_autoptr(ReinsToolResult) r = NULL;
      g_autofree char *answer = NULL;
      g_autofree char *initialize = NULL;

      forget_answers ();
      if (with_root)
        reins_mcp_client_set_root (client, dir);
      g_assert_true (reins_mcp_client_start (client, NULL, &error));
      r = call (client, "roots", 10);
      g_assert_false (r->is_error);
      answer = dup_elicit_answer ();
      g_mutex_lock (&mcp.mutex);
      initialize = g_strdup (mcp.initialize_body);
      g_mutex_unlock (&mcp.mutex);
      if (with_root)
        {
          g_autofree char *expected = g_strdup_printf ("\"uri\":\"%s\"", uri);

          if (strstr (answer, expected) == NULL)
            g_error ("%s lacks %s", answer, expected);
          g_assert_nonnull (strstr (initialize, "\"roots\":{\"listChanged\":true}"));

          /* The same folder again tells nothing; another one is told, and offered. */
          reins_mcp_client_set_root (client, dir);
          reins_mcp_client_set_root (client, other);
          g_assert_true (mcp_wait (told_roots_changed));
          forget_answers ();
          {
            g_autoptr(ReinsToolResult) again = call (client, "roots", 10);
            g_autofree char *now = dup_elicit_answer ();
            g_autofree char *other_expected = g_strdup_printf ("\"uri\":\"%s\"", other_uri);

            g_assert_false (again->is_error);
            if (strstr (now, other_expected) == NULL)
              g_error ("%s lacks %s", now, other_expected);
            g_assert_cmpuint (count_notifications ("notifications/roots/list_changed"), ==, 1);
          }
          /* No root any more: an empty list. */
          reins_mcp_client_set_root (client, NULL);
          forget_answers ();
          {
            g_autoptr(ReinsToolResult) none = call (client, "roots", 10);
            g_autofree char *now = dup_elicit_answer ();

            g_assert_nonnull (strstr (now, "\"roots\":[]"));
          }
          g_assert_true (mcp_wait (told_roots_changed_twice));
        }
      else
        {
          g_assert_nonnull (strstr (answer, "-32601"));
          g_assert_null (strstr (initialize, "\"roots\""));
          /* Not declared: a root set later is not told. */
          reins_mcp_client_set_root (client, other);
          {
            g_autoptr(ReinsToolResult) again = call (client, "echo", 10);
          }
          g_assert_cmpuint (count_notifications ("notifications/roots/list_changed"), ==, 0);
        }
      /* Elicitation is declared either way. */
      g_assert_nonnull (strstr (initialize, "\"elicitation\":{}"));
      g_mutex_lock (&mcp.mutex);
      g_ptr_array_set_size (mcp.notifications, 0);
      g_mutex_unlock (&mcp.mutex);
    }
  g_rmdir (dir);
  g_rmdir (other);
}

static gpointer
cancel_when_hanging (gpointer data)
{
  mcp_wait (hang_seen);
  g_cancellable_cancel (data);
  return NULL;
}

/* A call cancelled by the run: the server is told with notifications/cancelled. */
static void
test_cancel (void)
{
  g_autoptr(ReinsTestServer) server = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsToolResult) r = NULL;
  GThread *thread;

  mcp_reset ();
  server = reins_test_server_new (mcp_handler, NULL);
  client = start_client (server);

  thread = g_thread_new ("cancel", cancel_when_hanging, cancellable);
  r = reins_mcp_client_call_tool (client, "hang", args, 60, cancellable);
  g_thread_join (thread);
  g_assert_true (r->is_error);
  g_assert_nonnull (strstr (r->text, "cancelled"));

  g_assert_true (mcp_wait (told_cancelled));

  /* An ordinary call is not followed by one. */
  {
    g_autoptr(ReinsToolResult) ok = call (client, "echo", 10);

    g_assert_false (ok->is_error);
    reins_mcp_client_stop (client);
    g_mutex_lock (&mcp.mutex);
    g_assert_cmpuint (mcp.notifications->len, ==, 2);  /* initialized, cancelled */
    g_mutex_unlock (&mcp.mutex);
  }
}

/* A server of the stateless revision: found by server/discover after initialize fails;
 * _meta on every request; a question asked by an input_required result. */
static void
test_stateless (void)
{
  g_autoptr(ReinsTestServer) server = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;
  g_autoptr(GPtrArray) tools = NULL;
  g_autoptr(JsonObject) args = json_object_new ();
  guint asked = 0;

  mcp_reset ();
  mcp.stateless = TRUE;
  server = reins_test_server_new (mcp_handler, NULL);
  client = start_client (server);

  g_assert_cmpstr (reins_mcp_client_get_protocol_version (client), ==, "2026-07-28");
  tools = reins_mcp_client_get_tools (client);
  g_assert_cmpuint (tools->len, ==, 15);

  {
    g_autoptr(ReinsToolResult) r = call (client, "echo", 10);

    g_assert_false (r->is_error);
    g_assert_cmpstr (r->text, ==, "stateless echo");
  }
  {
    g_autoptr(ReinsToolResult) r = reins_mcp_client_call_tool_full (client, "ask", args, 10,
                                                                     elicit_ada, &asked, NULL);

    g_assert_false (r->is_error);
    g_assert_cmpuint (asked, ==, 1);
    g_assert_nonnull (strstr (r->text, "\"action\":\"accept\""));
    g_assert_nonnull (strstr (r->text, "Ada"));
  }
  {
    /* Nobody to ask: declined. */
    g_autoptr(ReinsToolResult) r = call (client, "ask", 10);

    g_assert_false (r->is_error);
    g_assert_nonnull (strstr (r->text, "\"action\":\"decline\""));
  }
  reins_mcp_client_stop (client);

  g_mutex_lock (&mcp.mutex);
  g_assert_cmpuint (mcp.missing_meta, ==, 0);
  g_assert_cmpstr (mcp.request_state, ==, "st-1");
  /* No handshake-era machinery: no notification, no GET stream, no session to delete. */
  g_assert_cmpuint (mcp.notifications->len, ==, 0);
  g_assert_cmpuint (mcp.get_count, ==, 0);
  g_assert_null (mcp.deleted);
  g_mutex_unlock (&mcp.mutex);
}

/* A server that only speaks the legacy HTTP+SSE transport (2024-11-05). */
static void
test_legacy (void)
{
  g_autoptr(ReinsTestServer) server = NULL;
  g_autofree char *url = NULL;

  mcp_reset ();
  mcp.legacy_endpoint = "/messages?session=1";
  server = reins_test_server_new (mcp_handler, NULL);
  url = g_strdup_printf ("%s/sse", reins_test_server_get_url (server));

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ReinsMcpClient) client = reins_mcp_client_new ("old", url, &error);
    g_autoptr(ReinsToolResult) r = NULL;
    g_autoptr(GPtrArray) tools = NULL;

    reins_mcp_client_set_start_timeout (client, 10);
    g_assert_true (reins_mcp_client_start (client, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (reins_mcp_client_get_protocol_version (client), ==, "2024-11-05");
    tools = reins_mcp_client_get_tools (client);
    g_assert_cmpuint (tools->len, ==, 15);
    r = call (client, "echo", 10);
    g_assert_false (r->is_error);
    g_assert_cmpstr (r->text, ==, "legacy echo");
    reins_mcp_client_stop (client);
    g_mutex_lock (&mcp.mutex);
    /* One stream: no second GET for server-started messages. */
    g_assert_cmpuint (mcp.get_count, ==, 1);
    g_mutex_unlock (&mcp.mutex);
  }

  /* An endpoint on another origin is not followed: the start fails with the server's
   * answer to initialize. */
  mcp_reset ();
  mcp.legacy_endpoint = "http://192.0.2.1/messages";
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ReinsMcpClient) client = reins_mcp_client_new ("old", url, &error);

    reins_mcp_client_set_start_timeout (client, 1);
    g_assert_false (reins_mcp_client_start (client, NULL, &error));
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "405"));
  }
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

  g_autofree char *first = g_dir_make_tmp ("reins-roots-XXXXXX", NULL);
  g_autofree char *second = g_dir_make_tmp ("reins-roots-XXXXXX", NULL);

  mcp_reset ();
  server = reins_test_server_new (mcp_handler, NULL);
  spec = g_strdup_printf ("web:read=%s/mcp", reins_test_server_get_url (server));
  reins_tool_registry_set_mcp_root (registry, first);
  g_assert_true (reins_tool_registry_add_mcp_server (registry, spec, NULL, &error));
  g_assert_no_error (error);
  /* A new workspace reaches the servers already running. */
  g_assert_cmpuint (count_notifications ("notifications/roots/list_changed"), ==, 0);
  reins_tool_registry_set_mcp_root (registry, second);
  g_assert_true (mcp_wait (told_roots_changed));
  g_rmdir (first);
  g_rmdir (second);
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

static ReinsToolResult *
call_with (ReinsMcpClient *client,
           const char     *tool,
           const char     *arguments_json,
           guint           timeout_s)
{
  g_autoptr(JsonNode) args = json_from_string (arguments_json, NULL);

  g_assert_nonnull (args);
  return reins_mcp_client_call_tool (client, tool, json_node_get_object (args), timeout_s, NULL);
}

/* The tool's outputSchema, listed by the server, is used on its results. */
static void
test_output_schema (void)
{
  g_autoptr(ReinsTestServer) server = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;
  g_autoptr(ReinsToolResult) good = NULL;
  g_autoptr(ReinsToolResult) bad = NULL;
  g_autoptr(ReinsToolResult) none = NULL;

  mcp_reset ();
  server = reins_test_server_new (mcp_handler, NULL);
  client = start_client (server);

  good = call_with (client, "typed", "{\"give\":\"good\"}", 10);
  g_assert_false (good->is_error);
  g_assert_cmpstr (good->text, ==, "typed\n[structured content] {\"n\":7}");

  bad = call_with (client, "typed", "{\"give\":\"bad\"}", 10);
  g_assert_false (bad->is_error);
  g_assert_true (g_str_has_prefix (bad->text, "typed\n[structured content] {\"n\":\"seven\"}\n"
                                              "[the structured content does not match the "
                                              "tool's output schema: "));

  none = call_with (client, "typed", "{}", 10);
  g_assert_cmpstr (none->text, ==, "typed\n[the tool declares an output schema but gave no "
                                   "structured content]");
}

/* A 4 MiB answer, as JSON or as one SSE event: read whole, cut to 256 KiB for the model. */
static void
test_huge (void)
{
  g_autoptr(ReinsTestServer) server = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;
  const char *as[] = { "{\"as\":\"json\"}", "{\"as\":\"sse\"}" };

  mcp_reset ();
  server = reins_test_server_new (mcp_handler, NULL);
  client = start_client (server);

  for (guint i = 0; i < G_N_ELEMENTS (as); i++)
    {
      g_autoptr(ReinsToolResult) r = call_with (client, "huge", as[i], 30);

      g_assert_false (r->is_error);
      g_assert_true (r->truncated);
      g_assert_true (g_str_has_prefix (r->text, "0123456789abcde 0123456789abcde "));
      g_assert_cmpuint (strlen (r->text), <, 257 * 1024);
      g_assert_nonnull (strstr (r->text, "truncated"));
    }
  /* And the client goes on. */
  {
    g_autoptr(ReinsToolResult) r = call (client, "echo", 10);

    g_assert_cmpstr (r->text, ==, "json echo");
  }
}

/* Event streams that bend SSE are read; those that break it fail the call at once with a
 * reason, and the client goes on. */
static void
test_malformed_sse (void)
{
  g_autoptr(ReinsTestServer) server = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;
  struct {
    const char *how;
    gboolean    ok;
    const char *expected;
  } cases[] = {
    { "crlf", TRUE, "sse ok" },
    { "cr", TRUE, "sse ok" },
    { "nul", FALSE, "NUL" },
    { "utf8", FALSE, "UTF-8" },
    { "not_json", FALSE, "not JSON-RPC: “hello there”" },
    { "no_blank", FALSE, "ended before the answer" },
    { "other_event", FALSE, "ended before the answer" },
    { "mid_drop", FALSE, "ended before the answer" },
  };

  mcp_reset ();
  server = reins_test_server_new (mcp_handler, NULL);
  client = start_client (server);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *args = g_strdup_printf ("{\"how\":\"%s\"}", cases[i].how);
      g_autoptr(ReinsToolResult) r = call_with (client, "bad_sse", args, 10);

      if (r->is_error == cases[i].ok || strstr (r->text, cases[i].expected) == NULL)
        g_error ("%s: %s", cases[i].how, r->text);
      g_assert_true (reins_mcp_client_is_running (client));
    }
  {
    g_autoptr(ReinsToolResult) r = call (client, "echo", 10);

    g_assert_cmpstr (r->text, ==, "json echo");
  }
}

typedef struct
{
  ReinsToolRegistry *registry;
  ReinsToolResult   *result;
  gboolean           done;
} HangCall;

static gpointer
hang_thread (gpointer data)
{
  HangCall *h = data;
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsAction) action = reins_action_new ("web__hang", args);
  ReinsToolContext context = { .timeout_s = 60 };

  h->result = reins_tool_registry_invoke (h->registry, &context, action, NULL);
  g_atomic_int_set (&h->done, TRUE);
  return NULL;
}

/* A hung, then a dead server over HTTP costs only its own tools: a stdio server of the
 * same run answers all along. */
static void
test_only_its_tools (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsTestServer) server = NULL;
  g_autoptr(ReinsToolRegistry) registry = reins_tool_registry_new_builtin ("", NULL);
  g_autofree char *spec = NULL;
  g_autofree char *fake = g_strdup_printf ("fake=%s normal", g_getenv ("REINS_FAKE_MCP_SERVER"));
  HangCall hang = { 0 };
  GThread *thread;
  ReinsToolContext context = { .timeout_s = 10 };

  g_assert_nonnull (g_getenv ("REINS_FAKE_MCP_SERVER"));
  mcp_reset ();
  server = reins_test_server_new (mcp_handler, NULL);
  spec = g_strdup_printf ("web=%s/mcp", reins_test_server_get_url (server));
  g_assert_true (reins_tool_registry_add_mcp_server (registry, spec, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (reins_tool_registry_add_mcp_server (registry, fake, NULL, &error));
  g_assert_no_error (error);

  /* web hangs in a call; fake answers meanwhile. */
  hang.registry = registry;
  thread = g_thread_new ("hang", hang_thread, &hang);
  g_assert_true (mcp_wait (hang_seen));
  {
    g_autoptr(ReinsAction) echo = reins_action_new_from_string (
      "{\"name\":\"fake__echo\",\"arguments\":{\"message\":\"still here\"}}", NULL);
    g_autoptr(ReinsToolResult) r = reins_tool_registry_invoke (registry, &context, echo, NULL);

    g_assert_false (r->is_error);
    g_assert_cmpstr (r->text, ==, "Echo: still here");
    g_assert_false (g_atomic_int_get (&hang.done));
  }

  /* web dies: its hung call fails with a reason, its other tools too; fake goes on. */
  g_clear_pointer (&server, reins_test_server_free);
  g_thread_join (thread);
  g_assert_true (hang.result->is_error);
  g_clear_pointer (&hang.result, reins_tool_result_free);
  {
    g_autoptr(JsonObject) args = json_object_new ();
    g_autoptr(ReinsAction) web = reins_action_new ("web__echo", args);
    g_autoptr(ReinsAction) echo = reins_action_new_from_string (
      "{\"name\":\"fake__echo\",\"arguments\":{\"message\":\"after\"}}", NULL);
    g_autoptr(ReinsToolResult) dead = reins_tool_registry_invoke (registry, &context, web, NULL);
    g_autoptr(ReinsToolResult) alive = reins_tool_registry_invoke (registry, &context, echo,
                                                                   NULL);

    g_assert_true (dead->is_error);
    g_assert_nonnull (strstr (dead->text, "web"));
    g_assert_nonnull (strstr (dead->text, "cannot be reached"));
    g_assert_false (alive->is_error);
    g_assert_cmpstr (alive->text, ==, "Echo: after");
  }
  reins_tool_registry_stop_mcp_servers (registry);
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
  g_test_add_func ("/reins/mcp-http/output-schema", test_output_schema);
  g_test_add_func ("/reins/mcp-http/huge", test_huge);
  g_test_add_func ("/reins/mcp-http/malformed-sse", test_malformed_sse);
  g_test_add_func ("/reins/mcp-http/only-its-tools", test_only_its_tools);
  g_test_add_func ("/reins/mcp-http/dead", test_dead);
  g_test_add_func ("/reins/mcp-http/bad-url", test_bad_url);
  g_test_add_func ("/reins/mcp-http/registry", test_registry);
  g_test_add_func ("/reins/mcp-http/annotations", test_annotations);
  g_test_add_func ("/reins/mcp-http/progress", test_progress);
  g_test_add_func ("/reins/mcp-http/progress-cli", test_progress_cli);
  g_test_add_func ("/reins/mcp-http/roots", test_roots);
  g_test_add_func ("/reins/mcp-http/stateless", test_stateless);
  g_test_add_func ("/reins/mcp-http/legacy", test_legacy);
  g_test_add_func ("/reins/mcp-http/cancel", test_cancel);
  g_test_add_func ("/reins/mcp-http/elicit", test_elicit);
  g_test_add_func ("/reins/mcp-http/elicit-busy", test_elicit_busy);
  g_test_add_func ("/reins/mcp-http/elicit-schema", test_elicit_schema);
  g_test_add_func ("/reins/mcp-http/elicit-values", test_elicit_values);
  g_test_add_func ("/reins/mcp-http/elicit-result", test_elicit_result);
  g_test_add_func ("/reins/mcp-http/elicit-cli", test_elicit_cli);

  {
    int status = g_test_run ();

    mcp_reset ();
    g_ptr_array_unref (mcp.answers);
    g_ptr_array_unref (mcp.notifications);
    return status;
  }
}
