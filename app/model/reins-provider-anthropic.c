/* reins-provider-anthropic.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `anthropic` provider: the Messages API, JSON or SSE, tool_use / tool_result, usage.
 * It returns no log-probabilities, so confidence falls back to the default source.
 * Wire format: PROTOCOLS.md.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "reins-http.h"
#include "reins-provider-anthropic.h"
#include "reins-sse.h"

#define DEFAULT_MODEL "claude-sonnet-4-5"
#define DEFAULT_MAX_TOKENS 4096
#define API_VERSION "2023-06-01"

struct _ReinsProviderAnthropic
{
  GObject      parent_instance;

  ReinsHttpClient client;
  char        *url;
  char        *models_url;
  char        *model;
};

static void reins_provider_anthropic_iface_init (ReinsProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReinsProviderAnthropic, reins_provider_anthropic, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (REINS_TYPE_PROVIDER,
                                                      reins_provider_anthropic_iface_init))

static JsonNode *
text_block (const char *text)
{
  g_autoptr(JsonObject) block = json_object_new ();

  json_object_set_string_member (block, "type", "text");
  json_object_set_string_member (block, "text", text);
  return json_node_init_object (json_node_alloc (), block);
}

/* Appends @block to the last message if it has @role (the API wants roles to alternate,
 * and several tool results answer one assistant turn), else to a new message. */
static void
add_block (JsonArray  *messages,
           const char *role,
           JsonNode   *block)
{
  guint n = json_array_get_length (messages);
  JsonObject *last = n > 0 ? json_array_get_object_element (messages, n - 1) : NULL;
  g_autoptr(JsonObject) message = NULL;
  g_autoptr(JsonArray) content = NULL;

  if (last != NULL && g_strcmp0 (json_object_get_string_member (last, "role"), role) == 0)
    {
      json_array_add_element (json_object_get_array_member (last, "content"), block);
      return;
    }

  message = json_object_new ();
  content = json_array_new ();
  json_array_add_element (content, block);
  json_object_set_string_member (message, "role", role);
  json_object_set_array_member (message, "content", g_steal_pointer (&content));
  json_array_add_object_element (messages, g_steal_pointer (&message));
}

