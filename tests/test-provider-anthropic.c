/* test-provider-anthropic.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `anthropic` provider against a loopback server speaking the Messages API: JSON and
 * SSE (pings, unknown events, input_json_delta fragments, in-stream errors), 401, 429,
 * 529, truncation, garbage and cancellation.
 */

#include "config.h"

#include <string.h>

#include "reins-confidence.h"
#include "reins-provider.h"
#include "reins-test-server.h"

#define KEY "sk-ant-test-S3CRET-987654321"

typedef enum
{
  MODE_JSON,
  MODE_STREAM,
  MODE_STREAM_ERROR,
  MODE_OVERLOADED_ONCE,
  MODE_AUTH,
  MODE_RATE_LIMIT,
  MODE_TRUNCATED,
  MODE_BAD_JSON,
  MODE_CANCEL,
} Mode;

static Mode mode;

static const char *json_reply =
  "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
  "\"content\":[{\"type\":\"text\",\"text\":\"I'll check.\"},"
  "{\"type\":\"tool_use\",\"id\":\"toolu_01\",\"name\":\"read_file\",\"input\":{\"path\":\"a.txt\"}}],"
  "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,"
  "\"usage\":{\"input_tokens\":420,\"output_tokens\":33,\"cache_read_input_tokens\":0}}";

static const char *stream_reply =
  "event: message_start\n"
  "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5\",\"stop_reason\":null,\"usage\":{\"input_tokens\":250,\"output_tokens\":1}}}\n\n"
  "event: content_block_start\n"
  "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
  "event: ping\n"
  "data: {\"type\":\"ping\"}\n\n"
  "event: content_block_delta\n"
  "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Looking \"}}\n\n"
  "event: content_block_delta\n"
  "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"it up.\"}}\n\n"
  "event: content_block_stop\n"
  "data: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
  "event: something_new\n"
  "data: {\"type\":\"something_new\",\"payload\":[1,2,3]}\n\n"
  "event: content_block_start\n"
  "data: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_02\",\"name\":\"kb_lookup\",\"input\":{}}}\n\n"
  "event: content_block_delta\n"
  "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}\n\n"
  "event: content_block_delta\n"
  "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"key\\\": \\\"cha\"}}\n\n"
  "event: ping\n"
  "data: {\"type\": \"ping\"}\n\n"
  "event: content_block_delta\n"
  "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"in-2-4/0\\\"}\"}}\n\n"
  "event: content_block_stop\n"
  "data: {\"type\":\"content_block_stop\",\"index\":1}\n\n"
  "event: message_delta\n"
  "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":42}}\n\n"
  "event: message_stop\n"
  "data: {\"type\":\"message_stop\"}\n\n";

static void
add_in_pieces (ReinsTestReply *reply,
               const char     *text,
               gsize           piece)
{
  gsize len = strlen (text);

  for (gsize at = 0; at < len; at += piece)
    reins_test_reply_add (reply, at == 0 ? 0 : 1, text + at, MIN (piece, len - at));
}

