/* reins-approval-record.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "reins-approval-record.h"
#include "reins-error.h"
#include "reins-json-util.h"

struct _ReinsApprovalRecord
{
  GObject        parent_instance;

  guint          step;
  char          *guard;
  char          *reason;
  ReinsAction   *action;
  double         confidence;
  ReinsDecision  decision;
  ReinsAction   *final_action;
  char          *feedback;
  gint64         requested_at;
  gint64         resolved_at;
  char          *decided_by;
};

G_DEFINE_FINAL_TYPE (ReinsApprovalRecord, reins_approval_record, G_TYPE_OBJECT)

static void
reins_approval_record_finalize (GObject *object)
{
  ReinsApprovalRecord *self = (ReinsApprovalRecord *)object;

  g_clear_pointer (&self->guard, g_free);
  g_clear_pointer (&self->reason, g_free);
  g_clear_object (&self->action);
  g_clear_object (&self->final_action);
  g_clear_pointer (&self->feedback, g_free);
  g_clear_pointer (&self->decided_by, g_free);

  G_OBJECT_CLASS (reins_approval_record_parent_class)->finalize (object);
}

static void
reins_approval_record_class_init (ReinsApprovalRecordClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = reins_approval_record_finalize;
}

static void
reins_approval_record_init (ReinsApprovalRecord *self)
{
  self->confidence = NAN;
}

/**
 * reins_approval_record_new:
 * @action: (nullable): the action in question
 * @confidence: the step's confidence, or NAN when there is none
 */
ReinsApprovalRecord *
reins_approval_record_new (guint        step,
                           const char  *guard,
                           const char  *reason,
                           ReinsAction *action,
                           double       confidence)
{
  ReinsApprovalRecord *self;

  g_return_val_if_fail (guard != NULL, NULL);
  g_return_val_if_fail (action == NULL || REINS_IS_ACTION (action), NULL);

  self = g_object_new (REINS_TYPE_APPROVAL_RECORD, NULL);
  self->step = step;
  self->guard = g_strdup (guard);
  self->reason = g_strdup (reason != NULL ? reason : "");
  g_set_object (&self->action, action);
  self->confidence = confidence;
  self->requested_at = g_get_real_time ();

  return self;
}

guint
reins_approval_record_get_step (ReinsApprovalRecord *self)
{
  g_return_val_if_fail (REINS_IS_APPROVAL_RECORD (self), 0);
  return self->step;
}

const char *
reins_approval_record_get_guard (ReinsApprovalRecord *self)
{
  g_return_val_if_fail (REINS_IS_APPROVAL_RECORD (self), NULL);
  return self->guard;
}

const char *
reins_approval_record_get_reason (ReinsApprovalRecord *self)
{
  g_return_val_if_fail (REINS_IS_APPROVAL_RECORD (self), NULL);
  return self->reason;
}

ReinsAction *
reins_approval_record_get_action (ReinsApprovalRecord *self)
{
  g_return_val_if_fail (REINS_IS_APPROVAL_RECORD (self), NULL);
  return self->action;
}

double
reins_approval_record_get_confidence (ReinsApprovalRecord *self)
{
  g_return_val_if_fail (REINS_IS_APPROVAL_RECORD (self), NAN);
  return self->confidence;
}

ReinsDecision
reins_approval_record_get_decision (ReinsApprovalRecord *self)
{
  g_return_val_if_fail (REINS_IS_APPROVAL_RECORD (self), REINS_DECISION_NONE);
  return self->decision;
}

ReinsAction *
reins_approval_record_get_final_action (ReinsApprovalRecord *self)
{
  g_return_val_if_fail (REINS_IS_APPROVAL_RECORD (self), NULL);
  return self->final_action;
}

const char *
reins_approval_record_get_feedback (ReinsApprovalRecord *self)
{
  g_return_val_if_fail (REINS_IS_APPROVAL_RECORD (self), NULL);
  return self->feedback;
}

gint64
reins_approval_record_get_requested_at (ReinsApprovalRecord *self)
{
  g_return_val_if_fail (REINS_IS_APPROVAL_RECORD (self), 0);
  return self->requested_at;
}

void
reins_approval_record_set_requested_at (ReinsApprovalRecord *self,
                                        gint64               unix_usec)
{
  g_return_if_fail (REINS_IS_APPROVAL_RECORD (self));
  self->requested_at = unix_usec;
}

gint64
reins_approval_record_get_resolved_at (ReinsApprovalRecord *self)
{
  g_return_val_if_fail (REINS_IS_APPROVAL_RECORD (self), 0);
  return self->resolved_at;
}

