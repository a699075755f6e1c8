/* reins-json-schema.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A validator for the subset of JSON Schema that tool arguments use.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "reins-error.h"
#include "reins-json-schema.h"

/* Schemas come from MCP servers too; bound the recursion so a hostile one cannot blow the
 * stack. */
#define MAX_DEPTH 64

static const char *
node_type_name (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "array";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "string";
    case G_TYPE_BOOLEAN:
      return "boolean";
    case G_TYPE_INT64:
      return "integer";
    default:
      return "number";
    }
}

static gboolean
node_is_number (JsonNode *node)
{
  GType t;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  t = json_node_get_value_type (node);
  return t == G_TYPE_INT64 || t == G_TYPE_DOUBLE;
}

static double
node_number (JsonNode *node)
{
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double) json_node_get_int (node);
  return json_node_get_double (node);
}

static gboolean
type_matches (const char *type,
              JsonNode   *node)
{
  const char *actual = node_type_name (node);

  if (g_strcmp0 (type, actual) == 0)
    return TRUE;
  if (g_strcmp0 (type, "number") == 0 && g_strcmp0 (actual, "integer") == 0)
    return TRUE;
  /* 3.0 is an integer for JSON Schema. */
  if (g_strcmp0 (type, "integer") == 0 && g_strcmp0 (actual, "number") == 0)
    {
      double v = node_number (node);
      return isfinite (v) && v == floor (v);
    }
  return FALSE;
}

/* How the member is named in a message: “path”, “items[2]”, or “the arguments”. */
static char *
describe (const char *where)
{
  if (where == NULL || *where == '\0')
    return g_strdup (_("the arguments"));
  return g_strdup_printf ("“%s”", where);
}

static char *
join_path (const char *where,
           const char *member)
{
  if (where == NULL || *where == '\0')
    return g_strdup (member);
  return g_strdup_printf ("%s.%s", where, member);
}

static gboolean
validate (JsonObject  *schema,
          JsonNode    *node,
          const char  *where,
          guint        depth,
          GError     **error);

static gboolean
check_type (JsonObject  *schema,
            JsonNode    *node,
            const char  *where,
            GError     **error)
{
  JsonNode *type = json_object_get_member (schema, "type");
  g_autofree char *name = NULL;

  if (type == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_VALUE (type) && json_node_get_value_type (type) == G_TYPE_STRING)
    {
      if (type_matches (json_node_get_string (type), node))
        return TRUE;
      name = describe (where);
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("%s must be of type %s, not %s"),
                   name, json_node_get_string (type), node_type_name (node));
      return FALSE;
    }

  if (JSON_NODE_HOLDS_ARRAY (type))
    {
      JsonArray *types = json_node_get_array (type);
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (types); i++)
        {
          const char *t = json_array_get_string_element (types, i);

          if (t != NULL && type_matches (t, node))
            return TRUE;
          if (t != NULL)
            g_string_append_printf (list, "%s%s", list->len > 0 ? " or " : "", t);
        }
      name = describe (where);
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("%s must be of type %s, not %s"),
                   name, list->str, node_type_name (node));
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_enum (JsonObject  *schema,
            JsonNode    *node,
            const char  *where,
            GError     **error)
{
  JsonArray *values;
  g_autoptr(GString) list = NULL;
  g_autofree char *name = NULL;

  if (json_object_has_member (schema, "const"))
    {
      JsonNode *c = json_object_get_member (schema, "const");

      if (json_node_equal (c, node))
        return TRUE;
      name = describe (where);
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("%s has a value that is not allowed"), name);
      return FALSE;
    }

  if (!json_object_has_member (schema, "enum") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (schema, "enum")))
    return TRUE;

  values = json_object_get_array_member (schema, "enum");
  list = g_string_new (NULL);
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      JsonNode *v = json_array_get_element (values, i);
      g_autofree char *text = NULL;

      if (json_node_equal (v, node))
        return TRUE;
      /* Integer 1 and double 1.0 are equal for JSON Schema. */
      if (node_is_number (v) && node_is_number (node) && node_number (v) == node_number (node))
        return TRUE;
      text = json_to_string (v, FALSE);
      g_string_append_printf (list, "%s%s", list->len > 0 ? ", " : "", text);
    }

  name = describe (where);
  g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
               _("%s must be one of %s"), name, list->str);
  return FALSE;
}

static gboolean
get_bound (JsonObject *schema,
           const char *keyword,
           double     *value)
{
  JsonNode *n = json_object_get_member (schema, keyword);

  if (!node_is_number (n))
    return FALSE;
  *value = node_number (n);
  return TRUE;
}

