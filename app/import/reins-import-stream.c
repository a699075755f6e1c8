/* reins-import-stream.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Streamed replies put back together: a log of OpenAI `chat.completion.chunk` objects (text,
 * reasoning, refusal and tool-call arguments arrive in pieces, tool calls by `index`), or of
 * Anthropic Messages stream events (`message_start`, `content_block_start|delta|stop`,
 * `message_delta`, `message_stop`). The result is the one message the stream carried, in
 * the shape the conversation readers know.
 */

#include "config.h"

#include <string.h>

#include "reins-import-private.h"
#include "reins-json-util.h"

struct _ReinsImportStream
{
  char       *id;
  gboolean    anthropic;
  gboolean    started;
  gboolean    stopped;
  GString    *content;
  GString    *reasoning;
  GString    *refusal;
  GPtrArray  *calls;     /* (element-type JsonObject) OpenAI calls by index */
  GPtrArray  *arguments; /* (element-type GString) their arguments so far */
  GPtrArray  *blocks;    /* (element-type JsonObject) Anthropic blocks by index */
  GPtrArray  *partial;   /* (element-type GString) their partial JSON input */
  JsonObject *usage;
};

static const char * const anthropic_events[] = {
  "message_start", "content_block_start", "content_block_delta", "content_block_stop",
  "message_delta", "message_stop", "ping", NULL
};

/* Whether a JSON Lines object is a piece of a streamed reply rather than a conversation. */
gboolean
reins_import_stream_is_chunk (JsonObject *object)
{
  const char *type = reins_import_string_member (object, "type");

  if (g_strcmp0 (reins_import_string_member (object, "object"), "chat.completion.chunk") == 0)
    return TRUE;
  return type != NULL && g_strv_contains (anthropic_events, type) &&
         !json_object_has_member (object, "messages");
}

static void
free_string (gpointer data)
{
  g_string_free (data, TRUE);
}

ReinsImportStream *
reins_import_stream_new (void)
{
  ReinsImportStream *self = g_new0 (ReinsImportStream, 1);

  self->content = g_string_new (NULL);
  self->reasoning = g_string_new (NULL);
  self->refusal = g_string_new (NULL);
  self->calls = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->arguments = g_ptr_array_new_with_free_func (free_string);
  self->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->partial = g_ptr_array_new_with_free_func (free_string);
  return self;
}

void
reins_import_stream_free (ReinsImportStream *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_string_free (self->content, TRUE);
  g_string_free (self->reasoning, TRUE);
  g_string_free (self->refusal, TRUE);
  g_ptr_array_unref (self->calls);
  g_ptr_array_unref (self->arguments);
  g_ptr_array_unref (self->blocks);
  g_ptr_array_unref (self->partial);
  g_clear_pointer (&self->usage, json_object_unref);
  g_free (self);
}

static void
append_member (GString    *out,
               JsonObject *object,
               const char *member)
{
  const char *text = reins_import_string_member (object, member);

  if (text != NULL)
    g_string_append (out, text);
}

/* Usage arrives whole (OpenAI's last chunk) or in parts (Anthropic's start and delta). */
static void
merge_usage (ReinsImportStream *self,
             JsonObject        *usage)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;

  if (usage == NULL)
    return;
  if (self->usage == NULL)
    self->usage = json_object_new ();
  json_object_iter_init (&iter, usage);
  while (json_object_iter_next (&iter, &member, &value))
    if (!JSON_NODE_HOLDS_NULL (value))
      json_object_set_member (self->usage, member, json_node_copy (value));
}

/* The slot @index of @objects and @strings, grown with fresh ones as needed; @ok is %FALSE
 * when the index is out of any sensible range. */
static guint
slot (GPtrArray *objects,
      GPtrArray *strings,
      gint64     index,
      gboolean  *ok)
{
  *ok = index >= 0 && index < 1024;
  if (!*ok)
    return 0;
  while (objects->len <= (guint) index)
    {
      g_ptr_array_add (objects, json_object_new ());
      g_ptr_array_add (strings, g_string_new (NULL));
    }
  return (guint) index;
}

