/* test-provider-openai.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `openai` provider against a loopback server speaking /v1/chat/completions: JSON and
 * SSE, tool-call fragments, log-probabilities, usage, errors, retries, timeouts and
 * cancellation. The API key must never show in an error or in the stored request.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "reins-confidence.h"
#include "reins-http.h"
#include "reins-provider.h"
#include "reins-tool-registry.h"
#include "reins-test-server.h"

#define KEY "sk-test-S3CRET-0123456789"

typedef enum
{
  MODE_JSON,
  MODE_STREAM,
  MODE_STREAM_ERROR,
  MODE_AUTH,
  MODE_RATE_LIMIT,
  MODE_SERVER_ERROR_ONCE,
  MODE_SERVER_ERROR_ALWAYS,
  MODE_TRUNCATED,
  MODE_ABORTED,
  MODE_BAD_JSON,
  MODE_BAD_JSON_STREAM,
  MODE_BAD_UTF8,
  MODE_STALL,
  MODE_CANCEL,
  MODE_LEGACY,
  MODE_EMBED,
  MODE_BAD_REQUEST,
  MODE_ODD,
  MODE_REASONING,
  MODE_DEEP,
  MODE_DEEP_STREAM,
  MODE_DEEP_ARGUMENTS,
  MODE_BAD_ESCAPES,
  MODE_BAD_ESCAPES_STREAM,
} Mode;

/* Replies of odd shapes, served in turn in MODE_ODD; none may crash the parser. */
static const char *odd_bodies[] = {
  "[]",
  "{\"choices\":[42]}",
  "{\"choices\":[]}",
  "{\"choices\":[{\"message\":{\"content\":null,\"tool_calls\":[{\"function\":\"x\"}]}}]}",
  "{\"choices\":[{\"message\":{\"content\":null,\"tool_calls\":[42]}}]}",
  "{\"choices\":[{\"message\":{\"content\":7,\"tool_calls\":[{\"index\":\"a\",\"function\":"
  "{\"name\":\"f\",\"arguments\":\"not json\"}}]},\"logprobs\":{\"content\":[1,null,{\"token\":3},"
  "{\"token\":\"a\",\"logprob\":\"x\"}]},\"finish_reason\":7}],\"usage\":{\"prompt_tokens\":\"many\"}}",
};

static Mode mode;

/* 100,000 levels of nesting (200 KB), which overflowed json-glib's parser. */
static char *deep_value;

static const char *json_reply =
  "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\","
  "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Reading it.\","
  "\"tool_calls\":[{\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"read_file\","
  "\"arguments\":\"{\\\"path\\\": \\\"a.txt\\\"}\"}}]},"
  "\"logprobs\":{\"content\":[{\"token\":\"Reading\",\"logprob\":-0.1,\"bytes\":[82,101,97,100,105,110,103],\"top_logprobs\":[]},"
  "{\"token\":\" it\",\"logprob\":-9999.0,\"bytes\":null,\"top_logprobs\":[]},"
  "{\"token\":\".\",\"logprob\":-0.3,\"bytes\":[46],\"top_logprobs\":[]}]},"
  "\"finish_reason\":\"tool_calls\"}],"
  "\"usage\":{\"prompt_tokens\":812,\"completion_tokens\":57,\"total_tokens\":869,"
  "\"completion_tokens_details\":{\"reasoning_tokens\":0}},\"system_fingerprint\":\"x\"}";

/* A stream with two tool calls whose fragments interleave by index, a usage-only chunk,
 * comments, an unknown field and [DONE]; written in pieces that cut events, lines and a
 * CRLF in half. */
