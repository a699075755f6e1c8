/* reins-provider-ollama.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `ollama` provider: Ollama's native /api/chat with NDJSON streaming, tool calls whose
 * arguments are objects, log-probabilities when the server returns them (v0.12.11 and
 * later), prompt_eval_count / eval_count as usage, and /api/embed. Wire format:
 * PROTOCOLS.md.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "reins-http.h"
#include "reins-provider-ollama.h"
#include "reins-sse.h"

#define DEFAULT_MODEL "llama3.2"
#define DEFAULT_EMBEDDING_MODEL "nomic-embed-text"

struct _ReinsProviderOllama
{
  GObject      parent_instance;

  ReinsHttpClient client;
  char           *model;
  char           *embedding_model;
};

static void reins_provider_ollama_iface_init (ReinsProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReinsProviderOllama, reins_provider_ollama, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (REINS_TYPE_PROVIDER,
                                                      reins_provider_ollama_iface_init))

static char *
build_body (ReinsProviderOllama *self,
            ReinsChatRequest    *request)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonArray) messages = json_array_new ();
  g_autoptr(JsonObject) options = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  json_object_set_string_member (root, "model", request->model != NULL ? request->model : self->model);

  for (guint i = 0; i < request->messages->len; i++)
    {
      const ReinsChatMessage *m = g_ptr_array_index (request->messages, i);
      g_autoptr(JsonObject) out = json_object_new ();
      gboolean tool_turn = m->role == REINS_CHAT_ROLE_TOOL && request->native_tools;

      json_object_set_string_member (out, "role",
                                     m->role == REINS_CHAT_ROLE_TOOL && !tool_turn
                                       ? "user" : reins_chat_role_to_string (m->role));
      json_object_set_string_member (out, "content", m->content != NULL ? m->content : "");
      if (tool_turn && m->tool_name != NULL)
        json_object_set_string_member (out, "tool_name", m->tool_name);
      if (request->native_tools && m->tool_calls != NULL && m->tool_calls->len > 0)
        {
          g_autoptr(JsonArray) calls = json_array_new ();

          for (guint j = 0; j < m->tool_calls->len; j++)
            {
              ReinsAction *action = g_ptr_array_index (m->tool_calls, j);
              g_autoptr(JsonObject) call = json_object_new ();
              g_autoptr(JsonObject) function = json_object_new ();

              json_object_set_string_member (function, "name", reins_action_get_name (action));
              json_object_set_object_member (function, "arguments",
                                             json_object_ref (reins_action_get_arguments (action)));
              json_object_set_object_member (call, "function", g_steal_pointer (&function));
              json_array_add_object_element (calls, g_steal_pointer (&call));
            }
          json_object_set_array_member (out, "tool_calls", g_steal_pointer (&calls));
        }
      json_array_add_object_element (messages, g_steal_pointer (&out));
    }
  json_object_set_array_member (root, "messages", g_steal_pointer (&messages));

  if (request->native_tools && request->tools != NULL && json_array_get_length (request->tools) > 0)
    {
      g_autoptr(JsonArray) tools = json_array_new ();

      for (guint i = 0; i < json_array_get_length (request->tools); i++)
        {
          JsonObject *tool = reins_http_array_object (request->tools, i);
          JsonNode *params = tool != NULL ? json_object_get_member (tool, "parameters") : NULL;
          g_autoptr(JsonObject) out = json_object_new ();
          g_autoptr(JsonObject) function = json_object_new ();

          if (tool == NULL)
            continue;
          json_object_set_string_member (function, "name", json_object_get_string_member_with_default (tool, "name", ""));
          json_object_set_string_member (function, "description",
                                         json_object_get_string_member_with_default (tool, "description", ""));
          if (params != NULL)
            json_object_set_member (function, "parameters", json_node_copy (params));
          json_object_set_string_member (out, "type", "function");
          json_object_set_object_member (out, "function", g_steal_pointer (&function));
          json_array_add_object_element (tools, g_steal_pointer (&out));
        }
      json_object_set_array_member (root, "tools", g_steal_pointer (&tools));
    }

  json_object_set_boolean_member (root, "stream", request->stream);
  if (request->want_logprobs)
    json_object_set_boolean_member (root, "logprobs", TRUE);
  if (request->temperature >= 0)
    json_object_set_double_member (options, "temperature", request->temperature);
  if (request->max_tokens > 0)
    json_object_set_int_member (options, "num_predict", request->max_tokens);
  if (json_object_get_size (options) > 0)
    json_object_set_object_member (root, "options", g_steal_pointer (&options));

  node = json_node_init_object (json_node_alloc (), root);
  return json_to_string (node, FALSE);
}

typedef struct
{
  const ReinsHttpRequest *http;
  ReinsChatResponse      *response;
  GString                *text;
  gsize                   lp_offset;
  gboolean                done;
  ReinsTokenFunc          token_func;
  gpointer                token_data;
} Reply;

static gboolean
read_tool_calls (Reply       *reply,
                 JsonArray   *calls,
                 GError     **error)
{
  for (guint i = 0; i < json_array_get_length (calls); i++)
    {
      JsonNode *el = json_array_get_element (calls, i);
      JsonObject *call = JSON_NODE_HOLDS_OBJECT (el) ? json_node_get_object (el) : NULL;
      JsonObject *function = reins_http_member_object (call, "function");
      const char *name = function != NULL ? reins_http_node_string (json_object_get_member (function, "name")) : NULL;
      const char *id = call != NULL ? reins_http_node_string (json_object_get_member (call, "id")) : NULL;
      JsonNode *args = function != NULL ? json_object_get_member (function, "arguments") : NULL;
      g_autofree char *made_id = g_strdup_printf ("call_%u", reply->response->tool_calls->len);
      g_autofree char *args_text = NULL;

      if (name == NULL || name[0] == '\0')
        {
          reins_http_set_error (error, reply->http, REINS_ERROR_PROVIDER_PROTOCOL,
                                _("%s sent a tool call without a name"), reply->http->label);
          return FALSE;
        }
      /* Arguments are an object; some versions and proxies send a JSON string. */
      if (args != NULL && JSON_NODE_HOLDS_OBJECT (args))
        args_text = json_to_string (args, FALSE);
      else
        args_text = g_strdup (reins_http_node_string (args));
      g_ptr_array_add (reply->response->tool_calls,
                       reins_http_tool_call_new (id != NULL && id[0] != '\0' ? id : made_id,
                                                 name, args_text,
                                                 reply->response->finish_reason));
    }
  return TRUE;
}

