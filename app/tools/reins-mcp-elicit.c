/* reins-mcp-elicit.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MCP elicitation in form mode (spec 2025-06-18 “client/elicitation”, defaults of SEP-1034,
 * titled enums of SEP-1330). A requested schema is a flat object whose properties are
 * strings, numbers, integers, booleans or enums of strings; anything else is refused, and
 * the server then gets a decline.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "reins-json-util.h"
#include "reins-error.h"
#include "reins-mcp-elicit.h"

#define MAX_PROPERTIES 100

static JsonObject *
get_properties (JsonObject *schema)
{
  JsonNode *node = json_object_get_member (schema, "properties");

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gboolean
is_string_node (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

/**
 * reins_mcp_elicit_enum_values:
 *
 * Returns: (transfer full) (nullable): the values of an enum property (`enum`, or `oneOf`
 *   of `{const, title}`), or %NULL if it is not an enum of strings
 */
char **
reins_mcp_elicit_enum_values (JsonObject *property)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *list = json_object_get_member (property, "enum");
  gboolean one_of = FALSE;
  JsonArray *array;

  if (list == NULL)
    {
      list = json_object_get_member (property, "oneOf");
      one_of = TRUE;
    }
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    return NULL;
  array = json_node_get_array (list);
  if (json_array_get_length (array) == 0)
    return NULL;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (one_of)
        item = JSON_NODE_HOLDS_OBJECT (item)
                 ? json_object_get_member (json_node_get_object (item), "const") : NULL;
      if (!is_string_node (item))
        return NULL;
      g_strv_builder_add (builder, json_node_get_string (item));
    }
  return g_strv_builder_end (builder);
}

ReinsElicitType
reins_mcp_elicit_property_type (JsonObject *property)
{
  const char *type = reins_json_string_or (property, "type", "");
  g_auto(GStrv) values = reins_mcp_elicit_enum_values (property);

  if (values != NULL)
    return REINS_ELICIT_ENUM;
  if (strcmp (type, "number") == 0)
    return REINS_ELICIT_NUMBER;
  if (strcmp (type, "integer") == 0)
    return REINS_ELICIT_INTEGER;
  if (strcmp (type, "boolean") == 0)
    return REINS_ELICIT_BOOLEAN;
  return REINS_ELICIT_STRING;
}

/**
 * reins_mcp_elicit_check_schema:
 *
 * Whether @schema is a form Reins can fill: an object schema whose properties are all
 * strings, numbers, integers, booleans or enums of strings.
 */
gboolean
reins_mcp_elicit_check_schema (JsonObject  *schema,
                               GError     **error)
{
  JsonObject *properties;
  g_autoptr(GList) names = NULL;

  if (schema == NULL ||
      g_strcmp0 (reins_json_string_or (schema, "type", NULL),
                 "object") != 0 ||
      (properties = get_properties (schema)) == NULL)
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_MCP,
                           _("the requested schema is not an object with properties"));
      return FALSE;
    }
  if (json_object_get_size (properties) > MAX_PROPERTIES)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                   g_dngettext (GETTEXT_PACKAGE,
                                "the requested schema has more than %d property",
                                "the requested schema has more than %d properties",
                                MAX_PROPERTIES),
                   MAX_PROPERTIES);
      return FALSE;
    }

  names = json_object_get_members (properties);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (properties, l->data);
      const char *type;
      g_auto(GStrv) values = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        goto bad;
      type = reins_json_string_or (json_node_get_object (node), "type",
                                                         "");
      values = reins_mcp_elicit_enum_values (json_node_get_object (node));
      if (values == NULL && strcmp (type, "string") != 0 && strcmp (type, "number") != 0 &&
          strcmp (type, "integer") != 0 && strcmp (type, "boolean") != 0)
        goto bad;
      continue;

    bad:
      g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                   _("the requested property “%s” is not a string, number, boolean or enum"),
                   (const char *) l->data);
      return FALSE;
    }
  return TRUE;
}

