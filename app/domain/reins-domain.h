/* reins-domain.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The records every layer shares.
 */

#pragma once

#include "reins-action.h"
#include "reins-approval-record.h"
#include "reins-critique.h"
#include "reins-domain-types.h"
#include "reins-enums.h"
#include "reins-error.h"
#include "reins-events.h"
#include "reins-json-util.h"
#include "reins-kb.h"
#include "reins-run.h"
#include "reins-step.h"
#include "reins-verdict.h"