static const char *stream_reply =
  ": keep-alive\r\n\r\n"
  "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":{\"content\":[]},\"finish_reason\":null}]}\r\n\r\n"
  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Let me \"},\"logprobs\":{\"content\":[{\"token\":\"Let\",\"logprob\":-0.01,\"bytes\":[76,101,116],\"top_logprobs\":[]},{\"token\":\" me \",\"logprob\":-0.02,\"bytes\":null,\"top_logprobs\":[]}]},\"finish_reason\":null}]}\r\n\r\n"
  "id: 7\r\nretry: 100\r\nfoo: bar\r\n"
  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"look. ü\"},\"logprobs\":{\"content\":[{\"token\":\"look. ü\",\"logprob\":null}]},\"finish_reason\":null}]}\r\n\r\n"
  "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"kb_lookup\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n\n"
  "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"calculator\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n\n"
  "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"key\\\": \\\"chain\"}}]},\"finish_reason\":null}]}\n\n"
  "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{\\\"expression\\\":\"}}]},\"finish_reason\":null}]}\n\n"
  "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"-1-3/0\\\"}\"}}]},\"finish_reason\":null}]}\n\n"
  "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\" \\\"1+1\\\"}\"}}]},\"finish_reason\":null}]}\n\n"
  "data: {\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}],\"usage\":null}\n\n"
  "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":20,\"total_tokens\":120}}\n\n"
  "data: [DONE]\n\n";

static void
add_in_pieces (ReinsTestReply *reply,
               const char     *text,
               gsize           piece)
{
  gsize len = strlen (text);

  for (gsize at = 0; at < len; at += piece)
    reins_test_reply_add (reply, at == 0 ? 0 : 2, text + at, MIN (piece, len - at));
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
      reins_test_reply_add_header (reply, "Content-Type", "application/json");
      add_in_pieces (reply, json_reply, 100);
      break;

    case MODE_STREAM:
      reins_test_reply_add_header (reply, "Content-Type", "text/event-stream");
      /* 37 does not divide anything in particular: events break everywhere. */
      add_in_pieces (reply, stream_reply, 37);
      break;

    case MODE_STREAM_ERROR:
      reins_test_reply_add (reply, 0, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n", -1);
      reins_test_reply_add (reply, 5, "data: {\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}\n\n", -1);
      break;

    case MODE_AUTH:
      reins_test_reply_set_status (reply, 401);
      reins_test_reply_add (reply, 0, "{\"error\":{\"message\":\"Incorrect API key provided: sk-test-S3CRET-0123456789.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}", -1);
      break;

    case MODE_RATE_LIMIT:
      if (index == 0)
        {
          reins_test_reply_set_status (reply, 429);
          reins_test_reply_add_header (reply, "retry-after-ms", "150");
          reins_test_reply_add_header (reply, "retry-after", "30");
          reins_test_reply_add (reply, 0, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}", -1);
        }
      else
        add_in_pieces (reply, json_reply, 1000);
      break;

    case MODE_SERVER_ERROR_ONCE:
      if (index == 0)
        {
          reins_test_reply_set_status (reply, 500);
          reins_test_reply_add (reply, 0, "{\"error\":{\"code\":500,\"message\":\"boom\",\"type\":\"server_error\"}}", -1);
        }
      else
        add_in_pieces (reply, json_reply, 1000);
      break;

    case MODE_SERVER_ERROR_ALWAYS:
      reins_test_reply_set_status (reply, 503);
      reins_test_reply_add (reply, 0, "<html>Service Unavailable</html>", -1);
      break;

    case MODE_TRUNCATED:
      reins_test_reply_add (reply, 0, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Half an ans\"}}]}\n\n", -1);
      reins_test_reply_add (reply, 5, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"wer\"}", -1);
      break;

    case MODE_ABORTED:
      reins_test_reply_add (reply, 0, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Half\"}}]}\n\n", -1);
      reins_test_reply_abort (reply);
      break;

    case MODE_BAD_JSON:
      reins_test_reply_add (reply, 0, "{\"choices\": [", -1);
      break;

    case MODE_BAD_JSON_STREAM:
      reins_test_reply_add (reply, 0, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"}}]}\n\n", -1);
      reins_test_reply_add (reply, 0, "data: {not json}\n\n", -1);
      break;

    case MODE_BAD_UTF8:
      reins_test_reply_add (reply, 0, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\xff\xfe\"}}]}\n\n", -1);
      reins_test_reply_add (reply, 0, "data: [DONE]\n\n", -1);
      break;

    case MODE_STALL:
      reins_test_reply_add (reply, 0, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Thinking\"}}]}\n\n", -1);
      reins_test_reply_add (reply, 20000, "data: [DONE]\n\n", -1);
      break;

    case MODE_CANCEL:
      reins_test_reply_add (reply, 0, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"First\"}}]}\n\n", -1);
      reins_test_reply_add (reply, 20000, "data: [DONE]\n\n", -1);
      break;

    case MODE_LEGACY:
      reins_test_reply_add (reply, 0,
                            "{\"choices\":[{\"index\":0,\"text\":\"Action: go\",\"finish_reason\":\"stop\","
                            "\"logprobs\":{\"tokens\":[\"Action\",\":\",\" go\"],"
                            "\"token_logprobs\":[null,-0.2,-0.4],"
                            "\"top_logprobs\":[null,{\":\":-0.2}],\"text_offset\":[0,6,7]}}],"
                            "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":3}}", -1);
      break;

    case MODE_EMBED:
      reins_test_reply_add (reply, 0,
                            "{\"object\":\"list\",\"data\":["
                            "{\"object\":\"embedding\",\"index\":1,\"embedding\":[0.5,-0.25]},"
                            "{\"object\":\"embedding\",\"index\":0,\"embedding\":[1,0]}],"
                            "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":4,\"total_tokens\":4}}", -1);
      break;

    case MODE_ODD:
      reins_test_reply_add (reply, 0, odd_bodies[index % G_N_ELEMENTS (odd_bodies)], -1);
      break;

    case MODE_REASONING:
      /* Like OpenAI's reasoning models: some parameters are refused. */
      if (strstr (body, "\"logprobs\"") != NULL)
        {
          reins_test_reply_set_status (reply, 400);
          reins_test_reply_add (reply, 0, "{\"error\":{\"message\":\"logprobs is not supported with this model.\",\"type\":\"invalid_request_error\",\"param\":\"logprobs\"}}", -1);
        }
      else if (strstr (body, "\"max_tokens\"") != NULL)
        {
          reins_test_reply_set_status (reply, 400);
          reins_test_reply_add (reply, 0, "{\"error\":{\"message\":\"Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.\",\"type\":\"invalid_request_error\"}}", -1);
        }
      else if (strstr (body, "\"temperature\"") != NULL)
        {
          reins_test_reply_set_status (reply, 400);
          reins_test_reply_add (reply, 0, "{\"error\":{\"message\":\"Unsupported value: 'temperature' does not support 0.2 with this model.\",\"type\":\"invalid_request_error\"}}", -1);
        }
      else
        reins_test_reply_add (reply, 0, json_reply, -1);
      break;

    case MODE_DEEP:
      reins_test_reply_add (reply, 0, "{\"choices\": ", -1);
      reins_test_reply_add (reply, 0, deep_value, -1);
      reins_test_reply_add (reply, 0, "}", -1);
      break;

    case MODE_DEEP_STREAM:
      reins_test_reply_add (reply, 0, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":", -1);
      reins_test_reply_add (reply, 0, deep_value, -1);
      reins_test_reply_add (reply, 0, "}}]}\n\ndata: [DONE]\n\n", -1);
      break;

    case MODE_DEEP_ARGUMENTS:
      /* Inside the arguments string: only the second parse, of the arguments, meets it. */
      reins_test_reply_add (reply, 0, "{\"choices\":[{\"index\":0,\"message\":{\"role\":"
                            "\"assistant\",\"content\":\"Deep.\",\"tool_calls\":[{\"id\":"
                            "\"call_d\",\"type\":\"function\",\"function\":{\"name\":"
                            "\"read_file\",\"arguments\":\"{\\\"path\\\": ", -1);
      reins_test_reply_add (reply, 0, deep_value, -1);
      reins_test_reply_add (reply, 0, "}\"}}]},\"finish_reason\":\"tool_calls\"}]}", -1);
      break;

    case MODE_BAD_ESCAPES:
      /* Octal escapes that json-glib decodes to lone bytes 0x81, in the text and, escaped
       * once more, in the arguments. */
      reins_test_reply_add (reply, 0, "{\"choices\":[{\"index\":0,\"message\":{\"role\":"
                            "\"assistant\",\"content\":\"Reading \\201 it.\",\"tool_calls\":"
                            "[{\"id\":\"call_e\",\"type\":\"function\",\"function\":{\"name\":"
                            "\"read_file\",\"arguments\":\"{\\\"path\\\": "
                            "\\\"a\\\\201.txt\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}]}",
                            -1);
      break;

    case MODE_BAD_ESCAPES_STREAM:
      reins_test_reply_add (reply, 0, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":"
                            "\"Half \\201\"}}]}\n\n", -1);
      reins_test_reply_add (reply, 0, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":"
                            "\" and \\ud800x\"},\"finish_reason\":\"stop\"}]}\n\n"
                            "data: [DONE]\n\n", -1);
      break;

    case MODE_BAD_REQUEST:
      reins_test_reply_set_status (reply, 400);
      reins_test_reply_add (reply, 0, "{\"error\":{\"code\":400,\"message\":\"the request exceeds the available context size\",\"type\":\"exceed_context_size_error\"}}", -1);
      break;
    }
}