static void
read_logprobs (Reply     *reply,
               JsonArray *logprobs)
{
  for (guint i = 0; logprobs != NULL && i < json_array_get_length (logprobs); i++)
    {
      JsonNode *el = json_array_get_element (logprobs, i);
      JsonObject *lp = JSON_NODE_HOLDS_OBJECT (el) ? json_node_get_object (el) : NULL;
      const char *token = lp != NULL ? reins_http_node_string (json_object_get_member (lp, "token")) : NULL;
      JsonArray *bytes = reins_http_member_array (lp, "bytes");

      if (token == NULL)
        continue;
      reins_chat_response_add_logprob (reply->response, token,
                                       reins_http_node_number (json_object_get_member (lp, "logprob")),
                                       reply->lp_offset, FALSE);
      reply->lp_offset += bytes != NULL ? json_array_get_length (bytes) : strlen (token);
    }
}

/* One NDJSON object: a piece of the stream, or the whole reply. */
static gboolean
read_object (Reply       *reply,
             JsonNode    *root,
             GError     **error)
{
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonObject *message;
  JsonArray *calls;
  JsonNode *e;
  const char *content, *reason;

  if (o == NULL)
    {
      reins_http_set_error (error, reply->http, REINS_ERROR_PROVIDER_PROTOCOL,
                            _("%s sent a line that is not an object"), reply->http->label);
      return FALSE;
    }

  e = json_object_get_member (o, "error");
  if (e != NULL && !JSON_NODE_HOLDS_NULL (e))
    {
      const char *text = reins_http_node_string (e);

      reins_http_set_error (error, reply->http, REINS_ERROR_PROVIDER,
                            _("%s reported an error: %s"), reply->http->label,
                            text != NULL ? text : _("unknown"));
      return FALSE;
    }
  if (reply->done)
    return TRUE;

  message = reins_http_member_object (o, "message");
  content = message != NULL ? reins_http_node_string (json_object_get_member (message, "content")) : NULL;
  if (content != NULL && content[0] != '\0')
    {
      g_string_append (reply->text, content);
      if (reply->token_func != NULL)
        reply->token_func (content, reply->token_data);
    }
  calls = reins_http_member_array (message, "tool_calls");
  if (calls != NULL && !read_tool_calls (reply, calls, error))
    return FALSE;
  read_logprobs (reply, reins_http_member_array (o, "logprobs"));

  if (json_object_get_boolean_member_with_default (o, "done", FALSE))
    {
      JsonNode *in = json_object_get_member (o, "prompt_eval_count");
      JsonNode *out = json_object_get_member (o, "eval_count");

      reply->done = TRUE;
      reason = reins_http_node_string (json_object_get_member (o, "done_reason"));
      /* Ollama says "stop" even when it called tools. */
      reply->response->finish_reason = g_strdup (reply->response->tool_calls->len > 0 ? "tool_calls"
                                                 : reason != NULL ? reason : "stop");
      if (in != NULL && JSON_NODE_HOLDS_VALUE (in))
        reply->response->input_tokens = MAX (0, json_node_get_int (in));
      if (out != NULL && JSON_NODE_HOLDS_VALUE (out))
        reply->response->output_tokens = MAX (0, json_node_get_int (out));
      reply->response->usage_reported = in != NULL || out != NULL;
    }
  return TRUE;
}

