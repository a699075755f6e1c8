/* reins-provider-openai.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `openai` provider: any OpenAI-compatible /v1/chat/completions server (OpenAI, vLLM,
 * llama.cpp, LM Studio, Ollama's /v1, OpenRouter), JSON or SSE, with tool calls,
 * log-probabilities, usage and embeddings. Wire format: PROTOCOLS.md.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "reins-http.h"
#include "reins-provider-openai.h"
#include "reins-sse.h"

#define DEFAULT_MODEL "gpt-4o-mini"
#define DEFAULT_EMBEDDING_MODEL "text-embedding-3-small"

struct _ReinsProviderOpenai
{
  GObject      parent_instance;

  ReinsHttpClient client;
  char        *model;
  char        *embedding_model;

  /* Parameters this server refused once (reasoning models reject some): not sent again. */
  gboolean     no_logprobs;
  gboolean     no_temperature;
  gboolean     max_completion_tokens;
  gboolean     no_parallel_flag;
};

static void reins_provider_openai_iface_init (ReinsProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReinsProviderOpenai, reins_provider_openai, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (REINS_TYPE_PROVIDER,
                                                      reins_provider_openai_iface_init))

/* The request body, in the OpenAI chat-completions shape. */
static char *
build_body (ReinsProviderOpenai *self,
            ReinsChatRequest    *request)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, request->model != NULL ? request->model : self->model);

  json_builder_set_member_name (b, "messages");
  json_builder_begin_array (b);
  for (guint i = 0; i < request->messages->len; i++)
    {
      const ReinsChatMessage *m = g_ptr_array_index (request->messages, i);
      gboolean calls = m->tool_calls != NULL && m->tool_calls->len > 0 && request->native_tools;

      json_builder_begin_object (b);
      if (m->role == REINS_CHAT_ROLE_TOOL && request->native_tools && m->tool_call_id != NULL)
        {
          json_builder_set_member_name (b, "role");
          json_builder_add_string_value (b, "tool");
          json_builder_set_member_name (b, "tool_call_id");
          json_builder_add_string_value (b, m->tool_call_id);
          json_builder_set_member_name (b, "content");
          json_builder_add_string_value (b, m->content);
        }
      else
        {
          json_builder_set_member_name (b, "role");
          json_builder_add_string_value (b, m->role == REINS_CHAT_ROLE_TOOL
                                              ? "user" : reins_chat_role_to_string (m->role));
          json_builder_set_member_name (b, "content");
          if (calls && (m->content == NULL || m->content[0] == '\0'))
            json_builder_add_null_value (b);
          else
            json_builder_add_string_value (b, m->content != NULL ? m->content : "");
        }
      if (calls)
        {
          json_builder_set_member_name (b, "tool_calls");
          json_builder_begin_array (b);
          for (guint j = 0; j < m->tool_calls->len; j++)
            {
              ReinsAction *action = g_ptr_array_index (m->tool_calls, j);
              g_autofree char *args = reins_action_dup_arguments_json (action);
              g_autofree char *made_id = g_strdup_printf ("call_%u_%u", i, j);
              const char *id = reins_action_get_call_id (action);

              json_builder_begin_object (b);
              json_builder_set_member_name (b, "id");
              json_builder_add_string_value (b, id != NULL ? id : made_id);
              json_builder_set_member_name (b, "type");
              json_builder_add_string_value (b, "function");
              json_builder_set_member_name (b, "function");
              json_builder_begin_object (b);
              json_builder_set_member_name (b, "name");
              json_builder_add_string_value (b, reins_action_get_name (action));
              json_builder_set_member_name (b, "arguments");
              json_builder_add_string_value (b, args);
              json_builder_end_object (b);
              json_builder_end_object (b);
            }
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  if (request->native_tools && request->tools != NULL && json_array_get_length (request->tools) > 0)
    {
      json_builder_set_member_name (b, "tools");
      json_builder_begin_array (b);
      for (guint i = 0; i < json_array_get_length (request->tools); i++)
        {
          JsonObject *tool = reins_http_array_object (request->tools, i);
          JsonNode *params = tool != NULL ? json_object_get_member (tool, "parameters") : NULL;

          if (tool == NULL)
            continue;
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "type");
          json_builder_add_string_value (b, "function");
          json_builder_set_member_name (b, "function");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, json_object_get_string_member_with_default (tool, "name", ""));
          json_builder_set_member_name (b, "description");
          json_builder_add_string_value (b, json_object_get_string_member_with_default (tool, "description", ""));
          if (params != NULL)
            {
              json_builder_set_member_name (b, "parameters");
              json_builder_add_value (b, json_node_copy (params));
            }
          json_builder_end_object (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      /* A step runs one call; asking for one keeps the others from being cut. */
      if (!self->no_parallel_flag)
        {
          json_builder_set_member_name (b, "parallel_tool_calls");
          json_builder_add_boolean_value (b, FALSE);
        }
    }

  if (request->temperature >= 0 && !self->no_temperature)
    {
      json_builder_set_member_name (b, "temperature");
      json_builder_add_double_value (b, request->temperature);
    }
  if (request->max_tokens > 0)
    {
      json_builder_set_member_name (b, self->max_completion_tokens ? "max_completion_tokens"
                                                                   : "max_tokens");
      json_builder_add_int_value (b, request->max_tokens);
    }
  if (request->want_logprobs && !self->no_logprobs)
    {
      json_builder_set_member_name (b, "logprobs");
      json_builder_add_boolean_value (b, TRUE);
    }
  json_builder_set_member_name (b, "stream");
  json_builder_add_boolean_value (b, request->stream);
  if (request->stream)
    {
      json_builder_set_member_name (b, "stream_options");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "include_usage");
      json_builder_add_boolean_value (b, TRUE);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

typedef struct
{
  char    *id;
  char    *name;
  GString *arguments;
} ToolAcc;

static void
tool_acc_free (gpointer data)
{
  ToolAcc *acc = data;

  g_free (acc->id);
  g_free (acc->name);
  g_string_free (acc->arguments, TRUE);
  g_free (acc);
}

/* The reply as it is put together, from one JSON body or from many stream chunks. */
typedef struct
{
  const ReinsHttpRequest *http;
  ReinsChatResponse      *response;
  GString                *text;
  GPtrArray              *tools;          /* (element-type ToolAcc), by index */
  gsize                   lp_offset;
  gboolean                done;
  ReinsTokenFunc          token_func;
  gpointer                token_data;
} Reply;

/* Both shapes: chat `{content: [{token, logprob, bytes}]}` and the legacy completions
 * `{tokens, token_logprobs, text_offset}`; odd shapes and values are skipped, not fatal. */
static void
read_logprobs (Reply      *reply,
               JsonObject *logprobs)
{
  JsonArray *content = reins_http_member_array (logprobs, "content");
  JsonArray *tokens = reins_http_member_array (logprobs, "tokens");

  if (content != NULL)
    {
      for (guint i = 0; i < json_array_get_length (content); i++)
        {
          JsonNode *el = json_array_get_element (content, i);
          JsonObject *lp = JSON_NODE_HOLDS_OBJECT (el) ? json_node_get_object (el) : NULL;
          const char *token = lp != NULL ? reins_http_node_string (json_object_get_member (lp, "token")) : NULL;
          JsonArray *bytes = reins_http_member_array (lp, "bytes");
          gsize len;

          if (token == NULL)
            continue;
          len = bytes != NULL ? json_array_get_length (bytes) : strlen (token);
          reins_chat_response_add_logprob (reply->response, token,
                                           reins_http_node_number (json_object_get_member (lp, "logprob")),
                                           reply->lp_offset, FALSE);
          reply->lp_offset += len;
        }
    }
  else if (tokens != NULL)
    {
      JsonArray *values = reins_http_member_array (logprobs, "token_logprobs");
      JsonArray *offsets = reins_http_member_array (logprobs, "text_offset");

      for (guint i = 0; i < json_array_get_length (tokens); i++)
        {
          const char *token = reins_http_node_string (json_array_get_element (tokens, i));
          JsonNode *off = offsets != NULL && i < json_array_get_length (offsets)
                            ? json_array_get_element (offsets, i) : NULL;
          gsize offset = reply->lp_offset;

          if (token == NULL)
            continue;
          if (off != NULL && JSON_NODE_HOLDS_VALUE (off) &&
              json_node_get_value_type (off) == G_TYPE_INT64 && json_node_get_int (off) >= 0)
            offset = json_node_get_int (off);
          reins_chat_response_add_logprob (reply->response, token,
                                           values != NULL && i < json_array_get_length (values)
                                             ? reins_http_node_number (json_array_get_element (values, i))
                                             : NAN,
                                           offset, FALSE);
          reply->lp_offset = offset + strlen (token);
        }
    }
}

static ToolAcc *
tool_at (Reply *reply,
         guint  index)
{
  if (index > 1024)
    return NULL;
  while (reply->tools->len <= index)
    {
      ToolAcc *acc = g_new0 (ToolAcc, 1);

      acc->arguments = g_string_new (NULL);
      g_ptr_array_add (reply->tools, acc);
    }
  return g_ptr_array_index (reply->tools, index);
}

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
      JsonNode *index_node = call != NULL ? json_object_get_member (call, "index") : NULL;
      gint64 index = i;
      const char *s;
      ToolAcc *acc;

      if (call == NULL ||
          (json_object_has_member (call, "function") && function == NULL))
        {
          reins_http_set_error (error, reply->http, REINS_ERROR_PROVIDER_PROTOCOL,
                                _("%s sent a malformed tool call"), reply->http->label);
          return FALSE;
        }
      /* Stream fragments say which call they continue by index. */
      if (index_node != NULL && JSON_NODE_HOLDS_VALUE (index_node) &&
          json_node_get_value_type (index_node) == G_TYPE_INT64)
        index = json_node_get_int (index_node);
      acc = index >= 0 ? tool_at (reply, index) : NULL;
      if (acc == NULL)
        {
          reins_http_set_error (error, reply->http, REINS_ERROR_PROVIDER_PROTOCOL,
                                _("%s sent a tool call with index %" G_GINT64_FORMAT),
                                reply->http->label, index);
          return FALSE;
        }
      if ((s = reins_http_node_string (json_object_get_member (call, "id"))) != NULL && s[0] != '\0')
        {
          g_free (acc->id);
          acc->id = g_strdup (s);
        }
      if (function == NULL)
        continue;
      if ((s = reins_http_node_string (json_object_get_member (function, "name"))) != NULL && s[0] != '\0')
        {
          g_free (acc->name);
          acc->name = g_strdup (s);
        }
      if ((s = reins_http_node_string (json_object_get_member (function, "arguments"))) != NULL)
        g_string_append (acc->arguments, s);
    }
  return TRUE;
}