static ReinsProvider *
provider_new (ReinsTestServer *server,
              guint            timeout_s)
{
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("openai");
  g_autoptr(GError) error = NULL;
  ReinsProvider *provider;

  config->base_url = g_strdup_printf ("%s/v1/", reins_test_server_get_url (server));
  config->api_key = g_strdup (KEY);
  config->model = g_strdup ("gpt-4o-mini");
  config->timeout_s = timeout_s;
  config->max_retries = 2;
  config->retry_base_ms = 10;
  provider = reins_provider_new_for_config (config, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reins_provider_get_name (provider), ==, "openai");
  return provider;
}

static ReinsChatRequest *
request_new (gboolean stream)
{
  ReinsChatRequest *request = reins_chat_request_new ();
  g_autoptr(JsonNode) tools = reins_json_from_string (
    "[{\"name\":\"read_file\",\"description\":\"Read a file\","
    "\"parameters\":{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}}]", NULL);
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsAction) call = NULL;
  ReinsChatMessage *assistant;

  request->stream = stream;
  request->temperature = 0.2;
  request->max_tokens = 256;
  request->tools = json_array_ref (json_node_get_array (tools));
  reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_SYSTEM, "Be brief."));
  reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_USER, "What is in a.txt?"));
  json_object_set_string_member (args, "path", "b.txt");
  call = reins_action_new_with_id ("read_file", args, "call_0");
  assistant = reins_chat_message_new (REINS_CHAT_ROLE_ASSISTANT, "");
  reins_chat_message_add_tool_call (assistant, call);
  reins_chat_request_add (request, assistant);
  reins_chat_request_add (request, reins_chat_message_new_tool ("call_0", "read_file",
                                                                "no such file", TRUE));
  return request;
}

