/* reins-import-otlp-values.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The values of OTLP/JSON read as JSON: attributes (of every value kind) as an object, the
 * first of the names an attribute has had under the several conventions, and times.
 */

#include "config.h"

#include "reins-import-private.h"

static JsonObject *reins_otlp_attributes_of_list (JsonObject *object,
                                                  const char *member);

/* Attribute values of OTLP/JSON as JSON: strings, booleans, numbers (64-bit integers may be
 * strings), arrays; %NULL for anything else. */
static JsonNode *
any_value (JsonNode *node)
{
  JsonObject *value;
  JsonNode *member;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  value = json_node_get_object (node);
  if ((member = json_object_get_member (value, "stringValue")) != NULL ||
      (member = json_object_get_member (value, "boolValue")) != NULL ||
      (member = json_object_get_member (value, "doubleValue")) != NULL)
    return JSON_NODE_HOLDS_VALUE (member) ? json_node_copy (member) : NULL;
  if ((member = json_object_get_member (value, "intValue")) != NULL && JSON_NODE_HOLDS_VALUE (member))
    {
      if (json_node_get_value_type (member) == G_TYPE_STRING)
        {
          const char *text = json_node_get_string (member);
          char *end = NULL;
          gint64 number = g_ascii_strtoll (text, &end, 10);

          if (end == text || *end != '\0')
            return NULL;
          return json_node_init_int (json_node_alloc (), number);
        }
      return json_node_copy (member);
    }
  if ((member = json_object_get_member (value, "arrayValue")) != NULL && JSON_NODE_HOLDS_OBJECT (member))
    {
      JsonNode *values = json_object_get_member (json_node_get_object (member), "values");
      g_autoptr(JsonArray) array = json_array_new ();

      for (guint i = 0; values != NULL && JSON_NODE_HOLDS_ARRAY (values) &&
           i < json_array_get_length (json_node_get_array (values)); i++)
        {
          JsonNode *element = any_value (json_array_get_element (json_node_get_array (values), i));

          if (element != NULL)
            json_array_add_element (array, element);
        }
      return json_node_init_array (json_node_alloc (), array);
    }
  if ((member = json_object_get_member (value, "kvlistValue")) != NULL && JSON_NODE_HOLDS_OBJECT (member))
    {
      g_autoptr(JsonObject) object = reins_otlp_attributes_of_list (json_node_get_object (member),
                                                                    "values");

      return json_node_init_object (json_node_alloc (), object);
    }
  return NULL;
}

/* A span's or an event's attributes as an object. */
static JsonObject *
reins_otlp_attributes_of_list (JsonObject *object,
                               const char *member)
{
  JsonObject *result = json_object_new ();
  JsonNode *attributes = json_object_get_member (object, member);

  if (attributes == NULL || !JSON_NODE_HOLDS_ARRAY (attributes))
    return result;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (attributes)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (attributes), i);
      const char *key;
      JsonNode *value;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      key = json_object_get_string_member_with_default (json_node_get_object (node), "key", NULL);
      value = any_value (json_object_get_member (json_node_get_object (node), "value"));
      if (key != NULL && value != NULL)
        json_object_set_member (result, key, value);
      else if (value != NULL)
        json_node_unref (value);
    }
  return result;
}

JsonObject *
reins_otlp_attributes (JsonObject *object)
{
  return reins_otlp_attributes_of_list (object, "attributes");
}

/* The first of several names an attribute has had that is there. */
JsonNode *
reins_otlp_attr_first (JsonObject         *attributes,
                       const char * const *keys)
{
  for (guint i = 0; keys[i] != NULL; i++)
    {
      JsonNode *node = json_object_get_member (attributes, keys[i]);

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
        return node;
    }
  return NULL;
}

const char *
reins_otlp_attr_first_string (JsonObject         *attributes,
                              const char * const *keys)
{
  for (guint i = 0; keys[i] != NULL; i++)
    {
      const char *text = reins_import_string_member (attributes, keys[i]);

      if (text != NULL)
        return text;
    }
  return NULL;
}

gint64
reins_otlp_attr_first_int (JsonObject         *attributes,
                           const char * const *keys)
{
  for (guint i = 0; keys[i] != NULL; i++)
    {
      gint64 value = reins_import_int_member (attributes, keys[i], -1);

      if (value >= 0)
        return value;
    }
  return 0;
}

/* A time in nanoseconds since the epoch (a number or a string of one), in microseconds. */
gint64
reins_otlp_time_of (JsonObject *object,
                    const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strtoll (json_node_get_string (node), NULL, 10) / 1000;
  return json_node_get_int (node) / 1000;
}