static void
add_openai (ReinsImportStream *self,
            JsonObject        *chunk)
{
  JsonNode *choices = json_object_get_member (chunk, "choices");

  merge_usage (self, reins_import_object_member (chunk, "usage"));
  for (guint i = 0; choices != NULL && JSON_NODE_HOLDS_ARRAY (choices) &&
       i < json_array_get_length (json_node_get_array (choices)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (choices), i);
      JsonObject *choice, *delta, *legacy;
      JsonNode *calls;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      choice = json_node_get_object (node);
      /* Only the first choice: n > 1 streams are several replies, not one. */
      if (reins_import_int_member (choice, "index", 0) != 0)
        continue;
      delta = reins_import_object_member (choice, "delta");
      if (delta == NULL)
        continue;
      append_member (self->content, delta, "content");
      append_member (self->reasoning, delta, "reasoning_content");
      append_member (self->reasoning, delta, "reasoning");
      append_member (self->refusal, delta, "refusal");
      calls = json_object_get_member (delta, "tool_calls");
      for (guint c = 0; calls != NULL && JSON_NODE_HOLDS_ARRAY (calls) &&
           c < json_array_get_length (json_node_get_array (calls)); c++)
        {
          JsonNode *call_node = json_array_get_element (json_node_get_array (calls), c);
          JsonObject *piece, *call, *function;
          gboolean ok;
          guint at;

          if (!JSON_NODE_HOLDS_OBJECT (call_node))
            continue;
          piece = json_node_get_object (call_node);
          at = slot (self->calls, self->arguments, reins_import_int_member (piece, "index", c),
                     &ok);
          if (!ok)
            continue;
          call = g_ptr_array_index (self->calls, at);
          if (reins_import_string_member (piece, "id") != NULL)
            json_object_set_string_member (call, "id", reins_import_string_member (piece, "id"));
          function = reins_import_object_member (piece, "function");
          if (function != NULL && reins_import_string_member (function, "name") != NULL)
            json_object_set_string_member (call, "name",
                                           reins_import_string_member (function, "name"));
          if (function != NULL)
            append_member (g_ptr_array_index (self->arguments, at), function, "arguments");
        }
      legacy = reins_import_object_member (delta, "function_call");
      if (legacy != NULL)
        {
          gboolean ok;
          guint at = slot (self->calls, self->arguments, 0, &ok);
          JsonObject *call = g_ptr_array_index (self->calls, at);

          if (reins_import_string_member (legacy, "name") != NULL)
            json_object_set_string_member (call, "name",
                                           reins_import_string_member (legacy, "name"));
          append_member (g_ptr_array_index (self->arguments, at), legacy, "arguments");
        }
      if (reins_import_string_member (choice, "finish_reason") != NULL)
        self->stopped = TRUE;
    }
}

static void
add_anthropic (ReinsImportStream *self,
               JsonObject        *event,
               const char        *type)
{
  gint64 index = reins_import_int_member (event, "index", -1);
  gboolean ok;
  guint at;

  if (g_str_equal (type, "message_start"))
    merge_usage (self, reins_import_object_member (reins_import_object_member (event, "message"), "usage"));
  else if (g_str_equal (type, "message_delta"))
    merge_usage (self, reins_import_object_member (event, "usage"));
  else if (g_str_equal (type, "message_stop"))
    self->stopped = TRUE;
  else if (g_str_equal (type, "content_block_start"))
    {
      JsonObject *block = reins_import_object_member (event, "content_block");

      at = slot (self->blocks, self->partial, index, &ok);
      if (ok && block != NULL)
        {
          json_object_unref (g_ptr_array_index (self->blocks, at));
          g_ptr_array_index (self->blocks, at) = reins_json_object_deep_copy (block);
        }
    }
  else if (g_str_equal (type, "content_block_delta"))
    {
      JsonObject *delta = reins_import_object_member (event, "delta");
      const char *kind = delta != NULL ? reins_import_string_member (delta, "type") : NULL;
      JsonObject *block;
      const char *member = NULL, *piece = NULL;

      at = slot (self->blocks, self->partial, index, &ok);
      if (!ok || kind == NULL)
        return;
      block = g_ptr_array_index (self->blocks, at);
      if (g_str_equal (kind, "text_delta"))
        member = "text";
      else if (g_str_equal (kind, "thinking_delta"))
        member = "thinking";
      else if (g_str_equal (kind, "input_json_delta"))
        {
          append_member (g_ptr_array_index (self->partial, at), delta, "partial_json");
          return;
        }
      if (member == NULL || (piece = reins_import_string_member (delta, member)) == NULL)
        return;
      {
        g_autofree char *both = g_strconcat (reins_import_string_member (block, member) != NULL ?
                                             reins_import_string_member (block, member) : "",
                                             piece, NULL);

        json_object_set_string_member (block, member, both);
        if (!json_object_has_member (block, "type"))
          json_object_set_string_member (block, "type", member);
      }
    }
}