gboolean
reins_mcp_elicit_is_required (JsonObject *schema,
                              const char *name)
{
  JsonNode *required = json_object_get_member (schema, "required");

  if (required == NULL || !JSON_NODE_HOLDS_ARRAY (required))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (required)); i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (required), i);

      if (is_string_node (item) && strcmp (json_node_get_string (item), name) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Whether @value is a valid value of @property. */
static gboolean
value_fits (JsonObject *property,
            JsonNode   *value)
{
  GType type;

  if (value == NULL || !JSON_NODE_HOLDS_VALUE (value))
    return FALSE;
  type = json_node_get_value_type (value);

  switch (reins_mcp_elicit_property_type (property))
    {
    case REINS_ELICIT_ENUM:
      {
        g_auto(GStrv) values = reins_mcp_elicit_enum_values (property);

        return type == G_TYPE_STRING &&
               g_strv_contains ((const char * const *) values, json_node_get_string (value));
      }
    case REINS_ELICIT_BOOLEAN:
      return type == G_TYPE_BOOLEAN;
    case REINS_ELICIT_INTEGER:
      return type == G_TYPE_INT64;
    case REINS_ELICIT_NUMBER:
      return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
    case REINS_ELICIT_STRING:
    default:
      return type == G_TYPE_STRING;
    }
}

/**
 * reins_mcp_elicit_defaults:
 * @missing: (out) (optional): the first required property without a default
 *
 * Returns: (transfer full) (nullable): the content the schema's defaults make, or %NULL when
 *   a required property has no (valid) default
 */
JsonObject *
reins_mcp_elicit_defaults (JsonObject  *schema,
                           char       **missing)
{
  g_autoptr(JsonObject) content = json_object_new ();
  JsonObject *properties = get_properties (schema);
  g_autoptr(GList) names = properties != NULL ? json_object_get_members (properties) : NULL;

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *property = json_object_get_object_member (properties, l->data);
      JsonNode *value = json_object_get_member (property, "default");

      if (value_fits (property, value))
        json_object_set_member (content, l->data, json_node_copy (value));
      else if (reins_mcp_elicit_is_required (schema, l->data))
        {
          if (missing != NULL)
            *missing = g_strdup (l->data);
          return NULL;
        }
    }
  return g_steal_pointer (&content);
}

/**
 * reins_mcp_elicit_parse_value:
 * @text: what the person typed
 *
 * Returns: (transfer full) (nullable): @text as a value of @property, or %NULL with @error
 *   set when it is not one
 */
JsonNode *
reins_mcp_elicit_parse_value (JsonObject  *property,
                              const char  *text,
                              GError     **error)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *trimmed = g_strstrip (g_strdup (text));

  switch (reins_mcp_elicit_property_type (property))
    {
    case REINS_ELICIT_ENUM:
      {
        g_auto(GStrv) values = reins_mcp_elicit_enum_values (property);
        guint64 index;

        if (g_strv_contains ((const char * const *) values, trimmed))
          json_node_set_string (node, trimmed);
        else if (g_ascii_string_to_unsigned (trimmed, 10, 1, g_strv_length (values), &index,
                                             NULL))
          json_node_set_string (node, values[index - 1]);
        else
          goto bad;
        break;
      }
    case REINS_ELICIT_BOOLEAN:
      if (g_ascii_strcasecmp (trimmed, "yes") == 0 || g_ascii_strcasecmp (trimmed, "y") == 0 ||
          g_ascii_strcasecmp (trimmed, "true") == 0)
        json_node_set_boolean (node, TRUE);
      else if (g_ascii_strcasecmp (trimmed, "no") == 0 ||
               g_ascii_strcasecmp (trimmed, "n") == 0 ||
               g_ascii_strcasecmp (trimmed, "false") == 0)
        json_node_set_boolean (node, FALSE);
      else
        goto bad;
      break;
    case REINS_ELICIT_INTEGER:
      {
        gint64 v;

        if (!g_ascii_string_to_signed (trimmed, 10, G_MININT64, G_MAXINT64, &v, NULL))
          goto bad;
        json_node_set_int (node, v);
        break;
      }
    case REINS_ELICIT_NUMBER:
      {
        char *end = NULL;
        double v = *trimmed != '\0' ? g_ascii_strtod (trimmed, &end) : NAN;

        if (end == NULL || *end != '\0' || !isfinite (v))
          goto bad;
        json_node_set_double (node, v);
        break;
      }
    case REINS_ELICIT_STRING:
    default:
      if (!g_utf8_validate (text, -1, NULL))
        goto bad;
      json_node_set_string (node, text);
      break;
    }
  return node;

bad:
  json_node_unref (node);
  g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE, _("“%s” is not a valid value here"),
               trimmed);
  return NULL;
}

