/* fake-mcp-server.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small MCP stdio server for test-mcp, with a mode per protocol edge case:
 *
 *   fake-mcp-server MODE
 *
 *   normal         tools echo, add, image, mixed, structured, fail, big, crash, sleep, grow,
 *                  ping; anything else is error -32602
 *   paginated      the tools come one per page, with nextCursor
 *   garbage        every answer is preceded by lines that are not JSON-RPC
 *   only-garbage   answers nothing but garbage
 *   silent         never answers
 *   wrong-version  answers initialize with protocol version 1999-01-01
 *   old-version    answers initialize with 2024-11-05
 *   exit-early     writes to stderr and exits 2 before reading anything
 *   stubborn       normal, but ignores SIGTERM and the end of its input
 *   cursor-loop    repeats the same nextCursor forever
 *   wrong-id       answers tools/call with an id 1000 higher than asked
 *   parse-error    answers tools/call with JSON-RPC's "id": null parse error
 *   garbage-flood  answers tools/call with 100 lines that are not JSON-RPC, and nothing else
 *   request-flood  answers tools/call with pings of its own, forever, reading nothing
 *   pings-first    sends 900 pings with long ids (more answer than a pipe holds) before
 *                  answering tools/call, reading nothing meanwhile
 *   many-tools     lists echo and 2,000 more tools, t0 … t1999
 */

#include <glib.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *mode = "normal";
static gboolean grown = FALSE;

static void
send_line (const char *line)
{
  fputs (line, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

static void
garbage (void)
{
  if (strcmp (mode, "garbage") != 0)
    return;
  send_line ("this is not json");
  send_line ("{broken");
  send_line ("[1,2,3]");
  send_line ("{\"jsonrpc\":\"1.0\",\"id\":1,\"result\":{}}");
  send_line ("");
  send_line ("{\"jsonrpc\":\"2.0\",\"id\":99999,\"result\":{}}");
  send_line ("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"level\":\"info\",\"data\":\"hi\"}}");
}

static void
send_result (JsonNode   *id,
             const char *result_json)
{
  g_autofree char *id_text = json_to_string (id, FALSE);
  g_autofree char *line = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":%s}",
                                           id_text, result_json);
  garbage ();
  send_line (line);
}

static void
send_error (JsonNode   *id,
            int         code,
            const char *message)
{
  g_autofree char *id_text = json_to_string (id, FALSE);
  g_autofree char *line = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":%s,\"error\":"
                                           "{\"code\":%d,\"message\":\"%s\"}}",
                                           id_text, code, message);
  garbage ();
  send_line (line);
}

static void
send_text (JsonNode   *id,
           const char *text,
           gboolean    is_error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "content");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "text");
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, text);
  json_builder_end_object (b);
  json_builder_end_array (b);
  if (is_error)
    {
      json_builder_set_member_name (b, "isError");
      json_builder_add_boolean_value (b, TRUE);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json = json_to_string (root, FALSE);
  send_result (id, json);
}

#define TOOL(name, props, req) \
  "{\"name\":\"" name "\",\"description\":\"The " name " tool\",\"inputSchema\":" \
  "{\"type\":\"object\",\"properties\":{" props "},\"required\":[" req "]}}"

static const char *tools[] = {
  TOOL ("echo", "\"message\":{\"type\":\"string\"}", "\"message\""),
  TOOL ("add", "\"a\":{\"type\":\"number\"},\"b\":{\"type\":\"number\"}", "\"a\",\"b\""),
  TOOL ("image", "", ""),
  TOOL ("mixed", "", ""),
  TOOL ("structured", "", ""),
  TOOL ("fail", "", ""),
  TOOL ("big", "", ""),
  TOOL ("crash", "", ""),
  TOOL ("sleep", "", ""),
  TOOL ("grow", "", ""),
  TOOL ("ping", "", ""),
  "{\"name\":\"odd name/with.chars\",\"inputSchema\":{\"type\":\"object\"}}",
};

