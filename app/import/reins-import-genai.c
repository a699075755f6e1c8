/* reins-import-genai.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The messages of a model-call span, in the many shapes instrumentations write them:
 *
 *  - `gen_ai.input.messages` / `gen_ai.output.messages`: JSON of messages with `parts`
 *    (text, reasoning, tool_call, tool_call_response), the current GenAI conventions;
 *  - `gen_ai.prompt.N.*` / `gen_ai.completion.N.*`: flattened (OpenLLMetry and older
 *    conventions), with `tool_calls.M.name|arguments|id` and `tool_call_id`;
 *  - `llm.input_messages.N.message.*` / `llm.output_messages.N.message.*` (OpenInference),
 *    with `contents.M.message_content.text` and `tool_calls.M.tool_call.function.*`;
 *  - `gen_ai.prompt` / `gen_ai.completion` as one JSON string, on the span or on the events
 *    `gen_ai.content.prompt` / `gen_ai.content.completion`;
 *  - the events `gen_ai.system.message`, `gen_ai.user.message`, `gen_ai.assistant.message`,
 *    `gen_ai.tool.message` and `gen_ai.choice`, with the body's members as attributes or as
 *    JSON in `gen_ai.event.content`.
 *
 * Each becomes one list of plain messages: objects with `role`, and `content`, `reasoning`,
 * `tool_calls` (objects with `id`, `name`, `arguments`) and `tool_call_id` when there.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "reins-import-private.h"
#include "reins-json-util.h"

static void
append (JsonObject *message,
        const char *member,
        const char *text)
{
  const char *before;

  if (text == NULL || *text == '\0')
    return;
  before = reins_import_string_member (message, member);
  if (before == NULL)
    json_object_set_string_member (message, member, text);
  else
    {
      g_autofree char *both = g_strconcat (before, "\n\n", text, NULL);

      json_object_set_string_member (message, member, both);
    }
}

/* Text of a value that may be a string or anything else (kept as its JSON). */
static char *
node_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return reins_json_to_string (node, FALSE);
}

static JsonArray *
calls_of (JsonObject *message)
{
  JsonNode *node = json_object_get_member (message, "tool_calls");

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      json_object_set_array_member (message, "tool_calls", json_array_new ());
      node = json_object_get_member (message, "tool_calls");
    }
  return json_node_get_array (node);
}

static void
add_call (JsonObject *message,
          JsonNode   *id,
          JsonNode   *name,
          JsonNode   *arguments)
{
  JsonObject *call = json_object_new ();

  if (id != NULL && JSON_NODE_HOLDS_VALUE (id))
    json_object_set_member (call, "id", json_node_copy (id));
  if (name != NULL && JSON_NODE_HOLDS_VALUE (name))
    json_object_set_member (call, "name", json_node_copy (name));
  if (arguments != NULL)
    json_object_set_member (call, "arguments", json_node_copy (arguments));
  json_array_add_object_element (calls_of (message), call);
}

static JsonObject *
new_message (JsonArray  *out,
             const char *role)
{
  JsonObject *message = json_object_new ();

  json_object_set_string_member (message, "role", role);
  json_array_add_object_element (out, message);
  return message;
}

/* One message in any of the JSON shapes (parts, OpenAI, Anthropic blocks), added to @out;
 * a tool response among its parts is a message of its own. */