static void
handler (const char     *path,
         const char     *body,
         guint           index,
         ReinsTestReply *reply,
         gpointer        user_data)
{
  switch (mode)
    {
    case MODE_JSON:
      add_in_pieces (reply, json_reply, 64);
      break;

    case MODE_STREAM:
      reins_test_reply_add_header (reply, "Content-Type", "text/event-stream");
      add_in_pieces (reply, stream_reply, 29);
      break;

    case MODE_STREAM_ERROR:
      reins_test_reply_add (reply, 0, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":5}}}\n\n", -1);
      reins_test_reply_add (reply, 5, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n", -1);
      break;

    case MODE_OVERLOADED_ONCE:
      if (index == 0)
        {
          reins_test_reply_set_status (reply, 529);
          reins_test_reply_add (reply, 0, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"},\"request_id\":\"req_1\"}", -1);
        }
      else
        add_in_pieces (reply, json_reply, 1000);
      break;

    case MODE_AUTH:
      reins_test_reply_set_status (reply, 401);
      reins_test_reply_add (reply, 0, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"},\"request_id\":\"req_2\"}", -1);
      break;

    case MODE_RATE_LIMIT:
      if (index == 0)
        {
          reins_test_reply_set_status (reply, 429);
          reins_test_reply_add_header (reply, "retry-after", "0.3");
          reins_test_reply_add (reply, 0, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Slow down\"}}", -1);
        }
      else
        add_in_pieces (reply, json_reply, 1000);
      break;

    case MODE_TRUNCATED:
      add_in_pieces (reply, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":5}}}\n\n"
                            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
                            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Half\"}}\n\n", 50);
      break;

    case MODE_BAD_JSON:
      reins_test_reply_add (reply, 0, "event: message_start\ndata: {\"type\":\"message_start\",\n\n", -1);
      break;

    case MODE_CANCEL:
      reins_test_reply_add (reply, 0, "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
                                      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hm\"}}\n\n", -1);
      reins_test_reply_add (reply, 20000, "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", -1);
      break;
    }
}

static ReinsProvider *
provider_new (ReinsTestServer *server)
{
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("anthropic");
  g_autoptr(GError) error = NULL;
  ReinsProvider *provider;

  config->base_url = g_strdup (reins_test_server_get_url (server));
  config->api_key = g_strdup (KEY);
  config->timeout_s = 5;
  config->max_retries = 2;
  config->retry_base_ms = 10;
  provider = reins_provider_new_for_config (config, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reins_provider_get_name (provider), ==, "anthropic");
  g_assert_false (reins_provider_supports_embeddings (provider));
  return provider;
}

static ReinsChatRequest *
request_new (gboolean stream)
{
  ReinsChatRequest *request = reins_chat_request_new ();
  g_autoptr(JsonNode) tools = reins_json_from_string (
    "[{\"name\":\"read_file\",\"description\":\"Read a file\","
    "\"parameters\":{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}},"
    "{\"name\":\"finish\",\"description\":\"Answer\"}]", NULL);
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(JsonObject) args2 = json_object_new ();
  g_autoptr(ReinsAction) c1 = NULL;
  g_autoptr(ReinsAction) c2 = NULL;
  ReinsChatMessage *assistant;

  request->stream = stream;
  request->tools = json_array_ref (json_node_get_array (tools));
  reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_SYSTEM, "Be brief."));
  reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_USER, "Compare a and b."));
  json_object_set_string_member (args, "path", "a");
  c1 = reins_action_new_with_id ("read_file", args, "toolu_a");
  /* A second object: reins_action_new_with_id() shares (and seals) the one it is given. */
  json_object_set_string_member (args2, "path", "b");
  c2 = reins_action_new_with_id ("read_file", args2, "toolu_b");
  assistant = reins_chat_message_new (REINS_CHAT_ROLE_ASSISTANT, "Reading both.");
  reins_chat_message_add_tool_call (assistant, c1);
  reins_chat_message_add_tool_call (assistant, c2);
  reins_chat_request_add (request, assistant);
  reins_chat_request_add (request, reins_chat_message_new_tool ("toolu_a", "read_file", "A", FALSE));
  reins_chat_request_add (request, reins_chat_message_new_tool ("toolu_b", "read_file", "gone", TRUE));
  reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_USER, "Reminder: compare."));
  return request;
}

static ReinsChatResponse *
run (ReinsTestServer  *server,
     Mode              m,
     gboolean          stream,
     GError          **error)
{
  g_autoptr(ReinsProvider) provider = provider_new (server);
  g_autoptr(ReinsChatRequest) request = request_new (stream);

  mode = m;
  return reins_provider_chat (provider, request, NULL, NULL, NULL, error);
}

static void
test_json (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (handler, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsChatResponse) r = run (server, MODE_JSON, FALSE, &error);
  g_autofree char *key = reins_test_server_dup_header (server, "x-api-key");
  g_autofree char *version = reins_test_server_dup_header (server, "anthropic-version");
  g_autofree char *path = reins_test_server_dup_path (server);
  g_autofree char *body = reins_test_server_dup_body (server);
  g_autoptr(JsonNode) sent = reins_json_from_string (body, NULL);
  g_autoptr(JsonNode) expected = reins_json_from_string (
    "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":4096,\"system\":\"Be brief.\",\"stream\":false,"
    "\"messages\":["
    "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Compare a and b.\"}]},"
    "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Reading both.\"},"
    "{\"type\":\"tool_use\",\"id\":\"toolu_a\",\"name\":\"read_file\",\"input\":{\"path\":\"a\"}},"
    "{\"type\":\"tool_use\",\"id\":\"toolu_b\",\"name\":\"read_file\",\"input\":{\"path\":\"b\"}}]},"
    "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_a\",\"content\":\"A\"},"
    "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_b\",\"content\":\"gone\",\"is_error\":true},"
    "{\"type\":\"text\",\"text\":\"Reminder: compare.\"}]}],"
    "\"tools\":[{\"name\":\"read_file\",\"description\":\"Read a file\",\"input_schema\":"
    "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}},"
    "{\"name\":\"finish\",\"description\":\"Answer\",\"input_schema\":{\"type\":\"object\"}}],"
    "\"tool_choice\":{\"type\":\"auto\",\"disable_parallel_tool_use\":true}}", NULL);
  ReinsAction *call;
  ReinsConfidenceSource source;

  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, KEY);
  g_assert_cmpstr (version, ==, "2023-06-01");
  g_assert_cmpstr (path, ==, "/v1/messages");
  g_assert_true (json_node_equal (sent, expected));

  g_assert_cmpstr (r->text, ==, "I'll check.");
  g_assert_cmpuint (r->tool_calls->len, ==, 1);
  call = g_ptr_array_index (r->tool_calls, 0);
  g_assert_cmpstr (reins_action_get_call_id (call), ==, "toolu_01");
  g_assert_cmpstr (reins_action_get_string_argument (call, "path"), ==, "a.txt");
  g_assert_cmpstr (r->finish_reason, ==, "tool_use");
  g_assert_cmpuint (r->input_tokens, ==, 420);
  g_assert_cmpuint (r->output_tokens, ==, 33);
  g_assert_true (r->usage_reported);
  /* No log-probabilities from Anthropic: the confidence says so. */
  g_assert_null (r->logprobs);
  g_assert_cmpfloat (reins_confidence_compute (r, NULL, &source), ==, 0.8);
  g_assert_cmpint (source, ==, REINS_CONFIDENCE_SOURCE_DEFAULT);
  g_assert_null (strstr (r->raw_request, KEY));
}

