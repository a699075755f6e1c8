/* reins-guard-tool-result.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "reins-guard.h"

G_BEGIN_DECLS

#define REINS_TYPE_GUARD_TOOL_RESULT (reins_guard_tool_result_get_type ())

G_DECLARE_FINAL_TYPE (ReinsGuardToolResult, reins_guard_tool_result, REINS, GUARD_TOOL_RESULT, GObject)

ReinsGuard *reins_guard_tool_result_new (void);

G_END_DECLS
