/* reins-import-chat.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Conversations in the shape of the OpenAI Chat Completions and Anthropic Messages APIs.
 * OpenAI: an assistant message's `tool_calls` (one step per call, in order, so parallel
 * calls stay apart) paired with the `tool` messages by `tool_call_id`. Anthropic: `tool_use`
 * blocks paired with `tool_result` blocks by id, `thinking` blocks as the step's thought.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "reins-error.h"
#include "reins-import-private.h"
#include "reins-json-util.h"

static JsonArray *
member_array (JsonObject *object,
              const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static void
append_text (GString    *out,
             const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  if (out->len > 0)
    g_string_append (out, "\n\n");
  g_string_append (out, text);
}

static char *
steal_or_null (GString *text)
{
  if (text->len == 0)
    {
      g_string_free (text, TRUE);
      return NULL;
    }
  return g_string_free (text, FALSE);
}

/* A part that is not text, for a note: its JSON, cut short (an image is kilobytes of
 * base64 that tells a reader nothing). */
static char *
note_json (JsonNode *node)
{
  g_autofree char *json = reins_json_to_string (node, FALSE);

  if (strlen (json) > 200)
    {
      const char *end = g_utf8_find_prev_char (json, json + 200);

      return g_strdup_printf ("%.*s…", (int) (end - json), json);
    }
  return g_steal_pointer (&json);
}

/* The text of a content member: a string, or an array of parts or blocks whose `text` (or
 * `refusal`) is kept; other parts (images, audio…) become notes. */
char *
reins_import_chat_text (ReinsImportBuilder *builder,
                        JsonNode           *content,
                        const char         *role)
{
  GString *out = g_string_new (NULL);

  if (content == NULL || JSON_NODE_HOLDS_NULL (content))
    return steal_or_null (out);
  if (JSON_NODE_HOLDS_VALUE (content) && json_node_get_value_type (content) == G_TYPE_STRING)
    {
      g_string_append (out, json_node_get_string (content));
      return steal_or_null (out);
    }
  if (JSON_NODE_HOLDS_ARRAY (content))
    {
      JsonArray *parts = json_node_get_array (content);

      for (guint i = 0; i < json_array_get_length (parts); i++)
        {
          JsonNode *part = json_array_get_element (parts, i);
          const char *text = NULL;

          if (JSON_NODE_HOLDS_OBJECT (part))
            {
              text = reins_import_string_member (json_node_get_object (part), "text");
              if (text == NULL)
                text = reins_import_string_member (json_node_get_object (part), "refusal");
            }
          else if (JSON_NODE_HOLDS_VALUE (part) && json_node_get_value_type (part) == G_TYPE_STRING)
            text = json_node_get_string (part);
          if (text != NULL)
            append_text (out, text);
          else
            {
              g_autofree char *json = note_json (part);

              reins_import_builder_note (builder, _("A part of a %s message is not text: %s"),
                                         role, json);
            }
        }
      return steal_or_null (out);
    }
  /* A tool's result may be any JSON: it is the result all the same. */
  if (g_str_equal (role, "tool") || g_str_equal (role, "function") ||
      g_str_equal (role, "tool_result"))
    {
      g_string_free (out, TRUE);
      return reins_json_to_string (content, FALSE);
    }
  {
    g_autofree char *json = note_json (content);

    reins_import_builder_note (builder, _("The content of a %s message is not text: %s"),
                               role, json);
  }
  return steal_or_null (out);
}

