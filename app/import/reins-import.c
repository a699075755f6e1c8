/* reins-import.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading the documents of a trace: JSON from outside parsed with bounds (an error names its
 * line and position), and a document (a conversation, an array of messages or of
 * conversations, a logged request and response, or OTLP/JSON) told apart and read into runs.
 * Reading files and folders line by line is in reins-import-file.c.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "reins-error.h"
#include "reins-import-private.h"
#include "reins-json-util.h"

static void
position_of (const char *text,
             const char *at,
             guint       first_line,
             guint      *line,
             guint      *column)
{
  *line = first_line;
  *column = 1;
  for (const char *p = text; p < at; p++)
    {
      if (*p == '\n')
        {
          (*line)++;
          *column = 1;
        }
      else
        (*column)++;
    }
}

/* An error naming @file (or, without it, the text's line) and the position in it. */
void
reins_import_set_position_error (GError     **error,
                                 const char  *file,
                                 guint        line,
                                 guint        column,
                                 const char  *message)
{
  if (file != NULL)
    g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA, _("%s:%u:%u: %s"),
                 file, line, column, message);
  else
    g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA, _("line %u, position %u: %s"),
                 line, column, message);
}

/**
 * reins_import_parse:
 * @file: (nullable): the file's name for the error
 * @first_line: the line of the file @text starts on
 *
 * JSON from outside, bounded: valid UTF-8, at most %REINS_IMPORT_MAX_DOCUMENT bytes, nested
 * at most %REINS_IMPORT_MAX_DEPTH deep. An error names the line and the position.
 *
 * Returns: (transfer full): the document
 */
JsonNode *
reins_import_parse (const char  *text,
                    gsize        length,
                    const char  *file,
                    guint        first_line,
                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *end = NULL;
  gboolean in_string = FALSE, escaped = FALSE;
  guint depth = 0, line, column;
  JsonNode *root;

  if (first_line == 0)
    first_line = 1;
  if (length > REINS_IMPORT_MAX_DOCUMENT)
    {
      reins_import_set_position_error (error, file, first_line, 1, _("the document is too large"));
      return NULL;
    }
  if (!g_utf8_validate_len (text, length, &end))
    {
      position_of (text, end, first_line, &line, &column);
      reins_import_set_position_error (error, file, line, column, _("the text is not valid UTF-8"));
      return NULL;
    }

  for (const char *p = text; p < text + length; p++)
    {
      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (*p == '\\')
            escaped = TRUE;
          else if (*p == '"')
            in_string = FALSE;
        }
      else if (*p == '"')
        in_string = TRUE;
      else if (*p == '[' || *p == '{')
        {
          if (++depth > REINS_IMPORT_MAX_DEPTH)
            {
              g_autofree char *message =
                g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "JSON nested deeper than %d level",
                                              "JSON nested deeper than %d levels",
                                              REINS_IMPORT_MAX_DEPTH),
                                 REINS_IMPORT_MAX_DEPTH);

              position_of (text, p, first_line, &line, &column);
              reins_import_set_position_error (error, file, line, column, message);
              return NULL;
            }
        }
      else if ((*p == ']' || *p == '}') && depth > 0)
        depth--;
    }

  /* The scan above only places the error; the shared reader refuses whatever else json-glib
   * would choke or leak on (its comments, several values, broken escapes). */
  root = reins_json_parse_bounded (text, (gssize) length, REINS_IMPORT_MAX_DEPTH, &local_error);
  if (root == NULL)
    {
      const char *at = local_error != NULL ? strstr (local_error->message, "<data>:") : NULL;
      int consumed = 0;
      guint l = 0, c = 0;

      /* JSON-GLib says "<data>:LINE:COLUMN: Parse error: …" (after the reader's own words). */
      if (at != NULL && sscanf (at, "<data>:%u:%u: %n", &l, &c, &consumed) == 2 && consumed > 0)
        reins_import_set_position_error (error, file, first_line + l - 1, c, at + consumed);
      else
        reins_import_set_position_error (error, file, first_line, 1,
                                         local_error != NULL ? local_error->message
                                                             : _("the document is empty"));
      return NULL;
    }
  return root;
}

/* A copy with the members of every object in order of name, so that the digest does not
 * depend on how a file lays a conversation out. */
