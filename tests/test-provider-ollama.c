/* test-provider-ollama.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `ollama` provider against a loopback server speaking /api/chat (NDJSON) and
 * /api/embed: tool calls with object arguments, log-probabilities, usage, mid-stream
 * errors, truncation, garbage, retries.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "reins-confidence.h"
#include "reins-provider.h"
#include "reins-test-server.h"

typedef enum
{
  MODE_STREAM,
  MODE_JSON,
  MODE_STREAM_ERROR,
  MODE_TRUNCATED,
  MODE_BAD_JSON,
  MODE_NOT_FOUND,
  MODE_SERVER_ERROR_ONCE,
  MODE_EMBED,
} Mode;

static Mode mode;

static const char *stream_reply =
  "{\"model\":\"qwen3\",\"created_at\":\"2025-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\",\"content\":\"Let\"},\"done\":false,"
  "\"logprobs\":[{\"token\":\"Let\",\"logprob\":-0.05,\"bytes\":[76,101,116]}]}\n"
  "{\"model\":\"qwen3\",\"message\":{\"role\":\"assistant\",\"content\":\" me ü\"},\"done\":false,"
  "\"logprobs\":[{\"token\":\" me ü\",\"logprob\":-0.15,\"top_logprobs\":[]}]}\n"
  "\n"
  "{\"model\":\"qwen3\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"id\":\"call_x\",\"function\":{\"index\":0,\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-4-2/0\"}}}]},\"done\":false}\r\n"
  "{\"model\":\"qwen3\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\","
  "\"total_duration\":123456789,\"prompt_eval_count\":61,\"eval_count\":17}";

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
  reins_test_reply_add_header (reply, "Content-Type", "application/x-ndjson");
  switch (mode)
    {
    case MODE_STREAM:
      add_in_pieces (reply, stream_reply, 23);
      break;

    case MODE_JSON:
      reins_test_reply_add (reply, 0,
                            "{\"model\":\"qwen3\",\"message\":{\"role\":\"assistant\",\"content\":\"Done.\","
                            "\"tool_calls\":[{\"function\":{\"name\":\"finish\",\"arguments\":{\"answer\":\"42\"}}}]},"
                            "\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":9,\"eval_count\":4}", -1);
      break;

    case MODE_STREAM_ERROR:
      reins_test_reply_add (reply, 0, "{\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n", -1);
      reins_test_reply_add (reply, 5, "{\"error\":\"model runner has unexpectedly stopped\"}\n", -1);
      break;

    case MODE_TRUNCATED:
      reins_test_reply_add (reply, 0, "{\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n", -1);
      reins_test_reply_add (reply, 5, "{\"message\":{\"role\":\"assist", -1);
      break;

    case MODE_BAD_JSON:
      reins_test_reply_add (reply, 0, "{\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\nnot json\n", -1);
      break;

    case MODE_NOT_FOUND:
      reins_test_reply_set_status (reply, 404);
      reins_test_reply_add (reply, 0, "{\"error\":\"model 'nope' not found\"}", -1);
      break;

    case MODE_SERVER_ERROR_ONCE:
      if (index == 0)
        {
          reins_test_reply_set_status (reply, 500);
          reins_test_reply_add (reply, 0, "{\"error\":\"busy\"}", -1);
        }
      else
        add_in_pieces (reply, stream_reply, 4096);
      break;

    case MODE_EMBED:
      reins_test_reply_add (reply, 0, "{\"model\":\"nomic-embed-text\",\"embeddings\":[[0.1,0.2,0.3],[-1,0,1]]}", -1);
      break;
    }
}

static ReinsProvider *
provider_new (ReinsTestServer *server)
{
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("ollama");
  g_autoptr(GError) error = NULL;
  ReinsProvider *provider;

  config->base_url = g_strdup (reins_test_server_get_url (server));
  config->model = g_strdup ("qwen3");
  config->timeout_s = 5;
  config->max_retries = 2;
  config->retry_base_ms = 10;
  provider = reins_provider_new_for_config (config, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reins_provider_get_name (provider), ==, "ollama");
  return provider;
}

static ReinsChatRequest *
request_new (gboolean stream)
{
  ReinsChatRequest *request = reins_chat_request_new ();
  g_autoptr(JsonNode) tools = reins_json_from_string (
    "[{\"name\":\"kb_lookup\",\"description\":\"Look up a key\","
    "\"parameters\":{\"type\":\"object\",\"properties\":{\"key\":{\"type\":\"string\"}}}}]", NULL);
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsAction) call = NULL;
  ReinsChatMessage *assistant;

  request->stream = stream;
  request->temperature = 0;
  request->tools = json_array_ref (json_node_get_array (tools));
  reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_USER, "Follow chain-4-2/0."));
  json_object_set_string_member (args, "key", "chain-4-2/0");
  call = reins_action_new_with_id ("kb_lookup", args, "call_0");
  assistant = reins_chat_message_new (REINS_CHAT_ROLE_ASSISTANT, "");
  reins_chat_message_add_tool_call (assistant, call);
  reins_chat_request_add (request, assistant);
  reins_chat_request_add (request, reins_chat_message_new_tool ("call_0", "kb_lookup",
                                                                "{\"next\": \"x\"}", FALSE));
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
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(JsonNode) expected = reins_json_from_string (
    "{\"model\":\"qwen3\",\"stream\":true,\"logprobs\":true,\"options\":{\"temperature\":0.0},"
    "\"messages\":[{\"role\":\"user\",\"content\":\"Follow chain-4-2/0.\"},"
    "{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"kb_lookup\","
    "\"arguments\":{\"key\":\"chain-4-2/0\"}}}]},"
    "{\"role\":\"tool\",\"content\":\"{\\\"next\\\": \\\"x\\\"}\",\"tool_name\":\"kb_lookup\"}],"
    "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"kb_lookup\",\"description\":\"Look up a key\","
    "\"parameters\":{\"type\":\"object\",\"properties\":{\"key\":{\"type\":\"string\"}}}}}]}", NULL);
  ReinsAction *call;

  mode = MODE_STREAM;
  r = reins_provider_chat (provider, request, token_cb, deltas, NULL, &error);
  g_assert_no_error (error);

  path = reins_test_server_dup_path (server);
  g_assert_cmpstr (path, ==, "/api/chat");
  body = reins_test_server_dup_body (server);
  sent = reins_json_from_string (body, NULL);
  g_assert_true (json_node_equal (sent, expected));

  g_assert_cmpstr (deltas->str, ==, "Let| me ü|");
  g_assert_cmpstr (r->text, ==, "Let me ü");
  g_assert_cmpuint (r->tool_calls->len, ==, 1);
  call = g_ptr_array_index (r->tool_calls, 0);
  g_assert_cmpstr (reins_action_get_call_id (call), ==, "call_x");
  g_assert_cmpstr (reins_action_get_string_argument (call, "key"), ==, "chain-4-2/0");
  /* done_reason says "stop"; the tool call is detected by its presence. */
  g_assert_cmpstr (r->finish_reason, ==, "tool_calls");
  g_assert_cmpuint (r->input_tokens, ==, 61);
  g_assert_cmpuint (r->output_tokens, ==, 17);
  g_assert_true (r->usage_reported);
  g_assert_cmpuint (r->logprobs->len, ==, 2);
  g_assert_cmpuint (g_array_index (r->logprobs, ReinsTokenLogprob, 1).offset, ==, 3);
  g_assert_cmpfloat_with_epsilon (reins_confidence_compute (r, NULL, NULL), exp (-0.1), 1e-9);
}

