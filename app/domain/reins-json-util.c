/* reins-json-util.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "reins-error.h"
#include "reins-json-util.h"

static int
escape_value (const char *text,
              gsize       len,
              gsize       at)
{
  int value = 0;

  /* The value of the \uXXXX escape at @at, or -1. */
  if (at + 6 > len || text[at] != '\\' || text[at + 1] != 'u')
    return -1;
  for (gsize k = at + 2; k < at + 6; k++)
    {
      if (!g_ascii_isxdigit (text[k]))
        return -1;
      value = value * 16 + g_ascii_xdigit_value (text[k]);
    }
  return value;
}

/* Reads a double-quoted string from its opening quote at *@at to its closing one (or the
 * end), checking its \u escapes; a lone surrogate is replaced in *@copy when @copy is not
 * %NULL. An octal escape, which json-glib decodes to a byte that may not be UTF-8, sets
 * @octal. */
static gboolean
scan_string (const char  *text,
             gsize        len,
             gsize       *at,
             char       **copy,
             gboolean    *octal,
             GError     **error)
{
  gsize i;

  for (i = *at + 1; i < len && text[i] != '"'; i++)
    {
      int value, next;

      if (text[i] != '\\')
        continue;
      if (i + 1 < len && text[i + 1] != 'u')
        {
          if (text[i + 1] >= '0' && text[i + 1] <= '7')
            *octal = TRUE;
          i++;
          continue;
        }

      value = escape_value (text, len, i);
      if (value < 0)
        {
          g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                               _("Invalid JSON: a \\u escape needs four hex digits"));
          return FALSE;
        }
      if (value >= 0xd800 && value <= 0xdbff &&
          (next = escape_value (text, len, i + 6)) >= 0xdc00 && next <= 0xdfff)
        {
          i += 11;
          continue;
        }
      if (value >= 0xd800 && value <= 0xdfff && copy != NULL)
        {
          if (*copy == NULL)
            *copy = g_strndup (text, len);
          memcpy (*copy + i, "\\ufffd", 6);
        }
      i += 5;
    }

  *at = i;
  return TRUE;
}

/* See reins_json_check_bounds(); @fixed receives a copy of @text with each lone UTF-16
 * surrogate escape replaced by \ufffd, of the same length, or %NULL when none needed it;
 * @octal whether a string has an octal escape. */
static gboolean
scan (const char  *text,
      gsize        len,
      guint        max_depth,
      char       **fixed,
      gboolean    *octal,
      GError     **error)
{
  g_autofree char *copy = NULL;
  guint depth = 0;
  guint values = 0;
  gboolean in_word = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];
      gboolean starts_value = FALSE;

      switch (c)
        {
        case '"':
          starts_value = TRUE;
          if (!scan_string (text, len, &i, fixed != NULL ? &copy : NULL, octal, error))
            return FALSE;
          break;

        case '\'':
          /* json-glib reads single-quoted strings, without escapes. */
          starts_value = TRUE;
          for (i++; i < len && text[i] != '\''; i++)
            ;
          break;

        case '/':
          /* A comment, as json-glib reads it: from any slash to the next one, so that
           * slash-star-slash is a whole comment and so is "/x/". */
          for (i++; i < len && text[i] != '/'; i++)
            ;
          break;

        case '[':
        case '{':
          starts_value = TRUE;
          if (depth + 1 > max_depth)
            {
              g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("The JSON is nested deeper than %u levels"), max_depth);
              return FALSE;
            }
          break;

        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;

        case ' ':
        case '\t':
        case '\n':
        case '\r':
        case ',':
        case ':':
          break;

        default:
          /* A number, true, false, null or any other word: one value however long. */
          starts_value = !in_word;
          in_word = TRUE;
          if (starts_value && depth == 0 && ++values > 1)
            goto several;
          continue;
        }

      in_word = FALSE;
      if (starts_value && depth == 0 && ++values > 1)
        goto several;
      if (c == '[' || c == '{')
        depth++;
    }

  if (fixed != NULL)
    *fixed = g_steal_pointer (&copy);
  return TRUE;