static void
read_usage (Reply      *reply,
            JsonObject *usage)
{
  if (usage == NULL)
    return;
  reply->response->input_tokens = MAX (0, json_object_get_int_member_with_default (usage, "prompt_tokens", 0));
  reply->response->output_tokens = MAX (0, json_object_get_int_member_with_default (usage, "completion_tokens", 0));
  reply->response->usage_reported = TRUE;
}

static void
set_finish_reason (Reply      *reply,
                   JsonObject *choice)
{
  const char *reason = reins_http_node_string (json_object_get_member (choice, "finish_reason"));

  if (reason != NULL)
    {
      g_free (reply->response->finish_reason);
      reply->response->finish_reason = g_strdup (reason);
    }
}

static gboolean
check_error_object (Reply       *reply,
                    JsonObject  *o,
                    GError     **error)
{
  JsonNode *e = json_object_get_member (o, "error");
  g_autoptr(JsonNode) copy = NULL;
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;

  if (e == NULL || JSON_NODE_HOLDS_NULL (e))
    return TRUE;
  copy = json_node_init_object (json_node_alloc (), o);
  text = json_to_string (copy, FALSE);
  message = reins_http_error_message (text, strlen (text));
  reins_http_set_error (error, reply->http, REINS_ERROR_PROVIDER,
                        _("%s reported an error mid-stream: %s"), reply->http->label, message);
  return FALSE;
}