static gboolean
check_string (JsonObject  *schema,
              JsonNode    *node,
              const char  *where,
              GError     **error)
{
  const char *s = json_node_get_string (node);
  glong len = g_utf8_strlen (s, -1);
  g_autofree char *name = NULL;
  double bound;

  if (get_bound (schema, "minLength", &bound) && len < bound)
    {
      name = describe (where);
      if (bound <= 1)
        g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                     _("%s must not be empty"), name);
      else
        g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                     _("%s must be at least %.0f characters long"), name, bound);
      return FALSE;
    }
  if (get_bound (schema, "maxLength", &bound) && len > bound)
    {
      name = describe (where);
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("%s must be at most %.0f characters long"), name, bound);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_number (JsonObject  *schema,
              JsonNode    *node,
              const char  *where,
              GError     **error)
{
  double v = node_number (node);
  double bound;
  g_autofree char *name = describe (where);

  if (get_bound (schema, "minimum", &bound) && v < bound)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("%s must be at least %g"), name, bound);
      return FALSE;
    }
  if (get_bound (schema, "maximum", &bound) && v > bound)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("%s must be at most %g"), name, bound);
      return FALSE;
    }
  if (get_bound (schema, "exclusiveMinimum", &bound) && v <= bound)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("%s must be greater than %g"), name, bound);
      return FALSE;
    }
  if (get_bound (schema, "exclusiveMaximum", &bound) && v >= bound)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("%s must be less than %g"), name, bound);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_object (JsonObject  *schema,
              JsonObject  *object,
              const char  *where,
              guint        depth,
              GError     **error)
{
  JsonObject *properties = NULL;
  JsonNode *additional;
  g_autoptr(GList) members = NULL;

  if (json_object_has_member (schema, "properties") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (schema, "properties")))
    properties = json_object_get_object_member (schema, "properties");

  if (json_object_has_member (schema, "required") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (schema, "required")))
    {
      JsonArray *required = json_object_get_array_member (schema, "required");

      for (guint i = 0; i < json_array_get_length (required); i++)
        {
          const char *member = json_array_get_string_element (required, i);

          if (member != NULL && !json_object_has_member (object, member))
            {
              g_autofree char *path = join_path (where, member);
              g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("“%s” is required"), path);
              return FALSE;
            }
        }
    }

  additional = json_object_get_member (schema, "additionalProperties");

  /* Sorted so the first error reported does not depend on hash order. */
  members = g_list_sort (json_object_get_members (object), (GCompareFunc) g_strcmp0);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *member = l->data;
      JsonNode *value = json_object_get_member (object, member);
      g_autofree char *path = join_path (where, member);

      if (properties != NULL && json_object_has_member (properties, member))
        {
          JsonNode *sub = json_object_get_member (properties, member);

          if (JSON_NODE_HOLDS_OBJECT (sub) &&
              !validate (json_node_get_object (sub), value, path, depth + 1, error))
            return FALSE;
        }
      else if (additional != NULL)
        {
          if (JSON_NODE_HOLDS_VALUE (additional) &&
              json_node_get_value_type (additional) == G_TYPE_BOOLEAN &&
              !json_node_get_boolean (additional))
            {
              g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("“%s” is not an accepted argument"), path);
              return FALSE;
            }
          if (JSON_NODE_HOLDS_OBJECT (additional) &&
              !validate (json_node_get_object (additional), value, path, depth + 1, error))
            return FALSE;
        }
    }

  return TRUE;
}

static gboolean
check_array (JsonObject  *schema,
             JsonArray   *array,
             const char  *where,
             guint        depth,
             GError     **error)
{
  guint n = json_array_get_length (array);
  JsonNode *items = json_object_get_member (schema, "items");
  double bound;

  if (get_bound (schema, "minItems", &bound) && n < bound)
    {
      g_autofree char *name = describe (where);
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("%s must have at least %.0f elements"), name, bound);
      return FALSE;
    }
  if (get_bound (schema, "maxItems", &bound) && n > bound)
    {
      g_autofree char *name = describe (where);
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("%s must have at most %.0f elements"), name, bound);
      return FALSE;
    }

  if (items == NULL || !JSON_NODE_HOLDS_OBJECT (items))
    return TRUE;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s[%u]", where != NULL ? where : "", i);

      if (!validate (json_node_get_object (items), json_array_get_element (array, i),
                     path, depth + 1, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
validate (JsonObject  *schema,
          JsonNode    *node,
          const char  *where,
          guint        depth,
          GError     **error)
{
  if (depth > MAX_DEPTH)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("The arguments are nested too deeply"));
      return FALSE;
    }

  if (!check_type (schema, node, where, error))
    return FALSE;
  if (!check_enum (schema, node, where, error))
    return FALSE;

  if (JSON_NODE_HOLDS_OBJECT (node))
    return check_object (schema, json_node_get_object (node), where, depth, error);
  if (JSON_NODE_HOLDS_ARRAY (node))
    return check_array (schema, json_node_get_array (node), where, depth, error);
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return check_string (schema, node, where, error);
  if (node_is_number (node))
    return check_number (schema, node, where, error);
  return TRUE;
}

gboolean
reins_json_schema_validate (JsonObject  *schema,
                            JsonNode    *instance,
                            GError     **error)
{
  g_return_val_if_fail (schema != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return validate (schema, instance, "", 0, error);
}
