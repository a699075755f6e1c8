/* reins-run-view-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the tests read of the run view.
 */

#pragma once

#include "reins-run-view.h"

G_BEGIN_DECLS

gboolean _reins_run_view_get_approval_bar_shown (ReinsRunView *self);
gboolean _reins_run_view_get_following          (ReinsRunView *self);
gboolean _reins_run_view_has_live_step          (ReinsRunView *self);
gboolean _reins_run_view_get_caught_up          (ReinsRunView *self);

G_END_DECLS
