/* reins-guard-rate.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "reins-guard.h"

G_BEGIN_DECLS

#define REINS_TYPE_GUARD_RATE (reins_guard_rate_get_type ())

G_DECLARE_FINAL_TYPE (ReinsGuardRate, reins_guard_rate, REINS, GUARD_RATE, GObject)

ReinsGuard *reins_guard_rate_new (void);

G_END_DECLS