static void
assert_no_key (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, KEY));
}

static ReinsChatResponse *
run (ReinsTestServer  *server,
     Mode              m,
     gboolean          stream,
     GError          **error)
{
  g_autoptr(ReinsProvider) provider = provider_new (server, 5);
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
  g_autofree char *auth = reins_test_server_dup_header (server, "Authorization");
  g_autofree char *path = reins_test_server_dup_path (server);
  g_autofree char *body = reins_test_server_dup_body (server);
  g_autoptr(JsonNode) sent = reins_json_from_string (body, NULL);
  g_autoptr(JsonNode) expected = reins_json_from_string (
    "{\"model\":\"gpt-4o-mini\",\"stream\":false,\"logprobs\":true,\"temperature\":0.2,"
    "\"max_tokens\":256,"
    "\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
    "{\"role\":\"user\",\"content\":\"What is in a.txt?\"},"
    "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_0\",\"type\":\"function\","
    "\"function\":{\"name\":\"read_file\",\"arguments\":\"{\\\"path\\\":\\\"b.txt\\\"}\"}}]},"
    "{\"role\":\"tool\",\"tool_call_id\":\"call_0\",\"content\":\"no such file\"}],"
    "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"read_file\",\"description\":\"Read a file\","
    "\"parameters\":{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}}}]}", NULL);
  ReinsAction *call;
  ReinsConfidenceSource source;

  g_assert_no_error (error);
  g_assert_cmpstr (auth, ==, "Bearer " KEY);
  g_assert_cmpstr (path, ==, "/v1/chat/completions");
  g_assert_nonnull (sent);
  g_assert_nonnull (expected);
  /* The request is exactly the wire shape (floats aside, compare members we set). */
  {
    JsonObject *so = json_node_get_object (sent);
    JsonObject *eo = json_node_get_object (expected);
    g_autoptr(JsonNode) sm = json_node_copy (json_object_get_member (so, "messages"));
    g_autoptr(JsonNode) em = json_node_copy (json_object_get_member (eo, "messages"));
    g_autoptr(JsonNode) st = json_node_copy (json_object_get_member (so, "tools"));
    g_autoptr(JsonNode) et = json_node_copy (json_object_get_member (eo, "tools"));

    g_assert_true (json_node_equal (sm, em));
    g_assert_true (json_node_equal (st, et));
    g_assert_false (json_object_get_boolean_member (so, "stream"));
    g_assert_true (json_object_get_boolean_member (so, "logprobs"));
    g_assert_cmpint (json_object_get_int_member (so, "max_tokens"), ==, 256);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (so, "temperature"), 0.2, 1e-9);
  }

  g_assert_cmpstr (r->text, ==, "Reading it.");
  g_assert_cmpuint (r->tool_calls->len, ==, 1);
  call = g_ptr_array_index (r->tool_calls, 0);
  g_assert_cmpstr (reins_action_get_name (call), ==, "read_file");
  g_assert_cmpstr (reins_action_get_call_id (call), ==, "call_a");
  g_assert_cmpstr (reins_action_get_string_argument (call, "path"), ==, "a.txt");
  g_assert_cmpuint (r->input_tokens, ==, 812);
  g_assert_cmpuint (r->output_tokens, ==, 57);
  g_assert_true (r->usage_reported);
  g_assert_cmpstr (r->finish_reason, ==, "tool_calls");
  g_assert_cmpuint (r->logprobs->len, ==, 3);
  g_assert_cmpuint (g_array_index (r->logprobs, ReinsTokenLogprob, 1).offset, ==, 7);
  g_assert_cmpuint (g_array_index (r->logprobs, ReinsTokenLogprob, 2).offset, ==, 10);
  /* -9999 is skipped: exp(mean(-0.1, -0.3)). */
  g_assert_cmpfloat_with_epsilon (reins_confidence_compute (r, NULL, &source), exp (-0.2), 1e-9);
  g_assert_cmpint (source, ==, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  g_assert_cmpuint (r->retries, ==, 0);
  g_assert_null (strstr (r->raw_request, KEY));
  g_assert_nonnull (strstr (r->raw_request, "What is in a.txt?"));
  g_assert_nonnull (strstr (r->raw_response, "chatcmpl-1"));
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
  g_autoptr(ReinsProvider) provider = provider_new (server, 5);
  g_autoptr(ReinsChatRequest) request = request_new (TRUE);
  g_autoptr(GString) deltas = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsChatResponse) r = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) sent = NULL;
  ReinsAction *call;

  mode = MODE_STREAM;
  r = reins_provider_chat (provider, request, token_cb, deltas, NULL, &error);
  g_assert_no_error (error);

  body = reins_test_server_dup_body (server);
  sent = reins_json_from_string (body, NULL);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (sent), "stream"));
  g_assert_true (json_object_get_boolean_member (
    json_object_get_object_member (json_node_get_object (sent), "stream_options"), "include_usage"));

  g_assert_cmpstr (deltas->str, ==, "Let me |look. ü|");
  g_assert_cmpstr (r->text, ==, "Let me look. ü");
  g_assert_cmpuint (r->tool_calls->len, ==, 2);
  call = g_ptr_array_index (r->tool_calls, 0);
  g_assert_cmpstr (reins_action_get_call_id (call), ==, "call_1");
  g_assert_cmpstr (reins_action_get_name (call), ==, "kb_lookup");
  g_assert_cmpstr (reins_action_get_string_argument (call, "key"), ==, "chain-1-3/0");
  call = g_ptr_array_index (r->tool_calls, 1);
  g_assert_cmpstr (reins_action_get_call_id (call), ==, "call_2");
  g_assert_cmpstr (reins_action_get_string_argument (call, "expression"), ==, "1+1");
  g_assert_cmpstr (r->finish_reason, ==, "tool_calls");
  g_assert_cmpuint (r->input_tokens, ==, 100);
  g_assert_cmpuint (r->output_tokens, ==, 20);
  g_assert_true (r->usage_reported);
  g_assert_cmpuint (r->logprobs->len, ==, 3);
  g_assert_cmpuint (g_array_index (r->logprobs, ReinsTokenLogprob, 1).offset, ==, 3);
  g_assert_cmpuint (g_array_index (r->logprobs, ReinsTokenLogprob, 2).offset, ==, 7);
  g_assert_true (isnan (g_array_index (r->logprobs, ReinsTokenLogprob, 2).logprob));
  g_assert_cmpfloat_with_epsilon (reins_confidence_compute (r, NULL, NULL), exp (-0.015), 1e-9);
  g_assert_nonnull (strstr (r->raw_response, "[DONE]"));
  g_assert_null (strstr (r->raw_request, KEY));
}