static void
test_json (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (handler, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsChatResponse) r = run (server, MODE_JSON, FALSE, &error);
  ReinsAction *call;
  ReinsConfidenceSource source;

  g_assert_no_error (error);
  g_assert_cmpstr (r->text, ==, "Done.");
  call = g_ptr_array_index (r->tool_calls, 0);
  g_assert_cmpstr (reins_action_get_name (call), ==, "finish");
  g_assert_cmpstr (reins_action_get_string_argument (call, "answer"), ==, "42");
  g_assert_nonnull (reins_action_get_call_id (call));
  g_assert_cmpuint (r->input_tokens, ==, 9);
  /* An older server without log-probabilities. */
  g_assert_cmpfloat (reins_confidence_compute (r, NULL, &source), ==, 0.8);
  g_assert_cmpint (source, ==, REINS_CONFIDENCE_SOURCE_DEFAULT);
}

static void
test_errors (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (handler, NULL);
  struct { Mode mode; int code; const char *words; } cases[] = {
    { MODE_STREAM_ERROR, REINS_ERROR_PROVIDER, "unexpectedly stopped" },
    { MODE_TRUNCATED, REINS_ERROR_PROVIDER_PROTOCOL, NULL },
    { MODE_BAD_JSON, REINS_ERROR_PROVIDER_PROTOCOL, NULL },
    { MODE_NOT_FOUND, REINS_ERROR_PROVIDER_PROTOCOL, "not found" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ReinsChatResponse) r = run (server, cases[i].mode, TRUE, &error);

      g_assert_null (r);
      g_assert_error (error, REINS_ERROR, cases[i].code);
      if (cases[i].words != NULL)
        g_assert_nonnull (strstr (error->message, cases[i].words));
    }
  /* 404 is not retried: one request per case. */
  g_assert_cmpuint (reins_test_server_get_count (server), ==, G_N_ELEMENTS (cases));
}

static void
test_retry (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (handler, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsChatResponse) r = run (server, MODE_SERVER_ERROR_ONCE, TRUE, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (r->retries, ==, 1);
  g_assert_cmpstr (r->text, ==, "Let me ü");
}

static void
test_embed (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (handler, NULL);
  g_autoptr(ReinsProvider) provider = provider_new (server);
  const char *texts[] = { "a", "b", NULL };
  const char *one[] = { "a", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) vectors = NULL;
  g_autoptr(GPtrArray) wrong = NULL;
  g_autofree char *path = NULL;
  GArray *v;

  mode = MODE_EMBED;
  g_assert_true (reins_provider_supports_embeddings (provider));
  vectors = reins_provider_embed (provider, texts, NULL, &error);
  g_assert_no_error (error);
  path = reins_test_server_dup_path (server);
  g_assert_cmpstr (path, ==, "/api/embed");
  g_assert_cmpuint (vectors->len, ==, 2);
  v = g_ptr_array_index (vectors, 0);
  g_assert_cmpuint (v->len, ==, 3);
  g_assert_cmpfloat_with_epsilon (g_array_index (v, float, 1), 0.2f, 1e-6);
  v = g_ptr_array_index (vectors, 1);
  g_assert_cmpfloat (g_array_index (v, float, 0), ==, -1.0f);

  /* Two vectors for one text: refused. */
  wrong = reins_provider_embed (provider, one, NULL, &error);
  g_assert_null (wrong);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_PROTOCOL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reins/model/ollama/stream", test_stream);
  g_test_add_func ("/reins/model/ollama/json", test_json);
  g_test_add_func ("/reins/model/ollama/errors", test_errors);
  g_test_add_func ("/reins/model/ollama/retry", test_retry);
  g_test_add_func ("/reins/model/ollama/embed", test_embed);

  return g_test_run ();
}