static char *
build_body (ReinsProviderAnthropic *self,
            ReinsChatRequest       *request)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonArray) messages = json_array_new ();
  g_autoptr(GString) system = g_string_new (NULL);
  g_autoptr(JsonNode) node = NULL;

  json_object_set_string_member (root, "model", request->model != NULL ? request->model : self->model);
  json_object_set_int_member (root, "max_tokens",
                              request->max_tokens > 0 ? request->max_tokens : DEFAULT_MAX_TOKENS);

  for (guint i = 0; i < request->messages->len; i++)
    {
      const ReinsChatMessage *m = g_ptr_array_index (request->messages, i);
      const char *content = m->content != NULL ? m->content : "";

      switch (m->role)
        {
        case REINS_CHAT_ROLE_SYSTEM:
          if (system->len > 0)
            g_string_append (system, "\n\n");
          g_string_append (system, content);
          break;

        case REINS_CHAT_ROLE_USER:
          /* The API refuses empty text blocks. */
          add_block (messages, "user", text_block (content[0] != '\0' ? content : "(empty)"));
          break;

        case REINS_CHAT_ROLE_ASSISTANT:
          if (content[0] != '\0' || m->tool_calls == NULL || m->tool_calls->len == 0 ||
              !request->native_tools)
            add_block (messages, "assistant", text_block (content[0] != '\0' ? content : "(empty)"));
          for (guint j = 0; request->native_tools && m->tool_calls != NULL && j < m->tool_calls->len; j++)
            {
              ReinsAction *action = g_ptr_array_index (m->tool_calls, j);
              g_autoptr(JsonObject) block = json_object_new ();
              g_autofree char *made_id = g_strdup_printf ("toolu_%u_%u", i, j);
              const char *id = reins_action_get_call_id (action);

              json_object_set_string_member (block, "type", "tool_use");
              json_object_set_string_member (block, "id", id != NULL ? id : made_id);
              json_object_set_string_member (block, "name", reins_action_get_name (action));
              json_object_set_object_member (block, "input",
                                             json_object_ref (reins_action_get_arguments (action)));
              add_block (messages, "assistant",
                         json_node_init_object (json_node_alloc (), block));
            }
          break;

        case REINS_CHAT_ROLE_TOOL:
        default:
          if (request->native_tools && m->tool_call_id != NULL)
            {
              g_autoptr(JsonObject) block = json_object_new ();

              json_object_set_string_member (block, "type", "tool_result");
              json_object_set_string_member (block, "tool_use_id", m->tool_call_id);
              json_object_set_string_member (block, "content", content);
              if (m->is_error)
                json_object_set_boolean_member (block, "is_error", TRUE);
              add_block (messages, "user", json_node_init_object (json_node_alloc (), block));
            }
          else
            add_block (messages, "user", text_block (content[0] != '\0' ? content : "(empty)"));
          break;
        }
    }

  if (system->len > 0)
    json_object_set_string_member (root, "system", system->str);
  json_object_set_array_member (root, "messages", g_steal_pointer (&messages));

  if (request->native_tools && request->tools != NULL && json_array_get_length (request->tools) > 0)
    {
      g_autoptr(JsonArray) tools = json_array_new ();

      for (guint i = 0; i < json_array_get_length (request->tools); i++)
        {
          JsonObject *tool = reins_http_array_object (request->tools, i);
          JsonNode *params = tool != NULL ? json_object_get_member (tool, "parameters") : NULL;
          g_autoptr(JsonObject) out = json_object_new ();

          if (tool == NULL)
            continue;
          json_object_set_string_member (out, "name", json_object_get_string_member_with_default (tool, "name", ""));
          json_object_set_string_member (out, "description",
                                         json_object_get_string_member_with_default (tool, "description", ""));
          if (params != NULL && JSON_NODE_HOLDS_OBJECT (params))
            json_object_set_member (out, "input_schema", json_node_copy (params));
          else
            {
              g_autoptr(JsonObject) schema = json_object_new ();

              json_object_set_string_member (schema, "type", "object");
              json_object_set_object_member (out, "input_schema", g_steal_pointer (&schema));
            }
          json_array_add_object_element (tools, g_steal_pointer (&out));
        }
      json_object_set_array_member (root, "tools", g_steal_pointer (&tools));

      /* A step runs one call; asking for one keeps the others from being cut. */
      {
        g_autoptr(JsonObject) choice = json_object_new ();

        json_object_set_string_member (choice, "type", "auto");
        json_object_set_boolean_member (choice, "disable_parallel_tool_use", TRUE);
        json_object_set_object_member (root, "tool_choice", g_steal_pointer (&choice));
      }
    }

  if (request->temperature >= 0)
    json_object_set_double_member (root, "temperature", request->temperature);
  json_object_set_boolean_member (root, "stream", request->stream);

  node = json_node_init_object (json_node_alloc (), root);
  return json_to_string (node, FALSE);
}

typedef struct
{
  char    *type;   /* text, tool_use, or something newer we skip */
  char    *id;
  char    *name;
  GString *text;   /* text, or the input JSON of a tool_use */
} Block;

static void
block_free (gpointer data)
{
  Block *block = data;

  g_free (block->type);
  g_free (block->id);
  g_free (block->name);
  g_string_free (block->text, TRUE);
  g_free (block);
}

typedef struct
{
  const ReinsHttpRequest *http;
  ReinsChatResponse      *response;
  GPtrArray              *blocks;      /* (element-type Block), by index */
  gboolean                started;
  gboolean                done;
  ReinsTokenFunc          token_func;
  gpointer                token_data;
} Reply;

static Block *
block_at (Reply  *reply,
          gint64  index)
{
  if (index < 0 || index > 1024)
    return NULL;
  while (reply->blocks->len <= index)
    {
      Block *block = g_new0 (Block, 1);

      block->text = g_string_new (NULL);
      g_ptr_array_add (reply->blocks, block);
    }
  return g_ptr_array_index (reply->blocks, index);
}

static void
start_block (Block      *block,
             JsonObject *content)
{
  const char *s;
  JsonNode *input;

  g_free (block->type);
  block->type = g_strdup (reins_http_node_string (json_object_get_member (content, "type")));
  if ((s = reins_http_node_string (json_object_get_member (content, "id"))) != NULL)
    {
      g_free (block->id);
      block->id = g_strdup (s);
    }
  if ((s = reins_http_node_string (json_object_get_member (content, "name"))) != NULL)
    {
      g_free (block->name);
      block->name = g_strdup (s);
    }
  if ((s = reins_http_node_string (json_object_get_member (content, "text"))) != NULL)
    g_string_append (block->text, s);
  input = json_object_get_member (content, "input");
  /* A whole input (non-stream); a stream starts with {} and sends it in pieces. */
  if (input != NULL && JSON_NODE_HOLDS_OBJECT (input) &&
      json_object_get_size (json_node_get_object (input)) > 0)
    {
      g_autofree char *json = json_to_string (input, FALSE);

      g_string_assign (block->text, json);
    }
}