static JsonNode *
canonical_copy (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(JsonObject) copy = json_object_new ();
      g_autoptr(GList) members = g_list_sort (json_object_get_members (object),
                                              (GCompareFunc) g_strcmp0);

      for (const GList *l = members; l != NULL; l = l->next)
        json_object_set_member (copy, l->data,
                                canonical_copy (json_object_get_member (object, l->data)));
      return json_node_init_object (json_node_alloc (), copy);
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(JsonArray) copy = json_array_sized_new (json_array_get_length (array));

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (copy, canonical_copy (json_array_get_element (array, i)));
      return json_node_init_array (json_node_alloc (), copy);
    }
  return json_node_copy (node);
}

char *
reins_import_digest (JsonNode *node)
{
  g_autoptr(JsonNode) canonical = canonical_copy (node);
  g_autofree char *text = reins_json_to_string (canonical, FALSE);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

static const char * const conversation_members[] = {
  "messages", "model", "system", "tools", "response", NULL
};

/* A logged completion with its request's messages: what the response says besides. */
static const char * const response_members[] = {
  "messages", "model", "system", "tools", "choices", "usage", "object", "id", "created",
  "system_fingerprint", NULL
};

static gboolean
read_tools (ReinsImportBuilder *builder,
            JsonObject         *object)
{
  JsonNode *node = json_object_get_member (object, "tools");

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *tool = json_array_get_element (json_node_get_array (node), i);
      JsonObject *object_tool, *function;
      const char *name = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (tool))
        continue;
      object_tool = json_node_get_object (tool);
      if (json_object_has_member (object_tool, "function") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (object_tool, "function")))
        {
          function = json_object_get_object_member (object_tool, "function");
          name = json_object_get_string_member_with_default (function, "name", NULL);
        }
      else
        name = json_object_get_string_member_with_default (object_tool, "name", NULL);
      if (name != NULL)
        json_array_add_string_element (builder->tools, name);
    }
  return TRUE;
}

static gboolean
has_messages (JsonObject *object)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, "messages") : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node);
}

/* The one reply a list of stream chunks carries, or %NULL when @array is not chunks. */
static JsonNode *
stream_message (JsonArray *array)
{
  g_autoptr(ReinsImportStream) stream = NULL;
  JsonNode *first = json_array_get_length (array) > 0 ? json_array_get_element (array, 0) : NULL;

  if (first == NULL || !JSON_NODE_HOLDS_OBJECT (first) ||
      !reins_import_stream_is_chunk (json_node_get_object (first)))
    return NULL;
  stream = reins_import_stream_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *chunk = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (chunk) &&
          reins_import_stream_is_chunk (json_node_get_object (chunk)))
        reins_import_stream_add (stream, json_node_get_object (chunk));
    }
  return reins_import_stream_finish (stream);
}

/* The reply a logged response holds, as a message: OpenAI's first choice (with the
 * response's usage), Anthropic's message itself, or what a list of stream chunks says. */
static JsonNode *
response_message (ReinsImportBuilder *builder,
                  JsonNode           *node)
{
  JsonObject *response, *message;
  JsonNode *choices, *usage;
  g_autoptr(JsonObject) copy = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonNode *assembled = stream_message (json_node_get_array (node));

      if (assembled == NULL)
        reins_import_builder_note (builder, _("The logged response is a list, not of stream "
                                              "chunks."));
      return assembled;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      reins_import_builder_note (builder, _("The logged response is not an object."));
      return NULL;
    }
  response = json_node_get_object (node);
  if (builder->model == NULL)
    builder->model = g_strdup (reins_import_string_member (response, "model"));
  choices = json_object_get_member (response, "choices");
  if (choices != NULL && JSON_NODE_HOLDS_ARRAY (choices))
    {
      JsonArray *array = json_node_get_array (choices);
      JsonNode *first = json_array_get_length (array) > 0 ? json_array_get_element (array, 0)
                                                          : NULL;

      if (json_array_get_length (array) > 1)
        reins_import_builder_note (builder, g_dngettext (GETTEXT_PACKAGE,
                                                         "The response has %u choice; the "
                                                         "first is imported.",
                                                         "The response has %u choices; the "
                                                         "first is imported.",
                                                         json_array_get_length (array)),
                                   json_array_get_length (array));
      message = first != NULL && JSON_NODE_HOLDS_OBJECT (first) ?
                reins_import_object_member (json_node_get_object (first), "message") : NULL;
      if (message == NULL)
        {
          reins_import_builder_note (builder, _("The response has no message."));
          return NULL;
        }
    }
  else if (json_object_has_member (response, "content") &&
           json_object_has_member (response, "role"))
    message = response;
  else
    {
      reins_import_builder_note (builder, _("The logged response holds no message."));
      return NULL;
    }

  copy = reins_json_object_deep_copy (message);
  if (!json_object_has_member (copy, "role"))
    json_object_set_string_member (copy, "role", "assistant");
  usage = json_object_get_member (response, "usage");
  if (!json_object_has_member (copy, "usage") && usage != NULL)
    json_object_set_member (copy, "usage", json_node_copy (usage));
  return json_node_init_object (json_node_alloc (), copy);
}