/**
 * reins_approval_record_resolve:
 * @final_action: (nullable): the action that will run (the edited one for `edit`)
 * @feedback: (nullable): the words the person gave the model, for `reject`
 */
void
reins_approval_record_resolve (ReinsApprovalRecord *self,
                               ReinsDecision        decision,
                               ReinsAction         *final_action,
                               const char          *feedback,
                               gint64               resolved_at)
{
  g_return_if_fail (REINS_IS_APPROVAL_RECORD (self));

  self->decision = decision;
  g_set_object (&self->final_action, final_action);
  g_free (self->feedback);
  self->feedback = g_strdup (feedback);
  self->resolved_at = resolved_at;
}

/**
 * reins_approval_record_get_decided_by:
 *
 * Returns: (nullable): %NULL when the person decided, else what decided for them:
 *   %REINS_DECIDED_BY_POLICY or a command-line option such as "--approve=yes"
 */
const char *
reins_approval_record_get_decided_by (ReinsApprovalRecord *self)
{
  g_return_val_if_fail (REINS_IS_APPROVAL_RECORD (self), NULL);
  return self->decided_by;
}

/* Set before the record is resolved, by whoever answers on the person's behalf. */
void
reins_approval_record_set_decided_by (ReinsApprovalRecord *self,
                                      const char          *decided_by)
{
  g_return_if_fail (REINS_IS_APPROVAL_RECORD (self));

  if (decided_by != NULL && decided_by[0] == '\0')
    decided_by = NULL;
  g_free (self->decided_by);
  self->decided_by = g_strdup (decided_by);
}

gboolean
reins_approval_record_is_automatic (ReinsApprovalRecord *self)
{
  g_return_val_if_fail (REINS_IS_APPROVAL_RECORD (self), FALSE);
  return self->decided_by != NULL;
}

/* Whole sentences, so that translators see each one. */
static char *
dup_decision_text (ReinsDecision  decision,
                   const char    *decided_by)
{
  gboolean by_policy = g_strcmp0 (decided_by, REINS_DECIDED_BY_POLICY) == 0;

  if (decided_by == NULL)
    switch (decision)
      {
      case REINS_DECISION_APPROVE: return g_strdup (_("Approved by you"));
      case REINS_DECISION_EDIT:    return g_strdup (_("Edited by you"));
      case REINS_DECISION_REJECT:  return g_strdup (_("Rejected by you"));
      case REINS_DECISION_STOP:    return g_strdup (_("Stopped by you"));
      case REINS_DECISION_NONE:
      default:                     break;
      }
  else if (by_policy)
    switch (decision)
      {
      case REINS_DECISION_APPROVE: return g_strdup (_("Approved by policy"));
      case REINS_DECISION_EDIT:    return g_strdup (_("Edited by policy"));
      case REINS_DECISION_REJECT:  return g_strdup (_("Rejected by policy"));
      case REINS_DECISION_STOP:    return g_strdup (_("Stopped by policy"));
      case REINS_DECISION_NONE:
      default:                     break;
      }
  else
    /* Translators: %s is the command-line option that answered, e.g. "--approve=yes" */
    switch (decision)
      {
      case REINS_DECISION_APPROVE:
        return g_strdup_printf (_("Approved automatically (%s)"), decided_by);
      case REINS_DECISION_EDIT:
        return g_strdup_printf (_("Edited automatically (%s)"), decided_by);
      case REINS_DECISION_REJECT:
        return g_strdup_printf (_("Rejected automatically (%s)"), decided_by);
      case REINS_DECISION_STOP:
        return g_strdup_printf (_("Stopped automatically (%s)"), decided_by);
      case REINS_DECISION_NONE:
      default:                     break;
      }

  return g_strdup (_("Waiting for a person"));
}

/**
 * reins_approval_record_dup_summary:
 *
 * Who decided what, in one line for people: "Approved by you", "Edited by you",
 * "Rejected by you: “…”", "Answered by you: “…”", "Approved automatically (--approve=yes)",
 * "Rejected by policy", or "Waiting for a person".
 *
 * Returns: (transfer full): the line
 */