static gboolean
stream_event_cb (const char  *event,
                 const char  *data,
                 gpointer     user_data,
                 GError     **error)
{
  Reply *reply = user_data;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o;
  JsonArray *choices;

  if (reply->done)
    return TRUE;
  if (strcmp (data, "[DONE]") == 0)
    {
      reply->done = TRUE;
      return TRUE;
    }

  root = reins_http_parse_json (data, -1, reply->http, error);
  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return TRUE;
  o = json_node_get_object (root);
  if (!check_error_object (reply, o, error))
    return FALSE;

  read_usage (reply, reins_http_member_object (o, "usage"));

  choices = reins_http_member_array (o, "choices");
  for (guint i = 0; choices != NULL && i < json_array_get_length (choices); i++)
    {
      JsonNode *el = json_array_get_element (choices, i);
      JsonObject *choice = JSON_NODE_HOLDS_OBJECT (el) ? json_node_get_object (el) : NULL;
      JsonObject *delta = reins_http_member_object (choice, "delta");
      JsonArray *calls = reins_http_member_array (delta, "tool_calls");
      const char *content = delta != NULL ? reins_http_node_string (json_object_get_member (delta, "content")) : NULL;

      if (choice == NULL || json_object_get_int_member_with_default (choice, "index", 0) != 0)
        continue;
      if (content != NULL && content[0] != '\0')
        {
          g_string_append (reply->text, content);
          if (reply->token_func != NULL)
            reply->token_func (content, reply->token_data);
        }
      if (calls != NULL && !read_tool_calls (reply, calls, error))
        return FALSE;
      read_logprobs (reply, reins_http_member_object (choice, "logprobs"));
      set_finish_reason (reply, choice);
    }
  return TRUE;
}