static void
read_usage (ReinsStep  *step,
            JsonObject *message)
{
  JsonNode *node = json_object_get_member (message, "usage");
  JsonObject *usage;
  gint64 in, out;

  if (step == NULL || node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  usage = json_node_get_object (node);
  /* OpenAI counts cached prompt tokens inside prompt_tokens; Anthropic's input_tokens leaves
   * out what was read from or written to its cache. */
  in = reins_import_int_member (usage, "prompt_tokens", -1);
  if (in < 0)
    in = MAX (reins_import_int_member (usage, "input_tokens", 0), 0) +
         MAX (reins_import_int_member (usage, "cache_read_input_tokens", 0), 0) +
         MAX (reins_import_int_member (usage, "cache_creation_input_tokens", 0), 0);
  out = reins_import_int_member (usage, "completion_tokens", -1);
  if (out < 0)
    out = reins_import_int_member (usage, "output_tokens", 0);
  reins_step_set_tokens (step, MAX (in, 0), MAX (out, 0));
}

/* The thought and the text of one assistant message go on its first step. */
static void
set_words (ReinsStep  *step,
           const char *thinking,
           const char *text)
{
  reins_step_set_thought (step, thinking != NULL ? thinking : text);
  reins_step_set_reply (step, text);
}

/* JSON encoded twice: a string whose text is JSON again. */
static void
decode_again (JsonNode **node)
{
  const char *text = json_node_get_string (*node);
  JsonNode *inner = reins_import_parse (text, strlen (text), NULL, 0, NULL);

  if (inner == NULL || !JSON_NODE_HOLDS_OBJECT (inner))
    {
      g_clear_pointer (&inner, json_node_unref);
      return;
    }
  json_node_unref (*node);
  *node = inner;
}

/* A call's arguments: an object, or a string of JSON (sometimes encoded twice, sometimes
 * empty for a call without arguments); text that is not JSON is kept, with a note. */
JsonNode *
reins_import_call_arguments (ReinsImportBuilder *builder,
                             JsonNode           *node,
                             const char         *call_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  const char *text;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return json_node_copy (node);
  text = json_node_get_string (node);
  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    return NULL;
  parsed = reins_import_parse (text, strlen (text), NULL, 0, &error);
  if (parsed == NULL)
    {
      reins_import_builder_note (builder, _("The arguments of the call “%s” are not JSON (%s)."),
                                 call_id != NULL ? call_id : "", error->message);
      return json_node_copy (node);
    }
  if (JSON_NODE_HOLDS_VALUE (parsed) && json_node_get_value_type (parsed) == G_TYPE_STRING)
    decode_again (&parsed);
  return g_steal_pointer (&parsed);
}

static gboolean
openai_assistant (ReinsImportBuilder *builder,
                  JsonObject         *message)
{
  g_autofree char *text = reins_import_chat_text (builder,
                                                  json_object_get_member (message, "content"),
                                                  "assistant");
  const char *reasoning = reins_import_string_member (message, "reasoning_content");
  const char *refusal = reins_import_string_member (message, "refusal");
  JsonArray *calls = member_array (message, "tool_calls");
  JsonNode *legacy = json_object_get_member (message, "function_call");
  ReinsStep *first = NULL;

  if (reasoning == NULL)
    reasoning = reins_import_string_member (message, "reasoning");
  /* A refusal is what the model said instead of an answer. */
  if (refusal != NULL && *refusal != '\0')
    {
      if (text == NULL)
        text = g_strdup (refusal);
      else if (strstr (text, refusal) == NULL)
        {
          g_autofree char *both = g_strconcat (text, "\n\n", refusal, NULL);

          g_free (text);
          text = g_steal_pointer (&both);
        }
      reins_import_builder_note (builder, _("The model refused: %s"), refusal);
    }

  for (guint i = 0; calls != NULL && i < json_array_get_length (calls); i++)
    {
      JsonNode *node = json_array_get_element (calls, i);
      JsonObject *call, *function;
      JsonNode *fn;
      g_autoptr(JsonNode) arguments = NULL;
      ReinsStep *step;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          reins_import_builder_note (builder, _("A tool call is not an object."));
          continue;
        }
      call = json_node_get_object (node);
      fn = json_object_get_member (call, "function");
      if (fn == NULL || !JSON_NODE_HOLDS_OBJECT (fn))
        {
          g_autofree char *json = note_json (node);

          reins_import_builder_note (builder, _("A tool call without a function: %s"), json);
          continue;
        }
      function = json_node_get_object (fn);
      arguments = reins_import_call_arguments (builder,
                                               json_object_get_member (function, "arguments"),
                                               reins_import_string_member (call, "id"));
      step = reins_import_builder_tool_call (builder, reins_import_string_member (function, "name"),
                                             arguments, reins_import_string_member (call, "id"));
      if (first == NULL)
        first = step;
    }

  if (legacy != NULL && JSON_NODE_HOLDS_OBJECT (legacy))
    {
      JsonObject *function = json_node_get_object (legacy);
      g_autoptr(JsonNode) arguments = NULL;
      ReinsStep *step;

      arguments = reins_import_call_arguments (builder,
                                               json_object_get_member (function, "arguments"),
                                               "function_call");
      step = reins_import_builder_tool_call (builder, reins_import_string_member (function, "name"),
                                             arguments, "function_call");
      if (first == NULL)
        first = step;
    }

  if (first == NULL)
    first = reins_import_builder_add_step (builder);
  set_words (first, reasoning, text);
  read_usage (first, message);
  return TRUE;
}

static gboolean
read_openai (ReinsImportBuilder  *builder,
             JsonObject          *message,
             const char          *role)
{
  if (g_str_equal (role, "assistant"))
    return openai_assistant (builder, message);

  if (g_str_equal (role, "tool") || g_str_equal (role, "function"))
    {
      g_autofree char *text = reins_import_chat_text (builder,
                                                      json_object_get_member (message, "content"),
                                                      role);
      const char *id = reins_import_string_member (message, "tool_call_id");

      if (id == NULL && g_str_equal (role, "function"))
        id = "function_call";
      /* A log that left the id out: the oldest call of that name still waiting. */
      if (id == NULL || !g_hash_table_contains (builder->pending, id))
        {
          const char *by_name = reins_import_builder_waiting_call (builder,
                                                                   reins_import_string_member (message, "name"));

          if (by_name != NULL && (id == NULL || g_str_equal (id, "function_call")))
            id = by_name;
        }
      reins_import_builder_tool_result (builder, id, text, FALSE);
      return TRUE;
    }

  {
    g_autofree char *text = reins_import_chat_text (builder,
                                                    json_object_get_member (message, "content"),
                                                    role);

    if (g_str_equal (role, "user"))
      reins_import_builder_user_turn (builder, text != NULL ? text : "");
    else if (g_str_equal (role, "system") || g_str_equal (role, "developer"))
      reins_import_builder_system (builder, text);
    else
      reins_import_builder_note (builder, _("A %s message is not imported: %s"), role,
                                 text != NULL ? text : "");
  }
  return TRUE;
}

