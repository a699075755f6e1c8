/* reins-guard-grounding.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "reins-guard.h"

G_BEGIN_DECLS

#define REINS_TYPE_GUARD_GROUNDING (reins_guard_grounding_get_type ())

G_DECLARE_FINAL_TYPE (ReinsGuardGrounding, reins_guard_grounding, REINS, GUARD_GROUNDING, GObject)

ReinsGuard *reins_guard_grounding_new (void);

G_END_DECLS