static void
test_stream_error (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (handler, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsChatResponse) r = run (server, MODE_STREAM_ERROR, TRUE, &error);

  g_assert_null (r);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_PROVIDER);
  g_assert_nonnull (strstr (error->message, "The server had an error"));
}

static void
test_auth (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (handler, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsChatResponse) r = run (server, MODE_AUTH, FALSE, &error);

  g_assert_null (r);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_AUTH);
  g_assert_nonnull (strstr (error->message, "API key"));
  g_assert_nonnull (strstr (error->message, "401"));
  /* The server echoed the key; the message does not. */
  assert_no_key (error);
  g_assert_nonnull (strstr (error->message, "[redacted]"));
  /* Not retried. */
  g_assert_cmpuint (reins_test_server_get_count (server), ==, 1);
}

static void
test_rate_limit (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (handler, NULL);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr(ReinsChatResponse) r = run (server, MODE_RATE_LIMIT, FALSE, &error);
  gint64 elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  g_assert_no_error (error);
  g_assert_cmpstr (r->text, ==, "Reading it.");
  g_assert_cmpuint (r->retries, ==, 1);
  g_assert_cmpuint (reins_test_server_get_count (server), ==, 2);
  /* retry-after-ms (150) wins over retry-after (30 s) and is honoured. */
  g_assert_cmpint (elapsed_ms, >=, 150);
  g_assert_cmpint (elapsed_ms, <, 5000);
}