static void
list_tools (JsonNode   *id,
            JsonObject *params)
{
  const char *cursor = params != NULL
                         ? json_object_get_string_member_with_default (params, "cursor", NULL)
                         : NULL;
  g_autoptr(GString) out = g_string_new ("{\"tools\":[");

  if (strcmp (mode, "many-tools") == 0)
    {
      g_string_append (out, tools[0]);
      for (guint i = 0; i < 2000; i++)
        g_string_append_printf (out, ",{\"name\":\"t%u\","
                                "\"inputSchema\":{\"type\":\"object\"}}", i);
      g_string_append (out, "]}");
      send_result (id, out->str);
      return;
    }

  if (strcmp (mode, "cursor-loop") == 0)
    {
      send_result (id, "{\"tools\":[" TOOL ("echo", "", "") "],\"nextCursor\":\"same\"}");
      return;
    }

  if (strcmp (mode, "paginated") == 0)
    {
      guint page = cursor == NULL ? 0 : (guint) atoi (cursor);

      if (page >= G_N_ELEMENTS (tools))
        {
          send_error (id, -32602, "bad cursor");
          return;
        }
      g_string_append (out, tools[page]);
      if (page + 1 < G_N_ELEMENTS (tools))
        g_string_append_printf (out, "],\"nextCursor\":\"%u\"}", page + 1);
      else
        g_string_append (out, "]}");
      send_result (id, out->str);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    g_string_append_printf (out, "%s%s", i > 0 ? "," : "", tools[i]);
  if (grown)
    g_string_append (out, "," TOOL ("extra", "", ""));
  g_string_append (out, "]}");
  send_result (id, out->str);
}

static char *read_line (void);

/* Protocol breaches in place of an answer to tools/call; TRUE if one was made. */
static gboolean
misbehave (JsonNode *id)
{
  if (strcmp (mode, "wrong-id") == 0)
    {
      g_autofree char *line = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":%" G_GINT64_FORMAT ","
                                               "\"result\":{\"content\":[]}}",
                                               json_node_get_int (id) + 1000);
      send_line (line);
      return TRUE;
    }
  if (strcmp (mode, "parse-error") == 0)
    {
      send_line ("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,"
                 "\"message\":\"Parse error\"}}");
      return TRUE;
    }
  if (strcmp (mode, "garbage-flood") == 0)
    {
      for (int i = 0; i < 100; i++)
        send_line ("not JSON-RPC at all");
      return TRUE;
    }
  if (strcmp (mode, "request-flood") == 0)
    {
      for (guint64 i = 0;; i++)
        {
          g_autofree char *line = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":"
                                                   "\"f-%" G_GUINT64_FORMAT "\","
                                                   "\"method\":\"ping\"}", i);
          send_line (line);
        }
    }
  if (strcmp (mode, "pings-first") == 0)
    {
      /* 900 answers of ~170 bytes: more than the 64 KiB a pipe holds, fewer requests than
       * the client takes for a flood. */
      for (int i = 0; i < 900; i++)
        {
          g_autofree char *line = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":\"p-%d-%0120d\","
                                                   "\"method\":\"ping\"}", i, 0);
          send_line (line);
        }
      return FALSE;  /* and then the answer */
    }
  return FALSE;
}

static void
call_tool (JsonNode   *id,
           JsonObject *params)
{
  const char *name = json_object_get_string_member_with_default (params, "name", "");
  JsonObject *args = json_object_has_member (params, "arguments")
                       ? json_object_get_object_member (params, "arguments") : NULL;

  if (misbehave (id))
    return;

  if (strcmp (name, "echo") == 0)
    {
      g_autofree char *text = g_strdup_printf ("Echo: %s",
                                               json_object_get_string_member_with_default (args, "message", ""));
      send_text (id, text, FALSE);
    }
  else if (strcmp (name, "add") == 0)
    {
      g_autofree char *text = g_strdup_printf ("%g", json_object_get_double_member (args, "a") +
                                                     json_object_get_double_member (args, "b"));
      send_text (id, text, FALSE);
    }
  else if (strcmp (name, "image") == 0)
    send_result (id, "{\"content\":[{\"type\":\"image\",\"data\":\"iVBORw0KGgo=\",\"mimeType\":\"image/png\"}]}");
  else if (strcmp (name, "mixed") == 0)
    send_result (id, "{\"content\":["
                     "{\"type\":\"text\",\"text\":\"first\"},"
                     "{\"type\":\"audio\",\"data\":\"AAAA\",\"mimeType\":\"audio/wav\"},"
                     "{\"type\":\"resource_link\",\"uri\":\"file:///r.txt\",\"name\":\"r.txt\"},"
                     "{\"type\":\"resource\",\"resource\":{\"uri\":\"mem://a\",\"text\":\"embedded\"}},"
                     "{\"type\":\"resource\",\"resource\":{\"uri\":\"mem://b\",\"mimeType\":\"application/zip\",\"blob\":\"AAAAAA==\"}},"
                     "{\"type\":\"hologram\"}],"
                     "\"structuredContent\":{\"ignored\":true},\"unknownField\":1}");
  else if (strcmp (name, "structured") == 0 &&
           (args == NULL || (!json_object_has_member (args, "twice") &&
                             !json_object_has_member (args, "wrapped"))))
    send_result (id, "{\"content\":[],\"structuredContent\":{\"temperature\":21.5}}");
  else if (strcmp (name, "structured") == 0 && json_object_has_member (args, "wrapped"))
    send_result (id, "{\"content\":[{\"type\":\"text\",\"text\":\"line one\\nline two\"}],"
                     "\"structuredContent\":{\"content\":\"line one\\nline two\"}}");
  else if (strcmp (name, "structured") == 0)
    send_result (id, "{\"content\":[{\"type\":\"text\",\"text\":\"{\\\"temperature\\\": 21.5}\"}],"
                     "\"structuredContent\":{\"temperature\":21.5}}");
  else if (strcmp (name, "fail") == 0)
    send_text (id, "the tool failed", TRUE);
  else if (strcmp (name, "big") == 0)
    {
      g_autofree char *text = g_strnfill (300 * 1024, 'b');
      send_text (id, text, FALSE);
    }
  else if (strcmp (name, "crash") == 0)
    {
      fprintf (stderr, "fatal: boom\n");
      fflush (stderr);
      _exit (3);
    }
  else if (strcmp (name, "sleep") == 0)
    ;  /* never answered; a notifications/cancelled is logged on stderr */
  else if (strcmp (name, "grow") == 0)
    {
      grown = TRUE;
      send_text (id, "growing", FALSE);
      send_line ("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}");
    }
  else if (strcmp (name, "ping") == 0)
    {
      /* Asks the client something while the call is open, and waits for the answer. */
      send_line ("{\"jsonrpc\":\"2.0\",\"id\":\"srv-1\",\"method\":\"ping\"}");
      send_line ("{\"jsonrpc\":\"2.0\",\"id\":\"srv-2\",\"method\":\"sampling/createMessage\",\"params\":{}}");
      for (int answers = 0; answers < 2;)
        {
          g_autofree char *line = read_line ();
          g_autoptr(JsonNode) node = NULL;

          if (line == NULL)
            exit (0);
          node = json_from_string (line, NULL);
          if (node != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
              json_object_has_member (json_node_get_object (node), "id") &&
              !json_object_has_member (json_node_get_object (node), "method"))
            {
              JsonObject *o = json_node_get_object (node);
              fprintf (stderr, "client answered %s with %s\n",
                       json_object_get_string_member_with_default (o, "id", "?"),
                       json_object_has_member (o, "result") ? "a result" : "an error");
              answers++;
            }
        }
      fflush (stderr);
      send_text (id, "pong received", FALSE);
    }
  else
    send_error (id, -32602, "Unknown tool");
}

