/* reins-step-row.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One step of a run in the timeline.
 */

#pragma once

#include <gtk/gtk.h>

#include "reins-domain.h"

#include "reins-run-lineage.h"
#include "reins-store.h"

G_BEGIN_DECLS

#define REINS_TYPE_STEP_ROW (reins_step_row_get_type ())

G_DECLARE_FINAL_TYPE (ReinsStepRow, reins_step_row, REINS, STEP_ROW, GtkWidget)

GtkWidget *reins_step_row_new      (void);
ReinsStep *reins_step_row_get_step (ReinsStepRow *self);
void       reins_step_row_set_step (ReinsStepRow *self,
                                    ReinsStep    *step);
void       reins_step_row_set_threshold (ReinsStepRow *self,
                                         double        threshold);
void       reins_step_row_set_loading   (ReinsStepRow *self,
                                         gboolean      loading);
void       reins_step_row_bind          (ReinsStepRow *self,
                                         gpointer      item);
void       reins_step_row_unbind        (ReinsStepRow *self);
void       reins_step_row_set_compact   (ReinsStepRow *self,
                                         gboolean      compact);
gboolean   reins_step_row_get_compact   (ReinsStepRow *self);
void       reins_step_row_set_marks     (ReinsStepRow              *self,
                                         const ReinsStepFeedback   *feedback,
                                         const ReinsStepDifference *difference);

G_END_DECLS
