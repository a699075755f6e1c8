/* reins-guard.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "reins-guard.h"
#include "reins-json-util.h"

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
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE &&
      reins_json_double_is_int64 (json_node_get_double (node)))
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

/**
 * reins_guard_step_has_verdict:
 *
 * Returns: whether @step carries a verdict of @guard at least as severe as @min_kind
 */
gboolean
reins_guard_step_has_verdict (ReinsStep        *step,
                              const char       *guard,
                              ReinsVerdictKind  min_kind)
{
  GPtrArray *verdicts = reins_step_get_verdicts (step);

  for (guint j = 0; j < verdicts->len; j++)
    {
      ReinsVerdict *v = g_ptr_array_index (verdicts, j);

      if (g_strcmp0 (reins_verdict_get_guard (v), guard) == 0 &&
          reins_verdict_get_kind (v) >= min_kind)
        return TRUE;
    }
  return FALSE;
}

/**
 * reins_guard_history_count:
 *
 * Returns: how many steps of @history carry a verdict of @guard at least as severe as
 *   @min_kind
 */
guint
reins_guard_history_count (GPtrArray        *history,
                           const char       *guard,
                           ReinsVerdictKind  min_kind)
{
  guint count = 0;

  for (guint i = 0; history != NULL && i < history->len; i++)
    if (reins_guard_step_has_verdict (g_ptr_array_index (history, i), guard, min_kind))
      count++;
  return count;
}

/**
 * reins_guard_history_last:
 *
 * Returns: the position in @history of the last step carrying a verdict of @guard at least
 *   as severe as @min_kind, or -1
 */
gint
reins_guard_history_last (GPtrArray        *history,
                          const char       *guard,
                          ReinsVerdictKind  min_kind)
{
  for (guint i = history != NULL ? history->len : 0; i > 0; i--)
    if (reins_guard_step_has_verdict (g_ptr_array_index (history, i - 1), guard, min_kind))
      return (gint) i - 1;
  return -1;
}

/**
 * reins_step_action_ran:
 *
 * Returns: whether the step's action was carried out: it has one, no guard corrected it
 *   before it ran, and no person rejected or stopped it
 */
gboolean
reins_step_action_ran (ReinsStep *step)
{
  GPtrArray *verdicts = reins_step_get_verdicts (step);
  GPtrArray *approvals = reins_step_get_approvals (step);

  if (reins_step_get_action (step) == NULL)
    return FALSE;

  for (guint i = 0; i < verdicts->len; i++)
    {
      ReinsVerdict *v = g_ptr_array_index (verdicts, i);

      if (reins_verdict_get_phase (v) == REINS_VERDICT_PHASE_BEFORE_ACTION &&
          reins_verdict_get_kind (v) >= REINS_VERDICT_CORRECT)
        {
          /* A correction, or a question that was rejected or left open. */
          if (reins_verdict_get_kind (v) != REINS_VERDICT_ASK)
            return FALSE;
        }
    }

  for (guint i = 0; i < approvals->len; i++)
    {
      ReinsApprovalRecord *record = g_ptr_array_index (approvals, i);
      ReinsDecision decision = reins_approval_record_get_decision (record);

      /* A question the tool `ask_human` or an MCP server put is part of the tool running. */
      if (g_strcmp0 (reins_approval_record_get_guard (record), "ask_human") == 0 ||
          g_strcmp0 (reins_approval_record_get_guard (record), "elicitation") == 0)
        continue;
      if (decision == REINS_DECISION_REJECT || decision == REINS_DECISION_STOP ||
          decision == REINS_DECISION_NONE)
        return FALSE;
    }

  return TRUE;
}

static gboolean
contains_any (const char         *lower,
              const char * const *needles)
{
  for (guint i = 0; needles[i] != NULL; i++)
    if (strstr (lower, needles[i]) != NULL)
      return TRUE;
  return FALSE;
}

/**
 * reins_text_looks_like_error:
 *
 * Whether a tool's result reads as a failure although the tool did not flag it: empty, or
 * opening with an error, or a JSON error member. Only the start of the text is looked at, so
 * a file that mentions errors somewhere is not a failure.
 */
gboolean
reins_text_looks_like_error (const char *text)
{
  static const char * const openings[] = {
    "error", "{\"error\"", "{\"error\":", "exception", "traceback", "fatal", "failed",
    "failure", "permission denied", "no such file", "not found", "command not found",
    "unknown key", "timed out", "[harness", NULL
  };
  g_autofree char *head = NULL;
  g_autofree char *lower = NULL;

  if (text == NULL)
    return TRUE;
  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    return TRUE;

  head = g_strndup (text, 200);
  lower = g_utf8_strdown (head, -1);
  for (guint i = 0; openings[i] != NULL; i++)
    if (g_str_has_prefix (lower, openings[i]))
      return TRUE;
  return strstr (lower, "\"error\":") != NULL || strstr (lower, "\"error\" :") != NULL;
}

/**
 * reins_text_admits_failure:
 *
 * Whether a reply or an answer acknowledges that something failed or was not found.
 */
gboolean
reins_text_admits_failure (const char *text)
{
  static const char * const phrases[] = {
    "could not", "couldn't", "couldn’t", "cannot", "can't", "can’t", "unable", "not able",
    "failed", "fails", "failure", "error", "did not work", "didn't work", "didn’t work",
    "does not exist", "doesn't exist", "doesn’t exist", "not found", "no such", "unknown",
    "don't know", "don’t know", "do not know", "not sure", "no answer", "no result",
    "nothing found", "found nothing", "wrong", "mistake", "invalid", "rejected", "denied",
    "not available", "unavailable", "did not", "didn't", "didn’t", NULL
  };
  g_autofree char *lower = NULL;

  if (text == NULL)
    return FALSE;
  lower = g_utf8_strdown (text, -1);
  return contains_any (lower, phrases);
}

/**
 * reins_guard_format_steps:
 *
 * Returns: "4", "4 and 5" or "4, 5 and 6", for a reason a person reads
 */
char *
reins_guard_format_steps (const guint *steps,
                          guint        n_steps)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n_steps; i++)
    {
      if (i > 0)
        g_string_append (out, i + 1 == n_steps ? _(" and ") : ", ");
      g_string_append_printf (out, "%u", steps[i]);
    }
  return g_string_free (out, FALSE);
}
