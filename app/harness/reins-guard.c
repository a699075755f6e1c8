/* reins-guard.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "reins-guard.h"

G_DEFINE_INTERFACE (ReinsGuard, reins_guard, G_TYPE_OBJECT)

static void
reins_guard_default_init (ReinsGuardInterface *iface)
{
}

const char *
reins_guard_get_name (ReinsGuard *self)
{
  g_return_val_if_fail (REINS_IS_GUARD (self), NULL);
  return REINS_GUARD_GET_IFACE (self)->get_name (self);
}

/**
 * reins_guard_evaluate:
 *
 * Returns: (transfer full) (nullable): the guard's verdict at @phase, or %NULL
 */
ReinsVerdict *
reins_guard_evaluate (ReinsGuard        *self,
                      ReinsVerdictPhase  phase,
                      ReinsGuardContext *context,
                      ReinsStep         *step)
{
  ReinsGuardInterface *iface;

  g_return_val_if_fail (REINS_IS_GUARD (self), NULL);
  g_return_val_if_fail (context != NULL, NULL);
  g_return_val_if_fail (REINS_IS_STEP (step), NULL);

  iface = REINS_GUARD_GET_IFACE (self);

  switch (phase)
    {
    case REINS_VERDICT_PHASE_BEFORE_MODEL:
      return iface->before_model ? iface->before_model (self, context, step) : NULL;

    case REINS_VERDICT_PHASE_BEFORE_ACTION:
      return iface->before_action ? iface->before_action (self, context, step) : NULL;

    case REINS_VERDICT_PHASE_AFTER_OBSERVATION:
      return iface->after_observation ? iface->after_observation (self, context, step) : NULL;

    default:
      g_return_val_if_reached (NULL);
    }
}

void
reins_guard_approval_resolved (ReinsGuard          *self,
                               ReinsGuardContext   *context,
                               ReinsStep           *step,
                               ReinsApprovalRecord *record)
{
  ReinsGuardInterface *iface;

  g_return_if_fail (REINS_IS_GUARD (self));

  iface = REINS_GUARD_GET_IFACE (self);
  if (iface->approval_resolved != NULL)
    iface->approval_resolved (self, context, step, record);
}

static JsonNode *
get_value (JsonObject *settings,
           const char *member)
{
  JsonNode *node;

  if (settings == NULL)
    return NULL;
  node = json_object_get_member (settings, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  return node;
}

double
reins_settings_get_double (JsonObject *settings,
                           const char *member,
                           double      fallback)
{
  JsonNode *node = get_value (settings, member);

  if (node == NULL)
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return json_node_get_double (node);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double) json_node_get_int (node);
  return fallback;
}

gint64
reins_settings_get_int (JsonObject *settings,
                        const char *member,
                        gint64      fallback)
{
  JsonNode *node = get_value (settings, member);

  if (node == NULL)
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  return fallback;
}

gboolean
reins_settings_get_bool (JsonObject *settings,
                         const char *member,
                         gboolean    fallback)
{
  JsonNode *node = get_value (settings, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

const char *
reins_settings_get_string (JsonObject *settings,
                           const char *member,
                           const char *fallback)
{
  JsonNode *node = get_value (settings, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return fallback;
  return json_node_get_string (node);
}

gboolean
reins_settings_list_contains (JsonObject *settings,
                              const char *member,
                              const char *value)
{
  JsonNode *node;
  JsonArray *array;

  if (settings == NULL || value == NULL)
    return FALSE;
  node = json_object_get_member (settings, member);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) &&
          json_node_get_value_type (element) == G_TYPE_STRING &&
          g_strcmp0 (json_node_get_string (element), value) == 0)
        return TRUE;
    }

  return FALSE;
}
