/* reins-events.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The JSON Lines events of CONTRACTS §2, built in one place so that the CLI, the
 * exporters and the tests all write the same objects.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "reins-approval-record.h"
#include "reins-run.h"
#include "reins-step.h"

G_BEGIN_DECLS

JsonNode *reins_event_run_started       (ReinsRun            *run);
JsonNode *reins_event_token             (const char          *run_id,
                                         guint                step,
                                         const char          *text);
JsonNode *reins_event_step              (ReinsStep           *step);
JsonNode *reins_event_approval_requested(const char          *run_id,
                                         ReinsApprovalRecord *record);
JsonNode *reins_event_approval_resolved (const char          *run_id,
                                         ReinsApprovalRecord *record);
JsonNode *reins_event_run_finished      (ReinsRun            *run);
char     *reins_event_to_line           (JsonNode            *event);

G_END_DECLS
