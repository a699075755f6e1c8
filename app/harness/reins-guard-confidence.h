/* reins-guard-confidence.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "reins-guard.h"

G_BEGIN_DECLS

#define REINS_TYPE_GUARD_CONFIDENCE (reins_guard_confidence_get_type ())

G_DECLARE_FINAL_TYPE (ReinsGuardConfidence, reins_guard_confidence, REINS, GUARD_CONFIDENCE, GObject)

ReinsGuard *reins_guard_confidence_new (void);

G_END_DECLS