static void
add_json_message (JsonArray  *out,
                  JsonNode   *node,
                  const char *default_role)
{
  JsonObject *object, *message;
  const char *role;
  JsonNode *parts, *calls, *legacy;
  guint at;

  if (node == NULL)
    return;
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      g_autofree char *text = node_text (node);

      append (new_message (out, default_role), "content", text);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return;
  object = json_node_get_object (node);
  /* gen_ai.choice: {index, finish_reason, message: {…}} */
  if (json_object_has_member (object, "message") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "message")))
    {
      add_json_message (out, json_object_get_member (object, "message"), default_role);
      return;
    }
  role = reins_import_string_member (object, "role");
  at = json_array_get_length (out);
  message = new_message (out, role != NULL ? role : default_role);
  if (reins_import_string_member (object, "tool_call_id") != NULL)
    json_object_set_string_member (message, "tool_call_id",
                                   reins_import_string_member (object, "tool_call_id"));
  else if (reins_import_string_member (object, "id") != NULL &&
           g_strcmp0 (role, "tool") == 0)
    json_object_set_string_member (message, "tool_call_id",
                                   reins_import_string_member (object, "id"));

  parts = json_object_get_member (object, "parts");
  if (parts == NULL || !JSON_NODE_HOLDS_ARRAY (parts))
    parts = json_object_get_member (object, "content");
  if (parts != NULL && JSON_NODE_HOLDS_ARRAY (parts))
    {
      JsonArray *array = json_node_get_array (parts);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *part_node = json_array_get_element (array, i);
          JsonObject *part;
          const char *type;

          if (!JSON_NODE_HOLDS_OBJECT (part_node))
            {
              g_autofree char *text = node_text (part_node);

              append (message, "content", text);
              continue;
            }
          part = json_node_get_object (part_node);
          type = reins_import_string_member (part, "type");
          if (type == NULL || g_str_equal (type, "text") || g_str_equal (type, "output_text") ||
              g_str_equal (type, "input_text"))
            {
              const char *text = reins_import_string_member (part, "content");

              append (message, "content",
                      text != NULL ? text : reins_import_string_member (part, "text"));
            }
          else if (g_str_equal (type, "reasoning") || g_str_equal (type, "thinking"))
            {
              const char *text = reins_import_string_member (part, "content");

              append (message, "reasoning",
                      text != NULL ? text : reins_import_string_member (part, "thinking"));
            }
          else if (g_str_equal (type, "tool_call") || g_str_equal (type, "tool_use") ||
                   g_str_equal (type, "function_call"))
            {
              JsonNode *arguments = json_object_get_member (part, "arguments");

              add_call (message, json_object_get_member (part, "id"),
                        json_object_get_member (part, "name"),
                        arguments != NULL ? arguments : json_object_get_member (part, "input"));
            }
          else if (g_str_equal (type, "tool_call_response") || g_str_equal (type, "tool_result"))
            {
              JsonObject *result = new_message (out, "tool");
              const char *id = reins_import_string_member (part, "id");
              JsonNode *response = json_object_get_member (part, "response");
              g_autofree char *text = NULL;

              if (id == NULL)
                id = reins_import_string_member (part, "tool_use_id");
              if (id != NULL)
                json_object_set_string_member (result, "tool_call_id", id);
              text = node_text (response != NULL ? response
                                                  : json_object_get_member (part, "content"));
              append (result, "content", text);
            }
          else
            {
              g_autofree char *json = reins_json_to_string (part_node, FALSE);

              append (message, "other", json);
            }
        }
    }
  else if (parts != NULL)
    {
      g_autofree char *text = node_text (parts);

      append (message, "content", text);
    }

  calls = json_object_get_member (object, "tool_calls");
  for (guint i = 0; calls != NULL && JSON_NODE_HOLDS_ARRAY (calls) &&
       i < json_array_get_length (json_node_get_array (calls)); i++)
    {
      JsonNode *call_node = json_array_get_element (json_node_get_array (calls), i);
      JsonObject *call, *function;
      JsonNode *fn;

      if (!JSON_NODE_HOLDS_OBJECT (call_node))
        continue;
      call = json_node_get_object (call_node);
      fn = json_object_get_member (call, "function");
      function = fn != NULL && JSON_NODE_HOLDS_OBJECT (fn) ? json_node_get_object (fn) : call;
      add_call (message, json_object_get_member (call, "id"),
                json_object_get_member (function, "name"),
                json_object_get_member (function, "arguments"));
    }
  legacy = json_object_get_member (object, "function_call");
  if (legacy != NULL && JSON_NODE_HOLDS_OBJECT (legacy))
    add_call (message, NULL, json_object_get_member (json_node_get_object (legacy), "name"),
              json_object_get_member (json_node_get_object (legacy), "arguments"));

  /* A tool message whose parts were all responses says nothing of its own. */
  if (json_object_get_size (message) == 1 && json_array_get_length (out) > at + 1)
    json_array_remove_element (out, at);
}