static void
token_cb (const char *delta,
          gpointer    user_data)
{
  g_string_append (user_data, delta);
  g_string_append_c (user_data, '|');
}

static void
test_stream (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (handler, NULL);
  g_autoptr(ReinsProvider) provider = provider_new (server);
  g_autoptr(ReinsChatRequest) request = request_new (TRUE);
  g_autoptr(GString) deltas = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsChatResponse) r = NULL;
  ReinsAction *call;

  mode = MODE_STREAM;
  r = reins_provider_chat (provider, request, token_cb, deltas, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (deltas->str, ==, "Looking |it up.|");
  g_assert_cmpstr (r->text, ==, "Looking it up.");
  g_assert_cmpuint (r->tool_calls->len, ==, 1);
  call = g_ptr_array_index (r->tool_calls, 0);
  g_assert_cmpstr (reins_action_get_call_id (call), ==, "toolu_02");
  g_assert_cmpstr (reins_action_get_name (call), ==, "kb_lookup");
  g_assert_cmpstr (reins_action_get_string_argument (call, "key"), ==, "chain-2-4/0");
  g_assert_cmpstr (r->finish_reason, ==, "tool_use");
  g_assert_cmpuint (r->input_tokens, ==, 250);
  g_assert_cmpuint (r->output_tokens, ==, 42);
  g_assert_nonnull (strstr (r->raw_response, "message_stop"));
}

static void
test_errors (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (handler, NULL);
  struct { Mode mode; gboolean stream; int code; guint requests; } cases[] = {
    { MODE_STREAM_ERROR, TRUE, REINS_ERROR_PROVIDER, 1 },
    { MODE_AUTH, FALSE, REINS_ERROR_PROVIDER_AUTH, 1 },
    { MODE_TRUNCATED, TRUE, REINS_ERROR_PROVIDER_PROTOCOL, 1 },
    { MODE_BAD_JSON, TRUE, REINS_ERROR_PROVIDER_PROTOCOL, 1 },
  };
  guint before = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ReinsChatResponse) r = run (server, cases[i].mode, cases[i].stream, &error);
      guint count = reins_test_server_get_count (server);

      g_assert_null (r);
      g_assert_error (error, REINS_ERROR, cases[i].code);
      g_assert_null (strstr (error->message, KEY));
      g_assert_cmpuint (count - before, ==, cases[i].requests);
      before = count;
      if (cases[i].mode == MODE_STREAM_ERROR)
        g_assert_nonnull (strstr (error->message, "overloaded_error"));
      if (cases[i].mode == MODE_AUTH)
        g_assert_nonnull (strstr (error->message, "API key"));
    }
}

static void
test_retries (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (handler, NULL);
  g_autoptr(ReinsTestServer) server2 = reins_test_server_new (handler, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsChatResponse) r1 = run (server, MODE_OVERLOADED_ONCE, FALSE, &error);
  g_autoptr(ReinsChatResponse) r2 = NULL;
  gint64 start;

  g_assert_no_error (error);
  g_assert_cmpuint (r1->retries, ==, 1);
  g_assert_cmpuint (reins_test_server_get_count (server), ==, 2);

  start = g_get_monotonic_time ();
  r2 = run (server2, MODE_RATE_LIMIT, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r2->retries, ==, 1);
  /* Retry-After (0.3 s) is honoured. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
}

static void
cancel_cb (const char *delta,
           gpointer    user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_cancel (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (handler, NULL);
  g_autoptr(ReinsProvider) provider = provider_new (server);
  g_autoptr(ReinsChatRequest) request = request_new (TRUE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsChatResponse) r = NULL;
  gint64 start = g_get_monotonic_time ();

  mode = MODE_CANCEL;
  r = reins_provider_chat (provider, request, cancel_cb, cancellable, cancellable, &error);
  g_assert_null (r);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, 4000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reins/model/anthropic/json", test_json);
  g_test_add_func ("/reins/model/anthropic/stream", test_stream);
  g_test_add_func ("/reins/model/anthropic/errors", test_errors);
  g_test_add_func ("/reins/model/anthropic/retries", test_retries);
  g_test_add_func ("/reins/model/anthropic/cancel", test_cancel);

  return g_test_run ();
}
