/* reins-step-slot-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the slots (reins-step-slots.c) may do to a slot (reins-step-slot.c): make it, and
 * change its step and its state.
 */

#pragma once

#include "reins-run-lineage.h"
#include "reins-step-slots.h"
#include "reins-store.h"

G_BEGIN_DECLS

/* A slot's state besides its step, taken from the step and the run's. */
typedef struct
{
  double                     threshold;
  gboolean                   below_threshold;
  gboolean                   loop_step;
  gboolean                   live;
  gboolean                   waiting;
  gboolean                   loading;
  const ReinsStepFeedback   *feedback;    /* (nullable) borrowed */
  const ReinsStepDifference *difference;  /* (nullable) borrowed */
} ReinsStepSlotState;

ReinsStepSlot *reins_step_slot_new       (guint                     position,
                                          ReinsStep                *step);
void           reins_step_slot_set_step  (ReinsStepSlot            *self,
                                          ReinsStep                *step);
void           reins_step_slot_set_state (ReinsStepSlot            *self,
                                          const ReinsStepSlotState *state);

G_END_DECLS
