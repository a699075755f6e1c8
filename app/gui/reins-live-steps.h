/* reins-live-steps.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The steps of a run the window executes, as a list model that grows as it runs.
 */

#pragma once

#include <gio/gio.h>

#include "reins-executor.h"

G_BEGIN_DECLS

#define REINS_TYPE_LIVE_STEPS (reins_live_steps_get_type ())

G_DECLARE_FINAL_TYPE (ReinsLiveSteps, reins_live_steps, REINS, LIVE_STEPS, GObject)

ReinsLiveSteps *reins_live_steps_new            (void);
void            reins_live_steps_set_executor   (ReinsLiveSteps *self,
                                                 ReinsExecutor  *executor);
void            reins_live_steps_add_stored     (ReinsLiveSteps *self,
                                                 GPtrArray      *steps);
void            reins_live_steps_clear          (ReinsLiveSteps *self);
void            reins_live_steps_flush          (ReinsLiveSteps *self);
ReinsStep      *reins_live_steps_get_live_step  (ReinsLiveSteps *self);
gboolean        reins_live_steps_get_caught_up  (ReinsLiveSteps *self);

G_END_DECLS