several:
  g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                       _("Invalid JSON: more than one value at the top level"));
  return FALSE;
}

/**
 * reins_json_check_bounds:
 * @length: the length of @text, or -1 if it ends with a NUL
 * @max_depth: how many objects and arrays may be open at once
 *
 * json-glib parses recursively, so a document nested deep enough (80,000 levels fit in
 * 160 KB) overflows the stack of the thread that parses it; it takes several values in a
 * row ("{} {}") as one document, keeping the last and leaking the others; and it leaks on a
 * \u escape without its four hex digits. This scans the text once, as json-glib's scanner
 * reads it — double-quoted strings with escapes, single-quoted ones without, comments —
 * counting the brackets and the top-level values outside them. Where it cannot tell (an
 * unterminated string or comment), json-glib stops there too.
 *
 * Returns: %TRUE if @text holds at most one value, no point of it is nested deeper than
 *   @max_depth, and its \u escapes are whole
 */
gboolean
reins_json_check_bounds (const char  *text,
                         gssize       length,
                         guint        max_depth,
                         GError     **error)
{
  gboolean octal = FALSE;

  g_return_val_if_fail (text != NULL || length == 0, FALSE);

  return scan (text, length < 0 ? strlen (text) : (gsize) length, max_depth, NULL, &octal,
               error);
}

static char *
make_valid_or_null (const char *text)
{
  if (text == NULL || g_utf8_validate (text, -1, NULL))
    return NULL;
  return g_utf8_make_valid (text, -1);
}

/* json-glib decodes escapes such as "\201" (octal) or a lone "\ud800x" to bytes that are not
 * UTF-8, after its own check of the input: every string of the tree, member names too, is
 * checked again here and its bad bytes replaced with U+FFFD. */
static void
make_tree_valid (JsonNode *root)
{
  g_autoptr(GPtrArray) todo = g_ptr_array_new ();

  g_ptr_array_add (todo, root);
  while (todo->len > 0)
    {
      JsonNode *node = g_ptr_array_steal_index_fast (todo, todo->len - 1);

      switch (json_node_get_node_type (node))
        {
        case JSON_NODE_OBJECT:
          {
            JsonObject *object = json_node_get_object (node);
            g_autoptr(GPtrArray) renamed = NULL;
            JsonObjectIter iter;
            const char *name;
            JsonNode *member;

            json_object_iter_init (&iter, object);
            while (json_object_iter_next (&iter, &name, &member))
              {
                if (!g_utf8_validate (name, -1, NULL))
                  {
                    if (renamed == NULL)
                      renamed = g_ptr_array_new_with_free_func (g_free);
                    g_ptr_array_add (renamed, g_strdup (name));
                  }
                g_ptr_array_add (todo, member);
              }

            /* Not while iterating: renaming changes the object. */
            for (guint i = 0; renamed != NULL && i < renamed->len; i++)
              {
                const char *old_name = g_ptr_array_index (renamed, i);
                g_autofree char *valid = g_utf8_make_valid (old_name, -1);

                member = json_node_ref (json_object_get_member (object, old_name));
                json_object_remove_member (object, old_name);
                json_object_set_member (object, valid, member);
              }
          }
          break;

        case JSON_NODE_ARRAY:
          {
            JsonArray *array = json_node_get_array (node);

            for (guint i = 0; i < json_array_get_length (array); i++)
              g_ptr_array_add (todo, json_array_get_element (array, i));
          }
          break;

        case JSON_NODE_VALUE:
          if (json_node_get_value_type (node) == G_TYPE_STRING)
            {
              g_autofree char *valid = make_valid_or_null (json_node_get_string (node));

              if (valid != NULL)
                json_node_set_string (node, valid);
            }
          break;

        case JSON_NODE_NULL:
        default:
          break;
        }
    }
}

/**
 * reins_json_parse_bounded:
 * @length: the length of @text, or -1 if it ends with a NUL
 * @max_depth: the deepest nesting accepted, usually %REINS_JSON_MAX_DEPTH
 *
 * The one way Reins parses JSON that comes from outside (model replies, tool arguments,
 * MCP servers, script files, the store): the nesting is bounded and the text must hold one
 * value before json-glib sees it (reins_json_check_bounds()), and every decoded string is
 * valid UTF-8 afterwards.
 *
 * Returns: (transfer full): the root, or %NULL with an INVALID_DATA @error (an empty
 *   document is an error too)
 */
