/* reins-guard-max-steps.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "reins-guard.h"

G_BEGIN_DECLS

#define REINS_TYPE_GUARD_MAX_STEPS (reins_guard_max_steps_get_type ())

G_DECLARE_FINAL_TYPE (ReinsGuardMaxSteps, reins_guard_max_steps, REINS, GUARD_MAX_STEPS, GObject)

ReinsGuard *reins_guard_max_steps_new (void);

G_END_DECLS
