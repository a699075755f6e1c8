/* reins-chat.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The provider-neutral request and response records.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "reins-chat.h"

ReinsChatMessage *
reins_chat_message_new (ReinsChatRole  role,
                        const char    *content)
{
  ReinsChatMessage *message = g_new0 (ReinsChatMessage, 1);

  message->role = role;
  message->content = g_strdup (content != NULL ? content : "");
  return message;
}

ReinsChatMessage *
reins_chat_message_new_tool (const char *tool_call_id,
                             const char *tool_name,
                             const char *content,
                             gboolean    is_error)
{
  ReinsChatMessage *message = reins_chat_message_new (REINS_CHAT_ROLE_TOOL, content);

  message->tool_call_id = g_strdup (tool_call_id);
  message->tool_name = g_strdup (tool_name);
  message->is_error = !!is_error;
  return message;
}

ReinsChatMessage *
reins_chat_message_copy (const ReinsChatMessage *message)
{
  ReinsChatMessage *copy;

  g_return_val_if_fail (message != NULL, NULL);

  copy = reins_chat_message_new (message->role, message->content);
  copy->tool_call_id = g_strdup (message->tool_call_id);
  copy->tool_name = g_strdup (message->tool_name);
  copy->is_error = message->is_error;
  if (message->tool_calls != NULL)
    {
      copy->tool_calls = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < message->tool_calls->len; i++)
        g_ptr_array_add (copy->tool_calls, g_object_ref (g_ptr_array_index (message->tool_calls, i)));
    }
  return copy;
}

void
reins_chat_message_free (ReinsChatMessage *message)
{
  if (message == NULL)
    return;

  g_free (message->content);
  g_clear_pointer (&message->tool_calls, g_ptr_array_unref);
  g_free (message->tool_call_id);
  g_free (message->tool_name);
  g_free (message);
}

/**
 * reins_chat_message_add_tool_call:
 * @message: an assistant message
 * @action: (transfer none): a tool call, with its call id
 */
void
reins_chat_message_add_tool_call (ReinsChatMessage *message,
                                  ReinsAction      *action)
{
  g_return_if_fail (message != NULL);
  g_return_if_fail (REINS_IS_ACTION (action));

  if (message->tool_calls == NULL)
    message->tool_calls = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (message->tool_calls, g_object_ref (action));
}

const char *
reins_chat_role_to_string (ReinsChatRole role)
{
  switch (role)
    {
    case REINS_CHAT_ROLE_SYSTEM:
      return "system";
    case REINS_CHAT_ROLE_USER:
      return "user";
    case REINS_CHAT_ROLE_ASSISTANT:
      return "assistant";
    case REINS_CHAT_ROLE_TOOL:
      return "tool";
    default:
      g_return_val_if_reached ("user");
    }
}

ReinsChatRequest *
reins_chat_request_new (void)
{
  ReinsChatRequest *request = g_new0 (ReinsChatRequest, 1);

  request->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) reins_chat_message_free);
  request->temperature = -1.0;
  request->want_logprobs = TRUE;
  request->stream = TRUE;
  request->native_tools = TRUE;
  return request;
}

/**
 * reins_chat_request_add:
 * @message: (transfer full): the next turn
 */
void
reins_chat_request_add (ReinsChatRequest *request,
                        ReinsChatMessage *message)
{
  g_return_if_fail (request != NULL);
  g_return_if_fail (message != NULL);

  g_ptr_array_add (request->messages, message);
}

void
reins_chat_request_free (ReinsChatRequest *request)
{
  if (request == NULL)
    return;

  g_free (request->model);
  g_clear_pointer (&request->messages, g_ptr_array_unref);
  g_clear_pointer (&request->tools, json_array_unref);
  g_free (request);
}

/**
 * reins_chat_request_to_json:
 *
 * The request in a provider-neutral JSON form, for the store (providers without a wire
 * format, such as sim and scripted, keep this as their raw request).
 *
 * Returns: (transfer full): an object node
 */
