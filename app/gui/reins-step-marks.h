/* reins-step-marks.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a step row says beyond the step itself: the person's stored thumb (with a way to
 * remove it) and, in a fork, how the step differs from its parent's.
 */

#pragma once

#include <gtk/gtk.h>

#include "reins-run-lineage.h"
#include "reins-store.h"

G_BEGIN_DECLS

#define REINS_TYPE_STEP_MARKS (reins_step_marks_get_type ())

G_DECLARE_FINAL_TYPE (ReinsStepMarks, reins_step_marks, REINS, STEP_MARKS, GtkWidget)

GtkWidget  *reins_step_marks_new                 (void);
void        reins_step_marks_set                 (ReinsStepMarks            *self,
                                                  const ReinsStepFeedback   *feedback,
                                                  const ReinsStepDifference *difference);
const char *reins_step_marks_get_rating_text     (ReinsStepMarks            *self);
const char *reins_step_marks_get_difference_text (ReinsStepMarks            *self);

G_END_DECLS