static gboolean
line_cb (const char  *line,
         gpointer     user_data,
         GError     **error)
{
  Reply *reply = user_data;
  g_autoptr(JsonNode) root = reins_http_parse_json (line, -1, reply->http, error);

  return root != NULL && read_object (reply, root, error);
}

static gboolean
feed_lines_cb (const char  *data,
               gsize        length,
               gpointer     user_data,
               GError     **error)
{
  return reins_line_splitter_feed (user_data, data, length, error);
}

static ReinsChatResponse *
reins_provider_ollama_chat (ReinsProvider     *provider,
                            ReinsChatRequest  *request,
                            ReinsTokenFunc     token_func,
                            gpointer           token_data,
                            GCancellable      *cancellable,
                            GError           **error)
{
  ReinsProviderOllama *self = REINS_PROVIDER_OLLAMA (provider);
  g_autoptr(ReinsChatResponse) response = reins_chat_response_new ();
  g_autofree char *url = reins_http_join_url (self->client.base_url, "/api/chat");
  g_autofree char *body = build_body (self, request);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GString) raw = g_string_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(ReinsLineSplitter) lines = NULL;
  const char *headers[REINS_HTTP_MAX_HEADERS];
  ReinsHttpRequest http;
  Reply reply = { &http, response, text, 0, FALSE, token_func, token_data };

  reins_http_client_request (&self->client, &http, url, body, headers);
  response->raw_request = reins_http_redact (body, self->client.api_key);

  stream = reins_http_post (self->client.session, &http, &response->retries, cancellable, error);
  if (stream == NULL)
    return NULL;

  /* The whole (non-stream) reply is one object, so one splitter reads both forms. */
  lines = reins_line_splitter_new (line_cb, &reply);
  if (request->stream)
    {
      if (!reins_http_read (stream, &http, feed_lines_cb, lines, raw, cancellable, error) ||
          !reins_line_splitter_finish (lines, error))
        return NULL;
    }
  else
    {
      g_autoptr(JsonNode) root = NULL;

      if (!reins_http_read (stream, &http, NULL, NULL, raw, cancellable, error) ||
          (root = reins_http_parse_json (raw->str, raw->len, &http, error)) == NULL ||
          !read_object (&reply, root, error))
        return NULL;
    }

  if (!reply.done)
    {
      reins_http_set_error (error, &http, REINS_ERROR_PROVIDER_PROTOCOL,
                            _("The stream from %s ended before \"done\""), http.label);
      return NULL;
    }

  g_free (response->text);
  response->text = g_strdup (text->str);
  if (!response->usage_reported)
    {
      response->input_tokens = strlen (body) / 4;
      response->output_tokens = MAX (1, text->len / 4);
    }
  {
    /* Stored as is, so a key a server echoed must not ride along. */
    response->raw_response = reins_http_client_redact_raw (&self->client, raw);
  }
  return g_steal_pointer (&response);
}

static gboolean
reins_provider_ollama_supports_embeddings (ReinsProvider *provider)
{
  return TRUE;
}

