/* reins-step-pipeline.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The phases of one step of the loop, in the one order both the live run and a replay (or
 * what-if) go through: the prompt and the guards before the model; the model's reply (a
 * live call, or the stored reply); the guards before the action; the action (a tool or a
 * person, or the stored observation); the guards after the observation; the commit.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  REINS_STEP_PHASE_PROMPT,
  REINS_STEP_PHASE_REPLY,
  REINS_STEP_PHASE_JUDGE_ACTION,
  REINS_STEP_PHASE_ACT,
  REINS_STEP_PHASE_JUDGE_OBSERVATION,
  REINS_STEP_PHASE_COMMIT,
  REINS_STEP_N_PHASES,
} ReinsStepPhase;

typedef enum
{
  REINS_STEP_CONTINUE,
  REINS_STEP_END,
} ReinsStepOutcome;

/* A phase: REINS_STEP_END ends the step there, and with it the run. */
typedef ReinsStepOutcome (*ReinsStepPhaseFunc) (gpointer state);

typedef struct
{
  ReinsStepPhaseFunc phases[REINS_STEP_N_PHASES];
} ReinsStepPipeline;

ReinsStepOutcome reins_step_pipeline_run        (const ReinsStepPipeline *pipeline,
                                                 ReinsStepPhase           from,
                                                 gpointer                 state);
const char      *reins_step_phase_to_string     (ReinsStepPhase           phase);

G_END_DECLS
