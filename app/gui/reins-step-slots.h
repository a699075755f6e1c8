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

G_BEGIN_DECLS

#define REINS_TYPE_STEP_SLOT (reins_step_slot_get_type ())

G_DECLARE_FINAL_TYPE (ReinsStepSlot, reins_step_slot, REINS, STEP_SLOT, GObject)

ReinsStep *reins_step_slot_get_step     (ReinsStepSlot *self);
guint      reins_step_slot_get_position (ReinsStepSlot *self);

#define REINS_TYPE_STEP_SLOTS (reins_step_slots_get_type ())

G_DECLARE_FINAL_TYPE (ReinsStepSlots, reins_step_slots, REINS, STEP_SLOTS, GObject)

ReinsStepSlots *reins_step_slots_new          (GListModel     *steps);
guint           reins_step_slots_get_n_hidden (ReinsStepSlots *self);
void            reins_step_slots_reveal       (ReinsStepSlots *self,
                                               gboolean        all);
void            reins_step_slots_set_paced    (ReinsStepSlots *self,
                                               gboolean        paced);

G_END_DECLS