static void
read_usage (Reply      *reply,
            JsonObject *usage)
{
  JsonNode *in = usage != NULL ? json_object_get_member (usage, "input_tokens") : NULL;
  JsonNode *out = usage != NULL ? json_object_get_member (usage, "output_tokens") : NULL;

  if (in != NULL && JSON_NODE_HOLDS_VALUE (in))
    {
      reply->response->input_tokens = MAX (0, json_node_get_int (in));
      reply->response->usage_reported = TRUE;
    }
  if (out != NULL && JSON_NODE_HOLDS_VALUE (out))
    {
      reply->response->output_tokens = MAX (0, json_node_get_int (out));
      reply->response->usage_reported = TRUE;
    }
}

static void
set_stop_reason (Reply      *reply,
                 JsonObject *o)
{
  const char *reason = reins_http_node_string (json_object_get_member (o, "stop_reason"));

  if (reason != NULL)
    {
      g_free (reply->response->finish_reason);
      reply->response->finish_reason = g_strdup (reason);
    }
}

static gboolean
stream_error (Reply       *reply,
              JsonObject  *o,
              GError     **error)
{
  JsonObject *e = reins_http_member_object (o, "error");
  const char *type = e != NULL ? reins_http_node_string (json_object_get_member (e, "type")) : NULL;
  const char *message = e != NULL ? reins_http_node_string (json_object_get_member (e, "message")) : NULL;
  ReinsError code = REINS_ERROR_PROVIDER;

  if (g_strcmp0 (type, "rate_limit_error") == 0)
    code = REINS_ERROR_PROVIDER_RATE_LIMITED;
  else if (g_strcmp0 (type, "authentication_error") == 0)
    code = REINS_ERROR_PROVIDER_AUTH;
  reins_http_set_error (error, reply->http, code, _("%s reported an error mid-stream: %s (%s)"),
                        reply->http->label, message != NULL ? message : _("no message"),
                        type != NULL ? type : "error");
  return FALSE;
}