static const char * const log_members[] = {
  "request", "response", NULL
};

/* One conversation: an array of messages, an object with "messages", or a logged call
 * (an object with "request" and "response", or "messages" and "response" or "choices"). */
static ReinsImportBuilder *
read_conversation (JsonNode  *node,
                   GError   **error)
{
  g_autoptr(ReinsImportBuilder) builder = NULL;
  g_autoptr(JsonArray) messages = NULL;
  g_autoptr(JsonNode) reply = NULL;
  JsonObject *object = NULL, *outer = NULL;
  JsonNode *response = NULL;
  gboolean anthropic;

  if (JSON_NODE_HOLDS_ARRAY (node))
    messages = json_array_ref (json_node_get_array (node));
  else if (JSON_NODE_HOLDS_OBJECT (node) && has_messages (json_node_get_object (node)))
    {
      object = json_node_get_object (node);
      response = json_object_get_member (object, "response");
      if (response == NULL && json_object_has_member (object, "choices"))
        response = node;
    }
  else if (JSON_NODE_HOLDS_OBJECT (node) &&
           has_messages (reins_import_object_member (json_node_get_object (node), "request")))
    {
      outer = json_node_get_object (node);
      object = reins_import_object_member (outer, "request");
      response = json_object_get_member (outer, "response");
    }
  else
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("not a conversation: expected an array of messages, an object "
                             "with “messages”, or OTLP/JSON with “resourceSpans”"));
      return NULL;
    }

  if (object != NULL)
    messages = json_array_ref (json_object_get_array_member (object, "messages"));
  anthropic = reins_import_chat_looks_anthropic (messages);
  builder = reins_import_builder_new (anthropic ? "anthropic" : "openai");
  if (object != NULL)
    {
      JsonNode *system = json_object_get_member (object, "system");
      const char *model = json_object_get_string_member_with_default (object, "model", NULL);
      g_autofree char *system_text = NULL;

      builder->model = g_strdup (model);
      /* Anthropic's system prompt: a string, or text blocks. */
      system_text = reins_import_chat_text (builder, system, "system");
      reins_import_builder_system (builder, system_text);
      read_tools (builder, object);
      if (outer != NULL)
        reins_import_builder_metadata (builder, outer, log_members);
      reins_import_builder_metadata (builder, object, response == node ? response_members
                                                                       : conversation_members);
    }
  if (response != NULL)
    {
      reply = response_message (builder, response);
      if (reply != NULL)
        {
          g_autoptr(JsonArray) all = json_array_sized_new (json_array_get_length (messages) + 1);

          for (guint i = 0; i < json_array_get_length (messages); i++)
            json_array_add_element (all, json_node_ref (json_array_get_element (messages, i)));
          json_array_add_element (all, json_node_ref (reply));
          g_clear_pointer (&messages, json_array_unref);
          messages = g_steal_pointer (&all);
          anthropic = anthropic || reins_import_chat_looks_anthropic (messages);
          g_free (builder->format);
          builder->format = g_strdup (anthropic ? "anthropic" : "openai");
        }
    }
  if (!reins_import_chat_read (builder, messages, anthropic, error))
    return NULL;
  return g_steal_pointer (&builder);
}

