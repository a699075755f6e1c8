/* reins-judge-dialog.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The judge's report for many runs in the window: the runs listed in the history, all runs,
 * or the imported ones, narrowed by a label, judged again off the main thread; the report
 * shows per guard and verdict the steps and runs flagged, the questions and stops, and how
 * well "flagged" separates failed runs from successful ones when runs carry an outcome.
 */

#pragma once

#include <adwaita.h>

#include "reins-history.h"

G_BEGIN_DECLS

typedef enum
{
  REINS_JUDGE_SCOPE_LISTED,    /* the runs the history lists (its search and filter) */
  REINS_JUDGE_SCOPE_ALL,       /* every run of the store */
  REINS_JUDGE_SCOPE_IMPORTED,  /* the runs of provider “imported” */
} ReinsJudgeScope;

#define REINS_TYPE_JUDGE_DIALOG (reins_judge_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ReinsJudgeDialog, reins_judge_dialog, REINS, JUDGE_DIALOG, AdwWindow)

GtkWidget *reins_judge_dialog_new         (GtkWindow        *parent,
                                           ReinsHistory     *history);
void       reins_judge_dialog_set_scope   (ReinsJudgeDialog *self,
                                           ReinsJudgeScope   scope);
void       reins_judge_dialog_set_label   (ReinsJudgeDialog *self,
                                           const char       *label);
void       reins_judge_dialog_set_settings (ReinsJudgeDialog *self,
                                            gboolean          override,
                                            double            threshold,
                                            int               max_steps);
void       reins_judge_dialog_judge       (ReinsJudgeDialog *self);
gboolean   reins_judge_dialog_get_busy    (ReinsJudgeDialog *self);
JsonNode  *_reins_judge_dialog_get_report (ReinsJudgeDialog *self);
const char *_reins_judge_dialog_get_error (ReinsJudgeDialog *self);

G_END_DECLS
