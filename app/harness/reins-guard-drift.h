/* reins-guard-drift.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "reins-guard.h"

G_BEGIN_DECLS

#define REINS_TYPE_GUARD_DRIFT (reins_guard_drift_get_type ())

G_DECLARE_FINAL_TYPE (ReinsGuardDrift, reins_guard_drift, REINS, GUARD_DRIFT, GObject)

ReinsGuard *reins_guard_drift_new (void);

G_END_DECLS