/**
 * reins_import_stream_add:
 *
 * Returns: %FALSE when @chunk starts another reply; it is then not taken
 */
gboolean
reins_import_stream_add (ReinsImportStream *self,
                         JsonObject        *chunk)
{
  const char *type = reins_import_string_member (chunk, "type");
  const char *id = reins_import_string_member (chunk, "id");
  gboolean anthropic = type != NULL && g_strv_contains (anthropic_events, type);

  if (self->started && anthropic != self->anthropic)
    return FALSE;
  if (anthropic)
    {
      if (self->started && g_str_equal (type, "message_start"))
        return FALSE;
      self->anthropic = TRUE;
      self->started = TRUE;
      add_anthropic (self, chunk, type);
      return TRUE;
    }
  if (self->started && id != NULL && self->id != NULL && !g_str_equal (id, self->id))
    return FALSE;
  if (self->id == NULL)
    self->id = g_strdup (id);
  self->started = TRUE;
  add_openai (self, chunk);
  return TRUE;
}

/**
 * reins_import_stream_finish:
 *
 * Returns: (transfer full): the assistant message the stream carried
 */
JsonNode *
reins_import_stream_finish (ReinsImportStream *self)
{
  g_autoptr(JsonObject) message = json_object_new ();

  json_object_set_string_member (message, "role", "assistant");
  if (self->anthropic)
    {
      JsonArray *blocks = json_array_new ();

      for (guint i = 0; i < self->blocks->len; i++)
        {
          JsonObject *block = g_ptr_array_index (self->blocks, i);
          GString *partial = g_ptr_array_index (self->partial, i);

          if (json_object_get_size (block) == 0)
            continue;
          if (partial->len > 0)
            {
              g_autoptr(JsonNode) input = reins_import_parse (partial->str, partial->len, NULL,
                                                               1, NULL);

              json_object_set_member (block, "input",
                                      input != NULL ? g_steal_pointer (&input)
                                                    : json_node_init_string (json_node_alloc (),
                                                                             partial->str));
            }
          json_array_add_object_element (blocks, json_object_ref (block));
        }
      json_object_set_array_member (message, "content", blocks);
    }
  else
    {
      JsonArray *calls = json_array_new ();

      json_object_set_string_member (message, "content", self->content->len > 0 ?
                                     self->content->str : NULL);
      if (self->reasoning->len > 0)
        json_object_set_string_member (message, "reasoning_content", self->reasoning->str);
      if (self->refusal->len > 0)
        json_object_set_string_member (message, "refusal", self->refusal->str);
      for (guint i = 0; i < self->calls->len; i++)
        {
          JsonObject *piece = g_ptr_array_index (self->calls, i);
          JsonObject *call = json_object_new ();
          JsonObject *function = json_object_new ();

          if (json_object_get_size (piece) == 0)
            {
              json_object_unref (call);
              json_object_unref (function);
              continue;
            }
          if (reins_import_string_member (piece, "id") != NULL)
            json_object_set_string_member (call, "id", reins_import_string_member (piece, "id"));
          json_object_set_string_member (call, "type", "function");
          json_object_set_string_member (function, "name",
                                         reins_import_string_member (piece, "name"));
          json_object_set_string_member (function, "arguments",
                                         ((GString *) g_ptr_array_index (self->arguments, i))->str);
          json_object_set_object_member (call, "function", function);
          json_array_add_object_element (calls, call);
        }
      if (json_array_get_length (calls) > 0)
        json_object_set_array_member (message, "tool_calls", calls);
      else
        json_array_unref (calls);
    }
  if (self->usage != NULL)
    json_object_set_object_member (message, "usage", json_object_ref (self->usage));
  return json_node_init_object (json_node_alloc (), message);
}