/* A list of messages (or an object with "messages", or one message), added to @out. */
static void
add_json_node (JsonArray  *out,
               JsonNode   *node,
               const char *default_role)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
        add_json_message (out, json_array_get_element (json_node_get_array (node), i),
                          default_role);
    }
  else if (JSON_NODE_HOLDS_OBJECT (node) &&
           json_object_has_member (json_node_get_object (node), "messages"))
    add_json_node (out, json_object_get_member (json_node_get_object (node), "messages"),
                   default_role);
  else
    add_json_message (out, node, default_role);
}

/* The same as JSON text; text that is not JSON is one message's content. */
static gboolean
add_json_text (JsonArray  *out,
               const char *text,
               const char *default_role)
{
  g_autoptr(JsonNode) node = NULL;

  if (text == NULL)
    return FALSE;
  node = reins_import_parse (text, strlen (text), NULL, 1, NULL);
  if (node == NULL)
    append (new_message (out, default_role), "content", text);
  else
    add_json_node (out, node, default_role);
  return TRUE;
}

/* A messages attribute: JSON text, or an array (of JSON texts, or of messages) as some SDKs
 * write it. */
static gboolean
add_attribute (JsonArray  *out,
               JsonObject *attributes,
               const char *key,
               const char *default_role)
{
  JsonNode *node = json_object_get_member (attributes, key);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return add_json_text (out, reins_import_string_member (attributes, key), default_role);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        add_json_text (out, json_node_get_string (element), default_role);
      else
        add_json_node (out, element, default_role);
    }
  return json_array_get_length (array) > 0;
}

static int
compare_indices (gconstpointer a,
                 gconstpointer b)
{
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* `PREFIX.N.rest` attributes gathered per N: N → {rest: value}. */
static GHashTable *
gather (JsonObject *attributes,
        const char *prefix,
        GArray     *indices)
{
  GHashTable *by_index = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                                (GDestroyNotify) json_object_unref);
  gsize length = strlen (prefix);
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  json_object_iter_init (&iter, attributes);
  while (json_object_iter_next (&iter, &key, &value))
    {
      char *end = NULL;
      guint64 index;
      JsonObject *fields;

      if (strncmp (key, prefix, length) != 0 || !g_ascii_isdigit (key[length]))
        continue;
      index = g_ascii_strtoull (key + length, &end, 10);
      if (*end != '.' || index > 100000)
        continue;
      fields = g_hash_table_lookup (by_index, GUINT_TO_POINTER ((guint) index));
      if (fields == NULL)
        {
          guint at = (guint) index;

          fields = json_object_new ();
          g_hash_table_insert (by_index, GUINT_TO_POINTER (at), fields);
          g_array_append_val (indices, at);
        }
      /* OpenInference nests under `message.`; its tool calls under `tool_call.`. */
      end++;
      if (g_str_has_prefix (end, "message."))
        end += strlen ("message.");
      json_object_set_member (fields, end, json_node_copy (value));
    }
  return by_index;
}

