/* reins-action.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "reins-action.h"
#include "reins-error.h"
#include "reins-json-util.h"

struct _ReinsAction
{
  GObject     parent_instance;

  char       *name;
  JsonObject *arguments;
  char       *call_id;
};

G_DEFINE_FINAL_TYPE (ReinsAction, reins_action, G_TYPE_OBJECT)

static void
reins_action_finalize (GObject *object)
{
  ReinsAction *self = (ReinsAction *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->arguments, json_object_unref);
  g_clear_pointer (&self->call_id, g_free);

  G_OBJECT_CLASS (reins_action_parent_class)->finalize (object);
}

static void
reins_action_class_init (ReinsActionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = reins_action_finalize;
}

static void
reins_action_init (ReinsAction *self)
{
}

/**
 * reins_action_new_with_id:
 * @name: the tool name
 * @arguments: (nullable): the arguments; %NULL means `{}`
 * @call_id: (nullable): the provider's id of the tool call, for native tool calling
 *
 * The arguments are copied, so the action stays immutable whatever the caller does.
 */
ReinsAction *
reins_action_new_with_id (const char *name,
                          JsonObject *arguments,
                          const char *call_id)
{
  ReinsAction *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (REINS_TYPE_ACTION, NULL);
  self->name = g_strdup (name);
  self->call_id = g_strdup (call_id);

  self->arguments = arguments != NULL ? reins_json_object_deep_copy (arguments)
                                      : json_object_new ();

  json_object_seal (self->arguments);

  return self;
}

ReinsAction *
reins_action_new (const char *name,
                  JsonObject *arguments)
{
  return reins_action_new_with_id (name, arguments, NULL);
}

/* The first `\u0000` escape between @p and @end, at its backslash; NULL if none. */
static const char *
next_nul_escape (const char *p,
                 const char *end)
{
  for (; p < end; p++)
    {
      if (*p != '\\')
        continue;
      if (end - p >= 6 && p[1] == 'u' && memcmp (p + 2, "0000", 4) == 0)
        return p;
      p++;  /* the escaped character, which may be another backslash */
    }
  return NULL;
}

/**
 * reins_json_text_has_nul:
 * @json: JSON text
 *
 * Whether @json holds the escape `\u0000`. json-glib ends a string at a NUL, so a path
 * such as "a.txt\u0000/../x" would be read as "a.txt": such text must be refused before it
 * is parsed, or the person approving and the tool would see different arguments.
 */
gboolean
reins_json_text_has_nul (const char *json)
{
  return json != NULL && next_nul_escape (json, json + strlen (json)) != NULL;
}

/**
 * reins_json_text_mask_nul:
 *
 * Rewrites each `\u0000` escape of @json as `\ufffd` (the replacement character, same
 * length), so that a reader of a whole reply keeps the text after it instead of silently
 * ending the string there.
 *
 * Returns: how many were rewritten
 */
guint
reins_json_text_mask_nul (char  *json,
                          gsize  length)
{
  const char *end = json + length;
  guint n = 0;

  for (char *p = (char *) next_nul_escape (json, end); p != NULL;
       p = (char *) next_nul_escape (p + 6, end), n++)
    memcpy (p + 2, "fffd", 4);
  return n;
}

/**
 * reins_action_check_text:
 *
 * Refuses action or argument text that could not be read faithfully (see
 * reins_json_text_has_nul()).
 */
gboolean
reins_action_check_text (const char  *json,
                         GError     **error)
{
  if (!reins_json_text_has_nul (json))
    return TRUE;
  g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                       _("The arguments hold a NUL character (\\u0000), which no path or "
                         "argument may contain"));
  return FALSE;
}

/**
 * reins_action_new_from_json:
 *
 * Reads `{"name": TOOL, "arguments": {…}}` (an optional "id" is kept). Arguments given as a
 * JSON string, as some servers send them, are parsed.
 */