char *
reins_approval_record_dup_summary (ReinsApprovalRecord *self)
{
  g_autofree char *decision = NULL;

  g_return_val_if_fail (REINS_IS_APPROVAL_RECORD (self), NULL);

  /* An ask_human question approved carries the person's answer as its feedback. */
  if (g_strcmp0 (self->guard, "ask_human") == 0 && self->decision == REINS_DECISION_APPROVE &&
      self->decided_by == NULL)
    /* Translators: the person's answer to the agent's question */
    return g_strdup_printf (_("Answered by you: “%s”"),
                            self->feedback != NULL ? self->feedback : "");

  decision = dup_decision_text (self->decision, self->decided_by);
  if (self->decision != REINS_DECISION_NONE && self->feedback != NULL)
    /* Translators: a decision ("Rejected by you") and the words given to the model */
    return g_strdup_printf (_("%s: “%s”"), decision, self->feedback);
  return g_steal_pointer (&decision);
}

JsonNode *
reins_approval_record_to_json (ReinsApprovalRecord *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *requested = NULL;
  g_autofree char *resolved = NULL;

  g_return_val_if_fail (REINS_IS_APPROVAL_RECORD (self), NULL);

  requested = reins_time_to_iso8601 (self->requested_at);
  resolved = reins_time_to_iso8601 (self->resolved_at);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "step");
  json_builder_add_int_value (builder, self->step);
  json_builder_set_member_name (builder, "guard");
  json_builder_add_string_value (builder, self->guard);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, self->reason);
  json_builder_set_member_name (builder, "action");
  if (self->action != NULL)
    json_builder_add_value (builder, reins_action_to_json (self->action));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "confidence");
  if (isnan (self->confidence))
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, self->confidence);
  json_builder_set_member_name (builder, "decision");
  if (self->decision == REINS_DECISION_NONE)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, reins_decision_to_string (self->decision));
  json_builder_set_member_name (builder, "final_action");
  if (self->final_action != NULL)
    json_builder_add_value (builder, reins_action_to_json (self->final_action));
  else
    json_builder_add_null_value (builder);
  reins_json_add_string_or_null (builder, "feedback", self->feedback);
  reins_json_add_string_or_null (builder, "requested_at", requested);
  reins_json_add_string_or_null (builder, "resolved_at", resolved);
  /* Added after the first release: null when the person decided. */
  reins_json_add_string_or_null (builder, "decided_by", self->decided_by);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

ReinsApprovalRecord *
reins_approval_record_new_from_json (JsonNode  *node,
                                     GError   **error)
{
  JsonObject *object;
  JsonNode *member;
  gint64 step = 0;
  double confidence = NAN;
  gboolean has_confidence = FALSE;
  g_autofree char *guard = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *decision_str = NULL;
  g_autofree char *feedback = NULL;
  g_autofree char *requested = NULL;
  g_autofree char *resolved = NULL;
  g_autofree char *decided_by = NULL;
  g_autoptr(ReinsAction) action = NULL;
  g_autoptr(ReinsAction) final_action = NULL;
  ReinsDecision decision = REINS_DECISION_NONE;
  ReinsApprovalRecord *self;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("An approval must be a JSON object"));
      return NULL;
    }

  object = json_node_get_object (node);
  if (!reins_json_get_int (object, "step", &step, error) ||
      !reins_json_get_string (object, "guard", &guard, error) ||
      !reins_json_get_string (object, "reason", &reason, error) ||
      !reins_json_get_double (object, "confidence", &confidence, &has_confidence, error) ||
      !reins_json_get_string (object, "decision", &decision_str, error) ||
      !reins_json_get_string (object, "feedback", &feedback, error) ||
      !reins_json_get_string (object, "requested_at", &requested, error) ||
      !reins_json_get_string (object, "resolved_at", &resolved, error) ||
      !reins_json_get_string (object, "decided_by", &decided_by, error))
    return NULL;

  if (guard == NULL)
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("An approval has no guard"));
      return NULL;
    }

  if (decision_str != NULL && !reins_decision_from_string (decision_str, &decision))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("Unknown decision “%s”"), decision_str);
      return NULL;
    }

  member = json_object_get_member (object, "action");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member) &&
      !(action = reins_action_new_from_json (member, error)))
    return NULL;

  member = json_object_get_member (object, "final_action");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member) &&
      !(final_action = reins_action_new_from_json (member, error)))
    return NULL;

  self = reins_approval_record_new ((guint) CLAMP (step, 0, G_MAXUINT), guard, reason, action,
                                    has_confidence ? confidence : NAN);
  self->requested_at = reins_time_from_iso8601 (requested);
  reins_approval_record_set_decided_by (self, decided_by);
  if (decision != REINS_DECISION_NONE)
    reins_approval_record_resolve (self, decision, final_action, feedback,
                                   reins_time_from_iso8601 (resolved));

  return self;
}