JsonNode *
reins_json_parse_bounded (const char  *text,
                          gssize       length,
                          guint        max_depth,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *fixed = NULL;
  gboolean octal = FALSE;
  JsonNode *root;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (text != NULL &&
      !scan (text, length < 0 ? strlen (text) : (gsize) length, max_depth, &fixed, &octal,
             error))
    return NULL;
  if (fixed != NULL)
    text = fixed;

  if (!json_parser_load_from_data (parser, text != NULL ? text : "", length, &local_error))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("Invalid JSON: %s"), local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("Invalid JSON: the document is empty"));
      return NULL;
    }

  /* json-glib refuses input that is not UTF-8, lone surrogates are gone, and the other
   * escapes decode to UTF-8: only octal ones need the (slower) walk over every string. */
  if (octal)
    make_tree_valid (root);
  return json_node_ref (root);
}

JsonNode *
reins_json_from_string (const char  *text,
                        GError     **error)
{
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("The text is not valid UTF-8"));
      return NULL;
    }

  return reins_json_parse_bounded (text, -1, REINS_JSON_MAX_DEPTH, error);
}

static JsonNode *
member_or_null (JsonObject *object,
                const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

static gboolean
wrong_type (GError     **error,
            const char  *member,
            const char  *expected)
{
  g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
               /* Translators: "%s" is a JSON member name, the second what it should be */
               _("The member “%s” should be %s"), member, expected);
  return FALSE;
}

/**
 * reins_json_node_deep_copy:
 *
 * A copy that shares nothing: json_node_copy() in json-glib 1.6 only references the
 * objects, arrays and values inside, so a record built from a "copy" would change with the
 * original — and, since those reference counts are not atomic, two threads holding the two
 * would corrupt memory.
 */
JsonNode *
reins_json_node_deep_copy (JsonNode *node)
{
  JsonNode *copy;

  g_return_val_if_fail (node != NULL, NULL);

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      copy = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (copy, reins_json_object_deep_copy (json_node_get_object (node)));
      return copy;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        JsonArray *array_copy = json_array_sized_new (json_array_get_length (array));

        for (guint i = 0; i < json_array_get_length (array); i++)
          json_array_add_element (array_copy,
                                  reins_json_node_deep_copy (json_array_get_element (array, i)));
        copy = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (copy, array_copy);
        return copy;
      }

    case JSON_NODE_VALUE:
      /* Not json_node_copy(): it shares the value, whose reference count is not atomic
       * either, between the copy and the original. */
      copy = json_node_new (JSON_NODE_VALUE);
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          json_node_set_int (copy, json_node_get_int (node));
          break;

        case G_TYPE_DOUBLE:
          json_node_set_double (copy, json_node_get_double (node));
          break;

        case G_TYPE_BOOLEAN:
          json_node_set_boolean (copy, json_node_get_boolean (node));
          break;

        case G_TYPE_STRING:
        default:
          json_node_set_string (copy, json_node_get_string (node));
          break;
        }
      return copy;

    case JSON_NODE_NULL:
    default:
      return json_node_new (JSON_NODE_NULL);
    }
}

JsonObject *
reins_json_object_deep_copy (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  g_autoptr(GList) members = NULL;

  g_return_val_if_fail (object != NULL, copy);

  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    json_object_set_member (copy, l->data,
                            reins_json_node_deep_copy (json_object_get_member (object, l->data)));
  return copy;
}

/**
 * reins_json_string_or:
 * @object: an object, as a peer sent it
 * @member: the member's name
 * @fallback: (nullable): what a missing member, or one that is not a string, reads as
 *
 * A string member of a peer's message without trusting its type: an object or an array where
 * a string belongs reads as @fallback (json-glib's own getter would emit a critical).
 *
 * Returns: (nullable): the string, or @fallback
 */