ReinsAction *
reins_action_new_from_json (JsonNode  *node,
                            GError   **error)
{
  JsonObject *object;
  JsonNode *args;
  g_autofree char *name = NULL;
  g_autofree char *call_id = NULL;
  g_autoptr(JsonNode) parsed = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("An action must be a JSON object with “name” and “arguments”"));
      return NULL;
    }

  object = json_node_get_object (node);
  if (!reins_json_get_string (object, "name", &name, error) ||
      !reins_json_get_string (object, "id", &call_id, error))
    return NULL;

  if (name == NULL || name[0] == '\0')
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("The action has no tool name"));
      return NULL;
    }

  args = json_object_get_member (object, "arguments");
  if (args != NULL && JSON_NODE_HOLDS_VALUE (args) &&
      json_node_get_value_type (args) == G_TYPE_STRING)
    {
      if (!reins_action_check_text (json_node_get_string (args), error))
        return NULL;
      parsed = reins_json_from_string (json_node_get_string (args), error);
      if (parsed == NULL)
        return NULL;
      args = parsed;
    }

  if (args != NULL && !JSON_NODE_HOLDS_NULL (args) && !JSON_NODE_HOLDS_OBJECT (args))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("The arguments of “%s” must be a JSON object"), name);
      return NULL;
    }

  return reins_action_new_with_id (name,
                                   args != NULL && JSON_NODE_HOLDS_OBJECT (args)
                                     ? json_node_get_object (args) : NULL,
                                   call_id);
}

ReinsAction *
reins_action_new_from_string (const char  *json,
                              GError     **error)
{
  g_autoptr(JsonNode) node = NULL;

  if (!reins_action_check_text (json, error))
    return NULL;
  node = reins_json_from_string (json, error);
  if (node == NULL)
    return NULL;
  return reins_action_new_from_json (node, error);
}

const char *
reins_action_get_name (ReinsAction *self)
{
  g_return_val_if_fail (REINS_IS_ACTION (self), NULL);
  return self->name;
}

/**
 * reins_action_get_arguments:
 *
 * Returns: (transfer none): the sealed arguments object; never %NULL
 */
JsonObject *
reins_action_get_arguments (ReinsAction *self)
{
  g_return_val_if_fail (REINS_IS_ACTION (self), NULL);
  return self->arguments;
}

const char *
reins_action_get_call_id (ReinsAction *self)
{
  g_return_val_if_fail (REINS_IS_ACTION (self), NULL);
  return self->call_id;
}

/* The string member @member of the arguments, or %NULL if absent or not a string. */
const char *
reins_action_get_string_argument (ReinsAction *self,
                                  const char  *member)
{
  JsonNode *node;

  g_return_val_if_fail (REINS_IS_ACTION (self), NULL);

  node = json_object_get_member (self->arguments, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

char *
reins_action_dup_arguments_json (ReinsAction *self)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (REINS_IS_ACTION (self), NULL);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, self->arguments);
  return reins_json_to_string (node, FALSE);
}

/* `{"name": …, "arguments": {…}}` as CONTRACTS §3 writes it; the call id is not part of it. */
JsonNode *
reins_action_to_json (ReinsAction *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (REINS_IS_ACTION (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "arguments");
  {
    JsonNode *args = json_node_new (JSON_NODE_OBJECT);

    json_node_set_object (args, self->arguments);
    json_builder_add_value (builder, args);
  }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
reins_action_to_string (ReinsAction *self)
{
  g_autoptr(JsonNode) node = reins_action_to_json (self);

  return reins_json_to_string (node, FALSE);
}

/* Same tool and equal arguments (member order does not matter); the call id is ignored. */
gboolean
reins_action_equal (ReinsAction *a,
                    ReinsAction *b)
{
  g_autoptr(JsonNode) na = NULL;
  g_autoptr(JsonNode) nb = NULL;

  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  if (g_strcmp0 (a->name, b->name) != 0)
    return FALSE;

  na = json_node_new (JSON_NODE_OBJECT);
  nb = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (na, a->arguments);
  json_node_set_object (nb, b->arguments);
  return json_node_equal (na, nb);
}
