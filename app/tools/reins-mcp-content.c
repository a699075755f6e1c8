/* reins-mcp-content.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The result of an MCP `tools/call` as observation text.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reins-json-util.h"
#include "reins-json-schema.h"
#include "reins-mcp-content.h"

#define RESULT_CAP (256 * 1024)

static gsize
base64_size (const char *data)
{
  gsize n = data != NULL ? strlen (data) : 0;
  gsize pad = 0;

  while (n > pad && data[n - 1 - pad] == '=')
    pad++;
  return n / 4 * 3 + (n % 4 ? n % 4 - 1 : 0) - (n % 4 == 0 ? pad : 0);
}

static void
append_block (GString    *text,
              JsonObject *block)
{
  const char *type = reins_json_string_or (block, "type", "");

  if (text->len > 0 && text->str[text->len - 1] != '\n')
    g_string_append_c (text, '\n');

  if (strcmp (type, "text") == 0)
    g_string_append (text, reins_json_string_or (block, "text", ""));
  else if (strcmp (type, "image") == 0 || strcmp (type, "audio") == 0)
    g_string_append_printf (text, "[%s: %s, %zu bytes]", type,
                            reins_json_string_or (block, "mimeType",
                                                                        "unknown type"),
                            base64_size (reins_json_string_or (block,
                                                                                     "data",
                                                                                     NULL)));
  else if (strcmp (type, "resource_link") == 0)
    g_string_append_printf (text, "[resource link: %s%s%s]",
                            reins_json_string_or (block, "uri", "?"),
                            json_object_has_member (block, "name") ? " " : "",
                            reins_json_string_or (block, "name", ""));
  else if (strcmp (type, "resource") == 0 && json_object_has_member (block, "resource") &&
           JSON_NODE_HOLDS_OBJECT (json_object_get_member (block, "resource")))
    {
      JsonObject *r = json_object_get_object_member (block, "resource");
      const char *uri = reins_json_string_or (r, "uri", "?");
      const char *body = reins_json_string_or (r, "text", NULL);

      if (body != NULL)
        g_string_append_printf (text, "[resource: %s]\n%s", uri, body);
      else
        g_string_append_printf (text, "[resource: %s, %s, %zu bytes]", uri,
                                reins_json_string_or (r, "mimeType",
                                                                            "unknown type"),
                                base64_size (reins_json_string_or (r,
                                                                                         "blob",
                                                                                         NULL)));
    }
  else
    g_string_append_printf (text, "[%s content]", *type != '\0' ? type : "unknown");
}

/* Whether every leaf of @node is a string that @text holds (`{"content": TEXT}`, as the
 * filesystem reference server answers). */
static gboolean
strings_in_text (JsonNode   *node,
                 const char *text)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(GList) members = json_object_get_values (json_node_get_object (node));

      for (GList *l = members; l != NULL; l = l->next)
        if (!strings_in_text (l->data, text))
          return FALSE;
      return members != NULL;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!strings_in_text (json_array_get_element (array, i), text))
          return FALSE;
      return json_array_get_length (array) > 0;
    }
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
         strstr (text, json_node_get_string (node)) != NULL;
}

/* Whether the text already says what @structured does: a text block holds it as JSON
 * (servers are asked to send it both ways, for clients that only read text), or its
 * strings are all in the text. Numbers and booleans are kept: they are its typed data. */
static gboolean
text_holds (JsonArray  *blocks,
            JsonNode   *structured,
            const char *all_text)
{
  if (strings_in_text (structured, all_text))
    return TRUE;
  for (guint i = 0; blocks != NULL && i < json_array_get_length (blocks); i++)
    {
      JsonNode *block = json_array_get_element (blocks, i);
      g_autoptr(JsonParser) parser = NULL;
      const char *text;

      if (!JSON_NODE_HOLDS_OBJECT (block))
        continue;
      text = reins_json_string_or (json_node_get_object (block), "text",
                                                         NULL);
      if (text == NULL)
        continue;
      parser = json_parser_new ();
      if (json_parser_load_from_data (parser, text, -1, NULL) &&
          json_parser_get_root (parser) != NULL &&
          json_node_equal (json_parser_get_root (parser), structured))
        return TRUE;
    }
  return FALSE;
}

