/* reins-decision-row.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One decision of the audit trail, inside a step of the timeline: who decided what and
 * when, why they were asked, and for an edit the action before and after.
 */

#pragma once

#include <gtk/gtk.h>

#include "reins-domain.h"

G_BEGIN_DECLS

#define REINS_TYPE_DECISION_ROW (reins_decision_row_get_type ())

G_DECLARE_FINAL_TYPE (ReinsDecisionRow, reins_decision_row, REINS, DECISION_ROW, GtkWidget)

GtkWidget  *reins_decision_row_new         (ReinsApprovalRecord *record);
const char *reins_decision_row_get_summary (ReinsDecisionRow    *self);
const char *reins_decision_row_get_details (ReinsDecisionRow    *self);
const char *reins_decision_row_get_before  (ReinsDecisionRow    *self);
const char *reins_decision_row_get_after   (ReinsDecisionRow    *self);

G_END_DECLS