static gboolean
stream_event_cb (const char  *event,
                 const char  *data,
                 gpointer     user_data,
                 GError     **error)
{
  Reply *reply = user_data;
  g_autoptr(JsonNode) root = reins_http_parse_json (data, -1, reply->http, error);
  JsonObject *o;
  const char *type;

  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return TRUE;
  o = json_node_get_object (root);
  type = reins_http_node_string (json_object_get_member (o, "type"));
  if (type == NULL)
    type = event;

  if (g_strcmp0 (type, "error") == 0)
    return stream_error (reply, o, error);
  if (reply->done)
    return TRUE;

  if (g_strcmp0 (type, "message_start") == 0)
    {
      reply->started = TRUE;
      read_usage (reply, reins_http_member_object (reins_http_member_object (o, "message"), "usage"));
    }
  else if (g_strcmp0 (type, "content_block_start") == 0)
    {
      JsonObject *content = reins_http_member_object (o, "content_block");
      Block *block = block_at (reply, json_object_get_int_member_with_default (o, "index", -1));

      if (block == NULL || content == NULL)
        {
          reins_http_set_error (error, reply->http, REINS_ERROR_PROVIDER_PROTOCOL,
                                _("%s sent a malformed content block"), reply->http->label);
          return FALSE;
        }
      start_block (block, content);
    }
  else if (g_strcmp0 (type, "content_block_delta") == 0)
    {
      JsonObject *delta = reins_http_member_object (o, "delta");
      const char *delta_type = reins_http_node_string (json_object_get_member (delta, "type"));
      Block *block = block_at (reply, json_object_get_int_member_with_default (o, "index", -1));
      const char *s;

      if (block == NULL || delta == NULL)
        {
          reins_http_set_error (error, reply->http, REINS_ERROR_PROVIDER_PROTOCOL,
                                _("%s sent a malformed content delta"), reply->http->label);
          return FALSE;
        }
      if (g_strcmp0 (delta_type, "text_delta") == 0 &&
          (s = reins_http_node_string (json_object_get_member (delta, "text"))) != NULL)
        {
          g_string_append (block->text, s);
          if (s[0] != '\0' && reply->token_func != NULL && g_strcmp0 (block->type, "text") == 0)
            reply->token_func (s, reply->token_data);
        }
      else if (g_strcmp0 (delta_type, "input_json_delta") == 0 &&
               (s = reins_http_node_string (json_object_get_member (delta, "partial_json"))) != NULL)
        g_string_append (block->text, s);
      /* thinking_delta, signature_delta and newer kinds are not part of the answer. */
    }
  else if (g_strcmp0 (type, "message_delta") == 0)
    {
      set_stop_reason (reply, reins_http_member_object (o, "delta"));
      read_usage (reply, reins_http_member_object (o, "usage"));
    }
  else if (g_strcmp0 (type, "message_stop") == 0)
    {
      reply->done = TRUE;
    }
  /* ping, content_block_stop and unknown events change nothing. */
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
ignore_cb (const char  *data,
           gsize        length,
           gpointer     user_data,
           GError     **error)
{
  return TRUE;
}

static gboolean
read_whole (Reply       *reply,
            const char  *body,
            gsize        length,
            GError     **error)
{
  g_autoptr(JsonNode) root = reins_http_parse_json (body, length, reply->http, error);
  JsonObject *o;
  JsonArray *content;

  if (root == NULL)
    return FALSE;
  o = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  if (o != NULL && g_strcmp0 (reins_http_node_string (json_object_get_member (o, "type")), "error") == 0)
    return stream_error (reply, o, error);
  content = reins_http_member_array (o, "content");
  if (content == NULL)
    {
      reins_http_set_error (error, reply->http, REINS_ERROR_PROVIDER_PROTOCOL,
                            _("%s sent a reply without content"), reply->http->label);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (content); i++)
    {
      JsonNode *el = json_array_get_element (content, i);

      if (JSON_NODE_HOLDS_OBJECT (el))
        start_block (block_at (reply, i), json_node_get_object (el));
    }
  set_stop_reason (reply, o);
  read_usage (reply, reins_http_member_object (o, "usage"));
  reply->done = TRUE;
  return TRUE;
}

static gboolean
finish_reply (Reply   *reply,
              GError **error)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < reply->blocks->len; i++)
    {
      Block *block = g_ptr_array_index (reply->blocks, i);

      if (g_strcmp0 (block->type, "text") == 0)
        g_string_append (text, block->text->str);
      else if (g_strcmp0 (block->type, "tool_use") == 0)
        {
          g_autofree char *made_id = g_strdup_printf ("toolu_%u", i);

          if (block->name == NULL || block->name[0] == '\0')
            {
              reins_http_set_error (error, reply->http, REINS_ERROR_PROVIDER_PROTOCOL,
                                    _("%s sent a tool call without a name"), reply->http->label);
              return FALSE;
            }
          g_ptr_array_add (reply->response->tool_calls,
                           reins_http_tool_call_new (block->id != NULL ? block->id : made_id,
                                                     block->name, block->text->str,
                                                     reply->response->finish_reason));
        }
    }

  g_free (reply->response->text);
  reply->response->text = g_string_free (g_steal_pointer (&text), FALSE);
  if (!reply->response->usage_reported)
    {
      reply->response->input_tokens = strlen (reply->http->body) / 4;
      reply->response->output_tokens = MAX (1, strlen (reply->response->text) / 4);
    }
  return TRUE;
}

/* Every request says which version of the API it speaks. */
static const char * const version_header[] = { "anthropic-version", API_VERSION, NULL };