static char *
block_text (ReinsImportBuilder *builder,
            JsonObject         *block)
{
  return reins_import_chat_text (builder, json_object_get_member (block, "content"), "tool_result");
}

static gboolean
read_anthropic (ReinsImportBuilder *builder,
                JsonObject         *message,
                const char         *role)
{
  JsonNode *content = json_object_get_member (message, "content");
  JsonArray *blocks;
  g_autoptr(GString) thinking = g_string_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  ReinsStep *first = NULL;

  if (content == NULL || !JSON_NODE_HOLDS_ARRAY (content))
    return read_openai (builder, message, role);

  blocks = json_node_get_array (content);
  for (guint i = 0; i < json_array_get_length (blocks); i++)
    {
      JsonNode *node = json_array_get_element (blocks, i);
      JsonObject *block;
      const char *type;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          reins_import_builder_note (builder, _("A content block is not an object."));
          continue;
        }
      block = json_node_get_object (node);
      type = reins_import_string_member (block, "type");
      if (g_strcmp0 (type, "text") == 0)
        append_text (text, reins_import_string_member (block, "text"));
      else if (g_strcmp0 (type, "thinking") == 0)
        append_text (thinking, reins_import_string_member (block, "thinking"));
      else if (g_strcmp0 (type, "tool_use") == 0 && g_str_equal (role, "assistant"))
        {
          ReinsStep *step = reins_import_builder_tool_call (builder, reins_import_string_member (block, "name"),
                                                            json_object_get_member (block, "input"),
                                                            reins_import_string_member (block, "id"));
          if (first == NULL)
            first = step;
        }
      else if (g_strcmp0 (type, "tool_result") == 0 && g_str_equal (role, "user"))
        {
          g_autofree char *result = block_text (builder, block);
          gboolean is_error = json_object_get_boolean_member_with_default (block, "is_error",
                                                                           FALSE);

          reins_import_builder_tool_result (builder, reins_import_string_member (block, "tool_use_id"),
                                            result, is_error);
        }
      else
        {
          g_autofree char *json = note_json (node);

          reins_import_builder_note (builder, _("A “%s” block of a %s message is not "
                                                "imported: %s"),
                                     type != NULL ? type : "", role, json);
        }
    }

  if (g_str_equal (role, "assistant"))
    {
      if (first == NULL && (text->len > 0 || thinking->len > 0))
        first = reins_import_builder_add_step (builder);
      if (first != NULL)
        {
          set_words (first, thinking->len > 0 ? thinking->str : NULL,
                     text->len > 0 ? text->str : NULL);
          read_usage (first, message);
        }
    }
  else if (g_str_equal (role, "user"))
    {
      if (text->len > 0)
        reins_import_builder_user_turn (builder, text->str);
    }
  else if (g_str_equal (role, "system") || g_str_equal (role, "developer"))
    reins_import_builder_system (builder, text->str);
  else
    reins_import_builder_note (builder, _("A %s message is not imported: %s"), role, text->str);
  return TRUE;
}

/* Whether the messages use Anthropic's content blocks. */
gboolean
reins_import_chat_looks_anthropic (JsonArray *messages)
{
  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonNode *node = json_array_get_element (messages, i);
      JsonArray *blocks;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      blocks = member_array (json_node_get_object (node), "content");
      for (guint j = 0; blocks != NULL && j < json_array_get_length (blocks); j++)
        {
          JsonNode *block = json_array_get_element (blocks, j);
          const char *type;

          if (!JSON_NODE_HOLDS_OBJECT (block))
            continue;
          type = reins_import_string_member (json_node_get_object (block), "type");
          if (g_strcmp0 (type, "tool_use") == 0 || g_strcmp0 (type, "tool_result") == 0 ||
              g_strcmp0 (type, "thinking") == 0 || g_strcmp0 (type, "redacted_thinking") == 0)
            return TRUE;
        }
    }
  return FALSE;
}

gboolean
reins_import_chat_read (ReinsImportBuilder  *builder,
                        JsonArray           *messages,
                        gboolean             anthropic,
                        GError             **error)
{
  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonNode *node = json_array_get_element (messages, i);
      JsonObject *message;
      const char *role;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                       _("message %u is not an object"), i + 1);
          return FALSE;
        }
      message = json_node_get_object (node);
      role = reins_import_string_member (message, "role");
      if (role == NULL)
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                       _("message %u has no “role”"), i + 1);
          return FALSE;
        }
      if (anthropic)
        read_anthropic (builder, message, role);
      else
        read_openai (builder, message, role);
    }
  return TRUE;
}
