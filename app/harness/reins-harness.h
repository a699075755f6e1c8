/* reins-harness.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The harness runs every guard at each point of a step, records every verdict on the step,
 * and hands the loop the most severe one (terminate > ask > correct > allow).
 */

#pragma once

#include "reins-guard.h"

G_BEGIN_DECLS

#define REINS_TYPE_HARNESS (reins_harness_get_type ())

G_DECLARE_FINAL_TYPE (ReinsHarness, reins_harness, REINS, HARNESS, GObject)

ReinsHarness *reins_harness_new                (void);
ReinsHarness *reins_harness_new_for_settings   (JsonObject          *settings);
void          reins_harness_add_guard          (ReinsHarness        *self,
                                                ReinsGuard          *guard);
ReinsGuard   *reins_harness_get_guard          (ReinsHarness        *self,
                                                const char          *name);
GPtrArray    *reins_harness_get_guards         (ReinsHarness        *self);
ReinsVerdict *reins_harness_evaluate           (ReinsHarness        *self,
                                                ReinsVerdictPhase    phase,
                                                ReinsGuardContext   *context,
                                                ReinsStep           *step);
void          reins_harness_approval_resolved  (ReinsHarness        *self,
                                                ReinsGuardContext   *context,
                                                ReinsStep           *step,
                                                ReinsApprovalRecord *record);

/* The guards this build knows, in the order they run. */
extern const char * const reins_harness_guard_names[];

G_END_DECLS
