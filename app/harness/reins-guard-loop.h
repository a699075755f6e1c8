/* reins-guard-loop.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "reins-guard.h"

G_BEGIN_DECLS

#define REINS_TYPE_GUARD_LOOP (reins_guard_loop_get_type ())

G_DECLARE_FINAL_TYPE (ReinsGuardLoop, reins_guard_loop, REINS, GUARD_LOOP, GObject)

ReinsGuard *reins_guard_loop_new (void);

G_END_DECLS