static ReinsChatResponse *
reins_provider_anthropic_chat (ReinsProvider     *provider,
                               ReinsChatRequest  *request,
                               ReinsTokenFunc     token_func,
                               gpointer           token_data,
                               GCancellable      *cancellable,
                               GError           **error)
{
  ReinsProviderAnthropic *self = REINS_PROVIDER_ANTHROPIC (provider);
  g_autoptr(ReinsChatResponse) response = reins_chat_response_new ();
  g_autofree char *body = build_body (self, request);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GString) raw = g_string_new (NULL);
  g_autoptr(GPtrArray) blocks = g_ptr_array_new_with_free_func (block_free);
  const char *headers[REINS_HTTP_MAX_HEADERS];
  ReinsHttpRequest http;
  Reply reply = { &http, response, blocks, FALSE, FALSE, token_func, token_data };
  gboolean ok;

  reins_http_client_request (&self->client, &http, self->url, body, headers);
  response->raw_request = reins_http_redact (body, self->client.api_key);
  stream = reins_http_post (self->client.session, &http, &response->retries, cancellable, error);
  if (stream == NULL)
    return NULL;

  if (request->stream)
    {
      g_autoptr(ReinsSseParser) parser = reins_sse_parser_new (stream_event_cb, &reply);

      ok = reins_http_read (stream, &http, feed_sse_cb, parser, raw, cancellable, error);
      if (ok && !reply.done)
        {
          reins_http_set_error (error, &http, REINS_ERROR_PROVIDER_PROTOCOL,
                                _("The stream from %s ended before message_stop"), http.label);
          ok = FALSE;
        }
    }
  else
    {
      ok = reins_http_read (stream, &http, ignore_cb, NULL, raw, cancellable, error) &&
           read_whole (&reply, raw->str, raw->len, error);
      if (ok && token_func != NULL)
        for (guint i = 0; i < blocks->len; i++)
          {
            Block *block = g_ptr_array_index (blocks, i);

            if (g_strcmp0 (block->type, "text") == 0 && block->text->len > 0)
              token_func (block->text->str, token_data);
          }
    }

  if (!ok || !finish_reply (&reply, error))
    return NULL;

  /* Stored as is, so a key a server echoed must not ride along. */
  response->raw_response = reins_http_client_redact_raw (&self->client, raw);
  return g_steal_pointer (&response);
}

/* GET {base}/v1/models: {"data": [{"id": …}, …]} */
static GStrv
reins_provider_anthropic_list_models (ReinsProvider  *provider,
                                      GCancellable   *cancellable,
                                      GError        **error)
{
  ReinsProviderAnthropic *self = REINS_PROVIDER_ANTHROPIC (provider);
  const char *headers[REINS_HTTP_MAX_HEADERS];
  ReinsHttpRequest http;

  reins_http_client_request (&self->client, &http, self->models_url, NULL, headers);
  return reins_http_list_models (self->client.session, &http, "data", "id", cancellable, error);
}

static const char *
reins_provider_anthropic_get_name (ReinsProvider *provider)
{
  return "anthropic";
}

static void
reins_provider_anthropic_finalize (GObject *object)
{
  ReinsProviderAnthropic *self = (ReinsProviderAnthropic *)object;

  g_free (self->url);
  g_free (self->models_url);
  g_free (self->model);
  reins_http_client_clear (&self->client);

  G_OBJECT_CLASS (reins_provider_anthropic_parent_class)->finalize (object);
}

static void
reins_provider_anthropic_class_init (ReinsProviderAnthropicClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = reins_provider_anthropic_finalize;
}

static void
reins_provider_anthropic_iface_init (ReinsProviderInterface *iface)
{
  iface->get_name = reins_provider_anthropic_get_name;
  iface->chat = reins_provider_anthropic_chat;
  iface->list_models = reins_provider_anthropic_list_models;
}

static void
reins_provider_anthropic_init (ReinsProviderAnthropic *self)
{
}

/* The base is accepted with or without /v1. */
static char *
v1_url (const char *base,
        const char *path)
{
  g_autofree char *trimmed = reins_http_join_url (base, "");
  g_autofree char *v1 = g_str_has_suffix (trimmed, "/v1") ? g_strdup (trimmed)
                                                          : reins_http_join_url (trimmed, "/v1");

  return reins_http_join_url (v1, path);
}

ReinsProvider *
reins_provider_anthropic_new (const ReinsProviderConfig  *config,
                              GError                    **error)
{
  g_autoptr(ReinsProviderAnthropic) self = g_object_new (REINS_TYPE_PROVIDER_ANTHROPIC, NULL);

  if (!reins_http_client_init (&self->client, config, "anthropic", "Anthropic", "x-api-key", "",
                               error))
    return NULL;
  self->client.extra_headers = version_header;
  self->url = v1_url (self->client.base_url, "/messages");
  self->models_url = v1_url (self->client.base_url, "/models");
  self->model = g_strdup (config->model != NULL ? config->model : DEFAULT_MODEL);
  return REINS_PROVIDER (g_steal_pointer (&self));
}