static void
test_server_error (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (handler, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsChatResponse) r = run (server, MODE_SERVER_ERROR_ONCE, FALSE, &error);
  g_autoptr(ReinsChatResponse) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (r->retries, ==, 1);

  /* Always failing: 1 + max_retries (2) attempts, then a clear error. */
  none = run (server, MODE_SERVER_ERROR_ALWAYS, FALSE, &error);
  g_assert_null (none);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_PROVIDER);
  g_assert_nonnull (strstr (error->message, "503"));
  g_assert_nonnull (strstr (error->message, "Service Unavailable"));
  g_assert_cmpuint (reins_test_server_get_count (server), ==, 2 + 3);
}

static void
test_bad_request (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (handler, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsChatResponse) r = run (server, MODE_BAD_REQUEST, FALSE, &error);

  g_assert_null (r);
  /* Reached, and refused: a protocol error, not an outage. */
  g_assert_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "context size"));
  g_assert_cmpuint (reins_test_server_get_count (server), ==, 1);
}

static void
test_refused_parameters (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (handler, NULL);
  g_autoptr(ReinsProvider) provider = provider_new (server, 5);
  g_autoptr(ReinsChatRequest) request = request_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsChatResponse) r1 = NULL;
  g_autoptr(ReinsChatResponse) r2 = NULL;
  g_autofree char *body = NULL;

  mode = MODE_REASONING;
  r1 = reins_provider_chat (provider, request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r1->text, ==, "Reading it.");
  g_assert_cmpuint (reins_test_server_get_count (server), ==, 4);
  body = reins_test_server_dup_body (server);
  g_assert_nonnull (strstr (body, "\"max_completion_tokens\":256"));
  g_assert_null (strstr (r1->raw_request, "logprobs"));

  /* The provider remembers: the next request goes through at once. */
  r2 = reins_provider_chat (provider, request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reins_test_server_get_count (server), ==, 5);
}

static void
test_truncated (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (handler, NULL);
  Mode modes[] = { MODE_TRUNCATED, MODE_ABORTED };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ReinsChatResponse) r = run (server, modes[i], TRUE, &error);

      g_assert_null (r);
      g_assert_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_PROTOCOL);
    }
}

static void
test_garbage (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (handler, NULL);
  struct { Mode mode; gboolean stream; } cases[] = {
    { MODE_BAD_JSON, FALSE },
    { MODE_BAD_JSON_STREAM, TRUE },
    { MODE_BAD_UTF8, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ReinsChatResponse) r = run (server, cases[i].mode, cases[i].stream, &error);

      g_assert_null (r);
      g_assert_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_PROTOCOL);
      assert_no_key (error);
    }
}

static void
test_deep (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (handler, NULL);
  g_autoptr(GString) deep = g_string_new (NULL);

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  deep_value = deep->str;

  /* The whole reply, or one event of a stream: a protocol error that says why. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ReinsChatResponse) r = run (server, i == 0 ? MODE_DEEP : MODE_DEEP_STREAM,
                                            i == 1, &error);

      g_assert_null (r);
      g_assert_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_PROTOCOL);
      g_assert_nonnull (strstr (error->message, "nested deeper than 512 levels"));
    }

  /* The arguments of a call: the call is kept, marked invalid, for the model to be told. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ReinsChatResponse) r = run (server, MODE_DEEP_ARGUMENTS, FALSE, &error);
    ReinsAction *call;

    g_assert_no_error (error);
    g_assert_cmpuint (r->tool_calls->len, ==, 1);
    call = g_ptr_array_index (r->tool_calls, 0);
    g_assert_cmpstr (reins_action_get_name (call), ==, "read_file");
    g_assert_true (json_object_has_member (reins_action_get_arguments (call),
                                           "_invalid_arguments"));
    g_assert_nonnull (strstr (reins_action_get_string_argument (call, "_invalid_detail"),
                              "nested deeper than 512 levels"));

    /* What the model is then told names the reason. */
    {
      g_autoptr(ReinsToolRegistry) tools = reins_tool_registry_new_builtin ("read_file", NULL);
      g_autoptr(GError) invalid = NULL;

      g_assert_false (reins_tool_registry_validate (tools, call, &invalid));
      g_assert_error (invalid, REINS_ERROR, REINS_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (invalid->message, "nested deeper than 512 levels"));
    }
  }

  deep_value = NULL;
}