JsonNode *
reins_chat_request_to_json (const ReinsChatRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (request != NULL, NULL);

  json_builder_begin_object (builder);
  reins_json_add_string_or_null (builder, "model", request->model);
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < request->messages->len; i++)
    {
      const ReinsChatMessage *m = g_ptr_array_index (request->messages, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, reins_chat_role_to_string (m->role));
      json_builder_set_member_name (builder, "content");
      json_builder_add_string_value (builder, m->content != NULL ? m->content : "");
      if (m->tool_calls != NULL && m->tool_calls->len > 0)
        {
          json_builder_set_member_name (builder, "tool_calls");
          json_builder_begin_array (builder);
          for (guint j = 0; j < m->tool_calls->len; j++)
            {
              ReinsAction *action = g_ptr_array_index (m->tool_calls, j);

              json_builder_begin_object (builder);
              reins_json_add_string_or_null (builder, "id", reins_action_get_call_id (action));
              json_builder_set_member_name (builder, "name");
              json_builder_add_string_value (builder, reins_action_get_name (action));
              json_builder_set_member_name (builder, "arguments");
              json_builder_add_value (builder,
                                      json_node_init_object (json_node_alloc (),
                                                             reins_action_get_arguments (action)));
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
        }
      if (m->role == REINS_CHAT_ROLE_TOOL)
        {
          reins_json_add_string_or_null (builder, "tool_call_id", m->tool_call_id);
          reins_json_add_string_or_null (builder, "tool_name", m->tool_name);
          json_builder_set_member_name (builder, "is_error");
          json_builder_add_boolean_value (builder, m->is_error);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (request->tools != NULL)
    {
      json_builder_set_member_name (builder, "tools");
      json_builder_add_value (builder, json_node_init_array (json_node_alloc (), request->tools));
    }
  json_builder_set_member_name (builder, "native_tools");
  json_builder_add_boolean_value (builder, request->native_tools);
  if (request->purpose == REINS_CHAT_PURPOSE_CRITIC)
    {
      json_builder_set_member_name (builder, "purpose");
      json_builder_add_string_value (builder, "critic");
    }
  json_builder_set_member_name (builder, "stream");
  json_builder_add_boolean_value (builder, request->stream);
  json_builder_set_member_name (builder, "want_logprobs");
  json_builder_add_boolean_value (builder, request->want_logprobs);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

ReinsChatResponse *
reins_chat_response_new (void)
{
  ReinsChatResponse *response = g_new0 (ReinsChatResponse, 1);

  response->text = g_strdup ("");
  response->tool_calls = g_ptr_array_new_with_free_func (g_object_unref);
  return response;
}

static void
token_logprob_clear (gpointer data)
{
  ReinsTokenLogprob *lp = data;

  g_clear_pointer (&lp->token, g_free);
}

/**
 * reins_chat_response_add_logprob:
 *
 * Appends one token, creating the array on first use.
 */
void
reins_chat_response_add_logprob (ReinsChatResponse *response,
                                 const char        *token,
                                 double             logprob,
                                 gsize              offset,
                                 gboolean           in_tool_call)
{
  ReinsTokenLogprob lp = { g_strdup (token != NULL ? token : ""), logprob, offset, in_tool_call };

  g_return_if_fail (response != NULL);

  if (response->logprobs == NULL)
    {
      response->logprobs = g_array_new (FALSE, FALSE, sizeof (ReinsTokenLogprob));
      g_array_set_clear_func (response->logprobs, token_logprob_clear);
    }
  g_array_append_val (response->logprobs, lp);
}

/**
 * reins_chat_response_add_spread_logprobs:
 * @rand: the caller's random stream
 * @text: the span to cover, split into tokens of 4 characters
 * @base: byte offset of @text in the reply (or in the tool call's arguments)
 * @confidence: exp(mean log-probability) of the tokens, in (0, 1]
 *
 * Log-probabilities whose mean is exactly log(@confidence): log(@confidence) times positive
 * weights of mean 1, so the tokens differ like a real model's do.
 */
void
reins_chat_response_add_spread_logprobs (ReinsChatResponse *response,
                                         GRand             *rand,
                                         const char        *text,
                                         gsize              base,
                                         double             confidence,
                                         gboolean           in_tool_call)
{
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (gsize) * 2);
  g_autoptr(GArray) weights = g_array_new (FALSE, FALSE, sizeof (double));
  gsize len;
  double sum = 0;

  g_return_if_fail (response != NULL);
  g_return_if_fail (rand != NULL);
  g_return_if_fail (text != NULL);

  len = strlen (text);
  for (gsize at = 0; at < len;)
    {
      const char *end = text + at;
      gsize span[2];

      for (guint n = 0; n < 4 && *end != '\0'; n++)
        end = g_utf8_next_char (end);
      span[0] = at;
      span[1] = end - text;
      g_array_append_val (spans, span);
      at = span[1];
    }

  for (guint i = 0; i < spans->len; i++)
    {
      double w = 0.3 + 1.4 * g_rand_double (rand);

      g_array_append_val (weights, w);
      sum += w;
    }

  for (guint i = 0; i < spans->len; i++)
    {
      const gsize *span = &g_array_index (spans, gsize, 2 * i);
      g_autofree char *token = g_strndup (text + span[0], span[1] - span[0]);
      double w = g_array_index (weights, double, i) * spans->len / sum;

      reins_chat_response_add_logprob (response, token, log (confidence) * w,
                                       base + span[0], in_tool_call);
    }
}

double
reins_rand_normal_clamped (GRand  *rand,
                           double  mean,
                           double  sd,
                           double  low,
                           double  high)
{
  double u1 = g_rand_double_range (rand, 1e-12, 1.0);
  double u2 = g_rand_double (rand);
  double x = mean + sd * sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);

  return CLAMP (x, low, high);
}

guint64
reins_chat_estimate_tokens (gsize chars)
{
  return MAX (1, (chars + 3) / 4);
}

/**
 * reins_chat_stream_text:
 * @delay_ms: pause before each piece; 0 for none
 *
 * Returns: %FALSE with @error set when @cancellable was triggered
 */
gboolean
reins_chat_stream_text (const char      *text,
                        guint            delay_ms,
                        ReinsTokenFunc   token_func,
                        gpointer         token_data,
                        GCancellable    *cancellable,
                        GError         **error)
{
  const char *p = text;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (token_func != NULL, FALSE);

  while (*p != '\0')
    {
      const char *end = p;
      g_autofree char *chunk = NULL;

      for (guint n = 0; n < 6 && *end != '\0'; n++)
        end = g_utf8_next_char (end);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (delay_ms > 0)
        g_usleep (delay_ms * G_TIME_SPAN_MILLISECOND);
      chunk = g_strndup (p, end - p);
      token_func (chunk, token_data);
      p = end;
    }
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

void
reins_chat_response_free (ReinsChatResponse *response)
{
  if (response == NULL)
    return;

  g_free (response->text);
  g_clear_pointer (&response->tool_calls, g_ptr_array_unref);
  g_clear_pointer (&response->logprobs, g_array_unref);
  g_free (response->finish_reason);
  g_free (response->raw_request);
  g_free (response->raw_response);
  g_free (response);
}
