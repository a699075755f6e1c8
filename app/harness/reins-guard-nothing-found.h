/* reins-guard-nothing-found.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "reins-guard.h"

G_BEGIN_DECLS

#define REINS_TYPE_GUARD_NOTHING_FOUND (reins_guard_nothing_found_get_type ())

G_DECLARE_FINAL_TYPE (ReinsGuardNothingFound, reins_guard_nothing_found, REINS,
                      GUARD_NOTHING_FOUND, GObject)

ReinsGuard *reins_guard_nothing_found_new          (void);
gboolean    reins_guard_nothing_found_step_matches (ReinsStep *step);

G_END_DECLS