static void
test_bad_escapes (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (handler, NULL);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ReinsChatResponse) r = run (server, MODE_BAD_ESCAPES, FALSE, &error);
    g_autofree char *args = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (r->text, ==, "Reading \xef\xbf\xbd it.");
    g_assert_cmpuint (r->tool_calls->len, ==, 1);
    args = reins_action_dup_arguments_json (g_ptr_array_index (r->tool_calls, 0));
    g_assert_cmpstr (args, ==, "{\"path\":\"a\xef\xbf\xbd.txt\"}");
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ReinsChatResponse) r = run (server, MODE_BAD_ESCAPES_STREAM, TRUE, &error);

    g_assert_no_error (error);
    g_assert_true (g_utf8_validate (r->text, -1, NULL));
    g_assert_true (g_str_has_prefix (r->text, "Half \xef\xbf\xbd and "));
  }
}

static void
test_odd_shapes (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (handler, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (odd_bodies); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ReinsChatResponse) r = run (server, MODE_ODD, FALSE, &error);

      if (i < G_N_ELEMENTS (odd_bodies) - 1)
        {
          g_assert_null (r);
          g_assert_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_PROTOCOL);
        }
      else
        {
          ReinsAction *call;

          /* Odd members are skipped; arguments that are not JSON are kept for the policy
           * guard to refuse. */
          g_assert_no_error (error);
          g_assert_cmpstr (r->text, ==, "");
          g_assert_cmpuint (r->tool_calls->len, ==, 1);
          call = g_ptr_array_index (r->tool_calls, 0);
          g_assert_cmpstr (reins_action_get_name (call), ==, "f");
          g_assert_cmpstr (reins_action_get_string_argument (call, "_invalid_arguments"), ==,
                           "not json");
          g_assert_cmpuint (r->logprobs->len, ==, 1);
          g_assert_cmpfloat (reins_confidence_compute (r, NULL, NULL), ==, 0.8);
        }
    }
}

static void
test_stall (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (handler, NULL);
  g_autoptr(ReinsProvider) provider = provider_new (server, 1);
  g_autoptr(ReinsChatRequest) request = request_new (TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsChatResponse) r = NULL;
  gint64 start = g_get_monotonic_time ();

  mode = MODE_STALL;
  r = reins_provider_chat (provider, request, NULL, NULL, NULL, &error);
  g_assert_null (r);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_TIMEOUT);
  /* Bounded by the 1 s timeout, not by the server's 20 s stall. */
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, 5000);
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
  g_autoptr(ReinsProvider) provider = provider_new (server, 30);
  g_autoptr(ReinsChatRequest) request = request_new (TRUE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsChatResponse) r = NULL;
  gint64 start = g_get_monotonic_time ();

  mode = MODE_CANCEL;
  r = reins_provider_chat (provider, request, cancel_cb, cancellable, cancellable, &error);
  g_assert_null (r);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, 5000);
}

static void
test_legacy (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (handler, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsChatResponse) r = run (server, MODE_LEGACY, FALSE, &error);
  ReinsConfidenceSource source;

  g_assert_no_error (error);
  g_assert_cmpstr (r->text, ==, "Action: go");
  g_assert_cmpuint (r->logprobs->len, ==, 3);
  g_assert_true (isnan (g_array_index (r->logprobs, ReinsTokenLogprob, 0).logprob));
  g_assert_cmpuint (g_array_index (r->logprobs, ReinsTokenLogprob, 2).offset, ==, 7);
  /* The action span is " go": only its token counts. */
  g_assert_cmpfloat_with_epsilon (reins_confidence_compute (r, NULL, &source), exp (-0.4), 1e-9);
  g_assert_cmpint (source, ==, REINS_CONFIDENCE_SOURCE_LOGPROBS);
}

static void
test_embed (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (handler, NULL);
  g_autoptr(ReinsProvider) provider = provider_new (server, 5);
  const char *texts[] = { "alpha", "beta", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) vectors = NULL;
  g_autofree char *path = NULL;
  GArray *v;

  mode = MODE_EMBED;
  g_assert_true (reins_provider_supports_embeddings (provider));
  vectors = reins_provider_embed (provider, texts, NULL, &error);
  g_assert_no_error (error);
  path = reins_test_server_dup_path (server);
  g_assert_cmpstr (path, ==, "/v1/embeddings");
  g_assert_cmpuint (vectors->len, ==, 2);
  v = g_ptr_array_index (vectors, 0);
  g_assert_cmpfloat (g_array_index (v, float, 0), ==, 1.0f);
  v = g_ptr_array_index (vectors, 1);
  g_assert_cmpfloat (g_array_index (v, float, 1), ==, -0.25f);
}