static gboolean
feed_sse_cb (const char  *data,
             gsize        length,
             gpointer     user_data,
             GError     **error)
{
  return reins_sse_parser_feed (user_data, data, length, error);
}

static gboolean
read_whole (Reply       *reply,
            const char  *body,
            gsize        length,
            GError     **error)
{
  g_autoptr(JsonNode) root = reins_http_parse_json (body, length, reply->http, error);
  JsonObject *o, *choice, *message;
  JsonArray *choices, *calls;
  const char *content;

  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      reins_http_set_error (error, reply->http, REINS_ERROR_PROVIDER_PROTOCOL,
                            _("%s sent a reply that is not an object"), reply->http->label);
      return FALSE;
    }
  o = json_node_get_object (root);
  if (!check_error_object (reply, o, error))
    return FALSE;

  choices = reins_http_member_array (o, "choices");
  choice = reins_http_array_object (choices, 0);
  if (choice == NULL)
    {
      reins_http_set_error (error, reply->http, REINS_ERROR_PROVIDER_PROTOCOL,
                            _("%s sent a reply without choices"), reply->http->label);
      return FALSE;
    }
  message = reins_http_member_object (choice, "message");
  content = reins_http_node_string (message != NULL ? json_object_get_member (message, "content")
                                         : json_object_get_member (choice, "text"));
  if (content != NULL)
    g_string_append (reply->text, content);
  calls = reins_http_member_array (message, "tool_calls");
  if (calls != NULL && !read_tool_calls (reply, calls, error))
    return FALSE;
  read_logprobs (reply, reins_http_member_object (choice, "logprobs"));
  set_finish_reason (reply, choice);
  read_usage (reply, reins_http_member_object (o, "usage"));
  if (content != NULL && content[0] != '\0' && reply->token_func != NULL)
    reply->token_func (content, reply->token_data);
  reply->done = TRUE;
  return TRUE;
}

static gboolean
finish_reply (Reply       *reply,
              GError     **error)
{
  for (guint i = 0; i < reply->tools->len; i++)
    {
      ToolAcc *acc = g_ptr_array_index (reply->tools, i);
      g_autofree char *made_id = g_strdup_printf ("call_%u", i);

      /* A gap in the indexes is not a call. */
      if (acc->name == NULL && acc->id == NULL && acc->arguments->len == 0)
        continue;
      if (acc->name == NULL)
        {
          reins_http_set_error (error, reply->http, REINS_ERROR_PROVIDER_PROTOCOL,
                                _("%s sent a tool call without a name"), reply->http->label);
          return FALSE;
        }
      g_ptr_array_add (reply->response->tool_calls,
                       reins_http_tool_call_new (acc->id != NULL ? acc->id : made_id,
                                                 acc->name, acc->arguments->str,
                                                 reply->response->finish_reason));
    }

  g_free (reply->response->text);
  reply->response->text = g_strdup (reply->text->str);
  if (!reply->response->usage_reported)
    {
      reply->response->input_tokens = strlen (reply->http->body) / 4;
      reply->response->output_tokens = MAX (1, reply->text->len / 4);
    }
  return TRUE;
}

