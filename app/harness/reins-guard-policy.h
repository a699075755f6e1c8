/* reins-guard-policy.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "reins-guard.h"

G_BEGIN_DECLS

#define REINS_TYPE_GUARD_POLICY (reins_guard_policy_get_type ())

G_DECLARE_FINAL_TYPE (ReinsGuardPolicy, reins_guard_policy, REINS, GUARD_POLICY, GObject)

ReinsGuard *reins_guard_policy_new (void);

G_END_DECLS
