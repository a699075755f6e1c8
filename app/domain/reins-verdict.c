/* reins-verdict.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-error.h"
#include "reins-json-util.h"
#include "reins-verdict.h"

struct _ReinsVerdict
{
  GObject           parent_instance;

  char             *guard;
  char             *reason;
  ReinsVerdictKind  kind;
  ReinsVerdictPhase phase;
  guint            *steps;
  guint             n_steps;
};

G_DEFINE_FINAL_TYPE (ReinsVerdict, reins_verdict, G_TYPE_OBJECT)

static void
reins_verdict_finalize (GObject *object)
{
  ReinsVerdict *self = (ReinsVerdict *)object;

  g_clear_pointer (&self->guard, g_free);
  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->steps, g_free);

  G_OBJECT_CLASS (reins_verdict_parent_class)->finalize (object);
}

static void
reins_verdict_class_init (ReinsVerdictClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = reins_verdict_finalize;
}

static void
reins_verdict_init (ReinsVerdict *self)
{
}

/**
 * reins_verdict_new_with_steps:
 * @steps: (array length=n_steps) (nullable): the steps the verdict is about, e.g. those
 *   that form a detected loop, so the timeline can highlight them
 */
ReinsVerdict *
reins_verdict_new_with_steps (const char       *guard,
                              ReinsVerdictKind  kind,
                              const char       *reason,
                              const guint      *steps,
                              guint             n_steps)
{
  ReinsVerdict *self;

  g_return_val_if_fail (guard != NULL, NULL);
  g_return_val_if_fail (kind <= REINS_VERDICT_TERMINATE, NULL);

  self = g_object_new (REINS_TYPE_VERDICT, NULL);
  self->guard = g_strdup (guard);
  self->kind = kind;
  self->reason = g_strdup (reason != NULL ? reason : "");
  self->phase = REINS_VERDICT_PHASE_BEFORE_ACTION;
  if (steps != NULL && n_steps > 0)
    {
      self->steps = g_memdup2 (steps, sizeof (guint) * n_steps);
      self->n_steps = n_steps;
    }

  return self;
}

ReinsVerdict *
reins_verdict_new (const char       *guard,
                   ReinsVerdictKind  kind,
                   const char       *reason)
{
  return reins_verdict_new_with_steps (guard, kind, reason, NULL, 0);
}

ReinsVerdict *
reins_verdict_new_from_json (JsonNode  *node,
                             GError   **error)
{
  JsonObject *object;
  JsonNode *steps_node;
  g_autofree char *guard = NULL;
  g_autofree char *verdict = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *phase = NULL;
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (guint));
  ReinsVerdictKind kind;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("A harness verdict must be a JSON object"));
      return NULL;
    }

  object = json_node_get_object (node);
  if (!reins_json_get_string (object, "guard", &guard, error) ||
      !reins_json_get_string (object, "verdict", &verdict, error) ||
      !reins_json_get_string (object, "reason", &reason, error) ||
      !reins_json_get_string (object, "phase", &phase, error))
    return NULL;

  if (guard == NULL)
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("A harness verdict has no guard"));
      return NULL;
    }

  if (!reins_verdict_kind_from_string (verdict, &kind))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("Unknown verdict “%s”"), verdict ? verdict : "null");
      return NULL;
    }

  steps_node = json_object_get_member (object, "steps");
  if (steps_node != NULL && JSON_NODE_HOLDS_ARRAY (steps_node))
    {
      JsonArray *array = json_node_get_array (steps_node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          gint64 v = json_array_get_int_element (array, i);

          if (v > 0 && v <= G_MAXUINT)
            {
              guint s = (guint) v;
              g_array_append_val (steps, s);
            }
        }
    }

  {
    ReinsVerdict *self = reins_verdict_new_with_steps (guard, kind, reason,
                                                       (const guint *)(gpointer) steps->data,
                                                       steps->len);

    if (phase != NULL && !reins_verdict_phase_from_string (phase, &self->phase))
      {
        g_object_unref (self);
        g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                     _("Unknown verdict phase “%s”"), phase);
        return NULL;
      }
    return self;
  }
}

ReinsVerdictPhase
reins_verdict_get_phase (ReinsVerdict *self)
{
  g_return_val_if_fail (REINS_IS_VERDICT (self), REINS_VERDICT_PHASE_BEFORE_ACTION);
  return self->phase;
}

/* Set by the harness when it records the verdict, before anyone else sees it. */
void
reins_verdict_set_phase (ReinsVerdict      *self,
                         ReinsVerdictPhase  phase)
{
  g_return_if_fail (REINS_IS_VERDICT (self));
  self->phase = phase;
}

const char *
reins_verdict_get_guard (ReinsVerdict *self)
{
  g_return_val_if_fail (REINS_IS_VERDICT (self), NULL);
  return self->guard;
}

ReinsVerdictKind
reins_verdict_get_kind (ReinsVerdict *self)
{
  g_return_val_if_fail (REINS_IS_VERDICT (self), REINS_VERDICT_ALLOW);
  return self->kind;
}

const char *
reins_verdict_get_reason (ReinsVerdict *self)
{
  g_return_val_if_fail (REINS_IS_VERDICT (self), NULL);
  return self->reason;
}

const guint *
reins_verdict_get_steps (ReinsVerdict *self,
                         guint        *n_steps)
{
  g_return_val_if_fail (REINS_IS_VERDICT (self), NULL);

  if (n_steps != NULL)
    *n_steps = self->n_steps;
  return self->steps;
}

JsonNode *
reins_verdict_to_json (ReinsVerdict *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (REINS_IS_VERDICT (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "guard");
  json_builder_add_string_value (builder, self->guard);
  json_builder_set_member_name (builder, "verdict");
  json_builder_add_string_value (builder, reins_verdict_kind_to_string (self->kind));
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, self->reason);
  json_builder_set_member_name (builder, "phase");
  json_builder_add_string_value (builder, reins_verdict_phase_to_string (self->phase));
  if (self->n_steps > 0)
    {
      json_builder_set_member_name (builder, "steps");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->n_steps; i++)
        json_builder_add_int_value (builder, self->steps[i]);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