/* Reasoning models (o-series, gpt-5) answer 400 to logprobs, temperature or max_tokens.
 * Rather than fail every step, stop sending the parameter the server named and try again;
 * each can be dropped once, so this ends. */
static gboolean
drop_refused_parameter (ReinsProviderOpenai    *self,
                        const ReinsChatRequest *request,
                        const GError           *error)
{
  g_autofree char *lower = NULL;

  if (!g_error_matches (error, REINS_ERROR, REINS_ERROR_PROVIDER_PROTOCOL) ||
      strstr (error->message, "HTTP 400") == NULL)
    return FALSE;
  lower = g_ascii_strdown (error->message, -1);

  if (request->want_logprobs && !self->no_logprobs && strstr (lower, "logprobs") != NULL)
    self->no_logprobs = TRUE;
  else if (request->max_tokens > 0 && !self->max_completion_tokens &&
           strstr (lower, "max_tokens") != NULL)
    self->max_completion_tokens = TRUE;
  else if (request->temperature >= 0 && !self->no_temperature &&
           strstr (lower, "temperature") != NULL)
    self->no_temperature = TRUE;
  else if (request->native_tools && !self->no_parallel_flag &&
           strstr (lower, "parallel_tool_calls") != NULL)
    self->no_parallel_flag = TRUE;
  else
    return FALSE;

  g_debug ("%s refused a parameter; trying without it: %s", "OpenAI-compatible server",
           error->message);
  return TRUE;
}

static ReinsChatResponse *
reins_provider_openai_chat (ReinsProvider     *provider,
                            ReinsChatRequest  *request,
                            ReinsTokenFunc     token_func,
                            gpointer           token_data,
                            GCancellable      *cancellable,
                            GError           **error)
{
  ReinsProviderOpenai *self = REINS_PROVIDER_OPENAI (provider);
  g_autoptr(ReinsChatResponse) response = reins_chat_response_new ();
  g_autofree char *url = reins_http_join_url (self->client.base_url, "/chat/completions");
  g_autofree char *body = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GString) raw = g_string_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) tools = g_ptr_array_new_with_free_func (tool_acc_free);
  const char *headers[REINS_HTTP_MAX_HEADERS];
  ReinsHttpRequest http;
  Reply reply = { &http, response, text, tools, 0, FALSE, token_func, token_data };
  gboolean ok;

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;

      g_free (body);
      body = build_body (self, request);
      reins_http_client_request (&self->client, &http, url, body, headers);
      stream = reins_http_post (self->client.session, &http, &response->retries, cancellable,
                                &local_error);
      if (stream != NULL)
        break;
      if (!drop_refused_parameter (self, request, local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  response->raw_request = reins_http_redact (body, self->client.api_key);

  if (request->stream)
    {
      g_autoptr(ReinsSseParser) parser = reins_sse_parser_new (stream_event_cb, &reply);

      ok = reins_http_read (stream, &http, feed_sse_cb, parser, raw, cancellable, error);
      /* A stream must end with [DONE] or at least a finish reason; anything less is cut
       * short, and a partial answer must not pass for a whole one. */
      if (ok && !reply.done && response->finish_reason == NULL)
        {
          reins_http_set_error (error, &http, REINS_ERROR_PROVIDER_PROTOCOL,
                                _("The stream from %s ended before the reply was complete"),
                                http.label);
          ok = FALSE;
        }
    }
  else
    {
      ok = reins_http_read (stream, &http, NULL, NULL, raw, cancellable, error) &&
           read_whole (&reply, raw->str, raw->len, error);
    }

  if (!ok || !finish_reply (&reply, error))
    return NULL;

  {
    /* Stored as is, so a key a server echoed must not ride along. */
    response->raw_response = reins_http_client_redact_raw (&self->client, raw);
  }
  return g_steal_pointer (&response);
}

static gboolean
reins_provider_openai_supports_embeddings (ReinsProvider *provider)
{
  return TRUE;
}

static void
float_array_unref (gpointer data)
{
  g_array_unref (data);
}

static GPtrArray *
reins_provider_openai_embed (ReinsProvider      *provider,
                             const char * const *texts,
                             GCancellable       *cancellable,
                             GError            **error)
{
  ReinsProviderOpenai *self = REINS_PROVIDER_OPENAI (provider);
  g_autofree char *url = reins_http_join_url (self->client.base_url, "/embeddings");
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body_node = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) result = NULL;
  JsonArray *data;
  guint n = g_strv_length ((char **) texts);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, self->embedding_model);
  json_builder_set_member_name (b, "input");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    json_builder_add_string_value (b, texts[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  body_node = json_builder_get_root (b);
  body = json_to_string (body_node, FALSE);

  root = reins_http_client_post_json (&self->client, url, body, cancellable, error);
  if (root == NULL)
    return NULL;

  data = JSON_NODE_HOLDS_OBJECT (root) ? reins_http_member_array (json_node_get_object (root), "data") : NULL;
  if (data == NULL || json_array_get_length (data) != n)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_PROTOCOL,
                   _("%s sent %u embeddings for %u texts"), self->client.label,
                   data != NULL ? json_array_get_length (data) : 0, n);
      return NULL;
    }

  result = g_ptr_array_new_full (n, float_array_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (result, NULL);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *item = reins_http_array_object (data, i);
      JsonArray *vector = reins_http_member_array (item, "embedding");
      gint64 index = item != NULL ? json_object_get_int_member_with_default (item, "index", i) : -1;

      if (vector == NULL || index < 0 || index >= n || g_ptr_array_index (result, index) != NULL)
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_PROTOCOL,
                       _("%s sent a malformed embedding"), self->client.label);
          return NULL;
        }
      g_ptr_array_index (result, index) = reins_http_float_vector (vector);
    }
  return g_steal_pointer (&result);
}