/**
 * reins_mcp_content_to_result:
 * @call_result: the `result` of a `tools/call` answer
 *
 * Text blocks as they are, images, audio and binary resources as a one-line placeholder
 * (`[image: image/png, 8 bytes]`), embedded text resources with their URI, structuredContent
 * as JSON: alone when there is no text block, else after the text (`[structured content]
 * {…}`) unless the text says it already (text_holds()). `isError` makes an error result.
 * Cut at 256 KiB.
 */
ReinsToolResult *
reins_mcp_content_to_result (JsonObject *object)
{
  return reins_mcp_content_to_result_checked (object, NULL);
}

/* What the observation says about a result that breaks the tool's `outputSchema`, or NULL
 * when it keeps it (or says it is an error, which need not). */
static char *
check_output (JsonObject *output_schema,
              JsonNode   *structured,
              gboolean    is_error)
{
  g_autoptr(GError) error = NULL;

  if (output_schema == NULL || is_error)
    return NULL;
  if (structured == NULL || JSON_NODE_HOLDS_NULL (structured))
    return g_strdup (_("[the tool declares an output schema but gave no structured content]"));
  if (!JSON_NODE_HOLDS_OBJECT (structured))
    return g_strdup (_("[the structured content is not a JSON object, as MCP requires]"));
  if (!reins_json_schema_validate (output_schema, structured, &error))
    return g_strdup_printf (_("[the structured content does not match the tool's output "
                              "schema: %s]"), error->message);
  return NULL;
}

/**
 * reins_mcp_content_to_result_checked:
 * @call_result: the `result` of a `tools/call` answer
 * @output_schema: (nullable): the tool's `outputSchema`
 *
 * Like reins_mcp_content_to_result(); when the tool declares an output schema, a result
 * that is not an error is checked against it (as far as reins_json_schema_validate() goes).
 * A result that breaks it keeps all it said, its structured content shown in full, with a
 * line that says how it breaks the schema; it is not made an error.
 */
ReinsToolResult *
reins_mcp_content_to_result_checked (JsonObject *object,
                                     JsonObject *output_schema)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *valid = NULL;
  g_autofree char *breach = NULL;
  JsonNode *content, *structured;
  JsonArray *blocks = NULL;
  gboolean is_error = FALSE, has_text = FALSE, truncated = FALSE;
  ReinsToolResult *tool_result;

  g_return_val_if_fail (object != NULL, NULL);

  content = json_object_get_member (object, "content");
  if (content != NULL && JSON_NODE_HOLDS_ARRAY (content))
    {
      blocks = json_node_get_array (content);
      for (guint i = 0; i < json_array_get_length (blocks); i++)
        {
          JsonNode *block = json_array_get_element (blocks, i);

          if (!JSON_NODE_HOLDS_OBJECT (block))
            continue;
          if (g_strcmp0 (reins_json_string_or (json_node_get_object (block),
                                                                     "type", NULL), "text") == 0)
            has_text = TRUE;
          append_block (text, json_node_get_object (block));
        }
    }

  if (json_object_has_member (object, "isError"))
    {
      JsonNode *flag = json_object_get_member (object, "isError");

      is_error = JSON_NODE_HOLDS_VALUE (flag) &&
                 json_node_get_value_type (flag) == G_TYPE_BOOLEAN &&
                 json_node_get_boolean (flag);
    }

  structured = json_object_get_member (object, "structuredContent");
  breach = check_output (output_schema, structured, is_error);
  if (structured != NULL && !JSON_NODE_HOLDS_NULL (structured) &&
      (!has_text || breach != NULL || !text_holds (blocks, structured, text->str)))
    {
      g_autofree char *json = json_to_string (structured, FALSE);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Beside text, it says what it is. */
      if (has_text)
        g_string_append (text, "[structured content] ");
      g_string_append (text, json);
    }

  if (text->len > RESULT_CAP)
    {
      gsize cut = RESULT_CAP;

      while (cut > 0 && (text->str[cut] & 0xC0) == 0x80)
        cut--;
      g_string_truncate (text, cut);
      truncated = TRUE;
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "\n[… truncated: only the first %d byte is "
                                                 "shown]",
                                                 "\n[… truncated: only the first %d bytes are "
                                                 "shown]", RESULT_CAP),
                              RESULT_CAP);
    }
  /* After the cut, so a long result still says it. */
  if (breach != NULL)
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, breach);
    }
  valid = g_utf8_make_valid (text->str, text->len);
  if (*valid == '\0')
    {
      g_free (valid);
      valid = g_strdup (_("(no content)"));
    }

  tool_result = reins_tool_result_new (valid, is_error);
  tool_result->truncated = truncated;
  return tool_result;
}