static void
test_unreachable (void)
{
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("openai");
  g_autoptr(ReinsProvider) provider = NULL;
  g_autoptr(ReinsChatRequest) request = request_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsChatResponse) r = NULL;
  g_autofree char *url = NULL;

  /* A port that was just in use and is now closed. */
  {
    g_autoptr(ReinsTestServer) server = reins_test_server_new (handler, NULL);
    url = g_strdup_printf ("%s/v1", reins_test_server_get_url (server));
  }
  config->base_url = g_strdup (url);
  config->api_key = g_strdup (KEY);
  config->max_retries = 1;
  config->retry_base_ms = 5;
  provider = reins_provider_new_for_config (config, &error);
  g_assert_no_error (error);
  r = reins_provider_chat (provider, request, NULL, NULL, NULL, &error);
  g_assert_null (r);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_UNREACHABLE);
  assert_no_key (error);

  /* Every HTTP provider refuses an endpoint that is not http(s), saying which. */
  {
    const char *providers[] = { "openai", "anthropic", "ollama" };
    const char *bad[] = { "ftp://example.com", "not a url", "file:///etc/passwd" };

    for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
      for (guint j = 0; j < G_N_ELEMENTS (bad); j++)
        {
          g_autoptr(ReinsProviderConfig) other = reins_provider_config_new (providers[i]);
          g_autoptr(ReinsProvider) refused = NULL;

          other->base_url = g_strdup (bad[j]);
          g_clear_error (&error);
          refused = reins_provider_new_for_config (other, &error);
          g_assert_null (refused);
          g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
          g_assert_nonnull (strstr (error->message, bad[j]));
        }
  }
}

static void
test_retry_after (void)
{
  g_autoptr(SoupMessageHeaders) h = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (1700000000);
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 20);
  g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  guint ms = 0;

  g_assert_false (reins_http_parse_retry_after (h, 1700000000, &ms));
  soup_message_headers_replace (h, "retry-after", "2");
  g_assert_true (reins_http_parse_retry_after (h, 1700000000, &ms));
  g_assert_cmpuint (ms, ==, 2000);
  soup_message_headers_replace (h, "retry-after", "0");
  g_assert_false (reins_http_parse_retry_after (h, 1700000000, &ms));
  soup_message_headers_replace (h, "retry-after", "61");
  g_assert_false (reins_http_parse_retry_after (h, 1700000000, &ms));
  soup_message_headers_replace (h, "retry-after", "soon");
  g_assert_false (reins_http_parse_retry_after (h, 1700000000, &ms));
  soup_message_headers_replace (h, "retry-after", date);
  g_assert_true (reins_http_parse_retry_after (h, 1700000000, &ms));
  g_assert_cmpuint (ms, ==, 20000);
  soup_message_headers_replace (h, "retry-after-ms", "250.5");
  g_assert_true (reins_http_parse_retry_after (h, 1700000000, &ms));
  g_assert_cmpuint (ms, ==, 250);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reins/model/openai/json", test_json);
  g_test_add_func ("/reins/model/openai/stream", test_stream);
  g_test_add_func ("/reins/model/openai/stream-error", test_stream_error);
  g_test_add_func ("/reins/model/openai/auth", test_auth);
  g_test_add_func ("/reins/model/openai/rate-limit", test_rate_limit);
  g_test_add_func ("/reins/model/openai/server-error", test_server_error);
  g_test_add_func ("/reins/model/openai/bad-request", test_bad_request);
  g_test_add_func ("/reins/model/openai/refused-parameters", test_refused_parameters);
  g_test_add_func ("/reins/model/openai/truncated", test_truncated);
  g_test_add_func ("/reins/model/openai/garbage", test_garbage);
  g_test_add_func ("/reins/model/openai/odd-shapes", test_odd_shapes);
  g_test_add_func ("/reins/model/openai/deep", test_deep);
  g_test_add_func ("/reins/model/openai/bad-escapes", test_bad_escapes);
  g_test_add_func ("/reins/model/openai/stall", test_stall);
  g_test_add_func ("/reins/model/openai/cancel", test_cancel);
  g_test_add_func ("/reins/model/openai/legacy-logprobs", test_legacy);
  g_test_add_func ("/reins/model/openai/embed", test_embed);
  g_test_add_func ("/reins/model/openai/unreachable", test_unreachable);
  g_test_add_func ("/reins/model/openai/retry-after", test_retry_after);

  return g_test_run ();
}
