/* reins-domain-types.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The wire names of the shared enums, exactly as CONTRACTS.md §2 spells them.
 */

#include "config.h"

#include "reins-domain-types.h"

static const char * const run_status_names[] = {
  [REINS_RUN_STATUS_RUNNING] = "running",
  [REINS_RUN_STATUS_PAUSED] = "paused",
  [REINS_RUN_STATUS_AWAITING_APPROVAL] = "awaiting_approval",
  [REINS_RUN_STATUS_COMPLETED] = "completed",
  [REINS_RUN_STATUS_TERMINATED] = "terminated",
  [REINS_RUN_STATUS_FAILED] = "failed",
  [REINS_RUN_STATUS_CANCELLED] = "cancelled",
  [REINS_RUN_STATUS_INTERRUPTED] = "interrupted",
};

static const char * const confidence_source_names[] = {
  [REINS_CONFIDENCE_SOURCE_DEFAULT] = "default",
  [REINS_CONFIDENCE_SOURCE_LOGPROBS] = "logprobs",
  [REINS_CONFIDENCE_SOURCE_SELF_REPORTED] = "self_reported",
};

static const char * const verdict_names[] = {
  [REINS_VERDICT_ALLOW] = "allow",
  [REINS_VERDICT_CORRECT] = "correct",
  [REINS_VERDICT_ASK] = "ask",
  [REINS_VERDICT_TERMINATE] = "terminate",
};

static const char * const verdict_phase_names[] = {
  [REINS_VERDICT_PHASE_BEFORE_MODEL] = "before_model",
  [REINS_VERDICT_PHASE_BEFORE_ACTION] = "before_action",
  [REINS_VERDICT_PHASE_AFTER_OBSERVATION] = "after_observation",
};

static const char * const decision_names[] = {
  [REINS_DECISION_NONE] = "none",
  [REINS_DECISION_APPROVE] = "approve",
  [REINS_DECISION_EDIT] = "edit",
  [REINS_DECISION_REJECT] = "reject",
  [REINS_DECISION_STOP] = "stop",
};

static const char * const risk_names[] = {
  [REINS_RISK_READ] = "read",
  [REINS_RISK_WRITE] = "write",
  [REINS_RISK_NETWORK] = "network",
  [REINS_RISK_EXEC] = "exec",
};

static const char *
name_of (const char * const *names,
         guint               n_names,
         guint               value)
{
  g_return_val_if_fail (value < n_names, NULL);
  return names[value];
}

static gboolean
value_of (const char * const *names,
          guint               n_names,
          const char         *str,
          guint              *value)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < n_names; i++)
    {
      if (g_strcmp0 (names[i], str) == 0)
        {
          *value = i;
          return TRUE;
        }
    }

  return FALSE;
}

#define DEFINE_ENUM_NAMES(func, Type, names)                                  \
  const char *                                                                \
  func##_to_string (Type value)                                               \
  {                                                                           \
    return name_of (names, G_N_ELEMENTS (names), (guint) value);              \
  }                                                                           \
                                                                              \
  gboolean                                                                    \
  func##_from_string (const char *str,                                        \
                      Type       *value)                                      \
  {                                                                           \
    guint v;                                                                  \
                                                                              \
    g_return_val_if_fail (value != NULL, FALSE);                              \
                                                                              \
    if (!value_of (names, G_N_ELEMENTS (names), str, &v))                     \
      return FALSE;                                                           \
    *value = (Type) v;                                                        \
    return TRUE;                                                              \
  }

DEFINE_ENUM_NAMES (reins_run_status, ReinsRunStatus, run_status_names)
DEFINE_ENUM_NAMES (reins_confidence_source, ReinsConfidenceSource, confidence_source_names)
DEFINE_ENUM_NAMES (reins_verdict_kind, ReinsVerdictKind, verdict_names)
DEFINE_ENUM_NAMES (reins_verdict_phase, ReinsVerdictPhase, verdict_phase_names)
DEFINE_ENUM_NAMES (reins_decision, ReinsDecision, decision_names)
DEFINE_ENUM_NAMES (reins_risk, ReinsRisk, risk_names)

gboolean
reins_run_status_is_final (ReinsRunStatus status)
{
  switch (status)
    {
    case REINS_RUN_STATUS_COMPLETED:
    case REINS_RUN_STATUS_TERMINATED:
    case REINS_RUN_STATUS_FAILED:
    case REINS_RUN_STATUS_CANCELLED:
      return TRUE;

    case REINS_RUN_STATUS_RUNNING:
    case REINS_RUN_STATUS_PAUSED:
    case REINS_RUN_STATUS_AWAITING_APPROVAL:
    case REINS_RUN_STATUS_INTERRUPTED:
    default:
      return FALSE;
    }
}