/* The flattened `PREFIX.N.*` messages, added to @out. */
static gboolean
add_flattened (JsonArray  *out,
               JsonObject *attributes,
               const char *prefix,
               const char *default_role)
{
  g_autoptr(GArray) indices = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GHashTable) by_index = gather (attributes, prefix, indices);

  if (indices->len == 0)
    return FALSE;
  g_array_sort (indices, compare_indices);
  for (guint i = 0; i < indices->len; i++)
    {
      JsonObject *fields = g_hash_table_lookup (by_index,
                                                GUINT_TO_POINTER (g_array_index (indices, guint, i)));
      const char *role = reins_import_string_member (fields, "role");
      JsonObject *message = new_message (out, role != NULL ? role : default_role);
      g_autoptr(GArray) call_indices = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GHashTable) calls = gather (fields, "tool_calls.", call_indices);
      g_autoptr(GArray) content_indices = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GHashTable) contents = gather (fields, "contents.", content_indices);
      JsonNode *content = json_object_get_member (fields, "content");
      const char *id = reins_import_string_member (fields, "tool_call_id");

      if (content != NULL && JSON_NODE_HOLDS_VALUE (content) &&
          json_node_get_value_type (content) == G_TYPE_STRING)
        {
          const char *text = json_node_get_string (content);
          g_autoptr(JsonNode) parsed = NULL;

          /* Some write the content parts as JSON. */
          if (*text == '[')
            parsed = reins_import_parse (text, strlen (text), NULL, 1, NULL);
          if (parsed != NULL && JSON_NODE_HOLDS_ARRAY (parsed))
            {
              g_autoptr(JsonObject) wrapper = json_object_new ();
              g_autoptr(JsonNode) wrapped = NULL;
              g_autoptr(JsonArray) read = json_array_new ();
              JsonObject *first;

              json_object_set_member (wrapper, "content", g_steal_pointer (&parsed));
              wrapped = json_node_init_object (json_node_alloc (), wrapper);
              add_json_message (read, wrapped, default_role);
              first = json_array_get_object_element (read, 0);
              append (message, "content", reins_import_string_member (first, "content"));
              append (message, "reasoning", reins_import_string_member (first, "reasoning"));
            }
          else
            append (message, "content", text);
        }
      g_array_sort (content_indices, compare_indices);
      for (guint c = 0; c < content_indices->len; c++)
        {
          JsonObject *part = g_hash_table_lookup (contents,
                                                  GUINT_TO_POINTER (g_array_index (content_indices, guint, c)));

          append (message, "content", reins_import_string_member (part, "message_content.text"));
        }
      if (id != NULL)
        json_object_set_string_member (message, "tool_call_id", id);
      g_array_sort (call_indices, compare_indices);
      for (guint c = 0; c < call_indices->len; c++)
        {
          JsonObject *call = g_hash_table_lookup (calls,
                                                  GUINT_TO_POINTER (g_array_index (call_indices, guint, c)));
          JsonNode *name = json_object_get_member (call, "name");
          JsonNode *arguments = json_object_get_member (call, "arguments");
          JsonNode *call_id = json_object_get_member (call, "id");

          if (name == NULL)
            name = json_object_get_member (call, "tool_call.function.name");
          if (arguments == NULL)
            arguments = json_object_get_member (call, "tool_call.function.arguments");
          if (call_id == NULL)
            call_id = json_object_get_member (call, "tool_call.id");
          add_call (message, call_id, name, arguments);
        }
      if (json_object_has_member (fields, "function_call.name"))
        add_call (message, NULL, json_object_get_member (fields, "function_call.name"),
                  json_object_get_member (fields, "function_call.arguments"));
    }
  return TRUE;
}

static const char *
event_role (const char *name,
            gboolean    output)
{
  if (output)
    return g_strcmp0 (name, "gen_ai.choice") == 0 ? "assistant" : NULL;
  if (g_strcmp0 (name, "gen_ai.system.message") == 0)
    return "system";
  if (g_strcmp0 (name, "gen_ai.user.message") == 0)
    return "user";
  if (g_strcmp0 (name, "gen_ai.assistant.message") == 0)
    return "assistant";
  if (g_strcmp0 (name, "gen_ai.tool.message") == 0)
    return "tool";
  return NULL;
}

/* Whether a span event is one of the message events read here. */
gboolean
reins_import_genai_is_message_event (const char *name)
{
  return event_role (name, FALSE) != NULL || event_role (name, TRUE) != NULL ||
         g_strcmp0 (name, "gen_ai.content.prompt") == 0 ||
         g_strcmp0 (name, "gen_ai.content.completion") == 0;
}

