/* reins-step-row-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the tests read of a step row.
 */

#pragma once

#include "reins-step-row.h"

G_BEGIN_DECLS

const char *_reins_step_row_get_observation_text (ReinsStepRow *self);
gboolean    _reins_step_row_get_truncated        (ReinsStepRow *self);
guint       _reins_step_row_get_n_verdicts       (ReinsStepRow *self);
const char *_reins_step_row_get_critic_text      (ReinsStepRow *self);
gboolean    _reins_step_row_get_in_loop          (ReinsStepRow *self);
GtkWidget  *_reins_step_row_get_decision_box     (ReinsStepRow *self);
const char *_reins_step_row_get_usage_text       (ReinsStepRow *self);
gboolean    _reins_step_row_get_meter_shown      (ReinsStepRow *self);

G_END_DECLS