static gboolean
is_message_array (JsonNode *node)
{
  JsonArray *array;
  JsonNode *first;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0)
    return TRUE;
  first = json_array_get_element (array, 0);
  return JSON_NODE_HOLDS_OBJECT (first) &&
         json_object_has_member (json_node_get_object (first), "role");
}

/* The conversations of one document, each with the digest its run id follows from. */
GPtrArray *
reins_import_read_document (JsonNode   *node,
                            GPtrArray  *digests,
                            GError    **error)
{
  g_autoptr(GPtrArray) builders =
    g_ptr_array_new_with_free_func ((GDestroyNotify) reins_import_builder_free);

  if (JSON_NODE_HOLDS_OBJECT (node) &&
      json_object_has_member (json_node_get_object (node), "resourceSpans"))
    {
      GPtrArray *traces = reins_otlp_read (json_node_get_object (node), error);

      if (traces == NULL)
        return NULL;
      for (guint i = 0; i < traces->len; i++)
        {
          ReinsImportBuilder *builder = g_ptr_array_index (traces, i);

          /* A trace is known by its spans: the builder's run id holds their digest. */
          g_ptr_array_add (digests, g_strdup (builder->run_id));
        }
      return traces;
    }

  if (JSON_NODE_HOLDS_ARRAY (node) && !is_message_array (node))
    {
      g_autoptr(JsonNode) message = stream_message (json_node_get_array (node));

      /* A whole file of stream chunks: one reply. */
      if (message != NULL)
        {
          g_autoptr(JsonArray) messages = json_array_new ();
          g_autoptr(JsonNode) conversation = NULL;
          ReinsImportBuilder *builder;

          json_array_add_element (messages, g_steal_pointer (&message));
          conversation = json_node_init_array (json_node_alloc (), messages);
          builder = read_conversation (conversation, error);
          if (builder == NULL)
            return NULL;
          g_ptr_array_add (builders, builder);
          g_ptr_array_add (digests, reins_import_digest (node));
          return g_steal_pointer (&builders);
        }
    }
  if (JSON_NODE_HOLDS_ARRAY (node) && !is_message_array (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          g_autoptr(GError) local_error = NULL;
          ReinsImportBuilder *builder = read_conversation (element, &local_error);

          if (builder == NULL)
            {
              g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("conversation %u: %s"), i + 1, local_error->message);
              return NULL;
            }
          g_ptr_array_add (builders, builder);
          g_ptr_array_add (digests, reins_import_digest (element));
        }
      return g_steal_pointer (&builders);
    }

  {
    ReinsImportBuilder *builder = read_conversation (node, error);

    if (builder == NULL)
      return NULL;
    g_ptr_array_add (builders, builder);
    g_ptr_array_add (digests, reins_import_digest (node));
  }
  return g_steal_pointer (&builders);
}

/**
 * reins_import_document:
 * @node: a conversation, or OTLP/JSON of one trace
 *
 * The run one document holds, not stored.
 *
 * Returns: (transfer full) (nullable): the run, with its steps in @steps
 */
ReinsRun *
reins_import_document (JsonNode    *node,
                       const char  *file,
                       guint        line,
                       GPtrArray  **steps,
                       GError     **error)
{
  g_autoptr(GPtrArray) digests = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) builders = reins_import_read_document (node, digests, error);

  if (builders == NULL)
    return NULL;
  if (builders->len != 1)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   g_dngettext (GETTEXT_PACKAGE, "the document holds %u conversation, not one",
                                "the document holds %u conversations, not one", builders->len),
                   builders->len);
      return NULL;
    }
  return reins_import_builder_finish (g_ptr_array_index (builders, 0), file, line,
                                      g_ptr_array_index (digests, 0), steps);
}

/**
 * reins_import_get_labels:
 *
 * Returns: (transfer none) (nullable): the labels an imported run keeps from its source
 */
JsonObject *
reins_import_get_labels (ReinsRun *run)
{
  JsonObject *settings = reins_run_get_settings (run);
  JsonNode *labels = settings != NULL ? json_object_get_member (settings, "labels") : NULL;

  return labels != NULL && JSON_NODE_HOLDS_OBJECT (labels) ? json_node_get_object (labels) : NULL;
}
