/* reins-step-slots.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The timeline's items: one per position, whose step changes in place.
 */

#pragma once

#include <gio/gio.h>

#include "reins-domain.h"
#include "reins-step-model.h"

G_BEGIN_DECLS

#define REINS_TYPE_STEP_SLOT (reins_step_slot_get_type ())

G_DECLARE_FINAL_TYPE (ReinsStepSlot, reins_step_slot, REINS, STEP_SLOT, GObject)

ReinsStep *reins_step_slot_get_step            (ReinsStepSlot *self);
guint      reins_step_slot_get_position        (ReinsStepSlot *self);
double     reins_step_slot_get_threshold       (ReinsStepSlot *self);
gboolean   reins_step_slot_get_below_threshold (ReinsStepSlot *self);
gboolean   reins_step_slot_get_loop_step       (ReinsStepSlot *self);
gboolean   reins_step_slot_get_live            (ReinsStepSlot *self);
gboolean   reins_step_slot_get_waiting         (ReinsStepSlot *self);
gboolean   reins_step_slot_get_loading         (ReinsStepSlot *self);

#define REINS_TYPE_STEP_SLOTS (reins_step_slots_get_type ())

G_DECLARE_FINAL_TYPE (ReinsStepSlots, reins_step_slots, REINS, STEP_SLOTS, GObject)

ReinsStepSlots *reins_step_slots_new          (GListModel     *steps);
guint           reins_step_slots_get_n_hidden (ReinsStepSlots *self);
void            reins_step_slots_reveal       (ReinsStepSlots *self,
                                               gboolean        all);
void            reins_step_slots_set_paced    (ReinsStepSlots *self,
                                               gboolean        paced);
void            reins_step_slots_set_chunk    (ReinsStepSlots *self,
                                               guint           chunk);
guint           reins_step_slots_get_chunk    (ReinsStepSlots *self);

/* What the slots say of their steps besides the step itself. */
void            reins_step_slots_set_threshold    (ReinsStepSlots *self,
                                                   double          threshold);
double          reins_step_slots_get_threshold    (ReinsStepSlots *self);
void            reins_step_slots_clear_loop_steps (ReinsStepSlots *self);
void            reins_step_slots_add_loop_steps   (ReinsStepSlots *self,
                                                   const guint    *steps,
                                                   guint           n_steps);
void            reins_step_slots_set_live_step    (ReinsStepSlots *self,
                                                   ReinsStep      *step);
void            reins_step_slots_set_waiting_step (ReinsStepSlots *self,
                                                   guint           index);
void            reins_step_slots_set_lazy_model   (ReinsStepSlots *self,
                                                   ReinsStepModel *model);
void            reins_step_slots_set_marks        (ReinsStepSlots *self,
                                                   GHashTable     *feedback,
                                                   GHashTable     *differences);

G_END_DECLS
