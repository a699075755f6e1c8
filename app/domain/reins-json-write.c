/* reins-json-write.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writing JSON: reins_json_to_string, compact or pretty, with the escapes and number forms
 * of the rest of Reins. Reading and the typed getters are in reins-json-util.c.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "reins-json-util.h"

static void
write_string (GString    *out,
              const char *str)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) str; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

/* The shortest text that reads back as the same double: 0.0141, not 0.014099999999999999. */
static void
write_double (GString *out,
              double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }

  for (int precision = 15; precision <= 17; precision++)
    {
      g_ascii_formatd (buffer, sizeof buffer, precision == 15 ? "%.15g" :
                       precision == 16 ? "%.16g" : "%.17g", value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }

  g_string_append (out, buffer);
  /* Keep it a double when read back: 1.0, not 1. */
  if (strpbrk (buffer, ".eEn") == NULL)
    g_string_append (out, ".0");
}

/* Pretty output indents no deeper than this, so its size stays linear in the depth: 10,000
 * levels indented in full would be 200 MB of spaces. */
#define MAX_INDENT 32

static void
indent (GString  *out,
        gboolean  pretty,
        guint     depth)
{
  if (!pretty)
    return;
  g_string_append_c (out, '\n');
  for (guint i = 0; i < MIN (depth, MAX_INDENT); i++)
    g_string_append (out, "  ");
}

static void
write_value (GString  *out,
             JsonNode *node)
{
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      write_string (out, json_node_get_string (node));
      break;

    case G_TYPE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      break;

    case G_TYPE_DOUBLE:
      write_double (out, json_node_get_double (node));
      break;

    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      break;

    default:
      g_string_append (out, "null");
      break;
    }
}

/* An object or array being written: the writer keeps its own stack rather than recursing, so
 * no tree, however deep, can overflow the thread's stack. */
typedef struct
{
  JsonNode *node;
  GList    *members;      /* owned list of an object's member names */
  GList    *next_member;
  guint     next_index;   /* of an array */
} Frame;

static void
frame_clear (Frame *frame)
{
  g_list_free (frame->members);
}

/* Writes a scalar or an empty container whole, or opens a container and pushes it. */
static void
write_start (GString  *out,
             GArray   *stack,
             JsonNode *node)
{
  Frame frame = { node, NULL, NULL, 0 };

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      frame.members = json_object_get_members (json_node_get_object (node));
      if (frame.members == NULL)
        {
          g_string_append (out, "{}");
          return;
        }
      frame.next_member = frame.members;
      g_string_append_c (out, '{');
      g_array_append_val (stack, frame);
      return;

    case JSON_NODE_ARRAY:
      if (json_array_get_length (json_node_get_array (node)) == 0)
        {
          g_string_append (out, "[]");
          return;
        }
      g_string_append_c (out, '[');
      g_array_append_val (stack, frame);
      return;

    case JSON_NODE_VALUE:
      write_value (out, node);
      return;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      return;
    }
}

static void
write_node (GString  *out,
            JsonNode *root,
            gboolean  pretty)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (Frame));

  g_array_set_clear_func (stack, (GDestroyNotify) frame_clear);
  write_start (out, stack, root);

  while (stack->len > 0)
    {
      Frame *frame = &g_array_index (stack, Frame, stack->len - 1);
      guint depth = stack->len;
      JsonNode *child;

      if (JSON_NODE_HOLDS_OBJECT (frame->node))
        {
          const char *name;

          if (frame->next_member == NULL)
            {
              indent (out, pretty, depth - 1);
              g_string_append_c (out, '}');
              g_array_set_size (stack, stack->len - 1);
              continue;
            }
          name = frame->next_member->data;
          if (frame->next_member != frame->members)
            g_string_append_c (out, ',');
          indent (out, pretty, depth);
          write_string (out, name);
          g_string_append (out, pretty ? ": " : ":");
          child = json_object_get_member (json_node_get_object (frame->node), name);
          frame->next_member = frame->next_member->next;
        }
      else
        {
          JsonArray *array = json_node_get_array (frame->node);

          if (frame->next_index >= json_array_get_length (array))
            {
              indent (out, pretty, depth - 1);
              g_string_append_c (out, ']');
              g_array_set_size (stack, stack->len - 1);
              continue;
            }
          if (frame->next_index > 0)
            g_string_append_c (out, ',');
          indent (out, pretty, depth);
          child = json_array_get_element (array, frame->next_index++);
        }

      /* May grow the stack: @frame is not used after this. */
      write_start (out, stack, child);
    }
}

/**
 * reins_json_to_string:
 *
 * Writes JSON like json-glib does, except that numbers are written in their shortest exact
 * form, so costs read as people expect. Strings are written as UTF-8, control characters
 * escaped, so the text never holds a raw newline.
 */
char *
reins_json_to_string (JsonNode *node,
                      gboolean  pretty)
{
  GString *out;

  g_return_val_if_fail (node != NULL, NULL);

  out = g_string_new (NULL);
  write_node (out, node, pretty);
  return g_string_free (out, FALSE);
}