static GPtrArray *
reins_provider_ollama_embed (ReinsProvider      *provider,
                             const char * const *texts,
                             GCancellable       *cancellable,
                             GError            **error)
{
  ReinsProviderOllama *self = REINS_PROVIDER_OLLAMA (provider);
  g_autofree char *url = reins_http_join_url (self->client.base_url, "/api/embed");
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(JsonArray) input = json_array_new ();
  g_autoptr(JsonNode) body_node = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) result = NULL;
  JsonArray *embeddings;
  guint n = g_strv_length ((char **) texts);

  for (guint i = 0; i < n; i++)
    json_array_add_string_element (input, texts[i]);
  json_object_set_string_member (o, "model", self->embedding_model);
  json_object_set_array_member (o, "input", g_steal_pointer (&input));
  body_node = json_node_init_object (json_node_alloc (), o);
  body = json_to_string (body_node, FALSE);

  root = reins_http_client_post_json (&self->client, url, body, cancellable, error);
  if (root == NULL)
    return NULL;

  embeddings = JSON_NODE_HOLDS_OBJECT (root)
                 ? reins_http_member_array (json_node_get_object (root), "embeddings") : NULL;
  if (embeddings == NULL || json_array_get_length (embeddings) != n)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_PROTOCOL,
                   _("%s sent %u embeddings for %u texts"), self->client.label,
                   embeddings != NULL ? json_array_get_length (embeddings) : 0, n);
      return NULL;
    }

  result = g_ptr_array_new_full (n, (GDestroyNotify) g_array_unref);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *el = json_array_get_element (embeddings, i);
      JsonArray *vector = JSON_NODE_HOLDS_ARRAY (el) ? json_node_get_array (el) : NULL;

      if (vector == NULL)
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_PROTOCOL,
                       _("%s sent a malformed embedding"), self->client.label);
          return NULL;
        }
      g_ptr_array_add (result, reins_http_float_vector (vector));
    }
  return g_steal_pointer (&result);
}

/* GET {base}/api/tags: {"models": [{"name": …}, …]} */
static GStrv
reins_provider_ollama_list_models (ReinsProvider  *provider,
                                   GCancellable   *cancellable,
                                   GError        **error)
{
  ReinsProviderOllama *self = REINS_PROVIDER_OLLAMA (provider);
  g_autofree char *url = reins_http_join_url (self->client.base_url, "/api/tags");
  const char *headers[REINS_HTTP_MAX_HEADERS];
  ReinsHttpRequest http;

  reins_http_client_request (&self->client, &http, url, NULL, headers);
  return reins_http_list_models (self->client.session, &http, "models", "name", cancellable,
                                 error);
}

static const char *
reins_provider_ollama_get_name (ReinsProvider *provider)
{
  return "ollama";
}

static void
reins_provider_ollama_finalize (GObject *object)
{
  ReinsProviderOllama *self = (ReinsProviderOllama *)object;

  reins_http_client_clear (&self->client);
  g_free (self->model);
  g_free (self->embedding_model);

  G_OBJECT_CLASS (reins_provider_ollama_parent_class)->finalize (object);
}

static void
reins_provider_ollama_class_init (ReinsProviderOllamaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = reins_provider_ollama_finalize;
}

static void
reins_provider_ollama_iface_init (ReinsProviderInterface *iface)
{
  iface->get_name = reins_provider_ollama_get_name;
  iface->chat = reins_provider_ollama_chat;
  iface->supports_embeddings = reins_provider_ollama_supports_embeddings;
  iface->embed = reins_provider_ollama_embed;
  iface->list_models = reins_provider_ollama_list_models;
}

static void
reins_provider_ollama_init (ReinsProviderOllama *self)
{
}

ReinsProvider *
reins_provider_ollama_new (const ReinsProviderConfig  *config,
                           GError                    **error)
{
  g_autoptr(ReinsProviderOllama) self = g_object_new (REINS_TYPE_PROVIDER_OLLAMA, NULL);

  /* Ollama needs no key; one is only sent for a proxy or a hosted instance. */
  if (!reins_http_client_init (&self->client, config, "ollama", "Ollama", "Authorization",
                               "Bearer ", error))
    return NULL;
  self->model = g_strdup (config->model != NULL ? config->model : DEFAULT_MODEL);
  self->embedding_model = g_strdup (config->embedding_model != NULL ? config->embedding_model
                                                                    : DEFAULT_EMBEDDING_MODEL);
  return REINS_PROVIDER (g_steal_pointer (&self));
}