/* GET {base}/models: {"data": [{"id": …}, …]} */
static GStrv
reins_provider_openai_list_models (ReinsProvider  *provider,
                                   GCancellable   *cancellable,
                                   GError        **error)
{
  ReinsProviderOpenai *self = REINS_PROVIDER_OPENAI (provider);
  g_autofree char *url = reins_http_join_url (self->client.base_url, "/models");
  const char *headers[REINS_HTTP_MAX_HEADERS];
  ReinsHttpRequest http;

  reins_http_client_request (&self->client, &http, url, NULL, headers);
  return reins_http_list_models (self->client.session, &http, "data", "id", cancellable, error);
}

static const char *
reins_provider_openai_get_name (ReinsProvider *provider)
{
  return "openai";
}

static void
reins_provider_openai_finalize (GObject *object)
{
  ReinsProviderOpenai *self = (ReinsProviderOpenai *)object;

  reins_http_client_clear (&self->client);
  g_free (self->model);
  g_free (self->embedding_model);

  G_OBJECT_CLASS (reins_provider_openai_parent_class)->finalize (object);
}

static void
reins_provider_openai_class_init (ReinsProviderOpenaiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = reins_provider_openai_finalize;
}

static void
reins_provider_openai_iface_init (ReinsProviderInterface *iface)
{
  iface->get_name = reins_provider_openai_get_name;
  iface->chat = reins_provider_openai_chat;
  iface->supports_embeddings = reins_provider_openai_supports_embeddings;
  iface->embed = reins_provider_openai_embed;
  iface->list_models = reins_provider_openai_list_models;
}

static void
reins_provider_openai_init (ReinsProviderOpenai *self)
{
}

ReinsProvider *
reins_provider_openai_new (const ReinsProviderConfig  *config,
                           GError                    **error)
{
  g_autoptr(ReinsProviderOpenai) self = g_object_new (REINS_TYPE_PROVIDER_OPENAI, NULL);

  /* Local servers (llama.cpp, vLLM) need no key. */
  if (!reins_http_client_init (&self->client, config, "openai", "OpenAI-compatible server",
                               "Authorization", "Bearer ", error))
    return NULL;
  self->model = g_strdup (config->model != NULL ? config->model : DEFAULT_MODEL);
  self->embedding_model = g_strdup (config->embedding_model != NULL ? config->embedding_model
                                                                    : DEFAULT_EMBEDDING_MODEL);
  return REINS_PROVIDER (g_steal_pointer (&self));
}