static gboolean
add_events (JsonArray  *out,
            JsonObject *span,
            gboolean    output)
{
  JsonNode *events = json_object_get_member (span, "events");
  gboolean found = FALSE;

  for (guint i = 0; events != NULL && JSON_NODE_HOLDS_ARRAY (events) &&
       i < json_array_get_length (json_node_get_array (events)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (events), i);
      g_autoptr(JsonObject) attributes = NULL;
      const char *name, *role, *body;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      name = reins_import_string_member (json_node_get_object (node), "name");
      attributes = reins_otlp_attributes (json_node_get_object (node));
      if (g_strcmp0 (name, output ? "gen_ai.content.completion" : "gen_ai.content.prompt") == 0)
        {
          found |= add_json_text (out, reins_import_string_member (attributes,
                                                                   output ? "gen_ai.completion"
                                                                          : "gen_ai.prompt"),
                                  output ? "assistant" : "user");
          continue;
        }
      role = event_role (name, output);
      if (role == NULL)
        continue;
      found = TRUE;
      body = reins_import_string_member (attributes, "gen_ai.event.content");
      if (body != NULL)
        add_json_text (out, body, role);
      else
        {
          /* The body's members as attributes; tool_calls and message as JSON text. */
          g_autoptr(JsonObject) object = json_object_new ();
          g_autoptr(JsonNode) wrapped = NULL;
          JsonObjectIter iter;
          const char *key;
          JsonNode *value;

          json_object_iter_init (&iter, attributes);
          while (json_object_iter_next (&iter, &key, &value))
            {
              const char *text = JSON_NODE_HOLDS_VALUE (value) &&
                                 json_node_get_value_type (value) == G_TYPE_STRING ?
                                 json_node_get_string (value) : NULL;
              JsonNode *parsed = NULL;

              if (text != NULL && (g_str_equal (key, "tool_calls") || g_str_equal (key, "message")))
                parsed = reins_import_parse (text, strlen (text), NULL, 1, NULL);
              json_object_set_member (object, key, parsed != NULL ? parsed : json_node_copy (value));
            }
          if (!json_object_has_member (object, "role"))
            json_object_set_string_member (object, "role", role);
          wrapped = json_node_init_object (json_node_alloc (), object);
          add_json_message (out, wrapped, role);
        }
    }
  return found;
}

/**
 * reins_import_genai_parse:
 * @text: JSON of messages (or of one), or plain text
 * @role: the role of a message that names none
 *
 * Returns: (transfer full): the plain messages
 */
JsonArray *
reins_import_genai_parse (const char *text,
                          const char *role)
{
  JsonArray *out = json_array_new ();

  add_json_text (out, text, role);
  return out;
}

/**
 * reins_import_genai_messages:
 * @span: the span (for its events)
 * @attributes: its attributes
 * @output: the model's output rather than its input
 *
 * Returns: (transfer full): the plain messages, in order; empty when the span has none
 */
JsonArray *
reins_import_genai_messages (JsonObject *span,
                             JsonObject *attributes,
                             gboolean    output)
{
  JsonArray *out = json_array_new ();
  const char *role = output ? "assistant" : "user";

  if (add_attribute (out, attributes, output ? "gen_ai.output.messages" : "gen_ai.input.messages",
                     role))
    return out;
  if (add_flattened (out, attributes, output ? "gen_ai.completion." : "gen_ai.prompt.", role))
    return out;
  if (add_flattened (out, attributes, output ? "llm.output_messages." : "llm.input_messages.",
                     role))
    return out;
  if (add_attribute (out, attributes, output ? "gen_ai.completion" : "gen_ai.prompt", role))
    return out;
  if (span != NULL)
    add_events (out, span, output);
  return out;
}

/**
 * reins_import_genai_find:
 * @messages: plain messages
 * @role: (nullable): the role wanted, any when %NULL
 * @last: the last message of @role rather than the first
 *
 * Returns: (transfer none) (nullable): that message, or %NULL
 */
JsonObject *
reins_import_genai_find (JsonArray  *messages,
                         const char *role,
                         gboolean    last)
{
  JsonObject *found = NULL;

  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonObject *message = json_array_get_object_element (messages, i);

      if (role != NULL && g_strcmp0 (reins_import_string_member (message, "role"), role) != 0)
        continue;
      found = message;
      if (!last)
        break;
    }
  return found;
}