static JsonObject *
result_new (const char *action,
            JsonObject *content)
{
  JsonObject *result = json_object_new ();

  json_object_set_string_member (result, "action", action);
  if (content != NULL)
    json_object_set_object_member (result, "content", json_object_ref (content));
  return result;
}

/**
 * reins_mcp_elicit_accept_text:
 *
 * Returns: (transfer full): the person's answer `{"action": "accept", "content": …}` as
 *   stored in an approval's feedback (reins_mcp_elicit_result() reads it back)
 */
char *
reins_mcp_elicit_accept_text (JsonObject *content)
{
  g_autoptr(JsonObject) answer = result_new ("accept", content);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, answer);
  return json_to_string (node, FALSE);
}

/* Accepts @content if it fills @schema: every value of its type, every required one given. */
static gboolean
content_fits (JsonObject *schema,
              JsonObject *content)
{
  JsonObject *properties = get_properties (schema);
  g_autoptr(GList) names = NULL;

  if (properties == NULL)
    return FALSE;
  names = json_object_get_members (properties);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *property = json_object_get_object_member (properties, l->data);
      JsonNode *value = json_object_get_member (content, l->data);

      if (value == NULL && reins_mcp_elicit_is_required (schema, l->data))
        return FALSE;
      if (value != NULL && !value_fits (property, value))
        return FALSE;
    }
  return TRUE;
}

/**
 * reins_mcp_elicit_result:
 * @request: the params of `elicitation/create`
 * @decision: what the person decided
 * @feedback: (nullable): the answer: the result as JSON (`{"action": …, "content": {…}}`, as
 *   the CLI and the form give it), or plain text, which fills the first string property
 *
 * Returns: (transfer full): the result for the server, `{action, content?}`. A decision
 *   that cannot be turned into valid content declines.
 */
JsonObject *
reins_mcp_elicit_result (JsonObject    *request,
                         ReinsDecision  decision,
                         const char    *feedback)
{
  JsonObject *schema = NULL;
  JsonNode *node = json_object_get_member (request, "requestedSchema");

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    schema = json_node_get_object (node);

  if (decision == REINS_DECISION_REJECT)
    return result_new (g_strcmp0 (feedback, "cancel") == 0 ? "cancel" : "decline", NULL);
  if (decision != REINS_DECISION_APPROVE || schema == NULL ||
      !reins_mcp_elicit_check_schema (schema, NULL))
    return result_new (decision == REINS_DECISION_APPROVE ? "decline" : "cancel", NULL);

  if (feedback != NULL)
    {
      g_autoptr(JsonNode) answer = json_from_string (feedback, NULL);

      if (answer != NULL && JSON_NODE_HOLDS_OBJECT (answer) &&
          json_object_has_member (json_node_get_object (answer), "action"))
        {
          JsonObject *a = json_node_get_object (answer);
          const char *action = reins_json_string_or (a, "action", "");
          JsonNode *content = json_object_get_member (a, "content");

          if (strcmp (action, "accept") == 0 && content != NULL &&
              JSON_NODE_HOLDS_OBJECT (content) &&
              content_fits (schema, json_node_get_object (content)))
            return result_new ("accept", json_node_get_object (content));
          if (strcmp (action, "cancel") == 0)
            return result_new ("cancel", NULL);
          return result_new ("decline", NULL);
        }
    }

  /* Approved without a form (a plain answer, or an automatic approval): the defaults, and
   * the text in the first string property. */
  {
    JsonObject *properties = get_properties (schema);
    g_autoptr(GList) names = json_object_get_members (properties);
    g_autoptr(JsonObject) content = json_object_new ();

    for (GList *l = names; l != NULL; l = l->next)
      {
        JsonObject *property = json_object_get_object_member (properties, l->data);
        JsonNode *value = json_object_get_member (property, "default");

        if (feedback != NULL && *feedback != '\0' &&
            reins_mcp_elicit_property_type (property) == REINS_ELICIT_STRING)
          {
            json_object_set_string_member (content, l->data, feedback);
            feedback = NULL;
          }
        else if (value_fits (property, value))
          json_object_set_member (content, l->data, json_node_copy (value));
      }
    if (!content_fits (schema, content))
      return result_new ("decline", NULL);
    return result_new ("accept", content);
  }
}