static char *
read_line (void)
{
  char *line = NULL;
  size_t size = 0;
  ssize_t n = getline (&line, &size, stdin);

  if (n < 0)
    {
      free (line);
      return NULL;
    }
  {
    char *copy = g_strndup (line, n);
    free (line);
    return copy;
  }
}

int
main (int   argc,
      char *argv[])
{
  if (argc > 1)
    mode = argv[1];

  if (strcmp (mode, "exit-early") == 0)
    {
      fprintf (stderr, "cannot start: missing configuration\n");
      return 2;
    }
  if (strcmp (mode, "stubborn") == 0)
    signal (SIGTERM, SIG_IGN);

  fprintf (stderr, "fake MCP server in mode %s pid %d\n", mode, (int) getpid ());
  fflush (stderr);

  for (;;)
    {
      g_autofree char *line = read_line ();
      g_autoptr(JsonNode) node = NULL;
      JsonObject *message;
      JsonNode *id;
      const char *method;

      if (line == NULL)
        {
          if (strcmp (mode, "stubborn") == 0)
            for (;;)
              pause ();
          return 0;
        }
      if (strcmp (mode, "silent") == 0)
        continue;
      if (strcmp (mode, "only-garbage") == 0)
        {
          send_line ("garbage instead of an answer");
          continue;
        }

      node = json_from_string (line, NULL);
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      message = json_node_get_object (node);
      id = json_object_get_member (message, "id");
      method = json_object_get_string_member_with_default (message, "method", "");

      if (strcmp (method, "notifications/cancelled") == 0)
        {
          JsonObject *p = json_object_get_object_member (message, "params");
          fprintf (stderr, "cancelled request %" G_GINT64_FORMAT ": %s\n",
                   json_object_get_int_member (p, "requestId"),
                   json_object_get_string_member_with_default (p, "reason", ""));
          fflush (stderr);
          continue;
        }
      if (id == NULL)
        continue;  /* another notification */
      if (json_object_has_member (message, "result") || json_object_has_member (message, "error"))
        continue;  /* the client's answer to a ping */

      if (strcmp (method, "initialize") == 0)
        {
          const char *version = strcmp (mode, "wrong-version") == 0 ? "1999-01-01"
                                : strcmp (mode, "old-version") == 0 ? "2024-11-05"
                                : json_object_get_string_member (json_object_get_object_member (message, "params"),
                                                                 "protocolVersion");
          g_autofree char *result = g_strdup_printf ("{\"protocolVersion\":\"%s\","
                                                     "\"capabilities\":{\"tools\":{\"listChanged\":true}},"
                                                     "\"serverInfo\":{\"name\":\"fake\",\"version\":\"1\"}}",
                                                     version);
          send_result (id, result);
        }
      else if (strcmp (method, "tools/list") == 0)
        list_tools (id, json_object_has_member (message, "params")
                          ? json_object_get_object_member (message, "params") : NULL);
      else if (strcmp (method, "tools/call") == 0)
        call_tool (id, json_object_get_object_member (message, "params"));
      else if (strcmp (method, "ping") == 0)
        send_result (id, "{}");
      else
        send_error (id, -32601, "Method not found");
    }
}
