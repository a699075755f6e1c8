/* reins-domain-types.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Forward typedefs and the enums every layer shares.
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _ReinsAction         ReinsAction;
typedef struct _ReinsVerdict        ReinsVerdict;
typedef struct _ReinsApprovalRecord ReinsApprovalRecord;
typedef struct _ReinsStep           ReinsStep;
typedef struct _ReinsRun            ReinsRun;

typedef enum
{
  REINS_RUN_STATUS_RUNNING,
  REINS_RUN_STATUS_PAUSED,
  REINS_RUN_STATUS_AWAITING_APPROVAL,
  REINS_RUN_STATUS_COMPLETED,
  REINS_RUN_STATUS_TERMINATED,
  REINS_RUN_STATUS_FAILED,
  REINS_RUN_STATUS_CANCELLED,
  REINS_RUN_STATUS_INTERRUPTED,
} ReinsRunStatus;

typedef enum
{
  REINS_CONFIDENCE_SOURCE_DEFAULT,
  REINS_CONFIDENCE_SOURCE_LOGPROBS,
  REINS_CONFIDENCE_SOURCE_SELF_REPORTED,
} ReinsConfidenceSource;

/* Ordered by severity: the harness acts on the largest. */
typedef enum
{
  REINS_VERDICT_ALLOW,
  REINS_VERDICT_CORRECT,
  REINS_VERDICT_ASK,
  REINS_VERDICT_TERMINATE,
} ReinsVerdictKind;

/* When in a step a guard judged: before the model is called, before the action runs, or
 * after its observation. A `correct` verdict's message reaches the model at that point. */
typedef enum
{
  REINS_VERDICT_PHASE_BEFORE_MODEL,
  REINS_VERDICT_PHASE_BEFORE_ACTION,
  REINS_VERDICT_PHASE_AFTER_OBSERVATION,
} ReinsVerdictPhase;

typedef enum
{
  REINS_DECISION_NONE,
  REINS_DECISION_APPROVE,
  REINS_DECISION_EDIT,
  REINS_DECISION_REJECT,
  REINS_DECISION_STOP,
} ReinsDecision;

typedef enum
{
  REINS_RISK_READ,
  REINS_RISK_WRITE,
  REINS_RISK_NETWORK,
  REINS_RISK_EXEC,
} ReinsRisk;

const char *reins_run_status_to_string         (ReinsRunStatus         status);
gboolean    reins_run_status_from_string       (const char            *str,
                                                ReinsRunStatus        *status);
gboolean    reins_run_status_is_final          (ReinsRunStatus         status);
const char *reins_confidence_source_to_string  (ReinsConfidenceSource  source);
gboolean    reins_confidence_source_from_string(const char            *str,
                                                ReinsConfidenceSource *source);
const char *reins_verdict_kind_to_string       (ReinsVerdictKind       kind);
gboolean    reins_verdict_kind_from_string     (const char            *str,
                                                ReinsVerdictKind      *kind);
const char *reins_verdict_phase_to_string      (ReinsVerdictPhase      phase);
gboolean    reins_verdict_phase_from_string    (const char            *str,
                                                ReinsVerdictPhase     *phase);
const char *reins_decision_to_string           (ReinsDecision          decision);
gboolean    reins_decision_from_string         (const char            *str,
                                                ReinsDecision         *decision);
const char *reins_risk_to_string               (ReinsRisk              risk);
gboolean    reins_risk_from_string             (const char            *str,
                                                ReinsRisk             *risk);

G_END_DECLS
