/* reins-guard-budget.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "reins-guard.h"

G_BEGIN_DECLS

#define REINS_TYPE_GUARD_BUDGET (reins_guard_budget_get_type ())

G_DECLARE_FINAL_TYPE (ReinsGuardBudget, reins_guard_budget, REINS, GUARD_BUDGET, GObject)

ReinsGuard *reins_guard_budget_new (void);

G_END_DECLS