const char *
reins_json_string_or (JsonObject *object,
                      const char *member,
                      const char *fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return fallback;
  return json_node_get_string (node);
}

gboolean
reins_json_get_string (JsonObject  *object,
                       const char  *member,
                       char       **value,
                       GError     **error)
{
  JsonNode *node = member_or_null (object, member);

  *value = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return wrong_type (error, member, "a string");
  *value = g_strdup (json_node_get_string (node));
  return TRUE;
}

/**
 * reins_json_double_is_int64:
 *
 * Whether a JSON number read as a double (written with a fraction or an exponent) can be
 * cast to a gint64: casting one past its range, or not a number, is undefined behaviour.
 */
gboolean
reins_json_double_is_int64 (double number)
{
  return number >= -9223372036854775808.0 && number < 9223372036854775808.0;
}

gboolean
reins_json_get_int (JsonObject  *object,
                    const char  *member,
                    gint64      *value,
                    GError     **error)
{
  JsonNode *node = member_or_null (object, member);
  GType type;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return wrong_type (error, member, "a number");
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *value = json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      /* A number written with a fraction or an exponent; past what an integer holds (or not
       * a number at all) it is refused, never cast. */
      if (!reins_json_double_is_int64 (d))
        return wrong_type (error, member, "a whole number in range");
      *value = (gint64) d;
    }
  else
    return wrong_type (error, member, "a number");
  return TRUE;
}

gboolean
reins_json_get_double (JsonObject  *object,
                       const char  *member,
                       double      *value,
                       gboolean    *present,
                       GError     **error)
{
  JsonNode *node = member_or_null (object, member);
  GType type;

  if (present != NULL)
    *present = FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return wrong_type (error, member, "a number");
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *value = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *value = json_node_get_double (node);
  else
    return wrong_type (error, member, "a number");
  if (present != NULL)
    *present = TRUE;
  return TRUE;
}

gboolean
reins_json_get_bool (JsonObject  *object,
                     const char  *member,
                     gboolean    *value,
                     GError     **error)
{
  JsonNode *node = member_or_null (object, member);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return wrong_type (error, member, "true or false");
  *value = json_node_get_boolean (node);
  return TRUE;
}

void
reins_json_add_string_or_null (JsonBuilder *builder,
                               const char  *member,
                               const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* Writes each of @figures as a member of the object @builder is in. */
void
reins_json_add_figures (JsonBuilder           *builder,
                        const ReinsJsonFigure *figures,
                        gsize                  n_figures)
{
  for (gsize i = 0; i < n_figures; i++)
    {
      const ReinsJsonFigure *figure = &figures[i];

      if (figure->type == G_TYPE_STRING)
        {
          reins_json_add_string_or_null (builder, figure->name, figure->text);
          continue;
        }
      json_builder_set_member_name (builder, figure->name);
      if (figure->type == G_TYPE_DOUBLE)
        json_builder_add_double_value (builder, figure->number);
      else
        json_builder_add_int_value (builder, figure->integer);
    }
}

double
reins_ratio (double part,
             double whole)
{
  return whole != 0 ? part / whole : 0;
}

char *
reins_time_to_iso8601 (gint64 unix_usec)
{
  g_autoptr(GDateTime) seconds = NULL;
  g_autoptr(GDateTime) dt = NULL;

  if (unix_usec <= 0)
    return NULL;
  seconds = g_date_time_new_from_unix_utc (unix_usec / G_USEC_PER_SEC);
  if (seconds == NULL)
    return NULL;
  dt = g_date_time_add (seconds, unix_usec % G_USEC_PER_SEC);
  return g_date_time_format_iso8601 (dt);
}

gint64
reins_time_from_iso8601 (const char *text)
{
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL)
    return 0;
  dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    return 0;
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

/* Stored text may come from a tool that printed bytes in any encoding; replace what is not
 * UTF-8 with U+FFFD rather than refuse or lose the rest. */
char *
reins_utf8_make_valid (const char *text,
                       gssize      length)
{
  if (text == NULL)
    return NULL;
  return g_utf8_make_valid (text, length);
}
